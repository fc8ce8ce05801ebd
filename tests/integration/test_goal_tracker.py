"""The goal-tracker system end to end against the emulator, through inventories/goal-tracker: RDS PostgreSQL with
its secret instead of DynamoDB, a bastion, ECR, the tiers behind a public and an internal ALB, alarms and a
dashboard, the scaling-events rule to the alarm topic, the CloudWatch agent's configuration and the containers'
health check, the frontend's domain (HTTPS 443 with an ISSUED certificate, 80 redirecting, its names in a hosted zone
the stack creates); deployed, re-run without change, removed with the final DB snapshot kept, the domain's records,
certificate and zone gone.

The deploy is the worker's (tests/conftest.py goal_tracker_deploy): the tests that destroy it run after every test
that reads it (tests/conftest.py SHARED), the removal here last, on the stack the lost-answer test of
tests/reliability/test_lost_responses_stack.py converged to (exactly what the clean deploy holds) or, run alone, on the
deploy itself.
"""

import base64
import json

import pytest

from tests.integration import plan_counts

INVENTORY = "inventories/goal-tracker"
PREFIX = "dev-goal-tracker"
DB = f"{PREFIX}-postgres"
SECRET = f"{PREFIX}-db-credentials"
ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:{PREFIX}-alarms"
ZONE = "goal-tracker.example.com"
NAMES = [ZONE, f"www.{ZONE}"]
SCALING_EVENTS = ["EC2 Instance Launch Successful", "EC2 Instance Launch Unsuccessful",
                  "EC2 Instance Terminate Successful", "EC2 Instance Terminate Unsuccessful"]


@pytest.fixture
def runs(goal_tracker_deploy):
    """The plan of the empty account (make plan), then the deploy, each with the plan callback's JSON: the worker's
    goal-tracker deploy (tests/conftest.py goal_tracker_deploy, shared with tests/reliability/test_teardown_keeps_data.py
    and test_lost_responses_stack.py)."""
    deploy = goal_tracker_deploy.deployed()
    return {"plan": goal_tracker_deploy.plan, "plan_json": goal_tracker_deploy.plan_json,
            "deploy": deploy, "deploy_json": goal_tracker_deploy.run_json}


@pytest.fixture
def deployed(goal_tracker_deploy):
    """The deploy run of the stack the emulator holds (deployed anew if a test before changed it)."""
    return goal_tracker_deploy.deployed()


def test_the_plan_of_the_empty_account_is_what_the_deploy_creates(runs):
    assert runs["plan"].mutating == []
    plan_counts.assert_plan_is_what_the_deploy_made(runs["plan"], runs["plan_json"], runs["deploy"], runs["deploy_json"])
    # The parts whose roles used to skip in check mode are in the plan, type by type.
    added = plan_counts.added(runs["plan_json"])
    assert added["db instance"] == added["db subnet group"] == added["db parameter group"] == 1
    assert added["ec2 instance"] == 1 and added["sns topic"] == 1 and added["eventbridge rule"] == 1


def test_the_database_is_the_goal_tracker_systems(deployed, emulator):
    rds = emulator.client("rds")
    db = rds.describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]
    assert (db["Engine"], db["EngineVersion"], db["DBInstanceClass"]) == ("postgres", "15.18", "db.t3.micro")
    assert (db["AllocatedStorage"], db["StorageType"], db["StorageEncrypted"]) == (20, "gp3", True)
    assert db["PubliclyAccessible"] is False and db["MultiAZ"] is False and db["DeletionProtection"] is True
    assert db["BackupRetentionPeriod"] == 7 and db["PreferredBackupWindow"].startswith("03:00-")
    assert sorted(db["EnabledCloudwatchLogsExports"]) == ["postgresql", "upgrade"]
    assert db["DBName"] == "goalsdb" and db["MasterUsername"] == "postgres"
    # In the isolated database subnets, behind the database group only.
    ec2 = emulator.client("ec2")
    subnet_ids = [s["SubnetIdentifier"] for s in db["DBSubnetGroup"]["Subnets"]]
    subnets = ec2.describe_subnets(SubnetIds=subnet_ids)["Subnets"]
    assert sorted(s["CidrBlock"] for s in subnets) == ["10.0.31.0/24", "10.0.32.0/24"]
    groups = ec2.describe_security_groups(GroupIds=[g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]])["SecurityGroups"]
    assert [g["GroupName"] for g in groups] == [f"{PREFIX}-database"]
    assert db["DBParameterGroups"][0]["DBParameterGroupName"] != "default.postgres15"


def test_the_secret_holds_the_goal_tracker_json_and_only_the_backend_reads_it(deployed, emulator):
    sm = emulator.client("secretsmanager")
    value = json.loads(sm.get_secret_value(SecretId=SECRET)["SecretString"])
    assert set(value) == {"username", "password", "engine", "host", "port", "dbname"}
    db = emulator.client("rds").describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]
    assert value["host"] == db["Endpoint"]["Address"] and int(value["port"]) == 5432
    assert value["username"] == "postgres" and value["dbname"] == "goalsdb" and len(value["password"]) >= 32
    assert value["password"] not in deployed.output
    arn = sm.describe_secret(SecretId=SECRET)["ARN"]
    iam = emulator.client("iam")
    docs = {}
    for tier in ("frontend", "backend"):
        role = f"{PREFIX}-{tier}-instance"
        names = iam.list_role_policies(RoleName=role)["PolicyNames"]
        docs[tier] = [json.dumps(iam.get_role_policy(RoleName=role, PolicyName=n)["PolicyDocument"]) for n in names]
    assert any(SECRET in d for d in docs["backend"]) and arn.rsplit("-", 1)[0] in " ".join(docs["backend"])
    assert not any(SECRET in d for d in docs["frontend"])


def test_bastion_ecr_alarms_and_dashboard(deployed, emulator):
    ec2 = emulator.client("ec2")
    reservations = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": [f"{PREFIX}-bastion"]},
                                                    {"Name": "instance-state-name", "Values": ["running", "pending"]}])["Reservations"]
    bastions = [i for r in reservations for i in r["Instances"]]
    assert len(bastions) == 1
    bastion = bastions[0]
    assert bastion["InstanceType"] == "t2.micro" and bastion["MetadataOptions"]["HttpTokens"] == "required"
    # No bastion_public_key: Session Manager only - no public IP, in the first private tier (frontend), whose NAT
    # gateway carries the SSM agent's traffic.
    assert not bastion.get("PublicIpAddress")
    subnet = ec2.describe_subnets(SubnetIds=[bastion["SubnetId"]])["Subnets"][0]
    assert subnet["CidrBlock"] in ("10.0.11.0/24", "10.0.12.0/24")
    repos = {r["repositoryName"]: r for r in emulator.client("ecr").describe_repositories()["repositories"]}
    names = (f"{PREFIX}/goal-tracker-frontend", f"{PREFIX}/goal-tracker-backend")
    assert set(names) <= set(repos)
    assert all(repos[n]["imageScanningConfiguration"]["scanOnPush"] for n in names)
    # The monitoring role's alarms (named <prefix>/...; the tiers' step-scaling alarms are the asg role's).
    alarms = {a["AlarmName"]: a for a in emulator.client("cloudwatch").describe_alarms()["MetricAlarms"] if a["AlarmName"].startswith(PREFIX + "/")}
    assert sorted(alarms) == sorted(
        [f"{PREFIX}/{tier}/{what}" for tier in ("frontend", "backend") for what in ("cpu-high", "unhealthy-targets", "alb-5xx-rate")]
        + [f"{PREFIX}/rds/cpu-high", f"{PREFIX}/rds/free-storage-low"]
    )  # the goal-tracker system has no DynamoDB table: no DynamoDB alarm
    topic = f"arn:aws:sns:us-east-1:123456789012:{PREFIX}-alarms"
    assert all(a["AlarmActions"] == [topic] for a in alarms.values())
    for tier in ("frontend", "backend"):
        cpu = alarms[f"{PREFIX}/{tier}/cpu-high"]
        assert (cpu["Namespace"], cpu["Threshold"], cpu["Dimensions"]) == ("AWS/EC2", 80, [{"Name": "AutoScalingGroupName", "Value": f"{PREFIX}-{tier}"}])
        assert alarms[f"{PREFIX}/{tier}/alb-5xx-rate"]["Metrics"]
    rds_cpu = alarms[f"{PREFIX}/rds/cpu-high"]
    assert rds_cpu["Dimensions"] == [{"Name": "DBInstanceIdentifier", "Value": DB}] and rds_cpu["Threshold"] == 80
    assert emulator.client("cloudwatch").list_dashboards()["DashboardEntries"]
    assert not emulator.client("dynamodb").list_tables()["TableNames"]


def test_each_tier_has_its_cloudwatch_agent_configuration_and_a_healing_container(deployed, emulator):
    ssm, ec2 = emulator.client("ssm"), emulator.client("ec2")
    for tier, port in (("frontend", 3000), ("backend", 8080)):
        parameter = f"AmazonCloudWatch-{PREFIX}-{tier}"
        config = json.loads(ssm.get_parameter(Name=parameter)["Parameter"]["Value"])
        assert set(config["metrics"]["metrics_collected"]) == {"mem", "disk"}
        logs = config["logs"]["logs_collected"]["files"]["collect_list"]
        assert {entry["log_group_name"] for entry in logs} == {f"/aws/ec2/{PREFIX}/{tier}"}
        versions = ec2.describe_launch_template_versions(LaunchTemplateName=f"{PREFIX}-{tier}", Versions=["$Latest"])
        user_data = base64.b64decode(versions["LaunchTemplateVersions"][0]["LaunchTemplateData"]["UserData"]).decode()
        assert f"--health-cmd 'curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:{port}/" in user_data
        assert f"systemctl enable --now atelier-watchdog-{tier}.timer" in user_data
        assert f"docker restart {tier}" in user_data
        assert f"amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:{parameter}" in user_data


def _zones(emulator):
    return [z for z in emulator.client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == ZONE + "."]


def _certificates(emulator):
    acm = emulator.client("acm")
    return [acm.describe_certificate(CertificateArn=c["CertificateArn"])["Certificate"]
            for c in acm.list_certificates()["CertificateSummaryList"]]


def test_the_frontend_serves_its_names_over_https_from_a_zone_the_stack_created(deployed, emulator):
    # The zone: created by the stack (dns_zone_create), tagged as its own.
    route53 = emulator.client("route53")
    zones = _zones(emulator)
    assert len(zones) == 1 and zones[0]["Config"]["PrivateZone"] is False
    zone_id = zones[0]["Id"].split("/")[-1]
    tags = {t["Key"]: t["Value"] for t in route53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id)["ResourceTagSet"]["Tags"]}
    assert tags == {"atelier:env": "dev", "atelier:stack": "goal-tracker", "Name": ZONE, "atelier:created-by": "atelier.infra.dns"}
    # One regional certificate for the names, ISSUED (no CloudFront: no us-east-1 one besides).
    certificates = _certificates(emulator)
    assert [(c["DomainName"], sorted(c["SubjectAlternativeNames"]), c["Status"]) for c in certificates] == [(ZONE, NAMES, "ISSUED")]
    certificate = certificates[0]
    # The internet-facing ALB: HTTPS 443 with it, 80 redirecting there; the internal backend ALB has no domain.
    elbv2 = emulator.client("elbv2")
    balancer = elbv2.describe_load_balancers(Names=[f"{PREFIX}-frontend"])["LoadBalancers"][0]
    listeners = {l["Port"]: l for l in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]}
    assert sorted(listeners) == [80, 443] and listeners[443]["Protocol"] == "HTTPS"
    assert [c["CertificateArn"] for c in listeners[443]["Certificates"]] == [certificate["CertificateArn"]]
    assert listeners[443]["DefaultActions"][0]["Type"] == "forward"
    redirect = listeners[80]["DefaultActions"][0]
    assert redirect["Type"] == "redirect" and (redirect["RedirectConfig"]["Protocol"], redirect["RedirectConfig"]["Port"]) == ("HTTPS", "443")
    assert balancer["LoadBalancerArn"] in certificate["InUseBy"]
    internal = elbv2.describe_load_balancers(Names=[f"{PREFIX}-backend"])["LoadBalancers"][0]
    assert [l["Port"] for l in elbv2.describe_listeners(LoadBalancerArn=internal["LoadBalancerArn"])["Listeners"]] == [80]
    # The records: each name an alias of the ALB, the validation records, nothing else but NS, SOA and the markers.
    sets = {(r["Name"].rstrip(".").lower(), r["Type"]): r for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]}
    for name in NAMES:
        alias = sets[(name, "A")]["AliasTarget"]
        assert (alias["DNSName"].rstrip(".").lower(), alias["HostedZoneId"]) == (balancer["DNSName"].lower(), balancer["CanonicalHostedZoneId"])
    validation = {(o["ResourceRecord"]["Name"].rstrip(".").lower(), "CNAME") for o in certificate["DomainValidationOptions"]}
    assert len(validation) == 2 and validation <= set(sets)
    assert {k for k in sets if not k[0].startswith("_atelier-owner-")} == {(ZONE, "NS"), (ZONE, "SOA"), *validation, *((n, "A") for n in NAMES)}
    assert " ".join(deployed.output.split()).count(f"https://www.{ZONE} (via the ALB)") == 1


def test_the_flow_log_role_trusts_only_this_accounts_flow_logs(deployed, emulator):
    role = f"{PREFIX}-vpc-flow-logs"
    mine = f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/fl-0123456789abcdef0"
    assert emulator.role_credentials(role, "vpc-flow-logs.amazonaws.com", source_account=ACCOUNT, source_arn=mine)
    for fields in ({"source_account": "210987654321", "source_arn": mine.replace(ACCOUNT, "210987654321")},
                   {"source_account": ACCOUNT, "source_arn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-1"},
                   {}):
        with pytest.raises(PermissionError):
            emulator.role_credentials(role, "vpc-flow-logs.amazonaws.com", **fields)


def test_the_summary_says_where_it_lives(deployed):
    text = " ".join(deployed.output.split())
    assert "Stack goal-tracker (dev)" in text
    assert f"{DB}." in text  # the database endpoint
    assert "Bastion" in text and "aws ssm start-session" in text


def test_a_second_run_and_the_plan_change_nothing(deployed, emulator):
    again = emulator.playbook("site.yml", inventory=INVENTORY)
    assert again.rc == 0, again.output[-20000:]
    assert again.changed == 0, again.output[-20000:]
    assert again.mutating == []
    # The step-scaling alarms name their policy's ARN, which autoscaling_policy (no check mode) does not return in
    # check mode: the plan of the deployed system must still run.
    plan = emulator.playbook("site.yml", "--check", inventory=INVENTORY)
    assert plan.rc == 0, plan.output[-20000:]
    assert plan.changed == 0, plan.output[-20000:]
    assert plan.mutating == []
    assert "Plan: 0 to add, 0 to change, 0 to destroy." in plan.output


def test_a_scaling_event_reaches_the_alarm_topic(deployed, emulator):
    events, sns, sqs, autoscaling = (emulator.client(s) for s in ("events", "sns", "sqs", "autoscaling"))
    rule = events.describe_rule(Name=f"{PREFIX}-scaling-events")
    pattern = json.loads(rule["EventPattern"])
    assert rule["State"] == "ENABLED" and pattern["source"] == ["aws.autoscaling"]
    assert pattern["detail-type"] == SCALING_EVENTS
    assert pattern["detail"]["AutoScalingGroupName"] == [f"{PREFIX}-backend", f"{PREFIX}-frontend"]
    assert [t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]] == [TOPIC]
    # A queue subscribed to the topic (removed again: the role purges subscriptions other than its e-mails).
    queue = sqs.create_queue(QueueName="goal-tracker-scaling-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    subscription = sns.subscribe(TopicArn=TOPIC, Protocol="sqs", Endpoint=queue_arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    group = f"{PREFIX}-backend"
    desired = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]["DesiredCapacity"]
    try:
        autoscaling.set_desired_capacity(AutoScalingGroupName=group, DesiredCapacity=desired + 1)
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        received = [json.loads(json.loads(m["Body"])["Message"]) for m in messages]
        assert [(e["detail-type"], e["detail"]["AutoScalingGroupName"]) for e in received] == [
            ("EC2 Instance Launch Successful", group)]
    finally:
        autoscaling.set_desired_capacity(AutoScalingGroupName=group, DesiredCapacity=desired)
        sns.unsubscribe(SubscriptionArn=subscription)
        sqs.delete_queue(QueueUrl=queue)


def test_destroy_keeps_only_the_final_snapshot(deployed, emulator):
    gone = emulator.playbook("playbooks/teardown.yml", inventory=INVENTORY, extra_vars={"atelier_teardown_delete_data": True})
    assert gone.rc == 0, gone.output[-20000:]
    rds = emulator.client("rds")
    assert rds.describe_db_instances()["DBInstances"] == []
    snapshots = [s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]]
    assert len(snapshots) == 1 and snapshots[0].startswith(f"{DB}-final-")
    assert emulator.client("ecr").describe_repositories()["repositories"] == []
    assert [a["AlarmName"] for a in emulator.client("cloudwatch").describe_alarms()["MetricAlarms"]] == []
    assert emulator.client("events").list_rules(NamePrefix=PREFIX)["Rules"] == []
    assert emulator.client("ssm").describe_parameters(
        ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": [f"AmazonCloudWatch-{PREFIX}"]}])["Parameters"] == []
    assert emulator.client("cloudwatch").list_dashboards()["DashboardEntries"] == []
    assert emulator.client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [PREFIX]}])["Vpcs"] == []
    secrets = emulator.client("secretsmanager").list_secrets()["SecretList"]
    assert not [s for s in secrets if s["Name"] == SECRET and not s.get("DeletedDate")]
    # The domain: its certificate, its records and the zone the stack created (empty then) are gone.
    assert _certificates(emulator) == [] and _zones(emulator) == []
    assert f"hosted zone {ZONE} (" not in gone.output  # not in the list of what was kept
