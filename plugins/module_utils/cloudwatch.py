# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The CloudWatch API calls of atelier.infra.cloudwatch_alarm_set and atelier.infra.cloudwatch_dashboard:
one boto3 call each, with amazon.aws' retry decorator and an error handler that turns botocore
exceptions into AnsibleCloudWatchError (the pattern of amazon.aws module_utils/ec2.py). The
alarms' validation, normalisation and planning live in cloudwatch_alarms.py.
"""

from typing import Any
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

# GetDashboard / DeleteDashboards answer ResourceNotFound (DashboardNotFoundError) for a missing dashboard.
NOT_FOUND_CODES = ["ResourceNotFound", "ResourceNotFoundException"]
# DeleteAlarms takes at most 100 names per call.
DELETE_ALARMS_BATCH = 100


class AnsibleCloudWatchError(AnsibleAWSError):
    pass


class CloudWatchErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudWatchError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NOT_FOUND_CODES)


# ---------------------------------------------------------------- metric alarms


@CloudWatchErrorHandler.list_error_handler("describe alarms", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_metric_alarms(client, name_prefix: str) -> List[Dict[str, Any]]:
    """Every metric alarm whose name starts with name_prefix (composite alarms are left out)."""
    paginator = client.get_paginator("describe_alarms")
    result = paginator.paginate(AlarmNamePrefix=name_prefix, AlarmTypes=["MetricAlarm"]).build_full_result()
    return result.get("MetricAlarms", [])


@CloudWatchErrorHandler.common_error_handler("put metric alarm")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def put_metric_alarm(client, params: Dict[str, Any], tags: Optional[Dict[str, str]] = None) -> None:
    # AWS applies Tags only when the alarm is created; an existing alarm's tags are changed with TagResource.
    if tags:
        params = dict(params, Tags=ansible_dict_to_boto3_tag_list(tags))
    client.put_metric_alarm(**params)


@CloudWatchErrorHandler.deletion_error_handler("delete alarms")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_alarms(client, names: List[str]) -> bool:
    client.delete_alarms(AlarmNames=list(names))
    return True


@CloudWatchErrorHandler.list_error_handler("list tags for resource", {})
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_tags(client, arn: str) -> Dict[str, str]:
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceARN=arn).get("Tags") or [])


@CloudWatchErrorHandler.common_error_handler("tag resource")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def tag_resource(client, arn: str, tags: Dict[str, str]) -> None:
    client.tag_resource(ResourceARN=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@CloudWatchErrorHandler.common_error_handler("untag resource")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def untag_resource(client, arn: str, keys: List[str]) -> None:
    client.untag_resource(ResourceARN=arn, TagKeys=list(keys))


def delete_alarms_in_batches(client, names: List[str]) -> None:
    """DeleteAlarms for every name, at most DELETE_ALARMS_BATCH names per call."""
    names = list(names)
    for start in range(0, len(names), DELETE_ALARMS_BATCH):
        delete_alarms(client, names[start:start + DELETE_ALARMS_BATCH])


# ---------------------------------------------------------------- dashboards


@CloudWatchErrorHandler.list_error_handler("get dashboard", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_dashboard(client, name: str) -> Optional[Dict[str, Any]]:
    """DashboardArn, DashboardBody (a JSON string) and DashboardName, or None when there is no such dashboard."""
    return client.get_dashboard(DashboardName=name)


@CloudWatchErrorHandler.common_error_handler("put dashboard")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def put_dashboard(client, name: str, body: str) -> List[Dict[str, Any]]:
    """The DashboardValidationMessages of an accepted body (warnings); a refused body raises."""
    return client.put_dashboard(DashboardName=name, DashboardBody=body).get("DashboardValidationMessages") or []


@CloudWatchErrorHandler.deletion_error_handler("delete dashboard")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_dashboard(client, name: str) -> bool:
    client.delete_dashboards(DashboardNames=[name])
    return True
