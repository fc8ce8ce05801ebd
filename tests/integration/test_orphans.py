"""A tier removed from atelier_tiers is removed by the next deploy (playbooks/orphans.yml): its load balancer, target
group, launch template, Auto Scaling group and instance role go, its log group (its data) stays and the run says so,
the tier still declared is left as it is. Against the emulator, the tiers without CloudFront to keep it short.
"""

import pytest
import yaml

from emulator.harness import REPO_ROOT

TAGS = ("--tags", "vpc,security_groups,dynamodb_global,alb,asg_launch_template,orphans")
TIERS = [
    dict(tier, cloudfront=False)
    for tier in yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]
]
BOTH = {"atelier_tiers": TIERS}
# The backend is the tier no longer declared (the frontend does not name it; the backend names the frontend a client),
# and no longer the database's client either.
FRONTEND_ONLY = {"atelier_tiers": [t for t in TIERS if t["name"] == "frontend"], "security_groups_database_clients": ["frontend"]}


def _tier_resources(emulator, tier):
    name = f"local-atelier-{tier}"
    elb, autoscaling, ec2 = emulator.client("elbv2"), emulator.client("autoscaling"), emulator.client("ec2")
    return {
        "load balancer": name in [lb["LoadBalancerName"] for lb in elb.describe_load_balancers()["LoadBalancers"]],
        "target group": f"{name}-tg" in [tg["TargetGroupName"] for tg in elb.describe_target_groups()["TargetGroups"]],
        "auto scaling group": bool(autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]),
        "launch template": name in [lt["LaunchTemplateName"] for lt in ec2.describe_launch_templates()["LaunchTemplates"]],
        "instance role": f"{name}-instance" in [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]],
        "log group": bool(emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/ec2/local-atelier/{tier}")["logGroups"]),
    }


@pytest.fixture(scope="module")
def removed(emulator):
    emulator.reset()
    deploy = emulator.playbook("site.yml", *TAGS, extra_vars=BOTH)
    assert deploy.rc == 0, deploy.output[-20000:]
    before = _tier_resources(emulator, "backend")
    run = emulator.playbook("site.yml", *TAGS, extra_vars=FRONTEND_ONLY)
    yield {"before": before, "run": run}
    teardown = emulator.playbook("playbooks/teardown.yml", *TAGS, extra_vars={**BOTH, "atelier_teardown_delete_data": True})
    assert teardown.rc == 0, teardown.output[-20000:]


def test_the_removed_tiers_stateless_resources_go_and_its_data_stays(removed, emulator):
    run = removed["run"]
    assert run.rc == 0, run.output[-20000:]
    assert all(removed["before"].values()), removed["before"]
    assert _tier_resources(emulator, "backend") == {
        "load balancer": False,
        "target group": False,
        "auto scaling group": False,
        "launch template": False,
        "instance role": False,
        "log group": True,
    }
    assert "/aws/ec2/local-atelier/backend" in run.output
    assert all(_tier_resources(emulator, "frontend").values())
