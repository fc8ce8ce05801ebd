#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cognito_user_pool
version_added: 0.1.0
short_description: Manage one Cognito user pool by name, with its MFA setting and its app clients
description:
  - Create, update or delete one Amazon Cognito user pool found by its name, its password policy, sign-in attribute,
    auto-verified attributes, MFA (software token), deletion protection, account recovery and tags, and the app
    clients listed in O(clients), in one module run.
  - Fills a gap - neither C(amazon.aws) nor C(community.aws) (10.x) has a Cognito user pool module.
  - UpdateUserPool and UpdateUserPoolClient reset every setting their request leaves out to its default, so an update
    sends the whole configuration DescribeUserPool / DescribeUserPoolClient returned, overlaid with the options.
    Only what differs is changed; a second run makes no call that changes anything; check mode only reads.
  - With O(state=absent) a pool with deletion protection is kept (RV(kept) is true) unless O(delete_protected=true),
    which turns the protection off and deletes the pool, its users and its clients.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The user pool's name; the pool is found by it (two pools of that name in the region fail).
    required: true
    type: str
  state:
    description: Whether the pool should exist.
    default: present
    choices: ['present', 'absent']
    type: str
  username_attributes:
    description:
      - What users sign in with instead of a user name. Set at creation only; a pool with other ones fails.
    type: list
    elements: str
    choices: ['email', 'phone_number']
    default: ['email']
  auto_verified_attributes:
    description: The attributes Cognito verifies by sending a code.
    type: list
    elements: str
    choices: ['email', 'phone_number']
    default: ['email']
  password_policy:
    description: The password policy.
    type: dict
    default: {}
    suboptions:
      minimum_length:
        description: Minimum length, 8 to 99.
        type: int
        default: 8
      require_uppercase:
        description: Require an uppercase letter.
        type: bool
        default: true
      require_lowercase:
        description: Require a lowercase letter.
        type: bool
        default: true
      require_numbers:
        description: Require a digit.
        type: bool
        default: true
      require_symbols:
        description: Require a symbol.
        type: bool
        default: true
      temporary_password_validity_days:
        description: Days an administrator-set temporary password stays valid.
        type: int
        default: 7
  mfa:
    description:
      - Multi-factor authentication with a software token (TOTP app), V(OFF), V(OPTIONAL) (each user chooses) or V(ON).
    type: str
    default: 'OFF'
    choices: ['OFF', 'OPTIONAL', 'ON']
  deletion_protection:
    description: Cognito refuses to delete the pool while it is on.
    type: bool
    default: false
  account_recovery:
    description: How a user who forgot the password recovers the account.
    type: str
    default: verified_email
    choices: ['verified_email', 'verified_phone_number', 'admin_only']
  clients:
    description:
      - App clients of the pool, found by name. Clients not listed are left as they are.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The client's name.
        type: str
        required: true
      generate_secret:
        description: A client secret (never for a browser application). Set at creation only.
        type: bool
        default: false
      explicit_auth_flows:
        description: The authentication flows.
        type: list
        elements: str
        default: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
      access_token_validity:
        description: Minutes an access token is valid (5 to 1440).
        type: int
        default: 60
      id_token_validity:
        description: Minutes an ID token is valid (5 to 1440).
        type: int
        default: 60
      refresh_token_validity:
        description: Days a refresh token is valid (1 to 3650).
        type: int
        default: 30
      prevent_user_existence_errors:
        description: Answer the same error for an unknown user as for a wrong password.
        type: bool
        default: true
      callback_urls:
        description: Where the hosted UI may send users back after sign-in (turns on the code flow).
        type: list
        elements: str
        default: []
      logout_urls:
        description: Where the hosted UI may send users back after sign-out.
        type: list
        elements: str
        default: []
  delete_protected:
    description:
      - With O(state=absent), also delete a pool with deletion protection (turned off first).
    type: bool
    default: false
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the pool's and clients' settings before and after the change when run with C(--diff).
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The users of the stack, signing in with their e-mail, and the SPA's client
  atelier.infra.cognito_user_pool:
    name: prod-cruddur-users
    mfa: OPTIONAL
    deletion_protection: true
    password_policy:
      minimum_length: 12
    clients:
      - name: web
        callback_urls: [https://cruddur.example.com/]
    tags:
      atelier:env: prod

- name: Remove it, even though it is protected
  atelier.infra.cognito_user_pool:
    name: prod-cruddur-users
    state: absent
    delete_protected: true
"""

RETURN = r"""
user_pool:
  description: The pool's settings (as they are, or would be in check mode); empty when there is none.
  returned: always
  type: dict
  contains:
    id:
      description: The pool's id, empty in check mode for a pool that would be created.
      type: str
      sample: eu-west-1_AbCdEf123
    arn:
      description: The pool's ARN.
      type: str
    issuer:
      description: The issuer of the pool's tokens (their C(iss) claim).
      type: str
      sample: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123
    jwks_url:
      description: Where the pool's token signing keys are published.
      type: str
    mfa:
      description: OFF, OPTIONAL or ON.
      type: str
    deletion_protection:
      description: Whether deletion protection is on.
      type: bool
clients:
  description: The app clients of O(clients), name to client id (never a secret).
  returned: always
  type: dict
  sample: {"web": "4j2l6f0e9abcd1234"}
kept:
  description: With O(state=absent), true when a pool with deletion protection was kept.
  returned: always
  type: bool
actions:
  description: What the run did (would do, in check mode), one line each.
  returned: always
  type: list
  elements: str
  sample: ["update user pool p-users: password_policy", "create app client p-users/web"]
msg:
  description: What the module did or would do.
  returned: always
  type: str
diff:
  description: The pool and its clients before and after.
  returned: when run with C(--diff)
  type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils import cognito as cog


class Run:
    def __init__(self, module):
        self.module = module
        self.client = module.client("cognito-idp")
        self.name = module.params["name"]
        self.actions = []

    def accepted(self, operation):
        return set(self.client.meta.service_model.operation_model(operation).input_shape.members)

    def fail(self, error):
        self.module.fail_json_aws_error(error)

    def find(self):
        """The pool as DescribeUserPool returns it, or None; its view (MFA read only when it matters)."""
        found = [pool for pool in cog.list_user_pools(self.client) if pool.get("Name") == self.name]
        if len(found) > 1:
            self.module.fail_json(msg=f"{len(found)} user pools are named {self.name}: "
                                  + ", ".join(p["Id"] for p in found) + "; rename or delete all but one.")
        described = cog.describe_user_pool(self.client, found[0]["Id"]) if found else None
        mfa = None
        if described and (described.get("MfaConfiguration", "OFF") != "OFF" or self.module.params["mfa"] != "OFF"):
            mfa = cog.get_mfa_config(self.client, described["Id"])
        return described, cog.pool_view(described, mfa)

    def clients_found(self, pool_id):
        """Name to DescribeUserPoolClient answer, for the clients of the options that exist."""
        wanted = {spec["name"] for spec in self.module.params["clients"]}
        if not pool_id or not wanted:
            return {}
        listed = {}
        for item in cog.list_clients(self.client, pool_id):
            if item.get("ClientName") in wanted:
                if item["ClientName"] in listed:
                    self.module.fail_json(
                        msg=f"The user pool {self.name} has two app clients named {item['ClientName']}.")
                listed[item["ClientName"]] = item["ClientId"]
        return {name: cog.describe_client(self.client, pool_id, client_id) for name, client_id in listed.items()}

    def finish(self, changed, before, after, msg, clients_before=None, clients_after=None, kept=False):
        pool = dict(after)
        if pool.get("id"):
            pool["issuer"] = cog.issuer(self.module.region, pool["id"])
            pool["jwks_url"] = pool["issuer"] + "/.well-known/jwks.json"
        result = {"changed": changed, "user_pool": pool, "msg": msg, "actions": self.actions, "kept": kept,
                  "clients": {name: view.get("id", "") for name, view in (clients_after or {}).items()}}
        if self.module._diff:
            result["diff"] = {"before": dict(before, clients=clients_before or {}),
                              "after": dict(after, clients=clients_after or {})}
        self.module.exit_json(**result)

    # ------------------------------------------------------------ present

    def present(self):
        params = self.module.params
        described, before = self.find()
        after = cog.desired_pool(params, before)
        if before and before["username_attributes"] != after["username_attributes"]:
            self.module.fail_json(
                msg=f"The user pool {self.name} signs in with {before['username_attributes'] or 'user names'}: Cognito "
                "cannot change username_attributes after creation; keep them, or delete and recreate the pool."
            )
        pool_diffs = cog.differences(before, after, cog.POOL_KEYS) if before else []
        if not before:
            self.actions.append(f"create user pool {self.name}")
        elif pool_diffs:
            self.actions.append(f"update user pool {self.name}: " + ", ".join(pool_diffs))

        found = self.clients_found(before.get("id"))
        clients_before = {name: cog.client_view(item) for name, item in found.items()}
        clients_after, client_plan = {}, []
        for spec in params["clients"]:
            old = clients_before.get(spec["name"], {})
            new = cog.desired_client(spec, old)
            clients_after[spec["name"]] = new
            if not old:
                client_plan.append(("create", spec["name"]))
                self.actions.append(f"create app client {self.name}/{spec['name']}")
                continue
            if old["generate_secret"] != new["generate_secret"]:
                made = "with" if old["generate_secret"] else "without"
                self.module.fail_json(msg=f"The app client {spec['name']} of {self.name} was created {made} a secret: "
                                      "Cognito cannot change that; keep generate_secret, or use another client name.")
            diffs = cog.differences(old, new, cog.CLIENT_KEYS)
            if diffs:
                client_plan.append(("update", spec["name"]))
                self.actions.append(f"update app client {self.name}/{spec['name']}: " + ", ".join(diffs))

        changed = bool(self.actions)
        if not changed:
            self.finish(False, before, before, f"The user pool {self.name} is as described.",
                        clients_before, clients_before)
        if self.module.check_mode:
            self.finish(True, before, after, f"Would have done, if not in check mode: {'; '.join(self.actions)}.",
                        clients_before, clients_after)
        try:
            after = self.apply_pool(described, before, after, pool_diffs)
            for verb, name in client_plan:
                view = clients_after[name]
                if verb == "create":
                    made = cog.create_client(self.client, cog.create_client_request(after["id"], view))
                    view["id"] = made["ClientId"]
                else:
                    request = cog.update_client_request(found[name], view, self.accepted("UpdateUserPoolClient"))
                    cog.update_client(self.client, request)
        except cog.AnsibleCognitoError as e:
            self.fail(e)
        self.finish(True, before, after, "; ".join(self.actions) + ".", clients_before, clients_after)

    def apply_pool(self, described, before, after, diffs):
        if not before:
            made = cog.create_user_pool(self.client, cog.create_pool_request(after))
            after = dict(after, id=made["Id"], arn=made.get("Arn", ""))
            if after["mfa"] != "OFF":
                cog.set_mfa_config(self.client, after["id"], after["mfa"], True)
            return after
        if {"mfa", "software_token_mfa"} & set(diffs):
            # First, so that UpdateUserPool's MfaConfiguration (which it needs, or it resets MFA to OFF) is valid.
            cog.set_mfa_config(self.client, before["id"], after["mfa"], after["software_token_mfa"])
        if set(diffs) - {"mfa", "software_token_mfa"}:
            self.update_pool(described, after)
        return after

    def update_pool(self, described, view):
        """One UpdateUserPool with the whole configuration (AWS resets what the request leaves out)."""
        cog.update_user_pool(self.client, cog.update_pool_request(described, view, self.accepted("UpdateUserPool")))

    # ------------------------------------------------------------ absent

    def absent(self):
        described, before = self.find()
        if not before:
            self.finish(False, {}, {}, f"No user pool {self.name}, nothing to delete.")
        if before["deletion_protection"] and not self.module.params["delete_protected"]:
            self.finish(False, before, before, f"Kept the user pool {self.name} ({before['id']}): deletion protection "
                        "is on; set delete_protected to delete it with its users.", kept=True)
        self.actions.append(f"delete user pool {self.name}")
        if self.module.check_mode:
            self.finish(True, before, {}, f"Would have deleted the user pool {self.name} if not in check mode.")
        try:
            if before["deletion_protection"]:
                unprotected = dict(before, deletion_protection=False)
                self.update_pool(described, unprotected)
            cog.delete_user_pool(self.client, before["id"])
        except cog.AnsibleCognitoError as e:
            self.fail(e)
        self.finish(True, before, {}, f"Deleted the user pool {self.name} ({before['id']}).")


def main():
    client_spec = dict(
        name=dict(type="str", required=True),
        generate_secret=dict(type="bool", default=False, no_log=False),
        explicit_auth_flows=dict(type="list", elements="str",
                                 default=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
        access_token_validity=dict(type="int", default=60, no_log=False),
        id_token_validity=dict(type="int", default=60, no_log=False),
        refresh_token_validity=dict(type="int", default=30, no_log=False),
        prevent_user_existence_errors=dict(type="bool", default=True),
        callback_urls=dict(type="list", elements="str", default=[]),
        logout_urls=dict(type="list", elements="str", default=[]),
    )
    policy_spec = dict(
        minimum_length=dict(type="int", default=8),
        require_uppercase=dict(type="bool", default=True),
        require_lowercase=dict(type="bool", default=True),
        require_numbers=dict(type="bool", default=True),
        require_symbols=dict(type="bool", default=True),
        temporary_password_validity_days=dict(type="int", default=7, no_log=False),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        username_attributes=dict(type="list", elements="str", default=["email"], choices=["email", "phone_number"]),
        auto_verified_attributes=dict(type="list", elements="str", default=["email"],
                                      choices=["email", "phone_number"]),
        password_policy=dict(type="dict", default={}, options=policy_spec, no_log=False),
        mfa=dict(type="str", default="OFF", choices=["OFF", "OPTIONAL", "ON"]),
        deletion_protection=dict(type="bool", default=False),
        account_recovery=dict(type="str", default="verified_email",
                              choices=["verified_email", "verified_phone_number", "admin_only"]),
        clients=dict(type="list", elements="dict", default=[], options=client_spec),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        delete_protected=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    policy = module.params["password_policy"]
    if not 8 <= policy["minimum_length"] <= 99:
        module.fail_json(msg=f"password_policy.minimum_length must be from 8 to 99, got {policy['minimum_length']}")
    run = Run(module)
    try:
        if module.params["state"] == "present":
            run.present()
        else:
            run.absent()
    except cog.AnsibleCognitoError as e:
        run.fail(e)


if __name__ == "__main__":
    main()
