# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.cloudwatch_log_group: main() with module args, our module_utils wrappers replaced by a
fake account (no boto3 call)."""

from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.modules import cloudwatch_log_group as module

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

NAME = "/aws/ec2/p/web"
ARN = f"arn:aws:logs:us-east-1:123456789012:log-group:{NAME}"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1111"
MUTATING = ("create_log_group", "put_retention_policy", "delete_retention_policy", "associate_kms_key",
            "disassociate_kms_key", "tag_resource", "untag_resource", "delete_log_group")


class FakeLogs:
    def __init__(self, monkeypatch, group=None, tags=None, keys=None):
        self.group = dict(group) if group else None
        self.tags = dict(tags or {})
        self.keys = dict(keys or {})
        self.calls = []
        fakes = {
            "describe_log_group": lambda client, name: dict(self.group) if self.group else None,
            "list_tags": lambda client, arn: dict(self.tags),
            "describe_key": self._describe_key,
            "create_log_group": self._create,
            "put_retention_policy": lambda client, name, days: self.group.update(retentionInDays=days),
            "delete_retention_policy": lambda client, name: self.group.pop("retentionInDays", None),
            "associate_kms_key": lambda client, name, key: self.group.update(kmsKeyId=key),
            "disassociate_kms_key": lambda client, name: self.group.pop("kmsKeyId", None),
            "tag_resource": lambda client, arn, tags: self.tags.update(tags),
            "untag_resource": lambda client, arn, keys: [self.tags.pop(k) for k in keys],
            "delete_log_group": self._delete,
        }
        for name, fake in fakes.items():
            mock = MagicMock(side_effect=fake)
            setattr(self, name, mock)
            monkeypatch.setattr(module, name, mock)

    def _describe_key(self, client, key):
        return {"Arn": self.keys[key]} if key in self.keys else None

    def _create(self, client, name, key, tags):
        self.group = {"logGroupName": name, "arn": ARN + ":*"}
        if key:
            self.group["kmsKeyId"] = key
        self.tags = dict(tags)

    def _delete(self, client, name):
        self.group = None
        return True

    def mutations(self):
        return [name for name in MUTATING if getattr(self, name).call_count]


def args(**more):
    result = {"name": NAME, "region": "us-east-1"}
    result.update(more)
    return result


def test_creates_the_group_with_its_key_tags_and_retention(monkeypatch):
    aws = FakeLogs(monkeypatch, keys={"alias/p-logs": KEY})
    result = run_main(module, args(retention=30, kms_key="alias/p-logs", tags={"a": "1"}, _ansible_diff=True))
    assert isinstance(result, AnsibleExitJson) and result.result["changed"] is True
    aws.create_log_group.assert_called_once_with(module.create_log_group.call_args[0][0], NAME, KEY, {"a": "1"})
    assert aws.group["retentionInDays"] == 30
    assert result.result["log_group"] == {"name": NAME, "arn": ARN, "retention_in_days": 30, "kms_key_id": KEY, "tags": {"a": "1"}}
    assert result.result["diff"]["before"] == {}
    assert result.result["actions"] == [f"create log group {NAME}"]


def test_a_second_run_changes_nothing(monkeypatch):
    aws = FakeLogs(monkeypatch, {"logGroupName": NAME, "arn": ARN + ":*", "retentionInDays": 30, "kmsKeyId": KEY}, {"a": "1"})
    result = run_main(module, args(retention=30, kms_key=KEY, tags={"a": "1"}))
    assert result.result["changed"] is False
    assert aws.mutations() == []
    assert result.result["actions"] == []
    assert aws.describe_key.call_count == 0  # a key ARN needs no lookup


def test_an_existing_group_gets_its_key_and_new_retention_and_check_mode_only_says_so(monkeypatch):
    aws = FakeLogs(monkeypatch, {"logGroupName": NAME, "arn": ARN + ":*", "retentionInDays": 30}, {"a": "1", "old": "x"})
    check = run_main(module, args(retention=365, kms_key=KEY, tags={"a": "1"}, _ansible_check_mode=True, _ansible_diff=True))
    assert check.result["changed"] is True and aws.mutations() == []
    assert check.result["diff"]["after"]["retention_in_days"] == 365 and check.result["diff"]["after"]["kms_key_id"] == KEY
    assert "Would have updated" in check.result["msg"]
    result = run_main(module, args(retention=365, kms_key=KEY, tags={"a": "1"}))
    assert result.result["changed"] is True
    assert aws.mutations() == ["put_retention_policy", "associate_kms_key", "untag_resource"]
    assert result.result["actions"] == [f"update log group {NAME}: retention_in_days, kms_key_id, tags"]
    assert aws.group["kmsKeyId"] == KEY and aws.tags == {"a": "1"}


def test_an_empty_key_removes_it(monkeypatch):
    aws = FakeLogs(monkeypatch, {"logGroupName": NAME, "arn": ARN + ":*", "kmsKeyId": KEY})
    assert run_main(module, args(kms_key="")).result["changed"] is True
    assert aws.mutations() == ["disassociate_kms_key"]


def test_a_missing_key_fails_before_any_change(monkeypatch):
    aws = FakeLogs(monkeypatch)
    result = run_main(module, args(kms_key="alias/p-logs"))
    assert isinstance(result, AnsibleFailJson)
    assert "The KMS key alias/p-logs does not exist in us-east-1" in result.result["msg"]
    assert aws.mutations() == []


def test_bad_retention_fails_before_any_call(monkeypatch):
    aws = FakeLogs(monkeypatch)
    result = run_main(module, args(retention=45))
    assert isinstance(result, AnsibleFailJson) and "retention 45" in result.result["msg"]
    assert aws.describe_log_group.call_count == 0


@pytest.mark.parametrize("check_mode", [True, False])
def test_absent(monkeypatch, check_mode):
    aws = FakeLogs(monkeypatch, {"logGroupName": NAME, "arn": ARN + ":*"})
    result = run_main(module, args(state="absent", _ansible_check_mode=check_mode))
    assert result.result["changed"] is True
    assert aws.mutations() == ([] if check_mode else ["delete_log_group"])
    if not check_mode:
        assert run_main(module, args(state="absent")).result["changed"] is False


def test_a_create_refused_because_its_lost_first_request_made_the_group_adopts_that_group(monkeypatch):
    """CreateLogGroup takes no token: when its answer is lost, botocore's retry is refused (the first request made the
    group). The module converges the group that exists (retention, tags) instead of failing."""
    from botocore.exceptions import ClientError

    aws = FakeLogs(monkeypatch)

    def lost_then_refused(client, name, key, tags):
        aws.group = {"logGroupName": name, "arn": ARN + ":*"}  # the first request, applied without its tags
        error = ClientError({"Error": {"Code": "ResourceAlreadyExistsException", "Message": "exists"}}, "CreateLogGroup")
        raise module.AnsibleCloudWatchLogsError(message="Failed to create log group", exception=error)

    aws.create_log_group.side_effect = lost_then_refused
    result = run_main(module, args(retention=30, tags={"a": "1"}))
    assert isinstance(result, AnsibleExitJson) and result.result["changed"] is True
    assert aws.group["retentionInDays"] == 30 and aws.tags == {"a": "1"}
    assert aws.create_log_group.call_count == 1


def test_a_create_refused_for_another_reason_fails(monkeypatch):
    from botocore.exceptions import ClientError

    aws = FakeLogs(monkeypatch)
    error = ClientError({"Error": {"Code": "LimitExceededException", "Message": "too many"}}, "CreateLogGroup")
    aws.create_log_group.side_effect = module.AnsibleCloudWatchLogsError(message="Failed to create log group", exception=error)
    result = run_main(module, args(retention=30))
    assert isinstance(result, AnsibleFailJson) and "too many" in str(result.result)
    assert aws.put_retention_policy.call_count == 0
