"""Shared plumbing of the example scripts: options, data, figures.

The options are checked as they are parsed: a bad value ends in argparse's
usage line and ``error: argument --X: ...`` (exit status 2).

The crotonylation scripts all use the same stratified 80/20 split of the embedded
data set, one-hot encoded by a :class:`~skdistill.preprocessing.SequenceEncoder`
fitted on the training windows; ``--n-samples`` draws a stratified subsample first
for quick runs. Every fit runs the budget of ``--meta-epochs``, early stopping
keeping the best of them: the ConvergenceWarning that the budget ran out before
early stopping ended a fit is expected here, and not shown.
"""

import argparse
import os
import warnings

import torch
from skorch import NeuralNet
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skdistill._argtypes import (
    can_write_into, numpy_seed, positive_int, sample_count, torch_device,
)
from skdistill.datasets import load_crotonylation
from skdistill.preprocessing import SequenceEncoder

warnings.filterwarnings("ignore", "meta_epochs=", ConvergenceWarning)


def comma_separated(parse_item):
    """Return an argparse ``type`` that parses a comma-separated list.

    Parameters
    ----------
    parse_item : callable
        An argparse ``type`` for one item.

    Returns
    -------
    parse : callable
        Takes the option's text and returns the list of parsed items, each
        once, in the order first given (a repeated one would be run and
        counted twice); an empty item, or one that ``parse_item`` refuses,
        raises ``argparse.ArgumentTypeError``.
    """
    def parse(text):
        items = [item.strip() for item in text.split(",")]
        if not all(items):
            raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}")
        return list(dict.fromkeys(parse_item(item) for item in items))

    return parse


def output_folder(text):
    """Parse ``--output``: a folder, or one that can be made in the nearest
    existing folder above it, so that a long run does not end unable to save
    its figure. Nothing is made here (``--help`` may follow).

    Parameters
    ----------
    text : str

    Returns
    -------
    folder : str
        ``text``, ``~`` expanded, checked.
    """
    if not text:
        raise argparse.ArgumentTypeError("expected a folder, got an empty string")
    folder = os.path.expanduser(text)
    existing = os.path.abspath(folder)
    while not os.path.lexists(existing):  # a dangling link exists, and is no folder
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise argparse.ArgumentTypeError(f"{existing!r} is not a folder")
    if not can_write_into(existing):
        raise argparse.ArgumentTypeError(f"cannot write into the folder {existing!r}")
    return folder


def build_parser(description, meta_epochs=20):
    """Return a parser with the options every example script takes.

    Parameters
    ----------
    description : str
        The script's docstring, shown by ``--help``.
    meta_epochs : int, default=20
        Default of ``--meta-epochs``.

    Returns
    -------
    parser : argparse.ArgumentParser
        With ``--n-samples``, ``--meta-epochs``, ``--device``, ``--random-state``,
        ``--output`` and ``--quiet``.
    """
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n-samples", type=sample_count, default=None,
                        help="stratified subsample of the data for a quick run (default: all)")
    parser.add_argument("--meta-epochs", type=positive_int, default=meta_epochs,
                        help=f"meta-epochs of every fit (default {meta_epochs})")
    parser.add_argument("--device", type=torch_device, default="auto",
                        help="torch device (default auto)")
    parser.add_argument("--random-state", type=numpy_seed, default=0,
                        help="seed of the models (default 0)")
    parser.add_argument("--output", type=output_folder, default=".",
                        help="folder the figure is saved in, made if missing (default: "
                             "current directory)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


def net(module, lr=1e-3, weight_decay=0.1, **module_params):
    """An unfitted skorch net of ``module`` trained with AdamW.

    Parameters
    ----------
    module : torch.nn.Module subclass
    lr : float, default=1e-3
    weight_decay : float, default=0.1
        AdamW's decoupled weight decay.
    **module_params
        Passed to the module as ``module__<name>``; DistilledClassifier fills in
        the sizes it reads from the data.

    Returns
    -------
    net : skorch.NeuralNet
        Its criterion is a placeholder that DistilledClassifier replaces.
    """
    return NeuralNet(
        module, criterion=torch.nn.BCEWithLogitsLoss, optimizer=torch.optim.AdamW, lr=lr,
        optimizer__weight_decay=weight_decay,
        **{f"module__{name}": value for name, value in module_params.items()},
    )


def model_name(net):
    """Name a skorch net spec by its module and module parameters.

    Parameters
    ----------
    net : skorch.NeuralNet
        Unfitted or fitted; the data-filled sizes (``input_dim``, ...) are left out.

    Returns
    -------
    name : str
        For example ``"CNN(channels=(64, 64), dropout=0.2)"``.
    """
    filled = {"input_dim", "output_dim", "sequence_length", "alphabet_size"}
    params = [
        f"{key[len('module__'):]}={value!r}"
        for key, value in net.get_params(deep=False).items()
        if key.startswith("module__") and key[len("module__"):] not in filled
    ]
    return f"{net.module.__name__}({', '.join(params)})"


def fit_options(args):
    """Keyword arguments of ``DistilledClassifier`` taken from the parsed options.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed by a parser from :func:`build_parser`.

    Returns
    -------
    options : dict
        ``meta_epochs``, ``device`` and ``verbose``.
    """
    return {"meta_epochs": args.meta_epochs, "device": args.device,
            "verbose": 0 if args.quiet else 1}


def subsample(X, y, n_samples):
    """Return a stratified subsample of ``n_samples`` samples, or all of them.

    Parameters
    ----------
    X, y : array-like of shape (n, ...) and (n,)
    n_samples : int or None
        None (or at least ``n``) keeps every sample.

    Returns
    -------
    X, y : the subsample, drawn with ``random_state=0``.
    """
    if n_samples is None or n_samples >= len(y):
        return X, y
    X, _, y, _ = train_test_split(X, y, train_size=n_samples, stratify=y, random_state=0)
    return X, y


def crotonylation_split(n_samples=None):
    """Load, split and encode the crotonylation windows.

    Parameters
    ----------
    n_samples : int or None, default=None
        Size of a stratified subsample drawn before splitting; None uses all
        73,927 windows.

    Returns
    -------
    X_train, X_test : ndarray of shape (n, 609)
        Position-major one-hot windows (29 positions x 21 letters).
    y_train, y_test : ndarray of shape (n,)
        Labels, 1 for a crotonylation site.
    """
    sequences, labels = subsample(*load_crotonylation(return_X_y=True), n_samples)
    seq_train, seq_test, y_train, y_test = train_test_split(
        sequences, labels, test_size=0.2, stratify=labels, random_state=0
    )
    encoder = SequenceEncoder().fit(seq_train)
    return encoder.transform(seq_train), encoder.transform(seq_test), y_train, y_test


def describe_split(y_train, y_test):
    """One line naming the crotonylation split, to print above a table."""
    positives = (y_train.sum() + y_test.sum()) / (len(y_train) + len(y_test))
    return (
        f"Lysine crotonylation windows: {len(y_train):,} training, {len(y_test):,} test "
        f"(stratified 80/20, {positives:.1%} positive), one-hot encoded by SequenceEncoder."
    )


def pyplot():
    """Return ``matplotlib.pyplot`` on the non-interactive Agg backend.

    Raises
    ------
    SystemExit
        With a hint to install matplotlib when it is missing. Scripts call
        this before training, so a long run does not end without its figure.
    """
    try:
        import matplotlib
    except ImportError:
        raise SystemExit(
            "These examples save a figure with matplotlib, which is not installed: "
            'pip install matplotlib (or pip install ".[docs]").'
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(figure, output, name):
    """Save ``figure`` as ``output/name`` (making the folder) and say where.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    output : str
        Folder, as :func:`output_folder` checked it.
    name : str
        File name, e.g. ``"ablation.png"``.

    Returns
    -------
    path : str
    """
    os.makedirs(output, exist_ok=True)
    path = os.path.join(output, name)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    print(f"saved {path}")
    return path
