"""lambda_events: a function's events checked before any AWS call, and the permissions, bucket notifications and
stream mappings they become."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import lambda_events as ev

RESOURCES = {"dynamodb_table": ["messages", "plain"], "s3_bucket": ["uploads", "assets"], "sqs_queue": ["failed"],
             "sns_topic": ["processed", "both"], "secret": [], "kms_key": []}
RESOURCES_BOTH = dict(RESOURCES, sqs_queue=["failed", "both"])
ACCOUNT, REGION = "123456789012", "us-east-1"


def _s3(bucket="uploads", **more):
    return {"s3": dict({"bucket": bucket}, **more)}


def test_good_events_have_no_errors():
    events = [_s3(prefix="avatars/", suffix=".jpg"), {"dynamodb_stream": {"table": "messages", "batch_size": 10,
                                                                         "failure_destination": "failed"}}]
    assert ev.event_errors("f", events, RESOURCES, ["messages"]) == []


@pytest.mark.parametrize("event, message", [
    ({"dynamodb_stream": {"table": "plain"}}, "the table plain has no stream"),
    ({"dynamodb_stream": {"table": "gone"}}, "the stack does not create the dynamodb table gone"),
    ({"dynamodb_stream": {"table": "messages", "batch_size": 0}}, "batch_size must be a whole number from 1 to 10000, got 0"),
    ({"dynamodb_stream": {"table": "messages", "starting_position": "AT_TIMESTAMP"}}, "starting_position must be one of"),
    ({"dynamodb_stream": {"table": "messages", "maximum_retry_attempts": -2}}, "maximum_retry_attempts must be"),
    ({"dynamodb_stream": {"table": "messages", "failure_destination": "nowhere"}}, "failure_destination must be"),
    (_s3("other"), "the stack does not create the s3 bucket other (it creates: uploads, assets)"),
    (_s3(events=["s3:ObjectCreated:Upload"]), "'s3:ObjectCreated:Upload' is not an S3 event type"),
    (_s3(prefix="/avatars/"), "prefix is a key prefix without a leading /"),
    ({"s3": {"bucket": "uploads"}, "dynamodb_stream": {"table": "messages"}}, "must be a dict with one key"),
    ({"sqs": {"queue": "failed"}}, "must be a dict with one key, s3, dynamodb_stream or sns"),
    ({"sns": {"topic": "gone"}}, "the stack does not create the sns topic gone (it creates: processed, both)"),
])
def test_bad_events_are_named(event, message):
    errors = ev.event_errors("fn", [event], RESOURCES, ["messages"])
    assert len(errors) == 1 and message in errors[0], errors


def test_a_destination_both_a_queue_and_a_topic_is_ambiguous():
    errors = ev.event_errors("fn", [{"dynamodb_stream": {"table": "messages", "failure_destination": "both"}}],
                             RESOURCES_BOTH, ["messages"])
    assert len(errors) == 1 and "ONE queue or topic" in errors[0]


@pytest.mark.parametrize("first, second, overlap", [
    (("avatars/", "", ["s3:ObjectCreated:*"]), ("avatars/big/", "", ["s3:ObjectCreated:Put"]), True),
    (("avatars/", "", ["s3:ObjectCreated:*"]), ("", ".jpg", ["s3:ObjectCreated:Put"]), True),
    (("avatars/", "", ["s3:ObjectCreated:*"]), ("thumbs/", "", ["s3:ObjectCreated:*"]), False),
    (("avatars/", "", ["s3:ObjectCreated:*"]), ("avatars/", "", ["s3:ObjectRemoved:*"]), False),
    (("", ".jpg", ["s3:ObjectCreated:*"]), ("", ".png", ["s3:ObjectCreated:*"]), False),
    (("", ".jpg", ["s3:ObjectCreated:*"]), ("", "big.jpg", ["s3:ObjectCreated:Copy"]), True),
])
def test_overlap_follows_s3s_rule(first, second, overlap):
    def n(t):
        return {"prefix": t[0], "suffix": t[1], "events": t[2]}
    assert ev.notifications_overlap(n(first), n(second)) is overlap
    assert ev.notifications_overlap(n(second), n(first)) is overlap


def test_overlapping_notifications_of_two_functions_on_one_bucket_are_refused():
    functions = [{"name": "a", "events": [_s3(prefix="avatars/")]},
                 {"name": "b", "events": [_s3(prefix="avatars/original/", suffix=".jpg"), _s3("assets", prefix="avatars/")]}]
    errors = ev.overlap_errors(functions)
    assert len(errors) == 1
    assert "a events[0] and b events[0] of the bucket uploads overlap" in errors[0]


def test_wiring_gathers_notifications_per_bucket_with_permissions_first():
    functions = [{"name": "thumb", "events": [_s3(prefix="avatars/", suffix=".jpg"), _s3(prefix="banners/")]},
                 {"name": "proc", "events": [{"dynamodb_stream": {"table": "messages", "failure_destination": "processed"}}]}]
    w = ev.wiring(functions, "dev-app", ACCOUNT, REGION, "aws", RESOURCES)
    assert w["permissions"] == [{"function_name": "dev-app-thumb", "statement_id": "s3-dev-app-uploads",
                                 "principal": "s3.amazonaws.com", "source_arn": "arn:aws:s3:::dev-app-uploads",
                                 "source_account": ACCOUNT}]
    by_bucket = {n["bucket"]: n for n in w["notifications"]}
    assert sorted(by_bucket) == ["dev-app-assets", "dev-app-uploads"]
    assert by_bucket["dev-app-assets"]["functions"] == []
    uploads = by_bucket["dev-app-uploads"]
    assert uploads["owner"] == "atelier/dev-app/"
    assert [c["id"] for c in uploads["functions"]] == ["atelier/dev-app/thumb/0", "atelier/dev-app/thumb/1"]
    assert uploads["functions"][0] == {"id": "atelier/dev-app/thumb/0", "function_arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:dev-app-thumb",
                                       "events": ["s3:ObjectCreated:*"], "prefix": "avatars/", "suffix": ".jpg"}
    assert w["mappings"] == [
        {"function_name": "dev-app-thumb", "mappings": []},
        {"function_name": "dev-app-proc", "mappings": [{
            "table": "dev-app-messages", "batch_size": 100, "starting_position": "LATEST", "maximum_retry_attempts": -1,
            "destination_arn": f"arn:aws:sns:{REGION}:{ACCOUNT}:dev-app-processed", "enabled": True}]},
    ]


def test_a_mapped_stream_is_readable_and_its_failures_sendable():
    events = [{"dynamodb_stream": {"table": "messages", "failure_destination": "failed"}}]
    statements = ev.stream_statements(events, "dev-app", ACCOUNT, REGION, "aws", RESOURCES)
    read, listing, send = statements
    assert read["Resource"] == [f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/dev-app-messages/stream/*"]
    assert sorted(read["Action"]) == ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
    assert listing["Action"] == ["dynamodb:ListStreams"]
    assert send["Action"] == ["sqs:SendMessage"] and send["Resource"] == [f"arn:aws:sqs:{REGION}:{ACCOUNT}:dev-app-failed"]
    assert ev.stream_statements([_s3()], "dev-app", ACCOUNT, REGION) == []


def test_a_topic_subscription_has_sns_permission_and_every_stack_topic_is_known():
    functions = [{"name": "notify", "events": [{"sns": {"topic": "processed"}}]}, {"name": "other", "events": []}]
    w = ev.wiring(functions, "dev-app", ACCOUNT, REGION, "aws", RESOURCES)
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:dev-app-processed"
    assert w["permissions"] == [{"function_name": "dev-app-notify", "statement_id": "sns-dev-app-processed",
                                 "principal": "sns.amazonaws.com", "source_arn": topic, "source_account": ACCOUNT}]
    known = [f"arn:aws:sns:{REGION}:{ACCOUNT}:dev-app-both", topic]
    assert [(s["function_name"], s["topics"], s["known"]) for s in w["subscriptions"]] == [
        ("dev-app-notify", [topic], known), ("dev-app-other", [], known)]
