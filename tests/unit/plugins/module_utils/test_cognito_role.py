# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The cognito role's logic: its pools as module arguments, the checks before any AWS call, outputs, kept list and
summary lines."""

from ansible_collections.atelier.infra.plugins.module_utils import cognito_role
from ansible_collections.atelier.infra.plugins.module_utils import summary

INPUTS = {
    "cognito_name_prefix": "prod-cruddur",
    "cognito_user_pools": [{"name": "users", "clients": ["web"], "mfa": "ON"}],
    "cognito_mfa": "OPTIONAL",
    "cognito_software_token_mfa": True,
    "cognito_deletion_protection": True,
    "cognito_password_policy": {"minimum_length": 12},
    "cognito_account_recovery": "verified_email",
    "cognito_outputs": {"ignored": True},
}


def _errors(**changes):
    return cognito_role.errors(dict(INPUTS, **changes))


def test_pools_get_the_prefixed_name_and_the_role_wide_values():
    assert cognito_role.pools(INPUTS) == [{
        "logical": "users", "name": "prod-cruddur-users", "mfa": "ON", "software_token_mfa": True,
        "deletion_protection": True, "password_policy": {"minimum_length": 12}, "account_recovery": "verified_email",
        "clients": [{"name": "web"}],
    }]
    # An unquoted YAML OFF is a boolean.
    assert cognito_role.pools(dict(INPUTS, cognito_user_pools=[{"name": "u", "mfa": False}]))[0]["mfa"] == "OFF"
    assert cognito_role.pools(dict(INPUTS, cognito_user_pools=["u"]))[0]["mfa"] == "OPTIONAL"


def test_good_input_has_no_errors():
    assert _errors() == []
    assert _errors(cognito_user_pools=[{"name": "users", "clients": [
        {"name": "web", "callback_urls": ["https://app.example.com/", "http://localhost:3000/"]}]}]) == []


def test_password_length_out_of_range():
    for length in (7, 100, "12"):
        message = _errors(cognito_password_policy={"minimum_length": length})
        assert message == [f"cognito_user_pools users: password_policy.minimum_length (cognito_password_policy) must be "
                           f"an integer from 8 to 99, got {length!r}"]
    assert _errors(cognito_password_policy={"minimum_length": 8}) == []
    assert _errors(cognito_password_policy={"minimum_length": 99}) == []


def test_mfa_without_the_software_token_or_unknown():
    assert _errors(cognito_software_token_mfa=False) == [
        "cognito_user_pools users: mfa ON needs software_token_mfa (cognito_software_token_mfa) true, the one MFA "
        "method the role sets up (no SMS)"]
    assert _errors(cognito_software_token_mfa=False, cognito_user_pools=[{"name": "users", "mfa": "OFF"}]) == []
    assert _errors(cognito_user_pools=[{"name": "users", "mfa": "SMS"}]) == [
        "cognito_user_pools users: mfa (cognito_mfa) must be OFF, OPTIONAL or ON"]


def test_names_given_twice():
    assert _errors(cognito_user_pools=["users", {"name": "users"}]) == ["cognito_user_pools names users more than once"]
    assert _errors(cognito_user_pools=[{"name": "users", "clients": ["web", {"name": "web"}]}]) == [
        "cognito_user_pools users: names the client web more than once"]


def test_callback_urls_must_be_https_except_localhost():
    pools = [{"name": "users", "clients": [{"name": "web", "callback_urls": ["http://app.example.com/", "https://"],
                                            "logout_urls": ["http://localhost.evil.com/"]}]}]
    assert _errors(cognito_user_pools=pools) == [
        "cognito_user_pools users client web: callback_urls 'http://app.example.com/' must be an https:// URL "
        "(http:// only for localhost)",
        "cognito_user_pools users client web: callback_urls 'https://' must be an https:// URL (http:// only for localhost)",
        "cognito_user_pools users client web: logout_urls 'http://localhost.evil.com/' must be an https:// URL "
        "(http:// only for localhost)",
    ]


def test_shapes_and_unknown_keys():
    assert _errors(cognito_user_pools="users") == ["cognito_user_pools must be a list of names or dicts"]
    assert _errors(cognito_user_pools=[{"name": "Users", "colour": 1, "clients": [
        {"name": "web", "access_token_validity": 2, "size": 1}]}]) == [
        "cognito_user_pools Users: unknown keys colour",
        "cognito_user_pools Users: a pool's name is lowercase letters, digits and hyphens, starting with a letter, at "
        "most 40 characters (the AWS name is <prefix>-<name>)",
        "cognito_user_pools Users client web: unknown keys size",
        "cognito_user_pools Users client web: access_token_validity must be an integer from 5 to 1440",
    ]
    assert _errors(cognito_user_pools=[3]) == ["cognito_user_pools: every entry is a name or a dict with a name, got 3"]


RESULTS = [{
    "item": {"logical": "users"},
    "user_pool": {"id": "eu-west-1_Ab1", "arn": "arn:p", "name": "prod-cruddur-users",
                  "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1",
                  "jwks_url": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1/.well-known/jwks.json"},
    "clients": {"web": "c1"},
    "kept": True,
}]


def test_outputs_kept_and_summary():
    outputs = cognito_role.outputs(RESULTS, "eu-west-1")
    assert outputs == {"region": "eu-west-1", "user_pools": {"users": {
        "id": "eu-west-1_Ab1", "arn": "arn:p", "name": "prod-cruddur-users",
        "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1",
        "jwks_url": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1/.well-known/jwks.json",
        "clients": {"web": "c1"}}}}
    assert cognito_role.kept(RESULTS) == [
        "prod-cruddur-users (Cognito user pool eu-west-1_Ab1: deletion protection is on; set cognito_delete_protected "
        "to delete it with its users)"]
    assert cognito_role.kept([dict(RESULTS[0], kept=False)]) == []
    assert summary.role_lines("cognito", outputs) == [
        "Cognito user pool prod-cruddur-users eu-west-1_Ab1 (issuer https://cognito-idp.eu-west-1.amazonaws.com/"
        "eu-west-1_Ab1), app clients: web c1"]
