"""marshmallow schemas of the HTTP API: what comes in (``*In``/``*Args``) and goes out."""
