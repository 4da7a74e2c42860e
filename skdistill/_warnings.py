"""Where the library's warnings point."""

import sys
import warnings

#: Packages whose frames a warning skips to reach the user's call: the library's
#: own, scikit-learn's and imbalanced-learn's wrappers, pipelines and searches, and
#: skorch's nets, which build the modules whose constructors warn.
_LIBRARY_PACKAGES = ("skdistill", "sklearn", "imblearn", "joblib", "skorch")


class FitInterruptedWarning(RuntimeWarning):
    """Warns that a fit cut short by Ctrl-C kept what it had trained.

    The nets are those of the best (or last complete) meta-epoch; a Ctrl-C
    while trackers log the fitted model keeps the whole fit. Turn it into
    an error to abort such a fit instead, leaving an earlier fit as it was, as
    ``skdistill fit`` does: ``warnings.simplefilter("error", FitInterruptedWarning)``.
    The Ctrl-C's KeyboardInterrupt then propagates, not this warning, so that
    it stops a search too (scikit-learn's searches score a fit that raises an
    error as failed, and go on with the next).
    """


class SequenceShapeWarning(UserWarning):
    """Warns that one-hot values contradict the sequence shape given to a module.

    A sequence module given ``sequence_length`` and ``alphabet_size`` whose
    positions straddle those the input's values show (4 positions of 6
    letters for windows of 6 positions of 4) would read parts of two letters
    as one. Values can only make it likely (ambiguity codes beside positions
    of no letter can mimic it), so it is a warning; feature names of
    positions make it an error. Turn it into one for numeric input too:
    ``warnings.simplefilter("error", SequenceShapeWarning)``.
    """


def warn_interrupted(message, interrupt):
    """Warn with a :class:`FitInterruptedWarning` that a fit kept what it had
    trained despite ``interrupt``; where that warning is an error, raise
    ``interrupt`` itself.

    Parameters
    ----------
    message : str
    interrupt : KeyboardInterrupt
        The Ctrl-C the fit caught.

    Raises
    ------
    KeyboardInterrupt
        ``interrupt``, where the warning is an error.
    """
    try:
        warnings.warn(message, FitInterruptedWarning, stacklevel=user_stacklevel())
    except FitInterruptedWarning as error:
        raise interrupt from error


def user_stacklevel():
    """The ``stacklevel`` that makes a warning point at the first caller outside
    skdistill, scikit-learn, imbalanced-learn and joblib (which runs scikit-learn's
    searches), for the function that calls this one.

    Returns
    -------
    stacklevel : int
    """
    frame, level = sys._getframe(1), 1
    while frame is not None and (
        frame.f_globals.get("__name__", "").partition(".")[0] in _LIBRARY_PACKAGES
    ):
        frame, level = frame.f_back, level + 1
    return level
