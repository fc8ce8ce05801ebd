"""DynamoDB table descriptions carry a ``TableId``.

AWS: every ``TableDescription`` (CreateTable, DescribeTable, UpdateTable, DeleteTable) has ``TableId``, the table's
unique identifier (a UUID), fixed for the table's life; a table re-created with the same name, and each replica of a
global table, has its own.

moto 5.2.5: ``Table.describe`` (moto/dynamodb/models/table.py) has no ``TableId``.

What this addition does: gives each moto ``Table`` a UUID the first time it is described (kept on the table as
``_atelier_table_id``) and adds it to every description.

Reference: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
"""

import uuid

from moto.dynamodb.models.table import Table

_originals: dict = {}


def _describe(self, base_key: str = "TableDescription") -> dict:
    result = _originals["describe"](self, base_key)
    if getattr(self, "_atelier_table_id", None) is None:
        self._atelier_table_id = str(uuid.uuid4())
    result[base_key]["TableId"] = self._atelier_table_id
    return result


def apply() -> None:
    """Wrap Table.describe."""
    _originals["describe"] = Table.describe
    Table.describe = _describe
