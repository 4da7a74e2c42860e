"""DistilledClassifier: online teacher/student distillation as a classifier."""

import copy
import math
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from scipy.special import log_expit, log_softmax
from skorch import NeuralNet
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils import _safe_indexing, check_random_state, get_tags
from sklearn.utils._metadata_requests import (
    MetadataRequest,
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils._param_validation import HasMethods, InvalidParameterError, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    has_fit_parameter,
)
from torch import nn

from ._constraints import ModuleClass, NumberInterval, ProbabilisticClassifier
from ._layout import doubt_of_values_layout, find_layout, shape_contradiction
from ._numbers import summable_weights
from ._nets import (
    DEFAULT_STUDENT,
    DEFAULT_TEACHER,
    WIRED_PARAMS,
    StudentCriterion,
    TensorData,
    TrueLabelCriterion,
    build_net,
    check_output_shape,
    net_of,
    predict_logits,
    rewire_net,
    true_label_count,
)
from ._specs import (
    ESTIMATOR, NET, given_sequence_shape, is_module, kind_of, plain_settings, spec_kind,
    wants_sequence_shape,
)
from ._random import generators_lent_out, seeded_global_generators
from ._seeds import draw_seed, seed_unset_random_states
from ._teachers import (
    EstimatorTeacher, NetTeacher, StandIn, TeacherEnsemble, stratified_bootstrap,
)
from ._training import DistillationRun, Part
from ._validation import check_labels, validate_features
from ._warnings import SequenceShapeWarning, user_stacklevel
from .fusion import FUSION_RULES, check_teacher_weights
from .losses import (
    DISTILLATION_LOSSES,
    SURROGATE_LOSSES,
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
    DistillationLoss,
    make_true_label_loss,
)
from .pu import (
    DEFAULT_PRIOR_ESTIMATOR, _check_given_prior, _checked_prior,
    _warn_if_positives_are_most, check_positive_label, labels_checked,
)
from .tracking import Tracker, TrackingSession

__all__ = ["DistilledClassifier"]

_NET_SPECS = [None, ModuleClass(), nn.Module, NeuralNet]
_ESTIMATOR_SPEC = ProbabilisticClassifier()
#: ``early_stopping="auto"`` holds out a validation part from this many samples on,
#: when that part holds at least ``EARLY_STOPPING_MIN_PER_CLASS`` samples of every class.
EARLY_STOPPING_MIN_SAMPLES = 100
EARLY_STOPPING_MIN_PER_CLASS = 2
#: ``batch_size="auto"``: about this many batches per epoch, within the bounds below.
AUTO_BATCHES_PER_EPOCH = 16
AUTO_BATCH_BOUNDS = (16, 256)


def _input_for_estimators(X):
    """What scikit-learn teachers and prior estimators see: ``X`` as given,
    with its dtype (a DataFrame with its column names, an array of category
    codes as strings); a list as an array and a sparse matrix as CSR or CSC,
    which take row indices."""
    if hasattr(X, "iloc"):
        return X
    return check_array(X, accept_sparse=("csr", "csc"), dtype=None, ensure_all_finite=False)


def resolve_device(device):
    """Return the torch device for ``device`` ("auto", "cpu", "cuda:0", ...),
    checked to hold a tensor (a ValueError names ``device`` otherwise); the CPU
    by any index is "cpu", the one location a pickled tensor loads from."""
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"device={device!r} is not a torch device: {error}") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was asked for, but torch sees no CUDA GPU.")
    if resolved.type == "meta":
        raise ValueError(
            "device='meta' holds no data: nets there can neither train nor predict. Use "
            "'cpu' or a GPU."
        )
    try:
        # any backend, and any device number, with the error torch gives for it
        torch.empty(0, device=resolved)
    except Exception as error:  # noqa: BLE001 - backends raise RuntimeError, ImportError, ...
        # the first sentence: torch's go on for lines about its build
        first = str(error).partition("\n")[0].partition(". ")[0].rstrip(".")
        raise ValueError(
            f"device={device!r} cannot be used by this torch: {type(error).__name__}: "
            f"{first}."
        ) from None
    return torch.device("cpu") if resolved.type == "cpu" else resolved


def _encode_labels(y):
    """``classes_`` and the encoded labels; at least two classes of one type."""
    check_classification_targets(y)
    classes, y_encoded = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            "DistilledClassifier needs samples of at least two classes; "
            f"y holds only one class: {classes.tolist()[0]!r} (rows sorted by label, as "
            "load_crotonylation's are, hold one class in their first rows: take a "
            "stratified random subset, train_test_split(..., stratify=y))."
        )
    return classes, y_encoded


def _log_probabilities(logits):
    """Log class probabilities of one logit per sample (two classes) or one per
    class (checked by :func:`_check_defined`); a single +inf among a sample's
    logits is certainty, where log_softmax computes inf - inf."""
    logits = logits.astype(np.float64)
    if logits.ndim == 1:
        return np.column_stack([log_expit(-logits), log_expit(logits)])
    with np.errstate(invalid="ignore"):  # rows of one +inf, set below
        log_proba = log_softmax(logits, axis=1)
    top = np.isposinf(logits)
    certain = top.sum(axis=1) == 1
    log_proba[certain] = np.where(top[certain], 0.0, -np.inf)
    return log_proba


def _check_defined(logits, who, n_classes):
    """A ValueError where the logits are not one per class of ``n_classes`` (one
    for two classes): a model file whose ``classes_`` were edited, say; and one
    naming the samples whose logits give no probabilities: a NaN, or, among
    several classes, +inf twice or -inf everywhere (float32 overflowed)."""
    width = 1 if logits.ndim == 1 else logits.shape[1]
    if n_classes < 2 or width != (1 if n_classes == 2 else n_classes):
        raise ValueError(
            f"The {who} gives {width} logit(s) per sample for the {n_classes} class(es) of "
            "classes_: the two do not come from one fit (a damaged or edited model file?)."
        )
    if logits.ndim == 1:
        undefined = np.isnan(logits)
    else:
        undefined = (np.isnan(logits).any(axis=1) | (np.isposinf(logits).sum(axis=1) > 1)
                     | np.isneginf(logits).all(axis=1))
    if undefined.any():
        raise ValueError(
            f"The {who}'s logits give no probabilities (NaN, +inf twice or -inf "
            f"everywhere) for "
            f"{np.count_nonzero(undefined)} of {len(undefined)} samples (the first is "
            f"sample {np.flatnonzero(undefined)[0]}): its float32 arithmetic overflowed, "
            "or the input holds NaN or inf (which scikit-learn's assume_finite=True lets "
            "through). Scale the input as it was scaled for training, and check it for "
            "missing values."
        )


def _device_name(device):
    """A torch device as text, ``cuda`` and ``cuda:0`` alike."""
    device = torch.device(device)
    return device.type if device.index in (None, 0) else str(device)


def _module_dims(input_dim, n_classes, layout):
    dims = {"input_dim": input_dim, "output_dim": 1 if n_classes == 2 else n_classes}
    if layout is not None:
        dims["sequence_length"], dims["alphabet_size"] = layout.shape
    return dims


def _scaled_to_one(weight):
    """``weight`` times the power of two (exact) that brings its largest into [0.5, 1)."""
    return np.ldexp(weight, -np.frexp(weight.max())[1])


def _faint_classes(y_encoded, weight, classes):
    """The classes every weight of which the nets' float32 loses (rounds to a
    subnormal number or to 0) once ``weight`` is scaled as the nets get it."""
    largest = np.zeros(len(classes))
    np.maximum.at(largest, y_encoded, _scaled_to_one(weight))
    return classes[(largest > 0) & (largest < np.finfo(np.float32).tiny)].tolist()


def _part(name, X_raw, data, y_encoded, rows, classes, sample_weight):
    """A :class:`Part` of some rows (an index array, or None: all) of ``data``, a
    :class:`TensorData` of every sample: a view, never a copy of the input."""
    selected = slice(None) if rows is None else rows
    y_part = y_encoded[selected]
    dtype = torch.float32 if len(classes) == 2 else torch.int64
    targets = {"target": torch.as_tensor(y_part, dtype=dtype, device=data.device)}
    weight_part = None if sample_weight is None else sample_weight[selected]
    if weight_part is not None:
        # Every loss takes weighted means: scaled by a power of two (exact) to at
        # most 1, weights far from 1 (1e-46, 1e39) survive float32, and a
        # read-only array is copied.
        targets["sample_weight"] = torch.as_tensor(
            _scaled_to_one(weight_part), dtype=torch.float32, device=data.device
        )
    if rows is not None:
        data = data.subset(torch.as_tensor(rows))
    return Part(name, X_raw, data.with_targets(targets), y_part, rows, weight_part)


def _check_pu_risk_used(prior, loss_name, n_classes):
    """Refuse a prior where no PU risk would use it: it would be reported in
    ``prior_`` while the loss ignored it."""
    if n_classes != 2:
        advice = ("which train with cross-entropy. Set prior=0." if loss_name == "bce" else
                  "and true_label_loss='pu' takes two. Set prior=0 and true_label_loss="
                  "'auto', which trains more classes with cross-entropy.")
        raise ValueError(
            f"Only binary classification is supported with prior={prior!r}, the class "
            f"prior of the two-class PU risk; y holds {n_classes} classes, {advice}"
        )
    check_prior_is_used(prior, loss_name)


def check_prior_is_used(prior, loss_name):
    """Refuse a prior that true-label loss ``loss_name`` ("pu" or "bce", as
    resolved) has no risk for, whatever the data."""
    if loss_name != "pu":
        raise ValueError(
            f"prior={prior!r} is the class prior of the PU risk, but "
            "true_label_loss='bce' trains with cross-entropy, which has none. Set prior=0, "
            "or true_label_loss='pu'."
        )


def _warn_where_set(estimator, names, used_by, why):
    """Warn where any of ``names`` is set away from its default for a fit that
    does not use ``used_by``, saying ``why``."""
    defaults = DistilledClassifier().get_params()
    unused = [f"{name}={getattr(estimator, name)!r}" for name in names
              if getattr(estimator, name) != defaults[name]]
    if unused:
        verb, pronoun = ("set", "They have") if len(unused) > 1 else ("sets", "It has")
        warnings.warn(
            f"{' and '.join(unused)} {verb} {used_by}, which this fit does not use: {why}. "
            f"{pronoun} no effect.", UserWarning, stacklevel=user_stacklevel(),
        )


def _warn_of_unused_pu_settings(estimator, n_classes):
    """Warn where ``target_prior`` or ``pu_surrogate`` is set away from its default
    for a fit that trains with cross-entropy, which uses neither (as
    LogisticRegression warns of an ``l1_ratio`` its penalty does not use)."""
    why = f"y holds {n_classes} classes" if n_classes > 2 else "true_label_loss='bce'"
    _warn_where_set(estimator, ("target_prior", "pu_surrogate"), "the PU risk",
                    f"{why}, which trains with cross-entropy")


def _warn_of_unused_early_stopping_settings(estimator, n_samples, weighted):
    """Warn where a setting of early stopping is set away from its default for
    a fit without it: MLPClassifier's ``n_iter_no_change`` and ``tol`` also
    stop on the training loss, which a meta-epoch's rounds do not. Under
    "auto", ``validation_fraction`` took part in the choice: named in it."""
    names = ("n_iter_no_change", "tol")
    if isinstance(estimator.early_stopping, str):
        why = (f"early_stopping='auto' holds out no validation part of {n_samples} samples"
               f"{' of non-zero weight' if weighted else ''} at validation_fraction="
               f"{estimator.validation_fraction!r} (from {EARLY_STOPPING_MIN_SAMPLES} samples "
               f"on, with {EARLY_STOPPING_MIN_PER_CLASS} of each class in the smaller part)")
    else:
        names, why = ("validation_fraction", *names), "early_stopping=False"
    _warn_where_set(estimator, names, "early stopping",
                    f"{why}, and all meta_epochs={estimator.meta_epochs} run")


def _warn_of_an_unused_temperature(distillation_loss, temperature):
    """Warn where ``temperature`` is set away from 1 for a teacher term that uses
    none: "hard" takes the teacher's classes, "mse" its logits as they are."""
    if distillation_loss != "soft" and temperature != 1:
        uses = ("the teacher's predicted classes" if distillation_loss == "hard"
                else "the teacher's logits as they are")
        warnings.warn(
            f"temperature={temperature} softens the targets of distillation_loss='soft'; "
            f"distillation_loss={distillation_loss!r} takes {uses}. It has no effect.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def _check_pu_labels(classes, y_encoded, sample_weight):
    """Check the labels of a fit with a PU prior.

    In PU data the labelled positives are a minority, so a "positive" class
    holding most samples usually means the labels were given the other way
    round ("P"/"U", where "U" sorts last and becomes ``classes_[1]``).

    Parameters
    ----------
    classes : ndarray of shape (2,)
    y_encoded : ndarray of int of shape (n_samples,)
    sample_weight : ndarray of shape (n_samples,) or None

    Raises
    ------
    ValueError
        If the positive class is named as the unlabeled one.

    Warns
    -----
    UserWarning
        If the positive class holds more than half of the samples (of those
        of non-zero weight: weights on the labelled positives are no sign of
        reversed labels).
    """
    positive = classes.tolist()[1]
    check_positive_label(positive)
    _warn_if_positives_are_most(positive, y_encoded == 1, sample_weight)


def _spec_settings(spec, default):
    """What of a student or teacher spec a warm start leaves unused where it
    changes, as :func:`plain_settings`: a net's class and parameters (the
    default's for None), less those every fit sets itself; a scikit-learn
    teacher's class and parameters; none for a stand-in of a teacher not
    saved. A list gives each spec's under its index; a list of one is its
    spec."""
    if isinstance(spec, StandIn):
        return {}
    if isinstance(spec, list):
        if len(spec) == 1:
            return _spec_settings(spec[0], default)
        return {f"{index}__{name}".rstrip("_"): value for index, item in enumerate(spec)
                for name, value in _spec_settings(item, default).items()}
    if kind_of(spec) == ESTIMATOR:
        return plain_settings(type(spec), spec.get_params(deep=True))
    if not isinstance(spec, NeuralNet):  # every setting of its net, callbacks included
        spec = net_of(default if spec is None else {
            "module": type(spec) if isinstance(spec, nn.Module) else spec})
    return plain_settings(type(spec), {name: value
                                       for name, value in spec.get_params(deep=True).items()
                                       if name not in WIRED_PARAMS})


def _same_setting(before, after):
    """Equal, as floats to float32's precision (np.float32(0.01) is 0.01), NaN to
    NaN, None to an empty tuple (skorch's callbacks=None and []), tuples item by
    item (a dict's pairs, param groups)."""
    if before in (None, ()) and after in (None, ()):
        return True
    if isinstance(before, float) and isinstance(after, float):
        return math.isclose(before, after, rel_tol=1e-6) or (before != before and after != after)
    if isinstance(before, tuple) and isinstance(after, tuple):
        return len(before) == len(after) and all(map(_same_setting, before, after))
    return before == after


#: A setting on one side only of a warm start's comparison.
_UNSET = object()
#: The parts of a skorch net whose own settings (``module__out``) are open-ended.
_NET_PARTS = ("module", "optimizer", "criterion", "iterator_train", "iterator_valid", "dataset")


def _compared(name, kept, given):
    """Whether setting ``name`` is compared: one on one side only is where it
    extends a part of a skorch net (``module__out``, ``optimizer__momentum``)
    that is on both sides and the same; with another class, that class is the
    change named. The batch iterators are the fit's own on both sides (left out
    of the settings as wired), so their settings (``iterator_train__drop_last``)
    are always compared."""
    owner = name.rpartition("__")[0]
    wired_on_both_sides = owner in WIRED_PARAMS and owner not in kept and owner not in given
    return (name in kept and name in given) or (
        owner.rpartition("__")[2] in _NET_PARTS
        and (wired_on_both_sides
             or owner in kept and owner in given and kept[owner] == given[owner]))


def _shown_setting(value):
    return "unset" if value is _UNSET else repr(value)


def _warn_of_unused_settings(kept, given):
    """Warn where the nets a warm start trains on were built with other settings
    than those given now (``student__lr`` changed by ``set_params``, say): they
    keep theirs, as the docs say, but a user of MLPClassifier expects the new
    learning rate to act.

    Parameters
    ----------
    kept, given : dict of str to dict
        The :func:`_spec_settings` of each role's spec ("student", "teacher"),
        of the nets trained on and as given now.

    Returns
    -------
    changes : list of str
        Each changed setting with its kept value and the new one, as the
        warning names them.
    """
    changes = [
        f"{role}__{name}".rstrip("_") + f" {_shown_setting(before)} (now {_shown_setting(after)})"
        for role in kept
        for name in sorted(kept[role].keys() | given[role].keys())
        if _compared(name, kept[role], given[role])
        and not _same_setting(before := kept[role].get(name, _UNSET),
                              after := given[role].get(name, _UNSET))
    ]
    if changes:
        shown = ", ".join(changes[:5]) + (f" and {len(changes) - 5} more" if len(changes) > 5
                                         else "")
        warnings.warn(
            "warm_start=True goes on with the nets and teachers of the previous fit, which "
            f"keep the settings they were built with; these changed and are not used: {shown}. "
            "Fit with warm_start=False to build nets with them.",
            UserWarning, stacklevel=user_stacklevel(),
        )
    return changes


def _warn_of_replaced_frozen_teachers(teacher_specs, kept, settings_compared):
    """Warn where a warm start keeps a teacher of the previous fit while
    ``teacher`` now names a FrozenEstimator of another fitted model alike in
    settings, which :func:`_warn_of_unused_settings` cannot tell apart (a
    booster fitted again and frozen, the student distilled from the old one);
    a teacher of other settings is named there, where the settings were
    compared (``settings_compared``: not for a model loaded from a file older
    than the record of its settings)."""
    def model(estimator):
        return estimator.estimator if isinstance(estimator, FrozenEstimator) else estimator

    replaced = [
        name for name, (spec, _), teacher in zip(_teacher_names(len(teacher_specs)),
                                                 teacher_specs, kept)
        if isinstance(spec, FrozenEstimator) and model(spec) is not model(teacher.estimator)
        and (not settings_compared
             or _spec_settings(spec, None) == _spec_settings(teacher.estimator, None))
    ]
    if replaced:
        warnings.warn(
            f"warm_start=True goes on with the teachers of the previous fit: {', '.join(replaced)}"
            " now wraps another fitted model in its FrozenEstimator, which is not used. Fit "
            "with warm_start=False to distill from it.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def _warn_if_teachers_ignore_the_prior(teacher_specs, teacher_weights, alpha):
    """Warn where a scikit-learn teacher of a PU fit takes the unlabeled samples
    for negatives: it trains with its own loss, not the PU risk (a
    FrozenEstimator, or a teacher of weight 0, is not concerned; a teacher a
    warm start keeps is, having been fitted on the labels of an earlier fit)."""
    weights = [1.0] * len(teacher_specs) if teacher_weights is None else teacher_weights
    names = [
        name for name, (spec, kind), weight
        in zip(_teacher_names(len(teacher_specs)), teacher_specs, weights)
        if kind == ESTIMATOR and not isinstance(spec, FrozenEstimator) and weight > 0
    ]
    if names:
        which = (f"{names[0]} (a scikit-learn classifier) is" if len(names) == 1
                 else f"{', '.join(names)} (scikit-learn classifiers) are")
        warnings.warn(
            f"{which} fitted on the PU labels with its own loss, which takes every "
            f"unlabeled sample for a negative; the teacher term (alpha={alpha}) pulls the "
            "student toward that, against the prior. Net teachers (None, a torch module "
            "or a skorch net) train with the PU risk; or set alpha=0 to train the "
            "student alone.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def _warn_if_a_term_is_empty(beta, batch_size):
    """Warn where ``0 < beta < 1`` rounds to no true label, or to nothing but true
    labels, in a batch of ``batch_size``: one term of the loss is then empty."""
    n_true = true_label_count(beta, batch_size)
    if 0 < beta < 1 and n_true in (0, batch_size):
        learns_from = "the teacher alone" if n_true == 0 else "the true labels alone"
        warnings.warn(
            f"beta={beta} keeps {n_true} of the {batch_size} samples of a batch with their "
            f"true labels (beta * batch_size, rounded): the student learns from "
            f"{learns_from}. Give beta or batch_size another value, or set alpha to "
            f"{1 if n_true == 0 else 0} to mean it.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def _positive_share(y_encoded, sample_weight):
    """The share, by weight, of the positive class (code 1) among encoded labels."""
    weight = np.ones(len(y_encoded)) if sample_weight is None else sample_weight
    return float(weight[y_encoded == 1].sum() / weight.sum())


def _split_advice(y_encoded, classes, validation_fraction):
    """What to change when a stratified validation part cannot be drawn: the
    side too small to hold a sample of every class says which way to move."""
    counts = np.bincount(y_encoded, minlength=len(classes))
    single = classes[np.flatnonzero(counts < 2)].tolist()  # object classes hold no .item()
    if single:
        return (
            f"The class(es) {single} have a single sample, which no split can put on "
            "both sides: set early_stopping=False."
        )
    n_valid = math.ceil(validation_fraction * len(y_encoded))
    direction = "Lower" if len(y_encoded) - n_valid < len(classes) else "Raise"
    return f"{direction} validation_fraction, or set early_stopping=False."


def _teacher_names(n_teachers):
    """How messages and metadata routing name the teachers of a fit."""
    return [f"teacher[{i}]" if n_teachers > 1 else "teacher" for i in range(n_teachers)]


def _takes_sparse_input(estimator):
    """Whether a scikit-learn teacher's tags say it takes sparse input (one
    without tags, a plain class with fit and predict_proba, is trusted to)."""
    try:
        return get_tags(estimator).input_tags.sparse
    except (AttributeError, TypeError):
        return True


def _teacher_fit_params(routed, sample_weight_given, sample_weight, n_teachers):
    """The metadata each scikit-learn teacher is fitted with: ``sample_weight``
    without metadata routing (``routed`` None), else what routing sends it, the
    classifier's own weights (``sample_weight_given``) replaced by the validated
    ones (a teacher's alias, ``set_fit_request(sample_weight="w")``, keeps its own)."""
    if routed is None:
        return [{} if sample_weight is None else {"sample_weight": sample_weight}] * n_teachers
    params = []
    for name in _teacher_names(n_teachers):
        entry = routed.get(name)  # None for a teacher routing holds nothing for
        given = {} if entry is None else dict(entry.fit)
        if sample_weight_given is not None and given.get("sample_weight") is sample_weight_given:
            given["sample_weight"] = sample_weight
        params.append(given)
    return params


def _consumer_of_its_weights():
    """The request of a classifier that consumes ``sample_weight`` in ``fit``."""
    request = MetadataRequest(owner=DistilledClassifier.__name__)
    request.fit.add_request(param="sample_weight", alias=True)
    return request


def _check_requested(router, fit_params):
    """A TypeError naming the metadata that no teacher requests."""
    unrequested = sorted(set(fit_params) - router.consumes("fit", list(fit_params)))
    if unrequested:
        raise TypeError(
            f"DistilledClassifier.fit got metadata {unrequested} that no teacher "
            "requests (set_fit_request)."
        )


def _weight_taker(estimator):
    """The estimator whose ``fit`` gets the sample weights given to
    ``estimator.fit``: a search passes its fit's keyword arguments on to its
    estimator's."""
    while isinstance(estimator, BaseSearchCV):
        estimator = estimator.estimator
    return estimator


def _check_teachers_take_weights(teacher_specs):
    """Refuse sample weights where a scikit-learn teacher to be fitted takes none."""
    for spec, kind in teacher_specs:
        if kind != ESTIMATOR or isinstance(spec, FrozenEstimator):
            continue
        taker = _weight_taker(spec)
        if not has_fit_parameter(taker, "sample_weight"):
            name = type(spec).__name__
            if taker is not spec:
                name += f"'s estimator {type(taker).__name__}"
            raise ValueError(
                "sample_weight was given (BaggingClassifier gives its bootstrap so), but "
                f"the teacher {name} takes no "
                "sample_weight in fit: choose one that does, fit it yourself and pass it "
                "wrapped in FrozenEstimator, or turn on metadata routing "
                "(sklearn.set_config(enable_metadata_routing=True)) and request the "
                "weights where the teacher takes them (set_fit_request on a Pipeline's "
                "steps), or not at all."
            )


def _weightless_classes(y_encoded, sample_weight, classes):
    """The classes without a sample, or without weight, in ``y_encoded``."""
    totals = np.bincount(y_encoded, weights=sample_weight, minlength=len(classes))
    return classes[totals == 0].tolist()


#: Why a class of faint weights is refused (see ``_faint_classes``).
_FAINT = (
    "weights below the smallest normal float32 (1.2e-38) times the largest: the nets "
    "compute in float32 and would lose them. Weigh those classes more: only the "
    "ratios count."
)


def _check_weights(sample_weight, X, y_encoded, classes):
    """``sample_weight`` as float64 (None stays None; scaled down where its sum
    overflows), every class with some weight,
    and weight that the nets' float32 holds: scaled to at most 1 (see ``_part``), a
    class whose largest weight falls below float32's smallest normal number would
    lose its weights, or train on rounding (inf or NaN)."""
    if sample_weight is None:
        return None
    sample_weight = summable_weights(_check_sample_weight(
        sample_weight, X, dtype=np.float64, ensure_non_negative=True
    ))
    weightless = _weightless_classes(y_encoded, sample_weight, classes)
    if weightless:
        raise ValueError(
            f"sample_weight gives the class(es) {weightless} a total weight of 0; every "
            "class needs some weight to be learnt. A subsample given as weights "
            "(BaggingClassifier's) at times draws no sample of a rare class: a larger "
            "max_samples makes that rarer, max_samples=1.0 with bootstrap=False keeps every "
            "sample, and imbalanced-learn's BalancedBaggingClassifier draws every class."
        )
    faint = _faint_classes(y_encoded, sample_weight, classes)
    if faint:
        raise ValueError(f"sample_weight gives the class(es) {faint} {_FAINT}")
    return sample_weight


class DistilledClassifier(ClassifierMixin, BaseEstimator):
    """Classifier whose small student network is distilled from one or more teachers.

    A teacher and a student skorch net are trained together in meta-epochs:
    each meta-epoch trains the teacher on the true labels for
    ``teacher_epochs``, computes its predictions for the training set once
    (eval mode, no gradient), then trains the student for ``student_epochs``
    on the convex loss::

        alpha * teacher term + (1 - alpha) * true-label term

    where in every shuffled student batch a ``beta`` part keeps its true labels
    (true-label term) and the rest is labelled by the teacher (teacher term).
    Predictions are the student's. The teacher can also be trained fully
    first (``schedule="sequential"``), be an already fitted model
    (``FrozenEstimator``), or be several teachers whose predictions are fused.

    Parameters
    ----------
    teacher : None, torch.nn.Module subclass or instance, skorch.NeuralNet, \
            scikit-learn classifier, or list of these, default=None
        The teacher. None is a built-in :class:`~skdistill.modules.MLP` with
        hidden layers (256, 128) and dropout 0.1, trained by AdamW (lr 3e-3,
        weight decay 1e-2); these defaults were chosen on the 34 tasks of
        ``benchmarks/quality.py``. ``default_net("teacher")`` is the same as a
        skorch net whose parameters can be searched. A module class or
        instance gets AdamW (lr 1e-3, weight decay 1e-2). A skorch net keeps its own
        module, optimizer and learning rate, so nested parameters such as
        ``teacher__lr`` or ``teacher__module__hidden_units`` can be searched;
        its criterion, batch size, epochs, iterators, device and
        ``train_split`` are set by this estimator (a ``max_epochs``,
        ``batch_size`` or ``device`` set on the net, other than skorch's
        default and the fit's own, warns that it is not used), and settings
        that would be overridden or misread (``criterion__*``, a ``BCELoss``
        criterion, iterator settings but ``iterator_train__drop_last``,
        skorch's ``EarlyStopping`` callback) are refused before training (see
        the user guide). Where the module class takes ``input_dim``,
        ``output_dim``, ``sequence_length`` or ``alphabet_size``, they are
        filled in from the data (see ``sequence_shape_``). A module returns one
        logit per sample for two classes, of shape (n,) or (n, 1) (or two, of
        shape (n, 2)), and one logit per class for more: logits, not
        probabilities (a module ending in a softmax is refused).
        A scikit-learn classifier with ``predict_proba`` is cloned and fitted
        once on the rows of ``X`` the nets train on (all of them, or all but
        the validation part of early stopping), in the format ``X`` is given
        in (``teacher_epochs`` does not apply); wrap an
        already fitted one in :class:`sklearn.frozen.FrozenEstimator` to use it
        as it is (offline distillation): it is never refitted, not even by
        ``GridSearchCV``, and its predictions are computed once per fit.
        A list gives several teachers, fused by ``teacher_fusion``.
    student : None, torch.nn.Module subclass or instance, or skorch.NeuralNet, \
            default=None
        The student, built like a teacher net. None is an
        :class:`~skdistill.modules.MLP` with one hidden layer of 64 units
        trained by AdamW (lr 1e-2), about 5 times smaller than the default
        teacher on one-hot encoded sequence windows (39,105 against 189,185
        parameters on 609 features); ``default_net("student")`` is the same
        as a skorch net.
    alpha : float, default=0.5
        Weight in [0, 1] of the **teacher** term; ``1 - alpha`` weights the
        true-label term. (Some libraries weight the other way round.)
        ``alpha=0`` trains the student alone; ``alpha=1`` on the teacher's
        labels alone.
    beta : float, default=0.5
        Fraction in [0, 1] of each student batch that keeps its true labels;
        the rest is labelled by the teacher. It matters only for
        ``0 < alpha < 1``: with ``alpha=0`` every sample keeps its true label,
        with ``alpha=1`` every sample is labelled by the teacher.
    prior : float, "estimate" or prior estimator, default=0.0
        Class prior pi in [0, 0.999) of the PU risk: the fraction of positives
        hidden among the samples labelled negative (the unlabeled ones). 0
        trusts the negative labels; the risk is then the class-balanced
        risk re-weighted to ``target_prior``, stable on fully labelled,
        imbalanced data. Set it only for positive-unlabeled data: on fully
        labelled data a positive prior makes the non-negative correction fight
        any good model. "estimate" estimates it from out-of-fold scores of
        all training samples with :class:`~skdistill.pu.BestBinPriorEstimator`
        (LogisticRegression and, on dense input, gradient boosting; two
        classes only); an estimator with ``fit(X, y)`` that sets ``prior_``
        and with ``get_params`` (see :mod:`skdistill.pu`) is cloned and
        fitted on ``X`` and the encoded labels (1 for ``classes_[1]``).
        ``prior_`` holds the value used.
        Anything but 0 needs the PU risk: two classes, and ``true_label_loss``
        "pu" or "auto".
    target_prior : float, default=0.5
        Prior pi' in (0, 1) the imbalanced PU risk is re-weighted to: the
        positive share the classifier is trained for, and the one its
        probabilities refer to (0.5: balanced classes, a balanced 0.5
        threshold; the training data's share: probabilities at that share).
        Used only by the "pu" loss (a fit with cross-entropy warns where it is
        set): cross-entropy's probabilities refer to the training data's share.
    meta_epochs : int, default=200
        The most alternating teacher/student rounds (meta-epochs); early
        stopping usually ends training sooner. ``n_iter_`` says how many ran.
        Where early stopping is on and the rounds run out before it ends
        training, a ``ConvergenceWarning`` says so, as ``MLPClassifier``'s
        does at ``max_iter``.
    teacher_epochs : int, default=1
        Teacher epochs per meta-epoch.
    student_epochs : int, default=1
        Student epochs per meta-epoch.
    batch_size : int or "auto", default="auto"
        Training batch size of both nets. "auto" is ``n_train // 16`` within
        [16, 256]: data sets of 256 to 4,096 training rows get about 16
        optimizer steps per epoch instead of a handful, smaller ones batches
        of 16 rows, large ones batches of 256. A size larger
        than the training part ("auto" below 16 rows, or an int) is clipped
        to it, as ``MLPClassifier`` does
        (``batch_size_`` holds the value used).
    early_stopping : "auto" or bool, default="auto"
        Whether to hold out ``validation_fraction`` of the training data
        (stratified) and stop when the student's ROC AUC on it (one-vs-rest
        for more classes) has not improved by more than ``tol`` for
        ``n_iter_no_change`` meta-epochs in a row; where the AUC ties (an AUC
        of 1 cannot rise, and small parts give many ties), a class-balanced
        cross-entropy on that part lower by more than ``tol`` counts as an
        improvement. The student and every
        teacher net are then put back to the weights of their best
        meta-epoch on that part. "auto" enables it from 100 samples on, when
        the smaller part of the split would hold at least 2 samples of the
        rarest class before rounding (``min(validation_fraction, 1 -
        validation_fraction)`` times its count: 20 samples of it at the
        default 0.1); otherwise all ``meta_epochs`` are run on all the data.
        False gives a fixed schedule.
    validation_fraction : float, default=0.1
        Fraction in (0, 1) of the training data held out for early stopping;
        used only when early stopping is on (a fit without it warns where it
        is set).
    n_iter_no_change : int, default=10
        Meta-epochs without improvement that end training; used only when
        early stopping is on (a fit without it warns where it is set).
    tol : float, default=1e-4
        A gain in validation ROC AUC of more than ``tol`` is an improvement; where
        the AUC neither falls nor gains more than ``tol``, a drop in
        validation loss of more than ``tol`` counts instead. Used only when
        early stopping is on (a fit without it warns where it is set).
    true_label_loss : {"auto", "pu", "bce"}, default="auto"
        Loss on true labels, for the net teachers and the student (a
        scikit-learn teacher trains with its own loss). "pu" is the
        imbalanced non-negative PU risk (:class:`~skdistill.losses.ImbalancedNNPULoss`,
        two classes only); "bce" is (binary) cross-entropy; "auto" is "pu" for
        two classes and cross-entropy for more.
    pu_surrogate : {"logistic", "sigmoid"}, default="logistic"
        Surrogate loss inside the PU risk. The logistic loss (that of the
        cross-entropy) fits nonlinear data well; the bounded sigmoid loss of
        the nnPU papers is more robust to label noise but fits slowly (on the
        quality benchmark it lost 0.01 to 0.06 ROC AUC on the larger
        nonlinear sets), and it is not a proper loss: its probabilities rank
        but are not those of ``target_prior``. Used only by the "pu" loss (a
        fit with cross-entropy warns where it is set).
    distillation_loss : {"soft", "hard", "mse"}, default="soft"
        Teacher term: "soft" is per-sample cross-entropy against the teacher's
        probabilities at ``temperature``, scaled by ``temperature ** 2``;
        "hard" uses the teacher's predicted labels (classes tied for the
        largest logit share the target); "mse" compares logits
        (a scikit-learn teacher's, and a vote's, come from probabilities
        clipped to [1e-6, 1 - 1e-6]: log-odds of about +-13.8 for two
        classes, log probabilities of about -13.8 for more, where a teacher
        is sure; several teachers fused by "mean_proba" give the log-odds of
        their mean probability, infinite ones as +-13.8, or with more classes
        the log probabilities, floored at about -87 where every teacher rules
        a class out).
    temperature : float, default=1.0
        Softening temperature of the "soft" teacher term, from 0.01
        (``skdistill.losses.MIN_TEMPERATURE``: below it the term's gradient,
        which shrinks with the temperature, all but vanishes) to 1e18
        (``skdistill.losses.MAX_TEMPERATURE``, where the term, its square
        times a cross-entropy, is still a finite float32). Far above the 1 to
        20 of the literature, a float32 student learns from rounding noise
        (a 3-class student's accuracy fell from 0.8 at 1e4 to 0.6 at 1e8).
        The "hard" and "mse" terms use none: set away from 1 with them, it
        warns.
    schedule : {"online", "sequential"}, default="online"
        "online" alternates teacher and student rounds (the teacher keeps
        learning while the student follows it; early stopping watches the
        student). "sequential" trains the teachers for up to ``meta_epochs``
        rounds first (early stopping watching them; one round when no teacher
        is a net: scikit-learn teachers are fitted once), then the student for
        up to ``meta_epochs`` rounds against the final teachers (Hinton et al.
        2015).
    teacher_fusion : {"mean_proba", "mean_logits", "vote"}, default="mean_proba"
        How the predictions of several teachers become the student's targets:
        the mean of their probabilities, the mean of their logits, or the
        majority vote (hard targets). See :func:`skdistill.fusion.fuse_teacher_logits`.
    teacher_weights : array-like of shape (n_teachers,) or None, default=None
        Non-negative weight of each teacher in the fusion; None weighs them
        equally.
    bootstrap : bool, default=False
        If True, every teacher trained here (a net or an unfitted scikit-learn
        classifier) sees its own bootstrap sample of the training data, which
        makes an ensemble of teachers diverse. The sample is stratified (each
        class resampled within itself), so every teacher sees every class as
        often as the training data holds it, even a class of one sample.
    warm_start : bool, default=False
        If True and the estimator is fitted, ``fit`` trains on from the
        fitted student and teacher nets, for up to ``meta_epochs`` more
        meta-epochs, instead of building new ones; ``history_`` and
        ``n_iter_`` go on counting. The losses are built from the current
        parameters (``alpha``, ``beta``, ``prior``, ...), so a student first
        trained alone (``alpha=0``) can then be distilled; the fitted nets
        are not rebuilt from ``teacher`` and ``student`` (settings of the
        nets changed since, ``student__lr`` say, are not used), and their
        optimizers' state starts anew, as ``MLPClassifier``'s does (their
        learning rates go on where a scheduler left them). A fitted
        scikit-learn teacher is kept as it is, not refitted; where the
        previous fit had no teacher and this one calls for teachers, they are
        built new; a fit without a teacher term keeps the fitted teachers,
        untrained, for a later one, where ``teacher`` names as many. With
        early stopping the reused nets are scored on the held-out part
        before the first meta-epoch and kept unless one beats them: fit the
        same data with an int ``random_state`` so that this part is the one
        they were not trained on. The classes, the features
        (number and names), the device and the number of teachers must be
        those of the previous fit.
    device : str or torch.device, default="auto"
        "auto" is "cuda" when torch sees a GPU and "cpu" otherwise; or any
        torch device string. Where ``fit`` trains; a fitted model predicts on
        ``device_`` until the next fit, whatever ``device`` says now (to move
        it, :func:`~skdistill.save` it and :func:`~skdistill.load` it with
        ``device=``).
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, batch order, the validation
        split, the bootstrap samples and every ``random_state`` of a
        scikit-learn teacher (or of its nested estimators) left at None; a
        teacher's ``random_state`` fixed by the user is kept. A module passed
        as an instance starts from the weights it holds (drawn when it was
        built, or pretrained): pass its class, or build it after
        ``torch.manual_seed``, for repeatable fits. An int gives identical
        results on CPU for identical inputs (the same rows in the same
        order) and the same number of torch threads (another count sums
        floats in another order, and a long training carries the
        difference into the third decimal), for every kind of teacher and
        prior estimator (those drawing from torch's or NumPy's global
        generators too; Python's ``random`` module is not seeded), and
        leaves the caller's global torch and NumPy random states untouched
        (None draws the fit's seed from NumPy's global state, as
        scikit-learn does). Training draws from torch's
        process-wide generators, so fits in threads of one process (joblib's
        threading backend) train one at a time; processes (joblib's default)
        run in parallel. A scikit-learn teacher or prior estimator fits with
        the generators lent to the other threads (it may fit skdistill
        estimators in threads of its own), so one that draws from the global
        generators (one without a ``random_state``, such as a skorch net)
        does not repeat exactly under the threading backend: use processes.
        So does a fit while code of another thread draws from those
        generators (it draws from the fit's stream), and torch's default
        dtype is float32 in every thread while a fit runs (see the user
        guide): serve and train in separate processes.
    verbose : int, default=0
        0 is silent; 1 or more shows a progress bar over meta-epochs on
        standard error, with the last round's losses and scores, removed when
        ``fit`` ends (``history_`` keeps them all).
    trackers : :class:`~skdistill.tracking.Tracker`, list or tuple of them, or None, \
            default=None
        Experiment trackers (:class:`~skdistill.tracking.MlflowTracker`,
        :class:`~skdistill.tracking.TensorBoardTracker`,
        :class:`~skdistill.tracking.WandbTracker`): every fit is logged as one
        run per tracker, with the parameters, the ``history_`` fields per
        meta-epoch under the names ``teacher/loss``, ``student/loss``,
        ``teacher/valid_auc``, ``student/valid_auc``, ``teacher/valid_loss``
        and ``student/valid_loss`` (the last four with early stopping), and the fitted
        estimator (saved by :func:`skdistill.save`). Trackers hold settings
        only, so the estimator stays cloneable, and every fit of a search
        logs its own run.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels. With two classes the positive class (the one the PU risk
        and ``predict_proba[:, 1]`` refer to) is ``classes_[1]``, the later one
        in sorted order: with labels "neg"/"pos" it is "pos", with 0/1 it is 1.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit; only defined for pandas input with
        string column names.
    prior_ : float
        The class prior used by the PU risk: ``prior``, or its estimate.
    device_ : torch.device
        Device the nets were trained on, and predict on.
    teacher_ : skorch.NeuralNet, scikit-learn classifier or None
        The fitted teacher when ``teacher`` is not a list; None when
        ``alpha == 0``, or ``beta == 1`` with ``alpha < 1``, where the teacher
        term is empty and the student is trained alone (but for a warm fit,
        which keeps the teachers of the fit before, untrained, where
        ``teacher`` names as many).
    teachers_ : list
        All fitted teachers, in the order given; empty when no teacher is used
        (as for ``teacher_``).
    sequence_shape_ : tuple of int or None
        ``(sequence_length, alphabet_size)`` filled into sequence modules,
        read from feature names such as ``pos3_K`` (pandas input) or else from
        the position-major one-hot layout of ``X``; None when no module asked
        for it.
    student_ : skorch.NeuralNet
        The fitted student, used for prediction. Its skorch methods read a
        float32 array as the module's input: ``student_.forward(X)``, and
        ``predict_proba``, give the module's logits, not probabilities
        (``decision_function``'s where the classifier places no columns for
        a sequence module, ``_layout.columns`` None; where it does, they
        read the columns unplaced: use ``decision_function``). A fitted
        network teacher's likewise. Refitting them alone is not supported
        (their criterion reads the distillation's targets).
    n_iter_ : int
        Meta-epochs the student was trained for (at most ``meta_epochs``; with
        ``warm_start``, in all fits since the last cold one).
    best_meta_epoch_ : int or None
        The meta-epoch (``history_[best_meta_epoch_ - 1]``) whose student
        weights the estimator kept: with early stopping, the best on the
        held-out part; without, the last complete one. After a warm fit that
        no meta-epoch beat, the earlier fit's (None where that fit was loaded
        from a file written before skdistill 0.2, which lacks the attribute).
    batch_size_ : int
        The training batch size used.
    history_ : list of dict
        One dict per meta-epoch with ``meta_epoch``, ``teacher_loss`` and
        ``student_loss`` (mean training loss of the net's last epoch, averaged
        over teacher nets) and, with early stopping, ``teacher_valid_auc`` and
        ``student_valid_auc`` (ROC AUC on the held-out part) with
        ``teacher_valid_loss`` and ``student_valid_loss`` (class-balanced
        cross-entropy there, which breaks ties of the AUC). Teacher entries
        are absent when no teacher is trained. With ``schedule="sequential"``
        record ``i`` holds the teachers after their round ``i`` and the student
        after its round ``i``, a warm fit's rounds included: where the fit
        before stopped its teachers earlier than its student, the warm fit's
        teacher rounds join records that hold the student's earlier rounds.

    See Also
    --------
    skdistill.losses.ImbalancedNNPULoss : The true-label risk.
    skdistill.losses.DistillationLoss : The student's loss.

    Notes
    -----
    Ctrl-C (KeyboardInterrupt) during ``fit`` ends training after the last
    complete meta-epoch with a :class:`FitInterruptedWarning`: the estimator is
    fitted with the nets of its best (early stopping) or last complete
    meta-epoch, and ``history_`` and ``n_iter_`` describe exactly those
    meta-epochs; where that warning is an error, the KeyboardInterrupt
    propagates and the estimator is left as it was. One after the last
    meta-epoch waits for the nets to be put back and checked, and is taken
    the same way (a second one aborts). An interrupt before the first
    complete meta-epoch propagates and leaves the estimator as it was.
    Training stops with a ``FloatingPointError`` when a loss, a logit or a
    tensor of a net's optimizer state becomes inf or NaN.

    References
    ----------
    Hinton, Vinyals & Dean, "Distilling the Knowledge in a Neural Network", 2015.
    Kiryo et al., "Positive-Unlabeled Learning with Non-Negative Risk
    Estimator", NeurIPS 2017.
    Su, Chen & Xu, "Positive-Unlabeled Learning from Imbalanced Data", IJCAI 2021.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skdistill import DistilledClassifier
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> clf = DistilledClassifier(meta_epochs=3, random_state=0).fit(X, y)
    >>> clf.n_iter_
    3
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints = {
        "teacher": _NET_SPECS + [list, _ESTIMATOR_SPEC],
        "student": _NET_SPECS,
        "alpha": [NumberInterval(Real, 0, 1, closed="both")],
        "beta": [NumberInterval(Real, 0, 1, closed="both")],
        "prior": [NumberInterval(Real, 0, 1, closed="left"), StrOptions({"estimate"}),
                  HasMethods(["fit", "get_params"])],
        "target_prior": [NumberInterval(Real, 0, 1, closed="neither")],
        "meta_epochs": [NumberInterval(Integral, 1, None, closed="left")],
        "teacher_epochs": [NumberInterval(Integral, 1, None, closed="left")],
        "student_epochs": [NumberInterval(Integral, 1, None, closed="left")],
        "batch_size": [NumberInterval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "early_stopping": [StrOptions({"auto"}), "boolean"],
        "validation_fraction": [NumberInterval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [NumberInterval(Integral, 1, None, closed="left")],
        "tol": [NumberInterval(Real, 0, None, closed="left")],
        "true_label_loss": [StrOptions({"auto", "pu", "bce"})],
        "pu_surrogate": [StrOptions(set(SURROGATE_LOSSES))],
        "distillation_loss": [StrOptions(set(DISTILLATION_LOSSES))],
        "temperature": [NumberInterval(Real, MIN_TEMPERATURE, MAX_TEMPERATURE, closed="both")],
        "schedule": [StrOptions({"online", "sequential"})],
        "teacher_fusion": [StrOptions(set(FUSION_RULES))],
        "teacher_weights": [None, "array-like"],
        "bootstrap": ["boolean"],
        "warm_start": ["boolean"],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "trackers": [None, list, tuple, Tracker],
    }

    def __init__(
        self,
        teacher=None,
        student=None,
        alpha=0.5,
        beta=0.5,
        prior=0.0,
        target_prior=0.5,
        meta_epochs=200,
        teacher_epochs=1,
        student_epochs=1,
        batch_size="auto",
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        true_label_loss="auto",
        pu_surrogate="logistic",
        distillation_loss="soft",
        temperature=1.0,
        schedule="online",
        teacher_fusion="mean_proba",
        teacher_weights=None,
        bootstrap=False,
        warm_start=False,
        device="auto",
        random_state=None,
        verbose=0,
        trackers=None,
    ):
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.beta = beta
        self.prior = prior
        self.target_prior = target_prior
        self.meta_epochs = meta_epochs
        self.teacher_epochs = teacher_epochs
        self.student_epochs = student_epochs
        self.batch_size = batch_size
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.true_label_loss = true_label_loss
        self.pu_surrogate = pu_surrogate
        self.distillation_loss = distillation_loss
        self.temperature = temperature
        self.schedule = schedule
        self.teacher_fusion = teacher_fusion
        self.teacher_weights = teacher_weights
        self.bootstrap = bootstrap
        self.warm_start = warm_start
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.trackers = trackers

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The nets take sparse input; a scikit-learn teacher gets X as given.
        tags.input_tags.sparse = all(
            _takes_sparse_input(spec) for _, spec in self._estimator_teachers()
        )
        tags.classifier_tags.multi_class = (
            self.true_label_loss != "pu" and not self._sets_a_prior()
        )
        return tags

    def set_params(self, **params):
        """Set the parameters of this estimator and of its teacher or student.

        Nested parameters (``student__lr``, ``teacher__C``, ``prior__cv``)
        need a teacher, student or prior that has parameters: a skorch net,
        a scikit-learn classifier or a prior estimator. To search those of a
        default net, pass it as one first: ``student=default_net("student")``,
        or ``default_net("student", module=CNN)`` for a module of one's own
        (see :func:`~skdistill.default_net`).

        Parameters
        ----------
        **params : dict
            Estimator parameters, nested ones as ``<component>__<parameter>``.

        Returns
        -------
        self : DistilledClassifier
        """
        for key in params:
            role, nested, _ = key.partition("__")
            if not nested or role not in ("teacher", "student", "prior"):
                continue
            spec = params.get(role, getattr(self, role))
            if role == "prior" and not hasattr(spec, "set_params"):
                raise ValueError(
                    f"{key} sets a parameter of the prior estimator, but prior={spec!r} is "
                    "no estimator: pass one, e.g. prior=skdistill.pu.BestBinPriorEstimator() "
                    "(what prior='estimate' runs)."
                )
            if isinstance(spec, list):
                raise ValueError(
                    f"{key} sets a parameter of the {role}, but {role} is a list of "
                    f"{len(spec)}, whose members have no names to address: search over "
                    f"whole lists instead, e.g. {{'{role}': [[net_a, net_b], [net_a, net_c]]}}."
                )
            if not hasattr(spec, "set_params"):
                given, net = repr(spec), f"skdistill.default_net({role!r}) for the default one"
                if isinstance(spec, nn.Module):  # its repr spans lines; its settings are set
                    given = f"{type(spec).__name__}(...)"
                    net = (f"skdistill.default_net({role!r}, module={type(spec).__name__}), "
                           f"the class, whose arguments are then {role}__module__<name>")
                elif is_module(spec):
                    net = (f"skdistill.default_net({role!r}, module={spec.__name__}), which "
                           f"trains as {role}={spec.__name__} does")
                    given = spec.__name__
                raise ValueError(
                    f"{key} sets a parameter of the {role}, but {role}={given} has no "
                    f"parameters to set: pass a skorch net, e.g. {role}={net}."
                )
        return super().set_params(**params)

    def get_metadata_routing(self):
        """How ``fit`` routes metadata to scikit-learn teachers.

        The classifier consumes ``sample_weight`` itself (its nets' losses)
        and, with ``sklearn.set_config(enable_metadata_routing=True)``, routes
        to every scikit-learn teacher it fits what that teacher requests
        (``set_fit_request``), under the name ``"teacher"`` (or
        ``"teacher[i]"`` in a list). A fit that fits no teacher (``alpha=0``,
        a warm start keeping the fitted ones) leaves their metadata unused.

        Returns
        -------
        routing : sklearn.utils.metadata_routing.MetadataRouter
        """
        return self._teacher_router(self)

    def _teacher_router(self, request):
        """A MetadataRouter to the scikit-learn teachers, ``request`` (an estimator
        or a MetadataRequest) being the classifier's own."""
        router = MetadataRouter(owner=self.__class__.__name__).add_self_request(request)
        for name, spec in self._estimator_teachers():
            if not isinstance(spec, FrozenEstimator):
                router.add(**{name: spec},
                           method_mapping=MethodMapping().add(caller="fit", callee="fit"))
        return router

    def _teacher_list(self):
        """``teacher`` as a list: one spec, or the list given."""
        return self.teacher if isinstance(self.teacher, list) else [self.teacher]

    def _estimator_teachers(self):
        """The scikit-learn classifiers among the teachers, with their names."""
        specs = self._teacher_list()
        return [(name, spec) for name, spec in zip(_teacher_names(len(specs)), specs)
                if kind_of(spec) == ESTIMATOR]

    def _sets_a_prior(self):
        """Whether ``prior`` asks for a PU risk (a number other than 0, "estimate"
        or an estimator), which only two classes have."""
        return not (isinstance(self.prior, Real) and self.prior == 0)

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Train the teachers and the student on ``X``, ``y``.

        Everything is checked before training starts, and the fitted
        attributes are set together at the end: a fit that fails leaves the
        estimator as it was.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Numeric features: NumPy, pandas or scipy.sparse (densified one
            batch at a time). Scikit-learn teachers receive ``X`` in the format
            it is given in (its training rows, as the nets do).
        y : array-like of shape (n_samples,)
            Class labels of one type (ints, strings, bools).
        sample_weight : array-like of shape (n_samples,) or None, default=None
            Non-negative weights. Every mean of every loss, of teachers and
            student alike, becomes a weighted mean (the PU risk's means over
            positives and over unlabeled samples too, so the true-label
            term's class balance stays that of ``target_prior``, while the
            teacher term follows the weights: a booster such as
            ``AdaBoostClassifier``, which moves weight between the classes,
            needs ``true_label_loss="bce"``); the held-out ROC AUC and loss of
            early stopping are weighted; scikit-learn teachers get them in
            ``fit`` (without metadata routing, one that does not take them
            is an error; with it, each teacher gets what it requests), bootstrap
            samples keep each sample's weight. Samples of weight 0 are left
            out, as if absent (the split for early stopping and the prior's
            estimate too); beyond that, ``prior="estimate"`` does not use the
            weights. None weighs every sample alike. With metadata routing,
            ``set_fit_request(sample_weight=...)`` says what a caller (a
            Pipeline, a search) passes here, and weights passed are used, even
            with ``False``, which a caller overrides where a teacher requests
            them: to weigh a scikit-learn teacher alone, fit it yourself and
            pass it wrapped in ``FrozenEstimator``.
        **fit_params : dict
            Metadata for the scikit-learn teachers' ``fit`` (``groups`` for a
            ``GridSearchCV`` teacher, say), only with metadata routing enabled
            (see :meth:`get_metadata_routing`). Each teacher gets what it
            requests; routed, ``sample_weight`` reaches the teachers that
            request it and no other.

        Returns
        -------
        self : DistilledClassifier

        Raises
        ------
        ValueError
            If a parameter, the data or the weights are not valid (the message
            names which), or metadata is given without metadata routing.
        TypeError
            With metadata routing, if metadata is given that no teacher
            requests; scikit-learn's ``UnsetMetadataPassedError`` if a fitted
            teacher has not said whether it requests it.
        """
        self._validate_params()
        teacher_specs = self._teacher_specs()
        routing = _routing_enabled()
        if not routing:
            _raise_for_params(fit_params, self, "fit")
        spec_kind(self.student, "student", estimators=False)
        tracking = TrackingSession(self.trackers)
        device = resolve_device(self.device)
        rng = check_random_state(self.random_state)

        # validate_data records n_features_in_ and feature_names_in_ on its
        # estimator: a copy keeps self untouched until training has succeeded.
        validated = copy.copy(self)
        X_given = X
        y = check_labels(y)
        X, y = validate_features(validated, X, y)
        classes, y_encoded = _encode_labels(y)
        sample_weight_given = sample_weight
        sample_weight = _check_weights(sample_weight, X, y_encoded, classes)
        binary = len(classes) == 2
        loss_name = self.true_label_loss
        if loss_name == "auto":
            loss_name = "pu" if binary else "bce"
        if self._sets_a_prior():
            _check_pu_risk_used(self.prior, loss_name, len(classes))
            _check_pu_labels(classes, y_encoded, sample_weight)
        if loss_name != "pu":
            _warn_of_unused_pu_settings(self, len(classes))
        _warn_of_an_unused_temperature(self.distillation_loss, self.temperature)
        feature_names = getattr(validated, "feature_names_in_", None)
        warm = self._warm_start_from(classes, validated.n_features_in_, feature_names,
                                     device, len(teacher_specs))
        reuse_teachers = warm and bool(teacher_specs) and bool(self._teacher_ensemble.teachers)
        net_settings = {"student": _spec_settings(self.student, DEFAULT_STUDENT),
                        "teacher": _spec_settings(self.teacher, DEFAULT_TEACHER)}
        # a warm fit without a teacher term keeps the fitted teachers for a later one,
        # where ``teacher`` names as many (the later one would refuse others)
        keep_teachers = (warm and not teacher_specs and bool(self._teacher_ensemble.teachers)
                         and len(self._teacher_ensemble.teachers) == len(self._teacher_list()))
        unused_settings = []
        # absent from models loaded from files written before it existed
        previous = getattr(self, "_net_settings", None) if warm else None
        if previous is not None:
            kept = {"student": previous["student"],
                    "teacher": previous["teacher"] if reuse_teachers or keep_teachers
                    else net_settings["teacher"]}
            unused_settings = _warn_of_unused_settings(kept, net_settings)
            net_settings = kept
        if reuse_teachers:
            _warn_of_replaced_frozen_teachers(teacher_specs, self._teacher_ensemble.teachers,
                                              settings_compared=previous is not None)
        if self._sets_a_prior():
            # a warm start keeps the teachers it fitted, whatever ``teacher`` says now
            used = teacher_specs if not reuse_teachers else [
                (kept.estimator, NET if kept.trains_in_rounds else ESTIMATOR)
                for kept in self._teacher_ensemble.teachers
            ]
            _warn_if_teachers_ignore_the_prior(used, self.teacher_weights, self.alpha)
        new_nets = [] if warm else [(self.student, DEFAULT_STUDENT, "student")]
        if not reuse_teachers:
            new_nets += [(spec, DEFAULT_TEACHER, "teacher")
                         for spec, kind in teacher_specs if kind == NET]
        layout = self._layout_for(X, feature_names, new_nets, warm)
        X_nets = X if layout is None else layout.transform(X)
        fits_teachers = bool(teacher_specs) and not reuse_teachers
        # A fit consumes the weights given to it, whatever the request a caller
        # routes by (set_fit_request(sample_weight=False) failed every fit)
        router = self._teacher_router(_consumer_of_its_weights()) if routing else None
        given = fit_params if sample_weight is None else {**fit_params,
                                                          "sample_weight": sample_weight}
        routed = process_routing(router, "fit", **given) if routing and fits_teachers else None
        if routing and not fits_teachers:
            # Metadata a teacher requests is left unused; anything else (a
            # misspelt name) is an error still.
            _check_requested(router, fit_params)
        if sample_weight is not None and not reuse_teachers and not routing:
            _check_teachers_take_weights(teacher_specs)
        X_raw = _input_for_estimators(X_given)
        # Samples of weight 0 are absent, as in scikit-learn (BaggingClassifier
        # passes its bootstrap as weights).
        present = (
            None if sample_weight is None or sample_weight.all()
            else np.flatnonzero(sample_weight)
        )
        # Drawn before the split, so that the estimate does not depend on it.
        prior_estimator = self._prior_estimator(rng)
        prior_seed = None if prior_estimator is None else draw_seed(rng)
        train, valid = self._parts(
            X_raw, X_nets, y_encoded, classes, sample_weight, present, device, rng
        )
        batch_size = self._batch_size(len(train.y))
        _warn_if_a_term_is_empty(self._effective_beta(), batch_size)
        seed = draw_seed(rng)
        prior = self._resolve_prior(
            prior_estimator,
            X_raw if present is None else _safe_indexing(X_raw, present),
            y_encoded if present is None else y_encoded[present], prior_seed, device,
        )
        true_label_loss = make_true_label_loss(
            loss_name, len(classes), prior=prior, target_prior=self.target_prior,
            surrogate=self.pu_surrogate,
            positive_share=_positive_share(train.y, train.sample_weight),
        )
        common = {
            "batch_size": batch_size,
            "device": device,
            "module_dims": _module_dims(X_nets.shape[1], len(classes), layout),
        }
        student_criterion = StudentCriterion(
            DistillationLoss(self.alpha, true_label_loss, self.distillation_loss,
                             self.temperature),
            self._effective_beta(),
        )
        # Weight initialisation, dropout and batch order draw from torch's
        # global generator, teachers without a seed from NumPy's: seed both,
        # and give the caller's states back after.
        with seeded_global_generators(seed, device):
            if warm:
                student = rewire_net(self.student_, role="student", criterion=student_criterion,
                                     max_epochs=self.student_epochs, batch_size=batch_size)
            else:
                student = build_net(self.student, DEFAULT_STUDENT, role="student",
                                    criterion=student_criterion,
                                    max_epochs=self.student_epochs, **common)
                check_output_shape(student, train.data, len(classes), "student")
            teachers = self._teachers(
                teacher_specs, reuse_teachers, true_label_loss, common, train, classes, rng,
                _teacher_fit_params(routed, sample_weight_given, sample_weight,
                                    len(teacher_specs)),
            )
            ensemble = TeacherEnsemble(teachers, self.teacher_fusion, self.teacher_weights)
            warm_roles = ({"student"} if warm else set()) | (
                {"teachers"} if reuse_teachers else set())
            run = DistillationRun(
                ensemble, student, train, valid, schedule=self.schedule,
                max_rounds=self.meta_epochs, n_iter_no_change=self.n_iter_no_change,
                tol=self.tol, binary=binary, verbose=self.verbose,
                on_round=tracking.log_round, warm_roles=warm_roles,
                earlier_history=self.history_ if warm else (),
            )
            with tracking.started(self, unused_settings):
                result = run.run()
        history, n_iter, best_record = result.history, result.n_iter, result.best_record
        if warm:
            n_iter += self.n_iter_
        if best_record is None:  # a warm start that no round beat
            best_record = getattr(self, "best_meta_epoch_", None)

        if keep_teachers:
            ensemble = TeacherEnsemble(self._teacher_ensemble.teachers, self.teacher_fusion,
                                       self.teacher_weights)
        fitted = {
            "classes_": classes,
            "n_features_in_": validated.n_features_in_,
            "prior_": prior,
            "device_": device,
            "batch_size_": batch_size,
            "sequence_shape_": None if layout is None else layout.shape,
            "student_": student,
            "teachers_": [teacher.estimator for teacher in ensemble.teachers],
            "history_": history,
            "n_iter_": n_iter,
            "best_meta_epoch_": best_record,
            "_layout": layout,
            "_teacher_ensemble": ensemble,
            "_net_settings": net_settings,
        }
        fitted["teacher_"] = (
            fitted["teachers_"][0]
            if fitted["teachers_"] and not isinstance(self.teacher, list) else None
        )
        if feature_names is not None:
            fitted["feature_names_in_"] = feature_names
        # the trackers log the fitted estimator before self takes it: a fit that
        # raises there (a warning turned into an error) leaves self as it was
        logged = copy.copy(self)
        logged._set_fitted(fitted)
        tracking.finish(logged, result.interrupted)
        self._set_fitted(fitted)
        return self

    def __setstate__(self, state):
        super().__setstate__(state)
        # skorch's nets unpickle onto the CPU where CUDA is missing (with a
        # warning); the device the estimator feeds them follows.
        device = getattr(self, "device_", None)
        if device is not None and device.type == "cuda" and not torch.cuda.is_available():
            self.device_ = torch.device("cpu")

    def _set_fitted(self, fitted):
        """Replace every fitted attribute of an earlier fit by ``fitted``, in one
        assignment of the instance's dict: a prediction in another thread meets
        the earlier fit's attributes or the new ones, never a dict changing under
        it (deleting them one by one gave it NotFittedError, and
        ``check_is_fitted``'s loop "dictionary changed size during iteration")."""
        kept = {name: value for name, value in vars(self).items()
                if not name.endswith("_") or name.startswith("__")}
        self.__dict__ = {**kept, **fitted}

    def _prior_estimator(self, rng):
        """The unfitted prior estimator of ``prior``, each ``random_state`` left at
        None seeded from ``rng``; None for a number."""
        if isinstance(self.prior, Real):
            return None
        if isinstance(self.prior, type):  # it has fit, but clone cannot copy a class
            raise TypeError(
                f"prior={self.prior.__name__} is a class; pass an instance, e.g. "
                f"prior={self.prior.__name__}()."
            )
        estimator = (
            DEFAULT_PRIOR_ESTIMATOR() if isinstance(self.prior, str) else clone(self.prior)
        )
        seeded = seed_unset_random_states(clone(estimator), rng)
        if hasattr(seeded, "_parameter_constraints") and callable(
                getattr(seeded, "_validate_params", None)):
            try:
                seeded._validate_params()
            except InvalidParameterError as error:
                estimator._validate_params()  # the same refusal, showing the settings given
                raise InvalidParameterError(
                    f"{error} DistilledClassifier gave the prior estimator's unset "
                    "random_state a seed of its own draw: give it one the estimator takes."
                ) from error
        return seeded

    def _resolve_prior(self, estimator, X_raw, y_encoded, seed, device):
        """The prior of the PU risk: the number given, or ``estimator``'s estimate
        on all training samples from held-out scores (never from the nets' fit),
        with torch's and NumPy's global generators seeded by ``seed`` (lent out,
        as to a scikit-learn teacher: its scorer may fit in threads)."""
        if estimator is None:
            return _check_given_prior(self.prior)
        # _check_pu_labels has decided on the samples of non-zero weight, naming the
        # user's label
        with labels_checked(), seeded_global_generators(seed, device), generators_lent_out():
            return _checked_prior(estimator, X_raw, y_encoded, named=(
                f"{DEFAULT_PRIOR_ESTIMATOR.__name__}() (prior='estimate')"
                if isinstance(self.prior, str) else repr(self.prior)))

    def _effective_beta(self):
        """``beta`` where both terms count: alpha=0 keeps every true label,
        alpha=1 gives every sample to the teacher."""
        if self.alpha == 0:
            return 1.0
        if self.alpha == 1:
            return 0.0
        return self.beta

    def _teacher_specs(self):
        """The teachers to use with their kinds, checked; none when the
        teacher term is empty."""
        specs = self._teacher_list()
        if not specs:
            raise ValueError("teacher is an empty list; give at least one teacher.")
        kinds = [spec_kind(spec, name) for spec, name in zip(specs, _teacher_names(len(specs)))]
        check_teacher_weights(self.teacher_weights, len(specs), "teacher_weights")
        if self._effective_beta() == 1:
            return []
        return list(zip(specs, kinds))

    def _validation_fraction(self):
        """``validation_fraction`` as the float it shows: NumPy's float32 0.1 is
        0.10000000149, which held out 5 of 40 samples, not 4 (and
        train_test_split refuses a float32)."""
        return float(str(self.validation_fraction))

    def _early_stopping(self, y_encoded):
        if self.early_stopping == "auto":
            fraction = self._validation_fraction()
            smaller_part = min(fraction, 1 - fraction)
            return (
                len(y_encoded) >= EARLY_STOPPING_MIN_SAMPLES
                # 1 - 0.9 is 0.09999999999999998: the rule is symmetric in the fraction
                and np.bincount(y_encoded).min() * smaller_part
                >= EARLY_STOPPING_MIN_PER_CLASS - 1e-9
            )
        return bool(self.early_stopping)

    def _batch_size(self, n_train):
        if self.batch_size != "auto":
            return min(self.batch_size, n_train)
        low, high = AUTO_BATCH_BOUNDS
        return min(int(np.clip(n_train // AUTO_BATCHES_PER_EPOCH, low, high)), n_train)

    def _parts(self, X_raw, X_nets, y_encoded, classes, sample_weight, rows, device, rng):
        """The training part and, with early stopping, the validation part, of
        ``rows`` (None: all); whether to stop early depends on those rows only."""
        data = TensorData(X_nets, device=device)
        y_kept = y_encoded if rows is None else y_encoded[rows]
        if not self._early_stopping(y_kept):
            _warn_of_unused_early_stopping_settings(self, len(y_kept), rows is not None)
            return _part("train", X_raw, data, y_encoded, rows, classes, sample_weight), None
        fraction = self._validation_fraction()
        try:
            train_rows, valid_rows = train_test_split(
                np.arange(len(y_encoded)) if rows is None else rows,
                # the labels, in the order of their codes: the same split, and an
                # error naming the user's classes
                test_size=fraction, stratify=classes[y_kept], random_state=rng,
            )
        except ValueError as error:  # too few samples of a class for a stratified split
            raise ValueError(
                f"Early stopping cannot hold out a stratified validation part "
                f"(validation_fraction={fraction}) of {len(y_kept)} "
                f"samples{'' if rows is None else ' of non-zero weight'}: "
                f"{str(error).rstrip('.')}. "
                f"{_split_advice(y_kept, classes, fraction)}"
            ) from None
        for name, part_rows, direction in (
            ("validation", valid_rows, "raise"), ("training", train_rows, "lower"),
        ):
            weightless = _weightless_classes(
                y_encoded[part_rows],
                None if sample_weight is None else sample_weight[part_rows], classes,
            )
            if weightless:
                raise ValueError(
                    f"The {name} part of early stopping ({len(part_rows)} samples, "
                    f"validation_fraction={fraction}) holds no sample of "
                    f"the class(es) {weightless}; {direction} validation_fraction or set "
                    "early_stopping=False."
                )
        # the nets train on the training part, scaled by its own largest weight
        faint = [] if sample_weight is None else _faint_classes(
            y_encoded[train_rows], sample_weight[train_rows], classes
        )
        if faint:
            raise ValueError(
                f"The training part of early stopping ({len(train_rows)} samples, the "
                f"larger weights held out) gives the class(es) {faint} {_FAINT}"
            )
        return (
            _part("train", X_raw, data, y_encoded, train_rows, classes, sample_weight),
            _part("valid", X_raw, data, y_encoded, valid_rows, classes, sample_weight),
        )

    def _warm_start_from(self, classes, n_features, feature_names, device, n_teachers):
        """Whether this fit trains on from the nets of the previous one
        (``warm_start``); a ValueError where they do not fit this fit."""
        if not (self.warm_start and hasattr(self, "student_")):
            return False
        before = len(self._teacher_ensemble.teachers)
        previous_names = getattr(self, "feature_names_in_", None)
        checks = [
            ("classes", self.classes_.tolist(), classes.tolist()),
            ("number of features", self.n_features_in_, n_features),
            ("feature names", previous_names if previous_names is None
             else previous_names.tolist(),
             feature_names if feature_names is None else feature_names.tolist()),
            ("device", _device_name(self.device_), _device_name(device)),
        ]
        if before and n_teachers:
            checks.append(("number of teachers", before, n_teachers))
        for what, previous, now in checks:
            if previous != now:
                raise ValueError(
                    f"warm_start=True trains on from the nets of the previous fit, which "
                    f"do not suit this one: {what} {previous} before, {now} now. Set "
                    "warm_start=False to start anew."
                )
        return True

    def _layout_for(self, X, feature_names, new_nets, warm):
        """The nets' sequence layout: a warm fit's nets keep the previous one;
        otherwise found where a new net reads sequences; None for flat input.
        A new net's sequence shape given by the user must not contradict it,
        or the input's feature names or one-hot values."""
        layout = self._layout if warm else None
        # find_layout reads every value of X: looked for once, for both uses
        found, searched = layout, layout is not None
        if not searched and any(wants_sequence_shape(spec, default)
                                for spec, default, _ in new_nets):
            layout = found = find_layout(X, feature_names)
            searched = True
            if (doubt := doubt_of_values_layout(X, feature_names, layout)) is not None:
                warnings.warn(
                    f"The input's one-hot values give {layout.length} positions of "
                    f"{layout.alphabet_size} letters, but {doubt}: other one-hot columns "
                    "beside a sequence's (a ColumnTransformer's) fit such blocks by "
                    "chance, and a sequence net would read them as letters. Give the "
                    "shape (sequence_length, alphabet_size) or feature names "
                    "(set_output(transform='pandas')); sequences masked with many unknown "
                    "letters may read so rightly.",
                    SequenceShapeWarning, stacklevel=user_stacklevel(),
                )
            if warm and layout is not None and layout.columns is not None:
                raise ValueError(
                    "warm_start=True: the new teachers read the features in another "
                    "column order than the previous fit's nets; set warm_start=False to "
                    "start anew."
                )
        n_features = X.shape[1] if layout is None else layout.length * layout.alphabet_size
        for spec, _, role in new_nets:
            shape = given_sequence_shape(spec, n_features)
            if shape is None:
                continue
            if not searched:
                found, searched = find_layout(X, feature_names), True
            problem, from_names = shape_contradiction(X, feature_names, shape, found,
                                                      placed=layout is not None)
            if problem is None:
                continue
            message = (
                f"The {role}'s sequence module was given {shape[0]} positions of "
                f"{shape[1]} letters, but {problem}: it would read parts of letters. "
                "Leave sequence_length and alphabet_size unset: DistilledClassifier "
                "fills them in from the input's layout."
            )
            if from_names:
                raise ValueError(message)
            warnings.warn(
                f"{message} (Read from the values alone, which ambiguity codes beside "
                "positions of no letter can mimic: a SequenceShapeWarning, an error with "
                "feature names of positions or with warnings.simplefilter('error', "
                "SequenceShapeWarning).)",
                SequenceShapeWarning, stacklevel=user_stacklevel(),
            )
        return layout

    def _teachers(self, teacher_specs, reuse, true_label_loss, common, train, classes, rng,
                  fit_params):
        """This fit's teachers: those of the previous fit (``reuse``, a warm start
        from a fit that had some) or new ones, scikit-learn ones fitted with their
        ``fit_params``; none when the teacher term is empty."""
        if not teacher_specs:
            return []
        if reuse:
            return [
                self._warm_teacher(teacher, TrueLabelCriterion(true_label_loss),
                                   common["batch_size"], train, rng)
                for teacher in self._teacher_ensemble.teachers
            ]
        roles = _teacher_names(len(teacher_specs))
        return [
            self._make_teacher(spec, kind, TrueLabelCriterion(true_label_loss), common,
                               train, classes, rng, params, role)
            for (spec, kind), params, role in zip(teacher_specs, fit_params, roles)
        ]

    def _warm_teacher(self, teacher, criterion, batch_size, train, rng):
        """A teacher of the previous fit, ready to train on (a net) or kept as
        it is (a fitted scikit-learn classifier)."""
        if isinstance(teacher, EstimatorTeacher):
            return EstimatorTeacher(teacher.estimator, teacher.classes, fitted=True,
                                    role=teacher.role)
        sample = stratified_bootstrap(train.y, rng) if self.bootstrap else None
        net = rewire_net(teacher.estimator, role=teacher.role, criterion=criterion,
                         max_epochs=self.teacher_epochs, batch_size=batch_size)
        return NetTeacher(net, teacher.binary, sample, teacher.role)

    def _make_teacher(self, spec, kind, criterion, common, train, classes, rng, fit_params,
                      role):
        sample = stratified_bootstrap(train.y, rng) if self.bootstrap else None
        if kind == ESTIMATOR:
            if not isinstance(spec, FrozenEstimator):
                spec = seed_unset_random_states(clone(spec), rng)
            return EstimatorTeacher(spec, classes, sample, fit_params=fit_params, role=role)
        net = build_net(
            spec, DEFAULT_TEACHER, role=role, criterion=criterion,
            max_epochs=self.teacher_epochs,
            **common,
        )
        check_output_shape(net, train.data, len(classes), role)
        return NetTeacher(net, len(classes) == 2, sample, role)

    def decision_function(self, X):
        """Return the student's logits.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of float64 of shape (n_samples,) or (n_samples, n_classes)
            With two classes, the logit of ``classes_[1]`` (float64, as
            scikit-learn's classifiers give it, from the nets' float32: a
            sample's last float32 bits may differ with the other samples of its
            batch, as torch sums its products in another order).

        Raises
        ------
        ValueError
            If some sample's logits give no probabilities (a NaN or, with
            more classes, +inf twice or -inf everywhere: float32 overflowed).
        """
        check_is_fitted(self)
        scores = predict_logits(
            self.student_, self._inference_data(X), len(self.classes_) == 2, device="cpu"
        ).numpy().astype(np.float64)
        _check_defined(scores, "student", len(self.classes_))
        return scores

    def _inference_data(self, X):
        """New samples as the nets read them."""
        X_validated = validate_features(self, X, reset=False)
        X_nets = X_validated if self._layout is None else self._layout.transform(X_validated)
        return TensorData(X_nets, device=self.device_)

    def predict_proba(self, X):
        """Return the student's class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``. With two classes and the PU
            risk's logistic surrogate, probabilities for a positive share of
            ``target_prior`` (balanced classes by default), not the share of
            the training data, as far as the teacher term agrees: a
            scikit-learn teacher's probabilities are usually at the data's
            share, and a large ``alpha`` pulls the student's toward them. The
            user guide's "What the probabilities mean" shows how to rescale
            them.

        Raises
        ------
        ValueError
            If some sample's logits give no probabilities (a NaN or, with
            more classes, +inf twice or -inf everywhere: float32 overflowed).
        """
        return np.exp(self.predict_log_proba(X))

    def predict_log_proba(self, X):
        """Return the logarithms of the student's class probabilities.

        Computed from the logits, so a probability too small for a float
        still has a finite logarithm.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.

        Raises
        ------
        ValueError
            If some sample's logits give no probabilities (a NaN or, with
            more classes, +inf twice or -inf everywhere: float32 overflowed).
        """
        return _log_probabilities(self.decision_function(X))

    def teacher_predict_proba(self, X):
        """Return the (fused) teachers' class probabilities, to compare with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.

        Raises
        ------
        ValueError
            If no teacher was trained, or some sample's fused logits give no
            probabilities.
        """
        check_is_fitted(self)
        if not self.teachers_:
            raise ValueError(
                "No teacher was trained: with alpha=0, or beta=1 and alpha < 1, the "
                "teacher term is empty."
            )
        # the nets' input first: it validates X before a scikit-learn teacher reads it
        data = self._inference_data(X)
        logits = self._teacher_ensemble.logits(Part(None, _input_for_estimators(X), data))
        logits = logits.cpu().numpy()
        _check_defined(logits, "teacher", len(self.classes_))
        return np.exp(_log_probabilities(logits))

    def predict(self, X):
        """Return the student's predicted class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)

        Raises
        ------
        ValueError
            If some sample's logits give no probabilities (a NaN or, with
            more classes, +inf twice or -inf everywhere: float32 overflowed).
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]
