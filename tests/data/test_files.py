"""Downloads against a local HTTP server on 127.0.0.1 (no outside network)."""

import hashlib
import http.server
import threading

import pytest

from mlplab.data import files


class _Handler(http.server.BaseHTTPRequestHandler):
    payloads: dict = {}

    def do_GET(self):  # noqa: N802
        body, claimed = self.payloads.get(self.path, (None, None))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(claimed or len(body)))
        self.end_headers()
        self.wfile.write(body)  # a claimed length above len(body) is a cut transfer

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.payloads
    httpd.shutdown()
    httpd.server_close()
    _Handler.payloads.clear()


def test_download_writes_the_file_when_checksum_is_right(server, tmp_path):
    url, payloads = server
    body = b"x" * 200_000
    payloads["/f.gz"] = (body, None)
    path = files.download(url + "/f.gz", tmp_path / "f.gz", hashlib.md5(body).hexdigest(), progress=False)
    assert path.read_bytes() == body
    assert [p.name for p in tmp_path.iterdir()] == ["f.gz"]


def test_wrong_checksum_leaves_nothing(server, tmp_path):
    url, payloads = server
    payloads["/f.gz"] = (b"not the file", None)
    with pytest.raises(OSError, match="has md5 .* expected 0123"):
        files.download(url + "/f.gz", tmp_path / "f.gz", "0123" * 8, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_cut_transfer_leaves_nothing(server, tmp_path):
    url, payloads = server
    payloads["/f.gz"] = (b"y" * 1000, 5000)
    with pytest.raises(OSError):
        files.download(url + "/f.gz", tmp_path / "f.gz", None, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_locate_fetches_missing_files_into_the_cache(server, tmp_path, monkeypatch):
    url, payloads = server
    monkeypatch.setenv("MLPLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("MLPLAB_DATA", raising=False)
    body = b"labels"
    payloads["/mirror/a.gz"] = (body, None)
    found = files.locate({"a.gz": hashlib.md5(body).hexdigest()}, "toyset",
                         [url + "/broken/", url + "/mirror/"], progress=False)
    assert found["a.gz"] == tmp_path / "cache" / "toyset" / "a.gz"
    assert found["a.gz"].read_bytes() == body


def test_locate_reports_failed_downloads(server, tmp_path, monkeypatch):
    url, _ = server
    monkeypatch.setenv("MLPLAB_CACHE", str(tmp_path / "cache"))
    with pytest.raises(files.DataNotFoundError, match=r"(?s)missing a.gz.*Downloading failed:.*404"):
        files.locate({"a.gz": None}, "toyset", [url + "/"], progress=False)
