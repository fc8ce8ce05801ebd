"""Cruddur's WebSocket handlers (API Gateway WebSocket API routes $connect, $disconnect and $default): a connection
is accepted when it names a user, closed without condition, and a message is echoed with its connection id."""

import json


def _connection(event):
    return ((event or {}).get("requestContext") or {}).get("connectionId", "")


def connect(event, context):
    user = ((event or {}).get("queryStringParameters") or {}).get("user")
    if not user:
        return {"statusCode": 401, "body": "a user is required"}
    return {"statusCode": 200, "body": json.dumps({"connected": _connection(event), "user": user})}


def disconnect(event, context):
    return {"statusCode": 200, "body": json.dumps({"disconnected": _connection(event)})}


def default(event, context):
    body = (event or {}).get("body") or ""
    return {"statusCode": 200, "body": json.dumps({"connection": _connection(event), "echo": body})}
