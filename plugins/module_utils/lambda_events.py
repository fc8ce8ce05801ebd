# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What invokes a function of the lambda_function role: its ``events``, each naming a resource of the stack by its
LOGICAL name (as grants do, grants.resource_name gives the AWS name):

* ``{s3: {bucket, prefix, suffix, events}}``: an S3 event notification of the stack's bucket to the function, with the
  invoke permission S3 needs (``s3.amazonaws.com``, SourceArn the bucket, SourceAccount the account). A bucket's
  notification configuration is ONE document for all its functions: wiring() gathers them per bucket, under Ids that
  start with stack.notification_owner (the notifications of other owners stay);
* ``{sns: {topic}}``: a subscription of the function to the stack's topic, with the invoke permission SNS needs
  (``sns.amazonaws.com``, SourceArn the topic);
* ``{dynamodb_stream: {table, batch_size, starting_position, maximum_retry_attempts, failure_destination}}``: an
  event source mapping of the stack's table's stream (which must have one), the execution role allowed to read it
  and to send the records that failed to the failure destination (a queue or a topic of the stack, by logical name).

Errors AWS would answer (overlapping notifications of a bucket, a stream on a table without one) are found here,
before any AWS call. Pure Python (no boto3).
"""

from collections.abc import Mapping

from ansible_collections.atelier.infra.plugins.module_utils import grants as grant_rules
from ansible_collections.atelier.infra.plugins.module_utils.stack import function_names
from ansible_collections.atelier.infra.plugins.module_utils.stack import notification_owner
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import as_int

KINDS = ("s3", "dynamodb_stream", "sns")
S3 = "s3.amazonaws.com"
SNS = "sns.amazonaws.com"
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
S3_EVENTS = frozenset((
    "s3:TestEvent",
    "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationReplicatedAfterThreshold", "s3:Replication:OperationNotTracked",
    "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
    "s3:LifecycleTransition", "s3:IntelligentTiering",
    "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put",
))
S3_DEFAULTS = {"prefix": "", "suffix": "", "events": ["s3:ObjectCreated:*"]}
STARTING_POSITIONS = ("LATEST", "TRIM_HORIZON")
# https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html (DynamoDB streams)
BATCH_SIZE = (1, 10000)
RETRY_ATTEMPTS = (-1, 10000)
STREAM_DEFAULTS = {"batch_size": 100, "starting_position": "LATEST", "maximum_retry_attempts": -1,
                   "failure_destination": None, "enabled": True}
# What an execution role needs on a mapped stream (AWSLambdaDynamoDBExecutionRole's actions on the stream;
# dynamodb:ListStreams takes no resource, hence its own statement on "*").
STREAM_ACTIONS = grant_rules.ACTIONS[("dynamodb_stream", "read")]
DESTINATION_KINDS = ("sqs_queue", "sns_topic")


def event_settings(event):
    """(kind, settings with their defaults) of one events entry; (None, None) when it is not one kind's dict."""
    if not isinstance(event, Mapping):
        return None, None
    event = {k: v for k, v in event.items() if v is not None}  # the argument spec's other kind, None
    if len(event) != 1:
        return None, None
    kind, value = next(iter(event.items()))
    if kind not in KINDS or not isinstance(value, Mapping):
        return None, None
    defaults = {"s3": S3_DEFAULTS, "dynamodb_stream": STREAM_DEFAULTS}.get(kind, {})
    result = dict(defaults)
    result.update({k: v for k, v in value.items() if v is not None})
    if kind == "s3" and isinstance(result["events"], str):
        result["events"] = [result["events"]]
    return kind, result


def destination(name, stack_resources):
    """The kind (sqs_queue or sns_topic) of a failure destination's logical name among the stack's resources; None
    when the stack has neither (or, without stack_resources, sqs_queue)."""
    if stack_resources is None:
        return "sqs_queue"
    kinds = [kind for kind in DESTINATION_KINDS if name in (stack_resources.get(kind) or [])]
    return kinds[0] if len(kinds) == 1 else None


def _range_error(label, key, value, bounds):
    number = as_int(value)
    if number is None or not bounds[0] <= number <= bounds[1]:
        return f"{label}: {key} must be a whole number from {bounds[0]} to {bounds[1]}, got {value!r}"
    return None


def _known(label, kind, name, stack_resources):
    if stack_resources is None or name in (stack_resources.get(kind) or []):
        return []
    known = ", ".join(map(str, stack_resources.get(kind) or [])) or "none"
    return [f"{label}: the stack does not create the {kind.replace('_', ' ')} {name} (it creates: {known})"]


def event_errors(where, events, stack_resources=None, stream_tables=None):
    """What is wrong with one function's events (where: the function's label). stack_resources: {kind: [logical
    names]} the stack creates; stream_tables: the logical names of its tables that have a stream."""
    if events is None:
        return []
    if not isinstance(events, list):
        return [f"{where}: events must be a list of {{s3: ...}}, {{dynamodb_stream: ...}} or {{sns: ...}} entries"]
    errors = []
    for index, event in enumerate(events):
        kind, e = event_settings(event)
        label = f"{where}: events[{index}]"
        if kind is None:
            errors.append(f"{label} must be a dict with one key, s3, dynamodb_stream or sns, whose value is a dict; got {event!r}")
            continue
        if kind == "sns":
            topic = e.get("topic")
            if not isinstance(topic, str) or not grant_rules.LOGICAL.match(topic):
                errors.append(f"{label} (sns): topic must be the logical name of the stack's topic, got {topic!r}")
            else:
                errors.extend(_known(f"{label} (sns {topic})", "sns_topic", topic, stack_resources))
            continue
        if kind == "s3":
            label = f"{label} (s3 {e.get('bucket')})"
            if not isinstance(e.get("bucket"), str) or not grant_rules.LOGICAL.match(e["bucket"]):
                errors.append(f"{label}: bucket must be the logical name of the stack's bucket, got {e.get('bucket')!r}")
            else:
                errors.extend(_known(label, "s3_bucket", e["bucket"], stack_resources))
            if not e["events"] or not isinstance(e["events"], list):
                errors.append(f"{label}: events must be a list of S3 event types such as s3:ObjectCreated:*")
            else:
                errors.extend(f"{label}: {t!r} is not an S3 event type (for example s3:ObjectCreated:*, s3:ObjectRemoved:Delete)"
                              for t in e["events"] if t not in S3_EVENTS)
            for key in ("prefix", "suffix"):
                if not isinstance(e[key], str):
                    errors.append(f"{label}: {key} must be a string, got {e[key]!r}")
            if isinstance(e["prefix"], str) and e["prefix"].startswith("/"):
                errors.append(f"{label}: prefix is a key prefix without a leading / (for example avatars/), got {e['prefix']!r}")
        else:
            table = e.get("table")
            label = f"{label} (dynamodb_stream {table})"
            if not isinstance(table, str) or not grant_rules.LOGICAL.match(table):
                errors.append(f"{label}: table must be the logical name of the stack's table, got {table!r}")
            else:
                unknown = _known(label, "dynamodb_table", table, stack_resources)
                errors.extend(unknown)
                if not unknown and stream_tables is not None and table not in stream_tables:
                    errors.append(f"{label}: the table {table} has no stream (tables with a stream: "
                                  f"{', '.join(map(str, stream_tables)) or 'none'}); a mapping needs the table's stream")
            for key, bounds in (("batch_size", BATCH_SIZE), ("maximum_retry_attempts", RETRY_ATTEMPTS)):
                error = _range_error(label, key, e[key], bounds)
                if error:
                    errors.append(error)
            if e["starting_position"] not in STARTING_POSITIONS:
                errors.append(f"{label}: starting_position must be one of {', '.join(STARTING_POSITIONS)}, got {e['starting_position']!r}")
            target = e["failure_destination"]
            if target is not None and (not isinstance(target, str) or destination(target, stack_resources) is None):
                errors.append(f"{label}: failure_destination must be the logical name of ONE queue or topic the stack "
                              f"creates (queues: {', '.join((stack_resources or {}).get('sqs_queue') or []) or 'none'}; "
                              f"topics: {', '.join((stack_resources or {}).get('sns_topic') or []) or 'none'}), got {target!r}")
    return errors


def _types_overlap(first, second):
    """Whether two S3 event types share events (s3:ObjectCreated:* and s3:ObjectCreated:Put do)."""
    if first == second:
        return True
    for wide, narrow in ((first, second), (second, first)):
        if wide.endswith(":*") and narrow.startswith(wide[:-1]):
            return True
    return False


def notifications_overlap(first, second):
    """Whether S3 refuses two notifications of one bucket together: an event type in common, prefixes one of which
    starts the other and suffixes one of which ends the other (an empty prefix or suffix matches every key). Each is
    {events, prefix, suffix}."""
    if not any(_types_overlap(a, b) for a in first["events"] for b in second["events"]):
        return False
    p1, p2, s1, s2 = first["prefix"], second["prefix"], first["suffix"], second["suffix"]
    return (p1.startswith(p2) or p2.startswith(p1)) and (s1.endswith(s2) or s2.endswith(s1))


def overlap_errors(functions):
    """The pairs of S3 notifications (over every function) on one bucket that S3 would refuse together."""
    by_bucket = {}
    for function in functions or []:
        if not isinstance(function, Mapping) or not isinstance(function.get("events"), list):
            continue
        for index, event in enumerate(function["events"]):
            kind, e = event_settings(event)
            if kind == "s3" and isinstance(e["events"], list) and isinstance(e["prefix"], str) and isinstance(e["suffix"], str):
                by_bucket.setdefault(e.get("bucket"), []).append((f"{function.get('name')} events[{index}]", e))
    errors = []
    for bucket, notifications in sorted(by_bucket.items(), key=lambda item: str(item[0])):
        for i, (first_label, first) in enumerate(notifications):
            for second_label, second in notifications[i + 1:]:
                if notifications_overlap(first, second):
                    errors.append(
                        f"the S3 notifications {first_label} and {second_label} of the bucket {bucket} overlap (an event "
                        f"type in common, prefixes {first['prefix']!r} and {second['prefix']!r}, suffixes "
                        f"{first['suffix']!r} and {second['suffix']!r}); S3 refuses overlapping notifications")
    return errors


def _arn(partition, service, region, account, resource):
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def function_arn(prefix, name, account, region, partition="aws"):
    """The ARN of the stack's function of a logical name."""
    return _arn(partition, "lambda", region, account, f"function:{function_names(prefix, name)['function_name']}")


def stream_statements(events, prefix, account, region, partition="aws", stack_resources=None):
    """The execution role's statements for its stream mappings: read the mapped tables' streams, list streams, and
    send to each failure destination (sqs:SendMessage / sns:Publish on its exact ARN)."""
    streams, targets = [], {}
    for event in events or []:
        kind, e = event_settings(event)
        if kind != "dynamodb_stream":
            continue
        table = grant_rules.resource_name(prefix, "dynamodb_table", e["table"])
        streams.append(_arn(partition, "dynamodb", region, account, f"table/{table}/stream/*"))
        if e["failure_destination"]:
            targets[e["failure_destination"]] = destination(e["failure_destination"], stack_resources)
    if not streams:
        return []
    statements = [
        {"Sid": "ReadItsMappedStreams", "Effect": "Allow", "Action": list(STREAM_ACTIONS), "Resource": sorted(set(streams))},
        {"Sid": "ListStreams", "Effect": "Allow", "Action": ["dynamodb:ListStreams"], "Resource": "*"},
    ]
    for name, kind in sorted(targets.items()):
        for statement in grant_rules.grant_statements({"kind": kind, "name": name, "access": "write"}, prefix, partition, account, region):
            statement["Sid"] = "FailureDestination" + statement["Sid"]
            statement["Action"] = ["sqs:SendMessage"] if kind == "sqs_queue" else statement["Action"]
            statements.append(statement)
    return statements


def wiring(functions, prefix, account, region, partition="aws", stack_resources=None):
    """What the role converges after the functions:

    * permissions: the lambda AddPermission of each (function, bucket) pair (principal s3.amazonaws.com, SourceArn
      the bucket, SourceAccount the account), before the notifications (S3 checks them);
    * notifications: per bucket (every bucket of stack_resources, and every bucket an event names), the stack's
      Lambda notifications (Id <owner><function>/<n>), [] to remove them all;
    * mappings: per function, its stream mappings ({table (AWS name), batch_size, starting_position,
      maximum_retry_attempts, destination_arn, enabled}), [] to remove them all;
    * subscriptions: per function, the topic ARNs it subscribes to (topics) and every topic of the stack or an event
      (known: where a subscription not declared is removed). SNS's permissions (principal sns.amazonaws.com,
      SourceArn the topic) are among the permissions.
    """
    owner = notification_owner(prefix)
    buckets = {grant_rules.resource_name(prefix, "s3_bucket", b): [] for b in (stack_resources or {}).get("s3_bucket") or []}
    permissions, mappings, subscriptions = [], [], []
    topics = {_arn(partition, "sns", region, account, grant_rules.resource_name(prefix, "sns_topic", t))
              for t in (stack_resources or {}).get("sns_topic") or []}
    for function in functions or []:
        names = function_names(prefix, function["name"])
        arn = function_arn(prefix, function["name"], account, region, partition)
        own, seen, subscribed = [], set(), []
        for index, event in enumerate(function.get("events") or []):
            kind, e = event_settings(event)
            if kind == "s3":
                bucket = grant_rules.resource_name(prefix, "s3_bucket", e["bucket"])
                buckets.setdefault(bucket, []).append({
                    "id": f"{names['notification_id_prefix']}{index}", "function_arn": arn,
                    "events": sorted(e["events"]), "prefix": e["prefix"], "suffix": e["suffix"]})
                if bucket not in seen:
                    seen.add(bucket)
                    permissions.append({
                        "function_name": names["function_name"], "statement_id": f"s3-{bucket}", "principal": S3,
                        "source_arn": f"arn:{partition}:s3:::{bucket}", "source_account": str(account)})
            elif kind == "sns":
                topic = _arn(partition, "sns", region, account, grant_rules.resource_name(prefix, "sns_topic", e["topic"]))
                topics.add(topic)
                if topic not in subscribed:
                    subscribed.append(topic)
                    permissions.append({
                        "function_name": names["function_name"], "statement_id": f"sns-{topic.rsplit(':', 1)[-1]}",
                        "principal": SNS, "source_arn": topic, "source_account": str(account)})
            elif kind == "dynamodb_stream":
                target = e["failure_destination"]
                destination_arn = None
                if target:
                    name = grant_rules.resource_name(prefix, destination(target, stack_resources), target)
                    service = "sqs" if destination(target, stack_resources) == "sqs_queue" else "sns"
                    destination_arn = _arn(partition, service, region, account, name)
                own.append({"table": grant_rules.resource_name(prefix, "dynamodb_table", e["table"]),
                            "batch_size": as_int(e["batch_size"]), "starting_position": e["starting_position"],
                            "maximum_retry_attempts": as_int(e["maximum_retry_attempts"]),
                            "destination_arn": destination_arn, "enabled": bool(e["enabled"])})
        mappings.append({"function_name": names["function_name"], "mappings": own})
        subscriptions.append({"function_name": names["function_name"], "function_arn": arn, "topics": subscribed})
    notifications = [{"bucket": bucket, "owner": owner, "functions": configurations}
                     for bucket, configurations in sorted(buckets.items())]
    for subscription in subscriptions:
        subscription["known"] = sorted(topics)
    return {"permissions": permissions, "notifications": notifications, "mappings": mappings, "subscriptions": subscriptions}
