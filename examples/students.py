"""Small students trained alone against the same students distilled from a teacher.

A large CNN teacher is trained once; GRU and CNN students of three sizes each are
then trained on the crotonylation windows alone (alpha=0, beta=1) and distilled
(alpha=0.5, beta=0.5) from that teacher, frozen (``FrozenEstimator``: offline
distillation, so every student learns from the very same teacher). The teacher and
a ``HistGradientBoostingClassifier`` on the same one-hot features give the
reference rows. The table lists test accuracy, F1, precision, recall and
ROC AUC with each model's number of parameters; ``students.png`` plots ROC AUC
against parameters, alone and distilled. Reproduce with::

    python examples/students.py

and for a quick check ``python examples/students.py --n-samples 1500 --meta-epochs 1``.
"""

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from _evidence import (
    build_parser, crotonylation_split, describe_split, fit_options, model_name, net, pyplot,
    save_figure,
)
from skdistill import DistilledClassifier
from skdistill.cli import format_table
from skdistill.modules import CNN, GRU, count_parameters

TEACHER = net(CNN, channels=(64, 64), head_units=(64,), dropout=0.2)
STUDENTS = [
    *(net(GRU, hidden_size=size) for size in (8, 16, 32)),
    *(net(CNN, channels=channels) for channels in [(8,), (16, 16), (32, 32)]),
]
BASELINE = HistGradientBoostingClassifier(random_state=0)
#: (alpha, beta) of each way of training a student.
TRAINING = {"alone": (0.0, 1.0), "distilled": (0.5, 0.5)}
COLUMNS = ("model", "parameters", "training", "accuracy", "F1", "precision", "recall",
           "ROC AUC")


def scores(y_true, y_pred, y_score):
    """Test scores of a binary model.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n,)
        True and predicted labels, 0 and 1.
    y_score : ndarray of shape (n,)
        Probability of the positive class.

    Returns
    -------
    scores : dict
        Keyed by the metric columns of the table.
    """
    return {
        "accuracy": accuracy_score(y_true, y_pred),
        "F1": f1_score(y_true, y_pred),
        "precision": precision_score(y_true, y_pred, zero_division=0.0),
        "recall": recall_score(y_true, y_pred),
        "ROC AUC": roc_auc_score(y_true, y_score),
    }


def table_row(result):
    """The table row of one result: a dict with ``name``, ``parameters``, ``training``
    (None where not applicable) and scores."""
    parameters = "-" if result["parameters"] is None else f"{result['parameters']:,}"
    return (result["name"], parameters, result["training"] or "-",
            *(f"{result[column]:.4f}" for column in COLUMNS[3:]))


def plot(results, teacher, baseline, output):
    """ROC AUC against parameters per student family, alone and distilled.

    Parameters
    ----------
    results : list of dict
        One per student fit, with ``family``, ``parameters``, ``training`` and scores.
    teacher, baseline : dict
        The teacher's and the gradient boosting's results; the baseline is a
        horizontal line.
    output : str
        Folder of ``students.png``.
    """
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(6.5, 4.5))
    families = dict.fromkeys(result["family"] for result in results)
    for colour, family in enumerate(families):
        for training, style in [("alone", "o--"), ("distilled", "s-")]:
            points = sorted(
                (r["parameters"], r["ROC AUC"]) for r in results
                if r["family"] == family and r["training"] == training
            )
            ax.plot(*zip(*points), style, color=f"C{colour}", label=f"{family} {training}")
    ax.plot(teacher["parameters"], teacher["ROC AUC"], "k*", markersize=12, label="teacher")
    ax.axhline(baseline["ROC AUC"], color="grey", linestyle=":", label=baseline["name"])
    ax.set_xscale("log")
    ax.set_xlabel("parameters")
    ax.set_ylabel("test ROC AUC")
    ax.set_title("Students alone and distilled (crotonylation)")
    ax.legend(fontsize="small")
    save_figure(figure, output, "students.png")


def main():
    """Fit every student alone and distilled, and the baseline; print and plot."""
    args = build_parser(__doc__, meta_epochs=10).parse_args()
    pyplot()
    X_train, X_test, y_train, y_test = crotonylation_split(args.n_samples)
    print(describe_split(y_train, y_test), flush=True)

    # The teacher alone is a DistilledClassifier whose only net is the teacher.
    teacher_model = DistilledClassifier(
        student=TEACHER, alpha=0.0, beta=1.0, random_state=args.random_state,
        **fit_options(args),
    ).fit(X_train, y_train)
    proba = teacher_model.predict_proba(X_test)[:, 1]
    teacher = {
        "name": f"teacher {model_name(TEACHER)}", "training": None,
        "parameters": count_parameters(teacher_model.student_.module_),
        **scores(y_test, teacher_model.predict(X_test), proba),
    }
    results = []
    for student in STUDENTS:
        for training, (alpha, beta) in TRAINING.items():
            clf = DistilledClassifier(
                teacher=FrozenEstimator(teacher_model), student=student, alpha=alpha,
                beta=beta, random_state=args.random_state, **fit_options(args),
            ).fit(X_train, y_train)
            results.append({
                "name": model_name(student), "family": student.module.__name__,
                "training": training, "parameters": count_parameters(clf.student_.module_),
                **scores(y_test, clf.predict(X_test), clf.predict_proba(X_test)[:, 1]),
            })
            print(f"  {results[-1]['name']} {training}: ROC AUC {results[-1]['ROC AUC']:.4f}",
                  flush=True)
    BASELINE.fit(X_train, y_train)
    baseline = {
        "name": type(BASELINE).__name__, "training": None, "parameters": None,
        **scores(y_test, BASELINE.predict(X_test), BASELINE.predict_proba(X_test)[:, 1]),
    }

    print(format_table([table_row(r) for r in [teacher, *results, baseline]], COLUMNS))
    print(f"Test scores, at most {args.meta_epochs} meta-epochs of {clf.student_epochs} "
          "epoch per net (early stopping on a held-out tenth); accuracy, F1, precision and "
          "recall of the predicted labels (probability above 0.5).")
    plot(results, teacher, baseline, args.output)


if __name__ == "__main__":
    main()
