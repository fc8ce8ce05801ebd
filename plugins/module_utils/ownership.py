# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Stack isolation for the modules that tag account-global resources (a DynamoDB table, an ECR repository).

A caller that manages a resource for a stack puts the stack's ownership tags (``atelier:env``, ``atelier:stack``;
plugins/module_utils/stack.py) in the module's ``tags``. Before the module changes anything on a resource that
already exists, ``foreign_owner`` compares those with the resource's own tags: a resource another stack or
environment owns is refused, one without ownership tags is adopted, one of the same stack is ours. A caller whose tags
carry no ownership tags claims no stack, and nothing is checked.
"""

from ansible_collections.atelier.infra.plugins.module_utils.stack import TAG_ENV
from ansible_collections.atelier.infra.plugins.module_utils.stack import TAG_STACK
from ansible_collections.atelier.infra.plugins.module_utils.stack import owner_conflict


def caller_owner(tags):
    """(env, stack) the caller's tags claim, or None when they claim no stack (either tag missing)."""
    tags = tags or {}
    if tags.get(TAG_ENV) in (None, "") or tags.get(TAG_STACK) in (None, ""):
        return None
    return str(tags[TAG_ENV]), str(tags[TAG_STACK])


def foreign_owner(desired_tags, current_tags, resource):
    """A message refusing the change when current_tags (a dict, or a boto3 list of Key/Value) say another stack owns
    the resource than the one desired_tags claim; None when the change may go on. resource names it in the message
    (for example ``Table AtelierDB in eu-west-1``)."""
    owner = caller_owner(desired_tags)
    if owner is None:
        return None
    conflict = owner_conflict(current_tags, *owner)
    if conflict is None:
        return None
    return (
        f"{resource} is not this stack's: {conflict}, while the tags asked for name the stack {owner[1]!r} of the "
        f"environment {owner[0]!r}. Nothing was changed: give this stack's resource another name."
    )
