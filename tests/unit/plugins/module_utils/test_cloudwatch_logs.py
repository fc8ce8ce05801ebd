# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The plan of atelier.infra.cloudwatch_log_group: what differs between the log group found and the one described."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import cloudwatch_logs as logs

KEY = "arn:aws:kms:eu-west-1:123456789012:key/1111"
FOUND = {
    "logGroupName": "/aws/ec2/p/web",
    "arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/p/web:*",
    "retentionInDays": 30,
}


def test_the_view_of_a_group_found():
    view = logs.log_group_view(FOUND, {"a": "1"})
    assert view == {
        "name": "/aws/ec2/p/web",
        "arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/p/web",
        "retention_in_days": 30,
        "kms_key_id": "",
        "tags": {"a": "1"},
    }
    assert logs.log_group_view(None) == {}
    assert logs.log_group_view(dict(FOUND, logGroupArn="arn:x:log-group:y"))["arn"] == "arn:x:log-group:y"


@pytest.mark.parametrize(
    "retention, key, tags, purge, steps",
    [
        (30, None, None, True, []),
        (None, None, None, True, []),
        (365, None, None, True, ["put_retention"]),
        (0, None, None, True, ["delete_retention"]),
        (None, KEY, None, True, ["associate_key"]),
        (None, None, {"a": "1"}, True, []),
        (None, None, {"a": "2", "b": "3"}, True, ["tag"]),
        (None, None, {}, True, ["untag"]),
        (None, None, {}, False, []),
        (365, KEY, {"b": "3"}, True, ["put_retention", "associate_key", "untag", "tag"]),
    ],
)
def test_an_existing_group_changes_only_what_differs(retention, key, tags, purge, steps):
    before = logs.log_group_view(FOUND, {"a": "1"})
    after = logs.desired_view(before, "/aws/ec2/p/web", retention, key, tags, purge)
    assert logs.plan(before, after) == steps


def test_the_key_is_removed_with_an_empty_string_and_kept_when_not_given():
    before = logs.log_group_view(dict(FOUND, kmsKeyId=KEY))
    assert logs.plan(before, logs.desired_view(before, "n", None, "", None, True)) == ["disassociate_key"]
    assert logs.plan(before, logs.desired_view(before, "n", None, None, None, True)) == []
    other = KEY.replace("1111", "2222")
    assert logs.plan(before, logs.desired_view(before, "n", None, other, None, True)) == ["associate_key"]


def test_a_new_group_is_created_with_its_key_and_tags_then_its_retention():
    after = logs.desired_view({}, "/g", 30, KEY, {"a": "1"}, True)
    assert after == {"name": "/g", "arn": "", "retention_in_days": 30, "kms_key_id": KEY, "tags": {"a": "1"}}
    assert logs.plan({}, after) == ["create", "put_retention"]
    assert logs.plan({}, logs.desired_view({}, "/g", None, None, None, True)) == ["create"]


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"name": "/g", "retention": 31}, "retention 31 is not a retention CloudWatch Logs accepts"),
        ({"name": "", "retention": 30}, "name must be 1 to 512 characters"),
        ({"name": "x" * 513}, "name must be 1 to 512 characters"),
    ],
)
def test_bad_options(params, fragment):
    assert any(fragment in error for error in logs.option_errors(params))


@pytest.mark.parametrize("retention", [None, 0, 1, 30, 365, 3653])
def test_good_options(retention):
    assert logs.option_errors({"name": "/g", "retention": retention}) == []


def test_a_key_arn_is_told_from_the_other_forms():
    assert logs.is_key_arn(KEY)
    for other in ("1111", "alias/p-logs", "arn:aws:kms:eu-west-1:123456789012:alias/p-logs", None):
        assert not logs.is_key_arn(other)
