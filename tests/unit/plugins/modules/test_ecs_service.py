# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.ecs_service: main() with module args, our module_utils wrappers replaced by a fake ECS
that keeps one service as DescribeServices returns it."""

import copy
from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import ecs as ecs_utils
from ansible_collections.atelier.infra.plugins.modules import ecs_service as module

from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

CLUSTER = "p-shop"
NAME = "p-shop-web"
ARN = f"arn:aws:ecs:eu-west-1:123456789012:service/{CLUSTER}/{NAME}"
TD = "arn:aws:ecs:eu-west-1:123456789012:task-definition/p-shop-web"
TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/p-shop-web/abc"
MUTATING = ("create_service", "update_service", "delete_service", "tag", "untag")


class FakeECS:
    def __init__(self, monkeypatch, service=None):
        self.service = copy.deepcopy(service)
        fakes = {
            "describe_service": lambda client, cluster, name: copy.deepcopy(self.service),
            "create_service": self._create,
            "update_service": self._update,
            "delete_service": lambda client, cluster, name: self.__dict__.update(service=None),
            "tag": lambda client, arn, tags: self.service["tags"].extend({"key": k, "value": v} for k, v in tags.items()),
            "untag": lambda client, arn, keys: self.service.update(tags=[t for t in self.service["tags"] if t["key"] not in keys]),
        }
        for name, fake in fakes.items():
            mock = MagicMock(side_effect=fake)
            setattr(self, name, mock)
            monkeypatch.setattr(module, name, mock)

    @staticmethod
    def _arn(definition):
        return definition if definition.startswith("arn:") else f"{TD.rsplit('/', 1)[0]}/{definition}"

    def _create(self, client, params):
        self.service = {k: copy.deepcopy(v) for k, v in params.items() if k not in ("cluster", "serviceName")}
        self.service.update(serviceArn=ARN, serviceName=params["serviceName"], status="ACTIVE", platformVersion="LATEST",
                            taskDefinition=self._arn(params["taskDefinition"]), runningCount=params["desiredCount"],
                            tags=params.get("tags", []),
                            deployments=[{"id": "ecs-svc/1", "status": "PRIMARY", "rolloutState": "COMPLETED"}])
        return self.service

    def _update(self, client, params):
        for key, value in params.items():
            if key not in ("cluster", "service", "forceNewDeployment"):
                self.service[key] = self._arn(value) if key == "taskDefinition" else copy.deepcopy(value)
        if params.get("capacityProviderStrategy"):
            self.service.pop("launchType", None)
        elif "capacityProviderStrategy" in params:
            self.service["launchType"] = "FARGATE"
        self.service["runningCount"] = self.service["desiredCount"]
        return self.service

    def mutations(self):
        return [name for name in MUTATING if getattr(self, name).call_count]

    def reset(self):
        for name in MUTATING:
            getattr(self, name).reset_mock()


def args(**more):
    result = {
        "cluster": CLUSTER, "name": NAME, "region": "eu-west-1", "task_definition": "p-shop-web:1", "desired_count": 2,
        "subnets": ["subnet-b", "subnet-a"], "security_groups": ["sg-1"],
        "load_balancers": [{"target_group_arn": TG, "container_name": "web", "container_port": 3000}],
        "health_check_grace_period_seconds": 60, "circuit_breaker": {"enable": True, "rollback": True},
        "tags": {"atelier:stack": "shop"},
    }
    result.update(more)
    return result


def test_created_then_a_second_run_makes_no_call(monkeypatch):
    ecs = FakeECS(monkeypatch)
    first = run_main(module, args())
    assert first.result["changed"] is True and first.result["actions"] == [f"create ecs service {CLUSTER}/{NAME}"]
    (request,) = ecs.create_service.call_args[0][1:]
    assert request["launchType"] == "FARGATE" and "capacityProviderStrategy" not in request
    assert request["networkConfiguration"] == {"awsvpcConfiguration": {
        "subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}}
    assert request["deploymentConfiguration"] == {
        "maximumPercent": 200, "minimumHealthyPercent": 100, "deploymentCircuitBreaker": {"enable": True, "rollback": True}}
    assert request["loadBalancers"] == [{"targetGroupArn": TG, "containerName": "web", "containerPort": 3000}]
    assert request["tags"] == [{"key": "atelier:stack", "value": "shop"}]
    assert first.result["service"]["service_arn"] == ARN and first.result["service"]["tags"] == {"atelier:stack": "shop"}
    assert first.result["deployments"][0]["rollout_state"] == "COMPLETED"
    ecs.reset()
    second = run_main(module, args())
    assert second.result["changed"] is False and second.result["actions"] == [] and ecs.mutations() == []


def test_only_what_differs_goes_into_one_update(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args())
    ecs.reset()
    result = run_main(module, args(task_definition=f"{TD}:2", maximum_percent=150, enable_execute_command=True))
    assert result.result["changes"] == ["task definition", "deployment configuration", "execute command"]
    assert ecs.mutations() == ["update_service"]
    (request,) = ecs.update_service.call_args[0][1:]
    assert request == {
        "cluster": CLUSTER, "service": NAME, "taskDefinition": f"{TD}:2", "enableExecuteCommand": True,
        "deploymentConfiguration": {"maximumPercent": 150, "minimumHealthyPercent": 100,
                                    "deploymentCircuitBreaker": {"enable": True, "rollback": True}},
    }
    ecs.reset()
    assert run_main(module, args(task_definition="p-shop-web:2", maximum_percent=150, enable_execute_command=True)).result["changed"] is False
    assert ecs.mutations() == []


def test_autoscaled_keeps_the_count_set_outside_and_otherwise_resets_it(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args(autoscaled=True))
    assert ecs.service["desiredCount"] == 2
    ecs.service["desiredCount"] = 5  # as Application Auto Scaling would
    ecs.reset()
    assert run_main(module, args(autoscaled=True)).result["changed"] is False and ecs.mutations() == []
    result = run_main(module, args())
    assert result.result["changes"] == ["desired count"]
    assert ecs.update_service.call_args[0][1] == {"cluster": CLUSTER, "service": NAME, "desiredCount": 2}


def test_check_mode_and_diff_change_nothing(monkeypatch):
    ecs = FakeECS(monkeypatch)
    created = run_main(module, args(_ansible_check_mode=True, _ansible_diff=True))
    assert created.result["changed"] is True and created.result["changes"] == ["service"] and ecs.mutations() == []
    assert created.result["diff"]["after"]["desired_count"] == 2
    run_main(module, args())
    ecs.reset()
    check = run_main(module, args(desired_count=3, _ansible_check_mode=True, _ansible_diff=True))
    assert check.result["changed"] is True and check.result["changes"] == ["desired count"] and ecs.mutations() == []
    assert check.result["diff"]["before"]["desired_count"] == 2 and check.result["diff"]["after"]["desired_count"] == 3
    assert ecs.service["desiredCount"] == 2


def test_capacity_providers_replace_the_launch_type_with_a_new_deployment_and_back(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args())
    ecs.reset()
    spot = [{"capacity_provider": "FARGATE", "base": 1, "weight": 1}, {"capacity_provider": "FARGATE_SPOT", "weight": 3}]
    result = run_main(module, args(capacity_provider_strategy=spot))
    assert result.result["changes"] == ["capacity provider strategy"]
    request = ecs.update_service.call_args[0][1]
    assert request["forceNewDeployment"] is True
    assert request["capacityProviderStrategy"] == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0}]
    ecs.reset()
    assert run_main(module, args(capacity_provider_strategy=list(reversed(spot)))).result["changed"] is False
    result = run_main(module, args(launch_type="FARGATE"))
    assert result.result["changes"] == ["launch type"]
    assert ecs.update_service.call_args[0][1]["capacityProviderStrategy"] == []


def test_a_launch_type_ecs_cannot_change_in_place_fails_without_a_call(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args())
    ecs.reset()
    result = run_main(module, args(launch_type="EC2"))
    assert isinstance(result, AnsibleFailJson) and "cannot change it to EC2 in place" in result.result["msg"]
    assert ecs.mutations() == []


@pytest.mark.parametrize("bad, message", [
    ({"launch_type": "FARGATE", "capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1}]},
     "launch_type and capacity_provider_strategy are mutually exclusive"),
    ({"maximum_percent": 90}, "maximum_percent must be 100 or more"),
    ({"load_balancers": [{"target_group_arn": TG, "container_name": "web"}]}, "container_port"),
    ({"task_definition": "p-shop-web"}, "task_definition must be family:revision or a task definition ARN"),
    ({"subnets": None, "security_groups": None}, "subnets is required on Fargate"),
    ({"capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 0}]}, "needs a weight above 0"),
])
def test_bad_input_fails_before_any_call(monkeypatch, bad, message):
    ecs = FakeECS(monkeypatch)
    result = run_main(module, args(**bad))
    assert isinstance(result, AnsibleFailJson) and message in result.result["msg"]
    assert ecs.describe_service.call_count == 0


def test_wait_polls_until_the_primary_deployment_completed(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args())
    ecs.service["deployments"][0]["rolloutState"] = "IN_PROGRESS"
    ecs.service["runningCount"] = 0
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        ecs.service["deployments"][0]["rolloutState"] = "COMPLETED"
        ecs.service["runningCount"] = 2

    monkeypatch.setattr(module.time, "sleep", sleep)
    result = run_main(module, args(wait=True))
    assert result.result["changed"] is False and sleeps == [module.POLL_SECONDS]
    assert result.result["service"]["running_count"] == 2
    ecs.service["runningCount"] = 1
    monkeypatch.setattr(module.time, "sleep", lambda seconds: None)
    failed = run_main(module, args(wait=True, wait_timeout=0))
    assert isinstance(failed, AnsibleFailJson) and "not steady after 0 s" in failed.result["msg"]


def test_absent_scales_to_zero_then_deletes(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args())
    ecs.reset()
    assert run_main(module, {"cluster": CLUSTER, "name": NAME, "state": "absent", "_ansible_check_mode": True}).result["changed"] is True
    assert ecs.mutations() == []
    result = run_main(module, {"cluster": CLUSTER, "name": NAME, "state": "absent"})
    assert result.result["actions"] == [f"delete ecs service {CLUSTER}/{NAME}"]
    assert ecs.update_service.call_args[0][1] == {"cluster": CLUSTER, "service": NAME, "desiredCount": 0}
    assert ecs.mutations() == ["update_service", "delete_service"] and ecs.service is None
    assert run_main(module, {"cluster": CLUSTER, "name": NAME, "state": "absent"}).result["changed"] is False


def test_steady_and_same_task_definition():
    assert ecs_utils.same_task_definition(f"{TD}:3", "p-shop-web:3")
    assert not ecs_utils.same_task_definition(f"{TD}:3", "p-shop-web:31")
    assert not ecs_utils.same_task_definition(f"{TD}:13", "p-shop-web:3")
    primary = {"status": "PRIMARY", "rolloutState": "COMPLETED"}
    assert ecs_utils.steady({"desiredCount": 2, "runningCount": 2, "deployments": [primary]})
    assert not ecs_utils.steady({"desiredCount": 2, "runningCount": 1, "deployments": [primary]})
    assert not ecs_utils.steady({"desiredCount": 2, "runningCount": 2, "deployments": [dict(primary, rolloutState="IN_PROGRESS")]})
