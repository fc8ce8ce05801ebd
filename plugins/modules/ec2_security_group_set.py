#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ec2_security_group_set
version_added: 0.1.0
short_description: Converge a set of EC2 security groups of one VPC, rules referring to each other, in one run
description:
  - Creates, updates and deletes a set of security groups of one VPC and their ingress rules in one module run.
    Rules may refer to other groups of the set, to existing groups of the VPC by name, to CIDRs, and to managed
    prefix lists by ID or by name (such as CloudFront's origin-facing list, whose ID differs by region).
  - Fills a gap of M(amazon.aws.ec2_security_group), which converges one group per run (one process per group in a
    loop), sleeps 3 seconds after each group it creates, and creates a group a rule refers to with an empty
    description. A set of groups that refer to each other then needs a creation pass and a rules pass, each a loop
    of module runs.
  - With O(state=present), the groups that do not exist are created first, tagged at creation, and waited for with
    the C(security_group_exists) waiter; then each group's ingress rules are authorized, revoked (with
    O(purge_rules=true)) or have their description updated, and its tags set. Egress rules are left as they are
    (a new group keeps the allow-all egress rule AWS gives it).
  - With O(state=present), one C(DescribeSecurityGroups) call reads every group of the set and every group a rule
    refers to by name. A run that changes nothing makes that call, C(DescribeVpcs) when the VPC is given by
    O(vpc_filters), and C(DescribeManagedPrefixLists) when a rule names a prefix list, and no other.
  - With O(state=absent), every ingress rule of the groups to delete is revoked first (so that no group of the set
    still refers to another), then the groups are deleted. A group still used by a network interface is not
    deleted; the module fails before any change, naming the group and the network interfaces - or, with
    O(keep_in_use=true), keeps it (a kept database's group), revoking only its rules that refer to the groups that go,
    and lists it in RV(kept).
  - A lost response. A create AWS applied whose answer was lost is retried (by botocore or the retry decorator); the
    retried C(CreateSecurityGroup) is C(InvalidGroup.Duplicate), and the module adopts the group of that name (made by
    the first request, tagged at creation); a retried C(AuthorizeSecurityGroupIngress) is
    C(InvalidPermission.Duplicate), and the module reads the group again and authorizes only the rules still
    missing.
  - The options are checked before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  vpc_id:
    description:
      - The ID of the VPC of the groups.
      - Exactly one of O(vpc_id) and O(vpc_filters) is required.
    type: str
  vpc_filters:
    description:
      - EC2 filters (for C(DescribeVpcs)) that select the VPC of the groups, for example a C(tag:Name) filter.
        They must match exactly one VPC.
      - When they match no VPC, O(state=present) fails; in check mode it reports the groups it would create instead,
        with an empty RV(vpc_id), so that the plan of a network that does not exist yet still runs. O(state=absent)
        then has nothing to delete.
    type: dict
  groups:
    description:
      - The groups of the set, in the order they are created. Names are unique.
      - With O(state=absent) only O(groups[].name) is read.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - The name of the group, unique in the VPC. At most 255 characters (letters, digits, spaces and
            C(._-:/()#,@[]+=&;{}!$*)), not starting with C(sg-).
        type: str
        required: true
      description:
        description:
          - The description of the group, required with O(state=present); same characters as O(groups[].name).
          - AWS cannot change the description of an existing group; a different one gives a warning.
        type: str
      rules:
        description:
          - The ingress rules of the group. Each admits one source (exactly one of O(groups[].rules[].group_name),
            O(groups[].rules[].cidr_ip), O(groups[].rules[].cidr_ipv6), O(groups[].rules[].prefix_list_id) and
            O(groups[].rules[].prefix_list_name)) on one protocol and port range.
        type: list
        elements: dict
        default: []
        suboptions:
          proto:
            description:
              - The IP protocol, V(tcp), V(udp), V(icmp), V(icmpv6), V(all) (or V(-1)), or a protocol number.
            type: str
            default: tcp
          ports:
            description:
              - The ports admitted, each one a rule of its own. For V(tcp) and V(udp), one of O(groups[].rules[].ports)
                and O(groups[].rules[].from_port) is required.
            type: list
            elements: int
          from_port:
            description:
              - The first port of a range (V(tcp), V(udp)), or the ICMP type (V(icmp), V(icmpv6); V(-1) for all types).
            type: int
          to_port:
            description:
              - The last port of a range (defaults to O(groups[].rules[].from_port)), or the ICMP code (V(-1), the
                default, for all codes).
            type: int
          group_name:
            description:
              - Admit the members of a group, by name; a group of O(groups) or any existing group of the VPC.
            type: str
          cidr_ip:
            description:
              - Admit an IPv4 network, such as V(203.0.113.0/24). Host bits must not be set.
            type: str
          cidr_ipv6:
            description:
              - Admit an IPv6 network, such as V(2001:db8::/32). Host bits must not be set.
            type: str
          prefix_list_id:
            description:
              - Admit the addresses of a managed prefix list, by ID (V(pl-...)).
            type: str
          prefix_list_name:
            description:
              - Admit the addresses of a managed prefix list, by name, such as
                V(com.amazonaws.global.cloudfront.origin-facing); its ID in the region is looked up with
                C(DescribeManagedPrefixLists).
            type: str
          rule_desc:
            description:
              - The description of the rule, at most 255 characters (same characters as O(groups[].name)).
              - A rule whose description alone differs is updated in place
                (C(UpdateSecurityGroupRuleDescriptionsIngress)), not revoked and authorized again.
            type: str
      tags:
        description:
          - Tags of this group, added over O(tags). See the notes.
        type: dict
  purge_rules:
    description:
      - Revoke the ingress rules of a group of the set that are not in its O(groups[].rules).
    type: bool
    default: true
  delete_matching:
    description:
      - With O(state=absent), also delete every group of the VPC that matches these EC2 filters (for
        C(DescribeSecurityGroups)), such as the groups of a tier no longer in O(groups), found by a C(group-name)
        filter with a wildcard (V(dev-web-*)) and a tag filter. The VPC's C(default) group is never deleted.
      - Costs one more C(DescribeSecurityGroups) call. Not allowed with O(state=present).
    type: dict
  keep_in_use:
    description:
      - With O(state=absent), keep the groups a network interface still uses (for example the group of a database
        that a teardown keeps) instead of failing. Such a group keeps its rules, but for those that refer to a group
        being deleted (AWS deletes no group another group's rule refers to); RV(kept) lists it with the interfaces
        that use it. Costs the same one C(DescribeNetworkInterfaces) call, also in check mode.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the groups of O(groups) and converges their rules and tags; V(absent) deletes them.
    type: str
    choices: ['present', 'absent']
    default: present
attributes:
  check_mode:
    description: Makes the same read calls and no change; returns what it would do in RV(actions).
    support: full
  diff_mode:
    description: Returns each group of the set (description, rules, tags) before and after the change.
    support: full
notes:
  - O(tags) apply to every group of the set, with each group's O(groups[].tags) over them; with O(purge_tags=true) a
    group's other tags are removed. When neither O(tags) nor O(groups[].tags) is set, the group's tags are left as
    they are. A new group is tagged when it is created (C(TagSpecifications)).
  - The IAM permissions needed are C(ec2:DescribeVpcs) (with O(vpc_filters)), C(ec2:DescribeSecurityGroups),
    C(ec2:DescribeManagedPrefixLists) (with O(groups[].rules[].prefix_list_name)), C(ec2:CreateSecurityGroup),
    C(ec2:CreateTags), C(ec2:DeleteTags), C(ec2:AuthorizeSecurityGroupIngress), C(ec2:RevokeSecurityGroupIngress),
    C(ec2:UpdateSecurityGroupRuleDescriptionsIngress), and for O(state=absent) C(ec2:DeleteSecurityGroup) and
    C(ec2:DescribeNetworkInterfaces).
  - A rule on a managed prefix list counts as the list's maximum number of entries against the group's rule quota.
seealso:
  - module: amazon.aws.ec2_security_group
  - module: atelier.infra.ec2_managed_prefix_list_info
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Converge a load balancer, its instances and their database, behind CloudFront
  atelier.infra.ec2_security_group_set:
    vpc_filters:
      tag:Name: dev-web
    tags:
      Environment: dev
    groups:
      - name: dev-web-alb
        description: Load balancer of the web tier
        rules:
          - proto: tcp
            ports: [443]
            prefix_list_name: com.amazonaws.global.cloudfront.origin-facing
            rule_desc: HTTPS from CloudFront only
      - name: dev-web-app
        description: Instances of the web tier
        rules:
          - ports: [8080]
            group_name: dev-web-alb
            rule_desc: App port from the load balancer only
      - name: dev-web-database
        description: Database of the web tier
        rules:
          - ports: [5432]
            group_name: dev-web-app
            rule_desc: PostgreSQL from the instances
          - from_port: 5432
            to_port: 5433
            cidr_ip: 10.0.0.0/16
            rule_desc: PostgreSQL from the VPC
  register: web_groups

- name: Delete the groups, and every other group of the stack left in the VPC
  atelier.infra.ec2_security_group_set:
    state: absent
    vpc_id: vpc-0123456789abcdef0
    groups:
      - name: dev-web-alb
      - name: dev-web-app
      - name: dev-web-database
    delete_matching:
      group-name: dev-web-*
      tag:Environment: dev
"""

RETURN = r"""
vpc_id:
  description: The ID of the VPC; empty when O(vpc_filters) matched no VPC (in check mode).
  returned: always
  type: str
  sample: vpc-0123456789abcdef0
groups:
  description:
    - The groups of the set that exist after the run, name to ID. In check mode a group that would be created has
      an empty ID. After O(state=absent), the groups kept (see RV(kept)).
  returned: always
  type: dict
  sample: {"dev-web-alb": "sg-0123456789abcdef0", "dev-web-app": "sg-0fedcba9876543210"}
prefix_lists:
  description: The managed prefix lists named by O(groups[].rules[].prefix_list_name), name to ID.
  returned: always
  type: dict
  sample: {"com.amazonaws.global.cloudfront.origin-facing": "pl-3b927c52"}
actions:
  description: What the run did, or would do in check mode, one line per change, in order.
  returned: always
  type: list
  elements: str
  sample:
    - create security group dev-web-database in vpc-0123456789abcdef0
    - authorize tcp 5432 from dev-web-app on dev-web-database
    - revoke tcp 22 from 0.0.0.0/0 on dev-web-app
kept:
  description: With O(state=absent) and O(keep_in_use=true), the groups kept because a network interface uses them.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The group's name.
      type: str
    id:
      description: The group's ID.
      type: str
    reason:
      description: What uses it.
      type: str
  sample:
    - {name: dev-web-db, id: sg-0123456789abcdef0, reason: "used by eni-0123456789abcdef0 (RDS instance: RDSNetworkInterface)"}
msg:
  description: A summary of what the run did, or would do in check mode.
  returned: always
  type: str
  sample: Created 1 and changed 2 security groups in vpc-0123456789abcdef0.
diff:
  description: The groups of the set before and after the run, by name, each with its description, rules and tags.
  returned: when run with C(--diff)
  type: dict
  contains:
    before:
      description: The groups before the run.
      type: dict
    after:
      description: The groups after the run.
      type: dict
"""

import ipaddress
import re
from collections import namedtuple
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

from ansible_collections.atelier.infra.plugins.module_utils import ec2_security_groups as api
from ansible_collections.atelier.infra.plugins.module_utils.ec2_prefix_lists import describe_managed_prefix_lists

# Characters AWS allows in a group's name and description and in a rule's description.
AWS_TEXT = re.compile(r"^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$")
PREFIX_LIST_ID = re.compile(r"^pl-[0-9a-f]+$")
PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}
PORT_PROTOCOLS = ("tcp", "udp")
ICMP_PROTOCOLS = ("icmp", "icmpv6")
SOURCES = ("group_name", "cidr_ip", "cidr_ipv6", "prefix_list_id", "prefix_list_name")
# The kind of source of a resolved rule: (IpPermission list, key of its entries).
PERMISSION_FIELDS = {
    "group": ("UserIdGroupPairs", "GroupId"),
    "cidr": ("IpRanges", "CidrIp"),
    "cidr6": ("Ipv6Ranges", "CidrIpv6"),
    "prefix_list": ("PrefixListIds", "PrefixListId"),
}
# Who made a network interface, by its RequesterId, for the message about a group still in use.
REQUESTERS = {
    "amazon-rds": "RDS instance",
    "amazon-elb": "load balancer",
    "amazon-elasticache": "ElastiCache node",
    "amazon-redshift": "Redshift cluster",
    "amazon-aws": "AWS service",
}
# The stand-in ID of a group that does not exist yet (check mode, or before the creation pass).
NEW = "(new) "

# A rule as requested: protocol, port range (None for protocols without ports), source kind and value, description.
Rule = namedtuple("Rule", "proto from_port to_port kind source desc")
# A rule as AWS knows it, without its description: protocol, ports, kind of source and the source's ID or CIDR.
Key = namedtuple("Key", "proto from_port to_port kind target")


# ---- options ------------------------------------------------------------------------------------------------------


def _text_errors(where: str, value: Optional[str], what: str) -> List[str]:
    if value is None:
        return []
    if len(value) > 255 or not AWS_TEXT.match(value):
        return [f"{where}: {what} {value!r} must be at most 255 letters, digits, spaces and ._-:/()#,@[]+=&;{{}}!$*"]
    return []


def _network(value: str, version: int) -> Tuple[Optional[str], Optional[str]]:
    """(the network as AWS writes it, None) or (None, what is wrong)."""
    kind = "IPv4" if version == 4 else "IPv6"
    text = value.strip()
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None, f"{value!r} is not an {kind} CIDR"
    if network.version != version or "/" not in text:
        return None, f"{value!r} is not an {kind} CIDR (network/prefix length)"
    if ipaddress.ip_interface(text).ip != network.network_address:
        return None, f"{value!r} has host bits set; did you mean {network}?"
    return str(network), None


def _protocol(value: str) -> Optional[str]:
    """The protocol as AWS returns it (tcp, udp, icmp, icmpv6, -1 or a number), or None when it is not one."""
    proto = PROTOCOLS.get(str(value).strip().lower(), str(value).strip().lower())
    if proto in PORT_PROTOCOLS + ICMP_PROTOCOLS + ("-1",):
        return proto
    if proto.isdigit() and 0 <= int(proto) <= 255:
        return proto
    return None


def _port_ranges(where: str, rule: Dict[str, Any], proto: str, errors: List[str]) -> List[Tuple[Any, Any]]:
    """The (from, to) ranges a rule admits; [(None, None)] for a protocol without ports."""
    ports, low, high = rule.get("ports"), rule.get("from_port"), rule.get("to_port")
    if proto in PORT_PROTOCOLS:
        if ports and (low is not None or high is not None):
            errors.append(f"{where}: ports and from_port/to_port are mutually exclusive")
            return []
        if not ports and low is None:
            errors.append(f"{where}: {proto} needs ports or from_port (and to_port)")
            return []
        ranges = [(p, p) for p in ports] if ports else [(low, low if high is None else high)]
        for first, last in ranges:
            if not (0 <= first <= last <= 65535):
                errors.append(f"{where}: port range {first}-{last} is not within 0-65535 (from_port <= to_port)")
        return ranges
    if ports:
        errors.append(f"{where}: ports only apply to tcp and udp; {proto} takes from_port/to_port (ICMP type/code)")
        return []
    if proto in ICMP_PROTOCOLS:
        icmp_type, icmp_code = (-1 if low is None else low), (-1 if high is None else high)
        if not (-1 <= icmp_type <= 255 and -1 <= icmp_code <= 255):
            errors.append(f"{where}: ICMP type {icmp_type} and code {icmp_code} must be between -1 and 255")
        return [(icmp_type, icmp_code)]
    if low is not None or high is not None:
        errors.append(f"{where}: protocol {rule.get('proto')} has no ports")
    return [(None, None)]


def _rule_source(where: str, rule: Dict[str, Any], errors: List[str]) -> Tuple[Optional[str], Optional[str]]:
    """(kind, value) of the one source of a rule; CIDRs written as AWS writes them."""
    given = [key for key in SOURCES if rule.get(key) not in (None, "")]
    if len(given) != 1:
        errors.append(f"{where}: needs exactly one of {', '.join(SOURCES)}" + (f", got {', '.join(given)}" if given else ""))
        return None, None
    kind = given[0]
    value = str(rule[kind])
    if kind in ("cidr_ip", "cidr_ipv6"):
        value, problem = _network(value, 4 if kind == "cidr_ip" else 6)
        if problem:
            errors.append(f"{where}: {kind} {problem}")
    elif kind == "prefix_list_id" and not PREFIX_LIST_ID.match(value):
        errors.append(f"{where}: prefix_list_id {value!r} is not a prefix list ID (pl-...)")
    return kind, value


def parse_rules(group: Dict[str, Any], errors: List[str]) -> List[Rule]:
    """The group's rules, one Rule per port range, checked; problems are appended to errors."""
    rules = []
    seen = {}
    for index, rule in enumerate(group.get("rules") or []):
        where = f"groups[{group['name']}].rules[{index}]"
        proto = _protocol(rule.get("proto") or "tcp")
        if proto is None:
            errors.append(f"{where}: proto {rule.get('proto')!r} is not tcp, udp, icmp, icmpv6, all or a protocol number")
            continue
        errors.extend(_text_errors(where, rule.get("rule_desc"), "rule_desc"))
        kind, source = _rule_source(where, rule, errors)
        for first, last in _port_ranges(where, rule, proto, errors):
            if kind is None:
                continue
            parsed = Rule(proto, first, last, kind, source, rule.get("rule_desc") or None)
            same = parsed._replace(desc=None)
            if same in seen and seen[same] != parsed.desc:
                errors.append(f"{where}: the same rule is listed twice with different descriptions")
            elif same not in seen:
                seen[same] = parsed.desc
                rules.append(parsed)
    return rules


def parse_groups(params: Dict[str, Any]) -> Tuple[List[Dict[str, Any]], List[str]]:
    """The groups with their parsed rules and merged tags, and every problem of the options (before any AWS call)."""
    errors = []
    present = params["state"] == "present"
    if params.get("delete_matching") is not None:
        if present:
            errors.append("delete_matching only applies with state=absent")
        elif not params["delete_matching"]:
            errors.append("delete_matching must name at least one filter (an empty one would match every group of the VPC)")
    if params.get("vpc_filters") is not None and not params["vpc_filters"]:
        errors.append("vpc_filters must name at least one filter")
    names = [g["name"] for g in params["groups"]]
    for name in sorted({n for n in names if names.count(n) > 1}):
        errors.append(f"groups: {name} is listed {names.count(name)} times")
    groups = []
    for group in params["groups"]:
        name = group["name"]
        where = f"groups[{name}]"
        if not name or name.lower().startswith("sg-"):
            errors.append(f"{where}: a group name must not be empty nor start with sg-")
        errors.extend(_text_errors(where, name, "name"))
        if present and not group.get("description"):
            errors.append(f"{where}: description is required with state=present")
        errors.extend(_text_errors(where, group.get("description"), "description"))
        tags = None
        if params.get("tags") is not None or group.get("tags") is not None:
            tags = dict(params.get("tags") or {}, **(group.get("tags") or {}))
            tags = {str(k): str(v) for k, v in tags.items()}
            for key in tags:
                if key.lower().startswith("aws:"):
                    errors.append(f"{where}: tag {key}: keys starting with aws: are reserved by AWS")
        rules = parse_rules(group, errors) if present else []
        groups.append({"name": name, "description": group.get("description"), "rules": rules, "tags": tags})
    return groups, errors


# ---- rules --------------------------------------------------------------------------------------------------------


def _ports(proto: Optional[str], first: Optional[int], last: Optional[int]) -> Tuple[Optional[int], Optional[int]]:
    return (first, last) if proto in PORT_PROTOCOLS + ICMP_PROTOCOLS else (None, None)


def current_rules(group: Dict[str, Any]) -> Dict[Key, Optional[str]]:
    """The ingress rules of a described group, Key to description."""
    rules = {}
    for perm in group.get("IpPermissions", []):
        proto = _protocol(perm.get("IpProtocol", "-1")) or str(perm.get("IpProtocol"))
        first, last = _ports(proto, perm.get("FromPort"), perm.get("ToPort"))
        for kind, (field, key) in PERMISSION_FIELDS.items():
            for entry in perm.get(field, []):
                target = entry.get(key)
                if kind in ("cidr", "cidr6"):
                    target = str(ipaddress.ip_network(target, strict=False))
                rules[Key(proto, first, last, kind, target)] = entry.get("Description") or None
    return rules


def desired_rules(rules: List[Rule], group_ids: Dict[str, str], prefix_list_ids: Dict[str, str]) -> Dict[Key, Optional[str]]:
    """The rules of a group of the set resolved to what AWS knows (group IDs, prefix list IDs), Key to description."""
    resolved = {}
    for rule in rules:
        if rule.kind == "group_name":
            kind, target = "group", group_ids[rule.source]
        elif rule.kind == "prefix_list_name":
            kind, target = "prefix_list", prefix_list_ids[rule.source]
        else:
            kind = {"cidr_ip": "cidr", "cidr_ipv6": "cidr6", "prefix_list_id": "prefix_list"}[rule.kind]
            target = rule.source
        resolved[Key(rule.proto, rule.from_port, rule.to_port, kind, target)] = rule.desc
    return resolved


def rule_changes(desired: Dict[Key, Optional[str]], current: Dict[Key, Optional[str]], purge: bool):
    """(to authorize, to revoke, to re-describe), each Key to (new) description."""
    authorize = {key: desc for key, desc in desired.items() if key not in current}
    revoke = {key: desc for key, desc in current.items() if key not in desired} if purge else {}
    describe = {key: desc for key, desc in desired.items() if key in current and current[key] != desc}
    return authorize, revoke, describe


def permissions(rules: Dict[Key, Optional[str]]) -> List[Dict[str, Any]]:
    """The rules as the IpPermissions of an EC2 call, one permission per protocol and port range, with their
    descriptions (AWS matches a rule to revoke without its description; the emulator wants it)."""
    by_ports = {}
    for key in sorted(rules, key=_sort_key):
        perm = by_ports.setdefault((key.proto, key.from_port, key.to_port), {"IpProtocol": key.proto})
        if key.from_port is not None:
            perm.update(FromPort=key.from_port, ToPort=key.to_port)
        field, name = PERMISSION_FIELDS[key.kind]
        entry = {name: key.target}
        if rules[key]:
            entry["Description"] = rules[key]
        perm.setdefault(field, []).append(entry)
    return list(by_ports.values())


def _sort_key(key: Key):
    return (key.proto, -2 if key.from_port is None else key.from_port, -2 if key.to_port is None else key.to_port,
            key.kind, key.target)


def render(key: Key, names: Dict[str, str]) -> str:
    """A rule for a reader: ``tcp 5432 from dev-web-app``; names maps group and prefix list IDs to their names."""
    if key.proto in PORT_PROTOCOLS:
        what = f"{key.proto} {key.from_port}" + (f"-{key.to_port}" if key.to_port != key.from_port else "")
    elif key.proto in ICMP_PROTOCOLS:
        what = key.proto + (" (all types)" if key.from_port == -1 else f" type {key.from_port}")
        what += "" if key.to_port == -1 else f" code {key.to_port}"
    elif key.proto == "-1":
        what = "all traffic"
    else:
        what = f"protocol {key.proto}"
    label = names.get(key.target)
    if key.kind == "prefix_list" and label and not key.target.startswith(NEW):
        return f"{what} from {key.target} ({label})"
    if key.kind in ("group", "prefix_list") and label:
        return f"{what} from {label}"
    return f"{what} from {key.target}"


def _rule_view(rules: Dict[Key, Optional[str]], names: Dict[str, str]) -> List[str]:
    return sorted(render(key, names) + (f": {desc}" if desc else "") for key, desc in rules.items())


# ---- AWS ----------------------------------------------------------------------------------------------------------


class Failure(Exception):
    """A failure to report with fail_json (main() adds what was done before it)."""


def _aws(what: str, call, *args, **kwargs):
    """Run an API wrapper; an AWS error becomes a Failure that says what failed, and AWS's code and message."""
    try:
        return call(*args, **kwargs)
    except AnsibleEC2Error as e:
        raise Failure(f"Could not {what}: {api.error_text(e)}") from e


def find_vpc(module: AnsibleAWSModule, client) -> str:
    """The VPC's ID; empty when vpc_filters match no VPC in check mode or with state=absent (nothing to delete)."""
    if module.params["vpc_id"]:
        return module.params["vpc_id"]
    filters = module.params["vpc_filters"]
    vpcs = _aws("describe the VPCs", api.describe_vpcs, client, ansible_dict_to_boto3_filter_list(filters))
    shown = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()))
    if len(vpcs) > 1:
        ids = ", ".join(sorted(v["VpcId"] for v in vpcs))
        raise Failure(f"vpc_filters ({shown}) match {len(vpcs)} VPCs in {module.region}: {ids}; they must match exactly one")
    if vpcs:
        return vpcs[0]["VpcId"]
    if module.check_mode or module.params["state"] == "absent":
        return ""
    raise Failure(f"No VPC matches vpc_filters ({shown}) in {module.region}: create the VPC first (with atelier.infra, the vpc role: --tags vpc)")


def find_groups(client, vpc_id: str, names: List[str]) -> Dict[str, Dict[str, Any]]:
    """The VPC's groups with these names (one DescribeSecurityGroups call), by name."""
    if not names:
        return {}
    filters = [{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": sorted(set(names))}]
    found = _aws(f"describe the security groups of {vpc_id}", api.describe_security_groups, client, filters)
    return {g["GroupName"]: g for g in found if g.get("VpcId", vpc_id) == vpc_id}


def find_prefix_lists(module: AnsibleAWSModule, client, groups: List[Dict[str, Any]]) -> Dict[str, str]:
    """The IDs of the prefix lists the rules name, by name (one DescribeManagedPrefixLists call)."""
    names = sorted({r.source for g in groups for r in g["rules"] if r.kind == "prefix_list_name"})
    if not names:
        return {}
    found = _aws("describe the managed prefix lists", describe_managed_prefix_lists, client,
                 Filters=[{"Name": "prefix-list-name", "Values": names}])
    ids = {pl["PrefixListName"]: pl["PrefixListId"] for pl in found}
    missing = [name for name in names if name not in ids]
    if missing:
        raise Failure(f"No managed prefix list named {', '.join(missing)} in {module.region}")
    return ids


def _group_view(description, rules, tags, names):
    view = {"description": description, "rules": _rule_view(rules, names)}
    if tags is not None:
        view["tags"] = tags
    return view


class Run:
    """One run of the module: what it found, what it does (or would do), and its result."""

    def __init__(self, module: AnsibleAWSModule, client, vpc_id: str):
        self.module = module
        self.client = client
        self.vpc_id = vpc_id
        self.check = module.check_mode
        self.actions = []
        self.changed = set()
        self.before = {}
        self.after = {}
        self.kept = []

    # -- present

    def create_groups(self, groups: List[Dict[str, Any]], existing: Dict[str, Dict[str, Any]]) -> Dict[str, str]:
        """Create the missing groups (tagged at creation), wait until AWS shows them; their IDs by name."""
        ids = {}
        for group in groups:
            if group["name"] in existing:
                continue
            action = f"create security group {group['name']} in {self.vpc_id or 'the new VPC'}"
            if self.check:
                ids[group["name"]] = NEW + group["name"]
            else:
                ids[group["name"]] = self.create_group(action, group)
            self.actions.append(action)
        if ids and not self.check:
            _aws(f"see the new security groups {', '.join(sorted(ids))}", api.wait_security_groups_exist,
                 self.client, sorted(ids.values()))
        return ids

    def create_group(self, action: str, group: Dict[str, Any]) -> str:
        """Create a group; its ID. AWS answering InvalidGroup.Duplicate is the retry of a create whose answer was
        lost (the group was made, tagged at creation): the group of that name is adopted."""
        try:
            return api.create_security_group(self.client, group["name"], group["description"], self.vpc_id, group["tags"])
        except AnsibleEC2Error as e:
            if api.error_code(e) != "InvalidGroup.Duplicate":
                raise Failure(f"Could not {action}: {api.error_text(e)}") from e
        made = find_groups(self.client, self.vpc_id, [group["name"]]).get(group["name"])
        if made is None:
            raise Failure(f"Could not {action}: AWS says the group exists, but it is not in {self.vpc_id}")
        return made["GroupId"]

    def authorize(self, name: str, group_id: str, rules: Dict[Key, Optional[str]], names: Dict[str, str]) -> None:
        """Authorize ingress rules. AWS refusing the call with InvalidPermission.Duplicate (a rule already there: the
        retry of a call whose answer was lost, or a rule added since the group was read) makes the module read the
        group again and authorize only the rules still missing."""
        lines = [f"authorize {render(key, names)} on {name}" for key in sorted(rules, key=_sort_key)]
        what = f"authorize the ingress of {name} ({group_id})"
        if rules and not self.check:
            try:
                api.authorize_ingress(self.client, group_id, permissions(rules))
            except AnsibleEC2Error as e:
                if api.error_code(e) != "InvalidPermission.Duplicate":
                    raise Failure(f"Could not {what}: {api.error_text(e)}") from e
                now = _aws(f"describe {name} ({group_id})", api.describe_security_groups, self.client,
                           [{"Name": "group-id", "Values": [group_id]}])
                there = current_rules(now[0]) if now else {}
                missing = {key: desc for key, desc in rules.items() if key not in there}
                if missing:
                    _aws(what, api.authorize_ingress, self.client, group_id, permissions(missing))
        self.actions.extend(lines)

    def apply(self, lines: List[str], what: str, call, *args) -> None:
        """Record the lines of one call; outside check mode, make the call first (a failure says what failed)."""
        if lines and not self.check:
            _aws(what, call, self.client, *args)
        self.actions.extend(lines)

    def revoke(self, name: str, group_id: str, rules: Dict[Key, Optional[str]], names: Dict[str, str]) -> None:
        """Revoke ingress rules of a group; warn about those AWS no longer had."""
        lines = [f"revoke {render(key, names)} on {name}" for key in sorted(rules, key=_sort_key)]
        if rules and not self.check:
            unknown = _aws(f"revoke the ingress of {name} ({group_id})", api.revoke_ingress, self.client, group_id,
                           permissions(rules))
            if unknown:
                self.module.warn(f"AWS had no longer some of the rules revoked from {name}: {unknown}")
        self.actions.extend(lines)

    def converge_group(self, group, existing, ids, prefix_lists, names):
        """Authorize, re-describe and revoke the group's ingress rules and set its tags."""
        name = group["name"]
        found = existing.get(name)
        current = current_rules(found) if found else {}
        desired = desired_rules(group["rules"], ids, prefix_lists)
        authorize, revoke, describe = rule_changes(desired, current, self.module.params["purge_rules"])
        group_id = ids[name]
        done = len(self.actions)
        # New rules first, then descriptions, then what goes: traffic that stays allowed is never cut.
        self.authorize(name, group_id, authorize, names)
        self.apply([f"set the description of {render(key, names)} on {name} to {describe[key]!r}"
                    for key in sorted(describe, key=_sort_key)],
                   f"update the rule descriptions of {name} ({group_id})", api.update_ingress_descriptions, group_id,
                   permissions(describe))
        self.revoke(name, group_id, revoke, names)

        tags_before = boto3_tag_list_to_ansible_dict(found.get("Tags", [])) if found else None
        tags_after = group["tags"] if group["tags"] is not None else tags_before
        if found and group["tags"] is not None:
            to_set, to_unset = compare_aws_tags(tags_before, group["tags"], self.module.params["purge_tags"])
            self.apply([f"untag {name}: {', '.join(sorted(to_unset))}"] if to_unset else [],
                       f"untag {name} ({group_id})", api.delete_tags, group_id, sorted(to_unset))
            shown = ", ".join(f"{k}={v}" for k, v in sorted(to_set.items()))
            self.apply([f"tag {name}: {shown}"] if to_set else [], f"tag {name} ({group_id})", api.create_tags,
                       group_id, to_set)
            tags_after = dict({k: v for k, v in tags_before.items() if k not in to_unset}, **to_set)
        if found:
            if len(self.actions) > done:
                self.changed.add(name)
            if found.get("Description") != group["description"]:
                self.module.warn(f"The description of {name} is {found.get('Description')!r}, not "
                                 f"{group['description']!r}: AWS cannot change it without deleting the group.")
            self.before[name] = _group_view(found.get("Description"), current, tags_before, names)
        kept = {k: v for k, v in current.items() if k not in revoke}
        kept.update(desired)
        self.after[name] = _group_view(found.get("Description") if found else group["description"], kept, tags_after, names)

    def present(self, groups: List[Dict[str, Any]]):
        set_names = [g["name"] for g in groups]
        referenced = sorted({r.source for g in groups for r in g["rules"] if r.kind == "group_name"} - set(set_names))
        if self.vpc_id:
            prefix_lists = find_prefix_lists(self.module, self.client, groups)
            found = find_groups(self.client, self.vpc_id, set_names + referenced)
            unknown = [name for name in referenced if name not in found]
            if unknown:
                users = sorted({g["name"] for g in groups for r in g["rules"] if r.kind == "group_name" and r.source in unknown})
                raise Failure(f"The rules of {', '.join(users)} refer to {', '.join(unknown)}: neither a group of groups "
                              f"nor a group of {self.vpc_id}")
        else:  # check mode, and the VPC does not exist yet: everything is planned by name
            prefix_lists = {r.source: NEW + r.source for g in groups for r in g["rules"] if r.kind == "prefix_list_name"}
            found = {}
        ids = {name: g["GroupId"] for name, g in found.items()}
        ids.update({name: NEW + name for name in referenced if name not in found})
        existing = {name: g for name, g in found.items() if name in set_names}
        ids.update(self.create_groups(groups, existing))
        names = {gid: name for name, gid in ids.items()}
        names.update({pid: name for name, pid in prefix_lists.items()})
        for group in groups:
            self.converge_group(group, existing, ids, prefix_lists, names)

        created = len(groups) - len(existing)
        if not self.vpc_id:
            msg = f"Would create security groups: {', '.join(set_names)} (no VPC matches vpc_filters yet)."
        elif not self.actions:
            msg = f"No change to the {len(groups)} security groups in {self.vpc_id}."
        else:
            counts = f"{created} and changed {len(self.changed)} security groups in {self.vpc_id}"
            msg = f"Would create {counts}." if self.check else f"Created {counts}."
        self.exit(
            groups={name: ("" if ids[name].startswith(NEW) else ids[name]) for name in set_names},
            prefix_lists={name: pid for name, pid in prefix_lists.items() if not pid.startswith(NEW)},
            msg=msg,
        )

    # -- absent

    def absent(self, groups: List[Dict[str, Any]]):
        if not self.vpc_id:
            self.exit(groups={}, prefix_lists={}, msg="No VPC matches vpc_filters: there is no security group to delete.")
        doomed = find_groups(self.client, self.vpc_id, [g["name"] for g in groups])
        matching = self.module.params.get("delete_matching")
        if matching:
            filters = ansible_dict_to_boto3_filter_list(matching) + [{"Name": "vpc-id", "Values": [self.vpc_id]}]
            found = _aws(f"describe the security groups of {self.vpc_id}", api.describe_security_groups,
                         self.client, filters)
            doomed.update({g["GroupName"]: g for g in found if g["GroupName"] != "default"})
        names = {g["GroupId"]: name for name, g in doomed.items()}
        for name, group in doomed.items():
            self.before[name] = _group_view(group.get("Description"), current_rules(group),
                                            boto3_tag_list_to_ansible_dict(group.get("Tags", [])), names)
        kept = {}
        if doomed and self.module.params["keep_in_use"]:
            kept = dict(self.groups_in_use(doomed))
        elif doomed and not self.check:
            self.refuse_groups_in_use(doomed)
        going = {doomed[name]["GroupId"] for name in doomed if name not in kept}
        order = sorted(name for name in doomed if name not in kept)
        for name in sorted(doomed):
            rules = current_rules(doomed[name])
            if name in kept:  # only the rules that refer to a group that goes: AWS deletes no group still referred to
                rules = {key: desc for key, desc in rules.items() if key.kind == "group" and key.target in going}
                self.after[name] = _group_view(doomed[name].get("Description"),
                                               {k: v for k, v in current_rules(doomed[name]).items() if k not in rules},
                                               boto3_tag_list_to_ansible_dict(doomed[name].get("Tags", [])), names)
            self.revoke(name, doomed[name]["GroupId"], rules, names)
        self.kept = [{"name": name, "id": doomed[name]["GroupId"], "reason": f"used by {', '.join(sorted(users))}"}
                     for name, users in sorted(kept.items())]
        failures = []
        for name in order:
            group_id = doomed[name]["GroupId"]
            action = f"delete security group {name} ({group_id})"
            if self.check:
                self.actions.append(action)
                continue
            try:
                api.delete_security_group(self.client, group_id)
            except AnsibleEC2Error as e:
                if api.error_code(e) != "DependencyViolation":
                    raise Failure(f"Could not {action}: {api.error_text(e)}") from e
                failures.append(f"{name} ({group_id}): {api.error_text(e)}{self.users_of(group_id, names)}")
                continue
            self.actions.append(action)
        if failures:
            raise Failure(f"Could not delete {len(failures)} security groups: " + "; ".join(failures)
                          + ". Their ingress rules were revoked: run with state=present to restore them.")
        count = f"{len(order)} security groups from {self.vpc_id}"
        msg = "No security group to delete." if not order else (f"Would delete {count}." if self.check else f"Deleted {count}.")
        if kept:
            msg += f" Kept {len(kept)} still in use: {', '.join(sorted(kept))}."
        self.exit(groups={name: doomed[name]["GroupId"] for name in sorted(kept)}, prefix_lists={}, msg=msg)

    def _interfaces(self, group_ids: List[str]) -> List[Dict[str, Any]]:
        return _aws("describe the network interfaces of the security groups", api.describe_network_interfaces,
                    self.client, [{"Name": "group-id", "Values": group_ids}])

    def groups_in_use(self, doomed: Dict[str, Dict[str, Any]]) -> Dict[str, List[str]]:
        """The groups a network interface still uses, name to the interfaces (one DescribeNetworkInterfaces call)."""
        ids = {g["GroupId"]: name for name, g in doomed.items()}
        users = {}
        for eni in self._interfaces(sorted(ids)):
            for group in eni.get("Groups", []):
                if group.get("GroupId") in ids:
                    users.setdefault(ids[group["GroupId"]], []).append(describe_interface(eni))
        return users

    def refuse_groups_in_use(self, doomed: Dict[str, Dict[str, Any]]) -> None:
        """Fail before any change when a network interface still uses a group to delete."""
        users = self.groups_in_use(doomed)
        if users:
            shown = "; ".join(f"{name} ({doomed[name]['GroupId']}) by {', '.join(sorted(enis))}"
                              for name, enis in sorted(users.items()))
            raise Failure(f"Security groups still in use, nothing was changed: {shown}. Delete what uses them first.")

    def users_of(self, group_id: str, names: Dict[str, str]) -> str:
        """What still uses a group AWS refused to delete: network interfaces and rules of other groups."""
        try:
            enis = [describe_interface(eni) for eni in self._interfaces([group_id])]
            referencing = api.describe_security_groups(self.client, [{"Name": "ip-permission.group-id", "Values": [group_id]}])
        except (Failure, AnsibleEC2Error):
            return ""
        others = [f"{g['GroupName']} ({g['GroupId']})" for g in referencing if g["GroupId"] != group_id]
        text = f"; used by {', '.join(enis)}" if enis else ""
        return text + (f"; referred to by the rules of {', '.join(others)}" if others else "")

    def exit(self, **result):
        result.update(changed=bool(self.actions), vpc_id=self.vpc_id, actions=self.actions, kept=self.kept)
        if self.module._diff:
            result["diff"] = {"before": self.before, "after": self.after}
        self.module.exit_json(**result)


def describe_interface(eni: Dict[str, Any]) -> str:
    """``eni-... (RDS instance: RDSNetworkInterface)``: a network interface and who uses it, as far as EC2 says."""
    attachment = eni.get("Attachment") or {}
    kind = eni.get("InterfaceType")
    if attachment.get("InstanceId"):
        owner = f"EC2 instance {attachment['InstanceId']}"
    else:
        owner = REQUESTERS.get(eni.get("RequesterId")) or (kind if kind not in (None, "interface") else "")
    parts = [part for part in (owner, eni.get("Description")) if part]
    return f"{eni['NetworkInterfaceId']} ({': '.join(parts)})" if parts else eni["NetworkInterfaceId"]


def main():
    rule_spec = dict(
        proto=dict(type="str", default="tcp"),
        ports=dict(type="list", elements="int"),
        from_port=dict(type="int"),
        to_port=dict(type="int"),
        group_name=dict(type="str"),
        cidr_ip=dict(type="str"),
        cidr_ipv6=dict(type="str"),
        prefix_list_id=dict(type="str"),
        prefix_list_name=dict(type="str"),
        rule_desc=dict(type="str"),
    )
    group_spec = dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        rules=dict(type="list", elements="dict", default=[], options=rule_spec),
        tags=dict(type="dict"),
    )
    argument_spec = dict(
        vpc_id=dict(type="str"),
        vpc_filters=dict(type="dict"),
        groups=dict(type="list", elements="dict", default=[], options=group_spec),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        purge_rules=dict(type="bool", default=True),
        delete_matching=dict(type="dict"),
        keep_in_use=dict(type="bool", default=False),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("vpc_id", "vpc_filters")],
        required_one_of=[("vpc_id", "vpc_filters")],
        supports_check_mode=True,
    )

    groups, errors = parse_groups(module.params)
    if errors:
        module.fail_json(msg="Invalid options: " + "; ".join(errors), errors=errors)

    client = module.client("ec2")
    run = None
    try:
        run = Run(module, client, find_vpc(module, client))
        if module.params["state"] == "present":
            run.present(groups)
        else:
            run.absent(groups)
    except Failure as e:
        done = run.actions if run else []
        msg = str(e)
        if done:
            msg += ("" if msg.endswith(".") else ".") + f" Done before the failure: {'; '.join(done)}."
        module.fail_json(msg=msg, actions=done, vpc_id=run.vpc_id if run else "")


if __name__ == "__main__":
    main()
