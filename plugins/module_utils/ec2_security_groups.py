# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The EC2 API calls of atelier.infra.ec2_security_group_set: one boto3 call each, with amazon.aws' retry decorator
(plus every throttling and server error code, aws_retry.RETRY_CODES) and an error handler that turns botocore exceptions into
AnsibleEC2Error, following the pattern of amazon.aws module_utils/ec2.py. ``error_text`` and ``error_code`` read the
AWS error of such an exception, so that a failure says which AWS code and message it met.
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Modules are responsible for handling this.

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

GROUP_NOT_FOUND = "InvalidGroup.NotFound"
# How long a new group may take to become visible to DescribeSecurityGroups (AWS is eventually consistent).
WAIT_DELAY = 2
WAIT_ATTEMPTS = 60


class EC2SecurityGroupSetErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEC2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(GROUP_NOT_FOUND)


@EC2SecurityGroupSetErrorHandler.list_error_handler("describe VPCs", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_vpcs(client, filters: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return client.get_paginator("describe_vpcs").paginate(Filters=filters).build_full_result()["Vpcs"]


@EC2SecurityGroupSetErrorHandler.list_error_handler("describe security groups", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_security_groups(client, filters: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return client.get_paginator("describe_security_groups").paginate(Filters=filters).build_full_result()["SecurityGroups"]


@EC2SecurityGroupSetErrorHandler.list_error_handler("describe network interfaces", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_network_interfaces(client, filters: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("describe_network_interfaces")
    return paginator.paginate(Filters=filters).build_full_result()["NetworkInterfaces"]


@EC2SecurityGroupSetErrorHandler.common_error_handler("create security group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_security_group(client, name: str, description: str, vpc_id: str, tags: Optional[Dict[str, str]]) -> str:
    # Tagged at creation: a group whose CreateSecurityGroup answer was lost is still tagged when a later run finds it.
    params = {"GroupName": name, "Description": description, "VpcId": vpc_id}
    if tags:
        params["TagSpecifications"] = boto3_tag_specifications(tags, types="security-group")
    return client.create_security_group(**params)["GroupId"]


@EC2SecurityGroupSetErrorHandler.common_error_handler("wait for the new security groups")
def wait_security_groups_exist(client, group_ids: List[str]) -> None:
    # Not retried by AWSRetry: the waiter retries InvalidGroup.NotFound itself, every WAIT_DELAY seconds.
    waiter = client.get_waiter("security_group_exists")
    waiter.wait(GroupIds=group_ids, WaiterConfig={"Delay": WAIT_DELAY, "MaxAttempts": WAIT_ATTEMPTS})


@EC2SecurityGroupSetErrorHandler.common_error_handler("authorize security group ingress")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def authorize_ingress(client, group_id: str, permissions: List[Dict[str, Any]]) -> None:
    client.authorize_security_group_ingress(GroupId=group_id, IpPermissions=permissions)


@EC2SecurityGroupSetErrorHandler.common_error_handler("revoke security group ingress")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def revoke_ingress(client, group_id: str, permissions: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    # AWS answers a rule it does not find with UnknownIpPermissions, not with an error.
    return client.revoke_security_group_ingress(GroupId=group_id, IpPermissions=permissions).get("UnknownIpPermissions", [])


@EC2SecurityGroupSetErrorHandler.common_error_handler("update security group rule descriptions")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def update_ingress_descriptions(client, group_id: str, permissions: List[Dict[str, Any]]) -> None:
    client.update_security_group_rule_descriptions_ingress(GroupId=group_id, IpPermissions=permissions)


@EC2SecurityGroupSetErrorHandler.deletion_error_handler("delete security group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_security_group(client, group_id: str) -> bool:
    client.delete_security_group(GroupId=group_id)
    return True


@EC2SecurityGroupSetErrorHandler.common_error_handler("tag security group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_tags(client, resource_id: str, tags: Dict[str, str]) -> None:
    client.create_tags(Resources=[resource_id], Tags=ansible_dict_to_boto3_tag_list(tags))


@EC2SecurityGroupSetErrorHandler.common_error_handler("untag security group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_tags(client, resource_id: str, keys: List[str]) -> None:
    client.delete_tags(Resources=[resource_id], Tags=[{"Key": key} for key in keys])


def error_code(error: Exception) -> Optional[str]:
    """The AWS error code behind an AnsibleEC2Error (or a ClientError), or None."""
    cause = getattr(error, "exception", None) or error
    if isinstance(cause, ClientError):
        return cause.response.get("Error", {}).get("Code")
    return None


def error_text(error: Exception) -> str:
    """``<AWS code>: <AWS message>`` of an AnsibleEC2Error (or a ClientError); the exception's text otherwise."""
    cause = getattr(error, "exception", None) or error
    if isinstance(cause, ClientError):
        details = cause.response.get("Error", {})
        return f"{details.get('Code', 'Error')}: {details.get('Message', '')}".rstrip(": ")
    return str(cause) or getattr(error, "message", "") or type(error).__name__
