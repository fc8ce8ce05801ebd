# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A function's DynamoDB stream event source mappings (atelier.infra.lambda_event_source_mappings): the boto3 wrappers
(amazon.aws' retries; a mapping still being created or updated is retried) and the comparison of a mapping found with
one wanted (``differences``, ``update_arguments``). The mapping of a table is found by the table's ARN (its stream
ARN starts with it), so a table whose stream was replaced gets its mapping moved to the new stream."""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES
from ansible_collections.atelier.infra.plugins.module_utils.awslambda import LambdaErrorHandler

# A mapping being created, updated or deleted answers ResourceInUseException to a change: retried.
IN_USE = ["ResourceInUseException"]


@LambdaErrorHandler.list_error_handler("list event source mappings", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_mappings(client, function: str) -> List[Dict[str, Any]]:
    """The function's event source mappings ([] when there is no such function)."""
    paginator = client.get_paginator("list_event_source_mappings")
    return paginator.paginate(FunctionName=function).build_full_result()["EventSourceMappings"]


@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_table(client, table: str) -> Optional[Dict[str, Any]]:
    """The table's description (TableArn, LatestStreamArn, StreamSpecification); None when there is no such table.
    Other errors are botocore's (the module fails with them)."""
    try:
        return client.describe_table(TableName=table)["Table"]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


@LambdaErrorHandler.common_error_handler("create event source mapping")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + IN_USE)
def create_mapping(client, function: str, stream_arn: str, wanted: Dict[str, Any]) -> Dict[str, Any]:
    arguments = dict(FunctionName=function, EventSourceArn=stream_arn, StartingPosition=wanted["starting_position"],
                     **update_arguments(None, wanted))
    return client.create_event_source_mapping(**arguments)


@LambdaErrorHandler.common_error_handler("update event source mapping")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + IN_USE)
def update_mapping(client, uuid: str, arguments: Dict[str, Any]) -> Dict[str, Any]:
    return client.update_event_source_mapping(UUID=uuid, **arguments)


@LambdaErrorHandler.deletion_error_handler("delete event source mapping")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + IN_USE)
def delete_mapping(client, uuid: str) -> bool:
    client.delete_event_source_mapping(UUID=uuid)
    return True


def destination_of(mapping: Dict[str, Any]) -> Optional[str]:
    return ((mapping.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination") or None


def enabled_of(mapping: Dict[str, Any]) -> bool:
    return mapping.get("State") in ("Enabled", "Enabling", "Creating", "Updating")


def differences(mapping: Dict[str, Any], wanted: Dict[str, Any]) -> List[str]:
    """The settings of a mapping found that differ from the wanted ones (the module's mappings option)."""
    found = {
        "batch_size": mapping.get("BatchSize"),
        "maximum_retry_attempts": mapping.get("MaximumRetryAttempts"),
        "destination_arn": destination_of(mapping),
        "enabled": enabled_of(mapping),
    }
    expected = dict(wanted, destination_arn=wanted.get("destination_arn") or None)
    return [key for key, value in found.items() if value != expected.get(key)]


def update_arguments(mapping: Optional[Dict[str, Any]], wanted: Dict[str, Any]) -> Dict[str, Any]:
    """UpdateEventSourceMapping's (or, without a mapping, CreateEventSourceMapping's) settings for what differs."""
    keys = differences(mapping, wanted) if mapping is not None else ["batch_size", "maximum_retry_attempts", "destination_arn", "enabled"]
    arguments = {}
    if "batch_size" in keys:
        arguments["BatchSize"] = wanted["batch_size"]
    if "maximum_retry_attempts" in keys:
        arguments["MaximumRetryAttempts"] = wanted["maximum_retry_attempts"]
    if "destination_arn" in keys and (wanted.get("destination_arn") or mapping is not None):
        target = wanted.get("destination_arn")
        arguments["DestinationConfig"] = {"OnFailure": {"Destination": target} if target else {}}
    if "enabled" in keys:
        arguments["Enabled"] = bool(wanted["enabled"])
    return arguments


def stream_of_table(mapping: Dict[str, Any], table_arn: str) -> bool:
    """Whether a mapping reads a stream of the table (its EventSourceArn is <table ARN>/stream/...)."""
    return str(mapping.get("EventSourceArn", "")).startswith(f"{table_arn}/stream/")


def is_dynamodb_stream(mapping: Dict[str, Any]) -> bool:
    return ":dynamodb:" in str(mapping.get("EventSourceArn", "")) and "/stream/" in str(mapping.get("EventSourceArn", ""))
