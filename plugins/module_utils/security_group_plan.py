# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The security groups of a stack, planned from its tiers: which groups, with which ingress rules.

``plan`` turns the tiers (each read through tier_spec.settings), the name prefix, the database group's and the
bastion group's settings and the name of CloudFront's origin-facing managed prefix list into the ``groups`` option of
atelier.infra.ec2_security_group_set. Group names come from the stack contract (stack.tier_names and
stack.network_names), so every role that looks a group up by name finds the one made here.

``errors`` lists what the role's argument spec cannot check about the same inputs (ranges, cross-field rules).

Pure Python (no boto3, no Ansible imports), so the filters that use it stay cheap in every templating call.
"""

import ipaddress
from collections.abc import Mapping
from collections.abc import Sequence

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"
WORLD = "0.0.0.0/0"
SSH = 22


def _rule(port, description, **source):
    rule = {"proto": "tcp", "ports": [port]}
    rule.update(source)
    rule["rule_desc"] = description
    return rule


def _group(name, description, tier, rules):
    return {
        "name": name,
        "description": description,
        "rules": rules,
        "tags": {stack.TAG_NAME: name, stack.TAG_TIER: tier},
    }


def _alb_rules(prefix, tier, cloudfront_prefix_list):
    """The ingress of a tier's load balancer group: its clients' instances when internal, CloudFront's
    origin-facing ranges when CloudFront fronts it, else the internet, on each listener port."""
    rules = []
    for port in tier["alb_ports"]:
        if tier["alb_scheme"] == "internal":
            for client in tier["clients"]:
                rules.append(_rule(port, f"HTTP {port} from the {client} tier",
                                   group_name=stack.tier_names(prefix, client)["security_group"]))
        elif tier["cloudfront"]:
            rules.append(_rule(port, f"Listener {port} from CloudFront origin-facing ranges only",
                               prefix_list_name=cloudfront_prefix_list))
        else:
            rules.append(_rule(port, f"Listener {port} from the internet", cidr_ip=WORLD))
    return rules


def plan(tiers, prefix, database_enabled=True, database_port=5432, database_clients=(), bastion_enabled=False,
         admin_cidrs=(), cloudfront_prefix_list=CLOUDFRONT_PREFIX_LIST):
    """The groups of the stack in creation order, each {name, description, rules, tags}.

    Per tier: ``<prefix>-<tier>-alb`` (see _alb_rules), then ``<prefix>-<tier>``, which admits the tier's app_port
    from its own load balancer group only (an ec2 tier's instances and a fargate tier's tasks, registered by IP
    address, alike), and SSH from the bastion group when a bastion has admin CIDRs and the tier runs on ec2. Then
    ``<prefix>-database`` (the database port from each client tier's instances) when database_enabled, and
    ``<prefix>-bastion`` (SSH from each admin CIDR) when bastion_enabled.
    """
    bastion_enabled = flag(bastion_enabled)
    ssh = bastion_enabled and len(admin_cidrs or ()) > 0
    network = stack.network_names(prefix)
    groups = []
    for tier in tiers:
        t = tier_spec.settings(tier)
        if t["runtime"] == tier_spec.STATIC:
            continue  # a private bucket behind CloudFront: no load balancer, nothing running in the VPC
        names = stack.tier_names(prefix, t["name"])
        groups.append(_group(names["alb_security_group"], f"ALB of the {t['name']} tier", t["name"],
                             _alb_rules(prefix, t, cloudfront_prefix_list)))
        app_rules = [_rule(t["app_port"], f"App port {t['app_port']} from the {t['name']} ALB only",
                           group_name=names["alb_security_group"])]
        # A fargate tier's tasks run no SSH daemon to reach (ECS Exec is their shell): no bastion rule.
        if ssh and t["runtime"] != tier_spec.FARGATE:
            app_rules.append(_rule(SSH, "SSH from the bastion only", group_name=network["bastion_security_group"]))
        groups.append(_group(names["security_group"], f"Instances of the {t['name']} tier", t["name"], app_rules))
    if flag(database_enabled):
        port = tier_spec.as_int(database_port)
        rules = [_rule(port, f"Database port from the {client} tier only",
                       group_name=stack.tier_names(prefix, client)["security_group"]) for client in database_clients]
        groups.append(_group(network["database_security_group"], "Database of the stack", "database", rules))
    if bastion_enabled:
        rules = [_rule(SSH, f"SSH from admin {cidr}", cidr_ip=cidr) for cidr in admin_cidrs]
        groups.append(_group(network["bastion_security_group"], "Bastion host (SSH from the admin CIDRs only)",
                             "bastion", rules))
    return groups


# ---- checks the argument spec cannot make ------------------------------------------------------------------------


def flag(value):
    """A boolean input the way Ansible reads one (true, "yes", "on", "1", ...)."""
    if isinstance(value, str):
        return value.strip().lower() in ("y", "yes", "on", "1", "true", "t")
    return value is True or value == 1


def _cidr_error(cidr):
    """What is wrong with an admin CIDR (not an IPv4 network, host bits set, the whole internet), or None."""
    text = cidr.strip() if isinstance(cidr, str) else ""
    if "/" not in text:
        return f"{cidr!r} is not an IPv4 CIDR such as 203.0.113.0/24 (network/prefix length)"
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return f"{cidr!r} is not an IPv4 CIDR such as 203.0.113.0/24"
    if network.version != 4:
        return f"{cidr!r} is an IPv6 network; only IPv4 CIDRs are supported"
    if str(network) != text:
        return f"{cidr!r} has host bits set; did you mean {network}?"
    if network.prefixlen == 0:
        return f"{cidr} would open SSH to the whole internet"
    return None


def errors(inputs, subnet_tiers=None, distribution_checks=None):
    """What is wrong with the security_groups role's inputs (a dict of its variables) that its argument spec cannot
    find: the tiers (tier_spec.tier_errors, at least one tier), database clients that are not tiers and a database
    port out of range (when the database group is enabled), and admin CIDRs that are invalid or /0.
    Keys it does not know are ignored; a value of the wrong type is left to the argument spec. subnet_tiers and
    distribution_checks are passed to tier_spec.tier_errors."""
    result = []
    tiers = inputs.get("security_groups_tiers")
    names = []
    if isinstance(tiers, Sequence) and not isinstance(tiers, str):
        if not tiers:
            result.append("security_groups_tiers: at least one tier is needed")
        subnets = tier_spec.plain(subnet_tiers) if subnet_tiers is not None else None
        result.extend(tier_spec.tier_errors(tier_spec.plain(tiers), subnets, distribution_checks))
        names = [t.get("name") for t in tiers if isinstance(t, Mapping)]
    if flag(inputs.get("security_groups_database_enabled", True)):
        clients = inputs.get("security_groups_database_clients") or []
        for client in clients if isinstance(clients, Sequence) and not isinstance(clients, str) else []:
            if client not in names:
                result.append(f"security_groups_database_clients: database client {client} is not a tier ({', '.join(map(str, names))})")
        port = tier_spec.as_int(inputs.get("security_groups_database_port", 5432))
        if port is not None and not 1 <= port <= 65535:
            result.append(f"security_groups_database_port {port} is not between 1 and 65535")
    cidrs = inputs.get("security_groups_admin_cidrs") or []
    if isinstance(cidrs, Sequence) and not isinstance(cidrs, str):
        messages = [_cidr_error(cidr) for cidr in cidrs]
        result.extend(f"security_groups_admin_cidrs: {message}" for message in messages if message)
    return result
