# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a teardown keeps of the network for the data it keeps: the subnets of the kept databases, and the kept parts
listed in words.

The logic is plugins/module_utils/kept_network.py; the documentation of each filter is beside this file
(kept_db_subnets.yml, kept_network_lines.yml).
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import kept_network


def _items(value, name, what):
    if value is None:
        return []
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)) or not all(isinstance(v, Mapping) for v in value):
        raise AnsibleFilterError(f"{name}: expected a list of dicts ({what}), got {value!r:.200}")
    return value


def kept_db_subnets(instances):
    """{subnet id: why} of the subnets the DB instances' subnet groups hold (the keep_subnets of vpc_network)."""
    return kept_network.db_subnets(_items(instances, "kept_db_subnets", "amazon.aws.rds_instance_info's instances"))


def kept_network_lines(items, kind=None, hint=""):
    """The kept parts a module returned, one sentence each: name (kind id: reason; hint)."""
    return kept_network.kept_lines(_items(items, "kept_network_lines", "a module's kept"), kind, hint)


class FilterModule:
    """Kept network filters."""

    def filters(self):
        return {"kept_db_subnets": kept_db_subnets, "kept_network_lines": kept_network_lines}
