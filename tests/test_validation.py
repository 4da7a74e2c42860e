"""Inputs the classifier refuses, and the names its messages give (issue 10 regressions)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from skdistill import DistilledClassifier
from skdistill._validation import check_labels
from skdistill.pu import ElkanNotoPriorEstimator

from .conftest import FAST

ONE_ROUND = {**FAST, "meta_epochs": 1, "random_state": 0}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((12, 3)).astype(np.float32), np.arange(12) % 2


@pytest.mark.parametrize(
    "make_y", [list, lambda y: np.asarray(y, dtype=object), pd.Series],
    ids=["list", "object array", "series"],
)
def test_labels_mixing_ints_and_strings_are_named(data, make_y):
    # an object array ended in "Unknown label type: unknown", a list was silently read as
    # the strings "1" and "a"
    X, _ = data
    with pytest.raises(TypeError, match=r"mixes labels of types \['number', 'str'\]"):
        DistilledClassifier(**ONE_ROUND).fit(X, make_y([1, "a"] * 6))


def test_python_and_numpy_strings_are_one_kind(data):
    # pandas object columns mix str and np.str_; the type names differed, so they were refused
    X, y = data
    labels = np.array([np.str_("pos") if label else "neg" for label in y], dtype=object)
    labels[0] = "pos" if y[0] else np.str_("neg")
    clf = DistilledClassifier(**ONE_ROUND).fit(X, labels)
    assert clf.classes_.tolist() == ["neg", "pos"]


def test_bools_are_not_merged_with_ints():
    with pytest.raises(TypeError, match=r"\['bool', 'number'\]"):
        check_labels([True, 1, 0, False])


@pytest.mark.parametrize(
    "y",
    [
        np.array([0, None, 1] * 4, dtype=object),
        np.array(["a", np.nan, "b"] * 4, dtype=object),
        pd.array(["a", pd.NA, "b"] * 4, dtype="string"),
        pd.array([True, pd.NA, False] * 4, dtype="boolean"),
        pd.array([0, pd.NA, 1] * 4, dtype="Int64"),
    ],
    ids=["None", "NaN", "string NA", "boolean NA", "Int64 NA"],
)
def test_missing_labels_are_named(data, y):
    # pd.NA ended in "boolean value of NA is ambiguous", None in "'<' not supported"
    X, _ = data
    with pytest.raises(ValueError, match=r"missing label \((None|nan|<NA>)\) at sample 1"):
        DistilledClassifier(**ONE_ROUND).fit(X, y)


def test_a_column_of_labels_is_checked_as_labels(data):
    # a column vector, which scikit-learn ravels with a warning, went unchecked:
    # "'<' not supported between instances of 'NoneType' and 'str'"
    X, y = data
    labels = np.where(y == 1, "pos", "neg").astype(object)
    labels[1] = None
    with pytest.raises(ValueError, match=r"missing label \(None\) at sample 1"):
        DistilledClassifier(**ONE_ROUND).fit(X, labels[:, np.newaxis])
    assert check_labels(np.asarray(y, dtype=object)[:, np.newaxis]).shape == (len(y), 1)
    # a column of a DataFrame is passed on as it is, as its Series would be
    frame = pd.DataFrame({"y": y})
    assert check_labels(frame) is frame
    # a nullable one as its numbers, as its Series would be
    column = check_labels(frame.astype("Int64"))
    assert column.dtype == np.int64 and column.tolist() == frame.to_numpy().tolist()


def test_object_arrays_of_numbers_are_labels(data):
    # scikit-learn calls them "unknown"; they are plain ints
    X, y = data
    clf = DistilledClassifier(**ONE_ROUND).fit(X, np.asarray(y, dtype=object))
    assert clf.classes_.tolist() == [0, 1] and clf.classes_.dtype.kind == "i"
    assert check_labels(np.array([True, False], dtype=object)).dtype == bool


@pytest.mark.parametrize("dtype, classes", [
    ("boolean", [False, True]), ("Int64", [0, 1]), ("UInt8", [0, 1]), ("Float64", [0.0, 1.0]),
])
def test_pandas_nullable_labels_keep_their_kind(data, dtype, classes):
    # scikit-learn read "boolean" and "Int64" labels as floats: classes_ [0.0, 1.0]
    X, y = data
    labels = pd.Series(y.astype(bool) if dtype == "boolean" else y, dtype=dtype)
    clf = DistilledClassifier(**ONE_ROUND).fit(X, labels)
    assert clf.classes_.tolist() == classes
    assert clf.classes_.dtype == labels.dtype.numpy_dtype
    assert clf.predict(X).dtype == clf.classes_.dtype
    # a missing one is still named
    with pytest.raises(ValueError, match="missing label"):
        DistilledClassifier(**ONE_ROUND).fit(X, labels.where(np.arange(len(y)) != 2))
    # sparse labels, which have no numpy_dtype, are left to scikit-learn as before
    sparse = DistilledClassifier(**ONE_ROUND).fit(X, pd.Series(y).astype("Sparse[int64]"))
    assert sparse.classes_.tolist() == [0, 1]


def test_a_category_of_bools_keeps_its_bools(data):
    # classes_ were [0.0, 1.0] and predict gave 1.0 for True, as scikit-learn reads them
    X, y = data
    labels = pd.Series(y.astype(bool)).astype("category")
    clf = DistilledClassifier(**ONE_ROUND).fit(X, labels)
    assert clf.classes_.tolist() == [False, True] and clf.classes_.dtype == bool
    assert clf.predict(X).dtype == bool
    with pytest.raises(ValueError, match="missing label"):
        DistilledClassifier(**ONE_ROUND).fit(X, labels.where(np.arange(len(y)) != 2))


def test_frame_columns_with_pd_na_are_named_at_fit_and_predict(data):
    X, y = data
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    broken = frame.assign(b=pd.Series([1.0, pd.NA] * 6, dtype=object),
                          c=pd.array([1, pd.NA] * 6, dtype="Int64"))
    # a ValueError, as for NaN (it was a TypeError for pd.NA, a ValueError for NaN)
    with pytest.raises(ValueError, match=r"missing values .* in column\(s\) \['b', 'c'\]"):
        DistilledClassifier(**ONE_ROUND).fit(broken, y)
    clf = DistilledClassifier(**ONE_ROUND).fit(frame, y)
    for missing in (broken, frame.assign(b=[1.0, np.nan] * 6)):
        with pytest.raises(ValueError, match=r"missing values .* in column\(s\) \['b'"):
            clf.predict_proba(missing)


def test_frame_columns_with_inf_are_named_at_fit_and_predict(data):
    # scikit-learn's "Input X contains infinity", no column named where NaN's were
    X, y = data
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    broken = frame.assign(c=[1.0, -np.inf] * 6)
    with pytest.raises(ValueError, match=r"infinite values \(inf or -inf\) in column\(s\) "
                                         r"\['c'\].*\(Input X contains infinity"):
        DistilledClassifier(**ONE_ROUND).fit(broken, y)
    clf = DistilledClassifier(**ONE_ROUND).fit(frame, y)
    with pytest.raises(ValueError, match=r"infinite values .* in column\(s\) \['c'\]"):
        clf.predict_proba(broken)
    # with columns of other faults, every one is named at once
    with pytest.raises(ValueError, match=r"missing values .* in column\(s\) \['a'\].* "
                                         r"infinite values .* in column\(s\) \['c'\]"):
        clf.predict_proba(broken.assign(a=[np.nan, 1.0] * 6))
    # as is a column of both
    with pytest.raises(ValueError, match=r"missing values .* in column\(s\) \['c'\].* "
                                         r"infinite values .* in column\(s\) \['c'\]"):
        clf.predict_proba(broken.assign(c=[np.nan, np.inf, 1.0] * 4))


def test_a_complex_column_is_refused_without_a_warning_of_a_cast(data):
    # the explanation cast the column, warning that its imaginary part was discarded
    X, y = data
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    clf = DistilledClassifier(**ONE_ROUND).fit(frame, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="Complex data not supported"):
            clf.predict_proba(frame.astype({"a": complex}))


def test_text_and_category_columns_are_named(data):
    X, y = data
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(
        b=pd.Categorical(["x", "y"] * 6), c=["u", "v"] * 6)
    with pytest.raises(ValueError, match=r"must hold numbers; column\(s\) \['b', 'c'\]"):
        DistilledClassifier(**ONE_ROUND).fit(frame, y)


@pytest.mark.parametrize("as_input", [list, np.array, pd.Series], ids=["list", "array", "Series"])
def test_sequences_given_as_they_are_point_to_the_encoder(data, as_input):
    # scikit-learn's bare "could not convert string to float: 'ACGT'"
    _, y = data
    sequences = as_input(["ACGT", "TTGA", "GGCA"] * 4)
    with pytest.raises(ValueError, match=r"one string per sample \(sequences\?\).*"
                                         r"SequenceEncoder\(\)"):
        DistilledClassifier(**ONE_ROUND).fit(sequences, y)
    # a column of them, as load_crotonylation(as_frame=True) gives, was pointed to a
    # OneHotEncoder alone, which makes each whole window a category
    with pytest.raises(ValueError, match=r"column\(s\) \['sequence'\].*OneHotEncoder.*"
                                         r"sequences of letters.*SequenceEncoder"):
        DistilledClassifier(**ONE_ROUND).fit(pd.DataFrame({"sequence": sequences}), y)


def test_dates_are_not_taken_for_numbers(data):
    # a frame of dates alone was fitted on nanoseconds since 1970
    _, y = data
    frame = pd.DataFrame({"when": pd.date_range("2024-01-01", periods=12)})
    with pytest.raises(TypeError, match=r"must hold numbers; column\(s\) \['when'\]"):
        DistilledClassifier(**ONE_ROUND).fit(frame, y)
    with pytest.raises(TypeError, match=r"column\(s\) \[0\]"):
        DistilledClassifier(**ONE_ROUND).fit(frame.to_numpy().reshape(-1, 1), y)
    # as categories: alone, fitted on nanoseconds and predicting 0 everywhere; beside a
    # number, pandas' "float() argument must be ... not 'Timestamp'", naming no column
    durations = pd.Series(pd.to_timedelta(np.arange(12), unit="D")).astype("category")
    for categories in (frame.astype("category"),
                       pd.DataFrame({"when": durations, "x": np.arange(12.0)})):
        with pytest.raises(TypeError, match=r"must hold numbers; column\(s\) \['when'\]"):
            DistilledClassifier(**ONE_ROUND).fit(categories, y)


def test_early_stopping_on_too_few_samples_names_its_parameters(data):
    # the stratified split failed with "The test_size = 1 should be greater or equal to
    # the number of classes = 2"
    X, y = data
    clf = DistilledClassifier(**{**ONE_ROUND, "early_stopping": True, "validation_fraction": 0.05})
    with pytest.raises(ValueError, match="validation_fraction=0.05.*early_stopping=False"):
        clf.fit(X, y)


@pytest.mark.parametrize("name, value", [
    ("validation_fraction", 0.1), ("validation_fraction", 0.04), ("tol", 0.5),
    ("alpha", 0.25), ("beta", 0.75), ("temperature", 2.0), ("batch_size", 8),
    ("meta_epochs", 2), ("n_iter_no_change", 1), ("random_state", 3),
])
def test_numpy_scalars_are_taken_as_the_numbers_they_hold(name, value):
    # validation_fraction=np.float32(0.25) failed in train_test_split's own check;
    # float32's 0.1 (0.10000000149) then held out 11 of 100 samples, not 10, and its
    # 0.04 (0.0399999991) turned early stopping off, 50 samples of a class short of 2
    X = np.random.default_rng(0).standard_normal((100, 3)).astype(np.float32)
    y = np.arange(100) % 2
    params = {**ONE_ROUND, "early_stopping": "auto", "validation_fraction": 0.5}
    scalar = (np.float32 if isinstance(value, float) else np.int64)(value)
    expected = DistilledClassifier(**{**params, name: value}).fit(X, y).predict_proba(X)
    given = DistilledClassifier(**{**params, name: scalar}).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(given, expected)


def test_a_prior_estimator_class_is_named(data):
    # HasMethods(["fit"]) lets a class through, and clone failed with "Cannot clone object"
    X, y = data
    with pytest.raises(TypeError, match=r"prior=ElkanNotoPriorEstimator is a class; pass an "
                                        r"instance, e.g. prior=ElkanNotoPriorEstimator\(\)"):
        DistilledClassifier(**{**ONE_ROUND, "prior": ElkanNotoPriorEstimator}).fit(X, y)
