"""Destroy that keeps the data, on the goal-tracker inventory (RDS PostgreSQL): playbooks/teardown.yml without
atelier_teardown_delete_data keeps the database and exactly the network parts it still needs - the subnets of its DB
subnet group with their route tables (stripped of the routes to the gateways that go), the VPC, its security group
(stripped of the rules that refer to the groups that go) - lists them with the other kept things, and removes
everything else; the emulator refuses, as AWS does, to delete a subnet or a group the database's network interface
uses, so a teardown that tried would fail. With data deletion confirmed, nothing of the stack is left but the final
DB snapshot the rds_postgres role takes on purpose.

Two teardowns and a network-only re-run of the worker's goal-tracker deploy (tests/conftest.py goal_tracker_deploy,
after the tests that only read it): about two and a half minutes on two cores.
"""

import pytest

from tests.reliability.resources import by_name
from tests.reliability.resources import by_tags

INVENTORY = "inventories/goal-tracker"
ENV, STACK = "dev", "goal-tracker"
PREFIX = f"{ENV}-{STACK}"
DB = f"{PREFIX}-postgres"
# What the data layer keeps without data deletion (the resources.by_name kinds; names with {prefix}).
DATA_KINDS = ("repository", "db-instance", "db-subnet-group", "db-parameter-group", "secret", "log-group")


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def deployed(goal_tracker_deploy):
    """What the deployed stack holds by name: the worker's goal-tracker deploy (tests/conftest.py goal_tracker_deploy,
    shared with tests/integration/test_goal_tracker.py; deployed anew if a test before changed it)."""
    goal_tracker_deploy.deployed()
    return goal_tracker_deploy.names


def database_network(emulator):
    """The DB instance and the network parts it uses: (instance, subnets, route tables, security groups, vpc id)."""
    ec2 = emulator.client("ec2")
    (db,) = emulator.client("rds").describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"]
    subnet_ids = sorted(s["SubnetIdentifier"] for s in db["DBSubnetGroup"]["Subnets"])
    subnets = ec2.describe_subnets(SubnetIds=subnet_ids)["Subnets"]
    tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": subnet_ids}])["RouteTables"]
    groups = ec2.describe_security_groups(GroupIds=[g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]])["SecurityGroups"]
    return db, subnets, tables, groups, db["DBSubnetGroup"]["VpcId"]


def name_of(resource):
    return next(t["Value"] for t in resource.get("Tags", []) if t["Key"] == "Name")


def test_destroy_keeps_the_database_with_its_network_then_deletes_everything_when_asked(deployed, emulator):
    _db, subnets, tables, groups, vpc_id = database_network(emulator)
    assert len(subnets) == 2 and len(tables) == 2 and [g["GroupName"] for g in groups] == [f"{PREFIX}-database"]

    keep = emulator.playbook("playbooks/teardown.yml", inventory=INVENTORY)
    assert keep.rc == 0, keep.output[-20000:]

    # The database and what it needs are still there, the same ones.
    _db, subnets_after, tables_after, groups_after, vpc_after = database_network(emulator)
    assert sorted(s["SubnetId"] for s in subnets_after) == sorted(s["SubnetId"] for s in subnets)
    assert sorted(t["RouteTableId"] for t in tables_after) == sorted(t["RouteTableId"] for t in tables)
    assert [g["GroupId"] for g in groups_after] == [g["GroupId"] for g in groups] and vpc_after == vpc_id
    # ...without what pointed at the parts that went: no route to a gateway, no rule naming a deleted group.
    for table in tables_after:
        assert all(r.get("GatewayId") == "local" for r in table["Routes"]), table["Routes"]
    ec2 = emulator.client("ec2")
    referred = {p["GroupId"] for rule in groups_after[0]["IpPermissions"] for p in rule.get("UserIdGroupPairs", [])}
    assert referred <= {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}

    # Everything else of the stack is gone: what is left is the data and exactly those network parts (and the VPC's
    # own default group, which goes with the VPC).
    network = {
        "vpc": ["{prefix}"],
        "subnet": sorted(name_of(s).replace(PREFIX, "{prefix}") for s in subnets),
        "route-table": sorted(name_of(t).replace(PREFIX, "{prefix}") for t in tables),
        "security-group": ["{prefix}-database", "{prefix}-default"],
    }
    data = {kind: deployed[kind] for kind in DATA_KINDS}
    assert by_name(emulator, PREFIX) == {**network, **data}

    # The run's list of what it kept names every network part kept, with why.
    text = flat(keep.output)
    for subnet in subnets:
        assert (f"{name_of(subnet)} (subnet {subnet['SubnetId']}: {subnet['CidrBlock']}, in the DB subnet group {DB} "
                f"of the DB instance {DB};") in text, keep.output[-6000:]
    for table in tables:
        assert f"{name_of(table)} (route table {table['RouteTableId']}: routes the kept subnet" in text
    assert f"{PREFIX} (vpc {vpc_id}: holds the kept subnets" in text
    assert f"{PREFIX}-database (security group {groups[0]['GroupId']}: used by eni-" in text
    assert f"{DB} (RDS PostgreSQL instance in us-east-1: holds data" in text

    # A second teardown of the network keeps the same parts and changes nothing.
    again = emulator.playbook("playbooks/teardown.yml", "--tags", "security_groups,vpc", inventory=INVENTORY)
    assert again.rc == 0 and again.changed == 0, again.output[-10000:]
    assert again.mutating == [], again.mutating
    assert f"{PREFIX}-database (security group {groups[0]['GroupId']}: used by eni-" in flat(again.output)

    purge = emulator.playbook("playbooks/teardown.yml", inventory=INVENTORY, extra_vars={"atelier_teardown_delete_data": True})
    assert purge.rc == 0, purge.output[-20000:]
    assert by_name(emulator, PREFIX) == {}
    # What still carries the stack's tags: the final snapshot (kept on purpose, and listed) and the credentials
    # secret, scheduled for deletion (its recovery window).
    assert dict(by_tags(emulator, ENV, STACK)) == {"rds:snapshot": 1, "secretsmanager:secret": 1}
    assert "DeletedDate" in emulator.client("secretsmanager").describe_secret(SecretId=f"{PREFIX}-db-credentials")
    assert f"{DB}-final-" in flat(purge.output)
