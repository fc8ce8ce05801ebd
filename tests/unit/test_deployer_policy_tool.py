"""tools/deployer_policy.py: the deployer's policies generated from docs/iam/actions.yml (no emulator, no playbook).

The committed JSON must be what the declaration gives (the same check as ``tools/deployer_policy.py --check``, which
``make docs-check`` runs); a request log's checks are evaluated against the declaration with the emulator's evaluator.
"""

import copy
import json
from pathlib import Path

import pytest

from tools import deployer_policy as tool

REPO_ROOT = Path(__file__).resolve().parents[2]
DECLARATION = tool.load()
LAYERS = ("network", "data", "tiers", "dns", "monitoring")
# The building blocks' layers: each its own policy, not in the combined one
# (inventories/local uses none of their roles)..
BLOCKS = ("functions", "websocket", "identity", "delivery", "stores")


def _declaration(*statements):
    network = {"playbook": "playbooks/network.yml", "tags": ["vpc"], "statements": list(statements)}
    return {"layers": {"network": network}}


def test_the_committed_policies_are_what_the_declaration_gives():
    assert tool.stale(DECLARATION) == [], "run .venv/bin/python tools/deployer_policy.py"


def test_the_check_fails_when_a_committed_policy_differs(tmp_path):
    """Proof that the check above can fail: one action more in the declaration makes the layer's and the combined
    file stale, and the command exits 1 naming them."""
    tool.write(DECLARATION, tmp_path)
    assert tool.stale(DECLARATION, tmp_path) == []
    changed = copy.deepcopy(DECLARATION)
    changed["layers"]["data"]["statements"][0]["actions"].append("dynamodb:ListTables2")
    assert sorted(Path(p).name for p in tool.stale(changed, tmp_path)) == ["data.json", "deployer.json"]
    assert tool.main(["--check", "--output", str(tmp_path)]) == 0
    (tmp_path / "network.json").write_text("{}\n", encoding="utf-8")
    assert tool.main(["--check", "--output", str(tmp_path)]) == 1


def _checks(statement):
    """A request each (action, resource) of a statement allows: wildcards filled in, its condition's values given."""
    context = {
        key.lower(): values if isinstance(values, str) else values[0]
        for operator in (statement.get("Condition") or {}).values()
        for key, values in operator.items()
    }
    return [
        {"action": action, "resource": resource.replace("*", "x"), "context": context}
        for action in statement["Action"]
        for resource in statement["Resource"]
    ]


def test_one_policy_per_layer_and_a_combined_one_that_allows_them_all_without_repetition():
    documents = tool.policies(DECLARATION, "prod-web")
    assert list(documents) == [*LAYERS, *BLOCKS, "deployer"]
    combined = documents["deployer"]
    elsewhere = tool.used_elsewhere(DECLARATION)
    layer_checks = [check for layer in LAYERS for s in documents[layer]["Statement"] if s["Sid"] not in elsewhere
                    for check in _checks(s)]
    assert tool.missing(combined, layer_checks) == []
    # What only other inventories use (the goal-tracker's bastion and RDS) is in the layers' policies, not combined.
    assert {"NetworkBastionRole", "DataDatabaseConverge", "TiersScalingAlarms"} <= set(elsewhere)
    assert not set(elsewhere) & {statement["Sid"] for statement in combined["Statement"]}
    assert {"NetworkBastionRole", "NetworkBastionInstance"} <= {s["Sid"] for s in documents["network"]["Statement"]}
    sids = [statement["Sid"] for statement in combined["Statement"]]
    assert len(sids) == len(set(sids))
    # Without any one statement of the combined policy, some request a layer allows is refused.
    for statement in combined["Statement"]:
        reduced = {**combined, "Statement": [s for s in combined["Statement"] if s is not statement]}
        assert tool.missing(reduced, _checks(statement)), f"{statement['Sid']} repeats what other statements allow"
    # The layers repeat each other (every layer reads the table); the combined policy says it once.
    assert "TiersTableRead" not in sids and "NetworkFlowLogRole" not in sids
    # Sizes AWS accepts: a managed policy holds 6,144 characters without whitespace (each layer's), a role's inline
    # policies 10,240 (the combined one, on a deployer role).
    for name, document in documents.items():
        size = len(json.dumps(document, separators=(",", ":")))
        assert size <= (10240 if name == "deployer" else 6144), (name, size)


# What AWS authorizes on "*" only, in the services whose resources the policy scopes.
# List and describe-all calls AWS authorizes only on "*".
UNSCOPABLE = {"logs:DescribeLogGroups", "iam:ListAccountAliases", "sns:ListTopics", "ssm:DescribeParameters"}


def test_the_prefix_scopes_what_aws_lets_a_policy_scope():
    """iam:PassRole and the role actions, secrets, tables, ECR repositories, log groups and SNS topics name the
    stack's prefix; none of those actions is allowed on "*"."""
    statements = tool.policies(DECLARATION, "prod-web")["deployer"]["Statement"]
    scoped = {"iam": (":role/prod-web-", ":instance-profile/prod-web-", "AWSServiceRoleForDynamoDBReplication"),
              "secretsmanager": (":secret:prod-web-", ":secret:prod-web/"), "dynamodb": (":table/prod-web-",),
              "ecr": (":repository/prod-web/",), "logs": ("/prod-web:", "/prod-web/", "log-group:/aws/vpc-flow-logs/prod-web"),
              "sns": (":prod-web-",), "ssm": (":parameter/aws/service/", ":parameter/AmazonCloudWatch-prod-web-")}
    checked = 0
    for statement in statements:
        for action in set(statement["Action"]) - UNSCOPABLE:
            fragments = scoped.get(action.split(":")[0])
            if fragments:
                checked += 1
                assert all(any(f in r for f in fragments) for r in statement["Resource"]), (statement["Sid"], action)
    assert checked > 40
    pass_role = [s for s in statements if "iam:PassRole" in s["Action"]]
    assert pass_role and all(r.startswith("arn:aws:iam::*:role/prod-web-") for s in pass_role for r in s["Resource"])
    assert all("iam:PassedToService" in s["Condition"]["StringEquals"] for s in pass_role)
    rendered = tool.render(tool.policies(DECLARATION)["deployer"])
    assert "{prefix}" in rendered and "prod-web" not in rendered


def test_a_bad_declaration_is_refused_with_what_is_wrong():
    errors = tool.declaration_errors(
        _declaration(
            {"sid": "A", "actions": ["ec2:DescribeVpcs"], "resources": ["*"]},
            {"sid": "A", "actions": ["DescribeVpcs"], "resources": "*", "effect": "Deny"},
        )
    )
    assert errors == [
        "layers.network.statements[1]: unknown key(s) effect",
        "layers.network.statements[1]: sid A is used twice",
        "layers.network.statements[1] (A): resources must be a non-empty list of strings",
        "layers.network.statements[1] (A): actions must be <service>:<Action>, got DescribeVpcs",
    ]
    assert tool.declaration_errors({"layers": {"network": {"statements": []}}}) == [
        "layers.network: expected a mapping with a non-empty 'statements' list"
    ]


def test_a_layer_that_extends_another_is_checked_with_its_runs_and_has_none_of_its_own():
    """The dns layer rides on the tiers layer's runs (playbooks/tiers.yml, teardown tag dns)."""
    assert DECLARATION["layers"]["dns"]["extends"] == "tiers" and "dns" in DECLARATION["layers"]["tiers"]["tags"]
    documents = tool.policies(DECLARATION)
    merged = tool.with_extensions(DECLARATION, documents, "tiers")
    check = {"action": "route53:ChangeResourceRecordSets", "resource": "arn:aws:route53:::hostedzone/Z1", "context": {}}
    assert tool.allows(merged, check) and not tool.allows(documents["tiers"], check)
    one = {"sid": "A", "actions": ["ec2:DescribeVpcs"], "resources": ["*"]}
    for base in ("dns", "nowhere"):
        declaration = _declaration(one)
        declaration["layers"]["dns"] = {"extends": base, "statements": [dict(one, sid="B")]}
        assert tool.declaration_errors(declaration) == [
            f"layers.dns: extends must name another layer that extends none, got {base!r}"]


def _entry(*checks):
    return {"service": "x", "action": "y", "status": 200, "mutating": True, "authorized": list(checks)}


def test_record_reports_the_checks_the_declaration_does_not_allow(tmp_path, capsys):
    """A log's checks are evaluated like AWS would: a role of the stack passes the scoped statement, another stack's
    role does not, a tagged create needs its tagging action too; unused declared actions are listed."""
    declaration = _declaration(
        {"sid": "Describe", "actions": ["ec2:DescribeVpcs", "ec2:DescribeSubnets"], "resources": ["*"]},
        {"sid": "Roles", "actions": ["iam:GetRole"], "resources": ["arn:aws:iam::*:role/{prefix}-*"]},
    )
    document = tool.policies(declaration, "local-atelier")["network"]
    mine = {"action": "iam:GetRole", "resource": "arn:aws:iam::123456789012:role/local-atelier-flow"}
    theirs = {"action": "iam:GetRole", "resource": "arn:aws:iam::123456789012:role/other-stack-flow"}
    create = {"action": "ec2:CreateVpc", "resource": "*", "context": {"aws:tagkeys": ["Name"]}}
    entries = [_entry({"action": "ec2:DescribeVpcs", "resource": "*"}, mine), _entry(theirs, create), {"status": 403}]
    describe = {"action": "ec2:DescribeVpcs", "resource": "*"}
    assert tool.used_checks(entries + entries) == [describe, mine, theirs, create]
    assert tool.missing(document, tool.used_checks(entries)) == [theirs, create]
    assert tool.unused(document, tool.used_checks(entries)) == ["Describe ec2:DescribeSubnets"]

    text, lacking = tool.report(entries, document, "test")
    assert lacking == 2
    assert "- iam:GetRole on arn:aws:iam::123456789012:role/other-stack-flow" in text
    assert '- ec2:CreateVpc on *  # {"aws:tagkeys": ["Name"]}' in text
    assert "#   ec2: CreateVpc, DescribeVpcs" in text

    log = tmp_path / "requests.jsonl"
    log.write_text("".join(json.dumps(e) + "\n" for e in entries[:1]), encoding="utf-8")
    declared = tmp_path / "actions.yml"
    declared.write_text(json.dumps(declaration), encoding="utf-8")
    assert tool.main(["--declaration", str(declared), "--record", str(log), "--layer", "network"]) == 0
    log.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    assert tool.main(["--declaration", str(declared), "--record", str(log), "--layer", "network"]) == 1
    assert "NOT allowed by the declaration (2)" in capsys.readouterr().out


def test_prefix_prints_a_stacks_policy(capsys):
    assert tool.main(["--prefix", "prod-web", "--layer", "data"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == tool.policies(DECLARATION, "prod-web")["data"]
    assert tool.main(["--prefix", "prod-web", "--layer", "edge"]) == 2


@pytest.mark.parametrize("layer", [layer for layer in LAYERS if DECLARATION["layers"][layer].get("playbook")])
def test_each_layer_names_its_playbook_and_teardown_tags(layer):
    spec = DECLARATION["layers"][layer]
    assert (REPO_ROOT / spec["playbook"]).is_file()
    teardown = (REPO_ROOT / "playbooks" / "teardown.yml").read_text(encoding="utf-8")
    for tag in spec["tags"]:
        assert f"tags: [{tag}]" in teardown or tag == "orphans", tag


def test_run_passes_the_extra_vars_to_every_run_and_records_them_apart(monkeypatch, capsys):
    seen = {}

    def record_all(declaration, out_dir, inventory, extra_vars):
        seen.update(out_dir=out_dir, inventory=inventory, extra_vars=extra_vars)
        return {layer: [] for layer in declaration["layers"]}, "network deploy failed (rc=2)"

    monkeypatch.setattr(tool, "record_all", record_all)
    assert tool.main(["--run", "--extra-vars", '{"atelier_logging_enabled": true}']) == 1
    assert seen == {"out_dir": REPO_ROOT / "build" / "iam" / "local-extra-vars", "inventory": "inventories/local",
                    "extra_vars": {"atelier_logging_enabled": True}}
    assert "network deploy failed" in capsys.readouterr().err
    assert tool.main(["--run", "--extra-vars", "[1]"]) == 2
    assert "expected a JSON object" in capsys.readouterr().err


@pytest.mark.parametrize("used_by", [[], "goal-tracker", ["local"], ["no-such-inventory"], [1]])
def test_used_by_names_other_inventories_that_exist(used_by):
    statement = {"sid": "A", "actions": ["ec2:RunInstances"], "resources": ["*"], "used_by": used_by}
    assert tool.declaration_errors(_declaration(statement)) == [
        f"layers.network.statements[0] (A): used_by must list inventories other than local (directories of "
        f"inventories/), got {used_by!r}"
    ]
    assert tool.declaration_errors(_declaration(dict(statement, used_by=["goal-tracker"]))) == []


def test_the_building_blocks_layers_are_policies_of_their_own_outside_the_combined_one():
    """lambda_function, websocket_api, cognito, cicd and stores: one policy each (a managed policy's size), none of
    their statements in deployer.json, no run of theirs in --run (no playbook of inventories/local runs them)."""
    assert tool.building_blocks(DECLARATION) == list(BLOCKS)
    roles = [role for layer in BLOCKS for role in DECLARATION["layers"][layer]["roles"]]
    assert sorted(roles) == ["cicd", "cognito", "lambda_function", "stores", "websocket_api"]
    documents = tool.policies(DECLARATION, "prod-web")
    combined = {statement["Sid"] for statement in documents["deployer"]["Statement"]}
    for layer in BLOCKS:
        sids = {statement["Sid"] for statement in documents[layer]["Statement"]}
        assert sids and not sids & combined, layer
    # A function of the stack, not of another one: Lambda authorizes on the function's ARN.
    mine = {"action": "lambda:UpdateFunctionCode",
            "resource": "arn:aws:lambda:eu-west-1:123456789012:function:prod-web-api"}
    theirs = dict(mine, resource="arn:aws:lambda:eu-west-1:123456789012:function:other-api")
    assert tool.allows(documents["functions"], mine) and not tool.allows(documents["functions"], theirs)
    assert not tool.allows(documents["deployer"], mine)
    # An API's runs deploy its functions too: the websocket layer is checked (and attached) with the functions layer.
    assert DECLARATION["layers"]["websocket"]["needs"] == ["functions"]
    assert not tool.allows(documents["websocket"], mine)
    assert tool.allows(tool.with_needs(DECLARATION, documents, "websocket"), mine)


def test_a_check_the_emulator_does_not_scope_is_evaluated_on_its_action():
    """The emulator authorizes Lambda's (and Cognito's, CodeBuild's ...) requests on "*": such a check is allowed by a
    statement scoped as AWS scopes it, on its action alone; a service whose resources the emulator names is not."""
    declaration = _declaration(
        {"sid": "Functions", "actions": ["lambda:GetFunction"],
         "resources": ["arn:aws:lambda:*:*:function:{prefix}-*"]},
        {"sid": "Mappings", "actions": ["lambda:DeleteEventSourceMapping"], "resources": ["*"],
         "conditions": {"ArnLike": {"lambda:FunctionArn": "arn:aws:lambda:*:*:function:{prefix}-*"}}},
        {"sid": "Tables", "actions": ["dynamodb:DescribeTable"],
         "resources": ["arn:aws:dynamodb:*:*:table/{prefix}-*"]},
    )
    document = tool.policies(declaration, "local-atelier")["network"]
    assert tool.allows(document, {"action": "lambda:GetFunction", "resource": "*"})
    assert tool.allows(document, {"action": "lambda:DeleteEventSourceMapping", "resource": "*"})
    assert not tool.allows(document, {"action": "lambda:DeleteFunction", "resource": "*"})
    assert not tool.allows(document, {"action": "dynamodb:DescribeTable", "resource": "*"})
    assert tool.allows(document, {"action": "dynamodb:DescribeTable",
                                  "resource": "arn:aws:dynamodb:us-east-1:123456789012:table/local-atelier-x"})


def test_a_layer_needs_a_playbook_extends_or_existing_roles():
    one = {"sid": "A", "actions": ["lambda:GetFunction"], "resources": ["*"]}
    declaration = _declaration(one)
    declaration["layers"]["functions"] = {"statements": [dict(one, sid="B")], "role": "lambda_function"}
    declaration["layers"]["nothing"] = {"roles": ["lambda_function", "no_such_role"], "needs": ["network"],
                                        "statements": [dict(one, sid="C")]}
    assert tool.declaration_errors(declaration) == [
        "layers.functions: unknown key(s) role",
        "layers.functions: needs a playbook (and its teardown tags), extends or roles",
        "layers.nothing: roles must list roles of roles/, got ['lambda_function', 'no_such_role']",
        "layers.nothing: needs must list other layers with roles, got ['network']",
    ]
    declaration["layers"]["functions"] = {"statements": [dict(one, sid="B")], "roles": ["lambda_function"]}
    del declaration["layers"]["nothing"]
    assert tool.declaration_errors(declaration) == []
    assert tool.building_blocks(declaration) == ["functions"]
    assert [s["Sid"] for s in tool.policies(declaration)["deployer"]["Statement"]] == ["A"]


def test_an_api_gateway_v2_request_is_checked_as_aws_authorizes_it():
    """The emulator names API Gateway V2 requests by verb and path on "*"; AWS authorizes the verb on the path's ARN:
    the websocket layer allows the APIs' paths, not a REST API's."""
    entry = _entry({"action": "apigateway:POST /v2/apis/abc123/routes", "resource": "*"},
                   {"action": "apigateway:POST /restapis", "resource": "*"})
    entry["region"] = "eu-west-1"
    checks = tool.used_checks([entry])
    assert checks[0] == {"action": "apigateway:POST", "resource": "arn:aws:apigateway:eu-west-1::/apis/abc123/routes"}
    assert checks[1] == {"action": "apigateway:POST /restapis", "resource": "*"}
    websocket = tool.policies(DECLARATION, "prod-web")["websocket"]
    assert tool.allows(websocket, checks[0])
    rest = {"action": "apigateway:POST", "resource": "arn:aws:apigateway:eu-west-1::/restapis"}
    assert not tool.allows(websocket, rest)


# What the building blocks call on "*" or an account-wide pattern: AWS requires it, or the resource has no prefix
# (a user pool's or an API's ID, a KMS key's).
BLOCKS_UNSCOPED = {"lambda:ListEventSourceMappings", "lambda:CreateEventSourceMapping",
                   "lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping", "cognito-idp:CreateUserPool", "cognito-idp:ListUserPools",
                   "s3:ListAllMyBuckets", "sns:ListTopics", "logs:DescribeLogGroups", "iam:ListAccountAliases"}


@pytest.mark.parametrize("layer", BLOCKS)
def test_a_building_block_names_the_stacks_resources_where_aws_authorizes_on_their_name(layer):
    statements = tool.policies(DECLARATION, "prod-web")[layer]["Statement"]
    named = {"iam", "logs", "lambda", "s3", "sqs", "sns", "dynamodb", "codebuild", "codepipeline"}
    checked = 0
    for statement in statements:
        for action in set(statement["Action"]) - BLOCKS_UNSCOPED:
            if action.split(":")[0] in named:
                checked += 1
                assert all("prod-web-" in r for r in statement["Resource"]), (statement["Sid"], action)
            else:
                assert action.split(":")[0] in {"cognito-idp", "apigateway", "kms", "ec2"}, action
    assert checked or layer == "identity"
    # The mappings' condition names the stack's functions.
    for statement in statements:
        if "lambda:CreateEventSourceMapping" in statement["Action"]:
            functions = "arn:aws:lambda:*:*:function:prod-web-*"
            assert statement["Condition"] == {"ArnLike": {"lambda:FunctionArn": functions}}


def test_run_blocks_records_the_named_building_blocks_and_reports_each(monkeypatch, capsys):
    seen = {}

    def record_blocks(layers, out_dir):
        seen.update(layers=layers, out_dir=out_dir)
        # The websocket runs deploy its functions too: checked with the functions layer (needs), nothing is missing.
        check = {"action": "lambda:CreateFunction", "resource": "*"}
        return {layer: [_entry(check)] for layer in layers}, None

    monkeypatch.setattr(tool, "record_blocks", record_blocks)
    assert tool.main(["--run-blocks", "websocket"]) == 0
    assert seen == {"layers": ["websocket"], "out_dir": REPO_ROOT / "build" / "iam" / "blocks"}
    assert "the declaration allows every check of the log" in capsys.readouterr().out
    assert tool.main(["--run-blocks", "identity"]) == 1
    assert "NOT allowed by the declaration (1)" in capsys.readouterr().out
    assert tool.main(["--run-blocks"]) == 1 and seen["layers"] == list(BLOCKS)
    capsys.readouterr()
    assert tool.main(["--run-blocks", "network"]) == 2
    assert "--run-blocks: expected layers of functions, websocket, identity, delivery, stores, got network" in (
        capsys.readouterr().err)
