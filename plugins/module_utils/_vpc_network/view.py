# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the vpc_network module returns: the network's ids (outputs), the normalised network for --diff (by Name,
so that check mode on an empty account has an "after" too), and the message of a deletion AWS refuses.

Pure Python, on boto3's shapes and the planner's layout.
"""

from ..stack import TAG_NAME
from ..stack import TAG_TIER
from .planner import DEFAULT_ROUTE
from .planner import NAT_ALIVE
from .planner import Ref
from .planner import attached_vpcs
from .planner import endpoint_alive
from .planner import is_main
from .planner import route_destination
from .planner import route_target
from .planner import subnet_associations
from .planner import managed_route
from .planner import tags_of


def _resolved(value, refs):
    if isinstance(value, Ref):
        return refs.get(value.key)
    return value


def outputs(network, layout, refs):
    """The network's ids, resolved from this run's refs (None for what check mode would create)."""
    subnets, by_tier, route_tables = [], {}, []
    for d in network["subnets"]:
        subnet_id = _resolved(layout["subnets"].get(d["key"]), refs)
        subnets.append({"id": subnet_id, "tier": d["tier"], "az": d["az"], "cidr": d["cidr"], "name": d["name"]})
        by_tier.setdefault(d["tier"], []).append({"id": subnet_id, "az": d["az"], "cidr": d["cidr"]})
        route_tables.append(
            {
                "id": _resolved(layout["route_tables"].get(d["key"]), refs),
                "name": d["route_table"],
                "tier": d["tier"],
                "az": d["az"],
                "subnet_id": subnet_id,
            }
        )
    return {
        "vpc": {"id": _resolved(layout["vpc"], refs), "cidr": network["cidr"], "name": network["name"]},
        "azs": list(network["azs"]),
        "subnets": subnets,
        "subnets_by_tier": by_tier,
        "internet_gateway_id": _resolved(layout["igw"], refs),
        "nat_gateways": {az: _resolved(nat, refs) for az, nat in layout["nats"].items()},
        "route_tables": route_tables,
        "endpoints": {short: _resolved(e, refs) for short, e in layout["endpoints"].items()},
        "kept": [],
    }


def empty_outputs():
    return {
        "vpc": {},
        "azs": [],
        "subnets": [],
        "subnets_by_tier": {},
        "internet_gateway_id": None,
        "nat_gateways": {},
        "route_tables": [],
        "endpoints": {},
        "kept": [],
    }


def desired_view(network):
    """The normalised network the options describe."""
    n = network
    igw = n["internet_gateway"]
    nat_names = {az: name for name, az in n["nat_names"].items()}
    public = {d["az"]: d["name"] for d in n["subnets"] if d["tier"] == n["public_tier"]}
    subnets, tables = {}, {}
    for d in n["subnets"]:
        subnets[d["name"]] = {"cidr": d["cidr"], "az": d["az"], "tier": d["tier"], "map_public_ip_on_launch": False}
        routes = {}
        if d["type"] == "public":
            routes[DEFAULT_ROUTE] = f"internet gateway {igw}"
        elif d["type"] == "private" and n["nat_azs"]:
            az = d["az"] if d["az"] in n["nat_azs"] else n["nat_azs"][0]
            routes[DEFAULT_ROUTE] = f"NAT gateway {nat_names[az]}"
        tables[d["route_table"]] = {"subnet": d["name"], "routes": routes}
    all_tables = sorted(tables)
    return {
        "vpc": {
            "name": n["name"],
            "cidr": n["cidr"],
            "dns_support": n["dns_support"],
            "dns_hostnames": n["dns_hostnames"],
            "tags": dict(n["tags"], **{TAG_NAME: n["name"]}),
        },
        "subnets": subnets,
        "internet_gateway": {"name": igw, "attached": True} if igw else {},
        "nat_gateways": {az: {"name": nat_names[az], "subnet": public[az]} for az in n["nat_azs"]},
        "route_tables": tables,
        "default_security_group": {"name": n["names"]["default_security_group"], "rules": 0},
        "endpoints": {short: {"service": service, "route_tables": all_tables} for short, service in n["endpoints"]},
    }


def network_view(network, current, vpc_id):
    """The normalised network as it is: what the module manages in the VPC vpc_id (empty when there is none)."""
    n = network
    vpc = next((v for v in current["vpcs"] if v.get("VpcId") == vpc_id), None)
    if vpc is None:
        return {}
    owner = n["owner"]

    def managed(resource):
        tags = tags_of(resource)
        return TAG_TIER in tags and all(tags.get(k) == v for k, v in owner.items())

    wanted_cidrs = {d["cidr"] for d in n.get("subnets", [])}
    subnets = [
        s for s in current["subnets"] if s.get("VpcId") == vpc_id and (managed(s) or s.get("CidrBlock") in wanted_cidrs)
    ]
    subnet_names = {s["SubnetId"]: tags_of(s).get(TAG_NAME, s["SubnetId"]) for s in subnets}
    labels = {}
    for gateway in current["internet_gateways"]:
        labels[gateway["InternetGatewayId"]] = (
            f"internet gateway {tags_of(gateway).get(TAG_NAME, gateway['InternetGatewayId'])}"
        )
    for nat in current["nat_gateways"]:
        labels[nat["NatGatewayId"]] = f"NAT gateway {tags_of(nat).get(TAG_NAME, nat['NatGatewayId'])}"
    wanted_tables = {d["route_table"] for d in n.get("subnets", [])}
    tables = [
        t
        for t in current["route_tables"]
        if t.get("VpcId") == vpc_id and not is_main(t) and (managed(t) or tags_of(t).get(TAG_NAME) in wanted_tables)
    ]
    table_names = {t["RouteTableId"]: tags_of(t).get(TAG_NAME, t["RouteTableId"]) for t in tables}
    view_tables = {}
    for table in tables:
        associations = subnet_associations(table)
        routes = {}
        for route in table.get("Routes") or []:
            if managed_route(route):
                _key, destination = route_destination(route)
                _target_key, target = route_target(route)
                routes[destination] = labels.get(target, target) + (
                    " (blackhole)" if route.get("State") == "blackhole" else ""
                )
        view_tables[table_names[table["RouteTableId"]]] = {
            "subnet": (
                subnet_names.get(associations[0]["SubnetId"], associations[0]["SubnetId"]) if associations else None
            ),
            "routes": routes,
        }
    igw_name = n["names"]["internet_gateway"]
    gateways = [
        g
        for g in current["internet_gateways"]
        if tags_of(g).get(TAG_NAME) == igw_name and (vpc_id in attached_vpcs(g) or not attached_vpcs(g))
    ]
    nats = {}
    for nat in current["nat_gateways"]:
        az = n["nat_names"].get(tags_of(nat).get(TAG_NAME))
        if az and nat.get("VpcId") == vpc_id and nat.get("State") in NAT_ALIVE:
            nats[az] = {
                "name": tags_of(nat)[TAG_NAME],
                "subnet": subnet_names.get(nat.get("SubnetId"), nat.get("SubnetId")),
            }
    group = next(
        (g for g in current["security_groups"] if g.get("VpcId") == vpc_id and g.get("GroupName") == "default"), None
    )
    endpoints = {}
    for endpoint in current["endpoints"]:
        if endpoint.get("VpcId") != vpc_id or not endpoint_alive(endpoint):
            continue
        short = endpoint.get("ServiceName", "").rsplit(".", 1)[-1]
        endpoints[short] = {
            "service": endpoint.get("ServiceName"),
            "route_tables": sorted(table_names.get(t, t) for t in endpoint.get("RouteTableIds") or []),
        }
    dns = current.get("dns") or {}
    return {
        "vpc": {
            "name": tags_of(vpc).get(TAG_NAME),
            "cidr": vpc.get("CidrBlock"),
            "dns_support": dns.get("support"),
            "dns_hostnames": dns.get("hostnames"),
            "tags": tags_of(vpc),
        },
        "subnets": {
            subnet_names[s["SubnetId"]]: {
                "cidr": s.get("CidrBlock"),
                "az": s.get("AvailabilityZone"),
                "tier": tags_of(s).get(TAG_TIER),
                "map_public_ip_on_launch": bool(s.get("MapPublicIpOnLaunch")),
            }
            for s in subnets
        },
        "internet_gateway": {"name": igw_name, "attached": vpc_id in attached_vpcs(gateways[0])} if gateways else {},
        "nat_gateways": nats,
        "route_tables": view_tables,
        "default_security_group": (
            {
                "name": tags_of(group).get(TAG_NAME),
                "rules": len(group.get("IpPermissions") or []) + len(group.get("IpPermissionsEgress") or []),
            }
            if group
            else {}
        ),
        "endpoints": endpoints,
    }


def dependency_message(what, label, interfaces, others=()):
    """Why AWS refused to delete a subnet or VPC: the network interfaces (or, for a VPC, the other resources) still
    in it, and what to do."""
    if not interfaces:
        held = f": it still holds {'; '.join(others)}" if others else ": something still depends on it"
        return (
            f"AWS refuses to delete {what} {label}{held} (DependencyViolation). Remove what the other layers made in "
            "the network first (playbooks/teardown.yml removes them in order), then run again."
        )
    described = []
    for eni in interfaces:
        details = [eni.get("Description") or eni.get("InterfaceType") or "no description"]
        if eni.get("RequesterId"):
            details.append(f"requester {eni['RequesterId']}")
        instance = (eni.get("Attachment") or {}).get("InstanceId")
        if instance:
            details.append(f"instance {instance}")
        described.append(f"{eni['NetworkInterfaceId']} ({', '.join(details)})")
    return (
        f"AWS refuses to delete {what} {label}: network interfaces still use it: {'; '.join(described)}. Remove what "
        "owns them first (an RDS instance, a load balancer, instances, Lambda functions: playbooks/teardown.yml "
        "removes the layers above the network in order), then run again."
    )
