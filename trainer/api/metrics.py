"""``GET /metrics``: the Prometheus text format of ``trainer.telemetry.metrics`` (no key needed).

Keep it off the public side of the load balancer (deploy/haproxy.cfg refuses it there);
``TRAINER_METRICS_ENABLED=false`` leaves the route out.
"""

from __future__ import annotations

from litestar import MediaType, Response, get
from prometheus_client import CONTENT_TYPE_LATEST

from trainer.telemetry.metrics import exposition


@get(
    "/metrics",
    tags=["operations"],
    summary="Prometheus metrics",
    media_type=MediaType.TEXT,
    sync_to_thread=False,
)
def metrics_endpoint() -> Response[bytes]:
    """Requests, latency by route, turns by engine, model calls, tokens and cost, breakers, 429s."""
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)
