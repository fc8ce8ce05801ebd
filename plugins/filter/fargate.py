# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of plugins/module_utils/fargate.py: what a Fargate tier is made of, as the options of the modules that
converge it. The documentation of each filter is beside this file (fargate_task.yml, fargate_service.yml,
fargate_scaling.yml)."""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import fargate
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def _tier(tier, filter_name):
    if not isinstance(tier, Mapping) or not tier.get("name") or tier.get("app_port") is None:
        raise AnsibleFilterError(f"{filter_name}: expected a tier (a dict with name and app_port), got {tier!r}")
    return plain(tier)


def _strings(filter_name, **values):
    for what, value in values.items():
        if not isinstance(value, str) or not value:
            raise AnsibleFilterError(f"{filter_name}: the {what} must be a non-empty string, got {value!r}")


def fargate_task(tier, prefix, account, region, runtime, partition="aws", secret_arns=None, upstream_environment=None,
                 table_regions=None):
    """{task_definition, execution_role, task_role} of the tier (fargate.task_definition, execution_role, task_role)."""
    t = _tier(tier, "fargate_task")
    _strings("fargate_task", prefix=prefix, account=account, region=region, partition=partition)
    if not isinstance(runtime, Mapping) or "image" not in runtime or "secrets" not in runtime:
        raise AnsibleFilterError("fargate_task: runtime must be the tier's atelier.infra.tier_runtime answer (image, secrets)")
    runtime = plain(runtime)
    return {
        "task_definition": fargate.task_definition(
            t, prefix, account, region, runtime, partition, plain(secret_arns or {}), plain(upstream_environment or {})
        ),
        "execution_role": fargate.execution_role(t, prefix, account, region, runtime, partition),
        "task_role": fargate.task_role(t, prefix, account, region, partition, plain(table_regions or {})),
    }


def fargate_service(tier, prefix, task_definition_arn, subnets, security_groups, target_group_arn, wait=False):
    """atelier.infra.ecs_service's options of the tier (fargate.service)."""
    t = _tier(tier, "fargate_service")
    _strings("fargate_service", prefix=prefix, task_definition_arn=task_definition_arn, target_group_arn=target_group_arn)
    for what, value in (("subnets", subnets), ("security_groups", security_groups)):
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
            raise AnsibleFilterError(f"fargate_service: {what} must be a non-empty list of ids, got {value!r}")
    return fargate.service(t, prefix, task_definition_arn, plain(subnets), plain(security_groups), target_group_arn, wait)


def fargate_scaling(tier, prefix, load_balancer_arn="", target_group_arn="", state="present"):
    """The tier's Application Auto Scaling target and policies (fargate.scaling)."""
    t = _tier(tier, "fargate_scaling")
    _strings("fargate_scaling", prefix=prefix)
    if state not in ("present", "absent"):
        raise AnsibleFilterError(f"fargate_scaling: state must be present or absent, got {state!r}")
    try:
        return fargate.scaling(t, prefix, load_balancer_arn or "", target_group_arn or "", state)
    except ValueError as e:
        raise AnsibleFilterError(f"fargate_scaling: {e}") from e


class FilterModule:
    def filters(self):
        return {"fargate_task": fargate_task, "fargate_service": fargate_service, "fargate_scaling": fargate_scaling}
