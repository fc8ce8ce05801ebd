# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a Fargate tier derives: the ecs_task_definition / ecs_service options, the execution and task roles and the
Application Auto Scaling policies (plugins/module_utils/fargate.py and its filters)."""

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import fargate as filters
from ansible_collections.atelier.infra.plugins.filter.tiers import tier_runtime
from ansible_collections.atelier.infra.plugins.module_utils import ecs
from ansible_collections.atelier.infra.plugins.module_utils import fargate
from ansible_collections.atelier.infra.plugins.module_utils import grants
from ansible_collections.atelier.infra.plugins.modules import ecs_service as service_module
from ansible_collections.atelier.infra.plugins.modules import ecs_task_definition as task_module

ACCOUNT, REGION, PREFIX = "123456789012", "eu-west-1", "prod-shop"
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-shop-db-credentials-AbCdEf"
ALB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod-shop-api/50dc6c495c0c9188"
TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-shop-api-tg/73e2d6bc24d8a067"
TASK = "arn:aws:ecs:eu-west-1:123456789012:task-definition/prod-shop-api:3"


def tier(**more):
    t = {
        "name": "api", "runtime": "fargate", "app_port": 3000, "image": "node-app:1.4", "cpu": 512, "memory": 1024,
        "environment": {"NODE_ENV": "production"},
        "secrets": {"DB_PASSWORD": "prod-shop-db-credentials:password", "API_KEY": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:key-XyZ123"},
        "grants": [{"kind": "dynamodb_table", "name": "AtelierDB", "access": "read_write"}],
        "health_check": {"path": "/health", "timeout": 90, "interval": 120},
    }
    t.update(more)
    return t


def runtime(t=None):
    return tier_runtime(t or tier(), ACCOUNT, REGION, namespace=PREFIX)


def documented_options(module):
    return set(yaml.safe_load(module.DOCUMENTATION)["options"])


def test_the_task_definition_is_exactly_the_module_input():
    options = fargate.task_definition(tier(), PREFIX, ACCOUNT, REGION, runtime(), secret_arns={"prod-shop-db-credentials": SECRET_ARN})
    assert set(options) <= documented_options(task_module)
    assert ecs.option_errors(options) == []
    assert options["family"] == "prod-shop-api"
    assert (options["cpu"], options["memory"], options["cpu_architecture"], options["keep_revisions"]) == ("512", "1024", "X86_64", 5)
    assert options["execution_role_arn"] == "arn:aws:iam::123456789012:role/prod-shop-api-execution"
    assert options["task_role_arn"] == "arn:aws:iam::123456789012:role/prod-shop-api-task"
    (container,) = options["containers"]
    assert container["image"] == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/prod-shop/node-app:1.4"
    assert container["portMappings"] == [{"containerPort": 3000, "protocol": "tcp"}]
    assert container["environment"] == [
        {"name": "AWS_REGION", "value": "eu-west-1"},
        {"name": "DYNAMODB_TABLE", "value": "prod-shop-AtelierDB"},
        {"name": "NODE_ENV", "value": "production"},
        {"name": "PORT", "value": "3000"},
    ]
    assert container["secrets"] == [
        {"name": "API_KEY", "valueFrom": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:key-XyZ123"},
        {"name": "DB_PASSWORD", "valueFrom": SECRET_ARN + ":password::"},
    ]
    assert container["logConfiguration"]["options"] == {
        "awslogs-group": "/aws/ecs/prod-shop/api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "api"}
    assert container["readonlyRootFilesystem"] is False


def test_a_secret_not_looked_up_is_given_by_its_partial_arn():
    options = fargate.task_definition(tier(), PREFIX, ACCOUNT, REGION, runtime())
    secrets = {s["name"]: s["valueFrom"] for s in options["containers"][0]["secrets"]}
    assert secrets["DB_PASSWORD"] == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-shop-db-credentials:password::"


def test_the_tier_environment_wins_and_upstreams_are_added():
    t = tier(environment={"AWS_REGION": "us-east-1"}, grants=[])
    env = fargate.container_environment(t, PREFIX, ACCOUNT, REGION, upstream_environment={"USERS_URL": "http://users"})
    assert env == [{"name": "AWS_REGION", "value": "us-east-1"}, {"name": "PORT", "value": "3000"},
                   {"name": "USERS_URL", "value": "http://users"}]


def test_the_container_health_check_stays_within_ecs_bounds():
    check = fargate.health_check(tier(health_check_grace_period=600))
    assert check["command"][0] == "CMD-SHELL" and "http://127.0.0.1:3000/health" in check["command"][1]
    assert (check["interval"], check["timeout"], check["retries"], check["startPeriod"]) == (120, 60, 3, 300)
    assert fargate.health_check(tier(health_check_grace_period=45))["startPeriod"] == 45


def test_an_image_of_another_registry_is_kept_and_gets_no_ecr_permission():
    t = tier(image="ghcr.io/acme/api:2", secrets={}, read_only_root_filesystem=True, cpu_architecture="ARM64")
    options = fargate.task_definition(t, PREFIX, ACCOUNT, REGION, runtime(t))
    assert options["containers"][0]["image"] == "ghcr.io/acme/api:2"
    assert options["containers"][0]["readonlyRootFilesystem"] is True and options["cpu_architecture"] == "ARM64"
    role = fargate.execution_role(t, PREFIX, ACCOUNT, REGION, runtime(t))
    assert [s["Sid"] for s in role["policy"]["Statement"]] == ["WriteTheTierLogs"]


def test_the_execution_role_allows_exactly_the_tier_repository_log_group_and_secrets():
    role = fargate.execution_role(tier(), PREFIX, ACCOUNT, REGION, runtime())
    assert role["name"] == "prod-shop-api-execution"
    statements = {s["Sid"]: s for s in role["policy"]["Statement"]}
    assert statements["PullTheTierImage"]["Resource"] == ["arn:aws:ecr:eu-west-1:123456789012:repository/prod-shop/node-app"]
    assert statements["LogInToEcr"] == {"Sid": "LogInToEcr", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"}
    group = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ecs/prod-shop/api"
    assert statements["WriteTheTierLogs"]["Resource"] == [group, group + ":log-stream:*"]
    assert statements["ReadTheTierSecretsOnly"]["Resource"] == [
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-shop-db-credentials-??????",
        "arn:aws:secretsmanager:eu-west-1:210987654321:secret:key-XyZ123",
    ]
    assert statements["ReadTheTierSecretsOnly"]["Action"] == ["secretsmanager:GetSecretValue"]
    assert all(s["Resource"] != "*" for sid, s in statements.items() if sid != "LogInToEcr")


def test_both_roles_trust_ecs_tasks_of_this_account_only():
    expected = {
        "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": "arn:aws:ecs:eu-west-1:123456789012:*"}},
    }
    assert fargate.execution_role(tier(), PREFIX, ACCOUNT, REGION, runtime())["trust_policy"]["Statement"] == [expected]
    assert fargate.task_role(tier(), PREFIX, ACCOUNT, REGION)["trust_policy"]["Statement"] == [expected]


def test_the_task_role_is_the_tier_grants():
    role = fargate.task_role(tier(), PREFIX, ACCOUNT, REGION, table_regions={"AtelierDB": ["eu-west-1", "us-east-1"]})
    assert role["name"] == "prod-shop-api-task"
    table = role["policy"]["Statement"][0]
    assert table["Resource"] == ["arn:aws:dynamodb:eu-west-1:123456789012:table/prod-shop-AtelierDB",
                                 "arn:aws:dynamodb:us-east-1:123456789012:table/prod-shop-AtelierDB"]
    assert "dynamodb:PutItem" in table["Action"]
    assert not any(s["Sid"] == "EcsExec" for s in role["policy"]["Statement"])
    assert fargate.task_role(tier(grants=[]), PREFIX, ACCOUNT, REGION)["policy"] is None


def test_ecs_exec_adds_the_ssm_channels_to_the_task_role():
    policy = fargate.task_role(tier(grants=[], enable_execute_command=True), PREFIX, ACCOUNT, REGION)["policy"]
    assert policy["Statement"] == [{"Sid": "EcsExec", "Effect": "Allow", "Action": fargate.EXEC_ACTIONS, "Resource": "*"}]


def test_tracing_lets_the_task_send_traces_to_xray_and_nothing_more():
    policy = fargate.task_role(tier(tracing=True), PREFIX, ACCOUNT, REGION)["policy"]
    xray = [s for s in policy["Statement"] if s["Sid"] == "SendTracesToXRay"]
    assert xray == [{"Sid": "SendTracesToXRay", "Effect": "Allow", "Action": grants.TRACING_ACTIONS, "Resource": "*"}]
    assert all(a.startswith("xray:") and ("Put" in a or "GetSampling" in a) for a in xray[0]["Action"])
    assert fargate.task_role(tier(grants=[], tracing=True), PREFIX, ACCOUNT, REGION)["policy"]["Statement"] == xray
    assert not any(s["Sid"] == "SendTracesToXRay" for s in fargate.task_role(tier(), PREFIX, ACCOUNT, REGION)["policy"]["Statement"])


def test_the_service_is_exactly_the_module_input():
    options = fargate.service(tier(desired_capacity=3, health_check_grace_period=60), PREFIX, TASK, ["subnet-1", "subnet-2"], ["sg-1"], TG)
    assert set(options) <= documented_options(service_module)
    assert ecs.service_errors(options) == []
    assert (options["cluster"], options["name"], options["task_definition"]) == ("prod-shop", "prod-shop-api", TASK)
    assert (options["desired_count"], options["autoscaled"], options["assign_public_ip"]) == (3, True, False)
    assert options["load_balancers"] == [{"target_group_arn": TG, "container_name": "api", "container_port": 3000}]
    assert options["capacity_provider_strategy"] == [{"capacity_provider": "FARGATE", "weight": 1, "base": 0}]
    assert (options["minimum_healthy_percent"], options["maximum_percent"]) == (100, 200)
    assert options["circuit_breaker"] == {"enable": True, "rollback": True}
    assert options["health_check_grace_period_seconds"] == 60
    assert (options["enable_execute_command"], options["wait"]) == (False, False)


def test_the_capacity_provider_strategy_follows_the_weights():
    strategy = {"fargate_base": 2, "fargate_weight": 1, "spot_weight": 3}
    assert fargate.capacity_provider_strategy(tier(capacity_provider_strategy=strategy)) == [
        {"capacity_provider": "FARGATE", "weight": 1, "base": 2}, {"capacity_provider": "FARGATE_SPOT", "weight": 3, "base": 0}]
    spot_only = {"fargate_weight": 0, "spot_weight": 1}
    assert fargate.capacity_provider_strategy(tier(capacity_provider_strategy=spot_only)) == [
        {"capacity_provider": "FARGATE_SPOT", "weight": 1, "base": 0}]
    assert ecs.strategy_errors("capacity_provider_strategy", fargate.capacity_provider_strategy(tier(capacity_provider_strategy=strategy))) == []


def test_a_service_without_scaling_keeps_its_count():
    assert fargate.service(tier(scaling={"policy": "none"}), PREFIX, TASK, ["s"], ["g"], TG)["autoscaled"] is False


def test_scaling_tracks_cpu_by_default_with_the_tier_bounds():
    s = fargate.scaling(tier(min_size=2, max_size=6), PREFIX)
    assert (s["state"], s["resource_id"], s["scalable_dimension"]) == ("present", "service/prod-shop/prod-shop-api", "ecs:service:DesiredCount")
    assert (s["minimum_tasks"], s["maximum_tasks"]) == (2, 6)
    (cpu,) = s["policies"]
    assert (cpu["policy_name"], cpu["policy_type"]) == ("prod-shop-api-service-cpu", "TargetTrackingScaling")
    assert cpu["target_tracking_scaling_policy_configuration"] == {
        "TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
        "ScaleOutCooldown": 300, "ScaleInCooldown": 300, "DisableScaleIn": False}
    assert fargate.scaling_policy_names(tier(), PREFIX) == ["prod-shop-api-service-cpu"]


def test_memory_and_request_count_policies_when_asked():
    s = fargate.scaling(tier(scaling={"memory_target": 80, "requests_per_target": 500}), PREFIX, ALB, TG)
    metrics = {p["policy_name"]: p["target_tracking_scaling_policy_configuration"] for p in s["policies"]}
    assert metrics["prod-shop-api-service-memory"]["TargetValue"] == 80.0
    requests = metrics["prod-shop-api-service-requests"]["PredefinedMetricSpecification"]
    assert requests == {"PredefinedMetricType": "ALBRequestCountPerTarget",
                        "ResourceLabel": "app/prod-shop-api/50dc6c495c0c9188/targetgroup/prod-shop-api-tg/73e2d6bc24d8a067"}
    assert list(metrics) == fargate.scaling_policy_names(tier(scaling={"memory_target": 80, "requests_per_target": 500}), PREFIX)
    with pytest.raises(ValueError, match="requests_per_target needs the load balancer"):
        fargate.scaling(tier(scaling={"requests_per_target": 500}), PREFIX)


@pytest.mark.parametrize("scaling, state", [({"policy": "none"}, "present"), ({"requests_per_target": 500}, "absent")])
def test_no_scaling_or_a_removed_tier_deregisters_the_target(scaling, state):
    # state absent: the module deregisters the target with its policies; no ARN is needed for that.
    s = fargate.scaling(tier(scaling=scaling), PREFIX, state=state)
    assert (s["state"], s["policies"], s["resource_id"]) == ("absent", [], "service/prod-shop/prod-shop-api")


def test_the_filters_check_their_inputs():
    assert set(filters.FilterModule().filters()) == {"fargate_task", "fargate_service", "fargate_scaling"}
    both = filters.fargate_task(tier(), PREFIX, ACCOUNT, REGION, runtime())
    assert set(both) == {"task_definition", "execution_role", "task_role"}
    with pytest.raises(AnsibleFilterError, match="runtime must be the tier's atelier.infra.tier_runtime answer"):
        filters.fargate_task(tier(), PREFIX, ACCOUNT, REGION, {})
    with pytest.raises(AnsibleFilterError, match="the account must be a non-empty string"):
        filters.fargate_task(tier(), PREFIX, "", REGION, runtime())
    with pytest.raises(AnsibleFilterError, match="subnets must be a non-empty list"):
        filters.fargate_service(tier(), PREFIX, TASK, "subnet-1", ["sg-1"], TG)
    with pytest.raises(AnsibleFilterError, match="expected a tier"):
        filters.fargate_scaling({"name": "api"}, PREFIX)
    with pytest.raises(AnsibleFilterError, match="fargate_scaling: tier api: scaling requests_per_target"):
        filters.fargate_scaling(tier(scaling={"requests_per_target": 5}), PREFIX)
    with pytest.raises(AnsibleFilterError, match="fargate_scaling: state must be present or absent, got 'gone'"):
        filters.fargate_scaling(tier(), PREFIX, state="gone")
    assert filters.fargate_scaling(tier(), PREFIX, "", "", "absent")["state"] == "absent"
