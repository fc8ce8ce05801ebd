# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the security_group_plan and security_groups_errors filters (the logic itself is tested in
tests/unit/plugins/module_utils/test_security_group_plan.py): registration, argument handling, documentation."""

from pathlib import Path

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter.security_groups import FilterModule
from ansible_collections.atelier.infra.plugins.filter.security_groups import security_group_plan
from ansible_collections.atelier.infra.plugins.filter.security_groups import security_groups_errors

FILTER_DIR = Path(__file__).resolve().parents[4] / "plugins" / "filter"
FRONTEND = {"name": "frontend", "app_port": 3000, "alb_ports": [443], "cloudfront": True}
BACKEND = {"name": "backend", "app_port": 8080, "alb_scheme": "internal", "alb_ports": [80], "clients": ["frontend"]}


def test_filters_are_registered_and_documented():
    filters = FilterModule().filters()
    assert filters == {"security_group_plan": security_group_plan, "security_groups_errors": security_groups_errors}
    for name in filters:
        doc = yaml.safe_load((FILTER_DIR / f"{name}.yml").read_text(encoding="utf-8"))
        assert doc["DOCUMENTATION"]["name"] == name


def test_plan_with_the_role_defaults():
    groups = security_group_plan([FRONTEND, BACKEND], "local-atelier", database_clients=["backend"])

    assert [g["name"] for g in groups] == [
        "local-atelier-frontend-alb", "local-atelier-frontend", "local-atelier-backend-alb", "local-atelier-backend",
        "local-atelier-database",
    ]
    assert groups[0]["rules"] == [{
        "proto": "tcp", "ports": [443], "prefix_list_name": "com.amazonaws.global.cloudfront.origin-facing",
        "rule_desc": "Listener 443 from CloudFront origin-facing ranges only",
    }]
    assert groups[-1]["rules"][0]["group_name"] == "local-atelier-backend"


def test_plan_takes_none_for_empty_lists():
    groups = security_group_plan([FRONTEND], "p", database_clients=None, bastion_enabled=True, admin_cidrs=None)
    assert [g["name"] for g in groups] == ["p-frontend-alb", "p-frontend", "p-database", "p-bastion"]
    assert groups[2]["rules"] == [] and groups[3]["rules"] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (("frontend", "p"), "the tiers must be a list, got str"),
        (([{"app_port": 80}], "p"), "each tier must be a dict with a name"),
        (([FRONTEND], ""), "the name prefix must be a non-empty string"),
        (([FRONTEND], "p", True, 5432, "backend"), "database_clients must be a list, got str"),
        (([FRONTEND], "p", True, 5432, [], True, "10.0.0.0/8"), "admin_cidrs must be a list, got str"),
    ],
)
def test_plan_refuses_what_it_cannot_read(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        security_group_plan(*args)


def test_errors_take_the_role_variables():
    inputs = {"security_groups_tiers": [FRONTEND, BACKEND], "security_groups_database_clients": ["batch"],
              "security_groups_admin_cidrs": ["0.0.0.0/0"]}
    assert security_groups_errors(inputs) == [
        "security_groups_database_clients: database client batch is not a tier (frontend, backend)",
        "security_groups_admin_cidrs: 0.0.0.0/0 would open SSH to the whole internet",
    ]


def test_errors_check_the_distribution_of_a_cloudfront_tier():
    tiers = [dict(FRONTEND, distribution={"aliases": ["www.example.com"]})]
    errors = security_groups_errors({"security_groups_tiers": tiers, "security_groups_database_enabled": False})
    assert errors == ["tier frontend: distribution: aliases need certificate_arn: an ACM certificate in us-east-1 that covers every alias"]


def test_errors_refuse_a_non_dict():
    with pytest.raises(AnsibleFilterError, match="expected a dict of the role's variables, got list"):
        security_groups_errors([])
