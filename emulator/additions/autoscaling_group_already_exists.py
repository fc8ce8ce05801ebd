"""CreateAutoScalingGroup with the name of an existing group is AlreadyExists.

AWS: a second CreateAutoScalingGroup with a name in use fails with ``AlreadyExists`` (HTTP 400) "AutoScalingGroup by
this name already exists - A group with the name <name> already exists"; the existing group is left as it was.

moto 5.2.5: ``AutoScalingBackend.create_auto_scaling_group`` (moto/autoscaling/models.py) stores the new group under
the name, silently replacing the existing one (its instances are orphaned).

What this addition does: wraps ``AutoScalingResponse.create_auto_scaling_group`` (the action; moto's internal calls
are left alone) to raise ``AlreadyExists`` when the group exists.

Reference: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html
"""

from moto.autoscaling.exceptions import AutoscalingClientError
from moto.autoscaling.responses import AutoScalingResponse

_originals: dict = {}


class AlreadyExists(AutoscalingClientError):
    def __init__(self, name: str) -> None:
        super().__init__(
            "AlreadyExists",
            f"AutoScalingGroup by this name already exists - A group with the name {name} already exists",
        )


def _create_auto_scaling_group(self):
    name = self._get_param("AutoScalingGroupName")
    if name in self.autoscaling_backend.autoscaling_groups:
        raise AlreadyExists(name)
    return _originals["create_auto_scaling_group"](self)


def apply() -> None:
    """Refuse a second group of the same name."""
    _originals.setdefault("create_auto_scaling_group", AutoScalingResponse.create_auto_scaling_group)
    AutoScalingResponse.create_auto_scaling_group = _create_auto_scaling_group
