"""A student distilled from an ensemble of teachers against one from a single teacher.

Five teachers, each trained on its own bootstrap sample of the crotonylation training
windows, are fused by the mean of their probabilities into the targets of one
student (``teacher=[TEACHER] * 5, bootstrap=True, teacher_fusion="mean_proba"``).
The same student is also distilled from a single teacher. The table gives the test
ROC AUC and average precision of the single teacher, the ensemble (its fused
probabilities, ``teacher_predict_proba``) and both students, with their parameters
(summed over the ensemble's teachers); ``ensemble.png`` shows the ROC AUC as bars.
Reproduce with::

    python examples/ensemble.py

and for a quick check ``python examples/ensemble.py --n-samples 3000 --meta-epochs 1``.
"""

from sklearn.metrics import average_precision_score, roc_auc_score

from _evidence import (
    build_parser, crotonylation_split, describe_split, fit_options, net, pyplot, save_figure,
)
from skdistill import DistilledClassifier
from skdistill.cli import format_table
from skdistill.modules import CNN, count_parameters

TEACHER = net(CNN, channels=(32, 32), dropout=0.2)
STUDENT = net(CNN, channels=(16, 16))
#: Epochs of each net per meta-epoch (online distillation).
EPOCHS = {"teacher_epochs": 2, "student_epochs": 2}
N_TEACHERS = 5
COLUMNS = ("model", "parameters", "ROC AUC", "avg precision")


def evaluate(name, parameters, y_true, y_score):
    """A result: name, parameters, test ROC AUC and average precision."""
    return {"name": name, "parameters": parameters,
            "ROC AUC": roc_auc_score(y_true, y_score),
            "avg precision": average_precision_score(y_true, y_score)}


def plot(results, output):
    """Bar chart of the test ROC AUC of every model.

    Parameters
    ----------
    results : list of dict
        As returned by :func:`evaluate`: teachers, then their students.
    output : str
        Folder of ``ensemble.png``.
    """
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(7, 3.5))
    aucs = [result["ROC AUC"] for result in results]
    colours = ["tab:orange" if "student" in r["name"] else "tab:blue" for r in results]
    ax.barh([result["name"] for result in results], aucs, color=colours)
    ax.invert_yaxis()
    ax.set_xlim(max(0.0, min(aucs) - 0.05), None)
    ax.set_xlabel("test ROC AUC")
    ax.set_title(f"One teacher against an ensemble of {N_TEACHERS} (crotonylation)")
    save_figure(figure, output, "ensemble.png")


def main():
    """Distill from one teacher and from the ensemble; print and plot."""
    args = build_parser(__doc__, meta_epochs=6).parse_args()
    pyplot()
    X_train, X_test, y_train, y_test = crotonylation_split(args.n_samples)
    print(describe_split(y_train, y_test), flush=True)

    common = {"student": STUDENT, "random_state": args.random_state, **EPOCHS,
              **fit_options(args)}
    single = DistilledClassifier(teacher=TEACHER, **common).fit(X_train, y_train)
    ensemble = DistilledClassifier(
        teacher=[TEACHER] * N_TEACHERS, bootstrap=True, teacher_fusion="mean_proba", **common
    ).fit(X_train, y_train)

    results = [
        evaluate("single teacher", count_parameters(single.teacher_.module_), y_test,
                 single.teacher_predict_proba(X_test)[:, 1]),
        evaluate(f"ensemble of {N_TEACHERS} teachers",
                 sum(count_parameters(teacher.module_) for teacher in ensemble.teachers_),
                 y_test, ensemble.teacher_predict_proba(X_test)[:, 1]),
        evaluate("student of the single teacher", count_parameters(single.student_.module_),
                 y_test, single.predict_proba(X_test)[:, 1]),
        evaluate("student of the ensemble", count_parameters(ensemble.student_.module_),
                 y_test, ensemble.predict_proba(X_test)[:, 1]),
    ]
    rows = [(r["name"], f"{r['parameters']:,}", f"{r['ROC AUC']:.4f}",
             f"{r['avg precision']:.4f}") for r in results]
    print(format_table(rows, COLUMNS))
    print(f"Test scores, {args.meta_epochs} meta-epochs; each of the ensemble's teachers sees "
          "its own bootstrap sample, and their probabilities are averaged.")
    plot(results, args.output)


if __name__ == "__main__":
    main()
