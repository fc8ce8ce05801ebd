# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What an application tier may use: its grants, resolved to exact ARNs, one least-privilege policy and the names its
container needs.

A tier declares ``grants``, each naming one resource of the stack by its LOGICAL name (the part after the stack's
name prefix: ``AtelierDB`` for the table ``<prefix>-AtelierDB``, ``db-credentials`` for the secret
``<prefix>-db-credentials``) with an access level. The tier's runtime role turns them into one IAM policy on the
tier's role (instance role, task role) with exact ARNs - never ``*`` for a read or write of data - and puts the
resolved names into the container's environment (``DYNAMODB_TABLE``, ``AWS_REGION``, ...).

Pure Python (no boto3).
"""

import re

from ansible_collections.atelier.infra.plugins.module_utils.stack import table_name

KINDS = ("dynamodb_table", "s3_bucket", "secret", "sqs_queue", "sns_topic", "kms_key")
ACCESS = ("read", "write", "read_write")
# The access levels a kind accepts.
KIND_ACCESS = {
    "dynamodb_table": ACCESS,
    "s3_bucket": ACCESS,
    "secret": ("read",),
    "sqs_queue": ACCESS,
    "sns_topic": ("write",),
    "kms_key": ACCESS,
}
# The variable of the container that gets the resource's name (a queue's URL, a topic's ARN), by kind.
DEFAULT_ENV = {
    "dynamodb_table": "DYNAMODB_TABLE",
    "s3_bucket": "S3_BUCKET",
    "sqs_queue": "SQS_QUEUE_URL",
    "sns_topic": "SNS_TOPIC_ARN",
}
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
LOGICAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

ACTIONS = {
    ("dynamodb_table", "read"): [
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DescribeTable",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
    ],
    ("dynamodb_table", "write"): [
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "dynamodb:DescribeTable",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    ],
    ("dynamodb_index", "read"): ["dynamodb:Query", "dynamodb:Scan"],
    ("dynamodb_stream", "read"): [
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
    ],
    ("s3_bucket", "read"): ["s3:GetObject"],
    ("s3_bucket", "write"): ["s3:DeleteObject", "s3:PutObject"],
    ("s3_bucket_list", "read"): ["s3:ListBucket"],
    ("secret", "read"): ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
    ("sqs_queue", "read"): [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ],
    ("sqs_queue", "write"): ["sqs:GetQueueAttributes", "sqs:SendMessage"],
    ("sns_topic", "write"): ["sns:Publish"],
    ("kms_key", "read"): ["kms:Decrypt", "kms:DescribeKey"],
    ("kms_key", "write"): ["kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
}


def resource_name(prefix, kind, name):
    """The stack's name of a resource of kind with a logical name (an alias for a KMS key)."""
    if kind == "dynamodb_table":
        return table_name(prefix, name)
    if kind == "kms_key":
        return f"alias/{prefix}-{name}"
    return f"{prefix}-{name}"


def _levels(access):
    return ("read", "write") if access == "read_write" else (access,)


def _arn(partition, service, region, account, resource):
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def _settings(grant):
    """The grant with its defaults (the tier specification's GRANT option defaults)."""
    result = {"access": "read", "indexes": True, "streams": False, "prefix": "", "env": None}
    result.update({k: v for k, v in grant.items() if v is not None})
    return result


def grant_statements(grant, prefix, partition, account, region, regions=None):
    """The IAM policy statements of one grant. regions: the regions a table lives in (home and replicas)."""
    g = _settings(grant)
    kind, name = g["kind"], resource_name(prefix, g["kind"], g["name"])
    sid = re.sub(r"[^A-Za-z0-9]", "", f"{kind.title()}{g['name'].title()}")[:100]
    statements = []

    def add(suffix, actions, resources, condition=None):
        statement = {"Sid": sid + suffix, "Effect": "Allow", "Action": sorted(set(actions)), "Resource": sorted(resources)}
        if condition:
            statement["Condition"] = condition
        statements.append(statement)

    levels = _levels(g["access"])
    if kind == "dynamodb_table":
        where = sorted(set(regions or [region]))
        tables = [_arn(partition, "dynamodb", r, account, f"table/{name}") for r in where]
        add("", [a for level in levels for a in ACTIONS[(kind, level)]], tables)
        if g["indexes"] and "read" in levels:
            add("Indexes", ACTIONS[("dynamodb_index", "read")], [t + "/index/*" for t in tables])
        if g["streams"]:
            add("Streams", ACTIONS[("dynamodb_stream", "read")], [t + "/stream/*" for t in tables])
    elif kind == "s3_bucket":
        objects = f"arn:{partition}:s3:::{name}/{g['prefix']}*"
        add("", [a for level in levels for a in ACTIONS[(kind, level)]], [objects])
        if "read" in levels:
            condition = {"StringLike": {"s3:prefix": [f"{g['prefix']}*"]}} if g["prefix"] else None
            add("List", ACTIONS[("s3_bucket_list", "read")], [f"arn:{partition}:s3:::{name}"], condition)
    elif kind == "secret":
        add("", ACTIONS[(kind, "read")], [_arn(partition, "secretsmanager", region, account, f"secret:{name}-??????")])
    elif kind == "sqs_queue":
        add("", [a for level in levels for a in ACTIONS[(kind, level)]], [_arn(partition, "sqs", region, account, name)])
    elif kind == "sns_topic":
        add("", ACTIONS[(kind, "write")], [_arn(partition, "sns", region, account, name)])
    elif kind == "kms_key":
        # A key is named by its alias; the policy holds for the key that alias points to.
        condition = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": [name]}}
        add("", [a for level in levels for a in ACTIONS[(kind, level)]], [_arn(partition, "kms", region, account, "key/*")], condition)
    return statements


# Sending traces to AWS X-Ray (a tier's ``tracing``): the actions of AWS's AWSXRayDaemonWriteAccess, which X-Ray only
# authorizes on "*" (no resource-level permissions); none of them reads or writes the stack's data.
TRACING_ACTIONS = [
    "xray:GetSamplingRules",
    "xray:GetSamplingStatisticSummaries",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
]


def grant_policy(grants, prefix, partition, account, region, table_regions=None, secret_arns=None, tracing=False):
    """One policy document for the tier's role: its grants, plus reading the secrets its ``secrets`` key names
    (secret_arns), plus sending traces to X-Ray with tracing. table_regions maps a table's logical name to the regions
    it lives in (home and replicas). None when there is nothing to allow."""
    statements = []
    for grant in grants or []:
        regions = (table_regions or {}).get(grant.get("name")) if grant.get("kind") == "dynamodb_table" else None
        statements.extend(grant_statements(grant, prefix, partition, account, region, regions))
    if secret_arns:
        statements.append(
            {"Sid": "ReadTheTierSecretsOnly", "Effect": "Allow", "Action": list(ACTIONS[("secret", "read")]),
             "Resource": sorted(secret_arns)}
        )
    if tracing:
        statements.append({"Sid": "SendTracesToXRay", "Effect": "Allow", "Action": list(TRACING_ACTIONS), "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements} if statements else None


def grant_environment(grants, prefix, account, region, partition="aws"):
    """The container's variables that name what the tier was granted (AWS_REGION when it was granted anything)."""
    env = {}
    for grant in grants or []:
        g = _settings(grant)
        variable = g["env"] or DEFAULT_ENV.get(g["kind"])
        if not variable:
            continue
        name = resource_name(prefix, g["kind"], g["name"])
        if g["kind"] == "sqs_queue":
            name = f"https://sqs.{region}.amazonaws.com/{account}/{name}"
        elif g["kind"] == "sns_topic":
            name = _arn(partition, "sns", region, account, name)
        env[variable] = name
    if grants:
        env["AWS_REGION"] = region
    return env


def grant_errors(where, grants, stack_resources=None):
    """What the tier specification's argument spec cannot check about a tier's grants; with stack_resources
    ({kind: [logical names]}, what the stack creates), a grant naming something the stack does not create."""
    errors = []
    if not isinstance(grants, list):
        return errors
    variables = {}
    for index, grant in enumerate(grants):
        if not isinstance(grant, dict):
            continue
        g = _settings(grant)
        label = f"{where}: grants[{index}] ({g.get('kind')} {g.get('name')})"
        kind = g.get("kind")
        if kind not in KINDS:
            continue  # the argument spec's choices
        if isinstance(g.get("name"), str) and not LOGICAL.match(g["name"]):
            errors.append(f"{label}: name must be the resource's logical name in the stack (letters, digits, . _ -), "
                          f"got {g['name']!r}")
        if g["access"] not in KIND_ACCESS[kind]:
            errors.append(f"{label}: access {g['access']!r} is not possible on a {kind} (allowed: {', '.join(KIND_ACCESS[kind])})")
        if kind != "dynamodb_table" and (grant.get("streams") or grant.get("indexes") is False):
            errors.append(f"{label}: indexes and streams apply to a dynamodb_table only")
        if kind != "s3_bucket" and grant.get("prefix"):
            errors.append(f"{label}: prefix applies to an s3_bucket only")
        if kind == "s3_bucket" and str(g["prefix"]).startswith("/"):
            errors.append(f"{label}: prefix is a key prefix without a leading / (for example uploads/), got {g['prefix']!r}")
        variable = g["env"] or DEFAULT_ENV.get(kind)
        if g["env"] and not ENV_NAME.match(str(g["env"])):
            errors.append(f"{label}: env {g['env']!r} is not a valid environment variable name")
        elif variable:
            variables.setdefault(variable, []).append(index)
        if stack_resources is not None and g.get("name") not in (stack_resources.get(kind) or []):
            known = ", ".join(stack_resources.get(kind) or []) or "none"
            errors.append(f"{label}: the stack does not create this {kind.replace('_', ' ')} (it creates: {known}); "
                          "a tier may only be granted what its stack deploys")
    for variable, indexes in sorted(variables.items()):
        if len(indexes) > 1:
            errors.append(f"{where}: grants {', '.join(map(str, indexes))} all set {variable}; give each an env of its own")
    return errors
