# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the cognito role: its user pools as data, their checks, the outputs and what a teardown kept.

The logic is plugins/module_utils/cognito_role.py; the documentation of each filter is beside this file
(cognito_pools.yml, cognito_errors.yml, cognito_outputs.yml, cognito_kept.yml).
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import cognito_role


def _inputs(inputs, name):
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(
            f"{name}: the role's inputs are a dict of cognito_* names to values, got {type(inputs).__name__}")
    return inputs


def cognito_pools(inputs):
    """Every pool of cognito_user_pools as the arguments of one cognito_user_pool run."""
    return cognito_role.pools(_inputs(inputs, "cognito_pools"))


def cognito_errors(inputs):
    """What is wrong with the cognito role's inputs that its argument spec cannot see."""
    return cognito_role.errors(_inputs(inputs, "cognito_errors"))


def cognito_outputs(results, region):
    """The role's outputs from the cognito_user_pool loop results."""
    return cognito_role.outputs(results, region)


def cognito_kept(results):
    """The pools a teardown kept, one line each."""
    return cognito_role.kept(results)


class FilterModule:
    """cognito role filters."""

    def filters(self):
        return {
            "cognito_pools": cognito_pools,
            "cognito_errors": cognito_errors,
            "cognito_outputs": cognito_outputs,
            "cognito_kept": cognito_kept,
        }
