"""Use cases: Flask-free functions that take a ``Store`` and plain values.

Services raise the errors in ``server.services.errors``; the HTTP layer
(``server.api.errors``) maps each to one status code, so a service never
knows about HTTP and a route never decides what an error means.
"""
