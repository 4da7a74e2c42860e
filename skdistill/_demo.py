"""The ``skdistill demo`` run: a sequence teacher, a small student, and the peers.

On the embedded crotonylation windows (stratified 75/25 split), one-hot
encoded by :class:`~skdistill.preprocessing.SequenceEncoder`: a CNN teacher and
a CNN student many times smaller, distilled together (the teacher first, then
the student: ``schedule="sequential"``), against the same student trained
alone, ``HistGradientBoostingClassifier`` (on the letters as categories, its
native handling of categorical features) and ``LogisticRegression``.
"""

import time
import warnings

import numpy as np
import torch
from skorch import NeuralNet
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OrdinalEncoder

from ._classifier import DistilledClassifier
from .datasets import load_crotonylation
from .modules import CNN, count_parameters
from .preprocessing import SequenceEncoder, positions_frame

COLUMNS = (
    "model", "ROC AUC", "avg precision", "parameters", "fit s", "predict ms / 1,000",
)
#: The nets: (module parameters, learning rate) of each role.
TEACHER = ({"channels": (32, 32), "head_units": (64,), "dropout": 0.2}, 3e-3)
STUDENT = ({"channels": (12, 12)}, 3e-3)
#: The teacher term weighs 0.7 of the student's loss; half of each batch keeps
#: its true labels.
ALPHA, BETA = 0.7, 0.5
#: Rounds of the full run and of ``--quick`` (a 10,000-window subsample).
META_EPOCHS = {"full": 5, "quick": 4}
#: Student epochs per round, for the distilled student and the student alone
#: alike: the teacher's soft labels let the small student train longer
#: without overfitting (see the demo section of docs/benchmarks.md).
STUDENT_EPOCHS = 3
QUICK_SAMPLES = 10_000
BATCH_SIZE = 256


def _net(spec):
    module_params, lr = spec
    return NeuralNet(
        CNN, criterion=torch.nn.BCEWithLogitsLoss, optimizer=torch.optim.AdamW, lr=lr,
        optimizer__weight_decay=1e-2,
        **{f"module__{name}": value for name, value in module_params.items()},
    )


def _describe(spec):
    module_params, _ = spec
    return "CNN " + "-".join(str(c) for c in module_params["channels"]) + (
        " + " + "-".join(str(u) for u in module_params.get("head_units", ()))
        if module_params.get("head_units") else ""
    )


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _row(name, y_test, scores, parameters, fit_seconds, predict_seconds):
    return (
        name,
        f"{roc_auc_score(y_test, scores):.4f}",
        f"{average_precision_score(y_test, scores):.4f}",
        "-" if parameters is None else f"{parameters:,}",
        f"{fit_seconds:.1f}",
        f"{1000 * predict_seconds / len(y_test) * 1000:.2f}",
    )


def demo_split(quick=False, random_state=0):
    """The demo's training and test windows.

    Parameters
    ----------
    quick : bool, default=False
        Use a stratified subsample of ``QUICK_SAMPLES`` windows.
    random_state : int, default=0

    Returns
    -------
    windows_train, windows_test : ndarray of str of shape (n,)
    y_train, y_test : ndarray of shape (n,)
    """
    sequences, labels = load_crotonylation(return_X_y=True)
    if quick:
        sequences, _, labels, _ = train_test_split(
            sequences, labels, train_size=QUICK_SAMPLES, stratify=labels,
            random_state=random_state,
        )
    return train_test_split(
        sequences, labels, test_size=0.25, stratify=labels, random_state=random_state
    )


def encode(windows_train, windows_test):
    """One-hot encode the windows for the nets and LogisticRegression.

    Returns
    -------
    X_train, X_test : ndarray of shape (n, 609)
        :class:`~skdistill.preprocessing.SequenceEncoder` fitted on the
        training windows.
    """
    encoder = SequenceEncoder()
    return encoder.fit_transform(windows_train), encoder.transform(windows_test)


def _categorical_boosting(window_length, random_state):
    """HistGradientBoosting on one categorical feature per position."""
    return make_pipeline(
        FunctionTransformer(positions_frame),
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
        HistGradientBoostingClassifier(
            categorical_features=np.ones(window_length, dtype=bool), random_state=random_state
        ),
    )


def run_demo(quick=False, device="auto", random_state=0, verbose=1):
    """Train and compare the demo's five models on the crotonylation data.

    Parameters
    ----------
    quick : bool, default=False
        A 10,000-window subsample and fewer rounds: about 20 seconds with
        Python's start-up.
    device : str, default="auto"
    random_state : int, default=0
        Seeds the split and the models.
    verbose : int, default=1
        1 shows a progress bar per fit.

    Returns
    -------
    rows : list of tuple of str
        One row per model, in the order of :data:`COLUMNS`: teacher,
        distilled student, student alone, HistGradientBoosting,
        LogisticRegression. The distilled student's fit time includes its
        teacher's; the teacher row gives the teacher's own share.
    """
    windows_train, windows_test, y_train, y_test = demo_split(quick, random_state)
    X_train, X_test = encode(windows_train, windows_test)
    common = {
        "meta_epochs": META_EPOCHS["quick" if quick else "full"],
        "student_epochs": STUDENT_EPOCHS, "batch_size": BATCH_SIZE,
        "device": device, "random_state": random_state, "verbose": verbose,
    }
    with warnings.catch_warnings():
        # the few meta-epochs that fit the demo's time; early stopping keeps the best of them
        warnings.filterwarnings("ignore", "meta_epochs=", ConvergenceWarning)
        distilled, distilled_fit = _timed(
            DistilledClassifier(
                teacher=_net(TEACHER), student=_net(STUDENT), alpha=ALPHA, beta=BETA,
                schedule="sequential", **common,
            ).fit, X_train, y_train,
        )
        alone, alone_fit = _timed(
            DistilledClassifier(student=_net(STUDENT), alpha=0.0, **common).fit, X_train,
            y_train,
        )
    boosting, boosting_fit = _timed(
        _categorical_boosting(len(windows_train[0]), random_state).fit, windows_train, y_train
    )
    linear, linear_fit = _timed(LogisticRegression(C=0.1, max_iter=1000).fit, X_train, y_train)
    teacher_fit = float(np.sum(distilled.teacher_.history[:, "dur"]))
    student_size = count_parameters(distilled.student_.module_)
    rows = []
    for name, predict, inputs, parameters, fit_seconds in [
        (f"teacher ({_describe(TEACHER)})", distilled.teacher_predict_proba, X_test,
         count_parameters(distilled.teacher_.module_), teacher_fit),
        (f"distilled student ({_describe(STUDENT)})", distilled.predict_proba, X_test,
         student_size, distilled_fit),
        ("student alone (alpha=0)", alone.predict_proba, X_test, student_size, alone_fit),
        ("HistGradientBoostingClassifier (letters)", boosting.predict_proba, windows_test,
         None, boosting_fit),
        ("LogisticRegression(C=0.1)", linear.predict_proba, X_test,
         linear.coef_.size + linear.intercept_.size, linear_fit),
    ]:
        proba, predict_seconds = _timed(predict, inputs)
        rows.append(_row(name, y_test, proba[:, 1], parameters, fit_seconds, predict_seconds))
    return rows
