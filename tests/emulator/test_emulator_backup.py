"""The emulator's AWS Backup additions (``backup_selections``), seen through boto3.

Each test fails against plain moto; check with
``ATELIER_EMULATOR_DISABLE_ADDITIONS=backup_selections pytest tests/emulator/test_emulator_backup.py``.
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
