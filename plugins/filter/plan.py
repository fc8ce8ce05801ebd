# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the roles tell the plan callback (plugins/callback/plan.py) and what drift finds, as filters.

The logic is plugins/module_utils/plan_roles.py and plugins/module_utils/drift.py; the documentation of each filter
is beside this file (alb_plan.yml, asg_plan.yml, rds_postgres_plan.yml, bastion_plan.yml,
monitoring_plan.yml, stack_orphans.yml).
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import drift
from ansible_collections.atelier.infra.plugins.module_utils import plan_roles


def _mapping(value, what, name):
    if not isinstance(value, Mapping):
        raise AnsibleFilterError(f"{name}: {what} must be a dict, got {type(value).__name__}")
    return value


def alb_target_group_kept(found, tier, names, tags):
    """The target group found when it already has every setting the alb role gives it, else {}."""
    _mapping(tier, "the tier", "alb_target_group_kept")
    return plan_roles.alb_target_group_kept(list(found or []), tier, _mapping(names, "names", "alb_target_group_kept"),
                                            _mapping(tags, "tags", "alb_target_group_kept"))


def alb_plan(found, tier, names, tags, network_found=True, generated_secret=True):
    """The alb role's plan records: its target group's change, the identities of its hidden results."""
    _mapping(tier, "the tier", "alb_plan")
    return plan_roles.alb_plan(found or [], tier, _mapping(names, "names", "alb_plan"), _mapping(tags, "tags", "alb_plan"),
                               bool(network_found), bool(generated_secret))


def asg_plan(tier, names, missing, policies, current=None, drift_lines=None):
    """The asg_launch_template role's plan records: what it would create without its prerequisites, else its group's
    drift."""
    _mapping(tier, "the tier", "asg_plan")
    return plan_roles.asg_plan(tier, _mapping(names, "names", "asg_plan"), list(missing or []), list(policies or []),
                               dict(current or {}), list(drift_lines or []))


def rds_postgres_plan(names, network_found=True, instance_found=False, secret_found=False):
    """The rds_postgres role's plan records: what it would create without the network, else its identities."""
    _mapping(names, "names", "rds_postgres_plan")
    missing = [key for key in ("secret", "subnet_group", "parameter_group", "instance") if not names.get(key)]
    if missing:
        raise AnsibleFilterError(f"rds_postgres_plan: names lacks {', '.join(missing)}")
    return plan_roles.rds_postgres_plan(names, bool(network_found), bool(instance_found), bool(secret_found))


def bastion_plan(names, missing, key_wanted=False):
    """The bastion role's plan records: what it would create while its network is missing."""
    _mapping(names, "names", "bastion_plan")
    return plan_roles.bastion_plan(names, list(missing or []), bool(key_wanted))


def monitoring_plan(topic, topic_found, rule, rule_wanted):
    """The monitoring role's plan records: the alarm topic and the scaling-events rule it would create."""
    return plan_roles.monitoring_plan(str(topic), bool(topic_found), str(rule), bool(rule_wanted))


def stack_orphans(found, prefix, tiers, roles=None, log_groups=None):
    """The stack's resources found by its tags (and its roles and log groups by name) that no declaration owns."""
    if not isinstance(prefix, str) or not prefix:
        raise AnsibleFilterError(f"stack_orphans: the name prefix must be a non-empty string, got {prefix!r}")
    return drift.orphans(found or [], prefix, tiers or [], list(roles or []), list(log_groups or []))


class FilterModule:
    def filters(self):
        return {
            "alb_plan": alb_plan,
            "alb_target_group_kept": alb_target_group_kept,
            "asg_plan": asg_plan,
            "rds_postgres_plan": rds_postgres_plan,
            "bastion_plan": bastion_plan,
            "monitoring_plan": monitoring_plan,
            "stack_orphans": stack_orphans,
        }
