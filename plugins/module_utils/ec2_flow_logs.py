# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the EC2 VPC flow-log API calls used by
atelier.infra.ec2_vpc_flow_log and atelier.infra.ec2_vpc_flow_log_info.

Every function is one boto3 call with amazon.aws' retry decorator and an error handler
that turns botocore exceptions into AnsibleEC2Error, following the pattern of
amazon.aws module_utils/ec2.py.
"""

import hashlib
import json
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

# The resource type EC2 expects in TagSpecifications for a flow log.
FLOW_LOG_RESOURCE_TYPE = "vpc-flow-log"
FLOW_LOG_NOT_FOUND = "InvalidFlowLogId.NotFound"
# AWS's limit of an EC2 idempotency token.
TOKEN_MAX = 64


class EC2FlowLogErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEC2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(FLOW_LOG_NOT_FOUND)


@EC2FlowLogErrorHandler.list_error_handler("describe flow logs", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_flow_logs(client, **params: Any) -> List[Dict[str, Any]]:
    # DescribeFlowLogs takes ``Filter`` (singular) and ``FlowLogIds``.
    paginator = client.get_paginator("describe_flow_logs")
    return paginator.paginate(**params).build_full_result()["FlowLogs"]


@EC2FlowLogErrorHandler.common_error_handler("create flow log")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_flow_logs(client, tags: Optional[Dict[str, str]] = None, **params: Any) -> List[str]:
    if tags:
        params["TagSpecifications"] = boto3_tag_specifications(tags, types=FLOW_LOG_RESOURCE_TYPE)
    response = client.create_flow_logs(**params)
    # Per-resource failures (missing bucket, unknown resource...) do not raise: they are listed.
    if response.get("Unsuccessful"):
        raise AnsibleEC2Error(message=f"Failed to create flow log: {_unsuccessful_message(response)}")
    return response["FlowLogIds"]


@EC2FlowLogErrorHandler.deletion_error_handler("delete flow log")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_flow_logs(client, flow_log_ids: List[str]) -> bool:
    response = client.delete_flow_logs(FlowLogIds=flow_log_ids)
    failed = [u for u in response.get("Unsuccessful", []) if u.get("Error", {}).get("Code") != FLOW_LOG_NOT_FOUND]
    if failed:
        raise AnsibleEC2Error(message=f"Failed to delete flow log: {_unsuccessful_message({'Unsuccessful': failed})}")
    return len(response.get("Unsuccessful", [])) < len(flow_log_ids)


@EC2FlowLogErrorHandler.common_error_handler("tag flow log")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def add_flow_log_tags(client, flow_log_id: str, tags: Dict[str, str]) -> bool:
    client.create_tags(Resources=[flow_log_id], Tags=ansible_dict_to_boto3_tag_list(tags))
    return True


@EC2FlowLogErrorHandler.common_error_handler("untag flow log")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def remove_flow_log_tags(client, flow_log_id: str, tag_keys: List[str]) -> bool:
    client.delete_tags(Resources=[flow_log_id], Tags=[{"Key": key} for key in tag_keys])
    return True


def _unsuccessful_message(response: Dict[str, Any]) -> str:
    messages = []
    for item in response.get("Unsuccessful", []):
        error = item.get("Error", {})
        messages.append(f"{item.get('ResourceId', '?')}: {error.get('Code', '?')} {error.get('Message', '')}".strip())
    return "; ".join(messages)


def normalize_flow_log(flow_log: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Return a flow log as the modules report it: snake_case keys, tags as a dict,
    creation time as an ISO 8601 string. An empty dict stands for 'no flow log'."""
    if not flow_log:
        return {}
    result = camel_dict_to_snake_dict(flow_log, ignore_list=["Tags"])
    result["tags"] = boto3_tag_list_to_ansible_dict(flow_log.get("Tags", []))
    creation_time = result.get("creation_time")
    if hasattr(creation_time, "isoformat"):
        result["creation_time"] = creation_time.isoformat()
    return result


def client_token(create_params: Dict[str, Any], generation: int = 0) -> str:
    """The ClientToken of a CreateFlowLogs call: the same for the same flow log (resource, traffic type, destination,
    format, interval, role) in every run, so that a create retried after a lost answer returns the first flow log;
    ``atelier-flow-log-`` and 32 hex digits of the SHA-256 of the parameters (tags left out) and, after the first, the
    generation (AWS answers a token it has seen with the first result for at least 24 hours, even once that flow log
    is deleted: the next generation makes a new one)."""
    wanted = {k: v for k, v in create_params.items() if k not in ("TagSpecifications", "ClientToken")}
    text = json.dumps(wanted, sort_keys=True) + (f"\x1f{generation}" if generation else "")
    return f"atelier-flow-log-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"[:TOKEN_MAX]
