import pytest

from skdistill.preprocessing import positions_frame


def test_positions_frame_splits_letters_into_columns():
    frame = positions_frame(["ACG", "TTA"], prefix="p")
    assert list(frame.columns) == ["p0", "p1", "p2"]
    assert frame.loc[1].tolist() == ["T", "T", "A"]


def test_positions_frame_rejects_mixed_lengths():
    with pytest.raises(ValueError, match="one length"):
        positions_frame(["ACG", "TT"])
