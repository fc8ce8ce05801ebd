# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A bucket's event notifications to Lambda functions, by owner (atelier.infra.s3_bucket_notifications).

A bucket's notification configuration is ONE document (PutBucketNotificationConfiguration replaces it whole). An owner
is an Id prefix: the Lambda notifications whose Id starts with it are the owner's, everything else (other Ids, queue
and topic notifications, EventBridge) is kept as found. ``merged`` computes the document, ``owned`` what the owner
has now, in the form of the module's ``functions`` option. The boto3 wrappers carry amazon.aws' retries.
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

KEYS = ("TopicConfigurations", "QueueConfigurations", "LambdaFunctionConfigurations", "EventBridgeConfiguration")


class AnsibleS3NotificationsError(AnsibleAWSError):
    pass


class S3NotificationsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleS3NotificationsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchBucket", "404"])


@S3NotificationsErrorHandler.list_error_handler("get bucket notification configuration", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_notifications(client, bucket: str) -> Optional[Dict[str, Any]]:
    """The bucket's notification configuration (its configuration keys only); None when there is no such bucket."""
    answer = client.get_bucket_notification_configuration(Bucket=bucket)
    return {key: answer[key] for key in KEYS if answer.get(key) not in (None, [])}


@S3NotificationsErrorHandler.common_error_handler("put bucket notification configuration")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def put_notifications(client, bucket: str, configuration: Dict[str, Any]) -> bool:
    client.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=configuration)
    return True


def _rules(configuration: Dict[str, Any]) -> Dict[str, str]:
    rules = ((configuration.get("Filter") or {}).get("Key") or {}).get("FilterRules") or []
    return {str(r.get("Name", "")).lower(): r.get("Value", "") for r in rules}


def as_option(configuration: Dict[str, Any]) -> Dict[str, Any]:
    """A LambdaFunctionConfiguration in the form of the module's functions option."""
    rules = _rules(configuration)
    return {
        "id": configuration.get("Id", ""),
        "function_arn": configuration.get("LambdaFunctionArn", ""),
        "events": sorted(configuration.get("Events") or []),
        "prefix": rules.get("prefix", ""),
        "suffix": rules.get("suffix", ""),
    }


def as_configuration(function: Dict[str, Any]) -> Dict[str, Any]:
    """The LambdaFunctionConfiguration of one entry of the functions option."""
    configuration = {"Id": function["id"], "LambdaFunctionArn": function["function_arn"], "Events": sorted(function["events"])}
    rules = [{"Name": key, "Value": function.get(key) or ""} for key in ("prefix", "suffix") if function.get(key)]
    if rules:
        configuration["Filter"] = {"Key": {"FilterRules": rules}}
    return configuration


def owned(current: Optional[Dict[str, Any]], owner: str) -> List[Dict[str, Any]]:
    """The owner's Lambda notifications in current (a configuration), as options, by Id."""
    found = [as_option(c) for c in (current or {}).get("LambdaFunctionConfigurations") or []
             if str(c.get("Id", "")).startswith(owner)]
    return sorted(found, key=lambda c: c["id"])


def wanted(functions: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The functions option normalised like owned (events sorted, prefix and suffix as strings), by Id."""
    result = [{"id": f["id"], "function_arn": f["function_arn"], "events": sorted(f["events"]),
               "prefix": f.get("prefix") or "", "suffix": f.get("suffix") or ""} for f in functions]
    return sorted(result, key=lambda c: c["id"])


def errors(functions: List[Dict[str, Any]], owner: str) -> List[str]:
    """What is wrong with the option before any call: an Id outside the owner, an Id twice, no events."""
    problems, seen = [], set()
    for function in functions:
        if not str(function["id"]).startswith(owner):
            problems.append(f"the notification Id {function['id']} does not start with the owner {owner}")
        if function["id"] in seen:
            problems.append(f"the notification Id {function['id']} is given twice")
        seen.add(function["id"])
        if not function.get("events"):
            problems.append(f"the notification {function['id']} has no events")
    return problems


def merged(current: Optional[Dict[str, Any]], owner: str, functions: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The bucket's whole configuration: current's, the owner's Lambda notifications replaced by functions."""
    configuration = {key: value for key, value in (current or {}).items() if key != "LambdaFunctionConfigurations"}
    others = [c for c in (current or {}).get("LambdaFunctionConfigurations") or [] if not str(c.get("Id", "")).startswith(owner)]
    lambdas = others + [as_configuration(f) for f in wanted(functions)]
    if lambdas:
        configuration["LambdaFunctionConfigurations"] = lambdas
    return configuration
