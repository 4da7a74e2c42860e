"""Fusion of several teachers' logits into the targets one student learns.

Torch only. Binary logits have shape (n,) (the positive class) or (n, 1),
multi-class logits (n, k). The mean of probabilities is taken in log space, so
it keeps the teachers' smallest probabilities apart (a temperature softens
them later); the hard targets of a vote go back to logits after clipping to
``[EPSILON, 1 - EPSILON]``, so that they stay finite.
"""

import math

import numpy as np
import torch
from torch import nn

from ._options import check_option
from .losses import certain_where_infinite, predicted_class_shares

__all__ = ["EPSILON", "FUSION_RULES", "fuse_teacher_logits", "probabilities_to_logits"]

#: The values of ``fusion`` (``teacher_fusion`` of DistilledClassifier).
FUSION_RULES = ("mean_proba", "mean_logits", "vote")
#: Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` before they become logits.
EPSILON = 1e-6


def probabilities_to_logits(probabilities):
    """Logits of probabilities: the positive class's (n,) or all classes' (n, k).

    Parameters
    ----------
    probabilities : torch.Tensor of shape (n,) or (n, k)

    Returns
    -------
    logits : torch.Tensor of the same shape
        Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` first (or to
        the dtype's resolution where it is coarser: in float16, 1 - 1e-6 is 1).

    Raises
    ------
    TypeError
        If ``probabilities`` is not a floating-point torch tensor.
    """
    if not isinstance(probabilities, torch.Tensor):
        raise TypeError("probabilities_to_logits needs a floating-point torch tensor; got "
                        f"{type(probabilities).__name__}.")
    if not probabilities.is_floating_point():
        raise TypeError("probabilities_to_logits needs a floating-point torch tensor; got "
                        f"{probabilities.dtype}.")
    epsilon = max(EPSILON, torch.finfo(probabilities.dtype).eps)
    probabilities = probabilities.clamp(epsilon, 1 - epsilon)
    if probabilities.ndim == 1:
        return torch.logit(probabilities)
    return torch.log(probabilities)


def check_teacher_weights(weights, n_teachers, name="weights"):
    """The teachers' weights as float64 (tiny weights such as 1e-300 vanish in
    float32), checked.

    Parameters
    ----------
    weights : sequence of float or None
        None weighs every teacher alike.
    n_teachers : int
    name : str, default="weights"
        How the error names the parameter.

    Returns
    -------
    weights : torch.Tensor of float64 of shape (n_teachers,)

    Raises
    ------
    ValueError
        Unless ``weights`` holds one finite, non-negative number per teacher,
        not all zero.
    """
    if weights is None:
        return torch.ones(n_teachers, dtype=torch.float64)
    if _are_flags(weights):  # [True, False] switched a teacher off in silence
        raise ValueError(f"{name} must hold numbers, not flags (True weighs 1, False 0); "
                         f"got {weights!r}.")
    try:
        checked = (_float64_tensor(weights) if torch.is_tensor(weights)
                   else torch.from_numpy(_float64_copy(weights)))
    except (TypeError, ValueError, RuntimeError, OverflowError):
        checked = None
    if (checked is None or checked.shape != (n_teachers,) or not torch.isfinite(checked).all()
            or (checked < 0).any() or checked.sum() <= 0):
        raise ValueError(
            f"{name} must hold one finite, non-negative weight per teacher ({n_teachers}), "
            f"not all zero; got {weights!r}."
        )
    return checked


def _float64_tensor(tensor):
    """A tensor of weights in float64 on the CPU; a TypeError where it is complex
    (torch drops the imaginary part, as a complex array is refused)."""
    if tensor.is_complex():
        raise TypeError("complex weights")
    return tensor.detach().to("cpu", torch.float64)


def _float64_copy(values):
    """``values`` as a new float64 array (torch warned of a read-only one, a pandas 3
    column's ``to_numpy()``, that it would never write to); a TypeError where they
    are text, which NumPy would parse ("1" as 1.0), or dates and durations (counts of
    nanoseconds)."""
    if np.asarray(values).dtype.kind in "mMSUV":
        raise TypeError("weights of no number")
    items = np.array(values, dtype=object)
    if any(isinstance(item, (str, bytes)) for item in items.ravel()):
        raise TypeError("weights hold text")
    return items.astype(np.float64)


def _are_flags(weights):
    """Whether ``weights`` holds flags: Python's, NumPy's or torch's bools, as
    an array or item by item (``[s > 0.5 for s in tensor]``, pandas' nullable
    booleans)."""
    if isinstance(weights, (np.ndarray, torch.Tensor)) and weights.dtype != object:
        return _is_flag(weights)
    try:
        return any(_is_flag(weight) for weight in weights)
    except TypeError:  # not a sequence: refused as one
        return False


def _is_flag(value):
    """Whether ``value`` is a bool, or an array or tensor of them."""
    return isinstance(value, (bool, np.bool_)) or getattr(value, "dtype", None) in (
        np.bool_, torch.bool)


def _log_mean_probability(stacked, weights):
    """The logits of the weighted mean of the teachers' probabilities, computed
    in log space: (t, n) binary logits give the positive class's (n,), (t, n, k)
    give log-probabilities (n, k). Infinite binary logits give a clipped hard
    target's; a class every teacher rules out gets the log of the dtype's
    smallest normal number, so that the targets stay finite (a teacher's +inf
    makes its row certain of that class); NaN stays NaN.
    Half precision is computed in float32: its smallest normal, 6e-5, would floor
    ordinary probabilities."""
    dtype = stacked.dtype
    if torch.finfo(dtype).bits < 32:
        stacked, weights = stacked.float(), weights.float()
    log_weights = torch.log(weights)
    if stacked.ndim == 2:
        positive = torch.logsumexp(log_weights + nn.functional.logsigmoid(stacked), dim=0)
        negative = torch.logsumexp(log_weights + nn.functional.logsigmoid(-stacked), dim=0)
        fused = positive - negative
        limit = float(probabilities_to_logits(torch.ones(1, dtype=dtype)))
        return torch.where(torch.isinf(fused), torch.sign(fused) * limit, fused).to(dtype)
    log_probabilities = torch.log_softmax(certain_where_infinite(stacked), dim=2)
    fused = torch.logsumexp(log_weights + log_probabilities, dim=0)
    return fused.clamp(min=math.log(torch.finfo(stacked.dtype).tiny)).to(dtype)


def fuse_teacher_logits(logits, fusion="mean_proba", weights=None):
    """Fuse the logits of several teachers into one set of target logits.

    Parameters
    ----------
    logits : sequence of torch.Tensor
        One tensor per teacher, all of shape (n,) or all of shape (n, k);
        (n, 1) is binary, as (n,).
    fusion : {"mean_proba", "mean_logits", "vote"}, default="mean_proba"
        "mean_proba": the (weighted) mean of the teachers' probabilities,
        taken in log space (two identical teachers fuse into the
        probabilities of either one; with several classes the fused logits
        are log-probabilities, so they differ from one teacher's by a
        constant per sample, which a softmax ignores).
        "mean_logits": the (weighted) mean of their logits.
        "vote": each teacher votes for its predicted class with its weight
        (shared equally among the classes that tie for its largest logit);
        the fused target is the class with most votes (classes within 1e-6
        of the total weight of the most tie, and share the probability
        equally), a hard target.
    weights : sequence of float or None, default=None
        Non-negative weight per teacher; None weighs them equally.

    Returns
    -------
    fused : torch.Tensor of the shape of one teacher's logits

    Raises
    ------
    ValueError
        If ``fusion`` is unknown, there are no logits, their shapes differ or
        are not (n,) or (n, k), they are not floating point, or the weights
        are not one finite, non-negative number per teacher with a positive
        sum.
    TypeError
        If the logits are not torch tensors, or are one tensor instead of a
        sequence of them.

    Examples
    --------
    >>> import torch
    >>> a, b = torch.tensor([2.0, -1.0]), torch.tensor([-0.5, -3.0])
    >>> fuse_teacher_logits([a, b], "mean_logits")
    tensor([ 0.7500, -2.0000])
    >>> fuse_teacher_logits([a, b], "vote", weights=[1, 2])
    tensor([-13.8155, -13.8155])
    """
    check_option("fusion", fusion, FUSION_RULES)
    if isinstance(logits, torch.Tensor):  # list() would take its rows for teachers
        raise TypeError("fuse_teacher_logits needs a sequence of tensors, one per teacher; "
                        "got one tensor: give [logits] for one teacher.")
    logits = list(logits)
    if not all(isinstance(one, torch.Tensor) for one in logits):
        raise TypeError("fuse_teacher_logits needs torch tensors, one per teacher; got "
                        f"{sorted({type(one).__name__ for one in logits})}.")
    shapes = {tuple(one.shape) for one in logits}
    if len(shapes) != 1:
        raise ValueError(f"fuse_teacher_logits needs logits of one shape per teacher; got "
                         f"{sorted(shapes) or 'none'}.")
    if not 1 <= len(next(iter(shapes))) <= 2:
        raise ValueError("fuse_teacher_logits needs logits of shape (n,) or (n, k); got "
                         f"{next(iter(shapes))}.")
    if not all(one.is_floating_point() for one in logits):
        raise ValueError("fuse_teacher_logits needs floating-point logits; got "
                         f"{sorted({str(one.dtype) for one in logits})}.")
    stacked = torch.stack(logits)
    if stacked.ndim == 3 and stacked.shape[2] == 1:  # binary as (n, 1)
        return fuse_teacher_logits([one[:, 0] for one in logits], fusion, weights)[:, None]
    weights = check_teacher_weights(weights, len(stacked))
    weights = weights / weights.max()  # then their sum is finite (1e308 twice is not)
    weights = (weights / weights.sum()).to(device=stacked.device, dtype=stacked.dtype)
    weights = weights.view(-1, *([1] * (stacked.ndim - 1)))
    if fusion == "mean_logits":
        # a teacher of weight 0 is left out, not multiplied: 0 * inf is NaN
        return torch.where(weights > 0, weights * stacked, 0.0).sum(dim=0)
    if fusion == "mean_proba":
        return _log_mean_probability(stacked, weights)
    votes = (weights.unsqueeze(-1) if stacked.ndim == 2 else weights) * torch.stack(
        [predicted_class_shares(one) for one in stacked]
    )
    votes = votes.sum(dim=0)
    winners = (votes >= votes.amax(dim=1, keepdim=True) - 1e-6).to(stacked.dtype)
    shares = winners / winners.sum(dim=1, keepdim=True)
    return probabilities_to_logits(shares[:, 1] if stacked.ndim == 2 else shares)
