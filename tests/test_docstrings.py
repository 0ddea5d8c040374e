"""Every public name of ``umlib`` has a NumPy-style docstring that names its chapter.

For each function and class listed in the ``__all__`` of every ``umlib`` module (found
with :func:`pkgutil.walk_packages`), the docstring must

* have a ``Parameters`` section when the object takes parameters (``self`` and, for
  classes that inherit a built-in constructor such as an exception's, nothing counts);
* have a ``Returns`` (or ``Yields``) section when a function returns something: its
  return annotation is not ``None`` or, unannotated, its body has a ``return``/``yield``
  with a value (classes are exempt);
* name a chapter: one of the book's chapter titles in double quotes, or the words
  "appendix", "every chapter" or "every module".

Constants in ``__all__`` (numbers, strings, tuples) have no docstring of their own
(they are documented by ``#:`` comments) and are not checked.  A name re-exported by a
package is checked once, in the module that defines it.

The negative controls at the end feed the checker fake functions with bare docstrings
and require it to find every fault.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap

import pytest

import umlib

CHAPTERS = (
    # Part I
    "The microstate space", "The macrostate space", "The partition function",
    "Factoring as coarse-graining", "The two directions of the thermodynamic map",
    "The free energy landscape", "The entropy budget", "Bidirectional factoring",
    "The Boltzmann distribution in detail", "Conclusion: the whole map",
    # Part II
    "The entropy bridge", "The factoring hierarchy", "Microstates and macrostates",
    "Q = λ: the quotient is the luck", "Compression is factoring",
    # Part III
    "One dial", "Face A, the guess", "Face B, the heat bath", "An identity, not an analogy",
    "The boundary and the false friend", "The spectra",
    "The temperature dial and the measurement",
    # Part IV
    "What the essay promises", "Phases, and convergence as a ground state",
    "The Ising model, exactly", "Ising dynamics on social graphs",
    "Learning machines as Ising engines", "Coarse-graining and the critical point",
    "A thermodynamic model of training, solved",
    # Part V
    "Emergence and effective information", "Causal emergence in a trained network",
    "Activation engineering: steering a concept",
    "Inspecting a network: caching, patching, the logit lens",
    "Superposition and sparse autoencoders", "Feature clamping",
    "The final turn: information entropy",
)

#: Public names exempt from the check, each with its reason ("module.Name": reason).
#: Only dataclasses that are plain records may be listed.  Empty: every record of the
#: library documents its fields under ``Parameters``.
EXEMPT: dict[str, str] = {}

_CHAPTER_RE = re.compile(
    "|".join(re.escape(f'"{t}"') for t in CHAPTERS)
    + r"|\bappendix\b|\bevery chapter\b|\bevery module\b",
    re.IGNORECASE)


def _has_section(doc: str, *titles: str) -> bool:
    """True when ``doc`` has a NumPy section headed by one of ``titles`` (underlined)."""
    lines = [ln.strip() for ln in doc.splitlines()]
    return any(a in titles and b and set(b) == {"-"} and len(b) >= len(a) - 1
               for a, b in zip(lines, lines[1:]))


def _takes_parameters(obj) -> bool:
    """Whether ``obj`` takes a parameter other than ``self``/``cls``."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):        # a built-in constructor (exceptions)
        return False
    params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
    if inspect.isclass(obj):
        init = getattr(obj, "__init__", None)
        own = getattr(init, "__module__", None) or ""
        if not own.startswith("umlib"):
            # the constructor is inherited from outside umlib: not this class's API
            params = [p for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    return bool(params)


def _returns_something(func) -> bool:
    """Whether a function returns a value (annotation first, else its own body)."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return False
    ann = sig.return_annotation
    if ann is not inspect.Signature.empty:
        return ann not in (None, "None")
    try:
        src = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return False
    tree = ast.parse(src)
    root = tree.body[0]

    def walk(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                  ast.ClassDef)):
                continue                    # nested scopes return for themselves
            if isinstance(child, (ast.Return, ast.Yield, ast.YieldFrom)):
                v = child.value
                if v is not None and not (isinstance(v, ast.Constant) and v.value is None):
                    return True
            if walk(child):
                return True
        return False

    return walk(root)


def problems(obj) -> list[str]:
    """What ``obj``'s docstring lacks (an empty list when it complies)."""
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
    if not doc or not doc.strip():
        return ["no docstring"]
    out = []
    if not doc.strip().splitlines()[0].strip():
        out.append("no one-line summary")
    if _takes_parameters(obj) and not _has_section(doc, "Parameters"):
        out.append("no Parameters section")
    if not inspect.isclass(obj) and _returns_something(obj) \
            and not _has_section(doc, "Returns", "Yields"):
        out.append("no Returns section")
    if not _CHAPTER_RE.search(doc):
        out.append("names no chapter")
    return out


def _public_names() -> list[tuple[str, str]]:
    """(module, name) for every function and class in a ``umlib`` module's ``__all__``."""
    mods = [umlib] + [importlib.import_module(m.name) for m in
                      pkgutil.walk_packages(umlib.__path__, "umlib.")]
    seen, out = set(), []
    for mod in mods:
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue                    # constants: documented by #: comments
            home = getattr(obj, "__module__", "") or ""
            if not home.startswith("umlib"):
                continue
            key = (home, obj.__qualname__)
            if key in seen:
                continue
            seen.add(key)
            out.append(key)
    return sorted(out)


PUBLIC = _public_names()


@pytest.mark.parametrize("module,name", PUBLIC, ids=[f"{m}.{n}" for m, n in PUBLIC])
def test_public_docstring(module, name):
    if f"{module.split('.')[-1]}.{name}" in EXEMPT or f"{module}.{name}" in EXEMPT:
        pytest.skip(EXEMPT.get(f"{module}.{name}") or EXEMPT[f"{module.split('.')[-1]}.{name}"])
    obj = getattr(importlib.import_module(module), name)
    assert not problems(obj), f"{module}.{name}: {', '.join(problems(obj))}"


def test_walk_finds_the_library():
    """The walk reaches every package (a broken walk would pass every check vacuously)."""
    homes = {m.split(".")[1] for m, _ in PUBLIC}
    assert {"core", "book", "text", "physics", "networks", "widgets"} <= homes
    assert ("umlib.core.thermo", "softmax") in PUBLIC
    assert len(PUBLIC) > 100


# ---------------------------------------------------------------------------
# negative controls: the checker must fail a bare docstring
# ---------------------------------------------------------------------------

def _bare(x, y=1.0):
    """Add two numbers."""
    return x + y


def _good(x, y=1.0):
    """Add two numbers.

    Used in Part III, "One dial".

    Parameters
    ----------
    x, y : float
        The summands.

    Returns
    -------
    float
        Their sum.
    """
    return x + y


def _silent(x):
    """Print ``x``.

    Used in every chapter.

    Parameters
    ----------
    x : object
        What to print.
    """
    print(x)


class _BareRecord:
    """A record."""

    def __init__(self, a):
        self.a = a


def test_checker_fails_a_bare_docstring():
    assert problems(_bare) == ["no Parameters section", "no Returns section",
                               "names no chapter"]


def test_checker_fails_a_missing_docstring_and_a_bare_class():
    def nodoc():
        return 1
    assert problems(nodoc) == ["no docstring"]
    assert problems(_BareRecord) == ["no Parameters section", "names no chapter"]


def test_checker_fails_a_wrong_chapter_title():
    def f(x):
        """Do nothing.

        Used in Part III, "One knob".

        Parameters
        ----------
        x : float
            Ignored.
        """
    assert problems(f) == ["names no chapter"]


def test_checker_passes_a_complete_docstring():
    assert problems(_good) == []
    assert problems(_silent) == []         # returns nothing: no Returns needed


def test_every_module_is_in_the_api_appendix():
    """The appendix "The umlib API" documents every public module (one automodule each)."""
    import pkgutil
    import re
    from pathlib import Path

    import umlib

    api = (Path(__file__).resolve().parents[1] / "book" / "appendix" / "api.md").read_text()
    documented = set(re.findall(r"(?m)^\.\. automodule:: (\S+)", api))
    modules = {m.name for m in pkgutil.walk_packages(umlib.__path__, "umlib.")
               if not any(part.startswith("_") for part in m.name.split("."))}
    missing = sorted(modules - documented)
    assert not missing, f"modules missing from book/appendix/api.md: {missing}"
    assert not documented - modules - {"umlib"}, "api.md documents modules that do not exist"
