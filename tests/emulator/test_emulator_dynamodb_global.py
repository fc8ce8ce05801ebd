"""DynamoDB additions of the emulator: global tables (version 2019.11.21) and the table settings a declarative module
reads back, seen through boto3 (so every answer also parses with botocore's service model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest tests/emulator``
(the module is named in the test's docstring). Provisioning delays are set per test through ``POST /_atelier/config``
(``emulator/knobs.py``): a long delay to see CREATING / UPDATING / DELETING, then 0 to finish the
change at once, so no test sleeps on the replica delay.
"""

import json
import time
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

REPLICA_DELAY = "ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY"
INDEX_DELAY = "ATELIER_EMULATOR_DYNAMODB_INDEX_DELAY"
REFRESH_DELAY = "ATELIER_EMULATOR_INSTANCE_REFRESH_DELAY"  # autoscaling_instance_refresh; GET lists every knob
DEPLOY_DELAY = "ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY"  # cloudfront_distribution_status
HOME, EU, AF = "us-east-1", "eu-west-1", "af-south-1"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _client(emulator, service: str, region: str = "us-east-1"):
    """Like emulator.client, without botocore's retries (it retries LimitExceededException, for one)."""
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=emulator.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _config_request(emulator, values: dict | None = None) -> dict:
    data = None if values is None else json.dumps(values).encode()
    request = urllib.request.Request(
        emulator.url + "/_atelier/config", data=data, method="GET" if data is None else "POST"
    )
    return json.loads(_DIRECT.open(request, timeout=30).read())


@pytest.fixture
def delays(emulator):
    """``delays(replica=..., index=...)`` sets the knobs; the test's end drops them (back to the defaults)."""

    def set_delays(replica: float | None = None, index: float | None = None) -> dict:
        values = {}
        if replica is not None:
            values[REPLICA_DELAY] = replica
        if index is not None:
            values[INDEX_DELAY] = index
        return _config_request(emulator, values)

    yield set_delays
    _config_request(emulator, {REPLICA_DELAY: None, INDEX_DELAY: None})


def _error(call, **kwargs) -> dict:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]


def _create_table(client, name: str, stream: str | None = "NEW_AND_OLD_IMAGES", **extra) -> dict:
    kwargs = dict(
        TableName=name,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
            {"AttributeName": "Category", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "GSI_Category",
                "KeySchema": [{"AttributeName": "Category", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "LSI_Category",
                "KeySchema": [
                    {"AttributeName": "PK", "KeyType": "HASH"},
                    {"AttributeName": "Category", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    if stream:
        kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream}
    kwargs.update(extra)
    return client.create_table(**kwargs)["TableDescription"]


def _key(pk: str, sk: str = "0") -> dict:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def _item(client, table: str, pk: str, sk: str = "0") -> dict | None:
    return client.get_item(TableName=table, Key=_key(pk, sk), ConsistentRead=True).get("Item")


def _replicas(description: dict) -> dict:
    return {replica["RegionName"]: replica for replica in description.get("Replicas", [])}


def _add_replica(client, table: str, region: str, **create) -> dict:
    return client.update_table(TableName=table, ReplicaUpdates=[{"Create": {"RegionName": region, **create}}])[
        "TableDescription"
    ]


def _global_table(emulator, delays, name: str, *regions: str, **create_table) -> None:
    """A table in HOME with ACTIVE replicas in regions."""
    home = _client(emulator, "dynamodb", HOME)
    _create_table(home, name, **create_table)
    delays(replica=0)
    for region in regions:
        _add_replica(home, name, region)
        assert home.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"


def test_config_endpoint_reads_and_sets_the_delays(emulator, delays):
    """emulator.knobs, answered by the server's middleware."""
    def these(values: dict) -> dict:  # the endpoint lists the other knobs too (test_emulator_latency.py)
        return {name: values[name] for name in (REPLICA_DELAY, INDEX_DELAY, REFRESH_DELAY, DEPLOY_DELAY)}

    assert these(_config_request(emulator)) == {REPLICA_DELAY: 2.0, INDEX_DELAY: 2.0, REFRESH_DELAY: 2.0, DEPLOY_DELAY: 2.0}
    assert these(delays(replica=0.25, index="1.5")) == {
        REPLICA_DELAY: 0.25,
        INDEX_DELAY: 1.5,
        REFRESH_DELAY: 2.0,
        DEPLOY_DELAY: 2.0,
    }
    assert _config_request(emulator)[REPLICA_DELAY] == 0.25

    for bad in ({"ATELIER_EMULATOR_NOPE": 1}, {REPLICA_DELAY: -1}, {REPLICA_DELAY: "soon"}):
        with pytest.raises(urllib.error.HTTPError) as raised:
            _config_request(emulator, bad)
        assert raised.value.code == 400
    assert _config_request(emulator, {REPLICA_DELAY: None})[REPLICA_DELAY] == 2.0


def test_global_table_replica_lifecycle(emulator, delays):
    """dynamodb_global_tables: add eu-west-1 then af-south-1, replicate items both ways, remove eu-west-1."""
    home, eu, af = (_client(emulator, "dynamodb", region) for region in (HOME, EU, AF))
    name = _name("global")
    created = _create_table(home, name)
    home.put_item(TableName=name, Item={**_key("before"), "Category": {"S": "old"}})
    delays(replica=60)

    description = _add_replica(home, name, EU)
    assert description["TableStatus"] == "UPDATING"
    assert description["GlobalTableVersion"] == "2019.11.21"
    assert _replicas(description)[EU]["ReplicaStatus"] == "CREATING"
    assert home.describe_table(TableName=name)["Table"]["TableStatus"] == "UPDATING"
    replica = eu.describe_table(TableName=name)["Table"]
    assert replica["TableStatus"] == "CREATING"
    assert replica["TableArn"] == f"arn:aws:dynamodb:{EU}:123456789012:table/{name}"
    assert replica["KeySchema"] == created["KeySchema"]
    assert replica["AttributeDefinitions"] == created["AttributeDefinitions"]
    assert [i["IndexName"] for i in replica["GlobalSecondaryIndexes"]] == ["GSI_Category"]
    assert [i["IndexName"] for i in replica["LocalSecondaryIndexes"]] == ["LSI_Category"]
    assert replica["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert replica["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert replica["LatestStreamArn"].startswith(f"arn:aws:dynamodb:{EU}:123456789012:table/{name}/stream/")
    assert _replicas(replica) == {HOME: _replicas(replica)[HOME]}
    assert _replicas(replica)[HOME]["ReplicaStatus"] == "ACTIVE"
    assert _item(eu, name, "before")["Category"] == {"S": "old"}  # backfilled

    # Only one replica change at a time.
    error = _error(home.update_table, TableName=name, ReplicaUpdates=[{"Create": {"RegionName": AF}}])
    assert error == {
        "Code": "ResourceInUseException",
        "Message": f"Attempt to change a resource which is still in use: Table is being updated: {name}",
    }

    delays(replica=0)
    description = home.describe_table(TableName=name)["Table"]
    assert description["TableStatus"] == "ACTIVE"
    eu_replica = _replicas(description)[EU]
    assert eu_replica["ReplicaStatus"] == "ACTIVE"
    assert eu_replica["ReplicaTableClassSummary"] == {"TableClass": "STANDARD"}
    assert eu_replica["GlobalSecondaryIndexes"] == [{"IndexName": "GSI_Category"}]
    assert eu.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"

    # Items written in either region are read in the other: Put, Update, Delete, BatchWrite, TransactWrite.
    eu.put_item(TableName=name, Item={**_key("from-eu"), "Category": {"S": "eu"}})
    assert _item(home, name, "from-eu")["Category"] == {"S": "eu"}
    home.update_item(
        TableName=name,
        Key=_key("from-eu"),
        UpdateExpression="SET Touched = :t",
        ExpressionAttributeValues={":t": {"S": "home"}},
    )
    assert _item(eu, name, "from-eu")["Touched"] == {"S": "home"}
    eu.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {**_key("batch", str(n))}}} for n in range(3)]})
    assert (
        home.query(
            TableName=name, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": "batch"}}
        )["Count"]
        == 3
    )
    home.transact_write_items(TransactItems=[{"Put": {"TableName": name, "Item": _key("txn")}}])
    assert _item(eu, name, "txn") is not None
    home.delete_item(TableName=name, Key=_key("batch", "0"))
    assert _item(eu, name, "batch", "0") is None
    assert (
        eu.query(
            TableName=name,
            IndexName="GSI_Category",
            KeyConditionExpression="Category = :c",
            ExpressionAttributeValues={":c": {"S": "eu"}},
        )["Count"]
        == 1
    )

    # A second replica: three regions, each listing the two others.
    delays(replica=60)
    assert _replicas(_add_replica(home, name, AF))[AF]["ReplicaStatus"] == "CREATING"
    assert eu.describe_table(TableName=name)["Table"]["TableStatus"] == "UPDATING"
    delays(replica=0)
    assert set(_replicas(home.describe_table(TableName=name)["Table"])) == {EU, AF}
    assert set(_replicas(af.describe_table(TableName=name)["Table"])) == {HOME, EU}
    assert _item(af, name, "from-eu") is not None

    # Removing eu-west-1: DELETING, then its table is gone; the others keep every item.
    delays(replica=60)
    description = home.update_table(TableName=name, ReplicaUpdates=[{"Delete": {"RegionName": EU}}])["TableDescription"]
    assert _replicas(description)[EU]["ReplicaStatus"] == "DELETING"
    assert eu.describe_table(TableName=name)["Table"]["TableStatus"] == "DELETING"
    delays(replica=0)
    assert set(_replicas(home.describe_table(TableName=name)["Table"])) == {AF}
    assert _error(eu.describe_table, TableName=name)["Code"] == "ResourceNotFoundException"
    assert name not in eu.list_tables()["TableNames"]
    assert _item(home, name, "from-eu") is not None
    assert _item(af, name, "before") is not None

    # Removing the last replica makes it a regional table again; its stream stays.
    home.update_table(TableName=name, ReplicaUpdates=[{"Delete": {"RegionName": AF}}])
    description = home.describe_table(TableName=name)["Table"]
    assert "Replicas" not in description and "GlobalTableVersion" not in description
    assert description["StreamSpecification"]["StreamEnabled"] is True
    assert home.scan(TableName=name)["Count"] == 5


def test_global_table_replica_update_errors(emulator, delays):
    """dynamodb_global_tables: AWS's refusals of ReplicaUpdates."""
    home, eu = _client(emulator, "dynamodb", HOME), _client(emulator, "dynamodb", EU)
    name = _name("global-errors")
    _global_table(emulator, delays, name, EU)

    def refused(*updates, **other) -> dict:
        return _error(home.update_table, TableName=name, ReplicaUpdates=list(updates), **other)

    assert refused({"Create": {"RegionName": HOME}}) == {
        "Code": "ValidationException",
        "Message": "Cannot add, delete, or update the local region through ReplicaUpdates. "
        "Use CreateTable, DeleteTable, or UpdateTable as required.",
    }
    assert refused({"Delete": {"RegionName": HOME}})["Message"].startswith("Cannot add, delete, or update the local")
    two = refused({"Create": {"RegionName": AF}}, {"Create": {"RegionName": "us-west-2"}})
    assert two["Code"] == "ValidationException" and "Only one replica" in two["Message"]
    create_and_delete = refused({"Create": {"RegionName": AF}}, {"Delete": {"RegionName": EU}})
    assert create_and_delete["Code"] == "ValidationException"
    unknown = refused({"Create": {"RegionName": "xx-nowhere-1"}})
    assert unknown["Code"] == "ValidationException" and "xx-nowhere-1" in unknown["Message"]
    combined = refused({"Create": {"RegionName": AF}}, DeletionProtectionEnabled=True)
    assert combined["Code"] == "ValidationException" and "DeletionProtectionEnabled" in combined["Message"]
    assert refused({"Create": {"RegionName": EU}}) == {
        "Code": "ValidationException",
        "Message": "Failed to create a the new replica of table because one or more replicas already existed as tables.",
    }
    assert refused({"Delete": {"RegionName": AF}}) == {
        "Code": "ValidationException",
        "Message": "Replica specified in the Replica Update or Replica Delete action of the request was not found.",
    }
    # A table of that name already in the target region.
    _create_table(_client(emulator, "dynamodb", AF), name)
    assert refused({"Create": {"RegionName": AF}})["Message"].startswith("Failed to create a the new replica")
    # The stream of a global table cannot be disabled.
    assert _error(home.update_table, TableName=name, StreamSpecification={"StreamEnabled": False}) == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.",
    }
    # A replica with deletion protection cannot be removed.
    eu.update_table(TableName=name, DeletionProtectionEnabled=True)
    protected = refused({"Delete": {"RegionName": EU}})
    assert protected["Code"] == "ValidationException" and "protected against deletion" in protected["Message"]
    assert home.describe_table(TableName=name)["Table"]["DeletionProtectionEnabled"] is False  # per replica
    eu.update_table(TableName=name, DeletionProtectionEnabled=False)
    home.update_table(TableName=name, ReplicaUpdates=[{"Delete": {"RegionName": EU}}])


def test_global_table_enables_the_stream_it_needs(emulator, delays):
    """dynamodb_global_tables: like AWS, a replica on a table without a stream enables NEW_AND_OLD_IMAGES; a
    KEYS_ONLY stream is kept."""
    home = _client(emulator, "dynamodb", HOME)
    plain, keys_only = _name("no-stream"), _name("keys-only")
    _create_table(home, plain, stream=None)
    _create_table(home, keys_only, stream="KEYS_ONLY")
    delays(replica=0)

    description = _add_replica(home, plain, EU)
    assert description["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert "LatestStreamArn" in description
    assert _client(emulator, "dynamodb", EU).describe_table(TableName=plain)["Table"]["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    assert _add_replica(home, keys_only, EU)["StreamSpecification"]["StreamViewType"] == "KEYS_ONLY"


def test_global_table_synchronizes_settings_and_keeps_per_replica_ones(emulator, delays):
    """dynamodb_global_tables: GSIs, TTL and billing reach every replica; table class and PITR stay per replica."""
    home, eu = _client(emulator, "dynamodb", HOME), _client(emulator, "dynamodb", EU)
    name = _name("global-sync")
    _global_table(emulator, delays, name, EU)
    delays(index=0)

    home.update_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
            {"AttributeName": "Category", "AttributeType": "S"},
            {"AttributeName": "Owner", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "GSI_Owner",
                    "KeySchema": [{"AttributeName": "Owner", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            }
        ],
    )
    replica = eu.describe_table(TableName=name)["Table"]
    assert sorted(i["IndexName"] for i in replica["GlobalSecondaryIndexes"]) == ["GSI_Category", "GSI_Owner"]
    assert {"AttributeName": "Owner", "AttributeType": "S"} in replica["AttributeDefinitions"]

    eu.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ExpiresAt"})
    assert home.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "ExpiresAt",
    }

    eu.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    pitr = home.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"

    home.update_table(
        TableName=name,
        ReplicaUpdates=[{"Update": {"RegionName": EU, "TableClassOverride": "STANDARD_INFREQUENT_ACCESS"}}],
    )
    replicas = _replicas(home.describe_table(TableName=name)["Table"])
    assert replicas[EU]["ReplicaTableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    assert _replicas(eu.describe_table(TableName=name)["Table"])[HOME]["ReplicaTableClassSummary"] == {
        "TableClass": "STANDARD"
    }

    eu.tag_resource(ResourceArn=f"arn:aws:dynamodb:{EU}:123456789012:table/{name}", Tags=[{"Key": "k", "Value": "v"}])
    assert home.list_tags_of_resource(ResourceArn=f"arn:aws:dynamodb:{HOME}:123456789012:table/{name}")["Tags"] == []


def test_global_table_with_customer_managed_key_needs_a_key_per_replica(emulator, delays):
    """dynamodb_global_tables: a table encrypted with a customer managed key needs KMSMasterKeyId on each replica."""
    home = _client(emulator, "dynamodb", HOME)
    home_key = _client(emulator, "kms", HOME).create_key()["KeyMetadata"]["Arn"]
    eu_key = _client(emulator, "kms", EU).create_key()["KeyMetadata"]["Arn"]
    name = _name("global-cmk")
    _create_table(home, name, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": home_key})
    delays(replica=0)

    assert _error(home.update_table, TableName=name, ReplicaUpdates=[{"Create": {"RegionName": EU}}]) == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: KMSMasterKeyId must be specified for each replica.",
    }
    description = _add_replica(home, name, EU, KMSMasterKeyId=eu_key)
    assert _replicas(description)[EU]["KMSMasterKeyId"] == eu_key
    sse = _client(emulator, "dynamodb", EU).describe_table(TableName=name)["Table"]["SSEDescription"]
    assert sse == {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": eu_key}


def test_global_table_delete_table_in_a_replica_region(emulator, delays):
    """dynamodb_global_tables: DeleteTable of a replica in its region removes it from the global table."""
    home, eu = _client(emulator, "dynamodb", HOME), _client(emulator, "dynamodb", EU)
    name = _name("global-delete")
    _global_table(emulator, delays, name, EU)
    home.put_item(TableName=name, Item=_key("kept"))

    eu.delete_table(TableName=name)
    description = home.describe_table(TableName=name)["Table"]
    assert "Replicas" not in description and description["TableStatus"] == "ACTIVE"
    assert _item(home, name, "kept") is not None
    assert _error(eu.describe_table, TableName=name)["Code"] == "ResourceNotFoundException"


def test_global_table_failed_transaction_keeps_items_shared(emulator, delays):
    """dynamodb_global_tables: a cancelled TransactWriteItems (moto restores a copy of the table) leaves the regions
    sharing their items."""
    home, eu = _client(emulator, "dynamodb", HOME), _client(emulator, "dynamodb", EU)
    name = _name("global-txn")
    _global_table(emulator, delays, name, EU)
    home.put_item(TableName=name, Item={**_key("a"), "N": {"N": "1"}})

    with pytest.raises(ClientError) as raised:
        home.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": name, "Item": _key("b")}},
                {
                    "Put": {
                        "TableName": name,
                        "Item": {**_key("a"), "N": {"N": "2"}},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _item(eu, name, "b") is None and _item(home, name, "b") is None
    eu.put_item(TableName=name, Item=_key("after"))
    assert _item(home, name, "after") is not None
    assert home.describe_table(TableName=name)["Table"]["GlobalTableVersion"] == "2019.11.21"


def test_gsi_created_and_deleted_one_at_a_time(emulator, delays):
    """dynamodb_gsi_lifecycle: LimitExceededException for a second index, CREATING/Backfilling, DELETING."""
    client = _client(emulator, "dynamodb", HOME)
    name = _name("gsi")
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    attributes = [{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "A", "B")]

    def create(index: str, attribute: str) -> dict:
        return {
            "Create": {
                "IndexName": index,
                "KeySchema": [{"AttributeName": attribute, "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        }

    limit = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"
    assert _error(
        client.update_table,
        TableName=name,
        AttributeDefinitions=attributes,
        GlobalSecondaryIndexUpdates=[create("GSI_A", "A"), create("GSI_B", "B")],
    ) == {"Code": "LimitExceededException", "Message": limit}
    assert client.describe_table(TableName=name)["Table"]["AttributeDefinitions"] == attributes[:1]  # unchanged
    missing = _error(client.update_table, TableName=name, GlobalSecondaryIndexUpdates=[create("GSI_A", "A")])
    assert missing["Code"] == "ValidationException" and "not defined in AttributeDefinitions" in missing["Message"]

    delays(index=60)
    description = client.update_table(
        TableName=name, AttributeDefinitions=attributes, GlobalSecondaryIndexUpdates=[create("GSI_A", "A")]
    )["TableDescription"]
    assert description["TableStatus"] == "UPDATING"
    assert description["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    assert description["GlobalSecondaryIndexes"][0]["Backfilling"] is False
    busy = _error(client.update_table, TableName=name, DeletionProtectionEnabled=False)
    assert busy["Code"] == "ResourceInUseException"

    # 0.5 s into a 1 s creation: backfilling, the table ACTIVE again, and still no second index. (A machine slower
    # than 0.5 s between the two calls sees the index ACTIVE already; that is not a failure.)
    time.sleep(0.5)
    delays(index=1.0)
    description = client.describe_table(TableName=name)["Table"]
    if description["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING":
        assert description["TableStatus"] == "ACTIVE"
        assert description["GlobalSecondaryIndexes"][0]["Backfilling"] is True
        second = _error(client.update_table, TableName=name, GlobalSecondaryIndexUpdates=[create("GSI_B", "B")])
        assert second["Code"] in ("LimitExceededException", "ValidationException")
    delays(index=0)
    index = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
    assert index["IndexStatus"] == "ACTIVE" and "Backfilling" not in index

    assert _error(client.update_table, TableName=name, GlobalSecondaryIndexUpdates=[create("GSI_A", "A")]) == {
        "Code": "ValidationException",
        "Message": "Attempting to create an index which already exists",
    }
    unknown = _error(
        client.update_table, TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "GSI_X"}}]
    )
    assert unknown["Code"] == "ResourceNotFoundException"

    delays(index=60)
    description = client.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "GSI_A"}}])[
        "TableDescription"
    ]
    assert description["GlobalSecondaryIndexes"][0]["IndexStatus"] == "DELETING"
    assert description["TableStatus"] == "UPDATING"
    delays(index=0)
    assert client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"] == []


def test_table_id(emulator):
    """dynamodb_table_id: TableId, stable for the table."""
    client = _client(emulator, "dynamodb", HOME)
    name = _name("table-id")
    created = _create_table(client, name)
    assert str(uuid.UUID(created["TableId"])) == created["TableId"]
    assert client.describe_table(TableName=name)["Table"]["TableId"] == created["TableId"]


def test_table_class(emulator):
    """dynamodb_table_class: TableClass at CreateTable and UpdateTable, TableClassSummary."""
    client = _client(emulator, "dynamodb", HOME)
    plain, infrequent = _name("class-plain"), _name("class-ia")
    assert "TableClassSummary" not in _create_table(client, plain)
    created = _create_table(client, infrequent, TableClass="STANDARD_INFREQUENT_ACCESS")
    assert created["TableClassSummary"] == {"TableClass": "STANDARD_INFREQUENT_ACCESS"}

    updated = client.update_table(TableName=plain, TableClass="STANDARD_INFREQUENT_ACCESS")["TableDescription"]
    assert updated["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    assert "LastUpdateDateTime" in updated["TableClassSummary"]
    described = client.describe_table(TableName=plain)["Table"]["TableClassSummary"]
    assert described["TableClass"] == "STANDARD_INFREQUENT_ACCESS"


def test_sse_kms_key_arn_and_update(emulator):
    """dynamodb_sse_kms: KMSMasterKeyArn is the key's ARN for a key id or alias; UpdateTable changes encryption."""
    client, kms = _client(emulator, "dynamodb", HOME), _client(emulator, "kms", HOME)
    key = kms.create_key()["KeyMetadata"]
    alias = f"alias/{_name('ddb')}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    by_id, by_alias, default = _name("sse-id"), _name("sse-alias"), _name("sse-default")

    for name, key_id in ((by_id, key["KeyId"]), (by_alias, alias)):
        sse = _create_table(
            client, name, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_id}
        )["SSEDescription"]
        assert sse == {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key["Arn"]}

    assert "SSEDescription" not in _create_table(client, default)
    updated = client.update_table(TableName=default, SSESpecification={"Enabled": True, "SSEType": "KMS"})
    sse = updated["TableDescription"]["SSEDescription"]
    assert sse["Status"] == "ENABLED" and sse["SSEType"] == "KMS"
    managed = kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["Arn"]
    assert sse["KMSMasterKeyArn"] == managed
    assert (
        client.update_table(TableName=by_id, SSESpecification={"Enabled": False})["TableDescription"].get(
            "SSEDescription"
        )
        is None
    )
    alone = _error(
        client.update_table, TableName=default, SSESpecification={"Enabled": False}, DeletionProtectionEnabled=True
    )
    assert alone == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: Server-Side Encryption modification must be the only "
        "operation in the request",
    }


def test_billing_mode_switch_to_on_demand(emulator):
    """dynamodb_billing_mode: capacity 0 and LastUpdateToPayPerRequestDateTime after the switch."""
    client = _client(emulator, "dynamodb", HOME)
    name = _name("billing")
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
    )
    description = client.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert description["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert description["ProvisionedThroughput"]["WriteCapacityUnits"] == 0
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "LastUpdateToPayPerRequestDateTime" in description["BillingModeSummary"]
    on_demand = _create_table(client, _name("billing-od"))
    assert "LastUpdateToPayPerRequestDateTime" in on_demand["BillingModeSummary"]


def test_stream_specification_rules(emulator):
    """dynamodb_stream_specification: enabling twice is a ValidationException; a disabled stream can be re-enabled."""
    client = _client(emulator, "dynamodb", HOME)
    name = _name("stream")
    first = _create_table(client, name, stream="KEYS_ONLY")["LatestStreamArn"]
    assert _error(
        client.update_table, TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    ) == {"Code": "ValidationException", "Message": f"Table already has an enabled stream: TableName: {name}"}

    disabled = client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})["TableDescription"]
    assert "StreamSpecification" not in disabled and disabled["LatestStreamArn"] == first
    again = _error(client.update_table, TableName=name, StreamSpecification={"StreamEnabled": False})
    assert again["Code"] == "ValidationException"

    time.sleep(0.01)
    enabled = client.update_table(
        TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    )["TableDescription"]
    assert enabled["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert enabled["LatestStreamArn"] != first


def test_delete_table_protection_and_status(emulator):
    """dynamodb_delete_table: AWS's deletion-protection error and DELETING in the answer."""
    client = _client(emulator, "dynamodb", HOME)
    name = _name("protected")
    _create_table(client, name, DeletionProtectionEnabled=True)
    assert _error(client.delete_table, TableName=name) == {
        "Code": "ValidationException",
        "Message": "Resource cannot be deleted as it is currently protected against deletion. "
        "Disable deletion protection first.",
    }
    client.update_table(TableName=name, DeletionProtectionEnabled=False)
    assert client.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"


def test_time_to_live_errors(emulator):
    """dynamodb_time_to_live: UpdateTimeToLive is not idempotent; unknown tables are ResourceNotFoundException."""
    client = _client(emulator, "dynamodb", HOME)
    name = _name("ttl")
    _create_table(client, name)

    def update(enabled: bool, attribute: str = "ExpiresAt"):
        return client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": enabled, "AttributeName": attribute}
        )

    assert _error(update, enabled=False)["Code"] == "ValidationException"
    update(True)
    assert _error(update, enabled=True) == {"Code": "ValidationException", "Message": "TimeToLive is already enabled"}
    assert _error(update, enabled=True, attribute="Other")["Message"] == (
        "TimeToLive is active on a different AttributeName"
    )
    update(False)
    assert client.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}
    assert _error(client.describe_time_to_live, TableName=_name("missing"))["Code"] == "ResourceNotFoundException"
