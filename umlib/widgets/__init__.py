"""The book's dials and pictures.  Widgets import the mathematics; the mathematics never
imports widgets.

* :mod:`~umlib.widgets.svg` — pure functions from numbers to SVG pictures;
* one module per dial: :mod:`~umlib.widgets.temperature` (Part III),
  :mod:`~umlib.widgets.staircase` (Part II), :mod:`~umlib.widgets.saturation`
  (Part I), :mod:`~umlib.widgets.lattice` (Part IV), :mod:`~umlib.widgets.intervention`
  and :mod:`~umlib.widgets.sparsity` (Part V).
"""
