# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the dynamodb_global filters (the logic's own tests:
tests/unit/plugins/module_utils/test_dynamodb_global_role.py)."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import dynamodb_global as f

from tests.unit.plugins.module_utils.test_dynamodb_global_role import DEFAULTS


def test_filters_are_registered():
    assert f.FilterModule().filters() == {
        "dynamodb_global_errors": f.dynamodb_global_errors,
        "dynamodb_global_replicas": f.dynamodb_global_replicas,
        "dynamodb_global_unprotected_replicas": f.dynamodb_global_unprotected_replicas,
    }


def test_the_role_chain():
    assert f.dynamodb_global_errors(DEFAULTS) == []
    assert f.dynamodb_global_replicas(DEFAULTS["dynamodb_global_replicas"], True, False) == [
        {"region": "eu-west-1", "deletion_protection": True, "point_in_time_recovery": False}
    ]
    assert f.dynamodb_global_unprotected_replicas(["eu-west-1"]) == [{"region": "eu-west-1", "deletion_protection": False}]
    assert f.dynamodb_global_replicas(None, True, True) == []


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: f.dynamodb_global_errors(["x"]), "the role's inputs are a dict of dynamodb_global_"),
        (lambda: f.dynamodb_global_replicas({"region": "eu-west-1"}, True, True), "the replicas must be a list, got dict"),
        (lambda: f.dynamodb_global_unprotected_replicas("eu-west-1"), "the regions must be a list, got str"),
    ],
)
def test_wrong_input_types(call, message):
    with pytest.raises(AnsibleFilterError, match=message):
        call()
