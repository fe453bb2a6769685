"""The OpenAPI document is written when it is first read, not at start.

flask-smorest documents each blueprint as it is registered: ~0.2 s of CPU,
a tenth of the server's start, for a document most processes never serve.
``DeferredDocumentApi`` registers the routes at once and queues the
documentation; the first read of ``api.spec`` (``/api/openapi.json``, the
viewers, ``flask openapi``, tests) writes it, in registration order, so the
document is the one flask-smorest writes (``tests/unit/api/test_deferred_
document.py`` compares them).

One exception to "reading ``spec`` writes it": a path converter is handed to
the Flask plugin at once. Flask refuses a rule with a converter it does not
know yet, so no blueprint registered before the converter can use it, and
the paths written later are the ones it was meant for.
"""
from __future__ import annotations

import threading

from server.api.errors import Api


class DeferredDocumentApi(Api):
    """``Api`` whose blueprints are documented on the first read of ``spec``."""

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple] = []  # (blueprint, name, parameters), in order
        self._documenting = threading.Lock()  # the first read may come from two requests
        self._spec = None
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        if self._undocumented:
            self._document_registered()
        return self._spec

    @spec.setter
    def spec(self, value) -> None:  # flask-smorest assigns it in __init__ and init_app
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register ``blp``'s routes now (as flask-smorest does) and its documentation
        on the first read of ``spec``."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def register_converter(self, converter, func):
        self._converters.append((converter, func))
        if self._spec is not None:  # see the module docstring
            self._register_converter(converter, func)

    def _document_registered(self) -> None:
        with self._documenting:
            # Each entry leaves the queue once written, so a reader that skips the lock
            # on seeing it empty reads the whole document.
            while self._undocumented:
                blp, name, parameters = self._undocumented[0]
                blp.register_views_in_doc(self, self._app, self._spec, name=name,
                                          parameters=parameters)
                self._spec.tag({"name": name, "description": blp.description})
                del self._undocumented[0]
