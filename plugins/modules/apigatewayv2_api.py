#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: apigatewayv2_api
version_added: 0.1.0
short_description: Converge an API Gateway WebSocket API with its Lambda routes and its stage
description:
  - Converges, in one module run, one API Gateway v2 API of protocol C(WEBSOCKET) found by its name - its route
    selection expression, description and tags; one Lambda proxy integration (C(AWS_PROXY)) per target function; the
    routes (C($connect), C($disconnect), C($default) and custom route keys) to those integrations; one stage that
    deploys automatically (C(AutoDeploy)), with its default route throttling and its access logging.
  - Fills a gap of C(amazon.aws) and C(community.aws) (10.x), which have no module for API Gateway v2
    (C(community.aws.api_gateway) is the REST API of API Gateway v1, from a Swagger document).
  - Only what the options name is managed. Routes not declared, and the integrations no route targets any more,
    are deleted (O(purge_routes)). The stage always deploys automatically, so no explicit deployment is made;
    authorizers, route responses, models, custom domains and HTTP APIs are not managed.
  - Not idempotent over two APIs of one name; the module fails then and names them.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description: The API's name (its identity for the module).
    type: str
    required: true
  state:
    description: V(present) converges the API; V(absent) deletes it with its routes, integrations and stages.
    type: str
    choices: [present, absent]
    default: present
  route_selection_expression:
    description: How API Gateway picks a message's route.
    type: str
    default: $request.body.action
  description:
    description: The API's description.
    type: str
    default: ""
  routes:
    description: The routes; required with O(state=present).
    type: list
    elements: dict
    default: []
    suboptions:
      route_key:
        description: C($connect), C($disconnect), C($default) or a custom route key; unique.
        type: str
        required: true
      function_arn:
        description: The ARN of the Lambda function the route invokes (through one proxy integration per function).
        type: str
        required: true
  purge_routes:
    description: Delete the routes not in O(routes) and the integrations no route targets.
    type: bool
    default: true
  stage:
    description: The API's one stage; it deploys automatically.
    type: dict
    default: {}
    suboptions:
      name:
        description: The stage's name.
        type: str
        default: prod
      description:
        description: The stage's description (not managed when not given).
        type: str
      throttling_burst_limit:
        description: The default route settings' burst limit (not managed when not given).
        type: int
      throttling_rate_limit:
        description: The default route settings' rate limit, requests per second (not managed when not given).
        type: float
      access_log_destination_arn:
        description: The CloudWatch Logs log group ARN of the access logs; without it the stage has no access logging.
        type: str
      access_log_format:
        description: The access log line (API Gateway context variables); a JSON line of the request when not given.
        type: str
  tags:
    description: The tags of the API and (on creation) of its stage.
    type: dict
    default: {}
  purge_tags:
    description: Remove the API's tags not in O(tags).
    type: bool
    default: true
attributes:
  check_mode:
    description: Reads only and reports what would be created, updated or deleted.
    support: full
  diff_mode:
    description: Returns the API's settings, routes (route key -> function ARN) and stage before and after.
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A chat API whose connect, disconnect and messages each invoke a function
  atelier.infra.apigatewayv2_api:
    name: dev-app-chat
    routes:
      - {route_key: $connect, function_arn: "arn:aws:lambda:us-east-1:123456789012:function:dev-app-connect"}
      - {route_key: $disconnect, function_arn: "arn:aws:lambda:us-east-1:123456789012:function:dev-app-connect"}
      - {route_key: $default, function_arn: "arn:aws:lambda:us-east-1:123456789012:function:dev-app-message"}
    stage: {name: prod, throttling_burst_limit: 500, throttling_rate_limit: 1000}
    tags: {atelier:env: dev}

- name: Delete it
  atelier.infra.apigatewayv2_api:
    name: dev-app-chat
    state: absent
"""

RETURN = r"""
api:
  description: The API (null when absent, or in check mode when it is still to be created).
  returned: always
  type: dict
  contains:
    api_id:
      description: The API's id.
      type: str
    name:
      description: Its name.
      type: str
    arn:
      description: Its ARN (for tags).
      type: str
    api_endpoint:
      description: Its endpoint (C(wss://<id>.execute-api.<region>.amazonaws.com)).
      type: str
    routes:
      description: Each route with its id, integration and function ARN.
      type: list
      elements: dict
    stage:
      description: The stage's name and URL (C(<api_endpoint>/<stage>)).
      type: dict
actions:
  description: What was (in check mode, would be) done, one line each.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.apigatewayv2 import AnsibleApiGatewayV2Error
from ansible_collections.atelier.infra.plugins.module_utils.apigatewayv2 import Converger
from ansible_collections.atelier.infra.plugins.module_utils.apigatewayv2 import parameter_errors


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            route_selection_expression=dict(type="str", default="$request.body.action"),
            description=dict(type="str", default=""),
            routes=dict(type="list", elements="dict", default=[], options=dict(
                route_key=dict(type="str", required=True, no_log=False),
                function_arn=dict(type="str", required=True),
            )),
            purge_routes=dict(type="bool", default=True),
            stage=dict(type="dict", default={}, options=dict(
                name=dict(type="str", default="prod"),
                description=dict(type="str"),
                throttling_burst_limit=dict(type="int"),
                throttling_rate_limit=dict(type="float"),
                access_log_destination_arn=dict(type="str"),
                access_log_format=dict(type="str"),
            )),
            tags=dict(type="dict", default={}),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[("state", "present", ["routes"])],
        supports_check_mode=True,
    )
    params = module.params
    if params["stage"].get("name") is None:
        params["stage"]["name"] = "prod"
    errors = parameter_errors(params)
    if errors:
        module.fail_json(msg="apigatewayv2_api: " + "; ".join(errors))
    client = module.client("apigatewayv2")
    converger = Converger(client, params, module.region, module.check_mode)
    try:
        outcome = converger.absent() if params["state"] == "absent" else converger.present()
    except ValueError as e:
        module.fail_json(msg=f"apigatewayv2_api: {e}")
    except AnsibleApiGatewayV2Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=bool(converger.actions), actions=converger.actions, api=outcome["api"],
                     diff={"before": outcome["before"], "after": outcome["after"]})


if __name__ == "__main__":
    main()
