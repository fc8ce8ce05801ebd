"""The rds_postgres role against the emulator: the goal-tracker system's database and its secret, the password never
in a -vvv run's output, a second run (and --check) without changes, a minor upgrade and a certificate authority change
that wait for the maintenance window (never a downgrade), the secret restricted to the tiers that read it (proven with
the emulator's IAM evaluation), deletion protection and the final snapshot, and bad input refused before any AWS
call.

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
        ({"rds_postgres_ca_certificate": "rds-ca-2019"},
         "rds_postgres_ca_certificate must be a current RDS certificate authority"),
        ({"rds_postgres_secret_rotation": True, "rds_postgres_secret_rotation_days": 0},
         "rds_postgres_secret_rotation_days must be 1 to 1000 when the secret rotates"),
    ],
    ids=["retention-36", "class-without-db", "bad-backup-window", "overlapping-windows", "monitoring-interval",
         "expired-ca", "rotation-without-days"],
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
    assert (db["Engine"], db["EngineVersion"], db["DBInstanceClass"]) == ("postgres", "15.18", "db.t3.micro")
    # The posture a security review expects: minor upgrades on, the current certificate authority, IAM auth a switch.
    assert db["AutoMinorVersionUpgrade"] is True
    assert db["CACertificateIdentifier"] == "rds-ca-rsa2048-g1"
    assert db["IAMDatabaseAuthenticationEnabled"] is False
    assert not db.get("PendingModifiedValues")
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


def test_upgrades_wait_for_the_maintenance_window_and_never_go_down(emulator, deployment):
    """A higher minor version and another certificate authority restart the database: scheduled for the window
    (PendingModifiedValues), not asked again while pending, applied at once only with rds_postgres_upgrade_immediately;
    a lower wanted version (the instance moved past it) changes nothing."""
    newer = {"rds_postgres_engine_version": "15.20", "rds_postgres_ca_certificate": "rds-ca-ecc384-g1"}
    scheduled = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars=newer)
    assert scheduled.rc == 0 and scheduled.changed == 1, scheduled.output[-5000:]
    modifies = [r for r in scheduled.requests if r["action"] == "ModifyDBInstance"]
    assert len(modifies) == 1
    (db,) = instances(emulator)
    assert (db["EngineVersion"], db["CACertificateIdentifier"]) == ("15.18", "rds-ca-rsa2048-g1")
    assert db["PendingModifiedValues"] == {"EngineVersion": "15.20", "CACertificateIdentifier": "rds-ca-ecc384-g1"}

    waiting = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars=newer)
    assert waiting.rc == 0 and waiting.changed == 0, waiting.output[-5000:]
    assert waiting.mutating == []
    # Another change while the upgrade waits does not drag it forward (ApplyImmediately would apply it with it).
    retention = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={**newer, "rds_postgres_backup_retention_days": 8})
    assert retention.rc == 0, retention.output[-5000:]
    (db,) = instances(emulator)
    assert db["EngineVersion"] == "15.18" and db["PendingModifiedValues"]["EngineVersion"] == "15.20"

    # With rds_postgres_upgrade_immediately a newer version is applied at once, and what was pending with it.
    now = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={
        **newer, "rds_postgres_engine_version": "15.21", "rds_postgres_upgrade_immediately": True})
    assert now.rc == 0, now.output[-5000:]
    (db,) = instances(emulator)
    assert (db["EngineVersion"], db["CACertificateIdentifier"], db["BackupRetentionPeriod"]) == ("15.21", "rds-ca-ecc384-g1", 7)
    assert not db.get("PendingModifiedValues")

    # The inventory's 15.18 is now below what the instance runs (as after an automatic minor upgrade): no downgrade.
    behind = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={"rds_postgres_ca_certificate": "rds-ca-ecc384-g1"})
    assert behind.rc == 0 and behind.changed == 0, behind.output[-5000:]
    assert behind.mutating == []
    assert instances(emulator)[0]["EngineVersion"] == "15.21"

    major = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={"rds_postgres_engine_version": "16.6"})
    assert major.rc != 0
    assert "runs PostgreSQL 15.21, rds_postgres_engine_version is 16.6: the role makes no major version upgrade" in flat(major.output)
    assert major.mutating == []

    # Back to the default certificate authority at once, so the other tests of this file start from the defaults (the
    # version stays 15.21: the default 15.18 is below it).
    back = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={"rds_postgres_upgrade_immediately": True})
    assert back.rc == 0 and back.changed == 1, back.output[-5000:]
    (db,) = instances(emulator)
    assert (db["EngineVersion"], db["CACertificateIdentifier"]) == ("15.21", "rds-ca-rsa2048-g1")
    assert not db.get("PendingModifiedValues")


TIERS = [
    {"name": "frontend", "app_port": 3000},
    {"name": "backend", "app_port": 8080, "secrets": {"DB_PASSWORD": f"{SECRET}:password", "DB_HOST": f"{SECRET}:host"}},
]


def test_secret_restricted_to_the_reading_tiers_and_the_deployer(emulator, deployment):
    """rds_postgres_secret_restricted: with the emulator's IAM evaluation on, the backend's instance role reads the
    secret, the frontend's cannot although its own policy allows every secret (the resource policy's explicit deny),
    the deployer converges again, and another administrator can still manage the policy (nobody locked out)."""
    iam = emulator.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    everything = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource": "*"}]}
    for tier in ("frontend", "backend"):
        role = f"local-atelier-{tier}-instance"
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
        iam.put_role_policy(RoleName=role, PolicyName="reads-every-secret", PolicyDocument=json.dumps(everything))
    restricted = {"rds_postgres_secret_restricted": True, "atelier_tiers": TIERS}
    another_admin = emulator.administrator("another-admin")  # made while enforcement is off (the dummy key)
    with emulator.iam_enforced() as admin:
        as_deployer = {**restricted, "atelier_aws": {"endpoint_url": emulator.url, "access_key": admin["aws_access_key_id"],
                                                     "secret_key": admin["aws_secret_access_key"]}}
        run = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars=as_deployer)
        assert run.rc == 0 and run.changed == 1, run.output[-5000:]
        assert [r["action"] for r in run.mutating] == ["PutResourcePolicy"]
        again = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars=as_deployer)
        assert again.rc == 0 and again.changed == 0, again.output[-5000:]
        assert again.mutating == [] and not [r for r in again.requests if "denied" in r]

        backend = emulator.client_as_role("secretsmanager", "local-atelier-backend-instance")
        assert json.loads(backend.get_secret_value(SecretId=SECRET)["SecretString"])["dbname"] == "goalsdb"
        frontend = emulator.client_as_role("secretsmanager", "local-atelier-frontend-instance")
        with pytest.raises(ClientError) as denied:
            frontend.get_secret_value(SecretId=SECRET)
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        assert "with an explicit deny in a resource-based policy" in denied.value.response["Error"]["Message"]

        other_admin = emulator.client_with(another_admin, "secretsmanager")
        with pytest.raises(ClientError) as not_named:
            other_admin.get_secret_value(SecretId=SECRET)
        assert "explicit deny in a resource-based policy" in not_named.value.response["Error"]["Message"]
        # ... but can repair or remove the policy: administrators are never locked out.
        assert "DeleteSecret" not in other_admin.get_resource_policy(SecretId=SECRET)["ResourcePolicy"]
    policy = json.loads(emulator.client("secretsmanager").get_resource_policy(SecretId=SECRET)["ResourcePolicy"])
    allowed = policy["Statement"][0]["Condition"]["StringNotLike"]["aws:PrincipalArn"]
    assert allowed == ["arn:aws:iam::123456789012:role/local-atelier-backend-instance", "arn:aws:iam::123456789012:root",
                       "arn:aws:iam::123456789012:user/atelier-admin"]

    lifted = emulator.playbook(PLAYBOOK, *ONLY_DB)
    assert lifted.rc == 0 and lifted.changed == 1, lifted.output[-5000:]
    assert [r["action"] for r in lifted.mutating] == ["DeleteResourcePolicy"]


ROTATION = "local-atelier-postgres-rotation"
ROTATION_GROUP = f"/aws/lambda/{ROTATION}"


def test_prod_rotation_by_the_roles_own_function(emulator, deployment):
    """Prod's switches (rotation and the restricted secret): the role deploys its rotation function with an execution
    role of exactly the rotation's permissions, lets Secrets Manager invoke it for this secret only, and the secret
    rotates every 30 days with it (the emulator records the rotation, it does not run the function: its four steps are
    tested in-process, tests/unit/test_rds_postgres_rotation_handler.py); a second run changes nothing and uploads no
    code. The teardown of test_delete_data_... removes the function, its role and its log group."""
    prod = {"rds_postgres_secret_rotation": True, "rds_postgres_secret_restricted": True, "atelier_tiers": TIERS}
    run = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars=prod)
    assert run.rc == 0 and run.changed > 0, run.output[-5000:]
    secrets, iam, lam = emulator.client("secretsmanager"), emulator.client("iam"), emulator.client("lambda")
    function = lam.get_function(FunctionName=ROTATION)["Configuration"]
    described = secrets.describe_secret(SecretId=SECRET)
    assert (described["RotationEnabled"], described["RotationLambdaARN"], described["RotationRules"]) == (
        True, function["FunctionArn"], {"AutomaticallyAfterDays": 30})
    assert (function["Runtime"], function["Handler"], function["Timeout"]) == ("python3.12", "index.lambda_handler", 300)
    assert function["Environment"]["Variables"] == {"DB_INSTANCE_IDENTIFIER": IDENTIFIER}
    assert function["Role"] == f"arn:aws:iam::123456789012:role/{ROTATION}"
    assert "VpcConfig" not in function or not function["VpcConfig"].get("SubnetIds")  # API calls only, no SQL session

    role = iam.get_role(RoleName=ROTATION)["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]
    assert iam.list_role_policies(RoleName=ROTATION)["PolicyNames"] == ["rotation"]
    assert iam.list_attached_role_policies(RoleName=ROTATION)["AttachedPolicies"] == []
    group = f"arn:aws:logs:us-east-1:123456789012:log-group:{ROTATION_GROUP}"
    assert iam.get_role_policy(RoleName=ROTATION, PolicyName="rotation")["PolicyDocument"]["Statement"] == [
        {"Sid": "RotateTheDatabaseSecret", "Effect": "Allow",
         "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                    "secretsmanager:UpdateSecretVersionStage"],
         "Resource": f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{SECRET}-??????"},
        {"Sid": "GenerateThePassword", "Effect": "Allow", "Action": "secretsmanager:GetRandomPassword", "Resource": "*"},
        {"Sid": "SetTheMasterPassword", "Effect": "Allow", "Action": ["rds:DescribeDBInstances", "rds:ModifyDBInstance"],
         "Resource": f"arn:aws:rds:us-east-1:123456789012:db:{IDENTIFIER}"},
        {"Sid": "WriteItsOwnLogGroup", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": [f"{group}:*", f"{group}:log-stream:*"]},
    ]
    (invoke,) = json.loads(lam.get_policy(FunctionName=ROTATION)["Policy"])["Statement"]
    assert invoke["Principal"] == {"Service": "secretsmanager.amazonaws.com"}
    assert invoke["Condition"]["ArnLike"]["AWS:SourceArn"] == f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{SECRET}-??????"
    assert [g["logGroupName"] for g in emulator.client("logs").describe_log_groups(
        logGroupNamePrefix=ROTATION_GROUP)["logGroups"]] == [ROTATION_GROUP]
    # The restricted secret lets the function's role use it, besides the reading tier and the deployer.
    policy = json.loads(secrets.get_resource_policy(SecretId=SECRET)["ResourcePolicy"])
    assert f"arn:aws:iam::123456789012:role/{ROTATION}" in policy["Statement"][0]["Condition"]["StringNotLike"]["aws:PrincipalArn"]

    again = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars=prod)
    assert again.rc == 0 and again.changed == 0, again.output[-5000:]
    assert again.mutating == []
    assert not [r for r in again.requests if r["action"] in ("UpdateFunctionCode", "CreateFunction", "RotateSecret")]


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
    # The stack's settings at its teardown: it rotates (test_prod_rotation_...), so the rotation function goes too.
    purge = emulator.playbook(PLAYBOOK, *ONLY_DB, extra_vars={"rds_postgres_state": "absent", "rds_postgres_delete_data": True,
                                                              "rds_postgres_secret_rotation": True})
    assert purge.rc == 0, purge.output[-5000:]
    assert instances(emulator) == []
    (snapshot,) = snapshots(emulator)
    assert re.fullmatch(rf"{IDENTIFIER}-final-\d{{14}}", snapshot)
    assert f"{snapshot} (final DB snapshot of {IDENTIFIER}" in flat(purge.output)
    described = emulator.client("secretsmanager").describe_secret(SecretId=SECRET)
    assert "DeletedDate" in described  # scheduled for deletion (7-day recovery window)
    # The rotation function (test_prod_rotation_...), its role and its log group go with the secret.
    assert ROTATION not in [f["FunctionName"] for f in emulator.client("lambda").list_functions()["Functions"]]
    assert ROTATION not in [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]]
    assert emulator.client("logs").describe_log_groups(logGroupNamePrefix=ROTATION_GROUP)["logGroups"] == []

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
