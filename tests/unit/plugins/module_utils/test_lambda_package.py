"""The deterministic zip of a function's directory."""

import hashlib
import base64
import os
import zipfile
import io

from ansible_collections.atelier.infra.plugins.module_utils import lambda_package


def _tree(root, files):
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


FILES = {"app.py": "def handler(e, c):\n    return 1\n", "lib/util.py": "X = 1\n", "lib/__pycache__/util.cpython-311.pyc": "junk",
         "old.pyc": "junk", "data/b.json": "{}", "data/a.json": "[]"}


def test_same_directory_twice_gives_the_same_bytes(tmp_path):
    root = _tree(tmp_path / "f", FILES)
    first = lambda_package.zip_bytes(root)
    os.utime(root / "app.py", (1, 1))  # another timestamp, same content
    os.chmod(root / "lib/util.py", 0o600)  # another mode bit the package ignores
    assert lambda_package.zip_bytes(root) == first


def test_same_files_created_in_another_order_give_the_same_bytes(tmp_path):
    one = _tree(tmp_path / "one", FILES)
    two = _tree(tmp_path / "two", dict(reversed(list(FILES.items()))))
    assert lambda_package.zip_bytes(one) == lambda_package.zip_bytes(two)


def test_the_order_the_file_system_lists_entries_in_does_not_matter(tmp_path, monkeypatch):
    root = _tree(tmp_path / "f", FILES)
    first = lambda_package.zip_bytes(root)
    walk = os.walk

    def reversed_walk(top, **kwargs):
        for current, dirs, files in walk(top, **kwargs):
            dirs.reverse()
            yield current, dirs, list(reversed(files))

    monkeypatch.setattr(lambda_package.os, "walk", reversed_walk)
    assert lambda_package.zip_bytes(root) == first


def test_a_changed_file_gives_other_bytes(tmp_path):
    root = _tree(tmp_path / "f", FILES)
    first = lambda_package.zip_bytes(root)
    (root / "lib/util.py").write_text("X = 2\n")
    assert lambda_package.zip_bytes(root) != first


def test_entries_are_sorted_fixed_and_without_caches(tmp_path):
    root = _tree(tmp_path / "f", FILES)
    os.chmod(root / "app.py", 0o755)
    archive = zipfile.ZipFile(io.BytesIO(lambda_package.zip_bytes(root)))
    names = [i.filename for i in archive.infolist()]
    assert names == ["app.py", "data/a.json", "data/b.json", "lib/util.py"]
    assert {i.date_time for i in archive.infolist()} == {lambda_package.FIXED_TIME}
    modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
    assert modes == {"app.py": 0o755, "data/a.json": 0o644, "data/b.json": 0o644, "lib/util.py": 0o644}


def test_a_link_out_of_the_directory_is_left_out(tmp_path):
    root = _tree(tmp_path / "f", {"app.py": "x"})
    (tmp_path / "secret.txt").write_text("s")
    os.symlink(tmp_path / "secret.txt", root / "leak.txt")
    assert [r for r, _p in lambda_package.source_files(root)] == ["app.py"]


def test_code_sha256_is_lambdas_base64_digest():
    assert lambda_package.code_sha256(b"abc") == base64.b64encode(hashlib.sha256(b"abc").digest()).decode()


def test_write_package_writes_only_when_the_bytes_differ(tmp_path):
    root = _tree(tmp_path / "f", FILES)
    dest = tmp_path / "build" / "p" / "f.zip"
    first = lambda_package.write_package(str(root), str(dest))
    assert first["written"] and dest.read_bytes() == lambda_package.zip_bytes(root)
    mtime = dest.stat().st_mtime_ns
    second = lambda_package.write_package(str(root), str(dest))
    assert not second["written"] and dest.stat().st_mtime_ns == mtime
    assert second["code_sha256"] == first["code_sha256"] == lambda_package.code_sha256(dest.read_bytes())
    (root / "app.py").write_text("changed")
    third = lambda_package.write_package(str(root), str(dest))
    assert third["written"] and third["code_sha256"] != first["code_sha256"]
