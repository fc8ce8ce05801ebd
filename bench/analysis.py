"""The benchmark suite's pure parts (bench/suite.py runs things; this module only computes): attributing the requests
of the emulator's request log to the roles that made them, counting the stack's managed resources from what the
emulator answered, the critical path of the provisioning delays, medians, ratios, the table of targets and Markdown.

No I/O except load_graph() (reads bench/critical_path.yml); tested by tests/unit/test_bench.py.
"""

import bisect
import collections
import re
import statistics
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import yaml

GRAPH_FILE = Path(__file__).resolve().parent / "critical_path.yml"

# ---- requests per role ------------------------------------------------------------------------------------------------

STARTUP = "(startup)"
PLAYBOOK = "(playbook)"


def _layer(entry: Mapping) -> str:
    if entry.get("event") != "task":
        return PLAYBOOK
    return entry.get("role") or PLAYBOOK


def attribute(requests: list[dict], timeline: list[dict]) -> dict[str, dict]:
    """Each request of the request log goes to the task that was running when it arrived: the last task (or play) of the
    timeline (bench/callback_plugins/bench_timeline.py) that started at or before the request's ts. With the linear
    strategy every host finishes a task before the next one starts, so a request belongs to exactly one task; the
    layer is the task's role, PLAYBOOK for a task outside a role, STARTUP before the first entry.

    Returns {layer: {"calls", "mutating", "reads", "by_action": {service:Action: count}}} in the order of first use."""
    entries = sorted(timeline, key=lambda e: e["ts"])
    starts = [e["ts"] for e in entries]
    layers: dict[str, dict] = {}
    for request in sorted(requests, key=lambda r: r["ts"]):
        index = bisect.bisect_right(starts, request["ts"]) - 1
        layer = _layer(entries[index]) if index >= 0 else STARTUP
        row = layers.setdefault(layer, {"calls": 0, "mutating": 0, "reads": 0, "by_action": collections.Counter()})
        row["calls"] += 1
        row["mutating" if request.get("mutating") else "reads"] += 1
        row["by_action"][f"{request.get('service')}:{request.get('action')}"] += 1
    for row in layers.values():
        row["by_action"] = dict(row["by_action"].most_common())
    return layers


def layer_seconds(timeline: list[dict], started: float, ended: float) -> dict[str, float]:
    """Wall seconds per layer: each timeline entry lasts until the next one (the last one until ended); STARTUP is the
    time from the process start to the first entry (Ansible reading the playbooks, the inventory and the plugins)."""
    entries = sorted(timeline, key=lambda e: e["ts"])
    seconds: dict[str, float] = collections.defaultdict(float)
    if entries:
        seconds[STARTUP] = max(0.0, entries[0]["ts"] - started)
    for entry, following in zip(entries, [*entries[1:], None]):
        end = following["ts"] if following else ended
        seconds[_layer(entry)] += max(0.0, end - entry["ts"])
    return {layer: round(value, 2) for layer, value in seconds.items()}


# ---- managed resources ------------------------------------------------------------------------------------------------

# Resources AWS makes for what the stack made (not managed by the stack, even when tags propagate to them): instances an
# Auto Scaling group launched, network interfaces of NAT gateways, load balancers and instances, instance volumes.
NOT_MANAGED_TYPES = {"ec2:network-interface", "ec2:volume"}
AUTO_SCALING_TAG = "aws:autoscaling:groupName"

# (regular expression on "<service>:<type>/<name>", layer): the first match gives the layer (the role that makes it).
LAYER_RULES: list[tuple[str, str]] = [
    (r"^ec2:security-group/.*-default$", "vpc"),
    (r"^ec2:security-group/", "security_groups"),
    (r"^ec2:(vpc|subnet|internet-gateway|natgateway|elastic-ip|route-table|vpc-endpoint|flow-logs)/", "vpc"),
    (r"^logs:log-group/.*vpc-flow-logs", "vpc"),
    (r"^iam:role/.*-vpc-flow-logs", "vpc"),
    (r"^iam:role-policy/.*-vpc-flow-logs/", "vpc"),
    (r"^(ec2:instance|iam:role|iam:instance-profile|iam:role-policy)/.*bastion", "bastion"),
    (r"^dynamodb:table/", "dynamodb_global"),
    (r"^(rds|secretsmanager:secret/.*db-credentials)", "rds_postgres"),
    (r"^ecr:repository/", "container_registry"),
    (r"^(elasticloadbalancing:|secretsmanager:secret/.*origin-verify)", "alb"),
    (r"^cloudfront:", "cloudfront"),
    (r"^(ec2:launch-template|autoscaling:|iam:role/|iam:instance-profile/|iam:role-policy/|logs:log-group/)", "asg_launch_template"),
    (r"^(cloudwatch:|sns:)", "monitoring"),
]


def parse_arn(arn: str) -> tuple[str, str, str]:
    """(service, resource type, resource name) of an ARN: arn:aws:ec2:us-east-1:1:subnet/subnet-1 ->
    (ec2, subnet, subnet-1); a resource without a type (an SNS topic) is its service's only kind: (sns, topic, name),
    and a topic's subscription (topic ARN + ':<id>') is (sns, subscription, <topic>:<id>)."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        raise ValueError(f"not an ARN: {arn!r}")
    service, resource = parts[2], parts[5]
    if service == "sns":
        return ("sns", "subscription", resource) if ":" in resource else ("sns", "topic", resource)
    match = re.match(r"([A-Za-z-]+)[/:](.*)$", resource)
    if not match:
        return service, resource, resource
    kind, name = match.groups()
    if service == "autoscaling":
        # autoScalingGroup:<uuid>:autoScalingGroupName/<name>, scalingPolicy:<uuid>:autoScalingGroupName/<g>:policyName/<p>
        name = name.split(":", 1)[-1]
    return service, kind, name


def layer_of(service: str, kind: str, name: str) -> str:
    key = f"{service}:{kind}/{name}"
    return next((layer for pattern, layer in LAYER_RULES if re.search(pattern, key)), "other")


def count_resources(resources: Iterable[Mapping]) -> dict:
    """The stack's managed resources from what the emulator listed: items {"arn", "tags" (dict), "source"} (source says
    how it was found: the tagging API or a service's own API). Duplicates (a global resource listed in several regions)
    count once; NOT_MANAGED_TYPES and instances an Auto Scaling group launched are left out.

    Returns {"total", "by_type": {service:type: n}, "by_layer": {layer: n}, "by_source": {source: n}, "arns": [...]}."""
    seen: dict[str, Mapping] = {}
    for item in resources:
        seen.setdefault(item["arn"], item)
    by_type: collections.Counter = collections.Counter()
    by_layer: collections.Counter = collections.Counter()
    by_source: collections.Counter = collections.Counter()
    kept = []
    for arn, item in sorted(seen.items()):
        service, kind, name = parse_arn(arn)
        if f"{service}:{kind}" in NOT_MANAGED_TYPES or (kind == "instance" and AUTO_SCALING_TAG in item.get("tags", {})):
            continue
        display = (item.get("tags") or {}).get("Name", name)
        by_type[f"{service}:{kind}"] += 1
        by_layer[layer_of(service, kind, display if service == "ec2" else name)] += 1
        by_source[item.get("source", "?")] += 1
        kept.append(arn)
    return {
        "total": len(kept),
        "by_type": dict(sorted(by_type.items())),
        "by_layer": dict(sorted(by_layer.items())),
        "by_source": dict(sorted(by_source.items())),
        "arns": kept,
    }


def matches_tags(tags: Mapping, wanted: Mapping) -> bool:
    return all(tags.get(key) == value for key, value in wanted.items())


# ---- critical path ----------------------------------------------------------------------------------------------------


def load_graph(path: Path = GRAPH_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["nodes"]


def critical_path(nodes: Mapping[str, Mapping], facts: Mapping[str, int], delays: Mapping[str, float], scale: float):
    """The longest chain of provisioning delays through the dependency graph (bench/critical_path.yml).

    A node {delay: <DELAYS key> | None, after: [nodes], count: <fact> | None, serial: bool}: it takes
    delays[delay] * scale seconds once its `after` nodes are done; count names the fact (from the deployed stack) that
    says how many there are: 0 leaves the node out (a dependency on it is then no wait), and with serial: true the n of
    them take n times the delay, one after the other (AWS allows one replica change of a table at a time), else they
    run side by side. Returns (seconds, [node, ...] along the path, {node: finish seconds})."""
    finish: dict[str, float] = {}
    came_from: dict[str, str | None] = {}
    depth: dict[str, int] = {}
    visiting: set[str] = set()

    def weight(name: str) -> float:
        node = nodes[name]
        count = facts.get(node["count"], 0) if node.get("count") else 1
        if not count or not node.get("delay"):
            return 0.0
        return delays[node["delay"]] * scale * (count if node.get("serial") else 1)

    def visit(name: str) -> float:
        if name in finish:
            return finish[name]
        if name in visiting:
            raise ValueError(f"the dependency graph has a cycle through {name!r}")
        if name not in nodes:
            raise ValueError(f"unknown node {name!r} in the dependency graph")
        visiting.add(name)
        start, previous = 0.0, None
        for dependency in nodes[name].get("after") or []:
            done = visit(dependency)
            # Of dependencies that finish together, the path goes through the one with the longer chain.
            if previous is None or (done, depth[dependency]) > (start, depth[previous]):
                start, previous = done, dependency
        visiting.discard(name)
        finish[name] = start + weight(name)
        came_from[name] = previous
        depth[name] = depth[previous] + 1 if previous else 1
        return finish[name]

    for name in nodes:
        visit(name)
    def chain(name: str | None) -> list[str]:
        path = []
        while name is not None:
            path.append(name)
            name = came_from[name]
        return path[::-1]

    # The path ends at the latest node; of several that finish together, at the one furthest down the graph.
    path = chain(max(nodes, key=lambda n: (finish[n], depth[n])))
    return round(finish[path[-1]], 3), path, {name: round(value, 3) for name, value in finish.items()}


# ---- numbers, targets, tables -----------------------------------------------------------------------------------------


def median_runs(rounds: list[list[dict]]) -> list[dict]:
    """One row per step: the first round's row with every number replaced by the median over the rounds (the rounds
    run the same steps in the same order)."""
    merged = []
    for index, row in enumerate(rounds[0]):
        out = dict(row)
        for key, value in row.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values = [r[index][key] for r in rounds]
                middle = statistics.median(values)
                out[key] = round(middle, 2) if isinstance(middle, float) else middle
        merged.append(out)
    return merged


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


COMPARE: dict[str, Callable[[float, float], bool]] = {"<=": lambda value, limit: value <= limit, "==": lambda value, limit: value == limit}


def target_rows(targets: list[dict]) -> list[dict]:
    """targets: {"part", "name", "value", "op" ("<=" or "=="), "target"}; adds "result": PASS, MISS, or "n/a" when the
    value could not be measured (None)."""
    rows = []
    for target in targets:
        value = target["value"]
        result = "n/a" if value is None else ("PASS" if COMPARE[target["op"]](value, target["target"]) else "MISS")
        rows.append({**target, "result": result})
    return rows


def markdown(headers: list[str], rows: list[list]) -> str:
    """A Markdown table; numbers right-aligned, None as an em dash."""

    def cell(value) -> str:
        if value is None:
            return "—"
        if isinstance(value, float):
            return f"{value:.1f}" if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
        return str(value)

    numeric = [bool(rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in rows) for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
