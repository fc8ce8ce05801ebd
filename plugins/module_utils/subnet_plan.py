# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Subnet planning for AWS VPCs: carve a VPC CIDR into one subnet per tier and AZ, and check explicit plans.

Pure Python (ipaddress only): used by the atelier.infra.vpc_network module before any AWS call and, through
plugins/filter/network.py, by the filters subnet_plan, subnet_errors and cidr_errors. Errors of subnet_plan are
raised as SubnetPlanError (a ValueError) with a message that says what is wrong and how to fix it; the filter turns
them into AnsibleFilterError.
"""

import ipaddress

from collections.abc import Mapping
from collections.abc import Sequence

# AWS accepts IPv4 VPC and subnet CIDR blocks between /16 and /28.
AWS_MIN_PREFIX = 16
AWS_MAX_PREFIX = 28
DEFAULT_TIERS = ("public", "frontend", "backend", "database")


class SubnetPlanError(ValueError):
    """A subnet plan that can't be carved, with the reason."""


def parse_cidr(value, what):
    """Return (network, None) or (None, error message) for an IPv4 CIDR string."""
    if not isinstance(value, str) or not value.strip():
        return None, f"{what} must be a CIDR string such as 10.0.0.0/16, got {value!r}"
    text = value.strip()
    if "/" not in text:
        return None, f"{what} {text!r} is not a CIDR: the prefix length is missing (for example {text}/16)"
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        try:
            meant = ipaddress.ip_network(text, strict=False)
        except ValueError:
            return None, f"{what} {text!r} is not a valid CIDR (expected an IPv4 network such as 10.0.0.0/16)"
        return None, f"{what} {text!r} has host bits set; did you mean {meant}?"
    if network.version != 4:
        return None, f"{what} {text!r} is an IPv6 network; only IPv4 CIDR blocks are supported"
    return network, None


def prefix_error(network, what):
    """A message when network is outside the /16 to /28 range AWS allows, else None."""
    if AWS_MIN_PREFIX <= network.prefixlen <= AWS_MAX_PREFIX:
        return None
    return (
        f"{what} {network} is a /{network.prefixlen}; AWS only allows CIDR blocks "
        f"between /{AWS_MIN_PREFIX} and /{AWS_MAX_PREFIX}"
    )


def vpc_cidr_error(value, what="VPC CIDR"):
    """The first problem of a VPC CIDR (not a CIDR, host bits, IPv6, prefix out of range), or None."""
    network, error = parse_cidr(value, what)
    return error or prefix_error(network, what)


def _as_int(value, name, minimum):
    if isinstance(value, bool):
        raise SubnetPlanError(f"{name} must be an integer, got {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SubnetPlanError(f"{name} must be an integer, got {value!r}") from None
    if number < minimum:
        raise SubnetPlanError(f"{name} must be at least {minimum}, got {number}")
    return number


def _as_name_list(value, name):
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise SubnetPlanError(f"{name} must be a list of names, got {value!r}")
    names = list(value)
    for item in names:
        if not isinstance(item, str) or not item:
            raise SubnetPlanError(f"every entry of {name} must be a non-empty string, got {item!r}")
    duplicates = sorted({item for item in names if names.count(item) > 1})
    if duplicates:
        raise SubnetPlanError(f"duplicate {name}: {', '.join(duplicates)}")
    return names


def subnet_plan(vpc_cidr, azs, tiers=None, newbits=8, tier_stride=10, offset=1):
    """Carve one subnet per tier and AZ out of a VPC CIDR: ``{tier: [{az, cidr}, ...]}`` in the order given.

    The subnet of tier i in AZ j is network number ``offset + i * tier_stride + j`` of ``vpc_cidr`` split with
    ``newbits`` more prefix bits (Terraform's ``cidrsubnet``). Raises SubnetPlanError when it can't.
    """
    error = vpc_cidr_error(vpc_cidr)
    if error:
        raise SubnetPlanError(error)
    vpc = ipaddress.ip_network(vpc_cidr.strip())

    azs = _as_name_list(azs, "azs")
    if not azs:
        raise SubnetPlanError("azs is empty; give at least one availability zone name")
    tiers = _as_name_list(list(DEFAULT_TIERS) if tiers is None else tiers, "tiers")
    if not tiers:
        raise SubnetPlanError("tiers is empty; give at least one tier name")
    newbits = _as_int(newbits, "newbits", 1)
    tier_stride = _as_int(tier_stride, "tier_stride", 1)
    offset = _as_int(offset, "offset", 0)

    if len(azs) > tier_stride:
        raise SubnetPlanError(
            f"{len(azs)} AZs do not fit in tier_stride={tier_stride}: each tier numbers its "
            f"subnets from offset + tier * tier_stride, so one tier would run into the next; "
            f"use at most {tier_stride} AZs or raise tier_stride"
        )

    new_prefix = vpc.prefixlen + newbits
    if new_prefix > AWS_MAX_PREFIX:
        raise SubnetPlanError(
            f"{vpc} split with newbits={newbits} gives /{new_prefix} subnets; the smallest subnet "
            f"AWS allows is /{AWS_MAX_PREFIX}, so newbits must be at most {AWS_MAX_PREFIX - vpc.prefixlen}"
        )

    available = 2**newbits
    highest = offset + (len(tiers) - 1) * tier_stride + len(azs) - 1
    if highest >= available:
        raise SubnetPlanError(
            f"the plan does not fit in {vpc}: {len(tiers)} tiers x {len(azs)} AZs with "
            f"offset={offset} and tier_stride={tier_stride} need network number {highest}, but {vpc} split into "
            f"/{new_prefix} subnets has only {available} networks (numbers 0 to {available - 1}); "
            f"lower offset, tier_stride or the number of tiers, or raise newbits"
        )

    size = 2 ** (32 - new_prefix)
    base = int(vpc.network_address)
    plan = {}
    for i, tier in enumerate(tiers):
        plan[tier] = []
        for j, az in enumerate(azs):
            number = offset + i * tier_stride + j
            subnet = ipaddress.ip_network((base + number * size, new_prefix))
            plan[tier].append({"az": az, "cidr": str(subnet)})
    return plan


def subnet_errors(vpc_cidr, subnets):
    """Validate an explicit subnet plan; return a list of human-readable errors (empty when fine)."""
    errors = []
    vpc, error = parse_cidr(vpc_cidr, "VPC CIDR")
    if error:
        errors.append(error)
    else:
        error = prefix_error(vpc, "VPC CIDR")
        if error:
            errors.append(error)

    if not isinstance(subnets, Mapping):
        errors.append(f"subnets must be a dict of tier name -> list of {{az, cidr}}, got {type(subnets).__name__}")
        return errors

    valid = []  # (label, network)
    for tier, entries in subnets.items():
        if isinstance(entries, str) or not isinstance(entries, Sequence):
            errors.append(f"tier {tier!r} must be a list of {{az, cidr}} entries, got {type(entries).__name__}")
            continue
        for index, entry in enumerate(entries):
            label = f"{tier}[{index}]"
            if not isinstance(entry, Mapping):
                errors.append(f"{label} must be a dict with az and cidr, got {entry!r}")
                continue
            az = entry.get("az")
            if not isinstance(az, str) or not az.strip():
                errors.append(f"{label} ({entry.get('cidr')}) has no AZ: set az to an availability zone name")
            else:
                label = f"{tier}[{index}] ({az})"
            network, error = parse_cidr(entry.get("cidr"), f"{label} CIDR")
            if error:
                errors.append(error)
                continue
            error = prefix_error(network, f"{label} CIDR")
            if error:
                errors.append(error)
            if vpc is not None and not network.subnet_of(vpc):
                errors.append(f"{label} {network} is outside the VPC CIDR {vpc}")
            valid.append((label, network))

    for a, (label_a, net_a) in enumerate(valid):
        for label_b, net_b in valid[a + 1 :]:
            if net_a.overlaps(net_b):
                errors.append(f"{label_a} {net_a} overlaps {label_b} {net_b}")
    return errors


def cidr_errors(cidrs):
    """Return a list of messages, one per entry of cidrs that is not a valid IPv4 CIDR (empty when all are)."""
    if isinstance(cidrs, str) or not isinstance(cidrs, Sequence):
        return [f"expected a list of CIDRs such as ['203.0.113.0/24'], got {cidrs!r}"]
    errors = []
    for cidr in cidrs:
        _network, error = parse_cidr(cidr, "CIDR")
        if error:
            errors.append(error)
    return errors


def overlapping(cidr_a, cidr_b):
    """Whether two valid CIDR strings overlap."""
    return ipaddress.ip_network(cidr_a).overlaps(ipaddress.ip_network(cidr_b))
