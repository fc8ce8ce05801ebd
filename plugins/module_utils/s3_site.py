# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The S3 object calls of atelier.infra.s3_site_sync: one boto3 call each, with amazon.aws' retry
decorator and error handler. What to upload and delete is decided in static_site.py.
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


class AnsibleS3SiteError(AnsibleAWSError):
    pass


class S3SiteErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleS3SiteError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchKey", "NoSuchBucket", "404"])


@S3SiteErrorHandler.list_error_handler("list objects", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_objects(client, bucket: str, prefix: str) -> Optional[Dict[str, Dict[str, Any]]]:
    """{key: {etag, size}} of every object under the prefix (one call per 1000 objects); None without the bucket."""
    objects = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents") or []:
            objects[item["Key"]] = {"etag": item.get("ETag"), "size": item.get("Size")}
    return objects


@S3SiteErrorHandler.list_error_handler("head object", {})
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def head_object(client, bucket: str, key: str) -> Dict[str, Any]:
    response = client.head_object(Bucket=bucket, Key=key)
    return {"etag": response.get("ETag"), "content_type": response.get("ContentType") or "", "cache_control": response.get("CacheControl") or ""}


@S3SiteErrorHandler.common_error_handler("upload object")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def put_object(client, bucket: str, key: str, path: str, content_type: str, cache_control: str) -> str:
    extra = {"CacheControl": cache_control} if cache_control else {}
    with open(path, "rb") as body:
        return client.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type, **extra).get("ETag")


@S3SiteErrorHandler.common_error_handler("delete objects")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_objects(client, bucket: str, keys: List[str]) -> List[Dict[str, str]]:
    """Delete up to 1000 keys; the errors S3 answers for some of them (the call itself succeeds)."""
    response = client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True})
    return response.get("Errors") or []
