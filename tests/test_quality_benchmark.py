"""The quality benchmark's repeats, seeds, paired test and summary
(``benchmarks/quality.py``; no KEEL data needed)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from skorch.callbacks import Callback
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

from skdistill import DistilledClassifier, default_net

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "quality.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("quality_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def labels():
    return np.r_[np.zeros(30, dtype=int), np.ones(20, dtype=int)]


class Interrupts(Callback):
    """Ctrl-C as a user presses it, at the end of the net's second epoch."""

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == 2:
            raise KeyboardInterrupt


def test_an_interrupted_fit_stops_the_benchmark(quality, labels):
    # the kept meta-epoch's fit was cached as the fold's result and the run went on
    X = np.random.default_rng(0).normal(size=(len(labels), 3)) + labels[:, None]
    model = DistilledClassifier(meta_epochs=4, early_stopping=False, random_state=0,
                                student=default_net("student").set_params(
                                    callbacks=[Interrupts()]))
    train, test = np.arange(0, 50, 2), np.arange(1, 50, 2)
    with pytest.raises(KeyboardInterrupt):
        quality.safe_fit_and_score(model, X, labels, train, test)


def test_repeat_zero_is_the_single_cross_validation(quality, labels):
    X = np.zeros((len(labels), 1))
    single = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, labels))
    splits = quality.repeat_splits(X, labels, folds=5, repeats=3)
    assert len(splits) == 15
    for (train, test, repeat), (single_train, single_test) in zip(splits[:5], single):
        assert repeat == 0
        np.testing.assert_array_equal(train, single_train)
        np.testing.assert_array_equal(test, single_test)
    # every repeat tests every row once, each with its own shuffle
    for repeat in range(3):
        tests = [test for train, test, r in splits[5 * repeat:5 * repeat + 5] if r == repeat]
        np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(len(labels)))
    assert not np.array_equal(splits[0][1], splits[5][1])


@pytest.mark.parametrize("model, expected", [
    (MLPClassifier(random_state=0), [0, 1, 2]),
    (DistilledClassifier(random_state=7), [7, 8, 9]),   # a candidate's own seed moves on
    (LogisticRegression(), [None, None, None]),          # None stays None
    (MLPClassifier(random_state=np.int64(3)), [3, 4, 5]),
])
def test_a_repeat_moves_an_integer_seed_on_and_keeps_repeat_zero_as_given(
    quality, model, expected
):
    seeded = [quality.seeded(model, repeat) for repeat in range(3)]
    assert seeded[0] is model
    assert [estimator.random_state for estimator in seeded] == expected
    assert model.random_state == expected[0]
    # the records store the seed as JSON: a numpy integer becomes a plain one
    assert all(type(estimator.random_state) is int for estimator in seeded[1:]
               if expected[1] is not None)


def test_the_corrected_test_over_repeats_counts_every_fold(quality):
    rng = np.random.default_rng(0)
    reference = rng.uniform(0.7, 0.8, 15)
    scores = reference + rng.normal(0.01, 0.01, 15)
    differences = scores - reference
    # one repeat of 5 folds: Nadeau & Bengio's 1/k + 1/(k - 1)
    first = differences[:5]
    expected_single = first.mean() / np.sqrt((1 / 5 + 1 / 4) * first.var(ddof=1))
    assert quality.corrected_paired_t(scores[:5], reference[:5], 5) == pytest.approx(
        expected_single
    )
    # three repeats: 1/(k r) + 1/(k - 1), not 1/(k r) + 1/(k r - 1)
    expected = differences.mean() / np.sqrt((1 / 15 + 1 / 4) * differences.var(ddof=1))
    assert quality.corrected_paired_t(scores, reference, 5) == pytest.approx(expected)


def test_a_summary_without_a_complete_task_names_none(quality):
    # a report asking for more repeats than the cache holds leaves every cell partial
    partial = quality.Cell("partial", 0.8, None, 1.0, None, 0, 5, (0.8,) * 5)
    cells = {("bupa", "mlp"): partial, ("heart", "mlp"): partial}
    stats = quality.summary(["bupa", "heart"], cells, ["mlp"], {"mlp": "mlp"})
    assert stats["tasks"] == []
    assert stats["left_out"] == ["bupa", "heart"]
    assert stats["absent"] == ["mlp"]


def test_set_values_parse_as_documented_and_a_misspelt_name_is_an_error(quality):
    # net(MPL) and a bare MPL became strings, failing every fold; a net's repr made a
    # label of several lines without its lr
    setting = quality.parse_setting("student=net(MLP, hidden_units=(8,),\n lr=3e-3)")
    model = quality.make_distilled([setting])
    assert model.student.lr == 3e-3
    assert model.student.module__hidden_units == (8,)
    assert quality.default_label([setting, quality.parse_setting("alpha=0.7")]) == (
        "distilled[student=net(MLP, hidden_units=(8,), lr=3e-3),alpha=0.7]")
    assert [quality.parse_setting(text).value for text in
            ("teacher_fusion=mean", "device=cuda:0", "beta=0.25")] == ["mean", "cuda:0", 0.25]
    # net(..., batch_size=32) went to the module, failing every fold, then to the net,
    # whose batch size no fit reads
    for text, message in [("student=net(MLP, batch_size=32)",
                           r"ValueError: a net's batch_size is not used.*--set batch_size=\.\.\."),
                          ("student=net(MLP, max_epochs=5)",
                           r"a net's max_epochs is not used.*--set student_epochs=\.\.\. or --set teacher_epochs"),
                          ("student=net(MPL)", "a name in it is unknown; known"),
                          ("student=MPL", r"did you mean \['MLP'\]"),
                          ("student=gru", r"did you mean \['GRU'\]"),
                          ("student=net(MLP, 1, 2, 3)", "TypeError")]:
        with pytest.raises(quality.argparse.ArgumentTypeError, match=message):
            quality.parse_setting(text)


def test_lists_with_a_trailing_comma_and_values_out_of_range(quality):
    # "--models logreg," was an unknown model ''; "--set meta_epochs=-1" failed every
    # fold, and the script ended with status 0
    assert list(quality.select_models("logreg,", [], None)) == ["logreg"]
    for option, select in (("--models", lambda: quality.select_models(" , ", [], None)),
                           ("--tasks", lambda: quality.select_tasks(","))):
        with pytest.raises(SystemExit, match=f"{option} .* names nothing"):
            select()
    with pytest.raises(SystemExit, match="--set: The 'meta_epochs' parameter"):
        quality.select_models("distilled", [quality.parse_setting("meta_epochs=-1")], None)


def test_results_on_other_data_are_fitted_again(quality, tmp_path, capsys):
    # a task loaded otherwise (fewer columns) reused the cached scores without a word
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 3)), np.r_[np.zeros(40, dtype=int), np.ones(20, dtype=int)]
    protocol = {"folds": 2, "max_rows": None, "keel_features": "raw", "random_state": 0}
    models = quality.select_models("logreg", [], None)
    results = tmp_path / "results.jsonl"

    def fits(columns):
        task = quality.Task("toy", "keel binary", lambda _: (X[:, :columns], y))
        done = {quality.cache_key(r["task"], r["model"], r["fold"], r["params"], r.get("data"))
                for r in quality.read_records(results)}
        return quality.run_task(task, models, protocol, 1, done, results, {})

    assert (fits(3), fits(3), fits(2)) == (2, 0, 2)


def test_the_report_shows_the_parameters_the_command_ran(quality):
    # a candidate run again after another under the same label showed the other's
    # results, the ones just asked for counted as older and left out
    protocol = {"folds": 1}
    records = [{"task": "toy", "model": "cand", "fold": 0, "protocol": protocol,
                "params": {"meta_epochs": epochs}, "roc_auc": auc}
               for epochs, auc in (("1", 0.6), ("4", 0.9))]
    current, stale = quality.current_records(records, protocol, 1, {"toy"},
                                             {"cand": {"meta_epochs": "1"}})
    assert [record["roc_auc"] for record in current] == [0.6]
    assert stale == {"cand": 1}
    current, _ = quality.current_records(records, protocol, 1, {"toy"})  # --report-only
    assert [record["roc_auc"] for record in current] == [0.9]


def test_a_task_named_twice_is_run_and_counted_once(quality):
    # "--tasks bupa,bupa" printed its row twice and counted it in every summary twice
    assert [task.name for task in quality.select_tasks("bupa,sonar,bupa")] == ["bupa", "sonar"]
    with pytest.raises(SystemExit,
                       match=f"Unknown task.*'nosuch'.*the {len(quality.TASKS)} tasks: .*bupa"):
        quality.select_tasks("nosuch")


def test_the_share_of_positives_prints_alike_in_every_table(quality):
    # --list-tasks printed phoneme's 1,174 of 4,000 as 29.3 (100 * y.mean()), the tables 29.4
    y = np.r_[np.ones(1174, dtype=int), np.zeros(2826, dtype=int)]
    assert quality.positive_share(int(y.sum()), len(y)) == "29.4"
