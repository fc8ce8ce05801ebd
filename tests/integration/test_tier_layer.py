"""The application tiers end to end against the emulator: both shared tiers deployed at once, verified through the API,
re-run without change, rolled by one instance refresh when the launch template changes, and removed.
"""

import base64
import json
import xml.dom.minidom

import pytest
import yaml

from tests.integration import plan_counts

from emulator.harness import REPO_ROOT

SHARED_TIERS = yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]
# The backend is granted the stack's table (its grants): the table is deployed with the tiers.
TAGS = "vpc,security_groups,dynamodb_global,alb,cloudfront,asg_launch_template"
PREFIX = "local-atelier"


def tags(resource, key="Key", value="Value"):
    return {t[key]: t[value] for t in resource.get("Tags", [])}


@pytest.fixture(scope="module")
def aws(emulator):
    return {name: emulator.client(name) for name in ("ec2", "elbv2", "autoscaling", "iam", "logs", "cloudwatch", "cloudfront", "secretsmanager")}


@pytest.fixture(scope="module")
def deployed(emulator, tiers_deploy):
    # The worker's plan and deploy of these tiers on an empty account (tests/conftest.py tiers_deploy, shared with
    # test_tier_grants.py, whose tests run between this file's that read the stack and those that change it).
    assert tiers_deploy.TAGS == TAGS
    plan, plan_json = tiers_deploy.plan, tiers_deploy.plan_json
    deploy, deploy_json = tiers_deploy.deploy, tiers_deploy.deploy_json
    cloudfront = emulator.client("cloudfront")
    listed = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    return {"plan": plan, "deploy": deploy, "distributions": listed, "plan_json": plan_json, "deploy_json": deploy_json}


def distributions(deployed):
    return deployed["distributions"]


def test_plan_on_an_empty_account_mutates_nothing(deployed):
    plan = deployed["plan"]
    assert plan.rc == 0, plan.output
    assert plan.mutating == []
    text = " ".join(plan.output.split())
    assert "Would create the frontend ALB local-atelier-frontend and target group local-atelier-frontend-tg" in text
    # The frontend calls the backend through its distribution, which the plan does not create.
    assert "BACKEND_URL would be known once backend's distribution exists" in text
    # The backend's table does not exist yet either: the plan grants it in the home region only, and says so.
    assert (
        "The DynamoDB table local-atelier-AtelierDB does not exist yet, so the backend tier's policy would name it in "
        "us-east-1 only"
    ) in text


def test_the_plan_of_an_empty_account_is_what_the_deploy_creates(deployed):
    plan_counts.assert_plan_is_what_the_deploy_made(deployed["plan"], deployed["plan_json"], deployed["deploy"], deployed["deploy_json"])
    added = plan_counts.added(deployed["plan_json"])
    assert added["ssm parameter"] == 2 and added["cloudfront distribution"] == 2 and added["dynamodb table"] == 1


def test_both_tiers_converge_at_the_same_time(deployed):
    # One inventory host per tier: the ALB tasks of frontend and backend run side by side in the same task.
    output = deployed["deploy"].output
    block = output.split("TASK [atelier.infra.alb : Converge the load balancer, its attributes and listeners")[1].split("TASK [")[0]
    assert "changed: [frontend]" in block and "changed: [backend]" in block


def test_albs_listeners_and_target_groups_match_the_tiers(deployed, aws):
    elbv2 = aws["elbv2"]
    lbs = {lb["LoadBalancerName"]: lb for lb in elbv2.describe_load_balancers()["LoadBalancers"]}
    assert lbs[f"{PREFIX}-frontend"]["Scheme"] == "internet-facing"
    assert lbs[f"{PREFIX}-backend"]["Scheme"] == "internet-facing"
    ec2 = aws["ec2"]
    for tier in SHARED_TIERS:
        lb = lbs[f"{PREFIX}-{tier['name']}"]
        subnets = ec2.describe_subnets(SubnetIds=[az["SubnetId"] for az in lb["AvailabilityZones"]])["Subnets"]
        want_subnets = "public" if tier["alb_scheme"] == "internet-facing" else tier["name"]
        assert {tags(s)["atelier:tier"] for s in subnets} == {want_subnets}
        assert len({s["AvailabilityZone"] for s in subnets}) == 2
        (sg,) = ec2.describe_security_groups(GroupIds=lb["SecurityGroups"])["SecurityGroups"]
        assert sg["GroupName"] == f"{PREFIX}-{tier['name']}-alb"
        attributes = {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]}
        assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
        assert attributes["deletion_protection.enabled"] == "false"
        assert attributes["idle_timeout.timeout_seconds"] == "60"
        assert attributes["access_logs.s3.enabled"] == "false"
        (tg,) = elbv2.describe_target_groups(Names=[f"{PREFIX}-{tier['name']}-tg"])["TargetGroups"]
        assert (tg["Protocol"], tg["Port"], tg["HealthCheckPath"], tg["Matcher"]["HttpCode"]) == ("HTTP", tier["app_port"], "/", "200-399")
        assert (tg["HealthCheckIntervalSeconds"], tg["HealthyThresholdCount"], tg["UnhealthyThresholdCount"]) == (30, 2, 3)
        tg_attributes = {a["Key"]: a["Value"] for a in elbv2.describe_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"])["Attributes"]}
        assert tg_attributes["deregistration_delay.timeout_seconds"] == "30"
        (listener,) = elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
        assert (listener["Protocol"], listener["Port"]) == ("HTTP", 80)
        # Behind CloudFront: 403 unless the request carries the origin header, which forwards.
        assert tier["cloudfront"] is True
        assert listener["DefaultActions"][0]["Type"] == "fixed-response"
        assert listener["DefaultActions"][0]["FixedResponseConfig"]["StatusCode"] == "403"
        (rule,) = [r for r in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] if not r["IsDefault"]]
        assert rule["Conditions"][0]["HttpHeaderConfig"]["HttpHeaderName"] == "X-Origin-Verify"
        assert rule["Actions"][0]["TargetGroupArn"] == tg["TargetGroupArn"]


def test_groups_run_the_tiers_instances_in_private_subnets_with_imdsv2(deployed, aws):
    ec2, autoscaling = aws["ec2"], aws["autoscaling"]
    elbv2 = aws["elbv2"]
    for tier in SHARED_TIERS:
        (group,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[f"{PREFIX}-{tier['name']}"])["AutoScalingGroups"]
        assert (group["MinSize"], group["DesiredCapacity"], group["MaxSize"]) == (tier["min_size"], tier["desired_capacity"], tier["max_size"])
        assert group["HealthCheckType"] == tier["health_check_type"]
        assert group["HealthCheckGracePeriod"] == 300
        (tg,) = elbv2.describe_target_groups(Names=[f"{PREFIX}-{tier['name']}-tg"])["TargetGroups"]
        assert group["TargetGroupARNs"] == [tg["TargetGroupArn"]]
        subnets = ec2.describe_subnets(SubnetIds=group["VPCZoneIdentifier"].split(","))["Subnets"]
        assert {tags(s)["atelier:tier"] for s in subnets} == {tier["name"]}
        assert len(group["Instances"]) == tier["desired_capacity"]
        ids = [i["InstanceId"] for i in group["Instances"]]
        for reservation in ec2.describe_instances(InstanceIds=ids)["Reservations"]:
            for instance in reservation["Instances"]:
                assert instance["MetadataOptions"]["HttpTokens"] == "required"
                assert instance["MetadataOptions"]["HttpPutResponseHopLimit"] == 1
                assert "PublicIpAddress" not in instance
                assert instance["InstanceType"] == tier["instance_type"]
                assert tags(instance)["atelier:tier"] == tier["name"]


def test_launch_templates_and_user_data(deployed, aws):
    ec2 = aws["ec2"]
    for tier in SHARED_TIERS:
        (version,) = ec2.describe_launch_template_versions(LaunchTemplateName=f"{PREFIX}-{tier['name']}", Versions=["$Latest"])["LaunchTemplateVersions"]
        data = version["LaunchTemplateData"]
        assert data["MetadataOptions"]["HttpTokens"] == "required"
        (device,) = data["BlockDeviceMappings"]
        assert device["Ebs"]["VolumeType"] == "gp3" and device["Ebs"]["Encrypted"] is True
        (nic,) = data["NetworkInterfaces"]
        assert nic["AssociatePublicIpAddress"] is False
        assert data["IamInstanceProfile"]["Arn"].endswith(f":instance-profile/{PREFIX}-{tier['name']}-instance")
        user_data = base64.b64decode(data["UserData"]).decode()
        # Images live under the stack's repository namespace (the container_registry role's): <registry>/<prefix>/<image>.
        assert f"readonly IMAGE=123456789012.dkr.ecr.us-east-1.amazonaws.com/{PREFIX}/{tier['image']}\n" in user_data
        assert f"readonly APP_PORT={tier['app_port']}" in user_data
    backend = base64.b64decode(
        ec2.describe_launch_template_versions(LaunchTemplateName=f"{PREFIX}-backend", Versions=["$Latest"])["LaunchTemplateVersions"][0]["LaunchTemplateData"]["UserData"]
    ).decode()
    # The backend is granted its stack's table: the container is told its name and region, and reads no secret.
    assert f"--env DYNAMODB_TABLE={PREFIX}-AtelierDB \\\n" in backend and "--env AWS_REGION=us-east-1 \\\n" in backend
    assert "secret_string" not in backend
    frontend = base64.b64decode(
        ec2.describe_launch_template_versions(LaunchTemplateName=f"{PREFIX}-frontend", Versions=["$Latest"])["LaunchTemplateVersions"][0]["LaunchTemplateData"]["UserData"]
    ).decode()
    # The backend is behind CloudFront: the frontend calls it through its distribution.
    (backend_cdn,) = [d for d in aws["cloudfront"].list_distributions()["DistributionList"]["Items"] if d["Comment"] == f"{PREFIX}-backend"]
    assert f"--env BACKEND_URL=https://{backend_cdn['DomainName']}" in frontend
    assert "unknown" not in frontend


def test_instance_roles_have_one_policy_with_exactly_the_tiers_grants(deployed, aws):
    iam = aws["iam"]
    backend_role = f"{PREFIX}-backend-instance"
    assert iam.list_role_policies(RoleName=backend_role)["PolicyNames"] == ["tier-access"]
    policy = iam.get_role_policy(RoleName=backend_role, PolicyName="tier-access")["PolicyDocument"]
    if isinstance(policy, str):
        policy = json.loads(policy)
    resources = {s["Sid"]: [s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"] for s in policy["Statement"]}
    # The table (and its indexes) in its home region and in each replica's: nothing else, never "*".
    tables = [f"arn:aws:dynamodb:{r}:123456789012:table/{PREFIX}-AtelierDB" for r in ("af-south-1", "eu-west-1", "us-east-1")]
    assert resources == {"DynamodbTableAtelierdb": tables, "DynamodbTableAtelierdbIndexes": [t + "/index/*" for t in tables]}
    # A tier granted nothing and reading no secret has no inline policy at all.
    assert iam.list_role_policies(RoleName=f"{PREFIX}-frontend-instance")["PolicyNames"] == []
    attached = {p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=backend_role)["AttachedPolicies"]}
    assert attached == {"AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"}


def test_cpu_target_tracking_and_log_groups(deployed, aws):
    for tier in SHARED_TIERS:
        group = f"{PREFIX}-{tier['name']}"
        (policy,) = aws["autoscaling"].describe_policies(AutoScalingGroupName=group)["ScalingPolicies"]
        assert policy["PolicyName"] == f"{group}-cpu-target"
        assert policy["TargetTrackingConfiguration"]["TargetValue"] == 70.0
        assert policy["TargetTrackingConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"] == "ASGAverageCPUUtilization"
        (log_group,) = aws["logs"].describe_log_groups(logGroupNamePrefix=f"/aws/ec2/{PREFIX}/{tier['name']}")["logGroups"]
        assert log_group["retentionInDays"] == 30


def test_summary_says_where_the_tiers_live(deployed):
    text = " ".join(deployed["deploy"].output.split())
    assert "Tier frontend: internet-facing ALB http://local-atelier-frontend-" in text
    assert "Tier backend: internet-facing ALB http://local-atelier-backend-" in text
    for tier in SHARED_TIERS:
        (distribution,) = [d for d in distributions(deployed) if d["Comment"] == f"{PREFIX}-{tier['name']}"]
        assert f"CloudFront {distribution['Id']} https://{distribution['DomainName']}" in text


def test_second_run_and_plan_change_nothing(deployed, emulator):
    again = emulator.playbook("site.yml", "--tags", TAGS)
    assert again.rc == 0, again.output
    assert again.changed == 0, again.output
    assert again.mutating == []
    # Each tier's target group and load balancer are read once by the roles: the alb role's plan read serves its
    # converge and the runtime role (alb_outputs), its read of the load balancer (with its attributes, listeners, rules
    # and tags) finds nothing to change, so neither pass of elb_application_lb runs. The asg role reads its group by name
    # with the AMI's parameter and the launch template (aws_values_info): no lifecycle hooks, no target groups again.
    actions = [r["action"] for r in again.requests]
    # playbooks/tiers.yml reads what the roles keep once for every tier (two aws_values_info runs): one call finds all
    # the tiers' load balancers, target groups, groups, launch templates, SSM parameters, tags and web ACLs; what
    # AWS describes one at a time is read once per tier. The roles read none of it again.
    for action in ("DescribeTargetGroups", "DescribeLoadBalancers", "DescribeTags", "DescribeAutoScalingGroups", "DescribeLaunchTemplates",
                   "GetParameters", "ListWebACLs"):
        assert actions.count(action) == 1, (action, actions)
    for action in ("DescribeLoadBalancerAttributes", "DescribeListeners", "DescribeRules", "DescribeTargetGroupAttributes",
                   "DescribeLaunchTemplateVersions"):
        assert actions.count(action) == len(SHARED_TIERS), (action, actions)
    assert "DescribeLifecycleHooks" not in actions and "GetInstanceProfile" not in actions, actions
    # Each tier's origin secret is read once, with what it is (DescribeSecret, GetResourcePolicy): the alb role runs
    # community.aws.secretsmanager_secret only when the secret differs; the cloudfront role takes the value from
    # alb_origin_outputs.
    for action in ("GetSecretValue", "DescribeSecret", "GetResourcePolicy"):
        assert actions.count(action) == len(SHARED_TIERS), (action, actions)
    plan = emulator.playbook("site.yml", "--tags", TAGS, "--check")
    assert plan.rc == 0 and plan.changed == 0, plan.output
    assert plan.mutating == []


def test_an_origin_secret_changed_behind_the_collection_is_corrected_and_keeps_its_value(deployed, emulator, aws):
    """The alb role reads the origin secret and keeps it only when it differs: tags taken away, a resource policy and a
    deletion scheduled by hand are all found by the read and undone by the next run, and the value stays the one the
    listener rule checks."""
    secrets = aws["secretsmanager"]
    frontend, backend = f"{PREFIX}/frontend/origin-verify", f"{PREFIX}/backend/origin-verify"
    names = {s["Name"] for s in secrets.list_secrets()["SecretList"]}
    assert {frontend, backend} <= names, names
    values = {name: secrets.get_secret_value(SecretId=name)["SecretString"] for name in (frontend, backend)}
    tags = secrets.describe_secret(SecretId=frontend)["Tags"]
    secrets.untag_resource(SecretId=frontend, TagKeys=[tag["Key"] for tag in tags])
    secrets.put_resource_policy(SecretId=frontend, ResourcePolicy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}],
    }))
    secrets.delete_secret(SecretId=backend, RecoveryWindowInDays=7)
    run = emulator.playbook("site.yml", "--tags", "alb")
    assert run.rc == 0, run.output
    assert run.changed >= 2, run.output
    after = secrets.describe_secret(SecretId=frontend)
    assert sorted(after["Tags"], key=lambda t: t["Key"]) == sorted(tags, key=lambda t: t["Key"])
    assert "ResourcePolicy" not in secrets.get_resource_policy(SecretId=frontend)
    assert "DeletedDate" not in secrets.describe_secret(SecretId=backend)
    assert {name: secrets.get_secret_value(SecretId=name)["SecretString"] for name in (frontend, backend)} == values
    # The rules still check the values kept, and the next run has nothing to do.
    again = emulator.playbook("site.yml", "--tags", "alb")
    assert again.rc == 0 and again.changed == 0 and again.mutating == [], again.output


def test_an_agent_parameter_changed_behind_the_collection_is_corrected(deployed, emulator):
    """The asg role reads the CloudWatch agent's parameter with the AMI's and keeps it only when it differs: a value
    and tags changed by hand are found by that read and put back by the next run, which is then the last to change."""
    ssm = emulator.client("ssm")
    name = f"AmazonCloudWatch-{PREFIX}-frontend"
    value = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"]
    assert {t["Key"] for t in tags} >= {"atelier:env", "atelier:stack"}, tags
    ssm.put_parameter(Name=name, Value='{"by": "hand"}', Type="String", Overwrite=True)
    ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId=name, TagKeys=["atelier:stack"])
    run = emulator.playbook("site.yml", "--tags", "asg_launch_template")
    assert run.rc == 0, run.output
    assert run.changed >= 1, run.output
    assert ssm.get_parameter(Name=name)["Parameter"]["Value"] == value
    after = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"]
    assert sorted(after, key=lambda t: t["Key"]) == sorted(tags, key=lambda t: t["Key"])
    again = emulator.playbook("site.yml", "--tags", "asg_launch_template")
    assert again.rc == 0 and again.changed == 0 and again.mutating == [], again.output


def test_an_instance_role_and_a_log_group_changed_behind_the_collection_are_corrected(deployed, emulator):
    """The asg role reads the instance role and the log group with the launch template, and runs iam_role_set and
    cloudwatch_log_group only when they differ: an inline policy edited, a managed policy detached, a tag taken away
    and a retention changed by hand are found by that read and put back by the next run, which is then the last to
    change, with neither module run again."""
    iam, logs = emulator.client("iam"), emulator.client("logs")
    role, group = f"{PREFIX}-backend-instance", f"/aws/ec2/{PREFIX}/backend"
    (policy,) = iam.list_role_policies(RoleName=role)["PolicyNames"]
    document = iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert attached, "the instance role has managed policies"
    (described,) = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    iam.put_role_policy(RoleName=role, PolicyName=policy, PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    iam.detach_role_policy(RoleName=role, PolicyArn=attached[0]["PolicyArn"])
    iam.untag_role(RoleName=role, TagKeys=["atelier:stack"])
    logs.put_retention_policy(logGroupName=group, retentionInDays=1)
    run = emulator.playbook("site.yml", "--tags", "asg_launch_template")
    assert run.rc == 0 and run.changed >= 2, run.output
    assert iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"] == document
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == attached
    assert "atelier:stack" in {t["Key"] for t in iam.list_role_tags(RoleName=role)["Tags"]}
    (fixed,) = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert fixed["retentionInDays"] == described["retentionInDays"] == 30
    again = emulator.playbook("site.yml", "--tags", "asg_launch_template")
    assert again.rc == 0 and again.changed == 0 and again.mutating == [], again.output
    # Read once for every tier in the shared read; neither module runs (each would read its resource again).
    actions = [r["action"] for r in again.requests]
    assert actions.count("GetRole") == actions.count("DescribeLogGroups") == len(SHARED_TIERS), actions


def test_a_scaling_policy_changed_or_added_behind_the_collection_is_corrected(deployed, emulator):
    """The asg role reads every tier's scaling policies (and the alarms named as them) with the group, and runs
    autoscaling_policy_set only when they differ: a target value changed and a policy added by hand are found by that
    read and put back by the next run, which is then the last to change."""
    autoscaling = emulator.client("autoscaling")
    group = f"{PREFIX}-frontend"
    (policy,) = autoscaling.describe_policies(AutoScalingGroupName=group)["ScalingPolicies"]
    config = policy["TargetTrackingConfiguration"]
    autoscaling.put_scaling_policy(AutoScalingGroupName=group, PolicyName=policy["PolicyName"], PolicyType=policy["PolicyType"],
                                   TargetTrackingConfiguration=dict(config, TargetValue=config["TargetValue"] / 2))
    autoscaling.put_scaling_policy(AutoScalingGroupName=group, PolicyName="by-hand", PolicyType="SimpleScaling",
                                   AdjustmentType="ChangeInCapacity", ScalingAdjustment=3)
    run = emulator.playbook("site.yml", "--tags", "asg_launch_template")
    assert run.rc == 0 and run.changed >= 1, run.output
    (fixed,) = autoscaling.describe_policies(AutoScalingGroupName=group)["ScalingPolicies"]
    assert fixed["PolicyName"] == policy["PolicyName"]
    assert fixed["TargetTrackingConfiguration"]["TargetValue"] == config["TargetValue"]
    again = emulator.playbook("site.yml", "--tags", "asg_launch_template")
    assert again.rc == 0 and again.changed == 0 and again.mutating == [], again.output
    # The policies of each tier, and one DescribeAlarms for the alarms named as every tier's policies.
    actions = [r["action"] for r in again.requests]
    assert actions.count("DescribePolicies") == len(SHARED_TIERS) and actions.count("DescribeAlarms") == 1, actions


def test_a_missing_ami_parameter_fails_naming_the_tier_before_any_change(deployed, emulator):
    """The AMI's parameter is read with the agent's (on_missing skip): a parameter that does not exist still fails the
    tier, naming it, before the role converges anything."""
    tiers = [dict(t, ami_ssm_parameter="/atelier/no-such-ami") if t["name"] == "frontend" else t for t in SHARED_TIERS]
    run = emulator.playbook("site.yml", "--tags", "asg_launch_template", extra_vars={"atelier_tiers": tiers})
    assert run.rc != 0
    text = " ".join(run.output.split())
    assert "No SSM parameter /atelier/no-such-ami in us-east-1 (ParameterNotFound): the frontend tier's ami_ssm_parameter." in text, text
    assert run.mutating == []


def test_a_launch_template_changed_behind_the_collection_is_corrected(deployed, emulator, aws):
    """The asg role reads each launch template (and its latest version) with the AMI's parameter, and runs
    ec2_launch_template only when it differs: a version made by hand (a key pair added) and a tag taken away are found
    and put back by the next run (a new version without the key pair, the default again the latest), which is then the
    last to change."""
    ec2 = aws["ec2"]
    name = f"{PREFIX}-backend"
    (template,) = ec2.describe_launch_templates(LaunchTemplateNames=[name])["LaunchTemplates"]
    (latest,) = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"]
    data = dict(latest["LaunchTemplateData"], KeyName="by-hand")
    by_hand = ec2.create_launch_template_version(LaunchTemplateId=template["LaunchTemplateId"], LaunchTemplateData=data,
                                                 VersionDescription=latest["VersionDescription"])["LaunchTemplateVersion"]
    ec2.modify_launch_template(LaunchTemplateId=template["LaunchTemplateId"], DefaultVersion=str(by_hand["VersionNumber"]))
    ec2.delete_tags(Resources=[template["LaunchTemplateId"]], Tags=[{"Key": "atelier:stack"}])
    run = emulator.playbook("site.yml", "--tags", "asg_launch_template")
    assert run.rc == 0 and run.changed >= 1, run.output
    assert [r["action"] for r in run.requests].count("CreateLaunchTemplateVersion") == 1
    (after,) = ec2.describe_launch_templates(LaunchTemplateNames=[name])["LaunchTemplates"]
    assert after["LatestVersionNumber"] == by_hand["VersionNumber"] + 1 == after["DefaultVersionNumber"]
    (fixed,) = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"]
    assert fixed["LaunchTemplateData"] == latest["LaunchTemplateData"]
    assert tags(after)["atelier:stack"] == tags(template)["atelier:stack"]
    again = emulator.playbook("site.yml", "--tags", "asg_launch_template")
    assert again.rc == 0 and again.changed == 0 and again.mutating == [], again.output
    # One read of the templates for every tier (playbooks/tiers.yml: found by name in one call), then each one's latest
    # version (ec2_launch_template does not run).
    actions = [r["action"] for r in again.requests]
    assert actions.count("DescribeLaunchTemplates") == 1, actions
    assert actions.count("DescribeLaunchTemplateVersions") == len(SHARED_TIERS), actions


def test_a_target_group_and_a_listener_rule_changed_behind_the_collection_are_corrected(deployed, emulator, aws):
    """The reads a no-op skips are served from this run's earlier reads, never skipped: a health check and the origin
    rule's header value edited by hand are found and corrected by the next run."""
    elbv2 = aws["elbv2"]
    (tg,) = elbv2.describe_target_groups(Names=[f"{PREFIX}-frontend-tg"])["TargetGroups"]
    (lb,) = elbv2.describe_load_balancers(Names=[f"{PREFIX}-frontend"])["LoadBalancers"]
    (listener,) = elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    (rule,) = [r for r in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] if not r["IsDefault"]]
    header = rule["Conditions"][0]["HttpHeaderConfig"]
    elbv2.modify_target_group(TargetGroupArn=tg["TargetGroupArn"], HealthCheckPath="/by-hand")
    elbv2.modify_rule(RuleArn=rule["RuleArn"], Conditions=[
        {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": header["HttpHeaderName"], "Values": ["by-hand"]}}])
    run = emulator.playbook("site.yml", "--tags", "alb")
    assert run.rc == 0, run.output
    assert run.changed >= 2, run.output
    (after,) = elbv2.describe_target_groups(Names=[f"{PREFIX}-frontend-tg"])["TargetGroups"]
    assert after["HealthCheckPath"] == tg["HealthCheckPath"] == "/"
    (rule_after,) = [r for r in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] if not r["IsDefault"]]
    assert rule_after["Conditions"][0]["HttpHeaderConfig"] == header
    assert rule_after["Actions"][0]["TargetGroupArn"] == tg["TargetGroupArn"]


def test_a_load_balancer_changed_behind_the_collection_is_corrected(deployed, emulator, aws):
    """The alb role reads its load balancer first and runs amazon.aws.elb_application_lb only when something differs:
    an attribute and tags changed by hand are found by that read and put back by the next run, which is then the last
    to change; the no-op run after it reads the load balancer once (no module pass)."""
    elbv2 = aws["elbv2"]
    (lb,) = elbv2.describe_load_balancers(Names=[f"{PREFIX}-backend"])["LoadBalancers"]
    arn = lb["LoadBalancerArn"]

    def idle_timeout():
        attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
        return {a["Key"]: a["Value"] for a in attributes}["idle_timeout.timeout_seconds"]

    def lb_tags():
        return tags(elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0])

    timeout, before = idle_timeout(), lb_tags()
    assert timeout == "60" and before["Name"] == f"{PREFIX}-backend", (timeout, before)
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": "idle_timeout.timeout_seconds", "Value": "300"}])
    elbv2.remove_tags(ResourceArns=[arn], TagKeys=["atelier:stack"])
    elbv2.add_tags(ResourceArns=[arn], Tags=[{"Key": "by", "Value": "hand"}])
    run = emulator.playbook("site.yml", "--tags", "alb")
    assert run.rc == 0, run.output
    assert run.changed >= 1, run.output
    assert idle_timeout() == "60"
    assert lb_tags() == before
    again = emulator.playbook("site.yml", "--tags", "alb")
    assert again.rc == 0 and again.changed == 0 and again.mutating == [], again.output
    actions = [r["action"] for r in again.requests if r["service"] == "elasticloadbalancing"]
    # One read for every tier (playbooks/tiers.yml): the load balancers and the tags of all of them and their target
    # groups in one call each, then each one's attributes, listeners and their rules.
    for action in ("DescribeLoadBalancers", "DescribeTargetGroups", "DescribeTags"):
        assert actions.count(action) == 1, (action, actions)
    for action in ("DescribeLoadBalancerAttributes", "DescribeListeners", "DescribeRules"):
        assert actions.count(action) == len(SHARED_TIERS), (action, actions)


def test_the_shared_read_of_every_tier_answers_as_the_info_modules(deployed, emulator, tmp_path):
    """The alb role compares what playbooks/tiers.yml read for every tier at once (aws_values_info) as it compared the
    results of amazon.aws.elb_application_lb_info and community.aws.elb_target_group_info: both answer the same for the
    deployed tiers, and a target group that does not exist is listed as missing."""
    output = tmp_path / "reads.json"
    balancers = [f"{PREFIX}-{tier['name']}" for tier in SHARED_TIERS]
    run = emulator.playbook("tests/integration/playbooks/shared_tier_read.yml", extra_vars={
        "read_load_balancers": balancers, "read_target_groups": [f"{name}-tg" for name in balancers], "read_output": str(output)})
    assert run.rc == 0, run.output
    reads = json.loads(output.read_text(encoding="utf-8"))
    shared = reads["shared"]
    assert len(reads["load_balancers"]) == len(reads["target_groups"]) == len(SHARED_TIERS)
    assert {lb["load_balancer_name"]: lb for lb in reads["load_balancers"]} == shared["load_balancer_details"]
    assert {tg["target_group_name"]: tg for tg in reads["target_groups"]} == shared["target_group_details"]
    assert shared["missing_target_groups"] == ["itest-no-such-tg"] and shared["missing_load_balancers"] == []
    # Listeners with their rules, attributes and tags are all there (not two empty answers compared).
    for balancer in shared["load_balancer_details"].values():
        assert balancer["listeners"] and all("rules" in listener for listener in balancer["listeners"]), balancer
        assert balancer["idle_timeout_timeout_seconds"] == "60" and balancer["tags"]["atelier:stack"], balancer
    # One DescribeLoadBalancers and one DescribeTags for all of them; the missing group costs one call per name.
    actions = [r["action"] for r in run.requests if r["service"] == "elasticloadbalancing"]
    assert actions.count("DescribeTags") == 2 * len(SHARED_TIERS) + 1, actions


def test_the_diagram_draws_what_the_account_holds_and_never_the_origin_secret(deployed, emulator, aws, tmp_path):
    run = emulator.playbook("playbooks/diagram.yml", extra_vars={"atelier_diagram_dir": str(tmp_path)})
    assert run.rc == 0, run.output
    assert run.mutating == []
    svg = (tmp_path / f"{PREFIX}.svg").read_text(encoding="utf-8")
    mermaid = (tmp_path / f"{PREFIX}.mmd").read_text(encoding="utf-8")
    texts = {t.firstChild.data for t in xml.dom.minidom.parseString(svg).getElementsByTagName("text")}
    (vpc,) = aws["ec2"].describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [PREFIX]}])["Vpcs"]
    subnets = aws["ec2"].describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    assert f"VPC {PREFIX} {vpc['CidrBlock']} ({vpc['VpcId']})" in texts
    for subnet in subnets:
        assert any(subnet["CidrBlock"] in text for text in texts), subnet["CidrBlock"]
    for tier in SHARED_TIERS:
        name = f"{PREFIX}-{tier['name']}"
        (distribution,) = [d for d in distributions(deployed) if d["Comment"] == name]
        node = "".join(c if c.isalnum() else "_" for c in name)
        assert f"  cf_{distribution['Id']} -->|http-only| lb_{node}" in mermaid
        assert f"  lb_{node} -->|HTTP:{tier['app_port']}| asg_{node}" in mermaid
        assert f"{name}  <-  {name}-alb :{tier['app_port']}" in texts
        secret = aws["secretsmanager"].get_secret_value(SecretId=f"{PREFIX}/{tier['name']}/origin-verify")["SecretString"]
        for text in (svg, mermaid, run.output):
            assert secret not in text


def test_step_scaling_and_a_new_instance_type_then_target_tracking_again_with_one_instance_refresh(deployed, emulator, aws):
    # One run carries both changes to the frontend (step scaling replaces target tracking, a new instance type rolls the
    # group); the next keeps the new instance type and puts target tracking back.
    group = f"{PREFIX}-frontend"
    tiers = [dict(SHARED_TIERS[0], scaling={"policy": "step"}, instance_type="t3.small"), SHARED_TIERS[1]]
    run = emulator.playbook("site.yml", "--tags", "asg_launch_template", extra_vars={"atelier_tiers": tiers})
    assert run.rc == 0, run.output
    policies = {p["PolicyName"]: p for p in aws["autoscaling"].describe_policies(AutoScalingGroupName=group)["ScalingPolicies"]}
    assert sorted(policies) == [f"{group}-cpu-high", f"{group}-cpu-low"]
    alarms = {a["AlarmName"]: a for a in aws["cloudwatch"].describe_alarms(AlarmNamePrefix=group)["MetricAlarms"]}
    assert (alarms[f"{group}-cpu-high"]["ComparisonOperator"], alarms[f"{group}-cpu-high"]["Threshold"]) == ("GreaterThanThreshold", 70.0)
    assert (alarms[f"{group}-cpu-low"]["ComparisonOperator"], alarms[f"{group}-cpu-low"]["Threshold"]) == ("LessThanThreshold", 30.0)
    assert alarms[f"{group}-cpu-high"]["AlarmActions"] == [policies[f"{group}-cpu-high"]["PolicyARN"]]
    # The backend did not change: one refresh in all, the frontend's.
    assert [r["action"] for r in run.requests].count("StartInstanceRefresh") == 1
    (refresh,) = aws["autoscaling"].describe_instance_refreshes(AutoScalingGroupName=group)["InstanceRefreshes"]
    assert refresh["Preferences"]["MinHealthyPercentage"] == 90
    assert refresh["Preferences"]["SkipMatching"] is True
    # The same instance type again: no new version and no second refresh, whether the first is still rolling or done;
    # and back to target tracking, the step policies and their alarms gone.
    target_tracking = [dict(SHARED_TIERS[0], instance_type="t3.small"), SHARED_TIERS[1]]
    back = emulator.playbook("site.yml", "--tags", "asg_launch_template", extra_vars={"atelier_tiers": target_tracking})
    assert back.rc == 0, back.output
    assert "StartInstanceRefresh" not in [r["action"] for r in back.requests]
    assert "CreateLaunchTemplateVersion" not in [r["action"] for r in back.requests]
    policies = [p["PolicyName"] for p in aws["autoscaling"].describe_policies(AutoScalingGroupName=group)["ScalingPolicies"]]
    assert policies == [f"{group}-cpu-target"]
    assert aws["cloudwatch"].describe_alarms(AlarmNamePrefix=group)["MetricAlarms"] == []


def test_a_partial_run_fails_before_any_change_when_a_tier_it_calls_does_not_exist_yet(deployed, emulator):
    # The backend under another name: the frontend calls "api", whose distribution (local-atelier-api) does not exist.
    # Its launch template never gets a placeholder URL: --tags asg_launch_template fails, naming what to run first.
    api = dict(SHARED_TIERS[1], name="api", subnets="backend")
    tiers = {"atelier_tiers": [SHARED_TIERS[0], api]}
    run = emulator.playbook("site.yml", "--tags", "asg_launch_template", extra_vars=tiers)
    assert run.rc != 0, run.output
    text = " ".join(run.output.split())
    assert (
        "The frontend tier calls api, not there yet: API_URL needs api's distribution local-atelier-api. Nothing was "
        "changed. Create the tiers it calls first (--tags alb,cloudfront)"
    ) in text, run.output
    assert run.mutating == []
    assert "unknown-until" not in run.output
    # The plan of the same run does not fail: it says what it cannot know yet.
    plan = emulator.playbook("site.yml", "--tags", "asg_launch_template", "--check", extra_vars=tiers)
    assert plan.rc == 0, plan.output
    assert "API_URL would be known once api's distribution exists" in " ".join(plan.output.split())
    assert plan.mutating == []


MANAGED = {
    "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    "Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
}
ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]


def test_each_tier_has_its_distribution_in_front_of_its_alb(deployed, aws):
    cloudfront, elbv2 = aws["cloudfront"], aws["elbv2"]
    assert sorted(d["Comment"] for d in distributions(deployed)) == sorted(f"{PREFIX}-{t['name']}" for t in SHARED_TIERS)
    for tier in SHARED_TIERS:
        (summary,) = [d for d in distributions(deployed) if d["Comment"] == f"{PREFIX}-{tier['name']}"]
        distribution = cloudfront.get_distribution(Id=summary["Id"])["Distribution"]
        # site.yml waited for CloudFront at the end of the tiers.
        assert distribution["Status"] == "Deployed"
        config = distribution["DistributionConfig"]
        assert (config["Enabled"], config["HttpVersion"], config["IsIPV6Enabled"], config["PriceClass"]) == (True, "http2and3", True, "PriceClass_100")
        assert config["ViewerCertificate"]["CloudFrontDefaultCertificate"] is True
        (origin,) = config["Origins"]["Items"]
        lb = elbv2.describe_load_balancers(Names=[f"{PREFIX}-{tier['name']}"])["LoadBalancers"][0]
        assert origin["DomainName"] == lb["DNSName"]
        assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only"
        (header,) = origin["CustomHeaders"]["Items"]
        secret = aws["secretsmanager"].get_secret_value(SecretId=f"{PREFIX}/{tier['name']}/origin-verify")["SecretString"]
        assert header["HeaderName"] == "X-Origin-Verify" and header["HeaderValue"] == secret
        default = config["DefaultCacheBehavior"]
        assert default["ViewerProtocolPolicy"] == "redirect-to-https" and default["Compress"] is True
        assert default["CachePolicyId"] == MANAGED[tier["distribution"]["default_behavior"]["cache_policy"]]
        tags = {t["Key"]: t["Value"] for t in cloudfront.list_tags_for_resource(Resource=distribution["ARN"])["Tags"]["Items"]}
        assert tags["atelier:tier"] == tier["name"] and tags["atelier:stack"] == "atelier"
    frontend = next(d for d in distributions(deployed) if d["Comment"] == f"{PREFIX}-frontend")
    config = cloudfront.get_distribution_config(Id=frontend["Id"])["DistributionConfig"]
    (api,) = config["CacheBehaviors"]["Items"]
    assert api["PathPattern"] == "/api/*"
    assert (api["CachePolicyId"], api["OriginRequestPolicyId"]) == (MANAGED["Managed-CachingDisabled"], MANAGED["Managed-AllViewerExceptHostHeader"])
    assert sorted(api["AllowedMethods"]["Items"]) == ALL_METHODS
    assert sorted(config["DefaultCacheBehavior"]["AllowedMethods"]["Items"]) == ["GET", "HEAD", "OPTIONS"]
    backend = next(d for d in distributions(deployed) if d["Comment"] == f"{PREFIX}-backend")
    config = cloudfront.get_distribution_config(Id=backend["Id"])["DistributionConfig"]
    assert config["CacheBehaviors"]["Quantity"] == 0
    assert config["DefaultCacheBehavior"]["OriginRequestPolicyId"] == MANAGED["Managed-AllViewerExceptHostHeader"]
    assert sorted(config["DefaultCacheBehavior"]["AllowedMethods"]["Items"]) == ALL_METHODS


def test_the_origin_secret_never_reaches_the_output(deployed, aws):
    for tier in SHARED_TIERS:
        secret = aws["secretsmanager"].get_secret_value(SecretId=f"{PREFIX}/{tier['name']}/origin-verify")["SecretString"]
        assert secret not in deployed["deploy"].output
        assert secret not in deployed["plan"].output


def test_a_tier_turned_off_cloudfront_loses_its_distribution_then_costs_no_module_run(deployed, emulator, aws):
    """cloudfront: false on a deployed tier: the next run disables and deletes its distribution (its CloudFront web ACL
    too when it has one: the local stack has none); the run after reads every tier's distribution and web ACL once and
    runs neither removal module for it. Turned on again, the tier has a distribution again (the teardown below removes
    both)."""
    backend = f"{PREFIX}-backend"

    def comments():
        return sorted(d["Comment"] for d in aws["cloudfront"].list_distributions()["DistributionList"].get("Items", []))

    assert comments() == [backend, f"{PREFIX}-frontend"]
    off = {"atelier_tiers": [dict(t, cloudfront=False) if t["name"] == "backend" else t for t in SHARED_TIERS]}
    removed = emulator.playbook("site.yml", "--tags", "cloudfront", extra_vars=off)
    assert removed.rc == 0, removed.output
    assert comments() == [f"{PREFIX}-frontend"]
    actions = [r["action"] for r in removed.requests]
    assert len([a for a in actions if a.startswith("DELETE /2020-05-31/distribution/")]) == 1, actions
    # The read (one list of the CloudFront web ACLs) found no web ACL of the backend's: the web ACL module did not
    # run, which lists them again.
    assert actions.count("ListWebACLs") == 1, actions
    assert "skipping: [backend]" in removed.output.split("Delete the distribution's web ACL")[1].split("TASK")[0]

    again = emulator.playbook("site.yml", "--tags", "cloudfront", extra_vars=off)
    assert again.rc == 0, again.output
    assert again.changed == 0, again.output
    # Neither removal module ran for the backend: the read answered that it has neither.
    for task in ("Disable, then delete the distribution", "Delete the distribution's web ACL"):
        assert "skipping: [backend]" in again.output.split(task)[1].split("TASK")[0], task

    back = emulator.playbook("site.yml", "--tags", "cloudfront")
    assert back.rc == 0, back.output
    assert comments() == [backend, f"{PREFIX}-frontend"]


def test_teardown_removes_the_tiers_and_keeps_their_logs_unless_asked(deployed, emulator, aws):
    keep = emulator.playbook("playbooks/teardown.yml", "--tags", TAGS)
    assert keep.rc == 0, keep.output
    assert aws["cloudfront"].list_distributions()["DistributionList"].get("Items", []) == []
    actions = [r["action"] for r in keep.requests]
    # Disabled first (UpdateDistribution: PUT .../config), deleted once deployed, before the ALBs go.
    updates = [i for i, a in enumerate(actions) if a.startswith("PUT /2020-05-31/distribution/") and a.endswith("/config")]
    deletes = [i for i, a in enumerate(actions) if a.startswith("DELETE /2020-05-31/distribution/")]
    assert len(updates) == 2 and len(deletes) == 2, actions
    assert max(updates) < max(deletes) < actions.index("DeleteLoadBalancer")
    assert f"CloudWatch log group /aws/ec2/{PREFIX}/backend (logs of the backend tier" in " ".join(keep.output.split())
    assert aws["elbv2"].describe_load_balancers()["LoadBalancers"] == []
    assert aws["elbv2"].describe_target_groups()["TargetGroups"] == []
    assert aws["autoscaling"].describe_auto_scaling_groups()["AutoScalingGroups"] == []
    assert aws["ec2"].describe_launch_templates()["LaunchTemplates"] == []
    assert [r["RoleName"] for r in aws["iam"].list_roles()["Roles"] if r["RoleName"].startswith(PREFIX)] == []
    running = [
        i for r in aws["ec2"].describe_instances()["Reservations"] for i in r["Instances"] if i["State"]["Name"] not in ("terminated", "shutting-down")
    ]
    assert running == []
    purge = emulator.playbook("playbooks/teardown.yml", "--tags", "asg_launch_template", extra_vars={"atelier_teardown_delete_data": True})
    assert purge.rc == 0, purge.output
    assert aws["logs"].describe_log_groups(logGroupNamePrefix=f"/aws/ec2/{PREFIX}/")["logGroups"] == []

