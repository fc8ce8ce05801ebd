# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the CloudFront policy wrappers against botocore's Stubber (no network), and of
the pure functions that build and normalise policy configurations."""

import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.atelier.infra.plugins.module_utils import cloudfront_policies as cfp

MODIFIED = datetime.datetime(2025, 1, 31, 12, 0, tzinfo=datetime.timezone.utc)


def _cache_policy(policy_id, name):
    return {
        "Id": policy_id,
        "LastModifiedTime": MODIFIED,
        "CachePolicyConfig": {
            "Name": name,
            "MinTTL": 1,
            "ParametersInCacheKeyAndForwardedToOrigin": {
                "EnableAcceptEncodingGzip": True,
                "HeadersConfig": {"HeaderBehavior": "none"},
                "CookiesConfig": {"CookieBehavior": "none"},
                "QueryStringsConfig": {"QueryStringBehavior": "none"},
            },
        },
    }


def _origin_request_policy(policy_id, name):
    return {
        "Id": policy_id,
        "LastModifiedTime": MODIFIED,
        "OriginRequestPolicyConfig": {
            "Name": name,
            "HeadersConfig": {"HeaderBehavior": "allViewer"},
            "CookiesConfig": {"CookieBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "all"},
        },
    }


def _cache_page(policies, next_marker=None):
    page = {"MaxItems": 1, "Quantity": len(policies), "Items": [{"Type": "custom", "CachePolicy": p} for p in policies]}
    if next_marker:
        page["NextMarker"] = next_marker
    return {"CachePolicyList": page}


@pytest.fixture
def cloudfront():
    client = boto3.client(
        "cloudfront", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_list_custom_policies_follows_next_marker(cloudfront):
    client, stubber = cloudfront
    stubber.add_response("list_cache_policies", _cache_page([_cache_policy("p1", "a")], "m2"), {"Type": "custom"})
    stubber.add_response(
        "list_cache_policies", _cache_page([_cache_policy("p2", "b")]), {"Type": "custom", "Marker": "m2"}
    )

    result = cfp.list_custom_policies(client, "cache")

    assert [p["Id"] for p in result] == ["p1", "p2"]


def test_find_policy_by_name_gets_etag(cloudfront):
    client, stubber = cloudfront
    stubber.add_response(
        "list_cache_policies", _cache_page([_cache_policy("p1", "a"), _cache_policy("p2", "web")]), {"Type": "custom"}
    )
    stubber.add_response("get_cache_policy", {"CachePolicy": _cache_policy("p2", "web"), "ETag": "E2"}, {"Id": "p2"})

    found, etag = cfp.find_policy(client, "cache", "web")

    assert (found["Id"], etag) == ("p2", "E2")


def test_find_origin_request_policy_missing(cloudfront):
    client, stubber = cloudfront
    page = {
        "MaxItems": 100,
        "Quantity": 1,
        "Items": [{"Type": "custom", "OriginRequestPolicy": _origin_request_policy("o1", "x")}],
    }
    stubber.add_response("list_origin_request_policies", {"OriginRequestPolicyList": page}, {"Type": "custom"})

    assert cfp.find_policy(client, "origin_request", "web") == (None, None)


def test_get_missing_policy_is_none(cloudfront):
    client, stubber = cloudfront
    stubber.add_client_error("get_cache_policy", service_error_code="NoSuchCachePolicy", http_status_code=404)

    assert cfp.get_policy(client, "cache", "gone") == (None, None)


def test_create_update_delete_calls(cloudfront):
    client, stubber = cloudfront
    config = _cache_policy("p1", "web")["CachePolicyConfig"]
    response = {"CachePolicy": _cache_policy("p1", "web"), "ETag": "E1"}
    stubber.add_response("create_cache_policy", dict(response, Location="https://x"), {"CachePolicyConfig": config})
    stubber.add_response("update_cache_policy", response, {"Id": "p1", "IfMatch": "E1", "CachePolicyConfig": config})
    stubber.add_response("delete_cache_policy", {}, {"Id": "p1", "IfMatch": "E2"})
    stubber.add_client_error("delete_origin_request_policy", service_error_code="NoSuchOriginRequestPolicy")

    assert cfp.create_policy(client, "cache", config)[1] == "E1"
    assert cfp.update_policy(client, "cache", "p1", config, "E1")[0]["Id"] == "p1"
    assert cfp.delete_policy(client, "cache", "p1", "E2") is True
    assert cfp.delete_policy(client, "origin_request", "o1", "E1") is False


def test_delete_in_use_keeps_the_error_code(cloudfront):
    client, stubber = cloudfront
    stubber.add_client_error("delete_cache_policy", service_error_code="CachePolicyInUse", http_status_code=409)

    with pytest.raises(cfp.AnsibleCloudFrontPolicyError, match="Failed to delete cache policy") as raised:
        cfp.delete_policy(client, "cache", "p1", "E1")
    assert raised.value.exception.response["Error"]["Code"] == "CachePolicyInUse"


def test_normalise_applies_aws_defaults_and_sorts():
    policy = _cache_policy("p1", "web")
    policy["CachePolicyConfig"]["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"] = {
        "HeaderBehavior": "whitelist",
        "Headers": {"Quantity": 2, "Items": ["origin", "Accept"]},
    }

    result = cfp.normalise_policy("cache", policy, "E1")

    assert result["default_ttl"] == 86400 and result["max_ttl"] == 31536000
    assert result["comment"] == "" and result["enable_accept_encoding_brotli"] is False
    assert result["headers"] == {"behavior": "whitelist", "items": ["Accept", "origin"]}
    assert result["last_modified_time"] == "2025-01-31T12:00:00+00:00"


def test_settings_differences_ignore_header_case_and_order():
    params = dict(
        type="origin_request",
        name="fwd",
        comment="",
        headers={"behavior": "whitelist", "items": ["X-B", "x-a"]},
        cookies=None,
        query_strings={"behavior": "whitelist", "items": ["B", "a"]},
    )
    desired = cfp.desired_settings(params)
    current = dict(desired, headers={"behavior": "whitelist", "items": ["X-A", "x-b"]})

    assert cfp.settings_differences(current, desired) == []
    # Query strings and cookies are case-sensitive.
    assert cfp.settings_differences(
        dict(current, query_strings={"behavior": "whitelist", "items": ["a", "b"]}), desired
    ) == ["query_strings"]
