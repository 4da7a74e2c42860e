"""Metrics for positive-unlabeled data, computed from the PU labels alone.

On positive-unlabeled data the "negatives" are unlabeled samples, some of
them positive, and scikit-learn's metrics score a classifier against those
labels as if they were true: a classifier that finds the hidden positives is
punished for it. The metrics here need only the labelled positives and the
unlabeled samples (and, for the ROC AUC and the estimated F1, the prior);
as scorers (``pu_f1_scorer``, or ``make_scorer`` with the prior, and for the
ROC AUC ``response_method=("decision_function", "predict_proba")``) they work
in ``GridSearchCV`` and ``cross_val_score`` on PU labels. Like the estimators
they warn where the positive label found by sorting holds most of the samples.

The positive label is the later of the two labels in sorted order, as
``DistilledClassifier.classes_[1]``, unless ``pos_label`` says otherwise.
"""

import math
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.metrics import make_scorer, roc_auc_score
from sklearn.utils.validation import _check_sample_weight, column_or_1d

from ._numbers import summable_weights
from ._validation import check_one_column
from .pu import PositiveLabelNameError, _is_prior, _warn_if_positives_are_most, positive_label

__all__ = ["pu_estimated_f1_score", "pu_f1_score", "pu_f1_scorer", "pu_roc_auc_score"]


def _positive_label(y_true, pos_label):
    """:func:`~skdistill.pu.positive_label`, whose refusal of a positive named
    "unlabeled" (or "-") names ``pos_label`` too: the metrics take one."""
    try:
        return positive_label(y_true, pos_label)
    except PositiveLabelNameError as error:
        other = min(set(y_true.tolist()), key=str)
        raise PositiveLabelNameError(f"{error} Or name it: pos_label={other!r}.") from None


def _positive_masks(y_true, y_pred, pos_label, sample_weight):
    """Which samples are labelled positive, which are predicted positive, and
    the samples' weights (ones for None), checked."""
    y_true, y_pred = column_or_1d(y_true, warn=True), column_or_1d(y_pred, warn=True)
    label = _positive_label(y_true, pos_label)
    if len(y_pred) != len(y_true):
        raise ValueError(f"y_true has {len(y_true)} samples but y_pred has {len(y_pred)}.")
    weight = _check_weight(sample_weight, y_true, label)
    _warn_unless_named(y_true, label, pos_label, weight)
    # labels of another kind than y_true's would never equal the positive one: score 0
    # (where y_true holds only the positive label, y_pred may name one other label)
    foreign = set(y_pred.tolist()) - set(y_true.tolist())
    not_labels = [value for value in foreign if not _is_label(value)]
    if not_labels:
        raise ValueError(
            f"y_pred holds values that are no class labels: {sorted(not_labels, key=repr)[:5]}."
        )
    if len(foreign) > (1 if len(set(y_true.tolist())) == 1 else 0):
        raise ValueError(
            f"y_pred holds labels y_true lacks: {sorted(foreign, key=repr)[:5]}; y_true "
            f"holds {sorted(set(y_true.tolist()), key=repr)}."
        )
    return y_true == label, y_pred == label, weight


def _is_label(value):
    """Whether ``value`` can be a class label: text, a bool, or an integral number
    (``1.0`` as read from a float column too)."""
    if isinstance(value, (str, bytes, bool, np.bool_, Integral)):
        return True
    return isinstance(value, Real) and math.isfinite(value) and float(value).is_integer()


def _warn_unless_named(y_true, label, pos_label, weight):
    """Warn where the positive label found by sorting holds most of the samples
    of non-zero weight (a ``pos_label`` given by name is taken as meant)."""
    if pos_label is None:
        _warn_if_positives_are_most(label, y_true == label, weight)


def _check_weight(sample_weight, y_true, label, unlabeled_too=False):
    """Non-negative weights of ``y_true``'s samples (ones for None), giving the
    labelled positives (and the unlabeled samples) some weight, scaled down by
    a power of two where their sum overflows."""
    weight = summable_weights(
        _check_sample_weight(sample_weight, y_true, ensure_non_negative=True))
    labelled = y_true == label
    groups = {"labelled positives": labelled}
    if unlabeled_too:
        groups["unlabeled samples"] = ~labelled
    for name, members in groups.items():
        if not members.any():
            raise ValueError(f"y_true holds no {name} (of positive label "
                             f"{np.asarray(label).tolist()!r}).")
        if not weight[members].sum() > 0:
            raise ValueError(
                f"sample_weight gives the {name} (of positive label "
                f"{np.asarray(label).tolist()!r}) a total weight of 0."
            )
    return weight


def pu_f1_score(y_true, y_pred, *, pos_label=None, sample_weight=None):
    """Lee & Liu's PU criterion ``recall ** 2 / P(y_pred = positive)``.

    Recall is measured on the labelled positives (under SCAR it is the
    recall on all positives), ``P(y_pred = positive)`` on all samples. The
    criterion equals ``precision * recall / P(y = positive)``: it ranks
    classifiers as the product of precision and recall would on the true
    labels, which behaves like F1, without knowing which unlabeled samples
    are positive. It is not in [0, 1]: its expectation is at most
    1 / P(y = positive), and on a sample it is at most 1 / (the labelled
    share), which a small sample may reach above the former.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        PU labels: two labels, a positive and an "unlabeled" one.
    y_pred : array-like of shape (n_samples,)
        Predicted labels, of the same kind.
    pos_label : object or None, default=None
        The positive label; None takes the later of the two labels of
        ``y_true`` in sorted order.
    sample_weight : array-like of shape (n_samples,) or None, default=None
        Non-negative, finite weights: every share is a weighted one.

    Returns
    -------
    score : float
        0 when nothing is predicted positive.

    Raises
    ------
    ValueError
        If the labels are not two (a positive and an unlabeled one), ``y_pred``
        holds labels ``y_true`` lacks, or ``sample_weight`` is negative, not
        finite or gives the labelled positives a total weight of 0.

    Warns
    -----
    UserWarning
        If ``pos_label`` is None and the positive label (found by sorting)
        holds more than half of the samples of non-zero weight.

    References
    ----------
    Lee & Liu, "Learning with Positive and Unlabeled Examples Using Weighted
    Logistic Regression", ICML 2003.

    Examples
    --------
    >>> pu_f1_score([1, 1, 0, 0, 0, 0], [1, 0, 1, 0, 0, 0])
    0.75
    """
    labelled, predicted, weight = _positive_masks(y_true, y_pred, pos_label, sample_weight)
    rate = np.average(predicted, weights=weight)
    if rate == 0:
        return 0.0
    recall = np.average(predicted[labelled], weights=weight[labelled])
    return float(recall**2 / rate)


def _scores(y_score):
    """``y_score`` as numbers, refused where it has several columns or holds
    strings (labels, such as ``make_scorer``'s default passes from
    ``predict``) or other objects."""
    y_score = np.asarray(y_score)
    check_one_column(y_score, "y_score", "scores")
    if y_score.dtype.kind == "O" and pd.isna(y_score).any():  # pd.NA converts to nothing
        raise ValueError(f"y_score holds a missing value (None, NaN or pd.NA) at sample "
                         f"{np.flatnonzero(pd.isna(y_score.ravel()))[0]}.")
    strings = y_score.dtype.kind in "US" or (
        y_score.dtype.kind == "O"
        and any(isinstance(value, (str, bytes)) for value in y_score.ravel())
    )
    if not strings:
        try:
            return y_score.astype(np.float64) if y_score.dtype.kind == "O" else y_score
        except (TypeError, ValueError):
            pass  # objects that are not numbers: refused below
    distinct = sorted({repr(value) for value in y_score.ravel().tolist()})[:5]
    raise ValueError(
        f"y_score holds labels such as {', '.join(distinct)}, not scores: give "
        "predict_proba(X)[:, 1] or decision_function(X); as a scorer, "
        "make_scorer(pu_roc_auc_score, response_method=('decision_function', "
        "'predict_proba'), prior=...)."
    )


def _check_prior(prior):
    if not _is_prior(prior):
        raise ValueError(f"prior must be a real number (not a bool) in [0, 1); got "
                         f"{prior!r} of type {type(prior).__name__}.")


def pu_estimated_f1_score(y_true, y_pred, *, prior, pos_label=None, sample_weight=None):
    """F1 on the true labels, estimated from PU labels and the prior.

    Recall is measured on the labelled positives (under SCAR, the recall on
    all positives); the positive rate of the data is ``l + (1 - l) * prior``
    (``l`` the labelled share), so precision is ``recall * positive rate /
    P(y_pred = positive)``, clipped to 1. With a right prior this is F1 as the
    true labels would give it, in expectation, which the F1 of the PU labels
    is not (every hidden positive found counts as an error there). With
    ``prior=0`` it is the F1 of the PU labels taken as true. Give it a prior
    through :func:`sklearn.metrics.make_scorer` to choose a decision
    threshold with :class:`sklearn.model_selection.TunedThresholdClassifierCV`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        PU labels: two labels, a positive and an "unlabeled" one.
    y_pred : array-like of shape (n_samples,)
        Predicted labels, of the same kind.
    prior : float
        Fraction in [0, 1) of positives hidden among the unlabeled samples
        (``DistilledClassifier.prior_``).
    pos_label : object or None, default=None
        The positive label; None takes the later of the two labels of
        ``y_true`` in sorted order.
    sample_weight : array-like of shape (n_samples,) or None, default=None
        Non-negative, finite weights: every share is a weighted one.

    Returns
    -------
    score : float
        In [0, 1]; 0 when no labelled positive is predicted positive.

    Raises
    ------
    ValueError
        If ``prior`` is not in [0, 1), the labels are not two, ``y_pred``
        holds labels ``y_true`` lacks, or ``sample_weight`` is negative, not
        finite or gives the labelled positives a total weight of 0.

    Warns
    -----
    UserWarning
        If ``pos_label`` is None and the positive label (found by sorting)
        holds more than half of the samples of non-zero weight.

    References
    ----------
    Jain, White & Radivojac, "Recovering True Classifier Performance in
    Positive-Unlabeled Learning", AAAI 2017.

    Examples
    --------
    >>> # one of two labelled positives found, one unlabeled sample predicted
    >>> # positive, a quarter of the unlabeled samples hidden positives
    >>> pu_estimated_f1_score([1, 1, 0, 0, 0, 0], [1, 0, 1, 0, 0, 0], prior=0.25)
    0.6
    >>> pu_estimated_f1_score([1, 1, 0, 0, 0, 0], [1, 0, 1, 0, 0, 0], prior=0.0)
    0.5
    """
    _check_prior(prior)
    labelled, predicted, weight = _positive_masks(y_true, y_pred, pos_label, sample_weight)
    recall = np.average(predicted[labelled], weights=weight[labelled])
    if recall == 0:
        return 0.0
    labelled_share = np.average(labelled, weights=weight)
    positive_rate = labelled_share + (1 - labelled_share) * prior
    precision = min(1.0, recall * positive_rate / np.average(predicted, weights=weight))
    return float(2 * precision * recall / (precision + recall))


def pu_roc_auc_score(y_true, y_score, *, prior, pos_label=None, sample_weight=None):
    """ROC AUC against the true labels, recovered from the PU labels and the prior.

    Unlabeled samples are positive with probability ``prior``, so the ROC AUC
    of labelled positives against unlabeled samples is
    ``prior / 2 + (1 - prior) * AUC``, where AUC is the ROC AUC of positives
    against negatives; this function inverts that relation. The correction is
    affine: it ranks classifiers as the plain ROC AUC on PU labels does, but
    gives the value one would measure on true labels.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        PU labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (``predict_proba(X)[:, 1]`` or
        ``decision_function(X)``).
    prior : float
        Fraction in [0, 1) of positives hidden among the unlabeled samples.
    pos_label : object or None, default=None
        The positive label; None takes the later of the two labels of
        ``y_true`` in sorted order.
    sample_weight : array-like of shape (n_samples,) or None, default=None
        Non-negative weights, passed to :func:`sklearn.metrics.roc_auc_score`.

    Returns
    -------
    score : float
        Can leave [0, 1] where ``prior`` is wrong or the sample small.

    Raises
    ------
    ValueError
        If ``prior`` is not in [0, 1), the labels are not two, ``y_score``
        has several columns or holds labels rather than scores (strings,
        digits or not, or objects that are not numbers), or
        ``sample_weight`` is negative, not finite or gives the labelled
        positives or the unlabeled samples a total weight of 0.

    Warns
    -----
    UserWarning
        If ``pos_label`` is None and the positive label (found by sorting)
        holds more than half of the samples of non-zero weight.

    References
    ----------
    Jain, White & Radivojac, "Recovering True Classifier Performance in
    Positive-Unlabeled Learning", AAAI 2017.

    Examples
    --------
    >>> y_pu = [1, 1, 0, 0, 0, 0]  # the unlabeled 0.85 is a hidden positive
    >>> pu_roc_auc_score(y_pu, [0.9, 0.8, 0.85, 0.1, 0.2, 0.3], prior=0.25)
    1.0

    As a scorer it needs scores, not the labels ``predict`` gives:

    >>> from sklearn.metrics import make_scorer
    >>> scorer = make_scorer(pu_roc_auc_score, prior=0.25,
    ...                      response_method=("decision_function", "predict_proba"))
    """
    _check_prior(prior)
    y_true = column_or_1d(y_true, warn=True)
    label = _positive_label(y_true, pos_label)
    y_score = column_or_1d(_scores(y_score), warn=True)
    weight = _check_weight(sample_weight, y_true, label, unlabeled_too=True)
    _warn_unless_named(y_true, label, pos_label, weight)
    auc = roc_auc_score(y_true == label, y_score,
                        sample_weight=None if sample_weight is None else weight)
    return float((auc - prior / 2) / (1 - prior))


#: Scorer of :func:`pu_f1_score` for ``GridSearchCV(scoring=pu_f1_scorer)``. One
#: object for the process: to route weights to it, make your own,
#: ``make_scorer(pu_f1_score).set_score_request(sample_weight=True)``, rather than
#: set a request on this one, which every later use would share.
pu_f1_scorer = make_scorer(pu_f1_score)
