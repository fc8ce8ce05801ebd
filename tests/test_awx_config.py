"""The AWX configuration as code (awx/): what awx/configure.yml sends to AWX agrees with the repository.

The configuration is data with Jinja in it (awx/vars/main.yml). Rather than re-implement that templating, the
tests run the real playbook in its export mode (``--tags export``: no awx.awx task runs, the job templates,
surveys and workflows exactly as the modules would receive them are written to a JSON file) and check the result
against the playbooks (playbook paths, tags), the tier filters (survey keys and limits), the teardown (its
confirmation) and the inventories.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.nativetypes
import pytest
import yaml

from ansible.module_utils.parsing.convert_bool import boolean

from tests.awx_export import export_awx_config

REPO_ROOT = Path(__file__).resolve().parent.parent
AWX_DIR = REPO_ROOT / "awx"
# The Atelier stack's environments: every template, the tier overrides survey, the layer workflow.
ENVIRONMENTS = ("local", "dev", "prod")
TEMPLATE_KEYS = {"deploy", "plan", "destroy", "network", "data", "tiers", "edge", "monitoring"}
# The Node.js app on Fargate's (inventories/node-app-*): deploy, plan and destroy, the survey of its app tier, and in prod
# a workflow that is an approval, then the deploy.
NODE_APP_ENVIRONMENTS = ("node-app-dev", "node-app-prod")
NODE_APP_TEMPLATE_KEYS = {"deploy", "plan", "destroy"}
# Cruddur's (inventories/cruddur, on the emulator): deploy, plan and destroy with the tier overrides survey, no workflow.
CRUDDUR_ENVIRONMENTS = ("cruddur",)
NODE_APP_SHARED = REPO_ROOT / "inventories" / "node-app-shared" / "node_app.yml"
# The survey's variables, and the tier specification's override each stands for (its limits are that key's).
NODE_APP_QUESTIONS = {
    "node_app_image_tag": "image_tag",
    "node_app_min_tasks": "min_size",
    "node_app_desired_tasks": "desired_capacity",
    "node_app_max_tasks": "max_size",
}
LAYER_TAGS = {
    "network": {"logging", "vpc", "security_groups", "bastion"},
    "data": {"dynamodb_global", "rds_postgres", "container_registry", "stores", "backup", "cognito", "lambda_function",
             "websocket_api"},
    "tiers": {"orphans", "alb", "asg_launch_template", "fargate"},
    "edge": {"cloudfront", "static_site", "dns", "asg_launch_template", "fargate", "cicd"},
    "monitoring": {"monitoring"},
}
WORKFLOW_LAYERS = ["network", "data", "tiers", "edge", "monitoring"]
# Templates that take the tier overrides survey (edge too: it re-renders the launch templates, so it must apply
# the same overrides as the tiers layer or it would put the inventory's tier values back).
TIER_SURVEY_KEYS = {"deploy", "plan", "tiers", "edge"}
CAPACITY = ("min_size", "desired_capacity", "max_size")


def _load_yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def shared_var(name):
    """A variable of the architecture defaults every environment shares (inventories/shared, linked into each
    inventory's group_vars/all)."""
    for path in sorted((REPO_ROOT / "inventories" / "shared").glob("*.yml")):
        data = _load_yaml(path) or {}
        if name in data:
            return data[name]
    raise AssertionError(f"no file of inventories/shared defines {name}")


def _tiers_module():
    """plugins/filter/tiers.py, imported the way the unit tests do (through the link in playbooks/collections)."""
    for root in (REPO_ROOT / "playbooks" / "collections",):
        if (root / "ansible_collections" / "atelier" / "infra").is_dir():
            break
    else:
        raise AssertionError("no playbooks/collections/ansible_collections/atelier/infra link to import the tier filters from")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    namespace = sys.modules.get("ansible_collections")
    if namespace is not None and str(root / "ansible_collections") not in list(namespace.__path__):
        namespace.__path__.append(str(root / "ansible_collections"))
    from ansible_collections.atelier.infra.plugins.filter import tiers  # pylint: disable=import-outside-toplevel

    return tiers


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """What awx/configure.yml would send to AWX, from the playbook's own templating (--tags export)."""
    return export_awx_config(tmp_path_factory.mktemp("awx") / "awx_config.json")


@pytest.fixture(scope="module")
def templates(export):
    return {t["name"]: t for t in export["job_templates"]}


@pytest.fixture(scope="module")
def shared_tiers():
    return shared_var("atelier_tiers")


@pytest.fixture(scope="module")
def subnet_tiers():
    return shared_var("atelier_subnet_tiers")


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    return list(value)


def _task_tags(tasks):
    tags = set()
    for task in tasks or []:
        tags.update(_as_list(task.get("tags")))
        for section in ("block", "rescue", "always"):
            tags |= _task_tags(task.get(section))
    return tags


def declared_tags(playbook, seen=None):
    """Every tag a playbook declares on a play, a role or a task, following import_playbook."""
    seen = set() if seen is None else seen
    if playbook in seen:
        return set()
    seen.add(playbook)
    tags = set()
    for play in _load_yaml(playbook) or []:
        imported = play.get("ansible.builtin.import_playbook") or play.get("import_playbook")
        tags.update(_as_list(play.get("tags")))
        if imported:
            tags |= declared_tags((playbook.parent / imported).resolve(), seen)
            continue
        for role in play.get("roles") or []:
            if isinstance(role, dict):
                tags.update(_as_list(role.get("tags")))
        for section in ("pre_tasks", "tasks", "post_tasks", "handlers"):
            tags |= _task_tags(play.get(section))
    return tags


def jinja_names(value):
    """The variables the Jinja strings inside value (a dict, list or string) refer to."""
    names = set()
    if isinstance(value, dict):
        for item in value.values():
            names |= jinja_names(item)
    elif isinstance(value, list):
        for item in value:
            names |= jinja_names(item)
    elif isinstance(value, str) and ("{{" in value or "{%" in value):
        names |= jinja2.meta.find_undeclared_variables(jinja2.Environment().parse(value))
    return names


def render(value, answers):
    """value's Jinja strings rendered with the survey answers, native types as Ansible renders them."""
    if isinstance(value, dict):
        return {k: render(v, answers) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, answers) for v in value]
    if isinstance(value, str) and "{{" in value:
        return jinja2.nativetypes.NativeEnvironment().from_string(value).render(**answers)
    return value


def survey_variables(spec):
    return {q["variable"] for q in (spec or {}).get("spec", [])}


def tier_questions(export):
    """The integer and text questions of the tier survey, as (variable, question)."""
    spec = next(t for t in export["job_templates"] if t["key"] == "tiers")["survey_spec"]
    return [(q["variable"], q) for q in spec["spec"]]


# --- the inventory of what gets created --------------------------------------------------------------------------


def test_every_environment_gets_every_template_a_workflow_and_an_inventory(export, templates):
    for env in ENVIRONMENTS:
        assert {t["key"] for t in templates.values() if t["environment"] == env} == TEMPLATE_KEYS
        for key in TEMPLATE_KEYS:
            assert f"atelier {env} {key}" in templates
    for env in NODE_APP_ENVIRONMENTS + CRUDDUR_ENVIRONMENTS:
        assert {t["key"] for t in templates.values() if t["environment"] == env} == NODE_APP_TEMPLATE_KEYS
    assert [w["name"] for w in export["workflow_job_templates"]] == [
        f"atelier {env} workflow" for env in ENVIRONMENTS + ("node-app-prod",)
    ]
    inventories = {i["environment"]: i for i in export["inventories"]}
    assert set(inventories) == set(ENVIRONMENTS + NODE_APP_ENVIRONMENTS + CRUDDUR_ENVIRONMENTS)
    for env, inventory in inventories.items():
        assert inventory["source_path"] == f"inventories/{env}"
        assert (REPO_ROOT / inventory["source_path"] / "hosts.yml").is_file()
    assert export["execution_environment"] == {"name": "atelier-infra-ee", "image": "quay.io/atelier/atelier-infra-ee:latest"}
    assert export["organization"] == "Atelier"


def _emulator_inventory(env):
    """Whether inventories/<env> names an endpoint (the local emulator) in the variables of its groups."""
    group_vars = REPO_ROOT / "inventories" / env / "group_vars"
    files = [p for p in group_vars.glob("*.yml")]
    return any("endpoint_url" in ((_load_yaml(p) or {}).get("atelier_aws") or {}) for p in files)


def test_each_template_runs_in_its_environment(templates):
    emulated = {env for env in ENVIRONMENTS + NODE_APP_ENVIRONMENTS + CRUDDUR_ENVIRONMENTS if _emulator_inventory(env)}
    assert emulated == {"local", *NODE_APP_ENVIRONMENTS, *CRUDDUR_ENVIRONMENTS}
    for template in templates.values():
        env = template["environment"]
        assert template["inventory"] == f"atelier {env}"
        assert template["verbosity"] == 0
        if env in emulated:
            # The emulator's endpoint and dummy keys are in the inventory: no AWS credential.
            assert template["credentials"] == []
        else:
            assert template["credentials"] == [f"atelier {env} aws"], "prod and dev never share a credential"


def test_prod_keys_never_fall_back_to_the_callers_aws_variables(export):
    credentials = {c["environment"]: c for c in export["credentials"]}
    assert set(credentials) == {"dev", "prod"}
    for credential in credentials.values():
        assert credential["credential_type"] == "Amazon Web Services"
    for key in ("access_key", "secret_key", "session_token"):
        names = [source[key] for source in credentials["prod"]["key_sources"]]
        assert names and all(name.startswith("ATELIER_AWX_PROD_") for name in names), names
        assert credentials["dev"]["key_sources"][0][key].startswith("ATELIER_AWX_DEV_")


def test_jobs_with_a_credential_use_its_keys_not_a_profile(templates, tmp_path):
    # AWX's "Amazon Web Services" credential injects AWS_ACCESS_KEY_ID...; amazon.aws refuses a profile together
    # with keys, and an execution environment has no profile. What a job's modules get as atelier_aws, from the
    # environment's inventory and the template's extra_vars, with the credential's variables set:
    playbook = tmp_path / "atelier_aws.yml"
    playbook.write_text(
        "- name: Show atelier_aws\n  hosts: atelier\n  gather_facts: false\n  tasks:\n"
        "    - name: Write it\n      ansible.builtin.copy:\n"
        "        content: \"{{ atelier_aws | to_json }}\"\n        dest: \"{{ out }}\"\n        mode: '0600'\n",
        encoding="utf-8",
    )
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO_ROOT / "ansible.cfg"))
    env.update(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY="not-a-real-key")
    checked = 0
    for name in ("dev", "prod"):
        template = templates[f"atelier {name} deploy"]
        assert template["credentials"]
        extra = tmp_path / f"{name}.json"
        extra.write_text(json.dumps(template["extra_vars"]), encoding="utf-8")
        out = tmp_path / f"{name}.out.json"
        command = [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "-i", f"inventories/{name}",
                   "-e", f"@{extra}", "-e", f"out={out}"]
        result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        atelier_aws = json.loads(out.read_text(encoding="utf-8"))
        assert not atelier_aws.get("profile"), f"{name}: a job would pass profile {atelier_aws['profile']!r} with the keys"
        assert not {"access_key", "secret_key"} & set(atelier_aws), f"{name}: keys in the inventory"
        checked += 1
    assert checked == 2


# --- playbooks and tags ------------------------------------------------------------------------------------------


def test_templates_run_existing_playbooks_with_declared_tags(templates):
    for template in templates.values():
        playbook = REPO_ROOT / template["playbook"]
        assert playbook.is_file(), f"{template['name']}: no playbook {template['playbook']}"
        tags = set(_as_list(template["job_tags"]))
        assert tags <= declared_tags(playbook.resolve()), f"{template['name']}: {tags - declared_tags(playbook.resolve())}"
        assert _as_list(template["skip_tags"]) == []


def test_deploy_plan_and_destroy_run_whole_playbooks_and_layers_their_tags(templates):
    for env in ENVIRONMENTS + NODE_APP_ENVIRONMENTS:
        # Beside playbooks/collections, the link by which a job finds atelier.infra (docs/awx.md).
        assert templates[f"atelier {env} deploy"]["playbook"] == "playbooks/site.yml"
        assert templates[f"atelier {env} plan"]["playbook"] == "playbooks/site.yml"
        assert templates[f"atelier {env} destroy"]["playbook"] == "playbooks/teardown.yml"
        for key in ("deploy", "plan", "destroy"):
            assert templates[f"atelier {env} {key}"]["job_tags"] == ""
        if env in NODE_APP_ENVIRONMENTS:
            continue
        for layer, tags in LAYER_TAGS.items():
            template = templates[f"atelier {env} {layer}"]
            assert template["playbook"] == "playbooks/site.yml"
            assert set(_as_list(template["job_tags"])) == tags


def test_the_layers_together_converge_every_role_of_site_yml(templates):
    every_tag = declared_tags((REPO_ROOT / "playbooks" / "site.yml").resolve()) - {"always", "never"}
    layered = set().union(*(set(_as_list(templates[f"atelier dev {layer}"]["job_tags"])) for layer in LAYER_TAGS))
    assert every_tag <= layered, f"the workflow would never run {every_tag - layered}"


def test_plan_is_check_mode_with_diff_and_the_rest_run(templates):
    for template in templates.values():
        if template["key"] == "plan":
            assert (template["job_type"], template["diff_mode"]) == ("check", True)
        else:
            assert (template["job_type"], template["diff_mode"]) == ("run", False)


def test_nothing_is_prompted_on_launch(export, templates):
    for item in list(templates.values()) + export["workflow_job_templates"]:
        asks = {k: v for k, v in item.items() if k.startswith("ask_")}
        assert asks.get("ask_variables_on_launch") is False, item["name"]
        assert not any(asks.values()), f"{item['name']} prompts for {[k for k, v in asks.items() if v]}"


# --- surveys and the tier overrides ------------------------------------------------------------------------------


def test_surveys_are_on_the_templates_that_change_tiers(templates):
    for template in templates.values():
        variables = survey_variables(template["survey_spec"])
        if template["key"] in TIER_SURVEY_KEYS:
            assert template["survey_enabled"] and variables, template["name"]
        elif template["key"] == "destroy":
            assert variables == {"atelier_teardown_delete_data"}
        else:
            assert not template["survey_enabled"] and not variables, template["name"]


def test_survey_questions_per_tier_and_field(export, shared_tiers):
    questions = dict(tier_questions(export))
    tiers = {t["name"] for t in shared_tiers}
    for tier in ("frontend", "backend"):
        assert tier in tiers
        for key in CAPACITY:
            q = questions[f"{tier}_{key}"]
            assert (q["type"], q["required"], q["default"]) == ("integer", False, "")
            assert (q["min"], q["max"]) == ((1 if key == "max_size" else 0), 10000)
        q = questions[f"{tier}_image_tag"]
        assert (q["type"], q["required"], q["default"], q["min"], q["max"]) == ("text", False, "", 1, 128)
    assert len(questions) == 8


def test_every_survey_answer_lands_in_atelier_tier_overrides(templates, shared_tiers):
    tiers = _tiers_module()
    overridable = tiers.OVERRIDABLE
    names = {t["name"] for t in shared_tiers}
    for template in templates.values():
        if template["key"] not in TIER_SURVEY_KEYS or template["environment"] not in ENVIRONMENTS:
            continue
        overrides = template["extra_vars"]["atelier_tier_overrides"]
        assert set(overrides) <= names, f"{template['name']}: no such tier {set(overrides) - names}"
        used = set()
        for tier, keys in overrides.items():
            for key, value in keys.items():
                # Exactly the answer to "<tier>_<key>", empty when unanswered.
                assert value == "{{ " + f"{tier}_{key}" + " | default('') }}", (template["name"], tier, key, value)
                used.add(f"{tier}_{key}")
                assert key in overridable, f"{template['name']}: the filter does not accept {key}"
        assert survey_variables(template["survey_spec"]) == used, template["name"]


def test_extra_vars_only_refer_to_survey_answers(export, templates):
    for template in templates.values():
        referenced = jinja_names(template["extra_vars"])
        assert referenced <= survey_variables(template["survey_spec"]), f"{template['name']}: {referenced}"
    for workflow in export["workflow_job_templates"]:
        assert jinja_names(workflow["extra_vars"]) == set()


def test_unanswered_questions_change_nothing_and_answers_do(templates, shared_tiers):
    tiers = _tiers_module()
    mapping = templates["atelier prod deploy"]["extra_vars"]["atelier_tier_overrides"]
    assert tiers.tier_overrides(shared_tiers, render(mapping, {})) == shared_tiers
    answers = {"frontend_desired_capacity": 3, "backend_max_size": 8, "frontend_image_tag": "1.4.2"}
    result = {t["name"]: t for t in tiers.tier_overrides(shared_tiers, render(mapping, answers))}
    assert result["frontend"]["desired_capacity"] == 3
    assert result["frontend"]["image"] == "goal-tracker-frontend:1.4.2"
    assert result["backend"]["max_size"] == 8
    assert result["backend"]["min_size"] == 2


def _override(tiers_module, shared_tiers, tier, changes):
    return tiers_module.tier_overrides(shared_tiers, {tier: changes})


def _capacity(key, value):
    """The capacity with key set to value and the two other numbers in their ranges, in order around it."""
    ranges = {"min_size": (0, 10000), "desired_capacity": (0, 10000), "max_size": (1, 10000)}
    numbers = {k: min(max(value, low), high) for k, (low, high) in ranges.items()}
    numbers[key] = value
    return numbers


def test_integer_limits_are_those_of_tier_errors(export, shared_tiers, subnet_tiers):
    tiers = _tiers_module()
    assert tiers.tier_errors(shared_tiers, subnet_tiers) == []
    checked = 0
    for variable, question in tier_questions(export):
        if question["type"] != "integer":
            continue
        tier, key = next((t, variable[len(t) + 1:]) for t in ("frontend", "backend") if variable.startswith(t + "_"))
        for value in (question["min"], question["max"]):
            errors = tiers.tier_errors(_override(tiers, shared_tiers, tier, _capacity(key, value)), subnet_tiers)
            assert errors == [], f"{variable}={value} is allowed by the survey but refused: {errors}"
        for value in (question["min"] - 1, question["max"] + 1):
            errors = tiers.tier_errors(_override(tiers, shared_tiers, tier, _capacity(key, value)), subnet_tiers)
            assert any(f"tier {tier}: {key}" in e for e in errors), f"{variable}={value} is refused by the survey only: {errors}"
        checked += 1
    assert checked == 6


def test_image_tag_limits_are_those_of_tier_overrides(export, shared_tiers, subnet_tiers):
    tiers = _tiers_module()
    from ansible.errors import AnsibleFilterError  # pylint: disable=import-outside-toplevel

    for variable, question in tier_questions(export):
        if question["type"] != "text":
            continue
        tier = variable[: -len("_image_tag")]
        for length in (question["min"], question["max"]):
            result = tiers.tier_overrides(shared_tiers, {tier: {"image_tag": "7" * length}})
            assert tiers.tier_errors(result, subnet_tiers) == []
        with pytest.raises(AnsibleFilterError, match="image_tag"):
            tiers.tier_overrides(shared_tiers, {tier: {"image_tag": "7" * (question["max"] + 1)}})


# --- destroy ------------------------------------------------------------------------------------------------------


def test_destroy_keeps_data_unless_confirmed(templates):
    teardown = (REPO_ROOT / "playbooks" / "teardown.yml").read_text(encoding="utf-8")
    assert shared_var("atelier_teardown_delete_data") is False
    # The survey answers a string: every use in the teardown must go through | bool ("false" is truthy).
    expressions = " ".join(re.findall(r"\{\{.*?\}\}", teardown, re.S))
    uses = re.findall(r"atelier_teardown_delete_data\s*(?:\|\s*\w+)?", expressions)
    assert uses and all(re.fullmatch(r"atelier_teardown_delete_data\s*\|\s*bool", u) for u in uses), uses
    for env in ENVIRONMENTS + NODE_APP_ENVIRONMENTS:
        template = templates[f"atelier {env} destroy"]
        assert template["survey_enabled"]
        (question,) = template["survey_spec"]["spec"]
        assert question["variable"] == "atelier_teardown_delete_data"
        assert (question["type"], question["required"], question["default"]) == ("multiplechoice", True, "false")
        assert sorted(question["choices"]) == ["false", "true"]
        assert boolean(question["default"]) is False and boolean("true") is True
        text = question["question_name"] + " " + question["question_description"]
        for words in ("DynamoDB table", "log groups", "only with true"):
            assert words in text, f"the question does not say {words!r}: {text}"
        assert "atelier_tier_overrides" not in template["extra_vars"]


# --- workflows ----------------------------------------------------------------------------------------------------


def _chain(workflow):
    nodes = {n["identifier"]: n for n in workflow["workflow_nodes"]}
    assert len(nodes) == len(workflow["workflow_nodes"]), "identifiers must be unique"
    children = {i for n in nodes.values() for i in (x["identifier"] for x in n["related"]["success_nodes"])}
    roots = [i for i in nodes if i not in children]
    assert len(roots) == 1, roots
    order = [roots[0]]
    while True:
        node = nodes[order[-1]]
        assert set(node["related"]) == {"success_nodes"}, "only success links"
        following = node["related"]["success_nodes"]
        if not following:
            break
        assert len(following) == 1
        order.append(following[0]["identifier"])
    assert len(order) == len(nodes), "every node is on the chain"
    return order, nodes


def test_workflows_chain_the_layers_and_only_prod_waits_for_approval(export, templates):
    for workflow in export["workflow_job_templates"]:
        env = workflow["environment"]
        order, nodes = _chain(workflow)
        approvals = [i for i, n in nodes.items() if n["unified_job_template"]["type"] == "workflow_approval"]
        layers = ["deploy"] if env in NODE_APP_ENVIRONMENTS else WORKFLOW_LAYERS
        if env.endswith("prod"):
            assert order == ["approval"] + layers
            assert approvals == ["approval"]
            assert nodes["approval"]["unified_job_template"]["timeout"] > 0
        else:
            assert order == layers
            assert approvals == []
        for layer in layers:
            template = nodes[layer]["unified_job_template"]
            assert template["type"] == "job_template"
            assert template["name"] == f"atelier {env} {layer}"
            assert template["name"] in templates
            assert template["organization"] == {"name": export["organization"]}
        assert workflow["destroy_current_nodes"] is True


def test_workflow_survey_answers_reach_the_tier_layers(export, templates):
    checked = 0
    for workflow in export["workflow_job_templates"]:
        env = workflow["environment"]
        asked = survey_variables(workflow["survey_spec"])
        if env in NODE_APP_ENVIRONMENTS:
            # The answers are extra vars of the deploy; the inventory reads them.
            assert asked and asked <= node_app_inventory_reads(), asked - node_app_inventory_reads()
            assert survey_variables(templates[f"atelier {env} deploy"]["survey_spec"]) == asked
            checked += 1
            continue
        mapped = set()
        for layer in WORKFLOW_LAYERS:
            mapped |= jinja_names(templates[f"atelier {env} {layer}"]["extra_vars"])
        assert asked and asked <= mapped, asked - mapped
        checked += 1
    assert checked == len(ENVIRONMENTS) + 1


# --- the Node.js app's survey -------------------------------------------------------------------------------------


def node_app_inventory_reads():
    """The run-time variables the Node.js app's shared inventory file reads and no file of its inventories defines."""
    data = _load_yaml(NODE_APP_SHARED)
    defined = set(data)
    for env in NODE_APP_ENVIRONMENTS:
        for path in (REPO_ROOT / "inventories" / env / "group_vars").rglob("*.yml"):
            defined |= set(_load_yaml(path) or {})
    return {n for n in jinja_names(data) if n.startswith("node_app_")} - defined


def test_the_node_app_survey_asks_exactly_what_its_inventory_reads(templates):
    assert node_app_inventory_reads() == set(NODE_APP_QUESTIONS)
    for env in NODE_APP_ENVIRONMENTS:
        for key in ("deploy", "plan"):
            template = templates[f"atelier {env} {key}"]
            assert template["survey_enabled"]
            assert survey_variables(template["survey_spec"]) == set(NODE_APP_QUESTIONS), template["name"]
            # The answers are the job's extra vars as they are: nothing to map, and no tier override of the Atelier
            # stack's tiers (frontend, backend), which this inventory does not have.
            assert template["extra_vars"] == {}, template["name"]


def test_the_node_app_survey_has_the_limits_of_the_tier_specification(templates):
    tier_spec = _tiers_module().tier_spec
    (spec,) = {json.dumps(templates[f"atelier {env} deploy"]["survey_spec"], sort_keys=True) for env in NODE_APP_ENVIRONMENTS}
    questions = {q["variable"]: q for q in json.loads(spec)["spec"]}
    assert set(questions) == set(NODE_APP_QUESTIONS)
    for variable, key in NODE_APP_QUESTIONS.items():
        question, field = questions[variable], tier_spec.OVERRIDES[key]
        # Optional, no default: unanswered keeps the inventory's value.
        assert (question["required"], question["default"]) == (False, ""), variable
        if field["type"] == "int":
            assert (question["type"], question["min"], question["max"]) == ("integer", field["min"], field["max"]), variable
        else:
            assert (question["type"], question["min"], question["max"]) == ("text", field["min_length"], field["max_length"]), variable


# --- secrets ------------------------------------------------------------------------------------------------------


def test_no_secret_in_awx_files():
    for path in sorted(p for p in AWX_DIR.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b", text), f"{path}: an AWS access key id"
        assert not re.search(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])", text), f"{path}: a secret-like string"
        for match in re.finditer(r"^\s*(controller_)?(password|token|oauthtoken|secret_key)\s*:\s*(\S.*)$", text, re.M):
            assert "{{" in match.group(3), f"{path}: literal {match.group(0).strip()}"


def test_credentials_come_from_the_environment_and_are_never_logged():
    tasks = _load_yaml(AWX_DIR / "configure.yml")[0]["tasks"]
    with_inputs = [t for t in tasks if "inputs" in (t.get("awx.awx.credential") or {})]
    assert with_inputs, "no credential task with inputs"
    for task in with_inputs:
        assert task.get("no_log") is True, task["name"]
        for name, value in task["vars"].items():
            assert value.startswith("{{ lookup('ansible.builtin.env', "), f"{task['name']}: {name} is not read from the environment"
    connection = {"controller_host", "controller_username", "controller_password", "controller_oauthtoken", "validate_certs"}
    for task in tasks:
        module = next((k for k in task if k.startswith("awx.awx.")), None)
        if module:
            assert not connection & set(task[module]), f"{task['name']}: the connection comes from CONTROLLER_* only"


def test_configure_creates_in_dependency_order():
    tasks = _load_yaml(AWX_DIR / "configure.yml")[0]["tasks"]
    modules = [next(k for k in t if k.startswith(("awx.awx.", "ansible.builtin."))) for t in tasks]
    order = [m for m in modules if m.startswith("awx.awx.")]
    first = [order.index(m) for m in dict.fromkeys(order)]
    assert list(dict.fromkeys(order)) == [
        "awx.awx.organization",
        "awx.awx.execution_environment",
        "awx.awx.project",
        "awx.awx.credential",
        "awx.awx.inventory",
        "awx.awx.inventory_source",
        "awx.awx.job_template",
        "awx.awx.workflow_job_template",
    ]
    assert first == sorted(first)
