# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The kept-network filters (the logic's own tests: tests/unit/plugins/module_utils/test_kept_network.py)."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter.kept_network import FilterModule
from ansible_collections.atelier.infra.plugins.filter.kept_network import kept_db_subnets
from ansible_collections.atelier.infra.plugins.filter.kept_network import kept_network_lines


def test_the_filters_are_registered():
    assert set(FilterModule().filters()) == {"kept_db_subnets", "kept_network_lines"}


def test_the_filters_pass_the_modules_answers_through():
    found = [{"db_instance_identifier": "d", "db_subnet_group": {"db_subnet_group_name": "g", "subnets": [{"subnet_identifier": "s"}]}}]
    assert kept_db_subnets(found) == {"s": "in the DB subnet group g of the DB instance d"}
    assert kept_db_subnets(None) == {}
    assert kept_network_lines([{"name": "n", "id": "sg-1", "reason": "r"}], "security group", "h") == ["n (security group sg-1: r; h)"]
    assert kept_network_lines([{"kind": "vpc", "name": "n", "id": "vpc-1", "reason": "r"}], hint="h") == ["n (vpc vpc-1: r; h)"]


@pytest.mark.parametrize("value", ["subnet-1", {"a": 1}, ["x"]])
def test_what_is_not_a_list_of_dicts_is_refused(value):
    with pytest.raises(AnsibleFilterError, match="expected a list of dicts"):
        kept_db_subnets(value)
    with pytest.raises(AnsibleFilterError, match="expected a list of dicts"):
        kept_network_lines(value)
