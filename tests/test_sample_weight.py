"""``fit(X, y, sample_weight)``: every loss, early stopping and scikit-learn teachers."""

import warnings

import numpy as np
import pytest
import sklearn
from imblearn.pipeline import make_pipeline as imblearn_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone, is_classifier
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning, UnsetMetadataPassedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill import DistilledClassifier, default_net

from .conftest import FAST, ROW_ID_CALLS, RowIdSpy


def fast(**params):
    return DistilledClassifier(**{**FAST, "random_state": 0, **params})


def test_a_teacher_net_trains_on_integer_weights_as_repeated_rows():
    # the weights dropped from a teacher net's loss were caught only by the float32-range
    # test, by accident: one full batch, no dropout, and a teacher trained before the
    # student draws anything agree to rounding with the rows repeated
    X, y = make_classification(60, n_features=5, random_state=0)
    X = X.astype(np.float32)
    weight = np.random.default_rng(0).integers(0, 3, len(y))
    weight[np.flatnonzero(y == 1)[0]] = weight[np.flatnonzero(y == 0)[0]] = 1
    params = {"teacher": default_net("teacher").set_params(module__dropout=0.0),
              "alpha": 0.5, "meta_epochs": 1, "teacher_epochs": 5, "student_epochs": 1,
              "batch_size": 1000, "early_stopping": False, "random_state": 0}
    weighted = DistilledClassifier(**params).fit(X, y, sample_weight=weight.astype(float))
    repeated = np.repeat(np.arange(len(y)), weight)
    as_rows = DistilledClassifier(**params).fit(X[repeated], y[repeated])
    np.testing.assert_allclose(weighted.teacher_predict_proba(X),
                               as_rows.teacher_predict_proba(X), atol=1e-6)
    unweighted = DistilledClassifier(**params).fit(X, y)
    assert not np.allclose(weighted.teacher_predict_proba(X),
                           unweighted.teacher_predict_proba(X), atol=1e-3)


@pytest.mark.parametrize("early_stopping", [False, True])
def test_a_scikit_learn_teachers_weights_follow_its_rows(imbalanced_arrays, early_stopping):
    # with bootstrap=True alone a bootstrap of n rows has n rows: the uncut weights passed,
    # each on another row than its own
    X, y = imbalanced_arrays
    ids = np.column_stack([X, np.arange(len(y))]).astype(np.float32)
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    ROW_ID_CALLS.clear()
    fast(teacher=RowIdSpy(), bootstrap=True, early_stopping=early_stopping,
         meta_epochs=1).fit(ids, y, sample_weight=weight)
    [(rows, given)] = [(rows, given) for kind, rows, _, given in ROW_ID_CALLS if kind == "fit"]
    assert len(set(rows)) < len(rows)  # a bootstrap sample: rows drawn twice
    np.testing.assert_array_equal(given, weight[rows])


def test_a_frozen_teacher_requests_no_metadata(imbalanced_arrays):
    # a FrozenEstimator is never fitted: routing it made the classifier claim to consume
    # sample_weight for its inner estimator's request
    X, y = imbalanced_arrays
    with sklearn.config_context(enable_metadata_routing=True):
        inner = LogisticRegression().set_fit_request(sample_weight=True).fit(X, y)
        clf = fast(teacher=[FrozenEstimator(inner), None])
        assert clf.get_metadata_routing().consumes("fit", ["sample_weight"]) == set()
        unfrozen = fast(teacher=[clone(inner), None])  # routed: the check can tell
        assert unfrozen.get_metadata_routing().consumes("fit", ["sample_weight"]) == {
            "sample_weight"}


def test_unit_weights_train_as_no_weights(imbalanced_arrays):
    X, y = imbalanced_arrays
    plain = fast(early_stopping=True, meta_epochs=6).fit(X, y)
    ones = fast(early_stopping=True, meta_epochs=6).fit(X, y, sample_weight=np.ones(len(y)))
    np.testing.assert_allclose(ones.predict_proba(X), plain.predict_proba(X), atol=1e-5)
    assert ones.n_iter_ == plain.n_iter_


@pytest.mark.parametrize("loss", ["pu", "bce"])
def test_weights_whose_sum_overflows_train_as_their_ratio(imbalanced_arrays, loss):
    # "positive_share must be in (0, 1), got nan" (pu), or NaN validation scores and
    # 45 RuntimeWarnings (bce): each weight finite, their sum not
    X, y = imbalanced_arrays
    ones = fast(early_stopping=True, true_label_loss=loss).fit(X, y, sample_weight=np.ones(len(y)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", "meta_epochs=", ConvergenceWarning)  # a short budget
        huge = fast(early_stopping=True, true_label_loss=loss).fit(
            X, y, sample_weight=np.full(len(y), 1e307))
    np.testing.assert_allclose(huge.predict_proba(X), ones.predict_proba(X), atol=1e-5)


@pytest.mark.parametrize("early_stopping, prior", [(False, 0.0), (True, "estimate")])
def test_samples_of_zero_weight_are_absent(imbalanced_arrays, early_stopping, prior):
    # BaggingClassifier passes its bootstrap as weights; early stopping decided and split
    # on every row, and refused a validation part whose positives all had weight 0 (three
    # random_state values of four, on 29 positives with 19 of them at weight 0)
    X, y = imbalanced_arrays
    weight = np.ones(len(y))
    weight[np.random.default_rng(0).permutation(np.flatnonzero(y == 1))[:25]] = 0.0
    kept = weight > 0
    params = {"early_stopping": early_stopping, "meta_epochs": 4, "prior": prior}
    weighted = fast(**params).fit(X, y, sample_weight=weight)
    dropped = fast(**params).fit(X[kept], y[kept])
    np.testing.assert_allclose(weighted.predict_proba(X), dropped.predict_proba(X), atol=1e-5)
    assert weighted.n_iter_ == dropped.n_iter_
    assert weighted.prior_ == dropped.prior_


@pytest.fixture(scope="module")
def two_positive_clusters():
    """Negatives around the origin, positives on both sides of them: (X, y, left)."""
    rng = np.random.default_rng(0)
    negatives = rng.normal(0.0, 0.5, size=(300, 2))
    left = rng.normal([-3.0, 0.0], 0.3, size=(40, 2))
    right = rng.normal([3.0, 0.0], 0.3, size=(40, 2))
    X = np.vstack([negatives, left, right]).astype(np.float32)
    y = np.repeat([0, 1, 1], [300, 40, 40])
    return X, y, np.arange(300, 340)


@pytest.mark.parametrize("alpha", [0.0, 0.5])
def test_samples_of_zero_weight_are_not_learnt(two_positive_clusters, alpha):
    X, y, left = two_positive_clusters
    weight = np.ones(len(y))
    weight[left] = 0.0
    params = {"alpha": alpha, "meta_epochs": 15, "batch_size": 16}
    plain = fast(**params).fit(X, y).predict_proba(X[left])[:, 1]
    weighted = fast(**params).fit(X, y, sample_weight=weight).predict_proba(X[left])[:, 1]
    assert plain.mean() > 0.5 > weighted.mean()


def test_integer_weights_train_the_student_as_repeated_rows():
    # the student's loss could drop its weights unseen (they still reached the teacher
    # and the held-out part); with alpha=0 in one batch the two fits agree to rounding
    X, y = make_classification(60, n_features=5, random_state=0)
    X = X.astype(np.float32)
    weight = np.random.default_rng(0).integers(0, 3, len(y))
    weight[np.flatnonzero(y == 1)[0]] = weight[np.flatnonzero(y == 0)[0]] = 1
    params = {"alpha": 0.0, "meta_epochs": 3, "student_epochs": 3, "batch_size": 1000,
              "early_stopping": False, "random_state": 0}
    weighted = DistilledClassifier(**params).fit(X, y, sample_weight=weight.astype(float))
    repeated = np.repeat(np.arange(len(y)), weight)
    as_rows = DistilledClassifier(**params).fit(X[repeated], y[repeated])
    np.testing.assert_allclose(weighted.predict_proba(X), as_rows.predict_proba(X), atol=1e-6)


def test_scikit_learn_teachers_are_fitted_with_the_weights(imbalanced_arrays):
    X, y = imbalanced_arrays
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    clf = fast(teacher=LogisticRegression()).fit(X, y, sample_weight=weight)
    expected = LogisticRegression().fit(X, y, sample_weight=weight)
    np.testing.assert_allclose(clf.teacher_.coef_, expected.coef_, rtol=1e-6)
    unweighted = LogisticRegression().fit(X, y)
    assert not np.allclose(clf.teacher_.coef_, unweighted.coef_, rtol=1e-3)


def test_a_search_teacher_passes_the_weights_to_its_estimator(imbalanced_arrays):
    # a search's fit takes **params, which the signature check read as no sample_weight
    X, y = imbalanced_arrays
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2)
    clf = fast(teacher=search).fit(X, y, sample_weight=weight)
    expected = clone(search).fit(X, y, sample_weight=weight).best_estimator_
    np.testing.assert_allclose(clf.teacher_.best_estimator_.coef_, expected.coef_, rtol=1e-6)
    with pytest.raises(ValueError, match="GridSearchCV's estimator KNeighborsClassifier takes "
                                         "no sample_weight"):
        fast(teacher=GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [3]}, cv=2)).fit(
            X, y, sample_weight=weight
        )


def test_bootstrap_and_several_teachers_take_weights(imbalanced_arrays):
    X, y = imbalanced_arrays
    weight = np.random.default_rng(1).uniform(0.0, 2.0, len(y))
    clf = fast(teacher=[None, LogisticRegression()], bootstrap=True).fit(
        X, y, sample_weight=weight
    )
    assert np.isfinite(clf.predict_proba(X)).all()
    assert len(clf.teachers_) == 2


def test_weights_pass_through_search_cross_validation_and_pipelines(imbalanced_arrays):
    X, y = imbalanced_arrays
    weight = np.where(y == 1, 2.0, 1.0)
    scores = cross_val_score(fast(), X, y, cv=2, params={"sample_weight": weight})
    assert np.isfinite(scores).all()
    search = GridSearchCV(fast(), {"alpha": [0.0, 1.0]}, cv=2).fit(X, y, sample_weight=weight)
    assert search.best_params_["alpha"] in (0.0, 1.0)
    pipeline = make_pipeline(StandardScaler(), fast())
    pipeline.fit(X, y, distilledclassifier__sample_weight=weight)
    assert pipeline.predict(X).shape == y.shape
    with sklearn.config_context(enable_metadata_routing=True):
        routed = fast().set_fit_request(sample_weight=True).set_score_request(sample_weight=False)
        search = GridSearchCV(routed, {"alpha": [0.0, 1.0]}, cv=2, error_score="raise")
        search.fit(X, y, sample_weight=weight)
        # the weights reach every fit: these leave the positives no weight
        with pytest.raises(ValueError, match="total weight of 0"):
            search.fit(X, y, sample_weight=(y == 0).astype(float))


def test_a_teacher_failing_on_its_metadata_names_it(imbalanced_arrays):
    # an imbalanced-learn sampler resamples X and y but not the weights, which its
    # teacher's last step requested; the message blamed X's dtype alone
    X, y = imbalanced_arrays
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        teacher = imblearn_pipeline(RandomUnderSampler(random_state=0),
                                    LogisticRegression().set_fit_request(sample_weight=True))
        clf = fast(teacher=teacher).set_fit_request(sample_weight=True)
        with pytest.raises(ValueError, match=r"teacher Pipeline failed in fit on X as given, "
                                             r"its dtype kept .*, and sample_weight: "):
            clf.fit(X, y, sample_weight=weight)


def test_metadata_routing_sends_each_teacher_what_it_requests(imbalanced_arrays):
    # the weights reached every scikit-learn teacher whatever it requested, a
    # Pipeline teacher was refused, and groups could not reach a search teacher
    X, y = imbalanced_arrays
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    groups = np.arange(len(y)) % 2
    with sklearn.config_context(enable_metadata_routing=True):
        teachers = [
            LogisticRegression().set_fit_request(sample_weight=True),
            LogisticRegression().set_fit_request(sample_weight=False),
            make_pipeline(StandardScaler().set_fit_request(sample_weight=False),
                          LogisticRegression().set_fit_request(sample_weight=True)),
            GridSearchCV(LogisticRegression().set_fit_request(sample_weight=False)
                         .set_score_request(sample_weight=False),
                         {"C": [0.1, 1.0]}, cv=LeaveOneGroupOut()),
        ]
        clf = fast(teacher=teachers).fit(X, y, sample_weight=weight, groups=groups)
        assert clf.get_metadata_routing().consumes("fit", ["groups"]) == {"groups"}
    weighted, unweighted, pipeline, search = clf.teachers_
    np.testing.assert_allclose(
        weighted.coef_, LogisticRegression().fit(X, y, sample_weight=weight).coef_, rtol=1e-6)
    np.testing.assert_allclose(unweighted.coef_, LogisticRegression().fit(X, y).coef_,
                               rtol=1e-6)
    expected = make_pipeline(StandardScaler(), LogisticRegression()).fit(
        X, y, logisticregression__sample_weight=weight)
    np.testing.assert_allclose(pipeline[-1].coef_, expected[-1].coef_, rtol=1e-6)
    assert search.n_splits_ == 2  # its folds are the two groups


def test_a_teachers_alias_keeps_its_own_weights(imbalanced_arrays):
    # the classifier's weights replaced what routing sent under an alias
    X, y = imbalanced_arrays
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    own = np.random.default_rng(1).uniform(0.1, 3.0, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        teacher = LogisticRegression().set_fit_request(sample_weight="teacher_weight")
        clf = fast(teacher=teacher).set_fit_request(sample_weight=True).fit(
            X, y, sample_weight=weight, teacher_weight=own)
    np.testing.assert_allclose(
        clf.teacher_.coef_, LogisticRegression().fit(X, y, sample_weight=own).coef_, rtol=1e-6)


@pytest.mark.parametrize("params", [{"alpha": 0.0}, {"warm_start": True}])
def test_metadata_of_teachers_that_are_not_fitted_is_left_unused(imbalanced_arrays, params):
    # alpha=0 fits no teacher, a warm start keeps the fitted ones: their unset
    # requests were an error, and so (in one version) was metadata meant for them
    X, y = imbalanced_arrays
    weight, groups = np.ones(len(y)), np.arange(len(y)) % 2
    with sklearn.config_context(enable_metadata_routing=True):
        search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=LeaveOneGroupOut())
        clf = fast(teacher=search, **params)
        if params.get("warm_start"):
            clf.fit(X, y, groups=groups)
        clf.fit(X, y, sample_weight=weight, groups=groups)
        assert clf.get_metadata_routing().consumes("fit", ["groups"]) == {"groups"}
        # a misspelt name is refused still, and so is the classifier's own alias, which
        # names what a caller routes to its sample_weight (it was accepted and unused)
        with pytest.raises(TypeError, match=r"metadata \['sample_wieght'\] that no teacher"):
            clf.fit(X, y, sample_wieght=weight)
        with pytest.raises(TypeError, match=r"metadata \['w'\] that no teacher"):
            clf.set_fit_request(sample_weight="w").fit(X, y, w=weight)


@pytest.mark.parametrize("teacher", ["net", "estimator"])
def test_a_classifier_not_requesting_its_weights_fits(imbalanced_arrays, teacher):
    # set_fit_request(sample_weight=False), a search weighing its scores only, failed
    # every fit: "unexpected argument(s) {'sample_weight'}, which are not routed"
    X, y = imbalanced_arrays
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        teacher = None if teacher == "net" else LogisticRegression().set_fit_request(
            sample_weight=False)
        clf = fast(teacher=teacher).set_fit_request(sample_weight=False)
        unweighted = clone(clf).fit(X, y).predict_proba(X)
        # a fit given weights directly consumes them, as LogisticRegression's
        weighted = clone(clf).fit(X, y, sample_weight=weight).predict_proba(X)
        clf.set_score_request(sample_weight=True)
        search = GridSearchCV(clf, {"alpha": [0.5]}, cv=2).fit(X, y, sample_weight=weight)
    np.testing.assert_array_equal(search.best_estimator_.predict_proba(X), unweighted)
    np.testing.assert_array_equal(fast(teacher=teacher).fit(X, y).predict_proba(X), unweighted)
    if teacher is None:  # without routing, a scikit-learn teacher gets the weights too
        np.testing.assert_array_equal(
            fast().fit(X, y, sample_weight=weight).predict_proba(X), weighted)
    assert not np.array_equal(weighted, unweighted)


def test_an_unset_request_within_a_teacher_is_scikit_learns_error(imbalanced_arrays):
    # it became a ValueError blaming X's dtype, where the fit docstring promises
    # UnsetMetadataPassedError, which the teacher alone raises
    X, y = imbalanced_arrays
    with sklearn.config_context(enable_metadata_routing=True):
        teacher = make_pipeline(StandardScaler(),
                                LogisticRegression().set_fit_request(sample_weight=True))
        with pytest.raises(UnsetMetadataPassedError, match="StandardScaler.fit_transform"):
            fast(teacher=teacher).fit(X, y, sample_weight=np.ones(len(y)))


class PlainTeacher:
    """A teacher with parameters, fit and predict_proba, and no scikit-learn tags
    (as wrappers written for older scikit-learn have)."""

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def fit(self, X, y):
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def test_a_teacher_without_tags_leaves_the_classifier_a_classifier(imbalanced_arrays):
    # its tags raised AttributeError: cross_val_score failed, a Pipeline stopped being
    # a classifier
    X, y = imbalanced_arrays
    clf = fast(teacher=PlainTeacher())
    assert is_classifier(make_pipeline(StandardScaler(), clf))
    assert np.isfinite(cross_val_score(clf, X, y, cv=2)).all()


def test_metadata_without_routing_is_refused_and_changes_nothing(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(teacher=LogisticRegression()).fit(X, y)
    before = clf.predict_proba(X)
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        clf.fit(X, y, groups=np.zeros(len(y)))
    np.testing.assert_array_equal(clf.predict_proba(X), before)


@pytest.mark.parametrize("scale", [1e-46, 1e39])
def test_weights_far_from_one_train_as_their_ratios(imbalanced_arrays, scale):
    # in float32 1e-46 became 0 (a fit that learnt nothing) and 1e39 inf (an error
    # blaming the input's scale)
    X, y = imbalanced_arrays
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    expected = fast().fit(X, y, sample_weight=weight).predict_proba(X)
    scaled = fast().fit(X, y, sample_weight=weight * scale).predict_proba(X)
    # the same ratios up to float64's rounding of the scaled weights
    np.testing.assert_allclose(scaled, expected, atol=1e-3)
    # a power of two scales exactly: the same fit to the last bit
    exact = fast().fit(X, y, sample_weight=np.ldexp(weight, -150 if scale < 1 else 130))
    np.testing.assert_array_equal(exact.predict_proba(X), expected)


def test_a_class_weighed_below_float32s_range_is_a_clear_error(imbalanced_arrays):
    # 1e-40 of the largest: the nets' float32 made it subnormal (a FloatingPointError
    # blaming the learning rate); 1e-46: zero, the class dropped without a word
    X, y = imbalanced_arrays
    for faint in (1e-40, 1e-46):
        with pytest.raises(ValueError, match=r"class\(es\) \[1\] weights below the "
                                             r"smallest normal float32"):
            fast().fit(X, y, sample_weight=np.where(y == 1, faint, 1.0))
    fast().fit(X, y, sample_weight=np.where(y == 1, 1e-30, 1.0))  # within range: trains
    # the one large weight of the class held out by early stopping: the training part,
    # scaled by its own largest, lost the class all the same
    weight = np.where(y == 1, 1e-40, 1.0)
    weight[np.flatnonzero(y == 1)[0]] = 1.0
    for seed in range(20):
        try:
            fast(early_stopping=True, random_state=seed).fit(X, y, sample_weight=weight)
        except ValueError as error:
            assert "The training part of early stopping" in str(error)
            break
    else:
        pytest.fail("no seed held the large weight out")


def test_read_only_weights_train_without_a_warning(imbalanced_arrays):
    # a pandas Series gives a read-only view under copy-on-write: torch warned
    X, y = imbalanced_arrays
    weight = np.ones(len(y))
    weight.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast().fit(X, y, sample_weight=weight)


@pytest.mark.parametrize(
    "make_weight, message",
    [
        (lambda y: -np.ones(len(y)), "Negative values"),
        (lambda y: np.full(len(y), np.nan), "NaN"),
        (lambda y: np.ones(len(y) - 1), r"sample_weight.shape"),
        (lambda y: np.zeros(len(y)), "at least one non-zero"),
        (lambda y: (y == 0).astype(float), r"class\(es\) \[1\] a total weight of 0.*"
                                           r"BaggingClassifier's\) at times draws no sample.*"
                                           r"max_samples=1\.0 with bootstrap=False"),
    ],
)
def test_bad_weights_are_named_and_change_nothing(imbalanced_arrays, make_weight, message):
    X, y = imbalanced_arrays
    clf = fast().fit(X, y)
    before = clf.predict_proba(X)
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y, sample_weight=make_weight(y))
    np.testing.assert_array_equal(clf.predict_proba(X), before)


def test_a_teacher_without_weights_and_a_weightless_validation_class_are_refused(
    imbalanced_arrays,
):
    X, y = imbalanced_arrays
    weight = np.ones(len(y))
    with pytest.raises(ValueError, match="KNeighborsClassifier takes no sample_weight.*"
                                         r"or turn on metadata routing \(sklearn.set_config"):
        fast(teacher=KNeighborsClassifier()).fit(X, y, sample_weight=weight)
    with sklearn.config_context(enable_metadata_routing=True):  # the third way it names
        fast(teacher=KNeighborsClassifier()).set_fit_request(sample_weight=True).fit(
            X, y, sample_weight=weight)
    frozen = FrozenEstimator(KNeighborsClassifier().fit(X, y))  # never fitted again
    assert fast(teacher=frozen).fit(X, y, sample_weight=weight).teacher_ is frozen
    positives = np.flatnonzero(y == 1)
    weight[positives[: len(positives) - 2]] = 0.0  # two positives of weight left
    with pytest.raises(ValueError, match=r"holds no sample of the class\(es\) \[1\]"):
        fast(early_stopping=True, validation_fraction=0.1).fit(X, y, sample_weight=weight)
