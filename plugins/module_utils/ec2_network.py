# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the EC2 calls of atelier.infra.vpc_network, and the public face of the private ``_vpc_network``
package (input checks, the desired network, the plan of steps between the current and the desired network, what a
lost response left behind, and the views the module returns: all pure functions).

Every wrapper is one boto3 call with amazon.aws' retry decorator (plus the throttling and 5xx codes of aws_retry,
and, where AWS is eventually consistent right after a create, the NotFound code of what was just made) and an error
handler that turns botocore exceptions into AnsibleEC2Error, following amazon.aws module_utils/ec2.py. Deletions
tolerate what is already gone (they return False).
"""

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

# Not intended for general re-use / re-import: the facade below re-exports what the module uses.
from ._vpc_network import planner as _planner
from ._vpc_network import recovery as _recovery
from ._vpc_network import validation as _validation
from ._vpc_network import view as _view

# The codes AWS answers for a resource that does not exist (any more): deletions take them as done.
NOT_FOUND = [
    "InvalidVpcID.NotFound",
    "InvalidSubnetID.NotFound",
    "InvalidInternetGatewayID.NotFound",
    "InvalidAllocationID.NotFound",
    "InvalidAddress.NotFound",
    "InvalidNatGatewayID.NotFound",
    "NatGatewayNotFound",
    "InvalidRouteTableID.NotFound",
    "InvalidRoute.NotFound",
    "InvalidAssociationID.NotFound",
    "InvalidVpcEndpointId.NotFound",
    "InvalidGroup.NotFound",
    "Gateway.NotAttached",
]
# Seconds between two DescribeNatGateways while waiting.
NAT_POLL_DELAY = 5


class EC2NetworkErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEC2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NOT_FOUND)


def _retry(*extra: str):
    return AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + list(extra))


def _retry_briefly(*extra: str):
    """For what AWS refuses for a few seconds after a dependency went (an ENI of a deleted NAT gateway): a short
    retry, so that a real dependency fails within about half a minute."""
    return AWSRetry.jittered_backoff(retries=5, delay=2, max_delay=10, catch_extra_error_codes=RETRY_CODES + list(extra))


# ---- reads ----


@EC2NetworkErrorHandler.common_error_handler("describe availability zones")
@_retry()
def describe_availability_zones(client, **params: Any) -> List[Dict[str, Any]]:
    return client.describe_availability_zones(**params)["AvailabilityZones"]


@EC2NetworkErrorHandler.list_error_handler("describe vpcs", [])
@_retry()
def describe_vpcs(client, **params: Any) -> List[Dict[str, Any]]:
    return client.get_paginator("describe_vpcs").paginate(**params).build_full_result()["Vpcs"]


@EC2NetworkErrorHandler.common_error_handler("describe vpc attribute")
@_retry("InvalidVpcID.NotFound")
def describe_vpc_attribute(client, vpc_id: str, attribute: str) -> bool:
    key = attribute[0].upper() + attribute[1:]
    return client.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)[key]["Value"]


@EC2NetworkErrorHandler.list_error_handler("describe subnets", [])
@_retry()
def describe_subnets(client, **params: Any) -> List[Dict[str, Any]]:
    return client.get_paginator("describe_subnets").paginate(**params).build_full_result()["Subnets"]


@EC2NetworkErrorHandler.list_error_handler("describe route tables", [])
@_retry()
def describe_route_tables(client, **params: Any) -> List[Dict[str, Any]]:
    return client.get_paginator("describe_route_tables").paginate(**params).build_full_result()["RouteTables"]


@EC2NetworkErrorHandler.list_error_handler("describe security groups", [])
@_retry()
def describe_security_groups(client, **params: Any) -> List[Dict[str, Any]]:
    return client.get_paginator("describe_security_groups").paginate(**params).build_full_result()["SecurityGroups"]


@EC2NetworkErrorHandler.list_error_handler("describe vpc endpoints", [])
@_retry()
def describe_vpc_endpoints(client, **params: Any) -> List[Dict[str, Any]]:
    return client.get_paginator("describe_vpc_endpoints").paginate(**params).build_full_result()["VpcEndpoints"]


@EC2NetworkErrorHandler.list_error_handler("describe nat gateways", [])
@_retry()
def describe_nat_gateways(client, **params: Any) -> List[Dict[str, Any]]:
    return client.get_paginator("describe_nat_gateways").paginate(**params).build_full_result()["NatGateways"]


@EC2NetworkErrorHandler.list_error_handler("describe internet gateways", [])
@_retry()
def describe_internet_gateways(client, **params: Any) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("describe_internet_gateways")
    return paginator.paginate(**params).build_full_result()["InternetGateways"]


@EC2NetworkErrorHandler.list_error_handler("describe addresses", [])
@_retry()
def describe_addresses(client, **params: Any) -> List[Dict[str, Any]]:
    # DescribeAddresses has no paginator.
    return client.describe_addresses(**params)["Addresses"]


@EC2NetworkErrorHandler.list_error_handler("describe network interfaces", [])
@_retry()
def describe_network_interfaces(client, **params: Any) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("describe_network_interfaces")
    return paginator.paginate(**params).build_full_result()["NetworkInterfaces"]


# ---- VPC ----


@EC2NetworkErrorHandler.common_error_handler("create vpc")
@_retry()
def create_vpc(client, **params: Any) -> str:
    return client.create_vpc(**params)["Vpc"]["VpcId"]


@EC2NetworkErrorHandler.common_error_handler("modify vpc attribute")
@_retry("InvalidVpcID.NotFound")
def modify_vpc_attribute(client, **params: Any) -> bool:
    client.modify_vpc_attribute(**params)
    return True


@EC2NetworkErrorHandler.deletion_error_handler("delete vpc")
@_retry_briefly("DependencyViolation")
def delete_vpc(client, **params: Any) -> bool:
    client.delete_vpc(**params)
    return True


# ---- subnets ----


@EC2NetworkErrorHandler.common_error_handler("create subnet")
@_retry("InvalidVpcID.NotFound")
def create_subnet(client, **params: Any) -> str:
    return client.create_subnet(**params)["Subnet"]["SubnetId"]


@EC2NetworkErrorHandler.common_error_handler("modify subnet attribute")
@_retry("InvalidSubnetID.NotFound")
def modify_subnet_attribute(client, **params: Any) -> bool:
    client.modify_subnet_attribute(**params)
    return True


@EC2NetworkErrorHandler.deletion_error_handler("delete subnet")
@_retry_briefly("DependencyViolation")
def delete_subnet(client, **params: Any) -> bool:
    client.delete_subnet(**params)
    return True


# ---- internet gateway ----


@EC2NetworkErrorHandler.common_error_handler("create internet gateway")
@_retry()
def create_internet_gateway(client, **params: Any) -> str:
    return client.create_internet_gateway(**params)["InternetGateway"]["InternetGatewayId"]


@EC2NetworkErrorHandler.common_error_handler("attach internet gateway")
@_retry("InvalidInternetGatewayID.NotFound", "InvalidVpcID.NotFound")
def attach_internet_gateway(client, **params: Any) -> bool:
    client.attach_internet_gateway(**params)
    return True


@EC2NetworkErrorHandler.deletion_error_handler("detach internet gateway")
@_retry_briefly("DependencyViolation")
def detach_internet_gateway(client, **params: Any) -> bool:
    client.detach_internet_gateway(**params)
    return True


@EC2NetworkErrorHandler.deletion_error_handler("delete internet gateway")
@_retry_briefly("DependencyViolation")
def delete_internet_gateway(client, **params: Any) -> bool:
    client.delete_internet_gateway(**params)
    return True


# ---- Elastic IPs and NAT gateways ----


@EC2NetworkErrorHandler.common_error_handler("allocate address")
@_retry()
def allocate_address(client, **params: Any) -> str:
    return client.allocate_address(**params)["AllocationId"]


@EC2NetworkErrorHandler.deletion_error_handler("release address")
@_retry_briefly("InvalidIPAddress.InUse")
def release_address(client, **params: Any) -> bool:
    client.release_address(**params)
    return True


@EC2NetworkErrorHandler.common_error_handler("create nat gateway")
@_retry("InvalidSubnetID.NotFound", "InvalidAllocationID.NotFound", "InvalidElasticIpID.NotFound")
def create_nat_gateway(client, **params: Any) -> Dict[str, Any]:
    return client.create_nat_gateway(**params)["NatGateway"]


@EC2NetworkErrorHandler.deletion_error_handler("delete nat gateway")
@_retry()
def delete_nat_gateway(client, **params: Any) -> bool:
    client.delete_nat_gateway(**params)
    return True


@EC2NetworkErrorHandler.common_error_handler("wait for the NAT gateways to become available")
def wait_nat_gateways_available(client, nat_gateway_ids: List[str], timeout: int) -> bool:
    _wait(client, "nat_gateway_available", nat_gateway_ids, timeout)
    return True


@EC2NetworkErrorHandler.common_error_handler("wait for the NAT gateways to be deleted")
def wait_nat_gateways_deleted(client, nat_gateway_ids: List[str], timeout: int) -> bool:
    _wait(client, "nat_gateway_deleted", nat_gateway_ids, timeout)
    return True


def _wait(client, waiter: str, nat_gateway_ids: List[str], timeout: int) -> None:
    attempts = max(1, -(-int(timeout) // NAT_POLL_DELAY))
    client.get_waiter(waiter).wait(
        NatGatewayIds=list(nat_gateway_ids), WaiterConfig={"Delay": NAT_POLL_DELAY, "MaxAttempts": attempts}
    )


# ---- route tables and routes ----


@EC2NetworkErrorHandler.common_error_handler("create route table")
@_retry("InvalidVpcID.NotFound")
def create_route_table(client, **params: Any) -> str:
    return client.create_route_table(**params)["RouteTable"]["RouteTableId"]


@EC2NetworkErrorHandler.common_error_handler("associate route table")
@_retry("InvalidRouteTableID.NotFound", "InvalidSubnetID.NotFound")
def associate_route_table(client, **params: Any) -> str:
    return client.associate_route_table(**params)["AssociationId"]


@EC2NetworkErrorHandler.common_error_handler("replace route table association")
@_retry("InvalidRouteTableID.NotFound")
def replace_route_table_association(client, **params: Any) -> str:
    return client.replace_route_table_association(**params)["NewAssociationId"]


@EC2NetworkErrorHandler.deletion_error_handler("disassociate route table")
@_retry()
def disassociate_route_table(client, **params: Any) -> bool:
    client.disassociate_route_table(**params)
    return True


@EC2NetworkErrorHandler.deletion_error_handler("delete route table")
@_retry_briefly("DependencyViolation")
def delete_route_table(client, **params: Any) -> bool:
    client.delete_route_table(**params)
    return True


@EC2NetworkErrorHandler.common_error_handler("create route")
@_retry("InvalidRouteTableID.NotFound", "InvalidGatewayID.NotFound", "InvalidNatGatewayID.NotFound")
def create_route(client, **params: Any) -> bool:
    client.create_route(**params)
    return True


@EC2NetworkErrorHandler.common_error_handler("replace route")
@_retry("InvalidGatewayID.NotFound", "InvalidNatGatewayID.NotFound")
def replace_route(client, **params: Any) -> bool:
    client.replace_route(**params)
    return True


@EC2NetworkErrorHandler.deletion_error_handler("delete route")
@_retry()
def delete_route(client, **params: Any) -> bool:
    client.delete_route(**params)
    return True


# ---- default security group ----


@EC2NetworkErrorHandler.common_error_handler("revoke security group ingress")
@_retry()
def revoke_security_group_ingress(client, **params: Any) -> bool:
    client.revoke_security_group_ingress(**params)
    return True


@EC2NetworkErrorHandler.common_error_handler("revoke security group egress")
@_retry()
def revoke_security_group_egress(client, **params: Any) -> bool:
    client.revoke_security_group_egress(**params)
    return True


# ---- gateway endpoints ----


@EC2NetworkErrorHandler.common_error_handler("create vpc endpoint")
@_retry("InvalidVpcID.NotFound", "InvalidRouteTableId.NotFound", "InvalidRouteTableID.NotFound")
def create_vpc_endpoint(client, **params: Any) -> Dict[str, Any]:
    return client.create_vpc_endpoint(**params)["VpcEndpoint"]


@EC2NetworkErrorHandler.common_error_handler("modify vpc endpoint")
@_retry("InvalidRouteTableId.NotFound", "InvalidRouteTableID.NotFound")
def modify_vpc_endpoint(client, **params: Any) -> bool:
    client.modify_vpc_endpoint(**params)
    return True


@EC2NetworkErrorHandler.deletion_error_handler("delete vpc endpoints")
@_retry()
def delete_vpc_endpoints(client, **params: Any) -> bool:
    unsuccessful = client.delete_vpc_endpoints(**params).get("Unsuccessful") or []
    failed = [u for u in unsuccessful if "NotFound" not in u.get("Error", {}).get("Code", "")]
    if failed:
        messages = "; ".join(
            f"{u.get('ResourceId')}: {u.get('Error', {}).get('Code')} {u.get('Error', {}).get('Message', '')}"
            for u in failed
        )
        raise AnsibleEC2Error(message=f"Failed to delete vpc endpoints: {messages}")
    return True


# ---- tags ----


@EC2NetworkErrorHandler.common_error_handler("tag resources")
@_retry()
def create_tags(client, **params: Any) -> bool:
    client.create_tags(**params)
    return True


@EC2NetworkErrorHandler.common_error_handler("untag resources")
@_retry()
def delete_tags(client, **params: Any) -> bool:
    client.delete_tags(**params)
    return True


# ---- the pure parts, re-exported ----

ENDPOINT_SERVICES = _validation.ENDPOINT_SERVICES
NAT_TOPOLOGIES = _validation.NAT_TOPOLOGIES
TIER_TYPES = _validation.TIER_TYPES
input_errors = _validation.input_errors
region_errors = _validation.region_errors

PlanError = _planner.PlanError
Ref = _planner.Ref
Token = _planner.Token
NAT_ALIVE = _planner.NAT_ALIVE
actions = _planner.actions
client_token = _planner.client_token
default_security_group_steps = _planner.default_security_group_steps
desired_network = _planner.desired_network
empty_current = _planner.empty_current
identity = _planner.identity
keeper_vpc_id = _planner.keeper_vpc_id
plan_absent = _planner.plan_absent
plan_present = _planner.plan_present
resolve = _planner.resolve
tags_of = _planner.tags_of
token_generation_key = _planner.token_generation_key

ALREADY = _recovery.ALREADY
UNTOKENED = _recovery.UNTOKENED
UNTOKENED_WORDS = _recovery.WORDS
created_name = _recovery.created_name
database_subnets = _recovery.database_subnets
fresh_duplicates = _recovery.fresh_duplicates
lost_create_outcome = _recovery.lost_create_outcome

network_view = _view.network_view
desired_view = _view.desired_view
outputs = _view.outputs
empty_outputs = _view.empty_outputs
dependency_message = _view.dependency_message
