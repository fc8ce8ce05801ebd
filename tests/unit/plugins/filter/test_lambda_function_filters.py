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


STACK = {"prefix": "p", "resources": {"s3_bucket": ["uploads"], "dynamodb_table": ["messages"], "sqs_queue": ["failed"]}}
EVENTS = [{"name": "f", "events": [{"s3": {"bucket": "uploads"}},
                                   {"dynamodb_stream": {"table": "messages", "failure_destination": "failed"}}]}]


def test_events_wire_present_and_empty_everything_absent():
    present = filters.lambda_function_events(EVENTS, "p", "1", "us-east-1", "aws", STACK)
    assert [p["statement_id"] for p in present["permissions"]] == ["s3-p-uploads"]
    assert [len(n["functions"]) for n in present["notifications"]] == [1]
    assert present["mappings"][0]["mappings"][0]["destination_arn"] == "arn:aws:sqs:us-east-1:1:p-failed"
    absent = filters.lambda_function_events(EVENTS, "p", "1", "us-east-1", "aws", STACK, "absent")
    assert absent["permissions"] == []
    assert [(n["bucket"], n["functions"]) for n in absent["notifications"]] == [("p-uploads", [])]
    assert absent["mappings"] == [{"function_name": "p-f", "mappings": []}]
    with pytest.raises(AnsibleFilterError, match="must be a list"):
        filters.lambda_function_events({"name": "f"}, "p", "1", "r")


def test_errors_refuse_overlaps_and_streams_of_tables_without_one(tmp_path):
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    functions = [{"name": "f", "source": "f", "events": [{"s3": {"bucket": "uploads", "prefix": "a/"}},
                                                         {"dynamodb_stream": {"table": "messages"}}]},
                 {"name": "g", "source": "f", "events": [{"s3": {"bucket": "uploads", "prefix": "a/b/"}}]}]
    inputs = {"lambda_function_functions": functions, "lambda_function_stack": STACK, "lambda_function_stream_tables": [],
              "lambda_function_name_prefix": "p"}
    errors = filters.lambda_function_errors(inputs, [str(tmp_path)])
    assert len(errors) == 2
    assert "the table messages has no stream" in errors[0]
    assert "the S3 notifications f events[0] and g events[0] of the bucket uploads overlap" in errors[1]
