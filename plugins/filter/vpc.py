# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The vpc role's input check: the atelier.infra.vpc_network module's own checks (plugins/module_utils/_vpc_network/
validation.py), run on the role's variables and reported under their names, plus the one name the role adds (the
flow-log IAM role's). The documentation is beside this file, in vpc_errors.yml.
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils._vpc_network import validation

# vpc_network option -> the vpc role variable that feeds it.
ROLE_VARIABLES = {
    "name": "vpc_name",
    "cidr_block": "vpc_cidr",
    "tiers": "vpc_tiers",
    "subnets": "vpc_subnets",
    "newbits": "vpc_subnet_newbits",
    "tier_stride": "vpc_subnet_tier_stride",
    "offset": "vpc_subnet_offset",
    "azs": "vpc_azs",
    "az_count": "vpc_az_count",
    "nat_topology": "vpc_nat_topology",
    "tags": "vpc_tags",
    "wait_timeout": "vpc_wait_timeout",
}


def vpc_errors(inputs):
    """What is wrong with the vpc role's inputs (a dict of its vpc_* variables), as messages naming the variable."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"vpc_errors: expected the dict of the vpc_* variables, got {type(inputs).__name__}")
    params = {option: inputs.get(variable) for option, variable in ROLE_VARIABLES.items() if variable in inputs}
    for option, default in (("newbits", 8), ("tier_stride", 10), ("offset", 1), ("nat_topology", "one_per_az")):
        params.setdefault(option, default)
    errors = validation.input_errors(params, labels=ROLE_VARIABLES, absent=inputs.get("vpc_state") == "absent")
    name = inputs.get("vpc_name")
    if isinstance(name, str) and name:
        role_name = stack.network_names(name)["flow_log_role"]
        errors += [f"vpc_name: {e}" for e in stack.name_errors({"flow_log_role": role_name})]
    return errors


class FilterModule:
    """The vpc role's input check."""

    def filters(self):
        return {"vpc_errors": vpc_errors}
