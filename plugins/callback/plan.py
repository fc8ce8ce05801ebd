# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: plan
type: aggregate
version_added: 0.1.0
short_description: Say what a run changes (or in check mode would change), resource by resource, as Terraform does
description:
  - "At the end of a run, prints one table per play (the stack's layers: network, data, tiers, monitoring) of the
    resources each task created, updated, replaced or deleted (in check mode, would), with the attributes an update
    changes (their values with C(--diff) where known), and a last line as Terraform's: C(Plan: N to add, M to change,
    K to destroy.) in check mode, C(Apply complete: N added, M changed, K destroyed.) after a real run."
  - Writes the same as JSON to O(plan_file), for AWX artifacts and CI.
  - "Its sources, in this order: C(atelier_plan) in a task's result (what a role computed for an upstream module
    without check mode or with a result hidden by no_log), the C(actions) of the collection's modules, then any other
    AWS module's result (C(changed), its diff, its check-mode message, the resource's creation time, and whether the
    stack's tags found it earlier in the run)."
  - Other results (lookups, facts, debug messages) are ignored; skipped and failed tasks count only for what their
    result says was done.
  - "When loaded it also imports the collection's filter plugins once, in ansible-playbook's own process: each task
    runs in a worker forked from it, and a worker that meets a filter of the collection otherwise imports the
    collection's filter files (and the module_utils they use) again, for each task: about a sixth of a run's controller
    CPU on a no-op run of the stack."
requirements:
  - enabled in ansible.cfg (C(callbacks_enabled = atelier.infra.plan)) or with E(ANSIBLE_CALLBACKS_ENABLED)
options:
  plan_file:
    description:
      - Where the JSON plan is written. A relative path is relative to the project of the playbook (the directory
        of the playbook, or its parent when the playbook lives in a C(playbooks/) directory), else to the current
        directory. Empty to write no file.
    type: str
    default: build/plan.json
    env:
      - name: ATELIER_PLAN_FILE
    ini:
      - section: callback_plan
        key: plan_file
  show_kept:
    description: Also list the resources that stay as they are, not only their count.
    type: bool
    default: false
    env:
      - name: ATELIER_PLAN_SHOW_KEPT
    ini:
      - section: callback_plan
        key: show_kept
"""

import importlib
import json
import os
import pkgutil
import time

from ansible import context
from ansible.plugins.callback import CallbackBase

from ansible_collections.atelier.infra.plugins.module_utils import plan

# The collection's modules that converge resources return actions; their other results name no resource.
OWN_MODULES = ("atelier.infra.",)
AWS_COLLECTIONS = ("amazon.aws.", "community.aws.")
INFO_SUFFIXES = ("_info", "_facts")
# The task result that carries what the stack's tags found (plan.from_known).
TAGGED = "tagged_resources_info"
# A finished job's result is its module's (roles/dynamodb_global finishes the table in the background).
ASYNC_STATUS = "async_status"


def _result_of(task_result):
    """The result dict of a callback's task result (ansible-core 2.19's CallbackTaskResult or earlier TaskResult)."""
    data = getattr(task_result, "result", None)
    if not isinstance(data, dict):
        data = getattr(task_result, "_result", {})
    return data if isinstance(data, dict) else {}


def _task_of(task_result):
    return getattr(task_result, "task", None) or getattr(task_result, "_task", None)


def _host_of(task_result):
    host = getattr(task_result, "host", None) or getattr(task_result, "_host", None)
    return host.get_name() if host is not None else ""


def preload_filter_plugins():
    """Import every filter plugin file of the collection into this process (ansible-playbook's, before it forks a worker
    per task), under the module name Ansible's filter loader uses (ansible_collections.atelier.infra.plugins.filter.
    <file>), so that a worker finds them in sys.modules instead of executing their source again. Returns the names."""
    package = importlib.import_module("ansible_collections.atelier.infra.plugins.filter")
    names = sorted(found.name for found in pkgutil.iter_modules(package.__path__))
    for name in names:
        importlib.import_module(f"{package.__name__}.{name}")
    return names


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "atelier.infra.plan"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super().__init__(display=display)
        self.started = time.time()
        self.layers = []  # [(play name, [change])] in run order
        self.identities = {}  # (host, module) -> [identity] of results no_log hides, oldest first
        self.known = None  # {type: names} found by the stack's tags, the first time they were looked up
        self.project = os.getcwd()
        preload_filter_plugins()

    # ---- where the run is ------------------------------------------------------------------------------------------

    def v2_playbook_on_start(self, playbook):
        path = os.path.abspath(getattr(playbook, "_file_name", "") or "")
        if path:
            folder = os.path.dirname(path)
            self.project = os.path.dirname(folder) if os.path.basename(folder) == "playbooks" else folder

    def v2_playbook_on_play_start(self, play):
        self.layers.append((play.get_name().strip(), []))

    def _check_mode(self, task):
        return bool(context.CLIARGS.get("check")) or bool(getattr(task, "check_mode", False))

    # ---- results ---------------------------------------------------------------------------------------------------

    def v2_runner_on_ok(self, result):
        self._collect(result)

    def v2_runner_on_skipped(self, result):
        # community.aws.ecs_ecr marks the repositories it would create in check mode "skipped" and changed.
        self._collect(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        # What a failing module says it did before it failed (actions) still happened.
        self._collect(result, failed=True)

    def _collect(self, task_result, failed=False):
        if not self.layers:
            self.layers.append(("", []))
        task = _task_of(task_result)
        data = _result_of(task_result)
        action = str(getattr(task, "resolved_action", None) or getattr(task, "action", "") or "")
        host = _host_of(task_result)
        items = data.get("results") if isinstance(data.get("results"), list) else [data]
        check_mode = self._check_mode(task)
        changes = self.layers[-1][1]
        for item in items:
            if not isinstance(item, dict):
                continue
            for found in self._changes(action, host, item, check_mode, failed):
                found["host"] = host
                changes.append(found)

    def _changes(self, action, host, item, check_mode, failed):
        if "atelier_plan" in item:
            return self._explicit(host, item["atelier_plan"])
        module = plan.module_short_name(action)
        if module == TAGGED and isinstance(item.get("resources"), list):
            args = (item.get("invocation") or {}).get("module_args") or {}
            queried = args.get("resource_types")
            if queried:
                queried = list(queried) + list(args.get("global_resource_types") or [])
            self.known = plan.from_known(item["resources"], queried, self.known)
            return []
        if (action.startswith(OWN_MODULES) or module == ASYNC_STATUS) and isinstance(item.get("actions"), list):
            return plan.parse_actions(item["actions"])
        if failed or item.get("skipped") and not item.get("changed"):
            return []
        if not action.startswith(AWS_COLLECTIONS) or module.endswith(INFO_SUFFIXES):
            return []
        args = (item.get("invocation") or {}).get("module_args")
        if not isinstance(args, dict):
            identity = self._identity(host, module)
            if identity is None:
                return []
            args = {plan.MODULES.get(module, ("", "name"))[1]: identity["name"]}
            if identity.get("exists") is not None and item.get("changed"):
                return [plan.change(plan.UPDATE if identity["exists"] else plan.CREATE, identity["type"], identity["name"])]
        classified = plan.classify(module, args, item, check_mode, self.started, self.known, self._existed(host, module, args))
        return [classified] if classified else []

    def _explicit(self, host, records):
        """Changes a role computed, and identities of results no_log hides (kept for the tasks after)."""
        changes = []
        for record in records if isinstance(records, list) else [records]:
            if not isinstance(record, dict) or not record.get("type") or not record.get("name"):
                continue
            if record.get("module"):
                key = (host, plan.module_short_name(record["module"]))
                self.identities.setdefault(key, []).append(record)
                continue
            if record.get("action") in plan.ACTIONS:
                found = plan.change(record["action"], record["type"], record["name"], record.get("attributes"), record.get("diff"))
                found["explicit"] = True
                changes.append(found)
        return changes

    def _identity(self, host, module):
        """The resource of a hidden result: the identity a role named for this host and module, latest first."""
        named = self.identities.get((host, module)) or []
        return named[-1] if named else None

    def _existed(self, host, module, args):
        """Whether the resource a module's options name existed before its task, as a role said (None: unknown)."""
        known = plan.MODULES.get(module)
        name = args.get(known[1]) if known else None
        named = [i for i in self.identities.get((host, module)) or [] if name and i.get("name") == name]
        return named[-1].get("exists") if named else None

    # ---- the end ---------------------------------------------------------------------------------------------------

    def _plan(self):
        layers = [(name, changes) for name, changes in self.layers if changes]
        return plan.report(layers, bool(context.CLIARGS.get("check")))

    def v2_playbook_on_stats(self, stats):
        result = self._plan()
        self._display.banner("PLAN" if result["mode"] == "check" else "CHANGES")
        self._display.display(plan.render(result, with_values=bool(context.CLIARGS.get("diff")),
                                          show_kept=self.get_option("show_kept")))
        path = self.get_option("plan_file")
        if not path:
            return
        path = os.path.join(self.project, os.path.expanduser(path))
        try:
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            with open(path, "w", encoding="utf-8") as stream:
                json.dump(result, stream, indent=2, sort_keys=True)
                stream.write("\n")
        except OSError as e:
            self._display.warning(f"atelier.infra.plan could not write {path}: {e}")
