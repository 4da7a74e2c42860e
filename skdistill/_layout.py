"""Where the sequence shape of a one-hot matrix comes from.

A scikit-learn Pipeline hands the classifier a bare matrix, so the shape a
sequence module needs (positions x alphabet) is recovered from what is left:
feature names such as ``pos3_K`` when the input is a DataFrame, or else the
one-hot structure of the values themselves.
"""

import re

import numpy as np
import scipy.sparse as sp

# The position is the last run of digits followed by "_", with the sign before it
# (offsets from a site: p-2_A, p+1_A): a prefix may hold digits of its own (a
# ColumnTransformer step "seq1" makes "seq1__pos0_A").
_NAME = re.compile(
    r"^(?P<prefix>(?:.*[^\d+-])?)(?P<position>[+-]?\d+)_(?P<letter>.+)$", re.ASCII | re.DOTALL
)


class SequenceLayout:
    """Position-major one-hot layout: ``length`` positions x ``alphabet``.

    Parameters
    ----------
    length : int
    alphabet_size : int
    columns : ndarray of int or None, default=None
        For input in another column order, or with letters missing at some
        positions (a per-position ``OneHotEncoder``), the flat index
        ``position * alphabet_size + letter`` of every input column; None
        when the input already is in the layout.
    """

    def __init__(self, length, alphabet_size, columns=None):
        self.length = length
        self.alphabet_size = alphabet_size
        self.columns = columns

    @property
    def shape(self):
        """``(length, alphabet_size)``."""
        return self.length, self.alphabet_size

    def transform(self, X):
        """Return ``X`` with its columns placed in the layout."""
        if self.columns is None:
            return X
        n_features = len(self.columns)
        placement = sp.csr_array(
            (np.ones(n_features, dtype=X.dtype), (np.arange(n_features), self.columns)),
            shape=(n_features, self.length * self.alphabet_size),
        )
        placed = X @ placement
        return sp.csr_matrix(placed) if sp.issparse(placed) else np.asarray(placed)


def _positions(matches):
    """The position each name gives, or None where the names have several
    prefixes. Positions are counted from the lowest named: signed offsets
    (``p-2_A ... p+2_T``) and names from 1 (``P1_A ... P6_T``) start at 0."""
    if len({m["prefix"] for m in matches}) != 1:
        return None
    positions = np.array([int(m["position"]) for m in matches])
    return positions - positions.min()


def layout_from_names(feature_names):
    """The layout named by ``{prefix}{position}_{letter}`` columns, or None."""
    if feature_names is None:
        return None
    matches = [_NAME.match(str(name)) for name in feature_names]
    if not all(matches):
        return None
    positions = _positions(matches)
    if positions is None:
        return None
    alphabet, letters = np.unique([m["letter"] for m in matches], return_inverse=True)
    columns = positions * len(alphabet) + letters
    if len(np.unique(columns)) != len(columns):
        return None
    length = int(positions.max()) + 1
    if np.array_equal(columns, np.arange(length * len(alphabet))):
        columns = None
    return SequenceLayout(length, len(alphabet), columns)


def _is_binary(X):
    values = X.data if sp.issparse(X) else X
    return bool(np.all((values == 0) | (values == 1)))


def _at_most_one_per_block(X, block):
    """Whether every row has at most one nonzero in each run of ``block`` columns."""
    if sp.issparse(X):
        rows, positions = _stored_positions(X, block)
        keys = rows * (X.shape[1] // block) + positions
        return len(np.unique(keys)) == len(keys)
    counts = (X != 0).reshape(X.shape[0], X.shape[1] // block, block).sum(axis=2)
    return bool(counts.max(initial=0) <= 1)


def _stored_positions(X, block):
    """The row and position (run of ``block`` columns) of each nonzero that sparse
    ``X`` stores; its arrays, which may be the caller's, are only read."""
    X = sp.csr_matrix(X)
    stored = X.data != 0
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))[stored]
    return rows, X.indices[stored] // block


def layout_from_values(X):
    """The layout of a binary, position-major one-hot matrix, or None.

    The alphabet size is the largest divisor ``a`` of the number of columns
    such that no row has two ones among any ``a`` consecutive columns
    starting at a multiple of ``a``: blocks any larger would span two
    positions, which both hold a letter. All the columns are one position
    when no row holds two ones (one-letter sequences). A one-letter alphabet
    cannot be told from the values (every column fits a block of one), so
    it gives None, as does a matrix that is not binary or not one-hot (see
    :func:`doubt_of_values_layout` for blocks that fit by chance).
    """
    n_features = X.shape[1]
    if n_features < 2 or not _is_binary(X):
        return None
    for block in range(n_features, 1, -1):
        if n_features % block == 0 and _at_most_one_per_block(X, block):
            return SequenceLayout(n_features // block, block)
    return None


#: The least mean share, over rows, of the positions from a row's first letter to its
#: last that hold a letter, for a layout read from values alone to be taken without a doubt. A
#: 29 x 21 window beside a one-hot feature of 3 levels read as 204 positions of 3
#: letters holds 15 %.
MIN_SPAN_HELD = 0.5


def doubt_of_values_layout(X, feature_names, layout):
    """Why ``layout``, read from the values of ``X`` alone, may fit them by chance,
    or None.

    Sequences hold a letter at nearly every position but their padding at
    either end, while one-hot columns of other features beside a sequence's (a
    ColumnTransformer's) fit small blocks by chance, most of them empty.
    Sequences masked with many unknown letters leave positions empty too, so
    this is a doubt, not a refusal.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    feature_names : ndarray of str or None
    layout : SequenceLayout or None
        What :func:`find_layout` gave.

    Returns
    -------
    doubt : str or None
    """
    if layout is None or layout.columns is not None or (
            layout_from_names(feature_names) is not None):
        return None
    held = _span_held(X, layout.alphabet_size)
    if held >= MIN_SPAN_HELD:
        return None
    return (f"only {int(held * 100 + 1e-9)}% of the positions from a sample's first letter to its "
            "last hold one, where sequences fill all but their padding at either end")


def _span_held(X, block):
    """The mean share, over rows with a nonzero, of the positions (blocks of
    ``block`` columns) from the row's first nonzero to its last that hold one."""
    if sp.issparse(X):
        rows, positions = _stored_positions(X, block)
        n_positions = X.shape[1] // block
        held = np.unique(rows * n_positions + positions)
        counts = np.bincount(held // n_positions, minlength=X.shape[0])
        first, last = np.full(X.shape[0], X.shape[1]), np.full(X.shape[0], -1)
        np.minimum.at(first, rows, positions)
        np.maximum.at(last, rows, positions)
    else:
        held = (X != 0).reshape(X.shape[0], X.shape[1] // block, block).any(axis=2)
        counts = held.sum(axis=1)
        first = np.argmax(held, axis=1)
        last = held.shape[1] - 1 - np.argmax(held[:, ::-1], axis=1)
    filled = counts > 0
    spans = last[filled] - first[filled] + 1
    return float(np.mean(counts[filled] / spans)) if filled.any() else 0.0


def _named_like_positions(feature_names):
    """Whether any feature name is ``{prefix}{position}_{letter}``."""
    return feature_names is not None and any(
        _NAME.match(str(name)) for name in feature_names
    )


def find_layout(X, feature_names=None):
    """The sequence layout of ``X`` from its feature names, else its values.

    Where names of positions give no layout (they sit beside other columns,
    or name two encodings: a ColumnTransformer of a sequence encoder and other
    features), the values are not read: a block of another size would fit
    them, and a net would read parts of letters.

    Returns
    -------
    layout : SequenceLayout or None
        None when neither tells a layout.
    """
    layout = layout_from_names(feature_names)
    if layout is not None or _named_like_positions(feature_names):
        return layout
    return layout_from_values(X)


def shape_contradiction(X, feature_names, shape, found, placed=False):
    """What says ``X`` does not hold position-major sequences of ``shape``, or None,
    and whether feature names say it (certain) or values only (a likelihood).

    Feature names of positions give the layout: another number of positions
    named, or of letters, contradicts ``shape``, and so does a column order
    in which a block of ``alphabet_size`` columns is not one position, or the
    letters are in another order at another position (one order at every
    position is any alphabet's own). Without names, one-hot values give a
    layout; ``shape`` contradicts it only where their blocks do not nest
    (neither alphabet size divides the other), a sample holds two ones
    within one of ``shape``'s positions, and nearly all of the layout's
    positions (``MIN_LETTERS_HELD``) hold a letter. Blocks that nest are left
    as given: positions without a letter (unknown symbols, padding) make the
    values of a true shape look like larger blocks, and ambiguity codes (R,
    A or G) like smaller ones, as two positions read as one or one read as
    two would.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    feature_names : ndarray of str or None
    shape : tuple of (int, int)
        ``(sequence_length, alphabet_size)``.
    found : SequenceLayout or None
        :func:`find_layout` of ``X`` and ``feature_names`` (reading the values
        costs a pass over ``X``), or the layout the nets already read (a warm
        fit's).
    placed : bool, default=False
        Whether the nets get ``X`` placed in the layout its names give, so
        that their column order is no matter.

    Returns
    -------
    problem : str or None
    from_names : bool
        Whether the names tell the layout: a contradiction is then certain;
        values can only make it likely (ambiguity codes beside positions of
        no letter can read as another layout).
    """
    named = layout_from_names(feature_names)
    if named is not None:
        columns = np.arange(named.length * named.alphabet_size) if named.columns is None \
            else named.columns
        positions, letters = np.divmod(columns, named.alphabet_size)
        # the nets read the named positions in order, or placed in their grid, gaps
        # (a site left out) included
        present = np.unique(positions)
        length = named.length if placed else len(present)
        if (length, named.alphabet_size) != tuple(shape):
            return (f"its feature names give {length} positions of {named.alphabet_size} "
                    "letters" + (" (gaps included)" if length > len(present) else "")), True
        if not placed and len(positions) != length * named.alphabet_size:
            return None, True  # letters missing somewhere: the module's own check names it
        if not placed and not _one_letter_order(np.searchsorted(present, positions), letters,
                                                named.alphabet_size):
            return ("its feature names give the positions and letters in another column "
                    "order"), True
        return None, True
    if _named_like_positions(feature_names):
        return None, True
    if X.shape[1] != shape[0] * shape[1]:
        return None, False  # the module's own check names a width that does not fit
    if found is None or found.alphabet_size % shape[1] == 0 or (
            shape[1] % found.alphabet_size == 0) or _at_most_one_per_block(X, shape[1]):
        return None, False
    # a layout read from values with many positions of no letter may be one by chance
    # (masked positions beside ambiguity codes): only a layout whose positions nearly all
    # hold a letter (from each row's first to its last: padding holds none) says the shape
    # is wrong
    if _span_held(X, found.alphabet_size) < MIN_LETTERS_HELD:  # padding aside
        return None, False
    return (f"its one-hot values give {found.length} positions of {found.alphabet_size} "
            "letters"), False


#: The least share of positions holding a letter, from each row's first to its last, for
#: a layout read from values to contradict a given shape.
MIN_LETTERS_HELD = 0.9


def _one_letter_order(positions, letters, alphabet):
    """Whether input columns of these ``positions`` (numbered from 0) and
    ``letters`` are whole positions, in order, each with every letter, in one
    and the same order."""
    length = len(positions) // alphabet
    return bool(len(positions) == length * alphabet
                and (positions == np.arange(len(positions)) // alphabet).all()
                and (letters.reshape(length, alphabet) == letters[:alphabet]).all())
