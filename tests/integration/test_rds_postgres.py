"""The rds_postgres role against the emulator: the goal-tracker system's database and its secret, the password never
in a -vvv run's output, a second run (and --check) without changes, deletion protection and the final snapshot, and
bad input refused before any AWS call.

One deployment is shared by the tests of this file (module fixture); the bad-input runs are cheap (they stop before
any change). Everything is read back through the RDS and Secrets Manager APIs.
"""

import json
import re

import pytest
from botocore.exceptions import ClientError

PLAYBOOK = "tests/integration/playbooks/rds_postgres.yml"
ONLY_DB = ("--tags", "rds_postgres")
IDENTIFIER = "local-atelier-postgres"
SECRET = "local-atelier-db-credentials"


def secret_value(emulator, name=SECRET) -> dict:
    return json.loads(emulator.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])


def flat(output: str) -> str:
    """The output with every run of whitespace made one space (the YAML callback wraps long strings)."""
    return " ".join(output.split())


def instances(emulator, identifier=IDENTIFIER) -> list:
    rds = emulator.client("rds")
    return [i for i in rds.describe_db_instances()["DBInstances"] if i["DBInstanceIdentifier"] == identifier]


def snapshots(emulator, identifier=IDENTIFIER) -> list:
    rds = emulator.client("rds")
    return [s["DBSnapshotIdentifier"]
            for s in rds.describe_db_snapshots(DBInstanceIdentifier=identifier, SnapshotType="manual")["DBSnapshots"]]


@pytest.mark.parametrize(
    ("extra_vars", "message"),
    [
        ({"rds_postgres_backup_retention_days": 36}, "rds_postgres_backup_retention_days must be 0 to 35, got 36"),
        ({"rds_postgres_instance_class": "t3.micro"},
         "rds_postgres_instance_class must look like db.<family>.<size> (for example db.t3.micro), got t3.micro"),
        ({"rds_postgres_backup_window": "3:00-03:30"},
         "rds_postgres_backup_window must be hh:mm-hh:mm in UTC (for example 03:00-03:30), got 3:00-03:30"),
        ({"rds_postgres_maintenance_window": "mon:03:15-mon:03:45"},
         "rds_postgres_maintenance_window mon:03:15-mon:03:45 overlaps the daily rds_postgres_backup_window 03:00-03:30"),
        # A choice of the argument spec.
        ({"rds_postgres_monitoring_interval": 20},
         "value of rds_postgres_monitoring_interval must be one of: 0, 1, 5, 10, 15, 30, 60, got: 20"),
    ],
    ids=["retention-36", "class-without-db", "bad-backup-window", "overlapping-windows", "monitoring-interval"],
)
def test_bad_input_fails_before_any_aws_call(emulator, extra_vars, message):
    run = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars=extra_vars)
    assert run.rc != 0
    assert message in flat(run.output), run.output[-3000:]
    assert run.requests == []


@pytest.fixture(scope="module")
def deployment(emulator):
    """An empty account, a bare network, then the database, at -vvv."""
    emulator.reset()
    run = emulator.playbook(PLAYBOOK, "-vvv")
    assert run.rc == 0, run.output[-5000:]
    return run


def test_goal_tracker_database_and_secret(emulator, deployment):
    (db,) = instances(emulator)
    assert (db["Engine"], db["EngineVersion"], db["DBInstanceClass"]) == ("postgres", "15.5", "db.t3.micro")
    assert (db["StorageType"], db["AllocatedStorage"], db["StorageEncrypted"]) == ("gp3", 20, True)
    assert db["KmsKeyId"].startswith("arn:aws:kms:us-east-1:")
    assert db["PubliclyAccessible"] is False and db["MultiAZ"] is False and db["DeletionProtection"] is True
    assert (db["BackupRetentionPeriod"], db["PreferredBackupWindow"]) == (7, "03:00-03:30")
    assert sorted(db["EnabledCloudwatchLogsExports"]) == ["postgresql", "upgrade"]
    assert db["DBSubnetGroup"]["DBSubnetGroupName"] == IDENTIFIER
    assert [g["DBParameterGroupName"] for g in db["DBParameterGroups"]] == [f"{IDENTIFIER}-postgres15"]
    pages = emulator.client("rds").get_paginator("describe_db_parameters").paginate(
        DBParameterGroupName=f"{IDENTIFIER}-postgres15")
    values = {p["ParameterName"]: p.get("ParameterValue") for page in pages for p in page["Parameters"]}
    assert (values["rds.force_ssl"], values["log_min_duration_statement"]) == ("1", "1000")
    secret = secret_value(emulator)
    assert secret == {"username": "postgres", "password": secret["password"], "engine": "postgres",
                      "host": db["Endpoint"]["Address"], "port": 5432, "dbname": "goalsdb"}


def test_password_never_in_the_output(emulator, deployment):
    password = secret_value(emulator)["password"]
    # The check can fail: the password is a 32-character random string, and the -vvv output does show the
    # module results around it (the endpoint host stored next to it in the same secret, the invocations).
    assert re.fullmatch(r"[A-Za-z0-9]{32}", password)
    assert "ESTABLISH LOCAL CONNECTION" in deployment.output  # really -vvv
    assert secret_value(emulator)["host"] in deployment.output
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in deployment.output or "censored" in deployment.output
    assert password not in deployment.output


def test_second_run_and_check_mode_change_nothing(emulator, deployment):
    password = secret_value(emulator)["password"]
    again = emulator.playbook(PLAYBOOK, *ONLY_DB, "-vvv")
    assert again.rc == 0 and again.changed == 0, again.output[-5000:]
    assert again.mutating == []
    assert password not in again.output
    plan = emulator.playbook(PLAYBOOK, *ONLY_DB, "--check", "--diff")
    assert plan.rc == 0 and plan.changed == 0, plan.output[-5000:]
    assert plan.mutating == []
    assert password not in plan.output
    assert secret_value(emulator)["password"] == password  # never rotated


def test_multi_az_needs_two_database_azs(emulator, deployment):
    """Checked right after the subnet lookup, before any change."""
    ec2 = emulator.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["local-atelier"]}])["Vpcs"][0]
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.250.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    ec2.create_tags(Resources=[subnet["SubnetId"]], Tags=[{"Key": "atelier:tier", "Value": "lonely"}])
    try:
        run = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={"rds_postgres_multi_az": True, "rds_postgres_subnet_tier": "lonely"})
    finally:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    assert run.rc != 0
    assert ("rds_postgres_multi_az needs lonely (rds_postgres_subnet_tier) subnets in at least 2 availability zones;"
            " the VPC local-atelier has 1 (us-east-1a)") in flat(run.output), run.output[-3000:]
    assert run.mutating == []


def test_teardown_keeps_the_protected_database(emulator, deployment):
    keep = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={"rds_postgres_state": "absent"})
    assert keep.rc == 0 and keep.changed == 0, keep.output[-5000:]
    assert f"{IDENTIFIER} (RDS PostgreSQL instance in us-east-1: holds data and has deletion protection" in flat(keep.output)
    assert f"{SECRET} (Secrets Manager secret in us-east-1" in flat(keep.output)
    assert keep.mutating == []
    (db,) = instances(emulator)
    assert db["DeletionProtection"] is True
    with pytest.raises(ClientError) as refused:
        emulator.client("rds").delete_db_instance(DBInstanceIdentifier=IDENTIFIER, SkipFinalSnapshot=True)
    assert refused.value.response["Error"]["Code"] == "InvalidParameterCombination"
    assert len(instances(emulator)) == 1
    assert secret_value(emulator)["password"]


def test_delete_data_leaves_a_final_snapshot_unless_told_otherwise(emulator, deployment):
    purge = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={"rds_postgres_state": "absent", "rds_postgres_delete_data": True})
    assert purge.rc == 0, purge.output[-5000:]
    assert instances(emulator) == []
    (snapshot,) = snapshots(emulator)
    assert re.fullmatch(rf"{IDENTIFIER}-final-\d{{14}}", snapshot)
    assert f"{snapshot} (final DB snapshot of {IDENTIFIER}" in flat(purge.output)
    described = emulator.client("secretsmanager").describe_secret(SecretId=SECRET)
    assert "DeletedDate" in described  # scheduled for deletion (7-day recovery window)

    other = {"rds_postgres_identifier": "local-atelier-nosnap", "rds_postgres_secret_name": "local-atelier-nosnap-creds",
             "rds_postgres_secret_recovery_days": 0}
    create = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars=other)
    assert create.rc == 0, create.output[-5000:]
    assert len(instances(emulator, "local-atelier-nosnap")) == 1
    gone = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={
        **other, "rds_postgres_state": "absent", "rds_postgres_delete_data": True, "rds_postgres_final_snapshot": False})
    assert gone.rc == 0, gone.output[-5000:]
    assert instances(emulator, "local-atelier-nosnap") == []
    assert snapshots(emulator, "local-atelier-nosnap") == []
    with pytest.raises(ClientError) as missing:
        emulator.client("secretsmanager").describe_secret(SecretId="local-atelier-nosnap-creds")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
