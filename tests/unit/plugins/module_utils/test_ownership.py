# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the stack isolation check the table and repository modules make before any change."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils.ownership import caller_owner
from ansible_collections.atelier.infra.plugins.module_utils.ownership import foreign_owner

OURS = {"atelier:env": "dev", "atelier:stack": "shop", "Name": "x"}


@pytest.mark.parametrize(
    "tags, owner",
    [
        (OURS, ("dev", "shop")),
        ({"atelier:env": "dev"}, None),
        ({"atelier:stack": "shop"}, None),
        ({"atelier:env": "", "atelier:stack": "shop"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_caller_owner(tags, owner):
    assert caller_owner(tags) == owner


@pytest.mark.parametrize(
    "desired, current, refused_owner",
    [
        (OURS, {"atelier:env": "dev", "atelier:stack": "blog"}, "the stack 'blog' of the environment 'dev'"),
        (OURS, {"atelier:env": "prod", "atelier:stack": "shop"}, "the stack 'shop' of the environment 'prod'"),
        (OURS, [{"Key": "atelier:env", "Value": "dev"}, {"Key": "atelier:stack", "Value": "blog"}], "the stack 'blog'"),
        (OURS, {"atelier:stack": "blog"}, "the stack 'blog' of the environment None"),
        (OURS, {"atelier:env": "dev", "atelier:stack": "shop", "Name": "old"}, None),
        (OURS, [{"Key": "atelier:env", "Value": "dev"}, {"Key": "atelier:stack", "Value": "shop"}], None),
        (OURS, {"Name": "x"}, None),
        (OURS, {}, None),
        (OURS, None, None),
        ({"Name": "x"}, {"atelier:env": "dev", "atelier:stack": "blog"}, None),
        (None, {"atelier:env": "dev", "atelier:stack": "blog"}, None),
    ],
    ids=["other-stack", "other-env", "boto3-list", "half-tagged", "ours", "ours-boto3-list", "unowned", "untagged",
         "no-tags", "caller-claims-nothing", "caller-without-tags"],
)
def test_foreign_owner(desired, current, refused_owner):
    message = foreign_owner(desired, current, "Table T in eu-west-1")
    if refused_owner is None:
        assert message is None
    else:
        assert message.startswith(f"Table T in eu-west-1 is not this stack's: it belongs to {refused_owner}")
        assert message.endswith(
            "while the tags asked for name the stack 'shop' of the environment 'dev'. Nothing was changed: give this "
            "stack's resource another name."
        )
