"""Auto Scaling additions of the emulator, seen through boto3 (so every answer also parses with botocore's model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_autoscaling.py`` (the module is named in the test's docstring). The instance refresh
delay is set per test through ``POST /_atelier/config`` (``emulator/knobs.py``): 0 to finish a refresh at the next
request, a long delay to see it Pending, and dropped (back to the default) at the end of the test.
"""

import json
import math
import time
import urllib.request
import uuid

import pytest
from botocore.exceptions import ClientError

REFRESH_DELAY = "ATELIER_EMULATOR_INSTANCE_REFRESH_DELAY"
AMI = "ami-760aaa0f"  # moto's amzn-ami-hvm-2017.09.1 x86_64 gp2: root device /dev/xvda
DEFAULT_PREFERENCES = {
    "MinHealthyPercentage": 90,
    "SkipMatching": False,
    "AutoRollback": False,
    "ScaleInProtectedInstances": "Wait",
    "StandbyInstances": "Wait",
}
TEMPLATE_VERSION_TAG = "aws:ec2launchtemplate:version"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _config_request(emulator, values: dict) -> dict:
    request = urllib.request.Request(emulator.url + "/_atelier/config", data=json.dumps(values).encode(), method="POST")
    return json.loads(_DIRECT.open(request, timeout=30).read())


@pytest.fixture
def refresh_delay(emulator):
    """``refresh_delay(seconds)`` sets ATELIER_EMULATOR_INSTANCE_REFRESH_DELAY; the test's end drops it."""
    yield lambda seconds: _config_request(emulator, {REFRESH_DELAY: seconds})
    _config_request(emulator, {REFRESH_DELAY: None})


def _error(call, **kwargs) -> tuple[dict, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def _subnet(ec2, cidr: str) -> str:
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr)["Subnet"]["SubnetId"]


def _template(ec2, instance_type: str = "t3.micro", **data) -> tuple[str, str]:
    name = _name("lt")
    template = ec2.create_launch_template(
        LaunchTemplateName=name, LaunchTemplateData={"ImageId": AMI, "InstanceType": instance_type, **data}
    )["LaunchTemplate"]
    return template["LaunchTemplateId"], name


def _new_version(ec2, template_id: str, instance_type: str, **data) -> str:
    return str(
        ec2.create_launch_template_version(
            LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": AMI, "InstanceType": instance_type, **data}
        )["LaunchTemplateVersion"]["VersionNumber"]
    )


def _create_group(autoscaling, ec2, template_id: str, capacity: int, cidr: str, version: str = "$Latest") -> str:
    name = _name("asg")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=0,
        MaxSize=10,
        DesiredCapacity=capacity,
        VPCZoneIdentifier=_subnet(ec2, cidr),
        LaunchTemplate={"LaunchTemplateId": template_id, "Version": version},
    )
    return name


def _group(autoscaling, name: str) -> dict:
    (group,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]
    return group


def _instance_versions(autoscaling, name: str) -> dict[str, tuple[str, str]]:
    """{instance id: (launch template id, version)} of the group's instances."""
    return {
        instance["InstanceId"]: (instance["LaunchTemplate"]["LaunchTemplateId"], instance["LaunchTemplate"]["Version"])
        for instance in _group(autoscaling, name)["Instances"]
    }


def _ec2_instances(ec2, instance_ids) -> dict[str, dict]:
    reservations = ec2.describe_instances(InstanceIds=list(instance_ids))["Reservations"]
    return {instance["InstanceId"]: instance for reservation in reservations for instance in reservation["Instances"]}


def _tag(instance: dict, key: str) -> str | None:
    return next((tag["Value"] for tag in instance.get("Tags", []) if tag["Key"] == key), None)


def _refresh(autoscaling, name: str, refresh_id: str) -> dict:
    (refresh,) = autoscaling.describe_instance_refreshes(AutoScalingGroupName=name, InstanceRefreshIds=[refresh_id])[
        "InstanceRefreshes"
    ]
    return refresh


def test_instance_refresh_replaces_instances_from_the_groups_launch_template(emulator, refresh_delay):
    """autoscaling_instance_refresh (with autoscaling_instance_launch_template_version)."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    template_id, _ = _template(ec2, "t3.micro")
    name = _create_group(autoscaling, ec2, template_id, 3, "10.71.0.0/24")
    old_ids = set(_instance_versions(autoscaling, name))
    assert _new_version(ec2, template_id, "t3.small") == "2"
    refresh_delay(0)

    refresh_id = autoscaling.start_instance_refresh(
        AutoScalingGroupName=name, Preferences={"MinHealthyPercentage": 50, "InstanceWarmup": 60}
    )["InstanceRefreshId"]

    refresh = _refresh(autoscaling, name, refresh_id)
    assert (refresh["Status"], refresh["PercentageComplete"], refresh["InstancesToUpdate"]) == ("Successful", 100, 0)
    assert refresh["ProgressDetails"] == {"LivePoolProgress": {"PercentageComplete": 100, "InstancesToUpdate": 0}}
    assert refresh["StartTime"] <= refresh["EndTime"]
    assert refresh["Preferences"] == {**DEFAULT_PREFERENCES, "MinHealthyPercentage": 50, "InstanceWarmup": 60}
    assert (refresh["AutoScalingGroupName"], refresh["Strategy"]) == (name, "Rolling")
    assert "DesiredConfiguration" not in refresh
    versions = _instance_versions(autoscaling, name)
    assert len(versions) == 3 and not old_ids & set(versions)
    assert set(versions.values()) == {(template_id, "2")}
    assert {instance["InstanceType"] for instance in _group(autoscaling, name)["Instances"]} == {"t3.small"}
    described = _ec2_instances(ec2, old_ids | set(versions))
    assert {described[instance_id]["State"]["Name"] for instance_id in old_ids} == {"terminated"}
    for instance_id in versions:
        assert described[instance_id]["State"]["Name"] == "running"
        assert described[instance_id]["InstanceType"] == "t3.small"
        assert _tag(described[instance_id], TEMPLATE_VERSION_TAG) == "2"


def test_instance_refresh_lifecycle_and_errors(emulator, refresh_delay):
    """autoscaling_instance_refresh: Pending, one refresh at a time, Cancel, errors, DescribeInstanceRefreshes."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    template_id, _ = _template(ec2)
    name = _create_group(autoscaling, ec2, template_id, 2, "10.72.0.0/24")
    before = _instance_versions(autoscaling, name)
    refresh_delay(600)

    first = autoscaling.start_instance_refresh(AutoScalingGroupName=name)["InstanceRefreshId"]

    pending = _refresh(autoscaling, name, first)
    assert (pending["Status"], pending["PercentageComplete"], pending["InstancesToUpdate"]) == ("Pending", 0, 2)
    assert pending["Preferences"] == DEFAULT_PREFERENCES
    assert "EndTime" not in pending
    assert _error(autoscaling.start_instance_refresh, AutoScalingGroupName=name) == (
        {
            "Type": "Sender",
            "Code": "InstanceRefreshInProgress",
            "Message": "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.",
            "message": "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.",
        },
        400,
    )
    missing = _name("no-such-asg")
    for call in (autoscaling.start_instance_refresh, autoscaling.describe_instance_refreshes):
        error, status = _error(call, AutoScalingGroupName=missing)
        assert (error["Code"], status) == ("ValidationError", 400)
        assert missing in error["Message"]

    assert autoscaling.cancel_instance_refresh(AutoScalingGroupName=name)["InstanceRefreshId"] == first
    cancelled = _refresh(autoscaling, name, first)
    assert cancelled["Status"] == "Cancelled" and cancelled["EndTime"] >= cancelled["StartTime"]
    assert _instance_versions(autoscaling, name) == before
    error, status = _error(autoscaling.cancel_instance_refresh, AutoScalingGroupName=name)
    assert (error["Code"], status) == ("ActiveInstanceRefreshNotFound", 400)

    refresh_delay(0)
    second = autoscaling.start_instance_refresh(AutoScalingGroupName=name)["InstanceRefreshId"]
    third = autoscaling.start_instance_refresh(AutoScalingGroupName=name)["InstanceRefreshId"]  # second is over

    listed = autoscaling.describe_instance_refreshes(AutoScalingGroupName=name)
    assert [(refresh["InstanceRefreshId"], refresh["Status"]) for refresh in listed["InstanceRefreshes"]] == [
        (third, "Successful"),
        (second, "Successful"),
        (first, "Cancelled"),
    ]
    assert "NextToken" not in listed
    page = autoscaling.describe_instance_refreshes(AutoScalingGroupName=name, MaxRecords=2)
    rest = autoscaling.describe_instance_refreshes(AutoScalingGroupName=name, MaxRecords=2, NextToken=page["NextToken"])
    assert [refresh["InstanceRefreshId"] for refresh in page["InstanceRefreshes"] + rest["InstanceRefreshes"]] == [
        third,
        second,
        first,
    ]
    assert "NextToken" not in rest
    chosen = autoscaling.describe_instance_refreshes(AutoScalingGroupName=name, InstanceRefreshIds=[first, third])
    assert [refresh["InstanceRefreshId"] for refresh in chosen["InstanceRefreshes"]] == [third, first]


def test_instance_refresh_in_progress_replaces_instances_gradually(emulator, refresh_delay):
    """autoscaling_instance_refresh: InProgress, PercentageComplete and InstancesToUpdate follow the replacements."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    template_id, _ = _template(ec2)
    name = _create_group(autoscaling, ec2, template_id, 4, "10.73.0.0/24")
    _new_version(ec2, template_id, "t3.small")
    refresh_delay(3.0)  # Pending for 0.6 s, then one instance replaced every 0.6 s

    refresh_id = autoscaling.start_instance_refresh(AutoScalingGroupName=name)["InstanceRefreshId"]
    time.sleep(1.5)
    assert _refresh(autoscaling, name, refresh_id)["Status"] == "InProgress"
    refresh_delay(10**6)  # freeze: progress never goes back, and no more replacements for now

    refresh = _refresh(autoscaling, name, refresh_id)
    old = [instance for instance, (_, version) in _instance_versions(autoscaling, name).items() if version == "1"]
    assert refresh["Status"] == "InProgress" and "EndTime" not in refresh
    assert 0 < refresh["InstancesToUpdate"] < 4
    assert refresh["InstancesToUpdate"] == len(old)
    assert refresh["PercentageComplete"] == math.floor(100 * (4 - len(old)) / 4)

    refresh_delay(0)
    assert _refresh(autoscaling, name, refresh_id)["Status"] == "Successful"
    assert set(_instance_versions(autoscaling, name).values()) == {(template_id, "2")}


def test_instance_refresh_skip_matching_and_desired_configuration(emulator, refresh_delay):
    """autoscaling_instance_refresh (with autoscaling_instance_launch_template_version): SkipMatching keeps the
    instances already on the desired template and version; a desired configuration becomes the group's."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    template_id, _ = _template(ec2)
    name = _create_group(autoscaling, ec2, template_id, 2, "10.74.0.0/24")
    _new_version(ec2, template_id, "t3.small")
    autoscaling.set_desired_capacity(AutoScalingGroupName=name, DesiredCapacity=3)
    versions = _instance_versions(autoscaling, name)
    (up_to_date,) = [instance for instance, (_, version) in versions.items() if version == "2"]
    refresh_delay(600)

    skipping = autoscaling.start_instance_refresh(AutoScalingGroupName=name, Preferences={"SkipMatching": True})
    assert _refresh(autoscaling, name, skipping["InstanceRefreshId"])["InstancesToUpdate"] == 2
    refresh_delay(0)

    assert _refresh(autoscaling, name, skipping["InstanceRefreshId"])["Status"] == "Successful"
    versions = _instance_versions(autoscaling, name)
    assert up_to_date in versions and set(versions.values()) == {(template_id, "2")}

    other_id, other_name = _template(ec2, "t3.medium")
    desired = {"LaunchTemplate": {"LaunchTemplateName": other_name, "Version": "$Latest"}}
    moved = autoscaling.start_instance_refresh(
        AutoScalingGroupName=name, DesiredConfiguration=desired, Preferences={"SkipMatching": True}
    )

    refresh = _refresh(autoscaling, name, moved["InstanceRefreshId"])
    assert (refresh["Status"], refresh["DesiredConfiguration"]) == ("Successful", desired)
    group = _group(autoscaling, name)
    assert group["LaunchTemplate"] == {
        "LaunchTemplateId": other_id,
        "LaunchTemplateName": other_name,
        "Version": "$Latest",
    }
    assert {
        (instance["LaunchTemplate"]["LaunchTemplateId"], instance["LaunchTemplate"]["Version"])
        for instance in group["Instances"]
    } == {(other_id, "1")}
    assert {instance["InstanceType"] for instance in group["Instances"]} == {"t3.medium"}
    assert len(group["Instances"]) == 3 and up_to_date not in {
        instance["InstanceId"] for instance in group["Instances"]
    }


def test_instance_refresh_scale_in_protected_instances(emulator, refresh_delay):
    """autoscaling_instance_refresh: protected instances are skipped with Ignore, fail the refresh with Wait."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    template_id, _ = _template(ec2)
    name = _create_group(autoscaling, ec2, template_id, 2, "10.75.0.0/24")
    protected, unprotected = sorted(_instance_versions(autoscaling, name))
    autoscaling.set_instance_protection(AutoScalingGroupName=name, InstanceIds=[protected], ProtectedFromScaleIn=True)
    refresh_delay(0)

    ignoring = autoscaling.start_instance_refresh(
        AutoScalingGroupName=name, Preferences={"ScaleInProtectedInstances": "Ignore"}
    )["InstanceRefreshId"]

    assert _refresh(autoscaling, name, ignoring)["Status"] == "Successful"
    instances = set(_instance_versions(autoscaling, name))
    assert protected in instances and unprotected not in instances and len(instances) == 2

    waiting = autoscaling.start_instance_refresh(AutoScalingGroupName=name)["InstanceRefreshId"]  # Wait (default)

    refresh = _refresh(autoscaling, name, waiting)
    assert (refresh["Status"], refresh["InstancesToUpdate"], refresh["PercentageComplete"]) == ("Failed", 1, 50)
    assert "protected from scale in" in refresh["StatusReason"]
    assert protected in _instance_versions(autoscaling, name)


def test_autoscaling_instance_launch_template_version(emulator):
    """autoscaling_instance_launch_template_version: instances are launched from, and report, the group's version."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    disk = {"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": 10, "VolumeType": "gp3"}}
    template_id, template_name = _template(ec2, "t3.micro", BlockDeviceMappings=[disk])
    name = _create_group(autoscaling, ec2, template_id, 1, "10.76.0.0/24")
    (first,) = _instance_versions(autoscaling, name)
    _new_version(ec2, template_id, "t3.small", BlockDeviceMappings=[{**disk, "Ebs": {**disk["Ebs"], "VolumeSize": 30}}])

    autoscaling.set_desired_capacity(AutoScalingGroupName=name, DesiredCapacity=2)
    ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion="2")

    versions = _instance_versions(autoscaling, name)
    (second,) = set(versions) - {first}
    assert versions == {first: (template_id, "1"), second: (template_id, "2")}
    (described,) = autoscaling.describe_auto_scaling_instances(InstanceIds=[second])["AutoScalingInstances"]
    assert described["LaunchTemplate"] == {
        "LaunchTemplateId": template_id,
        "LaunchTemplateName": template_name,
        "Version": "2",
    }
    instance = _ec2_instances(ec2, [second])[second]
    assert (instance["InstanceType"], _tag(instance, TEMPLATE_VERSION_TAG)) == ("t3.small", "2")
    (mapping,) = [mapping for mapping in instance["BlockDeviceMappings"] if mapping["DeviceName"] == "/dev/xvdb"]
    assert ec2.describe_volumes(VolumeIds=[mapping["Ebs"]["VolumeId"]])["Volumes"][0]["Size"] == 30


def test_autoscaling_disable_metrics_collection(emulator):
    """autoscaling_disable_metrics_collection: DisableMetricsCollection; EnableMetricsCollection adds metrics."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    template_id, _ = _template(ec2)
    name = _create_group(autoscaling, ec2, template_id, 0, "10.77.0.0/24")

    def enabled() -> list[str]:
        metrics = _group(autoscaling, name)["EnabledMetrics"]
        assert {metric["Granularity"] for metric in metrics} <= {"1Minute"}
        return [metric["Metric"] for metric in metrics]

    autoscaling.enable_metrics_collection(
        AutoScalingGroupName=name, Granularity="1Minute", Metrics=["GroupMinSize", "GroupMaxSize"]
    )
    autoscaling.enable_metrics_collection(
        AutoScalingGroupName=name, Granularity="1Minute", Metrics=["GroupTotalInstances"]
    )
    assert enabled() == ["GroupMinSize", "GroupMaxSize", "GroupTotalInstances"]

    autoscaling.disable_metrics_collection(AutoScalingGroupName=name, Metrics=["GroupMaxSize"])
    assert enabled() == ["GroupMinSize", "GroupTotalInstances"]
    autoscaling.disable_metrics_collection(AutoScalingGroupName=name)
    assert enabled() == []

    autoscaling.enable_metrics_collection(AutoScalingGroupName=name, Granularity="1Minute")
    assert len(enabled()) == 20 and {"GroupInServiceInstances", "WarmPoolTotalCapacity"} <= set(enabled())
    error, status = _error(autoscaling.disable_metrics_collection, AutoScalingGroupName=_name("no-such-asg"))
    assert (error["Code"], status) == ("ValidationError", 400)


def test_ec2_launch_template_metadata_options_reach_instances(emulator):
    """ec2_launch_template_metadata_options: RunInstances and Auto Scaling launches take the template's options."""
    autoscaling, ec2 = emulator.client("autoscaling"), emulator.client("ec2")
    options = {"HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"}
    root = {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3", "Encrypted": True}}
    template_id, _ = _template(ec2, MetadataOptions=options, BlockDeviceMappings=[root])
    name = _create_group(autoscaling, ec2, template_id, 2, "10.78.0.0/24")
    from_group = list(_instance_versions(autoscaling, name))
    (from_template,) = ec2.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template_id})[
        "Instances"
    ]
    (overridden,) = ec2.run_instances(
        MinCount=1,
        MaxCount=1,
        LaunchTemplate={"LaunchTemplateId": template_id},
        MetadataOptions={"HttpTokens": "optional", "HttpPutResponseHopLimit": 1},
    )["Instances"]

    described = _ec2_instances(ec2, [*from_group, from_template["InstanceId"], overridden["InstanceId"]])

    for instance_id in [*from_group, from_template["InstanceId"]]:
        instance = described[instance_id]
        assert {key: instance["MetadataOptions"][key] for key in options} == options
        (mapping,) = [mapping for mapping in instance["BlockDeviceMappings"] if mapping["DeviceName"] == "/dev/xvda"]
        (volume,) = ec2.describe_volumes(VolumeIds=[mapping["Ebs"]["VolumeId"]])["Volumes"]
        assert (volume["VolumeType"], volume["Encrypted"], volume["Size"]) == ("gp3", True, 20)
    metadata = described[overridden["InstanceId"]]["MetadataOptions"]
    assert (metadata["HttpTokens"], metadata["HttpPutResponseHopLimit"]) == ("optional", 1)
