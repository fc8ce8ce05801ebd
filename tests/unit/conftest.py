# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Make ``ansible_collections.atelier.infra`` importable next to the installed collections.

The repository root is the collection; the committed link
``playbooks/collections/ansible_collections/atelier/infra`` points at it. ``ansible_collections`` is a namespace
package (no ``__init__.py``), so putting ``playbooks/collections`` on ``sys.path`` merges it with the
``ansible_collections`` directory in site-packages where amazon.aws is installed. If the
namespace was already imported before this file ran, its ``__path__`` is extended by hand.
"""

import os
import sys

_REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_COLLECTIONS_ROOT = os.path.join(_REPO_ROOT, "playbooks", "collections")
_LINK = os.path.join(_COLLECTIONS_ROOT, "ansible_collections", "atelier", "infra")

if not os.path.isdir(_LINK):
    raise RuntimeError(
        f"{_LINK} is missing: it is a committed link to the repository root (git checkout it)"
    )

if _COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, _COLLECTIONS_ROOT)

_namespace = sys.modules.get("ansible_collections")
if _namespace is not None:
    # Already imported (by a plugin or another conftest): extend the namespace in place.
    for _entry in sys.path:
        _candidate = os.path.join(_entry, "ansible_collections")
        if os.path.isdir(_candidate) and _candidate not in list(_namespace.__path__):
            _namespace.__path__.append(_candidate)
