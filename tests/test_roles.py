"""Every role documents each input: defaults/main.yml and meta/argument_specs.yml name the same role variables."""

from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
ROLES = sorted(p for p in (REPO_ROOT / "roles").iterdir() if p.is_dir())
# Collection-wide variables (inventories/shared, the environment): a role's spec may require them, its defaults don't set them.
SHARED_PREFIX = "atelier_"


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@pytest.mark.parametrize("role", ROLES, ids=[r.name for r in ROLES])
def test_defaults_and_argument_specs_name_the_same_inputs(role):
    defaults = set(load(role / "defaults" / "main.yml"))
    spec = load(role / "meta" / "argument_specs.yml")["argument_specs"]["main"]["options"]
    own = {name for name in spec if not name.startswith(SHARED_PREFIX)}
    assert defaults == own, f"only in defaults: {defaults - own}; only in the spec: {own - defaults}"
    for name in spec:
        assert name.startswith((role.name + "_", SHARED_PREFIX)), f"{name} is not prefixed with {role.name}_"
        assert spec[name].get("description"), f"{name} has no description"


@pytest.mark.parametrize("role", ROLES, ids=[r.name for r in ROLES])
def test_spec_defaults_match_the_defaults_file(role):
    defaults = load(role / "defaults" / "main.yml")
    spec = load(role / "meta" / "argument_specs.yml")["argument_specs"]["main"]["options"]
    for name, option in spec.items():
        if "default" in option:
            assert defaults[name] == option["default"], name


@pytest.mark.parametrize("role", ROLES, ids=[r.name for r in ROLES])
def test_role_readme_lists_every_input(role):
    readme = (role / "README.md").read_text(encoding="utf-8")
    for name in load(role / "defaults" / "main.yml"):
        assert f"`{name}`" in readme, f"{role.name}/README.md does not explain {name}"
