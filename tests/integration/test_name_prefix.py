"""One name prefix moves every name: an environment that sets its own atelier_name_prefix gets every resource under it,
account-global names included, and monitoring still finds every load balancer, target group, table and database of
the stack (by the stack's tags, not by names copied from other roles).

A tier removed from atelier_tiers is removed by the next deploy (playbooks/orphans.yml): its load balancer, target
group, launch template, Auto Scaling group and instance role go, its log group (its data) stays and the run says so,
the tier still declared is left as it is (this test deployed the tiers again in test_orphans.py; it runs last here,
on the prefixed stack: the orphans are found by the stack contract's names, whatever the prefix).

One deployment (the Atelier stack with RDS switched on too, its tiers without CloudFront to keep it short) shared by
every test of this file, then removed.
"""

import json

import pytest
import yaml

from emulator.harness import REPO_ROOT

PREFIX = "acme-shop"
DEFAULT_PREFIX = "local-atelier"
TAGS = "vpc,security_groups,dynamodb_global,rds_postgres,container_registry,alb,asg_launch_template,monitoring"
TIERS = [
    dict(tier, cloudfront=False)
    for tier in yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]
]
EXTRA = {"atelier_name_prefix": PREFIX, "atelier_rds_enabled": True, "atelier_tiers": TIERS}
# The orphans' run: the layers the tiers use and the orphans play. The backend is the tier no longer declared (the
# frontend does not name it; the backend names the frontend a client), and no longer the database's client either.
ORPHAN_TAGS = "vpc,security_groups,dynamodb_global,alb,asg_launch_template,orphans"
FRONTEND_ONLY = {**EXTRA, "atelier_tiers": [t for t in TIERS if t["name"] == "frontend"], "security_groups_database_clients": ["frontend"]}
REGIONS = ("us-east-1", "af-south-1", "eu-west-1")


@pytest.fixture(scope="module")
def deployed(emulator):
    emulator.reset()
    deploy = emulator.playbook("site.yml", "--tags", TAGS, extra_vars=EXTRA)
    assert deploy.rc == 0, deploy.output[-20000:]
    yield deploy
    teardown = emulator.playbook("playbooks/teardown.yml", "--tags", TAGS, extra_vars={**EXTRA, "atelier_teardown_delete_data": True})
    assert teardown.rc == 0, teardown.output[-20000:]


def _names(emulator):
    """Every name the stack gave a resource, by kind, read through the API."""
    names = {}
    tagging = emulator.client("resourcegroupstaggingapi")
    stack_tags = [{"Key": "atelier:env", "Values": ["local"]}, {"Key": "atelier:stack", "Values": ["atelier"]}]
    for page in tagging.get_paginator("get_resources").paginate(TagFilters=stack_tags):
        for resource in page["ResourceTagMappingList"]:
            tags = {t["Key"]: t["Value"] for t in resource["Tags"]}
            names.setdefault(resource["ResourceARN"].split(":")[2], []).append(tags.get("Name") or resource["ResourceARN"])
    iam = emulator.client("iam")
    names["iam"] = [r["RoleName"] for r in iam.list_roles()["Roles"] if not r["RoleName"].startswith("AWSServiceRole")]
    names["logs"] = [g["logGroupName"] for g in emulator.client("logs").describe_log_groups()["logGroups"]]
    names["secretsmanager"] = [s["Name"] for s in emulator.client("secretsmanager").list_secrets()["SecretList"]]
    names["dynamodb"] = [t for r in REGIONS for t in emulator.client("dynamodb", r).list_tables()["TableNames"]]
    names["ecr"] = [r["repositoryName"] for r in emulator.client("ecr").describe_repositories()["repositories"]]
    names["rds"] = [d["DBInstanceIdentifier"] for d in emulator.client("rds").describe_db_instances()["DBInstances"]]
    names["autoscaling"] = [g["AutoScalingGroupName"] for g in emulator.client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]]
    names["cloudwatch"] = [a["AlarmName"] for a in emulator.client("cloudwatch").describe_alarms()["MetricAlarms"]]
    return names


def test_every_name_carries_the_environments_prefix(deployed, emulator):
    names = _names(emulator)
    for kind in ("ec2", "elasticloadbalancing", "iam", "logs", "secretsmanager", "dynamodb", "ecr", "rds", "autoscaling", "cloudwatch"):
        assert names.get(kind), f"no {kind} resource of the stack found: {names}"
    everything = [name for kind in names.values() for name in kind]
    assert not [n for n in everything if DEFAULT_PREFIX in n], "a name did not move with the prefix"
    named = [n for n in everything if not n.startswith(("arn:", "subnet-", "vpc-"))]
    assert all(PREFIX in n for n in named), [n for n in named if PREFIX not in n]
    # The account-global ones in particular.
    assert f"{PREFIX}-AtelierDB" in names["dynamodb"] and names["dynamodb"].count(f"{PREFIX}-AtelierDB") == len(REGIONS)
    assert sorted(names["ecr"]) == [f"{PREFIX}/goal-tracker-backend", f"{PREFIX}/goal-tracker-frontend"]
    assert f"{PREFIX}-db-credentials" in names["secretsmanager"] and f"{PREFIX}-postgres" in names["rds"]
    assert {f"{PREFIX}-frontend-instance", f"{PREFIX}-backend-instance"} <= set(names["iam"])
    assert {f"/aws/ec2/{PREFIX}/frontend", f"/aws/vpc-flow-logs/{PREFIX}"} <= set(names["logs"])


def test_monitoring_finds_every_load_balancer_target_group_table_and_database(deployed, emulator):
    elbv2, cloudwatch = emulator.client("elbv2"), emulator.client("cloudwatch")
    lbs = [lb for lb in elbv2.describe_load_balancers()["LoadBalancers"] if lb["LoadBalancerName"].startswith(PREFIX)]
    tgs = [tg for tg in elbv2.describe_target_groups()["TargetGroups"] if tg["TargetGroupName"].startswith(PREFIX)]
    assert len(lbs) == 2 and len(tgs) == 2
    alarms = cloudwatch.describe_alarms(AlarmNamePrefix=f"{PREFIX}/")["MetricAlarms"]
    dimensions = json.dumps([a.get("Dimensions", []) + [m for m in a.get("Metrics", [])] for a in alarms])
    for lb in lbs:
        assert lb["LoadBalancerArn"].split(":loadbalancer/")[1] in dimensions, lb["LoadBalancerName"]
    for tg in tgs:
        assert tg["TargetGroupArn"].split(":")[-1] in dimensions, tg["TargetGroupName"]
    assert f'"{PREFIX}-AtelierDB"' in dimensions and f'"{PREFIX}-postgres"' in dimensions
    names = {a["AlarmName"] for a in alarms}
    for tier in ("frontend", "backend"):
        assert {f"{PREFIX}/{tier}/cpu-high", f"{PREFIX}/{tier}/unhealthy-targets", f"{PREFIX}/{tier}/alb-5xx-rate"} <= names
    assert {f"{PREFIX}/rds/cpu-high", f"{PREFIX}/rds/free-storage-low", f"{PREFIX}/dynamodb/read-throttles"} <= names
    assert {f"{PREFIX}/dynamodb/replication-latency-{r}" for r in REGIONS[1:]} <= names
    # The topic and the dashboard moved with the prefix too.
    topics = [t["TopicArn"] for t in emulator.client("sns").list_topics()["Topics"]]
    assert any(t.endswith(f":{PREFIX}-alarms") for t in topics)
    assert PREFIX in [d["DashboardName"] for d in cloudwatch.list_dashboards()["DashboardEntries"]]


def _tier_resources(emulator, tier):
    name = f"{PREFIX}-{tier}"
    elb, autoscaling, ec2 = emulator.client("elbv2"), emulator.client("autoscaling"), emulator.client("ec2")
    return {
        "load balancer": name in [lb["LoadBalancerName"] for lb in elb.describe_load_balancers()["LoadBalancers"]],
        "target group": f"{name}-tg" in [tg["TargetGroupName"] for tg in elb.describe_target_groups()["TargetGroups"]],
        "auto scaling group": bool(autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]),
        "launch template": name in [lt["LaunchTemplateName"] for lt in ec2.describe_launch_templates()["LaunchTemplates"]],
        "instance role": f"{name}-instance" in [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]],
        "log group": bool(emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/ec2/{PREFIX}/{tier}")["logGroups"]),
    }


def test_the_removed_tiers_stateless_resources_go_and_its_data_stays(deployed, emulator):
    """Last: it changes the stack (the backend tier removed); the teardown follows."""
    before = _tier_resources(emulator, "backend")
    run = emulator.playbook("site.yml", "--tags", ORPHAN_TAGS, extra_vars=FRONTEND_ONLY)
    assert run.rc == 0, run.output[-20000:]
    assert all(before.values()), before
    assert _tier_resources(emulator, "backend") == {
        "load balancer": False,
        "target group": False,
        "auto scaling group": False,
        "launch template": False,
        "instance role": False,
        "log group": True,
    }
    assert f"/aws/ec2/{PREFIX}/backend" in run.output
    assert all(_tier_resources(emulator, "frontend").values())
