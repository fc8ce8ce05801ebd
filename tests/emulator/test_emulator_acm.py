"""ACM in the emulator (``acm_dns_validation``, ``acm_certificate_in_use``), seen through boto3.

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_acm.py`` (the module is named in the test's docstring). ``ATELIER_EMULATOR_ACM_VALIDATION_DELAY`` is set per test through
``POST /_atelier/config`` (0: a domain is validated at the first read that finds its CNAME).
"""

import time
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import distribution_config, imported_certificate, unique

DELAY = "ATELIER_EMULATOR_ACM_VALIDATION_DELAY"


@pytest.fixture
def validation_delay(emulator):
    """``validation_delay(seconds)`` sets the knob; the test's end drops it."""
    yield lambda seconds: emulator._post_json("/_atelier/config", {DELAY: seconds})
    emulator._post_json("/_atelier/config", {DELAY: None})


def _zone(route53, name: str, private_vpc: str | None = None) -> str:
    extra = {}
    if private_vpc:
        extra = {"VPC": {"VPCRegion": "us-east-1", "VPCId": private_vpc}, "HostedZoneConfig": {"PrivateZone": True}}
    return route53.create_hosted_zone(Name=name, CallerReference=uuid.uuid4().hex, **extra)["HostedZone"]["Id"]


def _publish(route53, zone_id: str, record: dict, action: str = "UPSERT") -> None:
    route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": action,
                    "ResourceRecordSet": {
                        "Name": record["Name"],
                        "Type": record["Type"],
                        "TTL": 300,
                        "ResourceRecords": [{"Value": record["Value"]}],
                    },
                }
            ]
        },
    )


def _certificate(acm, arn: str) -> dict:
    return acm.describe_certificate(CertificateArn=arn)["Certificate"]


def _statuses(certificate: dict) -> dict:
    return {o["DomainName"]: o["ValidationStatus"] for o in certificate["DomainValidationOptions"]}


def test_acm_dns_certificate_is_issued_once_every_validation_cname_is_in_route53(emulator, validation_delay):
    """acm_dns_validation"""
    validation_delay(0)
    domain = f"{uuid.uuid4().hex[:10]}.example.com"
    other = f"{uuid.uuid4().hex[:10]}.example.org"
    acm, route53 = emulator.client("acm"), emulator.client("route53")
    names = [f"www.{domain}", f"*.{domain}", domain, f"api.{other}"]
    arn = acm.request_certificate(DomainName=names[0], SubjectAlternativeNames=names[1:], ValidationMethod="DNS")[
        "CertificateArn"
    ]

    pending = _certificate(acm, arn)
    assert pending["Status"] == "PENDING_VALIDATION"
    assert pending["Type"] == "AMAZON_ISSUED"
    assert pending["DomainName"] == names[0]
    assert pending["SubjectAlternativeNames"] == names
    assert [o["DomainName"] for o in pending["DomainValidationOptions"]] == names
    assert _statuses(pending) == dict.fromkeys(names, "PENDING_VALIDATION")
    assert not {"IssuedAt", "NotBefore", "NotAfter", "Serial"} & set(pending)
    records = {o["DomainName"]: o["ResourceRecord"] for o in pending["DomainValidationOptions"]}
    assert {o["ValidationMethod"] for o in pending["DomainValidationOptions"]} == {"DNS"}
    # One record per validation domain: the wildcard shares the apex's; every domain has its own name and value.
    assert records[f"*.{domain}"] == records[domain]
    assert records[f"www.{domain}"]["Name"].endswith(f".www.{domain}.")
    assert records[domain]["Name"].endswith(f".{domain}.") and records[domain]["Name"].startswith("_")
    assert len({r["Value"] for r in records.values()}) == 3
    assert all(r["Type"] == "CNAME" and r["Value"].endswith(".acm-validations.aws.") for r in records.values())
    # The same domain in the same account has the same record in every certificate and region.
    again = acm.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]
    regional = emulator.client("acm", region="eu-west-1")
    elsewhere = regional.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]
    assert _certificate(acm, again)["DomainValidationOptions"][0]["ResourceRecord"] == records[domain]
    assert _certificate(regional, elsewhere)["DomainValidationOptions"][0]["ResourceRecord"] == records[domain]

    # The zone alone validates nothing; a record with another value neither.
    zone = _zone(route53, domain)
    _publish(route53, zone, {**records[domain], "Value": "_wrong.acm-validations.aws."})
    assert _statuses(_certificate(acm, arn)) == dict.fromkeys(names, "PENDING_VALIDATION")

    _publish(route53, zone, records[domain])
    _publish(route53, zone, records[f"www.{domain}"])
    partly = _certificate(acm, arn)
    assert partly["Status"] == "PENDING_VALIDATION"
    assert _statuses(partly) == {**dict.fromkeys(names[:3], "SUCCESS"), names[3]: "PENDING_VALIDATION"}
    assert _certificate(regional, elsewhere)["Status"] == "ISSUED"  # a region's certificate reads the same zone
    assert arn not in [
        c["CertificateArn"] for c in acm.list_certificates(CertificateStatuses=["ISSUED"])["CertificateSummaryList"]
    ]

    # Trailing dots and the value's case do not matter, as in DNS.
    record = records[f"api.{other}"]
    _publish(
        route53, _zone(route53, other), {**record, "Name": record["Name"][:-1], "Value": record["Value"][:-1].upper()}
    )
    issued = _certificate(acm, arn)
    assert issued["Status"] == "ISSUED"
    assert _statuses(issued) == dict.fromkeys(names, "SUCCESS")
    assert {"IssuedAt", "NotBefore", "NotAfter", "Serial"} <= set(issued)
    listed = acm.list_certificates(CertificateStatuses=["ISSUED"])["CertificateSummaryList"]
    assert arn in [c["CertificateArn"] for c in listed]


def test_acm_dns_validation_needs_the_public_zone_that_covers_the_record(emulator, validation_delay):
    """acm_dns_validation"""
    validation_delay(0)
    parent = f"{uuid.uuid4().hex[:10]}.example.net"
    acm, route53 = emulator.client("acm"), emulator.client("route53")
    arn = acm.request_certificate(DomainName=f"app.{parent}", ValidationMethod="DNS")["CertificateArn"]
    record = _certificate(acm, arn)["DomainValidationOptions"][0]["ResourceRecord"]
    vpc = emulator.client("ec2").create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]

    private = _zone(route53, f"app.{parent}", private_vpc=vpc)
    assert route53.get_hosted_zone(Id=private)["HostedZone"]["Config"]["PrivateZone"] is True
    _publish(route53, private, record)  # a private zone is not what ACM resolves
    delegated = _zone(route53, f"app.{parent}")  # the public delegated zone, without the record
    _publish(route53, _zone(route53, parent), record)  # the parent zone is not asked once app. is delegated
    assert _certificate(acm, arn)["Status"] == "PENDING_VALIDATION"

    _publish(route53, delegated, record)
    assert _certificate(acm, arn)["Status"] == "ISSUED"


def test_acm_dns_validation_takes_the_delay_after_the_record_is_found(emulator, validation_delay):
    """acm_dns_validation"""
    validation_delay(0.6)
    domain = f"{uuid.uuid4().hex[:10]}.example.com"
    acm, route53 = emulator.client("acm"), emulator.client("route53")
    arn = acm.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]
    record = _certificate(acm, arn)["DomainValidationOptions"][0]["ResourceRecord"]
    _publish(route53, _zone(route53, domain), record)

    found = _certificate(acm, arn)
    assert (found["Status"], _statuses(found)) == ("PENDING_VALIDATION", {domain: "PENDING_VALIDATION"})
    time.sleep(0.8)
    issued = _certificate(acm, arn)
    assert (issued["Status"], _statuses(issued)) == ("ISSUED", {domain: "SUCCESS"})


def test_acm_certificate_in_use_by_a_listener_or_a_distribution_is_not_deleted(emulator):
    """acm_certificate_in_use"""
    acm, elbv2, cloudfront = emulator.client("acm"), emulator.client("elbv2"), emulator.client("cloudfront")
    certificate = imported_certificate(emulator, "in-use.example.com")
    extra = imported_certificate(emulator, "extra.example.com")
    ec2 = emulator.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.78.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.78.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"][
            "SubnetId"
        ]
        for i, z in ((1, "a"), (2, "b"))
    ]
    balancer = elbv2.create_load_balancer(Name=unique("alb"), Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    listener = elbv2.create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": certificate}],
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
    )["Listeners"][0]["ListenerArn"]
    elbv2.add_listener_certificates(ListenerArn=listener, Certificates=[{"CertificateArn": extra}])
    viewer = {
        "ACMCertificateArn": certificate,
        "SSLSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    created = cloudfront.create_distribution(
        DistributionConfig=distribution_config(
            Aliases={"Quantity": 1, "Items": ["in-use.example.com"]}, ViewerCertificate=viewer
        )
    )
    distribution = created["Distribution"]

    assert acm.describe_certificate(CertificateArn=certificate)["Certificate"]["InUseBy"] == [
        balancer,
        distribution["ARN"],
    ]
    assert acm.describe_certificate(CertificateArn=extra)["Certificate"]["InUseBy"] == [balancer]
    summaries = {c["CertificateArn"]: c for c in acm.list_certificates()["CertificateSummaryList"]}
    assert summaries[certificate]["InUse"] is True
    for arn in (certificate, extra):
        with pytest.raises(ClientError) as refused:
            acm.delete_certificate(CertificateArn=arn)
        assert refused.value.response["Error"] == {
            "Code": "ResourceInUseException",
            "Message": f"Certificate {arn} in use.",
        }

    # Let go by the listener (deleted) and the distribution (default certificate again): deletable.
    elbv2.delete_listener(ListenerArn=listener)
    acm.delete_certificate(CertificateArn=extra)
    config = cloudfront.get_distribution_config(Id=distribution["Id"])
    released = {
        **config["DistributionConfig"],
        "Aliases": {"Quantity": 0},
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True},
    }
    cloudfront.update_distribution(Id=distribution["Id"], IfMatch=config["ETag"], DistributionConfig=released)
    assert acm.describe_certificate(CertificateArn=certificate)["Certificate"]["InUseBy"] == []
    acm.delete_certificate(CertificateArn=certificate)


def test_acm_request_with_the_idempotency_token_of_a_deleted_certificate_makes_a_new_one(emulator):
    """acm_dns_validation"""
    acm = emulator.client("acm")
    domain = f"{uuid.uuid4().hex[:10]}.example.com"
    token = uuid.uuid4().hex[:32]

    def request() -> str:
        return acm.request_certificate(DomainName=domain, ValidationMethod="DNS", IdempotencyToken=token)[
            "CertificateArn"
        ]

    first = request()
    assert request() == first
    acm.delete_certificate(CertificateArn=first)

    again = request()  # moto: 500 (KeyError on the deleted ARN)
    assert again != first
    assert _certificate(acm, again)["Status"] == "PENDING_VALIDATION"
    assert request() == again  # the token names the new certificate now
