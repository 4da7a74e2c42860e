"""Offline, sequential and multi-teacher distillation through DistilledClassifier."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from scipy.stats import spearmanr
from skorch import NeuralNet
from skorch.callbacks import Callback
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdistill import DistilledClassifier
from skdistill._teachers import stratified_bootstrap
from skdistill.fusion import fuse_teacher_logits
from skdistill.modules import MLP

from .conftest import FAST, ROW_ID_CALLS, RowIdSpy


def fast(**params):
    return DistilledClassifier(**{**FAST, "random_state": 0, **params})


#: The training rows a net teacher saw, batch by batch (module level: a net's
#: callbacks are cloned with their parameters).
TEACHER_ROWS = []


class RecordRows(Callback):
    """Records the training rows a net sees, batch by batch, in TEACHER_ROWS."""

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            TEACHER_ROWS.append(batch[0].detach().cpu().numpy().copy())


def test_a_net_teacher_trains_on_its_bootstrap_sample(imbalanced_arrays):
    # net teachers ignoring their bootstrap sample passed every test: those of
    # bootstrap used scikit-learn teachers, whose sample takes another path
    X, y = imbalanced_arrays
    row_of = {row.tobytes(): index for index, row in enumerate(X)}
    assert len(row_of) == len(X)
    distinct = {}
    for bootstrap in (False, True):
        TEACHER_ROWS.clear()
        teacher = NeuralNet(MLP, criterion=torch.nn.MSELoss, callbacks=[RecordRows()])
        fast(teacher=teacher, bootstrap=bootstrap, meta_epochs=1).fit(X, y)
        rows = [row_of[row.tobytes()] for batch in TEACHER_ROWS for row in batch]
        assert len(rows) == FAST["teacher_epochs"] * len(X)  # n rows an epoch, either way
        distinct[bootstrap] = len(set(rows))
    # a bootstrap sample of n rows holds about 1 - 1/e = 63 % of them
    assert distinct[False] == len(X) and 0.55 * len(X) < distinct[True] < 0.72 * len(X)


class CountingLogisticRegression(LogisticRegression):
    """LogisticRegression that counts its fits, to see who refits a teacher."""

    fits = 0

    def fit(self, X, y, sample_weight=None):
        type(self).fits += 1
        return super().fit(X, y, sample_weight)


def test_frozen_teacher_is_not_refitted_inside_grid_search(imbalanced_arrays):
    X, y = imbalanced_arrays
    teacher = CountingLogisticRegression().fit(X, y)
    coef = teacher.coef_.copy()
    CountingLogisticRegression.fits = 0
    search = GridSearchCV(
        fast(teacher=FrozenEstimator(teacher)), {"alpha": [0.3, 0.7]}, cv=2, scoring="roc_auc"
    ).fit(X, y)
    assert CountingLogisticRegression.fits == 0
    np.testing.assert_array_equal(teacher.coef_, coef)
    best = search.best_estimator_
    assert best.teacher_ is search.best_estimator_.teacher  # used as it is
    np.testing.assert_allclose(
        best.teacher_predict_proba(X), teacher.predict_proba(X), rtol=1e-4, atol=1e-6
    )
    assert "teacher_loss" not in best.history_[0]


def test_unfitted_estimator_teacher_is_cloned_and_fitted_once(imbalanced_arrays):
    X, y = imbalanced_arrays
    spec = CountingLogisticRegression()
    CountingLogisticRegression.fits = 0
    clf = fast(teacher=spec, meta_epochs=4).fit(X, y)
    assert CountingLogisticRegression.fits == 1
    assert not hasattr(spec, "coef_")
    assert hasattr(clf.teacher_, "coef_")


def test_frozen_pipeline_teacher_receives_the_dataframe(imbalanced_arrays):
    X, y = imbalanced_arrays
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    teacher = make_pipeline(StandardScaler(), LogisticRegression()).fit(frame, y)
    with warnings.catch_warnings():
        # scikit-learn warns when a model fitted with column names gets an array
        warnings.simplefilter("error", UserWarning)
        clf = fast(teacher=FrozenEstimator(teacher)).fit(frame, y)
        proba = clf.teacher_predict_proba(frame)
    np.testing.assert_allclose(proba, teacher.predict_proba(frame), rtol=1e-4, atol=1e-6)


class InputSpy(ClassifierMixin, BaseEstimator):
    """Records the type and dtype of what fit and predict_proba receive."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        type(self).seen.append((type(X).__name__, X.dtype.name))
        return self

    def predict_proba(self, X):
        type(self).seen.append((type(X).__name__, X.dtype.name))
        return np.full((X.shape[0], len(self.classes_)), 1 / len(self.classes_))


@pytest.mark.parametrize(
    "convert, expected",
    [(lambda X: X.astype(np.float64), ("ndarray", "float64")),
     (lambda X: np.round(X).astype(np.int64), ("ndarray", "int64")),
     (lambda X: sp.csc_matrix(X.astype(np.float64)), ("csc_matrix", "float64")),
     (lambda X: X.astype(np.float64).tolist(), ("ndarray", "float64"))],
)
def test_sklearn_teachers_receive_x_as_given(imbalanced_arrays, convert, expected):
    # They got the nets' float32 copy (a CSC matrix as CSR) unless X was a
    # DataFrame: a teacher that scales a column near 1e8 lost its signal.
    X, y = imbalanced_arrays
    X = convert(X)
    InputSpy.seen = []
    clf = DistilledClassifier(teacher=InputSpy(), **FAST, random_state=0).fit(X, y)
    clf.teacher_predict_proba(X)
    assert set(InputSpy.seen) == {expected}


def test_a_teacher_of_category_codes_held_as_strings_reads_them_as_given():
    # the nets read the codes as numbers; the teacher one-hot encodes the strings
    rng = np.random.RandomState(0)
    X = rng.randint(0, 4, size=(300, 3)).astype(str)
    y = (X[:, 0] == "2").astype(int)
    teacher = make_pipeline(OneHotEncoder(), LogisticRegression()).fit(X, y)
    clf = DistilledClassifier(teacher=FrozenEstimator(teacher), **FAST, random_state=0).fit(X, y)
    np.testing.assert_allclose(clf.teacher_predict_proba(X), teacher.predict_proba(X), rtol=1e-6)


def test_a_sklearn_teacher_keeps_the_precision_of_float64_input():
    rng = np.random.RandomState(0)
    signal = rng.randn(300)
    X, y = np.column_stack([1e8 + signal, rng.randn(300)]), (signal > 0).astype(int)
    teacher = make_pipeline(StandardScaler(), LogisticRegression())
    clf = DistilledClassifier(teacher=teacher, alpha=1.0, **FAST, random_state=0).fit(X, y)
    assert clf.teacher_.score(X, y) == clone(teacher).fit(X, y).score(X, y) > 0.95


def test_student_learns_what_a_frozen_teacher_knows(imbalanced_arrays):
    X, y = imbalanced_arrays
    # A teacher with its own idea of the positives, unrelated to y.
    teacher = LogisticRegression().fit(X, (X[:, 3] > 0.5).astype(int))
    params = {"meta_epochs": 5, "student_epochs": 4, "batch_size": 32, "random_state": 0}
    mimic = DistilledClassifier(teacher=FrozenEstimator(teacher), alpha=1.0, beta=0.0, **params)
    alone = DistilledClassifier(alpha=0.0, beta=1.0, **params)
    reference = teacher.decision_function(X)
    for student, expected in [(mimic, True), (alone, False)]:
        agreement = spearmanr(reference, student.fit(X, y).decision_function(X)).statistic
        assert (agreement > 0.9) == expected


def test_fitted_skorch_net_as_frozen_teacher(imbalanced_arrays):
    from skorch import NeuralNetBinaryClassifier

    X, y = imbalanced_arrays
    net = NeuralNetBinaryClassifier(
        MLP, module__input_dim=X.shape[1], max_epochs=5, lr=0.05, train_split=None, verbose=0
    ).fit(X, y.astype(np.float32))
    clf = fast(teacher=FrozenEstimator(net)).fit(X, y)
    np.testing.assert_allclose(clf.teacher_predict_proba(X), net.predict_proba(X), atol=1e-5)


def test_teacher_with_other_labels_is_rejected(imbalanced_arrays):
    X, y = imbalanced_arrays
    teacher = LogisticRegression().fit(X, np.where(y == 1, "yes", "no"))
    with pytest.raises(ValueError, match="same labels"):
        fast(teacher=FrozenEstimator(teacher)).fit(X, y)


def test_an_unfitted_frozen_teacher_is_a_not_fitted_error(imbalanced_arrays):
    # it was a ValueError about dtypes, which `except NotFittedError` missed
    X, y = imbalanced_arrays
    with pytest.raises(NotFittedError, match="teacher FrozenEstimator failed in predict_proba: "
                                             "This LogisticRegression instance is not fitted"):
        fast(teacher=FrozenEstimator(LogisticRegression())).fit(X, y)


def test_teacher_columns_are_put_in_the_classifier_order(imbalanced_arrays):
    X, y = imbalanced_arrays
    labels = np.where(y == 1, "b", "a")
    teacher = LogisticRegression().fit(X, labels)
    teacher.classes_ = teacher.classes_[::-1]  # a teacher that lists classes the other way
    teacher.coef_, teacher.intercept_ = -teacher.coef_, -teacher.intercept_
    clf = fast(teacher=FrozenEstimator(teacher)).fit(X, labels)
    positive = clf.teacher_predict_proba(X)[:, list(clf.classes_).index("b")]
    np.testing.assert_allclose(positive, teacher.predict_proba(X)[:, 0], rtol=1e-4, atol=1e-6)


# --- several teachers ---------------------------------------------------------------------


@pytest.mark.parametrize("fusion", ["mean_proba", "mean_logits", "vote"])
def test_list_teachers_are_fused(imbalanced_arrays, fusion):
    X, y = imbalanced_arrays
    frozen = [
        FrozenEstimator(LogisticRegression(C=c).fit(X, y)) for c in (0.01, 1.0, 100.0)
    ]
    weights = [1.0, 2.0, 0.5]
    clf = fast(teacher=frozen, teacher_fusion=fusion, teacher_weights=weights).fit(X, y)
    assert clf.teachers_ == frozen
    assert clf.teacher_ is None
    logits = [
        torch.logit(torch.as_tensor(t.predict_proba(X)[:, 1], dtype=torch.float32), 1e-6)
        for t in frozen
    ]
    expected = torch.sigmoid(fuse_teacher_logits(logits, fusion, weights)).numpy()
    np.testing.assert_allclose(clf.teacher_predict_proba(X)[:, 1], expected, atol=1e-4)


def test_a_vote_of_one_teacher_gives_hard_targets(imbalanced_arrays):
    # one teacher skipped the fusion: "vote" trained on its soft probabilities
    X, y = imbalanced_arrays
    teacher = FrozenEstimator(LogisticRegression().fit(X, y))
    soft = fast(teacher=[teacher], teacher_fusion="vote").fit(X, y).teacher_predict_proba(X)
    np.testing.assert_allclose(soft, np.eye(2)[teacher.predict(X)], atol=1e-4)


def test_list_of_nets_and_estimators_in_grid_search(imbalanced_arrays):
    X, y = imbalanced_arrays
    teachers = [MLP, FrozenEstimator(LogisticRegression().fit(X, y)),
                HistGradientBoostingClassifier(max_iter=20)]
    search = GridSearchCV(
        fast(teacher=teachers, teacher_weights=[1, 1, 2]),
        {"teacher_fusion": ["mean_proba", "vote"]},
        cv=2, scoring="roc_auc",
    ).fit(X, y)
    best = search.best_estimator_
    assert isinstance(best.teachers_[0], NeuralNet)
    assert best.teachers_[1] is teachers[1]
    assert hasattr(best.teachers_[2], "n_iter_")
    assert "teacher_loss" in best.history_[0]  # the net teacher trains in rounds


def test_bootstrap_gives_each_teacher_its_own_sample(imbalanced_arrays):
    X, y = imbalanced_arrays
    teachers = [HistGradientBoostingClassifier(max_iter=10, random_state=0)] * 2
    same = fast(teacher=teachers).fit(X, y).teachers_
    np.testing.assert_allclose(same[0].predict_proba(X), same[1].predict_proba(X))
    diverse = fast(teacher=teachers, bootstrap=True).fit(X, y).teachers_
    assert not np.allclose(diverse[0].predict_proba(X), diverse[1].predict_proba(X))


def test_bootstrap_keeps_a_class_of_one_sample_in_every_teacher(imbalanced_arrays):
    # with these seeds a plain bootstrap missed the single positive for a teacher, which
    # then failed as "a teacher predicts the classes [0], but y holds [0, 1]"
    X, _ = imbalanced_arrays
    X = X[:60]
    y = np.zeros(60, dtype=int)
    y[7] = 1
    for seed in (0, 2):
        clf = fast(teacher=[RandomForestClassifier(3)] * 4, bootstrap=True, random_state=seed)
        for teacher in clf.fit(X, y).teachers_:
            assert teacher.classes_.tolist() == [0, 1]


def test_a_frozen_teacher_of_other_classes_is_named_by_its_position(imbalanced_arrays):
    # "A teacher predicts the classes ['a', 'b']": which of the list's, it did not say
    X, y = imbalanced_arrays
    other = LogisticRegression().fit(X, np.where(y == 1, "a", "b"))
    with pytest.raises(ValueError, match=r"^The scikit-learn teacher\[1\] FrozenEstimator "
                                         r"predicts the classes \['a', 'b'\], but y holds"):
        fast(teacher=[None, FrozenEstimator(other)]).fit(X, y)


def test_stratified_bootstrap_keeps_the_class_counts():
    y = np.repeat([0, 1, 2], [50, 9, 1])
    rng = np.random.RandomState(0)
    first, second = stratified_bootstrap(y, rng), stratified_bootstrap(y, rng)
    for rows in (first, second):
        assert np.bincount(y[rows]).tolist() == [50, 9, 1]
        assert len(np.unique(rows)) < len(rows)  # drawn with replacement
    assert not np.array_equal(np.sort(first), np.sort(second))


class FailingClassifier(ClassifierMixin, BaseEstimator):
    """A teacher whose predict_proba fails with a message that names nothing of ours."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        raise TypeError("loop of ufunc does not support argument 0 of type float")


def test_a_teachers_invalid_parameter_keeps_its_type(imbalanced_arrays):
    # InvalidParameterError (a ValueError and a TypeError) became a TypeError, which
    # "except ValueError" missed, and its message blamed X's dtype
    from sklearn.linear_model import LogisticRegression
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = imbalanced_arrays
    with pytest.raises(InvalidParameterError,
                       match=r"teacher LogisticRegression failed in fit: The 'C' parameter") as raised:
        fast(teacher=LogisticRegression(C=-1.0)).fit(X, y)
    assert isinstance(raised.value, ValueError) and "dtype" not in str(raised.value)


def test_a_failing_teacher_of_a_list_is_named_by_its_position(imbalanced_arrays):
    # two LogisticRegressions: "The scikit-learn teacher LogisticRegression failed"
    from sklearn.linear_model import LogisticRegression

    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=r"^The scikit-learn teacher\[1\] LogisticRegression "
                                         "failed in fit"):
        fast(teacher=[LogisticRegression(), LogisticRegression(C=-1.0)]).fit(X, y)


def test_a_failing_sklearn_teacher_is_named(imbalanced_arrays):
    # LogisticRegression fails so in predict_proba on a DataFrame with an object and a
    # category column (scikit-learn 1.9), which reached the user without context
    X, y = imbalanced_arrays
    with pytest.raises(TypeError, match="scikit-learn teacher FailingClassifier failed in "
                                        "predict_proba on X as given.*loop of ufunc"):
        fast(teacher=FailingClassifier()).fit(X, y)


class SeenRowsOnly(ClassifierMixin, BaseEstimator):
    """Fails on rows it was not fitted on, as an encoder meeting a new category."""

    def fit(self, X, y):
        self.classes_, self.seen_ = np.unique(y), {row.tobytes() for row in X}
        return self

    def predict_proba(self, X):
        if any(row.tobytes() not in self.seen_ for row in X):
            raise ValueError("Found unknown rows")
        return np.full((len(X), len(self.classes_)), 1 / len(self.classes_))


@pytest.mark.parametrize("params, rows", [
    ({"early_stopping": True}, "the validation part of early stopping: rows held out of its fit "
     r"\(early_stopping=False holds none out\)"),
    ({"bootstrap": True}, "the training part: rows of it outside its bootstrap sample were held "
     r"out of its fit \(bootstrap=False holds none out\)"),
])
def test_a_teacher_failing_on_rows_held_out_of_its_fit_is_told_so(imbalanced_arrays, params,
                                                                   rows):
    # the message said "on X as given": the user's rows, all of which it was fitted on
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=rf"teacher SeenRowsOnly failed in predict_proba on X "
                       rf"as given, {rows}, its dtype kept .*: Found unknown rows"):
        fast(teacher=SeenRowsOnly(), **params).fit(X, y)
    assert fast(teacher=SeenRowsOnly()).fit(X, y).n_iter_ == FAST["meta_epochs"]


def test_a_frozen_skorch_teacher_failing_in_torch_is_named(imbalanced_arrays):
    # a skorch net fitted on float32 failed on float64 X in a bare "mat1 and mat2 must
    # have the same dtype", naming no teacher
    from skorch import NeuralNetClassifier

    X, y = imbalanced_arrays
    net = NeuralNetClassifier(MLP, module__input_dim=X.shape[1], module__output_dim=2,
                              max_epochs=1, train_split=None, verbose=0)
    net.fit(X.astype(np.float32), y)
    with pytest.raises(RuntimeError, match=r"scikit-learn teacher FrozenEstimator failed in "
                                           r"predict_proba on X as given, its dtype kept"):
        fast(teacher=FrozenEstimator(net)).fit(X.astype(np.float64), y)


class NotImplementedTeacher(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        raise NotImplementedError("no probabilities here")


def test_a_teachers_runtime_error_of_its_own_kind_keeps_it(imbalanced_arrays):
    # NotImplementedError (a RuntimeError) became a plain RuntimeError blaming X's dtype
    with pytest.raises(NotImplementedError, match="^no probabilities here$"):
        fast(teacher=NotImplementedTeacher()).fit(*imbalanced_arrays)


def test_a_teacher_without_predict_proba_is_told_how_to_serve():
    # the refusal listed "an instance of 'type'" and no way to use an SVC
    from sklearn.svm import SVC
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"must be None, a class \(a torch\.nn\."
                                                    r"Module subclass\), .*\(wrap one without predict_proba.*"
                                                    r"CalibratedClassifierCV\)\. Got SVC\(\)"):
        DistilledClassifier(teacher=SVC()).fit(np.eye(4), [0, 1, 0, 1])
    with pytest.raises(TypeError, match=r"SVC\(\) or RidgeClassifier\(\), wrapped in "
                                        r"CalibratedClassifierCV\); got SVC\(\)"):
        DistilledClassifier(teacher=[SVC()]).fit(np.eye(4), [0, 1, 0, 1])


class OddProbabilities(ClassifierMixin, BaseEstimator):
    """A teacher whose predict_proba returns what it is told to."""

    def __init__(self, proba=None):
        self.proba = proba

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.resize(np.asarray(self.proba, dtype=float), (len(X), len(self.proba)))


@pytest.mark.parametrize("proba, message", [
    ([np.nan, 1.0], r"returned from predict_proba \d+ row\(s\) holding nan"),
    ([1.5, -0.5], r"returned from predict_proba \d+ row\(s\) holding 1\.5"),
    ([1.0, 0.0, 0.0], r"returned from predict_proba an array of shape \(\d+, 3\), for 2 "),
    ([0.6, 0.9], r"returned from predict_proba \d+ row\(s\) summing to 1\.5, not 1"),
], ids=["NaN", "outside [0, 1]", "a column too many", "rows not summing to 1"])
def test_a_teacher_of_no_probabilities_is_named(imbalanced_arrays, proba, message):
    # NaN failed in roc_auc_score or blamed the student's learning rate (even at weight
    # 0), values outside [0, 1] were clipped silently, columns failed in an IndexError,
    # rows summing to 1.5 became [0.1, 0.9] silently
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=r"^The scikit-learn teacher\[0\] OddProbabilities "
                                         + message):
        fast(teacher=[OddProbabilities(proba), None], teacher_weights=[0, 1]).fit(X, y)


# --- randomness ---------------------------------------------------------------------------


class GlobalNoiseClassifier(ClassifierMixin, BaseEstimator):
    """A teacher without a random_state that draws from NumPy's global generator."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.coef_ = np.random.normal(size=X.shape[1])
        return self

    def predict_proba(self, X):
        positive = 1 / (1 + np.exp(-np.asarray(X) @ self.coef_))
        return np.column_stack([1 - positive, positive])


@pytest.mark.parametrize(
    "teacher",
    [
        RandomForestClassifier(5),
        HistGradientBoostingClassifier(max_iter=5, early_stopping=True, validation_fraction=0.3),
        make_pipeline(StandardScaler(), RandomForestClassifier(3)),
        GlobalNoiseClassifier(),
    ],
    ids=["forest", "boosting", "pipeline", "global-numpy"],
)
def test_random_state_repeats_a_fit_with_a_sklearn_teacher_bit_for_bit(
    imbalanced_arrays, teacher
):
    X, y = imbalanced_arrays
    caller_state = np.random.get_state()
    fits = [fast(teacher=teacher, bootstrap=True, random_state=0).fit(X, y) for _ in range(2)]
    after = np.random.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(caller_state, after))  # untouched
    for method in ("predict_proba", "teacher_predict_proba"):
        np.testing.assert_array_equal(getattr(fits[0], method)(X), getattr(fits[1], method)(X))
    other_seed = fast(teacher=teacher, bootstrap=True, random_state=1).fit(X, y)
    assert not np.array_equal(other_seed.teacher_predict_proba(X), fits[0].teacher_predict_proba(X))


def test_only_random_states_left_unset_are_seeded(imbalanced_arrays):
    X, y = imbalanced_arrays
    teachers = [RandomForestClassifier(3), RandomForestClassifier(3, random_state=7),
                make_pipeline(StandardScaler(), RandomForestClassifier(3))]
    fitted = fast(teacher=teachers, random_state=0).fit(X, y).teachers_
    assert isinstance(fitted[0].random_state, int)
    assert fitted[1].random_state == 7
    assert isinstance(fitted[2][-1].random_state, int)
    assert fitted[0].random_state != fitted[2][-1].random_state
    assert teachers[0].random_state is None  # the spec itself is left as given


@pytest.mark.parametrize(
    "params, message",
    [
        ({"teacher": []}, "empty list"),
        ({"teacher": [None, None], "teacher_weights": [1.0]}, "one finite, non-negative weight"),
        ({"teacher": [None, None], "teacher_weights": [1.0, -1.0]}, "one finite, non-negative"),
        ({"teacher": [None, None], "teacher_weights": [1.0, np.nan]}, "one finite, non-negative"),
        ({"teacher": [None, None], "teacher_weights": [0, 0]}, "not all zero"),
        # flags read as 1 and 0 switched the second teacher off in silence
        ({"teacher": [None, None], "teacher_weights": [True, False]}, "not flags"),
        ({"teacher": [None, None], "teacher_weights": np.array([True, True])}, "not flags"),
        ({"teacher": [None, None], "teacher_weights": [np.True_, 0.5]}, "not flags"),
        ({"teacher": [None, None], "teacher_weights": list(torch.tensor([0.9, 0.2]) > 0.5)},
         "not flags"),
        ({"teacher": [None, None], "teacher_weights": [10**400, 1]}, "one finite, non-negative"),
        ({"teacher": [None, None], "teacher_weights": pd.array([True, False], dtype="boolean")},
         "not flags"),
        ({"teacher_fusion": "median"}, "teacher_fusion"),
        ({"schedule": "parallel"}, "schedule"),
        ({"bootstrap": "yes"}, "bootstrap"),
    ],
)
def test_bad_teacher_parameters_are_named(imbalanced_arrays, params, message):
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=message):
        fast(**params).fit(X, y)


# --- schedules ---------------------------------------------------------------------------

ORDER = []


class RecordRole(Callback):
    def __init__(self, role):
        self.role = role

    def on_epoch_end(self, net, **kwargs):
        ORDER.append(self.role)


def _recording_net(role, hidden_units):
    return NeuralNet(MLP, module__hidden_units=hidden_units, criterion=torch.nn.MSELoss,
                     callbacks=[RecordRole(role)])


@pytest.mark.parametrize(
    "schedule, expected",
    [("online", ["T", "T", "S"] * 3), ("sequential", ["T", "T"] * 3 + ["S"] * 3)],
)
def test_schedule_orders_teacher_and_student_epochs(imbalanced_arrays, schedule, expected):
    X, y = imbalanced_arrays
    ORDER.clear()
    clf = fast(
        teacher=_recording_net("T", (8,)), student=_recording_net("S", (4,)), schedule=schedule,
        meta_epochs=3, teacher_epochs=2, student_epochs=1, early_stopping=True,
        validation_fraction=0.25, n_iter_no_change=5,
    ).fit(X, y)
    assert ORDER == expected
    assert [sorted(r) for r in clf.history_] == [sorted([
        "meta_epoch", "teacher_loss", "student_loss", "teacher_valid_auc", "student_valid_auc",
        "teacher_valid_loss", "student_valid_loss",
    ])] * 3


def test_a_sequential_schedule_scores_a_sklearn_teacher_once(imbalanced_arrays):
    # its teacher phase ran n_iter_no_change + 1 rounds, each recording the same score
    X, y = imbalanced_arrays
    clf = fast(teacher=LogisticRegression(), schedule="sequential", early_stopping=True,
               meta_epochs=5).fit(X, y)
    teacher_rounds = [r for r in clf.history_ if "teacher_valid_auc" in r]
    student_rounds = [r for r in clf.history_ if "student_valid_auc" in r]
    assert len(teacher_rounds) == 1
    assert len(student_rounds) == clf.n_iter_ == 5


def test_a_fitted_classifier_keeps_no_bootstrap_sample(imbalanced_arrays):
    # each teacher kept 8 bytes per training row, in memory and in every saved file
    X, y = imbalanced_arrays
    clf = fast(teacher=[None, LogisticRegression()], bootstrap=True).fit(X, y)
    assert [teacher.sample for teacher in clf._teacher_ensemble.teachers] == [None, None]
    n_iter = clf.n_iter_
    assert clf.set_params(warm_start=True).fit(X, y).n_iter_ > n_iter  # new samples drawn


#: (epoch count, X, teacher logits) of every training batch of the student.
STUDENT_BATCHES = []


class RecordTargets(Callback):
    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            X, y = batch
            STUDENT_BATCHES.append((len(net.history), X.detach().cpu().numpy().copy(),
                                    y["teacher_logits"].detach().cpu().numpy().copy()))


def test_an_online_student_learns_from_the_teacher_of_its_own_round(imbalanced_arrays):
    # a net teacher's kept logits not dropped when it trained again left the student
    # learning from the first round's teacher in every round: only a warm sequential
    # fit's round count noticed
    X, y = imbalanced_arrays
    STUDENT_BATCHES.clear()
    student = NeuralNet(MLP, module__hidden_units=(4,), criterion=torch.nn.MSELoss,
                        callbacks=[RecordTargets()])
    clf = fast(student=student, schedule="online", meta_epochs=3).fit(X, y)
    last_epoch = max(epoch for epoch, _, _ in STUDENT_BATCHES)
    first = np.concatenate([t for e, _, t in STUDENT_BATCHES if e == 1]).ravel()
    seen_X = np.concatenate([x for e, x, _ in STUDENT_BATCHES if e == last_epoch])
    seen = np.concatenate([t for e, _, t in STUDENT_BATCHES if e == last_epoch]).ravel()
    proba = clf.teacher_predict_proba(seen_X)[:, 1]
    final = np.log(proba) - np.log1p(-proba)  # the final (round-3) teacher's logits
    np.testing.assert_allclose(seen, final, atol=1e-3)
    assert not np.allclose(np.sort(first), np.sort(seen), atol=1e-2)  # it trained between


@pytest.mark.filterwarnings("ignore:meta_epochs=2 ran out before early stopping")
@pytest.mark.parametrize("early_stopping", [False, True])
def test_a_bootstrapped_sklearn_teacher_fits_on_rows_of_the_training_part_with_their_labels(
        imbalanced_arrays, early_stopping):
    # with early stopping, the bootstrap sample (positions in the training part) was
    # taken as rows of the whole input: labels of other rows, validation rows fitted
    X, y = imbalanced_arrays
    X = np.column_stack([X, np.arange(len(X))]).astype(np.float32)
    ROW_ID_CALLS.clear()
    stopping = {"early_stopping": True, "validation_fraction": 0.25} if early_stopping else {}
    fast(teacher=RowIdSpy(), bootstrap=True, meta_epochs=2, **stopping).fit(X, y)
    (ids, labels), = [(ids, labels) for kind, ids, labels, _ in ROW_ID_CALLS if kind == "fit"]
    np.testing.assert_array_equal(labels, y[ids])  # each row with its own label
    n_train = len(X) - (round(0.25 * len(X)) if early_stopping else 0)
    assert len(ids) == n_train
    assert 0.55 * n_train < len(np.unique(ids)) < 0.72 * n_train


@pytest.mark.parametrize("spec", [LogisticRegression, RowIdSpy])
def test_a_class_given_as_teacher_is_refused_with_the_one_message(imbalanced_arrays, spec):
    # a class with fit and predict_proba passed for a scikit-learn classifier (an
    # instance), to fail later in clone with no word of the teacher
    X, y = imbalanced_arrays
    with pytest.raises(TypeError, match=r"^teacher must be None, a torch.nn.Module"):
        fast(teacher=spec).fit(X, y)
