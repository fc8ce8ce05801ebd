"""The request log: what the server writes for each protocol, and the reader API tests rely on."""

import json
import urllib.request
import uuid

import pytest
from botocore.exceptions import ClientError

from emulator import requestlog

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _since(emulator, offset: int) -> list[dict]:
    return requestlog.read_requests(emulator.request_log, since_offset=offset)


def test_query_protocol_call_is_logged_with_service_action_region_status(emulator):
    ec2 = emulator.client("ec2", region="eu-west-1")
    offset = requestlog.current_offset(emulator.request_log)

    ec2.create_vpc(CidrBlock="10.99.0.0/16")
    ec2.describe_vpcs()

    create, describe = _since(emulator, offset)
    assert set(create) == {"ts", "service", "action", "region", "status", "mutating", "access_key"}
    assert (create["service"], create["action"], create["region"], create["status"], create["access_key"]) == (
        "ec2",
        "CreateVpc",
        "eu-west-1",
        200,
        "testing",
    )
    assert create["mutating"] is True
    assert (describe["action"], describe["mutating"]) == ("DescribeVpcs", False)


def test_json_protocol_call_is_logged_from_the_target_header(emulator):
    logs = emulator.client("logs", region="eu-central-1")
    name = f"/emulator-test/{uuid.uuid4().hex}"
    offset = requestlog.current_offset(emulator.request_log)

    logs.create_log_group(logGroupName=name)
    logs.describe_log_groups(logGroupNamePrefix=name)

    create, describe = _since(emulator, offset)
    assert (create["service"], create["action"], create["region"], create["status"], create["mutating"]) == (
        "logs",
        "CreateLogGroup",
        "eu-central-1",
        200,
        True,
    )
    assert (describe["action"], describe["mutating"]) == ("DescribeLogGroups", False)


def test_rest_call_is_logged_as_method_and_path(emulator):
    s3 = emulator.client("s3")
    bucket = f"emulator-test-{uuid.uuid4().hex[:12]}"
    offset = requestlog.current_offset(emulator.request_log)

    s3.create_bucket(Bucket=bucket)
    s3.list_objects_v2(Bucket=bucket)

    create, listing = _since(emulator, offset)
    assert (create["service"], create["action"], create["mutating"]) == ("s3", f"PUT /{bucket}", True)
    assert (listing["action"], listing["mutating"]) == (f"GET /{bucket}", False)


def test_error_status_is_logged(emulator):
    ec2 = emulator.client("ec2")
    offset = requestlog.current_offset(emulator.request_log)

    with pytest.raises(ClientError):
        ec2.describe_vpcs(VpcIds=["vpc-00000000000000000"])

    (entry,) = _since(emulator, offset)
    assert (entry["action"], entry["status"], entry["mutating"]) == ("DescribeVpcs", 400, False)


def test_moto_api_calls_are_not_logged(emulator):
    offset = requestlog.current_offset(emulator.request_log)

    with DIRECT.open(emulator.url + "/moto-api/", timeout=10) as response:
        assert response.status == 200

    assert _since(emulator, offset) == []


@pytest.mark.parametrize(
    ("environ", "body", "expected"),
    [
        (
            {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.Scan"},
            None,
            ("Scan", False),
        ),
        (
            {"REQUEST_METHOD": "POST", "PATH_INFO": "/service/GraniteServiceVersion20100801/operation/PutMetricData"},
            None,
            ("PutMetricData", True),
        ),
        ({"REQUEST_METHOD": "POST", "PATH_INFO": "/"}, "Action=BatchGetItem&Version=1", ("BatchGetItem", False)),
        (
            {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": "Action=RunInstances"},
            None,
            ("RunInstances", True),
        ),
        ({"REQUEST_METHOD": "HEAD", "PATH_INFO": "/bucket/key"}, None, ("HEAD /bucket/key", False)),
        ({"REQUEST_METHOD": "DELETE", "PATH_INFO": "/bucket/key"}, None, ("DELETE /bucket/key", True)),
    ],
)
def test_describe_request_by_protocol(environ, body, expected):
    described = requestlog.describe_request(environ, body)

    assert (described["action"], described["mutating"]) == expected


def test_describe_request_reads_the_credential_scope_of_a_header_or_a_presigned_url():
    header = "AWS4-HMAC-SHA256 Credential=AKID/20250101/ap-south-1/elasticloadbalancing/aws4_request, Signature=x"
    presigned = "X-Amz-Credential=AKID%2F20250101%2Fsa-east-1%2Fs3%2Faws4_request&X-Amz-Signature=x"

    signed = requestlog.describe_request({"HTTP_AUTHORIZATION": header}, "Action=DescribeLoadBalancers")
    url = requestlog.describe_request({"REQUEST_METHOD": "GET", "PATH_INFO": "/b/k", "QUERY_STRING": presigned}, None)

    assert (signed["service"], signed["region"], signed["access_key"]) == ("elasticloadbalancing", "ap-south-1", "AKID")
    assert (url["service"], url["region"], url["access_key"]) == ("s3", "sa-east-1", "AKID")
    assert requestlog.describe_request({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, None)["access_key"] is None


def test_reader_api_offsets_skip_partial_lines_and_filter_mutating(tmp_path):
    log = tmp_path / "requests.jsonl"
    assert requestlog.current_offset(log) == 0
    assert requestlog.read_requests(log) == []
    read = {"ts": 1.0, "service": "ec2", "action": "DescribeVpcs", "region": "r", "status": 200, "mutating": False}
    write = {**read, "action": "CreateVpc", "mutating": True}
    log.write_text(json.dumps(read) + "\n")
    offset = requestlog.current_offset(log)

    with log.open("a") as stream:
        stream.write(json.dumps(write) + "\n" + '{"ts": 2.0, "serv')  # a line still being written

    assert requestlog.read_requests(log) == [read, write]
    assert requestlog.read_requests(log, since_offset=offset) == [write]
    assert requestlog.mutating(requestlog.read_requests(log)) == [write]
