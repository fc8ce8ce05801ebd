"""The inventories: every one passes the inventory checks (playbooks/checks.yml) without reaching AWS, and the Node.js
app on Fargate (seed 004, docs/reference-systems.md) is what its seed and issue 18 say, in dev and in prod.

The values are read the way a run reads them: ansible-playbook on the inventory templates them (the node-app tier's
counts and image tag come from run-time answers with defaults, its secrets from the name prefix), so a playbook
written here dumps them as JSON. No AWS endpoint is reached (offline_env: the emulator's port is closed).
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from emulator.harness import BIN
from emulator.harness import awx_inventory_script
from tests.test_awx_config import _tiers_module

REPO_ROOT = Path(__file__).resolve().parent.parent
INVENTORIES = sorted(p.parent.name for p in (REPO_ROOT / "inventories").glob("*/hosts.yml"))
NODE_APP = {"dev": "node-app-dev", "prod": "node-app-prod"}
# The switches dev and prod turn differently, (dev, prod): the seed's "data center outage resilience" (AZs, NAT per AZ,
# Multi-AZ), deletion protection, spot capacity, and the production switches inventories/prod uses (encrypted logs kept
# a year, AWS Backup, WAF). Nothing else may differ.
SWITCHES = {
    "atelier_env": ("dev", "prod"),
    "vpc_az_count": (2, 3),
    "vpc_nat_topology": ("single", "one_per_az"),
    "rds_postgres_multi_az": (False, True),
    "rds_postgres_deletion_protection": (False, True),
    "alb_deletion_protection": (False, True),
    "atelier_logging_enabled": (False, True),
    "atelier_log_retention_days": (30, 365),
    "vpc_flow_logs_retention_days": (30, 365),
    "fargate_log_retention_days": (30, 365),
    "atelier_backup_enabled": (False, True),
    "atelier_waf_enabled": (False, True),
    # Its values depend on the task counts: test_spot_capacity_is_dev_only_and_prod_keeps_its_minimum_on_demand.
    "node_app_capacity_provider_strategy": None,
}
# What the dump playbook writes besides the switches.
DUMPED = [
    "atelier_stack", "atelier_name_prefix", "atelier_region", "atelier_subnet_tiers", "atelier_dynamodb_enabled",
    "atelier_rds_enabled", "atelier_bastion_enabled", "atelier_container_registry_enabled", "atelier_monitoring_enabled",
    "atelier_alarm_emails", "security_groups_database_clients", "rds_postgres_db_name", "atelier_tier_overrides",
]


def _tier_spec():
    """plugins/module_utils/tier_spec.py, imported through the collection's link as tests/test_awx_config.py does."""
    return _tiers_module().tier_spec


def checks(inventory, env, *args):
    return subprocess.run(
        [str(BIN / "ansible-playbook"), "playbooks/checks.yml", "-i", f"inventories/{inventory}", *args],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False,
    )


def dump(inventory, env, tmp_path, *args, inventory_path=False):
    """The inventory's variables as a run templates them: the switches, DUMPED, and the tiers with their defaults
    filled in (tiers: atelier.infra.tier_settings) or as declared (declared), after the run-time overrides as
    playbooks/tier_hosts.yml applies them."""
    names = list(SWITCHES) + DUMPED
    values = ", ".join(f"'{n}': lookup('ansible.builtin.vars', '{n}', default=None)" for n in names)
    declared = "atelier_tiers | atelier.infra.tier_overrides(atelier_tier_overrides | default({}))"
    settled = f"{declared} | map('atelier.infra.tier_settings') | list"
    out = tmp_path / f"{Path(inventory).name}.json"
    play = {
        "name": "Dump the inventory's variables",
        "hosts": "atelier:!atelier_tier_hosts",
        "gather_facts": False,
        "tasks": [{
            "name": "Write them",
            "ansible.builtin.copy": {
                "content": f"{{{{ {{{values}, 'declared': {declared}, 'tiers': {settled}}} | to_json }}}}",
                "dest": str(out),
                "mode": "0600",
            },
        }],
    }
    playbook = tmp_path / "dump.yml"
    playbook.write_text(yaml.safe_dump([play], width=100000), encoding="utf-8")
    source = inventory if inventory_path else f"inventories/{inventory}"
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), str(playbook), "-i", source, *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def node_app(offline_env, tmp_path_factory):
    """Each environment's variables, without run-time answers."""
    return {env: dump(inventory, offline_env, tmp_path_factory.mktemp(env)) for env, inventory in NODE_APP.items()}


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


# --- every inventory ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_every_inventory_passes_the_checks_before_any_aws_call(inventory, offline_env):
    assert set(NODE_APP.values()) <= set(INVENTORIES)
    result = checks(inventory, offline_env)
    if inventory in NODE_APP.values() and "fargate" not in _tier_spec().RUNTIMES:
        # Until the Fargate role switches its runtime on (tier_spec.RUNTIMES), the tier specification refuses it: that
        # must be the one mistake found (every rule of a Fargate tier is still checked by tier_errors, and below).
        assert result.returncode != 0
        mistakes = re.findall(r"Action failed: Invalid inventory: (.*)$", result.stdout, re.M)
        refused = "value of runtime must be one of: ec2, got: fargate found in atelier_tiers"
        assert mistakes and set(mistakes) == {refused}, result.stdout
        return
    assert result.returncode == 0, result.stdout
    # cruddur declares user pools, functions and WebSocket APIs: their roles' checks run too (an include and an assert
    # each).
    ok = 9 if inventory == "cruddur" else 3
    assert f"ok={ok} " in result.stdout and "failed=0" in result.stdout


def test_the_checks_refuse_a_wrong_node_app_inventory(offline_env):
    # The negative control of the test above: a run-time answer that breaks the tier fails the checks with its reason.
    result = checks("node-app-dev", offline_env, "-e", "node_app_min_tasks=7")
    assert result.returncode != 0
    assert "capacity must satisfy min_size <= desired_capacity <= max_size, got 7 <= 2 <= 6" in result.stdout, result.stdout


# --- the Node.js app on Fargate -----------------------------------------------------------------------------------


@pytest.mark.parametrize("env", sorted(NODE_APP))
def test_the_node_app_tier_has_the_seeds_numbers(env, node_app):
    values = node_app[env]
    (tier,) = values["tiers"]
    assert (tier["name"], tier["runtime"], tier["app_port"]) == ("app", "fargate", 3000)
    assert (tier["min_size"], tier["desired_capacity"], tier["max_size"]) == (2, 2, 6)
    assert (tier["scaling"]["policy"], tier["scaling"]["cpu_target"]) == ("target_tracking", 70)
    assert tier["health_check"]["path"] == "/health"
    # An ALB takes every request (internet-facing, no CloudFront: the seed leaves it to a later evolution).
    assert (tier["alb_scheme"], tier["cloudfront"]) == ("internet-facing", False)
    # The image is a repository of the stack's ECR registry (no registry host), which container_registry creates.
    assert tier["image"] == "node-app:latest"
    assert values["atelier_container_registry_enabled"] is True
    assert (tier["cpu"], tier["memory"]) == (256, 512)
    assert values["atelier_stack"] == "node-app" and values["atelier_name_prefix"] == f"{env}-node-app"


@pytest.mark.parametrize("env", sorted(NODE_APP))
def test_the_task_reads_the_databases_secret_and_only_it_reaches_the_database(env, node_app):
    values = node_app[env]
    (tier,) = values["tiers"]
    assert values["atelier_rds_enabled"] is True and values["atelier_dynamodb_enabled"] is False
    assert values["atelier_bastion_enabled"] is False
    # The secret rds_postgres keeps (<prefix>-db-credentials, its JSON keys), named as the stack names it.
    secret = f"{env}-node-app-db-credentials"
    assert tier["secrets"] == {
        "DB_USERNAME": f"{secret}:username", "DB_PASSWORD": f"{secret}:password", "DB_HOST": f"{secret}:host",
        "DB_PORT": f"{secret}:port", "DB_NAME": f"{secret}:dbname",
    }
    assert values["security_groups_database_clients"] == ["app"]
    subnets = {s["name"]: s["type"] for s in values["atelier_subnet_tiers"]}
    assert subnets == {"public": "public", "app": "private", "database": "isolated"}
    # Monitoring on, the alarms to an e-mail subscription of the alarm topic.
    assert values["atelier_monitoring_enabled"] is True and values["atelier_alarm_emails"]


@pytest.mark.parametrize("env", sorted(NODE_APP))
def test_the_node_app_tier_meets_every_rule_of_the_tier_specification(env, node_app):
    # What checks.yml checks, runtime choice aside (see the first test): the rules of a Fargate tier (task size, spot
    # in prod), its subnets and that its secret is one the stack creates.
    tier_spec = _tier_spec()
    values = node_app[env]
    stack = {"prefix": values["atelier_name_prefix"], "env": env,
             "resources": {"secret": ["db-credentials"], "dynamodb_table": []}}
    assert tier_spec.tier_errors(values["declared"], values["atelier_subnet_tiers"], stack=stack) == []
    # ... which would find a secret the stack does not create.
    errors = tier_spec.tier_errors(values["declared"], values["atelier_subnet_tiers"], stack=dict(stack, resources={}))
    assert errors and all("which the stack does not create" in e for e in errors), errors


def test_dev_and_prod_differ_exactly_in_the_switches(node_app):
    # Both link the same shared files; each environment's own file holds the switches and nothing else.
    for inventory in NODE_APP.values():
        group_vars = REPO_ROOT / "inventories" / inventory / "group_vars"
        assert (group_vars / "node_app.yml").resolve() == (REPO_ROOT / "inventories" / "node-app-shared" / "node_app.yml")
        for shared in (REPO_ROOT / "inventories" / "shared").glob("*.yml"):
            assert (group_vars / "all" / shared.name).resolve() == shared.resolve()
        assert sorted(p.name for p in group_vars.rglob("*.yml")) == sorted(["atelier.yml", "node_app.yml", "main.yml", "tiers.yml"])
        own = _load(group_vars / "atelier.yml")
        assert set(own) == set(SWITCHES), set(own) ^ set(SWITCHES)
    common = _load(REPO_ROOT / "inventories" / "node-app-shared" / "node_app.yml")
    assert not set(common) & set(SWITCHES), "a switch is set in the shared file too"
    for key, expected in SWITCHES.items():
        if expected is not None:
            assert (node_app["dev"][key], node_app["prod"][key]) == expected, key


def test_spot_capacity_is_dev_only_and_prod_keeps_its_minimum_on_demand(node_app, offline_env, tmp_path):
    dev, prod = (node_app[env]["tiers"][0]["capacity_provider_strategy"] for env in ("dev", "prod"))
    assert dev["spot_weight"] > dev["fargate_weight"] and dev["fargate_base"] == 0
    assert prod["fargate_base"] >= node_app["prod"]["tiers"][0]["min_size"] == 2
    # The base follows the minimum when an operator changes it for a run.
    (tier,) = dump("node-app-prod", offline_env, tmp_path, "-e", "node_app_min_tasks=4", "-e", "node_app_desired_tasks=4")["tiers"]
    assert tier["min_size"] == tier["capacity_provider_strategy"]["fargate_base"] == 4


def test_run_time_answers_reach_the_tier_and_unanswered_ones_keep_the_seeds(offline_env, tmp_path):
    # The AWX survey of the node-app templates answers these (awx/vars/main.yml; tests/test_awx_config.py checks that
    # the questions are exactly the variables this inventory reads): an answer replaces, '' keeps, 0 is an answer.
    answers = ["-e", "node_app_image_tag=1.4.2", "-e", "node_app_min_tasks=0", "-e", "node_app_desired_tasks=3",
               "-e", "node_app_max_tasks=8"]
    (tier,) = dump("node-app-dev", offline_env, tmp_path, *answers)["tiers"]
    assert (tier["image"], tier["min_size"], tier["desired_capacity"], tier["max_size"]) == ("node-app:1.4.2", 0, 3, 8)
    empty = ["-e", json.dumps({"node_app_image_tag": "", "node_app_min_tasks": "", "node_app_desired_tasks": "",
                               "node_app_max_tasks": ""})]
    (tier,) = dump("node-app-dev", offline_env, tmp_path, *empty)["tiers"]
    assert (tier["image"], tier["min_size"], tier["desired_capacity"], tier["max_size"]) == ("node-app:latest", 2, 2, 6)


@pytest.mark.parametrize("env", sorted(NODE_APP))
def test_the_inventory_imported_the_way_awx_does_keeps_its_values(env, node_app, offline_env, tmp_path):
    # AWX syncs inventories/<env> with `ansible-inventory --list --export`: the group node_app (the shared file) must
    # stay the parent of atelier, below the environment's own values, and survive the export with its Jinja intact.
    script = awx_inventory_script(f"inventories/{NODE_APP[env]}", tmp_path / "awx", offline_env)
    exported = json.loads((tmp_path / "awx" / "inventory.json").read_text(encoding="utf-8"))
    assert "atelier" in exported["node_app"]["children"]
    values = dump(str(script), offline_env, tmp_path, inventory_path=True)
    assert values == node_app[env]
