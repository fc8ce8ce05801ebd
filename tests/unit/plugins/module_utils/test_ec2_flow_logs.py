# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the flow-log wrappers against botocore's Stubber (no network)."""

import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code

from ansible_collections.atelier.infra.plugins.module_utils import ec2_flow_logs

VPC = "vpc-0123456789abcdef0"
CREATED = datetime.datetime(2025, 1, 31, 12, 0, tzinfo=datetime.timezone.utc)


def _flow_log(flow_log_id, tags=None):
    result = {
        "FlowLogId": flow_log_id,
        "ResourceId": VPC,
        "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": "/vpc/flow-logs",
        "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flow-logs",
        "MaxAggregationInterval": 600,
        "CreationTime": CREATED,
    }
    if tags is not None:
        result["Tags"] = tags
    return result


@pytest.fixture
def ec2():
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_describe_paginates(ec2):
    client, stubber = ec2
    filters = [{"Name": "resource-id", "Values": [VPC]}]
    stubber.add_response(
        "describe_flow_logs", {"FlowLogs": [_flow_log("fl-1")], "NextToken": "page-2"}, {"Filter": filters}
    )
    stubber.add_response(
        "describe_flow_logs", {"FlowLogs": [_flow_log("fl-2")]}, {"Filter": filters, "NextToken": "page-2"}
    )

    result = ec2_flow_logs.describe_flow_logs(client, Filter=filters)

    assert [fl["FlowLogId"] for fl in result] == ["fl-1", "fl-2"]


def test_describe_missing_id_is_empty(ec2):
    client, stubber = ec2
    stubber.add_client_error("describe_flow_logs", service_error_code="InvalidFlowLogId.NotFound")

    assert ec2_flow_logs.describe_flow_logs(client, FlowLogIds=["fl-404"]) == []


def test_describe_error(ec2):
    client, stubber = ec2
    stubber.add_client_error("describe_flow_logs", service_error_code="UnauthorizedOperation", http_status_code=403)

    with pytest.raises(AnsibleEC2Error, match="Failed to describe flow logs"):
        ec2_flow_logs.describe_flow_logs(client)


CREATE_PARAMS = {
    "ResourceIds": [VPC],
    "ResourceType": "VPC",
    "TrafficType": "ALL",
    "LogDestinationType": "cloud-watch-logs",
    "LogGroupName": "/vpc/flow-logs",
    "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flow-logs",
    "MaxAggregationInterval": 600,
}


@pytest.mark.parametrize(
    "tags, tag_specifications",
    [
        (
            {"Name": "web", "Tier": "edge"},
            [
                {
                    "ResourceType": "vpc-flow-log",
                    "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "Tier", "Value": "edge"}],
                }
            ],
        ),
        ({}, None),
        (None, None),
    ],
    ids=["with tags", "empty tags", "no tags"],
)
def test_create_passes_tag_specifications(ec2, tags, tag_specifications):
    client, stubber = ec2
    expected = dict(CREATE_PARAMS)
    if tag_specifications:
        expected["TagSpecifications"] = tag_specifications
    stubber.add_response("create_flow_logs", {"FlowLogIds": ["fl-1"], "Unsuccessful": []}, expected)

    assert ec2_flow_logs.create_flow_logs(client, tags=tags, **CREATE_PARAMS) == ["fl-1"]


def test_create_unsuccessful_raises(ec2):
    client, stubber = ec2
    unsuccessful = [{"ResourceId": VPC, "Error": {"Code": "400", "Message": "LogDestination: bucket does not exist."}}]
    stubber.add_response("create_flow_logs", {"FlowLogIds": [], "Unsuccessful": unsuccessful}, CREATE_PARAMS)

    with pytest.raises(
        AnsibleEC2Error, match=f"Failed to create flow log: {VPC}: 400 LogDestination: bucket does not exist."
    ):
        ec2_flow_logs.create_flow_logs(client, **CREATE_PARAMS)


def test_create_already_exists_is_recognisable(ec2):
    client, stubber = ec2
    stubber.add_client_error("create_flow_logs", service_error_code="FlowLogAlreadyExists")

    with pytest.raises(AnsibleEC2Error) as raised:
        ec2_flow_logs.create_flow_logs(client, **CREATE_PARAMS)
    # The module uses this to fall back to delete-then-create when replacing a flow log.
    assert isinstance(raised.value, is_ansible_aws_error_code("FlowLogAlreadyExists", raised.value))


@pytest.mark.parametrize(
    "response, expected",
    [
        ({"Unsuccessful": []}, True),
        (
            {
                "Unsuccessful": [
                    {"ResourceId": "fl-1", "Error": {"Code": "InvalidFlowLogId.NotFound", "Message": "gone"}}
                ]
            },
            False,
        ),
    ],
    ids=["deleted", "already gone (listed as unsuccessful)"],
)
def test_delete(ec2, response, expected):
    client, stubber = ec2
    stubber.add_response("delete_flow_logs", response, {"FlowLogIds": ["fl-1"]})

    assert ec2_flow_logs.delete_flow_logs(client, ["fl-1"]) is expected


def test_delete_not_found_error_is_no_change(ec2):
    client, stubber = ec2
    stubber.add_client_error("delete_flow_logs", service_error_code="InvalidFlowLogId.NotFound")

    assert ec2_flow_logs.delete_flow_logs(client, ["fl-1"]) is False


def test_delete_other_failure_raises(ec2):
    client, stubber = ec2
    unsuccessful = [{"ResourceId": "fl-1", "Error": {"Code": "UnauthorizedOperation", "Message": "no"}}]
    stubber.add_response("delete_flow_logs", {"Unsuccessful": unsuccessful}, {"FlowLogIds": ["fl-1"]})

    with pytest.raises(AnsibleEC2Error, match="UnauthorizedOperation"):
        ec2_flow_logs.delete_flow_logs(client, ["fl-1"])


def test_tag_wrappers(ec2):
    client, stubber = ec2
    stubber.add_response("create_tags", {}, {"Resources": ["fl-1"], "Tags": [{"Key": "Name", "Value": "web"}]})
    stubber.add_response("delete_tags", {}, {"Resources": ["fl-1"], "Tags": [{"Key": "Old"}]})

    assert ec2_flow_logs.add_flow_log_tags(client, "fl-1", {"Name": "web"}) is True
    assert ec2_flow_logs.remove_flow_log_tags(client, "fl-1", ["Old"]) is True


def test_normalize_flow_log():
    result = ec2_flow_logs.normalize_flow_log(_flow_log("fl-1", tags=[{"Key": "Name", "Value": "web"}]))

    assert result["flow_log_id"] == "fl-1"
    assert result["log_group_name"] == "/vpc/flow-logs"
    assert result["max_aggregation_interval"] == 600
    assert result["tags"] == {"Name": "web"}
    assert result["creation_time"] == "2025-01-31T12:00:00+00:00"
    assert ec2_flow_logs.normalize_flow_log(_flow_log("fl-2"))["tags"] == {}
    assert ec2_flow_logs.normalize_flow_log(None) == {}
