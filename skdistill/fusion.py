"""Fusion of several teachers' logits into the targets one student learns.

Torch only. Binary logits have shape (n,) (the positive class), multi-class
logits (n, k). Fused probabilities go back to logits after clipping to
``[EPSILON, 1 - EPSILON]``, so hard targets (a unanimous vote) stay finite.
"""

import torch

__all__ = ["EPSILON", "FUSION_RULES", "fuse_teacher_logits", "probabilities_to_logits"]

#: The values of ``fusion`` (``teacher_fusion`` of DistilledClassifier).
FUSION_RULES = ("mean_proba", "mean_logits", "vote")
#: Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` before they become logits.
EPSILON = 1e-6


def _probabilities(stacked):
    """Probabilities of stacked logits: (t, n) binary or (t, n, k)."""
    return torch.sigmoid(stacked) if stacked.ndim == 2 else torch.softmax(stacked, dim=2)


def probabilities_to_logits(probabilities):
    """Logits of probabilities: the positive class's (n,) or all classes' (n, k).

    Parameters
    ----------
    probabilities : torch.Tensor of shape (n,) or (n, k)

    Returns
    -------
    logits : torch.Tensor of the same shape
        Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` first.
    """
    probabilities = probabilities.clamp(EPSILON, 1 - EPSILON)
    if probabilities.ndim == 1:
        return torch.logit(probabilities)
    return torch.log(probabilities)


def _votes(logits):
    """One-hot (n, k) votes of one teacher; k = 2 for binary logits."""
    if logits.ndim == 1:
        return torch.stack([logits <= 0, logits > 0], dim=1).to(torch.float32)
    return torch.nn.functional.one_hot(logits.argmax(dim=1), logits.shape[1]).to(torch.float32)


def fuse_teacher_logits(logits, fusion="mean_proba", weights=None):
    """Fuse the logits of several teachers into one set of target logits.

    Parameters
    ----------
    logits : sequence of torch.Tensor
        One tensor per teacher, all of shape (n,) or all of shape (n, k).
    fusion : {"mean_proba", "mean_logits", "vote"}, default="mean_proba"
        "mean_proba": the (weighted) mean of the teachers' probabilities.
        "mean_logits": the (weighted) mean of their logits.
        "vote": each teacher votes for its predicted class with its weight;
        the fused target is the class with most votes (ties share the
        probability equally), a hard target.
    weights : sequence of float or None, default=None
        Non-negative weight per teacher; None weighs them equally.

    Returns
    -------
    fused : torch.Tensor of the shape of one teacher's logits

    Examples
    --------
    >>> import torch
    >>> a, b = torch.tensor([2.0, -1.0]), torch.tensor([0.0, -3.0])
    >>> fuse_teacher_logits([a, b], "mean_logits")
    tensor([ 1., -2.])
    >>> fuse_teacher_logits([a, b], "vote", weights=[1, 2])
    tensor([-13.8155, -13.8155])
    """
    if fusion not in FUSION_RULES:
        raise ValueError(f"fusion must be one of {FUSION_RULES}; got {fusion!r}.")
    stacked = torch.stack(list(logits))
    if weights is None:
        weights = torch.ones(len(stacked))
    # normalised in float64: tiny weights such as 1e-300 vanish in float32
    weights = torch.as_tensor(weights, dtype=torch.float64, device="cpu")
    weights = (weights / weights.sum()).to(device=stacked.device, dtype=stacked.dtype)
    weights = weights.view(-1, *([1] * (stacked.ndim - 1)))
    if fusion == "mean_logits":
        return (weights * stacked).sum(dim=0)
    if fusion == "mean_proba":
        return probabilities_to_logits((weights * _probabilities(stacked)).sum(dim=0))
    votes = (weights.unsqueeze(-1) if stacked.ndim == 2 else weights) * torch.stack(
        [_votes(one) for one in stacked]
    )
    votes = votes.sum(dim=0)
    winners = (votes >= votes.amax(dim=1, keepdim=True) - 1e-6).to(stacked.dtype)
    shares = winners / winners.sum(dim=1, keepdim=True)
    return probabilities_to_logits(shares[:, 1] if stacked.ndim == 2 else shares)
