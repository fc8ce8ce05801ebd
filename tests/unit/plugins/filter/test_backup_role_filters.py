# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backup role's filters: what they refuse, and that they are the module_utils functions."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import backup_role as filters
from ansible_collections.atelier.infra.plugins.module_utils import backup_role


def test_the_filters_are_registered():
    assert set(filters.FilterModule().filters()) == {"backup_errors", "backup_settings", "backup_outputs", "backup_kept", "backup_plan_changed"}


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


RULE = {"rule_name": "daily", "target_backup_vault_name": "v", "schedule_expression": "cron(0 5 * * ? *)",
        "lifecycle": {"delete_after_days": 35}}
TAGS = {"atelier:env": "prod", "Name": "prod-web-backup"}


def _check_result(rules=(RULE,), tags=TAGS, changed=True):
    return {"changed": changed, "backup_plan": {"backup_plan_name": "p", "rules": list(rules), "advanced_backup_settings": [], "tags": tags}}


def _found(rules=(RULE,), tags=TAGS):
    return [{"backup_plan": {"rules": [dict(r, rule_id="abc") for r in rules]}, "tags": dict(tags)}]


def test_backup_plan_changed_sees_through_the_modules_check_mode_tag_verdict():
    changed = filters.FilterModule().filters()["backup_plan_changed"]
    # A converged plan (the module says changed in check mode because it has tags): no change.
    assert changed(_check_result(), _found()) is False
    # A plan that does not exist yet: a creation.
    assert changed(_check_result(), []) is True
    # A retention change, a tag changed, a tag to purge (or kept without purge): as the module would do when it runs.
    assert changed(_check_result(rules=[dict(RULE, lifecycle={"delete_after_days": 90})]), _found()) is True
    assert changed(_check_result(tags=dict(TAGS, Name="other")), _found()) is True
    assert changed(_check_result(), _found(tags=dict(TAGS, Old="x"))) is True
    assert changed(_check_result(), _found(tags=dict(TAGS, Old="x")), False) is False
    # The module's own "no change" and a failure keep their verdict.
    assert changed(_check_result(changed=False), []) is False
    assert changed({"failed": True, "changed": False, "msg": "AccessDenied"}, []) is False
    with pytest.raises(AnsibleFilterError, match="backup_plans"):
        changed(_check_result(), {"backup_plans": []})
