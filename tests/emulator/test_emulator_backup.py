"""The emulator's AWS Backup additions (``backup_selections``, ``backup_vaults``), seen through boto3.

Each test fails against plain moto; check with
``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest tests/emulator/test_emulator_backup.py``.
"""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import unique

ROLE = "arn:aws:iam::123456789012:role/backup"
CONDITIONS = {"StringEquals": [{"ConditionKey": "aws:ResourceTag/atelier:stack", "ConditionValue": "s"}]}


def _plan(backup, name: str, days: int = 35) -> str:
    rule = {"RuleName": "daily", "TargetBackupVaultName": "v", "Lifecycle": {"DeleteAfterDays": days}}
    return backup.create_backup_plan(BackupPlan={"BackupPlanName": name, "Rules": [rule]})["BackupPlanId"]


def test_a_selection_by_tag_conditions_is_created_listed_read_and_deleted(emulator):
    """backup_selections: the four selection operations, AWS's empty defaults, unknown ids not found."""
    backup = emulator.client("backup")
    plan_id = _plan(backup, unique("plan"))
    selection = {
        "SelectionName": "stack",
        "IamRoleArn": ROLE,
        "Resources": ["arn:aws:dynamodb:*:*:table/*"],
        "Conditions": CONDITIONS,
    }
    created = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection)
    assert created["BackupPlanId"] == plan_id

    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert [(s["SelectionId"], s["SelectionName"], s["IamRoleArn"]) for s in listed] == [
        (created["SelectionId"], "stack", ROLE)
    ]

    got = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert got["BackupSelection"]["Resources"] == ["arn:aws:dynamodb:*:*:table/*"]
    assert got["BackupSelection"]["ListOfTags"] == [] and got["BackupSelection"]["NotResources"] == []
    assert got["BackupSelection"]["Conditions"] == {
        "StringEquals": CONDITIONS["StringEquals"],
        "StringNotEquals": [],
        "StringLike": [],
        "StringNotLike": [],
    }

    with pytest.raises(ClientError) as missing:
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId="no-such-selection")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"

    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"] == []


def test_a_plan_with_selections_is_not_deleted_and_a_deleted_plan_frees_its_name(emulator):
    """backup_selections: DeleteBackupPlan refused while a selection exists; the name reusable once deleted."""
    backup = emulator.client("backup")
    name = unique("plan")
    plan_id = _plan(backup, name)
    selection_id = backup.create_backup_selection(
        BackupPlanId=plan_id, BackupSelection={"SelectionName": "s", "IamRoleArn": ROLE}
    )["SelectionId"]
    with pytest.raises(ClientError) as refused:
        backup.delete_backup_plan(BackupPlanId=plan_id)
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    assert backup.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]["BackupPlanName"] == name

    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    backup.delete_backup_plan(BackupPlanId=plan_id)
    again = _plan(backup, name)
    assert again != plan_id
    names = [p["BackupPlanName"] for p in backup.list_backup_plans()["BackupPlansList"]]
    assert names.count(name) == 1


def test_update_backup_plan_replaces_the_rules_with_a_new_version(emulator):
    """backup_selections: UpdateBackupPlan."""
    backup = emulator.client("backup")
    name = unique("plan")
    plan_id = _plan(backup, name, days=35)
    before = backup.get_backup_plan(BackupPlanId=plan_id)["VersionId"]
    rule = {"RuleName": "daily", "TargetBackupVaultName": "v", "Lifecycle": {"DeleteAfterDays": 365}}
    updated = backup.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": name, "Rules": [rule]})
    assert updated["BackupPlanId"] == plan_id and updated["VersionId"] != before
    rules = backup.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]["Rules"]
    assert [r["Lifecycle"]["DeleteAfterDays"] for r in rules] == [365]


def _code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


def test_a_missing_vault_is_access_denied_and_a_vault_counts_its_recovery_points(emulator):
    """backup_vaults: DescribeBackupVault of a missing vault is AccessDeniedException (403); NumberOfRecoveryPoints
    follows StartBackupJob and DeleteRecoveryPoint."""
    backup = emulator.client("backup")
    name = unique("vault")
    with pytest.raises(ClientError) as missing:
        backup.describe_backup_vault(BackupVaultName=name)
    assert _code(missing) == "AccessDeniedException"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    backup.create_backup_vault(BackupVaultName=name)
    assert backup.describe_backup_vault(BackupVaultName=name)["NumberOfRecoveryPoints"] == 0
    table = "arn:aws:dynamodb:us-east-1:123456789012:table/t"
    point = backup.start_backup_job(BackupVaultName=name, ResourceArn=table, IamRoleArn=ROLE)["RecoveryPointArn"]
    assert backup.describe_backup_vault(BackupVaultName=name)["NumberOfRecoveryPoints"] == 1
    listed = backup.list_recovery_points_by_backup_vault(BackupVaultName=name)["RecoveryPoints"]
    assert [(p["RecoveryPointArn"], p["ResourceArn"], p["ResourceType"], p["Status"]) for p in listed] == [
        (point, table, "DynamoDB", "COMPLETED")
    ]

    backup.delete_recovery_point(BackupVaultName=name, RecoveryPointArn=point)
    assert backup.describe_backup_vault(BackupVaultName=name)["NumberOfRecoveryPoints"] == 0
    assert backup.list_recovery_points_by_backup_vault(BackupVaultName=name)["RecoveryPoints"] == []


def test_a_vault_holding_recovery_points_is_not_deleted(emulator):
    """backup_vaults: DeleteBackupVault refused while the vault holds recovery points, done once it is empty."""
    backup = emulator.client("backup")
    name = unique("vault")
    backup.create_backup_vault(BackupVaultName=name)
    volume = "arn:aws:ec2:us-east-1:123456789012:volume/vol-1"
    point = backup.start_backup_job(BackupVaultName=name, ResourceArn=volume, IamRoleArn=ROLE)["RecoveryPointArn"]
    with pytest.raises(ClientError) as refused:
        backup.delete_backup_vault(BackupVaultName=name)
    assert _code(refused) == "InvalidRequestException"
    assert backup.describe_backup_vault(BackupVaultName=name)["NumberOfRecoveryPoints"] == 1

    backup.delete_recovery_point(BackupVaultName=name, RecoveryPointArn=point)
    backup.delete_backup_vault(BackupVaultName=name)
    with pytest.raises(ClientError) as gone:
        backup.describe_backup_vault(BackupVaultName=name)
    assert _code(gone) == "AccessDeniedException"
