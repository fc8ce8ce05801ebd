"""The monitoring role against the emulator, through inventories/local (the stack local-atelier): bad input fails before
any AWS call, check mode on an empty account changes nothing, a round trip, and what it watches is what carries the
stack's tags (atelier:env=local, atelier:stack=atelier), whatever its name, and nothing else."""

import json
import time

import pytest

PLAYBOOK = "tests/integration/playbooks/monitoring_role.yml"
PREFIX = "local-atelier"
STACK = {"atelier:env": "local", "atelier:stack": "atelier"}
OTHER_STACK = {"atelier:env": "local", "atelier:stack": "other"}

# id, extra vars, expected message
CASES = [
    ("cpu-negative", {"monitoring_cpu_threshold": -5}, "monitoring_cpu_threshold must not be negative (got -5)"),
    ("cpu-over-100", {"monitoring_cpu_threshold": 150}, "monitoring_cpu_threshold is a percentage: 0 to 100 (got 150)"),
    (
        "rate-negative",
        {"monitoring_alb_5xx_rate_threshold": -1},
        "monitoring_alb_5xx_rate_threshold must not be negative",
    ),
    ("rds-cpu-over-100", {"monitoring_rds_cpu_threshold": 101}, "monitoring_rds_cpu_threshold is a percentage"),
    (
        "storage-negative",
        {"monitoring_rds_free_storage_threshold": -1},
        "monitoring_rds_free_storage_threshold must not be negative",
    ),
    (
        "latency-negative",
        {"monitoring_replication_latency_threshold_ms": -10},
        "monitoring_replication_latency_threshold_ms must not be negative",
    ),
    ("threshold-not-a-number", {"monitoring_cpu_threshold": "eighty"}, "monitoring_cpu_threshold"),
    ("period", {"monitoring_period": 45}, "monitoring_period must be 10, 20, 30 or a multiple of 60 seconds (got 45)"),
    ("evaluation-periods", {"monitoring_evaluation_periods": 0}, "monitoring_evaluation_periods must not be below 1"),
    (
        "email",
        {"monitoring_alarm_emails": ["ops@example.com", "not-an-address"]},
        'monitoring_alarm_emails: "not-an-address" is not an e-mail address',
    ),
    (
        "prefix",
        {"monitoring_name_prefix": "dev/app"},
        "monitoring_name_prefix must be letters, digits, hyphens and underscores",
    ),
    (
        "tier-name",
        {"monitoring_tiers": [{"name": "Web_Tier", "app_port": 8080}]},
        "monitoring_tiers must be a list of tiers, each with a name of lower-case letters, digits and hyphens",
    ),
]


def _tags(tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


class Account:
    """Creates load balancers, target groups, DynamoDB tables and DB instances with boto3, tagged like the alb,
    dynamodb_global and rds_postgres roles tag them (or not at all)."""

    def __init__(self, emulator):
        self.client = emulator.client
        ec2 = emulator.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.90.0.0/16")["Vpc"]["VpcId"]
        self.vpc = vpc
        self.subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.90.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
            for i, az in ((1, "a"), (2, "b"))
        ]

    def alb(self, name, owner=None, tier=None):
        """A load balancer and its target group <name>-tg; returns their CloudWatch dimension values."""
        tags = _tags(dict(owner, **{"atelier:tier": tier})) if owner else []
        elb = self.client("elbv2")
        lb = elb.create_load_balancer(Name=name, Subnets=self.subnets, **({"Tags": tags} if tags else {}))["LoadBalancers"][0]
        tg = elb.create_target_group(
            Name=f"{name}-tg", Protocol="HTTP", Port=80, VpcId=self.vpc, **({"Tags": tags} if tags else {})
        )["TargetGroups"][0]
        return lb["LoadBalancerArn"].split(":loadbalancer/")[1], tg["TargetGroupArn"].rsplit(":", 1)[1]

    def ip_target_group(self, name, owner, tier):
        """A target group of type ip (a Fargate service's tasks, by IP address); returns its CloudWatch dimension value."""
        tg = self.client("elbv2").create_target_group(
            Name=name, Protocol="HTTP", Port=8080, VpcId=self.vpc, TargetType="ip", Tags=_tags(dict(owner, **{"atelier:tier": tier}))
        )["TargetGroups"][0]
        return tg["TargetGroupArn"].rsplit(":", 1)[1]

    def table(self, name, owner=None, replica=None):
        ddb = self.client("dynamodb")
        ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            **({"Tags": _tags(owner)} if owner else {}),
        )
        if replica:
            ddb.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": replica}}])
            for _ in range(60):
                replicas = ddb.describe_table(TableName=name)["Table"].get("Replicas", [])
                if [r["ReplicaStatus"] for r in replicas] == ["ACTIVE"]:
                    break
                time.sleep(0.5)

    def database(self, name, owner=None):
        self.client("rds").create_db_instance(
            DBInstanceIdentifier=name,
            Engine="postgres",
            DBInstanceClass="db.t3.micro",
            AllocatedStorage=20,
            MasterUsername="postgres",
            MasterUserPassword="not-a-secret-1",
            **({"Tags": _tags(dict(owner, Name=name))} if owner else {}),
        )


def _alarms(emulator):
    cloudwatch = emulator.client("cloudwatch")
    return {a["AlarmName"]: a for a in cloudwatch.describe_alarms(AlarmNamePrefix=PREFIX + "/")["MetricAlarms"]}


def _dimensions(alarm):
    return {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}


def _dashboard(emulator):
    return json.loads(emulator.client("cloudwatch").get_dashboard(DashboardName=PREFIX)["DashboardBody"])


@pytest.mark.parametrize("extra_vars, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_fails_before_any_aws_call(emulator, extra_vars, message):
    run = emulator.playbook(PLAYBOOK, extra_vars=extra_vars)
    assert run.rc != 0, run.output
    assert message in " ".join(run.output.split()), run.output
    assert run.requests == [], run.requests


def test_check_mode_on_an_empty_account_changes_nothing(emulator):
    """--check works before anything exists (no topic, no ALB yet), says it would create the topic, makes no mutating
    call, and looks things up with one tagging call (no load balancer or topic listing)."""
    emulator.reset()
    run = emulator.playbook(PLAYBOOK, "--check", extra_vars={"monitoring_alarm_emails": ["ops@example.com"]})
    text = " ".join(run.output.split())
    assert run.rc == 0, run.output
    assert run.mutating == [], run.mutating
    assert "Would create the SNS topic local-atelier-alarms with 1 e-mail subscription(s)" in text, run.output
    assert "for the tier(s) frontend, backend" in text, run.output
    actions = [r["action"] for r in run.requests]
    assert actions.count("GetResources") == 1 and "DescribeLoadBalancers" not in actions and "ListTopics" not in actions, actions


def test_round_trip(emulator):
    """Create, a second run and a --check run change nothing, absent removes it all, a second absent changes nothing."""
    emulator.reset()
    account = Account(emulator)
    for tier in ("frontend", "backend"):
        account.alb(f"{PREFIX}-{tier}", STACK, tier)
    account.table(f"{PREFIX}-AtelierDB", STACK, replica="eu-west-1")
    account.database(f"{PREFIX}-postgres", STACK)
    present = {"monitoring_alarm_emails": ["ops@example.com", "oncall@example.com"]}

    first = emulator.playbook(PLAYBOOK, extra_vars=present)
    assert first.rc == 0 and first.changed > 0, first.output
    assert set(_alarms(emulator)) == {
        f"{PREFIX}/{tier}/{what}" for tier in ("frontend", "backend") for what in ("cpu-high", "unhealthy-targets", "alb-5xx-rate")
    } | {
        f"{PREFIX}/rds/cpu-high",
        f"{PREFIX}/rds/free-storage-low",
        f"{PREFIX}/dynamodb/read-throttles",
        f"{PREFIX}/dynamodb/write-throttles",
        f"{PREFIX}/dynamodb/replication-latency-eu-west-1",
    }

    # The scaling-events rule of the EC2 tiers' groups, to the topic, which lets exactly that rule publish.
    events = emulator.client("events")
    rule = events.describe_rule(Name=f"{PREFIX}-scaling-events")
    assert json.loads(rule["EventPattern"])["detail"] == {"AutoScalingGroupName": [f"{PREFIX}-backend", f"{PREFIX}-frontend"]}
    topic = [t["TopicArn"] for t in emulator.client("sns").list_topics()["Topics"] if t["TopicArn"].endswith(f":{PREFIX}-alarms")][0]
    assert [t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]] == [topic]
    policy = json.loads(emulator.client("sns").get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
    publish = [s for s in policy["Statement"] if s["Principal"] == {"Service": "events.amazonaws.com"}]
    assert [s["Condition"]["ArnEquals"]["aws:SourceArn"] for s in publish] == [rule["Arn"]]

    for args in ((), ("--check",)):
        again = emulator.playbook(PLAYBOOK, *args, extra_vars=present)
        assert again.rc == 0 and again.changed == 0, again.output
        assert again.mutating == [], again.mutating

    # Changed behind the role's back: the topic's policy, one of its tags and a subscription, the rule's state and
    # target. The role reads both first (the upstream modules run only on a difference): the next run finds and puts
    # back each, and the run after it changes nothing.
    sns = emulator.client("sns")
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps({"Version": "2012-10-17", "Statement": []}))
    sns.untag_resource(ResourceArn=topic, TagKeys=["atelier:stack"])
    oncall = [s for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] if s["Endpoint"] == "oncall@example.com"]
    sns.unsubscribe(SubscriptionArn=oncall[0]["SubscriptionArn"])
    events.disable_rule(Name=rule["Name"])
    events.remove_targets(Rule=rule["Name"], Ids=[t["Id"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]])
    fixed = emulator.playbook(PLAYBOOK, extra_vars=present)
    assert fixed.rc == 0 and fixed.changed > 0, fixed.output
    assert json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"]) == policy
    assert {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=topic)["Tags"]}.get("atelier:stack") == "atelier"
    assert {s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]} == {"ops@example.com", "oncall@example.com"}
    assert events.describe_rule(Name=rule["Name"])["State"] == "ENABLED"
    assert [t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]] == [topic]
    steady = emulator.playbook(PLAYBOOK, extra_vars=present)
    assert steady.rc == 0 and steady.changed == 0 and steady.mutating == [], steady.output
    actions = [r["action"] for r in steady.requests]
    # One read of each instead of community.aws.sns_topic's repeated ListTopics and the rule module's repeated reads.
    assert "ListTopics" not in actions and actions.count("DescribeRule") == 1, actions

    for expected_changes in (True, False):
        gone = emulator.playbook(PLAYBOOK, extra_vars=dict(present, monitoring_state="absent"))
        assert gone.rc == 0 and (gone.changed > 0) == expected_changes, gone.output
    assert _alarms(emulator) == {}
    assert events.list_rules(NamePrefix=PREFIX)["Rules"] == []
    assert emulator.client("cloudwatch").list_dashboards(DashboardNamePrefix=PREFIX)["DashboardEntries"] == []
    topics = [t["TopicArn"] for t in emulator.client("sns").list_topics()["Topics"]]
    assert not [t for t in topics if t.endswith(f":{PREFIX}-alarms")], topics


def test_only_what_carries_the_stacks_tags_is_watched_whatever_its_name(emulator):
    """Another stack's and untagged load balancers, tables and DB instances (named as this stack would name them)
    are never watched; this stack's, named with another prefix, are. Without a table or a DB instance of its own,
    the stack gets no DynamoDB or RDS alarm or widget; once they exist, it does."""
    emulator.reset()
    account = Account(emulator)
    lb, tg = account.alb("renamed-web", STACK, "frontend")
    account.alb(f"{PREFIX}-backend", OTHER_STACK, "backend")
    account.alb("loose-backend")
    for owner, name in ((OTHER_STACK, f"{PREFIX}-AtelierDB"), (None, "loose-table")):
        account.table(name, owner)
    for owner, name in ((OTHER_STACK, f"{PREFIX}-postgres"), (None, "loose-db")):
        account.database(name, owner)

    first = emulator.playbook(PLAYBOOK)
    assert first.rc == 0, first.output
    alarms = _alarms(emulator)
    assert sorted(alarms) == sorted(
        [f"{PREFIX}/frontend/cpu-high", f"{PREFIX}/frontend/unhealthy-targets", f"{PREFIX}/frontend/alb-5xx-rate", f"{PREFIX}/backend/cpu-high"]
    )
    assert _dimensions(alarms[f"{PREFIX}/frontend/unhealthy-targets"]) == {"TargetGroup": tg, "LoadBalancer": lb}
    assert lb.startswith("app/renamed-web/") and tg.startswith("targetgroup/renamed-web-tg/")
    titles = [w["properties"]["title"] for w in _dashboard(emulator)["widgets"]]
    assert not [t for t in titles if t.startswith(("RDS", "DynamoDB"))], titles
    assert "No load balancer tagged atelier:env=local, atelier:stack=atelier and atelier:tier=<tier>" in " ".join(first.output.split())

    account.table("renamed-table", STACK)
    account.database("renamed-db", STACK)
    second = emulator.playbook(PLAYBOOK)
    assert second.rc == 0 and second.changed > 0, second.output
    alarms = _alarms(emulator)
    data = {name: _dimensions(alarm) for name, alarm in alarms.items() if "/rds/" in name or "/dynamodb/" in name}
    assert data == {
        f"{PREFIX}/rds/cpu-high": {"DBInstanceIdentifier": "renamed-db"},
        f"{PREFIX}/rds/free-storage-low": {"DBInstanceIdentifier": "renamed-db"},
        f"{PREFIX}/dynamodb/read-throttles": {"TableName": "renamed-table"},
        f"{PREFIX}/dynamodb/write-throttles": {"TableName": "renamed-table"},
    }
    titles = [w["properties"]["title"] for w in _dashboard(emulator)["widgets"]]
    assert [t for t in titles if t.startswith(("RDS", "DynamoDB"))] == [
        "RDS renamed-db: CPU (%)",
        "RDS renamed-db: free storage (bytes)",
        "RDS renamed-db: connections",
        "DynamoDB renamed-table: throttled requests",
    ]
    watched = json.dumps(list(alarms.values()), default=str) + json.dumps(_dashboard(emulator))
    assert "loose-" not in watched and f"{PREFIX}-postgres" not in watched and f"{PREFIX}-AtelierDB" not in watched
    assert f"app/{PREFIX}-backend/" not in watched


# frontend runs on ec2; backend on fargate, at least 1 task - 3 by the operator's override.
FARGATE_TIERS = [
    {"name": "frontend", "app_port": 3000},
    {"name": "backend", "app_port": 8080, "runtime": "fargate", "min_size": 1},
]


def test_a_fargate_tier_is_watched_through_its_ecs_service(emulator):
    """A fargate tier gets CPU and memory alarms on its ECS service (AWS/ECS, ClusterName + ServiceName), a running-tasks
    alarm below its min_size (atelier_tier_overrides applied; Container Insights), its ALB alarms on its ip target group (not the instance one also
    tagged for it), service widgets, and no part in the scaling-events rule; a second run and a --check run change
    nothing and make no mutating call."""
    emulator.reset()
    account = Account(emulator)
    account.alb(f"{PREFIX}-frontend", STACK, "frontend")
    lb, _ = account.alb(f"{PREFIX}-backend", STACK, "backend")  # with <prefix>-backend-tg, as left by the ec2 runtime
    ip = account.ip_target_group(f"{PREFIX}-backend-ip", STACK, "backend")
    variables = {
        "atelier_tiers": FARGATE_TIERS,
        "atelier_tier_overrides": {"backend": {"min_size": "3"}},
        "monitoring_cpu_threshold": 70,
        "monitoring_memory_threshold": 85,
    }

    first = emulator.playbook(PLAYBOOK, extra_vars=variables)
    assert first.rc == 0 and first.changed > 0, first.output

    alarms = _alarms(emulator)
    assert sorted(alarms) == sorted(
        [f"{PREFIX}/frontend/{what}" for what in ("cpu-high", "unhealthy-targets", "alb-5xx-rate")]
        + [f"{PREFIX}/backend/{what}" for what in ("cpu-high", "memory-high", "running-tasks-low", "unhealthy-targets", "alb-5xx-rate")]
    )
    service = {"ClusterName": PREFIX, "ServiceName": f"{PREFIX}-backend"}

    def seen(name):
        a = alarms[f"{PREFIX}/{name}"]
        return a["Namespace"], a["MetricName"], a["Statistic"], _dimensions(a), a["Threshold"], a["ComparisonOperator"]

    assert seen("backend/cpu-high") == ("AWS/ECS", "CPUUtilization", "Average", service, 70.0, "GreaterThanThreshold")
    assert seen("backend/memory-high") == ("AWS/ECS", "MemoryUtilization", "Average", service, 85.0, "GreaterThanThreshold")
    assert seen("backend/running-tasks-low") == ("ECS/ContainerInsights", "RunningTaskCount", "Average", service, 3.0, "LessThanThreshold")
    assert _dimensions(alarms[f"{PREFIX}/backend/unhealthy-targets"]) == {"TargetGroup": ip, "LoadBalancer": lb}
    assert ip.startswith(f"targetgroup/{PREFIX}-backend-ip/")
    assert seen("frontend/cpu-high")[:4] == ("AWS/EC2", "CPUUtilization", "Average", {"AutoScalingGroupName": f"{PREFIX}-frontend"})

    # The scaling-events rule watches the ec2 tier's group only.
    rule = emulator.client("events").describe_rule(Name=f"{PREFIX}-scaling-events")
    assert json.loads(rule["EventPattern"])["detail"] == {"AutoScalingGroupName": [f"{PREFIX}-frontend"]}
    widgets = {w["properties"]["title"]: w["properties"]["metrics"] for w in _dashboard(emulator)["widgets"]}
    assert widgets["backend: CPU (%)"] == [["AWS/ECS", "CPUUtilization", "ClusterName", PREFIX, "ServiceName", f"{PREFIX}-backend"]]
    assert "backend: memory (%)" in widgets and "backend: running and desired tasks" in widgets

    for args in ((), ("--check",)):
        again = emulator.playbook(PLAYBOOK, *args, extra_vars=variables)
        assert again.rc == 0 and again.changed == 0, again.output
        assert again.mutating == [], again.mutating
