# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How the roles reach AWS: the module_defaults of group/atelier.infra.stack (connection, region, botocore retries), and
why a hidden task failed.

The logic is plugins/module_utils/aws_retry.py and plugins/module_utils/failures.py; the documentation of each filter
is beside this file (aws_module_defaults.yml, aws_failure.yml).
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import aws_retry
from ansible_collections.atelier.infra.plugins.module_utils import failures


def aws_module_defaults(aws, region=None, retries=None):
    """atelier_aws plus region and aws_config.retries (from atelier_aws_retries), for a role's module_defaults."""
    try:
        return aws_retry.module_defaults(aws, region, retries)
    except ValueError as e:
        raise AnsibleFilterError(f"aws_module_defaults: {e}") from e


def aws_failure(result, module, action, secrets=None):
    """One line saying why a hidden task failed (module, action, AWS error code and message), without the secrets."""
    return failures.failure_reason(result, module, action, secrets or ())


class FilterModule:
    """AWS access filters."""

    def filters(self):
        return {
            "aws_module_defaults": aws_module_defaults,
            "aws_failure": aws_failure,
        }
