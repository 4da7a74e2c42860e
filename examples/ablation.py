"""Ablation of the teacher term: (alpha, beta) in (0, 1), (0.5, 0.5) and (1, 0).

``alpha`` weights the teacher term of the student's loss and ``beta`` is the part of
each student batch that keeps its true labels. (0, 1) trains the student alone (no
teacher is trained), (0.5, 0.5) is online distillation with both terms, and (1, 0)
trains the student on the teacher's labels only. Every setting is fitted with
several seeds on the same stratified 80/20 split of the crotonylation windows; the
table gives the test ROC AUC of teacher and student, mean +/- standard deviation over
the seeds, and ``ablation.png`` shows it as bars with error bars. Reproduce with::

    python examples/ablation.py

and for a quick check ``python examples/ablation.py --n-samples 3000 --meta-epochs 1 --seeds 1``.
"""

import numpy as np
from sklearn.metrics import roc_auc_score

from _evidence import (
    build_parser, crotonylation_split, describe_split, fit_options, net, positive_int, pyplot,
    save_figure,
)
from skdistill import DistilledClassifier
from skdistill.cli import format_table
from skdistill.modules import CNN

TEACHER = net(CNN, channels=(32, 32), dropout=0.2)
STUDENT = net(CNN, channels=(8,))
#: Epochs of each net per meta-epoch (online distillation).
EPOCHS = {"teacher_epochs": 2, "student_epochs": 2}
#: (alpha, beta) settings: student alone, both terms, teacher term only.
SETTINGS = [(0.0, 1.0), (0.5, 0.5), (1.0, 0.0)]
COLUMNS = ("alpha, beta", "teacher ROC AUC", "student ROC AUC")


def roc_aucs(clf, X_test, y_test):
    """Return the teacher's (None without a teacher) and the student's test ROC AUC."""
    student = roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
    if clf.teacher_ is None:
        return None, student
    return roc_auc_score(y_test, clf.teacher_predict_proba(X_test)[:, 1]), student


def spread(values):
    """Sample standard deviation of per-seed scores; 0 for a single seed."""
    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def mean_std(values):
    """``"mean +/- std"`` of per-seed scores: the mean alone for one seed, "-" for none."""
    if len(values) < 2:
        return f"{values[0]:.4f}" if values else "-"
    return f"{np.mean(values):.4f} +/- {spread(values):.4f}"


def plot(results, output):
    """Bar chart of teacher and student ROC AUC per setting, with std error bars.

    Parameters
    ----------
    results : dict
        ``{(alpha, beta): {"teacher": [auc, ...], "student": [auc, ...]}}``.
    output : str
        Folder of ``ablation.png``.
    """
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(6, 4))
    positions = np.arange(len(results))
    for offset, role in [(-0.2, "teacher"), (0.2, "student")]:
        scores = [results[setting][role] for setting in results]
        shown = [i for i, values in enumerate(scores) if values]
        ax.bar(positions[shown] + offset, [np.mean(scores[i]) for i in shown], width=0.4,
               yerr=[spread(scores[i]) for i in shown],
               capsize=4, label=role)
    ax.set_xticks(positions, [f"alpha={a:g}, beta={b:g}" for a, b in results])
    lowest = min(min(v) for scores in results.values() for v in scores.values() if v)
    ax.set_ylim(max(0.0, lowest - 0.05), None)
    ax.set_ylabel("test ROC AUC")
    ax.set_title("Ablation of the teacher term (crotonylation)")
    ax.legend()
    save_figure(figure, output, "ablation.png")


def main():
    """Fit every setting with every seed and print and plot the test ROC AUC."""
    parser = build_parser(__doc__, meta_epochs=6)
    parser.add_argument("--seeds", type=positive_int, default=4,
                        help="seeds per setting: random-state, random-state + 1, ... (default 4)")
    args = parser.parse_args()
    pyplot()
    X_train, X_test, y_train, y_test = crotonylation_split(args.n_samples)
    print(describe_split(y_train, y_test), flush=True)

    results = {setting: {"teacher": [], "student": []} for setting in SETTINGS}
    for alpha, beta in SETTINGS:
        for seed in range(args.random_state, args.random_state + args.seeds):
            clf = DistilledClassifier(
                teacher=TEACHER, student=STUDENT, alpha=alpha, beta=beta,
                random_state=seed, **EPOCHS, **fit_options(args),
            ).fit(X_train, y_train)
            teacher, student = roc_aucs(clf, X_test, y_test)
            if teacher is not None:
                results[alpha, beta]["teacher"].append(teacher)
            results[alpha, beta]["student"].append(student)

    rows = [
        (f"{alpha:g}, {beta:g}", mean_std(scores["teacher"]), mean_std(scores["student"]))
        for (alpha, beta), scores in results.items()
    ]
    print(format_table(rows, COLUMNS))
    print(f"Test ROC AUC over {args.seeds} seed(s), {args.meta_epochs} meta-epochs of "
          f"{EPOCHS['teacher_epochs']} teacher and {EPOCHS['student_epochs']} student epochs; "
          "with alpha=0 no teacher is trained.")
    plot(results, args.output)


if __name__ == "__main__":
    main()
