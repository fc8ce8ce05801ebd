"""What every module test needs: exit_json/fail_json turned into exceptions, and main() run with given arguments."""

from unittest.mock import MagicMock

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule


class AnsibleExitJson(Exception):
    def __init__(self, kwargs):
        super().__init__(kwargs)
        self.result = kwargs


class AnsibleFailJson(Exception):
    def __init__(self, kwargs):
        super().__init__(kwargs)
        self.result = kwargs


def patch_exits(monkeypatch):
    """exit_json and fail_json raise instead of exiting; module.client() returns a mock no test may reach AWS with."""

    def exit_json(self, **kwargs):
        raise AnsibleExitJson(kwargs)

    def fail_json(self, msg, **kwargs):
        raise AnsibleFailJson(dict(kwargs, msg=msg, failed=True))

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(AnsibleAWSModule, "client", lambda self, service, **kwargs: MagicMock(name=f"{service}-client"))


def run_main(module, args):
    """Run module.main() with args; return the AnsibleExitJson or AnsibleFailJson it ended with."""
    with patch_module_args(args):
        with pytest.raises((AnsibleExitJson, AnsibleFailJson)) as raised:
            module.main()
    return raised.value
