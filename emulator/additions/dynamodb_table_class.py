"""DynamoDB keeps the table class: ``TableClass`` of CreateTable and UpdateTable, ``TableClassSummary`` in descriptions.

AWS: CreateTable and UpdateTable take ``TableClass`` (``STANDARD`` or ``STANDARD_INFREQUENT_ACCESS``); the table
description then has ``TableClassSummary: {TableClass, LastUpdateDateTime}`` (``LastUpdateDateTime``: when UpdateTable
last changed the class). A table whose class was never set has no ``TableClassSummary`` and is ``STANDARD``
(clients such as Terraform's aws_dynamodb_table read a missing summary as STANDARD). The class is per table: each
replica of a global table has its own (``TableClassOverride``, ``ReplicaTableClassSummary``).

moto 5.2.5: ``DynamoHandler.create_table`` and ``update_table`` (moto/dynamodb/responses.py) ignore ``TableClass``
and ``Table.describe`` (moto/dynamodb/models/table.py) never returns ``TableClassSummary``: a table asked for as
STANDARD_INFREQUENT_ACCESS reads back as STANDARD, and a declarative module never converges.

What this addition does: keeps the class on the moto table (``_atelier_table_class``, also set by
``dynamodb_global_tables`` for replicas, and ``_atelier_table_class_updated``) and describes it.

References: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableClassSummary.html
"""

from moto.core.utils import utcnow
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler, DynamoResult

_originals: dict = {}


def _describe(self, base_key: str = "TableDescription") -> dict:
    result = _originals["describe"](self, base_key)
    table_class = getattr(self, "_atelier_table_class", None)
    if table_class:
        summary = {"TableClass": table_class}
        updated = getattr(self, "_atelier_table_class_updated", None)
        if updated is not None:
            summary["LastUpdateDateTime"] = updated
        result[base_key]["TableClassSummary"] = summary
    return result


def _create_table(self) -> DynamoResult:
    response = _originals["create_table"](self)
    table_class = self.body.get("TableClass")
    if not table_class:
        return response
    table = self.dynamodb_backend.get_table(self.body["TableName"])
    table._atelier_table_class = table_class
    return DynamoResult(table.describe())


def _update_table(self) -> DynamoResult:
    response = _originals["update_table"](self)
    table_class = self.body.get("TableClass")
    if not table_class:
        return response
    table = self.dynamodb_backend.get_table(self.body["TableName"])
    if table_class != (getattr(table, "_atelier_table_class", None) or "STANDARD"):
        table._atelier_table_class_updated = utcnow()
    table._atelier_table_class = table_class
    return DynamoResult(table.describe())


def apply() -> None:
    """Wrap CreateTable, UpdateTable and Table.describe."""
    _originals.update(
        describe=Table.describe, create_table=DynamoHandler.create_table, update_table=DynamoHandler.update_table
    )
    Table.describe = _describe
    DynamoHandler.create_table = _create_table
    DynamoHandler.update_table = _update_table
