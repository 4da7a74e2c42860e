"""Loss functions for distillation, written in plain PyTorch.

Every loss here works on logits, never on probabilities, and can be used in any
training loop: nothing in this module knows about skorch or scikit-learn.

The losses check the types and shapes of their inputs, not their values: targets
of 0 and 1 (class indices with several classes) and finite, non-negative sample
weights are the caller's to give (``DistilledClassifier`` checks them once per
fit), since a check of values would wait for the device at every batch.
"""

import math
from numbers import Integral, Real

import torch
from torch import nn
from torch.nn import functional as F

from ._numbers import as_scalar
from ._options import check_option

__all__ = [
    "ImbalancedNNPULoss",
    "BinaryCrossEntropyLoss",
    "CrossEntropyLoss",
    "DistillationLoss",
    "binary_logits",
    "make_true_label_loss",
]

DISTILLATION_LOSSES = ("soft", "hard", "mse")
#: Surrogate losses of the PU risk, as functions of the margin ``y * g``.
SURROGATE_LOSSES = {
    "sigmoid": lambda margin: torch.sigmoid(-margin),
    "logistic": lambda margin: F.softplus(-margin),
}


def binary_logits(logits):
    """Return the positive class's logits, of shape (n,).

    Accepts one logit per sample, of shape (n,) or (n, 1), or two logits per
    sample, of shape (n, 2) (what modules written for skorch's
    ``NeuralNetClassifier`` return), whose difference is the positive class's
    logit.

    Parameters
    ----------
    logits : torch.Tensor of shape (n,), (n, 1) or (n, 2)

    Returns
    -------
    logits : torch.Tensor of shape (n,)
    """
    if logits.ndim == 2 and logits.shape[1] == 1:
        return logits[:, 0]
    if logits.ndim == 2 and logits.shape[1] == 2:
        return logits[:, 1] - logits[:, 0]
    if logits.ndim != 1:
        raise ValueError(
            "A binary loss expects one logit per sample, of shape (n,) or (n, 1), or "
            f"two, of shape (n, 2); got shape {tuple(logits.shape)}."
        )
    return logits


#: The highest temperature. The "soft" term is its square times a cross-entropy
#: of about log(k) for k classes at such temperatures: 1e36 times up to 340
#: (e ** 340 classes) stays a finite float32 (1e300 overflowed into an
#: OverflowError, sqrt(float32 max) into inf losses from three classes on).
MAX_TEMPERATURE = 1e18
#: The lowest temperature. Below 1 the soft term's gradient shrinks with the
#: temperature (its square times a cross-entropy whose gradient grows as its
#: inverse, on targets all but one-hot): under 0.01 the teacher term is not a
#: hundredth of itself at 1, and at 1e-40 the logits divided by it overflowed
#: float32 into a "lower the learning rate" error.
MIN_TEMPERATURE = 0.01


def _check_real(name, value, low, high, closed):
    """Return ``value`` if it is a real number in the interval (a 0-d tensor or
    array as its number); name it otherwise.

    ``closed`` is "left", "right", "both" or "neither"; NaN is never inside.
    """
    value = as_scalar(value)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {value!r}.")
    above = value >= low if closed in ("left", "both") else value > low
    below = value <= high if closed in ("right", "both") else value < high
    if not (above and below):
        left = "[" if closed in ("left", "both") else "("
        right = "]" if closed in ("right", "both") else ")"
        raise ValueError(f"{name} must be in {left}{low}, {high}{right}, got {value!r}.")
    return value


def _check_targets(logits, target):
    if target.ndim != 1 or len(target) != len(logits):
        raise ValueError(
            f"target must hold one label per sample: shape ({len(logits)},) for "
            f"{len(logits)} logits; got shape {tuple(target.shape)}."
        )


def _check_sample_weight(target, sample_weight):
    # Their signs are left unchecked: a check would wait for the device every batch.
    if sample_weight is not None and not isinstance(sample_weight, torch.Tensor):
        raise TypeError(
            f"sample_weight must be a torch.Tensor or None; got {type(sample_weight).__name__}."
        )
    if sample_weight is not None and sample_weight.shape != target.shape:
        raise ValueError(
            f"sample_weight must hold one weight per sample: shape {tuple(target.shape)}; "
            f"got shape {tuple(sample_weight.shape)}."
        )


def _full_precision(tensor):
    """``tensor`` in float32 where it is float16 or bfloat16: a sum of a batch's
    losses (or a count of its samples) overflows float16 from 65,504 on, although
    their mean fits."""
    return tensor.float() if tensor.dtype in (torch.float16, torch.bfloat16) else tensor


def _masked_mean(values, mask, count):
    # An empty group (or one of zero weight) contributes 0 rather than NaN, with a
    # finite gradient: its count is replaced by 1, not clamped to a tiny number.
    # An infinite loss outside the group is left out: times 0 it would be NaN. A
    # finite one is kept, times 0, for the gradient of a weight of 0.
    # The weights are divided before the sum: a loss's gradient (T ** 2 at a high
    # temperature) divided by a small total weight overflowed, and times 0 was NaN.
    values = torch.where(torch.isinf(values) & (mask == 0), torch.zeros_like(values), values)
    return (values * (mask / torch.where(count > 0, count, torch.ones_like(count)))).sum()


def _mean(per_sample, sample_weight):
    """Mean of per-sample losses, weighted by ``sample_weight`` when given.

    Losses of shape (n, k) are averaged over their last axis first. A part
    whose weights are all 0 contributes 0.
    """
    if sample_weight is None:
        return per_sample.mean()
    if per_sample.ndim > 1:
        per_sample = per_sample.mean(dim=1)
    per_sample = _full_precision(per_sample)
    weight = sample_weight.to(per_sample.dtype)
    return _masked_mean(per_sample, weight, weight.sum())


def _reduced(loss, sample_weight, *args):
    """``loss(*args)``, a torch.nn.functional loss, reduced by :func:`_mean`; without
    weights its own mean reduction, so unweighted training stays as it was. Half
    precision is computed in float32, as every loss of this module is."""
    args = [_full_precision(arg) for arg in args]
    if sample_weight is None:
        return loss(*args)
    return _mean(loss(*args, reduction="none"), sample_weight)


def predicted_class_shares(logits):
    """The predicted class of each sample as shares of shape (n, k): 1 for the class
    of the largest logit, shared equally among the classes that tie for it, where
    ``argmax`` gives every tie to the first class.

    Parameters
    ----------
    logits : torch.Tensor of shape (n,) (binary, k = 2; a tie is a logit of 0) or (n, k)

    Returns
    -------
    shares : torch.Tensor of shape (n, k), of the dtype of ``logits``
    """
    if logits.ndim == 1:
        logits = torch.stack([-logits, logits], dim=1)
    top = (logits == logits.amax(dim=1, keepdim=True)).to(logits.dtype)
    return top / top.sum(dim=1, keepdim=True)


class ImbalancedNNPULoss(nn.Module):
    """Non-negative positive-unlabeled risk for imbalanced data.

    A surrogate loss ``l(y * g)`` on logits ``g`` and labels ``y`` in {+1, -1}
    (the sigmoid loss ``sigmoid(-y g)`` or the logistic loss
    ``log(1 + exp(-y g))``), combined into the imbalanced nnPU risk of Su, Chen
    & Xu (IJCAI 2021)::

        R_P+ = mean_P l(g)    R_P- = mean_P l(-g)    R_U- = mean_U l(-g)
        neg  = (1 - pi') / (1 - pi) * (R_U- - pi * R_P-)
        risk = pi' * R_P+ + max(0, neg)

    With ``target_prior == prior`` this is nnPU (Kiryo et al., NeurIPS 2017).
    With ``prior == 0`` the negative labels are trusted and the risk is the
    class-balanced risk at ``target_prior``.

    Parameters
    ----------
    prior : float
        The class prior pi in [0, 1): the fraction of positives hidden among the
        unlabeled samples.
    target_prior : float, default=0.5
        The prior pi' in (0, 1) the risk is re-weighted to.
    beta : float, default=0.0
        Non-negative slack of nnPU's training rule (Kiryo et al., Algorithm 1):
        while ``neg >= -beta`` the gradient is that of the uncorrected risk
        ``pi' * R_P+ + neg``; when ``neg < -beta`` it becomes that of
        ``-gamma * neg``, pushing the negative part back up.
    gamma : float, default=1.0
        Step weight of that correction, non-negative.
    surrogate : {"sigmoid", "logistic"}, default="sigmoid"
        The loss ``l``. The sigmoid loss is bounded, as nnPU's analysis
        assumes, and robust to label noise, but its gradient vanishes on
        confidently wrong samples, so it fits slowly, and it is not a proper
        loss: ``sigmoid(g)`` is a score, not a probability. The logistic loss
        (the cross-entropy's) keeps pushing confidently wrong samples, and its
        minimiser is the log-odds at ``target_prior`` (Kiryo et al. train with
        both).
    positive_share : float or None, default=None
        The share, by weight, of labelled positives in the whole training set,
        in (0, 1). Given, a batch's means over P and over U are its weighted
        sums divided by its total weight times ``positive_share`` (or
        ``1 - positive_share``): estimates of the training set's means whose
        expectation does not depend on the batch size (with unequal sample
        weights, nearly: the batch's total weight varies), as with
        scikit-learn's ``class_weight="balanced"``. None takes each batch's own means, where a
        batch without positives gives the positive term 0; small batches of
        rare positives then weigh the positive class below ``target_prior``
        (at 10 % positives, batches of 8 train towards a prior near 0.36).

    Notes
    -----
    The returned tensor holds the corrected risk as its value; only its
    gradient follows the training rule above. Where that rule's surrogate is
    infinite and the risk finite (logits of +-inf all on the right side, with
    the logistic surrogate), the value is NaN, so that training does not go
    on without a gradient.

    Examples
    --------
    >>> import torch
    >>> loss = ImbalancedNNPULoss(prior=0.0)
    >>> logits = torch.tensor([3.0, -2.0, -4.0])
    >>> target = torch.tensor([1.0, 0.0, 0.0])
    >>> round(float(loss(logits, target)), 4)
    0.058
    """

    def __init__(self, prior, target_prior=0.5, beta=0.0, gamma=1.0, surrogate="sigmoid",
                 positive_share=None):
        super().__init__()
        self.surrogate = check_option("surrogate", surrogate, SURROGATE_LOSSES)
        self.prior = _check_real("prior", prior, 0, 1, "left")
        self.target_prior = _check_real("target_prior", target_prior, 0, 1, "neither")
        self.beta = _check_real("beta", beta, 0, float("inf"), "left")
        self.gamma = _check_real("gamma", gamma, 0, float("inf"), "left")
        self.positive_share = (
            None if positive_share is None
            else _check_real("positive_share", positive_share, 0, 1, "neither")
        )

    def forward(self, logits, target, sample_weight=None):
        """Return the corrected risk.

        Parameters
        ----------
        logits : torch.Tensor of shape (n,), (n, 1) or (n, 2)
            Raw scores; positive means "positive class" (see
            :func:`binary_logits`).
        target : torch.Tensor of shape (n,)
            1 for labelled positives; any other value (0, say) marks an
            unlabeled sample.
        sample_weight : torch.Tensor of shape (n,) or None, default=None
            Non-negative weights: every mean over the positives or the
            unlabeled samples becomes a weighted mean.

        Returns
        -------
        risk : torch.Tensor of shape ()
        """
        logits = _full_precision(binary_logits(logits))
        _check_targets(logits, target)
        _check_sample_weight(target, sample_weight)
        positive = (target == 1).to(logits.dtype)
        unlabeled = 1.0 - positive
        if sample_weight is not None:
            weight = sample_weight.to(logits.dtype)
            positive, unlabeled = positive * weight, unlabeled * weight
        n_positive, n_unlabeled = positive.sum(), unlabeled.sum()
        if self.positive_share is not None:
            total = n_positive + n_unlabeled
            n_positive = total * self.positive_share
            n_unlabeled = total * (1.0 - self.positive_share)
        loss = SURROGATE_LOSSES[self.surrogate]
        positive_part = self.target_prior * _masked_mean(loss(logits), positive, n_positive)
        loss_as_negative = loss(-logits)
        risk_u_neg = _masked_mean(loss_as_negative, unlabeled, n_unlabeled)
        if self.prior == 0:
            # R_U- alone is never negative: neither the clamp nor the training rule
            # acts, and the risk below reduces to this, value and gradient alike.
            return positive_part + (1.0 - self.target_prior) * risk_u_neg
        risk_p_neg = _masked_mean(loss_as_negative, positive, n_positive)
        neg = (
            (1.0 - self.target_prior)
            / (1.0 - self.prior)
            * (risk_u_neg - self.prior * risk_p_neg)
        )
        risk = positive_part + neg.clamp_min(0.0)
        # torch.where keeps the rule free of a host-device synchronisation.
        surrogate = torch.where(neg < -self.beta, -self.gamma * neg, positive_part + neg)
        # An infinite risk (a logit of -inf for a positive) stays inf rather than
        # inf - inf = NaN; a finite risk of an infinite surrogate stays NaN, so that
        # training never goes on with no gradient and no sign of it.
        correction = surrogate - surrogate.detach()
        return risk.detach() + torch.where(torch.isfinite(risk), correction,
                                           torch.zeros_like(correction))


class BinaryCrossEntropyLoss(nn.Module):
    """Binary cross-entropy on one logit per sample.

    Accepts logits of shape (n,), (n, 1) or (n, 2) (see :func:`binary_logits`)
    and 0/1 targets of shape (n,) of any dtype.
    """

    def forward(self, logits, target, sample_weight=None):
        """Return the mean binary cross-entropy.

        Parameters
        ----------
        logits : torch.Tensor of shape (n,), (n, 1) or (n, 2)
        target : torch.Tensor of shape (n,)
            0/1 labels, of any dtype.
        sample_weight : torch.Tensor of shape (n,) or None, default=None
            Non-negative weights of a weighted mean.

        Returns
        -------
        loss : torch.Tensor of shape ()
        """
        logits = binary_logits(logits)
        _check_targets(logits, target)
        _check_sample_weight(target, sample_weight)
        return _reduced(
            F.binary_cross_entropy_with_logits, sample_weight, logits, target.to(logits.dtype)
        )


class CrossEntropyLoss(nn.Module):
    """Cross-entropy on one logit per class, with optional sample weights.

    Examples
    --------
    >>> import torch
    >>> loss = CrossEntropyLoss()
    >>> logits, target = torch.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 2.0]]), torch.tensor([0, 1])
    >>> round(float(loss(logits, target, sample_weight=torch.tensor([1.0, 0.0]))), 4)
    0.2395
    """

    def forward(self, logits, target, sample_weight=None):
        """Return the mean cross-entropy.

        Parameters
        ----------
        logits : torch.Tensor of shape (n, n_classes)
        target : torch.Tensor of int64 of shape (n,)
            Class indices.
        sample_weight : torch.Tensor of shape (n,) or None, default=None
            Non-negative weights of a weighted mean.

        Returns
        -------
        loss : torch.Tensor of shape ()
        """
        # torch reads (n,) logits as one sample of n classes: a softmax across the batch
        if logits.ndim != 2 or logits.shape[1] < 2:
            raise ValueError(
                "CrossEntropyLoss expects one logit per class, of shape (n, n_classes) with "
                f"n_classes >= 2; got shape {tuple(logits.shape)} (for one logit per "
                "sample, use BinaryCrossEntropyLoss)."
            )
        _check_targets(logits, target)
        if target.is_floating_point() or target.is_complex() or target.dtype == torch.bool:
            raise ValueError(
                f"CrossEntropyLoss expects class indices as integers; got {target.dtype}."
            )
        _check_sample_weight(target, sample_weight)
        # torch takes int64 (and uint8) indices only
        return _reduced(F.cross_entropy, sample_weight, logits, target.long())


def make_true_label_loss(name, n_classes, prior=0.0, target_prior=0.5, surrogate="sigmoid",
                         positive_share=None):
    """Build the loss on true labels.

    Parameters
    ----------
    name : {"pu", "bce"}
        "pu" is :class:`ImbalancedNNPULoss` (two classes only); "bce" is binary
        cross-entropy for two classes and cross-entropy for more.
    n_classes : int
        Number of classes; two classes use one logit per sample.
    prior : float, default=0.0
        Passed to :class:`ImbalancedNNPULoss`.
    target_prior : float, default=0.5
        Passed to :class:`ImbalancedNNPULoss`.
    surrogate : {"sigmoid", "logistic"}, default="sigmoid"
        Passed to :class:`ImbalancedNNPULoss`.
    positive_share : float or None, default=None
        Passed to :class:`ImbalancedNNPULoss`.

    Returns
    -------
    loss : torch.nn.Module
    """
    n_classes = as_scalar(n_classes)
    if isinstance(n_classes, bool) or not isinstance(n_classes, Integral) or n_classes < 2:
        raise ValueError(f"n_classes must be an int of 2 or more; got {n_classes!r}.")
    if name == "pu":
        if n_classes != 2:
            raise ValueError(
                f"Only binary classification is supported by the 'pu' loss: it needs two "
                f"classes, got {n_classes}; use 'bce' (cross-entropy) for more."
            )
        return ImbalancedNNPULoss(prior=prior, target_prior=target_prior, surrogate=surrogate,
                                  positive_share=positive_share)
    if name == "bce":
        return BinaryCrossEntropyLoss() if n_classes == 2 else CrossEntropyLoss()
    raise ValueError(f"Unknown true-label loss {name!r}; use 'pu' or 'bce'.")


def _softened(student, teacher, temperature):
    """Both logits divided by ``temperature`` (at 1, left as they are: the same
    numbers, two operations fewer on every batch)."""
    if temperature == 1:
        return student, teacher
    return student / temperature, teacher / temperature


def _soft_binary(student, teacher, temperature, sample_weight):
    student, teacher = _softened(student, teacher, temperature)
    return _reduced(
        F.binary_cross_entropy_with_logits, sample_weight, student, torch.sigmoid(teacher)
    )


def certain_where_infinite(logits):
    """Multi-class ``logits`` (..., k) with every row that holds +inf and no NaN
    made certain: its +inf logits become 0 and its others -inf, so that a
    softmax shares the row among its infinite classes (inf - inf would make it
    NaN); a row with a NaN stays undefined."""
    top = torch.isposinf(logits)
    certain = torch.where(top, torch.zeros_like(logits), torch.full_like(logits, -math.inf))
    rows = top.any(dim=-1, keepdim=True) & ~torch.isnan(logits).any(dim=-1, keepdim=True)
    return torch.where(rows, certain, logits)


def _soft_multiclass(student, teacher, temperature, sample_weight):
    student, teacher = _softened(student, teacher, temperature)
    soft_targets = F.softmax(certain_where_infinite(teacher), dim=1)
    log_probs = F.log_softmax(student, dim=1)
    return _mean(-(soft_targets * log_probs).sum(dim=1), sample_weight)


class DistillationLoss(nn.Module):
    """The student's convex loss: teacher term and true-label term.

    ``alpha * L_teacher(student, teacher) + (1 - alpha) * L_true(student, y)``,
    every term computed per sample (never a softmax across the samples of a
    batch).

    Parameters
    ----------
    alpha : float
        Weight in [0, 1] of the teacher term. Note that some libraries put the
        weight on the true-label term instead.
    true_label_loss : torch.nn.Module
        Loss on true labels, called as ``true_label_loss(logits, target)``,
        e.g. :class:`ImbalancedNNPULoss`.
    distillation_loss : {"soft", "hard", "mse"}, default="soft"
        "soft": cross-entropy against the teacher's probabilities at
        ``temperature``, scaled by ``temperature ** 2`` (Hinton et al., 2015);
        "hard": cross-entropy against the teacher's predicted labels (classes
        that tie for the largest logit share the target);
        "mse": mean squared error between logits (Tang et al., 2019).
    temperature : float, default=1.0
        Softening temperature of the "soft" term, in [``MIN_TEMPERATURE``,
        ``MAX_TEMPERATURE``]: from 0.01 (below it, the term's gradient,
        which shrinks with the temperature, all but vanishes) to 1e18 (where
        the term, its square times a cross-entropy, is still a finite float32).

    Examples
    --------
    >>> import torch
    >>> loss = DistillationLoss(alpha=1.0, true_label_loss=BinaryCrossEntropyLoss())
    >>> student = torch.tensor([0.5, -1.0])
    >>> float(loss(student, torch.tensor([1.0, 0.0]), teacher_logits=student)) > 0
    True
    """

    def __init__(self, alpha, true_label_loss, distillation_loss="soft", temperature=1.0):
        super().__init__()
        check_option("distillation_loss", distillation_loss, DISTILLATION_LOSSES)
        if not callable(true_label_loss):
            raise TypeError(
                "true_label_loss must be a loss called as true_label_loss(logits, "
                f"target), e.g. ImbalancedNNPULoss; got {true_label_loss!r}."
            )
        self.alpha = _check_real("alpha", alpha, 0, 1, "both")
        self.true_label_loss = true_label_loss
        self.distillation_loss = distillation_loss
        self.temperature = _check_real("temperature", temperature, MIN_TEMPERATURE,
                                       MAX_TEMPERATURE, "both")

    def teacher_term(self, student_logits, teacher_logits, sample_weight=None):
        """Per-sample distillation loss, averaged over the samples given.

        Binary teacher logits have shape (n,) or (n, 1); the student's may
        then be of any shape :func:`binary_logits` accepts.

        Parameters
        ----------
        student_logits : torch.Tensor of shape (n,), (n, 1), (n, 2) or (n, k)
        teacher_logits : torch.Tensor of shape (n,) or (n, 1) (binary) or (n, k)
            Treated as constants.
        sample_weight : torch.Tensor of shape (n,) or None, default=None
            Non-negative weights of a weighted mean.

        Returns
        -------
        loss : torch.Tensor of shape ()
        """
        if teacher_logits is None:
            raise ValueError(
                "teacher_logits is None, but the teacher term has samples (alpha > 0 "
                "and n_true < n): pass the teacher's logits."
            )
        given_shapes = tuple(student_logits.shape), tuple(teacher_logits.shape)
        if teacher_logits.ndim == 2 and teacher_logits.shape[1] == 1:
            teacher_logits = teacher_logits[:, 0]  # one class's softmax would be constant
        binary = teacher_logits.ndim == 1
        if binary and (student_logits.ndim != 2 or student_logits.shape[1] <= 2):
            student_logits = binary_logits(student_logits)
        if student_logits.shape != teacher_logits.shape:
            raise ValueError(
                "student and teacher logits must match: shape (n,) for two classes, "
                f"(n, k) for k; got {given_shapes[0]} and {given_shapes[1]}."
            )
        # in float32, as the PU risk is: in float16 the logits overflowed when divided
        # by T = 0.01, and the soft term's gradient, times T ** 2, from T = 256 on
        student_logits = _full_precision(student_logits)
        teacher_logits = _full_precision(teacher_logits.detach())
        if self.distillation_loss == "mse":
            return _reduced(F.mse_loss, sample_weight, student_logits, teacher_logits)
        if self.distillation_loss == "hard":
            loss = F.binary_cross_entropy_with_logits if binary else F.cross_entropy
            shares = predicted_class_shares(teacher_logits).to(student_logits.dtype)
            return _reduced(loss, sample_weight, student_logits,
                            shares[:, 1] if binary else shares)
        soft = _soft_binary if binary else _soft_multiclass
        loss = soft(student_logits, teacher_logits, self.temperature, sample_weight)
        return loss if self.temperature == 1 else loss * self.temperature**2

    def forward(self, student_logits, target, teacher_logits, n_true=None, sample_weight=None):
        """Return the convex combination of both terms.

        Parameters
        ----------
        student_logits : torch.Tensor of shape (n,), (n, 1), (n, 2) or (n, k)
        target : torch.Tensor of shape (n,)
            True labels.
        teacher_logits : torch.Tensor of shape (n,) or (n, 1) (binary) or (n, k), or None
            Treated as constants. May be None when the teacher term is empty
            (``alpha == 0`` or ``n_true == n``).
        n_true : int or None, default=None
            The first ``n_true`` samples keep their true labels (true-label
            term); the rest are labelled by the teacher (teacher term), so
            shuffle the batch first. None puts every sample in both terms. An
            empty part contributes nothing. Slicing, rather than a boolean
            mask, keeps the step free of host-device synchronisations.
        sample_weight : torch.Tensor of shape (n,) or None, default=None
            Non-negative weights: each term becomes a weighted mean over its
            part of the batch.

        Returns
        -------
        loss : torch.Tensor of shape ()
        """
        _check_targets(student_logits, target)
        _check_sample_weight(target, sample_weight)
        n = len(target)
        if n_true is not None and (
            isinstance(n_true, bool) or not isinstance(n_true, Integral) or n_true < 0
        ):
            raise ValueError(f"n_true must be a non-negative int or None, got {n_true!r}.")
        true_part = teacher_part = slice(None)
        n_true_part = n_teacher_part = n
        if n_true is not None:
            true_part, teacher_part = slice(None, n_true), slice(n_true, None)
            n_true_part, n_teacher_part = min(n_true, n), n - min(n_true, n)
        # an empty slice's sum: 0 with a graph, so that a batch of two empty parts
        # still back-propagates (zero gradients), as new_zeros(()) did not
        loss = student_logits[:0].sum()
        if self.alpha > 0 and n_teacher_part:
            teacher_part_logits = None if teacher_logits is None else teacher_logits[teacher_part]
            loss = loss + self.alpha * self.teacher_term(
                student_logits[teacher_part], teacher_part_logits,
                **sample_weight_kwargs(sample_weight, teacher_part),
            )
        if self.alpha < 1 and n_true_part:
            loss = loss + (1.0 - self.alpha) * self.true_label_loss(
                student_logits[true_part], target[true_part],
                **sample_weight_kwargs(sample_weight, true_part),
            )
        return loss


def sample_weight_kwargs(sample_weight, part=slice(None)):
    """The ``sample_weight`` keyword argument for a part of the samples.

    None without weights, so that unweighted calls stay as they were (and a
    callee without that keyword still works unweighted).

    Parameters
    ----------
    sample_weight : torch.Tensor, numpy.ndarray or None
    part : slice or index array, default=slice(None)

    Returns
    -------
    kwargs : dict
        ``{}`` or ``{"sample_weight": sample_weight[part]}``.
    """
    return {} if sample_weight is None else {"sample_weight": sample_weight[part]}
