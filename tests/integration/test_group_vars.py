"""The architecture defaults in group_vars/ are loaded for every way users run the collection.

`--tags nothing` runs only what is tagged always (the roles' argument validation and the summary), so no AWS
endpoint is reached. The argument specs require atelier_stack and atelier_tiers, which only group_vars/all
defines, and the summary prints values from both group_vars/all and the inventory.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / "ansible-playbook")


def run(playbook, env, cwd=REPO_ROOT, *args):
    return subprocess.run(
        [ANSIBLE_PLAYBOOK, str(playbook), "-i", str(REPO_ROOT / "inventories/local"), "--tags", "nothing", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize("playbook", ["site.yml", "playbooks/network.yml"])
def test_root_group_vars_are_loaded(playbook, offline_env):
    result = run(playbook, offline_env)
    assert result.returncode == 0, result.stdout
    # Argument validation of both roles ran and passed: it needs atelier_stack / atelier_tiers from group_vars/all.
    assert "Validating arguments against arg spec 'main' - VPC" in result.stdout
    assert "Validating arguments against arg spec 'main' - Chained security groups" in result.stdout


def test_inventory_overrides_group_vars_all(offline_env):
    # atelier_aws is {} in group_vars/all and has the emulator's endpoint in inventories/local:
    # the summary shows the inventory won, and atelier_stack comes from group_vars/all.
    result = run("site.yml", offline_env)
    assert result.returncode == 0, result.stdout
    port = offline_env["ATELIER_EMULATOR_PORT"]
    assert f"Stack atelier (local) in us-east-1 via http://127.0.0.1:{port}" in result.stdout


def test_a_layer_outside_the_layout_misses_them(offline_env, tmp_path):
    # The negative control: the same layer playbook copied where no group_vars/ sits beside it fails validation,
    # so the tests above would notice if the link in playbooks/ went missing.
    shutil.copy(REPO_ROOT / "playbooks/network.yml", tmp_path / "network.yml")
    result = run(tmp_path / "network.yml", offline_env, REPO_ROOT)
    assert result.returncode != 0
    assert "atelier_stack" in result.stdout or "atelier_tiers" in result.stdout


def test_every_shared_group_vars_file_is_linked_beside_the_layer_playbooks():
    # ansible-test forbids directory symlinks, so playbooks/group_vars/ links each file; a new file needs its link.
    shared = REPO_ROOT / "group_vars"
    for path in shared.rglob("*.yml"):
        link = REPO_ROOT / "playbooks" / "group_vars" / path.relative_to(shared)
        assert link.is_symlink() and link.resolve() == path.resolve(), f"{link} must link to {path}"
