"""The pure parts of plugins/module_utils/apigatewayv2.py: integration URIs, stage differences, tag changes."""

from ansible_collections.atelier.infra.plugins.module_utils import apigatewayv2 as gw

FN = "arn:aws:lambda:eu-west-1:123456789012:function:dev-app-connect"


def test_an_integration_uri_and_its_function_round_trip():
    uri = gw.integration_uri(FN)
    assert uri == f"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/{FN}/invocations"
    assert gw.function_of(uri) == FN
    assert gw.function_of("http://example.com") is None


def test_stage_differences_name_only_what_differs():
    stage = {"name": "prod", "throttling_burst_limit": 10, "throttling_rate_limit": 5.0}
    current = {"AutoDeploy": True, "DefaultRouteSettings": {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5.0,
                                                            "LoggingLevel": "OFF", "DataTraceEnabled": False}}
    assert gw.stage_differences(current, stage) == {}
    assert set(gw.stage_differences({**current, "AutoDeploy": False}, stage)) == {"AutoDeploy"}
    assert set(gw.stage_differences(current, dict(stage, throttling_burst_limit=11))) == {"DefaultRouteSettings"}
    logged = dict(stage, access_log_destination_arn="arn:aws:logs:eu-west-1:1:log-group:g")
    assert gw.stage_differences(current, logged)["AccessLogSettings"][1]["DestinationArn"].endswith(":g")


def test_tag_changes_set_what_differs_and_purge_the_rest():
    assert gw.tag_changes({"a": "1", "b": "2"}, {"a": "1", "c": "3"}) == ({"c": "3"}, ["b"])
    assert gw.tag_changes({"a": "1", "b": "2"}, {"a": "2"}, purge=False) == ({"a": "2"}, [])


def test_execution_arn():
    assert gw.execution_arn("abc", "eu-west-1", "1") == "arn:aws:execute-api:eu-west-1:1:abc"


def test_the_plan_callback_reads_the_module_action_lines():
    from ansible_collections.atelier.infra.plugins.module_utils import plan

    route = plan.parse_action("create api gateway route dev-app-chat/$connect")
    assert (route["action"], route["type"], route["name"]) == ("create", "api gateway route", "dev-app-chat/$connect")
    stage = plan.parse_action("update api gateway stage dev-app-chat/prod: DefaultRouteSettings")
    assert (stage["action"], stage["type"], stage["attributes"]) == ("update", "api gateway stage", ["DefaultRouteSettings"])
    tags = plan.parse_action("update tags of api gateway api dev-app-chat: set Name")
    assert (tags["type"], tags["name"]) == ("api gateway api", "dev-app-chat")
