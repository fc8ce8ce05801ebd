"""The user data the asg_launch_template role renders is a clean shell script for every tier.

The template is rendered with Ansible's own filters and the role's views (the tier's settings, runtime, names and
user data parts, as the role computes them with the collection's filters), then checked with ``bash -n`` and
``shellcheck`` (installed in the venv by requirements-dev.txt).
"""

import re

import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import yaml

from ansible.plugins.filter.core import FilterModule as CoreFilters

from ansible_collections.atelier.infra.plugins.filter.observability import asg_observability
from ansible_collections.atelier.infra.plugins.filter.stack import stack_names
from ansible_collections.atelier.infra.plugins.filter.tier_roles import asg_user_data
from ansible_collections.atelier.infra.plugins.filter.tier_roles import tier_access
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_runtime
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
ROLE = REPO_ROOT / "roles" / "asg_launch_template"
TEMPLATE = ROLE / "templates" / "user_data.sh.j2"
PREFIX = "local-atelier"
SHARED_TIERS = yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]
# A third tier that uses everything else the template can do: a full registry URI (no ECR login), a secret by ARN
# with a JSON key, a whole-string secret, plain environment values that need quoting, and an upstream URL.
WORKER = {
    "name": "worker",
    "app_port": 9000,
    "alb_scheme": "internal",
    "clients": ["frontend"],
    "image": "ghcr.io/atelier/worker:1.2.3",
    "environment": {"GREETING": "hello world; $(rm -rf /)", "WORKERS": 4},
    "secrets": {
        "API_TOKEN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:worker/api-AbCdEf:token",
        "LICENSE": "worker/license",
    },
}
# The goal-tracker system's backend: the database credentials its stack keeps in Secrets Manager.
BACKEND_WITH_SECRETS = dict(
    SHARED_TIERS[1],
    secrets={"DB_USERNAME": "dev-goal-tracker-db-credentials:username", "DB_PASSWORD": "dev-goal-tracker-db-credentials:password"},
)
SHELLCHECK = Path(sys.executable).parent / "shellcheck"
REGIONS = ["af-south-1", "eu-west-1", "us-east-1"]


def context(tier, upstream_env=None):
    """The variables the template reads, as roles/asg_launch_template/vars/main.yml computes them (the tables the tier
    is granted live in us-east-1 and two replica regions)."""
    settings = tier_settings(tier)
    runtime = tier_runtime(tier, "123456789012", "us-east-1", "aws", "", namespace=PREFIX)
    access = tier_access(tier, PREFIX, "123456789012", "us-east-1", "aws", {"AtelierDB": REGIONS}, runtime["secret_arns"])
    return {
        "atelier_env": "local",
        "atelier_stack": "atelier",
        "asg_launch_template_region": "us-east-1",
        "__asg_launch_template_t": settings,
        "__asg_launch_template_runtime": runtime,
        "__asg_launch_template_names": stack_names(PREFIX, settings["name"]),
        "__asg_launch_template_access": access,
        "__asg_launch_template_user_data": asg_user_data(tier, runtime, upstream_env or {}, access["environment"]),
        "__asg_launch_template_observability": asg_observability(tier, PREFIX),
    }


def render(tier, upstream_env=None):
    # As Ansible's template lookup renders: trim_blocks on, trailing newline kept.
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True)
    env.filters.update(CoreFilters().filters())
    return env.from_string(TEMPLATE.read_text(encoding="utf-8")).render(context(tier, upstream_env))


CASES = [
    ("frontend", SHARED_TIERS[0], {"BACKEND_URL": "http://internal-local-atelier-backend-1.us-east-1.elb.amazonaws.com"}),
    ("backend", SHARED_TIERS[1], {}),
    ("backend-with-secrets", BACKEND_WITH_SECRETS, {}),
    ("worker", WORKER, {}),
]


@pytest.mark.parametrize("tier, upstream", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_user_data_passes_bash_and_shellcheck(tmp_path, tier, upstream):
    script = tmp_path / "user_data.sh"
    script.write_text(render(tier, upstream), encoding="utf-8")
    subprocess.run(["bash", "-n", str(script)], check=True)
    assert SHELLCHECK.exists() or shutil.which("shellcheck"), "shellcheck is installed by requirements-dev.txt"
    result = subprocess.run(
        [str(SHELLCHECK if SHELLCHECK.exists() else shutil.which("shellcheck")), "--shell=bash", "--severity=style", str(script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_backend_reads_its_secrets_into_memory_and_passes_them_by_name():
    text = render(BACKEND_WITH_SECRETS)
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert "DB_PASSWORD=$(retry secret_string dev-goal-tracker-db-credentials | json_field password)" in text
    assert "  --env DB_PASSWORD \\\n" in text and "  --env DB_USERNAME \\\n" in text
    # Nothing writes a secret to a file or echoes it.
    for line in text.splitlines():
        if "DB_PASSWORD" in line:
            assert ">" not in line and "echo" not in line and "tee" not in line, line
    assert "docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com" in text
    # Under the stack's repository namespace (the container_registry role's).
    assert "readonly IMAGE=123456789012.dkr.ecr.us-east-1.amazonaws.com/local-atelier/goal-tracker-backend:latest\n" in text
    assert "--restart unless-stopped" in text and '--publish "${APP_PORT}:${APP_PORT}"' in text
    assert "readonly APP_PORT=8080" in text
    assert "--log-driver awslogs" in text and "readonly LOG_GROUP=/aws/ec2/local-atelier/backend" in text


def test_the_atelier_backend_is_told_its_table_and_region_and_reads_no_secret():
    # The shared backend is granted its stack's table (inventories/shared/tiers.yml): the container gets its name and the
    # region; the instance role's policy, not the user data, lets it use the table.
    text = render(SHARED_TIERS[1])
    run = text[text.index("docker run"):]
    assert "  --env AWS_REGION=us-east-1 \\\n" in run
    assert "  --env DYNAMODB_TABLE=local-atelier-AtelierDB \\\n" in run
    envs = [line.split()[1] for line in run.splitlines() if line.startswith("  --env ")]
    assert envs == ['"PORT=${APP_PORT}"', "AWS_REGION=us-east-1", "DYNAMODB_TABLE=local-atelier-AtelierDB"]
    assert "secretsmanager" not in text and "secret_string" not in text


def test_grant_variables_sit_with_the_environment_and_secrets_stay_by_name():
    text = render(dict(BACKEND_WITH_SECRETS, environment={"LOG_LEVEL": "debug"}))
    run = text[text.index("docker run"):]
    envs = [line.split()[1] for line in run.splitlines() if line.startswith("  --env ")]
    assert envs == ['"PORT=${APP_PORT}"', "AWS_REGION=us-east-1", "DYNAMODB_TABLE=local-atelier-AtelierDB", "LOG_LEVEL=debug",
                    "DB_PASSWORD", "DB_USERNAME"]


def test_a_tier_granted_nothing_gets_no_grant_variables():
    text = render(SHARED_TIERS[0], {"BACKEND_URL": "https://d1.cloudfront.net"})
    assert "AWS_REGION" not in text and "DYNAMODB_TABLE" not in text


def test_frontend_gets_the_backend_url_and_no_secret_code():
    text = render(SHARED_TIERS[0], {"BACKEND_URL": "http://internal-b.elb.amazonaws.com"})
    assert "--env BACKEND_URL=http://internal-b.elb.amazonaws.com" in text
    assert "secretsmanager" not in text


def test_values_are_quoted_and_a_foreign_registry_gets_no_ecr_login():
    text = render(WORKER)
    assert "--env 'GREETING=hello world; $(rm -rf /)'" in text
    assert "ecr get-login-password" not in text
    assert "readonly IMAGE=ghcr.io/atelier/worker:1.2.3" in text
    assert "API_TOKEN=$(retry secret_string arn:aws:secretsmanager:us-east-1:123456789012:secret:worker/api-AbCdEf | json_field token)" in text
    assert "LICENSE=$(retry secret_string worker/license)" in text


def test_secrets_are_read_between_the_pull_and_the_run_and_passed_by_name_only():
    text = render(BACKEND_WITH_SECRETS)
    pull, read, run = text.index('retry docker pull "${IMAGE}"'), text.index("DB_USERNAME=$(retry"), text.index("docker run")
    assert pull < read < run
    assert "\nexport DB_USERNAME\n" in text and "\nexport DB_PASSWORD\n" in text
    run_lines = text[run:].splitlines()
    assert [line for line in run_lines if " DB_" in line] == ["  --env DB_PASSWORD \\", "  --env DB_USERNAME \\"]


def test_the_environment_is_sorted_and_the_upstream_url_wins():
    tier = dict(WORKER, environment={"zeta": "1", "ALPHA": "2", "FRONTEND_URL": "mine"})
    text = render(tier, {"FRONTEND_URL": "https://d1.cloudfront.net"})
    envs = [line.split()[1] for line in text.splitlines() if line.startswith("  --env ") and "=" in line]
    assert envs == ['"PORT=${APP_PORT}"', "ALPHA=2", "FRONTEND_URL=https://d1.cloudfront.net", "zeta=1"]


def test_the_template_has_no_control_statements_and_reads_only_what_the_role_defines():
    source = TEMPLATE.read_text(encoding="utf-8")
    assert "{%" not in source
    role_vars = set(yaml.safe_load((ROLE / "vars" / "main.yml").read_text(encoding="utf-8")))
    role_inputs = set(yaml.safe_load((ROLE / "defaults" / "main.yml").read_text(encoding="utf-8")))
    used = set(re.findall(r"\b((?:__)?(?:asg_launch_template|atelier)_[a-z_]+)", source))
    assert used - role_vars - role_inputs == {"atelier_env", "atelier_stack"}
    assert used <= set(context(SHARED_TIERS[0]))


def test_the_container_has_a_health_check_on_the_tier_path_and_a_watchdog_restarts_it():
    tier = dict(SHARED_TIERS[1], health_check={"path": "/health", "interval": 20, "timeout": 5, "unhealthy_threshold": 4})
    text = render(tier)
    run = text[text.index("docker run"):]
    assert "  --health-cmd 'curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:8080/health" in run
    assert "  --health-interval 20s \\\n" in run and "  --health-retries 4 \\\n" in run
    assert run.index("--health-cmd") < run.index('  "${IMAGE}"')
    # The watchdog timer is in place before the container starts, and restarts it when Docker says unhealthy.
    watchdog = text.index("atelier-watchdog-backend.timer")
    assert watchdog < text.index("docker run")
    assert "docker inspect --format '{{.State.Health.Status}}' backend" in text and "docker restart backend" in text


def test_the_cloudwatch_agent_starts_from_the_tier_parameter_after_the_container():
    text = render(SHARED_TIERS[0], {"BACKEND_URL": "http://b"})
    agent = text.index("amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:AmazonCloudWatch-local-atelier-frontend")
    assert text.index('  "${IMAGE}"') < agent
    # A failing agent does not stop the script (set -e) before or after the application runs.
    assert "retry start_cloudwatch_agent || echo" in text
