"""The book's reading conventions in the library: glued numbers at meaningful digits, a
one-line answer check for exercises, a readable line per gate, and the box "What the
source says" rendered from a chapter's ledger rows."""

import csv

import pytest

from umlib.book import gates, glue, ledger


@pytest.fixture(autouse=True)
def fresh_log():
    return gates.new_log("test")


# -- meaningful digits --------------------------------------------------------------
def test_meaningful_defaults_to_three_significant_digits():
    assert glue.meaningful(0.698869) == 0.699
    assert glue.meaningful(69.8869) == 69.9
    assert glue.meaningful(123456.0) == 123000.0


def test_meaningful_keeps_the_digits_the_error_supports():
    assert glue.meaningful(0.63542, err=0.0034) == 0.635
    assert glue.meaningful(0.63542, err=0.034) == 0.64
    assert glue.meaningful(0.63542, err=0.34) == 0.6
    # never more than `digits`, however small the error
    assert glue.meaningful(0.63542, err=1e-9) == 0.635
    assert glue.meaningful(0.63542, err=1e-9, digits=5) == 0.63542


@pytest.mark.parametrize("err", [0.0, -1.0, float("inf"), float("nan")])
def test_meaningful_rejects_a_bad_error(err):
    with pytest.raises(ValueError, match="err"):
        glue.meaningful(1.0, err=err)


def test_meaningful_rejects_a_non_number():
    with pytest.raises(TypeError, match="err"):
        glue.meaningful(1.0, err="0.1")
    with pytest.raises(TypeError, match="x"):
        glue.meaningful("1.0")
    with pytest.raises(ValueError, match="x must be finite"):
        glue.meaningful(float("inf"))


def test_glue_value_rejects_an_empty_name():
    with pytest.raises(ValueError, match="name"):
        glue.glue_value("", 1.0)


# -- check_answer and show ------------------------------------------------------------
def test_check_answer_passes_and_prints(capsys):
    gates.check_answer("p at kT = 1", 0.632, 0.63212, atol=0.001)
    out = capsys.readouterr().out
    assert out == ("exercise ✓ p at kT = 1\n    answer 0.632, computed 0.6321 "
                   "(abs tolerance 0.001)\n")
    assert gates.current_log().results[-1].name == "exercise: p at kT = 1"


def test_check_answer_fails_a_wrong_answer(capsys):
    """Negative control: a wrong answer raises, and the line says so."""
    with pytest.raises(gates.GateFailure):
        gates.check_answer("p at kT = 1", 0.5, 0.63212, rtol=0.01)
    assert capsys.readouterr().out.startswith("exercise ✗ p at kT = 1")


@pytest.mark.parametrize("kw", [{}, {"rtol": 0.1, "atol": 0.1}])
def test_check_answer_needs_exactly_one_tolerance(kw):
    with pytest.raises(ValueError, match="exactly one of rtol and atol"):
        gates.check_answer("x", 1.0, 1.0, **kw)


@pytest.mark.parametrize("bad", [True, "1", float("nan"), None])
def test_check_answer_rejects_a_bad_answer(bad):
    with pytest.raises((TypeError, ValueError), match="answer"):
        gates.check_answer("x", bad, 1.0, rtol=0.1)


def test_show_prints_the_recorded_line(capsys):
    r = gates.gate_count("rungs below ground", 0, n=8)
    gates.show(r)
    with gates.expect_failure("one bad rung"):
        gates.gate_count("one rung below ground (control)", 1, n=8)
    gates.show()
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["gate ✓ rungs below ground",
                     "    measured 0 vs tolerance 0 (count, n = 8)",
                     "control ✗ one rung below ground (control)",
                     "    measured 1 vs tolerance 0 (count, n = 8) — fails, as it must"]


def test_show_prints_a_last_bit_figure_as_its_bound(capsys):
    gates.gate_ulp("tenths", 0.1 + 0.2, 0.3, max_ulp=4)
    gates.show()
    assert "measured <= 4 vs tolerance 4" in capsys.readouterr().out


def test_show_needs_a_result():
    with pytest.raises(ValueError, match="result"):
        gates.show()
    with pytest.raises(TypeError, match="result"):
        gates.show("pass")


# -- the box "What the source says" ---------------------------------------------------
ROWS = [
    {"id": "T-1", "part": "III", "source": "s", "claim": "Z_n is *one* sum", "kind": "identity",
     "verdict": "holds", "decision": "confirms", "measured": "0", "chapter": "part9/01-x",
     "gate": "g1", "correction": ""},
    {"id": "T-2", "part": "III", "source": "s", "claim": "costs $5", "kind": "identity",
     "verdict": "fails", "decision": "refutes", "measured": "1", "chapter": "part9/01-x",
     "gate": "g2", "correction": "it costs nothing"},
    {"id": "T-3", "part": "III", "source": "s", "claim": "a reading", "kind": "interpretation",
     "verdict": "not testable", "decision": "interpretation", "measured": "",
     "chapter": "", "gate": "", "correction": ""},
]


@pytest.fixture
def folder(tmp_path):
    with (tmp_path / "part9-01-x.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=ledger.COLUMNS)
        w.writeheader()
        w.writerows(ROWS)
    return tmp_path


def test_source_box_lists_every_row_with_its_verdict(folder):
    md = ledger.source_box("part9/01-x", folder)._repr_markdown_()
    assert md.startswith("```{admonition} What the source says\n")
    assert md.rstrip().endswith("```")
    items = [line for line in md.splitlines() if line.startswith("- ")]
    assert [i.split("**")[1] for i in items] == ["holds", "fails", "not testable"]
    # MyST markup in a claim is escaped, so the claim reads as written
    assert r"Z\_n is \*one\* sum" in items[0]
    assert r"costs \$5" in items[1]


def test_source_box_links_a_failing_row_to_its_erratum(folder):
    md = ledger.source_box("part9/01-x", folder)._repr_markdown_()
    fail = [line for line in md.splitlines() if "**fails**" in line][0]
    assert "*corrected:* it costs nothing" in fail
    assert "{doc}`erratum T-2 </book/appendix/errata>`" in fail
    assert md.count("{doc}") == 1                      # only failing rows link


def test_source_box_plain_text(folder):
    text = repr(ledger.source_box("part9/01-x", folder))
    assert text.splitlines() == [
        "What the source says", "- holds: Z_n is *one* sum",
        "- fails: costs $5 — corrected: it costs nothing (erratum T-2)",
        "- not testable: a reading (interpretation)"]


def test_source_box_reads_the_books_ledger():
    md = ledger.source_box("part3/05-boundary")._repr_markdown_()
    assert "erratum III-5.1" in md


@pytest.mark.parametrize("chapter", ["", "part3", 3, "part9/02-none"])
def test_source_box_rejects_an_unknown_chapter(chapter, folder):
    with pytest.raises(ValueError, match="chapter"):
        ledger.source_box(chapter, folder)
