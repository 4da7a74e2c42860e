import subprocess
import sys

from skdistill.cli import COLUMNS, format_table, run_demo


def test_format_table_aligns_columns():
    table = format_table([("a", "1.0"), ("longer", "10.25")], columns=("model", "x"))
    lines = table.splitlines()
    assert lines[0].startswith("model")
    assert len({len(line) for line in lines}) == 1
    assert lines[1].replace(" ", "").strip("-") == ""


def test_run_demo_on_a_subsample():
    rows = run_demo(meta_epochs=10, n_samples=2000, verbose=0)
    assert [row[0].split("(")[0].strip() for row in rows] == [
        "teacher", "distilled student", "student alone", "LogisticRegression"
    ]
    for row in rows:
        assert len(row) == len(COLUMNS)
        assert 0.5 < float(row[1]) <= 1.0
    teacher_params = int(rows[0][3].replace(",", ""))
    student_params = int(rows[1][3].replace(",", ""))
    assert teacher_params > 5 * student_params


def test_module_entry_point_prints_the_table():
    result = subprocess.run(
        [sys.executable, "-m", "skdistill", "demo", "--n-samples", "1500",
         "--meta-epochs", "1", "--quiet"],
        capture_output=True, text=True, check=True,
    )
    assert "distilled student" in result.stdout
    assert "ROC AUC" in result.stdout


def test_unknown_command_fails():
    result = subprocess.run([sys.executable, "-m", "skdistill", "nope"], capture_output=True)
    assert result.returncode != 0
