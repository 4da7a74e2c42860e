import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.preprocessing import OneHotEncoder

from skdistill._layout import find_layout, layout_from_names, layout_from_values
from skdistill.preprocessing import SequenceEncoder, positions_frame

SEQUENCES = ["ACGTA", "TTGCA", "GACTT", "CCATG"]


@pytest.mark.parametrize("sparse_output", [False, True])
def test_values_of_a_sequence_encoding_give_its_shape(sparse_output):
    X = SequenceEncoder(sparse_output=sparse_output).fit_transform(SEQUENCES)
    layout = layout_from_values(X)
    assert layout.shape == (5, 4)
    assert layout.transform(X) is X


def test_values_that_are_not_one_hot_give_no_layout():
    assert layout_from_values(np.array([[0.5, 1.0, 0.0, 1.0]])) is None
    assert layout_from_values(np.ones((3, 6))) is None


def test_names_give_the_shape_and_identity_for_the_encoder_layout():
    encoder = SequenceEncoder().fit(SEQUENCES)
    layout = layout_from_names(encoder.get_feature_names_out())
    assert layout.shape == (5, 4)
    assert layout.columns is None


@pytest.mark.parametrize("sparse", [False, True])
def test_names_with_missing_letters_are_placed_in_the_full_grid(sparse):
    frame = positions_frame(SEQUENCES)
    onehot = OneHotEncoder(sparse_output=sparse).fit(frame)
    X = onehot.transform(frame)
    assert X.shape[1] < 5 * 4  # not every letter occurs at every position
    layout = find_layout(X, onehot.get_feature_names_out())
    assert layout.shape == (5, 4)
    placed = layout.transform(X)
    assert sp.issparse(placed) == sparse
    expected = SequenceEncoder().fit_transform(SEQUENCES)
    assert np.array_equal(placed.toarray() if sparse else placed, expected)


def test_unrelated_names_fall_back_to_values():
    X = SequenceEncoder().fit_transform(SEQUENCES)
    names = [f"feature{i}" for i in range(X.shape[1])]
    assert find_layout(X, names).shape == (5, 4)
    assert layout_from_names(["a", "b"]) is None
    assert layout_from_names(pd.Index(["p0_A", "q0_C"])) is None
