import pickle
import re
import sys
import threading
import warnings
from fractions import Fraction

import joblib
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import scipy.special
import scipy.stats
import sklearn
import torch
from skorch import NeuralNet, NeuralNetBinaryClassifier
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils.validation import check_is_fitted

from skdistill import DistilledClassifier, default_net
from skdistill import _training as training
from skdistill._classifier import _check_defined, _log_probabilities
from skdistill._nets import keeps_its_type
from skdistill.modules import CNN, MLP

from .conftest import FAST


def fast(**params):
    return DistilledClassifier(**{**FAST, "random_state": 0, **params})


# --- what a user does, on the embedded data -----------------------------------


def test_pipeline_with_one_hot_encoder_on_dataframe(crotonylation_frame):
    X, y = crotonylation_frame
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
    model = make_pipeline(
        OneHotEncoder(handle_unknown="ignore"), fast(meta_epochs=4, teacher_epochs=2)
    )
    model.fit(X_train, y_train)
    proba = model.predict_proba(X_test)
    assert proba.shape == (len(X_test), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert roc_auc_score(y_test, proba[:, 1]) > 0.62
    assert set(model.predict(X_test)) <= {0, 1}


def test_grid_search_over_alpha_and_beta(crotonylation_frame):
    X, y = crotonylation_frame
    X = OneHotEncoder().fit_transform(X)[:1000]
    search = GridSearchCV(
        fast(batch_size=64), {"alpha": [0, 0.5, 1], "beta": [0.25, 0.5, 0.75]},
        scoring="roc_auc", cv=2,
    ).fit(X, y[:1000])
    assert len(search.cv_results_["params"]) == 9
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_score_ > 0.6


def test_cross_val_score(crotonylation_frame):
    X, y = crotonylation_frame
    scores = cross_val_score(
        make_pipeline(OneHotEncoder(handle_unknown="ignore"), fast()), X, y,
        scoring="roc_auc", cv=3,
    )
    assert scores.shape == (3,)
    assert (scores > 0.55).all()


@pytest.mark.parametrize(
    "labels", [np.array(["neg", "pos"]), np.array([False, True]), np.array([3, 7])]
)
def test_any_two_labels(imbalanced_arrays, labels):
    X, y = imbalanced_arrays
    clf = fast().fit(X, labels[y])
    np.testing.assert_array_equal(clf.classes_, labels)
    # predict is the class of the larger probability (a threshold of 0.5 on the logits
    # instead of 0 passed every test of this file)
    proba = clf.predict_proba(X)
    np.testing.assert_array_equal(clf.predict(X), labels[(proba[:, 1] > 0.5).astype(int)])
    # The positive class is classes_[1]: its probability ranks the positives.
    assert roc_auc_score(y, clf.predict_proba(X)[:, 1]) > 0.7


def test_dataframe_feature_names_and_sparse_input(imbalanced_arrays):
    X, y = imbalanced_arrays
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = fast().fit(frame, y)
    np.testing.assert_array_equal(clf.feature_names_in_, frame.columns)
    dense = fast().fit(X, y).predict_proba(X)
    sparse = fast().fit(sp.csr_matrix(X), y).predict_proba(sp.csr_matrix(X))
    np.testing.assert_allclose(dense, sparse, rtol=1e-4, atol=1e-5)


def test_multiclass(imbalanced_arrays):
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    clf = fast(meta_epochs=10, teacher_epochs=3, student_epochs=3, batch_size=16).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba), atol=1e-12)
    assert clf.score(X, y) > 0.7
    with pytest.raises(ValueError, match="two classes"):
        fast(true_label_loss="pu").fit(X, y)


def test_log_probabilities_stay_finite_where_probabilities_round_to_zero(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast().fit(X, y)
    far = X[:5] * 1e4  # logits of thousands: one probability of each row is 0.0 in float64
    log_proba = clf.predict_log_proba(far)
    assert np.isfinite(log_proba).all()
    assert (clf.predict_proba(far) == 0).any()
    np.testing.assert_allclose(np.exp(log_proba), clf.predict_proba(far))
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(clf.predict_proba(X)), atol=1e-12)


# --- the schedule and its parameters --------------------------------------------


def test_history_records_losses_and_validation_aucs(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(meta_epochs=3, early_stopping=True, validation_fraction=0.25,
               n_iter_no_change=5).fit(X, y)
    assert [h["meta_epoch"] for h in clf.history_] == [1, 2, 3]
    assert clf.n_iter_ == 3
    keys = {"teacher_loss", "student_loss", "teacher_valid_auc", "student_valid_auc",
            "teacher_valid_loss", "student_valid_loss"}
    for record in clf.history_:
        assert keys <= set(record)
        assert all(np.isfinite(record[k]) for k in keys)
        assert all(type(record[k]) is float for k in keys)  # student_loss was np.float64
    assert clf.teacher_.history[-1, "epoch"] == 3 * FAST["teacher_epochs"]
    assert clf.student_.history[-1, "epoch"] == 3 * FAST["student_epochs"]
    assert len(fast().fit(X, y).history_[0]) == 3  # no AUCs without validation


@pytest.mark.parametrize("alpha, beta", [(0.0, 0.5), (0.5, 1.0)])
def test_no_teacher_is_trained_when_its_term_is_empty(imbalanced_arrays, alpha, beta):
    X, y = imbalanced_arrays
    clf = fast(alpha=alpha, beta=beta).fit(X, y)
    assert clf.teacher_ is None
    assert "teacher_loss" not in clf.history_[0]
    assert roc_auc_score(y, clf.predict_proba(X)[:, 1]) > 0.7


def test_a_larger_alpha_pulls_the_student_toward_its_teacher(imbalanced_arrays):
    # a test that alpha changes the student passed with alpha's two terms swapped
    X, y = imbalanced_arrays
    teacher = LogisticRegression().fit(X, (X[:, 3] > 0.5).astype(int))  # not y's rule
    agreement = [
        scipy.stats.spearmanr(teacher.decision_function(X), DistilledClassifier(
            teacher=FrozenEstimator(teacher), alpha=alpha, meta_epochs=5, student_epochs=4,
            batch_size=32, random_state=0).fit(X, y).decision_function(X)).statistic
        for alpha in (0.2, 0.8)
    ]
    assert agreement[0] + 0.2 < agreement[1]


@pytest.mark.parametrize("distillation_loss", ["soft", "hard", "mse"])
@pytest.mark.parametrize("true_label_loss", ["pu", "bce"])
def test_loss_options(imbalanced_arrays, distillation_loss, true_label_loss):
    X, y = imbalanced_arrays
    clf = fast(
        meta_epochs=4, distillation_loss=distillation_loss,
        true_label_loss=true_label_loss, temperature=2.0 if distillation_loss == "soft" else 1.0,
    ).fit(X, y)
    assert roc_auc_score(y, clf.predict_proba(X)[:, 1]) > 0.7
    # the student trains on the options given (forced to "soft" or to T=1, it passed)
    loss = clf.student_.criterion_.distillation_loss
    assert (loss.distillation_loss, loss.temperature) == (
        distillation_loss, 2.0 if distillation_loss == "soft" else 1.0)


@pytest.mark.parametrize("distillation_loss, uses", [
    ("hard", "the teacher's predicted classes"), ("mse", "the teacher's logits as they are"),
])
def test_a_temperature_no_teacher_term_uses_is_warned_of(imbalanced_arrays, distillation_loss,
                                                         uses):
    # T=20 trained the same student as T=1, without a word (NumPy's scalar was shown
    # as np.float32(20.0))
    X, y = imbalanced_arrays
    with pytest.warns(UserWarning, match=re.escape(
            "temperature=20.0 softens the targets of distillation_loss='soft'; "
            f"distillation_loss={distillation_loss!r} takes {uses}. It has no effect.")):
        fast(distillation_loss=distillation_loss, temperature=np.float32(20.0)).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast(distillation_loss="soft", temperature=20.0).fit(X, y)
        fast(distillation_loss=distillation_loss).fit(X, y)


def test_pu_surrogate_reaches_both_nets(imbalanced_arrays):
    X, y = imbalanced_arrays
    fits = {name: fast(pu_surrogate=name).fit(X, y) for name in ("logistic", "sigmoid")}
    for name, clf in fits.items():
        assert clf.student_.criterion_.distillation_loss.true_label_loss.surrogate == name
        assert clf.teacher_.criterion_.loss.surrogate == name
        assert roc_auc_score(y, clf.predict_proba(X)[:, 1]) > 0.7
    assert not np.allclose(*(clf.predict_proba(X) for clf in fits.values()))


def test_random_state_reproducible_and_global_state_untouched(imbalanced_arrays):
    X, y = imbalanced_arrays
    torch.manual_seed(123)
    expected_next = torch.rand(3)
    torch.manual_seed(123)
    first = fast(random_state=7).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(torch.rand(3), expected_next)
    second = fast(random_state=7).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)
    other = fast(random_state=8).fit(X, y).predict_proba(X)
    assert not np.array_equal(first, other)


def test_fits_in_threads_repeat_as_one_after_another(imbalanced_arrays):
    # fits seeded and restored torch's process-wide generator over each other: under the
    # threading backend probabilities differed by up to 0.37 from the same fits in turn
    from joblib import parallel_backend
    from sklearn.model_selection import cross_val_predict

    X, y = imbalanced_arrays
    clf = fast(random_state=0)
    in_turn = cross_val_predict(clf, X, y, cv=4, method="predict_proba")
    with parallel_backend("threading", n_jobs=2):
        threaded = cross_val_predict(clf, X, y, cv=4, method="predict_proba")
    np.testing.assert_array_equal(threaded, in_turn)


#: Makes the fits of two threads end in the other order than they began.
_ORDER = {}


class _OrderedTeacher(ClassifierMixin, BaseEstimator):
    """Fit "first" waits until fit "second" has begun; "second" waits until
    the classifier fit of "first" has ended (the test begins "second" once
    "first" is in its teacher's fit)."""

    def __init__(self, turn="first"):
        self.turn = turn

    def fit(self, X, y):
        if self.turn == "first":
            _ORDER["first began"].set()
            assert _ORDER["second began"].wait(60)
        else:
            _ORDER["second began"].set()
            assert _ORDER["first ended"].wait(60)
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def test_fits_in_threads_that_end_out_of_order_give_the_callers_state_back(imbalanced_arrays):
    # each fit restored the states it found on entry: the fit that began second and
    # ended last left the caller's generators at the other fit's seeded state
    import threading

    X, y = imbalanced_arrays
    _ORDER.update({turn: threading.Event()
                   for turn in ("first began", "second began", "first ended")})
    errors = []

    def fit(turn):
        try:
            fast(teacher=_OrderedTeacher(turn), random_state=0).fit(X, y)
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            if turn == "first":
                _ORDER["first ended"].set()

    np.random.seed(123)
    torch.manual_seed(123)
    expected = np.random.rand(), torch.rand(3)
    np.random.seed(123)
    torch.manual_seed(123)
    threads = [threading.Thread(target=fit, args=(turn,)) for turn in ("first", "second")]
    threads[0].start()
    assert _ORDER["first began"].wait(60)
    threads[1].start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert np.random.rand() == expected[0]
    np.testing.assert_array_equal(torch.rand(3), expected[1])


_NESTED_THREADED_FIT = """
from joblib import parallel_backend
from sklearn.datasets import make_classification
from sklearn.ensemble import VotingClassifier
from skdistill import DistilledClassifier
X, y = make_classification(200, random_state=0)
inner = [(name, DistilledClassifier(meta_epochs=2, random_state=seed))
         for seed, name in enumerate("ab")]
outer = DistilledClassifier(teacher=VotingClassifier(inner, voting="soft", n_jobs=2),
                            meta_epochs=2, random_state=0)
with parallel_backend("threading", n_jobs=2):
    for _ in range(2):
        print(outer.fit(X, y).predict_proba(X[:1]).round(6).tolist())
"""


def test_a_teacher_that_fits_skdistill_in_threads_does_not_wait_for_ever():
    # its fits in threads would wait for the generators' lock the outer fit holds
    import subprocess
    import sys

    runs = subprocess.run([sys.executable, "-c", _NESTED_THREADED_FIT], capture_output=True,
                          text=True, timeout=120, check=True).stdout.splitlines()
    assert len(runs) == 2 and runs[0] == runs[1] and runs[0].startswith("[[")


# --- teacher and student forms ----------------------------------------------------


class TwoLayer(torch.nn.Module):
    def __init__(self, input_dim, width=8):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(input_dim, width), torch.nn.ReLU(), torch.nn.Linear(width, 1)
        )

    def forward(self, X):
        return self.net(X)  # shape (n, 1) is accepted


def test_module_class_instance_and_skorch_net(imbalanced_arrays):
    X, y = imbalanced_arrays
    instance = TwoLayer(X.shape[1])
    before = [p.detach().clone() for p in instance.parameters()]
    clf = fast(teacher=TwoLayer, student=instance).fit(X, y)
    assert clf.teacher_.module_.net[0].in_features == X.shape[1]
    # the user's instance is copied, not trained in place
    for p, q in zip(before, instance.parameters()):
        assert torch.equal(p, q)
    net = NeuralNet(MLP, criterion=torch.nn.BCEWithLogitsLoss, lr=0.01,
                    module__hidden_units=(4,), optimizer=torch.optim.SGD)
    clf = fast(student=net).fit(X, y)
    assert isinstance(clf.student_.optimizer_, torch.optim.SGD)
    assert clf.student_.module_.layers[0].in_features == X.shape[1]
    assert not net.initialized_  # cloned at fit


def test_nested_parameters_reach_skorch_nets(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(
        teacher=NeuralNet(MLP, criterion=torch.nn.BCEWithLogitsLoss),
        student=NeuralNet(MLP, criterion=torch.nn.BCEWithLogitsLoss),
    )
    search = GridSearchCV(
        clf, {"student__lr": [1e-3, 1e-2], "teacher__module__hidden_units": [(8,), (16,)]},
        scoring="roc_auc", cv=2,
    ).fit(X, y)
    best = search.best_estimator_
    assert best.teacher_.module_.layers[0].out_features == best.teacher.module__hidden_units[0]
    assert best.student_.lr == search.best_params_["student__lr"]


def test_default_net_trains_as_the_default_and_can_be_searched(imbalanced_arrays):
    X, y = imbalanced_arrays
    as_none = fast().fit(X, y)
    as_nets = fast(teacher=default_net("teacher"), student=default_net("student")).fit(X, y)
    np.testing.assert_array_equal(as_nets.predict_proba(X), as_none.predict_proba(X))
    np.testing.assert_array_equal(
        as_nets.teacher_predict_proba(X), as_none.teacher_predict_proba(X)
    )
    search = GridSearchCV(
        fast(student=default_net("student")), {"student__lr": [1e-3, 3e-2]}, cv=2
    ).fit(X, y)
    assert search.best_estimator_.student_.lr == search.best_params_["student__lr"]
    # a list was hashed: "TypeError: unhashable type: 'list'"
    for role in ("teachers", ["student"]):
        with pytest.raises(ValueError, match=r"role must be one of \('teacher', 'student'\)"):
            default_net(role)


@pytest.mark.parametrize("params, advice", [
    ({}, r"default_net\('student'\) for the default one"),
    # the advice for a module was the default MLP net, which no search could make a CNN
    ({"student": MLP}, r"default_net\('student', module=MLP\), which trains as student=MLP "),
    # an instance's own settings cannot be set: the class's can
    ({"teacher": TwoLayer(3)}, r"teacher=TwoLayer\(...\) has no .*default_net\('teacher', "
     r"module=TwoLayer\), the class, whose arguments are then teacher__module__<name>"),
    # the advice for one teacher was given for a list too
    ({"teacher": [None, None]}, "teacher is a list of 2.*search over whole lists"),
])
def test_nested_parameter_of_a_spec_without_parameters_is_a_clear_error(params, advice):
    role = next(iter(params), "student")
    clf = DistilledClassifier(**params)
    with pytest.raises(ValueError, match=rf"{role}__lr sets a parameter of the {role}.*{advice}"):
        clf.set_params(**{f"{role}__lr": 1e-3})
    assert clf.get_params()[role] is params.get(role)  # nothing was changed
    clf.set_params(**{role: default_net(role), f"{role}__lr": 1e-3})
    assert getattr(clf, role).lr == 1e-3


@pytest.mark.parametrize("prior", ["estimate", 0.1])
def test_nested_parameter_of_a_prior_that_is_no_estimator_is_a_clear_error(prior):
    # AttributeError: 'str' object has no attribute 'set_params'
    from skdistill.pu import BestBinPriorEstimator

    clf = DistilledClassifier(prior=prior)
    with pytest.raises(ValueError, match=r"prior__cv sets a parameter of the prior estimator.*"
                                         r"prior=skdistill.pu.BestBinPriorEstimator\(\)"):
        clf.set_params(prior__cv=3)
    assert clf.prior == prior
    clf.set_params(prior=BestBinPriorEstimator(), prior__cv=3)
    assert clf.prior.cv == 3


def test_the_nets_train_in_float32_whatever_torchs_default_dtype(imbalanced_arrays):
    # with torch.set_default_dtype(torch.float64) every fit failed: float64 modules
    # against float32 data
    X, y = imbalanced_arrays
    expected = fast().fit(X, y).predict_proba(X)
    torch.set_default_dtype(torch.float64)
    try:
        clf = fast().fit(X, y)
        assert torch.get_default_dtype() == torch.float64  # the caller's, given back
        np.testing.assert_array_equal(clf.predict_proba(X), expected)
        # fits in threads overlap while a scikit-learn teacher fits: one of them
        # took float32 for the caller's default and left the process at it
        with joblib.parallel_backend("threading", n_jobs=2):
            scores = cross_val_score(fast(teacher=LogisticRegression()), X, y, cv=4)
        assert np.isfinite(scores).all() and torch.get_default_dtype() == torch.float64
        # a module making a tensor of the default dtype in forward trained, then every
        # prediction failed in "mat1 and mat2 must have the same dtype"
        clf = fast(student=ZeroStateModule).fit(X, y)
        assert clf.predict_proba(X).dtype == np.float64
        assert torch.get_default_dtype() == torch.float64
    finally:
        torch.set_default_dtype(torch.float32)


def test_predictions_leave_the_global_generators_to_the_modules(imbalanced_arrays):
    # a prediction under the fit's state keeping put torch's generator back after it,
    # rewinding what other threads drew meanwhile (and what its module drew)
    X, y = imbalanced_arrays
    clf = fast(student=NoisyModule).fit(X, y)
    torch.manual_seed(0)
    first = clf.predict_proba(X)
    assert not np.array_equal(clf.predict_proba(X), first)
    torch.manual_seed(0)
    np.testing.assert_array_equal(clf.predict_proba(X), first)


def test_a_prediction_beside_a_fit_gives_back_no_other_default(imbalanced_arrays):
    # a fit under torch's float32 default was no block of its own: a prediction in
    # another thread, under the float64 default that thread had set, gave float64 back
    # when it ended, and the fit trained on under it
    from skdistill._random import callers_state_kept

    X, y = imbalanced_arrays
    clf = fast().fit(X, y)
    try:
        with callers_state_kept():  # a fit, running
            torch.set_default_dtype(torch.float64)  # another thread's code
            clf.predict_proba(X)  # and its prediction
            assert torch.get_default_dtype() == torch.float32
    finally:
        torch.set_default_dtype(torch.float32)


def test_a_prediction_under_a_float32_default_leaves_the_default_alone(
        imbalanced_arrays, monkeypatch):
    # every prediction set torch's process-wide default, which threads serving
    # predictions beside code of their own (and its set_default_dtype) saw change
    X, y = imbalanced_arrays
    clf = fast().fit(X, y)
    calls = []
    set_default_dtype = torch.set_default_dtype
    monkeypatch.setattr(torch, "set_default_dtype",
                        lambda dtype: calls.append(dtype) or set_default_dtype(dtype))
    clf.predict_proba(X)
    assert calls == []
    torch.set_default_dtype(torch.float64)
    try:
        clf.predict_proba(X)
    finally:
        set_default_dtype(torch.float32)
    assert calls == [torch.float64, torch.float32, torch.float64]


def test_a_refit_leaves_no_moment_without_a_fitted_model(imbalanced_arrays):
    # the fitted attributes were all deleted, then set: a prediction in another thread
    # met NotFittedError, AttributeError or "dictionary changed size during iteration"
    # (the first fix set the new ones, then deleted the stale ones: check_is_fitted's loop
    # over the attributes still met a dict changing size, between fits on a DataFrame and
    # on an array)
    X, y = imbalanced_arrays
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    fits = [{name: value for name, value in vars(fast().fit(data, y)).items()
             if name.endswith("_")} for data in (X, frame)]
    clf = fast().fit(X, y)
    switch_interval, errors, done = sys.getswitchinterval(), [], threading.Event()

    def read():
        while not done.is_set():
            try:
                check_is_fitted(clf)
                for name in ("classes_", "student_", "n_features_in_"):
                    getattr(clf, name)
            except Exception as error:  # noqa: BLE001 - every failure is the finding
                errors.append(error)

    reader = threading.Thread(target=read)
    sys.setswitchinterval(1e-6)
    try:
        reader.start()
        for index in range(4000):
            clf._set_fitted(fits[index % 2])
    finally:
        done.set()
        reader.join()
        sys.setswitchinterval(switch_interval)
    assert errors == []
    # what the new fit has not is gone: feature names of an earlier fit on a DataFrame
    clf.fit(pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])]), y)
    assert hasattr(clf, "feature_names_in_")
    assert not hasattr(clf.fit(X, y), "feature_names_in_")


class NoisyModule(torch.nn.Module):
    """Draws from torch's global generator in forward, as Monte Carlo dropout does."""

    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return self.linear(X) + torch.rand(len(X), 1)


class ZeroStateModule(torch.nn.Module):
    """Makes a tensor of torch's default dtype in forward, as an RNN's zero state."""

    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return self.linear(X + torch.zeros(X.shape[1]))


def test_logits_that_overflow_at_predict_time_are_named(imbalanced_arrays):
    # features near 3e38, finite in float32, overflowed the MLP: predict_proba gave
    # NaN and predict classes_[0], without a word
    X, y = imbalanced_arrays
    clf = fast().fit(X, y)
    huge = X[:5].copy()
    huge[2] = np.where(np.arange(X.shape[1]) % 2, 3e38, -3e38)  # inf - inf in a layer
    for method in (clf.predict, clf.predict_proba, clf.decision_function,
                   clf.teacher_predict_proba):
        with pytest.raises(ValueError, match="no probabilities .* 1 of 5 samples .*sample 2"):
            method(huge)
    # a NaN that scikit-learn's assume_finite=True lets through was taken for an overflow
    missing = X[:5].copy()
    missing[1, 0] = np.nan
    with sklearn.config_context(assume_finite=True):
        with pytest.raises(ValueError, match=r"sample 1\): .*or the input holds NaN or inf "
                                             r"\(which scikit-learn's assume_finite=True"):
            clf.predict_proba(missing)
    # an infinite logit of two classes is a defined probability, 0 or 1
    large = X[:5].copy()
    large[2] = 3e38
    scores = clf.decision_function(large)
    assert np.isinf(scores[2]) and clf.predict_proba(large)[2].tolist() in ([0.0, 1.0],
                                                                            [1.0, 0.0])


def test_infinite_logits_of_several_classes():
    # +inf twice was predicted as the tie-break class; a single +inf (certainty) was
    # refused, as log_softmax computes inf - inf
    logits = np.array([[np.inf, 0.0, -np.inf], [-np.inf, 0.0, 1.0]])
    _check_defined(logits, "student", 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log_softmax's inf - inf, overwritten
        log_proba = _log_probabilities(logits)
    np.testing.assert_allclose(np.exp(log_proba),
                               [[1.0, 0.0, 0.0], [0.0, 1 / (1 + np.e), np.e / (1 + np.e)]])
    for row in ([np.inf, np.inf, 0.0], [-np.inf] * 3, [np.nan, 0.0, 0.0]):
        with pytest.raises(ValueError, match="no probabilities .* 1 of 2 samples .*sample 1"):
            _check_defined(np.array([[0.0, 0.0, 0.0], row]), "student", 3)


def test_logits_of_another_width_than_the_classes_are_named(imbalanced_arrays):
    # a model file whose classes_ were edited to three predicted two of them silently,
    # and to one failed in a bare IndexError
    X, y = imbalanced_arrays
    clf = fast().fit(X, y)
    for classes in (np.array([0, 1, 2]), np.array([7])):
        clf.classes_ = classes
        for method in (clf.predict, clf.predict_proba, clf.teacher_predict_proba):
            with pytest.raises(ValueError, match=rf"gives 1 logit\(s\) per sample for the "
                                                 rf"{len(classes)} class\(es\) of classes_"):
                method(X[:3])


def test_decision_function_is_float64_as_scikit_learn_gives_it(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast().fit(X, y)
    scores = clf.decision_function(X)
    assert scores.dtype == np.float64
    np.testing.assert_allclose(scipy.special.expit(scores), clf.predict_proba(X)[:, 1],
                               rtol=1e-6)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"teacher": int}, "teacher must be None"),
        ({"teacher": [None, "a string"]}, r"teacher\[1\] must be None"),
        ({"student": int}, "student must be None"),
    ],
)
def test_rejects_unusable_nets(imbalanced_arrays, params, message):
    X, y = imbalanced_arrays
    with pytest.raises(TypeError, match=message):
        fast(**params).fit(X, y)


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_a_module_that_cannot_be_built_names_its_role(imbalanced_arrays, role):
    # torch's own "Linear.__init__() missing 2 required positional arguments" named
    # neither the role nor what the data fills in
    X, y = imbalanced_arrays
    with pytest.raises(TypeError, match=rf"The {role}'s module Linear could not be built: "
                                        r".*missing 2 required.*filled in from the data: none"):
        fast(**{role: torch.nn.Linear}).fit(X, y)
    # the optimizer's own errors are not the module's; they name the net too (torch's
    # bare "Invalid learning rate: -1.0" did not)
    with pytest.raises(ValueError, match=rf"^The {role}'s optimizer AdamW could not be built: "
                                         r"Invalid learning rate: -1.0"):
        fast(**{role: default_net(role).set_params(lr=-1.0)}).fit(X, y)
    # torch's RuntimeError of a negative size keeps its type, and gains the role and the
    # sizes filled in; one of memory is the caller's to catch by its type, untouched
    with pytest.raises(RuntimeError, match=rf"^The {role}'s module NarrowingMLP could not be "
                                           r"built: .*negative dimension.*input_dim=10"):
        fast(**{role: NarrowingMLP}).fit(X, y)
    for kind in (torch.OutOfMemoryError, NotImplementedError, RecursionError, UsersError):
        with pytest.raises(kind, match="^raised in the constructor$"):
            fast(**{role: raising(kind)}).fit(X, y)


class NarrowingMLP(torch.nn.Module):
    """A module sized for more features than the data has (a negative width)."""

    def __init__(self, input_dim):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim - 100, 1)


def test_torchs_runtime_errors_are_reworded_and_the_users_own_pass():
    # torch.compile wraps a shape error in its TorchRuntimeError, which passed as it was
    # where an except ValueError waited for the error naming the role
    from torch._dynamo.exc import TorchRuntimeError

    assert not keeps_its_type(TorchRuntimeError("mat1 and mat2 shapes cannot be multiplied"))
    assert not keeps_its_type(RuntimeError("a size"))
    assert keeps_its_type(UsersError("the user's own"))
    # a module of the user's named like torch's (torch_utils.py) is the user's
    in_torch_utils = type("InTorchUtils", (RuntimeError,), {"__module__": "torch_utils"})
    assert keeps_its_type(in_torch_utils("the user's own"))
    assert keeps_its_type(torch.OutOfMemoryError("out of memory"))


class UsersError(RuntimeError):
    """A RuntimeError of the user's own, which a caller may catch by its type."""


def raising(kind):
    """A module class whose constructor raises ``kind``, a RuntimeError's subclass."""
    class Raising(torch.nn.Module):
        def __init__(self):
            super().__init__()
            raise kind("raised in the constructor")

    return Raising


class KeywordsAdam(torch.optim.Adam):
    """An optimizer that passes its settings on by ``**kwargs``."""

    def __init__(self, params, **kwargs):
        super().__init__(params, **kwargs)


class KeywordsNAdam(torch.optim.NAdam):
    """An optimizer of no ``fused`` that passes its settings on by ``**kwargs``."""

    def __init__(self, params, **kwargs):
        super().__init__(params, **kwargs)


class KeywordsSGD(torch.optim.Optimizer):
    """An optimizer straight on torch's Optimizer that keeps its ``**kwargs``."""

    def __init__(self, params, lr=1e-3, **settings):
        self.settings = settings
        super().__init__(params, {"lr": lr})

    @torch.no_grad()
    def step(self, closure=None):
        with torch.enable_grad():
            loss = None if closure is None else closure()
        for group in self.param_groups:
            for parameter in group["params"]:
                if parameter.grad is not None:
                    parameter.add_(parameter.grad, alpha=-group["lr"])
        return loss


class ForwardingCNN(CNN):
    """A CNN of other defaults, passing the rest on as ``**kwargs``."""

    def __init__(self, input_dim=None, sequence_length=None, alphabet_size=None, output_dim=1,
                 channels=(5,), **kwargs):
        super().__init__(input_dim, sequence_length, alphabet_size, channels=channels,
                         output_dim=output_dim, **kwargs)


class UnnamedSizesCNN(CNN):
    """A CNN of other defaults that passes the sizes on through ``**kwargs``."""

    def __init__(self, channels=(5,), **kwargs):
        super().__init__(channels=channels, **kwargs)


class FixedShapeCNN(CNN):
    """A CNN for 9-letter DNA windows, fixing its parent's sizes itself."""

    def __init__(self, **kwargs):
        super().__init__(sequence_length=9, alphabet_size=4, input_dim=36, **kwargs)


class SizedKeywordsModule(torch.nn.Module):
    """A module that takes its input's width and keeps any other settings."""

    def __init__(self, input_dim, output_dim, **settings):
        super().__init__()
        self.linear, self.settings = torch.nn.Linear(input_dim, output_dim), settings

    def forward(self, X):
        return self.linear(X)


class KeywordsModule(torch.nn.Module):
    """A module that reads its sizes from ``**kwargs``."""

    def __init__(self, **kwargs):
        super().__init__()
        self.linear = torch.nn.Linear(kwargs["input_dim"], 1)

    def forward(self, X):
        return self.linear(X)


def test_a_keywords_module_that_cannot_be_built_names_its_role(imbalanced_arrays):
    # a bare KeyError: 'input_dim', of neither role nor module
    with pytest.raises(ValueError, match=re.escape(
            "The student's module KeywordsModule could not be built: 'input_dim' (arguments "
            "filled in from the data: none (they go to __init__'s parameters by name, and "
            "**kwargs names none)")):
        fast(student=KeywordsModule).fit(*imbalanced_arrays)


def test_a_default_net_of_a_module_trains_as_the_module_and_searches_swap_modules():
    from skdistill.modules import GRU
    from skdistill.preprocessing import SequenceEncoder

    rng = np.random.default_rng(0)
    windows = ["".join(rng.choice(list("ACGT"), 9)) for _ in range(80)]
    y = np.array([window[4] == "A" for window in windows], dtype=int)
    X = SequenceEncoder().fit_transform(windows)
    as_module = fast(teacher=CNN, student=CNN).fit(X, y).predict_proba(X)
    as_net = fast(teacher=default_net("teacher", module=CNN),
                  student=default_net("student", module=CNN)).fit(X, y)
    np.testing.assert_array_equal(as_net.predict_proba(X), as_module)
    net = default_net("teacher", module=CNN).set_params(module__channels=(3,))
    assert fast(teacher=net).fit(X, y).teacher_.module_.convolutions[0].out_channels == 3
    # the default MLP's hidden_units reached a CNN or GRU set on it ("unexpected keyword
    # argument 'hidden_units'"), and no set_params could remove them; the teacher's
    # dropout, which a CNN takes, stays
    search = GridSearchCV(fast(teacher=default_net("teacher"), student=default_net("student")),
                          {"teacher__module": [CNN], "student__module": [MLP, CNN, GRU]},
                          cv=2).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    teacher = fast(teacher=default_net("teacher").set_params(module=CNN)).fit(X, y).teacher_
    assert teacher.module__dropout == 0.1
    assert any(isinstance(layer, torch.nn.Dropout) for layer in teacher.module_.convolutions)
    # read along the MRO: a subclass passing **kwargs on to CNN was given hidden_units; a
    # module keeping **kwargs of its own keeps them, as they may be the user's (a first
    # version dropped an explicit (64,) as the default's); the sizes filled in from the data
    # go to named arguments alone (a first version sent them through **kwargs, twice)
    student = default_net("student").set_params(module=ForwardingCNN)
    assert fast(student=student).fit(X, y).student_.module_.convolutions[0].out_channels == 5
    student = default_net("student").set_params(module=SizedKeywordsModule)
    assert fast(student=student).fit(X, y).student_.module_.settings == {"hidden_units": (64,)}
    assert fast(student=FixedShapeCNN).fit(X, y).student_.module_.sequence_length == 9
    # one passing the sizes through **kwargs is told to name them, which its parent does
    with pytest.raises(ValueError, match=r"filled in from the data: none \(they go to "
                       r"__init__'s parameters by name, and \*\*kwargs names none; where it "
                       "misses one of input_dim, output_dim, sequence_length, alphabet_size, "
                       "which a parent names, name it in its signature"):
        fast(student=UnnamedSizesCNN).fit(X, y)
    with pytest.raises(TypeError, match="default_net: module must be a torch.nn.Module "
                                        "subclass or instance; got 'CNN'"):
        default_net("student", module="CNN")


@pytest.mark.filterwarnings("ignore:The student net's optimizer Rprop takes no weight_decay")
@pytest.mark.parametrize("optimizer", [torch.optim.RMSprop, torch.optim.NAdam, torch.optim.Rprop])
def test_a_default_net_trains_with_an_optimizer_of_other_settings(imbalanced_arrays, optimizer):
    # default_net's fused=True (RMSprop, NAdam) and weight decay (Rprop): "got an
    # unexpected keyword argument", and no set_params could remove them
    X, y = imbalanced_arrays
    net = default_net("student").set_params(optimizer=optimizer)
    clf = fast(student=net).fit(X, y)
    assert type(clf.student_.optimizer_) is optimizer
    defaults = {"fused": True, "weight_decay": 1e-2}
    for name, value in defaults.items():
        if name in clf.student_.optimizer_.defaults:
            assert clf.student_.optimizer_.defaults[name] == value
    # a setting given to a net of the user's is the user's: refused as it was; so is one
    # of another type than the default's
    with pytest.raises(TypeError, match="RMSprop could not be built: .*'fused'"):
        fast(student=NeuralNetBinaryClassifier(
            MLP, optimizer=torch.optim.RMSprop, optimizer__fused=True)).fit(X, y)
    with pytest.raises(TypeError, match="RMSprop could not be built: .*'fused'"):
        fast(student=default_net("student").set_params(
            optimizer=torch.optim.RMSprop, optimizer__fused=1)).fit(X, y)


def test_a_default_nets_weight_decay_left_out_is_warned_of_and_kept_for_kwargs(
    imbalanced_arrays,
):
    X, y = imbalanced_arrays
    with pytest.warns(UserWarning, match=re.escape(
            "The student net's optimizer Rprop takes no weight_decay: the default net's "
            "optimizer__weight_decay=0.01 is left out.")):
        fast(student=default_net("student").set_params(optimizer=torch.optim.Rprop)).fit(X, y)
    # an optimizer of **kwargs passes them on: a first version dropped its weight decay,
    # the next passed fused=True on to an NAdam, which takes none
    clf = fast(student=default_net("student").set_params(optimizer=KeywordsAdam)).fit(X, y)
    assert clf.student_.optimizer_.defaults["weight_decay"] == 1e-2
    assert clf.student_.optimizer_.defaults["fused"] is True
    clf = fast(student=default_net("student").set_params(optimizer=KeywordsNAdam)).fit(X, y)
    assert clf.student_.optimizer_.defaults["weight_decay"] == 1e-2
    assert "fused" not in clf.student_.optimizer_.defaults
    # one of **kwargs straight on torch's Optimizer says nothing of them: kept, unwarned
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = fast(student=default_net("student").set_params(optimizer=KeywordsSGD)).fit(X, y)
    assert clf.student_.optimizer_.settings == {"weight_decay": 1e-2, "fused": True}


class CodedError(ValueError):
    """An exception whose constructor wants more than a message."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


class RefusingOptimizer(torch.optim.SGD):
    def __init__(self, params, **kwargs):
        raise CodedError("no settings suit this optimizer", code=7)


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_an_optimizer_error_of_a_custom_type_still_names_the_role(imbalanced_arrays, role):
    # re-raising as type(error)(message) ended in CodedError's own TypeError
    # ("missing 1 required positional argument: 'code'"), the role lost
    X, y = imbalanced_arrays
    net = default_net(role).set_params(optimizer=RefusingOptimizer)
    with pytest.raises(ValueError, match=rf"^The {role}'s optimizer RefusingOptimizer could "
                                         r"not be built: no settings suit") as caught:
        fast(**{role: net}).fit(X, y)
    assert isinstance(caught.value.__cause__, CodedError)


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        ({"alpha": 1.5}, "alpha"), ({"alpha": -0.1}, "alpha"), ({"beta": 2}, "beta"),
        ({"prior": 1.0}, "prior"), ({"prior": -0.5}, "prior"), ({"target_prior": 1.0}, "target_prior"),
        ({"meta_epochs": 0}, "meta_epochs"), ({"teacher_epochs": 0}, "teacher_epochs"),
        ({"student_epochs": -1}, "student_epochs"), ({"batch_size": 0}, "batch_size"),
        ({"true_label_loss": "hinge"}, "true_label_loss"),
        ({"pu_surrogate": "hinge"}, "pu_surrogate"),
        ({"distillation_loss": "kl"}, "distillation_loss"), ({"temperature": 0}, "temperature"),
        ({"temperature": 1e300}, "temperature"),
        # 1e-40 overflowed the logits into a "lower the learning rate" error
        ({"temperature": 1e-40}, r"temperature.*\[0\.01, 1e\+18\]"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"device": "tpu"}, "device"), ({"verbose": "yes"}, "verbose"),
        # torch's NotImplementedError "Cannot copy out of meta tensor" before
        ({"device": "meta"}, "device='meta' holds no data"),
        # flags are not numbers: beta=True was beta=1 and dropped the teacher term,
        # batch_size=True trained in batches of one
        ({"beta": True}, "beta"), ({"alpha": False}, "alpha"), ({"batch_size": True}, "batch_size"),
        ({"meta_epochs": True}, "meta_epochs"), ({"tol": False}, "tol"),
        ({"n_iter_no_change": True}, "n_iter_no_change"),
        ({"n_iter_no_change": 0}, "n_iter_no_change"), ({"tol": -1e-4}, "tol"),
        ({"schedule": "offline"}, "schedule"), ({"bootstrap": "yes"}, "bootstrap"),
        ({"warm_start": 1}, "warm_start"), ({"early_stopping": "yes"}, "early_stopping"),
        ({"random_state": -1}, "random_state"),
        ({"teacher_fusion": "median"}, "teacher_fusion"),
        # NumPy's TypeError "ufunc 'isnan' not supported for the input types" before
        ({"validation_fraction": Fraction(1, 5)}, r"validation_fraction.*Fraction\(1, 5\)"),
        ({"alpha": Fraction(1, 2)}, "alpha"),
        # the lower bounds and meta_epochs' type: later code refused the first two in
        # other words, and 2.5 ended in a TypeError naming no parameter
        ({"target_prior": 0.0}, "'target_prior' parameter of DistilledClassifier"),
        ({"validation_fraction": 0.0, "early_stopping": True},
         "'validation_fraction' parameter of DistilledClassifier"),
        ({"meta_epochs": 2.5}, "'meta_epochs' parameter of DistilledClassifier"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(imbalanced_arrays, params, message):
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=message):
        fast(**params).fit(X, y)


def test_a_tol_of_zero_is_taken(imbalanced_arrays, monkeypatch):
    # as scikit-learn's estimators take it: any gain counts as one, in every monitor
    X, y = imbalanced_arrays
    tols = []
    monitor_init = training.Monitor.__init__

    def recording_init(self, nets, n_iter_no_change, tol):
        tols.append(tol)
        monitor_init(self, nets, n_iter_no_change, tol)

    monkeypatch.setattr(training.Monitor, "__init__", recording_init)
    clf = fast(meta_epochs=30, early_stopping=True, n_iter_no_change=2, tol=0.0, random_state=0)
    assert 1 <= clf.fit(X, y).n_iter_ <= 30
    assert tols and all(tol == 0.0 for tol in tols)


def test_cuda_without_gpu_is_a_clear_error(imbalanced_arrays):
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match="no CUDA GPU"):
        fast(device="cuda").fit(X, y)


def test_a_device_type_this_torch_cannot_use_is_named_before_training(imbalanced_arrays):
    # device="xpu" raised torch's AssertionError from inside the first net
    if torch.xpu.is_available():
        pytest.skip("an XPU is present")
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match="device='xpu' cannot be used by this torch: "
                                         "AssertionError"):
        fast(device="xpu").fit(X, y)


def test_a_backend_this_torch_lacks_is_named_in_one_sentence(imbalanced_arrays):
    # torch's message of 1,248 characters, about its build and Facebook employees
    if torch.backends.mps.is_available():
        pytest.skip("MPS is present")
    with pytest.raises(ValueError) as raised:
        fast(device="mps").fit(*imbalanced_arrays)
    message = str(raised.value)
    assert message.startswith("device='mps' cannot be used by this torch: ")
    assert message.endswith("from the 'MPS' backend.") and "Facebook" not in message


@pytest.mark.parametrize("device", ["cpu:0", torch.device("cpu", 1)])
def test_a_cpu_device_of_an_index_pickles(imbalanced_arrays, device):
    # tensors on "cpu:0" pickled, then failed to unpickle: "don't know how to restore data
    # location", so cross_validate(n_jobs=2, return_estimator=True) broke its pool
    X, y = imbalanced_arrays
    clf = fast(device=device).fit(X, y)
    assert clf.device_ == torch.device("cpu")
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(X),
                                  clf.predict_proba(X))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_input(imbalanced_arrays, bad):
    X, y = imbalanced_arrays
    X = X.copy()
    X[3, 2] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        fast().fit(X, y)


@pytest.mark.parametrize("kind", ["array", "frame", "sparse"])
def test_numbers_beyond_float32_are_named_as_such(imbalanced_arrays, kind):
    X, y = imbalanced_arrays
    X = X.astype(np.float64)
    X[3, 2] = -1e39
    X[4, 1] = 1e300  # beside -1e39, inf - inf: "invalid value encountered in reduce"
    X = {"array": X, "frame": pd.DataFrame(X), "sparse": sp.csr_matrix(X)}[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the cast's "overflow encountered" said it first
        with pytest.raises(ValueError, match=r"beyond float32's range \(largest magnitude "
                                             r"1e\+300;.*scale X first"):
            fast().fit(X, y)


def test_data_errors(imbalanced_arrays):
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=r"only one class: 1\.0 \(rows sorted by label.*"
                                         r"stratify=y\)\)\.$"):
        fast().fit(X, np.ones(len(X)))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        fast().fit(X, y[:-1])
    with pytest.raises(NotFittedError):
        fast().predict(X)
    clf = fast().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :-1])


def test_nan_loss_stops_training_with_clear_error(imbalanced_arrays):
    X, y = imbalanced_arrays
    # Plain SGD with a huge step on huge inputs overflows the weights to inf.
    teacher = NeuralNet(MLP, criterion=torch.nn.BCEWithLogitsLoss, lr=1.0,
                        optimizer=torch.optim.SGD)
    with pytest.raises(FloatingPointError, match="teacher's (training loss became nan|logits became inf or NaN)"):
        fast(teacher=teacher, true_label_loss="bce").fit(X * 1e30, y)
    # a NaN that scikit-learn's assume_finite=True lets through is named as a cause
    missing = X.copy()
    missing[3, 1] = np.nan
    with sklearn.config_context(assume_finite=True):
        with pytest.raises(FloatingPointError, match=r"logits became inf or NaN.*missing "
                                                     r"values \(NaN or inf, which scikit"):
            fast().fit(missing, y)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_a_nan_in_the_held_out_part_alone_stops_training(n_classes):
    # it trained on: two classes recorded NaN losses and let early stopping rank NaN
    # scores, three failed in roc_auc_score ("Target scores need to be probabilities")
    X, y = make_classification(120, 6, n_informative=4, n_classes=n_classes, random_state=0)
    # the rows the fit holds out: its split is the first draw of random_state=0
    _, held_out = train_test_split(np.arange(len(y)), test_size=0.2, stratify=y,
                                   random_state=np.random.RandomState(0))
    X[held_out[:2], 0] = np.nan
    with sklearn.config_context(assume_finite=True):
        with pytest.raises(FloatingPointError, match=r"teacher's logits on the part held out "
                                                     r"for early stopping hold inf or NaN"):
            fast(early_stopping=True, validation_fraction=0.2).fit(X, y)


def test_an_overflowing_optimizer_state_stops_training_with_clear_error(imbalanced_arrays):
    # AdamW's exp_avg_sq overflowed to inf on features near 1e30 while the logits stayed
    # finite: every step was 0 from then on, and the student predicted one constant
    X, y = imbalanced_arrays
    with pytest.raises(FloatingPointError, match=r"teacher's optimizer state 'exp_avg_sq' "
                                                 r"became inf or NaN: gradients too large.*"
                                                 r"Scale the input \(StandardScaler\)"):
        fast().fit(X * 1e30, y)


def test_clone_and_pickle_round_trip(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast().fit(X, y)
    assert not hasattr(clone(clf), "student_")
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


# --- stability of the defaults ------------------------------------------------------


@pytest.mark.parametrize("dataset", ["crotonylation", "breast_cancer"])
def test_defaults_stop_early_at_the_best_meta_epoch(dataset, crotonylation_frame):
    """Early stopping ends training and returns the student of its best meta-epoch."""
    if dataset == "crotonylation":
        X, y = crotonylation_frame
        X = OneHotEncoder().fit_transform(X)
    else:
        from sklearn.datasets import load_breast_cancer
        from sklearn.preprocessing import StandardScaler

        X, y = load_breast_cancer(return_X_y=True)
        X = StandardScaler().fit_transform(X)
    clf = DistilledClassifier(early_stopping=True, validation_fraction=0.25,
                              random_state=0).fit(X, y)
    valid_auc = [h["student_valid_auc"] for h in clf.history_]
    assert clf.n_iter_ == len(valid_auc) < clf.meta_epochs
    best = int(np.argmax(valid_auc))
    # stopped n_iter_no_change meta-epochs after the last improvement
    assert len(valid_auc) - 1 - best <= clf.n_iter_no_change
    floor = 0.65 if dataset == "crotonylation" else 0.95
    assert max(valid_auc) > floor, valid_auc
    proba = clf.predict_proba(X)[:, 1]
    assert proba.std() > 0.05  # not one constant output


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_fit_and_predict_match_the_cpu_quality(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(device="cuda").fit(sp.csr_matrix(X), y)
    assert clf.device_.type == "cuda"
    assert clf.student_.module_.layers[0].weight.is_cuda
    cpu_auc = roc_auc_score(y, fast(device="cpu").fit(X, y).predict_proba(X)[:, 1])
    assert roc_auc_score(y, clf.predict_proba(X)[:, 1]) > cpu_auc - 0.05


def test_probabilities_refer_to_the_target_prior():
    # overlapping classes, 11.6 % positive: the probabilities are those of the
    # share the risk trains for, and the user guide's odds rescaling moves the
    # balanced ones to the data's share
    X, y = make_classification(2000, 10, n_informative=3, weights=[0.9], class_sep=0.5,
                               flip_y=0.05, random_state=0)
    share = y.mean()
    balanced, at_share = (
        fast(target_prior=float(target), meta_epochs=10, batch_size="auto")
        .fit(X, y).predict_proba(X)[:, 1]
        for target in (0.5, share)
    )
    assert balanced.mean() > 2 * share
    assert abs(at_share.mean() - share) < 0.03
    odds = balanced / (1 - balanced) * share / (1 - share)
    assert abs((odds / (1 + odds)).mean() - share) < 0.04


@pytest.mark.parametrize("batch_size", [8, 64])
def test_small_batches_train_at_the_target_prior(batch_size):
    # 10 % positives: in batches of 8, 43 % hold no positive; with each batch's
    # own means those weigh the positive class 0, and the student trained towards
    # a prior near 0.36 (mean probability 0.26 instead of 0.35). The balanced
    # logistic regression is the linear optimum of the balanced risk.
    rng = np.random.RandomState(0)
    y = (rng.rand(400) < 0.1).astype(int)
    X = rng.randn(400, 2) + y[:, None]
    balanced = LogisticRegression(class_weight="balanced").fit(X, y).predict_proba(X)[:, 1]
    clf = DistilledClassifier(alpha=0.0, batch_size=batch_size, meta_epochs=10,
                              early_stopping=False, random_state=0).fit(X, y)
    risk = clf.student_.criterion_.distillation_loss.true_label_loss
    assert risk.positive_share == pytest.approx(y.mean())
    assert abs(clf.predict_proba(X)[:, 1].mean() - balanced.mean()) < 0.03


@pytest.mark.parametrize("beta, learns_from", [(0.02, "the teacher alone"),
                                               (0.98, "the true labels alone")])
def test_a_beta_that_rounds_a_term_away_warns(imbalanced_arrays, beta, learns_from):
    X, y = imbalanced_arrays
    with pytest.warns(UserWarning, match=f"beta={beta} keeps .* learns from {learns_from}"):
        fast(beta=beta, batch_size=16).fit(X, y)


@pytest.mark.parametrize("params", [{}, {"alpha": 1.0}])
def test_a_samples_probability_hardly_depends_on_the_rows_beside_it(imbalanced_arrays, params):
    # scikit-learn's check_methods_subset_invariance, registered as an expected failure
    # at its 1e-7: what float32 nets promise instead
    X, y = imbalanced_arrays
    clf = fast(random_state=0, **params).fit(X, y)
    together = clf.predict_proba(X[:50])
    alone = np.vstack([clf.predict_proba(X[i:i + 1]) for i in range(50)])
    np.testing.assert_allclose(alone, together, rtol=0, atol=1e-6)
    # a view read backwards raised torch's "negative strides" ValueError
    np.testing.assert_allclose(clf.predict_proba(X[:50][::-1]), together[::-1], rtol=0,
                               atol=1e-6)
    reversed_fit = fast(random_state=0, **params).fit(X[::-1], y[::-1])
    np.testing.assert_array_equal(
        reversed_fit.predict_proba(X),
        fast(random_state=0, **params).fit(X[::-1].copy(), y[::-1].copy()).predict_proba(X),
    )


def test_the_fitted_nets_answer_skorchs_own_methods(imbalanced_arrays):
    # "BatchIterator serves TensorData only, got Dataset" from forward and predict_proba
    X, y = imbalanced_arrays
    clf = fast(random_state=0).fit(X, y)
    logits = clf.student_.forward(X.astype(np.float32))
    np.testing.assert_array_equal(logits.numpy(), clf.decision_function(X))
    assert clf.teacher_.predict_proba(X.astype(np.float32)).shape == (len(X),)


class DivergesWhenTraining(torch.nn.Module):
    """Finite logits until it trains: then inf."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        logits = self.linear(X)[:, 0]
        return logits * float("inf") if self.training else logits


def test_a_diverging_teacher_in_a_list_is_named_by_its_place(imbalanced_arrays):
    # "The teacher's logits became inf or NaN", whichever of the list it was
    X, y = imbalanced_arrays
    with pytest.raises(FloatingPointError, match=r"teacher\[1\]"):
        fast(teacher=[None, DivergesWhenTraining]).fit(X, y)


def test_an_optimizer_that_cannot_be_built_names_its_teacher_in_a_list(imbalanced_arrays):
    X, y = imbalanced_arrays
    bad = default_net("teacher").set_params(optimizer__weight_decay=-1.0)
    with pytest.raises(ValueError, match=r"The teacher\[1\]'s optimizer AdamW could not be "
                                         r"built: Invalid weight_decay"):
        fast(teacher=[None, bad]).fit(X, y)
