"""atelier.infra.lambda_concurrency: only a differing reservation is changed, never in check mode."""

import pytest

from ansible_collections.atelier.infra.plugins.modules import lambda_concurrency as module
from ansible_collections.atelier.infra.plugins.module_utils.awslambda import MISSING
from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main


@pytest.fixture()
def calls(monkeypatch):
    state = {"a": 5, "b": None}
    made = []
    monkeypatch.setattr(module, "get_function_concurrency", lambda client, name: state.get(name, MISSING))
    monkeypatch.setattr(module, "put_function_concurrency", lambda client, name, n: made.append(("put", name, n)))
    monkeypatch.setattr(module, "delete_function_concurrency", lambda client, name: made.append(("delete", name)))
    return made


def _run(functions, check=False):
    args = {"functions": functions, "region": "us-east-1"}
    if check:
        args["_ansible_check_mode"] = True
    return run_main(module, args)


def test_equal_reservations_change_nothing(calls):
    result = _run([{"name": "a", "reserved_concurrency": 5}, {"name": "b"}])
    assert isinstance(result, AnsibleExitJson) and not result.result["changed"] and calls == []


def test_a_differing_reservation_is_put_or_deleted(calls):
    result = _run([{"name": "a"}, {"name": "b", "reserved_concurrency": 0}])
    assert result.result["changed"] and calls == [("delete", "a"), ("put", "b", 0)]
    assert result.result["diff"] == {"before": {"a": 5, "b": None}, "after": {"a": None, "b": 0}}


def test_check_mode_calls_nothing_that_changes(calls):
    result = _run([{"name": "a", "reserved_concurrency": 7}, {"name": "new", "reserved_concurrency": 1}], check=True)
    assert result.result["changed"] and calls == []


def test_a_missing_function_fails_outside_check_mode(calls):
    result = _run([{"name": "new", "reserved_concurrency": 1}])
    assert isinstance(result, AnsibleFailJson) and "does not exist" in result.result["msg"]


def test_a_negative_reservation_fails_before_any_call(calls):
    result = _run([{"name": "a", "reserved_concurrency": -1}])
    assert isinstance(result, AnsibleFailJson) and "0 or more" in result.result["msg"] and calls == []
