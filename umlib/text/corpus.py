r"""The corpus of Parts I and II: the first 1024 bytes of enwik9, loaded for real.

The dataset is third-party data (Wikipedia text, CC BY-SA / GFDL) and is never
part of the repository.  :func:`load_corpus` finds it, in this order:

1. the folder named by the environment variable ``UMBOOK_DATA`` (:data:`ENV_VAR`),
   holding ``enwik9-head-1024.bin`` (the 1024 bytes), or ``enwik9``, or ``enwik9.zip``;
2. the user cache (:func:`cache_dir`; ``UMBOOK_CACHE`` overrides its location);
3. a download of ``enwik9.zip`` from the Hutter Prize site (:data:`HUTTER_URL`):
   the response is *streamed*, the zip's local file header is parsed, and only the
   first bytes of its single member are inflated; reading stops as soon as 1024
   bytes are out (a few kilobytes of a 322 MB file).  The result is cached.

Whatever the route, the SHA-256 of the 1024 bytes is checked (:data:`SHA256`); a
mismatch, a truncated or non-zip download and a missing network are each a
:class:`CorpusError` whose message says what to do.

Derived in Part I, "The microstate space" (the dataset *is* the microstate space).
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import urllib.error
import urllib.request
import zipfile
import zlib
from pathlib import Path

__all__ = ["HUTTER_URL", "ENV_VAR", "CACHE_ENV_VAR", "N_BYTES", "SHA256", "FILENAME",
           "CorpusError", "cache_dir", "sha256", "inflate_head", "fetch_head", "load_corpus"]

#: Where the Hutter Prize corpus is published (Matt Mahoney's data-compression pages).
HUTTER_URL = "http://mattmahoney.net/dc/enwik9.zip"
#: Environment variable naming a folder that holds the data (CI: ``../shared/data``).
ENV_VAR = "UMBOOK_DATA"
#: Environment variable overriding the cache folder.
CACHE_ENV_VAR = "UMBOOK_CACHE"
#: Number of bytes in the dataset.
N_BYTES = 1024
#: SHA-256 of the first 1024 bytes of enwik9.
SHA256 = "ef3e698d40b8b36d6d1776feccc25bab3d01de872a4fd8e56f5b929631568496"
#: File name of the 1024-byte extract, in a data folder and in the cache.
FILENAME = "enwik9-head-1024.bin"

_HOWTO = (f"Either let the loader download it (needs network access to {HUTTER_URL}), or "
          f"download enwik9.zip yourself and set the environment variable {ENV_VAR} to the "
          f"folder that holds it (or that holds enwik9, or the 1024-byte file {FILENAME}).")


class CorpusError(RuntimeError):
    """The corpus could not be found, fetched or verified; the message says what to do.

    Used in Part I, "The microstate space" (through :func:`load_corpus`).

    Parameters
    ----------
    *args : str
        The message.
    """


def cache_dir() -> Path:
    r"""The user cache folder for the corpus (``UMBOOK_CACHE`` overrides it).

    Follows the platform's convention: ``%LOCALAPPDATA%\umbook`` on Windows,
    ``~/Library/Caches/umbook`` on macOS, ``$XDG_CACHE_HOME/umbook`` (default
    ``~/.cache/umbook``) elsewhere.

    Used in Part I, "The microstate space" (through :func:`load_corpus`).

    Returns
    -------
    pathlib.Path
        The folder (not created here).

    Examples
    --------
    >>> from umlib.text.corpus import cache_dir
    >>> import os
    >>> p = cache_dir()
    >>> p.name == "umbook" or os.environ.get("UMBOOK_CACHE") == str(p)
    True
    """
    override = os.environ.get(CACHE_ENV_VAR)
    if override:
        return Path(override).expanduser()
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "umbook"


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``.

    Used in Part I, "The microstate space", to show the corpus is the one published.

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The bytes to hash.

    Returns
    -------
    str
        64 lowercase hex digits.

    Examples
    --------
    >>> from umlib.text.corpus import sha256
    >>> sha256(b"")[:16]
    'e3b0c44298fc1c14'
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    return hashlib.sha256(bytes(data)).hexdigest()


def _verify(data: bytes, where: str, expected: str) -> bytes:
    if len(data) != N_BYTES:
        raise CorpusError(f"{where}: expected {N_BYTES} bytes, got {len(data)}. {_HOWTO}")
    got = sha256(data)
    if got != expected:
        raise CorpusError(f"{where}: SHA-256 mismatch (got {got}, expected {expected}); "
                          f"this is not the first {N_BYTES} bytes of enwik9. Delete or replace "
                          f"the file. {_HOWTO}")
    return data


def inflate_head(stream, n: int = N_BYTES, chunk: int = 4096) -> tuple[bytes, int]:
    r"""Inflate the first ``n`` bytes of the first member of a zip read from ``stream``.

    Reads the zip *local file header* (signature ``PK\x03\x04``), skips the member's
    name and extra field, and feeds the compressed bytes to a raw-deflate decompressor
    (or copies them, for a stored member) until ``n`` bytes are out.  Nothing after
    that is read.

    Used in Part I, "The microstate space" (through :func:`load_corpus`).

    Parameters
    ----------
    stream : binary file-like
        Anything with ``read(size)`` (an HTTP response, an open file, ``io.BytesIO``).
    n : int
        Number of uncompressed bytes wanted (>= 1).
    chunk : int
        Read size in bytes.

    Returns
    -------
    data : bytes
        The first ``n`` bytes of the member.
    n_read : int
        Number of bytes read from ``stream`` (header included).

    Raises
    ------
    CorpusError
        If the stream is not a zip, uses an unsupported compression method, or ends
        before ``n`` bytes could be inflated.

    Examples
    --------
    >>> import io, zipfile
    >>> from umlib.text.corpus import inflate_head
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("m", b"abc" * 10000)
    >>> data, n_read = inflate_head(io.BytesIO(buf.getvalue()), n=6, chunk=16)
    >>> data, n_read < len(buf.getvalue())
    (b'abcabc', True)
    """
    if not callable(getattr(stream, "read", None)):
        raise TypeError(f"stream must be a binary file-like object with read(size), got "
                        f"{type(stream).__name__}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an int >= 1, got {n!r}")
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be an int >= 1, got {chunk!r}")
    # the head is held in memory: 2**30 bytes is far past the 1024 the book reads
    for name, v in (("n", n), ("chunk", chunk)):
        if v > 2 ** 30:
            raise ValueError(f"{name} must be <= 2**30 bytes, got {v}")
    n_read = 0

    def read_exact(k: int) -> bytes:
        nonlocal n_read
        buf = b""
        while len(buf) < k:
            part = stream.read(k - len(buf))
            if not part:
                break
            buf += part
        n_read += len(buf)
        return buf

    header = read_exact(30)
    if len(header) < 4 or header[:4] != b"PK\x03\x04":
        raise CorpusError(f"the data is not a zip file (it starts with {header[:16]!r}). "
                          f"{_HOWTO}")
    if len(header) < 30:
        raise CorpusError(f"the zip stream is truncated inside its header. {_HOWTO}")
    (_, _, flags, method, _, _, _, _, _, name_len, extra_len) = struct.unpack(
        "<IHHHHHIIIHH", header)
    if flags & 0x1:
        raise CorpusError("the zip member is encrypted; " + _HOWTO)
    if method not in (0, 8):
        raise CorpusError(f"unsupported zip compression method {method} "
                          f"(only stored and deflate are read). {_HOWTO}")
    skipped = read_exact(name_len + extra_len)
    if len(skipped) < name_len + extra_len:
        raise CorpusError(f"the zip stream is truncated inside its header. {_HOWTO}")
    out = bytearray()
    inflater = zlib.decompressobj(-15) if method == 8 else None
    while len(out) < n:
        if inflater is not None and inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
        else:
            data = stream.read(chunk)
            n_read += len(data)
            if not data:
                raise CorpusError(f"the download ended after only {len(out)} of the first "
                                  f"{n} bytes had been inflated (truncated stream). {_HOWTO}")
        if inflater is None:
            out += data
        else:
            try:
                out += inflater.decompress(data, n - len(out))
            except zlib.error as exc:
                raise CorpusError(f"the zip member's deflate stream is corrupt ({exc}). "
                                  f"{_HOWTO}") from None
            if inflater.eof and len(out) < n:
                raise CorpusError(f"the zip member holds only {len(out)} bytes, fewer than "
                                  f"{n}. {_HOWTO}")
    return bytes(out[:n]), n_read


def fetch_head(url: str = HUTTER_URL, n: int = N_BYTES, timeout: float = 30.0) -> bytes:
    """Download ``url`` (a zip) and return the first ``n`` bytes of its single member.

    The response is streamed through :func:`inflate_head` and closed as soon as
    enough is inflated.  No checksum is checked here (see :func:`load_corpus`).

    Used in Part I, "The microstate space" (through :func:`load_corpus`).

    Parameters
    ----------
    url : str, default HUTTER_URL
        Where the zip is served.
    n : int, default N_BYTES
        Number of uncompressed bytes wanted.
    timeout : float, default 30.0
        Network timeout in seconds, > 0.

    Returns
    -------
    bytes
        The first ``n`` bytes of the member.

    Raises
    ------
    CorpusError
        On any network error, HTTP error, non-zip answer or truncated stream.
    """
    if not isinstance(url, str) or not url:
        raise TypeError("url must be a non-empty string")
    if not timeout > 0:
        raise ValueError(f"timeout must be > 0, got {timeout!r}")
    request = urllib.request.Request(url, headers={"User-Agent": "umlib-corpus/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data, _ = inflate_head(response, n)
    except CorpusError as exc:
        raise CorpusError(f"downloading {url}: {exc}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise CorpusError(f"could not download {url} ({exc}); no network? {_HOWTO}") from None
    return data


def _from_folder(folder: Path, n: int) -> tuple[bytes, str]:
    if not folder.is_dir():
        raise CorpusError(f"{ENV_VAR}={folder} is not a folder. Point {ENV_VAR} at a folder "
                          f"holding {FILENAME}, enwik9 or enwik9.zip, or unset it to use the "
                          f"cache and the download.")
    head = folder / FILENAME
    if head.is_file():
        return head.read_bytes(), str(head)
    raw = folder / "enwik9"
    if raw.is_file():
        with raw.open("rb") as fh:
            return fh.read(n), str(raw)
    zpath = folder / "enwik9.zip"
    if zpath.is_file():
        try:
            with zipfile.ZipFile(zpath) as z:
                names = z.namelist()
                if len(names) != 1:
                    raise CorpusError(f"{zpath} must hold one member, found {len(names)}")
                with z.open(names[0]) as fh:
                    return fh.read(n), str(zpath)
        except zipfile.BadZipFile as exc:
            raise CorpusError(f"{zpath} is not a valid zip ({exc}). {_HOWTO}") from None
    raise CorpusError(f"{ENV_VAR}={folder} holds none of {FILENAME}, enwik9, enwik9.zip. "
                      f"{_HOWTO}")


def load_corpus(*, data_dir=None, cache=None, url: str = HUTTER_URL, download: bool = True,
                expected_sha256: str = SHA256, timeout: float = 30.0) -> bytes:
    """The first 1024 bytes of enwik9, checked against their SHA-256.

    Derived in Part I, "The microstate space"; every chapter of Parts I and II starts
    from it.

    Parameters
    ----------
    data_dir : path-like, optional
        Folder to read from; default: the value of ``UMBOOK_DATA`` if set.  When a
        folder is named (either way) and does not hold the data, that is an error
        (it is never silently skipped).
    cache : path-like, optional
        Cache folder; default :func:`cache_dir`.
    url : str
        Where to download ``enwik9.zip`` from (tests serve their own zip).
    download : bool
        Whether a download may be attempted when neither folder nor cache holds it.
    expected_sha256 : str
        The checksum the bytes must have (tests pass their own).
    timeout : float
        Network timeout in seconds.

    Returns
    -------
    bytes
        Exactly :data:`N_BYTES` bytes.

    Examples
    --------
    >>> import os
    >>> from umlib.text.corpus import load_corpus
    >>> data = load_corpus() if os.environ.get("UMBOOK_DATA") else b"<mediawiki" + bytes(1014)
    >>> data[:10]
    b'<mediawiki'
    """
    if not (isinstance(expected_sha256, str) and len(expected_sha256) == 64):
        raise ValueError("expected_sha256 must be a 64-character hex string")
    if data_dir is None and os.environ.get(ENV_VAR):
        data_dir = os.environ[ENV_VAR]
    if data_dir is not None:
        data, where = _from_folder(Path(data_dir).expanduser(), N_BYTES)
        return _verify(data, where, expected_sha256)
    folder = Path(cache).expanduser() if cache is not None else cache_dir()
    cached = folder / FILENAME
    if cached.is_file():
        return _verify(cached.read_bytes(), f"cached file {cached}", expected_sha256)
    if not download:
        raise CorpusError(f"the corpus is not in the cache ({cached}) and download=False. "
                          + _HOWTO)
    data = fetch_head(url, N_BYTES, timeout)
    _verify(data, f"download from {url}", expected_sha256)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (FILENAME + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, cached)
    return data
