"""Cruddur's avatar upload: a presigned PUT URL for the caller's avatar in the uploads bucket.

The event is an API Gateway HTTP request (or a plain invocation) whose JSON body or keys carry the user's ``uuid`` and
the file's ``extension`` (jpg or png); the key is avatars/original/<uuid>.<extension>, which the thumbnail function's
S3 notification filters on. The function may write under that prefix only (its grant)."""

import json
import os
import re

EXTENSIONS = ("jpg", "png")
PREFIX = "avatars/original/"
UUID = re.compile(r"^[0-9a-fA-F-]{8,64}$")


def upload_key(uuid, extension):
    """The object key of a user's original avatar; ValueError for a malformed uuid or another extension."""
    if not isinstance(uuid, str) or not UUID.match(uuid):
        raise ValueError("uuid must be the user's UUID")
    extension = str(extension or "").lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise ValueError(f"extension must be one of {', '.join(EXTENSIONS)}")
    return f"{PREFIX}{uuid}.{extension}"


def _request(event):
    body = (event or {}).get("body")
    if isinstance(body, str) and body:
        return json.loads(body)
    return event or {}


def handler(event, context, s3=None):
    request = _request(event)
    try:
        key = upload_key(request.get("uuid"), request.get("extension", "jpg"))
    except ValueError as error:
        return {"statusCode": 400, "body": json.dumps({"error": str(error)})}
    if s3 is None:
        import boto3  # pylint: disable=import-outside-toplevel  # present in the Lambda runtime

        s3 = boto3.client("s3")
    url = s3.generate_presigned_url("put_object", Params={"Bucket": os.environ["S3_BUCKET"], "Key": key}, ExpiresIn=300)
    return {"statusCode": 200, "body": json.dumps({"url": url, "key": key})}
