"""Property-based fuzzing of DistilledClassifier, SequenceEncoder and the losses.

Every generated input must end in one of two ways: a fit that predicts finite
probabilities summing to 1 (for the losses: a finite loss with finite
gradients), or a ``ValueError``/``TypeError`` whose message names what the
generator broke (:func:`outcome`). The generators cover dtypes, shapes,
sparse formats, pandas types, NaN/inf, label types, class balance and the
valid and invalid values of every parameter; nets are tiny and train for one
meta-epoch.

By default every property runs a few dozen derandomized examples (a few
hundred in all, for CI). ``pytest -m fuzz_full tests/test_fuzz.py`` runs at
least 10,000 random ones; ``SKDISTILL_FUZZ_EXAMPLES`` sets another total.
"""

import collections
import functools
import math
import os
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from skorch import NeuralNet
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier
from skdistill._layout import find_layout, layout_from_values
from skdistill.losses import (
    BinaryCrossEntropyLoss,
    DistillationLoss,
    ImbalancedNNPULoss,
    make_true_label_loss,
)
from skdistill.modules import CNN, GRU, MLP
from skdistill.preprocessing import SequenceEncoder, UnknownSymbolWarning
from skdistill.pu import ElkanNotoPriorEstimator, TIcEPriorEstimator

NAN, INF = float("nan"), float("inf")
#: One meta-epoch of one epoch each: the fuzz is about inputs, not learning.
ONE_ROUND = {"meta_epochs": 1, "teacher_epochs": 1, "student_epochs": 1, "early_stopping": False}

# --- the checker ---------------------------------------------------------------------

#: What the current property run saw: inputs, and outcomes counted by :func:`outcome`.
OUTCOMES = collections.Counter()


def _pattern(keyword):
    """A keyword as a whole word ("alpha" does not match "alphabet")."""
    start = r"\b" if re.match(r"\w", keyword[0]) else ""
    end = r"\b" if re.match(r"\w", keyword[-1]) else ""
    return start + re.escape(keyword) + end


def outcome(action, problems=(), risks=()):
    """Run ``action``; return its result, or None after an error naming a problem.

    Parameters
    ----------
    action : callable
    problems : sequence of str
        Keywords of what the generator broke on purpose: the action must fail
        with a ValueError or TypeError whose message holds one of them.
    risks : sequence of str
        Keywords of what may fail on a valid input (too few samples for a
        held-out part): such a failure must name one of them.
    """
    try:
        result = action()
    except (ValueError, TypeError) as error:
        event(f"refused with a {type(error).__name__}")
        OUTCOMES[f"refused ({type(error).__name__})"] += 1
        keywords = [*problems, *risks]
        assert keywords, f"a valid input was refused: {error!r}"
        assert any(re.search(_pattern(k), str(error), re.IGNORECASE) for k in keywords), (
            f"{type(error).__name__}({str(error)!r}) names none of {keywords}"
        )
        return None
    assert not problems, f"accepted silently: {list(problems)}"
    event("accepted")
    OUTCOMES["accepted"] += 1
    return result


def check_predictions(clf, X, y):
    """Finite probabilities summing to 1, in the order of ``classes_``, for every row."""
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), len(clf.classes_))
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-6)
    assert np.isin(clf.predict(X), clf.classes_).all()
    assert np.array_equal(clf.classes_, np.unique(np.asarray(y, dtype=object)))


def draw_params(draw, choices, problems):
    """Draw every parameter in ``choices``; at most two of them invalid.

    ``choices`` maps a name to ``(valid strategy, invalid values)``; the
    name of each invalid one drawn is added to ``problems``.
    """
    n_bad = draw(st.sampled_from([0, 0, 0, 1, 1, 2]))
    breakable = sorted(name for name, (_, invalid) in choices.items() if invalid)
    bad = draw(st.lists(st.sampled_from(breakable), min_size=n_bad, max_size=n_bad,
                        unique=True))
    params = {}
    for name, (valid, invalid) in choices.items():
        if name in bad:
            problems.append(name)
            params[name] = draw(st.sampled_from(invalid))
        else:
            params[name] = draw(valid)
    return params


# --- features and labels -------------------------------------------------------------

FLOAT_DTYPES = [np.float16, np.float32, np.float64]
INT_DTYPES = [np.int8, np.int32, np.int64, np.uint8]
NON_FINITE = {NAN: ["nan", "missing"], INF: ["infinity"], -INF: ["infinity"]}


def _uniform(rng, dtype, shape):
    if dtype in INT_DTYPES or dtype is np.bool_:
        return rng.integers(0, 2 if dtype is np.bool_ else 100, size=shape).astype(dtype)
    return rng.uniform(-1e3, 1e3, size=shape).astype(dtype)


@st.composite
def matrices(draw, n_rows, n_cols, rng):
    """A NumPy, list or scipy.sparse matrix of one dtype; maybe a NaN or inf."""
    dtype = draw(st.sampled_from([*FLOAT_DTYPES, *INT_DTYPES, np.bool_, object]))
    X = _uniform(rng, np.float64 if dtype is object else dtype, (n_rows, n_cols)).astype(dtype)
    problems = []
    if dtype in FLOAT_DTYPES or dtype is object:
        special = draw(st.sampled_from([None] * 6 + [NAN, INF, -INF]))
        if special is not None:
            X[draw(st.integers(0, n_rows - 1)), draw(st.integers(0, n_cols - 1))] = special
            problems += NON_FINITE[special]
        if dtype is object and draw(st.integers(0, 3)) == 0:
            X[0, 0] = None
            problems += ["missing"]
    formats = ["array", "list"]
    if dtype is not object and dtype is not np.float16:  # scipy.sparse has neither
        formats += ["csr", "csc", "coo"]
    form = draw(st.sampled_from(formats))
    if form == "list":
        X = X.tolist()
    elif form != "array":
        X = sp.coo_matrix(X).asformat(form)
    return X, problems


def _column(kind, values, rng):
    """One column of ``kind`` from standard-normal ``values``, and whether it is usable."""
    n = len(values)
    with_na = np.where(rng.random(n) < 0.3, None, values)
    make = {
        "float64": lambda: values,
        "float32": lambda: values.astype(np.float32),
        "int64": lambda: (values * 10).astype(np.int64),
        "bool": lambda: values > 0,
        "Int64": lambda: pd.array((values * 10).astype(int), dtype="Int64"),
        "Int64 with NA": lambda: pd.array(
            [None if v is None else int(v * 10) for v in with_na], dtype="Int64"),
        "boolean with NA": lambda: pd.array(
            [None if v is None else v > 0 for v in with_na], dtype="boolean"),
        "object numbers": lambda: pd.Series(values, dtype=object),
        "object with NA": lambda: pd.Series(
            [pd.NA if v is None else v for v in with_na], dtype=object),
        "category of numbers": lambda: pd.Categorical(np.round(values)),
        "category of text": lambda: pd.Categorical(np.where(values > 0, "x", "y")),
        "text": lambda: pd.array(np.where(values > 0, "x", "y"), dtype="string"),
        "dates": lambda: pd.date_range("2024-01-01", periods=n),
    }
    column = make[kind]()
    if kind in ("category of text", "text", "dates"):
        return column, False
    return column, not pd.isna(np.asarray(column, dtype=object)).any()


#: Usable kinds twice, so that most frames are usable.
COLUMN_KINDS = 2 * ["float64", "float32", "int64", "bool", "Int64", "object numbers",
                    "category of numbers"] + [
    "Int64 with NA", "boolean with NA", "object with NA", "category of text", "text", "dates"]


@st.composite
def frames(draw, n_rows, n_cols, rng):
    """A DataFrame of mixed column kinds; problems name the bad columns."""
    kinds = draw(st.lists(st.sampled_from(COLUMN_KINDS), min_size=n_cols, max_size=n_cols))
    columns, problems = {}, []
    for j, kind in enumerate(kinds):
        columns[f"c{j}"], usable = _column(kind, rng.standard_normal(n_rows), rng)
        if not usable:
            problems.append(f"c{j}")
    return pd.DataFrame(columns), problems


@st.composite
def features(draw, n_rows):
    """Features of every supported kind and then some; their problems."""
    n_cols = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    source = frames if draw(st.booleans()) else matrices
    return draw(source(n_rows, n_cols, rng))


#: How encoded classes 0, 1, 2 are spelled, per label type.
LABEL_SPELLINGS = {
    "ints": [0, 1, 2],
    "signed": [-1, 1, 2],
    "strings": ["neg", "pos", "other"],
    "bools": [False, True],
    "float ints": [0.0, 1.0, 2.0],
    "ints and strings": [0, "pos", 2],
}


@st.composite
def labels(draw, n_rows):
    """Labels of one type (or mixed, or missing) and some class balance; their problems."""
    balance = draw(st.sampled_from(["one class", "one positive", "balanced", "random",
                                    "three classes"]))
    spelling = draw(st.sampled_from(sorted(LABEL_SPELLINGS)))
    values = LABEL_SPELLINGS[spelling]
    n_classes = min(3 if balance == "three classes" else 2, len(values))
    if balance == "one class":
        codes = np.zeros(n_rows, dtype=int)
    elif balance == "one positive":
        codes = (np.arange(n_rows) == draw(st.integers(0, n_rows - 1))).astype(int)
    elif balance == "random" and n_rows > 1:
        codes = (np.arange(n_rows) < draw(st.integers(1, n_rows - 1))).astype(int)
        np.random.default_rng(draw(st.integers(0, 2**16))).shuffle(codes)
    else:
        codes = np.arange(n_rows) % n_classes
    y = [values[code] for code in codes]
    problems = []
    if len(set(codes)) < 2:
        problems.append("class")
    if len({type(label) for label in y}) > 1:
        problems.append("mixes")
    if draw(st.integers(0, 5)) == 0:
        y[draw(st.integers(0, n_rows - 1))] = draw(st.sampled_from([None, NAN, pd.NA]))
        problems.append("missing")
    form = draw(st.sampled_from(["list", "array", "series", "categorical"]))
    if form == "array":
        y = np.asarray(y, dtype=object if problems else None)
    elif form == "series":
        y = pd.Series(y)
    elif form == "categorical" and "missing" not in problems and "mixes" not in problems:
        y = pd.Categorical(y)
    return y, problems


# --- the classifier ------------------------------------------------------------------


def tiny_net():
    """An unfitted skorch net with one hidden layer of 4 units."""
    return NeuralNet(MLP, module__hidden_units=(4,), criterion=torch.nn.MSELoss)


@st.composite
def classifier_inputs(draw):
    n_rows = draw(st.sampled_from(range(1, 13)))  # not shrunk towards one row
    X, x_problems = draw(features(n_rows))
    y, y_problems = draw(labels(n_rows))
    teacher = draw(st.sampled_from(["net", "forest", "logistic"]))
    # a scikit-learn teacher gets a DataFrame as given and may fail on its dtypes where
    # the nets do not (LogisticRegression on object and category columns together)
    risks = ["teacher"] if teacher != "net" and isinstance(X, pd.DataFrame) else []
    return X, y, x_problems + y_problems, risks, teacher


TEACHERS = {
    "net": tiny_net,
    "forest": lambda: RandomForestClassifier(3),
    "logistic": LogisticRegression,
}


def check_classifier_inputs(case):
    X, y, problems, risks, teacher = case
    clf = DistilledClassifier(teacher=TEACHERS[teacher](), student=tiny_net(), device="cpu",
                              random_state=0, **ONE_ROUND)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = outcome(lambda: clf.fit(X, y), problems, risks)
        if fitted is not None:
            check_predictions(fitted, X, y)


def _other_labels_teacher(X):
    """A teacher fitted on labels the data does not hold."""
    return FrozenEstimator(DummyClassifier().fit(X, np.resize(["p", "q"], len(X))))


@st.composite
def teacher_specs(draw, X, y):
    """A teacher spec, how many teachers it makes, its problems, and the problems
    it has only when the teacher term is used."""
    valid = {
        "default": lambda: None,
        "tiny net": tiny_net,
        "module class": lambda: MLP,
        "forest": lambda: RandomForestClassifier(3),
        "tree": lambda: DecisionTreeClassifier(max_depth=2),
        "frozen": lambda: FrozenEstimator(LogisticRegression().fit(X, y)),
        "pipeline": lambda: make_pipeline(LogisticRegression()),
    }
    invalid = {
        "a name": lambda: ("mlp", "teacher"),
        "a number": lambda: (3, "teacher"),
        "an estimator class": lambda: (LogisticRegression, "teacher"),
        "an empty list": lambda: ([], "teacher"),
        "a list with a name": lambda: ([tiny_net(), "mlp"], "teacher[1]"),
    }
    kind = draw(st.sampled_from(4 * ["one"] + 2 * ["list"] + ["invalid", "other labels"]))
    if kind == "invalid":
        spec, problem = invalid[draw(st.sampled_from(sorted(invalid)))]()
        return spec, 1, [problem], []
    if kind == "other labels":
        return _other_labels_teacher(X), 1, [], ["teacher"]
    if kind == "one":
        return valid[draw(st.sampled_from(sorted(valid)))](), 1, [], []
    names = draw(st.lists(st.sampled_from(sorted(valid)), min_size=1, max_size=3))
    return [valid[name]() for name in names], len(names), [], []


def _binary_or_three(rng, n_rows, n_classes):
    y = np.arange(n_rows) % n_classes
    rng.shuffle(y)
    return y


#: A prior: a number, or now and then estimated (tiny data may be refused, see the risks).
PRIORS = st.sampled_from(3 * ["number"] + ["estimate", "elkan-noto", "tice"]).flatmap(
    lambda kind: {
        "number": st.floats(0, 0.99),
        "estimate": st.just("estimate"),
        "elkan-noto": st.builds(ElkanNotoPriorEstimator),
        "tice": st.builds(TIcEPriorEstimator),
    }[kind]
)


def parameter_choices(n_teachers):
    """Valid values (a strategy) and invalid ones of every parameter but ``teacher``."""
    unit = st.floats(0, 1)
    return {
        "alpha": (unit, [-0.1, 1.5, NAN, "0.5", None]),
        "beta": (unit, [-0.5, 2.0, NAN]),
        "prior": (PRIORS, [1.0, -0.1, NAN, "guess", LogisticRegression]),
        "target_prior": (st.floats(0.01, 0.99), [0.0, 1.0, NAN]),
        "meta_epochs": (st.just(1), [0, -1, 1.5, "1"]),
        "teacher_epochs": (st.integers(1, 2), [0, 2.5]),
        "student_epochs": (st.integers(1, 2), [0, None]),
        "batch_size": (st.sampled_from(["auto", 1, 4, 64]), [0, -8, 2.5, "big"]),
        "early_stopping": (st.sampled_from(["auto", False, True]), ["yes", None]),
        "validation_fraction": (st.floats(0.1, 0.5), [0.0, 1.0, NAN]),
        "n_iter_no_change": (st.integers(1, 10), [0, 1.5]),
        "tol": (st.sampled_from([0.0, 1e-4, 1.0]), [-1.0, NAN, "small"]),
        "true_label_loss": (st.sampled_from(["auto", "pu", "bce"]), ["hinge", None]),
        "pu_surrogate": (st.sampled_from(["logistic", "sigmoid"]), ["hinge"]),
        "distillation_loss": (st.sampled_from(["soft", "hard", "mse"]), ["kl"]),
        "temperature": (st.floats(0.1, 10), [0.0, -1.0, NAN, "2"]),
        "schedule": (st.sampled_from(["online", "sequential"]), ["parallel"]),
        "teacher_fusion": (st.sampled_from(["mean_proba", "mean_logits", "vote"]), ["median"]),
        "teacher_weights": (
            st.none() | st.lists(st.floats(0.1, 10), min_size=n_teachers,
                                 max_size=n_teachers),
            [[NAN] * n_teachers, [-1.0] * n_teachers, [0.0] * n_teachers,
             [1.0] * (n_teachers + 1), "heavy"],
        ),
        "bootstrap": (st.booleans(), ["yes"]),
        "warm_start": (st.booleans(), ["yes"]),
        "device": (st.sampled_from(["cpu", "auto", torch.device("cpu")]),
                   ["tpu", 3] + ([] if torch.cuda.is_available() else ["cuda"])),
        "random_state": (st.sampled_from([None, 0, 12345, np.random.RandomState(1)]),
                         ["seed", -1]),
        "verbose": (st.sampled_from([0, False]), ["loud"]),
        "trackers": (st.sampled_from([None, []]), ["mlflow", [3]]),
        "student": (st.sampled_from([tiny_net, lambda: MLP]).map(lambda make: make()),
                    [LogisticRegression(), "mlp"]),
    }


#: The parameters of this version of DistilledClassifier.
PARAMETERS = set(DistilledClassifier().get_params(deep=False))


@st.composite
def classifier_params(draw):
    """Small valid data and every parameter, some of them invalid."""
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    n_rows, n_classes = draw(st.integers(6, 24)), draw(st.sampled_from([2, 2, 3]))
    X = rng.standard_normal((n_rows, 3)).astype(np.float32)
    y = _binary_or_three(rng, n_rows, n_classes)
    problems = []
    teacher, n_teachers, teacher_problems, teacher_use_problems = draw(teacher_specs(X, y))
    choices = {name: choice for name, choice in parameter_choices(n_teachers).items()
               if name in PARAMETERS}
    params = draw_params(draw, choices, problems)
    risks = []
    if params["early_stopping"] is True:
        risks += ["validation_fraction", "early_stopping"]
    if not isinstance(params["prior"], float):  # estimated: tiny data may not do
        risks += ["prior", "positives"]
    teacher_used = not (params["alpha"] == 0 or (params["beta"] == 1 and params["alpha"] != 1))
    if params["true_label_loss"] == "pu" and n_classes > 2:
        problems.append("pu")
    prior_given = not (isinstance(params["prior"], float) and params["prior"] == 0)
    if prior_given and (n_classes > 2 or params["true_label_loss"] == "bce"):
        problems.append("prior")  # only the PU risk has one
    problems += teacher_problems + (teacher_use_problems if teacher_used else [])
    return X, y, {"teacher": teacher, **params}, problems, risks


def check_classifier_params(case):
    X, y, params, problems, risks = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = outcome(lambda: DistilledClassifier(**params).fit(X, y), problems, risks)
        if fitted is not None:
            check_predictions(fitted, X, y)


@st.composite
def sequence_data(draw):
    """DNA windows (one letter and up), labels, and a tiny sequence student."""
    n_rows = draw(st.integers(2, 12))
    length = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    sequences = ["".join(rng.choice(list("ACGT"), size=length)) for _ in range(n_rows)]
    y = _binary_or_three(rng, n_rows, 2)
    student = draw(st.sampled_from(["cnn", "gru", "mlp"]))
    risks = []
    if student != "mlp" and len(set("".join(sequences))) == 1:
        risks = ["sequence_length", "alphabet_size"]  # values cannot tell a 1-letter shape
    return sequences, y, student, risks


SEQUENCE_STUDENTS = {
    "cnn": lambda: NeuralNet(CNN, module__channels=(4,), module__kernel_size=3,
                             criterion=torch.nn.MSELoss),
    "gru": lambda: NeuralNet(GRU, module__hidden_size=4, criterion=torch.nn.MSELoss),
    "mlp": tiny_net,
}


def check_sequences_through_a_pipeline(case):
    sequences, y, student, risks = case
    model = make_pipeline(
        SequenceEncoder(),
        DistilledClassifier(teacher=tiny_net(), student=SEQUENCE_STUDENTS[student](),
                            device="cpu", random_state=0, **ONE_ROUND),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = outcome(lambda: model.fit(sequences, y), risks=risks)
        if fitted is None:
            return
        check_predictions(fitted, sequences, y)
    if student != "mlp":
        encoder, clf = fitted[0], fitted[-1]
        assert clf.sequence_shape_ == (encoder.length_, len(encoder.alphabet_))


# --- SequenceEncoder -----------------------------------------------------------------

ALPHABETS = ["ACGT", "ACDEFGHIKLMNPQRSTVWY", "AC", "TGCA"]


def _encode_as(sequences, form):
    """The sequences in one of the input forms SequenceEncoder takes."""
    if form == "list":
        return list(sequences)
    if form == "object array":
        return np.asarray(sequences, dtype=object)
    if form == "bytes":
        return [s.encode() if isinstance(s, str) else s for s in sequences]
    if form == "bytes array":
        return np.asarray([s.encode() for s in sequences], dtype="S")
    if form == "series":
        return pd.Series(sequences, dtype=object)
    if form == "string series":
        return pd.Series(sequences, dtype="string")
    if form == "frame":
        return pd.DataFrame({"sequence": sequences})
    if form == "positions":  # one column per position
        return pd.DataFrame([list(s) for s in sequences])
    raise AssertionError(form)


def reference_encoding(sequences, alphabet, length):
    """The one-hot encoding SequenceEncoder must produce, written the slow way."""
    index = {letter: i for i, letter in enumerate(alphabet)}
    encoded = np.zeros((len(sequences), length * len(alphabet)))
    for row, sequence in enumerate(sequences):
        for position, letter in enumerate(sequence[:length]):
            if letter in index:
                encoded[row, position * len(alphabet) + index[letter]] = 1
    return encoded


@st.composite
def encoder_cases(draw):
    """Training and new sequences in some input form, and every parameter."""
    alphabet = draw(st.sampled_from(ALPHABETS))
    letters = st.sampled_from(alphabet)
    words = st.text(letters, min_size=0, max_size=6)
    train = draw(st.lists(words, min_size=1, max_size=8))
    strange = st.sampled_from(list(alphabet.lower()) + ["N", "-", "X"])
    new = draw(st.lists(st.text(letters | strange, max_size=6), min_size=1, max_size=6))
    forms = ["list", "object array", "bytes", "bytes array", "series", "string series",
             "frame"]
    if len({len(s) for s in train + new}) == 1 and len(train[0]) > 1:
        forms.append("positions")
    form = draw(st.sampled_from(forms))
    problems = []
    choices = {
        "alphabet": (st.sampled_from([None, alphabet, list(alphabet)]),
                     [alphabet[0] * 2, "", ["A", ""], 5]),
        "length": (st.none() | st.integers(1, 8), [0, -1, 2.5, "3"]),
        "handle_unknown": (st.sampled_from(["warn", "ignore", "error"]), ["drop"]),
        "sparse_output": (st.booleans(), ["yes"]),
        "prefix": (st.sampled_from(["pos", "site_"]), [3]),
        "dtype": (st.sampled_from([np.float32, np.float64, np.int8, np.uint8, bool]),
                  ["no-such-type", str, object]),
    }
    params = draw_params(draw, choices, problems)
    if params["alphabet"] == ["A", ""]:
        problems[problems.index("alphabet")] = "empty string"
    elif params["alphabet"] in (alphabet[0] * 2, ""):
        problems[problems.index("alphabet")] = "distinct"
    if (params["alphabet"] is None or params["length"] is None) and not any(train):
        problems.append("no letters")
    if form not in ("bytes array", "positions") and draw(st.integers(0, 5)) == 0:
        train[draw(st.integers(0, len(train) - 1))] = draw(st.sampled_from([None, NAN, pd.NA]))
        problems.append("missing")
    return train, new, form, params, problems


def check_sequence_encoder(case):
    train, new, form, params, problems = case
    encoder = outcome(lambda: SequenceEncoder(**params).fit(_encode_as(train, form)), problems)
    if encoder is None:
        return
    length = params["length"] or max(len(s) for s in train)
    # learned from the positions encoded alone
    alphabet = (sorted(set("".join(s[:length] for s in train))) if params["alphabet"] is None
                else list(params["alphabet"]))
    assert encoder.alphabet_.tolist() == alphabet and encoder.length_ == length
    expected = reference_encoding(new, alphabet, length)
    unknown = sum(any(letter not in alphabet for letter in s[:length]) for s in new)
    all_zero = int((expected.sum(axis=1) == 0).sum())
    refused = params["handle_unknown"] == "error" and unknown
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X = outcome(lambda: encoder.transform(_encode_as(new, form)),
                    ["unknown letter"] if refused else [])
    if X is None:
        return
    assert sp.issparse(X) == params["sparse_output"]
    assert X.dtype == np.dtype(params["dtype"])
    dense = X.toarray() if sp.issparse(X) else X
    np.testing.assert_array_equal(dense.astype(float), expected)
    told = [w.message for w in caught if issubclass(w.category, UnknownSymbolWarning)]
    if params["handle_unknown"] == "ignore" or not (unknown or all_zero):
        assert not told
    else:
        assert [(w.n_unknown, w.n_all_zero) for w in told] == [(unknown, all_zero)]
    names = encoder.get_feature_names_out()
    assert find_layout(X, names).shape == (length, len(alphabet))
    if len(alphabet) > 1:  # the true block always fits; the largest that fits wins
        assert layout_from_values(X).alphabet_size >= len(alphabet)


# --- the losses ----------------------------------------------------------------------

#: Logits a float32 net produces; beyond, float overflow (not the loss) decides.
LOGITS = st.floats(-1e4, 1e4, width=32)


@st.composite
def logit_tensors(draw, shape):
    values = draw(st.lists(LOGITS, min_size=math.prod(shape), max_size=math.prod(shape)))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    return torch.tensor(values, dtype=dtype).reshape(shape).requires_grad_()


def check_loss(value, *leaves):
    """A finite scalar whose gradients are finite."""
    assert value.shape == () and torch.isfinite(value)
    if value.requires_grad:  # not when both terms are empty
        value.backward()
    for leaf in leaves:
        assert leaf.grad is None or torch.isfinite(leaf.grad).all()


@st.composite
def pu_cases(draw):
    problems = []
    params = draw_params(draw, {
        "prior": (st.floats(0, 0.99), [1.0, -0.1, NAN, "0.1", None, True]),
        "target_prior": (st.floats(0.01, 0.99), [0.0, 1.0, NAN]),
        "beta": (st.floats(0, 10), [-1.0, NAN, INF]),
        "gamma": (st.floats(0, 10), [-0.5, NAN]),
    }, problems)
    n = draw(st.integers(0, 8))
    shape = draw(st.sampled_from(2 * [(n,), (n, 1), (n, 2)] + [(n, 3)]))
    if shape == (n, 3):
        problems.append("one logit per sample")
    target_shape = draw(st.sampled_from(6 * [(n,)] + [(1,), (n, 1), (n + 1,)]))
    if target_shape != (n,):
        problems.append("target")
    target = torch.tensor(draw(st.lists(st.sampled_from([0, 1]), min_size=math.prod(target_shape),
                                        max_size=math.prod(target_shape))))
    target = target.reshape(target_shape).to(draw(st.sampled_from(
        [torch.float32, torch.int64, torch.bool])))
    return params, draw(logit_tensors(shape)), target, problems


def check_pu_loss(case):
    params, logits, target, problems = case
    value = outcome(lambda: ImbalancedNNPULoss(**params)(logits, target), problems)
    if value is not None:
        check_loss(value, logits)


@st.composite
def distillation_cases(draw):
    """Both terms of the student's loss, for two classes or more, with defects."""
    problems = []
    n_classes = draw(st.sampled_from([2, 2, 3]))
    binary = n_classes == 2
    true_losses = ["pu", "bce"] if binary else ["cross-entropy"]
    params = draw_params(draw, {
        "alpha": (st.floats(0, 1), [1.5, -0.1, NAN, "0.5"]),
        "true_label_loss": (st.sampled_from(true_losses), ["pu-by-name", None]),
        "distillation_loss": (st.sampled_from(["soft", "hard", "mse"]), ["kl"]),
        "temperature": (st.floats(0.05, 20), [0.0, -1.0, NAN, "2"]),
        "n_true": (st.none() | st.integers(0, 10), [-1, 1.5]),
    }, problems)
    n = draw(st.integers(0, 8))
    student_shapes = [(n,), (n, 1), (n, 2)] if binary else [(n, n_classes)]
    student = draw(logit_tensors(draw(st.sampled_from(student_shapes))))
    teacher_shape = draw(st.sampled_from([(n,) if binary else (n, n_classes)] * 3
                                         + [None, (n, 4)]))
    teacher = None if teacher_shape is None else draw(logit_tensors(teacher_shape))
    n_true = params["n_true"] if params["n_true"] is not None else 0
    teacher_term = "alpha" not in problems and params["alpha"] > 0 and n > n_true
    if teacher_term and teacher_shape != ((n,) if binary else (n, n_classes)):
        problems.append("teacher_logits" if teacher is None else "teacher")
    labels = draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n))
    target = torch.tensor(labels, dtype=torch.float32 if binary else torch.int64)
    if draw(st.integers(0, 5)) == 0:
        target = torch.cat([target, target[:1]]) if n else torch.zeros(1)
        problems.append("target")
    return params, student, target, teacher, problems


TRUE_LABEL_LOSSES = {
    "pu": lambda: ImbalancedNNPULoss(prior=0.1),
    "bce": BinaryCrossEntropyLoss,
    "cross-entropy": torch.nn.CrossEntropyLoss,
}


def check_distillation_loss(case):
    params, student, target, teacher, problems = case
    params = dict(params)
    n_true = params.pop("n_true")
    name = params["true_label_loss"]
    if name in TRUE_LABEL_LOSSES:
        params["true_label_loss"] = TRUE_LABEL_LOSSES[name]()

    def loss():
        return DistillationLoss(**params)(student, target, teacher, n_true=n_true)

    value = outcome(loss, problems)
    if value is not None:
        check_loss(value, student)


#: What make_true_label_loss is asked for: a name, a number of classes, the priors.
LOSS_REQUESTS = st.tuples(
    st.sampled_from(["pu", "bce", "hinge"]), st.integers(2, 5),
    st.floats(0, 0.99) | st.sampled_from([1.0, -0.1, NAN]), st.floats(0.01, 0.99),
)


def check_make_true_label_loss(case):
    name, n_classes, prior, target_prior = case
    problems = []
    if name == "hinge":
        problems.append("hinge")
    elif name == "pu" and n_classes != 2:
        problems.append("two classes")
    elif name == "pu" and not 0 <= prior < 1:
        problems.append("prior")
    loss = outcome(lambda: make_true_label_loss(
        name, n_classes, prior=prior, target_prior=target_prior), problems)
    if loss is not None:
        logits = torch.zeros(4) if n_classes == 2 else torch.zeros(4, n_classes)
        target = torch.tensor([0, 1, 1, 0], dtype=torch.float32 if n_classes == 2 else torch.int64)
        check_loss(loss(logits.requires_grad_(), target), logits)


# --- running them --------------------------------------------------------------------

#: Each property: its inputs, its check, and its share of the examples (the
#: classifier's are the slow ones).
PROPERTIES = {
    "classifier inputs": (classifier_inputs(), check_classifier_inputs, 3),
    "classifier parameters": (classifier_params(), check_classifier_params, 3),
    "sequences through a pipeline": (sequence_data(), check_sequences_through_a_pipeline, 1),
    "sequence encoder": (encoder_cases(), check_sequence_encoder, 3),
    "pu loss": (pu_cases(), check_pu_loss, 2),
    "distillation loss": (distillation_cases(), check_distillation_loss, 2),
    "make_true_label_loss": (LOSS_REQUESTS, check_make_true_label_loss, 1),
}
#: Examples per share in CI: a few hundred in all, derandomized.
CI_EXAMPLES_PER_SHARE = 20
FULL_EXAMPLES = int(os.environ.get("SKDISTILL_FUZZ_EXAMPLES", 10_000))
QUIET = {"deadline": None, "suppress_health_check": list(HealthCheck)}


def run_property(name, **options):
    """Run a property under hypothesis ``settings(**options)``; return its counts."""
    strategy, check, _ = PROPERTIES[name]
    OUTCOMES.clear()

    @functools.wraps(check)
    def counted(case):
        OUTCOMES["inputs"] += 1
        check(case)

    settings(**QUIET, **options)(given(case=strategy)(counted))()
    return dict(OUTCOMES)


def _full_run_selected(config):
    """Whether ``-m`` selects the full run (``-m fuzz_full``, not ``-m 'not fuzz_full'``)."""
    return re.search(r"(?<!not )\bfuzz_full\b", config.getoption("markexpr") or "") is not None


def test_every_parameter_is_fuzzed():
    assert PARAMETERS - {"teacher"} <= set(parameter_choices(n_teachers=1))


@pytest.mark.parametrize("name", sorted(PROPERTIES))
def test_fuzz(name):
    share = PROPERTIES[name][-1]
    run_property(name, max_examples=CI_EXAMPLES_PER_SHARE * share, derandomize=True)


@pytest.mark.fuzz_full
@pytest.mark.parametrize("name", sorted(PROPERTIES))
def test_fuzz_full(name, request):
    if not _full_run_selected(request.config):
        pytest.skip("the full fuzz run (>= 10,000 inputs) runs with -m fuzz_full")
    total_shares = sum(share for *_, share in PROPERTIES.values())
    examples = math.ceil(FULL_EXAMPLES * PROPERTIES[name][-1] / total_shares)
    counts = run_property(name, max_examples=examples, print_blob=True)
    print(f"{name}: {counts}")  # shown with -s: inputs run, accepted, refused by error type
    assert counts["inputs"] >= examples  # not cut short by a search space too small
