"""The Resource Groups Tagging API as atelier.infra.tagged_resources_info uses it, seen through boto3.

The first tests check what moto 5.2.5 already does like AWS and the module relies on (the stack's load balancers,
target groups, DynamoDB tables, DB instances and SNS topics listed with their tags, tag filters ANDed across keys and
ORed across values, pagination, deleted and untagged resources gone), so a moto upgrade that breaks it shows here.
The last test fails against plain moto; check with
``ATELIER_EMULATOR_DISABLE_ADDITIONS=resourcegroupstaggingapi_elb_resource_type pytest tests/emulator/test_emulator_tagging.py``.
"""

import uuid

import pytest

TYPES = ["elasticloadbalancing:loadbalancer", "elasticloadbalancing:targetgroup", "dynamodb:table", "rds:db", "sns"]


def _stack():
    """Tags of a stack of its own, so the session's other tests never match."""
    return {"atelier:env": "test", "atelier:stack": f"s{uuid.uuid4().hex[:8]}"}


def _tags(tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _filters(tags):
    return [{"Key": k, "Values": [v]} for k, v in tags.items()]


def _get(emulator, filters, types=None, per_page=None):
    params = {"TagFilters": filters}
    if types:
        params["ResourceTypeFilters"] = types
    if per_page:
        params["ResourcesPerPage"] = per_page
    pages = list(emulator.client("resourcegroupstaggingapi").get_paginator("get_resources").paginate(**params))
    found = {m["ResourceARN"]: {t["Key"]: t["Value"] for t in m["Tags"]} for p in pages for m in p["ResourceTagMappingList"]}
    return found, len(pages)


@pytest.fixture
def stack(emulator):
    """One resource of each kind tagged with a fresh stack's tags (the load balancer, target group and topic with
    more tags), one of each untagged and one of each of another stack; returns (tags, {kind: arn}, other tags)."""
    tags, other = _stack(), _stack()
    ec2 = emulator.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
        for i, az in ((1, "a"), (2, "b"))
    ]
    elb, ddb, rds, sns = (emulator.client(s) for s in ("elbv2", "dynamodb", "rds", "sns"))
    arns = {}
    for owner, label in ((tags, "ours"), (other, "other"), ({}, "untagged")):
        suffix = uuid.uuid4().hex[:6]
        extra = _tags(owner) if owner else []
        arns[label, "lb"] = elb.create_load_balancer(
            Name=f"lb-{suffix}", Subnets=subnets, **({"Tags": extra + [{"Key": "atelier:tier", "Value": "web"}]} if owner else {})
        )["LoadBalancers"][0]["LoadBalancerArn"]
        arns[label, "tg"] = elb.create_target_group(Name=f"tg-{suffix}", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0][
            "TargetGroupArn"
        ]
        if owner:  # tags added after creation count too
            elb.add_tags(ResourceArns=[arns[label, "tg"]], Tags=extra)
        arns[label, "table"] = ddb.create_table(
            TableName=f"table-{suffix}",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            **({"Tags": extra} if owner else {}),
        )["TableDescription"]["TableArn"]
        arns[label, "db"] = rds.create_db_instance(
            DBInstanceIdentifier=f"db-{suffix}",
            Engine="postgres",
            DBInstanceClass="db.t3.micro",
            AllocatedStorage=20,
            MasterUsername="postgres",
            MasterUserPassword="not-a-secret-1",
            **({"Tags": extra} if owner else {}),
        )["DBInstance"]["DBInstanceArn"]
        arns[label, "topic"] = sns.create_topic(Name=f"alarms-{suffix}", **({"Tags": extra} if owner else {}))["TopicArn"]
    return tags, arns, other


def test_the_stacks_resources_of_each_type_come_with_their_tags(emulator, stack):
    tags, arns, _ = stack

    found, _ = _get(emulator, _filters(tags), TYPES)

    assert set(found) == {arns["ours", kind] for kind in ("lb", "tg", "table", "db", "topic")}
    assert found[arns["ours", "lb"]] == dict(tags, **{"atelier:tier": "web"})
    assert all(found[arns["ours", kind]] == tags for kind in ("tg", "table", "db", "topic"))


def test_type_filters_select_and_values_are_alternatives(emulator, stack):
    tags, arns, other = stack
    both = [{"Key": "atelier:env", "Values": ["test"]}, {"Key": "atelier:stack", "Values": [tags["atelier:stack"], other["atelier:stack"]]}]

    found, _ = _get(emulator, both, ["dynamodb:table", "rds:db"])

    assert set(found) == {arns[owner, kind] for owner in ("ours", "other") for kind in ("table", "db")}


def test_every_page_is_returned(emulator, stack):
    tags, arns, _ = stack

    found, pages = _get(emulator, _filters(tags), TYPES, per_page=2)

    assert pages == 3 and len(found) == 5


def test_deleted_and_untagged_resources_are_gone(emulator, stack):
    tags, arns, _ = stack
    emulator.client("elbv2").delete_load_balancer(LoadBalancerArn=arns["ours", "lb"])
    emulator.client("dynamodb").delete_table(TableName=arns["ours", "table"].rsplit("/", 1)[1])
    emulator.client("rds").remove_tags_from_resource(ResourceName=arns["ours", "db"], TagKeys=["atelier:stack"])

    found, _ = _get(emulator, _filters(tags), TYPES)

    assert set(found) == {arns["ours", "tg"], arns["ours", "topic"]}


def test_classic_load_balancers_are_elasticloadbalancing_loadbalancers(emulator):
    """resourcegroupstaggingapi_elb_resource_type: moto lists them as elb:loadbalancer, a type AWS does not have."""
    tags = _stack()
    name = f"classic-{uuid.uuid4().hex[:6]}"
    emulator.client("elb").create_load_balancer(
        LoadBalancerName=name,
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}],
        AvailabilityZones=["us-east-1a"],
        Tags=_tags(tags),
    )
    arn = f"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/{name}"

    for types in (["elasticloadbalancing:loadbalancer"], ["elasticloadbalancing"]):
        found, _ = _get(emulator, _filters(tags), types)
        assert found == {arn: tags}, types


def test_launch_templates_are_in_the_tagging_api(emulator):
    """resourcegroupstaggingapi_launch_templates: moto's tagging API lists no launch template."""
    tags = _stack()
    ec2 = emulator.client("ec2")
    template = ec2.create_launch_template(
        LaunchTemplateName=f"lt-{uuid.uuid4().hex[:6]}", LaunchTemplateData={"InstanceType": "t3.micro"},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": _tags(tags)}],
    )["LaunchTemplate"]
    arn = f"arn:aws:ec2:us-east-1:123456789012:launch-template/{template['LaunchTemplateId']}"

    for types in (["ec2:launch-template"], ["ec2"]):
        found, _ = _get(emulator, _filters(tags), types)
        assert found == {arn: tags}, types
    ec2.delete_launch_template(LaunchTemplateId=template["LaunchTemplateId"])
    assert _get(emulator, _filters(tags), ["ec2:launch-template"])[0] == {}
