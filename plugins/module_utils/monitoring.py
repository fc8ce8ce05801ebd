# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the monitoring role watches and the alarms and dashboard it keeps (the filters of plugins/filter/monitoring.py).

* ``errors`` checks the role's inputs (the ``monitoring_*`` variables as one dict) for what its argument spec cannot:
  ranges, the period rule, e-mail addresses, the name prefix and tier names;
* ``targets`` turns what atelier.infra.tagged_resources_info found by the stack's tags (and what
  atelier.infra.dynamodb_global_table_info said about the tables) into what is watched: per tier what runs it, named
  by the stack contract (an ec2 tier's Auto Scaling group, a fargate tier's ECS service in the stack's cluster: neither
  is found by the tagging API), and the load balancer and target group tagged ``atelier:tier=<tier>``, the DB
  instances, the tables with their replica regions, the alarm topic;
* ``alarms`` and ``dashboard`` build the alarm set (atelier.infra.cloudwatch_alarm_set) and the dashboard body
  (atelier.infra.cloudwatch_dashboard) of those targets.

Pure Python: no boto3, no Ansible imports.
"""

import json
import re
from collections.abc import Mapping
from collections.abc import Sequence

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

LOAD_BALANCER = "elasticloadbalancing:loadbalancer"
TARGET_GROUP = "elasticloadbalancing:targetgroup"
TABLE = "dynamodb:table"
DB_INSTANCE = "rds:db"
TOPIC = "sns:topic"

# name: (minimum, maximum or None)
NUMBERS = {
    "monitoring_period": (10, None),
    "monitoring_evaluation_periods": (1, None),
    "monitoring_cpu_threshold": (0, 100),
    "monitoring_memory_threshold": (0, 100),
    "monitoring_alb_5xx_rate_threshold": (0, 100),
    "monitoring_rds_cpu_threshold": (0, 100),
    "monitoring_rds_free_storage_threshold": (0, None),
    "monitoring_replication_latency_threshold_ms": (0, None),
}
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
WHOLE = re.compile(r"^[0-9]+$")
PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,200}$")
TIER = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
# Periods CloudWatch takes besides multiples of a minute (high-resolution metrics).
SHORT_PERIODS = (10, 20, 30)

ELB = "AWS/ApplicationELB"
ECS = "AWS/ECS"
# Container Insights (on in the stack's cluster) publishes a service's task counts here.
CONTAINER_INSIGHTS = "ECS/ContainerInsights"
ZERO = 0.0
WIDGET_WIDTH = 12
WIDGET_HEIGHT = 6
WIDGETS_PER_ROW = 2


def _quoted(value):
    """value as the messages quote it: its text as a JSON string."""
    return json.dumps(str(value))


def _is_number(value):
    return not isinstance(value, bool) and isinstance(value, (int, float, str)) and bool(NUMBER.match(str(value)))


def _tiers_ok(tiers):
    if isinstance(tiers, (str, bytes)) or not isinstance(tiers, Sequence):
        return False
    return all(isinstance(t, Mapping) and isinstance(t.get("name"), str) and TIER.match(t["name"]) for t in tiers)


def errors(inputs):
    """What is wrong with the role's inputs (a dict of the monitoring_* variables), as messages naming each variable;
    empty when all is well. Keys it does not know are ignored."""
    found = []
    for name, (minimum, maximum) in NUMBERS.items():
        if name not in inputs:
            continue
        value = inputs[name]
        if not _is_number(value):
            found.append(f"{name} must be a number, not {_quoted(value)}")
        elif float(value) < minimum:
            found.append(f"{name} must not be {'negative' if minimum == 0 else f'below {minimum}'} (got {value})")
        elif maximum is not None and float(value) > maximum:
            found.append(f"{name} is a percentage: 0 to {maximum} (got {value})")
    periods = inputs.get("monitoring_evaluation_periods")
    if _is_number(periods) and not WHOLE.match(str(periods)) and float(periods) >= 1:
        found.append(f"monitoring_evaluation_periods must be a whole number (got {periods})")
    period = inputs.get("monitoring_period")
    if _is_number(period) and WHOLE.match(str(period)) and int(period) >= 10:
        if int(period) not in SHORT_PERIODS and int(period) % 60 != 0:
            found.append(f"monitoring_period must be 10, 20, 30 or a multiple of 60 seconds (got {period})")
    prefix = inputs.get("monitoring_name_prefix")
    if not isinstance(prefix, str) or not PREFIX.match(prefix):
        found.append(f"monitoring_name_prefix must be letters, digits, hyphens and underscores (got {_quoted(prefix)})")
    if not _tiers_ok(inputs.get("monitoring_tiers", [])):
        found.append("monitoring_tiers must be a list of tiers, each with a name of lower-case letters, digits and hyphens")
    emails = inputs.get("monitoring_alarm_emails", [])
    if isinstance(emails, (str, bytes)) or not isinstance(emails, Sequence):
        found.append("monitoring_alarm_emails must be a list of e-mail addresses")
    else:
        for email in emails:
            if not isinstance(email, str) or not EMAIL.match(email):
                found.append(f"monitoring_alarm_emails: {_quoted(email)} is not an e-mail address")
    return found


# ---- what is watched ------------------------------------------------------------------------------------------------


def _of_type(resources, resource_type):
    return sorted((r for r in resources if r.get("resource_type") == resource_type), key=lambda r: r["arn"])


def _pick(candidates, preferred_name):
    """The candidate named as the stack contract names it when there is one, else the first by ARN, else None."""
    for candidate in candidates:
        if candidate.get("name") == preferred_name:
            return candidate
    return candidates[0] if candidates else None


def _watched(resource):
    return {"name": resource["name"], "arn": resource["arn"], "dimension": stack.cloudwatch_dimension(resource["arn"])}


def _replicas(tables, region):
    """Table name -> replica regions (other than region), from dynamodb_global_table_info results or tables."""
    out = {}
    for entry in tables or []:
        table = entry.get("table", entry) if isinstance(entry, Mapping) else None
        if not table or not table.get("name"):
            continue
        regions = [r.get("region_name") for r in table.get("replicas") or []]
        out[table["name"]] = [r for r in regions if r and r != region]
    return out


def _runtime(tier):
    """A tier's runtime (ec2 unless it says otherwise)."""
    return tier.get("runtime") or "ec2"


def _runner(tier, names):
    """What runs a tier, named by the stack contract: ``{group}`` (ec2: the Auto Scaling group) or ``{cluster, service,
    min_tasks}`` (fargate: the ECS service in the stack's cluster, and the tier's min_size)."""
    if _runtime(tier) != tier_spec.FARGATE:
        return {"group": names["group"]}
    return {
        "cluster": names["ecs_cluster"],
        "service": names["service"],
        "min_tasks": tier_spec.as_int(tier_spec.settings(tier)["min_size"]) or 0,
    }


def targets(resources, inputs, tables=None):
    """What the role watches, from the stack's resources found by tag and the tables' descriptions:

    ``{tiers: [{name, runtime, group | cluster, service, min_tasks, load_balancer, target_group}], tiers_without_alb,
    databases: [identifier], tables: [{name, replicas}], topic_arn}``. An ec2 tier is run by its Auto Scaling group
    (``group``), a fargate tier by its ECS service (``service`` in ``cluster``, at least ``min_tasks``: its min_size).
    A tier's load balancer is the stack's Application Load Balancer tagged ``atelier:tier=<tier>`` (its target group
    likewise, only with a load balancer; where several are tagged for one tier, the one named as the stack contract
    names it for the tier's runtime, else the first by ARN); each is ``{name, arn, dimension}``, or None.
    ``topic_arn`` is the found alarm topic's ARN, "" when there is none.
    """
    prefix = inputs["monitoring_name_prefix"]
    region = inputs.get("monitoring_region")
    resources = [r for r in resources or [] if isinstance(r, Mapping) and r.get("arn")]
    albs = [r for r in _of_type(resources, LOAD_BALANCER) if stack.cloudwatch_dimension(r["arn"]).startswith("app/")]
    groups = _of_type(resources, TARGET_GROUP)
    tiers = []
    for tier in inputs.get("monitoring_tiers") or []:
        if _runtime(tier) == tier_spec.STATIC:
            continue  # no load balancer, no instances or tasks to watch
        # target_group: the runtime's (an ec2 tier's instances in <prefix>-<tier>-tg, a fargate tier's tasks by IP
        # address in <prefix>-<tier>-ip)
        names = stack.stack_names(prefix, tier["name"], _runtime(tier))
        mine = [r for r in albs if (r.get("tags") or {}).get(stack.TAG_TIER) == tier["name"]]
        alb = _pick(mine, names["alb"])
        group = None
        if alb:
            group = _pick([r for r in groups if (r.get("tags") or {}).get(stack.TAG_TIER) == tier["name"]], names["target_group"])
        tiers.append(
            dict(
                {"name": tier["name"], "runtime": _runtime(tier)},
                **_runner(tier, names),
                load_balancer=_watched(alb) if alb else None,
                target_group=_watched(group) if group else None,
            )
        )
    replicas = _replicas(tables, region)
    topic = stack.stack_names(prefix)["alarm_topic"]
    return {
        "tiers": tiers,
        "tiers_without_alb": [t["name"] for t in tiers if not t["load_balancer"]],
        "databases": [r["name"] for r in _of_type(resources, DB_INSTANCE)],
        "tables": [{"name": r["name"], "replicas": replicas.get(r["name"], [])} for r in _of_type(resources, TABLE)],
        "topic_arn": next((r["arn"] for r in _of_type(resources, TOPIC) if r["name"] == topic), ""),
    }


def _runs(role, made):
    """Whether a role's tag runs in this run (ansible_run_tags, ansible_skip_tags)."""
    run, skip = made.get("run_tags") or ["all"], made.get("skip_tags") or []
    return ("all" in run or role in run) and role not in skip


def planned(watched, inputs, made):
    """What check mode watches once the run has made what it would create: ``watched`` (``targets``) with what this
    run makes and does not exist yet. made: ``{tiers, databases, tables, run_tags, skip_tags}``: the tier hosts of
    the run (the alb role makes a load balancer and a target group for each, when its tag runs), the DB instance
    identifiers the rds_postgres role makes (when its tag runs), the tables the dynamodb_global role published
    (``dynamodb_global_outputs``: table_name, replicas). A placeholder load balancer or target group has an empty ARN
    and a dimension that says it is known once it exists."""
    def placeholder(name, kind):
        return {"name": name, "arn": "", "dimension": f"{kind}/{name}/(known once it exists)"}

    made_tiers = set(made.get("tiers") or []) if _runs("alb", made) else set()
    tiers = []
    for tier in watched["tiers"]:
        if tier["load_balancer"] or tier["name"] not in made_tiers:
            tiers.append(tier)
            continue
        names = stack.stack_names(inputs["monitoring_name_prefix"], tier["name"], tier.get("runtime"))
        tiers.append(dict(tier, load_balancer=placeholder(names["alb"], "app"),
                          target_group=placeholder(names["target_group"], "targetgroup")))
    databases = list(watched["databases"])
    if _runs("rds_postgres", made):
        databases += [d for d in made.get("databases") or [] if d and d not in databases]
    tables = list(watched["tables"])
    for table in made.get("tables") or []:
        name = table.get("table_name") or table.get("name")
        if name and name not in {t["name"] for t in tables}:
            tables.append({"name": name, "replicas": [r for r in table.get("replicas") or [] if r != inputs.get("monitoring_region")]})
    return dict(watched, tiers=tiers, tiers_without_alb=[t["name"] for t in tiers if not t["load_balancer"]],
                databases=databases, tables=tables)


# ---- the alarms -----------------------------------------------------------------------------------------------------


def _metric_alarm(name, description, namespace, metric, statistic, dimensions, threshold, comparison, missing, unit=None):
    alarm = {
        "name": name,
        "description": description,
        "namespace": namespace,
        "metric_name": metric,
        "statistic": statistic,
        "dimensions": dimensions,
        "threshold": float(threshold),
        "comparison_operator": comparison,
        "treat_missing_data": missing,
    }
    if unit:
        alarm["unit"] = unit
    return alarm


def _elb_query(query_id, metric, dimensions, period):
    return {
        "id": query_id,
        "return_data": False,
        "metric_stat": {
            "metric": {"namespace": ELB, "metric_name": metric, "dimensions": dimensions},
            "period": period,
            "stat": "Sum",
        },
    }


def _service_alarms(p, tier, inputs):
    """A fargate tier's ECS service alarms: average CPU and memory above the role's thresholds, and (with a min_size
    above 0) fewer running tasks than min_size (Container Insights' RunningTaskCount)."""
    name, service, cluster = tier["name"], tier["service"], tier["cluster"]
    dims = {"ClusterName": cluster, "ServiceName": service}
    out = [
        _metric_alarm(
            f"{p}{name}/{what.lower()}-high",
            f"Tier {name}: average {what if what == 'CPU' else what.lower()} of the ECS service {service} (cluster "
            f"{cluster}) above {threshold} %",
            ECS, metric, "Average", dims, threshold, "GreaterThanThreshold", "missing", unit="Percent",
        )
        for what, metric, threshold in (
            ("CPU", "CPUUtilization", inputs["monitoring_cpu_threshold"]),
            ("Memory", "MemoryUtilization", inputs["monitoring_memory_threshold"]),
        )
    ]
    if tier["min_tasks"] > 0:
        out.append(
            _metric_alarm(
                f"{p}{name}/running-tasks-low",
                f"Tier {name}: fewer than {tier['min_tasks']} running tasks of the ECS service {service} (cluster {cluster})",
                CONTAINER_INSIGHTS, "RunningTaskCount", "Average", dims, tier["min_tasks"], "LessThanThreshold", "missing",
            )
        )
    return out


def _tier_alarms(p, tier, inputs):
    """A tier's CPU alarm (an ec2 tier's Auto Scaling group's; a fargate tier's service alarms instead); with its load
    balancer the 5xx-rate alarm, and with its target group the unhealthy one."""
    name = tier["name"]
    if tier.get("runtime") == tier_spec.FARGATE:
        out = _service_alarms(p, tier, inputs)
    else:
        cpu, group = inputs["monitoring_cpu_threshold"], tier["group"]
        out = [
            _metric_alarm(
                f"{p}{name}/cpu-high",
                f"Tier {name}: average CPU of the Auto Scaling group {group} above {cpu} %",
                "AWS/EC2", "CPUUtilization", "Average", {"AutoScalingGroupName": group},
                cpu, "GreaterThanThreshold", "missing", unit="Percent",
            )
        ]
    alb, tg = tier["load_balancer"], tier["target_group"]
    if not alb:
        return out
    if tg:
        out.append(
            _metric_alarm(
                f"{p}{name}/unhealthy-targets",
                f"Tier {name}: the target group {tg['name']} has unhealthy targets",
                ELB, "UnHealthyHostCount", "Maximum", {"TargetGroup": tg["dimension"], "LoadBalancer": alb["dimension"]},
                ZERO, "GreaterThanThreshold", "notBreaching",
            )
        )
    rate = inputs["monitoring_alb_5xx_rate_threshold"]
    period = int(inputs["monitoring_period"])
    lb = {"LoadBalancer": alb["dimension"]}
    out.append(
        {
            "name": f"{p}{name}/alb-5xx-rate",
            "description": (
                f"Tier {name}: more than {rate} % of the requests to the ALB {alb['name']} answered 5xx "
                "(by the targets or the ALB)"
            ),
            "metrics": [
                {
                    "id": "rate",
                    "expression": "100 * (FILL(t5xx, 0) + FILL(elb5xx, 0)) / requests",
                    "label": f"{name} 5xx rate (%)",
                    "return_data": True,
                },
                _elb_query("t5xx", "HTTPCode_Target_5XX_Count", lb, period),
                _elb_query("elb5xx", "HTTPCode_ELB_5XX_Count", lb, period),
                _elb_query("requests", "RequestCount", lb, period),
            ],
            "threshold": float(rate),
            "comparison_operator": "GreaterThanThreshold",
            "treat_missing_data": "notBreaching",
        }
    )
    return out


def _scope(p, kind, name, count):
    """The name part of a data store's alarms: <prefix>/<kind>/ with one of its kind, <prefix>/<kind>/<name>/ with
    several (so the one store of a stack keeps the names it always had)."""
    return f"{p}{kind}/" if count == 1 else f"{p}{kind}/{name}/"


def _database_alarms(p, identifier, count, inputs):
    s = _scope(p, "rds", identifier, count)
    cpu, storage = inputs["monitoring_rds_cpu_threshold"], inputs["monitoring_rds_free_storage_threshold"]
    dims = {"DBInstanceIdentifier": identifier}
    return [
        _metric_alarm(
            f"{s}cpu-high", f"DB instance {identifier}: average CPU above {cpu} %",
            "AWS/RDS", "CPUUtilization", "Average", dims, cpu, "GreaterThanThreshold", "missing", unit="Percent",
        ),
        _metric_alarm(
            f"{s}free-storage-low", f"DB instance {identifier}: free storage below {storage} bytes",
            "AWS/RDS", "FreeStorageSpace", "Minimum", dims, storage, "LessThanThreshold", "missing", unit="Bytes",
        ),
    ]


def _table_alarms(p, table, count, inputs):
    s = _scope(p, "dynamodb", table["name"], count)
    name = table["name"]
    out = [
        _metric_alarm(
            f"{s}{kind.lower()}-throttles", f"DynamoDB table {name}: {kind.lower()} requests throttled",
            "AWS/DynamoDB", f"{kind}ThrottleEvents", "Sum", {"TableName": name},
            ZERO, "GreaterThanThreshold", "notBreaching",
        )
        for kind in ("Read", "Write")
    ]
    latency = inputs["monitoring_replication_latency_threshold_ms"]
    for region in table["replicas"]:
        out.append(
            _metric_alarm(
                f"{s}replication-latency-{region}",
                f"DynamoDB table {name}: replication to {region} slower than {latency} ms",
                "AWS/DynamoDB", "ReplicationLatency", "Average", {"TableName": name, "ReceivingRegion": region},
                latency, "GreaterThanThreshold", "missing", unit="Milliseconds",
            )
        )
    return out


def alarms(watched, inputs, topic_arn=""):
    """The alarm set of the targets (cloudwatch_alarm_set's alarms): per tier CPU (a fargate tier's service: CPU,
    memory and running tasks), unhealthy targets and 5xx rate,
    per DB instance CPU and free storage, per table read/write throttles and the replication latency to each replica
    region; every one with the topic as alarm and OK action (none while topic_arn is empty)."""
    p = stack.stack_names(inputs["monitoring_name_prefix"])["alarm_prefix"]
    out = []
    for tier in watched["tiers"]:
        out.extend(_tier_alarms(p, tier, inputs))
    for identifier in watched["databases"]:
        out.extend(_database_alarms(p, identifier, len(watched["databases"]), inputs))
    for table in watched["tables"]:
        out.extend(_table_alarms(p, table, len(watched["tables"]), inputs))
    actions = [topic_arn] if topic_arn else []
    common = {
        "evaluation_periods": int(inputs["monitoring_evaluation_periods"]),
        "alarm_actions": actions,
        "ok_actions": actions,
        "actions_enabled": True,
    }
    period = int(inputs["monitoring_period"])
    return [dict(alarm, **common, **({} if "metrics" in alarm else {"period": period})) for alarm in out]


# ---- the dashboard --------------------------------------------------------------------------------------------------


def _widget_specs(watched):
    """[title, stat, metrics] of each metric widget, metrics in the dashboard body's array form."""
    out = []
    for tier in watched["tiers"]:
        name = tier["name"]
        if tier.get("runtime") == tier_spec.FARGATE:
            service = ["ClusterName", tier["cluster"], "ServiceName", tier["service"]]
            out.append([f"{name}: CPU (%)", "Average", [[ECS, "CPUUtilization"] + service]])
            out.append([f"{name}: memory (%)", "Average", [[ECS, "MemoryUtilization"] + service]])
            out.append([f"{name}: running and desired tasks", "Average",
                        [[CONTAINER_INSIGHTS, metric] + service for metric in ("RunningTaskCount", "DesiredTaskCount")]])
        else:
            out.append([f"{name}: CPU (%)", "Average", [["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", tier["group"]]]])
        alb, tg = tier["load_balancer"], tier["target_group"]
        if not alb:
            continue
        lb = alb["dimension"]
        out.append(
            [
                f"{name}: ALB requests and 5xx",
                "Sum",
                [[ELB, metric, "LoadBalancer", lb] for metric in ("RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count")],
            ]
        )
        out.append([f"{name}: ALB target response time (s)", "p90", [[ELB, "TargetResponseTime", "LoadBalancer", lb]]])
        if tg:
            out.append(
                [
                    f"{name}: healthy and unhealthy targets",
                    "Maximum",
                    [[ELB, metric, "TargetGroup", tg["dimension"], "LoadBalancer", lb] for metric in ("HealthyHostCount", "UnHealthyHostCount")],
                ]
            )
    for identifier in watched["databases"]:
        d = ["DBInstanceIdentifier", identifier]
        out.append([f"RDS {identifier}: CPU (%)", "Average", [["AWS/RDS", "CPUUtilization"] + d]])
        out.append([f"RDS {identifier}: free storage (bytes)", "Minimum", [["AWS/RDS", "FreeStorageSpace"] + d]])
        out.append([f"RDS {identifier}: connections", "Maximum", [["AWS/RDS", "DatabaseConnections"] + d]])
    for table in watched["tables"]:
        d = ["TableName", table["name"]]
        out.append(
            [
                f"DynamoDB {table['name']}: throttled requests",
                "Sum",
                [["AWS/DynamoDB", "ReadThrottleEvents"] + d, ["AWS/DynamoDB", "WriteThrottleEvents"] + d],
            ]
        )
        if table["replicas"]:
            out.append(
                [
                    f"DynamoDB {table['name']}: replication latency (ms)",
                    "Average",
                    [["AWS/DynamoDB", "ReplicationLatency"] + d + ["ReceivingRegion", region] for region in table["replicas"]],
                ]
            )
    return out


def dashboard(watched, inputs):
    """The dashboard body of the targets: metric widgets two per row, in the role's region and period."""
    widgets = []
    for index, (title, stat, metrics) in enumerate(_widget_specs(watched)):
        widgets.append(
            {
                "type": "metric",
                "x": (index % WIDGETS_PER_ROW) * WIDGET_WIDTH,
                "y": (index // WIDGETS_PER_ROW) * WIDGET_HEIGHT,
                "width": WIDGET_WIDTH,
                "height": WIDGET_HEIGHT,
                "properties": {
                    "title": title,
                    "region": inputs["monitoring_region"],
                    "view": "timeSeries",
                    "stacked": False,
                    "stat": stat,
                    "period": int(inputs["monitoring_period"]),
                    "metrics": metrics,
                },
            }
        )
    return {"widgets": widgets}


def subscriptions(emails):
    """The alarm topic's subscriptions (community.aws.sns_topic's form): one e-mail subscription per address."""
    return [{"protocol": "email", "endpoint": email} for email in emails or []]
