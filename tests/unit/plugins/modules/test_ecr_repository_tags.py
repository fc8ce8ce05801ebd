# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.ecr_repository_tags: main() is driven with module args, and our own
module_utils wrappers are replaced by mocks (no boto3 call, no network)."""

from unittest.mock import MagicMock

import pytest

from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main
from ansible_collections.atelier.infra.plugins.module_utils.ecr import AnsibleECRError
from ansible_collections.atelier.infra.plugins.modules import ecr_repository_tags

ARN = "arn:aws:ecr:us-east-1:123456789012:repository/web"


@pytest.fixture
def aws(monkeypatch):
    """A repository web with tags {keep: 1, old: x}; returns the mocks."""
    mocks = {
        "describe_repository": MagicMock(return_value={"repositoryName": "web", "repositoryArn": ARN}),
        "list_repository_tags": MagicMock(return_value={"keep": "1", "old": "x"}),
        "tag_repository": MagicMock(return_value=True),
        "untag_repository": MagicMock(return_value=True),
    }
    for name, mock in mocks.items():
        monkeypatch.setattr(ecr_repository_tags, name, mock)
    return mocks


def args(**overrides):
    return dict({"name": "web", "region": "us-east-1"}, **overrides)


@pytest.mark.parametrize(
    "tags, purge, changed, after, tagged, untagged",
    [
        ({"keep": "1", "old": "x"}, True, False, {"keep": "1", "old": "x"}, None, None),
        ({"keep": "1"}, True, True, {"keep": "1"}, None, ["old"]),
        ({"keep": "1"}, False, False, {"keep": "1", "old": "x"}, None, None),
        ({"keep": "2", "new": "y"}, True, True, {"keep": "2", "new": "y"}, {"keep": "2", "new": "y"}, ["old"]),
        ({"new": "y"}, False, True, {"keep": "1", "old": "x", "new": "y"}, {"new": "y"}, None),
    ],
)
def test_tags_converge(aws, tags, purge, changed, after, tagged, untagged):
    result = run_main(ecr_repository_tags, args(tags=tags, purge_tags=purge))

    assert isinstance(result, AnsibleExitJson)
    assert (result.result["changed"], result.result["tags"], result.result["repository_arn"]) == (changed, after, ARN)
    if tagged:
        aws["tag_repository"].assert_called_once_with(aws["tag_repository"].call_args[0][0], ARN, tagged)
    else:
        aws["tag_repository"].assert_not_called()
    if untagged:
        assert aws["untag_repository"].call_args[0][1:] == (ARN, untagged)
    else:
        aws["untag_repository"].assert_not_called()


def test_check_mode_changes_nothing(aws):
    result = run_main(ecr_repository_tags, args(tags={"new": "y"}, _ansible_check_mode=True, _ansible_diff=True))

    assert result.result["changed"] is True
    assert result.result["diff"] == {"before": {"tags": {"keep": "1", "old": "x"}}, "after": {"tags": {"new": "y"}}}
    aws["tag_repository"].assert_not_called()
    aws["untag_repository"].assert_not_called()


def test_without_tags_only_reads(aws):
    result = run_main(ecr_repository_tags, args())

    assert (result.result["changed"], result.result["tags"]) == (False, {"keep": "1", "old": "x"})


def test_missing_repository_fails(aws):
    aws["describe_repository"].return_value = None

    result = run_main(ecr_repository_tags, args(tags={"a": "1"}))

    assert isinstance(result, AnsibleFailJson)
    assert "Repository web does not exist" in result.result["msg"]


def test_missing_repository_in_check_mode_would_be_tagged(aws):
    aws["describe_repository"].return_value = None

    result = run_main(ecr_repository_tags, args(tags={"a": "1"}, _ansible_check_mode=True))

    assert isinstance(result, AnsibleExitJson)
    assert (result.result["changed"], result.result["tags"]) == (True, {"a": "1"})


def test_aws_errors_fail_the_module(aws):
    aws["tag_repository"].side_effect = AnsibleECRError(message="Failed to tag repository")

    result = run_main(ecr_repository_tags, args(tags={"new": "y"}, purge_tags=False))

    assert isinstance(result, AnsibleFailJson)
    assert "Failed to tag repository" in result.result["msg"]
