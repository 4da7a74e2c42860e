"""Plain Python numbers from the scalars users pass: NumPy's and torch's 0-d ones."""

from numbers import Integral

import numpy as np
import torch


def as_scalar(value):
    """Return a 0-d tensor or array as the Python number it holds, anything else as given.

    Not a tensor that requires grad (a parameter to learn would lose its
    gradient), nor a masked array (its number may be hidden).

    Parameters
    ----------
    value : object

    Returns
    -------
    value : object
    """
    if isinstance(value, torch.Tensor):
        return value.item() if value.ndim == 0 and not value.requires_grad else value
    if isinstance(value, np.ndarray) and not np.ma.isMaskedArray(value):
        return value.item() if value.ndim == 0 else value
    return value


def is_positive_int(value):
    """Whether ``value`` is an int of 1 or more (NumPy's, a 0-d integer array or tensor)."""
    value = as_scalar(value)
    return isinstance(value, Integral) and not isinstance(value, bool) and value >= 1
