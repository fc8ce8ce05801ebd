"""Round trip of atelier.infra.acm_certificate_request and atelier.infra.route53_record_set against the emulator (which
issues a DNS-validated certificate only once its validation CNAMEs are in the zone, checks alias targets and change
batches, and refuses to delete a certificate a listener uses: emulator/additions/acm_dns_validation.py,
route53_alias_targets.py, route53_change_batch_checks.py, acm_certificate_in_use.py), ONE deployment shared by every
check: the first run requests the certificate, writes its validation records and an alias A record to a load balancer
in one batch and waits for ISSUED; the second requests nothing and makes no mutating call; a listed record somebody
else made is refused with nothing changed; state=absent removes the owner's records (never the other ones) and the
certificate, kept while a listener uses it. Then atelier.infra.route53_hosted_zone: a create whose answer is lost
makes one zone, tagged; an untagged zone with the owner's comment is adopted; a zone of somebody else is never
touched."""

import pytest

PLAYBOOK = "tests/integration/playbooks/dns_modules.yml"
ZONE = "example.test"
OWNER_VALUE = '"heritage=atelier,owner=itest-dns"'


def _load_balancer(emulator):
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.61.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
               for i, z in ((1, "a"), (2, "b"))]
    (alb,) = elbv2.create_load_balancer(Name="itest-dns", Subnets=subnets, Type="application")["LoadBalancers"]
    return alb


def _actions(run):
    """The mutating calls of a run by action name (the request log names Route 53's REST calls by method and path)."""
    return ["ChangeResourceRecordSets" if r["action"].rstrip("/").endswith("/rrset") else r["action"] for r in run.mutating]


def _record_sets(route53, zone_id):
    return {(r["Name"], r["Type"]): r for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]}


def _certificates(acm):
    return [c for c in acm.list_certificates()["CertificateSummaryList"] if c["DomainName"] == "app.example.test"]


@pytest.fixture(scope="module")
def deployment(emulator):
    route53 = emulator.client("route53")
    zone_id = route53.create_hosted_zone(Name=ZONE, CallerReference="itest-dns")["HostedZone"]["Id"].split("/")[-1]
    # Somebody else's record, made by hand (no ownership marker).
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
        "Name": f"other.{ZONE}.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.10"}]}}]})
    alb = _load_balancer(emulator)
    extra_vars = {"dns_alb_dns_name": alb["DNSName"].upper(), "dns_alb_zone_id": alb["CanonicalHostedZoneId"],
                  "dns_extra_records": [{"name": f"*.{ZONE}", "type": "TXT", "values": ["wildcard"]}]}
    first = emulator.playbook(PLAYBOOK, extra_vars=extra_vars)
    return dict(zone_id=zone_id, alb=alb, extra_vars=extra_vars, first=first)


def test_a_certificate_issued_once_its_validation_records_and_the_alias_are_written_in_one_batch(emulator, deployment):
    first = deployment["first"]
    assert first.rc == 0, first.output
    assert first.changed == 2, first.output
    actions = _actions(first)
    assert actions == ["RequestCertificate", "ChangeResourceRecordSets"], actions
    acm = emulator.client("acm")
    (summary,) = _certificates(acm)
    certificate = acm.describe_certificate(CertificateArn=summary["CertificateArn"])["Certificate"]
    assert certificate["Status"] == "ISSUED"
    assert sorted(certificate["SubjectAlternativeNames"]) == ["app.example.test", "www.example.test"]
    tags = {t["Key"]: t["Value"] for t in acm.list_tags_for_certificate(CertificateArn=summary["CertificateArn"])["Tags"]}
    assert tags == {"Name": "itest-dns", "atelier:stack": "itest-dns"}

    sets = _record_sets(emulator.client("route53"), deployment["zone_id"])
    for option in certificate["DomainValidationOptions"]:
        record = option["ResourceRecord"]
        assert sets[(record["Name"], "CNAME")]["ResourceRecords"] == [{"Value": record["Value"]}]
        marker = sets[(f"_atelier-owner-cname.{record['Name']}", "TXT")]
        assert marker["ResourceRecords"] == [{"Value": OWNER_VALUE}]
    alias = sets[(f"app.{ZONE}.", "A")]["AliasTarget"]
    assert alias["DNSName"] == deployment["alb"]["DNSName"].lower() + "."
    assert sets[(f"_atelier-owner-a.app.{ZONE}.", "TXT")]["ResourceRecords"] == [{"Value": OWNER_VALUE}]
    wildcard = [r for (name, kind), r in sets.items() if kind == "TXT" and name.replace("\\052", "*") == f"*.{ZONE}."]
    assert [r["ResourceRecords"] for r in wildcard] == [[{"Value": '"wildcard"'}]]
    assert sets[(f"_atelier-owner-txt-wildcard.{ZONE}.", "TXT")]["ResourceRecords"] == [{"Value": OWNER_VALUE}]


def test_a_second_run_requests_nothing_and_makes_no_mutating_call(emulator, deployment):
    second = emulator.playbook(PLAYBOOK, extra_vars=deployment["extra_vars"])
    assert second.rc == 0, second.output
    assert second.changed == 0, second.output
    assert second.mutating == [], second.mutating
    assert len(_certificates(emulator.client("acm"))) == 1


def test_a_record_somebody_else_made_is_refused_and_nothing_changes(emulator, deployment):
    route53 = emulator.client("route53")
    before = _record_sets(route53, deployment["zone_id"])
    extra = [{"name": f"other.{ZONE}", "type": "A", "values": ["192.0.2.99"]},
             {"name": f"new.{ZONE}", "type": "A", "values": ["192.0.2.11"]}]
    run = emulator.playbook(PLAYBOOK, extra_vars={**deployment["extra_vars"], "dns_extra_records": extra})
    assert run.rc != 0
    assert f"other.{ZONE}. A exists and is not owned by itest-dns" in run.output, run.output
    assert run.mutating == [], run.mutating
    assert _record_sets(route53, deployment["zone_id"]) == before


def test_absent_removes_the_owners_records_and_the_certificate_once_no_listener_uses_it(emulator, deployment):
    acm, elbv2, route53 = emulator.client("acm"), emulator.client("elbv2"), emulator.client("route53")
    (summary,) = _certificates(acm)
    arn = summary["CertificateArn"]
    listener = elbv2.create_listener(
        LoadBalancerArn=deployment["alb"]["LoadBalancerArn"], Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": arn}],
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}])["Listeners"][0]["ListenerArn"]
    absent = {**deployment["extra_vars"], "dns_state": "absent"}

    planned = emulator.playbook(PLAYBOOK, "--check", extra_vars=absent)
    assert planned.rc == 0, planned.output
    assert planned.changed == 1 and planned.mutating == [], planned.mutating  # the records; the certificate is in use

    kept = emulator.playbook(PLAYBOOK, extra_vars=absent)
    assert kept.rc == 0, kept.output
    assert _actions(kept) == ["ChangeResourceRecordSets"], kept.mutating
    assert f"kept {arn}" in kept.output, kept.output
    assert [c["CertificateArn"] for c in _certificates(acm)] == [arn]
    left = _record_sets(route53, deployment["zone_id"])
    assert sorted(left) == [(f"{ZONE}.", "NS"), (f"{ZONE}.", "SOA"), (f"other.{ZONE}.", "A")]

    elbv2.delete_listener(ListenerArn=listener)
    gone = emulator.playbook(PLAYBOOK, extra_vars=absent)
    assert gone.rc == 0, gone.output
    assert _actions(gone) == ["DeleteCertificate"], gone.mutating
    assert f"deleted {arn}" in gone.output, gone.output
    assert _certificates(acm) == []
    assert sorted(_record_sets(route53, deployment["zone_id"])) == sorted(left)


# atelier.infra.route53_hosted_zone (tests/integration/playbooks/route53_hosted_zone.yml, owner itest-zone).
ZONE_PLAYBOOK = "tests/integration/playbooks/route53_hosted_zone.yml"
ZONE_COMMENT = "The domains of itest-zone (created by atelier.infra.dns)"
ZONE_OWNER = {"atelier:stack": "itest-zone", "atelier:created-by": "atelier.infra.dns"}


def _zones_named(route53, name):
    return [z for z in route53.list_hosted_zones()["HostedZones"] if z["Name"] == name + "."]


def _zone_tags(route53, zone):
    tag_set = route53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone["Id"].split("/")[-1])["ResourceTagSet"]
    return {t["Key"]: t["Value"] for t in tag_set["Tags"]}


def _zones(emulator, *names, state="present"):
    return emulator.playbook(ZONE_PLAYBOOK, extra_vars={"zone_names": list(names), "zone_state": state})


def test_a_zone_whose_create_answer_is_lost_is_made_once_an_untagged_one_adopted_and_a_users_never_touched(emulator):
    """Three runs on three zones: lost.test (its create's answer lost), adopt.test (the owner's comment, no tag: a
    create whose tagging never happened) and user.test (somebody else's); then a run without change; then absent."""
    route53 = emulator.client("route53")
    route53.create_hosted_zone(Name="adopt.test", CallerReference="itest-adopt", HostedZoneConfig={"Comment": ZONE_COMMENT})
    route53.create_hosted_zone(Name="user.test", CallerReference="itest-user", HostedZoneConfig={"Comment": "mine"})
    zones = ("lost.test", "adopt.test", "user.test")
    emulator.faults(seed=1, lost={"route53:CreateHostedZone": 1}, lost_mode="error")
    try:
        first = _zones(emulator, *zones)
    finally:
        profile = emulator.faults()
    assert first.rc == 0 and first.changed == 1, first.output[-4000:]
    # The answer was lost (botocore's retry refused: the reference is used), yet one zone, the owner's.
    assert [e for e in first.requests if e.get("fault", {}).get("kind") == "lost"], profile
    assert "lost.test=created" in first.output and "adopt.test=adopted" in first.output and "user.test=foreign" in first.output
    (lost,), (adopt,), (user,) = (_zones_named(route53, name) for name in zones)
    assert _zone_tags(route53, lost) == dict(ZONE_OWNER, Name="lost.test")
    assert _zone_tags(route53, adopt) == dict(ZONE_OWNER, Name="adopt.test") and _zone_tags(route53, user) == {}

    again = _zones(emulator, *zones)
    assert (again.rc, again.changed, again.mutating) == (0, 0, []), again.output[-4000:]

    removed = _zones(emulator, *zones, state="absent")
    assert removed.rc == 0 and removed.changed == 1, removed.output[-4000:]
    assert [_zones_named(route53, name) for name in zones] == [[], [], [user]]
