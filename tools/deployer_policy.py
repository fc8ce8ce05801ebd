"""The deployer's IAM policies (docs/iam/), generated from one declaration (docs/iam/actions.yml).

    .venv/bin/python tools/deployer_policy.py                 # rewrite docs/iam/<layer>.json and docs/iam/deployer.json
    .venv/bin/python tools/deployer_policy.py --check         # exit 1 and name the files that differ (make docs-check)
    .venv/bin/python tools/deployer_policy.py --prefix prod-web [--layer network]   # a stack's policy, on stdout
    .venv/bin/python tools/deployer_policy.py --record LOG [--layer network]        # what a run used, what is missing
    .venv/bin/python tools/deployer_policy.py --run           # record deploy, second run, plan, destroy, layer by layer
    .venv/bin/python tools/deployer_policy.py --run --inventory inventories/goal-tracker --prefix dev-goal-tracker
    .venv/bin/python tools/deployer_policy.py --run --extra-vars '{"atelier_logging_enabled": true}'   # prod's features
    .venv/bin/python tools/deployer_policy.py --run-blocks [functions ...]   # the building blocks' integration runs

The declaration lists, per layer (network, data, tiers with their edge, monitoring: the playbooks of
playbooks/site.yml), statements of exact IAM actions and the resources they may act on. A resource may name the
stack's prefix as ``{prefix}``; the committed JSON keeps the placeholder (replace it with your atelier_name_prefix, or
let ``--prefix`` do it). Accounts and regions are ``*``: the policy is the same in every account and region.

``--record`` reads an emulator request log (``requests.jsonl``; emulator/requestlog.py) written with IAM enforcement
on: each allowed request lists the IAM checks it passed (``authorized``), i.e. the action and the resource a policy
must allow. It prints every action the log used and, evaluated with the emulator's own evaluator
(emulator/policy.py), the checks the declaration does not allow, then exits 1 if there are any. ``--run`` starts an
emulator, switches enforcement on with an administrator and runs, layer by layer, deploy -> second run -> plan ->
destroy of inventories/local (each layer's own playbook, then playbooks/teardown.yml with the layer's tags, in
reverse), keeps each layer's log in build/iam/<inventory>/<layer>.jsonl and reports on each as ``--record`` does
(a run that fails stops the sequence; what was recorded until then is still reported, and the exit code is 1).
After adding AWS calls to a role: ``--run``, add what it reports missing to docs/iam/actions.yml, then run the tool
without arguments to rewrite the JSON.

The building blocks (lambda_function, websocket_api, cognito, cicd, stores: layers with ``roles:`` and no playbook)
are layers of their own, not in the combined policy: ``--run-blocks`` records, on a new emulator, each one's runs as its
integration tests make them (tests/integration/test_lambda_event_wiring.py and test_lambda_function.py,
test_websocket_api.py, test_cognito_user_pools.py, test_cicd_role.py, test_stores.py: their variables, the resources
they make first) into build/iam/blocks/<layer>.jsonl and reports on each as ``--record`` does.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from emulator import policy  # noqa: E402

IAM_DIR = REPO_ROOT / "docs" / "iam"
DECLARATION = IAM_DIR / "actions.yml"
COMBINED = "deployer"
PLACEHOLDER = "{prefix}"
# The prefix of inventories/local (what --record and --run evaluate against).
LOCAL_PREFIX = "local-atelier"
STATEMENT_KEYS = {"sid", "actions", "resources", "conditions", "unevaluated", "used_by"}
LAYER_KEYS = {"playbook", "tags", "extends", "roles", "needs", "statements"}
INVENTORIES = REPO_ROOT / "inventories"
ROLES = REPO_ROOT / "roles"
# The resource of a recorded check the emulator does not name. It authorizes on it the requests of the services whose
# ARNs emulator/authorization.py does not resolve (not in its RESOLVERS: Lambda, Cognito, CodeBuild, CodePipeline,
# API Gateway, EC2, ...): such a check is evaluated on its action alone (allows), the declaration scoping it as AWS
# does; its statement's resources and conditions go untested.
UNRESOLVED = "*"


def load(path: Path = DECLARATION) -> dict:
    """The declaration: {"layers": {layer: {"playbook", "tags", "statements": [...]}}}, checked (ValueError)."""
    declaration = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = declaration_errors(declaration)
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    return declaration


def declaration_errors(declaration) -> list[str]:
    """What is wrong with a declaration: unknown keys, missing actions or resources, a Sid used twice, an action
    that is not <service>:<Action>."""
    if not isinstance(declaration, dict) or not isinstance(declaration.get("layers"), dict):
        return ["expected a mapping with a 'layers' mapping"]
    errors, sids = [], set()
    for layer, spec in declaration["layers"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("statements"), list) or not spec["statements"]:
            errors.append(f"layers.{layer}: expected a mapping with a non-empty 'statements' list")
            continue
        unknown = sorted(set(spec) - LAYER_KEYS)
        if unknown:
            errors.append(f"layers.{layer}: unknown key(s) {', '.join(unknown)}")
        if not (spec.get("playbook") or spec.get("extends") or spec.get("roles")):
            errors.append(f"layers.{layer}: needs a playbook (and its teardown tags), extends or roles")
        if "roles" in spec and (not isinstance(spec["roles"], list) or not spec["roles"]
                                or not all(isinstance(r, str) and (ROLES / r).is_dir() for r in spec["roles"])):
            errors.append(f"layers.{layer}: roles must list roles of roles/, got {spec['roles']!r}")
        needs = spec.get("needs", [])
        if not isinstance(needs, list) or not all(
                isinstance(n, str) and n != layer and (declaration["layers"].get(n) or {}).get("roles") for n in needs):
            errors.append(f"layers.{layer}: needs must list other layers with roles, got {needs!r}")
        base = spec.get("extends")
        if base is not None and (base == layer or not isinstance(declaration["layers"].get(base), dict)
                                 or declaration["layers"][base].get("extends")):
            errors.append(f"layers.{layer}: extends must name another layer that extends none, got {base!r}")
        for index, statement in enumerate(spec["statements"]):
            where = f"layers.{layer}.statements[{index}]"
            if not isinstance(statement, dict):
                errors.append(f"{where}: expected a mapping")
                continue
            unknown = sorted(set(statement) - STATEMENT_KEYS)
            if unknown:
                errors.append(f"{where}: unknown key(s) {', '.join(unknown)}")
            sid = statement.get("sid")
            if not isinstance(sid, str) or not sid.isalnum():
                errors.append(f"{where}: sid must be alphanumeric, got {sid!r}")
            elif sid in sids:
                errors.append(f"{where}: sid {sid} is used twice")
            sids.add(sid)
            for key in ("actions", "resources"):
                values = statement.get(key)
                if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
                    errors.append(f"{where} ({sid}): {key} must be a non-empty list of strings")
            bad = [a for a in statement.get("actions") or [] if not isinstance(a, str) or a.count(":") != 1]
            if bad:
                errors.append(f"{where} ({sid}): actions must be <service>:<Action>, got {', '.join(map(str, bad))}")
            if len(set(statement.get("actions") or [])) != len(statement.get("actions") or []):
                errors.append(f"{where} ({sid}): an action is listed twice")
            if "used_by" in statement:
                used_by = statement["used_by"]
                if (not isinstance(used_by, list) or not used_by
                        or not all(isinstance(i, str) and i != "local" and (INVENTORIES / i).is_dir() for i in used_by)):
                    errors.append(f"{where} ({sid}): used_by must list inventories other than local "
                                  f"(directories of inventories/), got {used_by!r}")
    return errors


def statement_json(statement: dict, prefix: str = PLACEHOLDER) -> dict:
    """One IAM statement of the declaration, its resources and conditions with the stack's prefix."""
    rendered = {
        "Sid": statement["sid"],
        "Effect": "Allow",
        "Action": sorted(statement["actions"], key=str.lower),
        "Resource": [resource.replace(PLACEHOLDER, prefix) for resource in statement["resources"]],
    }
    if statement.get("conditions"):
        rendered["Condition"] = json.loads(json.dumps(statement["conditions"]).replace(PLACEHOLDER, prefix))
    return rendered


def _covers(broader: dict, narrower: dict, action: str) -> bool:
    """Whether statement broader allows action on every resource of statement narrower, under no more conditions."""
    if action not in broader["Action"] or broader.get("Condition") not in (None, narrower.get("Condition")):
        return False
    return all(any(policy.glob(mine, theirs) for mine in broader["Resource"]) for theirs in narrower["Resource"])


def combine(statements: list[dict]) -> list[dict]:
    """The layers' statements as one policy without repetition: an action goes from a statement when another one
    allows it on all that statement's resources (strictly more, or the same and earlier: a layer before it); a
    statement left without actions goes. So removing any statement of the combined policy takes actions away."""
    combined = []
    for index, statement in enumerate(statements):
        kept = [
            action
            for action in statement["Action"]
            if not any(
                _covers(other, statement, action)
                and (position < index or not _covers(statement, other, action))
                for position, other in enumerate(statements)
                if position != index
            )
        ]
        if kept:
            combined.append({**statement, "Action": kept})
    return combined


def building_blocks(declaration: dict) -> list[str]:
    """The layers of roles no layer's playbook runs for inventories/local (``roles:`` without ``playbook:``): each its
    own policy, not in the combined one; recorded by ``--run-blocks`` (their roles' integration runs), not ``--run``."""
    return [layer for layer, spec in declaration["layers"].items()
            if spec.get("roles") and not spec.get("playbook") and not spec.get("extends")]


def policies(declaration: dict, prefix: str = PLACEHOLDER) -> dict:
    """{name: IAM policy document}: one per layer and the combined one ("deployer", without the statements only
    other inventories use nor the building blocks' layers)."""
    documents = {}
    for layer, spec in declaration["layers"].items():
        documents[layer] = {
            "Version": "2012-10-17",
            "Statement": [statement_json(statement, prefix) for statement in spec["statements"]],
        }
    elsewhere, apart = used_elsewhere(declaration), building_blocks(declaration)
    every = [statement for layer in declaration["layers"] if layer not in apart
             for statement in documents[layer]["Statement"] if statement["Sid"] not in elsewhere]
    documents[COMBINED] = {"Version": "2012-10-17", "Statement": combine(every)}
    return documents


def with_extensions(declaration: dict, documents: dict, layer: str) -> dict:
    """A layer's policy with the statements of the layers that extend it (their actions ride on its runs: the dns
    layer's on the tiers layer's playbooks/tiers.yml and teardown)."""
    extra = [statement for name, spec in declaration["layers"].items() if spec.get("extends") == layer
             for statement in documents[name]["Statement"]]
    return {**documents[layer], "Statement": documents[layer]["Statement"] + extra}


def with_needs(declaration: dict, documents: dict, layer: str) -> dict:
    """A building block's policy with the statements of the layers it needs (``needs:``; the websocket_api role's
    functions are the lambda_function role's): what its runs are checked against, what a stack attaches with it."""
    extra = [statement for name in declaration["layers"][layer].get("needs", [])
             for statement in documents[name]["Statement"]]
    return {**documents[layer], "Statement": documents[layer]["Statement"] + extra}


def used_elsewhere(declaration: dict) -> dict:
    """{Sid: [inventory, ...]} of the statements only other inventories' runs use (``used_by``): recorded with
    ``--run --inventory inventories/<name>``, not by inventories/local's sequence the end-to-end test runs."""
    return {
        statement["sid"]: list(statement["used_by"])
        for spec in declaration["layers"].values()
        for statement in spec["statements"]
        if statement.get("used_by")
    }


def unevaluated(declaration: dict) -> dict:
    """{Sid: why} of the statements the emulator cannot show are needed."""
    return {
        statement["sid"]: statement["unevaluated"]
        for spec in declaration["layers"].values()
        for statement in spec["statements"]
        if statement.get("unevaluated")
    }


def render(document: dict) -> str:
    return json.dumps(document, indent=2) + "\n"


def write(declaration: dict, directory: Path = IAM_DIR) -> list[Path]:
    """Write every policy as <name>.json in directory; the paths written."""
    written = []
    for name, document in policies(declaration).items():
        path = directory / f"{name}.json"
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written


def stale(declaration: dict, directory: Path = IAM_DIR) -> list[str]:
    """The policy files that are missing or differ from what the declaration gives."""
    found = []
    for name, document in policies(declaration).items():
        path = directory / f"{name}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != render(document):
            found.append(str(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path))
    return found


# --- what a run used -------------------------------------------------------------------------------------------------


# An API Gateway V2 request as the emulator names it ("apigateway:POST /v2/apis/<id>/routes" on "*"): AWS authorizes
# the HTTP verb on the path's ARN (apigateway:POST on arn:aws:apigateway:<region>::/apis/<id>/routes).
_APIGATEWAY_V2 = re.compile(r"^apigateway:(GET|POST|PUT|PATCH|DELETE) /v2(/\S*)$")


def iam_check(check: dict, region: str = "*") -> dict:
    """A recorded check as AWS authorizes it (API Gateway V2's verb and path ARN; the others as recorded)."""
    match = _APIGATEWAY_V2.match(check["action"])
    if match and check["resource"] == UNRESOLVED:
        verb, path = match.groups()
        return {**check, "action": f"apigateway:{verb}", "resource": f"arn:aws:apigateway:{region}::{path}"}
    return check


def used_checks(entries: list[dict]) -> list[dict]:
    """The distinct IAM checks ({"action", "resource", "context"?}) the allowed requests of a request log passed, in
    the order first used (as AWS authorizes them: iam_check)."""
    found, seen = [], set()
    for entry in entries:
        for recorded in entry.get("authorized") or []:
            check = iam_check(recorded, entry.get("region") or "*")
            key = json.dumps(check, sort_keys=True)
            if key not in seen:
                seen.add(key)
                found.append(check)
    return found


def allows(document: dict, check: dict) -> bool:
    """Whether a policy document allows one recorded check, by the emulator's evaluator. A check on "*" of a service
    whose resources the emulator does not name (not in emulator/authorization.py's RESOLVERS) is evaluated on its
    action alone: the statements as if on "*" and without conditions."""
    from emulator import authorization

    if check["resource"] == UNRESOLVED and check["action"].split(":")[0] not in authorization.RESOLVERS:
        document = {**document, "Statement": [
            {key: value for key, value in {**statement, "Resource": ["*"]}.items() if key != "Condition"}
            for statement in document["Statement"]]}
    principal = policy.Principal("arn:aws:iam::123456789012:user/deployer", "123456789012", "User")
    request = policy.Request(check["action"], check["resource"], principal, dict(check.get("context") or {}))
    return policy.evaluate(request, [document]).allowed


def missing(document: dict, checks: list[dict]) -> list[dict]:
    """The checks the document does not allow."""
    return [check for check in checks if not allows(document, check)]


def unused(document: dict, checks: list[dict], skip=()) -> list[str]:
    """The (Sid, action) of a document that no check used: "Sid action" strings (not of the Sids in skip)."""
    found = []
    for statement in document["Statement"]:
        if statement["Sid"] in skip:
            continue
        alone = {"Version": "2012-10-17", "Statement": [statement]}
        for action in statement["Action"]:
            if not any(c["action"].lower() == action.lower() and allows(alone, c) for c in checks):
                found.append(f"{statement['Sid']} {action}")
    return found


def report(entries: list[dict], document: dict, title: str, skip=()) -> tuple[str, int]:
    """A readable report of a log against a policy: (text, count of checks the policy does not allow)."""
    checks = used_checks(entries)
    lines = [f"# {title}: {len({c['action'] for c in checks})} actions used"]
    by_service: dict = {}
    for check in checks:
        by_service.setdefault(check["action"].split(":")[0], set()).add(check["action"])
    for service in sorted(by_service):
        lines.append(f"#   {service}: {', '.join(sorted(a.split(':')[1] for a in by_service[service]))}")
    lacking = missing(document, checks)
    if lacking:
        lines.append(f"# NOT allowed by the declaration ({len(lacking)}): add these to {DECLARATION.name}")
        for check in lacking:
            context = f"  # {json.dumps(check['context'], sort_keys=True)}" if check.get("context") else ""
            lines.append(f"- {check['action']} on {check['resource']}{context}")
    else:
        lines.append("# the declaration allows every check of the log")
    idle = unused(document, checks, skip)
    if idle:
        lines.append(f"# declared and not used by this log ({len(idle)}; another inventory or run may use them):")
        lines.extend(f"#   {item}" for item in idle)
    return "\n".join(lines), len(lacking)


def read_log(path: Path) -> list[dict]:
    from emulator import requestlog

    return requestlog.read_requests(path)


# --- recording every layer's runs ----------------------------------------------------------------------------------

# Each layer's runs, in order: (run, playbook arguments). Destroy goes in reverse layer order (see record_all).
PHASES = ("deploy", "second", "plan")


def layer_runs(layer: str, spec: dict) -> list[tuple[str, list[str]]]:
    """The converging runs of one layer (its playbook): deploy, second run, plan."""
    playbook = spec["playbook"]
    return [("deploy", [playbook]), ("second", [playbook]), ("plan", [playbook, "--check", "--diff"])]


def destroy_run(spec: dict) -> list[str]:
    """The teardown of one layer: playbooks/teardown.yml with the layer's tags, data included (the emulator)."""
    return ["playbooks/teardown.yml", "--tags", ",".join(spec["tags"]), "-e", "atelier_teardown_delete_data=true"]


def record_all(declaration: dict, out_dir: Path, inventory: str = "inventories/local",
               extra_vars: dict | None = None) -> tuple[dict, str | None]:
    """Start an emulator, and with IAM enforcement on as an administrator, run every layer's deploy, second run and
    plan, then every layer's destroy in reverse order; each layer's requests go to out_dir/<layer>.jsonl. Returns
    ({layer: entries}, None) or, when a run fails, what was recorded until then and the failure (the runs stop)."""
    import tempfile

    from emulator.harness import free_port, start_emulator, stop_emulator

    state = Path(tempfile.mkdtemp(prefix="deployer-policy-"))
    emulator = start_emulator(free_port(), state)
    recorded: dict = {layer: [] for layer in declaration["layers"]}
    failure = None
    try:
        with emulator.iam_enforced() as admin:
            env = {**emulator.env, "AWS_ACCESS_KEY_ID": admin["aws_access_key_id"],
                   "AWS_SECRET_ACCESS_KEY": admin["aws_secret_access_key"]}
            runner = type(emulator)(emulator.port, emulator.state_dir, env)
            # A layer with no playbook has no runs of its own: one that extends another is recorded by its runs, a
            # building block's roles by their own (--run-blocks).
            layers = [(layer, spec) for layer, spec in declaration["layers"].items() if spec.get("playbook")]
            steps = [(layer, name, args) for layer, spec in layers for name, args in layer_runs(layer, spec)]
            steps += [(layer, "destroy", destroy_run(spec)) for layer, spec in reversed(layers)]
            for layer, name, args in steps:
                run = runner.playbook(*args, inventory=inventory, extra_vars=extra_vars or None)
                summary = f"rc={run.rc} changed={run.changed} requests={len(run.requests)}"
                print(f"{layer} {name}: {summary}", file=sys.stderr)
                recorded[layer] += run.requests
                if run.rc != 0:
                    failure = f"{layer} {name} failed (rc={run.rc}):\n{run.output[-4000:]}"
                    break
    finally:
        stop_emulator(emulator)
        shutil.rmtree(state, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    for layer, entries in recorded.items():
        (out_dir / f"{layer}.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return recorded, failure


# --- recording the building blocks' runs -----------------------------------------------------------------------------


def _integration_test(name: str):
    """A module of tests/integration (its variables: what the building blocks' runs deploy)."""
    import importlib.util

    path = REPO_ROOT / "tests" / "integration" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"deployer_policy_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def block_runs(layer: str, emulator, scratch: Path) -> list[tuple[str, list[str], dict]]:
    """The runs of one building block's layer, as its integration tests make them: the resources they make first with
    boto3 (with the emulator's dummy key, before enforcement), then [(run, playbook arguments, extra vars)]: plan,
    deploy, second run, plan again, the removal (and what more a test runs: a changed client, a second function
    set)."""
    if layer == "functions":
        wiring, plain = _integration_test("test_lambda_event_wiring"), _integration_test("test_lambda_function")
        root = scratch / "functions"
        shutil.copytree(wiring.FIXTURES, root, dirs_exist_ok=True)
        s3, sqs, dynamodb = emulator.client("s3"), emulator.client("sqs"), emulator.client("dynamodb")
        s3.create_bucket(Bucket=wiring.BUCKET)
        wiring._table(dynamodb, wiring.MESSAGES, True)  # pylint: disable=protected-access
        wiring._table(dynamodb, wiring.PLAIN, False)  # pylint: disable=protected-access
        sqs.create_queue(QueueName=wiring.QUEUE)
        emulator.client("sns").create_topic(Name=wiring.TOPIC)
        dynamodb.create_table(TableName=plain.TABLE, BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        events = wiring._vars(root, scratch / "build-events")  # pylint: disable=protected-access
        functions = {"lambda_function_functions": plain._functions(root),  # pylint: disable=protected-access
                     "lambda_function_build_dir": str(scratch / "build-functions")}
        gone = {"lambda_function_state": "absent", "lambda_function_delete_data": True}
        return [*_sequence(wiring.PLAYBOOK, events, dict(events, **gone)),
                ("deploy functions", [plain.PLAYBOOK], functions), ("second functions", [plain.PLAYBOOK], functions),
                ("destroy functions", [plain.PLAYBOOK], dict(functions, **gone))]
    if layer == "websocket":
        test = _integration_test("test_websocket_api")
        deploy = {"lambda_function_functions": test.FUNCTIONS, "websocket_api_apis": test.APIS,
                  "lambda_function_build_dir": str(scratch / "build-websocket")}
        alone = dict(deploy, websocket_api_with_functions=False)
        gone = dict(deploy, websocket_api_state="absent", websocket_api_delete_data=True,
                    lambda_function_state="absent", lambda_function_delete_data=True)
        runs = _sequence(test.PLAYBOOK, alone, gone)
        return [(name, args, deploy if name == "deploy" else extra) for name, args, extra in runs]
    if layer == "identity":
        test = _integration_test("test_cognito_user_pools")
        return [*_sequence(test.PLAYBOOK, {}, {"cognito_state": "absent"})[:-1],
                ("change", [test.PLAYBOOK], {"itest_callback_urls": ["https://app.example.com/"]}),
                ("destroy", [test.PLAYBOOK], {"cognito_state": "absent"}),
                ("destroy protected", [test.PLAYBOOK], {"cognito_state": "absent", "cognito_delete_protected": True})]
    if layer == "delivery":
        test = _integration_test("test_cicd_role")
        emulator.client("ecr").create_repository(repositoryName=f"{test.PREFIX}/api")
        emulator.client("s3").create_bucket(Bucket=f"{test.PREFIX}-sources")
        return [*_sequence(test.PLAYBOOK, test.VARS, dict(test.VARS, cicd_state="absent")),
                ("purge", [test.PLAYBOOK], dict(test.VARS, cicd_state="absent", cicd_delete_data=True))]
    if layer == "stores":
        test = _integration_test("test_stores")
        runs = _sequence("playbooks/data.yml", test.STORES, test.STORES, ["--tags", "stores"])
        teardown = ["playbooks/teardown.yml", "--tags", "stores", "-e", "atelier_teardown_delete_data=true"]
        return [*runs[:-1], ("destroy", teardown, test.STORES)]
    raise ValueError(f"no runs for the layer {layer}")


def _sequence(playbook: str, extra: dict, gone: dict, args=()) -> list[tuple[str, list[str], dict]]:
    return [("plan", [playbook, *args, "--check"], extra), ("deploy", [playbook, *args], extra),
            ("second", [playbook, *args], extra), ("plan again", [playbook, *args, "--check", "--diff"], extra),
            ("destroy", [playbook, *args], gone)]


def record_blocks(layers: list[str], out_dir: Path) -> tuple[dict, str | None]:
    """Start an emulator and record each building block's runs (block_runs) under IAM enforcement as an administrator,
    one layer after the other; each layer's requests go to out_dir/<layer>.jsonl. Returns ({layer: entries}, None) or
    what was recorded and the first failure (the layer's runs stop, the next layer goes on)."""
    import tempfile

    from emulator.harness import free_port, start_emulator, stop_emulator

    state, scratch = Path(tempfile.mkdtemp(prefix="deployer-policy-")), Path(tempfile.mkdtemp(prefix="blocks-"))
    emulator = start_emulator(free_port(), state)
    recorded, failure = {}, None
    try:
        for layer in layers:
            emulator.reset()
            runs = block_runs(layer, emulator, scratch)
            recorded[layer] = []
            with emulator.iam_enforced() as admin:
                env = {**emulator.env, "AWS_ACCESS_KEY_ID": admin["aws_access_key_id"],
                       "AWS_SECRET_ACCESS_KEY": admin["aws_secret_access_key"]}
                runner = type(emulator)(emulator.port, emulator.state_dir, env)
                for name, args, extra_vars in runs:
                    run = runner.playbook(*args, extra_vars=extra_vars)
                    summary = f"rc={run.rc} changed={run.changed} requests={len(run.requests)}"
                    print(f"{layer} {name}: {summary}", file=sys.stderr)
                    recorded[layer] += run.requests
                    if run.rc != 0:
                        failure = failure or f"{layer} {name} failed (rc={run.rc}):\n{run.output[-4000:]}"
                        break
    finally:
        stop_emulator(emulator)
        shutil.rmtree(state, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    for layer, entries in recorded.items():
        (out_dir / f"{layer}.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return recorded, failure


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a committed policy differs")
    parser.add_argument("--prefix", help="print the policy for this atelier_name_prefix")
    parser.add_argument("--layer", help="one layer's policy (default: the combined one)")
    parser.add_argument("--record", type=Path, metavar="LOG", help="report the actions an emulator request log used")
    parser.add_argument("--run", action="store_true", help="record every layer's runs on a new emulator and report")
    parser.add_argument("--run-blocks", nargs="*", metavar="LAYER",
                        help="record the building blocks' layers (all, or these) with their integration tests' runs")
    parser.add_argument("--inventory", default="inventories/local",
                        help="--run: an inventory that targets the emulator (default: inventories/local)")
    parser.add_argument("--extra-vars", type=json.loads, default=None, metavar="JSON",
                        help="--run: extra variables of every run, a JSON object (e.g. prod's feature switches)")
    parser.add_argument("--declaration", type=Path, default=DECLARATION, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=IAM_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        declaration = load(args.declaration)
    except ValueError as failure:
        print(failure, file=sys.stderr)
        return 2
    name = args.layer or COMBINED
    if args.layer and args.layer not in declaration["layers"]:
        print(f"--layer: expected one of {', '.join(declaration['layers'])}, got {args.layer}", file=sys.stderr)
        return 2
    if args.check:
        differ = stale(declaration, args.output)
        for path in differ:
            print(f"{path} differs from {args.declaration.name}: run .venv/bin/python tools/deployer_policy.py")
        return 1 if differ else 0
    if args.prefix and not (args.record or args.run or args.run_blocks is not None):
        sys.stdout.write(render(policies(declaration, args.prefix)[name]))
        return 0
    local = policies(declaration, args.prefix or LOCAL_PREFIX)
    skip = {**unevaluated(declaration), **used_elsewhere(declaration)}
    if args.record:
        document = with_needs(declaration, local, name) if args.layer else local[name]
        text, lacking = report(read_log(args.record), document, f"{args.record} against {name}", skip)
        print(text)
        return 1 if lacking else 0
    if args.run_blocks is not None:
        blocks = building_blocks(declaration)
        wrong = [layer for layer in args.run_blocks if layer not in blocks]
        if wrong:
            print(f"--run-blocks: expected layers of {', '.join(blocks)}, got {', '.join(wrong)}", file=sys.stderr)
            return 2
        out_dir = REPO_ROOT / "build" / "iam" / "blocks"
        recorded, failure = record_blocks(args.run_blocks or blocks, out_dir)
        if failure:
            print(f"# a run failed: {failure}", file=sys.stderr)
        total = 1 if failure else 0
        for layer, entries in recorded.items():
            where = (out_dir / f"{layer}.jsonl").relative_to(REPO_ROOT)
            text, lacking = report(entries, with_needs(declaration, local, layer), f"layer {layer} ({where})", skip)
            print(text)
            total += lacking
        return 1 if total else 0
    if args.run:
        if args.extra_vars is not None and not isinstance(args.extra_vars, dict):
            print(f"--extra-vars: expected a JSON object, got {args.extra_vars!r}", file=sys.stderr)
            return 2
        out_dir = REPO_ROOT / "build" / "iam" / (Path(args.inventory).name + ("-extra-vars" if args.extra_vars else ""))
        recorded, failure = record_all(declaration, out_dir, args.inventory, args.extra_vars)
        if failure:
            print(f"# the runs stopped: {failure}", file=sys.stderr)
        total = 1 if failure else 0
        for layer, entries in recorded.items():
            if declaration["layers"][layer].get("extends"):
                print(f"# layer {layer}: recorded with layer {declaration['layers'][layer]['extends']}")
                continue
            if not declaration["layers"][layer].get("playbook"):
                print(f"# layer {layer}: no playbook of the inventory runs its roles; record them with --record")
                continue
            where = (out_dir / f"{layer}.jsonl").relative_to(REPO_ROOT)
            text, lacking = report(entries, with_extensions(declaration, local, layer), f"layer {layer} ({where})", skip)
            print(text)
            total += lacking
        return 1 if total else 0
    for path in write(declaration, args.output):
        print(f"wrote {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
