"""Parameter constraints shared by the estimators of the library."""

import numpy as np
from sklearn.utils._param_validation import Interval


class NumberInterval(Interval):
    """scikit-learn's :class:`~sklearn.utils._param_validation.Interval` without bool.

    scikit-learn takes ``True`` for the number 1 where it takes an int or a
    float; here a flag is not a number: ``beta=True`` read as 1 dropped the
    teacher term without a word, ``batch_size=True`` trained in batches of one.
    The parameters that are flags take ``"boolean"`` and refuse 0 and 1 alike.
    """

    def is_satisfied_by(self, val):
        return not isinstance(val, (bool, np.bool_)) and super().is_satisfied_by(val)
