"""tools/ansiballz_cache.py: the compiled code of a module payload's sources is kept and reused, never stale."""

import os
import subprocess
import sys
import zipfile
import zipimport
from pathlib import Path

import pytest

from tools import ansiballz_cache as cache

REPO_ROOT = Path(__file__).resolve().parents[2]


def payload(directory: Path, source: str, name: str = "payload.zip") -> str:
    """A zip shaped like an AnsiballZ payload: a package with one module, and the sitecustomize the payload adds."""
    path = directory / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pkg/__init__.py", "")
        archive.writestr("pkg/mod.py", source)
        archive.writestr("sitecustomize.py", f"import sys\nsys.path.insert(0, {str(path)!r})\n")
    return str(path)


class Counting:
    """zipimport's own compile step, counted."""

    def __init__(self):
        self.paths = []

    def __call__(self, pathname, source):
        self.paths.append(pathname)
        return compile(source, pathname, "exec", dont_inherit=True)


def load(path: str, fullname: str):
    """Import fullname from the zip at path the way Python's zipimport does, without touching sys.modules."""
    package = fullname.rpartition(".")[0].replace(".", os.sep)
    return zipimport.zipimporter(os.path.join(path, package) if package else path).get_code(fullname)


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """zipimport with the cache in tmp_path/cache, its own compile step counted."""
    counting = Counting()
    monkeypatch.setattr(zipimport, "_compile_source", cache.make_compile(counting, str(tmp_path / "cache")))
    return counting


def test_a_source_is_compiled_once_and_the_next_payload_runs_the_kept_code(tmp_path, cached):
    first = payload(tmp_path, "VALUE = 6 * 7\n", "one.zip")
    second = payload(tmp_path, "VALUE = 6 * 7\n", "two.zip")
    code = load(first, "pkg.mod")
    again = load(second, "pkg.mod")
    assert cached.paths == [os.path.join(first, "pkg", "mod.py")]
    namespace = {}
    exec(again, namespace)
    assert namespace["VALUE"] == 42
    # A traceback names the payload that runs, not the one that filled the cache.
    assert code.co_filename == os.path.join(first, "pkg", "mod.py")
    assert again.co_filename == os.path.join(second, "pkg", "mod.py")
    assert [entry.name.split("-")[0] for entry in (tmp_path / "cache").iterdir()] == ["pkg.mod.py"]


def test_a_changed_source_is_compiled_again_never_a_stale_hit(tmp_path, cached):
    load(payload(tmp_path, "VALUE = 1\n", "one.zip"), "pkg.mod")
    code = load(payload(tmp_path, "VALUE = 2\n", "two.zip"), "pkg.mod")
    namespace = {}
    exec(code, namespace)
    assert namespace["VALUE"] == 2
    assert len(cached.paths) == 2
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_the_payloads_own_sitecustomize_and_sources_outside_a_zip_are_not_kept(tmp_path, cached):
    first, second = payload(tmp_path, "", "one.zip"), payload(tmp_path, "", "two.zip")
    load(first, "sitecustomize")
    load(second, "sitecustomize")
    assert cached.paths == [os.path.join(first, "sitecustomize.py"), os.path.join(second, "sitecustomize.py")]
    assert not (tmp_path / "cache").exists()
    assert cache.inner_path("/usr/lib/python3/os.py") is None


def test_a_damaged_entry_is_compiled_again_and_replaced(tmp_path, cached):
    first = payload(tmp_path, "VALUE = 3\n", "one.zip")
    load(first, "pkg.mod")
    (entry,) = (tmp_path / "cache").iterdir()
    entry.write_bytes(b"\x00 not marshal data")
    code = load(payload(tmp_path, "VALUE = 3\n", "two.zip"), "pkg.mod")
    namespace = {}
    exec(code, namespace)
    assert namespace["VALUE"] == 3
    assert len(cached.paths) == 2
    # and the entry is whole again:
    load(payload(tmp_path, "VALUE = 3\n", "three.zip"), "pkg.mod")
    assert len(cached.paths) == 2


def test_an_unwritable_cache_only_compiles(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    counting = Counting()
    monkeypatch.setattr(zipimport, "_compile_source", cache.make_compile(counting, str(blocker / "cache")))
    for name in ("one.zip", "two.zip"):
        code = load(payload(tmp_path, "VALUE = 4\n", name), "pkg.mod")
    namespace = {}
    exec(code, namespace)
    assert namespace["VALUE"] == 4
    assert len(counting.paths) == 2


def test_off_installs_nothing_and_install_happens_once(tmp_path, monkeypatch):
    original = Counting()
    monkeypatch.setattr(zipimport, "_compile_source", original)
    assert cache.install({"ATELIER_ANSIBALLZ_CACHE": "off"}) is False
    assert zipimport._compile_source is original
    assert cache.install({"ATELIER_ANSIBALLZ_CACHE": str(tmp_path)}) is True
    assert cache.install({"ATELIER_ANSIBALLZ_CACHE": str(tmp_path)}) is False
    assert zipimport._compile_source.wrapped is original
    assert cache.cache_dir({}, prefix="/venv") == os.path.join("/venv", "ansiballz-cache")


def test_make_venv_installed_it_and_a_module_run_fills_then_uses_the_cache(tmp_path):
    """The project's virtualenv runs the modules: a real module run through ansible fills the cache, and the second
    run compiles nothing from its payload."""
    env = dict(os.environ, ATELIER_ANSIBALLZ_CACHE=str(tmp_path / "cache"))
    env["ANSIBLE_CONFIG"] = str(REPO_ROOT / "ansible.cfg")
    env.pop("ANSIBLE_KEEP_REMOTE_FILES", None)
    command = [
        str(Path(sys.executable).parent / "ansible"), "localhost", "-m", "ansible.builtin.ping",
        "-e", f"ansible_python_interpreter={sys.executable}", "-c", "local",
    ]
    first = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "ping: pong" in first.stdout
    kept = {entry.name for entry in (tmp_path / "cache").iterdir()}
    assert any(name.startswith("ansible.module_utils.basic.py-") for name in kept)
    assert any(name.startswith("ansible.modules.ping.py-") for name in kept)
    stamps = {entry.name: entry.stat().st_mtime_ns for entry in (tmp_path / "cache").iterdir()}
    second = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert {entry.name: entry.stat().st_mtime_ns for entry in (tmp_path / "cache").iterdir()} == stamps
