"""What a deploy created, read from the emulator's request log, against what the plan callback said (plan or apply).

``CREATES`` maps each create call of a whole-stack deploy to the resource type the plan names it by, or to None for a
call that makes a part of another resource the plan counts with it (a route of its table, a listener of its load
balancer, a role's instance profile, a rule's targets). A create call the table does not know fails the comparison:
add it here, with the plan type it makes.
"""

import collections
import dataclasses
import json
import re

# A call that creates something: the query/JSON operations below and REST POST/PUT requests (CloudFront, ECR...).
CREATING = re.compile(r"^(?:Create|Put|Run|Allocate|Register|POST |PUT )")

CREATES = {
    ("autoscaling", "CreateAutoScalingGroup"): "auto scaling group",
    ("autoscaling", "PutScalingPolicy"): "scaling policy",
    ("autoscaling", "PutNotificationConfiguration"): None,
    ("cloudfront", "POST /2020-05-31/distribution"): "cloudfront distribution",
    ("cloudfront", "POST /2020-05-31/distribution-with-tags"): "cloudfront distribution",
    ("cloudfront", "POST /2020-05-31/cache-policy"): "cloudfront cache policy",
    ("cloudfront", "POST /2020-05-31/origin-request-policy"): "cloudfront origin request policy",
    ("dynamodb", "CreateTable"): "dynamodb table",
    ("ec2", "AllocateAddress"): "elastic ip",
    ("ec2", "CreateFlowLogs"): "flow log",
    ("ec2", "CreateInternetGateway"): "internet gateway",
    ("ec2", "CreateLaunchTemplate"): "launch template",
    ("ec2", "CreateLaunchTemplateVersion"): None,
    ("ec2", "CreateNatGateway"): "NAT gateway",
    ("ec2", "CreateRoute"): None,  # a route of its table
    ("ec2", "CreateRouteTable"): "route table",
    ("ec2", "CreateSecurityGroup"): "security group",
    ("ec2", "CreateSubnet"): "subnet",
    ("ec2", "CreateTags"): None,
    ("ec2", "CreateVpc"): "vpc",
    ("ec2", "CreateVpcEndpoint"): "endpoint",
    ("ec2", "CreateKeyPair"): "key pair",
    ("ec2", "RunInstances"): "ec2 instance",
    ("ecr", "CreateRepository"): "ecr repository",
    ("ecr", "PutImageScanningConfiguration"): None,
    ("ecr", "PutLifecyclePolicy"): None,
    ("elasticloadbalancing", "CreateListener"): None,  # a listener of its load balancer
    ("elasticloadbalancing", "CreateRule"): None,
    ("elasticloadbalancing", "CreateLoadBalancer"): "load balancer",
    ("elasticloadbalancing", "CreateTargetGroup"): "target group",
    ("events", "PutRule"): "eventbridge rule",
    ("events", "PutTargets"): None,
    ("iam", "CreateInstanceProfile"): None,  # made with its role (iam_role create_instance_profile)
    ("iam", "CreateRole"): "iam role",
    ("iam", "PutRolePolicy"): None,  # an inline policy of its role
    ("logs", "CreateLogGroup"): "log group",
    ("logs", "PutRetentionPolicy"): None,
    ("monitoring", "PutDashboard"): "cloudwatch dashboard",
    ("monitoring", "PutMetricAlarm"): "cloudwatch alarm",
    # Route 53 (REST; the zone's ID in the path is left out, see _call): the zone the dns role creates
    # (dns_zone_create) and plans by name; its tags and the domain's records go with it (the plan lists no record).
    ("route53", "POST /2013-04-01/hostedzone"): "route53 hosted zone",
    ("route53", "POST /2013-04-01/tags/hostedzone/{id}"): None,
    ("route53", "POST /2013-04-01/hostedzone/{id}/rrset"): None,
    ("rds", "CreateDBInstance"): "db instance",
    ("rds", "CreateDBParameterGroup"): "db parameter group",
    ("rds", "CreateDBSubnetGroup"): "db subnet group",
    ("secretsmanager", "CreateSecret"): "secret",
    ("secretsmanager", "PutResourcePolicy"): None,
    ("sns", "CreateTopic"): "sns topic",
    ("ssm", "PutParameter"): "ssm parameter",
}


def _call(request):
    """(service, action) of a request, a Route 53 hosted zone's ID in a REST path as {id}, without a trailing slash."""
    action = str(request.get("action") or "")
    if request.get("service") == "route53":
        action = re.sub(r"/hostedzone/[^/]+", "/hostedzone/{id}", action).rstrip("/")
    return request.get("service"), action


def created(requests):
    """{plan type: count} of the successful create calls of a run on an empty account (each Put* made its resource:
    nothing existed before). Fails on a create call CREATES does not know."""
    calls = [_call(r) for r in requests if r.get("mutating") and 200 <= int(r.get("status") or 0) < 300
             and CREATING.match(str(r.get("action") or ""))]
    unknown = sorted({call for call in calls if call not in CREATES})
    assert not unknown, f"create calls the table does not map to a plan type (add them to CREATES): {unknown}"
    return dict(collections.Counter(CREATES[call] for call in calls if CREATES[call]))


def added(plan):
    """{type: count} of the resources a plan (the callback's JSON) adds."""
    return dict(collections.Counter(c["type"] for layer in plan["layers"] for c in layer["changes"] if c["action"] in ("create", "replace")))


def run_with_plan(emulator, path, *args, **kwargs):
    """A playbook run whose plan the callback writes to path; returns (run, plan)."""
    run = dataclasses.replace(emulator, env={**emulator.env, "ATELIER_PLAN_FILE": str(path)}).playbook(*args, **kwargs)
    return run, (json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None)


def assert_plan_is_what_the_deploy_made(plan_run, plan, deploy_run, applied):
    """The plan of an empty account adds, type by type, what the deploy's create calls made and what the deploy's own
    summary says it added; both summaries say so in numbers, with nothing changed."""
    made = created(deploy_run.requests)
    assert added(plan) == made, f"plan {added(plan)} != created {made}"
    assert added(applied) == made, f"deploy summary {added(applied)} != created {made}"
    total = sum(made.values())
    assert f"Plan: {total} to add, 0 to change, 0 to destroy." in plan_run.output, plan_run.output[-3000:]
    assert f"Apply complete: {total} added, 0 changed, 0 destroyed." in deploy_run.output, deploy_run.output[-3000:]
