# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.cognito_user_pool: main() with module args, our module_utils wrappers replaced by a
fake account (no boto3 call)."""

import copy

from ansible_collections.atelier.infra.plugins.module_utils import cognito as cog
from ansible_collections.atelier.infra.plugins.modules import cognito_user_pool as module

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

MUTATING = ("create_user_pool", "update_user_pool", "set_mfa_config", "delete_user_pool", "create_client", "update_client")
ARGS = {"name": "p-users", "region": "eu-west-1", "mfa": "OPTIONAL", "deletion_protection": True,
        "clients": [{"name": "web"}], "tags": {"atelier:env": "prod"}}


class FakeCognito:
    """One region's user pools as the wrappers see them; every mutating call is recorded."""

    def __init__(self, monkeypatch):
        self.pools, self.mfa, self.clients, self.calls = {}, {}, {}, []
        for name in ("list_user_pools", "describe_user_pool", "get_mfa_config", "list_clients", "describe_client"):
            monkeypatch.setattr(cog, name, getattr(self, name))
        for name in MUTATING:
            monkeypatch.setattr(cog, name, self._recorded(name))
        monkeypatch.setattr(module.Run, "accepted", lambda run, operation: {
            "UpdateUserPool": {"UserPoolId", "Policies", "DeletionProtection", "AutoVerifiedAttributes",
                               "MfaConfiguration", "UserPoolTags", "AccountRecoverySetting"},
            "UpdateUserPoolClient": {"UserPoolId", "ClientId", "ClientName", "ExplicitAuthFlows", "AccessTokenValidity",
                                     "IdTokenValidity", "RefreshTokenValidity", "TokenValidityUnits",
                                     "PreventUserExistenceErrors", "CallbackURLs", "LogoutURLs"},
        }[operation])

    def _recorded(self, name):
        def call(client, *args):
            self.calls.append(name)
            return getattr(self, "_" + name)(*args)
        return call

    def list_user_pools(self, client):
        return [{"Id": p["Id"], "Name": p["Name"]} for p in self.pools.values()]

    def describe_user_pool(self, client, pool_id):
        return copy.deepcopy(self.pools.get(pool_id))

    def get_mfa_config(self, client, pool_id):
        return {"SoftwareTokenMfaConfiguration": {"Enabled": self.mfa.get(pool_id, False)}}

    def list_clients(self, client, pool_id):
        return [{"ClientId": c["ClientId"], "ClientName": c["ClientName"]} for c in self.clients.values()
                if c["UserPoolId"] == pool_id]

    def describe_client(self, client, pool_id, client_id):
        return copy.deepcopy(self.clients[client_id])

    def _create_user_pool(self, request):
        pool = dict(copy.deepcopy(request), Id=f"eu-west-1_{len(self.pools)}", Name=request["PoolName"], MfaConfiguration="OFF")
        self.pools[pool["Id"]] = pool
        return pool

    def _update_user_pool(self, request):
        self.pools[request["UserPoolId"]].update(copy.deepcopy(request))

    def _set_mfa_config(self, pool_id, mfa, token):
        self.pools[pool_id]["MfaConfiguration"] = mfa
        self.mfa[pool_id] = token

    def _delete_user_pool(self, pool_id):
        if self.pools[pool_id].get("DeletionProtection") == "ACTIVE":
            raise AssertionError("deleted a protected pool")
        del self.pools[pool_id]

    def _create_client(self, request):
        made = dict(copy.deepcopy(request), ClientId=f"c{len(self.clients)}")
        made.pop("GenerateSecret")
        self.clients[made["ClientId"]] = made
        return made

    def _update_client(self, request):
        self.clients[request["ClientId"]].update(copy.deepcopy(request))


def test_create_then_nothing_to_do(monkeypatch):
    fake = FakeCognito(monkeypatch)
    first = run_main(module, ARGS)
    assert isinstance(first, AnsibleExitJson) and first.result["changed"]
    assert fake.calls == ["create_user_pool", "set_mfa_config", "create_client"]
    assert first.result["actions"] == ["create user pool p-users", "create app client p-users/web"]
    pool = first.result["user_pool"]
    assert pool["issuer"] == f"https://cognito-idp.eu-west-1.amazonaws.com/{pool['id']}"
    assert pool["jwks_url"] == pool["issuer"] + "/.well-known/jwks.json"
    assert first.result["clients"] == {"web": "c0"}

    fake.calls.clear()
    second = run_main(module, ARGS)
    assert not second.result["changed"], second.result
    assert fake.calls == []
    assert second.result["clients"] == {"web": "c0"}


def test_a_changed_password_policy_is_one_update_with_the_whole_configuration(monkeypatch):
    fake = FakeCognito(monkeypatch)
    run_main(module, ARGS)
    fake.calls.clear()
    changed = run_main(module, dict(ARGS, password_policy={"minimum_length": 12}, _ansible_diff=True))
    assert fake.calls == ["update_user_pool"]
    assert changed.result["actions"] == ["update user pool p-users: password_policy"]
    pool = next(iter(fake.pools.values()))
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert pool["MfaConfiguration"] == "OPTIONAL" and pool["DeletionProtection"] == "ACTIVE"
    assert changed.result["diff"]["before"]["password_policy"]["minimum_length"] == 8
    assert changed.result["diff"]["after"]["password_policy"]["minimum_length"] == 12


def test_check_mode_only_reads(monkeypatch):
    fake = FakeCognito(monkeypatch)
    planned = run_main(module, dict(ARGS, _ansible_check_mode=True))
    assert planned.result["changed"] and fake.calls == [] and fake.pools == {}
    run_main(module, ARGS)
    fake.calls.clear()
    planned = run_main(module, dict(ARGS, mfa="OFF", clients=[{"name": "web", "callback_urls": ["https://a/"]}],
                                    _ansible_check_mode=True))
    assert planned.result["changed"] and fake.calls == []
    assert planned.result["actions"] == ["update user pool p-users: mfa, software_token_mfa",
                                         "update app client p-users/web: callback_urls"]


def test_absent_keeps_a_protected_pool_unless_asked(monkeypatch):
    fake = FakeCognito(monkeypatch)
    run_main(module, ARGS)
    fake.calls.clear()
    kept = run_main(module, {"name": "p-users", "region": "eu-west-1", "state": "absent"})
    assert kept.result["kept"] and not kept.result["changed"] and fake.calls == []
    assert "deletion protection is on" in kept.result["msg"]
    gone = run_main(module, {"name": "p-users", "region": "eu-west-1", "state": "absent", "delete_protected": True})
    assert gone.result["changed"] and not gone.result["kept"]
    assert fake.calls == ["update_user_pool", "delete_user_pool"] and fake.pools == {}


def test_what_cognito_cannot_change_fails_before_any_change(monkeypatch):
    fake = FakeCognito(monkeypatch)
    run_main(module, ARGS)
    fake.calls.clear()
    failed = run_main(module, dict(ARGS, username_attributes=["phone_number"]))
    assert isinstance(failed, AnsibleFailJson) and "cannot change username_attributes" in failed.result["msg"]
    failed = run_main(module, dict(ARGS, clients=[{"name": "web", "generate_secret": True}]))
    assert isinstance(failed, AnsibleFailJson) and "cannot change that" in failed.result["msg"]
    failed = run_main(module, dict(ARGS, password_policy={"minimum_length": 6}))
    assert isinstance(failed, AnsibleFailJson) and "minimum_length must be from 8 to 99" in failed.result["msg"]
    assert fake.calls == []
