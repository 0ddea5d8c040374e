"""The book's dials and pictures.  Widgets import the mathematics; the mathematics never
imports widgets (tests/widgets/test_protocol.py walks the imports to hold this).

* :mod:`~umlib.widgets.protocol` — the one dial protocol: declared controls, a pure
  ``readout(state)``, a pure ``render(readout)``, and one lifecycle
  (``state()``, ``build()``, ``update()``); and what makes the HTML book's dials live
  with no kernel (a dial's spec, ``remake``, ``state_table``);
* :mod:`~umlib.widgets.svg` — pure functions from numbers to SVG pictures;
* one module per dial: :mod:`~umlib.widgets.temperature` (Part III),
  :mod:`~umlib.widgets.staircase` (Part II), :mod:`~umlib.widgets.saturation`
  (Part I), :mod:`~umlib.widgets.lattice` and :mod:`~umlib.widgets.double_well`
  (Part IV), :mod:`~umlib.widgets.intervention` and :mod:`~umlib.widgets.sparsity`
  (Part V).
"""
