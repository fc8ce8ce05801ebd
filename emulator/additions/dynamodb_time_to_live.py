"""UpdateTimeToLive / DescribeTimeToLive: AWS's errors.

AWS: UpdateTimeToLive is not idempotent: enabling TTL that is already enabled is a ValidationException ("TimeToLive is
already enabled"), so is disabling TTL that is not enabled ("TimeToLive is already disabled"), and enabling or
disabling it on another attribute than the one it is active on ("TimeToLive is active on a different AttributeName",
quoted from AWS in go-to-k/cdkd#932). An unknown table is ResourceNotFoundException, for both operations. A disabled
TTL is described as ``{TimeToLiveStatus: DISABLED}``.

moto 5.2.5: ``DynamoDBBackend.update_time_to_live`` (moto/dynamodb/models/__init__.py) accepts every call (so a module
that re-enables TTL on each run passes here and fails on AWS), keeps ``AttributeName`` on a disabled TTL, and both
operations answer an unknown table with the error code ``ResourceNotFound``, which is not a DynamoDB error (botocore
models ``ResourceNotFoundException``).

What this addition does: replaces both backend methods with the AWS rules; the TTL dict is changed in place (replicas of
a global table share it). The "already enabled"/"already disabled" texts are recalled from AWS, not found verbatim.
AWS also refuses a second change within about an hour of the last one; that is not emulated (it would break every
re-run against the emulator).

References: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
            https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html
"""

from moto.dynamodb.exceptions import MockValidationException, ResourceNotFoundException
from moto.dynamodb.models import DynamoDBBackend


def _table(backend, table_name: str):
    try:
        return backend.get_table(table_name)
    except ResourceNotFoundException as error:
        raise ResourceNotFoundException(table_name=table_name) from error


def _update_time_to_live(self, table_name: str, ttl_spec: dict) -> None:
    table = _table(self, table_name)
    ttl = table.ttl
    active = ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
    attribute = ttl_spec.get("AttributeName")
    if active and attribute != ttl.get("AttributeName"):
        raise MockValidationException("TimeToLive is active on a different AttributeName")
    if ttl_spec.get("Enabled"):
        if active:
            raise MockValidationException("TimeToLive is already enabled")
        ttl.clear()
        ttl.update(TimeToLiveStatus="ENABLED", AttributeName=attribute)
    else:
        if not active:
            raise MockValidationException("TimeToLive is already disabled")
        ttl.clear()
        ttl.update(TimeToLiveStatus="DISABLED")


def _describe_time_to_live(self, table_name: str) -> dict:
    return _table(self, table_name).ttl


def apply() -> None:
    """Replace the backend's TTL methods."""
    DynamoDBBackend.update_time_to_live = _update_time_to_live
    DynamoDBBackend.describe_time_to_live = _describe_time_to_live
