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


def _task(path, module):
    """The options of the one task of path that runs module (looked for in blocks too)."""
    def tasks(items):
        for item in items or []:
            yield item
            yield from tasks(item.get("block"))
    (found,) = [t[module] for t in tasks(load_list(path)) if module in t]
    return found


def load_list(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


# A role that reads a resource first compares it with the options the upstream module would get (a filter of the
# collection) and runs the module only when they differ. The task passes those options from the same variable, each
# under its own name, and none besides: an option given in the task only would never be compared, so a change of it
# would never reach AWS.
READ_FIRST = [
    ("asg_launch_template", "tasks/launch_template.yml", "amazon.aws.ec2_launch_template", "__asg_launch_template_options",
     {"template_name", "version_description", "default_version", "tags", "purge_tags"}),
    ("alb", "tasks/load_balancer.yml", "amazon.aws.elb_application_lb", "__alb_lb_settings",
     {"name", "scheme", "listeners", "purge_listeners", "purge_rules", "purge_tags", "wait", "wait_timeout", "state"}),
]


@pytest.mark.parametrize("role, tasks, module, variable, own", READ_FIRST, ids=[r[0] for r in READ_FIRST])
def test_a_read_first_module_gets_exactly_the_options_compared(role, tasks, module, variable, own):
    options = _task(REPO_ROOT / "roles" / role / tasks, module)
    compared = load(REPO_ROOT / "roles" / role / "vars" / "main.yml")[variable]
    passed = {key for key in options if key not in own}
    assert passed == set(compared) - {"name"}, f"only in the task: {passed - set(compared)}; never passed: {set(compared) - passed}"
    for key in passed:
        assert options[key] == "{{ %s.%s }}" % (variable, key), f"{key} is not passed as {variable}.{key}"
