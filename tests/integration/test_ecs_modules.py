"""Round trip of atelier.infra.ecs_cluster, atelier.infra.ecs_task_definition and atelier.infra.ecs_service against the
emulator (which registers and describes task definitions as ECS does, and rolls services out in deployments:
emulator/additions/ecs_task_definition_fargate.py, ecs_service_deployments.py), ONE deployment shared by every check:
the first run creates the cluster, revision 1 and a Fargate service behind a target group of type ip; the second
registers nothing, makes no mutating call and keeps the desired count Application Auto Scaling would have set
(autoscaled); a new image tag registers exactly one revision and starts exactly one deployment; revisions beyond
keep_revisions (2) are deregistered; state=absent deletes the service. Checked through the ECS API."""

PLAYBOOK = "tests/integration/playbooks/ecs_modules.yml"
FAMILY = "itest-ecs-web"
SERVICE = "itest-ecs-web"


def _active(ecs):
    return sorted(ecs.list_task_definitions(familyPrefix=FAMILY, status="ACTIVE")["taskDefinitionArns"])


def _network(emulator):
    """A subnet, a security group and a target group of type ip: the playbook's extra vars."""
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.60.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
               for i, z in ((1, "a"), (2, "b"))]
    group = ec2.create_security_group(GroupName="itest-ecs-web", Description="web tasks", VpcId=vpc)["GroupId"]
    target_group = elbv2.create_target_group(Name="itest-ecs-web", Protocol="HTTP", Port=3000, VpcId=vpc,
                                             TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    return {"ecs_subnets": subnets, "ecs_security_group": group, "ecs_target_group_arn": target_group}


def _service(ecs):
    (service,) = ecs.describe_services(cluster="itest-ecs", services=[SERVICE])["services"]
    return service


def test_a_cluster_a_revision_only_when_the_definition_differs_and_a_service_updated_only_when_it_differs(emulator):
    ecs = emulator.client("ecs")
    network = _network(emulator)

    first = emulator.playbook(PLAYBOOK, extra_vars=network)
    assert first.rc == 0, first.output
    assert first.changed == 3
    (cluster,) = ecs.describe_clusters(clusters=["itest-ecs"], include=["SETTINGS", "TAGS"])["clusters"]
    assert cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    assert cluster["defaultCapacityProviderStrategy"] == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 2, "base": 0}]
    assert cluster["tags"] == [{"key": "atelier:test", "value": "integration"}]
    described = ecs.describe_task_definition(taskDefinition=FAMILY, include=["TAGS"])
    assert described["taskDefinition"]["revision"] == 1
    assert described["tags"] == [{"key": "atelier:test", "value": "integration"}]
    (container,) = described["taskDefinition"]["containerDefinitions"]
    assert container["portMappings"] == [{"containerPort": 3000, "hostPort": 3000, "protocol": "tcp"}]
    service = _service(ecs)
    assert service["launchType"] == "FARGATE" and service["desiredCount"] == service["runningCount"] == 2
    assert service["taskDefinition"] == described["taskDefinition"]["taskDefinitionArn"]
    assert service["loadBalancers"] == [
        {"targetGroupArn": network["ecs_target_group_arn"], "containerName": "web", "containerPort": 3000}]
    assert service["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
    assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert service["healthCheckGracePeriodSeconds"] == 60
    assert [(d["status"], d["rolloutState"]) for d in service["deployments"]] == [("PRIMARY", "COMPLETED")]

    ecs.update_service(cluster="itest-ecs", service=SERVICE, desiredCount=4)  # as Application Auto Scaling would
    second = emulator.playbook(PLAYBOOK, extra_vars=network)
    assert second.rc == 0, second.output
    assert second.changed == 0, second.output
    assert second.mutating == [], second.mutating
    assert _active(ecs) == [f"arn:aws:ecs:us-east-1:123456789012:task-definition/{FAMILY}:1"]
    assert _service(ecs)["desiredCount"] == 4

    for tag in ("23", "24"):
        before = _service(ecs)["deployments"][0]["id"]
        run = emulator.playbook(PLAYBOOK, extra_vars={**network, "ecs_image": f"public.ecr.aws/docker/library/node:{tag}"})
        assert run.rc == 0, run.output
        actions = [r["action"] for r in run.mutating]
        assert actions.count("RegisterTaskDefinition") == 1 and actions.count("UpdateService") == 1, actions
        service = _service(ecs)
        (primary,) = service["deployments"]
        assert primary["id"] != before and primary["taskDefinition"] == service["taskDefinition"]
        assert primary["rolloutState"] == "COMPLETED" and service["runningCount"] == service["desiredCount"] == 4
    assert [arn.rsplit(":", 1)[1] for arn in _active(ecs)] == ["2", "3"]
    latest = ecs.describe_task_definition(taskDefinition=FAMILY)["taskDefinition"]
    assert latest["containerDefinitions"][0]["image"].endswith("node:24")
    assert _service(ecs)["taskDefinition"] == latest["taskDefinitionArn"]

    gone = emulator.playbook(PLAYBOOK, extra_vars={**network, "ecs_image": "public.ecr.aws/docker/library/node:24",
                                                   "ecs_service_state": "absent"})
    assert gone.rc == 0, gone.output
    assert [r["action"] for r in gone.mutating] == ["UpdateService", "DeleteService"]
    assert _service(ecs)["status"] == "INACTIVE"
