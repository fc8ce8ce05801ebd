"""UpdateUserPoolClient resets what its request leaves out.

AWS: "If you don't provide a value for an attribute, Amazon Cognito sets it to its default value": an
UpdateUserPoolClient request is the client's whole configuration; a setting it omits (explicit auth flows, token
validities, callback URLs, PreventUserExistenceErrors, ...) goes back to its default, as for a new client. The
client's name, id and secret stay.

moto 5.2.5: ``CognitoIdpBackend.update_user_pool_client`` (moto/cognitoidp/models.py) merges the request into the
stored configuration (``extended_config.update``), so a module that sends only what changed passes on the emulator and
wipes the client's other settings on AWS.

What this addition does: wraps update_user_pool_client to start from the defaults of a new client (moto's, those of
``CognitoIdpUserPoolClient.__init__``) plus the client's name, then apply the request.

Reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPoolClient.html
"""

from moto.cognitoidp.models import CognitoIdpBackend
from moto.cognitoidp.models import CognitoIdpUserPoolClient

_ORIGINAL = {}


def _update_user_pool_client(self, user_pool_id, client_id, extended_config):
    pool = self.describe_user_pool(user_pool_id)
    client = pool.clients.get(client_id)
    if client is not None:
        fresh = CognitoIdpUserPoolClient(user_pool_id, False, None).extended_config
        fresh["ClientName"] = client.extended_config.get("ClientName")
        client.extended_config = fresh
    return _ORIGINAL["update_user_pool_client"](self, user_pool_id, client_id, extended_config)


def apply() -> None:
    """Wrap UpdateUserPoolClient."""
    _ORIGINAL.setdefault("update_user_pool_client", CognitoIdpBackend.update_user_pool_client)
    CognitoIdpBackend.update_user_pool_client = _update_user_pool_client
