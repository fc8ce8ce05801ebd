# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a run changes, resource by resource: the logic of the plan callback (plugins/callback/plan.py).

A *change* is a dict ``{action, type, name, attributes, diff}``: ``action`` one of create, update, replace, delete or
keep; ``type`` a resource type in words (``target group``, ``security group``, ``cloudwatch alarm``); ``attributes``
the settings an update changes; ``diff`` ``{attribute: {before, after}}`` where a source knows the values. Three
sources, in this order of trust:

* ``atelier_plan`` in a task's result (a task of a role that computes what an upstream module without check mode, or
  with a hidden result, would change): a list of changes, or of *identities* ``{module, type, name}`` that name the
  resource of a later task of that module whose result no_log hides, or whose result cannot tell a creation from an
  update (``exists`` when the role knows);
* ``actions`` returned by the collection's own modules: lines ``<verb> <type> <name>[ ...][: <attr>, <attr>]``
  (``parse_action``; the network module's route, association and rule verbs become updates of their table or group);
* any other AWS module's result (``MODULES`` names its resource type and the option that names it): not changed is
  keep, ``state: absent`` is delete, a diff with an empty side is create or delete, else its differing keys; in check
  mode the module's "Would have created/updated/deleted" message or its missing resource; after a real run the
  resource's creation time against the run's start, or a module's own creation marker (``CREATED_BY``); what the
  role said of the resource's existence before the task (an identity's ``exists``); last, whether the resource was
  among those found by the stack's tags earlier in the run (``known``).

``merge`` folds the changes of one resource (a create and the updates after it are one create), ``summary`` counts
them Terraform's way (a replace is one add and one destroy), ``render`` draws the tables. Pure Python.
"""

import datetime
import json
import re

CREATE, UPDATE, REPLACE, DELETE, KEEP = "create", "update", "replace", "delete", "keep"
ACTIONS = (CREATE, UPDATE, REPLACE, DELETE, KEEP)
SYMBOLS = {CREATE: "+", UPDATE: "~", REPLACE: "-/+", DELETE: "-", KEEP: "="}

# The resource types our modules' action lines name, longest first (a type is matched before its name).
TYPES = (
    "cloudfront origin request policy",
    "cloudfront origin access control",
    "cloudfront cache policy",
    "cloudfront distribution",
    "api gateway integration",
    "api gateway route",
    "api gateway stage",
    "api gateway api",
    "event source mapping",
    "codepipeline pipeline",
    "cloudwatch dashboard",
    "route53 hosted zone",
    "codebuild project",
    "cloudwatch alarm",
    "internet gateway",
    "instance profile",
    "scalable target",
    "s3 notification",
    "sns subscription",
    "scaling policy",
    "dynamodb table",
    "ecr repository",
    "task definition",
    "ecs service",
    "ecs cluster",
    "log group",
    "user pool",
    "iam role",
    "app client",
    "security group",
    "NAT gateway",
    "route table",
    "elastic ip",
    "flow log",
    "endpoint",
    "subnet",
    "vpc",
)
_TYPE = "|".join(re.escape(t) for t in TYPES)
_NAME = r"(?P<name>\S+?)(?=:\s|:$|\s|$)"

# Lines whose verb is not create/update/replace/delete: (pattern, action, type, attribute). The type is a group of
# the pattern when None.
VERB_RULES = (
    (re.compile(r"^(?:create|replace|delete) route \S+ -> .* (?:in|from) route table (?P<name>\S+)$"), UPDATE, "route table", "routes"),
    (re.compile(r"^associate route table (?P<name>\S+) with subnet "), UPDATE, "route table", "associations"),
    (re.compile(r"^associate subnet \S+ with route table (?P<name>\S+)"), UPDATE, "route table", "associations"),
    (re.compile(r"^disassociate route table (?P<name>\S+) from "), UPDATE, "route table", "associations"),
    (re.compile(r"^(?:attach|detach) internet gateway (?P<name>\S+)"), UPDATE, "internet gateway", "attachment"),
    (re.compile(r"^allocate elastic ip (?P<name>\S+)"), CREATE, "elastic ip", None),
    (re.compile(r"^release elastic ip (?P<name>\S+)"), DELETE, "elastic ip", None),
    (re.compile(r"^update tags of (?P<type>" + _TYPE + r") (?P<name>\S+?):? "), UPDATE, None, "tags"),
    (re.compile(r"^revoke \d+ (?P<attr>ingress|egress) rules? of the default security group (?P<name>\S+)"), UPDATE, "security group", None),
    (re.compile(r"^set the description of .* on (?P<name>\S+) to "), UPDATE, "security group", "rule descriptions"),
    (re.compile(r"^(?:authorize|revoke) .* on (?P<name>\S+)$"), UPDATE, "security group", "ingress"),
    (re.compile(r"^tag (?P<name>\S+?): "), UPDATE, "security group", "tags"),
)
STANDARD = re.compile(r"^(?P<verb>create|update|replace|delete) (?P<type>" + _TYPE + r") " + _NAME + r"(?P<rest>.*)$")
PLURAL = re.compile(r"^delete endpoints (?P<names>.+)$")

# Upstream modules: short name -> (resource type, the option that names it, the result key that holds the resource).
MODULES = {
    "cloudwatchlogs_log_group": ("log group", "log_group_name", "log_group_name"),
    "iam_role": ("iam role", "name", "iam_role"),
    "iam_instance_profile": ("instance profile", "name", "iam_instance_profile"),
    "iam_managed_policy": ("iam policy", "name", "policy"),
    "ecs_ecr": ("ecr repository", "name", "repository"),
    "secretsmanager_secret": ("secret", "name", "secret"),
    "elb_target_group": ("target group", "name", "target_group_arn"),
    "elb_application_lb": ("load balancer", "name", "load_balancer_arn"),
    "ec2_launch_template": ("launch template", "template_name", "template"),
    "autoscaling_group": ("auto scaling group", "name", "auto_scaling_group_name"),
    "autoscaling_policy": ("scaling policy", "name", "policy_arn"),
    "cloudwatch_metric_alarm": ("cloudwatch alarm", "name", "alarm_arn"),
    "sns_topic": ("sns topic", "name", "sns_arn"),
    "sqs_queue": ("sqs queue", "name", "queue_arn"),
    "s3_lifecycle": ("s3 bucket", "name", "name"),
    "s3_cors": ("s3 bucket", "name", "name"),
    "rds_subnet_group": ("db subnet group", "name", "subnet_group"),
    "rds_instance_param_group": ("db parameter group", "name", "db_parameter_group_arn"),
    "rds_instance": ("db instance", "db_instance_identifier", "db_instance_arn"),
    "ec2_key": ("key pair", "name", "key"),
    "ec2_instance": ("ec2 instance", "name", "instances"),
    "s3_bucket": ("s3 bucket", "name", "name"),
    "ssm_parameter": ("ssm parameter", "name", "parameter_metadata"),
    "cloudwatchevent_rule": ("eventbridge rule", "name", "rule"),
}
# An inline policy is a setting of its role (or user, group): iam_type + iam_name, attribute "policy <name>".
INLINE_POLICY = "iam_policy"
# An instance refresh replaces the group's instances: an update of the group.
REFRESH = "autoscaling_instance_refresh"
# Keys of a result that date the resource's creation (ISO 8601, or epoch milliseconds for CloudWatch Logs).
CREATED_KEYS = ("create_date", "created_time", "creation_time", "create_time", "created_date", "created_at",
                "instance_create_time", "launch_time")
# Upstream modules whose result tells a creation apart where nothing else does: short name -> predicate of the result.
# ssm_parameter: PutParameter answered version 1 (a parameter updated in this run has a later version).
CREATED_BY = {
    "ssm_parameter": lambda result: (result.get("response") or {}).get("Version") == 1,
}
WOULD = re.compile(r"\bwould(?: have)? (?P<verb>create|update|delete|replace)", re.I)
# Resource types of ARNs (tagged_resources_info's resource_type) -> plan types, for the resources found by tags.
ARN_TYPES = {
    "elasticloadbalancing:loadbalancer": "load balancer",
    "elasticloadbalancing:targetgroup": "target group",
    "secretsmanager:secret": "secret",
    "logs:log-group": "log group",
    "ec2:launch-template": "launch template",
    "cloudfront:distribution": "cloudfront distribution",
    "dynamodb:table": "dynamodb table",
    "sns:topic": "sns topic",
    "sqs:queue": "sqs queue",
    "s3:bucket": "s3 bucket",
    "rds:db": "db instance",
    "autoscaling:autoScalingGroup": "auto scaling group",
    "cloudwatch:alarm": "cloudwatch alarm",
}


def change(action, rtype, name, attributes=None, diff=None):
    """A change; attributes sorted and unique."""
    return {"action": action, "type": rtype, "name": str(name), "attributes": sorted(set(attributes or [])), "diff": dict(diff or {})}


def _attributes(rest):
    """The attributes after ': ' of an action line (``DNS hostnames on`` stays one attribute)."""
    text = rest.split(": ", 1)[1] if ": " in rest else ""
    return [part.strip() for part in text.split(", ") if part.strip()]


def parse_action(line):
    """One of our modules' action lines as a change, or None when the line names no resource it knows."""
    line = str(line).strip()
    for pattern, action, rtype, attribute in VERB_RULES:
        found = pattern.match(line)
        if found:
            groups = found.groupdict()
            attributes = [attribute or groups.get("attr")] if (attribute or groups.get("attr")) else []
            return change(action, rtype or groups["type"], groups["name"], attributes)
    found = STANDARD.match(line)
    if found:
        verb = found.group("verb")
        attributes = _attributes(found.group("rest")) if verb in (UPDATE, REPLACE) else []
        return change(verb, found.group("type"), found.group("name"), attributes)
    return None


def parse_actions(lines):
    """Every change the action lines name (``delete endpoints a, b`` is one per endpoint)."""
    changes = []
    for line in lines or []:
        plural = PLURAL.match(str(line).strip())
        if plural:
            changes.extend(change(DELETE, "endpoint", name.strip()) for name in plural.group("names").split(","))
            continue
        parsed = parse_action(line)
        if parsed:
            changes.append(parsed)
    return changes


def _empty(value):
    return value in (None, {}, [], "")


def diff_changes(diff):
    """(action, {attribute: {before, after}}) from a module's diff, or None when it tells nothing."""
    if isinstance(diff, list):
        diff = diff[0] if len(diff) == 1 else None
    if not isinstance(diff, dict) or "before" not in diff or "after" not in diff:
        return None
    before, after = diff["before"], diff["after"]
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    if _empty(before) and not _empty(after):
        return CREATE, {}
    if _empty(after) and not _empty(before):
        return DELETE, {}
    differing = {key: {"before": before.get(key), "after": after.get(key)}
                 for key in sorted(set(before) | set(after), key=str) if before.get(key) != after.get(key)}
    return (UPDATE, differing) if differing else None


def _timestamp(value):
    """A creation time as epoch seconds, or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value / 1000.0 if value > 1e11 else float(value)
    if isinstance(value, str) and value:
        text = value.strip().replace("Z", "+00:00")
        if re.match(r"^\d{12,}$", text):
            return int(text) / 1000.0
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return moment.timestamp()
    return None


def created_at(result, depth=0):
    """The earliest creation time a result carries (epoch seconds), or None."""
    found = []
    if isinstance(result, dict) and depth < 3:
        for key, value in result.items():
            if key in CREATED_KEYS:
                moment = _timestamp(value)
                if moment is not None:
                    found.append(moment)
            elif isinstance(value, (dict, list)):
                moment = created_at(value, depth + 1)
                if moment is not None:
                    found.append(moment)
    elif isinstance(result, list) and depth < 3:
        found = [m for m in (created_at(item, depth + 1) for item in result[:5]) if m is not None]
    return min(found) if found else None


def module_short_name(action):
    """``amazon.aws.iam_role`` -> ``iam_role`` (redirected names keep their last part)."""
    return str(action or "").rsplit(".", 1)[-1]


def _identity(module, args):
    """(type, name) of an upstream module's resource from its options, or None."""
    if module == INLINE_POLICY:
        return "iam " + str(args.get("iam_type") or "role"), args.get("iam_name")
    if module == REFRESH:
        return "auto scaling group", args.get("name")
    known = MODULES.get(module)
    if not known or not args.get(known[1]):
        return None
    return known[0], args[known[1]]


def classify(module, args, result, check_mode, started=None, known=None, existed=None):
    """The change an upstream module's result (one loop item) stands for, or None when it is no resource's.

    args: the module's options as it ran (``invocation.module_args``); started: when the run started (epoch seconds);
    known: {type: set of names} found by the stack's tags earlier in the run; existed: whether the resource existed
    before the task, as the role found it (None: unknown).
    """
    identity = _identity(module, args or {})
    if identity is None or not isinstance(result, dict):
        return None
    rtype, name = identity
    state = str((args or {}).get("state") or "present")
    changed = bool(result.get("changed"))
    if module == INLINE_POLICY:
        attribute = "policy " + str(args.get("policy_name"))
        return change(UPDATE, rtype, name, [attribute]) if changed else change(KEEP, rtype, name)
    if module == REFRESH:
        return change(UPDATE, rtype, name, ["instances (refresh)"]) if changed else None
    if not changed:
        return None if state == "absent" else change(KEEP, rtype, name)
    if state == "absent":
        return change(DELETE, rtype, name)
    told = diff_changes(result.get("diff"))
    if told:
        action, differing = told
        return change(action, rtype, name, list(differing), differing)
    would = WOULD.search(str(result.get("msg") or ""))
    if would:
        return change(would.group("verb").lower(), rtype, name)
    if result.get("created") is True or CREATED_BY.get(module, lambda _result: False)(result):
        return change(CREATE, rtype, name)
    resource_key = MODULES[module][2]
    if check_mode and _empty(result.get(resource_key)):
        return change(CREATE, rtype, name)
    moment = created_at(result)
    if not check_mode and moment is not None and started is not None:
        return change(CREATE if moment >= started - 1 else UPDATE, rtype, name)
    if existed is not None:
        return change(UPDATE if existed else CREATE, rtype, name)
    if known is not None and rtype in known:
        return change(UPDATE if name in known[rtype] else CREATE, rtype, name)
    return change(UPDATE, rtype, name)


def from_known(resources, queried=None, known=None):
    """{type: set of names} of tagged_resources_info's resources (a secret's name without its random suffix), for
    every type queried (all when none is named), over what is known already: the first look at a type wins (it was
    taken before the run changed that type)."""
    known = {key: set(value) for key, value in (known or {}).items()}
    types = [ARN_TYPES[t] for t in queried or ARN_TYPES if t in ARN_TYPES]
    if any(str(t) == "sns" for t in queried or []):
        types.append("sns topic")
    found = {rtype: set() for rtype in types}
    for resource in resources or []:
        if not isinstance(resource, dict):
            continue
        rtype = ARN_TYPES.get(resource.get("resource_type"))
        name = resource.get("name") or ""
        if rtype == "secret":
            name = re.sub(r"-[A-Za-z0-9]{6}$", "", name)
        if rtype and name and rtype in found:
            found[rtype].add(name)
    for rtype, names in found.items():
        known.setdefault(rtype, names)
    return known


def _union_diff(first, second):
    merged = dict(first)
    for key, value in second.items():
        merged[key] = {"before": merged.get(key, value).get("before"), "after": value.get("after")}
    return merged


def fold(old, new):
    """One change from two of the same resource in the order they came. What a role computed (``explicit``) decides
    the action over what a module's result suggests, unless it says keep."""
    attributes = sorted(set(old["attributes"]) | set(new["attributes"]))
    diff = _union_diff(old["diff"], new["diff"])
    pair = (old["action"], new["action"])
    explicit = old.get("explicit") or new.get("explicit")
    if new.get("explicit") and not old.get("explicit") and new["action"] != KEEP:
        action = new["action"]
    elif old.get("explicit") and not new.get("explicit") and KEEP not in pair:
        action = old["action"]
    elif new["action"] == KEEP:
        return old
    elif old["action"] == KEEP:
        return new
    elif pair in ((DELETE, CREATE), (DELETE, REPLACE)):
        action = REPLACE
    elif old["action"] in (CREATE, REPLACE) and new["action"] == DELETE:
        action = DELETE
    elif old["action"] in (CREATE, REPLACE, DELETE):
        action = old["action"]
    else:
        action = new["action"]
    if action in (CREATE, DELETE):
        attributes, diff = [], {}
    return dict(old, action=action, attributes=attributes, diff=diff, explicit=bool(explicit))


def merge(changes):
    """The changes folded per (type, name), in the order each resource first came."""
    merged = {}
    for item in changes:
        key = (item["type"], item["name"])
        merged[key] = fold(merged[key], item) if key in merged else dict(item)
    return list(merged.values())


def counts(changes):
    """{add, change, destroy, keep}: a replace is one add and one destroy."""
    total = {"add": 0, "change": 0, "destroy": 0, "keep": 0}
    for item in changes:
        action = item["action"]
        total["add"] += action in (CREATE, REPLACE)
        total["change"] += action == UPDATE
        total["destroy"] += action in (DELETE, REPLACE)
        total["keep"] += action == KEEP
    return total


def report(layers, check_mode):
    """The plan as the JSON file holds it: {mode, summary, layers: [{name, summary, changes}]}. layers: [(name,
    [change])] in run order. The run's summary counts each resource once, folded across the layers as within one: a
    resource one layer creates and a later one finishes (the DynamoDB replica's settings of playbooks/data_wait.yml)
    is one added."""
    out = []
    every = []
    for name, changes in layers:
        merged = merge(changes)
        every.extend(merged)
        merged = [{key: value for key, value in c.items() if key != "explicit"} for c in merged]
        ordered = [c for c in merged if c["action"] != KEEP] + [c for c in merged if c["action"] == KEEP]
        out.append({"name": name, "summary": counts(merged), "changes": ordered})
    return {"mode": "check" if check_mode else "apply", "summary": counts(merge(every)), "layers": out}


def summary_line(plan):
    """Terraform's last line: "Plan: N to add, ..." in check mode, "Apply complete: N added, ..." after a run."""
    total = plan["summary"]
    if plan["mode"] == "check":
        return f"Plan: {total['add']} to add, {total['change']} to change, {total['destroy']} to destroy."
    return f"Apply complete: {total['add']} added, {total['change']} changed, {total['destroy']} destroyed."


def _value(value):
    text = json.dumps(value, sort_keys=True, default=str) if not isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


def render(plan, with_values=False, show_kept=False):
    """The plan as text: one table per layer (changes first, then the count of resources kept), and the summary
    line. with_values: the before and after values of each changed attribute, where known (--diff); show_kept: list
    the resources kept too."""
    lines = []
    for layer in plan["layers"]:
        shown = [c for c in layer["changes"] if show_kept or c["action"] != KEEP]
        kept = layer["summary"]["keep"]
        if not shown and not kept:
            continue
        lines.append(f"{layer['name']}:")
        if shown:
            width_type = max(len(c["type"]) for c in shown)
            width_name = max(len(c["name"]) for c in shown)
            for item in shown:
                row = f"  {SYMBOLS[item['action']]:>3} {item['action']:<7} {item['type']:<{width_type}}  {item['name']:<{width_name}}"
                if item["attributes"]:
                    row += "  " + ", ".join(item["attributes"])
                lines.append(row.rstrip())
                if with_values:
                    for key, values in item["diff"].items():
                        lines.append(f"        {key}: {_value(values.get('before'))} -> {_value(values.get('after'))}")
        total = layer["summary"]
        lines.append(
            f"  ({total['add']} to add, {total['change']} to change, {total['destroy']} to destroy, {kept} unchanged)"
        )
    lines.append(summary_line(plan))
    return "\n".join(lines)
