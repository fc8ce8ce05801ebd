"""The stack contract has one source: what derives from the tier specification agrees with it.

Changing a tier key in plugins/module_utils/tier_spec.py is enough: these tests fail until the generated parts (roles'
argument specs, docs/tiers.md) are regenerated with tools/generate.py, and when the AWX survey limits or the inventories
disagree with it.
"""

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

REPO_ROOT = Path(__file__).resolve().parent.parent


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATE = _load("atelier_generate", REPO_ROOT / "tools" / "generate.py")
TIER_SPEC = GENERATE._tier_spec()
# Options named like tiers that hold something else (the VPC's subnet tiers).
NOT_TIERS = ("atelier_subnet_tiers", "vpc_tiers")
RUNTIME = REPO_ROOT / "meta" / "runtime.yml"
ARGUMENT_SPECS = sorted((REPO_ROOT / "roles").glob("*/meta/argument_specs.yml"))


def _options(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))["argument_specs"]["main"]["options"]


def _is_tier_option(name, option):
    return option.get("type") in ("dict", "list") and re.search(r"_tiers?$", name) and name not in NOT_TIERS


def test_generated_parts_are_up_to_date():
    stale = [str(path.relative_to(REPO_ROOT)) for path, content in GENERATE.expected_files().items()
             if path.read_text(encoding="utf-8") != content]
    assert stale == [], f"run .venv/bin/python tools/generate.py: {stale} differ from plugins/module_utils/tier_spec.py"


def test_the_generator_notices_a_change_of_the_specification(monkeypatch):
    """Proof that the check above can fail: a new key in SPEC makes every generated part stale."""
    spec = GENERATE._tier_spec()
    monkeypatch.setitem(spec.SPEC, "colour", spec._f("str", "A new key.", "blue"))
    changed = [path for path, content in GENERATE.expected_files().items() if path.read_text(encoding="utf-8") != content]
    assert REPO_ROOT / "docs" / "tiers.md" in changed
    assert set(changed) == set(GENERATE.expected_files()) - {RUNTIME}


def test_the_roles_and_playbooks_set_their_module_defaults_for_the_stack_group():
    """The one group they name, which holds the AWS modules they call (and no module without connection options)."""
    files = sorted(REPO_ROOT.glob("roles/*/tasks/*.yml")) + sorted(REPO_ROOT.glob("playbooks/*.yml"))
    text = "".join(path.read_text(encoding="utf-8") for path in files)
    groups = set(re.findall(r"^\s+(group/\S+):", text, re.M))
    assert groups == {"group/atelier.infra.stack"}
    stack = yaml.safe_load(RUNTIME.read_text(encoding="utf-8"))["action_groups"]["stack"]
    assert {"amazon.aws.ec2_vpc_net_info", "community.aws.sns_topic", "atelier.infra.vpc_network"} <= set(stack)
    assert "atelier.infra.lambda_package" not in stack


def test_a_module_a_role_starts_calling_makes_the_stack_group_stale(monkeypatch, tmp_path):
    """Proof that test_generated_parts_are_up_to_date fails when a role calls an AWS module the group lacks."""
    for path in [*REPO_ROOT.glob("roles/*/tasks/*.yml"), *REPO_ROOT.glob("playbooks/*.yml"), RUNTIME]:
        copy = tmp_path / path.relative_to(REPO_ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "roles" / "vpc" / "tasks" / "vpn.yml").write_text(
        "---\n- name: Converge the VPN\n  community.aws.ec2_vpc_vpn_info:\n    state: present\n"
        "- name: Package a function\n  atelier.infra.lambda_package:\n    src: x\n", encoding="utf-8")
    before = GENERATE.stack_group_yaml(4)
    monkeypatch.setattr(GENERATE, "REPO_ROOT", tmp_path)
    after = GENERATE.stack_group_yaml(4)
    assert set(after.splitlines()) - set(before.splitlines()) == {"    - community.aws.ec2_vpc_vpn_info"}


@pytest.mark.parametrize("path", ARGUMENT_SPECS, ids=[p.parent.parent.name for p in ARGUMENT_SPECS])
def test_every_tier_option_of_a_role_is_generated(path):
    text = path.read_text(encoding="utf-8")
    for name, option in _options(path).items():
        if not _is_tier_option(name, option):
            continue
        assert option.get("options") == TIER_SPEC.argument_spec(), f"{path}: {name} lacks the generated tier options"
        block = re.search(rf"^\s+{re.escape(name)}:\n(.*?)(?=^\s{{6}}\S)", text, re.M | re.S)
        assert block and GENERATE.SPEC_BEGIN in block.group(1), f"{path}: {name} has no {GENERATE.SPEC_BEGIN!r} marker"


def test_docs_list_every_key_and_its_default():
    doc = (REPO_ROOT / "docs" / "tiers.md").read_text(encoding="utf-8")
    for key, field in TIER_SPEC.SPEC.items():
        assert f"| `{key}` |" in doc, key
        separator = "[]." if field["type"] == "list" else "."
        for sub in field.get("options") or {}:
            assert f"| `{key}{separator}{sub}` |" in doc, f"{key}{separator}{sub}"
    for sub in TIER_SPEC.BEHAVIOR:
        assert f"| `{sub}` |" in doc, sub


def test_awx_survey_limits_are_those_of_the_specification():
    awx = yaml.safe_load((REPO_ROOT / "awx" / "vars" / "main.yml").read_text(encoding="utf-8"))
    fields = {f["key"]: f for f in awx["atelier_awx_survey_fields"]}
    assert set(fields) <= set(TIER_SPEC.OVERRIDABLE), set(fields) - set(TIER_SPEC.OVERRIDABLE)
    for key, question in fields.items():
        field = TIER_SPEC.OVERRIDES[key]
        if field["type"] == "int":
            assert (question["min"], question["max"]) == (field["min"], field["max"]), key
        else:
            assert (question["min"], question["max"]) == (field["min_length"], field["max_length"]), key


@pytest.mark.parametrize("inventory", sorted(p.parent.parent.name for p in (REPO_ROOT / "inventories").glob("*/group_vars/atelier.yml")))
def test_every_inventorys_tiers_meet_the_specification(inventory):
    shared = yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "main.yml").read_text(encoding="utf-8"))
    tiers = yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]
    own = yaml.safe_load((REPO_ROOT / "inventories" / inventory / "group_vars" / "atelier.yml").read_text(encoding="utf-8")) or {}
    tiers = own.get("atelier_tiers", tiers)
    subnet_tiers = own.get("atelier_subnet_tiers", shared["atelier_subnet_tiers"])
    validator = ArgumentSpecValidator({"atelier_tiers": {"type": "list", "elements": "dict", "options": TIER_SPEC.argument_spec()}})
    assert [str(e) for e in validator.validate({"atelier_tiers": tiers}).errors] == []
    assert TIER_SPEC.tier_errors(tiers, subnet_tiers) == []
