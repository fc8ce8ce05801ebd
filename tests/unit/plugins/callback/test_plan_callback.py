# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the plan callback's sources: what a role said of a resource before its task decides create or update
where the module's result cannot tell."""

import os
import subprocess
import sys
from pathlib import Path

from ansible_collections.atelier.infra.plugins.callback.plan import CallbackModule

SUBNET_GROUP = {"module": "amazon.aws.rds_subnet_group", "type": "db subnet group", "name": "p-postgres", "exists": False}
SECRET = {"module": "community.aws.secretsmanager_secret", "type": "secret", "name": "p-db-credentials", "exists": False}


def _result(name, changed=True):
    return {"changed": changed, "invocation": {"module_args": {"name": name}}, "subnet_group": {"name": name}}


def test_a_role_saying_the_group_did_not_exist_makes_its_change_a_creation():
    callback = CallbackModule()
    assert callback._changes("amazon.aws.rds_subnet_group", "h", _result("p-postgres"), False, False)[0]["action"] == "update"
    callback._explicit("h", [SUBNET_GROUP])
    assert callback._changes("amazon.aws.rds_subnet_group", "h", _result("p-postgres"), False, False)[0]["action"] == "create"
    # Only for that resource, that host.
    assert callback._changes("amazon.aws.rds_subnet_group", "h", _result("other"), False, False)[0]["action"] == "update"
    assert callback._changes("amazon.aws.rds_subnet_group", "h2", _result("p-postgres"), False, False)[0]["action"] == "update"
    assert callback._changes("amazon.aws.rds_subnet_group", "h", _result("p-postgres", changed=False), False, False)[0]["action"] == "keep"
    callback._explicit("h", [dict(SUBNET_GROUP, exists=True)])
    assert callback._changes("amazon.aws.rds_subnet_group", "h", _result("p-postgres"), False, False)[0]["action"] == "update"


def test_a_hidden_secret_is_named_by_the_role():
    callback = CallbackModule()
    hidden = {"changed": True, "censored": "the output has been hidden"}
    assert callback._changes("community.aws.secretsmanager_secret", "h", hidden, False, False) == []
    callback._explicit("h", [SECRET])
    (found,) = callback._changes("community.aws.secretsmanager_secret", "h", hidden, False, False)
    assert (found["action"], found["type"], found["name"]) == ("create", "secret", "p-db-credentials")


def test_loading_the_callback_imports_every_filter_file_of_the_collection_once():
    """ansible-playbook forks a worker per task: the filter files are imported in its own process, where the callback
    is loaded, so that the workers inherit them (a fresh interpreter, so that nothing else imported them before)."""
    filters = Path(__file__).resolve().parents[4] / "plugins" / "filter"
    script = (
        "import sys\n"
        "from ansible_collections.atelier.infra.plugins.callback.plan import CallbackModule\n"
        "prefix = 'ansible_collections.atelier.infra.plugins.filter.'\n"
        "before = sorted(m for m in sys.modules if m.startswith(prefix))\n"
        "CallbackModule()\n"
        "print(len(before), ' '.join(sorted(m[len(prefix):] for m in sys.modules if m.startswith(prefix))))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env).stdout.split()
    assert out[0] == "0"
    assert out[1:] == sorted(p.stem for p in filters.glob("*.py") if p.stem != "__init__")


def test_the_global_types_of_a_tagged_read_are_known_too():
    """One tagged_resources_info run lists the tier resources and, as global_resource_types, the distributions: both
    are known to have existed before the run (an empty list of a type queried: none existed)."""
    callback = CallbackModule()
    read = {
        "changed": False,
        "invocation": {"module_args": {"resource_types": ["elasticloadbalancing:loadbalancer"], "global_resource_types": ["cloudfront:distribution"]}},
        "resources": [{"arn": "arn:aws:cloudfront::1:distribution/E1", "resource_type": "cloudfront:distribution", "name": "E1"}],
    }
    assert callback._changes("atelier.infra.tagged_resources_info", "h", read, False, False) == []
    assert callback.known == {"load balancer": set(), "cloudfront distribution": {"E1"}}


def test_a_finished_job_names_what_its_module_changed():
    """roles/dynamodb_global finishes a deferred replica in the background: the async_status result that ends the job
    holds the module's actions, which the plan lists as the module's own; the start of the job names nothing."""
    callback = CallbackModule()
    started = {"changed": True, "started": 1, "finished": 0, "ansible_job_id": "j1.2"}
    assert callback._changes("ansible.builtin.async_status", "h", started, False, False) == []
    finished = {"changed": True, "finished": 1, "actions": ["update dynamodb table p-AtelierDB: replicas"]}
    (found,) = callback._changes("ansible.builtin.async_status", "h", finished, False, False)
    assert (found["action"], found["type"], found["name"]) == ("update", "dynamodb table", "p-AtelierDB")
    # Any other module's actions key is not read.
    assert callback._changes("ansible.builtin.command", "h", finished, False, False) == []
