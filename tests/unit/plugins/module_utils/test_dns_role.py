# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plugins/module_utils/dns_role.py: a tier's domain as certificates, records and the tier the alb and cloudfront
roles converge."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import dns_role

REGIONAL = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-1111-1111-1111-111111111111"
GLOBAL = "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-2222-2222-222222222222"
ALB = {"dns_name": "dev-atelier-web-1.eu-west-1.elb.amazonaws.com", "zone_id": "Z32O12XQLNTSW2"}
DISTRIBUTION = {"domain_name": "d111111abcdef8.cloudfront.net"}


def tier(name="web", names=("App.example.com", "www.example.com."), cloudfront=True, **more):
    result = {"name": name, "app_port": 80, "cloudfront": cloudfront,
              "domain": {"zone": "Example.com.", "names": list(names)}}
    result.update(more)
    return result


def record(name, value):
    return {"name": f"_x.{name}.", "type": "CNAME", "value": value}


def requests_of(*tiers):
    return dns_role.certificate_requests(list(tiers), "dev-atelier", "dev", "atelier", "eu-west-1", {"team": "a"})


def test_a_cloudfront_tier_gets_a_regional_origin_certificate_and_a_us_east_1_one():
    plain = {"name": "api", "app_port": 80}
    requests = requests_of(tier(), plain, tier("raw", ["raw.example.com"], cloudfront=False))
    assert [(r["tier"], r["use"], r["region"], r["domain_name"], r["subject_alternative_names"]) for r in requests] == [
        ("web", "alb", "eu-west-1", "origin.app.example.com", []),
        ("web", "cloudfront", "us-east-1", "app.example.com", ["www.example.com"]),
        ("raw", "alb", "eu-west-1", "raw.example.com", []),
    ]
    first = requests[0]
    assert first["zone"] == "example.com"
    assert first["owner_tags"] == {"atelier:env": "dev", "atelier:stack": "atelier", "atelier:tier": "web"}
    assert first["tags"] == dict(first["owner_tags"], team="a", **{"atelier:dns-zone": "example.com",
                                                                   "Name": "dev-atelier-web-alb"})


def test_the_answers_give_each_tier_its_arns_and_its_validation_records_once():
    requests = requests_of(tier(), tier("raw", ["raw.example.com"], cloudfront=False))
    shared = record("app.example.com", "v1")
    results = {"results": [
        {"certificate_arn": REGIONAL, "status": "ISSUED", "validation_records": [record("origin.app.example.com", "v0")]},
        {"certificate_arn": GLOBAL, "status": "PENDING_VALIDATION",
         "validation_records": [shared, record("www.example.com", "v2"), dict(shared, name="_X.App.example.com")]},
        {"certificate_arn": None, "status": None, "validation_records": []},
    ]}
    answer = dns_role.certificates(requests, results, "dev-atelier", 600)
    assert answer["tiers"] == {
        "web": {"zone": "example.com", "alb": REGIONAL, "cloudfront": GLOBAL, "validation_records": [
            record("origin.app.example.com", "v0"), shared, record("www.example.com", "v2")]},
        "raw": {"zone": "example.com", "alb": "", "cloudfront": "", "validation_records": []},
    }
    assert answer["waits"] == [requests[1]]  # issued and not requested yet (check mode): nothing to wait for
    assert answer["batches"] == [{"tier": "web", "zone": "example.com", "owner": "dev-atelier/web", "records": [
        dict(r, ttl=600) for r in answer["tiers"]["web"]["validation_records"]]}]
    with pytest.raises(ValueError, match="2 certificate results for 3 requests"):
        dns_role.certificates(requests, {"results": results["results"][:2]}, "p")


FACTS = {"web": {"zone": "example.com", "alb": REGIONAL, "cloudfront": GLOBAL,
                 "validation_records": [record("app.example.com", "v1")]}}


def test_the_records_of_a_cloudfront_tier_point_its_names_at_the_distribution_and_its_origin_at_the_alb():
    records = dns_role.tier_records(tier(), FACTS, ALB, DISTRIBUTION, ttl=120)
    edge = {"dns_name": DISTRIBUTION["domain_name"], "hosted_zone_id": "Z2FDTNDATAQYW2", "evaluate_target_health": False}
    balancer = {"dns_name": ALB["dns_name"], "hosted_zone_id": ALB["zone_id"], "evaluate_target_health": True}
    assert records == [
        dict(record("app.example.com", "v1"), ttl=120),
        {"name": "app.example.com", "type": "A", "alias": edge},
        {"name": "app.example.com", "type": "AAAA", "alias": edge},
        {"name": "www.example.com", "type": "A", "alias": edge},
        {"name": "www.example.com", "type": "AAAA", "alias": edge},
        {"name": "origin.app.example.com", "type": "A", "alias": balancer},
    ]
    direct = dns_role.tier_records(tier(cloudfront=False), {}, ALB, None)
    assert direct == [{"name": n, "type": "A", "alias": balancer} for n in ("app.example.com", "www.example.com")]
    assert dns_role.tier_records({"name": "api", "app_port": 80}, FACTS, ALB, DISTRIBUTION) == []


def test_a_missing_alias_target_fails_unless_in_check_mode():
    with pytest.raises(ValueError, match="tier web: no distribution to point app.example.com at"):
        dns_role.tier_records(tier(), FACTS, ALB, {"domain_name": ""})
    planned = dns_role.tier_records(tier(), FACTS, {}, None, strict=False)
    assert planned == [dict(record("app.example.com", "v1"), ttl=300)]


def test_the_tier_for_the_alb_and_cloudfront_roles_carries_the_certificates_and_aliases():
    view = dns_role.tier_view(tier(distribution={"price_class": "PriceClass_All"}), FACTS)
    assert view["tier"] == {"name": "web", "app_port": 80, "cloudfront": True, "certificate_arn": REGIONAL,
                            "distribution": {"price_class": "PriceClass_All", "certificate_arn": GLOBAL,
                                             "aliases": ["app.example.com", "www.example.com"]}}
    assert view["origin_domain"] == "origin.app.example.com"
    assert view["outputs"] == {"tier": "web", "zone": "example.com", "names": ["app.example.com", "www.example.com"],
                               "cloudfront": True, "static": False, "origin": "origin.app.example.com", "origin_https": True,
                               "certificates": {"alb": REGIONAL, "cloudfront": GLOBAL}}
    # Not requested yet (check mode): the tier as without certificates, CloudFront to the ALB's own name.
    pending = dns_role.tier_view(tier(), {})
    assert pending["tier"] == {"name": "web", "app_port": 80, "cloudfront": True}
    assert (pending["origin_domain"], pending["outputs"]["origin_https"]) == ("", False)
    alone = dns_role.tier_view(tier(cloudfront=False), FACTS)
    assert alone["tier"] == {"name": "web", "app_port": 80, "cloudfront": False, "certificate_arn": REGIONAL}
    assert alone["origin_domain"] == ""
    plain = {"name": "api", "app_port": 80, "cloudfront": True}
    assert dns_role.tier_view(plain, FACTS)["tier"] is plain
    assert dns_role.tier_view(plain, FACTS)["outputs"]["names"] == []


def test_removal_finds_the_zones_of_the_tier_and_of_its_certificates():
    found = {"results": [
        {"item": "eu-west-1", "certificates": [
            {"certificate_arn": REGIONAL, "domain_name": "origin.app.example.org", "tags": {"atelier:dns-zone": "Example.org."}}]},
        {"item": "us-east-1", "certificates": [
            {"certificate_arn": GLOBAL, "domain_name": "app.example.com", "tags": {"atelier:dns-zone": "example.com"}}]},
    ]}
    targets = dns_role.absent_targets({"name": "web", "app_port": 80}, found)
    assert targets == {"zones": ["example.org", "example.com"], "certificates": [
        {"region": "eu-west-1", "certificate_arn": REGIONAL, "domain_name": "origin.app.example.org"},
        {"region": "us-east-1", "certificate_arn": GLOBAL, "domain_name": "app.example.com"}]}
    assert dns_role.absent_targets(tier(), {"results": [{"item": "eu-west-1", "certificates": []}]}) == {
        "zones": ["example.com"], "certificates": []}


def test_a_certificate_kept_in_use_is_listed():
    results = {"results": [{"kept": []}, {"kept": [{"certificate_arn": GLOBAL, "subject_alternative_names": [
        "app.example.com", "www.example.com"], "in_use_by": ["arn:aws:cloudfront::123456789012:distribution/E1"]}]}]}
    assert dns_role.kept("web", results) == [
        f"certificate {GLOBAL} of tier web (app.example.com, www.example.com): in use by "
        "arn:aws:cloudfront::123456789012:distribution/E1, kept"
    ]
    assert dns_role.kept("web", {"results": [{"skipped": True}]}) == []


def test_the_role_inputs_are_checked():
    assert dns_role.dns_errors({"dns_ttl": 300, "dns_wait_timeout": 600, "dns_tiers": [tier()]}) == []
    assert dns_role.dns_errors({"dns_ttl": "30", "dns_wait_timeout": 0, "dns_tiers": [
        tier(names=["app.example.org"]), {"name": "x", "app_port": 80}]}) == [
        "dns_ttl must be between 60 and 172800 seconds, got '30'",
        "dns_wait_timeout must be at least 1 second, got 0",
        "tier web: domain.names entry 'app.example.org' is outside the zone example.com",
    ]


def test_the_zones_of_the_tiers_are_listed_once_in_tier_order():
    assert dns_role.zones([tier(), {"name": "api", "app_port": 80}, tier("raw", ["raw.example.com"]),
                           tier("other", ["a.example.org"], domain={"zone": "Example.org.", "names": ["a.example.org"]})]) == [
        "example.com", "example.org"]


def test_the_certificates_a_declared_tier_no_longer_uses_are_stale():
    old = "arn:aws:acm:eu-west-1:123456789012:certificate/33333333-3333-3333-3333-333333333333"
    gone = "arn:aws:acm:us-east-1:123456789012:certificate/44444444-4444-4444-4444-444444444444"
    orphan = "arn:aws:acm:us-east-1:123456789012:certificate/55555555-5555-5555-5555-555555555555"

    def cert(arn, tier_name, zone="example.com", domain="app.example.com"):
        return {"certificate_arn": arn, "domain_name": domain,
                "tags": {"atelier:tier": tier_name, "atelier:dns-zone": zone}}

    found = {"results": [
        {"item": "eu-west-1", "certificates": [cert(REGIONAL, "web"), cert(old, "web", domain="origin.old.example.com")]},
        {"item": "us-east-1", "certificates": [cert(GLOBAL, "web"), cert(gone, "api", zone="example.org"),
                                               cert(orphan, "removed")]},
    ]}
    tiers = [tier(), {"name": "api", "app_port": 80}]
    requests = requests_of(*tiers)
    results = {"results": [{"certificate_arn": REGIONAL, "status": "ISSUED"}, {"certificate_arn": GLOBAL, "status": "ISSUED"}]}
    answer = dns_role.certificates(requests, results, "dev-atelier", 300, tiers, found)
    # web's names changed: its former certificate goes, its records in the same zone are the records step's purge.
    assert answer["tiers"]["web"]["stale"] == {"certificates": [
        {"region": "eu-west-1", "certificate_arn": old, "domain_name": "origin.old.example.com"}], "zones": []}
    # api dropped its domain: its certificate goes, and its records in the zone it left.
    assert answer["tiers"]["api"] == {"zone": "", "alb": "", "cloudfront": "", "validation_records": [], "stale": {
        "certificates": [{"region": "us-east-1", "certificate_arn": gone, "domain_name": "app.example.com"}],
        "zones": ["example.org"]}}
    # A tier no longer declared is playbooks/orphans.yml's; nothing is stale without the search.
    assert "removed" not in answer["tiers"]
    assert "stale" not in dns_role.certificates(requests, results, "dev-atelier")["tiers"]["web"]
