#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: vpc_network
version_added: 0.1.0
short_description: Converge a VPC and everything in it (subnets, gateways, route tables, endpoints) in one run
description:
  - Creates, updates or removes in one run a VPC and the network inside it, the way a tiered web platform needs it
    - one subnet per subnet tier and availability zone, an internet gateway, one Elastic IP and NAT gateway per AZ (or
    a single one, or none), one route table per subnet with exactly the routes of its tier, the default security
    group stripped of every rule, and gateway endpoints for S3 and DynamoDB on every route table.
  - Routing by tier type. V(public) subnets route C(0.0.0.0/0) to the internet gateway; V(private) subnets to the
    NAT gateway of their AZ (or the single one); V(isolated) subnets nowhere. Every other route the module finds in
    its route tables is removed, except the local route, the gateway endpoints' prefix-list routes and propagated
    routes.
  - Names. The VPC is named O(name); a subnet V(<name>-<tier>-<az>) (and tagged C(atelier:tier=<tier>)); its route
    table V(<name>-<tier>-<az>-rt) (also tagged C(atelier:tier)); the internet gateway V(<name>-igw); the NAT gateway
    of an AZ and its Elastic IP V(<name>-nat-<az>); the default security group V(<name>-default); an endpoint
    V(<name>-s3) or V(<name>-dynamodb). Every resource also carries O(tags).
  - Identity. A resource is the network's when it carries the Name above and the ownership tags C(atelier:env) and
    C(atelier:stack) found in O(tags) (when O(tags) has neither, the Name alone). Inside the VPC a subnet is found by
    its CIDR (AWS keeps them unique in a VPC); a subnet or route table the module made and the plan no longer has
    (it carries C(atelier:tier) and the ownership tags) is removed.
  - No duplicates, even when a create response is lost. Everything is tagged at creation, so what a lost response
    left behind carries the identity and the next run adopts it. C(CreateNatGateway), C(CreateRouteTable) and
    C(CreateVpcEndpoint) get an idempotency token derived from the resource's Name and the ids of what it is made in,
    so a retried create returns the first resource. Empty duplicates are deleted (a second VPC holding nothing, a
    detached internet gateway, an unassociated Elastic IP or route table, a second endpoint of a service); nothing in
    use is touched. Two VPCs that both carry the identity and hold resources stop the run with a message listing
    them.
  - A lost response within the run. The retry of a create AWS had applied (botocore's, or the retry decorator's)
    makes no duplicate that outlives the run and does not fail it - a C(CreateVpc), C(CreateInternetGateway) or
    C(AllocateAddress) without a token is followed by one describe call, and a second resource of the same Name and
    ownership tags, unused and not there when the run started, is deleted at once; a retry AWS answers with
    C(InvalidSubnet.Conflict), C(Resource.AlreadyAssociated), C(RouteAlreadyExists) or C(InvalidPermission.NotFound)
    is checked with one describe call and, when the first request did what the step wanted (the subnet of that CIDR
    and Name, the gateway attached, the association or route in place), the run carries on (a route to another
    target is replaced).
  - This module fills the gaps of the amazon.aws modules it replaces (C(ec2_vpc_net), C(ec2_vpc_subnet),
    C(ec2_vpc_igw), C(ec2_eip), C(ec2_vpc_nat_gateway), C(ec2_vpc_route_table), C(ec2_security_group),
    C(ec2_vpc_endpoint)). Used together, one module run per resource costs about 25 runs and 240 API calls for a
    no-op of a two-AZ network; C(ec2_vpc_route_table) sleeps 5 s after each changed table; a lost create response
    leaves a duplicate VPC or route table that blocks every later run (C(multi_ok), C(lookup=tag)) or a second
    internet gateway, Elastic IP or endpoint that leaks silently. A no-op run of this module makes 11 describe calls
    and no other.
  - Every option is checked before any AWS call (CIDRs, overlapping or out-of-VPC subnets, the number of AZs, tier
    names and types, NAT topology against the tiers); the AZs are then checked against the region with one
    C(DescribeAvailabilityZones), still before any change.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The Name of the VPC and the prefix of every other resource's Name.
    required: true
    type: str
  state:
    description:
      - Whether the network should exist.
      - V(absent) removes, in dependency order, what carries the identity (but what O(keep_subnets) keeps) - gateway endpoints; NAT gateways (waiting
        until they are deleted, whatever O(wait) says, since their Elastic IPs and subnets can only go then); the NAT
        gateways' Elastic IPs; route tables; the internet gateway (detached, then deleted); subnets; the VPC. What is
        already gone is skipped. When AWS refuses because something else still uses a subnet or the VPC, the module
        fails with the network interfaces (or security groups) that still use it.
    default: present
    choices: [present, absent]
    type: str
  cidr_block:
    description:
      - The IPv4 CIDR block of the VPC, V(/16) to V(/28). Required with O(state=present).
      - AWS can't change the CIDR of a VPC; a different one for an existing VPC is refused.
    type: str
  tiers:
    description:
      - The subnet tiers, in order. Required with O(state=present).
    type: list
    elements: dict
    suboptions:
      name:
        description: The tier name (in subnet and route table Names and the C(atelier:tier) tag).
        type: str
        required: true
      type:
        description: V(public) routes to the internet gateway, V(private) to a NAT gateway, V(isolated) nowhere.
        type: str
        required: true
        choices: [public, private, isolated]
  subnets:
    description:
      - An explicit subnet plan, tier name -> list of C({az, cidr}), one subnet per AZ, every tier over the same AZs,
        inside O(cidr_block) and not overlapping.
      - When not set, the plan is carved from O(cidr_block) with O(newbits), O(tier_stride) and O(offset).
    type: dict
  newbits:
    description:
      - Carving - how many bits to add to the VPC prefix length for each subnet (8 turns a /16 into /24s).
    type: int
    default: 8
  tier_stride:
    description:
      - Carving - the distance in network numbers between the first subnets of two consecutive tiers.
      - The subnet of tier C(i) in AZ C(j) is network number C(offset + i * tier_stride + j).
    type: int
    default: 10
  offset:
    description:
      - Carving - the network number of the first tier's first subnet.
    type: int
    default: 1
  azs:
    description:
      - The availability zones, in order. When not set, the explicit plan's AZs, else the first O(az_count) available
        AZs of the region (in name order).
    type: list
    elements: str
  az_count:
    description:
      - How many availability zones the network spans, at least 2. Defaults to the number of O(azs) or of the plan's
        AZs, else 2.
      - A region with fewer available AZs is refused.
    type: int
  nat_topology:
    description:
      - V(one_per_az) - one NAT gateway in each AZ, each private subnet routes through its own AZ's.
      - V(single) - one NAT gateway in the first AZ for every private subnet.
      - V(none) - no NAT gateway; private subnets have no route out of the VPC.
      - NAT gateways are placed in the subnets of the first tier of type V(public).
    type: str
    default: one_per_az
    choices: [one_per_az, single, none]
  dns_support:
    description: Whether DNS resolution is enabled in the VPC.
    type: bool
    default: true
  dns_hostnames:
    description: Whether instances get DNS hostnames.
    type: bool
    default: true
  endpoints:
    description:
      - The gateway endpoints, by service short name, attached to every route table of the network.
      - Endpoints of the network for services not listed are deleted.
    type: list
    elements: str
    choices: [s3, dynamodb]
    default: []
  wait:
    description:
      - Whether to wait for new NAT gateways to become available before routing the private subnets to them. With
        V(false) the routes point at the pending NAT gateways at once.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for NAT gateways to become available or deleted.
    type: int
    default: 600
  keep_subnets:
    description:
      - With O(state=absent), the subnets to keep because data still needs them, by id, each with why (for example
        the subnets of a kept database's DB subnet group - M(amazon.aws.rds_instance_info) gives them). The module
        keeps those of the network, the route tables associated with them (stripped of their routes to the internet
        gateway and the NAT gateways, which go) and the VPC that holds them (with its default security group and main
        route table), removes everything else, and lists what it kept in RV(kept). Ids of subnets that are not the
        network's are ignored.
    type: dict
    default: {}
attributes:
  check_mode:
    description:
      - Makes the same describe calls and no other; returns RV(actions) and the ids known.
    support: full
  diff_mode:
    description:
      - Returns the normalised network (by Name - subnets, route tables with their routes, NAT gateways,
        endpoints, VPC settings and tags) before and after.
    support: full
notes:
  - The O(tags) are set on every resource; O(purge_tags) removes other tags (not C(aws:) ones). O(tags) must not set
    C(Name) or C(atelier:tier), which the module sets itself. Put the ownership tags C(atelier:env) and
    C(atelier:stack) in O(tags) so that two stacks with the same Name in one account never adopt each other's
    resources.
  - A token AWS has seen returns its first result for at least 24 hours, even after the resource is deleted. The
    tokens include the ids of the VPC, subnet and Elastic IP a resource is made in, so a network removed and made
    again gets new ones. What a token create answers is looked up by its id (one describe call, retried for a few
    seconds while AWS catches up); when it is not there or deleted (a route table or endpoint of the same Name made
    again in the same place within a day), or when AWS answers C(IdempotentParameterMismatch), the create is made
    again with the token's next generation. A NAT gateway that AWS answers as failed fails the run with its failure
    message.
  - Route changes need no sleep; the module waits only for NAT gateways.
seealso:
  - module: atelier.infra.ec2_vpc_flow_log
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: The goal-tracker system's network - 10.0.0.0/16 over 2 AZs, four tiers, one NAT gateway per AZ, S3 and DynamoDB endpoints
  atelier.infra.vpc_network:
    name: prod-atelier
    cidr_block: 10.0.0.0/16
    az_count: 2
    tiers:
      - {name: public, type: public}
      - {name: frontend, type: private}
      - {name: backend, type: private}
      - {name: database, type: isolated}
    endpoints: [s3, dynamodb]
    tags:
      atelier:env: prod
      atelier:stack: atelier
  register: network

- name: A /20 over three named AZs with one NAT gateway and an explicit plan
  atelier.infra.vpc_network:
    name: dev-shop
    cidr_block: 10.20.0.0/20
    tiers:
      - {name: public, type: public}
      - {name: app, type: private}
    subnets:
      public:
        - {az: eu-west-1a, cidr: 10.20.0.0/24}
        - {az: eu-west-1b, cidr: 10.20.1.0/24}
        - {az: eu-west-1c, cidr: 10.20.2.0/24}
      app:
        - {az: eu-west-1a, cidr: 10.20.4.0/24}
        - {az: eu-west-1b, cidr: 10.20.5.0/24}
        - {az: eu-west-1c, cidr: 10.20.6.0/24}
    nat_topology: single
    tags:
      atelier:env: dev
      atelier:stack: shop

- name: Show what the run would do
  atelier.infra.vpc_network:
    name: prod-atelier
    cidr_block: 10.0.0.0/16
    tiers: "{{ tiers }}"
    tags: "{{ tags }}"
  check_mode: true
  register: plan

- name: Remove the network
  atelier.infra.vpc_network:
    name: prod-atelier
    state: absent
    tags:
      atelier:env: prod
      atelier:stack: atelier
"""

RETURN = r"""
actions:
  description: What the run did, or would do in check mode, in order.
  returned: always
  type: list
  elements: str
  sample:
    - create vpc prod-atelier 10.0.0.0/16
    - "update vpc prod-atelier: DNS hostnames on"
    - create subnet prod-atelier-public-us-east-1a 10.0.1.0/24
    - create NAT gateway prod-atelier-nat-us-east-1a in subnet prod-atelier-public-us-east-1a
    - create route 0.0.0.0/0 -> NAT gateway prod-atelier-nat-us-east-1a in route table prod-atelier-frontend-us-east-1a-rt
vpc:
  description: The VPC; C(id) is null in check mode when it would be created. Empty with O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: The VPC id.
      type: str
      sample: vpc-0123456789abcdef0
    cidr:
      description: The VPC CIDR block.
      type: str
      sample: 10.0.0.0/16
    name:
      description: The VPC's Name.
      type: str
      sample: prod-atelier
azs:
  description: The availability zones of the network, in order.
  returned: always
  type: list
  elements: str
  sample: [us-east-1a, us-east-1b]
subnets:
  description: The subnets, tier by tier, AZ by AZ; C(id) null for what check mode would create.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The subnet id.
      type: str
    tier:
      description: The subnet tier.
      type: str
    az:
      description: The availability zone.
      type: str
    cidr:
      description: The CIDR block.
      type: str
    name:
      description: The subnet's Name.
      type: str
  sample:
    - {id: subnet-0123456789abcdef0, tier: public, az: us-east-1a, cidr: 10.0.1.0/24, name: prod-atelier-public-us-east-1a}
subnets_by_tier:
  description: "The subnets by tier, as C({tier: [{id, az, cidr}]})."
  returned: always
  type: dict
  sample: {public: [{id: subnet-0123456789abcdef0, az: us-east-1a, cidr: 10.0.1.0/24}]}
internet_gateway_id:
  description: The internet gateway's id; null without a public tier or in check mode when it would be created.
  returned: always
  type: str
  sample: igw-0123456789abcdef0
nat_gateways:
  description: The NAT gateway of each AZ that has one.
  returned: always
  type: dict
  sample: {us-east-1a: nat-0123456789abcdef0, us-east-1b: nat-0fedcba9876543210}
route_tables:
  description: The route table of each subnet.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The route table id.
      type: str
    name:
      description: The route table's Name.
      type: str
    tier:
      description: The subnet tier.
      type: str
    az:
      description: The availability zone.
      type: str
    subnet_id:
      description: The subnet it is associated with.
      type: str
endpoints:
  description: The gateway endpoint of each service of O(endpoints).
  returned: always
  type: dict
  sample: {s3: vpce-0123456789abcdef0, dynamodb: vpce-0fedcba9876543210}
kept:
  description: With O(state=absent), what the removal kept because O(keep_subnets) needs it, and why (empty otherwise).
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: V(subnet), V(route table) or V(vpc).
      type: str
    id:
      description: Its id.
      type: str
    name:
      description: Its Name.
      type: str
    reason:
      description: Why it was kept.
      type: str
  sample:
    - {kind: subnet, id: subnet-0123456789abcdef0, name: dev-shop-database-us-east-1a,
       reason: "10.0.31.0/24, in the DB subnet group dev-shop-postgres of the DB instance dev-shop-postgres"}
    - {kind: route table, id: rtb-0123456789abcdef0, name: dev-shop-database-us-east-1a-rt,
       reason: routes the kept subnet dev-shop-database-us-east-1a}
    - {kind: vpc, id: vpc-0123456789abcdef0, name: dev-shop, reason: holds the kept subnet dev-shop-database-us-east-1a}
diff:
  description: The normalised network before and after.
  returned: when run with C(--diff)
  type: dict
  contains:
    before:
      description: The network as it was, empty when there was none.
      type: dict
    after:
      description: The network as it is (in check mode, as it would be); empty when it was removed.
      type: dict
"""

import time
from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils import ec2_network
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import PlanError
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import actions
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import default_security_group_steps
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import dependency_message
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import desired_network
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import desired_view
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import empty_current
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import empty_outputs
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import identity
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import input_errors
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import keeper_vpc_id
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import network_view
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import outputs
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import plan_absent
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import plan_present
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import region_errors
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import resolve
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import tags_of
from ansible_collections.atelier.infra.plugins.module_utils.ec2_network import token_generation_key

# A token AWS answered with a dead resource is tried again with the next generation, this many times in all.
TOKEN_GENERATIONS = 3
# A resource made with a token is looked up by its id (AWS may take a few seconds to show it) before it is used: a
# token AWS answers with a resource deleted since (for at least 24 hours AWS answers a token with the first result)
# is then replaced by the token's next generation.
VERIFY_ATTEMPTS = 6
VERIFY_DELAY = 2
# The lookup by id and the id of what each token create makes.
MADE_WITH_TOKEN = {
    "create_nat_gateway": ("describe_nat_gateways", "NatGatewayIds", "NatGatewayId"),
    "create_route_table": ("describe_route_tables", "RouteTableIds", "RouteTableId"),
    "create_vpc_endpoint": ("describe_vpc_endpoints", "VpcEndpointIds", "VpcEndpointId"),
}
# What AWS may answer a token with when the resource it made first is gone since.
GONE = ("deleting", "deleted")
# Where read_current keeps the resources of each untokened create (what was there before the run).
CURRENT_KEYS = {"create_vpc": "vpcs", "create_internet_gateway": "internet_gateways", "allocate_address": "addresses"}


def error_code(error: AnsibleEC2Error) -> str:
    """The AWS error code behind an AnsibleEC2Error ("" when there is none)."""
    response = getattr(error.exception, "response", None) or {}
    return response.get("Error", {}).get("Code", "")


def fail_with_problems(module: AnsibleAWSModule, problems: List[str]) -> None:
    if len(problems) == 1:
        msg = problems[0]
    else:
        msg = f"{len(problems)} problems: " + " ".join(f"({n}) {p}" for n, p in enumerate(problems, 1))
    module.fail_json(msg=msg, problems=problems, changed=False, actions=[])


def _filters(**named: Any) -> List[Dict[str, Any]]:
    return [{"Name": key, "Values": value if isinstance(value, list) else [value]} for key, value in named.items()]


def identity_filters(network: Dict[str, Any], names: List[str]) -> List[Dict[str, Any]]:
    """Describe filters selecting resources by Name and the ownership tags."""
    filters = [{"Name": "tag:Name", "Values": list(names)}]
    filters += [{"Name": f"tag:{key}", "Values": [value]} for key, value in sorted(network["owner"].items())]
    return filters


def read_region_azs(module: AnsibleAWSModule, client) -> List[str]:
    try:
        zones = ec2_network.describe_availability_zones(
            client, Filters=_filters(**{"state": "available", "zone-type": "availability-zone"})
        )
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    return sorted(z["ZoneName"] for z in zones)


def read_current(module: AnsibleAWSModule, client, network: Dict[str, Any], present: bool) -> Dict[str, Any]:
    """Everything the plan needs, in at most 11 describe calls: the VPCs carrying the identity, what is in them, the
    internet gateway and Elastic IPs by their tags, and (present) the DNS settings of the VPC to converge."""
    current = empty_current()
    try:
        current["vpcs"] = ec2_network.describe_vpcs(client, Filters=identity_filters(network, [network["name"]]))
        current["internet_gateways"] = ec2_network.describe_internet_gateways(
            client, Filters=identity_filters(network, [network["names"]["internet_gateway"]])
        )
        current["addresses"] = ec2_network.describe_addresses(
            client, Filters=identity_filters(network, sorted(network["nat_names"]))
        )
        vpc_ids = [v["VpcId"] for v in current["vpcs"]]
        if vpc_ids:
            in_vpcs = _filters(**{"vpc-id": vpc_ids})
            current["subnets"] = ec2_network.describe_subnets(client, Filters=in_vpcs)
            current["route_tables"] = ec2_network.describe_route_tables(client, Filters=in_vpcs)
            current["security_groups"] = ec2_network.describe_security_groups(client, Filters=in_vpcs)
            current["endpoints"] = ec2_network.describe_vpc_endpoints(client, Filters=in_vpcs)
            current["nat_gateways"] = ec2_network.describe_nat_gateways(client, Filter=in_vpcs)
        if present and vpc_ids:
            try:
                keeper = keeper_vpc_id(network, current)
            except PlanError as e:
                module.fail_json(msg=e.message, changed=False, actions=[])
            if keeper:
                current["dns"] = {
                    "support": ec2_network.describe_vpc_attribute(client, keeper, "enableDnsSupport"),
                    "hostnames": ec2_network.describe_vpc_attribute(client, keeper, "enableDnsHostnames"),
                }
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    return current


class Runner:
    """Runs a plan's steps in order, resolving the ids of what earlier steps made."""

    def __init__(self, module: AnsibleAWSModule, client, network: Dict[str, Any], current: Dict[str, Any] = None):
        self.module = module
        self.client = client
        self.network = network
        self.current = current or {}
        self.refs: Dict[Any, Any] = {}
        self.done: List[str] = []

    def run(self, steps: List[Dict[str, Any]]) -> None:
        for step in steps:
            try:
                self.run_step(step)
            except AnsibleEC2Error as e:
                self.fail(step, e)
            self.done.extend(step["actions"])

    def run_step(self, step: Dict[str, Any]) -> None:
        call, params = step["call"], resolve(step["params"], self.refs)
        timeout = self.module.params["wait_timeout"]
        if call == "converge_default_security_group":
            self.converge_default_security_group(params["VpcId"])
        elif call == "wait_nat_gateways_available":
            try:
                ec2_network.wait_nat_gateways_available(self.client, params["NatGatewayIds"], timeout)
            except AnsibleEC2Error as e:
                self.fail_nat_wait(step, e, params["NatGatewayIds"])
        elif call == "wait_nat_gateways_deleted":
            ec2_network.wait_nat_gateways_deleted(self.client, params["NatGatewayIds"], timeout)
        elif step["token"] is not None:
            self.create_with_token(step, params)
        else:
            try:
                made = getattr(ec2_network, call)(self.client, **params)
            except AnsibleEC2Error as e:
                if ec2_network.ALREADY.get(call) != error_code(e):
                    raise
                made = self.after_lost_response(step, params, e)
            if call in ec2_network.UNTOKENED:
                self.remove_fresh_duplicates(call, params, made)
            if step["ref"]:
                self.refs[step["ref"]] = made

    def after_lost_response(self, step: Dict[str, Any], params: Dict[str, Any], error: AnsibleEC2Error):
        """AWS answered that what the step makes is there already: the first request of a retried call was applied
        and its answer lost. Look at what is there, carry on with it when it is what the step wanted (the subnet made,
        the gateway attached, the association or route in place), replace a route to another target; else the error
        stands. Returns the made resource's id (for a subnet) or None."""
        call = step["call"]
        if call == "create_subnet":
            found = ec2_network.describe_subnets(
                self.client, Filters=_filters(**{"vpc-id": params["VpcId"], "cidr-block": params["CidrBlock"]})
            )
        elif call == "attach_internet_gateway":
            found = ec2_network.describe_internet_gateways(
                self.client, InternetGatewayIds=[params["InternetGatewayId"]]
            )
        elif call == "associate_route_table":
            found = ec2_network.describe_route_tables(
                self.client, Filters=_filters(**{"association.subnet-id": params["SubnetId"]})
            )
        elif call == "create_route":
            found = ec2_network.describe_route_tables(self.client, RouteTableIds=[params["RouteTableId"]])
        else:
            found = []
        outcome = ec2_network.lost_create_outcome(call, params, found, self.network["owner"])
        if outcome is None:
            raise error
        if outcome[0] == "replace":
            ec2_network.replace_route(self.client, **params)
        return outcome[1]

    def remove_fresh_duplicates(self, call: str, params: Dict[str, Any], made: str) -> None:
        """After a create without an idempotency token (CreateVpc, CreateInternetGateway, AllocateAddress): a retry
        of it (botocore's or the retry decorator's, after a lost response) made one more of the same Name. Delete
        what carries the Name and the ownership tags, is not the answer, was not there when the run started and is
        unused; a duplicate AWS will not delete yet is left to the next run, which deletes empty duplicates."""
        describe, key, delete = ec2_network.UNTOKENED[call]
        known = {r.get(key) for r in self.current.get(CURRENT_KEYS[call], [])}
        found = getattr(ec2_network, describe)(
            self.client, Filters=identity_filters(self.network, [ec2_network.created_name(params)])
        )
        for duplicate in ec2_network.fresh_duplicates(call, found, made, known):
            action = f"delete {ec2_network.UNTOKENED_WORDS[call]} {duplicate} (a duplicate a retried create made)"
            try:
                getattr(ec2_network, delete)(self.client, **{key: duplicate})
            except AnsibleEC2Error as e:
                self.module.warn(f"Could not {action}: {e.message}; the next run deletes it.")
                continue
            self.done.append(action)

    def create_with_token(self, step: Dict[str, Any], params: Dict[str, Any]) -> None:
        """A create with an idempotency token. AWS answers a token it has seen with the first result, for at least
        24 hours and even when that resource is deleted since: when the resource made is not there (or is deleting or
        deleted), or when the token was used with other parameters (IdempotentParameterMismatch), the create is made
        again with the token's next generation. A NAT gateway that failed is an error (its failure message says
        why)."""
        token = step["token"]
        key = token_generation_key(token)
        for generation in range(TOKEN_GENERATIONS):
            self.refs[key] = generation
            params["ClientToken"] = resolve(token, self.refs)
            try:
                made = getattr(ec2_network, step["call"])(self.client, **params)
            except AnsibleEC2Error as e:
                if error_code(e) == "IdempotentParameterMismatch":
                    continue
                raise
            made_id = made if isinstance(made, str) else made[MADE_WITH_TOKEN[step["call"]][2]]
            found = self.made_with_token(step["call"], made_id)
            if found is None or str(found.get("State", "")).lower() in GONE:
                continue
            if found.get("State") == "failed":
                raise AnsibleEC2Error(
                    message=f"NAT gateway {made_id} failed: {found.get('FailureCode', '')} "
                    f"{found.get('FailureMessage', '')}".strip()
                )
            self.refs[step["ref"]] = made_id
            return
        raise AnsibleEC2Error(
            message=(
                f"Failed to {step['actions'][0]}: AWS answered {TOKEN_GENERATIONS} idempotency tokens with a deleted "
                "resource or a parameter mismatch"
            )
        )

    def made_with_token(self, call: str, made_id: str):
        """The resource a token create answered with, looked up by its id (None when it does not exist)."""
        describe, ids, _key = MADE_WITH_TOKEN[call]
        for attempt in range(VERIFY_ATTEMPTS):
            found = getattr(ec2_network, describe)(self.client, **{ids: [made_id]})
            if found:
                return found[0]
            if attempt + 1 < VERIFY_ATTEMPTS:
                time.sleep(VERIFY_DELAY)
        return None

    def converge_default_security_group(self, vpc_id: str) -> None:
        """Strip and tag the default security group of a VPC made in this run (read once it exists)."""
        groups = ec2_network.describe_security_groups(
            self.client, Filters=_filters(**{"vpc-id": vpc_id, "group-name": "default"})
        )
        name = self.network["names"]["default_security_group"]
        tags = dict(self.network["tags"], Name=name)
        for group in groups:
            for _kind, _action, call, params in default_security_group_steps(
                group, name, tags, self.network["purge_tags"]
            ):
                try:
                    getattr(ec2_network, call)(self.client, **params)
                except AnsibleEC2Error as e:
                    if ec2_network.ALREADY.get(call) != error_code(e):  # a retried revoke: the rules are gone
                        raise

    def fail_nat_wait(self, step: Dict[str, Any], error: AnsibleEC2Error, nat_ids: List[str]) -> None:
        nats = ec2_network.describe_nat_gateways(self.client, NatGatewayIds=nat_ids)
        failed = [
            f"{n['NatGatewayId']} ({tags_of(n).get('Name')}) is {n.get('State')}: {n.get('FailureCode', '')} "
            f"{n.get('FailureMessage', '')}".strip()
            for n in nats
            if n.get("State") != "available"
        ]
        self.fail(step, error, f"The NAT gateways did not become available: {'; '.join(failed) or error.message}")

    def fail(self, step: Dict[str, Any], error: AnsibleEC2Error, msg: str = None) -> None:
        result = dict(changed=bool(self.done), actions=self.done, failed_action=(step["actions"] or [step["call"]])[0])
        if (
            msg is None
            and step["call"] in ("delete_subnet", "delete_vpc")
            and error_code(error) == "DependencyViolation"
        ):
            msg = self.dependency_message(step)
        if msg is None:
            msg = f"{error.message} ({result['failed_action']})"
        if error.exception is not None:
            self.module.fail_json_aws(error.exception, msg=msg, **result)
        self.module.fail_json(msg=msg, **result)

    def dependency_message(self, step: Dict[str, Any]) -> str:
        params = step["params"]
        if step["call"] == "delete_subnet":
            where, what = _filters(**{"subnet-id": params["SubnetId"]}), "subnet"
        else:
            where, what = _filters(**{"vpc-id": params["VpcId"]}), "vpc"
        label = (
            step["actions"][0].split(" ", 2)[-1] if step["actions"] else params.get("SubnetId") or params.get("VpcId")
        )
        interfaces = ec2_network.describe_network_interfaces(self.client, Filters=where)
        others = []
        if what == "vpc" and not interfaces:
            for group in ec2_network.describe_security_groups(self.client, Filters=where):
                if group.get("GroupName") != "default":
                    others.append(f"security group {group['GroupId']} ({group.get('GroupName')})")
            for subnet in ec2_network.describe_subnets(self.client, Filters=where):
                others.append(f"subnet {subnet['SubnetId']} ({tags_of(subnet).get('Name', subnet.get('CidrBlock'))})")
        return dependency_message(what, label, interfaces, others)


def exit_with(module: AnsibleAWSModule, changed: bool, done: List[str], before, after, result) -> None:
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    module.exit_json(changed=changed, actions=done, **result)


def ensure_present(module: AnsibleAWSModule, client, region: str, region_azs: List[str]) -> None:
    problems = region_errors(module.params, region, region_azs)
    if problems:
        fail_with_problems(module, problems)
    network = desired_network(module.params, region, region_azs)
    current = read_current(module, client, network, present=True)
    try:
        steps, layout, warnings = plan_present(network, current)
    except PlanError as e:
        module.fail_json(msg=e.message, changed=False, actions=[])
    for warning in warnings:
        module.warn(warning)
    planned = actions(steps)
    before = network_view(network, current, layout["vpc"] if isinstance(layout["vpc"], str) else None)
    runner = Runner(module, client, network, current)
    if steps and not module.check_mode:
        runner.run(steps)
        planned = planned + [a for a in runner.done if a not in planned]
    result = outputs(network, layout, runner.refs)
    if module.check_mode and planned:
        result["msg"] = f"Would have made {len(planned)} change{'s' if len(planned) > 1 else ''} if not in check mode."
    exit_with(module, bool(planned), planned, before, desired_view(network), result)


def ensure_absent(module: AnsibleAWSModule, client, region: str, region_azs: List[str]) -> None:
    network = identity(module.params, region, region_azs)
    current = read_current(module, client, network, present=False)
    steps, warnings, kept = plan_absent(network, current)
    for warning in warnings:
        module.warn(warning)
    planned = actions(steps)
    vpc_ids = sorted(v["VpcId"] for v in current["vpcs"])
    before = network_view(dict(network, subnets=[]), current, vpc_ids[0]) if vpc_ids else {}
    if steps and not module.check_mode:
        Runner(module, client, network, current).run(steps)
    result = dict(empty_outputs(), kept=kept)
    if module.check_mode and planned:
        result["msg"] = f"Would have made {len(planned)} change{'s' if len(planned) > 1 else ''} if not in check mode."
    exit_with(module, bool(planned), planned, before, {}, result)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        cidr_block=dict(type="str"),
        tiers=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                type=dict(type="str", required=True, choices=list(ec2_network.TIER_TYPES)),
            ),
        ),
        subnets=dict(type="dict"),
        newbits=dict(type="int", default=8),
        tier_stride=dict(type="int", default=10),
        offset=dict(type="int", default=1),
        azs=dict(type="list", elements="str"),
        az_count=dict(type="int"),
        nat_topology=dict(type="str", default="one_per_az", choices=list(ec2_network.NAT_TOPOLOGIES)),
        dns_support=dict(type="bool", default=True),
        dns_hostnames=dict(type="bool", default=True),
        endpoints=dict(type="list", elements="str", default=[], choices=list(ec2_network.ENDPOINT_SERVICES)),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
        keep_subnets=dict(type="dict", default={}),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["cidr_block", "tiers"])],
        supports_check_mode=True,
    )
    present = module.params["state"] == "present"
    problems = input_errors(module.params, absent=not present)
    if problems:
        fail_with_problems(module, problems)

    client = module.client("ec2")
    region_azs = read_region_azs(module, client)
    if present:
        ensure_present(module, client, module.region, region_azs)
    else:
        ensure_absent(module, client, module.region, region_azs)


if __name__ == "__main__":
    main()
