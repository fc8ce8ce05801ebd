# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters for one network read per run and one target group read per tier (see plugins/module_utils/network_facts.py)."""

from ansible_collections.atelier.infra.plugins.module_utils import network_facts


def tier_network(control, subnet_tier, group_name):
    """A tier role's subnets and security group from the control host's network layer outputs of this run
    (control: its hostvars, or {} ), or None when the role must read them itself."""
    control = control or {}
    return network_facts.tier_network(control.get("vpc_outputs"), control.get("security_groups_outputs"), subnet_tier, group_name)


def tier_target_group(alb_outputs, tier_name, target_group):
    """A tier runtime role's target group from the alb_outputs of this run for the tier, or None when the role must
    read it itself."""
    return network_facts.tier_target_group(dict(alb_outputs) if alb_outputs else None, tier_name, target_group)


def run_vpc_id(vpc_outputs, vpc_name, region):
    """The id of the VPC of this run's vpc_outputs when it is the VPC named vpc_name in region, else ''."""
    return network_facts.run_vpc_id(dict(vpc_outputs) if vpc_outputs else None, str(vpc_name), str(region))


class FilterModule:
    """One network read per run."""

    def filters(self):
        return {"tier_network": tier_network, "tier_target_group": tier_target_group, "run_vpc_id": run_vpc_id}
