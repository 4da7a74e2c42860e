"""Command line: ``skdistill demo``, ``fit`` and ``predict``."""

import argparse
import sys
import time

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder

from ._classifier import DistilledClassifier
from .datasets import load_crotonylation
from .modules import count_parameters
from .preprocessing import positions_frame

COLUMNS = ("model", "ROC AUC", "avg precision", "parameters", "fit time (s)", "predict time (s)")


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _mlp_name(net):
    return "MLP " + "-".join(str(units) for units in net.module__hidden_units)


def _row(name, y_test, scores, parameters, fit_seconds, predict_seconds):
    return (
        name,
        f"{roc_auc_score(y_test, scores):.4f}",
        f"{average_precision_score(y_test, scores):.4f}",
        f"{parameters:,}",
        f"{fit_seconds:.1f}",
        f"{predict_seconds:.3f}",
    )


def format_table(rows, columns=COLUMNS):
    """Format rows of strings as a plain-text table, the first column left-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(columns, *rows)]
    lines = []
    for row in [columns, *rows]:
        cells = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def run_demo(meta_epochs=20, n_samples=None, device="auto", random_state=0, verbose=1):
    """Train and compare the demo's four models on the crotonylation data.

    Parameters
    ----------
    meta_epochs : int, default=20
        Meta-epochs of both DistilledClassifier fits.
    n_samples : int or None, default=None
        Stratified subsample of the data set for a quick run; None uses all.
    device : str, default="auto"
    random_state : int, default=0
        Seeds the 75/25 split and the models.
    verbose : int, default=1
        1 shows a progress bar per fit.

    Returns
    -------
    rows : list of tuple of str
        One row per model, in the order of :data:`COLUMNS`.
    """
    sequences, labels = load_crotonylation(return_X_y=True)
    if n_samples is not None:
        sequences, _, labels, _ = train_test_split(
            sequences, labels, train_size=n_samples, stratify=labels, random_state=random_state
        )
    seq_train, seq_test, y_train, y_test = train_test_split(
        sequences, labels, test_size=0.25, stratify=labels, random_state=random_state
    )
    encoder = OneHotEncoder(handle_unknown="ignore")
    X_train = encoder.fit_transform(positions_frame(seq_train))
    X_test = encoder.transform(positions_frame(seq_test))

    common = {"meta_epochs": meta_epochs, "device": device,
              "random_state": random_state, "verbose": verbose}
    distilled, fit_seconds = _timed(DistilledClassifier(**common).fit, X_train, y_train)
    alone, alone_seconds = _timed(
        DistilledClassifier(alpha=0.0, beta=1.0, **common).fit, X_train, y_train
    )
    linear, linear_seconds = _timed(
        LogisticRegression(C=0.1, max_iter=1000).fit, X_train, y_train
    )
    teacher_proba, teacher_predict = _timed(distilled.teacher_predict_proba, X_test)
    student_proba, student_predict = _timed(distilled.predict_proba, X_test)
    alone_proba, alone_predict = _timed(alone.predict_proba, X_test)
    linear_proba, linear_predict = _timed(linear.predict_proba, X_test)
    teacher_seconds = sum(distilled.teacher_.history[:, "dur"])
    return [
        _row(f"teacher ({_mlp_name(distilled.teacher_)})", y_test, teacher_proba[:, 1],
             count_parameters(distilled.teacher_.module_), teacher_seconds, teacher_predict),
        _row(f"distilled student ({_mlp_name(distilled.student_)})", y_test, student_proba[:, 1],
             count_parameters(distilled.student_.module_), fit_seconds, student_predict),
        _row("student alone (alpha=0, beta=1)", y_test, alone_proba[:, 1],
             count_parameters(alone.student_.module_), alone_seconds, alone_predict),
        _row("LogisticRegression(C=0.1)", y_test, linear_proba[:, 1],
             linear.coef_.size + linear.intercept_.size, linear_seconds, linear_predict),
    ]


def _demo(args):
    sequences_note = "all 73,927" if args.n_samples is None else f"{args.n_samples:,}"
    print(
        f"Lysine crotonylation sites ({sequences_note} windows of 29 residues, 9.2% positive), "
        "stratified 75/25 split, positions one-hot encoded.",
        flush=True,
    )
    rows = run_demo(args.meta_epochs, args.n_samples, args.device, args.random_state,
                    verbose=0 if args.quiet else 1)
    print(format_table(rows))
    print(
        "Test-set scores. The distilled student's fit time includes training its teacher "
        "(the teacher row: its own share)."
    )


def _config_command(args):
    """``skdistill fit`` and ``predict``; a wrong config or input exits with its message."""
    # imported here: the other commands need neither YAML nor the report's libraries
    from ._config import ConfigError
    from ._run import run_fit, run_predict

    try:
        if args.command == "fit":
            run_fit(args.config, output=args.output, verbose=0 if args.quiet else 1)
        else:
            run_predict(args.model, args.input, output=args.output)
    except ConfigError as error:
        sys.exit(f"skdistill {args.command}: error: {error}")


def _add_config_commands(commands):
    fit = commands.add_parser(
        "fit", help="train from a YAML config; write the model, scores, plots and report"
    )
    fit.add_argument("--config", required=True, help="the run's YAML config file")
    fit.add_argument("--output", default=None,
                     help="output folder (default: the config's output)")
    fit.add_argument("--quiet", action="store_true", help="no progress bar")
    predict = commands.add_parser(
        "predict", help="write the class probabilities of a model trained by fit as CSV"
    )
    predict.add_argument("--model", required=True,
                         help="output folder of fit (or the model.skd file in it)")
    predict.add_argument("--input", required=True,
                         help="samples in the training data's format (CSV or FASTA)")
    predict.add_argument("--output", default=None, help="CSV file (default: standard output)")
    for command in (fit, predict):
        command.set_defaults(handler=_config_command)


def build_parser():
    """Return the argument parser of the ``skdistill`` command."""
    parser = argparse.ArgumentParser(
        prog="skdistill", description="Knowledge distillation for scikit-learn."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="distill a small student on the embedded crotonylation data and compare it",
    )
    demo.add_argument("--meta-epochs", type=int, default=20, help="meta-epochs (default 20)")
    demo.add_argument("--n-samples", type=int, default=None,
                      help="stratified subsample for a quick run (default: all)")
    demo.add_argument("--device", default="auto", help="torch device (default auto)")
    demo.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bars")
    demo.set_defaults(handler=_demo)
    _add_config_commands(commands)
    return parser


def main(argv=None):
    """Entry point of the ``skdistill`` command."""
    args = build_parser().parse_args(argv)
    args.handler(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
