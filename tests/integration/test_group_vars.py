"""The architecture defaults (inventories/shared) and each environment's values reach every way users run it.

Each inventory links the shared files into its group_vars/all, and keeps its own values in group_vars/atelier.yml:
a child group outranks all both on the command line and in AWX, which imports an inventory's variables as group
variables of a generated inventory script (a playbook's group_vars/all would outrank those, so there is none).

`--tags nothing` runs only what is tagged always (the roles' argument validation and the summary), so no AWS
endpoint is reached. The argument specs require atelier_stack and atelier_tiers, which only the shared files
define, and the summary prints values from both the shared files and the environment.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from emulator.harness import BIN, awx_inventory_script

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT / "inventories" / "shared"
ENVIRONMENTS = sorted(p.parent.name for p in (REPO_ROOT / "inventories").glob("*/hosts.yml"))


def run(playbook, env, inventory=REPO_ROOT / "inventories/local", *args):
    return subprocess.run(
        [str(BIN / "ansible-playbook"), str(playbook), "-i", str(inventory), "--tags", "nothing", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize("playbook", ["site.yml", "playbooks/network.yml", "playbooks/teardown.yml"])
def test_shared_defaults_are_loaded(playbook, offline_env):
    result = run(playbook, offline_env)
    assert result.returncode == 0, result.stdout
    # Argument validation of both roles ran and passed: it needs atelier_stack / atelier_tiers from the shared files.
    assert "Validating arguments against arg spec 'main' - VPC" in result.stdout


def test_the_environment_overrides_the_shared_defaults(offline_env):
    # atelier_aws is {} in the shared main.yml and has the emulator's endpoint in inventories/local:
    # the summary shows the environment won, and atelier_stack comes from the shared file.
    result = run("site.yml", offline_env)
    assert result.returncode == 0, result.stdout
    port = offline_env["ATELIER_EMULATOR_PORT"]
    assert f"Stack atelier (local) in us-east-1 via http://127.0.0.1:{port}" in result.stdout


def test_an_inventory_imported_the_way_awx_does_keeps_the_same_precedence(offline_env, tmp_path):
    # AWX syncs inventories/<env> with `ansible-inventory --list --export` and hands jobs a script printing it.
    script = awx_inventory_script("inventories/local", tmp_path, offline_env)
    assert json.loads((tmp_path / "inventory.json").read_text(encoding="utf-8"))["atelier"]["vars"]["atelier_env"] == "local"
    result = run("site.yml", offline_env, script)
    assert result.returncode == 0, result.stdout
    assert f"via http://127.0.0.1:{offline_env['ATELIER_EMULATOR_PORT']}" in result.stdout


def test_an_inventory_without_the_shared_files_misses_them(offline_env, tmp_path):
    # The negative control: the local inventory's hosts and environment values, without the shared links,
    # fails validation, so the tests above would notice if the links went missing.
    (tmp_path / "group_vars").mkdir()
    shutil.copy(REPO_ROOT / "inventories/local/hosts.yml", tmp_path / "hosts.yml")
    shutil.copy(REPO_ROOT / "inventories/local/group_vars/atelier.yml", tmp_path / "group_vars" / "atelier.yml")
    result = run("playbooks/network.yml", offline_env, tmp_path)
    assert result.returncode != 0
    assert "atelier_stack" in result.stdout or "atelier_tiers" in result.stdout


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_inventory_links_every_shared_file(environment):
    # ansible-test forbids directory symlinks, so each inventory links each file; a new shared file needs its links.
    assert {"local", "dev", "prod"} <= set(ENVIRONMENTS)
    for path in SHARED.glob("*.yml"):
        link = REPO_ROOT / "inventories" / environment / "group_vars" / "all" / path.name
        assert link.is_symlink() and link.resolve() == path.resolve(), f"{link} must link to {path}"
        assert not os.path.isabs(os.readlink(link)), f"{link} must be a relative link (AWX checks the project out elsewhere)"


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_real_accounts_use_their_profile_on_a_workstation(environment, offline_env):
    # Without keys in the environment the inventory names its profile. With keys (an AWX job) it names none:
    # tests/test_awx_config.py::test_jobs_with_a_credential_use_its_keys_not_a_profile checks that side.
    result = subprocess.run(
        [str(BIN / "ansible"), "control", "-i", f"inventories/{environment}", "-m", "ansible.builtin.debug",
         "-a", "var=atelier_aws", "-o"],
        cwd=REPO_ROOT, env=offline_env, capture_output=True, text=True, check=True, timeout=120,
    )
    assert json.loads(result.stdout.split("=>", 1)[1])["atelier_aws"] == {"profile": f"atelier-{environment}"}
