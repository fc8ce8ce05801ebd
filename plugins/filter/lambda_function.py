# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of plugins/module_utils/lambda_function_role.py (the lambda_function role's input errors, its functions'
settings and its outputs). The documentation of each filter is beside this file (lambda_function_errors.yml,
lambda_function_specs.yml, lambda_function_outputs.yml,
lambda_function_concurrency.yml, lambda_function_events.yml)."""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import lambda_events as events
from ansible_collections.atelier.infra.plugins.module_utils import lambda_function_role as role
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def _dirs(search_dirs):
    if isinstance(search_dirs, str):
        return [search_dirs]
    return [str(d) for d in search_dirs or [] if d]


def lambda_function_errors(inputs, search_dirs=None, subnet_tiers=None):
    """lambda_function_role.lambda_function_errors."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"lambda_function_errors: the role's inputs must be a dict, got {type(inputs).__name__}")
    return role.lambda_function_errors(plain(inputs), _dirs(search_dirs), plain(subnet_tiers) if subnet_tiers is not None else None)


def lambda_function_specs(functions, prefix, account, region, partition="aws", search_dirs=None, build_dir="build",
                          retention_days=30, subnets=None, security_groups=None, stack=None):
    """{functions: lambda_function_role.function_specs, missing: lambda_function_role.vpc_missing}, with the stack's
    subnets and security groups as amazon.aws's info modules return them (stack: the stack_resources filter's)."""
    if not isinstance(functions, list):
        raise AnsibleFilterError(f"lambda_function_specs: the functions must be a list, got {type(functions).__name__}")
    by_tier, groups = role.stack_network(plain(subnets or []), plain(security_groups or []))
    specs = role.function_specs(plain(functions), str(prefix), str(account), str(region), str(partition), _dirs(search_dirs),
                                str(build_dir), retention_days, by_tier, groups, stack_resources=_resources(stack))
    return {"functions": specs, "missing": role.vpc_missing(specs)}


def _resources(stack):
    return plain(stack.get("resources")) if isinstance(stack, Mapping) and isinstance(stack.get("resources"), Mapping) else None


def lambda_function_events(functions, prefix, account, region, partition="aws", stack=None, state="present"):
    """lambda_events.wiring; with state absent, every bucket's notifications and every function's mappings and
    subscriptions empty."""
    if not isinstance(functions, list):
        raise AnsibleFilterError(f"lambda_function_events: the functions must be a list, got {type(functions).__name__}")
    result = events.wiring(plain(functions), str(prefix), str(account), str(region), str(partition), _resources(stack))
    if state == "absent":
        result["permissions"] = []
        result["notifications"] = [dict(n, functions=[]) for n in result["notifications"]]
        result["mappings"] = [dict(m, mappings=[]) for m in result["mappings"]]
        result["subscriptions"] = [dict(n, topics=[]) for n in result["subscriptions"]]
    return result


def lambda_function_outputs(specs, results=None, packages=None):
    """lambda_function_role.outputs."""
    return role.outputs(plain(specs), plain(results or []), plain(packages or []))


def lambda_function_concurrency(specs, results=None):
    """lambda_function_role.concurrency_changes."""
    return role.concurrency_changes(plain(specs), plain(results or []))


class FilterModule:
    def filters(self):
        return {
            "lambda_function_errors": lambda_function_errors,
            "lambda_function_specs": lambda_function_specs,
            "lambda_function_outputs": lambda_function_outputs,
            "lambda_function_concurrency": lambda_function_concurrency,
            "lambda_function_events": lambda_function_events,
        }
