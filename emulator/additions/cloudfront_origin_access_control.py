"""CloudFront Origin Access Control (OAC): kept on a distribution's origins, checked, and guarded like AWS does.

AWS (API version 2020-05-31): an origin of a distribution carries ``OriginAccessControlId`` (the id of an origin
access control, ``""`` when it has none) and an S3 origin its ``S3OriginConfig`` (``OriginAccessIdentity``, ``""``
with OAC); GetDistribution / GetDistributionConfig / UpdateDistribution return both as sent. CreateDistribution and
UpdateDistribution refuse an origin with both an OAC and an origin access identity (``IllegalOriginAccessConfiguration``
400, "An origin cannot contain both an origin access control (OAC) and an origin access identity (OAI).") and an OAC
id that does not exist (``InvalidOriginAccessControl`` 400). ``CreateOriginAccessControl`` refuses a name the account
already uses (``OriginAccessControlAlreadyExists`` 409); ``GetOriginAccessControlConfig`` answers the config and the
ETag; ``UpdateOriginAccessControl`` and ``DeleteOriginAccessControl`` need ``IfMatch`` equal to the current ETag
(missing: ``InvalidIfMatchVersion`` 400, other: ``PreconditionFailed`` 412), an update replaces the whole config and
answers a new ETag (another OAC's name: ``OriginAccessControlAlreadyExists``); an unknown id is
``NoSuchOriginAccessControl`` (404); deleting an OAC an origin of a distribution still names is
``OriginAccessControlInUse`` (409). ListOriginAccessControls' summaries always have a ``Description`` (``""``).

moto 5.2.5: ``Origin.__init__`` (moto/cloudfront/models.py) drops ``OriginAccessControlId`` and stores the OAI as
``s3_access_identity``, which the serializer does not know, so neither comes back (``S3OriginConfig`` is lost too);
``CloudFrontBackend.create_distribution_with_tags`` / ``update_distribution`` accept any OAC id;
``create_origin_access_control`` accepts a taken name; ``update_origin_access_control`` ignores ``IfMatch``, keeps the
ETag and merges the config; ``delete_origin_access_control`` ignores ``IfMatch``, deletes an OAC in use and fails with
a ``KeyError`` (HTTP 500) for an unknown id; ``CloudFrontResponse`` has no ``get_origin_access_control_config``
(the route exists: "not implemented").

What this addition does: wraps ``Origin.__init__`` to keep ``origin_access_control_id`` and ``s3_origin_config`` (the
names moto's serializer reads); wraps ``create_distribution_with_tags`` and ``update_distribution`` to check every
origin's OAC first; replaces the backend's create / update / delete of an OAC with AWS's checks (``IfMatch`` passed
by the response methods, replaced here too) and adds ``get_origin_access_control_config``. The messages of
``OriginAccessControlAlreadyExists``, ``InvalidOriginAccessControl``, ``OriginAccessControlInUse`` and
``NoSuchOriginAccessControl`` are botocore's documentation of the error, as AWS's own wording is not published.

References: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateOriginAccessControl.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateOriginAccessControl.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DeleteOriginAccessControl.html
            https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Origin.html
            https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
"""

from moto.cloudfront.models import CloudFrontBackend, Origin, OriginAccessControl, random_id
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult

from emulator.additions.cloudfront_policies import _check_if_match, _Error  # IfMatch as for policies (any .etag)

_ORIGINAL: dict = {}
_CONFIG_KEYS = ("Name", "Description", "SigningProtocol", "SigningBehavior", "OriginAccessControlOriginType")


def _no_such() -> _Error:
    return _Error("NoSuchOriginAccessControl", "The origin access control does not exist.")


def _already_exists() -> _Error:
    return _Error(
        "OriginAccessControlAlreadyExists", "An origin access control with the specified parameters already exists."
    )


def _origin_init(self, origin: dict) -> None:
    _ORIGINAL["origin_init"](self, origin)
    self.origin_access_control_id = origin.get("OriginAccessControlId") or ""
    if "S3OriginConfig" in origin:
        s3 = origin.get("S3OriginConfig") or {}
        self.s3_origin_config = {"OriginAccessIdentity": s3.get("OriginAccessIdentity") or ""}
        if s3.get("OriginReadTimeout") is not None:
            self.s3_origin_config["OriginReadTimeout"] = s3["OriginReadTimeout"]


def _check_origins(backend: CloudFrontBackend, config: dict | None) -> None:
    for origin in ((config or {}).get("Origins") or {}).get("Items") or []:
        if not isinstance(origin, dict):
            continue
        control_id = origin.get("OriginAccessControlId")
        if not control_id:
            continue
        if ((origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity")) or "":
            raise _Error(
                "IllegalOriginAccessConfiguration",
                "An origin cannot contain both an origin access control (OAC) and an origin access identity (OAI).",
            )
        if control_id not in backend.origin_access_controls:
            raise _Error("InvalidOriginAccessControl", "The origin access control is not valid for this origin.")


def _create_distribution_with_tags(self, distribution_config, tags):
    _check_origins(self, distribution_config)
    return _ORIGINAL["create_distribution_with_tags"](self, distribution_config, tags)


def _update_distribution(self, dist_config, _id, if_match):
    if _id in self.distributions:
        _check_origins(self, dist_config)
    return _ORIGINAL["update_distribution"](self, dist_config=dist_config, _id=_id, if_match=if_match)


def _name_taken(backend: CloudFrontBackend, name: str | None, other_than: str | None = None) -> bool:
    return any(c.name == name and c.id != other_than for c in backend.origin_access_controls.values())


def _control(backend: CloudFrontBackend, control_id: str | None) -> OriginAccessControl:
    control = backend.origin_access_controls.get(control_id or "")
    if control is None:
        raise _no_such()
    return control


def _in_use(backend: CloudFrontBackend, control_id: str) -> bool:
    for distribution in backend.distributions.values():
        origins = (getattr(distribution.distribution_config, "Origins", None) or {}).get("Items") or []
        if any(getattr(o, "origin_access_control_id", "") == control_id for o in origins):
            return True
    return False


def _create_origin_access_control(self, config_dict: dict) -> OriginAccessControl:
    if _name_taken(self, (config_dict or {}).get("Name")):
        raise _already_exists()
    control = _ORIGINAL["create_origin_access_control"](self, config_dict)
    control.description = control.description or ""
    return control


def _update(
    backend: CloudFrontBackend, control_id: str | None, config: dict, if_match: str | None
) -> OriginAccessControl:
    control = _control(backend, control_id)
    _check_if_match(control, if_match)
    if _name_taken(backend, (config or {}).get("Name"), other_than=control.id):
        raise _already_exists()
    control.update({key: (config or {}).get(key) for key in _CONFIG_KEYS})
    control.description = control.description or ""
    control.etag = random_id()
    return control


def _delete(backend: CloudFrontBackend, control_id: str | None, if_match: str | None) -> None:
    control = _control(backend, control_id)
    _check_if_match(control, if_match)
    if _in_use(backend, control.id):
        raise _Error(
            "OriginAccessControlInUse",
            "Cannot delete the origin access control because it's in use by one or more distributions.",
        )
    del backend.origin_access_controls[control.id]


def _get_config_response(self) -> ActionResult:
    control = _control(self.backend, self._get_param("Id"))
    return ActionResult({"OriginAccessControlConfig": control, "ETag": control.etag})


def _update_response(self) -> ActionResult:
    control = _update(
        self.backend,
        self._get_param("Id"),
        self._get_param("OriginAccessControlConfig", {}),
        self._get_param("IfMatch"),
    )
    return ActionResult(
        {"OriginAccessControl": {"Id": control.id, "OriginAccessControlConfig": control}, "ETag": control.etag}
    )


def _delete_response(self) -> EmptyResult:
    _delete(self.backend, self._get_param("Id"), self._get_param("IfMatch"))
    return EmptyResult()


def apply() -> None:
    """Keep OAC ids on origins, check them, and give the OAC operations AWS's checks."""
    _ORIGINAL.setdefault("origin_init", Origin.__init__)
    _ORIGINAL.setdefault("create_distribution_with_tags", CloudFrontBackend.create_distribution_with_tags)
    _ORIGINAL.setdefault("update_distribution", CloudFrontBackend.update_distribution)
    _ORIGINAL.setdefault("create_origin_access_control", CloudFrontBackend.create_origin_access_control)
    Origin.__init__ = _origin_init
    CloudFrontBackend.create_distribution_with_tags = _create_distribution_with_tags
    CloudFrontBackend.update_distribution = _update_distribution
    CloudFrontBackend.create_origin_access_control = _create_origin_access_control
    CloudFrontResponse.get_origin_access_control_config = _get_config_response
    CloudFrontResponse.update_origin_access_control = _update_response
    CloudFrontResponse.delete_origin_access_control = _delete_response
