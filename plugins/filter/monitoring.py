# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The monitoring role's logic as filters: its input checks, what it watches, its alarms and its dashboard.

The logic is plugins/module_utils/monitoring.py; the documentation of each filter is beside this file
(monitoring_errors.yml, monitoring_targets.yml, monitoring_alarms.yml, monitoring_dashboard.yml,
monitoring_subscriptions.yml, monitoring_planned.yml).
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import monitoring
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain

# The inputs every filter but monitoring_errors needs (the role's defaults always set them).
_NEEDED = {
    "monitoring_targets": ("monitoring_name_prefix", "monitoring_tiers"),
    "monitoring_alarms": (
        "monitoring_name_prefix",
        "monitoring_period",
        "monitoring_evaluation_periods",
        "monitoring_cpu_threshold",
        "monitoring_memory_threshold",
        "monitoring_alb_5xx_rate_threshold",
        "monitoring_rds_cpu_threshold",
        "monitoring_rds_free_storage_threshold",
        "monitoring_replication_latency_threshold_ms",
    ),
    "monitoring_dashboard": ("monitoring_region", "monitoring_period"),
    "monitoring_planned": ("monitoring_name_prefix",),
}


def _inputs(name, inputs):
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"{name}: the inputs are a dict of the monitoring_* variables, got {type(inputs).__name__}")
    missing = [key for key in _NEEDED.get(name, ()) if key not in inputs]
    if missing:
        raise AnsibleFilterError(f"{name}: the inputs lack {', '.join(missing)}")
    return plain(inputs)


def _targets(name, watched):
    if not isinstance(watched, Mapping) or not all(key in watched for key in ("tiers", "databases", "tables")):
        raise AnsibleFilterError(f"{name}: expected what monitoring_targets returns, got {type(watched).__name__}")
    return plain(watched)


def monitoring_errors(inputs):
    """What is wrong with the monitoring role's inputs that its argument spec cannot tell (ranges, the period rule,
    e-mail addresses, the name prefix, tier names); empty when all is well."""
    return monitoring.errors(_inputs("monitoring_errors", inputs))


def monitoring_planned(watched, inputs, made):
    """What check mode watches once the run has made what it would create: placeholders for the tiers' load balancers
    and target groups, and this run's DB instances and tables not found yet."""
    if not isinstance(made, Mapping):
        raise AnsibleFilterError(f"monitoring_planned: made is a dict (tiers, databases, tables, run_tags, skip_tags), got {type(made).__name__}")
    for key in ("tiers", "databases", "tables", "run_tags", "skip_tags"):
        if isinstance(made.get(key), (str, bytes)) or not isinstance(made.get(key) or [], Sequence):
            raise AnsibleFilterError(f"monitoring_planned: made.{key} must be a list")
    return monitoring.planned(_targets("monitoring_planned", watched), _inputs("monitoring_planned", inputs), plain(dict(made)))


def monitoring_targets(resources, inputs, tables=None):
    """What the role watches: the tiers' groups, load balancers and target groups, the DB instances, the tables with
    their replica regions and the alarm topic, from tagged_resources_info's resources (and the tables' info)."""
    if isinstance(resources, (str, bytes)) or not isinstance(resources, Sequence):
        raise AnsibleFilterError(f"monitoring_targets: expected tagged_resources_info's resources, got {type(resources).__name__}")
    inputs = _inputs("monitoring_targets", inputs)
    errors = monitoring.errors(inputs)
    if errors:
        raise AnsibleFilterError("monitoring_targets: invalid inputs: " + "; ".join(errors))
    return monitoring.targets(plain(resources), inputs, plain(tables or []))


def monitoring_alarms(watched, inputs, topic_arn=""):
    """The alarm set (atelier.infra.cloudwatch_alarm_set's alarms) of what monitoring_targets returned."""
    return monitoring.alarms(_targets("monitoring_alarms", watched), _inputs("monitoring_alarms", inputs), topic_arn or "")


def monitoring_dashboard(watched, inputs):
    """The dashboard body (atelier.infra.cloudwatch_dashboard's body) of what monitoring_targets returned."""
    return monitoring.dashboard(_targets("monitoring_dashboard", watched), _inputs("monitoring_dashboard", inputs))


def monitoring_subscriptions(emails):
    """The alarm topic's e-mail subscriptions in community.aws.sns_topic's form."""
    if isinstance(emails, (str, bytes)) or not isinstance(emails, Sequence):
        raise AnsibleFilterError(f"monitoring_subscriptions: expected a list of e-mail addresses, got {type(emails).__name__}")
    return monitoring.subscriptions(plain(emails))


class FilterModule:
    """Monitoring role filters."""

    def filters(self):
        return {
            "monitoring_errors": monitoring_errors,
            "monitoring_targets": monitoring_targets,
            "monitoring_planned": monitoring_planned,
            "monitoring_alarms": monitoring_alarms,
            "monitoring_dashboard": monitoring_dashboard,
            "monitoring_subscriptions": monitoring_subscriptions,
        }
