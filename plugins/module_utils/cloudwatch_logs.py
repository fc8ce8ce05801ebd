# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The CloudWatch Logs and KMS calls of atelier.infra.cloudwatch_log_group (one boto3 call each, with amazon.aws' retry
decorator and an error handler turning botocore exceptions into AnsibleCloudWatchLogsError), and the plan the module
follows: what differs between a log group found and the one described (``log_group_view``, ``plan``), without AWS.
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

NOT_FOUND = ["ResourceNotFoundException", "NotFoundException"]
# The retention periods CloudWatch Logs accepts (PutRetentionPolicy); 0 here means "never expire" (no policy).
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


class AnsibleCloudWatchLogsError(AnsibleAWSError):
    pass


class LogsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudWatchLogsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NOT_FOUND)


def _retry():
    return AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)


# ---------------------------------------------------------------- calls


@LogsErrorHandler.list_error_handler("describe log groups", None)
@_retry()
def describe_log_group(client, name: str) -> Optional[Dict[str, Any]]:
    """The log group named exactly name, or None (DescribeLogGroups lists by prefix; paginated)."""
    paginator = client.get_paginator("describe_log_groups")
    for page in paginator.paginate(logGroupNamePrefix=name):
        for group in page.get("logGroups", []):
            if group.get("logGroupName") == name:
                return group
    return None


@LogsErrorHandler.list_error_handler("list tags of the log group", {})
@_retry()
def list_tags(client, arn: str) -> Dict[str, str]:
    return dict(client.list_tags_for_resource(resourceArn=arn).get("tags") or {})


@LogsErrorHandler.common_error_handler("create log group")
@_retry()
def create_log_group(client, name: str, kms_key_arn: Optional[str], tags: Dict[str, str]) -> None:
    params = {"logGroupName": name}
    if kms_key_arn:
        params["kmsKeyId"] = kms_key_arn
    if tags:
        params["tags"] = dict(tags)
    client.create_log_group(**params)


@LogsErrorHandler.common_error_handler("put retention policy")
@_retry()
def put_retention_policy(client, name: str, days: int) -> None:
    client.put_retention_policy(logGroupName=name, retentionInDays=int(days))


@LogsErrorHandler.common_error_handler("delete retention policy")
@_retry()
def delete_retention_policy(client, name: str) -> None:
    client.delete_retention_policy(logGroupName=name)


@LogsErrorHandler.common_error_handler("associate the KMS key")
@_retry()
def associate_kms_key(client, name: str, kms_key_arn: str) -> None:
    client.associate_kms_key(logGroupName=name, kmsKeyId=kms_key_arn)


@LogsErrorHandler.common_error_handler("disassociate the KMS key")
@_retry()
def disassociate_kms_key(client, name: str) -> None:
    client.disassociate_kms_key(logGroupName=name)


@LogsErrorHandler.common_error_handler("tag the log group")
@_retry()
def tag_resource(client, arn: str, tags: Dict[str, str]) -> None:
    client.tag_resource(resourceArn=arn, tags=dict(tags))


@LogsErrorHandler.common_error_handler("untag the log group")
@_retry()
def untag_resource(client, arn: str, keys: List[str]) -> None:
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


@LogsErrorHandler.deletion_error_handler("delete log group")
@_retry()
def delete_log_group(client, name: str) -> bool:
    client.delete_log_group(logGroupName=name)
    return True


@LogsErrorHandler.list_error_handler("describe the KMS key", None)
@_retry()
def describe_key(client, key: str) -> Optional[Dict[str, Any]]:
    """The KeyMetadata of a key by id, ARN, alias name or alias ARN, or None when there is no such key."""
    return client.describe_key(KeyId=key).get("KeyMetadata")


# ---------------------------------------------------------------- plan


def group_arn(group: Dict[str, Any]) -> str:
    """The log group's ARN without the ``:*`` that DescribeLogGroups' ``arn`` ends with (what tagging takes)."""
    arn = group.get("logGroupArn") or group.get("arn") or ""
    return arn[:-2] if arn.endswith(":*") else arn


def is_key_arn(value: str) -> bool:
    return isinstance(value, str) and value.startswith("arn:") and ":key/" in value


def log_group_view(group: Optional[Dict[str, Any]], tags: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """The managed part of a log group as the module compares and returns it; {} when there is none."""
    if not group:
        return {}
    return {
        "name": group.get("logGroupName"),
        "arn": group_arn(group),
        "retention_in_days": int(group.get("retentionInDays") or 0),
        "kms_key_id": group.get("kmsKeyId") or "",
        "tags": dict(tags or {}),
    }


def desired_view(
    current: Dict[str, Any], name: str, retention: Optional[int], kms_key_arn: Optional[str], tags: Optional[Dict[str, str]], purge_tags: bool
) -> Dict[str, Any]:
    """The log group as it should be: each option given replaces what is there (None leaves it alone; purge_tags
    false keeps the other tags)."""
    after = dict(current) if current else {"name": name, "arn": "", "retention_in_days": 0, "kms_key_id": "", "tags": {}}
    if retention is not None:
        after["retention_in_days"] = int(retention)
    if kms_key_arn is not None:
        after["kms_key_id"] = kms_key_arn
    if tags is not None:
        after["tags"] = dict(tags) if purge_tags else dict(after["tags"], **tags)
    return after


def plan(before: Dict[str, Any], after: Dict[str, Any]) -> List[str]:
    """The calls that take the log group from before to after, in order: create (with the key and tags), then
    retention, key and tags of an existing group."""
    if not before:
        return ["create"] + (["put_retention"] if after["retention_in_days"] else [])
    steps = []
    if before["retention_in_days"] != after["retention_in_days"]:
        steps.append("put_retention" if after["retention_in_days"] else "delete_retention")
    if before["kms_key_id"] != after["kms_key_id"]:
        steps.append("associate_key" if after["kms_key_id"] else "disassociate_key")
    if set(before["tags"]) - set(after["tags"]):
        steps.append("untag")
    if {k: v for k, v in after["tags"].items() if before["tags"].get(k) != v}:
        steps.append("tag")
    return steps


def option_errors(params: Dict[str, Any]) -> List[str]:
    """What is wrong with the module's options, before any AWS call."""
    errors = []
    name = params.get("name") or ""
    if not 1 <= len(name) <= 512:
        errors.append("name must be 1 to 512 characters")
    retention = params.get("retention")
    if retention is not None and retention != 0 and retention not in RETENTION_DAYS:
        errors.append(
            f"retention {retention} is not a retention CloudWatch Logs accepts: 0 (never expire) or one of "
            + ", ".join(str(d) for d in RETENTION_DAYS)
        )
    return errors
