# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The stack the monitoring tests watch: the role's inputs and the resources tagged_resources_info would find."""

from ansible_collections.atelier.infra.plugins.module_utils import monitoring

ACCOUNT = "arn:aws:elasticloadbalancing:eu-west-1:123456789012"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:dev-atelier-alarms"
INPUTS = {
    "monitoring_name_prefix": "dev-atelier",
    "monitoring_region": "eu-west-1",
    "monitoring_tiers": [{"name": "web", "app_port": 3000}, {"name": "api"}, {"name": "batch"}],
    "monitoring_period": 300,
    "monitoring_evaluation_periods": 2,
    "monitoring_cpu_threshold": 80,
    "monitoring_memory_threshold": 85,
    "monitoring_alb_5xx_rate_threshold": 5,
    "monitoring_rds_cpu_threshold": 75,
    "monitoring_rds_free_storage_threshold": 2147483648,
    "monitoring_replication_latency_threshold_ms": 60000,
    "monitoring_alarm_emails": ["ops@example.com"],
    "monitoring_dashboard": True,
    "monitoring_tags": {},
    "monitoring_outputs": {"alarm_names": []},
}
STACK = {"atelier:env": "dev", "atelier:stack": "atelier"}


def _res(resource_type, name, arn, **tags):
    return {"arn": arn, "resource_type": resource_type, "name": name, "tags": dict(STACK, **tags)}


def _lb(name, tier, lb_id="50dc6c495c0c9188", kind="app"):
    return _res(monitoring.LOAD_BALANCER, name, f"{ACCOUNT}:loadbalancer/{kind}/{name}/{lb_id}", **{"atelier:tier": tier})


def _tg(name, tier, tg_id="73e2d6bc24d8a067"):
    return _res(monitoring.TARGET_GROUP, name, f"{ACCOUNT}:targetgroup/{name}/{tg_id}", **{"atelier:tier": tier})


def _table(name):
    return _res(monitoring.TABLE, name, f"arn:aws:dynamodb:eu-west-1:123456789012:table/{name}")


def _db(name):
    return _res(monitoring.DB_INSTANCE, name, f"arn:aws:rds:eu-west-1:123456789012:db:{name}")


def _topic(name):
    return _res(monitoring.TOPIC, name, f"arn:aws:sns:eu-west-1:123456789012:{name}")


# The web tier has an ALB and a target group named otherwise than the stack contract would (found by their tags);
# api has its ALB only; batch has neither. One DB instance, one table with two replicas, the alarm topic.
RESOURCES = [
    _lb("renamed-web", "web"),
    _tg("renamed-web-tg", "web"),
    _lb("dev-atelier-api", "api", "1111111111111111"),
    _db("dev-atelier-postgres"),
    _table("dev-atelier-AtelierDB"),
    _topic("dev-atelier-alarms"),
]
TABLE_INFO = [
    {
        "item": "dev-atelier-AtelierDB",
        "exists": True,
        "table": {"name": "dev-atelier-AtelierDB", "replicas": [{"region_name": "af-south-1"}, {"region_name": "eu-west-1"}]},
    }
]

# A fargate tier (web, at least 3 tasks) beside an ec2 tier (api), each with its ALB and both target groups the
# contract names (<prefix>-<tier>-tg for instances, <prefix>-<tier>-ip for tasks), as while a tier changes runtime.
FARGATE_INPUTS = dict(
    INPUTS, monitoring_tiers=[{"name": "web", "runtime": "fargate", "min_size": "3", "app_port": 3000}, {"name": "api", "runtime": "ec2"}]
)
FARGATE_RESOURCES = [
    _lb("dev-atelier-web", "web"),
    _tg("dev-atelier-web-ip", "web", "2222222222222222"),
    _tg("dev-atelier-web-tg", "web", "1111111111111111"),
    _lb("dev-atelier-api", "api", "3333333333333333"),
    _tg("dev-atelier-api-ip", "api", "4444444444444444"),
    _tg("dev-atelier-api-tg", "api", "5555555555555555"),
    _topic("dev-atelier-alarms"),
]
