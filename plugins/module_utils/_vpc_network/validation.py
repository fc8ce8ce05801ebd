# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checks of the network's inputs, before any AWS call (input_errors) and against the region's AZs (region_errors).

The inputs are the atelier.infra.vpc_network module's options. Every message names the option it is about through
``labels`` (option -> the name the caller knows it by), so the vpc role reports its own variables (vpc_cidr,
vpc_az_count, ...) with the same checks the module runs. The checks are type-tolerant: a value of the wrong type is a
message, never an exception.

Pure Python: no boto3, no Ansible controller imports.
"""

import re
from collections import Counter
from collections.abc import Mapping
from collections.abc import Sequence

from ..stack import TAG_NAME
from ..stack import TAG_TIER
from ..subnet_plan import SubnetPlanError
from ..subnet_plan import subnet_errors
from ..subnet_plan import subnet_plan
from ..subnet_plan import vpc_cidr_error

TIER_TYPES = ("public", "private", "isolated")
NAT_TOPOLOGIES = ("one_per_az", "single", "none")
# Gateway endpoints exist for these two services only.
ENDPOINT_SERVICES = ("s3", "dynamodb")
MIN_AZS = 2
# The Name of the VPC is the prefix of every Name the module sets; the longest, a route table's
# (<name>-<tier>-<az>-rt), must stay within the 255 characters of a tag value.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/=+@-]{0,199}$")
TIER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$")
# Tags the module sets on each resource itself.
RESERVED_TAGS = (TAG_NAME, TAG_TIER)


def _label(labels, option):
    return (labels or {}).get(option, option)


def _int(value):
    """value as an int (an int, or a string of digits), or None when it is not an integer (bools are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.match(r"^\s*-?\d+\s*$", value):
        return int(value)
    return None


def _names(value):
    """A list of strings from a list value, or None when it is not a list of non-empty strings."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        return None
    if not all(isinstance(item, str) and item.strip() for item in value):
        return None
    return list(value)


def tier_list(tiers):
    """The well-formed tiers of a tiers option, as (name, type) pairs (ill-formed entries left out)."""
    if isinstance(tiers, str) or not isinstance(tiers, Sequence):
        return []
    return [
        (t.get("name"), t.get("type"))
        for t in tiers
        if isinstance(t, Mapping) and isinstance(t.get("name"), str) and t.get("name")
    ]


def plan_azs(subnets):
    """The AZs of an explicit plan, in the order of its first tier's entries (empty when there is no plan)."""
    if not isinstance(subnets, Mapping) or not subnets:
        return []
    first = next(iter(subnets.values()))
    if isinstance(first, str) or not isinstance(first, Sequence):
        return []
    return [e.get("az") for e in first if isinstance(e, Mapping) and isinstance(e.get("az"), str)]


def az_count(params):
    """How many AZs the network spans: az_count when set, else the number of azs, of the explicit plan's AZs, or 2."""
    count = _int(params.get("az_count"))
    if params.get("az_count") is not None:
        return count
    azs = _names(params.get("azs")) or []
    if azs:
        return len(azs)
    planned = plan_azs(params.get("subnets"))
    return len(planned) if planned else MIN_AZS


def wanted_azs(params):
    """The AZ names the inputs ask for by name (azs, else the explicit plan's), empty when any AZs will do."""
    return _names(params.get("azs")) or plan_azs(params.get("subnets"))


def input_errors(params, labels=None, absent=False):
    """Everything wrong with the module's options that can be seen without AWS; an empty list when all is well.

    ``params`` holds the module's options (name, cidr_block, tiers, subnets, newbits, tier_stride, offset, azs,
    az_count, nat_topology, endpoints, tags, wait_timeout); ``labels`` maps an option to the name the caller gives
    it in messages (the vpc role: vpc_cidr, vpc_az_count, ...). With ``absent``, only what removing the network
    needs (its name, tags and wait_timeout) is checked.
    """

    def label(option):
        return _label(labels, option)

    errors = []
    name = params.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        errors.append(
            f"{label('name')} must be 1 to 200 letters, digits and _.:/=+@- starting with a letter or a digit "
            f"(it is the Name of the VPC and the prefix of every resource's Name), got {name!r}"
        )
    errors.extend(_tags_errors(params, label))
    timeout = _int(params.get("wait_timeout", 600))
    if timeout is None or timeout <= 0:
        errors.append(
            f"{label('wait_timeout')} must be a positive number of seconds, got {params.get('wait_timeout')!r}"
        )
    if absent:
        return errors

    cidr = params.get("cidr_block")
    cidr_error = vpc_cidr_error(cidr)
    if cidr_error:
        errors.append(f"{label('cidr_block')}: {cidr_error}")

    tiers = params.get("tiers")
    tiers_ok = True
    if isinstance(tiers, str) or not isinstance(tiers, Sequence) or not tiers:
        errors.append(f"{label('tiers')} must be a non-empty list of {{name, type}}, got {tiers!r}")
        tiers_ok = False
    else:
        for index, tier in enumerate(tiers):
            if not isinstance(tier, Mapping):
                errors.append(f"{label('tiers')}[{index}] must be a dict with name and type, got {tier!r}")
                tiers_ok = False
                continue
            tier_name, tier_type = tier.get("name"), tier.get("type")
            if not isinstance(tier_name, str) or not TIER_NAME.match(tier_name):
                errors.append(
                    f"{label('tiers')}[{index}]: the tier name must be 1 to 30 letters, digits and _.- starting "
                    f"with a letter or a digit, got {tier_name!r}"
                )
                tiers_ok = False
            if tier_type not in TIER_TYPES:
                errors.append(
                    f"{label('tiers')}: tier {tier_name!r} has type {tier_type!r}; "
                    f"the type must be one of {', '.join(TIER_TYPES)}"
                )
        counts = Counter(n for n, _t in tier_list(tiers))
        for tier_name, count in counts.items():
            if count > 1:
                errors.append(f"{label('tiers')}: tier names must be unique, {tier_name!r} is listed {count} times")
                tiers_ok = False
    tier_names = [n for n, _t in tier_list(tiers)]
    tier_types = [t for _n, t in tier_list(tiers)]

    topology = params.get("nat_topology", "one_per_az")
    if topology not in NAT_TOPOLOGIES:
        errors.append(f"{label('nat_topology')} must be one of {', '.join(NAT_TOPOLOGIES)}, got {topology!r}")
    elif topology != "none" and tiers_ok and "public" not in tier_types:
        errors.append(
            f"{label('nat_topology')}={topology} puts NAT gateways in the public tier's subnets, but "
            f"{label('tiers')} has no tier of type public: add one, or set {label('nat_topology')} to none"
        )

    count = az_count(params)
    azs = _names(params.get("azs"))
    if count is None:
        errors.append(f"{label('az_count')} must be an integer, got {params.get('az_count')!r}")
    elif count < MIN_AZS:
        errors.append(
            f"need {label('az_count')} at least {MIN_AZS} (got {count}): an ALB and an RDS subnet group need "
            "subnets in two availability zones"
        )
    if azs is None:
        errors.append(f"{label('azs')} must be a list of availability zone names, got {params.get('azs')!r}")
    else:
        for az, times in Counter(azs).items():
            if times > 1:
                errors.append(f"{label('azs')} names {az} {times} times; each AZ once")
        if azs and count is not None and len(azs) != count:
            errors.append(
                f"{label('azs')} must be empty or name exactly {label('az_count')} ({count}) distinct AZs, "
                f"got {', '.join(azs)}"
            )

    subnets = params.get("subnets")
    if subnets:
        errors.extend(_explicit_plan_errors(params, subnets, tier_names, count, azs or [], cidr_error, label))
    elif not cidr_error and tiers_ok and count and count > 0:
        try:
            subnet_plan(
                cidr,
                [str(i) for i in range(count)],
                tiers=tier_names,
                newbits=params.get("newbits", 8),
                tier_stride=params.get("tier_stride", 10),
                offset=params.get("offset", 1),
            )
        except SubnetPlanError as e:
            errors.append(
                f"carving the subnet plan from {label('cidr_block')} {cidr} ({label('newbits')}="
                f"{params.get('newbits', 8)}, {label('tier_stride')}={params.get('tier_stride', 10)}, "
                f"{label('offset')}={params.get('offset', 1)}): {e}"
            )

    endpoints = _names(params.get("endpoints"))
    if endpoints is None:
        errors.append(f"{label('endpoints')} must be a list of service names, got {params.get('endpoints')!r}")
    else:
        for service in endpoints:
            if service not in ENDPOINT_SERVICES:
                errors.append(
                    f"{label('endpoints')}: {service!r} has no gateway endpoint; "
                    f"gateway endpoints exist for {', '.join(ENDPOINT_SERVICES)}"
                )
        for service, times in Counter(endpoints).items():
            if times > 1:
                errors.append(f"{label('endpoints')} lists {service} {times} times")

    return errors


def _tags_errors(params, label):
    tags = params.get("tags")
    if tags is not None and not isinstance(tags, Mapping):
        return [f"{label('tags')} must be a dict, got {type(tags).__name__}"]
    reserved = [key for key in RESERVED_TAGS if key in (tags or {})]
    if reserved:
        return [
            f"{label('tags')} must not set {', '.join(reserved)}: the module sets them on each resource "
            "(Name from the network's name, atelier:tier on subnets and route tables)"
        ]
    return []


def _explicit_plan_errors(params, subnets, tier_names, count, azs, cidr_error, label):
    errors = []
    if not isinstance(subnets, Mapping):
        return [f"{label('subnets')} must be a dict of tier name -> list of {{az, cidr}}, got {type(subnets).__name__}"]
    if sorted(subnets) != sorted(tier_names):
        errors.append(
            f"{label('subnets')} must name every tier of {label('tiers')} ({', '.join(tier_names)}) and no other, "
            f"got {', '.join(str(k) for k in subnets)}"
        )
    first_azs = None
    for tier, entries in subnets.items():
        if isinstance(entries, str) or not isinstance(entries, Sequence):
            continue  # subnet_errors says so
        tier_azs = [e.get("az") for e in entries if isinstance(e, Mapping)]
        if count is not None and len(entries) != count:
            errors.append(
                f"{label('subnets')}: tier {tier} has {len(entries)} subnets; one per AZ over "
                f"{label('az_count')} ({count}) AZs makes {count}"
            )
        for az, times in Counter(a for a in tier_azs if isinstance(a, str)).items():
            if times > 1:
                errors.append(f"{label('subnets')}: tier {tier} has {times} subnets in {az}; one per AZ")
        if first_azs is None:
            first_azs = (tier, tier_azs)
        elif sorted(map(str, tier_azs)) != sorted(map(str, first_azs[1])):
            errors.append(
                f"{label('subnets')}: every tier must be over the same AZs; {tier} is over "
                f"{', '.join(map(str, tier_azs))}, {first_azs[0]} over {', '.join(map(str, first_azs[1]))}"
            )
        if azs and sorted(map(str, tier_azs)) != sorted(azs):
            errors.append(
                f"{label('subnets')}: tier {tier} is over {', '.join(map(str, tier_azs))}, "
                f"but {label('azs')} names {', '.join(azs)}"
            )
    problems = subnet_errors(params.get("cidr_block") if not cidr_error else None, subnets)
    for problem in problems:
        if problem.startswith("VPC CIDR"):
            continue  # said above about cidr_block
        errors.append(f"{label('subnets')}: {problem}")
    return errors


def region_errors(params, region, region_azs, labels=None):
    """What the region's available AZs (``region_azs``) can't give the inputs; empty when all is well."""
    available = sorted(region_azs)
    listed = ", ".join(available)
    count = az_count(params)
    wanted = wanted_azs(params)
    errors = []
    if count is not None and len(available) < count:
        errors.append(
            f"Region {region} has {len(available)} available AZs ({listed}); "
            f"{_label(labels, 'az_count')} asks for {count}"
        )
    missing = [az for az in wanted if az not in available]
    if missing:
        errors.append(
            f"Region {region} has {len(available)} available AZs ({listed}); asked for {len(wanted)} named "
            f"{', '.join(wanted)}: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not among them"
        )
    return errors


def choose_azs(params, region_azs):
    """The AZs of the network, in order: the ones asked for by name, else the first az_count of the region."""
    wanted = wanted_azs(params)
    if wanted:
        return list(wanted)
    return sorted(region_azs)[: az_count(params)]
