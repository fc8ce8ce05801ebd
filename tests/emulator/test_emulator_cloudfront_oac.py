"""CloudFront Origin Access Control in the emulator (``cloudfront_origin_access_control``), seen through boto3.

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=cloudfront_origin_access_control
pytest tests/emulator/test_emulator_cloudfront_oac.py``.
"""

import uuid

import pytest
from botocore.exceptions import ClientError

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def _error(call, **kwargs) -> tuple[str, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def _oac_config(name: str, **extra) -> dict:
    return {
        "Name": name,
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
        **extra,
    }


def _distribution_config(oac_id: str, oai: str = "") -> dict:
    return {
        "CallerReference": uuid.uuid4().hex,
        "Comment": "",
        "Enabled": True,
        "DefaultRootObject": "index.html",
        "Origins": {
            "Quantity": 2,
            "Items": [
                {
                    "Id": "site",
                    "DomainName": "site-bucket.s3.us-east-1.amazonaws.com",
                    "OriginAccessControlId": oac_id,
                    "S3OriginConfig": {"OriginAccessIdentity": oai},
                },
                {
                    "Id": "api",
                    "DomainName": "api.example.com",
                    "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
                },
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_OPTIMIZED,
        },
    }


def _origins(config: dict) -> dict:
    return {origin["Id"]: origin for origin in config["Origins"]["Items"]}


def test_cloudfront_distribution_keeps_its_s3_origin_access_control(emulator):
    """cloudfront_origin_access_control"""
    cloudfront = emulator.client("cloudfront")
    oac = cloudfront.create_origin_access_control(OriginAccessControlConfig=_oac_config(f"site-{uuid.uuid4().hex[:8]}"))
    oac_id = oac["OriginAccessControl"]["Id"]

    created = cloudfront.create_distribution(DistributionConfig=_distribution_config(oac_id))["Distribution"]
    for config in (
        created["DistributionConfig"],
        cloudfront.get_distribution(Id=created["Id"])["Distribution"]["DistributionConfig"],
        cloudfront.get_distribution_config(Id=created["Id"])["DistributionConfig"],
    ):
        origins = _origins(config)
        assert origins["site"]["OriginAccessControlId"] == oac_id
        assert origins["site"]["S3OriginConfig"] == {"OriginAccessIdentity": ""}
        assert origins["api"]["OriginAccessControlId"] == ""
        assert "S3OriginConfig" not in origins["api"]

    # An origin with both OAC and OAI, or an OAC that does not exist, is refused (create and update).
    both = _distribution_config(oac_id, oai="origin-access-identity/cloudfront/E2EXAMPLE")
    assert _error(cloudfront.create_distribution, DistributionConfig=both) == ("IllegalOriginAccessConfiguration", 400)
    unknown = _distribution_config("E0000NOTTHERE")
    assert _error(cloudfront.create_distribution, DistributionConfig=unknown) == ("InvalidOriginAccessControl", 400)
    current = cloudfront.get_distribution_config(Id=created["Id"])
    update = {**current["DistributionConfig"], "Origins": unknown["Origins"]}
    error = _error(cloudfront.update_distribution, Id=created["Id"], IfMatch=current["ETag"], DistributionConfig=update)
    assert error == ("InvalidOriginAccessControl", 400)

    # In use: the OAC cannot be deleted until no origin names it.
    etag = cloudfront.get_origin_access_control(Id=oac_id)["ETag"]
    assert _error(cloudfront.delete_origin_access_control, Id=oac_id, IfMatch=etag) == ("OriginAccessControlInUse", 409)
    without = {**current["DistributionConfig"]}
    without["Origins"] = {"Quantity": 1, "Items": [{**_origins(without)["site"], "OriginAccessControlId": ""}]}
    cloudfront.update_distribution(Id=created["Id"], IfMatch=current["ETag"], DistributionConfig=without)
    cloudfront.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert _error(cloudfront.get_origin_access_control, Id=oac_id) == ("NoSuchOriginAccessControl", 404)


def test_cloudfront_origin_access_control_operations_check_names_and_etags(emulator):
    """cloudfront_origin_access_control"""
    cloudfront = emulator.client("cloudfront")
    name = f"oac-{uuid.uuid4().hex[:8]}"
    created = cloudfront.create_origin_access_control(OriginAccessControlConfig=_oac_config(name))
    oac_id, etag = created["OriginAccessControl"]["Id"], created["ETag"]
    assert _error(cloudfront.create_origin_access_control, OriginAccessControlConfig=_oac_config(name)) == (
        "OriginAccessControlAlreadyExists",
        409,
    )

    config = cloudfront.get_origin_access_control_config(Id=oac_id)
    assert config["ETag"] == etag
    assert config["OriginAccessControlConfig"] == {**_oac_config(name), "Description": ""}
    summary = [
        s for s in cloudfront.list_origin_access_controls()["OriginAccessControlList"]["Items"] if s["Id"] == oac_id
    ]
    assert summary == [{"Id": oac_id, **_oac_config(name), "Description": ""}]

    changed = _oac_config(name, SigningBehavior="no-override", Description="site bucket")
    assert _error(
        cloudfront.update_origin_access_control, Id=oac_id, IfMatch="E0STALE", OriginAccessControlConfig=changed
    ) == (
        "PreconditionFailed",
        412,
    )
    updated = cloudfront.update_origin_access_control(Id=oac_id, IfMatch=etag, OriginAccessControlConfig=changed)
    assert updated["ETag"] != etag
    assert updated["OriginAccessControl"]["OriginAccessControlConfig"] == changed
    replaced = cloudfront.update_origin_access_control(
        Id=oac_id, IfMatch=updated["ETag"], OriginAccessControlConfig=_oac_config(name)
    )
    assert replaced["OriginAccessControl"]["OriginAccessControlConfig"] == {**_oac_config(name), "Description": ""}

    other = cloudfront.create_origin_access_control(OriginAccessControlConfig=_oac_config(f"{name}-b"))
    taken = _error(
        cloudfront.update_origin_access_control,
        Id=other["OriginAccessControl"]["Id"],
        IfMatch=other["ETag"],
        OriginAccessControlConfig=_oac_config(name),
    )
    assert taken == ("OriginAccessControlAlreadyExists", 409)

    assert _error(cloudfront.delete_origin_access_control, Id=oac_id, IfMatch=etag) == ("PreconditionFailed", 412)
    assert _error(cloudfront.delete_origin_access_control, Id="E0000NOTTHERE", IfMatch="E1") == (
        "NoSuchOriginAccessControl",
        404,
    )
    cloudfront.delete_origin_access_control(Id=oac_id, IfMatch=replaced["ETag"])
    cloudfront.delete_origin_access_control(Id=other["OriginAccessControl"]["Id"], IfMatch=other["ETag"])
