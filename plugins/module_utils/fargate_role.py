# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the fargate role decides beyond the options fargate.py computes: its input errors (before any AWS call) and
the plan records (plugins/callback/plan.py) of what it would create where the network or the ALB is missing (check
mode on an empty account; what is missing: tier_roles.asg_missing with the fargate runtime's names). Pure Python."""

from collections.abc import Mapping

from ansible_collections.atelier.infra.plugins.module_utils import fargate
from ansible_collections.atelier.infra.plugins.module_utils import plan
from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import option_errors as distribution_option_errors


def _plain(value):
    return tier_spec.plain(value)


def fargate_errors(inputs, subnet_tiers=None):
    """What is wrong with the fargate role's inputs (a dict of the role's variables), beyond types and choices: the
    tier's errors, what the fargate runtime needs to deploy (the tier's runtime is fargate, it has an image; removing
    needs neither, so that a tier moved to another runtime can be removed), IAM role names longer than AWS allows, and the wait
    timeout."""
    tier = inputs.get("fargate_tier")
    if not isinstance(tier, Mapping):
        return []
    errors = tier_spec.tier_errors(
        _plain(tier), _plain(subnet_tiers) if subnet_tiers is not None else None, distribution_option_errors
    )
    name = tier.get("name")
    if inputs.get("fargate_state", "present") != "absent":
        runtime = tier.get("runtime") or "ec2"
        if runtime != tier_spec.FARGATE:
            errors.append(
                f"tier {name}: runtime is {runtime}; the fargate role deploys the tiers whose runtime is "
                f"{tier_spec.FARGATE} (run it only for them)"
            )
        if not tier.get("image"):
            errors.append(f"tier {name}: image is required (an ECR repository[:tag] or a registry URI)")
    prefix = inputs.get("fargate_name_prefix")
    if isinstance(prefix, str) and prefix and isinstance(name, str) and name:
        names = stack.stack_names(prefix, name)
        errors.extend(stack.name_errors({key: names[key] for key in ("execution_role", "task_role")}))
    timeout = tier_spec.as_int(inputs.get("fargate_wait_timeout"))
    if timeout is not None and timeout < 1:
        errors.append("fargate_wait_timeout must be a positive number of seconds")
    return errors


def _record(action, rtype, name):
    return {"action": action, "type": rtype, "name": name, "attributes": [], "diff": {}}


def fargate_plan(tier, names, missing, cluster, prefix=None):
    """The fargate role's records where what the service needs is missing (check mode before the network or the ALB
    exist; atelier.infra.asg_missing): the two roles, the log group, the task definition and the service in cluster it
    would create, and (with the stack's prefix) the service's Application Auto Scaling target and target tracking
    policies unless its scaling.policy is none. Empty when nothing is missing (its modules say then what they would
    do)."""
    if not missing:
        return []
    records = [
        _record(plan.CREATE, "iam role", names["execution_role"]),
        _record(plan.CREATE, "iam role", names["task_role"]),
        _record(plan.CREATE, "log group", names["ecs_log_group"]),
        _record(plan.CREATE, "task definition", names["task_family"]),
        _record(plan.CREATE, "ecs service", f"{cluster}/{names['service']}"),
    ]
    policies = fargate.scaling_policy_names(tier, prefix) if prefix else []
    if policies:
        records.append(_record(plan.CREATE, "scalable target", f"service/{cluster}/{names['service']}"))
        records.extend(_record(plan.CREATE, "scaling policy", name) for name in policies)
    return records
