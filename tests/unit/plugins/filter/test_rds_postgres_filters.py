# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the rds_postgres filters (the logic's own tests: tests/unit/plugins/module_utils/test_rds_postgres_role.py)."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter.rds_postgres import FilterModule
from ansible_collections.atelier.infra.plugins.filter.rds_postgres import rds_postgres_errors
from ansible_collections.atelier.infra.plugins.filter.rds_postgres import rds_postgres_kept
from ansible_collections.atelier.infra.plugins.filter.rds_postgres import rds_postgres_rotation
from ansible_collections.atelier.infra.plugins.filter.rds_postgres import rds_postgres_secret_policy
from ansible_collections.atelier.infra.plugins.filter.rds_postgres import rds_postgres_upgrade_plan

from tests.unit.plugins.module_utils.test_rds_postgres_role import DEFAULTS


def test_filters_are_registered():
    assert FilterModule().filters() == {"rds_postgres_errors": rds_postgres_errors, "rds_postgres_kept": rds_postgres_kept,
                                        "rds_postgres_upgrade_plan": rds_postgres_upgrade_plan,
                                        "rds_postgres_secret_policy": rds_postgres_secret_policy,
                                        "rds_postgres_rotation": rds_postgres_rotation}


def test_errors():
    assert rds_postgres_errors(DEFAULTS) == []
    assert rds_postgres_errors(dict(DEFAULTS, rds_postgres_port=80)) == ["rds_postgres_port must be 1150 to 65535, got 80"]


def test_kept():
    assert rds_postgres_kept(DEFAULTS, False, True) == [
        "dev-shop-db-credentials (Secrets Manager secret in us-east-1: the database credentials; deleted with"
        " rds_postgres_delete_data)"
    ]


def test_upgrade_plan():
    assert rds_postgres_upgrade_plan(DEFAULTS)["create"]["engine_version"] == "15.18"
    assert rds_postgres_upgrade_plan(DEFAULTS, {"engine_version": "15.5", "ca_certificate_identifier": "rds-ca-rsa2048-g1"})[
        "upgrade"] == {"engine_version": "15.18"}
    with pytest.raises(AnsibleFilterError, match="the instance is a dict, got list"):
        rds_postgres_upgrade_plan(DEFAULTS, [])


def test_secret_policy():
    tiers = [{"name": "backend", "secrets": {"DB_PASSWORD": "dev-shop-db-credentials:password"}}, {"name": "frontend"}]
    policy = rds_postgres_secret_policy(DEFAULTS, tiers, "dev-shop", "arn:aws:iam::123456789012:user/ci", "123456789012")
    assert policy["Statement"][0]["Condition"]["StringNotLike"]["aws:PrincipalArn"] == [
        "arn:aws:iam::123456789012:role/dev-shop-backend-instance",
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::123456789012:user/ci",
    ]
    # With the role's own rotation function, its execution role may use the secret too.
    rotating = rds_postgres_secret_policy(dict(DEFAULTS, rds_postgres_secret_rotation=True), tiers, "dev-shop",
                                          "arn:aws:iam::123456789012:user/ci", "123456789012")
    assert "arn:aws:iam::123456789012:role/dev-shop-postgres-rotation" in rotating["Statement"][0]["Condition"]["StringNotLike"][
        "aws:PrincipalArn"]
    with pytest.raises(AnsibleFilterError, match="the tiers must be a list, got dict"):
        rds_postgres_secret_policy(DEFAULTS, {"name": "backend"}, "dev-shop", "arn:aws:iam::1:user/ci", "1")
    with pytest.raises(AnsibleFilterError, match="'ci' is not a caller ARN"):
        rds_postgres_secret_policy(DEFAULTS, [], "dev-shop", "ci", "1")


@pytest.mark.parametrize("call", [lambda: rds_postgres_errors(["x"]), lambda: rds_postgres_kept("x", True, True),
                                  lambda: rds_postgres_upgrade_plan("x"), lambda: rds_postgres_secret_policy("x", [], "p", "a", "1"),
                                  lambda: rds_postgres_rotation("x", "1")])
def test_inputs_must_be_a_dict(call):
    with pytest.raises(AnsibleFilterError, match="the role's inputs are a dict of rds_postgres_"):
        call()


def test_rotation():
    own = rds_postgres_rotation(dict(DEFAULTS, rds_postgres_secret_rotation=True), 123456789012)
    assert own["own"] and own["lambda_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:dev-shop-postgres-rotation"
