"""CloudFront distributions deploy for a while after every change; ETags change; IfMatch and disabling are enforced.

AWS: after ``CreateDistribution`` and after every ``UpdateDistribution`` the distribution's ``Status`` is
``InProgress`` until the change has propagated to the edge locations (minutes), then ``Deployed``
(``LastModifiedTime`` is the time of the change). Every update answers a new ``ETag``. ``UpdateDistribution`` and
``DeleteDistribution`` with an ``IfMatch`` other than the current ETag fail with ``PreconditionFailed`` (HTTP 412, "The
precondition given in one or more of the request-header fields evaluated to false."). ``DeleteDistribution`` of a
distribution that is still ``Enabled``, or whose last change is still ``InProgress``, fails with
``DistributionNotDisabled`` (HTTP 409, "The distribution you are trying to delete has not been disabled."): disable,
wait for ``Deployed``, then delete with the ETag of the disabling update.

moto 5.2.5: ``Distribution`` (moto/cloudfront/models.py) is a ``ManagedState`` whose transition moto_api registers as
``{"progression": "manual", "times": 1}`` (moto/moto_api/__init__.py), so the first GetDistribution already says
``Deployed``; ``CloudFrontBackend.update_distribution`` never sets it back to ``InProgress`` and keeps the ETag (and the
fixed ``LastModifiedTime`` 2021-11-27); ``update_distribution`` and ``delete_distribution`` accept any ``IfMatch``, and
``delete_distribution`` deletes an enabled distribution.

What this addition does: registers moto's default transition for ``cloudfront::distribution`` as ``{"progression":
"time", "seconds": <ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY>}`` with the seconds read from the knob (default 2.0,
``emulator.knobs``) each time moto's state manager is asked, so a change through ``/_atelier/config`` applies at once;
a transition set through ``/moto-api/state-manager`` still takes precedence. ``update_distribution`` is wrapped: it
checks ``IfMatch`` against the ETag, then (after moto's update) puts the distribution back to ``InProgress`` with the
timer restarted, a new ETag and ``LastModifiedTime`` now. ``delete_distribution`` is wrapped with the ``IfMatch`` and
``DistributionNotDisabled`` checks. A missing ``IfMatch`` stays moto's ``InvalidIfMatchVersion``.

Reference: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDistribution.html
           https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DeleteDistribution.html
           https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Distribution.html
"""

from datetime import datetime, timezone

from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.models import CloudFrontBackend, Distribution, random_id
from moto.moto_api import state_manager

from emulator import knobs

DELAY = "ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY"
MODEL_NAME = "cloudfront::distribution"

_originals: dict = {}


class PreconditionFailed(CloudFrontException):
    def __init__(self) -> None:
        super().__init__(
            "PreconditionFailed",
            "The precondition given in one or more of the request-header fields evaluated to false.",
        )


class DistributionNotDisabled(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.")


class _DeployDelayTransition(dict):
    """moto's ``{"progression": "time", "seconds": N}`` with N the knob's value whenever it is read."""

    def __init__(self) -> None:
        super().__init__(progression="time", seconds=knobs.DEFAULTS[DELAY])

    def __getitem__(self, key):
        if key == "seconds":
            value = knobs.get_float(DELAY)
            dict.__setitem__(self, "seconds", value)  # keeps /moto-api/state-manager's view current
            return value
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        return self[key] if key in self else default


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _distribution_init(self, account_id: str, region_name: str, config: dict) -> None:
    _originals["distribution_init"](self, account_id, region_name, config)
    self.last_modified_time = _now()


def _update_distribution(self, dist_config, _id, if_match):
    distribution = self.distributions.get(_id)
    if distribution is not None and if_match and if_match != distribution.etag:
        raise PreconditionFailed()
    result = _originals["update_distribution"](self, dist_config=dist_config, _id=_id, if_match=if_match)
    distribution = self.distributions[_id]
    distribution.status = "InProgress"
    distribution._time_progressed = datetime.now()  # moto's ManagedState compares naive local times
    distribution.etag = random_id()
    distribution.last_modified_time = _now()
    return distribution, result[1], distribution.etag


def _delete_distribution(self, distribution_id, if_match) -> None:
    distribution = self.distributions.get(distribution_id)
    if distribution is not None and if_match:
        if if_match != distribution.etag:
            raise PreconditionFailed()
        if distribution.distribution_config.Enabled or distribution.status == "InProgress":
            raise DistributionNotDisabled()
    _originals["delete_distribution"](self, distribution_id, if_match)


def apply() -> None:
    """Time-based deployment, new ETags on update, IfMatch and DistributionNotDisabled checks."""
    state_manager.register_default_transition(MODEL_NAME, transition=_DeployDelayTransition())
    _originals.setdefault("distribution_init", Distribution.__init__)
    _originals.setdefault("update_distribution", CloudFrontBackend.update_distribution)
    _originals.setdefault("delete_distribution", CloudFrontBackend.delete_distribution)
    Distribution.__init__ = _distribution_init
    CloudFrontBackend.update_distribution = _update_distribution
    CloudFrontBackend.delete_distribution = _delete_distribution
