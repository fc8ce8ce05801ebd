# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the dynamodb_global role's logic: its own checks and the replica lists it hands the module."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import dynamodb_global_role as role

DEFAULTS = {"dynamodb_global_table_name": "dev-shop-AtelierDB", "dynamodb_global_wait_timeout": 1800,
            "dynamodb_global_replicas": [{"region": "eu-west-1"}], "dynamodb_global_outputs": {}}


@pytest.mark.parametrize(
    "changes",
    [{}, {"table_name": "abc"}, {"table_name": "a.b_c-D" + "x" * 248}, {"wait_timeout": "60"}, {"wait_timeout": 1}],
)
def test_accepted(changes):
    assert role.errors(dict(DEFAULTS, **{f"dynamodb_global_{k}": v for k, v in changes.items()})) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"table_name": "ab"}, "dynamodb_global_table_name must be 3 to 255 letters, digits, underscores, dots and hyphens, got ab"),
        ({"table_name": "x" * 256}, "dynamodb_global_table_name must be 3 to 255"),
        ({"table_name": "my table"}, "got my table"),
        ({"table_name": "dev/shop"}, "got dev/shop"),
        ({"table_name": None}, "got None"),
        ({"wait_timeout": 0}, "dynamodb_global_wait_timeout must be a positive number of seconds, got 0"),
        ({"wait_timeout": -5}, "got -5"),
        ({"wait_timeout": "soon"}, "got soon"),
        ({"wait_timeout": True}, "got True"),
    ],
)
def test_refused(changes, message):
    found = role.errors(dict(DEFAULTS, **{f"dynamodb_global_{k}": v for k, v in changes.items()}))
    assert len(found) == 1, found
    assert message in found[0]


@pytest.mark.parametrize(
    "entries, protection, pitr, expected",
    [
        ([{"region": "af-south-1"}, {"region": "eu-west-1"}], True, True,
         [{"region": "af-south-1", "deletion_protection": True, "point_in_time_recovery": True},
          {"region": "eu-west-1", "deletion_protection": True, "point_in_time_recovery": True}]),
        ([{"region": "eu-west-1", "deletion_protection": False, "kms_key_id": "k"}], True, False,
         [{"region": "eu-west-1", "deletion_protection": False, "point_in_time_recovery": False, "kms_key_id": "k"}]),
        ([{"region": "eu-west-1", "point_in_time_recovery": True, "deletion_protection": None}], False, False,
         [{"region": "eu-west-1", "deletion_protection": False, "point_in_time_recovery": True}]),
        (["eu-west-1"], True, True, [{"region": "eu-west-1", "deletion_protection": True, "point_in_time_recovery": True}]),
        ([], True, True, []),
        (None, True, True, []),
    ],
)
def test_replicas_inherit_the_tables_settings(entries, protection, pitr, expected):
    assert role.replicas(entries, protection, pitr) == expected


def test_replicas_do_not_change_their_input():
    entries = [{"region": "eu-west-1"}]
    role.replicas(entries, True, True)
    assert entries == [{"region": "eu-west-1"}]


@pytest.mark.parametrize(
    "regions, expected",
    [
        (["af-south-1", "eu-west-1"], [{"region": "af-south-1", "deletion_protection": False},
                                       {"region": "eu-west-1", "deletion_protection": False}]),
        ([], []),
        (None, []),
    ],
)
def test_unprotected_replicas(regions, expected):
    assert role.unprotected_replicas(regions) == expected
