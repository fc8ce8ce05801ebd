"""The lambda_function filters: what they hand the module_utils and what they refuse."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import lambda_function as filters


def test_specs_group_the_stack_subnets_by_tier_and_report_what_is_missing(tmp_path):
    (tmp_path / "f").mkdir()
    functions = [{"name": "f", "source": "f", "vpc": {"subnets": "app", "security_group": "api"}}]
    subnets = [{"subnet_id": "subnet-1", "tags": {"atelier:tier": "app"}}]
    plan = filters.lambda_function_specs(functions, "p", "1", "us-east-1", "aws", str(tmp_path), "/b", 30, subnets, [])
    assert plan["functions"][0]["vpc"]["subnet_ids"] == ["subnet-1"]
    assert plan["functions"][0]["package"] == {"name": "f", "src": str(tmp_path / "f"), "dest": "/b/p/f.zip"}
    assert plan["missing"] == ["f: security group p-api"]


def test_errors_and_specs_refuse_what_is_not_their_shape():
    with pytest.raises(AnsibleFilterError, match="must be a dict"):
        filters.lambda_function_errors(["x"])
    with pytest.raises(AnsibleFilterError, match="must be a list"):
        filters.lambda_function_specs({"name": "f"}, "p", "1", "r")


def test_errors_name_the_variable(tmp_path):
    errors = filters.lambda_function_errors({"lambda_function_functions": [{"name": "f", "source": "nope"}]}, [str(tmp_path)])
    assert errors == [f"lambda_function_functions[0] (f): source directory nope does not exist (looked in: {tmp_path})"]
