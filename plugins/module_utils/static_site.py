# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The pieces of a static site (``runtime: static``) without AWS: a private S3 bucket behind a
CloudFront origin access control (OAC).

- the OAC configuration atelier.infra.cloudfront_origin_access_control sends and compares;
- the bucket policy (TLS only, s3:GetObject for CloudFront on behalf of ONE distribution), the
  lifecycle rule for noncurrent versions, the SPA error mapping and the S3 origin, as the
  filters in plugins/filter/static_site.py give them to a role;
- the upload plan of atelier.infra.s3_site_sync (local files against the bucket's listing: what to
  upload, what to delete) and the CloudFront invalidation paths of its result.

No boto3 or amazon.aws import here: the filters run on the controller.
"""

import fnmatch
import hashlib
import mimetypes
import os
import re
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from typing import Union

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

# ---------------------------------------------------------------- origin access control

OAC_KEYS = {
    "name": "Name",
    "description": "Description",
    "origin_type": "OriginAccessControlOriginType",
    "signing_behavior": "SigningBehavior",
    "signing_protocol": "SigningProtocol",
}


def oac_config(params: Dict[str, Any]) -> Dict[str, Any]:
    """The OriginAccessControlConfig of the module's options (the signing protocol is always sigv4)."""
    return {
        "Name": params["name"],
        "Description": params.get("description") or "",
        "SigningProtocol": "sigv4",
        "SigningBehavior": params.get("signing_behavior") or "always",
        "OriginAccessControlOriginType": params.get("origin_type") or "s3",
    }


def oac_view(config: Dict[str, Any]) -> Dict[str, Any]:
    """An OriginAccessControlConfig, or a ListOriginAccessControls summary, as snake_case."""
    return {key: config.get(aws_key) or "" for key, aws_key in OAC_KEYS.items()}


def distributions_naming_oac(summaries: Iterable[Dict[str, Any]], control_id: str) -> List[str]:
    """The IDs of the distributions (ListDistributions summaries) with an origin naming the OAC."""
    return sorted(
        summary["Id"]
        for summary in summaries
        if any(o.get("OriginAccessControlId") == control_id for o in (summary.get("Origins") or {}).get("Items") or [])
    )


# ---------------------------------------------------------------- bucket, origin, error responses


def _arn_partition(arn: str) -> str:
    parts = (arn or "").split(":")
    return parts[1] if len(parts) > 1 and parts[1] else "aws"


def tls_only_statement(bucket_arn: str, sid: str = "TLSOnly") -> Dict[str, Any]:
    """The bucket policy statement AWS recommends: deny every request to the bucket and its objects not made over TLS."""
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def bucket_policy(bucket: str, distribution_arns: Union[str, List[str]]) -> Dict[str, Any]:
    """The site bucket's policy: every request without TLS denied; s3:GetObject allowed to CloudFront
    only on behalf of the given distribution(s) (aws:SourceArn); nothing else."""
    arns = [distribution_arns] if isinstance(distribution_arns, str) else list(distribution_arns or [])
    if not bucket:
        raise ValueError("static site bucket policy: the bucket name is empty")
    if not arns or not all(isinstance(a, str) and ":cloudfront::" in a and ":distribution/" in a for a in arns):
        raise ValueError(f"static site bucket policy: {arns!r} is not a list of CloudFront distribution ARNs")
    partition = _arn_partition(arns[0])
    bucket_arn = f"arn:{partition}:s3:::{bucket}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            tls_only_statement(bucket_arn, "DenyInsecureTransport"),
            {
                "Sid": "AllowCloudFrontDistributionRead",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": f"{bucket_arn}/*",
                "Condition": {"StringEquals": {"aws:SourceArn": arns[0] if len(arns) == 1 else sorted(arns)}},
            },
        ],
    }


def lifecycle_rule(noncurrent_days: int = 30, keep_newer: int = 3, abort_multipart_days: int = 7) -> Dict[str, Any]:
    """community.aws.s3_lifecycle's options for the site bucket's one rule: noncurrent versions (the
    files a sync replaced or deleted) expire after noncurrent_days, the keep_newer newest kept."""
    if int(noncurrent_days) < 1:
        raise ValueError(f"noncurrent_days must be at least 1, not {noncurrent_days}")
    rule = {
        "rule_id": "noncurrent-versions",
        "status": "enabled",
        "prefix": "",
        "noncurrent_version_expiration_days": int(noncurrent_days),
        "abort_incomplete_multipart_upload_days": int(abort_multipart_days),
    }
    if keep_newer:
        rule["noncurrent_version_keep_newer"] = int(keep_newer)
    return rule


def s3_origin(bucket: str, region: str, control_id: Optional[str], origin_id: str = "site") -> Dict[str, Any]:
    """The S3 origin of atelier.infra.cloudfront_distribution for the bucket, signed with the OAC."""
    return {
        "id": origin_id,
        "type": "s3",
        "domain_name": f"{bucket}.s3.{region}.amazonaws.com",
        "origin_access_control_id": control_id or "",
    }


def spa_error_responses(
    codes: Iterable[int] = (403, 404), page: str = "/index.html", response_code: int = 200, ttl: int = 10
) -> List[Dict[str, Any]]:
    """The custom error responses of a single-page application: each error code answered with the
    page and response_code (a missing object of a private bucket is a 403 through OAC, hence 403)."""
    if not str(page).startswith("/"):
        raise ValueError(f"the error page {page!r} must start with /")
    return [
        {"error_code": int(code), "response_code": int(response_code), "response_page_path": page, "error_caching_min_ttl": int(ttl)}
        for code in sorted({int(c) for c in codes})
    ]


# ---------------------------------------------------------------- site upload


# Python's own map only (not the host's /etc/mime.types), so that every host gives the same types.
_TYPES = mimetypes.MimeTypes()
for _type, _extension in (
    ("application/json", ".map"),
    ("application/manifest+json", ".webmanifest"),
    ("font/woff", ".woff"),
    ("font/woff2", ".woff2"),
    ("font/ttf", ".ttf"),
    ("font/otf", ".otf"),
    ("application/wasm", ".wasm"),
    ("image/webp", ".webp"),
    ("image/avif", ".avif"),
):
    _TYPES.add_type(_type, _extension, strict=False)
_TEXT = ("application/javascript", "application/json", "application/manifest+json", "image/svg+xml")


def content_type(path: str, overrides: Optional[Dict[str, str]] = None) -> str:
    """The Content-Type of a file: overrides by extension (with or without the dot), then Python's map."""
    extension = os.path.splitext(path)[1].lower()
    for key, value in (overrides or {}).items():
        if key.lower().lstrip(".") == extension.lstrip(".") and extension:
            return value
    guessed, _encoding = _TYPES.guess_type(path, strict=False)
    if guessed and (guessed.startswith("text/") or guessed in _TEXT):
        return guessed + "; charset=utf-8"
    return guessed or "application/octet-stream"


def cache_control(key: str, rules: Iterable[Dict[str, str]], default: str = "") -> str:
    """The Cache-Control of a key: the value of the first rule whose glob pattern matches the key (or
    its file name), else default."""
    name = key.rsplit("/", 1)[-1]
    for rule in rules or []:
        if fnmatch.fnmatchcase(key, rule["pattern"]) or fnmatch.fnmatchcase(name, rule["pattern"]):
            return rule["value"]
    return default


def md5_etag(path: str) -> str:
    """The ETag S3 gives a single-part upload of the file (without SSE-KMS): its MD5, quoted."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return f'"{digest.hexdigest()}"'


def local_files(root: str, include_hidden: bool = False) -> Dict[str, str]:
    """{object key: file path} for every file under root (keys with /); hidden files and
    directories (a name starting with .) only with include_hidden."""
    files = {}
    for directory, subdirectories, names in os.walk(root):
        if not include_hidden:
            subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        for name in names:
            if include_hidden or not name.startswith("."):
                path = os.path.join(directory, name)
                files[os.path.relpath(path, root).replace(os.sep, "/")] = path
    return dict(sorted(files.items()))


def sync_plan(
    local: Dict[str, Dict[str, str]], remote: Dict[str, Dict[str, str]], prefix: str = "", delete: bool = True
) -> Dict[str, List[str]]:
    """What to upload and delete: local is {key: {etag, content_type, cache_control}}, remote
    {key: {etag[, content_type, cache_control]}} (metadata only when it was looked up). A key is
    uploaded when missing, when its ETag differs, or when known metadata differs; a remote key under
    prefix with no local file is deleted (with delete)."""
    upload = []
    for key, want in local.items():
        have = remote.get(prefix + key)
        if have is None or have.get("etag") != want["etag"]:
            upload.append(prefix + key)
            continue
        for field in ("content_type", "cache_control"):
            if field in have and (have[field] or "") != (want.get(field) or ""):
                upload.append(prefix + key)
                break
    wanted = {prefix + key for key in local}
    removed = sorted(key for key in remote if key.startswith(prefix) and key not in wanted) if delete else []
    return {"upload": sorted(upload), "delete": removed}


def invalidation_paths(result: Dict[str, Any], max_paths: int = 10, root_object: str = "index.html") -> List[str]:
    """The CloudFront paths to invalidate after a sync (its result: uploaded and deleted keys): none
    when nothing changed, each changed object (and / when the root object changed), or /* when more
    than max_paths."""
    keys = sorted(set(result.get("uploaded") or []) | set(result.get("deleted") or []))
    if not keys:
        return []
    paths = ["/" + key for key in keys]
    if root_object in keys:
        paths.insert(0, "/")
    if len(paths) > max_paths:
        return ["/*"]
    return paths


# ---------------------------------------------------------------- a static tier (runtime: static)

# CloudFront's managed response headers policy SecurityHeadersPolicy (HSTS, X-Content-Type-Options, X-Frame-Options,
# Referrer-Policy, X-XSS-Protection): cloudfront_distribution takes a response headers policy by ID only.
SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03"
SITE_ORIGIN = "site"
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
API_ORIGIN = "api"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]


def site_names(prefix: str, tier_name: str) -> Dict[str, str]:
    """The names of a static tier's resources: the distribution and its origin access control <prefix>-<tier>, the
    bucket <prefix>-<tier>-site."""
    names = stack.stack_names(prefix, tier_name)
    return {
        "tier": tier_name,
        "distribution": names["distribution"],
        "origin_access_control": names["distribution"],
        "bucket": f"{prefix}-{stack.site_bucket(tier_name)}",
    }


def _api_target(tier: Dict[str, Any], tiers: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """The tier a static tier's api route goes to (its settings), or {} without a route."""
    api = tier_spec.settings(tier)["static"]["api"]
    if not api["tier"]:
        return {}
    for other in tiers or []:
        if isinstance(other, dict) and other.get("name") == api["tier"]:
            return tier_spec.settings(other)
    raise ValueError(f"tier {tier.get('name')}: static.api.tier {api['tier']} is not a tier of the stack")


def site_view(tier: Dict[str, Any], prefix: str, tiers: Iterable[Dict[str, Any]] = ()) -> Dict[str, Any]:
    """What the static_site role converges for the tier, before any lookup: {tier (settings), names, api, site_dir}. api is {}
    without a route, else {tier, alb, origin_secret, path_pattern, domain_name, https}: the api tier's load balancer
    and origin secret to look up, and how the distribution reaches it. A tier with a domain is reached https-only at
    the name its ALB's certificate covers (origin.<first name> when CloudFront fronts it, else its first name);
    without, at the ALB's own DNS name (domain_name empty: the role looks it up) over HTTP."""
    t = tier_spec.settings(tier)
    target = _api_target(tier, tiers)
    api = {}
    if target:
        names = stack.stack_names(prefix, target["name"])
        api = {"tier": target["name"], "alb": names["alb"], "origin_secret": names["origin_secret"],
               "path_pattern": t["static"]["api"]["path_pattern"], "domain_name": "", "https": False}
        if tier_spec.has_domain(target) and target["domain"]["names"]:
            first = tier_spec.dns_name(target["domain"]["names"][0])
            api.update(domain_name=tier_spec.origin_name(target) if target["cloudfront"] else first, https=True)
    site_dir = t["static"]["site_dir"]
    return {
        "tier": t,
        "names": site_names(prefix, t["name"]),
        "api": api,
        # Absolute, from the directory ansible-playbook runs in (where tier_errors checked it).
        "site_dir": os.path.abspath(site_dir) if site_dir else "",
    }


def site_distribution(
    tier: Dict[str, Any],
    name: str,
    bucket: str,
    region: str,
    control_id: str = "",
    api: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """atelier.infra.cloudfront_distribution's options for a static tier: the bucket's S3 origin signed by the origin
    access control, its root object and SPA error responses, the managed security headers, and with api (site_view's,
    its domain_name found, with header_name and secret) a second, custom origin for the api route (caching disabled,
    every method, the viewer's headers but Host, the secret origin header)."""
    t = tier_spec.settings(tier)
    if t["runtime"] != tier_spec.STATIC:
        raise ValueError(f"tier {t['name']}: runtime is {t['runtime']}, not {tier_spec.STATIC}")
    static, d = t["static"], t["distribution"]
    headers = SECURITY_HEADERS_POLICY_ID if static["security_headers"] else None
    site_behavior = d["default_behavior"]
    default_behavior = {
        "origin_id": SITE_ORIGIN,
        "viewer_protocol_policy": site_behavior["viewer_protocol_policy"],
        "allowed_methods": ["GET", "HEAD", "OPTIONS"],
        "cached_methods": ["GET", "HEAD"],
        "compress": site_behavior["compress"],
        "cache_policy": site_behavior["cache_policy"],
        "origin_request_policy": None,
        "response_headers_policy_id": headers,
    }
    origins = [s3_origin(bucket, region, control_id, SITE_ORIGIN)]
    behaviors = []
    if api and api.get("domain_name"):
        origin = {
            "id": API_ORIGIN,
            "domain_name": api["domain_name"],
            "protocol_policy": "https-only" if api.get("https") else "http-only",
        }
        if api.get("secret"):
            origin["custom_headers"] = {api.get("header_name") or "X-Origin-Verify": api["secret"]}
        origins.append(origin)
        behaviors.append(
            {
                "path_pattern": api.get("path_pattern") or static["api"]["path_pattern"],
                "origin_id": API_ORIGIN,
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": list(ALL_METHODS),
                "cached_methods": ["GET", "HEAD"],
                "compress": True,
                "cache_policy": "Managed-CachingDisabled",
                "origin_request_policy": "Managed-AllViewerExceptHostHeader",
                "response_headers_policy_id": headers,
            }
        )
    codes = static["error_codes"]
    return {
        "name": name,
        "origins": origins,
        "default_behavior": default_behavior,
        "behaviors": behaviors,
        "default_root_object": static["root_object"],
        "custom_error_responses": spa_error_responses(codes, static["error_page"], static["error_response_code"])
        if codes
        else [],
        "aliases": list(d["aliases"]),
        "certificate_arn": d["certificate_arn"] or None,
        "minimum_protocol_version": d["minimum_protocol_version"],
        "price_class": d["price_class"],
        "web_acl_id": d["web_acl_id"] or None,
        "logging": {
            "bucket": d["logging_bucket"] if d["logging_bucket"].endswith(".s3.amazonaws.com") else f"{d['logging_bucket']}.s3.amazonaws.com",
            "prefix": d["logging_prefix"],
            "include_cookies": False,
        }
        if d["logging_bucket"]
        else None,
    }


def site_errors(inputs: Dict[str, Any], distribution_checks=None) -> List[str]:
    """What is wrong with the static_site role's inputs (its variables as a dict), beyond types and choices: the tier's
    errors (tier_spec), its api route against the stack's tiers, a runtime other than static when deploying (removing
    needs none: a tier moved to another runtime can be removed), a bucket name S3 refuses."""
    tier = inputs.get("static_site_tier")
    if not isinstance(tier, dict):
        return []
    errors = tier_spec.tier_errors(tier, None, distribution_checks)
    name = tier.get("name")
    tiers = inputs.get("static_site_tiers")
    if isinstance(tiers, list):
        errors.extend(tier_spec.static_api_errors([tier if isinstance(t, dict) and t.get("name") == name else t for t in tiers]))
    if inputs.get("static_site_state", "present") != "absent" and (tier.get("runtime") or "ec2") != tier_spec.STATIC:
        errors.append(
            f"tier {name}: runtime is {tier.get('runtime') or 'ec2'}; the static_site role deploys the tiers whose "
            f"runtime is {tier_spec.STATIC} (run it only for them)"
        )
    if distribution_checks is not None and not errors and tier.get("runtime") == tier_spec.STATIC:
        options = site_distribution(tier, "check", "check-site", "us-east-1", "check")
        errors.extend(f"tier {name}: distribution: {message}" for message in distribution_checks(options))
    prefix = inputs.get("static_site_name_prefix")
    if isinstance(prefix, str) and prefix and isinstance(name, str) and name:
        bucket = site_names(prefix, name)["bucket"]
        if len(bucket) > 63 or not BUCKET_NAME.match(bucket):
            errors.append(
                f"tier {name}: the site bucket name {bucket} is not an S3 bucket name (3-63 lowercase letters, digits, "
                "dots and hyphens): shorten the name prefix or the tier's name"
            )
    return errors
