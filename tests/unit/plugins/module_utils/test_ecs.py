"""What atelier.infra.ecs_task_definition decides, without AWS: bad input, the request, and when ECS would run the
same task (no new revision) or a different one."""

import copy

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import ecs as td

ROLE = "arn:aws:iam::123456789012:role/p-web-execution"
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:p/db-AbCdEf:password::"


def params(**more):
    base = {
        "family": "p-web", "state": "present", "launch_type": "FARGATE", "network_mode": "awsvpc", "cpu": "256",
        "memory": "512", "execution_role_arn": ROLE, "task_role_arn": None,
        "containers": [{"name": "web", "image": "node:22", "portMappings": [{"containerPort": 3000}],
                        "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
                        "secrets": [{"name": "DB", "valueFrom": SECRET}],
                        "healthCheck": {"command": ["CMD-SHELL", "true"]}}],
    }
    base.update(more)
    return base


def described(**more):
    """What ECS returns for params(): its defaults filled in, lists in another order."""
    definition = {
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:1:task-definition/p-web:3", "revision": 3, "status": "ACTIVE",
        "family": "p-web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "compatibilities": ["EC2", "FARGATE"],
        "cpu": "256", "memory": "512", "executionRoleArn": ROLE, "volumes": [], "placementConstraints": [],
        "containerDefinitions": [{
            "name": "web", "image": "node:22", "cpu": 0, "essential": True, "mountPoints": [], "volumesFrom": [],
            "portMappings": [{"containerPort": 3000, "hostPort": 3000, "protocol": "tcp"}],
            "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            "secrets": [{"name": "DB", "valueFrom": SECRET}],
            "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": 30, "timeout": 5, "retries": 3},
        }],
    }
    definition.update(more)
    return definition


def test_what_ecs_fills_in_and_reorders_is_no_difference():
    assert td.differences(described(), td.request(params())) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"cpu": "512", "memory": "1024"}, ["cpu", "memory"]),
        ({"execution_role_arn": "arn:aws:iam::123456789012:role/other"}, ["executionRoleArn"]),
        ({"cpu_architecture": "ARM64"}, ["runtimePlatform"]),
        ({"task_role_arn": "arn:aws:iam::123456789012:role/p-web-task"}, ["taskRoleArn"]),
    ],
)
def test_task_settings_that_differ_are_named(change, expected):
    assert td.differences(described(), td.request(params(**change))) == expected


def test_container_settings_that_differ_are_named_by_container_and_key():
    wanted = params()
    wanted["containers"][0]["image"] = "node:23"
    wanted["containers"][0]["environment"].append({"name": "C", "value": "3"})
    wanted["containers"][0]["healthCheck"]["retries"] = 5
    assert td.differences(described(), td.request(wanted)) == [
        "container web: environment", "container web: healthCheck", "container web: image"]
    wanted["containers"].append({"name": "sidecar", "image": "envoy"})
    assert "container sidecar" in td.differences(described(), td.request(wanted))


def test_nothing_described_is_every_setting():
    assert "containerDefinitions" in td.differences(None, td.request(params()))


def test_normalize_does_not_change_its_input():
    definition = described()
    before = copy.deepcopy(definition)
    td.normalize(definition)
    assert definition == before


def test_the_request_has_what_the_options_give_and_nothing_empty():
    request = td.request(params(cpu_architecture="ARM64", ephemeral_storage=30))
    assert request["runtimePlatform"] == {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
    assert request["ephemeralStorage"] == {"sizeInGiB": 30}
    assert "taskRoleArn" not in request and "volumes" not in request
    assert request["requiresCompatibilities"] == ["FARGATE"] and request["networkMode"] == "awsvpc"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"cpu": "256", "memory": "4096"}, "memory '4096' does not exist on Fargate with cpu 256: 512 to 2048 MiB"),
        ({"cpu": "300"}, "cpu must be one of Fargate's sizes 256, 512"),
        ({"cpu": None}, "cpu must be one of Fargate's sizes"),
        ({"network_mode": "bridge"}, "network_mode must be awsvpc on Fargate"),
        ({"family": "bad name"}, "family must be 1-255 letters"),
        ({"execution_role_arn": "p-web-execution"}, "execution_role_arn must be an IAM role ARN"),
        ({"containers": []}, "containers must list at least one container"),
        ({"containers": [{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]}, "names must be unique"),
        ({"containers": [{"name": "a"}]}, "containers[0] (a): image is required"),
        ({"containers": [{"name": "a", "image": "x", "portMappings": [{"containerPort": 3000, "hostPort": 80}]}]},
         "hostPort 80 must equal containerPort 3000 in awsvpc mode"),
        ({"containers": [{"name": "a", "image": "x", "portMappings": [{"containerPort": 70000}]}]}, "must be a port"),
        ({"containers": [{"name": "a", "image": "x", "secrets": [{"name": "DB", "valueFrom": "p/db"}]}]},
         "secret 'DB' must come from a Secrets Manager secret or SSM parameter ARN (valueFrom), got 'p/db'"),
    ],
)
def test_bad_input_is_named(change, message):
    errors = td.option_errors(params(**change))
    assert any(message in error for error in errors), errors


def test_good_input_and_absent_have_no_error():
    assert td.option_errors(params()) == []
    assert td.option_errors({"family": "p-web", "state": "absent"}) == []
    assert td.option_errors(params(launch_type="EC2", network_mode="bridge", cpu=None, memory=None)) == []


def test_revisions_beyond_keep_are_deregistered_oldest_first_never_the_current():
    arns = [f"arn:aws:ecs:r:1:task-definition/p-web:{n}" for n in (3, 10, 7, 1, 9)]
    assert td.revisions_to_deregister(arns, 3, arns[1]) == [arns[3], arns[0]]
    assert td.revisions_to_deregister(arns, 0, arns[1]) == []
    assert td.revisions_to_deregister(arns, 10, arns[1]) == []


# ---------------------------------------------------------------- clusters


def cluster_params(**more):
    base = {"name": "p-shop", "state": "present", "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
            "default_capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1, "base": 2},
                                                   {"capacity_provider": "FARGATE_SPOT", "weight": 3, "base": 0}]}
    base.update(more)
    return base


def described_cluster(**more):
    base = {"clusterArn": "arn:aws:ecs:r:1:cluster/p-shop", "clusterName": "p-shop", "status": "ACTIVE",
            "settings": [{"name": "containerInsights", "value": "enabled"}],
            "capacityProviders": ["FARGATE_SPOT", "FARGATE"],
            "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 3},
                                                {"capacityProvider": "FARGATE", "weight": 1, "base": 2}]}
    base.update(more)
    return base


def test_a_cluster_as_described_has_no_change_whatever_the_order_and_omitted_zero_base():
    p = cluster_params()
    assert td.cluster_changes(described_cluster(), "enabled", p["capacity_providers"], p["default_capacity_provider_strategy"]) == []


def test_cluster_changes_are_named():
    p = cluster_params()
    strategy = p["default_capacity_provider_strategy"]
    assert td.cluster_changes(None, "enabled", [], []) == ["cluster"]
    assert td.cluster_changes(described_cluster(settings=[]), "enabled", p["capacity_providers"], strategy) == ["container insights"]
    assert td.cluster_changes(described_cluster(), "enhanced", p["capacity_providers"], strategy) == ["container insights"]
    assert td.cluster_changes(described_cluster(), "enabled", ["FARGATE"], strategy) == ["capacity providers"]
    assert td.cluster_changes(described_cluster(), "enabled", p["capacity_providers"], strategy[:1]) == ["capacity providers"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": "p shop"}, "name must be 1-255 letters"),
        ({"capacity_providers": ["FARGATE"]}, "'FARGATE_SPOT' is not one of capacity_providers ['FARGATE']"),
        ({"default_capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1, "base": 1},
                                                 {"capacity_provider": "FARGATE_SPOT", "weight": 1, "base": 1}]},
         "only one capacity provider may have a base"),
        ({"default_capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 0, "base": 1}]},
         "at least one capacity provider needs a weight above 0"),
        ({"default_capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1001}]}, "must be 0 to 1000"),
    ],
)
def test_bad_cluster_input_is_named(change, message):
    errors = td.cluster_errors(cluster_params(**change))
    assert any(message in error for error in errors), errors


def test_good_cluster_input_has_no_error():
    assert td.cluster_errors(cluster_params()) == []
    assert td.cluster_errors({"name": "p-shop", "state": "absent"}) == []


def test_tag_changes_set_what_differs_and_remove_the_rest_only_when_purging():
    have = [{"key": "a", "value": "1"}, {"key": "old", "value": "x"}]
    assert td.tag_changes(have, {"a": "1", "b": "2"}, True) == ({"b": "2"}, ["old"])
    assert td.tag_changes(have, {"a": "2"}, False) == ({"a": "2"}, [])
    assert td.tag_changes(have, None, True) == ({}, [])


# ---------------------------------------------------------------- services

SERVICE_PARAMS = {
    "cluster": "p-shop", "name": "p-shop-web", "task_definition": "p-shop-web:3", "desired_count": 2, "autoscaled": False,
    "subnets": ["subnet-b", "subnet-a"], "security_groups": ["sg-2", "sg-1"], "assign_public_ip": False,
    "load_balancers": [{"target_group_arn": "arn:tg/b", "container_name": "web", "container_port": 3000},
                       {"target_group_arn": "arn:tg/a", "container_name": "web", "container_port": 3000}],
    "capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1, "base": 1},
                                   {"capacity_provider": "FARGATE_SPOT", "weight": 3, "base": 0}],
}
DESCRIBED = {
    "serviceArn": "arn:aws:ecs:eu-west-1:123456789012:service/p-shop/p-shop-web",
    "taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/p-shop-web:3", "desiredCount": 2,
    "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 3},
                                 {"capacityProvider": "FARGATE", "weight": 1, "base": 1}],
    "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-1", "sg-2"],
                                                     "assignPublicIp": "DISABLED"}},
    "loadBalancers": [{"targetGroupArn": "arn:tg/a", "containerName": "web", "containerPort": 3000},
                      {"targetGroupArn": "arn:tg/b", "containerName": "web", "containerPort": 3000}],
    "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 100,
                                "deploymentCircuitBreaker": {"enable": False, "rollback": False}},
    "platformVersion": "LATEST", "propagateTags": "NONE", "enableExecuteCommand": False,
}


def test_a_service_as_described_has_no_change_whatever_the_order_and_omitted_zero_base():
    assert td.service_update(DESCRIBED, SERVICE_PARAMS) == ([], None, [])


@pytest.mark.parametrize("change, expected, request_keys", [
    ({"subnets": ["subnet-a"]}, ["network configuration"], {"networkConfiguration"}),
    ({"assign_public_ip": True}, ["network configuration"], {"networkConfiguration"}),
    ({"load_balancers": []}, ["load balancers"], {"loadBalancers"}),
    ({"health_check_grace_period_seconds": 30}, ["health check grace period"], {"healthCheckGracePeriodSeconds"}),
    ({"circuit_breaker": {"enable": True, "rollback": True}}, ["deployment configuration"], {"deploymentConfiguration"}),
    ({"minimum_healthy_percent": 50}, ["deployment configuration"], {"deploymentConfiguration"}),
    ({"platform_version": "1.4.0"}, ["platform version"], {"platformVersion"}),
    ({"propagate_tags": "SERVICE"}, ["propagate tags"], {"propagateTags"}),
    ({"enable_execute_command": True}, ["execute command"], {"enableExecuteCommand"}),
    ({"desired_count": 3}, ["desired count"], {"desiredCount"}),
    ({"desired_count": 3, "autoscaled": True}, [], set()),
    ({"task_definition": "p-shop-web:4"}, ["task definition"], {"taskDefinition"}),
    ({"capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1, "base": 0}]},
     ["capacity provider strategy"], {"capacityProviderStrategy", "forceNewDeployment"}),
])
def test_only_what_differs_is_in_the_update(change, expected, request_keys):
    changes, update, refusals = td.service_update(DESCRIBED, {**SERVICE_PARAMS, **change})
    assert changes == expected and refusals == []
    assert set(update or {}) - {"cluster", "service"} == request_keys


def test_a_deployment_configuration_keeps_what_the_options_do_not_give():
    _, update, _ = td.service_update(DESCRIBED, {**SERVICE_PARAMS, "maximum_percent": 150})
    assert update["deploymentConfiguration"] == {"maximumPercent": 150, "minimumHealthyPercent": 100,
                                                 "deploymentCircuitBreaker": {"enable": False, "rollback": False}}


def test_launch_types_ecs_cannot_switch_in_place_are_refused():
    fargate = {**DESCRIBED, "launchType": "FARGATE", "capacityProviderStrategy": []}
    params = {**SERVICE_PARAMS, "capacity_provider_strategy": None, "launch_type": "EC2"}
    assert "cannot change it to EC2 in place" in td.service_update(fargate, params)[2][0]
    assert "cannot move it to launch type EC2" in td.service_update(DESCRIBED, params)[2][0]
    changes, update, refusals = td.service_update(DESCRIBED, {**params, "launch_type": "FARGATE"})
    assert (changes, update["capacityProviderStrategy"], refusals) == (["launch type"], [], [])


def test_the_create_request():
    request = td.service_request({**SERVICE_PARAMS, "capacity_provider_strategy": None, "propagate_tags": "SERVICE"})
    assert request["launchType"] == "FARGATE" and "capacityProviderStrategy" not in request
    assert request["loadBalancers"][0]["targetGroupArn"] == "arn:tg/a"
    assert request["networkConfiguration"]["awsvpcConfiguration"]["subnets"] == ["subnet-a", "subnet-b"]
    assert (request["propagateTags"], request["enableExecuteCommand"]) == ("SERVICE", False)
    assert "healthCheckGracePeriodSeconds" not in request and "platformVersion" not in request


@pytest.mark.parametrize("change, message", [
    ({"maximum_percent": 100, "minimum_healthy_percent": 100}, "must be above minimum_healthy_percent"),
    ({"minimum_healthy_percent": 120}, "minimum_healthy_percent must be 0 to 100"),
    ({"desired_count": -1}, "desired_count must be 0 or more"),
    ({"health_check_grace_period_seconds": 30, "load_balancers": []}, "needs load_balancers"),
    ({"capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1, "base": 1},
                                     {"capacity_provider": "FARGATE_SPOT", "weight": 1, "base": 1}]}, "only one capacity provider may have a base"),
    ({"name": "bad name"}, "name must be 1-255 letters"),
])
def test_bad_service_input_is_named(change, message):
    assert any(message in error for error in td.service_errors({**SERVICE_PARAMS, **change}))


def test_good_service_input_and_absent_have_no_error():
    assert td.service_errors(SERVICE_PARAMS) == []
    assert td.service_errors({"cluster": "p-shop", "name": "p-shop-web", "state": "absent"}) == []


class _Module:
    """What ecs.run uses of an AnsibleAWSModule; fail_json stops like the real one."""

    def __init__(self, state):
        self.params, self.calls = {"state": state}, []

    def fail_json(self, **kwargs):
        self.calls.append(("fail_json", kwargs["msg"]))
        raise SystemExit(1)

    def fail_json_aws_error(self, error):
        self.calls.append(("fail_json_aws_error", type(error).__name__))

    def client(self, name):
        self.calls.append(("client", name))
        return name


def test_run_fails_on_input_errors_before_any_client_then_converges_the_state_asked():
    def present(module, client):
        module.calls.append(("present", client))

    def absent(module, client):
        raise td.AnsibleECSError(message="AccessDeniedException")

    bad = _Module("present")
    with pytest.raises(SystemExit):
        td.run(bad, ["cpu must be one of Fargate's sizes", "family is empty"], present, absent)
    assert bad.calls == [("fail_json", "cpu must be one of Fargate's sizes; family is empty")]
    good = _Module("present")
    td.run(good, [], present, absent)
    assert good.calls == [("client", "ecs"), ("present", "ecs")]
    gone = _Module("absent")
    td.run(gone, [], present, absent)
    assert gone.calls == [("client", "ecs"), ("fail_json_aws_error", "AnsibleECSError")]


@pytest.mark.parametrize("code", ["ClusterNotFoundException", "ClientException"])
def test_a_service_in_a_cluster_that_does_not_exist_is_none(code):
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("ecs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        stubber.add_client_error("describe_services", service_error_code=code, http_status_code=400)
        assert td.describe_service(client, "p", "p-web") is None


def test_another_error_describing_a_service_is_raised():
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("ecs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        stubber.add_client_error("describe_services", service_error_code="AccessDeniedException", http_status_code=400)
        with pytest.raises(td.AnsibleECSError, match="describe the service"):
            td.describe_service(client, "p", "p-web")
