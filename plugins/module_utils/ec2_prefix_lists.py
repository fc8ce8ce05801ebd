# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the EC2 managed prefix list API calls used by
atelier.infra.ec2_managed_prefix_list_info.

Every function that calls AWS is one paginated boto3 call with amazon.aws' retry decorator and
an error handler that turns botocore exceptions into AnsibleEC2Error, following the pattern of
amazon.aws module_utils/ec2.py (``describe_vpc_endpoints``).
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

# EC2 spells the code both ways depending on the call (the AWS Terraform provider handles both).
PREFIX_LIST_NOT_FOUND = ["InvalidPrefixListID.NotFound", "InvalidPrefixListId.NotFound"]


class EC2PrefixListErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEC2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(PREFIX_LIST_NOT_FOUND)


@EC2PrefixListErrorHandler.list_error_handler("describe managed prefix lists", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_managed_prefix_lists(client, **params: Any) -> List[Dict[str, Any]]:
    # An unknown ID in PrefixListIds fails the whole request: the handler then returns [].
    paginator = client.get_paginator("describe_managed_prefix_lists")
    return paginator.paginate(**params).build_full_result()["PrefixLists"]


@EC2PrefixListErrorHandler.list_error_handler("get managed prefix list entries", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_managed_prefix_list_entries(client, prefix_list_id: str) -> List[Dict[str, str]]:
    paginator = client.get_paginator("get_managed_prefix_list_entries")
    return paginator.paginate(PrefixListId=prefix_list_id).build_full_result()["Entries"]


def normalize_prefix_list_entry(entry: Dict[str, str]) -> Dict[str, Optional[str]]:
    """Return an entry as {cidr, description}; description is None when the entry has none."""
    return {"cidr": entry.get("Cidr"), "description": entry.get("Description")}


def normalize_managed_prefix_list(
    prefix_list: Dict[str, Any], entries: Optional[List[Dict[str, str]]] = None
) -> Dict[str, Any]:
    """Return a prefix list as the module reports it: snake_case keys, tags as a dict and,
    when ``entries`` is not None, the normalised entries under ``entries``."""
    result = camel_dict_to_snake_dict(prefix_list, ignore_list=["Tags"])
    result["tags"] = boto3_tag_list_to_ansible_dict(prefix_list.get("Tags", []))
    if entries is not None:
        result["entries"] = [normalize_prefix_list_entry(entry) for entry in entries]
    return result
