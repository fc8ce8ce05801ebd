# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The vpc_network planner as pure functions: desired network + current state (boto3 shapes) -> steps.
No mock, no AWS."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import ec2_network
from ansible_collections.atelier.infra.plugins.module_utils._vpc_network.planner import managed_route

from tests.unit.plugins.module_utils.test_vpc_network_builders import AZS
from tests.unit.plugins.module_utils.test_vpc_network_builders import OWNER
from tests.unit.plugins.module_utils.test_vpc_network_builders import PREFIX
from tests.unit.plugins.module_utils.test_vpc_network_builders import REGION
from tests.unit.plugins.module_utils.test_vpc_network_builders import REGION_AZS
from tests.unit.plugins.module_utils.test_vpc_network_builders import address
from tests.unit.plugins.module_utils.test_vpc_network_builders import converged
from tests.unit.plugins.module_utils.test_vpc_network_builders import default_group
from tests.unit.plugins.module_utils.test_vpc_network_builders import endpoint
from tests.unit.plugins.module_utils.test_vpc_network_builders import internet_gateway
from tests.unit.plugins.module_utils.test_vpc_network_builders import nat
from tests.unit.plugins.module_utils.test_vpc_network_builders import route
from tests.unit.plugins.module_utils.test_vpc_network_builders import route_table
from tests.unit.plugins.module_utils.test_vpc_network_builders import goal_tracker_params
from tests.unit.plugins.module_utils.test_vpc_network_builders import subnet
from tests.unit.plugins.module_utils.test_vpc_network_builders import tags
from tests.unit.plugins.module_utils.test_vpc_network_builders import vpc

COLD = [
    "create vpc local-atelier 10.0.0.0/16",
    "update vpc local-atelier: DNS hostnames on",
    "create subnet local-atelier-public-us-east-1a 10.0.1.0/24",
    "create subnet local-atelier-public-us-east-1b 10.0.2.0/24",
    "create subnet local-atelier-frontend-us-east-1a 10.0.11.0/24",
    "create subnet local-atelier-frontend-us-east-1b 10.0.12.0/24",
    "create subnet local-atelier-backend-us-east-1a 10.0.21.0/24",
    "create subnet local-atelier-backend-us-east-1b 10.0.22.0/24",
    "create subnet local-atelier-database-us-east-1a 10.0.31.0/24",
    "create subnet local-atelier-database-us-east-1b 10.0.32.0/24",
    "create internet gateway local-atelier-igw",
    "attach internet gateway local-atelier-igw to vpc local-atelier",
    "allocate elastic ip local-atelier-nat-us-east-1a",
    "create NAT gateway local-atelier-nat-us-east-1a in subnet local-atelier-public-us-east-1a",
    "allocate elastic ip local-atelier-nat-us-east-1b",
    "create NAT gateway local-atelier-nat-us-east-1b in subnet local-atelier-public-us-east-1b",
]


def network(**overrides):
    return ec2_network.desired_network(goal_tracker_params(**overrides), REGION, REGION_AZS)


def plan(current, **overrides):
    steps, layout, warnings = ec2_network.plan_present(network(**overrides), current)
    return steps, layout, warnings


def words(current, **overrides):
    return ec2_network.actions(plan(current, **overrides)[0])


def calls(steps, name):
    return [s for s in steps if s["call"] == name]


def empty():
    return ec2_network.empty_current()


# ---- the desired network ----


def test_desired_network_keeps_todays_names_and_plan():
    n = network()
    assert [(d["name"], d["cidr"], d["route_table"]) for d in n["subnets"][:2]] == [
        ("local-atelier-public-us-east-1a", "10.0.1.0/24", "local-atelier-public-us-east-1a-rt"),
        ("local-atelier-public-us-east-1b", "10.0.2.0/24", "local-atelier-public-us-east-1b-rt"),
    ]
    assert n["azs"] == AZS
    assert n["nat_azs"] == AZS
    assert n["internet_gateway"] == "local-atelier-igw"
    assert n["endpoints"] == [("s3", "com.amazonaws.us-east-1.s3"), ("dynamodb", "com.amazonaws.us-east-1.dynamodb")]
    assert n["owner"] == OWNER


@pytest.mark.parametrize(
    "overrides, nat_azs",
    [({"nat_topology": "single"}, ["us-east-1a"]), ({"nat_topology": "none"}, []), ({}, AZS)],
    ids=["single", "none", "one per AZ"],
)
def test_nat_topology(overrides, nat_azs):
    assert network(**overrides)["nat_azs"] == nat_azs


def test_explicit_plan_and_azs_order_the_subnets_by_az():
    subnets = {
        "public": [{"az": "us-east-1c", "cidr": "10.0.3.0/24"}, {"az": "us-east-1a", "cidr": "10.0.1.0/24"}],
        "app": [{"az": "us-east-1a", "cidr": "10.0.11.0/24"}, {"az": "us-east-1c", "cidr": "10.0.13.0/24"}],
    }
    n = network(
        tiers=[{"name": "public", "type": "public"}, {"name": "app", "type": "private"}], subnets=subnets, az_count=None
    )
    assert n["azs"] == ["us-east-1c", "us-east-1a"]
    assert [d["name"] for d in n["subnets"]] == [
        "local-atelier-public-us-east-1c",
        "local-atelier-public-us-east-1a",
        "local-atelier-app-us-east-1c",
        "local-atelier-app-us-east-1a",
    ]


# ---- a cold deploy and a no-op ----


def test_cold_deploy_creates_everything_in_dependency_order():
    steps, layout, warnings = plan(empty())
    done = ec2_network.actions(steps)
    assert done[: len(COLD)] == COLD
    assert warnings == []
    assert len(calls(steps, "create_subnet")) == 8
    assert len(calls(steps, "create_route_table")) == 8
    assert len(calls(steps, "associate_route_table")) == 8
    assert len(calls(steps, "create_vpc_endpoint")) == 2
    # Every private route comes after the wait for the NAT gateways, every public one before it.
    order = [s["call"] for s in steps]
    wait = order.index("wait_nat_gateways_available")
    for index, step in enumerate(steps):
        if step["call"] == "create_route":
            assert ("NatGatewayId" in step["params"]) == (index > wait)
    assert isinstance(layout["vpc"], ec2_network.Ref)


def test_cold_deploy_tags_everything_at_creation():
    steps, _layout, _warnings = plan(empty())
    for step in steps:
        if step["call"].startswith(
            ("create_vpc", "create_subnet", "create_internet", "allocate", "create_nat", "create_route_table")
        ):
            specs = step["params"]["TagSpecifications"]
            assert {t["Key"] for t in specs[0]["Tags"]} >= {"Name", "atelier:env", "atelier:stack"}, step["actions"]
    subnets = calls(steps, "create_subnet")
    assert {t["Key"]: t["Value"] for t in subnets[0]["params"]["TagSpecifications"][0]["Tags"]} == {
        "Name": "local-atelier-public-us-east-1a",
        "atelier:tier": "public",
        **OWNER,
    }


def test_converged_network_is_a_no_op():
    steps, layout, warnings = plan(converged())
    assert steps == []
    assert warnings == []
    assert layout["vpc"] == "vpc-1"
    assert layout["nats"] == {"us-east-1a": "nat-a", "us-east-1b": "nat-b"}


def test_converged_network_views_are_equal():
    """The --diff of a no-op shows no difference: the view of the current network equals the desired view."""
    n = network()
    assert ec2_network.network_view(n, converged(), "vpc-1") == ec2_network.desired_view(n)


def test_outputs_give_todays_vpc_outputs_shape():
    steps, layout, _warnings = plan(converged())
    result = ec2_network.outputs(network(), layout, {})
    assert result["vpc"] == {"id": "vpc-1", "cidr": "10.0.0.0/16", "name": PREFIX}
    assert result["subnets_by_tier"]["database"] == [
        {"id": "subnet-database-a", "az": "us-east-1a", "cidr": "10.0.31.0/24"},
        {"id": "subnet-database-b", "az": "us-east-1b", "cidr": "10.0.32.0/24"},
    ]
    assert result["internet_gateway_id"] == "igw-1"
    assert result["endpoints"] == {"s3": "vpce-s3", "dynamodb": "vpce-dynamodb"}
    assert [t["id"] for t in result["route_tables"]][:2] == ["rtb-public-a", "rtb-public-b"]


def test_check_mode_outputs_have_no_ids_for_what_would_be_created():
    steps, layout, _warnings = plan(empty())
    result = ec2_network.outputs(network(), layout, {})
    assert result["vpc"]["id"] is None
    assert {s["id"] for s in result["subnets"]} == {None}


# ---- adoption and duplicates (what a lost create response leaves) ----


def test_an_empty_duplicate_vpc_is_deleted():
    current = converged()
    current["vpcs"].append(vpc("vpc-2"))
    current["security_groups"].append(default_group("vpc-2"))
    current["route_tables"].append(route_table("rtb-main-2", None, None, vpc_id="vpc-2", main=True))
    assert words(current) == ["delete vpc vpc-2 10.0.0.0/16 (an empty duplicate of local-atelier)"]


def test_the_duplicate_that_holds_resources_is_kept_even_when_it_sorts_second():
    current = converged()
    current["vpcs"].insert(0, vpc("vpc-0"))
    steps, layout, _warnings = plan(current)
    assert layout["vpc"] == "vpc-1"
    assert [s["params"] for s in steps] == [{"VpcId": "vpc-0"}]


def test_two_vpcs_holding_resources_stop_the_plan_with_both_listed():
    current = converged()
    current["vpcs"].append(vpc("vpc-2"))
    current["subnets"].append(subnet("public", "us-east-1a", "10.0.1.0/24", vpc_id="vpc-2", subnet_id="subnet-x"))
    with pytest.raises(ec2_network.PlanError) as raised:
        plan(current)
    message = raised.value.message
    assert "2 VPCs carry the identity of local-atelier" in message
    assert "vpc-1 (10.0.0.0/16: 8 subnets, 8 route tables, 2 endpoints, 2 NAT gateways, 1 internet gateway)" in message
    assert "vpc-2 (10.0.0.0/16: 1 subnet)" in message
    assert "remove the one you do not want" in message


def test_a_vpc_of_another_stack_with_the_same_name_is_not_adopted():
    current = empty()
    current["vpcs"] = [vpc("vpc-9", owner={"atelier:env": "prod", "atelier:stack": "atelier"})]
    assert words(current)[0] == "create vpc local-atelier 10.0.0.0/16"


def test_a_detached_internet_gateway_is_adopted_instead_of_creating_one():
    current = converged()
    current["internet_gateways"] = [internet_gateway("igw-9", vpc_id=None)]
    current["route_tables"] = [t for t in current["route_tables"]]
    done = words(current)
    assert "create internet gateway local-atelier-igw" not in done
    assert done[0] == "attach internet gateway local-atelier-igw to vpc local-atelier"
    assert (
        "replace route 0.0.0.0/0 -> internet gateway local-atelier-igw in route table local-atelier-public-us-east-1a-rt"
        in done
    )


def test_a_detached_duplicate_internet_gateway_is_deleted():
    current = converged()
    current["internet_gateways"].append(internet_gateway("igw-2", vpc_id=None))
    assert words(current) == ["delete internet gateway igw-2 (a detached duplicate of local-atelier-igw)"]


def test_an_internet_gateway_attached_elsewhere_is_left_alone():
    current = converged()
    current["internet_gateways"].append(internet_gateway("igw-2", vpc_id="vpc-other"))
    assert words(current) == []


def test_an_unassociated_duplicate_elastic_ip_is_released_and_an_associated_one_is_not():
    current = converged()
    current["addresses"].append(address("us-east-1a", allocation_id="eipalloc-dup", associated=False))
    other = address("us-east-1b", allocation_id="eipalloc-used")
    other["NetworkInterfaceId"] = "eni-someone"
    current["addresses"].append(other)
    steps, _layout, warnings = plan(current)
    assert ec2_network.actions(steps) == [
        "release elastic ip 198.51.100.97 (eipalloc-dup, an unassociated duplicate of local-atelier-nat-us-east-1a)"
    ]
    assert warnings == [
        "elastic ip 198.51.100.98 (eipalloc-used) carries the Name local-atelier-nat-us-east-1b but is associated with "
        "eni-someone: left alone"
    ]


def test_an_unassociated_elastic_ip_is_adopted_for_a_new_nat_gateway():
    current = converged(nat_azs=[])
    current["addresses"] = [address("us-east-1a", allocation_id="eipalloc-left", associated=False)]
    steps, layout, _warnings = plan(current)
    done = ec2_network.actions(steps)
    assert "allocate elastic ip local-atelier-nat-us-east-1a" not in done
    assert "allocate elastic ip local-atelier-nat-us-east-1b" in done
    nat_a, _nat_b = calls(steps, "create_nat_gateway")
    assert nat_a["params"]["AllocationId"] == "eipalloc-left"
    assert nat_a["params"]["SubnetId"] == "subnet-public-a"


def test_an_unassociated_duplicate_route_table_is_deleted():
    current = converged()
    current["route_tables"].append(route_table("rtb-dup", f"{PREFIX}-public-us-east-1a-rt", "public"))
    assert words(current) == [
        "delete route table rtb-dup (an unassociated duplicate of local-atelier-public-us-east-1a-rt)"
    ]


def test_a_lost_route_table_is_adopted_and_associated():
    current = converged()
    current["route_tables"] = [t for t in current["route_tables"] if t["RouteTableId"] != "rtb-backend-a"]
    current["route_tables"].append(route_table("rtb-lost", f"{PREFIX}-backend-us-east-1a-rt", "backend"))
    for item in current["endpoints"]:
        item["RouteTableIds"] = [t for t in item["RouteTableIds"] if t != "rtb-backend-a"]
    done = words(current)
    assert "create route table local-atelier-backend-us-east-1a-rt" not in done
    assert (
        done[0]
        == "associate route table local-atelier-backend-us-east-1a-rt with subnet local-atelier-backend-us-east-1a"
    )
    assert "update endpoint local-atelier-s3: add 1 route table" in done
    assert (
        "create route 0.0.0.0/0 -> NAT gateway local-atelier-nat-us-east-1a in route table local-atelier-backend-us-east-1a-rt"
        in done
    )


def test_a_subnet_on_a_foreign_route_table_is_moved_to_its_own():
    current = converged()
    for table in current["route_tables"]:
        if table["RouteTableId"] == "rtb-public-a":
            table["Associations"] = []
    current["route_tables"].append(route_table("rtb-foreign", "someone", None, "subnet-public-a", owner={}))
    steps, _layout, _warnings = plan(current)
    (replace,) = calls(steps, "replace_route_table_association")
    assert replace["params"] == {"AssociationId": "rtbassoc-subnet-public-a", "RouteTableId": "rtb-public-a"}


def test_a_duplicate_endpoint_is_deleted_and_an_untagged_one_adopted():
    current = converged()
    current["endpoints"].append(endpoint("s3", endpoint_id="vpce-s3-dup"))
    current["endpoints"][1]["Tags"] = []  # dynamodb: untagged (made by hand)
    done = words(current)
    assert done == [
        "delete endpoint vpce-s3-dup (a duplicate s3 endpoint of local-atelier-s3)",
        "update tags of endpoint local-atelier-dynamodb: set Name, atelier:env, atelier:stack",
    ]


def test_an_endpoint_no_longer_wanted_is_deleted():
    assert words(converged(), endpoints=["s3"]) == [
        "delete endpoint local-atelier-dynamodb (vpce-dynamodb): not wanted"
    ]


# ---- routes ----


def _table(current, table_id):
    return next(t for t in current["route_tables"] if t["RouteTableId"] == table_id)


def test_wrong_blackhole_and_extra_routes_are_fixed_and_endpoint_routes_kept():
    current = converged()
    _table(current, "rtb-public-a")["Routes"][1] = route("0.0.0.0/0", GatewayId="igw-old")
    _table(current, "rtb-frontend-b")["Routes"][1]["State"] = "blackhole"
    _table(current, "rtb-database-a")["Routes"].append(route("0.0.0.0/0", NatGatewayId="nat-a"))
    _table(current, "rtb-backend-a")["Routes"].append(route("172.16.0.0/12", VpcPeeringConnectionId="pcx-1"))
    steps, _layout, _warnings = plan(current)
    assert ec2_network.actions(steps) == [
        "replace route 0.0.0.0/0 -> internet gateway local-atelier-igw in route table local-atelier-public-us-east-1a-rt",
        "delete route 172.16.0.0/12 -> pcx-1 from route table local-atelier-backend-us-east-1a-rt",
        "delete route 0.0.0.0/0 -> nat-a from route table local-atelier-database-us-east-1a-rt",
        "replace route 0.0.0.0/0 -> NAT gateway local-atelier-nat-us-east-1b in route table local-atelier-frontend-us-east-1b-rt",
    ]
    assert calls(steps, "delete_route")[0]["params"] == {
        "RouteTableId": "rtb-backend-a",
        "DestinationCidrBlock": "172.16.0.0/12",
    }
    # No wait: the NAT gateways exist and are available.
    assert calls(steps, "wait_nat_gateways_available") == []


@pytest.mark.parametrize(
    "route_item, managed",
    [
        ({"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable"}, False),
        ({"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1", "Origin": "CreateRoute"}, False),
        (
            {"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation"},
            False,
        ),
        ({"DestinationPrefixListId": "pl-9", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute"}, True),
        ({"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1", "Origin": "CreateRoute"}, True),
    ],
    ids=["local", "endpoint prefix list", "propagated", "other prefix list", "ipv6"],
)
def test_which_routes_the_module_manages(route_item, managed):
    assert managed_route(route_item) is managed


def test_single_nat_routes_every_private_subnet_to_it_and_removes_the_other_after_the_switch():
    steps, _layout, _warnings = plan(converged(), nat_topology="single")
    assert ec2_network.actions(steps) == [
        "replace route 0.0.0.0/0 -> NAT gateway local-atelier-nat-us-east-1a in route table local-atelier-frontend-us-east-1b-rt",
        "replace route 0.0.0.0/0 -> NAT gateway local-atelier-nat-us-east-1a in route table local-atelier-backend-us-east-1b-rt",
        "delete NAT gateway nat-b (local-atelier-nat-us-east-1b, no longer wanted here)",
        "release elastic ip 198.51.100.98 (eipalloc-b, local-atelier-nat-us-east-1b, no longer used)",
    ]
    order = [s["call"] for s in steps]
    assert order.index("wait_nat_gateways_deleted") == order.index("delete_nat_gateway") + 1
    assert order.index("release_address") > order.index("wait_nat_gateways_deleted")


def test_no_nat_leaves_private_subnets_without_a_route_out():
    done = words(converged(), nat_topology="none")
    assert "delete route 0.0.0.0/0 -> nat-a from route table local-atelier-frontend-us-east-1a-rt" in done
    assert len([w for w in done if w.startswith("delete route 0.0.0.0/0")]) == 4
    assert len([w for w in done if w.startswith("delete NAT gateway")]) == 2


def test_a_pending_nat_gateway_is_waited_for_before_routing_to_it():
    current = converged()
    current["nat_gateways"][1]["State"] = "pending"
    for table in current["route_tables"]:
        table["Routes"] = [r for r in table["Routes"] if r.get("NatGatewayId") != "nat-b"]
    steps, _layout, _warnings = plan(current)
    assert [s["call"] for s in steps] == ["wait_nat_gateways_available", "create_route", "create_route"]
    assert steps[0]["params"] == {"NatGatewayIds": ["nat-b"]}
    assert calls(plan(current, wait=False)[0], "wait_nat_gateways_available") == []


# ---- what can't be changed ----


def test_a_different_vpc_cidr_is_refused():
    with pytest.raises(ec2_network.PlanError) as raised:
        plan(converged(), cidr_block="10.1.0.0/16")
    assert "has the CIDR 10.0.0.0/16, but the network asks for 10.1.0.0/16" in raised.value.message


def test_a_subnet_in_another_az_is_refused():
    current = converged()
    current["subnets"][0]["AvailabilityZone"] = "us-east-1c"
    with pytest.raises(ec2_network.PlanError) as raised:
        plan(current)
    assert "A subnet can't move to another AZ" in raised.value.message


def test_a_subnet_of_another_stack_at_a_planned_cidr_is_refused():
    current = converged()
    current["subnets"][0]["Tags"] = tags("theirs", "public", owner={"atelier:env": "prod", "atelier:stack": "other"})
    with pytest.raises(ec2_network.PlanError) as raised:
        plan(current)
    assert "carries the tags atelier:env=prod, atelier:stack=other of another stack" in raised.value.message


def test_a_foreign_subnet_overlapping_a_planned_one_is_refused():
    current = converged()
    current["subnets"] = [s for s in current["subnets"] if s["CidrBlock"] != "10.0.2.0/24"]
    current["subnets"].append(subnet("manual", "us-east-1b", "10.0.2.0/25", subnet_id="subnet-manual", owner={}))
    current["subnets"][-1]["Tags"] = [{"Key": "Name", "Value": "by-hand"}]
    with pytest.raises(ec2_network.PlanError) as raised:
        plan(current)
    assert "overlaps subnet subnet-manual (10.0.2.0/25, Name by-hand)" in raised.value.message


def test_a_stale_subnet_overlapping_a_planned_one_is_removed_first():
    current = converged()
    current["subnets"] = [s for s in current["subnets"] if s["CidrBlock"] != "10.0.2.0/24"]
    current["subnets"].append(subnet("old", "us-east-1b", "10.0.2.0/25", subnet_id="subnet-old"))
    steps, _layout, _warnings = plan(current)
    order = [s["call"] for s in steps]
    assert order.index("delete_subnet") < order.index("create_subnet")


def test_stale_subnets_and_route_tables_go_at_the_end():
    current = converged(
        azs=["us-east-1a", "us-east-1b", "us-east-1c"], nat_azs=["us-east-1a", "us-east-1b", "us-east-1c"]
    )
    steps, _layout, _warnings = plan(current)
    done = ec2_network.actions(steps)
    assert (
        done[0]
        == "update endpoint local-atelier-s3: remove rtb-public-c, rtb-frontend-c, rtb-backend-c, rtb-database-c"
    )
    assert done[-4:] == [
        "delete subnet local-atelier-public-us-east-1c 10.0.3.0/24 (subnet-public-c, not in the plan)",
        "delete subnet local-atelier-frontend-us-east-1c 10.0.13.0/24 (subnet-frontend-c, not in the plan)",
        "delete subnet local-atelier-backend-us-east-1c 10.0.23.0/24 (subnet-backend-c, not in the plan)",
        "delete subnet local-atelier-database-us-east-1c 10.0.33.0/24 (subnet-database-c, not in the plan)",
    ]
    assert "delete NAT gateway nat-c (local-atelier-nat-us-east-1c, no longer wanted here)" in done
    assert "delete route table local-atelier-public-us-east-1c-rt (rtb-public-c, not in the plan)" in done


# ---- VPC settings, tags, the default security group ----


def test_dns_off_turns_hostnames_off_first():
    steps, _layout, _warnings = plan(converged(), dns_support=False, dns_hostnames=False)
    assert [s["params"] for s in steps] == [
        {"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": False}},
        {"VpcId": "vpc-1", "EnableDnsSupport": {"Value": False}},
    ]


def test_a_new_tag_is_set_on_every_resource_in_one_call():
    steps, _layout, _warnings = plan(converged(), tags=dict(OWNER, team="web"))
    (step,) = steps
    assert step["call"] == "create_tags"
    assert step["params"]["Tags"] == [{"Key": "team", "Value": "web"}]
    assert len(step["params"]["Resources"]) == 1 + 8 + 1 + 2 + 2 + 8 + 1 + 2
    assert "update tags of subnet local-atelier-public-us-east-1a: set team" in step["actions"]


def test_purge_tags_removes_other_tags_unless_off():
    current = converged()
    current["vpcs"][0]["Tags"].append({"Key": "old", "Value": "x"})
    current["vpcs"][0]["Tags"].append({"Key": "aws:cloudformation:stack-name", "Value": "x"})
    steps, _layout, _warnings = plan(current)
    assert [(s["call"], s["params"]) for s in steps] == [
        ("delete_tags", {"Resources": ["vpc-1"], "Tags": [{"Key": "old"}]})
    ]
    assert plan(current, purge_tags=False)[0] == []


def test_the_default_security_group_is_stripped():
    current = converged()
    current["security_groups"] = [default_group(rules=True)]
    steps, _layout, _warnings = plan(current)
    assert [(s["call"], s["params"]) for s in steps] == [
        (
            "revoke_security_group_ingress",
            {
                "GroupId": "sg-default-vpc-1",
                "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-default-vpc-1"}]}],
            },
        ),
        (
            "revoke_security_group_egress",
            {
                "GroupId": "sg-default-vpc-1",
                "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
            },
        ),
    ]


def test_the_default_security_group_of_a_new_vpc_is_converged_once_it_exists():
    steps, _layout, _warnings = plan(empty())
    (step,) = calls(steps, "converge_default_security_group")
    assert step["params"] == {"VpcId": ec2_network.Ref("vpc")}


def test_map_public_ip_on_launch_is_turned_off():
    current = converged()
    current["subnets"][0]["MapPublicIpOnLaunch"] = True
    steps, _layout, _warnings = plan(current)
    assert [(s["call"], s["params"]) for s in steps] == [
        ("modify_subnet_attribute", {"SubnetId": "subnet-public-a", "MapPublicIpOnLaunch": {"Value": False}})
    ]


# ---- idempotency tokens ----


def test_tokens_are_stable_bounded_and_depend_on_the_identity_and_parents():
    token = ec2_network.client_token("nat", ["local-atelier-nat-us-east-1a", "subnet-1", "eipalloc-1"])
    assert token == ec2_network.client_token("nat", ["local-atelier-nat-us-east-1a", "subnet-1", "eipalloc-1"])
    assert token.startswith("atelier-nat-") and len(token) <= 64
    others = {
        ec2_network.client_token("nat", ["local-atelier-nat-us-east-1b", "subnet-1", "eipalloc-1"]),
        ec2_network.client_token("nat", ["local-atelier-nat-us-east-1a", "subnet-2", "eipalloc-1"]),
        ec2_network.client_token("nat", ["local-atelier-nat-us-east-1a", "subnet-1", "eipalloc-2"]),
        ec2_network.client_token("nat", ["local-atelier-nat-us-east-1a", "subnet-1", "eipalloc-1"], 1),
        ec2_network.client_token("route-table", ["local-atelier-nat-us-east-1a", "subnet-1", "eipalloc-1"]),
    }
    assert token not in others and len(others) == 5
    assert (
        len(ec2_network.client_token("route-table", ["x" * 300, "vpc-0123456789abcdef0", "subnet-0123456789abcdef0"]))
        <= 64
    )


def test_the_creates_that_take_a_token_get_one_from_the_resolved_parents():
    steps, _layout, _warnings = plan(empty())
    with_token = {s["call"] for s in steps if s["token"] is not None}
    assert with_token == {"create_nat_gateway", "create_route_table", "create_vpc_endpoint"}
    nat_a, _nat_b = calls(steps, "create_nat_gateway")
    refs = {("subnet", "local-atelier-public-us-east-1a"): "subnet-7", ("eip", "us-east-1a"): "eipalloc-7"}
    assert ec2_network.resolve(nat_a["token"], refs) == ec2_network.client_token(
        "nat", ["local-atelier-nat-us-east-1a", "subnet-7", "eipalloc-7"]
    )
    refs[ec2_network.token_generation_key(nat_a["token"])] = 2
    assert ec2_network.resolve(nat_a["token"], refs) == ec2_network.client_token(
        "nat", ["local-atelier-nat-us-east-1a", "subnet-7", "eipalloc-7"], 2
    )
    assert ec2_network.resolve(nat_a["params"], refs)["SubnetId"] == "subnet-7"


# ---- absent ----


def test_absent_removes_in_dependency_order():
    n = ec2_network.identity(goal_tracker_params(state="absent"), REGION, REGION_AZS)
    steps, warnings, kept = ec2_network.plan_absent(n, converged())
    order = [s["call"] for s in steps]
    assert warnings == [] and kept == []
    assert order[0] == "delete_vpc_endpoints" and steps[0]["params"] == {"VpcEndpointIds": ["vpce-s3", "vpce-dynamodb"]}
    first = {call: order.index(call) for call in order}
    last = {call: len(order) - 1 - order[::-1].index(call) for call in order}
    assert last["delete_nat_gateway"] < first["wait_nat_gateways_deleted"] < first["release_address"]
    assert last["release_address"] < first["disassociate_route_table"] < first["delete_route_table"]
    assert last["delete_route_table"] < first["detach_internet_gateway"] < first["delete_internet_gateway"]
    assert last["delete_internet_gateway"] < first["delete_subnet"]
    assert order[-1] == "delete_vpc"
    assert len(calls(steps, "delete_subnet")) == 8
    assert len(calls(steps, "delete_route_table")) == 8  # not the main one


def test_absent_on_nothing_plans_nothing_and_leaves_what_is_in_use():
    n = ec2_network.identity(goal_tracker_params(state="absent"), REGION, REGION_AZS)
    current = empty()
    current["internet_gateways"] = [internet_gateway("igw-9", vpc_id="vpc-else")]
    current["addresses"] = [address("us-east-1a")]
    steps, warnings, _kept = ec2_network.plan_absent(n, current)
    assert steps == []
    assert warnings == [
        "elastic ip 198.51.100.97 (eipalloc-a) carries the Name local-atelier-nat-us-east-1a but is associated with "
        "eni-nat-a: left alone",
        "internet gateway igw-9 carries the Name local-atelier-igw but is attached to vpc-else: left alone",
    ]


def test_absent_waits_for_nat_gateways_already_deleting():
    n = ec2_network.identity(goal_tracker_params(state="absent"), REGION, REGION_AZS)
    current = converged()
    current["nat_gateways"] = [nat("us-east-1a", state="deleting")]
    steps, _warnings, _kept = ec2_network.plan_absent(n, current)
    assert calls(steps, "delete_nat_gateway") == []
    assert calls(steps, "wait_nat_gateways_deleted")[0]["params"] == {"NatGatewayIds": ["nat-a"]}


KEEP = {
    "subnet-database-a": "in the DB subnet group local-atelier-postgres of the DB instance local-atelier-postgres",
    "subnet-database-b": "in the DB subnet group local-atelier-postgres of the DB instance local-atelier-postgres",
    "subnet-elsewhere": "not the network's: ignored",
}


def test_absent_keeps_what_the_data_needs_and_removes_the_rest():
    """A teardown that keeps the database: its subnets, their route tables and the VPC stay; gateways, endpoints, the
    other subnets and route tables go; a kept route table loses no route (the database tier has none to the gateways)."""
    n = ec2_network.identity(goal_tracker_params(state="absent", keep_subnets=KEEP), REGION, REGION_AZS)
    steps, warnings, kept = ec2_network.plan_absent(n, converged())

    assert warnings == []
    assert [(k["kind"], k["id"], k["name"]) for k in kept] == [
        ("subnet", "subnet-database-a", "local-atelier-database-us-east-1a"),
        ("subnet", "subnet-database-b", "local-atelier-database-us-east-1b"),
        ("route table", "rtb-database-a", "local-atelier-database-us-east-1a-rt"),
        ("route table", "rtb-database-b", "local-atelier-database-us-east-1b-rt"),
        ("vpc", "vpc-1", "local-atelier"),
    ]
    assert kept[0]["reason"] == "10.0.31.0/24, " + KEEP["subnet-database-a"]
    assert kept[2]["reason"] == "routes the kept subnet local-atelier-database-us-east-1a"
    assert kept[4]["reason"] == (
        "holds the kept subnets local-atelier-database-us-east-1a, local-atelier-database-us-east-1b"
    )
    deleted_subnets = [s["params"]["SubnetId"] for s in calls(steps, "delete_subnet")]
    assert len(deleted_subnets) == 6 and not set(deleted_subnets) & set(KEEP)
    deleted_tables = [s["params"]["RouteTableId"] for s in calls(steps, "delete_route_table")]
    assert len(deleted_tables) == 6 and "rtb-database-a" not in deleted_tables
    assert calls(steps, "delete_vpc") == [] and calls(steps, "delete_route") == []
    for call in ("delete_vpc_endpoints", "delete_nat_gateway", "release_address", "delete_internet_gateway"):
        assert calls(steps, call), call


def test_absent_strips_a_kept_route_table_of_its_routes_to_the_gateways_that_go():
    keep = {"subnet-backend-a": "used by an instance that stays"}
    n = ec2_network.identity(goal_tracker_params(state="absent", keep_subnets=keep), REGION, REGION_AZS)
    steps, _warnings, kept = ec2_network.plan_absent(n, converged())

    assert [k["id"] for k in kept] == ["subnet-backend-a", "rtb-backend-a", "vpc-1"]
    (route_step,) = calls(steps, "delete_route")
    assert route_step["params"] == {"RouteTableId": "rtb-backend-a", "DestinationCidrBlock": "0.0.0.0/0"}
    assert route_step["actions"] == ["delete route 0.0.0.0/0 -> nat-a from the kept route table "
                                     "local-atelier-backend-us-east-1a-rt"]
    assert len(calls(steps, "delete_route_table")) == 7 and calls(steps, "delete_vpc") == []


def test_absent_keeps_nothing_of_another_stack():
    """keep_subnets names only what the network owns: a subnet carrying another stack's tags is not kept (nor
    deleted: the absent plan only removes the network's own)."""
    current = converged()
    current["subnets"][-1] = dict(current["subnets"][-1], Tags=tags("other", "database", owner={"atelier:env": "x"}))
    keep = {current["subnets"][-1]["SubnetId"]: "a database"}
    n = ec2_network.identity(goal_tracker_params(state="absent", keep_subnets=keep), REGION, REGION_AZS)
    _steps, _warnings, kept = ec2_network.plan_absent(n, current)
    assert kept == []


def test_dependency_message_names_the_network_interfaces():
    message = ec2_network.dependency_message(
        "subnet",
        "local-atelier-database-us-east-1a 10.0.31.0/24",
        [{"NetworkInterfaceId": "eni-1", "Description": "RDSNetworkInterface", "RequesterId": "amazon-rds"}],
    )
    assert message.startswith(
        "AWS refuses to delete subnet local-atelier-database-us-east-1a 10.0.31.0/24: network interfaces still use it: "
        "eni-1 (RDSNetworkInterface, requester amazon-rds)."
    )
