"""atelier.infra.s3_bucket_notifications: the owner's Lambda notifications converge in one write, everything else kept."""

import pytest

from ansible_collections.atelier.infra.plugins.modules import s3_bucket_notifications as module
from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main

OWNER = "atelier/dev-app/"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:dev-app-thumbnail"
OURS = {"Id": f"{OWNER}thumbnail/0", "LambdaFunctionArn": ARN, "Events": ["s3:ObjectCreated:*"],
        "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "avatars/"}]}}}
THEIRS = {"Id": "theirs", "LambdaFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:other", "Events": ["s3:ObjectRemoved:*"]}
QUEUE = {"Id": "q", "QueueArn": "arn:aws:sqs:us-east-1:123456789012:q", "Events": ["s3:ObjectRemoved:*"]}


@pytest.fixture()
def bucket(monkeypatch):
    state = {"current": {"LambdaFunctionConfigurations": [OURS, THEIRS], "QueueConfigurations": [QUEUE]}, "puts": []}
    monkeypatch.setattr(module, "get_notifications", lambda client, name: state["current"])
    monkeypatch.setattr(module, "put_notifications", lambda client, name, configuration: state["puts"].append(configuration))
    return state


def _run(functions, check=False):
    args = {"bucket": "dev-app-uploads", "owner": OWNER, "functions": functions, "region": "us-east-1"}
    if check:
        args["_ansible_check_mode"] = True
    return run_main(module, args)


def _ours(**more):
    return dict({"id": f"{OWNER}thumbnail/0", "function_arn": ARN, "events": ["s3:ObjectCreated:*"], "prefix": "avatars/"}, **more)


def test_the_same_notifications_write_nothing(bucket):
    result = _run([_ours()])
    assert isinstance(result, AnsibleExitJson) and not result.result["changed"] and bucket["puts"] == []


def test_a_changed_filter_rewrites_the_document_keeping_other_owners(bucket):
    result = _run([_ours(suffix=".jpg")])
    assert result.result["changed"] and result.result["actions"] == [f"update s3 notification dev-app-uploads/{OWNER}thumbnail/0: suffix"]
    (written,) = bucket["puts"]
    assert written["QueueConfigurations"] == [QUEUE]
    assert written["LambdaFunctionConfigurations"][0] == THEIRS
    assert written["LambdaFunctionConfigurations"][1]["Filter"]["Key"]["FilterRules"] == [
        {"Name": "prefix", "Value": "avatars/"}, {"Name": "suffix", "Value": ".jpg"}]


def test_no_functions_removes_the_owners_only(bucket):
    result = _run([])
    assert result.result["actions"] == [f"delete s3 notification dev-app-uploads/{OWNER}thumbnail/0"]
    assert bucket["puts"] == [{"LambdaFunctionConfigurations": [THEIRS], "QueueConfigurations": [QUEUE]}]


def test_check_mode_writes_nothing(bucket):
    result = _run([_ours(), _ours(id=f"{OWNER}thumbnail/1", prefix="banners/")], check=True)
    assert result.result["changed"] and bucket["puts"] == []


def test_a_missing_bucket_with_nothing_to_remove_is_nothing_to_do(bucket):
    bucket["current"] = None
    assert not _run([]).result["changed"]
    assert "does not exist" in _run([_ours()]).result["msg"]


def test_an_id_outside_the_owner_fails_before_any_call(bucket, monkeypatch):
    monkeypatch.setattr(module, "get_notifications", lambda client, name: pytest.fail("no call expected"))
    result = _run([_ours(id="thumbnail/0")])
    assert isinstance(result, AnsibleFailJson) and "does not start with the owner" in result.result["msg"]
