"""Loader of the embedded lysine crotonylation data set."""

from importlib import resources

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import validate_params

from .._compression import open_text

DATA_FILE = "lysine_crotonylation.fasta.gz"


def read_labelled_fasta(path):
    """Read a FASTA file whose headers are ``>ID|LABEL|...``, plain or compressed
    with gzip, bzip2 or xz (told by its first bytes, not its name).

    As in FASTA generally, a header ends at its first whitespace: what follows
    is a free-text description (``>P1|1 OS=Homo sapiens``), so labels hold no
    whitespace; a sequence may span several lines, and spaces and tabs within
    them (letters written in groups of ten) are not part of it.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    ids, sequences, labels : list of str
        One entry per record; a header without a ``|LABEL`` field gives the
        label None (input to predict on).

    Raises
    ------
    ValueError
        For a sequence before any header, a header without an ID, or a record
        without a sequence (a header followed by another header, or by the end
        of the file), naming its line.
    """
    ids, sequences, labels, header_line = [], [], [], None
    # utf-8-sig: a byte order mark (Notepad writes one) is not part of the first header
    with open_text(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if line.startswith(">"):
                _check_sequence_read(path, ids, sequences, header_line)
                header_line = number
                header = line[1:].strip().split(maxsplit=1)
                fields = (header[0] if header else "").split("|")
                if not fields[0]:
                    raise ValueError(
                        f"{path}, line {number}: a header without an ID ({line!r}); give "
                        "each record one (>ID or >ID|LABEL), as the predictions name it.")
                ids.append(fields[0])
                labels.append(fields[1] if len(fields) > 1 else None)
                sequences.append("")
            elif line:
                if not ids:
                    raise ValueError(f"{path}, line {number}: a sequence before any header.")
                # a record's sequence may span several lines, its letters in groups
                # (Biopython and EMBOSS drop the spaces between them too)
                sequences[-1] += "".join(line.split())
    _check_sequence_read(path, ids, sequences, header_line)
    return ids, sequences, labels


def _check_sequence_read(path, ids, sequences, header_line):
    """A ValueError where the last record read, whose header is on line
    ``header_line``, holds no sequence: trained on, it would be a row of zeros
    under its header's label."""
    if ids and not sequences[-1]:
        raise ValueError(
            f"{path}, line {header_line}: the record {ids[-1]!r} holds no sequence "
            "(its header is followed by another header or by the end of the file); "
            "remove it, or give its sequence."
        )


@validate_params(
    {"return_X_y": ["boolean"], "as_frame": ["boolean"]}, prefer_skip_nested_validation=True
)
def load_crotonylation(*, return_X_y=False, as_frame=False):
    """Load the lysine crotonylation sites data set (binary, imbalanced).

    73,927 protein windows of 29 residues (20 amino-acid letters and ``-``
    where a window runs past the protein's end); label 1 when the central
    lysine is a crotonylation site: 6,821 positives (9.2 %).

    Origin: the example data set ``Lysine_crotonylation.txt`` of the PyPI
    package ``ilearnplus`` 1.5 (iLearnPlus, Chen et al., Nucleic Acids Research
    2021), MIT License; the licence note ships beside the file in
    ``skdistill/datasets/data/README.md``. There is no official test split:
    make a stratified one. The rows keep the source's order, grouped by label
    (6,687 positives, then 67,106 negatives, then 134 positives): take a subset at
    random and stratified (``train_test_split(..., stratify=labels)``), not the
    first rows, which hold one class.

    19 windows occur more than once (42 rows; 10 of them with both labels),
    as the source has them: a random split may put copies on both sides, and
    ``df.drop_duplicates("sequence", keep=False)`` removes them where that
    matters.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(sequences, labels)`` instead of a DataFrame.
    as_frame : bool, default=False
        With ``return_X_y``, return the sequences as a DataFrame of one
        column, ``sequence`` (what a ``ColumnTransformer`` selects by name),
        and the labels as a Series named ``label``, as scikit-learn's loaders
        do. Without ``return_X_y`` the data set is a DataFrame either way.

    Returns
    -------
    data : pandas.DataFrame of shape (73927, 2)
        Columns ``sequence`` (str) and ``label`` (int, 0 or 1).
    (sequences, labels) : tuple of ndarray of shape (73927,)
        If ``return_X_y`` is True: an object array of str and an int array;
        with ``as_frame``, a DataFrame of shape (73927, 1) and a Series.

    Examples
    --------
    >>> from skdistill.datasets import load_crotonylation
    >>> sequences, labels = load_crotonylation(return_X_y=True)
    >>> len(sequences), int(labels.sum())
    (73927, 6821)
    >>> sequences[0][14]
    'K'
    """
    path = resources.files(__package__) / "data" / DATA_FILE
    with resources.as_file(path) as file:
        _, sequences, labels = read_labelled_fasta(file)
    sequences = np.asarray(sequences, dtype=object)
    labels = np.asarray(labels).astype(np.int64)
    frame = pd.DataFrame({"sequence": sequences, "label": labels})
    if not return_X_y:
        return frame
    if as_frame:
        return frame[["sequence"]], frame["label"]
    return sequences, labels
