# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Builders of the vpc_network tests: the module's options for the goal-tracker system's network, and that network as the
describe calls return it once converged (boto3 shapes, ids derived from names), written from the specification
(names, tags, routes), not from the planner."""

import copy

REGION = "us-east-1"
REGION_AZS = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]
AZS = ["us-east-1a", "us-east-1b"]
PREFIX = "local-atelier"
OWNER = {"atelier:env": "local", "atelier:stack": "atelier"}
TIERS = [
    {"name": "public", "type": "public"},
    {"name": "frontend", "type": "private"},
    {"name": "backend", "type": "private"},
    {"name": "database", "type": "isolated"},
]
GOAL_TRACKER_CIDRS = {
    "public": ["10.0.1.0/24", "10.0.2.0/24"],
    "frontend": ["10.0.11.0/24", "10.0.12.0/24"],
    "backend": ["10.0.21.0/24", "10.0.22.0/24"],
    "database": ["10.0.31.0/24", "10.0.32.0/24"],
}
PREFIX_LISTS = {"s3": "pl-63a5400a", "dynamodb": "pl-02cd2c6b"}


def goal_tracker_params(**overrides):
    """The module's options (as AnsibleModule fills them) for the goal-tracker system's network."""
    params = {
        "name": PREFIX,
        "state": "present",
        "cidr_block": "10.0.0.0/16",
        "tiers": copy.deepcopy(TIERS),
        "subnets": None,
        "newbits": 8,
        "tier_stride": 10,
        "offset": 1,
        "azs": None,
        "az_count": 2,
        "nat_topology": "one_per_az",
        "dns_support": True,
        "dns_hostnames": True,
        "endpoints": ["s3", "dynamodb"],
        "tags": dict(OWNER),
        "purge_tags": True,
        "wait": True,
        "wait_timeout": 600,
    }
    params.update(overrides)
    return params


def tag_list(tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def tags(name, tier=None, owner=None, **more):
    result = dict(OWNER if owner is None else owner)
    result.update(more)
    result["Name"] = name
    if tier:
        result["atelier:tier"] = tier
    return tag_list(result)


def vpc(vpc_id="vpc-1", cidr="10.0.0.0/16", name=PREFIX, **more):
    return {"VpcId": vpc_id, "CidrBlock": cidr, "State": "available", "Tags": tags(name, **more)}


def subnet(tier, az, cidr, vpc_id="vpc-1", subnet_id=None, **more):
    return {
        "SubnetId": subnet_id or f"subnet-{tier}-{az[-1]}",
        "VpcId": vpc_id,
        "CidrBlock": cidr,
        "AvailabilityZone": az,
        "MapPublicIpOnLaunch": False,
        "Tags": tags(f"{PREFIX}-{tier}-{az}", tier, **more),
    }


def route(destination, **target):
    result = {"DestinationCidrBlock": destination, "Origin": "CreateRoute", "State": "active"}
    result.update(target)
    return result


def local_route(cidr="10.0.0.0/16"):
    return {"DestinationCidrBlock": cidr, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}


def endpoint_route(service, endpoint_id):
    return {
        "DestinationPrefixListId": PREFIX_LISTS[service],
        "GatewayId": endpoint_id,
        "Origin": "CreateRoute",
        "State": "active",
    }


def route_table(table_id, name, tier, subnet_id=None, routes=(), vpc_id="vpc-1", main=False, **more):
    associations = []
    if main:
        associations.append(
            {"Main": True, "RouteTableAssociationId": f"rtbassoc-{table_id}-main", "RouteTableId": table_id}
        )
    if subnet_id:
        associations.append(
            {
                "Main": False,
                "SubnetId": subnet_id,
                "RouteTableAssociationId": f"rtbassoc-{subnet_id}",
                "RouteTableId": table_id,
            }
        )
    return {
        "RouteTableId": table_id,
        "VpcId": vpc_id,
        "Associations": associations,
        "Routes": [local_route()] + list(routes),
        "Tags": tags(name, tier, **more) if name else [],
    }


def nat(az, subnet_id=None, allocation_id=None, state="available", nat_id=None, vpc_id="vpc-1", name=None):
    return {
        "NatGatewayId": nat_id or f"nat-{az[-1]}",
        "VpcId": vpc_id,
        "SubnetId": subnet_id or f"subnet-public-{az[-1]}",
        "State": state,
        "NatGatewayAddresses": [{"AllocationId": allocation_id or f"eipalloc-{az[-1]}", "PublicIp": "198.51.100.1"}],
        "Tags": tags(name or f"{PREFIX}-nat-{az}"),
    }


def address(az, allocation_id=None, associated=True, name=None):
    result = {
        "AllocationId": allocation_id or f"eipalloc-{az[-1]}",
        "PublicIp": f"198.51.100.{ord(az[-1])}",
        "Domain": "vpc",
        "Tags": tags(name or f"{PREFIX}-nat-{az}"),
    }
    if associated:
        result["AssociationId"] = f"eipassoc-{result['AllocationId']}"
        result["NetworkInterfaceId"] = f"eni-nat-{az[-1]}"
    return result


def internet_gateway(gateway_id="igw-1", vpc_id="vpc-1", name=f"{PREFIX}-igw"):
    return {
        "InternetGatewayId": gateway_id,
        "Attachments": [{"VpcId": vpc_id, "State": "available"}] if vpc_id else [],
        "Tags": tags(name),
    }


def default_group(vpc_id="vpc-1", rules=False, name=f"{PREFIX}-default"):
    group = {
        "GroupId": f"sg-default-{vpc_id}",
        "GroupName": "default",
        "VpcId": vpc_id,
        "IpPermissions": [],
        "IpPermissionsEgress": [],
        "Tags": tags(name) if name else [],
    }
    if rules:
        group["IpPermissions"] = [
            {
                "IpProtocol": "-1",
                "UserIdGroupPairs": [{"GroupId": group["GroupId"], "UserId": "123456789012"}],
                "IpRanges": [],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
            }
        ]
        group["IpPermissionsEgress"] = [
            {
                "IpProtocol": "-1",
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
                "UserIdGroupPairs": [],
            }
        ]
    return group


def endpoint(service, endpoint_id=None, table_ids=(), vpc_id="vpc-1", state="available", tagged=True):
    return {
        "VpcEndpointId": endpoint_id or f"vpce-{service}",
        "VpcId": vpc_id,
        "ServiceName": f"com.amazonaws.{REGION}.{service}",
        "VpcEndpointType": "Gateway",
        "State": state,
        "RouteTableIds": list(table_ids),
        "Tags": tags(f"{PREFIX}-{service}") if tagged else [],
    }


def table_id(tier, az):
    return f"rtb-{tier}-{az[-1]}"


def converged(azs=AZS, endpoints=("s3", "dynamodb"), nat_azs=None):
    """The goal-tracker system's network once converged (one NAT gateway per AZ unless nat_azs says otherwise)."""
    nat_azs = list(azs) if nat_azs is None else nat_azs
    subnets, tables = [], [route_table("rtb-main", None, None, main=True)]
    table_ids = [table_id(t["name"], az) for t in TIERS for az in azs]
    endpoint_routes = [endpoint_route(s, f"vpce-{s}") for s in endpoints]
    for index, tier in enumerate(TIERS):
        for j, az in enumerate(azs):
            cidr = f"10.0.{1 + index * 10 + j}.0/24"
            item = subnet(tier["name"], az, cidr)
            subnets.append(item)
            routes = []
            if tier["type"] == "public":
                routes.append(route("0.0.0.0/0", GatewayId="igw-1"))
            elif tier["type"] == "private" and nat_azs:
                routes.append(route("0.0.0.0/0", NatGatewayId=f"nat-{(az if az in nat_azs else nat_azs[0])[-1]}"))
            name = f"{PREFIX}-{tier['name']}-{az}-rt"
            tables.append(
                route_table(table_id(tier["name"], az), name, tier["name"], item["SubnetId"], routes + endpoint_routes)
            )
    return {
        "vpcs": [vpc()],
        "dns": {"support": True, "hostnames": True},
        "subnets": subnets,
        "route_tables": tables,
        "security_groups": [default_group()],
        "endpoints": [endpoint(s, table_ids=table_ids) for s in endpoints],
        "nat_gateways": [nat(az) for az in nat_azs],
        "internet_gateways": [internet_gateway()],
        "addresses": [address(az) for az in nat_azs],
    }


def test_converged_has_the_goal_tracker_subnets():
    current = converged()
    by_tier = {}
    for item in current["subnets"]:
        tier = {t["Key"]: t["Value"] for t in item["Tags"]}["atelier:tier"]
        by_tier.setdefault(tier, []).append(item["CidrBlock"])
    assert by_tier == GOAL_TRACKER_CIDRS
    assert len(current["route_tables"]) == 9
