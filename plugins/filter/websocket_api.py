# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of plugins/module_utils/websocket_api_role.py (the websocket_api role's input errors, its APIs' settings,
their Lambda permissions and the role's outputs). The documentation of each filter is beside this file
(websocket_api_errors.yml, websocket_api_specs.yml, websocket_api_permissions.yml, websocket_api_outputs.yml)."""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import websocket_api_role as role
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def websocket_api_errors(inputs):
    """websocket_api_role.websocket_api_errors."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"websocket_api_errors: the role's inputs must be a dict, got {type(inputs).__name__}")
    return role.websocket_api_errors(plain(inputs))


def websocket_api_specs(apis, prefix, account, region, partition="aws", tags=None):
    """websocket_api_role.api_specs."""
    if not isinstance(apis, list):
        raise AnsibleFilterError(f"websocket_api_specs: the APIs must be a list, got {type(apis).__name__}")
    return role.api_specs(plain(apis), str(prefix), str(account), str(region), str(partition), plain(tags or {}))


def websocket_api_permissions(specs, results, account, region, partition="aws"):
    """websocket_api_role.permissions."""
    return role.permissions(plain(specs), plain(results or []), str(account), str(region), str(partition))


def websocket_api_outputs(specs, results=None):
    """websocket_api_role.outputs."""
    return role.outputs(plain(specs), plain(results or []))


class FilterModule:
    def filters(self):
        return {
            "websocket_api_errors": websocket_api_errors,
            "websocket_api_specs": websocket_api_specs,
            "websocket_api_permissions": websocket_api_permissions,
            "websocket_api_outputs": websocket_api_outputs,
        }
