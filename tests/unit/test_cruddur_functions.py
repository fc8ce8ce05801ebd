"""The example handlers of inventories/cruddur/functions, called directly (what the deployed functions would answer)."""

import importlib.util
import json
from pathlib import Path

import pytest

FUNCTIONS = Path(__file__).resolve().parents[2] / "inventories" / "cruddur" / "functions"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"cruddur_{name}", FUNCTIONS / name / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Recorder:
    """Stands for the boto3 clients: records the calls the handler makes."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append((name, kwargs or args))
            return f"https://signed.example/{kwargs.get('Params', {}).get('Key', '')}" if name == "generate_presigned_url" else {}
        return call


def test_presign_signs_a_put_under_the_originals_prefix(monkeypatch):
    presign = _load("presign")
    monkeypatch.setenv("S3_BUCKET", "dev-cruddur-uploads")
    s3 = Recorder()
    answer = presign.handler({"body": json.dumps({"uuid": "0f1e2d3c-aaaa-bbbb", "extension": "PNG"})}, None, s3=s3)
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"])["key"] == "avatars/original/0f1e2d3c-aaaa-bbbb.png"
    ((name, kwargs),) = s3.calls
    assert name == "generate_presigned_url" and kwargs["Params"] == {"Bucket": "dev-cruddur-uploads",
                                                                     "Key": "avatars/original/0f1e2d3c-aaaa-bbbb.png"}


@pytest.mark.parametrize("request_", [{"uuid": "../etc", "extension": "jpg"}, {"uuid": "0f1e2d3c-aaaa", "extension": "gif"}, {}])
def test_presign_refuses_a_bad_request_without_signing(request_):
    s3 = Recorder()
    answer = _load("presign").handler(request_, None, s3=s3)
    assert answer["statusCode"] == 400 and s3.calls == []


def test_thumbnail_copies_each_original_and_tells_the_topic(monkeypatch):
    thumbnail = _load("thumbnail")
    monkeypatch.setenv("ASSETS_BUCKET", "dev-cruddur-assets")
    monkeypatch.setenv("SNS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:dev-cruddur-processed-images")
    event = {"Records": [
        {"s3": {"bucket": {"name": "dev-cruddur-uploads"}, "object": {"key": "avatars/original/user%2B1.png"}}},
        {"s3": {"bucket": {"name": "dev-cruddur-uploads"}, "object": {"key": "tmp/partial.jpg"}}},
    ]}
    s3, sns = Recorder(), Recorder()
    assert thumbnail.handler(event, None, s3=s3, sns=sns) == {"thumbnails": ["avatars/processed/user+1.jpg"]}
    assert s3.calls == [("copy_object", {"Bucket": "dev-cruddur-assets", "Key": "avatars/processed/user+1.jpg",
                                         "CopySource": {"Bucket": "dev-cruddur-uploads", "Key": "avatars/original/user+1.png"}})]
    ((name, kwargs),) = sns.calls
    assert name == "publish" and json.loads(kwargs["Message"]) == {"source": "avatars/original/user+1.png",
                                                                   "thumbnail": "avatars/processed/user+1.jpg"}


def test_the_stream_processor_updates_both_members_groups_for_new_messages_only(monkeypatch):
    processor = _load("stream_processor")
    image = {"pk": {"S": "MSG#group-1"}, "sk": {"S": "2026-12-05T18:00:00"}, "message": {"S": "hi"},
             "user_uuid": {"S": "u1"}, "other_user_uuid": {"S": "u2"}}
    event = {"Records": [{"eventName": "INSERT", "dynamodb": {"NewImage": image}},
                         {"eventName": "MODIFY", "dynamodb": {"NewImage": image}},
                         {"eventName": "INSERT", "dynamodb": {"NewImage": dict(image, pk={"S": "GRP#u1"})}}]}
    table = Recorder()
    assert processor.handler(event, None, table=table) == {"processed": 2}
    assert [kwargs["Item"]["pk"] for _name, kwargs in table.calls] == ["GRP#u1", "GRP#u2"]
    assert {kwargs["Item"]["message_group_uuid"] for _name, kwargs in table.calls} == {"group-1"}


def test_the_websocket_handlers():
    websocket = _load("websocket")
    context = {"requestContext": {"connectionId": "abc="}}
    assert websocket.connect(context, None)["statusCode"] == 401
    assert websocket.connect(dict(context, queryStringParameters={"user": "andrew"}), None)["statusCode"] == 200
    assert json.loads(websocket.disconnect(context, None)["body"]) == {"disconnected": "abc="}
    assert json.loads(websocket.default(dict(context, body="ping"), None)["body"]) == {"connection": "abc=", "echo": "ping"}
