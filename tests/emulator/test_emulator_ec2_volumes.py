"""EC2 volume additions of the emulator, seen through boto3 (so every answer also parses with botocore's service model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=ec2_volume_snapshot_id pytest
tests/emulator/test_emulator_ec2_volumes.py``.
"""

AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def _instance_volumes(ec2, instance_id: str) -> dict[str, dict]:
    volumes = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}])["Volumes"]
    return {volume["Attachments"][0]["Device"]: volume for volume in volumes}


def test_blank_volume_describes_an_empty_snapshot_id(emulator):
    """ec2_volume_snapshot_id: a volume made from no snapshot answers SnapshotId "" (create and describe)."""
    ec2 = emulator.client("ec2")
    created = ec2.create_volume(Size=1, AvailabilityZone="us-east-1a")
    (described,) = ec2.describe_volumes(VolumeIds=[created["VolumeId"]])["Volumes"]
    assert created["SnapshotId"] == ""
    assert described["SnapshotId"] == ""


def test_root_volume_from_a_mapping_comes_from_the_ami_snapshot(emulator):
    """ec2_volume_snapshot_id: a root mapping with only size/type/encryption is made from the AMI's root snapshot."""
    ec2 = emulator.client("ec2")
    image_id = emulator.client("ssm").get_parameter(Name=AL2023_PARAMETER)["Parameter"]["Value"]
    (image,) = ec2.describe_images(ImageIds=[image_id])["Images"]
    root = image["RootDeviceName"]
    (ami_root,) = [m for m in image["BlockDeviceMappings"] if m["DeviceName"] == root]
    mappings = [
        {"DeviceName": root, "Ebs": {"VolumeSize": 20, "VolumeType": "gp3", "Encrypted": True}},
        {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 2, "VolumeType": "gp3"}},
    ]
    (instance,) = ec2.run_instances(
        ImageId=image_id, MinCount=1, MaxCount=1, InstanceType="t2.micro", BlockDeviceMappings=mappings
    )["Instances"]
    try:
        volumes = _instance_volumes(ec2, instance["InstanceId"])
        assert volumes[root]["SnapshotId"] == ami_root["Ebs"]["SnapshotId"]
        assert (volumes[root]["Size"], volumes[root]["VolumeType"], volumes[root]["Encrypted"]) == (20, "gp3", True)
        # A device the AMI does not map stays blank.
        assert volumes["/dev/sdf"]["SnapshotId"] == ""
    finally:
        ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
