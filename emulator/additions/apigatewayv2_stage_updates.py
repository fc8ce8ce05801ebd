"""UpdateStage and DeleteAccessLogSettings change an API Gateway v2 stage.

AWS: UpdateStage (PATCH /v2/apis/{apiId}/stages/{stageName}) changes the settings its request names - its
``DefaultRouteSettings`` keys (throttling among them) over the stage's, ``AccessLogSettings``, ``AutoDeploy``,
``Description``, ``RouteSettings``, ``StageVariables`` - and answers the stage; DeleteAccessLogSettings (DELETE
/v2/apis/{apiId}/stages/{stageName}/accesslogsettings) turns the stage's access logging off (HTTP 204). Both answer
``NotFoundException`` for a stage the API does not have.

moto 5.2.5: ``ApiGatewayV2Response`` (moto/apigatewayv2/responses.py) has no ``update_stage`` (the PATCH dispatches
to a missing method: HTTP 500) and moto/apigatewayv2/urls.py has no ``accesslogsettings`` route (404), so a stage's
throttling or access logs can never change after CreateStage.

What this addition does: adds ``update_stage`` and ``delete_access_log_settings`` to the responses (and the route of
the latter), changing the stored ``Stage`` of moto's model and its ``lastUpdatedDate``.

References: https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html and
https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename-accesslogsettings.html
"""

import json
from datetime import datetime
from urllib.parse import unquote

from moto.apigatewayv2 import urls as apigatewayv2_urls
from moto.apigatewayv2.responses import ApiGatewayV2Response


def _stage(response):
    parts = response.path.split("/")
    api_id, stage_name = parts[3], unquote(parts[5])
    return response.apigatewayv2_backend.get_stage(api_id, stage_name)


def _update_stage(self):
    stage = _stage(self)
    body = json.loads(self.body or "{}")
    if "defaultRouteSettings" in body:
        stage.default_route_settings = {**(stage.default_route_settings or {}), **(body["defaultRouteSettings"] or {})}
    if "accessLogSettings" in body:
        stage.access_log_settings = body["accessLogSettings"] or None
    if "autoDeploy" in body:
        stage.auto_deploy = body["autoDeploy"]
    if "description" in body:
        stage.description = body["description"]
    if "routeSettings" in body:
        stage.route_settings = body["routeSettings"] or {}
    if "stageVariables" in body:
        stage.stage_variables = body["stageVariables"] or {}
    stage.updated = datetime.now()
    return 200, {}, json.dumps(stage.to_json())


def _delete_access_log_settings(self):
    stage = _stage(self)
    stage.access_log_settings = None
    stage.updated = datetime.now()
    return 204, {}, ""


def apply() -> None:
    """Add UpdateStage and DeleteAccessLogSettings."""
    apigatewayv2_urls.url_paths[
        "{0}/v2/apis/(?P<api_id>[^/]+)/stages/(?P<stage_name>[^/]+)/accesslogsettings$"
    ] = ApiGatewayV2Response.dispatch
    ApiGatewayV2Response.update_stage = _update_stage
    ApiGatewayV2Response.delete_access_log_settings = _delete_access_log_settings
