"""skorch plumbing: in-memory batch data, the student's criterion, net building.

skorch's default data path indexes samples one at a time through a
``DataLoader`` and collates them; for the small models distillation produces,
that costs more than the optimisation itself. Here the training data goes to
the device once as whole tensors and every batch is one slice or one gather.
"""

import contextlib
import copy
import inspect
import re
import warnings
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import scipy.sparse as sp
import torch
from skorch import NeuralNet, NeuralNetBinaryClassifier
from skorch.callbacks import Checkpoint, EarlyStopping, InputShapeSetter, LRScheduler
from skorch.callbacks.scoring import ScoringBase
from skorch.dataset import Dataset, unpack_data
from skorch.exceptions import SkorchException
from sklearn.base import clone
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader

from ._options import check_option
from ._random import float32_by_default
from ._specs import accepts, is_module, sequence_shape_of, takes, takes_any_keyword
from ._warnings import user_stacklevel
from .losses import binary_logits, sample_weight_kwargs
from .modules import CNN, GRU, MLP, BiLSTM, Transformer

#: Hyper-parameters of the nets built for a bare module (or ``None``).
DEFAULT_NET_PARAMS = {
    "optimizer": torch.optim.AdamW,
    "lr": 1e-3,
    "optimizer__weight_decay": 1e-2,
    "optimizer__fused": True,
}
#: The default nets, chosen on benchmarks/quality.py (docs/quality.md).
DEFAULT_TEACHER = {
    "module": MLP, "module__hidden_units": (256, 128), "module__dropout": 0.1, "lr": 3e-3,
}
DEFAULT_STUDENT = {"module": MLP, "module__hidden_units": (64,), "lr": 1e-2}
_DEFAULT_NETS = {"teacher": DEFAULT_TEACHER, "student": DEFAULT_STUDENT}
#: The constructor arguments a module may have filled in from the data.
_SIZES = ("input_dim", "output_dim", "sequence_length", "alphabet_size")
#: Inference needs no gradients, so it can afford larger batches.
INFERENCE_BATCH_SIZE = 4096
#: The most elements of a dense batch made from sparse input when not
#: training (64 MiB of float32; skorch holds a batch while the next is made, so
#: twice that at the peak): wide sparse input (k-mer counts, say) then predicts
#: in batches of fewer rows.
SPARSE_BATCH_ELEMENTS = 2**24


def _take(values, index):
    if values is None:
        return None
    if isinstance(values, dict):
        return {key: _take(value, index) for key, value in values.items()}
    return values[index]


class TensorData(torch.utils.data.Dataset):
    """Samples held as whole tensors on one device, served batch by batch.

    A dataset is a view: ``X`` holds every sample of the fit, and ``rows``
    picks the ones this dataset serves, so that a training part, a
    validation part or a bootstrap sample costs an index, not a copy of
    ``X``.

    Parameters
    ----------
    X : numpy.ndarray or scipy.sparse matrix of shape (n_samples, n_features)
        Dense input moves to ``device`` once (no copy on the CPU); sparse
        input stays a CSR matrix on the host and each batch is densified on
        its own (see :class:`BatchIterator` for the size of those batches).
    y : torch.Tensor, dict of torch.Tensor or None, default=None
        Targets of the served samples, already on ``device``; a dict is
        served as a dict.
    device : str or torch.device, default="cpu"

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp, torch
    >>> data = TensorData(sp.eye(4, format="csr", dtype=np.float32), torch.arange(4))
    >>> X, y = data.subset(torch.tensor([3, 1])).take(slice(0, 2))
    >>> X.argmax(dim=1).tolist(), y.tolist()
    ([3, 1], [3, 1])
    """

    def __init__(self, X, y=None, device="cpu"):
        self.device = torch.device(device)
        self.is_sparse = sp.issparse(X)
        if self.is_sparse:
            self.X = sp.csr_matrix(X)
        else:
            if any(stride < 0 for stride in X.strides):  # torch reads none backwards
                X = X.copy()
            # A read-only buffer (pandas' to_numpy, a memory map) is shared all the
            # same: no module sees it, as every batch taken is a copy.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "The given NumPy array is not writable")
                self.X = torch.as_tensor(X, device=self.device)
        self.y = y
        self.rows = None

    def __len__(self):
        return self.X.shape[0] if self.rows is None else len(self.rows)

    @property
    def index_device(self):
        """Device on which batch indices are drawn."""
        return torch.device("cpu") if self.is_sparse else self.device

    def with_targets(self, y):
        """Return a dataset sharing these samples (no copy) with targets ``y``."""
        data = copy.copy(self)
        data.y = y
        return data

    def subset(self, index):
        """Return a view of the samples at ``index`` (an index tensor): X is not copied."""
        data = copy.copy(self)
        index = index.to(self.index_device)
        data.rows = index if self.rows is None else self.rows[index]
        data.y = _take(self.y, index.to(self.device))
        return data

    def take(self, index):
        """Return the batch ``(X, y)`` at ``index``, a slice or an index tensor."""
        rows = index if self.rows is None else self.rows[index]
        if self.is_sparse:
            rows = rows if isinstance(rows, slice) else rows.numpy()
            X = torch.from_numpy(self.X[rows].toarray()).to(self.device, non_blocking=True)
        else:
            X = self.X[rows]
            if isinstance(rows, slice) and X.device.type == "cpu":
                # a view of the caller's array, which a module that changes its input
                # in place would change (an index tensor copies already)
                X = X.clone()
        if not isinstance(index, slice):
            index = index.to(self.device)
        return X, _take(self.y, index)


class BatchIterator:
    """Iterate over a :class:`TensorData` in batches of whole-tensor slices.

    Used as skorch's ``iterator_train`` and ``iterator_valid``. The order is
    drawn from torch's global generator, so seeding torch makes it reproducible.
    When shuffling (training), a last batch of a single sample joins the
    batch before it: batch normalisation cannot train on one sample, and
    which fold or search candidate ends with one would be chance. Without
    shuffling (inference), batches of sparse input hold at most
    :data:`SPARSE_BATCH_ELEMENTS` dense elements.

    Any other dataset (skorch's, when a fitted ``student_`` or ``teacher_``
    is called on an array: ``net.forward(X)``) is served by PyTorch's
    ``DataLoader``.

    Parameters
    ----------
    dataset : TensorData or torch.utils.data.Dataset
    batch_size : int
    shuffle : bool, default=False
    drop_last : bool, default=False
        Leave out the last batch when it is smaller than ``batch_size``, as
        PyTorch's ``DataLoader`` does (``iterator_train__drop_last=True`` on
        a skorch net).
    """

    def __init__(self, dataset, batch_size, shuffle=False, drop_last=False):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self._loader = None if isinstance(dataset, TensorData) else DataLoader(
            dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last
        )

    def _rows_per_batch(self):
        if self.dataset.is_sparse and not self.shuffle:
            width = max(1, self.dataset.X.shape[1])
            return max(1, min(self.batch_size, SPARSE_BATCH_ELEMENTS // width))
        return self.batch_size

    def _bounds(self):
        """The (start, stop) of each batch."""
        n_samples = len(self.dataset)
        batch_size = self._rows_per_batch()
        stops = list(range(batch_size, n_samples, batch_size)) + [n_samples]
        last = n_samples - (stops[-2] if len(stops) > 1 else 0)
        if self.drop_last and last < batch_size:
            stops.pop()
        elif self.shuffle and last == 1 and len(stops) > 1:
            del stops[-2]
        return list(zip([0, *stops[:-1]], stops))

    def __len__(self):
        return len(self._loader if self._loader is not None else self._bounds())

    def __iter__(self):
        if self._loader is not None:
            yield from self._loader
            return
        bounds = self._bounds()
        if not self.shuffle:
            for start, stop in bounds:
                yield self.dataset.take(slice(start, stop))
            return
        order = torch.randperm(len(self.dataset), device=self.dataset.index_device)
        for start, stop in bounds:
            yield self.dataset.take(order[start:stop])


class DistillationNet(NeuralNet):
    """skorch's ``NeuralNet``, minus a per-batch cost.

    skorch switches every module and criterion to train mode before each
    batch; for the small nets of distillation that walk is a sizeable share of
    a step, so it is skipped while the module already is in the asked mode.
    """

    def _set_training(self, training=True):
        if self.module_.training is not training:
            super()._set_training(training)


class _GuardedCriterion(nn.Module):
    """A criterion that notices non-finite logits without a host synchronisation.

    A bounded loss (the sigmoid risk) stays finite while logits overflow, so
    the loss alone cannot tell that training diverged. Each batch folds
    "all logits finite" into one device flag, read once per round.
    """

    def __init__(self):
        super().__init__()
        self.reset_guard()

    def reset_guard(self):
        """Forget what earlier batches showed."""
        self._all_finite = None

    def _watch(self, logits):
        finite = torch.isfinite(logits.detach()).all()
        self._all_finite = finite if self._all_finite is None else self._all_finite & finite

    def saw_non_finite(self):
        """Whether a logit since the last :meth:`reset_guard` was inf or NaN."""
        return self._all_finite is not None and not bool(self._all_finite)


class TrueLabelCriterion(_GuardedCriterion):
    """skorch criterion of a teacher net: the true-label loss, guarded.

    Parameters
    ----------
    loss : torch.nn.Module
        Called as ``loss(logits, target)``, or with ``sample_weight=``.
    """

    def __init__(self, loss):
        super().__init__()
        self.loss = loss

    def forward(self, logits, y_true):
        """Loss of a batch whose targets are ``{"target"}`` and, with weights,
        ``"sample_weight"``."""
        self._watch(logits)
        return self.loss(
            logits, y_true["target"], **sample_weight_kwargs(y_true.get("sample_weight"))
        )


def true_label_count(beta, batch_size):
    """How many of a batch's ``batch_size`` samples keep their true labels:
    ``beta * batch_size``, rounded half up (in decimal, as ``beta`` prints: 0.29
    of 50 is 15, where the binary float product, 14.499999999999998, rounded to
    14; ``str``, not ``float``, keeps a float32's 0.35 from becoming 0.3499...)."""
    product = Decimal(str(beta)) * batch_size
    return int(product.to_integral_value(rounding=ROUND_HALF_UP))


class StudentCriterion(_GuardedCriterion):
    """skorch criterion of the student: splits each batch, then distills.

    The first ``true_label_count(beta, n)`` samples of a (shuffled) batch of
    ``n`` keep their true labels; the rest are labelled by the teacher.

    Parameters
    ----------
    distillation_loss : skdistill.losses.DistillationLoss
    beta : float
        Fraction in [0, 1] of each batch that keeps its true labels.
    """

    def __init__(self, distillation_loss, beta):
        super().__init__()
        self.distillation_loss = distillation_loss
        self.beta = beta

    def forward(self, logits, y_true):
        """Loss of a batch whose targets are ``{"target", "teacher_logits"}``
        and, with weights, ``"sample_weight"``."""
        self._watch(logits)
        target = y_true["target"]
        n_true = true_label_count(self.beta, len(target))
        return self.distillation_loss(
            logits, target, y_true.get("teacher_logits"), n_true=n_true,
            **sample_weight_kwargs(y_true.get("sample_weight")),
        )


def net_class_and_params(spec, default):
    """The skorch net class and its constructor parameters for a net spec.

    A skorch net keeps its own parameters (an unfitted copy of them); a
    module class, a module instance (deep-copied, so the user's stays
    untouched) or None gets :data:`DEFAULT_NET_PARAMS`.

    Parameters
    ----------
    spec : None, torch.nn.Module subclass or instance, or skorch.NeuralNet
    default : dict
        The net parameters None stands for.

    Returns
    -------
    net_class : type
    params : dict
    """
    if isinstance(spec, NeuralNet):
        return type(spec), clone(spec).get_params(deep=False)
    if spec is None:
        module = default
    else:
        module = {"module": copy.deepcopy(spec) if isinstance(spec, nn.Module) else spec}
    return DistillationNet, {**DEFAULT_NET_PARAMS, **module}


def default_net(role, module=None):
    """Return the default teacher or student as an unfitted skorch net.

    ``DistilledClassifier(student=default_net("student"))`` trains exactly as
    ``student=None`` does, but as a skorch net its parameters can be set and
    searched: ``student__lr``, ``student__module__hidden_units``,
    ``student__optimizer__weight_decay``. With a module,
    ``default_net("teacher", module=CNN)`` trains exactly as ``teacher=CNN``
    does, its ``teacher__module__channels`` searchable.

    Parameters
    ----------
    role : {"teacher", "student"}
        Which default: the teacher :class:`~skdistill.modules.MLP` with hidden
        layers (256, 128), dropout 0.1 and lr 3e-3, or the student with one
        hidden layer of 64 units and lr 1e-2; both trained by AdamW with
        weight decay 1e-2 (``optimizer__fused=True``). Another ``optimizer``
        set on it trains without those of the two it does not take; another
        ``module`` (``student__module`` in a search) without the MLP's
        settings it does not take (``hidden_units``), with those it takes
        (the teacher's ``dropout``).
    module : torch.nn.Module subclass or instance, default=None
        A module of one's own instead of the MLP: the net is then that of a
        bare module given as ``teacher`` or ``student``, AdamW with lr 1e-3
        and the weight decay and ``fused`` above, the module's own defaults
        (a class's arguments as ``module__<name>``; an instance is used as it
        was built): the same net for either role.

    Returns
    -------
    net : skorch.NeuralNet
        Unfitted. Its criterion, batch size, epochs and device are set by
        :class:`~skdistill.DistilledClassifier` when it trains the net.

    Examples
    --------
    >>> from skdistill import DistilledClassifier, default_net
    >>> model = DistilledClassifier(student=default_net("student"))
    >>> model.set_params(student__lr=3e-3).student.lr
    0.003
    """
    check_option("role", role, _DEFAULT_NETS)
    if module is None:
        return net_of(_DEFAULT_NETS[role])
    if not is_module(module):
        raise TypeError(f"default_net: module must be a torch.nn.Module subclass or instance; "
                        f"got {module!r}.")
    return net_of({"module": module})


def net_of(module):
    """The unfitted :class:`DistillationNet` of the net parameters ``module``
    (``module`` and ``module__*``, say) and :data:`DEFAULT_NET_PARAMS`: the net
    a spec of None or of a module trains as; its criterion a stand-in, which
    every fit replaces."""
    return DistillationNet(criterion=nn.BCEWithLogitsLoss, **{**DEFAULT_NET_PARAMS, **module})


def build_net(spec, default, *, role, criterion, max_epochs, batch_size, device,
              module_dims):
    """Return an initialised, untrained skorch net wired for in-memory batches.

    Parameters
    ----------
    spec : None, torch.nn.Module subclass or instance, or skorch.NeuralNet
        What the user passed. A skorch net is cloned (unfitted) and keeps its module,
        optimizer and learning rate; anything else gets the default settings.
    default : dict
        Net parameters used when ``spec`` is None.
    role : str
        "teacher" or "student", for messages.
    criterion : TrueLabelCriterion or StudentCriterion
        Replaces the net's criterion.
    max_epochs, batch_size : int
    device : torch.device
    module_dims : dict
        ``input_dim``, ``output_dim`` and, for sequences, ``sequence_length``
        and ``alphabet_size`` values, set as ``module__`` parameters where the
        module class takes them and the user did not set them.

    Returns
    -------
    net : skorch.NeuralNet

    Raises
    ------
    TypeError, ValueError
        If the module cannot be built; the message names the role and the
        arguments filled in from the data. ValueError also if a skorch
        scoring callback would score the training batches.
    """
    net_class, params = net_class_and_params(spec, default)
    _check_net_settings(net_class, params, role, {
        "max_epochs": max_epochs, "batch_size": batch_size, "device": device,
        "train_split": None, "iterator_train": BatchIterator, "iterator_valid": BatchIterator,
        "dataset": Dataset, "verbose": 0,
    })
    _drop_unaccepted_defaults(net_class, params, role)
    given = sequence_shape_of(params["module"], params, module_dims["input_dim"])
    if given is not None and "sequence_length" in module_dims:
        # one size given: the other is the width's share, not the values' layout's
        module_dims = {**module_dims, "sequence_length": given[0], "alphabet_size": given[1]}
    filled = {}
    for name, value in module_dims.items():
        if accepts(params["module"], name) and f"module__{name}" not in params:
            params[f"module__{name}"] = filled[name] = value
    params.update(
        _fit_wiring(criterion, max_epochs, batch_size),
        iterator_train=BatchIterator,
        iterator_valid=BatchIterator,
        iterator_train__shuffle=True,
        train_split=None,
        device=device,
        verbose=0,
    )
    net = net_class(**params)
    try:
        net.initialize()
    except (TypeError, ValueError, KeyError, RuntimeError) as error:  # KeyError: a **kwargs
        # module's; RuntimeError: torch's, such as a negative size (not its subclasses, out
        # of memory say, nor the user's own: a caller may catch them by their type)
        if keeps_its_type(error):
            raise
        # skorch builds callbacks, module, criterion, optimizer in turn: an error
        # between the first two is the module's, one after the criterion the optimizer's
        built = vars(net)
        if "criterion_" in built and "optimizer_" not in built:
            _check_trainable(net.module_, role)  # an empty parameter list, say
            optimizer = params.get("optimizer", net.optimizer)
            name = getattr(optimizer, "__name__", type(optimizer).__name__)
            raise _build_error(
                error, f"The {role}'s optimizer {name} could not be built: {error} (set its "
                "parameters as optimizer__<name>, or lr, on a skorch NeuralNet)"
            ) from error
        if "callbacks_" not in built or "module_" in built:
            raise
        module = params["module"]
        name = getattr(module, "__name__", type(module).__name__)
        given = ", ".join(f"{key}={value!r}" for key, value in filled.items()) or "none"
        if not filled and takes_any_keyword(module):
            passed_on = [size for size in _SIZES if takes(module, size) is True]
            given += (" (they go to __init__'s parameters by name, and **kwargs names none"
                      + (f"; where it misses one of {', '.join(passed_on)}, which a parent "
                         "names, name it in its signature to have it filled in"
                         if passed_on else "") + ")")
        raise _build_error(
            error, f"The {role}'s module {name} could not be built: {error} (arguments "
            f"filled in from the data: {given}; give others as module__<name> of a skorch "
            "NeuralNet)"
        ) from error
    _check_trainable(net.module_, role)
    _check_callbacks(net, role)
    return net


def _check_trainable(module, role):
    """Refuse a module without a parameter to train (none, or all frozen): its
    first training step would fail in torch's words, or its optimizer's."""
    if not any(parameter.requires_grad for parameter in module.parameters()):
        fixed = (" A teacher trained already: give its fitted classifier wrapped in "
                 "scikit-learn's FrozenEstimator." if role.startswith("teacher") else "")
        raise ValueError(
            f"The {role}'s module {type(module).__name__} has no parameter to train (none, "
            "or all with requires_grad=False: frozen in the module or by a callback such as "
            f"skorch's Freezer), and every meta-epoch trains it.{fixed}")


def _drop_unaccepted_defaults(net_class, params, role):
    """Drop from ``params`` the settings of a default net, as it holds them, that
    its module or optimizer does not take (see :func:`~skdistill._specs.takes`): a
    search over ``module`` or ``optimizer`` from :func:`~skdistill.default_net`
    failed on a CNN's lack of ``hidden_units``, RMSprop's of ``fused`` and
    Rprop's of weight decay, and no ``set_params`` removes a key. Of these, the
    weight decay is warned of; the MLP's layers and ``fused``, a speed setting,
    are not. A setting that reaches torch's ``Module`` or ``Optimizer`` base
    through ``**kwargs`` is kept: a class that keeps them may take it, and it
    may be the user's own, of the default's value."""
    if not issubclass(net_class, DistillationNet):
        return
    module = params.get("module")
    if isinstance(module, type):
        for net in _DEFAULT_NETS.values():
            for key, _, _ in _unaccepted_defaults(params, net, "module", module, nn.Module):
                del params[key]
    optimizer = params.get("optimizer", DEFAULT_NET_PARAMS["optimizer"])
    if not isinstance(optimizer, type):
        return
    unaccepted = _unaccepted_defaults(
        params, DEFAULT_NET_PARAMS, "optimizer", optimizer, torch.optim.Optimizer)
    for key, name, value in unaccepted:
        del params[key]
        if name != "fused":
            warnings.warn(
                f"The {role} net's optimizer {optimizer.__name__} takes no {name}: the "
                f"default net's {key}={value!r} is left out.", UserWarning,
                stacklevel=user_stacklevel(),
            )


def _unaccepted_defaults(params, defaults, prefix, owner, base):
    """The (key, name, value) of each setting ``prefix__name`` of ``defaults`` that
    ``params`` holds as the default does (same type and value) and that class
    ``owner`` does not take (:func:`~skdistill._specs.takes` with ``base``)."""
    return [
        (key, name, value) for key, value in defaults.items()
        for head, _, name in [key.partition("__")]
        if head == prefix and name and type(params.get(key)) is type(value)
        and params[key] == value and takes(owner, name, base) is False
    ]


def keeps_its_type(error):
    """Whether ``error`` passes as it is rather than as a message naming the net:
    torch's out of memory, NotImplementedError, RecursionError or a RuntimeError
    of the user's own class, which a caller may catch by its type. torch's other
    RuntimeErrors (of sizes and dtypes, plain or wrapped by ``torch.compile``)
    are reworded."""
    return isinstance(error, (torch.OutOfMemoryError, NotImplementedError, RecursionError)) or (
        isinstance(error, RuntimeError) and type(error) is not RuntimeError
        and not defined_by_torch(type(error)))


def defined_by_torch(cls):
    """Whether ``cls`` is torch's own (a module of the user's named
    ``torch_utils`` is the user's)."""
    return cls.__module__.partition(".")[0] == "torch"


def _build_error(error, message):
    """``message`` as a TypeError or RuntimeError where ``error`` is one, else as
    a ValueError.

    Not ``type(error)``: a subclass's constructor may want other arguments.
    """
    kinds = [kind for kind in (TypeError, RuntimeError) if isinstance(error, kind)]
    return (kinds[0] if kinds else ValueError)(message)


#: The ``iterator_train__`` settings :class:`BatchIterator` takes from a net spec
#: (the batch size is the classifier's, and it always shuffles).
_ITERATOR_TRAIN_SETTINGS = ("drop_last",)
#: The one ``iterator_valid__`` setting a net spec may hold: the classifier sets it
#: on every net it builds (a fitted net given as a spec holds it).
_ITERATOR_VALID_SETTINGS = ("batch_size",)


def _default_of(net_class, name):
    """The default of constructor parameter ``name`` of a skorch net class: of
    the first class of its MRO whose ``__init__`` names it (the stratified
    ``train_split`` of ``NeuralNetBinaryClassifier`` and of its subclasses
    that pass ``**kwargs`` on)."""
    for cls in net_class.__mro__:
        parameter = inspect.signature(cls.__init__).parameters.get(name)
        if parameter is not None and parameter.default is not inspect.Parameter.empty:
            return parameter.default
    return None


def _setting_text(value):
    """``repr(value)``, or an object's class and attributes where its repr is
    Python's default, with a memory address (skorch's ``ValidSplit``)."""
    if repr(value) == object.__repr__(value) and hasattr(value, "__dict__"):
        attributes = ", ".join(f"{key}={item!r}" for key, item in vars(value).items())
        return f"{type(value).__name__}({attributes})"
    return repr(value)


def _alike(name, value, other):
    """Whether two values of net setting ``name`` are the same: devices by type
    and index (no index is the current one: "cuda" is where
    ``torch.cuda.set_device`` points), the CPU by type alone; objects without
    an ``==`` of their own (skorch's ``ValidSplit``) by type and attributes."""
    if name != "device":
        return bool(value == other) or (type(value) is type(other)
                                        and hasattr(value, "__dict__")
                                        and vars(value) == vars(other))
    try:
        value, other = torch.device(value), torch.device(other)
    except (RuntimeError, TypeError):  # no device at all: not the fit's
        return False
    return value.type == other.type and (
        value.type == "cpu" or _index(value) == _index(other))


def _index(device):
    """The index of a device that is not the CPU, its current one where it names none."""
    if device.index is not None:
        return device.index
    return torch.cuda.current_device() if device.type == "cuda" and torch.cuda.is_available() else 0


#: What a net spec's iterators give way to.
_SERVED_FROM_MEMORY = "DistilledClassifier serves every net its batches from tensors in memory"

#: Settings of a skorch net spec that every fit sets itself, with what sets them.
_SET_BY_THE_FIT = {
    "max_epochs": "each meta-epoch trains it for DistilledClassifier's {role}_epochs epochs",
    "batch_size": "every net trains on batches of DistilledClassifier's batch_size",
    "device": "every net trains and predicts on DistilledClassifier's device",
    "train_split": "the nets train on every row given them, and DistilledClassifier holds "
                   "out validation_fraction of the rows itself to stop early",
    "iterator_train": _SERVED_FROM_MEMORY,
    "iterator_valid": _SERVED_FROM_MEMORY,
    "dataset": _SERVED_FROM_MEMORY,
    "verbose": "the nets train silently; DistilledClassifier's verbose prints each "
               "meta-epoch",
}


def _check_net_settings(net_class, params, role, fit_settings):
    """Refuse settings of a skorch net spec that a fit would override or misread;
    warn of those it sets itself (``fit_settings``: ``max_epochs``,
    ``batch_size``, ``device``, ``train_split``, the iterators, ``verbose``) where
    the spec holds another value than both the net class's default and the fit's."""
    for name, setter in _SET_BY_THE_FIT.items():
        value = params.get(name)
        if value is not None and not any(_alike(name, value, other) for other in
                                         (_default_of(net_class, name), fit_settings[name])):
            warnings.warn(
                f"The {role} net's {name}={_setting_text(value)} is not used: "
                f"{setter.format(role=role.partition('[')[0])}.", UserWarning,
                stacklevel=user_stacklevel(),
            )
    criterion = params.get("criterion")
    if isinstance(criterion, nn.BCELoss) or (
        isinstance(criterion, type) and issubclass(criterion, nn.BCELoss)
    ):
        raise ValueError(
            f"The {role} net's criterion is BCELoss, which takes probabilities (a module "
            "ending in a sigmoid); DistilledClassifier replaces the criterion and reads "
            "the module's outputs as logits, so every probability would be squeezed "
            "towards 0.5. Remove the final sigmoid (skorch's NeuralNetBinaryClassifier "
            "takes logits with its default BCEWithLogitsLoss)."
        )
    # torch's losses stand in for it: skorch's NeuralNet wants a criterion
    stand_in = isinstance(criterion, type) and (issubclass(criterion, _GuardedCriterion) or (
        issubclass(criterion, nn.modules.loss._Loss)
        and (getattr(criterion, "__module__", None) or "").startswith("torch.")))
    if criterion is not None and not stand_in and not isinstance(criterion, nn.Module):
        name = getattr(criterion, "__name__", repr(criterion))
        raise ValueError(
            f"The {role} net's criterion is {name}, a loss DistilledClassifier would not "
            "use: it trains every net with its own loss (true_label_loss, and for the "
            "student the teacher term, weighted by alpha). Give a NeuralNetBinaryClassifier "
            "or NeuralNetClassifier its default criterion, or a NeuralNet one of torch's "
            "losses (criterion=torch.nn.BCEWithLogitsLoss), which stands in for it."
        )
    # the library's own criteria come with a fitted net given as a spec
    if isinstance(criterion, nn.Module) and not isinstance(criterion, _GuardedCriterion):
        raise ValueError(
            f"The {role} net's criterion is an instance, {criterion!r}, whose settings "
            "DistilledClassifier would drop: it replaces the net's criterion with its "
            "own loss. Leave the criterion out; weigh samples with fit's sample_weight, "
            "the classes with target_prior."
        )
    for key in params:
        prefix, _, name = key.partition("__")
        if prefix == "criterion" and name:
            raise ValueError(
                f"The {role} net sets {key}, but DistilledClassifier replaces the net's "
                "criterion with its own loss: weigh samples with fit's sample_weight, "
                "the classes with target_prior."
            )
        if name == "shuffle" and prefix == "iterator_train" and params[key]:
            continue  # as it is
        if name and prefix == "dataset":
            raise ValueError(
                f"The {role} net sets {key}, which DistilledClassifier does not use: "
                f"{_SERVED_FROM_MEMORY}, not through a skorch Dataset. Transform the "
                "data before fit (in a Pipeline, say)."
            )
        if name and (
            (prefix == "iterator_valid" and name not in _ITERATOR_VALID_SETTINGS)
            or (prefix == "iterator_train" and name not in _ITERATOR_TRAIN_SETTINGS)
        ):
            raise ValueError(
                f"The {role} net sets {key}, which DistilledClassifier does not use: it "
                "serves batches from tensors in memory, of the classifier's batch_size, "
                "shuffled every epoch (each batch is split between the true-label and "
                "teacher terms); of the iterator's settings it takes "
                f"{', '.join(f'iterator_train__{taken}' for taken in _ITERATOR_TRAIN_SETTINGS)}."
            )


def _check_callbacks(net, role):
    """Refuse callbacks a fit cannot serve: scoring on the training batches (their
    targets are the distillation's, not labels) or on skorch's validation split
    (the nets have none: it would record nothing; skorch's own default
    ``valid_*`` scorers are left, idle), skorch's EarlyStopping (it stops
    a net by raising KeyboardInterrupt, which would end the whole fit), a
    Checkpoint that loads its best epoch's weights as training ends (over the
    kept meta-epoch's) or monitors a validation score, and leaving out the
    training loss each round reads."""
    # by the callback's own name: another callback put in skorch's train_loss slot
    # records nothing
    if not any(getattr(callback, "name", None) == "train_loss"
               and getattr(callback, "on_train", True)
               for _, callback in net.callbacks_):
        raise ValueError(
            f"The {role} net's callbacks record no train_loss: skorch's train_loss "
            "callback is left out or replaced (callbacks='disable' or "
            "callbacks__train_loss=...), or the one of that name scores the held-out "
            "part (on_train=False). "
            "DistilledClassifier reads each round's training loss from it."
        )
    for name, callback in net.callbacks_:
        if isinstance(callback, InputShapeSetter):
            raise ValueError(
                f"The {role} net's InputShapeSetter callback {name!r} reads the shape of "
                "skorch's X, which the nets are not given (their batches come from "
                "tensors in memory); DistilledClassifier fills in a module's input_dim "
                "and output_dim from the data itself: leave the callback out."
            )
        if isinstance(callback, EarlyStopping):
            raise ValueError(
                f"The {role} net's EarlyStopping callback {name!r} would end the whole "
                "fit: skorch stops a net by raising KeyboardInterrupt, which "
                "DistilledClassifier takes for Ctrl-C. Use the classifier's own early "
                "stopping (early_stopping, n_iter_no_change, tol): it scores a held-out "
                "part every meta-epoch and keeps the best one."
            )
        if isinstance(callback, Checkpoint) and callback.load_best and callback.monitor:
            raise ValueError(
                f"The {role} net's Checkpoint callback {name!r} has load_best=True: it "
                "would put the weights of its own best epoch back when the fit ends, over "
                "those of the meta-epoch the classifier keeps (best_meta_epoch_). Set "
                "load_best=False; the classifier's early stopping keeps the best one."
            )
        if isinstance(callback, Checkpoint) and str(callback.monitor).startswith("valid_"):
            raise ValueError(
                f"The {role} net's Checkpoint callback {name!r} monitors "
                f"{callback.monitor!r} (skorch's default), a score of skorch's validation "
                "split, which the nets do not have (the classifier holds out a part of its "
                "own and stops early itself): set monitor='train_loss_best', or None to "
                "save every epoch."
            )
        if _plateau_monitor(callback).startswith("valid_"):
            raise ValueError(
                f"The {role} net's LRScheduler callback {name!r} reduces on a plateau of "
                f"{callback.monitor!r}, a score of skorch's validation split, which the "
                "nets do not have (the classifier holds out a part of its own and stops "
                "early itself): set monitor='train_loss'."
            )
        if isinstance(callback, ScoringBase) and (
                callback.on_train or name not in dict(net.get_default_callbacks())):
            why = (
                "on_train=True: it would score the training batches, whose targets are "
                "the distillation's (true labels and teacher probabilities), not labels"
                if callback.on_train else
                "on_train=False: it would score skorch's validation split, which the nets "
                "do not have (the classifier holds out a part of its own), and record "
                "nothing"
            )
            raise ValueError(
                f"The {role} net's {type(callback).__name__} callback {name!r} has {why}. "
                "Score on data of your own after fit, or read the held-out scores of the "
                "classifier's early stopping in history_."
            )


def _plateau_monitor(callback):
    """The score an LRScheduler of ``ReduceLROnPlateau`` reads by name, else ""."""
    if not isinstance(callback, LRScheduler) or not isinstance(callback.monitor, str):
        return ""
    policy = callback.policy
    plateau = policy == "ReduceLROnPlateau" or (
        isinstance(policy, type) and issubclass(policy, ReduceLROnPlateau))
    return callback.monitor if plateau else ""


#: torch's OneCycleLR stepped past its total_steps.
_OUT_OF_STEPS = re.compile(r"Tried to step \d+ times\. The specified number of total steps is")

#: Net parameters every fit sets itself, whatever a spec gives.
WIRED_PARAMS = frozenset({
    "criterion", "max_epochs", "batch_size", "iterator_valid__batch_size", "iterator_train",
    "iterator_valid", "iterator_train__shuffle", "train_split", "device", "verbose",
})


def _fit_wiring(criterion, max_epochs, batch_size):
    """The net parameters every fit sets anew: its criterion and its budget."""
    return {
        "criterion": criterion,
        "max_epochs": max_epochs,
        "batch_size": batch_size,
        "iterator_valid__batch_size": max(batch_size, INFERENCE_BATCH_SIZE),
    }


def rewire_net(net, *, role, criterion, max_epochs, batch_size):
    """Return a copy of a trained net that trains on with a new criterion and budget.

    The copy keeps the module's weights (a warm start); its optimizer's state
    (AdamW's moments, say) starts anew, as ``MLPClassifier``'s does on a
    warm-started fit, since the criterion is replaced, while the settings of
    its parameter groups go on (the learning rate where a scheduler left it,
    and what the scheduler keeps there). ``net`` itself is left as it is.

    Parameters
    ----------
    net : skorch.NeuralNet
        A net trained by an earlier fit (its callbacks are checked again: it
        may come from a file of an earlier version).
    role : str
        "teacher" or "student", for messages.
    criterion : TrueLabelCriterion or StudentCriterion
    max_epochs, batch_size : int

    Returns
    -------
    net : skorch.NeuralNet
    """
    _check_callbacks(net, role)
    net = copy.deepcopy(net)
    settings = optimizer_settings(net)
    net.set_params(**_fit_wiring(criterion, max_epochs, batch_size))
    restore_optimizer_settings(net, settings)
    # What torch's schedulers record when built and read when they resume: a net
    # rebuilt from a file of an earlier version has a fresh optimizer without it.
    for group in net.optimizer_.param_groups:
        group.setdefault("initial_lr", group["lr"])
    return net


def optimizer_settings(net):
    """The settings of ``net``'s optimizer parameter groups: all but the
    parameters (the learning rate where a scheduler left it, say)."""
    return [{key: value for key, value in group.items() if key != "params"}
            for group in net.optimizer_.param_groups]


def restore_optimizer_settings(net, settings):
    """Put :func:`optimizer_settings` back into ``net``'s optimizer (a new one),
    group by group, where it has as many groups."""
    groups = net.optimizer_.param_groups
    if len(groups) == len(settings):
        for group, setting in zip(groups, settings):
            group.update(setting)


def _first(data, count):
    """The first ``count`` samples of ``data`` (all where it holds fewer)."""
    return data.subset(torch.arange(min(count, len(data))))


def check_output_shape(net, data, n_classes, role):
    """Raise a ValueError unless ``net``'s module reads ``data`` and returns logits
    fit for ``n_classes``.

    Two classes take one logit per sample, of shape (n,) or (n, 1), or two,
    of shape (n, 2); more classes take (n, n_classes). Rows of probabilities
    (a final softmax, as modules written for skorch's ``NeuralNetClassifier``
    with its ``NLLLoss`` end) are refused: read as logits, they would cap
    every probability silently, and so is one column that a softmax or
    log_softmax makes the same whatever the weights.
    """
    if isinstance(net, NeuralNetBinaryClassifier) and n_classes > 2:
        # skorch's own refusal of the output blamed the module's input shape
        raise ValueError(
            f"The {role} is a skorch NeuralNetBinaryClassifier, whose logits are one per "
            f"sample, for two classes; y holds {n_classes}: give a NeuralNet or "
            "NeuralNetClassifier (or a module) instead."
        )
    sample = _first(data, 2)
    try:  # the module's own output, not concatenated: a dict is named below
        output = next(net.forward_iter(sample, training=False))
    except AttributeError as error:  # skorch reads output.dim() or output.to(): not a tensor?
        try:
            with torch.no_grad():
                output = NeuralNet.infer(net, sample.X)  # the module's own output
        except AttributeError:
            raise error from None  # the module's own
        if isinstance(output, torch.Tensor):
            raise
    except (RuntimeError, ValueError) as error:  # it names tensor sizes, not the role
        if keeps_its_type(error):
            raise
        dtypes = {tensor.dtype for tensor in (*net.module_.parameters(),
                                              *net.module_.buffers())
                  if tensor.is_floating_point()} - {data.X.dtype}
        if dtypes and "dtype" in str(error):
            raise ValueError(
                f"The {role}'s module fails on 2 samples: {error}. It holds "
                f"{', '.join(sorted(map(str, dtypes)))} weights (an instance built under "
                f"torch's default dtype, say), the data are {data.X.dtype}: give the "
                "module class (the nets are built in float32 whatever torch's default "
                "dtype), or convert the instance with module.float()."
            ) from error
        if isinstance(net, NeuralNetBinaryClassifier) and "Expected module output" in str(error):
            raise ValueError(
                f"The {role} is a skorch NeuralNetBinaryClassifier, which takes one logit "
                f"per sample: {str(error).rstrip('.')}. Give its module one output "
                "(output_dim=1 for skdistill's modules), or give a NeuralNet or "
                "NeuralNetClassifier for two columns."
            ) from error
        if "'indices'" in str(error):
            raise ValueError(
                f"The {role}'s module fails on 2 samples: {str(error).rstrip('.')}. The nets "
                "give every module X as float32: an nn.Embedding takes X.long() in forward "
                "(token ids exact below 2**24)."
            ) from error
        raise ValueError(
            f"The {role}'s module fails on 2 samples of {data.X.shape[1]} features: "
            f"{str(error).rstrip('.')}. Where this is a shape error, check the input shape it "
            "was given (input_dim, or sequence_length x alphabet_size for sequence modules)."
        ) from error
    if not isinstance(output, torch.Tensor):
        raise ValueError(
            f"The {role}'s module returns a {type(output).__name__}; its forward must "
            "return one tensor of logits."
        )
    if not output.is_floating_point():
        raise ValueError(
            f"The {role}'s module returns {output.dtype} values; its forward must return "
            "floating-point logits."
        )
    n = len(sample)
    shape = tuple(output.shape)
    allowed = [(n,), (n, 1), (n, 2)] if n_classes == 2 else [(n, n_classes)]
    if shape not in allowed:
        expected = "(n,), (n, 1) or (n, 2)" if n_classes == 2 else f"(n, {n_classes})"
        raise ValueError(
            f"The {role}'s module returns logits of shape {shape} for {n} samples; with "
            f"{n_classes} classes it must return {expected}. Check its output_dim."
        )
    if output.ndim == 2 and output.shape[1] > 1 and _are_probability_rows(output):
        raise ValueError(
            f"The {role}'s module returns rows of probabilities (each in [0, 1], summing "
            "to 1): it must return logits. Remove its final softmax; a log_softmax "
            "may stay."
        )
    if _one_per_sample(output) and _ignores_its_weights(net, data, output):
        raise ValueError(
            f"The {role}'s module returns {output.flatten()[0].item():g} for every sample "
            "whatever its weights: a softmax (1) or log_softmax (0) over its one output "
            "column, as modules written for skorch's NeuralNetClassifier end. Two classes "
            "give a module output_dim=1, one logit per sample: return that logit, or give "
            "module__output_dim=2, where a log_softmax may stay."
        )


def _one_per_sample(output):
    """Whether ``output`` holds one logit per sample: shape (n,) or (n, 1)."""
    return output.ndim == 1 or output.shape[1] == 1


#: Training samples whose outputs :func:`warn_of_squashed_logits` and the check of
#: one output column read.
SQUASH_CHECK_SAMPLES = 256


#: Below this spread of its logits on the training samples read, a net whose logits
#: all lie in [0, 1] tells each sample alike: it learned nothing to tell a sigmoid by.
ALIKE_LOGITS_SPREAD = 0.01

#: The library's modules, which end in a linear layer: no sigmoid to blame.
LOGIT_MODULES = (MLP, CNN, GRU, BiLSTM, Transformer)


def warn_of_squashed_logits(net, data, role):
    """Warn where a trained net's one logit per sample lies in [0, 1] for every
    training sample it reads (256 at most, 20 at least), so that every
    prediction is positive: a module ending in a sigmoid, whose outputs read as
    logits keep every probability within [0.5, 0.731] (not the library's
    modules, which end in a linear layer), or features off scale (constant,
    a thousand times smaller than 1, or centred at 100: default nets predicted
    every sample positive). A library module on features on scale that tells
    samples apart is no such case: it learned little, and is not warned of."""
    if len(data) < 20:
        return
    sample = _first(data, SQUASH_CHECK_SAMPLES)
    output = net.forward(sample, training=False)
    if not _one_per_sample(output) or not ((output >= 0) & (output <= 1)).all():
        return
    spread = (output.max() - output.min()).item()
    scale = ("Scale X, e.g. with a StandardScaler in a Pipeline: are its features "
             "constant, far below 1, or centred far from 0?")
    if spread < ALIKE_LOGITS_SPREAD:
        cause = f"they differ by {spread:.2g} at most, so the net tells no sample from another. "
    elif type(net.module_) in LOGIT_MODULES:
        if _on_scale(sample.take(slice(None))[0]):
            return  # a net that learned little (an early meta-epoch kept), not a wrong one
        cause = "its module ends in a linear layer, so X is likely off scale. "
    else:
        cause = ("does its module end in a sigmoid? Modules return logits; remove the "
                 "sigmoid. If it ends in a linear layer: ")
    cause += scale
    warnings.warn(
        f"The {role}'s logits on {len(output)} training samples all lie in [0, 1], so "
        "every probability lies within [0.5, 0.731] and every prediction is positive: "
        + cause, UserWarning, stacklevel=user_stacklevel(),
    )


#: Features look on scale where the largest spread lies within these bounds...
ON_SCALE_SPREAD = (0.01, 10.0)
#: ... and no centre is further from 0 than this.
ON_SCALE_CENTRE = 10.0


def _on_scale(X):
    """Whether the features ``X`` (a tensor of samples) look on the scale a net
    reads: the largest spread within ``ON_SCALE_SPREAD`` and every centre
    within ``ON_SCALE_CENTRE`` of 0 (one-hot columns and standardised ones
    are; columns a thousand times smaller or larger, pixels of 0 to 255, or
    columns centred at 100, are not)."""
    X = X.double()
    spread, centre = X.std(dim=0, unbiased=False), X.mean(dim=0).abs()
    low, high = ON_SCALE_SPREAD
    return bool(low <= spread.max() <= high and (centre <= ON_SCALE_CENTRE).all())


def _ignores_its_weights(net, data, output):
    """Whether the module's one output column, ``output`` on the first samples of
    ``data``, is 0 or 1 on every sample it reads (256 at most) and stays so
    whatever its trainable weights (a sample of zeros does not move a net
    without biases: two could mislead)."""
    weights = [weight for weight in net.module_.parameters() if weight.requires_grad]
    if not weights or not _all_zero_or_all_one(output):
        return False
    for batch in net.get_iterator(net.get_dataset(_first(data, SQUASH_CHECK_SAMPLES)),
                                  training=False):
        with torch.enable_grad():  # the module is in evaluation mode, as net.forward left it
            output = net.infer(unpack_data(batch)[0])
        if not _all_zero_or_all_one(output):
            return False
        if output.requires_grad:
            # each sample weighed apart, at random: features that sum to 0 over the batch
            # (+1 and -1) would cancel in a plain sum of a linear layer's outputs, and any
            # fixed weighing in rows made to fit it; a generator of its own leaves
            # torch's global one, which training draws from, as it was
            weighing = torch.rand(output.shape, generator=torch.Generator().manual_seed(0),
                                  dtype=output.dtype).to(output.device)
            gradients = torch.autograd.grad((output * weighing).sum(), weights,
                                            allow_unused=True)
            if any(gradient is not None and gradient.any() for gradient in gradients):
                return False
    return True


def _all_zero_or_all_one(output):
    return bool((output == 0).all() or (output == 1).all())


def _are_probability_rows(output):
    output = output.detach().double()
    return bool(
        ((output >= 0) & (output <= 1)).all()
        and torch.allclose(output.sum(dim=1), torch.ones(len(output), dtype=output.dtype),
                           atol=1e-5)
    )


@contextlib.contextmanager
def training_run(nets_and_data):
    """One training run of each net's callbacks around every round of a fit.

    skorch notifies ``on_train_begin`` and ``on_train_end`` around each call of
    ``fit`` or ``partial_fit``; here around the whole fit, however many rounds
    it has, so that a callback sees one run: a learning-rate scheduler is
    built once and stepped every epoch (``ReduceLROnPlateau`` counts its
    patience across rounds). A warm fit's net goes on with the schedulers of
    the fit before (skorch would rebuild them, and torch's schedulers take a
    step as they are built); a loaded net, whose schedulers are built anew at
    its epoch count, goes on with the learning rates they left. A
    KeyboardInterrupt ends the run too, as it does skorch's; another error
    leaves it unended, as skorch does.

    Parameters
    ----------
    nets_and_data : list of (skorch.NeuralNet, TensorData)
        Each net with the data its rounds train on.
    """
    for net, data in nets_and_data:
        schedulers = _built_schedulers(net)
        group_settings = _group_settings(net)
        net.notify("on_train_begin", X=data, y=None)
        if len(net.history):
            _resume_schedulers(net, schedulers, group_settings)
    try:
        yield
    except KeyboardInterrupt:
        _end_training_run(nets_and_data)
        raise
    _end_training_run(nets_and_data)


def _built_schedulers(net):
    """Each ``LRScheduler`` callback of ``net`` that an earlier fit built, with
    the state of its torch scheduler."""
    return [(callback, callback.lr_scheduler_.state_dict()) for _, callback in net.callbacks_
            if isinstance(callback, LRScheduler)
            and getattr(callback, "lr_scheduler_", None) is not None]


#: The settings of an optimizer's parameter groups that learning-rate schedulers
#: move: the rate, and the momentum (SGD) or betas (Adam) of cyclic ones.
_SCHEDULED_SETTINGS = ("lr", "momentum", "betas")


def _group_settings(net):
    """The settings of each parameter group of ``net``'s optimizer (its learning
    rate, the momentum or betas a cyclic scheduler moves with it, its weight
    decay...)."""
    return [{name: copy.deepcopy(value) for name, value in group.items() if name != "params"}
            for group in net.optimizer_.param_groups]


def _set_group_settings(net, group_settings, names=None):
    """Put settings taken by :func:`_group_settings` back into ``net``'s
    optimizer: those of ``names`` (None: all)."""
    for group, settings in zip(net.optimizer_.param_groups, group_settings):
        group.update({name: copy.deepcopy(value) for name, value in settings.items()
                      if names is None or name in names})


def _resume_schedulers(net, kept, group_settings):
    """Put the schedulers of a trained ``net``, just built by ``on_train_begin``
    (a step taken), back where its training left them.

    Parameters
    ----------
    net : skorch.NeuralNet
    kept : list of (LRScheduler, dict)
        The callbacks and states of the schedulers of the fit before (a warm
        fit), as :func:`_built_schedulers` returned them; empty for a loaded
        net, whose schedulers are then set to the steps its history counts,
        with its learning rates as the last.
    group_settings : list of dict
        The settings of the parameter groups before the schedulers were built
        (:func:`_group_settings`), of which those schedulers move (learning
        rates, and the momentum a cyclic scheduler moves) are put back; the
        others, and all of them without schedulers, are left as
        ``on_train_begin`` set them (a callback of the user's may set them there).
    """
    if not kept:
        kept = [(callback, {**state,
                            "_last_lr": [settings["lr"] for settings in group_settings],
                            "last_epoch": (callback.batch_idx_ if callback.step_every == "batch"
                                           else len(net.history))})
                for callback, state in _built_schedulers(net)]
    if kept:
        _set_group_settings(net, group_settings, _SCHEDULED_SETTINGS)
    for callback, state in kept:
        callback.lr_scheduler_.load_state_dict(state)


def _end_training_run(nets_and_data):
    """End every net's run, each one's even where a Ctrl-C cut another's short;
    the interrupt is raised after."""
    interrupt = None
    for net, data in nets_and_data:
        try:
            net.notify("on_train_end", X=data, y=None)
        except KeyboardInterrupt as caught:
            interrupt = interrupt or caught
        _compact_history(net)
    if interrupt is not None:
        raise interrupt


#: What skorch itself records of a batch.
_SKORCH_BATCH_KEYS = {"train_loss", "train_batch_size", "valid_loss", "valid_batch_size"}


def _compact_history(net):
    """Keep only the last batch record of each epoch of ``net.history`` where its
    records hold no more than skorch's own losses and sizes.

    They grow with rows times epochs (hundreds of MB for a million rows over 200
    meta-epochs, against kilobytes of weights), in memory and in every saved
    file, while the epoch's record keeps their mean loss and their count
    (``train_batch_count``, which skorch's ``LRScheduler`` reads), and the last
    record names the files of skorch's ``Checkpoint``. Records a callback added
    to (the learning rates of a scheduler stepped every batch) are kept.
    """
    for epoch in net.history:
        batches = epoch.get("batches") or []
        if len(batches) > 1 and all(record.keys() <= _SKORCH_BATCH_KEYS for record in batches):
            epoch["batches"] = batches[-1:]


#: torch's error for a batch normalisation that trains on a batch of one row.
_BATCH_OF_ONE = "Expected more than 1 value per channel when training"


def train_round(net, data, role):
    """Train ``net`` for its ``max_epochs`` epochs on ``data``; return the last loss.

    Within a :func:`training_run`: skorch's ``partial_fit`` would notify
    ``on_train_begin`` every round, and swallows a KeyboardInterrupt as if
    training had ended; this runs ``fit_loop`` alone and lets the interrupt
    through, wherever it was raised (a batch, or a callback at the end of an
    epoch).

    Raises
    ------
    KeyboardInterrupt
        If the round was interrupted.
    FloatingPointError
        If the loss, a logit or a tensor of the optimizer's state became inf
        or NaN.
    ValueError
        If a callback of the net reads a score its history lacks, or no
        parameter of the net trains.
    """
    net.criterion_.reset_guard()
    try:
        net.fit_loop(data)
        loss = float(net.history[-1, "train_loss"])
    # skorch's History raises KeyError; its LRScheduler a ValueError naming the key
    except (KeyError, ValueError, SkorchException) as error:
        if _BATCH_OF_ONE in str(error):
            raise ValueError(
                f"The {role}'s module normalises over each batch (BatchNorm, say), which "
                f"takes 2 rows or more, and trained on batches of one: "
                f"{str(error).rstrip('.')}. Give DistilledClassifier a batch_size of 2 or "
                "more (a last batch of one row joins the batch before it)."
            ) from error
        if _OUT_OF_STEPS.search(str(error)):
            raise ValueError(
                f"The {role} net's learning-rate scheduler ran out of steps at the net's "
                f"epoch {len(net.history)}: {str(error).rstrip('.')}. Its total_steps (or "
                "epochs x steps_per_epoch) must cover every epoch the net trains: "
                f"meta_epochs x {role.partition('[')[0]}_epochs (times the batches of an "
                "epoch where it steps every batch), plus those of the earlier fits under "
                "warm_start=True, which go on with the scheduler."
            ) from error
        if "not found in history" not in str(error):
            raise
        raise ValueError(
            f"The {role} net's history lacks a score: {str(error).rstrip('.')}. "
            "DistilledClassifier trains its nets without skorch's validation split (it "
            "holds out its own part and stops early itself), so no callback can read "
            "'valid_*' scores."
        ) from error
    except RuntimeError as error:
        if "does not require grad" in str(error):
            _check_trainable(net.module_, role)  # frozen since it was built (a Freezer)
        raise
    if net.criterion_.saw_non_finite() or not np.isfinite(loss):
        what = "logits became inf or NaN" if net.criterion_.saw_non_finite() else (
            f"training loss became {loss}"
        )
        raise non_finite_error(f"The {role}'s {what}")
    state = _non_finite_state(net.optimizer_)
    if state:
        raise FloatingPointError(
            f"The {role}'s optimizer state {state!r} became inf or NaN: gradients too "
            "large for float32, as features on a scale of about 1e22 can give whatever "
            "the learning rate (the weights it steps would stay as they are); training was "
            "stopped. Scale the input (StandardScaler) or check it for extreme values."
        )
    return loss


def non_finite_error(what):
    """The FloatingPointError that stops training where ``what`` ("The student's
    logits became inf or NaN") happened."""
    return FloatingPointError(
        f"{what}; training was stopped. Lower the learning rate, scale the input or check "
        "it for extreme or missing values (NaN or inf, which scikit-learn's "
        "assume_finite=True lets through)."
    )


def _non_finite_state(optimizer):
    """The name of a floating-point tensor of ``optimizer``'s state that holds
    inf or NaN (Adam's ``exp_avg_sq``, the squares of gradients near 1e19 or
    more), or None; the logits may stay finite meanwhile."""
    named = [(name, value) for state in optimizer.state.values()
             for name, value in state.items()
             if torch.is_tensor(value) and (value.is_floating_point() or value.is_complex())
             and value.layout == torch.strided and not value.is_meta]
    # one flag per device (on a GPU, Adam keeps its 0-d step on the host)
    by_device = {}
    for _, value in named:
        by_device.setdefault(value.device, []).append(torch.isfinite(value).all())
    if all(bool(torch.stack(flags).all()) for flags in by_device.values()):
        return None
    return next(name for name, value in named if not bool(torch.isfinite(value).all()))


def predict_logits(net, data, binary, device=None):
    """Logits of a fitted net for ``data`` in eval mode, without gradients.

    Batch by batch into one tensor allocated up front: skorch's ``forward``
    keeps a list of per-batch outputs and concatenates them, and those many
    small blocks, interleaved with the large dense batches, fragment the
    host heap so that resident memory grows with the number of rows.

    Parameters
    ----------
    net : skorch.NeuralNet
    data : TensorData
    binary : bool
        Whether there are two classes: the logits are then the positive
        class's, of shape (n,).
    device : str, torch.device or None, default=None
        Where the result is stored; None keeps it on the net's device.

    Returns
    -------
    logits : torch.Tensor of shape (n,) or (n, k)
    """
    logits = None
    start = 0
    # in float32 by default, as in fit: a module making a tensor in forward (an RNN's
    # zero state) trained under the caller's float64 default, then failed to predict
    with float32_by_default(where_needed=True):
        for batch_logits in net.forward_iter(data, training=False, device=device):
            # bfloat16 has no NumPy type, and every caller reads float32 or more
            batch_logits = batch_logits.to(
                torch.promote_types(batch_logits.dtype, torch.float32))
            if binary:
                batch_logits = binary_logits(batch_logits)
            if logits is None:
                logits = batch_logits.new_empty((len(data), *batch_logits.shape[1:]))
            logits[start : start + len(batch_logits)] = batch_logits
            start += len(batch_logits)
    return logits


def training_position(net):
    """Where the training of ``net`` stands, to go back to with
    :func:`return_to`: its epoch count, its optimizer's parameter-group
    settings (learning rates, momentum) and each learning-rate scheduler's
    state and batch count."""
    schedulers = [(callback, copy.deepcopy(state), callback.batch_idx_)
                  for callback, state in _built_schedulers(net)]
    return len(net.history), _group_settings(net), schedulers


def return_to(net, position):
    """Take ``net``'s history and learning-rate schedule back to a
    :func:`training_position`: the epochs since leave its history, and its
    schedulers' steps since are undone (not its weights)."""
    epochs, group_settings, schedulers = position
    del net.history[epochs:]
    _set_group_settings(net, group_settings)
    for callback, state, batch_index in schedulers:
        callback.lr_scheduler_.load_state_dict(copy.deepcopy(state))
        callback.batch_idx_ = batch_index


def module_state(net):
    """A copy of the weights of ``net``'s module, to restore later."""
    return {name: value.detach().clone() for name, value in net.module_.state_dict().items()}


def restore_module_state(net, state):
    """Load weights saved by :func:`module_state` into ``net``'s module."""
    net.module_.load_state_dict(state)
