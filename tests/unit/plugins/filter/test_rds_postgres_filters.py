# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the rds_postgres filters (the logic's own tests: tests/unit/plugins/module_utils/test_rds_postgres_role.py)."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter.rds_postgres import FilterModule
from ansible_collections.atelier.infra.plugins.filter.rds_postgres import rds_postgres_errors
from ansible_collections.atelier.infra.plugins.filter.rds_postgres import rds_postgres_kept

from tests.unit.plugins.module_utils.test_rds_postgres_role import DEFAULTS


def test_filters_are_registered():
    assert FilterModule().filters() == {"rds_postgres_errors": rds_postgres_errors, "rds_postgres_kept": rds_postgres_kept}


def test_errors():
    assert rds_postgres_errors(DEFAULTS) == []
    assert rds_postgres_errors(dict(DEFAULTS, rds_postgres_port=80)) == ["rds_postgres_port must be 1150 to 65535, got 80"]


def test_kept():
    assert rds_postgres_kept(DEFAULTS, False, True) == [
        "dev-shop-db-credentials (Secrets Manager secret in us-east-1: the database credentials; deleted with"
        " rds_postgres_delete_data)"
    ]


@pytest.mark.parametrize("call", [lambda: rds_postgres_errors(["x"]), lambda: rds_postgres_kept("x", True, True)])
def test_inputs_must_be_a_dict(call):
    with pytest.raises(AnsibleFilterError, match="the role's inputs are a dict of rds_postgres_"):
        call()
