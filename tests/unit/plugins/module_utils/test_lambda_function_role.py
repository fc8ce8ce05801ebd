"""The lambda_function role's decisions: input errors, execution role policy and trust, specs and outputs."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import lambda_function_role as role

STACK = {"prefix": "dev-app", "resources": {"dynamodb_table": ["AtelierDB"], "secret": ["db-credentials"], "s3_bucket": [],
                                            "sqs_queue": [], "sns_topic": [], "kms_key": []}}


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "functions" / "presign").mkdir(parents=True)
    (tmp_path / "functions" / "presign" / "app.py").write_text("def handler(e, c): pass\n")
    (tmp_path / "functions" / "notify").mkdir()
    (tmp_path / "functions" / "notify" / "index.mjs").write_text("export const handler = async () => 1;\n")
    return tmp_path


def _inputs(functions, **more):
    return dict({"lambda_function_functions": functions, "lambda_function_name_prefix": "dev-app",
                 "lambda_function_stack": STACK, "lambda_function_state": "present"}, **more)


def _errors(project, *functions, **more):
    return role.lambda_function_errors(_inputs(list(functions), **more), ["/nowhere", str(project)],
                                       [{"name": "app", "type": "private"}])


GOOD = {"name": "presign", "source": "functions/presign", "handler": "app.handler"}
NODE = {"name": "notify", "source": "functions/notify", "handler": "index.handler", "runtime": "nodejs20.x"}


def test_good_functions_have_no_error(project):
    grants = [{"kind": "dynamodb_table", "name": "AtelierDB", "access": "read"}]
    assert _errors(project, dict(GOOD, grants=grants, vpc={"subnets": "app", "security_group": "api"}), NODE) == []


def test_a_missing_directory_is_named(project):
    errors = _errors(project, dict(GOOD, source="functions/gone"))
    assert errors == ["lambda_function_functions[0] (presign): source directory functions/gone does not exist "
                      f"(looked in: /nowhere, {project})"]


@pytest.mark.parametrize("function, needs", [
    (dict(GOOD, handler="main.handler"), "main.py"),
    (dict(NODE, handler="app.handler"), "app.js or app.mjs or app.cjs"),
    (dict(GOOD, runtime="nodejs20.x"), "app.js"),
])
def test_a_directory_without_the_handlers_file_is_named(project, function, needs):
    errors = _errors(project, function)
    assert len(errors) == 1 and f"needs {needs}" in errors[0]


def test_ranges_and_choices(project):
    errors = _errors(project, dict(GOOD, memory=64, timeout=901, architecture="arm", runtime="python2.7",
                                   log_retention_days=2))
    text = "; ".join(errors)
    assert "memory must be a whole number from 128 to 10240 MB, got 64" in text
    assert "timeout must be a whole number from 1 to 900 seconds, got 901" in text
    assert "architecture must be one of x86_64, arm64" in text
    assert "runtime must be one of" in text
    assert "log_retention_days must be one of" in text
    assert _errors(project, dict(GOOD, memory=10240, timeout=900)) == []
    assert len(_errors(project, dict(GOOD, memory=10241, timeout=0))) == 2


def test_a_grant_of_something_the_stack_does_not_create(project):
    errors = _errors(project, dict(GOOD, grants=[{"kind": "s3_bucket", "name": "uploads", "access": "write"}]))
    assert len(errors) == 1
    assert "grants[0] (s3_bucket uploads): the stack does not create this s3 bucket" in errors[0]


def test_duplicate_names(project):
    errors = _errors(project, GOOD, dict(NODE, name="presign"))
    assert errors == ["lambda_function_functions: 0, 1 are all named presign; names must be unique"]


def test_reserved_and_invalid_environment(project):
    errors = _errors(project, dict(GOOD, environment={"AWS_REGION": "x", "1BAD": "y", "GOOD": "z"}))
    assert len(errors) == 2 and "AWS_REGION is reserved" in errors[1] and "'1BAD'" in errors[0]


def test_vpc_needs_a_known_subnet_tier_and_a_group(project):
    errors = _errors(project, dict(GOOD, vpc={"subnets": "db"}))
    assert any("'db' is not a subnet tier" in e for e in errors) and any("needs security_group" in e for e in errors)


def test_long_names(project):
    errors = _errors(project, dict(GOOD, name="x" * 60))
    assert any("the role name" in e and "AWS allows 64" in e for e in errors)


def test_absent_checks_names_only(project):
    assert _errors(project, dict(GOOD, source="gone", memory=1), lambda_function_state="absent") == []


def test_trust_is_lambda_of_this_account_only():
    statement = role.trust_policy("123456789012")["Statement"][0]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_policy_is_its_log_group_and_exactly_its_grants():
    function = dict(GOOD, grants=[{"kind": "dynamodb_table", "name": "AtelierDB", "access": "write"}])
    policy = role.execution_policy(function, "dev-app", "123456789012", "us-east-1")
    logs, table = policy["Statement"]
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/dev-app-presign"
    assert logs["Resource"] == [f"{group}:*", f"{group}:log-stream:*"]
    assert logs["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert table["Resource"] == ["arn:aws:dynamodb:us-east-1:123456789012:table/dev-app-AtelierDB"]
    assert "dynamodb:PutItem" in table["Action"] and "dynamodb:GetItem" not in table["Action"]
    assert not any("ec2:" in a for s in policy["Statement"] for a in s["Action"])


def test_policy_has_the_network_interfaces_only_with_a_vpc():
    policy = role.execution_policy(dict(GOOD, vpc={"subnets": "app", "security_group": "api"}), "p", "1", "r")
    assert policy["Statement"][-1]["Action"] == role.VPC_ACTIONS and policy["Statement"][-1]["Resource"] == "*"


def test_specs(project):
    functions = [dict(GOOD, environment={"MODE": 1}, grants=[{"kind": "dynamodb_table", "name": "AtelierDB"}],
                      vpc={"subnets": "app", "security_group": "api"}), NODE]
    subnets = [{"subnet_id": "subnet-2", "tags": {"atelier:tier": "app"}}, {"subnet_id": "subnet-1", "tags": {"atelier:tier": "app"}},
               {"subnet_id": "subnet-9", "tags": {"atelier:tier": "public"}}]
    by_tier, groups = role.stack_network(subnets, [{"group_name": "dev-app-api", "group_id": "sg-1"}])
    presign, notify = role.function_specs(functions, "dev-app", "123456789012", "us-east-1", search_dirs=[str(project)],
                                          build_dir="/b", retention_days=14, subnets=by_tier, security_groups=groups)
    assert presign["function_name"] == "dev-app-presign" and presign["role_name"] == "dev-app-presign-lambda"
    assert presign["role_arn"] == "arn:aws:iam::123456789012:role/dev-app-presign-lambda"
    assert presign["log_group"] == "/aws/lambda/dev-app-presign" and presign["log_retention_days"] == 14
    assert presign["source"] == str(project / "functions" / "presign") and presign["zip_file"] == "/b/dev-app/presign.zip"
    assert presign["environment"] == {"DYNAMODB_TABLE": "dev-app-AtelierDB", "MODE": "1"}
    assert presign["vpc"]["subnet_ids"] == ["subnet-1", "subnet-2"] and presign["vpc"]["security_group_ids"] == ["sg-1"]
    assert notify["vpc"] is None and notify["environment"] == {} and notify["runtime"] == "nodejs20.x"
    assert role.vpc_missing([presign, notify]) == []
    bare = role.function_specs(functions[:1], "dev-app", "1", "us-east-1", search_dirs=[str(project)])
    assert role.vpc_missing(bare) == ["presign: app subnets", "presign: security group dev-app-api"]


def test_outputs_prefer_lambdas_checksum():
    specs = [{"name": "f", "function_name": "p-f", "runtime": "python3.12", "role_arn": "arn:r", "log_group": "/aws/lambda/p-f"}]
    answer = [{"configuration": {"function_arn": "arn:f", "code_sha256": "AAA="}}]
    assert role.outputs(specs, answer, [{"name": "f", "code_sha256": "BBB="}])[0]["code_sha256"] == "AAA="
    assert role.outputs(specs, [], [{"name": "f", "code_sha256": "BBB="}])[0]["code_sha256"] == "BBB="


def test_reserved_concurrency_must_not_be_negative(project):
    errors = _errors(project, dict(GOOD, reserved_concurrency=-1))
    assert errors == ["lambda_function_functions[0] (presign): reserved_concurrency must be a whole number, 0 or more, got -1"]
    assert _errors(project, dict(GOOD, reserved_concurrency=0)) == []


def test_concurrency_changes_only_where_lambda_answered_another():
    specs = [{"function_name": "p-a", "reserved_concurrency": 5}, {"function_name": "p-b", "reserved_concurrency": None},
             {"function_name": "p-c", "reserved_concurrency": None}, {"function_name": "p-d", "reserved_concurrency": 2}]
    answers = [{"concurrency": {"reserved_concurrent_executions": 5}}, {"concurrency": {"reserved_concurrent_executions": 3}},
               {}, {"changed": True}]
    assert role.concurrency_changes(specs, answers) == [
        {"name": "p-b", "reserved_concurrency": None}, {"name": "p-d", "reserved_concurrency": 2}]
