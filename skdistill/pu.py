"""Positive-unlabeled data: SCAR labelling and class-prior estimators.

In positive-unlabeled (PU) data some positives carry their label and every
other sample is unlabeled: a mix of hidden positives and negatives. Under the
SCAR assumption (labelled completely at random) every positive is labelled with
the same probability ``c``, the *label frequency*. The PU risk of
:class:`~skdistill.DistilledClassifier` needs the *prior* ``pi``: the fraction
of positives hidden among the unlabeled samples.

The estimators here find ``pi`` from the data. They follow one protocol, which
is also what ``DistilledClassifier(prior=...)`` accepts: ``fit(X, y)`` with
``y`` the PU labels (1 for a labelled positive, 0 for an unlabeled sample; or
any two labels, the later one in sorted order being the positive), after
which ``prior_`` holds ``pi`` in [0, 1]. Every estimate comes from held-out
scores or held-out subsets, never from a model's fit to the samples it scores.

This module is torch-free: scikit-learn, NumPy and SciPy only.

References
----------
Elkan & Noto, "Learning Classifiers from Only Positive and Unlabeled Data",
KDD 2008.
Bekker & Davis, "Estimating the Class Prior in Positive and Unlabeled Data
through Decision Tree Induction", AAAI 2018.
Garg, Wu, Smola, Balakrishnan & Lipton, "Mixture Proportion Estimation and PU
Learning: A Modern Approach", NeurIPS 2021.
"""

import heapq
import warnings
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from itertools import count
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import (
    _num_samples, check_array, check_consistent_length, column_or_1d, validate_data,
)

from ._atomic import restores_state_on_error
from ._constraints import NumberInterval
from ._numbers import as_scalar
from .losses import _check_real
from ._seeds import seed_unset_random_states
from ._validation import naming_bad_features
from ._warnings import user_stacklevel

__all__ = [
    "BestBinPriorEstimator",
    "DEFAULT_PRIOR_ESTIMATOR",
    "ElkanNotoPriorEstimator",
    "PositiveLabelNameError",
    "TIcEPriorEstimator",
    "check_positive_label",
    "fit_prior",
    "make_pu_labels",
    "positive_label",
    "prior_from_label_frequency",
]


#: An estimated prior above this warns: most unlabeled samples positive.
_IMPLAUSIBLE_PRIOR = 0.5
#: An estimated prior at or above this is the trivial bound: nothing was identified
#: (the nnPU risk would weigh the unlabeled part by 1 / (1 - prior), thousands).
_UNIDENTIFIED_PRIOR = 0.999
#: An estimate from fewer labelled positives than this warns: it spreads widely.
_FEW_LABELLED_POSITIVES = 10
#: A share of labelled positives that repeat others, unlike any unlabeled sample,
#: above this (with twice the unlabeled samples' share of repeats) warns: an
#: over-sampler's copies (docs/user_guide.md, "Resampling and the PU risk").
_COPIED_POSITIVES = 0.2

#: Names of the unlabeled class (compared case-insensitively): as the later label
#: in sorted order they would become the positive class.
_UNLABELED_NAMES = frozenset({"unlabeled", "unlabelled", "unknown", "u"})
#: Names of a negative class that sort after the positive's ("-" after "+").
_NEGATIVE_NAMES = frozenset({"-", "-1"})


class PositiveLabelNameError(ValueError):
    """A positive label whose name says it marks the other class.

    Raised by :func:`check_positive_label` ("unlabeled", "-"), and by the metrics,
    whose message names ``pos_label`` too.
    """


def check_positive_label(label):
    """Raise a ValueError where the label taken as positive names the unlabeled class.

    Of "positive"/"unlabeled" (or "labeled"/"unlabeled") the later label in
    sorted order, the one taken as positive, is "unlabeled", and of "+"/"-"
    (or "+1"/"-1" as text) it is "-": a PU risk would then treat the unlabeled
    samples as the labelled positives.

    Parameters
    ----------
    label : object
        The label about to be taken as the positive class.

    Raises
    ------
    PositiveLabelNameError
        A ValueError, if ``label`` is the string (or bytes) "unlabeled",
        "unlabelled", "unknown" or "U", in any case, or "-" or "-1".

    Examples
    --------
    >>> check_positive_label("site")
    """
    if isinstance(label, bytes):  # the metrics take bytes labels
        label = label.decode("utf-8", "replace")
    name = label.strip().lower() if isinstance(label, str) else None
    if name in _UNLABELED_NAMES or name in _NEGATIVE_NAMES:
        marked = "unlabeled" if name in _UNLABELED_NAMES else "negative (or unlabeled)"
        raise PositiveLabelNameError(
            f"The positive class is the later of the two labels in sorted order, here "
            f"{str(label)!r}, whose name says it marks the {marked} samples. Give the "
            "labelled positives the later label, e.g. 1 for them and 0 for the unlabeled "
            "ones."
        )


def _check_given_prior(prior):
    """Return a prior given as a number, refusing one that says every unlabeled
    sample is positive (the bound :func:`fit_prior` sets estimates).

    Parameters
    ----------
    prior : float
        In [0, 1), as the parameter's constraint has it.

    Returns
    -------
    prior : float
    """
    if prior >= _UNIDENTIFIED_PRIOR:
        raise ValueError(
            f"prior={prior} says {prior * 100:g}% of the unlabeled samples are positive: the "
            f"nnPU risk would weigh them by 1 / (1 - prior) = {1 / (1 - prior):,.0f} and "
            f"train no positives. A prior must be below {_UNIDENTIFIED_PRIOR}."
        )
    return float(prior)


def _is_prior(value):
    """Whether ``value`` can be a class prior: a number (not a bool) in [0, 1).

    Parameters
    ----------
    value : object

    Returns
    -------
    bool

    Examples
    --------
    >>> _is_prior(0.25), _is_prior(1.0), _is_prior(True), _is_prior("0.2")
    (True, False, False, False)
    >>> _is_prior(np.array(0.25))  # a 0-d array, as numpy reductions give
    True
    """
    if np.ma.isMaskedArray(value):  # its number may be hidden
        return False
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    return isinstance(value, Real) and not isinstance(value, bool) and 0 <= value < 1


def positive_label(y, pos_label=None):
    """Return the label that marks a positive in PU labels ``y``.

    See :func:`check_positive_label` for the label names that are refused.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Two distinct labels of one type (ints, strings, bools).
    pos_label : object or None, default=None
        The positive label, returned as it is when given; None takes the later
        of the two labels in sorted order, as ``DistilledClassifier.classes_[1]``
        does (1 of 0/1 and of -1/1, "pos" of "neg"/"pos").

    Returns
    -------
    label : object

    Examples
    --------
    >>> int(positive_label([-1, 1, -1, 1]))
    1
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be one-dimensional; got shape {y.shape}.")
    missing = pd.isna(y)
    if missing.any():
        raise ValueError(
            f"PU labels hold {int(missing.sum())} missing value(s) (NaN or None): mark "
            "the unlabeled samples with a label of their own, e.g. 0 for them and 1 for "
            "the labelled positives."
        )
    if y.dtype == object and len({isinstance(label, str) for label in y.tolist()}) > 1:
        raise ValueError(
            "PU labels must be of one type; y mixes strings and other values: "
            f"{list(dict.fromkeys(map(repr, y.tolist())))[:5]}."
        )
    labels = np.unique(y)
    if pos_label is not None:
        if len(labels) > 2 or not any(label == pos_label for label in labels.tolist()):
            raise ValueError(
                f"PU labels hold the positive label pos_label={pos_label!r} and at most one "
                f"other; got {len(labels)} value(s): {labels[:5].tolist()}."
            )
        return pos_label
    if len(labels) != 2:
        raise ValueError(
            "PU labels must hold exactly two values, a positive and an unlabeled one; "
            f"got {len(labels)}: {labels[:5].tolist()}."
        )
    check_positive_label(labels[1])
    return labels[1]


def prior_from_label_frequency(label_frequency, labelled_fraction):
    """Return the fraction of positives hidden among the unlabeled samples.

    With ``l`` the fraction of samples labelled positive and ``c`` the label
    frequency, positives make up ``l / c`` of all samples, so the unlabeled
    part holds ``(l / c - l) / (1 - l)`` positives. For a fully labelled set
    with positive rate ``p`` hidden at label frequency ``c``, ``l = c * p``
    gives the true prior ``(1 - c) * p / (1 - c * p)``.

    Parameters
    ----------
    label_frequency : float
        ``c`` in (0, 1]: the probability that a positive is labelled; values
        below ``labelled_fraction`` are raised to it (the data cannot hold
        fewer positives than labels).
    labelled_fraction : float
        ``l`` in [0, 1): the fraction of samples labelled positive.

    Returns
    -------
    prior : float
        In [0, 1].

    Raises
    ------
    TypeError
        If either argument is not a real number (bools included).
    ValueError
        If either is outside its interval, or NaN.

    Examples
    --------
    >>> round(prior_from_label_frequency(0.5, 0.05), 4)
    0.0526
    """
    label_frequency = _check_real("label_frequency", label_frequency, 0, 1, "right")
    labelled_fraction = _check_real("labelled_fraction", labelled_fraction, 0, 1, "left")
    c = max(label_frequency, labelled_fraction)
    return float((labelled_fraction / c - labelled_fraction) / (1 - labelled_fraction))


def make_pu_labels(y, label_frequency, pos_label=None, random_state=None):
    """Hide positives completely at random (SCAR).

    Each positive keeps its label with probability ``label_frequency``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The true labels, two classes.
    label_frequency : float
        ``c`` in (0, 1]. Exactly ``round(c * n_positives)`` positives (at
        least one) keep their label.
    pos_label : object or None, default=None
        See :func:`positive_label`.
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    s : ndarray of int of shape (n_samples,)
        1 for a labelled positive, 0 for an unlabeled sample.

    Raises
    ------
    TypeError
        If ``label_frequency`` is not a real number (bools included).
    ValueError
        If it is outside (0, 1], or NaN.

    Examples
    --------
    >>> make_pu_labels([0, 1, 1, 0, 1, 1], 0.5, random_state=0).tolist()
    [0, 0, 0, 0, 1, 1]
    """
    label_frequency = _check_real("label_frequency", label_frequency, 0, 1, "right")
    y = column_or_1d(y, warn=True)  # a column, as fit takes it
    positives = np.flatnonzero(y == positive_label(y, pos_label))
    n_kept = max(1, int(round(label_frequency * len(positives))))
    kept = check_random_state(random_state).choice(positives, n_kept, replace=False)
    s = np.zeros(len(y), dtype=np.int64)
    s[kept] = 1
    return s


class _PositiveMajorityWarning(UserWarning):
    """The positive label of PU data holds most samples."""


#: True while labels checked by their caller are passed on (to a prior estimator):
#: a context variable, which belongs to its thread, where a warnings filter belongs
#: to the process and concurrent fits in threads restored each other's (a count for
#: the process silenced the warning in every other thread). A thread a prior
#: estimator starts begins without it, and may warn again.
_LABELS_CHECKED = ContextVar("skdistill_pu_labels_checked", default=False)


@contextmanager
def labels_checked():
    """Leave the positive-majority warning out in this thread, for labels the
    caller has checked (on the samples of non-zero weight, naming its own label)."""
    token = _LABELS_CHECKED.set(True)
    try:
        yield
    finally:
        _LABELS_CHECKED.reset(token)


def _warn_if_positives_are_most(label, positive, sample_weight=None):
    """Warn where the positive class of PU labels holds most of the samples.

    In PU data the labelled positives are a minority, so a "positive" class
    holding most samples usually means the labels were given the other way
    round ("pos"/"unl", where "unl" sorts last and becomes the positive label).
    Samples are counted, not weighed: weights on the labelled positives are no
    sign of reversed labels; samples of weight 0 are absent.

    Parameters
    ----------
    label : object
        The label taken as positive.
    positive : ndarray of bool of shape (n_samples,)
        Which samples carry it.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weights; only whether each is 0 counts.

    Warns
    -----
    UserWarning
        If ``label`` is carried by more than half of the samples present.
    """
    if _LABELS_CHECKED.get():
        return
    present = positive if sample_weight is None else positive[np.asarray(sample_weight) > 0]
    share = float(np.mean(present))
    if share > 0.5:
        label = np.asarray(label).tolist()  # 'unl', not np.str_('unl')
        warnings.warn(
            f"The positive label of the PU data, {label!r}, holds {share:.0%} of the "
            "samples; in positive-unlabeled data the labelled positives are usually a "
            f"minority. If {label!r} marks the unlabeled samples, give the labelled "
            "positives the later label in sorted order (e.g. 1 for them, 0 for the "
            "others).",
            _PositiveMajorityWarning, stacklevel=user_stacklevel(),
        )


def _check_pu_data(estimator, X, y):
    """The 0/1 PU labels and the labelled fraction, checked against ``X``;
    ``estimator`` records ``n_features_in_`` (and ``feature_names_in_``).

    ``X`` itself is left as given: a scorer may select a DataFrame's columns
    by name or read missing values.
    """
    validate_data(estimator, X, y, skip_check_array=True)
    if getattr(estimator, "n_features_in_", None) == 0:  # a scorer's check names a fold's
        raise ValueError(
            f"Found array with 0 feature(s) (shape=({_num_samples(X)}, 0)) while a minimum "
            f"of 1 is required by {type(estimator).__name__}."
        )
    y = column_or_1d(y, warn=True)
    label = positive_label(y)
    s = (y == label).astype(np.int64)
    check_consistent_length(X, s)
    _warn_if_positives_are_most(label, s == 1)
    return s, float(s.mean())


def _warn_of_few_positives(estimator, s):
    """Warn where fewer than ``_FEW_LABELLED_POSITIVES`` samples of the 0/1 PU
    labels ``s`` are labelled positive: estimates from so few spread widely."""
    n_labelled = int(s.sum())
    if n_labelled < _FEW_LABELLED_POSITIVES:
        warnings.warn(
            f"{type(estimator).__name__} estimates the prior from {n_labelled} labelled "
            f"positives; from fewer than {_FEW_LABELLED_POSITIVES}, estimates spread "
            "widely (of 400 samples, 5 labelled positives gave 0.11 to 0.56 in eight "
            "draws where 0.24 was true): check it against what is known of the data, or "
            "pass the prior as a float.",
            UserWarning, stacklevel=user_stacklevel(),
        )


#: What a scorer of the score-based estimators must have (``cross_val_predict``
#: asks for ``predict`` as well).
_SCORER = HasMethods(["fit", "predict", "predict_proba"])


class _PriorEstimator(BaseEstimator):
    """Base of the prior estimators: they take sparse input."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.required = True
        return tags


class _ScorePriorEstimator(_PriorEstimator):
    """A prior estimator that reads out-of-fold scores of a probabilistic
    classifier trained to tell labelled positives from unlabeled samples."""

    _parameter_constraints = {
        "classifier": [None, _SCORER],
        "cv": [NumberInterval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    @restores_state_on_error
    def fit(self, X, y):
        """Estimate the prior from ``X`` and the PU labels ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            PU labels: the later of two labels in sorted order marks a
            labelled positive, the other an unlabeled sample.

        Returns
        -------
        self : object

        Warns
        -----
        UserWarning
            When fewer than 10 samples are labelled positive, or when more than
            a fifth of the labelled positives repeat another that no unlabeled
            sample repeats, and the labelled positives repeat their rows more
            than twice as often as the unlabeled samples: an over-sampler's
            copies, which pull the estimate down.
        """
        self._validate_params()
        given = self.classifier if isinstance(self.classifier, list) else [self.classifier]
        classes = [classifier.__name__ for classifier in given if isinstance(classifier, type)]
        if classes:  # their methods satisfy the constraint; clone failed on them
            raise TypeError(f"classifier holds the class {classes[0]}; pass an instance, e.g. "
                            f"{classes[0]}().")
        s, labelled = _check_pu_data(self, X, y)
        smaller = int(min(s.sum(), len(s) - s.sum()))
        if smaller < self.cv:
            fewer = (f"Give {type(self).__name__}(cv=...) fewer folds (from 2 up to "
                     f"{smaller}), or pass" if smaller >= 2 else "Pass")
            raise ValueError(
                f"Out-of-fold scores with cv={self.cv} need at least {self.cv} labelled "
                f"positives and {self.cv} unlabeled samples; got {int(s.sum())} and "
                f"{int(len(s) - s.sum())}. {fewer} the prior as a number known from "
                "elsewhere."
            )
        _warn_of_few_positives(self, s)
        _warn_of_copied_positives(X, s)
        rng = check_random_state(self.random_state)
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        # the default scorer takes numbers alone: its error is explained by X; a
        # classifier of the user's may read text and fail for other reasons
        with naming_bad_features(self, X) if self.classifier is None else nullcontext():
            scores = [
                (classifier, cross_val_predict(
                    seed_unset_random_states(classifier, rng), X, s, cv=folds,
                    method="predict_proba")[:, 1])
                for classifier in self._scorers(X)
            ]
        self.prior_ = self._prior_from_scores(scores, s, labelled)
        self.labelled_fraction_ = labelled
        return self

    def _scorers(self, X):
        """Unfitted clones of the classifiers whose scores are read."""
        if self.classifier is None:
            return [LogisticRegression(max_iter=1000)]
        return [clone(self.classifier)]


class ElkanNotoPriorEstimator(_ScorePriorEstimator):
    """Elkan & Noto's label-frequency estimator e1, turned into a prior.

    A classifier ``g`` of labelled positives against unlabeled samples
    estimates ``P(s=1 | x) = c * P(y=1 | x)``; on positives whose class is
    certain, ``g(x) = c``. The label frequency is estimated as the mean
    out-of-fold score of the labelled positives, ``c = mean_{s=1} g(x)``, and
    turned into the prior by :func:`prior_from_label_frequency`.

    The estimate is exact for separable classes and a calibrated ``g``; an
    over- or under-confident classifier shifts it. Where the classes overlap,
    ``g`` stays below ``c`` on positives that look negative: ``c`` comes out
    too low and the prior too high.

    Parameters
    ----------
    classifier : classifier with predict and predict_proba, or None, default=None
        Scores the samples; None is ``LogisticRegression(max_iter=1000)``.
        Cloned and fitted ``cv`` times.
    cv : int, default=5
        Stratified folds (shuffled) of the out-of-fold scores.
    random_state : int, RandomState instance or None, default=None
        Shuffles the folds and seeds each classifier whose ``random_state``
        is None (an int makes the estimate repeat exactly).

    Attributes
    ----------
    prior_ : float
        The fraction of positives hidden among the unlabeled samples.
    label_frequency_ : float
        The estimated label frequency ``c``.
    labelled_fraction_ : float
        The fraction of samples labelled positive.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen in ``fit``, where ``X`` has string column
        names.

    References
    ----------
    Elkan & Noto, "Learning Classifiers from Only Positive and Unlabeled
    Data", KDD 2008 (estimator e1).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(2000, class_sep=3, random_state=0)
    >>> s = make_pu_labels(y, 0.5, random_state=0)
    >>> estimator = ElkanNotoPriorEstimator(random_state=0).fit(X, s)
    >>> round(float(prior_from_label_frequency(0.5, s.mean())), 2)
    0.33
    >>> bool(abs(estimator.prior_ - 0.33) < 0.05)
    True
    """

    def __init__(self, classifier=None, cv=5, random_state=None):
        self.classifier = classifier
        self.cv = cv
        self.random_state = random_state

    def _prior_from_scores(self, scores, s, labelled):
        [(_, scores)] = scores
        self.label_frequency_ = float(max(scores[s == 1].mean(), labelled))
        return prior_from_label_frequency(self.label_frequency_, labelled)


def _share_at_or_above(scores, thresholds):
    """The share of ``scores`` at or above each threshold (binary search)."""
    return 1 - np.searchsorted(np.sort(scores), thresholds) / len(scores)


class BestBinPriorEstimator(_ScorePriorEstimator):
    """Best Bin Estimation (BBE) of the prior from out-of-fold scores.

    Among the samples scored above a threshold ``t`` by a classifier of
    labelled positives against unlabeled samples, the unlabeled ones are a
    share ``q_u(t)`` of all unlabeled samples and the positives a share
    ``q_p(t)`` of all labelled positives. Where only positives score above
    ``t`` (the *top bin*), ``q_u(t) / q_p(t)`` is the prior exactly; elsewhere
    it is larger. The threshold minimises the upper confidence bound
    ``q_u / q_p + (1 + gamma) / q_p * (eps_u + eps_p)`` with
    ``eps = sqrt(log(4 / delta) / (2 n))`` (Garg et al. 2021, Algorithm 1),
    and the prior is ``q_u / q_p`` at that threshold.

    It needs only that some region holds positives alone (irreducibility),
    not that the classes are separable, nor calibrated scores. Any region's
    ``q_u / q_p`` is (up to sampling noise) at least the prior, so with
    several scorers the top bin of least bound among them is taken, each
    bound at confidence ``delta / k`` for ``k`` scorers (a union bound).

    Parameters
    ----------
    classifier : classifier with predict and predict_proba, list of them, or None, \
            default=None
        Scores the samples; each is cloned and fitted ``cv`` times. None is
        ``LogisticRegression(max_iter=1000)`` and, for dense input,
        ``HistGradientBoostingClassifier`` as well. On the 34 tasks of
        ``benchmarks/quality.py`` at three label frequencies and three draws
        (``benchmarks/prior_scorers.py``, original features) the pair's mean
        absolute error was 0.107, against 0.150 for LogisticRegression alone
        and 0.129 for gradient boosting alone, at about 7 times
        LogisticRegression's time.
    cv : int, default=5
        Stratified folds (shuffled) of the out-of-fold scores.
    delta : float, default=0.1
        Confidence level in (0, 1) of the bound that picks the threshold.
    gamma : float, default=0.01
        Non-negative slack of that bound.
    random_state : int, RandomState instance or None, default=None
        Shuffles the folds and seeds each classifier whose ``random_state``
        is None (an int makes the estimate repeat exactly).

    Attributes
    ----------
    prior_ : float
        The fraction of positives hidden among the unlabeled samples.
    label_frequency_ : float
        The label frequency ``c`` that prior implies.
    threshold_ : float
        The top bin's threshold on the out-of-fold scores.
    classifier_ : estimator
        The classifier (an unfitted clone) whose scores gave the top bin.
    labelled_fraction_ : float
        The fraction of samples labelled positive.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen in ``fit``, where ``X`` has string column
        names.

    References
    ----------
    Garg, Wu, Smola, Balakrishnan & Lipton, "Mixture Proportion Estimation and
    PU Learning: A Modern Approach", NeurIPS 2021.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(2000, class_sep=3, random_state=0)
    >>> s = make_pu_labels(y, 0.5, random_state=0)
    >>> estimator = BestBinPriorEstimator(random_state=0).fit(X, s)
    >>> bool(abs(estimator.prior_ - 0.33) < 0.05)
    True
    """

    _parameter_constraints = {
        **_ScorePriorEstimator._parameter_constraints,
        "classifier": [None, _SCORER, list],
        "delta": [NumberInterval(Real, 0, 1, closed="neither")],
        "gamma": [NumberInterval(Real, 0, None, closed="left")],
    }

    def __init__(self, classifier=None, cv=5, delta=0.1, gamma=0.01, random_state=None):
        self.classifier = classifier
        self.cv = cv
        self.delta = delta
        self.gamma = gamma
        self.random_state = random_state

    def _scorers(self, X):
        if self.classifier is None:
            scorers = [LogisticRegression(max_iter=1000)]
            if not _is_sparse(X):
                scorers.append(HistGradientBoostingClassifier())
            return scorers
        if isinstance(self.classifier, list):
            if not self.classifier:
                raise ValueError("classifier=[] names no classifier; pass at least one.")
            for classifier in self.classifier:
                if not _SCORER.is_satisfied_by(classifier):
                    raise ValueError(
                        f"classifier holds {classifier!r}, which lacks fit, predict or "
                        "predict_proba; each one scores the samples."
                    )
            return [clone(classifier) for classifier in self.classifier]
        return super()._scorers(X)

    def _prior_from_scores(self, scores, s, labelled):
        # Union bound: each scorer's top bin holds at confidence delta / k.
        delta = self.delta / len(scores)
        bins = [_best_bin(values[s == 1], values[s == 0], delta, self.gamma)
                for _, values in scores]
        chosen = min(range(len(bins)), key=lambda index: bins[index].bound)
        self.classifier_ = scores[chosen][0]
        self.threshold_ = bins[chosen].threshold
        prior = bins[chosen].prior
        # pi = (l / c - l) / (1 - l) solved for c.
        self.label_frequency_ = labelled / (labelled + prior * (1 - labelled))
        return prior


class _TopBin(NamedTuple):
    """A top bin of BBE: its threshold, upper confidence bound and prior."""

    threshold: float
    bound: float
    prior: float


def _best_bin(positive_scores, unlabeled_scores, delta, gamma):
    """The threshold of least upper confidence bound ``(q_u + (1 + gamma) eps) / q_p``
    (Garg et al. 2021, Algorithm 1), as a :class:`_TopBin`."""
    thresholds = np.unique(unlabeled_scores)
    share_p, share_u = (
        _share_at_or_above(scores, thresholds)
        for scores in (positive_scores, unlabeled_scores)
    )
    eps = sum(
        np.sqrt(np.log(4 / delta) / (2 * n))
        for n in (len(positive_scores), len(unlabeled_scores))
    )
    usable = share_p > 0
    if not usable.any():
        # Every labelled positive scores below every unlabeled sample: no top bin.
        return _TopBin(float(thresholds[0]), np.inf, 1.0)
    thresholds, share_p, share_u = thresholds[usable], share_p[usable], share_u[usable]
    bounds = (share_u + (1 + gamma) * eps) / share_p
    best = np.argmin(bounds)
    return _TopBin(
        float(thresholds[best]), float(bounds[best]),
        float(min(share_u[best] / share_p[best], 1.0)),
    )


#: TIcE splits every feature, scaled to [0, 1], at these borders (Bekker & Davis 2018).
_TICE_BORDERS = (0.25, 0.5, 0.75)


def _bin_indicators(X):
    """Sparse (n, 3 d) indicators (CSC) of the upper three TIcE bins of each feature.

    Dense features are min-max scaled to [0, 1]; sparse ones, which must be
    non-negative, are divided by their maximum so that their zeros stay zeros.
    A constant feature falls in bin 0. Bin 0 is left out: its counts are a
    node's total minus the other three, which keeps one-hot data sparse.
    """
    if sp.issparse(X):
        if X.min() < 0:
            raise ValueError("TIcE needs non-negative sparse features; scale them first.")
        low = np.zeros(X.shape[1])
        high = X.max(axis=0).toarray().ravel()
    else:
        low, high = X.min(axis=0), X.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    scaled = sp.coo_matrix(X.multiply(1 / span) if sp.issparse(X) else (X - low) / span)
    bins = np.digitize(scaled.data, _TICE_BORDERS)
    keep = bins > 0
    columns = scaled.col[keep] * 3 + bins[keep] - 1
    return sp.csc_matrix(
        (np.ones(keep.sum()), (scaled.row[keep], columns)), shape=(X.shape[0], 3 * X.shape[1])
    )


def _label_frequency_bound(n_samples, n_labelled, delta, min_size, c_prior):
    """TIcE's lower bound on ``c`` from a subset: ``L / T`` minus a one-sided
    Chebyshev (Cantelli) margin; 0 for subsets smaller than ``min_size``."""
    if n_samples < max(min_size, 1):
        return 0.0
    return n_labelled / n_samples - np.sqrt(
        c_prior * (1 - c_prior) * (1 - delta) / (delta * n_samples)
    )


class TIcEPriorEstimator(_PriorEstimator):
    """TIcE: the label frequency from subsets found by decision-tree induction.

    Any subset of the data gives a lower bound on the label frequency ``c``:
    its labelled share, less a margin for its size. TIcE grows a tree on one
    fold (best-first, each split cutting one feature into the four bins
    [0, .25), [.25, .5), [.5, .75), [.75, 1] after min-max scaling, chosen by
    the max-bepp criterion ``max L / (T + k)``) and evaluates the bound of every
    node on the other folds; the label frequency is the largest bound, averaged
    over the folds, and repeated once with the first estimate as the prior
    guess of ``c`` in the margin. The prior follows from
    :func:`prior_from_label_frequency`.

    It reads the features directly (no classifier) and needs a region of the
    feature space, reachable by axis-aligned splits, that holds positives
    alone.

    Parameters
    ----------
    max_bepp : float, default=5
        ``k`` of the max-bepp split criterion, non-negative.
    max_splits : int, default=500
        Most nodes split per tree; 0 leaves the trivial bound, the labelled
        share of the whole evaluation part (a prior of 1).
    min_set_size : int, default=10
        Smallest subset whose bound counts, and the size a node must exceed
        to be split.
    delta : float or None, default=None
        Confidence of the margin, in (0, 1); None picks
        ``max(0.025, 1 / (1 + 0.004 T))`` for ``T`` samples evaluated, as the
        paper does.
    n_folds : int, default=5
        Random folds; each grows one tree, the others evaluate it. More
        folds grow each tree on fewer samples: a tree that cannot split
        (too few samples, or no labelled positive) adds the trivial bound,
        a prior of 1, so far more folds than the default raise the estimate
        toward it (on 300 samples with a true prior of 0.25: 0.37 with 5
        folds, 0.72 with 60), as in Bekker & Davis's code.
    n_iterations : int, default=2
        Rounds of estimation; the first uses 0.5 as the guess of ``c``.
    random_state : int, RandomState instance or None, default=None
        Draws the folds.

    Attributes
    ----------
    prior_ : float
        The fraction of positives hidden among the unlabeled samples.
    label_frequency_ : float
        The estimated label frequency ``c``.
    labelled_fraction_ : float
        The fraction of samples labelled positive.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen in ``fit``, where ``X`` has string column
        names.

    References
    ----------
    Bekker & Davis, "Estimating the Class Prior in Positive and Unlabeled
    Data through Decision Tree Induction", AAAI 2018.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(2000, class_sep=3, random_state=0)
    >>> s = make_pu_labels(y, 0.5, random_state=0)
    >>> estimator = TIcEPriorEstimator(random_state=0).fit(X, s)
    >>> bool(abs(estimator.prior_ - 0.33) < 0.1)
    True
    """

    _parameter_constraints = {
        "max_bepp": [NumberInterval(Real, 0, None, closed="left")],
        "max_splits": [NumberInterval(Integral, 0, None, closed="left")],
        "min_set_size": [NumberInterval(Integral, 1, None, closed="left")],
        "delta": [None, NumberInterval(Real, 0, 1, closed="neither")],
        "n_folds": [NumberInterval(Integral, 2, None, closed="left")],
        "n_iterations": [NumberInterval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self, max_bepp=5, max_splits=500, min_set_size=10, delta=None, n_folds=5,
        n_iterations=2, random_state=None,
    ):
        self.max_bepp = max_bepp
        self.max_splits = max_splits
        self.min_set_size = min_set_size
        self.delta = delta
        self.n_folds = n_folds
        self.n_iterations = n_iterations
        self.random_state = random_state

    @restores_state_on_error
    def fit(self, X, y):
        """Estimate the prior from ``X`` and the PU labels ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Sparse features must be non-negative.
        y : array-like of shape (n_samples,)
            PU labels: the later of two labels in sorted order marks a
            labelled positive, the other an unlabeled sample.

        Returns
        -------
        self : TIcEPriorEstimator

        Warns
        -----
        UserWarning
            When fewer than 10 samples are labelled positive, or when more than
            a fifth of the labelled positives repeat another that no unlabeled
            sample repeats, and the labelled positives repeat their rows more
            than twice as often as the unlabeled samples: an over-sampler's
            copies, which pull the estimate down.
        """
        self._validate_params()
        s, labelled = _check_pu_data(self, X, y)
        if s.sum() == 0:
            raise ValueError("TIcE needs at least one labelled positive.")
        if self.n_folds > len(s):
            raise ValueError(
                f"n_folds={self.n_folds} is more than the {len(s)} samples: a fold grows its "
                "tree on the samples that draw it, and folds of few samples raise the "
                "estimate (see n_folds); give fewer folds."
            )
        _warn_of_few_positives(self, s)
        _warn_of_copied_positives(X, s)
        with naming_bad_features(self, X):
            X = check_array(X, accept_sparse="csr", dtype=np.float64)
        bins = _bin_indicators(X)
        folds = check_random_state(self.random_state).randint(self.n_folds, size=len(s))
        c = 0.5
        for _ in range(self.n_iterations):
            c = float(np.mean([
                self._fold_estimate(bins, s, folds == fold, c)
                for fold in range(self.n_folds)
            ]))
        self.labelled_fraction_ = labelled
        self.label_frequency_ = max(c, labelled)
        self.prior_ = prior_from_label_frequency(self.label_frequency_, labelled)
        return self

    def _fold_estimate(self, bins, s, tree_rows, c_prior):
        """The largest lower bound on ``c`` over the nodes of one fold's tree."""
        estimate_rows = ~tree_rows
        n_estimate = int(estimate_rows.sum())
        delta = self.delta if self.delta is not None else max(
            0.025, 1 / (1 + 0.004 * n_estimate)
        )

        def bound(n, n_labelled, size=self.min_set_size, delta=delta, c=c_prior):
            return _label_frequency_bound(n, n_labelled, delta, size, c)

        # The whole evaluation part bounds c by its labelled share.
        best = bound(n_estimate, int(s[estimate_rows].sum()), delta=1.0)
        tiebreak = count()
        root = (tree_rows, estimate_rows, np.ones(bins.shape[1] // 3, dtype=bool))
        n_tree_labelled = s[tree_rows].sum()
        queue = [(-bound(tree_rows.sum(), n_tree_labelled, size=0), -n_tree_labelled,
                  next(tiebreak), root)]
        min_labelled = 1.0
        for _ in range(self.max_splits):
            if not queue:
                break
            *_, (tree_node, estimate_node, available) = heapq.heappop(queue)
            split = self._best_split(bins, s, tree_node, estimate_node, available, min_labelled)
            if split is None:
                continue
            feature, children, available = split
            for child_tree, child_estimate in children:
                best = max(best, bound(child_estimate.sum(), s[child_estimate].sum()))
            min_labelled = c_prior * (1 - c_prior) * (1 - delta) / (delta * (1 - best) ** 2)
            for child_tree, child_estimate in children:
                n_tree, n_tree_labelled = child_tree.sum(), s[child_tree].sum()
                if (
                    s[child_estimate].sum() > min_labelled
                    and n_tree > self.min_set_size
                    # A pure node is not split further. Bekker & Davis's tice.py
                    # tests the popped parent's labelled count here, which lets a
                    # child without labelled samples in; the child's own count is
                    # what the rule means, so estimates may differ slightly from theirs.
                    and 0 < n_tree_labelled < n_tree
                ):
                    heapq.heappush(queue, (
                        -bound(n_tree, n_tree_labelled, size=0), -n_tree_labelled,
                        next(tiebreak), (child_tree, child_estimate, available),
                    ))
        return best

    def _best_split(self, bins, s, tree_node, estimate_node, available, min_labelled):
        """The max-bepp split of a node: ``(feature, children, still available)``
        or None when no feature splits it."""
        masks = np.column_stack(
            [tree_node, tree_node & (s == 1), estimate_node, estimate_node & (s == 1)]
        ).astype(np.float64)
        upper = np.asarray(bins.T @ masks).reshape(-1, 3, 4)
        # counts[feature, bin, (tree n, tree labelled, estimate n, estimate labelled)]
        counts = np.concatenate([masks.sum(axis=0) - upper.sum(axis=1, keepdims=True), upper],
                                axis=1)
        useful = available & (counts[:, :, 3].max(axis=1) >= min_labelled)
        n_tree, n_labelled = counts[:, :, 0], counts[:, :, 1]
        bepp = np.divide(n_labelled, n_tree + self.max_bepp, out=np.zeros_like(n_tree),
                         where=n_tree > 0).max(axis=1)
        bepp[~useful] = -1
        feature = int(np.argmax(bepp))
        if bepp[feature] <= 0 or np.count_nonzero(counts[feature, :, 2]) < 2:
            return None
        in_bin = bins[:, 3 * feature:3 * feature + 3].toarray() > 0
        members = np.column_stack([~in_bin.any(axis=1), in_bin])
        children = [(tree_node & member, estimate_node & member) for member in members.T]
        still_available = useful.copy()
        still_available[feature] = False
        return feature, children, still_available


#: What ``prior="estimate"`` uses, chosen in ``docs/pu_learning.md``.
DEFAULT_PRIOR_ESTIMATOR = BestBinPriorEstimator


def _is_sparse(X):
    """Whether ``X`` is a sparse matrix, or a DataFrame of sparse columns only,
    which scikit-learn reads as one (a frame of some dense columns as dense)."""
    if isinstance(X, pd.DataFrame):
        return len(X.columns) > 0 and all(isinstance(dtype, pd.SparseDtype)
                                          for dtype in X.dtypes)
    return sp.issparse(X)


def _row_keys(X):
    """A key per row of ``X``, equal for equal rows; None where rows are no
    arrays of one shape (token lists of several lengths, for a scorer's own
    vectorizer; arrays held in the cells of an object array)."""
    if isinstance(X, pd.DataFrame):  # column by column: text columns stay text
        try:
            return pd.util.hash_pandas_object(X, index=False)
        except (TypeError, ValueError):  # cells that are lists, say, or no column
            return None
    if sp.issparse(X):
        X = sp.csr_matrix(X, copy=True)  # from any format: coo, dia, bsr...
        X.sum_duplicates()  # sorts each row's indices too
        X.eliminate_zeros()
        return pd.Series([(X.indices[start:end].tobytes(), X.data[start:end].tobytes())
                          for start, end in zip(X.indptr[:-1], X.indptr[1:])])
    try:
        rows = np.asarray(X)
    except ValueError:
        return None
    rows = rows.reshape(len(rows), -1)
    if rows.dtype.kind not in "biuf":  # text, categories, objects
        try:
            return pd.util.hash_pandas_object(pd.DataFrame(rows), index=False)
        except TypeError:  # cells that are lists, say
            return None
    if rows.dtype.kind == "f":
        rows = rows + 0.0  # -0.0 is 0.0
    rows = np.ascontiguousarray(rows)
    return pd.Series([row.tobytes() for row in rows])


def _over_sampled_share(keys, s):
    """The share of labelled positives (``s == 1``) that repeat another labelled
    positive which no unlabeled sample repeats, where it looks like an
    over-sampler's copies: above ``_COPIED_POSITIVES``, and the labelled
    positives repeat their rows more than twice as often as the unlabeled
    samples do (rows a class repeats of itself show among the hidden positives
    too). Else 0, as where ``keys`` (of :func:`_row_keys`) is None."""
    if keys is None:
        return 0.0
    labelled, unlabeled = keys[s == 1], keys[s == 0]
    repeated = labelled.duplicated()
    copied = (repeated & ~labelled.isin(unlabeled)).mean()
    if copied > _COPIED_POSITIVES and repeated.mean() > 2 * unlabeled.duplicated().mean():
        return float(copied)
    return 0.0


def _warn_of_copied_positives(X, s):
    """Warn where the labelled positives of ``X`` look like an over-sampler's
    copies (:func:`_over_sampled_share`): held-out folds hold them as well as
    training, which pulls an estimate of the prior down."""
    copied = _over_sampled_share(_row_keys(X), s)
    if copied:
        warnings.warn(
            f"{copied:.0%} of the labelled positives repeat another labelled positive "
            "that no unlabeled sample repeats: copies an over-sampler made? If X was "
            "resampled, its copies in the held-out folds pull the estimated prior down "
            "(BestBinPriorEstimator, the default's: 0.04 for 0.18 after "
            "RandomOverSampler; SMOTE's near-copies as well): estimate the prior on the "
            "data before resampling, and pass it as a float.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def fit_prior(estimator, X, y):
    """Fit a prior estimator and return its prior, checked.

    Parameters
    ----------
    estimator : object
        Has ``fit(X, y)``, which sets ``prior_``: a
        :class:`BestBinPriorEstimator`, :class:`ElkanNotoPriorEstimator`,
        :class:`TIcEPriorEstimator` or one's own. Fitted in place.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        PU labels, 1 for a labelled positive and 0 for an unlabeled sample.

    Returns
    -------
    prior : float
        In [0, 0.999).

    Raises
    ------
    TypeError
        When ``estimator`` has no ``fit``, or is a class.
    ValueError
        When ``fit`` sets no ``prior_`` (a classifier given for an estimator),
        or ``prior_`` is not a number in [0, 0.999): a prior of (nearly) 1
        says that every unlabeled sample is positive, the trivial bound an
        estimator returns where nothing identifies the prior, and no PU risk
        can train on it (the unlabeled part would weigh thousands of times
        the rest).

    Warns
    -----
    UserWarning
        When the prior is above 0.5: most unlabeled samples positive is rare in
        PU data, and is what the estimators return where the prior is not
        identifiable (see the user guide's section on estimating it).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(500, class_sep=3, random_state=0)
    >>> s = make_pu_labels(y, 0.5, random_state=0)
    >>> 0 < fit_prior(BestBinPriorEstimator(random_state=0), X, s) < 1
    True
    """
    return _checked_prior(estimator, X, y, repr(estimator))


def _checked_prior(estimator, X, y, named):
    """:func:`fit_prior`, its messages naming ``estimator`` as ``named`` (as the
    user gave it, not the copy seeded for the fit)."""
    if isinstance(estimator, type) or not callable(getattr(estimator, "fit", None)):
        given = f"the class {estimator.__name__}" if isinstance(estimator, type) \
            else type(estimator).__name__
        raise TypeError(
            "fit_prior needs a prior estimator (an instance), with fit(X, y) setting "
            f"prior_; got {given}."
        )
    # not is_classifier, which fails on an estimator of no scikit-learn base
    if isinstance(estimator, ClassifierMixin):  # DistilledClassifier sets a prior_ too
        raise ValueError(
            f"{named} is a classifier: a prior estimator is one such as "
            "BestBinPriorEstimator, whose fit sets prior_ (give the classifier to one "
            "as its classifier)."
        )
    fitted = estimator.fit(X, y)
    if fitted is None and hasattr(estimator, "prior_"):
        raise ValueError(
            f"{named} set prior_ in fit but returned None: fit must return self, "
            "as scikit-learn's estimators do."
        )
    if not hasattr(fitted, "prior_"):
        raise ValueError(
            f"{named} set no prior_ in fit: a prior estimator is one such as "
            "BestBinPriorEstimator, whose fit sets prior_ (a classifier is not one)."
        )
    value = fitted.prior_
    value = as_scalar(value.detach() if isinstance(value, torch.Tensor) else value)
    shown = value if np.ma.isMaskedArray(value) else np.asarray(value).tolist()
    at_least_one = isinstance(shown, Real) and not isinstance(shown, bool) and shown >= 1
    if not _is_prior(value) and not at_least_one:
        raise ValueError(
            f"The prior estimator {named} gave prior_={shown!r}; a prior must be a "
            "number in [0, 1)."
        )
    if at_least_one or value >= _UNIDENTIFIED_PRIOR:
        raise ValueError(
            f"The prior estimator {named} gave prior_={shown!r}; a prior of "
            f"{_UNIDENTIFIED_PRIOR} or more says every unlabeled sample is positive. "
            "Either the positive class is not the later label in sorted order, or no "
            "region of the data holds positives alone "
            "(short sequence windows, overlapping classes), or the data are too few "
            f"({_num_samples(X)} samples), so the prior cannot be estimated from them: "
            "pass the prior as a float known from elsewhere."
        )
    if value > _IMPLAUSIBLE_PRIOR:
        warnings.warn(
            f"The prior estimator {named} says {float(value) * 100:.3g}% of the unlabeled "
            "samples are positive. Estimates land far above the truth where no region of "
            "the data holds positives alone (short sequence windows, overlapping classes): "
            "check it against what is known of the data, or pass the prior as a float.",
            UserWarning, stacklevel=user_stacklevel(),
        )
    return float(value)
