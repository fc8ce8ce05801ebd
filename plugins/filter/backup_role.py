# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the backup role: the checks of its inputs, what it converges, what it publishes and what a teardown
keeps.

The logic is plugins/module_utils/backup_role.py; the documentation of each filter is beside this file
(backup_errors.yml, backup_settings.yml, backup_outputs.yml, backup_kept.yml, backup_plan_changed.yml).
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import backup_role
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def _inputs(name, inputs):
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"{name}: the role's inputs are a dict of backup_* names to values, got {type(inputs).__name__}")
    return plain(inputs)


def backup_errors(inputs):
    """What is wrong with the backup role's inputs that its argument spec cannot see; empty when all is well."""
    return backup_role.errors(_inputs("backup_errors", inputs))


def backup_settings(inputs, env, stack, partition="aws", account=""):
    """The names, the role's policies, the plan's rules and the selection of the backup role."""
    for what, value in (("env", env), ("stack", stack), ("partition", partition)):
        if not isinstance(value, str) or not value:
            raise AnsibleFilterError(f"backup_settings: the {what} must be a non-empty string, got {value!r}")
    return backup_role.settings(_inputs("backup_settings", inputs), env, stack, partition, str(account or ""))


def backup_outputs(names, vault_arn="", plan_id="", role_arn="", retention_days=0, schedule=""):
    """backup_outputs: the vault, plan and role, and the summary line."""
    if not isinstance(names, Mapping) or "backup_vault" not in names:
        raise AnsibleFilterError("backup_outputs: expected the backup names (atelier.infra.backup_settings(...).names)")
    return backup_role.outputs(plain(names), str(vault_arn or ""), str(plan_id or ""), str(role_arn or ""), retention_days, str(schedule))


def backup_kept(names, vault_found=False, recovery_points=0, delete_data=False):
    """backup_kept: the vault a teardown keeps, and why."""
    if not isinstance(names, Mapping) or "backup_vault" not in names:
        raise AnsibleFilterError("backup_kept: expected the backup names (atelier.infra.backup_settings(...).names)")
    return backup_role.kept(plain(names), bool(vault_found), int(recovery_points or 0), bool(delete_data))


def backup_plan_changed(check_result, found_plans, purge_tags=True):
    """Whether backup_plan's check-mode result is a real change of the plan backup_plan_info found."""
    if found_plans is not None and not isinstance(found_plans, list):
        raise AnsibleFilterError(f"backup_plan_changed: expected backup_plan_info's backup_plans, got {type(found_plans).__name__}")
    return backup_role.plan_would_change(plain(check_result), plain(found_plans or []), bool(purge_tags))


class FilterModule:
    """backup role filters."""

    def filters(self):
        return {
            "backup_errors": backup_errors,
            "backup_settings": backup_settings,
            "backup_outputs": backup_outputs,
            "backup_kept": backup_kept,
            "backup_plan_changed": backup_plan_changed,
        }
