# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The vpc role's input check: the module's checks under the role's variable names."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter.vpc import FilterModule
from ansible_collections.atelier.infra.plugins.filter.vpc import vpc_errors

TIERS = [
    {"name": "public", "type": "public"},
    {"name": "frontend", "type": "private"},
    {"name": "backend", "type": "private"},
    {"name": "database", "type": "isolated"},
]


def role_inputs(**overrides):
    inputs = {
        "vpc_state": "present",
        "vpc_name": "local-atelier",
        "vpc_cidr": "10.0.0.0/16",
        "vpc_az_count": 2,
        "vpc_azs": [],
        "vpc_tiers": TIERS,
        "vpc_subnets": {},
        "vpc_subnet_newbits": 8,
        "vpc_subnet_tier_stride": 10,
        "vpc_subnet_offset": 1,
        "vpc_nat_topology": "one_per_az",
        "vpc_tags": {},
        "vpc_wait_timeout": 600,
        "vpc_outputs": {"ignored": True},
    }
    inputs.update(overrides)
    return inputs


def test_registered():
    assert FilterModule().filters() == {"vpc_errors": vpc_errors}


def test_the_defaults_are_valid():
    assert vpc_errors(role_inputs()) == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"vpc_cidr": "10.0.0.0/33"}, "vpc_cidr: VPC CIDR '10.0.0.0/33' is not a valid CIDR"),
        ({"vpc_cidr": "10.0.0.1/16"}, "has host bits set; did you mean 10.0.0.0/16?"),
        ({"vpc_az_count": 1}, "need vpc_az_count at least 2 (got 1)"),
        ({"vpc_azs": ["us-east-1a"]}, "vpc_azs must be empty or name exactly vpc_az_count (2) distinct AZs"),
        ({"vpc_tiers": TIERS + [TIERS[0]]}, "vpc_tiers: tier names must be unique, 'public' is listed 2 times"),
        (
            {"vpc_cidr": "10.0.0.0/24", "vpc_subnet_newbits": 4},
            "carving the subnet plan from vpc_cidr 10.0.0.0/24 (vpc_subnet_newbits=4, vpc_subnet_tier_stride=10, vpc_subnet_offset=1)",
        ),
        ({"vpc_subnets": {"public": []}}, "vpc_subnets must name every tier of vpc_tiers"),
        ({"vpc_tags": {"atelier:tier": "x"}}, "vpc_tags must not set atelier:tier"),
        ({"vpc_wait_timeout": -1}, "vpc_wait_timeout must be a positive number of seconds"),
        (
            {"vpc_name": "a" * 60},
            "vpc_name: the flow log role name " + "a" * 60 + "-vpc-flow-logs is 74 characters; AWS allows 64",
        ),
    ],
)
def test_messages_name_the_role_variable(overrides, message):
    errors = vpc_errors(role_inputs(**overrides))
    assert any(message in e for e in errors), errors


def test_absent_checks_only_the_name_tags_and_timeout():
    assert vpc_errors(role_inputs(vpc_state="absent", vpc_cidr="nonsense", vpc_az_count=1)) == []
    assert vpc_errors(role_inputs(vpc_state="absent", vpc_name=""))[0].startswith("vpc_name must be")


def test_not_a_dict():
    with pytest.raises(AnsibleFilterError, match="expected the dict of the vpc_\\* variables"):
        vpc_errors(["vpc_cidr"])
