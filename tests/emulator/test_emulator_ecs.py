"""ECS as AWS does it: ecs_task_definition_fargate (task definitions registered and described),
ecs_cluster_contains_services and ecs_service_deployments (a service's deployment settings and rollouts). Each test
fails against plain moto (ATELIER_EMULATOR_DISABLE_ADDITIONS=ecs_task_definition_fargate,ecs_cluster_contains_services,
ecs_service_deployments)."""

import time

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import network, unique

DEPLOYMENT_DELAY = "ATELIER_EMULATOR_ECS_DEPLOYMENT_DELAY"

CONTAINER = {"name": "app", "image": "public.ecr.aws/docker/library/node:22", "essential": True}


def register(ecs, family, cpu="256", memory="512", network_mode="awsvpc", **container):
    return ecs.register_task_definition(
        family=family, requiresCompatibilities=["FARGATE"], networkMode=network_mode, cpu=cpu, memory=memory,
        containerDefinitions=[{**CONTAINER, **container}],
    )["taskDefinition"]


@pytest.mark.parametrize(
    "cpu, memory, network_mode, message",
    [
        ("256", "4096", "awsvpc", "No Fargate configuration exists for given values: 256 CPU, 4096 memory."),
        ("300", "1024", "awsvpc", "No Fargate configuration exists for given values: 300 CPU, 1024 memory."),
        ("1024", "1024", "awsvpc", "No Fargate configuration exists for given values: 1024 CPU, 1024 memory."),
        ("256", "512", "bridge", "Fargate only supports network mode 'awsvpc'."),
    ],
)
def test_fargate_refuses_a_size_that_does_not_exist_and_another_network_mode(emulator, cpu, memory, network_mode, message):
    ecs = emulator.client("ecs")
    family = unique("bad")
    with pytest.raises(ClientError) as error:
        register(ecs, family, cpu, memory, network_mode)
    assert error.value.response["Error"]["Code"] == "ClientException"
    assert message in error.value.response["Error"]["Message"]
    assert ecs.list_task_definitions(familyPrefix=family)["taskDefinitionArns"] == []


def test_awsvpc_port_mappings_get_their_host_port_and_protocol_and_must_match(emulator):
    ecs = emulator.client("ecs")
    definition = register(ecs, unique("ports"), portMappings=[{"containerPort": 3000}])
    assert definition["containerDefinitions"][0]["portMappings"] == [{"containerPort": 3000, "hostPort": 3000, "protocol": "tcp"}]
    with pytest.raises(ClientError) as error:
        register(ecs, unique("ports"), portMappings=[{"containerPort": 3000, "hostPort": 80}])
    assert "host ports and container ports in port mappings must match" in error.value.response["Error"]["Message"]


def test_a_health_check_gets_aws_defaults(emulator):
    ecs = emulator.client("ecs")
    definition = register(ecs, unique("health"), healthCheck={"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]})
    check = definition["containerDefinitions"][0]["healthCheck"]
    assert (check["interval"], check["timeout"], check["retries"]) == (30, 5, 3)


def test_a_family_describes_its_latest_active_revision(emulator):
    ecs = emulator.client("ecs")
    family = unique("family")
    first = register(ecs, family)
    second = register(ecs, family, cpu="512", memory="1024")
    ecs.deregister_task_definition(taskDefinition=second["taskDefinitionArn"])
    assert ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["revision"] == first["revision"]
    ecs.deregister_task_definition(taskDefinition=first["taskDefinitionArn"])
    with pytest.raises(ClientError) as error:
        ecs.describe_task_definition(taskDefinition=family)
    assert error.value.response["Error"]["Code"] == "ClientException"


def test_a_cluster_with_an_active_service_cannot_be_deleted(emulator):
    """ecs_cluster_contains_services."""
    ecs = emulator.client("ecs")
    cluster = unique("cluster")
    ecs.create_cluster(clusterName=cluster)
    definition = register(ecs, unique("svc"))
    ecs.create_service(cluster=cluster, serviceName="web", taskDefinition=definition["taskDefinitionArn"], desiredCount=0)
    with pytest.raises(ClientError) as error:
        ecs.delete_cluster(cluster=cluster)
    assert error.value.response["Error"]["Code"] == "ClusterContainsServicesException"
    assert ecs.describe_clusters(clusters=[cluster])["clusters"][0]["status"] == "ACTIVE"
    ecs.delete_service(cluster=cluster, service="web")
    assert ecs.delete_cluster(cluster=cluster)["cluster"]["status"] == "INACTIVE"


@pytest.fixture
def service_setup(emulator):
    """A cluster with Fargate capacity providers, a subnet and a security group: (ecs, cluster, subnet, group)."""
    ecs, ec2 = emulator.client("ecs"), emulator.client("ec2")
    vpc_id, subnets = network(ec2, 77)
    group = ec2.create_security_group(GroupName=unique("svc"), Description="svc", VpcId=vpc_id)["GroupId"]
    cluster = unique("svc-cluster")
    ecs.create_cluster(clusterName=cluster, capacityProviders=["FARGATE", "FARGATE_SPOT"])
    yield ecs, cluster, subnets[0], group
    emulator._post_json("/_atelier/config", {DEPLOYMENT_DELAY: None})


def _network(subnet, group):
    return {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}}


def test_a_service_keeps_its_deployment_settings_and_strategy(service_setup):
    """ecs_service_deployments: what CreateService was given (or ECS's defaults) is described back."""
    ecs, cluster, subnet, group = service_setup
    definition = register(ecs, unique("svc"))["taskDefinitionArn"]
    ecs.create_service(
        cluster=cluster, serviceName="spot", taskDefinition=definition, desiredCount=1,
        capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1, "base": 1}],
        networkConfiguration=_network(subnet, group), enableExecuteCommand=True,
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}, "maximumPercent": 150,
                                 "minimumHealthyPercent": 50},
    )
    ecs.create_service(cluster=cluster, serviceName="plain", taskDefinition=definition, desiredCount=0, launchType="FARGATE",
                       networkConfiguration=_network(subnet, group))
    spot, plain = ecs.describe_services(cluster=cluster, services=["spot", "plain"])["services"]
    assert spot["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE", "weight": 1, "base": 1}]
    assert "launchType" not in spot
    assert spot["platformVersion"] == "LATEST"
    assert spot["enableExecuteCommand"] is True
    assert spot["deploymentConfiguration"] == {
        "deploymentCircuitBreaker": {"enable": True, "rollback": True}, "maximumPercent": 150, "minimumHealthyPercent": 50}
    assert plain["launchType"] == "FARGATE"
    assert plain["enableExecuteCommand"] is False
    assert plain["deploymentConfiguration"] == {
        "deploymentCircuitBreaker": {"enable": False, "rollback": False}, "maximumPercent": 200, "minimumHealthyPercent": 100}


def test_a_new_task_definition_starts_a_deployment_that_rolls_out(emulator, service_setup):
    """ecs_service_deployments: PRIMARY IN_PROGRESS next to the previous ACTIVE one, then COMPLETED alone; the task
    definition is described as its ARN; a new desired count alone starts no deployment."""
    ecs, cluster, subnet, group = service_setup
    family = unique("roll")
    first = register(ecs, family)["taskDefinitionArn"]
    second = register(ecs, family, image="public.ecr.aws/docker/library/node:24")["taskDefinitionArn"]
    ecs.create_service(cluster=cluster, serviceName="web", taskDefinition=first, desiredCount=2, launchType="FARGATE",
                       networkConfiguration=_network(subnet, group))
    (service,) = ecs.describe_services(cluster=cluster, services=["web"])["services"]
    assert [(d["status"], d["rolloutState"]) for d in service["deployments"]] == [("PRIMARY", "COMPLETED")]
    assert service["runningCount"] == 2

    emulator._post_json("/_atelier/config", {DEPLOYMENT_DELAY: 1.0})
    ecs.update_service(cluster=cluster, service="web", taskDefinition=f"{family}:2")
    (service,) = ecs.describe_services(cluster=cluster, services=["web"])["services"]
    assert service["taskDefinition"] == second
    assert [(d["status"], d["rolloutState"], d["taskDefinition"], d["runningCount"]) for d in service["deployments"]] == [
        ("PRIMARY", "IN_PROGRESS", second, 0), ("ACTIVE", "COMPLETED", first, 2)]
    time.sleep(1.1)
    (service,) = ecs.describe_services(cluster=cluster, services=["web"])["services"]
    assert [(d["status"], d["rolloutState"], d["runningCount"]) for d in service["deployments"]] == [("PRIMARY", "COMPLETED", 2)]
    deployment = service["deployments"][0]["id"]

    ecs.update_service(cluster=cluster, service="web", desiredCount=3)
    (service,) = ecs.describe_services(cluster=cluster, services=["web"])["services"]
    assert [d["id"] for d in service["deployments"]] == [deployment]
    assert (service["desiredCount"], service["runningCount"], service["deployments"][0]["desiredCount"]) == (3, 3, 3)


def test_describe_scaling_policies_describes_only_the_policies_named(emulator):
    # applicationautoscaling_policy_names: moto returns every policy of the resource whatever PolicyNames says.
    ecs, scaling = emulator.client("ecs"), emulator.client("application-autoscaling")
    cluster = unique("scaling")
    ecs.create_cluster(clusterName=cluster)
    ecs.create_service(cluster=cluster, serviceName="svc", taskDefinition=register(ecs, unique("scaling"))["taskDefinitionArn"],
                       desiredCount=1)
    resource = f"service/{cluster}/svc"
    dimension = "ecs:service:DesiredCount"
    scaling.register_scalable_target(ServiceNamespace="ecs", ResourceId=resource, ScalableDimension=dimension, MinCapacity=1, MaxCapacity=2)
    for name, metric in (("cpu", "ECSServiceAverageCPUUtilization"), ("memory", "ECSServiceAverageMemoryUtilization")):
        scaling.put_scaling_policy(
            PolicyName=name, ServiceNamespace="ecs", ResourceId=resource, ScalableDimension=dimension, PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": metric}},
        )
    named = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource, PolicyNames=["requests"])["ScalingPolicies"]
    assert named == []
    # The name filter comes before MaxResults: the second policy is found on a page of one.
    memory = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource, PolicyNames=["memory"], MaxResults=1)
    assert [p["PolicyName"] for p in memory["ScalingPolicies"]] == ["memory"]
