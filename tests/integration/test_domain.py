"""A tier's domain end to end against the emulator (tests/integration/inventories/domain: the web tier with CloudFront
and the names app. and www.dom.example.com in a zone the test creates first, with a record made by hand): ONE deploy
of the layers the domain needs (network, security groups, ALB, CloudFront, dns; no runtime) shared by the module, a
second run, a run with www. dropped from the names (the replaced certificate released), then the teardown.
"""

import uuid

import pytest

INVENTORY = "tests/integration/inventories/domain"
TAGS = "vpc,security_groups,alb,cloudfront,dns"
PREFIX = "local-dom"
ZONE = "dom.example.com"
NAMES = [f"app.{ZONE}", f"www.{ZONE}"]
ORIGIN = f"origin.app.{ZONE}"
HAND_MADE = {"Name": f"manual.{ZONE}.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}


def run(emulator, playbook="playbooks/site.yml", *args):
    return emulator.playbook(playbook, "--tags", TAGS, *args, inventory=INVENTORY)


def records(emulator, zone_id):
    sets = emulator.client("route53").list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return {(s["Name"].rstrip(".").lower(), s["Type"]): s for s in sets}


def certificates(emulator):
    acm = emulator.client("acm")
    found = {}
    for summary in acm.list_certificates()["CertificateSummaryList"]:
        arn = summary["CertificateArn"]
        tags = {t["Key"]: t["Value"] for t in acm.list_tags_for_certificate(CertificateArn=arn)["Tags"]}
        if tags.get("atelier:stack") == "dom":
            found[arn] = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    return found


@pytest.fixture(scope="module")
def deployed(emulator):
    emulator.reset()
    route53 = emulator.client("route53")
    zone_id = route53.create_hosted_zone(Name=ZONE, CallerReference=uuid.uuid4().hex)["HostedZone"]["Id"]
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": HAND_MADE}]}
    )
    out = {"zone_id": zone_id, "deploy": run(emulator)}
    assert out["deploy"].rc == 0, out["deploy"].output[-8000:]
    out["again"] = run(emulator)
    return out


def test_both_certificates_are_issued_with_the_tier_names(deployed, emulator):
    found = certificates(emulator)
    names = sorted(sorted(c["SubjectAlternativeNames"]) for c in found.values())
    assert names == [NAMES, [ORIGIN]]
    assert {c["Status"] for c in found.values()} == {"ISSUED"}


def test_the_alb_listens_on_443_with_the_origin_certificate_and_redirects_80(deployed, emulator):
    elbv2 = emulator.client("elbv2")
    balancer = elbv2.describe_load_balancers(Names=[f"{PREFIX}-web"])["LoadBalancers"][0]
    listeners = {l["Port"]: l for l in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]}
    assert sorted(listeners) == [80, 443]
    origin_certificate = [arn for arn, c in certificates(emulator).items() if c["DomainName"] == ORIGIN]
    assert listeners[443]["Protocol"] == "HTTPS"
    assert [c["CertificateArn"] for c in listeners[443]["Certificates"]] == origin_certificate
    redirect = listeners[80]["DefaultActions"][0]
    assert redirect["Type"] == "redirect" and redirect["RedirectConfig"]["Protocol"] == "HTTPS"


def test_cloudfront_serves_the_names_and_reaches_the_origin_name_https_only(deployed, emulator):
    cloudfront = emulator.client("cloudfront")
    items = cloudfront.list_distributions()["DistributionList"]["Items"]
    distribution = next(d for d in items if d["Comment"] == f"{PREFIX}-web")
    config = cloudfront.get_distribution_config(Id=distribution["Id"])["DistributionConfig"]
    assert sorted(config["Aliases"]["Items"]) == NAMES
    viewer_certificate = [arn for arn, c in certificates(emulator).items() if c["DomainName"] == NAMES[0]]
    assert [config["ViewerCertificate"]["ACMCertificateArn"]] == viewer_certificate
    origin = config["Origins"]["Items"][0]
    assert origin["DomainName"] == ORIGIN
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_the_names_point_at_the_distribution_and_the_origin_name_at_the_alb(deployed, emulator):
    sets = records(emulator, deployed["zone_id"])
    domain = emulator.client("cloudfront").list_distributions()["DistributionList"]["Items"][0]["DomainName"]
    balancer = emulator.client("elbv2").describe_load_balancers(Names=[f"{PREFIX}-web"])["LoadBalancers"][0]
    for name in NAMES:
        for kind in ("A", "AAAA"):
            alias = sets[(name, kind)]["AliasTarget"]
            assert (alias["DNSName"], alias["HostedZoneId"]) == (domain.lower() + ".", "Z2FDTNDATAQYW2")
    alias = sets[(ORIGIN, "A")]["AliasTarget"]
    assert (alias["DNSName"], alias["HostedZoneId"]) == (balancer["DNSName"].lower() + ".", balancer["CanonicalHostedZoneId"])
    for certificate in certificates(emulator).values():
        for option in certificate["DomainValidationOptions"]:
            assert (option["ResourceRecord"]["Name"].rstrip(".").lower(), "CNAME") in sets
    assert deployed["deploy"].output.count("https://app.dom.example.com (via CloudFront, then HTTPS to") == 1


def test_a_second_run_changes_nothing_and_makes_no_mutating_call(deployed):
    again = deployed["again"]
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == []


def test_names_changed_release_the_certificate_they_replace_and_their_records(deployed, emulator):
    """www. leaves the tier: a new us-east-1 certificate for app. alone replaces the one of both names; once the
    distribution uses it, the former one is deleted (nothing uses it) and www.'s records are gone. The origin
    certificate (origin.app., unchanged) stays."""
    before = certificates(emulator)
    tiers = [{"name": "web", "runtime": "fargate", "app_port": 3000, "image": "web:1.0.0", "cloudfront": True,
              "domain": {"zone": ZONE, "names": NAMES[:1]}}]
    renamed = emulator.playbook("playbooks/site.yml", "--tags", TAGS, inventory=INVENTORY, extra_vars={"atelier_tiers": tiers})
    assert renamed.rc == 0, renamed.output[-8000:]
    after = certificates(emulator)
    assert sorted(sorted(c["SubjectAlternativeNames"]) for c in after.values()) == [NAMES[:1], [ORIGIN]]
    replaced = [arn for arn, c in before.items() if c["DomainName"] == NAMES[0]]
    assert len(replaced) == 1 and replaced[0] not in after  # deleted, not kept: the distribution let it go
    origin = [arn for arn, c in before.items() if c["DomainName"] == ORIGIN]
    assert origin[0] in after
    sets = records(emulator, deployed["zone_id"])
    assert not [key for key in sets if "www." in key[0]]
    assert {(NAMES[0], "A"), (NAMES[0], "AAAA"), (ORIGIN, "A")} <= set(sets)
    # The names' new certificate is the distribution's.
    cloudfront = emulator.client("cloudfront")
    distribution = cloudfront.list_distributions()["DistributionList"]["Items"][0]
    config = cloudfront.get_distribution_config(Id=distribution["Id"])["DistributionConfig"]
    assert config["ViewerCertificate"]["ACMCertificateArn"] in after and config["Aliases"]["Items"] == NAMES[:1]


def test_teardown_removes_the_stack_records_and_certificates_and_keeps_the_hand_made_record(deployed, emulator):
    down = run(emulator, "playbooks/teardown.yml")
    assert down.rc == 0, down.output[-8000:]
    assert certificates(emulator) == {}
    left = records(emulator, deployed["zone_id"])
    assert sorted(left) == [(ZONE, "NS"), (ZONE, "SOA"), (f"manual.{ZONE}", "A")]
    assert left[(f"manual.{ZONE}", "A")]["ResourceRecords"] == HAND_MADE["ResourceRecords"]
