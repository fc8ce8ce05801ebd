# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the bastion filters (the logic's own tests: tests/unit/plugins/module_utils/test_bastion_role.py)."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter.bastion import FilterModule
from ansible_collections.atelier.infra.plugins.filter.bastion import bastion_errors
from ansible_collections.atelier.infra.plugins.filter.bastion import bastion_outputs
from ansible_collections.atelier.infra.plugins.filter.bastion import bastion_subnet_tier

from tests.unit.plugins.module_utils.test_bastion_role import DEFAULTS


def test_filters_are_registered():
    assert FilterModule().filters() == {"bastion_errors": bastion_errors, "bastion_outputs": bastion_outputs,
                                        "bastion_subnet_tier": bastion_subnet_tier}


def test_errors_and_outputs():
    assert bastion_errors(DEFAULTS) == []
    assert bastion_errors(dict(DEFAULTS, bastion_public_ip=True), [{"name": "backend", "type": "private"}]) == [
        "bastion_public_ip needs a public subnet tier (a route to the internet gateway), but bastion_subnet_tier backend is private"
    ]
    assert bastion_subnet_tier([{"name": "public", "type": "public"}, {"name": "app", "type": "private"}], False) == "app"
    assert bastion_outputs({"instance_id": "i-1"}, "b", "eu-west-1")["ssm_command"] == (
        "aws ssm start-session --target i-1 --region eu-west-1"
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bastion_errors("bastion_name"), "the role's inputs are a dict of bastion_"),
        (lambda: bastion_outputs(["i-1"], "b", "eu-west-1"), "the instance is a dict, got list"),
        (lambda: bastion_subnet_tier("public", True), "bastion_subnet_tier: the subnet tiers are a list of {name, type}, got str"),
        (lambda: bastion_errors({}, {"name": "public"}), "bastion_errors: the subnet tiers are a list"),
    ],
)
def test_wrong_input_types(call, message):
    with pytest.raises(AnsibleFilterError, match=message):
        call()
