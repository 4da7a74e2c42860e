"""Input checks of the classifier that name what is wrong.

scikit-learn's own checks trip over some inputs with messages that do not
say what the user did: labels of mixed types end in "Unknown label type:
unknown" or "'<' not supported between instances of 'int' and 'str'", a
``pd.NA`` in "boolean value of NA is ambiguous", a text column of a
DataFrame in "could not convert string to float". These checks run first
(labels) or after scikit-learn's have failed (features), and say which
sample or column is at fault.
"""

from contextlib import contextmanager
from numbers import Number

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.utils.validation import validate_data


def _label_kind(label):
    """The kind of a label: labels of one kind can be sorted together."""
    if isinstance(label, (bool, np.bool_)):
        return "bool"
    if isinstance(label, Number):
        return "number"
    if isinstance(label, str):  # np.str_ too: pandas mixes them in object columns
        return "str"
    if isinstance(label, bytes):
        return "bytes"
    return type(label).__name__


def check_labels(y):
    """Refuse missing labels and labels of several kinds, naming them.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, 1)
        A column is checked as its one column (scikit-learn ravels it, with a
        warning); other shapes are left to scikit-learn's checks.

    Returns
    -------
    y : array-like of the shape of ``y``
        ``y``, except that an object array of numbers or bools becomes an
        array of their dtype (scikit-learn calls such labels of an object
        array "unknown"), and so do pandas' nullable bools and numbers, and
        categories of bools, without a missing one (``"boolean"`` labels
        became 0.0 and 1.0).

    Raises
    ------
    ValueError
        If a label is missing (None, NaN or ``pd.NA``).
    TypeError
        If the labels mix kinds that cannot be ordered (numbers, strings,
        bools: ``True`` would otherwise be merged with ``1``).

    Examples
    --------
    >>> check_labels(["a", "b", 1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: y mixes labels of types ['number', 'str'], ...
    """
    numpy_dtype = _numpy_dtype_of_labels(getattr(y, "dtype", None))
    if numpy_dtype is not None and getattr(y, "ndim", 1) == 1 and not pd.isna(y).any():
        y = y.to_numpy(dtype=numpy_dtype)
    # A list keeps the types of its items only as an object array.
    labels = np.asarray(y) if hasattr(y, "dtype") else np.asarray(y, dtype=object)
    if labels.ndim == 2 and labels.shape[1] == 1:
        column = y.iloc[:, 0] if hasattr(y, "iloc") else labels[:, 0]
        checked = check_labels(column)
        return y if checked is column else np.asarray(checked)[:, np.newaxis]
    if labels.ndim != 1:
        return y
    missing = pd.isna(labels)
    if missing.any():
        sample = int(np.flatnonzero(missing)[0])
        label = np.asarray(labels[sample]).tolist()
        raise ValueError(
            f"y holds a missing label ({label!r}) at sample {sample}; every sample needs a "
            "class label: drop or label those samples."
        )
    if labels.dtype == object:
        kinds = sorted({_label_kind(label) for label in labels})
        if len(kinds) > 1:
            raise TypeError(
                f"y mixes labels of types {kinds}, which cannot be ordered; give all "
                "labels one type (e.g. all strings)."
            )
        if kinds in (["bool"], ["number"]):
            return np.asarray(labels.tolist())
    return y


def _numpy_dtype_of_labels(dtype):
    """The NumPy dtype labels of a pandas ``dtype`` keep their kind in, which
    scikit-learn reads as floats (0.0 and 1.0), or None: that of nullable bools
    and numbers (not SparseDtype's, which has none), bool for a category of
    bools."""
    if isinstance(dtype, pd.CategoricalDtype):
        return bool if dtype.categories.dtype.kind == "b" else None
    if (isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "biuf"
            and hasattr(dtype, "numpy_dtype")):
        return dtype.numpy_dtype
    return None


def check_one_column(values, name, what):
    """Refuse ``values`` (an array) of several columns, naming ``name``: ``what``
    ("scores", "probability") of the positive class alone are wanted, not
    ``predict_proba``'s every column.

    Raises
    ------
    ValueError
        If ``values`` is 2-D with more than one column.
    """
    if values.ndim == 2 and values.shape[1] > 1:
        raise ValueError(
            f"{name} has {values.shape[1]} columns; give the {what} of the positive "
            "class alone, e.g. predict_proba(X)[:, 1]."
        )


def _as_frame(X):
    """X as a DataFrame when its columns can be told apart by dtype, else None."""
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "OmM":
        return pd.DataFrame(X)
    return X if isinstance(X, pd.DataFrame) else None


def _unusable_columns(frame):
    """Columns of a DataFrame that are not numbers, those with missing values, and
    those with infinite ones.

    Dates and durations count as not numbers: they would otherwise become
    nanoseconds since 1970 without a word.

    Examples
    --------
    >>> _unusable_columns(pd.DataFrame({"a": [1.0, None], "b": ["x", "y"], "c": [1, 2]}))
    (['b'], ['a'], [])
    """
    not_numeric, missing, infinite = [], [], []
    for name, column in frame.items():
        if column.dtype.kind == "c":
            continue  # scikit-learn names complex data; a cast here would warn in vain
        try:
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            values = None
        if values is None or _holds_dates(column.dtype):
            not_numeric.append(name)
        else:
            if np.isnan(values).any():
                missing.append(name)
            if np.isinf(values).any():
                infinite.append(name)
    return not_numeric, missing, infinite


def _holds_dates(dtype):
    """Whether a column of ``dtype`` holds dates or durations, also as the
    categories of a categorical column."""
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return dtype.kind in "mM"


def _column_error(frame, error=None):
    """The error that names the unusable columns of a DataFrame, or None.

    It names every kind of unusable column at once (fixed one at a time, they
    would come one error each), and ends with scikit-learn's ``error``'s
    message. Missing or infinite values alone give a ValueError, whichever
    error scikit-learn raised (a TypeError for ``pd.NA``, a
    ValueError for NaN); other values have the type of ``error``, and without one
    (dates, which scikit-learn takes) a TypeError.
    """
    not_numeric, missing, infinite = _unusable_columns(frame)
    sentences = []
    if not_numeric:
        sentences.append(
            f"X must hold numbers; column(s) {not_numeric} hold other values (text, "
            "categories, dates): encode them first, e.g. with a OneHotEncoder in a "
            "Pipeline (sequences of letters, one string per sample, with "
            "skdistill.preprocessing.SequenceEncoder)."
        )
    if missing:
        sentences.append(
            f"X holds missing values (NaN, None or pd.NA) in column(s) {missing}; "
            "impute or drop them first, e.g. with a SimpleImputer in a Pipeline."
        )
    if infinite:
        sentences.append(
            f"X holds infinite values (inf or -inf) in column(s) {infinite}; replace or "
            "drop them first (they often stand for a division by zero, or a missing value)."
        )
    if not sentences:
        return None
    message = " ".join(sentences)
    if error is None:
        return TypeError(message)
    kind = TypeError if isinstance(error, TypeError) and not_numeric else ValueError
    return kind(f"{message} ({error})")


def validate_features(estimator, X, y="no_validation", reset=True):
    """``validate_data`` for the nets (float32, dense or CSR), naming bad columns.

    Parameters
    ----------
    estimator : DistilledClassifier
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or "no_validation", default="no_validation"
    reset : bool, default=True

    Returns
    -------
    X or (X, y)
        As :func:`sklearn.utils.validation.validate_data` returns them.

    Raises
    ------
    ValueError or TypeError
        As scikit-learn raises it; for a DataFrame or an object or date array,
        naming the columns that hold something other than numbers (dates
        included), or missing values.
    """
    frame = _as_frame(X)
    if frame is not None and any(_holds_dates(dtype) for dtype in frame.dtypes):
        raise _column_error(frame)  # scikit-learn would take dates for numbers
    # numbers beyond float32 (inf - inf in scikit-learn's finiteness check once
    # cast): the error raised names them
    with naming_bad_features(estimator, X), np.errstate(over="ignore", invalid="ignore"):
        return validate_data(
            estimator, X, y, reset=reset, accept_sparse="csr", dtype=np.float32
        )


@contextmanager
def naming_bad_features(estimator, X):
    """Replace scikit-learn's TypeError or ValueError on ``X``, given to
    ``estimator``, by one that says what of ``X`` it came from: text columns,
    missing or infinite values, raw sequences, numbers beyond float32. Other
    errors pass as they are."""
    try:
        yield
    except (TypeError, ValueError) as error:
        frame = _as_frame(X)
        explained = (_sequences_error(type(estimator).__name__, X, error) if frame is None
                     else _column_error(frame, error))
        if explained is None:
            explained = _range_error(X, error)
        if explained is None:
            raise
        raise explained from error


def _range_error(X, error):
    """Return the error for finite numbers beyond float32's range, or None, as
    :func:`_sequences_error` does for sequences.

    scikit-learn reports them as infinity, which X does not hold: the nets
    compute in float32, whose largest number is about 3.4e38.
    """
    values = X.data if issparse(X) else np.asarray(X)
    if values.dtype.kind not in "biufO":  # a cast from complex would warn
        return None
    try:
        with np.errstate(over="ignore"):  # a longdouble beyond float64: no number here
            values = values.astype(np.float64)
    except (TypeError, ValueError):
        return None
    largest = np.abs(values).max(initial=0.0)
    if not np.isfinite(values).all() or largest <= np.finfo(np.float32).max:
        return None
    return ValueError(
        f"X holds numbers beyond float32's range (largest magnitude {largest:.3g}; "
        "float32, the nets' precision, ends near 3.4e38): scale X first, e.g. with a "
        f"StandardScaler in a Pipeline ({error})"
    )


def _sequences_error(name, X, error):
    """Return the error for one string per sample (raw sequences), or None.

    Parameters
    ----------
    name : str
        The class name of the estimator given ``X``.
    X : object
        The input scikit-learn could not read.
    error : Exception
        scikit-learn's error, quoted at the end.

    Returns
    -------
    error : ValueError or None
    """
    values = np.asarray(X, dtype=object)
    if values.ndim != 1 or not len(values) or not isinstance(values[0], (str, bytes)):
        return None
    return ValueError(
        f"X holds one string per sample (sequences?); {name} takes a 2-D array of "
        f"numbers: encode sequences first, e.g. make_pipeline(SequenceEncoder(), {name}()) "
        f"with skdistill.preprocessing.SequenceEncoder ({error})"
    )
