# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""runtime: static (role static_site): the tier's keys and rules, its distribution and api route
(plugins/module_utils/static_site.py), its domain (dns_role), and the roles that skip it (security groups,
monitoring) and the summary."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import cloudfront_config
from ansible_collections.atelier.infra.plugins.module_utils import dns_role
from ansible_collections.atelier.infra.plugins.module_utils import monitoring
from ansible_collections.atelier.infra.plugins.module_utils import security_group_plan
from ansible_collections.atelier.infra.plugins.module_utils import static_site
from ansible_collections.atelier.infra.plugins.module_utils import summary
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

GLOBAL = "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-2222-2222-222222222222"
API = {"name": "api", "app_port": 3000, "runtime": "fargate", "image": "api:1", "cloudfront": True}


def spa(site_dir="", **static):
    return {"name": "spa", "runtime": "static", "static": dict({"site_dir": site_dir}, **static)}


def test_static_is_a_runtime_converged_by_the_static_site_role_and_app_port_is_not_required_by_it():
    assert tier_spec.RUNTIMES[tier_spec.STATIC] == "static_site"
    assert tier_spec.argument_spec()["runtime"]["choices"] == ["ec2", "fargate", "static"]
    assert "required" not in tier_spec.argument_spec()["app_port"]
    assert tier_spec.tier_errors([spa(), API]) == []
    assert tier_spec.tier_errors([{"name": "web"}]) == ["tier web: app_port is required (the port the container listens on) by runtime ec2"]


def test_a_static_tier_has_the_site_defaults():
    static = tier_spec.settings(spa())["static"]
    assert (static["root_object"], static["error_codes"], static["error_page"], static["error_response_code"]) == (
        "index.html", [403, 404], "/index.html", 200)
    assert static["security_headers"] is True and static["noncurrent_days"] == 30
    assert static["api"] == {"tier": "", "path_pattern": "/api/*"}


@pytest.mark.parametrize("key, value", [
    ("app_port", 80), ("image", "web:1"), ("scaling", {"policy": "none"}), ("alb_scheme", "internal"),
    ("alb_ports", [443]), ("cloudfront", True), ("health_check", {"path": "/"}), ("min_size", 1), ("environment", {"A": "1"}),
])
def test_a_key_of_the_served_runtimes_is_refused_on_a_static_tier(key, value):
    errors = tier_spec.tier_errors([dict(spa(), **{key: value})])
    assert f"tier spa: {key} applies to runtime ec2, fargate only; this tier's runtime is static" in errors


def test_the_static_key_is_refused_on_other_runtimes():
    assert "tier api: static applies to runtime static only; this tier's runtime is fargate" in tier_spec.tier_errors(
        [dict(API, static={"site_dir": ""})])


def test_a_missing_site_dir_is_refused_and_an_existing_one_accepted(tmp_path):
    (error,) = tier_spec.tier_errors([spa(str(tmp_path / "dist"))])
    assert error.startswith(f"tier spa: static.site_dir '{tmp_path / 'dist'}' is not a directory")
    assert tier_spec.tier_errors([spa(str(tmp_path))]) == []


@pytest.mark.parametrize("api, message", [
    ({"tier": "nowhere"}, "tier spa: static.api.tier nowhere is not another tier of the stack (tiers: api, docs)"),
    ({"tier": "spa"}, "tier spa: static.api.tier spa is not another tier of the stack (tiers: api, docs)"),
    ({"tier": "docs"}, "tier spa: static.api.tier docs is a static tier; the api route needs a tier with a load balancer"),
    ({"tier": "api", "path_pattern": "/*"}, "tier spa: static.api.path_pattern '/*' must be a path pattern under / such as /api/*"),
])
def test_a_bad_api_route_is_refused(api, message):
    tiers = [spa(api=api), API, {"name": "docs", "runtime": "static"}]
    assert message in tier_spec.tier_errors(tiers)


def test_other_static_rules():
    errors = tier_spec.tier_errors([dict(spa(error_codes=[404, 418], cache_control=[{"pattern": "*.js"}]),
                                         distribution={"behaviors": [{"path_pattern": "/x"}]}),
                                    dict(API, clients=["spa"])])
    assert any("static.error_codes 418 is not an error CloudFront maps" in e for e in errors)
    assert any("static.cache_control[0] must be {pattern: <glob>, value: <Cache-Control>}" in e for e in errors)
    assert any("distribution.behaviors is not for a static tier" in e for e in errors)
    assert any("tier api: client spa is a static tier" in e for e in errors)


def test_the_view_names_the_bucket_and_finds_the_api_tier_s_load_balancer(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    view = static_site.site_view(spa("dist", api={"tier": "api"}), "dev-shop", [spa(), API])
    assert view["names"] == {"tier": "spa", "distribution": "dev-shop-spa", "origin_access_control": "dev-shop-spa",
                             "bucket": "dev-shop-spa-site"}
    assert view["site_dir"] == str(tmp_path / "dist")
    assert view["api"] == {"tier": "api", "alb": "dev-shop-api", "origin_secret": "dev-shop/api/origin-verify",
                           "path_pattern": "/api/*", "domain_name": "", "https": False}
    with_domain = dict(API, domain={"zone": "example.com", "names": ["api.example.com"]})
    assert static_site.site_view(spa(api={"tier": "api"}), "p", [with_domain])["api"]["domain_name"] == "origin.api.example.com"
    assert static_site.site_view(spa(api={"tier": "api"}), "p", [dict(with_domain, cloudfront=False)])["api"][
        "domain_name"] == "api.example.com"
    assert static_site.site_view(spa(), "p", [])["api"] == {} and static_site.site_view(spa(), "p")["site_dir"] == ""


def test_the_distribution_reads_the_bucket_through_oac_and_routes_the_api_with_its_secret():
    api = {"domain_name": "lb.example", "https": False, "path_pattern": "/api/*", "header_name": "X-Origin-Verify", "secret": "s"}
    options = static_site.site_distribution(spa(api={"tier": "api"}), "p-spa", "p-spa-site", "eu-west-1", "E1", api)
    assert cloudfront_config.option_errors(options) == []
    site, backend = options["origins"]
    assert site == {"id": "site", "type": "s3", "domain_name": "p-spa-site.s3.eu-west-1.amazonaws.com", "origin_access_control_id": "E1"}
    assert backend == {"id": "api", "domain_name": "lb.example", "protocol_policy": "http-only", "custom_headers": {"X-Origin-Verify": "s"}}
    (route,) = options["behaviors"]
    assert (route["path_pattern"], route["origin_id"], route["cache_policy"], len(route["allowed_methods"])) == (
        "/api/*", "api", "Managed-CachingDisabled", 7)
    assert options["default_behavior"]["response_headers_policy_id"] == static_site.SECURITY_HEADERS_POLICY_ID
    assert options["default_root_object"] == "index.html"
    assert [e["error_code"] for e in options["custom_error_responses"]] == [403, 404]
    plain = static_site.site_distribution(spa(security_headers=False, error_codes=[]), "p-spa", "b", "eu-west-1")
    assert len(plain["origins"]) == 1 and plain["behaviors"] == [] and plain["custom_error_responses"] == []
    assert plain["default_behavior"]["response_headers_policy_id"] is None
    with pytest.raises(ValueError, match="runtime is fargate, not static"):
        static_site.site_distribution(API, "p-api", "b", "eu-west-1")


def test_the_role_s_errors():
    inputs = {"static_site_tier": spa(api={"tier": "web"}), "static_site_tiers": [spa(), API], "static_site_name_prefix": "p"}
    assert static_site.site_errors(inputs, cloudfront_config.option_errors) == [
        "tier spa: static.api.tier web is not another tier of the stack (tiers: api)"]
    assert static_site.site_errors(dict(inputs, static_site_tier=API), None)[-1].startswith("tier api: runtime is fargate")
    assert static_site.site_errors(dict(inputs, static_site_tier=API, static_site_state="absent"), None) == []
    long_prefix = dict(inputs, static_site_tier=spa(), static_site_name_prefix="p" * 60)
    assert "is not an S3 bucket name" in static_site.site_errors(long_prefix)[0]


def test_a_static_tier_s_domain_is_its_distribution_s_certificate_and_aliases_only():
    tier = dict(spa(), domain={"zone": "example.com", "names": ["www.example.com"]})
    (request,) = dns_role.certificate_requests([tier], "p", "dev", "shop", "eu-west-1")
    assert (request["use"], request["region"], request["domain_name"]) == ("cloudfront", "us-east-1", "www.example.com")
    facts = {"spa": {"zone": "example.com", "alb": "", "cloudfront": GLOBAL, "validation_records": []}}
    view = dns_role.tier_view(tier, facts)
    assert view["tier"]["distribution"] == {"aliases": ["www.example.com"], "certificate_arn": GLOBAL}
    assert "certificate_arn" not in view["tier"] and view["origin_domain"] == ""
    assert (view["outputs"]["cloudfront"], view["outputs"]["static"]) == (True, True)
    records = dns_role.tier_records(tier, facts, None, {"domain_name": "d1.cloudfront.net"})
    assert [(r["name"], r["type"]) for r in records] == [("www.example.com", "A"), ("www.example.com", "AAAA")]
    with pytest.raises(ValueError, match="no distribution to point www.example.com at"):
        dns_role.tier_records(tier, facts, None, None)


def test_no_security_group_and_no_alarms_for_a_static_tier():
    groups = security_group_plan.plan([spa(), API], "p", database_enabled=False)
    assert sorted(g["name"] for g in groups) == ["p-api", "p-api-alb"]
    watched = monitoring.targets([], {"monitoring_tiers": [spa(), API], "monitoring_name_prefix": "p", "monitoring_region": "eu-west-1"})
    assert [t["name"] for t in watched["tiers"]] == ["api"]


def test_the_summary_prints_the_site_s_url_and_bucket_and_its_names():
    assert summary.role_lines("static_site", {"tier": "spa", "bucket": "p-spa-site", "url": "https://d1.cloudfront.net",
                                              "api": "/api/* -> api"}) == [
        "Tier spa: static site https://d1.cloudfront.net (bucket p-spa-site, read by CloudFront only, /api/* -> api)"]
    assert summary.role_lines("dns", {"names": ["www.example.com"], "cloudfront": True, "static": True}) == [
        "  https://www.example.com (via CloudFront, from the site bucket)"]
