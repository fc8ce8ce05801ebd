"""The fargate role end to end against the emulator, on the Node.js app's stack (inventories/node-app-dev: one Fargate
tier, app on port 3000, 2-6 tasks at 70 % CPU, behind an internet-facing ALB): the deploy is the worker's
node_app_deploy (tests/conftest.py), shared with tests/integration/test_node_app.py. Its plan of the empty account,
then the stack as deployed (these tests only read it), then a new image tag and a switch of the tier to ec2 and back,
which leaves the stack converged again for test_node_app.py's destroy (whose assertions include this role's removal:
no service, task definition, role, scalable target or log group of the tier left).

The node-app tests hold what would repeat here: the second run (no mutating call, so no new revision) and the plan of
the converged stack, the service's count and port, the scaling range and CPU target.
"""

import json
from pathlib import Path

import pytest
import yaml

PREFIX = "dev-node-app"
CLUSTER = PREFIX
SERVICE = f"{PREFIX}-app"
FAMILY = SERVICE
RESOURCE_ID = f"service/{CLUSTER}/{SERVICE}"
# The layers a Fargate tier touches (the network for its subnets and groups, its load balancer, its service).
TAGS = "vpc,security_groups,alb,fargate"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def deployed(node_app_deploy):
    return node_app_deploy


def _service(emulator):
    return emulator.client("ecs").describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]


def test_the_plan_of_an_empty_account_mutates_nothing_and_names_the_service(deployed):
    plan = deployed.empty_plan
    assert plan.rc == 0, plan.output[-8000:]
    assert plan.mutating == []
    text = " ".join(plan.output.split())
    assert f"Would create the app ECS service {CLUSTER}/{SERVICE}" in text, plan.output[-8000:]
    # The plan lists the service's Application Auto Scaling target and policy (atelier.infra.fargate_plan).
    assert f"+ create scalable target {RESOURCE_ID}" in text, plan.output[-8000:]
    assert f"+ create scaling policy {SERVICE}-service-cpu" in text, plan.output[-8000:]


def test_the_cluster_has_container_insights_and_both_fargate_providers(deployed, emulator):
    cluster = emulator.client("ecs").describe_clusters(clusters=[CLUSTER], include=["SETTINGS", "TAGS"])["clusters"][0]
    assert cluster["status"] == "ACTIVE"
    assert {"name": "containerInsights", "value": "enabled"} in cluster["settings"]
    assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]


def test_the_service_runs_the_tier_in_its_private_subnets_behind_its_ip_target_group(deployed, emulator):
    service = _service(emulator)
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    network = service["networkConfiguration"]["awsvpcConfiguration"]
    subnets = ec2.describe_subnets(SubnetIds=network["subnets"])["Subnets"]
    assert len(subnets) >= 2 and all({"Key": "atelier:tier", "Value": "app"} in s["Tags"] for s in subnets)
    assert network["assignPublicIp"] == "DISABLED"
    group = ec2.describe_security_groups(GroupIds=network["securityGroups"])["SecurityGroups"][0]
    assert group["GroupName"] == SERVICE
    target_group = elbv2.describe_target_groups(Names=[f"{SERVICE}-ip"])["TargetGroups"][0]
    assert target_group["TargetType"] == "ip"
    assert service["loadBalancers"] == [{"targetGroupArn": target_group["TargetGroupArn"], "containerName": "app", "containerPort": 3000}]
    assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert (service["deploymentConfiguration"]["minimumHealthyPercent"], service["deploymentConfiguration"]["maximumPercent"]) == (100, 200)
    # dev: no on-demand base, 1 task in 4 on FARGATE, 3 on FARGATE_SPOT (inventories/node-app-dev).
    assert sorted((s["capacityProvider"], s["weight"], s["base"]) for s in service["capacityProviderStrategy"]) == [
        ("FARGATE", 1, 0), ("FARGATE_SPOT", 3, 0)]


def test_the_task_definition_runs_the_image_with_its_logs_and_roles(deployed, emulator):
    definition = emulator.client("ecs").describe_task_definition(taskDefinition=_service(emulator)["taskDefinition"])["taskDefinition"]
    container = definition["containerDefinitions"][0]
    assert container["image"].endswith(f".dkr.ecr.us-east-1.amazonaws.com/{PREFIX}/node-app:latest")
    assert container["portMappings"][0]["containerPort"] == 3000
    assert {"name": "NODE_ENV", "value": "production"} in container["environment"]
    assert container["logConfiguration"]["options"]["awslogs-group"] == f"/aws/ecs/{PREFIX}/app"
    assert (definition["cpu"], definition["memory"], definition["networkMode"]) == ("256", "512", "awsvpc")
    assert definition["executionRoleArn"].endswith(f":role/{SERVICE}-execution")
    assert definition["taskRoleArn"].endswith(f":role/{SERVICE}-task")


def test_the_execution_role_is_trusted_by_ecs_tasks_and_scoped_to_the_tier(deployed, emulator):
    iam = emulator.client("iam")
    role = iam.get_role(RoleName=f"{SERVICE}-execution")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    policy = iam.get_role_policy(RoleName=f"{SERVICE}-execution", PolicyName="execution")["PolicyDocument"]
    resources = json.dumps(policy)
    assert f"repository/{PREFIX}/node-app" in resources and f"log-group:/aws/ecs/{PREFIX}/app" in resources
    # The tier has no grant: the task role has no policy at all (the secret reads are the execution role's).
    assert iam.list_role_policies(RoleName=f"{SERVICE}-task")["PolicyNames"] == []
    assert emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/ecs/{PREFIX}/app")["logGroups"][0]["retentionInDays"] == 30


def test_the_scaling_policy_tracks_the_services_average_cpu(deployed, emulator):
    # Its range (2-6) and target (70 %): test_node_app.py's seed numbers.
    scaling = emulator.client("application-autoscaling")
    policies = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=RESOURCE_ID)["ScalingPolicies"]
    assert [p["PolicyName"] for p in policies] == [f"{SERVICE}-service-cpu"]
    config = policies[0]["TargetTrackingScalingPolicyConfiguration"]
    assert config["PredefinedMetricSpecification"] == {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}


def test_a_new_image_tag_registers_exactly_one_revision_and_starts_one_deployment(deployed, emulator):
    before = _service(emulator)["taskDefinition"]
    new_tag = deployed.playbook("--tags", TAGS, extra_vars={"node_app_image_tag": "1.1.0"})
    assert new_tag.rc == 0, new_tag.output[-8000:]
    actions = [r["action"] for r in new_tag.mutating]
    assert actions.count("RegisterTaskDefinition") == 1, actions
    assert actions.count("UpdateService") == 1, actions
    service = _service(emulator)
    definition = emulator.client("ecs").describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    assert definition["containerDefinitions"][0]["image"].endswith("/node-app:1.1.0")
    assert definition["revision"] == int(before.rsplit(":", 1)[1]) + 1
    # One new deployment: the one before has completed or is draining, none other.
    assert len([d for d in service["deployments"] if d["taskDefinition"] == service["taskDefinition"]]) == 1


def _app_on(runtime):
    """The inventory's app tier (inventories/node-app-dev, group_vars/node_app.yml, its templates kept: the run
    renders them) on a runtime, without the keys of the other one."""
    inventory = yaml.safe_load((REPO_ROOT / "inventories/node-app-dev/group_vars/node_app.yml").read_text())
    [tier] = inventory["atelier_tiers"]
    # The keys of the inventory's tier that only the fargate runtime takes (docs/tiers.md).
    fargate_only = {"cpu", "memory", "capacity_provider_strategy"}
    return {k: v for k, v in tier.items() if runtime == "fargate" or k not in fargate_only} | {"runtime": runtime}


def _switch(deployed, runtime):
    """A deploy of the tier's layers (orphans included: it finds what the former runtime left) with app on runtime."""
    return deployed.playbook("--tags", TAGS + ",asg_launch_template,orphans", extra_vars={"atelier_tiers": [_app_on(runtime)]})


def test_moving_the_tier_to_ec2_and_back_keeps_the_load_balancer_and_removes_the_former_runtime(deployed, emulator):
    elbv2, ecs, autoscaling = emulator.client("elbv2"), emulator.client("ecs"), emulator.client("autoscaling")
    dns = elbv2.describe_load_balancers(Names=[SERVICE])["LoadBalancers"][0]["DNSName"]

    def target_groups():
        return sorted((g["TargetGroupName"], g["TargetType"]) for g in elbv2.describe_target_groups()["TargetGroups"])

    def live_services():
        return [s for s in ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"] if s["status"] != "INACTIVE"]

    to_ec2 = _switch(deployed, "ec2")
    assert to_ec2.rc == 0, to_ec2.output[-8000:]
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[SERVICE])["AutoScalingGroups"]
    assert len(group) == 1 and group[0]["TargetGroupARNs"][0].split(":")[-1].startswith(f"targetgroup/{SERVICE}-tg/")
    assert live_services() == [], to_ec2.output[-12000:]
    assert ecs.list_task_definitions(familyPrefix=FAMILY, status="ACTIVE")["taskDefinitionArns"] == [], to_ec2.output[-12000:]
    assert [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"] if r["RoleName"] in (f"{SERVICE}-execution", f"{SERVICE}-task")] == []
    # The former runtime's scalable target goes with its service; its log group stays (no atelier_teardown_delete_data).
    targets = emulator.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[RESOURCE_ID])
    assert targets["ScalableTargets"] == [], to_ec2.output[-12000:]
    assert [g["logGroupName"] for g in emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/ecs/{PREFIX}/")["logGroups"]] == [
        f"/aws/ecs/{PREFIX}/app"]
    assert target_groups() == [(f"{SERVICE}-tg", "instance")], to_ec2.output[-12000:]
    assert elbv2.describe_load_balancers(Names=[SERVICE])["LoadBalancers"][0]["DNSName"] == dns
    settled = _switch(deployed, "ec2")
    assert (settled.rc, settled.changed, settled.mutating) == (0, 0, []), settled.output[-8000:]

    # Back to the inventory's own tier: the stack is converged again (test_node_app.py's destroy runs on it).
    back = _switch(deployed, "fargate")
    assert back.rc == 0, back.output[-8000:]
    assert autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[SERVICE])["AutoScalingGroups"] == [], back.output[-12000:]
    assert [s["loadBalancers"][0]["targetGroupArn"].split(":")[-1].split("/")[1] for s in live_services()] == [f"{SERVICE}-ip"]
    assert target_groups() == [(f"{SERVICE}-ip", "ip")]
    assert elbv2.describe_load_balancers(Names=[SERVICE])["LoadBalancers"][0]["DNSName"] == dns
