# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the subnet_plan and subnet_errors filters."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter.network import FilterModule
from ansible_collections.atelier.infra.plugins.filter.network import cidr_errors
from ansible_collections.atelier.infra.plugins.filter.network import subnet_errors
from ansible_collections.atelier.infra.plugins.filter.network import subnet_plan

AZS = ["eu-west-1a", "eu-west-1b"]


def test_filters_are_registered():
    assert FilterModule().filters() == {"subnet_plan": subnet_plan, "subnet_errors": subnet_errors, "cidr_errors": cidr_errors}


def test_default_is_the_goal_tracker_plan_exactly():
    assert subnet_plan("10.0.0.0/16", AZS) == {
        "public": [{"az": "eu-west-1a", "cidr": "10.0.1.0/24"}, {"az": "eu-west-1b", "cidr": "10.0.2.0/24"}],
        "frontend": [{"az": "eu-west-1a", "cidr": "10.0.11.0/24"}, {"az": "eu-west-1b", "cidr": "10.0.12.0/24"}],
        "backend": [{"az": "eu-west-1a", "cidr": "10.0.21.0/24"}, {"az": "eu-west-1b", "cidr": "10.0.22.0/24"}],
        "database": [{"az": "eu-west-1a", "cidr": "10.0.31.0/24"}, {"az": "eu-west-1b", "cidr": "10.0.32.0/24"}],
    }
    assert list(subnet_plan("10.0.0.0/16", AZS)) == ["public", "frontend", "backend", "database"]


def test_three_azs():
    azs = ["us-east-1a", "us-east-1b", "us-east-1c"]

    plan = subnet_plan("10.20.0.0/16", azs)

    assert {tier: [s["cidr"] for s in subnets] for tier, subnets in plan.items()} == {
        "public": ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"],
        "frontend": ["10.20.11.0/24", "10.20.12.0/24", "10.20.13.0/24"],
        "backend": ["10.20.21.0/24", "10.20.22.0/24", "10.20.23.0/24"],
        "database": ["10.20.31.0/24", "10.20.32.0/24", "10.20.33.0/24"],
    }
    assert [s["az"] for s in plan["database"]] == azs
    assert subnet_errors("10.20.0.0/16", plan) == []


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (
            dict(tiers=["public", "private"], newbits=4, tier_stride=4),
            {"public": ["10.20.16.0/20", "10.20.32.0/20"], "private": ["10.20.80.0/20", "10.20.96.0/20"]},
        ),
        (dict(tiers=["app"], offset=0), {"app": ["10.20.0.0/24", "10.20.1.0/24"]}),
        (dict(tiers=["app"], newbits=12, offset=0), {"app": ["10.20.0.0/28", "10.20.0.16/28"]}),
    ],
    ids=["/20 subnets", "offset 0", "smallest /28"],
)
def test_options(kwargs, expected):
    plan = subnet_plan("10.20.0.0/16", AZS, **kwargs)

    assert {tier: [s["cidr"] for s in subnets] for tier, subnets in plan.items()} == expected


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("10.0.0.0/33", AZS), {}, "VPC CIDR '10.0.0.0/33' is not a valid CIDR"),
        (("banana", AZS), {}, "VPC CIDR 'banana' is not a CIDR: the prefix length is missing"),
        (("10.0.0.0", AZS), {}, "the prefix length is missing (for example 10.0.0.0/16)"),
        (("10.0.1.0/16", AZS), {}, "VPC CIDR '10.0.1.0/16' has host bits set; did you mean 10.0.0.0/16?"),
        ((None, AZS), {}, "VPC CIDR must be a CIDR string"),
        (("fd00::/56", AZS), {}, "is an IPv6 network; only IPv4"),
        (("10.0.0.0/8", AZS), {}, "VPC CIDR 10.0.0.0/8 is a /8; AWS only allows CIDR blocks between /16 and /28"),
        (("10.0.0.0/16", []), {}, "azs is empty"),
        (("10.0.0.0/16", "eu-west-1a"), {}, "azs must be a list of names"),
        (("10.0.0.0/16", ["a", "a"]), {}, "duplicate azs: a"),
        (("10.0.0.0/16", AZS), dict(tiers=["web", "db", "web"]), "duplicate tiers: web"),
        (("10.0.0.0/16", AZS), dict(tiers=[]), "tiers is empty"),
        (("10.0.0.0/16", ["a", "b", "c"]), dict(tier_stride=2), "3 AZs do not fit in tier_stride=2"),
        (
            ("10.0.0.0/16", AZS),
            dict(newbits=13),
            "gives /29 subnets; the smallest subnet AWS allows is /28, so newbits must be at most 12",
        ),
        (("10.0.0.0/24", AZS), dict(), "gives /32 subnets"),
        (
            ("10.0.0.0/16", AZS),
            dict(newbits=4),
            "need network number 32, but 10.0.0.0/16 split into /20 subnets has only 16 networks (numbers 0 to 15)",
        ),
        (("10.0.0.0/16", AZS), dict(newbits="eight"), "newbits must be an integer"),
        (("10.0.0.0/16", AZS), dict(tier_stride=0), "tier_stride must be at least 1"),
    ],
    ids=[
        "invalid prefix",
        "not a cidr",
        "missing prefix",
        "host bits",
        "none",
        "ipv6",
        "vpc too large",
        "empty azs",
        "azs as string",
        "duplicate azs",
        "duplicate tiers",
        "empty tiers",
        "more azs than stride",
        "subnets smaller than /28",
        "vpc /24 with default newbits",
        "plan does not fit",
        "newbits not an integer",
        "stride zero",
    ],
)
def test_subnet_plan_errors(args, kwargs, message):
    with pytest.raises(AnsibleFilterError) as raised:
        subnet_plan(*args, **kwargs)

    assert message in str(raised.value)
    assert str(raised.value).startswith("subnet_plan: ")


def _plan(*entries):
    """{"tier": [(az, cidr), ...]} -> the filter's shape."""
    return {tier: [{"az": az, "cidr": cidr} for az, cidr in subnets] for tier, subnets in entries}


def test_subnet_errors_valid_plan():
    assert subnet_errors("10.0.0.0/16", subnet_plan("10.0.0.0/16", AZS)) == []


@pytest.mark.parametrize(
    "vpc_cidr, subnets, expected",
    [
        (
            "10.0.0.0/16",
            _plan(("public", [("eu-west-1a", "10.0.1.0/24"), ("eu-west-1b", "10.0.300.0/24")])),
            [
                "public[1] (eu-west-1b) CIDR '10.0.300.0/24' is not a valid CIDR (expected an IPv4 network such as 10.0.0.0/16)"
            ],
        ),
        (
            "10.0.0.0/16",
            _plan(("public", [("eu-west-1a", "10.0.1.1/24")])),
            ["public[0] (eu-west-1a) CIDR '10.0.1.1/24' has host bits set; did you mean 10.0.1.0/24?"],
        ),
        (
            "10.0.0.0/16",
            _plan(("public", [("eu-west-1a", "10.1.1.0/24")])),
            ["public[0] (eu-west-1a) 10.1.1.0/24 is outside the VPC CIDR 10.0.0.0/16"],
        ),
        (
            "10.0.0.0/16",
            _plan(("public", [("eu-west-1a", "10.0.1.0/24")]), ("backend", [("eu-west-1b", "10.0.0.0/23")])),
            ["public[0] (eu-west-1a) 10.0.1.0/24 overlaps backend[0] (eu-west-1b) 10.0.0.0/23"],
        ),
        (
            "10.0.0.0/16",
            _plan(("public", [("eu-west-1a", "10.0.1.0/24"), ("eu-west-1b", "10.0.1.0/24")])),
            ["public[0] (eu-west-1a) 10.0.1.0/24 overlaps public[1] (eu-west-1b) 10.0.1.0/24"],
        ),
        (
            "10.0.0.0/16",
            _plan(("public", [("eu-west-1a", "10.0.1.0/29")])),
            ["public[0] (eu-west-1a) CIDR 10.0.1.0/29 is a /29; AWS only allows CIDR blocks between /16 and /28"],
        ),
        (
            "10.0.0.0/8",
            _plan(("public", [("eu-west-1a", "10.0.0.0/16")])),
            ["VPC CIDR 10.0.0.0/8 is a /8; AWS only allows CIDR blocks between /16 and /28"],
        ),
        (
            "10.0.0.0/16",
            {"public": [{"cidr": "10.0.1.0/24"}, {"az": "", "cidr": "10.0.2.0/24"}]},
            [
                "public[0] (10.0.1.0/24) has no AZ: set az to an availability zone name",
                "public[1] (10.0.2.0/24) has no AZ: set az to an availability zone name",
            ],
        ),
        (
            "10.0.0.1/16",
            _plan(("public", [("eu-west-1a", "10.0.1.0/24")])),
            ["VPC CIDR '10.0.0.1/16' has host bits set; did you mean 10.0.0.0/16?"],
        ),
        (
            "10.0.0.0/16",
            {"public": "10.0.1.0/24"},
            ["tier 'public' must be a list of {az, cidr} entries, got str"],
        ),
        (
            "10.0.0.0/16",
            ["10.0.1.0/24"],
            ["subnets must be a dict of tier name -> list of {az, cidr}, got list"],
        ),
    ],
    ids=[
        "invalid cidr",
        "host bits",
        "outside vpc",
        "overlap across tiers",
        "same cidr twice",
        "prefix too small",
        "vpc too large",
        "az missing",
        "vpc host bits",
        "tier not a list",
        "not a dict",
    ],
)
def test_subnet_errors(vpc_cidr, subnets, expected):
    assert subnet_errors(vpc_cidr, subnets) == expected


def test_subnet_errors_reports_every_problem():
    subnets = _plan(
        ("public", [("eu-west-1a", "10.0.1.0/24"), ("eu-west-1b", "10.9.0.0/24")]),
        ("database", [("eu-west-1a", "10.0.1.0/25")]),
    )

    errors = subnet_errors("10.0.0.0/16", subnets)

    assert errors == [
        "public[1] (eu-west-1b) 10.9.0.0/24 is outside the VPC CIDR 10.0.0.0/16",
        "public[0] (eu-west-1a) 10.0.1.0/24 overlaps database[0] (eu-west-1a) 10.0.1.0/25",
    ]


@pytest.mark.parametrize(
    "cidrs, expected",
    [
        (["203.0.113.0/24", "198.51.100.7/32"], []),
        ([], []),
        (["203.0.113.7/24"], ["CIDR '203.0.113.7/24' has host bits set; did you mean 203.0.113.0/24?"]),
        (["300.1.1.1/32"], ["CIDR '300.1.1.1/32' is not a valid CIDR (expected an IPv4 network such as 10.0.0.0/16)"]),
        (["10.0.0.1"], ["CIDR '10.0.0.1' is not a CIDR: the prefix length is missing (for example 10.0.0.1/16)"]),
        (["2001:db8::/32"], ["CIDR '2001:db8::/32' is an IPv6 network; only IPv4 CIDR blocks are supported"]),
        ("10.0.0.0/8", ["expected a list of CIDRs such as ['203.0.113.0/24'], got '10.0.0.0/8'"]),
    ],
    ids=["valid", "empty", "host-bits", "not-an-address", "no-prefix", "ipv6", "not-a-list"],
)
def test_cidr_errors(cidrs, expected):
    assert cidr_errors(cidrs) == expected
