# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the pure functions of module_utils/cloudfront_config.py: building a DistributionConfig
from the module's options, reducing one to the normalised view the module compares, merging it
over the current configuration, and checking the options without AWS."""

import copy
import json

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import cloudfront_config as cf

SECRET = "s3cr3t-origin-verify-value"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/atelier/abcd"
CUSTOM_MEDIA_ID = "11111111-2222-3333-4444-555555555555"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]

# What resolve_policies in the module hands build_config.
POLICY_IDS = {
    ("cache", "Managed-CachingOptimized"): cf.MANAGED_CACHE_POLICIES["Managed-CachingOptimized"],
    ("cache", "Managed-CachingDisabled"): cf.MANAGED_CACHE_POLICIES["Managed-CachingDisabled"],
    ("cache", "custom-media"): CUSTOM_MEDIA_ID,
    ("origin_request", "Managed-AllViewerExceptHostHeader"): cf.MANAGED_ORIGIN_REQUEST_POLICIES[
        "Managed-AllViewerExceptHostHeader"
    ],
}


def origin(**overrides):
    """An origin as the argument spec hands it over (every default filled in)."""
    result = dict(
        id="alb",
        domain_name="prod-alb-123.eu-west-1.elb.amazonaws.com",
        origin_path="",
        protocol_policy="https-only",
        http_port=80,
        https_port=443,
        ssl_protocols=["TLSv1.2", "TLSv1.1"],
        read_timeout=30,
        keepalive_timeout=5,
        connection_attempts=3,
        connection_timeout=10,
        custom_headers={"X-Origin-Verify": SECRET, "X-Env": "prod"},
    )
    result.update(overrides)
    return result


def behavior(**overrides):
    result = dict(
        origin_id="alb",
        viewer_protocol_policy="redirect-to-https",
        allowed_methods=["GET", "HEAD", "OPTIONS"],
        cached_methods=["GET", "HEAD"],
        compress=True,
        cache_policy="Managed-CachingOptimized",
        origin_request_policy=None,
        response_headers_policy_id=None,
    )
    result.update(overrides)
    return result


def params(**overrides):
    """The module's params for a distribution with two origins and two path behaviours."""
    result = dict(
        name="prod-web",
        state="present",
        enabled=True,
        origins=[
            origin(),
            origin(id="media", domain_name="media.example.com", custom_headers={}, ssl_protocols=["TLSv1.2"]),
        ],
        default_behavior=behavior(),
        behaviors=[
            behavior(
                path_pattern="/api/*",
                allowed_methods=list(ALL_METHODS),
                cache_policy="Managed-CachingDisabled",
                origin_request_policy="Managed-AllViewerExceptHostHeader",
            ),
            behavior(path_pattern="/media/*", origin_id="media", cache_policy="custom-media"),
        ],
        aliases=["www.example.com", "Static.Example.com"],
        certificate_arn=CERTIFICATE,
        minimum_protocol_version="TLSv1.2_2021",
        price_class="PriceClass_100",
        http_version="http2and3",
        ipv6=True,
        web_acl_id=WEB_ACL,
        default_root_object="index.html",
        logging=dict(bucket="atelier-logs.s3.amazonaws.com", prefix="cf/", include_cookies=False),
    )
    result.update(overrides)
    return result


def _aws_behavior(
    path_pattern=None, origin_id="alb", methods=("HEAD", "OPTIONS", "GET"), cache_policy_id=None, **extra
):
    """A cache behaviour as GetDistribution returns it: no ForwardedValues, AWS's extras, its order."""
    result = {
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "TrustedKeyGroups": {"Enabled": False, "Quantity": 0},
        "ViewerProtocolPolicy": "redirect-to-https",
        "TargetOriginId": origin_id,
        "AllowedMethods": {
            "Quantity": len(methods),
            "Items": list(methods),
            "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]},
        },
        "SmoothStreaming": False,
        "Compress": True,
        "LambdaFunctionAssociations": {"Quantity": 0},
        "FunctionAssociations": {"Quantity": 0},
        "FieldLevelEncryptionId": "",
        "RealtimeLogConfigArn": "",
        "CachePolicyId": cache_policy_id or cf.MANAGED_CACHE_POLICIES["Managed-CachingOptimized"],
        "GrpcConfig": {"Enabled": False},
    }
    if path_pattern:
        result["PathPattern"] = path_pattern
    result.update(extra)
    return result


def aws_config():
    """The configuration of params() as AWS returns it: lists in another order, header names in
    another case, ForwardedValues absent, and fields nobody set (OriginShield, TrustedSigners,
    RealtimeLogConfigArn, OriginAccessControlId, Staging, ...) filled in."""
    return {
        "CallerReference": "prod-web-0f0e",
        "Aliases": {"Quantity": 2, "Items": ["www.example.com", "static.example.com"]},
        "DefaultRootObject": "index.html",
        "Origins": {
            "Quantity": 2,
            "Items": [
                {
                    "Id": "media",
                    "DomainName": "media.example.com",
                    "OriginPath": "",
                    "CustomHeaders": {"Quantity": 0},
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                        "OriginReadTimeout": 30,
                        "OriginKeepaliveTimeout": 5,
                    },
                    "ConnectionAttempts": 3,
                    "ConnectionTimeout": 10,
                    "OriginShield": {"Enabled": False},
                    "OriginAccessControlId": "",
                },
                {
                    "Id": "alb",
                    "DomainName": "PROD-ALB-123.eu-west-1.elb.amazonaws.com",
                    "OriginPath": "",
                    "CustomHeaders": {
                        "Quantity": 2,
                        "Items": [
                            {"HeaderName": "x-origin-verify", "HeaderValue": SECRET},
                            {"HeaderName": "x-env", "HeaderValue": "prod"},
                        ],
                    },
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                        "OriginSslProtocols": {"Quantity": 2, "Items": ["TLSv1.1", "TLSv1.2"]},
                        "OriginReadTimeout": 30,
                        "OriginKeepaliveTimeout": 5,
                        "IpAddressType": "ipv4",
                    },
                    "ConnectionAttempts": 3,
                    "ConnectionTimeout": 10,
                    "OriginShield": {"Enabled": False},
                    "OriginAccessControlId": "",
                },
            ],
        },
        "OriginGroups": {"Quantity": 0},
        "DefaultCacheBehavior": _aws_behavior(),
        "CacheBehaviors": {
            "Quantity": 2,
            "Items": [
                _aws_behavior(
                    "/api/*",
                    methods=("POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"),
                    cache_policy_id=cf.MANAGED_CACHE_POLICIES["Managed-CachingDisabled"],
                    OriginRequestPolicyId=cf.MANAGED_ORIGIN_REQUEST_POLICIES["Managed-AllViewerExceptHostHeader"],
                ),
                _aws_behavior("/media/*", origin_id="media", cache_policy_id=CUSTOM_MEDIA_ID),
            ],
        },
        "CustomErrorResponses": {"Quantity": 0},
        "Comment": "prod-web",
        "Logging": {
            "Enabled": True,
            "IncludeCookies": False,
            "Bucket": "atelier-logs.s3.amazonaws.com",
            "Prefix": "cf/",
        },
        "PriceClass": "PriceClass_100",
        "Enabled": True,
        "ViewerCertificate": {
            "CloudFrontDefaultCertificate": False,
            "ACMCertificateArn": CERTIFICATE,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
            "Certificate": CERTIFICATE,
            "CertificateSource": "acm",
        },
        "Restrictions": {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}},
        "WebACLId": WEB_ACL,
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
        "ContinuousDeploymentPolicyId": "",
        "Staging": False,
    }


# ---------------------------------------------------------------- normalised view


def test_built_config_equals_aws_shaped_config():
    built = cf.normalise_config(cf.build_config(params(), POLICY_IDS))
    from_aws = cf.normalise_config(aws_config())
    assert built == from_aws
    assert cf.config_differences(from_aws, built) == []


def test_option_order_does_not_matter():
    reordered = params(
        origins=list(reversed(params()["origins"])),
        aliases=["static.example.com", "WWW.example.com"],
        default_behavior=behavior(allowed_methods=["options", "head", "get"], cached_methods=["HEAD", "GET"]),
    )
    reordered["origins"][1]["ssl_protocols"] = ["TLSv1.1", "TLSv1.2"]
    reordered["origins"][1]["custom_headers"] = {"x-env": "prod", "X-ORIGIN-VERIFY": SECRET}
    assert (
        cf.config_differences(
            cf.normalise_config(aws_config()), cf.normalise_config(cf.build_config(reordered, POLICY_IDS))
        )
        == []
    )


def _changed_behaviour_order(p):
    p["behaviors"] = list(reversed(p["behaviors"]))


def _changed_header_value(p):
    p["origins"][0]["custom_headers"] = {"X-Origin-Verify": "another-secret", "X-Env": "prod"}


# name, change to params(), the key (or keys) config_differences must report, and only those
CHANGES = [
    ("price class", lambda p: p.update(price_class="PriceClass_All"), "price_class"),
    ("alias added", lambda p: p.update(aliases=p["aliases"] + ["api.example.com"]), "aliases"),
    ("alias removed", lambda p: p.update(aliases=["www.example.com"]), "aliases"),
    ("behaviour order (precedence)", _changed_behaviour_order, "behaviors"),
    (
        "path behaviour cache policy",
        lambda p: p["behaviors"][1].update(cache_policy="Managed-CachingDisabled"),
        "behaviors",
    ),
    (
        "default behaviour cache policy",
        lambda p: p["default_behavior"].update(cache_policy="Managed-CachingDisabled"),
        "default_behavior",
    ),
    ("custom header value", _changed_header_value, "origins"),
    (
        "certificate",
        lambda p: p.update(certificate_arn=CERTIFICATE.replace("0a1b2c3d", "99999999")),
        "viewer_certificate",
    ),
    ("minimum protocol", lambda p: p.update(minimum_protocol_version="TLSv1.2_2019"), "viewer_certificate"),
    ("default certificate", lambda p: p.update(certificate_arn=None, aliases=[]), ("viewer_certificate", "aliases")),
    ("logging off", lambda p: p.update(logging=None), "logging"),
    ("logging prefix", lambda p: p["logging"].update(prefix="other/"), "logging"),
    ("http version", lambda p: p.update(http_version="http2"), "http_version"),
    ("ipv6", lambda p: p.update(ipv6=False), "ipv6"),
    ("web acl removed", lambda p: p.update(web_acl_id=None), "web_acl_id"),
    ("web acl changed", lambda p: p.update(web_acl_id=WEB_ACL.replace("abcd", "efgh")), "web_acl_id"),
    ("disabled", lambda p: p.update(enabled=False), "enabled"),
    ("origin domain", lambda p: p["origins"][1].update(domain_name="cdn-origin.example.com"), "origins"),
]


@pytest.mark.parametrize("change, key", [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_each_managed_field_change_is_reported(change, key):
    changed = params()
    change(changed)
    differences = cf.config_differences(
        cf.normalise_config(aws_config()), cf.normalise_config(cf.build_config(changed, POLICY_IDS))
    )
    expected = set(key) if isinstance(key, tuple) else {key}
    assert set(differences) == expected


def test_header_values_appear_only_as_digests():
    for config in (cf.build_config(params(), POLICY_IDS), aws_config()):
        view = cf.normalise_config(config)
        assert SECRET not in json.dumps(view)
        headers = next(o for o in view["origins"] if o["id"] == "alb")["custom_headers"]
        assert set(headers) == {"x-origin-verify", "x-env"}
        assert all(value.startswith("sha256:") for value in headers.values())
        assert headers["x-origin-verify"] != headers["x-env"]


def test_header_name_case_does_not_matter():
    upper = params()
    upper["origins"][0]["custom_headers"] = {"X-ORIGIN-VERIFY": SECRET, "x-Env": "prod"}
    assert cf.normalise_config(cf.build_config(upper, POLICY_IDS)) == cf.normalise_config(aws_config())


def test_behaviours_keep_their_order_in_the_view():
    view = cf.normalise_config(aws_config())
    assert [b["path_pattern"] for b in view["behaviors"]] == ["/api/*", "/media/*"]
    assert "path_pattern" not in view["default_behavior"]
    assert view["behaviors"][1]["cache_policy_id"] == CUSTOM_MEDIA_ID


# ---------------------------------------------------------------- merge


def test_merge_keeps_unmanaged_fields():
    current = aws_config()
    current["Restrictions"] = {"GeoRestriction": {"RestrictionType": "whitelist", "Quantity": 2, "Items": ["FR", "DE"]}}
    current["CustomErrorResponses"] = {
        "Quantity": 1,
        "Items": [{"ErrorCode": 404, "ResponsePagePath": "/404.html", "ResponseCode": "404"}],
    }
    before = copy.deepcopy(current)
    managed = cf.build_config(params(price_class="PriceClass_All"), POLICY_IDS)

    merged = cf.merge_config(current, managed, "ignored-on-update")

    assert merged["CallerReference"] == "prod-web-0f0e"
    assert merged["Restrictions"] == before["Restrictions"]
    assert merged["CustomErrorResponses"] == before["CustomErrorResponses"]
    assert merged["OriginGroups"] == before["OriginGroups"]
    assert merged["PriceClass"] == "PriceClass_All"
    assert current == before, "merge_config must not change the current configuration"


def test_merge_for_create_sets_caller_reference_and_restrictions():
    merged = cf.merge_config(None, cf.build_config(params(), POLICY_IDS), "prod-web-1234")
    assert merged["CallerReference"] == "prod-web-1234"
    assert merged["Restrictions"]["GeoRestriction"]["RestrictionType"] == "none"
    assert merged["Comment"] == "prod-web"


def test_build_config_without_certificate_uses_default_certificate():
    config = cf.build_config(params(certificate_arn=None, aliases=[], logging=None, web_acl_id=None), POLICY_IDS)
    assert config["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True}
    assert config["Aliases"] == {"Quantity": 0}
    assert config["Logging"]["Enabled"] is False
    assert config["WebACLId"] == ""


# ---------------------------------------------------------------- option errors


def _with_behavior(index, **changes):
    p = params()
    p["behaviors"][index].update(changes)
    return p


def _default_with(**changes):
    p = params()
    p["default_behavior"].update(changes)
    return p


# name, params, a part of the one error message expected
OPTION_ERRORS = [
    ("alias without certificate", params(certificate_arn=None), "aliases need certificate_arn"),
    (
        "certificate outside us-east-1",
        params(certificate_arn=CERTIFICATE.replace("us-east-1", "eu-west-1")),
        "certificate_arn is in eu-west-1: CloudFront only uses ACM certificates from us-east-1",
    ),
    (
        "certificate not from ACM",
        params(certificate_arn="arn:aws:iam::123456789012:server-certificate/web"),
        "is not an ACM certificate ARN",
    ),
    (
        "unknown managed cache policy",
        _default_with(cache_policy="Managed-CachingEverything"),
        "default_behavior: unknown managed cache policy 'Managed-CachingEverything'",
    ),
    (
        "unknown managed origin request policy",
        _with_behavior(0, origin_request_policy="Managed-AllTheThings"),
        "behaviors[0]: unknown managed origin request policy 'Managed-AllTheThings'",
    ),
    (
        "path pattern without leading / or *",
        _with_behavior(1, path_pattern="media/*"),
        "behaviors[1]: path_pattern 'media/*' must start with / or *",
    ),
    ("empty path pattern", _with_behavior(1, path_pattern=""), "behaviors[1]: path_pattern '' must start with / or *"),
    ("duplicate path patterns", _with_behavior(1, path_pattern="/api/*"), "path patterns must be unique"),
    (
        "unknown origin id",
        _with_behavior(1, origin_id="s3"),
        "behaviors[1]: origin_id 's3' is not one of the origins (alb, media)",
    ),
    (
        "unknown origin id in default",
        _default_with(origin_id="nope"),
        "default_behavior: origin_id 'nope' is not one of the origins",
    ),
    (
        "invalid allowed methods",
        _default_with(allowed_methods=["GET", "HEAD", "POST"]),
        "default_behavior: allowed_methods ['GET', 'HEAD', 'POST'] is not one of the sets",
    ),
    (
        "invalid cached methods",
        _default_with(cached_methods=["GET"]),
        "default_behavior: cached_methods must be [GET, HEAD] or [GET, HEAD, OPTIONS]",
    ),
    (
        "cached not a subset of allowed",
        _default_with(allowed_methods=["GET", "HEAD"], cached_methods=["GET", "HEAD", "OPTIONS"]),
        "default_behavior: cached_methods must be a subset of allowed_methods",
    ),
    (
        "logging bucket not a domain name",
        params(logging=dict(bucket="atelier-logs", prefix="", include_cookies=False)),
        "logging.bucket",
    ),
    (
        "duplicate origin ids",
        params(origins=[origin(), origin(domain_name="other.example.com")], behaviors=[]),
        "origin ids must be unique",
    ),
]


@pytest.mark.parametrize("options, message", [c[1:] for c in OPTION_ERRORS], ids=[c[0] for c in OPTION_ERRORS])
def test_option_errors(options, message):
    errors = cf.option_errors(options)
    assert len(errors) == 1, errors
    assert message in errors[0]


def test_unknown_managed_policy_message_lists_the_known_ones():
    (error,) = cf.option_errors(_default_with(cache_policy="Managed-Nope"))
    assert "Managed-CachingOptimized" in error and "Managed-CachingDisabled" in error


@pytest.mark.parametrize(
    "options",
    [
        params(),
        params(certificate_arn=None, aliases=[], logging=None),
        _default_with(allowed_methods=["head", "get"], cached_methods=["GET", "HEAD"]),
        _default_with(allowed_methods=list(reversed(ALL_METHODS)), cached_methods=["OPTIONS", "GET", "HEAD"]),
        _default_with(cache_policy="UseOriginCacheControlHeaders"),
        _with_behavior(0, path_pattern="*.jpg"),
        _with_behavior(0, cache_policy=CUSTOM_MEDIA_ID),
    ],
    ids=[
        "full",
        "minimal",
        "methods in any case and order",
        "all methods",
        "managed without prefix",
        "star pattern",
        "policy id",
    ],
)
def test_valid_options_have_no_errors(options):
    assert cf.option_errors(options) == []


def test_certificate_region():
    assert cf.certificate_region(CERTIFICATE) == "us-east-1"
    assert cf.certificate_region("arn:aws-cn:acm:cn-north-1:123456789012:certificate/x") == "cn-north-1"
    assert cf.certificate_region("not-an-arn") is None
    assert cf.certificate_region(None) is None
