"""The lambda_function role against the emulator, through inventories/local (the stack local-atelier): ONE deploy of
two functions copied from tests/integration/fixtures/functions (a Python one granted writes to the stack's table, a
Node.js one on arm64) shared by the module - check mode on the empty account, what exists, what the execution role
may do, a second run that uploads and changes nothing, a changed source file that uploads exactly one function's
code, then the removal. Bad input fails before any AWS call."""

import base64
import hashlib
import importlib.util
import shutil
from pathlib import Path

import pytest

PLAYBOOK = "tests/integration/fixtures/lambda_function_role.yml"
FIXTURES = Path(__file__).parent / "fixtures" / "functions"
PREFIX = "local-atelier"
TABLE = f"{PREFIX}-AtelierDB"
# The packaging code itself (pure Python, no collection import), to check what Lambda holds.
_SPEC = importlib.util.spec_from_file_location(
    "lambda_package", Path(__file__).parents[2] / "plugins" / "module_utils" / "lambda_package.py")
lambda_package = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(lambda_package)


def _functions(root):
    return [
        {"name": "presign", "source": str(root / "presign"), "handler": "app.handler", "runtime": "python3.12",
         "memory": 256, "timeout": 10, "environment": {"UPLOADS_PREFIX": "avatars/"},
         "grants": [{"kind": "dynamodb_table", "name": "AtelierDB", "access": "write"}], "log_retention_days": 14,
         "reserved_concurrency": 5},
        {"name": "notify", "source": str(root / "notify"), "handler": "index.handler", "runtime": "nodejs20.x",
         "architecture": "arm64"},
    ]


def _code_uploads(run):
    """The UpdateFunctionCode requests of a run (REST: PUT /2015-03-31/functions/<name>/code)."""
    return [r["action"] for r in run.requests if r["service"] == "lambda" and r["action"].startswith("PUT ")
            and r["action"].endswith("/code")]


@pytest.fixture(scope="module")
def deployed(emulator, tmp_path_factory):
    emulator.reset()
    root = tmp_path_factory.mktemp("functions")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    build = tmp_path_factory.mktemp("build")
    present = {"lambda_function_functions": _functions(root), "lambda_function_build_dir": str(build)}
    emulator.client("dynamodb").create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    out = {"root": root, "build": build, "plan": emulator.playbook(PLAYBOOK, "--check", extra_vars=present)}
    out["first"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    assert out["first"].rc == 0, out["first"].output[-8000:]
    out["again"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    lam = emulator.client("lambda")
    out["before"] = {n: lam.get_function_configuration(FunctionName=f"{PREFIX}-{n}") for n in ("presign", "notify")}
    (root / "presign" / "app.py").write_text((root / "presign" / "app.py").read_text() + "\n# changed\n")
    out["changed"] = emulator.playbook(PLAYBOOK, extra_vars=present)
    out["after"] = {n: lam.get_function_configuration(FunctionName=f"{PREFIX}-{n}") for n in ("presign", "notify")}
    out["present"] = present
    return out


def test_check_mode_on_an_empty_account_mutates_nothing(deployed):
    plan = deployed["plan"]
    assert plan.rc == 0, plan.output[-8000:]
    assert plan.mutating == []
    assert plan.changed > 0


def test_the_functions_exist_with_their_settings(deployed, emulator):
    presign, notify = deployed["before"]["presign"], deployed["before"]["notify"]
    assert (presign["Runtime"], presign["Handler"], presign["MemorySize"], presign["Timeout"]) == ("python3.12", "app.handler", 256, 10)
    assert presign["Environment"]["Variables"] == {"UPLOADS_PREFIX": "avatars/", "DYNAMODB_TABLE": TABLE}
    assert presign["Role"].endswith(f":role/{PREFIX}-presign-lambda")
    assert (notify["Runtime"], notify["Handler"], notify["Architectures"]) == ("nodejs20.x", "index.handler", ["arm64"])
    lam = emulator.client("lambda")
    assert lam.get_function_concurrency(FunctionName=f"{PREFIX}-presign").get("ReservedConcurrentExecutions") == 5
    assert lam.get_function_concurrency(FunctionName=f"{PREFIX}-notify").get("ReservedConcurrentExecutions") is None
    # The code Lambda holds is the deterministic package of the directory (the same files elsewhere give the same zip).
    assert presign["CodeSha256"] == lambda_package.code_sha256(lambda_package.zip_bytes(FIXTURES / "presign"))


def test_the_role_is_trusted_by_lambda_of_this_account_and_the_log_group_kept_14_days(deployed, emulator):
    role = emulator.client("iam").get_role(RoleName=f"{PREFIX}-presign-lambda")["Role"]
    statement = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert list(statement["Condition"]["StringEquals"]) == ["aws:SourceAccount"]
    groups = emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{PREFIX}-")["logGroups"]
    assert {g["logGroupName"]: g.get("retentionInDays") for g in groups} == {
        f"/aws/lambda/{PREFIX}-presign": 14, f"/aws/lambda/{PREFIX}-notify": 30}


def test_the_role_may_write_its_table_and_nothing_else(deployed, emulator):
    account = emulator.client("sts").get_caller_identity()["Account"]
    with pytest.raises(PermissionError):
        emulator.role_credentials(f"{PREFIX}-presign-lambda", "lambda.amazonaws.com", source_account="999999999999")
    with emulator.iam_enforced():
        dynamodb = emulator.client_as_role("dynamodb", f"{PREFIX}-presign-lambda", principal="lambda.amazonaws.com",
                                           source_account=account)
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "a"}})
        with pytest.raises(dynamodb.exceptions.ClientError) as denied:
            dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "a"}})
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        notify = emulator.client_as_role("dynamodb", f"{PREFIX}-notify-lambda", principal="lambda.amazonaws.com",
                                         source_account=account)
        with pytest.raises(notify.exceptions.ClientError) as refused:
            notify.put_item(TableName=TABLE, Item={"pk": {"S": "b"}})
        assert refused.value.response["Error"]["Code"] == "AccessDeniedException"


def test_a_second_run_changes_nothing_and_uploads_no_code(deployed):
    again = deployed["again"]
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == []
    assert _code_uploads(again) == []


def test_a_changed_source_file_uploads_exactly_that_functions_code(deployed):
    changed = deployed["changed"]
    assert changed.rc == 0, changed.output[-8000:]
    assert _code_uploads(changed) == [f"PUT /2015-03-31/functions/{PREFIX}-presign/code"]
    assert deployed["after"]["presign"]["CodeSha256"] != deployed["before"]["presign"]["CodeSha256"]
    package = (deployed["build"] / PREFIX / "presign.zip").read_bytes()
    assert deployed["after"]["presign"]["CodeSha256"] == base64.b64encode(hashlib.sha256(package).digest()).decode()
    assert deployed["after"]["notify"]["CodeSha256"] == deployed["before"]["notify"]["CodeSha256"]


def test_a_missing_handler_fails_before_any_aws_call(deployed, emulator, tmp_path):
    (tmp_path / "empty").mkdir()
    bad = [{"name": "broken", "source": str(tmp_path / "empty"), "handler": "app.handler"},
           {"name": "broken", "source": str(tmp_path / "gone"), "memory": 64}]
    run = emulator.playbook(PLAYBOOK, extra_vars={"lambda_function_functions": bad})
    assert run.rc != 0 and run.requests == []
    text = " ".join(run.output.split())
    assert "Invalid input for the lambda_function role" in text
    assert f"handler app.handler needs app.py in {tmp_path / 'empty'}" in text
    assert "memory must be a whole number from 128 to 10240 MB, got 64" in text
    assert "are all named broken" in text


def test_absent_leaves_nothing(deployed, emulator):
    gone = emulator.playbook(PLAYBOOK, extra_vars=dict(deployed["present"], lambda_function_state="absent",
                                                       lambda_function_delete_data=True))
    assert gone.rc == 0, gone.output[-8000:]
    names = [f["FunctionName"] for f in emulator.client("lambda").list_functions()["Functions"]]
    assert [n for n in names if n.startswith(PREFIX)] == []
    roles = [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]]
    assert [r for r in roles if r.startswith(PREFIX)] == []
    assert emulator.client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{PREFIX}-")["logGroups"] == []
