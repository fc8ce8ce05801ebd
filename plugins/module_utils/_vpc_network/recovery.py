# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a lost response left behind, and what the network's removal keeps.

A lost response: AWS applied a call, its answer never arrived, and the client (botocore, or amazon.aws' retry
decorator) sent it again. The retry of a call without an idempotency token either fails with an "already" error
(a subnet's CIDR is taken, the internet gateway is attached, the route exists) or, for CreateVpc,
CreateInternetGateway and AllocateAddress, makes a second resource. The functions here decide, from what a describe
call shows, whether the first call did what the step wanted (carry on with it) and which resources are the
duplicates a retry made (delete them: they are empty). Tokens (CreateNatGateway, CreateRouteTable,
CreateVpcEndpoint) need none of this: AWS answers a retried token with the first result.

What data needs: the subnets of the DB instances' subnet groups, which a removal that keeps the data keeps (with their
route tables and the VPC: planner.kept_parts).

Pure Python, on boto3's shapes.
"""

from ..stack import TAG_NAME
from .planner import attached_vpcs
from .planner import managed_route
from .planner import route_destination
from .planner import route_target
from .planner import subnet_associations
from .planner import tags_of

# What AWS answers the retry of a call whose first request it applied.
ALREADY = {
    "create_subnet": "InvalidSubnet.Conflict",
    "attach_internet_gateway": "Resource.AlreadyAssociated",
    "associate_route_table": "Resource.AlreadyAssociated",
    "create_route": "RouteAlreadyExists",
    "revoke_security_group_ingress": "InvalidPermission.NotFound",
    "revoke_security_group_egress": "InvalidPermission.NotFound",
}
# Creates without an idempotency token whose retry makes a second resource: the describe call that finds the resources
# of a Name (with the ownership tags), the id key, and the call that removes a duplicate.
UNTOKENED = {
    "create_vpc": ("describe_vpcs", "VpcId", "delete_vpc"),
    "create_internet_gateway": ("describe_internet_gateways", "InternetGatewayId", "delete_internet_gateway"),
    "allocate_address": ("describe_addresses", "AllocationId", "release_address"),
}
WORDS = {"create_vpc": "vpc", "create_internet_gateway": "internet gateway", "allocate_address": "elastic ip"}


def created_name(params):
    """The Name a create call tags its resource with (TagSpecifications), or None."""
    for spec in params.get("TagSpecifications") or []:
        for tag in spec.get("Tags") or []:
            if tag.get("Key") == TAG_NAME:
                return tag.get("Value")
    return None


def _subnet_outcome(params, found, owner):
    name = created_name(params)
    for subnet in found:
        tags = tags_of(subnet)
        if (
            subnet.get("CidrBlock") == params.get("CidrBlock")
            and subnet.get("VpcId") == params.get("VpcId")
            and subnet.get("AvailabilityZone") == params.get("AvailabilityZone")
            and tags.get(TAG_NAME) == name
            and all(tags.get(k) == v for k, v in owner.items())
        ):
            return ("adopt", subnet["SubnetId"])
    return None


def _route_outcome(params, found):
    wanted = [(k, v) for k, v in params.items() if k not in ("RouteTableId", "DestinationCidrBlock")]
    for table in found:
        if table.get("RouteTableId") != params.get("RouteTableId"):
            continue
        for route in table.get("Routes") or []:
            if route_destination(route) != ("DestinationCidrBlock", params.get("DestinationCidrBlock")):
                continue
            if not managed_route(route):
                return None
            same = route_target(route) == (wanted[0] if wanted else (None, None))
            return ("done", None) if same and route.get("State") != "blackhole" else ("replace", None)
    return None


def lost_create_outcome(call, params, found, owner):
    """What the first request of a retried call did, seen in found (the describe answer for what the call targets):

    * ``("adopt", id)``: it made the resource the step wanted (a subnet of this CIDR, AZ, Name and owner);
    * ``("done", None)``: what the step wanted is in place (the gateway attached to this VPC, the subnet associated
      with this route table, the route to this target, the rule already revoked);
    * ``("replace", None)``: the route exists with another target (replace it);
    * None: something else holds it - the error stands.
    """
    if call == "create_subnet":
        return _subnet_outcome(params, found, owner)
    if call == "attach_internet_gateway":
        for gateway in found:
            if gateway.get("InternetGatewayId") == params.get("InternetGatewayId"):
                return ("done", None) if params.get("VpcId") in attached_vpcs(gateway) else None
        return None
    if call == "associate_route_table":
        for table in found:
            for association in subnet_associations(table):
                if association.get("SubnetId") == params.get("SubnetId"):
                    return ("done", None) if table.get("RouteTableId") == params.get("RouteTableId") else None
        return None
    if call == "create_route":
        return _route_outcome(params, found)
    if call in ("revoke_security_group_ingress", "revoke_security_group_egress"):
        return ("done", None)
    return None


def fresh_duplicates(call, found, made_id, known_ids):
    """The resources a retried untokened create made besides the one it answered: carrying the same Name and owner
    (found), neither the answer nor known before the run, and unused (an internet gateway not attached, an Elastic
    IP not associated; a VPC just made holds nothing)."""
    _describe, key, _delete = UNTOKENED[call]
    duplicates = []
    for resource in found:
        resource_id = resource.get(key)
        if resource_id == made_id or resource_id in known_ids:
            continue
        if call == "create_internet_gateway" and attached_vpcs(resource):
            continue
        if call == "allocate_address" and resource.get("AssociationId"):
            continue
        duplicates.append(resource_id)
    return sorted(duplicates)


def database_subnets(instances):
    """The subnets DB instances need (their DB subnet group's), as subnet id -> why, from amazon.aws rds_instance_info
    ``instances`` (snake_case) or DescribeDBInstances ``DBInstances`` (boto3's shape)."""
    keep = {}
    for instance in instances or []:
        identifier = instance.get("db_instance_identifier") or instance.get("DBInstanceIdentifier")
        group = instance.get("db_subnet_group") or instance.get("DBSubnetGroup") or {}
        group_name = group.get("db_subnet_group_name") or group.get("DBSubnetGroupName")
        for subnet in group.get("subnets") or group.get("Subnets") or []:
            subnet_id = subnet.get("subnet_identifier") or subnet.get("SubnetIdentifier")
            if subnet_id and subnet_id not in keep:
                keep[subnet_id] = f"in the DB subnet group {group_name} of the DB instance {identifier}"
    return keep
