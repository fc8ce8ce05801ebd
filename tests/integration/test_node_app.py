"""The Node.js app on Fargate (seed 004) end to end against the emulator, through inventories/node-app-dev: the VPC
with one NAT gateway, an internet-facing ALB in front of the app's Fargate service (port 3000, 2-6 tasks at 70 % CPU),
RDS PostgreSQL whose secret the tasks read at start, alarms; deployed, re-run without change, planned, and removed
with the final DB snapshot kept. The deploy is the worker's node_app_deploy (tests/conftest.py), shared with
tests/integration/test_fargate_tier.py (the fargate role's own settings, a new image tag, a runtime switch), whose
tests run between these and the destroy.
"""

import json

import botocore.exceptions
import pytest

PREFIX = "dev-node-app"
CLUSTER = PREFIX
SERVICE = f"{PREFIX}-app"
DB = f"{PREFIX}-postgres"
SECRET = f"{PREFIX}-db-credentials"
RESOURCE_ID = f"service/{CLUSTER}/{SERVICE}"
# The parts of the stack the node-app inventories declare none of.
SWITCHED_OFF = ("cicd", "websocket_api", "lambda_function", "cognito")


@pytest.fixture(scope="module")
def deployed(node_app_deploy):
    return node_app_deploy


def test_the_summary_says_where_the_app_lives(deployed, emulator):
    text = " ".join(deployed.deploy.output.split())
    service = emulator.client("ecs").describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]
    revision = service["taskDefinition"].rsplit("/", 1)[-1]
    dns = emulator.client("elbv2").describe_load_balancers(Names=[SERVICE])["LoadBalancers"][0]["DNSName"]
    assert "Stack node-app (dev)" in text
    assert f"ECS service {CLUSTER}/{SERVICE} (task definition {revision}," in text
    assert f"ECS cluster {CLUSTER}" in text
    assert f"http://{dns}" in text


def test_the_app_runs_on_fargate_behind_its_alb_with_the_seeds_numbers(deployed, emulator):
    ecs, scaling = emulator.client("ecs"), emulator.client("application-autoscaling")
    service = ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]
    assert service["desiredCount"] == 2 and service["loadBalancers"][0]["containerPort"] == 3000
    target = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[RESOURCE_ID])["ScalableTargets"]
    assert [(t["MinCapacity"], t["MaxCapacity"]) for t in target] == [(2, 6)]
    policy = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=RESOURCE_ID)["ScalingPolicies"]
    assert [p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] for p in policy] == [70.0]
    # dev: one NAT gateway, the database in one AZ without deletion protection.
    nats = emulator.client("ec2").describe_nat_gateways(Filters=[{"Name": "tag:atelier:stack", "Values": ["node-app"]},
                                                                 {"Name": "state", "Values": ["available", "pending"]}])["NatGateways"]
    assert len(nats) == 1
    db = emulator.client("rds").describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]
    assert db["MultiAZ"] is False and db["DeletionProtection"] is False and db["DBName"] == "nodeapp"


def test_the_tasks_read_the_database_secret_the_stack_creates_and_no_other(deployed, emulator):
    ecs, iam, sm = emulator.client("ecs"), emulator.client("iam"), emulator.client("secretsmanager")
    service = ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"][0]
    definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    secrets = {s["name"]: s["valueFrom"] for s in definition["containerDefinitions"][0]["secrets"]}
    assert sorted(secrets) == ["DB_HOST", "DB_NAME", "DB_PASSWORD", "DB_PORT", "DB_USERNAME"]
    arn = sm.describe_secret(SecretId=SECRET)["ARN"]
    assert all(value.startswith(arn.rsplit("-", 1)[0]) for value in secrets.values())
    value = json.loads(sm.get_secret_value(SecretId=SECRET)["SecretString"])
    assert value["dbname"] == "nodeapp" and value["password"] not in deployed.deploy.output
    role = definition["executionRoleArn"].rsplit("/", 1)[-1]
    policies = [iam.get_role_policy(RoleName=role, PolicyName=n)["PolicyDocument"] for n in iam.list_role_policies(RoleName=role)["PolicyNames"]]
    reads = [s for p in policies for s in p["Statement"] if "secretsmanager:GetSecretValue" in s["Action"]]
    assert [r["Resource"] for r in reads] == [[f"{arn.rsplit('-', 1)[0]}-??????"]]
    # The execution role as ECS gets it, under IAM evaluation: the stack's secret reads, another secret does not.
    other = sm.create_secret(Name=f"{PREFIX}-not-the-apps", SecretString="x")["ARN"]
    try:
        with emulator.iam_enforced():
            as_ecs = emulator.client_as_role("secretsmanager", role, principal="ecs-tasks.amazonaws.com",
                                             source_account="123456789012",
                                             source_arn=f"arn:aws:ecs:us-east-1:123456789012:task/{CLUSTER}/0123456789abcdef")
            assert json.loads(as_ecs.get_secret_value(SecretId=arn)["SecretString"])["dbname"] == "nodeapp"
            with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
                as_ecs.get_secret_value(SecretId=other)
    finally:
        sm.delete_secret(SecretId=other, ForceDeleteWithoutRecovery=True)


def test_a_second_run_registers_no_revision_and_the_plan_changes_nothing(deployed):
    again, plan = deployed.again, deployed.plan
    assert again.rc == 0, again.output[-20000:]
    assert (again.changed, again.mutating) == (0, []), again.output[-20000:]
    assert plan.rc == 0, plan.output[-20000:]
    assert (plan.changed, plan.mutating) == (0, []), plan.output[-20000:]
    assert "Plan: 0 to add, 0 to change, 0 to destroy." in plan.output
    # What the environment switches off (DynamoDB, the bastion, logging, backup, the serverless parts, pipelines) and the
    # runtimes the Fargate tier does not use cost one skipped include each: none of their roles' tasks is listed.
    for role in SWITCHED_OFF + ("dynamodb_global", "bastion", "logging", "backup", "asg_launch_template", "static_site"):
        assert f"TASK [atelier.infra.{role} :" not in again.output, role


def test_destroy_keeps_only_the_final_snapshot(deployed, emulator):
    # The last test of the shared unit: the stack as test_fargate_tier.py's runtime switch left it (converged again).
    gone = deployed.playbook(playbook="playbooks/teardown.yml", extra_vars={"atelier_teardown_delete_data": True})
    assert gone.rc == 0, gone.output[-20000:]
    # The teardown looks for every part the stack may have had, but the parts the inventory declares none of cost one
    # skipped include each.
    for role in SWITCHED_OFF:
        assert f"TASK [atelier.infra.{role} :" not in gone.output, role
    rds, ecs, iam = emulator.client("rds"), emulator.client("ecs"), emulator.client("iam")
    assert rds.describe_db_instances()["DBInstances"] == []
    snapshots = [s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]]
    assert len(snapshots) == 1 and snapshots[0].startswith(f"{DB}-final-")
    assert all(s["status"] == "INACTIVE" for s in ecs.describe_services(cluster=CLUSTER, services=[SERVICE])["services"])
    assert all(c["status"] == "INACTIVE" for c in ecs.describe_clusters(clusters=[CLUSTER])["clusters"])
    assert ecs.list_task_definitions(familyPrefix=SERVICE, status="ACTIVE")["taskDefinitionArns"] == []
    # The tier's execution and task roles go; its scalable target is deregistered with its policies
    # (atelier.infra.application_autoscaling_target, absent); its log group goes too (atelier_teardown_delete_data).
    assert [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(SERVICE)] == []
    scaling = emulator.client("application-autoscaling")
    assert scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[RESOURCE_ID])["ScalableTargets"] == []
    assert scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=RESOURCE_ID)["ScalingPolicies"] == []
    assert emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/ecs/{PREFIX}/")["logGroups"] == []
    assert emulator.client("elbv2").describe_load_balancers()["LoadBalancers"] == []
    assert [a["AlarmName"] for a in emulator.client("cloudwatch").describe_alarms()["MetricAlarms"]] == []
    assert emulator.client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [PREFIX]}])["Vpcs"] == []
