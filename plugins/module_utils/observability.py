# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a tier's instances report and how they heal, what the stack is told when its groups scale, and the trust
policies of the service roles the collection creates (the filters of plugins/filter/observability.py):

* ``scaling_events``: the EventBridge rule that sends the Auto Scaling launch / terminate events (successful and
  unsuccessful) of the stack's EC2 tiers to the alarm topic, and the topic policy that lets EventBridge publish for
  exactly that rule (``aws:SourceArn``) of exactly this account (``aws:SourceAccount``);
* ``cloudwatch_agent_config``: the CloudWatch agent's configuration of a tier (memory and disk metrics per Auto
  Scaling group and instance, the instance's and the application's log files to the tier's log group), stored in SSM
  Parameter Store and fetched by the user data;
* ``container_health``: the user data's parts that give the container a Docker health check on the tier's health
  check path and port, restart it when Docker reports it unhealthy (a systemd timer: Docker's restart policy only acts
  when the container exits) and start the CloudWatch agent;
* ``service_trust_policy``: a service role's trust policy with the confused-deputy conditions where the service sends
  them.

Pure Python: no boto3, no Ansible imports.
"""

import json
import shlex

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

# The Auto Scaling events EventBridge receives for each instance launched or terminated (the design's "ASG scaling
# events"): https://docs.aws.amazon.com/autoscaling/ec2/userguide/automating-ec2-auto-scaling-with-eventbridge.html
SCALING_EVENTS = (
    "EC2 Instance Launch Successful",
    "EC2 Instance Launch Unsuccessful",
    "EC2 Instance Terminate Successful",
    "EC2 Instance Terminate Unsuccessful",
)
TOPIC_TARGET_ID = "alarm-topic"
# The actions of the policy SNS gives a new topic (its owner's account may manage and use it): kept in ours.
TOPIC_OWNER_ACTIONS = (
    "SNS:AddPermission",
    "SNS:DeleteTopic",
    "SNS:GetTopicAttributes",
    "SNS:ListSubscriptionsByTopic",
    "SNS:Publish",
    "SNS:RemovePermission",
    "SNS:SetTopicAttributes",
    "SNS:Subscribe",
)

# Where the CloudWatch agent and the watchdog live on Amazon Linux 2023.
AGENT_CTL = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"
# The host directory of a tier's application log files, mounted into the container at APP_LOG_DIR.
HOST_LOG_DIR = "/var/log/atelier"
APP_LOG_DIR = "/var/log/app"


def _arn_parts(arn):
    parts = str(arn).split(":", 5)
    return parts if len(parts) == 6 and parts[0] == "arn" else None


def account_of(arns, caller=None):
    """(partition, account) of the first ARN that names an account (the stack's resources found by tag), else of the
    caller (amazon.aws.aws_caller_info's result: account, arn), else ("aws", "")."""
    for arn in list(arns or []) + [(caller or {}).get("arn", "")]:
        parts = _arn_parts(arn)
        if parts and parts[4]:
            return parts[1], parts[4]
    return "aws", str((caller or {}).get("account") or "")


def ec2_tiers(tiers):
    """The names of the tiers the ec2 runtime runs (an Auto Scaling group each), in order."""
    return [t["name"] for t in tiers or [] if (t.get("runtime") or "ec2") == "ec2"]


def scaling_events(prefix, tiers, region, partition, account):
    """The scaling-events rule of the stack's EC2 tiers and the alarm topic's policy (``topic_policy``).

    ``{name, state, description, event_pattern, targets, rule_arn, topic_arn, topic_policy, groups}``: state absent
    when the stack has no EC2 tier (the rule is then removed and the topic policy is SNS's default one).
    event_pattern is JSON text (the rule's ``EventPattern`` as EventBridge keeps it, so a second run compares equal).
    """
    names = stack.stack_names(prefix)
    groups = [stack.stack_names(prefix, tier)["group"] for tier in ec2_tiers(tiers)]
    rule_arn = f"arn:{partition}:events:{region}:{account}:rule/{names['scaling_events_rule']}"
    topic_arn = f"arn:{partition}:sns:{region}:{account}:{names['alarm_topic']}"
    pattern = {
        "detail": {"AutoScalingGroupName": sorted(groups)},
        "detail-type": list(SCALING_EVENTS),
        "source": ["aws.autoscaling"],
    }
    statements = [
        {
            "Sid": "TopicOwner",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": list(TOPIC_OWNER_ACTIONS),
            "Resource": topic_arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": account}},
        }
    ]
    if groups:
        statements.append(
            {
                "Sid": "ScalingEventsRule",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}, "StringEquals": {"aws:SourceAccount": account}},
            }
        )
    return {
        "name": names["scaling_events_rule"],
        "state": "present" if groups else "absent",
        "description": f"Auto Scaling launch and terminate events of {prefix}'s EC2 tiers to {names['alarm_topic']}",
        "event_pattern": json.dumps(pattern),
        "targets": [{"id": TOPIC_TARGET_ID, "arn": topic_arn}],
        "rule_arn": rule_arn,
        "topic_arn": topic_arn,
        "topic_policy": {"Version": "2012-10-17", "Statement": statements},
        "groups": groups,
    }


# ---- a tier's instances ---------------------------------------------------------------------------------------------


def cloudwatch_agent_config(tier, prefix):
    """The CloudWatch agent's configuration of a tier (a dict; the role stores it as JSON in SSM Parameter Store).

    Metrics (namespace CWAgent, every minute): ``mem_used_percent`` and the root file system's
    ``disk_used_percent``, per instance and aggregated per Auto Scaling group. Logs, to the tier's log group (where
    Docker's awslogs driver sends the container's output): the user data's output, the watchdog's restarts and the
    application's log files (``*.log`` it writes under APP_LOG_DIR in the container), one stream per instance and file.
    """
    t = tier_spec.settings(tier)
    names = stack.stack_names(prefix, t["name"])

    def files(path, stream):
        return {
            "file_path": path,
            "log_group_name": names["log_group"],
            "log_stream_name": "{instance_id}/" + stream,
            "retention_in_days": -1,
        }

    return {
        "agent": {"metrics_collection_interval": 60, "run_as_user": "root"},
        "metrics": {
            "namespace": "CWAgent",
            "append_dimensions": {
                "AutoScalingGroupName": "${aws:AutoScalingGroupName}",
                "InstanceId": "${aws:InstanceId}",
            },
            "aggregation_dimensions": [["AutoScalingGroupName"]],
            "metrics_collected": {
                "mem": {"measurement": ["mem_used_percent"]},
                "disk": {
                    "measurement": ["used_percent"],
                    "resources": ["/"],
                    "ignore_file_system_types": ["devtmpfs", "overlay", "sysfs", "tmpfs"],
                },
            },
        },
        "logs": {
            "logs_collected": {
                "files": {
                    "collect_list": [
                        files("/var/log/cloud-init-output.log", "user-data"),
                        files(f"{HOST_LOG_DIR}/watchdog.log", "watchdog"),
                        files(f"{HOST_LOG_DIR}/{t['name']}/*.log", "app"),
                    ]
                }
            }
        },
    }


def container_health(tier, prefix):
    """The user data's parts (roles/asg_launch_template/templates/user_data.sh.j2 prints them) for the container's
    health and the CloudWatch agent:

    * ``health_options``: ``docker run`` options: a health check that requests the tier's health_check path on its
      app_port inside the container (curl, else wget: the image needs one of them; an answer of 400 or more, or none
      within the timeout, fails), every health_check interval, unhealthy after unhealthy_threshold failures, not
      counted during the health_check_grace_period; and the application's log directory;
    * ``watchdog``: a script and a systemd timer that restart the container once Docker reports it unhealthy
      (Docker's restart policy only acts when the container exits), every interval, logged to watchdog.log;
    * ``agent``: install the CloudWatch agent and start it with the tier's configuration from SSM Parameter Store
      (``ssm:<cloudwatch_agent_parameter>``); a failure is logged and does not stop the application;
    * ``agent_parameter``: that parameter's name.
    """
    t = tier_spec.settings(tier)
    names = stack.stack_names(prefix, t["name"])
    check = t["health_check"]
    container = t["name"]
    url = f"http://127.0.0.1:{int(t['app_port'])}{check['path']}"
    timeout = int(check["timeout"])
    probe = (
        f"curl -fsS -o /dev/null --max-time {timeout} {shlex.quote(url)}"
        f" || wget -q -O /dev/null -T {timeout} {shlex.quote(url)} || exit 1"
    )
    host_logs = f"{HOST_LOG_DIR}/{container}"
    health_options = "\n".join(
        [
            f"  --health-cmd {shlex.quote(probe)} \\",
            f"  --health-interval {int(check['interval'])}s \\",
            f"  --health-timeout {int(check['timeout'])}s \\",
            f"  --health-retries {int(check['unhealthy_threshold'])} \\",
            f"  --health-start-period {int(t['health_check_grace_period'])}s \\",
            f"  --volume {shlex.quote(host_logs + ':' + APP_LOG_DIR)} \\",
        ]
    )
    unit = f"atelier-watchdog-{container}"
    script = f"/usr/local/bin/{unit}"
    watchdog = (
        f"mkdir -p {shlex.quote(host_logs)}\n"
        f"cat > {script} <<'WATCHDOG'\n"
        "#!/usr/bin/env bash\n"
        f"# Restarts the {container} container when its Docker health check says unhealthy (written by the user data).\n"
        f"status=$(docker inspect --format '{{{{.State.Health.Status}}}}' {shlex.quote(container)} 2>/dev/null || echo missing)\n"
        'if [ "${status}" = unhealthy ]; then\n'
        f'  echo "$(date -Is) {container} is unhealthy: restarting it" >> {HOST_LOG_DIR}/watchdog.log\n'
        f"  docker restart {shlex.quote(container)}\n"
        "fi\n"
        "WATCHDOG\n"
        f"chmod 0755 {script}\n"
        f"cat > /etc/systemd/system/{unit}.service <<'UNIT'\n"
        "[Unit]\n"
        f"Description=Restart the {container} container when it is unhealthy\n"
        "After=docker.service\n"
        "Requires=docker.service\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={script}\n"
        "UNIT\n"
        f"cat > /etc/systemd/system/{unit}.timer <<'UNIT'\n"
        "[Unit]\n"
        f"Description=Check the {container} container's health every {int(check['interval'])} s\n"
        "[Timer]\n"
        f"OnActiveSec={int(t['health_check_grace_period'])}s\n"
        f"OnUnitActiveSec={int(check['interval'])}s\n"
        "AccuracySec=1s\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
        "UNIT\n"
        "systemctl daemon-reload\n"
        f"systemctl enable --now {unit}.timer\n"
    )
    parameter = names["cloudwatch_agent_parameter"]
    agent = (
        "start_cloudwatch_agent() {\n"
        "  dnf install -y amazon-cloudwatch-agent &&\n"
        f"    {AGENT_CTL} -a fetch-config -m ec2 -s -c {shlex.quote('ssm:' + parameter)}\n"
        "}\n"
        f"retry start_cloudwatch_agent || echo \"the CloudWatch agent did not start (configuration ssm:{parameter}); "
        "the application runs without memory and disk metrics\" >&2\n"
    )
    return {"health_options": health_options, "watchdog": watchdog, "agent": agent, "agent_parameter": parameter}


# ---- trust policies -------------------------------------------------------------------------------------------------

# The service principals whose role assumption AWS documents with aws:SourceAccount / aws:SourceArn, and the source
# ARN each sends (None: the caller gives it). EC2 (instance profiles) is not among them: AWS's EC2 documentation gives
# the instance role's trust policy without conditions, and iam:PassRole (same account only) guards it.
SOURCE_ARN = {
    # https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
    "vpc-flow-logs.amazonaws.com": "arn:{partition}:ec2:{region}:{account}:vpc-flow-log/*",
    # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html
    "monitoring.rds.amazonaws.com": "arn:{partition}:rds:{region}:{account}:db:*",
    # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html (execution and task roles)
    "ecs-tasks.amazonaws.com": "arn:{partition}:ecs:{region}:{account}:*",
    # https://docs.aws.amazon.com/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html
    "codebuild.amazonaws.com": "arn:{partition}:codebuild:{region}:{account}:project/*",
    # https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#security_iam_service-with-iam-roles
    "codepipeline.amazonaws.com": "arn:{partition}:codepipeline:{region}:{account}:*",
}


def service_trust_policy(service, account="", partition="aws", region="", source_arn=None, account_only=False):
    """The trust policy of a role a service assumes: ``sts:AssumeRole`` for the service principal, under
    ``aws:SourceAccount`` = account and ``aws:SourceArn`` like source_arn (else the service's documented source ARN
    pattern) for the services of SOURCE_ARN; EC2 and other services without documented conditions: no condition.
    account_only: ``aws:SourceAccount`` only, for any service (a Lambda execution role: the service's resources of this
    account, whatever their ARN)."""
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if account_only or service in SOURCE_ARN:
        if not account:
            raise ValueError(f"the trust policy of a {service} role needs the account (aws:SourceAccount)")
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": str(account)}}
    if service in SOURCE_ARN and not account_only:
        arn = source_arn or SOURCE_ARN[service].format(partition=partition, region=region or "*", account=account)
        statement["Condition"]["ArnLike"] = {"aws:SourceArn": arn}
    return {"Version": "2012-10-17", "Statement": [statement]}


# AWS WAF's bounds of a rate-based rule's limit (requests in 5 minutes from one IP address).
# https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
RATE_LIMIT_RANGE = (10, 2000000000)


def web_acl_rules(rate_limit):
    """The rules of a web ACL the collection creates (a distribution's or a load balancer's), in
    community.aws.wafv2_web_acl's form: AWS's managed common rule set (its own actions), then a block of any IP address
    above rate_limit requests in 5 minutes."""
    if isinstance(rate_limit, bool) or not isinstance(rate_limit, int) and not str(rate_limit).isdigit():
        raise ValueError(f"the rate limit must be a whole number of requests, got {rate_limit!r}")
    limit = int(rate_limit)
    low, high = RATE_LIMIT_RANGE
    if not low <= limit <= high:
        raise ValueError(f"the rate limit must be between {low} and {high} requests in 5 minutes, got {limit}")

    def visibility(metric):
        return {"sampled_requests_enabled": True, "cloud_watch_metrics_enabled": True, "metric_name": metric}

    return [
        {"name": "AWSManagedRulesCommonRuleSet", "priority": 0, "override_action": {"none": {}},
         "visibility_config": visibility("common-rule-set"),
         "statement": {"managed_rule_group_statement": {"vendor_name": "AWS", "name": "AWSManagedRulesCommonRuleSet"}}},
        {"name": "rate-limit", "priority": 1, "action": {"block": {}}, "visibility_config": visibility("rate-limit"),
         "statement": {"rate_based_statement": {"limit": limit, "aggregate_key_type": "IP"}}},
    ]
