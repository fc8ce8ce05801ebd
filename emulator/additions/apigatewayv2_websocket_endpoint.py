"""A WebSocket API's endpoint is a ``wss://`` URL.

AWS: CreateApi, GetApi and GetApis answer ``ApiEndpoint`` ``wss://<api-id>.execute-api.<region>.amazonaws.com`` for
an API of protocol ``WEBSOCKET`` (``https://...`` for an HTTP API); clients connect to ``<ApiEndpoint>/<stage>``.

moto 5.2.5: ``Api.__init__`` (moto/apigatewayv2/models.py) sets ``https://<api-id>.execute-api.<region>.amazonaws.com``
whatever the protocol, so the URL a deployment prints for a WebSocket API is one no WebSocket client can open.

What this addition does: wraps ``Api.__init__`` to give a WEBSOCKET API the ``wss://`` scheme.

Reference: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api.html
"""

from moto.apigatewayv2.models import Api

_ORIGINAL = {}


def _init(self, *args, **kwargs):
    _ORIGINAL["init"](self, *args, **kwargs)
    if str(self.protocol_type).upper() == "WEBSOCKET" and self.api_endpoint.startswith("https://"):
        self.api_endpoint = "wss://" + self.api_endpoint[len("https://"):]


def apply() -> None:
    """Wrap Api.__init__."""
    _ORIGINAL.setdefault("init", Api.__init__)
    Api.__init__ = _init
