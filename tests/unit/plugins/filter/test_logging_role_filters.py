# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The logging role's filters: what they refuse, and that they are the module_utils functions."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import logging_role as filters
from ansible_collections.atelier.infra.plugins.module_utils import stack


def test_the_filters_are_registered():
    assert set(filters.FilterModule().filters()) == {
        "logging_errors", "logging_key_policy", "logging_bucket_policy", "logging_outputs", "logging_kept"}


@pytest.mark.parametrize(
    "call",
    [
        lambda: filters.logging_errors(["not", "a", "dict"]),
        lambda: filters.logging_key_policy("p", "aws", "", "eu-west-1"),
        lambda: filters.logging_bucket_policy("b", "p", "aws", "1", None),
        lambda: filters.logging_outputs({"vpc": "p"}),
        lambda: filters.logging_kept("names"),
    ],
)
def test_bad_arguments_fail_clearly(call):
    with pytest.raises(AnsibleFilterError):
        call()


def test_the_filters_give_the_roles_documents():
    names = stack.stack_names("p")
    assert filters.logging_key_policy("p", "aws", "1", "eu-west-1")["Statement"][1]["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert filters.logging_bucket_policy("p-logs", "p", "aws", "1", "eu-west-1")["Statement"][0]["Sid"] == "TLSOnly"
    assert filters.logging_outputs(names, {"key_arn": "k"}, True, "eu-west-1")["bucket"] == "p-logs"
    assert filters.logging_kept(names, True, False) == [
        "S3 bucket p-logs (holds the ALB and CloudFront logs; logging_delete_data=true deletes it)"]
    assert filters.logging_errors({"logging_name_prefix": "p"}) == []
