# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the rds_postgres role's logic: the input checks (windows included), the upgrade plan, the secret's
resource policy and the teardown's kept list."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import rds_postgres_role as role

# The role's defaults (roles/rds_postgres/defaults/main.yml) with the names made.
DEFAULTS = {
    "rds_postgres_state": "present",
    "rds_postgres_region": "us-east-1",
    "rds_postgres_identifier": "dev-shop-postgres",
    "rds_postgres_vpc_name": "dev-shop",
    "rds_postgres_subnet_tier": "database",
    "rds_postgres_security_group": "dev-shop-database",
    "rds_postgres_engine_version": "15.18",
    "rds_postgres_auto_minor_version_upgrade": True,
    "rds_postgres_upgrade_immediately": False,
    "rds_postgres_ca_certificate": "rds-ca-rsa2048-g1",
    "rds_postgres_iam_auth": False,
    "rds_postgres_instance_class": "db.t3.micro",
    "rds_postgres_allocated_storage": 20,
    "rds_postgres_max_allocated_storage": 0,
    "rds_postgres_storage_type": "gp3",
    "rds_postgres_kms_key_id": "",
    "rds_postgres_db_name": "goalsdb",
    "rds_postgres_master_username": "postgres",
    "rds_postgres_port": 5432,
    "rds_postgres_multi_az": False,
    "rds_postgres_backup_retention_days": 7,
    "rds_postgres_backup_window": "03:00-03:30",
    "rds_postgres_maintenance_window": "sun:04:00-sun:04:30",
    "rds_postgres_log_exports": ["postgresql", "upgrade"],
    "rds_postgres_performance_insights": False,
    "rds_postgres_performance_insights_retention": 7,
    "rds_postgres_monitoring_interval": 0,
    "rds_postgres_monitoring_role_name": "dev-shop-postgres-monitoring",
    "rds_postgres_deletion_protection": True,
    "rds_postgres_final_snapshot": True,
    "rds_postgres_parameters": {},
    "rds_postgres_secret_name": "dev-shop-db-credentials",
    "rds_postgres_secret_recovery_days": 7,
    "rds_postgres_secret_restricted": False,
    "rds_postgres_secret_admin_principals": [],
    "rds_postgres_secret_rotation": False,
    "rds_postgres_secret_rotation_days": 30,
    "rds_postgres_secret_rotation_lambda_arn": "",
    "rds_postgres_secret_rotation_function_name": "dev-shop-postgres-rotation",
    "rds_postgres_delete_data": False,
    "rds_postgres_tags": {},
    "rds_postgres_wait_timeout": 2400,
    # Not an input the checks read (a fact of an earlier run): ignored.
    "rds_postgres_outputs": {"identifier": "dev-shop-postgres"},
}


def errors(**changes):
    return role.errors(dict(DEFAULTS, **{f"rds_postgres_{k}": v for k, v in changes.items()}))


def test_the_defaults_are_fine():
    assert role.errors(DEFAULTS) == []


@pytest.mark.parametrize(
    "changes",
    [
        dict(identifier="a"),
        dict(identifier="A" + "b-c" * 20 + "d"),
        dict(engine_version="13.4"),
        dict(engine_version="17.2"),
        dict(instance_class="db.r6g.2xlarge"),
        dict(storage_type="io1", allocated_storage=100),
        dict(storage_type="standard", allocated_storage=5),
        dict(allocated_storage=65536),
        dict(max_allocated_storage=20),
        dict(max_allocated_storage="1000"),
        dict(backup_retention_days=0),
        dict(backup_retention_days="35"),
        dict(multi_az=True, backup_retention_days=1),
        dict(backup_window="23:45-00:15"),
        dict(maintenance_window="SUN:04:00-SUN:04:30"),
        dict(maintenance_window="sun:23:50-mon:00:20", backup_window="03:00-03:30"),
        dict(maintenance_window="mon:03:30-mon:04:00"),
        dict(performance_insights=True, performance_insights_retention=731),
        dict(performance_insights=True, performance_insights_retention=713),
        dict(performance_insights=True, performance_insights_retention=31),
        dict(performance_insights=False, performance_insights_retention=8),
        dict(master_username="app_admin"),
        dict(port=1150),
        dict(port="65535"),
        dict(secret_recovery_days=0),
        dict(secret_recovery_days=30),
        dict(monitoring_interval=60, monitoring_role_name="r" * 64),
        dict(monitoring_interval=0, monitoring_role_name="r" * 65),
    ],
)
def test_accepted(changes):
    assert errors(**changes) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(identifier="1db"), "rds_postgres_identifier must be 1-63 letters, digits and hyphens, start with a letter,"
                                 " without two hyphens in a row or a trailing hyphen, got 1db"),
        (dict(identifier="db--x"), "got db--x"),
        (dict(identifier="db-"), "got db-"),
        (dict(identifier="d" * 64), "rds_postgres_identifier must be 1-63"),
        (dict(identifier="db_x"), "got db_x"),
        (dict(engine_version="12.9"), "rds_postgres_engine_version must be a PostgreSQL 13 to 17 minor version such as 15.5, got 12.9"),
        (dict(engine_version="15"), "got 15"),
        (dict(instance_class="t3.micro"),
         "rds_postgres_instance_class must look like db.<family>.<size> (for example db.t3.micro), got t3.micro"),
        (dict(allocated_storage=19), "rds_postgres_allocated_storage must be 20 to 65536 GiB for gp3, got 19"),
        (dict(storage_type="io2", allocated_storage=99), "must be 100 to 65536 GiB for io2, got 99"),
        (dict(storage_type="standard", allocated_storage=4), "must be 5 to 65536 GiB for standard, got 4"),
        (dict(allocated_storage=65537), "got 65537"),
        (dict(allocated_storage="lots"), "rds_postgres_allocated_storage must be 20 to 65536 GiB for gp3, got lots"),
        (dict(max_allocated_storage=19),
         "rds_postgres_max_allocated_storage must be 0 (no autoscaling) or between rds_postgres_allocated_storage (20) and 65536, got 19"),
        (dict(max_allocated_storage=70000), "got 70000"),
        (dict(backup_retention_days=36), "rds_postgres_backup_retention_days must be 0 to 35, got 36"),
        (dict(backup_retention_days=-1), "rds_postgres_backup_retention_days must be 0 to 35, got -1"),
        (dict(multi_az=True, backup_retention_days=0),
         "rds_postgres_multi_az needs automated backups: set rds_postgres_backup_retention_days to 1-35"),
        (dict(multi_az="yes", backup_retention_days="0"), "rds_postgres_multi_az needs automated backups"),
        (dict(backup_window="3:00-03:30"),
         "rds_postgres_backup_window must be hh:mm-hh:mm in UTC (for example 03:00-03:30), got 3:00-03:30"),
        (dict(backup_window="24:00-00:30"), "got 24:00-00:30"),
        (dict(backup_window="03:00-03:29"), "rds_postgres_backup_window must last at least 30 minutes, got 03:00-03:29"),
        (dict(backup_window="23:50-00:10"), "rds_postgres_backup_window must last at least 30 minutes, got 23:50-00:10"),
        (dict(maintenance_window="sun:04:00"),
         "rds_postgres_maintenance_window must be ddd:hh:mm-ddd:hh:mm in UTC (for example sun:04:00-sun:04:30), got sun:04:00"),
        (dict(maintenance_window="sun:04:00-sun:04:20"),
         "rds_postgres_maintenance_window must last at least 30 minutes, got sun:04:00-sun:04:20"),
        (dict(maintenance_window="sun:23:50-mon:00:10"), "must last at least 30 minutes, got sun:23:50-mon:00:10"),
        (dict(maintenance_window="mon:03:15-mon:03:45"),
         "rds_postgres_maintenance_window mon:03:15-mon:03:45 overlaps the daily rds_postgres_backup_window 03:00-03:30"),
        (dict(maintenance_window="Tue:02:45-tue:03:15"), "Tue:02:45-tue:03:15 overlaps the daily rds_postgres_backup_window"),
        # The backup window crosses midnight: it meets a maintenance window early on any day.
        (dict(backup_window="23:45-00:15", maintenance_window="wed:00:00-wed:00:30"), "overlaps the daily"),
        # The maintenance window wraps from Sunday into Monday, over Monday's backups.
        (dict(backup_window="00:00-00:30", maintenance_window="sun:23:45-mon:00:15"), "overlaps the daily"),
        (dict(performance_insights=True, performance_insights_retention=30),
         "rds_postgres_performance_insights_retention must be 7, 31 * months (1-23 months: 31, 62, ... 713) or 731 days, got 30"),
        (dict(performance_insights=True, performance_insights_retention=744), "got 744"),
        (dict(db_name="1goals"), "rds_postgres_db_name must be 1-63 letters, digits and underscores starting with a letter, got 1goals"),
        (dict(db_name="goals-db"), "got goals-db"),
        (dict(master_username="Admin"),
         "rds_postgres_master_username must be 1-63 letters, digits and underscores starting with a letter, not a reserved"
         " word (rdsadmin, admin, root), got Admin"),
        (dict(master_username="root"), "got root"),
        (dict(master_username="db-user"), "got db-user"),
        (dict(port=1149), "rds_postgres_port must be 1150 to 65535, got 1149"),
        (dict(port=65536), "rds_postgres_port must be 1150 to 65535, got 65536"),
        (dict(secret_recovery_days=6), "rds_postgres_secret_recovery_days must be 0 (delete at once) or 7 to 30, got 6"),
        (dict(secret_recovery_days=31), "got 31"),
        (dict(monitoring_interval=60, monitoring_role_name="r" * 65), "rds_postgres_monitoring_role_name must be 1 to 64 characters"),
        (dict(wait_timeout=0), "rds_postgres_wait_timeout must be a positive number of seconds, got 0"),
    ],
)
def test_refused(changes, message):
    found = errors(**changes)
    assert len(found) == 1, found
    assert message in found[0]


def test_every_problem_is_reported_at_once():
    found = errors(backup_retention_days=36, instance_class="t3.micro", port=80, backup_window="x")
    assert [m.split(" ")[0] for m in found] == [
        "rds_postgres_instance_class",
        "rds_postgres_backup_retention_days",
        "rds_postgres_backup_window",
        "rds_postgres_port",
    ]


def test_missing_inputs_are_reported_not_raised():
    found = role.errors({})
    assert any(m.startswith("rds_postgres_identifier") for m in found)
    assert any(m.startswith("rds_postgres_backup_window") for m in found)


@pytest.mark.parametrize(
    "backup, maintenance, overlap",
    [
        ((180, 210), (6 * 1440 + 240, 6 * 1440 + 270), False),
        ((180, 210), (195, 225), True),
        ((180, 210), (210, 240), False),  # back to back
        ((150, 180), (180, 210), False),
        ((1425, 1455), (2 * 1440, 2 * 1440 + 30), True),
        ((0, 30), (6 * 1440 + 1425, 7 * 1440 + 15), True),
        ((60, 90), (6 * 1440 + 1425, 7 * 1440 + 15), False),
    ],
)
def test_windows_overlap(backup, maintenance, overlap):
    assert role.windows_overlap(backup, maintenance) is overlap


def test_window_minutes():
    assert role.backup_minutes("03:00-03:30") == (180, 210)
    assert role.backup_minutes("23:45-00:15") == (1425, 1455)
    assert role.backup_minutes("3:00-03:30") is None
    assert role.maintenance_minutes("Mon:00:00-mon:00:30") == (0, 30)
    assert role.maintenance_minutes("sun:23:45-mon:00:15") == (6 * 1440 + 1425, 7 * 1440 + 15)
    assert role.maintenance_minutes("sun:04:00") is None


# ---- kept ----

INSTANCE_KEPT = (
    "dev-shop-postgres (RDS PostgreSQL instance in us-east-1: holds data and has deletion protection; set"
    " rds_postgres_delete_data or atelier_teardown_delete_data to delete it, with a final snapshot unless"
    " rds_postgres_final_snapshot is false; its subnet group, parameter group and monitoring role stay with it)"
)
SECRET_KEPT = (
    "dev-shop-db-credentials (Secrets Manager secret in us-east-1: the database credentials; deleted with"
    " rds_postgres_delete_data)"
)
SNAPSHOT_KEPT = (
    "dev-shop-postgres-final-20250101000000 (final DB snapshot of dev-shop-postgres in us-east-1: delete it when it is"
    " no longer needed)"
)


@pytest.mark.parametrize(
    "delete_data, instance, secret, snapshot, expected",
    [
        (False, True, True, "", [INSTANCE_KEPT, SECRET_KEPT]),
        (False, True, False, "", [INSTANCE_KEPT]),
        (False, False, True, "", [SECRET_KEPT]),
        (False, False, False, "", []),
        (True, True, True, "dev-shop-postgres-final-20250101000000", [SNAPSHOT_KEPT]),
        (True, True, True, "", []),
        ("false", True, False, "", [INSTANCE_KEPT]),
    ],
)
def test_kept(delete_data, instance, secret, snapshot, expected):
    inputs = dict(DEFAULTS, rds_postgres_delete_data=delete_data)
    assert role.kept(inputs, instance, secret, snapshot) == expected


LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:SecretsManagerRDSPostgreSQLRotationSingleUser"


@pytest.mark.parametrize(
    "changes",
    [
        dict(ca_certificate="rds-ca-rsa4096-g1"),
        dict(ca_certificate="rds-ca-ecc384-g1"),
        dict(ca_certificate="rds-ca-rsa2048-g2"),
        dict(iam_auth=True),
        dict(iam_auth=True, parameters={"rds.force_ssl": 1, "log_connections": 1}),
        dict(iam_auth=False, parameters={"rds.force_ssl": 0}),
        dict(secret_rotation_days=30, secret_rotation_lambda_arn=LAMBDA),
        dict(secret_rotation_days="1", secret_rotation_lambda_arn=LAMBDA + ":live"),
        dict(secret_rotation=True),
        dict(secret_rotation="yes", secret_rotation_days="1000"),
        # Off: the days and the function's name are not read.
        dict(secret_rotation=False, secret_rotation_days=0, secret_rotation_function_name=""),
        dict(secret_admin_principals=["arn:aws:iam::123456789012:role/awx-deployer", "arn:aws:iam::123456789012:user/ops-*"]),
        dict(secret_admin_principals=None),
    ],
)
def test_posture_accepted(changes):
    assert errors(**changes) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(ca_certificate="rds-ca-2019"), "rds_postgres_ca_certificate must be a current RDS certificate authority "
         "(rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1 or a later generation), got rds-ca-2019"),
        (dict(ca_certificate="rds-ca-rsa2048-g0"), "got rds-ca-rsa2048-g0"),
        (dict(iam_auth="true", parameters={"rds.force_ssl": "0"}),
         "rds_postgres_iam_auth needs TLS connections (an IAM authentication token is only accepted over SSL): keep "
         "rds.force_ssl at 1 in rds_postgres_parameters"),
        (dict(secret_rotation=True, secret_rotation_days=0),
         "rds_postgres_secret_rotation_days must be 1 to 1000 when the secret rotates (rds_postgres_secret_rotation or "
         "rds_postgres_secret_rotation_lambda_arn), got 0"),
        (dict(secret_rotation_days=30, secret_rotation_lambda_arn="SecretsManagerRotation"),
         "rds_postgres_secret_rotation_lambda_arn must be the ARN of a Lambda function (arn:aws:lambda:<region>:<account>:function:<name>), "
         "got SecretsManagerRotation"),
        (dict(secret_rotation_days=1001, secret_rotation_lambda_arn=LAMBDA), "must be 1 to 1000 when the secret rotates"),
        (dict(secret_rotation=True, secret_rotation_function_name="x" * 65),
         "rds_postgres_secret_rotation_function_name must be 1 to 64 letters, digits, hyphens and underscores"),
        (dict(secret_admin_principals=["deployer"]), "rds_postgres_secret_admin_principals must be a list of IAM user or role ARNs"),
        (dict(secret_admin_principals="arn:aws:iam::123456789012:root"), "must be a list"),
    ],
)
def test_posture_refused(changes, message):
    found = errors(**changes)
    assert len(found) == 1, found
    assert message in found[0]


INSTANCE = {"db_instance_identifier": "dev-shop-postgres", "engine_version": "15.18",
            "ca_certificate_identifier": "rds-ca-rsa2048-g1", "pending_modified_values": {}}


def plan(instance, **changes):
    return role.upgrade_plan(dict(DEFAULTS, **{f"rds_postgres_{k}": v for k, v in changes.items()}), instance)


def test_a_new_instance_gets_the_version_and_certificate_authority_at_creation():
    assert plan({}) == {"create": {"engine_version": "15.18", "ca_certificate_identifier": "rds-ca-rsa2048-g1"},
                        "upgrade": {}, "apply_immediately": False, "converge_immediately": True, "current": "", "errors": []}


@pytest.mark.parametrize(
    "instance, changes, upgrade, immediately, converge_immediately",
    [
        # In step: nothing to do.
        (INSTANCE, {}, {}, False, True),
        # An older minor version is upgraded, in the maintenance window by default.
        (dict(INSTANCE, engine_version="15.5"), {}, {"engine_version": "15.18"}, False, True),
        (dict(INSTANCE, engine_version="15.5"), {"upgrade_immediately": True}, {"engine_version": "15.18"}, True, True),
        # 15.9 < 15.18 (numbers, not strings).
        (dict(INSTANCE, engine_version="15.9"), {}, {"engine_version": "15.18"}, False, True),
        # Automatic minor upgrades moved the instance past the wanted version: never a downgrade.
        (dict(INSTANCE, engine_version="15.20"), {}, {}, False, True),
        # Already pending (AWS waits for the window): not asked again, and the converge must not apply it now.
        (dict(INSTANCE, engine_version="15.5", pending_modified_values={"engine_version": "15.18"}), {}, {}, False, False),
        (dict(INSTANCE, engine_version="15.5", pending_modified_values={"engine_version": "15.18"}),
         {"upgrade_immediately": True}, {}, True, True),
        # Another certificate authority is a restarting change too.
        (dict(INSTANCE, ca_certificate_identifier="rds-ca-2019"), {}, {"ca_certificate_identifier": "rds-ca-rsa2048-g1"}, False, True),
        (dict(INSTANCE, ca_certificate_identifier="rds-ca-2019", pending_modified_values={"ca_certificate_identifier": "rds-ca-rsa2048-g1"}),
         {}, {}, False, False),
        (dict(INSTANCE, engine_version="15.5", ca_certificate_identifier="rds-ca-2019"), {"ca_certificate": "rds-ca-ecc384-g1"},
         {"engine_version": "15.18", "ca_certificate_identifier": "rds-ca-ecc384-g1"}, False, True),
    ],
    ids=["in-step", "older", "older-now", "numeric", "newer", "pending", "pending-now", "ca", "ca-pending", "both"],
)
def test_upgrade_plan_of_an_existing_instance(instance, changes, upgrade, immediately, converge_immediately):
    found = plan(instance, **changes)
    assert found["create"] == {}
    assert found["upgrade"] == upgrade
    assert found["apply_immediately"] is immediately
    assert found["converge_immediately"] is converge_immediately
    assert found["errors"] == []


def test_upgrade_plan_refuses_another_major_version():
    found = plan(dict(INSTANCE, engine_version="14.12"))
    assert found["upgrade"] == {}
    assert found["errors"] == [
        "the instance dev-shop-postgres runs PostgreSQL 14.12, rds_postgres_engine_version is 15.18: the role makes no "
        "major version upgrade (test it on a copy, then upgrade with allow_major_version_upgrade, or keep the major version)"
    ]


@pytest.mark.parametrize(
    "text, expected",
    [("15.18", (15, 18)), ("15.9", (15, 9)), ("11.22-rds.20241121", (11, 22)), ("16", (16,)), ("", ()), (None, ())],
)
def test_version_tuple(text, expected):
    assert role.version_tuple(text) == expected


@pytest.mark.parametrize(
    "caller, expected",
    [
        ("arn:aws:iam::123456789012:user/deployer", ["arn:aws:iam::123456789012:user/deployer", "arn:aws:iam::123456789012:root"]),
        ("arn:aws:sts::123456789012:assumed-role/AWX-Deploy/i-0abc",
         ["arn:aws:iam::123456789012:role/AWX-Deploy", "arn:aws:iam::123456789012:role/*/AWX-Deploy",
          "arn:aws:iam::123456789012:root"]),
        ("arn:aws-us-gov:sts::123456789012:assumed-role/r/s",
         ["arn:aws-us-gov:iam::123456789012:role/r", "arn:aws-us-gov:iam::123456789012:role/*/r",
          "arn:aws-us-gov:iam::123456789012:root"]),
        ("arn:aws:iam::123456789012:root", ["arn:aws:iam::123456789012:root"]),
        ("arn:aws:sts::123456789012:federated-user/bob", []),
        ("deployer", []),
    ],
)
def test_caller_principals(caller, expected):
    assert role.caller_principals(caller) == expected


TIERS = [
    {"name": "frontend", "image": "web:1"},
    {"name": "backend", "secrets": {"DB_PASSWORD": "dev-shop-db-credentials:password", "DB_HOST": "dev-shop-db-credentials:host"}},
    {"name": "worker", "grants": [{"kind": "secret", "name": "db-credentials"}]},
    {"name": "reporting", "secrets": {"DB": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev-shop-db-credentials-AbCdEf:password"}},
    {"name": "other", "secrets": {"TOKEN": "dev-shop-api-token"}, "grants": [{"kind": "dynamodb_table", "name": "db-credentials"}]},
    {"name": "lookalike", "secrets": {"DB": "dev-shop-db-credentials-old:password",
                                      "DB2": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev-shop-db-credentials-old-AbCdEf"}},
    "not a tier",
]


def test_secret_readers_are_the_tiers_that_name_or_are_granted_the_secret():
    assert role.secret_readers(TIERS, "dev-shop", "dev-shop-db-credentials", "123456789012") == [
        "arn:aws:iam::123456789012:role/dev-shop-backend-instance",
        "arn:aws:iam::123456789012:role/dev-shop-reporting-instance",
        "arn:aws:iam::123456789012:role/dev-shop-worker-instance",
    ]
    assert role.secret_readers(TIERS, "dev-shop", "dev-shop-db-credentials", "1", "aws-cn")[0].startswith("arn:aws-cn:")
    assert role.secret_readers([], "dev-shop", "dev-shop-db-credentials", "1") == []


def test_secret_policy_denies_everyone_but_the_readers_and_the_deployer():
    deployer = role.caller_principals("arn:aws:sts::123456789012:assumed-role/deployer/s")
    policy = role.secret_policy(["arn:aws:iam::123456789012:role/dev-shop-backend-instance"], deployer,
                                ["arn:aws:iam::123456789012:user/ops"])
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyEveryoneButTheReadingTiersAndTheDeployer",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            # Describing the secret and managing this policy stay with everybody's IAM permissions: an administrator the
            # policy does not name can always repair or remove it (nobody is locked out for good).
            "NotAction": ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
                          "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy"],
            "Resource": "*",
            "Condition": {"StringNotLike": {"aws:PrincipalArn": [
                "arn:aws:iam::123456789012:role/*/deployer",
                "arn:aws:iam::123456789012:role/deployer",
                "arn:aws:iam::123456789012:role/dev-shop-backend-instance",
                "arn:aws:iam::123456789012:root",
                "arn:aws:iam::123456789012:user/ops",
            ]}},
        }],
    }


def rotation(**changes):
    return role.rotation(dict(DEFAULTS, **{f"rds_postgres_{k}": v for k, v in changes.items()}), "123456789012")


def test_no_rotation_by_default_outside_prod():
    assert rotation()["enabled"] is False and rotation()["own"] is False


def test_the_roles_own_rotation_function_and_its_exact_policy():
    own = rotation(secret_rotation=True)
    assert (own["enabled"], own["own"], own["days"]) == (True, True, 30)
    assert own["lambda_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:dev-shop-postgres-rotation"
    assert own["role_arn"] == "arn:aws:iam::123456789012:role/dev-shop-postgres-rotation"
    assert own["log_group"] == "/aws/lambda/dev-shop-postgres-rotation"
    assert own["trust"] == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]}
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/dev-shop-postgres-rotation"
    assert own["policy"]["Statement"] == [
        {"Sid": "RotateTheDatabaseSecret", "Effect": "Allow",
         "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                    "secretsmanager:UpdateSecretVersionStage"],
         "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dev-shop-db-credentials-??????"},
        {"Sid": "GenerateThePassword", "Effect": "Allow", "Action": "secretsmanager:GetRandomPassword", "Resource": "*"},
        {"Sid": "SetTheMasterPassword", "Effect": "Allow", "Action": ["rds:DescribeDBInstances", "rds:ModifyDBInstance"],
         "Resource": "arn:aws:rds:us-east-1:123456789012:db:dev-shop-postgres"},
        {"Sid": "WriteItsOwnLogGroup", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": [f"{group}:*", f"{group}:log-stream:*"]},
    ]


def test_a_users_rotation_function_wins():
    users = rotation(secret_rotation=True, secret_rotation_lambda_arn=LAMBDA, secret_rotation_days=7)
    assert (users["enabled"], users["own"], users["lambda_arn"], users["days"]) == (True, False, LAMBDA, 7)
    # A function ARN alone turns rotation on (as before the role had its own function).
    assert rotation(secret_rotation_lambda_arn=LAMBDA)["enabled"] is True
