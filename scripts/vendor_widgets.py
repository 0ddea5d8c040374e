"""Fetch the widget manager the static book needs, so that pages work offline.

The rendered book shows the saved state of each ipywidgets control.  That
needs two scripts which Jupyter Book 1 would otherwise load from CDNs:
RequireJS and the Jupyter widgets HTML manager (``embed-amd.js``, which bundles
the standard controls).  This script takes pinned releases from the npm
registry with ``npm pack``, checks their SHA-256, and copies the files the
pages load into ``book/_static/vendor/``, where they are committed.

Usage: python scripts/vendor_widgets.py   (needs npm; run it only to upgrade)
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "book" / "_static" / "vendor"

PACKAGES = {
    # npm spec: (tarball name, sha256 of the tarball)
    "@jupyter-widgets/html-manager@1.0.15": (
        "jupyter-widgets-html-manager-1.0.15.tgz",
        "2b9d65cb7913e1c7d671757a10008b32c9c2448d4429513371e55c07d6107638"),
    "requirejs@2.3.8": (
        "requirejs-2.3.8.tgz",
        "777158e89275e16bd51aec3ef714fbcb5dc45789e7078659933bc814916d7dec"),
}

NOTICE = """Third-party files served with the book (not written by this project).

html-manager/  @jupyter-widgets/html-manager 1.0.15 (dist/embed-amd.js and the font
               files it references), from the npm registry.
               Copyright (c) Jupyter Development Team. BSD-3-Clause licence.
require.js     requirejs 2.3.8, from the npm registry.
               Copyright jQuery Foundation and other contributors. MIT licence.

Fetched and checksummed by scripts/vendor_widgets.py.
"""


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for spec, (name, digest) in PACKAGES.items():
            subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True,
                           capture_output=True)
            got = hashlib.sha256((tmp / name).read_bytes()).hexdigest()
            if got != digest:
                raise SystemExit(f"{name}: SHA-256 {got} does not match the pinned {digest}")
            with tarfile.open(tmp / name) as tf:
                tf.extractall(tmp / name.removesuffix(".tgz"), filter="data")
        if DEST.exists():
            shutil.rmtree(DEST)
        (DEST / "html-manager").mkdir(parents=True)
        dist = tmp / "jupyter-widgets-html-manager-1.0.15" / "package" / "dist"
        for f in dist.iterdir():
            if f.name == "embed-amd.js" or f.suffix in (".woff2", ".woff", ".ttf", ".eot", ".svg"):
                shutil.copy2(f, DEST / "html-manager" / f.name)
        shutil.copy2(tmp / "requirejs-2.3.8" / "package" / "require.js", DEST / "require.js")
        (DEST / "NOTICE.txt").write_text(NOTICE)
    print(f"vendored into {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
