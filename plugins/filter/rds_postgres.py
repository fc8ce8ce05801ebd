# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the rds_postgres role: the checks of its inputs, the upgrades it schedules, its secret's resource policy
and what its teardown kept.

The logic is plugins/module_utils/rds_postgres_role.py; the documentation of each filter is beside this file
(rds_postgres_errors.yml, rds_postgres_upgrade_plan.yml, rds_postgres_secret_policy.yml, rds_postgres_kept.yml,
rds_postgres_rotation.yml).
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import rds_postgres_role


def _inputs(inputs, name):
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"{name}: the role's inputs are a dict of rds_postgres_* names to values, got {type(inputs).__name__}")
    return inputs


def rds_postgres_errors(inputs):
    """What is wrong with the rds_postgres role's inputs that its argument spec cannot see (patterns, ranges, the
    backup and maintenance windows' form, length and overlap, rules across inputs); empty when all is well."""
    return rds_postgres_role.errors(_inputs(inputs, "rds_postgres_errors"))


def rds_postgres_kept(inputs, instance_exists, secret_exists, final_snapshot_id=""):
    """What the rds_postgres teardown kept and why, one line each."""
    return rds_postgres_role.kept(_inputs(inputs, "rds_postgres_kept"), instance_exists, secret_exists, final_snapshot_id)


def rds_postgres_upgrade_plan(inputs, instance=None):
    """What the instance task sends at creation, and the restarting changes (a higher minor version, another
    certificate authority) of an existing instance, applied in the maintenance window unless
    rds_postgres_upgrade_immediately."""
    if instance is not None and not isinstance(instance, Mapping):
        raise AnsibleFilterError(f"rds_postgres_upgrade_plan: the instance is a dict, got {type(instance).__name__}")
    return rds_postgres_role.upgrade_plan(_inputs(inputs, "rds_postgres_upgrade_plan"), instance or {})


def rds_postgres_secret_policy(inputs, tiers, prefix, caller_arn, account):
    """The resource policy of the database secret: everybody but the tiers that read it, the deployer and
    rds_postgres_secret_admin_principals is denied it."""
    inputs = _inputs(inputs, "rds_postgres_secret_policy")
    if isinstance(tiers, (str, bytes, Mapping)) or not isinstance(tiers, Sequence):
        raise AnsibleFilterError(f"rds_postgres_secret_policy: the tiers must be a list, got {type(tiers).__name__}")
    deployer = rds_postgres_role.caller_principals(caller_arn)
    if not deployer:
        raise AnsibleFilterError(f"rds_postgres_secret_policy: {caller_arn!r} is not a caller ARN (sts GetCallerIdentity)")
    partition = str(caller_arn).split(":")[1]
    readers = rds_postgres_role.secret_readers([dict(t) for t in tiers if isinstance(t, Mapping)], prefix,
                                               inputs.get("rds_postgres_secret_name", ""), account, partition)
    admins = list(inputs.get("rds_postgres_secret_admin_principals") or [])
    rotation = rds_postgres_role.rotation(inputs, account, partition)
    if rotation["own"]:
        admins.append(rotation["role_arn"])  # the role's rotation function reads and writes the secret
    return rds_postgres_role.secret_policy(readers, deployer, admins)


def rds_postgres_rotation(inputs, account, partition="aws"):
    """How the database secret rotates: the role's own function (its names, execution role trust and exact policy) or
    the user's function."""
    return rds_postgres_role.rotation(_inputs(inputs, "rds_postgres_rotation"), str(account), partition)


class FilterModule:
    """rds_postgres role filters."""

    def filters(self):
        return {
            "rds_postgres_errors": rds_postgres_errors,
            "rds_postgres_kept": rds_postgres_kept,
            "rds_postgres_upgrade_plan": rds_postgres_upgrade_plan,
            "rds_postgres_secret_policy": rds_postgres_secret_policy,
            "rds_postgres_rotation": rds_postgres_rotation,
        }
