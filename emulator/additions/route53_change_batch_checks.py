"""Route 53 ChangeResourceRecordSets: CREATE of an existing record and DELETE of a missing or changed one fail.

AWS: a change batch is applied in order and atomically. CREATE of a record set that exists (same name, type and
``SetIdentifier``) is ``InvalidChangeBatch`` (400) "[Tried to create resource record set [name='www.example.com.',
type='A'] but it already exists]"; DELETE of one that does not exist "[Tried to delete resource record set
[name='...', type='A'] but it was not found]", and of one whose values differ (TTL and records, or alias target)
"[Tried to delete resource record set [name='...', type='A'] but the values provided do not match the current
values]"; several problems are listed in one message; nothing of the batch is applied. Names compare without case and
trailing dot. So a DELETE ... CREATE pair in one batch replaces a record, and a second CREATE of what a first run
made fails (tools use UPSERT or read first).

moto 5.2.5: ``Route53Backend.change_resource_record_sets`` (moto/route53/models.py) refuses a CREATE only when the
very same change is in the zone's change journal (a CREATE with other values, or of what an UPSERT made, appends a
second record set with the same name and type), and checks a DELETE against the journal only, with another error
(``InvalidInput`` "Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], ...]").

What this addition does: wraps ``change_resource_record_sets`` to play the batch against the zone's record sets
before moto applies it, and raises AWS's error with every problem found. Record values compare as sets; alias
``DNSName`` without case and trailing dot. moto's journal check of a DELETE (``ChangeList.has_insert_or_update``,
which compares the record values as an ordered list) is replaced by this one (it answers True).

Reference: https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html
"""

from moto.route53.exceptions import Route53ClientError
from moto.route53.models import ChangeList, Route53Backend

_ORIGINAL: dict = {}


def _normal(name: str | None) -> str:
    return (name or "").strip().rstrip(".").lower()


def _key(name: str | None, record_type: str | None, set_identifier: str | None) -> tuple:
    return _normal(name), record_type, set_identifier


def _alias(alias: dict | None) -> tuple | None:
    if not alias:
        return None
    return alias.get("HostedZoneId"), _normal(alias.get("DNSName")), bool(alias.get("EvaluateTargetHealth"))


def _values(ttl, records, alias) -> tuple:
    ttl = None if ttl in (None, "") else int(ttl)
    return ttl, frozenset(str(r) for r in records or []), _alias(alias)


def _stored(rrset) -> tuple:
    return _values(rrset.ttl, rrset.records, rrset.alias_target)


def _requested(record: dict) -> tuple:
    return _values(
        record.get("TTL"), [r.get("Value") for r in record.get("ResourceRecords") or []], record.get("AliasTarget")
    )


def _display(record: dict) -> str:
    return f"[name='{_normal(record.get('Name'))}.', type='{record.get('Type')}']"


def problems(zone, change_list: list) -> list[str]:
    """AWS's messages for the changes of the batch that cannot be applied to the zone, in order."""
    state = {_key(r.name, r.type, r.set_identifier): _stored(r) for r in zone.rrsets}
    found = []
    for change in change_list or []:
        record = change.get("ResourceRecordSet") or {}
        key = _key(record.get("Name"), record.get("Type"), record.get("SetIdentifier"))
        action = change.get("Action")
        if action == "CREATE":
            if key in state:
                found.append(f"Tried to create resource record set {_display(record)} but it already exists")
                continue
            state[key] = _requested(record)
        elif action == "UPSERT":
            state[key] = _requested(record)
        elif action == "DELETE":
            if key not in state:
                found.append(f"Tried to delete resource record set {_display(record)} but it was not found")
            elif state[key] != _requested(record):
                found.append(
                    f"Tried to delete resource record set {_display(record)} but the values provided do not match "
                    "the current values"
                )
            else:
                del state[key]
    return found


def _change_resource_record_sets(self, zoneid, change_list):
    found = problems(self.get_hosted_zone(zoneid), change_list)
    if found:
        raise Route53ClientError("InvalidChangeBatch", "[" + ", ".join(found) + "]")
    return _ORIGINAL["change_resource_record_sets"](self, zoneid, change_list)


def apply() -> None:
    """Check CREATE and DELETE changes against the zone's record sets."""
    _ORIGINAL.setdefault("change_resource_record_sets", Route53Backend.change_resource_record_sets)
    _ORIGINAL.setdefault("has_insert_or_update", ChangeList.has_insert_or_update)
    Route53Backend.change_resource_record_sets = _change_resource_record_sets
    ChangeList.has_insert_or_update = _journal_check_done_by_problems


def _journal_check_done_by_problems(self, new_rr_set) -> bool:
    return True
