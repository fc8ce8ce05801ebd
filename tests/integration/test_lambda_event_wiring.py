"""Event wiring of the lambda_function role against the emulator (inventories/local, the stack local-atelier): the
stack's bucket, tables (one with a stream), queue and topic are made in the test itself with boto3, then ONE deploy of
three functions from tests/integration/fixtures/functions - thumbnail (S3 notifications of the uploads bucket),
stream_processor (the messages table's stream, failed batches to a queue) and notify (subscribed to the
images-processed topic) - shared by the module: what S3, Lambda and SNS hold, a notification of another owner kept,
a second run that changes nothing, bad input refused before any AWS call, then the removal."""

import json
import shutil
from pathlib import Path

import pytest

PLAYBOOK = "tests/integration/fixtures/lambda_function_role.yml"
FIXTURES = Path(__file__).parent / "fixtures" / "functions"
PREFIX = "local-atelier"
BUCKET, MESSAGES, PLAIN, QUEUE = f"{PREFIX}-uploads", f"{PREFIX}-messages", f"{PREFIX}-plain", f"{PREFIX}-stream-failures"
TOPIC = f"{PREFIX}-images-processed"
STACK = {"prefix": PREFIX, "env": "local", "resources": {
    "dynamodb_table": ["messages", "plain"], "s3_bucket": ["uploads"], "sqs_queue": ["stream-failures"], "sns_topic": ["images-processed"],
    "secret": [], "kms_key": []}}
FOREIGN = "someone-else"


def _functions(root):
    return [
        {"name": "thumbnail", "source": str(root / "thumbnail"), "events": [
            {"s3": {"bucket": "uploads", "prefix": "avatars/original/", "suffix": ".jpg"}},
            {"s3": {"bucket": "uploads", "prefix": "avatars/original/", "suffix": ".png"}}]},
        {"name": "stream_processor", "source": str(root / "stream_processor"), "events": [
            {"dynamodb_stream": {"table": "messages", "batch_size": 25, "starting_position": "TRIM_HORIZON",
                                 "maximum_retry_attempts": 2, "failure_destination": "stream-failures"}}]},
        {"name": "notify", "source": str(root / "notify"), "handler": "index.handler", "runtime": "nodejs20.x",
         "events": [{"sns": {"topic": "images-processed"}}]},
    ]


def _vars(root, build, **more):
    return dict({"lambda_function_functions": _functions(root), "lambda_function_build_dir": str(build),
                 "lambda_function_stack": STACK, "lambda_function_stream_tables": ["messages"]}, **more)


def _table(dynamodb, name, stream):
    extra = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}} if stream else {}
    return dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], **extra)["TableDescription"]


@pytest.fixture(scope="module")
def deployed(emulator, tmp_path_factory):
    emulator.reset()
    root = tmp_path_factory.mktemp("functions")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    build = tmp_path_factory.mktemp("build")
    s3, sqs = emulator.client("s3"), emulator.client("sqs")
    s3.create_bucket(Bucket=BUCKET)
    # A notification another owner keeps on the bucket (a queue, its Id outside the stack's): never touched.
    queue_arn = sqs.get_queue_attributes(QueueUrl=sqs.create_queue(QueueName=FOREIGN)["QueueUrl"],
                                         AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(Bucket=BUCKET, NotificationConfiguration={"QueueConfigurations": [
        {"Id": FOREIGN, "QueueArn": queue_arn, "Events": ["s3:ObjectRemoved:*"]}]})
    stream = _table(emulator.client("dynamodb"), MESSAGES, True)["LatestStreamArn"]
    _table(emulator.client("dynamodb"), PLAIN, False)
    sqs.create_queue(QueueName=QUEUE)
    topic = emulator.client("sns").create_topic(Name=TOPIC)["TopicArn"]
    present = _vars(root, build)
    out = {"root": root, "build": build, "present": present, "stream": stream, "queue_arn": queue_arn, "topic": topic}
    out["plan"] = emulator.playbook(PLAYBOOK, "--check", extra_vars=present)
    out["first"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    assert out["first"].rc == 0, out["first"].output[-8000:]
    out["again"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    out["notifications"] = s3.get_bucket_notification_configuration(Bucket=BUCKET)
    out["mappings"] = emulator.client("lambda").list_event_source_mappings(FunctionName=f"{PREFIX}-stream_processor")["EventSourceMappings"]
    return out


def test_check_mode_on_an_empty_account_mutates_nothing(deployed):
    plan = deployed["plan"]
    assert plan.rc == 0, plan.output[-8000:]
    assert plan.mutating == []


def test_the_bucket_notifies_the_thumbnail_function_with_its_filters_and_keeps_the_other_owners(deployed, emulator):
    configuration = deployed["notifications"]
    account = emulator.client("sts").get_caller_identity()["Account"]
    arn = f"arn:aws:lambda:us-east-1:{account}:function:{PREFIX}-thumbnail"
    lambdas = sorted(configuration["LambdaFunctionConfigurations"], key=lambda c: c["Id"])
    assert [c["Id"] for c in lambdas] == [f"atelier/{PREFIX}/thumbnail/0", f"atelier/{PREFIX}/thumbnail/1"]
    assert {c["LambdaFunctionArn"] for c in lambdas} == {arn}
    assert [c["Events"] for c in lambdas] == [["s3:ObjectCreated:*"]] * 2
    rules = [{r["Name"].lower(): r["Value"] for r in c["Filter"]["Key"]["FilterRules"]} for c in lambdas]
    assert rules == [{"prefix": "avatars/original/", "suffix": ".jpg"}, {"prefix": "avatars/original/", "suffix": ".png"}]
    assert [(q["Id"], q["QueueArn"]) for q in configuration["QueueConfigurations"]] == [(FOREIGN, deployed["queue_arn"])]


def test_s3_may_invoke_the_thumbnail_function_from_this_bucket_and_account_only(deployed, emulator):
    account = emulator.client("sts").get_caller_identity()["Account"]
    policy = json.loads(emulator.client("lambda").get_policy(FunctionName=f"{PREFIX}-thumbnail")["Policy"])
    (statement,) = policy["Statement"]
    assert statement["Sid"] == f"s3-{BUCKET}" and statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Action"] == "lambda:InvokeFunction"
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == f"arn:aws:s3:::{BUCKET}"
    assert statement["Condition"]["StringEquals"]["AWS:SourceAccount"] == account


def test_the_stream_mapping_is_enabled_on_the_messages_tables_stream(deployed, emulator):
    account = emulator.client("sts").get_caller_identity()["Account"]
    (mapping,) = deployed["mappings"]
    assert mapping["EventSourceArn"] == deployed["stream"] and mapping["State"] == "Enabled"
    assert (mapping["BatchSize"], mapping["StartingPosition"], mapping["MaximumRetryAttempts"]) == (25, "TRIM_HORIZON", 2)
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == f"arn:aws:sqs:us-east-1:{account}:{QUEUE}"
    assert emulator.client("lambda").list_event_source_mappings(FunctionName=f"{PREFIX}-thumbnail")["EventSourceMappings"] == []


def test_the_processor_may_read_its_stream_and_send_its_failures_only(deployed, emulator):
    account = emulator.client("sts").get_caller_identity()["Account"]
    role = emulator.client("iam").get_role_policy(RoleName=f"{PREFIX}-stream_processor-lambda", PolicyName="function")
    statements = {s["Sid"]: s for s in role["PolicyDocument"]["Statement"]}
    assert statements["ReadItsMappedStreams"]["Resource"] == [f"arn:aws:dynamodb:us-east-1:{account}:table/{MESSAGES}/stream/*"]
    send = [s for sid, s in statements.items() if sid.startswith("FailureDestination")]
    assert [(s["Action"], s["Resource"]) for s in send] == [(["sqs:SendMessage"], [f"arn:aws:sqs:us-east-1:{account}:{QUEUE}"])]
    with emulator.iam_enforced():
        streams = emulator.client_as_role("dynamodbstreams", f"{PREFIX}-stream_processor-lambda", principal="lambda.amazonaws.com",
                                          source_account=account)
        assert streams.describe_stream(StreamArn=deployed["stream"])["StreamDescription"]["StreamArn"] == deployed["stream"]


def test_the_notifier_is_subscribed_to_the_topic_which_may_invoke_it(deployed, emulator):
    account = emulator.client("sts").get_caller_identity()["Account"]
    arn = f"arn:aws:lambda:us-east-1:{account}:function:{PREFIX}-notify"
    subscriptions = emulator.client("sns").list_subscriptions_by_topic(TopicArn=deployed["topic"])["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("lambda", arn)]
    (statement,) = json.loads(emulator.client("lambda").get_policy(FunctionName=f"{PREFIX}-notify")["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == deployed["topic"]


def test_a_second_run_changes_nothing(deployed):
    again = deployed["again"]
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == []


def test_bad_events_fail_before_any_aws_call(deployed, emulator):
    root = deployed["root"]
    bad = _functions(root) + [
        {"name": "resize", "source": str(root / "thumbnail"), "events": [{"s3": {"bucket": "uploads", "prefix": "avatars/"}}]},
        {"name": "audit", "source": str(root / "stream_processor"), "events": [{"dynamodb_stream": {"table": "plain"}}]},
    ]
    run = emulator.playbook(PLAYBOOK, extra_vars=dict(deployed["present"], lambda_function_functions=bad))
    assert run.rc != 0 and run.requests == []
    text = " ".join(run.output.split())
    assert "Invalid input for the lambda_function role" in text
    assert "the S3 notifications thumbnail events[0] and resize events[0] of the bucket uploads overlap" in text
    assert "the table plain has no stream" in text


def test_absent_removes_the_mappings_notifications_subscriptions_and_permissions(deployed, emulator):
    gone = emulator.playbook(PLAYBOOK, extra_vars=dict(deployed["present"], lambda_function_state="absent",
                                                       lambda_function_delete_data=True))
    assert gone.rc == 0, gone.output[-8000:]
    lam, s3 = emulator.client("lambda"), emulator.client("s3")
    assert [m for m in lam.list_event_source_mappings()["EventSourceMappings"] if m["EventSourceArn"] == deployed["stream"]] == []
    configuration = s3.get_bucket_notification_configuration(Bucket=BUCKET)
    assert "LambdaFunctionConfigurations" not in configuration
    assert [q["Id"] for q in configuration["QueueConfigurations"]] == [FOREIGN]
    assert emulator.client("sns").list_subscriptions_by_topic(TopicArn=deployed["topic"])["Subscriptions"] == []
    names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    assert [n for n in names if n.startswith(PREFIX)] == []
