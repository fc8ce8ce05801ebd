# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.cloudfront_distribution with an S3 origin behind an origin access control,
a default root object and custom error responses (a static site's distribution)."""

import copy

from ansible_collections.atelier.infra.plugins.module_utils import cloudfront_config as cf

from tests.unit.plugins.modules.test_cloudfront_distribution import FakeAWS
from tests.unit.plugins.modules.test_cloudfront_distribution import distribution
from tests.unit.plugins.modules.test_cloudfront_distribution import run
from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson

SPA = [
    {"error_code": 404, "response_code": 200, "response_page_path": "/index.html"},
    {"error_code": 403, "response_code": 200, "response_page_path": "/index.html", "error_caching_min_ttl": 0},
]


def site_args(**overrides):
    args = {
        "name": "prod-site",
        "region": "eu-west-1",
        "default_root_object": "index.html",
        "origins": [
            {"id": "site", "type": "s3", "domain_name": "prod-site.s3.eu-west-1.amazonaws.com", "origin_access_control_id": "OAC1"}
        ],
        "default_behavior": {"origin_id": "site", "cache_policy": "Managed-CachingOptimized"},
        "custom_error_responses": SPA,
    }
    args.update(overrides)
    return {key: value for key, value in args.items() if value is not None}


def as_aws_returns(config):
    """As GetDistribution answers: error responses in another order, ResponseCode a string, S3 origin with its fields."""
    config = copy.deepcopy(config)
    config["CustomErrorResponses"]["Items"].reverse()
    for origin in config["Origins"]["Items"]:
        origin["OriginShield"] = {"Enabled": False}
    config["OriginGroups"] = {"Quantity": 0}
    return config


def created(monkeypatch, args):
    aws = FakeAWS()
    result = run(monkeypatch, aws, args)
    assert isinstance(result, AnsibleExitJson), result.result
    return aws, aws.create_distribution.call_args.args[1]


def test_s3_origin_with_oac_default_root_object_and_error_responses_are_sent(monkeypatch):
    _aws, config = created(monkeypatch, site_args())
    origin = config["Origins"]["Items"][0]
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert origin["OriginAccessControlId"] == "OAC1"
    assert "CustomOriginConfig" not in origin
    assert config["DefaultRootObject"] == "index.html"
    assert config["CustomErrorResponses"] == {
        "Quantity": 2,
        "Items": [
            {"ErrorCode": 403, "ErrorCachingMinTTL": 0, "ResponsePagePath": "/index.html", "ResponseCode": "200"},
            {"ErrorCode": 404, "ErrorCachingMinTTL": 10, "ResponsePagePath": "/index.html", "ResponseCode": "200"},
        ],
    }


def test_second_run_of_a_static_site_distribution_changes_nothing(monkeypatch):
    _aws, config = created(monkeypatch, site_args())
    aws = FakeAWS([distribution(as_aws_returns(config))])
    result = run(monkeypatch, aws, site_args())
    assert result.result["changed"] is False, result.result
    assert aws.mutating_calls() == {}
    view = result.result["distribution"]["config"]
    assert view["origins"][0]["type"] == "s3" and view["origins"][0]["origin_access_control_id"] == "OAC1"
    assert [r["error_code"] for r in view["custom_error_responses"]] == [403, 404]


def test_a_changed_oac_or_error_mapping_updates_the_distribution(monkeypatch):
    _aws, config = created(monkeypatch, site_args())
    for args, what in [
        (site_args(origins=[dict(site_args()["origins"][0], origin_access_control_id="OAC2")]), "origins"),
        (site_args(custom_error_responses=SPA[:1]), "custom_error_responses"),
        (site_args(custom_error_responses=[]), "custom_error_responses"),
    ]:
        aws = FakeAWS([distribution(as_aws_returns(config))])
        result = run(monkeypatch, aws, args)
        assert result.result["changed"] is True
        assert result.result["actions"] == [f"update cloudfront distribution prod-site: {what}"]
        assert aws.update_distribution.call_count == 1


def test_error_responses_not_given_are_kept(monkeypatch):
    _aws, config = created(monkeypatch, site_args())
    aws = FakeAWS([distribution(as_aws_returns(config))])
    result = run(monkeypatch, aws, site_args(custom_error_responses=None))
    assert result.result["changed"] is False, result.result
    aws = FakeAWS([distribution(as_aws_returns(config))])
    result = run(monkeypatch, aws, site_args(custom_error_responses=None, default_root_object="app.html"))
    sent = aws.update_distribution.call_args.args[2]
    assert sent["CustomErrorResponses"]["Quantity"] == 2


def test_an_origin_access_identity_is_replaced_by_the_oac(monkeypatch):
    _aws, config = created(monkeypatch, site_args())
    legacy = as_aws_returns(config)
    legacy["Origins"]["Items"][0]["S3OriginConfig"] = {"OriginAccessIdentity": "origin-access-identity/cloudfront/E1"}
    legacy["Origins"]["Items"][0]["OriginAccessControlId"] = ""
    aws = FakeAWS([distribution(legacy)])
    result = run(monkeypatch, aws, site_args())
    assert result.result["changed"] is True
    sent = aws.update_distribution.call_args.args[2]["Origins"]["Items"][0]
    assert sent["S3OriginConfig"] == {"OriginAccessIdentity": ""} and sent["OriginAccessControlId"] == "OAC1"


def test_bad_static_site_options_fail_before_any_call(monkeypatch):
    for args, message in [
        (site_args(origins=[{"id": "site", "domain_name": "x.example.com", "origin_access_control_id": "OAC1"}]), "origin_access_control_id needs type s3"),
        (site_args(custom_error_responses=[{"error_code": 404, "response_page_path": "index.html"}]), "must start with /"),
        (site_args(custom_error_responses=[{"error_code": 404, "response_code": 200}]), "response_code needs response_page_path"),
        (site_args(custom_error_responses=[{"error_code": 404}, {"error_code": 404}]), "error codes must be unique"),
    ]:
        aws = FakeAWS()
        result = run(monkeypatch, aws, args)
        assert isinstance(result, AnsibleFailJson) and message in result.result["msg"], result.result
        assert aws.list_distributions.call_count == 0


def test_normalised_error_response_without_page():
    view = cf.normalise_config({"CustomErrorResponses": {"Quantity": 1, "Items": [{"ErrorCode": 500, "ErrorCachingMinTTL": 5}]}})
    assert view["custom_error_responses"] == [{"error_code": 500, "error_caching_min_ttl": 5}]
