# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Normalisation of what DynamoDB returns: the configuration the planner compares and the
table the modules return. Pure functions."""

import datetime

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import dynamodb

from tests.unit.plugins.module_utils.test_dynamodb_builders import HOME
from tests.unit.plugins.module_utils.test_dynamodb_builders import gsi_config
from tests.unit.plugins.module_utils.test_dynamodb_builders import replica_config

ARN = "arn:aws:dynamodb:eu-central-1:123456789012:table/AtelierDB"
KEY = "arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555"
AF_KEY = "arn:aws:kms:af-south-1:123456789012:key/aaaaaaaa-2222-3333-4444-555555555555"


def global_table():
    """A global table as DescribeTable returns it in its home region."""
    return {
        "TableName": "AtelierDB",
        "TableArn": ARN,
        "TableStatus": "ACTIVE",
        "CreationDateTime": datetime.datetime(2025, 1, 31, 12, 0, tzinfo=datetime.timezone.utc),
        "KeySchema": [{"AttributeName": "SK", "KeyType": "RANGE"}, {"AttributeName": "PK", "KeyType": "HASH"}],
        "AttributeDefinitions": [
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
            {"AttributeName": "Category", "AttributeType": "S"},
            {"AttributeName": "Price", "AttributeType": "N"},
        ],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0},
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "GSI_CategoryPrice",
                "KeySchema": [
                    {"AttributeName": "Category", "KeyType": "HASH"},
                    {"AttributeName": "Price", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Name", "Brand"]},
                "IndexStatus": "ACTIVE",
                "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
            },
            {
                "IndexName": "GSI_Old",
                "KeySchema": [{"AttributeName": "Category", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "IndexStatus": "DELETING",
            },
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        "LatestStreamArn": f"{ARN}/stream/2025-01-31T12:00:00.000",
        "SSEDescription": {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": KEY},
        "TableClassSummary": {"TableClass": "STANDARD_INFREQUENT_ACCESS"},
        "DeletionProtectionEnabled": True,
        "Replicas": [
            {"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"},
            {"RegionName": "eu-central-1", "ReplicaStatus": "ACTIVE"},
            {"RegionName": "us-east-1", "ReplicaStatus": "DELETING"},
            {
                "RegionName": "af-south-1",
                "ReplicaStatus": "ACTIVE",
                "KMSMasterKeyId": AF_KEY,
                "ReplicaTableClassSummary": {"TableClass": "STANDARD"},
            },
        ],
    }


def state():
    return {
        "table": global_table(),
        "ttl": {"TimeToLiveStatus": "ENABLED", "AttributeName": "ExpiresAt"},
        "continuous_backups": {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"},
        },
        "tags": {"Name": "AtelierDB"},
        "replicas": {
            "af-south-1": {
                "table": {"TableName": "AtelierDB", "DeletionProtectionEnabled": True},
                "continuous_backups": {"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}},
            },
            "eu-west-1": {"table": None, "continuous_backups": None},
        },
    }


def test_current_config():
    assert dynamodb.current_config(state(), HOME) == {
        "name": "AtelierDB",
        "hash_key": "PK",
        "range_key": "SK",
        "attribute_definitions": {"PK": "S", "SK": "S", "Category": "S", "Price": "N"},
        "billing_mode": "PAY_PER_REQUEST",
        "read_capacity": None,
        "write_capacity": None,
        "table_class": "STANDARD_INFREQUENT_ACCESS",
        # A GSI being deleted is already gone; on demand, no capacities.
        "global_secondary_indexes": {
            "GSI_CategoryPrice": gsi_config("Category", "Price", "INCLUDE", ["Brand", "Name"])
        },
        "local_secondary_indexes": {},
        "ttl_attribute": "ExpiresAt",
        "stream_enabled": True,
        "stream_view_type": "NEW_AND_OLD_IMAGES",
        "sse_type": "KMS",
        "kms_key_id": KEY,
        "point_in_time_recovery": True,
        "deletion_protection": True,
        # Not the home region, not a replica being deleted; unknown settings are None.
        "replicas": {
            "af-south-1": replica_config(kms_key_id=AF_KEY, deletion_protection=True),
            "eu-west-1": replica_config(
                table_class="STANDARD_INFREQUENT_ACCESS", deletion_protection=None, point_in_time_recovery=None
            ),
        },
        "tags": {"Name": "AtelierDB"},
    }


@pytest.mark.parametrize(
    "table, ttl, expected",
    [
        (
            {"BillingModeSummary": None, "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}},
            {"TimeToLiveStatus": "DISABLING", "AttributeName": "ExpiresAt"},
            ("PROVISIONED", 3, 4, ""),
        ),
        (
            {},
            {"TimeToLiveStatus": "ENABLING", "AttributeName": "ExpiresAt"},
            ("PAY_PER_REQUEST", None, None, "ExpiresAt"),
        ),
    ],
    ids=["no billing summary is PROVISIONED; TTL being disabled is off", "TTL being enabled is on"],
)
def test_current_config_edge_cases(table, ttl, expected):
    current = state()
    current["table"].update(table)
    if table.get("BillingModeSummary") is None and "BillingModeSummary" in table:
        del current["table"]["BillingModeSummary"]
    current["ttl"] = ttl
    config = dynamodb.current_config(current, HOME)
    assert (
        config["billing_mode"],
        config["read_capacity"],
        config["write_capacity"],
        config["ttl_attribute"],
    ) == expected


def test_no_sse_description_is_an_aws_owned_key():
    current = state()
    del current["table"]["SSEDescription"]
    del current["table"]["TableClassSummary"]
    config = dynamodb.current_config(current, HOME)
    assert (config["sse_type"], config["kms_key_id"], config["table_class"]) == ("AWS_OWNED", None, "STANDARD")


def test_normalize_table():
    table = dynamodb.normalize_table(state(), HOME)

    assert table["table_arn"] == ARN
    assert table["latest_stream_arn"].startswith(ARN)
    assert table["creation_date_time"] == "2025-01-31T12:00:00+00:00"
    assert (table["name"], table["hash_key"], table["range_key"]) == ("AtelierDB", "PK", "SK")
    assert table["tags"] == {"Name": "AtelierDB"}
    assert table["ttl"] == {"enabled": True, "attribute_name": "ExpiresAt", "status": "ENABLED"}
    assert table["point_in_time_recovery"] is True and table["deletion_protection"] is True
    assert table["sse"] == {"sse_type": "KMS", "kms_key_id": KEY, "status": "ENABLED"}
    assert table["stream"] == {
        "stream_enabled": True,
        "stream_view_type": "NEW_AND_OLD_IMAGES",
        "latest_stream_arn": f"{ARN}/stream/2025-01-31T12:00:00.000",
    }
    assert [r["region_name"] for r in table["replicas"]] == ["af-south-1", "eu-west-1"]
    af = table["replicas"][0]
    assert (af["replica_status"], af["kms_key_id"], af["deletion_protection"], af["point_in_time_recovery"]) == (
        "ACTIVE",
        AF_KEY,
        True,
        False,
    )
    assert table["replicas"][1]["deletion_protection"] is None


def test_normalize_no_table():
    assert dynamodb.normalize_table(None, HOME) == {}
    assert dynamodb.current_config(None, HOME) == {}


def test_diff_view_leaves_out_unknown_values():
    assert dynamodb.diff_view({"a": 1, "b": None, "c": "", "d": {"e": None, "f": {"g": None, "h": []}}}) == {
        "a": 1,
        "c": "",
        "d": {"f": {"h": []}},
    }


@pytest.mark.parametrize(
    "table, expected",
    [
        (None, False),
        ({"TableStatus": "CREATING"}, False),
        ({"TableStatus": "ACTIVE", "GlobalSecondaryIndexes": [{"IndexStatus": "CREATING"}]}, False),
        ({"TableStatus": "ACTIVE", "GlobalSecondaryIndexes": [{"IndexStatus": "DELETING"}]}, False),
        ({"TableStatus": "ACTIVE", "Replicas": [{"RegionName": "af-south-1", "ReplicaStatus": "UPDATING"}]}, False),
        (
            {
                "TableStatus": "ACTIVE",
                "GlobalSecondaryIndexes": [{"IndexStatus": "ACTIVE"}],
                "Replicas": [{"RegionName": "a", "ReplicaStatus": "ACTIVE"}],
            },
            True,
        ),
    ],
)
def test_table_settled(table, expected):
    assert dynamodb.table_settled(table) is expected


def test_replica_predicates():
    creating = {"TableStatus": "ACTIVE", "Replicas": [{"RegionName": "af-south-1", "ReplicaStatus": "CREATING"}]}
    active = {"TableStatus": "ACTIVE", "Replicas": [{"RegionName": "af-south-1", "ReplicaStatus": "ACTIVE"}]}
    gone = {"TableStatus": "ACTIVE", "Replicas": []}
    assert not dynamodb.replica_active("af-south-1")(creating)
    assert dynamodb.replica_active("af-south-1")(active)
    assert not dynamodb.replica_gone("af-south-1")(active)
    assert dynamodb.replica_gone("af-south-1")(gone)
    with pytest.raises(ValueError, match="replica af-south-1 is REGION_DISABLED"):
        dynamodb.replica_active("af-south-1")(
            {"TableStatus": "ACTIVE", "Replicas": [{"RegionName": "af-south-1", "ReplicaStatus": "REGION_DISABLED"}]}
        )
