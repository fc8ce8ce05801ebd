"""The benchmark suite's pure parts (bench/analysis.py): no emulator, no playbook."""

import importlib.util
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


analysis = _load("bench_analysis", REPO_ROOT / "bench" / "analysis.py")

DELAYS = {"nat_gateway_create": 120.0, "load_balancer_create": 180.0, "cloudfront_deploy": 300.0, "dynamodb_replica": 300.0,
          "rds_instance_create": 600.0}
LOCAL_FACTS = {"nat_gateways": 2, "load_balancers": 2, "distributions": 2, "dynamodb_tables": 1, "dynamodb_replicas": 2,
               "rds_instances": 0}


# ---- critical path ----------------------------------------------------------------------------------------------------


def test_the_stacks_graph_puts_the_serial_replicas_on_the_critical_path():
    seconds, path, finish = analysis.critical_path(analysis.load_graph(), LOCAL_FACTS, DELAYS, 1 / 30)

    # Two replicas one after the other (2 x 10 s) outlast ALB then CloudFront (6 + 10 s) and the NAT gateway (4 s).
    assert seconds == 20.0
    assert path == ["dynamodb_table", "dynamodb_replicas", "monitoring"]
    assert finish["distribution"] == 16.0
    assert finish["private_routes"] == 4.0


def test_one_replica_leaves_the_load_balancer_and_its_distribution_as_the_critical_path():
    facts = dict(LOCAL_FACTS, dynamodb_replicas=1)

    seconds, path, _ = analysis.critical_path(analysis.load_graph(), facts, DELAYS, 1 / 30)

    assert seconds == 16.0
    assert path[-3:] == ["load_balancer", "distribution", "monitoring"]
    assert path[0] == "vpc"


def test_rds_when_enabled_waits_before_the_auto_scaling_groups():
    facts = dict(LOCAL_FACTS, dynamodb_tables=0, dynamodb_replicas=0, rds_instances=1)

    seconds, path, finish = analysis.critical_path(analysis.load_graph(), facts, DELAYS, 1 / 30)

    assert seconds == 20.0
    assert path == ["vpc", "subnets", "rds_instance", "auto_scaling_group", "monitoring"]
    assert finish["auto_scaling_group"] == 20.0


def test_a_node_counted_zero_is_no_wait_and_parallel_instances_wait_once():
    nodes = {
        "a": {"after": []},
        "nat": {"delay": "nat_gateway_create", "count": "nats", "after": ["a"]},
        "lb": {"delay": "load_balancer_create", "count": "lbs", "after": ["a"]},
        "end": {"after": ["nat", "lb"]},
    }

    assert analysis.critical_path(nodes, {"nats": 3, "lbs": 0}, DELAYS, 1.0)[0] == 120.0
    assert analysis.critical_path(nodes, {"nats": 0, "lbs": 1}, DELAYS, 1.0)[:2] == (180.0, ["a", "lb", "end"])


def test_a_cycle_or_an_unknown_dependency_is_refused():
    with pytest.raises(ValueError, match="cycle"):
        analysis.critical_path({"a": {"after": ["b"]}, "b": {"after": ["a"]}}, {}, DELAYS, 1.0)
    with pytest.raises(ValueError, match="unknown node 'c'"):
        analysis.critical_path({"a": {"after": ["c"]}}, {}, DELAYS, 1.0)


def test_every_delay_of_the_graph_is_one_the_emulator_times():
    latency = _load("emulator_latency", REPO_ROOT / "emulator" / "latency.py")

    for name, node in analysis.load_graph().items():
        if node.get("delay"):
            assert node["delay"] in latency.DELAYS, name
            assert node["delay"] in latency.KNOBS.values(), name


# ---- requests per role ------------------------------------------------------------------------------------------------

TIMELINE = [
    {"ts": 100.0, "event": "play", "play": "Check the inventory"},
    {"ts": 101.0, "event": "task", "play": "Network", "role": "vpc", "task": "Converge the VPC"},
    {"ts": 105.0, "event": "task", "play": "Network", "role": "security_groups", "task": "Converge the groups"},
    {"ts": 107.0, "event": "task", "play": "Summary", "role": "", "task": "Show where the stack lives"},
    {"ts": 108.0, "event": "end", "play": "Summary"},
]


def _request(ts, action, mutating=False, service="ec2"):
    return {"ts": ts, "service": service, "action": action, "mutating": mutating}


def test_each_request_goes_to_the_role_whose_task_was_running():
    requests = [
        _request(99.5, "GetCallerIdentity", service="sts"),
        _request(101.2, "DescribeVpcs"),
        _request(102.0, "CreateVpc", mutating=True),
        _request(104.99, "DescribeSubnets"),
        _request(105.0, "DescribeSecurityGroups"),
        _request(107.5, "DescribeVpcs"),
    ]

    layers = analysis.attribute(list(reversed(requests)), TIMELINE)

    assert list(layers) == [analysis.STARTUP, "vpc", "security_groups", analysis.PLAYBOOK]
    assert layers["vpc"]["calls"] == 3 and layers["vpc"]["mutating"] == 1 and layers["vpc"]["reads"] == 2
    assert layers["vpc"]["by_action"] == {"ec2:DescribeVpcs": 1, "ec2:CreateVpc": 1, "ec2:DescribeSubnets": 1}
    assert layers["security_groups"]["calls"] == 1
    assert layers[analysis.PLAYBOOK]["calls"] == 1
    assert layers[analysis.STARTUP]["by_action"] == {"sts:GetCallerIdentity": 1}


def test_wall_seconds_per_layer_run_from_each_entry_to_the_next():
    seconds = analysis.layer_seconds(TIMELINE, started=97.0, ended=108.5)

    assert seconds == {analysis.STARTUP: 3.0, analysis.PLAYBOOK: 2.5, "vpc": 4.0, "security_groups": 2.0}


# ---- managed resources ------------------------------------------------------------------------------------------------

STACK = {"atelier:env": "local", "atelier:stack": "atelier"}


def _item(arn, source="tagging API", **tags):
    return {"arn": arn, "tags": {**STACK, **tags}, "source": source}


def test_resources_count_once_by_type_and_layer_without_what_aws_made():
    account = "arn:aws:ec2:us-east-1:1"
    items = [
        _item(f"{account}:vpc/vpc-1", Name="local-atelier"),
        _item(f"{account}:security-group/sg-0", Name="local-atelier-default"),
        _item(f"{account}:security-group/sg-1", Name="local-atelier-frontend"),
        _item(f"{account}:natgateway/nat-1"),
        _item(f"{account}:elastic-ip/eipalloc-1", source="EC2 API"),
        _item(f"{account}:network-interface/eni-1"),
        _item(f"{account}:instance/i-1", **{"aws:autoscaling:groupName": "local-atelier-frontend"}),
        _item(f"{account}:instance/i-2", Name="local-atelier-bastion"),
        # CloudFront is global: listed again from the replica region.
        _item("arn:aws:cloudfront::1:distribution/E1"),
        _item("arn:aws:cloudfront::1:distribution/E1"),
        _item("arn:aws:dynamodb:us-east-1:1:table/local-atelier-AtelierDB"),
        {"arn": "arn:aws:dynamodb:eu-west-1:1:table/local-atelier-AtelierDB", "tags": {}, "source": "DynamoDB API (replica table)"},
        _item("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/local-atelier-frontend/abc"),
        {"arn": "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/local-atelier-frontend/abc/def/123", "tags": {},
         "source": "ELBv2 API (listener rule)"},
        _item("arn:aws:secretsmanager:us-east-1:1:secret:local-atelier/frontend/origin-verify-AbCdEf"),
        _item("arn:aws:iam::1:role/local-atelier-vpc-flow-logs", source="IAM API"),
        _item("arn:aws:iam::1:role/local-atelier-frontend-instance", source="IAM API"),
        _item("arn:aws:autoscaling:us-east-1:1:autoScalingGroup:uuid:autoScalingGroupName/local-atelier-frontend", source="Auto Scaling API"),
        _item("arn:aws:sns:us-east-1:1:local-atelier-alarms"),
        {"arn": "arn:aws:sns:us-east-1:1:local-atelier-alarms:5f0b", "tags": {}, "source": "SNS API (subscription)"},
        _item("arn:aws:cloudwatch:us-east-1:1:alarm:local-atelier/frontend/cpu-high"),
        _item("arn:aws:logs:us-east-1:1:log-group:/aws/vpc-flow-logs/local-atelier"),
    ]

    counted = analysis.count_resources(items)

    assert counted["total"] == 19
    assert counted["by_type"]["cloudfront:distribution"] == 1
    assert counted["by_type"]["dynamodb:table"] == 2
    assert counted["by_type"]["ec2:instance"] == 1
    assert "ec2:network-interface" not in counted["by_type"]
    assert counted["by_type"]["sns:subscription"] == 1
    assert counted["by_type"]["autoscaling:autoScalingGroup"] == 1
    assert counted["by_layer"] == {
        "alb": 3, "asg_launch_template": 2, "bastion": 1, "cloudfront": 1, "dynamodb_global": 2, "monitoring": 3,
        "security_groups": 1, "vpc": 6,
    }
    assert counted["by_source"]["DynamoDB API (replica table)"] == 1


@pytest.mark.parametrize(
    "arn, parsed",
    [
        ("arn:aws:ec2:us-east-1:1:subnet/subnet-1", ("ec2", "subnet", "subnet-1")),
        ("arn:aws:logs:us-east-1:1:log-group:/aws/ec2/x", ("logs", "log-group", "/aws/ec2/x")),
        ("arn:aws:sns:us-east-1:1:topic-name", ("sns", "topic", "topic-name")),
        ("arn:aws:sns:us-east-1:1:topic-name:uuid", ("sns", "subscription", "topic-name:uuid")),
        ("arn:aws:autoscaling:us-east-1:1:scalingPolicy:u:autoScalingGroupName/g:policyName/p",
         ("autoscaling", "scalingPolicy", "autoScalingGroupName/g:policyName/p")),
        ("arn:aws:rds:us-east-1:1:db:dev-goal-tracker-db", ("rds", "db", "dev-goal-tracker-db")),
    ],
)
def test_arns_parse_into_service_type_and_name(arn, parsed):
    assert analysis.parse_arn(arn) == parsed


def test_a_string_that_is_no_arn_is_refused():
    with pytest.raises(ValueError, match="not an ARN"):
        analysis.parse_arn("subnet-1")


# ---- numbers, targets, tables -----------------------------------------------------------------------------------------


def test_targets_pass_miss_or_cannot_be_measured():
    rows = analysis.target_rows(
        [
            {"part": "a", "name": "cpu ratio", "value": 0.5, "op": "<=", "target": 0.5},
            {"part": "b", "name": "calls per resource", "value": 2.87, "op": "<=", "target": 1.2},
            {"part": "b", "name": "no-op changed", "value": 0, "op": "==", "target": 0},
            {"part": "b", "name": "plan mutating", "value": 3, "op": "==", "target": 0},
            {"part": "d", "name": "critical path", "value": None, "op": "<=", "target": 1.15},
        ]
    )

    assert [r["result"] for r in rows] == ["PASS", "MISS", "PASS", "MISS", "n/a"]


def test_ratios_and_medians():
    assert analysis.ratio(30.0, 60.0) == 0.5
    assert analysis.ratio(1.0, 3.0) == 0.33
    assert analysis.ratio(5.0, 0) is None
    assert analysis.ratio(None, 2.0) is None

    rounds = [
        [{"step": "cold", "wall_s": 10.0, "api_calls": 300, "changed": 30}, {"step": "no-op", "wall_s": 5.0, "api_calls": 200, "changed": 0}],
        [{"step": "cold", "wall_s": 14.0, "api_calls": 302, "changed": 30}, {"step": "no-op", "wall_s": 4.0, "api_calls": 200, "changed": 0}],
        [{"step": "cold", "wall_s": 11.0, "api_calls": 301, "changed": 30}, {"step": "no-op", "wall_s": 9.0, "api_calls": 200, "changed": 0}],
    ]

    merged = analysis.median_runs(rounds)

    assert merged == [
        {"step": "cold", "wall_s": 11.0, "api_calls": 301, "changed": 30},
        {"step": "no-op", "wall_s": 5.0, "api_calls": 200, "changed": 0},
    ]


def test_markdown_tables_align_numbers_right():
    text = analysis.markdown(["run", "wall s", "calls"], [["cold", 67.456, 362], ["no-op", None, 215]])

    assert text.splitlines() == [
        "| run | wall s | calls |",
        "| --- | ---: | ---: |",
        "| cold | 67.46 | 362 |",
        "| no-op | — | 215 |",
    ]


# ---- bench/module_cpu.py: the module processes against the rest ------------------------------------------------------

module_cpu = _load("bench_module_cpu", REPO_ROOT / "bench" / "module_cpu.py")


def test_module_processes_are_counted_by_the_module_their_payload_names():
    lines = [
        "0.57 0.06 /root/.ansible/tmp/ansible-tmp-1/AnsiballZ_vpc_network.py",
        "0.40 0.05 /root/.ansible/tmp/ansible-tmp-2/AnsiballZ_elb_target_group.py",
        "0.35 0.05 /root/.ansible/tmp/ansible-tmp-3/AnsiballZ_elb_target_group.py",
        "Command terminated by signal 9",
        "0.10 0.01 -c import sys",
    ]
    assert module_cpu.module_cpu(lines) == {
        "vpc_network": {"runs": 1, "cpu_s": 0.63},
        "elb_target_group": {"runs": 2, "cpu_s": 0.85},
        "-c": {"runs": 1, "cpu_s": 0.11},
    }


def test_per_extra_tier_splits_the_runs_cpu_into_modules_and_the_rest():
    small = {"cpu_s": 30.0, "modules": {"vpc_network": {"runs": 1, "cpu_s": 0.6}, "elb_target_group": {"runs": 2, "cpu_s": 1.0}}}
    # vpc_network runs once whatever the tiers: its CPU differs by noise, and it is not listed.
    large = {"cpu_s": 90.0, "modules": {"vpc_network": {"runs": 1, "cpu_s": 0.66}, "elb_target_group": {"runs": 8, "cpu_s": 4.0},
                                        "iam_role_set": {"runs": 6, "cpu_s": 3.0}}}
    table = module_cpu.per_extra_tier(small, large, 6)
    assert table == {"run_cpu_s": 10.0, "modules_cpu_s": 1.01, "rest_cpu_s": 8.99,
                     "modules": {"iam_role_set": {"runs": 1.0, "cpu_s": 0.5}, "elb_target_group": {"runs": 1.0, "cpu_s": 0.5}}}
