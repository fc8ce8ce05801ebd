# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the rds_postgres role: the checks of its inputs and what its teardown kept.

The logic is plugins/module_utils/rds_postgres_role.py; the documentation of each filter is beside this file
(rds_postgres_errors.yml, rds_postgres_kept.yml).
"""

from collections.abc import Mapping

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


class FilterModule:
    """rds_postgres role filters."""

    def filters(self):
        return {
            "rds_postgres_errors": rds_postgres_errors,
            "rds_postgres_kept": rds_postgres_kept,
        }
