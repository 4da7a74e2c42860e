"""Plain Python numbers from the scalars users pass: NumPy's and torch's 0-d ones."""

import numpy as np
import torch


def as_scalar(value):
    """Return a 0-d tensor or array as the Python number it holds, anything else as given.

    Parameters
    ----------
    value : object

    Returns
    -------
    value : object
    """
    if isinstance(value, (torch.Tensor, np.ndarray)) and value.ndim == 0:
        return value.item()
    return value
