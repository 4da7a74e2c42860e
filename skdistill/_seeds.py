"""Seeds drawn from a RandomState for the random parts of a fit (torch-free)."""

import numpy as np

#: The largest seed NumPy's RandomState takes.
MAX_SEED = 2**32 - 1


def is_seed(value):
    """Whether ``value`` is an int seed NumPy's RandomState takes (not a bool).

    Examples
    --------
    >>> is_seed(0), is_seed(-1), is_seed(2**32), is_seed(True)
    (True, False, False, False)
    """
    return (isinstance(value, (int, np.integer)) and not isinstance(value, bool)
            and 0 <= value <= MAX_SEED)


def draw_seed(rng):
    """An int seed drawn from the RandomState ``rng``."""
    return int(rng.randint(np.iinfo(np.int32).max))


def seed_unset_random_states(estimator, rng):
    """Seed every ``random_state`` of ``estimator`` left at None; return it.

    Nested estimators (``step__random_state`` in a Pipeline, say) are seeded
    too, as scikit-learn's ``BaggingClassifier`` seeds its sub-estimators; but
    a ``random_state`` the user fixed (an int or a RandomState, which
    ``clone`` copies) is kept: it was chosen on purpose.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Changed in place: pass a clone.
    rng : numpy.random.RandomState

    Returns
    -------
    estimator : scikit-learn estimator

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> forest = seed_unset_random_states(RandomForestClassifier(), np.random.RandomState(0))
    >>> forest.random_state
    209652396
    >>> fixed = RandomForestClassifier(random_state=3)
    >>> seed_unset_random_states(fixed, np.random.RandomState(0)).random_state
    3
    """
    params = estimator.get_params(deep=True)
    # sorted: the seeds must not depend on the order get_params happens to list.
    seeds = {
        name: draw_seed(rng)
        for name in sorted(params)
        if name.split("__")[-1] == "random_state" and params[name] is None
    }
    return estimator.set_params(**seeds) if seeds else estimator
