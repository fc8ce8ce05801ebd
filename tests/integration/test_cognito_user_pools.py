"""The cognito role (atelier.infra.cognito_user_pool) against the emulator, checked through the Cognito API.

One playbook (tests/integration/playbooks/cognito.yml, the stack local-atelier): the first run creates the pool
local-atelier-itest-users (e-mail sign-in, auto-verified e-mail, MFA OPTIONAL with a software token, deletion
protection) and its SPA client without secret; the second changes nothing and makes no mutating call; a longer
minimum password length and one callback URL less are one UpdateUserPool and one UpdateUserPoolClient, each with the
whole configuration (check mode first: no call); a teardown keeps the protected pool and says so; one with
cognito_delete_protected removes it.
"""

PLAYBOOK = "tests/integration/playbooks/cognito.yml"
NAME = "local-atelier-itest-users"


def _pool(cognito):
    found = [p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == NAME]
    return cognito.describe_user_pool(UserPoolId=found[0]["Id"])["UserPool"] if found else None


def _actions(run):
    return [request["action"] for request in run.mutating]


def test_cognito_round_trip(emulator):
    emulator.reset()
    cognito = emulator.client("cognito-idp")

    first = emulator.playbook(PLAYBOOK)
    assert first.rc == 0, first.output
    assert first.changed == 1, first.output
    pool = _pool(cognito)
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    assert pool["Policies"]["PasswordPolicy"]["RequireSymbols"] is True
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["AccountRecoverySetting"] == {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]}
    assert pool["UserPoolTags"] == {"Name": NAME, "atelier:env": "local", "atelier:stack": "atelier"}
    mfa = cognito.get_user_pool_mfa_config(UserPoolId=pool["Id"])
    assert mfa["MfaConfiguration"] == "OPTIONAL" and mfa["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    clients = cognito.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=60)["UserPoolClients"]
    assert [c["ClientName"] for c in clients] == ["web"]
    client = cognito.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=clients[0]["ClientId"])["UserPoolClient"]
    assert "ClientSecret" not in client
    assert sorted(client["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert sorted(client["CallbackURLs"]) == ["http://localhost:3000/", "https://app.example.com/"]
    assert f"issuer: https://cognito-idp.us-east-1.amazonaws.com/{pool['Id']}" in first.output
    assert f"web: {clients[0]['ClientId']}" in first.output

    second = emulator.playbook(PLAYBOOK)
    assert second.rc == 0, second.output
    assert second.changed == 0, second.output
    assert second.mutating == [], second.mutating

    longer = {"cognito_password_policy": {"minimum_length": 12}, "itest_callback_urls": ["https://app.example.com/"]}
    planned = emulator.playbook(PLAYBOOK, "--check", extra_vars=longer)
    assert planned.rc == 0, planned.output
    assert planned.changed == 1 and planned.mutating == [], planned.output
    third = emulator.playbook(PLAYBOOK, extra_vars=longer)
    assert third.rc == 0, third.output
    assert _actions(third) == ["UpdateUserPool", "UpdateUserPoolClient"], third.mutating
    pool = _pool(cognito)
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    # The full configuration went with it: nothing reset to a default.
    assert pool["UsernameAttributes"] == ["email"] and pool["DeletionProtection"] == "ACTIVE"
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool["Id"])["MfaConfiguration"] == "OPTIONAL"
    client = cognito.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=client["ClientId"])["UserPoolClient"]
    assert client["CallbackURLs"] == ["https://app.example.com/"]
    assert sorted(client["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"

    kept = emulator.playbook(PLAYBOOK, extra_vars={"cognito_state": "absent"})
    assert kept.rc == 0, kept.output
    assert kept.changed == 0 and kept.mutating == [], kept.output
    assert "deletion protection is on" in kept.output and pool["Id"] in kept.output
    assert _pool(cognito)["Id"] == pool["Id"]

    gone = emulator.playbook(PLAYBOOK, extra_vars={"cognito_state": "absent", "cognito_delete_protected": True})
    assert gone.rc == 0, gone.output
    assert _actions(gone) == ["UpdateUserPool", "DeleteUserPool"], gone.mutating
    assert _pool(cognito) is None
