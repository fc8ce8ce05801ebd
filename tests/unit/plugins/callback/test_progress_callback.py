"""The atelier.infra.progress callback, driven as the strategy drives it (no playbook run)."""

from types import SimpleNamespace

import pytest
import yaml

from ansible import constants as C

from ansible_collections.atelier.infra.plugins.callback import progress

NAME = "atelier.infra.progress"
# What the plugin loader does with the plugin's documented options when ansible-playbook loads it.
C.config.initialize_plugin_configuration_definitions("callback", NAME, yaml.safe_load(progress.DOCUMENTATION)["options"])


class Collector:
    """Python's gc as the callback uses it, recorded (the test process's own heap is not frozen)."""

    def __init__(self):
        self.calls = []

    def collect(self):
        self.calls.append("collect")

    def freeze(self):
        self.calls.append("freeze")


@pytest.fixture(autouse=True)
def collector(monkeypatch):
    recorded = Collector()
    monkeypatch.setattr(progress, "gc", recorded)
    return recorded


def load():
    module = progress.CallbackModule()
    module._load_name = NAME
    return module


class Task:
    def __init__(self, name, delay=0, uuid="t1"):
        self._name, self.delay, self._uuid = name, delay, uuid

    def get_name(self):
        return self._name


def callback(interval=60):
    module = load()
    module.set_options(direct={"interval": interval})
    lines = []
    module._display = SimpleNamespace(display=lines.append)
    clock = {"now": 0.0}
    module._clock = lambda: clock["now"]
    return module, lines, clock


def result(host, task, **data):
    return SimpleNamespace(_host=host, _task=task, _result=data)


def test_each_retry_prints_how_long_it_waited():
    module, lines, clock = callback()
    task = Task("Wait for CloudFront to deploy the distribution", delay=10)
    module.v2_playbook_on_task_start(task, False)
    module.v2_runner_on_start("frontend", task)
    clock["now"] = 20
    module.v2_runner_retry(result("frontend", task, attempts=2, retries=61))
    assert lines == ["Waiting 20s (check 2 of 61, every 10s): Wait for CloudFront to deploy the distribution [frontend]"]


def test_the_watcher_reports_a_long_module_call_until_it_ends():
    module, lines, clock = callback(interval=30)
    task = Task("Create or update the database")
    module.v2_runner_on_start("control", task)
    clock["now"] = 31
    lines.extend(module._waits.due(module._clock()))
    assert lines == ["Still running after 31s: Create or update the database [control]"]
    module.v2_runner_on_ok(result("control", task))
    clock["now"] = 100
    assert module._waits.due(module._clock()) == []


def test_the_watcher_thread_starts_with_the_playbook_and_stops_with_the_stats():
    module, lines, clock = callback(interval=30)
    module.v2_playbook_on_start(None)
    assert module._thread.is_alive()
    module.v2_playbook_on_stats(None)
    module._thread.join(timeout=10)
    assert not module._thread.is_alive()


def test_the_interval_defaults_to_a_minute():
    module = load()
    module.set_options()
    assert module._waits.interval == 60


def test_interval_zero_starts_no_thread():
    module, lines, clock = callback(interval=0)
    module.v2_playbook_on_start(None)
    assert module._thread is None


def test_a_failed_or_skipped_task_ends_its_wait_whatever_the_arguments_the_strategy_passes():
    module, lines, clock = callback(interval=30)
    task = Task("Create or update the database")
    module.v2_runner_on_start("control", task)
    module.v2_runner_on_failed(result("control", task), ignore_errors=True)
    module.v2_runner_on_start("other", task)
    module.v2_runner_on_skipped(result("other", task))
    clock["now"] = 100
    assert module._waits.due(module._clock()) == []


def test_each_task_start_collects_then_freezes_the_heap_its_workers_will_share(collector):
    module, _, _ = callback()
    module.v2_playbook_on_task_start(Task("one"), False)
    module.v2_playbook_on_task_start(Task("two", uuid="t2"), False)
    assert collector.calls == ["collect", "freeze", "collect", "freeze"]


def test_freeze_heap_off_leaves_the_heap_alone(collector):
    module = load()
    module.set_options(direct={"interval": 60, "freeze_heap": False})
    module.v2_playbook_on_task_start(Task("one"), False)
    assert collector.calls == []
