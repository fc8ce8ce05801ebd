# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the tier role filters (plugins/filter/tier_roles.py): registration, documentation, what they accept
from Jinja (generators, None) and what they refuse. Their logic is tested in tests/unit/plugins/module_utils/test_tier_roles.py."""

from pathlib import Path

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import tier_roles

REPO_ROOT = Path(__file__).resolve().parents[4]
FILTERS = tier_roles.FilterModule().filters()
WEB = {"name": "frontend", "app_port": 3000, "image": "web:1"}
ADDED_IN_0_2_0 = ("alb_found", "alb_load_balancer_changes", "aws_values_cover", "tagged_distribution_id", "tier_values_read")
NAMES = {"group": "p-frontend", "scaling_policy_prefix": "p-frontend-cpu-", "security_group": "p-frontend", "target_group": "p-frontend-tg"}


def test_every_filter_is_registered_and_documented():
    assert sorted(FILTERS) == [
        "alb_errors",
        "alb_found",
        "alb_listeners",
        "alb_load_balancer_changes",
        "alb_rules_kept",
        "asg_desired_capacity",
        "asg_drift",
        "asg_launch_template_errors",
        "asg_missing",
        "asg_outdated_instances",
        "asg_scaling_policies",
        "asg_user_data",
        "aws_values_cover",
        "cloudfront_errors",
        "run_distributions",
        "tagged_distribution_id",
        "tier_access",
        "tier_granted_tables",
        "tier_table_lookups",
        "tier_table_regions",
        "tier_upstream_distributions",
        "tier_upstream_environment",
        "tier_upstreams",
        "tier_values_read",
    ]
    for name, function in FILTERS.items():
        doc = yaml.safe_load((REPO_ROOT / "plugins" / "filter" / f"{name}.yml").read_text(encoding="utf-8"))
        assert doc["DOCUMENTATION"]["name"] == name
        assert doc["DOCUMENTATION"]["version_added"] == ("0.2.0" if name in ADDED_IN_0_2_0 else "0.1.0")
        assert function.__doc__
        assert "EXAMPLES" in doc and "RETURN" in doc


def test_upstream_environment_accepts_what_jinja_map_gives():
    upstreams = FILTERS["tier_upstreams"](WEB, [WEB, {"name": "api", "app_port": 80, "clients": ["frontend"]}], "p")
    found = (r for r in [[{"load_balancer_name": "p-api", "dns_name": "api.elb"}], []])
    assert FILTERS["tier_upstream_environment"](upstreams, found, None) == {"environment": {"API_URL": "http://api.elb"}, "missing": []}


def test_upstream_distributions_take_what_the_play_and_the_role_give():
    upstreams = FILTERS["tier_upstreams"](WEB, [WEB, {"name": "api", "app_port": 80, "clients": ["frontend"], "cloudfront": True}], "p")
    hostvars = {"api": {"cloudfront_outputs": {"name": "p-api", "domain_name": "d1.cloudfront.net"}}, "frontend": {}}
    given = FILTERS["run_distributions"](hostvars, (h for h in ["frontend", "api"]))
    assert given == [{"name": "p-api", "domain_name": "d1.cloudfront.net"}]
    known = FILTERS["tier_upstream_distributions"](upstreams, given, None)
    assert known == {"distributions": [{"Comment": "p-api", "DomainName": "d1.cloudfront.net"}], "unknown": []}
    # what the role passes before the list ran, or when it was skipped
    assert FILTERS["tier_upstream_distributions"](upstreams, None, {})["unknown"] == ["p-api"]
    assert FILTERS["tier_upstream_environment"](upstreams, [], known["distributions"])["environment"] == {"API_URL": "https://d1.cloudfront.net"}


def test_a_group_not_found_is_empty():
    assert FILTERS["asg_drift"]({}, {"min_size": 1}) == ["the group does not exist"]
    assert FILTERS["asg_drift"](None, {"min_size": 1}) == ["the group does not exist"]
    assert FILTERS["asg_outdated_instances"]("", "1") == []
    assert FILTERS["asg_desired_capacity"]({}, dict(WEB, desired_capacity=3, max_size=4)) == 3


def test_missing_accepts_an_absent_target_group_lookup():
    assert FILTERS["asg_missing"](WEB, NAMES, [{}], [{}], None) == ["target group p-frontend-tg"]


@pytest.mark.parametrize(
    "name, args, message",
    [
        ("alb_listeners", (["frontend"], "tg"), "alb_listeners: the tier must be a dict, got list"),
        ("alb_errors", ("alb_tier",), "alb_errors: the inputs must be a dict, got str"),
        ("cloudfront_errors", ([],), "cloudfront_errors: the inputs must be a dict, got list"),
        ("asg_launch_template_errors", (None,), "asg_launch_template_errors: the inputs must be a dict, got NoneType"),
        ("asg_drift", ([], {}), "asg_drift: the group found must be a dict, got list"),
        ("asg_drift", ({}, None), "asg_drift: the group described must be a dict, got NoneType"),
        ("asg_scaling_policies", (WEB, NAMES, "gone"), "asg_scaling_policies: state must be present or absent, got 'gone'"),
        ("asg_user_data", (WEB, "runtime"), "asg_user_data: the runtime must be a dict, got str"),
        ("tier_upstreams", (WEB, [WEB], ""), "tier_upstreams: the name prefix must be a non-empty string, got ''"),
        ("tier_upstreams", (WEB, "frontend", "p"), "tier_upstreams: the tiers must be a list, got str"),
        ("tier_upstream_environment", ([], 3), "tier_upstream_environment: the load balancers must be a list, got int"),
        ("tier_upstream_distributions", ([], "E1"), "tier_upstream_distributions: the distributions given must be a list, got str"),
        ("run_distributions", ([], ["api"]), "run_distributions: hostvars must be a dict, got list"),
        ("run_distributions", ({}, "api"), "run_distributions: the hosts must be a list, got str"),
        ("asg_user_data", (WEB, {}, {}, ["A=1"]), "asg_user_data: the grant environment must be a dict, got list"),
        ("tier_granted_tables", (WEB, None), "tier_granted_tables: the name prefix must be a non-empty string, got None"),
        ("tier_table_regions", ("results", "us-east-1"), "tier_table_regions: the lookups must be a list, got str"),
        ("tier_table_regions", ([], ""), "tier_table_regions: the region must be a non-empty string, got ''"),
        ("tier_access", (WEB, "p", "", "us-east-1"), "tier_access: the account must be a non-empty string, got ''"),
        ("tier_access", (WEB, "p", "1", "us-east-1", None), "tier_access: the partition must be a non-empty string, got None"),
        ("tier_access", (WEB, "p", "1", "us-east-1", "aws", ["AtelierDB"]), "tier_access: the table regions must be a dict, got list"),
        ("tier_access", (WEB, "p", "1", "us-east-1", "aws", {}, 5), "tier_access: the secret ARNs must be a list, got int"),
    ],
)
def test_filters_refuse_what_they_cannot_read(name, args, message):
    with pytest.raises(AnsibleFilterError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        FILTERS[name](*args)


def test_filters_work_on_copies():
    tier = dict(WEB, environment={"A": "1"})
    FILTERS["asg_user_data"](tier, {"ecr_login": False, "registry": "", "secrets": []}, {"A": "2"})
    assert tier["environment"] == {"A": "1"}
    listeners = FILTERS["alb_listeners"](WEB, "tg")
    listeners[0]["DefaultActions"].clear()
    assert FILTERS["alb_listeners"](WEB, "tg")[0]["DefaultActions"] == [{"Type": "forward", "TargetGroupName": "tg"}]


def test_the_access_filters_take_what_the_role_registers():
    # A loop over no table registers results [] (or nothing when skipped); a table lookup result goes through as is.
    backend = dict(WEB, grants=[{"kind": "dynamodb_table", "name": "AtelierDB"}])
    tables = FILTERS["tier_granted_tables"](backend, "p")
    assert tables == [{"name": "AtelierDB", "table": "p-AtelierDB"}]
    found = (r for r in [{"item": tables[0], "exists": True, "table": {"table_arn": "arn:aws:dynamodb:r1:1:table/p-AtelierDB",
                                                                         "replicas": [{"region_name": "r2"}]}}])
    regions = FILTERS["tier_table_regions"](found, "r1")
    assert regions == {"regions": {"AtelierDB": ["r1", "r2"]}, "missing": []}
    access = FILTERS["tier_access"](backend, "p", "1", "r1", "aws", regions["regions"], None)
    assert access["policy"]["Statement"][0]["Resource"] == ["arn:aws:dynamodb:r1:1:table/p-AtelierDB", "arn:aws:dynamodb:r2:1:table/p-AtelierDB"]
    assert FILTERS["tier_access"](WEB, "p", "1", "r1", "aws", None, [])["state"] == "absent"
    assert FILTERS["tier_table_regions"](None, "r1") == {"regions": {}, "missing": []}


def test_load_balancer_changes_take_what_jinja_gives_and_refuse_settings_that_are_not_a_dict():
    listeners = FILTERS["alb_listeners"](WEB, "p-frontend-tg")
    assert FILTERS["alb_load_balancer_changes"](None, {"name": "p-frontend"}, (item for item in listeners)) == ["load balancer"]
    with pytest.raises(AnsibleFilterError, match="alb_load_balancer_changes: the settings must be a dict"):
        FILTERS["alb_load_balancer_changes"]([], "p-frontend", listeners)


class OtherTiersUntouched(dict):
    """A read of every tier that fails when anything walks it whole (what a copy of it does)."""

    def items(self):
        raise AssertionError("the whole read was walked")

    def values(self):
        raise AssertionError("the whole read was walked")

    def __iter__(self):
        raise AssertionError("the whole read was walked")


def test_a_tier_looks_up_its_part_of_the_read_of_every_tier_without_walking_it():
    """Each tier host uses the read of every tier at each use: a copy of the whole made that cost grow with the square
    of the number of tiers. The filters answer from the tier's own names."""
    read = OtherTiersUntouched(
        load_balancer_details=OtherTiersUntouched({"p-web": {"dns_name": "web.elb"}, "p-api": {"dns_name": "api.elb"}}),
        missing_load_balancers=[],
        target_group_details=OtherTiersUntouched({"p-web-tg": {"arn": "tg"}}),
        missing_target_groups=["p-api-tg"],
    )
    wanted = {"load_balancers": ["p-web"], "target_groups": ["p-web-tg"]}
    assert FILTERS["aws_values_cover"](read, wanted) is read
    assert FILTERS["aws_values_cover"](read, {"load_balancers": ["p-jobs"]}) is None
    found = FILTERS["alb_found"](read, {"alb": "p-web", "target_group": "p-web-tg"})
    assert found == {"load_balancers": [{"dns_name": "web.elb"}], "target_groups": [{"arn": "tg"}]}
