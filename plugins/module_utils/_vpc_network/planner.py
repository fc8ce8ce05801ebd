# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Plan the network: the desired state from the options, the current one from the describes, the steps between.

A plan is a list of steps, each one AWS call (or a wait) with the words an operator reads ("create subnet
local-atelier-public-us-east-1a 10.0.1.0/24"). What a step creates is named by a Ref (its id is known once the step
has run), so one plan covers a cold deploy, a no-op and everything between, and check mode shows the plan unrun.

Identity. A resource is the network's when it carries the Name the module gives it and the ownership tags
(atelier:env, atelier:stack) found in the tags option. Resources inside the network's VPC are found by the VPC id
(a subnet by its CIDR, which AWS keeps unique in a VPC); the internet gateway and the Elastic IPs, which live outside
a VPC, by their tags.

No duplicates. Every create is tagged at creation (TagSpecifications), so whatever a lost response left behind
carries the identity and is adopted by the next run. CreateNatGateway, CreateRouteTable and CreateVpcEndpoint take
an idempotency token (ClientToken) derived from the resource's Name and the ids of what it is made in, so a retried
create within AWS's token window returns the first resource. Empty duplicates (a second VPC with nothing in it, a
detached internet gateway, an unassociated Elastic IP or route table, a second endpoint of a service) are deleted;
anything in use is never touched, and two VPCs that both hold resources stop the run with a message.

Pure Python: no boto3 calls; the shapes are boto3's (DescribeVpcs, DescribeSubnets, ...).
"""

import hashlib

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ..stack import TAG_ENV
from ..stack import TAG_NAME
from ..stack import TAG_STACK
from ..stack import TAG_TIER
from ..stack import endpoint_name
from ..stack import nat_gateway_name
from ..stack import network_names
from ..stack import route_table_name
from ..stack import subnet_name
from ..subnet_plan import overlapping
from ..subnet_plan import subnet_plan
from .validation import choose_azs
from .validation import tier_list

DEFAULT_ROUTE = "0.0.0.0/0"
NAT_ALIVE = ("pending", "available")
ENDPOINT_GONE = ("deleting", "deleted", "failed", "rejected", "expired")
# AWS's limit of an EC2 idempotency token.
TOKEN_MAX = 64
# CreateVpc leaves DNS support on and DNS hostnames off in a VPC that is not the default one.
NEW_VPC_DNS = {"support": True, "hostnames": False}


class PlanError(Exception):
    """The network can't be converged without deleting something in use or moving what can't move."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Ref:
    """The id of a resource the plan creates, known once its step has run."""

    def __init__(self, *key):
        self.key = key

    def __eq__(self, other):
        return isinstance(other, Ref) and other.key == self.key

    def __hash__(self):
        return hash(("Ref",) + self.key)

    def __repr__(self):
        return f"Ref{self.key!r}"


class Token:
    """The idempotency token of a create: derived from the resource's kind, its Name and the ids of what it is made
    in (some of them Refs until earlier steps have run)."""

    def __init__(self, kind, *parts):
        self.kind = kind
        self.parts = parts

    def __repr__(self):
        return f"Token({self.kind!r}, {self.parts!r})"


def token_generation_key(token):
    """Where the executor keeps how many times a token's answer was a dead resource."""
    return ("generation", token.kind) + tuple(str(p) for p in token.parts[:1])


def client_token(kind, parts, generation=0):
    """A ClientToken that is the same for the same resource in every run: ``atelier-<kind>-`` and 32 hex digits of
    the SHA-256 of the kind, the parts (Name and parent ids) and, after the first, the generation.

    Parents are part of it so that a network made again (new VPC, subnet, Elastic IP ids) gets new tokens: AWS
    answers a token it has seen (for at least 24 hours, even after the resource is deleted) with the first result.
    The generation moves on when AWS answered a token with a resource that is no longer usable (a NAT gateway
    deleted or failed since).
    """
    text = "\x1f".join([kind] + [str(p) for p in parts] + ([str(generation)] if generation else []))
    token = f"atelier-{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"
    return token[:TOKEN_MAX]


def resolve(value, refs):
    """value with every Ref replaced by its id from refs (None when not known, as in check mode); Tokens become
    tokens, recursively through dicts and lists."""
    if isinstance(value, Ref):
        return refs.get(value.key)
    if isinstance(value, Token):
        parts = [resolve(p, refs) for p in value.parts]
        return client_token(value.kind, parts, refs.get(token_generation_key(value), 0))
    if isinstance(value, dict):
        return {k: resolve(v, refs) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [resolve(v, refs) for v in value]
    return value


def tags_of(resource):
    """A boto3 resource's Tags as a dict."""
    return {t.get("Key"): t.get("Value") for t in (resource or {}).get("Tags") or []}


def tag_specifications(resource_type, tags):
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}]


def identity(params, region, region_azs):
    """What the network is known by: its Name prefix, the tags of every resource, the ownership tags among them,
    and the Name of a NAT gateway (and of its Elastic IP) in every AZ of the region."""
    name = params["name"]
    tags = {str(k): str(v) for k, v in (params.get("tags") or {}).items()}
    azs = sorted(set(region_azs) | set(choose_azs(params, region_azs) if params.get("tiers") else []))
    return {
        "name": name,
        "region": region,
        "tags": tags,
        "purge_tags": params.get("purge_tags", True),
        "owner": {k: tags[k] for k in (TAG_ENV, TAG_STACK) if k in tags},
        "names": network_names(name),
        "nat_names": {nat_gateway_name(name, az): az for az in azs},
        "keep": {str(k): str(v) for k, v in (params.get("keep_subnets") or {}).items()},
    }


def desired_network(params, region, region_azs):
    """The network the options describe (the options are valid: validation.input_errors found nothing)."""
    network = identity(params, region, region_azs)
    name = network["name"]
    azs = choose_azs(params, region_azs)
    tiers = tier_list(params["tiers"])
    if params.get("subnets"):
        plan = params["subnets"]
    else:
        plan = subnet_plan(
            params["cidr_block"],
            azs,
            tiers=[t for t, _type in tiers],
            newbits=params.get("newbits", 8),
            tier_stride=params.get("tier_stride", 10),
            offset=params.get("offset", 1),
        )
    subnets = []
    for tier, tier_type in tiers:
        for entry in sorted(plan[tier], key=lambda e: azs.index(e["az"])):
            az = entry["az"]
            subnets.append(
                {
                    "key": (tier, az),
                    "tier": tier,
                    "type": tier_type,
                    "az": az,
                    "cidr": entry["cidr"],
                    "name": subnet_name(name, tier, az),
                    "route_table": route_table_name(name, tier, az),
                }
            )
    public = next((t for t, tier_type in tiers if tier_type == "public"), None)
    topology = params.get("nat_topology", "one_per_az")
    if topology == "none" or public is None:
        nat_azs = []
    elif topology == "single":
        nat_azs = azs[:1]
    else:
        nat_azs = list(azs)
    network.update(
        cidr=params["cidr_block"],
        azs=azs,
        dns_support=bool(params.get("dns_support", True)),
        dns_hostnames=bool(params.get("dns_hostnames", True)),
        subnets=subnets,
        public_tier=public,
        nat_azs=nat_azs,
        internet_gateway=network["names"]["internet_gateway"] if public else None,
        endpoints=[(short, f"com.amazonaws.{region}.{short}") for short in params.get("endpoints") or []],
        wait=params.get("wait", True),
    )
    return network


def empty_current():
    return {
        "vpcs": [],
        "subnets": [],
        "route_tables": [],
        "security_groups": [],
        "endpoints": [],
        "nat_gateways": [],
        "internet_gateways": [],
        "addresses": [],
        "dns": None,
    }


class _Planner:
    """What the present and absent planners share: identity tests and the step list."""

    def __init__(self, network, current):
        self.n = network
        self.cur = dict(empty_current(), **current)
        self.steps = []
        self.tag_updates = []
        self.warnings = []

    # ---- identity ----

    def owner_matches(self, resource):
        tags = tags_of(resource)
        return all(tags.get(k) == v for k, v in self.n["owner"].items())

    def owns(self, resource, name):
        """Whether resource carries the Name and the ownership tags."""
        return tags_of(resource).get(TAG_NAME) == name and self.owner_matches(resource)

    def owner_conflict(self, resource):
        """A message when the resource carries another owner's tags, else None."""
        tags = tags_of(resource)
        theirs = {k: tags.get(k) for k in self.n["owner"] if tags.get(k) is not None}
        if not theirs or all(self.n["owner"][k] == v for k, v in theirs.items()):
            return None
        return ", ".join(f"{k}={v}" for k, v in sorted(theirs.items()))

    def nat_az(self, resource):
        """The AZ whose NAT gateway Name resource carries with the ownership tags, else None."""
        tags = tags_of(resource)
        az = self.n["nat_names"].get(tags.get(TAG_NAME))
        return az if az and self.owner_matches(resource) else None

    def vpc_ids(self):
        return [v["VpcId"] for v in self.cur["vpcs"] if self.owns(v, self.n["name"])]

    # ---- steps ----

    def step(self, kind, action, call=None, ref=None, token=None, **params):
        self.steps.append(
            {
                "kind": kind,
                "actions": [action] if action else [],
                "call": call,
                "params": params,
                "ref": ref,
                "token": token,
            }
        )

    def tags_for(self, name, tier=None):
        tags = dict(self.n["tags"])
        tags[TAG_NAME] = name
        if tier:
            tags[TAG_TIER] = tier
        return tags

    def converge_tags(self, what, resource_id, label, current_tags, wanted):
        """Queue the tag changes of an existing resource (emitted at the end, batched by tag set)."""
        to_set, to_unset = compare_aws_tags(current_tags, wanted, purge_tags=self.n["purge_tags"])
        if to_set or to_unset:
            self.tag_updates.append((what, resource_id, label, to_set, to_unset))

    def emit_tag_updates(self):
        """One CreateTags per distinct set of tags to set and one DeleteTags per distinct set of keys to remove,
        over every resource that needs it."""
        sets, unsets = {}, {}
        for what, resource_id, label, to_set, to_unset in self.tag_updates:
            if to_set:
                words = f"update tags of {what} {label}: set {', '.join(sorted(to_set))}"
                sets.setdefault(tuple(sorted(to_set.items())), []).append((resource_id, words))
            if to_unset:
                words = f"update tags of {what} {label}: remove {', '.join(sorted(to_unset))}"
                unsets.setdefault(tuple(sorted(to_unset)), []).append((resource_id, words))
        for tags, resources in sets.items():
            self.steps.append(
                {
                    "kind": "update",
                    "actions": [words for _id, words in resources],
                    "call": "create_tags",
                    "params": {
                        "Resources": [r for r, _w in resources],
                        "Tags": [{"Key": k, "Value": v} for k, v in tags],
                    },
                    "ref": None,
                    "token": None,
                }
            )
        for keys, resources in unsets.items():
            self.steps.append(
                {
                    "kind": "update",
                    "actions": [words for _id, words in resources],
                    "call": "delete_tags",
                    "params": {"Resources": [r for r, _w in resources], "Tags": [{"Key": k} for k in keys]},
                    "ref": None,
                    "token": None,
                }
            )


def attached_vpcs(gateway):
    return [a.get("VpcId") for a in gateway.get("Attachments") or [] if a.get("State") not in ("detached", "detaching")]


def subnet_associations(route_table):
    return [a for a in route_table.get("Associations") or [] if a.get("SubnetId") and not a.get("Main")]


def is_main(route_table):
    return any(a.get("Main") for a in route_table.get("Associations") or [])


def nat_allocations(nat):
    return [a.get("AllocationId") for a in nat.get("NatGatewayAddresses") or [] if a.get("AllocationId")]


def route_destination(route):
    for key in ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"):
        if route.get(key):
            return key, route[key]
    return None, None


def route_target(route):
    for key in (
        "GatewayId",
        "NatGatewayId",
        "TransitGatewayId",
        "NetworkInterfaceId",
        "InstanceId",
        "VpcPeeringConnectionId",
        "EgressOnlyInternetGatewayId",
        "CarrierGatewayId",
        "LocalGatewayId",
        "CoreNetworkArn",
    ):
        if route.get(key):
            return key, route[key]
    return None, None


def managed_route(route):
    """Whether the module owns a route (may replace or delete it): not the local route, not a gateway endpoint's
    prefix-list route, not a propagated one."""
    if route.get("GatewayId") == "local" or route.get("Origin") in ("CreateRouteTable", "EnableVgwRoutePropagation"):
        return False
    if route.get("DestinationPrefixListId") and str(route.get("GatewayId", "")).startswith("vpce-"):
        return False
    return True


def endpoint_alive(endpoint):
    return str(endpoint.get("State", "")).lower() not in ENDPOINT_GONE


class PresentPlanner(_Planner):
    """The steps from the current state to the desired network."""

    def __init__(self, network, current):
        super().__init__(network, current)
        self.layout = {
            "vpc": None,
            "subnets": {},
            "igw": None,
            "eips": {},
            "nats": {},
            "route_tables": {},
            "endpoints": {},
        }
        self.cleanup = []  # steps that remove what is no longer wanted, run at the end (or first, see _subnets)
        self.stale_first = False
        self.new_nats = []

    def plan(self):
        self._vpc()
        vpc_steps, self.steps = self.steps, []
        self._subnets()
        subnet_steps, self.steps = self.steps, []
        self._internet_gateway()
        self._nat_gateways()
        self._route_tables()
        self._default_security_group()
        self._endpoints()
        self._routes()
        middle, self.steps = self.steps, []
        self._cleanup_steps()
        cleanup = self.steps
        self.steps = vpc_steps
        if self.stale_first:
            self.steps += cleanup
        self.steps += subnet_steps + middle
        if not self.stale_first:
            self.steps += cleanup
        self.emit_tag_updates()
        return self.steps

    # ---- VPC ----

    def _vpc_contents(self, vpc_id):
        """What a VPC holds besides what every VPC has (main route table, default security group)."""
        cur = self.cur
        contents = []
        counted = [
            ("subnet", [s for s in cur["subnets"] if s.get("VpcId") == vpc_id]),
            ("route table", [r for r in cur["route_tables"] if r.get("VpcId") == vpc_id and not is_main(r)]),
            ("endpoint", [e for e in cur["endpoints"] if e.get("VpcId") == vpc_id and endpoint_alive(e)]),
            (
                "NAT gateway",
                [g for g in cur["nat_gateways"] if g.get("VpcId") == vpc_id and g.get("State") != "deleted"],
            ),
            ("internet gateway", [g for g in cur["internet_gateways"] if vpc_id in attached_vpcs(g)]),
            (
                "security group",
                [g for g in cur["security_groups"] if g.get("VpcId") == vpc_id and g.get("GroupName") != "default"],
            ),
        ]
        for what, found in counted:
            if found:
                contents.append(f"{len(found)} {what}{'s' if len(found) > 1 else ''}")
        return contents

    def choose_vpc(self):
        """(keeper, duplicates): the VPC carrying the identity to converge (None: create one) and the empty
        duplicates to delete. Raises PlanError when more than one of them holds resources."""
        n = self.n
        candidates = sorted((v for v in self.cur["vpcs"] if self.owns(v, n["name"])), key=lambda v: v["VpcId"])
        if len(candidates) < 2:
            return (candidates[0] if candidates else None), []
        contents = {v["VpcId"]: self._vpc_contents(v["VpcId"]) for v in candidates}
        holding = [v for v in candidates if contents[v["VpcId"]]]
        if len(holding) > 1:
            listed = "; ".join(
                f"{v['VpcId']} ({v.get('CidrBlock')}: {', '.join(contents[v['VpcId']])})" for v in holding
            )
            owner = " and ".join(sorted(n["owner"])) or "no ownership tags"
            raise PlanError(
                f"{len(holding)} VPCs carry the identity of {n['name']} (its Name and {owner}) and hold resources: "
                f"{listed}. The module adopts one VPC and never deletes one that holds resources: remove the one you "
                "do not want (or its Name tag), then run again."
            )
        keeper = (
            holding[0]
            if holding
            else sorted(candidates, key=lambda v: (v.get("CidrBlock") != n["cidr"], v["VpcId"]))[0]
        )
        return keeper, [v for v in candidates if v is not keeper]

    def _vpc(self):
        n = self.n
        keeper, duplicates = self.choose_vpc()
        for vpc in duplicates:
            self.step(
                "delete",
                f"delete vpc {vpc['VpcId']} {vpc.get('CidrBlock')} (an empty duplicate of {n['name']})",
                "delete_vpc",
                VpcId=vpc["VpcId"],
            )
        if keeper is None:
            self.layout["vpc"] = Ref("vpc")
            self.step(
                "create",
                f"create vpc {n['name']} {n['cidr']}",
                "create_vpc",
                ref=("vpc",),
                CidrBlock=n["cidr"],
                TagSpecifications=tag_specifications("vpc", self.tags_for(n["name"])),
            )
            dns = dict(NEW_VPC_DNS)
        else:
            if keeper.get("CidrBlock") != n["cidr"]:
                raise PlanError(
                    f"VPC {keeper['VpcId']} ({n['name']}) has the CIDR {keeper.get('CidrBlock')}, but the network asks "
                    f"for {n['cidr']}. AWS can't change the CIDR of a VPC: set it back to {keeper.get('CidrBlock')}, "
                    "or remove the network (state absent) and create it again."
                )
            self.layout["vpc"] = keeper["VpcId"]
            self.converge_tags("vpc", keeper["VpcId"], n["name"], tags_of(keeper), self.tags_for(n["name"]))
            dns = self.cur["dns"] or dict(NEW_VPC_DNS)
        vpc = self.layout["vpc"]
        changes = []
        if dns.get("support") != n["dns_support"]:
            changes.append(("support", "EnableDnsSupport", n["dns_support"]))
        if dns.get("hostnames") != n["dns_hostnames"]:
            changes.append(("hostnames", "EnableDnsHostnames", n["dns_hostnames"]))
        if not n["dns_support"]:
            changes.reverse()  # DNS hostnames need DNS support: turn hostnames off first
        for word, attribute, value in changes:
            self.step(
                "update",
                f"update vpc {n['name']}: DNS {word} {'on' if value else 'off'}",
                "modify_vpc_attribute",
                VpcId=vpc,
                **{attribute: {"Value": value}},
            )

    # ---- subnets ----

    def _is_stale_candidate(self, subnet):
        return TAG_TIER in tags_of(subnet) and self.owner_matches(subnet)

    def _subnets(self):
        vpc = self.layout["vpc"]
        existing = [s for s in self.cur["subnets"] if s.get("VpcId") == vpc]
        by_cidr = {s.get("CidrBlock"): s for s in existing}
        wanted = {d["cidr"] for d in self.n["subnets"]}
        self.stale_subnets = [s for s in existing if s.get("CidrBlock") not in wanted and self._is_stale_candidate(s)]
        stale_ids = {s["SubnetId"] for s in self.stale_subnets}
        for d in self.n["subnets"]:
            subnet = by_cidr.get(d["cidr"])
            tags = self.tags_for(d["name"], d["tier"])
            if subnet is None:
                for other in existing:
                    if other.get("CidrBlock") in wanted or not overlapping(other["CidrBlock"], d["cidr"]):
                        continue
                    if other["SubnetId"] in stale_ids:
                        self.stale_first = True
                        continue
                    raise PlanError(
                        f"the planned subnet {d['name']} ({d['cidr']}) overlaps subnet {other['SubnetId']} "
                        f"({other['CidrBlock']}, Name {tags_of(other).get(TAG_NAME, '-')}) in {vpc}, which the module "
                        "does not manage: change the subnet plan or remove that subnet."
                    )
                self.layout["subnets"][d["key"]] = Ref("subnet", d["name"])
                self.step(
                    "create",
                    f"create subnet {d['name']} {d['cidr']}",
                    "create_subnet",
                    ref=("subnet", d["name"]),
                    VpcId=vpc,
                    CidrBlock=d["cidr"],
                    AvailabilityZone=d["az"],
                    TagSpecifications=tag_specifications("subnet", tags),
                )
                continue
            if subnet.get("AvailabilityZone") != d["az"]:
                raise PlanError(
                    f"subnet {subnet['SubnetId']} has the CIDR {d['cidr']} in {subnet.get('AvailabilityZone')}, but the "
                    f"plan puts {d['name']} in {d['az']}. A subnet can't move to another AZ: change the plan, or "
                    "delete that subnet first."
                )
            conflict = self.owner_conflict(subnet)
            if conflict:
                raise PlanError(
                    f"subnet {subnet['SubnetId']} ({d['cidr']}) is in the plan as {d['name']}, but it carries the "
                    f"tags {conflict} of another stack: change the subnet plan or remove that subnet."
                )
            self.layout["subnets"][d["key"]] = subnet["SubnetId"]
            self.converge_tags("subnet", subnet["SubnetId"], d["name"], tags_of(subnet), tags)
            if subnet.get("MapPublicIpOnLaunch"):
                self.step(
                    "update",
                    f"update subnet {d['name']}: no public IPs on launch",
                    "modify_subnet_attribute",
                    SubnetId=subnet["SubnetId"],
                    MapPublicIpOnLaunch={"Value": False},
                )

    # ---- internet gateway ----

    def _internet_gateway(self):
        n, vpc = self.n, self.layout["vpc"]
        name = n["names"]["internet_gateway"]
        ours = sorted(
            (g for g in self.cur["internet_gateways"] if self.owns(g, name)), key=lambda g: g["InternetGatewayId"]
        )
        here = [g for g in ours if vpc in attached_vpcs(g)]
        detached = [g for g in ours if not attached_vpcs(g)]
        if n["internet_gateway"] is None:
            for gateway in here:
                self.step(
                    "delete",
                    f"detach internet gateway {name} ({gateway['InternetGatewayId']}): no public tier",
                    "detach_internet_gateway",
                    InternetGatewayId=gateway["InternetGatewayId"],
                    VpcId=vpc,
                )
            for gateway in here + detached:
                self.step(
                    "delete",
                    f"delete internet gateway {name} ({gateway['InternetGatewayId']})",
                    "delete_internet_gateway",
                    InternetGatewayId=gateway["InternetGatewayId"],
                )
            return
        keeper = (here + detached)[0] if here + detached else None
        for gateway in detached:
            if gateway is not keeper:
                self.step(
                    "delete",
                    f"delete internet gateway {gateway['InternetGatewayId']} (a detached duplicate of {name})",
                    "delete_internet_gateway",
                    InternetGatewayId=gateway["InternetGatewayId"],
                )
        if keeper is None:
            self.layout["igw"] = Ref("igw")
            self.step(
                "create",
                f"create internet gateway {name}",
                "create_internet_gateway",
                ref=("igw",),
                TagSpecifications=tag_specifications("internet-gateway", self.tags_for(name)),
            )
        else:
            self.layout["igw"] = keeper["InternetGatewayId"]
            self.converge_tags(
                "internet gateway", keeper["InternetGatewayId"], name, tags_of(keeper), self.tags_for(name)
            )
        if keeper is None or keeper not in here:
            self.step(
                "create",
                f"attach internet gateway {name} to vpc {n['name']}",
                "attach_internet_gateway",
                InternetGatewayId=self.layout["igw"],
                VpcId=vpc,
            )

    # ---- Elastic IPs and NAT gateways ----

    def _nat_gateways(self):
        n, vpc = self.n, self.layout["vpc"]
        nats = [g for g in self.cur["nat_gateways"] if g.get("VpcId") == vpc and g.get("State") in NAT_ALIVE]
        nats_by_az, eips_by_az = {}, {}
        for nat in sorted(nats, key=lambda g: (g.get("State") != "available", g["NatGatewayId"])):
            az = self.nat_az(nat)
            if az:
                nats_by_az.setdefault(az, []).append(nat)
        for address in sorted(self.cur["addresses"], key=lambda a: a.get("AllocationId", "")):
            az = self.nat_az(address)
            if az:
                eips_by_az.setdefault(az, []).append(address)
        self.nats_to_delete = []  # (nat, name)
        self.eips_after_nats = []  # (address, name): released once the NAT gateways that used them are deleted

        for az in n["nat_azs"]:
            name = nat_gateway_name(n["name"], az)
            subnet = self.layout["subnets"][(n["public_tier"], az)]
            candidates = nats_by_az.pop(az, [])
            fitting = [g for g in candidates if g.get("SubnetId") == subnet]
            keeper = fitting[0] if fitting else None
            for nat in candidates:
                if nat is not keeper:
                    self.nats_to_delete.append((nat, name))
            eips = eips_by_az.pop(az, [])
            in_use = {a for g in candidates for a in nat_allocations(g)}
            eip = None
            if keeper is not None:
                eip = next((a for a in eips if a["AllocationId"] in nat_allocations(keeper)), None)
                self.layout["nats"][az] = keeper["NatGatewayId"]
                self.converge_tags("NAT gateway", keeper["NatGatewayId"], name, tags_of(keeper), self.tags_for(name))
                if keeper.get("State") != "available":
                    self.new_nats.append(keeper["NatGatewayId"])
            else:
                # No NAT gateway of this AZ is visible. An Elastic IP of its Name associated with something unknown is
                # most likely the one a NAT gateway whose create response was lost (and which DescribeNatGateways
                # does not show yet) holds: creating with it again repeats that call's token, and AWS answers with
                # that NAT gateway. Else a free one is adopted.
                unexplained = [a for a in eips if a.get("AssociationId") and a["AllocationId"] not in in_use]
                free = [a for a in eips if not a.get("AssociationId") and a["AllocationId"] not in in_use]
                eip = (unexplained + free + [None])[0]
            for address in eips:
                if address is eip:
                    continue
                if address["AllocationId"] in in_use:
                    self.eips_after_nats.append((address, name))
                elif not address.get("AssociationId"):
                    self.step(
                        "delete",
                        f"release elastic ip {address.get('PublicIp')} ({address['AllocationId']}, an unassociated "
                        f"duplicate of {name})",
                        "release_address",
                        AllocationId=address["AllocationId"],
                    )
                else:
                    self.warnings.append(
                        f"elastic ip {address.get('PublicIp')} ({address['AllocationId']}) carries the Name {name} but "
                        f"is associated with {address.get('NetworkInterfaceId') or address.get('InstanceId')}: left alone"
                    )
            if eip is None:
                self.layout["eips"][az] = Ref("eip", az)
                self.step(
                    "create",
                    f"allocate elastic ip {name}",
                    "allocate_address",
                    ref=("eip", az),
                    Domain="vpc",
                    TagSpecifications=tag_specifications("elastic-ip", self.tags_for(name)),
                )
            else:
                self.layout["eips"][az] = eip["AllocationId"]
                self.converge_tags("elastic ip", eip["AllocationId"], name, tags_of(eip), self.tags_for(name))
            if keeper is None:
                self.layout["nats"][az] = Ref("nat", az)
                self.new_nats.append(Ref("nat", az))
                self.step(
                    "create",
                    f"create NAT gateway {name} in subnet {subnet_name(n['name'], n['public_tier'], az)}",
                    "create_nat_gateway",
                    ref=("nat", az),
                    token=Token("nat", name, subnet, self.layout["eips"][az]),
                    SubnetId=subnet,
                    AllocationId=self.layout["eips"][az],
                    TagSpecifications=tag_specifications("natgateway", self.tags_for(name)),
                )
        # NAT gateways and Elastic IPs of AZs that no longer have one (a topology or AZ change).
        for az, candidates in nats_by_az.items():
            for nat in candidates:
                self.nats_to_delete.append((nat, nat_gateway_name(n["name"], az)))
        deleted = {a for nat, _name in self.nats_to_delete for a in nat_allocations(nat)}
        for az, eips in eips_by_az.items():
            name = nat_gateway_name(n["name"], az)
            for address in eips:
                if address["AllocationId"] in deleted or not address.get("AssociationId"):
                    self.eips_after_nats.append((address, name))

    # ---- route tables ----

    def _route_tables(self):
        vpc = self.layout["vpc"]
        tables = sorted((t for t in self.cur["route_tables"] if t.get("VpcId") == vpc), key=lambda t: t["RouteTableId"])
        self.tables_by_id = {t["RouteTableId"]: t for t in tables}
        association_of = {}  # subnet id -> (association, table)
        for table in tables:
            for association in subnet_associations(table):
                association_of[association["SubnetId"]] = (association, table)
        wanted_names = {d["route_table"] for d in self.n["subnets"]}
        for d in self.n["subnets"]:
            name, subnet = d["route_table"], self.layout["subnets"][d["key"]]
            candidates = [t for t in tables if self.owns(t, name) and not is_main(t)]
            keeper = next(
                (t for t in candidates if any(a["SubnetId"] == subnet for a in subnet_associations(t))), None
            ) or next((t for t in candidates if not subnet_associations(t)), None)
            for table in candidates:
                if table is keeper:
                    continue
                if subnet_associations(table):
                    self.warnings.append(
                        f"route table {table['RouteTableId']} carries the Name {name} but is associated with "
                        f"{', '.join(a['SubnetId'] for a in subnet_associations(table))}: left alone"
                    )
                    continue
                self.step(
                    "delete",
                    f"delete route table {table['RouteTableId']} (an unassociated duplicate of {name})",
                    "delete_route_table",
                    RouteTableId=table["RouteTableId"],
                )
            if keeper is None:
                self.layout["route_tables"][d["key"]] = Ref("route_table", name)
                self.step(
                    "create",
                    f"create route table {name}",
                    "create_route_table",
                    ref=("route_table", name),
                    token=Token("route-table", name, vpc, subnet),
                    VpcId=vpc,
                    TagSpecifications=tag_specifications("route-table", self.tags_for(name, d["tier"])),
                )
            else:
                self.layout["route_tables"][d["key"]] = keeper["RouteTableId"]
                self.converge_tags(
                    "route table", keeper["RouteTableId"], name, tags_of(keeper), self.tags_for(name, d["tier"])
                )
            table_id = self.layout["route_tables"][d["key"]]
            current = association_of.get(subnet) if isinstance(subnet, str) else None
            if current is None:
                self.step(
                    "create",
                    f"associate route table {name} with subnet {d['name']}",
                    "associate_route_table",
                    RouteTableId=table_id,
                    SubnetId=subnet,
                )
            elif current[1]["RouteTableId"] != table_id:
                self.step(
                    "update",
                    f"associate subnet {d['name']} with route table {name} instead of {current[1]['RouteTableId']}",
                    "replace_route_table_association",
                    AssociationId=current[0]["RouteTableAssociationId"],
                    RouteTableId=table_id,
                )
        self.stale_tables = [
            t
            for t in tables
            if not is_main(t)
            and TAG_TIER in tags_of(t)
            and self.owner_matches(t)
            and tags_of(t).get(TAG_NAME) not in wanted_names
        ]

    # ---- routes ----

    def _desired_routes(self, d):
        n = self.n
        if d["type"] == "public":
            return {DEFAULT_ROUTE: ("GatewayId", self.layout["igw"])}
        if d["type"] == "private" and n["nat_azs"]:
            az = d["az"] if d["az"] in n["nat_azs"] else n["nat_azs"][0]
            return {DEFAULT_ROUTE: ("NatGatewayId", self.layout["nats"][az])}
        return {}

    def _routes(self):
        now, after_nats = [], []
        for d in self.n["subnets"]:
            table_id = self.layout["route_tables"][d["key"]]
            table = self.tables_by_id.get(table_id) if isinstance(table_id, str) else None
            wanted = self._desired_routes(d)
            current = {}
            for route in (table or {}).get("Routes") or []:
                if managed_route(route):
                    current[route_destination(route)] = route
            for (key, destination), route in sorted(current.items()):
                if key == "DestinationCidrBlock" and destination in wanted:
                    continue
                now.append(
                    (
                        "delete",
                        f"delete route {destination} -> {route_target(route)[1]} from route table {d['route_table']}",
                        "delete_route",
                        {"RouteTableId": table_id, key: destination},
                    )
                )
            for destination, (target_key, target) in wanted.items():
                route = current.get(("DestinationCidrBlock", destination))
                word = (
                    f"internet gateway {self.n['names']['internet_gateway']}"
                    if target_key == "GatewayId"
                    else "NAT gateway " + self._nat_label(target)
                )
                params = {"RouteTableId": table_id, "DestinationCidrBlock": destination, target_key: target}
                queue = after_nats if target_key == "NatGatewayId" else now
                if route is None:
                    queue.append(
                        (
                            "create",
                            f"create route {destination} -> {word} in route table {d['route_table']}",
                            "create_route",
                            params,
                        )
                    )
                elif route_target(route) != (target_key, target) or route.get("State") == "blackhole":
                    queue.append(
                        (
                            "update",
                            f"replace route {destination} -> {word} in route table {d['route_table']}",
                            "replace_route",
                            params,
                        )
                    )
        for kind, action, call, params in now:
            self.step(kind, action, call, **params)
        if after_nats and self.new_nats and self.n["wait"]:
            self.step("wait", None, "wait_nat_gateways_available", NatGatewayIds=list(self.new_nats))
        for kind, action, call, params in after_nats:
            self.step(kind, action, call, **params)

    def _nat_label(self, target):
        for az, nat in self.layout["nats"].items():
            if nat == target:
                return nat_gateway_name(self.n["name"], az)
        return str(target)

    # ---- default security group ----

    def _default_security_group(self):
        vpc, name = self.layout["vpc"], self.n["names"]["default_security_group"]
        group = next(
            (g for g in self.cur["security_groups"] if g.get("VpcId") == vpc and g.get("GroupName") == "default"), None
        )
        if group is None:
            # A VPC made in this run: its default group is read once the VPC exists.
            self.step(
                "update",
                f"strip the default security group of vpc {self.n['name']} of every rule and tag it {name}",
                "converge_default_security_group",
                VpcId=vpc,
            )
            return
        for kind, action, call, params in default_security_group_steps(
            group, name, self.tags_for(name), self.n["purge_tags"]
        ):
            if call in ("create_tags", "delete_tags"):
                continue
            self.step(kind, action, call, **params)
        self.converge_tags("security group", group["GroupId"], name, tags_of(group), self.tags_for(name))

    # ---- gateway endpoints ----

    def _endpoints(self):
        n, vpc = self.n, self.layout["vpc"]
        endpoints = sorted(
            (e for e in self.cur["endpoints"] if e.get("VpcId") == vpc and endpoint_alive(e)),
            key=lambda e: (
                e.get("State", "").lower() != "available",
                -len(e.get("RouteTableIds") or []),
                e["VpcEndpointId"],
            ),
        )
        wanted_tables = [self.layout["route_tables"][d["key"]] for d in n["subnets"]]
        wanted_services = {service for _short, service in n["endpoints"]}
        for endpoint in endpoints:
            service = endpoint.get("ServiceName", "")
            if service not in wanted_services and self.owns(endpoint, endpoint_name(n["name"], service)):
                self.step(
                    "delete",
                    f"delete endpoint {endpoint_name(n['name'], service)} ({endpoint['VpcEndpointId']}): not wanted",
                    "delete_vpc_endpoints",
                    VpcEndpointIds=[endpoint["VpcEndpointId"]],
                )
        for short, service in n["endpoints"]:
            name = endpoint_name(n["name"], service)
            candidates = [
                e
                for e in endpoints
                if e.get("ServiceName") == service
                and e.get("VpcEndpointType", "Gateway") == "Gateway"
                and (self.owns(e, name) or not tags_of(e))
            ]
            keeper = candidates[0] if candidates else None
            for endpoint in candidates[1:]:
                self.step(
                    "delete",
                    f"delete endpoint {endpoint['VpcEndpointId']} (a duplicate {short} endpoint of {name})",
                    "delete_vpc_endpoints",
                    VpcEndpointIds=[endpoint["VpcEndpointId"]],
                )
            if keeper is None:
                self.layout["endpoints"][short] = Ref("endpoint", short)
                self.step(
                    "create",
                    f"create endpoint {name} ({service}) on {len(wanted_tables)} route tables",
                    "create_vpc_endpoint",
                    ref=("endpoint", short),
                    token=Token("endpoint", name, vpc, service),
                    VpcId=vpc,
                    ServiceName=service,
                    VpcEndpointType="Gateway",
                    RouteTableIds=wanted_tables,
                    TagSpecifications=tag_specifications("vpc-endpoint", self.tags_for(name)),
                )
                continue
            self.layout["endpoints"][short] = keeper["VpcEndpointId"]
            self.converge_tags("endpoint", keeper["VpcEndpointId"], name, tags_of(keeper), self.tags_for(name))
            attached = keeper.get("RouteTableIds") or []
            add = [t for t in wanted_tables if t not in attached]
            remove = [t for t in attached if t not in wanted_tables]
            if add or remove:
                words = []
                if add:
                    words.append(f"add {len(add)} route table{'s' if len(add) > 1 else ''}")
                if remove:
                    words.append(f"remove {', '.join(remove)}")
                params = {"VpcEndpointId": keeper["VpcEndpointId"]}
                if add:
                    params["AddRouteTableIds"] = add
                if remove:
                    params["RemoveRouteTableIds"] = remove
                self.step("update", f"update endpoint {name}: {' and '.join(words)}", "modify_vpc_endpoint", **params)

    # ---- what is no longer wanted ----

    def _cleanup_steps(self):
        nat_ids = []
        for nat, name in self.nats_to_delete:
            nat_ids.append(nat["NatGatewayId"])
            self.step(
                "delete",
                f"delete NAT gateway {nat['NatGatewayId']} ({name}, no longer wanted here)",
                "delete_nat_gateway",
                NatGatewayId=nat["NatGatewayId"],
            )
        if nat_ids:
            self.step("wait", None, "wait_nat_gateways_deleted", NatGatewayIds=nat_ids)
        for address, name in self.eips_after_nats:
            self.step(
                "delete",
                f"release elastic ip {address.get('PublicIp')} ({address['AllocationId']}, {name}, no longer used)",
                "release_address",
                AllocationId=address["AllocationId"],
            )
        for table in self.stale_tables:
            name = tags_of(table).get(TAG_NAME)
            for association in subnet_associations(table):
                self.step(
                    "delete",
                    f"disassociate route table {name} from subnet {association['SubnetId']}",
                    "disassociate_route_table",
                    AssociationId=association["RouteTableAssociationId"],
                )
            self.step(
                "delete",
                f"delete route table {name} ({table['RouteTableId']}, not in the plan)",
                "delete_route_table",
                RouteTableId=table["RouteTableId"],
            )
        for subnet in self.stale_subnets:
            self.step(
                "delete",
                f"delete subnet {tags_of(subnet).get(TAG_NAME)} {subnet.get('CidrBlock')} ({subnet['SubnetId']}, "
                "not in the plan)",
                "delete_subnet",
                SubnetId=subnet["SubnetId"],
            )


def default_security_group_steps(group, name, tags, purge_tags):
    """The calls that strip a default security group of every rule and tag it (as (kind, action, call, params))."""
    steps = []
    for direction, key, call in (
        ("ingress", "IpPermissions", "revoke_security_group_ingress"),
        ("egress", "IpPermissionsEgress", "revoke_security_group_egress"),
    ):
        rules = [_revocable(p) for p in group.get(key) or []]
        if rules:
            steps.append(
                (
                    "update",
                    f"revoke {len(rules)} {direction} rule{'s' if len(rules) > 1 else ''} of the default security "
                    f"group {name} ({group['GroupId']})",
                    call,
                    {"GroupId": group["GroupId"], "IpPermissions": rules},
                )
            )
    to_set, to_unset = compare_aws_tags(tags_of(group), tags, purge_tags=purge_tags)
    if to_set:
        steps.append(
            (
                "update",
                f"update tags of security group {name}: set {', '.join(sorted(to_set))}",
                "create_tags",
                {"Resources": [group["GroupId"]], "Tags": [{"Key": k, "Value": v} for k, v in sorted(to_set.items())]},
            )
        )
    if to_unset:
        steps.append(
            (
                "update",
                f"update tags of security group {name}: remove {', '.join(sorted(to_unset))}",
                "delete_tags",
                {"Resources": [group["GroupId"]], "Tags": [{"Key": k} for k in sorted(to_unset)]},
            )
        )
    return steps


def _revocable(permission):
    """A described permission as RevokeSecurityGroupIngress/Egress take it back (no empty lists, group pairs by id)."""
    rule = {"IpProtocol": permission.get("IpProtocol", "-1")}
    for key in ("FromPort", "ToPort"):
        if permission.get(key) is not None:
            rule[key] = permission[key]
    if permission.get("IpRanges"):
        rule["IpRanges"] = [{"CidrIp": r["CidrIp"]} for r in permission["IpRanges"]]
    if permission.get("Ipv6Ranges"):
        rule["Ipv6Ranges"] = [{"CidrIpv6": r["CidrIpv6"]} for r in permission["Ipv6Ranges"]]
    if permission.get("PrefixListIds"):
        rule["PrefixListIds"] = [{"PrefixListId": r["PrefixListId"]} for r in permission["PrefixListIds"]]
    if permission.get("UserIdGroupPairs"):
        rule["UserIdGroupPairs"] = [
            {"GroupId": r["GroupId"]} for r in permission["UserIdGroupPairs"] if r.get("GroupId")
        ]
    return rule


class AbsentPlanner(_Planner):
    """The steps that remove, in dependency order, what carries the network's identity, but for what data needs:
    the subnets named in the network's keep (subnet id -> why), their route tables and their VPC (self.kept)."""

    def plan(self):
        n = self.n
        vpcs = sorted(self.vpc_ids())
        kept = kept_parts(vpcs, self.cur["subnets"], self.cur["route_tables"], n.get("keep"), n["owner"])
        self.kept = [dict(item, name=item["name"] or n["name"]) for part in kept.values() for item in part.values()]
        endpoints = [
            e
            for e in self.cur["endpoints"]
            if e.get("VpcId") in vpcs
            and endpoint_alive(e)
            and self.owns(e, endpoint_name(n["name"], e.get("ServiceName", "")))
        ]
        if endpoints:
            self.step(
                "delete",
                f"delete endpoints {', '.join(endpoint_name(n['name'], e.get('ServiceName', '')) for e in endpoints)}",
                "delete_vpc_endpoints",
                VpcEndpointIds=[e["VpcEndpointId"] for e in endpoints],
            )
        nats = [g for g in self.cur["nat_gateways"] if g.get("VpcId") in vpcs and self.nat_az(g)]
        live = [g for g in nats if g.get("State") in NAT_ALIVE]
        for nat in live:
            self.step(
                "delete",
                f"delete NAT gateway {tags_of(nat).get(TAG_NAME)} ({nat['NatGatewayId']})",
                "delete_nat_gateway",
                NatGatewayId=nat["NatGatewayId"],
            )
        waiting = [g["NatGatewayId"] for g in nats if g.get("State") in NAT_ALIVE + ("deleting",)]
        if waiting:
            self.step("wait", None, "wait_nat_gateways_deleted", NatGatewayIds=waiting)
        released = {a for g in nats for a in nat_allocations(g)}
        for address in sorted(self.cur["addresses"], key=lambda a: a.get("AllocationId", "")):
            if not self.nat_az(address):
                continue
            if address.get("AssociationId") and address["AllocationId"] not in released:
                self.warnings.append(
                    f"elastic ip {address.get('PublicIp')} ({address['AllocationId']}) carries the Name "
                    f"{tags_of(address).get(TAG_NAME)} but is associated with "
                    f"{address.get('NetworkInterfaceId') or address.get('InstanceId')}: left alone"
                )
                continue
            self.step(
                "delete",
                f"release elastic ip {tags_of(address).get(TAG_NAME)} {address.get('PublicIp')}",
                "release_address",
                AllocationId=address["AllocationId"],
            )
        for table in sorted(self.cur["route_tables"], key=lambda t: t["RouteTableId"]):
            if table.get("VpcId") not in vpcs or is_main(table) or not self.owner_matches(table):
                continue
            if TAG_TIER not in tags_of(table):
                continue
            name = tags_of(table).get(TAG_NAME, table["RouteTableId"])
            if table["RouteTableId"] in kept["route_tables"]:
                self._strip_gateway_routes(table, name)
                continue
            for association in subnet_associations(table):
                self.step(
                    "delete",
                    f"disassociate route table {name} from subnet {association['SubnetId']}",
                    "disassociate_route_table",
                    AssociationId=association["RouteTableAssociationId"],
                )
            self.step("delete", f"delete route table {name}", "delete_route_table", RouteTableId=table["RouteTableId"])
        igw_name = n["names"]["internet_gateway"]
        for gateway in sorted(self.cur["internet_gateways"], key=lambda g: g["InternetGatewayId"]):
            if not self.owns(gateway, igw_name):
                continue
            attached = attached_vpcs(gateway)
            foreign = [v for v in attached if v not in vpcs]
            if foreign:
                self.warnings.append(
                    f"internet gateway {gateway['InternetGatewayId']} carries the Name {igw_name} but is attached to "
                    f"{', '.join(foreign)}: left alone"
                )
                continue
            for vpc in attached:
                self.step(
                    "delete",
                    f"detach internet gateway {igw_name} from {vpc}",
                    "detach_internet_gateway",
                    InternetGatewayId=gateway["InternetGatewayId"],
                    VpcId=vpc,
                )
            self.step(
                "delete",
                f"delete internet gateway {igw_name} ({gateway['InternetGatewayId']})",
                "delete_internet_gateway",
                InternetGatewayId=gateway["InternetGatewayId"],
            )
        for subnet in sorted(self.cur["subnets"], key=lambda s: (s.get("VpcId"), s.get("CidrBlock"))):
            if subnet["SubnetId"] in kept["subnets"]:
                continue
            if subnet.get("VpcId") in vpcs and TAG_TIER in tags_of(subnet) and self.owner_matches(subnet):
                self.step(
                    "delete",
                    f"delete subnet {tags_of(subnet).get(TAG_NAME, subnet['SubnetId'])} {subnet.get('CidrBlock')}",
                    "delete_subnet",
                    SubnetId=subnet["SubnetId"],
                )
        for vpc in self.cur["vpcs"]:
            if vpc["VpcId"] in vpcs and vpc["VpcId"] not in kept["vpcs"]:
                self.step(
                    "delete",
                    f"delete vpc {n['name']} {vpc.get('CidrBlock')} ({vpc['VpcId']})",
                    "delete_vpc",
                    VpcId=vpc["VpcId"],
                )
        return self.steps

    def _strip_gateway_routes(self, table, name):
        """A kept route table loses its routes to the internet gateway and the NAT gateways, which are removed."""
        for route in table.get("Routes") or []:
            key, destination = route_destination(route)
            target_key, target = route_target(route)
            if key is None or not managed_route(route):
                continue
            if target_key == "NatGatewayId" or (target_key == "GatewayId" and str(target).startswith("igw-")):
                self.step(
                    "delete",
                    f"delete route {destination} -> {target} from the kept route table {name}",
                    "delete_route",
                    RouteTableId=table["RouteTableId"],
                    **{key: destination},
                )


def kept_parts(network_vpcs, subnets, route_tables, keep, owner):
    """What a removal keeps because data needs it: the network's subnets named in keep (subnet id -> why), the route
    tables associated with them, and the VPCs holding them. Returns {"subnets": {id: item}, "route_tables": {id:
    item}, "vpcs": {id: item}}, each item {"kind", "id", "name", "reason"}."""
    kept = {"subnets": {}, "route_tables": {}, "vpcs": {}}
    names, by_vpc = {}, {}
    for subnet in sorted(subnets, key=lambda s: s["SubnetId"]):
        tags = tags_of(subnet)
        ours = TAG_TIER in tags and all(tags.get(k) == v for k, v in owner.items())
        if subnet.get("VpcId") not in network_vpcs or not ours or subnet["SubnetId"] not in (keep or {}):
            continue
        name = tags.get(TAG_NAME, subnet["SubnetId"])
        names[subnet["SubnetId"]] = name
        by_vpc.setdefault(subnet["VpcId"], []).append(name)
        kept["subnets"][subnet["SubnetId"]] = {
            "kind": "subnet",
            "id": subnet["SubnetId"],
            "name": name,
            "reason": f"{subnet.get('CidrBlock')}, {keep[subnet['SubnetId']]}",
        }
    for table in sorted(route_tables, key=lambda t: t["RouteTableId"]):
        used_by = sorted(a["SubnetId"] for a in subnet_associations(table) if a.get("SubnetId") in names)
        if used_by:
            kept["route_tables"][table["RouteTableId"]] = {
                "kind": "route table",
                "id": table["RouteTableId"],
                "name": tags_of(table).get(TAG_NAME, table["RouteTableId"]),
                "reason": "routes the kept subnet " + ", ".join(names[s] for s in used_by),
            }
    for vpc_id, held in sorted(by_vpc.items()):
        kept["vpcs"][vpc_id] = {
            "kind": "vpc",
            "id": vpc_id,
            "name": None,
            "reason": f"holds the kept subnet{'s' if len(held) > 1 else ''} {', '.join(held)}",
        }
    return kept


def keeper_vpc_id(network, current):
    """The id of the VPC the present plan converges (None when it creates one); raises PlanError like the plan."""
    keeper, _duplicates = PresentPlanner(network, current).choose_vpc()
    return keeper["VpcId"] if keeper else None


def plan_present(network, current):
    """(steps, layout, warnings) converging current to the network (raises PlanError when it must not)."""
    planner = PresentPlanner(network, current)
    steps = planner.plan()
    return steps, planner.layout, planner.warnings


def plan_absent(network, current):
    """(steps, warnings, kept) removing what carries the network's identity but what data needs (kept: what stays
    and why, as {"kind", "id", "name", "reason"})."""
    planner = AbsentPlanner(network, current)
    steps = planner.plan()
    return steps, planner.warnings, planner.kept


def actions(steps):
    """What the steps do, in words, in order (waits are not actions)."""
    return [action for step in steps for action in step["actions"]]
