"""The fault profile (emulator/faults.py): the decision logic alone, the wire format botocore parses, and a running
emulator seen through boto3.

The server tests put a profile in force through ``POST /_atelier/faults`` (``emulator.faults(...)``) and switch it off
at the end (fixture ``faults``), so the rest of the session's tests meet no fault.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError
from botocore.parsers import create_parser

from emulator import faults, requestlog
from emulator.harness import REPO_ROOT

NO_RETRY = Config(retries={"total_max_attempts": 1})
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _since(emulator, offset: int) -> list[dict]:
    return requestlog.read_requests(emulator.request_log, since_offset=offset)


@pytest.fixture
def fault_profile(emulator):
    """``fault_profile(**profile)`` puts a profile in force; the test's end switches it off."""
    yield emulator.faults
    emulator.faults()


# --- the decision logic ---------------------------------------------------------------------------------------------


def _outcomes(injector: faults.Injector, calls: list[tuple[str, str, bool]]) -> list:
    decisions = [injector.decide(service, service, action, mutating) for service, action, mutating in calls]
    return [(decision.kind, decision.status) if decision else None for decision in decisions]


def test_off_profile_decides_nothing():
    injector = faults.Injector()

    assert injector.active is False
    assert _outcomes(injector, [("ec2", "CreateVpc", True)] * 50) == [None] * 50
    assert faults.Profile.parse({}).active is False
    assert faults.Profile.parse({"seed": 9, "lost_mode": "drop", "actions": "mutating"}).active is False


def test_same_seed_same_sequence_other_seed_other_sequence():
    calls = [("ec2", "DescribeVpcs", False), ("elbv2", "CreateLoadBalancer", True)] * 40
    profile = {"throttle_rate": 0.3, "error_rate": 0.3, "lost": 0.3}
    first, second, other = faults.Injector(), faults.Injector(), faults.Injector()
    first.configure(faults.Profile.parse({**profile, "seed": 7}))
    second.configure(faults.Profile.parse({**profile, "seed": 7}))
    other.configure(faults.Profile.parse({**profile, "seed": 8}))

    sequence = _outcomes(first, calls)

    assert sequence == _outcomes(second, calls)
    assert sequence != _outcomes(other, calls)
    assert {outcome for outcome in sequence} >= {None, ("throttle", 500), ("lost", 500)}
    assert {("error", 500), ("error", 503)} <= set(sequence)
    first.configure(faults.Profile.parse({**profile, "seed": 7}))  # configuring again restarts the sequence
    assert _outcomes(first, calls) == sequence


def test_an_action_sequence_does_not_depend_on_other_actions_in_between():
    profile = faults.Profile.parse({"seed": 3, "throttle_rate": 0.5})
    alone, mixed = faults.Injector(), faults.Injector()
    alone.configure(profile)
    mixed.configure(profile)

    only_vpcs = _outcomes(alone, [("ec2", "DescribeVpcs", False)] * 30)
    interleaved = _outcomes(mixed, [("ec2", "DescribeVpcs", False), ("logs", "PutLogEvents", True)] * 30)

    assert interleaved[0::2] == only_vpcs


def test_rates_are_honoured_roughly():
    injector = faults.Injector()
    injector.configure(faults.Profile.parse({"seed": 1, "throttle_rate": 0.2}))

    throttled = sum(1 for outcome in _outcomes(injector, [("ec2", "DescribeVpcs", False)] * 2000) if outcome)

    assert 300 < throttled < 500


def test_lost_map_loses_the_first_n_requests_of_the_action_only():
    injector = faults.Injector()
    injector.configure(faults.Profile.parse({"lost": {"ec2:CreateVpc": 2, "elasticloadbalancing:CreateRule": 1}}))

    assert _outcomes(injector, [("ec2", "CreateVpc", True)] * 3) == [("lost", 500), ("lost", 500), None]
    assert _outcomes(injector, [("ec2", "CreateSubnet", True)]) == [None]
    # a signing name matches too (elbv2's signing name is elasticloadbalancing)
    assert injector.decide("elbv2", "elasticloadbalancing", "CreateRule", True).kind == "lost"
    assert injector.decide("elbv2", "elasticloadbalancing", "CreateRule", True) is None
    assert injector.state()["injected"] == {"throttle": 0, "error": 0, "lost": 3}


def test_lost_rate_applies_to_mutating_actions_only():
    injector = faults.Injector()
    injector.configure(faults.Profile.parse({"lost": 1}))

    assert _outcomes(injector, [("ec2", "DescribeVpcs", False), ("ec2", "CreateVpc", True)]) == [None, ("lost", 500)]


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ("all", [True, True, True]),
        ("mutating", [False, True, True]),
        (["ec2:CreateVpc", "logs"], [False, True, True]),
        (["ec2"], [True, True, False]),
        (["ec2:*"], [True, True, False]),
    ],
)
def test_actions_select_the_requests_in_scope(actions, expected):
    injector = faults.Injector()
    injector.configure(faults.Profile.parse({"throttle_rate": 1, "actions": actions}))
    calls = [("ec2", "DescribeVpcs", False), ("ec2", "CreateVpc", True), ("logs", "PutLogEvents", True)]

    assert [bool(outcome) for outcome in _outcomes(injector, calls)] == expected


def test_latency_only_decision_carries_the_latency():
    injector = faults.Injector()
    injector.configure(faults.Profile.parse({"latency_ms": 250, "actions": ["s3"]}))

    assert injector.decide("s3", "s3", "PutObject", True) == faults.Decision(None, 0.25)
    assert injector.decide("ec2", "ec2", "CreateVpc", True) is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"throttle_rate": 1.5}, "throttle_rate"),
        ({"error_rate": "often"}, "error_rate"),
        ({"error_rate": True}, "error_rate"),
        ({"latency_ms": -1}, "latency_ms"),
        ({"lost": {"CreateVpc": 1}}, "lost"),
        ({"lost": {"ec2:CreateVpc": -1}}, "lost"),
        ({"lost": 2}, "lost"),
        ({"lost_mode": "vanish"}, "lost_mode"),
        ({"actions": "some"}, "actions"),
        ({"actions": ["a:b:c"]}, "actions"),
        ({"seed": 1.5}, "seed"),
        ({"rate": 1}, "unknown field 'rate'"),
    ],
)
def test_bad_profiles_name_the_field(values, message):
    with pytest.raises(faults.ProfileError, match=message):
        faults.Profile.parse(values)


def test_profile_from_environment():
    environ = {
        "ATELIER_EMULATOR_FAULT_SEED": "42",
        "ATELIER_EMULATOR_FAULT_THROTTLE_RATE": "0.25",
        "ATELIER_EMULATOR_FAULT_LOST": '{"ec2:CreateVpc": 1}',
        "ATELIER_EMULATOR_FAULT_LOST_MODE": "drop",
        "ATELIER_EMULATOR_FAULT_ACTIONS": "ec2,logs:PutLogEvents",
    }

    profile = faults.Profile.from_environment(environ)

    assert profile.as_dict() == {
        "seed": 42,
        "throttle_rate": 0.25,
        "error_rate": 0.0,
        "latency_ms": 0.0,
        "lost": {"ec2:CreateVpc": 1},
        "lost_mode": "drop",
        "actions": ["ec2", "logs:PutLogEvents"],
        "active": True,
    }
    assert faults.Profile.from_environment({"ATELIER_EMULATOR_FAULT_LOST": "0.1"}).lost_rate == 0.1
    assert faults.Profile.from_environment({}).active is False
    with pytest.raises(faults.ProfileError, match="ATELIER_EMULATOR_FAULT_"):
        faults.Profile.from_environment({"ATELIER_EMULATOR_FAULT_ERROR_RATE": "2"})


# --- the wire format, parsed by botocore's own parsers ----------------------------------------------------------------

_SESSION = botocore.session.get_session()


def _parse(service: str, operation: str, protocol: str, kind: str, status: int = 500, **wire_fields) -> dict:
    model = _SESSION.get_service_model(service)
    wired = faults.Wire(protocol, service, operation, **wire_fields)
    status_line, headers, body = faults.render(wired, faults.service_error(wired, kind, status))
    response = {
        "status_code": int(status_line.split()[0]),
        "headers": {name.lower(): value for name, value in headers},
        "body": body,
    }
    parsed = create_parser(protocol).parse(response, model.operation_model(operation).output_shape)
    return {"code": parsed["Error"]["Code"], "status": response["status_code"], "message": parsed["Error"]["Message"]}


@pytest.mark.parametrize(
    ("service", "operation", "protocol", "fields", "code", "status"),
    [
        ("ec2", "DescribeVpcs", "ec2", {}, "RequestLimitExceeded", 503),
        ("elbv2", "DescribeLoadBalancers", "query", {}, "Throttling", 400),
        ("rds", "DescribeDBInstances", "query", {}, "Throttling", 400),
        ("dynamodb", "ListTables", "json", {"content_type": "application/x-amz-json-1.0"}, "ThrottlingException", 400),
        ("logs", "DescribeLogGroups", "json", {}, "ThrottlingException", 400),
        ("cloudwatch", "ListMetrics", "json", {"query_compatible": True}, "Throttling", 400),
        ("cloudwatch", "ListMetrics", "smithy-rpc-v2-cbor", {"query_compatible": True}, "Throttling", 400),
        ("cloudfront", "ListDistributions", "rest-xml", {}, "Throttling", 400),
        ("route53", "ListHostedZones", "rest-xml", {}, "Throttling", 400),
        ("s3", "ListBuckets", "rest-xml", {}, "SlowDown", 503),
        ("lambda", "ListFunctions", "rest-json", {}, "TooManyRequestsException", 429),
    ],
)
def test_throttling_parses_as_the_services_code(service, operation, protocol, fields, code, status):
    assert _parse(service, operation, protocol, "throttle", **fields)["code"] == code
    assert _parse(service, operation, protocol, "throttle", **fields)["status"] == status


@pytest.mark.parametrize(
    ("service", "operation", "protocol", "status", "code"),
    [
        ("ec2", "CreateVpc", "ec2", 500, "InternalError"),
        ("ec2", "CreateVpc", "ec2", 503, "ServiceUnavailable"),
        ("iam", "CreateRole", "query", 500, "InternalFailure"),
        ("sns", "CreateTopic", "query", 503, "ServiceUnavailable"),
        ("dynamodb", "CreateTable", "json", 500, "InternalServerError"),
        ("secretsmanager", "CreateSecret", "json", 503, "ServiceUnavailable"),
        ("cloudfront", "CreateDistribution", "rest-xml", 500, "InternalFailure"),
        ("s3", "PutObject", "rest-xml", 500, "InternalError"),
        ("s3", "PutObject", "rest-xml", 503, "ServiceUnavailable"),
        ("lambda", "CreateFunction", "rest-json", 503, "ServiceException"),
    ],
)
def test_server_errors_parse_as_the_services_code(service, operation, protocol, status, code):
    assert _parse(service, operation, protocol, "error", status)["code"] == code


def test_cbor_encoder_round_trips_through_botocore():
    parser = create_parser("smithy-rpc-v2-cbor")
    payload = {"__type": "ThrottlingException", "message": "x" * 300}

    decoded = parser.parse_data_item(parser.get_peekable_stream_from_bytes(faults._cbor(payload)))

    assert decoded == payload


@pytest.mark.parametrize(
    ("service", "method", "path", "query", "operation"),
    [
        ("lambda", "POST", "/2015-03-31/functions", "", "CreateFunction"),
        ("lambda", "GET", "/2015-03-31/functions/", "", "ListFunctions"),
        ("cloudfront", "POST", "/2020-05-31/distribution", "", "CreateDistribution"),
        ("cloudfront", "PUT", "/2020-05-31/distribution/E123/config", "", "UpdateDistribution"),
        ("s3", "PUT", "/bucket", "", "CreateBucket"),
        ("s3", "PUT", "/bucket/some/key.txt", "", "PutObject"),
        ("s3", "PUT", "/bucket", "tagging", "PutBucketTagging"),
        ("s3", "GET", "/bucket", "list-type=2", "ListObjectsV2"),
        ("route53", "POST", "/2013-04-01/hostedzone/Z1/rrset/", "", "ChangeResourceRecordSets"),
    ],
)
def test_rest_requests_are_matched_to_their_operation(service, method, path, query, operation):
    assert faults.rest_operation(service, method, path, query) == operation


# --- a running emulator ----------------------------------------------------------------------------------------------

SERVER_CALLS = [
    ("ec2", "describe_vpcs", {}, "RequestLimitExceeded", 503),
    ("elbv2", "describe_load_balancers", {}, "Throttling", 400),
    ("autoscaling", "describe_auto_scaling_groups", {}, "Throttling", 400),
    ("iam", "list_roles", {}, "Throttling", 400),
    ("rds", "describe_db_instances", {}, "Throttling", 400),
    ("sns", "list_topics", {}, "Throttling", 400),
    ("cloudwatch", "list_metrics", {}, "Throttling", 400),
    ("dynamodb", "list_tables", {}, "ThrottlingException", 400),
    ("ecr", "describe_repositories", {}, "ThrottlingException", 400),
    ("logs", "describe_log_groups", {}, "ThrottlingException", 400),
    ("secretsmanager", "list_secrets", {}, "ThrottlingException", 400),
    ("ssm", "describe_parameters", {}, "ThrottlingException", 400),
    ("acm", "list_certificates", {}, "ThrottlingException", 400),
    ("cloudfront", "list_distributions", {}, "Throttling", 400),
    ("route53", "list_hosted_zones", {}, "Throttling", 400),
    ("s3", "list_buckets", {}, "SlowDown", 503),
    ("lambda", "list_functions", {}, "TooManyRequestsException", 429),
]


def _configured(emulator, service: str, config: Config):
    return boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url=emulator.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )


def _error(call, **kwargs) -> tuple[str, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.mark.parametrize(
    ("service", "method", "kwargs", "code", "status"), SERVER_CALLS, ids=[c[0] for c in SERVER_CALLS]
)
def test_throttling_through_boto3(emulator, fault_profile, service, method, kwargs, code, status):
    fault_profile(throttle_rate=1)
    client = _configured(emulator, service, NO_RETRY)
    offset = requestlog.current_offset(emulator.request_log)

    assert _error(getattr(client, method), **kwargs) == (code, status)

    (entry,) = _since(emulator, offset)
    assert entry["status"] == status
    assert entry["fault"]["kind"] == "throttle" and entry["fault"]["code"] == code


def test_server_errors_through_boto3_and_botocore_retries_them(emulator, fault_profile):
    state = fault_profile(seed=5, error_rate=1, actions=["ec2:DescribeVpcs", "dynamodb:ListTables"])
    assert state["active"] is True
    offset = requestlog.current_offset(emulator.request_log)

    ec2_code, ec2_status = _error(_configured(emulator, "ec2", NO_RETRY).describe_vpcs)
    assert (ec2_code, ec2_status) in {("InternalError", 500), ("ServiceUnavailable", 503)}
    retried = _configured(emulator, "dynamodb", Config(retries={"total_max_attempts": 3, "mode": "standard"}))
    dynamodb_code, _status = _error(retried.list_tables)
    assert dynamodb_code in {"InternalServerError", "ServiceUnavailable"}

    entries = _since(emulator, offset)
    assert [entry["action"] for entry in entries] == ["DescribeVpcs"] + ["ListTables"] * 3
    assert all(entry["fault"]["kind"] == "error" for entry in entries)
    # outside the actions listed nothing happens
    assert _configured(emulator, "ec2", NO_RETRY).describe_subnets()["Subnets"] is not None


def _create_vpc_and_count(ec2, cidr: str) -> int:
    """CreateVpc (tagged with a fresh value), then how many VPCs carry that tag."""
    tag = uuid.uuid4().hex
    ec2.create_vpc(CidrBlock=cidr, TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "lost", "Value": tag}]}])
    return len(ec2.describe_vpcs(Filters=[{"Name": "tag:lost", "Values": [tag]}])["Vpcs"])


def test_a_lost_create_is_applied_once_per_attempt(emulator, fault_profile):
    fault_profile(lost={"ec2:CreateVpc": 1})
    offset = requestlog.current_offset(emulator.request_log)

    made = _create_vpc_and_count(emulator.client("ec2"), "10.77.0.0/16")

    assert made == 2  # the lost attempt and botocore's retry: CreateVpc has no idempotency token, as on AWS
    lost, retry = _since(emulator, offset)[:2]
    assert (lost["action"], lost["status"], lost["fault"]) == (
        "CreateVpc",
        500,
        {"kind": "lost", "code": "InternalError", "action": "ec2:CreateVpc", "applied_status": 200},
    )
    assert (retry["action"], retry["status"], "fault" in retry) == ("CreateVpc", 200, False)


def test_a_lost_create_with_an_idempotency_token_is_made_once(emulator, fault_profile):
    acm = emulator.client("acm")
    domain = f"{uuid.uuid4().hex[:10]}.example.com"

    def certificates() -> list:
        listed = acm.list_certificates()["CertificateSummaryList"]
        return [summary for summary in listed if summary["DomainName"] == domain]

    fault_profile(lost={"acm:RequestCertificate": 1})
    arn = acm.request_certificate(DomainName=domain, ValidationMethod="DNS", IdempotencyToken="reliability1")[
        "CertificateArn"
    ]
    assert [summary["CertificateArn"] for summary in certificates()] == [arn]

    fault_profile(lost={"acm:RequestCertificate": 1})
    acm.request_certificate(DomainName=domain, ValidationMethod="DNS")  # no token: the retry makes another
    assert len(certificates()) == 1 + 2


def test_a_dropped_connection_is_retried_and_the_create_applied_twice(emulator, fault_profile):
    fault_profile(lost={"ec2:CreateVpc": 1}, lost_mode="drop")
    offset = requestlog.current_offset(emulator.request_log)

    made = _create_vpc_and_count(emulator.client("ec2"), "10.78.0.0/16")

    assert made == 2
    dropped = _since(emulator, offset)[0]
    assert (dropped["status"], dropped["fault"]["code"], dropped["fault"]["applied_status"]) == (
        0,
        "connection-dropped",
        200,
    )
    with pytest.raises(ConnectionClosedError):
        fault_profile(lost={"ec2:CreateVpc": 1}, lost_mode="drop")
        _configured(emulator, "ec2", NO_RETRY).create_vpc(CidrBlock="10.79.0.0/16")


def test_a_lost_rest_request_is_named_by_its_operation(emulator, fault_profile):
    fault_profile(lost={"s3:CreateBucket": 1})
    bucket = f"lost-{uuid.uuid4().hex[:12]}"
    offset = requestlog.current_offset(emulator.request_log)

    emulator.client("s3").create_bucket(Bucket=bucket)

    lost = _since(emulator, offset)[0]
    assert lost["action"] == f"PUT /{bucket}"  # the log's own action stays METHOD /path
    assert lost["fault"] == {
        "kind": "lost",
        "code": "InternalError",
        "action": "s3:CreateBucket",
        "applied_status": 200,
    }


def test_same_seed_same_faults_through_the_server(emulator, fault_profile):
    ec2 = _configured(emulator, "ec2", NO_RETRY)

    def run(seed: int) -> list[bool]:
        fault_profile(seed=seed, throttle_rate=0.5, actions=["ec2:DescribeRegions"])
        outcomes = []
        for _ in range(24):
            try:
                ec2.describe_regions()
                outcomes.append(False)
            except ClientError:
                outcomes.append(True)
        return outcomes

    first = run(11)
    assert run(11) == first
    assert run(12) != first
    assert 0 < sum(first) < 24


def test_latency_ms_slows_each_request_in_scope(emulator, fault_profile):
    ec2 = emulator.client("ec2")
    ec2.describe_regions()
    fault_profile(latency_ms=400, actions=["ec2:DescribeRegions"])

    started = time.monotonic()
    ec2.describe_regions()
    slowed = time.monotonic() - started
    started = time.monotonic()
    ec2.describe_availability_zones()
    unslowed = time.monotonic() - started

    assert slowed >= 0.4
    assert unslowed < 0.4


def test_profile_off_changes_nothing(emulator):
    state = emulator.faults()
    ec2 = _configured(emulator, "ec2", NO_RETRY)
    offset = requestlog.current_offset(emulator.request_log)

    for _ in range(20):
        ec2.describe_regions()

    assert state == {**faults.Profile().as_dict(), "injected": {"throttle": 0, "error": 0, "lost": 0}}
    entries = _since(emulator, offset)
    assert len(entries) == 20
    assert all(
        set(entry) == {"ts", "service", "action", "region", "status", "mutating", "access_key"} for entry in entries
    )


def test_faults_endpoint_refuses_bad_profiles_and_is_not_logged(emulator, fault_profile):
    fault_profile(throttle_rate=0.1, seed=4)
    offset = requestlog.current_offset(emulator.request_log)
    request = urllib.request.Request(
        emulator.url + faults.FAULTS_PATH, data=json.dumps({"throttle_rate": 3}).encode(), method="POST"
    )

    with pytest.raises(urllib.error.HTTPError) as refused:
        DIRECT.open(request, timeout=10)

    assert refused.value.code == 400
    assert "throttle_rate" in json.load(refused.value)["error"]
    with DIRECT.open(emulator.url + faults.FAULTS_PATH, timeout=10) as response:
        assert json.load(response)["throttle_rate"] == 0.1  # unchanged
    assert _since(emulator, offset) == []


def test_fault_profile_from_the_environment_at_start(cli, port, tmp_path):
    environment = {
        "ATELIER_EMULATOR_FAULT_THROTTLE_RATE": "1",
        "ATELIER_EMULATOR_FAULT_ACTIONS": "sts",
        "ATELIER_EMULATOR_FAULT_SEED": "3",
    }
    started = subprocess.run(
        [sys.executable, "-m", "emulator", "start", "--port", str(port)],
        cwd=REPO_ROOT,
        env={**os.environ, **environment, "ATELIER_EMULATOR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    try:
        assert started.returncode == 0, started.stderr
        with DIRECT.open(f"http://127.0.0.1:{port}{faults.FAULTS_PATH}", timeout=10) as response:
            state = json.load(response)
        assert (state["throttle_rate"], state["actions"], state["seed"], state["active"]) == (1.0, ["sts"], 3, True)
        assert "fault profile:" in (tmp_path / "emulator.log").read_text()
    finally:
        cli(tmp_path, "stop")


def test_a_bad_fault_variable_fails_the_start_with_its_name(cli, port, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "emulator", "start", "--port", str(port)],
        cwd=REPO_ROOT,
        env={**os.environ, "ATELIER_EMULATOR_FAULT_ERROR_RATE": "lots", "ATELIER_EMULATOR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    cli(tmp_path, "stop")

    assert result.returncode == 1
    assert "error_rate" in result.stderr
