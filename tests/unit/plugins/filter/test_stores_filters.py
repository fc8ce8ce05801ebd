# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The stores role's filters and the stack_resources filter with the stores: what they refuse, and what they pass on."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import stack as stack_filters
from ansible_collections.atelier.infra.plugins.filter import stores as filters


def test_the_filters_are_registered():
    assert set(filters.FilterModule().filters()) == {"stores_errors", "stores_declared", "stores_plan", "stores_outputs", "stores_kept"}


@pytest.mark.parametrize(
    "call",
    [
        lambda: filters.stores_errors(["not", "a", "dict"]),
        lambda: filters.stores_declared({"stores_name_prefix": "dev", "stores_buckets": [{"name": "UP"}]}, "dev", "app"),
        lambda: filters.stores_plan("stores", []),
        lambda: filters.stores_outputs(None),
        lambda: stack_filters.stack_resources("dev", buckets="uploads"),
        lambda: stack_filters.stack_resources("dev", queues={"name": "q"}),
    ],
)
def test_bad_arguments_fail_clearly(call):
    with pytest.raises(AnsibleFilterError):
        call()


def test_declared_stores_carry_their_arns():
    declared = filters.stores_declared({"stores_name_prefix": "dev-app", "stores_queues": [{"name": "jobs", "dead_letter": True}]},
                                       "dev", "app", "aws", 123456789012, "eu-west-1")
    assert declared["buckets"] == [] and declared["topics"] == []
    assert [q["arn"] for q in declared["queues"]] == ["arn:aws:sqs:eu-west-1:123456789012:dev-app-jobs-dlq",
                                                       "arn:aws:sqs:eu-west-1:123456789012:dev-app-jobs"]


def test_stack_resources_lists_the_declared_stores():
    found = stack_filters.stack_resources("dev-app", "", False, env="dev", buckets=[{"name": "uploads"}],
                                          queues=[{"name": "jobs", "dead_letter": {"max_receive_count": 2}}], topics=[{"name": "done"}])
    assert found["prefix"] == "dev-app" and found["env"] == "dev"
    assert (found["resources"]["s3_bucket"], found["resources"]["sqs_queue"], found["resources"]["sns_topic"]) == (
        ["uploads"], ["jobs", "jobs-dlq"], ["done"])
    assert stack_filters.stack_resources("dev-app")["resources"]["s3_bucket"] == []
