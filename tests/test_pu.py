"""Positive-unlabeled learning: prior estimators, ``prior="estimate"``, PU labels, PU metrics."""

import re
import threading
from fractions import Fraction
import warnings
from functools import partial
from numbers import Integral

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from skorch import NeuralNet
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, make_scorer, roc_auc_score
from sklearn.model_selection import GridSearchCV, TunedThresholdClassifierCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
from sklearn.exceptions import DataConversionWarning
from sklearn.frozen import FrozenEstimator
from sklearn.utils import check_random_state, get_tags
from sklearn.utils._param_validation import Interval, InvalidParameterError

from skdistill import DistilledClassifier
from skdistill.metrics import (
    pu_estimated_f1_score,
    pu_f1_score,
    pu_f1_scorer,
    pu_roc_auc_score,
)
from skdistill.modules import MLP
from skdistill.pu import (
    BestBinPriorEstimator,
    ElkanNotoPriorEstimator,
    PositiveLabelNameError,
    TIcEPriorEstimator,
    _bin_indicators,
    fit_prior,
    make_pu_labels,
    positive_label,
    prior_from_label_frequency,
)

from .conftest import FAST, ROW_ID_CALLS, RowIdSpy

LABEL_FREQUENCY = 0.5
#: One short round of the student alone: enough where only the prior matters.
ONE_ROUND = {**FAST, "alpha": 0, "meta_epochs": 1, "student_epochs": 1, "random_state": 0}


def scar_task(n_samples, class_sep, random_state=0):
    """A SCAR task with 40 % positives, half of them labelled: X, true y, PU s, prior."""
    X, y = make_classification(
        n_samples, n_features=20, n_informative=10, class_sep=class_sep, weights=[0.6], flip_y=0,
        random_state=random_state,
    )
    s = make_pu_labels(y, LABEL_FREQUENCY, random_state=random_state)
    return X.astype(np.float32), y, s, prior_from_label_frequency(LABEL_FREQUENCY, s.mean())


@pytest.fixture(scope="module")
def separable_task():
    """Classes far apart: a region of positives alone exists, the prior is identifiable."""
    return scar_task(2000, class_sep=3.0)


@pytest.fixture(scope="module")
def small_separable_task():
    """The same kind of task, small enough for quick fits of the nets."""
    return scar_task(600, class_sep=3.0)


# --- the PU risk on real training ----------------------------------------------


def test_nnpu_with_true_prior_recovers_hidden_positive_rate_where_prior_zero_does_not():
    # A net wide enough to memorise 400 samples: treating the unlabeled as
    # negatives, it learns to call most hidden positives negative; the
    # non-negative risk with the true prior keeps about pi of the unlabeled
    # part positive (R_U- >= pi * R_P-).
    X, y, s, prior = scar_task(400, class_sep=1.0)
    unlabeled = s == 0
    assert abs(y[unlabeled].mean() - prior) < 0.01
    student = NeuralNet(
        MLP, module__hidden_units=(128, 128), criterion=torch.nn.BCEWithLogitsLoss,
        optimizer=torch.optim.AdamW, lr=3e-3, optimizer__weight_decay=0.0,
    )

    def positive_rate_of_unlabeled(prior_value):
        model = DistilledClassifier(
            student=student, alpha=0, prior=prior_value, meta_epochs=40, batch_size=64,
            early_stopping=False, random_state=0,
        ).fit(X, s)
        return (model.predict(X[unlabeled]) == 1).mean()

    nnpu_rate = positive_rate_of_unlabeled(prior)
    negative_rate = positive_rate_of_unlabeled(0.0)
    assert abs(nnpu_rate - prior) < 0.05, (nnpu_rate, prior)
    assert negative_rate < prior - 0.1, (negative_rate, prior)


# --- prior estimators -------------------------------------------------------------

each_prior_estimator = pytest.mark.parametrize("estimator", [
    ElkanNotoPriorEstimator(random_state=0), BestBinPriorEstimator(random_state=0),
    TIcEPriorEstimator(random_state=0),
], ids=lambda estimator: type(estimator).__name__)


@pytest.mark.parametrize(
    "estimator, tolerance",
    [
        (BestBinPriorEstimator(random_state=0), 0.02),
        # e1 is biased upwards wherever a positive looks a little negative.
        (ElkanNotoPriorEstimator(random_state=0), 0.07),
        (TIcEPriorEstimator(random_state=0), 0.06),
    ],
)
def test_estimator_lands_near_the_true_prior(separable_task, estimator, tolerance):
    X, _, s, prior = separable_task
    estimated = estimator.fit(X, s).prior_
    assert abs(estimated - prior) < tolerance, (estimated, prior)
    # The label frequency and the prior say the same thing.
    assert prior_from_label_frequency(estimator.label_frequency_, s.mean()) == pytest.approx(
        estimated, abs=1e-9
    )


def test_tice_knobs_move_its_bound_the_documented_way(separable_task):
    # Bekker & Davis's c is the largest lower bound over the nodes of a tree: the
    # labelled share of a node less a margin that narrows as delta grows
    X, _, s, _ = separable_task

    def label_frequency(**params):
        estimator = TIcEPriorEstimator(random_state=0, **params).fit(X, s)
        return estimator.label_frequency_, estimator.labelled_fraction_

    # no split: the trivial bound, c = L / T
    c, labelled = label_frequency(max_splits=0)
    assert c == pytest.approx(labelled, abs=0.01)
    # the larger the smallest node that counts, the fewer bounds, the lower c
    by_size = [label_frequency(min_set_size=size)[0] for size in (10, 100, 350)]
    assert by_size == sorted(by_size, reverse=True) and by_size[0] > by_size[-1]
    # more nodes can only raise the largest bound
    by_splits = [label_frequency(max_splits=n)[0] for n in (0, 1, 5, 500)]
    assert by_splits == sorted(by_splits) and by_splits[-1] > by_splits[0] + 0.1
    # a larger delta, a narrower margin, a higher c
    by_delta = [label_frequency(delta=delta)[0] for delta in (0.01, 0.1, 0.5, 0.9)]
    assert all(low < high for low, high in zip(by_delta, by_delta[1:]))
    # each round starts from the last round's c (the first from 0.5): the steps shrink
    by_rounds = [label_frequency(n_iterations=n)[0] for n in (1, 2, 3, 4)]
    steps = np.abs(np.diff(by_rounds))
    assert steps[0] > steps[1] > steps[2] > 0


def test_elkan_noto_overestimates_the_prior_where_classes_overlap():
    # e1 assumes P(y=1 | x) = 1 on labelled positives; overlap lowers their
    # scores, so c comes out low and the prior high. BBE only needs a region
    # of positives alone.
    X, _, s, prior = scar_task(2000, class_sep=1.0)
    elkan_noto = ElkanNotoPriorEstimator(random_state=0).fit(X, s).prior_
    best_bin = BestBinPriorEstimator(random_state=0).fit(X, s).prior_
    assert elkan_noto > prior + 0.1
    assert abs(best_bin - prior) < abs(elkan_noto - prior)


def ring_task(n_samples=3000, random_state=0):
    """Positives inside a ring of negatives: no linear score isolates them."""
    rng = np.random.default_rng(random_state)
    X = rng.normal(size=(n_samples, 2)).astype(np.float32)
    y = (np.hypot(X[:, 0], X[:, 1]) < 0.8).astype(np.int64)
    s = make_pu_labels(y, LABEL_FREQUENCY, random_state=random_state)
    return X, s, prior_from_label_frequency(s.sum() / y.sum(), s.mean())


def test_best_bin_default_reads_gradient_boosting_scores_where_a_line_cannot_separate():
    X, s, prior = ring_task()
    linear = BestBinPriorEstimator(LogisticRegression(), random_state=0).fit(X, s)
    default = BestBinPriorEstimator(random_state=0).fit(X, s)
    assert abs(linear.prior_ - prior) > 0.2, (linear.prior_, prior)
    assert abs(default.prior_ - prior) < 0.03, (default.prior_, prior)
    assert isinstance(default.classifier_, HistGradientBoostingClassifier)
    # Gradient boosting does not read sparse input: LogisticRegression alone.
    sparse = BestBinPriorEstimator(random_state=0).fit(sp.csr_matrix(X), s)
    assert isinstance(sparse.classifier_, LogisticRegression)
    assert sparse.prior_ == linear.prior_


class ColumnScorer(ClassifierMixin, BaseEstimator):
    """Scores each sample by one of its features, whatever it was fitted on."""

    def __init__(self, column=0):
        self.column = column

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        score = np.asarray(X)[:, self.column]
        return np.column_stack([1 - score, score])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]


def test_best_bin_takes_the_scorer_of_least_bound_not_of_least_estimate():
    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.4).astype(np.int64)
    s = make_pu_labels(y, LABEL_FREQUENCY, random_state=0)
    prior = prior_from_label_frequency(s.sum() / y.sum(), s.mean())
    # Column 0 puts a fifth of the labelled positives alone on top: a small
    # bin, an estimate near 0, a loose bound. Column 1 separates the classes.
    small_bin = np.where((s == 1) & (rng.random(len(s)) < 0.2), 1.0, rng.uniform(0, 0.5, len(s)))
    separating = np.clip(0.5 + 0.25 * (2 * y - 1) + rng.normal(0, 0.15, len(y)), 0, 1)
    X = np.column_stack([small_bin, separating])
    alone = [BestBinPriorEstimator(ColumnScorer(column)).fit(X, s).prior_ for column in (0, 1)]
    assert alone[0] < 0.05 and abs(alone[1] - prior) < 0.01, (alone, prior)
    for order in ([0, 1], [1, 0]):
        pair = BestBinPriorEstimator([ColumnScorer(column) for column in order]).fit(X, s)
        assert pair.classifier_.column == 1
        assert pair.prior_ == alone[1]


def test_best_bin_bounds_each_of_k_scorers_at_delta_over_k():
    X, y = make_classification(500, n_features=5, class_sep=1.0, random_state=3)
    s = make_pu_labels(y, 0.3, random_state=3)

    def prior(classifier, delta):
        return BestBinPriorEstimator(classifier, delta=delta, random_state=0).fit(X, s).prior_

    twice = prior([LogisticRegression(), LogisticRegression()], 0.1)
    assert twice == prior(LogisticRegression(), 0.05) != prior(LogisticRegression(), 0.1)
    assert prior([LogisticRegression()], 0.1) == prior(LogisticRegression(), 0.1)


def test_best_bin_seeds_the_scorers_from_its_random_state():
    X, _, s, _ = scar_task(400, class_sep=1.0)
    forest = RandomForestClassifier(n_estimators=5)
    for classifier in (forest, [forest]):
        priors = {
            BestBinPriorEstimator(classifier, random_state=0).fit(X, s).prior_ for _ in range(3)
        }
        assert len(priors) == 1, priors
    assert forest.random_state is None  # the caller's classifier is left as given


@pytest.mark.parametrize(
    "classifier, message",
    [([], "names no classifier"), ([LogisticRegression(), "tree"], "'tree'")],
)
def test_best_bin_refuses_a_list_without_classifiers(classifier, message):
    X, _, s, _ = scar_task(100, class_sep=2.0)
    with pytest.raises(ValueError, match=message):
        BestBinPriorEstimator(classifier).fit(X, s)


def test_best_bin_gives_a_scorer_without_a_top_bin_the_prior_one():
    # Column 0 scores every labelled positive below every unlabeled sample: no
    # threshold keeps a positive, the estimate is 1 (it crashed in np.argmin);
    # beside a scorer that separates, that one is kept.
    X, y, s, prior = scar_task(400, class_sep=3.0)
    X = np.column_stack([np.where(s == 1, 0.1, 0.6), np.clip(0.5 + 0.2 * (2 * y - 1), 0, 1)])
    assert BestBinPriorEstimator(ColumnScorer(0)).fit(X, s).prior_ == 1.0
    pair = BestBinPriorEstimator([ColumnScorer(0), ColumnScorer(1)]).fit(X, s)
    assert pair.classifier_.column == 1
    assert abs(pair.prior_ - prior) < 0.03, (pair.prior_, prior)


def test_score_based_estimators_hand_a_dataframe_to_the_scorer_as_given():
    # The estimators turned X into a float array: a scorer selecting columns by
    # name failed with "Specifying the columns using strings is only supported for
    # dataframes", although the same pipeline trains as a teacher.
    X, _, s, _ = scar_task(400, class_sep=2.0)
    numbers = [f"f{index}" for index in range(X.shape[1])]
    frame = pd.DataFrame(X, columns=numbers)
    frame["site"] = np.where(np.arange(len(s)) % 2, "K", "R")  # a column no float array holds
    scorer = make_pipeline(
        ColumnTransformer([("numbers", "passthrough", numbers)]), LogisticRegression()
    )
    on_columns = BestBinPriorEstimator(LogisticRegression(), random_state=0).fit(X, s)
    assert BestBinPriorEstimator(scorer, random_state=0).fit(frame, s).prior_ == on_columns.prior_
    assert 0 < ElkanNotoPriorEstimator(scorer, random_state=0).fit(frame, s).prior_ < 1
    model = DistilledClassifier(prior=BestBinPriorEstimator(scorer), **ONE_ROUND)
    assert model.fit(frame.drop(columns="site"), s).prior_ > 0


class ProbabilitiesOnly(BaseEstimator):
    """Has fit and predict_proba but no predict, which cross_val_predict asks for."""

    def fit(self, X, y):
        return self

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)


@pytest.mark.parametrize("estimator", [BestBinPriorEstimator, ElkanNotoPriorEstimator])
def test_score_based_estimators_refuse_a_scorer_without_predict_naming_it(estimator):
    # It passed the check and then failed inside cross_val_predict, naming its
    # 'estimator' parameter, which the caller never set.
    X, _, s, _ = scar_task(100, class_sep=2.0)
    with pytest.raises(InvalidParameterError, match="'classifier' parameter.*'predict'"):
        estimator(ProbabilitiesOnly()).fit(X, s)
    with pytest.raises(ValueError, match="ProbabilitiesOnly.*lacks fit, predict or predict_proba"):
        BestBinPriorEstimator([LogisticRegression(), ProbabilitiesOnly()]).fit(X, s)


def test_a_classifier_given_as_prior_is_refused_naming_what_a_prior_estimator_is():
    # it failed with "gave prior_=None ... An estimate of 1 says ..."
    X, _, s, _ = scar_task(100, class_sep=2.0)
    # named as given: it was shown as the copy seeded for the fit, whose
    # LogisticRegression(random_state=827226311) the user never wrote
    with pytest.raises(ValueError, match=r"^LogisticRegression\(\) is a classifier: a prior "
                                         "estimator is one such as BestBinPriorEstimator"):
        DistilledClassifier(prior=LogisticRegression(), **ONE_ROUND).fit(X, s)
    # a DistilledClassifier sets a prior_ of its own (0.0), which was taken for the estimate
    with pytest.raises(ValueError, match=r"(?s)DistilledClassifier\(.*\) is a classifier"):
        DistilledClassifier(prior=DistilledClassifier(**ONE_ROUND), **ONE_ROUND).fit(X, s)


class PriorWithoutReturn(BaseEstimator):
    def fit(self, X, y):
        self.prior_ = 0.3


def test_a_prior_estimator_whose_fit_returns_none_is_told_to_return_self():
    # it was told it "set no prior_", which it had
    X, _, s, _ = scar_task(100, class_sep=2.0)
    with pytest.raises(ValueError,
                       match="set prior_ in fit but returned None: fit must return self"):
        fit_prior(PriorWithoutReturn(), X, s)


def test_missing_pu_labels_are_refused_naming_them():
    # NaN sorts last in np.unique: {1, NaN} took NaN as the positive label, and
    # the estimators reported 0 labelled positives, pu_roc_auc_score returned nan.
    X, _, s, _ = scar_task(100, class_sep=2.0)
    y = np.where(s == 1, 1.0, np.nan)
    message = r"PU labels hold \d+ missing value\(s\)"
    for score in (
        lambda: BestBinPriorEstimator().fit(X, y),
        lambda: positive_label(pd.Series(y).astype(object).where(s == 1, None)),
        lambda: pu_f1_score(y, np.ones_like(y)),
        lambda: pu_roc_auc_score(y, X[:, 0], prior=0.2),
    ):
        with pytest.raises(ValueError, match=message):
            score()


def test_prior_estimators_warn_where_the_positive_label_holds_most_samples():
    # "pos"/"unl": "unl" sorts last and became the positive label in silence
    # outside DistilledClassifier, which warned.
    X, _, s, _ = scar_task(400, class_sep=2.0)
    y = np.where(s == 1, "pos", "unl")
    for estimator in (BestBinPriorEstimator(LogisticRegression()), TIcEPriorEstimator()):
        with pytest.warns(UserWarning, match="'unl', holds 80% of the samples"):
            estimator.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BestBinPriorEstimator(LogisticRegression()).fit(X, s)


@each_prior_estimator
def test_prior_estimators_record_their_input_as_scikit_learn_estimators_do(estimator):
    # no n_features_in_ nor feature_names_in_, and tags that refused the sparse input
    # they take
    X, _, s, _ = scar_task(300, class_sep=2.0)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    fitted = clone(estimator).fit(frame, s)
    assert fitted.n_features_in_ == X.shape[1]
    assert list(fitted.feature_names_in_) == list(frame.columns)
    assert not hasattr(clone(estimator).fit(X, s), "feature_names_in_")
    assert get_tags(estimator).input_tags.sparse
    assert clone(estimator).fit(sp.csr_matrix(np.abs(X)), s).n_features_in_ == X.shape[1]


@each_prior_estimator
def test_prior_estimators_require_y_as_scikit_learn_says(estimator):
    # their tags said y was optional, so check_estimator skipped check_requires_y_none,
    # and fit(X, None) said "y must be one-dimensional; got shape ()"
    from sklearn.utils.estimator_checks import check_requires_y_none

    assert get_tags(estimator).target_tags.required
    X, _, _, _ = scar_task(100, class_sep=2.0)
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        clone(estimator).fit(X, None)
    check_requires_y_none(type(estimator).__name__, clone(estimator))


@each_prior_estimator
def test_prior_estimators_read_a_column_of_labels_as_scikit_learn_estimators_do(estimator):
    # "y must be one-dimensional; got shape (n, 1)" for a DataFrame's column (df[["y"]]),
    # where DistilledClassifier and scikit-learn's estimators warn and go on
    X, _, s, _ = scar_task(200, class_sep=2.0)
    with pytest.warns(DataConversionWarning):
        column = clone(estimator).fit(X, pd.DataFrame({"label": s})).prior_
    assert column == clone(estimator).fit(X, s).prior_


class GlobalNoiseScorer(ClassifierMixin, BaseEstimator):
    """A scorer that draws from NumPy's and torch's global generators."""

    def fit(self, X, y):
        noise = np.random.normal(size=X.shape) + torch.randn(X.shape).numpy()
        self.model_ = LogisticRegression().fit(X + noise, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def test_a_prior_estimator_drawing_from_global_generators_repeats_with_random_state():
    # it fitted before the fit seeded the global generators: prior_ followed the
    # caller's seed, and the fit moved the caller's generators on
    X, _, s, _ = scar_task(300, class_sep=2.0)
    estimates = []
    for caller_seed in (1, 2):
        np.random.seed(caller_seed)
        torch.manual_seed(caller_seed)
        expected_numpy, expected_torch = np.random.rand(), torch.rand(1)
        np.random.seed(caller_seed)
        torch.manual_seed(caller_seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            clf = DistilledClassifier(prior=ElkanNotoPriorEstimator(GlobalNoiseScorer()),
                                      **FAST, random_state=0).fit(X, s)
        estimates.append(clf.prior_)
        assert np.random.rand() == expected_numpy and torch.equal(torch.rand(1), expected_torch)
    assert estimates[0] == estimates[1]


@each_prior_estimator
def test_a_failed_refit_leaves_the_prior_estimator_as_it_was(estimator):
    # the refit's n_features_in_ and feature_names_in_ stayed beside the old prior_
    X, _, s, _ = scar_task(300, class_sep=2.0)
    fitted = clone(estimator).fit(X, s)
    before = dict(vars(fitted))
    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    with pytest.raises(ValueError, match="two"):
        fitted.fit(frame, np.arange(len(X)) % 3)
    assert vars(fitted).keys() == before.keys()
    assert all(vars(fitted)[name] is value for name, value in before.items())


def test_tice_bins_features_alike_dense_shifted_or_sparse():
    X, _, s, _ = scar_task(600, class_sep=2.0)
    X = np.round(2 * X)  # whole numbers: many exact zeros inside each feature's range
    dense = TIcEPriorEstimator(random_state=0).fit(X, s).prior_
    # Min-max scaling makes the bins blind to a shift of the features (exact here).
    assert TIcEPriorEstimator(random_state=0).fit(X + 3, s).prior_ == dense
    shifted = X - X.min(axis=0)  # non-negative, with zeros: the same as sparse
    sparse = TIcEPriorEstimator(random_state=0).fit(sp.csr_matrix(shifted), s).prior_
    assert sparse == pytest.approx(dense)


@pytest.mark.parametrize(
    "estimator", [TIcEPriorEstimator, BestBinPriorEstimator, ElkanNotoPriorEstimator])
def test_prior_estimators_name_a_text_column_as_the_classifier_does(estimator):
    # scikit-learn's bare "could not convert string to float: 'y'"
    X, _, s, _ = scar_task(200, class_sep=2.0)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])]).assign(
        kind=np.where(s == 1, "x", "y"))
    name = estimator.__name__
    with pytest.raises(ValueError, match=r"X must hold numbers; column\(s\) \['kind'\] hold"):
        estimator(random_state=0).fit(frame, s)
    # TIcE's advice named DistilledClassifier
    with pytest.raises(ValueError, match=rf"{name} takes a 2-D array of numbers: "
                                         rf"encode sequences first, e.g. make_pipeline\("
                                         rf"SequenceEncoder\(\), {name}\(\)\)"):
        estimator(random_state=0).fit(["ACDE", "CDEF"] * 100, s)


def test_a_scorer_of_the_users_fails_with_its_own_error():
    # it may read text: a failure of its own is not blamed on X's text
    X, _, s, _ = scar_task(200, class_sep=2.0)
    frame = pd.DataFrame(X).assign(kind=np.where(s == 1, "x", "y"))
    frame.columns = frame.columns.astype(str)
    with pytest.raises(ValueError, match=r"^could not convert string to float"):
        BestBinPriorEstimator(LogisticRegression(), random_state=0).fit(frame, s)


def test_estimators_take_any_two_labels():
    X, _, s, _ = scar_task(400, class_sep=2.0)
    reference = BestBinPriorEstimator(random_state=0).fit(X, s).prior_
    for labels in (np.where(s == 1, 1, -1), s.astype(bool), np.where(s == 1, "site", "other")):
        assert BestBinPriorEstimator(random_state=0).fit(X, labels).prior_ == reference


@pytest.mark.parametrize(
    "estimator, message",
    [
        (BestBinPriorEstimator(cv=1), "cv"),
        (BestBinPriorEstimator(delta=0), "delta"),
        (ElkanNotoPriorEstimator(classifier="logreg"), "classifier"),
        (TIcEPriorEstimator(max_bepp=-1), "max_bepp"),
        (TIcEPriorEstimator(n_folds=1), "n_folds"),
        (TIcEPriorEstimator(delta=1.0), "delta"),
        # a flag is not a number (scikit-learn's Interval takes True for 1)
        (BestBinPriorEstimator(gamma=True), "gamma"),
        (TIcEPriorEstimator(max_splits=True), "max_splits"),
    ],
)
def test_estimator_parameters_are_checked(estimator, message):
    X, _, s, _ = scar_task(100, class_sep=2.0)
    with pytest.raises(InvalidParameterError, match=message):
        estimator.fit(X, s)


def test_estimators_need_both_kinds_of_samples():
    X, _, s, _ = scar_task(100, class_sep=2.0)
    with pytest.raises(ValueError, match="exactly two values"):
        BestBinPriorEstimator().fit(X, np.ones_like(s))
    few = np.zeros_like(s)
    few[:2] = 1
    with pytest.raises(ValueError, match="at least 5 labelled positives"):
        BestBinPriorEstimator(cv=5).fit(X, few)


# --- prior="estimate" and friends in DistilledClassifier ----------------------------


def test_prior_estimate_sets_prior_near_the_truth(separable_task):
    X, _, s, prior = separable_task
    model = DistilledClassifier(prior="estimate", **ONE_ROUND).fit(X, s)
    assert isinstance(model.prior_, float)
    assert abs(model.prior_ - prior) < 0.02


def test_prior_estimator_object_is_cloned_and_searchable(separable_task):
    X, _, s, prior = separable_task
    estimator = TIcEPriorEstimator(n_folds=3)
    model = DistilledClassifier(prior=estimator, **ONE_ROUND).fit(X, s)
    assert not hasattr(estimator, "prior_")  # the given estimator stays unfitted
    assert abs(model.prior_ - prior) < 0.06
    assert model.get_params()["prior__n_folds"] == 3
    assert clone(model).set_params(prior__n_folds=4).prior.n_folds == 4


def test_float_prior_is_used_as_given(imbalanced_arrays):
    X, y = imbalanced_arrays
    assert DistilledClassifier(prior=0.2, **FAST).fit(X, y).prior_ == 0.2


@pytest.mark.parametrize(
    "labels",
    [lambda s: s, lambda s: np.where(s == 1, 1, -1), lambda s: s == 1,
     lambda s: np.where(s == 1, "site", "background")],
    ids=["0/1", "-1/1", "bool", "strings"],
)
def test_pu_labels_of_any_type(small_separable_task, labels):
    # The positive is classes_[1] (the later label in sorted order): the same
    # fit, prior and predictions whatever the labels are.
    X, _, s, _ = small_separable_task
    y = labels(s)
    model = DistilledClassifier(prior="estimate", **ONE_ROUND).fit(X, y)
    reference = DistilledClassifier(prior="estimate", **ONE_ROUND).fit(X, s)
    assert model.classes_[1] == positive_label(y)
    assert model.prior_ == reference.prior_
    np.testing.assert_array_equal(model.predict(X) == model.classes_[1], reference.predict(X) == 1)


@pytest.mark.parametrize("positive, unlabeled", [("positive", "unlabeled"),
                                                  ("Positive", "Unlabelled"),
                                                  ("P", "U"), ("known", "unknown")])
def test_a_positive_label_named_unlabeled_is_refused(small_separable_task, positive, unlabeled):
    # "positive" sorts before "unlabeled": the unlabeled samples would become the positives.
    X, _, s, _ = small_separable_task
    y = np.where(s == 1, positive, unlabeled)
    for prior in (0.2, "estimate"):
        with pytest.raises(ValueError, match=f"here '{unlabeled}', whose name says"):
            DistilledClassifier(prior=prior, **ONE_ROUND).fit(X, y)
    assert DistilledClassifier(**ONE_ROUND).fit(X, y).classes_[1] == unlabeled  # prior=0
    with pytest.raises(ValueError, match="marks the unlabeled samples"):
        BestBinPriorEstimator().fit(X, y)
    with pytest.raises(ValueError, match=f"marks the unlabeled samples.* Or name it: "
                                         f"pos_label='{positive}'"):
        pu_f1_score(y, y)
    with pytest.raises(ValueError, match=f"Or name it: pos_label='{positive}'"):
        pu_roc_auc_score(y, s, prior=0.2)
    assert pu_f1_score(y, y, pos_label=positive) == pytest.approx(1 / s.mean())
    # the metrics take bytes labels, and scored b"U" as the positive class
    as_bytes = np.char.encode(y)
    with pytest.raises(ValueError, match=f"here '{unlabeled}', whose name says.* Or name "
                                         f"it: pos_label=b'{positive}'"):
        pu_f1_score(as_bytes, as_bytes)


@pytest.mark.parametrize("dtype", [str, object, "string", "category"])
def test_a_positive_class_holding_most_samples_warns(small_separable_task, dtype):
    # "pos"/"unl": the unlabeled code sorts last and trained as the labelled positives;
    # labels read by pandas (object, string, category) then crashed the check
    X, _, s, _ = small_separable_task
    y = pd.Series(np.where(s == 1, "pos", "unl")).astype(dtype)
    with pytest.warns(UserWarning, match=r"positive label of the PU data, 'unl', holds \d+% of the samples"):
        DistilledClassifier(prior=0.2, **ONE_ROUND).fit(X, y)
    # once, naming 'unl': the prior estimator, which reads the encoded labels, warned
    # again naming 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        DistilledClassifier(prior=BestBinPriorEstimator(LogisticRegression()), **ONE_ROUND).fit(
            X, y)
    assert [str(w.message)[:45] for w in caught if "holds" in str(w.message)] == [
        "The positive label of the PU data, 'unl', hol"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DistilledClassifier(prior=0.2, **ONE_ROUND).fit(X, s)  # the positives are a minority
        DistilledClassifier(**ONE_ROUND).fit(X, y)  # prior=0: no PU risk, no such warning


def test_weights_on_the_labelled_positives_are_no_sign_of_reversed_labels(small_separable_task):
    # ten times the weight on the confirmed sites (20 % of the samples) warned that
    # the labels might be the other way round, holding "71 % of the samples"
    X, _, s, _ = small_separable_task
    weight = np.where(s == 1, 10.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DistilledClassifier(prior=0.2, **ONE_ROUND).fit(X, s, sample_weight=weight)
    with pytest.warns(UserWarning, match="holds 80% of the samples"):
        DistilledClassifier(prior=0.2, **ONE_ROUND).fit(X, 1 - s, sample_weight=weight)
    # samples of weight 0 are absent, as fit says (passed counted): with most of the
    # majority class weighing 0, the positives' share of the samples present decides
    for labels, warns in ((s, True), (1 - s, False)):
        weight = np.ones(len(labels))
        majority = np.bincount(labels).argmax()
        weight[np.flatnonzero(labels == majority)[len(labels) // 10:]] = 0.0
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            DistilledClassifier(prior=0.2, **ONE_ROUND).fit(X, labels, sample_weight=weight)
        assert warns == any("positive label of the PU data" in str(w.message) for w in caught)


@pytest.mark.parametrize("teacher", [HistGradientBoostingClassifier(max_iter=5),
                                     [None, LogisticRegression()]])
def test_a_scikit_learn_teacher_of_a_pu_fit_warns_that_it_ignores_the_prior(
    small_separable_task, teacher
):
    # it learns P(labelled | x) with its own loss and pulled the nnPU student toward
    # "unlabeled means negative" without a word
    X, _, s, prior = small_separable_task
    name = "teacher" if not isinstance(teacher, list) else r"teacher\[1\]"
    params = {**ONE_ROUND, "alpha": 0.5}
    with pytest.warns(UserWarning, match=rf"^{name} \(a scikit-learn classifier\) is fitted on "
                                         r"the PU labels with its own loss"):
        DistilledClassifier(teacher=teacher, prior=prior, **params).fit(X, s)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DistilledClassifier(teacher=teacher, **params).fit(X, s)  # prior=0: labels as given
        DistilledClassifier(teacher=teacher, prior=prior, **ONE_ROUND).fit(X, s)  # alpha=0
        DistilledClassifier(prior=prior, **params).fit(X, s)  # the net teacher takes the risk
        # not fitted here: a frozen teacher, or one of weight 0
        frozen = FrozenEstimator(LogisticRegression().fit(X, s))
        DistilledClassifier(teacher=frozen, prior=prior, **params).fit(X, s)
        DistilledClassifier(teacher=[None, LogisticRegression()], teacher_weights=[1, 0],
                            prior=prior, **params).fit(X, s)


def test_several_scikit_learn_teachers_of_a_pu_fit_are_named_in_one_warning(
    small_separable_task
):
    X, _, s, prior = small_separable_task
    teachers = [LogisticRegression(), HistGradientBoostingClassifier(max_iter=5)]
    with pytest.warns(UserWarning, match=r"^teacher\[0\], teacher\[1\] \(scikit-learn "
                                         r"classifiers\) are fitted on the PU labels") as caught:
        DistilledClassifier(teacher=teachers, prior=prior, **{**ONE_ROUND, "alpha": 0.5}).fit(X, s)
    assert len([w for w in caught if "scikit-learn classifier" in str(w.message)]) == 1
    # a warm start keeps the fitted teachers, fitted on the PU labels all the same
    model = DistilledClassifier(teacher=teachers, warm_start=True, **{**ONE_ROUND, "alpha": 0.5})
    model.fit(X, s)  # prior=0: no warning
    with pytest.warns(UserWarning, match="are fitted on the PU labels"):
        model.set_params(prior=prior).fit(X, s)
    # the teachers it keeps, not those ``teacher`` names now, decide
    with pytest.warns(UserWarning, match="are fitted on the PU labels"):
        model.set_params(teacher=[None, None]).fit(X, s)
    net_taught = DistilledClassifier(warm_start=True, **{**ONE_ROUND, "alpha": 0.5}).fit(X, s)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", "warm_start=True goes on with the nets")  # teacher
        net_taught.set_params(teacher=LogisticRegression(), prior=prior).fit(X, s)


class ConstantPrior:
    """The smallest object with the prior estimator protocol."""

    def __init__(self, value):
        self.value = value

    def get_params(self, deep=True):
        return {"value": self.value}

    def set_params(self, **params):
        self.value = params.get("value", self.value)
        return self

    def fit(self, X, y):
        self.prior_ = self.value
        return self


class FitOnly:
    """A prior estimator without get_params, which clone needs."""

    def fit(self, X, y):
        self.prior_ = 0.2
        return self


@pytest.mark.parametrize(
    "prior, error, message",
    [
        (1.0, InvalidParameterError, "prior"),
        (-0.1, InvalidParameterError, "prior"),
        ("guess", InvalidParameterError, "prior"),
        (object(), InvalidParameterError, "prior"),
        (ConstantPrior(1.0), ValueError, r"prior_=1\.0; a prior of 0\.999 or more says every"),
        # told that it said every unlabeled sample is positive
        (ConstantPrior(-0.1), ValueError, r"prior_=-0\.1; a prior must be a number in "
                                          r"\[0, 1\)\.$"),
        (ConstantPrior(float("nan")), ValueError, r"prior_=nan; a prior must be a number"),
        # the refusal showed a seed the caller never set: LinearSVC(random_state=1104680872)
        (BestBinPriorEstimator(LinearSVC()), InvalidParameterError, r"Got LinearSVC\(\) instead"),
        (ConstantPrior(None), ValueError, r"prior_=None"),
        # trained with no positive predicted, where an estimate of it was refused
        (0.999, ValueError, r"prior=0\.999 says 99\.9% of the unlabeled samples are positive: "
                            r"the nnPU risk would weigh them by 1 / \(1 - prior\) = 1,000"),
        # the clone of fit failed with scikit-learn's raw TypeError
        (FitOnly(), InvalidParameterError, "an object implementing 'fit' and 'get_params'"),
    ],
)
def test_bad_prior_is_a_clear_error(imbalanced_arrays, prior, error, message):
    X, y = imbalanced_arrays
    with pytest.raises(error, match=message):
        DistilledClassifier(prior=prior, **FAST).fit(X, y)


@pytest.mark.parametrize("prior", ["estimate", 0.2])
def test_a_prior_needs_the_pu_risk(imbalanced_arrays, prior):
    # with cross-entropy the prior was ignored, bit for bit, while prior_ reported it
    X, y = imbalanced_arrays
    three = y + (np.arange(len(y)) % 3 == 0)
    with pytest.raises(ValueError, match="two-class PU risk; y holds 3 classes, which train "
                       "with cross-entropy. Set prior=0.$"):
        DistilledClassifier(prior=prior, **FAST).fit(X, three)
    # the advice of prior=0 alone failed next on the PU risk's two classes
    with pytest.raises(ValueError, match="3 classes, and true_label_loss='pu' takes two. "
                       "Set prior=0 and true_label_loss='auto'"):
        DistilledClassifier(prior=prior, true_label_loss="pu", **FAST).fit(X, three)
    with pytest.raises(ValueError, match="true_label_loss='bce' trains with cross-entropy"):
        DistilledClassifier(prior=prior, true_label_loss="bce", **FAST).fit(X, y)


def test_settings_of_the_pu_risk_a_fit_does_not_use_are_warned_of(imbalanced_arrays):
    # with several classes, or true_label_loss="bce", they changed no bit, without a word
    X, y = imbalanced_arrays
    three = y + (np.arange(len(y)) % 3 == 0)
    with pytest.warns(UserWarning, match=re.escape(
            "target_prior=0.2 and pu_surrogate='sigmoid' set the PU risk, which this fit "
            "does not use: y holds 3 classes, which trains with cross-entropy. They have no "
            "effect.")):
        DistilledClassifier(target_prior=0.2, pu_surrogate="sigmoid", **FAST).fit(X, three)
    with pytest.warns(UserWarning, match=re.escape(
            "target_prior=0.2 sets the PU risk, which this fit does not use: "
            "true_label_loss='bce', which trains with cross-entropy. It has no effect.")):
        DistilledClassifier(target_prior=0.2, true_label_loss="bce", **FAST).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DistilledClassifier(target_prior=0.2, pu_surrogate="sigmoid", **FAST).fit(X, y)
        DistilledClassifier(**FAST).fit(X, three)


class ConstrainedPrior(ConstantPrior):
    """A protocol object with constraints but no _validate_params."""

    _parameter_constraints = {"value": [float]}


class SeededPrior(BaseEstimator):
    """A prior estimator whose constraints take a seed only, not None."""

    _parameter_constraints = {"random_state": [Integral]}

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y):
        self.prior_ = 0.25
        return self


class NarrowSeedPrior(SeededPrior):
    """A prior estimator taking no seed, or a small one."""

    _parameter_constraints = {"random_state": [Interval(Integral, 0, 10, closed="both"), None]}


def test_a_prior_estimator_refusing_the_drawn_seed_is_told_where_it_came_from(
        imbalanced_arrays):
    # it was refused with "Got 209652396", a seed the caller never gave
    X, y = imbalanced_arrays
    with pytest.raises(InvalidParameterError, match="gave the prior estimator's unset "
                                                    "random_state a seed of its own draw"):
        DistilledClassifier(prior=NarrowSeedPrior(), **ONE_ROUND).fit(X, y)


@pytest.mark.parametrize("prior", [ConstrainedPrior(0.25), SeededPrior()])
def test_prior_estimators_are_checked_as_the_fit_seeds_them(imbalanced_arrays, prior):
    # the check before seeding refused the seedless one and called a _validate_params the
    # protocol object lacks
    X, y = imbalanced_arrays
    assert DistilledClassifier(prior=prior, **ONE_ROUND).fit(X, y).prior_ == 0.25


def test_an_estimate_from_few_labelled_positives_warns():
    # 5 labelled positives of 400 samples gave 0.11 to 0.56 for a true 0.24, without a word
    X, y = make_classification(400, n_features=10, class_sep=2, weights=[0.75],
                               random_state=1)
    positives = np.flatnonzero(y == 1)
    s = np.zeros(len(y), dtype=int)
    s[positives[:5]] = 1
    for estimator in (BestBinPriorEstimator(random_state=0),
                      ElkanNotoPriorEstimator(random_state=0), TIcEPriorEstimator(random_state=0)):
        with pytest.warns(UserWarning, match=f"{type(estimator).__name__} estimates the prior "
                                             "from 5 labelled positives; from fewer than 10"):
            estimator.fit(X, s)
    s[positives[:10]] = 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TIcEPriorEstimator(random_state=0).fit(X, s)


def test_fit_prior_accepts_own_protocol_objects():
    assert fit_prior(ConstantPrior(0.25), None, None) == 0.25


def test_an_estimate_of_mostly_positive_unlabeled_samples_warns():
    # the estimators return priors near 1 on sequence windows (0.997 for a truth of
    # 0.05), and a model trained on it predicted no window positive, without a word
    with pytest.warns(UserWarning, match="says 80% of the unlabeled samples are positive"):
        assert fit_prior(ConstantPrior(0.8), None, None) == 0.8
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fit_prior(ConstantPrior(0.5), None, None) == 0.5
    # an accepted estimate just below the bound of 0.999 was told as 100 %, the words of
    # the refused ones
    with pytest.warns(UserWarning, match=r"says 99\.8% of the unlabeled samples"):
        assert fit_prior(ConstantPrior(0.9984), None, None) == 0.9984


@pytest.mark.parametrize("positive, negative", [("+", "-"), ("+1", "-1")])
def test_a_positive_label_named_negative_is_refused(small_separable_task, positive, negative):
    # "-" sorts after "+": make_pu_labels hid and labelled the non-sites, in silence
    X, y_true, s, _ = small_separable_task
    y = np.where(y_true == 1, positive, negative)
    with pytest.raises(ValueError, match=f"here '{negative}', whose name says it marks the "
                                         r"negative \(or unlabeled\) samples"):
        make_pu_labels(y, 0.5, random_state=0)
    with pytest.raises(ValueError, match=f"here '{negative}', whose name says"):
        DistilledClassifier(prior=0.2, **ONE_ROUND).fit(X, np.where(s == 1, positive, negative))
    labelled = make_pu_labels(y, 0.5, pos_label=positive, random_state=0)
    assert set(np.flatnonzero(labelled)) <= set(np.flatnonzero(y == positive))
    # the metrics name their pos_label (a first version matched the message's words)
    with pytest.raises(PositiveLabelNameError, match=re.escape(
            f"Or name it: pos_label='{positive}'")):  # a ValueError of another class
        pu_f1_score(y, y)


# --- SCAR labels and the prior formula ------------------------------------------------


def test_make_pu_labels_keeps_only_positives_at_the_label_frequency():
    y = np.array([0] * 60 + [1] * 40)
    s = make_pu_labels(y, 0.25, random_state=0)
    assert s.sum() == 10 and set(np.flatnonzero(s)) <= set(np.flatnonzero(y))
    # The prior of the unlabeled part is the formula's.
    assert y[s == 0].mean() == pytest.approx(prior_from_label_frequency(0.25, s.mean()))
    with pytest.raises(ValueError, match="label_frequency"):
        make_pu_labels(y, 0.0)
    # a column, as fit takes it: it was "y must be one-dimensional"
    with pytest.warns(DataConversionWarning):
        column = make_pu_labels(y.reshape(-1, 1), 0.25, random_state=0)
    np.testing.assert_array_equal(column, s)


@pytest.mark.parametrize("make", [
    lambda value: make_pu_labels([0, 1, 1, 0], value),
    lambda value: prior_from_label_frequency(value, 0.1),
], ids=["make_pu_labels", "prior_from_label_frequency"])
@pytest.mark.parametrize("value, error, message", [
    # True kept every positive labelled; the others ended in "'<' not supported"
    (True, TypeError, "label_frequency must be a real number, got True"),
    ("0.5", TypeError, "label_frequency must be a real number, got '0.5'"),
    (None, TypeError, "label_frequency must be a real number, got None"),
    (float("nan"), ValueError, r"label_frequency must be in \(0, 1\], got nan"),
    (1.5, ValueError, r"label_frequency must be in \(0, 1\], got 1.5"),
])
def test_a_label_frequency_that_is_no_fraction_is_named(make, value, error, message):
    with pytest.raises(error, match=message):
        make(value)


def test_label_frequencies_of_zero_dimensional_arrays_are_numbers():
    # refused by the first version of the check; numpy reductions give them
    assert prior_from_label_frequency(np.array(0.5), torch.tensor(0.05)) == pytest.approx(
        prior_from_label_frequency(0.5, 0.05))
    assert make_pu_labels([0, 1, 1, 0], np.array(0.5), random_state=0).sum() == 1


def test_a_labelled_fraction_that_is_no_fraction_is_named():
    with pytest.raises(TypeError, match="labelled_fraction must be a real number, got None"):
        prior_from_label_frequency(0.5, None)
    with pytest.raises(ValueError, match=r"labelled_fraction must be in \[0, 1\), got 1"):
        prior_from_label_frequency(0.5, 1)


def test_prior_formula_matches_hidden_positive_fraction():
    p, c = 0.092, 0.5
    assert prior_from_label_frequency(c, c * p) == pytest.approx((1 - c) * p / (1 - c * p))
    assert prior_from_label_frequency(1.0, 0.3) == 0.0
    # A label frequency below the labelled share is raised to it: all unlabeled positive.
    assert prior_from_label_frequency(0.1, 0.3) == pytest.approx(1.0)


# --- metrics --------------------------------------------------------------------------


def test_pu_f1_estimates_precision_times_recall_where_f1_on_pu_labels_misleads(separable_task):
    _, y, s, _ = separable_task
    # Predictions that depend on the sample, not on which positives were
    # labelled (as a model's predictions on held-out data do): the true labels
    # with 10 % of them flipped.
    flipped = np.random.RandomState(0).rand(len(y)) < 0.1
    y_pred = np.where(flipped, 1 - y, y)
    precision_times_recall = (
        (y_pred[y == 1] == 1).mean() * (y[y_pred == 1] == 1).mean() / y.mean()
    )
    assert pu_f1_score(s, y_pred) == pytest.approx(precision_times_recall, abs=0.1)
    # F1 against the PU labels counts every hidden positive found as an error.
    assert f1_score(s, y_pred) < f1_score(y, y_pred) - 0.2
    # Recall alone (finding half the positives) scores lower than finding them all.
    half = np.where(np.random.RandomState(1).rand(len(y)) < 0.5, y, 0)
    assert pu_f1_score(s, half) < pu_f1_score(s, y)


def test_pu_f1_score_values_and_labels():
    assert pu_f1_score([1, 1, 0, 0, 0, 0], [1, 0, 1, 0, 0, 0]) == 0.75
    assert pu_f1_score(["u", "p", "u"], ["u", "u", "u"], pos_label="p") == 0.0
    assert pu_f1_score([-1, 1, -1, 1], [1, 1, -1, -1]) == 0.5
    with pytest.raises(ValueError, match="samples"):
        pu_f1_score([0, 1], [1])
    # a column of predictions is read as scikit-learn's metrics read it
    with pytest.warns(DataConversionWarning):
        assert pu_f1_score([0, 0, 1, 1], np.array([[0], [1], [1], [0]])) == 0.5
    # predictions of another kind than y_true's scored 0.0 without a word
    for score in (pu_f1_score, partial(pu_estimated_f1_score, prior=0.2)):
        with pytest.raises(ValueError, match=r"y_pred holds labels y_true lacks: \[0, 1\]"):
            score(["site", "background", "site"], [1, 1, 0])
        # one such label (a typo, another encoding of a class) passed where two were refused
        with pytest.raises(ValueError, match=r"y_pred holds labels y_true lacks: \[2\]"):
            score([1, 0, 0, 0], [1, 2, 0, 0])


@pytest.mark.parametrize("metric", [
    pu_f1_score, partial(pu_estimated_f1_score, prior=0.2),
    lambda y, pred, **kw: pu_roc_auc_score(y, pred, prior=0.2, **kw),
], ids=["pu_f1", "estimated_f1", "roc_auc"])
def test_pu_metrics_weigh_as_repeated_samples(metric):
    # they took no sample_weight: a routed scorer raised TypeError
    rng = np.random.default_rng(0)
    y = (rng.random(40) < 0.3).astype(int)  # the labelled positives a minority
    pred = np.where(rng.random(40) < 0.7, y, 1 - y)
    counts = rng.integers(0, 4, 40)
    counts[np.flatnonzero(y == 1)[0]] = 1
    assert metric(y, pred, sample_weight=counts) == pytest.approx(
        metric(np.repeat(y, counts), np.repeat(pred, counts)))
    assert metric(y, pred, sample_weight=np.full(40, 0.5)) == pytest.approx(metric(y, pred))
    with pytest.raises(ValueError, match=r"labelled positives \(of positive label 1\) a total"):
        metric(y, pred, sample_weight=(y == 0).astype(float))
    # weights near float64's largest sum without overflowing (0.0 instead of a score),
    # and without a warning, tiny ones beside them kept
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert metric(y, pred, sample_weight=counts * 1e307) == pytest.approx(
            metric(y, pred, sample_weight=counts))
        mixed = np.where(y == 1, 1e-20, 1e308)
        assert metric(y, pred, sample_weight=mixed) == pytest.approx(
            metric(y, pred, sample_weight=mixed / 4))
    # and subnormal ones without vanishing (the positives' weight became 0)
    tiny = np.where(y == 1, 5e-324, 1.0)
    assert metric(y, pred, sample_weight=tiny) == metric(y, pred, sample_weight=2 * tiny)


def test_pu_roc_auc_reads_a_column_of_labels_as_pu_f1_score_does():
    # "y must be one-dimensional", where pu_f1_score and roc_auc_score warn and go on
    y, scores = np.array([1, 0, 1, 0, 0, 1]), [0.9, 0.2, 0.4, 0.5, 0.1, 0.8]
    with pytest.warns(DataConversionWarning):
        column = pu_roc_auc_score(y[:, None], scores, prior=0.25)
    assert column == pu_roc_auc_score(y, scores, prior=0.25)


@pytest.mark.parametrize("metric", [
    pu_f1_score, partial(pu_estimated_f1_score, prior=0.2), partial(pu_roc_auc_score, prior=0.2),
], ids=["pu_f1", "estimated_f1", "roc_auc"])
def test_negative_weights_are_refused(metric):
    # documented, untested: negative weights passed
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        metric([1, 1, 0, 0, 0, 0], [1.0, 0.0, 1.0, 0.0, 0.0, 0.0],
               sample_weight=[1.0, 1.0, -0.5, 1.0, 1.0, 1.0])


def test_pu_roc_auc_needs_weight_on_the_unlabeled_samples_too():
    # all unlabeled samples at weight 0 gave nan with a warning
    y = np.array([1, 1, 0, 0])
    with pytest.raises(ValueError, match="unlabeled samples .* a total weight of 0"):
        pu_roc_auc_score(y, [0.9, 0.8, 0.1, 0.2], prior=0.2, sample_weight=[1, 1, 0, 0])


def test_pu_roc_auc_recovers_the_true_roc_auc():
    rng = np.random.RandomState(0)
    y = rng.rand(20000) < 0.3
    score = rng.normal(size=len(y)) + 1.2 * y
    s = make_pu_labels(y, 0.4, random_state=0)
    prior = y[s == 0].mean()
    recovered = pu_roc_auc_score(s, score, prior=prior)
    assert roc_auc_score(s, score) < roc_auc_score(y, score) - 0.05
    assert recovered == pytest.approx(roc_auc_score(y, score), abs=0.01)
    with pytest.raises(ValueError, match="prior"):
        pu_roc_auc_score(s, score, prior=1.0)


def test_pu_estimated_f1_recovers_the_true_f1():
    rng = np.random.RandomState(0)
    y = (rng.rand(20000) < 0.3).astype(int)
    s = make_pu_labels(y, 0.4, random_state=0)
    prior = y[s == 0].mean()
    for noise in (0.05, 0.2):  # predictions of the sample, not of its PU label
        y_pred = np.where(rng.rand(len(y)) < noise, 1 - y, y)
        assert pu_estimated_f1_score(s, y_pred, prior=prior) == pytest.approx(
            f1_score(y, y_pred), abs=0.01)
        assert f1_score(s, y_pred) < f1_score(y, y_pred) - 0.2
    # prior 0: the PU labels taken as true
    assert pu_estimated_f1_score(s, y_pred, prior=0.0) == pytest.approx(f1_score(s, y_pred))
    assert pu_estimated_f1_score(["p", "u"], ["u", "u"], prior=0.5, pos_label="p") == 0.0
    with pytest.raises(ValueError, match="prior"):
        pu_estimated_f1_score(s, y_pred, prior=1.0)
    with pytest.raises(ValueError, match="samples"):
        pu_estimated_f1_score([0, 1], [1], prior=0.1)
    with pytest.raises(ValueError, match="positive label pos_label=2"):
        pu_estimated_f1_score([0, 1], [1, 1], prior=0.1, pos_label=2)


@pytest.mark.parametrize(
    "call",
    [
        # nan: roc_auc_score of an all-False target
        lambda: pu_roc_auc_score([0, 1, 0], [0.2, 0.9, 0.1], prior=0.1, pos_label=5),
        # 3.0: three labels were scored as two
        lambda: pu_f1_score([0, 1, 2], [0, 1, 2], pos_label=2),
        # NumPy's "'a' cannot be empty unless no samples are taken"
        lambda: make_pu_labels([0, 1, 1, 0], 0.5, pos_label=7),
    ],
    ids=["pu_roc_auc_score", "pu_f1_score", "make_pu_labels"],
)
def test_a_positive_label_missing_or_among_three_is_named(call):
    with pytest.raises(ValueError, match="positive label pos_label="):
        call()


def test_a_prior_that_is_not_a_number_is_named():
    # None ended in "'<=' not supported between instances of 'int' and 'NoneType'";
    # a tensor of 0.2 was "must be in [0, 1)", naming no type
    for prior in (None, "0.1", True, torch.tensor(0.2)):
        with pytest.raises(ValueError, match=r"prior must be a real number \(not a bool\) "
                                             r"in \[0, 1\); got .* of type"):
            pu_roc_auc_score([0, 1, 0], [0.2, 0.9, 0.1], prior=prior)


def test_pu_estimated_f1_tunes_the_threshold_of_a_pu_model(small_separable_task):
    X, y, s, prior = small_separable_task
    scorer = make_scorer(pu_estimated_f1_score, prior=prior)
    tuned = TunedThresholdClassifierCV(
        DistilledClassifier(**{**ONE_ROUND, "student_epochs": 5}, prior=prior),
        scoring=scorer, cv=2, random_state=0,
    ).fit(X, s)
    assert 0 < tuned.best_threshold_ < 1
    assert tuned.best_score_ == pytest.approx(f1_score(y, tuned.predict(X)), abs=0.1)


def test_pu_f1_scorer_in_grid_search(small_separable_task):
    X, _, s, _ = small_separable_task
    search = GridSearchCV(
        DistilledClassifier(**{**ONE_ROUND, "student_epochs": 5}),
        {"prior": [0.0, "estimate"]},
        scoring=pu_f1_scorer, cv=2,
    ).fit(X, s)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_score_ > 1.0  # above 1: recall ** 2 / P(pred = 1) with P(y = 1) = 0.4


@pytest.mark.parametrize("value", [1.0, 0.99997])
def test_a_prior_at_the_trivial_bound_is_refused_naming_both_causes(value):
    # 0.99997 was accepted with a warning, and the student, weighing the unlabeled part
    # by 17,000, predicted no sample positive; 1.0 blamed the label order alone
    X, _, s, _ = scar_task(100, class_sep=2.0)
    with pytest.raises(ValueError, match=r"not the later label in sorted order, or no region "
                                         r"of the data holds positives alone .*, or the data "
                                         r"are too few \(100 samples\)"):
        fit_prior(ConstantPrior(value), X, s)
    assert fit_prior(ConstantPrior(0.99), X, s) == 0.99


@pytest.mark.parametrize("metric", [
    pu_f1_score, partial(pu_estimated_f1_score, prior=0.1),
    lambda y, pred: pu_roc_auc_score(y, (pred == "background").astype(float), prior=0.1),
], ids=["pu_f1", "estimated_f1", "roc_auc"])
def test_pu_metrics_warn_where_the_positive_label_holds_most_samples(metric):
    # "Site" sorts before "background": the metrics scored "background", 80 % of the
    # samples, as the positive class in silence (the estimators warned)
    y = np.array(["Site"] * 20 + ["background"] * 80)
    with pytest.warns(UserWarning, match="'background', holds 80% of the samples"):
        metric(y, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pu_f1_score(y, y, pos_label="Site")
        pu_f1_score(y, y, pos_label="background")  # named: taken as meant
        # the samples of weight 0 are absent: "background" is a minority of the rest
        pu_f1_score(y, y, sample_weight=np.r_[np.ones(20), np.ones(10), np.zeros(70)])


def test_pu_roc_auc_refuses_labels_for_scores_naming_the_scorer_to_make(small_separable_task):
    # make_scorer's default response_method passes predict's labels: every fold was nan
    X, _, s, prior = small_separable_task
    y = np.where(s == 1, "site", "background")
    with pytest.raises(ValueError, match=r"y_score holds labels such as 'background', "
                                         r"'site', not scores.*response_method"):
        pu_roc_auc_score(y, y, prior=prior)
    scorer = make_scorer(pu_roc_auc_score, prior=prior,
                         response_method=("decision_function", "predict_proba"))
    scores = cross_val_score(LogisticRegression(), X, y, scoring=scorer, cv=2)
    assert (scores > 0.9).all()
    # scores in an object array (a DataFrame column of mixed origin) are still scores
    proba = np.linspace(0, 1, len(y))
    assert pu_roc_auc_score(y, proba.astype(object), prior=prior) == pu_roc_auc_score(
        y, proba, prior=prior)
    # and a missing one is named so, not taken for labels
    with pytest.raises(ValueError, match="y_score holds a missing value .* at sample 3"):
        pu_roc_auc_score(y, pd.Series(proba).astype(object).mask(np.arange(len(y)) == 3,
                                                                 pd.NA), prior=prior)
    # labels stored as strings are labels, numbers or not, and in a column too
    digits = np.where(s == 1, "1", "0")
    for labels in (digits, digits.astype(object), y[:, None], digits.astype(bytes)):
        with pytest.raises(ValueError, match="not scores"):
            pu_roc_auc_score(digits, labels, prior=prior)
    # both columns of predict_proba: scikit-learn's "y should be a 1d array" named no fix
    with pytest.raises(ValueError, match=r"y_score has 2 columns.*predict_proba\(X\)\[:, 1\]"):
        pu_roc_auc_score(y, np.column_stack([1 - proba, proba]), prior=prior)


def test_fit_prior_names_what_is_no_estimator():
    # AttributeError: 'NoneType' object has no attribute 'fit'
    with pytest.raises(TypeError, match=r"fit_prior needs a prior estimator \(an instance\), "
                                        r"with fit\(X, y\) setting prior_; got NoneType"):
        fit_prior(None, np.zeros((4, 1)), [0, 1, 0, 1])
    # "vars() argument must have __dict__ attribute"
    with pytest.raises(TypeError, match="got the class BestBinPriorEstimator"):
        fit_prior(BestBinPriorEstimator, np.zeros((4, 1)), [0, 1, 0, 1])


def test_a_prior_of_a_zero_dimensional_array_is_a_number():
    # numpy reductions give them; "prior_=0.3" was refused as not in [0, 1)
    assert fit_prior(ConstantPrior(np.array(0.3)), None, None) == 0.3
    # a torch reduction's 0-d tensor, as the losses take it: it was refused as
    # "prior_=0.30000001192092896; a prior must be a number in [0, 1)"
    assert fit_prior(ConstantPrior(torch.tensor(0.25)), None, None) == 0.25
    # one that requires grad ended in torch's "Can't call numpy() on Tensor that requires
    # grad"; a masked one was taken as NaN, refused later as a prior given as nan
    assert fit_prior(ConstantPrior(torch.tensor(0.25, requires_grad=True)), None, None) == 0.25
    with pytest.raises(ValueError, match=r"(?s)gave prior_=masked_array.*a prior must be a number"):
        fit_prior(ConstantPrior(np.ma.masked_array(0.3, mask=True)), None, None)
    # a Fraction failed in formatting the warning of an implausible prior
    with pytest.warns(UserWarning, match="says 75% of the unlabeled samples"):
        assert fit_prior(ConstantPrior(Fraction(3, 4)), None, None) == 0.75
    scored = ([1, 0, 0, 0], [0.9, 0.2, 0.1, 0.3])
    assert pu_roc_auc_score(*scored, prior=np.array(0.2)) == pu_roc_auc_score(*scored, prior=0.2)


def test_too_few_labelled_positives_for_the_folds_name_both_ways_out(imbalanced_arrays):
    X, y = imbalanced_arrays
    s = np.zeros_like(y)
    s[np.flatnonzero(y)[:3]] = 1
    with pytest.raises(ValueError, match=r"cv=5 need at least 5 labelled positives.*got 3.*"
                                         r"BestBinPriorEstimator\(cv=\.\.\.\) fewer folds.*"
                                         r"pass the prior as a number"):
        DistilledClassifier(prior="estimate", **FAST).fit(X, s)
    # with one labelled positive, no number of folds goes from 2 up to 1
    s[np.flatnonzero(s)[1:]] = 0
    with pytest.raises(ValueError, match=r"got 1 and \d+\. Pass the prior as a number known"):
        DistilledClassifier(prior="estimate", **FAST).fit(X, s)


@pytest.mark.parametrize("estimator", [BestBinPriorEstimator, ElkanNotoPriorEstimator,
                                       TIcEPriorEstimator])
def test_input_of_no_column_is_refused_naming_its_shape(estimator):
    # BestBinPriorEstimator's scorer named the shape of a fold: (240, 0) for 300 samples
    s = np.r_[np.ones(50), np.zeros(250)]
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(300, 0\)\)"):
        estimator().fit(np.empty((300, 0)), s)


def test_prior_estimator_settings_that_cannot_work_are_refused_naming_them():
    # a class given as the classifier failed in clone ("Cannot clone object"); TIcE's folds
    # beyond the samples were empty and gave 0.998 for a prior of 0.33
    X, _, s, _ = scar_task(150, class_sep=2.0)
    for estimator in (BestBinPriorEstimator, ElkanNotoPriorEstimator):
        with pytest.raises(TypeError, match=r"classifier holds the class LogisticRegression; "
                                            r"pass an instance, e.g. LogisticRegression\(\)"):
            estimator(classifier=LogisticRegression).fit(X, s)
    with pytest.raises(TypeError, match="the class LogisticRegression"):
        BestBinPriorEstimator(classifier=[LogisticRegression(), LogisticRegression]).fit(X, s)
    with pytest.raises(ValueError, match="n_folds=1000 is more than the 150 samples"):
        TIcEPriorEstimator(n_folds=1000).fit(X, s)


def test_metrics_name_labels_without_an_unlabeled_sample():
    # unweighted: nan with a warning; weighted: an error blaming sample_weight
    for weight in (None, [1, 1, 1]):
        with pytest.raises(ValueError, match=r"y_true holds no unlabeled samples"):
            pu_roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3], prior=0.1, pos_label=1,
                             sample_weight=weight)
    # the other prediction was a label "y_true lacks": the criterion is defined
    assert pu_f1_score([1, 1, 1], [1, 0, 1], pos_label=1) == pytest.approx((2 / 3) ** 2 / (2 / 3))
    with pytest.raises(ValueError, match=r"y_pred holds labels y_true lacks"):
        pu_f1_score([1, 1, 0], [1, 2, 3])
    # where y_true held the positive label alone, any one value passed as "not positive"
    for other in (None, 0.5):
        with pytest.raises(ValueError, match=rf"y_pred holds values that are no class labels: "
                                             rf"\[{other}\]"):
            pu_f1_score([1, 1, 1], [1, other, 1], pos_label=1)
    # labels in an object array (a pandas object column) stay labels
    assert pu_f1_score([1, 1, 1, 1], np.array([1, 0, 0, 1], dtype=object), pos_label=1) == 0.5


def test_pu_labels_of_mixed_types_are_named():
    # a bare "'<' not supported between instances of 'str' and 'int'"
    labels = np.array([1, "u", 1, "u"], dtype=object)
    with pytest.raises(ValueError, match="PU labels must be of one type"):
        pu_f1_score(labels, labels)


def test_estimated_f1_is_clipped_to_one():
    # predicting exactly the labelled positives: precision estimated above 1 without the clip
    s = np.array([1, 1, 0, 0, 0, 0, 0, 0])
    # recall 1, precision 1 * 0.4 / 0.25 = 1.6 clipped to 1 (F1 1.23 unclipped)
    assert pu_estimated_f1_score(s, s, prior=0.2) == pytest.approx(1.0)


def _skewed_task(n_samples=400, seed=0):
    """Scores in column 0 (a skewed distribution, so its mean and median differ) and
    PU labels: positives score high, some of them labelled."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n_samples) < 0.3).astype(np.int64)
    score = np.where(y == 1, 1 - rng.random(n_samples) ** 3 * 0.6, rng.random(n_samples) ** 2)
    s = np.where((y == 1) & (rng.random(n_samples) < 0.5), 1, 0)
    return np.column_stack([score, rng.random(n_samples)]), s


def test_elkan_noto_takes_the_mean_score_of_the_labelled_positives():
    # a worked example: with the scores a column, e1 is their mean on the labelled
    # positives (a mutation to the median went unseen)
    X, s = _skewed_task()
    estimator = ElkanNotoPriorEstimator(ColumnScorer(0)).fit(X, s)
    c = X[s == 1, 0].mean()
    assert np.mean(X[s == 1, 0]) != pytest.approx(np.median(X[s == 1, 0]), abs=1e-3)
    assert estimator.label_frequency_ == pytest.approx(c)
    assert estimator.prior_ == pytest.approx((s.mean() / c - s.mean()) / (1 - s.mean()))


@pytest.mark.parametrize("seed, delta, gamma", [(0, 0.5, 0.3), (12, 0.1, 0.5)])
def test_best_bin_is_garg_et_al_on_a_worked_example(seed, delta, gamma):
    # Algorithm 1 of Garg et al. (2021) written out threshold by threshold: the margin,
    # its (1 + gamma) and the bins at or above each unlabeled score were pinned only by
    # an assertion that two deltas differ. On these 60 samples the margin decides the
    # bin: log(1 / delta) or (1 - gamma) in it picks another
    X, s = _skewed_task(60, seed)
    estimator = BestBinPriorEstimator(ColumnScorer(0), delta=delta, gamma=gamma).fit(X, s)
    positives, unlabeled = X[s == 1, 0], X[s == 0, 0]
    eps = (np.sqrt(np.log(4 / delta) / (2 * len(positives)))
           + np.sqrt(np.log(4 / delta) / (2 * len(unlabeled))))
    best = None
    for threshold in sorted(set(unlabeled)):
        q_p, q_u = np.mean(positives >= threshold), np.mean(unlabeled >= threshold)
        if q_p > 0 and (best is None or (q_u + (1 + gamma) * eps) / q_p < best[0]):
            best = ((q_u + (1 + gamma) * eps) / q_p, threshold, q_u / q_p)
    assert estimator.threshold_ == best[1]
    assert estimator.prior_ == pytest.approx(min(best[2], 1.0))


def test_the_estimated_prior_does_not_depend_on_the_validation_split():
    # its seed was drawn after the split: prior_ moved with validation_fraction
    X, _, s, _ = scar_task(300, class_sep=2.0)
    priors = {
        DistilledClassifier(prior="estimate", **{**ONE_ROUND, **split}).fit(X, s).prior_
        for split in [{"early_stopping": False}, {"early_stopping": True},
                      {"early_stopping": True, "validation_fraction": 0.3}]
    }
    assert len(priors) == 1


class FiltersSpy(BaseEstimator):
    """A prior estimator that records the process's warnings filters as it fits."""

    seen = []

    def fit(self, X, y):
        FiltersSpy.seen.append(list(warnings.filters))
        self.prior_ = 0.3
        return self


def test_the_prior_estimate_changes_no_warnings_filter_of_the_process():
    # a filter ignoring the positive-majority warning, set and restored around the
    # estimate, outlived fits in threads (each restored the filters another had saved)
    X, _, s, _ = scar_task(100, class_sep=2.0)
    before = list(warnings.filters)
    assert DistilledClassifier(prior=FiltersSpy(), **ONE_ROUND).fit(X, s).prior_ == 0.3
    assert FiltersSpy.seen == [before]


_ESTIMATING, _RELEASED = threading.Event(), threading.Event()


class WaitingPrior(BaseEstimator):
    """A prior estimator that holds its fit until released."""

    def fit(self, X, y):
        _ESTIMATING.set()
        _RELEASED.wait(60)
        self.prior_ = 0.3
        return self


def test_a_prior_estimate_in_one_thread_leaves_the_warning_to_the_others():
    # a count for the whole process silenced the positive-majority warning of every
    # other thread while any fit estimated its prior
    X, _, s, _ = scar_task(100, class_sep=2.0)
    fit = DistilledClassifier(prior=WaitingPrior(), **ONE_ROUND).fit
    worker = threading.Thread(target=fit, args=(X, s))
    worker.start()
    try:
        assert _ESTIMATING.wait(60)
        with pytest.warns(UserWarning, match="The positive label of the PU data, 1, holds"):
            pu_f1_score(1 - s, 1 - s)
    finally:
        _RELEASED.set()
        worker.join()


def test_an_over_samplers_copies_of_labelled_positives_are_warned_of():
    # behind RandomOverSampler, prior="estimate" gave 0.034 to 0.041 for 0.176 on three
    # seeds, without a word: the copies sit in the held-out folds and in training
    from imblearn.over_sampling import RandomOverSampler

    X, y = make_classification(400, n_features=8, weights=[0.7], class_sep=1.5,
                               random_state=0)
    s = make_pu_labels(y, 0.5, random_state=0)
    copied = ("of the labelled positives repeat another labelled positive that no "
              "unlabeled sample repeats")
    X_over, s_over = RandomOverSampler(random_state=0).fit_resample(X, s)
    for data in (X_over, sp.coo_matrix(X_over), pd.DataFrame(X_over).astype(object)):
        with pytest.warns(UserWarning, match=copied):
            fit_prior(BestBinPriorEstimator(random_state=0), data, s_over)
    # where a third of the samples are labelled, the copies are fewer than half of them
    X_many, y_many = make_classification(400, n_features=8, weights=[0.4], random_state=0)
    s_many = make_pu_labels(y_many, 0.6, random_state=0)
    with pytest.warns(UserWarning, match=copied):
        TIcEPriorEstimator(random_state=0).fit(
            *RandomOverSampler(random_state=0).fit_resample(X_many, s_many))
    # nor where the positives repeat their rows of themselves, which the hidden
    # positives do too (KEEL wisconsin's benign rows), or all rows repeat
    natural = np.repeat(X, np.where(y == 1, 3, 1), axis=0)
    s_natural = make_pu_labels(np.repeat(y, np.where(y == 1, 3, 1)), 0.5, random_state=0)
    for data, labels in ((X, s), (np.round(X[:, :2]), s), (natural, s_natural)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit_prior(BestBinPriorEstimator(random_state=0), data, labels)
        assert not [warning for warning in caught if copied in str(warning.message)]
    # token lists of several lengths, for a scorer's own vectorizer, are no rows to compare
    from sklearn.feature_extraction.text import CountVectorizer

    tokens = [["a", "b"] * (1 + i % 3) if label else ["c"] * (1 + i % 2)
              for i, label in enumerate(y)]
    scorer = make_pipeline(CountVectorizer(analyzer=list), LogisticRegression())
    assert 0 < fit_prior(BestBinPriorEstimator(scorer, random_state=0), tokens, s) < 1


def test_a_frame_of_sparse_columns_is_estimated_as_a_sparse_matrix():
    # the default's HistGradientBoosting scorer was added for it, which refuses sparse data
    X, y = make_classification(300, n_features=6, random_state=0)
    s = make_pu_labels(y, 0.5, random_state=0)
    frame = pd.DataFrame(np.round(np.abs(X))).astype(pd.SparseDtype(float, 0.0))
    assert (BestBinPriorEstimator(random_state=0).fit(frame, s).prior_
            == BestBinPriorEstimator(random_state=0).fit(sp.csr_matrix(frame.sparse.to_coo()),
                                                         s).prior_)
    # one dense column makes the frame dense, to scikit-learn as here: both scorers
    mixed = frame.astype({0: float})
    assert len(BestBinPriorEstimator()._scorers(mixed)) == 2


@pytest.mark.parametrize("estimator", [BestBinPriorEstimator, ElkanNotoPriorEstimator])
def test_out_of_fold_scores_come_from_shuffled_disjoint_folds(estimator):
    # every row is scored once, by a model not fitted on it, and random_state shuffles
    # the folds (unshuffled StratifiedKFold folds passed every other test)
    X, _, s, _ = scar_task(300, class_sep=2.0)
    X = np.column_stack([X, np.arange(len(s))])
    test_folds = {}
    for seed in (0, 1):
        ROW_ID_CALLS.clear()
        estimator(RowIdSpy(), cv=3, random_state=seed).fit(X, s)
        calls = [(kind, frozenset(ids.tolist())) for kind, ids, *_ in ROW_ID_CALLS]
        fits, scores = calls[0::2], calls[1::2]
        assert [kind for kind, _ in fits] == ["fit"] * 3
        assert [kind for kind, _ in scores] == ["score"] * 3
        for (_, fitted), (_, scored) in zip(fits, scores):
            assert not fitted & scored
            assert len(fitted | scored) == len(s)
        assert sorted(i for _, scored in scores for i in scored) == list(range(len(s)))
        test_folds[seed] = {scored for _, scored in scores}
        for _, scored in scores:  # contiguous labelled rows are what no shuffle gives
            labelled = sorted(i for i in scored if s[i] == 1)
            positions = np.searchsorted(np.flatnonzero(s == 1), labelled)
            assert np.any(np.diff(positions) > 1)
    assert test_folds[0] != test_folds[1]


def scored_labels(n_samples, labelled, unlabeled):
    """PU labels s (30 % labelled) and X whose column 0 is a score drawn uniformly
    from the ``labelled`` or ``unlabeled`` range, column 1 noise."""
    rng = np.random.default_rng(0)
    s = (rng.random(n_samples) < 0.3).astype(np.int64)
    score = np.where(s == 1, rng.uniform(*labelled, n_samples), rng.uniform(*unlabeled, n_samples))
    return np.column_stack([score, rng.random(n_samples)]), s


def test_best_bin_clips_a_top_bin_of_more_unlabeled_than_positives_to_a_prior_of_one():
    # the lowest unlabeled score is above a fifth of the labelled positives: every
    # threshold keeps a larger share of the unlabeled samples (q_u / q_p > 1); prior_
    # is a fraction of the unlabeled samples and stops at 1 (fit_prior then refuses it)
    X, s = scored_labels(600, labelled=(0.0, 0.5), unlabeled=(0.1, 1.0))
    estimator = BestBinPriorEstimator(ColumnScorer(0)).fit(X, s)
    assert estimator.prior_ == 1.0
    assert estimator.label_frequency_ == pytest.approx(estimator.labelled_fraction_)


def test_elkan_noto_label_frequency_is_never_below_the_labelled_fraction():
    # c >= l always (l = c * p): a mean score of the labelled positives below l is
    # raised to it, in label_frequency_ as in the prior
    X, s = scored_labels(400, labelled=(0.0, 0.2), unlabeled=(0.0, 1.0))
    estimator = ElkanNotoPriorEstimator(ColumnScorer(0)).fit(X, s)
    assert X[s == 1, 0].mean() < s.mean()
    assert estimator.label_frequency_ == estimator.labelled_fraction_ == s.mean()
    assert estimator.prior_ == pytest.approx(1.0)


def test_tice_averages_the_bounds_of_its_folds():
    # "the largest bound, averaged over the folds": with one round, c is the mean of
    # the folds' bounds, which their largest is not
    X, _, s, _ = scar_task(600, class_sep=2.0)
    estimator = TIcEPriorEstimator(n_iterations=1, random_state=0).fit(X, s)
    bins = _bin_indicators(np.asarray(X, dtype=np.float64))
    folds = check_random_state(0).randint(estimator.n_folds, size=len(s))
    bounds = [estimator._fold_estimate(bins, s, folds == fold, 0.5)
              for fold in range(estimator.n_folds)]
    assert max(bounds) > np.mean(bounds) + 0.01
    assert estimator.label_frequency_ == pytest.approx(max(np.mean(bounds), s.mean()))


def test_tice_estimate_on_the_separable_task_is_pinned():
    # TIcE reads no classifier, NumPy only, so its estimate repeats exactly on the
    # same data (make_classification's; other seeds give 0.29 to 0.37); the
    # tolerance of test_estimator_lands_near_the_true_prior (0.06 around 0.25, TIcE at
    # 0.2975) let a bound without its (1 - delta), trees grown on the other folds or a
    # split rule without max_bepp through by 0.001 to 0.015
    X, _, s, _ = scar_task(2000, class_sep=3.0)
    prior = TIcEPriorEstimator(random_state=0).fit(X, s).prior_
    assert prior == pytest.approx(0.2975, abs=0.003)


@pytest.mark.parametrize("given", [np.float32(0.25), 0])
def test_a_prior_given_as_another_real_is_stored_as_a_float(imbalanced_arrays, given):
    # prior_ is a float, as an estimate's is, whatever the number type given
    X, y = imbalanced_arrays
    model = DistilledClassifier(prior=given, **ONE_ROUND).fit(X, y)
    assert type(model.prior_) is float and model.prior_ == float(given)


def test_a_prior_estimator_of_ones_own_gives_prior_(imbalanced_arrays):
    # the default estimator in its place passed every test but the refusals
    X, y = imbalanced_arrays
    assert DistilledClassifier(prior=ConstantPrior(0.3), **ONE_ROUND).fit(X, y).prior_ == 0.3
