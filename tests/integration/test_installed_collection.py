"""The collection as users get it from Galaxy: the built artifact holds no development file, installs, and its FQCN
playbook (atelier.infra.site) plans the local inventory against the emulator from the installed copy, outside this
checkout (no ansible.cfg, no playbook-adjacent link).
"""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from emulator import requestlog
from emulator.harness import REPO_ROOT

BIN = Path(sys.executable).parent
# What must never ship: development configuration, the emulator and its state, tests, tools, build output, caches.
NEVER_SHIPPED = (
    ".ansible-lint", "ansible.cfg", ".ci", ".config", ".gitignore", ".emulator", ".cache", ".venv", ".ansible", "build",
    "emulator", "tests", "tools", "bench", "extensions", "playbooks/collections", "Makefile", "constraints.txt",
    "requirements-dev.txt", "execution-environment.yml", "inventories", "awx",
)


@pytest.fixture(scope="module")
def artifact(tmp_path_factory):
    out = tmp_path_factory.mktemp("artifact")
    # State a development checkout may hold: it must stay out of the artifact.
    for leftover in (REPO_ROOT / ".emulator", REPO_ROOT / ".cache"):
        leftover.mkdir(exist_ok=True)
    build = subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(out), "--force"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (path,) = out.glob("atelier-infra-*.tar.gz")
    return path


def test_the_artifact_holds_the_collection_and_no_development_file(artifact):
    with tarfile.open(artifact) as tar:
        names = tar.getnames()
    for shipped in ("MANIFEST.json", "meta/runtime.yml", "playbooks/site.yml", "playbooks/teardown.yml", "roles/vpc/tasks/main.yml",
                    "plugins/modules/vpc_network.py", "plugins/module_utils/stack.py", "README.md"):
        assert shipped in names, shipped
    for never in NEVER_SHIPPED:
        assert not [n for n in names if n == never or n.startswith(never + "/")], never


def test_the_installed_collection_plans_from_its_fqcn_playbook(artifact, emulator, tmp_path):
    collections = tmp_path / "collections"
    # Outside the checkout: not its ansible.cfg (`make test` exports ANSIBLE_CONFIG, whose collections_path already
    # holds atelier.infra, and ansible-galaxy would then install nothing).
    outside = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    install = subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "install", str(artifact), "-p", str(collections), "--no-deps", "--force"],
        cwd=tmp_path, env=outside, capture_output=True, text=True, timeout=300, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    installed = collections / "ansible_collections" / "atelier" / "infra"
    assert (installed / "playbooks" / "site.yml").is_file()
    # amazon.aws and community.aws from the venv's ansible package (what requirements.yml installs from Galaxy).
    import ansible_collections.amazon.aws as amazon_aws  # pylint: disable=import-outside-toplevel

    dependencies = Path(list(amazon_aws.__path__)[0]).parents[1]
    env = {k: v for k, v in emulator.env.items() if k != "ANSIBLE_CONFIG"}
    env["ANSIBLE_COLLECTIONS_PATH"] = f"{collections}:{dependencies}"
    emulator.reset()
    offset = requestlog.current_offset(emulator.request_log)
    plan = subprocess.run(
        [str(BIN / "ansible-playbook"), "atelier.infra.site", "-i", str(REPO_ROOT / "inventories" / "local"), "--check", "-vvv"],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1800, check=False,
    )
    requests = requestlog.read_requests(emulator.request_log, since_offset=offset)
    assert plan.returncode == 0, plan.stdout[-20000:] + plan.stderr[-5000:]
    assert requests, "the plan made no AWS call at all"
    assert requestlog.mutating(requests) == []
    # The roles and modules came from the installed copy, not from this checkout.
    used = [line for line in plan.stdout.splitlines() if "Using module file" in line and "atelier/infra" in line]
    assert used and all(str(installed) in line for line in used), used[:5]
    assert json.loads((installed / "MANIFEST.json").read_text())["collection_info"]["name"] == "infra"
