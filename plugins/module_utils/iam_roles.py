# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM roles converged whole, for atelier.infra.iam_role_set: the role, its trust policy, description, session
duration, permissions boundary, tags, its exact set of attached managed policies and inline policies, and the instance
profile of the same name.

``plan_role`` compares what a role has (as ``read_role`` returns it) with what is wanted and gives the calls to make,
each with the plan line it stands for (``update iam role <name>: <attribute>``); ``apply`` makes them. The boto3
wrappers retry with amazon.aws' decorator and the collection's codes and turn botocore errors into AnsibleIAMRoleError.
"""

import json

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

NO_SUCH_ENTITY = "NoSuchEntity"
EXISTS = "EntityAlreadyExists"
# AddRoleToInstanceProfile on a profile that holds a role already (a lost answer's retry: the role is in it).
PROFILE_FULL = "LimitExceeded"
DEFAULT_SESSION = 3600


class AnsibleIAMRoleError(AnsibleAWSError):
    pass


class IAMRoleErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleIAMRoleError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(NO_SUCH_ENTITY)


def _retry():
    return AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)


@IAMRoleErrorHandler.list_error_handler("get role", None)
@_retry()
def get_role(client, name):
    return client.get_role(RoleName=name)["Role"]


@IAMRoleErrorHandler.list_error_handler("list attached role policies", [])
@_retry()
def list_attached(client, name):
    pages = client.get_paginator("list_attached_role_policies").paginate(RoleName=name).build_full_result()
    return sorted(p["PolicyArn"] for p in pages.get("AttachedPolicies", []))


@IAMRoleErrorHandler.list_error_handler("list role policies", [])
@_retry()
def list_inline(client, name):
    return sorted(client.get_paginator("list_role_policies").paginate(RoleName=name).build_full_result().get("PolicyNames", []))


@IAMRoleErrorHandler.list_error_handler("get role policy", None)
@_retry()
def get_inline(client, name, policy):
    document = client.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
    return json.loads(document) if isinstance(document, str) else document


@IAMRoleErrorHandler.list_error_handler("list instance profiles for role", [])
@_retry()
def list_profiles(client, name):
    pages = client.get_paginator("list_instance_profiles_for_role").paginate(RoleName=name).build_full_result()
    return sorted(p["InstanceProfileName"] for p in pages.get("InstanceProfiles", []))


@IAMRoleErrorHandler.list_error_handler("get instance profile", None)
@_retry()
def get_profile(client, name):
    return client.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]


def _common(what):
    return IAMRoleErrorHandler.common_error_handler(what)


def _deletion(what):
    return IAMRoleErrorHandler.deletion_error_handler(what)


@_common("create role")
@_retry()
def _create_role(client, **kwargs):
    return client.create_role(**kwargs)["Role"]


def create_role(client, name, wanted):
    """Create the role; a create whose answer was lost (retried by botocore, refused as existing) adopts the role."""
    kwargs = dict(
        RoleName=name,
        Path=wanted["path"],
        AssumeRolePolicyDocument=json.dumps(wanted["trust_policy"], sort_keys=True),
        Description=wanted["description"],
        MaxSessionDuration=wanted["max_session_duration"],
    )
    if wanted["permissions_boundary"]:
        kwargs["PermissionsBoundary"] = wanted["permissions_boundary"]
    if wanted["tags"]:
        kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(wanted["tags"].items())]
    try:
        return _create_role(client, **kwargs)
    except AnsibleIAMRoleError as e:
        if not is_boto3_error_code(EXISTS, e=e.exception):
            raise
        return get_role(client, name)


CALLS = {
    "update_trust": ("update assume role policy", lambda c, n, v: c.update_assume_role_policy(RoleName=n, PolicyDocument=json.dumps(v, sort_keys=True))),
    "update_role": ("update role", lambda c, n, v: c.update_role(RoleName=n, **v)),
    "put_boundary": ("put role permissions boundary", lambda c, n, v: c.put_role_permissions_boundary(RoleName=n, PermissionsBoundary=v)),
    "delete_boundary": ("delete role permissions boundary", lambda c, n, v: c.delete_role_permissions_boundary(RoleName=n)),
    "tag": ("tag role", lambda c, n, v: c.tag_role(RoleName=n, Tags=[{"Key": k, "Value": x} for k, x in sorted(v.items())])),
    "untag": ("untag role", lambda c, n, v: c.untag_role(RoleName=n, TagKeys=sorted(v))),
    "attach": ("attach role policy", lambda c, n, v: c.attach_role_policy(RoleName=n, PolicyArn=v)),
    "put_inline": ("put role policy", lambda c, n, v: c.put_role_policy(RoleName=n, PolicyName=v[0], PolicyDocument=json.dumps(v[1], sort_keys=True))),
    "create_profile": ("create instance profile", lambda c, n, v: c.create_instance_profile(InstanceProfileName=v, Path="/")),
    "add_to_profile": ("add role to instance profile", lambda c, n, v: c.add_role_to_instance_profile(InstanceProfileName=v, RoleName=n)),
}
# Calls that may find their work done (a lost answer retried, a concurrent removal): what they tolerate.
DELETIONS = {
    "detach": ("detach role policy", lambda c, n, v: c.detach_role_policy(RoleName=n, PolicyArn=v)),
    "delete_inline": ("delete role policy", lambda c, n, v: c.delete_role_policy(RoleName=n, PolicyName=v)),
    "remove_from_profile": ("remove role from instance profile", lambda c, n, v: c.remove_role_from_instance_profile(InstanceProfileName=v, RoleName=n)),
    "delete_profile": ("delete instance profile", lambda c, n, v: c.delete_instance_profile(InstanceProfileName=v)),
    "delete_role": ("delete role", lambda c, n, v: c.delete_role(RoleName=n)),
}


def call(client, operation, name, value):
    """Make one planned call (see plan_role), with retries; a deletion of something gone is done."""
    if operation in DELETIONS:
        what, fn = DELETIONS[operation]
        return _deletion(what)(_retry()(fn))(client, name, value)
    what, fn = CALLS[operation]
    try:
        return _common(what)(_retry()(fn))(client, name, value)
    except AnsibleIAMRoleError as e:
        # A create or add whose answer was lost and that botocore retried: the work is done.
        if operation == "create_profile" and is_boto3_error_code(EXISTS, e=e.exception):
            return None
        if operation == "add_to_profile" and is_boto3_error_code(PROFILE_FULL, e=e.exception):
            if name in [r["RoleName"] for r in (get_profile(client, value) or {}).get("Roles", [])]:
                return None
        raise


def read_role(client, name, inline=True, profiles=True):
    """What the role has, or None when there is no such role: {arn, role_id, path, trust_policy, description,
    max_session_duration, permissions_boundary, tags, managed_policies, inline_policies, instance_profiles}.

    inline: read each inline policy's document (else only their names, with None); profiles: list the instance
    profiles that hold the role (else instance_profiles is [] without a call: not read, which plan_role only needs
    when the role is to be in its instance profile)."""
    role = get_role(client, name)
    if role is None:
        return None
    current = {
        "arn": role["Arn"],
        "role_id": role.get("RoleId"),
        "path": role.get("Path", "/"),
        "trust_policy": role.get("AssumeRolePolicyDocument") or {},
        "description": role.get("Description") or "",
        "max_session_duration": role.get("MaxSessionDuration") or DEFAULT_SESSION,
        "permissions_boundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn") or "",
        "tags": {t["Key"]: t["Value"] for t in role.get("Tags") or []},
        "managed_policies": list_attached(client, name),
        "inline_policies": {},
        "instance_profiles": list_profiles(client, name) if profiles else [],
    }
    if isinstance(current["trust_policy"], str):
        current["trust_policy"] = json.loads(current["trust_policy"])
    for policy in list_inline(client, name):
        document = get_inline(client, name, policy) if inline else None
        if document is not None or not inline:
            current["inline_policies"][policy] = document
    return current


def _differs(first, second):
    return compare_policies(first or {}, second or {})


def plan_role(name, current, wanted):
    """The calls that make the role what is wanted: [(operation, value, plan line)], in the order to make them.

    current: read_role's answer (None: the role does not exist); wanted: the module's role options (state present).
    The plan lines are those of the collection's plan (``create iam role <name>``, ``update iam role <name>: <what>``).
    """
    steps = []
    update = f"update iam role {name}: "
    if current is None:
        steps.append(("create_role", wanted, f"create iam role {name}"))
        current = {"trust_policy": wanted["trust_policy"], "description": wanted["description"],
                   "max_session_duration": wanted["max_session_duration"],
                   "permissions_boundary": wanted["permissions_boundary"], "tags": dict(wanted["tags"]),
                   "managed_policies": [], "inline_policies": {}, "instance_profiles": []}
    if _differs(current["trust_policy"], wanted["trust_policy"]):
        steps.append(("update_trust", wanted["trust_policy"], update + "trust policy"))
    changes = {}
    if current["description"] != wanted["description"]:
        changes["Description"] = wanted["description"]
    if current["max_session_duration"] != wanted["max_session_duration"]:
        changes["MaxSessionDuration"] = wanted["max_session_duration"]
    if changes:
        steps.append(("update_role", changes, update + ", ".join(
            {"Description": "description", "MaxSessionDuration": "max session duration"}[k] for k in changes)))
    if current["permissions_boundary"] != wanted["permissions_boundary"]:
        if wanted["permissions_boundary"]:
            steps.append(("put_boundary", wanted["permissions_boundary"], update + "permissions boundary"))
        else:
            steps.append(("delete_boundary", None, update + "permissions boundary"))
    gone = sorted(set(current["tags"]) - set(wanted["tags"]))
    differing = {k: v for k, v in wanted["tags"].items() if current["tags"].get(k) != v}
    if gone:
        steps.append(("untag", gone, update + "tags"))
    if differing:
        steps.append(("tag", differing, update + "tags"))
    for arn in sorted(set(wanted["managed_policies"]) - set(current["managed_policies"])):
        steps.append(("attach", arn, update + f"attach {arn}"))
    for arn in sorted(set(current["managed_policies"]) - set(wanted["managed_policies"])):
        steps.append(("detach", arn, update + f"detach {arn}"))
    for policy, document in sorted(wanted["inline_policies"].items()):
        if policy not in current["inline_policies"] or _differs(current["inline_policies"][policy], document):
            steps.append(("put_inline", (policy, document), update + f"policy {policy}"))
    for policy in sorted(set(current["inline_policies"]) - set(wanted["inline_policies"])):
        steps.append(("delete_inline", policy, update + f"remove policy {policy}"))
    if wanted["instance_profile"] and name not in current["instance_profiles"]:
        # The profile is counted with its role, as the plan counts a role's inline policies.
        steps.append(("ensure_profile", name, update + "instance profile"))
    return steps


# The options of one role in iam_role_set's roles option: the module's argument spec, and what wanted_role fills in.
ROLE_OPTIONS = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    path=dict(type="str", default="/"),
    trust_policy=dict(type="dict"),
    description=dict(type="str", default=""),
    max_session_duration=dict(type="int", default=DEFAULT_SESSION),
    permissions_boundary=dict(type="str", default=""),
    managed_policies=dict(type="list", elements="str", default=[]),
    inline_policies=dict(type="dict", default={}),
    instance_profile=dict(type="bool", default=False),
    tags=dict(type="dict", default={}),
)


def normalise(role):
    """Put a role (as the module's argument spec validated it) in the form plan_role compares, in place: inline
    policies given as JSON text are parsed (text that is not JSON is left for role_errors to name); tag values are
    text. Returns the role."""
    role["inline_policies"] = {policy: _parsed(document) for policy, document in (role.get("inline_policies") or {}).items()}
    role["tags"] = {str(k): str(v) for k, v in (role.get("tags") or {}).items()}
    return role


def _parsed(document):
    if isinstance(document, str):
        try:
            return json.loads(document)
        except ValueError:
            return document
    return document


def role_errors(role):
    """What is wrong with one normalised role, before any AWS call."""
    found, name = [], role["name"]
    if role["state"] == "present" and not role.get("trust_policy"):
        found.append(f"role {name}: trust_policy is required with state present")
    if not 3600 <= role["max_session_duration"] <= 43200:
        found.append(f"role {name}: max_session_duration must be 3600 to 43200 seconds")
    for policy, document in role["inline_policies"].items():
        if not isinstance(document, dict) or "Statement" not in document:
            found.append(f"role {name}: inline policy {policy} must be a policy document with a Statement")
    return found


def wanted_role(role, tags=None):
    """A role as iam_role_set's roles option gives it, with the module's defaults (its own argument spec fills them
    in), the module's tags option merged under the role's own, and normalised: what plan_role takes. Raises ValueError
    for a role the module would refuse."""
    validated = ArgumentSpecValidator(ROLE_OPTIONS).validate(role)
    if validated.error_messages:
        raise ValueError("; ".join(validated.error_messages))
    wanted = validated.validated_parameters
    wanted["tags"] = dict(tags or {}, **(wanted["tags"] or {}))
    problems = role_errors(normalise(wanted))
    if problems:
        raise ValueError("; ".join(problems))
    return wanted


def role_changes(current, role, tags=None):
    """The plan lines iam_role_set would make for one present role (role as its roles option gives it, tags its tags
    option), given what read_role answered of it (None: there is none); [] when it would change nothing."""
    return [line for _op, _value, line in plan_role(role["name"], current, wanted_role(role, tags))]


def plan_removal(name, current, delete_profile=True):
    """The calls that delete the role and what holds it: [(operation, value, plan line)]."""
    if current is None:
        return []
    steps = [("detach", arn, f"update iam role {name}: detach {arn}") for arn in current["managed_policies"]]
    steps += [("delete_inline", p, f"update iam role {name}: remove policy {p}") for p in sorted(current["inline_policies"])]
    for profile in current["instance_profiles"]:
        steps.append(("remove_from_profile", profile, f"update iam role {name}: leave instance profile {profile}"))
        if delete_profile and profile == name:
            steps.append(("delete_profile", profile, f"update iam role {name}: delete instance profile {profile}"))
    steps.append(("delete_role", None, f"delete iam role {name}"))
    return steps


def plan_orphan_profile(name, profile):
    """The call that deletes the instance profile of a role that is gone, when it holds no role."""
    if profile is None or profile.get("Roles"):
        return []
    return [("delete_profile", name, f"delete instance profile {name}")]


def apply(client, name, steps, done):
    """Make the planned calls, appending each one's plan line to done once made; the created role (as CreateRole
    answers it) when one was created, else None."""
    created = None
    for operation, value, line in steps:
        if operation == "create_role":
            created = create_role(client, name, value)
        elif operation == "ensure_profile":
            if get_profile(client, value) is None:
                call(client, "create_profile", name, value)
            call(client, "add_to_profile", name, value)
        else:
            call(client, operation, name, value)
        done.append(line)
    return created
