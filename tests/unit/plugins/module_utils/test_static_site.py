# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of module_utils/static_site.py: the OAC configuration, the bucket policy, the lifecycle rule,
the S3 origin, the SPA error responses, and the site upload's plan and invalidation paths."""

import hashlib

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import static_site as ss

DIST = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
OTHER = "arn:aws:cloudfront::123456789012:distribution/E3OTHER"


# ---------------------------------------------------------------- origin access control


def test_oac_config_signs_always_with_sigv4_for_s3_by_default():
    assert ss.oac_config({"name": "prod-web"}) == {
        "Name": "prod-web",
        "Description": "",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }


def test_oac_view_of_config_and_summary_compare_equal():
    config = ss.oac_config({"name": "n", "description": "d", "signing_behavior": "no-override"})
    summary = dict(config, Id="E1")
    assert ss.oac_view(config) == ss.oac_view(summary)
    assert ss.oac_view(summary)["signing_behavior"] == "no-override"


def test_distributions_naming_oac_reads_the_summaries_origins():
    summaries = [
        {"Id": "E2", "Origins": {"Items": [{"Id": "a", "OriginAccessControlId": "OAC1"}]}},
        {"Id": "E1", "Origins": {"Items": [{"Id": "b", "OriginAccessControlId": ""}, {"Id": "c", "OriginAccessControlId": "OAC1"}]}},
        {"Id": "E3", "Origins": {"Items": [{"Id": "d", "OriginAccessControlId": "OAC2"}]}},
        {"Id": "E4"},
    ]
    assert ss.distributions_naming_oac(summaries, "OAC1") == ["E1", "E2"]
    assert ss.distributions_naming_oac(summaries, "OAC9") == []


# ---------------------------------------------------------------- bucket policy


def test_bucket_policy_denies_plain_http_and_admits_only_the_distribution():
    policy = ss.bucket_policy("prod-web-site", DIST)
    deny, allow = policy["Statement"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*" and deny["Action"] == "s3:*"
    assert deny["Resource"] == ["arn:aws:s3:::prod-web-site", "arn:aws:s3:::prod-web-site/*"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert allow == {
        "Sid": "AllowCloudFrontDistributionRead",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::prod-web-site/*",
        "Condition": {"StringEquals": {"aws:SourceArn": DIST}},
    }
    assert len(policy["Statement"]) == 2


def test_bucket_policy_takes_a_list_and_the_partition_of_the_arn():
    policy = ss.bucket_policy("b", [OTHER, DIST.replace(":aws:", ":aws-cn:")])
    assert policy["Statement"][1]["Condition"]["StringEquals"]["aws:SourceArn"] == sorted([OTHER, DIST.replace(":aws:", ":aws-cn:")])
    assert ss.bucket_policy("b", [DIST.replace(":aws:", ":aws-cn:")])["Statement"][1]["Resource"] == "arn:aws-cn:s3:::b/*"


@pytest.mark.parametrize("arns", [None, [], "", "E2QWRUHAPOMQZL", ["arn:aws:s3:::bucket"]])
def test_bucket_policy_refuses_what_is_not_a_distribution_arn(arns):
    with pytest.raises(ValueError, match="not a list of CloudFront distribution ARNs"):
        ss.bucket_policy("b", arns)


def test_bucket_policy_refuses_an_empty_bucket():
    with pytest.raises(ValueError, match="bucket name is empty"):
        ss.bucket_policy("", DIST)


# ---------------------------------------------------------------- lifecycle, origin, error responses


def test_lifecycle_rule_expires_noncurrent_versions():
    assert ss.lifecycle_rule(30, 3) == {
        "rule_id": "noncurrent-versions",
        "status": "enabled",
        "prefix": "",
        "noncurrent_version_expiration_days": 30,
        "noncurrent_version_keep_newer": 3,
        "abort_incomplete_multipart_upload_days": 7,
    }
    assert "noncurrent_version_keep_newer" not in ss.lifecycle_rule(10, 0)
    with pytest.raises(ValueError, match="noncurrent_days"):
        ss.lifecycle_rule(0)


def test_s3_origin_is_the_regional_endpoint_with_the_oac():
    assert ss.s3_origin("prod-web-site", "eu-west-1", "OAC1") == {
        "id": "site",
        "type": "s3",
        "domain_name": "prod-web-site.s3.eu-west-1.amazonaws.com",
        "origin_access_control_id": "OAC1",
    }


def test_spa_error_responses_map_403_and_404_to_index_200():
    assert ss.spa_error_responses() == [
        {"error_code": 403, "response_code": 200, "response_page_path": "/index.html", "error_caching_min_ttl": 10},
        {"error_code": 404, "response_code": 200, "response_page_path": "/index.html", "error_caching_min_ttl": 10},
    ]
    assert [r["error_code"] for r in ss.spa_error_responses([404, 403, 404])] == [403, 404]
    assert ss.spa_error_responses([404], "/app.html", 404, 0)[0] == {
        "error_code": 404, "response_code": 404, "response_page_path": "/app.html", "error_caching_min_ttl": 0
    }
    with pytest.raises(ValueError, match="must start with /"):
        ss.spa_error_responses(page="index.html")


# ---------------------------------------------------------------- upload


@pytest.mark.parametrize(
    "path, expected",
    [
        ("index.html", "text/html; charset=utf-8"),
        ("assets/app.js", "application/javascript; charset=utf-8"),
        ("assets/app.css", "text/css; charset=utf-8"),
        ("assets/app.js.map", "application/json; charset=utf-8"),
        ("logo.svg", "image/svg+xml; charset=utf-8"),
        ("logo.png", "image/png"),
        ("fonts/a.woff2", "font/woff2"),
        ("LICENSE", "application/octet-stream"),
    ],
)
def test_content_type(path, expected):
    assert ss.content_type(path) == expected


def test_content_type_overrides_by_extension():
    assert ss.content_type("a.data", {".data": "application/x-custom"}) == "application/x-custom"
    assert ss.content_type("a.html", {"html": "text/plain"}) == "text/plain"
    assert ss.content_type("LICENSE", {"": "text/plain"}) == "application/octet-stream"


def test_cache_control_first_matching_rule_wins():
    rules = [{"pattern": "index.html", "value": "no-cache"}, {"pattern": "assets/*", "value": "immutable"}]
    assert ss.cache_control("index.html", rules, "short") == "no-cache"
    assert ss.cache_control("docs/index.html", rules, "short") == "no-cache"
    assert ss.cache_control("assets/a/b.js", rules, "short") == "immutable"
    assert ss.cache_control("robots.txt", rules, "short") == "short"
    assert ss.cache_control("robots.txt", [], "") == ""


def test_md5_etag_and_local_files(tmp_path):
    (tmp_path / "index.html").write_text("<h1>hi</h1>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref")
    (tmp_path / ".env").write_text("SECRET=1")
    assert ss.md5_etag(str(tmp_path / "index.html")) == '"' + hashlib.md5(b"<h1>hi</h1>").hexdigest() + '"'
    assert list(ss.local_files(str(tmp_path))) == ["assets/app.js", "index.html"]
    assert list(ss.local_files(str(tmp_path), include_hidden=True)) == [".env", ".git/HEAD", "assets/app.js", "index.html"]


LOCAL = {
    "index.html": {"etag": '"a"', "content_type": "text/html", "cache_control": "no-cache"},
    "app.js": {"etag": '"b"', "content_type": "text/javascript", "cache_control": ""},
}


def test_sync_plan_of_an_unchanged_site_is_empty():
    remote = {"index.html": {"etag": '"a"', "size": 1}, "app.js": {"etag": '"b"', "size": 1}}
    assert ss.sync_plan(LOCAL, remote) == {"upload": [], "delete": []}


def test_sync_plan_uploads_missing_and_changed_and_deletes_gone():
    remote = {"index.html": {"etag": '"old"'}, "gone.js": {"etag": '"g"'}}
    assert ss.sync_plan(LOCAL, remote) == {"upload": ["app.js", "index.html"], "delete": ["gone.js"]}
    assert ss.sync_plan(LOCAL, remote, delete=False)["delete"] == []


def test_sync_plan_compares_metadata_only_when_known():
    remote = {
        "index.html": {"etag": '"a"', "content_type": "text/html", "cache_control": "max-age=60"},
        "app.js": {"etag": '"b"', "content_type": "text/javascript", "cache_control": ""},
    }
    assert ss.sync_plan(LOCAL, remote)["upload"] == ["index.html"]


def test_sync_plan_with_prefix_leaves_other_keys_alone():
    remote = {"site/index.html": {"etag": '"a"'}, "site/old.js": {"etag": '"o"'}, "other/keep.js": {"etag": '"k"'}}
    assert ss.sync_plan(LOCAL, remote, prefix="site/") == {"upload": ["site/app.js"], "delete": ["site/old.js"]}


def test_invalidation_paths():
    assert ss.invalidation_paths({"uploaded": [], "deleted": []}) == []
    assert ss.invalidation_paths({}) == []
    assert ss.invalidation_paths({"uploaded": ["a.js"], "deleted": ["b.js"]}) == ["/a.js", "/b.js"]
    assert ss.invalidation_paths({"uploaded": ["index.html"]}) == ["/", "/index.html"]
    many = {"uploaded": [f"f{i}.js" for i in range(11)]}
    assert ss.invalidation_paths(many) == ["/*"]
    assert len(ss.invalidation_paths(many, max_paths=20)) == 11
