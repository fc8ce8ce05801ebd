# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.ecr_repository_tags: main() is driven with module args, and our own
module_utils wrappers are replaced by mocks (no boto3 call, no network); the calls a run makes are counted with
botocore's Stubber behind the real wrappers."""

from unittest.mock import MagicMock

import boto3
import pytest
from botocore.stub import Stubber

from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main
from ansible_collections.atelier.infra.plugins.module_utils.ecr import AnsibleECRError
from ansible_collections.atelier.infra.plugins.modules import ecr_repository_tags

ARN = "arn:aws:ecr:us-east-1:123456789012:repository/web"


@pytest.fixture
def aws(monkeypatch):
    """A repository web with tags {keep: 1, old: x}; returns the mocks.

    describe_repository stands for one repository's description (None: missing); the module's describe_repositories
    (several in one call) answers with it for each name."""
    describe = MagicMock(return_value={"repositoryName": "web", "repositoryArn": ARN})
    mocks = {
        "describe_repositories": MagicMock(side_effect=lambda c, names, registry: {n: describe(c, n, registry) for n in names}),
        "list_repository_tags": MagicMock(return_value={"keep": "1", "old": "x"}),
        "tag_repository": MagicMock(return_value=True),
        "untag_repository": MagicMock(return_value=True),
    }
    for name, mock in mocks.items():
        monkeypatch.setattr(ecr_repository_tags, name, mock)
    return dict(mocks, describe_repository=describe)


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


# ---- stack isolation ----

OURS = {"atelier:env": "dev", "atelier:stack": "shop"}


@pytest.mark.parametrize(
    "current, refused",
    [
        ({"atelier:env": "dev", "atelier:stack": "blog", "Name": "web"}, "the stack 'blog' of the environment 'dev'"),
        ({"atelier:env": "prod", "atelier:stack": "shop"}, "the stack 'shop' of the environment 'prod'"),
        ({"atelier:stack": "blog"}, "the stack 'blog' of the environment None"),
        (dict(OURS, Name="old"), None),
        ({"owner": "someone"}, None),
        ({}, None),
    ],
    ids=["other-stack", "other-env", "only-stack-tag", "ours", "unowned", "untagged"],
)
@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_another_stacks_repository_is_refused_before_any_change(aws, current, refused, check_mode):
    aws["list_repository_tags"].return_value = current

    result = run_main(ecr_repository_tags, args(tags=dict(OURS, Name="web"), _ansible_check_mode=check_mode))

    if refused:
        assert isinstance(result, AnsibleFailJson)
        assert result.result["msg"].startswith("Repository web is not this stack's: it belongs to " + refused)
        assert "the tags asked for name the stack 'shop' of the environment 'dev'" in result.result["msg"]
        assert result.result["changed"] is False
    else:
        assert isinstance(result, AnsibleExitJson)
        assert result.result["tags"] == dict(OURS, Name="web")
    if refused or check_mode:
        aws["tag_repository"].assert_not_called()
        aws["untag_repository"].assert_not_called()
    else:
        aws["tag_repository"].assert_called_once()


def test_tags_without_ownership_claim_no_stack(aws):
    aws["list_repository_tags"].return_value = {"atelier:env": "dev", "atelier:stack": "blog"}

    result = run_main(ecr_repository_tags, args(tags={"owner": "web-team"}, purge_tags=False))

    assert isinstance(result, AnsibleExitJson) and result.result["changed"] is True
    aws["tag_repository"].assert_called_once()


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_ignore_missing_reports_and_changes_nothing(aws, check_mode):
    aws["describe_repository"].return_value = None

    result = run_main(ecr_repository_tags, args(tags=OURS, ignore_missing=True, _ansible_check_mode=check_mode))

    assert isinstance(result, AnsibleExitJson)
    assert (result.result["changed"], result.result["exists"]) == (False, False)
    aws["list_repository_tags"].assert_not_called()
    aws["tag_repository"].assert_not_called()


def test_existing_repository_reports_exists(aws):
    result = run_main(ecr_repository_tags, args(tags={"keep": "1", "old": "x"}, ignore_missing=True))

    assert (result.result["changed"], result.result["exists"]) == (False, True)


@pytest.mark.parametrize("check_mode", [True, False])
def test_actions_name_the_tag_change(aws, check_mode):
    changed = run_main(ecr_repository_tags, args(tags={"new": "y"}, _ansible_check_mode=check_mode))
    assert changed.result["actions"] == ["update ecr repository web: tags"]
    same = run_main(ecr_repository_tags, args(tags={"keep": "1", "old": "x"}, _ansible_check_mode=check_mode))
    assert same.result["actions"] == []


def test_actions_of_a_repository_check_mode_would_create(aws):
    aws["describe_repository"].return_value = None
    result = run_main(ecr_repository_tags, args(tags={"new": "y"}, _ansible_check_mode=True))
    assert result.result["actions"] == ["update ecr repository web: tags"]
    ignored = run_main(ecr_repository_tags, args(tags={"new": "y"}, ignore_missing=True))
    assert ignored.result["actions"] == []


# ---- several repositories in one run (repositories) ----

ARNS = {name: f"arn:aws:ecr:us-east-1:123456789012:repository/{name}" for name in ("web", "api")}


@pytest.fixture
def two(aws):
    """web (tags {keep: 1}) and api (untagged) exist; other names do not."""
    aws["describe_repository"].side_effect = lambda _c, name, _r: (
        {"repositoryName": name, "repositoryArn": ARNS[name]} if name in ARNS else None
    )
    tags = {ARNS["web"]: {"keep": "1"}, ARNS["api"]: {}}
    aws["list_repository_tags"].side_effect = lambda _c, arn: dict(tags[arn])
    return aws


def many(**overrides):
    return dict({"repositories": ["web", "api"], "region": "us-east-1", "name_tag": True, "tags": OURS}, **overrides)


def test_several_repositories_converge_in_one_run_each_with_its_name_tag(two):
    result = run_main(ecr_repository_tags, many())

    assert isinstance(result, AnsibleExitJson) and result.result["changed"] is True
    assert [(r["name"], r["exists"], r["tags"]) for r in result.result["repositories"]] == [
        ("web", True, dict(OURS, Name="web")),
        ("api", True, dict(OURS, Name="api")),
    ]
    assert result.result["actions"] == ["update ecr repository web: tags", "update ecr repository api: tags"]
    assert [c.args[1:] for c in two["tag_repository"].call_args_list] == [
        (ARNS["web"], dict(OURS, Name="web")),
        (ARNS["api"], dict(OURS, Name="api")),
    ]
    assert two["untag_repository"].call_args.args[1:] == (ARNS["web"], ["keep"])


def test_several_repositories_already_right_change_nothing(two):
    two["list_repository_tags"].side_effect = lambda _c, arn: dict(OURS, Name=arn.rsplit("/", 1)[1])

    result = run_main(ecr_repository_tags, many())

    assert (result.result["changed"], result.result["actions"]) == (False, [])
    two["tag_repository"].assert_not_called()
    two["untag_repository"].assert_not_called()


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_one_foreign_repository_refuses_the_run_before_any_change(two, check_mode):
    foreign = {"atelier:env": "dev", "atelier:stack": "blog"}
    two["list_repository_tags"].side_effect = lambda _c, arn: foreign if arn == ARNS["api"] else {"keep": "1"}

    result = run_main(ecr_repository_tags, many(_ansible_check_mode=check_mode))

    assert isinstance(result, AnsibleFailJson)
    assert result.result["msg"].startswith("Repository api is not this stack's: it belongs to the stack 'blog'")
    assert result.result["msg"].endswith("Nothing was changed: give this stack's resource another name.")
    assert result.result["msg"].count("Nothing was changed") == 1
    two["tag_repository"].assert_not_called()
    two["untag_repository"].assert_not_called()


def test_a_missing_repository_fails_before_any_change_unless_ignored(two):
    failed = run_main(ecr_repository_tags, many(repositories=["web", "gone"]))

    assert isinstance(failed, AnsibleFailJson)
    assert failed.result["msg"].startswith("Repositories gone do not exist: create them first")
    two["tag_repository"].assert_not_called()

    ignored = run_main(ecr_repository_tags, many(repositories=["web", "gone"], ignore_missing=True))

    assert isinstance(ignored, AnsibleExitJson)
    assert [(r["name"], r["exists"], r["actions"]) for r in ignored.result["repositories"]] == [
        ("web", True, ["update ecr repository web: tags"]),
        ("gone", False, []),
    ]
    assert two["tag_repository"].call_count == 1


def test_several_repositories_in_check_mode_change_nothing_and_show_each_diff(two):
    result = run_main(ecr_repository_tags, many(repositories=["web", "new"], _ansible_check_mode=True, _ansible_diff=True))

    assert result.result["changed"] is True
    assert result.result["diff"] == {
        "before": {"web": {"tags": {"keep": "1"}}, "new": {"tags": {}}},
        "after": {"web": {"tags": dict(OURS, Name="web")}, "new": {"tags": dict(OURS, Name="new")}},
    }
    assert result.result["actions"] == ["update ecr repository web: tags", "update ecr repository new: tags"]
    two["tag_repository"].assert_not_called()
    two["untag_repository"].assert_not_called()


@pytest.mark.parametrize(
    "given, message",
    [
        ({"name": "web", "repositories": ["web"]}, "parameters are mutually exclusive: name|repositories"),
        ({}, "one of the following is required: name, repositories"),
    ],
)
def test_name_or_repositories_exactly_one(aws, given, message):
    result = run_main(ecr_repository_tags, dict({"region": "us-east-1"}, **given))

    assert isinstance(result, AnsibleFailJson) and message in result.result["msg"]
    aws["describe_repository"].assert_not_called()


def test_no_repository_is_a_run_that_changes_nothing(aws):
    """A registry without repositories (container_registry_repositories empty) still runs the role's tasks."""
    result = run_main(ecr_repository_tags, many(repositories=[], ignore_missing=True))

    assert isinstance(result, AnsibleExitJson)
    assert (result.result["changed"], result.result["repositories"], result.result["actions"]) == (False, [], [])
    aws["describe_repository"].assert_not_called()


def test_settings_are_read_only_when_asked_and_only_for_repositories_that_exist(two, monkeypatch):
    described = {
        "repositoryName": "web", "repositoryArn": ARNS["web"], "registryId": "123456789012", "repositoryUri": "r/web",
        "imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": {"scanOnPush": True},
        "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "k"},
    }
    two["describe_repository"].side_effect = lambda _c, name, _r: described if name == "web" else None
    lifecycle = MagicMock(return_value='{"rules": []}')
    policy = MagicMock(return_value=None)
    monkeypatch.setattr(ecr_repository_tags, "get_lifecycle_policy_text", lifecycle)
    monkeypatch.setattr(ecr_repository_tags, "get_repository_policy_text", policy)

    plain = run_main(ecr_repository_tags, many(ignore_missing=True))
    assert all("settings" not in entry for entry in plain.result["repositories"])
    lifecycle.assert_not_called()

    result = run_main(ecr_repository_tags, many(ignore_missing=True, settings=True))
    web, api = result.result["repositories"]
    assert web["settings"] == {
        "registry_id": "123456789012", "repository_uri": "r/web", "image_tag_mutability": "IMMUTABLE", "scan_on_push": True,
        "encryption_type": "KMS", "kms_key": "k", "lifecycle_policy": '{"rules": []}', "policy": "",
    }
    assert api["exists"] is False and "settings" not in api
    assert [c.args[1] for c in lifecycle.call_args_list] == ["web"] and [c.args[1] for c in policy.call_args_list] == ["web"]


# ---- the calls a run makes (real wrappers, botocore's Stubber) ----


def _repository(name):
    return {"repositoryName": name, "repositoryArn": f"arn:aws:ecr:us-east-1:123456789012:repository/{name}",
            "registryId": "123456789012"}


def _tags(name):
    return [{"Key": k, "Value": v} for k, v in dict(OURS, Name=name).items()]


@pytest.fixture
def stubbed(monkeypatch):
    """The module's ECR client is a real boto3 client behind botocore's Stubber: every call is one queued answer."""
    client = boto3.client("ecr", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    monkeypatch.setattr(ecr_repository_tags.AnsibleAWSModule, "client", lambda self, service, **kwargs: client)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_a_no_op_run_describes_all_the_repositories_in_one_call(stubbed):
    names = ["web", "api", "worker"]
    stubbed.add_response("describe_repositories", {"repositories": [_repository(n) for n in names]},
                         {"repositoryNames": names})
    for name in names:
        stubbed.add_response("list_tags_for_resource", {"tags": _tags(name)}, {"resourceArn": _repository(name)["repositoryArn"]})

    result = run_main(ecr_repository_tags, many(repositories=names))

    assert isinstance(result, AnsibleExitJson), result.result
    assert (result.result["changed"], result.result["actions"]) == (False, [])
    assert [(r["name"], r["exists"]) for r in result.result["repositories"]] == [(n, True) for n in names]


def test_a_missing_repository_is_found_by_describing_each_on_its_own(stubbed):
    names = ["web", "gone", "api"]
    stubbed.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone does not exist",
                             expected_params={"repositoryNames": names})
    stubbed.add_response("describe_repositories", {"repositories": [_repository("web")]}, {"repositoryNames": ["web"]})
    stubbed.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone does not exist",
                             expected_params={"repositoryNames": ["gone"]})
    stubbed.add_response("describe_repositories", {"repositories": [_repository("api")]}, {"repositoryNames": ["api"]})
    for name in ("web", "api"):
        stubbed.add_response("list_tags_for_resource", {"tags": _tags(name)}, {"resourceArn": _repository(name)["repositoryArn"]})

    result = run_main(ecr_repository_tags, many(repositories=names, ignore_missing=True))

    assert isinstance(result, AnsibleExitJson), result.result
    assert [(r["name"], r["exists"], r["tags"]) for r in result.result["repositories"]] == [
        ("web", True, dict(OURS, Name="web")),
        ("gone", False, {}),
        ("api", True, dict(OURS, Name="api")),
    ]
    assert result.result["changed"] is False


def test_a_missing_repository_still_fails_the_run_before_any_change(stubbed):
    stubbed.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone does not exist",
                             expected_params={"repositoryNames": ["web", "gone"]})
    stubbed.add_response("describe_repositories", {"repositories": [_repository("web")]}, {"repositoryNames": ["web"]})
    stubbed.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone does not exist",
                             expected_params={"repositoryNames": ["gone"]})
    stubbed.add_response("list_tags_for_resource", {"tags": []}, {"resourceArn": _repository("web")["repositoryArn"]})

    result = run_main(ecr_repository_tags, many(repositories=["web", "gone"]))

    assert isinstance(result, AnsibleFailJson)
    assert result.result["msg"].startswith("Repositories gone do not exist: create them first")


def test_a_single_missing_repository_is_described_once(stubbed):
    stubbed.add_client_error("describe_repositories", "RepositoryNotFoundException", "web does not exist",
                             expected_params={"repositoryNames": ["web"], "registryId": "210987654321"})

    result = run_main(ecr_repository_tags, args(tags=OURS, ignore_missing=True, registry_id="210987654321"))

    assert isinstance(result, AnsibleExitJson)
    assert (result.result["changed"], result.result["exists"]) == (False, False)


@pytest.mark.parametrize("options", [{"name": "web"}, {"repositories": ["web", "api"]}], ids=["name", "repositories"])
def test_another_describe_error_fails_the_run_as_before(stubbed, options):
    stubbed.add_client_error("describe_repositories", "AccessDeniedException", "not allowed")

    result = run_main(ecr_repository_tags, dict(options, region="us-east-1", tags=OURS))

    assert isinstance(result, AnsibleFailJson)
    assert result.result["msg"].startswith("Failed to describe repository")
    assert result.result["error"]["code"] == "AccessDeniedException"
