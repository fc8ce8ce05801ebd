"""The execution environment definition builds a context that installs what the collection declares it needs.

`ansible-builder create` only writes the build context (Containerfile and _build/), so no container engine is needed.
"""

import re
import shutil
import subprocess
import sys
from importlib.metadata import metadata
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet

REPO_ROOT = Path(__file__).resolve().parent.parent
EE_FILE = REPO_ROOT / "execution-environment.yml"
BUILDER = Path(sys.executable).parent / "ansible-builder"


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def requirement_lines(path):
    """The requirement lines of a pip requirements file: no comments, no blank lines, no `-r` includes."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def pins(path):
    """name -> version for every `name==version` line of a requirements or constraints file."""
    found = {}
    for line in requirement_lines(path):
        name, sep, version = line.partition("==")
        if sep:
            found[re.sub(r"\[.*\]", "", name).strip().lower()] = version.strip()
    return found


def create(ee_file, context):
    return subprocess.run(
        [str(BUILDER), "create", "-f", str(ee_file), "--context", str(context), "--output-filename", "Containerfile"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    path = tmp_path_factory.mktemp("ee") / "context"
    result = create(EE_FILE, path)
    assert result.returncode == 0, result.stdout + result.stderr
    return path


@pytest.fixture(scope="module")
def containerfile(context):
    path = context / "Containerfile"
    assert path.is_file()
    return path.read_text(encoding="utf-8")


def build_args(containerfile):
    """The ARG defaults ansible-builder writes at the top of the Containerfile."""
    return dict(re.findall(r'^ARG (\w+)="([^"]*)"$', containerfile, re.M))


def test_containerfile_starts_from_the_declared_base_image(containerfile):
    first_from = re.search(r"^FROM (\S+)", containerfile, re.M).group(1)
    image = re.sub(r"^\$\{?(\w+)\}?$", lambda m: build_args(containerfile)[m.group(1)], first_from)
    assert image == load(EE_FILE)["images"]["base_image"]["name"]


def test_containerfile_installs_the_collections_and_the_python_requirements(containerfile):
    assert re.search(r"^RUN .*ansible-galaxy collection install .*-r requirements\.yml", containerfile, re.M)
    assert "COPY _build/requirements.txt requirements.txt" in containerfile
    # introspect gathers our requirements.txt and those of the installed collections, assemble installs them.
    assert re.search(
        r"^RUN \$PYCMD /output/scripts/introspect\.py introspect .*--user-pip=requirements\.txt", containerfile, re.M
    )
    assert re.search(r"^RUN /output/scripts/assemble$", containerfile, re.M)


def test_ee_collections_are_the_collection_dependencies_with_the_same_ranges(context):
    galaxy = load(REPO_ROOT / "galaxy.yml")
    collections = load(context / "_build" / "requirements.yml")["collections"]
    assert {c["name"]: c["version"] for c in collections} == galaxy["dependencies"]


def test_ee_python_requirements_include_every_line_of_requirements_txt(context):
    built = requirement_lines(context / "_build" / "requirements.txt")
    ours = requirement_lines(REPO_ROOT / "requirements.txt")
    assert {"boto3", "botocore"} <= {re.split(r"[<>=!~ ;\[]", line, maxsplit=1)[0] for line in ours}
    assert [line for line in ours if line not in built] == []


def test_ansible_core_and_runner_are_pinned_like_the_dev_environment(containerfile):
    constraints = pins(REPO_ROOT / "constraints.txt")
    dev = pins(REPO_ROOT / "requirements-dev.txt")
    assert dev["ansible-runner"] == constraints["ansible-runner"]
    expected = {"ansible-core": constraints["ansible-core"], "ansible-runner": constraints["ansible-runner"]}
    deps = load(EE_FILE)["dependencies"]
    assert deps["ansible_core"]["package_pip"] == f"ansible-core=={expected['ansible-core']}"
    assert deps["ansible_runner"]["package_pip"] == f"ansible-runner=={expected['ansible-runner']}"
    refs = build_args(containerfile)["ANSIBLE_INSTALL_REFS"].split()
    assert refs == [f"{name}=={version}" for name, version in expected.items()]


def test_ee_python_can_run_the_pinned_ansible_core(containerfile):
    interpreter = load(EE_FILE)["dependencies"]["python_interpreter"]
    assert build_args(containerfile)["PYCMD"] == interpreter["python_path"]
    assert build_args(containerfile)["PYPKG"] == interpreter["package_system"]
    version = re.fullmatch(r".*/python(\d+\.\d+)", interpreter["python_path"]).group(1)
    core = metadata("ansible-core")
    assert core["Version"] == pins(REPO_ROOT / "constraints.txt")["ansible-core"], "the venv is not the pinned one"
    assert version in SpecifierSet(core["Requires-Python"]), f"ansible-core needs Python {core['Requires-Python']}"


BREAKAGES = {
    "old_schema_version": "Additional properties are not allowed",  # version 3 keys in a version 1 definition
    "missing_requirements_file": "does not exist",  # the definition without the files it names beside it
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_builder_rejects_a_broken_definition(tmp_path, breakage):
    ee = load(EE_FILE)
    if breakage == "old_schema_version":
        ee["version"] = 1
        for name in ("requirements.yml", "requirements.txt"):
            shutil.copy(REPO_ROOT / name, tmp_path / name)
    ee_file = tmp_path / "execution-environment.yml"
    ee_file.write_text(yaml.safe_dump(ee), encoding="utf-8")
    result = create(ee_file, tmp_path / "context")
    assert result.returncode != 0, result.stdout
    assert BREAKAGES[breakage] in result.stdout + result.stderr
    assert not (tmp_path / "context" / "Containerfile").exists()
