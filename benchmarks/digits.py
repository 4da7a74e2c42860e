"""Accuracy of the default DistilledClassifier on scikit-learn's digits.

The multiclass check of the defaults: 1,200 of the 1,797 8x8 digit images to
train (stratified), the other 597 to test, pixels scaled to [0, 1]. The
default ``DistilledClassifier(random_state=seed)`` (and its teacher) against
``MLPClassifier`` and ``LogisticRegression``, over a few seeds of the split and
the models. Run::

    python benchmarks/digits.py [--seeds 3] [--threads 2]

and it prints test accuracy per model and seed, with fit seconds.
"""

import argparse
import time
from contextlib import nullcontext

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from skdistill import DistilledClassifier
from skdistill._argtypes import positive_int
from skdistill.cli import format_table

N_TRAIN = 1200


def split(seed):
    """The stratified 1,200 / 597 split of the digits, pixels in [0, 1]."""
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, train_size=N_TRAIN, stratify=y, random_state=seed)


def models(seed):
    """The models compared, by name."""
    return {
        "DistilledClassifier()": DistilledClassifier(random_state=seed),
        "MLPClassifier()": MLPClassifier(random_state=seed),
        "LogisticRegression()": LogisticRegression(max_iter=2000),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=positive_int, default=3, help="seeds 0..N-1 (default 3)")
    parser.add_argument("--threads", type=positive_int, default=None,
                        help="threads of torch and of the BLAS and OpenMP pools "
                             "(threadpoolctl), for every model")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    limits = nullcontext() if args.threads is None else threadpool_limits(args.threads)
    with limits:
        accuracies, seconds = fit_all(args.seeds)
    rows = [
        (name, *(f"{value:.4f}" for value in values), f"{np.mean(values):.4f}",
         "-" if np.isnan(seconds[name]).all() else f"{np.mean(seconds[name]):.1f}")
        for name, values in accuracies.items()
    ]
    columns = ("model", *(f"seed {seed}" for seed in range(args.seeds)), "mean", "fit s")
    print(f"digits: {N_TRAIN} images to train, {1797 - N_TRAIN} to test; test accuracy")
    print(format_table(rows, columns))


def fit_all(n_seeds):
    """Test accuracies and fit seconds of every model (and the teacher) per seed."""
    accuracies, seconds = {}, {}
    for seed in range(n_seeds):
        X_train, X_test, y_train, y_test = split(seed)
        for name, model in models(seed).items():
            start = time.perf_counter()
            model.fit(X_train, y_train)
            seconds.setdefault(name, []).append(time.perf_counter() - start)
            accuracies.setdefault(name, []).append(accuracy_score(y_test, model.predict(X_test)))
            if isinstance(model, DistilledClassifier):
                teacher = model.teacher_predict_proba(X_test).argmax(axis=1)
                accuracies.setdefault("  its teacher", []).append(
                    accuracy_score(y_test, model.classes_[teacher])
                )
                seconds.setdefault("  its teacher", []).append(np.nan)
    return accuracies, seconds


if __name__ == "__main__":
    main()
