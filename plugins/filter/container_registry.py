# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the container_registry role: its repositories as data, their checks, lifecycle policies and outputs.

The logic is plugins/module_utils/container_registry_role.py; the documentation of each filter is beside this file
(container_registry_repositories.yml, container_registry_errors.yml, container_registry_lifecycle_policy.yml,
container_registry_wrong_encryption.yml, container_registry_account.yml, container_registry_outputs.yml,
container_registry_tag_mutability.yml).
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import container_registry_role


def _inputs(inputs, name):
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(
            f"{name}: the role's inputs are a dict of container_registry_* names to values, got {type(inputs).__name__}"
        )
    return inputs


def _list(value, name, what):
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise AnsibleFilterError(f"{name}: {what} must be a list, got {type(value).__name__}")
    return value


def container_registry_repositories(inputs):
    """Every repository of container_registry_repositories as a dict, the role-wide values filled in."""
    return container_registry_role.repositories(_inputs(inputs, "container_registry_repositories"))


def container_registry_errors(inputs):
    """What is wrong with the container_registry role's inputs that its argument spec cannot see."""
    return container_registry_role.errors(_inputs(inputs, "container_registry_errors"))


def container_registry_tag_mutability(tiers):
    """IMMUTABLE when every tier image of the stack's repositories is pinned (a tag other than latest, or a digest),
    else MUTABLE."""
    return container_registry_role.tag_mutability(_list(tiers, "container_registry_tag_mutability", "the tiers"))


def container_registry_lifecycle_policy(repository):
    """The lifecycle policy document of one repository (an item of container_registry_repositories)."""
    if not isinstance(repository, Mapping):
        raise AnsibleFilterError(f"container_registry_lifecycle_policy: a repository is a dict, got {type(repository).__name__}")
    missing = [key for key in ("untagged_days", "lifecycle_keep") if key not in repository]
    if missing:
        raise AnsibleFilterError(f"container_registry_lifecycle_policy: the repository has no {', '.join(missing)}")
    return container_registry_role.lifecycle_policy(repository)


def container_registry_wrong_encryption(results):
    """The repositories of an ecs_ecr loop's results whose encryption is not the one asked for."""
    return container_registry_role.wrong_encryption(_list(results, "container_registry_wrong_encryption", "the results"))


def container_registry_to_converge(owned, repositories):
    """The repositories community.aws.ecs_ecr must converge: missing, or whose settings as read differ."""
    return container_registry_role.to_converge(
        _list(owned, "container_registry_to_converge", "the repositories read"),
        _list(repositories, "container_registry_to_converge", "the repositories"),
    )


def container_registry_described(results, owned):
    """The ecs_ecr loop's results, the skipped ones replaced by the repositories as read."""
    return container_registry_role.described(
        _list(results, "container_registry_described", "the results"),
        _list(owned, "container_registry_described", "the repositories read"),
    )


def container_registry_account(results):
    """The registry's account from an ecs_ecr loop's results, or None when none holds a repository."""
    return container_registry_role.account(_list(results, "container_registry_account", "the results"))


def container_registry_outputs(repositories, account, region):
    """container_registry_outputs: registry host, region and each repository's URI by name."""
    _list(repositories, "container_registry_outputs", "the repositories")
    return container_registry_role.outputs(repositories, account, region)


class FilterModule:
    """container_registry role filters."""

    def filters(self):
        return {
            "container_registry_repositories": container_registry_repositories,
            "container_registry_errors": container_registry_errors,
            "container_registry_lifecycle_policy": container_registry_lifecycle_policy,
            "container_registry_wrong_encryption": container_registry_wrong_encryption,
            "container_registry_account": container_registry_account,
            "container_registry_to_converge": container_registry_to_converge,
            "container_registry_described": container_registry_described,
            "container_registry_outputs": container_registry_outputs,
            "container_registry_tag_mutability": container_registry_tag_mutability,
        }
