"""atelier.infra.lambda_event_source_mappings: a function's DynamoDB stream mappings, only what differs changed."""

import pytest

from ansible_collections.atelier.infra.plugins.modules import lambda_event_source_mappings as module
from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main

TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/dev-app-messages"
STREAM = f"{TABLE_ARN}/stream/2026-12-05T00:00:00.000"
QUEUE = "arn:aws:sqs:us-east-1:123456789012:dev-app-failed"
MAPPING = {"UUID": "u1", "EventSourceArn": STREAM, "State": "Enabled", "BatchSize": 100, "MaximumRetryAttempts": 2,
           "StartingPosition": "LATEST", "DestinationConfig": {"OnFailure": {"Destination": QUEUE}}}
SQS = {"UUID": "u2", "EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:jobs", "State": "Enabled"}


@pytest.fixture()
def aws(monkeypatch):
    state = {"found": [dict(MAPPING), SQS], "tables": {"dev-app-messages": {"TableArn": TABLE_ARN, "LatestStreamArn": STREAM,
                                                                           "StreamSpecification": {"StreamEnabled": True}},
                                                      "dev-app-plain": {"TableArn": TABLE_ARN + "x"}}, "calls": []}
    m = module.m
    monkeypatch.setattr(m, "list_mappings", lambda client, function: state["found"])
    monkeypatch.setattr(m, "describe_table", lambda client, table: state["tables"].get(table))
    monkeypatch.setattr(m, "create_mapping", lambda client, f, stream, w: state["calls"].append(("create", stream)) or {"EventSourceArn": stream})
    monkeypatch.setattr(m, "update_mapping", lambda client, uuid, a: state["calls"].append(("update", uuid, a)) or dict(MAPPING, **a))
    monkeypatch.setattr(m, "delete_mapping", lambda client, uuid: state["calls"].append(("delete", uuid)))
    return state


def _run(mappings, check=False):
    args = {"function": "dev-app-proc", "mappings": mappings, "region": "us-east-1"}
    if check:
        args["_ansible_check_mode"] = True
    return run_main(module, args)


def _wanted(**more):
    return dict({"table": "dev-app-messages", "maximum_retry_attempts": 2, "destination_arn": QUEUE}, **more)


def test_the_same_mapping_changes_nothing_and_other_sources_are_left(aws):
    result = _run([_wanted()])
    assert isinstance(result, AnsibleExitJson) and not result.result["changed"] and aws["calls"] == []


def test_only_differing_settings_are_updated(aws):
    result = _run([_wanted(batch_size=10, destination_arn=None)])
    assert aws["calls"] == [("update", "u1", {"BatchSize": 10, "DestinationConfig": {"OnFailure": {}}})]
    assert result.result["actions"] == ["update event source mapping dev-app-proc/dev-app-messages: batch_size, destination_arn"]


def test_a_mapping_on_a_replaced_stream_or_another_starting_position_is_replaced(aws):
    aws["found"][0]["EventSourceArn"] = f"{TABLE_ARN}/stream/2025-01-01T00:00:00.000"
    _run([_wanted()])
    assert aws["calls"] == [("delete", "u1"), ("create", STREAM)]
    aws["calls"].clear()
    aws["found"][0]["EventSourceArn"] = STREAM
    _run([_wanted(starting_position="TRIM_HORIZON")])
    assert aws["calls"] == [("delete", "u1"), ("create", STREAM)]


def test_no_mappings_deletes_the_functions_stream_mappings_only(aws):
    result = _run([])
    assert aws["calls"] == [("delete", "u1")] and result.result["actions"] == ["delete event source mapping dev-app-proc/dev-app-messages"]


def test_check_mode_calls_nothing_that_changes(aws):
    aws["found"] = []
    assert _run([_wanted()], check=True).result["changed"] and aws["calls"] == []


def test_a_table_without_a_stream_or_missing_fails(aws):
    assert "has no stream" in _run([_wanted(table="dev-app-plain")]).result["msg"]
    assert "does not exist" in _run([_wanted(table="dev-app-gone")]).result["msg"]
    assert aws["calls"] == []


def test_bad_settings_fail_before_any_call(aws, monkeypatch):
    monkeypatch.setattr(module.m, "list_mappings", lambda client, function: pytest.fail("no call expected"))
    result = _run([_wanted(batch_size=0), _wanted()])
    assert isinstance(result, AnsibleFailJson)
    assert "mapped more than once" in result.result["msg"] and "batch_size must be from 1 to 10000" in result.result["msg"]
