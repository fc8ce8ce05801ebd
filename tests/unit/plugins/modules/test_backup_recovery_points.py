# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.backup_recovery_points: main() is driven with module args, and our own module_utils
wrappers are replaced by mocks (no boto3 call, no network); the wrappers themselves with botocore's Stubber."""

from unittest.mock import MagicMock

import boto3
import pytest
from botocore.stub import Stubber

from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main
from ansible_collections.atelier.infra.plugins.module_utils import backup
from ansible_collections.atelier.infra.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.atelier.infra.plugins.modules import backup_recovery_points

ONE = "arn:aws:backup:us-east-1:123456789012:recovery-point:1"
TWO = "arn:aws:backup:us-east-1:123456789012:recovery-point:2"
POINTS = [
    {"RecoveryPointArn": ONE, "ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/t", "ResourceType": "DynamoDB",
     "Status": "COMPLETED", "BackupSizeInBytes": 1},
    {"RecoveryPointArn": TWO, "ResourceArn": "arn:aws:ec2:us-east-1:123456789012:volume/vol-1", "ResourceType": "EBS",
     "Status": "DELETING"},
]


@pytest.fixture
def aws(monkeypatch):
    mocks = {
        "describe_backup_vault": MagicMock(return_value={"BackupVaultName": "v"}),
        "list_recovery_points": MagicMock(return_value=POINTS),
        "delete_recovery_point": MagicMock(return_value=True),
    }
    for name, mock in mocks.items():
        monkeypatch.setattr(backup_recovery_points, name, mock)
    return mocks


def args(**overrides):
    return dict({"backup_vault_name": "v", "region": "us-east-1"}, **overrides)


def test_query_lists_and_changes_nothing(aws):
    result = run_main(backup_recovery_points, args())

    assert isinstance(result, AnsibleExitJson)
    assert (result.result["changed"], result.result["exists"], result.result["actions"]) == (False, True, [])
    assert result.result["recovery_points"][0] == {
        "recovery_point_arn": ONE, "resource_arn": "arn:aws:dynamodb:us-east-1:123456789012:table/t",
        "resource_type": "DynamoDB", "status": "COMPLETED"}
    aws["delete_recovery_point"].assert_not_called()


def test_absent_deletes_every_point_not_already_being_deleted(aws):
    result = run_main(backup_recovery_points, args(state="absent", _ansible_diff=True))

    assert result.result["changed"] is True
    assert result.result["actions"] == [f"delete recovery point {ONE}"]
    assert [c.args[1:] for c in aws["delete_recovery_point"].call_args_list] == [("v", ONE)]
    assert result.result["diff"] == {"before": {"recovery_points": [ONE, TWO]}, "after": {"recovery_points": [TWO]}}


def test_check_mode_deletes_nothing(aws):
    result = run_main(backup_recovery_points, args(state="absent", _ansible_check_mode=True))

    assert (result.result["changed"], result.result["actions"]) == (True, [f"delete recovery point {ONE}"])
    aws["delete_recovery_point"].assert_not_called()


def test_a_missing_vault_is_not_an_error(aws):
    aws["describe_backup_vault"].return_value = None
    result = run_main(backup_recovery_points, args(state="absent"))

    assert result.result == dict(changed=False, exists=False, recovery_points=[], actions=[])
    aws["list_recovery_points"].assert_not_called()


def test_an_aws_error_fails_with_its_message(aws):
    aws["delete_recovery_point"].side_effect = AnsibleBackupError(message="Failed to delete recovery point")
    result = run_main(backup_recovery_points, args(state="absent"))

    assert isinstance(result, AnsibleFailJson)
    assert "Failed to delete recovery point" in result.result["msg"]


def _client():
    return boto3.client("backup", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")


@pytest.mark.parametrize("code", ["AccessDeniedException", "ResourceNotFoundException"])
def test_a_vault_aws_denies_or_does_not_find_is_missing(code):
    client = _client()
    with Stubber(client) as stub:
        stub.add_client_error("describe_backup_vault", code, http_status_code=403 if code.startswith("Access") else 400)
        assert backup.describe_backup_vault(client, "v") is None


def test_recovery_points_are_read_page_by_page_and_deleted_one_by_one():
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("list_recovery_points_by_backup_vault", {"RecoveryPoints": [{"RecoveryPointArn": ONE}], "NextToken": "t"},
                          {"BackupVaultName": "v"})
        stub.add_response("list_recovery_points_by_backup_vault", {"RecoveryPoints": [{"RecoveryPointArn": TWO}]},
                          {"BackupVaultName": "v", "NextToken": "t"})
        stub.add_response("delete_recovery_point", {}, {"BackupVaultName": "v", "RecoveryPointArn": ONE})
        assert [p["RecoveryPointArn"] for p in backup.list_recovery_points(client, "v")] == [ONE, TWO]
        assert backup.delete_recovery_point(client, "v", ONE) is True
        stub.assert_no_pending_responses()
