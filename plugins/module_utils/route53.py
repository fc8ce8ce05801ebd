# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The Route 53 calls of atelier.infra.route53_record_set (one boto3 call each, with amazon.aws' retry decorator and an
error handler turning botocore exceptions into AnsibleRoute53Error), and, without AWS, what the module decides.

Ownership works like external-dns's TXT registry: every record set an owner made has a marker, a TXT record set at a
name derived from the record's name and type (``marker_name``: ``_atelier-owner-<type>.<name>``, a leading wildcard
label becoming ``-wildcard``: ``*.app.example.com`` A -> ``_atelier-owner-a-wildcard.app.example.com``) whose value is
``"heritage=atelier,owner=<owner>"``. One marker per name AND type, so that an owner's A record does not make another
owner's TXT record of the same name its own. The module only ever changes or deletes a record set whose marker names
its owner, and refuses a listed record set that exists without it.

* ``record_errors``: the mistakes found before any call (names outside the zone, types, values, aliases, duplicates);
* ``desired``: the listed records as ResourceRecordSets, keyed by (name, type);
* ``current``: the zone's record sets as listed, keyed the same way, and ``owned``: the keys whose marker is the owner's;
* ``plan``: the one change batch (CREATE for a new record and its marker, UPSERT for a changed owned record, DELETE for
  an owned record no longer listed and its marker), or the foreign record sets that forbid it.
"""

import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

NOT_FOUND_CODES = ["NoSuchHostedZone"]
TYPES = ("A", "AAAA", "CNAME", "TXT")
MARKER_PREFIX = "_atelier-owner-"
HERITAGE = "heritage=atelier"
# An owner: what a TXT value and a log line can carry without quoting.
OWNER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,99}$")
LABEL = re.compile(r"^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?|\*)$")
# Route 53 escapes the characters outside [a-z0-9-_.] as \ooo (a wildcard is \052).
ESCAPE = re.compile(r"\\(\d{3})")

Key = Tuple[str, str]


class AnsibleRoute53Error(AnsibleAWSError):
    pass


class Route53ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NOT_FOUND_CODES)


# ---------------------------------------------------------------- calls


@Route53ErrorHandler.common_error_handler("list hosted zones by name")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def zones_named(client, name: str) -> List[Dict[str, Any]]:
    """The hosted zones named name (the zones are listed by name from it: one page holds them all)."""
    zones = client.list_hosted_zones_by_name(DNSName=name, MaxItems="100").get("HostedZones", [])
    return [zone for zone in zones if normal(zone["Name"]) == normal(name)]


@Route53ErrorHandler.list_error_handler("list resource record sets", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_record_sets(client, zone_id: str) -> Optional[List[Dict[str, Any]]]:
    """Every record set of the zone, or None when there is no such zone."""
    paginator = client.get_paginator("list_resource_record_sets")
    return paginator.paginate(HostedZoneId=zone_id).build_full_result().get("ResourceRecordSets", [])


@Route53ErrorHandler.common_error_handler("change resource record sets")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def change_record_sets(client, zone_id: str, changes: List[Dict[str, Any]], comment: str) -> Dict[str, Any]:
    return client.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Comment": comment, "Changes": changes}
    )["ChangeInfo"]


# ---------------------------------------------------------------- names


def normal(name: str) -> str:
    """A DNS name as compared: lower case, Route 53's octal escapes undone, no trailing dot."""
    name = ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), str(name or "").strip())
    return name.rstrip(".").lower()


def fqdn(name: str) -> str:
    return normal(name) + "."


def in_zone(name: str, zone: str) -> bool:
    name, zone = normal(name), normal(zone)
    return name == zone or name.endswith("." + zone)


def marker_name(name: str, record_type: str) -> str:
    """The name of the TXT marker of the record set (name, type), fully qualified."""
    name = normal(name)
    label = MARKER_PREFIX + record_type.lower()
    if name.startswith("*."):
        return f"{label}-wildcard.{name[2:]}."
    return f"{label}.{name}."


def marker_value(owner: str) -> str:
    return f'"{HERITAGE},owner={owner}"'


def marked(marker_key: Key) -> Optional[Key]:
    """The (name, type) a marker's key stands for, or None when the key is not a marker's."""
    name, record_type = marker_key
    if record_type != "TXT" or not name.startswith(MARKER_PREFIX):
        return None
    label, rest = (name.split(".", 1) + [""])[:2]
    kind = label[len(MARKER_PREFIX):]
    wildcard = kind.endswith("-wildcard")
    kind = kind[: -len("-wildcard")] if wildcard else kind
    if kind.upper() not in TYPES or not rest:
        return None
    return ("*." + rest if wildcard else rest), kind.upper()


# ---------------------------------------------------------------- records


def quoted(value: str) -> str:
    value = str(value)
    return value if len(value) >= 2 and value.startswith('"') and value.endswith('"') else '"' + value.replace('"', '\\"') + '"'


def record_values(record: Dict[str, Any]) -> List[str]:
    """The values of a listed record: its values, or its one value."""
    if record.get("values"):
        return list(record["values"])
    return [record["value"]] if record.get("value") not in (None, "") else []


def record_errors(records: List[Dict[str, Any]], owner: str, zone: Optional[str]) -> List[str]:
    """What is wrong with the owner and the records; names are checked against zone when it is known."""
    errors = []
    if not OWNER.match(owner or ""):
        errors.append(f"owner: {owner!r} must be 1 to 100 letters, digits and . _ : / @ + - (starting with a letter or digit)")
    seen = {}
    for index, record in enumerate(records or []):
        where = f"records[{index}] ({record.get('name')} {record.get('type')})"
        name = normal(record.get("name") or "")
        labels = name.split(".")
        if not name or any(not LABEL.match(label) for label in labels) or "*" in labels[1:] or len(name) > 253:
            errors.append(f"{where}: name is not a DNS name")
        elif zone and not in_zone(name, zone):
            errors.append(f"{where}: name is outside the zone {normal(zone)}")
        if name.startswith(MARKER_PREFIX):
            errors.append(f"{where}: names starting with {MARKER_PREFIX} are the ownership markers'")
        elif len(marker_name(name, record.get("type") or "TXT")) > 254:
            errors.append(f"{where}: name too long for its ownership marker {marker_name(name, record.get('type') or 'TXT')}")
        record_type = record.get("type")
        alias, values = record.get("alias"), record_values(record)
        if alias and values:
            errors.append(f"{where}: values and alias are exclusive")
        elif not alias and not values:
            errors.append(f"{where}: needs values or alias")
        if alias and record_type not in ("A", "AAAA"):
            errors.append(f"{where}: an alias is an A or AAAA record")
        if alias and record.get("ttl") is not None:
            errors.append(f"{where}: an alias has no ttl (Route 53 uses the target's)")
        if record_type == "CNAME" and values and len(values) != 1:
            errors.append(f"{where}: a CNAME has exactly one value")
        if record_type == "CNAME" and zone and normal(name) == normal(zone):
            errors.append(f"{where}: a CNAME cannot be at the zone apex")
        if record_type == "TXT":
            errors.extend(f"{where}: a TXT string is at most 255 characters" for v in values or [] if len(str(v).strip('"')) > 255)
        if record.get("ttl") is not None and not 0 <= record["ttl"] <= 2147483647:
            errors.append(f"{where}: ttl must be 0 to 2147483647 seconds")
        key = (name, record_type)
        if key in seen:
            errors.append(f"{where}: listed twice (also records[{seen[key]}])")
        seen.setdefault(key, index)
    return errors


def record_set(record: Dict[str, Any]) -> Dict[str, Any]:
    """A listed record (module options) as a ResourceRecordSet."""
    result = {"Name": fqdn(record["name"]), "Type": record["type"]}
    alias = record.get("alias")
    if alias:
        result["AliasTarget"] = {
            "HostedZoneId": alias["hosted_zone_id"],
            "DNSName": fqdn(alias["dns_name"]),
            "EvaluateTargetHealth": bool(alias.get("evaluate_target_health")),
        }
        return result
    values = [quoted(v) if record["type"] == "TXT" else str(v) for v in record_values(record)]
    result["TTL"] = 300 if record.get("ttl") is None else record["ttl"]
    result["ResourceRecords"] = [{"Value": value} for value in values]
    return result


def desired(records: List[Dict[str, Any]]) -> Dict[Key, Dict[str, Any]]:
    return {(normal(r["name"]), r["type"]): record_set(r) for r in records or []}


def current(record_sets: List[Dict[str, Any]]) -> Dict[Key, Dict[str, Any]]:
    """The zone's record sets by (name, type); of weighted, latency, ... ones (SetIdentifier) the first listed, which
    never compares equal to a simple record set."""
    result = {}
    for rrset in record_sets:
        key = (normal(rrset["Name"]), rrset["Type"])
        result.setdefault(key, rrset)
    return result


def owned(zone_sets: Dict[Key, Dict[str, Any]], owner: str) -> Dict[Key, Key]:
    """{record key: marker key} of every record set whose marker names owner."""
    value = marker_value(owner)
    result = {}
    for key, rrset in zone_sets.items():
        target = marked(key)
        if target and any(r.get("Value") == value for r in rrset.get("ResourceRecords") or []):
            result[target] = key
    return result


def comparable(rrset: Dict[str, Any]) -> Dict[str, Any]:
    """What of a record set is compared: TTL, values as a set (CNAME without case or trailing dot), alias target."""
    alias = rrset.get("AliasTarget")
    if alias:
        return {"alias": (alias["HostedZoneId"], fqdn(alias["DNSName"]), bool(alias.get("EvaluateTargetHealth")))}
    values = [r["Value"] for r in rrset.get("ResourceRecords") or []]
    if rrset["Type"] == "CNAME":
        values = [fqdn(v) for v in values]
    return {"ttl": rrset.get("TTL"), "values": sorted(values), "set_identifier": rrset.get("SetIdentifier")}


def plan(
    wanted: Dict[Key, Dict[str, Any]], zone_sets: Dict[Key, Dict[str, Any]], owner: str, purge: bool
) -> Tuple[List[Dict[str, Any]], List[str]]:
    """(the change batch, the foreign record sets that forbid it). The batch is empty when nothing differs; when any
    listed record set exists without the owner's marker, or its marker name holds another owner's marker, the batch
    is empty and each is named."""
    mine = owned(zone_sets, owner)
    marker = {"Type": "TXT", "TTL": 300, "ResourceRecords": [{"Value": marker_value(owner)}]}
    foreign = []
    changes = []
    for key in sorted(wanted):
        rrset = wanted[key]
        marker_key = (normal(marker_name(*key)), "TXT")
        if key in mine:
            if key not in zone_sets:
                changes.append({"Action": "CREATE", "ResourceRecordSet": rrset})
            elif comparable(zone_sets[key]) != comparable(rrset):
                changes.append({"Action": "UPSERT", "ResourceRecordSet": rrset})
            continue
        if key in zone_sets:
            foreign.append(f"{rrset['Name']} {key[1]} exists and is not owned by {owner}")
        elif marker_key in zone_sets:
            foreign.append(f"{rrset['Name']} {key[1]} has the ownership marker {marker_name(*key)} of another owner")
        else:
            changes.append({"Action": "CREATE", "ResourceRecordSet": rrset})
            changes.append({"Action": "CREATE", "ResourceRecordSet": dict(marker, Name=marker_name(*key))})
    if foreign:
        return [], foreign
    if purge:
        for key in sorted(set(mine) - set(wanted)):
            if key in zone_sets:
                changes.append({"Action": "DELETE", "ResourceRecordSet": zone_sets[key]})
            changes.append({"Action": "DELETE", "ResourceRecordSet": zone_sets[mine[key]]})
    return changes, []


def described(rrset: Dict[str, Any]) -> Dict[str, Any]:
    """A ResourceRecordSet as the module returns it (snake_case)."""
    result = {"name": rrset["Name"], "type": rrset["Type"]}
    alias = rrset.get("AliasTarget")
    if alias:
        result["alias"] = {
            "dns_name": alias["DNSName"],
            "hosted_zone_id": alias["HostedZoneId"],
            "evaluate_target_health": bool(alias.get("EvaluateTargetHealth")),
        }
    else:
        result["ttl"] = rrset.get("TTL")
        result["values"] = [r["Value"] for r in rrset.get("ResourceRecords") or []]
    return result


def after(zone_sets: Dict[Key, Dict[str, Any]], changes: List[Dict[str, Any]]) -> Dict[Key, Dict[str, Any]]:
    """The zone's record sets once the batch is applied."""
    result = dict(zone_sets)
    for change in changes:
        rrset = change["ResourceRecordSet"]
        key = (normal(rrset["Name"]), rrset["Type"])
        if change["Action"] == "DELETE":
            result.pop(key, None)
        else:
            result[key] = rrset
    return result
