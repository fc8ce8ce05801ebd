# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the dynamodb_global role: the checks the module does not make, and the replica lists it hands the module.

The logic is plugins/module_utils/dynamodb_global_role.py; the documentation of each filter is beside this file
(dynamodb_global_errors.yml, dynamodb_global_replicas.yml, dynamodb_global_unprotected_replicas.yml).
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import dynamodb_global_role


def _list(value, name, what):
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise AnsibleFilterError(f"{name}: {what} must be a list, got {type(value).__name__}")
    return value


def dynamodb_global_errors(inputs):
    """What is wrong with the dynamodb_global role's inputs that neither its argument spec nor the module checks."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(
            f"dynamodb_global_errors: the role's inputs are a dict of dynamodb_global_* names to values, got {type(inputs).__name__}"
        )
    return dynamodb_global_role.errors(inputs)


def dynamodb_global_replicas(replicas, deletion_protection, point_in_time_recovery):
    """The replicas with the table's deletion protection and point-in-time recovery where they set none."""
    return dynamodb_global_role.replicas(
        _list(replicas, "dynamodb_global_replicas", "the replicas"), deletion_protection, point_in_time_recovery
    )


def dynamodb_global_unprotected_replicas(regions):
    """The replicas option that lifts the deletion protection in each of the regions."""
    return dynamodb_global_role.unprotected_replicas(_list(regions, "dynamodb_global_unprotected_replicas", "the regions"))


class FilterModule:
    """dynamodb_global role filters."""

    def filters(self):
        return {
            "dynamodb_global_errors": dynamodb_global_errors,
            "dynamodb_global_replicas": dynamodb_global_replicas,
            "dynamodb_global_unprotected_replicas": dynamodb_global_unprotected_replicas,
        }
