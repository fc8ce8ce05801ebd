# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the DynamoDB API calls used by atelier.infra.dynamodb_global_table and
atelier.infra.dynamodb_global_table_info, and the public face of the private ``_dynamodb``
package (normalisation, validation and planning, all pure functions).

Every wrapper is one boto3 call with amazon.aws' retry decorator and an error handler that
turns botocore exceptions into AnsibleDynamoDBError, following amazon.aws module_utils/ec2.py.
DynamoDB answers LimitExceededException (too many control-plane operations at once) and
ResourceInUseException (the table or an index is still being updated) to table updates
sent too early: those calls retry on both codes.
"""

import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

# Not intended for general re-use / re-import: the facade below re-exports what the modules use.
from ._dynamodb import model as _model
from ._dynamodb import planner as _planner
from ._dynamodb import validation as _validation

# The error codes DynamoDB throttles table updates with (see the module docstring).
UPDATE_RETRY_CODES = ["LimitExceededException", "ResourceInUseException"]
# Seconds between two DescribeTable calls while waiting.
POLL_DELAY = 5


class AnsibleDynamoDBError(AnsibleAWSError):
    pass


class DynamoDBErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleDynamoDBError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# ---- reads: a missing table (or a table in a region where it has no replica) is None ----


@DynamoDBErrorHandler.list_error_handler("describe table", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_table(client, table_name: str) -> Optional[Dict[str, Any]]:
    return client.describe_table(TableName=table_name)["Table"]


@DynamoDBErrorHandler.list_error_handler("describe time to live", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_time_to_live(client, table_name: str) -> Optional[Dict[str, Any]]:
    return client.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]


@DynamoDBErrorHandler.list_error_handler("describe continuous backups", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_continuous_backups(client, table_name: str) -> Optional[Dict[str, Any]]:
    return client.describe_continuous_backups(TableName=table_name)["ContinuousBackupsDescription"]


@DynamoDBErrorHandler.list_error_handler("list tags of table", {})
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_tags_of_resource(client, resource_arn: str) -> Dict[str, str]:
    paginator = client.get_paginator("list_tags_of_resource")
    return boto3_tag_list_to_ansible_dict(paginator.paginate(ResourceArn=resource_arn).build_full_result()["Tags"])


# ---- writes ----


@DynamoDBErrorHandler.common_error_handler("create table")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + ["LimitExceededException"])
def create_table(client, **params: Any) -> Dict[str, Any]:
    # ResourceInUseException here means the table already exists: not worth retrying.
    return client.create_table(**params)["TableDescription"]


@DynamoDBErrorHandler.common_error_handler("update table")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + UPDATE_RETRY_CODES)
def update_table(client, table_name: str, **params: Any) -> Dict[str, Any]:
    return client.update_table(TableName=table_name, **params)["TableDescription"]


@DynamoDBErrorHandler.deletion_error_handler("delete table")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + UPDATE_RETRY_CODES)
def delete_table(client, table_name: str) -> bool:
    client.delete_table(TableName=table_name)
    return True


@DynamoDBErrorHandler.common_error_handler("update time to live")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + ["LimitExceededException"])
def update_time_to_live(client, table_name: str, attribute_name: str, enabled: bool) -> Dict[str, Any]:
    spec = {"AttributeName": attribute_name, "Enabled": enabled}
    return client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=spec)["TimeToLiveSpecification"]


@DynamoDBErrorHandler.common_error_handler("update point-in-time recovery")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + UPDATE_RETRY_CODES + ["ContinuousBackupsUnavailableException"])
def update_continuous_backups(client, table_name: str, enabled: bool) -> Dict[str, Any]:
    # ContinuousBackupsUnavailableException: backups are still being enabled on a new table.
    spec = {"PointInTimeRecoveryEnabled": enabled}
    return client.update_continuous_backups(TableName=table_name, PointInTimeRecoverySpecification=spec)[
        "ContinuousBackupsDescription"
    ]


@DynamoDBErrorHandler.common_error_handler("tag table")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + UPDATE_RETRY_CODES)
def tag_resource(client, resource_arn: str, tags: Dict[str, str]) -> bool:
    client.tag_resource(ResourceArn=resource_arn, Tags=ansible_dict_to_boto3_tag_list(tags))
    return True


@DynamoDBErrorHandler.common_error_handler("untag table")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES + UPDATE_RETRY_CODES)
def untag_resource(client, resource_arn: str, tag_keys: List[str]) -> bool:
    client.untag_resource(ResourceArn=resource_arn, TagKeys=tag_keys)
    return True


# ---- waiting ----


def _waiter_config(timeout: int, delay: int) -> Dict[str, int]:
    return {"Delay": delay, "MaxAttempts": max(1, -(-int(timeout) // delay))}


@DynamoDBErrorHandler.common_error_handler("wait for the table to become active")
def wait_table_exists(client, table_name: str, timeout: int, delay: int = POLL_DELAY) -> None:
    # The boto3 waiter polls DescribeTable until TableStatus is ACTIVE.
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig=_waiter_config(timeout, delay))


@DynamoDBErrorHandler.common_error_handler("wait for the table to be deleted")
def wait_table_not_exists(client, table_name: str, timeout: int, delay: int = POLL_DELAY) -> None:
    client.get_waiter("table_not_exists").wait(TableName=table_name, WaiterConfig=_waiter_config(timeout, delay))


def wait_for_table(
    client,
    table_name: str,
    ready: Callable[[Optional[Dict[str, Any]]], bool],
    timeout: int,
    description: str,
    delay: int = POLL_DELAY,
) -> Optional[Dict[str, Any]]:
    """Poll DescribeTable (through the describe_table wrapper) until ready(table) is true and
    return that description. ready() may raise ValueError for a state that will not improve
    (a replica that failed to be created): that ends the wait with an error at once."""
    deadline = time.monotonic() + timeout
    while True:
        table = describe_table(client, table_name)
        try:
            if ready(table):
                return table
        except ValueError as e:
            raise AnsibleDynamoDBError(message=f"Failed to {description}: {e}") from e
        if time.monotonic() >= deadline:
            raise AnsibleDynamoDBError(message=f"Timeout after {timeout} seconds trying to {description}")
        time.sleep(delay)


# ---- the whole table, as the modules see it ----


def get_table_state(
    client, table_name: str, home_region: str, regional_client: Callable[[str], Any]
) -> Optional[Dict[str, Any]]:
    """Everything the modules compare or report about a table, None when it does not exist:
    DescribeTable, DescribeTimeToLive, DescribeContinuousBackups and ListTagsOfResource in the
    home region, and for each replica DescribeTable and DescribeContinuousBackups in its own
    region (deletion protection and point-in-time recovery are settings of each replica)."""
    table = describe_table(client, table_name)
    if table is None:
        return None
    state = {
        "table": table,
        "ttl": describe_time_to_live(client, table_name),
        "continuous_backups": describe_continuous_backups(client, table_name),
        "tags": list_tags_of_resource(client, table["TableArn"]),
        "replicas": {},
    }
    for replica in table.get("Replicas") or []:
        region = replica.get("RegionName")
        if not region or region == home_region or replica.get("ReplicaStatus") in _model.REPLICA_GONE_STATUSES:
            continue
        replica_client = regional_client(region)
        state["replicas"][region] = {
            "table": describe_table(replica_client, table_name),
            "continuous_backups": describe_continuous_backups(replica_client, table_name),
        }
    return state


# ==== public face of the private package ====

REPLICA_STREAM_VIEW_TYPE = _validation.REPLICA_STREAM_VIEW_TYPE
current_config = _model.current_config
normalize_table = _model.normalize_table
diff_view = _model.diff_view
table_settled = _model.table_settled
replica_active = _model.replica_active
replica_gone = _model.replica_gone
known_dynamodb_regions = _validation.known_dynamodb_regions
validate_parameters = _validation.validate_parameters
PlanError = _planner.PlanError
desired_config = _planner.desired_config
check_desired = _planner.check_desired
plan_present = _planner.plan_present
plan_absent = _planner.plan_absent
deletion_protection_blockers = _planner.deletion_protection_blockers
