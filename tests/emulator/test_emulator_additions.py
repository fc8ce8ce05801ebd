"""One test per module in emulator/additions: the AWS behaviour it adds, seen through boto3.

boto3 parses every response with botocore's service model, so these tests also prove the responses parse. Each test
fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest tests/emulator``.
"""

import importlib
import json
import uuid

import pytest

from emulator import additions

CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing"


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _subnet(ec2, cidr: str) -> str:
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr)["Subnet"]["SubnetId"]


def _flow_logs_role(emulator) -> str:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    iam = emulator.client("iam")
    return iam.create_role(RoleName=_name("flow-logs"), AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


def test_every_addition_has_a_docstring_and_apply():
    names = additions.available()

    assert "ec2_tag_resource_types" in names
    for name in names:
        module = importlib.import_module(f"emulator.additions.{name}")
        assert module.__doc__ and "moto 5.2.5" in module.__doc__ and "Reference" in module.__doc__, name
        assert callable(module.apply), name


def test_ec2_tag_resource_types_nat_gateway_and_elastic_ip(emulator):
    ec2 = emulator.client("ec2")
    subnet_id = _subnet(ec2, "10.61.0.0/24")
    allocation_id = ec2.allocate_address(
        Domain="vpc", TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "eip"}]}]
    )["AllocationId"]
    tags = [{"Key": "Name", "Value": "nat"}, {"Key": "atelier:env", "Value": "test"}]

    nat_id = ec2.create_nat_gateway(
        SubnetId=subnet_id,
        AllocationId=allocation_id,
        TagSpecifications=[{"ResourceType": "natgateway", "Tags": tags}],
    )["NatGateway"]["NatGatewayId"]

    (nat,) = ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"]
    assert sorted(nat["Tags"], key=lambda tag: tag["Key"]) == sorted(tags, key=lambda tag: tag["Key"])
    # What amazon.aws ensure_ec2_tags(..., resource_type="natgateway") asks for:
    described = ec2.describe_tags(
        Filters=[
            {"Name": "resource-id", "Values": [nat_id]},
            {"Name": "resource-type", "Values": ["natgateway"]},
        ]
    )["Tags"]
    assert {(tag["Key"], tag["Value"], tag["ResourceType"]) for tag in described} == {
        ("Name", "nat", "natgateway"),
        ("atelier:env", "test", "natgateway"),
    }
    eip_tags = ec2.describe_tags(
        Filters=[
            {"Name": "resource-id", "Values": [allocation_id]},
            {"Name": "resource-type", "Values": ["elastic-ip"]},
        ]
    )["Tags"]
    assert [(tag["Key"], tag["ResourceType"]) for tag in eip_tags] == [("Name", "elastic-ip")]


def test_ec2_nat_gateway_tag_filters(emulator):
    ec2 = emulator.client("ec2", region="ap-northeast-1")
    subnet_id = _subnet(ec2, "10.65.0.0/24")
    name = _name("nat")
    for gateway_name in (name, f"{name}-other"):
        ec2.create_nat_gateway(
            SubnetId=subnet_id,
            ConnectivityType="private",
            TagSpecifications=[{"ResourceType": "natgateway", "Tags": [{"Key": "Name", "Value": gateway_name}]}],
        )

    by_name = ec2.describe_nat_gateways(Filter=[{"Name": "tag:Name", "Values": [name]}])["NatGateways"]
    by_key = ec2.describe_nat_gateways(Filter=[{"Name": "tag-key", "Values": ["no-such-key"]}])["NatGateways"]

    assert [gateway["Tags"] for gateway in by_name] == [[{"Key": "Name", "Value": name}]]
    assert by_key == []


@pytest.mark.parametrize("region", ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"])
def test_cloudfront_origin_facing_prefix_list_exists_in_every_region(emulator, region):
    """Plain moto already does this; kept as a guard because the security_groups role depends on it."""
    ec2 = emulator.client("ec2", region=region)

    (prefix_list,) = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [CLOUDFRONT_ORIGIN_FACING]}]
    )["PrefixLists"]

    assert prefix_list["OwnerId"] == "AWS"
    assert ec2.get_managed_prefix_list_entries(PrefixListId=prefix_list["PrefixListId"])["Entries"]


def test_ec2_security_group_rule_descriptions_prefix_lists_and_groups(emulator):
    ec2 = emulator.client("ec2", region="eu-west-1")
    vpc_id = ec2.create_vpc(CidrBlock="10.62.0.0/16")["Vpc"]["VpcId"]
    (prefix_list,) = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [CLOUDFRONT_ORIGIN_FACING]}]
    )["PrefixLists"]
    prefix_list_id = prefix_list["PrefixListId"]
    alb = ec2.create_security_group(GroupName=_name("alb"), Description="alb", VpcId=vpc_id)["GroupId"]
    app = ec2.create_security_group(GroupName=_name("app"), Description="app", VpcId=vpc_id)["GroupId"]
    from_cloudfront = {
        "IpProtocol": "tcp",
        "FromPort": 443,
        "ToPort": 443,
        "PrefixListIds": [{"PrefixListId": prefix_list_id, "Description": "CloudFront"}],
    }
    ec2.authorize_security_group_ingress(GroupId=alb, IpPermissions=[from_cloudfront])
    ec2.authorize_security_group_ingress(
        GroupId=app,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 3000,
                "ToPort": 3000,
                "UserIdGroupPairs": [{"GroupId": alb, "Description": "ALB"}],
            }
        ],
    )

    (group,) = ec2.describe_security_groups(GroupIds=[alb])["SecurityGroups"]
    assert group["IpPermissions"][0]["PrefixListIds"] == [{"PrefixListId": prefix_list_id, "Description": "CloudFront"}]
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [alb, app]}])[
        "SecurityGroupRules"
    ]
    ingress = {
        rule.get("PrefixListId") or rule["ReferencedGroupInfo"]["GroupId"]: rule
        for rule in rules
        if not rule["IsEgress"]
    }
    assert ingress[prefix_list_id]["Description"] == "CloudFront"
    assert ingress[alb]["Description"] == "ALB"

    from_cloudfront["PrefixListIds"][0]["Description"] = "CloudFront origin-facing"
    ec2.update_security_group_rule_descriptions_ingress(GroupId=alb, IpPermissions=[from_cloudfront])

    (group,) = ec2.describe_security_groups(GroupIds=[alb])["SecurityGroups"]
    assert group["IpPermissions"][0]["PrefixListIds"][0]["Description"] == "CloudFront origin-facing"


def test_ec2_security_group_return_values(emulator):
    ec2 = emulator.client("ec2", region="eu-west-1")
    vpc_id = ec2.create_vpc(CidrBlock="10.63.0.0/16")["Vpc"]["VpcId"]
    group_id = ec2.create_security_group(GroupName=_name("sg"), Description="d", VpcId=vpc_id)["GroupId"]
    rule = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[rule])
    ec2.authorize_security_group_egress(GroupId=group_id, IpPermissions=[rule])
    described = {**rule, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh"}]}

    ingress = ec2.update_security_group_rule_descriptions_ingress(GroupId=group_id, IpPermissions=[described])
    egress = ec2.update_security_group_rule_descriptions_egress(GroupId=group_id, IpPermissions=[described])
    deleted = ec2.delete_security_group(GroupId=group_id)

    assert ingress["Return"] is True
    assert egress["Return"] is True
    assert (deleted["Return"], deleted["GroupId"]) == (True, group_id)


def test_ec2_flow_logs_log_destination_arn_names_the_log_group(emulator):
    ec2, logs = emulator.client("ec2"), emulator.client("logs")
    vpc_id = ec2.create_vpc(CidrBlock="10.64.0.0/16")["Vpc"]["VpcId"]
    group = f"/emulator-test/flow-logs/{uuid.uuid4().hex[:8]}"
    logs.create_log_group(logGroupName=group)
    group_arn = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["logGroupArn"]
    role_arn = _flow_logs_role(emulator)

    created = ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogDestination=group_arn,
        DeliverLogsPermissionArn=role_arn,
        TagSpecifications=[{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "Name", "Value": "flow"}]}],
    )

    assert created["Unsuccessful"] == []
    (flow_log,) = ec2.describe_flow_logs(Filters=[{"Name": "log-group-name", "Values": [group]}])["FlowLogs"]
    assert flow_log["FlowLogId"] == created["FlowLogIds"][0]
    assert (flow_log["LogGroupName"], flow_log["LogDestination"]) == (group, group_arn)
    assert (flow_log["DeliverLogsStatus"], flow_log["DeliverLogsPermissionArn"]) == ("SUCCESS", role_arn)
    assert flow_log["Tags"] == [{"Key": "Name", "Value": "flow"}]
    ec2.delete_flow_logs(FlowLogIds=created["FlowLogIds"])
    assert ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"] == []


def test_ec2_availability_zone_fields_and_filters(emulator):
    ec2 = emulator.client("ec2", region="eu-west-1")

    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    opted_in = ec2.describe_availability_zones(Filters=[{"Name": "opt-in-status", "Values": ["opted-in"]}])
    by_group = ec2.describe_availability_zones(Filters=[{"Name": "group-name", "Values": ["eu-west-1-zg-1"]}])

    assert zones
    for zone in zones:
        assert (zone["OptInStatus"], zone["GroupName"], zone["NetworkBorderGroup"]) == (
            "opt-in-not-required",
            "eu-west-1-zg-1",
            "eu-west-1",
        )
    assert opted_in["AvailabilityZones"] == []
    assert [zone["ZoneName"] for zone in by_group["AvailabilityZones"]] == [zone["ZoneName"] for zone in zones]


def test_iam_aws_managed_policies_can_be_attached(emulator):
    iam = emulator.client("iam")
    role = _name("instance")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}')
    policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"

    iam.attach_role_policy(RoleName=role, PolicyArn=policy_arn)

    assert iam.get_policy(PolicyArn=policy_arn)["Policy"]["PolicyName"] == "AmazonSSMManagedInstanceCore"
    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert [policy["PolicyArn"] for policy in attached] == [policy_arn]


def test_iam_update_role_keeps_omitted_fields(emulator):
    iam = emulator.client("iam")
    role = _name("role")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}')

    iam.update_role(RoleName=role, Description="flow logs delivery")
    iam.update_role(RoleName=role, MaxSessionDuration=7200)

    updated = iam.get_role(RoleName=role)["Role"]
    assert (updated["Description"], updated["MaxSessionDuration"]) == ("flow logs delivery", 7200)
