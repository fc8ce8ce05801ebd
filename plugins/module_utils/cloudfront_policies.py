# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
CloudFront custom cache policies and origin request policies, for atelier.infra.cloudfront_policy.

The boto3 wrappers are one call each, with amazon.aws' retry decorator and an error handler that
turns botocore exceptions into AnsibleCloudFrontPolicyError (the pattern of amazon.aws
module_utils/ec2.py). ListCachePolicies and ListOriginRequestPolicies have no botocore
paginator: list_custom_policies() follows Marker / NextMarker itself.

The pure functions validate the module's options, build the API configuration from them and
reduce a policy to the normalised, snake_case view the module compares, returns and diffs.
"""

import re
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

CACHE = "cache"
ORIGIN_REQUEST = "origin_request"
POLICY_TYPES = (CACHE, ORIGIN_REQUEST)

# The three parameter groups, as (option name, API config key, API behaviour key, API list key).
PARAMETER_GROUPS = (
    ("headers", "HeadersConfig", "HeaderBehavior", "Headers"),
    ("cookies", "CookiesConfig", "CookieBehavior", "Cookies"),
    ("query_strings", "QueryStringsConfig", "QueryStringBehavior", "QueryStrings"),
)

# The behaviours the CloudFront API accepts (CachePolicy*Behavior / OriginRequestPolicy*Behavior).
BEHAVIORS = {
    CACHE: {
        "headers": ("none", "whitelist"),
        "cookies": ("none", "whitelist", "allExcept", "all"),
        "query_strings": ("none", "whitelist", "allExcept", "all"),
    },
    ORIGIN_REQUEST: {
        "headers": ("none", "whitelist", "allViewer", "allViewerAndWhitelistCloudFront", "allExcept"),
        "cookies": ("none", "whitelist", "all", "allExcept"),
        "query_strings": ("none", "whitelist", "all", "allExcept"),
    },
}
# Behaviours that act on a list of names, and those that take none.
BEHAVIORS_WITH_ITEMS = ("whitelist", "allExcept", "allViewerAndWhitelistCloudFront")
BEHAVIORS_WITHOUT_ITEMS = ("none", "all", "allViewer")

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
COMMENT_MAX_LENGTH = 128

# The cache policy options that only make sense for type=cache, and their defaults.
CACHE_DEFAULTS = {
    "default_ttl": 86400,
    "min_ttl": 1,
    "max_ttl": 31536000,
    "enable_accept_encoding_gzip": True,
    "enable_accept_encoding_brotli": True,
}
TTL_OPTIONS = ("default_ttl", "min_ttl", "max_ttl")

# What AWS assumes when a field is left out of a cache policy configuration.
API_CACHE_DEFAULTS = {"DefaultTTL": 86400, "MaxTTL": 31536000}

NOT_FOUND_CODES = ["NoSuchCachePolicy", "NoSuchOriginRequestPolicy"]
IN_USE_CODES = ["CachePolicyInUse", "OriginRequestPolicyInUse"]


class AnsibleCloudFrontPolicyError(AnsibleAWSError):
    pass


class CloudFrontPolicyErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudFrontPolicyError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NOT_FOUND_CODES)


# ---------------------------------------------------------------- boto3 wrappers, one call each


@CloudFrontPolicyErrorHandler.common_error_handler("list cache policies")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_cache_policies(client, **params: Any) -> Dict[str, Any]:
    return client.list_cache_policies(**params)["CachePolicyList"]


@CloudFrontPolicyErrorHandler.common_error_handler("list origin request policies")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_origin_request_policies(client, **params: Any) -> Dict[str, Any]:
    return client.list_origin_request_policies(**params)["OriginRequestPolicyList"]


@CloudFrontPolicyErrorHandler.list_error_handler("get cache policy", (None, None))
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_cache_policy(client, policy_id: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    response = client.get_cache_policy(Id=policy_id)
    return response["CachePolicy"], response["ETag"]


@CloudFrontPolicyErrorHandler.list_error_handler("get origin request policy", (None, None))
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_origin_request_policy(client, policy_id: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    response = client.get_origin_request_policy(Id=policy_id)
    return response["OriginRequestPolicy"], response["ETag"]


@CloudFrontPolicyErrorHandler.common_error_handler("create cache policy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_cache_policy(client, config: Dict[str, Any]) -> Tuple[Dict[str, Any], str]:
    response = client.create_cache_policy(CachePolicyConfig=config)
    return response["CachePolicy"], response["ETag"]


@CloudFrontPolicyErrorHandler.common_error_handler("create origin request policy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_origin_request_policy(client, config: Dict[str, Any]) -> Tuple[Dict[str, Any], str]:
    response = client.create_origin_request_policy(OriginRequestPolicyConfig=config)
    return response["OriginRequestPolicy"], response["ETag"]


@CloudFrontPolicyErrorHandler.common_error_handler("update cache policy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def update_cache_policy(client, policy_id: str, config: Dict[str, Any], etag: str) -> Tuple[Dict[str, Any], str]:
    response = client.update_cache_policy(Id=policy_id, IfMatch=etag, CachePolicyConfig=config)
    return response["CachePolicy"], response["ETag"]


@CloudFrontPolicyErrorHandler.common_error_handler("update origin request policy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def update_origin_request_policy(
    client, policy_id: str, config: Dict[str, Any], etag: str
) -> Tuple[Dict[str, Any], str]:
    response = client.update_origin_request_policy(Id=policy_id, IfMatch=etag, OriginRequestPolicyConfig=config)
    return response["OriginRequestPolicy"], response["ETag"]


@CloudFrontPolicyErrorHandler.deletion_error_handler("delete cache policy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_cache_policy(client, policy_id: str, etag: str) -> bool:
    client.delete_cache_policy(Id=policy_id, IfMatch=etag)
    return True


@CloudFrontPolicyErrorHandler.deletion_error_handler("delete origin request policy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_origin_request_policy(client, policy_id: str, etag: str) -> bool:
    client.delete_origin_request_policy(Id=policy_id, IfMatch=etag)
    return True


# ------------------------------------------------------------------ one interface for both types

# type -> (list wrapper, key of a summary's policy, key of the policy's configuration)
_LIST = {
    CACHE: (list_cache_policies, "CachePolicy", "CachePolicyConfig"),
    ORIGIN_REQUEST: (list_origin_request_policies, "OriginRequestPolicy", "OriginRequestPolicyConfig"),
}
_GET = {CACHE: get_cache_policy, ORIGIN_REQUEST: get_origin_request_policy}
_CREATE = {CACHE: create_cache_policy, ORIGIN_REQUEST: create_origin_request_policy}
_UPDATE = {CACHE: update_cache_policy, ORIGIN_REQUEST: update_origin_request_policy}
_DELETE = {CACHE: delete_cache_policy, ORIGIN_REQUEST: delete_origin_request_policy}


def config_key(policy_type: str) -> str:
    return _LIST[policy_type][2]


def list_custom_policies(client, policy_type: str) -> List[Dict[str, Any]]:
    """Every custom policy of the type (CachePolicy / OriginRequestPolicy dicts), all pages."""
    list_page, policy_key, _config_key = _LIST[policy_type]
    policies = []
    params = {"Type": "custom"}
    while True:
        page = list_page(client, **params)
        policies.extend(item[policy_key] for item in page.get("Items") or [])
        marker = page.get("NextMarker")
        if not marker or marker == params.get("Marker"):
            return policies
        params["Marker"] = marker


def custom_policy_ids(client, policy_type: str) -> Dict[str, str]:
    """{name: ID} of the custom policies of the type (atelier.infra.cloudfront_distribution resolves names with it)."""
    return {policy[config_key(policy_type)]["Name"]: policy["Id"] for policy in list_custom_policies(client, policy_type)}


def find_policy(client, policy_type: str, name: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """The custom policy called name and its ETag, or (None, None)."""
    for policy in list_custom_policies(client, policy_type):
        if policy.get(config_key(policy_type), {}).get("Name") == name:
            return get_policy(client, policy_type, policy["Id"])
    return None, None


def get_policy(client, policy_type: str, policy_id: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    return _GET[policy_type](client, policy_id)


def create_policy(client, policy_type: str, config: Dict[str, Any]) -> Tuple[Dict[str, Any], str]:
    return _CREATE[policy_type](client, config)


def update_policy(
    client, policy_type: str, policy_id: str, config: Dict[str, Any], etag: str
) -> Tuple[Dict[str, Any], str]:
    return _UPDATE[policy_type](client, policy_id, config, etag)


def delete_policy(client, policy_type: str, policy_id: str, etag: str) -> bool:
    return _DELETE[policy_type](client, policy_id, etag)


# ------------------------------------------------------------------------------ pure functions


def validation_errors(params: Dict[str, Any]) -> List[str]:
    """Everything wrong with the module's options, checked before any AWS call."""
    errors = []
    policy_type = params["type"]
    name = params["name"]
    if not NAME_PATTERN.match(name or ""):
        errors.append(f"name {name!r} is not valid: use 1 to 128 letters, digits, hyphens (-) and underscores (_).")
    if len(params.get("comment") or "") > COMMENT_MAX_LENGTH:
        errors.append(f"comment is longer than {COMMENT_MAX_LENGTH} characters.")

    for option, _config, _behavior_key, _list_key in PARAMETER_GROUPS:
        group = params.get(option) or {}
        behavior = group.get("behavior") or "none"
        items = group.get("items") or []
        allowed = BEHAVIORS[policy_type][option]
        if behavior not in allowed:
            errors.append(
                f"{option}.behavior {behavior!r} is not valid for type={policy_type}; "
                f"choose one of {', '.join(allowed)}."
            )
        elif behavior in BEHAVIORS_WITH_ITEMS and not items:
            errors.append(f"{option}.items is required when {option}.behavior={behavior}.")
        elif behavior in BEHAVIORS_WITHOUT_ITEMS and items:
            errors.append(f"{option}.items must be empty when {option}.behavior={behavior}.")
        if any(not isinstance(item, str) or not item.strip() for item in items):
            errors.append(f"{option}.items must not contain empty names.")

    cache_options = [key for key in CACHE_DEFAULTS if params.get(key) is not None]
    if policy_type != CACHE:
        if cache_options:
            errors.append(f"{', '.join(cache_options)} can only be set with type=cache.")
        return errors
    ttl = {key: cache_option(params, key) for key in TTL_OPTIONS}
    negative = [key for key in TTL_OPTIONS if ttl[key] < 0]
    if negative:
        errors.append(f"{', '.join(negative)} must not be negative.")
    elif not ttl["min_ttl"] <= ttl["default_ttl"] <= ttl["max_ttl"]:
        errors.append(
            "The TTLs must satisfy min_ttl <= default_ttl <= max_ttl "
            f"(got min_ttl={ttl['min_ttl']}, default_ttl={ttl['default_ttl']}, max_ttl={ttl['max_ttl']})."
        )
    return errors


def cache_option(params: Dict[str, Any], key: str) -> Any:
    value = params.get(key)
    return CACHE_DEFAULTS[key] if value is None else value


def _unique(items: List[str], case_insensitive: bool) -> List[str]:
    """items without duplicates, sorted (case-insensitively for header names)."""
    seen = {}
    for item in items:
        seen.setdefault(item.lower() if case_insensitive else item, item)
    return sorted(seen.values(), key=lambda item: (item.lower(), item) if case_insensitive else item)


def _desired_group(params: Dict[str, Any], option: str) -> Dict[str, Any]:
    group = params.get(option) or {}
    return {
        "behavior": group.get("behavior") or "none",
        "items": _unique(group.get("items") or [], case_insensitive=option == "headers"),
    }


def desired_settings(params: Dict[str, Any]) -> Dict[str, Any]:
    """The normalised configuration the module's options ask for."""
    settings = {"name": params["name"], "comment": params.get("comment") or ""}
    if params["type"] == CACHE:
        settings.update({key: cache_option(params, key) for key in CACHE_DEFAULTS})
    for option, _config, _behavior_key, _list_key in PARAMETER_GROUPS:
        settings[option] = _desired_group(params, option)
    return settings


def _api_group(settings: Dict[str, Any], option: str, behavior_key: str, list_key: str) -> Dict[str, Any]:
    group = settings[option]
    result = {behavior_key: group["behavior"]}
    if group["items"]:
        result[list_key] = {"Quantity": len(group["items"]), "Items": list(group["items"])}
    return result


def build_config(policy_type: str, settings: Dict[str, Any]) -> Dict[str, Any]:
    """The CachePolicyConfig or OriginRequestPolicyConfig for normalised settings."""
    config = {"Name": settings["name"], "Comment": settings["comment"]}
    groups = {
        config_name: _api_group(settings, option, behavior_key, list_key)
        for option, config_name, behavior_key, list_key in PARAMETER_GROUPS
    }
    if policy_type == ORIGIN_REQUEST:
        config.update(groups)
        return config
    config.update(
        DefaultTTL=settings["default_ttl"],
        MinTTL=settings["min_ttl"],
        MaxTTL=settings["max_ttl"],
        ParametersInCacheKeyAndForwardedToOrigin=dict(
            EnableAcceptEncodingGzip=settings["enable_accept_encoding_gzip"],
            EnableAcceptEncodingBrotli=settings["enable_accept_encoding_brotli"],
            **groups,
        ),
    )
    return config


def _normalise_group(config: Dict[str, Any], option: str, behavior_key: str, list_key: str) -> Dict[str, Any]:
    return {
        "behavior": config.get(behavior_key) or "none",
        "items": _unique((config.get(list_key) or {}).get("Items") or [], case_insensitive=option == "headers"),
    }


def normalise_settings(policy_type: str, config: Dict[str, Any]) -> Dict[str, Any]:
    """The snake_case settings of an API configuration, with the defaults AWS applies filled in."""
    settings = {"name": config.get("Name"), "comment": config.get("Comment") or ""}
    groups_parent = config
    if policy_type == CACHE:
        parameters = config.get("ParametersInCacheKeyAndForwardedToOrigin") or {}
        settings.update(
            default_ttl=config.get("DefaultTTL", API_CACHE_DEFAULTS["DefaultTTL"]),
            min_ttl=config.get("MinTTL", 0),
            max_ttl=config.get("MaxTTL", API_CACHE_DEFAULTS["MaxTTL"]),
            enable_accept_encoding_gzip=bool(parameters.get("EnableAcceptEncodingGzip", False)),
            enable_accept_encoding_brotli=bool(parameters.get("EnableAcceptEncodingBrotli", False)),
        )
        groups_parent = parameters
    for option, config_name, behavior_key, list_key in PARAMETER_GROUPS:
        settings[option] = _normalise_group(groups_parent.get(config_name) or {}, option, behavior_key, list_key)
    return settings


def normalise_policy(policy_type: str, policy: Optional[Dict[str, Any]], etag: Optional[str]) -> Dict[str, Any]:
    """A policy as the module returns it; an empty dict stands for 'no policy'."""
    if not policy:
        return {}
    last_modified = policy.get("LastModifiedTime")
    result = {
        "id": policy.get("Id"),
        "type": policy_type,
        "etag": etag,
        "last_modified_time": last_modified.isoformat() if hasattr(last_modified, "isoformat") else last_modified,
    }
    result.update(normalise_settings(policy_type, policy.get(config_key(policy_type)) or {}))
    return result


def comparable(settings: Dict[str, Any]) -> Dict[str, Any]:
    """settings with header names lower-cased: CloudFront treats them case-insensitively."""
    result = dict(settings)
    headers = settings.get("headers")
    if headers:
        result["headers"] = dict(headers, items=sorted(item.lower() for item in headers["items"]))
    return result


def settings_differences(current: Dict[str, Any], desired: Dict[str, Any]) -> List[str]:
    """The settings (top-level keys of desired) whose values differ, order-insensitively."""
    current, desired = comparable(current), comparable(desired)
    return [key for key in desired if current.get(key) != desired[key]]
