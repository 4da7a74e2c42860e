"""Time a default fit on small tables, where the per-step overhead shows.

``DistilledClassifier()`` with its defaults (early stopping, automatic batch
size) against scikit-learn's ``MLPClassifier()`` on three small standardised
tables, CPU seconds of the process (``time.process_time``, so that other jobs
on the machine count less), the least of ``--repeats`` fits after one warm-up
fit (the first fit of a process imports torch's compiler stack once). Run::

    python benchmarks/small_fit.py [--repeats 5] [--threads 1]

and it prints, per table, the rows, the meta-epochs the default ran and the
seconds of each model.
"""

import argparse
import time
import warnings

import torch
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from skdistill import DistilledClassifier
from skdistill._argtypes import positive_int


def tables():
    """Name, X (standardised) and y of each table."""
    breast_cancer = load_breast_cancer(return_X_y=True)
    for name, (X, y) in {
        "make_classification(600, 20)": make_classification(600, 20, random_state=0),
        "breast cancer (569, 30)": breast_cancer,
        "make_classification(4000, 20)": make_classification(4000, 20, random_state=0),
    }.items():
        yield name, StandardScaler().fit_transform(X), y


def least_cpu_seconds(make, X, y, repeats):
    """The least CPU time of ``repeats`` fits of ``make()``, and the last model."""
    best = float("inf")
    for _ in range(repeats):
        model = make()
        start = time.process_time()
        model.fit(X, y)
        best = min(best, time.process_time() - start)
    return best, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=positive_int, default=5)
    parser.add_argument("--threads", type=positive_int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    warnings.simplefilter("ignore", ConvergenceWarning)
    X, y = make_classification(200, 5, random_state=0)
    DistilledClassifier(random_state=0).fit(X, y)  # warm-up
    print(f"{'table':<32}{'n_iter_':>8}{'distilled s':>13}{'mlp s':>8}")
    for name, X, y in tables():
        distilled, model = least_cpu_seconds(
            lambda: DistilledClassifier(random_state=0), X, y, args.repeats)
        mlp, _ = least_cpu_seconds(lambda: MLPClassifier(random_state=0), X, y, args.repeats)
        print(f"{name:<32}{model.n_iter_:>8}{distilled:>13.3f}{mlp:>8.3f}")


if __name__ == "__main__":
    main()
