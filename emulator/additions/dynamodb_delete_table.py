"""DeleteTable: AWS's deletion-protection error, no deletion of a table being changed, DELETING in the answer.

AWS: DeleteTable of a table with ``DeletionProtectionEnabled`` fails with ValidationException "Resource cannot be
deleted as it is currently protected against deletion. Disable deletion protection first." (AWS's text as quoted in
nubo-db/dynoxide#46 and aws-bench/aws-bench#41; moto uses the same error code). "If a table is in CREATING or UPDATING
states, then DynamoDB returns a ResourceInUseException" ("Attempt to change a resource which is still in use: Table is
being updated: <name>", message as quoted in hashicorp/terraform-provider-aws internal/service/dynamodb/table.go);
a table already DELETING is no error. The answer describes the table in the DELETING state.

moto 5.2.5: ``DynamoDBBackend.delete_table`` (moto/dynamodb/models/__init__.py) raises ``DeletionProtectedException``
("1 validation error detected: Table '<name>' can't be deleted while DeletionProtectionEnabled is set to True"),
deletes whatever the table's state (moto has none; other additions add CREATING/UPDATING/DELETING), and
``DynamoHandler.delete_table`` (moto/dynamodb/responses.py) describes the deleted table as ACTIVE.

Reference: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
"""

from moto.dynamodb.exceptions import MockValidationException, ResourceInUseException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.responses import DynamoHandler

PROTECTED = (
    "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
)

_originals: dict = {}


def _delete_table(self, name: str):
    table = self.get_table(name)
    status = table.describe()["TableDescription"]["TableStatus"]
    if status == "DELETING":
        return table
    if status in ("CREATING", "UPDATING"):
        verb = "created" if status == "CREATING" else "updated"
        raise ResourceInUseException(
            f"Attempt to change a resource which is still in use: Table is being {verb}: {table.name}"
        )
    if table.deletion_protection_enabled:
        raise MockValidationException(PROTECTED)
    return _originals["delete_table"](self, name)


def _delete_table_response(self):
    response = _originals["delete_table_response"](self)
    description = response.result.get("TableDescription")
    if description is not None:
        description["TableStatus"] = "DELETING"
    return response


def apply() -> None:
    """Wrap the backend's delete_table and the DeleteTable handler."""
    _originals.update(delete_table=DynamoDBBackend.delete_table, delete_table_response=DynamoHandler.delete_table)
    DynamoDBBackend.delete_table = _delete_table
    DynamoHandler.delete_table = _delete_table_response
