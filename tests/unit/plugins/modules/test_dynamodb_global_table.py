# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.dynamodb_global_table: main() is driven with module args, and our
own module_utils wrappers are replaced by a fake DynamoDB (several regions, no boto3 call, no
network). The fake refuses an update while the table, an index or a replica is still changing,
as DynamoDB does, so the tests also prove the module waits between steps."""

import copy
import time
import types
from unittest.mock import MagicMock

import pytest

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils import dynamodb as dynamodb_utils
from ansible_collections.atelier.infra.plugins.modules import dynamodb_global_table

from tests.unit.plugins.module_utils.test_dynamodb_builders import ATELIERDB_ATTRIBUTES
from tests.unit.plugins.module_utils.test_dynamodb_builders import ATELIERDB_GSIS
from tests.unit.plugins.modules.utils import run_main

HOME = "eu-central-1"
ACCOUNT = "123456789012"
MUTATING = (
    "create_table",
    "update_table",
    "delete_table",
    "update_time_to_live",
    "update_continuous_backups",
    "tag_resource",
    "untag_resource",
)
READS = ("describe_table", "describe_time_to_live", "describe_continuous_backups", "list_tags_of_resource")
WAITS = ("wait_table_exists", "wait_table_not_exists")


class Busy(dynamodb_utils.AnsibleDynamoDBError):
    pass


class FakeDynamoDB:
    """Tables by region, as DescribeTable returns them. A change leaves the table, index or
    replica CREATING/UPDATING/DELETING until the next DescribeTable of that region has shown
    it once; an update of a busy table raises (DynamoDB's ResourceInUseException)."""

    def __init__(self):
        self.tables = {}  # region -> DescribeTable answer
        self.ttl = {}  # region -> TimeToLiveDescription
        self.pitr = {}  # region -> bool
        self.tags = {}  # ARN -> dict
        self.pending = {}  # region -> callables completing the changes in progress
        self.log = []  # (wrapper, region, summary) in call order
        for name in MUTATING + READS + WAITS:
            setattr(self, name, MagicMock(name=name, side_effect=getattr(self, f"_{name}")))

    # ---- helpers ----

    @staticmethod
    def arn(region, name="AtelierDB"):
        return f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}"

    def busy(self, region):
        return bool(self.pending.get(region))

    def _later(self, region, change):
        self.pending.setdefault(region, []).append(change)

    def _settle(self, region):
        for change in self.pending.pop(region, []):
            change()

    def _check_free(self, region, what):
        if self.busy(region):
            raise Busy(message=f"ResourceInUseException: {what} while table in {region} is changing")

    def mutating_calls(self):
        return [name for name, _region, _summary in self.log if name in MUTATING]

    def table(self, region=HOME):
        return self.tables[region]

    # ---- reads ----

    def _describe_table(self, client, table_name):
        region = client.region
        self.log.append(("describe_table", region, None))
        table = self.tables.get(region)
        answer = copy.deepcopy(table) if table else None
        self._settle(region)
        return answer

    def _describe_time_to_live(self, client, table_name):
        if client.region not in self.tables:
            return None
        return copy.deepcopy(self.ttl.get(client.region, {"TimeToLiveStatus": "DISABLED"}))

    def _describe_continuous_backups(self, client, table_name):
        if client.region not in self.tables:
            return None
        status = "ENABLED" if self.pitr.get(client.region) else "DISABLED"
        return {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": status},
        }

    def _list_tags_of_resource(self, client, resource_arn):
        return dict(self.tags.get(resource_arn, {}))

    # ---- writes ----

    def _create_table(self, client, **params):
        region = client.region
        self.log.append(("create_table", region, params["TableName"]))
        assert region not in self.tables, "create_table on an existing table"
        table = {
            "TableName": params["TableName"],
            "TableArn": self.arn(region, params["TableName"]),
            "TableStatus": "CREATING",
            "KeySchema": params["KeySchema"],
            "AttributeDefinitions": params["AttributeDefinitions"],
            "BillingModeSummary": {"BillingMode": params["BillingMode"]},
            "TableClassSummary": {"TableClass": params.get("TableClass", "STANDARD")},
            "DeletionProtectionEnabled": params.get("DeletionProtectionEnabled", False),
        }
        if "ProvisionedThroughput" in params:
            table["ProvisionedThroughput"] = dict(params["ProvisionedThroughput"])
        if params.get("GlobalSecondaryIndexes"):
            table["GlobalSecondaryIndexes"] = [
                dict(g, IndexStatus="CREATING") for g in copy.deepcopy(params["GlobalSecondaryIndexes"])
            ]
        if params.get("LocalSecondaryIndexes"):
            table["LocalSecondaryIndexes"] = copy.deepcopy(params["LocalSecondaryIndexes"])
        self._apply_stream(table, params.get("StreamSpecification"))
        self._apply_sse(table, params.get("SSESpecification"), region)
        self.tables[region] = table
        self.tags[table["TableArn"]] = {t["Key"]: t["Value"] for t in params.get("Tags", [])}

        def done():
            table["TableStatus"] = "ACTIVE"
            for index in table.get("GlobalSecondaryIndexes", []):
                index["IndexStatus"] = "ACTIVE"

        self._later(region, done)
        return copy.deepcopy(table)

    @staticmethod
    def _apply_stream(table, spec):
        if spec is None:
            return
        if spec["StreamEnabled"]:
            assert not table.get("StreamSpecification", {}).get("StreamEnabled"), "stream already enabled"
            table["StreamSpecification"] = dict(spec)
            table["LatestStreamArn"] = f"{table['TableArn']}/stream/2025"
        else:
            table["StreamSpecification"] = {"StreamEnabled": False}

    @staticmethod
    def _apply_sse(table, spec, region):
        if spec is None:
            return
        if spec.get("Enabled") and spec.get("SSEType") == "KMS":
            key = spec.get("KMSMasterKeyId") or "aws-managed"
            if not key.startswith("arn:"):
                key = f"arn:aws:kms:{region}:{ACCOUNT}:key/{key}"
            table["SSEDescription"] = {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key}
        else:
            table.pop("SSEDescription", None)

    def _update_table(self, client, table_name, **params):
        region = client.region
        summary = ",".join(sorted(params))
        self.log.append(("update_table", region, summary))
        self._check_free(region, summary)
        table = self.tables[region]
        assert len(params.get("GlobalSecondaryIndexUpdates", [])) <= 1 or params.get("BillingMode") == "PROVISIONED"
        assert len(params.get("ReplicaUpdates", [])) <= 1
        if "DeletionProtectionEnabled" in params:
            table["DeletionProtectionEnabled"] = params["DeletionProtectionEnabled"]
        if "BillingMode" in params:
            table["BillingModeSummary"] = {"BillingMode": params["BillingMode"]}
        if "ProvisionedThroughput" in params:
            table["ProvisionedThroughput"] = dict(params["ProvisionedThroughput"])
        if "TableClass" in params:
            table["TableClassSummary"] = {"TableClass": params["TableClass"]}
        self._apply_stream(table, params.get("StreamSpecification"))
        self._apply_sse(table, params.get("SSESpecification"), region)
        for attribute in params.get("AttributeDefinitions", []):
            defined = {a["AttributeName"] for a in table["AttributeDefinitions"]}
            if attribute["AttributeName"] not in defined:
                table["AttributeDefinitions"].append(dict(attribute))
        for update in params.get("GlobalSecondaryIndexUpdates", []):
            self._index_update(region, table, update)
        for update in params.get("ReplicaUpdates", []):
            self._replica_update(region, table, update)
        table["TableStatus"] = "UPDATING"

        def done():
            table["TableStatus"] = "ACTIVE"

        self._later(region, done)
        return copy.deepcopy(table)

    def _index_update(self, region, table, update):
        indexes = table.setdefault("GlobalSecondaryIndexes", [])
        if "Create" in update:
            index = dict(copy.deepcopy(update["Create"]), IndexStatus="CREATING")
            indexes.append(index)
            self._later(region, lambda: index.update(IndexStatus="ACTIVE"))
        elif "Delete" in update:
            (index,) = [i for i in indexes if i["IndexName"] == update["Delete"]["IndexName"]]
            index["IndexStatus"] = "DELETING"
            self._later(region, lambda: indexes.remove(index))
        else:
            (index,) = [i for i in indexes if i["IndexName"] == update["Update"]["IndexName"]]
            index["ProvisionedThroughput"] = dict(update["Update"]["ProvisionedThroughput"])
            index["IndexStatus"] = "UPDATING"
            self._later(region, lambda: index.update(IndexStatus="ACTIVE"))

    def _replica_update(self, home, table, update):
        replicas = table.setdefault("Replicas", [])
        if "Create" in update:
            create = update["Create"]
            region = create["RegionName"]
            if region in self.tables or any(r["RegionName"] == region for r in replicas):
                raise dynamodb_utils.AnsibleDynamoDBError(message=(
                    "ValidationException: Failed to create a the new replica of table because one or more replicas"
                    " already existed as tables."))
            replica = {"RegionName": region, "ReplicaStatus": "CREATING"}
            if "KMSMasterKeyId" in create:
                replica["KMSMasterKeyId"] = create["KMSMasterKeyId"]
            if "TableClassOverride" in create:
                replica["ReplicaTableClassSummary"] = {"TableClass": create["TableClassOverride"]}
            replicas.append(replica)

            def done():
                replica["ReplicaStatus"] = "ACTIVE"
                self.tables[region] = {
                    "TableName": table["TableName"],
                    "TableArn": self.arn(region, table["TableName"]),
                    "TableStatus": "ACTIVE",
                    "DeletionProtectionEnabled": False,
                }

            self._later(home, done)
        elif "Delete" in update:
            region = update["Delete"]["RegionName"]
            (replica,) = [r for r in replicas if r["RegionName"] == region]
            assert not self.tables.get(region, {}).get("DeletionProtectionEnabled"), "replica is protected"
            replica["ReplicaStatus"] = "DELETING"

            def gone():
                replicas.remove(replica)
                self.tables.pop(region, None)
                self.pitr.pop(region, None)

            self._later(home, gone)

    def _delete_table(self, client, table_name):
        region = client.region
        self.log.append(("delete_table", region, table_name))
        self._check_free(region, "delete")
        table = self.tables[region]
        assert not table.get("DeletionProtectionEnabled"), "table is protected"
        assert not table.get("Replicas"), "table still has replicas"
        del self.tables[region]
        return True

    def _update_time_to_live(self, client, table_name, attribute_name, enabled):
        self.log.append(("update_time_to_live", client.region, attribute_name))
        self.ttl[client.region] = {
            "TimeToLiveStatus": "ENABLED" if enabled else "DISABLED",
            "AttributeName": attribute_name,
        }
        return {"AttributeName": attribute_name, "Enabled": enabled}

    def _update_continuous_backups(self, client, table_name, enabled):
        self.log.append(("update_continuous_backups", client.region, enabled))
        self.pitr[client.region] = enabled
        return {}

    def _tag_resource(self, client, resource_arn, tags):
        self.log.append(("tag_resource", client.region, sorted(tags)))
        self.tags.setdefault(resource_arn, {}).update({k: str(v) for k, v in tags.items()})
        return True

    def _untag_resource(self, client, resource_arn, tag_keys):
        self.log.append(("untag_resource", client.region, sorted(tag_keys)))
        for key in tag_keys:
            self.tags[resource_arn].pop(key, None)
        return True

    # ---- waiters ----

    def _wait_table_exists(self, client, table_name, timeout):
        self.log.append(("wait_table_exists", client.region, None))
        self.tables[client.region]["TableStatus"] = "ACTIVE"

    def _wait_table_not_exists(self, client, table_name, timeout):
        self.log.append(("wait_table_not_exists", client.region, None))
        assert client.region not in self.tables


def install(monkeypatch, aws):
    """Our wrappers -> the fake, in the module and in module_utils (get_table_state and
    wait_for_table, which run for real, call them there); one fake client per region."""
    for name in MUTATING + WAITS:
        monkeypatch.setattr(dynamodb_global_table, name, getattr(aws, name))
    for name in READS:
        monkeypatch.setattr(dynamodb_utils, name, getattr(aws, name))
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    clients = []

    def client(self, service, **kwargs):
        region = kwargs.get("region") or self.params["region"]
        clients.append(region)
        return types.SimpleNamespace(service=service, region=region)

    monkeypatch.setattr(AnsibleAWSModule, "client", client)
    return clients


def atelierdb_args(**overrides):
    args = {
        "region": HOME,
        "name": "AtelierDB",
        "hash_key": "PK",
        "range_key": "SK",
        "attribute_definitions": [{"name": k, "type": v} for k, v in ATELIERDB_ATTRIBUTES.items()],
        "billing_mode": "PAY_PER_REQUEST",
        "global_secondary_indexes": [
            {k: v for k, v in g.items() if v is not None and k not in ("projection_type",)} for g in ATELIERDB_GSIS
        ],
        "table_class": "STANDARD",
        "ttl_attribute": "ExpiresAt",
        "stream_enabled": True,
        "stream_view_type": "NEW_AND_OLD_IMAGES",
        "sse_type": "KMS",
        "point_in_time_recovery": True,
        "deletion_protection": True,
        "replicas": [
            {"region": "af-south-1", "deletion_protection": True, "point_in_time_recovery": True},
            {"region": "eu-west-1", "deletion_protection": True, "point_in_time_recovery": True},
        ],
        "tags": {"Name": "AtelierDB"},
    }
    args.update(overrides)
    return {key: value for key, value in args.items() if value is not None}


def run(monkeypatch, aws, args, check_mode=False, diff=False):
    install(monkeypatch, aws)
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    return run_main(dynamodb_global_table, args).result


def existing(monkeypatch, **overrides):
    """A fake account where the module already made the table from atelierdb_args(**overrides)."""
    aws = FakeDynamoDB()
    result = run(monkeypatch, aws, atelierdb_args(**overrides))
    assert result["changed"] is True, result
    for region in list(aws.pending):
        aws._settle(region)
    aws.log.clear()
    for name in MUTATING + READS + WAITS:
        getattr(aws, name).reset_mock()
    return aws


# ---- create, no-op ----


def test_create(monkeypatch):
    aws = FakeDynamoDB()

    result = run(monkeypatch, aws, atelierdb_args())

    assert "failed" not in result, result
    assert result["changed"] is True
    assert result["plan"] == [
        "create table AtelierDB (key PK/SK; PAY_PER_REQUEST; GSIs GSI_AllProducts, GSI_Category, GSI_CategoryPrice,"
        " GSI_OrdersByDate, GSI_UserOrders; stream NEW_AND_OLD_IMAGES; AWS managed KMS key; deletion protection)",
        "enable TTL on ExpiresAt",
        "enable point-in-time recovery",
        "add replica af-south-1",
        "enable point-in-time recovery in af-south-1",
        "enable deletion protection in af-south-1",
        "add replica eu-west-1",
        "enable point-in-time recovery in eu-west-1",
        "enable deletion protection in eu-west-1",
    ]
    assert result["replicas_added"] == ["af-south-1", "eu-west-1"]
    assert result["replicas_removed"] == []
    create = aws.create_table.call_args.kwargs
    assert len(create["GlobalSecondaryIndexes"]) == 5 and create["DeletionProtectionEnabled"] is True
    table = result["table"]
    assert table["table_arn"] == FakeDynamoDB.arn(HOME)
    assert table["ttl"]["attribute_name"] == "ExpiresAt" and table["point_in_time_recovery"] is True
    assert table["tags"] == {"Name": "AtelierDB"}
    assert [(r["region_name"], r["deletion_protection"], r["point_in_time_recovery"]) for r in table["replicas"]] == [
        ("af-south-1", True, True),
        ("eu-west-1", True, True),
    ]
    # Replica settings were made with a client of the replica's region.
    regional = [(name, region) for name, region, _ in aws.log if name in MUTATING and region != HOME]
    assert regional == [
        ("update_continuous_backups", "af-south-1"),
        ("update_table", "af-south-1"),
        ("update_continuous_backups", "eu-west-1"),
        ("update_table", "eu-west-1"),
    ]


def test_no_op_second_run(monkeypatch):
    aws = existing(monkeypatch)

    result = run(monkeypatch, aws, atelierdb_args(), diff=True)

    assert result["changed"] is False
    assert result["plan"] == [] and result["replicas_added"] == [] and result["replicas_removed"] == []
    assert aws.mutating_calls() == []
    assert result["diff"]["before"] == result["diff"]["after"]


def test_no_op_whatever_the_order(monkeypatch):
    aws = existing(monkeypatch)
    args = atelierdb_args()
    for key in ("attribute_definitions", "global_secondary_indexes", "replicas"):
        args[key] = list(reversed(args[key]))

    result = run(monkeypatch, aws, args)

    assert result["changed"] is False and aws.mutating_calls() == []


# ---- indexes ----


def test_add_gsis_one_per_call_waiting_for_each(monkeypatch):
    args = atelierdb_args(replicas=[], global_secondary_indexes=atelierdb_args()["global_secondary_indexes"][:2])
    args["attribute_definitions"] = [
        a for a in args["attribute_definitions"] if a["name"] in ("PK", "SK", "ProductKey", "ProductName", "Category")
    ]
    aws = existing(monkeypatch, **args)

    result = run(monkeypatch, aws, atelierdb_args(replicas=[]))

    assert "failed" not in result, result
    assert result["plan"] == ["add GSI GSI_CategoryPrice", "add GSI GSI_OrdersByDate", "add GSI GSI_UserOrders"]
    updates = [c.kwargs["GlobalSecondaryIndexUpdates"] for c in aws.update_table.call_args_list]
    assert [[u["Create"]["IndexName"] for u in update] for update in updates] == [
        ["GSI_CategoryPrice"],
        ["GSI_OrdersByDate"],
        ["GSI_UserOrders"],
    ]
    # Between two updates the module described the table until the new index was ACTIVE
    # (the fake refuses an update while an index is CREATING).
    names = [name for name, _, _ in aws.log if name in ("update_table", "describe_table")]
    names = names[names.index("update_table") :]
    assert names[:6] == [
        "update_table",
        "describe_table",
        "describe_table",
        "update_table",
        "describe_table",
        "describe_table",
    ]
    assert {i["IndexName"]: i["IndexStatus"] for i in aws.table()["GlobalSecondaryIndexes"]} == {
        g["name"]: "ACTIVE" for g in ATELIERDB_GSIS
    }


def test_remove_gsi(monkeypatch):
    aws = existing(monkeypatch, replicas=[])
    args = atelierdb_args(replicas=[], global_secondary_indexes=atelierdb_args()["global_secondary_indexes"][1:])
    args["attribute_definitions"] = [a for a in args["attribute_definitions"] if a["name"] != "ProductKey"]

    result = run(monkeypatch, aws, args)

    assert result["plan"] == ["remove GSI GSI_AllProducts"]
    assert aws.update_table.call_args.kwargs == {
        "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "GSI_AllProducts"}}]
    }
    assert "GSI_AllProducts" not in [i["IndexName"] for i in aws.table()["GlobalSecondaryIndexes"]]


def test_gsi_key_change_is_remove_then_add(monkeypatch):
    aws = existing(monkeypatch, replicas=[])
    gsis = atelierdb_args()["global_secondary_indexes"]
    gsis[1] = {"name": "GSI_Category", "hash_key": "Category", "range_key": "Price"}
    args = atelierdb_args(replicas=[], global_secondary_indexes=gsis)

    result = run(monkeypatch, aws, args)

    assert result["plan"] == [
        "remove GSI GSI_Category (to add it again: key schema Category/ProductName -> Category/Price)",
        "add GSI GSI_Category (again: key schema Category/ProductName -> Category/Price)",
    ]


# ---- replicas ----


def test_add_replica(monkeypatch):
    aws = existing(monkeypatch, replicas=[{"region": "af-south-1"}])

    result = run(
        monkeypatch,
        aws,
        atelierdb_args(replicas=[{"region": "af-south-1"}, {"region": "eu-west-1"}, {"region": "ap-south-1"}]),
    )

    assert "failed" not in result, result
    assert result["plan"] == ["add replica ap-south-1", "add replica eu-west-1"]
    assert result["replicas_added"] == ["ap-south-1", "eu-west-1"]
    creates = [c.kwargs["ReplicaUpdates"] for c in aws.update_table.call_args_list]
    assert creates == [[{"Create": {"RegionName": "ap-south-1"}}], [{"Create": {"RegionName": "eu-west-1"}}]]
    assert [r["region_name"] for r in result["table"]["replicas"]] == ["af-south-1", "ap-south-1", "eu-west-1"]
    assert all(r["replica_status"] == "ACTIVE" for r in result["table"]["replicas"])


def test_remove_replica(monkeypatch):
    aws = existing(monkeypatch, replicas=[{"region": "af-south-1"}, {"region": "eu-west-1"}])

    result = run(monkeypatch, aws, atelierdb_args(replicas=[{"region": "eu-west-1"}]))

    assert result["plan"] == ["remove replica af-south-1"]
    assert result["replicas_removed"] == ["af-south-1"] and result["replicas_added"] == []
    assert aws.update_table.call_args.kwargs == {"ReplicaUpdates": [{"Delete": {"RegionName": "af-south-1"}}]}
    assert [r["region_name"] for r in result["table"]["replicas"]] == ["eu-west-1"]


def test_remove_protected_replica_refused(monkeypatch):
    aws = existing(monkeypatch)

    result = run(monkeypatch, aws, atelierdb_args(replicas=[atelierdb_args()["replicas"][1]]))

    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Replica af-south-1 of table AtelierDB has deletion protection")
    assert aws.mutating_calls() == []


def test_role_teardown_lifts_protection_in_every_region(monkeypatch):
    aws = existing(monkeypatch)
    args = {
        "region": HOME,
        "name": "AtelierDB",
        "deletion_protection": False,
        "replicas": [
            {"region": "af-south-1", "deletion_protection": False},
            {"region": "eu-west-1", "deletion_protection": False},
        ],
        "purge_replicas": False,
        "wait": True,
        "wait_timeout": 1800,
    }

    result = run(monkeypatch, aws, args)

    assert result["plan"] == [
        "disable deletion protection",
        "disable deletion protection in af-south-1",
        "disable deletion protection in eu-west-1",
    ]
    assert not any(aws.tables[region].get("DeletionProtectionEnabled") for region in (HOME, "af-south-1", "eu-west-1"))
    # Then state=absent removes the replicas one by one, then the table.
    result = run(monkeypatch, aws, {"region": HOME, "name": "AtelierDB", "state": "absent"})
    assert result["plan"] == ["remove replica af-south-1", "remove replica eu-west-1", "delete table AtelierDB"]
    assert aws.tables == {}


# ---- check mode, diff ----


@pytest.mark.parametrize(
    "setup, args",
    [
        ({}, atelierdb_args()),
        (
            dict(replicas=[]),
            atelierdb_args(
                replicas=[{"region": "eu-west-1"}],
                global_secondary_indexes=[],
                attribute_definitions=[{"name": "PK", "type": "S"}, {"name": "SK", "type": "S"}],
                tags={"New": "tag"},
            ),
        ),
        (
            dict(deletion_protection=False, replicas=[{"region": "eu-west-1"}]),
            {"region": HOME, "name": "AtelierDB", "state": "absent"},
        ),
    ],
    ids=["create", "update", "delete"],
)
def test_check_mode_makes_no_mutating_call(monkeypatch, setup, args):
    aws = existing(monkeypatch, **setup) if setup else FakeDynamoDB()

    result = run(monkeypatch, aws, args, check_mode=True, diff=True)

    assert "failed" not in result, result
    assert result["changed"] is True
    assert result["plan"]
    assert result["msg"].startswith("Would have")
    assert aws.mutating_calls() == []
    for name in MUTATING + WAITS:
        assert getattr(aws, name).call_count == 0, name
    assert "diff" in result


def test_check_mode_plan_and_diff(monkeypatch):
    aws = existing(monkeypatch, replicas=[{"region": "af-south-1"}])
    args = atelierdb_args(replicas=[{"region": "eu-west-1"}], point_in_time_recovery=False)

    result = run(monkeypatch, aws, args, check_mode=True, diff=True)

    assert result["plan"] == ["remove replica af-south-1", "disable point-in-time recovery", "add replica eu-west-1"]
    assert result["replicas_added"] == ["eu-west-1"] and result["replicas_removed"] == ["af-south-1"]
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert list(before["replicas"]) == ["af-south-1"] and list(after["replicas"]) == ["eu-west-1"]
    assert (before["point_in_time_recovery"], after["point_in_time_recovery"]) == (True, False)
    assert before["global_secondary_indexes"] == after["global_secondary_indexes"]
    # In check mode, the table returned is the table as it is.
    assert [r["region_name"] for r in result["table"]["replicas"]] == ["af-south-1"]


def test_diff_of_a_creation(monkeypatch):
    result = run(monkeypatch, FakeDynamoDB(), atelierdb_args(replicas=[]), diff=True)

    assert result["diff"]["before"] == {}
    after = result["diff"]["after"]
    assert set(after["global_secondary_indexes"]) == {g["name"] for g in ATELIERDB_GSIS}
    assert after["ttl_attribute"] == "ExpiresAt" and after["deletion_protection"] is True


# ---- refusals ----


@pytest.mark.parametrize(
    "change, message",
    [
        (
            dict(
                hash_key="ID",
                attribute_definitions=[
                    {"name": k, "type": v} for k, v in dict(ATELIERDB_ATTRIBUTES, ID="S").items() if k != "PK"
                ],
            ),
            "Changing the hash key of table AtelierDB from PK to ID requires replacing the table, which would delete its items; change refused.",
        ),
        (
            dict(
                attribute_definitions=[{"name": k, "type": "N" if k == "SK" else v} for k, v in ATELIERDB_ATTRIBUTES.items()]
            ),
            "Changing the type of key attribute SK of table AtelierDB from S to N requires replacing the table, which would delete its items; change refused.",
        ),
        (
            dict(local_secondary_indexes=[{"name": "LSI_Date", "range_key": "OrderDate"}]),
            "Changing the local secondary indexes of table AtelierDB (none -> LSI_Date, or their keys or projections) requires replacing the table",
        ),
    ],
    ids=["hash key", "key type", "local index"],
)
def test_replacement_refused_and_nothing_called(monkeypatch, change, message):
    aws = existing(monkeypatch)

    result = run(monkeypatch, aws, atelierdb_args(**change))

    assert result["failed"] is True and result["changed"] is False
    assert message in result["msg"]
    assert result["plan"] == []
    assert aws.mutating_calls() == []


def test_invalid_parameters_refused_before_any_aws_call(monkeypatch):
    aws = FakeDynamoDB()
    clients = install(monkeypatch, aws)

    result = run_main(
        dynamodb_global_table,
        atelierdb_args(replicas=[{"region": HOME}, {"region": "eu-moon-1"}], ttl_attribute="PK", billing_mode="PROVISIONED"),
    ).result

    assert result["failed"] is True
    assert result["msg"].startswith(
        "4 problems: (1) billing_mode=PROVISIONED requires both read_capacity and write_capacity."
    )
    assert len(result["problems"]) == 4
    assert aws.log == [] and aws.describe_table.call_count == 0
    assert clients == []


def test_create_without_keys_fails_clearly(monkeypatch):
    aws = FakeDynamoDB()

    result = run(monkeypatch, aws, {"region": HOME, "name": "AtelierDB", "ttl_attribute": "ExpiresAt"})

    assert (
        result["msg"]
        == "Table AtelierDB does not exist in eu-central-1: hash_key and attribute_definitions are required to create it."
    )
    assert aws.mutating_calls() == []


# ---- absent ----


def test_absent_with_deletion_protection_refused(monkeypatch):
    aws = existing(monkeypatch)

    result = run(monkeypatch, aws, {"region": HOME, "name": "AtelierDB", "state": "absent"})

    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == (
        "Table AtelierDB has deletion protection in eu-central-1, af-south-1, eu-west-1, so DynamoDB refuses to delete it."
        " Lift it first: run this module with state=present and deletion_protection: false and replicas:"
        " [{region: af-south-1, deletion_protection: false}, {region: eu-west-1, deletion_protection: false}] and"
        " purge_replicas: false, then state=absent. Nothing was changed."
    )
    assert aws.mutating_calls() == []


def test_absent_with_protection_on_a_replica_only(monkeypatch):
    aws = existing(
        monkeypatch, deletion_protection=False, replicas=[{"region": "af-south-1", "deletion_protection": True}]
    )

    result = run(monkeypatch, aws, {"region": HOME, "name": "AtelierDB", "state": "absent"})

    assert "deletion protection in af-south-1," in result["msg"]
    assert "replicas: [{region: af-south-1, deletion_protection: false}]" in result["msg"]
    assert aws.mutating_calls() == []


def test_absent_removes_replicas_before_the_table(monkeypatch):
    aws = existing(monkeypatch, deletion_protection=False, replicas=[{"region": "af-south-1"}, {"region": "eu-west-1"}])

    result = run(monkeypatch, aws, {"region": HOME, "name": "AtelierDB", "state": "absent"}, diff=True)

    assert result["changed"] is True
    assert result["replicas_removed"] == ["af-south-1", "eu-west-1"]
    calls = [(name, summary) for name, _region, summary in aws.log if name in MUTATING]
    assert calls == [
        ("update_table", "ReplicaUpdates"),
        ("update_table", "ReplicaUpdates"),
        ("delete_table", "AtelierDB"),
    ]
    assert [c.kwargs["ReplicaUpdates"][0]["Delete"]["RegionName"] for c in aws.update_table.call_args_list] == [
        "af-south-1",
        "eu-west-1",
    ]
    assert aws.wait_table_not_exists.call_count == 1
    assert result["diff"]["after"] == {} and list(result["diff"]["before"]["replicas"]) == ["af-south-1", "eu-west-1"]


def test_absent_when_absent(monkeypatch):
    aws = FakeDynamoDB()

    result = run(monkeypatch, aws, {"region": HOME, "name": "AtelierDB", "state": "absent"})

    assert result["changed"] is False and result["plan"] == []
    assert result["msg"] == "Table AtelierDB does not exist in eu-central-1, nothing to delete."


def test_absent_without_wait_does_not_wait_after_the_delete(monkeypatch):
    aws = existing(monkeypatch, deletion_protection=False, replicas=[{"region": "af-south-1"}])

    result = run(monkeypatch, aws, {"region": HOME, "name": "AtelierDB", "state": "absent", "wait": False})

    assert result["changed"] is True
    # The replica removal is still waited for (the delete would be refused otherwise).
    assert aws.wait_table_not_exists.call_count == 0 and aws.tables == {}


# ---- tags ----


@pytest.mark.parametrize(
    "tags, purge, expected, calls",
    [
        ({"Name": "AtelierDB", "Env": "dev"}, True, {"Name": "AtelierDB", "Env": "dev"}, [("tag_resource", ["Env"])]),
        ({"Env": "dev"}, True, {"Env": "dev"}, [("untag_resource", ["Name", "Old"]), ("tag_resource", ["Env"])]),
        ({"Env": "dev"}, False, {"Name": "AtelierDB", "Old": "x", "Env": "dev"}, [("tag_resource", ["Env"])]),
        (None, True, {"Name": "AtelierDB", "Old": "x"}, []),
    ],
    ids=["add", "purge", "no purge", "tags left out"],
)
def test_tags(monkeypatch, tags, purge, expected, calls):
    aws = existing(monkeypatch, replicas=[], tags={"Name": "AtelierDB", "Old": "x"})
    args = atelierdb_args(replicas=[], tags=tags, purge_tags=purge)
    if tags is None:
        del args["purge_tags"]
    if tags == {"Name": "AtelierDB", "Env": "dev"}:
        aws.tags[FakeDynamoDB.arn(HOME)].pop("Old")

    result = run(monkeypatch, aws, args)

    assert result["table"]["tags"] == expected
    assert [(name, summary) for name, _, summary in aws.log if name in MUTATING] == calls
    assert result["changed"] is bool(calls)


# ---- waiting, failures ----


def test_wait_false_still_waits_between_steps(monkeypatch):
    aws = existing(monkeypatch, replicas=[])

    result = run(monkeypatch, aws, atelierdb_args(replicas=[{"region": "af-south-1"}, {"region": "eu-west-1"}], wait=False))

    assert "failed" not in result, result
    assert result["plan"] == ["add replica af-south-1", "add replica eu-west-1"]
    # The second add came after the first replica was ACTIVE (the fake refuses it otherwise);
    # nothing waited for the second, which the module reports as it found it.
    statuses = {r["region_name"]: r["replica_status"] for r in result["table"]["replicas"]}
    assert statuses == {"af-south-1": "ACTIVE", "eu-west-1": "CREATING"}


def test_defer_replicas_starts_the_replica_and_leaves_the_rest_to_the_next_run(monkeypatch):
    """defer_replicas: the first new replica is started and the module returns at once, its own settings and the
    other new replica left (deferred, settled false); the next run without it waits for the replica, then makes what
    was left; a run after that changes nothing and is settled."""
    aws = existing(monkeypatch, replicas=[])
    wanted = [{"region": "af-south-1", "point_in_time_recovery": True}, {"region": "eu-west-1"}]
    started = run(monkeypatch, aws, atelierdb_args(replicas=wanted, defer_replicas=True))
    assert "failed" not in started, started
    assert (started["changed"], started["settled"]) == (True, False)
    assert started["deferred"] == started["plan"][1:] and started["plan"][0] == "add replica af-south-1"
    assert "add replica eu-west-1" in started["deferred"]
    assert {r["region_name"]: r["replica_status"] for r in started["table"]["replicas"]} == {"af-south-1": "CREATING"}

    rest = run(monkeypatch, aws, atelierdb_args(replicas=wanted))
    assert "failed" not in rest, rest
    assert (rest["changed"], rest["settled"], rest["deferred"]) == (True, True, [])
    assert rest["plan"] == started["deferred"]
    assert {r["region_name"]: r["replica_status"] for r in rest["table"]["replicas"]} == {"af-south-1": "ACTIVE", "eu-west-1": "ACTIVE"}

    again = run(monkeypatch, aws, atelierdb_args(replicas=wanted, defer_replicas=True))
    assert (again["changed"], again["settled"], again["deferred"]) == (False, True, [])


def test_a_replica_started_last_is_waited_for_by_a_run_that_changes_nothing(monkeypatch):
    aws = existing(monkeypatch, replicas=[])
    started = run(monkeypatch, aws, atelierdb_args(replicas=[{"region": "af-south-1"}], defer_replicas=True))
    assert (started["changed"], started["settled"]) == (True, False)
    waited = run(monkeypatch, aws, atelierdb_args(replicas=[{"region": "af-south-1"}]))
    assert (waited["changed"], waited["plan"], waited["settled"]) == (False, [], True)
    assert {r["region_name"]: r["replica_status"] for r in waited["table"]["replicas"]} == {"af-south-1": "ACTIVE"}


def test_failure_midway_reports_what_was_done(monkeypatch):
    aws = existing(monkeypatch, replicas=[])
    error = dynamodb_utils.AnsibleDynamoDBError(message="Failed to update table")
    original = aws.update_table.side_effect

    def fail_on_second_replica(client, table_name, **params):
        if params.get("ReplicaUpdates", [{}])[0].get("Create", {}).get("RegionName") == "eu-west-1":
            raise error
        return original(client, table_name, **params)

    aws.update_table.side_effect = fail_on_second_replica

    result = run(monkeypatch, aws, atelierdb_args(replicas=[{"region": "af-south-1"}, {"region": "eu-west-1"}]))

    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == "Failed to update table (step 2 of 2: add replica eu-west-1)"
    assert result["completed"] == ["add replica af-south-1"]
    assert result["replicas_added"] == ["af-south-1"]


def test_waits_for_a_table_still_changing_before_the_first_step(monkeypatch):
    aws = existing(monkeypatch, replicas=[])
    table = aws.table()
    table["TableStatus"] = "UPDATING"
    # Still UPDATING at the module's first DescribeTable, ACTIVE at the second.
    aws._later(HOME, lambda: aws._later(HOME, lambda: table.update(TableStatus="ACTIVE")))

    result = run(
        monkeypatch, aws, atelierdb_args(replicas=[], point_in_time_recovery=False, table_class="STANDARD_INFREQUENT_ACCESS")
    )

    assert "failed" not in result, result
    assert result["plan"] == [
        "change table class STANDARD -> STANDARD_INFREQUENT_ACCESS",
        "disable point-in-time recovery",
    ]
    names = [name for name, _, _ in aws.log if name in ("describe_table", "update_table")]
    # Found UPDATING, polled until ACTIVE, read again to plan from what it became, then updated (the fake refuses an
    # update of a busy table).
    assert names[:5] == ["describe_table", "describe_table", "describe_table", "describe_table", "update_table"]


def test_a_replica_another_run_adds_while_this_one_waits_is_not_added_again(monkeypatch):
    """A run that finds the table changing plans again once it settled. Here a run deferred the first replica and its
    job (or a second operator's run) adds the next one while this run waits: this run does not add it again (DynamoDB
    refuses a replica that exists) and makes only what is left."""
    aws = existing(monkeypatch, replicas=[])
    wanted = [{"region": "af-south-1"}, {"region": "eu-west-1"}]
    started = run(monkeypatch, aws, atelierdb_args(replicas=wanted, defer_replicas=True))
    assert (started["changed"], started["settled"]) == (True, False)
    table = aws.table()
    (africa,) = table["Replicas"]
    table["TableStatus"], africa["ReplicaStatus"] = "UPDATING", "CREATING"

    def other_run():
        # af-south-1 is made; the other run, which waited for it too, adds eu-west-1 at once.
        table["TableStatus"], africa["ReplicaStatus"] = "ACTIVE", "ACTIVE"
        aws._update_table(types.SimpleNamespace(region=HOME), "AtelierDB", ReplicaUpdates=[{"Create": {"RegionName": "eu-west-1"}}])

    # af-south-1 still being made at this run's first DescribeTable (which plans to add eu-west-1 after it); made, and
    # eu-west-1 added by the other run, at its second.
    aws._later(HOME, lambda: aws._later(HOME, other_run))

    result = run(monkeypatch, aws, atelierdb_args(replicas=wanted))

    assert "failed" not in result, result
    assert "add replica eu-west-1" not in result["plan"], result["plan"]
    creates = [summary for name, _, summary in aws.log if name == "update_table" and summary == "ReplicaUpdates"]
    assert len(creates) == 2  # af-south-1 by the deferring run, eu-west-1 by the other one
    assert {r["region_name"]: r["replica_status"] for r in result["table"]["replicas"]} == {"af-south-1": "ACTIVE", "eu-west-1": "ACTIVE"}
    assert result["settled"] is True


# ---- stack isolation ----

OURS = {"atelier:env": "dev", "atelier:stack": "shop"}
THEIRS = {"atelier:env": "dev", "atelier:stack": "blog"}


@pytest.mark.parametrize(
    "args",
    [
        atelierdb_args(tags=dict(OURS, Name="AtelierDB")),
        atelierdb_args(tags=dict(OURS, Name="AtelierDB"), point_in_time_recovery=False),
        {"region": HOME, "name": "AtelierDB", "deletion_protection": False, "tags": OURS, "purge_tags": False},
        {"region": HOME, "name": "AtelierDB", "state": "absent", "tags": OURS},
    ],
    ids=["same-settings", "a-change", "lift-protection", "delete"],
)
@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_another_stacks_table_is_refused_before_any_change(monkeypatch, args, check_mode):
    aws = existing(monkeypatch, tags=dict(THEIRS, Name="AtelierDB"), deletion_protection=False, replicas=[])

    result = run(monkeypatch, aws, args, check_mode=check_mode)

    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == (
        f"Table AtelierDB in {HOME} is not this stack's: it belongs to the stack 'blog' of the environment 'dev'"
        " (tags atelier:stack/atelier:env), while the tags asked for name the stack 'shop' of the environment 'dev'."
        " Nothing was changed: give this stack's resource another name."
    )
    assert result["plan"] == []
    assert aws.mutating_calls() == []
    assert aws.tags[FakeDynamoDB.arn(HOME)] == dict(THEIRS, Name="AtelierDB")


@pytest.mark.parametrize(
    "current, changed",
    [(dict(OURS, Name="AtelierDB"), False), ({"Name": "AtelierDB"}, True), ({}, True)],
    ids=["ours", "unowned-adopted", "untagged-adopted"],
)
def test_our_own_or_an_unowned_table_is_converged(monkeypatch, current, changed):
    aws = existing(monkeypatch, tags=current)

    result = run(monkeypatch, aws, atelierdb_args(tags=dict(OURS, Name="AtelierDB")))

    assert "failed" not in result, result
    assert result["changed"] is changed
    assert aws.tags[FakeDynamoDB.arn(HOME)] == dict(OURS, Name="AtelierDB")


def test_tags_without_ownership_claim_no_stack(monkeypatch):
    aws = existing(monkeypatch, tags=dict(THEIRS, Name="AtelierDB"))

    result = run(monkeypatch, aws, atelierdb_args(tags={"owner": "data-team"}, purge_tags=False))

    assert "failed" not in result, result
    assert result["plan"] == ["set tags owner"]


# ---- actions (the plan callback's source): the plan as one line ----


def test_actions_of_a_creation_name_the_table_once(monkeypatch):
    result = run(monkeypatch, FakeDynamoDB(), atelierdb_args(), check_mode=True)
    assert len(result["plan"]) > 1
    assert result["actions"] == ["create dynamodb table AtelierDB"]


def test_actions_of_an_update_name_the_settings_that_change(monkeypatch):
    aws = existing(monkeypatch, replicas=[{"region": "af-south-1"}])
    args = atelierdb_args(replicas=[{"region": "eu-west-1"}], point_in_time_recovery=False, tags={"team": "web"})
    for check_mode in (True, False):
        result = run(monkeypatch, aws, args, check_mode=check_mode)
        assert result["actions"] == ["update dynamodb table AtelierDB: point_in_time_recovery, replicas, tags"], check_mode


def test_actions_empty_without_change_and_delete_when_removed(monkeypatch):
    aws = existing(monkeypatch, deletion_protection=False, replicas=[])
    assert run(monkeypatch, aws, atelierdb_args(deletion_protection=False, replicas=[]))["actions"] == []
    absent = {"region": HOME, "name": "AtelierDB", "state": "absent"}
    assert run(monkeypatch, aws, absent, check_mode=True)["actions"] == ["delete dynamodb table AtelierDB"]
    assert run(monkeypatch, aws, absent)["actions"] == ["delete dynamodb table AtelierDB"]
    assert run(monkeypatch, aws, absent)["actions"] == []


def test_a_create_whose_answer_was_lost_carries_on_with_the_table_its_first_request_made(monkeypatch):
    """CreateTable takes no token: botocore's retry after a lost answer is refused (ResourceInUseException) although
    the first request made the table. The module carries on with that table (TTL, backups, replicas) instead of
    failing, and the next run changes nothing."""
    from botocore.exceptions import ClientError

    aws = FakeDynamoDB()
    made = aws._create_table

    def lost_then_refused(client, **params):
        made(client, **params)
        error = ClientError({"Error": {"Code": "ResourceInUseException", "Message": "Table already exists"}}, "CreateTable")
        raise dynamodb_utils.AnsibleDynamoDBError(message="Failed to create table", exception=error)

    aws.create_table.side_effect = lost_then_refused
    monkeypatch.setattr(dynamodb_global_table, "describe_table", aws.describe_table)
    result = run(monkeypatch, aws, atelierdb_args())
    assert "failed" not in result, result
    assert result["changed"] is True and result["replicas_added"] == ["af-south-1", "eu-west-1"]
    assert aws.create_table.call_count == 1
    for region in list(aws.pending):
        aws._settle(region)
    assert run(monkeypatch, aws, atelierdb_args())["changed"] is False


def test_a_create_refused_for_another_reason_fails(monkeypatch):
    from botocore.exceptions import ClientError

    aws = FakeDynamoDB()
    error = ClientError({"Error": {"Code": "LimitExceededException", "Message": "too many tables"}}, "CreateTable")
    aws.create_table.side_effect = dynamodb_utils.AnsibleDynamoDBError(message="Failed to create table", exception=error)
    monkeypatch.setattr(dynamodb_global_table, "describe_table", aws.describe_table)
    result = run(monkeypatch, aws, atelierdb_args())
    assert result.get("failed") is True and "too many tables" in str(result)


@pytest.mark.parametrize(
    "code", ["ResourceInUseException", "ValidationException"], ids=["table-changing", "replica-exists"]
)
def test_a_replica_added_whose_answer_was_lost_or_that_another_run_added_is_carried_on_with(monkeypatch, code):
    """UpdateTable takes no token: botocore's retry of a replica's Create after a lost answer is refused (the table is
    changing, or the replica exists), although the first request started the replica; two runs that saw the table
    settled at once meet the same. The module carries on with the replica (waits for it, makes its settings) and the
    next run changes nothing."""
    from botocore.exceptions import ClientError

    aws = existing(monkeypatch, replicas=[])
    monkeypatch.setattr(dynamodb_global_table, "describe_table", aws.describe_table)
    made = aws.update_table.side_effect

    def lost_then_refused(client, table_name, **params):
        made(client, table_name, **params)
        if "ReplicaUpdates" in params:
            error = ClientError({"Error": {"Code": code, "Message": "refused"}}, "UpdateTable")
            raise dynamodb_utils.AnsibleDynamoDBError(message="Failed to update table", exception=error)

    aws.update_table.side_effect = lost_then_refused
    wanted = [{"region": "af-south-1", "point_in_time_recovery": True}]
    result = run(monkeypatch, aws, atelierdb_args(replicas=wanted))
    assert "failed" not in result, result
    assert result["changed"] is True and result["replicas_added"] == ["af-south-1"]
    assert aws.pitr.get("af-south-1") is True  # the replica's own settings were made after it
    aws.update_table.side_effect = made
    assert run(monkeypatch, aws, atelierdb_args(replicas=wanted))["changed"] is False


def test_a_replica_add_refused_with_the_replica_not_there_fails(monkeypatch):
    """The other side: a refusal with no replica listed fails the step at once (a short wait_timeout, so that a module
    that carried on would fail with a timeout of its wait instead, not hang)."""
    from botocore.exceptions import ClientError

    aws = existing(monkeypatch, replicas=[])
    monkeypatch.setattr(dynamodb_global_table, "describe_table", aws.describe_table)
    error = ClientError({"Error": {"Code": "ValidationException", "Message": "not a valid region"}}, "UpdateTable")
    aws.update_table.side_effect = dynamodb_utils.AnsibleDynamoDBError(message="Failed to update table", exception=error)
    result = run(monkeypatch, aws, atelierdb_args(replicas=[{"region": "af-south-1"}], wait_timeout=1))
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to update table") and result["failed_step"] == "add replica af-south-1"
