"""Bad command-line values of the benchmark and example scripts end in argparse's
one-line error (exit status 2), before anything is loaded or fitted.

Each script runs in-process with ``sys.argv`` set; a value the parser accepts
stops the script at once (``Accepted``) instead of running it.
"""

import argparse
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from skdistill import _argtypes as flags

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
EXAMPLES = ROOT / "examples"


class Accepted(Exception):
    """Raised in place of running a script whose options parsed."""


def load_script(path):
    """Import the script at ``path`` as a module."""
    spec = importlib.util.spec_from_file_location(f"flags_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(path, args, monkeypatch):
    """Run ``main()`` of the script at ``path`` with ``args``, stopping after parsing."""
    monkeypatch.syspath_prepend(str(path.parent))
    module = load_script(path)
    parse_args = argparse.ArgumentParser.parse_args

    def parse_and_stop(parser, *parse_args_args, **kwargs):
        raise Accepted(parse_args(parser, *parse_args_args, **kwargs))

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", parse_and_stop)
    monkeypatch.setattr(sys, "argv", [path.name, *args])
    module.main()


BENCHMARK_REFUSALS = [
    ("quality.py", ["--folds", "1"], "--folds: expected an integer of at least 2, got '1'"),
    ("quality.py", ["--folds", "-2", "--report-only"],
     "--folds: expected an integer of at least 2, got '-2'"),
    ("quality.py", ["--max-rows", "-5", "--list-tasks"],
     "--max-rows: expected an integer of at least 0, got '-5'"),
    ("quality.py", ["--threads", "0"], "--threads: expected an integer of at least 1, got '0'"),
    ("bench_fit.py", ["--repeats", "0"], "--repeats: expected an integer of at least 1, got '0'"),
    ("bench_fit.py", ["--meta-epochs", "-1"],
     "--meta-epochs: expected an integer of at least 1, got '-1'"),
    ("bench_fit.py", ["--device", "nosuch"], "--device: device='nosuch' is not a torch device"),
    ("onnx_predict.py", ["--repeats", "0"], "--repeats: expected an integer of at least 1"),
    ("onnx_predict.py", ["--threads", "0"], "--threads: expected an integer of at least 1"),
    ("onnx_predict.py", ["--n-samples", "-3"], "--n-samples: expected an integer of at least 100"),
    ("small_fit.py", ["--repeats", "0"], "--repeats: expected an integer of at least 1"),
    ("small_fit.py", ["--threads", "0"], "--threads: expected an integer of at least 1"),
    ("heldout.py", ["--threads", "0"], "--threads: expected an integer of at least 1"),
    ("digits.py", ["--seeds", "0"], "--seeds: expected an integer of at least 1, got '0'"),
    ("digits.py", ["--seeds", "-1"], "--seeds: expected an integer of at least 1, got '-1'"),
    ("calibration.py", ["--n-samples", "-5"], "--n-samples: expected an integer of at least 100"),
    # 5 samples stopped in a traceback: "needs samples of at least two classes"
    ("calibration.py", ["--n-samples", "5"], "--n-samples: expected an integer of at least 100"),
    ("resampling.py", ["--n-samples", "0"], "--n-samples: expected an integer of at least 100"),
    ("resampling.py", ["--seeds", "0", "-1"],
     "--seeds: expected an integer in [0, 4294967295], got '-1'"),
    ("prior_scorers.py", ["--tasks", "bupa", "--max-rows", "-1"],
     "--max-rows: expected an integer of at least 0, got '-1'"),
    ("pu_prior_bound.py", ["--random-state", "-1"],
     "--random-state: expected an integer in [0, 4294967295], got '-1'"),
    ("scale.py", ["--rows", "0"], "--rows: expected an integer of at least 1, got '0'"),
    ("scale.py", ["--rows", "-5"], "--rows: expected an integer of at least 1, got '-5'"),
    ("model_size.py", ["--rows", "0"], "--rows: expected an integer of at least 1, got '0'"),
    ("model_size.py", ["--batch-size", "x"],
     "--batch-size: expected an integer of at least 1, got 'x'"),
]

EXAMPLE_REFUSALS = [
    ("pu_threshold.py", ["--datasets", "nosuch"],
     "--datasets: unknown data set 'nosuch'; choose among crotonylation, banana"),
    ("pu_threshold.py", ["--label-frequencies", "1.5"],
     "--label-frequencies: expected a label frequency in (0, 1], got '1.5'"),
    ("pu_learning.py", ["--datasets", "banana,nosuch"], "--datasets: unknown data set 'nosuch'"),
    ("pu_learning.py", ["--datasets", "banana,"],
     "--datasets: expected a comma-separated list, got 'banana,'"),
    ("pu_learning.py", ["--label-frequencies", "0.5,0"],
     "--label-frequencies: expected a label frequency in (0, 1], got '0'"),
    ("pu_learning.py", ["--n-samples", "0"], "--n-samples: expected an integer of at least 100"),
    ("digits.py", ["--n-samples", "-5"], "--n-samples: expected an integer of at least 100"),
    # sklearn's "test_size = 8 should be greater or equal to the number of classes = 10"
    ("digits.py", ["--n-samples", "30"], "--n-samples: expected an integer of at least 100"),
    ("students.py", ["--n-samples", "99"], "--n-samples: expected an integer of at least 100"),
    ("students.py", ["--random-state", "-1"],
     "--random-state: expected an integer in [0, 4294967295], got '-1'"),
    ("ensemble.py", ["--meta-epochs", "0"], "--meta-epochs: expected an integer of at least 1"),
    ("ablation.py", ["--seeds", "0"], "--seeds: expected an integer of at least 1, got '0'"),
    ("students.py", ["--device", "bogus"], "--device: device='bogus' is not a torch device"),
    ("pu_learning.py", ["--device", "bogus"], "--device: device='bogus' is not a torch device"),
    ("pu_learning.py", ["--repeats", "0"], "--repeats: expected an integer of at least 1"),
]


@pytest.mark.parametrize("path, args, error", [
    *((BENCHMARKS / script, args, error) for script, args, error in BENCHMARK_REFUSALS),
    *((EXAMPLES / script, args, error) for script, args, error in EXAMPLE_REFUSALS),
], ids=lambda value: value.name if isinstance(value, Path) else None)
def test_a_script_refuses_a_bad_value_as_it_parses(path, args, error, monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_script(path, args, monkeypatch)
    assert exit_info.value.code == 2
    assert f"error: argument {error}" in capsys.readouterr().err


@pytest.mark.parametrize("script", ["students.py", "ablation.py", "digits.py"])
def test_an_example_refuses_an_output_it_cannot_save_into_before_training(
        script, tmp_path, monkeypatch, capsys):
    # ablation.py --output FILE trained every setting, then ended in FileExistsError
    (tmp_path / "a_file").touch()
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    for output, error in [(tmp_path / "a_file", f"{str(tmp_path / 'a_file')!r} is not a folder"),
                          (tmp_path / "a_file" / "x", "is not a folder"),
                          (tmp_path / "dangling" / "x", "dangling' is not a folder"),
                          # os.access said yes to root: the run failed after every fit
                          ("/proc/nope", "cannot write into the folder '/proc'"),
                          ("", "expected a folder, got an empty string")]:
        with pytest.raises(SystemExit) as exit_info:
            run_script(EXAMPLES / script, ["--output", str(output)], monkeypatch)
        assert exit_info.value.code == 2
        assert re.search(rf"error: argument --output: .*{re.escape(error)}",
                         capsys.readouterr().err)
    # a folder to make is accepted, and made only when the figure is saved (not by --help)
    with pytest.raises(Accepted) as accepted:
        run_script(EXAMPLES / script, ["--output", str(tmp_path / "new" / "figures")],
                   monkeypatch)
    assert accepted.value.args[0].output == str(tmp_path / "new" / "figures")
    assert not (tmp_path / "new").exists()


def test_the_int_types_take_their_bounds():
    assert flags.positive_int("1") == 1
    assert flags.non_negative_int("0") == 0   # --max-rows 0: every row
    assert flags.numpy_seed("4294967295") == 2**32 - 1
    with pytest.raises(argparse.ArgumentTypeError,
                       match=re.escape("in [0, 4294967295], got '4294967296'")):
        flags.numpy_seed("4294967296")
    with pytest.raises(argparse.ArgumentTypeError, match="at least 1, got '1.5'"):
        flags.positive_int("1.5")


def test_the_pu_examples_parse_lists_of_data_sets_and_frequencies(monkeypatch):
    with pytest.raises(Accepted) as accepted:
        run_script(EXAMPLES / "pu_threshold.py",
                   ["--datasets", "banana, mushroom,banana", "--label-frequencies",
                    "0.5,1,0.50"], monkeypatch)
    args = accepted.value.args[0]
    # each once: a repeated one was fitted twice and counted as two settings
    assert args.datasets == ["banana", "mushroom"]
    assert args.label_frequencies == [0.5, 1.0]


@pytest.fixture
def quality(monkeypatch):
    """benchmarks/quality.py, whose fitting is replaced by a failure."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    module = load_script(BENCHMARKS / "quality.py")

    def no_fitting(*args):
        raise AssertionError("the benchmark started fitting")

    monkeypatch.setattr(module, "run_benchmark", no_fitting)
    return module


def test_quality_report_only_names_a_missing_results_file(quality, tmp_path, capsys):
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(SystemExit) as exit_info:
        quality.main(["--tasks", "bupa", "--report-only", "--results", str(missing)])
    assert exit_info.value.code == 2
    assert (f"error: argument --results: no such file {str(missing)!r}"
            in capsys.readouterr().err)


@pytest.mark.parametrize("results, error", [
    ("/proc/nope/x.jsonl", "cannot make the folder '/proc/nope'"),
    # os.access said yes to root: the first fit ended in a traceback
    ("/proc/x.jsonl", "cannot write '/proc/x.jsonl': permission denied"),
    (".", "'.' is a folder, not a file"),
])
def test_quality_refuses_a_results_path_it_cannot_write(quality, results, error, capsys):
    with pytest.raises(SystemExit) as exit_info:
        quality.main(["--tasks", "bupa", "--models", "logreg", "--results", results])
    assert exit_info.value.code == 2
    assert f"error: argument --results: {error}" in capsys.readouterr().err


@pytest.mark.parametrize("args, error", [
    (["--models", "nosuch"], "Unknown model(s) ['nosuch']"),
    (["--set", "nosuchparam=3"], "--set: Invalid parameter 'nosuchparam'"),
])
def test_quality_report_only_refuses_unknown_models_and_parameters(
    quality, args, error, tmp_path
):
    results = tmp_path / "results.jsonl"
    results.touch()
    with pytest.raises(SystemExit, match=re.escape(error)):
        quality.main(["--tasks", "bupa", "--report-only", "--results", str(results), *args])


def test_quality_refuses_settings_of_a_model_it_does_not_fit(quality, tmp_path):
    # --set and --label were dropped without a word where --models left distilled out
    results = tmp_path / "results.jsonl"
    for args, error in [(["--set", "alpha=0.2"], "--set and --label describe the 'distilled'"),
                        (["--label", "mine"], "leaves out: add distilled to it")]:
        with pytest.raises(SystemExit, match=re.escape(error)):
            quality.main(["--tasks", "bupa", "--models", "logreg", "--results", str(results),
                          *args])
    # a report fits nothing: it shows every model of the cache whatever --models says
    results.touch()
    quality.main(["--tasks", "bupa", "--models", "logreg", "--report-only", "--set",
                  "alpha=0.2", "--results", str(results)])


def test_quality_command_line_ends_in_a_usage_error():
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "quality.py"), "--folds", "1"],
        capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 2
    usage, error = completed.stderr.strip().splitlines()[0], completed.stderr.strip()
    assert usage.startswith("usage: quality.py")
    assert error.endswith("error: argument --folds: expected an integer of at least 2, got '1'")
    assert "Traceback" not in completed.stderr


def test_the_pu_examples_seeds_table_averages_each_settings_f1(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    module = load_script(EXAMPLES / "pu_learning.py")
    negative, true, estimated = module.PRIORS

    def setting(name, f1):
        return module.Setting(name, 0.5, 0.2, {}, [], dict(zip(module.PRIORS, f1)))

    runs = {3: [setting("a", (0.5, 0.6, 0.2)), setting("b", (0.5, 0.4, 0.9))],
            4: [setting("a", (0.5, 0.6, 0.9)), setting("b", (0.5, 0.4, 0.2))]}
    table = module.seeds_table(runs)
    assert re.search(r"a\s+0.5\s+nnPU, estimated prior\s+0.2000\s+0.9000\s+0.5500", table)
    assert (f"with {estimated} above {negative} in 2 of 2 settings: a c=0.5, b c=0.5"
            in table)
    assert f"with {true} above {negative} in 1 of 2 settings: a c=0.5" in table


def test_the_examples_fixed_budgets_do_not_warn_of_meta_epochs_run_out():
    # every example fits --meta-epochs rounds with early stopping keeping the best: the
    # warning that they ran out is expected there, and was printed at every fit
    code = (
        "import sys, warnings; sys.path.insert(0, sys.argv[1]); import _evidence\n"
        "from sklearn.datasets import make_classification\n"
        "from skdistill import DistilledClassifier\n"
        "DistilledClassifier(meta_epochs=1, random_state=0).fit("
        "*make_classification(200, random_state=0))\n"
    )
    warned = "-Werror::sklearn.exceptions.ConvergenceWarning"
    run = subprocess.run([sys.executable, warned, "-c", code, str(EXAMPLES)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    unfiltered = code.replace("import _evidence", "pass")
    run = subprocess.run([sys.executable, warned, "-c", unfiltered, str(EXAMPLES)],
                         capture_output=True, text=True, timeout=300)
    assert "ConvergenceWarning: meta_epochs=1 ran out" in run.stderr
