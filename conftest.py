"""Session-wide settings for the test suite."""

import os

# Kernels started by nbval and by the book build inherit this process's
# environment.  A MPLBACKEND such as "Agg" set by a CI machine would make
# plt.show() a no-op in the notebooks and their stored figures would go
# missing, so the notebooks always run with IPython's inline backend.
os.environ.pop("MPLBACKEND", None)

# Hypothesis: the default profile is used in CI; "mutation" keeps mutation-testing
# runs (hundreds of test-suite executions, see benchmarks/mutation.md) affordable.
from hypothesis import settings  # noqa: E402

settings.register_profile("mutation", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("UMBOOK_HYPOTHESIS_PROFILE", "default"))


# ---------------------------------------------------------------------------
# The book, built once per test session (tests/whole_book/test_build.py checks the build
# log and opens every page in Chromium).
# ---------------------------------------------------------------------------
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the whole book from clean, warnings as errors, exactly as the README does.

    The build renders the committed outputs (``_config.yml``: execution off); nbval,
    in the same suite, is what proves them current.  With several test workers the
    book is built once: the first worker to ask builds it under a lock, the others
    wait and read the same build.

    Returns (html_dir, returncode, log).
    """
    import fcntl
    import json

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run
    out, record = base / "book", base / "book-build.json"
    with open(base / "book-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.is_file():
            jb = Path(sys.executable).with_name("jupyter-book")
            cmd = [str(jb), "build", str(ROOT), "--all", "-W", "-n", "--keep-going",
                   "--path-output", str(out)]
            env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning",
                       UMBOOK_REPOSITORY_URL=_repository())
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
            record.write_text(json.dumps({"returncode": proc.returncode,
                                          "log": proc.stdout + proc.stderr}))
        built = json.loads(record.read_text())
    return out / "_build" / "html", built["returncode"], built["log"]


# The launch buttons are built from the repository's address; the test build uses
# this one unless UMBOOK_REPOSITORY_URL names the real one.
TEST_REPOSITORY = "https://github.com/umbook/one-z-two-temperatures"


def _repository() -> str:
    return os.environ.get("UMBOOK_REPOSITORY_URL") or TEST_REPOSITORY


@pytest.fixture(scope="session")
def repository_url() -> str:
    """The repository address the test build's launch buttons point at."""
    return _repository()


# ---------------------------------------------------------------------------
# Determinism: nbval's execution of each notebook is logged, and an item placed after
# the notebook's cells executes it a second time and compares
# (tests/whole_book/nbdeterminism.py).
# ---------------------------------------------------------------------------
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "umbook_nbdeterminism", ROOT / "tests" / "whole_book" / "nbdeterminism.py")
nbdeterminism = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = nbdeterminism
_spec.loader.exec_module(nbdeterminism)
nbdeterminism.install()

pytest_plugins = ["pytester"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Give nbval's cells a longer wait for kernel output, and add the determinism items.

    nbval waits 5 s for each output message of a cell and fails the cell if one is
    late.  With two test workers, the book build and the PDF build running at once
    on a two-core machine, a kernel can stall longer than that without anything
    being wrong; the cell's own execution timeout (--nbval-cell-timeout) still holds.
    The determinism items are added last, after any deselection, and only for
    notebooks whose every cell runs.
    """
    for item in items:
        if hasattr(item, "output_timeout"):
            item.output_timeout = 60
    nbdeterminism.add_items(items)
