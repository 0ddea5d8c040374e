"""Determinism of the notebooks, checked on nbval's own execution.

nbval executes every notebook once and compares its text outputs with the stored
ones.  This plugin records everything that execution sent back (every output
message, figures included, and every widget message) and, after the notebook's last
cell, executes the notebook a second time in a fresh kernel started the same way;
the two records must be identical, byte for byte.  So each notebook runs twice in
the suite, and the second run is a test item of its own,
``<notebook>::determinism``, placed after the notebook's cells.

What "the same" means depends on where it is measured:

- on one machine, two executions must give identical messages, figures and widget
  state included: nothing may depend on the clock, on random state left unseeded,
  on dictionary or set order, or on what ran before in the same process;
- between machines, the last bits of ``exp``, ``log``, sums and matrix products
  differ (numpy's SIMD kernels and the BLAS kernel are chosen for the CPU), so an
  execution anywhere must agree with the stored file *as nbval compares it* (text
  outputs and gate records; image bytes are not compared).  nbval checks that on
  the reader's machine, and CI runs nbval a second time with numpy's SIMD dispatch
  switched down (``NPY_DISABLE_CPU_FEATURES``).

The record is canonical: consecutive stream messages of a cell are joined (a
stream's chunking depends on timing, not on the notebook), the random ids that
ipywidgets and display ids carry are renamed in order of first appearance, and
binary buffers are replaced by their SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re

import pytest

#: iopub messages that carry what a notebook shows or what its widgets hold
RECORDED = {"stream", "display_data", "execute_result", "error", "update_display_data",
            "clear_output", "comm_open", "comm_msg", "comm_close"}

# a UUID, hyphenated or not, standing alone (a SHA-256 digest is longer and is kept)
_RANDOM_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?"
                        r"[0-9a-f]{12}(?![0-9a-f])")

ITEM_NAME = "determinism"


def canonical(log: list) -> str:
    """The record of one execution, as a string two executions can be compared by.

    ``log`` holds, in order, a ``("cell", i)`` marker before each cell's messages and
    the iopub messages read while that cell ran.
    """
    out: list[list] = []
    for entry in log:
        if isinstance(entry, tuple):
            out.append(["cell", entry[1]])
            continue
        kind = entry["msg_type"]
        if kind not in RECORDED:
            continue
        content = dict(entry["content"])
        if kind == "stream" and out and out[-1][0] == "stream" \
                and out[-1][1]["name"] == content.get("name"):
            out[-1][1]["text"] += content.get("text", "")
            continue
        buffers = [hashlib.sha256(bytes(b)).hexdigest() for b in entry.get("buffers") or []]
        out.append([kind, content, buffers])
    text = json.dumps(out, sort_keys=True, default=str)
    names: dict[str, str] = {}
    return _RANDOM_ID.sub(lambda m: names.setdefault(m.group(0), f"id-{len(names)}"), text)


def first_difference(a: str, b: str) -> str:
    """The first lines where two records differ, for a failure message."""
    import difflib
    split = lambda s: s.replace('], ["', '],\n["').splitlines(True)  # noqa: E731
    return "".join(list(difflib.unified_diff(split(a), split(b), "nbval's execution",
                                             "second execution", n=0))[:40])[:6000]


def execute_like_nbval(path, sources: list[str], kernel_name: str, startup_timeout: int = 60,
                       timeout: float = 600) -> list:
    """Execute ``sources`` in a fresh kernel exactly as nbval does, and log what comes back.

    The kernel is started as nbval's :class:`nbval.kernel.RunningKernel` starts one, in
    the notebook's folder; each cell is sent as nbval sends it and its iopub messages are
    read until the kernel is idle again.
    """
    import os

    from nbval.kernel import RunningKernel, start_new_kernel

    # RunningKernel's own start, with its stderr sink closed afterwards (an unclosed
    # file would surface as a warning in whichever test runs when it is collected)
    devnull = open(os.devnull, "w")
    kernel = RunningKernel.__new__(RunningKernel)
    kernel.km, kernel.kc = start_new_kernel(startup_timeout=startup_timeout,
                                            kernel_name=kernel_name, stderr=devnull,
                                            cwd=str(path.parent))
    log: list = []
    try:
        kernel._ensure_iopub_up()
        for i, source in enumerate(sources):
            log.append(("cell", i))
            msg_id = kernel.execute_cell_input(source, allow_stdin=False)
            kernel.await_reply(msg_id, timeout=timeout)
            while True:
                msg = kernel.get_message("iopub", timeout=timeout)
                log.append(msg)
                if msg["parent_header"].get("msg_id") == msg_id \
                        and msg["msg_type"] == "status" \
                        and msg["content"]["execution_state"] == "idle":
                    break
    finally:
        kernel.stop()
        devnull.close()
    return log


class DeterminismItem(pytest.Item):
    """A second execution of a notebook, compared with nbval's first."""

    def runtest(self):
        nbfile = self.parent
        if getattr(nbfile, "_umbook_failed", False):
            pytest.skip("a cell of this notebook failed under nbval")
        first = canonical(getattr(nbfile, "_umbook_log", []))
        cells = [c for c in nbfile.nb.cells if c.cell_type == "code"]
        from nbval.plugin import CURRENT_ENV_KERNEL_NAME
        option = self.config.option
        kernel_name = (CURRENT_ENV_KERNEL_NAME if option.nbval_current_env else
                       option.nbval_kernel_name or
                       nbfile.nb.metadata.get("kernelspec", {}).get("name", "python"))
        second = canonical(execute_like_nbval(
            nbfile.path, [c.source for c in cells], kernel_name,
            option.nbval_kernel_startup_timeout, option.nbval_cell_timeout or 600))
        if first != second:
            raise AssertionError(f"{nbfile.path.name} differs between two executions:\n"
                                 + first_difference(first, second))

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::{ITEM_NAME}"


def install() -> None:
    """Make nbval's notebooks keep a log of their execution (called by conftest), and
    close the stderr sink nbval opens for each notebook's kernel."""
    from nbval.plugin import IPyNbCell, IPyNbFile

    if getattr(IPyNbFile, "_umbook_logging", False):
        return
    get_message = IPyNbFile.get_kernel_message
    runtest = IPyNbCell.runtest

    def logged_get_message(self, timeout=None, stream="iopub"):
        msg = get_message(self, timeout=timeout, stream=stream)
        if stream == "iopub":
            self.__dict__.setdefault("_umbook_log", []).append(msg)
        return msg

    def marked_runtest(self):
        nbfile = self.parent
        log = nbfile.__dict__.setdefault("_umbook_log", [])
        log.append(("cell", sum(1 for e in log if isinstance(e, tuple))))
        try:
            runtest(self)
        except BaseException:
            nbfile._umbook_failed = True
            raise

    teardown = IPyNbFile.teardown

    def closing_teardown(self):
        # nbval opens os.devnull as its kernel's stderr and never closes it; collected
        # later, it would warn inside whatever test runs then (warnings are errors)
        km = getattr(getattr(self, "kernel", None), "km", None)
        sink = (getattr(km, "_launch_args", None) or {}).get("stderr")
        try:
            teardown(self)
        finally:
            if hasattr(sink, "close"):
                sink.close()

    IPyNbFile.get_kernel_message = logged_get_message
    IPyNbCell.runtest = marked_runtest
    IPyNbFile.teardown = closing_teardown
    IPyNbFile._umbook_logging = True


def add_items(items: list) -> None:
    """After each notebook whose every cell is selected, add its determinism item."""
    from nbval.plugin import IPyNbCell

    by_file: dict = {}
    for item in items:
        if isinstance(item, IPyNbCell):
            by_file.setdefault(item.parent, []).append(item)
    for nbfile, cells in by_file.items():
        n_code = sum(1 for c in nbfile.nb.cells if c.cell_type == "code")
        if len(cells) != n_code or any(c.options.get("skip") for c in cells):
            continue
        extra = DeterminismItem.from_parent(nbfile, name=ITEM_NAME)
        items.insert(items.index(cells[-1]) + 1, extra)
