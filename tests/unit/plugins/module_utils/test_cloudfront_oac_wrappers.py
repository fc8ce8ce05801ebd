# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the origin access control wrappers of module_utils/cloudfront.py against botocore's Stubber."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.atelier.infra.plugins.module_utils import cloudfront
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import AnsibleCloudFrontError

CONFIG = {"Name": "n", "Description": "", "SigningProtocol": "sigv4", "SigningBehavior": "always", "OriginAccessControlOriginType": "s3"}


@pytest.fixture
def client():
    return boto3.client("cloudfront", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")


def _summary(control_id):
    return dict(CONFIG, Id=control_id)


def test_list_follows_the_markers(client):
    with Stubber(client) as stub:
        stub.add_response("list_origin_access_controls", {"OriginAccessControlList": {
            "Marker": "", "NextMarker": "m", "MaxItems": 1, "IsTruncated": True, "Quantity": 1, "Items": [_summary("E1")]}})
        stub.add_response("list_origin_access_controls", {"OriginAccessControlList": {
            "Marker": "m", "MaxItems": 1, "IsTruncated": False, "Quantity": 1, "Items": [_summary("E2")]}}, {"Marker": "m"})
        assert [c["Id"] for c in cloudfront.list_origin_access_controls(client)] == ["E1", "E2"]


def test_get_of_a_missing_control_is_none(client):
    with Stubber(client) as stub:
        stub.add_client_error("get_origin_access_control", "NoSuchOriginAccessControl", "gone", 404)
        assert cloudfront.get_origin_access_control(client, "E1") == (None, None)


def test_update_and_delete_pass_the_etag(client):
    with Stubber(client) as stub:
        stub.add_response("update_origin_access_control",
                          {"OriginAccessControl": {"Id": "E1", "OriginAccessControlConfig": CONFIG}, "ETag": "E2TAG"},
                          {"Id": "E1", "IfMatch": "E1TAG", "OriginAccessControlConfig": CONFIG})
        stub.add_response("delete_origin_access_control", {}, {"Id": "E1", "IfMatch": "E2TAG"})
        assert cloudfront.update_origin_access_control(client, "E1", CONFIG, "E1TAG")[1] == "E2TAG"
        assert cloudfront.delete_origin_access_control(client, "E1", "E2TAG") is True


def test_a_control_in_use_raises_with_its_code(client):
    with Stubber(client) as stub:
        stub.add_client_error("delete_origin_access_control", "OriginAccessControlInUse", "in use", 409)
        with pytest.raises(AnsibleCloudFrontError) as raised:
            cloudfront.delete_origin_access_control(client, "E1", "E1TAG")
    assert raised.value.exception.response["Error"]["Code"] == "OriginAccessControlInUse"
