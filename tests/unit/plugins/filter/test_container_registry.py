# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the container_registry filters (the logic's own tests:
tests/unit/plugins/module_utils/test_container_registry_role.py)."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import container_registry as f

from tests.unit.plugins.module_utils.test_container_registry_role import DEFAULTS


def test_filters_are_registered():
    assert f.FilterModule().filters() == {
        "container_registry_repositories": f.container_registry_repositories,
        "container_registry_errors": f.container_registry_errors,
        "container_registry_lifecycle_policy": f.container_registry_lifecycle_policy,
        "container_registry_wrong_encryption": f.container_registry_wrong_encryption,
        "container_registry_account": f.container_registry_account,
        "container_registry_to_converge": f.container_registry_to_converge,
        "container_registry_described": f.container_registry_described,
        "container_registry_outputs": f.container_registry_outputs,
        "container_registry_tag_mutability": f.container_registry_tag_mutability,
    }


def test_the_role_chain():
    """What the role does with the filters: normalise, check, write the lifecycle policy, publish."""
    assert f.container_registry_errors(DEFAULTS) == []
    repos = f.container_registry_repositories(DEFAULTS)
    assert [len(f.container_registry_lifecycle_policy(r)["rules"]) for r in repos] == [2, 2]
    assert f.container_registry_wrong_encryption([{"item": repos[0], "repository": {}}]) == []
    assert f.container_registry_outputs(repos, "123456789012", "eu-west-1")["repositories"]["dev-shop/goal-tracker-backend"] == (
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dev-shop/goal-tracker-backend"
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: f.container_registry_repositories("x"), "the role's inputs are a dict of container_registry_"),
        (lambda: f.container_registry_errors(None), "the role's inputs are a dict of container_registry_"),
        (lambda: f.container_registry_lifecycle_policy("dev-shop/web"), "a repository is a dict, got str"),
        (lambda: f.container_registry_lifecycle_policy({"name": "dev-shop/web"}), "the repository has no untagged_days, lifecycle_keep"),
        (lambda: f.container_registry_wrong_encryption({"results": []}), "the results must be a list, got dict"),
        (lambda: f.container_registry_account({"results": []}), "the results must be a list, got dict"),
        (lambda: f.container_registry_outputs("dev-shop/web", "1", "eu-west-1"), "the repositories must be a list, got str"),
        (lambda: f.container_registry_tag_mutability({"name": "web"}), "the tiers must be a list, got dict"),
    ],
)
def test_wrong_input_types(call, message):
    with pytest.raises(AnsibleFilterError, match=message):
        call()


def test_tag_mutability_filter():
    assert f.container_registry_tag_mutability([{"name": "web", "image": "web:2.0.1"}]) == "IMMUTABLE"
    assert f.container_registry_tag_mutability([{"name": "web", "image": "web:latest"}]) == "MUTABLE"


def test_the_account_is_the_registry_ecr_answered_else_none():
    """The role asks aws_caller_info only when this is None: check mode before the repositories exist, or none."""
    created = {"item": {"name": "a"}, "changed": True, "repository": {"registryId": "123456789012", "repositoryName": "a"}}
    would_create = {"item": {"name": "b"}, "changed": True, "repository": None}
    skipped = {"item": {"name": "c"}, "skipped": True}
    assert f.container_registry_account([would_create, skipped, created]) == "123456789012"
    assert f.container_registry_account([would_create, skipped]) is None
    assert f.container_registry_account([]) is None
