# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.dynamodb_global_table_info, against the fake DynamoDB of the
dynamodb_global_table tests (tables made by the module itself)."""

import pytest

from ansible_collections.atelier.infra.plugins.modules import dynamodb_global_table_info

from tests.unit.plugins.modules.test_dynamodb_global_table import HOME
from tests.unit.plugins.modules.test_dynamodb_global_table import FakeDynamoDB
from tests.unit.plugins.modules.test_dynamodb_global_table import existing
from tests.unit.plugins.modules.test_dynamodb_global_table import install
from tests.unit.plugins.modules.utils import run_main


def info(monkeypatch, aws, check_mode=False):
    clients = install(monkeypatch, aws)
    args = {"region": HOME, "name": "AtelierDB", "_ansible_check_mode": check_mode}
    return run_main(dynamodb_global_table_info, args).result, clients


def test_missing_table(monkeypatch):
    result, _clients = info(monkeypatch, FakeDynamoDB())

    assert result == {"changed": False, "exists": False, "table": {}}


@pytest.mark.parametrize("check_mode", [False, True], ids=["normal", "check mode"])
def test_global_table(monkeypatch, check_mode):
    aws = existing(
        monkeypatch,
        replicas=[
            {"region": "eu-west-1", "point_in_time_recovery": True},
            {"region": "af-south-1", "deletion_protection": True},
        ],
    )

    result, clients = info(monkeypatch, aws, check_mode)

    assert result["changed"] is False and result["exists"] is True
    table = result["table"]
    assert (table["name"], table["hash_key"], table["range_key"], table["billing_mode"]) == (
        "AtelierDB",
        "PK",
        "SK",
        "PAY_PER_REQUEST",
    )
    assert table["ttl"] == {"enabled": True, "attribute_name": "ExpiresAt", "status": "ENABLED"}
    assert table["point_in_time_recovery"] is True and table["deletion_protection"] is True
    assert table["tags"] == {"Name": "AtelierDB"}
    assert table["stream"]["stream_view_type"] == "NEW_AND_OLD_IMAGES"
    assert table["sse"]["sse_type"] == "KMS"
    assert [
        (r["region_name"], r["replica_status"], r["deletion_protection"], r["point_in_time_recovery"])
        for r in table["replicas"]
    ] == [
        ("af-south-1", "ACTIVE", True, False),
        ("eu-west-1", "ACTIVE", False, True),
    ]
    # One client per region: the home region, then each replica's.
    assert clients == [HOME, "af-south-1", "eu-west-1"]
    assert aws.mutating_calls() == []
