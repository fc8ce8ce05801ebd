"""Route 53 alias records and change batches in the emulator, seen through boto3.

``route53_alias_targets``, ``elbv2_canonical_hosted_zone_id``, ``route53_change_batch_checks`` and
``route53_caller_reference``: each test fails
against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_route53.py`` (the modules are named in the test's docstring).
"""

import uuid

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import distribution_config, unique

CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"


def _refused(route53, zone_id: str, *changes: tuple) -> dict:
    """The error of a change batch of (action, record set) pairs that must fail."""
    with pytest.raises(ClientError) as raised:
        _change(route53, zone_id, *changes)
    return raised.value.response["Error"]


def _zone(route53) -> tuple[str, str]:
    name = f"{uuid.uuid4().hex[:10]}.example.com"
    return route53.create_hosted_zone(Name=name, CallerReference=uuid.uuid4().hex)["HostedZone"]["Id"], name


def _change(route53, zone_id: str, *changes: tuple) -> None:
    route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={"Changes": [{"Action": action, "ResourceRecordSet": record} for action, record in changes]},
    )


def _alias(name: str, record_type: str, zone_id: str, dns_name: str, health: bool = False) -> dict:
    return {
        "Name": name,
        "Type": record_type,
        "AliasTarget": {"HostedZoneId": zone_id, "DNSName": dns_name, "EvaluateTargetHealth": health},
    }


def _a(name: str, *addresses: str, ttl: int = 300) -> dict:
    return {"Name": name, "Type": "A", "TTL": ttl, "ResourceRecords": [{"Value": a} for a in addresses]}


def _records(route53, zone_id: str) -> list[dict]:
    return [
        r
        for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
        if r["Type"] not in ("NS", "SOA")
    ]


def _load_balancer(emulator, region: str, octet: int) -> dict:
    ec2 = emulator.client("ec2", region=region)
    vpc_id = ec2.create_vpc(CidrBlock=f"10.{octet}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.{octet}.{i}.0/24", AvailabilityZone=f"{region}{z}")["Subnet"][
            "SubnetId"
        ]
        for i, z in ((1, "a"), (2, "b"))
    ]
    return emulator.client("elbv2", region=region).create_load_balancer(Name=unique("alb"), Subnets=subnets)[
        "LoadBalancers"
    ][0]


def _distribution(emulator) -> dict:
    return emulator.client("cloudfront").create_distribution(DistributionConfig=distribution_config())["Distribution"]


def test_load_balancers_are_in_their_regions_elastic_load_balancing_zone(emulator):
    """elbv2_canonical_hosted_zone_id"""
    assert _load_balancer(emulator, "us-east-1", 141)["CanonicalHostedZoneId"] == "Z35SXDOTRQ7X7K"
    assert _load_balancer(emulator, "eu-west-1", 142)["CanonicalHostedZoneId"] == "Z32O12XQLNTSW2"


def test_route53_alias_records_to_cloudfront_and_load_balancers(emulator):
    """route53_alias_targets, elbv2_canonical_hosted_zone_id"""
    route53 = emulator.client("route53")
    zone_id, zone = _zone(route53)
    distribution = _distribution(emulator)["DomainName"]
    balancer = _load_balancer(emulator, "eu-west-1", 143)
    balancer_zone, balancer_name = balancer["CanonicalHostedZoneId"], balancer["DNSName"]
    assert balancer_zone == "Z32O12XQLNTSW2"

    _change(
        route53,
        zone_id,
        ("UPSERT", _alias(zone, "A", CLOUDFRONT_ZONE, distribution.upper())),
        ("UPSERT", _alias(zone, "AAAA", CLOUDFRONT_ZONE, distribution + ".")),
        ("UPSERT", _alias(f"api.{zone}", "A", balancer_zone, f"dualstack.{balancer_name}", health=True)),
        ("CREATE", _alias(f"api.{zone}", "AAAA", balancer_zone, balancer_name, health=True)),
    )
    records = {(r["Name"], r["Type"]): r.get("AliasTarget") for r in _records(route53, zone_id)}
    cloudfront = {"HostedZoneId": CLOUDFRONT_ZONE, "DNSName": f"{distribution}.", "EvaluateTargetHealth": False}
    balancer_target = {"HostedZoneId": balancer_zone, "DNSName": f"{balancer_name.lower()}.", "EvaluateTargetHealth": True}
    assert records == {
        (f"{zone}.", "A"): cloudfront,
        (f"{zone}.", "AAAA"): cloudfront,
        (f"api.{zone}.", "A"): {**balancer_target, "DNSName": f"dualstack.{balancer_name.lower()}."},
        (f"api.{zone}.", "AAAA"): balancer_target,
    }

    # A target that is not in the zone named refuses the whole batch.
    for target_zone, target in (
        (CLOUDFRONT_ZONE, "d0000notthere.cloudfront.net"),  # no such distribution
        (CLOUDFRONT_ZONE, balancer_name),  # a load balancer is not in CloudFront's zone
        ("Z35SXDOTRQ7X7K", balancer_name),  # the load balancer is in eu-west-1's zone, not us-east-1's
        (balancer_zone, "nope-1.eu-west-1.elb.amazonaws.com"),  # no such load balancer
    ):
        error = _refused(
            route53,
            zone_id,
            ("UPSERT", _a(f"ok.{zone}", "192.0.2.1")),
            ("UPSERT", _alias(f"www.{zone}", "A", target_zone, target)),
        )
        assert error["Code"] == "InvalidChangeBatch"
        assert error["Message"] == (
            f"[Tried to create an alias that targets {target.lower()}., type A in zone {target_zone}, "
            "but the alias target name does not lie within the target zone]"
        )
    assert len(_records(route53, zone_id)) == 4

    # A delete names the alias as it was written (case and trailing dot do not matter).
    _change(route53, zone_id, ("DELETE", _alias(zone, "AAAA", CLOUDFRONT_ZONE, distribution.upper())))
    assert (f"{zone}.", "AAAA") not in {(r["Name"], r["Type"]) for r in _records(route53, zone_id)}


def test_route53_create_of_an_existing_record_and_delete_of_a_missing_one_fail(emulator):
    """route53_change_batch_checks"""
    route53 = emulator.client("route53")
    zone_id, zone = _zone(route53)
    www = f"www.{zone}"
    _change(route53, zone_id, ("CREATE", _a(www, "192.0.2.1")))

    error = _refused(route53, zone_id, ("CREATE", _a(www, "192.0.2.2")))
    assert error["Code"] == "InvalidChangeBatch"
    assert error["Message"] == f"[Tried to create resource record set [name='{www}.', type='A'] but it already exists]"
    _change(route53, zone_id, ("UPSERT", _a(www, "192.0.2.2", "192.0.2.3")))
    error = _refused(route53, zone_id, ("CREATE", _a(www, "192.0.2.2", "192.0.2.3")))
    assert error["Message"] == f"[Tried to create resource record set [name='{www}.', type='A'] but it already exists]"
    assert [r["ResourceRecords"] for r in _records(route53, zone_id)] == [
        [{"Value": "192.0.2.2"}, {"Value": "192.0.2.3"}]
    ]

    error = _refused(route53, zone_id, ("DELETE", _a(www, "192.0.2.1")))
    assert error["Message"] == (
        f"[Tried to delete resource record set [name='{www}.', type='A'] "
        "but the values provided do not match the current values]"
    )
    _change(route53, zone_id, ("DELETE", _a(www + ".", "192.0.2.3", "192.0.2.2")))  # values as a set, a trailing dot
    assert _records(route53, zone_id) == []
    error = _refused(route53, zone_id, ("DELETE", _a(www, "192.0.2.3", "192.0.2.2")))
    assert error["Message"] == f"[Tried to delete resource record set [name='{www}.', type='A'] but it was not found]"

    # Problems are listed together and nothing of the batch is applied.
    error = _refused(
        route53,
        zone_id,
        ("CREATE", _a(f"new.{zone}", "192.0.2.9")),
        ("DELETE", _a(www, "192.0.2.1")),
        ("CREATE", _a(f"new.{zone}", "192.0.2.9")),
    )
    assert error["Message"] == (
        f"[Tried to delete resource record set [name='{www}.', type='A'] but it was not found, "
        f"Tried to create resource record set [name='new.{zone}.', type='A'] but it already exists]"
    )
    assert _records(route53, zone_id) == []


def test_route53_a_caller_reference_makes_one_zone(emulator):
    """route53_caller_reference"""
    route53 = emulator.client("route53")
    name, reference = f"{uuid.uuid4().hex[:10]}.example.com", uuid.uuid4().hex
    route53.create_hosted_zone(Name=name, CallerReference=reference)
    with pytest.raises(ClientError) as raised:
        route53.create_hosted_zone(Name=name, CallerReference=reference)
    assert raised.value.response["Error"]["Code"] == "HostedZoneAlreadyExists"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    zones = route53.list_hosted_zones_by_name(DNSName=name)["HostedZones"]
    assert [z["Name"] for z in zones if z["Name"] == name + "."] == [name + "."]
