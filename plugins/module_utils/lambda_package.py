# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A deterministic zip of a function's source directory: the same files give the same bytes (so the same CodeSha256
Lambda reports), whatever their timestamps, owners, modes or the order the file system lists them in.

Entries are the regular files under the directory, sorted by their path (``/``-separated, relative), each stored with
the same timestamp (1980-01-01, zip's epoch), mode 0644 (0755 for a file executable by its owner) and deflate level 9;
no directory entries; ``__pycache__`` directories, ``*.pyc``/``*.pyo`` files and ``.DS_Store`` are left out, and so are
symbolic links that leave the directory. Pure Python (no boto3)."""

import base64
import hashlib
import io
import os
import stat
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
EXCLUDED_DIRS = frozenset(("__pycache__", ".git"))
EXCLUDED_SUFFIXES = (".pyc", ".pyo")
EXCLUDED_FILES = frozenset((".DS_Store",))


def source_files(directory):
    """The (relative path, absolute path) of every file packaged from directory, sorted by relative path."""
    root = os.path.realpath(directory)
    found = []
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if d not in EXCLUDED_DIRS]
        for name in files:
            if name in EXCLUDED_FILES or name.endswith(EXCLUDED_SUFFIXES):
                continue
            path = os.path.join(current, name)
            real = os.path.realpath(path)
            if not os.path.isfile(real) or os.path.commonpath([root, real]) != root:
                continue  # a dangling link, a device, or a link out of the directory
            found.append((os.path.relpath(path, root).replace(os.sep, "/"), path))
    return sorted(found)


def zip_bytes(directory):
    """The deterministic zip of directory, as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for relative, path in source_files(directory):
            info = zipfile.ZipInfo(relative, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix: the mode below is read from external_attr
            mode = 0o755 if os.stat(path).st_mode & stat.S_IXUSR else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            with open(path, "rb") as source:
                archive.writestr(info, source.read(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def code_sha256(data):
    """Lambda's CodeSha256 of a zip: the base64 of its SHA-256 digest."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def write_package(directory, dest):
    """Write the zip of directory to dest unless dest already holds exactly those bytes. Returns
    {path, code_sha256, size, files, written}."""
    data = zip_bytes(directory)
    current = None
    if os.path.isfile(dest):
        with open(dest, "rb") as existing:
            current = existing.read()
    written = current != data
    if written:
        os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
        temporary = f"{dest}.tmp"
        with open(temporary, "wb") as out:
            out.write(data)
        os.replace(temporary, dest)
    return {
        "path": dest,
        "code_sha256": code_sha256(data),
        "size": len(data),
        "files": [relative for relative, _path in source_files(directory)],
        "written": written,
    }
