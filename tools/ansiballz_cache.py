"""A bytecode cache for the Python code Ansible modules import from their AnsiballZ payload.

Every module run is a new Python process that imports ansible.module_utils, a collection's module_utils and the module
itself from the zip Ansible sends with it. Python's zipimport keeps no bytecode: it compiles those sources again in
every run. Measured here, the command module's process takes 0.18 CPU-seconds from the zip and 0.10 with this cache; an
amazon.aws module about 0.12 s less per run. With the progress callback's frozen heap, a no-op of the whole local
stack took 10 to 22 % less CPU (bench/README.md, part f); with the two caches below, about 30 %.

The cache keeps the compiled code of each source under its path inside the payload and the hash Python uses for
hash-based .pyc files (keyed by the interpreter's magic number): a source is compiled once per content and Python
version, and a changed source is a new entry, never a stale hit. Only zipimport's compile step is replaced; every other
import, and the compile of anything that is not inside a payload zip, is Python's own. Any failure to read or write the
cache falls back to compiling.

`make venv` installs it into the project's virtualenv (`python tools/ansiballz_cache.py --install`: this file as the
module atelier_ansiballz_cache and a .pth line that calls install() at interpreter start-up). The modules run with that
interpreter (the inventories' ansible_python_interpreter is ansible_playbook_python). The cache lives in the virtualenv
(<venv>/ansiballz-cache), or in ATELIER_ANSIBALLZ_CACHE; ATELIER_ANSIBALLZ_CACHE=off switches it off.

The same switch keeps the payloads themselves across runs, on the controller. ansible-core finds the module_utils a
module needs (recursive_finder: it parses every source for its imports) once per module and per run, and forgets it when
the run ends: about 8 % of the CPU of a no-op of the whole local stack (py-spy). Here the files it wrote into the
payload are kept in <cache>/payloads, under a key of everything the search reads besides those files: the module's name
and source, the zip's compression, ansible-core's version, the interpreter, the module_utils and collection search paths
(absolute, and those that exist). An entry is used again only while each of its source files, and each directory holding
one, has the size and modification time it had (a file changed, added beside them or removed is a new search); the
warnings and deprecations the search gave are given again. A source edited while the search ran is not kept. A payload
with a debugger or coverage extension is always searched. The patch is put on ansible.executor.module_common when the
controller imports it.

And the compiled templates: ansible-core 2.19 parses and compiles every template it meets (Jinja to Python source to a
code object), in every forked worker and every run, and keeps none: about 11 % of a no-op's CPU. Here the code object of
a template source is kept in <cache>/templates, under a key of the source and everything the compiler reads besides it
(Jinja's and ansible-core's versions, the interpreter, the environment's syntax and compile settings, the backslash
escaping of ansible-core's compile, its embedded-template setting). The one thing the code depends on that lives
elsewhere is how each filter and test the template calls takes its context (Jinja's pass_context and kin): those are
kept with the code and looked up again before it is used; any difference compiles again. Sources with errors are never
kept: they fail as they did. The patch is put on ansible-core's Jinja environment when the controller imports it.
Those look-ups, and the template's own, find a fully qualified filter or test once per process (and a forked worker
what its parent found): ansible-core asks its plugin loader again in every new environment, and a worker builds dozens.

The controller's files too: ansible-core keeps the parse of each playbook, task file, role defaults and argument spec
for the run and hands each caller a deep copy of it, which costs more than parsing the YAML again (ansible-core 2.19's
data is tagged with its origin): those files are parsed again for each caller instead (make_load_from_file), about 0.5
CPU-seconds less at the start of every run of the whole stack.

Back in the module processes: botocore parses its data files (a client's service model and endpoint rules, the
endpoints and partitions) in every process, with an OrderedDict for each JSON object (45 ms for EC2's model here). The
objects it parsed are kept in <cache>/botocore, pickled, one entry per file, used only while the file and its directory
keep their size and modification time; unpickling takes less than half the time (a module's EC2 and ELB clients: 145
to 107 ms). The patch is put on botocore.loaders when a process imports it.
"""

import _imp
import hashlib
import importlib.abc
import importlib.machinery
import marshal
import os
import pickle
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


def write_whole(path, data):
    """Write data to path whole or not at all, whoever writes the same entry at the same time (OSError if it cannot)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = f"{path}.{os.getpid()}.tmp"
    with open(partial, "wb") as out:
        out.write(data)
    os.replace(partial, path)


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
            write_whole(path, marshal.dumps(code))
        except OSError:
            pass
        return code

    _compile_source.wrapped = compile_source
    return _compile_source


# The controller side: the payloads' module_utils, kept across runs.
PAYLOADS = "payloads"
# Entries beyond this many (each a new module source or a changed module_utils): the older half goes.
_MAX_PAYLOADS = 600


def payload_key(*parts):
    """The hex digest naming an entry: every part (bytes as they are, anything else by its repr)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


def source_stats(paths):
    """(path, modification time in ns, size) of each source file, and (directory, time, -1) of each directory holding
    one, so that a file added or removed beside them changes the result too. Raises OSError if one is gone."""
    stats = []
    for path in sorted(set(paths)):
        status = os.stat(path)
        stats.append((path, status.st_mtime_ns, status.st_size))
    for directory in sorted({os.path.dirname(path) for path in paths}):
        stats.append((directory, os.stat(directory).st_mtime_ns, -1))
    return stats


class Recording:
    """A payload zip's stand-in for recursive_finder: what it writes goes into the zip and is noted (name, bytes), with
    the source file each came from (the Origin ansible-core tags it with)."""

    def __init__(self, archive, origin_of):
        self._archive = archive
        self._origin_of = origin_of
        self.entries = []
        self.read = []

    def writestr(self, zinfo, data, *args, **kwargs):
        name = getattr(zinfo, "filename", zinfo)
        path = self._origin_of(data)
        content = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if path:
            self.read.append((path, content))
        self.entries.append((name, content))
        return self._archive.writestr(zinfo, data, *args, **kwargs)

    @property
    def sources(self):
        """The source files the search read."""
        return [path for path, _ in self.read]

    def unchanged_since(self):
        """The stats of the sources, if each file still holds what was written from it (else None: one changed while
        the search ran, and the entry must not be kept)."""
        stats = source_stats(self.sources)
        for path, content in self.read:
            with open(path, "rb") as source:
                if source.read() != content:
                    return None
        return stats

    def __getattr__(self, attribute):
        return getattr(self._archive, attribute)


def _origin_path(data):
    try:
        from ansible._internal._datatag._tags import Origin  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    origin = Origin.get_tag(data)
    return origin.path if origin is not None else None


def _read_entry(path):
    try:
        with open(path, "rb") as kept:
            entry = pickle.load(kept)  # our own files, written below
        if entry["stats"] == source_stats(entry["sources"]):
            return entry
    except Exception:  # pylint: disable=broad-except
        # Missing, damaged, written by another ansible-core, or a source changed: search again.
        pass
    return None


def _write_entry(path, entry):
    try:
        write_whole(path, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        prune(os.path.dirname(path), ".pickle", _MAX_PAYLOADS)
    except Exception:  # pylint: disable=broad-except
        pass


def prune(directory, suffix, limit):
    """Beyond limit entries (files ending in suffix) in directory, remove the older half."""
    entries = [entry for entry in os.scandir(directory) if entry.name.endswith(suffix)]
    if len(entries) > limit:
        entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
        for entry in entries[: len(entries) // 2]:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


class _Said:
    """Notes the display's warnings and deprecations while the search runs, to say them again on a kept entry."""

    def __init__(self, display):
        self._display = display
        self.notes = []

    def __enter__(self):
        for method in ("warning", "deprecated"):
            original = getattr(self._display, method)

            def noted(*args, _method=method, _original=original, **kwargs):
                self.notes.append((_method, args, kwargs))
                return _original(*args, **kwargs)

            setattr(self._display, method, noted)
        return self

    def __exit__(self, *exc):
        for method in ("warning", "deprecated"):
            self._display.__dict__.pop(method, None)


def make_recursive_finder(module_common, directory):
    """module_common.recursive_finder with its result kept in directory (see the module's docstring)."""
    original = module_common.recursive_finder

    def _search_paths():
        # Absolute (a configured ./playbooks/collections is another directory in another checkout), and only the
        # paths that exist: a playbook's own collections/ directory, which most playbooks lack, would make each
        # playbook directory a key of its own.
        try:
            # pylint: disable-next=import-outside-toplevel
            from ansible.utils.collection_loader import AnsibleCollectionConfig

            collections = [os.path.abspath(path) for path in AnsibleCollectionConfig.collection_paths
                           if os.path.isdir(os.path.join(path, "ansible_collections"))]
        except Exception:  # pylint: disable=broad-except
            collections = None
        utils = [os.path.abspath(path) for path in module_common.module_utils_loader._get_paths(subdirs=False)
                 if os.path.isdir(path)]
        return utils, collections

    def recursive_finder(name, module_fqn, module_data, zf, date_time, extension_manager):
        if getattr(extension_manager, "extension_names", None):
            return original(name, module_fqn, module_data, zf, date_time, extension_manager)
        module_bytes = module_data.encode("utf-8") if isinstance(module_data, str) else bytes(module_data)
        key = payload_key(
            getattr(module_common, "__version__", None), module_common.__file__, sys.version, name, module_fqn,
            zf.compression, _search_paths(), module_bytes,
        )
        path = os.path.join(directory, PAYLOADS, key + ".pickle")
        entry = _read_entry(path)
        if entry is not None:
            for method, args, kwargs in entry["said"]:
                getattr(module_common.display, method)(*args, **kwargs)
            for entry_name, data in entry["entries"]:
                zf.writestr(module_common._make_zinfo(entry_name, date_time, zf=zf), data)
            return entry["metadata"]
        recording = Recording(zf, _origin_path)
        with _Said(module_common.display) as said:
            metadata = original(name, module_fqn, module_data, recording, date_time, extension_manager)
        try:
            # Taken before the files are compared with what the search read: a source edited after this is a miss.
            stats = recording.unchanged_since()
            notes = pickle.loads(pickle.dumps(said.notes))
        except Exception:  # pylint: disable=broad-except
            return metadata
        if stats is None:
            return metadata
        _write_entry(path, {"sources": recording.sources, "stats": stats, "entries": recording.entries,
                            "metadata": metadata, "said": notes})
        return metadata

    recursive_finder.wrapped = original
    return recursive_finder


# The compiled templates, and how many are kept at most (a template is a few kB; the whole test suite makes about
# 1,600): beyond that the older half goes.
TEMPLATES = "templates"
_MAX_TEMPLATES = 40000
# The environment's settings Jinja's lexer, parser and code generator read (besides filters and tests, kept apart).
_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string", "comment_start_string",
    "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "autoescape", "is_async", "sandboxed",
)


def _name_of(value):
    if value is None:
        return None
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"


def environment_settings(environment):
    """What a template's code depends on in its environment, besides its filters and tests."""
    return (
        _name_of(type(environment)), _name_of(environment.code_generator_class), _name_of(environment.finalize),
        tuple(repr(getattr(environment, name, None)) for name in _SETTINGS), tuple(sorted(environment.extensions)),
        tuple(sorted(getattr(environment, "intercepted_binops", ()))),
        tuple(sorted(getattr(environment, "intercepted_unops", ()))),
    )


def make_compile_template(jinja_bits, directory):
    """Jinja's Environment.compile for ansible-core's environment, with the code of a template source kept in
    directory (see the module's docstring). Anything but a source string compiled to code is Jinja's own."""
    import jinja2  # pylint: disable=import-outside-toplevel
    from jinja2 import nodes  # pylint: disable=import-outside-toplevel
    from jinja2.exceptions import TemplateSyntaxError  # pylint: disable=import-outside-toplevel
    from jinja2.utils import _PassArg, internalcode  # pylint: disable=import-outside-toplevel

    environment_class = jinja_bits.AnsibleEnvironment
    original = environment_class.compile
    versions = (jinja2.__version__, getattr(jinja_bits, "__file__", None), sys.version)
    try:
        from ansible.release import __version__ as ansible_version  # pylint: disable=import-outside-toplevel
    except ImportError:
        ansible_version = None

    def passes(environment, kind, name):
        plugins = environment.filters if kind == "filter" else environment.tests
        found = _PassArg.from_obj(plugins.get(name))
        return found.name if found is not None else None

    @internalcode
    # pylint: disable-next=redefined-builtin
    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or not isinstance(source, str) or getattr(self, "_debuggable_template_source", False):
            return original(self, source, name, filename, raw, defer_init)
        context = jinja_bits._TemplateCompileContext.current(optional=True)
        config = jinja_bits._TemplateConfig
        key = payload_key(
            versions, ansible_version, environment_settings(self), getattr(context, "escape_backslashes", None),
            getattr(config, "allow_embedded_templates", None), name, filename, defer_init, str(source),
        )
        path = os.path.join(directory, TEMPLATES, key + ".code")
        try:
            with open(path, "rb") as kept:
                code, plugins = marshal.loads(kept.read())
            if type(code).__name__ == "code" and all(passes(self, *plugin[:2]) == plugin[2] for plugin in plugins):
                return code
        except Exception:  # pylint: disable=broad-except
            # Not kept yet, damaged, or a filter or test changed how it is called: compile.
            pass
        try:
            tree = self._parse(source, name, filename)
            code = self._compile(self._generate(tree, name, filename, defer_init=defer_init), filename or "<template>")
        except TemplateSyntaxError:
            self.handle_exception(source=source)
        try:
            plugins = tuple(sorted({
                (kind, node.name, passes(self, kind, node.name))
                for kind, node_type in (("filter", nodes.Filter), ("test", nodes.Test))
                for node in tree.find_all(node_type)
            }))
            write_whole(path, marshal.dumps((code, plugins)))
            if key.endswith("00"):  # one write in 256 looks at the directory's size
                prune(os.path.dirname(path), ".code", _MAX_TEMPLATES)
        except Exception:  # pylint: disable=broad-except
            pass
        return code

    compile.wrapped = original
    return compile


# The module side again: botocore's data files (service models, endpoints, partitions), parsed once per content.
BOTOCORE = "botocore"


def make_load_file(load_file, directory):
    """botocore's JSONFileLoader._load_file(self, full_path, open_method), with what it parses kept in directory.

    botocore parses a client's service model and its endpoint data (json with an OrderedDict for every object: 45 ms
    for EC2's model here) in every module process; unpickling the same objects takes less than half of that. An entry
    is used only while the file keeps its size and modification time (and its directory its own); a file botocore finds
    missing, or one that cannot be kept, is botocore's own answer."""

    def _load_file(self, full_path, open_method):
        path = os.path.join(directory, BOTOCORE, payload_key(full_path, open_method.__module__) + ".pickle")
        entry = _read_entry(path)
        if entry is not None:
            return entry["data"]
        try:
            stats = source_stats([full_path])
        except OSError:
            return load_file(self, full_path, open_method)
        data = load_file(self, full_path, open_method)
        # Kept only when the file did not change while botocore read it.
        if data is not None and stats == source_stats([full_path]):
            _write_entry(path, {"stats": stats, "sources": [full_path], "data": data})
        return data

    _load_file.wrapped = load_file
    return _load_file


def _patch_botocore_loaders(module, directory):
    if not hasattr(module.JSONFileLoader._load_file, "wrapped"):
        module.JSONFileLoader._load_file = make_load_file(module.JSONFileLoader._load_file, directory)


def _patch_module_common(module, directory):
    if not hasattr(module.recursive_finder, "wrapped"):
        module.recursive_finder = make_recursive_finder(module, directory)


def _patch_jinja_bits(module, directory):
    if not hasattr(module.AnsibleEnvironment.compile, "wrapped"):
        module.AnsibleEnvironment.compile = make_compile_template(module, directory)


# The fully qualified filters and tests the workers found, one per line: what the controller finds before its workers
# fork (make_plugin_getitem).
PLUGINS = "plugins.txt"


def make_plugin_getitem(getitem, directory):
    """ansible-core's JinjaPluginIntercept.__getitem__ (environment.filters[name], environment.tests[name]) with what
    it found for a fully qualified name kept for the process, and found by the controller before its workers fork.

    ansible-core keeps a filter or test it found in the environment that asked for it, and a task's worker (a new
    process for each task and host) builds dozens of environments: each asks the plugin loader, which lists the
    collection's plugin directory, resolves the name and loads the plugin's file (about 10 % of the CPU of a no-op of
    eight tiers). A fully qualified name (collection.namespace.name) means the same plugin wherever it is asked for,
    so its wrapped function is kept for the process; a short name (resolved by the play's collections and Jinja's
    builtins) and a name not found are asked for each time, as before. Each name a worker finds first is noted in
    <cache>/plugins.txt; the controller finds those once per run, before its first play's workers fork (warm()), so
    that each worker starts with them."""
    kept = {}
    noted = os.path.join(directory, PLUGINS)

    def __getitem__(self, key):
        found = self._wrapped_funcs.get(key)
        if found is not None:
            return found
        if not isinstance(key, str) or key.count(".") < 2:
            return getitem(self, key)
        shared = (self._plugin_loader.type, key)
        found = kept.get(shared)
        if found is None:
            found = kept[shared] = getitem(self, key)
            if not warming:
                try:
                    with open(noted, "a", encoding="utf-8") as out:
                        out.write(f"{shared[0]} {key}\n")
                except OSError:
                    pass
        else:
            self._wrapped_funcs[key] = found
        return found

    warming = []

    def warm(environment):
        """Find every name noted (in the controller, before its workers fork); a name no longer found is left out."""
        try:
            with open(noted, encoding="utf-8") as listed:
                lines = [tuple(line.split()) for line in listed]
        except OSError:
            return
        names = {line for line in lines if len(line) == 2}
        warming.append(True)
        try:
            for kind, key in sorted(names):
                plugins = environment.filters if kind == "filter" else environment.tests
                try:
                    plugins[key]
                except Exception:  # pylint: disable=broad-except
                    pass
        finally:
            warming.clear()
        if len(lines) == len(names):
            return
        try:  # written again without the names noted twice (by workers of the same run) or no longer found
            write_whole(noted, "".join(f"{kind} {key}\n" for kind, key in sorted(kept) if (kind, key) in names).encode("utf-8"))
        except OSError:
            pass

    __getitem__.wrapped = getitem
    __getitem__.kept = kept
    __getitem__.warm = warm
    return __getitem__


def _patch_jinja_plugins(module, directory):
    if not hasattr(module.JinjaPluginIntercept.__getitem__, "wrapped"):
        module.JinjaPluginIntercept.__getitem__ = make_plugin_getitem(module.JinjaPluginIntercept.__getitem__, directory)


def make_queue_run(run):
    """TaskQueueManager.run(play), which finds the noted filters and tests once (make_plugin_getitem) before the
    first play's workers fork."""
    done = []

    def queue_run(self, play):
        if not done:
            done.append(True)
            try:
                from ansible._internal._templating import _jinja_bits  # pylint: disable=import-outside-toplevel
                from ansible._internal._templating import _jinja_plugins  # pylint: disable=import-outside-toplevel

                warm = getattr(_jinja_plugins.JinjaPluginIntercept.__getitem__, "warm", None)
                if warm is not None:
                    warm(_jinja_bits.AnsibleEnvironment())
            except Exception:  # pylint: disable=broad-except
                pass
        return run(self, play)

    queue_run.wrapped = run
    return queue_run


def _patch_task_queue_manager(module, directory):  # pylint: disable=unused-argument
    if not hasattr(module.TaskQueueManager.run, "wrapped"):
        module.TaskQueueManager.run = make_queue_run(module.TaskQueueManager.run)


def make_load_from_file(load_from_file):
    """ansible-core's DataLoader.load_from_file, which parses a file again where ansible-core would deep-copy the parse
    it keeps for the run.

    A caller that gets its own copy (unsafe=False: the playbooks, each role's tasks, defaults, vars and argument specs,
    an included task file) gets a deep copy of the kept parse, and the first load pays for the parse and the copy. The
    parse is tagged data (every string and container carries its origin), and deepcopy copies each through its
    __reduce_ex__: an argument spec of 33 KB takes 45 ms to copy and 28 ms to parse here, and a whole-stack run loads
    26 roles' (about 0.5 CPU-seconds of every playbook run's start). Parsing again gives the caller what the copy gave:
    a structure of its own with the file's content. A caller that shares the kept parse (unsafe=True: group and host
    variables, vars_files) still does; only a file edited during the run is read as it now is, not as it was."""

    def _load_from_file(self, file_name, cache="all", unsafe=False, json_only=False, trusted_as_template=False):
        if unsafe:
            return load_from_file(self, file_name, cache, unsafe, json_only, trusted_as_template)
        return load_from_file(self, file_name, "none", True, json_only, trusted_as_template)

    _load_from_file.wrapped = load_from_file
    return _load_from_file


def _patch_dataloader(module, directory):  # pylint: disable=unused-argument
    if not hasattr(module.DataLoader.load_from_file, "wrapped"):
        module.DataLoader.load_from_file = make_load_from_file(module.DataLoader.load_from_file)


class PatchOnImport(importlib.abc.MetaPathFinder):
    """Finds ansible-core's module builder, Jinja environment, plugin look-ups, task queue and data loader, and
    botocore's data loader, as Python would, and patches each once it is executed."""

    TARGETS = {
        "ansible.executor.module_common": _patch_module_common,
        "ansible._internal._templating._jinja_bits": _patch_jinja_bits,
        "ansible._internal._templating._jinja_plugins": _patch_jinja_plugins,
        "ansible.executor.task_queue_manager": _patch_task_queue_manager,
        "ansible.parsing.dataloader": _patch_dataloader,
        "botocore.loaders": _patch_botocore_loaders,
    }

    def __init__(self, directory):
        self.directory = directory

    def find_spec(self, fullname, path=None, target=None):
        patch = self.TARGETS.get(fullname)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        execute, directory = spec.loader.exec_module, self.directory

        def exec_module(module):
            execute(module)
            patch(module, directory)

        spec.loader.exec_module = exec_module
        return spec


def install(environ=None, prefix=None):
    """Replace zipimport's compile step with the cached one and, once a process imports them, ansible-core's
    module_utils search and template compile and botocore's data file parse with the kept ones; once each, nothing when
    switched off. True if installed now."""
    directory = cache_dir(environ, prefix)
    current = zipimport._compile_source
    if directory is None or hasattr(current, "wrapped"):
        return False
    zipimport._compile_source = make_compile(current, directory)
    if not any(isinstance(finder, PatchOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, PatchOnImport(directory))
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
