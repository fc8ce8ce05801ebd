# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How atelier.infra retries AWS: the one list of retryable error codes, and the botocore retry settings every module
run gets through the roles' module_defaults.

Two layers retry a call that AWS throttles or answers with a server error:

* botocore itself, for every module (amazon.aws, community.aws, ours), with the retry mode and number of attempts
  of ``atelier_aws_retries`` (inventories/shared/main.yml), passed to each module run as
  ``aws_config: {retries: ...}`` by :func:`module_defaults` (filter ``atelier.infra.aws_module_defaults``);
* amazon.aws's ``AWSRetry.jittered_backoff`` around each of our boto3 wrappers (plugins/module_utils/<service>.py),
  for what still fails once botocore gives up. AWSRetry's own list knows ``Throttling`` and ``RequestLimitExceeded``
  but not the codes of the JSON and REST protocols (``ThrottlingException``, ``SlowDown``, ...): every wrapper
  passes :data:`RETRY_CODES` as ``catch_extra_error_codes``.

Pure Python: no boto3 and no Ansible imports (the filters and plugins/module_utils/stack.py use it).
"""

from collections.abc import Mapping

# Every code AWS throttles with, by protocol and service (botocore's standard retry mode knows the same ones):
# EC2 RequestLimitExceeded; the query protocols (IAM, ELBv2, Auto Scaling, RDS, SNS, STS, CloudWatch, CloudFront,
# Route 53) Throttling; the JSON protocols (DynamoDB, ECR, Logs, Secrets Manager, SSM, ACM, KMS) ThrottlingException;
# Lambda and API Gateway TooManyRequestsException; DynamoDB's data plane ProvisionedThroughputExceededException; the
# Resource Groups Tagging API ThrottledException; S3 SlowDown; RequestThrottled (SQS, Route 53 domains) and the rest.
THROTTLING_CODES = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
    "BandwidthLimitExceeded",
    "PriorRequestNotComplete",
]
# The server errors (HTTP 5xx) AWS asks to retry: InternalFailure (most services), InternalError (EC2, S3),
# InternalServerError (DynamoDB), InternalServiceException (Resource Groups Tagging API), ServiceUnavailable and
# Unavailable (503).
SERVER_ERROR_CODES = [
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "InternalServiceException",
    "ServiceUnavailable",
    "Unavailable",
]
# What every AWSRetry decorator of the collection catches on top of amazon.aws's list.
RETRY_CODES = THROTTLING_CODES + SERVER_ERROR_CODES

# botocore's retry modes the collection supports: standard (exponential backoff with jitter, at most 20 s between
# two attempts; 1 s base for throttling, 50 ms for server errors) and adaptive (the same plus a client-side rate limit
# that slows the client down once AWS throttles it).
MODES = ("standard", "adaptive")
# max_attempts counts the first attempt (as the AWS CLI's max_attempts and botocore's total_max_attempts do).
MAX_ATTEMPTS = (1, 20)
# The default: at 20 % throttling plus 2 % server errors a call fails 10 attempts in a row with probability
# 0.22 ** 10 = 2.7e-7; a cold deploy of the whole stack makes about 400 calls (371 measured on inventories/local), so
# it fails on such an account about once in 10,000 deploys. With botocore's default of 3 attempts a call fails with
# probability 0.22 ** 3 = 1.1 %: about 4 failed calls per deploy. docs/architecture.md, "Reliability", has the rest.
DEFAULT_RETRIES = {"mode": "standard", "max_attempts": 10}
RETRIES_VARIABLE = "atelier_aws_retries"


def retries_errors(retries, variable=RETRIES_VARIABLE):
    """What is wrong with a retries setting ({mode, max_attempts}, both optional); empty when all is well."""
    if retries is None:
        return []
    if not isinstance(retries, Mapping):
        return [f"{variable} must be a dict with mode ({' or '.join(MODES)}) and max_attempts, got {retries!r}"]
    errors = []
    unknown = sorted(str(key) for key in retries if key not in ("mode", "max_attempts"))
    if unknown:
        errors.append(f"{variable}: unknown key {', '.join(unknown)} (known: max_attempts, mode)")
    mode = retries.get("mode", DEFAULT_RETRIES["mode"])
    if mode not in MODES:
        errors.append(f"{variable}.mode must be {' or '.join(MODES)}, got {mode!r}")
    attempts = retries.get("max_attempts", DEFAULT_RETRIES["max_attempts"])
    low, high = MAX_ATTEMPTS
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not low <= attempts <= high:
        errors.append(
            f"{variable}.max_attempts must be an integer from {low} to {high} (the first attempt included), got {attempts!r}"
        )
    return errors


def botocore_retries(retries=None):
    """botocore's ``retries`` config (``mode``, ``total_max_attempts``) for a retries setting; raises ValueError
    naming the variable when it is wrong."""
    errors = retries_errors(retries)
    if errors:
        raise ValueError("; ".join(errors))
    settings = dict(DEFAULT_RETRIES, **dict(retries or {}))
    return {"mode": settings["mode"], "total_max_attempts": settings["max_attempts"]}


def module_defaults(aws=None, region=None, retries=None):
    """The module_defaults of group/atelier.infra.stack for one role: the connection options of ``aws`` (atelier_aws:
    profile, endpoint_url, keys), the region, and ``aws_config`` with the retries (other botocore settings of
    ``aws.aws_config`` are kept; its ``retries`` gives way to ``retries``)."""
    if aws is not None and not isinstance(aws, Mapping):
        raise ValueError(f"atelier_aws must be a dict of amazon.aws connection options, got {type(aws).__name__}")
    defaults = dict(aws or {})
    config = defaults.get("aws_config") or {}
    if not isinstance(config, Mapping):
        raise ValueError(f"atelier_aws.aws_config must be a dict of botocore settings, got {type(config).__name__}")
    defaults["aws_config"] = dict(config, retries=botocore_retries(retries))
    if region:
        defaults["region"] = region
    return defaults
