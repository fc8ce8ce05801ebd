"""EC2 launch template additions of the emulator, seen through boto3 (so every answer also parses with botocore's
service model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_launch_templates.py`` (the module is named in the test's docstring).
"""

import base64
import uuid

import pytest
from botocore.exceptions import ClientError

AMI = "ami-760aaa0f"  # moto's amzn-ami-hvm-2017.09.1 x86_64 gp2
TEMPLATE_VERSION_TAG = "aws:ec2launchtemplate:version"


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _user_data(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _tags(resource: dict) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def _version_data(ec2, template_id: str, version: str) -> dict:
    (described,) = ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=[version])[
        "LaunchTemplateVersions"
    ]
    return described["LaunchTemplateData"]


def _subnet(ec2, cidr: str) -> str:
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr)["Subnet"]["SubnetId"]


def _group(autoscaling, name: str) -> dict:
    (group,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]
    return group


def _ec2_instances(ec2, instance_ids) -> dict[str, dict]:
    reservations = ec2.describe_instances(InstanceIds=list(instance_ids))["Reservations"]
    return {instance["InstanceId"]: instance for reservation in reservations for instance in reservation["Instances"]}


def _instance_user_data(ec2, instance_id: str) -> str | None:
    return ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")["UserData"].get("Value")


def test_launch_template_tags_stay_out_of_the_launch_data(emulator):
    """ec2_launch_template_data_tags: top-level launch-template tags tag the template, not its version's data."""
    ec2 = emulator.client("ec2")
    instance_tags = {"ResourceType": "instance", "Tags": [{"Key": "Role", "Value": "web"}]}
    data = {"ImageId": AMI, "InstanceType": "t3.micro", "TagSpecifications": [instance_tags]}
    template_tags = [{"ResourceType": "launch-template", "Tags": [{"Key": "Owner", "Value": "platform"}]}]

    created = ec2.create_launch_template(
        LaunchTemplateName=_name("lt"), LaunchTemplateData=data, TagSpecifications=template_tags
    )["LaunchTemplate"]

    template_id = created["LaunchTemplateId"]
    assert _tags(created) == {"Owner": "platform"}
    (described,) = ec2.describe_launch_templates(LaunchTemplateIds=[template_id])["LaunchTemplates"]
    assert _tags(described) == {"Owner": "platform"}
    assert _version_data(ec2, template_id, "1") == data  # as sent: only the instance entry
    assert _version_data(ec2, template_id, "$Latest")["TagSpecifications"] == [instance_tags]

    (instance,) = ec2.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template_id})[
        "Instances"
    ]
    tags = _tags(_ec2_instances(ec2, [instance["InstanceId"]])[instance["InstanceId"]])
    assert tags["Role"] == "web" and "Owner" not in tags

    # Template tags only: the launch data has no TagSpecifications at all.
    only_template = ec2.create_launch_template(
        LaunchTemplateName=_name("lt"),
        LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.micro"},
        TagSpecifications=template_tags,
    )["LaunchTemplate"]
    assert _tags(only_template) == {"Owner": "platform"}
    assert _version_data(ec2, only_template["LaunchTemplateId"], "1") == {"ImageId": AMI, "InstanceType": "t3.micro"}


def test_launch_template_version_user_data_reaches_auto_scaling_instances(emulator):
    """ec2_launch_template_version_user_data: a group on version 2 ($Latest) launches and scales out (moto: HTTP 500
    AssertionError), its instances carry version 2's user data."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    first, second = _user_data("#!/bin/sh\necho v1\n"), _user_data("#!/bin/sh\necho v2\n")
    template_id = ec2.create_launch_template(
        LaunchTemplateName=_name("lt"),
        LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.micro", "UserData": first},
    )["LaunchTemplate"]["LaunchTemplateId"]

    version = ec2.create_launch_template_version(
        LaunchTemplateId=template_id,
        LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.small", "UserData": second},
    )["LaunchTemplateVersion"]

    assert (version["VersionNumber"], version["LaunchTemplateData"]["UserData"]) == (2, second)
    assert _version_data(ec2, template_id, "2")["UserData"] == second
    assert _version_data(ec2, template_id, "1")["UserData"] == first

    name = _name("asg")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=0,
        MaxSize=5,
        DesiredCapacity=1,
        VPCZoneIdentifier=_subnet(ec2, "10.81.0.0/24"),
        LaunchTemplate={"LaunchTemplateId": template_id, "Version": "$Latest"},
    )
    autoscaling.set_desired_capacity(AutoScalingGroupName=name, DesiredCapacity=3)

    instances = _group(autoscaling, name)["Instances"]
    assert len(instances) == 3
    assert {(instance["LaunchTemplate"]["Version"], instance["InstanceType"]) for instance in instances} == {
        ("2", "t3.small")
    }
    described = _ec2_instances(ec2, [instance["InstanceId"] for instance in instances])
    assert len(described) == 3
    for instance_id, instance in described.items():
        assert instance["State"]["Name"] == "running"
        assert _tags(instance)[TEMPLATE_VERSION_TAG] == "2"
        assert _instance_user_data(ec2, instance_id) == second


def test_launch_template_version_user_data_run_instances_and_validation(emulator):
    """ec2_launch_template_version_user_data: RunInstances from version 2 gets its user data; a version without user
    data launches without any; user data that is not base64 is InvalidUserData.Malformed, as in
    CreateLaunchTemplate (moto stored it and answered 200)."""
    ec2 = emulator.client("ec2")
    second = _user_data("#!/bin/sh\necho v2\n")
    template_id = ec2.create_launch_template(
        LaunchTemplateName=_name("lt"), LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.micro"}
    )["LaunchTemplate"]["LaunchTemplateId"]
    ec2.create_launch_template_version(
        LaunchTemplateId=template_id,
        LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.small", "UserData": second},
    )
    ec2.create_launch_template_version(
        LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.small"}
    )

    launched = {}
    for version in ("2", "3"):
        (instance,) = ec2.run_instances(
            MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template_id, "Version": version}
        )["Instances"]
        launched[version] = instance["InstanceId"]

    assert _instance_user_data(ec2, launched["2"]) == second
    assert _instance_user_data(ec2, launched["3"]) is None
    assert "UserData" not in _version_data(ec2, template_id, "3")

    with pytest.raises(ClientError) as raised:
        ec2.create_launch_template_version(
            LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": AMI, "UserData": "not base64!"}
        )
    assert raised.value.response["Error"]["Code"] == "InvalidUserData.Malformed"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    (template,) = ec2.describe_launch_templates(LaunchTemplateIds=[template_id])["LaunchTemplates"]
    assert template["LatestVersionNumber"] == 3


def test_launch_template_delete_versions(emulator):
    """ec2_launch_template_delete_versions: versions other than the default are deleted, the default and unknown ones are
    refused in the answer, deleted versions disappear, numbers are not reused, and the template can then be deleted."""
    ec2 = emulator.client("ec2")
    name = _name("lt-delete")
    template_id = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData={"ImageId": AMI})[
        "LaunchTemplate"
    ]["LaunchTemplateId"]
    for instance_type in ("t3.small", "t3.medium"):
        ec2.create_launch_template_version(
            LaunchTemplateName=name, LaunchTemplateData={"ImageId": AMI, "InstanceType": instance_type}
        )
    ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion="2")

    answer = ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["1", "2", "3", "9"])
    assert [v["VersionNumber"] for v in answer["SuccessfullyDeletedLaunchTemplateVersions"]] == [1, 3]
    refused = {v["VersionNumber"]: v["ResponseError"]["Code"] for v in answer["UnsuccessfullyDeletedLaunchTemplateVersions"]}
    assert refused == {2: "launchTemplateVersionIsDefaultVersion", 9: "launchTemplateVersionDoesNotExist"}

    versions = ec2.describe_launch_template_versions(LaunchTemplateId=template_id)["LaunchTemplateVersions"]
    assert [v["VersionNumber"] for v in versions] == [2]
    assert _version_data(ec2, template_id, "$Latest")["InstanceType"] == "t3.small"
    with pytest.raises(ClientError) as raised:
        ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["1"])
    assert raised.value.response["Error"]["Code"] == "InvalidLaunchTemplateId.VersionNotFound"
    new = ec2.create_launch_template_version(LaunchTemplateName=name, LaunchTemplateData={"ImageId": AMI})
    assert new["LaunchTemplateVersion"]["VersionNumber"] == 4

    ec2.delete_launch_template(LaunchTemplateId=template_id)
    assert ec2.describe_launch_templates(Filters=[{"Name": "launch-template-name", "Values": [name]}])["LaunchTemplates"] == []
