"""Export the student of a fitted DistilledClassifier to ONNX.

The exported graph computes what ``predict_proba`` computes from the matrix
the classifier receives: the column placement the classifier applies for its
sequence modules (when the input columns are not already in the
position-major layout), the student's forward pass, and the probabilities.
Everything before the classifier in a Pipeline (a ``SequenceEncoder``, a
``OneHotEncoder``) stays in Python::

    onnx_input = pipeline[:-1].transform(X)        # float32, dense
    session.run(None, {"X": onnx_input})[0]        # == pipeline.predict_proba(X)

``onnx`` and ``onnxscript`` (to export) and ``onnxruntime`` (to run the
result) are optional: ``pip install "skdistill[onnx]"``.
"""

import contextlib
import copy
import io
import json
import logging
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ._files import written_whole
from ._optional import import_optional
from ._random import callers_state_kept
from ._unwrap import fitted_classifier
from .losses import binary_logits

__all__ = ["INPUT_NAME", "OUTPUT_NAME", "export_onnx", "onnx_metadata"]

#: PyTorch's exporter writes larger weights beside the file, not in it (protobuf's
#: messages end at 2 GiB): export_onnx refuses a student of more.
MAX_WEIGHT_BYTES = 3 * 2**29

#: Name of the graph's input: float32 of shape (batch, `n_features_in_`).
INPUT_NAME = "X"
#: Name of the graph's output: float32 of shape (batch, n_classes).
OUTPUT_NAME = "probabilities"
#: Name of the dynamic first axis of the input and the output.
BATCH_AXIS = "batch"
#: Rows of the example input the graph is traced with; more than one, so that
#: the tracer cannot mistake the batch axis for a constant of size 1.
EXAMPLE_ROWS = 2


def _layout_sources(layout):
    """For each column of the module's layout, the input column it comes from.

    Columns no input feeds (letters never seen at a position) point one past
    the last input column, at the zero column :class:`StudentProbabilities`
    appends. None when the input already is in the layout.
    """
    if layout is None or layout.columns is None:
        return None
    columns = np.asarray(layout.columns)
    sources = np.full(layout.length * layout.alphabet_size, len(columns))
    sources[columns] = np.arange(len(columns))
    return torch.as_tensor(sources, dtype=torch.int64)


class StudentProbabilities(nn.Module):
    """A student module turned into ``predict_proba``, for export.

    Parameters
    ----------
    module : torch.nn.Module
        The fitted student module, in eval mode, on the CPU.
    binary : bool
        Whether there are two classes: the module's logit (or two logits) of
        the positive class becomes ``[1 - p, p]``; otherwise a softmax.
    sources : torch.Tensor of int64 or None, default=None
        For each column of the module's input, the column of ``X`` it takes
        (``n_features`` for a zero column); None passes ``X`` unchanged.

    Examples
    --------
    >>> import torch
    >>> from skdistill.modules import MLP
    >>> model = StudentProbabilities(MLP(input_dim=3).eval(), binary=True)
    >>> model(torch.zeros(4, 3)).shape
    torch.Size([4, 2])
    """

    def __init__(self, module, binary, sources=None):
        super().__init__()
        self.module = module
        self.binary = binary
        self.register_buffer("sources", sources)

    def forward(self, X):
        """Return class probabilities of shape (n, n_classes) for ``X``."""
        if self.sources is not None:
            # A gather reproduces the classifier's placement matmul exactly.
            X = nn.functional.pad(X, (0, 1)).index_select(1, self.sources)
        logits = self.module(X)
        if not self.binary:
            return torch.softmax(logits, dim=1)
        # sigmoid(-z), not 1 - sigmoid(z): the first column keeps its
        # precision (4e-8 at z = 17, where 1 - sigmoid(z) is 0 in float32).
        logits = binary_logits(logits)
        return torch.stack([torch.sigmoid(-logits), torch.sigmoid(logits)], dim=1)


def export_onnx(estimator, path):
    """Write the student of a fitted classifier as an ONNX model.

    The model takes the float32 matrix ``predict_proba`` takes, of shape
    (batch, ``n_features_in_``) with a dynamic batch axis, as input ``"X"``,
    and returns the class probabilities, of shape (batch, n_classes) in the
    order of ``classes_``, as output ``"probabilities"``. The file's metadata
    (``metadata_props``; ``custom_metadata_map`` in onnxruntime) says what
    the columns are: see :func:`~skdistill.onnx_export.onnx_metadata`. It includes the
    column placement the classifier applies for sequence modules, so it
    matches ``predict_proba`` of the classifier for the same matrix (within
    float32 rounding; ``predict_proba`` computes the last step in float64).
    The teachers are not exported.

    Parameters
    ----------
    estimator : DistilledClassifier or Pipeline
        A fitted classifier, or a fitted Pipeline (scikit-learn's or
        imbalanced-learn's) whose last step is one. Only the classifier is
        exported: the steps before it stay in Python, and
        ``pipeline[:-1].transform(X)`` (as a dense float32 array) is the
        input of the ONNX model; in an imbalanced-learn Pipeline, the
        ``transform`` of its steps but the samplers, which act in ``fit``
        only.
    path : str or os.PathLike
        File to write; its folder must exist. The weights are stored inside
        the file. The file is written whole or not at all: where the export
        fails (a full disk, a student that cannot be traced), an earlier file
        of that name is kept as it was. Its extension picks the format, as
        :func:`onnx.save_model` reads it: the binary model runtimes load for
        ``.onnx`` (or no known extension), ONNX's text formats, which
        onnxruntime does not load, for ``.json``, ``.textproto``,
        ``.onnxtxt`` and their like.

    Returns
    -------
    path : pathlib.Path
        The file written.

    Raises
    ------
    TypeError
        If ``estimator`` is not a DistilledClassifier or a Pipeline ending in
        one, or ``path`` is not a path.
    sklearn.exceptions.NotFittedError
        If the classifier is not fitted.
    ImportError
        If ``onnx`` or ``onnxscript`` is missing.
    ValueError
        If the student cannot be traced or converted (a module that branches
        on its data's values, an operation without an ONNX translation); the
        message names the student and the cause. If its weights exceed 1.5
        GiB (``MAX_WEIGHT_BYTES``), which one ONNX file cannot hold.
    OSError
        If ``path`` cannot be written (a folder, a missing parent folder, a
        full disk), naming it.

    Notes
    -----
    The student is traced by ``torch.export`` in strict (TorchDynamo) mode,
    with gradients enabled whatever the caller's mode, which keeps the batch
    size symbolic where a module reads it with ``len(X)``, and converted by
    PyTorch's ``torch.export``-based ONNX exporter, which writes ONNX opset 20
    (IR version 10, with torch 2.13): serve it with a runtime that reads it
    (onnxruntime 1.18 or later). Any student module that this exporter
    supports can be exported; the built-in ones (:mod:`skdistill.modules`)
    all are.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skdistill import DistilledClassifier, export_onnx
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> clf = DistilledClassifier(meta_epochs=2, random_state=0).fit(X, y)
    >>> export_onnx(clf, "student.onnx")  # doctest: +SKIP
    PosixPath('student.onnx')
    >>> import onnxruntime  # doctest: +SKIP
    >>> session = onnxruntime.InferenceSession("student.onnx")  # doctest: +SKIP
    >>> session.run(None, {"X": X[:2].astype("float32")})[0].shape  # doctest: +SKIP
    (2, 2)
    """
    classifier, _ = fitted_classifier(estimator, "export_onnx")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike; got {type(path).__name__}.")
    for module in ("onnx", "onnxscript"):
        import_optional(module, "onnx", "export_onnx")
    weight_bytes = sum(tensor.numel() * tensor.element_size()
                       for tensor in classifier.student_.module_.state_dict().values())
    if weight_bytes > MAX_WEIGHT_BYTES:
        raise ValueError(
            f"export_onnx writes one file, which holds at most "
            f"{MAX_WEIGHT_BYTES / 2**30:.1f} GiB of weights; the "
            f"student {type(classifier.student_.module_).__name__} has "
            f"{weight_bytes / 2**30:.2f} GiB."
        )
    # A copy on the CPU: exporting must not move or change the fitted student.
    student = copy.deepcopy(classifier.student_.module_).cpu().eval()
    model = StudentProbabilities(
        student, len(classifier.classes_) == 2, _layout_sources(classifier._layout)
    ).eval()
    example = torch.zeros(EXAMPLE_ROWS, classifier.n_features_in_, dtype=torch.float32)
    # The exporter's registry logs one line per torchvision operator when
    # torchvision is absent; the student uses none of them. The student is traced
    # in float32 whatever torch's default dtype, as it was fitted.
    with _logging_at("torch.onnx._internal.exporter._registration", logging.ERROR), \
            callers_state_kept(), written_whole(path) as written:
        _export(model, example, written, onnx_metadata(estimator))
    return Path(path)


def onnx_metadata(estimator):
    """The metadata :func:`~skdistill.export_onnx` writes into the file, all values text.

    Parameters
    ----------
    estimator : DistilledClassifier or Pipeline
        A fitted classifier, or a fitted Pipeline whose last step is one (its
        classifier's metadata).

    Returns
    -------
    metadata : dict of str to str
        ``"skdistill_version"``; ``"classes"``, the labels of the output's
        columns as a JSON list; ``"feature_names"``, the input's column
        names as a JSON list, where the classifier was fitted on named
        columns; ``"sequence_shape"``, ``[sequence_length, alphabet_size]``
        as JSON, where the shape was read from the data.

    Raises
    ------
    TypeError
        If ``estimator`` is not a DistilledClassifier or a Pipeline ending in one.
    sklearn.exceptions.NotFittedError
        If the classifier is not fitted.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.onnx_export import onnx_metadata
    >>> X, y = make_classification(n_samples=100, random_state=0)
    >>> clf = DistilledClassifier(meta_epochs=1, random_state=0).fit(X, ["no", "yes"] * 50)
    >>> onnx_metadata(clf)["classes"]
    '["no", "yes"]'
    """
    from . import __version__  # the package imports this module

    classifier, _ = fitted_classifier(estimator, "onnx_metadata")
    classes = classifier.classes_
    # dates and times as text: datetime64[ns] would become integers, and JSON has no dates
    if classes.dtype.kind in "mM":
        classes = classes.astype(str)
    metadata = {"skdistill_version": __version__,
                "classes": json.dumps(classes.tolist(), default=str)}
    if hasattr(classifier, "feature_names_in_"):
        metadata["feature_names"] = json.dumps(classifier.feature_names_in_.tolist())
    if classifier.sequence_shape_ is not None:
        metadata["sequence_shape"] = json.dumps(list(classifier.sequence_shape_))
    return metadata


@contextlib.contextmanager
def _logging_at(name, level):
    """Set the level of the logger ``name`` for the time of the block."""
    logger = logging.getLogger(name)
    before = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before)


def _export(model, example, path, metadata):
    """Trace ``model`` on ``example`` and write it to ``path`` as ONNX, with
    the ``metadata`` given."""
    # Traced with gradients enabled, whatever the caller's mode: under no_grad or
    # inference_mode, PyTorch's Transformer layers take a fused inference kernel that
    # has no ONNX translation.
    with warnings.catch_warnings(), torch.inference_mode(False), torch.enable_grad():
        # Raised inside torch 2.13's own export code; nothing a caller can change.
        warnings.filterwarnings("ignore", message=".*treespec, LeafSpec", category=FutureWarning)
        # torch.export prints the partial graph of a failed trace to stderr, and
        # logs the guards it failed to build (to the stderr its handler holds):
        # the error below says what failed; a successful trace's output is passed on.
        printed = io.StringIO()
        try:
            with contextlib.redirect_stderr(printed), _logging_at("torch._guards",
                                                                  logging.CRITICAL):
                program = torch.export.export(
                    model, (example,), dynamic_shapes={"X": {0: torch.export.Dim(BATCH_AXIS)}},
                    strict=True,
                )
        except Exception as error:  # noqa: BLE001 - torch.export raises many kinds
            raise _cannot_export(model, "trace", "torch.export (a module that branches on "
                                 "its data's values, say, one that fixes the batch size, "
                                 "such as a loop over rows, or an operation the exporter "
                                 "does not know)", error) from error
        if printed.getvalue() and sys.stderr is not None:  # None under pythonw, 2>&-
            with contextlib.suppress(OSError):
                sys.stderr.write(printed.getvalue())
        try:
            exported = torch.onnx.export(
                program, dynamo=True, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                dynamic_shapes={"X": {0: BATCH_AXIS}}, verbose=False,
            )
        except Exception as error:  # noqa: BLE001 - the converter raises many kinds
            # its own message is advice on reporting the failure; the cause is at the
            # end of the chain ("No ONNX function found for <OpOverload ...>")
            cause = error
            while cause.__cause__ is not None:
                cause = cause.__cause__
            raise _cannot_export(model, "convert", "PyTorch's ONNX exporter (an operation "
                                 "it has no ONNX translation for)", cause) from error
        exported.model.metadata_props.update(metadata)
        exported.save(path, external_data=False)


def _cannot_export(model, step, by_what, error):
    """The ValueError of a student that cannot be exported, naming it and the cause."""
    first_line = str(error).splitlines()[0] if str(error) else ""
    return ValueError(
        f"export_onnx cannot {step} the student {type(model.module).__name__} with {by_what}: "
        f"{type(error).__name__}: {first_line}"
    )
