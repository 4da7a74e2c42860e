"""Command line: ``skdistill demo``, ``fit`` and ``predict``."""

import argparse
import os
import re
import signal
import sys
import time
import warnings
from contextlib import contextmanager, suppress
from functools import partial

from . import __version__
from ._argtypes import file_path, input_path, numpy_seed, torch_device
from ._signals import TERMINATING_SIGNALS, handlers_set
from ._warnings import FitInterruptedWarning

__all__ = ["build_parser", "format_table", "main"]


def format_table(rows, columns):
    """Format rows of strings as a plain-text table, the first column left-aligned.

    Parameters
    ----------
    rows : iterable of sequence
        One cell per column each, written as ``str(cell)``.
    columns : tuple of str
        The header.

    Returns
    -------
    table : str

    Raises
    ------
    ValueError
        If a row has more or fewer cells than there are columns.
    """
    rows = [tuple(row) for row in rows]  # iterated twice: a generator would be spent
    for index, row in enumerate(rows):
        if len(row) != len(columns):
            raise ValueError(
                f"format_table: row {index} has {len(row)} cells for {len(columns)} columns."
            )
    table = [[str(cell) for cell in row] for row in [columns, *rows]]
    widths = [max(len(cell) for cell in column) for column in zip(*table)]
    lines = []
    for row in table:
        cells = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _demo_command(args):
    from ._demo import COLUMNS, QUICK_SAMPLES, run_demo  # torch and scikit-learn: not for --help

    size = f"{QUICK_SAMPLES:,} of the 73,927" if args.quick else "all 73,927"
    print(
        f"Lysine crotonylation sites ({size} windows of 29 residues, 9.2% positive), "
        "stratified 75/25 split, one-hot encoded by SequenceEncoder.",
        flush=True,
    )
    start = time.perf_counter()
    rows = run_demo(args.quick, args.device, args.random_state, verbose=0 if args.quiet else 1)
    print(format_table(rows, COLUMNS))
    print(
        "Test-set scores. The distilled student's fit time includes training its teacher "
        f"(the teacher row: its own share). Total {time.perf_counter() - start:.0f} s."
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
        # one line, even where it quotes a library's message of several
        message = re.sub(r"\s*\n\s*", " ", str(error))
        sys.exit(f"skdistill {args.command}: error: {message}")


def _add_config_commands(commands):
    fit = commands.add_parser(
        "fit", help="train from a YAML config; write the model, scores, plots and report"
    )
    fit.add_argument("--config", required=True, type=file_path,
                     help="the run's YAML config file")
    fit.add_argument("--output", default=None, type=file_path,
                     help="output folder (default: the config's output)")
    fit.add_argument("--quiet", action="store_true", help="no progress bar")
    predict = commands.add_parser(
        "predict", help="write the class probabilities of a model trained by fit as CSV"
    )
    predict.add_argument("--model", required=True, type=file_path,
                         help="output folder of fit (or the model.skd file in it)")
    predict.add_argument("--input", required=True, type=input_path,
                         help="samples in the training data's format (CSV or FASTA); - "
                              "reads standard input")
    predict.add_argument("--output", default=None, type=file_path,
                         help="CSV file (default: standard output, with --output left out)")
    for command in (fit, predict):
        command.set_defaults(handler=_config_command)


def build_parser():
    """Return the argument parser of the ``skdistill`` command.

    Returns
    -------
    parser : argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="skdistill", description="Knowledge distillation for scikit-learn."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="distill a small student on the embedded crotonylation data and compare it",
    )
    demo.add_argument("--quick", action="store_true",
                      help="a subsample of the windows and fewer rounds (about 20 s)")
    demo.add_argument("--device", type=torch_device, default="auto",
                      help="torch device (default auto)")
    demo.add_argument("--random-state", type=numpy_seed, default=0, help="seed (default 0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bars")
    demo.set_defaults(handler=_demo_command)
    _add_config_commands(commands)
    return parser


def _show_warning(command, message, category, filename, lineno, file=None, line=None):
    """Print a warning as one line, ``skdistill COMMAND: CATEGORY: MESSAGE``.

    ``warnings.showwarning``'s signature; the file and line, which are the
    library's and not the user's, are left out, and a private category is shown
    as the public one it derives from (``UserWarning``), which filters name.
    """
    shown = next(cls for cls in category.__mro__ if not cls.__name__.startswith("_"))
    _say(f"skdistill {command}: {shown.__name__}: {message}", file)


def _say(text, file=None):
    """Print ``text`` to ``file`` (standard error by default), where it still can:
    the terminal of a run ended by SIGHUP is gone (OSError)."""
    with suppress(OSError):
        print(text, file=sys.stderr if file is None else file)


@contextmanager
def _terminate_as_interrupt(received):
    """Within the block, each of ``TERMINATING_SIGNALS`` raises
    KeyboardInterrupt, as Ctrl-C does, and is appended to the list ``received``.

    Python's default for them ends the process at once, leaving a fit's
    staging folder behind (a run holds them while it cleans up, so that a
    second one cannot cut that short). A signal the process was told to
    ignore stays ignored (see :func:`~skdistill._signals.handlers_set`).
    """
    def interrupt(signum, frame):
        received.append(signum)
        raise KeyboardInterrupt

    with handlers_set(TERMINATING_SIGNALS, interrupt):
        yield


def main(argv=None):
    """Entry point of the ``skdistill`` command.

    Parameters
    ----------
    argv : list of str or None, default=None
        The arguments after the command's name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        The exit status: 0, 1 when standard output closed early, 130 when
        interrupted (Ctrl-C), 128 + the signal's number when terminated (143
        for SIGTERM, 129 for SIGHUP); errors exit through :func:`sys.exit`
        with a message.
    """
    closed = [name for name in ("stdout", "stderr") if getattr(sys, name) is None]
    for name in closed:
        # a stream closed when Python started (``>&-``) is None: print and skorch
        # would fail on it in the middle of a fit
        setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
    args = build_parser().parse_args(argv)
    if "stdout" in closed and (args.command == "demo" or (
            args.command == "predict" and args.output is None)):
        advice = ("give --output FILE" if args.command == "predict"
                  else "its table would be lost")
        sys.exit(f"skdistill {args.command}: error: standard output is closed; {advice}")
    terminated = []
    try:
        with warnings.catch_warnings(), _terminate_as_interrupt(terminated):
            # a warning's file and line are the library's, not the user's: say only what
            warnings.showwarning = partial(_show_warning, args.command)
            # a command aborts where the library would keep a fit cut short: a cut-short
            # model must not replace a run's, nor fill the demo's table
            warnings.simplefilter("error", FitInterruptedWarning)
            args.handler(args)
    except (KeyboardInterrupt, FitInterruptedWarning):
        # a fit leaves its output folder as it was
        _say(f"skdistill {args.command}: {'terminated' if terminated else 'interrupted'}")
        return 128 + (terminated[0] if terminated else signal.SIGINT)
    except BrokenPipeError:
        # The reader closed standard output early (``skdistill predict ... | head``):
        # stop quietly, and keep Python's flush at exit from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
