"""Preprocessing of biological sequences for scikit-learn pipelines."""

import numpy as np
import pandas as pd

__all__ = ["positions_frame"]


def positions_frame(sequences, prefix="pos"):
    """Split equal-length sequences into one categorical column per position.

    The result feeds scikit-learn's ``OneHotEncoder``, giving one indicator per
    (position, letter) pair.

    Parameters
    ----------
    sequences : sequence of str
        Sequences of one common length.
    prefix : str, default="pos"
        Column names are ``f"{prefix}{i}"`` for position ``i`` (0-based).

    Returns
    -------
    frame : pandas.DataFrame of shape (n_sequences, length)

    Examples
    --------
    >>> positions_frame(["ACG", "TTA"])
      pos0 pos1 pos2
    0    A    C    G
    1    T    T    A
    """
    sequences = [str(sequence) for sequence in sequences]
    lengths = {len(sequence) for sequence in sequences}
    if len(lengths) > 1:
        raise ValueError(
            f"positions_frame needs sequences of one length; got lengths {sorted(lengths)}."
        )
    letters = np.array([list(sequence) for sequence in sequences], dtype=object)
    letters = letters.reshape(len(sequences), -1)
    columns = [f"{prefix}{i}" for i in range(letters.shape[1])]
    return pd.DataFrame(letters, columns=columns)
