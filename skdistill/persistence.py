"""Saving and loading fitted estimators without pickle.

:func:`save` writes one zip file holding

- ``skdistill.json``: the format name and version, the library versions, and
  the estimator as a tree of plain data: parameters, fitted attributes, NumPy
  arrays as lists with their dtype and shape, and classes *by name*;
- ``tensors.safetensors``: every tensor (the weights of every network) in the
  safetensors format, which holds numbers only.

:func:`load` never unpickles and never imports or calls anything named by the
file on the file's say-so: every class name in it is first checked against a
registry of trusted classes (the built-in modules, nets, estimators and prior
estimators of skdistill, skorch's nets, scikit-learn's common
preprocessing and the prior estimators' scorers ``LogisticRegression`` and
``HistGradientBoostingClassifier``, torch's usual optimizers, learning-rate
schedulers and losses, its containers and its layers whose sizes are their
weights': ``Linear``, ``Embedding``, ``LayerNorm``, activations, ...), plus
those registered with :func:`register_trusted` or passed as ``trusted=``. A
file naming any other class is refused before anything is built. This
follows skops (https://skops.readthedocs.io). NumPy's ufuncs (``np.log1p``
in a ``FunctionTransformer``, say) are trusted by name.

Two bounds on what a file can make :func:`load` allocate: a member is read
in chunks and refused once it inflates beyond a hundredfold its compressed
size (past 8 MiB; the compressed size counted as no more than the bytes up
to the next member, whatever the archive declares; a member compressed
otherwise than :func:`save` writes, stored or deflated, is refused), and a net's module and
criterion are first built on torch's ``meta`` device, which allocates
nothing, and refused where they would hold more numbers than the file's
weights of that net (a module that cannot be built there is built as
usual). :func:`save` stores, rather than deflates, a manifest that deflates
beyond the first bound.

How objects are rebuilt:

- scikit-learn estimators (and small helper objects) from their state, as
  pickle would, but with trusted classes only;
- skorch nets by constructing the net class with the saved parameters,
  initialising it and loading the module's weights (the optimizer state is
  not kept: a loaded net predicts, it does not resume training);
- module instances among the parameters (criteria) by calling their class
  with the constructor arguments they keep as attributes of the same name;
- skorch callbacks by calling their class with their parameters (skorch's
  common callbacks are trusted; loggers, which hold a client, are not).

A teacher that is a scikit-learn classifier cannot be stored without pickle.
It is replaced by an :class:`UnsavedTeacher`, with a warning: the student
predicts as before, but ``teacher_predict_proba`` raises an error naming it.
Experiment trackers are left out too, with a warning: a file carries no
tracking address or folder, in either direction (:func:`load` drops those of
older files, with a warning).
"""

import contextlib
import functools
import inspect
import io
import json
import os
import re
import stat
import warnings
import zipfile
import zlib

import numpy as np
import safetensors.torch
import sklearn
import skorch
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_selection import VarianceThreshold
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection._search import BaseSearchCV
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import (
    Binarizer,
    FunctionTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    OneHotEncoder,
    OrdinalEncoder,
    PolynomialFeatures,
    PowerTransformer,
    QuantileTransformer,
    RobustScaler,
    StandardScaler,
)
from sklearn.exceptions import NotFittedError
# MethodMetadataRequest is not public; both are plain data (a request's owner is
# its estimator)
from sklearn.utils import _metadata_requests as metadata_requests
from sklearn.utils._metadata_requests import MetadataRequest, MethodMetadataRequest
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet, NeuralNetBinaryClassifier, NeuralNetClassifier, callbacks
from skorch.dataset import Dataset, ValidSplit
from torch import nn

from . import losses, modules, pu
from ._classifier import DistilledClassifier, resolve_device
from ._files import written_whole
from ._layout import SequenceLayout
from ._nets import BatchIterator, DistillationNet, StudentCriterion, TrueLabelCriterion
from ._plain_data import TreeReader, TreeWriter, check_nameable, class_names, name_of
from ._specs import ESTIMATOR, spec_kind
from ._teachers import (
    EstimatorTeacher, NetTeacher, StandIn, TeacherEnsemble, TeacherUnavailableError,
)
from ._warnings import user_stacklevel
from .preprocessing import SequenceEncoder, positions_frame
from .tracking import _listed_trackers

__all__ = ["UnsavedTeacher", "UntrustedClassError", "load", "register_trusted", "save"]

FORMAT = "skdistill"
#: Raised whenever the layout of the file, or what its modules compute, changes;
#: newer files are refused.
#: 2: the PU risk keeps its ``positive_share``.
#: 3: sequence modules leave padding out of pooling and attention (a reader of 2
#: would load such a model and predict otherwise).
FORMAT_VERSION = 3
#: The first version whose sequence modules leave padding out.
_MASKED_PADDING_VERSION = 3
#: A member may inflate this many times its compressed size, beyond
#: :data:`_INFLATE_FREE_BYTES` (deflate reaches about 1,000 on repeated data;
#: a manifest of a real model about 10, and parsing JSON takes up to some 25
#: times its size in memory).
_MAX_INFLATION = 100
_INFLATE_FREE_BYTES = 8 * 2**20
_CHUNK_BYTES = 2**20
_CLASSIFIER_NAME = name_of(DistilledClassifier)
#: What a damaged archive raises while a member is read.
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, EOFError,
                   NotImplementedError, RuntimeError, RecursionError, zlib.error, OSError)
_MANIFEST = "skdistill.json"
_TENSORS = "tensors.safetensors"
#: Attributes of a teacher that cache predictions of one fit.
_TEACHER_CACHES = ("_logits",)


#: How :func:`save`'s warning of names that load trusts only when told begins.
UNTRUSTED_NAMES_WARNING = "The file names classes load does not trust by default"


class UntrustedClassError(ValueError):
    """A model file names classes that are not trusted; nothing was built."""


#: How a class or function defined in the script that runs (or a notebook) is named.
_SCRIPT_PREFIX = "__main__."


def _registered_classes_advice(untrusted):
    """What the names of ``untrusted`` this session registered mean for loading (a
    sentence, with a space before it), or "" where there are none."""
    registered = [name for name in untrusted if name in _TRUSTED]
    if not registered:
        return ""
    return (f" {registered} are trusted by this session's register_trusted only: the "
            "process that loads the file must trust them too.")


def _script_classes_advice(untrusted):
    """What the names of ``untrusted`` defined in a script or notebook mean for
    loading (a sentence, with a space before it), or "" where there are none."""
    in_script = [name for name in untrusted if name.startswith(_SCRIPT_PREFIX)]
    if not in_script:
        return ""
    return (f" {in_script} were defined in the script or notebook that saved the model: "
            "only one that defines them at its top level can pass them. Define them in a "
            "module and fit again to load the model anywhere.")


class UnsavedTeacher(StandIn, ClassifierMixin, BaseEstimator):
    """Stands in, after :func:`load`, for a scikit-learn teacher that was not saved.

    A scikit-learn model cannot be stored without pickle, so :func:`save`
    keeps network teachers only. This placeholder takes the other teachers'
    places (in ``teachers_``, ``teacher_``, and ``teacher`` where that
    parameter is fitted or names untrusted classes): the student predicts as
    before, and anything that needs the teacher raises a ``ValueError`` that
    names it.

    Parameters
    ----------
    description : str, default=""
        The teacher that was not saved, as its ``repr``.

    Examples
    --------
    >>> try:
    ...     UnsavedTeacher("HistGradientBoostingClassifier()").predict_proba([[0.0]])
    ... except ValueError as error:
    ...     print(str(error)[:58])
    The teacher HistGradientBoostingClassifier() was not saved
    """

    def __init__(self, description=""):
        self.description = description

    def _unavailable(self):
        return TeacherUnavailableError(
            f"The teacher {self.description} was not saved: skdistill.save stores "
            "network teachers only, since a scikit-learn model cannot be stored "
            "without pickle. Keep the original model (pickle or joblib, from a source "
            "you trust) for its predictions, or set teacher= and fit again (warm_start=False)."
        )

    def fit(self, X, y=None):
        """Raise a ``ValueError``: the teacher itself was not saved.

        Parameters
        ----------
        X : array-like
            Ignored.
        y : array-like or None, default=None
            Ignored.

        Raises
        ------
        ValueError
            Always.
        """
        raise self._unavailable()

    def predict_proba(self, X):
        """Raise a ``ValueError``: the teacher itself was not saved.

        Parameters
        ----------
        X : array-like
            Ignored.

        Raises
        ------
        ValueError
            Always.
        """
        raise self._unavailable()


def _by_name(objects):
    """The classes or functions ``objects`` by their qualified names, checked."""
    for obj in objects:
        check_nameable(obj)
    return {name_of(obj): obj for obj in objects}


def _checked_trusted(objects):
    """``objects`` by name, refusing any that takes a built-in trusted name.

    Otherwise a class renamed after one of skdistill's (by assigning its
    ``__qualname__``, say) would be built wherever a file names that one.
    """
    named = _by_name(objects)
    built_in = {**_BUILT_IN_TRUSTED, **_imbalanced_learn_classes(named)}
    taken = sorted(name for name, obj in named.items() if built_in.get(name, obj) is not obj)
    if taken:
        raise ValueError(
            f"{taken} are the names of classes skdistill trusts already; another object "
            "cannot be trusted under them. Give it a name of its own."
        )
    return named


def register_trusted(*classes):
    """Trust classes (or functions) for every later :func:`load`.

    Loading a file that names a class rebuilds an object of that class; only
    trusted classes are rebuilt. Register your own module classes here (or
    pass them to ``load(..., trusted=[...])``) when you trust the files that
    name them.

    Parameters
    ----------
    *classes : class or function
        Defined at the top level of a module; each is trusted under its
        qualified name ``module.qualname``.

    Raises
    ------
    TypeError
        If an object is neither a class nor a function with an importable name.
    ValueError
        If an object takes the name of a class trusted out of the box without
        being that class.

    Examples
    --------
    >>> from torch import nn
    >>> from skdistill import register_trusted
    >>> register_trusted(nn.Identity)
    """
    _TRUSTED.update(_checked_trusted(classes))


#: The classes trusted out of the box, before any register_trusted of a session.
_BUILT_IN_TRUSTED = _by_name((
    DistilledClassifier, SequenceEncoder, positions_frame, UnsavedTeacher,
    pu.BestBinPriorEstimator, pu.ElkanNotoPriorEstimator, pu.TIcEPriorEstimator,
    LogisticRegression, HistGradientBoostingClassifier,
    modules.MLP, modules.CNN, modules.GRU, modules.BiLSTM, modules.Transformer,
    losses.ImbalancedNNPULoss, losses.BinaryCrossEntropyLoss, losses.CrossEntropyLoss,
    losses.DistillationLoss,
    DistillationNet, BatchIterator, TrueLabelCriterion, StudentCriterion,
    SequenceLayout, NetTeacher, EstimatorTeacher, TeacherEnsemble,
    NeuralNet, NeuralNetClassifier, NeuralNetBinaryClassifier, Dataset, ValidSplit,
    callbacks.LRScheduler, callbacks.WarmRestartLR, callbacks.GradientNormClipping,
    callbacks.EarlyStopping, callbacks.EpochScoring, callbacks.BatchScoring,
    callbacks.PassthroughScoring, callbacks.EpochTimer, callbacks.PrintLog,
    callbacks.ProgressBar, callbacks.Freezer, callbacks.Unfreezer, callbacks.Initializer,
    skorch.utils.freeze_parameter, skorch.utils.unfreeze_parameter,
    torch.utils.data.DataLoader,
    torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW, torch.optim.RMSprop,
    torch.optim.Adagrad, torch.optim.NAdam, torch.optim.RAdam,
    *(getattr(torch.optim.lr_scheduler, name) for name in (
        "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
        "CosineAnnealingWarmRestarts", "ReduceLROnPlateau", "OneCycleLR", "CyclicLR",
        "LinearLR", "ConstantLR", "PolynomialLR")),
    # torch's layers whose sizes are their weights' (a padding or an upsampling of the
    # file's could make predict allocate without bound), losses and containers
    nn.Sequential, nn.ModuleList, nn.ModuleDict, nn.Identity, nn.Flatten,
    nn.Linear, nn.Bilinear, nn.Embedding, nn.LayerNorm, nn.BatchNorm1d,
    nn.Dropout, nn.Dropout1d, nn.AlphaDropout,
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU, nn.SiLU,
    nn.Mish, nn.Sigmoid, nn.Tanh, nn.Hardtanh, nn.Hardswish, nn.Hardsigmoid, nn.Softplus,
    nn.Softsign, nn.LogSigmoid, nn.Softmax, nn.LogSoftmax,
    nn.BCEWithLogitsLoss, nn.BCELoss, nn.CrossEntropyLoss, nn.NLLLoss, nn.MSELoss,
    MetadataRequest, MethodMetadataRequest,
    Pipeline, FeatureUnion, ColumnTransformer, FunctionTransformer,
    OneHotEncoder, OrdinalEncoder, StandardScaler, MinMaxScaler, MaxAbsScaler,
    RobustScaler, QuantileTransformer, PowerTransformer, Normalizer, Binarizer,
    PolynomialFeatures, SimpleImputer, MissingIndicator, VarianceThreshold,
    PCA, TruncatedSVD,
    bool, int, float, str,
    np.bool_, np.float16, np.float32, np.float64,
    np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
    *(value for value in vars(np).values() if isinstance(value, np.ufunc)),
))
_TRUSTED = dict(_BUILT_IN_TRUSTED)


#: What scikit-learn's ``set_callbacks`` (1.9) and a fit with callbacks add to an
#: estimator; read with a default of none.
_SKLEARN_CALLBACK_STATE = ("_skl_callbacks", "_skl_callbacks_to_teardown")


class _StateFilter:
    """State hook of :func:`save`: scikit-learn teachers, trackers and scikit-learn
    callbacks out, prediction caches emptied.

    Every place that holds a scikit-learn teacher (``teacher``, ``teachers_``,
    ``teacher_``, the teacher of the fit's ensemble) gets the same
    :class:`UnsavedTeacher`, so that shared objects stay shared.
    """

    def __init__(self):
        self.unsaved = set()
        self.trackers = []
        self.caches = set()
        self.callbacks = set()
        self.parameter_replaced = False
        self._placeholders = {}

    def __call__(self, obj, state):
        if isinstance(obj, BaseSearchCV) and hasattr(obj, "cv_results_"):
            # its cv_results_ hold masked arrays, which no file of this format stores;
            # an unfitted one (a prior estimator's classifier, say) is a setting
            raise TypeError(
                f"save saves models, not the fitted search {type(obj).__name__}: save its "
                "best_estimator_" + ("" if hasattr(obj, "best_estimator_") else
                                     ", which a search fitted with refit=True holds")
                + "; a search given as a setting (a prior estimator's classifier, which "
                "is cloned) goes unfitted: clone(search)."
            )
        state = dict(state)
        if state.get("_skl_callbacks"):  # scikit-learn's set_callbacks: live listeners
            self.callbacks.add(type(obj).__name__)
        for name in _SKLEARN_CALLBACK_STATE:
            state.pop(name, None)
        if state.get("memory") is not None and _caches_in_memory(obj):
            self.caches.add(type(obj).__name__)
            state["memory"] = None  # a folder of this machine's, read back with pickle
        if isinstance(obj, DistilledClassifier):
            trackers = state.get("trackers")
            if trackers:
                # by class only: a repr would show an address and its credentials
                self.trackers += [type(tracker).__name__
                                  for tracker in _listed_trackers(trackers)]
                state["trackers"] = None
            for name in ("teacher", "teachers_", "teacher_"):
                if name in state:
                    replace = (self._settings_or_placeholder if name == "teacher"
                               else self._net_or_placeholder)
                    value = state[name]
                    state[name] = (
                        [replace(v) for v in value] if isinstance(value, list)
                        else replace(value)
                    )
        if isinstance(obj, EstimatorTeacher):
            state["estimator"] = self._net_or_placeholder(state["estimator"])
        if isinstance(obj, (NetTeacher, EstimatorTeacher)):
            state.update((name, {}) for name in _TEACHER_CACHES)
        # load makes the estimator that holds a request its owner; a clone's
        # requests name the estimator it was cloned from, which is no part of it
        for name in _unbuilt_state(type(obj)):
            state.pop(name, None)
        return state

    def _settings_or_placeholder(self, spec):
        """The ``teacher`` parameter: an unfitted scikit-learn classifier of
        trusted classes is settings only, kept, so that the loaded model fits
        again; a fitted one is replaced."""
        if spec_kind(spec, "teacher") == ESTIMATOR and _is_trusted_settings(spec):
            return spec
        placeholder = self._net_or_placeholder(spec)
        self.parameter_replaced |= placeholder is not spec
        return placeholder

    def _net_or_placeholder(self, spec):
        if (
            spec is None or isinstance(spec, UnsavedTeacher)
            or spec_kind(spec, "teacher") != ESTIMATOR
        ):
            return spec
        if id(spec) not in self._placeholders:
            self._placeholders[id(spec)] = UnsavedTeacher(repr(spec))
            self.unsaved.add(type(spec).__name__)
        return self._placeholders[id(spec)]


def _is_trusted_settings(estimator):
    """Whether ``estimator`` is unfitted and names only classes :func:`load`
    trusts out of the box (not those of this session's register_trusted)."""
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        try:
            names = class_names(TreeWriter().node(estimator))
            return names <= _trusted_out_of_the_box(names)
        except TypeError:  # something that cannot be stored without pickle
            return False
    return False


def _versions():
    from . import __version__

    return {
        "skdistill": __version__, "scikit-learn": sklearn.__version__,
        "skorch": skorch.__version__, "torch": torch.__version__,
    }


def save(estimator, path):
    """Save a fitted estimator to one file, without pickle.

    Parameters, fitted attributes and the classes by name go to JSON, the
    network weights to safetensors (from host copies: a model trained on a
    GPU loads on a CPU). The file is written only once everything has been
    converted; a path is written as a new file in a hidden folder beside it
    (of the old file's permissions, beside a symbolic link's target) that
    replaces it when complete, so a save that fails leaves a previous file as
    it was (a device or a pipe is written in place, and so is a file in a
    folder that takes no new file: a failed write leaves it damaged).

    Parameters
    ----------
    estimator : scikit-learn estimator
        Fitted: a :class:`~skdistill.DistilledClassifier`, or a Pipeline
        holding one. A teacher that is a scikit-learn classifier is not
        saved (see :class:`UnsavedTeacher`), nor are the ``trackers``
        (the loaded model has none), each with a ``UserWarning``.
    path : str, path-like or binary file object
        The file to write (overwritten if it exists).

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``estimator`` is not fitted.
    TypeError
        If ``estimator`` is not a scikit-learn estimator, is or holds a fitted
        search such as ``GridSearchCV`` (save its ``best_estimator_``), or
        holds an object that cannot be stored without pickle (the message
        names it), or if ``path`` is neither a path nor a binary file object.

    Warns
    -----
    UserWarning
        If a scikit-learn teacher or trackers are left out, or the file names
        classes that :func:`load` trusts only when told (the message says
        how).

    See Also
    --------
    load : Read the file back.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import make_classification
    >>> from skdistill import DistilledClassifier, load, save
    >>> X, y = make_classification(n_samples=100, random_state=0)
    >>> clf = DistilledClassifier(meta_epochs=2, random_state=0).fit(X, y)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save(clf, os.path.join(folder, "model.skd"))
    ...     loaded = load(os.path.join(folder, "model.skd"))
    >>> bool((loaded.predict_proba(X) == clf.predict_proba(X)).all())
    True
    """
    if not isinstance(estimator, BaseEstimator):
        raise TypeError(
            f"save expects a fitted scikit-learn estimator; got {type(estimator).__name__}."
        )
    check_is_fitted(estimator)
    _check_file(path, ("write", "flush"), "wb")
    state_filter = _StateFilter()
    writer = TreeWriter(state_hook=state_filter)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "versions": _versions(),
        "estimator": writer.node(estimator),
    }
    if state_filter.unsaved:
        warnings.warn(
            f"The scikit-learn teacher(s) {sorted(state_filter.unsaved)} cannot be stored "
            "without pickle and are not saved: after loading, the student predicts as "
            "before, but teacher_predict_proba raises an error"
            + (", and so does fitting again (a teacher parameter is kept only where it is "
               "unfitted and of classes trusted out of the box, not by register_trusted)."
               if state_filter.parameter_replaced else
               "; fitting again with warm_start=False trains new ones from the teacher "
               "parameter, which is kept (a warm start raises)."),
            UserWarning, stacklevel=user_stacklevel(),
        )
    if state_filter.caches:
        warnings.warn(
            f"The cache folder (memory) of {', '.join(sorted(state_filter.caches))} is not "
            "saved: a later fit reads what the folder holds with pickle, so load does not "
            "take one from a file. Set memory on the loaded model again.",
            UserWarning, stacklevel=user_stacklevel(),
        )
    if state_filter.callbacks:
        warnings.warn(
            f"The scikit-learn callbacks of {', '.join(sorted(state_filter.callbacks))} are "
            "not saved: they hold the listeners of a running fit. Set them on the loaded "
            "model again (set_callbacks).",
            UserWarning, stacklevel=user_stacklevel(),
        )
    if state_filter.trackers:
        warnings.warn(
            f"The trackers {', '.join(state_filter.trackers)} are not saved: a model file "
            "carries no tracking address or folder. Set trackers on the loaded model to "
            "log its next fit.",
            UserWarning, stacklevel=user_stacklevel(),
        )
    names = class_names(manifest)
    # a class this session registered must be trusted again wherever the file loads
    untrusted = sorted(names - _trusted_out_of_the_box(names))
    if untrusted:
        warnings.warn(
            f"{UNTRUSTED_NAMES_WARNING}: {untrusted}. Load it with "
            f"skdistill.{_how_to_trust(untrusted)}." + _registered_classes_advice(untrusted)
            + _script_classes_advice(untrusted),
            UserWarning, stacklevel=user_stacklevel(),
        )
    tensors = safetensors.torch.save(writer.tensors) if writer.tensors else b""
    manifest = json.dumps(manifest).encode()
    # built in memory: a zip archive seeks back in what it writes, which a device cannot
    contents = io.BytesIO()
    with zipfile.ZipFile(contents, "w") as archive:
        archive.writestr(_MANIFEST, manifest, _manifest_compression(manifest))
        archive.writestr(_TENSORS, tensors, zipfile.ZIP_STORED)
    if not _is_path(path):
        path.write(contents.getbuffer())
        return
    with written_whole(path) as written, open(written, "wb") as file:
        file.write(contents.getbuffer())


def _how_to_trust(names):
    """The two ways to trust classes named in a file, for save's warning and
    load's error: ``load(path, trusted=[...])``, or ``register_trusted``."""
    short = ", ".join(name.rsplit(".", 1)[-1] for name in names)
    return (f"load(path, trusted=[{short}]), or register them once: "
            f"skdistill.register_trusted({short})")


def _manifest_compression(manifest):
    """Deflate, unless the manifest deflates beyond what :func:`load` reads back
    (arrays of one repeated value, a MaxAbsScaler's on wide binary features):
    then store it."""
    if len(manifest) <= _INFLATE_FREE_BYTES:
        return zipfile.ZIP_DEFLATED
    # raw deflate, as zipfile writes it and load measures it
    deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    if len(manifest) > _MAX_INFLATION * len(deflate.compress(manifest) + deflate.flush()):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def _is_path(path):
    """Whether ``path`` names a file, rather than being a file object."""
    return isinstance(path, (str, bytes, os.PathLike))


def _check_file(path, methods, mode):
    """Refuse a ``path`` that names no file and is no binary file object with
    ``methods``; ``mode`` ("wb" or "rb") is the one to open it with."""
    if isinstance(path, bytes) and b"\0" in path:
        raise TypeError(
            "path is bytes holding a null byte, which no path holds (a model file's "
            "contents?); for a model in memory, pass a binary file object such as "
            "io.BytesIO(contents)."
        )
    if _is_path(path):
        return
    # tempfile's wrappers of text files are no TextIOBase, but tell their mode; a
    # zip member is a binary stream whose mode says "r"
    mode_given = getattr(path, "mode", None)
    wrapped_text = (isinstance(mode_given, str) and "b" not in mode_given
                    and not isinstance(path, (io.BufferedIOBase, io.RawIOBase)))
    if isinstance(path, io.TextIOBase) or wrapped_text:
        raise TypeError(f"path is a file opened in text mode; open it with mode {mode!r}.")
    if not all(callable(getattr(path, method, None)) for method in methods):
        raise TypeError(
            f"path must be a str, a path-like object or a binary file object (with "
            f"{' and '.join(methods)}); got {type(path).__name__}."
        )


def _unbuilt_state(cls):
    """The attributes of a ``cls`` object that a file does not keep (those kept
    by files of earlier versions are not rebuilt): a metadata request's owner."""
    return ("owner",) if issubclass(cls, (MetadataRequest, MethodMetadataRequest)) else ()


class _RequestOwnerProbe(BaseEstimator):
    """An estimator whose new metadata request shows what this scikit-learn
    makes its owner."""


@functools.cache
def _requests_owned_by_estimators():
    """Whether this scikit-learn makes an estimator the owner of its metadata
    requests (1.8 on), rather than its class name (before)."""
    probe = _RequestOwnerProbe()
    return probe._get_metadata_request().owner is probe


def _request_owner(estimator):
    """The owner this scikit-learn gives a new metadata request of ``estimator``."""
    return estimator if _requests_owned_by_estimators() else type(estimator).__name__


def _caches_in_memory(estimator):
    """Whether ``estimator``'s ``memory`` is a joblib cache folder, as it is for
    every scikit-learn and imbalanced-learn class that takes one (``Pipeline``,
    ``FeatureAgglomeration``, ...) and their subclasses; another class's may
    mean anything (a window length)."""
    return isinstance(estimator, BaseEstimator) and any(
        cls.__module__.partition(".")[0] in ("sklearn", "imblearn")
        and "memory" in inspect.signature(cls.__init__).parameters
        for cls in type(estimator).__mro__
    )


def _rebuilt_object_hook(device):
    """Object hook of :func:`load`: a cache folder (:func:`_caches_in_memory`) is
    left out, with a warning, a classifier's ``device_`` is where its nets now
    are, and an estimator's metadata requests are its own (their owner), for
    every method this process's scikit-learn routes (imbalanced-learn adds
    ``fit_resample`` when imported, which the file's process may not have done)."""

    def hook(obj):
        memory = vars(obj).get("memory")
        if memory is not None and _caches_in_memory(obj):
            obj.memory = None
            warnings.warn(
                f"The file sets a {type(obj).__name__}'s cache folder, memory={memory!r}, "
                "which load does not take: a later fit would read joblib's cache there "
                "with pickle (an older skdistill saved it). Set memory on the loaded model "
                "again if you trust that folder.",
                UserWarning, stacklevel=user_stacklevel(),
            )
        if isinstance(obj, DistilledClassifier) and hasattr(obj, "device_"):
            obj.device_ = device
        request = vars(obj).get("_metadata_request")
        if isinstance(request, MetadataRequest):
            request.owner = owner = _request_owner(obj)
            for value in vars(request).values():
                if isinstance(value, MethodMetadataRequest):
                    value.owner = owner
            for method in metadata_requests.SIMPLE_METHODS:
                if not isinstance(getattr(request, method, None), MethodMetadataRequest):
                    setattr(request, method, MethodMetadataRequest(owner=owner, method=method))

    return hook


def _given_trusted(trusted):
    """The classes of ``load``'s ``trusted``, checked, by name."""
    if trusted is None:
        trusted = []
    if not isinstance(trusted, (list, tuple)):
        raise TypeError(f"trusted must be a list of classes or None; got {trusted!r}.")
    return _checked_trusted(trusted)


def _trusted_map(given, names):
    """Every trusted class by name: the registry's, imbalanced-learn's where the
    file's class ``names`` hold any (importing it changes which methods
    scikit-learn routes, so it is not imported for other files), and ``given``."""
    return {**_TRUSTED, **_imbalanced_learn_classes(names), **given}


def _trusted_out_of_the_box(names):
    """The class names :func:`load` trusts in any session, for a file of class
    ``names``: the built-in ones and imbalanced-learn's, not those of
    :func:`register_trusted`."""
    return {*_BUILT_IN_TRUSTED, *_imbalanced_learn_classes(names)}


def _imbalanced_learn_classes(names):
    """imbalanced-learn's trusted classes by name where ``names`` hold any of
    its names; else none, and it is not imported."""
    uses_imblearn = any(name.startswith("imblearn.") for name in names)
    return _imported_imbalanced_learn_classes() if uses_imblearn else {}


@functools.cache
def _imported_imbalanced_learn_classes():
    """imbalanced-learn's pipeline and random samplers, trusted: imported when a
    file names them, not with skdistill (a third of a second)."""
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.pipeline import Pipeline
    from imblearn.under_sampling import RandomUnderSampler

    return {name_of(cls): cls for cls in (Pipeline, RandomUnderSampler, RandomOverSampler)}


def _read_member(archive, name, file_size):
    """A member's bytes, read in chunks and refused once they inflate beyond
    reason. The sizes a zip declares are the file's word, not a bound: the
    compressed size counts for no more than the bytes up to the next member
    (or the end of the file)."""
    info = archive.getinfo(name)
    # zipfile bounds each read's output for deflate alone: a bzip2 or LZMA member
    # inflates whole at its first read (785 bytes gave 1 GiB), so save writes neither
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(
            f"its member {name} is compressed with method {info.compress_type}, which "
            "save never writes (only stored or deflated members are read)"
        )
    following = [other.header_offset for other in archive.infolist()
                 if other.header_offset > info.header_offset]
    compressed = min(info.compress_size, min(following, default=file_size) - info.header_offset)
    limit = max(_INFLATE_FREE_BYTES, _MAX_INFLATION * compressed)
    chunks, size = [], 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise ValueError(
                    f"its member {name} inflates from {compressed} bytes to more than {limit}"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _shown(path):
    """How messages name ``path``: as given, or by a file object's name."""
    if _is_path(path):
        return os.fsdecode(path) if isinstance(path, bytes) else path
    name = getattr(path, "name", None)
    return name if isinstance(name, str) else f"The {type(path).__name__} given"


def _what_unopened(path):
    """What a file that does not open as a zip archive is: a model file cut
    short (an interrupted copy, a full disk) still begins as an archive does;
    a pipe or a device cannot be read so (nor peeked at without blocking)."""
    try:
        if _is_path(path):
            if not stat.S_ISREG(os.stat(path).st_mode):
                return _NOT_SEEKABLE
            with open(path, "rb") as handle:
                start = handle.read(4)
        elif not path.seekable():
            return _NOT_SEEKABLE
        else:
            position = path.tell()
            path.seek(0)
            start = path.read(4)
            path.seek(position)
    except (OSError, ValueError, AttributeError):
        start = None
    if start == b"":
        return "is empty, not a skdistill model file"
    if start == b"PK\x03\x04":
        return "is a damaged zip archive, such as a model file cut short"
    return "is not a skdistill model file"


_NOT_SEEKABLE = ("cannot be read as a skdistill model file: its archive is read by seeking "
                 "in it, and a pipe or a device cannot seek (copy it to a file first)")


def _read(path, shown, tensors=True):
    """The manifest and the tensor bytes (None where not ``tensors``) of a
    model file, checked; messages name the file ``shown``."""
    if _is_path(path) and os.path.isdir(path):
        raise ValueError(
            f"{path} is a folder, not a skdistill model file (the output folder of "
            "skdistill fit keeps its model in model.skd)."
        )
    try:
        # zipfile takes bytes for file contents, not for a path
        archive = zipfile.ZipFile(os.fsdecode(path) if isinstance(path, bytes) else path)
    except (zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"{shown} {_what_unopened(path)} ({error}).") from None
    names = []
    try:
        with archive:
            names = archive.namelist()
            if len(names) != len(set(names)):
                raise ValueError("it holds a member twice")
            archive.fp.seek(0, os.SEEK_END)  # some file objects' seek returns None
            file_size = archive.fp.tell()
            manifest = json.loads(_read_member(archive, _MANIFEST, file_size))
            tensors = _read_member(archive, _TENSORS, file_size) if tensors else None
    # ValueError covers JSON and Unicode decoding errors; the file itself was opened.
    except _ARCHIVE_ERRORS as error:
        what = ("is a damaged skdistill model file" if _MANIFEST in names
                else "is not a skdistill model file")
        raise ValueError(f"{shown} {what} ({type(error).__name__}: {error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"{shown} is not a skdistill model file (no format field).")
    version = manifest.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(
            f"{shown} is a damaged skdistill model file (format version {version!r} is "
            "not a positive integer)."
        )
    if version > FORMAT_VERSION:
        versions = manifest.get("versions")
        writer = versions.get("skdistill") if isinstance(versions, dict) else None
        raise ValueError(
            f"{shown} has format version {version}, written by a newer skdistill "
            f"({writer or 'unknown'}); this one reads versions up to {FORMAT_VERSION}. "
            "Upgrade skdistill to load it."
        )
    return manifest, tensors


def _drop_trackers(tree):
    """Set the trackers of every classifier in ``tree`` to None, in place, and
    return the class names of those dropped."""
    if isinstance(tree, list):
        return [name for item in tree for name in _drop_trackers(item)]
    if not isinstance(tree, dict):
        return []
    dropped = []
    if tree.get("class") == _CLASSIFIER_NAME and tree.get("kind") == "object":
        for item in tree["state"]["items"]:
            if item[0] == "trackers" and item[1] is not None:
                dropped += sorted(class_names(item[1]))
                item[1] = None
    return dropped + [name for value in tree.values() for name in _drop_trackers(value)]


@contextlib.contextmanager
def _damage_named(path):
    """Errors of a damaged file's content as a ValueError that names the file."""
    try:
        yield
    except (torch.cuda.OutOfMemoryError, UntrustedClassError):
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError,
            RecursionError, RuntimeError, safetensors.SafetensorError) as error:
        # RuntimeError: weights that do not fit the module the manifest describes.
        raise ValueError(
            f"{path} is a damaged skdistill model file, or holds a value this skdistill "
            f"refuses ({type(error).__name__}: {error})"
        ) from error


def load(path, trusted=None, device="cpu"):
    """Load an estimator written by :func:`save`, without unpickling.

    Every class the file names is checked against the trusted registry
    before anything is built; nothing in the file is imported or run.

    Parameters
    ----------
    path : str, path-like or binary file object
        A file written by :func:`save`.
    trusted : list of classes or None, default=None
        Classes (or functions) to trust for this load only, in addition to
        the built-in ones and those of :func:`register_trusted`: your own
        module classes, say.
    device : str or torch.device, default="cpu"
        Where the networks are put: "cpu" loads anywhere, whatever device
        trained them; "auto" is "cuda" when torch sees a GPU; or any torch
        device that holds data (not "meta"). The estimators' ``device``
        parameters (for the next fit) are kept as saved. Where every
        stored weight of a net has one floating-point dtype, the net gets it,
        whatever torch's default dtype.

    Returns
    -------
    estimator : scikit-learn estimator
        Predicting exactly as the saved one did on the same device.

    Raises
    ------
    UntrustedClassError
        If the file names classes that are not trusted; the message lists
        them and says how to trust them.
    FileNotFoundError
        If ``path`` does not exist.
    TypeError
        If ``path`` is neither a path nor a binary file object (or is bytes
        holding a null byte: a file's contents, which ``io.BytesIO`` wraps).
    ValueError
        If ``trusted`` gives an object the name of a class trusted out of the
        box. If ``path`` is not a skdistill model file (a folder, say), was written
        by a newer version of the format, or is damaged (it holds no fitted
        estimator, say).

    Warns
    -----
    UserWarning
        If the file was written with another skdistill, or another minor
        release of torch or skorch: it loads, but the predictions may differ.

    See Also
    --------
    save : Write the file.
    register_trusted : Trust classes for every load.
    """
    given = _given_trusted(trusted)
    device = resolve_device(device)
    _check_file(path, ("read", "seek"), "rb")
    shown = _shown(path)
    manifest, tensor_bytes = _read(path, shown)
    with _damage_named(shown):
        dropped = _drop_trackers(manifest["estimator"])
        names = class_names(manifest)
    if dropped:
        warnings.warn(
            f"{shown} holds trackers ({', '.join(dropped)}), written by an older skdistill: "
            "they are not loaded, as a file carries no tracking address or folder. Set "
            "trackers on the loaded model to log its next fit.",
            UserWarning, stacklevel=user_stacklevel(),
        )
    trusted = _trusted_map(given, names)
    untrusted = sorted(names - set(trusted))
    if untrusted:
        raise UntrustedClassError(
            f"{shown} names classes that are not trusted: {untrusted}. Nothing was loaded. "
            f"If you trust this file, pass them: {_how_to_trust(untrusted)}."
            + _script_classes_advice(untrusted)
        )
    _warn_of_other_versions(shown, manifest.get("versions"))
    with _damage_named(shown):
        tensors = safetensors.torch.load(tensor_bytes) if tensor_bytes else {}
        reader = TreeReader(trusted, tensors, device, object_hook=_rebuilt_object_hook(device),
                            unbuilt_state=_unbuilt_state)
        estimator = reader.build(manifest["estimator"])
        if _written_before_masked_padding(manifest):
            _warn_of_unmasked_padding(shown, reader.modules)
        if not isinstance(estimator, BaseEstimator):
            raise TypeError(f"it holds a {type(estimator).__name__}, not an estimator")
        try:
            check_is_fitted(estimator)
        except NotFittedError:
            raise ValueError(f"its {type(estimator).__name__} is not fitted") from None
        return estimator


def _written_before_masked_padding(manifest):
    """Whether a file was written by a skdistill whose sequence modules did not
    leave padding out: one of 0.1 (0.2.0's development versions of format 2
    already did)."""
    versions = manifest.get("versions")
    writer = versions.get("skdistill") if isinstance(versions, dict) else None
    return (manifest["format_version"] < _MASKED_PADDING_VERSION and isinstance(writer, str)
            and re.match(r"0\.1(\.|$)", writer) is not None)


def written_format_version(path):
    """The format version of the model file ``path`` (a path or a binary file
    object), as :func:`load` checks it.

    Parameters
    ----------
    path : str, path-like or file object

    Returns
    -------
    version : int

    Raises
    ------
    ValueError
        As :func:`load` does, where ``path`` is no model file it can read.
    """
    _check_file(path, ("read", "seek"), "rb")
    return _read(path, _shown(path), tensors=False)[0]["format_version"]


def _warn_of_unmasked_padding(shown, built_modules):
    """Warn where a file of skdistill 0.1 holds sequence modules that now leave
    padding out: what they compute on padded input is not what was saved."""
    masking = sorted({
        type(module).__name__ for built in built_modules for module in built.modules()
        if getattr(module, "masks_padding", False) is True
    })
    if masking:
        warnings.warn(
            f"{shown} was written by skdistill 0.1, before sequence modules left padding "
            f"out: in its {', '.join(masking)}, pooling and attention now leave padded "
            "positions and unknown letters (all-zero positions) out, so they compute "
            "otherwise on input that holds them (predict_proba where the student is one, "
            "teacher_predict_proba where a teacher is). Input without them predicts as "
            "before; refit to train the model as it now computes.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def _warn_of_other_versions(shown, versions):
    """Warn where the file was written by another skdistill, or another minor
    release of torch or skorch: the format is the same, the arithmetic may not be."""
    if not isinstance(versions, dict):
        return
    current = _versions()
    differ = [
        f"{name} {versions[name]} (here {current[name]})"
        for name, digits in (("skdistill", None), ("torch", 2), ("skorch", 2))
        if isinstance(versions.get(name), str)
        and versions[name].split(".")[:digits] != current[name].split(".")[:digits]
    ]
    if differ:
        warnings.warn(
            f"{shown} was written with {', '.join(differ)}. It loads, but its predictions "
            "may differ from the saving environment's; refit for exact ones.",
            UserWarning, stacklevel=user_stacklevel(),
        )
