"""Experiment tracking: every fit logs one whole run to MLflow, TensorBoard or W&B.

Each tracker is tested against its real library, writing to tmp_path and
reading back what was logged; tests skip only where the library is absent.
"""

import collections
import importlib.util
import pickle
import struct
import sys
import warnings

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skdistill import DistilledClassifier, load
from skdistill.tracking import (
    MODEL_FILE,
    MlflowTracker,
    TensorBoardTracker,
    Tracker,
    WandbTracker,
    _tracked_params,
)

from .conftest import FAST, EndsInSigmoid, LinearLogits

#: Early stopping on (so that validation scores are logged) without stopping early.
VALIDATED = {**FAST, "early_stopping": True, "validation_fraction": 0.25,
             "n_iter_no_change": 100}
METRICS = ["teacher/loss", "student/loss", "teacher/valid_auc", "student/valid_auc",
           "teacher/valid_loss", "student/valid_loss"]
#: Logged once, when the fit ends.
SUMMARY = ["n_iter", "best_meta_epoch", "interrupted"]


def _history_values(clf, metric):
    """A tracked metric's values per meta-epoch, from ``history_``."""
    field = metric.replace("/", "_")
    return [record[field] for record in clf.history_ if field in record]


def _assert_same_model(clf, path, X):
    """The model file at ``path`` loads and predicts as ``clf``."""
    np.testing.assert_array_equal(load(path).predict_proba(X), clf.predict_proba(X))


class RecordingTracker(Tracker):
    """A tracker of this test's own, keeping every call in ``calls``."""

    def __init__(self, calls=None, X=None):
        self.calls = calls
        self.X = X

    def start(self):
        return RecordingRun(self.calls, self.X)


class RecordingRun:
    def __init__(self, calls, X):
        self.calls = calls
        self.X = X

    def log_params(self, params):
        self.calls.append(("params", params))

    def log_metrics(self, metrics, step):
        self.calls.append(("metrics", step, metrics))

    def log_artifact(self, path):
        self.calls.append(("artifact", load(path).predict_proba(self.X)))

    def end(self, failed):
        self.calls.append(("end", failed))


class NaNLogits(torch.nn.Module):
    """A student whose logits are NaN: training stops with a FloatingPointError."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return self.linear(X)[:, 0] + float("nan")


# --- the tracking protocol, with a tracker of the test's own ---------------------------


@pytest.mark.parametrize("schedule", ["online", "sequential"])
def test_every_round_is_reported_once_then_the_student(imbalanced_arrays, schedule):
    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(**FAST, schedule=schedule, random_state=0,
                              trackers=[RecordingTracker(calls, X)]).fit(X, y)

    kinds = [call[0] for call in calls]
    assert kinds == ["params"] + ["metrics"] * (len(kinds) - 3) + ["artifact", "end"]
    assert calls[0][1]["alpha"] == 0.5 and calls[0][1]["schedule"] == schedule
    assert "trackers" not in calls[0][1]
    for metric in ["teacher/loss", "student/loss"]:
        logged = [(step, metrics[metric]) for _, step, metrics in calls[1:-2] if metric in metrics]
        assert logged == list(enumerate(_history_values(clf, metric), start=1))
    assert calls[-3] == ("metrics", clf.n_iter_, {
        "n_iter": clf.n_iter_, "best_meta_epoch": clf.best_meta_epoch_, "interrupted": 0})
    np.testing.assert_array_equal(calls[-2][1], clf.predict_proba(X))
    assert calls[-1] == ("end", False)


def test_a_failed_fit_ends_its_runs_as_failed(imbalanced_arrays):
    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(student=NaNLogits, **FAST, trackers=[RecordingTracker(calls)])
    with pytest.raises(FloatingPointError):
        clf.fit(X, y)
    assert [call[0] for call in calls] == ["params", "end"]
    assert calls[-1] == ("end", True)
    assert not hasattr(clf, "student_")


def test_a_warning_after_training_turned_into_an_error_ends_the_runs_as_failed(
        imbalanced_arrays):
    # the warning of squashed logits came after the runs' guard: they stayed open
    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(student=EndsInSigmoid, **FAST, trackers=[RecordingTracker(calls)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="does its module end in a sigmoid"):
            clf.fit(X, y)
    assert calls[-1] == ("end", True)
    assert not hasattr(clf, "student_")


def test_trackers_take_one_tracker_without_a_list_or_a_tuple(imbalanced_arrays):
    X, y = imbalanced_arrays
    calls = []
    DistilledClassifier(**FAST, trackers=RecordingTracker(calls, X)).fit(X, y)
    assert calls[0][0] == "params" and calls[-1] == ("end", False)
    # a tuple was refused: "must be an instance of 'list', ... or None"
    others = []
    DistilledClassifier(**FAST, trackers=(RecordingTracker(others, X),)).fit(X, y)
    assert [call[0] for call in others] == [call[0] for call in calls]
    # the tracker's own settings (trackers__calls, ...) were logged as parameters
    assert not [name for name in calls[0][1] if "trackers" in name]


@pytest.mark.parametrize(
    "trackers, error, match",
    [
        ([object()], TypeError, r"trackers\[0\] is a object, not a tracker"),
        # "trackers[0] is a ABCMeta, not a tracker"
        ([TensorBoardTracker], TypeError,
         r"trackers\[0\] is the class TensorBoardTracker; pass an instance, "
         r"TensorBoardTracker\(\.\.\.\)"),
        ("mlflow", InvalidParameterError, "trackers"),
        ([MlflowTracker(tags="x")], InvalidParameterError, "tags"),
        ([WandbTracker(mode="sometimes")], InvalidParameterError, "mode"),
        ([TensorBoardTracker(log_dir=None)], InvalidParameterError, "log_dir"),
        # wandb's "got multiple values for keyword argument 'project'"
        ([WandbTracker(init_kwargs={"project": "x", "reinit": True})], ValueError,
         r"init_kwargs sets arguments of wandb.init that WandbTracker sets itself: project "
         r"\(use WandbTracker\(project=...\)\), reinit \(always 'create_new'\)"),
    ],
)
def test_invalid_trackers_are_refused_before_training(imbalanced_arrays, trackers, error,
                                                      match):
    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, trackers=trackers)
    with pytest.raises(error, match=match):
        clf.fit(X, y)
    assert not hasattr(clf, "student_")


@pytest.mark.parametrize(
    "tracker, module, extra",
    [
        (MlflowTracker(), "mlflow", "mlflow"),
        (TensorBoardTracker(), "tensorboard", "tensorboard"),  # torch.utils.tensorboard's
        (WandbTracker(), "wandb", "wandb"),
    ],
)
def test_a_missing_library_names_its_extra(monkeypatch, tracker, module, extra):
    monkeypatch.setitem(sys.modules, module, None)  # what an absent package looks like
    monkeypatch.delitem(sys.modules, "torch.utils.tensorboard", raising=False)
    with pytest.raises(ImportError, match=rf'pip install "skdistill\[{extra}\]"'):
        tracker.start()


# --- MLflow ------------------------------------------------------------------------------


@pytest.fixture
def mlflow_uri(tmp_path, monkeypatch):
    """A local MLflow file store (MLflow 3 opens one only with MLFLOW_ALLOW_FILE_STORE;
    mlflow-skinny has no SQLite store)."""
    pytest.importorskip("mlflow", reason="MlflowTracker needs mlflow (or mlflow-skinny)")
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    return (tmp_path / "mlruns").as_uri()


def _finished_runs(uri, experiment_name):
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name(experiment_name)
    runs = client.search_runs([experiment.experiment_id])
    assert {run.info.status for run in runs} == {"FINISHED"}
    return client, runs


def test_mlflow_default_sqlite_store_without_sqlalchemy_is_named(
    imbalanced_arrays, tmp_path, monkeypatch,
):
    # mlflow-skinny raised UnsupportedModelRegistryStoreURIException on MLflow 3's default
    pytest.importorskip("mlflow", reason="MlflowTracker needs mlflow (or mlflow-skinny)")
    if all(importlib.util.find_spec(name) for name in ("sqlalchemy", "alembic")):
        pytest.skip("the full mlflow package (SQLAlchemy and Alembic) opens SQLite stores")
    X, y = imbalanced_arrays
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    clf = DistilledClassifier(**FAST, trackers=[MlflowTracker()])
    with pytest.raises(ValueError, match=r"\(MLflow's default, as neither .* is set\) is a "
                                         r"SQLite database, which needs sqlalchemy"):
        clf.fit(X, y)
    assert not hasattr(clf, "student_")
    # a URI the user gave is named as theirs
    clf.set_params(trackers=[MlflowTracker("sqlite:///given.db")])
    with pytest.raises(ValueError, match=r"'sqlite:///given.db' \(tracking_uri\)"):
        clf.fit(X, y)


def test_mlflow_logs_a_whole_fit_as_one_run(imbalanced_arrays, mlflow_uri, tmp_path):
    X, y = imbalanced_arrays
    tracker = MlflowTracker(tracking_uri=mlflow_uri, experiment_name="distill",
                            run_name="one fit",
                            tags={"data": "crotonylation", "fold": 3, "mlflow.user": "alice"})
    clf = DistilledClassifier(**VALIDATED, alpha=0.3, random_state=0, trackers=[tracker])
    clf.fit(X, y)

    client, runs = _finished_runs(mlflow_uri, "distill")
    assert len(runs) == 1
    run = runs[0]
    assert run.info.run_name == "one fit"
    assert run.data.tags["data"] == "crotonylation" and run.data.tags["fold"] == "3"
    assert run.info.user_id == "alice"
    assert run.data.params["alpha"] == "0.3"
    assert run.data.params["teacher"] == "None"
    assert int(run.data.params["meta_epochs"]) == FAST["meta_epochs"]
    for metric in METRICS:
        history = client.get_metric_history(run.info.run_id, metric)
        assert [point.step for point in history] == [1, 2, 3]
        np.testing.assert_allclose([point.value for point in history],
                                   _history_values(clf, metric))
    assert [artifact.path for artifact in client.list_artifacts(run.info.run_id)] == [
        MODEL_FILE
    ]
    _assert_same_model(clf, client.download_artifacts(run.info.run_id, MODEL_FILE,
                                                      str(tmp_path)), X)


def test_mlflow_takes_parameter_names_it_would_refuse(imbalanced_arrays, mlflow_uri):
    # a valid Pipeline step name with characters MLflow refuses in a parameter's
    # name: the run failed before training, with no parameter logged
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = imbalanced_arrays
    teacher = Pipeline([("scale (z-score)", StandardScaler()), ("fit/", LogisticRegression())])
    clf = DistilledClassifier(**FAST, teacher=teacher,
                              trackers=[MlflowTracker(tracking_uri=mlflow_uri,
                                                      experiment_name="names")])
    with pytest.warns(UserWarning, match="cannot be stored without pickle"):
        clf.fit(X, y)
    _, (run,) = _finished_runs(mlflow_uri, "names")
    assert run.data.params["teacher__scale _z-score___with_mean"] == "True"
    # "teacher__fit/" is a path MLflow reads as another name, and a file store
    # cannot make "teacher__fit" a folder for "teacher__fit/__C" beside a file
    assert run.data.params["teacher__fit___C"] == "1.0"
    assert run.data.params["teacher__fit_"] == "LogisticRegression()"


@pytest.mark.parametrize("variable", ["MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID"])
def test_mlflow_ends_a_run_whose_tags_it_refuses_in_the_environments_experiment(
    imbalanced_arrays, mlflow_uri, monkeypatch, variable,
):
    # the run stayed RUNNING for ever, in the experiment "Default"
    from mlflow import MlflowClient, MlflowException

    X, y = imbalanced_arrays
    experiment_id = MlflowClient(tracking_uri=mlflow_uri).create_experiment("from-environment")
    monkeypatch.setenv(variable, "from-environment" if variable.endswith("NAME")
                       else experiment_id)
    clf = DistilledClassifier(**FAST, trackers=[
        MlflowTracker(tracking_uri=mlflow_uri, tags={"k" * 300: "x"})])
    with pytest.raises(MlflowException, match="exceeds the maximum length"):
        clf.fit(X, y)
    assert not hasattr(clf, "student_")
    client = MlflowClient(tracking_uri=mlflow_uri)
    experiment = client.get_experiment_by_name("from-environment")
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.info.status == "FAILED"


def test_mlflow_refuses_tags_not_named_by_strings_before_any_run(
    imbalanced_arrays, mlflow_uri,
):
    # tags={2024: "year"} failed in a regular expression of MLflow's, its run left FAILED
    from mlflow import MlflowClient

    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, trackers=[
        MlflowTracker(tracking_uri=mlflow_uri, experiment_name="tags", tags={2024: "year"})])
    with pytest.raises(TypeError, match=r"MlflowTracker: tags must be named by strings; "
                                        r"got \[2024\]"):
        clf.fit(X, y)
    assert not hasattr(clf, "student_")
    assert MlflowClient(tracking_uri=mlflow_uri).get_experiment_by_name("tags") is None


def test_mlflow_takes_a_folder_as_a_path(imbalanced_arrays, mlflow_uri, tmp_path):
    # a pathlib.Path was refused, where the TensorBoard and W&B trackers take one
    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, random_state=0, trackers=[
        MlflowTracker(tracking_uri=tmp_path / "mlruns", experiment_name="path")])
    clf.fit(X, y)
    _, runs = _finished_runs(mlflow_uri, "path")
    assert len(runs) == 1 and int(runs[0].data.metrics["n_iter"]) == clf.n_iter_


def test_mlflow_names_its_own_error_for_an_experiment_it_cannot_create(
    imbalanced_arrays, mlflow_uri,
):
    # an invalid name was taken for a race: AttributeError 'NoneType' ... 'experiment_id'
    from mlflow import MlflowException

    X, y = imbalanced_arrays
    tracker = MlflowTracker(tracking_uri=mlflow_uri, experiment_name="")
    with pytest.raises(MlflowException):
        DistilledClassifier(**FAST, trackers=[tracker]).fit(X, y)


def test_mlflow_marks_a_failed_fit(imbalanced_arrays, mlflow_uri):
    from mlflow import MlflowClient

    X, y = imbalanced_arrays
    clf = DistilledClassifier(student=NaNLogits, **FAST,
                              trackers=[MlflowTracker(tracking_uri=mlflow_uri)])
    with pytest.raises(FloatingPointError):
        clf.fit(X, y)
    client = MlflowClient(tracking_uri=mlflow_uri)
    (run,) = client.search_runs([client.get_experiment_by_name("Default").experiment_id])
    assert run.info.status == "FAILED"
    assert client.list_artifacts(run.info.run_id) == []


def test_each_fit_of_a_parallel_search_logs_its_own_run(imbalanced_arrays, mlflow_uri):
    from joblib.externals.loky import get_reusable_executor

    # The search's worker processes must see MLFLOW_ALLOW_FILE_STORE: start
    # fresh ones instead of reusing workers started before it was set.
    get_reusable_executor().shutdown(wait=True)
    from mlflow import MlflowClient

    X, y = imbalanced_arrays
    # A folder store does not create experiments atomically: two workers that start
    # at once would each create a "search" experiment and split the runs between them.
    MlflowClient(tracking_uri=mlflow_uri).create_experiment("search")
    tracker = MlflowTracker(tracking_uri=mlflow_uri, experiment_name="search")
    search = GridSearchCV(
        DistilledClassifier(**FAST, random_state=0, trackers=[tracker]),
        {"alpha": [0.0, 1.0]}, cv=2, n_jobs=2, refit=False, scoring="roc_auc",
    ).fit(X, y)

    client, runs = _finished_runs(mlflow_uri, "search")
    assert len(runs) == 4
    alphas = collections.Counter(run.data.params["alpha"] for run in runs)
    assert alphas == {"0.0": 2, "1.0": 2}
    for run in runs:
        history = client.get_metric_history(run.info.run_id, "student/loss")
        assert [point.step for point in history] == [1, 2, 3]
        assert [artifact.path for artifact in client.list_artifacts(run.info.run_id)] == [
            MODEL_FILE
        ]
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


# --- TensorBoard -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tensorboard_fit(imbalanced_arrays, tmp_path_factory):
    """A sequential fit logged to TensorBoard: the estimator and its run's folder."""
    pytest.importorskip("tensorboard", reason="TensorBoardTracker needs tensorboard")
    X, y = imbalanced_arrays
    log_dir = tmp_path_factory.mktemp("tensorboard")
    clf = DistilledClassifier(
        **VALIDATED, schedule="sequential", alpha=1.0, random_state=0,
        trackers=[TensorBoardTracker(log_dir=log_dir, run_name="sequential")],
    ).fit(X, y)
    return clf, log_dir / "sequential"


def test_tensorboard_event_files_hold_the_whole_fit(imbalanced_arrays, tensorboard_fit):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData

    X, _ = imbalanced_arrays
    clf, folder = tensorboard_fit
    events = EventAccumulator(str(folder)).Reload()
    assert sorted(events.Tags()["scalars"]) == sorted(METRICS + SUMMARY)
    assert [(scalar.step, scalar.value) for scalar in events.Scalars("n_iter")] == [
        (clf.n_iter_, clf.n_iter_)]
    for metric in METRICS:
        scalars = events.Scalars(metric)
        assert [scalar.step for scalar in scalars] == [1, 2, 3]
        np.testing.assert_allclose([scalar.value for scalar in scalars],
                                   _history_values(clf, metric), rtol=1e-6)
    hparams = events.PluginTagToContent("hparams")
    start = HParamsPluginData.FromString(hparams["_hparams_/session_start_info"])
    assert start.session_start_info.hparams["schedule"].string_value == "sequential"
    assert start.session_start_info.hparams["alpha"].number_value == 1.0
    # None and booleans as words: the HParams tab dropped None and showed 0 and 1
    assert start.session_start_info.hparams["teacher_weights"].string_value == "None"
    assert start.session_start_info.hparams["warm_start"].string_value == "False"
    experiment = HParamsPluginData.FromString(hparams["_hparams_/experiment"]).experiment
    assert sorted(info.name.tag for info in experiment.metric_infos) == sorted(
        METRICS + SUMMARY)
    _assert_same_model(clf, folder / MODEL_FILE, X)


def test_tensorboard_run_folders_sort_in_the_order_of_the_fits(imbalanced_arrays, tmp_path):
    # named to the second, the fits of one second sorted by their random suffix
    pytest.importorskip("tensorboard", reason="TensorBoardTracker needs tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, random_state=0, trackers=[TensorBoardTracker(tmp_path)])
    for meta_epochs in (1, 1, 1):
        clf.set_params(warm_start=True, meta_epochs=meta_epochs).fit(X, y)
    assert [EventAccumulator(str(folder)).Reload().Scalars("n_iter")[0].value
            for folder in sorted(tmp_path.iterdir())] == [1, 2, 3]


def test_fitted_estimators_with_trackers_clone_and_pickle(imbalanced_arrays, tensorboard_fit):
    # skorch's TensorBoard callback holds a SummaryWriter, which cannot be
    # copied (skorch #818); a tracker holds settings only, before and after fit.
    X, _ = imbalanced_arrays
    clf, _ = tensorboard_fit
    tracker = clf.trackers[0]
    assert clone(clf).get_params()["trackers"][0].get_params() == tracker.get_params()
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


# --- Weights & Biases --------------------------------------------------------------------


def _wandb_key(item):
    return item.key or "/".join(item.nested_key)


def _wandb_records(path):
    """The records of an offline W&B run file (LevelDB log format: 32 KiB blocks of
    chunks with a 7-byte header, after a 7-byte file header)."""
    from wandb.proto import wandb_internal_pb2

    raw = path.read_bytes()
    assert raw[:4] == b":W&B"
    block, header = 32768, 7
    position, chunks = header, []
    while position + header <= len(raw):
        if block - position % block < header:  # the rest of a block is padding
            position += block - position % block
            continue
        _, length, kind = struct.unpack("<IHB", raw[position : position + header])
        chunks.append(raw[position + header : position + header + length])
        position += header + length
        if kind in (1, 4):  # a full record, or the last chunk of one
            record = wandb_internal_pb2.Record()
            record.ParseFromString(b"".join(chunks))
            chunks = []
            yield record


def test_wandb_offline_run_holds_the_whole_fit(imbalanced_arrays, tmp_path, monkeypatch):
    wandb = pytest.importorskip("wandb", reason="WandbTracker needs wandb")
    for variable in ["WANDB_DIR", "WANDB_CACHE_DIR", "WANDB_DATA_DIR", "WANDB_CONFIG_DIR"]:
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    monkeypatch.setenv("WANDB_SILENT", "true")
    X, y = imbalanced_arrays
    tracker = WandbTracker(project="skdistill-tests", run_name="offline fit", mode="offline",
                           log_dir=tmp_path)
    clf = DistilledClassifier(**VALIDATED, random_state=0, trackers=[tracker]).fit(X, y)
    # A finished run's records reach its file in W&B's service process, which
    # may still be writing them: wait for it.
    wandb.teardown()

    (run_file,) = tmp_path.glob("wandb/offline-run-*/run-*.wandb")
    records = collections.defaultdict(list)
    for record in _wandb_records(run_file):
        records[record.WhichOneof("record_type")].append(record)
    assert len(records["run"]) == 1, {kind: len(found) for kind, found in records.items()}
    (run,) = records["run"]
    assert (run.run.project, run.run.display_name) == ("skdistill-tests", "offline fit")
    config = {_wandb_key(item): item.value_json for record in records["config"]
              for item in record.config.update}
    assert config["alpha"] == "0.5" and config["teacher"] == "null"
    rows = [{_wandb_key(item): float(item.value_json) for item in record.history.item}
            for record in records["history"]]
    for metric in METRICS:
        logged = [(row["meta_epoch"], row[metric]) for row in rows if metric in row]
        assert logged == list(enumerate(_history_values(clf, metric), start=1))
    (artifact,) = records["artifact"]
    assert artifact.artifact.type == "model"
    assert artifact.artifact.name == f"model-{run.run.run_id}"
    assert [entry.path for entry in artifact.artifact.manifest.contents] == [MODEL_FILE]
    (exit_record,) = records["exit"]
    assert exit_record.exit.exit_code == 0


def test_wandb_names_init_kwargs_its_init_does_not_take(imbalanced_arrays, tmp_path,
                                                       monkeypatch):
    pytest.importorskip("wandb", reason="WandbTracker needs wandb")
    monkeypatch.setenv("WANDB_SILENT", "true")
    X, y = imbalanced_arrays
    tracker = WandbTracker(mode="offline", log_dir=tmp_path, init_kwargs={"colour": "red"})
    # wandb's "init() got an unexpected keyword argument 'colour'"
    with pytest.raises(ValueError, match=r"init_kwargs holds \['colour'\], which this wandb's "
                                         r"init does not take; it takes \[.*'entity'"):
        DistilledClassifier(**FAST, trackers=[tracker]).fit(X, y)
    assert not list(tmp_path.iterdir())


class FailingTracker(RecordingTracker):
    """Records its calls, and raises ``error`` once, in its run's ``method``
    at step ``step`` (any step for ``log_artifact`` and ``end``)."""

    def __init__(self, calls=None, X=None, method="log_artifact", error=None, step=None):
        super().__init__(calls, X)
        self.method = method
        self.error = error
        self.step = step

    def start(self):
        run = RecordingRun(self.calls, self.X)
        recorded, raised = getattr(run, self.method), []

        def fail(*args):
            if self.method == "end":
                recorded(*args)
            if not raised and self.step in (None, args[-1]):
                raised.append(True)
                raise self.error
            recorded(*args)

        setattr(run, self.method, fail)
        return run


@pytest.fixture(scope="module")
def untracked_proba(imbalanced_arrays):
    X, y = imbalanced_arrays
    return DistilledClassifier(**FAST, random_state=0).fit(X, y).predict_proba(X)


@pytest.mark.parametrize("method, step", [("log_artifact", None), ("log_metrics", 2)])
def test_a_run_that_fails_ends_as_failed_and_the_fit_goes_on(
    imbalanced_arrays, untracked_proba, method, step,
):
    # an artifact store that could not be written cost the whole fit
    X, y = imbalanced_arrays
    failing, other = [], []
    clf = DistilledClassifier(**FAST, random_state=0, trackers=[
        FailingTracker(failing, X, method, OSError("upload failed"), step),
        RecordingTracker(other, X),
    ])
    with pytest.warns(UserWarning, match=rf"The run of FailingTracker failed in {method} "
                                         r"\(OSError: upload failed\); it ends as failed"):
        clf.fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), untracked_proba)
    assert failing[-1] == ("end", True)
    assert [call[0] for call in failing].count("end") == 1
    logged_steps = [call[1] for call in failing if call[0] == "metrics"]
    assert logged_steps == ([1] if method == "log_metrics" else [1, 2, 3, 3])
    assert other[-1] == ("end", False) and other[-2][0] == "artifact"


def test_a_run_that_cannot_end_neither_keeps_others_open_nor_hides_the_fits_error(
    imbalanced_arrays,
):
    X, y = imbalanced_arrays
    failing, other = [], []
    clf = DistilledClassifier(student=NaNLogits, **FAST, trackers=[
        FailingTracker(failing, X, "end", RuntimeError("server gone")),
        RecordingTracker(other, X),
    ])
    with pytest.warns(UserWarning, match=r"The run of FailingTracker could not be ended "
                                         r"\(RuntimeError: server gone\)"):
        with pytest.raises(FloatingPointError):
            clf.fit(X, y)
    assert failing[-1] == ("end", True) and other[-1] == ("end", True)


def test_ctrl_c_inside_a_tracker_leaves_complete_rounds(imbalanced_arrays):
    # history_ held the interrupted round while n_iter_ did not count it
    from skdistill import FitInterruptedWarning

    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(**FAST, random_state=0, trackers=[
        FailingTracker(calls, X, "log_metrics", KeyboardInterrupt(), step=2)])
    with pytest.warns(FitInterruptedWarning, match="after 2 complete meta-epoch"):
        clf.fit(X, y)
    assert clf.n_iter_ == len(clf.history_) == 2
    assert ("metrics", 2, {"n_iter": 2, "best_meta_epoch": clf.best_meta_epoch_,
                           "interrupted": 1}) in calls
    assert calls[-1] == ("end", False)


def test_ctrl_c_while_the_model_is_logged_keeps_the_fit(imbalanced_arrays, untracked_proba):
    from skdistill import FitInterruptedWarning

    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(**FAST, random_state=0, trackers=[
        FailingTracker(calls, X, "log_artifact", KeyboardInterrupt())])
    with pytest.warns(FitInterruptedWarning, match="Logging the fitted model was interrupted"):
        clf.fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), untracked_proba)
    assert calls[-1] == ("end", True)


@pytest.mark.parametrize("method, error, raised", [
    ("log_metrics", OSError("upload failed"), UserWarning),  # the tracker's warning raises
    # FitInterruptedWarning, an error, lets the interrupt through
    ("log_artifact", KeyboardInterrupt(), KeyboardInterrupt),
])
def test_a_tracker_warning_turned_into_an_error_ends_every_run_and_keeps_the_earlier_fit(
    imbalanced_arrays, untracked_proba, method, error, raised,
):
    # the runs stayed RUNNING, and the fit that raised replaced the earlier one
    X, y = imbalanced_arrays
    failing, other = [], []
    clf = DistilledClassifier(**FAST, random_state=0).fit(X, y)
    history = clf.history_
    clf.set_params(random_state=1, trackers=[
        FailingTracker(failing, X, method, error, step=2 if method == "log_metrics" else None),
        RecordingTracker(other, X),
    ])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(raised):
            clf.fit(X, y)
    assert failing[-1] == ("end", True) and other[-1] == ("end", True)
    np.testing.assert_array_equal(clf.predict_proba(X), untracked_proba)
    assert clf.history_ is history


class TrustingTracker(RecordingTracker):
    def start(self):
        run = RecordingRun(self.calls, self.X)
        run.log_artifact = lambda path: self.calls.append(
            ("artifact", load(path, trusted=[LinearLogits]).predict_proba(self.X))
        )
        return run


def test_a_tracked_model_of_untrusted_classes_is_logged_without_saves_warning(
    imbalanced_arrays, recwarn,
):
    # save's advice to pass trusted=[...] to load came at every tracked fit, about a
    # file the user never sees
    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(**FAST, student=LinearLogits, random_state=0,
                              trackers=[TrustingTracker(calls, X)]).fit(X, y)
    assert not [w for w in recwarn if "does not trust" in str(w.message)]
    np.testing.assert_array_equal(calls[-2][1], clf.predict_proba(X))


def _local_module_class():
    class Local(LinearLogits):
        """Defined in a function: no importable name, so save cannot store it."""

    return Local


def test_a_model_save_cannot_store_is_tracked_without_its_file(imbalanced_arrays):
    # The fit raised save's TypeError after training, and lost the model.
    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(**FAST, student=_local_module_class(), random_state=0,
                              trackers=[RecordingTracker(calls, X)])
    with pytest.warns(UserWarning, match="model is not logged.*has no importable name") as record:
        clf.fit(X, y)
    assert [warning.filename for warning in record] == [__file__]
    assert [call[0] for call in calls] == ["params"] + ["metrics"] * (len(calls) - 2) + ["end"]
    assert calls[-1] == ("end", False)
    assert clf.predict_proba(X).shape == (len(X), 2)


def test_logged_parameters_name_objects_without_an_address(imbalanced_arrays):
    # skorch's default callbacks were logged as "<...EpochTimer object at 0x7f...>",
    # another value at every run of one estimator
    from skorch import NeuralNetBinaryClassifier
    from skdistill.modules import MLP

    X, y = imbalanced_arrays
    runs = []
    for _ in range(2):
        calls = []
        DistilledClassifier(**FAST, student=NeuralNetBinaryClassifier(MLP),
                            trackers=[RecordingTracker(calls, X)]).fit(X, y)
        runs.append(calls[0][1])
    assert runs[0] == runs[1]
    assert runs[0]["student__callbacks__epoch_timer"] == (
        "<skorch.callbacks.logging.EpochTimer object>")
    assert not [value for value in runs[0].values() if " at 0x" in str(value)]
    # the rest of a repr is kept: a pipeline of a function names its steps
    from sklearn.preprocessing import FunctionTransformer
    from skdistill.tracking import _loggable

    assert "FunctionTransformer(func=<function" in _loggable(
        make_pipeline(FunctionTransformer(lambda X: X)))
    assert _loggable(np.random.RandomState(0)) == "RandomState(MT19937)"
    assert _loggable(("look at 0x10 now",)) == "('look at 0x10 now',)"


def test_a_warm_fit_logs_its_meta_epochs_after_the_previous_ones(imbalanced_arrays):
    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(**FAST, random_state=0).fit(X, y)
    clf.set_params(warm_start=True, meta_epochs=2, trackers=[RecordingTracker(calls, X)])
    clf.fit(X, y)
    steps = [step for kind, step, *_ in (c for c in calls if c[0] == "metrics")]
    assert sorted(set(steps)) == [4, 5]
    assert [record["meta_epoch"] for record in clf.history_] == [1, 2, 3, 4, 5]


def test_logged_parameters_are_those_the_fit_used(imbalanced_arrays):
    # student__max_epochs=10 and student__batch_size=128 were logged, where the fit set
    # 4 epochs a round and batches of 32; a warm fit logged student__lr=0.5, which it
    # warned it did not use
    from skdistill import default_net

    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(
        **FAST, student=default_net("student").set_params(iterator_train__drop_last=True),
        trackers=[RecordingTracker(calls, X)]).fit(X, y)
    params = calls[0][1]
    assert "student__lr" in params and "student__module" in params
    assert params["student__iterator_train__drop_last"] is True  # the fit takes it
    assert not {"student__max_epochs", "student__batch_size", "student__criterion",
                "student__train_split", "student__verbose"} & params.keys()
    assert "warm_start_unused" not in params
    # skorch's private set, printed in another order by each process (PYTHONHASHSEED),
    # made two runs of one configuration differ
    assert not [name for name in params if "___" in name or name.startswith("_")]
    calls.clear()
    # a scikit-learn teacher's own step named with an underscore is no net's private one
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    teacher = Pipeline([("_scale", StandardScaler()), ("model", LogisticRegression())])
    DistilledClassifier(**FAST, teacher=teacher, trackers=[RecordingTracker(calls, X)]).fit(
        X, y)
    assert calls[0][1]["teacher___scale__with_mean"] is True
    calls.clear()
    clf.set_params(warm_start=True, student__lr=0.5)
    with pytest.warns(UserWarning, match="these changed and are not used"):
        clf.fit(X, y)
    assert calls[0][1]["student__lr"] == 0.5
    assert calls[0][1]["warm_start_unused"] == "student__lr 0.01 (now 0.5)"


def test_a_tracked_fit_warns_of_an_unsaved_teacher_at_the_users_call(imbalanced_arrays):
    from sklearn.linear_model import LogisticRegression

    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, teacher=LogisticRegression(), random_state=0,
                              trackers=[RecordingTracker([], X)])
    with pytest.warns(UserWarning, match="cannot be stored without pickle") as record:
        clf.fit(X, y)
    assert [warning.filename for warning in record] == [__file__]


def test_a_single_trackers_own_settings_are_not_logged(imbalanced_arrays):
    # a tracker given alone (no list) is a nested estimator: get_params holds
    # trackers__tracking_uri and the like, which may carry credentials
    X, y = imbalanced_arrays
    calls = []
    DistilledClassifier(**FAST, trackers=RecordingTracker(calls, X)).fit(X, y)
    assert not [name for name in calls[0][1] if "trackers" in name.split("__")]
    secret = DistilledClassifier(trackers=MlflowTracker(tracking_uri="https://user:pw@host"))
    assert not [value for value in _tracked_params(secret).values() if "pw@" in str(value)]


def test_the_summary_logs_the_kept_meta_epoch_not_the_last(imbalanced_arrays):
    X, y = imbalanced_arrays
    calls = []
    clf = DistilledClassifier(
        **{**FAST, "meta_epochs": 30, "early_stopping": True, "validation_fraction": 0.25,
           "n_iter_no_change": 2},
        random_state=0, trackers=[RecordingTracker(calls, X)]).fit(X, y)
    assert clf.best_meta_epoch_ < clf.n_iter_
    assert calls[-3] == ("metrics", clf.n_iter_, {
        "n_iter": clf.n_iter_, "best_meta_epoch": clf.best_meta_epoch_, "interrupted": 0})
