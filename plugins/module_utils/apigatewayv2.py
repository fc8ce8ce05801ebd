# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API Gateway v2 (WebSocket) for atelier.infra.apigatewayv2_api: one boto3 call per wrapper (amazon.aws' retry
decorator plus the collection's throttling codes, botocore errors turned into AnsibleApiGatewayV2Error) and the
convergence of one API (the API, one Lambda proxy integration per target function, the routes, one auto-deployed
stage, the API's tags) from what the reads answered. ``converge`` makes no mutating call in check mode and none when
nothing differs."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES
from ansible_collections.atelier.infra.plugins.module_utils.aws_values import all_pages

NOT_FOUND = "NotFoundException"
LAMBDA_VERSION = "2015-03-31"
# The stage settings the module manages: option -> (stage key, sub key).
THROTTLE_SETTINGS = {"throttling_burst_limit": "ThrottlingBurstLimit", "throttling_rate_limit": "ThrottlingRateLimit"}


class AnsibleApiGatewayV2Error(AnsibleAWSError):
    pass


class ApiGatewayV2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleApiGatewayV2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NOT_FOUND)


@ApiGatewayV2ErrorHandler.list_error_handler("list apis", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_apis(client):
    return all_pages(client.get_apis, "Items")


@ApiGatewayV2ErrorHandler.list_error_handler("list integrations", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_integrations(client, api_id):
    return all_pages(client.get_integrations, "Items", ApiId=api_id)


@ApiGatewayV2ErrorHandler.list_error_handler("list routes", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_routes(client, api_id):
    return all_pages(client.get_routes, "Items", ApiId=api_id)


@ApiGatewayV2ErrorHandler.list_error_handler("get stage", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_stage(client, api_id, stage_name):
    answer = client.get_stage(ApiId=api_id, StageName=stage_name)
    answer.pop("ResponseMetadata", None)
    return answer


@ApiGatewayV2ErrorHandler.common_error_handler("call API Gateway")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def call(client, operation, **kwargs):
    """One mutating call (create_api, update_route, ...); the answer without its ResponseMetadata."""
    answer = getattr(client, operation)(**kwargs)
    answer.pop("ResponseMetadata", None)
    return answer


def integration_uri(function_arn):
    """The Lambda proxy integration URI of a function ARN (arn:<partition>:lambda:<region>:...)."""
    parts = str(function_arn).split(":")
    partition, region = parts[1], parts[3]
    return f"arn:{partition}:apigateway:{region}:lambda:path/{LAMBDA_VERSION}/functions/{function_arn}/invocations"


def function_of(uri):
    """The function ARN of a Lambda proxy integration URI (None for another URI)."""
    marker = "/functions/"
    if marker not in str(uri) or not str(uri).endswith("/invocations"):
        return None
    return str(uri).split(marker, 1)[1][: -len("/invocations")]


def execution_arn(api_id, region, account, partition="aws"):
    """The ARN API Gateway invokes a function as (a permission's source ARN is under it)."""
    return f"arn:{partition}:execute-api:{region}:{account}:{api_id}"


def api_arn(api_id, region, partition="aws"):
    return f"arn:{partition}:apigateway:{region}::/apis/{api_id}"


def parameter_errors(params):
    """What is wrong with the module's options beyond their types, before any AWS call."""
    errors = []
    if params.get("state") == "absent":
        return errors
    keys = [r.get("route_key") for r in params.get("routes") or []]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(f"route {key} is declared more than once")
    for route in params.get("routes") or []:
        arn = str(route.get("function_arn") or "")
        if not arn.startswith("arn:") or ":lambda:" not in arn or ":function:" not in arn:
            errors.append(f"route {route.get('route_key')}: function_arn must be a Lambda function ARN, got {arn!r}")
    stage = params.get("stage") or {}
    for key in THROTTLE_SETTINGS:
        if stage.get(key) is not None and stage[key] < 0:
            errors.append(f"stage {key} must be 0 or more, got {stage[key]}")
    if stage.get("access_log_format") and not stage.get("access_log_destination_arn"):
        errors.append("stage access_log_format needs access_log_destination_arn")
    return errors


def _stage_wanted(stage):
    """The stage's settings as GetStage answers them, only those the options set."""
    wanted = {"AutoDeploy": True}
    throttling = {aws: stage[key] for key, aws in THROTTLE_SETTINGS.items() if stage.get(key) is not None}
    if throttling:
        wanted["DefaultRouteSettings"] = throttling
    if stage.get("description") is not None:
        wanted["Description"] = stage["description"]
    if stage.get("access_log_destination_arn"):
        wanted["AccessLogSettings"] = {"DestinationArn": stage["access_log_destination_arn"],
                                       "Format": stage.get("access_log_format") or DEFAULT_LOG_FORMAT}
    else:
        wanted["AccessLogSettings"] = None
    return wanted


# API Gateway's WebSocket context variables, one JSON object per request.
DEFAULT_LOG_FORMAT = ('{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
                      '"requestTime":"$context.requestTime","eventType":"$context.eventType",'
                      '"routeKey":"$context.routeKey","status":"$context.status",'
                      '"connectionId":"$context.connectionId"}')


def stage_differences(current, stage):
    """{stage key: (current, wanted)} of what the stage must change (its throttling keys only among its route
    settings)."""
    wanted = _stage_wanted(stage)
    differing = {}
    if current.get("AutoDeploy") is not True:
        differing["AutoDeploy"] = (current.get("AutoDeploy"), True)
    if "DefaultRouteSettings" in wanted:
        have = {k: (current.get("DefaultRouteSettings") or {}).get(k) for k in wanted["DefaultRouteSettings"]}
        if have != wanted["DefaultRouteSettings"]:
            differing["DefaultRouteSettings"] = (have, wanted["DefaultRouteSettings"])
    if "Description" in wanted and (current.get("Description") or "") != wanted["Description"]:
        differing["Description"] = (current.get("Description") or "", wanted["Description"])
    have_log = current.get("AccessLogSettings") or None
    if have_log and not have_log.get("DestinationArn"):
        have_log = None
    if have_log != wanted["AccessLogSettings"]:
        differing["AccessLogSettings"] = (have_log, wanted["AccessLogSettings"])
    return differing


def tag_changes(current, wanted, purge=True):
    """(tags to set, keys to remove)."""
    current = current or {}
    to_set = {k: v for k, v in (wanted or {}).items() if current.get(k) != v}
    to_remove = sorted(k for k in current if k not in (wanted or {})) if purge else []
    return to_set, to_remove


def _view(api, routes, integrations, stage):
    """What the diff shows of an API: its settings, routes (key -> function ARN) and stage."""
    if api is None:
        return {}
    by_id = {i["IntegrationId"]: function_of(i.get("IntegrationUri")) for i in integrations}
    return {
        "name": api.get("Name"),
        "route_selection_expression": api.get("RouteSelectionExpression"),
        "description": api.get("Description") or "",
        "tags": dict(api.get("Tags") or {}),
        "routes": {r["RouteKey"]: by_id.get(str(r.get("Target") or "").replace("integrations/", ""))
                   for r in routes},
        "stage": None if stage is None else {
            "name": stage.get("StageName"),
            "auto_deploy": stage.get("AutoDeploy"),
            **{key: (stage.get("DefaultRouteSettings") or {}).get(aws) for key, aws in THROTTLE_SETTINGS.items()},
            "access_log_destination_arn": (stage.get("AccessLogSettings") or {}).get("DestinationArn"),
        },
    }


def find_api(client, name):
    """The API named so (None when none is); more than one is an error (a name is the module's identity)."""
    found = [a for a in get_apis(client) if a.get("Name") == name]
    if len(found) > 1:
        raise ValueError(f"{len(found)} APIs are named {name} ({', '.join(a['ApiId'] for a in found)}); "
                         "delete the extra ones, the module finds an API by its name")
    return found[0] if found else None


class Converger:
    """One run of the module over one API: ``present()`` or ``absent()``; ``actions`` lists what was (or, in check
    mode, would be) done, one line each, in the plan callback's words."""

    def __init__(self, client, params, region, check_mode):
        self.client, self.params, self.region, self.check_mode = client, params, region, check_mode
        self.actions = []
        self.name = params["name"]

    def _do(self, action, operation, **kwargs):
        self.actions.append(action)
        if self.check_mode:
            return {}
        return call(self.client, operation, **kwargs)

    def absent(self):
        api = find_api(self.client, self.name)
        if api is None:
            return {"api": None, "before": {}, "after": {}}
        before = _view(api, get_routes(self.client, api["ApiId"]), get_integrations(self.client, api["ApiId"]), None)
        self._do(f"delete api gateway api {self.name}", "delete_api", ApiId=api["ApiId"])
        return {"api": None, "before": before, "after": {}}

    def present(self):
        p = self.params
        api = find_api(self.client, self.name)
        api_id = api["ApiId"] if api else None
        routes = get_routes(self.client, api_id) if api else []
        integrations = get_integrations(self.client, api_id) if api else []
        stage_name = p["stage"]["name"]
        stage = get_stage(self.client, api_id, stage_name) if api else None
        before = _view(api, routes, integrations, stage)
        tags = dict(p.get("tags") or {})
        if api is None:
            created = self._do(f"create api gateway api {self.name}", "create_api", Name=self.name,
                               ProtocolType="WEBSOCKET", RouteSelectionExpression=p["route_selection_expression"],
                               Description=p.get("description") or "", Tags=tags)
            api = created or None
            api_id = (created or {}).get("ApiId")
        else:
            update = {}
            if api.get("RouteSelectionExpression") != p["route_selection_expression"]:
                update["RouteSelectionExpression"] = p["route_selection_expression"]
            if (api.get("Description") or "") != (p.get("description") or ""):
                update["Description"] = p.get("description") or ""
            if update:
                attrs = ", ".join("route_selection_expression" if k.startswith("Route") else "description" for k in update)
                self._do(f"update api gateway api {self.name}: {attrs}", "update_api", ApiId=api_id, **update)
            to_set, to_remove = tag_changes(api.get("Tags"), tags, p.get("purge_tags", True))
            arn = api_arn(api_id, self.region)
            if to_set:
                self._do(f"update tags of api gateway api {self.name}: set {', '.join(sorted(to_set))}",
                         "tag_resource", ResourceArn=arn, Tags=to_set)
            if to_remove:
                self._do(f"update tags of api gateway api {self.name}: remove {', '.join(to_remove)}",
                         "untag_resource", ResourceArn=arn, TagKeys=to_remove)
        integration_ids = self._integrations(api_id, integrations)
        self._routes(api_id, routes, integration_ids)
        self._unused_integrations(api_id, integrations, integration_ids)
        stage = self._stage(api_id, stage)
        if self.check_mode or api_id is None:
            after_routes, after_integrations = routes, integrations
        else:
            after_routes, after_integrations = get_routes(self.client, api_id), get_integrations(self.client, api_id)
        after = self._planned() if self.check_mode else _view(
            {**(api or {}), "Name": self.name, "RouteSelectionExpression": p["route_selection_expression"],
             "Description": p.get("description") or "", "Tags": tags}, after_routes, after_integrations, stage)
        return {"api": self._result(api, api_id, after_routes, after_integrations, stage),
                "before": before, "after": after}

    def _integrations(self, api_id, integrations):
        """{function ARN: integration id} of every target, created where missing."""
        by_function = {}
        for integration in integrations:
            function = function_of(integration.get("IntegrationUri"))
            if function and integration.get("IntegrationType") == "AWS_PROXY":
                by_function.setdefault(function, integration["IntegrationId"])
        for function in sorted({r["function_arn"] for r in self.params["routes"]}):
            if function in by_function:
                continue
            name = function.rsplit(":", 1)[-1]
            created = self._do(f"create api gateway integration {self.name}/{name}", "create_integration",
                               ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationMethod="POST",
                               IntegrationUri=integration_uri(function))
            by_function[function] = created.get("IntegrationId")
        return by_function

    def _routes(self, api_id, routes, integration_ids):
        current = {r["RouteKey"]: r for r in routes}
        for route in self.params["routes"]:
            key, target = route["route_key"], f"integrations/{integration_ids[route['function_arn']]}"
            if key not in current:
                self._do(f"create api gateway route {self.name}/{key}", "create_route", ApiId=api_id,
                         RouteKey=key, Target=target)
            elif current[key].get("Target") != target:
                self._do(f"update api gateway route {self.name}/{key}: target", "update_route", ApiId=api_id,
                         RouteId=current[key]["RouteId"], Target=target)
        if self.params.get("purge_routes", True):
            declared = {r["route_key"] for r in self.params["routes"]}
            for key in sorted(set(current) - declared):
                self._do(f"delete api gateway route {self.name}/{key}", "delete_route", ApiId=api_id,
                         RouteId=current[key]["RouteId"])

    def _unused_integrations(self, api_id, integrations, integration_ids):
        """Delete the Lambda proxy integrations no declared route targets any more (after the routes moved)."""
        if not self.params.get("purge_routes", True):
            return
        used = {integration_ids[r["function_arn"]] for r in self.params["routes"]}
        for integration in integrations:
            function = function_of(integration.get("IntegrationUri"))
            if integration["IntegrationId"] not in used:
                name = (function or integration["IntegrationId"]).rsplit(":", 1)[-1]
                self._do(f"delete api gateway integration {self.name}/{name}", "delete_integration", ApiId=api_id,
                         IntegrationId=integration["IntegrationId"])

    def _stage(self, api_id, current):
        stage = self.params["stage"]
        wanted = _stage_wanted(stage)
        label = f"{self.name}/{stage['name']}"
        if current is None:
            settings = {k: v for k, v in wanted.items() if v is not None}
            created = self._do(f"create api gateway stage {label}", "create_stage", ApiId=api_id,
                               StageName=stage["name"], Tags=dict(self.params.get("tags") or {}), **settings)
            return created or None
        differing = stage_differences(current, stage)
        if not differing:
            return current
        settings = {k: wanted[k] for k in differing if wanted[k] is not None}
        attrs = ", ".join(sorted(differing))
        if settings:
            self._do(f"update api gateway stage {label}: {attrs}", "update_stage", ApiId=api_id,
                     StageName=stage["name"], **settings)
        if "AccessLogSettings" in differing and wanted["AccessLogSettings"] is None:
            self._do(f"update api gateway stage {label}: access log settings removed", "delete_access_log_settings",
                     ApiId=api_id, StageName=stage["name"])
        return current if self.check_mode else get_stage(self.client, api_id, stage["name"])

    def _planned(self):
        p = self.params
        stage = p["stage"]
        return {
            "name": self.name,
            "route_selection_expression": p["route_selection_expression"],
            "description": p.get("description") or "",
            "tags": dict(p.get("tags") or {}),
            "routes": {r["route_key"]: r["function_arn"] for r in p["routes"]},
            "stage": {"name": stage["name"], "auto_deploy": True,
                      **{key: stage.get(key) for key in THROTTLE_SETTINGS},
                      "access_log_destination_arn": stage.get("access_log_destination_arn")},
        }

    def _result(self, api, api_id, routes, integrations, stage):
        if api_id is None:
            return None
        endpoint = (api or {}).get("ApiEndpoint") or ""
        by_id = {i["IntegrationId"]: function_of(i.get("IntegrationUri")) for i in integrations}
        return {
            "api_id": api_id,
            "name": self.name,
            "arn": api_arn(api_id, self.region),
            "api_endpoint": endpoint,
            "routes": [{"route_key": r["RouteKey"], "route_id": r["RouteId"],
                        "integration_id": str(r.get("Target") or "").replace("integrations/", ""),
                        "function_arn": by_id.get(str(r.get("Target") or "").replace("integrations/", ""))}
                       for r in sorted(routes, key=lambda r: r["RouteKey"])],
            "stage": None if not stage else {"name": stage.get("StageName"),
                                             "invoke_url": f"{endpoint}/{stage.get('StageName')}" if endpoint else ""},
        }
