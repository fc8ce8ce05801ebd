# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The vpc_network input checks (before any AWS call) and the checks against the region's AZs."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import ec2_network
from ansible_collections.atelier.infra.plugins.module_utils._vpc_network import validation

from tests.unit.plugins.module_utils.test_vpc_network_builders import REGION_AZS
from tests.unit.plugins.module_utils.test_vpc_network_builders import goal_tracker_params

TWO_TIERS = [{"name": "public", "type": "public"}, {"name": "app", "type": "private"}]


def plan_of(**tiers):
    return {tier: [{"az": az, "cidr": cidr} for az, cidr in entries] for tier, entries in tiers.items()}


def test_the_goal_tracker_network_is_valid():
    assert ec2_network.input_errors(goal_tracker_params()) == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"cidr_block": "10.0.0.0/33"}, "cidr_block: VPC CIDR '10.0.0.0/33' is not a valid CIDR"),
        (
            {"cidr_block": "10.0.0.1/16"},
            "cidr_block: VPC CIDR '10.0.0.1/16' has host bits set; did you mean 10.0.0.0/16?",
        ),
        ({"cidr_block": "10.0.0.0/8"}, "AWS only allows CIDR blocks between /16 and /28"),
        ({"cidr_block": None}, "cidr_block: VPC CIDR must be a CIDR string"),
        ({"az_count": 1}, "need az_count at least 2 (got 1)"),
        ({"az_count": "two"}, "az_count must be an integer, got 'two'"),
        ({"azs": ["us-east-1a", "us-east-1a"]}, "azs names us-east-1a 2 times"),
        (
            {"azs": ["us-east-1a", "us-east-1b", "us-east-1c"]},
            "azs must be empty or name exactly az_count (2) distinct AZs",
        ),
        (
            {"tiers": [{"name": "public", "type": "public"}, {"name": "public", "type": "private"}]},
            "tiers: tier names must be unique, 'public' is listed 2 times",
        ),
        (
            {"tiers": [{"name": "public", "type": "dmz"}]},
            "tiers: tier 'public' has type 'dmz'; the type must be one of public, private, isolated",
        ),
        ({"tiers": [{"name": "no spaces", "type": "public"}]}, "tiers[0]: the tier name must be 1 to 30 letters"),
        ({"tiers": []}, "tiers must be a non-empty list of {name, type}"),
        (
            {"tiers": [{"name": "app", "type": "private"}]},
            "nat_topology=one_per_az puts NAT gateways in the public tier's subnets",
        ),
        ({"nat_topology": "two"}, "nat_topology must be one of one_per_az, single, none, got 'two'"),
        (
            {"newbits": 4, "cidr_block": "10.0.0.0/24"},
            "carving the subnet plan from cidr_block 10.0.0.0/24 (newbits=4, tier_stride=10, offset=1): the plan does not fit",
        ),
        ({"tier_stride": 1}, "2 AZs do not fit in tier_stride=1"),
        (
            {"endpoints": ["s3", "sqs"]},
            "endpoints: 'sqs' has no gateway endpoint; gateway endpoints exist for s3, dynamodb",
        ),
        ({"endpoints": ["s3", "s3"]}, "endpoints lists s3 2 times"),
        ({"tags": {"Name": "x"}}, "tags must not set Name: the module sets them on each resource"),
        ({"tags": "env=prod"}, "tags must be a dict, got str"),
        ({"wait_timeout": 0}, "wait_timeout must be a positive number of seconds, got 0"),
        ({"name": "-bad"}, "name must be 1 to 200 letters"),
    ],
)
def test_input_errors(overrides, message):
    errors = ec2_network.input_errors(goal_tracker_params(**overrides))
    assert any(message in e for e in errors), errors


@pytest.mark.parametrize(
    "subnets, message",
    [
        (
            plan_of(public=[("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24")]),
            "subnets must name every tier of tiers (public, app) and no other, got public",
        ),
        (
            plan_of(public=[("us-east-1a", "10.0.1.0/24")], app=[("us-east-1a", "10.0.11.0/24")]),
            "subnets: tier public has 1 subnets; one per AZ over az_count (2) AZs makes 2",
        ),
        (
            plan_of(
                public=[("us-east-1a", "10.0.1.0/24"), ("us-east-1a", "10.0.2.0/24")],
                app=[("us-east-1a", "10.0.11.0/24"), ("us-east-1b", "10.0.12.0/24")],
            ),
            "subnets: tier public has 2 subnets in us-east-1a; one per AZ",
        ),
        (
            plan_of(
                public=[("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24")],
                app=[("us-east-1a", "10.0.11.0/24"), ("us-east-1c", "10.0.12.0/24")],
            ),
            "subnets: every tier must be over the same AZs; app is over us-east-1a, us-east-1c, public over us-east-1a, us-east-1b",
        ),
        (
            plan_of(
                public=[("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24")],
                app=[("us-east-1a", "10.1.11.0/24"), ("us-east-1b", "10.0.12.0/24")],
            ),
            "subnets: app[0] (us-east-1a) 10.1.11.0/24 is outside the VPC CIDR 10.0.0.0/16",
        ),
        (
            plan_of(
                public=[("us-east-1a", "10.0.0.0/20"), ("us-east-1b", "10.0.16.0/20")],
                app=[("us-east-1a", "10.0.8.0/24"), ("us-east-1b", "10.0.32.0/24")],
            ),
            "subnets: public[0] (us-east-1a) 10.0.0.0/20 overlaps app[0] (us-east-1a) 10.0.8.0/24",
        ),
    ],
    ids=["missing tier", "one subnet per az", "az twice", "different azs", "outside the vpc", "overlap"],
)
def test_explicit_plan_errors(subnets, message):
    errors = ec2_network.input_errors(goal_tracker_params(tiers=TWO_TIERS, subnets=subnets))
    assert any(message in e for e in errors), errors


def test_an_explicit_plan_sets_the_az_count_and_azs_must_match_it():
    subnets = plan_of(
        public=[("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24"), ("us-east-1c", "10.0.3.0/24")],
        app=[("us-east-1a", "10.0.11.0/24"), ("us-east-1b", "10.0.12.0/24"), ("us-east-1c", "10.0.13.0/24")],
    )
    assert ec2_network.input_errors(goal_tracker_params(tiers=TWO_TIERS, subnets=subnets, az_count=None)) == []
    errors = ec2_network.input_errors(
        goal_tracker_params(tiers=TWO_TIERS, subnets=subnets, az_count=None, azs=["us-east-1a", "us-east-1b", "us-east-1d"])
    )
    assert any(
        "subnets: tier public is over us-east-1a, us-east-1b, us-east-1c, but azs names" in e for e in errors
    ), errors


def test_labels_name_the_callers_variables():
    errors = ec2_network.input_errors(
        goal_tracker_params(cidr_block="10.0.0.1/16", az_count=1), labels={"cidr_block": "vpc_cidr", "az_count": "vpc_az_count"}
    )
    assert errors[0].startswith("vpc_cidr: VPC CIDR")
    assert any("need vpc_az_count at least 2 (got 1)" in e for e in errors)


def test_absent_checks_only_what_removing_needs():
    assert ec2_network.input_errors(goal_tracker_params(cidr_block="nonsense", tiers=None), absent=True) == []
    assert ec2_network.input_errors(goal_tracker_params(name=""), absent=True)[0].startswith("name must be 1 to 200")


def test_every_problem_is_reported_at_once():
    errors = ec2_network.input_errors(goal_tracker_params(cidr_block="10.0.0.1/16", az_count=1, nat_topology="two"))
    assert len(errors) == 3


def test_region_errors():
    assert ec2_network.region_errors(goal_tracker_params(), "us-east-1", REGION_AZS) == []
    (message,) = ec2_network.region_errors(goal_tracker_params(az_count=7), "us-east-1", REGION_AZS)
    assert message == (
        "Region us-east-1 has 6 available AZs (us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f); "
        "az_count asks for 7"
    )
    (message,) = ec2_network.region_errors(goal_tracker_params(azs=["us-east-1a", "mars-1b"]), "us-east-1", REGION_AZS)
    assert "asked for 2 named us-east-1a, mars-1b: mars-1b is not among them" in message


def test_choose_azs():
    assert validation.choose_azs(goal_tracker_params(), list(reversed(REGION_AZS))) == ["us-east-1a", "us-east-1b"]
    assert validation.choose_azs(goal_tracker_params(azs=["us-east-1c", "us-east-1a"]), REGION_AZS) == [
        "us-east-1c",
        "us-east-1a",
    ]
