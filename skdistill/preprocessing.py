"""Preprocessing of biological sequences for scikit-learn pipelines."""

import warnings
from collections.abc import Mapping, Set
from numbers import Integral, Number

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from ._atomic import restores_state_on_error
from ._constraints import NumberInterval
from ._warnings import user_stacklevel

__all__ = ["SequenceEncoder", "SequenceLengthWarning", "UnknownSymbolWarning", "positions_frame"]


class UnknownSymbolWarning(UserWarning):
    """Some samples were encoded with all-zero positions they did not ask for.

    Raised by :meth:`SequenceEncoder.transform` (``handle_unknown="warn"``)
    for letters outside the alphabet and for samples that became all-zero rows
    (empty sequences, or no letter of the alphabet). The counts travel with
    the warning, since ``transform`` leaves the fitted encoder unchanged.

    Parameters
    ----------
    message : str
    n_unknown : int, default=0
        Samples holding at least one letter outside the alphabet.
    n_all_zero : int, default=0
        Samples encoded as all-zero rows.
    """

    def __init__(self, message, n_unknown=0, n_all_zero=0):
        super().__init__(message)
        self.n_unknown = n_unknown
        self.n_all_zero = n_all_zero


class SequenceLengthWarning(UserWarning):
    """Sequences of other lengths than those of ``fit``, or of several in ``fit``.

    Raised, when the length is learned (``length=None``), by
    :meth:`SequenceEncoder.transform` for sequences of other lengths than
    ``fit`` saw, and by :meth:`SequenceEncoder.fit` where one string per
    sample gives sequences of several lengths: shorter sequences are padded
    (longer ones truncated) at the end to ``length_`` positions, which
    misaligns windows centred on a site. Give ``length`` to encode other
    lengths on purpose (no sequence is then warned of, the truncated ones
    neither); filter the warning of ``fit`` by its message to keep the others.

    Parameters
    ----------
    message : str
    n_shorter : int, default=0
        Non-empty samples shorter than the shortest sequence of ``fit`` (from
        ``transform``; empty ones are counted by :class:`UnknownSymbolWarning`),
        or, from ``fit``, than its longest: padded.
    n_longer : int, default=0
        Samples longer than ``length_`` (truncated).
    """

    def __init__(self, message, n_shorter=0, n_longer=0):
        super().__init__(message)
        self.n_shorter = n_shorter
        self.n_longer = n_longer


def _as_text(value, caller):
    """A sequence or symbol as text: bytes decoded as UTF-8 (not read as "b'ACG'").

    A NUL character is refused: NumPy's strings drop it at the end, and
    ``SequenceEncoder`` reads it as padding.
    """
    try:
        text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{caller}: {value[:40]!r} is not UTF-8 text ({error.reason} at byte "
            f"{error.start}); decode it with its own encoding first."
        ) from None
    if "\x00" in text:
        raise ValueError(
            f"{caller}: {text[:40]!r} holds a NUL character ('\\x00'); is the input "
            "read from a binary file?"
        )
    return text


def _texts(sequences, caller):
    """Return the sequences as text, naming a missing one or a container.

    A list of letters was read as the text "['A', 'C']". Numbers are their
    digits, as categories of scikit-learn's encoders may be numbers.

    Parameters
    ----------
    sequences : iterable
    caller : str
        How messages name the function.

    Returns
    -------
    texts : list of str

    Raises
    ------
    ValueError
        If ``sequences`` is one string, or a sequence is missing (None, NaN,
        ``pd.NA``), not a scalar, or holds a NUL character.
    """
    if isinstance(sequences, (str, bytes)):  # its letters would be read as sequences
        raise ValueError(
            f"{caller}: got a single string; give a list of sequences (['ACGT'] for one)."
        )
    texts = []
    for index, sequence in enumerate(sequences):
        if not isinstance(sequence, (str, bytes)):
            if not pd.api.types.is_scalar(sequence):
                raise ValueError(
                    f"{caller}: sample {index} is of type {type(sequence).__name__}; give "
                    "each sequence as a string."
                )
            if pd.isna(sequence):
                raise ValueError(f"{caller}: sample {index} is missing (None, NaN or pd.NA).")
        texts.append(_as_text(sequence, caller))
    return texts


def _symbol_text(value, alphabet=None):
    """A table cell's symbol as text; a whole float reads as the integer it
    equals (1.0 as 1, as scikit-learn's OneHotEncoder takes them: pandas makes
    an int column float after a NaN or a concat), but as written where the
    given or fitted ``alphabet`` holds that and not the integer (skdistill 0.1
    learned "1.0")."""
    if isinstance(value, (float, np.floating)) and value.is_integer():
        as_integer = str(int(value))
        if alphabet is None or as_integer in alphabet or str(value) not in alphabet:
            return as_integer
    return _as_text(value, "SequenceEncoder")


def _first_number(sequences):
    """The index of the first number among ``sequences``, NaN aside (a missing
    sequence, named so by :func:`_texts`), or None."""
    return next((index for index, value in enumerate(sequences)
                 if isinstance(value, (Number, np.number, np.bool_)) and value == value),
                None)


def _refuse_numbers(sequences, reshape):
    """A ValueError where one of the ``sequences`` (one per sample, given as 1-D
    input or as one column) is a number: each would be read as the text of its
    digits (a column of features passed by mistake). ``reshape``: whether the
    numbers may be one sample of an encoder fitted on a table of symbols."""
    number = _first_number(sequences)
    if number is not None:
        raise ValueError(
            "SequenceEncoder: X holds numbers as sequences, one per sample in its 1 "
            f"feature(s) (sample {number}: {sequences[number]}), where a number's digits "
            "are no sequence: give the sequences as strings, and numeric features to "
            "another transformer (a StandardScaler, say)"
            + (" (for one sample of symbols, one per position: Reshape your data with "
               "X.reshape(1, -1))." if reshape else ".")
        )


def _warn_of_several_lengths(lengths):
    """Warn where the sequences of ``fit`` (their non-zero ``lengths``) differ in
    length: padded at the end, windows centred on a site lose their alignment (a
    CNN's ROC AUC fell from 0.995 to 0.646 on windows of 21 to 41 letters)."""
    if len(lengths) == 0:
        return
    shortest, longest = lengths.min(), lengths.max()
    if shortest == longest:
        return
    n_shorter = int(np.sum(lengths < longest))
    warnings.warn(SequenceLengthWarning(
        f"SequenceEncoder: the sequences are {shortest} to {longest} letters long; the "
        f"{n_shorter} shorter ones are padded at the end, so that a position stands for "
        "another place in each. Windows centred on a site need one length: cut or pad "
        "them around the site. For sequences of several lengths on purpose (whole "
        "peptides), ignore this warning by its message: warnings.filterwarnings("
        "'ignore', message='SequenceEncoder: the sequences are').",
        n_shorter=n_shorter), stacklevel=user_stacklevel())


def _warn_of_both_cases(alphabet):
    """Warn where a learned alphabet holds letters in both cases, which it tells
    apart (soft-masked DNA writes repeats in lower case)."""
    both = [letter for letter in alphabet.tolist()
            if letter.isupper() and letter.swapcase() != letter
            and letter.swapcase() in alphabet]
    if both:
        warnings.warn(
            f"SequenceEncoder learned letters in both cases, {both[:5]} and their lower "
            "case, as different letters (soft-masked DNA writes repeats in lower case). "
            "Change their case first to read them alike, or give alphabet= to keep them "
            "apart on purpose.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def _warn_of_blank_letters(alphabet):
    """Warn where a learned alphabet holds whitespace or control characters: the
    line ends of sequences read with ``readlines()``, say."""
    blank = [letter for letter in alphabet.tolist()
             if letter.isspace() or not letter.isprintable()]
    if blank:
        warnings.warn(
            f"SequenceEncoder learned whitespace or control characters as letters: "
            f"{blank[:5]}, such as the line ends of sequences read with readlines(). "
            "Strip the sequences first (str.strip), or give alphabet= to treat them as "
            "unknown letters.",
            UserWarning, stacklevel=user_stacklevel(),
        )


#: Symbols that a table of symbols may well hold: the 64 codons.
MANY_SYMBOLS = 64


#: Symbols longer than this, on average, are no codons or dipeptides but sequences.
LONGEST_SYMBOLS = 4


def _warn_of_a_symbol_per_cell(symbols):
    """Warn where a column of a table of symbols holds more than ``MANY_SYMBOLS``
    of them, longer than ``LONGEST_SYMBOLS`` letters on average: whole sequences
    (a window and its flank, say), each read as one symbol that nothing else
    shares. Counts alone cannot tell them from the 400 dipeptides in a few
    hundred rows, nor do columns beside them or repeated rows hide them."""
    for column, cells in enumerate(symbols.T):
        cells = cells[cells != ""]
        n_symbols = len(np.unique(cells))
        if n_symbols > MANY_SYMBOLS and np.char.str_len(cells).mean() > LONGEST_SYMBOLS:
            warnings.warn(
                f"SequenceEncoder learned {n_symbols} symbols from the {len(cells)} cells "
                f"of column {column}, reading a table of several columns as one symbol "
                "per cell (the columns of positions_frame). For columns of whole "
                "sequences, encode each with its own SequenceEncoder (a "
                "ColumnTransformer), which splits them into letters.",
                UserWarning, stacklevel=user_stacklevel(),
            )
            return


def _first_sample(mask, symbols, positions=None):
    """`` (the first: sample i, 'ACD...')``, naming the first sample that
    ``mask`` holds by its position in X (0-based) and its letters, which find
    it where X was shuffled or split first; nothing where ``mask`` holds none.
    ``positions`` shows that many letters and marks the rest as cut (a longer
    sample, of which ``symbols`` holds one letter more)."""
    found = np.flatnonzero(mask)
    if not len(found):
        return ""
    letters = symbols[found[0]]
    cut = positions is not None
    text = "".join(letters[:positions] if cut else letters)
    if len(text) > 30:
        text, cut = text[:27], True
    return f" (the first: sample {found[0]}, {text + '...' if cut else text!r})"


def _alphabet_text(alphabet):
    """Return the alphabet as messages show it: "ACGT", or a list of longer symbols.

    Parameters
    ----------
    alphabet : ndarray of str

    Returns
    -------
    text : str or list of str
    """
    return "".join(alphabet) if all(len(letter) == 1 for letter in alphabet) else alphabet.tolist()


def _check_prefix(prefix, where):
    """A ValueError for a prefix that is no string, or that ends in a digit or a
    sign: the name of a position would read as another ("win10" as position 10
    for "win1", "win-1" as offset -1 for "win-")."""
    if not isinstance(prefix, str):
        raise ValueError(f"{where}: prefix must be a string; got {prefix!r}.")
    if prefix[-1:] in set("0123456789+-"):
        raise ValueError(
            f"{where}: prefix={prefix!r} ends in {prefix[-1]!r}, so the names of positions "
            f"would be misread ({prefix}1 as position {prefix[-1]}1); end it in another "
            "character, such as '_'."
        )


def positions_frame(sequences, prefix="pos"):
    """Split equal-length sequences into one categorical column per position.

    The result feeds scikit-learn's ``OneHotEncoder``, giving one indicator per
    (position, letter) pair.

    Parameters
    ----------
    sequences : sequence of str
        Sequences of one common length.
    prefix : str, default="pos"
        Column names are ``f"{prefix}{i}"`` for position ``i`` (0-based); it
        must not end in a digit or a sign.

    Returns
    -------
    frame : pandas.DataFrame of shape (n_sequences, length)
        With the index of ``sequences`` where it is a pandas Series, so that
        it lines up with the other columns of the same frame.

    Examples
    --------
    >>> positions_frame(["ACG", "TTA"])
      pos0 pos1 pos2
    0    A    C    G
    1    T    T    A
    """
    _check_prefix(prefix, "positions_frame")
    if isinstance(sequences, pd.DataFrame):  # iterating it gives its column names
        raise ValueError(
            "positions_frame: got a DataFrame; give its column of sequences "
            "(frame['sequence'])."
        )
    index = sequences.index if isinstance(sequences, pd.Series) else None
    if isinstance(sequences, (Set, Mapping)):  # no order of samples, or its keys
        raise ValueError(
            f"positions_frame: sequences is of type {type(sequences).__name__}; give the "
            "sequences as a list, array or Series, in the order of the samples."
        )
    if not isinstance(sequences, (str, bytes)):  # _texts names one string itself
        sequences = list(sequences)
        number = _first_number(sequences)
        if number is not None:  # a column of labels or IDs given by mistake
            raise ValueError(
                f"positions_frame: sample {number} is a number, {sequences[number]!r}, whose "
                "digits are no sequence: give the sequences as strings."
            )
    sequences = _texts(sequences, "positions_frame")
    if not sequences:
        raise ValueError("positions_frame: no sequences.")
    lengths = {len(sequence) for sequence in sequences}
    if lengths == {0}:  # a frame of no column, refused by the encoder after it
        raise ValueError(
            f"positions_frame: all {len(sequences)} sequences are empty: there is no "
            "position to make a column of."
        )
    if len(lengths) > 1:
        raise ValueError(
            f"positions_frame needs sequences of one length; got lengths {sorted(lengths)}."
        )
    letters = np.array([list(sequence) for sequence in sequences], dtype=object)
    letters = letters.reshape(len(sequences), -1)
    columns = [f"{prefix}{i}" for i in range(letters.shape[1])]
    return pd.DataFrame(letters, columns=columns, index=index)


def _letters(sequences, width=None):
    """Split strings into a (n, longest) array of one-character strings, "" padded;
    with ``width``, each cut to that many first (one long sequence among short
    ones would make the array as wide as it)."""
    sequences = _texts(sequences, "SequenceEncoder")
    if width is not None:
        sequences = [sequence[:width] for sequence in sequences]
    sequences = np.asarray(sequences, dtype=str)
    width = max(sequences.dtype.itemsize // 4, 1)
    return sequences.astype(f"<U{width}").view("<U1").reshape(len(sequences), width)


def _one_hot(codes, alphabet_size, dtype, sparse_output):
    """The one-hot rows of ``codes`` ((n, positions) indices in the alphabet, -1
    for none), position-major.

    Built in place from the flat indices of the known letters: a sparse matrix
    from its CSR arrays (row-major order is CSR's), a dense one by setting its
    ones, without the COO matrix and its conversion, which took about seven
    times the sparse output in memory (1.7 GB for a million windows of 31).
    """
    n_samples, n_positions = codes.shape
    flat_codes = codes.reshape(-1)
    known = np.flatnonzero(flat_codes >= 0)
    if not sparse_output:
        encoded = np.zeros((n_samples, n_positions * alphabet_size), dtype=dtype)
        encoded.reshape(-1)[known * alphabet_size + flat_codes[known]] = 1
        return encoded
    index_dtype = np.int32 if max(n_positions * alphabet_size, len(known)) < 2**31 else np.int64
    columns = ((known % n_positions) * alphabet_size + flat_codes[known]).astype(index_dtype)
    indptr = np.zeros(n_samples + 1, dtype=index_dtype)
    np.cumsum((codes >= 0).sum(axis=1), out=indptr[1:])
    # scipy's sparse matrices hold no float16: dense float16 is set directly
    sparse_dtype = np.float32 if np.dtype(dtype) == np.float16 else dtype
    return sp.csr_matrix((np.ones(len(known), dtype=sparse_dtype), columns, indptr),
                         shape=(n_samples, n_positions * alphabet_size))


def _lengths(symbols):
    """Positions up to the last symbol of each row of ``symbols``."""
    present = symbols != ""
    return np.where(present.any(axis=1), symbols.shape[1] - np.argmax(present[:, ::-1], axis=1), 0)


def _unknown_letters(symbols, codes):
    """Where ``symbols`` hold a letter outside the alphabet (``codes`` below 0, not
    padding)."""
    return (codes < 0) & (symbols != "")


def _fit_length(symbols, length):
    """Truncate or pad (with "") the positions of ``symbols`` to ``length``."""
    if length <= symbols.shape[1]:
        return symbols[:, :length]
    return np.pad(symbols, ((0, 0), (0, length - symbols.shape[1])), constant_values="")


def _numpy_dtypes_of_nullable_columns(frame):
    """The numpy dtype of each nullable integer or boolean column of ``frame``
    (Int64, boolean): scikit-learn's validation turns those into floats, "0.0"
    where an int64 column gives "0"."""
    return {column: dtype.numpy_dtype for column, dtype in frame.dtypes.items()
            if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub"
            and not isinstance(dtype, pd.SparseDtype)}  # sparse: as scikit-learn reads it


class SequenceEncoder(TransformerMixin, BaseEstimator):
    """One-hot encode sequences position by position, with one shared alphabet.

    Turns strings (DNA, RNA, protein) into features of shape
    (n_samples, length x alphabet size), position-major: columns
    ``pos0_A, pos0_C, ..., pos1_A, ...``. This is the layout the sequence
    modules of :mod:`skdistill.modules` read, and :class:`~skdistill.DistilledClassifier`
    recovers the shape from it even through a Pipeline.

    Parameters
    ----------
    alphabet : str, sequence of str or None, default=None
        The letters, e.g. ``"ACGT"``. None learns them in ``fit`` (sorted),
        from the positions encoded (the first ``length`` where given).
    length : int or None, default=None
        Positions to encode: longer sequences are truncated at the end,
        shorter ones padded at the end with all-zero positions. None learns
        the longest length seen in ``fit``; ``transform`` then warns
        (:class:`SequenceLengthWarning`) of sequences shorter or longer than
        every one seen in ``fit``.
    handle_unknown : {"warn", "ignore", "error"}, default="warn"
        A letter outside the alphabet gives an all-zero position, with an
        :class:`UnknownSymbolWarning` that counts such samples ("warn") or
        silently ("ignore"), or raises a ``ValueError`` naming it ("error";
        in ``fit`` too, where ``alphabet`` is given).
        Samples that become all-zero rows (empty sequences, or no letter of
        the alphabet) are counted in the warning too, unless "ignore". The
        alphabet is case-sensitive: "acg" is unknown to an alphabet "ACGT".
    sparse_output : bool, default=False
        Return a scipy CSR matrix instead of a dense array.
    prefix : str, default="pos"
        Feature names are ``f"{prefix}{position}_{letter}"``; it must not end
        in a digit or a sign.
    dtype : numpy dtype, default=numpy.float32
        Numeric or boolean dtype of the output.

    Attributes
    ----------
    alphabet_ : ndarray of str
        The letters, in the order of the columns within a position.
    length_ : int
        Number of positions encoded.
    n_features_in_ : int
        Number of input columns; 1 for one sequence per sample.
    feature_names_in_ : ndarray of str
        Input column names (DataFrame input only).

    Notes
    -----
    Input is either one sequence per sample (a 1-D array, list or Series of
    strings, or a one-column DataFrame or 2-D array), split into letters; or
    a 2-D array or DataFrame of several columns, one symbol per cell and one
    column per position (the output of :func:`positions_frame`). Bytes are
    decoded as UTF-8. A cell that is missing (None, NaN or ``pd.NA``) raises
    a ``ValueError``, as does a number given as a sequence (its digits are no
    sequence); in a table of several columns numbers are symbols, as
    categories are (a whole float is the integer it equals: 1.0 is "1",
    unless a given ``alphabet`` holds "1.0" and not "1").

    Examples
    --------
    >>> enc = SequenceEncoder(alphabet="ACGT", length=3).fit(["ACG", "TT"])
    >>> enc.transform(["GA"]).astype(int)
    array([[0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]])
    >>> enc.get_feature_names_out()[:5].tolist()
    ['pos0_A', 'pos0_C', 'pos0_G', 'pos0_T', 'pos1_A']
    """

    _parameter_constraints = {
        "alphabet": [None, str, list, tuple, np.ndarray],
        "length": [None, NumberInterval(Integral, 1, None, closed="left")],
        "handle_unknown": [StrOptions({"warn", "ignore", "error"})],
        "sparse_output": ["boolean"],
        "prefix": [str],
        "dtype": "no_validation",
    }

    def __init__(
        self, alphabet=None, length=None, handle_unknown="warn", sparse_output=False,
        prefix="pos", dtype=np.float32,
    ):
        self.alphabet = alphabet
        self.length = length
        self.handle_unknown = handle_unknown
        self.sparse_output = sparse_output
        self.prefix = prefix
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.transformer_tags.preserves_dtype = []
        return tags

    def _check_output_params(self):
        """Check the parameters ``transform`` reads, which set_params may change after fit."""
        self._validate_params()
        try:
            # NumPy reads None as float64, which the docs do not promise
            numeric = self.dtype is not None and np.dtype(self.dtype).kind in "biuf"
        except TypeError:
            numeric = False
        if not numeric:
            raise ValueError(f"dtype={self.dtype!r} is not a numeric NumPy dtype.")
        if self.sparse_output and np.dtype(self.dtype) == np.float16:
            raise ValueError("dtype=float16 needs sparse_output=False: scipy's sparse "
                             "matrices hold no float16.")
        _check_prefix(self.prefix, "SequenceEncoder")

    def _given_alphabet(self):
        """The ``alphabet`` parameter as an array of text, checked; None if not given."""
        if self.alphabet is None:
            return None
        if isinstance(self.alphabet, np.ndarray) and self.alphabet.ndim != 1:
            raise ValueError(
                f"alphabet must be a string or a one-dimensional sequence of letters; got "
                f"an array of {self.alphabet.ndim} dimensions: {self.alphabet!r}."
            )
        not_letters = [letter for letter in self.alphabet if not isinstance(letter, str)
                       and not (isinstance(letter, bytes) and letter.isascii())]
        if not_letters:  # None, NaN or 1.5 became the letters "None", "nan", "1.5"
            raise ValueError(
                f"alphabet must hold letters (strings, or ASCII bytes); got "
                f"{not_letters[0]!r} in {self.alphabet!r}."
            )
        alphabet = np.asarray(list(self.alphabet), dtype=str)
        if len(alphabet) == 0 or len(np.unique(alphabet)) != len(alphabet):
            raise ValueError(f"alphabet must hold distinct letters; got {self.alphabet!r}.")
        if np.any(alphabet == ""):
            raise ValueError("alphabet must not contain the empty string.")
        return alphabet

    def _symbols(self, X, reset, alphabet):
        """The (n, positions) array of symbols of ``X``, "" where none; in ``fit``
        no wider than ``length`` where given (one long sequence among short ones
        made the array as wide as it, 3.2 GB for one of 200,000 letters), after
        it than one position beyond ``length_`` (enough to tell a longer one).
        A whole float in a table reads as ``alphabet`` (the given one in ``fit``,
        the fitted one after) holds it, where there is one."""
        single = X.item() if isinstance(X, np.ndarray) and X.ndim == 0 else X
        if isinstance(single, (str, bytes)):
            _texts(single, "SequenceEncoder")  # raises, saying why
        if not hasattr(X, "shape"):
            given, X = X, np.asarray(X, dtype=object)
            if X.ndim == 0:  # a generator, set or dict view is one object to NumPy
                raise ValueError(
                    f"SequenceEncoder: X is of type {type(given).__name__}; give the sequences "
                    "as a list, array, Series or DataFrame, in the order of the samples."
                )
        one_dimensional = X.ndim == 1
        if one_dimensional:
            X = np.asarray(X, dtype=object).reshape(-1, 1)
        # Before scikit-learn's finiteness check, which cannot compare pd.NA.
        missing = np.asarray(pd.isna(X))
        if missing.any():
            row = np.argwhere(missing)[0][0]
            raise ValueError(
                "SequenceEncoder: X holds a missing value (None, NaN or pd.NA) in "
                f"sample {row}."
            )
        if one_dimensional:  # first: validate_data would blame its one feature
            _refuse_numbers(X[:, 0], reshape=not reset and self.n_features_in_ == len(X) > 1)
        if isinstance(X, pd.DataFrame):  # no missing value: checked above
            X = X.astype(_numpy_dtypes_of_nullable_columns(X))
        X = validate_data(self, X, reset=reset, dtype=None)
        # in fit, the positions encoded alone (the length's given), whose alphabet it learns
        width = self.length if reset else self.length_ + 1
        if X.shape[1] > 1:
            letters = None if alphabet is None else set(alphabet.tolist())
            return np.vectorize(lambda value: _symbol_text(value, letters),
                                otypes=[str])(X[:, :width])
        if not one_dimensional:
            _refuse_numbers(X[:, 0], reshape=False)
        return _letters(X.ravel(), width)

    @restores_state_on_error
    def fit(self, X, y=None):
        """Learn the alphabet and the length.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,) or (n_samples, n_positions)
            Sequences, or one symbol per position (see Notes).
        y : None
            Ignored.

        Returns
        -------
        self : SequenceEncoder
        """
        self._check_output_params()
        given = self._given_alphabet()
        symbols = self._symbols(X, reset=True, alphabet=given)
        if given is None:
            alphabet = np.unique(symbols[symbols != ""])
            _warn_of_blank_letters(alphabet)
            if self.n_features_in_ > 1:
                _warn_of_a_symbol_per_cell(symbols)
        else:
            alphabet = given
            if self.n_features_in_ == 1 and any(len(letter) > 1 for letter in alphabet):
                raise ValueError(
                    f"alphabet={self.alphabet!r} holds symbols of several letters, but X "
                    "gives one string per sample, which is split into single letters; "
                    "give longer symbols (codons, say) one per column, as positions_frame "
                    "gives letters."
                )
        if (self.alphabet is None or self.length is None) and not (symbols != "").any():
            raise ValueError(
                "SequenceEncoder found no letters in X: all sequences are empty, so there "
                "is no alphabet or length to learn; give both (alphabet=, length=)."
            )
        self.alphabet_ = alphabet
        self.length_ = self.length if self.length is not None else symbols.shape[1]
        if self.alphabet is not None and self.handle_unknown == "error":
            encoded = _fit_length(symbols, self.length_)  # the letters transform encodes
            self._refuse_unknown(encoded, _unknown_letters(encoded, self._codes(encoded)))
        self._length_learned = self.length is None
        lengths = _lengths(symbols)
        if self.n_features_in_ == 1:  # one string per sample, split into letters
            if self._length_learned:
                _warn_of_several_lengths(lengths[lengths > 0])
            if self.alphabet is None:
                _warn_of_both_cases(alphabet)
        # empty sequences are counted as all-zero rows, not as the shortest length
        self._shortest_fit_length = int(lengths[lengths > 0].min(initial=symbols.shape[1]))
        return self

    def transform(self, X):
        """One-hot encode ``X``.

        Parameters
        ----------
        X : array-like of str of shape (n_samples,) or (n_samples, n_positions)

        Returns
        -------
        X_out : ndarray or sparse csr_matrix of shape (n_samples, `length_` * len(`alphabet_`))
        """
        check_is_fitted(self)
        self._check_output_params()
        symbols = self._symbols(X, reset=False, alphabet=self.alphabet_)
        # absent from encoders fitted before it existed, which learned their length
        # where none was given
        if getattr(self, "_length_learned", self.length is None):
            self._warn_about_lengths(symbols)
        symbols = _fit_length(symbols, self.length_)
        codes = self._codes(symbols)
        unknown = _unknown_letters(symbols, codes)
        if self.handle_unknown == "error":
            self._refuse_unknown(symbols, unknown)
        if self.handle_unknown != "ignore":
            self._warn_about_zeros(symbols, codes, unknown)
        return _one_hot(codes, len(self.alphabet_), self.dtype, self.sparse_output)

    def _refuse_unknown(self, symbols, unknown):
        """Raise a ValueError naming the first letter outside ``alphabet_`` (where
        ``unknown`` is True), if any."""
        if unknown.any():
            row, position = np.argwhere(unknown)[0]
            letter = str(symbols[row, position])
            advice = (
                "The alphabet is case-sensitive: change the case of X's letters first."
                if letter.swapcase() in self.alphabet_ else
                "Set handle_unknown='ignore' to encode it as an all-zero position."
            )
            raise ValueError(
                f"Unknown letter {letter!r} at position {position} of sample {row}; the "
                f"alphabet is {_alphabet_text(self.alphabet_)!r}. {advice}"
            )

    def _warn_about_lengths(self, symbols):
        """Warn of sequences outside the lengths seen in ``fit``, with their counts."""
        lengths = _lengths(symbols)
        # Empty sequences are all-zero rows, which the unknown-symbol warning counts.
        shorter = (lengths > 0) & (lengths < self._shortest_fit_length)
        longer = lengths > self.length_
        n_shorter, n_longer = int(shorter.sum()), int(longer.sum())
        if not n_shorter and not n_longer:
            return
        seen = (
            f"{self.length_}" if self._shortest_fit_length == self.length_
            else f"{self._shortest_fit_length} to {self.length_}"
        )
        first_shorter = _first_sample(shorter, symbols)
        first_longer = _first_sample(longer, symbols, self.length_)
        warnings.warn(
            SequenceLengthWarning(
                f"SequenceEncoder: {n_shorter} of {len(lengths)} sample(s) are shorter"
                f"{first_shorter} and {n_longer} longer{first_longer} than "
                f"the sequences seen in fit ({seen} positions): "
                f"shorter ones are padded, longer ones truncated at the end to "
                f"{self.length_} positions, which misaligns windows centred on a site. "
                "Give length= to encode other lengths on purpose.",
                n_shorter, n_longer,
            ),
            stacklevel=user_stacklevel(),
        )

    def _warn_about_zeros(self, symbols, codes, unknown):
        """Warn of unknown letters and all-zero rows, with their counts."""
        holds_unknown, all_zero = unknown.any(axis=1), (codes < 0).all(axis=1)
        n_unknown, n_all_zero = int(holds_unknown.sum()), int(all_zero.sum())
        if not n_unknown and not n_all_zero:
            return
        alphabet = _alphabet_text(self.alphabet_)
        unknown_letters = np.unique(symbols[unknown]).tolist()
        found = []
        if n_unknown:
            found.append(f"{n_unknown} of {len(symbols)} sample(s)"
                         f"{_first_sample(holds_unknown, symbols)} hold letters outside the "
                         f"alphabet {alphabet!r} ({unknown_letters[:5]}), encoded as all-zero "
                         "positions")
        if n_all_zero:
            found.append(f"{n_all_zero} of {len(symbols)} sample(s)"
                         f"{_first_sample(all_zero, symbols)} are all-zero rows (empty, or no "
                         f"letter of the alphabet {alphabet!r})")
        message = [f"SequenceEncoder: {'; '.join(found)}."]
        if any(letter.swapcase() in self.alphabet_ for letter in unknown_letters):
            message.append(
                "The alphabet is case-sensitive and X holds letters in the other case: "
                "change their case first."
            )
        if n_unknown:  # only under 'warn': 'error' refused them
            message.append("Set handle_unknown='error' to refuse unknown letters, or 'ignore' "
                           "to encode them silently.")
        if (all_zero & ~holds_unknown).any():
            message.append(
                "Remove the empty samples: handle_unknown='error' refuses unknown letters "
                "only" + ("." if self.handle_unknown == "error" else
                          ", and 'ignore' encodes them silently.")
            )
        warnings.warn(
            UnknownSymbolWarning(" ".join(message), n_unknown, n_all_zero),
            stacklevel=user_stacklevel(),
        )

    def _codes(self, symbols):
        """Index of each symbol in ``alphabet_`` (int32); -1 for unknown and padding."""
        order = np.argsort(self.alphabet_).astype(np.int32)
        sorted_alphabet = self.alphabet_[order]
        found = np.searchsorted(sorted_alphabet, symbols).clip(max=len(order) - 1)
        known = sorted_alphabet[found] == symbols
        return np.where(known, order[found], np.int32(-1))

    def get_feature_names_out(self, input_features=None):
        """Names ``f"{prefix}{position}_{letter}"``, position-major.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            The input's ``n_features_in_`` column names (one for a column of
            sequences, one per position for a table of symbols), checked as
            scikit-learn's encoders check them (against ``feature_names_in_``
            where fitted on a DataFrame); they do not change the names.

        Returns
        -------
        feature_names_out : ndarray of str

        Raises
        ------
        ValueError
            If ``input_features`` does not hold ``n_features_in_`` names, or
            not the names fitted on.
        """
        check_is_fitted(self)
        _check_prefix(self.prefix, "SequenceEncoder")
        _check_feature_names_in(self, input_features)
        return np.asarray(
            [
                f"{self.prefix}{position}_{letter}"
                for position in range(self.length_)
                for letter in self.alphabet_
            ],
            dtype=object,
        )
