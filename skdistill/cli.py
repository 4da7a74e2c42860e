"""Command line: ``skdistill demo``, ``fit`` and ``predict``."""

import argparse
import sys
import time

from . import _demo
from ._demo import COLUMNS, run_demo

__all__ = ["COLUMNS", "build_parser", "format_table", "main", "run_demo"]


def format_table(rows, columns):
    """Format rows of strings as a plain-text table, the first column left-aligned.

    Parameters
    ----------
    rows : list of tuple of str
    columns : tuple of str
        The header.

    Returns
    -------
    table : str
    """
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


def _demo_command(args):
    size = f"{_demo.QUICK_SAMPLES:,} of the 73,927" if args.quick else "all 73,927"
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
    demo.add_argument("--quick", action="store_true",
                      help=f"a {_demo.QUICK_SAMPLES:,}-window subsample and fewer rounds (20 s)")
    demo.add_argument("--device", default="auto", help="torch device (default auto)")
    demo.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bars")
    demo.set_defaults(handler=_demo_command)
    _add_config_commands(commands)
    return parser


def main(argv=None):
    """Entry point of the ``skdistill`` command."""
    args = build_parser().parse_args(argv)
    args.handler(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
