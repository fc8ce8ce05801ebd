# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What atelier.infra.cognito_user_pool compares and sends: the views of a pool and a client, the full update
requests (AWS resets what they leave out)."""

from ansible_collections.atelier.infra.plugins.module_utils import cognito as cog

DESCRIBED = {
    "Id": "eu-west-1_Ab1",
    "Name": "p-users",
    "Arn": "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Ab1",
    "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True,
                                    "RequireNumbers": True, "RequireSymbols": True, "TemporaryPasswordValidityDays": 7,
                                    "PasswordHistorySize": 3}},
    "UsernameAttributes": ["email"],
    "AutoVerifiedAttributes": ["email"],
    "MfaConfiguration": "OPTIONAL",
    "DeletionProtection": "ACTIVE",
    "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
    "UserPoolTags": {"atelier:env": "prod"},
    "LambdaConfig": {"PreSignUp": "arn:aws:lambda:eu-west-1:123456789012:function:f"},
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
    "SchemaAttributes": [{"Name": "email"}],
    "EstimatedNumberOfUsers": 4,
    "CreationDate": "2026-01-01",
}
MFA = {"SoftwareTokenMfaConfiguration": {"Enabled": True}, "MfaConfiguration": "OPTIONAL"}
PARAMS = {
    "name": "p-users", "username_attributes": ["email"], "auto_verified_attributes": ["email"],
    "password_policy": {"minimum_length": 8, "require_uppercase": True, "require_lowercase": True,
                        "require_numbers": True, "require_symbols": True, "temporary_password_validity_days": 7},
    "mfa": "OPTIONAL", "deletion_protection": True, "account_recovery": "verified_email",
    "tags": {"atelier:env": "prod"}, "purge_tags": True,
}
UPDATE_MEMBERS = {"UserPoolId", "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes",
                  "MfaConfiguration", "EmailConfiguration", "UserPoolTags", "AdminCreateUserConfig",
                  "AccountRecoverySetting"}


def test_a_pool_as_described_matches_the_options_that_made_it():
    before = cog.pool_view(DESCRIBED, MFA)
    assert before["software_token_mfa"] is True and before["deletion_protection"] is True
    assert cog.differences(before, cog.desired_pool(PARAMS, before), cog.POOL_KEYS) == []


def test_what_differs_is_named():
    before = cog.pool_view(DESCRIBED, MFA)
    params = dict(PARAMS, password_policy=dict(PARAMS["password_policy"], minimum_length=12), mfa="OFF",
                  tags={"a": "1"}, purge_tags=False)
    after = cog.desired_pool(params, before)
    assert cog.differences(before, after, cog.POOL_KEYS) == ["password_policy", "mfa", "software_token_mfa", "tags"]
    assert after["tags"] == {"atelier:env": "prod", "a": "1"}
    # Without the MFA configuration read, an OPTIONAL pool's software token counts as off.
    assert cog.pool_view(DESCRIBED)["software_token_mfa"] is False
    assert cog.pool_view(dict(DESCRIBED, AccountRecoverySetting=None))["account_recovery"] == "legacy"


def test_the_update_request_sends_back_what_the_module_does_not_own():
    after = cog.desired_pool(dict(PARAMS, password_policy=dict(PARAMS["password_policy"], minimum_length=12)),
                             cog.pool_view(DESCRIBED, MFA))
    request = cog.update_pool_request(DESCRIBED, after, UPDATE_MEMBERS)
    assert request["UserPoolId"] == "eu-west-1_Ab1"
    assert request["LambdaConfig"] == DESCRIBED["LambdaConfig"]
    assert request["EmailConfiguration"] == DESCRIBED["EmailConfiguration"]
    assert request["MfaConfiguration"] == "OPTIONAL"
    assert request["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert request["Policies"]["PasswordPolicy"]["PasswordHistorySize"] == 3
    assert request["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": False}
    assert request["DeletionProtection"] == "ACTIVE"
    assert set(request) <= UPDATE_MEMBERS
    unprotected = cog.update_pool_request(DESCRIBED, dict(after, deletion_protection=False), UPDATE_MEMBERS)
    assert unprotected["DeletionProtection"] == "INACTIVE"
    # UpdateUserPool resets an MFA setting it is not given: the wanted one is always sent.
    assert cog.update_pool_request(DESCRIBED, dict(after, mfa="OFF"), UPDATE_MEMBERS)["MfaConfiguration"] == "OFF"


def test_the_create_request_leaves_mfa_to_set_user_pool_mfa_config():
    request = cog.create_pool_request(cog.desired_pool(PARAMS, {}))
    assert "MfaConfiguration" not in request
    assert request["UsernameAttributes"] == ["email"]
    assert request["UserPoolTags"] == {"atelier:env": "prod"}
    assert request["AccountRecoverySetting"] == {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]}


CLIENT = {
    "UserPoolId": "eu-west-1_Ab1", "ClientId": "c1", "ClientName": "web",
    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "AccessTokenValidity": 1, "IdTokenValidity": 1, "RefreshTokenValidity": 30,
    "PreventUserExistenceErrors": "ENABLED", "EnableTokenRevocation": True, "ReadAttributes": ["email"],
}


def test_a_client_with_aws_default_units_matches_the_default_spec():
    before = cog.client_view(CLIENT)
    assert before["access_token_validity"] == 60 and before["refresh_token_validity"] == 30
    assert before["generate_secret"] is False
    assert cog.differences(before, cog.desired_client({"name": "web"}, before), cog.CLIENT_KEYS) == []
    changed = cog.desired_client({"name": "web", "callback_urls": ["https://a.example/"]}, before)
    assert cog.differences(before, changed, cog.CLIENT_KEYS) == ["callback_urls"]
    assert cog.client_view(dict(CLIENT, TokenValidityUnits={"AccessToken": "minutes"}))["access_token_validity"] == 1


def test_the_client_update_request_keeps_the_rest_and_turns_on_the_code_flow_for_callbacks():
    view = cog.desired_client({"name": "web", "callback_urls": ["https://a.example/"]}, cog.client_view(CLIENT))
    members = {"UserPoolId", "ClientId", "ClientName", "ExplicitAuthFlows", "AccessTokenValidity", "IdTokenValidity",
               "RefreshTokenValidity", "TokenValidityUnits", "PreventUserExistenceErrors", "CallbackURLs",
               "LogoutURLs", "ReadAttributes", "EnableTokenRevocation", "AllowedOAuthFlows", "AllowedOAuthScopes",
               "AllowedOAuthFlowsUserPoolClient", "SupportedIdentityProviders"}
    request = cog.update_client_request(CLIENT, view, members)
    assert request["ReadAttributes"] == ["email"] and request["EnableTokenRevocation"] is True
    assert request["AccessTokenValidity"] == 60
    assert request["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
    assert request["AllowedOAuthFlows"] == ["code"] and request["CallbackURLs"] == ["https://a.example/"]
    assert "GenerateSecret" not in request


def test_the_issuer():
    assert cog.issuer("eu-west-1", "eu-west-1_Ab1") == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1"
