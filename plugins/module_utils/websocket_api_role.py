# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the websocket_api role decides: its input errors (before any AWS call), each API's settings for
atelier.infra.apigatewayv2_api (names, routes to the stack's functions by their logical names, stage, access log
group), the Lambda invoke permissions scoped to the API, and the role's outputs and summary lines. A route's function
is a function the lambda_function role declares; its AWS name comes from lambda_function_role.function_names. Pure
Python (no boto3)."""

import re
from collections.abc import Mapping

from ansible_collections.atelier.infra.plugins.module_utils.apigatewayv2 import execution_arn
from ansible_collections.atelier.infra.plugins.module_utils.lambda_function_role import RETENTION_DAYS
from ansible_collections.atelier.infra.plugins.module_utils.lambda_function_role import function_names
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import as_int

APIGATEWAY = "apigateway.amazonaws.com"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
STAGE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
# A custom route key: what a message's route selection expression evaluates to (no leading $: those are API Gateway's).
ROUTE_KEY = re.compile(r"^[^$\s][^\s]{0,127}$")
PREDEFINED = ("$connect", "$disconnect", "$default")
API_NAME_LIMIT = 128
# API Gateway's account-level WebSocket defaults (a stage cannot exceed them without a quota increase).
BURST_LIMIT = 5000
RATE_LIMIT = 10000
DEFAULTS = {
    "route_selection_expression": "$request.body.action",
    "description": "",
    "tags": {},
}
STAGE_DEFAULTS = {
    "name": "prod",
    "throttling_burst_limit": 500,
    "throttling_rate_limit": 1000,
    "access_logs": False,
    "log_retention_days": 30,
}


def api_names(prefix, name, stage="prod"):
    """The AWS names of one API's resources: the API, its access log group, its permissions' statement id."""
    api = f"{prefix}-{name}"
    return {
        "api_name": api,
        "log_group": f"/aws/apigateway/{api}/{stage}",
        "statement_id": f"{api}-apigateway",
    }


def _stage(api):
    stage = dict(STAGE_DEFAULTS)
    stage.update({k: v for k, v in (api.get("stage") or {}).items() if v is not None})
    return stage


def _declared(functions):
    return {f.get("name") for f in functions or [] if isinstance(f, Mapping)}


def _number_error(label, key, value, low, high, whole=True):
    number = as_int(value) if whole else _as_float(value)
    if number is None or number < low or number > high:
        kind = "a whole number" if whole else "a number"
        return f"{label}: stage {key} must be {kind} from {low} to {high}, got {value!r}"
    return None


def _as_float(value):
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def route_errors(label, routes, functions):
    """What is wrong with one API's routes: each needs a route key (predefined or custom) and a function the stack
    declares; keys are unique; $disconnect needs $connect (a client that never connected through the API's function
    cannot be tracked as disconnecting)."""
    if not isinstance(routes, list) or not routes:
        return [f"{label}: routes must be a non-empty list of {{key, function}}"]
    errors, keys = [], []
    declared = _declared(functions)
    for index, route in enumerate(routes):
        where = f"{label} routes[{index}]"
        if not isinstance(route, Mapping):
            errors.append(f"{where}: each route is a dict {{key, function}}")
            continue
        key, function = route.get("key"), route.get("function")
        if not isinstance(key, str) or not (key in PREDEFINED or ROUTE_KEY.match(key)):
            errors.append(f"{where}: key must be one of {', '.join(PREDEFINED)} or a custom route key "
                          f"(no leading $, no spaces), got {key!r}")
        else:
            keys.append(key)
        if not isinstance(function, str) or not function:
            errors.append(f"{where}: function must be the logical name of a function of lambda_function_functions")
        elif function not in declared:
            errors.append(f"{where} ({key}): function {function} is not declared by the stack's lambda_function_functions "
                          f"({', '.join(sorted(str(d) for d in declared)) or 'none'})")
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(f"{label}: route {key} is declared {keys.count(key)} times; route keys must be unique")
    if "$disconnect" in keys and "$connect" not in keys:
        errors.append(f"{label}: a $disconnect route needs a $connect route")
    return errors


def api_errors(index, api, prefix, functions):
    """What is wrong with one API (a dict of websocket_api_apis)."""
    where = f"websocket_api_apis[{index}]"
    if not isinstance(api, Mapping):
        return [f"{where}: each API is a dict, got {type(api).__name__}"]
    name = api.get("name")
    label = f"{where} ({name})"
    errors = []
    if not isinstance(name, str) or not NAME.match(name):
        errors.append(f"{where}: name must be the API's logical name (letters, digits, - _), got {name!r}")
    elif isinstance(prefix, str) and len(api_names(prefix, name)["api_name"]) > API_NAME_LIMIT:
        errors.append(f"{label}: the API name {api_names(prefix, name)['api_name']} is longer than {API_NAME_LIMIT} characters")
    expression = api.get("route_selection_expression", DEFAULTS["route_selection_expression"])
    if not isinstance(expression, str) or not expression.startswith("$request."):
        errors.append(f"{label}: route_selection_expression must select from the request ($request.body.action), got {expression!r}")
    errors.extend(route_errors(label, api.get("routes"), functions))
    stage = api.get("stage") or {}
    if not isinstance(stage, Mapping):
        return errors + [f"{label}: stage must be a dict"]
    stage = _stage(api)
    if not isinstance(stage["name"], str) or not STAGE.match(stage["name"]):
        errors.append(f"{label}: stage name must be 1-128 letters, digits, - or _, got {stage['name']!r}")
    for error in (_number_error(label, "throttling_burst_limit", stage["throttling_burst_limit"], 0, BURST_LIMIT),
                  _number_error(label, "throttling_rate_limit", stage["throttling_rate_limit"], 0, RATE_LIMIT, whole=False)):
        if error:
            errors.append(error)
    if not isinstance(stage["access_logs"], bool):
        errors.append(f"{label}: stage access_logs must be true or false, got {stage['access_logs']!r}")
    if as_int(stage["log_retention_days"]) not in RETENTION_DAYS:
        errors.append(f"{label}: stage log_retention_days must be one of CloudWatch Logs' values "
                      f"({', '.join(map(str, RETENTION_DAYS))}), got {stage['log_retention_days']!r}")
    if not isinstance(api.get("tags", {}), Mapping):
        errors.append(f"{label}: tags must be a dict")
    return errors


def websocket_api_errors(inputs):
    """What is wrong with the websocket_api role's inputs (a dict of its variables) beyond types and choices: each
    API's (api_errors) and duplicate API names. Removing checks only the names."""
    apis = inputs.get("websocket_api_apis")
    if apis is None:
        return []
    if not isinstance(apis, list):
        return ["websocket_api_apis must be a list of APIs"]
    functions = inputs.get("websocket_api_functions") or []
    if not isinstance(functions, list):
        return ["websocket_api_functions must be the list of the stack's functions (lambda_function_functions)"]
    prefix = inputs.get("websocket_api_name_prefix")
    errors, seen = [], {}
    for index, api in enumerate(apis):
        name = api.get("name") if isinstance(api, Mapping) else None
        if name is not None:
            seen.setdefault(name, []).append(index)
        if inputs.get("websocket_api_state", "present") == "absent":
            if not isinstance(name, str) or not NAME.match(name):
                errors.append(f"websocket_api_apis[{index}]: name must be the API's logical name, got {name!r}")
            continue
        errors.extend(api_errors(index, api, prefix, functions))
    for name, indexes in sorted(seen.items(), key=lambda item: str(item[0])):
        if len(indexes) > 1:
            errors.append(f"websocket_api_apis: {', '.join(map(str, indexes))} are all named {name}; names must be unique")
    return errors


def function_arn(prefix, function, account, region, partition="aws"):
    """The ARN of the stack's function of that logical name (its name from the lambda_function role's contract)."""
    return f"arn:{partition}:lambda:{region}:{account}:function:{function_names(prefix, function)['function_name']}"


def api_specs(apis, prefix, account, region, partition="aws", tags=None):
    """Each API's settings: its names, the apigatewayv2_api options (routes with function ARNs, stage with the access
    log group's ARN when access logs are on) and its access log group (None without)."""
    specs = []
    for api in apis or []:
        stage = _stage(api) if isinstance(api.get("stage") or {}, Mapping) else dict(STAGE_DEFAULTS)
        names = api_names(prefix, api["name"], stage["name"])
        log_group = names["log_group"] if stage["access_logs"] else None
        merged_tags = {**(tags or {}), **(api.get("tags") or {}), "Name": names["api_name"]}
        routes = [{"route_key": r["key"], "function": r["function"],
                   "function_name": function_names(prefix, r["function"])["function_name"],
                   "function_arn": function_arn(prefix, r["function"], account, region, partition)}
                  for r in api.get("routes") or [] if isinstance(r, Mapping)]
        specs.append({
            "name": api["name"],
            **names,
            "log_group": log_group,
            "log_group_name": names["log_group"],
            "kept": f"CloudWatch log group {names['log_group']} (access logs of the WebSocket API {names['api_name']}; "
                    "atelier_teardown_delete_data=true deletes it)",
            "log_retention_days": as_int(stage["log_retention_days"]),
            "module": {
                "name": names["api_name"],
                "route_selection_expression": api.get("route_selection_expression") or DEFAULTS["route_selection_expression"],
                "description": api.get("description") or f"WebSocket API {api['name']} ({prefix})",
                "routes": [{"route_key": r["route_key"], "function_arn": r["function_arn"]} for r in routes],
                "stage": {
                    "name": stage["name"],
                    "throttling_burst_limit": as_int(stage["throttling_burst_limit"]),
                    "throttling_rate_limit": float(stage["throttling_rate_limit"]),
                    "access_log_destination_arn": (f"arn:{partition}:logs:{region}:{account}:log-group:{log_group}"
                                                   if log_group else None),
                },
                "tags": merged_tags,
            },
            "routes": routes,
            "functions": sorted({r["function_name"] for r in routes}),
        })
    return specs


def permissions(specs, results, account, region, partition="aws"):
    """The amazon.aws.lambda_policy entries: one per API and target function, apigateway.amazonaws.com may invoke the
    function from that API only (source ARN ``<execution ARN>/*``, any stage and route of the API). results: the
    apigatewayv2_api results in the order of specs (an API still to be created, in check mode, has the id
    ``(new)``)."""
    entries = []
    for spec, result in zip(specs, results or [{}] * len(specs)):
        api_id = ((result or {}).get("api") or {}).get("api_id") or "(new)"
        for function in spec["functions"]:
            entries.append({
                "api": spec["api_name"],
                "function_name": function,
                "statement_id": spec["statement_id"],
                "principal": APIGATEWAY,
                "source_arn": f"{execution_arn(api_id, region, account, partition)}/*",
            })
    return entries


def outputs(specs, results=None):
    """websocket_api_outputs: each API's id, endpoint, stage URL and routes (route key -> function), and the summary
    lines (one per API: its stage URL, the endpoint clients connect to)."""
    apis, lines = [], []
    for spec, result in zip(specs, results or [{}] * len(specs)):
        api = (result or {}).get("api") or {}
        stage = api.get("stage") or {}
        entry = {
            "name": spec["name"],
            "api_name": spec["api_name"],
            "api_id": api.get("api_id", ""),
            "endpoint": api.get("api_endpoint", ""),
            "stage": spec["module"]["stage"]["name"],
            "url": stage.get("invoke_url", ""),
            "routes": {r["route_key"]: r["function_name"] for r in spec["routes"]},
            "log_group": spec["log_group"],
        }
        apis.append(entry)
        lines.append(f"WebSocket API {spec['api_name']}: {entry['url'] or '(not deployed)'} "
                     f"({', '.join(f'{k} -> {v}' for k, v in entry['routes'].items())})")
    return {"apis": apis, "summary": lines}
