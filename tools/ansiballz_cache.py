"""A bytecode cache for the Python code Ansible modules import from their AnsiballZ payload.

Every module run is a new Python process that imports ansible.module_utils, a collection's module_utils and the module
itself from the zip Ansible sends with it. Python's zipimport keeps no bytecode: it compiles those sources again in
every run. Measured here, the command module's process takes 0.18 CPU-seconds from the zip and 0.10 with this cache; an
amazon.aws module about 0.12 s less per run. With the progress callback's frozen heap, a no-op of the whole local
stack takes 10 to 22 % less CPU (bench/README.md, part f).

The cache keeps the compiled code of each source under its path inside the payload and the hash Python uses for
hash-based .pyc files (keyed by the interpreter's magic number): a source is compiled once per content and Python
version, and a changed source is a new entry, never a stale hit. Only zipimport's compile step is replaced; every other
import, and the compile of anything that is not inside a payload zip, is Python's own. Any failure to read or write the
cache falls back to compiling.

`make venv` installs it into the project's virtualenv (`python tools/ansiballz_cache.py --install`: this file as the
module atelier_ansiballz_cache and a .pth line that calls install() at interpreter start-up). The modules run with that
interpreter (the inventories' ansible_python_interpreter is ansible_playbook_python). The cache lives in the virtualenv
(<venv>/ansiballz-cache), or in ATELIER_ANSIBALLZ_CACHE; ATELIER_ANSIBALLZ_CACHE=off switches it off.
"""

import _imp
import marshal
import os
import sys
import zipimport

NAME = "atelier_ansiballz_cache"
# The payload adds a sitecustomize.py naming its own temporary path: a new source in every run, not worth keeping.
_SKIP = ("sitecustomize.py",)
# The key of the hash: the interpreter's bytecode magic number, so another Python version never reads this one's code.
_KEY = sys.modules["_frozen_importlib_external"]._RAW_MAGIC_NUMBER


def cache_dir(environ=None, prefix=None):
    """The cache directory, or None when the cache is switched off."""
    configured = (os.environ if environ is None else environ).get("ATELIER_ANSIBALLZ_CACHE", "")
    if configured == "off":
        return None
    return configured or os.path.join(sys.prefix if prefix is None else prefix, "ansiballz-cache")


def cache_file(inner_path, source):
    """The file name of a source's compiled code: its path inside the payload and the hash of its bytes."""
    return inner_path.replace("/", ".") + "-" + _imp.source_hash(_KEY, source).hex() + ".code"


def inner_path(pathname):
    """The path of a source inside its payload zip (what follows "<archive>.zip/"), or None if it is not in a zip or
    not worth keeping."""
    _, sep, tail = pathname.partition(".zip" + os.sep)
    return tail if sep and tail and tail not in _SKIP else None


def make_compile(compile_source, directory):
    """zipimport's _compile_source(pathname, source) with the compiled code kept in directory."""

    def _compile_source(pathname, source):
        inner = inner_path(pathname)
        if inner is None or not isinstance(source, bytes):
            return compile_source(pathname, source)
        path = os.path.join(directory, cache_file(inner, source))
        try:
            with open(path, "rb") as cached:
                code = marshal.loads(cached.read())
        except (OSError, ValueError, EOFError, TypeError):
            code = None
        if code is not None and type(code).__name__ == "code":
            # Tracebacks name this run's payload, not the one that filled the cache.
            _imp._fix_co_filename(code, pathname)
            return code
        code = compile_source(pathname, source)
        try:
            os.makedirs(directory, exist_ok=True)
            partial = f"{path}.{os.getpid()}.tmp"
            with open(partial, "wb") as out:
                out.write(marshal.dumps(code))
            os.replace(partial, path)  # whole or not at all, whoever writes the same entry at the same time
        except OSError:
            pass
        return code

    _compile_source.wrapped = compile_source
    return _compile_source


def install(environ=None, prefix=None):
    """Replace zipimport's compile step with the cached one, once; nothing when switched off. True if installed now."""
    directory = cache_dir(environ, prefix)
    current = zipimport._compile_source
    if directory is None or hasattr(current, "wrapped"):
        return False
    zipimport._compile_source = make_compile(current, directory)
    return True


def install_into(site_packages):
    """Write this file as the module NAME into site_packages and the .pth line that installs it at start-up."""
    with open(__file__, encoding="utf-8") as source:
        text = source.read()
    with open(os.path.join(site_packages, NAME + ".py"), "w", encoding="utf-8") as out:
        out.write(text)
    with open(os.path.join(site_packages, "atelier-ansiballz-cache.pth"), "w", encoding="utf-8") as out:
        out.write(f"import {NAME}; {NAME}.install()\n")


if __name__ == "__main__":
    import sysconfig

    if sys.argv[1:] != ["--install"]:
        sys.exit(f"usage: {sys.argv[0]} --install   (into this interpreter's site-packages)")
    target = sysconfig.get_paths()["purelib"]
    install_into(target)
    print(f"ansiballz bytecode cache installed in {target} (cache: {cache_dir()})")
