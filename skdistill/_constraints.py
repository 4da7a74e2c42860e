"""Parameter constraints shared by the estimators of the library."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval


class NumberInterval(Interval):
    """scikit-learn's :class:`~sklearn.utils._param_validation.Interval` without bool.

    scikit-learn takes ``True`` for the number 1 where it takes an int or a
    float; here a flag is not a number: ``beta=True`` read as 1 dropped the
    teacher term without a word, ``batch_size=True`` trained in batches of one.
    The parameters that are flags take ``"boolean"`` and refuse 0 and 1 alike.
    A real number NumPy cannot compute with (``fractions.Fraction``) is refused
    by the same message, where scikit-learn's check raised NumPy's TypeError.
    """

    def is_satisfied_by(self, val):
        """Whether ``val`` is a number (not a bool) within the interval."""
        return (
            isinstance(val, (Integral, float, np.floating)) and not isinstance(val, bool)
            and super().is_satisfied_by(val)
        )


class ModuleClass(HasMethods):
    """A class, as a teacher or student spec gives a torch module's; named so in
    messages (scikit-learn's ``type`` reads "an instance of 'type'"). A
    :class:`HasMethods`, one of the constraints scikit-learn takes as given."""

    def __init__(self):
        super().__init__(["mro"])

    def is_satisfied_by(self, val):
        """Whether ``val`` is a class."""
        return isinstance(val, type)

    def __str__(self):
        return "a class (a torch.nn.Module subclass)"


class ProbabilisticClassifier(HasMethods):
    """An object with ``fit`` and ``predict_proba``, whose message tells how to
    give a classifier without ``predict_proba``."""

    def __init__(self):
        super().__init__(["fit", "predict_proba"])

    def __str__(self):
        return ("a classifier with fit and predict_proba (wrap one without "
                "predict_proba, such as SVC() or RidgeClassifier(), in "
                "CalibratedClassifierCV)")
