"""Parameter constraints shared by the estimators of the library."""

from sklearn.utils._param_validation import Interval


class NumberInterval(Interval):
    """scikit-learn's :class:`~sklearn.utils._param_validation.Interval` without bool.

    scikit-learn takes ``True`` for the number 1 where it takes an int or a
    float; here a flag is not a number: ``beta=True`` read as 1 dropped the
    teacher term without a word, ``batch_size=True`` trained in batches of one.
    The parameters that are flags take ``"boolean"`` and refuse 0 and 1 alike.
    """

    def is_satisfied_by(self, val):
        """Whether ``val`` is a number (not a bool) within the interval."""
        return not isinstance(val, bool) and super().is_satisfied_by(val)
