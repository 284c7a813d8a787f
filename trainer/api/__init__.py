"""The HTTP layer: thin controllers, their request/response schemas, bearer-key auth, and the one
mapping of errors to ``application/problem+json`` (``problems``). Domain logic lives elsewhere.
"""
