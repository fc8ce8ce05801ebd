# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of module_utils/s3_site.py against botocore's Stubber: the listing is paginated and says when the
bucket is missing, an upload sends the content type and cache control, a deletion returns S3's per-key errors."""

import boto3
import pytest
from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.atelier.infra.plugins.module_utils import s3_site
from ansible_collections.atelier.infra.plugins.module_utils.s3_site import AnsibleS3SiteError


@pytest.fixture
def s3():
    return boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")


def test_list_objects_follows_the_pages(s3):
    with Stubber(s3) as stub:
        stub.add_response("list_objects_v2", {"IsTruncated": True, "NextContinuationToken": "t",
                                              "Contents": [{"Key": "a", "ETag": '"1"', "Size": 1}]},
                          {"Bucket": "b", "Prefix": ""})
        stub.add_response("list_objects_v2", {"IsTruncated": False, "Contents": [{"Key": "b", "ETag": '"2"', "Size": 2}]},
                          {"Bucket": "b", "Prefix": "", "ContinuationToken": "t"})
        assert s3_site.list_objects(s3, "b", "") == {"a": {"etag": '"1"', "size": 1}, "b": {"etag": '"2"', "size": 2}}


def test_list_objects_of_a_missing_bucket_is_none(s3):
    with Stubber(s3) as stub:
        stub.add_client_error("list_objects_v2", "NoSuchBucket", "The specified bucket does not exist", 404)
        assert s3_site.list_objects(s3, "b", "") is None


def test_list_objects_refused_raises(s3):
    with Stubber(s3) as stub:
        stub.add_client_error("list_objects_v2", "AccessDenied", "denied", 403)
        with pytest.raises(AnsibleS3SiteError):
            s3_site.list_objects(s3, "b", "")


def test_put_object_sends_type_and_cache_control(s3, tmp_path):
    path = tmp_path / "index.html"
    path.write_text("hi")
    with Stubber(s3) as stub:
        stub.add_response("put_object", {"ETag": '"e"'},
                          {"Bucket": "b", "Key": "index.html", "Body": ANY, "ContentType": "text/html", "CacheControl": "no-cache"})
        assert s3_site.put_object(s3, "b", "index.html", str(path), "text/html", "no-cache") == '"e"'
        stub.add_response("put_object", {"ETag": '"e"'}, {"Bucket": "b", "Key": "x", "Body": ANY, "ContentType": "text/plain"})
        s3_site.put_object(s3, "b", "x", str(path), "text/plain", "")


def test_delete_objects_returns_the_per_key_errors(s3):
    with Stubber(s3) as stub:
        stub.add_response("delete_objects", {"Errors": [{"Key": "a", "Code": "AccessDenied", "Message": "no"}]},
                          {"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, {"Key": "b"}], "Quiet": True}})
        assert s3_site.delete_objects(s3, "b", ["a", "b"]) == [{"Key": "a", "Code": "AccessDenied", "Message": "no"}]
