"""Fits that leave an estimator as it was when they fail."""

import functools


def restores_state_on_error(fit):
    """Decorate ``fit`` so that an error leaves the estimator's attributes as they were.

    ``validate_data`` records ``n_features_in_`` and ``feature_names_in_`` before
    a fit's own checks run: a refit that then fails would leave them beside the
    attributes of the previous fit. The attributes are restored by reference, so
    ``fit`` must assign its results rather than change them in place.

    Parameters
    ----------
    fit : callable
        An estimator's ``fit`` method.

    Returns
    -------
    fit_or_restore : callable
    """

    @functools.wraps(fit)
    def fit_or_restore(estimator, *args, **kwargs):
        before = dict(vars(estimator))
        try:
            return fit(estimator, *args, **kwargs)
        except BaseException:  # Ctrl-C included
            vars(estimator).clear()
            vars(estimator).update(before)
            raise

    return fit_or_restore
