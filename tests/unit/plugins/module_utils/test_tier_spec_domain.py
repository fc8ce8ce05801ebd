# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A tier's domain (tier_spec: the domain key, its rules in one_tier_errors, origin_name)."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

ARN = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def tier(names=("app.example.com",), zone="example.com", **more):
    result = {"name": "web", "app_port": 8080, "image": "web:1", "domain": {"zone": zone, "names": list(names)}}
    result.update(more)
    return result


def test_a_tier_without_domain_is_as_before():
    plain = {"name": "web", "app_port": 8080, "image": "web:1", "cloudfront": True}
    assert tier_spec.one_tier_errors(plain) == []
    assert not tier_spec.has_domain(tier_spec.settings(plain))
    assert tier_spec.origin_name(plain) == ""
    assert tier_spec.distribution_options(plain, "d", "alb.example")["origins"][0]["protocol_policy"] == "http-only"


@pytest.mark.parametrize("cloudfront", [True, False])
def test_a_domain_inside_its_zone_is_accepted(cloudfront):
    t = tier(["App.Example.com.", "www.example.com", "*.cdn.example.com", "example.com"], cloudfront=cloudfront)
    assert tier_spec.one_tier_errors(t) == []
    assert tier_spec.has_domain(tier_spec.settings(t))
    assert tier_spec.origin_name(t) == "origin.app.example.com"


def test_a_name_outside_the_zone_is_refused():
    errors = tier_spec.one_tier_errors(tier(["app.example.com", "app.example.org", "badexample.com"]))
    assert errors == [
        "tier web: domain.names entry 'app.example.org' is outside the zone example.com",
        "tier web: domain.names entry 'badexample.com' is outside the zone example.com",
    ]


def test_more_than_ten_names_are_refused():
    names = [f"n{i}.example.com" for i in range(11)]
    assert tier_spec.one_tier_errors(tier(names[:10])) == []
    assert tier_spec.one_tier_errors(tier(names)) == [
        "tier web: domain.names has 11 names; a certificate holds at most 10 (ACM's quota)"
    ]


def test_malformed_twice_and_no_names_are_refused():
    assert tier_spec.one_tier_errors(tier(["app..example.com", "-a.example.com"])) == [
        "tier web: domain.names entry 'app..example.com' is not a DNS name such as app.example.com",
        "tier web: domain.names entry '-a.example.com' is not a DNS name such as app.example.com",
    ]
    assert tier_spec.one_tier_errors(tier(["a.example.com", "A.example.com."])) == [
        "tier web: domain.names lists a.example.com twice"
    ]
    assert tier_spec.one_tier_errors(tier([])) == ["tier web: domain.names needs at least one name in example.com"]
    assert tier_spec.one_tier_errors(tier(zone="example..com")) == [
        "tier web: domain.zone 'example..com' is not a DNS name such as example.com"
    ]


def test_a_wildcard_first_name_is_refused_with_cloudfront_only():
    names = ["*.example.com", "example.com"]
    assert tier_spec.one_tier_errors(tier(names)) == []
    assert tier_spec.one_tier_errors(tier(names, cloudfront=True)) == [
        "tier web: domain.names starts with the wildcard '*.example.com'; with cloudfront the first name gives the "
        "origin's name (origin.<first name>): put a plain name first"
    ]


@pytest.mark.parametrize(
    "more, key",
    [
        ({"certificate_arn": ARN}, "certificate_arn"),
        ({"cloudfront": True, "distribution": {"certificate_arn": ARN}}, "distribution.certificate_arn"),
        ({"cloudfront": True, "distribution": {"aliases": ["app.example.com"]}}, "distribution.aliases"),
    ],
)
def test_a_certificate_or_alias_beside_the_domain_is_ambiguous(more, key):
    errors = tier_spec.one_tier_errors(tier(**more))
    assert f"tier web: {key} is set together with domain; the domain makes the tier's certificates and aliases: " \
        f"leave {key} empty, or drop domain to use your own" in errors
    assert tier_spec.one_tier_errors({k: v for k, v in tier(**more).items() if k != "domain"}) == []


def test_a_name_claimed_by_two_tiers_is_refused():
    web = tier(["app.example.com", "www.example.com"], cloudfront=True)
    api = dict(tier(["api.example.com", "WWW.example.com."]), name="api")
    origin = dict(tier(["origin.app.example.com"]), name="raw")
    assert tier_spec.tier_errors([web, dict(api, domain={"zone": "example.com", "names": ["api.example.com"]})]) == []
    assert tier_spec.tier_errors([web, api, origin]) == [
        "domain name origin.app.example.com is claimed by tiers web, raw: a name belongs to one tier",
        "domain name www.example.com is claimed by tiers web, api: a name belongs to one tier",
    ]


def test_a_domain_needs_443_among_the_alb_ports():
    assert tier_spec.one_tier_errors(tier(alb_ports=[443])) == []
    assert tier_spec.one_tier_errors(tier(alb_ports=[80])) == [
        "tier web: alb_ports [80] lacks 443: a tier with a domain is served over HTTPS on 443 (its ALB's listener); "
        "add 443 to alb_ports"
    ]
    assert tier_spec.one_tier_errors({"name": "web", "app_port": 8080, "image": "web:1", "alb_ports": [80]}) == []
