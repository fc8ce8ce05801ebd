# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of plugins/module_utils/plan_roles.py (what the tier roles tell the plan) and drift.py (orphans)."""


import pytest

from ansible_collections.atelier.infra.plugins.module_utils import drift
from ansible_collections.atelier.infra.plugins.module_utils import plan_roles
from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_roles

TIER = {"name": "web", "app_port": 3000, "alb_scheme": "internet-facing", "alb_ports": [80], "cloudfront": True}
NAMES = stack.stack_names("dev-a", "web")
TAGS = {"atelier:env": "dev", "atelier:stack": "a", "atelier:tier": "web", "Name": NAMES["target_group"]}
ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/dev-a-web/0123"


def found_group(**overrides):
    """The target group as elb_target_group_info describes the one the role made for TIER."""
    group = {
        "target_group_name": NAMES["target_group"], "protocol": "HTTP", "port": 3000, "health_check_protocol": "HTTP",
        "health_check_port": "traffic-port", "health_check_path": "/", "health_check_interval_seconds": 30,
        "health_check_timeout_seconds": 5, "healthy_threshold_count": 2, "unhealthy_threshold_count": 3,
        "matcher": {"http_code": "200-399"}, "deregistration_delay_timeout_seconds": "30", "stickiness_enabled": "false",
        "stickiness_type": "lb_cookie", "tags": dict(TAGS), "load_balancer_arns": [ALB_ARN],
    }
    group.update(overrides)
    return group


def actions(records):
    return [(r.get("action"), r["type"], r["name"]) for r in records]


def test_a_converged_target_group_is_kept_and_the_hidden_results_named():
    records = plan_roles.alb_plan([found_group()], TIER, NAMES, TAGS)
    assert actions(records) == [("keep", "target group", NAMES["target_group"]), (None, "load balancer", NAMES["alb"]),
                                (None, "secret", NAMES["origin_secret"])]
    assert records[1] == {"module": "amazon.aws.elb_application_lb", "type": "load balancer", "name": NAMES["alb"], "exists": True}
    # Without a generated secret (alb_origin_secret given) or without CloudFront, no secret.
    assert len(plan_roles.alb_plan([found_group()], TIER, NAMES, TAGS, generated_secret=False)) == 2
    assert len(plan_roles.alb_plan([found_group()], dict(TIER, cloudfront=False), NAMES, TAGS)) == 2


def test_a_console_change_is_exactly_that_attribute():
    (tg, *_rest) = plan_roles.alb_plan([found_group(health_check_path="/console")], TIER, NAMES, TAGS)
    assert tg == {"action": "update", "type": "target group", "name": NAMES["target_group"],
                  "attributes": ["health_check_path"], "diff": {"health_check_path": {"before": "/console", "after": "/"}}}


@pytest.mark.parametrize(
    "tier, found, attributes",
    [
        (dict(TIER, health_check={"path": "/health"}), {}, ["health_check_path"]),
        (dict(TIER, deregistration_delay=10), {}, ["deregistration_delay_timeout_seconds"]),
        (dict(TIER, stickiness_seconds=600), {}, ["stickiness_enabled", "stickiness_lb_cookie_duration_seconds"]),
        (TIER, {"tags": dict(TAGS, extra="x")}, ["tags"]),
        (TIER, {"matcher": {"http_code": "200"}}, ["matcher"]),
        # elb_target_group never turns stickiness off: nothing to plan.
        (TIER, {"stickiness_enabled": "true"}, []),
    ],
)
def test_target_group_settings_compare_as_elb_target_group_does(tier, found, attributes):
    (tg, *_rest) = plan_roles.alb_plan([found_group(**found)], tier, NAMES, TAGS)
    assert tg["attributes"] == attributes
    assert tg["action"] == ("update" if attributes else "keep")


def test_missing_target_group_and_network():
    records = plan_roles.alb_plan([], TIER, NAMES, TAGS)
    assert records[0]["action"] == "create" and records[1]["exists"] is False
    detached = plan_roles.alb_plan([found_group(load_balancer_arns=[])], TIER, NAMES, TAGS)
    assert detached[1]["exists"] is None
    assert actions(plan_roles.alb_plan([], TIER, NAMES, TAGS, network_found=False)) == [
        ("create", "secret", NAMES["origin_secret"]), ("create", "target group", NAMES["target_group"]),
        ("create", "load balancer", NAMES["alb"])]


TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/dev-a-web-tg/0456"


def test_a_converged_target_group_is_taken_as_found():
    group = found_group(target_group_arn=TG_ARN)
    assert plan_roles.alb_target_group_kept([group], TIER, NAMES, TAGS) == group
    # elb_target_group never turns stickiness off: a group with stickiness on is still as the role makes it.
    sticky = found_group(target_group_arn=TG_ARN, stickiness_enabled="true")
    assert plan_roles.alb_target_group_kept([sticky], TIER, NAMES, TAGS) == sticky


@pytest.mark.parametrize(
    "tier, found",
    [
        (TIER, {"health_check_path": "/console"}),
        (TIER, {"health_check_interval_seconds": 10}),
        (TIER, {"tags": dict(TAGS, extra="x")}),
        (TIER, {"matcher": {"http_code": "200"}}),
        (TIER, {"port": 8080}),
        (dict(TIER, deregistration_delay=10), {}),
        (dict(TIER, stickiness_seconds=600), {}),
        # Another group's name, or no ARN to give the load balancer and the tier's runtime.
        (TIER, {"target_group_name": "dev-a-other-tg"}),
        (TIER, {"target_group_arn": ""}),
    ],
)
def test_a_target_group_changed_behind_the_role_is_converged_again(tier, found):
    group = found_group(target_group_arn=TG_ARN)
    group.update(found)
    assert plan_roles.alb_target_group_kept([group], tier, NAMES, TAGS) == {}


def test_a_missing_target_group_is_converged():
    assert plan_roles.alb_target_group_kept([], TIER, NAMES, TAGS) == {}
    assert plan_roles.alb_target_group_kept(None, TIER, NAMES, TAGS) == {}


def test_asg_plan_lists_what_the_role_would_create_without_its_prerequisites():
    policies = tier_roles.asg_scaling_policies(dict(TIER, scaling={"policy": "step"}), NAMES)
    records = plan_roles.asg_plan(TIER, NAMES, ["web subnets"], policies)
    assert actions(records) == [
        ("create", "iam role", NAMES["instance_role"]), ("create", "log group", NAMES["log_group"]),
        ("create", "ssm parameter", NAMES["cloudwatch_agent_parameter"]),
        ("create", "launch template", NAMES["launch_template"]), ("create", "auto scaling group", NAMES["group"]),
        ("create", "scaling policy", NAMES["scaling_policy_prefix"] + "high"),
        ("create", "cloudwatch alarm", NAMES["scaling_policy_prefix"] + "high"),
        ("create", "scaling policy", NAMES["scaling_policy_prefix"] + "low"),
        ("create", "cloudwatch alarm", NAMES["scaling_policy_prefix"] + "low"),
    ]
    assert plan_roles.asg_plan(TIER, NAMES, [], policies, {"auto_scaling_group_name": NAMES["group"]}, []) == []
    (update,) = plan_roles.asg_plan(TIER, NAMES, [], policies, {"auto_scaling_group_name": NAMES["group"]},
                                    ["max_size is 4, wants 6", "launch template is a:1, wants a:2"])
    assert (update["action"], update["attributes"]) == ("update", ["launch template", "max_size"])
    assert plan_roles.asg_plan(TIER, NAMES, [], policies, {}, ["the group does not exist"])[0]["action"] == "create"


RDS_NAMES = {"secret": "p-db-credentials", "subnet_group": "p-postgres", "parameter_group": "p-postgres-postgres15",
             "monitoring_role": "p-rds-monitoring", "instance": "p-postgres"}


def test_rds_postgres_plan_without_the_network_lists_every_creation():
    assert actions(plan_roles.rds_postgres_plan(RDS_NAMES, network_found=False)) == [
        ("create", "secret", "p-db-credentials"), ("create", "db subnet group", "p-postgres"),
        ("create", "db parameter group", "p-postgres-postgres15"), ("create", "iam role", "p-rds-monitoring"),
        ("create", "db instance", "p-postgres")]
    # Without enhanced monitoring, no role.
    assert "iam role" not in [r["type"] for r in plan_roles.rds_postgres_plan(dict(RDS_NAMES, monitoring_role=""), False)]


@pytest.mark.parametrize("instance_found, secret_found", [(False, False), (True, True), (True, False)])
def test_rds_postgres_plan_with_the_network_says_what_existed(instance_found, secret_found):
    records = plan_roles.rds_postgres_plan(RDS_NAMES, True, instance_found, secret_found)
    assert [(r["module"], r["name"], r["exists"]) for r in records] == [
        ("community.aws.secretsmanager_secret", "p-db-credentials", secret_found),
        ("amazon.aws.rds_subnet_group", "p-postgres", instance_found),
        ("amazon.aws.rds_instance_param_group", "p-postgres-postgres15", instance_found)]
    assert all("action" not in r for r in records)


def test_bastion_plan():
    names = {"role": "p-bastion", "key": "p-bastion", "instance": "p-bastion"}
    assert plan_roles.bastion_plan(names, []) == []
    assert actions(plan_roles.bastion_plan(names, ["VPC p"])) == [("create", "iam role", "p-bastion"), ("create", "ec2 instance", "p-bastion")]
    assert actions(plan_roles.bastion_plan(names, ["VPC p"], key_wanted=True)) == [
        ("create", "iam role", "p-bastion"), ("create", "key pair", "p-bastion"), ("create", "ec2 instance", "p-bastion")]


def test_monitoring_plan():
    assert plan_roles.monitoring_plan("p-alarms", True, "p-scaling-events", True) == []
    assert actions(plan_roles.monitoring_plan("p-alarms", False, "p-scaling-events", True)) == [
        ("create", "sns topic", "p-alarms"), ("create", "eventbridge rule", "p-scaling-events")]
    assert actions(plan_roles.monitoring_plan("p-alarms", False, "p-scaling-events", False)) == [("create", "sns topic", "p-alarms")]


# ---- drift ----


def tagged(resource_type, name, tier):
    return {"resource_type": resource_type, "name": name, "arn": f"arn:{resource_type}:{name}",
            "tags": {"atelier:env": "dev", "atelier:stack": "a", "atelier:tier": tier}}


def test_orphans_are_the_tier_resources_of_undeclared_tiers():
    gone = stack.stack_names("dev-a", "old")
    found = [
        tagged("elasticloadbalancing:loadbalancer", gone["alb"], "old"),
        tagged("elasticloadbalancing:targetgroup", gone["target_group"], "old"),
        tagged("secretsmanager:secret", gone["origin_secret"] + "-AbC123", "old"),
        tagged("logs:log-group", gone["log_group"], "old"),
        tagged("ec2:security-group", gone["security_group"], "old"),
        tagged("elasticloadbalancing:loadbalancer", NAMES["alb"], "web"),
        # Subnets and the database group carry a subnet tier: not an application tier's.
        tagged("ec2:subnet", "dev-a-database-az1", "database"),
        tagged("ec2:security-group", "dev-a-database", "database"),
    ]
    result = drift.orphans(found, "dev-a", [TIER], roles=[gone["instance_role"], NAMES["instance_role"], "other-role"],
                           log_groups=[gone["log_group"]])
    assert result["tiers"] == ["old"]
    assert [(r["type"], r["name"], r["fate"]) for r in result["resources"]] == [
        ("iam role", gone["instance_role"], "removed"),
        ("load balancer", gone["alb"], "removed"),
        ("log group", gone["log_group"], "kept"),
        ("secret", gone["origin_secret"], "removed"),
        ("security group", gone["security_group"], "left"),
        ("target group", gone["target_group"], "removed"),
    ]
    assert "tier old: log group /aws/ec2/dev-a/old (kept (its data))" in result["lines"]


def test_a_tier_with_only_its_data_left_is_not_removed_again():
    gone = stack.stack_names("dev-a", "old")
    result = drift.orphans([tagged("logs:log-group", gone["log_group"], "old")], "dev-a", [TIER])
    assert result["tiers"] == [] and len(result["resources"]) == 1
    assert drift.orphans([], "dev-a", [TIER]) == {"tiers": [], "static": [], "served": [], "resources": [], "lines": [], "retired": {}}


def test_a_removed_fargate_tier_is_an_orphan_with_its_service_roles_and_logs():
    gone = stack.stack_names("dev-a", "api", "fargate")
    found = [tagged("ecs:service", gone["service"], "api"), tagged("elasticloadbalancing:targetgroup", gone["target_group"], "api")]
    result = drift.orphans(found, "dev-a", [TIER], roles=[gone["execution_role"], gone["task_role"]],
                           log_groups=[gone["ecs_log_group"]])
    assert result["tiers"] == ["api"]
    assert [(r["type"], r["name"], r["fate"]) for r in result["resources"]] == [
        ("ecs service", "dev-a-api", "removed"),
        ("iam role", "dev-a-api-execution", "removed"),
        ("iam role", "dev-a-api-task", "removed"),
        ("log group", "/aws/ecs/dev-a/api", "kept"),
        ("target group", "dev-a-api-ip", "removed"),
    ]


def test_a_tier_moved_to_fargate_retires_its_ec2_resources_and_target_group():
    ec2 = stack.stack_names("dev-a", "web")
    found = [
        tagged("ec2:launch-template", ec2["launch_template"], "web"),
        tagged("elasticloadbalancing:targetgroup", ec2["target_group"], "web"),
        tagged("elasticloadbalancing:targetgroup", "dev-a-web-ip", "web"),
        tagged("ecs:service", "dev-a-web", "web"),
        tagged("elasticloadbalancing:loadbalancer", ec2["alb"], "web"),
    ]
    moved = dict(TIER, runtime="fargate")
    assert drift.orphans(found, "dev-a", [moved])["retired"] == {"web": {"runtimes": ["ec2"], "target_groups": ["dev-a-web-tg"], "load_balancer": False}}
    # Back to ec2: the service and the ip group go.
    assert drift.orphans(found, "dev-a", [TIER])["retired"] == {"web": {"runtimes": ["fargate"], "target_groups": ["dev-a-web-ip"], "load_balancer": False}}
    # Converged: nothing of another runtime is left.
    assert drift.orphans(found[:2] + found[4:], "dev-a", [TIER])["retired"] == {}
    assert drift.orphans(found[2:], "dev-a", [moved])["retired"] == {}


DISTRIBUTION_ARN = "arn:aws:cloudfront::1:distribution/E2ABCDEF"


def test_a_dropped_static_tier_loses_its_distribution_and_origin_access_control_and_keeps_its_bucket():
    found = [
        tagged("s3:bucket", "dev-a-spa-site", "spa"),
        dict(tagged("cloudfront:distribution", "E2ABCDEF", "spa"), arn=DISTRIBUTION_ARN),
        # Another bucket tagged with the tier (a store granted to it) is not the tier's: left out.
        tagged("s3:bucket", "dev-a-uploads", "spa"),
        # The declared tier's own distribution and bucket-less resources are not orphans.
        tagged("cloudfront:distribution", "E9WEB", "web"),
    ]
    result = drift.orphans(found, "dev-a", [TIER])
    assert (result["tiers"], result["static"], result["served"]) == (["spa"], ["spa"], [])
    assert [(r["type"], r["name"], r["fate"]) for r in result["resources"]] == [
        ("cloudfront distribution", "E2ABCDEF", "removed"),
        ("cloudfront origin access control", "dev-a-spa", "removed"),
        ("s3 bucket", "dev-a-spa-site", "kept"),
    ]
    assert "tier spa: s3 bucket dev-a-spa-site (kept (its data))" in result["lines"]
    # Removed already: the bucket (its data) alone does not bring the tier back.
    again = drift.orphans(found[:1], "dev-a", [TIER])
    assert (again["tiers"], again["static"], [r["type"] for r in again["resources"]]) == ([], [], ["s3 bucket"])


def test_a_dropped_ec2_tier_with_its_distribution_is_not_static():
    gone = stack.stack_names("dev-a", "old")
    found = [tagged("elasticloadbalancing:loadbalancer", gone["alb"], "old"), tagged("cloudfront:distribution", "E1OLD", "old")]
    result = drift.orphans(found, "dev-a", [TIER])
    assert (result["tiers"], result["static"], result["served"]) == (["old"], [], ["old"])
    assert "cloudfront origin access control" not in [r["type"] for r in result["resources"]]
    # Its distribution alone left (its load balancer removed already): the cloudfront role still removes it.
    alone = drift.orphans(found[1:], "dev-a", [TIER])
    assert (alone["tiers"], alone["static"], alone["served"]) == (["old"], [], ["old"])


def test_a_tier_moved_to_static_retires_its_load_balancer_and_former_runtime():
    ec2 = stack.stack_names("dev-a", "web")
    found = [
        tagged("ec2:launch-template", ec2["launch_template"], "web"),
        tagged("elasticloadbalancing:loadbalancer", ec2["alb"], "web"),
        tagged("elasticloadbalancing:targetgroup", ec2["target_group"], "web"),
        tagged("secretsmanager:secret", ec2["origin_secret"] + "-AbC123", "web"),
        tagged("cloudfront:distribution", "E9WEB", "web"),
        tagged("s3:bucket", "dev-a-web-site", "web"),
    ]
    static = {"name": "web", "runtime": "static"}
    assert drift.orphans(found, "dev-a", [static])["retired"] == {
        "web": {"runtimes": ["ec2"], "target_groups": [], "load_balancer": True}}
    # From fargate: the service goes with the load balancer.
    fargate = [tagged("ecs:service", "dev-a-web", "web"), tagged("elasticloadbalancing:targetgroup", "dev-a-web-ip", "web")]
    assert drift.orphans(fargate, "dev-a", [static])["retired"] == {
        "web": {"runtimes": ["fargate"], "target_groups": [], "load_balancer": True}}
    # Converged: the distribution and the bucket are the static tier's own.
    assert drift.orphans(found[4:], "dev-a", [static])["retired"] == {}


def test_a_tier_moved_from_static_retires_the_static_runtime_while_its_bucket_is_there():
    found = [tagged("s3:bucket", "dev-a-web-site", "web"), tagged("cloudfront:distribution", "E9WEB", "web"),
             tagged("elasticloadbalancing:loadbalancer", "dev-a-web", "web")]
    assert drift.orphans(found, "dev-a", [TIER])["retired"] == {"web": {"runtimes": ["static"], "target_groups": [], "load_balancer": False}}
    assert drift.orphans(found, "dev-a", [dict(TIER, runtime="fargate")])["retired"]["web"]["runtimes"] == ["static"]
    # Another bucket of the tier is no sign of the static runtime.
    assert drift.orphans([tagged("s3:bucket", "dev-a-web-uploads", "web")], "dev-a", [TIER])["retired"] == {}
