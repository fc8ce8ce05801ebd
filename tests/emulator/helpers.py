"""Small builders shared by the emulator's tests of the fault and latency profiles and of the refusals."""

import uuid


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
