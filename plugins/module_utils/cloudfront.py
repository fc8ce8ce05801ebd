# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The CloudFront distribution and origin access control API calls of
atelier.infra.cloudfront_distribution and atelier.infra.cloudfront_origin_access_control: one boto3
call each, with amazon.aws' retry decorator and error handler. The distribution configuration it
sends and compares is built in cloudfront_config.py.
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

NOT_FOUND = ("NoSuchDistribution", "NoSuchResource", "NoSuchOriginAccessControl")


class AnsibleCloudFrontError(AnsibleAWSError):
    pass


class CloudFrontErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudFrontError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(list(NOT_FOUND))


# ---------------------------------------------------------------- API wrappers


@CloudFrontErrorHandler.list_error_handler("list distributions", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_distributions(client) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("list_distributions")
    items = []
    for page in paginator.paginate():
        items.extend(page.get("DistributionList", {}).get("Items") or [])
    return items


@CloudFrontErrorHandler.list_error_handler("get distribution", (None, None))
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_distribution(client, distribution_id: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    response = client.get_distribution(Id=distribution_id)
    return response["Distribution"], response["ETag"]


@CloudFrontErrorHandler.common_error_handler("create distribution")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_distribution(client, config: Dict[str, Any], tags: Dict[str, str]) -> Dict[str, Any]:
    with_tags = {"DistributionConfig": config, "Tags": {"Items": _tag_items(tags)}}
    return client.create_distribution_with_tags(DistributionConfigWithTags=with_tags)["Distribution"]


@CloudFrontErrorHandler.common_error_handler("update distribution")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def update_distribution(client, distribution_id: str, config: Dict[str, Any], etag: str) -> Dict[str, Any]:
    return client.update_distribution(Id=distribution_id, IfMatch=etag, DistributionConfig=config)["Distribution"]


@CloudFrontErrorHandler.deletion_error_handler("delete distribution")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_distribution(client, distribution_id: str, etag: str) -> bool:
    client.delete_distribution(Id=distribution_id, IfMatch=etag)
    return True


@CloudFrontErrorHandler.list_error_handler("list tags for distribution", {})
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_tags(client, arn: str) -> Dict[str, str]:
    items = client.list_tags_for_resource(Resource=arn).get("Tags", {}).get("Items") or []
    return {tag["Key"]: tag["Value"] for tag in items}


@CloudFrontErrorHandler.common_error_handler("tag distribution")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def tag_resource(client, arn: str, tags: Dict[str, str]) -> None:
    client.tag_resource(Resource=arn, Tags={"Items": _tag_items(tags)})


@CloudFrontErrorHandler.common_error_handler("untag distribution")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def untag_resource(client, arn: str, keys: List[str]) -> None:
    client.untag_resource(Resource=arn, TagKeys={"Items": list(keys)})


@CloudFrontErrorHandler.list_error_handler("list origin access controls", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_origin_access_controls(client) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("list_origin_access_controls")
    items = []
    for page in paginator.paginate():
        items.extend(page.get("OriginAccessControlList", {}).get("Items") or [])
    return items


@CloudFrontErrorHandler.list_error_handler("get origin access control", (None, None))
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_origin_access_control(client, control_id: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    response = client.get_origin_access_control(Id=control_id)
    return response["OriginAccessControl"], response["ETag"]


@CloudFrontErrorHandler.common_error_handler("create origin access control")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_origin_access_control(client, config: Dict[str, Any]) -> Tuple[Dict[str, Any], str]:
    response = client.create_origin_access_control(OriginAccessControlConfig=config)
    return response["OriginAccessControl"], response["ETag"]


@CloudFrontErrorHandler.common_error_handler("update origin access control")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def update_origin_access_control(client, control_id: str, config: Dict[str, Any], etag: str) -> Tuple[Dict[str, Any], str]:
    response = client.update_origin_access_control(Id=control_id, IfMatch=etag, OriginAccessControlConfig=config)
    return response["OriginAccessControl"], response["ETag"]


@CloudFrontErrorHandler.deletion_error_handler("delete origin access control")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_origin_access_control(client, control_id: str, etag: str) -> bool:
    client.delete_origin_access_control(Id=control_id, IfMatch=etag)
    return True


def _tag_items(tags: Dict[str, str]) -> List[Dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in sorted(tags.items())]
