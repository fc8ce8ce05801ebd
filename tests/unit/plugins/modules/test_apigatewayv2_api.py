"""atelier.infra.apigatewayv2_api against an in-memory API Gateway v2: one run converges the API, its integrations,
routes and stage; a second run makes no mutating call; check mode makes none; absent deletes; bad options fail
before any call."""

import itertools

import pytest
from botocore.exceptions import ClientError

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.atelier.infra.plugins.modules import apigatewayv2_api as module
from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main

FN = "arn:aws:lambda:us-east-1:123456789012:function:dev-app-{}"
READS = {"get_apis", "get_integrations", "get_routes", "get_stage"}


class FakeApiGatewayV2:
    """What the module calls, kept as API Gateway keeps it."""

    def __init__(self):
        self.apis, self.calls, self.ids = {}, [], (f"id{n}" for n in itertools.count())

    def _call(self, name, kwargs):
        self.calls.append((name, kwargs))

    def mutating(self):
        return [c for c in self.calls if c[0] not in READS]

    def get_apis(self, **kwargs):
        self._call("get_apis", kwargs)
        return {"Items": [{k: v for k, v in a.items() if k not in ("routes", "integrations", "stages")}
                          for a in self.apis.values()]}

    def create_api(self, **kwargs):
        self._call("create_api", kwargs)
        api_id = next(self.ids)
        self.apis[api_id] = {**kwargs, "ApiId": api_id, "ApiEndpoint": f"wss://{api_id}.example",
                             "Tags": dict(kwargs.get("Tags") or {}), "routes": {}, "integrations": {}, "stages": {}}
        return {"ApiId": api_id, "ApiEndpoint": f"wss://{api_id}.example", "Name": kwargs["Name"]}

    def update_api(self, ApiId, **kwargs):
        self._call("update_api", kwargs)
        self.apis[ApiId].update(kwargs)
        return {}

    def delete_api(self, ApiId):
        self._call("delete_api", {"ApiId": ApiId})
        del self.apis[ApiId]
        return {}

    def tag_resource(self, ResourceArn, Tags):
        self._call("tag_resource", Tags)
        self.apis[ResourceArn.rsplit("/", 1)[-1]]["Tags"].update(Tags)
        return {}

    def untag_resource(self, ResourceArn, TagKeys):
        self._call("untag_resource", TagKeys)
        for key in TagKeys:
            self.apis[ResourceArn.rsplit("/", 1)[-1]]["Tags"].pop(key)
        return {}

    def get_integrations(self, ApiId, **kwargs):
        self._call("get_integrations", {})
        return {"Items": list(self.apis[ApiId]["integrations"].values())}

    def create_integration(self, ApiId, **kwargs):
        self._call("create_integration", kwargs)
        integration = {**kwargs, "IntegrationId": next(self.ids)}
        self.apis[ApiId]["integrations"][integration["IntegrationId"]] = integration
        return dict(integration)

    def delete_integration(self, ApiId, IntegrationId):
        self._call("delete_integration", {"IntegrationId": IntegrationId})
        del self.apis[ApiId]["integrations"][IntegrationId]
        return {}

    def get_routes(self, ApiId, **kwargs):
        self._call("get_routes", {})
        return {"Items": list(self.apis[ApiId]["routes"].values())}

    def create_route(self, ApiId, **kwargs):
        self._call("create_route", kwargs)
        route = {**kwargs, "RouteId": next(self.ids)}
        self.apis[ApiId]["routes"][route["RouteId"]] = route
        return dict(route)

    def update_route(self, ApiId, RouteId, **kwargs):
        self._call("update_route", kwargs)
        self.apis[ApiId]["routes"][RouteId].update(kwargs)
        return {}

    def delete_route(self, ApiId, RouteId):
        self._call("delete_route", {"RouteId": RouteId})
        del self.apis[ApiId]["routes"][RouteId]
        return {}

    def get_stage(self, ApiId, StageName):
        self._call("get_stage", {})
        if StageName not in self.apis[ApiId]["stages"]:
            raise ClientError({"Error": {"Code": "NotFoundException", "Message": "no stage"}}, "GetStage")
        return dict(self.apis[ApiId]["stages"][StageName])

    def create_stage(self, ApiId, **kwargs):
        self._call("create_stage", kwargs)
        self.apis[ApiId]["stages"][kwargs["StageName"]] = dict(kwargs)
        return dict(kwargs)

    def update_stage(self, ApiId, StageName, **kwargs):
        self._call("update_stage", kwargs)
        stage = self.apis[ApiId]["stages"][StageName]
        settings = dict(kwargs)
        if "DefaultRouteSettings" in settings:
            stage["DefaultRouteSettings"] = {**stage.get("DefaultRouteSettings", {}), **settings.pop("DefaultRouteSettings")}
        stage.update(settings)
        return dict(stage)

    def delete_access_log_settings(self, ApiId, StageName):
        self._call("delete_access_log_settings", {})
        self.apis[ApiId]["stages"][StageName].pop("AccessLogSettings", None)
        return {}


@pytest.fixture()
def aws(monkeypatch):
    fake = FakeApiGatewayV2()
    monkeypatch.setattr(AnsibleAWSModule, "client", lambda self, service, **kwargs: fake)
    return fake


def _args(**more):
    args = {
        "name": "dev-app-chat", "region": "us-east-1",
        "routes": [{"route_key": "$connect", "function_arn": FN.format("connect")},
                   {"route_key": "$disconnect", "function_arn": FN.format("connect")},
                   {"route_key": "$default", "function_arn": FN.format("message")}],
        "stage": {"name": "prod", "throttling_burst_limit": 100, "throttling_rate_limit": 50.0},
        "tags": {"atelier:env": "dev"},
    }
    args.update(more)
    return args


def _run(check=False, **more):
    args = _args(**more)
    if check:
        args["_ansible_check_mode"] = True
    return run_main(module, args)


def test_one_run_converges_the_api_its_integrations_routes_and_stage(aws):
    result = _run()
    assert isinstance(result, AnsibleExitJson), result.result
    api = result.result["api"]
    assert api["api_endpoint"] == f"wss://{api['api_id']}.example"
    assert api["stage"] == {"name": "prod", "invoke_url": f"wss://{api['api_id']}.example/prod"}
    assert {r["route_key"]: r["function_arn"] for r in api["routes"]} == {
        "$connect": FN.format("connect"), "$disconnect": FN.format("connect"), "$default": FN.format("message")}
    made = [name for name, _ in aws.mutating()]
    assert made.count("create_integration") == 2 and made.count("create_route") == 3 and made.count("create_stage") == 1
    stored = next(iter(aws.apis.values()))
    assert stored["ProtocolType"] == "WEBSOCKET" and stored["RouteSelectionExpression"] == "$request.body.action"
    integration = next(iter(stored["integrations"].values()))
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["IntegrationUri"].startswith("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:")
    assert stored["stages"]["prod"]["AutoDeploy"] is True
    assert stored["stages"]["prod"]["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50.0}
    assert "create api gateway route dev-app-chat/$connect" in result.result["actions"]


def test_a_second_run_makes_no_mutating_call(aws):
    _run()
    before = len(aws.mutating())
    again = _run()
    assert not again.result["changed"] and again.result["actions"] == []
    assert len(aws.mutating()) == before
    assert again.result["diff"]["before"] == again.result["diff"]["after"]


def test_check_mode_on_nothing_reads_only_and_plans_everything(aws):
    result = _run(check=True)
    assert result.result["changed"] and aws.mutating() == []
    assert result.result["api"] is None
    assert result.result["diff"]["after"]["routes"]["$default"] == FN.format("message")
    assert sum(a.startswith("create api gateway route") for a in result.result["actions"]) == 3


def test_a_moved_route_an_undeclared_route_and_new_settings_are_converged(aws):
    _run()
    aws.calls.clear()
    routes = [{"route_key": "$connect", "function_arn": FN.format("connect")},
              {"route_key": "$default", "function_arn": FN.format("connect")}]
    result = _run(routes=routes, stage={"name": "prod", "throttling_burst_limit": 200, "throttling_rate_limit": 50.0},
                  tags={"atelier:env": "prod"}, route_selection_expression="$request.body.type")
    made = [name for name, _ in aws.mutating()]
    assert sorted(made) == sorted(["update_api", "tag_resource", "update_route", "delete_route", "delete_integration",
                                   "update_stage"])
    assert dict(aws.mutating())["update_stage"] == {"DefaultRouteSettings": {"ThrottlingBurstLimit": 200, "ThrottlingRateLimit": 50.0}}
    assert result.result["diff"]["after"]["routes"] == {"$connect": FN.format("connect"), "$default": FN.format("connect")}
    assert len(next(iter(aws.apis.values()))["integrations"]) == 1


def test_access_logs_are_set_then_removed(aws):
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/dev-app-chat/prod"
    _run(stage={"name": "prod", "access_log_destination_arn": group})
    stage = next(iter(aws.apis.values()))["stages"]["prod"]
    assert stage["AccessLogSettings"]["DestinationArn"] == group and "$context.requestId" in stage["AccessLogSettings"]["Format"]
    aws.calls.clear()
    _run(stage={"name": "prod"})
    assert [name for name, _ in aws.mutating()] == ["delete_access_log_settings"]


def test_absent_deletes_the_api_and_twice_does_nothing(aws):
    _run()
    gone = run_main(module, {"name": "dev-app-chat", "state": "absent", "region": "us-east-1"})
    assert gone.result["changed"] and aws.apis == {}
    again = run_main(module, {"name": "dev-app-chat", "state": "absent", "region": "us-east-1"})
    assert not again.result["changed"]


def test_two_apis_of_one_name_fail_and_name_them(aws):
    aws.create_api(Name="dev-app-chat", ProtocolType="WEBSOCKET")
    aws.create_api(Name="dev-app-chat", ProtocolType="WEBSOCKET")
    aws.calls.clear()
    result = _run()
    assert isinstance(result, AnsibleFailJson) and "2 APIs are named dev-app-chat" in result.result["msg"]
    assert aws.mutating() == []


@pytest.mark.parametrize("more, message", [
    ({"routes": [{"route_key": "$default", "function_arn": FN.format("a")},
                 {"route_key": "$default", "function_arn": FN.format("b")}]}, "route $default is declared more than once"),
    ({"routes": [{"route_key": "$default", "function_arn": "dev-app-a"}]}, "function_arn must be a Lambda function ARN"),
    ({"stage": {"name": "prod", "throttling_burst_limit": -1}}, "throttling_burst_limit must be 0 or more"),
    ({"stage": {"name": "prod", "access_log_format": "$context.requestId"}}, "access_log_format needs access_log_destination_arn"),
])
def test_bad_options_fail_before_any_call(aws, more, message):
    result = _run(**more)
    assert isinstance(result, AnsibleFailJson) and message in result.result["msg"]
    assert aws.calls == []
