#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: iam_role_set
version_added: 0.1.0
short_description: Converge IAM roles whole - trust, tags, managed and inline policies, instance profile - in one run
description:
  - Converges each role given, in one module run - its trust policy, description, maximum session duration,
    permissions boundary and tags, its exact set of attached managed policies and of inline policies (any other is
    detached or deleted), and, when asked, the instance profile of the same name holding it. O(roles[].state=absent)
    detaches and deletes what the role holds, takes it out of its instance profiles (deleting the one of its name) and
    deletes it.
  - A no-op reads each role with C(GetRole), C(ListAttachedRolePolicies), C(ListRolePolicies), one C(GetRolePolicy)
    per inline policy and, only with O(roles[].instance_profile=true), C(ListInstanceProfilesForRole), and makes no
    other call. Check mode reads the same and reports what would change.
  - A role to remove (O(roles[].state=absent), O(remove)) is read with C(GetRole), C(ListAttachedRolePolicies),
    C(ListRolePolicies) and C(ListInstanceProfilesForRole), whatever O(roles[].instance_profile) says.
  - Fills these gaps of C(amazon.aws.iam_role) and C(amazon.aws.iam_policy) (10.x), which need one module run per
    role and one per inline policy, cannot purge inline policies they were not told about, and print deprecation
    warnings on every run (C(assume_role_policy_document_raw), C(create_instance_profile),
    C(delete_instance_profile)) whatever the options.
  - A create whose answer was lost (retried by botocore and refused as existing) adopts the role and the instance
    profile of that name.
author:
  - Atelier infra developers (@atelier-infra)
options:
  roles:
    description: The roles.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The role's name.
        type: str
        required: true
      state:
        description: Whether the role exists.
        type: str
        choices: [present, absent]
        default: present
      path:
        description: The role's path, used when it is created (a path cannot change).
        type: str
        default: /
      trust_policy:
        description: The trust policy (who may assume the role). Required with O(roles[].state=present).
        type: dict
      description:
        description: The role's description.
        type: str
        default: ""
      max_session_duration:
        description: The maximum session duration in seconds (3600 to 43200).
        type: int
        default: 3600
      permissions_boundary:
        description: The ARN of the managed policy that bounds the role's permissions; V("") for none (removed).
        type: str
        default: ""
      managed_policies:
        description: The ARNs of the managed policies attached to the role, exactly (others are detached).
        type: list
        elements: str
        default: []
      inline_policies:
        description: The role's inline policies by name, exactly (others are deleted).
        type: dict
        default: {}
      instance_profile:
        description:
          - Whether an instance profile of the role's name holds the role (created when missing).
          - With V(false) the role's instance profiles are neither read (no C(ListInstanceProfilesForRole)) nor
            changed; the role stays in any profile it is in, and the diff does not show them.
          - With O(roles[].state=absent), the instance profile of the role's name is deleted with the role whatever
            this says; V(true) also deletes it when the role is gone already and the profile holds no role (a removal
            cut short), at the cost of one C(GetInstanceProfile).
        type: bool
        default: false
      tags:
        description: The role's own tags; with O(tags), the role's tags exactly (others are removed).
        type: dict
        default: {}
  tags:
    description: Tags every role of O(roles) has, under its own O(roles[].tags).
    type: dict
    default: {}
  remove:
    description:
      - Names of roles to delete with what they hold, as O(roles) entries with O(roles[].state=absent) would (the
        instance profile of a role's name included).
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description:
      - Returns each role's settings before and after; its instance profiles only with O(roles[].instance_profile=true)
        or O(roles[].state=absent).
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: An instance role with its profile, two managed policies and the tier's inline policy
  atelier.infra.iam_role_set:
    roles:
      - name: dev-app-web
        description: Instances of the web tier
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
        managed_policies:
          - arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore
          - arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy
        inline_policies:
          tier-access: "{{ lookup('file', 'tier-access.json') | from_json }}"
        instance_profile: true
        tags: {atelier:stack: app}

- name: Remove a role and everything it holds
  atelier.infra.iam_role_set:
    roles:
      - {name: dev-app-old, state: absent}
"""

RETURN = r"""
roles:
  description: Each role as it is after the run (or, in check mode, as it would be).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The role's name.
      type: str
    arn:
      description: The role's ARN (empty for a role that does not exist, or would be created in check mode).
      type: str
    role_id:
      description: The role's id (empty as for the ARN).
      type: str
    state:
      description: present or absent.
      type: str
    inline_policies:
      description: The names of the role's inline policies after the run.
      type: list
      elements: str
    changed:
      description: Whether the role was (or would be) changed.
      type: bool
actions:
  description: What the run did (or, in check mode, would do), one line per change, in the collection's plan wording.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils import iam_roles


def errors(roles):
    """What is wrong with the roles given (normalised in place), before any AWS call."""
    found, names = [], set()
    for role in roles:
        if role["name"] in names:
            found.append(f"role {role['name']} is given twice")
        names.add(role["name"])
        found.extend(iam_roles.role_errors(iam_roles.normalise(role)))
    return found


def _view(current, profiles=True):
    """The role as the diff shows it; without the instance profiles when they were not read."""
    if current is None:
        return None
    hidden = ("arn", "role_id") if profiles else ("arn", "role_id", "instance_profiles")
    return {k: v for k, v in current.items() if k not in hidden}


def converge(module, client, role, done):
    """Converge one role; each call made is appended to done (its plan line) as soon as it succeeded."""
    name = role["name"]
    present = role["state"] == "present"
    # A present role's instance profiles matter only when it is to be in the one of its name (plan_role); a removal
    # takes the role out of all of them (plan_removal).
    profiles = not present or role["instance_profile"]
    current = iam_roles.read_role(client, name, inline=present, profiles=profiles)
    if present:
        steps = iam_roles.plan_role(name, current, role)
    elif current is None and role["instance_profile"]:
        # A removal cut short after the role went: its empty profile goes too.
        steps = iam_roles.plan_orphan_profile(name, iam_roles.get_profile(client, name))
    else:
        steps = iam_roles.plan_removal(name, current)
    created = None
    if module.check_mode:
        done.extend(line for _op, _value, line in steps)
    else:
        created = iam_roles.apply(client, name, steps, done)
    arn, role_id = "", ""
    if present and current:
        arn, role_id = current["arn"], current["role_id"]
    elif present and created:
        arn, role_id = created["Arn"], created["RoleId"]
    after = None
    if present:
        after = {k: role[k] for k in ("path", "trust_policy", "description", "max_session_duration",
                                      "permissions_boundary", "tags", "inline_policies")}
        after["path"] = (current or {}).get("path", role["path"])
        after["managed_policies"] = sorted(role["managed_policies"])
        if profiles:
            after["instance_profiles"] = sorted(set((current or {}).get("instance_profiles", []))
                                                | ({name} if role["instance_profile"] else set()))
    result = {"name": name, "arn": arn, "role_id": role_id, "state": role["state"],
              "inline_policies": sorted(role["inline_policies"]) if present else [], "changed": bool(steps)}
    return result, _view(current, profiles), after


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            roles=dict(type="list", elements="dict", default=[], options=iam_roles.ROLE_OPTIONS),
            tags=dict(type="dict", default={}),
            remove=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    roles = [dict(role, tags=dict(module.params["tags"], **(role.get("tags") or {}))) for role in module.params["roles"]]
    roles += [dict({k: v.get("default") for k, v in iam_roles.ROLE_OPTIONS.items()}, name=name, state="absent")
              for name in module.params["remove"]]
    problems = errors(roles)
    if problems:
        module.fail_json(msg="iam_role_set: " + "; ".join(problems))
    client = module.client("iam")
    results, done, diff = [], [], {"before": {}, "after": {}}
    for role in roles:
        try:
            result, before, after = converge(module, client, role, done)
        except iam_roles.AnsibleIAMRoleError as e:
            # What was done before the failure still happened: the plan shows it.
            if e.exception:
                module.fail_json_aws(e.exception, msg=e.message, actions=done)
            module.fail_json(msg=e.message, actions=done)
        results.append(result)
        diff["before"][role["name"]], diff["after"][role["name"]] = before, after
    module.exit_json(changed=bool(done), roles=results, actions=done, diff=diff)


if __name__ == "__main__":
    main()
