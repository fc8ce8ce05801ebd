# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of plugins/module_utils/_vpc_network/recovery.py: what a lost response left behind (the first request
of a retried call was applied) and the subnets a database needs. No mock, no AWS."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import ec2_network

from tests.unit.plugins.module_utils.test_vpc_network_builders import OWNER
from tests.unit.plugins.module_utils.test_vpc_network_builders import internet_gateway
from tests.unit.plugins.module_utils.test_vpc_network_builders import route
from tests.unit.plugins.module_utils.test_vpc_network_builders import route_table
from tests.unit.plugins.module_utils.test_vpc_network_builders import subnet
from tests.unit.plugins.module_utils.test_vpc_network_builders import tag_list

SUBNET_PARAMS = {
    "VpcId": "vpc-1",
    "CidrBlock": "10.0.1.0/24",
    "AvailabilityZone": "us-east-1a",
    "TagSpecifications": [
        {"ResourceType": "subnet", "Tags": tag_list(dict(OWNER, Name="local-atelier-public-us-east-1a"))}
    ],
}


def test_created_name_reads_the_tag_specifications():
    assert ec2_network.created_name(SUBNET_PARAMS) == "local-atelier-public-us-east-1a"
    assert ec2_network.created_name({}) is None


@pytest.mark.parametrize(
    "found, outcome",
    [
        ([subnet("public", "us-east-1a", "10.0.1.0/24", subnet_id="subnet-9")], ("adopt", "subnet-9")),
        # Another subnet holds the CIDR: another Name, another owner, another AZ. The conflict is real.
        ([subnet("frontend", "us-east-1a", "10.0.1.0/24")], None),
        ([subnet("public", "us-east-1a", "10.0.1.0/24", **{"atelier:stack": "other"})], None),
        ([subnet("public", "us-east-1b", "10.0.1.0/24")], None),
        ([], None),
    ],
)
def test_a_retried_create_subnet_adopts_only_the_subnet_it_made(found, outcome):
    assert ec2_network.lost_create_outcome("create_subnet", SUBNET_PARAMS, found, OWNER) == outcome


def test_a_retried_attach_is_done_when_the_gateway_is_attached_to_this_vpc():
    params = {"InternetGatewayId": "igw-1", "VpcId": "vpc-1"}
    assert ec2_network.lost_create_outcome("attach_internet_gateway", params, [internet_gateway()], OWNER) == (
        "done", None)
    elsewhere = [internet_gateway(vpc_id="vpc-else")]
    assert ec2_network.lost_create_outcome("attach_internet_gateway", params, elsewhere, OWNER) is None


def test_a_retried_association_is_done_only_with_the_wanted_route_table():
    tables = [route_table("rtb-a", "x-rt", "public", subnet_id="subnet-a")]
    params = {"RouteTableId": "rtb-a", "SubnetId": "subnet-a"}
    assert ec2_network.lost_create_outcome("associate_route_table", params, tables, OWNER) == ("done", None)
    other = dict(params, RouteTableId="rtb-b")
    assert ec2_network.lost_create_outcome("associate_route_table", other, tables, OWNER) is None


@pytest.mark.parametrize(
    "routes, outcome",
    [
        ([route("0.0.0.0/0", GatewayId="igw-1")], ("done", None)),
        ([route("0.0.0.0/0", GatewayId="igw-old")], ("replace", None)),
        ([dict(route("0.0.0.0/0", GatewayId="igw-1"), State="blackhole")], ("replace", None)),
        ([route("10.9.0.0/16", GatewayId="igw-1")], None),
    ],
)
def test_a_retried_create_route_is_done_when_the_route_has_the_target(routes, outcome):
    tables = [route_table("rtb-a", "x-rt", "public", routes=routes)]
    params = {"RouteTableId": "rtb-a", "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}
    assert ec2_network.lost_create_outcome("create_route", params, tables, OWNER) == outcome


def test_a_retried_revoke_is_done_and_other_calls_are_not_recovered():
    assert ec2_network.lost_create_outcome("revoke_security_group_egress", {}, [], OWNER) == ("done", None)
    assert ec2_network.lost_create_outcome("create_vpc", {}, [], OWNER) is None


def test_fresh_duplicates_are_new_unused_and_not_the_answer():
    vpcs = [{"VpcId": "vpc-answer"}, {"VpcId": "vpc-retry"}, {"VpcId": "vpc-before"}]
    assert ec2_network.fresh_duplicates("create_vpc", vpcs, "vpc-answer", {"vpc-before"}) == ["vpc-retry"]
    gateways = [internet_gateway("igw-a", vpc_id=None), internet_gateway("igw-b"), internet_gateway("igw-c")]
    assert ec2_network.fresh_duplicates("create_internet_gateway", gateways, "igw-c", set()) == ["igw-a"]
    addresses = [{"AllocationId": "eipalloc-1"}, {"AllocationId": "eipalloc-2", "AssociationId": "x"}]
    assert ec2_network.fresh_duplicates("allocate_address", addresses, "eipalloc-3", set()) == ["eipalloc-1"]


def test_database_subnets_from_rds_instance_info_and_from_boto3():
    info = [
        {
            "db_instance_identifier": "dev-goal-tracker-postgres",
            "db_subnet_group": {
                "db_subnet_group_name": "dev-goal-tracker-postgres",
                "subnets": [{"subnet_identifier": "subnet-a"}, {"subnet_identifier": "subnet-b"}],
            },
        },
        {"db_instance_identifier": "no-vpc"},
    ]
    why = "in the DB subnet group dev-goal-tracker-postgres of the DB instance dev-goal-tracker-postgres"
    assert ec2_network.database_subnets(info) == {"subnet-a": why, "subnet-b": why}
    boto3 = [{"DBInstanceIdentifier": "db", "DBSubnetGroup": {"DBSubnetGroupName": "g",
                                                               "Subnets": [{"SubnetIdentifier": "subnet-c"}]}}]
    assert ec2_network.database_subnets(boto3) == {"subnet-c": "in the DB subnet group g of the DB instance db"}
    assert ec2_network.database_subnets(None) == {}
