"""CloudFront cache policies and origin request policies, managed and custom, and their use by distributions.

AWS (API version 2020-05-31): ``ListCachePolicies`` (``GET /cache-policy``, query ``Type`` ``managed`` | ``custom``,
``Marker``, ``MaxItems``) answers ``CachePolicyList {NextMarker, MaxItems, Quantity, Items: [{Type, CachePolicy: {Id,
LastModifiedTime, CachePolicyConfig}}]}``; ``GetCachePolicy`` / ``GetCachePolicyConfig`` answer the policy (or its
config) and its ``ETag``; ``CreateCachePolicy`` answers 201 with ``ETag`` and ``Location`` headers, or
``CachePolicyAlreadyExists`` (409) when a policy of the account already has the name; ``UpdateCachePolicy`` needs
``IfMatch`` (``If-Match`` header) equal to the current ETag (missing: ``InvalidIfMatchVersion`` 400, other:
``PreconditionFailed`` 412), replaces the whole config and answers a new ETag; ``DeleteCachePolicy`` needs the same
``IfMatch`` and fails with ``CachePolicyInUse`` (409) while a cache behavior of a distribution uses the policy, and
with ``NoSuchCachePolicy`` (404) for an unknown id. The managed policies (AWS's names and ids, below) are in every
account and cannot be updated or deleted. Origin request policies are the same API under ``/origin-request-policy``
(``OriginRequestPolicyAlreadyExists``, ``NoSuchOriginRequestPolicy``, ``OriginRequestPolicyInUse``).
``CreateDistribution``, ``CreateDistributionWithTags`` and ``UpdateDistribution`` fail with ``NoSuchCachePolicy`` /
``NoSuchOriginRequestPolicy`` (404, "The cache policy does not exist." / "The origin request policy does not
exist.") when the default or a path cache behavior names a policy id that does not exist.

moto 5.2.5: moto/cloudfront/urls.py has no ``cache-policy`` / ``origin-request-policy`` routes and
``CloudFrontResponse`` (moto/cloudfront/responses.py) none of the twelve operations (the emulator answers 404), and
``CloudFrontBackend.create_distribution_with_tags`` / ``update_distribution`` (moto/cloudfront/models.py) store any
``CachePolicyId`` / ``OriginRequestPolicyId`` unchecked.

What this addition does: adds the routes to ``moto.cloudfront.urls.url_paths`` (moto's server builds each service's
werkzeug URL map from it when the service's first request arrives, after the additions are applied) and the twelve
operations to ``CloudFrontResponse`` (parameters parsed from the XML by moto's botocore-model parser, answers
serialised with ``ActionResult``); the policies live on the ``CloudFrontBackend`` instance (so ``/moto-api/reset``
drops the custom ones), the managed ones created on first use with the settings of AWS's "Use managed cache
policies" / "Use managed origin request policies" pages. ``create_distribution_with_tags`` and
``update_distribution`` are wrapped to check the policy ids of every cache behavior first. Messages marked "ours"
below are written in AWS's style where we did not find AWS's own: updating a managed policy is ``IllegalUpdate``
(400, ours), deleting one ``AccessDenied`` (403, ours). ``ListCachePolicies`` lists managed policies first, then
custom ones by creation; ``Marker`` is the id of the first policy of the page (``NextMarker`` of the previous one).

References: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListCachePolicies.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateCachePolicy.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateCachePolicy.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DeleteCachePolicy.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateOriginRequestPolicy.html
            https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
            https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
"""

import copy
import threading
import uuid
from datetime import datetime, timezone
from typing import Any

import moto.cloudfront.urls as cloudfront_urls
from moto.cloudfront.exceptions import CloudFrontException, InvalidIfMatchVersion
from moto.cloudfront.models import CloudFrontBackend, random_id
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult

_LOCK = threading.RLock()
_originals: dict = {}
MANAGED_TIME = datetime(2020, 7, 22, 0, 0, 0, tzinfo=timezone.utc)
CLOUDFRONT_HEADERS_2022_06 = [
    "CloudFront-Viewer-Address",
    "CloudFront-Viewer-ASN",
    "CloudFront-Viewer-City",
    "CloudFront-Viewer-Country",
    "CloudFront-Viewer-Country-Name",
    "CloudFront-Viewer-Country-Region",
    "CloudFront-Viewer-Country-Region-Name",
    "CloudFront-Viewer-Header-Count",
    "CloudFront-Viewer-Header-Order",
    "CloudFront-Viewer-Http-Version",
    "CloudFront-Viewer-JA3-Fingerprint",
    "CloudFront-Viewer-Latitude",
    "CloudFront-Viewer-Longitude",
    "CloudFront-Viewer-Metro-Code",
    "CloudFront-Viewer-Postal-Code",
    "CloudFront-Viewer-Time-Zone",
    "CloudFront-Viewer-TLS",
    "CloudFront-Is-Android-Viewer",
    "CloudFront-Is-Desktop-Viewer",
    "CloudFront-Is-IOS-Viewer",
    "CloudFront-Is-Mobile-Viewer",
    "CloudFront-Is-SmartTV-Viewer",
    "CloudFront-Is-Tablet-Viewer",
    "CloudFront-Forwarded-Proto",
]


def _values(kind: str, behavior: str, items: list[str] | None = None) -> dict:
    """A HeadersConfig / CookiesConfig / QueryStringsConfig."""
    key = {"Header": "Headers", "Cookie": "Cookies", "QueryString": "QueryStrings"}[kind]
    config: dict[str, Any] = {f"{kind}Behavior": behavior}
    if items:
        config[key] = {"Quantity": len(items), "Items": list(items)}
    return config


def _cache(name, policy_id, comment, ttl, headers, cookies, query_strings, gzip, brotli) -> tuple[str, dict]:
    min_ttl, default_ttl, max_ttl = ttl
    return policy_id, {
        "Comment": comment,
        "Name": name,
        "DefaultTTL": default_ttl,
        "MaxTTL": max_ttl,
        "MinTTL": min_ttl,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": gzip,
            "EnableAcceptEncodingBrotli": brotli,
            "HeadersConfig": _values("Header", *headers),
            "CookiesConfig": _values("Cookie", *cookies),
            "QueryStringsConfig": _values("QueryString", *query_strings),
        },
    }


def _origin(name, policy_id, comment, headers, cookies, query_strings) -> tuple[str, dict]:
    return policy_id, {
        "Comment": comment,
        "Name": name,
        "HeadersConfig": _values("Header", *headers),
        "CookiesConfig": _values("Cookie", *cookies),
        "QueryStringsConfig": _values("QueryString", *query_strings),
    }


YEAR = 31536000
ORIGIN_CACHE_HEADERS = ["host", "origin", "x-http-method-override", "x-http-method", "x-method-override"]
MANAGED_CACHE_POLICIES = dict(
    [
        _cache(
            "Managed-CachingOptimized", "658327ea-f89d-4fab-a63d-7e88639e58f6",
            "Policy with caching enabled. Supports Gzip and Brotli compression.",
            (1, 86400, YEAR), ("none",), ("none",), ("none",), True, True,
        ),
        _cache(
            "Managed-CachingDisabled", "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "Policy with caching disabled",
            (0, 0, 0), ("none",), ("none",), ("none",), False, False,
        ),
        _cache(
            "Managed-CachingOptimizedForUncompressedObjects", "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
            "Default policy when compression is disabled",
            (1, 86400, YEAR), ("none",), ("none",), ("none",), False, False,
        ),
        _cache(
            "Managed-Elemental-MediaPackage", "08627262-05a9-4f76-9ded-b50ca2e3a84f",
            "Policy for Elemental MediaPackage Origin",
            (0, 86400, YEAR), ("whitelist", ["origin"]), ("none",),
            ("whitelist", ["aws.manifestfilter", "start", "end", "m"]), True, False,
        ),
        _cache(
            "Managed-Amplify", "2e54312d-136d-493c-8eb9-b001f22f67d2", "Policy for Amplify Origin",
            (2, 2, 600), ("whitelist", ["Authorization", "CloudFront-Viewer-Country", "Host"]), ("all",), ("all",),
            True, True,
        ),
        _cache(
            "UseOriginCacheControlHeaders", "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
            "Policy for origins that return Cache-Control headers. Query strings are not included in the cache key.",
            (0, 0, YEAR), ("whitelist", ORIGIN_CACHE_HEADERS), ("all",), ("none",), True, True,
        ),
        _cache(
            "UseOriginCacheControlHeaders-QueryStrings", "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
            "Policy for origins that return Cache-Control headers and serve different content based on values "
            "present in the query string.",
            (0, 0, YEAR), ("whitelist", ORIGIN_CACHE_HEADERS), ("all",), ("all",), True, True,
        ),
    ]
)  # fmt: skip
MANAGED_ORIGIN_REQUEST_POLICIES = dict(
    [
        _origin(
            "Managed-AllViewer", "216adef6-5c7f-47e4-b989-5492eafa07d3",
            "Policy to forward all parameters in viewer requests", ("allViewer",), ("all",), ("all",),
        ),
        _origin(
            "Managed-AllViewerExceptHostHeader", "b689b0a8-53d0-40ab-baf2-68738e2966ac",
            "Policy to forward all parameters in viewer requests except for the Host header",
            ("allExcept", ["host"]), ("all",), ("all",),
        ),
        _origin(
            "Managed-CORS-S3Origin", "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", "Policy for S3 origin with CORS",
            ("whitelist", ["origin", "access-control-request-headers", "access-control-request-method"]),
            ("none",), ("none",),
        ),
        _origin(
            "Managed-CORS-CustomOrigin", "59781a5b-3903-41f3-afcb-af62929ccde1", "Policy for custom origin with CORS",
            ("whitelist", ["origin"]), ("none",), ("none",),
        ),
        _origin(
            "Managed-UserAgentRefererHeaders", "acba4595-bd28-49b8-b9fe-13317c0390fa",
            "Policy to forward user-agent and referer headers",
            ("whitelist", ["user-agent", "referer"]), ("none",), ("all",),
        ),
        _origin(
            "Managed-AllViewerAndCloudFrontHeaders-2022-06", "33f36d7e-f396-46d9-90e0-52428a34d9dc",
            "Policy to forward all parameters in viewer requests and all CloudFront headers as of June 2022",
            ("allViewerAndWhitelistCloudFront", CLOUDFRONT_HEADERS_2022_06), ("all",), ("all",),
        ),
        _origin(
            "Managed-Elemental-MediaTailor-PersonalizedManifests", "775133bc-15f2-49f9-abea-afb2e0bf67d2",
            "Policy for Elemental MediaTailor Personalized Manifests",
            ("whitelist", ["origin", "access-control-request-headers", "x-forwarded-for",
                           "access-control-request-method", "user-agent"]),
            ("none",), ("all",),
        ),
    ]
)  # fmt: skip


class _Error(CloudFrontException):
    def __init__(self, code: str, message: str):
        super().__init__(code, message)


class _Kind:
    """What differs between cache policies and origin request policies."""

    def __init__(self, label: str, prefix: str, path: str, managed: dict, attribute: str):
        self.label = label  # CachePolicy / OriginRequestPolicy
        self.prefix = prefix  # cache / origin request (in messages)
        self.path = path
        self.managed = managed
        self.attribute = attribute
        self.behavior_field = f"{label}Id"
        self.behavior_attribute = "cache_policy_id" if label == "CachePolicy" else "origin_request_policy_id"

    def no_such(self) -> _Error:
        return _Error(f"NoSuch{self.label}", f"The {self.prefix} policy does not exist.")

    def already_exists(self) -> _Error:
        return _Error(
            f"{self.label}AlreadyExists",
            f"A {self.prefix} policy with this name already exists. You must provide a unique name. To modify an "
            f"existing {self.prefix} policy, use Update{self.label}.",
        )

    def in_use(self) -> _Error:
        return _Error(
            f"{self.label}InUse", f"Cannot delete {self.prefix} policy, it is attached to one or more cache behaviors."
        )


CACHE = _Kind("CachePolicy", "cache", "cache-policy", MANAGED_CACHE_POLICIES, "_atelier_cache_policies")
ORIGIN_REQUEST = _Kind(
    "OriginRequestPolicy",
    "origin request",
    "origin-request-policy",
    MANAGED_ORIGIN_REQUEST_POLICIES,
    "_atelier_origin_request_policies",
)


class _Policy:
    def __init__(self, policy_id: str, config: dict, policy_type: str, when: datetime):
        self.id = policy_id
        self.config = config
        self.type = policy_type
        self.last_modified_time = when
        self.etag = random_id()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _store(backend: CloudFrontBackend, kind: _Kind) -> dict[str, _Policy]:
    with _LOCK:
        store = backend.__dict__.get(kind.attribute)
        if store is None:
            store = {
                policy_id: _Policy(policy_id, copy.deepcopy(config), "managed", MANAGED_TIME)
                for policy_id, config in kind.managed.items()
            }
            backend.__dict__[kind.attribute] = store
        return store


def _get(backend: CloudFrontBackend, kind: _Kind, policy_id: str | None) -> _Policy:
    policy = _store(backend, kind).get(policy_id or "")
    if policy is None:
        raise kind.no_such()
    return policy


def _check_if_match(policy: _Policy, if_match: str | None) -> None:
    if not if_match:
        raise InvalidIfMatchVersion
    if if_match != policy.etag:
        raise _Error(
            "PreconditionFailed",
            "The precondition given in one or more of the request-header fields evaluated to false.",
        )


def _normalise(kind: _Kind, config: dict) -> dict:
    config = copy.deepcopy(config or {})
    for key in list(config):
        if config[key] is None:
            del config[key]
    if kind is CACHE:
        min_ttl = int(config.get("MinTTL") or 0)
        config["MinTTL"] = min_ttl
        config.setdefault("DefaultTTL", max(86400, min_ttl))
        config.setdefault("MaxTTL", max(31536000, int(config["DefaultTTL"])))
        parameters = config.get("ParametersInCacheKeyAndForwardedToOrigin") or {}
        parameters.setdefault("EnableAcceptEncodingGzip", False)
        parameters.setdefault("EnableAcceptEncodingBrotli", False)
        config["ParametersInCacheKeyAndForwardedToOrigin"] = _normalise_values(parameters)
        return config
    return _normalise_values(config)


def _normalise_values(config: dict) -> dict:
    for name, behavior_key, items_key in (
        ("HeadersConfig", "HeaderBehavior", "Headers"),
        ("CookiesConfig", "CookieBehavior", "Cookies"),
        ("QueryStringsConfig", "QueryStringBehavior", "QueryStrings"),
    ):
        values = config.get(name) or {behavior_key: "none"}
        listed = values.get(items_key)
        if listed is not None:
            items = listed.get("Items") or []
            values[items_key] = {"Quantity": len(items), "Items": items} if items else {"Quantity": 0}
        config[name] = values
    return config


def _name_taken(backend: CloudFrontBackend, kind: _Kind, name: str, except_id: str | None = None) -> bool:
    return any(p.config.get("Name") == name and p.id != except_id for p in _store(backend, kind).values())


def _behaviors(distribution_config) -> list:
    """The default and path cache behaviors of a stored DistributionConfig (moto objects)."""
    behaviors = [distribution_config.DefaultCacheBehavior]
    path_behaviors = distribution_config.CacheBehaviors
    if isinstance(path_behaviors, dict):
        behaviors.extend(path_behaviors.get("Items") or [])
    return behaviors


def _in_use(backend: CloudFrontBackend, kind: _Kind, policy_id: str) -> bool:
    for distribution in backend.distributions.values():
        for behavior in _behaviors(distribution.distribution_config):
            if getattr(behavior, kind.behavior_attribute, None) == policy_id:
                return True
    return False


def _check_distribution_config(backend: CloudFrontBackend, config: dict | None) -> None:
    """Raise NoSuchCachePolicy / NoSuchOriginRequestPolicy for an unknown id in a requested DistributionConfig."""
    if not config:
        return
    behaviors = [config.get("DefaultCacheBehavior") or {}]
    behaviors.extend(((config.get("CacheBehaviors") or {}).get("Items")) or [])
    for kind in (CACHE, ORIGIN_REQUEST):
        for behavior in behaviors:
            if isinstance(behavior, dict) and behavior.get(kind.behavior_field):
                _get(backend, kind, behavior[kind.behavior_field])


# --- backend operations -------------------------------------------------------------------------------------------


def _list(backend, kind: _Kind, policy_type: str | None, marker: str | None, max_items: int | None):
    policies = list(_store(backend, kind).values())
    if policy_type in ("managed", "custom"):
        policies = [p for p in policies if p.type == policy_type]
    start = 0
    if marker:
        start = next((i for i, p in enumerate(policies) if p.id == marker), len(policies))
    limit = max_items if max_items else 100
    page = policies[start : start + limit]
    next_marker = policies[start + limit].id if start + limit < len(policies) else None
    return page, next_marker, limit


def _create(backend, kind: _Kind, config: dict) -> _Policy:
    config = _normalise(kind, config)
    with _LOCK:
        if _name_taken(backend, kind, config.get("Name")):
            raise kind.already_exists()
        policy = _Policy(str(uuid.uuid4()), config, "custom", _now())
        _store(backend, kind)[policy.id] = policy
    return policy


def _update(backend, kind: _Kind, policy_id: str, config: dict, if_match: str | None) -> _Policy:
    with _LOCK:
        policy = _get(backend, kind, policy_id)
        if policy.type == "managed":
            raise _Error("IllegalUpdate", f"Managed {kind.prefix} policies cannot be updated.")
        _check_if_match(policy, if_match)
        config = _normalise(kind, config)
        if _name_taken(backend, kind, config.get("Name"), except_id=policy.id):
            raise kind.already_exists()
        policy.config = config
        policy.last_modified_time = _now()
        policy.etag = random_id()
    return policy


def _delete(backend, kind: _Kind, policy_id: str, if_match: str | None) -> None:
    with _LOCK:
        policy = _get(backend, kind, policy_id)
        if policy.type == "managed":
            raise _Error("AccessDenied", f"Managed {kind.prefix} policies cannot be deleted.")
        _check_if_match(policy, if_match)
        if _in_use(backend, kind, policy.id):
            raise kind.in_use()
        del _store(backend, kind)[policy.id]


# --- response methods ---------------------------------------------------------------------------------------------


def _shape(kind: _Kind, policy: _Policy) -> dict:
    return {"Id": policy.id, "LastModifiedTime": policy.last_modified_time, f"{kind.label}Config": policy.config}


def _location(kind: _Kind, policy: _Policy) -> str:
    return f"https://cloudfront.amazonaws.com/2020-05-31/{kind.path}/{policy.id}"


def _make_methods(kind: _Kind) -> dict:
    label = kind.label

    def list_policies(self) -> ActionResult:
        page, next_marker, limit = _list(
            self.backend, kind, self._get_param("Type"), self._get_param("Marker"), self._get_int_param("MaxItems")
        )
        listing: dict[str, Any] = {"MaxItems": limit, "Quantity": len(page)}
        if next_marker:
            listing["NextMarker"] = next_marker
        if page:
            listing["Items"] = [{"Type": p.type, label: _shape(kind, p)} for p in page]
        return ActionResult({f"{label}List": listing})

    def get_policy(self) -> ActionResult:
        policy = _get(self.backend, kind, self._get_param("Id"))
        return ActionResult({label: _shape(kind, policy), "ETag": policy.etag})

    def get_policy_config(self) -> ActionResult:
        policy = _get(self.backend, kind, self._get_param("Id"))
        return ActionResult({f"{label}Config": policy.config, "ETag": policy.etag})

    def create_policy(self) -> ActionResult:
        policy = _create(self.backend, kind, self._get_param(f"{label}Config", {}))
        return ActionResult({label: _shape(kind, policy), "Location": _location(kind, policy), "ETag": policy.etag})

    def update_policy(self) -> ActionResult:
        policy = _update(
            self.backend, kind, self._get_param("Id"), self._get_param(f"{label}Config", {}), self._get_param("IfMatch")
        )
        return ActionResult({label: _shape(kind, policy), "ETag": policy.etag})

    def delete_policy(self) -> EmptyResult:
        _delete(self.backend, kind, self._get_param("Id"), self._get_param("IfMatch"))
        return EmptyResult()

    snake = "cache_policy" if kind is CACHE else "origin_request_policy"
    plural = "cache_policies" if kind is CACHE else "origin_request_policies"
    return {
        f"list_{plural}": list_policies,
        f"get_{snake}": get_policy,
        f"get_{snake}_config": get_policy_config,
        f"create_{snake}": create_policy,
        f"update_{snake}": update_policy,
        f"delete_{snake}": delete_policy,
    }


def _create_distribution_with_tags(self, distribution_config, tags):
    _check_distribution_config(self, distribution_config)
    return _originals["create_distribution_with_tags"](self, distribution_config, tags)


def _update_distribution(self, dist_config, _id, if_match):
    if _id in self.distributions:
        _check_distribution_config(self, dist_config)
    return _originals["update_distribution"](self, dist_config=dist_config, _id=_id, if_match=if_match)


def apply() -> None:
    """Add the routes and operations of both policy kinds; check the policy ids of distributions."""
    for kind in (CACHE, ORIGIN_REQUEST):
        base = "{0}/2020-05-31/" + kind.path
        cloudfront_urls.url_paths[base + "$"] = CloudFrontResponse.dispatch
        cloudfront_urls.url_paths[base + "/(?P<policy_id>[^/]+)$"] = CloudFrontResponse.dispatch
        cloudfront_urls.url_paths[base + "/(?P<policy_id>[^/]+)/config$"] = CloudFrontResponse.dispatch
        for name, method in _make_methods(kind).items():
            setattr(CloudFrontResponse, name, method)
    _originals.setdefault("create_distribution_with_tags", CloudFrontBackend.create_distribution_with_tags)
    _originals.setdefault("update_distribution", CloudFrontBackend.update_distribution)
    CloudFrontBackend.create_distribution_with_tags = _create_distribution_with_tags
    CloudFrontBackend.update_distribution = _update_distribution
