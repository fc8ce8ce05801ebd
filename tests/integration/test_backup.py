"""The data layer's AWS Backup plan against the emulator (roles/backup through site.yml and playbooks/teardown.yml,
inventories/local with atelier_backup_enabled): the vault, the daily plan and the selection of the stack's data stores
read back through the AWS Backup and IAM APIs, a second run and check mode without a mutating call, the role's trust
policy evaluated for AWS Backup of this account and of another, and a teardown that keeps the vault while it holds
recovery points unless asked.
"""

import pytest

# inventories/local: environment local, stack atelier.
PREFIX = "local-atelier"
ROLE = f"{PREFIX}-backup"
ACCOUNT = "123456789012"
ON = {"atelier_backup_enabled": True}


@pytest.fixture(scope="module")
def deployed(emulator):
    """An empty account, then the stack's table and its backup plan."""
    emulator.reset()
    run = emulator.playbook("site.yml", "--tags", "dynamodb_global,backup", extra_vars=ON)
    assert run.rc == 0, run.output
    return run


def _selection(backup, plan_id):
    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert [s["SelectionName"] for s in listed] == [f"{PREFIX}-data"]
    return backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=listed[0]["SelectionId"])["BackupSelection"]


def test_the_plan_backs_up_the_stacks_data_stores_daily_into_its_vault(emulator, deployed):
    backup = emulator.client("backup")
    vault = backup.describe_backup_vault(BackupVaultName=PREFIX)
    assert backup.list_tags(ResourceArn=vault["BackupVaultArn"])["Tags"]["atelier:stack"] == "atelier"

    plans = [p for p in backup.list_backup_plans()["BackupPlansList"] if p["BackupPlanName"] == PREFIX]
    assert len(plans) == 1
    rules = backup.get_backup_plan(BackupPlanId=plans[0]["BackupPlanId"])["BackupPlan"]["Rules"]
    assert [(r["TargetBackupVaultName"], r["ScheduleExpression"], r["Lifecycle"]["DeleteAfterDays"]) for r in rules] == [
        (PREFIX, "cron(0 5 ? * * *)", 35)
    ]

    selection = _selection(backup, plans[0]["BackupPlanId"])
    assert selection["IamRoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"
    assert sorted(selection["Resources"]) == ["arn:aws:dynamodb:*:*:table/*", "arn:aws:ec2:*:*:volume/*", "arn:aws:rds:*:*:db:*"]
    conditions = {c["ConditionKey"]: c["ConditionValue"] for c in selection["Conditions"]["StringEquals"]}
    # The stack's table carries exactly the tags the selection asks for: AWS Backup picks it.
    table = emulator.client("dynamodb").describe_table(TableName=f"{PREFIX}-AtelierDB")["Table"]
    tags = {t["Key"]: t["Value"] for t in emulator.client("dynamodb").list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]}
    assert conditions == {"aws:ResourceTag/atelier:env": tags["atelier:env"], "aws:ResourceTag/atelier:stack": tags["atelier:stack"]}
    assert conditions == {"aws:ResourceTag/atelier:env": "local", "aws:ResourceTag/atelier:stack": "atelier"}

    iam = emulator.client("iam")
    attached = sorted(p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"])
    assert attached == ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]


def test_only_aws_backup_of_this_account_may_assume_the_role(emulator, deployed):
    mine = emulator.role_credentials(
        ROLE, "backup.amazonaws.com", source_account=ACCOUNT, source_arn=f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:{PREFIX}"
    )
    assert mine["role_arn"] == f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"
    with pytest.raises(PermissionError):
        emulator.role_credentials(
            ROLE, "backup.amazonaws.com", source_account="210987654321", source_arn="arn:aws:backup:us-east-1:210987654321:backup-vault:x"
        )
    with pytest.raises(PermissionError):
        emulator.role_credentials(ROLE, "backup.amazonaws.com")
    with pytest.raises(PermissionError):
        emulator.role_credentials(ROLE, "ec2.amazonaws.com", source_account=ACCOUNT)


def test_a_second_run_changes_nothing(emulator, deployed):
    run = emulator.playbook("site.yml", "--tags", "backup", extra_vars=ON)
    assert run.rc == 0 and run.changed == 0, run.output
    assert run.mutating == []


def test_check_mode_on_the_converged_plan_plans_nothing(emulator, deployed):
    # amazon.aws.backup_plan alone reports the tagged plan as changed in check mode (atelier.infra.backup_plan_changed).
    run = emulator.playbook("site.yml", "--tags", "backup", "--check", extra_vars=ON)
    assert run.rc == 0 and run.changed == 0, run.output
    assert run.mutating == []


def test_check_mode_plans_a_retention_change_without_calling(emulator, deployed):
    run = emulator.playbook("site.yml", "--tags", "backup", "--check", extra_vars=dict(ON, backup_retention_days=90))
    assert run.rc == 0 and run.changed >= 1, run.output
    assert run.mutating == []


def test_bad_input_fails_before_any_aws_call(emulator, deployed):
    run = emulator.playbook("site.yml", "--tags", "backup", extra_vars=dict(ON, backup_cold_storage_after_days=30, backup_retention_days=60))
    assert run.rc != 0
    assert "backup_retention_days (60) must be at least backup_cold_storage_after_days + 90 (120)" in run.output
    assert [r for r in run.requests if r["service"] == "backup"] == []


def test_switched_off_the_layer_makes_no_backup_call(emulator, deployed):
    run = emulator.playbook("site.yml", "--tags", "backup")
    assert run.rc == 0, run.output
    assert [r for r in run.requests if r["service"] in ("backup", "iam")] == []


def test_teardown_keeps_the_vault_with_recovery_points_unless_asked(emulator, deployed):
    backup = emulator.client("backup")
    table = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{PREFIX}-AtelierDB"
    backup.start_backup_job(BackupVaultName=PREFIX, ResourceArn=table, IamRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{ROLE}")

    keep = emulator.playbook("playbooks/teardown.yml", "--tags", "backup")
    assert keep.rc == 0, keep.output
    assert f"{PREFIX} (AWS Backup vault: holds 1 recovery points" in " ".join(keep.output.split())
    assert backup.describe_backup_vault(BackupVaultName=PREFIX)["NumberOfRecoveryPoints"] == 1
    assert [p for p in backup.list_backup_plans()["BackupPlansList"] if p["BackupPlanName"] == PREFIX] == []
    assert ROLE not in [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]]
    assert [r["action"] for r in keep.mutating if r["action"].startswith("DELETE /backup-vaults/")] == []

    purge = emulator.playbook("playbooks/teardown.yml", "--tags", "backup", extra_vars={"atelier_teardown_delete_data": True})
    assert purge.rc == 0, purge.output
    names = [v["BackupVaultName"] for v in backup.list_backup_vaults()["BackupVaultList"]]
    assert PREFIX not in names
    assert "Nothing was kept." in purge.output
