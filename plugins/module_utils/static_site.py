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
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from typing import Union

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
