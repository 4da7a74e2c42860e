import subprocess
import sys

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split

import skdistill
from skdistill import _demo
from skdistill._demo import COLUMNS
from skdistill.cli import format_table, main
from skdistill.datasets import load_crotonylation

MODELS = ["teacher", "distilled student", "student alone", "HistGradientBoostingClassifier",
          "LogisticRegression"]


@pytest.fixture
def tiny_demo(monkeypatch):
    """The demo's own code path on 1,500 windows and one round per net."""
    monkeypatch.setattr(_demo, "QUICK_SAMPLES", 1500)
    monkeypatch.setattr(_demo, "META_EPOCHS", {"full": 1, "quick": 1})


def test_format_table_aligns_columns():
    table = format_table([("a", "1.0"), ("longer", "10.25")], columns=("model", "x"))
    lines = table.splitlines()
    assert lines[0].startswith("model")
    assert len({len(line) for line in lines}) == 1
    assert lines[1].replace(" ", "").strip("-") == ""


def test_format_table_writes_any_cell_and_names_a_row_of_the_wrong_length():
    # an int cell ended in "'int' object has no attribute 'rjust'"; an extra cell was dropped
    assert format_table([("a", 1), ("b", 2.5)], columns=("x", "y")).splitlines()[2:] == [
        "a    1", "b  2.5"]
    with pytest.raises(ValueError, match="format_table: row 0 has 2 cells for 1 columns"):
        format_table([("a", "b")], columns=("x",))
    # rows from a generator were spent on the widths: the header came alone
    assert format_table((row for row in [("a", 1)]), columns=("x", "y")).splitlines()[2] == "a  1"


def test_demo_compares_a_much_smaller_student_with_its_peers(tiny_demo):
    rows = _demo.run_demo(quick=True, verbose=0)
    assert [row[0].split("(")[0].strip() for row in rows] == MODELS
    for row in rows:
        assert len(row) == len(COLUMNS)
        assert 0.0 <= float(row[1]) <= 1.0
        assert float(row[5]) > 0
    # one round per net on 1,500 windows leaves the nets near chance (0.46 to 0.53);
    # the peers are fitted to convergence
    assert all(float(row[1]) > 0.5 for row in rows[3:])
    teacher_params, student_params, alone_params = (
        int(row[3].replace(",", "")) for row in rows[:3]
    )
    assert student_params == alone_params
    assert teacher_params > 5 * student_params


def test_demo_command_prints_the_table(tiny_demo, capsys):
    assert main(["demo", "--quick", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "ConvergenceWarning" not in err  # its few meta-epochs are meant
    assert "1,500 of the 73,927 windows" in out
    assert all(model in out for model in MODELS)


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "skdistill", "demo", "--help"],
        capture_output=True, text=True, check=True,
    )
    assert "--quick" in result.stdout


def test_unknown_command_fails():
    result = subprocess.run([sys.executable, "-m", "skdistill", "nope"], capture_output=True,
                            text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "invalid choice: 'nope' (choose from 'demo', 'fit', 'predict')" in result.stderr


def test_demo_names_a_bad_device_before_loading_anything(capsys):
    # --device bogus ended in a traceback after the data were loaded
    with pytest.raises(SystemExit) as stopped:
        main(["demo", "--device", "bogus"])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert "skdistill demo: error: argument --device: device='bogus' is not a torch device" in (
        captured.err)
    assert captured.out == ""


@pytest.mark.parametrize("seed", ["-1", "4294967296", "one"])
def test_demo_refuses_a_seed_numpy_cannot_take(capsys, seed):
    # -1 ended in train_test_split's InvalidParameterError traceback
    with pytest.raises(SystemExit) as stopped:
        main(["demo", "--random-state", seed])
    assert stopped.value.code == 2
    assert f"--random-state: expected an integer in [0, 4294967295], got '{seed}'" in (
        capsys.readouterr().err)


@pytest.mark.parametrize("argv, message", [
    # the run went into the current folder
    (["fit", "--config", "run.yaml", "--output", ""],
     "argument --output: expected a path, got an empty string"),
    # a file named "-" was written
    (["predict", "--model", "run", "--input", "new.fasta", "--output", "-"],
     "argument --output: '-' (standard input or output) is not read or written here"),
    (["predict", "--model", "run", "--input", ""], "argument --input: expected a path"),
    (["predict", "--model", "", "--input", "new.fasta"], "argument --model: expected a path"),
])
def test_file_options_refuse_an_empty_path_and_a_dash(capsys, argv, message):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"skdistill {skdistill.__version__}\n"


def test_the_command_lines_help_and_flags_load_no_torch():
    # --help took 5 s importing torch, scikit-learn and skorch; then "demo --bogus" still
    # did, converting --device's default through torch
    script = ("import sys; from skdistill.cli import build_parser; "
              "build_parser().parse_args(['demo']); "
              "print(sorted(m for m in ('torch', 'sklearn', 'skorch') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_the_demo_table_row_holds_each_column_s_value():
    y = np.array([0, 0, 1, 0, 1, 1, 0, 0, 0, 1])
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.7, 0.9, 0.2, 0.05, 0.3, 0.6])
    row = _demo._row("model", y, scores, 1234, 2.5, 0.004)
    assert dict(zip(_demo.COLUMNS, row)) == {
        "model": "model",
        "ROC AUC": f"{roc_auc_score(y, scores):.4f}",
        "avg precision": f"{average_precision_score(y, scores):.4f}",
        "parameters": "1,234",
        "fit s": "2.5",
        # 4 ms for 10 samples: 400 ms per 1,000
        "predict ms / 1,000": "400.00",
    }
    assert row[1] != row[2]  # the two scores differ here, so a swap is seen


def test_demo_options_reach_the_run(monkeypatch, capsys):
    # the suite's demos run with the defaults (seed 0, quiet): --random-state and --quiet not
    # passed on passed
    calls = []

    def run_demo(quick, device, random_state, verbose):
        calls.append((quick, device, random_state, verbose))
        return [tuple("x" for _ in COLUMNS)]

    monkeypatch.setattr(_demo, "run_demo", run_demo)
    assert main(["demo", "--random-state", "7", "--device", "cpu"]) == 0
    assert main(["demo", "--quick", "--quiet"]) == 0
    assert calls == [(False, "cpu", 7, 1), (True, "auto", 0, 0)]
    assert "all 73,927 windows" in capsys.readouterr().out


def test_quick_demo_subsamples_and_both_splits_are_stratified(monkeypatch):
    # a subsample of 10,000 written in place of QUICK_SAMPLES (which the printed line reads),
    # and an unstratified split, passed
    monkeypatch.setattr(_demo, "QUICK_SAMPLES", 1000)
    sequences, labels = load_crotonylation(return_X_y=True)
    parts = _demo.demo_split(quick=True, random_state=2)
    assert len(parts[0]) + len(parts[1]) == 1000
    sub, _, sub_y, _ = train_test_split(sequences, labels, train_size=1000, stratify=labels,
                                        random_state=2)
    expected = train_test_split(sub, sub_y, test_size=0.25, stratify=sub_y, random_state=2)
    for got, want in zip(parts, expected):
        np.testing.assert_array_equal(got, want)


def test_quick_demo_trains_its_rounds_and_the_teacher_first(monkeypatch):
    # the tiny demo fixture sets both schedules to 1: --quick training the full run's rounds,
    # and the distilled student no longer trained after its teacher, passed
    fits = []

    class Recorded(_demo.DistilledClassifier):
        def fit(self, X, y, **kwargs):
            fits.append((self.meta_epochs, self.schedule, self.alpha))
            return super().fit(X, y, **kwargs)

    monkeypatch.setattr(_demo, "DistilledClassifier", Recorded)
    monkeypatch.setattr(_demo, "QUICK_SAMPLES", 400)
    monkeypatch.setattr(_demo, "STUDENT_EPOCHS", 1)
    monkeypatch.setattr(_demo, "META_EPOCHS", {"full": 2, "quick": 1})
    rows = _demo.run_demo(quick=True, device="cpu", verbose=0)
    assert len(rows) == 5
    assert fits == [(1, "sequential", _demo.ALPHA), (1, Recorded().schedule, 0.0)]
