# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Why a hidden (no_log) task failed, without what it hid."""

import pytest

from ansible_collections.atelier.infra.plugins.filter.aws import FilterModule
from ansible_collections.atelier.infra.plugins.module_utils.failures import failure_reason
from ansible_collections.atelier.infra.plugins.module_utils.failures import redact

SECRET = "s3cr3tValue0123456789abcdefABCDEF"
THROTTLED = {
    "failed": True,
    "msg": "Failed to create secret: An error occurred (ThrottlingException) when calling the CreateSecret operation "
    "(reached max retries: 0): Rate exceeded",
    "error": {"code": "ThrottlingException", "message": "Rate exceeded"},
    "response_metadata": {"http_status_code": 400},
}


def test_an_aws_failure_names_the_module_the_action_the_code_and_the_message():
    reason = failure_reason(THROTTLED, "community.aws.secretsmanager_secret", "keep the origin secret dev-shop/web/origin-verify")
    assert reason == (
        "community.aws.secretsmanager_secret could not keep the origin secret dev-shop/web/origin-verify: Failed to create secret: "
        "An error occurred (ThrottlingException) when calling the CreateSecret operation (reached max retries: 0): Rate exceeded "
        "(AWS error ThrottlingException)"
    )


def test_the_secrets_given_never_appear():
    leaky = dict(THROTTLED, msg=f"Invalid value {SECRET} for Values[0]; prefix {SECRET[:8]}")
    reason = failure_reason(leaky, "amazon.aws.elb_application_lb", "converge the load balancer", [SECRET, "", None])
    assert SECRET not in reason
    assert "Invalid value <hidden> for Values[0]" in reason
    # only whole values are hidden, not their fragments
    assert SECRET[:8] in reason


def test_longer_secrets_are_hidden_first():
    assert redact("abcdef abc", ["abc", "abcdef"]) == "<hidden> <hidden>"


def test_a_module_that_died_gives_the_last_line_of_its_stderr():
    died = {
        "failed": True,
        "msg": "MODULE FAILURE\nSee stdout/stderr for the exact error",
        "module_stderr": "Traceback (most recent call last):\n  File ...\n"
        "botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the GetSecretValue operation: Rate exceeded\n",
    }
    reason = failure_reason(died, "community.aws.secretsmanager_secret", "keep the secret")
    assert reason.endswith("botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the GetSecretValue operation: Rate exceeded")
    assert reason.startswith("community.aws.secretsmanager_secret could not keep the secret: MODULE FAILURE")


def test_a_loop_reports_its_first_failed_item():
    looped = {"failed": True, "msg": "One or more items failed", "results": [{"failed": False}, THROTTLED]}
    assert "(AWS error ThrottlingException)" in failure_reason(looped, "m", "do it")


@pytest.mark.parametrize("result", [{}, {"failed": True}, None, "text"])
def test_a_failure_without_a_message_still_says_so(result):
    assert failure_reason(result, "m", "do it").startswith("m could not do it: ")


def test_the_filter():
    assert FilterModule().filters()["aws_failure"](THROTTLED, "m", "do it", [SECRET]).endswith("(AWS error ThrottlingException)")
