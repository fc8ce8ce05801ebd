"""CreateTargetGroup is idempotent by name: the same settings answer the existing target group, other settings are
DuplicateTargetGroupName.

AWS: "This operation is idempotent, which means that it completes at most one time. If you attempt to create
multiple target groups with the same settings, each call succeeds." A target group of the same name with other
settings is ``DuplicateTargetGroupName`` (HTTP 400) "A target group with the same name '<name>' exists, but with
different settings". This is what makes a retried CreateTargetGroup (a lost response, see ``emulator.faults``)
harmless for community.aws ``elb_target_group``.

moto 5.2.5: ``ELBv2Backend.create_target_group`` (moto/elbv2/models.py) raises ``DuplicateTargetGroupName`` for any
existing name, so a retried create fails the run.

What this addition does: keeps the settings each target group was created with (every CreateTargetGroup parameter
but the tags) and answers a create of an existing name with the same settings with that group (tags are not applied
again); other settings still raise ``DuplicateTargetGroupName``.

Reference: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
"""

import copy

from moto.elbv2.exceptions import DuplicateTargetGroupName
from moto.elbv2.models import ELBv2Backend

_originals: dict = {}
_SETTINGS = "atelier_created_with"


def _create_target_group(self, name, **kwargs):
    settings = {key: value for key, value in kwargs.items() if key != "tags"}
    existing = next((group for group in self.target_groups.values() if group.name == name), None)
    if existing is not None:
        if getattr(existing, _SETTINGS, None) == settings:
            return existing
        raise DuplicateTargetGroupName(f"A target group with the same name '{name}' exists, but with different settings")
    group = _originals["create_target_group"](self, name, **kwargs)
    setattr(group, _SETTINGS, copy.deepcopy(settings))
    return group


def apply() -> None:
    """Make CreateTargetGroup idempotent by name and settings."""
    _originals.setdefault("create_target_group", ELBv2Backend.create_target_group)
    ELBv2Backend.create_target_group = _create_target_group
