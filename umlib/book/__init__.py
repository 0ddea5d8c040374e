"""The book's machinery: how a chapter proves itself and what it ships.

* :mod:`~umlib.book.gates` — named checks with tolerances, negative controls and the
  records the ledger reads;
* :mod:`~umlib.book.records` — the record a chapter's gates leave, and how the built book
  renders it;
* :mod:`~umlib.book.ledger` — the claim ledger and its errata;
* :mod:`~umlib.book.glue` — numbers glued from a notebook into its prose;
* :mod:`~umlib.book.weights` — trained weights shipped as checksummed ``.npz`` files,
  read without pickle, with the recipe they were trained with.

The domain packages import :mod:`~umlib.book.weights` to save and load what they train;
nothing else in :mod:`umlib.book` is imported by the mathematics.
"""
