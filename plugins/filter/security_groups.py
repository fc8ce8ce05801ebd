# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Security group filters: the stack's groups and their ingress rules planned from the tiers, and the checks of the
security_groups role's inputs.

The logic is plugins/module_utils/security_group_plan.py; the documentation of each filter is beside this file
(security_group_plan.yml, security_groups_errors.yml).
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import security_group_plan as sg_plan
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import option_errors as distribution_option_errors
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def _list(value, what):
    if value is None:
        return []
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        raise AnsibleFilterError(f"security_group_plan: {what} must be a list, got {type(value).__name__}")
    return plain(value)


def security_group_plan(tiers, prefix, database_enabled=True, database_port=5432, database_clients=None,
                        bastion_enabled=False, admin_cidrs=None, cloudfront_prefix_list=sg_plan.CLOUDFRONT_PREFIX_LIST):
    """The stack's security groups with their ingress rules, the groups option of atelier.infra.ec2_security_group_set."""
    tiers = _list(tiers, "the tiers")
    if not all(isinstance(t, Mapping) and t.get("name") for t in tiers):
        raise AnsibleFilterError("security_group_plan: each tier must be a dict with a name")
    if not isinstance(prefix, str) or not prefix:
        raise AnsibleFilterError(f"security_group_plan: the name prefix must be a non-empty string, got {prefix!r}")
    return sg_plan.plan(
        tiers,
        prefix,
        database_enabled=database_enabled,
        database_port=database_port,
        database_clients=_list(database_clients, "database_clients"),
        bastion_enabled=bastion_enabled,
        admin_cidrs=_list(admin_cidrs, "admin_cidrs"),
        cloudfront_prefix_list=cloudfront_prefix_list,
    )


def security_groups_errors(inputs, subnet_tiers=None):
    """What the security_groups role's argument spec cannot check about its inputs (a dict of its variables)."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"security_groups_errors: expected a dict of the role's variables, got {type(inputs).__name__}")
    return sg_plan.errors(inputs, subnet_tiers, distribution_option_errors)


class FilterModule:
    """Security group filters."""

    def filters(self):
        return {
            "security_group_plan": security_group_plan,
            "security_groups_errors": security_groups_errors,
        }
