# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one list of retryable codes, the botocore retry settings and the module_defaults every role passes."""

import ast
from pathlib import Path

import boto3
import botocore.config
import pytest
from botocore.retries.standard import ThrottledRetryableChecker
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.atelier.infra.plugins.module_utils import aws_retry
from ansible_collections.atelier.infra.plugins.module_utils import cloudwatch
from ansible_collections.atelier.infra.plugins.module_utils import ecr
from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

from emulator import faults

MODULE_UTILS = Path(aws_retry.__file__).resolve().parent

# The codes the brief and AWS's error references name, by protocol.
REQUIRED = [
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestThrottled",
    "SlowDown",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
]


@pytest.mark.parametrize("code", REQUIRED)
def test_every_throttling_and_server_error_code_is_retried(code):
    assert AWSRetry.found(code, catch_extra_error_codes=RETRY_CODES)


def test_amazon_aws_alone_misses_the_json_protocols_throttling():
    # Why the list exists: without it AWSRetry gives up on a DynamoDB, ECR, Logs or Secrets Manager throttle.
    assert not AWSRetry.found("ThrottlingException")
    assert not AWSRetry.found("SlowDown")


def test_the_list_covers_botocores_throttling_codes():
    assert set(ThrottledRetryableChecker._THROTTLED_ERROR_CODES) - {"TransactionInProgressException", "LimitExceededException"} <= set(
        aws_retry.THROTTLING_CODES
    )


def test_the_list_covers_every_fault_the_emulator_injects():
    # Lambda's ServiceException aside (no module of the collection calls Lambda), every code of the fault profile.
    injected = {error.code for table in (faults.THROTTLING, faults.INTERNAL, faults.UNAVAILABLE) for error in table.values()}
    assert injected - {"ServiceException"} <= set(RETRY_CODES), injected - set(RETRY_CODES)


def _decorators(path):
    """Every AWSRetry.jittered_backoff(...) call of a module_utils file, as source text."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("jittered_backoff", "exponential_backoff"):
            calls.append((node.lineno, ast.unparse(node)))
    return calls


def test_every_wrapper_catches_the_shared_list():
    checked = 0
    for path in sorted(MODULE_UTILS.rglob("*.py")):
        for line, call in _decorators(path):
            checked += 1
            assert "RETRY_CODES" in call, f"{path.name}:{line}: {call} does not catch aws_retry.RETRY_CODES"
        # one list: no file defines its own
        source = path.read_text(encoding="utf-8")
        if path.name != "aws_retry.py":
            assert "\nRETRY_CODES =" not in source and "\nTHROTTLING =" not in source, f"{path.name} copies the list"
    assert checked >= 50


def _throttled_then(client, operation, response, code="ThrottlingException"):
    stubber = Stubber(client)
    stubber.add_client_error(operation, code, "Rate exceeded", http_status_code=400)
    stubber.add_response(operation, response)
    return stubber


def test_a_wrapper_retries_the_json_protocol_throttling(monkeypatch):
    monkeypatch.setattr(cloud.time, "sleep", lambda seconds: None)
    client = boto3.client("ecr", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    repo = {"repositoryName": "web", "repositoryArn": "arn:aws:ecr:us-east-1:123456789012:repository/web"}
    with _throttled_then(client, "describe_repositories", {"repositories": [repo]}):
        assert ecr.describe_repository(client, "web")["repositoryName"] == "web"


def test_a_wrapper_retries_a_server_error(monkeypatch):
    monkeypatch.setattr(cloud.time, "sleep", lambda seconds: None)
    client = boto3.client("cloudwatch", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with _throttled_then(client, "describe_alarms", {"MetricAlarms": []}, code="InternalFailure"):
        assert cloudwatch.describe_metric_alarms(client, "a") == []


# ---- settings ----


@pytest.mark.parametrize(
    "retries, expected",
    [
        (None, []),
        ({}, []),
        ({"mode": "adaptive", "max_attempts": 20}, []),
        ({"max_attempts": 1}, []),
        ("adaptive", ["atelier_aws_retries must be a dict with mode (standard or adaptive) and max_attempts, got 'adaptive'"]),
        ({"mode": "legacy"}, ["atelier_aws_retries.mode must be standard or adaptive, got 'legacy'"]),
        (
            {"max_attempts": 0},
            ["atelier_aws_retries.max_attempts must be an integer from 1 to 20 (the first attempt included), got 0"],
        ),
        (
            {"max_attempts": "5"},
            ["atelier_aws_retries.max_attempts must be an integer from 1 to 20 (the first attempt included), got '5'"],
        ),
        (
            {"max_attempts": True},
            ["atelier_aws_retries.max_attempts must be an integer from 1 to 20 (the first attempt included), got True"],
        ),
        ({"attempts": 5}, ["atelier_aws_retries: unknown key attempts (known: max_attempts, mode)"]),
    ],
)
def test_retries_errors(retries, expected):
    assert aws_retry.retries_errors(retries) == expected


def test_botocore_retries_count_the_first_attempt():
    assert aws_retry.botocore_retries() == {"mode": "standard", "total_max_attempts": 10}
    assert aws_retry.botocore_retries({"mode": "adaptive"}) == {"mode": "adaptive", "total_max_attempts": 10}
    config = botocore.config.Config(retries=aws_retry.botocore_retries({"max_attempts": 4}))
    client = boto3.client("sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b", config=config)
    # botocore keeps total_max_attempts - 1 retries
    assert client.meta.config.retries["total_max_attempts"] == 4
    with pytest.raises(ValueError, match="atelier_aws_retries.mode must be standard or adaptive"):
        aws_retry.botocore_retries({"mode": "fast"})


def test_module_defaults_keep_the_connection_and_add_region_and_retries():
    aws = {"endpoint_url": "http://127.0.0.1:4566", "access_key": "a", "aws_config": {"connect_timeout": 5, "retries": {"mode": "legacy"}}}
    got = aws_retry.module_defaults(aws, "eu-west-1", {"max_attempts": 6})
    assert got == {
        "endpoint_url": "http://127.0.0.1:4566",
        "access_key": "a",
        "region": "eu-west-1",
        "aws_config": {"connect_timeout": 5, "retries": {"mode": "standard", "total_max_attempts": 6}},
    }
    assert aws["aws_config"]["retries"] == {"mode": "legacy"}, "the input is not modified"
    assert aws_retry.module_defaults(None, "us-east-1") == {
        "region": "us-east-1",
        "aws_config": {"retries": {"mode": "standard", "total_max_attempts": 10}},
    }
    assert "region" not in aws_retry.module_defaults({}, "")


def test_module_defaults_refuse_what_is_not_a_dict():
    with pytest.raises(ValueError, match="atelier_aws must be a dict"):
        aws_retry.module_defaults(["profile"], "us-east-1")
    with pytest.raises(ValueError, match="atelier_aws.aws_config must be a dict"):
        aws_retry.module_defaults({"aws_config": "retries"}, "us-east-1")
