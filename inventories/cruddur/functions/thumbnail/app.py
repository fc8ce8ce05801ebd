"""Cruddur's thumbnails: for each original avatar uploaded (S3 ObjectCreated under avatars/original/, .jpg or .png),
the key of its thumbnail in the assets bucket (avatars/processed/<uuid>.jpg), copied there, and one message to the
processed-images topic per avatar. No image work here: the copy stands for the resize (the reference system's
function resizes with sharp)."""

import json
import os
import urllib.parse

SOURCE_PREFIX = "avatars/original/"
TARGET_PREFIX = "avatars/processed/"


def thumbnail_key(key):
    """avatars/original/<name>.<ext> -> avatars/processed/<name>.jpg; None for a key outside the originals."""
    key = urllib.parse.unquote_plus(key)
    if not key.startswith(SOURCE_PREFIX) or "." not in key[len(SOURCE_PREFIX):]:
        return None
    name = key[len(SOURCE_PREFIX):].rsplit(".", 1)[0]
    return f"{TARGET_PREFIX}{name}.jpg"


def uploads(event):
    """(bucket, key, thumbnail key) of each original avatar the S3 event names."""
    found = []
    for record in (event or {}).get("Records", []):
        s3 = record.get("s3") or {}
        key = (s3.get("object") or {}).get("key", "")
        target = thumbnail_key(key)
        if target:
            found.append((s3.get("bucket", {}).get("name", ""), urllib.parse.unquote_plus(key), target))
    return found


def handler(event, context, s3=None, sns=None):
    done = uploads(event)
    if done and (s3 is None or sns is None):
        import boto3  # pylint: disable=import-outside-toplevel  # present in the Lambda runtime

        s3, sns = s3 or boto3.client("s3"), sns or boto3.client("sns")
    for bucket, key, target in done:
        s3.copy_object(Bucket=os.environ["ASSETS_BUCKET"], Key=target, CopySource={"Bucket": bucket, "Key": key})
        sns.publish(TopicArn=os.environ["SNS_TOPIC_ARN"], Message=json.dumps({"source": key, "thumbnail": target}))
    return {"thumbnails": [target for _bucket, _key, target in done]}
