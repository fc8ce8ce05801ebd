"""API Gateway v2 additions of the emulator, seen through boto3 (so every answer also parses with botocore's service
model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_apigatewayv2.py`` (the module is named in the test's docstring).
"""

import uuid

import pytest
from botocore.exceptions import ClientError


def _api(client, protocol="WEBSOCKET"):
    extra = {"RouteSelectionExpression": "$request.body.action"} if protocol == "WEBSOCKET" else {}
    return client.create_api(Name=f"emu-{uuid.uuid4().hex[:8]}", ProtocolType=protocol, **extra)


def test_apigatewayv2_stage_updates_change_throttling_and_access_logs(emulator):
    """apigatewayv2_stage_updates"""
    client = emulator.client("apigatewayv2")
    api_id = _api(client)["ApiId"]
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/emu"
    client.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True,
                        DefaultRouteSettings={"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 20.0})

    updated = client.update_stage(ApiId=api_id, StageName="prod",
                                  DefaultRouteSettings={"ThrottlingBurstLimit": 50},
                                  AccessLogSettings={"DestinationArn": group, "Format": "$context.requestId"})
    assert updated["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 50
    stage = client.get_stage(ApiId=api_id, StageName="prod")
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 50
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == 20.0
    assert stage["AccessLogSettings"] == {"DestinationArn": group, "Format": "$context.requestId"}
    assert stage["AutoDeploy"] is True

    client.delete_access_log_settings(ApiId=api_id, StageName="prod")
    assert "AccessLogSettings" not in client.get_stage(ApiId=api_id, StageName="prod")

    with pytest.raises(ClientError) as missing:
        client.update_stage(ApiId=api_id, StageName="nope", Description="x")
    assert missing.value.response["Error"]["Code"] == "NotFoundException"


def test_apigatewayv2_websocket_endpoint_is_wss(emulator):
    """apigatewayv2_websocket_endpoint"""
    client = emulator.client("apigatewayv2")
    created = _api(client)
    assert created["ApiEndpoint"] == f"wss://{created['ApiId']}.execute-api.us-east-1.amazonaws.com"
    assert client.get_api(ApiId=created["ApiId"])["ApiEndpoint"].startswith("wss://")
    assert _api(client, "HTTP")["ApiEndpoint"].startswith("https://")
