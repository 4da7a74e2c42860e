"""Plain Python numbers from the scalars users pass (NumPy's and torch's 0-d ones),
checks of sizes, and sample weights whose sum stays finite."""

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


def summable_weights(weight):
    """Non-negative float64 ``weight`` as given, or scaled down by a power of two
    where their sum overflows (40 weights of 1e307), by just the headroom a sum
    of them needs: where only their ratios count, nothing changes but the sum.

    Parameters
    ----------
    weight : ndarray of float64 of shape (n_samples,)

    Returns
    -------
    weight : ndarray of float64 of shape (n_samples,)
    """
    with np.errstate(over="ignore"):
        overflows = not np.isfinite(weight.sum())
    if overflows:  # only then: weights a teacher is fitted with stay as given
        weight = np.ldexp(weight, -int(np.ceil(np.log2(len(weight)))) - 1)
    return weight


def is_positive_int(value):
    """Whether ``value`` is an int of 1 or more (NumPy's, a 0-d integer array or tensor)."""
    value = as_scalar(value)
    return isinstance(value, Integral) and not isinstance(value, bool) and value >= 1
