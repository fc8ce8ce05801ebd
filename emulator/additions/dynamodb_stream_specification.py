"""UpdateTable ``StreamSpecification``: enabling an enabled stream is a ValidationException, re-enabling works.

AWS: "You receive a ValidationException if you try to enable a stream on a table that already has a stream, or if you
try to disable a stream on a table that doesn't have a stream" (UpdateTable reference). The message for the first is
"Table already has an enabled stream: TableName: <name>" (quoted from AWS in scylladb/scylladb#6939 and
aws-controllers-k8s/community#1000). A disabled stream keeps ``LatestStreamArn`` / ``LatestStreamLabel`` in the
description (readable for 24 hours), and the stream can be enabled again later: a new stream, with a new label and
ARN.

moto 5.2.5: ``DynamoDBBackend.update_table_streams`` (moto/dynamodb/models/__init__.py) answers ResourceInUseException
"Cannot enable stream" to any enable once the table ever had a stream (it tests ``latest_stream_label``, kept after the
stream is disabled), so a stream can never be enabled again, and disabling a table without a stream succeeds.

What this addition does: replaces ``update_table_streams`` with the AWS rules. The message for disabling a table
without a stream is ours: "Table does not have an enabled stream: TableName: <name>".

Reference: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
           https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html
"""

from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.models import DynamoDBBackend


def _enabled(table) -> bool:
    return bool(table.stream_specification and table.stream_specification.get("StreamEnabled"))


def _update_table_streams(self, table, stream_specification: dict) -> None:
    if stream_specification.get("StreamEnabled"):
        if _enabled(table):
            raise MockValidationException(f"Table already has an enabled stream: TableName: {table.name}")
        table.set_stream_specification(dict(stream_specification))
    else:
        if not _enabled(table):
            raise MockValidationException(f"Table does not have an enabled stream: TableName: {table.name}")
        table.set_stream_specification(None)


def apply() -> None:
    """Replace DynamoDBBackend.update_table_streams."""
    DynamoDBBackend.update_table_streams = _update_table_streams
