# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The CloudFront distribution configuration, without AWS: AWS's managed policies, the checks of
atelier.infra.cloudfront_distribution's options, the DistributionConfig built from them and the
normalised, order-insensitive view the module compares.

The normalised view holds only what the module manages. AWS fills in fields nobody set
(ForwardedValues defaults, OriginShield, FunctionAssociations, ...) and returns lists in its own
order; comparing whole configurations, as community.aws.cloudfront_distribution does, reports a
change on every run.

No boto3 or amazon.aws import here: the tier filters (plugins/filter/tiers.py) check tiers with
these functions on the controller, where every import costs each task's worker.
"""

import hashlib
import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

# AWS's managed policies, by the name the console and ListCachePolicies(Type=managed) show.
# The IDs are fixed and documented:
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
MANAGED_CACHE_POLICIES = {
    "Managed-Amplify": "2e54312d-136d-493c-8eb9-b001f22f67d2",
    "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    "Managed-CachingOptimizedForUncompressedObjects": "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
    "Managed-Elemental-MediaPackage": "08627262-05a9-4f76-9ded-b50ca2e3a84f",
    "UseOriginCacheControlHeaders": "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
    "UseOriginCacheControlHeaders-QueryStrings": "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
}
MANAGED_ORIGIN_REQUEST_POLICIES = {
    "Managed-AllViewer": "216adef6-5c7f-47e4-b989-5492eafa07d3",
    "Managed-AllViewerAndCloudFrontHeaders-2022-06": "33f36d7e-f396-46d9-90e0-52428a34d9dc",
    "Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    "Managed-CORS-CustomOrigin": "59781a5b-3903-41f3-afcb-af62929ccde1",
    "Managed-CORS-S3Origin": "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
    "Managed-Elemental-MediaTailor-PersonalizedManifests": "775133bc-15f2-49f9-abea-afb2e0bf67d2",
    "Managed-UserAgentRefererHeaders": "acba4595-bd28-49b8-b9fe-13317c0390fa",
}
MANAGED_POLICIES = {"cache": MANAGED_CACHE_POLICIES, "origin_request": MANAGED_ORIGIN_REQUEST_POLICIES}
POLICY_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# The only method sets CloudFront accepts (AllowedMethods and CachedMethods).
ALLOWED_METHODS = (
    ("GET", "HEAD"),
    ("GET", "HEAD", "OPTIONS"),
    ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"),
)
CACHED_METHODS = (("GET", "HEAD"), ("GET", "HEAD", "OPTIONS"))
CERTIFICATE_REGION = "us-east-1"
ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:(?P<region>[a-z0-9-]+):\d{12}:certificate/.+$")

# ---------------------------------------------------------------- checks


def certificate_region(arn: str) -> Optional[str]:
    match = ACM_ARN.match(arn or "")
    return match.group("region") if match else None


def policy_reference_errors(kind: str, value: Optional[str], where: str) -> List[str]:
    """Errors for a policy given by name or ID that can be told without asking AWS."""
    if not value:
        return []
    managed = MANAGED_POLICIES[kind]
    if value.startswith("Managed-") and value not in managed:
        label = "cache" if kind == "cache" else "origin request"
        return [
            f"{where}: unknown managed {label} policy {value!r}; managed {label} policies are: "
            f"{', '.join(sorted(managed))} (give a policy ID for a newer one)"
        ]
    return []


def behavior_errors(behavior: Dict[str, Any], where: str, origin_ids: List[str]) -> List[str]:
    errors = []
    if "path_pattern" in behavior:
        pattern = behavior.get("path_pattern") or ""
        if not pattern or pattern[0] not in "/*":
            errors.append(f"{where}: path_pattern {pattern!r} must start with / or *")
    if origin_ids is not None and behavior.get("origin_id") not in origin_ids:
        errors.append(f"{where}: origin_id {behavior.get('origin_id')!r} is not one of the origins ({', '.join(origin_ids)})")
    allowed = tuple(sorted(m.upper() for m in behavior.get("allowed_methods") or []))
    if allowed not in [tuple(sorted(s)) for s in ALLOWED_METHODS]:
        errors.append(
            f"{where}: allowed_methods {list(behavior.get('allowed_methods') or [])} is not one of the sets CloudFront accepts: "
            "[GET, HEAD], [GET, HEAD, OPTIONS] or all seven methods"
        )
    cached = tuple(sorted(m.upper() for m in behavior.get("cached_methods") or []))
    if cached not in CACHED_METHODS:
        errors.append(f"{where}: cached_methods must be [GET, HEAD] or [GET, HEAD, OPTIONS]")
    elif not set(cached) <= set(allowed):
        errors.append(f"{where}: cached_methods must be a subset of allowed_methods")
    if not behavior.get("cache_policy"):
        errors.append(f"{where}: cache_policy is required (a managed policy name, a custom policy name or an ID)")
    errors.extend(policy_reference_errors("cache", behavior.get("cache_policy"), where))
    errors.extend(policy_reference_errors("origin_request", behavior.get("origin_request_policy"), where))
    return errors


def option_errors(params: Dict[str, Any]) -> List[str]:
    """Every error in the module's options that can be found without an AWS call."""
    errors = []
    origins = params.get("origins") or []
    origin_ids = [origin["id"] for origin in origins]
    if len(set(origin_ids)) != len(origin_ids):
        errors.append("origins: origin ids must be unique")
    if params.get("default_behavior"):
        errors.extend(behavior_errors(params["default_behavior"], "default_behavior", origin_ids))
    patterns = []
    for index, behavior in enumerate(params.get("behaviors") or []):
        errors.extend(behavior_errors(behavior, f"behaviors[{index}]", origin_ids))
        patterns.append(behavior.get("path_pattern"))
    if len(set(patterns)) != len(patterns):
        errors.append("behaviors: path patterns must be unique")
    certificate = params.get("certificate_arn")
    if params.get("aliases") and not certificate:
        errors.append("aliases need certificate_arn: an ACM certificate in us-east-1 that covers every alias")
    if certificate:
        region = certificate_region(certificate)
        if region is None:
            errors.append(f"certificate_arn {certificate!r} is not an ACM certificate ARN")
        elif region != CERTIFICATE_REGION:
            errors.append(
                f"certificate_arn is in {region}: CloudFront only uses ACM certificates from {CERTIFICATE_REGION}"
            )
    for index, origin in enumerate(origins):
        if origin.get("origin_access_control_id") and origin.get("type", "custom") != "s3":
            errors.append(f"origins[{index}]: origin_access_control_id needs type s3")
    for index, response in enumerate(params.get("custom_error_responses") or []):
        page = response.get("response_page_path")
        if page and not page.startswith("/"):
            errors.append(f"custom_error_responses[{index}]: response_page_path {page!r} must start with /")
        if response.get("response_code") and not page:
            errors.append(f"custom_error_responses[{index}]: response_code needs response_page_path")
    codes = [r.get("error_code") for r in params.get("custom_error_responses") or []]
    if len(set(codes)) != len(codes):
        errors.append("custom_error_responses: error codes must be unique")
    logging = params.get("logging") or {}
    if logging.get("bucket") and not logging["bucket"].endswith(".s3.amazonaws.com"):
        errors.append("logging.bucket must be the bucket's domain name, <bucket>.s3.amazonaws.com")
    return errors


# ---------------------------------------------------------------- configuration


def _items(values: List[Any]) -> Dict[str, Any]:
    values = list(values)
    result = {"Quantity": len(values)}
    if values:
        result["Items"] = values
    return result


def header_digest(value: str) -> str:
    """A header value as the normalised view shows it: compared exactly, never printed."""
    return "sha256:" + hashlib.sha256((value or "").encode("utf-8")).hexdigest()[:16]


def build_origin(origin: Dict[str, Any]) -> Dict[str, Any]:
    headers = origin.get("custom_headers") or {}
    result = {
        "Id": origin["id"],
        "DomainName": origin["domain_name"],
        "OriginPath": origin.get("origin_path") or "",
        "CustomHeaders": _items([{"HeaderName": k, "HeaderValue": v} for k, v in sorted(headers.items())]),
        "ConnectionAttempts": origin["connection_attempts"],
        "ConnectionTimeout": origin["connection_timeout"],
        "OriginShield": {"Enabled": False},
        "OriginAccessControlId": origin.get("origin_access_control_id") or "",
    }
    if origin.get("type") == "s3":
        # With an origin access control the (legacy) origin access identity must be empty.
        result["S3OriginConfig"] = {"OriginAccessIdentity": ""}
        return result
    result["CustomOriginConfig"] = {
        "HTTPPort": origin["http_port"],
        "HTTPSPort": origin["https_port"],
        "OriginProtocolPolicy": origin["protocol_policy"],
        "OriginSslProtocols": _items(sorted(origin["ssl_protocols"])),
        "OriginReadTimeout": origin["read_timeout"],
        "OriginKeepaliveTimeout": origin["keepalive_timeout"],
    }
    return result


def build_error_responses(responses: List[Dict[str, Any]]) -> Dict[str, Any]:
    items = []
    for response in sorted(responses, key=lambda r: r["error_code"]):
        item = {"ErrorCode": response["error_code"], "ErrorCachingMinTTL": response["error_caching_min_ttl"]}
        if response.get("response_page_path"):
            item["ResponsePagePath"] = response["response_page_path"]
            item["ResponseCode"] = str(response.get("response_code") or response["error_code"])
        items.append(item)
    return _items(items)


def build_behavior(behavior: Dict[str, Any], policy_ids: Dict[Tuple[str, str], str]) -> Dict[str, Any]:
    allowed = sorted(m.upper() for m in behavior["allowed_methods"])
    cached = sorted(m.upper() for m in behavior["cached_methods"])
    result = {
        "TargetOriginId": behavior["origin_id"],
        "ViewerProtocolPolicy": behavior["viewer_protocol_policy"],
        "AllowedMethods": dict(_items(allowed), CachedMethods=_items(cached)),
        "Compress": behavior["compress"],
        "CachePolicyId": policy_ids[("cache", behavior["cache_policy"])],
        "SmoothStreaming": False,
        "FieldLevelEncryptionId": "",
        "LambdaFunctionAssociations": {"Quantity": 0},
        "FunctionAssociations": {"Quantity": 0},
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "TrustedKeyGroups": {"Enabled": False, "Quantity": 0},
    }
    if behavior.get("origin_request_policy"):
        result["OriginRequestPolicyId"] = policy_ids[("origin_request", behavior["origin_request_policy"])]
    if behavior.get("response_headers_policy_id"):
        result["ResponseHeadersPolicyId"] = behavior["response_headers_policy_id"]
    if behavior.get("path_pattern"):
        result = dict(PathPattern=behavior["path_pattern"], **result)
    return result


def build_config(params: Dict[str, Any], policy_ids: Dict[Tuple[str, str], str]) -> Dict[str, Any]:
    """The DistributionConfig fields the module manages, in the API's shape."""
    certificate = params.get("certificate_arn")
    if certificate:
        viewer_certificate = {
            "CloudFrontDefaultCertificate": False,
            "ACMCertificateArn": certificate,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": params["minimum_protocol_version"],
        }
    else:
        viewer_certificate = {"CloudFrontDefaultCertificate": True}
    logging = params.get("logging") or {}
    config = {
        "Comment": params["name"],
        "Enabled": params["enabled"],
        "Aliases": _items(sorted(a.lower() for a in params.get("aliases") or [])),
        "Origins": _items([build_origin(o) for o in params["origins"]]),
        "DefaultCacheBehavior": build_behavior(params["default_behavior"], policy_ids),
        "CacheBehaviors": _items([build_behavior(b, policy_ids) for b in params.get("behaviors") or []]),
        "PriceClass": params["price_class"],
        "HttpVersion": params["http_version"],
        "IsIPV6Enabled": params["ipv6"],
        "WebACLId": params.get("web_acl_id") or "",
        "DefaultRootObject": params.get("default_root_object") or "",
        "ViewerCertificate": viewer_certificate,
        "Logging": {
            "Enabled": bool(logging.get("bucket")),
            "IncludeCookies": bool(logging.get("include_cookies")),
            "Bucket": logging.get("bucket") or "",
            "Prefix": logging.get("prefix") or "",
        },
    }
    if params.get("custom_error_responses") is not None:
        config["CustomErrorResponses"] = build_error_responses(params["custom_error_responses"])
    return config


def merge_config(current: Optional[Dict[str, Any]], managed: Dict[str, Any], caller_reference: str) -> Dict[str, Any]:
    """The whole DistributionConfig to send: what the module manages over what the distribution has.

    UpdateDistribution replaces the whole configuration, so the fields the module does not manage
    (geo restrictions, origin groups, custom error responses when not given, ...) are carried over
    as they are.
    """
    config = dict(current or {})
    config.setdefault("CallerReference", caller_reference)
    config.setdefault("Restrictions", {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}})
    config.update(managed)
    return config


def _quantity_items(field: Optional[Dict[str, Any]]) -> List[Any]:
    return list((field or {}).get("Items") or [])


def _normalise_behavior(behavior: Dict[str, Any]) -> Dict[str, Any]:
    methods = behavior.get("AllowedMethods") or {}
    result = {
        "origin_id": behavior.get("TargetOriginId"),
        "viewer_protocol_policy": behavior.get("ViewerProtocolPolicy"),
        "allowed_methods": sorted(m.upper() for m in _quantity_items(methods) or ["GET", "HEAD"]),
        "cached_methods": sorted(m.upper() for m in _quantity_items(methods.get("CachedMethods")) or ["GET", "HEAD"]),
        "compress": bool(behavior.get("Compress")),
        "cache_policy_id": behavior.get("CachePolicyId") or "",
        "origin_request_policy_id": behavior.get("OriginRequestPolicyId") or "",
        "response_headers_policy_id": behavior.get("ResponseHeadersPolicyId") or "",
        "function_associations": len(_quantity_items(behavior.get("FunctionAssociations"))),
        "lambda_function_associations": len(_quantity_items(behavior.get("LambdaFunctionAssociations"))),
    }
    if "PathPattern" in behavior:
        result = dict(path_pattern=behavior["PathPattern"], **result)
    return result


def _normalise_origin(origin: Dict[str, Any]) -> Dict[str, Any]:
    headers = {h["HeaderName"].lower(): header_digest(h["HeaderValue"]) for h in _quantity_items(origin.get("CustomHeaders"))}
    common = {
        "id": origin.get("Id"),
        "domain_name": (origin.get("DomainName") or "").lower(),
        "origin_path": origin.get("OriginPath") or "",
        "connection_attempts": origin.get("ConnectionAttempts", 3),
        "connection_timeout": origin.get("ConnectionTimeout", 10),
        "custom_headers": dict(sorted(headers.items())),
    }
    if "S3OriginConfig" in origin and "CustomOriginConfig" not in origin:
        return dict(
            common,
            type="s3",
            origin_access_control_id=origin.get("OriginAccessControlId") or "",
            origin_access_identity=(origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or "",
        )
    custom = origin.get("CustomOriginConfig") or {}
    return dict(
        common,
        protocol_policy=custom.get("OriginProtocolPolicy"),
        http_port=custom.get("HTTPPort"),
        https_port=custom.get("HTTPSPort"),
        ssl_protocols=sorted(_quantity_items(custom.get("OriginSslProtocols"))),
        read_timeout=custom.get("OriginReadTimeout", 30),
        keepalive_timeout=custom.get("OriginKeepaliveTimeout", 5),
    )


def _normalise_error_responses(field: Optional[Dict[str, Any]]) -> List[Dict[str, Any]]:
    responses = []
    for item in _quantity_items(field):
        response = {"error_code": int(item["ErrorCode"]), "error_caching_min_ttl": int(item.get("ErrorCachingMinTTL", 10))}
        if item.get("ResponsePagePath"):
            response["response_page_path"] = item["ResponsePagePath"]
            response["response_code"] = int(item.get("ResponseCode") or item["ErrorCode"])
        responses.append(response)
    return sorted(responses, key=lambda r: r["error_code"])


def normalise_config(config: Dict[str, Any]) -> Dict[str, Any]:
    """The managed part of a DistributionConfig as a comparable, printable dict.

    Sets (aliases, origins, methods, SSL protocols, headers) are sorted; cache behaviours keep their
    order, which is their precedence. Custom header values appear as digests.
    """
    certificate = config.get("ViewerCertificate") or {}
    if certificate.get("ACMCertificateArn"):
        viewer_certificate = {
            "acm_certificate_arn": certificate["ACMCertificateArn"],
            "ssl_support_method": certificate.get("SSLSupportMethod"),
            "minimum_protocol_version": certificate.get("MinimumProtocolVersion"),
        }
    else:
        viewer_certificate = {"cloudfront_default_certificate": True}
    logging = config.get("Logging") or {}
    if logging.get("Enabled"):
        logging_view = {
            "bucket": logging.get("Bucket"),
            "prefix": logging.get("Prefix") or "",
            "include_cookies": bool(logging.get("IncludeCookies")),
        }
    else:
        logging_view = {}
    return {
        "comment": config.get("Comment") or "",
        "enabled": bool(config.get("Enabled")),
        "aliases": sorted(a.lower() for a in _quantity_items(config.get("Aliases"))),
        "origins": sorted((_normalise_origin(o) for o in _quantity_items(config.get("Origins"))), key=lambda o: o["id"]),
        "default_behavior": _normalise_behavior(config.get("DefaultCacheBehavior") or {}),
        "behaviors": [_normalise_behavior(b) for b in _quantity_items(config.get("CacheBehaviors"))],
        "price_class": config.get("PriceClass"),
        "http_version": config.get("HttpVersion"),
        "ipv6": bool(config.get("IsIPV6Enabled")),
        "web_acl_id": config.get("WebACLId") or "",
        "default_root_object": config.get("DefaultRootObject") or "",
        "viewer_certificate": viewer_certificate,
        "logging": logging_view,
        "custom_error_responses": _normalise_error_responses(config.get("CustomErrorResponses")),
    }


def config_differences(before: Dict[str, Any], after: Dict[str, Any]) -> List[str]:
    """The top-level keys of two normalised configurations that differ, in a stable order."""
    return [key for key in after if before.get(key) != after.get(key)]
