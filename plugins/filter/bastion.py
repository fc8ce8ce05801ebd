# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the bastion role: the checks of its inputs and what it publishes.

The logic is plugins/module_utils/bastion_role.py; the documentation of each filter is beside this file
(bastion_errors.yml, bastion_outputs.yml, bastion_subnet_tier.yml).
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import bastion_role


def _subnet_tiers(subnet_tiers, name):
    if subnet_tiers is not None and (not isinstance(subnet_tiers, Sequence) or isinstance(subnet_tiers, (str, bytes))):
        raise AnsibleFilterError(f"{name}: the subnet tiers are a list of {{name, type}}, got {type(subnet_tiers).__name__}")
    return [dict(t) for t in subnet_tiers or [] if isinstance(t, Mapping)]


def bastion_errors(inputs, subnet_tiers=None):
    """What is wrong with the bastion role's inputs that its argument spec cannot see; empty when all is well.
    With subnet_tiers (the VPC's subnet tiers) the public IP is checked against the subnet tier's type."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"bastion_errors: the role's inputs are a dict of bastion_* names to values, got {type(inputs).__name__}")
    return bastion_role.errors(inputs, _subnet_tiers(subnet_tiers, "bastion_errors") if subnet_tiers is not None else None)


def bastion_subnet_tier(subnet_tiers, public_ip):
    """The subnet tier the bastion runs in: the first public tier with a public IP, else the first private one."""
    return bastion_role.subnet_tier(_subnet_tiers(subnet_tiers, "bastion_subnet_tier"), public_ip)


def bastion_outputs(instance, name, region, key_wanted=False):
    """bastion_outputs from the instance ec2_instance returned: ids, addresses, key pair and the commands to reach it."""
    if instance and not isinstance(instance, Mapping):
        raise AnsibleFilterError(f"bastion_outputs: the instance is a dict, got {type(instance).__name__}")
    return bastion_role.outputs(instance, name, region, key_wanted)


class FilterModule:
    """bastion role filters."""

    def filters(self):
        return {
            "bastion_errors": bastion_errors,
            "bastion_outputs": bastion_outputs,
            "bastion_subnet_tier": bastion_subnet_tier,
        }
