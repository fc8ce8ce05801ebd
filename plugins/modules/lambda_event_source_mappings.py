#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: lambda_event_source_mappings
version_added: 0.1.0
short_description: Converge a Lambda function's DynamoDB stream event source mappings
description:
  - Converges, in one module run, the event source mappings of one function on DynamoDB tables' streams - each
    table named, its stream found by C(DescribeTable) (C(LatestStreamArn)) - and deletes the function's other
    DynamoDB stream mappings (its mappings on queues, Kinesis or Kafka are left alone). V(mappings=[]) removes them
    all, as a teardown must (deleting a function leaves its mappings behind).
  - Only differing settings are updated; a mapping on an older stream of the table (the stream was replaced) or with
    another starting position (immutable) is replaced.
  - Fills gaps of C(amazon.aws.lambda_event) (10.x) - no C(MaximumRetryAttempts), no on-failure destination
    (C(DestinationConfig)), the stream ARN to be found by the caller, one mapping per run and none of the function's
    stale mappings removed.
author:
  - Atelier infra developers (@atelier-infra)
options:
  function:
    description: The function's name or ARN. In check mode a function not created yet has no mappings.
    type: str
    required: true
  mappings:
    description: The function's DynamoDB stream mappings.
    type: list
    elements: dict
    default: []
    suboptions:
      table:
        description: The table; it must have a stream.
        type: str
        required: true
      batch_size:
        description: Records per invocation (1 to 10000).
        type: int
        default: 100
      starting_position:
        description: Where a new mapping starts reading the stream.
        type: str
        choices: [LATEST, TRIM_HORIZON]
        default: LATEST
      maximum_retry_attempts:
        description: Retries of a failing batch (V(-1) until the record expires).
        type: int
        default: -1
      destination_arn:
        description: The queue or topic that receives the records of a batch that failed every retry.
        type: str
      enabled:
        description: Whether the mapping polls the stream.
        type: bool
        default: true
attributes:
  check_mode:
    description: Reads only, and returns what would change.
    support: full
  diff_mode:
    description: The mappings before and after, by table.
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Process the messages table's stream, failed batches to a queue
  atelier.infra.lambda_event_source_mappings:
    function: dev-app-stream-processor
    mappings:
      - table: dev-app-messages
        batch_size: 50
        maximum_retry_attempts: 2
        destination_arn: arn:aws:sqs:us-east-1:123456789012:dev-app-stream-failures
"""

RETURN = r"""
mappings:
  description: The function's DynamoDB stream mappings after the run ({table, uuid, event_source_arn, state, batch_size, ...}).
  returned: always
  type: list
  elements: dict
actions:
  description: What changed (C(create|update|replace|delete event source mapping <function>/<table>)).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils import lambda_event_mappings as m
from ansible_collections.atelier.infra.plugins.module_utils.awslambda import AnsibleLambdaError

BATCH_SIZE = (1, 10000)
RETRY_ATTEMPTS = (-1, 10000)


def _summary(table, mapping):
    return {"table": table, "uuid": mapping.get("UUID"), "event_source_arn": mapping.get("EventSourceArn"),
            "state": mapping.get("State"), "batch_size": mapping.get("BatchSize"),
            "maximum_retry_attempts": mapping.get("MaximumRetryAttempts"), "destination_arn": m.destination_of(mapping),
            "starting_position": mapping.get("StartingPosition")}


def _table_of(mapping):
    return str(mapping.get("EventSourceArn", "")).split(":table/", 1)[-1].split("/stream/", 1)[0]


def converge(module, lam, dynamodb, function, mappings):
    """(actions, mappings after, diff before/after by table)."""
    found = [f for f in m.list_mappings(lam, function) if m.is_dynamodb_stream(f)]
    check = module.check_mode
    lines, after, kept = [], [], set()
    before = {_table_of(f): _summary(_table_of(f), f) for f in found}
    for wanted in mappings:
        table = wanted["table"]
        description = m.describe_table(dynamodb, table)
        if description is None:
            if not check:
                module.fail_json(msg=f"lambda_event_source_mappings: the table {table} does not exist; create it first")
            lines.append(f"create event source mapping {function}/{table}")
            continue
        stream = description.get("LatestStreamArn")
        if not stream or not (description.get("StreamSpecification") or {}).get("StreamEnabled", True):
            module.fail_json(msg=f"lambda_event_source_mappings: the table {table} has no stream; enable its stream first")
        current = next((f for f in found if m.stream_of_table(f, description["TableArn"])), None)
        if current is not None:
            kept.add(current["UUID"])
        if current is not None and (current["EventSourceArn"] != stream
                                    or current.get("StartingPosition") not in (None, wanted["starting_position"])):
            lines.append(f"replace event source mapping {function}/{table}")
            if not check:
                m.delete_mapping(lam, current["UUID"])
            current = None
        elif current is None:
            lines.append(f"create event source mapping {function}/{table}")
        if current is None:
            result = m.create_mapping(lam, function, stream, wanted) if not check else {
                "EventSourceArn": stream, "BatchSize": wanted["batch_size"], "State": "Creating"}
        else:
            arguments = m.update_arguments(current, wanted)
            result = current
            if arguments:
                lines.append(f"update event source mapping {function}/{table}: {', '.join(m.differences(current, wanted))}")
                if not check:
                    result = m.update_mapping(lam, current["UUID"], arguments)
        after.append(_summary(table, result))
    for stale in found:
        if stale["UUID"] not in kept:
            lines.append(f"delete event source mapping {function}/{_table_of(stale)}")
            if not check:
                m.delete_mapping(lam, stale["UUID"])
    return lines, after, {"before": before, "after": {a["table"]: a for a in after}}


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            function=dict(type="str", required=True),
            mappings=dict(
                type="list", elements="dict", default=[],
                options=dict(
                    table=dict(type="str", required=True),
                    batch_size=dict(type="int", default=100),
                    starting_position=dict(type="str", choices=["LATEST", "TRIM_HORIZON"], default="LATEST"),
                    maximum_retry_attempts=dict(type="int", default=-1),
                    destination_arn=dict(type="str"),
                    enabled=dict(type="bool", default=True),
                ),
            ),
        ),
        supports_check_mode=True,
    )
    mappings = module.params["mappings"]
    problems = []
    tables = [w["table"] for w in mappings]
    problems.extend(f"the table {t} is mapped more than once" for t in sorted(set(tables)) if tables.count(t) > 1)
    for wanted in mappings:
        for key, (low, high) in (("batch_size", BATCH_SIZE), ("maximum_retry_attempts", RETRY_ATTEMPTS)):
            if not low <= wanted[key] <= high:
                problems.append(f"{wanted['table']}: {key} must be from {low} to {high}, got {wanted[key]}")
    if problems:
        module.fail_json(msg=f"lambda_event_source_mappings: {'; '.join(problems)}")
    lam, dynamodb = module.client("lambda"), module.client("dynamodb")
    try:
        lines, after, diff = converge(module, lam, dynamodb, module.params["function"], mappings)
    except AnsibleLambdaError as e:
        module.fail_json_aws_error(e)
    except is_boto3_error_code(["AccessDeniedException", "ValidationException"]) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg="lambda_event_source_mappings: could not read a table")
    module.exit_json(changed=bool(lines), mappings=after, actions=lines, diff=diff)


if __name__ == "__main__":
    main()
