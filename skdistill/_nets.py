"""skorch plumbing: in-memory batch data, the student's criterion, net building.

skorch's default data path indexes samples one at a time through a
``DataLoader`` and collates them; for the small models distillation produces,
that costs more than the optimisation itself. Here the training data goes to
the device once as whole tensors and every batch is one slice or one gather.
"""

import copy
import inspect
import math

import numpy as np
import scipy.sparse as sp
import torch
from skorch import NeuralNet
from sklearn.base import clone
from torch import nn

from .modules import MLP

#: Hyper-parameters of the nets built for a bare module (or ``None``).
DEFAULT_NET_PARAMS = {
    "optimizer": torch.optim.AdamW,
    "lr": 1e-3,
    "optimizer__weight_decay": 0.1,
    "optimizer__fused": True,
}
DEFAULT_TEACHER = {"module": MLP, "module__hidden_units": (128, 64), "module__dropout": 0.5}
DEFAULT_STUDENT = {"module": MLP, "module__hidden_units": (16,)}
#: Inference needs no gradients, so it can afford larger batches.
INFERENCE_BATCH_SIZE = 4096


def _take(values, index):
    if values is None:
        return None
    if isinstance(values, dict):
        return {key: _take(value, index) for key, value in values.items()}
    return values[index]


class TensorData(torch.utils.data.Dataset):
    """Samples held as whole tensors on one device, served batch by batch.

    Parameters
    ----------
    X : numpy.ndarray or scipy.sparse matrix of shape (n_samples, n_features)
        Dense input moves to ``device`` once; sparse input stays a CSR matrix
        on the host and each batch is densified on its own.
    y : torch.Tensor, dict of torch.Tensor or None, default=None
        Targets, already on ``device``; a dict is served as a dict.
    device : str or torch.device, default="cpu"
    """

    def __init__(self, X, y=None, device="cpu"):
        self.device = torch.device(device)
        self.is_sparse = sp.issparse(X)
        if self.is_sparse:
            self.X = sp.csr_matrix(X)
        else:
            # torch cannot share a read-only buffer (a memory map, say): copy it.
            self.X = torch.as_tensor(X if X.flags.writeable else X.copy(), device=self.device)
        self.y = y

    def __len__(self):
        return self.X.shape[0]

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
        """Return a dataset of the samples at ``index`` (an index tensor), copied."""
        data = copy.copy(self)
        data.X = self.X[index.numpy()] if self.is_sparse else self.X[index.to(self.device)]
        data.y = _take(self.y, index.to(self.device))
        return data

    def take(self, index):
        """Return the batch ``(X, y)`` at ``index``, a slice or an index tensor."""
        if self.is_sparse:
            rows = index if isinstance(index, slice) else index.numpy()
            X = torch.from_numpy(self.X[rows].toarray()).to(self.device, non_blocking=True)
            if not isinstance(index, slice):
                index = index.to(self.device)
        else:
            X = self.X[index]
        return X, _take(self.y, index)


class BatchIterator:
    """Iterate over a :class:`TensorData` in batches of whole-tensor slices.

    Used as skorch's ``iterator_train`` and ``iterator_valid``. The order is
    drawn from torch's global generator, so seeding torch makes it reproducible.

    Parameters
    ----------
    dataset : TensorData
    batch_size : int
    shuffle : bool, default=False
    """

    def __init__(self, dataset, batch_size, shuffle=False):
        if not isinstance(dataset, TensorData):
            raise TypeError(
                f"BatchIterator serves TensorData only, got {type(dataset).__name__}."
            )
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self):
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self):
        n_samples = len(self.dataset)
        starts = range(0, n_samples, self.batch_size)
        if not self.shuffle:
            for start in starts:
                yield self.dataset.take(slice(start, start + self.batch_size))
            return
        order = torch.randperm(n_samples, device=self.dataset.index_device)
        for start in starts:
            yield self.dataset.take(order[start : start + self.batch_size])


class DistillationNet(NeuralNet):
    """skorch's ``NeuralNet``, minus a per-batch cost.

    skorch switches every module and criterion to train mode before each
    batch; for the small nets of distillation that walk is a sizeable share of
    a step, so it is skipped while the module already is in the asked mode.
    """

    def _set_training(self, training=True):
        if self.module_.training is not training:
            super()._set_training(training)


class StudentCriterion(nn.Module):
    """skorch criterion of the student: splits each batch, then distills.

    The first ``round(beta * n)`` samples of a (shuffled) batch keep their true
    labels; the rest are labelled by the teacher.

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
        """Loss of a batch whose targets are ``{"target", "teacher_logits"}``."""
        target = y_true["target"]
        n_true = math.floor(self.beta * len(target) + 0.5)
        keeps_label = torch.arange(len(target), device=target.device) < n_true
        return self.distillation_loss(
            logits, target, y_true.get("teacher_logits"), keeps_label=keeps_label
        )


def _accepts(module, name):
    if not isinstance(module, type):
        return False
    return name in inspect.signature(module).parameters


def _module_params(spec, default):
    if spec is None:
        return default
    if isinstance(spec, nn.Module):
        return {"module": copy.deepcopy(spec)}
    if isinstance(spec, type) and issubclass(spec, nn.Module):
        return {"module": spec}
    raise TypeError(
        "teacher and student must be None, a torch.nn.Module subclass or "
        f"instance, or a skorch NeuralNet; got {spec!r}."
    )


def _net_class_and_params(spec, default):
    if isinstance(spec, NeuralNet):
        return type(spec), clone(spec).get_params(deep=False)
    return DistillationNet, {**DEFAULT_NET_PARAMS, **_module_params(spec, default)}


def needs_sequence_shape(spec, default):
    """Whether the module built from ``spec`` wants a sequence shape filled in.

    True for a module class taking ``sequence_length`` (the sequence modules)
    whose shape the user left unset; a module instance is already built.
    """
    _, params = _net_class_and_params(spec, default)
    return _accepts(params["module"], "sequence_length") and not any(
        f"module__{name}" in params for name in ("sequence_length", "alphabet_size")
    )


def build_net(spec, default, *, criterion, max_epochs, batch_size, device, module_dims):
    """Return an unfitted skorch net wired for in-memory batches.

    Parameters
    ----------
    spec : None, torch.nn.Module subclass or instance, or skorch.NeuralNet
        What the user passed. A skorch net is cloned (unfitted) and keeps its module,
        optimizer and learning rate; anything else gets the default settings.
    default : dict
        Net parameters used when ``spec`` is None.
    criterion : torch.nn.Module
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
    """
    net_class, params = _net_class_and_params(spec, default)
    for name, value in module_dims.items():
        if _accepts(params["module"], name):
            params.setdefault(f"module__{name}", value)
    # skorch accepts torch components such as the criterion only at construction.
    params.update(
        criterion=criterion,
        max_epochs=max_epochs,
        batch_size=batch_size,
        iterator_train=BatchIterator,
        iterator_valid=BatchIterator,
        iterator_train__shuffle=True,
        iterator_valid__batch_size=max(batch_size, INFERENCE_BATCH_SIZE),
        train_split=None,
        device=device,
        verbose=0,
    )
    net = net_class(**params)
    return net


def predict_logits(net, data, device=None):
    """Logits of a fitted net for ``data`` in eval mode, without gradients.

    Parameters
    ----------
    net : skorch.NeuralNet
    data : TensorData
    device : str, torch.device or None, default=None
        Where the result is stored; None keeps it on the net's device.

    Returns
    -------
    logits : torch.Tensor of shape (n,) or (n, k)
    """
    logits = net.forward(data, training=False, device=device)
    if logits.ndim == 2 and logits.shape[1] == 1:
        logits = logits[:, 0]
    return logits


def last_epoch_loss(net, role):
    """The mean training loss of the net's last epoch; raise if not finite."""
    loss = net.history[-1, "train_loss"]
    if not np.isfinite(loss):
        raise FloatingPointError(
            f"The {role}'s training loss became {loss}; training was stopped. "
            "Lower the learning rate, scale the input or check it for extreme values."
        )
    return loss
