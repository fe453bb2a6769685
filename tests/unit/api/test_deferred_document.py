"""The OpenAPI document written on first read is the one flask-smorest writes at registration."""
import json
import threading

from flask import Flask

from server import api as api_package
from server.api.deferred_document import DeferredDocumentApi
from server.api.errors import Api
from server.config import load_config


def _api(tmp_path, api_class) -> tuple[Api, Flask]:
    app = Flask("server")
    load_config(app, {"DATA_DIR": str(tmp_path), "STORE_URL": "memory://"})
    return api_package.init_app(app, api_class), app


def _text(document: dict) -> str:
    return json.dumps(document, sort_keys=False, ensure_ascii=False)


def test_the_deferred_document_is_the_one_written_at_registration(tmp_path):
    deferred, app = _api(tmp_path / "a", DeferredDocumentApi)
    eager, _ = _api(tmp_path / "b", Api)
    assert deferred._undocumented  # nothing written yet at start
    served = app.test_client().get("/api/openapi.json").get_json()
    assert _text(served) == _text(json.loads(_text(eager.spec.to_dict())))
    assert _text(deferred.spec.to_dict()) == _text(eager.spec.to_dict())


def test_first_reads_at_once_all_get_the_whole_document(tmp_path):
    deferred, _ = _api(tmp_path / "a", DeferredDocumentApi)
    eager, _ = _api(tmp_path / "b", Api)
    documents, start = [], threading.Barrier(4)

    def read():
        start.wait()
        documents.append(_text(deferred.spec.to_dict()))
    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert documents == [_text(eager.spec.to_dict())] * 4
