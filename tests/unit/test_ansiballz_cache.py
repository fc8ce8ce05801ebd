"""tools/ansiballz_cache.py: the compiled code of a module payload's sources is kept and reused, never stale."""

import marshal
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
    monkeypatch.setattr(sys, "meta_path", [finder for finder in sys.meta_path
                                           if type(finder).__name__ != "PatchOnImport"])
    assert cache.install({"ATELIER_ANSIBALLZ_CACHE": str(tmp_path)}) is True
    assert cache.install({"ATELIER_ANSIBALLZ_CACHE": str(tmp_path)}) is False
    assert zipimport._compile_source.wrapped is original
    # The controller's two patches wait for ansible-core's modules to be imported: one finder, first, once.
    patching = [finder for finder in sys.meta_path if isinstance(finder, cache.PatchOnImport)]
    assert len(patching) == 1 and sys.meta_path[0] is patching[0] and patching[0].directory == str(tmp_path)
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
    (kept_payload,) = (tmp_path / "cache" / cache.PAYLOADS).iterdir()
    payload_stamp = kept_payload.stat().st_mtime_ns
    second = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert {entry.name: entry.stat().st_mtime_ns for entry in (tmp_path / "cache").iterdir()} == stamps
    # The controller kept the module's payload from the first run and built the second from it.
    (kept_payload,) = (tmp_path / "cache" / cache.PAYLOADS).iterdir()
    assert kept_payload.stat().st_mtime_ns == payload_stamp


class Display:
    """The display module_common warns through, its deprecations noted."""

    def __init__(self):
        self.said = []

    def deprecated(self, msg, **kwargs):
        self.said.append(("deprecated", msg))

    def warning(self, msg, **kwargs):
        self.said.append(("warning", msg))


class Builder:
    """A stand-in for ansible.executor.module_common: its recursive_finder writes the files of tmp_path/utils into the
    payload, tagged with their Origin like ansible-core's, says one deprecation, and counts its calls."""

    def __init__(self, sources: Path):
        from ansible._internal._datatag._tags import Origin
        from ansible.executor.module_common import _make_zinfo

        self.__version__, self.__file__ = "2.19-test", "module_common.py"
        self._make_zinfo, self.display, self.sources, self.searches = _make_zinfo, Display(), sources, 0
        self.module_utils_loader = type("Loader", (), {"_get_paths": staticmethod(lambda subdirs: [str(sources)])})
        self.recursive_finder = self._search
        self._origin = Origin

    def _search(self, name, module_fqn, module_data, zf, date_time, extension_manager):
        self.searches += 1
        zf.writestr(self._make_zinfo("ansible/__init__.py", date_time, zf=zf), b"# synthetic\n")
        for path in sorted(self.sources.iterdir()):
            data = self._origin(path=str(path)).tag(path.read_bytes())
            zf.writestr(self._make_zinfo(f"ansible/module_utils/{path.name}", date_time, zf=zf), data)
        self.display.deprecated(f"{name} uses a redirected module_utils")
        return {"metadata": name}


def build(builder, finder, tmp_path: Path, name: str, extensions=(), module=b"print('pong')\n"):
    """One payload's search through finder: (the zip's members and their bytes, the metadata returned)."""
    import datetime

    path = tmp_path / name
    manager = type("Extensions", (), {"extension_names": list(extensions)})()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        metadata = finder("ping", "ansible.modules.ping", module, archive, datetime.datetime.now(datetime.timezone.utc),
                          manager)
    with zipfile.ZipFile(path) as archive:
        return {member: archive.read(member) for member in archive.namelist()}, metadata


def test_the_module_utils_search_is_kept_across_runs_until_a_source_or_its_directory_changes(tmp_path):
    sources = tmp_path / "utils"
    sources.mkdir()
    (sources / "basic.py").write_text("BASIC = 1\n")
    (sources / "common.py").write_text("COMMON = 1\n")
    builder = Builder(sources)
    finder = cache.make_recursive_finder(builder, str(tmp_path / "cache"))
    searched, metadata = build(builder, finder, tmp_path, "one.zip")
    assert builder.searches == 1 and metadata == {"metadata": "ping"}
    assert searched["ansible/module_utils/basic.py"] == b"BASIC = 1\n"
    # Another run's builder (nothing kept in memory): the same payload, its deprecation said again, no search.
    builder = Builder(sources)
    finder = cache.make_recursive_finder(builder, str(tmp_path / "cache"))
    assert build(builder, finder, tmp_path, "two.zip") == (searched, metadata)
    assert builder.searches == 0
    assert builder.display.said == [("deprecated", "ping uses a redirected module_utils")]
    # A source changed: searched again, and its new bytes go into the payload.
    (sources / "basic.py").write_text("BASIC = 22\n")
    changed, _ = build(builder, finder, tmp_path, "three.zip")
    assert builder.searches == 1 and changed["ansible/module_utils/basic.py"] == b"BASIC = 22\n"
    build(builder, finder, tmp_path, "four.zip")
    assert builder.searches == 1
    # A file added beside the sources (it could shadow one): searched again.
    (sources / "new.py").write_text("NEW = 1\n")
    added, _ = build(builder, finder, tmp_path, "five.zip")
    assert builder.searches == 2 and "ansible/module_utils/new.py" in added
    # Another module source is another entry.
    build(builder, finder, tmp_path, "six.zip", module=b"print('other')\n")
    assert builder.searches == 3


@pytest.fixture
def one_source(tmp_path):
    """tmp_path/utils with one module_utils file, a Builder searching it and the kept search: (builder, finder)."""
    sources = tmp_path / "utils"
    sources.mkdir()
    (sources / "basic.py").write_text("BASIC = 1\n")
    builder = Builder(sources)
    return builder, cache.make_recursive_finder(builder, str(tmp_path / "cache"))


def test_a_payload_with_a_debugger_or_coverage_extension_is_always_searched_and_never_kept(tmp_path, one_source):
    builder, finder = one_source
    build(builder, finder, tmp_path, "one.zip", extensions=["coverage"])
    build(builder, finder, tmp_path, "two.zip", extensions=["coverage"])
    assert builder.searches == 2
    assert not (tmp_path / "cache").exists()


def test_a_damaged_or_unreadable_payload_entry_is_searched_again(tmp_path, one_source):
    builder, finder = one_source
    searched, _ = build(builder, finder, tmp_path, "one.zip")
    (entry,) = (tmp_path / "cache" / cache.PAYLOADS).iterdir()
    entry.write_bytes(b"not a pickle")
    assert build(builder, finder, tmp_path, "two.zip")[0] == searched
    assert builder.searches == 2
    build(builder, finder, tmp_path, "three.zip")
    assert builder.searches == 2


@pytest.fixture
def templating(tmp_path, monkeypatch):
    """ansible-core's templating with its compile kept in tmp_path/cache, the compiles that really happen counted
    (Jinja's code generation); the render function takes a source and its variables."""
    from ansible._internal._datatag._tags import TrustedAsTemplate
    from ansible._internal._templating import _jinja_bits
    from ansible.template import Templar

    original = _jinja_bits.AnsibleEnvironment.compile
    monkeypatch.setattr(_jinja_bits.AnsibleEnvironment, "compile",
                        cache.make_compile_template(_jinja_bits, str(tmp_path / "cache")))
    generated = []
    generate = _jinja_bits.AnsibleEnvironment._generate

    def counted(self, *args, **kwargs):
        generated.append(args[0])
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(_jinja_bits.AnsibleEnvironment, "_generate", counted)
    assert getattr(_jinja_bits.AnsibleEnvironment.compile, "wrapped", None) is original
    templar = Templar()

    def render(source, **variables):
        templar.available_variables = variables
        return templar.template(TrustedAsTemplate().tag(source))

    return templar, render, generated


def test_a_template_is_compiled_once_and_its_kept_code_renders_the_same(tmp_path, templating):
    _, render, generated = templating
    source = "{{ items | map('upper') | join(',') }} {% if flag is defined %}on{% endif %}"
    assert render(source, items=["a", "b"], flag=1) == "A,B on"
    assert render(source, items=["c"]) == "C "
    assert len(generated) == 1
    (entry,) = (tmp_path / "cache" / cache.TEMPLATES).iterdir()
    # The filter and test the template calls are kept with its code, with how each takes its context.
    _, plugins = marshal.loads(entry.read_bytes())
    assert {plugin[:2] for plugin in plugins} == {("filter", "map"), ("filter", "join"), ("test", "defined")}
    assert ("filter", "map", "context") in plugins


def test_a_filter_that_now_takes_its_context_compiles_the_template_again(tmp_path, templating):
    from jinja2 import pass_context

    templar, render, generated = templating
    templar.environment.filters["shout"] = lambda value: value.upper() + "!"
    assert render("{{ 'hi' | shout }}") == "HI!"

    @pass_context
    def shout(context, value):
        return value.upper() + context.get("mark", "?")

    templar.environment.filters["shout"] = shout
    assert render("{{ 'hi' | shout }}", mark="#") == "HI#"
    assert len(generated) == 2


def test_other_settings_or_sources_are_other_entries_and_errors_are_never_kept(tmp_path, templating):
    from ansible.errors import AnsibleTemplateSyntaxError

    _, render, generated = templating
    assert render("{{ 1 + 1 }}") == 2
    assert render("{{ 1 + 2 }}") == 3
    # The same source with other delimiters (a template's own #jinja2: header) is another environment's.
    assert render("{{ 1 + 1 }} [[ 1 + 1 ]]") == "2 [[ 1 + 1 ]]"
    assert render("#jinja2: variable_start_string:'[[', variable_end_string:']]'\n{{ 1 + 1 }} [[ 1 + 1 ]]") \
        == "{{ 1 + 1 }} 2"
    assert len(generated) == 4
    for _ in range(2):
        with pytest.raises(AnsibleTemplateSyntaxError):
            render("{{ 1 + }}")
    assert len(list((tmp_path / "cache" / cache.TEMPLATES).iterdir())) == 4


def test_a_damaged_template_entry_compiles_again(tmp_path, templating):
    _, render, generated = templating
    render("{{ 6 * 7 }}")
    (entry,) = (tmp_path / "cache" / cache.TEMPLATES).iterdir()
    entry.write_bytes(b"\x00 damaged")
    assert render("{{ 6 * 7 }}") == 42
    assert render("{{ 6 * 7 }}") == 42
    assert len(generated) == 2


def test_beyond_its_limit_a_cache_directory_loses_its_older_half(tmp_path):
    for number in range(6):
        entry = tmp_path / f"{number}.code"
        entry.write_bytes(b"x")
        os.utime(entry, ns=(number * 10**9, number * 10**9))
    (tmp_path / "other.tmp").write_bytes(b"x")
    cache.prune(str(tmp_path), ".code", 6)
    assert len(list(tmp_path.iterdir())) == 7
    cache.prune(str(tmp_path), ".code", 5)
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["3.code", "4.code", "5.code", "other.tmp"]


def test_a_source_edited_while_the_search_ran_is_not_kept(tmp_path, one_source):
    builder, _ = one_source
    sources, search = builder.sources, builder.recursive_finder

    def edited_meanwhile(*args):
        metadata = search(*args)
        (sources / "basic.py").write_text("BASIC = 2\n")  # after the search read it, before the entry is written
        return metadata

    builder.recursive_finder = edited_meanwhile
    finder = cache.make_recursive_finder(builder, str(tmp_path / "cache"))
    build(builder, finder, tmp_path, "one.zip")
    assert not (tmp_path / "cache" / cache.PAYLOADS).exists()
    builder.recursive_finder = search
    finder = cache.make_recursive_finder(builder, str(tmp_path / "cache"))
    assert build(builder, finder, tmp_path, "two.zip")[0]["ansible/module_utils/basic.py"] == b"BASIC = 2\n"
    assert builder.searches == 2


def test_the_same_relative_search_path_in_another_checkout_is_another_entry(tmp_path, monkeypatch):
    """ansible.cfg's collections_path is ./playbooks/collections: relative to the checkout a run starts in."""
    for checkout, value in (("one", 1), ("two", 2)):
        (tmp_path / checkout / "utils").mkdir(parents=True)
        (tmp_path / checkout / "utils" / "basic.py").write_text(f"BASIC = {value}\n")
    found = {}
    for checkout in ("one", "two"):
        monkeypatch.chdir(tmp_path / checkout)
        builder = Builder(Path("utils").resolve())
        builder.module_utils_loader = type("Loader", (), {"_get_paths": staticmethod(lambda subdirs: ["utils"])})
        finder = cache.make_recursive_finder(builder, str(tmp_path / "cache"))
        found[checkout] = build(builder, finder, tmp_path, f"{checkout}.zip")[0]["ansible/module_utils/basic.py"]
        assert builder.searches == 1
    assert found == {"one": b"BASIC = 1\n", "two": b"BASIC = 2\n"}


def test_the_controllers_templates_are_kept_by_the_first_run_and_used_by_the_next(tmp_path):
    """make venv installed the patch of ansible-core's Jinja environment: a real run keeps its compiled template, and
    the next run renders the same from it, writing nothing."""
    env = dict(os.environ, ATELIER_ANSIBALLZ_CACHE=str(tmp_path / "cache"))
    env["ANSIBLE_CONFIG"] = str(REPO_ROOT / "ansible.cfg")
    command = [str(Path(sys.executable).parent / "ansible"), "localhost", "-c", "local", "-m", "ansible.builtin.debug",
               "-a", "msg={{ 6 * 7 }}", "-e", f"ansible_python_interpreter={sys.executable}"]
    stamps = []
    for _ in range(2):
        run = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert run.returncode == 0 and "msg: 42" in run.stdout, run.stdout + run.stderr
        kept = (tmp_path / "cache" / cache.TEMPLATES).iterdir()
        stamps.append({entry.name: entry.stat().st_mtime_ns for entry in kept})
    assert stamps[0] and stamps[1] == stamps[0]


@pytest.fixture
def plugin_lookups(monkeypatch):
    """ansible-core's filter and test look-up, counted; make(directory) patches it as a new process would."""
    from ansible._internal._templating import _jinja_plugins

    original = getattr(_jinja_plugins.JinjaPluginIntercept.__getitem__, "wrapped", _jinja_plugins.JinjaPluginIntercept.__getitem__)
    asked = []

    def counted(self, key):
        asked.append(key)
        return original(self, key)

    def make(directory):
        getitem = cache.make_plugin_getitem(counted, str(directory))
        monkeypatch.setattr(_jinja_plugins.JinjaPluginIntercept, "__getitem__", getitem)
        return getitem

    return make, asked


def test_a_fully_qualified_filter_is_found_once_per_process_and_a_short_name_each_time(tmp_path, plugin_lookups):
    """Every new environment asks for its filters again; the plugin loader is asked once per process for a fully
    qualified name (and the function found is the same), each time for a short one, and never keeps a name not
    found."""
    from ansible._internal._templating._errors import AnsibleTemplatePluginNotFoundError
    from ansible._internal._templating._jinja_bits import AnsibleEnvironment

    make, asked = plugin_lookups
    make(tmp_path)
    first, second = AnsibleEnvironment(), AnsibleEnvironment()
    found = [env.filters["ansible.builtin.to_json"] for env in (first, second, first)]
    assert found[0] is found[1] is found[2]
    assert asked == ["ansible.builtin.to_json"]
    for env in (first, second):
        assert env.filters["to_json"]
    assert asked == ["ansible.builtin.to_json", "to_json", "to_json"]
    for env in (first, second):
        with pytest.raises(AnsibleTemplatePluginNotFoundError):
            env.filters["atelier.infra.no_such_filter"]  # pylint: disable=pointless-statement
    assert asked.count("atelier.infra.no_such_filter") == 2
    # Tests are kept apart from filters.
    assert second.tests["ansible.builtin.truthy"](1) is True
    assert (tmp_path / cache.PLUGINS).read_text(encoding="utf-8") == "filter ansible.builtin.to_json\ntest ansible.builtin.truthy\n"


def test_the_names_a_worker_found_are_found_before_the_next_run_forks(tmp_path, plugin_lookups):
    """What one run's workers found is noted; the next run's controller finds it before its workers fork (warm), so
    that a worker's environment asks the loader for none of it. A name no longer found is left out of the note."""
    from ansible._internal._templating._jinja_bits import AnsibleEnvironment

    make, asked = plugin_lookups
    for _ in range(2):  # two workers of one run note the same name
        make(tmp_path)
        assert AnsibleEnvironment().filters["ansible.builtin.to_yaml"]
    with open(tmp_path / cache.PLUGINS, "a", encoding="utf-8") as noted:
        noted.write("filter atelier.infra.no_such_filter\n")
    warm = make(tmp_path).warm  # the next run's controller
    asked.clear()
    warm(AnsibleEnvironment())
    assert sorted(asked) == ["ansible.builtin.to_yaml", "atelier.infra.no_such_filter"]
    asked.clear()
    assert AnsibleEnvironment().filters["ansible.builtin.to_yaml"] and asked == []
    # Noted once, and without the name not found.
    assert (tmp_path / cache.PLUGINS).read_text(encoding="utf-8") == "filter ansible.builtin.to_yaml\n"


def test_the_controller_finds_the_noted_names_once_before_its_first_play(monkeypatch):
    from ansible._internal._templating import _jinja_plugins

    warmed, plays = [], []
    getitem = _jinja_plugins.JinjaPluginIntercept.__getitem__
    monkeypatch.setattr(_jinja_plugins.JinjaPluginIntercept, "__getitem__", lambda self, key: getitem(self, key))
    _jinja_plugins.JinjaPluginIntercept.__getitem__.warm = warmed.append
    run = cache.make_queue_run(lambda self, play: plays.append(play) or len(plays))
    assert [run(None, "first"), run(None, "second")] == [1, 2]
    assert len(warmed) == 1 and plays == ["first", "second"]


def test_a_file_a_caller_may_change_is_parsed_again_for_each_and_shared_vars_are_kept(tmp_path, monkeypatch):
    from ansible.parsing.dataloader import DataLoader

    parsed = []
    # ansible-core's own method, not the patch the virtualenv's interpreter put on it at start-up.
    original = getattr(DataLoader.load_from_file, "wrapped", DataLoader.load_from_file)

    def counted(self, file_name, *args):
        parsed.append(args)
        return original(self, file_name, *args)

    monkeypatch.setattr(DataLoader, "load_from_file", cache.make_load_from_file(counted))
    tasks = tmp_path / "main.yml"
    tasks.write_text("- name: one\n  ansible.builtin.debug: {msg: [1, 2]}\n", encoding="utf-8")
    loader = DataLoader()
    first = loader.load_from_file(str(tasks))
    first[0]["name"] = "changed by its caller"
    first[0]["ansible.builtin.debug"]["msg"].append(3)
    second = loader.load_from_file(str(tasks), trusted_as_template=True)
    # Each caller has the file's content as its own structure: what ansible-core's deep copy of its kept parse gave.
    assert second == [{"name": "one", "ansible.builtin.debug": {"msg": [1, 2]}}]
    assert parsed == [("none", True, False, False), ("none", True, False, True)]
    assert not loader._FILE_CACHE
    # Group and host variables share the kept parse, as before.
    group_vars = tmp_path / "all.yml"
    group_vars.write_text("x: 1\n", encoding="utf-8")
    shared = loader.load_from_file(str(group_vars), cache="all", unsafe=True)
    assert loader.load_from_file(str(group_vars), cache="all", unsafe=True) is shared == {"x": 1}


@pytest.fixture
def botocore_loader(tmp_path, monkeypatch):
    """botocore's JSONFileLoader with the kept parse, its original _load_file counting its calls."""
    from botocore import loaders

    calls = []
    # Not the patch the virtualenv's interpreter put on it at start-up (with the virtualenv's cache).
    original = getattr(loaders.JSONFileLoader._load_file, "wrapped", loaders.JSONFileLoader._load_file)

    def counted(self, full_path, open_method):
        calls.append(full_path)
        return original(self, full_path, open_method)

    monkeypatch.setattr(loaders.JSONFileLoader, "_load_file", cache.make_load_file(counted, str(tmp_path / "cache")))
    (tmp_path / "data").mkdir()
    return loaders.JSONFileLoader(), calls, tmp_path / "data"


def test_a_botocore_data_file_is_parsed_once_and_the_kept_objects_are_the_same(tmp_path, botocore_loader):
    from collections import OrderedDict

    loader, calls, data = botocore_loader
    (data / "service-2.json").write_text('{"b": {"y": 1, "x": [2, {"k": null}]}, "a": true}', encoding="utf-8")
    first = loader.load_file(str(data / "service-2"))
    second = loader.load_file(str(data / "service-2"))
    assert calls == [str(data / "service-2.json")]
    assert first == second == {"b": {"y": 1, "x": [2, {"k": None}]}, "a": True}
    # botocore's own objects, in the file's order: an OrderedDict for every JSON object.
    assert isinstance(second, OrderedDict) and isinstance(second["b"], OrderedDict) and list(second) == ["b", "a"]
    assert first is not second
    assert len(list((tmp_path / "cache" / cache.BOTOCORE).iterdir())) == 1


def test_a_changed_botocore_file_is_parsed_again_and_a_missing_one_is_botocores_none(tmp_path, botocore_loader):
    loader, calls, data = botocore_loader
    endpoints = data / "endpoints.json"
    endpoints.write_text('{"version": 1}', encoding="utf-8")
    assert loader.load_file(str(data / "endpoints")) == {"version": 1}
    endpoints.write_text('{"version": 22}', encoding="utf-8")
    os.utime(endpoints, ns=(endpoints.stat().st_atime_ns, endpoints.stat().st_mtime_ns + 10**9))
    assert loader.load_file(str(data / "endpoints")) == {"version": 22}
    assert loader.load_file(str(data / "endpoints")) == {"version": 22}
    assert calls == [str(endpoints), str(endpoints)]
    assert loader.load_file(str(data / "absent")) is None
    assert not any("absent" in entry.name for entry in (tmp_path / "cache" / cache.BOTOCORE).iterdir())


def test_make_venv_installed_the_botocore_patch_and_a_client_fills_then_uses_it(tmp_path):
    """The virtualenv's interpreter (the modules' interpreter) patches botocore's loader on import: a first client
    keeps its service model and endpoint data, a second process uses them and writes nothing."""
    env = dict(os.environ, ATELIER_ANSIBALLZ_CACHE=str(tmp_path / "cache"))
    code = ("import boto3, botocore.loaders as loaders; assert loaders.JSONFileLoader._load_file.wrapped; "
            "print(boto3.session.Session().client('elbv2', region_name='eu-west-1').meta.service_model.api_version)")
    stamps = []
    for _ in range(2):
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False)
        assert run.returncode == 0 and run.stdout.strip() == "2015-12-01", run.stdout + run.stderr
        stamps.append({entry.name: entry.stat().st_mtime_ns for entry in (tmp_path / "cache" / cache.BOTOCORE).iterdir()})
    assert len(stamps[0]) >= 2 and stamps[1] == stamps[0]
