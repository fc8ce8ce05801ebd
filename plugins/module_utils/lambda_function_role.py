# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the lambda_function role decides: the names of a function's resources, its input errors (before any AWS
call), each function's settings (its package, execution role trust and policy, environment, VPC configuration) and
the role's outputs. Grants are the tiers' (plugins/module_utils/grants.py): same kinds, same logical names, same
exact-ARN policy statements. Pure Python (no boto3)."""

import os
import re
from collections.abc import Mapping

from ansible_collections.atelier.infra.plugins.module_utils import grants as grant_rules
from ansible_collections.atelier.infra.plugins.module_utils import lambda_events as events
from ansible_collections.atelier.infra.plugins.module_utils.observability import service_trust_policy
from ansible_collections.atelier.infra.plugins.module_utils.stack import TAG_TIER
from ansible_collections.atelier.infra.plugins.module_utils.stack import function_names
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import as_int

LAMBDA = "lambda.amazonaws.com"
RUNTIMES = {
    "python3.9": "python",
    "python3.10": "python",
    "python3.11": "python",
    "python3.12": "python",
    "python3.13": "python",
    "nodejs18.x": "node",
    "nodejs20.x": "node",
    "nodejs22.x": "node",
}
# The files a handler ``<module>.<function>`` may live in, by runtime family.
HANDLER_FILES = {"python": (".py",), "node": (".js", ".mjs", ".cjs")}
ARCHITECTURES = ("x86_64", "arm64")
MEMORY = (128, 10240)
TIMEOUT = (1, 900)
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutRetentionPolicy.html
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
HANDLER = re.compile(r"^(?P<module>[A-Za-z0-9_./-]+)\.(?P<function>[A-Za-z_$][A-Za-z0-9_$]*)$")
ENV_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# Lambda sets these itself and refuses them in a function's environment.
RESERVED_ENV = frozenset((
    "_HANDLER", "_X_AMZN_REQUEST_ID", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "AWS_REGION", "AWS_DEFAULT_REGION",
))
# What AWSLambdaVPCAccessExecutionRole allows on EC2 (its log statements are the function's own, below); these
# actions take no resource-level permission, hence "*".
VPC_ACTIONS = [
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:UnassignPrivateIpAddresses",
]
LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
DEFAULTS = {
    "handler": "app.handler",
    "runtime": "python3.12",
    "memory": 128,
    "timeout": 3,
    "architecture": "x86_64",
    "environment": {},
    "grants": [],
    "vpc": None,
    "log_retention_days": None,
    "description": "",
    "reserved_concurrency": None,
    "events": [],
}
LIMITS = {"function_name": 64, "role_name": 64}


def settings(function, retention_days=30):
    """The function with its defaults."""
    result = dict(DEFAULTS)
    result.update({k: v for k, v in function.items() if v is not None})
    if result["log_retention_days"] is None:
        result["log_retention_days"] = retention_days
    return result


def source_directory(source, search_dirs):
    """The source directory: an absolute path as is, else the first of search_dirs (the inventory's directory, the
    project's) that holds it. None when none does."""
    if not isinstance(source, str) or not source:
        return None
    if os.path.isabs(source):
        return source if os.path.isdir(source) else None
    for base in search_dirs or []:
        if base and os.path.isdir(os.path.join(base, source)):
            return os.path.normpath(os.path.join(base, source))
    return None


def handler_files(handler, runtime):
    """The files (relative to the source directory) one of which must hold the handler; [] when the handler or the
    runtime is not understood."""
    match = HANDLER.match(str(handler))
    family = RUNTIMES.get(runtime)
    if not match or not family:
        return []
    return [match.group("module") + suffix for suffix in HANDLER_FILES[family]]


def _range_error(label, key, value, bounds, unit=""):
    number = as_int(value)
    low, high = bounds
    if number is None or number < low or number > high:
        return f"{label}: {key} must be a whole number from {low} to {high}{unit}, got {value!r}"
    return None


def function_errors(index, function, prefix, search_dirs, stack_resources, subnet_tiers, stream_tables=None):
    """What is wrong with one function (a dict of lambda_function_functions); its events: lambda_events.event_errors
    (stream_tables: the stack's tables with a stream)."""
    where = f"lambda_function_functions[{index}]"
    if not isinstance(function, Mapping):
        return [f"{where}: each function is a dict, got {type(function).__name__}"]
    f = settings(function)
    name = f.get("name")
    label = f"{where} ({name})"
    errors = []
    if not isinstance(name, str) or not NAME.match(name):
        errors.append(f"{where}: name must be the function's logical name (letters, digits, - _), got {name!r}")
    elif isinstance(prefix, str) and prefix:
        for key, value in function_names(prefix, name).items():
            if key in LIMITS and len(value) > LIMITS[key]:
                errors.append(f"{label}: the {key.replace('_', ' ')} {value} is {len(value)} characters; AWS allows "
                              f"{LIMITS[key]}: shorten atelier_name_prefix or the function's name")
    if f["runtime"] not in RUNTIMES:
        errors.append(f"{label}: runtime must be one of {', '.join(RUNTIMES)}, got {f['runtime']!r}")
    if not HANDLER.match(str(f["handler"])):
        errors.append(f"{label}: handler must be <file>.<function> (app.handler), got {f['handler']!r}")
    if f["architecture"] not in ARCHITECTURES:
        errors.append(f"{label}: architecture must be one of {', '.join(ARCHITECTURES)}, got {f['architecture']!r}")
    for key, bounds, unit in (("memory", MEMORY, " MB"), ("timeout", TIMEOUT, " seconds")):
        error = _range_error(label, key, f[key], bounds, unit)
        if error:
            errors.append(error)
    if f["reserved_concurrency"] is not None and (as_int(f["reserved_concurrency"]) is None or as_int(f["reserved_concurrency"]) < 0):
        errors.append(f"{label}: reserved_concurrency must be a whole number, 0 or more, got {f['reserved_concurrency']!r}")
    if as_int(f["log_retention_days"]) not in RETENTION_DAYS:
        errors.append(f"{label}: log_retention_days must be one of CloudWatch Logs' values "
                      f"({', '.join(map(str, RETENTION_DAYS))}), got {f['log_retention_days']!r}")
    source = f.get("source")
    directory = source_directory(source, search_dirs)
    if not source:
        errors.append(f"{label}: source is required (the function's directory, relative to the inventory or the project)")
    elif directory is None:
        errors.append(f"{label}: source directory {source} does not exist (looked in: {', '.join(d for d in search_dirs or [] if d) or 'nowhere'})")
    else:
        candidates = handler_files(f["handler"], f["runtime"])
        if candidates and not any(os.path.isfile(os.path.join(directory, c)) for c in candidates):
            errors.append(f"{label}: handler {f['handler']} needs {' or '.join(candidates)} in {directory}, which has none")
    environment = f["environment"]
    if not isinstance(environment, Mapping):
        errors.append(f"{label}: environment must be a dict of variables")
    else:
        for key in sorted(environment):
            if not ENV_NAME.match(str(key)):
                errors.append(f"{label}: environment variable {key!r} is not a valid name (a letter, then letters, digits, _)")
            elif key in RESERVED_ENV:
                errors.append(f"{label}: environment variable {key} is reserved by Lambda")
    errors.extend(grant_rules.grant_errors(label, f["grants"], stack_resources))
    errors.extend(events.event_errors(label, f["events"], stack_resources, stream_tables))
    vpc = f["vpc"]
    if vpc is not None:
        if not isinstance(vpc, Mapping) or not vpc.get("subnets"):
            errors.append(f"{label}: vpc needs subnets (a subnet tier of the VPC)")
        else:
            tiers = [t.get("name") for t in subnet_tiers or [] if isinstance(t, Mapping)]
            if subnet_tiers is not None and vpc["subnets"] not in tiers:
                errors.append(f"{label}: vpc subnets {vpc['subnets']!r} is not a subnet tier of the VPC ({', '.join(map(str, tiers))})")
            if not vpc.get("security_group"):
                errors.append(f"{label}: vpc needs security_group (the logical name of the stack's group the function uses)")
    return errors


def lambda_function_errors(inputs, search_dirs=None, subnet_tiers=None):
    """What is wrong with the lambda_function role's inputs (a dict of its variables) beyond types and choices: each
    function's (see function_errors), duplicate names and S3 notifications that overlap on a bucket. Removing checks only the names (a source directory gone
    must not keep its function)."""
    functions = inputs.get("lambda_function_functions")
    if functions is None:
        return []
    if not isinstance(functions, list):
        return ["lambda_function_functions must be a list of functions"]
    prefix = inputs.get("lambda_function_name_prefix")
    stack = inputs.get("lambda_function_stack")
    resources = stack.get("resources") if isinstance(stack, Mapping) else None
    errors = []
    seen = {}
    for index, function in enumerate(functions):
        name = function.get("name") if isinstance(function, Mapping) else None
        if name is not None:
            seen.setdefault(name, []).append(index)
        if inputs.get("lambda_function_state", "present") == "absent":
            if not isinstance(name, str) or not NAME.match(name):
                errors.append(f"lambda_function_functions[{index}]: name must be the function's logical name, got {name!r}")
            continue
        errors.extend(function_errors(index, function, prefix, search_dirs, resources, subnet_tiers,
                                      inputs.get("lambda_function_stream_tables")))
    for name, indexes in sorted(seen.items(), key=lambda item: str(item[0])):
        if len(indexes) > 1:
            errors.append(f"lambda_function_functions: {', '.join(map(str, indexes))} are all named {name}; names must be unique")
    if inputs.get("lambda_function_state", "present") != "absent":
        errors.extend(events.overlap_errors(functions))
    retention = inputs.get("lambda_function_log_retention_days")
    if retention is not None and as_int(retention) not in RETENTION_DAYS:
        errors.append(f"lambda_function_log_retention_days must be one of CloudWatch Logs' values, got {retention!r}")
    return errors


def trust_policy(account, partition="aws"):
    """The execution role's trust: Lambda, for functions of this account only (aws:SourceAccount)."""
    return service_trust_policy(LAMBDA, str(account), partition, account_only=True)


def execution_policy(function, prefix, account, region, partition="aws", table_regions=None, stack_resources=None):
    """The execution role's one inline policy: write its own log group's streams, the function's grants (exact ARNs,
    grants.grant_policy), its stream mappings' reads and failure destinations (lambda_events.stream_statements), and
    with a VPC the network interfaces AWSLambdaVPCAccessExecutionRole allows."""
    f = settings(function)
    names = function_names(prefix, f["name"])
    group = f"arn:{partition}:logs:{region}:{account}:log-group:{names['log_group']}"
    statements = [{"Sid": "WriteItsOwnLogGroup", "Effect": "Allow", "Action": list(LOG_ACTIONS),
                   "Resource": [f"{group}:*", f"{group}:log-stream:*"]}]
    granted = grant_rules.grant_policy(f["grants"], prefix, partition, account, region, table_regions)
    if granted:
        statements.extend(granted["Statement"])
    statements.extend(events.stream_statements(f["events"], prefix, account, region, partition, stack_resources))
    if f["vpc"]:
        statements.append({"Sid": "ManageItsNetworkInterfaces", "Effect": "Allow", "Action": list(VPC_ACTIONS), "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}


def function_specs(functions, prefix, account, region, partition="aws", search_dirs=None, build_dir="build",
                   retention_days=30, subnets=None, security_groups=None, table_regions=None, stack_resources=None):
    """Every function's settings for the role's tasks: its names, resolved source directory and zip path, execution
    role (trust, policy, ARN), environment (the grants' variables under the function's own), and VPC configuration
    (subnets: the stack's subnets as {tier: [ids]}; security_groups: {group name: id})."""
    specs = []
    for function in functions or []:
        f = settings(function, retention_days)
        names = function_names(prefix, f["name"])
        environment = dict(grant_rules.grant_environment(f["grants"], prefix, account, region, partition))
        environment.pop("AWS_REGION", None)  # Lambda sets it itself and refuses it
        environment.update({str(k): str(v) for k, v in (f["environment"] or {}).items()})
        vpc = None
        if f["vpc"]:
            group = f"{prefix}-{f['vpc']['security_group']}"
            vpc = {
                "subnet_ids": sorted((subnets or {}).get(f["vpc"]["subnets"], [])),
                "security_group_ids": [(security_groups or {})[group]] if group in (security_groups or {}) else [],
                "subnets": f["vpc"]["subnets"],
                "security_group": group,
            }
        spec = {
            "name": f["name"],
            **names,
            "role_arn": f"arn:{partition}:iam::{account}:role/{names['role_name']}",
            "source": source_directory(f.get("source"), search_dirs) or f.get("source"),
            "zip_file": os.path.join(build_dir, prefix, f"{f['name']}.zip"),
            # atelier.infra.lambda_package's functions[] entry
            "package": {"name": f["name"], "src": source_directory(f.get("source"), search_dirs) or f.get("source"),
                        "dest": os.path.join(build_dir, prefix, f"{f['name']}.zip")},
            "handler": f["handler"],
            "runtime": f["runtime"],
            "memory": as_int(f["memory"]),
            "timeout": as_int(f["timeout"]),
            "architecture": f["architecture"],
            "description": f["description"] or f"{f['name']} ({prefix})",
            "environment": environment,
            "log_retention_days": as_int(f["log_retention_days"]),
            "reserved_concurrency": as_int(f["reserved_concurrency"]),
            "trust_policy": trust_policy(account, partition),
            "policy": execution_policy(function, prefix, account, region, partition, table_regions, stack_resources),
            "vpc": vpc,
            # The teardown's kept line when the log group stays (lambda_function_delete_data false).
            "kept": f"CloudWatch log group {names['log_group']} (logs of the Lambda function {names['function_name']}; "
                    "atelier_teardown_delete_data=true deletes it)",
        }
        # atelier.infra.iam_role_set's roles[] entry: the execution role with exactly its one inline policy.
        spec["iam_role"] = {"name": names["role_name"], "description": f"Lambda runs the function {names['function_name']} as this role",
                            "trust_policy": spec["trust_policy"], "inline_policies": {"function": spec["policy"]},
                            "tags": {"Name": names["role_name"]}}
        specs.append(spec)
    return specs


def stack_network(subnets, security_groups):
    """({subnet tier: [subnet ids]}, {group name: group id}) from amazon.aws.ec2_vpc_subnet_info's subnets (their
    atelier:tier tag) and amazon.aws.ec2_security_group_info's security_groups."""
    by_tier = {}
    for subnet in subnets or []:
        tier = (subnet.get("tags") or {}).get(TAG_TIER)
        if tier:
            by_tier.setdefault(tier, []).append(subnet["subnet_id"])
    groups = {g["group_name"]: g["group_id"] for g in security_groups or [] if g.get("group_name")}
    return {tier: sorted(ids) for tier, ids in by_tier.items()}, groups


def vpc_missing(specs):
    """What a function's VPC configuration needs and is not there: its subnets or its security group."""
    missing = []
    for spec in specs:
        vpc = spec.get("vpc")
        if not vpc:
            continue
        if not vpc["subnet_ids"]:
            missing.append(f"{spec['name']}: {vpc['subnets']} subnets")
        if not vpc["security_group_ids"]:
            missing.append(f"{spec['name']}: security group {vpc['security_group']}")
    return missing


def concurrency_changes(specs, functions):
    """The atelier.infra.lambda_concurrency entries of the functions whose reserved concurrency differs from what
    amazon.aws.lambda answered (its GetFunction's Concurrency; none when the function was just planned): no module run
    when none differs."""
    changes = []
    for spec, answer in zip(specs, functions or [{}] * len(specs)):
        current = ((answer or {}).get("concurrency") or {}).get("reserved_concurrent_executions")
        if current != spec.get("reserved_concurrency"):
            changes.append({"name": spec["function_name"], "reserved_concurrency": spec.get("reserved_concurrency")})
    return changes


def outputs(specs, functions, packages=None):
    """lambda_function_outputs' functions: name, AWS name, runtime, code sha256, role ARN and log group of each, from
    the amazon.aws.lambda results (functions, in the order of specs) and the packages built."""
    by_name = {p.get("name"): p for p in packages or []}
    result = []
    for spec, answer in zip(specs, functions or [{}] * len(specs)):
        configuration = (answer or {}).get("configuration") or {}
        result.append({
            "name": spec["name"],
            "function_name": spec["function_name"],
            "function_arn": configuration.get("function_arn", ""),
            "runtime": spec["runtime"],
            "code_sha256": configuration.get("code_sha256") or by_name.get(spec["name"], {}).get("code_sha256", ""),
            "role_arn": spec["role_arn"],
            "log_group": spec["log_group"],
        })
    return result
