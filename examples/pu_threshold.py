"""Can an estimated prior buy F1 through the decision threshold? (PU learning)

``examples/pu_learning.py`` finds that F1 at the 0.5 threshold does not rise
systematically when nnPU is given the prior: with ``target_prior=0.5`` the risk's
best decision rule is the same with any prior. What a prior does allow is an estimate of F1 itself from
PU labels (``skdistill.metrics.pu_estimated_f1_score``): on labelled positives and
unlabeled samples held out from training, recall ``r`` is the share of labelled
positives above a threshold (SCAR), the positive rate of all samples is
``p = l + (1 - l) * prior`` (``l`` the labelled share), so precision is
``r * p / P(score above the threshold)``, and F1 follows.
This script picks, for each model, the threshold that maximises that estimate on a
held-out fifth of the PU training labels, and scores it on the true test labels,
next to F1 at 0.5 and the best F1 the same kind of thresholds (quantiles of the
test scores) reach there (an oracle, for scale; a threshold chosen on held-out
scores can fall between those quantiles and beat it slightly). ``prior=0`` makes
the same estimate with no hidden positives: F1 on the PU labels taken as true. The summary compares
each prior's F1 with ``prior=0``'s, both at 0.5 and both at their own thresholds.

Data, label frequencies and models as in ``examples/pu_learning.py``
(``DistilledClassifier`` students with ``prior`` 0, the true prior and "estimate"),
each trained on four fifths of the training part. Run::

    python examples/pu_threshold.py [--quiet] [--datasets ...] [--label-frequencies ...]
"""

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from _evidence import fit_options
from pu_learning import PRIORS, build_pu_parser, load
from skdistill import DistilledClassifier
from skdistill.cli import format_table
from skdistill.metrics import pu_estimated_f1_score
from skdistill.pu import make_pu_labels

COLUMNS = ("data set", "c", "model", "prior_", "F1 at 0.5", "F1 at PU-F1 threshold",
           "threshold", "oracle F1")
#: Thresholds tried: quantiles of the held-out scores.
QUANTILES = np.linspace(0.01, 0.99, 197)


def pu_f1_threshold(scores, s, prior):
    """The threshold on held-out ``scores`` with the best F1 estimated from PU
    labels ``s`` and ``prior`` (:func:`skdistill.metrics.pu_estimated_f1_score`)."""
    thresholds = np.unique(np.quantile(scores, QUANTILES))
    estimates = [pu_estimated_f1_score(s, (scores >= threshold).astype(int), prior=prior)
                 for threshold in thresholds]
    return thresholds[int(np.argmax(estimates))]


def oracle_f1(y_true, proba):
    """The best F1 on the true labels over the same kind of thresholds (quantiles)."""
    return max(f1_score(y_true, proba >= threshold)
               for threshold in np.unique(np.quantile(proba, QUANTILES)))


def rows_for(name, c, data, args):
    X_train, X_test, y_train, y_test = data
    s = make_pu_labels(y_train, c, random_state=args.random_state)
    true_prior = float(y_train[s == 0].mean())
    X_fit, X_held, s_fit, s_held = train_test_split(
        X_train, s, test_size=0.2, stratify=s, random_state=args.random_state
    )
    options = {"random_state": args.random_state, **fit_options(args)}
    rows, f1 = [], {}
    for treatment, prior in zip(PRIORS, (0.0, true_prior, "estimate")):
        model = DistilledClassifier(prior=prior, **options).fit(X_fit, s_fit)
        proba = model.predict_proba(X_test)[:, 1]
        threshold = pu_f1_threshold(model.predict_proba(X_held)[:, 1], s_held, model.prior_)
        f1[treatment] = (f1_score(y_test, proba > 0.5), f1_score(y_test, proba >= threshold))
        rows.append((name, f"{c}", treatment, f"{model.prior_:.3f}", f"{f1[treatment][0]:.4f}",
                     f"{f1[treatment][1]:.4f}", f"{threshold:.3f}",
                     f"{oracle_f1(y_test, proba):.4f}"))
    return rows, f1


def main():
    args = build_pu_parser(__doc__).parse_args()
    rows, wins = [], {(treatment, which): [] for treatment in PRIORS[1:]
                      for which in ("at 0.5", "at the PU-F1 threshold")}
    for name in args.datasets:
        data = load(name, args.n_samples)
        for c in args.label_frequencies:
            setting_rows, f1 = rows_for(name, c, data, args)
            rows.extend(setting_rows)
            for treatment, which in wins:
                index = 0 if which == "at 0.5" else 1
                if f1[treatment][index] > f1[PRIORS[0]][index]:
                    wins[treatment, which].append(f"{name} c={c}")
            print(f"{name} c={c}: done", flush=True)
    print(format_table(rows, COLUMNS))
    print("F1 on the true labels of the test part.")
    for (treatment, which), settings in wins.items():
        print(f"{treatment}, F1 {which}, above {PRIORS[0]}'s F1 {which} in "
              f"{len(settings)} of {len(rows) // len(PRIORS)} settings: {', '.join(settings) or 'none'}")
    for treatment in PRIORS:
        better = [row for row in rows if row[2] == treatment and float(row[5]) > float(row[4])]
        print(f"{treatment}: F1 at its PU-F1 threshold above its F1 at 0.5 in {len(better)} "
              f"of {len(rows) // len(PRIORS)} settings")


if __name__ == "__main__":
    main()
