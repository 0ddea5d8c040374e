"""What caching a network costs: bytes of activations and of weights, for the small network and for transformer shapes.

Used in "Inspecting a network: caching, patching, the logit lens".
"""

from __future__ import annotations
from dataclasses import dataclass
import numpy as np
from ...core.validate import count, positive_scalar, record_fields
from .model import ResNet

__all__ = [
    "cache_bytes",
    "TransformerShape",
    "weights_bytes",
    "transformer_cache_bytes",
]


def cache_bytes(net: ResNet, n_prompts: int, bytes_per_value: int = 8) -> int:
    """Bytes that :meth:`~umlib.networks.features.model.ResNet.run` with ``cache=True`` stores for ``n_prompts`` prompts.

    Per prompt and position: ``L + 1`` residual vectors of width ``d``, and per
    layer the mix and mid-stream vectors (``2 d``) and the MLP pre- and
    post-activations (``2 d_mlp``); plus ``K`` logits per prompt.  Used in Part V,
    "Inspecting a network: caching, patching, the logit lens" (checked against a
    real cache).

    Parameters
    ----------
    net : ResNet
        The network.
    n_prompts : int
        Prompts in the batch, >= 1.
    bytes_per_value : int
        Bytes per stored number (8 for float64).

    Returns
    -------
    int
        Bytes.

    Examples
    --------
    >>> from umlib.networks.features import ResNet, cache_bytes
    >>> cache_bytes(ResNet.init(5, 3, 4, 8, 2, 2), 10)
    14560
    """
    if not isinstance(net, ResNet):
        raise TypeError(f"net must be a ResNet, got {type(net).__name__}")
    N = count("n_prompts", n_prompts, minimum=1)
    bytes_per_value = count("bytes_per_value", bytes_per_value, minimum=1, maximum=64)
    L, d, T = net.n_layers, net.d, net.seq_len
    d_mlp = net.W1[0].shape[1] if L else 0
    per_position = (L + 1) * d + L * (2 * d + 2 * d_mlp)
    return bytes_per_value * N * (T * per_position + net.U.shape[1])


@dataclass(frozen=True)
class TransformerShape:
    """The shape of a decoder-only transformer, for memory arithmetic.

    Defaults are a 7-billion-parameter class model (32 layers, width 4096, MLP width
    11008, 32 heads, vocabulary 32000).  Used in Part V,
    "Inspecting a network: caching, patching, the logit lens".

    Parameters
    ----------
    n_layers : int
        Layers L.
    d_model : int
        Residual width d.
    d_mlp : int
        MLP hidden width.
    n_heads : int
        Attention heads H.
    vocab : int
        Vocabulary size (embedding and unembedding rows).
    gated_mlp : bool
        A gated MLP (three weight matrices) instead of two.
    """

    def __post_init__(self) -> None:
        record_fields(self)

    n_layers: int = 32
    d_model: int = 4096
    d_mlp: int = 11008
    n_heads: int = 32
    vocab: int = 32000
    gated_mlp: bool = True

    def n_params(self) -> int:
        """Parameters: embeddings + unembedding + per layer (4 d^2 attention + MLP).

        Examples
        --------
        >>> from umlib.networks.features import TransformerShape
        >>> round(TransformerShape().n_params() / 1e9, 3)
        6.738
        """
        d, L = self.d_model, self.n_layers
        mlp = (3 if self.gated_mlp else 2) * d * self.d_mlp
        return int(2 * self.vocab * d + L * (4 * d * d + mlp + 2 * d) + d)


def weights_bytes(shape: TransformerShape, bytes_per_param: float = 2.0) -> float:
    """Bytes of a transformer's weights at ``bytes_per_param``.

    Used in Part V, "Inspecting a network: caching, patching, the logit lens".

    Parameters
    ----------
    shape : TransformerShape
        The model.
    bytes_per_param : float
        Bytes per parameter, > 0 (2 for fp16/bf16, 0.5 for 4-bit).

    Returns
    -------
    float
        Bytes.
    """
    if not isinstance(shape, TransformerShape):
        raise TypeError(f"shape must be a TransformerShape, got {type(shape).__name__}")
    return shape.n_params() * positive_scalar("bytes_per_param", bytes_per_param)


def transformer_cache_bytes(shape: TransformerShape, n_ctx: int, batch: int = 1,
                            bytes_per_value: float = 4.0, resid_vectors: int = 9,
                            mlp_vectors: int = 2, attn_maps: int = 2) -> float:
    r"""Bytes of a full activation cache of one forward pass of a transformer.

    .. math::

        \text{bytes} = b\,B\,n_\text{ctx}\,L\,\big(r\,d + m\,d_\text{mlp}
                        + a\,H\,n_\text{ctx}\big)

    with ``r`` vectors of width ``d`` per layer and position (residual
    pre/mid/post, attention and MLP outputs, q, k, v, z: 9), ``m`` of width
    ``d_mlp`` (pre and post activation: 2), and ``a`` attention maps per head
    (scores and pattern: 2), each ``n_ctx`` long per query position.  The
    ``n_ctx^2`` term makes long prompts dominate; nothing grows exponentially.
    Used in Part V, "Inspecting a network: caching, patching, the logit lens".

    Parameters
    ----------
    shape : TransformerShape
        The model.
    n_ctx : int
        Context length in tokens, >= 1.
    batch : int
        Prompts B, >= 1.
    bytes_per_value : float
        Bytes per stored number b, > 0.
    resid_vectors, mlp_vectors, attn_maps : int
        r, m and a above.

    Returns
    -------
    float
        Bytes.

    Examples
    --------
    >>> from umlib.networks.features import TransformerShape, transformer_cache_bytes
    >>> transformer_cache_bytes(TransformerShape(n_layers=1, d_model=2, d_mlp=3, n_heads=1),
    ...                         n_ctx=2, bytes_per_value=1)
    56.0
    """
    if not isinstance(shape, TransformerShape):
        raise TypeError(f"shape must be a TransformerShape, got {type(shape).__name__}")
    for name, v in [("n_ctx", n_ctx), ("batch", batch)]:
        count(name, v, minimum=1)
    for name, v in [("resid_vectors", resid_vectors), ("mlp_vectors", mlp_vectors),
                    ("attn_maps", attn_maps)]:
        count(name, v, minimum=0)
    b = positive_scalar("bytes_per_value", bytes_per_value)
    per_pos = (resid_vectors * shape.d_model + mlp_vectors * shape.d_mlp
               + attn_maps * shape.n_heads * n_ctx)
    return float(b * batch * n_ctx * shape.n_layers * per_pos)
