"""The ec2_*_client_token additions: CreateNatGateway, CreateRouteTable and CreateVpcEndpoint honour ClientToken.

A retried create with the same token and arguments returns the first resource (no second one), the same token with
other arguments is IdempotentParameterMismatch, and tokens belong to a region. Each test fails against plain moto:
``ATELIER_EMULATOR_DISABLE_ADDITIONS=ec2_nat_gateway_client_token`` (or ``ec2_route_table_client_token``,
``ec2_vpc_endpoint_client_token``) ``pytest tests/emulator/test_emulator_ec2_client_token.py``.
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
