"""ECS as AWS does it: ecs_task_definition_fargate (task definitions registered and described) and
ecs_cluster_contains_services. Each test fails against plain moto
(ATELIER_EMULATOR_DISABLE_ADDITIONS=ecs_task_definition_fargate,ecs_cluster_contains_services)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import unique

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
