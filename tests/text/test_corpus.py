"""The corpus loader: folder, cache and a real download from a zip served on 127.0.0.1."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from umlib.text import corpus
from umlib.text.corpus import CorpusError, N_BYTES

# Synthetic stand-in for the corpus (so the download path is tested with or without
# the real data): 1024 bytes of text-like content, its own checksum.
_rng = np.random.default_rng(0)
FAKE = bytes(_rng.choice(np.frombuffer(b"abcde <>/=\"\n", np.uint8), N_BYTES).tolist())
FAKE_SHA = corpus.sha256(FAKE)
TAIL = bytes(_rng.integers(0, 256, 300_000, dtype=np.uint8).tolist())  # incompressible


def make_zip(head: bytes, tail: bytes = TAIL, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("enwik9", head + tail)
    return buf.getvalue()


class _Server:
    """A one-file HTTP server bound to 127.0.0.1 that stops itself after a few requests."""

    def __init__(self, body: bytes, max_requests: int = 4, timeout: float = 10.0):
        body_ = body

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(body_)))
                self.end_headers()
                try:
                    for i in range(0, len(body_), 8192):
                        self.wfile.write(body_[i:i + 8192])
                        self.server.bytes_sent += min(8192, len(body_) - i)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: that is the point

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.bytes_sent = 0
        self.httpd.timeout = timeout
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/enwik9.zip"
        self.max_requests = max_requests
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        # handle_request returns after one request or after `timeout` seconds idle,
        # so the thread ends by itself even if the test forgets to stop it
        for _ in range(self.max_requests):
            self.httpd.handle_request()
        self.httpd.server_close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.thread.join(timeout=15)


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    monkeypatch.delenv(corpus.ENV_VAR, raising=False)
    monkeypatch.setenv(corpus.CACHE_ENV_VAR, str(tmp_path / "cache"))
    return tmp_path


def test_download_inflates_only_the_head_and_caches(no_env):
    body = make_zip(FAKE)
    with _Server(body, max_requests=1) as srv:
        data = corpus.load_corpus(url=srv.url, expected_sha256=FAKE_SHA, timeout=10)
    assert data == FAKE
    cached = no_env / "cache" / corpus.FILENAME
    assert cached.read_bytes() == FAKE
    # second call: from the cache, no server running (download=False proves it)
    assert corpus.load_corpus(expected_sha256=FAKE_SHA, download=False) == FAKE


def test_inflate_head_stops_reading_early():
    body = make_zip(FAKE)
    data, n_read = corpus.inflate_head(io.BytesIO(body), N_BYTES)
    assert data == FAKE
    assert n_read < 20_000 < len(body)          # a few chunks of a 300 kB member


def test_inflate_head_stored_member():
    body = make_zip(FAKE, method=zipfile.ZIP_STORED)
    assert corpus.inflate_head(io.BytesIO(body), N_BYTES)[0] == FAKE


def test_truncated_stream_is_a_clear_error(no_env):
    body = make_zip(FAKE)[:300]               # header plus a little deflate data
    with _Server(body, max_requests=1) as srv:
        with pytest.raises(CorpusError, match="truncated"):
            corpus.load_corpus(url=srv.url, expected_sha256=FAKE_SHA, timeout=10)
    assert not (no_env / "cache" / corpus.FILENAME).exists()


def test_wrong_checksum_is_a_clear_error(no_env):
    other = bytes(reversed(FAKE))
    with _Server(make_zip(other), max_requests=1) as srv:
        with pytest.raises(CorpusError, match="SHA-256 mismatch"):
            corpus.load_corpus(url=srv.url, expected_sha256=FAKE_SHA, timeout=10)
    assert not (no_env / "cache" / corpus.FILENAME).exists()


def test_non_zip_answer_is_a_clear_error(no_env):
    with _Server(b"<html><body>Not here</body></html>", max_requests=1) as srv:
        with pytest.raises(CorpusError, match="not a zip"):
            corpus.load_corpus(url=srv.url, expected_sha256=FAKE_SHA, timeout=10)


def test_no_network_is_a_clear_error(no_env):
    srv = _Server(b"", max_requests=0)       # bind a port, then close it: nobody listens
    srv.httpd.server_close()
    with pytest.raises(CorpusError, match=f"could not download.*{corpus.ENV_VAR}"):
        corpus.load_corpus(url=srv.url, expected_sha256=FAKE_SHA, timeout=5)


def test_not_cached_and_no_download(no_env):
    with pytest.raises(CorpusError, match="download=False"):
        corpus.load_corpus(expected_sha256=FAKE_SHA, download=False)


def test_corrupt_cache_is_a_clear_error(no_env):
    (no_env / "cache").mkdir()
    (no_env / "cache" / corpus.FILENAME).write_bytes(bytes(N_BYTES))
    with pytest.raises(CorpusError, match="Delete or replace"):
        corpus.load_corpus(expected_sha256=FAKE_SHA, download=False)


@pytest.mark.parametrize("form", ["head", "raw", "zip"])
def test_folder_forms(no_env, monkeypatch, form):
    folder = no_env / "data"
    folder.mkdir()
    if form == "head":
        (folder / corpus.FILENAME).write_bytes(FAKE)
    elif form == "raw":
        (folder / "enwik9").write_bytes(FAKE + b"more text")
    else:
        (folder / "enwik9.zip").write_bytes(make_zip(FAKE, TAIL[:5000]))
    monkeypatch.setenv(corpus.ENV_VAR, str(folder))
    assert corpus.load_corpus(expected_sha256=FAKE_SHA, download=False) == FAKE


def test_env_folder_without_data_is_an_error(no_env, monkeypatch):
    monkeypatch.setenv(corpus.ENV_VAR, str(no_env))
    with pytest.raises(CorpusError, match="holds none of"):
        corpus.load_corpus(expected_sha256=FAKE_SHA)
    monkeypatch.setenv(corpus.ENV_VAR, str(no_env / "missing"))
    with pytest.raises(CorpusError, match="is not a folder"):
        corpus.load_corpus(expected_sha256=FAKE_SHA)


def test_bad_arguments():
    with pytest.raises(ValueError, match="expected_sha256"):
        corpus.load_corpus(expected_sha256="abc")
    with pytest.raises(ValueError, match="n must be"):
        corpus.inflate_head(io.BytesIO(b""), 0)
    with pytest.raises(TypeError, match="data must be bytes"):
        corpus.sha256("text")


REAL = os.environ.get(corpus.ENV_VAR)


@pytest.mark.skipif(not REAL, reason=f"{corpus.ENV_VAR} not set (the real corpus is not here)")
def test_real_corpus_from_env_and_through_the_download_path(no_env):
    real = corpus.load_corpus(data_dir=REAL)
    assert len(real) == N_BYTES and corpus.sha256(real) == corpus.SHA256
    assert real.startswith(b"<mediawiki")
    # the real bytes, wrapped in a zip as the Hutter Prize site serves them, with the
    # default checksum: the full download path end to end
    with _Server(make_zip(real), max_requests=1) as srv:
        assert corpus.load_corpus(url=srv.url, timeout=10) == real
    assert (no_env / "cache" / corpus.FILENAME).read_bytes() == real
