import hashlib
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skdistill.datasets import load_crotonylation


def test_embedded_file_is_the_documented_one():
    path = resources.files("skdistill.datasets") / "data" / "lysine_crotonylation.fasta.gz"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == "92a2ea34049d2c9832ed7813de18a209018caceb06f11c46774b8fa3329aa060"
    note = (resources.files("skdistill.datasets") / "data" / "README.md").read_text()
    assert "iLearnPlus" in note and "MIT License" in note


def test_frame_and_arrays_agree():
    frame = load_crotonylation()
    sequences, labels = load_crotonylation(return_X_y=True)
    assert list(frame.columns) == ["sequence", "label"]
    assert frame.shape == (73927, 2)
    np.testing.assert_array_equal(frame["label"].to_numpy(), labels)
    assert int(labels.sum()) == 6821
    assert {len(s) for s in sequences} == {29}
    assert {s[14] for s in sequences} == {"K"}
    assert set("".join(sequences)) <= set("ACDEFGHIKLMNPQRSTVWY-")


def test_sequences_are_an_object_array_of_str():
    # documented, untested: a <U29 array truncates a longer window assigned later, silently
    sequences, labels = load_crotonylation(return_X_y=True)
    assert sequences.dtype == object and isinstance(sequences[0], str)
    assert labels.dtype == np.int64


def test_as_frame_gives_the_frame_columns():
    frame = load_crotonylation()
    sequences, labels = load_crotonylation(return_X_y=True, as_frame=True)
    pd.testing.assert_frame_equal(sequences, frame[["sequence"]])
    pd.testing.assert_series_equal(labels, frame["label"])
    pd.testing.assert_frame_equal(load_crotonylation(as_frame=True), frame)


@pytest.mark.parametrize("name", ["return_X_y", "as_frame"])
def test_flags_must_be_bools(name):
    # "no" is truthy: the arrays (or frames) came back
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        load_crotonylation(**{name: "no"})


def test_the_documented_duplicates():
    frame = load_crotonylation()
    repeated = frame[frame.duplicated("sequence", keep=False)]
    assert (len(repeated), repeated["sequence"].nunique()) == (42, 19)
    assert (repeated.groupby("sequence")["label"].nunique() > 1).sum() == 10
