"""What the service tells its operators, without any HTTP: the id of the request being served (for
log lines) and the Prometheus metrics that the turn pipeline, the model clients and the rate limits
feed. The HTTP side (the access middleware, ``/metrics``, ``/readyz``, tracing) is in ``trainer.api``."""
