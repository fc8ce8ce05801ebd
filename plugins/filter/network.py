# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Subnet planning filters for AWS VPCs.

The logic lives in plugins/module_utils/subnet_plan.py, shared with the atelier.infra.vpc_network module. The
documentation of each filter lives beside this file, in subnet_plan.yml, subnet_errors.yml and cidr_errors.yml, as
ansible-core does for its own multi-filter plugin files.
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import subnet_plan as _plan


def subnet_plan(vpc_cidr, azs, tiers=None, newbits=8, tier_stride=10, offset=1):
    """Carve one subnet per tier and AZ out of a VPC CIDR.

    The subnet of tier i in AZ j is network number ``offset + i * tier_stride + j`` of
    ``vpc_cidr`` split with ``newbits`` more prefix bits (Terraform's ``cidrsubnet``).
    """
    try:
        return _plan.subnet_plan(vpc_cidr, azs, tiers=tiers, newbits=newbits, tier_stride=tier_stride, offset=offset)
    except _plan.SubnetPlanError as e:
        raise AnsibleFilterError(f"subnet_plan: {e}") from None


def subnet_errors(vpc_cidr, subnets):
    """Validate an explicit subnet plan; return a list of human-readable errors (empty when fine)."""
    return _plan.subnet_errors(vpc_cidr, subnets)


def cidr_errors(cidrs):
    """Return a list of messages, one per entry of cidrs that is not a valid IPv4 CIDR (empty when all are)."""
    return _plan.cidr_errors(cidrs)


class FilterModule:
    """Subnet planning filters."""

    def filters(self):
        return {
            "subnet_plan": subnet_plan,
            "subnet_errors": subnet_errors,
            "cidr_errors": cidr_errors,
        }
