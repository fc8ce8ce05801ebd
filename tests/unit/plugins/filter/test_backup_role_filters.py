# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backup role's filters: what they refuse, and that they are the module_utils functions."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import backup_role as filters
from ansible_collections.atelier.infra.plugins.module_utils import backup_role


def test_the_filters_are_registered():
    assert set(filters.FilterModule().filters()) == {"backup_errors", "backup_settings", "backup_outputs", "backup_kept"}


@pytest.mark.parametrize(
    "call",
    [
        lambda: filters.backup_errors(["not", "a", "dict"]),
        lambda: filters.backup_settings({}, "", "atelier"),
        lambda: filters.backup_settings({}, "prod", None),
        lambda: filters.backup_outputs({"vpc": "p"}),
        lambda: filters.backup_kept("names"),
    ],
)
def test_bad_arguments_are_refused(call):
    with pytest.raises(AnsibleFilterError):
        call()


def test_the_filters_give_the_module_utils_answers():
    inputs = {"backup_name_prefix": "p", "backup_schedule": "cron(0 5 ? * * *)", "backup_retention_days": 0}
    assert filters.backup_errors(inputs) == backup_role.errors(inputs)
    settings = filters.backup_settings(dict(inputs, backup_retention_days=7), "prod", "atelier", "aws", 123456789012)
    assert settings == backup_role.settings(dict(inputs, backup_retention_days=7), "prod", "atelier", "aws", "123456789012")
    names = backup_role.names("p")
    assert filters.backup_kept(names, True, "3", False) == backup_role.kept(names, True, 3, False)
    assert filters.backup_outputs(names, None, None, None, 7, "s")["plan_id"] == ""
