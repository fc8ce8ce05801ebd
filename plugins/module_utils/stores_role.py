# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The stores role's logic: the stack's S3 buckets, SQS queues and SNS topics as data, their checks and what the role
publishes (the filters of plugins/filter/stores.py).

A store is declared by its LOGICAL name (``uploads``), the name tiers and functions grant it by; its AWS name is
``<prefix>-<name>`` (grants.resource_name, the stack contract). The role's inputs come as one dict (``stores_*``
variable name to value):

* ``errors`` lists what the argument spec cannot check: S3's bucket naming rules on ``<prefix>-<name>``, SQS's and
  SNS's name rules (a dead-letter queue's ``<name>-dlq`` included), duplicates, ranges, KMS key references, CORS rules;
* ``buckets``, ``queues`` and ``topics`` turn the declarations into what the modules take (a bucket's TLS-only policy,
  its lifecycle rules, its CORS rules; a queue's dead-letter queue first, then the queue with its redrive policy);
* ``outputs`` publishes names, ARNs and URLs with the summary lines, ``kept`` what a teardown keeps and why.

Pure Python, no boto3 import.
"""

import re
from collections.abc import Mapping

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils.grants import LOGICAL
from ansible_collections.atelier.infra.plugins.module_utils.grants import resource_name
from ansible_collections.atelier.infra.plugins.module_utils.static_site import tls_only_statement

P = "stores_"
BUCKET_KEYS = ("name", "versioning", "kms_key", "noncurrent_days", "expire", "cors", "tags")
QUEUE_KEYS = ("name", "visibility_timeout", "retention_seconds", "kms_key", "dead_letter", "tags")
TOPIC_KEYS = ("name", "kms_key", "tags")
DEAD_LETTER_KEYS = ("max_receive_count", "retention_seconds")
CORS_KEYS = ("origins", "methods", "headers", "expose_headers", "max_age")
BUCKET_DEFAULTS = {"versioning": True, "kms_key": "", "noncurrent_days": 30, "expire": [], "cors": [], "tags": {}}
# SQS's defaults: 30 s visibility, 4 days' retention; a dead-letter queue keeps its messages the longest SQS allows.
QUEUE_DEFAULTS = {"visibility_timeout": 30, "retention_seconds": 345600, "kms_key": "", "dead_letter": None, "tags": {}}
DEAD_LETTER_DEFAULTS = {"max_receive_count": 5, "retention_seconds": 1209600}
TOPIC_DEFAULTS = {"kms_key": "", "tags": {}}
# S3's rules for a general purpose bucket name (no dots here: a dotted name breaks TLS on virtual-hosted addresses).
BUCKET = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
BUCKET_BAD_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
BUCKET_BAD_SUFFIXES = ("-s3alias", "--ol-s3", "--x-s3", "--table-s3")
# SQS: 1-80 letters, digits, - and _; SNS: 1-256.
QUEUE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
KMS_KEY = re.compile(
    r"^(alias/[A-Za-z0-9/_-]{1,250}"
    r"|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[A-Za-z0-9-]{1,100}|alias/[A-Za-z0-9/_-]{1,250})"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$"
)
CORS_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
ORIGIN = re.compile(r"^(\*|https?://[^\s/]+)$")
WHOLE = re.compile(r"^[0-9]+$")
MAX_DAYS = 36500


def _whole(value):
    return int(value) if not isinstance(value, bool) and WHOLE.match(str(value).strip()) else None


def _entries(inputs, key):
    value = inputs.get(P + key)
    return value if isinstance(value, list) else []


def _declared(entries, defaults):
    """The entries that are dicts with a string name, with the defaults filled in."""
    return [dict(defaults, **{k: v for k, v in e.items() if v is not None}) for e in entries if isinstance(e, Mapping) and isinstance(e.get("name"), str)]


def _common_errors(label, entry, keys, kms=True):
    errors = []
    unknown = sorted(set(entry) - set(keys))
    if unknown:
        errors.append(f"{label}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(keys)})")
    if not LOGICAL.match(entry["name"]):
        errors.append(f"{label}: name must be a logical name (letters, digits, . _ -), got {entry['name']!r}")
    if kms and entry.get("kms_key") and (not isinstance(entry["kms_key"], str) or not KMS_KEY.match(entry["kms_key"])):
        errors.append(f"{label}: kms_key must be a KMS key alias (alias/...), key ARN, alias ARN or key id, got {entry['kms_key']!r}")
    if not isinstance(entry.get("tags"), Mapping):
        errors.append(f"{label}: tags must be a dict, got {entry.get('tags')!r}")
    return errors


def _range(label, key, value, low, high, unit):
    number = _whole(value)
    if number is None or not low <= number <= high:
        return [f"{label}: {key} must be a whole number of {unit} from {low} to {high}, got {value!r}"]
    return []


def bucket_name_errors(label, name):
    """S3's naming rules, on the bucket's AWS name."""
    if not BUCKET.match(name):
        return [f"{label}: the bucket name {name!r} breaks S3's rules: 3-63 lowercase letters, digits and hyphens, "
                "starting and ending with a letter or digit (use a lowercase logical name)"]
    if name.startswith(BUCKET_BAD_PREFIXES) or name.endswith(BUCKET_BAD_SUFFIXES):
        return [f"{label}: the bucket name {name!r} starts or ends with what S3 reserves "
                f"({', '.join(BUCKET_BAD_PREFIXES + BUCKET_BAD_SUFFIXES)})"]
    return []


def _cors_errors(label, rules):
    if not isinstance(rules, list):
        return [f"{label}: cors must be a list of rules, got {rules!r}"]
    errors = []
    for index, rule in enumerate(rules):
        where = f"{label}: cors[{index}]"
        if not isinstance(rule, Mapping):
            errors.append(f"{where} must be a dict with origins and methods")
            continue
        unknown = sorted(set(rule) - set(CORS_KEYS))
        if unknown:
            errors.append(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(CORS_KEYS)})")
        origins = rule.get("origins")
        if not isinstance(origins, list) or not origins or not all(isinstance(o, str) and ORIGIN.match(o) for o in origins):
            errors.append(f"{where}: origins must be a list of origins such as https://app.example.com (or *), got {origins!r}")
        methods = rule.get("methods")
        if not isinstance(methods, list) or not methods or not all(m in CORS_METHODS for m in methods):
            errors.append(f"{where}: methods must be a list of {', '.join(CORS_METHODS)}, got {methods!r}")
        if rule.get("max_age") is not None:
            errors.extend(_range(where, "max_age", rule["max_age"], 0, 86400, "seconds"))
    return errors


def _expire_errors(label, rules):
    if not isinstance(rules, list):
        return [f"{label}: expire must be a list of {{prefix, days}}, got {rules!r}"]
    errors = []
    prefixes = []
    for index, rule in enumerate(rules):
        where = f"{label}: expire[{index}]"
        if not isinstance(rule, Mapping) or not isinstance(rule.get("prefix"), str) or not rule.get("prefix"):
            errors.append(f"{where} must be a dict with a non-empty key prefix (for example tmp/) and days")
            continue
        if rule["prefix"].startswith("/"):
            errors.append(f"{where}: prefix is a key prefix without a leading / (for example tmp/), got {rule['prefix']!r}")
        errors.extend(_range(where, "days", rule.get("days"), 1, MAX_DAYS, "days"))
        prefixes.append(rule["prefix"])
    if len(set(prefixes)) != len(prefixes):
        errors.append(f"{label}: expire names a prefix twice")
    return errors


def errors(inputs):
    """What is wrong with the stores role's inputs (a dict of the stores_* variables), beyond types; empty when all
    is well."""
    inputs = dict(inputs or {})
    found = []
    prefix = inputs.get(P + "name_prefix")
    if not isinstance(prefix, str) or not stack.PREFIX.match(prefix):
        return [f"{P}name_prefix must be 1-40 lowercase letters, digits and single hyphens starting with a letter, got {prefix!r}"]
    for key, keys in (("buckets", BUCKET_KEYS), ("queues", QUEUE_KEYS), ("topics", TOPIC_KEYS)):
        value = inputs.get(P + key, [])
        if not isinstance(value, list):
            found.append(f"{P}{key} must be a list, got {value!r}")
            continue
        names = []
        for index, entry in enumerate(value):
            if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str) or not entry.get("name"):
                found.append(f"{P}{key}[{index}] must be a dict with a logical name, got {entry!r}")
                continue
            names.append(entry["name"])
        for name in sorted({n for n in names if names.count(n) > 1}):
            found.append(f"{P}{key}: {name!r} is declared more than once")
    for index, entry in enumerate(_declared(_entries(inputs, "buckets"), BUCKET_DEFAULTS)):
        label = f"{P}buckets[{index}] ({entry['name']})"
        found.extend(_common_errors(label, entry, BUCKET_KEYS))
        found.extend(bucket_name_errors(label, resource_name(prefix, "s3_bucket", entry["name"])))
        if not isinstance(entry["versioning"], bool):
            found.append(f"{label}: versioning must be true or false, got {entry['versioning']!r}")
        found.extend(_range(label, "noncurrent_days", entry["noncurrent_days"], 0, MAX_DAYS, "days (0 keeps them)"))
        found.extend(_expire_errors(label, entry["expire"]))
        found.extend(_cors_errors(label, entry["cors"]))
    for index, entry in enumerate(_declared(_entries(inputs, "queues"), QUEUE_DEFAULTS)):
        label = f"{P}queues[{index}] ({entry['name']})"
        found.extend(_common_errors(label, entry, QUEUE_KEYS))
        name = resource_name(prefix, "sqs_queue", entry["name"])
        if not QUEUE.match(name):
            found.append(f"{label}: the queue name {name!r} breaks SQS's rules: 1-80 letters, digits, - and _")
        found.extend(_range(label, "visibility_timeout", entry["visibility_timeout"], 0, 43200, "seconds"))
        found.extend(_range(label, "retention_seconds", entry["retention_seconds"], 60, 1209600, "seconds"))
        dead_letter = entry["dead_letter"]
        if dead_letter not in (None, False, True) and not isinstance(dead_letter, Mapping):
            found.append(f"{label}: dead_letter must be true or a dict of {', '.join(DEAD_LETTER_KEYS)}, got {dead_letter!r}")
        elif isinstance(dead_letter, Mapping):
            unknown = sorted(set(dead_letter) - set(DEAD_LETTER_KEYS))
            if unknown:
                found.append(f"{label}: dead_letter: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(DEAD_LETTER_KEYS)})")
            settings = dict(DEAD_LETTER_DEFAULTS, **dead_letter)
            found.extend(_range(label, "dead_letter.max_receive_count", settings["max_receive_count"], 1, 1000, "receives"))
            found.extend(_range(label, "dead_letter.retention_seconds", settings["retention_seconds"], 60, 1209600, "seconds"))
        if dead_letter:
            dlq = resource_name(prefix, "sqs_queue", stack.dead_letter_queue(entry["name"]))
            if not QUEUE.match(dlq):
                found.append(f"{label}: its dead-letter queue's name {dlq!r} breaks SQS's rules: 1-80 letters, digits, - and _")
    for entry in _declared(_entries(inputs, "queues"), QUEUE_DEFAULTS):
        if entry["dead_letter"] and stack.dead_letter_queue(entry["name"]) in [e.get("name") for e in _entries(inputs, "queues") if isinstance(e, Mapping)]:
            found.append(f"{P}queues: {entry['name']!r} has a dead-letter queue, so {stack.dead_letter_queue(entry['name'])!r} "
                         "cannot be declared as a queue too")
    for index, entry in enumerate(_declared(_entries(inputs, "topics"), TOPIC_DEFAULTS)):
        label = f"{P}topics[{index}] ({entry['name']})"
        found.extend(_common_errors(label, entry, TOPIC_KEYS))
        name = resource_name(prefix, "sns_topic", entry["name"])
        if not TOPIC.match(name):
            found.append(f"{label}: the topic name {name!r} breaks SNS's rules: 1-256 letters, digits, - and _")
    return found


def _tags(env, stack_name, name, *extra):
    return stack.stack_tags(env, stack_name, *extra, name=name)


def bucket_policy(bucket, partition="aws"):
    """A store bucket's policy: every request without TLS denied (nothing is public; grants are on the callers)."""
    return {"Version": "2012-10-17", "Statement": [tls_only_statement(f"arn:{partition}:s3:::{bucket}", "DenyInsecureTransport")]}


def lifecycle_rules(entry):
    """A bucket's lifecycle rules as community.aws.s3_lifecycle takes them (rule_id, prefix, days), each with its
    state: noncurrent versions expire after noncurrent_days (a versioned bucket; absent with 0 or no versioning), and
    each expire prefix's objects after its days."""
    noncurrent = _whole(entry["noncurrent_days"]) or 0
    rules = [{
        "rule_id": "expire-noncurrent-versions",
        "prefix": "",
        "noncurrent_version_expiration_days": noncurrent if noncurrent and entry["versioning"] else None,
        "expiration_days": None,
        "state": "present" if noncurrent and entry["versioning"] else "absent",
    }]
    for rule in entry["expire"]:
        rules.append({
            "rule_id": "expire-" + re.sub(r"[^A-Za-z0-9._-]", "-", rule["prefix"]).strip("-"),
            "prefix": rule["prefix"],
            "noncurrent_version_expiration_days": None,
            "expiration_days": _whole(rule["days"]),
            "state": "present",
        })
    return rules


def cors_rules(entry):
    """A bucket's CORS rules as community.aws.s3_cors takes them."""
    rules = []
    for rule in entry["cors"]:
        converted = {"allowed_origins": list(rule["origins"]), "allowed_methods": list(rule["methods"]),
                     "allowed_headers": list(rule.get("headers") or ["*"])}
        if rule.get("expose_headers"):
            converted["expose_headers"] = list(rule["expose_headers"])
        if rule.get("max_age") is not None:
            converted["max_age_seconds"] = _whole(rule["max_age"])
        rules.append(converted)
    return rules


def buckets(inputs, env, stack_name, partition="aws"):
    """The declared buckets, each {logical, name, arn, versioning, kms_key, policy, lifecycle, cors, tags}."""
    inputs = dict(inputs or {})
    prefix = inputs[P + "name_prefix"]
    result = []
    for entry in _declared(_entries(inputs, "buckets"), BUCKET_DEFAULTS):
        name = resource_name(prefix, "s3_bucket", entry["name"])
        result.append({
            "logical": entry["name"],
            "name": name,
            "arn": f"arn:{partition}:s3:::{name}",
            "versioning": bool(entry["versioning"]),
            "kms_key": entry["kms_key"] or "",
            "policy": bucket_policy(name, partition),
            "lifecycle": lifecycle_rules(entry),
            "cors": cors_rules(entry),
            "tags": _tags(env, stack_name, name, inputs.get(P + "tags"), inputs.get("atelier_tags"), entry["tags"]),
        })
    return result


def queue_arn(name, partition, account, region):
    """A queue's ARN."""
    return f"arn:{partition}:sqs:{region}:{account}:{name}"


def topic_arn(name, partition, account, region):
    """A topic's ARN."""
    return f"arn:{partition}:sns:{region}:{account}:{name}"


def queues(inputs, env, stack_name, partition="aws", account="", region=""):
    """The declared queues in the order they are made: each queue's dead-letter queue right before it. Each is
    {logical, name, arn, visibility_timeout, retention_seconds, kms_key, dead_letter (the DLQ's name, or ''),
    redrive_policy (None without a DLQ), tags}."""
    inputs = dict(inputs or {})
    prefix = inputs[P + "name_prefix"]
    result = []
    for entry in _declared(_entries(inputs, "queues"), QUEUE_DEFAULTS):
        name = resource_name(prefix, "sqs_queue", entry["name"])
        tags = _tags(env, stack_name, name, inputs.get(P + "tags"), inputs.get("atelier_tags"), entry["tags"])
        dead_letter = ""
        redrive = None
        if entry["dead_letter"]:
            settings = dict(DEAD_LETTER_DEFAULTS, **(entry["dead_letter"] if isinstance(entry["dead_letter"], Mapping) else {}))
            logical = stack.dead_letter_queue(entry["name"])
            dead_letter = resource_name(prefix, "sqs_queue", logical)
            redrive = {"deadLetterTargetArn": queue_arn(dead_letter, partition, account, region),
                       "maxReceiveCount": _whole(settings["max_receive_count"])}
            result.append({
                "logical": logical, "name": dead_letter, "arn": queue_arn(dead_letter, partition, account, region),
                "visibility_timeout": _whole(entry["visibility_timeout"]), "retention_seconds": _whole(settings["retention_seconds"]),
                "kms_key": entry["kms_key"] or "", "dead_letter": "", "redrive_policy": None, "tags": dict(tags, Name=dead_letter),
            })
        result.append({
            "logical": entry["name"], "name": name, "arn": queue_arn(name, partition, account, region),
            "visibility_timeout": _whole(entry["visibility_timeout"]), "retention_seconds": _whole(entry["retention_seconds"]),
            "kms_key": entry["kms_key"] or "", "dead_letter": dead_letter, "redrive_policy": redrive, "tags": tags,
        })
    return result


def topics(inputs, env, stack_name, partition="aws", account="", region=""):
    """The declared topics, each {logical, name, arn, kms_key, tags}."""
    inputs = dict(inputs or {})
    prefix = inputs[P + "name_prefix"]
    return [
        {"logical": e["name"], "name": resource_name(prefix, "sns_topic", e["name"]),
         "arn": topic_arn(resource_name(prefix, "sns_topic", e["name"]), partition, account, region), "kms_key": e["kms_key"] or "",
         "tags": _tags(env, stack_name, resource_name(prefix, "sns_topic", e["name"]), inputs.get(P + "tags"),
                       inputs.get("atelier_tags"), e["tags"])}
        for e in _declared(_entries(inputs, "topics"), TOPIC_DEFAULTS)
    ]


def plan(declared_topics, existing_arns):
    """The plan's records of the topics check mode would create (community.aws.sns_topic fails in check mode on a
    missing topic, so the role skips it): {action, type, name, attributes, diff}."""
    existing = set(existing_arns or [])
    return [{"action": "create", "type": "sns topic", "name": t["name"], "attributes": [], "diff": {}}
            for t in declared_topics or [] if t["arn"] not in existing]


def queue_url(arn):
    """A queue's URL from its ARN, as SQS documents it and the grants tell a container (grants.grant_environment).
    (community.aws.sqs_queue returns no URL for a queue it has just created.)"""
    _arn, _partition, _service, region, account, name = arn.split(":", 5)
    return f"https://sqs.{region}.amazonaws.com/{account}/{name}"


def outputs(declared, region):
    """stores_outputs: by logical name, each bucket's name and ARN, each queue's name, URL and ARN, each topic's name
    and ARN, and the summary lines. declared: {buckets, queues, topics} (stores_declared)."""
    result = {"buckets": {}, "queues": {}, "topics": {}, "summary": []}
    for bucket in declared.get("buckets") or []:
        result["buckets"][bucket["logical"]] = {"name": bucket["name"], "arn": bucket["arn"]}
        result["summary"].append(
            f"S3 bucket {bucket['name']} in {region} ({'SSE-KMS ' + bucket['kms_key'] if bucket['kms_key'] else 'SSE-S3'}"
            f"{', versioned' if bucket['versioning'] else ''})"
        )
    for queue in declared.get("queues") or []:
        url = queue_url(queue["arn"])
        result["queues"][queue["logical"]] = {"name": queue["name"], "url": url, "arn": queue["arn"]}
        result["summary"].append(f"SQS queue {queue['name']}: {url}"
                                 + (f" (dead letters to {queue['dead_letter']})" if queue.get("dead_letter") else ""))
    for topic in declared.get("topics") or []:
        result["topics"][topic["logical"]] = {"name": topic["name"], "arn": topic["arn"]}
        result["summary"].append(f"SNS topic {topic['name']}: {topic['arn']}")
    return result


def kept(deletions, delete_data=False):
    """stores_kept: the buckets a teardown keeps because they hold objects, from the results of the role's deletion
    task (each item the s3_object_info result of a bucket, its item the declared bucket): a deletion skipped because
    the bucket lists objects, or refused by S3 with BucketNotEmpty (object versions only)."""
    if delete_data:
        return []
    lines = []
    for found in deletions or []:
        if not isinstance(found, Mapping):
            continue
        bucket = ((found.get("item") or {}).get("item") or {}).get("name")
        if bucket and (found.get("skipped") or "BucketNotEmpty" in str(found.get("msg", ""))):
            lines.append(f"S3 bucket {bucket} (holds objects; atelier_teardown_delete_data=true, stores_delete_data=true "
                         "in the role, deletes it with them)")
    return lines
