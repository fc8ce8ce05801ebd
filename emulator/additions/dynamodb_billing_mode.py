"""DynamoDB on-demand billing: capacity reads 0 and ``BillingModeSummary`` dates the switch to PAY_PER_REQUEST.

AWS: a PAY_PER_REQUEST (on-demand) table, created as such or switched with UpdateTable ``BillingMode``, describes
``ProvisionedThroughput`` with ``ReadCapacityUnits: 0`` and ``WriteCapacityUnits: 0`` (and so do its global secondary
indexes), and ``BillingModeSummary: {BillingMode: PAY_PER_REQUEST, LastUpdateToPayPerRequestDateTime}``, the time the
table last became on-demand (its creation time when it was created on-demand).

moto 5.2.5: ``DynamoDBBackend.update_table`` (moto/dynamodb/models/__init__.py) switches ``billing_mode`` but keeps the
provisioned read and write capacity of the table and its indexes, and ``Table.describe``
(moto/dynamodb/models/table.py) never returns ``LastUpdateToPayPerRequestDateTime``: a table switched to on-demand
still reports its old capacity.

What this addition does: on the switch to PAY_PER_REQUEST zeroes the read and write capacity of the table and its
indexes, and records the time (``_atelier_pay_per_request_at`` on the moto table, which ``dynamodb_global_tables``
copies to the replicas) for ``LastUpdateToPayPerRequestDateTime``.

References: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BillingModeSummary.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughputDescription.html
"""

from moto.core.utils import utcnow
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

_originals: dict = {}


def _zero(throughput: dict) -> dict:
    return {**throughput, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}


def _create_table(self, name: str, *args, **kwargs):
    table = _originals["create_table"](self, name, *args, **kwargs)
    if table.billing_mode == "PAY_PER_REQUEST":
        table._atelier_pay_per_request_at = table.created_at
    return table


def _update_table(self, name: str, *args, **kwargs):
    table = self.get_table(name)
    before = table.billing_mode
    table = _originals["update_table"](self, name, *args, **kwargs)
    if table.billing_mode == "PAY_PER_REQUEST" and before != "PAY_PER_REQUEST":
        table.throughput = _zero(table.throughput)
        for index in table.global_indexes:
            index.throughput = _zero(index.throughput)
        table._atelier_pay_per_request_at = utcnow()
    return table


def _describe(self, base_key: str = "TableDescription") -> dict:
    result = _originals["describe"](self, base_key)
    since = getattr(self, "_atelier_pay_per_request_at", None)
    summary = result[base_key].get("BillingModeSummary")
    if since is not None and summary is not None:
        result[base_key]["BillingModeSummary"] = {**summary, "LastUpdateToPayPerRequestDateTime": since}
    return result


def apply() -> None:
    """Wrap the backend's create_table and update_table, and Table.describe."""
    _originals.update(
        create_table=DynamoDBBackend.create_table, update_table=DynamoDBBackend.update_table, describe=Table.describe
    )
    DynamoDBBackend.create_table = _create_table
    DynamoDBBackend.update_table = _update_table
    Table.describe = _describe
