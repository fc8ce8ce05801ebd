"""Writes when each play and task started (epoch seconds, the emulator's request-log clock) to a JSON-lines file.

The benchmark suite (bench/suite.py) enables it for its runs (ANSIBLE_CALLBACK_PLUGINS=bench/callback_plugins,
ANSIBLE_CALLBACKS_ENABLED=bench_timeline, ATELIER_BENCH_TIMELINE=<file>) and attributes each AWS request of the
request log to the task that was running when the request arrived. With the linear strategy (every play here), a
task starts only when every host has finished the one before, so the windows do not overlap.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_timeline
type: notification
short_description: write the start time of every play and task to a JSON-lines file (for bench/suite.py)
description:
  - One line per play and task start, with its role, to the file named by the environment variable ATELIER_BENCH_TIMELINE.
requirements:
  - the environment variable ATELIER_BENCH_TIMELINE
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "bench_timeline"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._path = os.environ.get("ATELIER_BENCH_TIMELINE")
        self._play = ""

    def _write(self, entry: dict) -> None:
        if self._path:
            with open(self._path, "a", encoding="utf-8") as stream:
                stream.write(json.dumps(entry) + "\n")

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name()
        self._write({"ts": time.time(), "event": "play", "play": self._play})

    def _task(self, task):
        role = task._role.get_name(include_role_fqcn=False) if task._role else ""
        self._write({"ts": time.time(), "event": "task", "play": self._play, "role": role, "task": task.get_name()})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._task(task)

    def v2_playbook_on_stats(self, stats):
        self._write({"ts": time.time(), "event": "end", "play": self._play})
