"""atelier.infra.sns_lambda_subscriptions: the function's subscriptions only, subscribed or removed where they differ."""

import pytest

from ansible_collections.atelier.infra.plugins.modules import sns_lambda_subscriptions as module
from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main

FUNCTION = "arn:aws:lambda:us-east-1:1:function:dev-notify"
A, B, C = (f"arn:aws:sns:us-east-1:1:dev-{n}" for n in "abc")


@pytest.fixture()
def topics(monkeypatch):
    state = {"subs": {A: [{"Protocol": "lambda", "Endpoint": FUNCTION, "SubscriptionArn": f"{A}:s1"}],
                      B: [{"Protocol": "email", "Endpoint": "x@example.com", "SubscriptionArn": "PendingConfirmation"}]},
             "calls": []}
    monkeypatch.setattr(module.s, "list_subscriptions", lambda client, topic: state["subs"].get(topic))
    monkeypatch.setattr(module.s, "subscribe", lambda client, topic, endpoint: state["calls"].append(("subscribe", topic)))
    monkeypatch.setattr(module.s, "unsubscribe", lambda client, arn: state["calls"].append(("unsubscribe", arn)))
    return state


def _run(wanted, known, check=False):
    args = {"endpoint": FUNCTION, "topics": wanted, "known": known, "region": "us-east-1"}
    if check:
        args["_ansible_check_mode"] = True
    return run_main(module, args)


def test_the_same_subscriptions_change_nothing(topics):
    result = _run([A], [A, B, C])
    assert isinstance(result, AnsibleExitJson) and not result.result["changed"] and topics["calls"] == []


def test_a_new_topic_is_subscribed_and_an_undeclared_one_removed(topics):
    result = _run([B], [A, B])
    assert topics["calls"] == [("unsubscribe", f"{A}:s1"), ("subscribe", B)]
    assert result.result["actions"] == ["delete sns subscription dev-a/dev-notify", "create sns subscription dev-b/dev-notify"]


def test_check_mode_calls_nothing_that_changes(topics):
    assert _run([B], [A, B], check=True).result["changed"] and topics["calls"] == []


def test_a_missing_wanted_topic_fails_and_a_missing_known_one_is_skipped(topics):
    assert not _run([], [C]).result["changed"]
    result = _run([C], [])
    assert isinstance(result, AnsibleFailJson) and "does not exist" in result.result["msg"]
