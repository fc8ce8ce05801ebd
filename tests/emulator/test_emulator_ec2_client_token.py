"""The ec2_*_client_token additions: CreateNatGateway, CreateRouteTable, CreateVpcEndpoint, RunInstances,
CreateLaunchTemplate and CreateFlowLogs honour ClientToken.

A retried create with the same token and arguments returns the first resource (no second one), the same token with
other arguments is IdempotentParameterMismatch, and tokens belong to a region. Each test fails against plain moto:
``ATELIER_EMULATOR_DISABLE_ADDITIONS=ec2_nat_gateway_client_token`` (or ``ec2_route_table_client_token``,
``ec2_vpc_endpoint_client_token``, ``ec2_run_instances_client_token``, ``ec2_launch_template_client_token``,
``ec2_flow_logs_client_token``) ``pytest tests/emulator/test_emulator_ec2_client_token.py``.
"""

import uuid

import pytest
from botocore.exceptions import ClientError


def _token() -> str:
    return f"test-{uuid.uuid4().hex}"


def _vpc(ec2, cidr: str) -> str:
    return ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]


def _tags(name: str) -> list:
    return [{"Key": "Name", "Value": name}]


def test_ec2_nat_gateway_client_token(emulator):
    """ec2_nat_gateway_client_token"""
    ec2 = emulator.client("ec2", region="eu-west-2")
    vpc_id = _vpc(ec2, "10.71.0.0/16")
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.71.1.0/24")["Subnet"]["SubnetId"]
    allocation_id = ec2.allocate_address(Domain="vpc")["AllocationId"]
    other_allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    token = _token()
    spec = [{"ResourceType": "natgateway", "Tags": _tags("nat-a")}]

    first = ec2.create_nat_gateway(
        SubnetId=subnet_id, AllocationId=allocation_id, ClientToken=token, TagSpecifications=spec
    )
    retried = ec2.create_nat_gateway(
        SubnetId=subnet_id, AllocationId=allocation_id, ClientToken=token, TagSpecifications=spec
    )

    assert retried["NatGateway"]["NatGatewayId"] == first["NatGateway"]["NatGatewayId"]
    in_subnet = ec2.describe_nat_gateways(Filter=[{"Name": "subnet-id", "Values": [subnet_id]}])["NatGateways"]
    assert [n["NatGatewayId"] for n in in_subnet] == [first["NatGateway"]["NatGatewayId"]]
    with pytest.raises(ClientError) as mismatch:
        ec2.create_nat_gateway(
            SubnetId=subnet_id, AllocationId=other_allocation, ClientToken=token, TagSpecifications=spec
        )
    assert mismatch.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
    # After the NAT gateway is deleted, the token still answers with it, in its state now.
    ec2.delete_nat_gateway(NatGatewayId=first["NatGateway"]["NatGatewayId"])
    again = ec2.create_nat_gateway(
        SubnetId=subnet_id, AllocationId=allocation_id, ClientToken=token, TagSpecifications=spec
    )
    assert again["NatGateway"]["NatGatewayId"] == first["NatGateway"]["NatGatewayId"]
    assert again["NatGateway"]["State"] in ("deleting", "deleted")
    # Without a token (boto3 makes a new one per call) every call creates.
    third = ec2.create_nat_gateway(SubnetId=subnet_id, AllocationId=other_allocation)
    assert third["NatGateway"]["NatGatewayId"] != first["NatGateway"]["NatGatewayId"]


def test_ec2_route_table_client_token(emulator):
    """ec2_route_table_client_token"""
    ec2 = emulator.client("ec2", region="eu-west-2")
    vpc_id = _vpc(ec2, "10.72.0.0/16")
    token = _token()
    spec = [{"ResourceType": "route-table", "Tags": _tags("rt-a")}]

    first = ec2.create_route_table(VpcId=vpc_id, ClientToken=token, TagSpecifications=spec)["RouteTable"]
    retried = ec2.create_route_table(VpcId=vpc_id, ClientToken=token, TagSpecifications=spec)["RouteTable"]

    assert retried["RouteTableId"] == first["RouteTableId"]
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]
    assert sorted(t["RouteTableId"] for t in tables if not any(a.get("Main") for a in t.get("Associations", []))) == [
        first["RouteTableId"]
    ]
    with pytest.raises(ClientError) as mismatch:
        ec2.create_route_table(
            VpcId=vpc_id, ClientToken=token, TagSpecifications=[{"ResourceType": "route-table", "Tags": _tags("rt-b")}]
        )
    assert mismatch.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
    # Tokens belong to a region: the same request in another region makes that region's route table.
    elsewhere = emulator.client("ec2", region="eu-west-3")
    other_vpc = _vpc(elsewhere, "10.72.0.0/16")
    made = elsewhere.create_route_table(VpcId=other_vpc, ClientToken=token, TagSpecifications=spec)["RouteTable"]
    assert made["RouteTableId"] != first["RouteTableId"] and made["VpcId"] == other_vpc


def test_ec2_vpc_endpoint_client_token(emulator):
    """ec2_vpc_endpoint_client_token"""
    ec2 = emulator.client("ec2", region="eu-west-2")
    vpc_id = _vpc(ec2, "10.73.0.0/16")
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    token = _token()
    request = dict(
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-2.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[table_id],
        ClientToken=token,
        TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": _tags("s3")}],
    )

    first = ec2.create_vpc_endpoint(**request)["VpcEndpoint"]
    retried = ec2.create_vpc_endpoint(**request)["VpcEndpoint"]

    assert retried["VpcEndpointId"] == first["VpcEndpointId"]
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["VpcEndpoints"]
    assert [e["VpcEndpointId"] for e in endpoints] == [first["VpcEndpointId"]]
    with pytest.raises(ClientError) as mismatch:
        ec2.create_vpc_endpoint(
            **dict(request, TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": _tags("s3-b")}])
        )
    assert mismatch.value.response["Error"]["Code"] == "IdempotentParameterMismatch"


def test_ec2_run_instances_client_token(emulator):
    """ec2_run_instances_client_token"""
    ec2 = emulator.client("ec2", region="eu-west-2")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    token = _token()
    request = dict(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1, ClientToken=token,
                   TagSpecifications=[{"ResourceType": "instance", "Tags": _tags(token)}])

    first = ec2.run_instances(**request)
    retried = ec2.run_instances(**request)

    assert retried["ReservationId"] == first["ReservationId"]
    assert [i["InstanceId"] for i in retried["Instances"]] == [i["InstanceId"] for i in first["Instances"]]
    named = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": [token]}])["Reservations"]
    assert [i["InstanceId"] for r in named for i in r["Instances"]] == [first["Instances"][0]["InstanceId"]]
    with pytest.raises(ClientError) as mismatch:
        ec2.run_instances(**dict(request, InstanceType="t3.small"))
    assert mismatch.value.response["Error"]["Code"] == "IdempotentParameterMismatch"


def test_ec2_launch_template_client_token(emulator):
    """ec2_launch_template_client_token"""
    ec2 = emulator.client("ec2", region="eu-west-2")
    token = _token()
    name = f"lt-{token[-12:]}"
    request = dict(LaunchTemplateName=name, LaunchTemplateData={"InstanceType": "t3.micro"}, ClientToken=token)

    first = ec2.create_launch_template(**request)["LaunchTemplate"]
    retried = ec2.create_launch_template(**request)["LaunchTemplate"]

    assert retried["LaunchTemplateId"] == first["LaunchTemplateId"]
    assert len(ec2.describe_launch_templates(LaunchTemplateNames=[name])["LaunchTemplates"]) == 1
    with pytest.raises(ClientError) as mismatch:
        ec2.create_launch_template(**dict(request, LaunchTemplateData={"InstanceType": "t3.small"}))
    assert mismatch.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
    # Another token (or none: boto3 sends none) for the same name is refused, as on AWS.
    with pytest.raises(ClientError) as taken:
        ec2.create_launch_template(**dict(request, ClientToken=_token()))
    assert taken.value.response["Error"]["Code"] == "InvalidLaunchTemplateName.AlreadyExistsException"


def test_ec2_flow_logs_client_token(emulator):
    """ec2_flow_logs_client_token"""
    ec2 = emulator.client("ec2", region="eu-west-2")
    vpc_id = _vpc(ec2, "10.74.0.0/16")
    token = _token()
    request = dict(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName=f"/flow/{token}",
        DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow-logs",
        ClientToken=token,
    )

    first = ec2.create_flow_logs(**request)
    retried = ec2.create_flow_logs(**request)

    assert first["FlowLogIds"] and retried["FlowLogIds"] == first["FlowLogIds"]
    assert retried.get("Unsuccessful", []) == []
    logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"]
    assert [f["FlowLogId"] for f in logs] == first["FlowLogIds"]
    with pytest.raises(ClientError) as mismatch:
        ec2.create_flow_logs(**dict(request, TrafficType="REJECT"))
    assert mismatch.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
    # Without the token, the same flow log again is refused.
    with pytest.raises(ClientError) as exists:
        ec2.create_flow_logs(**dict(request, ClientToken=_token()))
    assert exists.value.response["Error"]["Code"] == "FlowLogAlreadyExists"
