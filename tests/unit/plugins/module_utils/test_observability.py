# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of module_utils/observability.py: the scaling-events rule and topic policy, the CloudWatch agent's
configuration, the container health parts of the user data and the service roles' trust policies."""

import json
import subprocess

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import observability as o

ACCOUNT = "123456789012"
TIERS = [{"name": "frontend"}, {"name": "backend", "runtime": "ec2"}, {"name": "api", "runtime": "fargate"}]


def test_the_rule_watches_every_ec2_tier_group_for_all_four_scaling_events():
    rule = o.scaling_events("dev-gt", TIERS, "us-east-1", "aws", ACCOUNT)
    assert rule["name"] == "dev-gt-scaling-events" and rule["state"] == "present"
    pattern = json.loads(rule["event_pattern"])
    assert pattern == {
        "source": ["aws.autoscaling"],
        "detail-type": [
            "EC2 Instance Launch Successful",
            "EC2 Instance Launch Unsuccessful",
            "EC2 Instance Terminate Successful",
            "EC2 Instance Terminate Unsuccessful",
        ],
        "detail": {"AutoScalingGroupName": ["dev-gt-backend", "dev-gt-frontend"]},
    }
    # The same text every run (EventBridge keeps it as sent; the module compares text).
    assert rule["event_pattern"] == o.scaling_events("dev-gt", list(reversed(TIERS)), "us-east-1", "aws", ACCOUNT)["event_pattern"]
    assert rule["targets"] == [{"id": "alarm-topic", "arn": f"arn:aws:sns:us-east-1:{ACCOUNT}:dev-gt-alarms"}]
    assert rule["rule_arn"] == f"arn:aws:events:us-east-1:{ACCOUNT}:rule/dev-gt-scaling-events"


def test_the_topic_lets_only_that_rule_of_this_account_publish():
    rule = o.scaling_events("dev-gt", TIERS, "eu-west-1", "aws", ACCOUNT)
    owner, events = rule["topic_policy"]["Statement"]
    assert owner["Condition"] == {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}
    assert owner["Resource"] == events["Resource"] == rule["topic_arn"]
    assert events["Principal"] == {"Service": "events.amazonaws.com"} and events["Action"] == "sns:Publish"
    assert events["Condition"] == {
        "ArnEquals": {"aws:SourceArn": f"arn:aws:events:eu-west-1:{ACCOUNT}:rule/dev-gt-scaling-events"},
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
    }


def test_without_ec2_tiers_the_rule_goes_and_the_topic_keeps_the_default_policy():
    rule = o.scaling_events("dev-gt", [{"name": "api", "runtime": "fargate"}], "us-east-1", "aws", ACCOUNT)
    assert rule["state"] == "absent" and rule["groups"] == []
    assert [s["Sid"] for s in rule["topic_policy"]["Statement"]] == ["TopicOwner"]


def test_the_account_comes_from_a_resource_arn_else_the_caller():
    arns = ["", "arn:aws-cn:elasticloadbalancing:cn-north-1:111111111111:loadbalancer/app/x/1"]
    assert o.account_of(arns) == ("aws-cn", "111111111111")
    assert o.account_of([], {"account": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/me"}) == ("aws", ACCOUNT)
    assert o.account_of(["arn:aws:s3:::bucket"], {"account": ACCOUNT}) == ("aws", ACCOUNT)
    assert o.account_of([]) == ("aws", "")


def test_the_agent_collects_memory_disk_and_the_logs_to_the_tier_log_group():
    config = o.cloudwatch_agent_config({"name": "backend", "app_port": 8080}, "dev-gt")
    collected = config["metrics"]["metrics_collected"]
    assert collected["mem"]["measurement"] == ["mem_used_percent"]
    assert collected["disk"]["measurement"] == ["used_percent"] and collected["disk"]["resources"] == ["/"]
    assert config["metrics"]["append_dimensions"]["AutoScalingGroupName"] == "${aws:AutoScalingGroupName}"
    assert config["metrics"]["aggregation_dimensions"] == [["AutoScalingGroupName"]]
    files = config["logs"]["logs_collected"]["files"]["collect_list"]
    assert {f["log_group_name"] for f in files} == {"/aws/ec2/dev-gt/backend"}
    assert [f["file_path"] for f in files] == [
        "/var/log/cloud-init-output.log", "/var/log/atelier/watchdog.log", "/var/log/atelier/backend/*.log"]
    assert len({f["log_stream_name"] for f in files}) == 3


def test_the_container_health_check_uses_the_tier_health_check_path_port_and_timings():
    tier = {"name": "backend", "app_port": 8080, "health_check_grace_period": 120,
            "health_check": {"path": "/healthz", "interval": 15, "timeout": 4, "unhealthy_threshold": 5}}
    parts = o.container_health(tier, "dev-gt")
    options = parts["health_options"].splitlines()
    assert all(line.endswith(" \\") for line in options)
    assert "curl -fsS -o /dev/null --max-time 4 http://127.0.0.1:8080/healthz" in options[0]
    assert "wget -q -O /dev/null -T 4 http://127.0.0.1:8080/healthz" in options[0]
    assert options[1:5] == ["  --health-interval 15s \\", "  --health-timeout 4s \\", "  --health-retries 5 \\",
                            "  --health-start-period 120s \\"]
    assert "--volume /var/log/atelier/backend:/var/log/app" in options[5]
    assert parts["agent_parameter"] == "AmazonCloudWatch-dev-gt-backend"
    assert "amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:AmazonCloudWatch-dev-gt-backend" in parts["agent"]


def test_the_watchdog_restarts_an_unhealthy_container_on_a_timer():
    tier = {"name": "frontend", "app_port": 3000, "health_check": {"interval": 20}}
    watchdog = o.container_health(tier, "dev-gt")["watchdog"]
    assert "docker inspect --format '{{.State.Health.Status}}' frontend" in watchdog
    assert '[ "${status}" = unhealthy ]' in watchdog and "docker restart frontend" in watchdog
    assert "OnUnitActiveSec=20s" in watchdog
    assert "systemctl enable --now atelier-watchdog-frontend.timer" in watchdog


def test_the_user_data_parts_are_valid_bash(tmp_path):
    parts = o.container_health({"name": "frontend", "app_port": 3000, "health_check": {"path": "/it's"}}, "dev-gt")
    script = tmp_path / "parts.sh"
    script.write_text(parts["watchdog"] + "docker run \\\n" + parts["health_options"] + "\n  image\n" + parts["agent"])
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0


def test_service_trust_policies_carry_the_confused_deputy_conditions_where_documented():
    flow = o.service_trust_policy("vpc-flow-logs.amazonaws.com", ACCOUNT, "aws", "us-east-1")["Statement"][0]
    assert flow["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                                 "ArnLike": {"aws:SourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/*"}}
    db = f"arn:aws:rds:us-east-1:{ACCOUNT}:db:dev-gt-postgres"
    rds = o.service_trust_policy("monitoring.rds.amazonaws.com", ACCOUNT, source_arn=db)["Statement"][0]
    assert rds["Condition"]["ArnLike"] == {"aws:SourceArn": db}
    assert rds["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    ec2 = o.service_trust_policy("ec2.amazonaws.com")["Statement"][0]
    assert ec2 == {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    with pytest.raises(ValueError, match="needs the account"):
        o.service_trust_policy("vpc-flow-logs.amazonaws.com")


def test_an_account_only_trust_has_the_source_account_condition_alone():
    for service in ("lambda.amazonaws.com", "ecs-tasks.amazonaws.com"):
        statement = o.service_trust_policy(service, ACCOUNT, account_only=True)["Statement"][0]
        assert statement["Principal"] == {"Service": service}
        assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    with pytest.raises(ValueError, match="needs the account"):
        o.service_trust_policy("lambda.amazonaws.com", account_only=True)
