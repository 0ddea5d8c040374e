"""The dates of the ideas Part IV's source strings together, and a check for anachronisms.

Used in "Learning machines as Ising engines".
"""

from __future__ import annotations

__all__ = ["LINEAGE", "lineage_anachronisms"]


LINEAGE = {
    "nodes": {
        "AN": ("Artificial neuron", "McCulloch & Pitts", 1943),
        "Perc": ("Perceptron", "Rosenblatt", 1957),
        "MLP": ("Multilayer perceptron", "Rosenblatt", 1961),
        "Ising": ("Ising model", "Ising", 1925),
        "SG": ("Spin glass", "Sherrington & Kirkpatrick", 1975),
        "Hop": ("Hopfield net", "Hopfield", 1982),
        "BM": ("Boltzmann machine", "Hinton et al.", 1983),
        "RBM": ("Restricted Boltzmann machine", "Smolensky", 1986),
        "DBN": ("Deep belief nets", "Hinton et al.", 2006),
        "ML": ("Machine learning", "", None),
        "BGN": ("Boolean gene nets", "Kauffman", 1969),
        "WGN": ("Wagner gene network", "Wagner", 1994),
        "GRM": ("Gene regulation models", "", None),
    },
    "edges": [("AN", "Perc"), ("AN", "MLP"), ("Perc", "MLP"), ("Ising", "SG"), ("SG", "Hop"),
              ("SG", "BM"), ("MLP", "Hop"), ("Hop", "BM"), ("BM", "RBM"), ("RBM", "DBN"),
              ("DBN", "ML"), ("Hop", "BGN"), ("BGN", "WGN"), ("WGN", "GRM")],
}
"""The source's lineage chart (Part IV, "Learning machines as Ising engines"), with its years."""


def lineage_anachronisms(lineage: dict = LINEAGE) -> list[tuple[str, str, int, int]]:
    """Edges u → v of an influence chart whose source is dated after its target.

    Used in Part IV, "Learning machines as Ising engines" (the source's lineage
    chart, :data:`LINEAGE`, checked against its own dates).

    Parameters
    ----------
    lineage : dict
        ``{"nodes": {key: (name, authors, year or None)}, "edges": [(u, v), ...]}``.

    Returns
    -------
    list of (str, str, int, int)
        ``(u, v, year_u, year_v)`` for each edge with year_u > year_v (undated
        nodes are skipped).

    Examples
    --------
    >>> from umlib.physics.learning import lineage_anachronisms
    >>> lineage_anachronisms()
    [('Hop', 'BGN', 1982, 1969)]
    """
    if not isinstance(lineage, dict) or not {"nodes", "edges"} <= set(lineage):
        raise TypeError("lineage must be a dict with 'nodes' and 'edges' (like LINEAGE)")
    nodes = lineage["nodes"]
    out = []
    try:
        pairs = [(u, v, nodes[u][2], nodes[v][2]) for u, v in lineage["edges"]]
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise ValueError(f"lineage is malformed: edges must be (node, node) pairs of keys of "
                         f"nodes, each node (name, authors, year or None) ({exc!r})") from None
    for u, v, yu, yv in pairs:
        if (yu is not None and not isinstance(yu, int)) or \
                (yv is not None and not isinstance(yv, int)):
            raise ValueError(f"lineage: the years of {u!r} and {v!r} must be ints or None")
        if yu is not None and yv is not None and yu > yv:
            out.append((u, v, yu, yv))
    return out
