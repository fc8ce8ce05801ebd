"""What the websocket_api role decides: input errors before any AWS call, the module's options with the stack's
function names and ARNs, permissions scoped to one API, outputs and summary lines."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import websocket_api_role as role

FUNCTIONS = [{"name": "connect", "source": "x"}, {"name": "message", "source": "y"}]
API = {"name": "chat", "routes": [{"key": "$connect", "function": "connect"},
                                  {"key": "$disconnect", "function": "connect"},
                                  {"key": "$default", "function": "message"},
                                  {"key": "sendMessage", "function": "message"}]}


def _errors(apis, state="present", functions=FUNCTIONS):
    return role.websocket_api_errors({"websocket_api_apis": apis, "websocket_api_functions": functions,
                                      "websocket_api_name_prefix": "dev-app", "websocket_api_state": state})


def test_a_good_api_has_no_errors():
    assert _errors([API]) == []


def test_a_route_to_a_function_the_stack_does_not_declare_is_refused():
    api = {"name": "chat", "routes": [{"key": "$default", "function": "ghost"}]}
    assert _errors([api]) == ["websocket_api_apis[0] (chat) routes[0] ($default): function ghost is not declared by "
                              "the stack's lambda_function_functions (connect, message)"]


@pytest.mark.parametrize("routes, message", [
    ([{"key": "$default", "function": "connect"}, {"key": "$default", "function": "message"}],
     "route $default is declared 2 times; route keys must be unique"),
    ([{"key": "$disconnect", "function": "connect"}], "a $disconnect route needs a $connect route"),
    ([{"key": "$other", "function": "connect"}], "key must be one of $connect, $disconnect, $default or a custom"),
    ([{"key": "send message", "function": "connect"}], "key must be one of"),
    ([], "routes must be a non-empty list"),
    ([{"key": "$default"}], "function must be the logical name"),
])
def test_bad_routes_are_refused(routes, message):
    errors = _errors([{"name": "chat", "routes": routes}])
    assert any(message in e for e in errors), errors


@pytest.mark.parametrize("stage, message", [
    ({"throttling_burst_limit": 5001}, "throttling_burst_limit must be a whole number from 0 to 5000, got 5001"),
    ({"throttling_rate_limit": -1}, "throttling_rate_limit must be a number from 0 to 10000"),
    ({"name": "bad stage"}, "stage name must be 1-128 letters"),
    ({"log_retention_days": 2}, "log_retention_days must be one of CloudWatch Logs' values"),
    ({"access_logs": "yes"}, "access_logs must be true or false"),
])
def test_bad_stages_are_refused(stage, message):
    errors = _errors([dict(API, stage=stage)])
    assert any(message in e for e in errors), errors


def test_names_route_selection_and_duplicates():
    errors = _errors([dict(API, name="chat", route_selection_expression="action"), dict(API, name="chat"),
                      dict(API, name="bad name")])
    assert any("route_selection_expression must select from the request" in e for e in errors)
    assert "websocket_api_apis: 0, 1 are all named chat; names must be unique" in errors
    assert any("name must be the API's logical name" in e for e in errors)


def test_removing_checks_only_the_names():
    assert _errors([{"name": "chat"}], state="absent", functions=[]) == []
    assert _errors([{"name": "bad name"}], state="absent") == ["websocket_api_apis[0]: name must be the API's logical name, got 'bad name'"]


def test_specs_name_the_stack_functions_and_the_module_options():
    spec = role.api_specs([dict(API, stage={"access_logs": True, "throttling_rate_limit": 20})], "dev-app",
                          "123456789012", "eu-west-1", tags={"atelier:env": "dev"})[0]
    assert spec["api_name"] == "dev-app-chat" and spec["statement_id"] == "dev-app-chat-apigateway"
    assert spec["functions"] == ["dev-app-connect", "dev-app-message"]
    module = spec["module"]
    assert module["routes"][0] == {"route_key": "$connect",
                                   "function_arn": "arn:aws:lambda:eu-west-1:123456789012:function:dev-app-connect"}
    assert module["stage"] == {"name": "prod", "throttling_burst_limit": 500, "throttling_rate_limit": 20.0,
                               "access_log_destination_arn":
                                   "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/dev-app-chat/prod"}
    assert module["tags"] == {"atelier:env": "dev", "Name": "dev-app-chat"}
    assert spec["log_group"] == "/aws/apigateway/dev-app-chat/prod"
    assert role.api_specs([API], "dev-app", "1", "eu-west-1")[0]["log_group"] is None


def test_permissions_are_scoped_to_the_api():
    specs = role.api_specs([API], "dev-app", "123456789012", "eu-west-1")
    entries = role.permissions(specs, [{"api": {"api_id": "abc123"}}], "123456789012", "eu-west-1")
    assert [e["function_name"] for e in entries] == ["dev-app-connect", "dev-app-message"]
    assert {e["source_arn"] for e in entries} == {"arn:aws:execute-api:eu-west-1:123456789012:abc123/*"}
    assert {e["principal"] for e in entries} == {"apigateway.amazonaws.com"}
    planned = role.permissions(specs, [{"api": None}], "123456789012", "eu-west-1")
    assert planned[0]["source_arn"] == "arn:aws:execute-api:eu-west-1:123456789012:(new)/*"


def test_outputs_and_the_summary_line():
    specs = role.api_specs([API], "dev-app", "1", "eu-west-1")
    result = {"api": {"api_id": "abc", "api_endpoint": "wss://abc.example",
                      "stage": {"name": "prod", "invoke_url": "wss://abc.example/prod"}}}
    out = role.outputs(specs, [result])
    assert out["apis"][0]["url"] == "wss://abc.example/prod"
    assert out["apis"][0]["routes"]["$default"] == "dev-app-message"
    assert out["summary"] == ["WebSocket API dev-app-chat: wss://abc.example/prod ($connect -> dev-app-connect, "
                              "$disconnect -> dev-app-connect, $default -> dev-app-message, sendMessage -> dev-app-message)"]
    assert "(not deployed)" in role.outputs(specs, [{"api": None}])["summary"][0]
