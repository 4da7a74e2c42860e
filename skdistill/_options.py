"""The check of a parameter that takes one of a few strings."""


def check_option(name, value, options):
    """Return ``value`` if it is one of ``options``; raise a ValueError naming
    ``name`` and the options otherwise.

    Parameters
    ----------
    name : str
        The parameter, for the message.
    value : object
        What was given: anything, an unhashable list included (``x in dict``
        raised a TypeError naming no parameter).
    options : iterable of str

    Examples
    --------
    >>> check_option("readout", "mean", ("positions", "max", "mean"))
    'mean'
    """
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {options}; got {value!r}.")
    return value
