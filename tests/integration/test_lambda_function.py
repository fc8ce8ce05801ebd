"""The lambda_function role against the emulator, through inventories/local (the stack local-atelier): ONE deploy,
shared by the module, of four functions copied from tests/integration/fixtures/functions - presign (Python, granted
writes to the stack's table), notify (Node.js on arm64, subscribed to the images-processed topic), thumbnail (S3
notifications of the uploads bucket) and stream_processor (the messages table's stream, failed batches to a queue) -
over the stack's bucket, tables (one with a stream), queue and topic made in the test itself with boto3: check mode on
the empty account, what Lambda, IAM, S3 and SNS hold (a notification of another owner kept), what the execution roles
may do, a second run that uploads and changes nothing, a changed source file that uploads exactly one function's code,
bad input refused before any AWS call (one failing run names every kind), then the removal.

The event wiring was a file of its own (test_lambda_event_wiring.py) with its own deploy of the same role: one deploy
(plan, first run, second run, removal) of the role less since.
"""

import base64
import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

import pytest

PLAYBOOK = "tests/integration/fixtures/lambda_function_role.yml"
FIXTURES = Path(__file__).parent / "fixtures" / "functions"
PREFIX = "local-atelier"
TABLE = f"{PREFIX}-AtelierDB"
BUCKET, MESSAGES, PLAIN, QUEUE = f"{PREFIX}-uploads", f"{PREFIX}-messages", f"{PREFIX}-plain", f"{PREFIX}-stream-failures"
TOPIC = f"{PREFIX}-images-processed"
STACK = {"prefix": PREFIX, "env": "local", "resources": {
    "dynamodb_table": ["AtelierDB", "messages", "plain"], "s3_bucket": ["uploads"], "sqs_queue": ["stream-failures"],
    "sns_topic": ["images-processed"], "secret": [], "kms_key": []}}
FOREIGN = "someone-else"
NAMES = ("presign", "notify", "thumbnail", "stream_processor")
# The packaging code itself (pure Python, no collection import), to check what Lambda holds.
_SPEC = importlib.util.spec_from_file_location(
    "lambda_package", Path(__file__).parents[2] / "plugins" / "module_utils" / "lambda_package.py")
lambda_package = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(lambda_package)


def _functions(root):
    return [
        {"name": "presign", "source": str(root / "presign"), "handler": "app.handler", "runtime": "python3.12",
         "memory": 256, "timeout": 10, "environment": {"UPLOADS_PREFIX": "avatars/"},
         "grants": [{"kind": "dynamodb_table", "name": "AtelierDB", "access": "write"}], "log_retention_days": 14,
         "reserved_concurrency": 5},
        {"name": "notify", "source": str(root / "notify"), "handler": "index.handler", "runtime": "nodejs20.x",
         "architecture": "arm64", "events": [{"sns": {"topic": "images-processed"}}]},
        {"name": "thumbnail", "source": str(root / "thumbnail"), "events": [
            {"s3": {"bucket": "uploads", "prefix": "avatars/original/", "suffix": ".jpg"}},
            {"s3": {"bucket": "uploads", "prefix": "avatars/original/", "suffix": ".png"}}]},
        {"name": "stream_processor", "source": str(root / "stream_processor"), "events": [
            {"dynamodb_stream": {"table": "messages", "batch_size": 25, "starting_position": "TRIM_HORIZON",
                                 "maximum_retry_attempts": 2, "failure_destination": "stream-failures"}}]},
    ]


def _vars(root, build, **more):
    return dict({"lambda_function_functions": _functions(root), "lambda_function_build_dir": str(build),
                 "lambda_function_stack": STACK, "lambda_function_stream_tables": ["messages"]}, **more)


def _table(dynamodb, name, stream):
    extra = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}} if stream else {}
    return dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], **extra)["TableDescription"]


def _code_uploads(run):
    """The UpdateFunctionCode requests of a run (REST: PUT /2015-03-31/functions/<name>/code)."""
    return [r["action"] for r in run.requests if r["service"] == "lambda" and r["action"].startswith("PUT ")
            and r["action"].endswith("/code")]


@pytest.fixture(scope="module")
def deployed(emulator, tmp_path_factory):
    emulator.reset()
    root = tmp_path_factory.mktemp("functions")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    build = tmp_path_factory.mktemp("build")
    s3, sqs, dynamodb = emulator.client("s3"), emulator.client("sqs"), emulator.client("dynamodb")
    _table(dynamodb, TABLE, False)
    s3.create_bucket(Bucket=BUCKET)
    # A notification another owner keeps on the bucket (a queue, its Id outside the stack's): never touched.
    queue_arn = sqs.get_queue_attributes(QueueUrl=sqs.create_queue(QueueName=FOREIGN)["QueueUrl"],
                                         AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(Bucket=BUCKET, NotificationConfiguration={"QueueConfigurations": [
        {"Id": FOREIGN, "QueueArn": queue_arn, "Events": ["s3:ObjectRemoved:*"]}]})
    stream = _table(dynamodb, MESSAGES, True)["LatestStreamArn"]
    _table(dynamodb, PLAIN, False)
    sqs.create_queue(QueueName=QUEUE)
    topic = emulator.client("sns").create_topic(Name=TOPIC)["TopicArn"]
    present = _vars(root, build)
    out = {"root": root, "build": build, "present": present, "stream": stream, "queue_arn": queue_arn, "topic": topic}
    out["plan"] = emulator.playbook(PLAYBOOK, "--check", extra_vars=present)
    out["first"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    assert out["first"].rc == 0, out["first"].output[-8000:]
    out["again"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    out["notifications"] = s3.get_bucket_notification_configuration(Bucket=BUCKET)
    lam = emulator.client("lambda")
    out["mappings"] = lam.list_event_source_mappings(FunctionName=f"{PREFIX}-stream_processor")["EventSourceMappings"]
    out["before"] = {n: lam.get_function_configuration(FunctionName=f"{PREFIX}-{n}") for n in NAMES}
    (root / "presign" / "app.py").write_text((root / "presign" / "app.py").read_text() + "\n# changed\n")
    out["changed"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    out["after"] = {n: lam.get_function_configuration(FunctionName=f"{PREFIX}-{n}") for n in NAMES}
    return out


def test_check_mode_on_an_empty_account_mutates_nothing(deployed):
    plan = deployed["plan"]
    assert plan.rc == 0, plan.output[-8000:]
    assert plan.mutating == []
    assert plan.changed > 0


def test_the_functions_exist_with_their_settings(deployed, emulator):
    presign, notify = deployed["before"]["presign"], deployed["before"]["notify"]
    assert (presign["Runtime"], presign["Handler"], presign["MemorySize"], presign["Timeout"]) == ("python3.12", "app.handler", 256, 10)
    assert presign["Environment"]["Variables"] == {"UPLOADS_PREFIX": "avatars/", "DYNAMODB_TABLE": TABLE}
    assert presign["Role"].endswith(f":role/{PREFIX}-presign-lambda")
    assert (notify["Runtime"], notify["Handler"], notify["Architectures"]) == ("nodejs20.x", "index.handler", ["arm64"])
    lam = emulator.client("lambda")
    assert lam.get_function_concurrency(FunctionName=f"{PREFIX}-presign").get("ReservedConcurrentExecutions") == 5
    assert lam.get_function_concurrency(FunctionName=f"{PREFIX}-notify").get("ReservedConcurrentExecutions") is None
    # The code Lambda holds is the deterministic package of the directory (the same files elsewhere give the same zip).
    assert presign["CodeSha256"] == lambda_package.code_sha256(lambda_package.zip_bytes(FIXTURES / "presign"))


def test_the_role_is_trusted_by_lambda_of_this_account_and_the_log_group_kept_14_days(deployed, emulator):
    role = emulator.client("iam").get_role(RoleName=f"{PREFIX}-presign-lambda")["Role"]
    statement = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert list(statement["Condition"]["StringEquals"]) == ["aws:SourceAccount"]
    groups = emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{PREFIX}-")["logGroups"]
    assert {g["logGroupName"]: g.get("retentionInDays") for g in groups} == {
        f"/aws/lambda/{PREFIX}-{n}": 14 if n == "presign" else 30 for n in NAMES}


def test_the_role_may_write_its_table_and_nothing_else(deployed, emulator):
    account = emulator.client("sts").get_caller_identity()["Account"]
    with pytest.raises(PermissionError):
        emulator.role_credentials(f"{PREFIX}-presign-lambda", "lambda.amazonaws.com", source_account="999999999999")
    with emulator.iam_enforced():
        dynamodb = emulator.client_as_role("dynamodb", f"{PREFIX}-presign-lambda", principal="lambda.amazonaws.com",
                                           source_account=account)
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "a"}})
        with pytest.raises(dynamodb.exceptions.ClientError) as denied:
            dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "a"}})
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        notify = emulator.client_as_role("dynamodb", f"{PREFIX}-notify-lambda", principal="lambda.amazonaws.com",
                                         source_account=account)
        with pytest.raises(notify.exceptions.ClientError) as refused:
            notify.put_item(TableName=TABLE, Item={"pk": {"S": "b"}})
        assert refused.value.response["Error"]["Code"] == "AccessDeniedException"


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


def test_a_second_run_changes_nothing_and_uploads_no_code(deployed):
    again = deployed["again"]
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == []
    assert _code_uploads(again) == []


def test_a_changed_source_file_uploads_exactly_that_functions_code(deployed):
    changed = deployed["changed"]
    assert changed.rc == 0, changed.output[-8000:]
    assert _code_uploads(changed) == [f"PUT /2015-03-31/functions/{PREFIX}-presign/code"]
    assert deployed["after"]["presign"]["CodeSha256"] != deployed["before"]["presign"]["CodeSha256"]
    package = (deployed["build"] / PREFIX / "presign.zip").read_bytes()
    assert deployed["after"]["presign"]["CodeSha256"] == base64.b64encode(hashlib.sha256(package).digest()).decode()
    for name in NAMES[1:]:
        assert deployed["after"][name]["CodeSha256"] == deployed["before"][name]["CodeSha256"], name


@pytest.fixture(scope="module")
def refused(deployed, emulator, tmp_path_factory):
    """ONE run with every kind of bad input (the role's check names them all at once): two functions named broken, one
    without its handler file, one with too little memory, and two functions whose events the stack cannot wire."""
    root, empty = deployed["root"], tmp_path_factory.mktemp("empty")
    bad = _functions(root) + [
        {"name": "resize", "source": str(root / "thumbnail"), "events": [{"s3": {"bucket": "uploads", "prefix": "avatars/"}}]},
        {"name": "audit", "source": str(root / "stream_processor"), "events": [{"dynamodb_stream": {"table": "plain"}}]},
        {"name": "broken", "source": str(empty), "handler": "app.handler"},
        {"name": "broken", "source": str(empty / "gone"), "memory": 64},
    ]
    run = emulator.playbook(PLAYBOOK, extra_vars=dict(deployed["present"], lambda_function_functions=bad))
    return {"run": run, "text": " ".join(run.output.split()), "empty": empty}


def test_a_missing_handler_fails_before_any_aws_call(refused):
    run, text = refused["run"], refused["text"]
    assert run.rc != 0 and run.requests == []
    assert "Invalid input for the lambda_function role" in text
    assert f"handler app.handler needs app.py in {refused['empty']}" in text
    assert "memory must be a whole number from 128 to 10240 MB, got 64" in text
    assert "are all named broken" in text


def test_bad_events_fail_before_any_aws_call(refused):
    run, text = refused["run"], refused["text"]
    assert run.rc != 0 and run.requests == []
    assert "Invalid input for the lambda_function role" in text
    assert "the S3 notifications thumbnail events[0] and resize events[0] of the bucket uploads overlap" in text
    assert "the table plain has no stream" in text


def test_absent_removes_everything_but_what_others_own(deployed, emulator):
    """The removal: the functions, their roles and log groups, the stream mappings, the bucket's notifications (the
    other owner's kept), the subscriptions and permissions."""
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
    roles = [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]]
    assert [r for r in roles if r.startswith(PREFIX)] == []
    assert emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{PREFIX}-")["logGroups"] == []
