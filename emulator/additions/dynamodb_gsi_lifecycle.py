"""Global secondary indexes added or removed by UpdateTable take time, one at a time.

AWS: ``UpdateTable`` ``GlobalSecondaryIndexUpdates`` can create or delete only one global secondary index per call, and
not while another index of the table is being created or deleted (LimitExceededException "Subscriber limit exceeded:
Only 1 online index can be created or deleted simultaneously per table"). A new index is ``IndexStatus: CREATING``:
first resource allocation (``Backfilling: false``, table UPDATING), then backfilling (``Backfilling: true``, the table
ACTIVE again and open to other updates), then ACTIVE (no ``Backfilling``); a deleted index is DELETING, then gone. The
key attributes of a new index must be in ``AttributeDefinitions``.

moto 5.2.5: ``DynamoDBBackend.update_table_global_indexes`` (moto/dynamodb/models/__init__.py) applies any number of
creates and deletes at once, makes new indexes ACTIVE at once and removes deleted ones at once, accepts key attributes
missing from ``AttributeDefinitions``, and answers HTTP 500 (a bare ``ValueError``) for an unknown or duplicate index.

What this addition does: limits one create/delete per call and per table at a time; keeps the index CREATING for
``ATELIER_EMULATOR_DYNAMODB_INDEX_DELAY`` seconds (default 2.0; environment of the server or ``POST /_atelier/config``,
see ``emulator.knobs``), the first half without and the second half with backfilling (table UPDATING during the
first half), and a deleted index DELETING for the same delay (table UPDATING). Statuses are computed from timestamps
when read; finished deletions are dropped at the start of the next DynamoDB request. UpdateTable while the table is
UPDATING answers ResourceInUseException (the UpdateTable reference: "While it's UPDATING, you can't issue another
UpdateTable request"). The state lives on moto's ``GlobalSecondaryIndex`` objects (``_atelier_status``,
``_atelier_changed_at``), so copies of the index (``dynamodb_global_tables`` copies them to the replicas) carry it.

Errors: more than one create/delete, or one while another index changes: LimitExceededException "Subscriber limit
exceeded: Only 1 online index can be created or deleted simultaneously per table" (AWS's text, quoted in
taoensso/faraday#80 for two creates in one request, noppoMan/npdynamodb#29 and architect/architect#334 for
concurrent ones); key attribute not defined: ValidationException "One or more parameter values were invalid: Some
index key attributes are not defined in AttributeDefinitions. Keys: [...], AttributeDefinitions: [...]" (CreateTable's
message, as moto words it for CreateTable); creating an existing index: ValidationException "Attempting to create an
index which already exists" (recalled from AWS, not found verbatim); deleting or updating an unknown index:
ResourceNotFoundException "Requested resource not found: Index: <name> not found in table <table>" (ours).

References: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GlobalSecondaryIndexDescription.html
            https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html
"""

import time

from moto.core.exceptions import JsonRESTError
from moto.dynamodb.exceptions import (
    ERROR_TYPE_PREFIX,
    MockValidationException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import GlobalSecondaryIndex, Table
from moto.dynamodb.responses import DynamoHandler

from emulator import knobs

DELAY = "ATELIER_EMULATOR_DYNAMODB_INDEX_DELAY"
ONE_AT_A_TIME = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"

_originals: dict = {}


class LimitExceededException(JsonRESTError):
    def __init__(self, message: str):
        super().__init__(ERROR_TYPE_PREFIX + "LimitExceededException", message)


def _elapsed(index, now: float) -> float:
    return now - getattr(index, "_atelier_changed_at", 0.0)


def _changing(index, now: float, delay: float) -> bool:
    """Whether the index is still being created or deleted."""
    return getattr(index, "_atelier_status", None) is not None and _elapsed(index, now) < delay


def _settle(table) -> None:
    delay = knobs.get_float(DELAY)
    now = time.time()
    kept = []
    for index in table.global_indexes:
        status = getattr(index, "_atelier_status", None)
        if status is not None and _elapsed(index, now) >= delay:
            if status == "DELETING":
                continue
            index._atelier_status = None
            index.status = "ACTIVE"
        kept.append(index)
    if len(kept) != len(table.global_indexes):
        table.global_indexes = kept


def _gsi_describe(self) -> dict:
    description = _originals["gsi_describe"](self)
    status = getattr(self, "_atelier_status", None)
    if status is None:
        return description
    delay = knobs.get_float(DELAY)
    elapsed = _elapsed(self, time.time())
    if status == "DELETING":
        description["IndexStatus"] = "DELETING"
    elif elapsed < delay:
        description["IndexStatus"] = "CREATING"
        description["Backfilling"] = elapsed >= delay / 2
    else:
        description["IndexStatus"] = "ACTIVE"
    return description


def _table_busy(table) -> bool:
    """UPDATING while an index is allocated (first half of its creation) or deleted."""
    delay = knobs.get_float(DELAY)
    now = time.time()
    for index in table.global_indexes:
        status = getattr(index, "_atelier_status", None)
        if status == "DELETING" and _elapsed(index, now) < delay:
            return True
        if status == "CREATING" and _elapsed(index, now) < delay / 2:
            return True
    return False


def _describe(self, base_key: str = "TableDescription") -> dict:
    result = _originals["describe"](self, base_key)
    description = result[base_key]
    if description.get("TableStatus") == "ACTIVE" and _table_busy(self):
        description["TableStatus"] = "UPDATING"
    return result


def _validate(table, global_index_updates: list, attribute_definitions: list) -> None:
    """Refuse the whole UpdateTable before moto changes anything (it sets AttributeDefinitions first)."""
    delay = knobs.get_float(DELAY)
    now = time.time()
    structural = [u for u in global_index_updates if u.get("Create") or u.get("Delete")]
    if len(structural) > 1 or (structural and any(_changing(i, now, delay) for i in table.global_indexes)):
        raise LimitExceededException(ONE_AT_A_TIME)
    existing = {index.name: index for index in table.global_indexes}
    defined = [attribute["AttributeName"] for attribute in attribute_definitions]
    for update in global_index_updates:
        for kind in ("Delete", "Update"):
            name = (update.get(kind) or {}).get("IndexName")
            if name is not None and (
                name not in existing or getattr(existing[name], "_atelier_status", None) == "DELETING"
            ):
                raise ResourceNotFoundException(
                    f"Requested resource not found: Index: {name} not found in table {table.name}"
                )
        create = update.get("Create")
        if create:
            if create["IndexName"] in existing:
                raise MockValidationException("Attempting to create an index which already exists")
            missing = sorted({key["AttributeName"] for key in create.get("KeySchema", [])} - set(defined))
            if missing:
                raise MockValidationException(
                    "One or more parameter values were invalid: Some index key attributes are not defined in "
                    f"AttributeDefinitions. Keys: [{', '.join(missing)}], AttributeDefinitions: [{', '.join(defined)}]"
                )


def _update_table_global_indexes(self, table, global_index_updates: list) -> None:
    """Creates as moto does, then CREATING; deletes kept as DELETING until the delay has passed."""
    now = time.time()
    deleted = [u["Delete"]["IndexName"] for u in global_index_updates if u.get("Delete")]
    created = [u["Create"]["IndexName"] for u in global_index_updates if u.get("Create")]
    others = [u for u in global_index_updates if not u.get("Delete")]
    if others:
        _originals["update_table_global_indexes"](self, table, others)
    for index in table.global_indexes:
        if index.name in deleted or index.name in created:
            index._atelier_status = "DELETING" if index.name in deleted else "CREATING"
            index._atelier_changed_at = now
            index.status = index._atelier_status


def _update_table(self):
    table = self.dynamodb_backend.get_table(self.body["TableName"])
    status = table.describe()["TableDescription"]["TableStatus"]
    if status != "ACTIVE":
        verb = {"CREATING": "created", "DELETING": "deleted"}.get(status, "updated")
        raise ResourceInUseException(
            f"Attempt to change a resource which is still in use: Table is being {verb}: {table.name}"
        )
    updates = self.body.get("GlobalSecondaryIndexUpdates")
    if updates:
        _validate(table, updates, self.body.get("AttributeDefinitions") or table.attr)
    return _originals["update_table"](self)


def _call_action(self):
    for table in list(self.dynamodb_backend.tables.values()):
        if any(getattr(index, "_atelier_status", None) for index in table.global_indexes):
            _settle(table)
    return _originals["call_action"](self)


def apply() -> None:
    """Wrap moto's GSI updates, GSI and table descriptions, UpdateTable and request dispatch."""
    _originals.update(
        gsi_describe=GlobalSecondaryIndex.describe,
        describe=Table.describe,
        update_table_global_indexes=DynamoDBBackend.update_table_global_indexes,
        update_table=DynamoHandler.update_table,
        call_action=DynamoHandler.call_action,
    )
    GlobalSecondaryIndex.describe = _gsi_describe
    Table.describe = _describe
    DynamoDBBackend.update_table_global_indexes = _update_table_global_indexes
    DynamoHandler.update_table = _update_table
    DynamoHandler.call_action = _call_action
