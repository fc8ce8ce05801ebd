# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the Secrets Manager, SSM, SNS, EventBridge and launch template wrappers of aws_values_info against botocore's Stubber (no
network), and of the filters that say what keeping each would change."""

import json

import boto3
import pytest
from ansible.errors import AnsibleFilterError
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications
from ansible_collections.amazon.aws.plugins.module_utils.transformation import scrub_none_parameters
from ansible_collections.amazon.aws.plugins.modules import ec2_launch_template
from ansible_collections.atelier.infra.plugins.filter.aws import FilterModule
from ansible_collections.atelier.infra.plugins.module_utils import aws_values
from ansible_collections.atelier.infra.plugins.module_utils import sns as sns_utils

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev-shop-db-AbCdEf"


def _stubbed(service):
    c = boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(c) as stubber:
        yield c, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def secrets():
    yield from _stubbed("secretsmanager")


@pytest.fixture
def ssm():
    yield from _stubbed("ssm")


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(cloud.time, "sleep", lambda seconds: None)


def test_get_secret_value(secrets):
    c, stubber = secrets
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": "dev-shop-db", "SecretString": "{}"}, {"SecretId": "dev-shop-db"})
    assert aws_values.secret_value(aws_values.get_secret_value(c, "dev-shop-db")) == "{}"


def test_a_missing_secret_is_none(secrets):
    c, stubber = secrets
    stubber.add_client_error("get_secret_value", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    assert aws_values.get_secret_value(c, "dev-shop-db") is None


def test_a_throttled_read_is_retried(secrets):
    c, stubber = secrets
    stubber.add_client_error("get_secret_value", "ThrottlingException", "Rate exceeded")
    stubber.add_client_error("get_secret_value", "InternalFailure", "oops", http_status_code=500)
    stubber.add_response("get_secret_value", {"SecretString": "v"})
    assert aws_values.get_secret_value(c, "dev-shop-db") == {"SecretString": "v"}


@pytest.mark.parametrize(
    "message",
    [
        "You can't perform this operation on the secret because it was marked for deletion.",
        "You tried to perform the operation on a secret that's currently marked deleted.",
    ],
)
def test_a_secret_scheduled_for_deletion_is_recognised(secrets, message):
    c, stubber = secrets
    stubber.add_client_error("get_secret_value", "InvalidRequestException", message)
    with pytest.raises(aws_values.AnsibleAWSValuesError) as raised:
        aws_values.get_secret_value(c, "dev-shop-db")
    assert aws_values.marked_for_deletion(raised.value)


def test_other_errors_raise_with_the_aws_error(secrets):
    c, stubber = secrets
    stubber.add_client_error("get_secret_value", "AccessDeniedException", "not allowed")
    with pytest.raises(aws_values.AnsibleAWSValuesError, match="get the value of the secret") as raised:
        aws_values.get_secret_value(c, "dev-shop-db")
    assert not aws_values.marked_for_deletion(raised.value)
    assert raised.value.exception.response["Error"]["Code"] == "AccessDeniedException"


def test_a_binary_secret_is_base64():
    assert aws_values.secret_value({"SecretBinary": b"\x00\x01"}) == "AAE="


def test_get_parameters(ssm):
    c, stubber = ssm
    stubber.add_response(
        "get_parameters",
        {"Parameters": [{"Name": "/a", "Type": "String", "Value": "ami-1"}], "InvalidParameters": ["/b"]},
        {"Names": ["/a", "/b"], "WithDecryption": True},
    )
    answer = aws_values.get_parameters(c, ["/a", "/b"])
    assert answer["InvalidParameters"] == ["/b"]


def test_parameter_names_go_ten_at_a_time_without_duplicates():
    names = [f"/p{i}" for i in range(23)] + ["/p0"]
    got = aws_values.chunks(names)
    assert [len(c) for c in got] == [10, 10, 3]
    assert sum(got, []) == [f"/p{i}" for i in range(23)]


def test_describe_secret_and_its_policy(secrets):
    c, stubber = secrets
    stubber.add_response("describe_secret", {"ARN": ARN, "Name": "dev-shop-db", "Tags": [{"Key": "k", "Value": "v"}]}, {"SecretId": "dev-shop-db"})
    stubber.add_response("get_resource_policy", {"ARN": ARN, "Name": "dev-shop-db"}, {"SecretId": "dev-shop-db"})
    details = aws_values.secret_details(aws_values.describe_secret(c, "dev-shop-db"), aws_values.get_resource_policy(c, "dev-shop-db"))
    assert details["arn"] == ARN and details["tags"] == {"k": "v"} and details["resource_policy"] == ""
    assert not details["deleted"] and not details["rotation_enabled"]


def test_a_missing_secret_is_described_as_none(secrets):
    c, stubber = secrets
    stubber.add_client_error("describe_secret", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    stubber.add_client_error("get_resource_policy", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    assert aws_values.describe_secret(c, "dev-shop-db") is None
    assert aws_values.get_resource_policy(c, "dev-shop-db") is None


KEPT = {"tags": {"atelier:env": "dev", "atelier:stack": "shop"}, "deleted": False, "rotation_enabled": False, "resource_policy": ""}


@pytest.mark.parametrize(
    "details, tags, changes",
    [
        (None, {"atelier:env": "dev"}, ["create"]),
        ({}, None, ["create"]),
        (KEPT, {"atelier:env": "dev", "atelier:stack": "shop"}, []),
        (KEPT, None, []),
        (KEPT, {"atelier:env": "dev"}, ["tags"]),
        (dict(KEPT, tags={"atelier:env": "dev", "atelier:stack": "other"}), KEPT["tags"], ["tags"]),
        (dict(KEPT, deleted=True), KEPT["tags"], ["restore"]),
        (dict(KEPT, rotation_enabled=True, resource_policy="{}"), KEPT["tags"], ["rotation", "resource policy"]),
        # A number given as a tag value is the text AWS keeps.
        (dict(KEPT, tags={"n": "1"}), {"n": 1}, []),
    ],
)
def test_secret_changes(details, tags, changes):
    assert aws_values.secret_changes(details, tags) == changes


def test_the_filter_checks_its_inputs():
    secret_changes = FilterModule().filters()["secret_changes"]
    assert secret_changes(None, {"k": "v"}) == ["create"]
    with pytest.raises(AnsibleFilterError, match="secret_changes: expected a secret's details"):
        secret_changes("text", {})
    with pytest.raises(AnsibleFilterError, match="secret_changes: expected the tags as a dict"):
        secret_changes(KEPT, ["k"])


def test_describe_parameters_and_their_tags(ssm):
    c, stubber = ssm
    wanted = {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": ["a", "b"]}]}
    stubber.add_response("describe_parameters", {"Parameters": [{"Name": "a", "Type": "String"}], "NextToken": "t"}, wanted)
    stubber.add_response("describe_parameters", {"Parameters": [{"Name": "b", "Type": "SecureString", "KeyId": "k"}]}, dict(wanted, NextToken="t"))
    stubber.add_response("list_tags_for_resource", {"TagList": [{"Key": "k", "Value": "v"}]}, {"ResourceType": "Parameter", "ResourceId": "a"})
    described = aws_values.describe_parameters(c, ["a", "b"])
    assert [d["Name"] for d in described] == ["a", "b"]
    details = aws_values.parameter_details(described[0], aws_values.list_parameter_tags(c, "a"))
    assert details["tags"] == {"k": "v"} and details["type"] == "String" and details["description"] == ""


PARAMETER = {"type": "String", "description": "agent", "tags": {"atelier:env": "dev"}}


@pytest.mark.parametrize(
    "details, current, args, changes",
    [
        (None, None, ("v",), ["create"]),
        (PARAMETER, "v", ("v", "agent", "String", {"atelier:env": "dev"}), []),
        (PARAMETER, "v", ("v",), []),
        (PARAMETER, "old", ("v", "agent"), ["value"]),
        (PARAMETER, "v", ("v", "other"), ["description"]),
        # No description given: not compared (community.aws.ssm_parameter does not either).
        (dict(PARAMETER, description="by hand"), "v", ("v", ""), []),
        (PARAMETER, "v", ("v", "agent", "SecureString"), ["type"]),
        (PARAMETER, "v", ("v", "agent", "String", {}), ["tags"]),
    ],
)
def test_parameter_changes(details, current, args, changes):
    assert aws_values.parameter_changes(details, current, *args) == changes


def test_the_parameter_filter_reads_the_module_result():
    parameter_changes = FilterModule().filters()["parameter_changes"]
    read = {"parameters": {"p": "v"}, "parameter_details": {"p": PARAMETER}}
    assert parameter_changes(read, "p", "v", "agent", tags={"atelier:env": "dev"}) == []
    assert parameter_changes(read, "p", "w", tags={"atelier:env": "dev"}) == ["value"]
    assert parameter_changes({"parameters": {}, "parameter_details": {}, "missing_parameters": ["p"]}, "p", "v") == ["create"]
    with pytest.raises(AnsibleFilterError, match="parameter_changes: expected the result of atelier.infra.aws_values_info"):
        parameter_changes(None, "p", "v")
    with pytest.raises(AnsibleFilterError, match="parameter_changes: expected the tags as a dict"):
        parameter_changes(read, "p", "v", tags=[])


TOPIC = "arn:aws:sns:us-east-1:123456789012:dev-shop-alarms"
POLICY = {"Version": "2012-10-17", "Statement": [{"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish",
                                                  "Resource": TOPIC}]}
TOPIC_KEPT = {
    "arn": TOPIC,
    "policy": POLICY,
    "subscriptions": [{"protocol": "email", "endpoint": "ops@example.com", "subscription_arn": "PendingConfirmation"}],
    "tags": {"atelier:env": "dev"},
}
OPS = [{"protocol": "email", "endpoint": "ops@example.com"}]


@pytest.fixture
def sns():
    yield from _stubbed("sns")


@pytest.fixture
def events():
    yield from _stubbed("events")


def test_describe_a_topic_its_subscriptions_and_tags(sns):
    c, stubber = sns
    stubber.add_response("get_topic_attributes", {"Attributes": {"TopicArn": TOPIC, "Policy": json.dumps(POLICY)}}, {"TopicArn": TOPIC})
    page = {"SubscriptionArn": TOPIC + ":1", "Protocol": "email", "Endpoint": "a@example.com", "Owner": "1", "TopicArn": TOPIC}
    stubber.add_response("list_subscriptions_by_topic", {"Subscriptions": [page], "NextToken": "t"}, {"TopicArn": TOPIC})
    stubber.add_response("list_subscriptions_by_topic", {"Subscriptions": [dict(page, Endpoint="b@example.com")]}, {"TopicArn": TOPIC, "NextToken": "t"})
    stubber.add_response("list_tags_for_resource", {"Tags": [{"Key": "k", "Value": "v"}]}, {"ResourceArn": TOPIC})
    details = aws_values.topic_details(
        sns_utils.get_topic_attributes(c, TOPIC), sns_utils.list_topic_subscriptions(c, TOPIC), sns_utils.list_topic_tags(c, TOPIC)
    )
    assert details["arn"] == TOPIC and details["policy"] == POLICY and details["tags"] == {"k": "v"} and details["display_name"] == ""
    assert [s["endpoint"] for s in details["subscriptions"]] == ["a@example.com", "b@example.com"]


def test_a_missing_topic_is_missing(sns):
    c, stubber = sns
    stubber.add_client_error("get_topic_attributes", "NotFound", "Topic does not exist")
    stubber.add_client_error("list_subscriptions_by_topic", "NotFound", "Topic does not exist")
    assert sns_utils.get_topic_attributes(c, TOPIC) is sns_utils.MISSING
    assert sns_utils.list_topic_subscriptions(c, TOPIC) is sns_utils.MISSING


@pytest.mark.parametrize(
    "details, args, changes",
    [
        (None, (POLICY, OPS, {"atelier:env": "dev"}), ["create"]),
        (TOPIC_KEPT, (POLICY, OPS, {"atelier:env": "dev"}), []),
        # The policy is compared as amazon.aws compare_policies does: a lone action equals a list of one.
        (TOPIC_KEPT, (json.loads(json.dumps(POLICY).replace('"sns:Publish"', '["sns:Publish"]')), OPS, None), []),
        (TOPIC_KEPT, (dict(POLICY, Statement=[]), OPS, None), ["policy"]),
        # No policy given: not compared (as community.aws.sns_topic).
        (dict(TOPIC_KEPT, policy={}), (None, OPS, None), []),
        (TOPIC_KEPT, (POLICY, OPS + [{"protocol": "email", "endpoint": "oncall@example.com"}], None), ["subscriptions"]),
        # A pending subscription of an address no longer wanted is not removed (SNS refuses), a confirmed one is.
        (TOPIC_KEPT, (POLICY, [], None), []),
        (dict(TOPIC_KEPT, subscriptions=[dict(TOPIC_KEPT["subscriptions"][0], subscription_arn=TOPIC + ":1")]), (POLICY, [], None), ["subscriptions"]),
        (TOPIC_KEPT, (POLICY, OPS, {"atelier:env": "dev", "atelier:stack": "shop"}), ["tags"]),
        (TOPIC_KEPT, (POLICY, OPS, {}), ["tags"]),
        (dict(TOPIC_KEPT, tags={"n": "1"}), (POLICY, OPS, {"n": 1}), []),
        (dict(TOPIC_KEPT, subscriptions=[]), (dict(POLICY, Statement=[]), OPS, {}), ["policy", "subscriptions", "tags"]),
    ],
)
def test_topic_changes(details, args, changes):
    assert aws_values.topic_changes(details, *args) == changes


def test_the_topic_filter_reads_the_module_result():
    topic_changes = FilterModule().filters()["topic_changes"]
    read = {"topic_details": {TOPIC: TOPIC_KEPT}, "missing_topics": []}
    assert topic_changes(read, TOPIC, POLICY, OPS, {"atelier:env": "dev"}) == []
    assert topic_changes({"topic_details": {}, "missing_topics": [TOPIC]}, TOPIC, POLICY, OPS) == ["create"]
    with pytest.raises(AnsibleFilterError, match="topic_changes: expected the result of atelier.infra.aws_values_info"):
        topic_changes("text", TOPIC)
    with pytest.raises(AnsibleFilterError, match="topic_changes: expected the subscriptions as a list of"):
        topic_changes(read, TOPIC, POLICY, [{"protocol": "email"}])
    with pytest.raises(AnsibleFilterError, match="topic_changes: expected the policy as a dict"):
        topic_changes(read, TOPIC, "{}")


RULE = {
    "name": "dev-shop-scaling-events",
    "state": "present",
    "description": "scaling events",
    "event_pattern": '{"source": ["aws.autoscaling"]}',
    "targets": [{"id": "alarm-topic", "arn": TOPIC}],
}


def test_describe_a_rule_and_its_targets(events):
    c, stubber = events
    stubber.add_response(
        "describe_rule",
        {"Name": RULE["name"], "Arn": "arn:rule", "State": "ENABLED", "Description": "scaling events", "EventPattern": RULE["event_pattern"]},
        {"Name": RULE["name"]},
    )
    stubber.add_response("list_targets_by_rule", {"Targets": [{"Id": "alarm-topic", "Arn": TOPIC}], "NextToken": "t"}, {"Rule": RULE["name"]})
    stubber.add_response("list_targets_by_rule", {"Targets": [{"Id": "x", "Arn": TOPIC, "Input": "{}"}]}, {"Rule": RULE["name"], "NextToken": "t"})
    details = aws_values.event_rule_details(aws_values.describe_rule(c, RULE["name"]), aws_values.list_rule_targets(c, RULE["name"]))
    assert details["state"] == "ENABLED" and details["event_pattern"] == RULE["event_pattern"] and details["schedule_expression"] == ""
    assert details["targets"] == [{"id": "alarm-topic", "arn": TOPIC, "role_arn": ""}, {"id": "x", "arn": TOPIC, "role_arn": ""}]
    assert details["targets_with_settings"] == ["x"]


def test_a_missing_rule_is_none(events):
    c, stubber = events
    stubber.add_client_error("describe_rule", "ResourceNotFoundException", "Rule dev-shop-scaling-events does not exist.")
    assert aws_values.describe_rule(c, RULE["name"]) is None


RULE_KEPT = {
    "name": RULE["name"],
    "state": "ENABLED",
    "description": "scaling events",
    "event_pattern": RULE["event_pattern"],
    "schedule_expression": "",
    "role_arn": "",
    "targets": [{"id": "alarm-topic", "arn": TOPIC, "role_arn": ""}],
    "targets_with_settings": [],
}


@pytest.mark.parametrize(
    "details, rule, changes",
    [
        (None, RULE, ["create"]),
        (None, dict(RULE, state="absent"), []),
        (RULE_KEPT, dict(RULE, state="absent"), ["delete"]),
        (RULE_KEPT, RULE, []),
        (RULE_KEPT, dict(RULE, state="disabled"), ["state"]),
        (dict(RULE_KEPT, state="DISABLED"), RULE, ["state"]),
        (RULE_KEPT, dict(RULE, description="other"), ["rule"]),
        # The event pattern is compared as the text EventBridge keeps (as amazon.aws.cloudwatchevent_rule).
        (RULE_KEPT, dict(RULE, event_pattern='{"source":["aws.autoscaling"]}'), ["rule"]),
        (RULE_KEPT, dict(RULE, schedule_expression="rate(1 hour)"), ["rule"]),
        (dict(RULE_KEPT, targets=[]), RULE, ["targets"]),
        (dict(RULE_KEPT, targets=RULE_KEPT["targets"] + [{"id": "stray", "arn": TOPIC, "role_arn": ""}]), RULE, ["targets"]),
        (dict(RULE_KEPT, targets=[dict(RULE_KEPT["targets"][0], arn="arn:other")]), RULE, ["targets"]),
        (dict(RULE_KEPT, targets_with_settings=["alarm-topic"]), RULE, ["targets"]),
        (dict(RULE_KEPT, state="DISABLED", targets=[], description=""), RULE, ["rule", "targets", "state"]),
    ],
)
def test_event_rule_changes(details, rule, changes):
    assert aws_values.event_rule_changes(details, rule) == changes


def test_the_event_rule_filter_reads_the_module_result():
    event_rule_changes = FilterModule().filters()["event_rule_changes"]
    assert event_rule_changes({"event_rule_details": {RULE["name"]: RULE_KEPT}}, RULE) == []
    assert event_rule_changes({"event_rule_details": {}, "missing_event_rules": [RULE["name"]]}, RULE) == ["create"]
    # A result skipped (check mode before anything exists) reads as nothing found.
    assert event_rule_changes({"skipped": True}, RULE) == ["create"]
    with pytest.raises(AnsibleFilterError, match="event_rule_changes: expected the rule as a dict with its name"):
        event_rule_changes({}, {"state": "present"})
    with pytest.raises(AnsibleFilterError, match="event_rule_changes: state must be present, disabled or absent"):
        event_rule_changes({}, dict(RULE, state="on"))


PROFILE = "arn:aws:iam::123456789012:instance-profile/dev-shop-web"
OPTIONS = {
    "image_id": "ami-0123",
    "instance_type": "t3.micro",
    "iam_instance_profile": "dev-shop-web",
    "metadata_options": {"http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 1},
    "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": {"volume_size": 20, "volume_type": "gp3", "encrypted": True}}],
    "network_interfaces": [{"device_index": 0, "associate_public_ip_address": False, "groups": ["sg-1"]}],
    "monitoring": {"enabled": False},
    "user_data": "IyEvYmluL2Jhc2g=",
    "kernel_id": None,
    "tag_specifications": [{"resource_type": "instance", "tags": {"Name": "web"}}, {"resource_type": "volume", "tags": {"Name": "web"}}],
}
# What EC2 keeps of the version amazon.aws.ec2_launch_template made of OPTIONS.
DATA = {
    "ImageId": "ami-0123",
    "InstanceType": "t3.micro",
    "IamInstanceProfile": {"Arn": PROFILE},
    "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required", "HttpPutResponseHopLimit": 1},
    "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3", "Encrypted": True}}],
    "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": False, "Groups": ["sg-1"]}],
    "Monitoring": {"Enabled": False},
    "UserData": "IyEvYmluL2Jhc2g=",
    "TagSpecifications": [
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]},
        {"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "web"}]},
    ],
}
TEMPLATE_KEPT = {"id": "lt-1", "name": "dev-shop-web", "default_version": 3, "latest_version": 3, "tags": {"Name": "web"},
                 "version_description": "web tier", "data": DATA}


def test_the_launch_template_data_is_the_one_ec2_launch_template_makes():
    assert aws_values.launch_template_data(OPTIONS, PROFILE) == DATA
    # The module's own conversion of the same options gives the same data.
    options = {k: v for k, v in json.loads(json.dumps(OPTIONS)).items() if k not in ("tag_specifications", "iam_instance_profile")}
    upstream = ec2_launch_template.params_to_launch_data(options, PROFILE)
    upstream["TagSpecifications"] = [s for spec in OPTIONS["tag_specifications"] for s in boto3_tag_specifications(spec["tags"], types=spec["resource_type"])]
    assert scrub_none_parameters(upstream, descend_into_lists=True) == DATA


@pytest.fixture
def ec2():
    yield from _stubbed("ec2")


@pytest.fixture
def autoscaling():
    yield from _stubbed("autoscaling")


def test_describe_launch_templates_by_a_name_filter_and_their_latest_version(ec2):
    c, stubber = ec2
    wanted = {"Filters": [{"Name": "launch-template-name", "Values": ["dev-shop-web", "gone"]}]}
    template = {"LaunchTemplateId": "lt-1", "LaunchTemplateName": "dev-shop-web", "DefaultVersionNumber": 3, "LatestVersionNumber": 3,
                "Tags": [{"Key": "Name", "Value": "web"}]}
    stubber.add_response("describe_launch_templates", {"LaunchTemplates": [template]}, wanted)
    stubber.add_response(
        "describe_launch_template_versions",
        {"LaunchTemplateVersions": [{"VersionNumber": 3, "VersionDescription": "web tier", "LaunchTemplateData": {"ImageId": "ami-0123"}}]},
        {"LaunchTemplateId": "lt-1", "Versions": ["$Latest"]},
    )
    found = aws_values.describe_launch_templates(c, ["dev-shop-web", "gone"])
    details = aws_values.launch_template_details(found[0], aws_values.describe_latest_version(c, "lt-1"))
    assert details == {"id": "lt-1", "name": "dev-shop-web", "default_version": 3, "latest_version": 3, "tags": {"Name": "web"},
                       "version_description": "web tier", "data": {"ImageId": "ami-0123"}}


@pytest.mark.parametrize(
    "details, options, args, changes",
    [
        (None, OPTIONS, ("web tier", {"Name": "web"}, PROFILE), ["create"]),
        (TEMPLATE_KEPT, OPTIONS, ("web tier", {"Name": "web"}, PROFILE), []),
        (TEMPLATE_KEPT, OPTIONS, ("web tier", None, PROFILE), []),
        (TEMPLATE_KEPT, dict(OPTIONS, instance_type="t3.small"), ("web tier", None, PROFILE), ["version"]),
        (TEMPLATE_KEPT, dict(OPTIONS, monitoring={"enabled": True}), ("web tier", None, PROFILE), ["version"]),
        (TEMPLATE_KEPT, OPTIONS, ("other description", None, PROFILE), ["version"]),
        # The instance profile's ARN unknown (check mode before the role exists), or another profile: a new version.
        (TEMPLATE_KEPT, OPTIONS, ("web tier", None, ""), ["version"]),
        (TEMPLATE_KEPT, OPTIONS, ("web tier", None, PROFILE + "-other"), ["version"]),
        # A setting added by hand to the latest version (a key pair) makes a new version without it.
        (dict(TEMPLATE_KEPT, data=dict(DATA, KeyName="ops")), OPTIONS, ("web tier", None, PROFILE), ["version"]),
        (dict(TEMPLATE_KEPT, default_version=2), OPTIONS, ("web tier", None, PROFILE), ["default version"]),
        (TEMPLATE_KEPT, OPTIONS, ("web tier", {"Name": "web", "atelier:env": "dev"}, PROFILE), ["tags"]),
        (dict(TEMPLATE_KEPT, tags={}), OPTIONS, ("web tier", {}, PROFILE), []),
    ],
)
def test_launch_template_changes(details, options, args, changes):
    assert aws_values.launch_template_changes(details, options, *args) == changes


def test_the_launch_template_filter_reads_the_module_result():
    launch_template_changes = FilterModule().filters()["launch_template_changes"]
    read = {"launch_template_details": {"dev-shop-web": TEMPLATE_KEPT}, "missing_launch_templates": []}
    assert launch_template_changes(read, "dev-shop-web", OPTIONS, "web tier", {"Name": "web"}, PROFILE) == []
    assert launch_template_changes({"launch_template_details": {}}, "dev-shop-web", OPTIONS, "web tier", None, PROFILE) == ["create"]
    with pytest.raises(AnsibleFilterError, match="launch_template_changes: expected the template options as a dict"):
        launch_template_changes(read, "dev-shop-web", [])
    with pytest.raises(AnsibleFilterError, match="launch_template_changes: expected the result of atelier.infra.aws_values_info"):
        launch_template_changes(None, "dev-shop-web", OPTIONS)


def test_describe_auto_scaling_groups_by_name_in_the_shape_of_autoscaling_group_info(autoscaling):
    c, stubber = autoscaling
    group = {
        "AutoScalingGroupName": "dev-shop-web", "MinSize": 1, "MaxSize": 3, "DesiredCapacity": 2, "DefaultCooldown": 300,
        "AvailabilityZones": ["us-east-1a"], "HealthCheckType": "ELB", "CreatedTime": "2026-12-01T00:00:00Z",
        "LaunchTemplate": {"LaunchTemplateName": "dev-shop-web", "Version": "3"}, "VPCZoneIdentifier": "subnet-1,subnet-2",
        "TargetGroupARNs": ["arn:tg"], "Tags": [{"Key": "Name", "Value": "web", "PropagateAtLaunch": False}],
    }
    wanted = {"AutoScalingGroupNames": ["dev-shop-web", "gone"]}
    stubber.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [group], "NextToken": "t"}, wanted)
    stubber.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": []}, dict(wanted, NextToken="t"))
    (found,) = aws_values.describe_auto_scaling_groups(c, ["dev-shop-web", "gone"])
    details = aws_values.auto_scaling_group_details(found)
    assert details["target_group_arns"] == ["arn:tg"] and "target_group_ar_ns" not in details
    assert details["launch_template"] == {"launch_template_name": "dev-shop-web", "version": "3"}
    assert details["vpc_zone_identifier"] == "subnet-1,subnet-2" and details["desired_capacity"] == 2
    assert details["tags"] == [{"key": "Name", "value": "web", "propagate_at_launch": False}]


@pytest.fixture
def wafv2():
    yield from _stubbed("wafv2")


def test_list_web_acls_pages_with_next_marker(wafv2):
    c, stubber = wafv2
    acl = {"Name": "p-web", "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "ARN": "arn:aws:wafv2:eu-west-1:1:regional/webacl/p-web/a1"}
    stubber.add_response("list_web_acls", {"WebACLs": [acl], "NextMarker": "m1"}, {"Scope": "REGIONAL", "Limit": 100})
    stubber.add_response("list_web_acls", {"WebACLs": [dict(acl, Name="p-api")]}, {"Scope": "REGIONAL", "Limit": 100, "NextMarker": "m1"})
    assert [a["Name"] for a in aws_values.list_web_acls(c, "REGIONAL")] == ["p-web", "p-api"]
    stubber.assert_no_pending_responses()


def test_a_failed_web_acl_list_raises_the_values_error(wafv2):
    c, stubber = wafv2
    stubber.add_client_error("list_web_acls", "WAFInternalErrorException", "try again", expected_params={"Scope": "REGIONAL", "Limit": 100})
    with pytest.raises(aws_values.AnsibleAWSValuesError, match="list the web ACLs"):
        aws_values.list_web_acls(c, "REGIONAL")


@pytest.fixture
def elbv2():
    yield from _stubbed("elbv2")


def test_load_balancers_page_with_marker_and_one_missing_answers_none(elbv2):
    c, stubber = elbv2
    balancer = {"LoadBalancerName": "p-web", "LoadBalancerArn": "arn:lb/p-web"}
    stubber.add_response("describe_load_balancers", {"LoadBalancers": [balancer], "NextMarker": "m1"}, {"Names": ["p-web", "p-api"]})
    stubber.add_response("describe_load_balancers", {"LoadBalancers": [dict(balancer, LoadBalancerName="p-api")]},
                         {"Names": ["p-web", "p-api"], "Marker": "m1"})
    assert [b["LoadBalancerName"] for b in aws_values.describe_load_balancers(c, ["p-web", "p-api"])] == ["p-web", "p-api"]
    # Elastic Load Balancing fails a describe by names whole when one does not exist: no error, nothing found.
    stubber.add_client_error("describe_load_balancers", "LoadBalancerNotFound", "One or more not found", expected_params={"Names": ["gone"]})
    assert aws_values.describe_load_balancers(c, ["gone"]) == []
    stubber.add_client_error("describe_target_groups", "TargetGroupNotFound", "One or more not found", expected_params={"Names": ["gone-tg"]})
    assert aws_values.describe_target_groups(c, ["gone-tg"]) == []
    stubber.assert_no_pending_responses()


def test_the_tags_of_load_balancers_and_target_groups_come_in_one_call(elbv2):
    c, stubber = elbv2
    arns = ["arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/p-web/1", "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/p-web-tg/2"]
    described = [{"ResourceArn": arn, "Tags": [{"Key": "Name", "Value": name}]} for arn, name in zip(arns, ["p-web", "p-web-tg"])]
    stubber.add_response("describe_tags", {"TagDescriptions": described}, {"ResourceArns": arns})
    assert aws_values.describe_elb_tags(c, arns) == {arns[0]: {"Name": "p-web"}, arns[1]: {"Name": "p-web-tg"}}
    stubber.add_client_error("describe_listeners", "AccessDenied", "no", expected_params={"LoadBalancerArn": arns[0]})
    with pytest.raises(AnsibleAWSError, match="describe the listeners"):
        aws_values.describe_listeners(c, arns[0])


def test_all_or_each_asks_each_name_only_when_the_whole_call_found_nothing():
    calls = []

    def describe(names):
        calls.append(list(names))
        return [] if "gone" in names else [{"Name": n} for n in names]

    assert aws_values.all_or_each(describe, ["a", "b"]) == [{"Name": "a"}, {"Name": "b"}] and calls == [["a", "b"]]
    calls.clear()
    assert aws_values.all_or_each(describe, ["a", "gone"]) == [{"Name": "a"}] and calls == [["a", "gone"], ["a"], ["gone"]]
    calls.clear()
    assert aws_values.all_or_each(describe, ["gone"]) == [] and calls == [["gone"]]


TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
ROLE_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:*:table/t"}]}
WANTED_ROLE = {"name": "p-web-instance", "description": "web", "trust_policy": TRUST, "instance_profile": True,
               "managed_policies": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
               "inline_policies": {"access": ROLE_POLICY}, "tags": {"atelier:env": "dev"}}
READ_ROLE = {"arn": "arn:aws:iam::123456789012:role/p-web-instance", "role_id": "AROA1", "path": "/",
             "trust_policy": TRUST, "description": "web", "max_session_duration": 3600, "permissions_boundary": "",
             "tags": {"atelier:env": "dev"}, "managed_policies": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
             "inline_policies": {"access": ROLE_POLICY}, "instance_profiles": ["p-web-instance"]}


@pytest.mark.parametrize("current, changes", [
    (READ_ROLE, []),
    # The policy as JSON text and in another key order is the same policy.
    (dict(READ_ROLE, inline_policies={"access": json.loads(json.dumps(ROLE_POLICY, sort_keys=True))}), []),
    (None, ["create iam role p-web-instance", "update iam role p-web-instance: attach arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "update iam role p-web-instance: policy access", "update iam role p-web-instance: instance profile"]),
    (dict(READ_ROLE, inline_policies={"access": TRUST}), ["update iam role p-web-instance: policy access"]),
    (dict(READ_ROLE, inline_policies={"access": ROLE_POLICY, "by-hand": ROLE_POLICY}), ["update iam role p-web-instance: remove policy by-hand"]),
    (dict(READ_ROLE, managed_policies=[]), ["update iam role p-web-instance: attach arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]),
    (dict(READ_ROLE, tags={}), ["update iam role p-web-instance: tags"]),
    (dict(READ_ROLE, description="other"), ["update iam role p-web-instance: description"]),
    (dict(READ_ROLE, instance_profiles=[]), ["update iam role p-web-instance: instance profile"]),
    (dict(READ_ROLE, trust_policy={}), ["update iam role p-web-instance: trust policy"]),
], ids=["same", "same policy reordered", "missing", "policy edited", "policy added", "detached", "tag gone", "description",
        "profile gone", "trust"])
def test_iam_role_changes_are_the_plan_of_iam_role_set(current, changes):
    iam_role_changes = FilterModule().filters()["iam_role_changes"]
    read = {"iam_role_details": {"p-web-instance": current} if current else {}, "missing_iam_roles": [] if current else ["p-web-instance"]}
    assert iam_role_changes(read, WANTED_ROLE) == changes


def test_the_iam_role_filter_takes_policies_as_text_and_the_module_tags():
    iam_role_changes = FilterModule().filters()["iam_role_changes"]
    read = {"iam_role_details": {"p-web-instance": READ_ROLE}}
    as_text = dict(WANTED_ROLE, inline_policies={"access": json.dumps(ROLE_POLICY)}, tags={})
    assert iam_role_changes(read, as_text, {"atelier:env": "dev"}) == []
    assert iam_role_changes(read, as_text) == ["update iam role p-web-instance: tags"]
    with pytest.raises(AnsibleFilterError, match="expected the result of atelier.infra.aws_values_info"):
        iam_role_changes(None, WANTED_ROLE)
    with pytest.raises(AnsibleFilterError, match="with its name and trust_policy"):
        iam_role_changes(read, {"name": "p-web-instance"})
    with pytest.raises(AnsibleFilterError, match="only a present role"):
        iam_role_changes(read, dict(WANTED_ROLE, state="absent"))


@pytest.mark.parametrize("role, message", [
    (dict(WANTED_ROLE, max_session_duration=60), "max_session_duration must be 3600 to 43200 seconds"),
    (dict(WANTED_ROLE, inline_policies={"access": "not json"}), "inline policy access must be a policy document"),
    (dict(WANTED_ROLE, instance_profile="perhaps"), "instance_profile"),
    (dict(WANTED_ROLE, colour="blue"), "colour"),
])
def test_the_iam_role_filter_refuses_what_iam_role_set_refuses(role, message):
    """The filter checks the role with the module's own argument spec and checks (iam_roles.ROLE_OPTIONS,
    role_errors): what the module would refuse is not compared."""
    iam_role_changes = FilterModule().filters()["iam_role_changes"]
    with pytest.raises(AnsibleFilterError, match=message):
        iam_role_changes({"iam_role_details": {}, "missing_iam_roles": ["p-web-instance"]}, role)


GROUP = {"name": "/aws/ec2/p/web", "arn": "arn:aws:logs:eu-west-1:1:log-group:/aws/ec2/p/web", "retention_in_days": 30,
         "kms_key_id": "", "tags": {"atelier:env": "dev"}}
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize("current, args, changes", [
    (GROUP, (30, "", {"atelier:env": "dev"}), []),
    (None, (30, "", {"atelier:env": "dev"}), ["create", "put_retention"]),
    (dict(GROUP, retention_in_days=1), (30, "", {"atelier:env": "dev"}), ["put_retention"]),
    (GROUP, (0, "", {"atelier:env": "dev"}), ["delete_retention"]),
    (GROUP, (30, KEY, {"atelier:env": "dev"}), ["associate_key"]),
    (dict(GROUP, kms_key_id=KEY), (30, "", {"atelier:env": "dev"}), ["disassociate_key"]),
    (dict(GROUP, tags={"atelier:env": "dev", "by": "hand"}), (30, "", {"atelier:env": "dev"}), ["untag"]),
    (dict(GROUP, tags={}), (30, "", {"atelier:env": "dev"}), ["tag"]),
    # Left out of the comparison: none of them differ.
    (dict(GROUP, kms_key_id=KEY, tags={"by": "hand"}), (30, None, None), []),
    # An alias cannot be compared without KMS: the module runs and resolves it.
    (GROUP, (30, "alias/p-logs", {"atelier:env": "dev"}), ["resolve_key"]),
], ids=["same", "missing", "retention", "never expire", "key", "key gone", "tag added", "tags gone", "not compared", "alias"])
def test_log_group_changes_are_the_steps_of_cloudwatch_log_group(current, args, changes):
    log_group_changes = FilterModule().filters()["log_group_changes"]
    read = {"log_group_details": {GROUP["name"]: current} if current else {}, "missing_log_groups": [] if current else [GROUP["name"]]}
    assert log_group_changes(read, GROUP["name"], *args) == changes


def test_the_log_group_filter_checks_its_inputs():
    log_group_changes = FilterModule().filters()["log_group_changes"]
    with pytest.raises(AnsibleFilterError, match="expected the result of atelier.infra.aws_values_info"):
        log_group_changes([], GROUP["name"])
    with pytest.raises(AnsibleFilterError, match="expected the tags as a dict"):
        log_group_changes({}, GROUP["name"], 30, "", ["tag"])
    # Tags with other keys kept (purge_tags false) are no change.
    read = {"log_group_details": {GROUP["name"]: dict(GROUP, tags={"atelier:env": "dev", "by": "hand"})}}
    assert log_group_changes(read, GROUP["name"], 30, "", {"atelier:env": "dev"}, False) == []
