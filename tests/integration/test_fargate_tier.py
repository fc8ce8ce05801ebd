"""The fargate role end to end against the emulator, on a stack of one Fargate tier (tests/integration/inventories/
fargate: api on port 3000, 2-6 tasks, CPU 70 %): ONE deploy shared by the module (plan on the empty account, deploy,
second run, plan of the converged stack, a new image tag), then the teardown.
"""

import json
from pathlib import Path

import pytest
import yaml

INVENTORY = "tests/integration/inventories/fargate"
TAGS = "vpc,security_groups,alb,fargate"
PREFIX = "local-fgt"
CLUSTER = PREFIX
SERVICE = f"{PREFIX}-api"
FAMILY = f"{PREFIX}-api"
RESOURCE_ID = f"service/{CLUSTER}/{SERVICE}"


def run(emulator, *args, **extra):
    return emulator.playbook("playbooks/site.yml", "--tags", TAGS, *args, inventory=INVENTORY, **extra)


@pytest.fixture(scope="module")
def deployed(emulator):
    emulator.reset()
    out = {"plan": run(emulator, "--check")}
    out["deploy"] = run(emulator)
    assert out["deploy"].rc == 0, out["deploy"].output[-8000:]
    out["again"] = run(emulator)
    out["replan"] = run(emulator, "--check")
    ecs = emulator.client("ecs")
    out["service_before"] = ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]
    out["new_tag"] = run(emulator, extra_vars={"atelier_tier_overrides": {"api": {"image_tag": "1.1.0"}}})
    return out


def test_the_plan_of_an_empty_account_mutates_nothing_and_names_the_service(deployed):
    plan = deployed["plan"]
    assert plan.rc == 0, plan.output[-8000:]
    assert plan.mutating == []
    text = " ".join(plan.output.split())
    assert f"Would create the api ECS service {CLUSTER}/{SERVICE}" in text
    # The plan lists the service's Application Auto Scaling target and policy (atelier.infra.fargate_plan).
    assert f"+ create scalable target {RESOURCE_ID}" in text, plan.output[-8000:]
    assert f"+ create scaling policy {SERVICE}-service-cpu" in text, plan.output[-8000:]


def test_the_cluster_has_container_insights_and_both_fargate_providers(deployed, emulator):
    cluster = emulator.client("ecs").describe_clusters(clusters=[CLUSTER], include=["SETTINGS", "TAGS"])["clusters"][0]
    assert cluster["status"] == "ACTIVE"
    assert {"name": "containerInsights", "value": "enabled"} in cluster["settings"]
    assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]


def test_the_service_runs_the_tier_in_its_private_subnets_behind_its_ip_target_group(deployed, emulator):
    service = deployed["service_before"]
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    network = service["networkConfiguration"]["awsvpcConfiguration"]
    subnets = ec2.describe_subnets(SubnetIds=network["subnets"])["Subnets"]
    assert len(subnets) >= 2 and all({"Key": "atelier:tier", "Value": "api"} in s["Tags"] for s in subnets)
    assert network["assignPublicIp"] == "DISABLED"
    group = ec2.describe_security_groups(GroupIds=network["securityGroups"])["SecurityGroups"][0]
    assert group["GroupName"] == f"{PREFIX}-api"
    target_group = elbv2.describe_target_groups(Names=[f"{PREFIX}-api-ip"])["TargetGroups"][0]
    assert target_group["TargetType"] == "ip"
    assert service["loadBalancers"] == [{"targetGroupArn": target_group["TargetGroupArn"], "containerName": "api", "containerPort": 3000}]
    assert service["desiredCount"] == 2
    assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert (service["deploymentConfiguration"]["minimumHealthyPercent"], service["deploymentConfiguration"]["maximumPercent"]) == (100, 200)
    assert sorted((s["capacityProvider"], s["weight"], s["base"]) for s in service["capacityProviderStrategy"]) == [
        ("FARGATE", 1, 1), ("FARGATE_SPOT", 1, 0)]


def test_the_task_definition_runs_the_image_with_its_logs_and_roles(deployed, emulator):
    first = deployed["service_before"]["taskDefinition"]
    definition = emulator.client("ecs").describe_task_definition(taskDefinition=first)["taskDefinition"]
    container = definition["containerDefinitions"][0]
    assert container["image"].endswith(f".dkr.ecr.us-east-1.amazonaws.com/{PREFIX}/api:1.0.0")
    assert container["portMappings"][0]["containerPort"] == 3000
    assert {"name": "NODE_ENV", "value": "production"} in container["environment"]
    assert container["logConfiguration"]["options"]["awslogs-group"] == f"/aws/ecs/{PREFIX}/api"
    assert (definition["cpu"], definition["memory"], definition["networkMode"]) == ("256", "512", "awsvpc")
    assert definition["executionRoleArn"].endswith(f":role/{PREFIX}-api-execution")
    assert definition["taskRoleArn"].endswith(f":role/{PREFIX}-api-task")


def test_the_execution_role_is_trusted_by_ecs_tasks_and_scoped_to_the_tier(deployed, emulator):
    iam = emulator.client("iam")
    role = iam.get_role(RoleName=f"{PREFIX}-api-execution")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    policy = iam.get_role_policy(RoleName=f"{PREFIX}-api-execution", PolicyName="execution")["PolicyDocument"]
    resources = json.dumps(policy)
    assert f"repository/{PREFIX}/api" in resources and f"log-group:/aws/ecs/{PREFIX}/api" in resources
    # The tier has no grant: the task role has no policy at all.
    assert iam.list_role_policies(RoleName=f"{PREFIX}-api-task")["PolicyNames"] == []
    assert emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/ecs/{PREFIX}/api")["logGroups"][0]["retentionInDays"] == 30


def test_application_auto_scaling_keeps_2_to_6_tasks_at_70_percent_cpu(deployed, emulator):
    scaling = emulator.client("application-autoscaling")
    target = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[RESOURCE_ID])["ScalableTargets"]
    assert [(t["MinCapacity"], t["MaxCapacity"]) for t in target] == [(2, 6)]
    policies = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=RESOURCE_ID)["ScalingPolicies"]
    assert [p["PolicyName"] for p in policies] == [f"{SERVICE}-service-cpu"]
    config = policies[0]["TargetTrackingScalingPolicyConfiguration"]
    assert config["TargetValue"] == 70.0
    assert config["PredefinedMetricSpecification"] == {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}


def test_a_second_run_changes_nothing_and_makes_no_mutating_call(deployed):
    again = deployed["again"]
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == []


def test_the_plan_of_the_converged_stack_mutates_nothing(deployed):
    replan = deployed["replan"]
    assert replan.rc == 0, replan.output[-8000:]
    assert replan.mutating == []
    assert replan.changed == 0, replan.output[-8000:]


def test_a_new_image_tag_registers_exactly_one_revision_and_starts_one_deployment(deployed, emulator):
    new_tag = deployed["new_tag"]
    assert new_tag.rc == 0, new_tag.output[-8000:]
    actions = [r["action"] for r in new_tag.mutating]
    assert actions.count("RegisterTaskDefinition") == 1, actions
    assert actions.count("UpdateService") == 1, actions
    ecs = emulator.client("ecs")
    service = ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]
    definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    assert definition["containerDefinitions"][0]["image"].endswith("/api:1.1.0")
    assert definition["revision"] == int(deployed["service_before"]["taskDefinition"].rsplit(":", 1)[1]) + 1
    # One new deployment: the one before has completed or is draining, none other.
    assert len([d for d in service["deployments"] if d["taskDefinition"] == service["taskDefinition"]]) == 1


def _api_on(runtime):
    """The inventory's api tier on a runtime, without the keys of the other one."""
    inventory = yaml.safe_load((Path(__file__).resolve().parents[2] / INVENTORY / "group_vars/atelier.yml").read_text())
    tier = inventory["atelier_tiers"][0]
    # The keys of the inventory's tier that only the fargate runtime takes (docs/tiers.md).
    fargate_only = {"cpu", "memory", "capacity_provider_strategy", "revisions_kept"}
    return {k: v for k, v in tier.items() if runtime == "fargate" or k not in fargate_only} | {"runtime": runtime}


def _switch(emulator, runtime):
    """A whole deploy of the layers (orphans included: it finds what the former runtime left) with api on runtime."""
    return emulator.playbook("playbooks/site.yml", "--tags", TAGS + ",asg_launch_template,orphans", inventory=INVENTORY,
                             extra_vars={"atelier_tiers": [_api_on(runtime)]})


def test_moving_the_tier_to_ec2_and_back_keeps_the_load_balancer_and_removes_the_former_runtime(deployed, emulator):
    elbv2, ecs, autoscaling = emulator.client("elbv2"), emulator.client("ecs"), emulator.client("autoscaling")
    dns = elbv2.describe_load_balancers(Names=[f"{PREFIX}-api"])["LoadBalancers"][0]["DNSName"]

    def target_groups():
        return sorted((g["TargetGroupName"], g["TargetType"]) for g in elbv2.describe_target_groups()["TargetGroups"])

    def live_services():
        return [s for s in ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"] if s["status"] != "INACTIVE"]

    to_ec2 = _switch(emulator, "ec2")
    assert to_ec2.rc == 0, to_ec2.output[-8000:]
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[f"{PREFIX}-api"])["AutoScalingGroups"]
    assert len(group) == 1 and group[0]["TargetGroupARNs"][0].split(":")[-1].startswith(f"targetgroup/{PREFIX}-api-tg/")
    assert live_services() == [], to_ec2.output[-12000:]
    # The former runtime's scalable target goes with its service.
    targets = emulator.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[RESOURCE_ID])
    assert targets["ScalableTargets"] == [], to_ec2.output[-12000:]
    assert target_groups() == [(f"{PREFIX}-api-tg", "instance")], to_ec2.output[-12000:]
    assert elbv2.describe_load_balancers(Names=[f"{PREFIX}-api"])["LoadBalancers"][0]["DNSName"] == dns
    settled = _switch(emulator, "ec2")
    assert (settled.rc, settled.changed, settled.mutating) == (0, 0, []), settled.output[-8000:]

    back = _switch(emulator, "fargate")
    assert back.rc == 0, back.output[-8000:]
    assert autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[f"{PREFIX}-api"])["AutoScalingGroups"] == [], back.output[-12000:]
    assert [s["loadBalancers"][0]["targetGroupArn"].split(":")[-1].split("/")[1] for s in live_services()] == [f"{PREFIX}-api-ip"]
    assert target_groups() == [(f"{PREFIX}-api-ip", "ip")]
    assert elbv2.describe_load_balancers(Names=[f"{PREFIX}-api"])["LoadBalancers"][0]["DNSName"] == dns


def test_teardown_leaves_no_ecs_or_iam_resource_of_the_tier(deployed, emulator):
    down = emulator.playbook("playbooks/teardown.yml", "--tags", TAGS, inventory=INVENTORY)
    assert down.rc == 0, down.output[-8000:]
    ecs, iam = emulator.client("ecs"), emulator.client("iam")
    services = ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"]
    assert all(s["status"] == "INACTIVE" for s in services)
    assert ecs.list_task_definitions(familyPrefix=FAMILY, status="ACTIVE")["taskDefinitionArns"] == []
    clusters = ecs.describe_clusters(clusters=[CLUSTER])["clusters"]
    assert all(c["status"] == "INACTIVE" for c in clusters)
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert not [r for r in roles if r.startswith(f"{PREFIX}-api")]
    # The scalable target is deregistered with its policies (atelier.infra.application_autoscaling_target, absent).
    scaling = emulator.client("application-autoscaling")
    assert scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[RESOURCE_ID])["ScalableTargets"] == []
    assert scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=RESOURCE_ID)["ScalingPolicies"] == []
    # The log group is kept and said so.
    assert f"CloudWatch log group /aws/ecs/{PREFIX}/api" in down.output
