"""What a teacher or a student may be, decided in one place.

A *spec* is what the user passes as ``teacher`` or ``student``: None (the
built-in default net), a ``torch.nn.Module`` subclass or instance, an unfitted
skorch ``NeuralNet``, or, for teachers only, a scikit-learn classifier with
``fit`` and ``predict_proba``. Every other module asks this one which kind a
spec is and what net it stands for.
"""

import inspect
from enum import Enum

import numpy as np
from skorch import NeuralNet
from torch import nn

from ._numbers import as_scalar, is_positive_int

NET = "net"
ESTIMATOR = "estimator"


def is_module(spec):
    """Whether ``spec`` is a ``torch.nn.Module`` subclass or instance."""
    return isinstance(spec, nn.Module) or isinstance(spec, type) and issubclass(spec, nn.Module)


def kind_of(spec, estimators=True):
    """``NET``, ``ESTIMATOR`` or None (neither) for a teacher or student spec;
    :func:`spec_kind` raises where this says None."""
    if spec is None or isinstance(spec, NeuralNet) or is_module(spec):
        return NET
    if estimators and not isinstance(spec, type) and all(
        callable(getattr(spec, method, None)) for method in ("fit", "predict_proba")
    ):
        return ESTIMATOR
    return None


def spec_kind(spec, name, estimators=True):
    """Return ``NET`` or ``ESTIMATOR`` for a teacher or student spec.

    Parameters
    ----------
    spec : object
        What the user passed.
    name : str
        How the error names it: ``"teacher"``, ``"teacher[1]"``, ``"student"``.
    estimators : bool, default=True
        Whether a scikit-learn classifier is allowed (teachers only).

    Raises
    ------
    TypeError
        If ``spec`` is none of the allowed kinds; the one message for all.
    """
    kind = kind_of(spec, estimators)
    if kind is not None:
        return kind
    allowed = "None, a torch.nn.Module subclass or instance, or a skorch NeuralNet"
    if estimators:
        allowed = (
            "None, a torch.nn.Module subclass or instance, a skorch NeuralNet, or a "
            "scikit-learn classifier with fit and predict_proba (a FrozenEstimator "
            "for an already fitted one; one without predict_proba, such as SVC() or "
            "RidgeClassifier(), wrapped in CalibratedClassifierCV)"
        )
    raise TypeError(f"{name} must be {allowed}; got {spec!r}.")


def plain_settings(cls, params):
    """A class and its parameters as plain data to compare.

    Parameters
    ----------
    cls : type
    params : dict
        Parameters, as ``get_params`` names them.

    Returns
    -------
    settings : dict of str to object
        The class's name under "", each parameter's plain value under its
        name (classes by name, lists as tuples, dicts as tuples of their
        pairs, NumPy's numbers as Python's, other objects by their class
        alone: ``"LRScheduler(...)"``, so that a callback added is a change
        and its own settings are not compared).
    """
    return {"": _plain_value(cls),
            **{name: _plain_value(value) for name, value in params.items()}}


def _plain_value(value):
    """``value`` as plain data: a class by its name, NumPy's numbers and the
    subclasses of bool, int, float and str (an ``IntEnum``) as Python's, another
    object by its class's name."""
    value = as_scalar(value)
    if isinstance(value, np.generic):
        value = value.item()
    for plain in (bool, int, float, str):  # bool first: a bool is an int
        if isinstance(value, plain):
            return plain.__str__(value) if plain is str else plain(value)
    if value is None:
        return None
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    if isinstance(value, (tuple, list)):
        return tuple(_plain_value(item) for item in value)
    if isinstance(value, dict):  # class_weight={0: 1, 1: 50}, say
        return tuple(sorted(((_plain_key(key), _plain_value(item))
                             for key, item in value.items()), key=lambda pair: repr(pair[0])))
    return f"{type(value).__qualname__}(...)"


def _plain_key(key):
    """A dict's key as plain data where it is a number, a string, None or a
    tuple (np.int64(1) is 1), else its repr (enum members, frozensets: their
    class names would all be alike). The pairs sort by the keys' reprs alone,
    so that keys of other types (1 and "1") compare no values."""
    if isinstance(key, np.generic):
        key = key.item()
    if key is None or isinstance(key, (int, float, str, tuple)) and not isinstance(key, Enum):
        return _plain_value(key)
    return repr(key)


def takes(cls, name, base=nn.Module):
    """Whether a class (a module's, an optimizer's) takes the constructor argument
    ``name``: by the first class of its MRO whose ``__init__`` names it or takes
    no ``**kwargs`` (a subclass of ``**kwargs`` passes them on to its parent's);
    None where ``**kwargs`` reach ``base`` (torch's ``Module`` or ``Optimizer``)
    or ``object``, which say nothing of what a class of the user's does with them."""
    for klass in cls.__mro__:
        if klass in (base, object):
            return None
        if "__init__" not in vars(klass):
            continue
        if name in inspect.signature(klass).parameters:
            return True
        if not takes_any_keyword(klass):
            return False
    return None


def accepts(module, name):
    """Whether ``module``, a module class, names the constructor argument ``name``
    (the sizes filled in from the data go to named arguments alone: a subclass
    may fix its parent's, or send its ``**kwargs`` to a layer)."""
    return isinstance(module, type) and name in inspect.signature(module).parameters


def takes_any_keyword(cls):
    """Whether a class's ``__init__`` (a module's, an optimizer's) takes ``**kwargs``."""
    return isinstance(cls, type) and any(
        parameter.kind is inspect.Parameter.VAR_KEYWORD
        for parameter in inspect.signature(cls).parameters.values())


def wants_sequence_shape(spec, default):
    """Whether the module of a net spec wants a sequence shape filled in.

    True for a module class taking ``sequence_length`` (the sequence modules)
    whose shape the user left unset; a module instance is already built.

    Parameters
    ----------
    spec : None, torch.nn.Module subclass or instance, or skorch.NeuralNet
    default : dict
        The net parameters None stands for.
    """
    params = spec.get_params(deep=False) if isinstance(spec, NeuralNet) else (
        default if spec is None else {"module": spec}
    )
    return accepts(params["module"], "sequence_length") and not any(
        f"module__{name}" in params for name in ("sequence_length", "alphabet_size")
    )


def given_sequence_shape(spec, n_features):
    """The ``(sequence_length, alphabet_size)`` the user gave the sequence
    module of a net spec, or None.

    A module instance holds both; a net spec with a module class gives those
    of its ``module__*`` parameters, the one left out derived from
    ``n_features``. None where no size is given, or where they are no
    positive integers, or one is left out and the other does not divide
    ``n_features`` (the module's own checks name those).

    Parameters
    ----------
    spec : None, torch.nn.Module subclass or instance, or skorch.NeuralNet
    n_features : int
        Columns of the input the net reads.
    """
    module, params = spec, {}
    if isinstance(spec, NeuralNet):
        params = spec.get_params(deep=False)
        module = params["module"]
    return sequence_shape_of(module, params, n_features)


def sequence_shape_of(module, params, n_features):
    """:func:`given_sequence_shape` of ``module`` and the ``params`` of the net it
    goes in (its ``module__*`` settings)."""
    names = ("sequence_length", "alphabet_size")
    if isinstance(module, nn.Module):
        length, alphabet = (getattr(module, name, None) for name in names)
    else:
        length, alphabet = (params.get(f"module__{name}") for name in names)
    if length is None and alphabet is None:
        return None
    if length is None:
        length = _other_size(n_features, alphabet)
    elif alphabet is None:
        alphabet = _other_size(n_features, length)
    if not (is_positive_int(length) and is_positive_int(alphabet)):
        return None
    return int(as_scalar(length)), int(as_scalar(alphabet))


def _other_size(n_features, size):
    """The size that makes a shape of ``n_features`` columns with ``size``, or
    None where ``size`` is no positive integer (NumPy's too) dividing them."""
    if not is_positive_int(size):
        return None
    size = int(as_scalar(size))
    return n_features // size if not n_features % size else None
