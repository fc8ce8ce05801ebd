"""The websocket_api role against the emulator, through inventories/local (the stack local-atelier): ONE deploy of
two functions from tests/integration/fixtures/functions (lambda_function role) and a WebSocket API whose $connect,
$disconnect, $default and one custom route invoke them, shared by the module - the plan on the empty account, the
routes -> integrations -> function ARNs, the stage, the permissions' source ARN, a second run that changes nothing,
then the removal. Bad input fails before any AWS call."""

import json

import pytest

PLAYBOOK = "tests/integration/fixtures/websocket_api_role.yml"
PREFIX = "local-atelier"
API = f"{PREFIX}-chat"
FUNCTIONS = [
    {"name": "presign", "source": "tests/integration/fixtures/functions/presign", "handler": "app.handler"},
    {"name": "notify", "source": "tests/integration/fixtures/functions/notify", "handler": "index.handler",
     "runtime": "nodejs20.x"},
]
APIS = [{
    "name": "chat",
    "routes": [
        {"key": "$connect", "function": "presign"},
        {"key": "$disconnect", "function": "presign"},
        {"key": "$default", "function": "notify"},
        {"key": "sendMessage", "function": "notify"},
    ],
    "stage": {"name": "prod", "throttling_burst_limit": 100, "throttling_rate_limit": 50},
    "tags": {"app": "cruddur"},
}]


def _api(emulator):
    found = [a for a in emulator.client("apigatewayv2").get_apis()["Items"] if a["Name"] == API]
    return found[0] if found else None


def _statements(emulator, function):
    try:
        policy = emulator.client("lambda").get_policy(FunctionName=f"{PREFIX}-{function}")["Policy"]
    except emulator.client("lambda").exceptions.ResourceNotFoundException:
        return []
    return json.loads(policy)["Statement"]


@pytest.fixture(scope="module")
def deployed(emulator, tmp_path_factory):
    emulator.reset()
    present = {"lambda_function_functions": FUNCTIONS, "websocket_api_apis": APIS,
               "lambda_function_build_dir": str(tmp_path_factory.mktemp("build"))}
    # The lambda_function role runs once (the deploy); the plan, the second run and the removal are the API's alone.
    alone = dict(present, websocket_api_with_functions=False)
    out = {"present": alone, "plan": emulator.playbook(PLAYBOOK, "--check", extra_vars=alone)}
    out["first"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    assert out["first"].rc == 0, out["first"].output[-8000:]
    out["again"] = emulator.playbook(PLAYBOOK, extra_vars=alone)
    out["api"] = _api(emulator)
    return out


def test_the_plan_on_an_empty_account_mutates_nothing_and_names_the_api(deployed):
    plan = deployed["plan"]
    assert plan.rc == 0, plan.output[-8000:]
    assert plan.mutating == []
    text = " ".join(plan.output.split())
    assert f"create api gateway api {API}" in text
    assert f"create api gateway route {API}/$connect" in text
    # the API, two integrations, four routes, the stage
    assert "Plan: 8 to add, 0 to change, 0 to destroy." in text


def test_the_api_is_a_websocket_api_with_its_tags(deployed):
    api = deployed["api"]
    assert api is not None
    assert api["ProtocolType"] == "WEBSOCKET"
    assert api["RouteSelectionExpression"] == "$request.body.action"
    assert api["ApiEndpoint"] == f"wss://{api['ApiId']}.execute-api.us-east-1.amazonaws.com"
    assert api["Tags"]["app"] == "cruddur"
    assert api["Tags"]["atelier:env"] == "local" and api["Tags"]["Name"] == API


def test_the_routes_target_their_functions(deployed, emulator):
    client = emulator.client("apigatewayv2")
    api_id = deployed["api"]["ApiId"]
    account = emulator.client("sts").get_caller_identity()["Account"]
    integrations = {i["IntegrationId"]: i for i in client.get_integrations(ApiId=api_id)["Items"]}
    assert len(integrations) == 2  # one per function, shared by its routes
    targets = {}
    for route in client.get_routes(ApiId=api_id)["Items"]:
        integration = integrations[route["Target"].removeprefix("integrations/")]
        assert integration["IntegrationType"] == "AWS_PROXY"
        targets[route["RouteKey"]] = integration["IntegrationUri"]
    arn = f"arn:aws:lambda:us-east-1:{account}:function:{PREFIX}"
    uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{}/invocations"
    assert targets == {
        "$connect": uri.format(f"{arn}-presign"),
        "$disconnect": uri.format(f"{arn}-presign"),
        "$default": uri.format(f"{arn}-notify"),
        "sendMessage": uri.format(f"{arn}-notify"),
    }


def test_the_stage_deploys_automatically_with_its_throttling(deployed, emulator):
    stage = emulator.client("apigatewayv2").get_stage(ApiId=deployed["api"]["ApiId"], StageName="prod")
    assert stage["AutoDeploy"] is True
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 100
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == 50.0
    assert "AccessLogSettings" not in stage


def test_each_function_may_be_invoked_by_this_api_only(deployed, emulator):
    account = emulator.client("sts").get_caller_identity()["Account"]
    source = f"arn:aws:execute-api:us-east-1:{account}:{deployed['api']['ApiId']}/*"
    for function in ("presign", "notify"):
        statements = _statements(emulator, function)
        assert len(statements) == 1, statements
        statement = statements[0]
        assert statement["Sid"] == f"{API}-apigateway"
        assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
        assert statement["Action"] == "lambda:InvokeFunction"
        assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == source


def test_the_summary_line_is_the_stage_url(deployed):
    text = " ".join(deployed["first"].output.split())
    assert f"WebSocket API {API}: wss://{deployed['api']['ApiId']}.execute-api.us-east-1.amazonaws.com/prod" in text


def test_a_second_run_changes_nothing(deployed):
    again = deployed["again"]
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == []


def test_bad_routes_fail_before_any_aws_call(deployed, emulator):
    bad = [{"name": "chat", "routes": [{"key": "$disconnect", "function": "presign"},
                                       {"key": "$default", "function": "ghost"},
                                       {"key": "$default", "function": "notify"}]}]
    run = emulator.playbook(PLAYBOOK, extra_vars={"websocket_api_apis": bad, "websocket_api_with_functions": False,
                                                  "lambda_function_functions": FUNCTIONS})
    assert run.rc != 0 and run.requests == []
    text = " ".join(run.output.split())
    assert "Invalid input for the websocket_api role" in text
    assert "function ghost is not declared by the stack's lambda_function_functions" in text
    assert "route $default is declared 2 times" in text
    assert "a $disconnect route needs a $connect route" in text


def test_absent_removes_the_api_and_the_permissions(deployed, emulator):
    gone = emulator.playbook(PLAYBOOK, extra_vars=dict(deployed["present"], websocket_api_state="absent"))
    assert gone.rc == 0, gone.output[-8000:]
    assert _api(emulator) is None
    assert _statements(emulator, "presign") == [] and _statements(emulator, "notify") == []
    # the functions stay: they are the lambda_function role's
    assert emulator.client("lambda").get_function(FunctionName=f"{PREFIX}-presign")["Configuration"]["State"]
