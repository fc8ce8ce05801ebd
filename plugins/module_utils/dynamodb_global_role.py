# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The dynamodb_global role's logic: the few checks neither its argument spec nor the module make, and the replica
lists it hands the module.

The module atelier.infra.dynamodb_global_table checks everything about the table's shape before any AWS call (keys,
indexes, capacities, replica regions, TTL, stream); ``errors`` adds only what the module takes as given (the table
name's form, the wait timeout), so that the teardown, which reads the table first, is refused before any call too.

Pure Python, no Ansible or boto3 import: exposed by plugins/filter/dynamodb_global.py.
"""

import re
from collections.abc import Mapping

P = "dynamodb_global_"
# DynamoDB's table name rule.
TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
# The settings a replica inherits from the table unless it sets its own.
INHERITED = ("deletion_protection", "point_in_time_recovery")


def errors(inputs):
    """What is wrong with the dynamodb_global role's inputs that neither its argument spec nor the module checks."""
    inputs = dict(inputs or {})
    errs = []
    name = inputs.get(P + "table_name", "")
    if not isinstance(name, str) or not TABLE_NAME.match(name):
        errs.append(f"{P}table_name must be 3 to 255 letters, digits, underscores, dots and hyphens, got {name}")
    timeout = inputs.get(P + "wait_timeout")
    if isinstance(timeout, bool) or not re.fullmatch(r"[0-9]+", str(timeout).strip()) or int(timeout) < 1:
        errs.append(f"{P}wait_timeout must be a positive number of seconds, got {timeout}")
    return errs


def replicas(entries, deletion_protection, point_in_time_recovery):
    """The replicas for the module: each entry of dynamodb_global_replicas with the table's deletion protection and
    point-in-time recovery where it does not set its own (a missing or null value)."""
    table = {"deletion_protection": deletion_protection, "point_in_time_recovery": point_in_time_recovery}
    out = []
    for entry in entries or []:
        replica = dict(entry) if isinstance(entry, Mapping) else {"region": entry}
        for key in INHERITED:
            if replica.get(key) is None:
                replica[key] = table[key]
        out.append(replica)
    return out


def unprotected_replicas(regions):
    """The module's replicas option that lifts the deletion protection of every replica region given (the teardown's
    first step; purge_replicas false keeps the replicas themselves)."""
    return [{"region": region, "deletion_protection": False} for region in regions or []]
