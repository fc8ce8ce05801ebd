"""What AWS refuses and moto 5.2.5 allowed: ``ec2_security_group_dependencies``, ``ec2_subnet_dependencies``,
``ec2_vpc_dependencies``, ``elbv2_create_load_balancer_idempotent``, ``autoscaling_group_already_exists`` (and
BucketNotEmpty, which moto already refuses).

Each test names its addition and fails without it (``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_refusals.py``).
"""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import db_instance, db_subnet_group, network, unique

AMI = "ami-12c6146b"  # one of moto's default AMIs


def _error(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def _group(ec2, vpc_id: str) -> str:
    return ec2.create_security_group(GroupName=unique("sg"), Description="test", VpcId=vpc_id)["GroupId"]


def _db(emulator, subnets: list[str], group_id: str) -> str:
    rds = emulator.client("rds")
    return db_instance(rds, unique("db"), db_subnet_group(rds, subnets), [group_id])["DBInstanceIdentifier"]


def test_ec2_security_group_dependencies_instance(emulator):
    """ec2_security_group_dependencies: a group on a running instance is DependencyViolation until it terminates."""
    ec2 = emulator.client("ec2")
    vpc_id, subnets = network(ec2, 160)
    group_id = _group(ec2, vpc_id)
    instance_id = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=subnets[0], SecurityGroupIds=[group_id]
    )["Instances"][0]["InstanceId"]

    assert _error(ec2.delete_security_group, GroupId=group_id) == (
        "DependencyViolation",
        f"resource {group_id} has a dependent object",
    )

    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.delete_security_group(GroupId=group_id)


def test_ec2_security_group_dependencies_load_balancer_and_db_instance(emulator):
    """ec2_security_group_dependencies: a group of a load balancer or of a DB instance in the VPC is in use."""
    ec2, elbv2, rds = emulator.client("ec2"), emulator.client("elbv2"), emulator.client("rds")
    vpc_id, subnets = network(ec2, 161)
    alb_group, db_group = _group(ec2, vpc_id), _group(ec2, vpc_id)
    arn = elbv2.create_load_balancer(Name=unique("alb"), Subnets=subnets, SecurityGroups=[alb_group])["LoadBalancers"][
        0
    ]["LoadBalancerArn"]
    identifier = _db(emulator, subnets, db_group)

    assert _error(ec2.delete_security_group, GroupId=alb_group)[0] == "DependencyViolation"
    assert _error(ec2.delete_security_group, GroupId=db_group)[0] == "DependencyViolation"

    elbv2.delete_load_balancer(LoadBalancerArn=arn)
    rds.delete_db_instance(DBInstanceIdentifier=identifier, SkipFinalSnapshot=True)
    ec2.delete_security_group(GroupId=alb_group)
    ec2.delete_security_group(GroupId=db_group)


def test_ec2_security_group_dependencies_rule_of_another_group(emulator):
    """ec2_security_group_dependencies: a group another group's rule refers to is in use; its own rules are not."""
    ec2 = emulator.client("ec2")
    vpc_id, _subnets = network(ec2, 162)
    source, target = _group(ec2, vpc_id), _group(ec2, vpc_id)
    permission = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432}
    ec2.authorize_security_group_ingress(
        GroupId=target, IpPermissions=[{**permission, "UserIdGroupPairs": [{"GroupId": source}]}]
    )
    ec2.authorize_security_group_ingress(
        GroupId=source, IpPermissions=[{**permission, "UserIdGroupPairs": [{"GroupId": source}]}]
    )

    assert _error(ec2.delete_security_group, GroupId=source)[0] == "DependencyViolation"

    ec2.revoke_security_group_ingress(
        GroupId=target, IpPermissions=[{**permission, "UserIdGroupPairs": [{"GroupId": source}]}]
    )
    ec2.delete_security_group(GroupId=source)  # its rule referring to itself does not hold it
    ec2.delete_security_group(GroupId=target)


def test_ec2_subnet_dependencies(emulator):
    """ec2_subnet_dependencies: a subnet with an instance, a NAT gateway, a load balancer or a DB instance in it is
    DependencyViolation; once they are gone it can be deleted."""
    ec2, elbv2, rds = emulator.client("ec2"), emulator.client("elbv2"), emulator.client("rds")
    vpc_id, (subnet_a, subnet_b) = network(ec2, 163)
    extra = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.163.3.0/24", AvailabilityZone="us-east-1c")["Subnet"][
        "SubnetId"
    ]
    spare = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.163.4.0/24", AvailabilityZone="us-east-1d")["Subnet"][
        "SubnetId"
    ]
    instance_id = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=extra)["Instances"][0]["InstanceId"]
    nat_id = ec2.create_nat_gateway(SubnetId=spare, ConnectivityType="private")["NatGateway"]["NatGatewayId"]
    arn = elbv2.create_load_balancer(Name=unique("alb"), Subnets=[subnet_a, subnet_b])["LoadBalancers"][0][
        "LoadBalancerArn"
    ]

    for subnet_id in (subnet_a, subnet_b, extra, spare):
        assert _error(ec2.delete_subnet, SubnetId=subnet_id) == (
            "DependencyViolation",
            f"The subnet '{subnet_id}' has dependencies and cannot be deleted.",
        )

    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.delete_nat_gateway(NatGatewayId=nat_id)
    elbv2.delete_load_balancer(LoadBalancerArn=arn)
    ec2.delete_subnet(SubnetId=extra)
    ec2.delete_subnet(SubnetId=spare)
    identifier = _db(emulator, [subnet_a, subnet_b], _group(ec2, vpc_id))
    assert _error(ec2.delete_subnet, SubnetId=subnet_a)[0] == "DependencyViolation"  # the instance's zone (a)
    ec2.delete_subnet(SubnetId=subnet_b)  # single-AZ: nothing of the instance in zone b
    rds.delete_db_instance(DBInstanceIdentifier=identifier, SkipFinalSnapshot=True)
    ec2.delete_subnet(SubnetId=subnet_a)


def test_ec2_vpc_dependencies(emulator):
    """ec2_vpc_dependencies: an attached internet gateway and a security group other than the default one keep the
    VPC; detached and deleted, the VPC goes."""
    ec2 = emulator.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.164.0.0/16")["Vpc"]["VpcId"]
    gateway_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    group_id = _group(ec2, vpc_id)
    message = f"The vpc '{vpc_id}' has dependencies and cannot be deleted."

    assert _error(ec2.delete_vpc, VpcId=vpc_id) == ("DependencyViolation", message)
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert _error(ec2.delete_vpc, VpcId=vpc_id) == ("DependencyViolation", message)
    ec2.delete_security_group(GroupId=group_id)
    ec2.delete_vpc(VpcId=vpc_id)

    assert _error(ec2.describe_vpcs, VpcIds=[vpc_id])[0] == "InvalidVpcID.NotFound"


def test_s3_delete_bucket_not_empty(emulator):
    """moto itself: DeleteBucket of a bucket with objects is BucketNotEmpty (409); emptied, it goes."""
    s3 = emulator.client("s3")
    bucket = unique("full")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="data", Body=b"kept")

    with pytest.raises(ClientError) as raised:
        s3.delete_bucket(Bucket=bucket)

    assert raised.value.response["Error"]["Code"] == "BucketNotEmpty"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    s3.delete_object(Bucket=bucket, Key="data")
    s3.delete_bucket(Bucket=bucket)


def test_elbv2_create_load_balancer_idempotent(emulator):
    """elbv2_create_load_balancer_idempotent: the same name and settings answer the existing load balancer; other
    settings are DuplicateLoadBalancerName."""
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    vpc_id, subnets = network(ec2, 165)
    group_id = _group(ec2, vpc_id)
    name = unique("same")

    first = elbv2.create_load_balancer(Name=name, Subnets=subnets, SecurityGroups=[group_id])["LoadBalancers"][0]
    again = elbv2.create_load_balancer(Name=name, Subnets=list(reversed(subnets)), SecurityGroups=[group_id])[
        "LoadBalancers"
    ][0]

    assert again["LoadBalancerArn"] == first["LoadBalancerArn"]
    assert len(elbv2.describe_load_balancers(Names=[name])["LoadBalancers"]) == 1
    assert _error(elbv2.create_load_balancer, Name=name, Subnets=subnets, Scheme="internal") == (
        "DuplicateLoadBalancerName",
        f"A load balancer with the same name '{name}' exists, but with different settings",
    )
    assert _error(elbv2.create_load_balancer, Name=name, Subnets=subnets[:1])[0] == ("DuplicateLoadBalancerName")


def test_autoscaling_group_already_exists(emulator):
    """autoscaling_group_already_exists: a second CreateAutoScalingGroup of the name is AlreadyExists and leaves the
    first group as it was."""
    ec2, autoscaling = emulator.client("ec2"), emulator.client("autoscaling")
    _vpc_id, subnets = network(ec2, 166)
    template = unique("lt")
    ec2.create_launch_template(LaunchTemplateName=template, LaunchTemplateData={"ImageId": AMI})
    name = unique("asg")
    group = {"AutoScalingGroupName": name, "LaunchTemplate": {"LaunchTemplateName": template}, "MinSize": 0}

    autoscaling.create_auto_scaling_group(**group, MaxSize=1, VPCZoneIdentifier=subnets[0])

    assert _error(autoscaling.create_auto_scaling_group, **group, MaxSize=3, VPCZoneIdentifier=subnets[1]) == (
        "AlreadyExists",
        f"AutoScalingGroup by this name already exists - A group with the name {name} already exists",
    )
    (described,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]
    assert (described["MaxSize"], described["VPCZoneIdentifier"]) == (1, subnets[0])
