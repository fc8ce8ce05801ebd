# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.vpc_network: main() is driven with module args, and our own module_utils wrappers
(plugins/module_utils/ec2_network.py) are replaced by FakeEC2, a small in-memory EC2 that keeps boto3's shapes, honours
idempotency tokens and refuses what AWS refuses (a subnet still used by a network interface). No boto3, no network."""

import copy
import itertools

import pytest
from botocore.exceptions import ClientError

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error

from ansible_collections.atelier.infra.plugins.module_utils import ec2_network
from ansible_collections.atelier.infra.plugins.modules import vpc_network

from tests.unit.plugins.module_utils.test_vpc_network_builders import REGION_AZS
from tests.unit.plugins.module_utils.test_vpc_network_builders import GOAL_TRACKER_CIDRS
from tests.unit.plugins.module_utils.test_vpc_network_builders import TIERS
from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

OWNER = {"atelier:env": "local", "atelier:stack": "atelier"}
ARGS = {
    "name": "local-atelier",
    "region": "us-east-1",
    "cidr_block": "10.0.0.0/16",
    "tiers": TIERS,
    "endpoints": ["s3", "dynamodb"],
    "tags": OWNER,
}
READS = ("describe_",)


def error(code, message="refused"):
    return AnsibleEC2Error(
        message=f"Failed: {code}", exception=ClientError({"Error": {"Code": code, "Message": message}}, "Operation")
    )


def tag_dict(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


def record(name):
    """A FakeEC2 method that stands in for the wrapper of that name: called as wrapper(client, ...), it logs the call."""

    def decorate(method):
        def wrapper(self, client, *args, **params):
            self.calls.append((name, copy.deepcopy(params)))
            return method(self, *args, **params)

        wrapper.__name__ = name
        return wrapper

    return decorate


class FakeEC2:
    """The EC2 resources of one region, changed through the same functions the module calls."""

    def __init__(self):
        self.ids = itertools.count(1)
        self.vpcs, self.subnets, self.tables, self.groups = {}, {}, {}, {}
        self.endpoints, self.nats, self.igws, self.addresses, self.interfaces = {}, {}, {}, {}, {}
        self.dns = {}
        self.tokens = {}
        self.calls = []

    # ---- helpers ----

    def new_id(self, prefix):
        return f"{prefix}-{next(self.ids):04d}"

    @staticmethod
    def tags_from(params):
        specs = params.get("TagSpecifications") or []
        return copy.deepcopy(specs[0]["Tags"]) if specs else []

    @staticmethod
    def matches(resource, filters):
        for f in filters or []:
            name, values = f["Name"], f["Values"]
            if name.startswith("tag:"):
                value = tag_dict(resource).get(name[4:])
            elif name == "association.subnet-id":
                if not any(a.get("SubnetId") in values for a in resource.get("Associations", [])):
                    return False
                continue
            else:
                key = {
                    "vpc-id": "VpcId",
                    "subnet-id": "SubnetId",
                    "group-name": "GroupName",
                    "state": "State",
                    "zone-type": "ZoneType",
                    "cidr-block": "CidrBlock",
                }[name]
                value = resource.get(key)
            if value not in values:
                return False
        return True

    def find(self, store, filters=None, ids=None):
        found = [r for key, r in store.items() if (not ids or key in ids) and self.matches(r, filters)]
        return copy.deepcopy(found)

    def mutating(self):
        return [name for name, _params in self.calls if not name.startswith(READS) and not name.startswith("wait_")]

    def install(self, monkeypatch):
        for name in dir(self):
            attribute = getattr(self, name)
            if callable(attribute) and getattr(attribute, "__name__", "") == name and hasattr(ec2_network, name):
                monkeypatch.setattr(ec2_network, name, attribute)

    def check_token(self, call, params, make):
        token = params.get("ClientToken")
        fingerprint = repr(sorted((k, repr(v)) for k, v in params.items() if k != "ClientToken"))
        if token and (call, token) in self.tokens:
            seen, made = self.tokens[(call, token)]
            if seen != fingerprint:
                raise error("IdempotentParameterMismatch")
            return made
        made = make()
        if token:
            self.tokens[(call, token)] = (fingerprint, made)
        return made

    # ---- reads ----

    @record("describe_availability_zones")
    def describe_availability_zones(self, Filters=None):
        return [{"ZoneName": az, "State": "available", "ZoneType": "availability-zone"} for az in REGION_AZS]

    @record("describe_vpcs")
    def describe_vpcs(self, Filters=None):
        return self.find(self.vpcs, Filters)

    @record("describe_vpc_attribute")
    def describe_vpc_attribute(self, vpc_id, attribute):
        return self.dns[vpc_id][attribute]

    @record("describe_subnets")
    def describe_subnets(self, Filters=None):
        return self.find(self.subnets, Filters)

    @record("describe_route_tables")
    def describe_route_tables(self, Filters=None, RouteTableIds=None):
        return self.find(self.tables, Filters, RouteTableIds)

    @record("describe_security_groups")
    def describe_security_groups(self, Filters=None):
        return self.find(self.groups, Filters)

    @record("describe_vpc_endpoints")
    def describe_vpc_endpoints(self, Filters=None, VpcEndpointIds=None):
        return self.find(self.endpoints, Filters, VpcEndpointIds)

    @record("describe_nat_gateways")
    def describe_nat_gateways(self, Filter=None, NatGatewayIds=None):
        return self.find(self.nats, Filter, NatGatewayIds)

    @record("describe_internet_gateways")
    def describe_internet_gateways(self, Filters=None, InternetGatewayIds=None):
        return self.find(self.igws, Filters, InternetGatewayIds)

    @record("describe_addresses")
    def describe_addresses(self, Filters=None):
        return self.find(self.addresses, Filters)

    @record("describe_network_interfaces")
    def describe_network_interfaces(self, Filters=None):
        return self.find(self.interfaces, Filters)

    # ---- VPC ----

    @record("create_vpc")
    def create_vpc(self, **params):
        vpc_id = self.new_id("vpc")
        self.vpcs[vpc_id] = {
            "VpcId": vpc_id,
            "CidrBlock": params["CidrBlock"],
            "State": "available",
            "Tags": self.tags_from(params),
        }
        self.dns[vpc_id] = {"enableDnsSupport": True, "enableDnsHostnames": False}
        main = self.new_id("rtb")
        self.tables[main] = {
            "RouteTableId": main,
            "VpcId": vpc_id,
            "Associations": [{"Main": True, "RouteTableAssociationId": self.new_id("rtbassoc"), "RouteTableId": main}],
            "Routes": [
                {"DestinationCidrBlock": params["CidrBlock"], "GatewayId": "local", "Origin": "CreateRouteTable"}
            ],
            "Tags": [],
        }
        group = self.new_id("sg")
        self.groups[group] = {
            "GroupId": group,
            "GroupName": "default",
            "VpcId": vpc_id,
            "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
            "Tags": [],
        }
        return vpc_id

    @record("modify_vpc_attribute")
    def modify_vpc_attribute(self, VpcId, **attribute):
        for key, value in attribute.items():
            self.dns[VpcId][key[0].lower() + key[1:]] = value["Value"]
        return True

    @record("delete_vpc")
    def delete_vpc(self, VpcId):
        if any(s["VpcId"] == VpcId for s in self.subnets.values()):
            raise error("DependencyViolation", f"The vpc '{VpcId}' has dependencies and cannot be deleted.")
        if VpcId not in self.vpcs:
            return False
        del self.vpcs[VpcId]
        for store in (self.tables, self.groups):
            for key in [k for k, r in store.items() if r["VpcId"] == VpcId]:
                del store[key]
        return True

    # ---- subnets ----

    @record("create_subnet")
    def create_subnet(self, **params):
        subnet_id = self.new_id("subnet")
        self.subnets[subnet_id] = {
            "SubnetId": subnet_id,
            "VpcId": params["VpcId"],
            "CidrBlock": params["CidrBlock"],
            "AvailabilityZone": params["AvailabilityZone"],
            "MapPublicIpOnLaunch": False,
            "Tags": self.tags_from(params),
        }
        return subnet_id

    @record("modify_subnet_attribute")
    def modify_subnet_attribute(self, SubnetId, MapPublicIpOnLaunch):
        self.subnets[SubnetId]["MapPublicIpOnLaunch"] = MapPublicIpOnLaunch["Value"]
        return True

    @record("delete_subnet")
    def delete_subnet(self, SubnetId):
        if any(i["SubnetId"] == SubnetId for i in self.interfaces.values()):
            raise error("DependencyViolation", f"The subnet '{SubnetId}' has dependencies and cannot be deleted.")
        for table in self.tables.values():
            table["Associations"] = [a for a in table["Associations"] if a.get("SubnetId") != SubnetId]
        return self.subnets.pop(SubnetId, None) is not None

    # ---- internet gateway ----

    @record("create_internet_gateway")
    def create_internet_gateway(self, **params):
        gateway_id = self.new_id("igw")
        self.igws[gateway_id] = {"InternetGatewayId": gateway_id, "Attachments": [], "Tags": self.tags_from(params)}
        return gateway_id

    @record("attach_internet_gateway")
    def attach_internet_gateway(self, InternetGatewayId, VpcId):
        self.igws[InternetGatewayId]["Attachments"] = [{"VpcId": VpcId, "State": "available"}]
        return True

    @record("detach_internet_gateway")
    def detach_internet_gateway(self, InternetGatewayId, VpcId):
        self.igws[InternetGatewayId]["Attachments"] = []
        return True

    @record("delete_internet_gateway")
    def delete_internet_gateway(self, InternetGatewayId):
        return self.igws.pop(InternetGatewayId, None) is not None

    # ---- Elastic IPs and NAT gateways ----

    @record("allocate_address")
    def allocate_address(self, **params):
        allocation_id = self.new_id("eipalloc")
        self.addresses[allocation_id] = {
            "AllocationId": allocation_id,
            "PublicIp": f"198.51.100.{len(self.addresses) + 1}",
            "Domain": "vpc",
            "Tags": self.tags_from(params),
        }
        return allocation_id

    @record("release_address")
    def release_address(self, AllocationId):
        return self.addresses.pop(AllocationId, None) is not None

    @record("create_nat_gateway")
    def create_nat_gateway(self, **params):
        def make():
            nat_id = self.new_id("nat")
            eni = self.new_id("eni")
            subnet = self.subnets[params["SubnetId"]]
            self.interfaces[eni] = {
                "NetworkInterfaceId": eni,
                "SubnetId": subnet["SubnetId"],
                "VpcId": subnet["VpcId"],
                "Description": f"Interface for NAT Gateway {nat_id}",
            }
            self.addresses[params["AllocationId"]].update(AssociationId=self.new_id("eipassoc"), NetworkInterfaceId=eni)
            self.nats[nat_id] = {
                "NatGatewayId": nat_id,
                "SubnetId": subnet["SubnetId"],
                "VpcId": subnet["VpcId"],
                "State": "pending",
                "NatGatewayAddresses": [{"AllocationId": params["AllocationId"], "NetworkInterfaceId": eni}],
                "Tags": self.tags_from(params),
            }
            return nat_id

        return copy.deepcopy(self.nats[self.check_token("create_nat_gateway", params, make)])

    @record("delete_nat_gateway")
    def delete_nat_gateway(self, NatGatewayId):
        nat = self.nats.get(NatGatewayId)
        if nat is None:
            return False
        nat["State"] = "deleting"
        return True

    @record("wait_nat_gateways_available")
    def wait_nat_gateways_available(self, nat_gateway_ids, timeout):
        for nat_id in nat_gateway_ids:
            if self.nats[nat_id]["State"] == "pending":
                self.nats[nat_id]["State"] = "available"
        return True

    @record("wait_nat_gateways_deleted")
    def wait_nat_gateways_deleted(self, nat_gateway_ids, timeout):
        for nat_id in nat_gateway_ids:
            nat = self.nats[nat_id]
            nat["State"] = "deleted"
            for item in nat["NatGatewayAddresses"]:
                self.interfaces.pop(item["NetworkInterfaceId"], None)
                address = self.addresses.get(item["AllocationId"])
                if address:
                    address.pop("AssociationId", None)
                    address.pop("NetworkInterfaceId", None)
        return True

    # ---- route tables and routes ----

    @record("create_route_table")
    def create_route_table(self, **params):
        def make():
            table_id = self.new_id("rtb")
            cidr = self.vpcs[params["VpcId"]]["CidrBlock"]
            self.tables[table_id] = {
                "RouteTableId": table_id,
                "VpcId": params["VpcId"],
                "Associations": [],
                "Routes": [{"DestinationCidrBlock": cidr, "GatewayId": "local", "Origin": "CreateRouteTable"}],
                "Tags": self.tags_from(params),
            }
            return table_id

        return self.check_token("create_route_table", params, make)

    @record("associate_route_table")
    def associate_route_table(self, RouteTableId, SubnetId):
        for table in self.tables.values():
            if any(a.get("SubnetId") == SubnetId for a in table["Associations"]):
                raise error("Resource.AlreadyAssociated")
        association = self.new_id("rtbassoc")
        self.tables[RouteTableId]["Associations"].append(
            {"Main": False, "SubnetId": SubnetId, "RouteTableAssociationId": association, "RouteTableId": RouteTableId}
        )
        return association

    @record("replace_route_table_association")
    def replace_route_table_association(self, AssociationId, RouteTableId):
        for table in self.tables.values():
            for association in table["Associations"]:
                if association["RouteTableAssociationId"] == AssociationId:
                    table["Associations"].remove(association)
                    new = dict(association, RouteTableAssociationId=self.new_id("rtbassoc"), RouteTableId=RouteTableId)
                    self.tables[RouteTableId]["Associations"].append(new)
                    return new["RouteTableAssociationId"]
        raise error("InvalidAssociationID.NotFound")

    @record("disassociate_route_table")
    def disassociate_route_table(self, AssociationId):
        for table in self.tables.values():
            table["Associations"] = [a for a in table["Associations"] if a["RouteTableAssociationId"] != AssociationId]
        return True

    @record("delete_route_table")
    def delete_route_table(self, RouteTableId):
        table = self.tables.get(RouteTableId)
        if table is None:
            return False
        if table["Associations"]:
            raise error("DependencyViolation")
        del self.tables[RouteTableId]
        return True

    @record("create_route")
    def create_route(self, RouteTableId, DestinationCidrBlock, **target):
        self.tables[RouteTableId]["Routes"].append(
            dict(DestinationCidrBlock=DestinationCidrBlock, Origin="CreateRoute", State="active", **target)
        )
        return True

    @record("replace_route")
    def replace_route(self, RouteTableId, DestinationCidrBlock, **target):
        routes = self.tables[RouteTableId]["Routes"]
        routes[:] = [r for r in routes if r.get("DestinationCidrBlock") != DestinationCidrBlock]
        routes.append(dict(DestinationCidrBlock=DestinationCidrBlock, Origin="CreateRoute", State="active", **target))
        return True

    @record("delete_route")
    def delete_route(self, RouteTableId, **destination):
        ((key, value),) = destination.items()
        routes = self.tables[RouteTableId]["Routes"]
        routes[:] = [r for r in routes if r.get(key) != value]
        return True

    # ---- default security group ----

    @record("revoke_security_group_ingress")
    def revoke_security_group_ingress(self, GroupId, IpPermissions):
        self.groups[GroupId]["IpPermissions"] = []
        return True

    @record("revoke_security_group_egress")
    def revoke_security_group_egress(self, GroupId, IpPermissions):
        self.groups[GroupId]["IpPermissionsEgress"] = []
        return True

    # ---- gateway endpoints ----

    @record("create_vpc_endpoint")
    def create_vpc_endpoint(self, **params):
        def make():
            endpoint_id = self.new_id("vpce")
            self.endpoints[endpoint_id] = {
                "VpcEndpointId": endpoint_id,
                "VpcId": params["VpcId"],
                "ServiceName": params["ServiceName"],
                "VpcEndpointType": "Gateway",
                "State": "available",
                "RouteTableIds": list(params["RouteTableIds"]),
                "Tags": self.tags_from(params),
            }
            for table_id in params["RouteTableIds"]:
                self.tables[table_id]["Routes"].append(
                    {
                        "DestinationPrefixListId": f"pl-{params['ServiceName'][-2:]}",
                        "GatewayId": endpoint_id,
                        "Origin": "CreateRoute",
                    }
                )
            return endpoint_id

        return copy.deepcopy(self.endpoints[self.check_token("create_vpc_endpoint", params, make)])

    @record("modify_vpc_endpoint")
    def modify_vpc_endpoint(self, VpcEndpointId, AddRouteTableIds=(), RemoveRouteTableIds=()):
        endpoint = self.endpoints[VpcEndpointId]
        endpoint["RouteTableIds"] = [t for t in endpoint["RouteTableIds"] if t not in RemoveRouteTableIds] + list(
            AddRouteTableIds
        )
        return True

    @record("delete_vpc_endpoints")
    def delete_vpc_endpoints(self, VpcEndpointIds):
        for endpoint_id in VpcEndpointIds:
            self.endpoints.pop(endpoint_id, None)
            for table in self.tables.values():
                table["Routes"] = [r for r in table["Routes"] if r.get("GatewayId") != endpoint_id]
        return True

    # ---- tags ----

    def _all(self):
        return {
            **self.vpcs,
            **self.subnets,
            **self.tables,
            **self.groups,
            **self.endpoints,
            **self.nats,
            **self.igws,
            **self.addresses,
        }

    @record("create_tags")
    def create_tags(self, Resources, Tags):
        everything = self._all()
        for resource_id in Resources:
            current = tag_dict(everything[resource_id])
            current.update({t["Key"]: t["Value"] for t in Tags})
            everything[resource_id]["Tags"] = [{"Key": k, "Value": v} for k, v in current.items()]
        return True

    @record("delete_tags")
    def delete_tags(self, Resources, Tags):
        everything = self._all()
        keys = {t["Key"] for t in Tags}
        for resource_id in Resources:
            everything[resource_id]["Tags"] = [t for t in everything[resource_id]["Tags"] if t["Key"] not in keys]
        return True


@pytest.fixture
def ec2(monkeypatch):
    monkeypatch.setattr(vpc_network, "VERIFY_DELAY", 0)
    fake = FakeEC2()
    fake.install(monkeypatch)
    return fake


def run(ec2, check=False, diff=False, **overrides):
    ec2.calls.clear()
    args = dict(ARGS, **overrides)
    if check:
        args["_ansible_check_mode"] = True
    if diff:
        args["_ansible_diff"] = True
    return run_main(vpc_network, args)


def converge(ec2, **overrides):
    result = run(ec2, **overrides)
    assert isinstance(result, AnsibleExitJson), result.result
    return result.result


# ---- create, no-op, check mode, diff ----


def test_create_makes_the_whole_network_in_one_run(ec2):
    result = converge(ec2)

    assert result["changed"] is True
    assert result["actions"][0] == "create vpc local-atelier 10.0.0.0/16"
    assert {tier: [s["cidr"] for s in subnets] for tier, subnets in result["subnets_by_tier"].items()} == GOAL_TRACKER_CIDRS
    assert set(result["nat_gateways"]) == {"us-east-1a", "us-east-1b"}
    assert all(n["State"] == "available" for n in ec2.nats.values())
    assert result["internet_gateway_id"] in ec2.igws
    assert set(result["endpoints"]) == {"s3", "dynamodb"}
    assert len(ec2.subnets) == 8 and len(ec2.tables) == 9 and len(ec2.addresses) == 2
    assert ec2.dns[result["vpc"]["id"]] == {"enableDnsSupport": True, "enableDnsHostnames": True}
    (group,) = ec2.groups.values()
    assert group["IpPermissions"] == [] and group["IpPermissionsEgress"] == []
    assert tag_dict(group) == dict(OWNER, Name="local-atelier-default")
    for table in result["route_tables"]:
        routes = {
            r.get("DestinationCidrBlock"): r for r in ec2.tables[table["id"]]["Routes"] if r.get("DestinationCidrBlock")
        }
        if table["tier"] == "public":
            assert routes["0.0.0.0/0"]["GatewayId"] == result["internet_gateway_id"]
        elif table["tier"] in ("frontend", "backend"):
            assert routes["0.0.0.0/0"]["NatGatewayId"] == result["nat_gateways"][table["az"]]
        else:
            assert "0.0.0.0/0" not in routes
    # NAT gateways, route tables and endpoints were created with a token.
    assert all(
        params.get("ClientToken", "").startswith("atelier-")
        for name, params in ec2.calls
        if name in ("create_nat_gateway", "create_route_table", "create_vpc_endpoint")
    )


def test_a_token_answered_with_a_deleted_route_table_moves_to_the_next_generation(ec2):
    """A route table deleted by hand: making it again in the same VPC for the same subnet repeats its token, which AWS
    answers (for at least 24 hours) with the deleted one. The module sees it is not there and uses the next one."""
    result = converge(ec2)
    table = next(t for t in result["route_tables"] if t["name"] == "local-atelier-backend-us-east-1a-rt")
    ec2.tables[table["id"]]["Associations"] = []
    del ec2.tables[table["id"]]

    again = converge(ec2)

    made = next(t for t in again["route_tables"] if t["name"] == "local-atelier-backend-us-east-1a-rt")
    assert made["id"] != table["id"] and made["id"] in ec2.tables
    tokens = [p["ClientToken"] for n, p in ec2.calls if n == "create_route_table"]
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert run(ec2).result["changed"] is False


def test_no_op_makes_eleven_describe_calls_and_no_change(ec2):
    converge(ec2)
    result = run(ec2, diff=True).result

    assert result["changed"] is False
    assert result["actions"] == []
    assert ec2.mutating() == []
    assert len(ec2.calls) == 11
    assert result["diff"]["before"] == result["diff"]["after"]


def test_check_mode_on_an_empty_account_reads_and_says_what_it_would_create(ec2):
    result = run(ec2, check=True, diff=True).result

    assert result["changed"] is True
    assert "create subnet local-atelier-public-us-east-1a 10.0.1.0/24" in result["actions"]
    assert "create subnet local-atelier-database-us-east-1b 10.0.32.0/24" in result["actions"]
    assert result["msg"].startswith("Would have made ")
    assert ec2.mutating() == []
    assert [name for name, _ in ec2.calls] == [
        "describe_availability_zones",
        "describe_vpcs",
        "describe_internet_gateways",
        "describe_addresses",
    ]
    assert result["vpc"]["id"] is None
    assert result["diff"]["before"] == {}
    assert "local-atelier-frontend-us-east-1a-rt" in result["diff"]["after"]["route_tables"]


def test_check_mode_on_a_change_reports_it_and_changes_nothing(ec2):
    converge(ec2)
    result = run(ec2, check=True, diff=True, nat_topology="single").result

    assert result["changed"] is True
    assert any(a.startswith("delete NAT gateway") for a in result["actions"])
    assert ec2.mutating() == []
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert set(before["nat_gateways"]) == {"us-east-1a", "us-east-1b"} and set(after["nat_gateways"]) == {"us-east-1a"}


# ---- absent ----


def test_absent_removes_everything_then_is_a_no_op(ec2):
    converge(ec2)
    result = run(ec2, state="absent").result

    assert result["changed"] is True
    assert result["vpc"] == {} and result["subnets"] == [] and result["nat_gateways"] == {}
    assert not ec2.vpcs and not ec2.subnets and not ec2.igws and not ec2.addresses and not ec2.endpoints
    assert {n["State"] for n in ec2.nats.values()} == {"deleted"}
    again = run(ec2, state="absent").result
    assert again["changed"] is False and ec2.mutating() == []


def test_absent_in_check_mode_changes_nothing(ec2):
    converge(ec2)
    result = run(ec2, check=True, state="absent").result
    assert result["changed"] is True and result["actions"][-1].startswith("delete vpc local-atelier 10.0.0.0/16")
    assert ec2.mutating() == [] and len(ec2.subnets) == 8


def test_absent_says_which_network_interfaces_still_use_a_subnet(ec2):
    result = converge(ec2)
    database = result["subnets_by_tier"]["database"][0]["id"]
    ec2.interfaces["eni-rds"] = {
        "NetworkInterfaceId": "eni-rds",
        "SubnetId": database,
        "VpcId": result["vpc"]["id"],
        "Description": "RDSNetworkInterface",
        "RequesterId": "amazon-rds",
    }
    failed = run(ec2, state="absent")

    assert isinstance(failed, AnsibleFailJson)
    assert failed.result["msg"].startswith(
        "AWS refuses to delete subnet local-atelier-database-us-east-1a 10.0.31.0/24: network interfaces still use it: "
        "eni-rds (RDSNetworkInterface, requester amazon-rds)."
    )
    assert failed.result["changed"] is True
    assert failed.result["failed_action"] == "delete subnet local-atelier-database-us-east-1a 10.0.31.0/24"
    assert "delete internet gateway" in " ".join(failed.result["actions"])


# ---- lost responses: adoption, tokens, duplicates ----


def test_a_lost_create_response_leaves_nothing_the_next_run_does_not_adopt(ec2, monkeypatch):
    """The response to CreateNatGateway is lost (the NAT gateway exists, the run fails): the next run finds it by
    its tags, makes no second one, and the run after that is a no-op."""
    create = ec2.create_nat_gateway

    def lost(client, **params):
        create(client, **params)
        raise error("RequestTimeout", "the response was lost")

    monkeypatch.setattr(ec2_network, "create_nat_gateway", lost)
    failed = run(ec2)
    assert isinstance(failed, AnsibleFailJson)
    assert (
        failed.result["failed_action"]
        == "create NAT gateway local-atelier-nat-us-east-1a in subnet local-atelier-public-us-east-1a"
    )
    monkeypatch.setattr(ec2_network, "create_nat_gateway", create)

    result = converge(ec2)

    assert (
        "create NAT gateway local-atelier-nat-us-east-1a in subnet local-atelier-public-us-east-1a"
        not in result["actions"]
    )
    assert "create subnet local-atelier-public-us-east-1a 10.0.1.0/24" not in result["actions"]
    assert len(ec2.nats) == 2 and len(ec2.vpcs) == 1 and len(ec2.addresses) == 2
    assert run(ec2).result["changed"] is False


def test_a_create_not_yet_visible_is_answered_by_its_token(ec2, monkeypatch):
    """A NAT gateway whose create response was lost and that DescribeNatGateways does not show yet (AWS is eventually
    consistent): the retried create carries the same token, so AWS answers with the first NAT gateway."""
    create = ec2.create_nat_gateway
    describe = ec2.describe_nat_gateways

    def lost(client, **params):
        create(client, **params)
        raise error("RequestTimeout", "the response was lost")

    monkeypatch.setattr(ec2_network, "create_nat_gateway", lost)
    assert isinstance(run(ec2), AnsibleFailJson)
    monkeypatch.setattr(ec2_network, "create_nat_gateway", create)
    # Listed by VPC, the NAT gateway is not there yet; looked up by its id, it is.
    monkeypatch.setattr(
        ec2_network,
        "describe_nat_gateways",
        lambda client, **params: [] if "Filter" in params else describe(client, **params),
    )
    (first,) = ec2.nats

    result = converge(ec2)

    assert result["nat_gateways"]["us-east-1a"] == first
    assert len(ec2.nats) == 2
    tokens = [p["ClientToken"] for n, p in ec2.calls if n == "create_nat_gateway"]
    assert len(tokens) == 2 and len(set(tokens)) == 2  # one per AZ, the one of us-east-1a as in the lost call
    monkeypatch.setattr(ec2_network, "describe_nat_gateways", describe)
    assert run(ec2).result["changed"] is False


def test_a_dead_answer_to_the_token_moves_to_the_next_generation(ec2):
    """A NAT gateway deleted by hand and made again from the same subnet and Elastic IP: AWS answers the token with
    the deleted one, so the module asks again with the token's next generation."""
    result = converge(ec2)
    nat_a = result["nat_gateways"]["us-east-1a"]
    ec2.nats[nat_a]["State"] = "deleted"
    ec2.addresses[ec2.nats[nat_a]["NatGatewayAddresses"][0]["AllocationId"]].pop("AssociationId")

    again = converge(ec2)

    assert again["nat_gateways"]["us-east-1a"] != nat_a
    tokens = [p["ClientToken"] for n, p in ec2.calls if n == "create_nat_gateway"]
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert run(ec2).result["changed"] is False


def test_empty_duplicates_are_cleaned_up_then_the_run_is_a_no_op(ec2):
    result = converge(ec2)

    def spec(kind, name):
        return [
            {
                "ResourceType": kind,
                "Tags": [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in OWNER.items()],
            }
        ]

    ec2.create_vpc(None, CidrBlock="10.0.0.0/16", TagSpecifications=spec("vpc", "local-atelier"))
    ec2.create_internet_gateway(None, TagSpecifications=spec("internet-gateway", "local-atelier-igw"))
    ec2.allocate_address(None, Domain="vpc", TagSpecifications=spec("elastic-ip", "local-atelier-nat-us-east-1a"))
    ec2.create_route_table(
        None, VpcId=result["vpc"]["id"], TagSpecifications=spec("route-table", "local-atelier-public-us-east-1a-rt")
    )
    ec2.create_vpc_endpoint(
        None,
        VpcId=result["vpc"]["id"],
        ServiceName="com.amazonaws.us-east-1.s3",
        RouteTableIds=[],
        TagSpecifications=spec("vpc-endpoint", "local-atelier-s3"),
    )

    cleaned = converge(ec2)

    assert [" ".join(a.split(" ")[:2]) for a in cleaned["actions"]] == [
        "delete vpc",
        "delete internet",
        "release elastic",
        "delete route",
        "delete endpoint",
    ]
    assert all("duplicate" in a for a in cleaned["actions"])
    assert len(ec2.vpcs) == 1 and len(ec2.igws) == 1 and len(ec2.addresses) == 2 and len(ec2.endpoints) == 2
    assert len(ec2.tables) == 9
    assert run(ec2).result["changed"] is False


def test_two_vpcs_holding_resources_fail_before_any_change(ec2):
    converge(ec2)
    other = ec2.create_vpc(
        None,
        CidrBlock="10.0.0.0/16",
        TagSpecifications=[
            {
                "ResourceType": "vpc",
                "Tags": [{"Key": "Name", "Value": "local-atelier"}]
                + [{"Key": k, "Value": v} for k, v in OWNER.items()],
            }
        ],
    )
    ec2.create_subnet(None, VpcId=other, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")

    failed = run(ec2)

    assert isinstance(failed, AnsibleFailJson)
    assert "2 VPCs carry the identity of local-atelier" in failed.result["msg"]
    assert ec2.mutating() == []


def lost(ec2, monkeypatch, name, code=None, twice=False):
    """Make the wrapper `name` behave as a call whose first request AWS applied and whose answer was lost, seen
    after the retry: the retry fails with `code` ("already" error), or (twice) is applied again and answered."""
    real = getattr(ec2, name)

    def wrapper(client, **params):
        made = real(client, **params)
        if twice:
            return real(client, **params)
        raise error(code, "the first request was applied")

    monkeypatch.setattr(ec2_network, name, wrapper)


def answered(ec2, monkeypatch, *names):
    """The wrappers of names answer again (no lost response)."""
    for name in names:
        monkeypatch.setattr(ec2_network, name, getattr(ec2, name))


def test_a_retried_create_subnet_adopts_the_subnet_its_first_request_made(ec2, monkeypatch):
    lost(ec2, monkeypatch, "create_subnet", "InvalidSubnet.Conflict")
    result = converge(ec2)

    assert len(ec2.subnets) == 8
    assert sorted(s["id"] for s in result["subnets"]) == sorted(ec2.subnets)
    described = [p for n, p in ec2.calls if n == "describe_subnets" and len(p.get("Filters", [])) == 2]
    assert len(described) == 8 and described[0]["Filters"][1] == {"Name": "cidr-block", "Values": ["10.0.1.0/24"]}
    answered(ec2, monkeypatch, "create_subnet")
    assert run(ec2).result["changed"] is False


def test_a_subnet_conflict_with_a_subnet_of_another_name_still_fails(ec2, monkeypatch):
    real = ec2.create_subnet

    def taken(client, **params):
        real(client, **dict(params, TagSpecifications=[]))
        raise error("InvalidSubnet.Conflict", "The CIDR conflicts with another subnet")

    monkeypatch.setattr(ec2_network, "create_subnet", taken)
    failed = run(ec2)
    assert isinstance(failed, AnsibleFailJson)
    assert failed.result["failed_action"] == "create subnet local-atelier-public-us-east-1a 10.0.1.0/24"


@pytest.mark.parametrize(
    "call, code",
    [
        ("attach_internet_gateway", "Resource.AlreadyAssociated"),
        ("associate_route_table", "Resource.AlreadyAssociated"),
        ("create_route", "RouteAlreadyExists"),
        ("revoke_security_group_egress", "InvalidPermission.NotFound"),
    ],
)
def test_a_retry_answered_already_done_carries_on(ec2, monkeypatch, call, code):
    lost(ec2, monkeypatch, call, code)
    result = converge(ec2)

    assert result["changed"] is True and len(ec2.tables) == 9 and len(ec2.subnets) == 8
    answered(ec2, monkeypatch, call)
    assert run(ec2).result["changed"] is False


def test_a_retried_untokened_create_leaves_no_duplicate_after_the_run(ec2, monkeypatch):
    """CreateVpc, CreateInternetGateway and AllocateAddress have no token: their retry makes a second resource of
    the same Name. The run deletes the one it did not get, so one run leaves one of each."""
    for call in ("create_vpc", "create_internet_gateway", "allocate_address"):
        lost(ec2, monkeypatch, call, twice=True)
    result = converge(ec2)

    assert len(ec2.vpcs) == 1 and len(ec2.igws) == 1 and len(ec2.addresses) == 2
    assert result["vpc"]["id"] in ec2.vpcs and result["internet_gateway_id"] in ec2.igws
    swept = [a for a in result["actions"] if "a duplicate a retried create made" in a]
    assert [a.split(" ")[1] for a in swept] == ["vpc", "internet", "elastic", "elastic"]
    answered(ec2, monkeypatch, "create_vpc", "create_internet_gateway", "allocate_address")
    assert run(ec2).result["changed"] is False


def test_what_was_there_before_the_run_is_never_swept(ec2, monkeypatch):
    """An Elastic IP of the NAT gateway's Name that was there before the run (known to the plan) is not a duplicate
    of this run's create, even when unassociated: the plan adopted or released it already."""
    converge(ec2)
    nat_a = next(n for n in ec2.nats.values() if tag_dict(n)["Name"].endswith("us-east-1a"))
    nat_a["State"] = "deleted"
    allocation = nat_a["NatGatewayAddresses"][0]["AllocationId"]
    ec2.addresses[allocation].pop("AssociationId")

    again = converge(ec2)

    assert allocation in ec2.addresses and not any("a duplicate a retried create made" in a for a in again["actions"])


def test_absent_keeps_the_subnets_data_needs_and_says_why(ec2):
    result = converge(ec2)
    database = {s["id"]: "in the DB subnet group x of the DB instance y" for s in result["subnets_by_tier"]["database"]}

    removed = run(ec2, state="absent", keep_subnets=database).result

    assert removed["changed"] is True
    assert [k["kind"] for k in removed["kept"]] == ["subnet", "subnet", "route table", "route table", "vpc"]
    assert sorted(ec2.subnets) == sorted(database) and len(ec2.vpcs) == 1
    assert not ec2.igws and not ec2.addresses and not ec2.endpoints
    assert {n["State"] for n in ec2.nats.values()} == {"deleted"}
    assert len(ec2.tables) == 3  # the main route table and the two kept ones
    again = run(ec2, state="absent", keep_subnets=database).result
    assert again["changed"] is False and ec2.mutating() == [] and again["kept"] == removed["kept"]
    gone = run(ec2, state="absent").result
    assert gone["changed"] is True and gone["kept"] == [] and not ec2.vpcs and not ec2.subnets


# ---- bad input ----


def test_bad_input_fails_before_any_call(ec2):
    failed = run(ec2, cidr_block="10.0.0.1/16", az_count=1)
    assert isinstance(failed, AnsibleFailJson)
    assert failed.result["msg"].startswith("2 problems: (1) cidr_block: VPC CIDR '10.0.0.1/16' has host bits set")
    assert ec2.calls == []


def test_more_azs_than_the_region_has_fails_after_one_read(ec2):
    failed = run(ec2, az_count=7)
    assert isinstance(failed, AnsibleFailJson)
    assert failed.result["msg"].startswith("Region us-east-1 has 6 available AZs")
    assert [name for name, _ in ec2.calls] == ["describe_availability_zones"]


def test_state_present_needs_a_cidr_and_tiers(ec2):
    failed = run(ec2, cidr_block=None)
    assert isinstance(failed, AnsibleFailJson)
    assert "cidr_block" in failed.result["msg"]
    assert ec2.calls == []
