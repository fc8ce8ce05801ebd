"""An internal load balancer's DNS name starts with ``internal-``.

AWS: the DNS name of an internet-facing load balancer is ``<name>-<id>.<region>.elb.amazonaws.com``; the name of an
internal one is ``internal-<name>-<id>.<region>.elb.amazonaws.com`` (it resolves to private addresses only). Clients
and summaries that print the name show the ``internal-`` prefix.

moto 5.2.5: ``ELBv2Backend.create_load_balancer`` (moto/elbv2/models.py) names every load balancer
``<name>-1.<region>.elb.amazonaws.com``, whatever its scheme.

What this addition does: wraps ``create_load_balancer`` so that a load balancer created with ``Scheme: internal``
gets the ``internal-`` prefix on its DNS name.

Reference: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-scheme
           https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancer.html
"""

from typing import Any

from moto.elbv2.models import ELBv2Backend

_originals: dict = {}


def _create_load_balancer(self, *args: Any, **kwargs: Any):
    balancer = _originals["create_load_balancer"](self, *args, **kwargs)
    if balancer.scheme == "internal" and not balancer.dns_name.startswith("internal-"):
        balancer.dns_name = "internal-" + balancer.dns_name
    return balancer


def apply() -> None:
    """Wrap moto's create_load_balancer."""
    _originals["create_load_balancer"] = ELBv2Backend.create_load_balancer
    ELBv2Backend.create_load_balancer = _create_load_balancer
