# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: progress
type: aggregate
version_added: 0.1.0
short_description: Say what a long wait waits for and for how long
description:
  - "For a task that retries until a resource is ready (CloudFront deploying a distribution, an instance refresh),
    prints at each check how long it has waited: C(Waiting 1m10s (check 7 of 61, every 10s): Wait for CloudFront to
    deploy the distribution [frontend]) - the default output shows only how many retries are left."
  - "For a module that waits inside one call (a database, NAT gateways, table replicas), prints every O(interval)
    seconds which task still runs on which host and since when: C(Still running after 4m00s: Create or update the
    database [control])."
  - "Makes each task cheaper to start: before the task's worker processes are forked, it collects the main process's
    young garbage and freezes what lives (Python's C(gc.freeze())), so a worker's garbage collector no longer walks -
    and so copies - the whole loaded playbook it shares with the main process. A no-op run of the whole local stack
    takes about 7 % less CPU (bench/README.md). Objects frozen are still freed when their last reference goes; only a
    reference cycle among them is kept until the run ends. O(freeze_heap) switches it off."
requirements:
  - enabled in ansible.cfg (C(callbacks_enabled = atelier.infra.plan, atelier.infra.progress)) or with
    E(ANSIBLE_CALLBACKS_ENABLED)
options:
  interval:
    description: Seconds between two lines about a task that still runs; 0 prints none (the retry lines stay).
    type: int
    default: 60
    env:
      - name: ATELIER_PROGRESS_INTERVAL
    ini:
      - section: callback_progress
        key: interval
  freeze_heap:
    description: Collect and freeze the main process's heap before each task's workers are forked (see above).
    type: bool
    default: true
    env:
      - name: ATELIER_FREEZE_HEAP
    ini:
      - section: callback_progress
        key: freeze_heap
"""

import gc
import threading
import time

from ansible.plugins.callback import CallbackBase

from ansible_collections.atelier.infra.plugins.module_utils.progress import Waits


def _key(host, task):
    return (str(host), getattr(task, "_uuid", id(task)))


def _task_of(task_result):
    return getattr(task_result, "task", None) or getattr(task_result, "_task", None)


def _host_of(task_result):
    return getattr(task_result, "host", None) or getattr(task_result, "_host", None)


def _result_of(task_result):
    data = getattr(task_result, "result", None)
    if not isinstance(data, dict):
        data = getattr(task_result, "_result", {})
    return data if isinstance(data, dict) else {}


class CallbackModule(CallbackBase):
    """Lines about long waits, from the main process: a daemon thread reports tasks still running."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "atelier.infra.progress"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._waits = Waits(60)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        self._clock = time.monotonic
        self._freeze = True

    def set_options(self, task_keys=None, var_options=None, direct=None):
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        self._waits.interval = int(self.get_option("interval") or 0)
        self._freeze = bool(self.get_option("freeze_heap"))

    def _say(self, lines):
        for line in lines:
            self._display.display(line)

    def _watch(self):
        tick = max(1, min(self._waits.interval, 5))
        while not self._stop.wait(tick):
            with self._lock:
                lines = self._waits.due(self._clock())
            self._say(lines)

    def v2_playbook_on_start(self, playbook):
        if self._waits.interval > 0 and self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="atelier-progress", daemon=True)
            self._thread.start()

    def v2_playbook_on_task_start(self, task, is_conditional):
        # Sent by the strategy in the main process before it forks the task's workers.
        if self._freeze:
            gc.collect()
            gc.freeze()
        with self._lock:
            self._waits.clear()

    def v2_runner_on_start(self, host, task):
        with self._lock:
            self._waits.start(_key(host, task), str(host), task.get_name(), self._clock())

    def _end(self, result, *args, **kwargs):
        with self._lock:
            self._waits.end(_key(_host_of(result), _task_of(result)))

    v2_runner_on_ok = _end
    v2_runner_on_failed = _end
    v2_runner_on_skipped = _end
    v2_runner_on_unreachable = _end

    def v2_runner_retry(self, result):
        task, host, data = _task_of(result), _host_of(result), _result_of(result)
        with self._lock:
            line = self._waits.retry(
                _key(host, task), str(host), task.get_name() if task else "?", int(data.get("attempts") or 0),
                int(data.get("retries") or 0), int(getattr(task, "delay", 0) or 0), self._clock(),
            )
        self._say([line])

    def v2_playbook_on_stats(self, stats):
        self._stop.set()
        with self._lock:
            self._waits.clear()
