"""Resampling before DistilledClassifier, next to the PU risk's own class re-weighting.

The imbalanced PU risk with ``prior=0`` is a class-balanced risk: positives and
negatives each weigh ``target_prior`` and ``1 - target_prior`` (0.5: equal) whatever
their counts. A sampler of imbalanced-learn balances the classes too, by changing the
data instead of the loss. This script measures what each does, alone and together:

- samplers: none, ``RandomUnderSampler``, ``RandomOverSampler``, ``SMOTE`` (each to
  equal class counts), in ``imblearn.pipeline`` before the classifier;
- losses: the default (PU risk, ``target_prior=0.5``) and ``true_label_loss="bce"``
  (plain cross-entropy, which weighs every sample alike).

Data: a stratified subsample of the embedded crotonylation windows (15,000 of 73,927
by default, 9.2 % positive), one-hot encoded by ``SequenceEncoder`` (fitted on the
training part), a stratified 75/25 split per seed; default MLP nets and budget
(early stopping on a held-out tenth of the resampled training data). Reported on the
test part, as the mean over seeds: ROC AUC, average precision, F1 at probability 0.5,
the fraction of test samples predicted positive (9.2 % are), and the fit time
(resampling included). Run::

    OMP_NUM_THREADS=1 python benchmarks/resampling.py [--n-samples 15000] [--seeds 0 1 2]
"""

import argparse
import time

import numpy as np
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split

from skdistill import DistilledClassifier
from skdistill._argtypes import numpy_seed, positive_int, sample_count
from skdistill.cli import format_table
from skdistill.datasets import load_crotonylation
from skdistill.preprocessing import SequenceEncoder

SAMPLERS = {
    "none": None,
    "RandomUnderSampler": RandomUnderSampler,
    "RandomOverSampler": RandomOverSampler,
    "SMOTE": SMOTE,
}
LOSSES = {"PU risk (target_prior=0.5)": {}, "bce": {"true_label_loss": "bce"}}
COLUMNS = ("loss", "sampler", "ROC AUC", "avg precision", "F1 at 0.5", "predicted positive",
           "fit time (s)")


def parse_args(description=__doc__):
    """``--n-samples`` and ``--seeds``, the options of the scripts on the windows."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n-samples", type=sample_count, default=15000,
                        help="stratified subsample of the windows (default 15000)")
    parser.add_argument("--seeds", type=numpy_seed, nargs="+", default=[0],
                        help="seeds of the subsample, split, samplers and models (default 0)")
    return parser.parse_args()


def split(n_samples, seed):
    """Encoded training and test parts of a stratified subsample."""
    sequences, labels = load_crotonylation(return_X_y=True)
    sequences, _, labels, _ = train_test_split(
        sequences, labels, train_size=n_samples, stratify=labels, random_state=seed
    )
    seq_train, seq_test, y_train, y_test = train_test_split(
        sequences, labels, test_size=0.25, stratify=labels, random_state=seed
    )
    encoder = SequenceEncoder().fit(seq_train)
    return encoder.transform(seq_train), encoder.transform(seq_test), y_train, y_test


def score(sampler_name, loss_params, parts, seed):
    X_train, X_test, y_train, y_test = parts
    classifier = DistilledClassifier(device="cpu", random_state=seed, **loss_params)
    sampler = SAMPLERS[sampler_name]
    model = classifier if sampler is None else make_pipeline(
        sampler(random_state=seed), classifier
    )
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    positive = model.predict_proba(X_test)[:, 1]
    return (roc_auc_score(y_test, positive), average_precision_score(y_test, positive),
            f1_score(y_test, positive > 0.5), np.mean(positive > 0.5), seconds)


def main():
    args = parse_args()
    results = {}
    for seed in args.seeds:
        parts = split(args.n_samples, seed)
        for loss_name, loss_params in LOSSES.items():
            for sampler_name in SAMPLERS:
                values = score(sampler_name, loss_params, parts, seed)
                results.setdefault((loss_name, sampler_name), []).append(values)
                print(f"seed {seed}, {loss_name}, {sampler_name}: "
                      + ", ".join(f"{v:.4f}" for v in values), flush=True)
    rows = []
    for (loss_name, sampler_name), values in results.items():
        auc, ap, f1, predicted, seconds = np.mean(values, axis=0)
        rows.append((loss_name, sampler_name, f"{auc:.4f}", f"{ap:.4f}", f"{f1:.4f}",
                     f"{predicted:.1%}", f"{seconds:.0f}"))
    print(f"\n{args.n_samples:,} windows, seeds {args.seeds}, 75/25 split; test-set means:")
    print(format_table(rows, COLUMNS))


if __name__ == "__main__":
    main()
