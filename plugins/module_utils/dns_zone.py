# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The public hosted zone a stack creates for its domains (atelier.infra.route53_hosted_zone; the dns role's
``dns_zone_create``): created, tagged, adopted and deleted safely.

Which zone is the caller's: a public zone of the name that carries every one of ``owner_tags`` (the stack's
``atelier:env``, ``atelier:stack`` and ``atelier:created-by``), or - a zone whose tagging never happened (the create's
answer lost, the run stopped) - one whose comment is exactly the caller's ``comment`` and that carries none of the
owner tags' keys. Such a zone is *adopted*: tagged on ``present``, counted as the caller's on ``absent``. Any other
zone of the name is somebody else's and is never changed.

The create is safe to retry: CreateHostedZone takes a CallerReference (AWS: "allows failed CreateHostedZone requests
to be retried without the risk of executing the operation twice"). botocore retries a request whose answer was lost
with the same reference; AWS then refuses it with ``HostedZoneAlreadyExists``, and ``create`` finds the zone it made
by that reference and goes on to tag it. The reference is unique per create (the zone's name and the time): AWS asks
for a new reference for every new zone, and a reference fixed by the name alone could be refused after the teardown
deleted the zone.

* ``converge``: ``present`` - find, create or adopt the zone and set its tags (no purge);
* ``remove``: ``absent`` - delete the caller's zone when it holds nothing but its apex NS and SOA, keep and list it
  otherwise.

Both take a boto3 Route 53 client and ``check``: with it they only read.
"""

import time
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES
from ansible_collections.atelier.infra.plugins.module_utils.route53 import Route53ErrorHandler
from ansible_collections.atelier.infra.plugins.module_utils.route53 import list_record_sets
from ansible_collections.atelier.infra.plugins.module_utils.route53 import normal
from ansible_collections.atelier.infra.plugins.module_utils.route53 import zones_named

# The records every hosted zone has at its apex, which Route 53 deletes with the zone.
APEX_TYPES = ("NS", "SOA")
TYPE = "route53 hosted zone"
REFERENCE_MAX = 128


class ZoneError(Exception):
    """A situation the caller must resolve (two zones that could be its own)."""


def zone_id(zone: Dict[str, Any]) -> str:
    return zone["Id"].split("/")[-1]


def caller_reference(name: str, now: Optional[float] = None) -> str:
    """A CallerReference for one create of the zone: its name and the time in milliseconds (at most 128 characters)."""
    stamp = str(int((time.time() if now is None else now) * 1000))
    return f"atelier.infra.dns {normal(name)[:REFERENCE_MAX - len(stamp) - 19]} {stamp}"


# ---------------------------------------------------------------- calls


@Route53ErrorHandler.common_error_handler("list the tags of a hosted zone")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def zone_tags(client, zone: str) -> Dict[str, str]:
    tag_set = client.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone)["ResourceTagSet"]
    return {t["Key"]: t["Value"] for t in tag_set.get("Tags", [])}


@Route53ErrorHandler.common_error_handler("tag a hosted zone")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def add_tags(client, zone: str, tags: Dict[str, str]) -> None:
    client.change_tags_for_resource(
        ResourceType="hostedzone", ResourceId=zone, AddTags=[{"Key": k, "Value": v} for k, v in sorted(tags.items())]
    )


@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def _create_hosted_zone(client, **kwargs) -> Dict[str, Any]:
    return client.create_hosted_zone(**kwargs)


@Route53ErrorHandler.common_error_handler("create a hosted zone")
def create_zone(client, name: str, comment: str, reference: str) -> Dict[str, Any]:
    """Create the public zone with the reference; when AWS answers HostedZoneAlreadyExists (a retry of this very
    request whose first answer was lost), the zone of the name that holds the reference."""
    try:
        return _create_hosted_zone(
            client, Name=normal(name), CallerReference=reference, HostedZoneConfig={"Comment": comment, "PrivateZone": False}
        )["HostedZone"]
    except is_boto3_error_code("HostedZoneAlreadyExists"):
        made = [z for z in zones_named(client, name) if z.get("CallerReference") == reference]
        if not made:
            raise
        return made[0]


@Route53ErrorHandler.deletion_error_handler("delete a hosted zone")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_zone(client, zone: str) -> None:
    client.delete_hosted_zone(Id=zone)


# ---------------------------------------------------------------- decisions


def owns(tags: Dict[str, str], owner_tags: Dict[str, str]) -> bool:
    """Whether a zone's tags make it the caller's: every owner tag with its value."""
    return all(tags.get(k) == v for k, v in owner_tags.items())


def adoptable(zone: Dict[str, Any], tags: Dict[str, str], comment: str, owner_tags: Dict[str, str]) -> bool:
    """Whether a zone is one the caller created and never tagged: exactly its comment, none of the owner tags' keys."""
    found = ((zone.get("Config") or {}).get("Comment")) or ""
    return bool(comment) and found == comment and not any(k in tags for k in owner_tags)


def public_zones(client, name: str) -> List[Dict[str, Any]]:
    return [z for z in zones_named(client, name) if not (z.get("Config") or {}).get("PrivateZone")]


def classify(client, name: str, comment: str, owner_tags: Dict[str, str]) -> Dict[str, list]:
    """{owned: [(zone, tags)], adoptable: [(zone, tags)], foreign: [(zone, tags)]} of the public zones of the name."""
    found = {"owned": [], "adoptable": [], "foreign": []}
    for zone in public_zones(client, name):
        tags = zone_tags(client, zone_id(zone))
        kind = "owned" if owns(tags, owner_tags) else "adoptable" if adoptable(zone, tags, comment, owner_tags) else "foreign"
        found[kind].append((zone, tags))
    return found


def _mine(found: Dict[str, list], name: str) -> List[tuple]:
    mine = found["owned"] + found["adoptable"]
    if len(mine) > 1:
        ids = ", ".join(zone_id(z) for z, _tags in mine)
        raise ZoneError(f"{len(mine)} public hosted zones named {normal(name)} are this stack's ({ids}); delete the "
                        "extra ones (those without records) by hand.")
    return mine


def converge(client, name: str, comment: str, tags: Dict[str, str], owner_tags: Dict[str, str], check: bool,
             now: Optional[float] = None) -> Dict[str, Any]:
    """Make the caller's public zone of the name exist with the tags (added or changed, never removed).
    {changed, status (created|adopted|owned|foreign), zone_id, tags, before (the tags before; None
    for a new zone), actions}. A zone that exists and is not the
    caller's (foreign) is left as it is: its id is returned when it is the only one of the name."""
    wanted = dict(tags, **owner_tags)
    found = classify(client, name, comment, owner_tags)
    mine = _mine(found, name)
    zone = normal(name)
    if mine:
        (found_zone, found_tags), = mine
        status = "owned" if found["owned"] else "adopted"
        missing = {k: v for k, v in wanted.items() if found_tags.get(k) != v}
        if missing and not check:
            add_tags(client, zone_id(found_zone), missing)
        action = [f"update {TYPE} {zone}: tags"] if missing else []
        return {"changed": bool(missing), "status": status, "zone_id": zone_id(found_zone),
                "tags": dict(found_tags, **missing), "before": found_tags, "actions": action}
    if found["foreign"]:
        only = found["foreign"][0] if len(found["foreign"]) == 1 else None
        return {"changed": False, "status": "foreign", "zone_id": zone_id(only[0]) if only else None,
                "tags": only[1] if only else {}, "before": only[1] if only else {}, "actions": []}
    if check:
        return {"changed": True, "status": "created", "zone_id": None, "tags": wanted, "before": None,
                "actions": [f"create {TYPE} {zone}"]}
    made = create_zone(client, zone, comment, caller_reference(zone, now))
    add_tags(client, zone_id(made), wanted)
    return {"changed": True, "status": "created", "zone_id": zone_id(made), "tags": wanted, "before": None,
            "actions": [f"create {TYPE} {zone}"]}


def others(record_sets: List[Dict[str, Any]], name: str) -> List[str]:
    """'<name> <type>' of the record sets besides the apex NS and SOA."""
    zone = normal(name)
    sets = [(normal(s.get("Name", "")), s.get("Type", "")) for s in record_sets]
    return sorted(f"{n} {t}" for n, t in sets if not (t in APEX_TYPES and n == zone))


def remove(client, name: str, comment: str, owner_tags: Dict[str, str], check: bool) -> Dict[str, Any]:
    """Delete the caller's public zone of the name (owned or adoptable) when it holds only its apex NS and SOA.
    {changed, status (deleted|kept|absent), zone_id, kept: [line], actions}. Zones of others are never touched."""
    mine = _mine(classify(client, name, comment, owner_tags), name)
    zone = normal(name)
    if not mine:
        return {"changed": False, "status": "absent", "zone_id": None, "kept": [], "actions": []}
    found_zone = mine[0][0]
    ident = zone_id(found_zone)
    held = others(list_record_sets(client, ident) or [], zone)
    if held:
        shown = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
        return {"changed": False, "status": "kept", "zone_id": ident,
                "kept": [f"hosted zone {zone} ({ident}), created by the stack: holds {shown}, kept"], "actions": []}
    if not check:
        delete_zone(client, ident)
    return {"changed": True, "status": "deleted", "zone_id": ident, "kept": [], "actions": [f"delete {TYPE} {zone}"]}
