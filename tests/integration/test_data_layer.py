"""The data layer against the emulator: the Atelier stack's global table, replicas added and removed without losing
items, changes that would replace the table refused, check mode, teardown that keeps data unless asked, and another
stack's table refused and left untouched.

Everything is read back through the DynamoDB API in each region, not through the role's output.
"""

import re

import pytest

HOME = "us-east-1"
# The Atelier stack's AtelierDB in the names of the stack of inventories/local (<atelier_name_prefix>-AtelierDB).
TABLE = "local-atelier-AtelierDB"
ATELIERDB_GSIS = {
    "GSI_AllProducts": ("ProductKey", "ProductName"),
    "GSI_Category": ("Category", "ProductName"),
    "GSI_CategoryPrice": ("Category", "Price"),
    "GSI_UserOrders": ("UserId", "OrderDate"),
    "GSI_OrdersByDate": ("OrderMonth", "OrderDate"),
}
ITEMS = [
    {"PK": {"S": "PRODUCT#1"}, "SK": {"S": "META"}, "ProductKey": {"S": "PRODUCT"}, "ProductName": {"S": "Chair"},
     "Category": {"S": "furniture"}, "Price": {"N": "49"}},
    {"PK": {"S": "USER#42"}, "SK": {"S": "ORDER#2025-04-18"}, "UserId": {"S": "42"},
     "OrderDate": {"S": "2025-04-18T10:00:00Z"}, "OrderMonth": {"S": "2025-04"}},
]


def keys(item):
    return {"PK": item["PK"], "SK": item["SK"]}


def describe(emulator, region=HOME):
    try:
        return emulator.client("dynamodb", region).describe_table(TableName=TABLE)["Table"]
    except emulator.client("dynamodb", region).exceptions.ResourceNotFoundException:
        return None


def replica_regions(table):
    return sorted(r["RegionName"] for r in table.get("Replicas", []) if r["RegionName"] != HOME)


def _task_outcome(output, name):
    """How the role's task of that name ended (changed, ok, skipping, fatal), whatever its retries printed before."""
    after = output.split(f"TASK [atelier.infra.dynamodb_global : {name}]", 1)[1].split("\nTASK [", 1)[0]
    return re.findall(r"^(changed|ok|skipping|fatal): ", after, re.M)[-1]


def gsi_keys(table):
    out = {}
    for gsi in table.get("GlobalSecondaryIndexes", []):
        schema = {k["KeyType"]: k["AttributeName"] for k in gsi["KeySchema"]}
        out[gsi["IndexName"]] = (schema["HASH"], schema.get("RANGE"))
    return out


@pytest.fixture(scope="module")
def one_replica(emulator):
    """An empty account, then AtelierDB with one replica (eu-west-1) and two items written at home."""
    emulator.reset()
    run = emulator.playbook(
        "site.yml", "--tags", "dynamodb_global", extra_vars={"dynamodb_global_replicas": [{"region": "eu-west-1"}]}
    )
    assert run.rc == 0, run.output
    home = emulator.client("dynamodb", HOME)
    for item in ITEMS:
        home.put_item(TableName=TABLE, Item=item)
    return run


def test_atelierdb_with_one_replica(emulator, one_replica):
    table = describe(emulator)
    assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {"PK": "HASH", "SK": "RANGE"}
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert gsi_keys(table) == ATELIERDB_GSIS
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert table["SSEDescription"]["SSEType"] == "KMS" and table["SSEDescription"]["Status"] == "ENABLED"
    assert table["DeletionProtectionEnabled"] is True
    assert replica_regions(table) == ["eu-west-1"]
    client = emulator.client("dynamodb", HOME)
    ttl = client.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ExpiresAt"}
    backups = client.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    tags = {t["Key"]: t["Value"] for t in client.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]}
    assert tags["atelier:stack"] == "atelier" and tags["atelier:env"] == "local"
    replica = describe(emulator, "eu-west-1")
    assert replica["TableStatus"] == "ACTIVE" and gsi_keys(replica) == ATELIERDB_GSIS
    # site.yml started the replica without waiting for it (dynamodb_global_defer_replicas); what was left (the
    # replica's own point-in-time recovery and deletion protection) was made by the job its last play
    # (playbooks/data_wait.yml) waited for. The plan callback lists a play only with a change: the last play's wait
    # named the job's, so the data layer had deferred it.
    assert "Finish what the data layer started (a new DynamoDB replica, made while the other layers converged):" in one_replica.output
    # The data layer started the module's second run at once, in the background (roles/dynamodb_global
    # tasks/background.yml): the last play waited for that job and did not run the module again.
    assert one_replica.output.count("TASK [atelier.infra.dynamodb_global : Create or update the global table and its replicas]") == 2
    assert _task_outcome(one_replica.output, "Wait for the run that finishes the table in the background") == "changed"
    assert _task_outcome(one_replica.output, "Wait for the new replica and make what was left, in place") == "skipping"
    replica_backups = emulator.client("dynamodb", "eu-west-1").describe_continuous_backups(TableName=TABLE)
    assert replica_backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert replica["DeletionProtectionEnabled"] is True


def test_items_written_before_a_replica_is_added_are_read_there(emulator, one_replica):
    # The Atelier stack's replicas: adds af-south-1. The answer of that UpdateTable is lost (applied, answered with a
    # server error): the retries are refused - the table is being changed by the first request, and once that is done
    # the replica exists - and the module carries on with the replica that request started
    # (test_second_run_changes_nothing then finds nothing to do).
    emulator.faults(seed=3, lost={"dynamodb:UpdateTable": 1}, lost_mode="error")
    try:
        run = emulator.playbook("site.yml", "--tags", "dynamodb_global")
    finally:
        emulator.faults()
    assert run.rc == 0, run.output[-5000:]
    lost = [e for e in run.requests if e.get("fault", {}).get("kind") == "lost"]
    assert [(e["action"], e["region"]) for e in lost] == [("UpdateTable", HOME)]
    assert replica_regions(describe(emulator)) == ["af-south-1", "eu-west-1"]
    assert [r["action"] for r in run.mutating].count("UpdateTable") >= 1
    african = emulator.client("dynamodb", "af-south-1")
    for item in ITEMS:
        assert african.get_item(TableName=TABLE, Key=keys(item))["Item"] == item
    # and a write in a replica region is read at home
    african.put_item(TableName=TABLE, Item={"PK": {"S": "USER#7"}, "SK": {"S": "PROFILE"}})
    assert "Item" in emulator.client("dynamodb", HOME).get_item(
        TableName=TABLE, Key={"PK": {"S": "USER#7"}, "SK": {"S": "PROFILE"}}
    )


def test_second_run_changes_nothing(emulator, one_replica):
    run = emulator.playbook("site.yml", "--tags", "dynamodb_global")
    assert run.rc == 0 and run.changed == 0, run.output
    assert run.mutating == []


def test_check_mode_plans_a_gsi_change_without_calling(emulator, one_replica):
    run = emulator.playbook(
        "site.yml", "--tags", "dynamodb_global", "--check", "--diff",
        extra_vars={"dynamodb_global_indexes": [{"name": "GSI_AllProducts", "hash_key": "ProductKey", "range_key": "ProductName"}],
                    "dynamodb_global_attributes": [{"name": n, "type": "S"} for n in ("PK", "SK", "ProductKey", "ProductName")]},
    )
    assert run.rc == 0 and run.changed > 0, run.output
    assert run.mutating == []
    assert "GSI_Category" in run.output
    assert gsi_keys(describe(emulator)) == ATELIERDB_GSIS


def test_key_schema_change_is_refused_and_changes_nothing(emulator, one_replica):
    before = describe(emulator)
    run = emulator.playbook("site.yml", "--tags", "dynamodb_global", extra_vars={"dynamodb_global_range_key": "Category"})
    assert run.rc != 0
    assert "replac" in run.output and "refused" in run.output, run.output
    assert run.mutating == []
    after = describe(emulator)
    assert after["KeySchema"] == before["KeySchema"] and after["ItemCount"] == before["ItemCount"]
    for item in ITEMS:
        assert emulator.client("dynamodb", HOME).get_item(TableName=TABLE, Key=keys(item))["Item"] == item


def test_removing_a_protected_replica_is_refused_then_done_in_two_steps(emulator, one_replica):
    only_africa = {"dynamodb_global_replicas": [{"region": "af-south-1"}]}
    refused = emulator.playbook("site.yml", "--tags", "dynamodb_global", extra_vars=only_africa)
    assert refused.rc != 0
    assert f"Replica eu-west-1 of table {TABLE} has deletion protection" in refused.output, refused.output
    assert refused.mutating == []
    assert replica_regions(describe(emulator)) == ["af-south-1", "eu-west-1"]

    unprotect = emulator.playbook(
        "site.yml", "--tags", "dynamodb_global",
        extra_vars={"dynamodb_global_replicas": [{"region": "af-south-1"}, {"region": "eu-west-1", "deletion_protection": False}]},
    )
    assert unprotect.rc == 0, unprotect.output
    remove = emulator.playbook("site.yml", "--tags", "dynamodb_global", extra_vars=only_africa)
    assert remove.rc == 0, remove.output
    assert replica_regions(describe(emulator)) == ["af-south-1"]
    assert describe(emulator, "eu-west-1") is None
    for item in ITEMS:
        assert emulator.client("dynamodb", HOME).get_item(TableName=TABLE, Key=keys(item))["Item"] == item


def test_teardown_keeps_the_table_unless_asked(emulator, one_replica):
    keep = emulator.playbook("playbooks/teardown.yml", "--tags", "dynamodb_global")
    assert keep.rc == 0, keep.output
    assert f"{TABLE} (DynamoDB global table in us-east-1, af-south-1: holds data" in " ".join(keep.output.split())
    assert describe(emulator) is not None
    assert keep.mutating == []

    purge = emulator.playbook(
        "playbooks/teardown.yml", "--tags", "dynamodb_global", extra_vars={"atelier_teardown_delete_data": True}
    )
    assert purge.rc == 0, purge.output
    for region in (HOME, "af-south-1", "eu-west-1"):
        assert describe(emulator, region) is None


def test_another_stacks_table_is_refused_and_left_untouched(emulator):
    """A table of this stack's name that another stack owns (its atelier:stack tag): neither the converge nor the
    teardown with atelier_teardown_delete_data changes or deletes it."""
    name = "local-atelier-Theirs"
    theirs = [{"Key": "atelier:env", "Value": "local"}, {"Key": "atelier:stack", "Value": "other"}]
    client = emulator.client("dynamodb", HOME)
    arn = client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST", Tags=theirs,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
    )["TableDescription"]["TableArn"]
    client.put_item(TableName=name, Item={"PK": {"S": "THEIRS"}})
    before = client.describe_table(TableName=name)["Table"]
    refusal = (f"Table {name} in {HOME} is not this stack's: it belongs to the stack 'other' of the environment 'local'"
               " (tags atelier:stack/atelier:env), while the tags asked for name the stack 'atelier' of the environment 'local'")
    try:
        ours = {"dynamodb_global_table_name": name, "dynamodb_global_replicas": []}
        converge = emulator.playbook("site.yml", "--tags", "dynamodb_global", extra_vars=ours)
        teardown = emulator.playbook(
            "playbooks/teardown.yml", "--tags", "dynamodb_global", extra_vars=dict(ours, atelier_teardown_delete_data=True)
        )
        for run in (converge, teardown):
            assert run.rc != 0
            assert refusal in " ".join(run.output.split()), run.output[-5000:]
            assert run.mutating == [], run.mutating
        after = client.describe_table(TableName=name)["Table"]
        assert (after["KeySchema"], after.get("GlobalSecondaryIndexes"), after.get("DeletionProtectionEnabled")) == (
            before["KeySchema"], before.get("GlobalSecondaryIndexes"), before.get("DeletionProtectionEnabled"))
        assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == theirs
        assert client.get_item(TableName=name, Key={"PK": {"S": "THEIRS"}})["Item"] == {"PK": {"S": "THEIRS"}}
    finally:
        client.delete_table(TableName=name)


def test_a_background_job_that_fails_fails_the_last_play_with_the_modules_message(emulator):
    """The job that finishes a deferred replica (roles/dynamodb_global tasks/background.yml) fails: here its wait for
    the table to settle (its replica made) outlives dynamodb_global_wait_timeout (the emulator's replica takes 20 s,
    the wait 6). The run fails in its last play (playbooks/data_wait.yml) with the module's own message, not the job's
    time limit; the table is left as the failed run made it, and the teardown removes it with its replica."""
    name = "local-atelier-Slow"
    slow = {"dynamodb_global_table_name": name, "dynamodb_global_replicas": [{"region": "eu-west-1"}],
            "dynamodb_global_wait_timeout": 6}
    emulator.latency(dynamodb_replica_delay=20)
    try:
        run = emulator.playbook("site.yml", "--tags", "dynamodb_global", extra_vars=slow)
    finally:
        emulator.latency()
    try:
        assert run.rc != 0, run.output[-5000:]
        assert f"Timeout after 6 seconds trying to wait for table {name} to settle" in run.output, run.output[-5000:]
        assert "maximum time limit" not in run.output
        # The data layer started the job and went on; the last play's wait for it is what failed.
        assert run.output.count("TASK [atelier.infra.dynamodb_global : Create or update the global table and its replicas]") == 2
        assert _task_outcome(run.output, "Wait for the run that finishes the table in the background") == "fatal"
        assert replica_regions(emulator.client("dynamodb", HOME).describe_table(TableName=name)["Table"]) == ["eu-west-1"]
    finally:
        gone = emulator.playbook(
            "playbooks/teardown.yml", "--tags", "dynamodb_global", extra_vars=dict(slow, atelier_teardown_delete_data=True,
                                                                                 dynamodb_global_wait_timeout=60)
        )
    assert gone.rc == 0, gone.output[-5000:]
    for region in (HOME, "eu-west-1"):
        assert name not in emulator.client("dynamodb", region).list_tables()["TableNames"]
