# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the tier_settings, tier_errors, tier_runtime and tier_overrides filters."""

import re
from pathlib import Path

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.atelier.infra.plugins.filter.tiers import FilterModule
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_argument_spec
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_errors
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_overrides
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_distribution
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_repositories
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_runtime
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_settings

REPO_ROOT = Path(__file__).resolve().parents[4]
SUBNET_TIERS = [
    {"name": "public", "type": "public"},
    {"name": "frontend", "type": "private"},
    {"name": "backend", "type": "private"},
    {"name": "database", "type": "isolated"},
]
FRONTEND = {"name": "frontend", "app_port": 3000}
BACKEND = {"name": "backend", "app_port": 8080, "alb_scheme": "internal", "clients": ["frontend"]}
ACCOUNT = "123456789012"
REGION = "eu-west-1"
ECR = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"


def _shared_tiers():
    with open(REPO_ROOT / "inventories" / "shared" / "tiers.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)["atelier_tiers"]


def test_filters_are_registered():
    assert FilterModule().filters() == {
        "tier_settings": tier_settings,
        "tier_errors": tier_errors,
        "tier_runtime": tier_runtime,
        "tier_distribution": tier_distribution,
        "tier_overrides": tier_overrides,
        "tier_repositories": tier_repositories,
        "tier_argument_spec": tier_argument_spec,
    }


# tier_settings


def test_settings_fill_every_default():
    t = tier_settings(FRONTEND)

    assert t["runtime"] == "ec2"
    assert t["subnets"] == "frontend"
    assert t["alb_scheme"] == "internet-facing"
    assert t["alb_subnets"] == "public"
    assert t["alb_ports"] == [80, 443]
    assert t["clients"] == []
    assert t["cloudfront"] is False
    assert t["certificate_arn"] == ""
    assert t["health_check"] == {
        "path": "/",
        "interval": 30,
        "timeout": 5,
        "healthy_threshold": 2,
        "unhealthy_threshold": 3,
        "matcher": "200-399",
    }
    assert (t["min_size"], t["desired_capacity"], t["max_size"]) == (2, 2, 4)
    assert t["scaling"] == {"policy": "target_tracking", "cpu_target": 70, "scale_out_cpu": 70, "scale_in_cpu": 30, "cooldown": 300, "memory_target": 0, "requests_per_target": 0}
    assert t["instance_type"] == "t3.micro"
    assert t["ami_ssm_parameter"] == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    assert (t["root_volume_size"], t["root_device_name"]) == (20, "/dev/xvda")
    assert (t["health_check_type"], t["health_check_grace_period"]) == ("ELB", 300)
    assert (t["deregistration_delay"], t["stickiness_seconds"]) == (30, 0)
    assert (t["image"], t["environment"], t["secrets"], t["container_imds"]) == ("", {}, {}, False)
    assert t["distribution"]["default_behavior"]["cache_policy"] == "Managed-CachingOptimized"
    assert t["distribution"]["behaviors"] == []


def test_settings_internal_alb_sits_in_the_tiers_subnets():
    assert tier_settings(BACKEND)["alb_subnets"] == "backend"
    assert tier_settings(dict(BACKEND, subnets="database"))["alb_subnets"] == "database"


def test_settings_keep_what_the_tier_sets():
    t = tier_settings(dict(FRONTEND, subnets="backend", alb_subnets="frontend", alb_ports=[80], min_size=1))

    assert (t["subnets"], t["alb_subnets"], t["alb_ports"], t["min_size"]) == ("backend", "frontend", [80], 1)


def test_settings_merge_nested_dicts_key_by_key():
    t = tier_settings(
        dict(FRONTEND, health_check={"path": "/health"}, scaling={"cpu_target": 50},
             distribution={"behaviors": [{"path_pattern": "/api/*", "cache_policy": "Managed-CachingDisabled"}]})
    )

    assert t["health_check"]["path"] == "/health"
    assert t["health_check"]["interval"] == 30
    assert t["health_check"]["matcher"] == "200-399"
    assert t["scaling"] == {"policy": "target_tracking", "cpu_target": 50, "scale_out_cpu": 70, "scale_in_cpu": 30, "cooldown": 300, "memory_target": 0, "requests_per_target": 0}
    (behavior,) = t["distribution"]["behaviors"]
    assert behavior["path_pattern"] == "/api/*" and behavior["cache_policy"] == "Managed-CachingDisabled"
    assert behavior["viewer_protocol_policy"] == "redirect-to-https" and behavior["compress"] is True
    assert "path_pattern" not in t["distribution"]["default_behavior"]


def test_settings_convert_values_the_way_the_argument_spec_does():
    t = tier_settings(dict(FRONTEND, app_port="3000", cloudfront="yes", alb_ports=["80"], health_check={"interval": "60"}))

    assert (t["app_port"], t["cloudfront"], t["alb_ports"], t["health_check"]["interval"]) == (3000, True, [80], 60)


def test_settings_do_not_touch_the_input_or_share_defaults():
    tier = dict(FRONTEND, health_check={"path": "/health"})

    first = tier_settings(tier)
    first["health_check"]["interval"] = 99
    first["alb_ports"].append(8443)

    assert tier == dict(FRONTEND, health_check={"path": "/health"})
    assert tier_settings(FRONTEND)["health_check"]["interval"] == 30
    assert tier_settings(FRONTEND)["alb_ports"] == [80, 443]


def test_settings_refuse_a_non_dict():
    with pytest.raises(AnsibleFilterError, match="tier_settings: a tier is a dict, got list"):
        tier_settings(["frontend"])


# The argument spec generated from the specification: types, choices, required and unknown keys, checked by the
# same validator Ansible runs on a role's arguments (and playbooks/tier_hosts.yml runs on atelier_tiers).


def spec_errors(tiers):
    validator = ArgumentSpecValidator({"atelier_tiers": tier_argument_spec("tiers")})
    return [str(e) for e in validator.validate({"atelier_tiers": tiers}).errors]


def test_shared_tiers_pass_the_argument_spec():
    assert spec_errors(_shared_tiers()) == []
    assert spec_errors([FRONTEND, BACKEND]) == []


@pytest.mark.parametrize(
    "tier, message",
    [
        (dict(FRONTEND, colour="blue"), "atelier_tiers.colour. Supported parameters include"),
        (dict(FRONTEND, health_check={"paht": "/health"}), "atelier_tiers.health_check.paht"),
        (dict(FRONTEND, scaling={"target": 50}), "atelier_tiers.scaling.target"),
        ({"app_port": 3000}, "missing required arguments: name"),
        (dict(FRONTEND, app_port="port"), "argument 'app_port' is of type str"),
        (dict(FRONTEND, alb_scheme="public"), "value of alb_scheme must be one of: internet-facing, internal, got: public"),
        (dict(FRONTEND, runtime="lambda"), "value of runtime must be one of: ec2, fargate, static, got: lambda"),
        (dict(FRONTEND, health_check="/health"), "argument 'health_check' is of type str"),
        (dict(FRONTEND, health_check_type="ALB"), "value of health_check_type must be one of: EC2, ELB, got: ALB"),
        (dict(FRONTEND, scaling={"policy": "cpu"}), "value of policy must be one of: target_tracking, step, none, got: cpu"),
        (
            dict(FRONTEND, cloudfront=True, distribution={"behaviors": [{"cache_policy": "Managed-CachingDisabled"}]}),
            "missing required arguments: path_pattern found in atelier_tiers -> distribution -> behaviors",
        ),
        (dict(FRONTEND, distribution={"price_class": "PriceClass_300"}), "value of price_class must be one of"),
        (dict(FRONTEND, distribution={"default_behavior": {"path_pattern": "/x"}}), "distribution.default_behavior.path_pattern"),
        (dict(FRONTEND, distribution={"behaviors": [{"path_pattern": "/a", "ttl": 3}]}), "distribution.behaviors.ttl"),
        (dict(FRONTEND, distribution={"colour": "blue"}), "atelier_tiers.distribution.colour"),
        (
            dict(FRONTEND, distribution={"default_behavior": {"viewer_protocol_policy": "http-only"}}),
            "value of viewer_protocol_policy must be one of: redirect-to-https, https-only, allow-all, got: http-only",
        ),
    ],
    ids=[
        "unknown key",
        "unknown health check key",
        "unknown scaling key",
        "name missing",
        "port not a number",
        "bad scheme",
        "unknown runtime",
        "health check not a dict",
        "bad health check type",
        "bad scaling policy",
        "behaviour without a path",
        "bad price class",
        "path pattern in the default behaviour",
        "unknown behaviour key",
        "unknown distribution key",
        "bad viewer protocol policy",
    ],
)
def test_the_argument_spec_refuses(tier, message):
    errors = spec_errors([tier])

    assert any(message in e for e in errors), errors


# tier_errors: what the argument spec cannot check


def test_shared_tiers_are_valid():
    tiers = _shared_tiers()

    assert [t["name"] for t in tiers] == ["frontend", "backend"]
    assert tier_errors(tiers, SUBNET_TIERS) == []
    assert tier_errors(tiers) == []
    for tier in tiers:
        assert tier_errors(tier, SUBNET_TIERS) == []


def test_minimal_tiers_are_valid():
    assert tier_errors([FRONTEND, BACKEND], SUBNET_TIERS) == []


@pytest.mark.parametrize(
    "tier, message",
    [
        (
            dict(FRONTEND, name="Front_End"),
            "tier Front_End: name 'Front_End' is not lowercase letters, digits and hyphens, starting with a letter, at most 20 characters",
        ),
        (dict(FRONTEND, name="a-very-long-tier-name-x"), "is not lowercase letters, digits and hyphens"),
        (dict(FRONTEND, app_port=70000), "tier frontend: app_port must be an integer between 1 and 65535, got 70000"),
        (dict(FRONTEND, app_port="70000"), "tier frontend: app_port must be an integer between 1 and 65535, got 70000"),
        (dict(FRONTEND, alb_ports=[80, 0]), "tier frontend: alb_ports entry must be an integer between 1 and 65535, got 0"),
        (
            dict(FRONTEND, min_size=3, desired_capacity=3, max_size=2),
            "tier frontend: capacity must satisfy min_size <= desired_capacity <= max_size, got 3 <= 3 <= 2",
        ),
        (
            dict(FRONTEND, desired_capacity=5),
            "tier frontend: capacity must satisfy min_size <= desired_capacity <= max_size, got 2 <= 5 <= 4",
        ),
        (
            dict(FRONTEND, desired_capacity=1),
            "tier frontend: capacity must satisfy min_size <= desired_capacity <= max_size, got 2 <= 1 <= 4",
        ),
        (dict(FRONTEND, max_size=0), "tier frontend: max_size must be an integer between 1 and 10000, got 0"),
        (
            dict(FRONTEND, health_check={"path": "health"}),
            "tier frontend: health_check.path 'health' is not a path starting with / (for example /health)",
        ),
        (
            dict(FRONTEND, health_check={"timeout": 30}),
            "tier frontend: health_check timeout (30) must be less than its interval (30)",
        ),
        (dict(FRONTEND, health_check={"matcher": "500"}), "tier frontend: health_check matcher codes must be between 200 and 499"),
        (dict(FRONTEND, health_check={"matcher": "ok"}), "tier frontend: health_check.matcher 'ok' is not HTTP codes"),
        (
            dict(FRONTEND, certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/not-a-uuid"),
            "tier frontend: certificate_arn 'arn:aws:acm:eu-west-1:123456789012:certificate/not-a-uuid' "
            "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)",
        ),
        (
            dict(FRONTEND, alb_scheme="internal"),
            "tier frontend: an internal ALB needs clients (the tiers allowed to call it)",
        ),
        (dict(BACKEND, cloudfront=True), "tier backend: CloudFront can only front an internet-facing ALB"),
        (
            dict(FRONTEND, secrets={"DB_PASSWORD": "db password"}),
            "tier frontend: secret DB_PASSWORD must name a Secrets Manager secret (name, name:json_key or ARN), got 'db password'",
        ),
        (
            dict(FRONTEND, secrets={"DB_PASSWORD": "a:b:c"}),
            "tier frontend: secret DB_PASSWORD must name a Secrets Manager secret (name, name:json_key or ARN), got 'a:b:c'",
        ),
        (
            dict(FRONTEND, secrets={"db-password": "db"}),
            "tier frontend: secrets variable name 'db-password' is not a valid environment variable name",
        ),
        (
            dict(FRONTEND, environment={"API": "x"}, secrets={"API": "api-key"}),
            "tier frontend: API set both in environment and secrets",
        ),
        (
            dict(FRONTEND, environment={"HOSTS": ["a", "b"]}),
            "tier frontend: environment variable HOSTS must be a string or number, got ['a', 'b']",
        ),
        (dict(FRONTEND, image="my image"), "tier frontend: image 'my image' is not a container image reference"),
        (
            dict(FRONTEND, instance_type="micro"),
            "tier frontend: instance_type 'micro' is not an EC2 instance type such as t3.micro",
        ),
        (dict(FRONTEND, ami_id="ami-xyz"), "tier frontend: ami_id 'ami-xyz' is not an AMI id (ami-0123456789abcdef0)"),
        (
            dict(FRONTEND, ami_ssm_parameter="al2023"),
            "tier frontend: ami_ssm_parameter 'al2023' is not an SSM parameter path starting with /",
        ),
        (
            dict(FRONTEND, scaling={"scale_in_cpu": 80}),
            "tier frontend: scaling scale_in_cpu (80) must be below scale_out_cpu (70)",
        ),
        (dict(FRONTEND, scaling={"cpu_target": 0}), "tier frontend: scaling.cpu_target must be an integer between 1 and 100, got 0"),
        (
            dict(FRONTEND, stickiness_seconds=-1),
            "tier frontend: stickiness_seconds must be an integer between 0 and 604800, got -1",
        ),
        # The argument spec would turn a list into the string "['frontend']" without a word.
        (dict(FRONTEND, subnets=["frontend"]), "tier frontend: subnets must be a string, got ['frontend']"),
    ],
    ids=[
        "bad name",
        "name too long",
        "port out of range",
        "port as a string out of range",
        "alb port zero",
        "min above max",
        "desired above max",
        "desired below min",
        "max zero",
        "health check path without slash",
        "health check timeout not below interval",
        "health check matcher 5xx",
        "health check matcher not codes",
        "malformed certificate arn",
        "internal without clients",
        "cloudfront with internal scheme",
        "bad secret reference",
        "secret with two keys",
        "secret variable name",
        "variable in environment and secrets",
        "environment value a list",
        "bad image",
        "bad instance type",
        "bad ami id",
        "bad ami parameter",
        "scale in above scale out",
        "cpu target zero",
        "negative stickiness",
        "subnets as a list",
    ],
)
def test_one_tier_errors(tier, message):
    errors = tier_errors([tier])

    assert any(message in e for e in errors), errors


@pytest.mark.parametrize(
    "tier",
    [
        dict(FRONTEND, app_port="port"),
        dict(FRONTEND, health_check="/health"),
        dict(FRONTEND, alb_ports=[{"port": 80}]),
        dict(FRONTEND, secrets=["x"]),
        dict(FRONTEND, distribution="x", cloudfront=True),
    ],
    ids=["port not a number", "health check a string", "ports not numbers", "secrets a list", "distribution a string"],
)
def test_wrong_types_are_left_to_the_argument_spec(tier):
    """tier_errors neither crashes on a value of the wrong type nor reports it a second time."""
    assert tier_errors([tier], SUBNET_TIERS) == []
    assert spec_errors([tier]) != []


@pytest.mark.parametrize(
    "tier, expected",
    [
        (
            dict(FRONTEND, subnets="app"),
            ["tier frontend: subnets 'app' is not a subnet tier of the VPC (public, frontend, backend, database)"],
        ),
        (
            dict(FRONTEND, alb_subnets="dmz"),
            ["tier frontend: alb_subnets 'dmz' is not a subnet tier of the VPC (public, frontend, backend, database)"],
        ),
        (
            dict(FRONTEND, subnets="public"),
            ["tier frontend: subnets 'public' is public; the application runs in private subnets without public IPs"],
        ),
        (
            dict(FRONTEND, alb_subnets="frontend"),
            ["tier frontend: an internet-facing ALB needs public subnets, 'frontend' is private"],
        ),
        (
            {"name": "reports", "app_port": 9000},
            [
                "tier reports: subnets 'reports' is not a subnet tier of the VPC (public, frontend, backend, database)",
            ],
        ),
        (dict(BACKEND, subnets="database"), []),
    ],
    ids=["unknown subnets", "unknown alb subnets", "instances in public", "internet-facing alb in private", "default subnets", "isolated ok"],
)
def test_subnet_tier_errors(tier, expected):
    assert tier_errors(tier, SUBNET_TIERS) == expected


def test_subnets_are_not_checked_without_subnet_tiers():
    assert tier_errors(dict(FRONTEND, subnets="app")) == []


def test_a_single_tier_is_checked_on_its_own():
    assert tier_errors(dict(FRONTEND, app_port=70000)) == [
        "tier frontend: app_port must be an integer between 1 and 65535, got 70000"
    ]
    # An internal tier alone: its clients cannot be checked against other tiers.
    assert tier_errors(BACKEND) == []


def test_duplicate_names():
    errors = tier_errors([FRONTEND, BACKEND, dict(FRONTEND, app_port=3001)])

    assert errors == ["tier names must be unique: frontend is described 2 times"]


@pytest.mark.parametrize(
    "clients, expected",
    [
        (["mobile"], "tier backend: client mobile is not another tier (frontend, backend)"),
        (["backend"], "tier backend: client backend is not another tier (frontend, backend)"),
    ],
    ids=["unknown tier", "itself"],
)
def test_clients_must_name_other_tiers(clients, expected):
    assert tier_errors([FRONTEND, dict(BACKEND, clients=clients)]) == [expected]


def test_values_are_read_the_way_the_argument_spec_converts_them():
    """A comma-separated string is a list, a string of digits a number, None is unset: as Ansible converts them."""
    tiers = [FRONTEND, dict(BACKEND, clients="frontend", alb_ports="80,8080", app_port="8080", scaling=None)]

    assert tier_errors(tiers, SUBNET_TIERS) == []
    assert spec_errors(tiers) == []
    backend = tier_settings(tiers[1])
    assert (backend["clients"], backend["alb_ports"], backend["app_port"]) == (["frontend"], [80, 8080], 8080)
    assert backend["scaling"]["policy"] == "target_tracking"


def test_a_broken_name_does_not_break_the_other_checks():
    errors = tier_errors([{"name": ["a"], "app_port": 80}, {"name": ["a"], "app_port": 80}])

    assert errors == 2 * [
        "tier ['a']: name must be a string, got ['a']",
        "tier ['a']: subnets must be a string, got ['a']",
    ]


def test_every_problem_is_reported():
    errors = tier_errors(dict(FRONTEND, app_port=0, min_size=5, health_check={"path": "x"}))

    assert errors == [
        "tier frontend: app_port must be an integer between 1 and 65535, got 0",
        "tier frontend: health_check.path 'x' is not a path starting with / (for example /health), at most 1024 characters",
        "tier frontend: capacity must satisfy min_size <= desired_capacity <= max_size, got 5 <= 2 <= 4",
    ]


@pytest.mark.parametrize(
    "ref",
    [
        "atelier/db",
        "atelier/db:password",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:atelier/db-AbCdEf",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:atelier/db-AbCdEf:password",
        "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf",
    ],
)
def test_valid_secret_references(ref):
    assert tier_errors(dict(FRONTEND, secrets={"DB": ref})) == []


@pytest.mark.parametrize(
    "certificate_arn",
    [
        "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        "arn:aws:iam::123456789012:server-certificate/atelier",
    ],
)
def test_valid_certificates(certificate_arn):
    assert tier_errors(dict(FRONTEND, certificate_arn=certificate_arn)) == []


def test_tier_errors_refuses_a_string():
    with pytest.raises(AnsibleFilterError, match="tier_errors: expected a tier or a list of tiers, got str"):
        tier_errors("frontend")


# tier_runtime


def test_runtime_image_without_registry_is_in_the_accounts_ecr():
    runtime = tier_runtime(dict(FRONTEND, image="goal-tracker-frontend:latest"), ACCOUNT, REGION)

    assert runtime["image"] == f"{ECR}/goal-tracker-frontend:latest"
    assert runtime["registry"] == ECR
    assert runtime["ecr_login"] is True


def test_runtime_repository_path_without_a_host_is_in_the_accounts_ecr():
    runtime = tier_runtime(dict(FRONTEND, image="team/web:1"), ACCOUNT, REGION)

    assert runtime["image"] == f"{ECR}/team/web:1"
    assert runtime["ecr_login"] is True


@pytest.mark.parametrize(
    "image, registry, ecr_login",
    [
        ("ghcr.io/acme/web:1.2", "ghcr.io", False),
        ("public.ecr.aws/nginx/nginx:1.27", "public.ecr.aws", False),
        ("localhost:5000/web", "localhost:5000", False),
        ("localhost/web", "localhost", False),
        (f"{ECR}/web:1", ECR, True),
        ("210987654321.dkr.ecr.us-east-1.amazonaws.com/web:1", "210987654321.dkr.ecr.us-east-1.amazonaws.com", True),
    ],
)
def test_runtime_image_with_registry_is_kept(image, registry, ecr_login):
    runtime = tier_runtime(dict(FRONTEND, image=image), ACCOUNT, REGION)

    assert (runtime["image"], runtime["registry"], runtime["ecr_login"]) == (image, registry, ecr_login)


def test_runtime_registry_option_replaces_ecr():
    runtime = tier_runtime(dict(FRONTEND, image="web:1"), ACCOUNT, REGION, registry="registry.example.com/acme")

    assert (runtime["image"], runtime["registry"], runtime["ecr_login"]) == (
        "registry.example.com/acme/web:1",
        "registry.example.com",
        False,
    )


def test_runtime_without_image():
    assert tier_runtime(FRONTEND, ACCOUNT, REGION) == {
        "image": "",
        "registry": "",
        "ecr_login": False,
        "secrets": [],
        "secret_arns": [],
    }


def test_runtime_secrets_by_name_get_a_scoped_arn():
    tier = dict(_shared_tiers()[1], secrets={"DB_USERNAME": "dev-gt-db-credentials:username", "DB_PASSWORD": "dev-gt-db-credentials:password"})

    runtime = tier_runtime(tier, ACCOUNT, REGION)

    arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:dev-gt-db-credentials-??????"
    assert runtime["secrets"] == [
        {"env": "DB_PASSWORD", "secret_id": "dev-gt-db-credentials", "json_key": "password", "arn": arn},
        {"env": "DB_USERNAME", "secret_id": "dev-gt-db-credentials", "json_key": "username", "arn": arn},
    ]
    assert runtime["secret_arns"] == [arn]
    assert runtime["image"] == f"{ECR}/goal-tracker-backend:latest"
    # The Atelier stack's backend reads no secret: it is granted its table (inventories/shared/tiers.yml).
    assert tier_runtime(_shared_tiers()[1], ACCOUNT, REGION)["secrets"] == []


def test_runtime_secret_without_json_key_and_other_partition():
    runtime = tier_runtime(dict(FRONTEND, secrets={"API_KEY": "api-key"}), ACCOUNT, "cn-north-1", partition="aws-cn")

    assert runtime["secrets"] == [
        {
            "env": "API_KEY",
            "secret_id": "api-key",
            "json_key": "",
            "arn": f"arn:aws-cn:secretsmanager:cn-north-1:{ACCOUNT}:secret:api-key-??????",
        }
    ]


@pytest.mark.parametrize(
    "ref, secret_id, json_key",
    [
        (
            "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/db-AbCdEf",
            "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/db-AbCdEf",
            "",
        ),
        (
            "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/db-AbCdEf:password",
            "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/db-AbCdEf",
            "password",
        ),
    ],
    ids=["arn", "arn with json key"],
)
def test_runtime_full_arn_secret_is_kept(ref, secret_id, json_key):
    runtime = tier_runtime(dict(FRONTEND, secrets={"DB": ref}), ACCOUNT, REGION)

    assert runtime["secrets"] == [{"env": "DB", "secret_id": secret_id, "json_key": json_key, "arn": secret_id}]
    assert runtime["secret_arns"] == [secret_id]


def test_runtime_secret_named_arn_is_a_name():
    runtime = tier_runtime(dict(FRONTEND, secrets={"PW": "arn:password"}), ACCOUNT, REGION)

    assert runtime["secrets"] == [
        {
            "env": "PW",
            "secret_id": "arn",
            "json_key": "password",
            "arn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:arn-??????",
        }
    ]


def test_runtime_never_grants_every_secret():
    tier = dict(
        FRONTEND,
        secrets={
            "A": "a",
            "B": "team/b:key",
            "C": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:c-AbCdEf",
        },
    )

    arns = tier_runtime(tier, ACCOUNT, REGION)["secret_arns"]

    assert len(arns) == 3
    assert all(arn != "*" and not arn.endswith(":secret:*") and "*" not in arn for arn in arns)


EDGE = {"name": "web", "app_port": 3000, "cloudfront": True}
CERT_EU = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"


@pytest.mark.parametrize(
    "distribution, message",
    [
        ({"aliases": ["www.example.com"]}, "tier web: distribution: aliases need certificate_arn"),
        ({"aliases": ["a.example.com"], "certificate_arn": CERT_EU}, "certificate_arn is in eu-west-1: CloudFront only uses ACM"),
        ({"default_behavior": {"cache_policy": "Managed-Fast"}}, "default_behavior: unknown managed cache policy 'Managed-Fast'"),
        ({"behaviors": [{"path_pattern": "api/*"}]}, "behaviors[0]: path_pattern 'api/*' must start with / or *"),
        ({"default_behavior": {"allowed_methods": ["GET", "POST"]}}, "is not one of the sets CloudFront accepts"),
    ],
    ids=[
        "alias without certificate",
        "certificate outside us-east-1",
        "unknown managed policy",
        "path pattern without slash",
        "bad method set",
    ],
)
def test_distribution_errors(distribution, message):
    errors = tier_errors([dict(EDGE, distribution=distribution)])

    assert any(message in e for e in errors), errors


def test_distribution_is_only_checked_for_cloudfront_tiers():
    assert tier_errors([dict(EDGE, cloudfront=False, distribution={"aliases": ["www.example.com"]})]) == []


def test_tier_distribution_builds_the_module_options():
    tier = dict(EDGE, distribution={"behaviors": [{"path_pattern": "/api/*", "cache_policy": "Managed-CachingDisabled"}]})
    options = tier_distribution(tier, "dev-atelier-web", "web-1.elb.amazonaws.com")

    assert options["origins"] == [{"id": "alb", "domain_name": "web-1.elb.amazonaws.com", "protocol_policy": "http-only"}]
    assert options["default_behavior"]["cache_policy"] == "Managed-CachingOptimized"
    assert options["default_behavior"]["allowed_methods"] == ["GET", "HEAD", "OPTIONS"]
    assert "path_pattern" not in options["default_behavior"]
    assert [(b["path_pattern"], b["cache_policy"], b["origin_id"]) for b in options["behaviors"]] == [("/api/*", "Managed-CachingDisabled", "alb")]
    assert (options["price_class"], options["certificate_arn"], options["logging"]) == ("PriceClass_100", None, None)


def test_tier_distribution_uses_https_to_an_alb_with_a_certificate():
    cert = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
    options = tier_distribution(dict(EDGE, certificate_arn=cert, distribution={"logging_bucket": "logs"}), "n", "d")

    assert options["origins"][0]["protocol_policy"] == "https-only"
    assert options["logging"] == {"bucket": "logs.s3.amazonaws.com", "prefix": "", "include_cookies": False}


# tier_overrides: an operator's run-time changes (an AWX survey's answers) on the shared tiers.


def test_overrides_replace_counts_and_the_image_tag_of_one_tier_only():
    shared = _shared_tiers()
    tiers = tier_overrides(shared, {"frontend": {"desired_capacity": 3, "max_size": "5", "image_tag": "1.4.2"}})
    frontend, backend = tiers
    assert (frontend["desired_capacity"], frontend["max_size"], frontend["min_size"]) == (3, 5, 2)
    assert frontend["image"] == "goal-tracker-frontend:1.4.2"
    assert backend == shared[1]
    assert shared[0]["image"] == "goal-tracker-frontend:latest"  # the input is not modified
    assert tier_errors(tiers, SUBNET_TIERS) == []


def test_unanswered_questions_change_nothing():
    shared = _shared_tiers()
    assert tier_overrides(shared, {"frontend": {"min_size": "", "image_tag": None}, "backend": {}}) == shared
    assert tier_overrides(shared, None) == shared


@pytest.mark.parametrize(
    "image, tag, expected",
    [
        ("web", "2", "web:2"),
        ("localhost:5000/team/web", "2", "localhost:5000/team/web:2"),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0", "2", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2"),
        ("ghcr.io/acme/web:1@sha256:" + "a" * 64, "2", "ghcr.io/acme/web:2"),
    ],
)
def test_the_image_tag_replaces_only_the_tag(image, tag, expected):
    assert tier_overrides([dict(FRONTEND, image=image)], {"frontend": {"image_tag": tag}})[0]["image"] == expected


def test_overrides_out_of_range_are_left_to_tier_errors():
    tiers = tier_overrides([FRONTEND], {"frontend": {"max_size": 0, "min_size": 0, "desired_capacity": 0}})
    assert "tier frontend: max_size must be an integer between 1 and 10000, got 0" in tier_errors(tiers)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"frontnd": {"min_size": 1}}, "no tier is named 'frontnd' (tiers: frontend, backend)"),
        ({"frontend": {"app_port": 80}}, "atelier_tier_overrides.frontend: app_port cannot be overridden"),
        ({"frontend": {"image_tag": "-bad"}}, "atelier_tier_overrides.frontend.image_tag '-bad' is not an image tag"),
        ({"frontend": {"image_tag": "x" * 129}}, "is not an image tag"),
        ({"frontend": 3}, "atelier_tier_overrides.frontend must be a dictionary"),
        (["frontend"], "atelier_tier_overrides must be a dictionary of tier name to settings"),
    ],
)
def test_bad_overrides_fail_with_every_problem_named(overrides, message):
    with pytest.raises(AnsibleFilterError, match=re.escape(message)):
        tier_overrides([FRONTEND, BACKEND], overrides)


def test_an_image_tag_needs_an_image():
    with pytest.raises(AnsibleFilterError, match="the tier has no image to tag"):
        tier_overrides([FRONTEND], {"frontend": {"image_tag": "2"}})


def test_repositories_of_the_shared_tiers():
    assert tier_repositories(_shared_tiers()) == ["goal-tracker-backend", "goal-tracker-frontend"]


@pytest.mark.parametrize(
    "images, expected",
    [
        (["goal-tracker-frontend:latest"], ["goal-tracker-frontend"]),
        (["web"], ["web"]),
        (["team/web:1.2"], ["team/web"]),
        (["web@sha256:" + "a" * 64], ["web"]),
        (["web:1", "web:2", "api:1"], ["api", "web"]),
        (["ghcr.io/acme/web:1.2", "public.ecr.aws/nginx/nginx:1.27", "localhost:5000/web", "localhost/web"], []),
        (["123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1"], []),
        (["", None], []),
    ],
)
def test_repositories_keep_only_images_of_the_accounts_ecr(images, expected):
    tiers = [dict(FRONTEND, name=f"t{i}", image=image) for i, image in enumerate(images)]

    assert tier_repositories(tiers) == expected


def test_repositories_match_the_runtime_image_uri():
    tier = dict(FRONTEND, image="team/web:1")

    assert tier_runtime(tier, ACCOUNT, REGION)["image"] == f"{ECR}/{tier_repositories([tier])[0]}:1"


@pytest.mark.parametrize("tiers", ["frontend", {"name": "frontend"}, ["frontend"]])
def test_repositories_refuse_what_is_not_a_list_of_tiers(tiers):
    with pytest.raises(AnsibleFilterError, match="tier_repositories"):
        tier_repositories(tiers)


class _NoDeepCopyDict(dict):
    """Stands for ansible-core 2.19's lazy-templating containers, whose deep copy drags the templar's variables along."""

    def __deepcopy__(self, memo):
        raise AssertionError("the tier filters must not deep-copy their input")


class _NoDeepCopyList(list):
    def __deepcopy__(self, memo):
        raise AssertionError("the tier filters must not deep-copy their input")


def _lazy_like(value):
    if isinstance(value, dict):
        return _NoDeepCopyDict({k: _lazy_like(v) for k, v in value.items()})
    if isinstance(value, list):
        return _NoDeepCopyList(_lazy_like(v) for v in value)
    return value


def test_filters_copy_their_input_as_plain_data_without_deep_copy():
    shared = yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]
    tiers = _lazy_like(shared)
    assert tier_errors(tiers, _lazy_like(SUBNET_TIERS)) == []
    settings = tier_settings(tiers[1])
    assert type(settings) is dict and type(settings["secrets"]) is dict and type(settings["alb_ports"]) is list
    assert settings == tier_settings(shared[1])
    # The copy is the filter's own: changing it leaves the input as it was.
    settings["scaling"]["cpu_target"] = 1
    assert tiers[1]["scaling"]["cpu_target"] == 70
    overridden = tier_overrides(tiers, _lazy_like({"backend": {"min_size": "3"}}))
    assert overridden[1]["min_size"] == 3 and tiers[1]["min_size"] == 2
    # The filters built on tier_settings take the same input.
    assert tier_distribution(tiers[0], "local-atelier-frontend", "alb.example.com") == tier_distribution(shared[0], "local-atelier-frontend", "alb.example.com")
    assert tier_runtime(tiers[1], "123456789012", "us-east-1") == tier_runtime(shared[1], "123456789012", "us-east-1")
    assert tier_repositories(tiers) == tier_repositories(shared)
