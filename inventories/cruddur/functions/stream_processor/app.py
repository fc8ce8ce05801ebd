"""Cruddur's messages stream: a new message (an INSERT of a MSG# item) updates the last message of its group for
both members (the reference system's cruddur-messaging-stream). The items it writes go to the same table."""

import os


def group_updates(event):
    """The (pk, sk, message, created_at) of each message group item a batch of stream records updates."""
    updates = []
    for record in (event or {}).get("Records", []):
        if record.get("eventName") != "INSERT":
            continue
        image = (record.get("dynamodb") or {}).get("NewImage") or {}
        pk, sk = image.get("pk", {}).get("S", ""), image.get("sk", {}).get("S", "")
        if not pk.startswith("MSG#"):
            continue
        group_uuid = pk[len("MSG#"):]
        message = image.get("message", {}).get("S", "")
        for owner in (image.get("user_uuid", {}).get("S"), image.get("other_user_uuid", {}).get("S")):
            if owner:
                updates.append((f"GRP#{owner}", sk, message, group_uuid))
    return updates


def handler(event, context, table=None):
    updates = group_updates(event)
    if updates and table is None:
        import boto3  # pylint: disable=import-outside-toplevel  # present in the Lambda runtime

        table = boto3.resource("dynamodb").Table(os.environ["DYNAMODB_TABLE"])
    for pk, sk, message, group_uuid in updates:
        table.put_item(Item={"pk": pk, "sk": sk, "message": message, "message_group_uuid": group_uuid})
    return {"processed": len(updates)}
