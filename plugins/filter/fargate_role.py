# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of plugins/module_utils/fargate_role.py (the fargate role's input errors and its plan records). The
documentation of each filter is beside this file (fargate_errors.yml, fargate_plan.yml)."""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import fargate_role
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def _mapping(value, what, filter_name):
    if not isinstance(value, Mapping):
        raise AnsibleFilterError(f"{filter_name}: {what} must be a dict, got {type(value).__name__}")
    return plain(value)


def fargate_errors(inputs, subnet_tiers=None):
    """fargate_role.fargate_errors."""
    return fargate_role.fargate_errors(_mapping(inputs, "the role's inputs", "fargate_errors"), subnet_tiers)


def fargate_plan(tier, names, missing, cluster, prefix=None):
    """fargate_role.fargate_plan."""
    return fargate_role.fargate_plan(
        _mapping(tier, "the tier", "fargate_plan"), _mapping(names, "names", "fargate_plan"), plain(missing or []), str(cluster),
        str(prefix) if prefix else None,
    )


class FilterModule:
    def filters(self):
        return {"fargate_errors": fargate_errors, "fargate_plan": fargate_plan}
