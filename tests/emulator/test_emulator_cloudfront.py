"""CloudFront additions of the emulator, seen through boto3 (so every answer also parses with botocore's service model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_cloudfront.py`` (the module is named in the test's docstring). The deployment delay
(``ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY``) is set per test through ``POST /_atelier/config``.
"""

import json
import time
import urllib.request
import uuid

import pytest
from botocore.exceptions import ClientError

DEPLOY_DELAY = "ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
MANAGED_CACHE_POLICIES = {
    "Managed-CachingOptimized": CACHING_OPTIMIZED,
    "Managed-CachingDisabled": CACHING_DISABLED,
    "Managed-CachingOptimizedForUncompressedObjects": "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
    "Managed-Elemental-MediaPackage": "08627262-05a9-4f76-9ded-b50ca2e3a84f",
    "Managed-Amplify": "2e54312d-136d-493c-8eb9-b001f22f67d2",
    "UseOriginCacheControlHeaders": "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
    "UseOriginCacheControlHeaders-QueryStrings": "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
}
MANAGED_ORIGIN_REQUEST_POLICIES = {
    "Managed-AllViewer": ALL_VIEWER,
    "Managed-AllViewerExceptHostHeader": ALL_VIEWER_EXCEPT_HOST,
    "Managed-CORS-S3Origin": "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
    "Managed-CORS-CustomOrigin": "59781a5b-3903-41f3-afcb-af62929ccde1",
    "Managed-UserAgentRefererHeaders": "acba4595-bd28-49b8-b9fe-13317c0390fa",
    "Managed-AllViewerAndCloudFrontHeaders-2022-06": "33f36d7e-f396-46d9-90e0-52428a34d9dc",
    "Managed-Elemental-MediaTailor-PersonalizedManifests": "775133bc-15f2-49f9-abea-afb2e0bf67d2",
}
ACM_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/8f9d6c1e-0000-4000-8000-000000000001"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _config_request(emulator, values: dict) -> dict:
    request = urllib.request.Request(emulator.url + "/_atelier/config", data=json.dumps(values).encode(), method="POST")
    return json.loads(_DIRECT.open(request, timeout=30).read())


@pytest.fixture
def deploy_delay(emulator):
    """``deploy_delay(seconds)`` sets ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY; the test's end drops it."""
    yield lambda seconds: _config_request(emulator, {DEPLOY_DELAY: seconds})
    _config_request(emulator, {DEPLOY_DELAY: None})


def _error(call, **kwargs) -> tuple[dict, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def _behavior(**extra) -> dict:
    return {
        "TargetOriginId": "app",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": {
            "Quantity": 2,
            "Items": ["GET", "HEAD"],
            "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
        },
        "Compress": True,
        **extra,
    }


def _distribution_config(**extra) -> dict:
    return {
        "CallerReference": _name("ref"),
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "app",
                    "DomainName": "app.example.com",
                    "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
                }
            ],
        },
        "DefaultCacheBehavior": _behavior(CachePolicyId=CACHING_DISABLED),
        "Comment": "atelier emulator test",
        "Enabled": True,
        **extra,
    }


def _cache_policy_config(name: str, **extra) -> dict:
    return {
        "Name": name,
        "Comment": "cache by Authorization",
        "MinTTL": 0,
        "DefaultTTL": 60,
        "MaxTTL": 3600,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": True,
            "EnableAcceptEncodingBrotli": True,
            "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": {"Quantity": 1, "Items": ["Authorization"]}},
            "CookiesConfig": {"CookieBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "all"},
        },
        **extra,
    }


def _origin_request_policy_config(name: str, **extra) -> dict:
    return {
        "Name": name,
        "Comment": "forward the viewer's language",
        "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": {"Quantity": 1, "Items": ["Accept-Language"]}},
        "CookiesConfig": {"CookieBehavior": "all"},
        "QueryStringsConfig": {"QueryStringBehavior": "none"},
        **extra,
    }


def test_cloudfront_managed_policies(emulator):
    """cloudfront_policies: the managed cache and origin request policies, with AWS's names, ids and settings."""
    cloudfront = emulator.client("cloudfront")
    listing = cloudfront.list_cache_policies(Type="managed")["CachePolicyList"]
    assert {item["Type"] for item in listing["Items"]} == {"managed"}
    managed = {item["CachePolicy"]["CachePolicyConfig"]["Name"]: item["CachePolicy"]["Id"] for item in listing["Items"]}
    assert managed == MANAGED_CACHE_POLICIES
    assert listing["Quantity"] == len(MANAGED_CACHE_POLICIES)

    optimized = cloudfront.get_cache_policy(Id=CACHING_OPTIMIZED)
    config = optimized["CachePolicy"]["CachePolicyConfig"]
    assert (config["MinTTL"], config["DefaultTTL"], config["MaxTTL"]) == (1, 86400, 31536000)
    parameters = config["ParametersInCacheKeyAndForwardedToOrigin"]
    assert parameters["EnableAcceptEncodingGzip"] and parameters["EnableAcceptEncodingBrotli"]
    assert parameters["HeadersConfig"] == {"HeaderBehavior": "none"}
    assert parameters["CookiesConfig"] == {"CookieBehavior": "none"}
    assert parameters["QueryStringsConfig"] == {"QueryStringBehavior": "none"}
    assert optimized["ETag"]
    disabled = cloudfront.get_cache_policy_config(Id=CACHING_DISABLED)["CachePolicyConfig"]
    assert (disabled["MinTTL"], disabled["DefaultTTL"], disabled["MaxTTL"]) == (0, 0, 0)

    first = cloudfront.list_cache_policies(Type="managed", MaxItems="3")["CachePolicyList"]
    assert first["Quantity"] == 3 and first["NextMarker"]
    rest = cloudfront.list_cache_policies(Type="managed", Marker=first["NextMarker"])["CachePolicyList"]
    assert [i["CachePolicy"]["Id"] for i in first["Items"] + rest["Items"]] == list(MANAGED_CACHE_POLICIES.values())

    origin = cloudfront.list_origin_request_policies(Type="managed")["OriginRequestPolicyList"]
    assert {
        item["OriginRequestPolicy"]["OriginRequestPolicyConfig"]["Name"]: item["OriginRequestPolicy"]["Id"]
        for item in origin["Items"]
    } == MANAGED_ORIGIN_REQUEST_POLICIES
    except_host = cloudfront.get_origin_request_policy_config(Id=ALL_VIEWER_EXCEPT_HOST)["OriginRequestPolicyConfig"]
    assert except_host["HeadersConfig"] == {
        "HeaderBehavior": "allExcept",
        "Headers": {"Quantity": 1, "Items": ["host"]},
    }
    assert except_host["CookiesConfig"] == {"CookieBehavior": "all"}
    assert except_host["QueryStringsConfig"] == {"QueryStringBehavior": "all"}

    error, status = _error(cloudfront.get_cache_policy, Id="00000000-0000-0000-0000-000000000000")
    assert (error["Code"], status) == ("NoSuchCachePolicy", 404)


def test_cloudfront_cache_policy_lifecycle(emulator):
    """cloudfront_policies: create, duplicate name, IfMatch, update, managed ones read-only, in use, delete."""
    cloudfront = emulator.client("cloudfront")
    name = _name("cache")
    created = cloudfront.create_cache_policy(CachePolicyConfig=_cache_policy_config(name))
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    policy_id = created["CachePolicy"]["Id"]
    assert created["Location"] == f"https://cloudfront.amazonaws.com/2020-05-31/cache-policy/{policy_id}"
    assert created["CachePolicy"]["CachePolicyConfig"] == _cache_policy_config(name)
    etag = created["ETag"]

    error, status = _error(cloudfront.create_cache_policy, CachePolicyConfig=_cache_policy_config(name))
    assert (error["Code"], status) == ("CachePolicyAlreadyExists", 409)

    fetched = cloudfront.get_cache_policy(Id=policy_id)
    assert fetched["ETag"] == etag and fetched["CachePolicy"]["CachePolicyConfig"] == _cache_policy_config(name)
    assert cloudfront.get_cache_policy_config(Id=policy_id)["CachePolicyConfig"] == _cache_policy_config(name)
    custom = cloudfront.list_cache_policies(Type="custom")["CachePolicyList"]["Items"]
    assert {"custom"} == {item["Type"] for item in custom}
    assert policy_id in [item["CachePolicy"]["Id"] for item in custom]

    changed = _cache_policy_config(name, DefaultTTL=120)
    error, status = _error(cloudfront.update_cache_policy, Id=policy_id, CachePolicyConfig=changed, IfMatch="WRONG")
    assert (error["Code"], status) == ("PreconditionFailed", 412)
    error, status = _error(cloudfront.update_cache_policy, Id=policy_id, CachePolicyConfig=changed)
    assert (error["Code"], status) == ("InvalidIfMatchVersion", 400)
    updated = cloudfront.update_cache_policy(Id=policy_id, CachePolicyConfig=changed, IfMatch=etag)
    assert updated["ETag"] != etag and updated["CachePolicy"]["CachePolicyConfig"]["DefaultTTL"] == 120
    assert cloudfront.get_cache_policy(Id=policy_id)["ETag"] == updated["ETag"]
    etag = updated["ETag"]

    managed = cloudfront.get_cache_policy(Id=CACHING_OPTIMIZED)
    config = managed["CachePolicy"]["CachePolicyConfig"]
    error, status = _error(
        cloudfront.update_cache_policy, Id=CACHING_OPTIMIZED, CachePolicyConfig=config, IfMatch=managed["ETag"]
    )
    assert (error["Code"], status) == ("IllegalUpdate", 400)
    error, status = _error(cloudfront.delete_cache_policy, Id=CACHING_OPTIMIZED, IfMatch=managed["ETag"])
    assert (error["Code"], status) == ("AccessDenied", 403)

    path_behavior = _behavior(PathPattern="/api/*", CachePolicyId=policy_id)
    distribution = cloudfront.create_distribution(
        DistributionConfig=_distribution_config(CacheBehaviors={"Quantity": 1, "Items": [path_behavior]})
    )["Distribution"]
    error, status = _error(cloudfront.delete_cache_policy, Id=policy_id, IfMatch=etag)
    assert (error["Code"], status) == ("CachePolicyInUse", 409)

    config = cloudfront.get_distribution_config(Id=distribution["Id"])
    without = {**config["DistributionConfig"], "CacheBehaviors": {"Quantity": 0}}
    cloudfront.update_distribution(Id=distribution["Id"], DistributionConfig=without, IfMatch=config["ETag"])
    error, status = _error(cloudfront.delete_cache_policy, Id=policy_id, IfMatch="WRONG")
    assert (error["Code"], status) == ("PreconditionFailed", 412)
    deleted = cloudfront.delete_cache_policy(Id=policy_id, IfMatch=etag)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    error, status = _error(cloudfront.get_cache_policy, Id=policy_id)
    assert (error["Code"], status) == ("NoSuchCachePolicy", 404)
    error, status = _error(cloudfront.delete_cache_policy, Id=policy_id, IfMatch=etag)
    assert (error["Code"], status) == ("NoSuchCachePolicy", 404)


def test_cloudfront_origin_request_policy_lifecycle(emulator):
    """cloudfront_policies: the same API for origin request policies."""
    cloudfront = emulator.client("cloudfront")
    name = _name("origin")
    created = cloudfront.create_origin_request_policy(OriginRequestPolicyConfig=_origin_request_policy_config(name))
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    policy_id, etag = created["OriginRequestPolicy"]["Id"], created["ETag"]
    assert created["Location"].endswith(f"/2020-05-31/origin-request-policy/{policy_id}")
    config = cloudfront.get_origin_request_policy_config(Id=policy_id)
    assert config["OriginRequestPolicyConfig"] == _origin_request_policy_config(name) and config["ETag"] == etag

    error, status = _error(
        cloudfront.create_origin_request_policy, OriginRequestPolicyConfig=_origin_request_policy_config(name)
    )
    assert (error["Code"], status) == ("OriginRequestPolicyAlreadyExists", 409)
    changed = _origin_request_policy_config(name, CookiesConfig={"CookieBehavior": "none"})
    error, status = _error(
        cloudfront.update_origin_request_policy, Id=policy_id, OriginRequestPolicyConfig=changed, IfMatch="WRONG"
    )
    assert (error["Code"], status) == ("PreconditionFailed", 412)
    updated = cloudfront.update_origin_request_policy(Id=policy_id, OriginRequestPolicyConfig=changed, IfMatch=etag)
    assert updated["ETag"] != etag
    assert updated["OriginRequestPolicy"]["OriginRequestPolicyConfig"]["CookiesConfig"] == {"CookieBehavior": "none"}
    etag = updated["ETag"]

    cloudfront.create_distribution(
        DistributionConfig=_distribution_config(
            DefaultCacheBehavior=_behavior(CachePolicyId=CACHING_DISABLED, OriginRequestPolicyId=policy_id)
        )
    )
    error, status = _error(cloudfront.delete_origin_request_policy, Id=policy_id, IfMatch=etag)
    assert (error["Code"], status) == ("OriginRequestPolicyInUse", 409)
    error, status = _error(cloudfront.delete_origin_request_policy, Id=ALL_VIEWER, IfMatch=etag)
    assert (error["Code"], status) == ("AccessDenied", 403)

    spare = cloudfront.create_origin_request_policy(OriginRequestPolicyConfig=_origin_request_policy_config(_name("o")))
    spare_id = spare["OriginRequestPolicy"]["Id"]
    cloudfront.delete_origin_request_policy(Id=spare_id, IfMatch=spare["ETag"])
    error, status = _error(cloudfront.get_origin_request_policy, Id=spare_id)
    assert (error["Code"], status) == ("NoSuchOriginRequestPolicy", 404)


def test_cloudfront_distribution_refuses_unknown_policies(emulator):
    """cloudfront_policies: CreateDistribution[WithTags] / UpdateDistribution check the behaviors' policy ids."""
    cloudfront = emulator.client("cloudfront")
    unknown = "11111111-2222-3333-4444-555555555555"
    error, status = _error(
        cloudfront.create_distribution,
        DistributionConfig=_distribution_config(DefaultCacheBehavior=_behavior(CachePolicyId=unknown)),
    )
    assert (error["Code"], status, error["Message"]) == ("NoSuchCachePolicy", 404, "The cache policy does not exist.")
    path_behavior = _behavior(PathPattern="/api/*", CachePolicyId=CACHING_DISABLED, OriginRequestPolicyId=unknown)
    error, status = _error(
        cloudfront.create_distribution_with_tags,
        DistributionConfigWithTags={
            "DistributionConfig": _distribution_config(CacheBehaviors={"Quantity": 1, "Items": [path_behavior]}),
            "Tags": {"Items": [{"Key": "team", "Value": "web"}]},
        },
    )
    assert (error["Code"], status) == ("NoSuchOriginRequestPolicy", 404)
    assert error["Message"] == "The origin request policy does not exist."

    created = cloudfront.create_distribution(DistributionConfig=_distribution_config())
    config = cloudfront.get_distribution_config(Id=created["Distribution"]["Id"])
    wanted = {**config["DistributionConfig"], "DefaultCacheBehavior": _behavior(CachePolicyId=unknown)}
    error, status = _error(
        cloudfront.update_distribution,
        Id=created["Distribution"]["Id"],
        DistributionConfig=wanted,
        IfMatch=config["ETag"],
    )
    assert (error["Code"], status) == ("NoSuchCachePolicy", 404)


def test_cloudfront_distribution_status_etag_and_delete(emulator, deploy_delay):
    """cloudfront_distribution_status: InProgress for the deploy delay after create and update, new ETags, IfMatch,
    DistributionNotDisabled."""
    cloudfront = emulator.client("cloudfront")
    # Long enough that a loaded machine still reads the distribution before its deployment ends.
    deploy_delay(4.0)
    created = cloudfront.create_distribution(DistributionConfig=_distribution_config())
    distribution_id, etag = created["Distribution"]["Id"], created["ETag"]
    assert created["Distribution"]["Status"] == "InProgress"
    assert cloudfront.get_distribution(Id=distribution_id)["Distribution"]["Status"] == "InProgress"
    time.sleep(4.3)
    assert cloudfront.get_distribution(Id=distribution_id)["Distribution"]["Status"] == "Deployed"

    config = cloudfront.get_distribution_config(Id=distribution_id)
    assert config["ETag"] == etag
    changed = {**config["DistributionConfig"], "Comment": "changed"}
    error, status = _error(cloudfront.update_distribution, Id=distribution_id, DistributionConfig=changed, IfMatch="X")
    assert (error["Code"], status) == ("PreconditionFailed", 412)
    updated = cloudfront.update_distribution(Id=distribution_id, DistributionConfig=changed, IfMatch=etag)
    assert updated["ETag"] != etag
    assert updated["Distribution"]["Status"] == "InProgress"
    assert cloudfront.get_distribution(Id=distribution_id)["Distribution"]["Status"] == "InProgress"
    assert cloudfront.get_distribution(Id=distribution_id)["ETag"] == updated["ETag"]
    old_etag, etag = etag, updated["ETag"]

    deploy_delay(0)
    assert cloudfront.get_distribution(Id=distribution_id)["Distribution"]["Status"] == "Deployed"
    error, status = _error(cloudfront.delete_distribution, Id=distribution_id, IfMatch=etag)
    assert (error["Code"], status) == ("DistributionNotDisabled", 409)

    deploy_delay(60)
    disabled = cloudfront.update_distribution(
        Id=distribution_id, DistributionConfig={**changed, "Enabled": False}, IfMatch=etag
    )
    etag = disabled["ETag"]
    error, status = _error(cloudfront.delete_distribution, Id=distribution_id, IfMatch=etag)
    assert (error["Code"], status) == ("DistributionNotDisabled", 409)  # still InProgress

    deploy_delay(0)
    assert cloudfront.get_distribution(Id=distribution_id)["Distribution"]["Status"] == "Deployed"
    error, status = _error(cloudfront.delete_distribution, Id=distribution_id, IfMatch=old_etag)
    assert (error["Code"], status) == ("PreconditionFailed", 412)
    cloudfront.delete_distribution(Id=distribution_id, IfMatch=etag)
    error, status = _error(cloudfront.get_distribution, Id=distribution_id)
    assert (error["Code"], status) == ("NoSuchDistribution", 404)


def test_cloudfront_viewer_certificate(emulator):
    """cloudfront_viewer_certificate: ACM and default certificates described as AWS does; ACM outside us-east-1 and
    aliases with the default certificate are InvalidViewerCertificate."""
    cloudfront = emulator.client("cloudfront")
    acm = {"ACMCertificateArn": ACM_ARN, "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
    created = cloudfront.create_distribution(
        DistributionConfig=_distribution_config(
            Aliases={"Quantity": 1, "Items": ["www.example.com"]}, ViewerCertificate=acm
        )
    )
    certificate = cloudfront.get_distribution_config(Id=created["Distribution"]["Id"])["DistributionConfig"][
        "ViewerCertificate"
    ]
    assert certificate == {
        **acm,
        "CloudFrontDefaultCertificate": False,
        "Certificate": ACM_ARN,
        "CertificateSource": "acm",
    }
    assert created["Distribution"]["DistributionConfig"]["ViewerCertificate"] == certificate

    default = cloudfront.create_distribution(
        DistributionConfig=_distribution_config(ViewerCertificate={"CloudFrontDefaultCertificate": True})
    )
    assert default["Distribution"]["DistributionConfig"]["ViewerCertificate"] == {
        "CloudFrontDefaultCertificate": True,
        "MinimumProtocolVersion": "TLSv1",
        "CertificateSource": "cloudfront",
    }

    elsewhere = {**acm, "ACMCertificateArn": ACM_ARN.replace("us-east-1", "eu-west-1")}
    error, status = _error(
        cloudfront.create_distribution, DistributionConfig=_distribution_config(ViewerCertificate=elsewhere)
    )
    assert (error["Code"], status) == ("InvalidViewerCertificate", 400)
    assert "isn't in us-east-1 region" in error["Message"]

    error, status = _error(
        cloudfront.create_distribution,
        DistributionConfig=_distribution_config(
            Aliases={"Quantity": 1, "Items": ["www.example.com"]},
            ViewerCertificate={"CloudFrontDefaultCertificate": True},
        ),
    )
    assert (error["Code"], status) == ("InvalidViewerCertificate", 400)
    assert error["Message"].startswith("To add an alternate domain name (CNAME) to a CloudFront distribution")


def test_cloudfront_distribution_config_round_trip(emulator):
    """cloudfront_cache_behavior_policy_fields: GetDistributionConfig returns the behaviors as sent (no ForwardedValues
    or TTLs next to a CachePolicyId, no CachePolicyId on a legacy behavior); other fields and the tags round-trip."""
    cloudfront = emulator.client("cloudfront")
    # The log bucket (ACLs enabled) and the web ACL must exist (cloudfront_logging_bucket, cloudfront_web_acl_id).
    log_bucket = f"logs-{uuid.uuid4().hex[:8]}"
    s3 = emulator.client("s3")
    s3.create_bucket(Bucket=log_bucket)
    s3.put_bucket_ownership_controls(Bucket=log_bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
    web_acl = emulator.client("wafv2").create_web_acl(
        Name=f"atelier-{uuid.uuid4().hex[:8]}", Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, Rules=[],
        VisibilityConfig={"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "atelier"},
    )["Summary"]["ARN"]
    origin = {
        "Id": "app",
        "DomainName": "app.example.com",
        "OriginPath": "",
        "CustomHeaders": {"Quantity": 1, "Items": [{"HeaderName": "X-Origin-Secret", "HeaderValue": "s3cret"}]},
        "CustomOriginConfig": {
            "HTTPPort": 8080,
            "HTTPSPort": 8443,
            "OriginProtocolPolicy": "https-only",
            "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
            "OriginReadTimeout": 45,
            "OriginKeepaliveTimeout": 10,
        },
    }
    all_methods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    default_behavior = _behavior(
        AllowedMethods={
            "Quantity": 7,
            "Items": all_methods,
            "CachedMethods": {"Quantity": 3, "Items": ["GET", "HEAD", "OPTIONS"]},
        },
        Compress=False,
        CachePolicyId=CACHING_OPTIMIZED,
        OriginRequestPolicyId=ALL_VIEWER,
    )
    api_behavior = _behavior(
        PathPattern="/api/*",
        ViewerProtocolPolicy="https-only",
        CachePolicyId=CACHING_DISABLED,
        OriginRequestPolicyId=ALL_VIEWER_EXCEPT_HOST,
    )
    config = _distribution_config(
        Aliases={"Quantity": 1, "Items": ["www.example.com"]},
        Origins={"Quantity": 1, "Items": [origin]},
        DefaultCacheBehavior=default_behavior,
        CacheBehaviors={"Quantity": 1, "Items": [api_behavior]},
        Logging={"Enabled": True, "IncludeCookies": False, "Bucket": f"{log_bucket}.s3.amazonaws.com", "Prefix": "cf/"},
        PriceClass="PriceClass_100",
        ViewerCertificate={
            "ACMCertificateArn": ACM_ARN,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
        WebACLId=web_acl,
        HttpVersion="http2and3",
        IsIPV6Enabled=False,
    )
    tags = [{"Key": "team", "Value": "web"}, {"Key": "env", "Value": "test"}]
    created = cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": tags}}
    )["Distribution"]
    returned = cloudfront.get_distribution_config(Id=created["Id"])["DistributionConfig"]

    def sent_keys(sent: dict, got: dict) -> dict:
        return {key: got.get(key) for key in sent}

    got_origin = returned["Origins"]["Items"][0]
    assert sent_keys(origin, got_origin) == origin
    got_default = returned["DefaultCacheBehavior"]
    assert sent_keys(default_behavior, got_default) == default_behavior
    got_api = returned["CacheBehaviors"]["Items"][0]
    assert sent_keys(api_behavior, got_api) == api_behavior
    for behavior in (got_default, got_api):
        assert not {"ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"} & set(behavior), behavior
    for key in ("Aliases", "Comment", "Enabled", "Logging", "PriceClass", "WebACLId", "HttpVersion", "IsIPV6Enabled"):
        assert returned[key] == config[key], key
    assert returned["CacheBehaviors"]["Quantity"] == 1
    tagged = cloudfront.list_tags_for_resource(Resource=created["ARN"])["Tags"]["Items"]
    assert sorted(tagged, key=lambda tag: tag["Key"]) == sorted(tags, key=lambda tag: tag["Key"])

    legacy = _behavior(
        ForwardedValues={"QueryString": True, "Cookies": {"Forward": "none"}}, MinTTL=0, DefaultTTL=300, MaxTTL=600
    )
    legacy_created = cloudfront.create_distribution(
        DistributionConfig=_distribution_config(DefaultCacheBehavior=legacy)
    )
    got_legacy = cloudfront.get_distribution_config(Id=legacy_created["Distribution"]["Id"])["DistributionConfig"][
        "DefaultCacheBehavior"
    ]
    assert sent_keys(legacy, got_legacy) == legacy
    assert "CachePolicyId" not in got_legacy and "OriginRequestPolicyId" not in got_legacy


def test_cloudfront_distribution_caller_reference(emulator):
    """cloudfront_distribution_caller_reference: CreateDistribution again with the same CallerReference and
    configuration answers the first distribution; the same reference with another configuration is
    DistributionAlreadyExists (409)."""
    cloudfront = emulator.client("cloudfront")
    config = _distribution_config(Comment=_name("retried"))
    request = {"DistributionConfig": config, "Tags": {"Items": [{"Key": "Name", "Value": config["Comment"]}]}}

    first = cloudfront.create_distribution_with_tags(DistributionConfigWithTags=request)["Distribution"]
    retried = cloudfront.create_distribution_with_tags(DistributionConfigWithTags=request)["Distribution"]

    assert retried["Id"] == first["Id"]
    listed = cloudfront.list_distributions()["DistributionList"]["Items"]
    assert [d["Id"] for d in listed if d["Comment"] == config["Comment"]] == [first["Id"]]
    error, status = _error(
        cloudfront.create_distribution, DistributionConfig=dict(config, Comment=config["Comment"] + "-other")
    )
    assert (error["Code"], status) == ("DistributionAlreadyExists", 409)
