# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The planner as pure functions: current configuration + parameters -> checks and steps.
No mock, no AWS."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import dynamodb

from tests.unit.plugins.module_utils.test_dynamodb_builders import HOME
from tests.unit.plugins.module_utils.test_dynamodb_builders import attrs
from tests.unit.plugins.module_utils.test_dynamodb_builders import config
from tests.unit.plugins.module_utils.test_dynamodb_builders import gsi
from tests.unit.plugins.module_utils.test_dynamodb_builders import gsi_config
from tests.unit.plugins.module_utils.test_dynamodb_builders import lsi
from tests.unit.plugins.module_utils.test_dynamodb_builders import matching_params
from tests.unit.plugins.module_utils.test_dynamodb_builders import params
from tests.unit.plugins.module_utils.test_dynamodb_builders import replica
from tests.unit.plugins.module_utils.test_dynamodb_builders import replica_config
from tests.unit.plugins.module_utils.test_dynamodb_builders import atelierdb_params

KEY = "arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555"
KEY_ID = "11111111-2222-3333-4444-555555555555"
OTHER_KEY = "arn:aws:kms:eu-central-1:123456789012:key/99999999-2222-3333-4444-555555555555"
PROVISIONED = dict(billing_mode="PROVISIONED", read_capacity=5, write_capacity=5)
TWO_REPLICAS = {"af-south-1": replica_config(), "eu-west-1": replica_config()}


def plan(current, module_params):
    desired = dynamodb.desired_config(module_params, current)
    assert dynamodb.check_desired(current, desired, module_params, HOME) == []
    return dynamodb.plan_present(current, desired)


def descriptions(current, module_params):
    return [step["description"] for step in plan(current, module_params)]


ATELIERDB_CREATE = (
    "create table AtelierDB (key PK/SK; PAY_PER_REQUEST; GSIs GSI_AllProducts, GSI_Category, GSI_CategoryPrice,"
    " GSI_OrdersByDate, GSI_UserOrders; stream NEW_AND_OLD_IMAGES; AWS managed KMS key; deletion protection)"
)

# id, current configuration ({} = no table), parameters, expected plan
PLAN_CASES = [
    (
        "create minimal table",
        {},
        params(hash_key="PK", attribute_definitions=attrs(PK="S")),
        ["create table AtelierDB (key PK; PAY_PER_REQUEST)"],
    ),
    (
        "create AtelierDB, then TTL, PITR and replicas one by one",
        {},
        atelierdb_params(),
        [
            ATELIERDB_CREATE,
            "enable TTL on ExpiresAt",
            "enable point-in-time recovery",
            "add replica af-south-1",
            "enable point-in-time recovery in af-south-1",
            "enable deletion protection in af-south-1",
            "add replica eu-west-1",
            "enable point-in-time recovery in eu-west-1",
            "enable deletion protection in eu-west-1",
        ],
    ),
    ("same configuration, nothing to do", config(), matching_params(), []),
    ("nothing set, nothing managed", config(replicas=TWO_REPLICAS), params(), []),
    (
        "add two GSIs, one step each",
        config(attribute_definitions={"PK": "S", "SK": "S", "Category": "S", "ProductName": "S", "UserId": "S"}),
        matching_params(
            attribute_definitions=None,
            global_secondary_indexes=[
                gsi("GSI_Category", "Category", "ProductName"),
                gsi("GSI_UserOrders", "UserId"),
                gsi("GSI_AllProducts", "ProductName"),
            ],
        ),
        ["add GSI GSI_AllProducts", "add GSI GSI_UserOrders"],
    ),
    (
        "remove a GSI that is not listed",
        config(),
        matching_params(attribute_definitions=attrs(PK="S", SK="S"), global_secondary_indexes=[]),
        ["remove GSI GSI_Category"],
    ),
    (
        "purge_global_secondary_indexes false keeps the others",
        config(),
        params(global_secondary_indexes=[gsi("GSI_Name", "ProductName")], purge_global_secondary_indexes=False),
        ["add GSI GSI_Name"],
    ),
    (
        "a GSI whose key schema changes is removed then added",
        config(),
        matching_params(global_secondary_indexes=[gsi("GSI_Category", "ProductName", "Category")]),
        [
            "remove GSI GSI_Category (to add it again: key schema Category/ProductName -> ProductName/Category)",
            "add GSI GSI_Category (again: key schema Category/ProductName -> ProductName/Category)",
        ],
    ),
    (
        "a GSI whose projection changes is removed then added",
        config(),
        matching_params(
            global_secondary_indexes=[gsi("GSI_Category", "Category", "ProductName", "INCLUDE", ["Price", "Name"])]
        ),
        [
            "remove GSI GSI_Category (to add it again: projection ALL -> INCLUDE(Name, Price))",
            "add GSI GSI_Category (again: projection ALL -> INCLUDE(Name, Price))",
        ],
    ),
    (
        "a GSI whose key attribute changes type is removed then added",
        config(),
        matching_params(attribute_definitions=attrs(PK="S", SK="S", Category="N", ProductName="S")),
        [
            "remove GSI GSI_Category (to add it again: attribute Category type S -> N)",
            "add GSI GSI_Category (again: attribute Category type S -> N)",
        ],
    ),
    (
        "GSI throughput, one step per index",
        config(
            **PROVISIONED,
            global_secondary_indexes={
                "GSI_Category": gsi_config("Category", "ProductName", read=5, write=5),
                "GSI_Name": gsi_config("ProductName", read=5, write=5),
            },
        ),
        matching_params(
            **PROVISIONED,
            global_secondary_indexes=[
                gsi("GSI_Category", "Category", "ProductName", read_capacity=10, write_capacity=5),
                gsi("GSI_Name", "ProductName", read_capacity=5, write_capacity=8),
            ],
        ),
        [
            "update GSI GSI_Category throughput (read 5 -> 10, write 5 -> 5)",
            "update GSI GSI_Name throughput (read 5 -> 5, write 5 -> 8)",
        ],
    ),
    (
        "GSI capacities left out keep the index's own",
        config(
            **PROVISIONED,
            global_secondary_indexes={"GSI_Category": gsi_config("Category", "ProductName", read=7, write=3)},
        ),
        matching_params(**PROVISIONED),
        [],
    ),
    (
        "switch to PROVISIONED: the GSIs get capacities in the same call",
        config(),
        matching_params(**PROVISIONED),
        [
            "switch billing mode to PROVISIONED (read 5, write 5; GSIs GSI_Category get their capacities in the same"
            " call, as DynamoDB requires)"
        ],
    ),
    (
        "switch to PAY_PER_REQUEST",
        config(
            **PROVISIONED,
            global_secondary_indexes={"GSI_Category": gsi_config("Category", "ProductName", read=5, write=5)},
        ),
        matching_params(billing_mode="PAY_PER_REQUEST"),
        ["switch billing mode to PAY_PER_REQUEST"],
    ),
    (
        "table throughput",
        config(
            **PROVISIONED,
            global_secondary_indexes={"GSI_Category": gsi_config("Category", "ProductName", read=5, write=5)},
        ),
        matching_params(billing_mode="PROVISIONED", read_capacity=20, write_capacity=5),
        ["update table throughput (read 5 -> 20, write 5 -> 5)"],
    ),
    (
        "table class",
        config(),
        params(table_class="STANDARD_INFREQUENT_ACCESS"),
        ["change table class STANDARD -> STANDARD_INFREQUENT_ACCESS"],
    ),
    (
        "encrypt with a customer managed key",
        config(),
        params(sse_type="KMS", kms_key_id=KEY),
        [f"encrypt with KMS key {KEY}"],
    ),
    ("encrypt with the AWS managed key", config(), params(sse_type="KMS"), ["encrypt with the AWS managed KMS key"]),
    (
        "key ID of the current key ARN: no change",
        config(sse_type="KMS", kms_key_id=KEY),
        params(sse_type="KMS", kms_key_id=KEY_ID),
        [],
    ),
    ("KMS left out keeps the current key", config(sse_type="KMS", kms_key_id=KEY), params(sse_type="KMS"), []),
    (
        "another KMS key",
        config(sse_type="KMS", kms_key_id=KEY),
        params(sse_type="KMS", kms_key_id=OTHER_KEY),
        [f"encrypt with KMS key {OTHER_KEY}"],
    ),
    (
        "back to an AWS owned key",
        config(sse_type="KMS", kms_key_id=KEY),
        params(sse_type="AWS_OWNED"),
        ["encrypt with an AWS owned key"],
    ),
    (
        "another stream view type: disable, then enable",
        config(stream_view_type="KEYS_ONLY"),
        params(stream_view_type="NEW_AND_OLD_IMAGES"),
        [
            "disable stream KEYS_ONLY (to enable it with another view type: a new stream)",
            "enable stream NEW_AND_OLD_IMAGES",
        ],
    ),
    (
        "stream disabled after the replicas are removed",
        config(replicas=TWO_REPLICAS),
        params(stream_enabled=False, replicas=[]),
        ["remove replica af-south-1", "remove replica eu-west-1", "disable stream NEW_AND_OLD_IMAGES"],
    ),
    (
        "stream enabled before the replicas are added",
        config(stream_enabled=False, stream_view_type=None),
        params(stream_view_type="NEW_AND_OLD_IMAGES", replicas=[replica("af-south-1")]),
        ["enable stream NEW_AND_OLD_IMAGES", "add replica af-south-1"],
    ),
    ("disable TTL", config(), params(ttl_attribute=""), ["disable TTL on ExpiresAt"]),
    ("enable TTL", config(ttl_attribute=""), params(ttl_attribute="ExpiresAt"), ["enable TTL on ExpiresAt"]),
    (
        "disable point-in-time recovery",
        config(),
        params(point_in_time_recovery=False),
        ["disable point-in-time recovery"],
    ),
    (
        "tags purged",
        config(tags={"Name": "AtelierDB", "Old": "x", "aws:cloudformation:stack-name": "s"}),
        params(tags={"Name": "Atelier", "New": 1}),
        ["remove tags Old", "set tags Name, New"],
    ),
    (
        "tags not purged",
        config(tags={"Name": "AtelierDB", "Old": "x"}),
        params(tags={"New": "y"}, purge_tags=False),
        ["set tags New"],
    ),
    (
        "add a replica with its own settings",
        config(),
        params(
            replicas=[
                replica(
                    "af-south-1",
                    deletion_protection=True,
                    point_in_time_recovery=True,
                    table_class="STANDARD_INFREQUENT_ACCESS",
                )
            ]
        ),
        [
            "add replica af-south-1",
            "enable point-in-time recovery in af-south-1",
            "enable deletion protection in af-south-1",
        ],
    ),
    (
        "remove a replica",
        config(replicas=TWO_REPLICAS),
        params(replicas=[replica("eu-west-1")]),
        ["remove replica af-south-1"],
    ),
    (
        "purge_replicas false keeps the others",
        config(replicas=TWO_REPLICAS),
        params(replicas=[replica("ap-south-1")], purge_replicas=False),
        ["add replica ap-south-1"],
    ),
    (
        "the role's teardown call lifts deletion protection everywhere, first",
        config(
            deletion_protection=True,
            replicas={
                "af-south-1": replica_config(deletion_protection=True),
                "eu-west-1": replica_config(deletion_protection=True),
            },
        ),
        params(
            deletion_protection=False,
            replicas=[
                replica("af-south-1", deletion_protection=False),
                replica("eu-west-1", deletion_protection=False),
            ],
            purge_replicas=False,
        ),
        [
            "disable deletion protection",
            "disable deletion protection in af-south-1",
            "disable deletion protection in eu-west-1",
        ],
    ),
    (
        "replica settings in its region",
        config(replicas={"af-south-1": replica_config(kms_key_id=KEY)}),
        params(
            replicas=[
                replica(
                    "af-south-1",
                    kms_key_id=OTHER_KEY,
                    table_class="STANDARD_INFREQUENT_ACCESS",
                    point_in_time_recovery=True,
                )
            ]
        ),
        [
            "change table class in af-south-1 STANDARD -> STANDARD_INFREQUENT_ACCESS",
            f"encrypt replica af-south-1 with KMS key {OTHER_KEY}",
            "enable point-in-time recovery in af-south-1",
        ],
    ),
    (
        "replica state unknown (region did not answer): asked-for false is no change",
        config(replicas={"af-south-1": replica_config(deletion_protection=None, point_in_time_recovery=None)}),
        params(replicas=[replica("af-south-1", deletion_protection=False, point_in_time_recovery=False)]),
        [],
    ),
    (
        "replica GSI read capacity (PROVISIONED)",
        config(
            **PROVISIONED,
            global_secondary_indexes={"GSI_Category": gsi_config("Category", "ProductName", read=5, write=5)},
            replicas={"af-south-1": replica_config()},
        ),
        params(
            replicas=[replica("af-south-1", global_secondary_indexes=[{"name": "GSI_Category", "read_capacity": 9}])]
        ),
        ["set GSI read capacity in af-south-1 (GSI_Category 9)"],
    ),
    (
        "everything at once, in order",
        config(
            deletion_protection=True,
            stream_view_type="NEW_AND_OLD_IMAGES",
            ttl_attribute="",
            replicas={"eu-west-1": replica_config()},
        ),
        params(
            attribute_definitions=attrs(PK="S", SK="S", UserId="S"),
            global_secondary_indexes=[gsi("GSI_UserOrders", "UserId")],
            deletion_protection=True,
            ttl_attribute="ExpiresAt",
            table_class="STANDARD_INFREQUENT_ACCESS",
            replicas=[replica("af-south-1")],
            tags={"Name": "AtelierDB", "Env": "prod"},
        ),
        [
            "remove replica eu-west-1",
            "remove GSI GSI_Category",
            "change table class STANDARD -> STANDARD_INFREQUENT_ACCESS",
            "add GSI GSI_UserOrders",
            "enable TTL on ExpiresAt",
            "set tags Env",
            "add replica af-south-1",
        ],
    ),
    (
        "deletion protection enabled last",
        config(),
        params(
            deletion_protection=True,
            global_secondary_indexes=[gsi("GSI_Name", "ProductName")],
            attribute_definitions=attrs(PK="S", SK="S", ProductName="S"),
        ),
        ["remove GSI GSI_Category", "add GSI GSI_Name", "enable deletion protection"],
    ),
]


@pytest.mark.parametrize(
    "current, module_params, expected", [c[1:] for c in PLAN_CASES], ids=[c[0] for c in PLAN_CASES]
)
def test_plan(current, module_params, expected):
    assert descriptions(current, module_params) == expected


def test_every_index_or_replica_step_changes_one_thing():
    steps = plan({}, atelierdb_params())
    current = config(
        global_secondary_indexes={},
        attribute_definitions={"PK": "S", "SK": "S"},
        replicas={"ap-south-1": replica_config(), "ca-central-1": replica_config()},
    )
    steps += plan(
        current,
        atelierdb_params(sse_type=None, deletion_protection=False, replicas=[replica("af-south-1"), replica("eu-west-1")]),
    )
    for step in steps:
        assert len(step["params"].get("GlobalSecondaryIndexUpdates", [])) <= 1
        assert len(step["params"].get("ReplicaUpdates", [])) <= 1
        if step["kind"] in ("add_gsi", "remove_gsi", "update_gsi", "add_replica", "remove_replica"):
            assert step["wait"] in ("settled", "replica_active", "replica_gone")
            assert set(step["params"]) <= {"AttributeDefinitions", "GlobalSecondaryIndexUpdates", "ReplicaUpdates"}


def test_create_call():
    (create,) = [s for s in plan({}, atelierdb_params()) if s["kind"] == "create_table"]
    call = create["params"]
    assert create["call"] == "create_table" and create["wait"] == "created"
    assert call["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    assert {a["AttributeName"]: a["AttributeType"] for a in call["AttributeDefinitions"]}["Price"] == "N"
    assert len(call["AttributeDefinitions"]) == 9
    assert [g["IndexName"] for g in call["GlobalSecondaryIndexes"]] == sorted(
        g["name"] for g in atelierdb_params()["global_secondary_indexes"]
    )
    assert all("ProvisionedThroughput" not in g for g in call["GlobalSecondaryIndexes"])
    assert call["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert call["SSESpecification"] == {"Enabled": True, "SSEType": "KMS"}
    assert call["BillingMode"] == "PAY_PER_REQUEST" and "ProvisionedThroughput" not in call
    assert call["DeletionProtectionEnabled"] is True
    assert call["Tags"] == [{"Key": "Name", "Value": "AtelierDB"}]


def test_create_provisioned_with_lsi():
    module_params = params(
        hash_key="PK",
        range_key="SK",
        attribute_definitions=attrs(PK="S", SK="S", Date="S", Cat="S"),
        **PROVISIONED,
        global_secondary_indexes=[gsi("GSI_Cat", "Cat", read_capacity=2, write_capacity=3), gsi("GSI_Cat2", "Cat")],
        local_secondary_indexes=[lsi("LSI_Date", "Date", "INCLUDE", ["Total"])],
    )
    (create,) = plan({}, module_params)
    call = create["params"]
    assert call["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    throughputs = {g["IndexName"]: g["ProvisionedThroughput"] for g in call["GlobalSecondaryIndexes"]}
    assert throughputs == {
        "GSI_Cat": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3},
        "GSI_Cat2": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},  # the table's
    }
    assert call["LocalSecondaryIndexes"] == [
        {
            "IndexName": "LSI_Date",
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "Date", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Total"]},
        }
    ]


def test_add_gsi_sends_the_definitions_in_use_then():
    current = config(attribute_definitions={"PK": "S", "SK": "S", "Category": "S", "ProductName": "S", "Price": "N"})
    module_params = params(
        attribute_definitions=attrs(PK="S", SK="S", Category="S", ProductName="S", Price="N", UserId="S"),
        global_secondary_indexes=[
            gsi("GSI_Category", "Category", "ProductName"),
            gsi("GSI_Price", "Price"),
            gsi("GSI_User", "UserId"),
        ],
    )
    first, second = plan(current, module_params)
    assert first["params"]["GlobalSecondaryIndexUpdates"] == [
        {
            "Create": {
                "IndexName": "GSI_Price",
                "KeySchema": [{"AttributeName": "Price", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        }
    ]
    assert [a["AttributeName"] for a in first["params"]["AttributeDefinitions"]] == [
        "Category",
        "PK",
        "Price",
        "ProductName",
        "SK",
    ]
    assert [a["AttributeName"] for a in second["params"]["AttributeDefinitions"]] == [
        "Category",
        "PK",
        "Price",
        "ProductName",
        "SK",
        "UserId",
    ]


def test_switch_to_provisioned_call():
    (step,) = plan(config(), matching_params(**PROVISIONED))
    assert step["params"] == {
        "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        "GlobalSecondaryIndexUpdates": [
            {
                "Update": {
                    "IndexName": "GSI_Category",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                }
            }
        ],
    }


def test_replica_steps():
    current = config(replicas={"eu-west-1": replica_config(deletion_protection=True)})
    module_params = params(
        replicas=[
            replica("af-south-1", kms_key_id=KEY, table_class="STANDARD_INFREQUENT_ACCESS", deletion_protection=True),
            replica("eu-west-1", deletion_protection=False),
        ]
    )
    steps = {s["description"]: s for s in plan(current, module_params)}
    add = steps["add replica af-south-1"]
    assert (add["call"], add["region"], add["wait"], add["target"]) == (
        "update_table",
        None,
        "replica_active",
        "af-south-1",
    )
    assert add["params"] == {
        "ReplicaUpdates": [
            {
                "Create": {
                    "RegionName": "af-south-1",
                    "KMSMasterKeyId": KEY,
                    "TableClassOverride": "STANDARD_INFREQUENT_ACCESS",
                }
            }
        ]
    }
    lift = steps["disable deletion protection in eu-west-1"]
    assert (lift["call"], lift["region"], lift["params"]) == (
        "update_table",
        "eu-west-1",
        {"DeletionProtectionEnabled": False},
    )
    protect = steps["enable deletion protection in af-south-1"]
    assert protect["region"] == "af-south-1"


def test_remove_replica_step():
    (step,) = plan(config(replicas=TWO_REPLICAS), params(replicas=[replica("eu-west-1")]))
    assert step["params"] == {"ReplicaUpdates": [{"Delete": {"RegionName": "af-south-1"}}]}
    assert (step["wait"], step["target"]) == ("replica_gone", "af-south-1")


def test_ttl_pitr_tag_calls():
    steps = plan(
        config(ttl_attribute="", point_in_time_recovery=False, tags={"Old": "1"}),
        params(ttl_attribute="ExpiresAt", point_in_time_recovery=True, tags={"New": 2}),
    )
    assert [(s["call"], s["params"], s["wait"]) for s in steps] == [
        ("update_time_to_live", {"attribute_name": "ExpiresAt", "enabled": True}, None),
        ("update_continuous_backups", {"enabled": True}, None),
        ("untag_resource", {"tag_keys": ["Old"]}, None),
        ("tag_resource", {"tags": {"New": "2"}}, None),
    ]


def test_plan_absent_removes_replicas_then_deletes():
    steps = dynamodb.plan_absent(config(replicas=TWO_REPLICAS))
    assert [s["description"] for s in steps] == [
        "remove replica af-south-1",
        "remove replica eu-west-1",
        "delete table AtelierDB",
    ]
    assert [s["wait"] for s in steps] == ["replica_gone", "replica_gone", "deleted"]


@pytest.mark.parametrize(
    "current, expected",
    [
        (config(), []),
        (config(deletion_protection=True), [HOME]),
        (
            config(
                replicas={
                    "af-south-1": replica_config(deletion_protection=True),
                    "eu-west-1": replica_config(deletion_protection=None),
                }
            ),
            ["af-south-1"],
        ),
    ],
    ids=["none", "home", "replica (unknown is not a blocker)"],
)
def test_deletion_protection_blockers(current, expected):
    assert dynamodb.deletion_protection_blockers(current, HOME) == expected


# ---- desired configuration ----


def test_desired_config_of_a_new_table_has_dynamodb_defaults():
    desired = dynamodb.desired_config(params(hash_key="PK", attribute_definitions=attrs(PK="S")), {})
    assert desired == config(
        range_key=None,
        attribute_definitions={"PK": "S"},
        global_secondary_indexes={},
        ttl_attribute="",
        stream_enabled=False,
        stream_view_type=None,
        point_in_time_recovery=False,
        tags={},
    )


def test_desired_config_is_order_insensitive():
    a = dynamodb.desired_config(atelierdb_params(), {})
    reordered = atelierdb_params(
        global_secondary_indexes=list(reversed(atelierdb_params()["global_secondary_indexes"])),
        attribute_definitions=list(reversed(atelierdb_params()["attribute_definitions"])),
        replicas=list(reversed(atelierdb_params()["replicas"])),
    )
    assert dynamodb.desired_config(reordered, {}) == a


def test_desired_config_keeps_replica_settings_left_out():
    current = config(replicas={"af-south-1": replica_config(deletion_protection=True, kms_key_id=KEY)})
    desired = dynamodb.desired_config(params(replicas=[replica("af-south-1", kms_key_id=KEY_ID)]), current)
    assert desired["replicas"] == current["replicas"]


# ---- check_desired: what the module refuses, with the existing table ----

CHECK_CASES = [
    (
        "create without keys",
        {},
        params(ttl_attribute="ExpiresAt"),
        [
            "Table AtelierDB does not exist in eu-central-1: hash_key and attribute_definitions are required to"
            " create it."
        ],
    ),
    (
        "hash key change",
        config(),
        matching_params(hash_key="ID", attribute_definitions=attrs(ID="S", SK="S", Category="S", ProductName="S")),
        [
            "Changing the hash key of table AtelierDB from PK to ID requires replacing the table, which would delete"
            " its items; change refused."
        ],
    ),
    (
        "range key dropped",
        config(),
        matching_params(range_key=None, attribute_definitions=attrs(PK="S", Category="S", ProductName="S")),
        [
            "Changing the range key of table AtelierDB from SK to None requires replacing the table, which would"
            " delete its items; change refused."
        ],
    ),
    (
        "key attribute type change",
        config(),
        matching_params(attribute_definitions=attrs(PK="N", SK="S", Category="S", ProductName="S")),
        [
            "Changing the type of key attribute PK of table AtelierDB from S to N requires replacing the table,"
            " which would delete its items; change refused."
        ],
    ),
    (
        "local secondary index added",
        config(attribute_definitions={"PK": "S", "SK": "S", "Category": "S", "ProductName": "S", "Date": "S"}),
        params(local_secondary_indexes=[lsi("LSI_Date", "Date")]),
        [
            "Changing the local secondary indexes of table AtelierDB (none -> LSI_Date, or their keys or"
            " projections) requires replacing the table, which would delete its items; change refused."
        ],
    ),
    (
        "TTL moved to another attribute",
        config(),
        params(ttl_attribute="Expiry"),
        [
            "Moving TTL of table AtelierDB from ExpiresAt to Expiry takes two runs: DynamoDB refuses a second TTL"
            ' change within an hour of the first. Run once with ttl_attribute: "" (disables TTL), then with'
            " ttl_attribute: Expiry an hour later; nothing was changed."
        ],
    ),
    (
        "protected replica removed",
        config(replicas={"af-south-1": replica_config(deletion_protection=True)}),
        params(replicas=[]),
        [
            "Replica af-south-1 of table AtelierDB has deletion protection, so DynamoDB refuses to remove it. First"
            " run with replicas: [{region: af-south-1, deletion_protection: false}] (and purge_replicas: false),"
            " then remove it; nothing was changed."
        ],
    ),
    (
        "new GSI key without definition, attribute_definitions left out",
        config(),
        params(global_secondary_indexes=[gsi("GSI_User", "UserId")], purge_global_secondary_indexes=False),
        ["global secondary index GSI_User: key attribute UserId has no entry in attribute_definitions."],
    ),
    (
        "unused definition once the existing LSI is known",
        config(
            local_secondary_indexes={
                "LSI_Date": {"range_key": "Date", "projection_type": "ALL", "non_key_attributes": []}
            },
            attribute_definitions={"PK": "S", "SK": "S", "Category": "S", "ProductName": "S", "Date": "S"},
        ),
        matching_params(
            local_secondary_indexes=None,
            attribute_definitions=attrs(PK="S", SK="S", Category="S", ProductName="S", Date="S", Extra="S"),
        ),
        [
            "attribute_definitions: Extra is not a key of the table or of any index; DynamoDB refuses attribute"
            " definitions that no key uses (define only key attributes)."
        ],
    ),
    (
        "capacities on an on-demand table, billing_mode left out",
        config(),
        params(read_capacity=5, write_capacity=5),
        ["read_capacity and write_capacity can't be set: table AtelierDB is PAY_PER_REQUEST (on demand)."],
    ),
    (
        "stream enabled without view type on a table without stream",
        config(stream_enabled=False, stream_view_type=None),
        params(stream_enabled=True),
        ["stream_enabled=true requires stream_view_type: table AtelierDB has no stream to keep."],
    ),
    (
        "replicas with the table's KEYS_ONLY stream",
        config(stream_view_type="KEYS_ONLY"),
        params(replicas=[replica("af-south-1")]),
        [
            "replicas require the table's stream enabled with stream_view_type=NEW_AND_OLD_IMAGES (DynamoDB"
            " replicates through it); the table's stream would be KEYS_ONLY."
        ],
    ),
    (
        "new replica without its KMS key",
        config(sse_type="KMS", kms_key_id=KEY),
        params(sse_type="KMS", kms_key_id=KEY, replicas=[replica("af-south-1")]),
        [
            f"replicas: af-south-1 needs a kms_key_id: the table is encrypted with the customer managed key {KEY},"
            " and KMS keys belong to one region."
        ],
    ),
    (
        "TTL on the existing range key",
        config(),
        params(ttl_attribute="SK"),
        [
            "Moving TTL of table AtelierDB from ExpiresAt to SK takes two runs: DynamoDB refuses a second TTL change"
            ' within an hour of the first. Run once with ttl_attribute: "" (disables TTL), then with ttl_attribute:'
            " SK an hour later; nothing was changed.",
            "ttl_attribute: SK is the table's range key; the module refuses a key as the TTL attribute: items would"
            " expire by their key value, and since a key can't be updated in place an item's expiry could never be"
            " pushed back. Use a separate attribute such as ExpiresAt.",
        ],
    ),
]


@pytest.mark.parametrize(
    "current, module_params, expected", [c[1:] for c in CHECK_CASES], ids=[c[0] for c in CHECK_CASES]
)
def test_check_desired(current, module_params, expected):
    desired = dynamodb.desired_config(module_params, current)
    assert dynamodb.check_desired(current, desired, module_params, HOME) == expected


@pytest.mark.parametrize(
    "wanted, current, expected",
    [
        (KEY, KEY, True),
        (KEY_ID, KEY, True),
        ("1111", KEY, False),
        (OTHER_KEY, KEY, False),
        (None, None, True),
        (KEY, None, False),
    ],
)
def test_kms_key_matches(wanted, current, expected):
    from ansible_collections.atelier.infra.plugins.module_utils._dynamodb.planner import kms_key_matches

    assert kms_key_matches(wanted, current) is expected
