"""Small builders shared by the emulator's tests of the fault and latency profiles and of the refusals."""

import datetime
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # CloudFront's managed cache policy


def unique(prefix: str) -> str:
    """prefix plus a random suffix, so that tests sharing the session's emulator never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def network(ec2, second_octet: int) -> tuple[str, list[str]]:
    """A VPC 10.<second_octet>.0.0/16 with two subnets, in us-east-1a and us-east-1b: (VPC id, subnet ids)."""
    vpc_id = ec2.create_vpc(CidrBlock=f"10.{second_octet}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(
            VpcId=vpc_id, CidrBlock=f"10.{second_octet}.{index}.0/24", AvailabilityZone=f"us-east-1{zone}"
        )["Subnet"]["SubnetId"]
        for index, zone in ((1, "a"), (2, "b"))
    ]
    return vpc_id, subnets


def db_subnet_group(rds, subnets: list[str]) -> str:
    """A new DB subnet group of subnets; its name."""
    name = unique("dbsubnets")
    rds.create_db_subnet_group(DBSubnetGroupName=name, DBSubnetGroupDescription="test", SubnetIds=subnets)
    return name


def db_instance(rds, identifier: str, subnet_group: str, groups: list[str] | None = None) -> dict:
    """A small PostgreSQL DB instance in us-east-1a in subnet_group with the security groups given; its description."""
    return rds.create_db_instance(
        DBInstanceIdentifier=identifier,
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        MasterUsername="atelier",
        MasterUserPassword="not-a-secret-1",
        AllocatedStorage=20,
        DBSubnetGroupName=subnet_group,
        VpcSecurityGroupIds=groups or [],
        AvailabilityZone="us-east-1a",
    )["DBInstance"]


def distribution_config(**more) -> dict:
    """A CloudFront DistributionConfig with one custom origin (origin.example.com, HTTP only) and a managed cache
    policy; ``more`` replaces or adds top-level fields."""
    config = {
        "CallerReference": unique("ref"),
        "Comment": "emulator test",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "alb",
                    "DomainName": "origin.example.com",
                    "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "alb",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_OPTIMIZED,
        },
    }
    config.update(more)
    return config


def imported_certificate(emulator, domain: str = "app.example.com", region: str = "us-east-1") -> str:
    """An ACM certificate imported (so ISSUED at once) from a self-signed certificate for domain."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return emulator.client("acm", region=region).import_certificate(
        Certificate=certificate.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        ),
    )["CertificateArn"]
