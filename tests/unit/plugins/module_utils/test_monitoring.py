# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the monitoring role's logic: its input checks, what it watches, each kind of alarm and the
dashboard."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import monitoring

from tests.unit.plugins.module_utils.monitoring_cases import FARGATE_INPUTS
from tests.unit.plugins.module_utils.monitoring_cases import FARGATE_RESOURCES
from tests.unit.plugins.module_utils.monitoring_cases import INPUTS
from tests.unit.plugins.module_utils.monitoring_cases import RESOURCES
from tests.unit.plugins.module_utils.monitoring_cases import TABLE_INFO
from tests.unit.plugins.module_utils.monitoring_cases import TOPIC
from tests.unit.plugins.module_utils.monitoring_cases import _db
from tests.unit.plugins.module_utils.monitoring_cases import _lb
from tests.unit.plugins.module_utils.monitoring_cases import _table
from tests.unit.plugins.module_utils.monitoring_cases import _tg
from tests.unit.plugins.module_utils.monitoring_cases import _topic


# What every alarm of the stack shares (INPUTS' evaluation periods, the topic as alarm and OK action), and the period
# every alarm but the metric-math one has.
COMMON = {"evaluation_periods": 2, "alarm_actions": [TOPIC], "ok_actions": [TOPIC], "actions_enabled": True}
SIMPLE = dict(COMMON, period=300)


@pytest.fixture
def watched():
    return monitoring.targets(RESOURCES, INPUTS, TABLE_INFO)


def _by_name(alarms):
    return {a["name"]: a for a in alarms}


# ---- errors ---------------------------------------------------------------------------------------------------------


def test_valid_inputs_have_no_errors():
    assert monitoring.errors(INPUTS) == []
    assert monitoring.errors(dict(INPUTS, monitoring_cpu_threshold="80", monitoring_period="60")) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"monitoring_cpu_threshold": -5}, "monitoring_cpu_threshold must not be negative (got -5)"),
        ({"monitoring_cpu_threshold": 150}, "monitoring_cpu_threshold is a percentage: 0 to 100 (got 150)"),
        ({"monitoring_memory_threshold": 101}, "monitoring_memory_threshold is a percentage: 0 to 100 (got 101)"),
        ({"monitoring_memory_threshold": -1}, "monitoring_memory_threshold must not be negative (got -1)"),
        ({"monitoring_alb_5xx_rate_threshold": 100.5}, "monitoring_alb_5xx_rate_threshold is a percentage: 0 to 100 (got 100.5)"),
        ({"monitoring_rds_cpu_threshold": 101}, "monitoring_rds_cpu_threshold is a percentage: 0 to 100 (got 101)"),
        ({"monitoring_rds_free_storage_threshold": -1}, "monitoring_rds_free_storage_threshold must not be negative (got -1)"),
        ({"monitoring_replication_latency_threshold_ms": -10}, "monitoring_replication_latency_threshold_ms must not be negative (got -10)"),
        ({"monitoring_cpu_threshold": "eighty"}, 'monitoring_cpu_threshold must be a number, not "eighty"'),
        ({"monitoring_cpu_threshold": True}, 'monitoring_cpu_threshold must be a number, not "True"'),
        ({"monitoring_period": 5}, "monitoring_period must not be below 10 (got 5)"),
        ({"monitoring_period": 45}, "monitoring_period must be 10, 20, 30 or a multiple of 60 seconds (got 45)"),
        ({"monitoring_evaluation_periods": 0}, "monitoring_evaluation_periods must not be below 1 (got 0)"),
        ({"monitoring_evaluation_periods": 1.5}, "monitoring_evaluation_periods must be a whole number (got 1.5)"),
        ({"monitoring_name_prefix": "dev/app"}, 'monitoring_name_prefix must be letters, digits, hyphens and underscores (got "dev/app")'),
        ({"monitoring_name_prefix": None}, "monitoring_name_prefix must be letters, digits, hyphens and underscores"),
        ({"monitoring_tiers": [{"name": "Web"}]}, "monitoring_tiers must be a list of tiers, each with a name"),
        ({"monitoring_tiers": [{"app_port": 1}]}, "monitoring_tiers must be a list of tiers, each with a name"),
        ({"monitoring_tiers": "web"}, "monitoring_tiers must be a list of tiers"),
        ({"monitoring_alarm_emails": "ops@example.com"}, "monitoring_alarm_emails must be a list of e-mail addresses"),
        ({"monitoring_alarm_emails": ["ops@example.com", "not-an-address"]}, 'monitoring_alarm_emails: "not-an-address" is not an e-mail address'),
    ],
)
def test_each_bad_input_is_named(changes, message):
    errors = monitoring.errors(dict(INPUTS, **changes))

    assert len(errors) == 1 and message in errors[0], errors


@pytest.mark.parametrize("period", [10, 20, 30, 60, 120, 3600])
def test_periods_cloudwatch_takes(period):
    assert monitoring.errors(dict(INPUTS, monitoring_period=period)) == []


# ---- targets --------------------------------------------------------------------------------------------------------


def test_tiers_are_matched_by_their_tier_tag_whatever_the_names(watched):
    web, api, batch = watched["tiers"]

    assert web == {
        "name": "web",
        "runtime": "ec2",
        "group": "dev-atelier-web",
        "load_balancer": {"name": "renamed-web", "arn": RESOURCES[0]["arn"], "dimension": "app/renamed-web/50dc6c495c0c9188"},
        "target_group": {"name": "renamed-web-tg", "arn": RESOURCES[1]["arn"], "dimension": "targetgroup/renamed-web-tg/73e2d6bc24d8a067"},
    }
    assert (api["load_balancer"]["dimension"], api["target_group"]) == ("app/dev-atelier-api/1111111111111111", None)
    assert (batch["group"], batch["load_balancer"], batch["target_group"]) == ("dev-atelier-batch", None, None)
    assert watched["tiers_without_alb"] == ["batch"]


def test_data_stores_and_topic_are_found(watched):
    assert watched["databases"] == ["dev-atelier-postgres"]
    # the home region is never a replica of itself
    assert watched["tables"] == [{"name": "dev-atelier-AtelierDB", "replicas": ["af-south-1"]}]
    assert watched["topic_arn"] == TOPIC


def test_a_stack_without_table_database_or_load_balancers():
    watched = monitoring.targets([], INPUTS, [])

    assert (watched["databases"], watched["tables"], watched["topic_arn"]) == ([], [], "")
    assert watched["tiers_without_alb"] == ["web", "api", "batch"]


def test_a_table_without_its_info_has_no_replicas():
    assert monitoring.targets([_table("t1")], INPUTS)["tables"] == [{"name": "t1", "replicas": []}]


def test_table_dicts_are_taken_as_well_as_module_results():
    table = {"name": "t1", "replicas": [{"region_name": "ap-south-1"}]}

    assert monitoring.targets([_table("t1")], INPUTS, [table])["tables"] == [{"name": "t1", "replicas": ["ap-south-1"]}]


@pytest.mark.parametrize(
    "resources, expected_lb, expected_tg",
    [
        # a network load balancer has no ApplicationELB metrics
        ([_lb("dev-atelier-web", "web", kind="net")], None, None),
        # another tier's load balancer and target group are not this tier's
        ([_lb("dev-atelier-api", "api"), _tg("dev-atelier-api-tg", "api")], None, None),
        # a target group without the tier's load balancer is not watched
        ([_tg("dev-atelier-web-tg", "web")], None, None),
        # several for one tier: the contract's name first, whatever the ARN order
        (
            [_lb("aaa-web", "web", "0"), _lb("dev-atelier-web", "web", "9"), _tg("aaa-tg", "web", "0"), _tg("dev-atelier-web-tg", "web", "9")],
            "dev-atelier-web",
            "dev-atelier-web-tg",
        ),
        # several, none named by the contract: the first by ARN
        ([_lb("zzz-web", "web", "2"), _lb("bbb-web", "web", "1"), _tg("zzz-tg", "web"), _tg("bbb-tg", "web")], "bbb-web", "bbb-tg"),
    ],
)
def test_which_load_balancer_and_target_group_a_tier_gets(resources, expected_lb, expected_tg):
    web = monitoring.targets(resources, INPUTS)["tiers"][0]

    assert (web["load_balancer"] or {}).get("name") == expected_lb
    assert (web["target_group"] or {}).get("name") == expected_tg


def test_a_topic_of_another_name_is_not_the_alarm_topic():
    assert monitoring.targets([_topic("dev-atelier-other")], INPUTS)["topic_arn"] == ""


# ---- alarms: one test per kind ----------------------------------------------------------------------------------------


def test_every_alarm_of_the_stack_in_order(watched):
    names = [a["name"] for a in monitoring.alarms(watched, INPUTS, TOPIC)]

    assert names == [
        "dev-atelier/web/cpu-high",
        "dev-atelier/web/unhealthy-targets",
        "dev-atelier/web/alb-5xx-rate",
        "dev-atelier/api/cpu-high",
        "dev-atelier/api/alb-5xx-rate",
        "dev-atelier/batch/cpu-high",
        "dev-atelier/rds/cpu-high",
        "dev-atelier/rds/free-storage-low",
        "dev-atelier/dynamodb/read-throttles",
        "dev-atelier/dynamodb/write-throttles",
        "dev-atelier/dynamodb/replication-latency-af-south-1",
    ]


def test_tier_cpu_alarm(watched):
    alarm = _by_name(monitoring.alarms(watched, dict(INPUTS, monitoring_cpu_threshold="75.5"), TOPIC))["dev-atelier/web/cpu-high"]

    assert alarm == {
        "name": "dev-atelier/web/cpu-high",
        "description": "Tier web: average CPU of the Auto Scaling group dev-atelier-web above 75.5 %",
        "namespace": "AWS/EC2",
        "metric_name": "CPUUtilization",
        "statistic": "Average",
        "unit": "Percent",
        "dimensions": {"AutoScalingGroupName": "dev-atelier-web"},
        "threshold": 75.5,
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "missing",
        **SIMPLE,
    }


def test_unhealthy_targets_alarm(watched):
    alarm = _by_name(monitoring.alarms(watched, INPUTS, TOPIC))["dev-atelier/web/unhealthy-targets"]

    assert alarm == {
        "name": "dev-atelier/web/unhealthy-targets",
        "description": "Tier web: the target group renamed-web-tg has unhealthy targets",
        "namespace": "AWS/ApplicationELB",
        "metric_name": "UnHealthyHostCount",
        "statistic": "Maximum",
        "dimensions": {"TargetGroup": "targetgroup/renamed-web-tg/73e2d6bc24d8a067", "LoadBalancer": "app/renamed-web/50dc6c495c0c9188"},
        "threshold": 0.0,
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "notBreaching",
        **SIMPLE,
    }


def test_alb_5xx_rate_alarm_is_metric_math_without_a_period_of_its_own(watched):
    alarm = _by_name(monitoring.alarms(watched, dict(INPUTS, monitoring_period=60), TOPIC))["dev-atelier/web/alb-5xx-rate"]
    lb = {"LoadBalancer": "app/renamed-web/50dc6c495c0c9188"}

    def query(query_id, metric):
        return {
            "id": query_id,
            "return_data": False,
            "metric_stat": {"metric": {"namespace": "AWS/ApplicationELB", "metric_name": metric, "dimensions": lb}, "period": 60, "stat": "Sum"},
        }

    assert alarm == {
        "name": "dev-atelier/web/alb-5xx-rate",
        "description": "Tier web: more than 5 % of the requests to the ALB renamed-web answered 5xx (by the targets or the ALB)",
        "metrics": [
            {"id": "rate", "expression": "100 * (FILL(t5xx, 0) + FILL(elb5xx, 0)) / requests", "label": "web 5xx rate (%)", "return_data": True},
            query("t5xx", "HTTPCode_Target_5XX_Count"),
            query("elb5xx", "HTTPCode_ELB_5XX_Count"),
            query("requests", "RequestCount"),
        ],
        "threshold": 5.0,
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "notBreaching",
        **COMMON,
    }


@pytest.mark.parametrize(
    "suffix, metric, statistic, unit, threshold, comparison, description",
    [
        ("cpu-high", "CPUUtilization", "Average", "Percent", 75.0, "GreaterThanThreshold", "DB instance dev-atelier-postgres: average CPU above 75 %"),
        (
            "free-storage-low",
            "FreeStorageSpace",
            "Minimum",
            "Bytes",
            2147483648.0,
            "LessThanThreshold",
            "DB instance dev-atelier-postgres: free storage below 2147483648 bytes",
        ),
    ],
)
def test_database_alarms(watched, suffix, metric, statistic, unit, threshold, comparison, description):
    alarm = _by_name(monitoring.alarms(watched, INPUTS, TOPIC))[f"dev-atelier/rds/{suffix}"]

    assert alarm == {
        "name": f"dev-atelier/rds/{suffix}",
        "description": description,
        "namespace": "AWS/RDS",
        "metric_name": metric,
        "statistic": statistic,
        "unit": unit,
        "dimensions": {"DBInstanceIdentifier": "dev-atelier-postgres"},
        "threshold": threshold,
        "comparison_operator": comparison,
        "treat_missing_data": "missing",
        **SIMPLE,
    }


@pytest.mark.parametrize("kind", ["Read", "Write"])
def test_table_throttle_alarms(watched, kind):
    alarm = _by_name(monitoring.alarms(watched, INPUTS, TOPIC))[f"dev-atelier/dynamodb/{kind.lower()}-throttles"]

    assert alarm == {
        "name": f"dev-atelier/dynamodb/{kind.lower()}-throttles",
        "description": f"DynamoDB table dev-atelier-AtelierDB: {kind.lower()} requests throttled",
        "namespace": "AWS/DynamoDB",
        "metric_name": f"{kind}ThrottleEvents",
        "statistic": "Sum",
        "dimensions": {"TableName": "dev-atelier-AtelierDB"},
        "threshold": 0.0,
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "notBreaching",
        **SIMPLE,
    }


def test_replication_latency_alarm(watched):
    alarm = _by_name(monitoring.alarms(watched, INPUTS, TOPIC))["dev-atelier/dynamodb/replication-latency-af-south-1"]

    assert alarm == {
        "name": "dev-atelier/dynamodb/replication-latency-af-south-1",
        "description": "DynamoDB table dev-atelier-AtelierDB: replication to af-south-1 slower than 60000 ms",
        "namespace": "AWS/DynamoDB",
        "metric_name": "ReplicationLatency",
        "statistic": "Average",
        "unit": "Milliseconds",
        "dimensions": {"TableName": "dev-atelier-AtelierDB", "ReceivingRegion": "af-south-1"},
        "threshold": 60000.0,
        "comparison_operator": "GreaterThanThreshold",
        "treat_missing_data": "missing",
        **SIMPLE,
    }


def test_without_a_topic_the_alarms_have_no_actions(watched):
    alarms = monitoring.alarms(watched, dict(INPUTS, monitoring_evaluation_periods="3"), "")

    assert {(tuple(a["alarm_actions"]), tuple(a["ok_actions"]), a["evaluation_periods"]) for a in alarms} == {((), (), 3)}


def test_a_stack_without_table_or_database_gets_no_such_alarms():
    names = [a["name"] for a in monitoring.alarms(monitoring.targets(RESOURCES[:3], INPUTS), INPUTS, TOPIC)]

    assert not [n for n in names if "/rds/" in n or "/dynamodb/" in n]
    assert len(names) == 6


def test_several_databases_and_tables_are_named_in_their_alarms():
    resources = [_db("db-b"), _db("db-a"), _table("t1"), _table("t2")]
    watched = monitoring.targets(resources, dict(INPUTS, monitoring_tiers=[]), [{"table": {"name": "t2", "replicas": [{"region_name": "ap-south-1"}]}}])

    names = [a["name"] for a in monitoring.alarms(watched, INPUTS, TOPIC)]

    assert names == [
        "dev-atelier/rds/db-a/cpu-high",
        "dev-atelier/rds/db-a/free-storage-low",
        "dev-atelier/rds/db-b/cpu-high",
        "dev-atelier/rds/db-b/free-storage-low",
        "dev-atelier/dynamodb/t1/read-throttles",
        "dev-atelier/dynamodb/t1/write-throttles",
        "dev-atelier/dynamodb/t2/read-throttles",
        "dev-atelier/dynamodb/t2/write-throttles",
        "dev-atelier/dynamodb/t2/replication-latency-ap-south-1",
    ]


# ---- the dashboard ---------------------------------------------------------------------------------------------------


def test_dashboard_widgets_titles_and_layout(watched):
    widgets = monitoring.dashboard(watched, INPUTS)["widgets"]

    assert [w["properties"]["title"] for w in widgets] == [
        "web: CPU (%)",
        "web: ALB requests and 5xx",
        "web: ALB target response time (s)",
        "web: healthy and unhealthy targets",
        "api: CPU (%)",
        "api: ALB requests and 5xx",
        "api: ALB target response time (s)",
        "batch: CPU (%)",
        "RDS dev-atelier-postgres: CPU (%)",
        "RDS dev-atelier-postgres: free storage (bytes)",
        "RDS dev-atelier-postgres: connections",
        "DynamoDB dev-atelier-AtelierDB: throttled requests",
        "DynamoDB dev-atelier-AtelierDB: replication latency (ms)",
    ]
    assert [(w["x"], w["y"]) for w in widgets[:5]] == [(0, 0), (12, 0), (0, 6), (12, 6), (0, 12)]
    assert {(w["type"], w["width"], w["height"]) for w in widgets} == {("metric", 12, 6)}
    assert {(w["properties"]["region"], w["properties"]["period"], w["properties"]["view"], w["properties"]["stacked"]) for w in widgets} == {
        ("eu-west-1", 300, "timeSeries", False)
    }


@pytest.mark.parametrize(
    "index, stat, metrics",
    [
        (0, "Average", [["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", "dev-atelier-web"]]),
        (
            1,
            "Sum",
            [
                ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "app/renamed-web/50dc6c495c0c9188"],
                ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", "app/renamed-web/50dc6c495c0c9188"],
                ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", "app/renamed-web/50dc6c495c0c9188"],
            ],
        ),
        (2, "p90", [["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", "app/renamed-web/50dc6c495c0c9188"]]),
        (
            3,
            "Maximum",
            [
                ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", "targetgroup/renamed-web-tg/73e2d6bc24d8a067", "LoadBalancer", "app/renamed-web/50dc6c495c0c9188"],
                ["AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", "targetgroup/renamed-web-tg/73e2d6bc24d8a067", "LoadBalancer", "app/renamed-web/50dc6c495c0c9188"],
            ],
        ),
        (8, "Average", [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "dev-atelier-postgres"]]),
        (9, "Minimum", [["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", "dev-atelier-postgres"]]),
        (10, "Maximum", [["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", "dev-atelier-postgres"]]),
        (
            11,
            "Sum",
            [
                ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", "dev-atelier-AtelierDB"],
                ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", "dev-atelier-AtelierDB"],
            ],
        ),
        (12, "Average", [["AWS/DynamoDB", "ReplicationLatency", "TableName", "dev-atelier-AtelierDB", "ReceivingRegion", "af-south-1"]]),
    ],
)
def test_dashboard_widget_metrics(watched, index, stat, metrics):
    properties = monitoring.dashboard(watched, INPUTS)["widgets"][index]["properties"]

    assert (properties["stat"], properties["metrics"]) == (stat, metrics)


def test_a_table_without_replicas_has_no_latency_widget():
    watched = monitoring.targets([_table("t1")], dict(INPUTS, monitoring_tiers=[]))

    assert [w["properties"]["title"] for w in monitoring.dashboard(watched, INPUTS)["widgets"]] == ["DynamoDB t1: throttled requests"]


def test_subscriptions():
    assert monitoring.subscriptions(["a@example.com", "b@example.com"]) == [
        {"protocol": "email", "endpoint": "a@example.com"},
        {"protocol": "email", "endpoint": "b@example.com"},
    ]
    assert monitoring.subscriptions([]) == []


# ---- check mode: what this run makes ----


def _made(**overrides):
    made = {"tiers": ["web", "api", "batch"], "databases": ["dev-atelier-postgres"],
            "tables": [{"table_name": "dev-atelier-AtelierDB", "replicas": ["eu-central-1"]}], "run_tags": ["all"], "skip_tags": []}
    made.update(overrides)
    return made


def test_check_mode_on_an_empty_account_watches_what_the_run_makes():
    empty = monitoring.targets([], INPUTS)
    assert empty["tiers_without_alb"] == ["web", "api", "batch"]
    watched = monitoring.planned(empty, INPUTS, _made())
    assert watched["tiers_without_alb"] == []
    web = watched["tiers"][0]
    assert web["load_balancer"] == {"name": "dev-atelier-web", "arn": "", "dimension": "app/dev-atelier-web/(known once it exists)"}
    assert web["target_group"]["name"] == "dev-atelier-web-tg"
    assert watched["databases"] == ["dev-atelier-postgres"]
    assert watched["tables"] == [{"name": "dev-atelier-AtelierDB", "replicas": ["eu-central-1"]}]
    names = [a["name"] for a in monitoring.alarms(watched, INPUTS)]
    assert "dev-atelier/web/unhealthy-targets" in names and "dev-atelier/api/alb-5xx-rate" in names
    assert "dev-atelier/rds/cpu-high" in names and "dev-atelier/dynamodb/replication-latency-eu-central-1" in names


def test_check_mode_adds_only_what_the_run_makes_and_does_not_exist():
    found = monitoring.targets(RESOURCES, INPUTS, TABLE_INFO)
    # Everything found already: nothing added (the found load balancers and data stores stay as found).
    same = monitoring.planned(found, INPUTS, _made(databases=[d for d in found["databases"]],
                                                   tables=[{"table_name": t["name"]} for t in found["tables"]]))
    assert same["databases"] == found["databases"] and same["tables"] == found["tables"]
    for before, after in zip(found["tiers"], same["tiers"]):
        assert after == before if before["load_balancer"] else after["load_balancer"]["arn"] == ""
    # A role whose tag does not run makes nothing; a tier this run does not converge gets no placeholder.
    empty = monitoring.targets([], INPUTS)
    none = monitoring.planned(empty, INPUTS, _made(run_tags=["monitoring"], tables=[]))
    assert none["databases"] == [] and none["tiers_without_alb"] == ["web", "api", "batch"]
    skipped = monitoring.planned(empty, INPUTS, _made(skip_tags=["alb", "rds_postgres"], tiers=["web"]))
    assert skipped["databases"] == [] and skipped["tiers_without_alb"] == ["web", "api", "batch"]
    only_web = monitoring.planned(empty, INPUTS, _made(tiers=["web"]))
    assert only_web["tiers_without_alb"] == ["api", "batch"]


# ---- a fargate tier: its ECS service instead of an Auto Scaling group ----------------------------------------------

SERVICE = {"ClusterName": "dev-atelier", "ServiceName": "dev-atelier-web"}


@pytest.fixture
def fargate():
    return monitoring.targets(FARGATE_RESOURCES, FARGATE_INPUTS)


def test_a_fargate_tier_is_watched_through_its_service_and_its_ip_target_group(fargate):
    web, api = fargate["tiers"]

    assert web == {
        "name": "web",
        "runtime": "fargate",
        "cluster": "dev-atelier",
        "service": "dev-atelier-web",
        "min_tasks": 3,
        "load_balancer": {"name": "dev-atelier-web", "arn": FARGATE_RESOURCES[0]["arn"], "dimension": "app/dev-atelier-web/50dc6c495c0c9188"},
        "target_group": {
            "name": "dev-atelier-web-ip", "arn": FARGATE_RESOURCES[1]["arn"], "dimension": "targetgroup/dev-atelier-web-ip/2222222222222222",
        },
    }
    # the ec2 tier beside it keeps its instance target group, whatever the ARN order
    assert (api["runtime"], api["group"], api["target_group"]["name"]) == ("ec2", "dev-atelier-api", "dev-atelier-api-tg")
    assert "group" not in web and "service" not in api


def test_a_fargate_tier_s_alarms_in_order(fargate):
    names = [a["name"] for a in monitoring.alarms(fargate, FARGATE_INPUTS, TOPIC)]

    # the service's three alarms instead of the group's CPU alarm, then the load balancer's as for an ec2 tier
    assert names == [f"dev-atelier/web/{what}" for what in ("cpu-high", "memory-high", "running-tasks-low", "unhealthy-targets", "alb-5xx-rate")] + [
        f"dev-atelier/api/{what}" for what in ("cpu-high", "unhealthy-targets", "alb-5xx-rate")
    ]


@pytest.mark.parametrize(
    "suffix, namespace, metric, statistic, unit, threshold, comparison, description",
    [
        ("cpu-high", "AWS/ECS", "CPUUtilization", "Average", "Percent", 72.5, "GreaterThanThreshold",
         "Tier web: average CPU of the ECS service dev-atelier-web (cluster dev-atelier) above 72.5 %"),
        ("memory-high", "AWS/ECS", "MemoryUtilization", "Average", "Percent", 85.0, "GreaterThanThreshold",
         "Tier web: average memory of the ECS service dev-atelier-web (cluster dev-atelier) above 85 %"),
        ("running-tasks-low", "ECS/ContainerInsights", "RunningTaskCount", "Average", None, 3.0, "LessThanThreshold",
         "Tier web: fewer than 3 running tasks of the ECS service dev-atelier-web (cluster dev-atelier)"),
    ],
)
def test_a_fargate_tier_s_service_alarms(fargate, suffix, namespace, metric, statistic, unit, threshold, comparison, description):
    alarms = _by_name(monitoring.alarms(fargate, dict(FARGATE_INPUTS, monitoring_cpu_threshold="72.5"), TOPIC))

    expected = {
        "name": f"dev-atelier/web/{suffix}",
        "description": description,
        "namespace": namespace,
        "metric_name": metric,
        "statistic": statistic,
        "dimensions": SERVICE,
        "threshold": threshold,
        "comparison_operator": comparison,
        "treat_missing_data": "missing",
        **SIMPLE,
    }
    if unit:
        expected["unit"] = unit
    assert alarms[f"dev-atelier/web/{suffix}"] == expected


def test_a_fargate_tier_s_unhealthy_targets_alarm_watches_its_ip_target_group(fargate):
    alarm = _by_name(monitoring.alarms(fargate, FARGATE_INPUTS, TOPIC))["dev-atelier/web/unhealthy-targets"]

    assert alarm["dimensions"] == {"TargetGroup": "targetgroup/dev-atelier-web-ip/2222222222222222", "LoadBalancer": "app/dev-atelier-web/50dc6c495c0c9188"}


@pytest.mark.parametrize("min_size, expected", [(0, False), ("0", False), (1, True), (None, True)])
def test_running_tasks_alarm_only_with_a_minimum(min_size, expected):
    tier = {"name": "web", "runtime": "fargate"}
    if min_size is not None:
        tier["min_size"] = min_size
    inputs = dict(FARGATE_INPUTS, monitoring_tiers=[tier])

    alarms = _by_name(monitoring.alarms(monitoring.targets([], inputs), inputs, TOPIC))

    assert sorted(alarms) == sorted(["dev-atelier/web/cpu-high", "dev-atelier/web/memory-high"] + (["dev-atelier/web/running-tasks-low"] if expected else []))
    if min_size is None:  # the tier's default min_size (2)
        assert alarms["dev-atelier/web/running-tasks-low"]["threshold"] == 2.0


def test_a_fargate_tier_s_dashboard_widgets(fargate):
    widgets = monitoring.dashboard(fargate, FARGATE_INPUTS)["widgets"]
    service = ["ClusterName", "dev-atelier", "ServiceName", "dev-atelier-web"]

    assert [(w["properties"]["title"], w["properties"]["stat"], w["properties"]["metrics"]) for w in widgets[:3]] == [
        ("web: CPU (%)", "Average", [["AWS/ECS", "CPUUtilization"] + service]),
        ("web: memory (%)", "Average", [["AWS/ECS", "MemoryUtilization"] + service]),
        (
            "web: running and desired tasks",
            "Average",
            [["ECS/ContainerInsights", "RunningTaskCount"] + service, ["ECS/ContainerInsights", "DesiredTaskCount"] + service],
        ),
    ]
    alb = ("ALB requests and 5xx", "ALB target response time (s)", "healthy and unhealthy targets")
    assert [w["properties"]["title"] for w in widgets[3:]] == [f"web: {t}" for t in alb] + [f"api: {t}" for t in ("CPU (%)",) + alb]
    assert widgets[5]["properties"]["metrics"][0][3] == "targetgroup/dev-atelier-web-ip/2222222222222222"


def test_check_mode_plans_a_fargate_tier_s_ip_target_group():
    empty = monitoring.targets([], FARGATE_INPUTS)
    made = _made(tiers=["web", "api"], databases=[], tables=[])

    web, api = monitoring.planned(empty, FARGATE_INPUTS, made)["tiers"]

    assert web["target_group"] == {"name": "dev-atelier-web-ip", "arn": "", "dimension": "targetgroup/dev-atelier-web-ip/(known once it exists)"}
    assert api["target_group"]["name"] == "dev-atelier-api-tg"
    # the plan counts what a deploy makes: the same alarms as once the load balancers exist
    deployed = monitoring.targets(FARGATE_RESOURCES, FARGATE_INPUTS)
    assert [a["name"] for a in monitoring.alarms(monitoring.planned(empty, FARGATE_INPUTS, made), FARGATE_INPUTS)] == [
        a["name"] for a in monitoring.alarms(deployed, FARGATE_INPUTS)
    ]
