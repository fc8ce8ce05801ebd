# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of module_utils/security_group_plan.py: the groups and rules planned from the tiers (every name,
port, source and description spelled out), and the checks of the security_groups role's inputs."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils.security_group_plan import errors
from ansible_collections.atelier.infra.plugins.module_utils.security_group_plan import plan

P = "dev-web"
CF = "com.amazonaws.global.cloudfront.origin-facing"
FRONTEND = {"name": "frontend", "app_port": 3000, "alb_scheme": "internet-facing", "alb_ports": [80, 443]}
BACKEND = {"name": "backend", "app_port": 8080, "alb_scheme": "internal", "alb_ports": [80], "clients": ["frontend"]}
SUBNET_TIERS = [
    {"name": "public", "type": "public"},
    {"name": "frontend", "type": "private"},
    {"name": "backend", "type": "private"},
    {"name": "database", "type": "isolated"},
]


def rule(port, desc, **source):
    return dict({"proto": "tcp", "ports": [port]}, **source, rule_desc=desc)


def group(name, desc, tier, rules):
    return {"name": name, "description": desc, "rules": rules, "tags": {"Name": name, "atelier:tier": tier}}


FRONTEND_APP = group("dev-web-frontend", "Instances of the frontend tier", "frontend",
                     [rule(3000, "App port 3000 from the frontend ALB only", group_name="dev-web-frontend-alb")])
BACKEND_ALB = group("dev-web-backend-alb", "ALB of the backend tier", "backend",
                    [rule(80, "HTTP 80 from the frontend tier", group_name="dev-web-frontend")])
BACKEND_APP = group("dev-web-backend", "Instances of the backend tier", "backend",
                    [rule(8080, "App port 8080 from the backend ALB only", group_name="dev-web-backend-alb")])
DATABASE = group("dev-web-database", "Database of the stack", "database",
                 [rule(5432, "Database port from the backend tier only", group_name="dev-web-backend")])

PLANS = [
    (
        "goal-tracker-tiers",
        dict(tiers=[FRONTEND, BACKEND], database_clients=["backend"]),
        [
            group("dev-web-frontend-alb", "ALB of the frontend tier", "frontend", [
                rule(80, "Listener 80 from the internet", cidr_ip="0.0.0.0/0"),
                rule(443, "Listener 443 from the internet", cidr_ip="0.0.0.0/0"),
            ]),
            FRONTEND_APP, BACKEND_ALB, BACKEND_APP, DATABASE,
        ],
    ),
    (
        "tier-defaults-filled-in",  # alb_ports [80, 443], internet-facing, no CloudFront
        dict(tiers=[{"name": "web", "app_port": 8000}], database_enabled=False),
        [
            group("dev-web-web-alb", "ALB of the web tier", "web", [
                rule(80, "Listener 80 from the internet", cidr_ip="0.0.0.0/0"),
                rule(443, "Listener 443 from the internet", cidr_ip="0.0.0.0/0"),
            ]),
            group("dev-web-web", "Instances of the web tier", "web",
                  [rule(8000, "App port 8000 from the web ALB only", group_name="dev-web-web-alb")]),
        ],
    ),
    (
        "cloudfront-prefix-list-by-name",
        dict(tiers=[dict(FRONTEND, alb_ports=[443], cloudfront=True), BACKEND], database_clients=["backend"]),
        [
            group("dev-web-frontend-alb", "ALB of the frontend tier", "frontend",
                  [rule(443, "Listener 443 from CloudFront origin-facing ranges only", prefix_list_name=CF)]),
            FRONTEND_APP, BACKEND_ALB, BACKEND_APP, DATABASE,
        ],
    ),
    (
        "other-prefix-list-name",
        dict(tiers=[dict(FRONTEND, alb_ports=[80], cloudfront=True)], database_enabled=False,
             cloudfront_prefix_list="my-edge"),
        [
            group("dev-web-frontend-alb", "ALB of the frontend tier", "frontend",
                  [rule(80, "Listener 80 from CloudFront origin-facing ranges only", prefix_list_name="my-edge")]),
            FRONTEND_APP,
        ],
    ),
    (
        "internal-alb-with-two-clients-and-two-ports",
        dict(tiers=[FRONTEND, {"name": "admin", "app_port": 9000, "alb_ports": [80, 443], "alb_scheme": "internet-facing"},
                    dict(BACKEND, alb_ports=[80, 8443], clients=["frontend", "admin"])],
             database_enabled=False),
        [
            group("dev-web-frontend-alb", "ALB of the frontend tier", "frontend", [
                rule(80, "Listener 80 from the internet", cidr_ip="0.0.0.0/0"),
                rule(443, "Listener 443 from the internet", cidr_ip="0.0.0.0/0"),
            ]),
            FRONTEND_APP,
            group("dev-web-admin-alb", "ALB of the admin tier", "admin", [
                rule(80, "Listener 80 from the internet", cidr_ip="0.0.0.0/0"),
                rule(443, "Listener 443 from the internet", cidr_ip="0.0.0.0/0"),
            ]),
            group("dev-web-admin", "Instances of the admin tier", "admin",
                  [rule(9000, "App port 9000 from the admin ALB only", group_name="dev-web-admin-alb")]),
            group("dev-web-backend-alb", "ALB of the backend tier", "backend", [
                rule(80, "HTTP 80 from the frontend tier", group_name="dev-web-frontend"),
                rule(80, "HTTP 80 from the admin tier", group_name="dev-web-admin"),
                rule(8443, "HTTP 8443 from the frontend tier", group_name="dev-web-frontend"),
                rule(8443, "HTTP 8443 from the admin tier", group_name="dev-web-admin"),
            ]),
            BACKEND_APP,
        ],
    ),
    (
        "database-other-port-two-clients",
        dict(tiers=[FRONTEND, BACKEND], database_port="3306", database_clients=["backend", "frontend"]),
        [
            "dev-web-frontend-alb", FRONTEND_APP, BACKEND_ALB, BACKEND_APP,
            group("dev-web-database", "Database of the stack", "database", [
                rule(3306, "Database port from the backend tier only", group_name="dev-web-backend"),
                rule(3306, "Database port from the frontend tier only", group_name="dev-web-frontend"),
            ]),
        ],
    ),
    (
        "database-without-clients-admits-nothing",
        dict(tiers=[FRONTEND], database_clients=[]),
        ["dev-web-frontend-alb", FRONTEND_APP, group("dev-web-database", "Database of the stack", "database", [])],
    ),
    (
        "bastion-without-admin-cidrs-no-ssh-anywhere",
        dict(tiers=[FRONTEND], database_enabled=False, bastion_enabled=True),
        ["dev-web-frontend-alb", FRONTEND_APP, group("dev-web-bastion", "Bastion host (SSH from the admin CIDRs only)", "bastion", [])],
    ),
    (
        "bastion-with-admin-cidrs-ssh-from-the-bastion-only",
        dict(tiers=[FRONTEND, BACKEND], database_clients=["backend"], bastion_enabled="true",
             admin_cidrs=["203.0.113.0/24", "198.51.100.7/32"]),
        [
            "dev-web-frontend-alb",
            group("dev-web-frontend", "Instances of the frontend tier", "frontend", [
                rule(3000, "App port 3000 from the frontend ALB only", group_name="dev-web-frontend-alb"),
                rule(22, "SSH from the bastion only", group_name="dev-web-bastion"),
            ]),
            BACKEND_ALB,
            group("dev-web-backend", "Instances of the backend tier", "backend", [
                rule(8080, "App port 8080 from the backend ALB only", group_name="dev-web-backend-alb"),
                rule(22, "SSH from the bastion only", group_name="dev-web-bastion"),
            ]),
            DATABASE,
            group("dev-web-bastion", "Bastion host (SSH from the admin CIDRs only)", "bastion", [
                rule(22, "SSH from admin 203.0.113.0/24", cidr_ip="203.0.113.0/24"),
                rule(22, "SSH from admin 198.51.100.7/32", cidr_ip="198.51.100.7/32"),
            ]),
        ],
    ),
    (
        # A fargate tier's tasks (registered by IP address) are admitted from its ALB on app_port like instances; they
        # run no SSH daemon, so no SSH from the bastion, while the ec2 tier beside it keeps it.
        "fargate-tier-no-ssh-from-the-bastion",
        dict(tiers=[FRONTEND, dict(BACKEND, runtime="fargate")], database_clients=["backend"], bastion_enabled=True,
             admin_cidrs=["203.0.113.0/24"]),
        [
            "dev-web-frontend-alb",
            group("dev-web-frontend", "Instances of the frontend tier", "frontend", [
                rule(3000, "App port 3000 from the frontend ALB only", group_name="dev-web-frontend-alb"),
                rule(22, "SSH from the bastion only", group_name="dev-web-bastion"),
            ]),
            BACKEND_ALB,
            BACKEND_APP,
            DATABASE,
            "dev-web-bastion",
        ],
    ),
    (
        "admin-cidrs-without-bastion-change-nothing",
        dict(tiers=[FRONTEND], database_enabled=False, bastion_enabled=False, admin_cidrs=["203.0.113.0/24"]),
        ["dev-web-frontend-alb", FRONTEND_APP],
    ),
]


@pytest.mark.parametrize("kwargs, expected", [c[1:] for c in PLANS], ids=[c[0] for c in PLANS])
def test_plan(kwargs, expected):
    kwargs = dict(kwargs)
    groups = plan(kwargs.pop("tiers"), P, **kwargs)

    # A name alone stands for a group whose rules another case spells out.
    assert [g["name"] for g in groups] == [e if isinstance(e, str) else e["name"] for e in expected]
    for got, want in zip(groups, expected):
        if not isinstance(want, str):
            assert got == want


def test_plan_does_not_change_the_tiers():
    tiers = [dict(FRONTEND), dict(BACKEND)]
    plan(tiers, P)
    assert tiers == [FRONTEND, BACKEND]


ERRORS = [
    ("valid", {}, []),
    ("no-tiers", {"security_groups_tiers": [], "security_groups_database_enabled": False},
     ["security_groups_tiers: at least one tier is needed"]),
    (
        "tier-port-out-of-range",
        {"security_groups_tiers": [dict(FRONTEND, app_port=70000), BACKEND]},
        ["tier frontend: app_port must be an integer between 1 and 65535, got 70000"],
    ),
    (
        "tier-client-not-a-tier",
        {"security_groups_tiers": [FRONTEND, dict(BACKEND, clients=["mobile"])]},
        ["tier backend: client mobile is not another tier (frontend, backend)"],
    ),
    (
        "cloudfront-in-front-of-an-internal-alb",
        {"security_groups_tiers": [FRONTEND, dict(BACKEND, cloudfront=True)]},
        ["tier backend: CloudFront can only front an internet-facing ALB"],
    ),
    (
        "database-client-not-a-tier",
        {"security_groups_database_clients": ["batch", "backend"]},
        ["security_groups_database_clients: database client batch is not a tier (frontend, backend)"],
    ),
    (
        "database-port-out-of-range",
        {"security_groups_database_port": 0},
        ["security_groups_database_port 0 is not between 1 and 65535"],
    ),
    ("database-port-string", {"security_groups_database_port": "70000"},
     ["security_groups_database_port 70000 is not between 1 and 65535"]),
    (
        "database-disabled-is-not-checked",
        {"security_groups_database_enabled": False, "security_groups_database_port": 0,
         "security_groups_database_clients": ["batch"]},
        [],
    ),
    ("admin-cidr-whole-internet", {"security_groups_admin_cidrs": ["0.0.0.0/0"]},
     ["security_groups_admin_cidrs: 0.0.0.0/0 would open SSH to the whole internet"]),
    ("admin-cidr-invalid", {"security_groups_admin_cidrs": ["300.1.1.1/32"]},
     ["security_groups_admin_cidrs: '300.1.1.1/32' is not an IPv4 CIDR such as 203.0.113.0/24"]),
    ("admin-cidr-host-bits", {"security_groups_admin_cidrs": ["203.0.113.7/24"]},
     ["security_groups_admin_cidrs: '203.0.113.7/24' has host bits set; did you mean 203.0.113.0/24?"]),
    ("admin-cidr-without-prefix", {"security_groups_admin_cidrs": ["203.0.113.7"]},
     ["security_groups_admin_cidrs: '203.0.113.7' is not an IPv4 CIDR such as 203.0.113.0/24 (network/prefix length)"]),
    ("admin-cidr-ipv6", {"security_groups_admin_cidrs": ["2001:db8::/32"]},
     ["security_groups_admin_cidrs: '2001:db8::/32' is an IPv6 network; only IPv4 CIDRs are supported"]),
    ("admin-cidrs-valid", {"security_groups_admin_cidrs": ["203.0.113.0/24", "198.51.100.7/32"]}, []),
    (
        "subnet-tiers-checked",
        {"security_groups_tiers": [dict(FRONTEND, subnets="app"), BACKEND], "_subnets": SUBNET_TIERS},
        ["tier frontend: subnets 'app' is not a subnet tier of the VPC (public, frontend, backend, database)"],
    ),
    (
        "wrong-types-left-to-the-argument-spec",
        {"security_groups_database_port": "many", "security_groups_admin_cidrs": "10.0.0.0/8",
         "security_groups_database_clients": "backend"},
        [],
    ),
]


@pytest.mark.parametrize("inputs, expected", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors(inputs, expected):
    base = {
        "security_groups_tiers": [FRONTEND, BACKEND],
        "security_groups_database_enabled": True,
        "security_groups_database_port": 5432,
        "security_groups_database_clients": ["backend"],
        "security_groups_admin_cidrs": [],
        "security_groups_outputs": {"ignored": True},
    }
    inputs = dict(inputs)
    subnets = inputs.pop("_subnets", None)
    assert errors(dict(base, **inputs), subnets) == expected


def test_errors_pass_the_distribution_checks_on():
    seen = []
    inputs = {"security_groups_tiers": [dict(FRONTEND, cloudfront=True)], "security_groups_database_enabled": False}

    result = errors(inputs, None, lambda options: seen.append(options["name"]) or ["boom"])

    assert seen == ["check"]
    assert result == ["tier frontend: distribution: boom"]
