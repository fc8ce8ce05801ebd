"""Elastic Load Balancing v2 additions of the emulator, seen through boto3 (so every answer also parses with botocore's
service model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_elbv2.py`` (the module is named in the test's docstring).
"""

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import imported_certificate

ACCOUNT = "123456789012"
ELB_ACCOUNT_US_EAST_1 = "127311923021"
ALB_DEFAULTS = {
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "client_keep_alive.seconds": "3600",
    "connection_logs.s3.enabled": "false",
    "connection_logs.s3.bucket": "",
    "connection_logs.s3.prefix": "",
    "deletion_protection.enabled": "false",
    "health_check_logs.s3.enabled": "false",
    "health_check_logs.s3.bucket": "",
    "health_check_logs.s3.prefix": "",
    "idle_timeout.timeout_seconds": "60",
    "ipv6.deny_all_igw_traffic": "false",
    "load_balancing.cross_zone.enabled": "true",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.preserve_host_header.enabled": "false",
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
    "routing.http.xff_client_port.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "routing.http2.enabled": "true",
    "waf.fail_open.enabled": "false",
    "zonal_shift.config.enabled": "false",
}
HTTP_TARGET_GROUP_DEFAULTS = {
    "deregistration_delay.timeout_seconds": "300",
    "stickiness.enabled": "false",
    "stickiness.type": "lb_cookie",
    "stickiness.lb_cookie.duration_seconds": "86400",
    "stickiness.app_cookie.cookie_name": "",
    "stickiness.app_cookie.duration_seconds": "86400",
    "slow_start.duration_seconds": "0",
    "load_balancing.algorithm.type": "round_robin",
    "load_balancing.algorithm.anomaly_mitigation": "off",
    "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
    "target_group_health.dns_failover.minimum_healthy_targets.count": "1",
    "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": "1",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
}


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _error(call, **kwargs) -> dict:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]


def _attributes(answer: dict) -> dict:
    return {attribute["Key"]: attribute["Value"] for attribute in answer["Attributes"]}


def _network(emulator, second_octet: int) -> dict:
    """A VPC with subnets in us-east-1a and us-east-1b and a security group."""
    ec2 = emulator.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock=f"10.{second_octet}.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.{second_octet}.{index}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for index, zone in enumerate(("us-east-1a", "us-east-1b"))
    ]
    group_id = ec2.create_security_group(GroupName=_name("alb"), Description="alb", VpcId=vpc_id)["GroupId"]
    return {"vpc_id": vpc_id, "subnets": subnets, "security_group": group_id}


def _load_balancer(elbv2, network: dict, scheme: str = "internet-facing") -> str:
    return elbv2.create_load_balancer(
        Name=_name("alb"), Subnets=network["subnets"], SecurityGroups=[network["security_group"]], Scheme=scheme
    )["LoadBalancers"][0]["LoadBalancerArn"]


def _target_group(elbv2, network: dict) -> str:
    return elbv2.create_target_group(
        Name=_name("tg"), Protocol="HTTP", Port=3000, VpcId=network["vpc_id"], TargetType="instance"
    )["TargetGroups"][0]["TargetGroupArn"]


def _forward(target_group_arn: str) -> list[dict]:
    return [{"Type": "forward", "TargetGroupArn": target_group_arn}]


FIXED_403 = [
    {
        "Type": "fixed-response",
        "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain", "MessageBody": "Forbidden"},
    }
]


def test_elbv2_load_balancer_attributes_defaults_and_validation(emulator):
    """elbv2_load_balancer_attributes"""
    elbv2 = emulator.client("elbv2")
    network = _network(emulator, 120)
    public = _load_balancer(elbv2, network)
    internal = _load_balancer(elbv2, network, scheme="internal")

    assert _attributes(elbv2.describe_load_balancer_attributes(LoadBalancerArn=public)) == ALB_DEFAULTS
    assert _attributes(elbv2.describe_load_balancer_attributes(LoadBalancerArn=internal)) == {
        **ALB_DEFAULTS,
        "ipv6.deny_all_igw_traffic": "true",
    }

    # What amazon.aws elb_application_lb sends for http_drop_invalid_header_fields, deletion_protection, idle_timeout.
    answer = elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=public,
        Attributes=[
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
            {"Key": "deletion_protection.enabled", "Value": "true"},
            {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
        ],
    )
    changed = {
        **ALB_DEFAULTS,
        "routing.http.drop_invalid_header_fields.enabled": "true",
        "deletion_protection.enabled": "true",
        "idle_timeout.timeout_seconds": "120",
    }
    assert _attributes(answer) == changed  # every attribute, not only the ones sent

    for attributes, code, message in [
        (
            [("routing.http.foo", "1")],
            "ValidationError",
            "Load balancer attribute key 'routing.http.foo' is not recognized",
        ),
        (
            [("dns_record.client_routing_policy", "any_availability_zone")],
            "InvalidConfigurationRequest",
            "Load balancer attribute key 'dns_record.client_routing_policy' is not supported on load balancers with "
            "type 'application'",
        ),
        ([("idle_timeout.timeout_seconds", "0")], "ValidationError", None),
        ([("idle_timeout.timeout_seconds", "4001")], "ValidationError", None),
        ([("routing.http2.enabled", "yes")], "ValidationError", None),
        ([("routing.http.desync_mitigation_mode", "lax")], "ValidationError", None),
        (
            [("access_logs.s3.enabled", "true")],
            "ValidationError",
            "The value of 'access_logs.s3.bucket' cannot be empty",
        ),
        # One bad attribute and nothing changes, not even the good one.
        ([("deletion_protection.enabled", "false"), ("client_keep_alive.seconds", "59")], "ValidationError", None),
    ]:
        error = _error(
            elbv2.modify_load_balancer_attributes,
            LoadBalancerArn=public,
            Attributes=[{"Key": key, "Value": value} for key, value in attributes],
        )
        assert error["Code"] == code, attributes
        if message:
            assert error["Message"] == message
    assert _attributes(elbv2.describe_load_balancer_attributes(LoadBalancerArn=public)) == changed


def test_elbv2_target_group_attributes_defaults_and_validation(emulator):
    """elbv2_target_group_attributes"""
    elbv2 = emulator.client("elbv2")
    target_group = _target_group(elbv2, _network(emulator, 121))

    assert _attributes(elbv2.describe_target_group_attributes(TargetGroupArn=target_group)) == (
        HTTP_TARGET_GROUP_DEFAULTS
    )

    # What community.aws elb_target_group sends for the alb role's target group.
    answer = elbv2.modify_target_group_attributes(
        TargetGroupArn=target_group,
        Attributes=[
            {"Key": "deregistration_delay.timeout_seconds", "Value": "30"},
            {"Key": "stickiness.enabled", "Value": "true"},
            {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "86400"},
            {"Key": "stickiness.type", "Value": "lb_cookie"},
        ],
    )
    changed = {**HTTP_TARGET_GROUP_DEFAULTS, "deregistration_delay.timeout_seconds": "30", "stickiness.enabled": "true"}
    assert _attributes(answer) == changed  # every attribute, not only the ones sent

    answer = elbv2.modify_target_group_attributes(
        TargetGroupArn=target_group, Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "3600"}]
    )
    assert _attributes(answer)["deregistration_delay.timeout_seconds"] == "3600"  # 0-3600 inclusive
    changed["deregistration_delay.timeout_seconds"] = "3600"

    for key, value, code, message in [
        ("stickiness.foo", "1", "ValidationError", "Target group attribute key 'stickiness.foo' is not recognized"),
        ("waf.fail_open.enabled", "false", "ValidationError", None),  # a load balancer attribute
        ("proxy_protocol_v2.enabled", "true", "ValidationError", None),  # a Network Load Balancer one
        ("deregistration_delay.timeout_seconds", "abc", "ValidationError", None),
        ("deregistration_delay.timeout_seconds", "3601", "ValidationError", None),
        ("stickiness.enabled", "yes", "ValidationError", None),
        ("stickiness.lb_cookie.duration_seconds", "0", "ValidationError", None),
        ("stickiness.lb_cookie.duration_seconds", "604801", "ValidationError", None),
        ("slow_start.duration_seconds", "10", "ValidationError", None),
        ("load_balancing.algorithm.type", "fastest", "ValidationError", None),
        ("stickiness.type", "source_ip", "InvalidConfigurationRequest", None),
    ]:
        error = _error(
            elbv2.modify_target_group_attributes,
            TargetGroupArn=target_group,
            Attributes=[{"Key": key, "Value": value}],
        )
        assert error["Code"] == code, (key, value)
        if message:
            assert error["Message"] == message
    assert _attributes(elbv2.describe_target_group_attributes(TargetGroupArn=target_group)) == changed


def test_elbv2_deletion_protection_refuses_delete_load_balancer(emulator):
    """elbv2_deletion_protection"""
    elbv2 = emulator.client("elbv2")
    balancer = _load_balancer(elbv2, _network(emulator, 122))
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=balancer, Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}]
    )

    error = _error(elbv2.delete_load_balancer, LoadBalancerArn=balancer)

    assert error["Code"] == "OperationNotPermitted"
    assert error["Message"] == f"Load balancer '{balancer}' cannot be deleted because deletion protection is enabled"
    assert elbv2.describe_load_balancers(LoadBalancerArns=[balancer])["LoadBalancers"]

    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=balancer, Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}]
    )
    elbv2.delete_load_balancer(LoadBalancerArn=balancer)
    assert _error(elbv2.describe_load_balancers, LoadBalancerArns=[balancer])["Code"] == "LoadBalancerNotFound"
    elbv2.delete_load_balancer(LoadBalancerArn=balancer)  # deleting a deleted load balancer succeeds


def test_elbv2_listener_certificates_must_exist_and_be_issued(emulator):
    """elbv2_listener_certificates"""
    elbv2 = emulator.client("elbv2")
    network = _network(emulator, 123)
    balancer = _load_balancer(elbv2, network)
    actions = _forward(_target_group(elbv2, network))
    pending = emulator.client("acm").request_certificate(DomainName="pending.example.com", ValidationMethod="DNS")[
        "CertificateArn"
    ]
    issued = imported_certificate(emulator)
    unknown = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/{uuid.uuid4()}"
    https = {"LoadBalancerArn": balancer, "Protocol": "HTTPS", "Port": 443, "DefaultActions": actions}

    error = _error(elbv2.create_listener, **https)
    assert error == {
        **error,
        "Code": "ValidationError",
        "Message": "A certificate must be specified for HTTPS listeners",
    }
    for arn in (pending, unknown):
        error = _error(elbv2.create_listener, **https, Certificates=[{"CertificateArn": arn}])
        assert error == {**error, "Code": "CertificateNotFound", "Message": f"Certificate '{arn}' not found"}
    assert elbv2.describe_listeners(LoadBalancerArn=balancer)["Listeners"] == []

    listener = elbv2.create_listener(
        **https, Certificates=[{"CertificateArn": issued}], SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06"
    )["Listeners"][0]
    assert listener["Certificates"] == [{"CertificateArn": issued}]

    error = _error(
        elbv2.modify_listener, ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": pending}]
    )
    assert error["Code"] == "CertificateNotFound"
    error = _error(
        elbv2.add_listener_certificates, ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": pending}]
    )
    assert error["Code"] == "CertificateNotFound"
    described = elbv2.describe_listener_certificates(ListenerArn=listener["ListenerArn"])["Certificates"]
    assert described == [{"CertificateArn": issued, "IsDefault": True}]


def test_elbv2_listener_duplicate_port(emulator):
    """elbv2_listener_duplicate_port"""
    elbv2 = emulator.client("elbv2")
    network = _network(emulator, 124)
    balancer = _load_balancer(elbv2, network)
    target_group = _target_group(elbv2, network)
    http = {"LoadBalancerArn": balancer, "Protocol": "HTTP", "Port": 80}

    first = elbv2.create_listener(**http, DefaultActions=FIXED_403)["Listeners"][0]["ListenerArn"]
    again = elbv2.create_listener(**http, DefaultActions=FIXED_403)["Listeners"][0]["ListenerArn"]
    assert again == first  # the same settings: CreateListener is idempotent

    error = _error(elbv2.create_listener, **http, DefaultActions=_forward(target_group))
    assert error == {
        **error,
        "Code": "DuplicateListener",
        "Message": "A listener with the specified port already exists.",
    }
    assert [
        listener["ListenerArn"] for listener in elbv2.describe_listeners(LoadBalancerArn=balancer)["Listeners"]
    ] == [first]

    other = elbv2.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=8080, DefaultActions=FIXED_403)
    error = _error(elbv2.modify_listener, ListenerArn=other["Listeners"][0]["ListenerArn"], Port=80)
    assert error["Code"] == "DuplicateListener"


def test_elbv2_listener_ssl_policy_only_on_https(emulator):
    """elbv2_listener_ssl_policy"""
    elbv2 = emulator.client("elbv2")
    network = _network(emulator, 125)
    balancer = _load_balancer(elbv2, network)
    certificate = imported_certificate(emulator)

    http = elbv2.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80, DefaultActions=FIXED_403)
    (described,) = elbv2.describe_listeners(ListenerArns=[http["Listeners"][0]["ListenerArn"]])["Listeners"]
    for answer in (http["Listeners"][0], described):
        assert "SslPolicy" not in answer and "AlpnPolicy" not in answer and "Certificates" not in answer

    https = {
        "LoadBalancerArn": balancer,
        "Protocol": "HTTPS",
        "Certificates": [{"CertificateArn": certificate}],
        "DefaultActions": FIXED_403,
    }
    error = _error(elbv2.create_listener, **https, Port=443, SslPolicy="ELBSecurityPolicy-Nope")
    assert error["Code"] == "SSLPolicyNotFound"
    listener = elbv2.create_listener(**https, Port=443)["Listeners"][0]
    assert listener["SslPolicy"] == "ELBSecurityPolicy-2016-08"  # the default outside the console
    assert "AlpnPolicy" not in listener

    elbv2.modify_listener(ListenerArn=listener["ListenerArn"], Protocol="HTTP")
    (described,) = elbv2.describe_listeners(ListenerArns=[listener["ListenerArn"]])["Listeners"]
    assert described["Protocol"] == "HTTP"
    assert "SslPolicy" not in described and "Certificates" not in described


def test_elbv2_target_group_load_balancer_arns(emulator):
    """elbv2_target_group_load_balancer_arns"""
    elbv2 = emulator.client("elbv2")
    network = _network(emulator, 126)
    balancer = _load_balancer(elbv2, network)
    target_group = _target_group(elbv2, network)

    def associated() -> list:
        return elbv2.describe_target_groups(TargetGroupArns=[target_group])["TargetGroups"][0]["LoadBalancerArns"]

    http = elbv2.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80, DefaultActions=FIXED_403)[
        "Listeners"
    ][0]["ListenerArn"]
    assert associated() == []
    elbv2.modify_listener(ListenerArn=http, DefaultActions=_forward(target_group))
    assert associated() == [balancer]

    other = elbv2.create_listener(
        LoadBalancerArn=balancer, Protocol="HTTP", Port=8080, DefaultActions=_forward(target_group)
    )["Listeners"][0]["ListenerArn"]
    condition = [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Origin-Verify", "Values": ["x"]}}]
    elbv2.create_rule(ListenerArn=other, Priority=1, Conditions=condition, Actions=_forward(target_group))
    assert associated() == [balancer]  # once, however many listeners and rules forward to it

    elbv2.delete_load_balancer(LoadBalancerArn=balancer)
    assert associated() == []
    elbv2.delete_target_group(TargetGroupArn=target_group)


def test_elbv2_load_balancer_log_buckets(emulator):
    """elbv2_load_balancer_log_buckets"""
    elbv2 = emulator.client("elbv2")
    s3 = emulator.client("s3")
    balancer = _load_balancer(elbv2, _network(emulator, 127))
    bucket = _name("alb-logs")
    access_logs = [
        {"Key": "access_logs.s3.enabled", "Value": "true"},
        {"Key": "access_logs.s3.bucket", "Value": bucket},
        {"Key": "access_logs.s3.prefix", "Value": "alb"},
    ]
    denied = f"Access Denied for bucket: {bucket}. Please check S3bucket permission"

    def policy(resource: str) -> str:
        statement = {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ELB_ACCOUNT_US_EAST_1}:root"},
            "Action": "s3:PutObject",
            "Resource": resource,
        }
        return json.dumps({"Version": "2012-10-17", "Statement": [statement]})

    error = _error(elbv2.modify_load_balancer_attributes, LoadBalancerArn=balancer, Attributes=access_logs)
    assert error == {**error, "Code": "InvalidConfigurationRequest", "Message": denied}  # no such bucket
    s3.create_bucket(Bucket=bucket)
    error = _error(elbv2.modify_load_balancer_attributes, LoadBalancerArn=balancer, Attributes=access_logs)
    assert error == {**error, "Code": "InvalidConfigurationRequest", "Message": denied}  # no bucket policy
    s3.put_bucket_policy(Bucket=bucket, Policy=policy(f"arn:aws:s3:::{bucket}/other/AWSLogs/{ACCOUNT}/*"))
    error = _error(elbv2.modify_load_balancer_attributes, LoadBalancerArn=balancer, Attributes=access_logs)
    assert error == {**error, "Code": "InvalidConfigurationRequest", "Message": denied}  # another prefix
    assert _attributes(elbv2.describe_load_balancer_attributes(LoadBalancerArn=balancer))["access_logs.s3.enabled"] == (
        "false"
    )

    s3.put_bucket_policy(Bucket=bucket, Policy=policy(f"arn:aws:s3:::{bucket}/alb/AWSLogs/{ACCOUNT}/*"))
    answer = elbv2.modify_load_balancer_attributes(LoadBalancerArn=balancer, Attributes=access_logs)

    assert {key: _attributes(answer)[key] for key in ("access_logs.s3.enabled", "access_logs.s3.bucket")} == {
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": bucket,
    }
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"alb/AWSLogs/{ACCOUNT}/ELBAccessLogTestFile"]


def test_elbv2_internal_dns_name(emulator):
    """elbv2_internal_dns_name: an internal load balancer's DNS name starts with internal-, an internet-facing one not."""
    elbv2 = emulator.client("elbv2")
    network = _network(emulator, 139)
    internal = _load_balancer(elbv2, network, scheme="internal")
    public = _load_balancer(elbv2, network)
    by_arn = {lb["LoadBalancerArn"]: lb for lb in elbv2.describe_load_balancers(LoadBalancerArns=[internal, public])["LoadBalancers"]}
    assert by_arn[internal]["DNSName"].startswith("internal-" + by_arn[internal]["LoadBalancerName"] + "-")
    assert by_arn[internal]["DNSName"].endswith(".us-east-1.elb.amazonaws.com")
    assert by_arn[public]["DNSName"].startswith(by_arn[public]["LoadBalancerName"] + "-")


def test_elbv2_describe_load_balancers_not_found(emulator):
    """elbv2_describe_load_balancers_not_found: one unknown name or ARN fails the whole call, wherever it stands."""
    elbv2 = emulator.client("elbv2")
    network = _network(emulator, 140)
    arn = _load_balancer(elbv2, network)
    name = elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["LoadBalancerName"]
    missing = _name("missing")

    assert [lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers(Names=[name])["LoadBalancers"]] == [arn]
    for names in ([missing, name], [name, missing]):
        assert _error(elbv2.describe_load_balancers, Names=names)["Code"] == "LoadBalancerNotFound"
    unknown_arn = arn.rsplit("/", 1)[0] + "/0123456789abcdef"
    assert _error(elbv2.describe_load_balancers, LoadBalancerArns=[arn, unknown_arn])["Code"] == "LoadBalancerNotFound"


def test_elbv2_create_target_group_idempotent(emulator):
    """elbv2_create_target_group_idempotent: the same CreateTargetGroup again answers the first group; a group of the
    same name with other settings is DuplicateTargetGroupName."""
    elbv2 = emulator.client("elbv2")
    network = _network(emulator, 128)
    name = _name("tg")
    request = dict(Name=name, Protocol="HTTP", Port=8080, VpcId=network["vpc_id"], HealthCheckPath="/health",
                   Tags=[{"Key": "Name", "Value": name}])

    first = elbv2.create_target_group(**request)["TargetGroups"][0]
    retried = elbv2.create_target_group(**request)["TargetGroups"][0]

    assert retried["TargetGroupArn"] == first["TargetGroupArn"]
    assert [g["TargetGroupArn"] for g in elbv2.describe_target_groups(Names=[name])["TargetGroups"]] == [
        first["TargetGroupArn"]
    ]
    error = _error(elbv2.create_target_group, **dict(request, Port=9090))
    assert error["Code"] == "DuplicateTargetGroupName"
    assert error["Message"] == f"A target group with the same name '{name}' exists, but with different settings"
