"""DynamoDB global tables, version 2019.11.21: replicas added and removed with UpdateTable ``ReplicaUpdates``.

AWS: ``UpdateTable`` with ``ReplicaUpdates`` ``[{Create: {RegionName, KMSMasterKeyId?, ProvisionedThroughputOverride?,
OnDemandThroughputOverride?, GlobalSecondaryIndexes?, TableClassOverride?}} | {Update: {...}} | {Delete: {RegionName}}]``
creates, changes or deletes a replica table of the same name in another region. The replica is CREATING (and the
table UPDATING) for minutes, then ACTIVE; a deleted one is DELETING, then gone with its table. ``DescribeTable`` then
answers ``GlobalTableVersion: "2019.11.21"`` and ``Replicas``: the *other* regions of the global table
(``ReplicaDescription``: ``RegionName``, ``ReplicaStatus``, ``KMSMasterKeyId``, ``ReplicaTableClassSummary``,
``GlobalSecondaryIndexes``, ...), from any of its regions. Every replica has the same keys, attribute definitions,
indexes, billing mode, write capacity, stream, encryption type and TTL settings (synchronized settings), while table
class, deletion protection, point-in-time recovery, tags, KMS key and read capacity are per replica. Items written in
any region reach every other one, and a new replica is backfilled with the existing items. After the last replica is
removed, the table is a regional table again: no ``Replicas``, no ``GlobalTableVersion`` (its stream stays enabled).

moto 5.2.5: ``DynamoHandler.update_table`` (moto/dynamodb/responses.py) never reads ``ReplicaUpdates``, and
``Table.describe`` (moto/dynamodb/models/table.py) has no ``Replicas`` / ``GlobalTableVersion``: nothing is
replicated, the call succeeds and does nothing.

What this addition does
-----------------------
* State: every table of a global table (one moto ``Table`` per region) carries ``_atelier_group``, one shared
  ``_Group`` holding plain data only (table name, account, one ``_Member`` per region: status, time of the last change,
  overrides). Tables are looked up by name in each region's backend, never referenced from the group, so moto's
  ``copy.deepcopy`` of a table (TransactWriteItems backs tables up that way) stays small.
* Items: the tables of a global table share **one item store**: the replica's ``Table.items`` *is* the source table's
  dict. Every write path of moto (PutItem, UpdateItem - which edits items in place -, DeleteItem, BatchWriteItem,
  TransactWriteItems, PartiQL) goes through it, so an item written in one region is readable in every other one at
  once (AWS replicates within a second or so), and a new replica holds every item written before (AWS backfills).
  Deleting a replica drops that region's table only. TransactWriteItems restores a deep copy of a table when it fails;
  ``transact_write_items`` is wrapped to share the restored store again. TTL settings are shared the same way.
* Synchronized settings: after a successful UpdateTable or UpdateTimeToLive on any replica, attribute definitions,
  billing mode, write capacity (and read capacity without an override), GSIs, stream and encryption type are copied to
  the other replicas. The stream is enabled with ``NEW_AND_OLD_IMAGES`` when the first replica is created on a table
  without one (an existing stream is kept as it is), and cannot be disabled while the table has replicas.
* Time: statuses move lazily, computed from timestamps at the start of every DynamoDB request (no threads):
  CREATING / UPDATING -> ACTIVE and DELETING -> gone once ``ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY`` seconds (default
  2.0, see ``emulator.knobs``: environment of the server or ``POST /_atelier/config``) have passed. Meanwhile every
  other replica's ``TableStatus`` is UPDATING; the new replica's own table is CREATING, a deleted one DELETING.
* DeleteTable on a replica (in its own region) removes that replica from the global table, as AWS treats the replicas
  as peers; with one table left, the global table dissolves.

Errors (code, message; "ours" marks a message we could not find verbatim and wrote in AWS's style):
* ReplicaUpdates together with any other change of the table: ValidationException, ours ("... ReplicaUpdates cannot
  be combined with other updates ..."), after the UpdateTable reference ("You can only perform one of the following
  operations at once", and "The Disassociate action must be the only replica update ... fails with a
  ValidationException").
* More than one Create/Delete in one call: ValidationException, ours ("Only one replica can be created or deleted per
  UpdateTable request"). Several Update actions in one call are accepted (Terraform sends them together).
* Any UpdateTable, DeleteTable or replica change while a replica change is under way (the table is CREATING,
  UPDATING or DELETING): ResourceInUseException "Attempt to change a resource which is still in use: Table is being
  updated: <name>" (UpdateTable/DeleteTable references: "While it's UPDATING, you can't issue another UpdateTable
  request"; message as quoted in hashicorp/terraform-provider-aws internal/service/dynamodb/table.go deleteTable).
* A Create, Update or Delete of the region the request is sent to: ValidationException "Cannot add, delete, or update
  the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required." (quoted in
  terraform-provider-aws table.go resourceTableDelete; same text in aws/aws-cdk#6287).
* A Create in a region that already holds a table of that name, or is already a replica: ValidationException "Failed
  to create a the new replica of table because one or more replicas already existed as tables." (AWS's text, typo
  included, from rrahul963/serverless-create-global-dynamodb-table#33; Terraform matches "already exist").
* An Update or Delete of a region that is not a replica: ValidationException "Replica specified in the Replica Update
  or Replica Delete action of the request was not found." (terraform-provider-aws table.go, table_replica.go).
* A Create in a region that is not a DynamoDB region of the table's partition (botocore's endpoint data):
  ValidationException, ours ("... is not a valid DynamoDB region ...").
* A Create without KMSMasterKeyId when the table is encrypted with a customer managed key: ValidationException "One or
  more parameter values were invalid: KMSMasterKeyId must be specified for each replica." (terraform-provider-aws
  table.go createReplicas).
* A Delete of a replica that has deletion protection: ValidationException "Resource cannot be deleted as it is
  currently protected against deletion. Disable deletion protection first." (the DeleteTable message, quoted in
  nubo-db/dynoxide#46 and aws-bench/aws-bench#41).
* Disabling the stream of a table with replicas: ValidationException "One or more parameter values were invalid:
  Disabling Stream is not allowed for a Global Table replica." (hashicorp/terraform-provider-aws#20019, #34450).
* ``MultiRegionConsistency: STRONG`` and ``Disassociate`` are not emulated: ValidationException, ours.

Streams: AWS does not refuse a replica on a table without a stream; it enables one with ``NEW_AND_OLD_IMAGES``, and a
``KEYS_ONLY`` stream is kept (tests run against AWS in scylladb/scylladb test/alternator/test_global_tables.py:
test_global_table_streaming, test_global_table_keys_only_is_enough; hashicorp/terraform-provider-aws#43625).

References: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ReplicationGroupUpdate.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ReplicaDescription.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
            https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
            https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/globaltables.DetermineVersion.html
"""

import copy
import functools
import threading
import time

from moto.core.exceptions import JsonRESTError
from moto.dynamodb.exceptions import MockValidationException, ResourceInUseException
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler, DynamoResult
from moto.utilities.utils import get_partition

from emulator import knobs

DELAY = "ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY"
GLOBAL_TABLE_VERSION = "2019.11.21"

# UpdateTable parameters that change the table itself: none may come with ReplicaUpdates.
OTHER_CHANGES = (
    "AttributeDefinitions",
    "BillingMode",
    "ProvisionedThroughput",
    "GlobalSecondaryIndexUpdates",
    "StreamSpecification",
    "SSESpecification",
    "TableClass",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "GlobalTableWitnessUpdates",
    "GlobalTableSettingsReplicationMode",
    "DisassociationProtectionEnabled",
    "VectorIndexUpdates",
)
# Table attributes other additions keep that are synchronized settings too (billing mode history).
SYNCED_EXTRA_ATTRIBUTES = ("_atelier_pay_per_request_at",)

LOCAL_REGION = (
    "Cannot add, delete, or update the local region through ReplicaUpdates. "
    "Use CreateTable, DeleteTable, or UpdateTable as required."
)
ALREADY_EXISTS = "Failed to create a the new replica of table because one or more replicas already existed as tables."
NOT_FOUND = "Replica specified in the Replica Update or Replica Delete action of the request was not found."
KMS_KEY_REQUIRED = "One or more parameter values were invalid: KMSMasterKeyId must be specified for each replica."
DELETION_PROTECTED = (
    "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
)
STREAM_REQUIRED = (
    "One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica."
)

_LOCK = threading.RLock()
_originals: dict = {}


class _Member:
    """One region of a global table: plain data only."""

    def __init__(self, region: str, status: str, changed_at: float):
        self.region = region
        self.status = status
        self.changed_at = changed_at
        self.kms_key_arn = None
        self.throughput_override = None
        self.on_demand_override = None
        self.gsi_overrides = None


class _Group:
    """The regions of one global table, shared by its tables (``Table._atelier_group``)."""

    def __init__(self, account_id: str, name: str):
        self.account_id = account_id
        self.name = name
        self.members: dict[str, _Member] = {}


def _in_use(name: str, status: str) -> ResourceInUseException:
    verb = {"CREATING": "created", "DELETING": "deleted"}.get(status, "updated")
    return ResourceInUseException(f"Attempt to change a resource which is still in use: Table is being {verb}: {name}")


def _table_in(account_id: str, region: str, name: str):
    try:
        return dynamodb_backends[account_id][region].tables.get(name)
    except KeyError:
        return None


def _group_of(table):
    return getattr(table, "_atelier_group", None)


@functools.lru_cache(maxsize=None)
def _dynamodb_regions(partition: str) -> frozenset:
    import botocore.session

    return frozenset(botocore.session.get_session().get_available_regions("dynamodb", partition_name=partition))


def _is_dynamodb_region(region: str, local_region: str, account_id: str) -> bool:
    if region not in _dynamodb_regions(get_partition(local_region)):
        return False
    try:
        dynamodb_backends[account_id][region]
    except KeyError:
        return False
    return True


def _settle(group: _Group) -> None:
    """Apply the transitions whose delay has passed (lazy: called at the start of every DynamoDB request)."""
    delay = knobs.get_float(DELAY)
    now = time.time()
    for region, member in list(group.members.items()):
        if member.status == "ACTIVE" or now - member.changed_at < delay:
            continue
        if member.status in ("CREATING", "UPDATING"):
            member.status = "ACTIVE"
        elif member.status == "DELETING":
            table = _table_in(group.account_id, region, group.name)
            if table is not None and _group_of(table) is group:
                del dynamodb_backends[group.account_id][region].tables[group.name]
                table._atelier_group = None
            del group.members[region]
    if len(group.members) <= 1:
        _dissolve(group)


def _dissolve(group: _Group) -> None:
    """Fewer than two regions left: the remaining table is a regional table again (its stream stays)."""
    for region in list(group.members):
        table = _table_in(group.account_id, region, group.name)
        if table is not None and _group_of(table) is group:
            table._atelier_group = None
            table.ttl = dict(table.ttl)
    group.members.clear()


def _table_status(group: _Group, region: str) -> str:
    member = group.members[region]
    if member.status in ("CREATING", "DELETING"):
        return member.status
    if any(other.status != "ACTIVE" for other in group.members.values()):
        return "UPDATING"
    return "ACTIVE"


def _refuse_if_busy(table) -> None:
    """ResourceInUseException unless the table is ACTIVE (whichever addition made it CREATING/UPDATING/DELETING)."""
    status = table.describe()["TableDescription"]["TableStatus"]
    if status != "ACTIVE":
        raise _in_use(table.name, status)


def _table_class(table) -> str:
    return getattr(table, "_atelier_table_class", None) or "STANDARD"


def _replica_description(group: _Group, region: str) -> dict:
    member = group.members[region]
    description = {"RegionName": region, "ReplicaStatus": member.status}
    table = _table_in(group.account_id, region, group.name)
    if table is not None and _uses_customer_key(table):
        description["KMSMasterKeyId"] = table.sse_specification["KMSMasterKeyId"]
    elif member.kms_key_arn:
        description["KMSMasterKeyId"] = member.kms_key_arn
    if member.throughput_override:
        description["ProvisionedThroughputOverride"] = member.throughput_override
    if member.on_demand_override:
        description["OnDemandThroughputOverride"] = member.on_demand_override
    if table is not None:
        overrides = {o.get("IndexName"): o for o in member.gsi_overrides or []}
        if table.global_indexes:
            indexes = []
            for index in table.global_indexes:
                entry = {"IndexName": index.name}
                override = overrides.get(index.name, {})
                for field in ("ProvisionedThroughputOverride", "OnDemandThroughputOverride"):
                    if override.get(field):
                        entry[field] = override[field]
                indexes.append(entry)
            description["GlobalSecondaryIndexes"] = indexes
        description["ReplicaTableClassSummary"] = {"TableClass": _table_class(table)}
    return description


def _describe(self, base_key: str = "TableDescription") -> dict:
    result = _originals["describe"](self, base_key)
    group = _group_of(self)
    if group is None or self.region_name not in group.members:
        return result
    description = result[base_key]
    description["TableStatus"] = _table_status(group, self.region_name)
    description["GlobalTableVersion"] = GLOBAL_TABLE_VERSION
    description["Replicas"] = [_replica_description(group, r) for r in group.members if r != self.region_name]
    return result


def _resolve_kms_key(account_id: str, region: str, key_id: str) -> str:
    from moto.kms.models import kms_backends

    try:
        return kms_backends[account_id][region].describe_key(key_id).arn
    except Exception:  # unknown key: keep what was given
        return key_id


def _uses_customer_key(table) -> bool:
    sse = table.sse_specification or {}
    if not sse.get("Enabled") or not sse.get("KMSMasterKeyId"):
        return False
    return sse["KMSMasterKeyId"] != table._get_default_encryption_key(table.account_id, table.region_name)


def _stream_enabled(table) -> bool:
    return bool(table.stream_specification and table.stream_specification.get("StreamEnabled"))


def _copy_synced(source, target, member: _Member, source_member: _Member) -> None:
    """Copy the settings every replica of a global table shares from source to target."""
    target.attr = copy.deepcopy(source.attr)
    target.billing_mode = source.billing_mode
    throughput = dict(target.throughput)
    throughput["WriteCapacityUnits"] = source.throughput.get("WriteCapacityUnits", 0)
    if source.billing_mode != "PROVISIONED":
        throughput["ReadCapacityUnits"] = source.throughput.get("ReadCapacityUnits", 0)
    elif member.throughput_override:  # read capacity is per replica when overridden
        throughput["ReadCapacityUnits"] = member.throughput_override["ReadCapacityUnits"]
    elif not source_member.throughput_override:
        throughput["ReadCapacityUnits"] = source.throughput.get("ReadCapacityUnits", 0)
    target.throughput = throughput
    target.global_indexes = [copy.deepcopy(index) for index in source.global_indexes]
    source_stream = source.stream_specification or {}
    target_stream = target.stream_specification or {}
    if _stream_enabled(source) != _stream_enabled(target) or (
        _stream_enabled(source) and source_stream.get("StreamViewType") != target_stream.get("StreamViewType")
    ):
        target.set_stream_specification(copy.deepcopy(source_stream) if _stream_enabled(source) else None)
    source_sse = bool(source.sse_specification and source.sse_specification.get("Enabled"))
    target_sse = bool(target.sse_specification and target.sse_specification.get("Enabled"))
    if source_sse != target_sse:
        if source_sse:
            key = member.kms_key_arn or target._get_default_encryption_key(target.account_id, target.region_name)
            target.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}
        else:
            target.sse_specification = copy.deepcopy(source.sse_specification)
    for name in SYNCED_EXTRA_ATTRIBUTES:
        if hasattr(source, name):
            setattr(target, name, copy.deepcopy(getattr(source, name)))
    target.ttl = source.ttl


def _sync_from(table) -> None:
    group = _group_of(table)
    if group is None or table.region_name not in group.members:
        return
    for region, member in group.members.items():
        if region == table.region_name or member.status == "DELETING":
            continue
        other = _table_in(group.account_id, region, group.name)
        if other is not None and other is not table and _group_of(other) is group:
            _copy_synced(table, other, member, group.members[table.region_name])


def _make_replica(source, region: str, action: dict, member: _Member):
    """The replica table in region: same keys, indexes, billing, stream, encryption type, TTL; shared items."""
    sse = None
    if source.sse_specification and source.sse_specification.get("Enabled"):
        sse = {"Enabled": True, "SSEType": source.sse_specification.get("SSEType", "KMS")}
        if member.kms_key_arn:
            sse["KMSMasterKeyId"] = member.kms_key_arn
    throughput = None
    if source.billing_mode == "PROVISIONED":
        throughput = {
            "ReadCapacityUnits": source.throughput.get("ReadCapacityUnits", 0),
            "WriteCapacityUnits": source.throughput.get("WriteCapacityUnits", 0),
        }
        if member.throughput_override:
            throughput["ReadCapacityUnits"] = member.throughput_override["ReadCapacityUnits"]
    replica = Table(
        source.name,
        account_id=source.account_id,
        region=region,
        schema=copy.deepcopy(source.schema),
        attr=copy.deepcopy(source.attr),
        throughput=throughput,
        billing_mode=source.billing_mode,
        streams=copy.deepcopy(source.stream_specification) if _stream_enabled(source) else None,
        sse_specification=sse,
        tags=[],
        deletion_protection_enabled=False,
    )
    replica.indexes = [copy.deepcopy(index) for index in source.indexes]
    replica.global_indexes = [copy.deepcopy(index) for index in source.global_indexes]
    for name in SYNCED_EXTRA_ATTRIBUTES:
        if hasattr(source, name):
            setattr(replica, name, copy.deepcopy(getattr(source, name)))
    table_class = action.get("TableClassOverride") or getattr(source, "_atelier_table_class", None)
    if table_class:
        replica._atelier_table_class = table_class
    replica.items = source.items  # one item store for every region of the global table
    replica.ttl = source.ttl  # TTL settings are synchronized too
    return replica


def _apply_member_settings(member: _Member, action: dict, account_id: str) -> None:
    if action.get("KMSMasterKeyId"):
        member.kms_key_arn = _resolve_kms_key(account_id, member.region, action["KMSMasterKeyId"])
    if action.get("ProvisionedThroughputOverride"):
        member.throughput_override = dict(action["ProvisionedThroughputOverride"])
    if action.get("OnDemandThroughputOverride"):
        member.on_demand_override = dict(action["OnDemandThroughputOverride"])
    if action.get("GlobalSecondaryIndexes"):
        member.gsi_overrides = copy.deepcopy(action["GlobalSecondaryIndexes"])


def _validate_replica_updates(handler, table, updates: list) -> None:
    body = handler.body
    others = [key for key in OTHER_CHANGES if body.get(key) not in (None, [], {})]
    if others:
        raise MockValidationException(
            "One or more parameter values were invalid: ReplicaUpdates cannot be combined with other updates "
            f"of the table in the same UpdateTable request: {', '.join(others)}"
        )
    if body.get("MultiRegionConsistency") == "STRONG":
        raise MockValidationException("MultiRegionConsistency STRONG is not emulated; use EVENTUAL")
    for update in updates:
        actions = [key for key in ("Create", "Update", "Delete", "Disassociate") if update.get(key)]
        if len(actions) != 1:
            raise MockValidationException(
                "One or more parameter values were invalid: each ReplicaUpdates entry needs exactly one of Create, "
                "Update or Delete"
            )
        if actions[0] == "Disassociate":
            raise MockValidationException("The Disassociate replica action is not emulated")
    if sum(1 for update in updates if update.get("Create") or update.get("Delete")) > 1:
        raise MockValidationException(
            "One or more parameter values were invalid: Only one replica can be created or deleted per UpdateTable "
            "request"
        )
    _refuse_if_busy(table)
    group = _group_of(table)
    local = handler.region
    account_id = table.account_id
    for update in updates:
        kind, action = next((key, update[key]) for key in ("Create", "Update", "Delete") if update.get(key))
        region = action.get("RegionName")
        if region == local:
            raise MockValidationException(LOCAL_REGION)
        if kind == "Create":
            if not _is_dynamodb_region(region, local, account_id):
                raise MockValidationException(
                    f"One or more parameter values were invalid: {region} is not a valid DynamoDB region "
                    f"in partition {get_partition(local)}"
                )
            if (group is not None and region in group.members) or _table_in(account_id, region, table.name):
                raise MockValidationException(ALREADY_EXISTS)
            if _uses_customer_key(table) and not action.get("KMSMasterKeyId"):
                raise MockValidationException(KMS_KEY_REQUIRED)
        else:
            if group is None or region not in group.members:
                raise MockValidationException(NOT_FOUND)
            if kind == "Delete":
                replica = _table_in(account_id, region, table.name)
                if replica is not None and replica.deletion_protection_enabled:
                    raise MockValidationException(DELETION_PROTECTED)


def _apply_replica_updates(handler, table, updates: list) -> None:
    now = time.time()
    group = _group_of(table)
    if group is None:
        group = _Group(table.account_id, table.name)
        group.members[table.region_name] = _Member(table.region_name, "ACTIVE", 0.0)
        table._atelier_group = group
    if not _stream_enabled(table):
        table.set_stream_specification({"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    for update in updates:
        kind, action = next((key, update[key]) for key in ("Create", "Update", "Delete") if update.get(key))
        region = action["RegionName"]
        if kind == "Create":
            member = _Member(region, "CREATING", now)
            _apply_member_settings(member, action, table.account_id)
            replica = _make_replica(table, region, action, member)
            replica._atelier_group = group
            dynamodb_backends[table.account_id][region].tables[table.name] = replica
            group.members[region] = member
        elif kind == "Update":
            member = group.members[region]
            _apply_member_settings(member, action, table.account_id)
            replica = _table_in(table.account_id, region, table.name)
            if replica is not None:
                if action.get("TableClassOverride"):
                    replica._atelier_table_class = action["TableClassOverride"]
                if member.kms_key_arn and replica.sse_specification and replica.sse_specification.get("Enabled"):
                    replica.sse_specification["KMSMasterKeyId"] = member.kms_key_arn
                if member.throughput_override and replica.billing_mode == "PROVISIONED":
                    replica.throughput = dict(replica.throughput)
                    replica.throughput["ReadCapacityUnits"] = member.throughput_override["ReadCapacityUnits"]
            member.status, member.changed_at = "UPDATING", now
        else:
            member = group.members[region]
            member.status, member.changed_at = "DELETING", now


def _update_table(self) -> DynamoResult:
    table = self.dynamodb_backend.get_table(self.body["TableName"])
    updates = self.body.get("ReplicaUpdates")
    with _LOCK:
        if updates:
            _validate_replica_updates(self, table, updates)
            _apply_replica_updates(self, table, updates)
            return DynamoResult(table.describe())
        _refuse_if_busy(table)
        stream = self.body.get("StreamSpecification")
        if _group_of(table) is not None and stream is not None and not stream.get("StreamEnabled"):
            raise MockValidationException(STREAM_REQUIRED)
        return _originals["update_table"](self)


def _delete_table(self, name: str):
    table = self.get_table(name)
    with _LOCK:
        group = _group_of(table)
        if group is None:
            return _originals["delete_table"](self, name)
        status = table.describe()["TableDescription"]["TableStatus"]
        if status == "DELETING":  # "If table is already in the DELETING state, no error is returned."
            return table
        if status != "ACTIVE":
            raise _in_use(table.name, status)
        deleted = _originals["delete_table"](self, name)
        group.members.pop(table.region_name, None)
        table._atelier_group = None
        table.ttl = dict(table.ttl)
        if len(group.members) <= 1:
            _dissolve(group)
        return deleted


def _relink(backend) -> None:
    """After a failed TransactWriteItems put back deep copies of tables: share their item store again."""
    for table in list(backend.tables.values()):
        group = _group_of(table)
        if group is None:
            continue
        for region in group.members:
            sibling = _table_in(group.account_id, region, group.name)
            if sibling is None or sibling is table or _group_of(sibling) in (None, group):
                continue
            live = _group_of(sibling)  # table holds a stale copy of the group: adopt the live one
            table._atelier_group = live
            table.ttl = sibling.ttl
            for other_region in live.members:
                other = _table_in(group.account_id, other_region, group.name)
                if other is not None and other is not table:
                    other.items = table.items
            break


def _transact_write_items(self, transact_items):
    try:
        return _originals["transact_write_items"](self, transact_items)
    except Exception:
        with _LOCK:
            _relink(self)
        raise


def _call_action(self):
    with _LOCK:
        for table in list(self.dynamodb_backend.tables.values()):
            group = _group_of(table)
            if group is not None:
                _settle(group)
    response = _originals["call_action"](self)
    if self._get_action() in ("UpdateTable", "UpdateTimeToLive") and str(response[0]) == "200":
        name = (getattr(self, "params", None) or {}).get("TableName")
        if name:
            with _LOCK:
                try:
                    table = self.dynamodb_backend.get_table(name)
                except JsonRESTError:
                    table = None
                if table is not None:
                    _sync_from(table)
    return response


def apply() -> None:
    """Wrap moto's DynamoDB handler and models; the previous versions stay reachable in _originals."""
    _originals.update(
        describe=Table.describe,
        update_table=DynamoHandler.update_table,
        delete_table=DynamoDBBackend.delete_table,
        transact_write_items=DynamoDBBackend.transact_write_items,
        call_action=DynamoHandler.call_action,
    )
    Table.describe = _describe
    DynamoHandler.update_table = _update_table
    DynamoDBBackend.delete_table = _delete_table
    DynamoDBBackend.transact_write_items = _transact_write_items
    DynamoHandler.call_action = _call_action
