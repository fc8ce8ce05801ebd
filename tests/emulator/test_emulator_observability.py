"""The emulator's additions for the observability and edge posture (log group encryption, WAF, CloudFront logs,
Auto Scaling events to SNS), seen through boto3.

Each test names the addition it needs and fails against plain moto; check with
``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest tests/emulator/test_emulator_observability.py``.
"""

import json

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import distribution_config, network, unique

ACCOUNT = "123456789012"
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}


def _logs_key(kms, pattern: str) -> str:
    """A key whose policy lets CloudWatch Logs use it for the log groups matching pattern (and the account all)."""
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
            {
                "Effect": "Allow",
                "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
                "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": pattern}},
            },
        ],
    }
    return kms.create_key(Policy=json.dumps(key_policy))["KeyMetadata"]["Arn"]


def _code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


def test_a_log_group_is_encrypted_only_with_a_key_that_lets_cloudwatch_logs_use_it(emulator):
    """logs_kms_key: CreateLogGroup kmsKeyId and AssociateKmsKey check the key policy; DisassociateKmsKey."""
    kms, logs = emulator.client("kms"), emulator.client("logs")
    prefix = f"/{unique('enc')}"
    group = f"{prefix}/app"
    group_arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"
    plain = kms.create_key()["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as refused:
        logs.create_log_group(logGroupName=group, kmsKeyId=plain)
    assert _code(refused) == "AccessDeniedException"
    assert refused.value.response["Error"]["Message"] == (
        f"The specified KMS key does not exist or is not allowed to be used with Arn '{group_arn}'"
    )
    assert logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"] == []

    key = _logs_key(kms, f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{prefix}/*")
    logs.create_log_group(logGroupName=group, kmsKeyId=key)
    (described,) = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert described["kmsKeyId"] == key

    logs.disassociate_kms_key(logGroupName=group)
    (described,) = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert "kmsKeyId" not in described
    logs.associate_kms_key(logGroupName=group, kmsKeyId=key)
    (described,) = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert described["kmsKeyId"] == key

    # The key's policy names the prefix's groups only; a key id instead of its ARN is not accepted either.
    other = f"/{unique('other')}"
    logs.create_log_group(logGroupName=other)
    for key_id in (key, key.split("/")[-1]):
        with pytest.raises(ClientError) as refused:
            logs.associate_kms_key(logGroupName=other, kmsKeyId=key_id)
        assert _code(refused) == "AccessDeniedException"
    with pytest.raises(ClientError) as missing:
        logs.associate_kms_key(logGroupName=f"/{unique('missing')}", kmsKeyId=key)
    assert _code(missing) == "ResourceNotFoundException"
    kms.disable_key(KeyId=key)
    with pytest.raises(ClientError) as disabled:
        logs.create_log_group(logGroupName=f"{prefix}/later", kmsKeyId=key)
    assert _code(disabled) == "AccessDeniedException"


def test_a_regional_web_acl_protects_existing_load_balancers_and_is_kept_while_in_use(emulator):
    """wafv2_web_acl_associations: ListResourcesForWebACL, AssociateWebACL checks and moves, DeleteWebACL in use."""
    waf, elbv2 = emulator.client("wafv2"), emulator.client("elbv2")
    _, subnets = network(emulator.client("ec2"), 78)
    balancer = elbv2.create_load_balancer(Name=unique("waf"), Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    first, second = (
        waf.create_web_acl(Name=unique("acl"), Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY, Rules=[])[
            "Summary"
        ]
        for _ in range(2)
    )
    missing = balancer.replace("loadbalancer/app/", "loadbalancer/app/gone")
    with pytest.raises(ClientError) as unknown:
        waf.associate_web_acl(WebACLArn=first["ARN"], ResourceArn=missing)
    assert _code(unknown) == "WAFNonexistentItemException"

    waf.associate_web_acl(WebACLArn=first["ARN"], ResourceArn=balancer)
    waf.associate_web_acl(WebACLArn=first["ARN"], ResourceArn=balancer)
    assert waf.list_resources_for_web_acl(WebACLArn=first["ARN"])["ResourceArns"] == [balancer]
    assert waf.list_resources_for_web_acl(WebACLArn=first["ARN"], ResourceType="API_GATEWAY")["ResourceArns"] == []
    # A resource has one web ACL: associating another moves it.
    waf.associate_web_acl(WebACLArn=second["ARN"], ResourceArn=balancer)
    assert waf.list_resources_for_web_acl(WebACLArn=first["ARN"])["ResourceArns"] == []
    assert waf.get_web_acl_for_resource(ResourceArn=balancer)["WebACL"]["ARN"] == second["ARN"]

    with pytest.raises(ClientError) as in_use:
        waf.delete_web_acl(Name=second["Name"], Scope="REGIONAL", Id=second["Id"], LockToken=second["LockToken"])
    assert _code(in_use) == "WAFAssociatedItemException"
    elbv2.delete_load_balancer(LoadBalancerArn=balancer)
    assert waf.list_resources_for_web_acl(WebACLArn=second["ARN"])["ResourceArns"] == []
    waf.delete_web_acl(Name=second["Name"], Scope="REGIONAL", Id=second["Id"], LockToken=second["LockToken"])
    with pytest.raises(ClientError) as gone:
        waf.list_resources_for_web_acl(WebACLArn=second["ARN"])
    assert _code(gone) == "WAFNonexistentItemException"


def test_a_distribution_names_an_existing_cloudfront_web_acl(emulator):
    """cloudfront_web_acl_id (and wafv2_web_acl_associations: a web ACL a distribution names is not deleted)."""
    waf = emulator.client("wafv2")
    cloudfront = emulator.client("cloudfront")
    regional = waf.create_web_acl(Name=unique("reg"), Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY, Rules=[])
    edge = waf.create_web_acl(Name=unique("edge"), Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY, Rules=[])[
        "Summary"
    ]
    for wrong in (regional["Summary"]["ARN"], edge["ARN"].replace(edge["Id"], "00000000-0000-0000-0000-000000000000")):
        with pytest.raises(ClientError) as refused:
            cloudfront.create_distribution(DistributionConfig=distribution_config(WebACLId=wrong))
        assert _code(refused) == "InvalidWebACLId"
    created = cloudfront.create_distribution(DistributionConfig=distribution_config(WebACLId=edge["ARN"]))
    distribution_id = created["Distribution"]["Id"]
    assert cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]["WebACLId"] == edge["ARN"]
    with pytest.raises(ClientError) as in_use:
        waf.delete_web_acl(Name=edge["Name"], Scope="CLOUDFRONT", Id=edge["Id"], LockToken=edge["LockToken"])
    assert _code(in_use) == "WAFAssociatedItemException"
    config = cloudfront.get_distribution_config(Id=distribution_id)
    with pytest.raises(ClientError) as refused:
        cloudfront.update_distribution(
            Id=distribution_id, IfMatch=config["ETag"], DistributionConfig=dict(config["DistributionConfig"], WebACLId=regional["Summary"]["ARN"])
        )
    assert _code(refused) == "InvalidWebACLId"
    cloudfront.update_distribution(Id=distribution_id, IfMatch=config["ETag"], DistributionConfig=dict(config["DistributionConfig"], WebACLId=""))
    waf.delete_web_acl(Name=edge["Name"], Scope="CLOUDFRONT", Id=edge["Id"], LockToken=edge["LockToken"])


def test_cloudfront_logs_need_a_bucket_with_acls_and_grant_awslogsdelivery(emulator):
    """cloudfront_logging_bucket: the bucket exists, has ACLs enabled, and gets the awslogsdelivery grant."""
    s3, cloudfront = emulator.client("s3"), emulator.client("cloudfront")
    bucket = unique("cf-logs")
    logging = {"Enabled": True, "IncludeCookies": False, "Bucket": f"{bucket}.s3.amazonaws.com", "Prefix": "edge/"}
    with pytest.raises(ClientError) as missing:
        cloudfront.create_distribution(DistributionConfig=distribution_config(Logging=logging))
    assert _code(missing) == "InvalidArgument"
    assert "doesn't exist" in missing.value.response["Error"]["Message"]
    s3.create_bucket(Bucket=bucket)
    with pytest.raises(ClientError) as no_acls:
        cloudfront.create_distribution(DistributionConfig=distribution_config(Logging=logging))
    assert no_acls.value.response["Error"]["Message"] == (
        f"The S3 bucket that you specified for CloudFront logs does not enable ACL access: {bucket}.s3.amazonaws.com"
    )
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
    created = cloudfront.create_distribution(DistributionConfig=distribution_config(Logging=logging))["Distribution"]
    assert created["DistributionConfig"]["Logging"]["Bucket"] == f"{bucket}.s3.amazonaws.com"
    grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
    delivery = [g for g in grants if g["Grantee"].get("ID") == "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"]
    assert [g["Permission"] for g in delivery] == ["FULL_CONTROL"]
    # Once only, however often the distribution is updated.
    config = cloudfront.get_distribution_config(Id=created["Id"])
    cloudfront.update_distribution(Id=created["Id"], IfMatch=config["ETag"], DistributionConfig=config["DistributionConfig"])
    assert len(s3.get_bucket_acl(Bucket=bucket)["Grants"]) == len(grants)


def _scaling_events_to_a_queue(emulator, group: str, allow: bool) -> tuple[str, str]:
    """A topic with an SQS subscription and a rule on the group's launch/terminate events targeting it; the topic
    policy lets the rule publish when allow. Returns (queue URL, rule ARN)."""
    sns, sqs, events = emulator.client("sns"), emulator.client("sqs"), emulator.client("events")
    topic = sns.create_topic(Name=unique("alarms"))["TopicArn"]
    queue = sqs.create_queue(QueueName=unique("inbox"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    name = unique("scaling")
    pattern = {
        "source": ["aws.autoscaling"],
        "detail-type": ["EC2 Instance Launch Successful", "EC2 Instance Terminate Successful"],
        "detail": {"AutoScalingGroupName": [group]},
    }
    rule = events.put_rule(Name=name, EventPattern=json.dumps(pattern))["RuleArn"]
    events.put_targets(Rule=name, Targets=[{"Id": "alarms", "Arn": topic}])
    if allow:
        topic_policy = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
        topic_policy["Statement"].append(
            {
                "Sid": "ScalingEvents",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule}, "StringEquals": {"aws:SourceAccount": ACCOUNT}},
            }
        )
        sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(topic_policy))
    return queue, rule


def _received(emulator, queue: str) -> list[dict]:
    messages = emulator.client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(json.loads(m["Body"])["Message"]) for m in messages]


def test_auto_scaling_events_reach_an_sns_topic_that_lets_the_rule_publish(emulator):
    """autoscaling_lifecycle_events and events_sns_target: launches and terminations become events; the rule's
    SNS target receives them only when the topic policy allows the rule; a disabled rule sends nothing."""
    ec2, autoscaling = emulator.client("ec2"), emulator.client("autoscaling")
    _, subnets = network(ec2, 79)
    template = unique("lt")
    ec2.create_launch_template(LaunchTemplateName=template, LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
    group, other = unique("group"), unique("other")
    allowed, rule = _scaling_events_to_a_queue(emulator, group, allow=True)
    denied, _ = _scaling_events_to_a_queue(emulator, group, allow=False)
    for name in (group, other):
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateName": template, "Version": "$Latest"},
            MinSize=0, MaxSize=2, DesiredCapacity=1, VPCZoneIdentifier=subnets[0],
        )
    autoscaling.set_desired_capacity(AutoScalingGroupName=group, DesiredCapacity=0)
    events = _received(emulator, allowed)
    assert [e["detail-type"] for e in events] == ["EC2 Instance Launch Successful", "EC2 Instance Terminate Successful"]
    launched, terminated = events
    assert launched["source"] == "aws.autoscaling" and launched["account"] == ACCOUNT
    assert launched["detail"]["AutoScalingGroupName"] == group
    instance = launched["detail"]["EC2InstanceId"]
    assert terminated["detail"]["EC2InstanceId"] == instance
    assert launched["resources"][1] == f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{instance}"
    assert ":autoScalingGroupName/" + group in launched["resources"][0]
    assert _received(emulator, denied) == []

    emulator.client("events").disable_rule(Name=rule.rsplit("/", 1)[-1])
    autoscaling.set_desired_capacity(AutoScalingGroupName=group, DesiredCapacity=1)
    assert _received(emulator, allowed) == []


def test_alb_access_logs_go_to_a_tls_only_bucket_whose_policy_conditions_hold_for_elb(emulator):
    """elbv2_load_balancer_log_buckets: the statements of the bucket policy count only when their conditions hold for
    ELB's write (over TLS, from the load balancer's account), so a TLS-only Deny does not stop it, an Allow for another
    source account does not let it."""
    s3, elbv2 = emulator.client("s3"), emulator.client("elbv2")
    _, subnets = network(emulator.client("ec2"), 80)
    balancer = elbv2.create_load_balancer(Name=unique("logs"), Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    bucket = unique("alb-logs")
    s3.create_bucket(Bucket=bucket)

    def bucket_policy(source_account):
        return json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    },
                    {
                        "Effect": "Allow", "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
                        "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/edge/AWSLogs/{ACCOUNT}/*",
                        "Condition": {"StringEquals": {"aws:SourceAccount": source_account}},
                    },
                ],
            }
        )

    attributes = [
        {"Key": "access_logs.s3.enabled", "Value": "true"},
        {"Key": "access_logs.s3.bucket", "Value": bucket},
        {"Key": "access_logs.s3.prefix", "Value": "edge"},
    ]
    s3.put_bucket_policy(Bucket=bucket, Policy=bucket_policy("210987654321"))
    with pytest.raises(ClientError) as denied:
        elbv2.modify_load_balancer_attributes(LoadBalancerArn=balancer, Attributes=attributes)
    assert _code(denied) == "InvalidConfigurationRequest"
    s3.put_bucket_policy(Bucket=bucket, Policy=bucket_policy(ACCOUNT))
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=balancer, Attributes=attributes)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"edge/AWSLogs/{ACCOUNT}/ELBAccessLogTestFile"]
