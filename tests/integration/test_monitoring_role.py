"""The monitoring role refuses bad input with a message naming the variable, before any AWS call."""

import pytest

PLAYBOOK = "tests/integration/playbooks/monitoring_role.yml"

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
        "rds-identifier",
        {"monitoring_rds_identifier": "1-bad_id"},
        'monitoring_rds_identifier "1-bad_id" is not a DB instance identifier',
    ),
    ("table-name", {"monitoring_dynamodb_table": "a"}, 'monitoring_dynamodb_table "a" is not a DynamoDB table name'),
    (
        "replica-region",
        {"monitoring_dynamodb_table": "T1x", "monitoring_dynamodb_replicas": ["mars-1"]},
        'monitoring_dynamodb_replicas: "mars-1" is not a region name',
    ),
    (
        "replica-home",
        {"monitoring_dynamodb_table": "T1x", "monitoring_dynamodb_replicas": ["us-east-1"]},
        "us-east-1 is the home region",
    ),
    (
        "prefix",
        {"monitoring_name_prefix": "dev/app"},
        "monitoring_name_prefix must be letters, digits, hyphens and underscores",
    ),
]


@pytest.mark.parametrize("extra_vars, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_fails_before_any_aws_call(emulator, extra_vars, message):
    run = emulator.playbook(PLAYBOOK, extra_vars=extra_vars)
    assert run.rc != 0, run.output
    assert message in " ".join(run.output.split()), run.output
    assert run.requests == [], run.requests


def test_check_mode_changes_nothing(emulator):
    """--check works before anything exists (no topic, no ALB yet) and makes no mutating call."""
    run = emulator.playbook(
        PLAYBOOK,
        "--check",
        extra_vars={"monitoring_alarm_emails": ["ops@example.com"], "monitoring_rds_identifier": "db1"},
    )
    assert run.rc == 0, run.output
    assert run.mutating == [], run.mutating


def test_round_trip(emulator):
    """Create, a second run and a --check run change nothing, absent removes it all, a second absent changes nothing."""
    present = {
        "monitoring_alarm_emails": ["ops@example.com", "oncall@example.com"],
        "monitoring_rds_identifier": "db1",
        "monitoring_dynamodb_table": "AtelierDB",
        "monitoring_dynamodb_replicas": ["eu-west-1"],
    }
    first = emulator.playbook(PLAYBOOK, extra_vars=present)
    assert first.rc == 0 and first.changed > 0, first.output
    cloudwatch = emulator.client("cloudwatch")
    names = [a["AlarmName"] for a in cloudwatch.describe_alarms(AlarmNamePrefix="local-atelier/")["MetricAlarms"]]
    assert {"local-atelier/rds/cpu-high", "local-atelier/dynamodb/replication-latency-eu-west-1"} <= set(names), names

    for args in ((), ("--check",)):
        again = emulator.playbook(PLAYBOOK, *args, extra_vars=present)
        assert again.rc == 0 and again.changed == 0, again.output
        assert again.mutating == [], again.mutating

    for expected_changes in (True, False):
        gone = emulator.playbook(PLAYBOOK, extra_vars=dict(present, monitoring_state="absent"))
        assert gone.rc == 0 and (gone.changed > 0) == expected_changes, gone.output
    assert cloudwatch.describe_alarms(AlarmNamePrefix="local-atelier/")["MetricAlarms"] == []
    assert cloudwatch.list_dashboards(DashboardNamePrefix="local-atelier")["DashboardEntries"] == []
    topics = [t["TopicArn"] for t in emulator.client("sns").list_topics()["Topics"]]
    assert not [t for t in topics if t.endswith(":local-atelier-alarms")], topics
