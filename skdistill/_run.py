"""What ``skdistill fit`` and ``skdistill predict`` do with a checked config.

The data are read as the config says (:func:`read_samples`, :func:`split_samples`).

``fit`` writes into the output folder: the model (``model.skd``, by
:func:`skdistill.save`), the config with its defaults filled in
(``config.yaml``, which ``predict`` reads to parse its input), the scores of
teacher and student on the test part (``scores.csv``; with a PU risk, also
those recovered for the true labels), ``report.txt`` (the scores table and
imbalanced-learn's ``classification_report_imbalanced``) and, with
matplotlib, the plots ``training_curves.png`` and, for two classes with a
teacher, ``teacher_student.png``.
"""

import csv
import itertools
import math
import os
import re
import shutil
import sys
import tempfile
import warnings
from collections import Counter, namedtuple
from contextlib import contextmanager, suppress
from importlib import resources
from numbers import Real
from pathlib import Path

import numpy as np
import pandas as pd
from imblearn.metrics import classification_report_imbalanced
from sklearn.metrics import accuracy_score, average_precision_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import label_binarize
from sklearn.utils.multiclass import type_of_target

from ._classifier import _weightless_classes
from ._compression import (
    READ_ERRORS, compression_of, open_text, unread_compression, where_not_utf8,
)
from ._config import (
    FASTA_SUFFIXES, TOP_KEYS, ConfigError, _data_section, _section, _test_section, data_format,
    dump_yaml, has_sequences, is_sequence_module, load_config,
    named_format, read_yaml, same_file_or_folder, seeded,
)
from ._files import written_whole
from ._layout import find_layout
from ._optional import import_optional
from ._signals import signals_held
from ._unwrap import fitted_classifier
from ._validation import check_labels
from .cli import format_table
from .datasets import _crotonylation
from .metrics import pu_estimated_f1_score, pu_f1_score, pu_roc_auc_score
from .persistence import UntrustedClassError, load, save, written_format_version
from .plotting import TeacherStudentDisplay, TrainingCurvesDisplay
from .preprocessing import _texts, positions_frame

__all__ = ["read_samples", "run_fit", "run_predict", "split_samples"]

MODEL_FILE = "model.skd"
CONFIG_FILE = "config.yaml"
SCORE_COLUMNS = ("model", "ROC AUC", "avg precision", "F1", "accuracy")
#: The scores of a PU run (``prior_`` > 0) beside them, from the PU labels and ``prior_``.
PU_SCORE_COLUMNS = ("PU ROC AUC", "PU F1 (est.)", "Lee-Liu")
#: Every file a run writes into its output folder.
OUTPUT_FILES = (MODEL_FILE, CONFIG_FILE, "scores.csv", "report.txt", "training_curves.png",
                "teacher_student.png")

#: Suffixes of data formats other than CSV, which the output of predict would not be.
_NOT_CSV = {".tsv", ".tab", ".json", ".jsonl", ".xlsx", ".xls", ".parquet", ".feather",
            ".skd", ".yaml", *FASTA_SUFFIXES}
#: Suffixes of the compressions pandas writes by the file name.
_WRITTEN_COMPRESSIONS = {".gz", ".bz2", ".xz", ".zip", ".zst", ".tar"}

#: Samples as read: IDs, inputs, labels (None unread) and weights (None without a
#: ``weight_column``).
Samples = namedtuple("Samples", ["ids", "X", "y", "weight"])


def _named_format(path):
    """The lower-case suffix of ``path`` before those of compressions, or ""."""
    suffixes = [suffix.lower() for suffix in Path(path).suffixes]
    while suffixes and suffixes[-1] in _WRITTEN_COMPRESSIONS:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _compression(path):
    """pandas' compression of a CSV written to ``path``: by its name, but for a
    ``.zip`` not named ``*.csv.zip`` (``proba.zip``, ``run.2024.zip``), whose member
    pandas names ``proba``, a file no spreadsheet opens by its name: ``proba.csv``."""
    path = Path(path)
    if path.suffix.lower() != ".zip" or path.stem.lower().endswith(".csv"):
        return "infer"
    return {"method": "zip", "archive_name": f"{path.stem}.csv"}


def _fasta_labels(values, ids, key, path):
    """The labels of FASTA headers, read as a CSV file's (:func:`_label_values`): as
    integers only, "+1.0" and "-1.0" were text, whose order made "-1.0" positive."""
    labels = pd.Series(values, dtype=object, name="label")
    missing = np.flatnonzero(labels.isna() | (labels == ""))
    if len(missing):
        raise ConfigError(f"{key}: {len(missing)} FASTA header(s) have no label, the first "
                          f"of record {missing[0] + 1} ({ids[missing[0]]!r}) (>ID|LABEL|..., "
                          "the header ending at its first whitespace)")
    return _label_values(labels, key, path)


def _read_fasta(data, path, key, labelled):
    if path is None and data.get("dataset") == "crotonylation":
        source = resources.files(_crotonylation.__package__) / "data" / _crotonylation.DATA_FILE
        with resources.as_file(source) as file:
            ids, sequences, labels = _crotonylation.read_labelled_fasta(file)
    else:
        ids, sequences, labels = _crotonylation.read_labelled_fasta(path)
    return Samples(np.asarray(ids), sequences,
                   _fasta_labels(labels, ids, key, path) if labelled else None, None)


def _weights(frame, column, key, path):
    """The weight column as floats: finite and non-negative, or a ConfigError."""
    weight = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)
    bad = _cells_by_column({column: ~np.isfinite(weight) | (weight < 0)})
    if bad:
        _, row, where = _first_cell(bad)
        raise ConfigError(
            f"data.weight_column: {column!r} in {key} {path} must hold finite, "
            f"non-negative numbers; sample {row} ({where}) holds "
            f"{_cell_text(frame[column].iloc[row])}"
        )
    return weight


def _read_csv(data, path, key, labelled, categories):
    """The samples of a CSV file; ``categories``: whether its feature columns
    are categories (read as written, as IDs and sequences are)."""
    label, weight = data["label_column"], data.get("weight_column")
    header = _header(path, key)
    compression = compression_of(path)
    # IDs, sequences, labels and categories are read verbatim (a converter skips
    # pandas' parsing): as numbers, "00001" would come back as 1; as pandas' missing
    # values, the ID "NA", the dipeptide "NA" and the class "None" would be lost; and a
    # category's type would follow the other cells of its file (one "?" made a column
    # of 1, 2 and 3 text, every value of it unknown to a model trained on numbers).
    # An empty field stays missing. Pandas' missing-value words are given to the other
    # columns alone: pandas 3.1 reads a converter's "NA" as missing too.
    verbatim = [column for column in (data["id_column"], data["sequence_column"]) if column]
    if labelled:
        verbatim.append(label)
    if categories:
        verbatim += _feature_columns(data, pd.read_csv(path, nrows=0,
                                                       compression=compression).columns)
    missing_words = {position: list(PANDAS_MISSING) for position, name in enumerate(header)
                     if (name or f"Unnamed: {position}") not in verbatim}
    # the empty field after a row's last comma, missing: with pyarrow installed, pandas
    # otherwise took it for data lost (an "NA" there is a field beyond the header)
    missing_words[len(header)] = [""]
    # low_memory=False: a column's type is inferred over the whole file, not chunk by
    # chunk (a text cell deep in a numbers column gave a DtypeWarning naming no column);
    # index_col=False: rows ending in a comma made pandas take the first column for the
    # index, every other column shifted left by one
    columns = {"label_column": [label] if labelled else [],
               "id_column": [data["id_column"]] if data["id_column"] else [],
               "sequence_column": [data["sequence_column"]] if data["sequence_column"] else [],
               "feature_columns": data["feature_columns"] or [],
               "weight_column": [weight] if labelled and weight else []}
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(path, converters=dict.fromkeys(verbatim, str),
                                keep_default_na=False, na_values=missing_words,
                                low_memory=False, index_col=False, compression=compression)
        except pd.errors.ParserWarning as warning:  # a row's fields beyond the header
            # a ";"-separated file of decimal commas: its commas split the rows alone
            _check_separator(header, [name for names in columns.values() for name in names],
                             key, path)
            raise ConfigError(f"{key}: the first data row of {path} holds more fields "
                              f"than its header names ({len(header)}): name every column "
                              "in the header line (R's write.table writes none for its "
                              "row names: write with row.names=FALSE)") from warning
    sequences = data["sequence_column"]
    if sequences in frame.columns:  # a space before a window would shift it, as in FASTA
        frame[sequences] = frame[sequences].str.strip()
    for column in set(verbatim) & set(frame.columns):
        frame[column] = frame[column].mask(frame[column] == "")
    for name, needed in columns.items():
        missing = [column for column in needed if column not in frame.columns]
        _check_separator(frame.columns, missing, key, path)
        if missing and key == "--input":
            raise ConfigError(f"--input: {path} has no column(s) {missing}, the data.{name} "
                              f"of the data the model was trained on; it has "
                              f"{list(frame.columns)}{_spaced_names(frame.columns, missing)}")
        if missing:
            raise ConfigError(f"data.{name}: no column(s) {missing} in {key} {path}; it has "
                              f"{list(frame.columns)}{_spaced_names(frame.columns, missing)}")
    if data["sequence_column"]:
        _check_no_empty_sequence(frame[data["sequence_column"]], key, path)
    if len(frame) and not data["sequence_column"] and not data["feature_columns"]:
        _check_features_named(frame.columns, header, data, key, path)
    ids = frame[data["id_column"]].to_numpy() if data["id_column"] else np.arange(len(frame))
    y = _label_values(frame[label], key, path) if labelled else None
    weights = _weights(frame, weight, key, path) if labelled and weight else None
    if data["sequence_column"]:
        return Samples(ids, frame[data["sequence_column"]].tolist(), y, weights)
    return Samples(ids, frame[_feature_columns(data, frame.columns)], y, weights)


def _check_no_empty_sequence(sequences, key, path):
    """Refuse an empty cell of ``sequences``, named by its data row (the encoder's
    check names a sample of the training part, counted from 0)."""
    empty = _cells_by_column({sequences.name: sequences.isna().to_numpy()})
    if empty:
        _, row, where = _first_cell(empty)
        raise ConfigError(f"data.sequence_column: {key} {path} holds an empty sequence at "
                          f"sample {row} ({where}); drop those samples or give each its "
                          "sequence")


def _feature_columns(data, columns):
    """The feature columns of a CSV file of ``columns``: data.feature_columns,
    or every column but the label, ID and weight columns."""
    return data["feature_columns"] or [
        column for column in columns
        if column not in (data["label_column"], data["id_column"], data.get("weight_column"))
    ]


def _check_features_named(columns, header, data, key, path):
    """A ConfigError where the default feature columns (every other column) would
    take in a column of no name in the header, or of the name pandas gives such a
    column ("Unnamed: 0", "Unnamed: 0.1" for a second, once read and written again):
    pandas' ``DataFrame.to_csv`` writes the row index there (a model trained on rows
    sorted by class scored 1.0 from the row numbers alone); or one named as the
    samples' IDs ("id", "sample_id", "identifier")."""
    features = set(_feature_columns(data, columns))
    unnamed = [(position, column) for position, (column, name)
               in enumerate(zip(columns, header), start=1)
               if (not name or re.fullmatch(r"Unnamed: \d+(\.\d+)?", name))
               and column in features]
    if unnamed:
        position, column = unnamed[0]
        raise ConfigError(
            f"{key}: column {position} of {path} is unnamed in its header (pandas reads "
            f"it as {column!r}), and the default feature columns, every column but the "
            "label, ID and weight columns, would take it in: name it or drop it, or list "
            "the features in data.feature_columns (where pandas' DataFrame.to_csv wrote "
            "its row index there, write the file with index=False)")
    # an ID of rows sorted by class predicts the label: a model scored 0.99 on IDs alone
    named_as_ids = [column for column in columns if column in features and isinstance(
        column, str) and re.fullmatch(r"(sample[ _]?)?id|identifier", column.strip(), re.I)]
    if named_as_ids:
        raise ConfigError(
            f"{key}: column {named_as_ids[0]!r} of {path} is named as the samples' IDs, and "
            "the default feature columns, every column but the label, ID and weight "
            f"columns, would take it in: set data.id_column: {named_as_ids[0]}, or list "
            "the features in data.feature_columns where it is one")


def _spaced_names(columns, missing):
    """Advice where some of ``columns`` are ``missing`` names with spaces around
    them (a header written "id, label"), else an empty string."""
    spaced = [column for column in columns if isinstance(column, str)
              and column != column.strip() and column.strip() in missing]
    if not spaced:
        return ""
    return (f": {_some(spaced)} hold spaces around the names; write the header without "
            "spaces after its commas")


def _check_separator(columns, missing, key, path):
    """A ConfigError where a separator (";", tab or "|") splits the one column
    name of a file into names among them the ``missing`` columns (quotes, spaces
    and case aside)."""
    if not missing or len(columns) != 1:
        return
    wanted = {str(column).casefold() for column in missing}
    separator = next((separator for separator in ";\t|" if wanted <= {
        name.strip().strip('"\'').strip().casefold()
        for name in str(columns[0]).split(separator)}), None)
    if separator:
        raise ConfigError(f"{key}: {path} reads as one column, {str(columns[0])[:60]!r}: "
                          f"its fields seem separated by {separator!r}; give a "
                          "comma-separated file")


def _label_values(text, key, path):
    """Labels read as written: numbers where every label is one, bools where
    every label is one as pandas spells them (True, TRUE, true...), else text.

    Only an empty cell is a missing label, named by its data row: pandas reads
    "NA", "None", "null" and "nan" as missing, each a class name here."""
    empty = _cells_by_column({text.name: text.isna().to_numpy()})
    if empty:
        _, row, where = _first_cell(empty)
        raise ConfigError(f"{key}: {path} holds an empty label at sample {row} ({where}); "
                          "every sample needs a class label: drop or label those samples")
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers.notna().all():
        # integers beyond uint64 come back as floats, not exact: text of the integers
        # they write, so that "00" and " 0" are 0 as they are in smaller numbers
        # (scikit-learn takes no array of Python ints for labels)
        if numbers.dtype.kind == "f" and text.str.fullmatch(r"\s*[+-]?\d+\s*").all():
            return text.map(lambda label: str(int(label))).to_numpy()
        return numbers.to_numpy()
    if text.isin(list(PANDAS_BOOLS)).all():
        return text.map(PANDAS_BOOLS).to_numpy(dtype=bool)
    _warn_of_label_spellings(text, key, path)
    return text.to_numpy()


def _warn_of_label_spellings(text, key, path):
    """Warn where labels differ in case, surrounding spaces or number format alone
    ("pos", "Pos", "pos "): each trains as a class of its own, which went unsaid
    where each was held by more than 1 % of the samples ("Co" and "CO" may be
    two classes: a warning, not a refusal)."""
    spellings = {}
    for label in text.unique():
        spellings.setdefault(_spelling(label), []).append(label)
    clashing = [sorted(group) for group in spellings.values() if len(group) > 1]
    if clashing:
        shown = "; ".join(", ".join(map(repr, group)) for group in clashing[:3])
        warnings.warn(f"{key}: {path} holds labels that differ in case, surrounding spaces "
                      f"or number format alone ({shown}): each is a class of its own; if "
                      "they name one class, write it one way.", UserWarning, stacklevel=2)


def _header(path, key):
    """The column names of a CSV file's header, as written; a ConfigError where it
    names a column twice: pandas renames the second "label" to "label.1", which the
    default feature columns (every other one) then took in, the labels included."""
    # the csv module, not pandas: it reads a header of 100,000 names five times faster;
    # as pandas, it skips blank lines before the header (and none within a quoted name),
    # and takes names of any length (for this read)
    limit = csv.field_size_limit(2**31 - 1)
    try:
        with open_text(path, encoding="utf-8-sig", newline="") as handle:
            lines = itertools.dropwhile(lambda line: not line.strip(" \t\r\n"), handle)
            header = next(csv.reader(lines), [])
    finally:
        csv.field_size_limit(limit)
    # empty names are no repeat: pandas names them "Unnamed: <position>"
    repeated = [name for name, count in Counter(header).items() if count > 1 and name]
    if repeated:
        raise ConfigError(f"{key}: the header of {path} names column(s) {_some(repeated)} "
                          "more than once; give each column its own name")
    return header


def _check_feature_values(frame, key, path):
    """A ConfigError where a feature cell holds no finite number, naming its
    columns and the first such cell's value and data row (a cell among half a
    million rows was not to be found), and, in a run's own data, the settings
    that read text."""
    numbers = {column: pd.to_numeric(values, errors="coerce")
               for column, values in frame.items()}
    text = _cells_by_column({column: numbers[column].isna() & frame[column].notna()
                             for column in frame.columns})
    if text:
        column, row, where = _first_cell(text)
        advice = "" if key == "--input" else (
            ": name a column of sequences data.sequence_column, or one of the samples' "
            "IDs data.id_column, or set encoder: OneHotEncoder for columns of categories")
        raise ConfigError(
            f"{key}: column(s) {_some(list(text))} of {path} hold text, and feature columns "
            f"must hold numbers ({frame[column].iloc[row]!r} in {where}){advice}"
        )
    not_finite = _cells_by_column({column: ~np.isfinite(values.to_numpy(dtype=float))
                                   for column, values in numbers.items()})
    if not_finite:
        column, row, where = _first_cell(not_finite)
        raise ConfigError(
            f"{key}: column(s) {_some(list(not_finite))} of {path} have cells without a "
            f"finite number, and feature columns need one in every row (the first: "
            f"{_cell_text(frame[column].iloc[row])} in {where})"
        )


def _cell_text(value):
    """How messages show a cell's ``value``: a missing one in words, text quoted."""
    if pd.isna(value):
        return "a missing value (an empty cell, or NA, NaN, null...)"
    return repr(value) if isinstance(value, str) else str(value)


def _cells_by_column(masks):
    """The masks of ``masks`` (a dict of column to mask of cells) that hold a cell."""
    return {column: cells for column, cells in masks.items() if cells.any()}


def _first_cell(cells_by_column):
    """The first column of ``cells_by_column`` (a mask of cells each), the row of
    its first cell, and where that cell is, for a message: its data row (1-based
    after the header) and how many cells the column holds."""
    column, cells = next(iter(cells_by_column.items()))
    row = int(np.flatnonzero(cells)[0])
    return column, row, (f"data row {row + 1:,} of {column!r}, {int(cells.sum()):,} such "
                         "cell(s) in that column")


def read_samples(config, path=None, key="data.path", labelled=True, model_length=None):
    """Read the samples of a data file the way a run's config says.

    Parameters
    ----------
    config : dict
        A config from :func:`parse_config` (or its saved copy).
    path : str, path-like or None, default=None
        The file to read; None reads the config's data.
    key : str, default="data.path"
        How messages name the file.
    labelled : bool, default=True
        Whether labels are read (and required).
    model_length : int or None, default=None
        The sequence length a one-hot model was trained on, named by the message
        on sequences of several lengths (None: the file is read for a fit).

    Returns
    -------
    samples : Samples
        ``ids`` (FASTA IDs, the CSV's ``id_column``, or row numbers), ``X``
        (sequences, a positions frame for ``OneHotEncoder``, or feature
        columns), ``y`` (None when not ``labelled``) and ``weight`` (the
        CSV's ``weight_column`` of labelled samples, else None).
    """
    data = config["data"]
    given, path = path, data.get("path") if path is None else path
    shown_format = data_format(data).upper()
    if path is not None and Path(path).is_dir():  # its name alone spoke of a format
        raise ConfigError(f"{key}: {path} is a folder; give a {shown_format} file")
    # a name of no format (/dev/stdin, new.txt) is read in the model's
    if given is not None and named_format(path) not in (None, data_format(data)):
        raise ConfigError(f"{key}: the model was trained on {shown_format} data; give "
                          f"a {shown_format} file, not {path}")
    if path is not None and not Path(path).is_file():
        raise ConfigError(f"{key}: no such file: {path}" if not Path(path).exists() else
                          f"{key}: {path} is not a file (a pipe or a device): a fit reads its "
                          "data more than once; give a file")
    try:
        if data_format(data) == "fasta":
            samples = _read_fasta(data, path, key, labelled)
        else:
            categories = (config["encoder"]["name"] == "OneHotEncoder"
                          and not has_sequences(data))
            samples = _read_csv(data, path, key, labelled, categories)
        if len(samples.ids) == 0:
            raise ConfigError(f"{key}: {path} holds no samples")
        if labelled:
            check_labels(samples.y)
        if has_sequences(data):
            # Checked before the split, so that a message counts the file's samples
            sequences = _texts(samples.X, "data.sequence_column")
            if config["encoder"]["name"] == "OneHotEncoder":
                fasta = data_format(data) == "fasta"
                _check_one_length(sequences, samples.ids if fasta or data["id_column"]
                                  else None, key, path, fasta, model_length)
                X = positions_frame(sequences)
            else:
                X = np.asarray(sequences, dtype=object)
            samples = samples._replace(X=X)
        elif config["encoder"]["name"] != "OneHotEncoder":
            _check_feature_values(samples.X, key, path)
    except ConfigError:
        raise
    except UnicodeDecodeError as error:
        unread = unread_compression(path)
        if unread:
            raise ConfigError(f"{key}: cannot read {path}: it is {unread}, which is not read; "
                              "decompress it, or compress it with gzip, bzip2 or xz") from None
        raise ConfigError(f"{key}: cannot read {path}: it is not UTF-8 text, plain or "
                          f"compressed with gzip, bzip2 or xz ({where_not_utf8(path, error)}); "
                          "save it as UTF-8") from None
    except (ValueError, TypeError, *READ_ERRORS) as error:
        raise ConfigError(f"{key}: cannot read {path}: {error}") from None
    return samples


def _check_one_length(sequences, ids, key, path, fasta, model_length):
    """A ConfigError where ``sequences``, for OneHotEncoder's one column per
    position, are not of one length, naming the commonest lengths and the first
    sample of the rarest: its record (``fasta``) or data row, and its ID where the
    file gives ``ids`` (positions_frame's own error named neither a sample nor the
    file), and the length of a model's windows (``model_length``) to predict."""
    lengths = Counter(map(len, sequences))
    if len(lengths) > 1:
        rarest = min(lengths, key=lambda length: (lengths[length], length))
        first = next(index for index, sequence in enumerate(sequences)
                     if len(sequence) == rarest)
        shown = ", ".join(f"{length} ({count} sample(s))"
                          for length, count in lengths.most_common(5))
        more = f" and {len(lengths) - 5} more" if len(lengths) > 5 else ""
        place = f"{'record' if fasta else 'data row'} {first + 1:,}"
        if ids is not None and not pd.isna(ids[first]):
            place += f", ID {np.asarray(ids[first]).tolist()!r}"
        raise ConfigError(
            f"{key}: {path} holds sequences of lengths {shown}{more}; encoder OneHotEncoder "
            f"reads one column per position, so every sequence needs one length: sample "
            f"{first} ({place}) has {rarest} letter(s). " + (
                "Give windows of one length, or fit with encoder SequenceEncoder, which "
                "pads shorter sequences" if model_length is None else
                f"The model was trained on windows of length {model_length}: give windows "
                "of that length"))


def _check_label_count(y, key, file_format):
    """A ConfigError where the labels are not classes: continuous numbers, or
    about one label per sample (UniProt FASTA headers, a score column)."""
    values = np.asarray(y)
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        raise ConfigError(f"{key}: the labels hold infinite numbers (e.g. "
                          f"{values[~np.isfinite(values)][:3].tolist()}): classification "
                          "needs classes; give integer or text labels")
    labels = np.unique(y)
    if type_of_target(y) == "continuous":
        raise ConfigError(f"{key}: the labels are numbers with fractions (e.g. "
                          f"{labels[:3].tolist()}): classification needs classes; give "
                          "integer or text labels")
    if len(labels) <= max(2, len(y) // 2):
        return
    hint = (" FASTA headers are read as >ID|LABEL|...: UniProt's >sp|ID|NAME gives every "
            "sample its own label." if file_format == "fasta" else "")
    raise ConfigError(
        f"{key}: {len(labels)} distinct labels in {len(y)} samples (e.g. "
        f"{labels[:3].tolist()}): classification needs classes, each held by many "
        f"samples.{hint}"
    )


def _warn_of_rare_classes(y, key):
    """Warn of a class held by under 1 % of more than two classes' samples (10
    at most): a typo in a label (``O`` for ``0``) makes a class of its own."""
    labels, counts = np.unique(y, return_counts=True)
    rare = [(label, count) for label, count in zip(labels.tolist(), counts)
            if count <= 10 and count < 0.01 * len(y)]
    if len(labels) > 2 and rare:
        held = ", ".join(f"{label!r} by {count}" for label, count in rare[:5])
        more = f", and {len(rare) - 5} more" if len(rare) > 5 else ""
        what, typo = ("a class is", "a typo") if len(rare) == 1 else (
            f"{len(rare)} classes are", "typos")
        warnings.warn(f"{key}: of {len(labels)} classes in {len(y)} samples, {what} held by "
                      f"very few ({held}{more}): {typo} in labels? Each label trains as a "
                      "class of its own.", UserWarning, stacklevel=2)


def _split(samples, seed, stratify, **size):
    """Both parts of one ``train_test_split`` of every array of ``samples``."""
    present = [name for name in Samples._fields if getattr(samples, name) is not None]
    arrays = train_test_split(*(getattr(samples, name) for name in present),
                              stratify=stratify, random_state=seed, **size)
    return tuple(samples._replace(**dict(zip(present, arrays[part::2]))) for part in (0, 1))


def _check_class_weights(samples, part):
    """A ConfigError where a class of ``samples`` has a total weight of 0."""
    if samples.weight is None:
        return
    labels, encoded = np.unique(samples.y, return_inverse=True)
    weightless = _weightless_classes(encoded, samples.weight, labels)
    if weightless:
        raise ConfigError(f"data.weight_column: the {part} part gives the class(es) "
                          f"{weightless} a total weight of 0")


def split_samples(config, samples):
    """Subsample and split the samples as the config says, or read its test file.

    Returns
    -------
    train, test : Samples
    """
    data, test = config["data"], config["test"]
    seed = test.get("random_state", 0)
    y = samples.y
    if data["subsample"] is not None:
        if data["subsample"] >= len(y):
            raise ConfigError(f"data.subsample: {data['subsample']} is not less than the "
                              f"{len(y)} samples of the data")
        n_classes = len(np.unique(y))
        if not n_classes <= data["subsample"] <= len(y) - n_classes:
            raise ConfigError(
                f"data.subsample: a stratified draw keeps, and leaves out, at least one "
                f"sample of each of the {n_classes} classes: give from {n_classes} to "
                f"{len(y) - n_classes} of the {len(y)} samples, not {data['subsample']}")
        try:
            samples, _ = _split(samples, seed, y, train_size=data["subsample"])
        except ValueError as error:
            raise ConfigError(f"data.subsample: cannot draw a stratified subsample of "
                              f"{data['subsample']} from {len(y)} samples: {error}") from None
        lost = np.setdiff1d(y, samples.y)
        if len(lost):  # a rarer class than a stratified draw keeps one sample of
            raise ConfigError(
                f"data.subsample: a stratified subsample of {data['subsample']} keeps no "
                f"sample of the class(es) {_some(lost.tolist())}, held by "
                f"{int(np.isin(y, lost).sum())} of the {len(y)} samples: give a larger "
                "subsample, or leave those samples out of the data")
    if "path" in test:
        return samples, read_samples(config, test["path"], "test.path")
    try:
        return _split(samples, seed, samples.y if test["stratify"] else None,
                      test_size=test["fraction"])
    except ValueError as error:
        which = " (data.subsample)" if data["subsample"] is not None else ""
        raise ConfigError(f"test.fraction: cannot split {len(samples.y)} samples{which}: "
                          f"{error}") from None


def _scores(y, proba, classes, sample_weight=None):
    """ROC AUC, average precision, F1 and accuracy of probabilities ``proba``; for
    more than two classes the first three are one-vs-rest macro averages."""
    predicted = classes[proba.argmax(axis=1)]
    weight = {"sample_weight": sample_weight}
    if len(classes) == 2:
        positive = np.asarray(y) == classes[1]
        ranking = (roc_auc_score(positive, proba[:, 1], **weight),
                   average_precision_score(positive, proba[:, 1], **weight),
                   f1_score(positive, predicted == classes[1], **weight))
    else:
        ranking = (roc_auc_score(y, proba, multi_class="ovr", labels=classes, **weight),
                   average_precision_score(label_binarize(y, classes=classes), proba,
                                           **weight),
                   f1_score(y, predicted, average="macro", **weight))
    return (*ranking, accuracy_score(y, predicted, **weight)), predicted


def _pu_scores(y, proba, classes, prior, sample_weight=None):
    """ROC AUC and F1 on the true labels recovered from PU labels ``y`` and
    ``prior`` (Jain et al.), and Lee & Liu's criterion."""
    predicted = proba[:, 1] > 0.5
    positive = np.asarray(y) == classes[1]
    weight = {"pos_label": True, "sample_weight": sample_weight}
    return (pu_roc_auc_score(positive, proba[:, 1], prior=prior, **weight),
            pu_estimated_f1_score(positive, predicted, prior=prior, **weight),
            pu_f1_score(positive, predicted, **weight))


def _pu_note(classifier):
    """The prior of a PU run and what the report says of its scores, or None
    for a run without a prior."""
    prior = getattr(classifier, "prior_", 0.0)
    if not prior:
        return None
    source = "given" if isinstance(classifier.prior, Real) else (
        f"estimated by {type(classifier.prior).__name__}"
        if hasattr(classifier.prior, "fit") else "estimated")
    return (f"PU labels: prior_ {prior:.4f} ({source}), the share of positives hidden "
            f"among the unlabeled samples ({classifier.classes_[0]}).", "ROC AUC, average "
            "precision, F1, accuracy and imbalanced-learn's reports take the test part's "
            "unlabeled samples as negative, so every hidden positive found counts as an "
            "error; PU ROC AUC and PU F1 (est.) are those of the true labels recovered "
            "from prior_ (Jain, White & Radivojac 2017), Lee-Liu is recall ** 2 / "
            "P(predicted positive) (Lee & Liu 2003), which ranks models as F1 would "
            "without a prior.")


def _plots(classifier, X_encoded, y_test, weight, folder):
    """Save the plots of the fitted classifier, given the test part as it reads
    it and its weights (None: unweighted); return what the report says about them."""
    try:
        pyplot = import_optional("matplotlib.pyplot", "plot", "plotting")
    except ImportError as error:
        return [f"Plots skipped: {error}."]
    displays = {"training_curves.png": lambda: TrainingCurvesDisplay.from_estimator(classifier)}
    if classifier.teachers_ and len(classifier.classes_) == 2:
        displays["teacher_student.png"] = lambda: TeacherStudentDisplay.from_estimator(
            classifier, X_encoded, y_test, sample_weight=weight)
    for name, draw in displays.items():
        figure = draw().figure_
        figure.savefig(folder / name, dpi=120)
        pyplot.close(figure)
    return [f"Plots: {', '.join(displays)}."]


def write_report(model, test, folder):
    """Score teacher and student on the test part; write the scores, plots and report.

    Parameters
    ----------
    model : fitted estimator
    test : Samples
        The test part; its weights, when given, weigh every score.
    folder : pathlib.Path

    Returns
    -------
    table : str
        The scores table, after a line giving the prior of a PU run (and one
        where a PU ROC AUC is above 1).
    """
    y_test = test.y
    classifier, preprocess = fitted_classifier(model, "skdistill fit")
    classes = classifier.classes_
    # encoded once: an encoder's warning about the test part is given once
    X_encoded = preprocess(test.X)
    probabilities = {}
    if classifier.teachers_:
        probabilities["teacher"] = classifier.teacher_predict_proba(X_encoded)
    probabilities["student"] = classifier.predict_proba(X_encoded)
    pu_note = _pu_note(classifier)
    columns = SCORE_COLUMNS + (PU_SCORE_COLUMNS if pu_note else ())
    scores, sections, above_one = {}, [], []
    for role, proba in probabilities.items():
        scores[role], predicted = _scores(y_test, proba, classes, test.weight)
        if pu_note:
            pu_scores = _pu_scores(y_test, proba, classes, classifier.prior_, test.weight)
            scores[role] += pu_scores
            if pu_scores[0] > 1:  # the PU ROC AUC
                above_one.append(role)
        # unweighted: with sample_weight, imbalanced-learn 0.14 mixes sample counts
        # and weight sums in its specificity
        sections.append(f"{role}, classification_report_imbalanced:\n"
                        + classification_report_imbalanced(
                            y_test, predicted, digits=4, zero_division=0))
    # printed too: the table shows the value
    warning = above_one and (
        f"A PU ROC AUC above 1 ({' and '.join(above_one)}): the labelled positives rank "
        "above more of the unlabeled samples than the hidden positives prior_ puts among "
        "them allow, so prior_ is too high for these scores, or the test part too small "
        "to tell.")
    table = format_table(
        [(role, *(f"{value:.4f}" for value in values)) for role, values in scores.items()],
        columns,
    )
    pd.DataFrame(
        [(role, *values) for role, values in scores.items()], columns=columns
    ).to_csv(folder / "scores.csv", index=False)
    notes = _plots(classifier, X_encoded, y_test, test.weight, folder)
    counts = ", ".join(f"{label}: {count}" for label, count in
                       zip(*np.unique(y_test, return_counts=True)))
    positive = f"positive class {classes[1]}, " if len(classes) == 2 else ""
    weighted = "" if test.weight is None else (
        " The scores table (and the ROC curves and agreement of teacher_student.png, "
        "where drawn) is weighted by data.weight_column; the counts, the probability "
        "scatter and imbalanced-learn's reports are not.")
    report = [f"Test part: {len(y_test)} samples ({counts}); {positive}predicted class: "
              f"the most probable one.{weighted}",
              *([" ".join(filter(None, [*pu_note, warning]))] if pu_note else []),
              table, *sections, *notes]
    (folder / "report.txt").write_text("\n\n".join(report) + "\n", encoding="utf-8")
    return table if pu_note is None else "\n".join(filter(None, [pu_note[0], warning, table]))


def _weight_params(model, weight):
    """The ``fit`` keyword that gives ``weight`` to the classifier (of a Pipeline)."""
    if weight is None:
        return {}
    name = f"{model.steps[-1][0]}__sample_weight" if isinstance(model, Pipeline) \
        else "sample_weight"
    return {name: weight}


def _check_positions_for_sequence_modules(config, X):
    """A ConfigError where a sequence module (CNN, GRU, ...) would read feature
    columns, under encoder none, that hold no one-hot positions: the
    classifier's error would advise what a config cannot give."""
    if has_sequences(config["data"]) or config["encoder"]["name"] != "none":
        return
    roles = [role for role in ("teacher", "student") if is_sequence_module(config[role])]
    if roles and find_layout(X.to_numpy(), X.columns) is None:
        role, section = roles[0], config[roles[0]]
        raise ConfigError(
            f"{role}.name: {section['name']} reads one-hot positions of sequences, "
            f"which the feature columns of {config['data']['path']} are not (0/1 "
            "columns, one per letter at each position): use MLP for feature columns, "
            "or a data.sequence_column with encoder SequenceEncoder")


def run_fit(config_path, output=None, verbose=1):
    """Train the model a config file describes and write the model and its report.

    Parameters
    ----------
    config_path : str or path-like
    output : str, path-like or None, default=None
        Output folder instead of the config's ``output``.
    verbose : int, default=1
        1 prints what happens and a progress bar; 0 prints the table only.

    Returns
    -------
    folder : pathlib.Path
        The output folder.

    Raises
    ------
    ConfigError
        When the config, its data or the output folder are wrong: before
        training wherever a check can tell, else when the classifier refuses
        the data. The output folder is then left as it was, as it is by any
        exception (``main`` turns a fit's FitInterruptedWarning into one).
    """
    config, model = load_config(config_path, output, verbose)
    samples = read_samples(config)
    _check_positions_for_sequence_modules(config, samples.X)
    # the training data only: a test file may be small
    _check_label_count(samples.y, "data.path", data_format(config["data"]))
    _warn_of_rare_classes(samples.y, "data.path")
    train, test = split_samples(config, samples)
    for part, part_samples in (("training", train), ("test", test)):
        _check_class_weights(part_samples, part)
    _check_test_labels(train.y, test.y, "test.path" if "path" in config["test"] else "test")
    folder = Path(config["output"])
    inputs = {"data.path": config["data"].get("path"), "test.path": config["test"].get("path")}
    if not _is_a_runs_own_config(config_path, config):
        inputs["--config"] = config_path
    elif output is None and not same_file_or_folder(folder, Path(config_path).parent):
        # a run's config names its own folder: lying in another, it was copied
        raise ConfigError(f"output: {config_path} was saved by the run in {folder}, not in "
                          "the folder it lies in (a copy?): give --output to say where "
                          "this run goes")
    _check_class_names(train.y)
    _check_output_spares_inputs(folder, inputs)
    with _staged_output(folder) as staging:
        if verbose:
            print(f"{len(train.y)} training and {len(test.y)} test samples; training.",
                  flush=True)
        try:
            model.fit(train.X, train.y, **_weight_params(model, train.weight))
        except (ValueError, TypeError, FloatingPointError) as error:
            # the classifier names what is wrong (FloatingPointError: training diverged)
            raise ConfigError(f"cannot train on this config and its data: {error}") from None
        if isinstance(samples.X, pd.DataFrame) and not has_sequences(config["data"]):
            config["data"]["feature_columns"] = list(samples.X.columns)
        try:
            table = _write_run(model, config, test, staging)
        except OSError as error:  # a full disk, say
            raise ConfigError(f"output: cannot write {folder}: "
                              f"{error.strerror or error}") from None
    print(table)
    if verbose:
        print(f"Model, config, scores and report written to {folder}")
    return folder


def _write_run(model, config, test, folder):
    """Write the model, the resolved config and the report into ``folder``;
    return the report's table."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        save(model, folder / MODEL_FILE)
    for warning in caught:  # a scikit-learn teacher is not saved: say so once, plainly
        print(f"Note: {warning.message}", file=sys.stderr)
    (folder / CONFIG_FILE).write_text(dump_yaml(config), encoding="utf-8")
    return write_report(model, test, folder)


def _check_test_labels(train_labels, test_labels, key):
    """A ConfigError where the test part holds a class the training part lacks,
    or lacks one (its ROC AUC and average precision would not be defined)."""
    classes = np.unique(train_labels).tolist()
    test_classes = np.unique(test_labels).tolist()
    unseen = sorted(set(test_classes) - set(classes))
    if unseen:
        raise ConfigError(f"{key}: {len(unseen)} label(s) are not among the training "
                          f"part's {len(classes)} classes: {_some(unseen)}; the training "
                          f"part's: {_some(classes)}")
    missing = sorted(set(classes) - set(test_classes))
    if missing:
        raise ConfigError(f"{key}: the test part holds no sample of the class(es) "
                          f"{_some(missing)}, so it cannot be scored; give a larger "
                          "test.fraction, or a test file that holds every class")


def _some(values, shown=5):
    """``values`` as a list, cut after ``shown`` of them."""
    return str(values) if len(values) <= shown else f"{str(values[:shown])[:-1]}, ...]"


def _is_a_runs_own_config(config_path, config):
    """Whether ``config_path`` holds a run's saved config: the text a run writes
    for its settings (so no comment, no hand-made layout), every setting but the
    output folder as resolved (absolute paths, defaults filled in), so that
    writing the resolved ``config`` over it loses nothing. A key an older run did
    not write counts as its default: None, or 0 for the classifier's
    ``random_state``."""
    saved = read_yaml(config_path)
    if not isinstance(saved, dict):
        return False
    if Path(config_path).read_text(encoding="utf-8") != dump_yaml(saved):
        return False
    classifier = saved.get("classifier")
    if classifier is None or isinstance(classifier, dict):
        saved = {**saved, "classifier": seeded(classifier or {})}
    return _same_settings({**saved, "output": None}, {**config, "output": None})


def _same_settings(saved, resolved):
    """``saved == resolved``, where a key ``saved`` lacks matches None."""
    if isinstance(saved, dict) and isinstance(resolved, dict):
        return set(saved) <= set(resolved) and all(
            _same_settings(saved.get(key), value) for key, value in resolved.items()
        )
    return saved == resolved


def _check_class_names(labels):
    """A ConfigError for a class named as predict's ID column."""
    if "id" in {str(label) for label in np.unique(labels)}:
        raise ConfigError("data.label_column: a class is named 'id', the name of predict's "
                          "ID column; rename that class")


def _check_output_spares_inputs(folder, inputs):
    """A ConfigError where a file the run writes into ``folder`` is one of its inputs.

    Parameters
    ----------
    folder : pathlib.Path
    inputs : dict of str to path-like or None
        The input files by the key that names them.
    """
    found = [name for name in OUTPUT_FILES if (folder / name).exists()]
    for name in found:
        for key, path in inputs.items():
            if path is not None and same_file_or_folder(folder / name, path):
                why = (" (a run's own saved config is rewritten in place, but this one "
                       "has comments, another layout or settings not in their resolved "
                       "form)" if key == "--config" else "")
                raise ConfigError(f"output: the run would write its {name} over {key} "
                                  f"{path}; give another output folder{why}")
    if found and not {MODEL_FILE, CONFIG_FILE} <= set(found):
        raise ConfigError(f"output: {folder} holds {found}, files of the names a run "
                          f"writes, but not the {MODEL_FILE} and {CONFIG_FILE} of an "
                          "earlier run; the run would replace them: give another output "
                          "folder")


def _missing_folders(folder):
    """``folder`` and those of its parents that do not exist, innermost first."""
    return [path for path in [folder, *folder.parents] if not path.exists()]


@contextmanager
def _staged_output(folder):
    """A fresh hidden folder inside ``folder`` to write a run into; its files
    are moved up at the end.

    The output folder is checked before training. Only a complete run reaches
    it: a failure leaves it as it was (the folders the run created are
    removed), and a run replaces every file an earlier run wrote there (a plot
    it does not draw is removed) but no other file. Staged inside, not beside
    it, so that the files move within one file system (an output folder may
    be a mount point) and a parent the user cannot write is no obstacle.
    Ctrl-C and the signals the command line catches are held from the first
    move to the last removal: they arrive after, when the folder holds either
    the whole run or what it held before.
    """
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"output: {folder} exists and is not a folder")
    created = _missing_folders(folder)
    staging, succeeded, complete = None, False, False
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not os.access(folder, os.W_OK | os.X_OK):
                raise ConfigError(f"output: cannot write into {folder}")
            staging = Path(tempfile.mkdtemp(prefix=".skdistill-staging-", dir=folder))
        except OSError as error:
            raise ConfigError(f"output: cannot write {folder}: {error.strerror}") from None
        yield staging
        succeeded = True
    finally:
        # one held block from the first move to the last removal: a signal waits
        # until the folder holds a whole run, or the earlier one, and nothing staged
        with signals_held():
            try:
                if succeeded:
                    _move_up(staging, folder)
                    complete = True
            finally:
                if staging is not None:
                    shutil.rmtree(staging, ignore_errors=True)
                for path in [] if complete else created:
                    with suppress(OSError):  # not empty: someone else's files arrived
                        path.rmdir()


def _move_up(staging, folder):
    """Move the run's files from ``staging`` into ``folder``, removing those of
    an earlier run that this one did not write; a ConfigError names a file
    that cannot be moved or removed, and what the folder then holds."""
    moved = []
    for name in OUTPUT_FILES:
        written = (staging / name).exists()
        try:
            if written:
                os.replace(staging / name, folder / name)
            else:
                (folder / name).unlink(missing_ok=True)
        except OSError as error:
            raise ConfigError(
                f"output: cannot {'move' if written else 'remove an earlier'} {name} "
                f"{'into' if written else 'from'} {folder}: {error.strerror or error}; of "
                f"this run's files it holds {moved or 'none'}, beside what it held before"
            ) from None
        if written:
            moved.append(name)


def _warn_of_repeated_ids(ids):
    """Warn where FASTA IDs repeat.

    Headers not of the ``>ID|LABEL|...`` form do that: UniProt's
    ``>sp|P12345|NAME`` gives every record the ID "sp".

    Parameters
    ----------
    ids : sequence of str
    """
    values, counts = np.unique(np.asarray(ids, dtype=str), return_counts=True)
    if counts.max() > 1:
        warnings.warn(
            f"--input: IDs repeat ({str(values[counts.argmax()])!r} {counts.max()} times): "
            "FASTA headers are read as >ID|LABEL|... ; the rows keep the input's order",
            UserWarning, stacklevel=3,
        )


def _spelling(category):
    """A category's text without case, surrounding spaces and number format."""
    text = category.strip().casefold()
    try:
        number = float(text)
    except ValueError:
        return text
    return text if math.isnan(number) else number


def _warn_of_another_spelling(encoder, X):
    """Warn of values the fitted OneHotEncoder ``encoder`` knows only in another
    case or spelling (``k`` for ``K``, ``1.50`` for ``1.5``): scikit-learn's
    warning of unknown categories says neither, and encodes them as no
    category at all.

    Parameters
    ----------
    encoder : sklearn.preprocessing.OneHotEncoder
    X : pandas.DataFrame
        The columns ``encoder`` was fitted on, each compared with its own categories.
    """
    found = {}
    for name, categories in zip(encoder.feature_names_in_, encoder.categories_):
        known = set(categories)
        spelled = {_spelling(category): category for category in categories
                   if isinstance(category, str)}
        for value in pd.unique(X[name]):
            if isinstance(value, str) and value not in known:
                match = spelled.get(_spelling(value))
                if match is not None:
                    found.setdefault(value, match)
    if found:
        shown = sorted(found)[:5]
        warnings.warn(
            f"--input: {shown} are unknown to the model, which knows them in another case "
            f"or spelling (as {[found[value] for value in shown]}: its categories are "
            "their text, case-sensitive); they are encoded as no category: write them as "
            "the model knows them",
            UserWarning, stacklevel=3,
        )


#: What pandas' read_csv takes for a missing value by default (its ``na_values``).
PANDAS_MISSING = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
    "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})
#: What pandas' read_csv takes for a bool by default.
PANDAS_BOOLS = {"True": True, "TRUE": True, "true": True,
                "False": False, "FALSE": False, "false": False}


#: Model files of this format version on were written by fits that read
#: categories as text.
TEXT_CATEGORIES_VERSION = 3


def _as_known_categories(encoder, X, pandas_typed):
    """``X`` read as a model trained by an older skdistill knows its categories.

    That skdistill let pandas guess each column's type: its categories are
    numbers (1, not "1"; a cell that holds no number is unknown), bools
    (True, not "True"), or text, each with a missing value where a cell was
    empty or held one of pandas' missing-value words ("NA", "None"...). Number
    and bool categories are always of such a model (one re-saved since
    included); text ones only where ``pandas_typed`` (a file of a format
    before :data:`TEXT_CATEGORIES_VERSION`): a newer model knows "NA" as text.

    Parameters
    ----------
    encoder : sklearn.preprocessing.OneHotEncoder
    X : pandas.DataFrame
        The columns ``encoder`` was fitted on, as written.
    pandas_typed : bool
        Whether the model file is of a format that pandas' typing wrote.

    Returns
    -------
    X : pandas.DataFrame
    """
    columns = {}
    for name, categories in zip(encoder.feature_names_in_, encoder.categories_):
        values = X[name].mask(X[name].isin(PANDAS_MISSING))
        known = [category for category in categories if not pd.isna(category)]
        if known and all(isinstance(category, (bool, np.bool_)) for category in known):
            columns[name] = values.map(PANDAS_BOOLS).astype(object)
        elif known and all(isinstance(category, Real) for category in known):
            columns[name] = pd.to_numeric(values, errors="coerce")
        elif pandas_typed:
            columns[name] = values
    return X.assign(**columns)


def _saved_config(path):
    """The config a fit wrote beside its model, with the sections ``predict`` reads
    checked: a ConfigError names the file where it was edited into another shape."""
    config = read_yaml(path)
    try:
        _section(config, "", TOP_KEYS, required=("data", "encoder"))
        data = _data_section(config["data"], path.parent)
        encoder = _section(config["encoder"], "encoder", ("name", "params"), ("name",))
        test = _test_section(config.get("test"), path.parent, data_format(data))
    except ConfigError as error:
        raise ConfigError(f"--model: {path} is not the config.yaml skdistill fit wrote "
                          f"({error})") from None
    return {"data": data, "encoder": encoder, "test": test}


@contextmanager
def _readable_again(path, data_format):
    """``path``, or where it is standard input (``-``) or a pipe (``/dev/stdin``,
    ``<(zcat new.fasta.gz)``), which can be read once only, a temporary copy of it,
    named for ``data_format``: reading sniffs a file's compression and header
    before it reads the whole. A ConfigError of reading the copy names ``path``
    (standard input for ``-``) instead."""
    if path != "-" and (Path(path).is_file() or not Path(path).exists()
                        or Path(path).is_dir()):
        yield path
        return
    if path == "-" and sys.stdin is None:
        raise ConfigError("--input: standard input is closed; give a file, or pipe one in")
    with tempfile.TemporaryDirectory(prefix="skdistill-input-") as folder:
        # a pipe's own name, where it names a format, is checked against the model's
        named = path != "-" and named_format(path) is not None
        copy = Path(folder) / (Path(path).name if named else f"standard-input.{data_format}")
        with open(copy, "wb") as target:
            if path == "-":
                shutil.copyfileobj(sys.stdin.buffer, target)
            else:
                with open(path, "rb") as source:
                    shutil.copyfileobj(source, target)
        try:
            yield copy
        except ConfigError as error:
            raise ConfigError(str(error).replace(str(copy), _input_name(path))) from None


def _input_name(path):
    """How messages name predict's input: ``-`` as standard input."""
    return "standard input" if path == "-" else str(path)


def run_predict(model_path, input_path, output=None):
    """Write the probabilities of a model trained by :func:`run_fit` as CSV.

    Parameters
    ----------
    model_path : str or path-like
        The output folder of ``skdistill fit``, or the model file in it.
    input_path : str or path-like
        Samples in the format the model was trained on, labels optional; ``-``
        reads standard input.
    output : str, path-like or None, default=None
        CSV file to write; None writes to standard output.

    Returns
    -------
    probabilities : pandas.DataFrame
        Column ``id``, then one column per class.
    """
    model_path = Path(model_path)
    folder = model_path if model_path.is_dir() else model_path.parent
    model_file = folder / MODEL_FILE if model_path.is_dir() else model_path
    if not model_file.is_file():
        raise ConfigError(f"--model: no model file {model_file}")
    if not (folder / CONFIG_FILE).is_file():
        raise ConfigError(f"--model: {folder} holds no {CONFIG_FILE}; give the output "
                          "folder of skdistill fit, or the model file in it")
    config = _saved_config(folder / CONFIG_FILE)
    if output is not None:
        kept = {"--input": None if input_path == "-" else input_path, "--model": model_file,
                **{f"--model's {name}": folder / name for name in OUTPUT_FILES},
                "the model's training data (data.path)": config["data"].get("path"),
                "the model's test data (test.path)": config["test"].get("path")}
        for key, path in kept.items():
            if path is not None and same_file_or_folder(output, path):
                raise ConfigError(f"--output: {output} is {key}; give another file")
        if _named_format(output) in _NOT_CSV and not Path(output).is_dir():
            raise ConfigError(f"--output: {output} names a {_named_format(output)} file, but "
                              "predict writes CSV (comma-separated): name it *.csv")
    try:
        model = load(model_file)
    except UntrustedClassError as error:
        raise ConfigError(f"--model: {error} skdistill predict trusts no more classes than "
                          "skdistill fit writes: load and predict this model in "
                          "Python") from None
    except ValueError as error:
        raise ConfigError(f"--model: {error}") from None
    except OSError as error:
        raise ConfigError(f"--model: cannot read {model_file}: "
                          f"{error.strerror or error}") from None
    encoder = type(model[0]).__name__ if isinstance(model, Pipeline) else "none"
    if encoder != config["encoder"]["name"]:
        raise ConfigError(f"--model: {folder / CONFIG_FILE} names the encoder "
                          f"{config['encoder']['name']}, but {model_file.name}'s is {encoder}: "
                          "the two do not come from one fit (one of them was replaced or "
                          "edited); give the folder skdistill fit wrote")
    classes = fitted_classifier(model, "skdistill predict")[0].classes_
    trained_length = getattr(model, "n_features_in_", None)
    with _readable_again(input_path, data_format(config["data"])) as readable:
        ids, X, _, _ = read_samples(config, readable, "--input", labelled=False,
                                    model_length=trained_length)
    shown = _input_name(input_path)
    if data_format(config["data"]) == "fasta":
        _warn_of_repeated_ids(ids)
    if config["encoder"]["name"] == "OneHotEncoder":
        if X.shape[1] != trained_length:
            raise ConfigError(f"--input: {shown} holds sequences of length "
                              f"{X.shape[1]}; the model was trained on length {trained_length}")
        if not has_sequences(config["data"]):
            X = _as_known_categories(model[0], X, written_format_version(model_file)
                                     < TEXT_CATEGORIES_VERSION)
        _warn_of_another_spelling(model[0], X)
    try:
        proba = model.predict_proba(X)
    except (ValueError, TypeError) as error:
        raise ConfigError(f"--input: cannot predict {shown}: {error}") from None
    frame = pd.DataFrame(proba, columns=[str(c) for c in classes])
    frame.insert(0, "id", ids)
    try:
        if output is None:
            frame.to_csv(sys.stdout, index=False)
        else:
            with written_whole(output) as written:
                frame.to_csv(written, index=False, compression=_compression(output))
    except BrokenPipeError:
        raise  # the reader of the output stopped (``| head``): not an error of ours
    except (OSError, ImportError) as error:  # ImportError: a compression's library (.zst)
        where = "standard output" if output is None else output
        raise ConfigError(f"--output: cannot write {where}: {error}") from None
    return frame
