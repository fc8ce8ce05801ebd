# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the DynamoDB wrappers against botocore's Stubber (no network): parameters,
pagination, the error handler, retries and waits."""

import datetime
import time

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.atelier.infra.plugins.module_utils import dynamodb

ARN = "arn:aws:dynamodb:eu-central-1:123456789012:table/AtelierDB"
CREATED = datetime.datetime(2025, 1, 31, 12, 0, tzinfo=datetime.timezone.utc)


def _client(region="eu-central-1"):
    return boto3.client("dynamodb", region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture
def ddb():
    client = _client()
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    """Retries (amazon.aws cloud.py) and waits (our poller) sleep through time.sleep."""
    slept = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


def _table(status="ACTIVE", **extra):
    result = {
        "TableName": "AtelierDB",
        "TableArn": ARN,
        "TableStatus": status,
        "CreationDateTime": CREATED,
        "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "PK", "AttributeType": "S"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
    }
    result.update(extra)
    return result


def test_error_handler_is_an_aws_error_handler():
    from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler

    assert issubclass(dynamodb.DynamoDBErrorHandler, AWSErrorHandler)
    assert issubclass(dynamodb.AnsibleDynamoDBError, AnsibleAWSError)


def test_describe_table(ddb):
    client, stubber = ddb
    stubber.add_response("describe_table", {"Table": _table()}, {"TableName": "AtelierDB"})

    assert dynamodb.describe_table(client, "AtelierDB")["TableArn"] == ARN


def test_describe_missing_table_is_none(ddb):
    client, stubber = ddb
    stubber.add_client_error("describe_table", service_error_code="ResourceNotFoundException", http_status_code=400)

    assert dynamodb.describe_table(client, "AtelierDB") is None


def test_describe_error(ddb):
    client, stubber = ddb
    stubber.add_client_error("describe_table", service_error_code="AccessDeniedException", http_status_code=400)

    with pytest.raises(dynamodb.AnsibleDynamoDBError, match="Failed to describe table") as raised:
        dynamodb.describe_table(client, "AtelierDB")
    assert raised.value.exception.response["Error"]["Code"] == "AccessDeniedException"


def test_list_tags_paginates(ddb):
    client, stubber = ddb
    stubber.add_response(
        "list_tags_of_resource",
        {"Tags": [{"Key": "Name", "Value": "AtelierDB"}], "NextToken": "page-2"},
        {"ResourceArn": ARN},
    )
    stubber.add_response(
        "list_tags_of_resource",
        {"Tags": [{"Key": "atelier:env", "Value": "dev"}]},
        {"ResourceArn": ARN, "NextToken": "page-2"},
    )

    assert dynamodb.list_tags_of_resource(client, ARN) == {"Name": "AtelierDB", "atelier:env": "dev"}


def test_list_tags_of_missing_table_is_empty(ddb):
    client, stubber = ddb
    stubber.add_client_error(
        "list_tags_of_resource", service_error_code="ResourceNotFoundException", http_status_code=400
    )

    assert dynamodb.list_tags_of_resource(client, ARN) == {}


def test_update_table_retries_while_the_table_is_busy(ddb, no_sleep):
    client, stubber = ddb
    expected = {"TableName": "AtelierDB", "DeletionProtectionEnabled": True}
    stubber.add_client_error(
        "update_table", service_error_code="ResourceInUseException", http_status_code=400, expected_params=expected
    )
    stubber.add_client_error(
        "update_table", service_error_code="LimitExceededException", http_status_code=400, expected_params=expected
    )
    stubber.add_response("update_table", {"TableDescription": _table("UPDATING")}, expected)

    result = dynamodb.update_table(client, "AtelierDB", DeletionProtectionEnabled=True)

    assert result["TableStatus"] == "UPDATING"
    assert len(no_sleep) == 2


def test_update_table_validation_error_is_not_retried(ddb, no_sleep):
    client, stubber = ddb
    stubber.add_client_error(
        "update_table", service_error_code="ValidationException", service_message="bad", http_status_code=400
    )

    with pytest.raises(dynamodb.AnsibleDynamoDBError, match="Failed to update table"):
        dynamodb.update_table(client, "AtelierDB", TableClass="STANDARD")
    assert no_sleep == []


def test_create_table_that_exists_is_not_retried(ddb, no_sleep):
    client, stubber = ddb
    stubber.add_client_error("create_table", service_error_code="ResourceInUseException", http_status_code=400)

    with pytest.raises(dynamodb.AnsibleDynamoDBError, match="Failed to create table"):
        dynamodb.create_table(
            client,
            TableName="AtelierDB",
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    assert no_sleep == []


@pytest.mark.parametrize(
    "stub, expected",
    [
        (
            lambda s: s.add_response(
                "delete_table", {"TableDescription": _table("DELETING")}, {"TableName": "AtelierDB"}
            ),
            True,
        ),
        (
            lambda s: s.add_client_error(
                "delete_table", service_error_code="ResourceNotFoundException", http_status_code=400
            ),
            False,
        ),
    ],
    ids=["deleted", "already gone"],
)
def test_delete_table(ddb, stub, expected):
    client, stubber = ddb
    stub(stubber)

    assert dynamodb.delete_table(client, "AtelierDB") is expected


def test_ttl_pitr_and_tag_calls(ddb):
    client, stubber = ddb
    spec = {"AttributeName": "ExpiresAt", "Enabled": True}
    stubber.add_response(
        "update_time_to_live",
        {"TimeToLiveSpecification": spec},
        {"TableName": "AtelierDB", "TimeToLiveSpecification": spec},
    )
    stubber.add_response(
        "update_continuous_backups",
        {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED"}},
        {"TableName": "AtelierDB", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}},
    )
    stubber.add_response("tag_resource", {}, {"ResourceArn": ARN, "Tags": [{"Key": "Name", "Value": "AtelierDB"}]})
    stubber.add_response("untag_resource", {}, {"ResourceArn": ARN, "TagKeys": ["Old"]})

    assert dynamodb.update_time_to_live(client, "AtelierDB", "ExpiresAt", True) == spec
    assert dynamodb.update_continuous_backups(client, "AtelierDB", True)["ContinuousBackupsStatus"] == "ENABLED"
    assert dynamodb.tag_resource(client, ARN, {"Name": "AtelierDB"}) is True
    assert dynamodb.untag_resource(client, ARN, ["Old"]) is True


def test_wait_table_exists_uses_the_boto3_waiter(ddb):
    client, stubber = ddb
    stubber.add_response("describe_table", {"Table": _table("CREATING")}, {"TableName": "AtelierDB"})
    stubber.add_response("describe_table", {"Table": _table("ACTIVE")}, {"TableName": "AtelierDB"})

    dynamodb.wait_table_exists(client, "AtelierDB", timeout=60, delay=1)


def test_wait_table_exists_timeout(ddb):
    client, stubber = ddb
    for _ in range(2):
        stubber.add_response("describe_table", {"Table": _table("CREATING")}, {"TableName": "AtelierDB"})

    with pytest.raises(dynamodb.AnsibleDynamoDBError, match="Timeout trying to wait for the table to become active"):
        dynamodb.wait_table_exists(client, "AtelierDB", timeout=2, delay=1)


def test_wait_for_table_polls_until_ready(ddb, no_sleep):
    client, stubber = ddb
    creating = _table(Replicas=[{"RegionName": "af-south-1", "ReplicaStatus": "CREATING"}])
    active = _table(Replicas=[{"RegionName": "af-south-1", "ReplicaStatus": "ACTIVE"}])
    stubber.add_response("describe_table", {"Table": creating}, {"TableName": "AtelierDB"})
    stubber.add_response("describe_table", {"Table": active}, {"TableName": "AtelierDB"})

    table = dynamodb.wait_for_table(client, "AtelierDB", dynamodb.replica_active("af-south-1"), 60, "wait", delay=5)

    assert table["Replicas"][0]["ReplicaStatus"] == "ACTIVE"
    assert no_sleep == [5]


def test_wait_for_table_stops_on_a_failed_replica(ddb):
    client, stubber = ddb
    failed = _table(
        Replicas=[
            {
                "RegionName": "af-south-1",
                "ReplicaStatus": "CREATION_FAILED",
                "ReplicaStatusDescription": "KMS key not found",
            }
        ]
    )
    stubber.add_response("describe_table", {"Table": failed}, {"TableName": "AtelierDB"})

    with pytest.raises(
        dynamodb.AnsibleDynamoDBError,
        match="Failed to wait for replica af-south-1: replica af-south-1 is CREATION_FAILED KMS key not found",
    ):
        dynamodb.wait_for_table(
            client, "AtelierDB", dynamodb.replica_active("af-south-1"), 60, "wait for replica af-south-1"
        )


def test_wait_for_table_timeout(ddb, monkeypatch):
    client, stubber = ddb
    clock = iter([0, 0, 11])
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    for _ in range(2):
        stubber.add_response("describe_table", {"Table": _table("UPDATING")}, {"TableName": "AtelierDB"})

    with pytest.raises(dynamodb.AnsibleDynamoDBError, match="Timeout after 10 seconds trying to wait for the table"):
        dynamodb.wait_for_table(client, "AtelierDB", dynamodb.table_settled, 10, "wait for the table")


def test_get_table_state_reads_each_replica_in_its_region():
    home, replica = _client(), _client("af-south-1")
    replicas = [
        {"RegionName": "eu-central-1", "ReplicaStatus": "ACTIVE"},
        {"RegionName": "af-south-1", "ReplicaStatus": "ACTIVE"},
        {"RegionName": "eu-west-1", "ReplicaStatus": "DELETING"},
    ]
    asked = []
    with Stubber(home) as h, Stubber(replica) as r:
        h.add_response("describe_table", {"Table": _table(Replicas=replicas)}, {"TableName": "AtelierDB"})
        h.add_response(
            "describe_time_to_live",
            {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "ExpiresAt"}},
            {"TableName": "AtelierDB"},
        )
        h.add_response(
            "describe_continuous_backups",
            {
                "ContinuousBackupsDescription": {
                    "ContinuousBackupsStatus": "ENABLED",
                    "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"},
                }
            },
            {"TableName": "AtelierDB"},
        )
        h.add_response("list_tags_of_resource", {"Tags": [{"Key": "Name", "Value": "AtelierDB"}]}, {"ResourceArn": ARN})
        r.add_response("describe_table", {"Table": _table(DeletionProtectionEnabled=True)}, {"TableName": "AtelierDB"})
        r.add_client_error(
            "describe_continuous_backups", service_error_code="ResourceNotFoundException", http_status_code=400
        )

        state = dynamodb.get_table_state(
            home, "AtelierDB", "eu-central-1", lambda region: asked.append(region) or replica
        )

        h.assert_no_pending_responses()
        r.assert_no_pending_responses()
    # The home region and a replica being deleted are not asked about.
    assert asked == ["af-south-1"]
    assert state["tags"] == {"Name": "AtelierDB"}
    assert state["replicas"]["af-south-1"]["table"]["DeletionProtectionEnabled"] is True
    assert state["replicas"]["af-south-1"]["continuous_backups"] is None


def test_get_table_state_of_missing_table(ddb):
    client, stubber = ddb
    stubber.add_client_error("describe_table", service_error_code="ResourceNotFoundException", http_status_code=400)

    assert dynamodb.get_table_state(client, "AtelierDB", "eu-central-1", lambda region: None) is None
