# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The cognito role's logic: its user pools as data, their checks, what a teardown kept and the outputs.

The role's inputs come as one dict (``cognito_*`` variable name to value; other keys are ignored):

* ``pools`` turns ``cognito_user_pools`` (logical names, or dicts with a name and per-pool settings) into the
  arguments of one atelier.infra.cognito_user_pool run each, the role-wide values filled in and the AWS name derived
  from the stack's prefix (``<prefix>-<name>``);
* ``errors`` lists what the argument spec cannot check (password length, MFA without a method, names given twice,
  callback and logout URLs that are not https);
* ``outputs`` publishes each pool (id, ARN, issuer, JWKS URL, client ids) from the module's results, ``kept`` the pools
  a teardown kept.

Pure Python, no boto3 import: exposed by plugins/filter/cognito.py.
"""

import re
from collections.abc import Mapping
from collections.abc import Sequence

P = "cognito_"
POOL_KEYS = ("name", "mfa", "software_token_mfa", "deletion_protection", "password_policy", "account_recovery",
             "clients")
ROLE_WIDE = POOL_KEYS[1:-1]
DEFAULTS = {"mfa": "OPTIONAL", "software_token_mfa": True, "deletion_protection": False, "password_policy": {},
            "account_recovery": "verified_email"}
CLIENT_KEYS = ("name", "generate_secret", "explicit_auth_flows", "access_token_validity", "id_token_validity",
               "refresh_token_validity", "prevent_user_existence_errors", "callback_urls", "logout_urls")
POLICY_KEYS = ("minimum_length", "require_uppercase", "require_lowercase", "require_numbers", "require_symbols",
               "temporary_password_validity_days")
MFA = ("OFF", "OPTIONAL", "ON")
# Cognito's user pool name (1-128 of [\w\s+=,.@-]) and app client name (1-128 of [\w\s+=,.@-]).
NAME = re.compile(r"^[\w\s+=,.@-]{1,128}$")
LOGICAL = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
LOCALHOST = re.compile(r"^http://localhost(:[0-9]+)?(/.*)?$")


def _entries(inputs):
    raw = inputs.get(P + "user_pools")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence):
        return []
    return [{"name": entry} if isinstance(entry, str) else entry for entry in raw]


def _role_wide(inputs, key):
    return inputs.get(P + key, DEFAULTS[key])


def _mfa(value):
    """MFA as Cognito spells it; an unquoted YAML OFF / ON arrives as a boolean."""
    if isinstance(value, bool) or str(value).lower() in ("true", "false"):
        return "ON" if str(value).lower() == "true" else "OFF"
    return str(value).upper()


def pools(inputs):
    """One dict per pool: the logical name, the AWS name and the module's settings (the role-wide ones filled in)."""
    prefix = inputs.get(P + "name_prefix") or ""
    result = []
    for entry in _entries(inputs):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            continue
        pool = {key: entry.get(key, _role_wide(inputs, key)) for key in ROLE_WIDE}
        role_wide = _role_wide(inputs, "password_policy") or {}
        pool["password_policy"] = dict(role_wide, **(entry.get("password_policy") or {}))
        pool["logical"] = entry["name"]
        pool["name"] = f"{prefix}-{entry['name']}" if prefix else entry["name"]
        pool["clients"] = [{"name": c} if isinstance(c, str) else dict(c) for c in entry.get("clients") or []]
        pool["mfa"] = _mfa(pool["mfa"])
        result.append(pool)
    return result


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _url_errors(where, key, urls):
    if not isinstance(urls, Sequence) or isinstance(urls, (str, bytes)):
        return [f"{where}: {key} must be a list of URLs"]
    return [
        f"{where}: {key} {url!r} must be an https:// URL (http:// only for localhost)"
        for url in urls
        if not isinstance(url, str) or not (url.startswith("https://") and len(url) > 8 or LOCALHOST.match(url))
    ]


def _client_errors(where, clients):
    if not isinstance(clients, Sequence) or isinstance(clients, (str, bytes)):
        return [f"{where}: clients must be a list of names or dicts"]
    problems, seen = [], set()
    for client in clients:
        client = {"name": client} if isinstance(client, str) else client
        if not isinstance(client, Mapping) or not isinstance(client.get("name"), str):
            problems.append(f"{where}: every client is a name or a dict with a name, got {client!r}")
            continue
        name = client["name"]
        here = f"{where} client {name}"
        if not NAME.match(name):
            problems.append(f"{here}: a client name is 1 to 128 letters, digits, spaces or +=,.@-")
        if name in seen:
            problems.append(f"{where}: names the client {name} more than once")
        seen.add(name)
        unknown = sorted(set(client) - set(CLIENT_KEYS))
        if unknown:
            problems.append(f"{here}: unknown keys {', '.join(unknown)}")
        for key, low, high in (("access_token_validity", 5, 1440), ("id_token_validity", 5, 1440),
                               ("refresh_token_validity", 1, 3650)):
            value = client.get(key)
            if value is not None and not (_is_int(value) and low <= value <= high):
                problems.append(f"{here}: {key} must be an integer from {low} to {high}")
        for key in ("callback_urls", "logout_urls"):
            problems += _url_errors(here, key, client.get(key) or [])
    return problems


def _pool_errors(pool):
    where = f"cognito_user_pools {pool['logical']}"
    problems = []
    if not LOGICAL.match(pool["logical"]):
        problems.append(f"{where}: a pool's name is lowercase letters, digits and hyphens, starting with a letter, "
                        "at most 40 characters (the AWS name is <prefix>-<name>)")
    if pool["mfa"] not in MFA:
        problems.append(f"{where}: mfa (cognito_mfa) must be OFF, OPTIONAL or ON")
    if pool["mfa"] in ("OPTIONAL", "ON") and pool["software_token_mfa"] is not True:
        problems.append(f"{where}: mfa {pool['mfa']} needs software_token_mfa (cognito_software_token_mfa) true, "
                        "the one MFA method the role sets up (no SMS)")
    policy = pool["password_policy"]
    if not isinstance(policy, Mapping):
        return problems + [f"{where}: password_policy (cognito_password_policy) must be a dict"]
    unknown = sorted(set(policy) - set(POLICY_KEYS))
    if unknown:
        problems.append(f"{where}: password_policy has unknown keys {', '.join(unknown)}")
    length = policy.get("minimum_length", 8)
    if not (_is_int(length) and 8 <= length <= 99):
        problems.append(f"{where}: password_policy.minimum_length (cognito_password_policy) must be an integer from "
                        f"8 to 99, got {length!r}")
    days = policy.get("temporary_password_validity_days", 7)
    if not (_is_int(days) and 0 <= days <= 365):
        problems.append(f"{where}: password_policy.temporary_password_validity_days must be an integer from 0 to 365")
    return problems + _client_errors(where, pool["clients"])


def errors(inputs):
    """What is wrong with the role's inputs that the argument spec cannot see; empty when all is well."""
    raw = inputs.get(P + "user_pools")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence):
        return ["cognito_user_pools must be a list of names or dicts"]
    problems = []
    for entry in _entries(inputs):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            problems.append(f"cognito_user_pools: every entry is a name or a dict with a name, got {entry!r}")
            continue
        unknown = sorted(set(entry) - set(POOL_KEYS))
        if unknown:
            problems.append(f"cognito_user_pools {entry['name']}: unknown keys {', '.join(unknown)}")
    names = [pool["logical"] for pool in pools(inputs)]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"cognito_user_pools names {name} more than once")
    for pool in pools(inputs):
        problems += _pool_errors(pool)
    return problems


def outputs(results, region):
    """The role's outputs from the module's loop results: the region and each pool by logical name (id, ARN, AWS
    name, issuer, JWKS URL, client name to id)."""
    published = {}
    for result in results or []:
        pool = result.get("user_pool") or {}
        logical = (result.get("item") or {}).get("logical")
        if not logical or not pool:
            continue
        published[logical] = {
            "id": pool.get("id", ""),
            "arn": pool.get("arn", ""),
            "name": pool.get("name", ""),
            "issuer": pool.get("issuer", ""),
            "jwks_url": pool.get("jwks_url", ""),
            "clients": dict(result.get("clients") or {}),
        }
    return {"region": region, "user_pools": published}


def kept(results):
    """What a teardown kept and why, one line per pool."""
    return [
        f"{r['user_pool'].get('name')} (Cognito user pool {r['user_pool'].get('id')}: deletion protection is on; "
        "set cognito_delete_protected to delete it with its users)"
        for r in results or [] if r.get("kept")
    ]
