"""The benchmark suite: the collection's speed as ratios measured in one run, on emulators it starts and stops itself.

    .venv/bin/python bench/suite.py [--parts a,b,c,d,e,f] [--repeat N] [--output FILE]      (make bench runs it whole)

a. peer: the goal-tracker system's network written by hand with plain amazon.aws modules (bench/peer/network.yml)
   against the collection's network layer (playbooks/site.yml -i inventories/goal-tracker --tags vpc,security_groups),
   cold and no-op: wall, CPU, API calls, and the ratios collection/peer.
b. stack: the whole stack (site.yml -i inventories/local) cold, no-op and plan (--check --diff) on the converged
   stack: wall, CPU, API calls per layer, mutating calls, and the no-op's API calls per managed resource.
c. scale: the whole stack with 2, 4 and 8 generated tiers, cold and no-op: wall, CPU, and the ratios 8/2.
d. critical path: with the emulator's realistic-latency profile on, the cold converge of the whole stack divided by
   the critical path of the provisioning delays through the stack's dependency graph (bench/critical_path.yml).
e. runtime: one generated tier on EC2 (Auto Scaling) and the same tier on Fargate, each on its network and ALB, cold
   and no-op: wall, CPU, API calls of the run and of the runtime's role.
f. start-up: on one converged whole stack, no-op runs alternating with the start-up speed-ups switched off (the
   modules' bytecode cache, tools/ansiballz_cache.py; the progress callback's frozen heap) and on: medians and ratios.

Each part prints its table as it finishes; the last table lists every target with the measured value and PASS or MISS.
Everything measured is written to bench/results/suite.json with the machine, the commit and the date. bench/README.md
says how each number is obtained.
"""

import argparse
import configparser
import contextlib
import copy
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from fractions import Fraction
from importlib import metadata
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench import analysis  # noqa: E402
from emulator import latency  # noqa: E402
from emulator.harness import Emulator, free_port, start_emulator, stop_emulator  # noqa: E402

CALLBACKS = REPO_ROOT / "bench" / "callback_plugins"
RESULTS = REPO_ROOT / "bench" / "results" / "suite.json"
PARTS = ("a", "b", "c", "d", "e", "f")

LOCAL = "inventories/local"
GOAL_TRACKER = "inventories/goal-tracker"
PEER_INVENTORY = "bench/peer/hosts.yml"
NETWORK_TAGS = ("--tags", "vpc,security_groups")
PLAN = ("--check", "--diff")

# The targets (bench/README.md says where each comes from).
NOOP_CPU_RATIO_TARGET = 0.5
NOOP_WALL_TARGET = 20.0
CALLS_PER_RESOURCE_TARGET = 1.2
SCALE_RATIO_TARGET = 1.5
CRITICAL_PATH_RATIO_TARGET = 1.15


def _yaml(path: str) -> dict:
    return yaml.safe_load((REPO_ROOT / path).read_text(encoding="utf-8"))


def local_stack() -> dict:
    """inventories/local's identity: its atelier_env, the shared atelier_stack and the name prefix they make."""
    env = _yaml("inventories/local/group_vars/atelier.yml")["atelier_env"]
    stack = _yaml("inventories/shared/main.yml")["atelier_stack"]
    return {"env": env, "stack": stack, "prefix": f"{env}-{stack}"}


# The tier keys only the ec2 runtime takes (a Fargate tier refuses them).
EC2_ONLY = ("instance_type", "health_check_type", "ami_id", "ami_ssm_parameter", "root_volume_size", "root_device_name")
RUNTIME_ROLES = {"ec2": "asg_launch_template", "fargate": "fargate"}


def runtime_tier(runtime: str) -> dict:
    """The generated tier web1 on a runtime: as generated_tiers gives it for ec2, without the ec2 keys for fargate
    (the smallest task size, 256 CPU units and 512 MiB, by default)."""
    tier = generated_tiers(1)[0]
    if runtime != "ec2":
        tier = {k: v for k, v in tier.items() if k not in EC2_ONLY} | {"runtime": runtime}
    return tier


def generated_tiers(count: int) -> list[dict]:
    """count copies of the shared frontend tier (inventories/shared/tiers.yml) named web1..webN, all in the frontend
    subnets with an internet-facing ALB in the public subnets, without CloudFront (to keep the runs short)."""
    shared = _yaml("inventories/shared/tiers.yml")["atelier_tiers"]
    frontend = next(t for t in shared if t["name"] == "frontend")
    base = {k: copy.deepcopy(v) for k, v in frontend.items() if k != "distribution"}
    base.update(cloudfront=False, subnets="frontend", alb_scheme="internet-facing")
    return [dict(copy.deepcopy(base), name=f"web{i}") for i in range(1, count + 1)]


def configured_callbacks() -> list[str]:
    """The callbacks the repository's ansible.cfg enables."""
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "ansible.cfg")
    return [name.strip() for name in config.get("defaults", "callbacks_enabled", fallback="").split(",") if name.strip()]


class StepFailed(RuntimeError):
    pass


class Bench:
    """One emulator on a free loopback port with its own state directory; runs playbooks and measures them."""

    def __init__(self, label: str):
        self.label = label
        self.state_dir = Path(tempfile.mkdtemp(prefix=f"atelier-bench-{label}-"))
        self.emulator: Emulator = start_emulator(free_port(), self.state_dir)
        # The timeline beside the callbacks ansible.cfg enables (what a user's run has: the plan and the progress
        # callbacks; ANSIBLE_CALLBACKS_ENABLED replaces that list).
        self.emulator.env.update(ANSIBLE_CALLBACK_PLUGINS=str(CALLBACKS), ANSIBLE_CALLBACKS_ENABLED=",".join([*configured_callbacks(), "bench_timeline"]))
        self._runs = 0

    def close(self) -> None:
        try:
            self.emulator.latency()
        except OSError:
            pass
        stop_emulator(self.emulator)
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def reset(self) -> None:
        self.emulator.reset()

    def run(self, step: str, playbook: str, *args: str, inventory: str = LOCAL, extra_vars: dict | None = None) -> dict:
        """Run a playbook; returns its row: wall and CPU seconds (user + system of ansible-playbook and every process it
        waited for), changed, API calls (all, mutating, reads), and per layer (role) its calls and wall seconds."""
        self._runs += 1
        timeline_file = self.state_dir / f"timeline-{self._runs}.jsonl"
        self.emulator.env["ATELIER_BENCH_TIMELINE"] = str(timeline_file)
        print(f"  {self.label}: {step} ...", end="", file=sys.stderr, flush=True)
        started = time.time()
        clock = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = self.emulator.playbook(playbook, *args, extra_vars=extra_vars, inventory=inventory)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.monotonic() - clock
        ended = time.time()
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f" {wall:.1f} s wall, {cpu:.1f} s CPU, {len(run.requests)} calls, changed={run.changed}", file=sys.stderr)
        if run.rc != 0:
            raise StepFailed(f"{self.label}: {step} failed (rc {run.rc}):\n{run.output[-6000:]}")
        timeline = []
        if timeline_file.exists():
            timeline = [json.loads(line) for line in timeline_file.read_text(encoding="utf-8").splitlines() if line]
        layers = analysis.attribute(run.requests, timeline)
        seconds = analysis.layer_seconds(timeline, started, ended)
        mutating = len(run.mutating)
        per_layer = {
            name: {"calls": row["calls"], "mutating": row["mutating"], "wall_s": seconds.get(name), "by_action": row["by_action"]}
            for name, row in layers.items()
        }
        for name, value in seconds.items():
            per_layer.setdefault(name, {"calls": 0, "mutating": 0, "wall_s": value, "by_action": {}})
        return {
            "step": step,
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "changed": run.changed,
            "api_calls": len(run.requests),
            "mutating": mutating,
            "reads": len(run.requests) - mutating,
            "layers": per_layer,
        }


@contextlib.contextmanager
def bench(label: str):
    emulator = Bench(label)
    try:
        yield emulator
    finally:
        emulator.close()


def repeated(repeat: int, sequence) -> list[dict]:
    """Run sequence() repeat times (each from an empty account) and keep the median of every number per step."""
    return analysis.median_runs([sequence() for _ in range(repeat)])


def by_step(rows: list[dict]) -> dict[str, dict]:
    return {row["step"]: row for row in rows}


# ---- the stack's managed resources, through the emulator --------------------------------------------------------------


def _pages(client, operation: str, key: str, **params) -> list:
    return [item for page in client.get_paginator(operation).paginate(**params) for item in page.get(key, [])]


def _tags(pairs: list | None, key: str = "Key", value: str = "Value") -> dict:
    return {pair[key]: pair[value] for pair in pairs or []}


def stack_resources(emulator: Emulator, env: str, stack: str, prefix: str, region: str = "us-east-1") -> tuple[list[dict], dict]:
    """Every resource the stack manages, found through the emulator after a converge.

    Tagged atelier:env=env and atelier:stack=stack, listed by the Resource Groups Tagging API (GetResources) in the
    stack's region and in its DynamoDB tables' replica regions; plus, through each service's own API, the tagged
    resources moto's tagging API does not list: Elastic IPs, VPC endpoints, launch templates, ECR repositories, Auto
    Scaling groups (AWS's tagging API lists all of these) and IAM roles (no tagging API covers IAM); plus the stack's
    parts that carry no tags of their own but are made and read by its roles: the replica tables of its DynamoDB
    tables, the inline policies and instance profiles of its IAM roles, the scaling policies of its Auto Scaling
    groups, the listeners of its load balancers and their rules (but the default one), the subscriptions of its SNS
    topics and its CloudWatch dashboard (named by the prefix: dashboards cannot be tagged). Not counted: managed policy
    attachments, routes, route table associations and security group rules (parts of their table or group here).

    Returns (items {"arn", "tags", "source"}, facts for the critical path)."""
    wanted = {"atelier:env": env, "atelier:stack": stack}
    filters = [{"Key": key, "Values": [value]} for key, value in wanted.items()]
    ec2_filters = [{"Name": f"tag:{key}", "Values": [value]} for key, value in wanted.items()]
    items: list[dict] = []

    def add(arn: str, tags: dict, source: str) -> None:
        items.append({"arn": arn, "tags": tags, "source": source})

    def tagged(region_name: str) -> list[dict]:
        mappings = _pages(emulator.client("resourcegroupstaggingapi", region_name), "get_resources", "ResourceTagMappingList", TagFilters=filters)
        for mapping in mappings:
            add(mapping["ResourceARN"], _tags(mapping.get("Tags")), "tagging API")
        return mappings

    primary = tagged(region)
    dynamodb = emulator.client("dynamodb", region)
    tables = [m["ResourceARN"].split("/", 1)[1] for m in primary if m["ResourceARN"].split(":")[2] == "dynamodb"]
    replica_regions: set[str] = set()
    replicas = 0
    account = emulator.client("sts", region).get_caller_identity()["Account"]
    for table in tables:
        described = dynamodb.describe_table(TableName=table)["Table"]
        regions = [r["RegionName"] for r in described.get("Replicas", []) if r["RegionName"] != region]
        replicas += len(regions)
        replica_regions.update(regions)
        for other in regions:
            add(f"arn:aws:dynamodb:{other}:{account}:table/{table}", {}, "DynamoDB API (replica table)")
    for other in sorted(replica_regions):
        tagged(other)

    ec2 = emulator.client("ec2", region)
    for address in ec2.describe_addresses(Filters=ec2_filters)["Addresses"]:
        add(f"arn:aws:ec2:{region}:{account}:elastic-ip/{address['AllocationId']}", _tags(address.get("Tags")), "EC2 API")
    for endpoint in _pages(ec2, "describe_vpc_endpoints", "VpcEndpoints", Filters=ec2_filters):
        if endpoint["State"].lower() not in ("deleted", "deleting"):
            add(f"arn:aws:ec2:{region}:{account}:vpc-endpoint/{endpoint['VpcEndpointId']}", _tags(endpoint.get("Tags")), "EC2 API")
    for template in _pages(ec2, "describe_launch_templates", "LaunchTemplates", Filters=ec2_filters):
        add(f"arn:aws:ec2:{region}:{account}:launch-template/{template['LaunchTemplateId']}", _tags(template.get("Tags")), "EC2 API")

    ecr = emulator.client("ecr", region)
    for repository in _pages(ecr, "describe_repositories", "repositories"):
        tags = _tags(ecr.list_tags_for_resource(resourceArn=repository["repositoryArn"]).get("tags"))
        if analysis.matches_tags(tags, wanted):
            add(repository["repositoryArn"], tags, "ECR API")

    iam = emulator.client("iam", region)
    for role in _pages(iam, "list_roles", "Roles"):
        tags = _tags(iam.list_role_tags(RoleName=role["RoleName"]).get("Tags"))
        if analysis.matches_tags(tags, wanted):
            add(role["Arn"], tags, "IAM API")
            for policy in _pages(iam, "list_role_policies", "PolicyNames", RoleName=role["RoleName"]):
                add(f"arn:aws:iam::{account}:role-policy/{role['RoleName']}/{policy}", {}, "IAM API (inline policy of a stack role)")
            for profile in iam.list_instance_profiles_for_role(RoleName=role["RoleName"])["InstanceProfiles"]:
                add(profile["Arn"], _tags(profile.get("Tags")), "IAM API (instance profile of a stack role)")

    autoscaling = emulator.client("autoscaling", region)
    for group in _pages(autoscaling, "describe_auto_scaling_groups", "AutoScalingGroups"):
        tags = _tags(group.get("Tags"))
        if analysis.matches_tags(tags, wanted):
            add(group["AutoScalingGroupARN"], tags, "Auto Scaling API")
            for policy in _pages(autoscaling, "describe_policies", "ScalingPolicies", AutoScalingGroupName=group["AutoScalingGroupName"]):
                add(policy["PolicyARN"], {}, "Auto Scaling API (policy)")

    arns = {item["arn"] for item in items}
    elbv2 = emulator.client("elbv2", region)
    for arn in sorted(a for a in arns if ":loadbalancer/" in a):
        for listener in _pages(elbv2, "describe_listeners", "Listeners", LoadBalancerArn=arn):
            add(listener["ListenerArn"], {}, "ELBv2 API (listener)")
            for rule in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]:
                if not rule.get("IsDefault"):
                    add(rule["RuleArn"], {}, "ELBv2 API (listener rule)")
    sns = emulator.client("sns", region)
    for topic in sorted(a for a in arns if a.split(":")[2] == "sns"):
        for subscription in _pages(sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=topic):
            if subscription["SubscriptionArn"].startswith("arn:"):
                add(subscription["SubscriptionArn"], {}, "SNS API (subscription)")
    cloudwatch = emulator.client("cloudwatch", region)
    for dashboard in _pages(cloudwatch, "list_dashboards", "DashboardEntries", DashboardNamePrefix=prefix):
        if dashboard["DashboardName"] == prefix:
            add(dashboard["DashboardArn"], {}, "CloudWatch API (dashboard, named by the prefix)")

    counted = analysis.count_resources(items)
    types = counted["by_type"]
    facts = {
        "nat_gateways": types.get("ec2:natgateway", 0),
        "load_balancers": types.get("elasticloadbalancing:loadbalancer", 0),
        "distributions": types.get("cloudfront:distribution", 0),
        "dynamodb_tables": len(tables),
        "dynamodb_replicas": replicas,
        "rds_instances": types.get("rds:db", 0),
    }
    return items, facts


# ---- the parts --------------------------------------------------------------------------------------------------------


def part_a(repeat: int) -> dict:
    """The peer against the collection's network layer, on the goal-tracker system's network."""
    with bench("a") as b:

        def sequence() -> list[dict]:
            b.reset()
            rows = [
                b.run("peer, cold", "bench/peer/network.yml", inventory=PEER_INVENTORY),
                b.run("peer, no-op", "bench/peer/network.yml", inventory=PEER_INVENTORY),
                b.run("peer, teardown", "bench/peer/teardown.yml", inventory=PEER_INVENTORY),
            ]
            b.reset()
            rows += [
                b.run("collection, cold", "playbooks/site.yml", *NETWORK_TAGS, inventory=GOAL_TRACKER),
                b.run("collection, no-op", "playbooks/site.yml", *NETWORK_TAGS, inventory=GOAL_TRACKER),
            ]
            return rows

        rows = repeated(repeat, sequence)
    steps = by_step(rows)
    ratios = {
        f"{run} {metric}": analysis.ratio(steps[f"collection, {run}"][key], steps[f"peer, {run}"][key])
        for run in ("cold", "no-op")
        for metric, key in (("wall", "wall_s"), ("CPU", "cpu_s"), ("API calls", "api_calls"))
    }
    targets = [
        {"part": "a", "name": "network no-op CPU, collection / peer", "value": ratios["no-op CPU"], "op": "<=", "target": NOOP_CPU_RATIO_TARGET},
        {"part": "a", "name": "peer no-op changed", "value": steps["peer, no-op"]["changed"], "op": "==", "target": 0},
        {"part": "a", "name": "collection network no-op changed", "value": steps["collection, no-op"]["changed"], "op": "==", "target": 0},
    ]
    table = analysis.markdown(
        ["run", "wall s", "CPU s", "changed", "API calls", "mutating"],
        [[r["step"], r["wall_s"], r["cpu_s"], r["changed"], r["api_calls"], r["mutating"]] for r in rows],
    )
    table += "\n\n" + analysis.markdown(["collection / peer", "ratio"], [[name, value] for name, value in ratios.items()])
    return {"runs": rows, "ratios": ratios, "targets": targets, "table": table}


def part_b(repeat: int) -> dict:
    """The whole stack on inventories/local: cold, no-op and plan, per layer, and per managed resource."""
    identity = local_stack()
    counted: dict = {}
    with bench("b") as b:

        def sequence() -> list[dict]:
            b.reset()
            rows = [b.run("cold", "site.yml"), b.run("no-op", "site.yml"), b.run("plan", "site.yml", *PLAN)]
            items, _ = stack_resources(b.emulator, **identity)
            counted.update(analysis.count_resources(items))
            return rows

        rows = repeated(repeat, sequence)
    steps = by_step(rows)
    cold, noop, plan = steps["cold"], steps["no-op"], steps["plan"]
    per_resource = analysis.ratio(noop["api_calls"], counted["total"])
    layers = list(dict.fromkeys([*cold["layers"], *noop["layers"], *plan["layers"]]))
    layer_rows = []
    for layer in layers:
        resources = counted["by_layer"].get(layer)
        c, n, p = (steps[s]["layers"].get(layer, {}) for s in ("cold", "no-op", "plan"))
        layer_rows.append(
            [layer, c.get("calls", 0), c.get("mutating", 0), n.get("calls", 0), p.get("calls", 0), p.get("mutating", 0),
             n.get("wall_s"), resources, analysis.ratio(n.get("calls", 0), resources)]
        )
    for layer, resources in counted["by_layer"].items():
        if layer not in layers:
            layer_rows.append([layer, 0, 0, 0, 0, 0, None, resources, 0.0])
    layer_rows.append(["total", cold["api_calls"], cold["mutating"], noop["api_calls"], plan["api_calls"], plan["mutating"], noop["wall_s"], counted["total"], per_resource])
    targets = [
        {"part": "b", "name": "whole-stack no-op wall s", "value": noop["wall_s"], "op": "<=", "target": NOOP_WALL_TARGET},
        {"part": "b", "name": "whole-stack no-op API calls / managed resource", "value": per_resource, "op": "<=", "target": CALLS_PER_RESOURCE_TARGET},
        {"part": "b", "name": "whole-stack no-op changed", "value": noop["changed"], "op": "==", "target": 0},
        {"part": "b", "name": "whole-stack plan mutating calls", "value": plan["mutating"], "op": "==", "target": 0},
        {"part": "b", "name": "whole-stack plan reads (target: the no-op's reads)", "value": plan["reads"], "op": "<=", "target": noop["reads"]},
    ]
    table = analysis.markdown(
        ["run", "wall s", "CPU s", "changed", "API calls", "mutating", "reads"],
        [[r["step"], r["wall_s"], r["cpu_s"], r["changed"], r["api_calls"], r["mutating"], r["reads"]] for r in rows],
    )
    table += "\n\n" + analysis.markdown(
        ["layer", "cold calls", "cold mutating", "no-op calls", "plan calls", "plan mutating", "no-op wall s", "resources", "no-op calls / resource"],
        layer_rows,
    )
    table += "\n\nManaged resources by type: " + ", ".join(f"{k} {v}" for k, v in counted["by_type"].items())
    table += "\nFound through: " + ", ".join(f"{k} {v}" for k, v in counted["by_source"].items())
    return {"runs": rows, "resources": counted, "calls_per_resource": per_resource, "targets": targets, "table": table}


def part_c(repeat: int, sizes: list[int]) -> dict:
    """The whole stack with 2, 4 and 8 generated tiers, cold and no-op."""
    with bench("c") as b:

        def sequence() -> list[dict]:
            rows = []
            for size in sizes:
                tiers = generated_tiers(size)
                extra = {"atelier_tiers": tiers, "security_groups_database_clients": [tiers[0]["name"]]}
                b.reset()
                rows.append(b.run(f"{size} tiers, cold", "site.yml", extra_vars=extra) | {"tiers": size})
                rows.append(b.run(f"{size} tiers, no-op", "site.yml", extra_vars=extra) | {"tiers": size})
            return rows

        rows = repeated(repeat, sequence)
    steps = by_step(rows)
    tier_roles = ("alb", "cloudfront", "asg_launch_template")
    for row in rows:
        row["tier_roles_wall_s"] = round(sum(row["layers"].get(r, {}).get("wall_s") or 0 for r in tier_roles), 2)
    small, large = min(sizes), max(sizes)
    ratios = {
        f"{run} {metric}": analysis.ratio(steps[f"{large} tiers, {run}"][key], steps[f"{small} tiers, {run}"][key])
        for run in ("cold", "no-op")
        for metric, key in (("wall", "wall_s"), ("CPU", "cpu_s"), ("tier roles wall", "tier_roles_wall_s"))
    }
    targets = [
        {"part": "c", "name": f"scale {large}/{small} tiers, {name}", "value": ratios[name], "op": "<=", "target": SCALE_RATIO_TARGET}
        for name in ("cold wall", "cold CPU", "no-op wall", "no-op CPU")
    ]
    table = analysis.markdown(
        ["run", "wall s", "CPU s", "tier roles wall s", "changed", "API calls"],
        [[r["step"], r["wall_s"], r["cpu_s"], r["tier_roles_wall_s"], r["changed"], r["api_calls"]] for r in rows],
    )
    table += "\n\n" + analysis.markdown([f"{large} tiers / {small} tiers", "ratio"], [[k, v] for k, v in ratios.items()])
    return {"runs": rows, "ratios": ratios, "tiers": generated_tiers(1)[0] | {"name": "web<i>"}, "targets": targets, "table": table}


def part_d(repeat: int, scale: str, call_ms: float) -> dict:
    """The cold converge of the whole stack with the realistic-latency profile on, against its critical path."""
    identity = local_stack()
    facts: dict = {}
    with bench("d") as b:

        def sequence() -> list[dict]:
            b.reset()
            knobs = b.emulator.latency(scale=scale, call_ms=call_ms)
            try:
                row = b.run(f"cold, latency profile {scale}, {call_ms:g} ms per call", "site.yml")
            finally:
                b.emulator.latency()
            _, found = stack_resources(b.emulator, **identity)
            facts.update(found)
            row["knobs"] = knobs
            return [row]

        (row,) = repeated(repeat, sequence)
    factor = float(Fraction(scale))
    seconds, path, finish = analysis.critical_path(analysis.load_graph(), facts, latency.DELAYS, factor)
    path_text = " -> ".join(f"{n} ({finish[n]:g} s)" for n in path)
    call_floor = round(row["api_calls"] * call_ms / 1000, 1)
    result_ratio = analysis.ratio(row["wall_s"], seconds)
    targets = [
        {"part": "d", "name": "cold converge / critical path (latency profile on)", "value": result_ratio, "op": "<=", "target": CRITICAL_PATH_RATIO_TARGET}
    ]
    table = analysis.markdown(
        ["scale", "call latency ms", "critical path s", "cold wall s", "CPU s", "API calls", "calls x latency s", "cold / critical path"],
        [[scale, call_ms, seconds, row["wall_s"], row["cpu_s"], row["api_calls"], call_floor, result_ratio]],
    )
    table += "\n\n" + analysis.markdown(
        ["layer", "wall s", "API calls", "mutating"],
        [[name, layer["wall_s"], layer["calls"], layer["mutating"]] for name, layer in row["layers"].items()],
    )
    waits = ", ".join(f"{name} {finish[name]:g} s" for name, node in analysis.load_graph().items() if node.get("delay"))
    table += f"\n\nCritical path: {path_text}\nDone at (critical path model): {waits}\nStack facts: "
    table += ", ".join(f"{k} {v}" for k, v in facts.items())
    return {
        "runs": [row], "scale": scale, "scale_factor": factor, "call_latency_ms": call_ms, "facts": facts,
        "critical_path_s": seconds, "critical_path": path, "finish_s": finish, "ratio": result_ratio,
        "targets": targets, "table": table,
    }


def part_e(repeat: int) -> dict:
    """One tier on EC2 and the same tier on Fargate (network, ALB and the runtime), cold and no-op."""
    with bench("e") as b:

        def sequence() -> list[dict]:
            rows = []
            for runtime, role in RUNTIME_ROLES.items():
                extra = {"atelier_tiers": [runtime_tier(runtime)], "security_groups_database_clients": []}
                tags = ("--tags", f"vpc,security_groups,alb,{role}")
                b.reset()
                for step in ("cold", "no-op"):
                    row = b.run(f"{runtime}, {step}", "site.yml", *tags, extra_vars=extra)
                    runtime_layer = row["layers"].get(role, {})
                    rows.append(row | {"runtime": runtime, "role_calls": runtime_layer.get("calls", 0),
                                       "role_mutating": runtime_layer.get("mutating", 0), "role_wall_s": runtime_layer.get("wall_s")})
            return rows

        rows = repeated(repeat, sequence)
    steps = by_step(rows)
    ratios = {
        f"{run} {metric}": analysis.ratio(steps[f"fargate, {run}"][key], steps[f"ec2, {run}"][key])
        for run in ("cold", "no-op")
        for metric, key in (("wall", "wall_s"), ("CPU", "cpu_s"), ("API calls", "api_calls"), ("runtime role calls", "role_calls"))
    }
    targets = [
        {"part": "e", "name": f"{runtime} tier no-op changed", "value": steps[f"{runtime}, no-op"]["changed"], "op": "==", "target": 0}
        for runtime in RUNTIME_ROLES
    ] + [
        {"part": "e", "name": f"{runtime} tier no-op mutating calls", "value": steps[f"{runtime}, no-op"]["mutating"], "op": "==", "target": 0}
        for runtime in RUNTIME_ROLES
    ]
    table = analysis.markdown(
        ["run", "wall s", "CPU s", "changed", "API calls", "mutating", "runtime role calls", "runtime role wall s"],
        [[r["step"], r["wall_s"], r["cpu_s"], r["changed"], r["api_calls"], r["mutating"], r["role_calls"], r["role_wall_s"]] for r in rows],
    )
    table += "\n\n" + analysis.markdown(["fargate / ec2", "ratio"], [[k, v] for k, v in ratios.items()])
    return {"runs": rows, "ratios": ratios, "tiers": {r: runtime_tier(r) for r in RUNTIME_ROLES}, "targets": targets, "table": table}


# The two start-up speed-ups, switched off (tools/ansiballz_cache.py; the progress callback's freeze_heap).
STARTUP_OFF = {"ATELIER_ANSIBALLZ_CACHE": "off", "ATELIER_FREEZE_HEAP": "false"}


def part_f(repeat: int) -> dict:
    """The whole stack's no-op with and without the start-up speed-ups, in alternating runs on one converged stack."""
    with bench("f") as b:
        b.run("cold", "site.yml")
        rows = []
        for _ in range(max(repeat, 3)):
            for variant, env in (("off", STARTUP_OFF), ("on", {})):
                saved = {key: b.emulator.env.get(key) for key in STARTUP_OFF}
                b.emulator.env.update(env)
                try:
                    rows.append(b.run(f"no-op, speed-ups {variant}", "site.yml") | {"variant": variant})
                finally:
                    for key, value in saved.items():
                        if value is None:
                            b.emulator.env.pop(key, None)
                        else:
                            b.emulator.env[key] = value
    medians = {
        variant: {key: statistics.median(r[key] for r in rows if r["variant"] == variant) for key in ("wall_s", "cpu_s")}
        for variant in ("off", "on")
    }
    ratios = {f"no-op {key} on / off": analysis.ratio(medians["on"][key], medians["off"][key]) for key in ("wall_s", "cpu_s")}
    targets = [
        {"part": "f", "name": f"no-op changed with the speed-ups {r['variant']}", "value": r["changed"], "op": "==", "target": 0}
        for r in rows[:2]
    ] + [{"part": "f", "name": "no-op CPU with / without the start-up speed-ups", "value": ratios["no-op cpu_s on / off"], "op": "<=", "target": 0.9}]
    table = analysis.markdown(
        ["run", "wall s", "CPU s", "changed", "API calls", "mutating"],
        [[r["step"], r["wall_s"], r["cpu_s"], r["changed"], r["api_calls"], r["mutating"]] for r in rows],
    )
    table += "\n\n" + analysis.markdown(["median", "wall s", "CPU s"], [[v, m["wall_s"], m["cpu_s"]] for v, m in medians.items()])
    table += "\n\n" + analysis.markdown(["ratio", "value"], [[k, v] for k, v in ratios.items()])
    return {"runs": rows, "medians": medians, "ratios": ratios, "targets": targets, "table": table}


# ---- the machine, the commit, the report ------------------------------------------------------------------------------


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False).stdout.strip()


def machine() -> dict:
    model = ""
    with contextlib.suppress(OSError):
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "")
    memory = ""
    with contextlib.suppress(OSError, StopIteration):
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    versions = {}
    for package in ("ansible-core", "moto", "boto3"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    return {
        "platform": platform.platform(),
        "cpu": model,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "versions": versions,
        "forks": 8,
    }


def commit() -> dict:
    dirty = [line for line in _git("status", "--porcelain").splitlines() if "bench/results/" not in line]
    return {"commit": _git("rev-parse", "HEAD"), "branch": _git("rev-parse", "--abbrev-ref", "HEAD"), "dirty": bool(dirty)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(PARTS), help="which parts to run, e.g. a,b (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="run each part's sequence N times, report the medians")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"where to write the results (default {RESULTS.relative_to(REPO_ROOT)})")
    parser.add_argument("--tiers", default="2,4,8", help="part c's tier counts (default 2,4,8)")
    parser.add_argument("--scale", default="1/30", help="part d's provisioning scale (default 1/30)")
    parser.add_argument("--call-ms", type=float, default=50.0, help="part d's latency per API call in ms (default 50)")
    args = parser.parse_args(argv)
    # Stopped with SIGTERM (or SIGINT, also when started in the background), the suite still stops its emulator.
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda number, _frame: sys.exit(128 + number))
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown or args.repeat < 1:
        parser.error(f"unknown part(s) {unknown}" if unknown else "--repeat must be at least 1")
    sizes = sorted(int(s) for s in args.tiers.split(","))

    runners = {
        "a": lambda: part_a(args.repeat),
        "b": lambda: part_b(args.repeat),
        "c": lambda: part_c(args.repeat, sizes),
        "d": lambda: part_d(args.repeat, args.scale, args.call_ms),
        "e": lambda: part_e(args.repeat),
        "f": lambda: part_f(args.repeat),
    }
    titles = {"a": "a. peer vs collection (goal-tracker network)", "b": "b. whole stack (inventories/local)",
              "c": "c. scale (generated tiers)", "d": "d. critical path (realistic-latency profile)",
              "e": "e. runtime: one tier on EC2 and on Fargate",
              "f": "f. start-up: the whole stack's no-op with and without the module bytecode cache and the frozen heap"}
    report = {
        "suite": "bench/suite.py",
        "command": "python bench/suite.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        **commit(),
        "repeat": args.repeat,
        "parts": {},
    }
    report["load_average_start"] = [round(v, 2) for v in os.getloadavg()]
    print(f"# atelier.infra benchmark suite, {report['date']}, commit {report['commit'][:12]}{' (dirty)' if report['dirty'] else ''}")
    print(f"{report['machine']['cores']} cores ({report['machine']['cpu']}), Python {report['machine']['python']}, "
          f"load average {report['load_average_start']}", flush=True)
    failed = []
    for part in parts:
        print(f"\n## {titles[part]}\n", flush=True)
        load_before = os.getloadavg()
        started = time.monotonic()
        try:
            result = runners[part]()
        except Exception as failure:  # a failed part is reported; the other parts still run
            failed.append(part)
            message = str(failure) if isinstance(failure, StepFailed) else traceback.format_exc()
            print(f"FAILED: {message}", flush=True)
            report["parts"][part] = {"error": message}
            continue
        result["seconds"] = round(time.monotonic() - started, 1)
        result["load_average_before"] = [round(v, 2) for v in load_before]
        result["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
        print(result["table"], flush=True)
        print(f"\n(load average before {result['load_average_before']}, after {result['load_average_after']}; {result['seconds']} s)", flush=True)
        report["parts"][part] = {k: v for k, v in result.items() if k != "table"}

    report["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
    rows = analysis.target_rows([t for p in report["parts"].values() for t in p.get("targets", [])])
    report["targets"] = rows
    print("\n## Targets\n")
    print(analysis.markdown(["part", "target", "measured", "target", "result"],
                            [[r["part"], r["name"], r["value"], f"{r['op']} {r['target']}", r["result"]] for r in rows]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
