import json
import logging
import os
import stat
import subprocess
import sys
import threading
import types

import numpy as np
import pytest
import scipy.special
import torch
from skorch import NeuralNet
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import skdistill
from skdistill import DistilledClassifier, export_onnx, onnx_export
from skdistill._optional import import_optional
from skdistill.onnx_export import StudentProbabilities, onnx_metadata
from skdistill.modules import CNN, GRU, MLP, BiLSTM, Transformer
from skdistill.preprocessing import SequenceEncoder, positions_frame

from .conftest import FAST, LinearLogits, TwoLogits, needs_file_size_limit, run_on_a_full_disk


def _split(X, y):
    return train_test_split(X, y, train_size=300, test_size=200, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def windows(crotonylation_sequences):
    """Train and test windows of the embedded data: sequences, labels."""
    sequences, labels = crotonylation_sequences
    return _split(np.asarray(sequences), np.asarray(labels))


def _small(module, **params):
    """An unfitted net of a small ``module``; the classifier fills in its shape."""
    return NeuralNet(module, criterion=torch.nn.BCEWithLogitsLoss,
                     **{f"module__{name}": value for name, value in params.items()})


def _fit(student, X, y):
    return DistilledClassifier(student=student, random_state=0, **FAST).fit(X, y)


# Each case fits a small student (the export, not the quality, is under test) and
# returns the estimator, its test input and the ONNX model's input for it.
def _multiclass_mlp(windows):
    """Three classes (softmax output) on synthetic features."""
    X, y = make_classification(n_samples=500, n_features=12, n_informative=6, n_classes=3,
                               random_state=0)
    X_train, X_test, y_train, _ = _split(X.astype(np.float32), y)
    return _fit(MLP, X_train, y_train), X_test, X_test


def _cnn_on_named_columns(windows):
    """Per-position one-hot columns with names: the classifier places them."""
    train, test, y_train, _ = windows
    encoder = OneHotEncoder(sparse_output=False, dtype=np.float32, handle_unknown="ignore")
    encoder.set_output(transform="pandas").fit(positions_frame(train))
    clf = _fit(_small(CNN, channels=(8,)), encoder.transform(positions_frame(train)), y_train)
    assert clf._layout.columns is not None, "the placement must be part of the test"
    X_test = encoder.transform(positions_frame(test))
    return clf, X_test, X_test.to_numpy()


def _gru_pipeline(windows):
    """Strings in: the SequenceEncoder stays in Python."""
    train, test, y_train, _ = windows
    pipeline = make_pipeline(SequenceEncoder(), DistilledClassifier(
        student=_small(GRU, hidden_size=8), random_state=0, **FAST,
    )).fit(train, y_train)
    return pipeline, test, pipeline[:-1].transform(test)


def _encoded(student):
    def case(windows):
        train, test, y_train, _ = windows
        encoder = SequenceEncoder().fit(train)
        X_test = encoder.transform(test)
        return _fit(student, encoder.transform(train), y_train), X_test, X_test
    return case


CASES = {
    "MLP": _multiclass_mlp,
    "CNN": _cnn_on_named_columns,
    "GRU": _gru_pipeline,
    "BiLSTM": _encoded(_small(BiLSTM, hidden_size=8)),
    "Transformer": _encoded(_small(Transformer, d_model=8, nhead=2, num_layers=1)),
}


@pytest.mark.parametrize("name", CASES)
def test_onnxruntime_probabilities_match_predict_proba(name, windows, tmp_path):
    onnxruntime = pytest.importorskip("onnxruntime", reason="needs skdistill[onnx]")
    estimator, X_test, onnx_input = CASES[name](windows)
    expected = estimator.predict_proba(X_test)
    student = (estimator[-1] if hasattr(estimator, "steps") else estimator).student_.module_
    weights = {name: value.clone() for name, value in student.state_dict().items()}

    path = export_onnx(estimator, tmp_path / "student.onnx")

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (given,), (returned,) = session.get_inputs(), session.get_outputs()
    assert (given.name, given.type) == ("X", "tensor(float)")
    assert given.shape == ["batch", onnx_input.shape[1]]
    assert (returned.name, returned.shape) == ("probabilities", ["batch", expected.shape[1]])
    assert onnx_input.dtype == np.float32
    probabilities = session.run(None, {"X": onnx_input})[0]
    assert probabilities.shape == expected.shape
    np.testing.assert_allclose(probabilities, expected, rtol=0, atol=1e-5)
    single = session.run(None, {"X": onnx_input[:1]})[0]
    np.testing.assert_allclose(single, expected[:1], rtol=0, atol=1e-5)
    # what the columns are, for a server without skdistill: the file said nothing
    classifier = estimator[-1] if hasattr(estimator, "steps") else estimator
    metadata = dict(session.get_modelmeta().custom_metadata_map)
    assert metadata.pop("skdistill_version") == skdistill.__version__
    assert {key: json.loads(value) for key, value in metadata.items()} == {
        "classes": classifier.classes_.tolist(),
        **({"feature_names": classifier.feature_names_in_.tolist()}
           if hasattr(classifier, "feature_names_in_") else {}),
        **({"sequence_shape": list(classifier.sequence_shape_)}
           if classifier.sequence_shape_ is not None else {}),
    }
    # The fitted student is neither moved nor changed.
    assert all(torch.equal(value, weights[name]) for name, value in student.state_dict().items())
    np.testing.assert_array_equal(estimator.predict_proba(X_test), expected)


def _export_under_a_float64_default(model, path):
    """export_onnx(model, path) under torch's default dtype float64, as a caller may set it."""
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return export_onnx(model, path)
    finally:
        torch.set_default_dtype(default)


def test_an_imbalanced_learn_pipeline_exports_under_a_float64_default(
    imbalanced_arrays, tmp_path,
):
    # The sampler has no transform: export_onnx raised AttributeError on such a pipeline;
    # and under a float64 default the graph took a double "X" onnxruntime refused to load.
    onnxruntime = pytest.importorskip("onnxruntime", reason="needs skdistill[onnx]")
    from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
    from imblearn.under_sampling import RandomUnderSampler

    X, y = imbalanced_arrays
    pipeline = make_imblearn_pipeline(
        StandardScaler(), RandomUnderSampler(random_state=0),
        DistilledClassifier(random_state=0, **FAST),
    ).fit(X, y)
    path = _export_under_a_float64_default(pipeline, tmp_path / "student.onnx")
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.get_inputs()[0].type == "tensor(float)"
    onnx_input = pipeline[0].transform(X).astype(np.float32)
    np.testing.assert_allclose(
        session.run(None, {"X": onnx_input})[0], pipeline.predict_proba(X), rtol=0, atol=1e-5
    )


def test_export_does_not_log_torch_exporter_noise(imbalanced_arrays, tmp_path):
    # Where torchvision is absent, torch's exporter logs a warning per torchvision
    # operator it skips, on a logger of its own that does not propagate.
    pytest.importorskip("onnxscript", reason="needs skdistill[onnx]")
    X, y = imbalanced_arrays
    clf = DistilledClassifier(meta_epochs=1, random_state=0).fit(X, y)
    registry_log = logging.getLogger("torch.onnx._internal.exporter._registration")
    level = registry_log.level
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    registry_log.addHandler(handler)
    try:
        export_onnx(clf, tmp_path / "student.onnx")
    finally:
        registry_log.removeHandler(handler)
    assert [record.getMessage() for record in records] == []
    assert registry_log.level == level


def test_unfitted_classifier_is_refused(tmp_path):
    from skdistill.onnx_export import onnx_metadata

    with pytest.raises(NotFittedError):
        export_onnx(DistilledClassifier(), tmp_path / "student.onnx")
    # an AttributeError on classes_
    with pytest.raises(NotFittedError, match="DistilledClassifier instance is not fitted"):
        onnx_metadata(DistilledClassifier())
    with pytest.raises(TypeError, match="onnx_metadata"):
        onnx_metadata(LogisticRegression())
    with pytest.raises(NotFittedError):
        export_onnx(make_pipeline(SequenceEncoder(), DistilledClassifier()), tmp_path / "s.onnx")


def test_other_estimators_and_bad_paths_are_refused(imbalanced_arrays, tmp_path):
    X, y = imbalanced_arrays
    with pytest.raises(TypeError, match="DistilledClassifier or a Pipeline.*LogisticRegression"):
        export_onnx(LogisticRegression().fit(X, y), tmp_path / "model.onnx")
    with pytest.raises(TypeError, match="ending in LogisticRegression"):
        export_onnx(make_pipeline(LogisticRegression()).fit(X, y), tmp_path / "model.onnx")
    clf = DistilledClassifier(alpha=0, random_state=0, **FAST).fit(X, y)
    with pytest.raises(TypeError, match="path must be a str or os.PathLike; got int"):
        export_onnx(clf, 3)


@needs_file_size_limit
def test_an_export_that_cannot_be_written_keeps_the_earlier_file(imbalanced_arrays, tmp_path):
    # the export wrote into the file itself: a full disk left a truncated model
    # that onnxruntime refused ("Protobuf parsing failed")
    from skdistill import save

    X, y = imbalanced_arrays
    save(DistilledClassifier(alpha=0, random_state=0, **FAST).fit(X, y), tmp_path / "m.skd")
    served = tmp_path / "served.onnx"
    served.write_bytes(b"the earlier export")
    result = run_on_a_full_disk(
        2000, "import sys\nfrom skdistill import export_onnx, load\n"
        "export_onnx(load(sys.argv[1]), sys.argv[2])", tmp_path / "m.skd", served)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"OSError: [Errno 27] File too large: '{served}'")
    assert served.read_bytes() == b"the earlier export"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["m.skd", "served.onnx"]


def test_an_export_goes_where_the_path_says_as_open_would(imbalanced_arrays, tmp_path):
    # written beside the path and renamed over it: a pipe became a file its reader
    # never saw, ".textproto" got the binary format, and dates as classes failed the
    # metadata's JSON
    X, y = imbalanced_arrays
    dates = np.array(["2020-01-01", "2021-06-30"], dtype="datetime64[ns]")[y]
    clf = DistilledClassifier(alpha=0, random_state=0, **FAST).fit(X, dates)
    export_onnx(clf, tmp_path / "student.textproto")
    assert (tmp_path / "student.textproto").read_bytes().startswith(b"ir_version: ")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_bytes()))
    reader.start()
    export_onnx(clf, pipe)
    reader.join(timeout=60)
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    onnx = pytest.importorskip("onnx", reason="needs skdistill[onnx]")
    metadata = {prop.key: prop.value for prop in onnx.load_from_string(read[0]).metadata_props}
    assert json.loads(metadata["classes"]) == [  # were integers, for datetime64[ns]
        "2020-01-01T00:00:00.000000000", "2021-06-30T00:00:00.000000000"]
    # the path given, not its folder's absolute path nor "." for ""
    for path in ("no_such_folder/student.onnx", ""):
        with pytest.raises(FileNotFoundError, match=f"No such file or directory: '{path}'"):
            export_onnx(clf, path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pipe", "student.textproto"]


@pytest.fixture(scope="module")
def student_alone(imbalanced_arrays):
    """A default student trained alone on the small tabular task."""
    return DistilledClassifier(alpha=0, random_state=0, **FAST).fit(*imbalanced_arrays)


def test_a_student_one_file_cannot_hold_is_refused(student_alone, tmp_path, monkeypatch):
    # beyond 1.5 GiB PyTorch's exporter writes the weights beside the file, under the
    # hidden name of a file renamed since, and one more such file at every export
    pytest.importorskip("onnxscript", reason="needs skdistill[onnx]")
    monkeypatch.setattr(onnx_export, "MAX_WEIGHT_BYTES", 1000)
    with pytest.raises(ValueError, match=r"holds at most 0\.0 GiB of weights; the student MLP "
                                         r"has 0\.00 GiB"):
        export_onnx(student_alone, tmp_path / "student.onnx")
    assert not list(tmp_path.iterdir())
    # a student of exactly the largest size is exported (an inclusive limit passed)
    module = student_alone.student_.module_
    size = sum(tensor.numel() * tensor.element_size() for tensor in module.state_dict().values())
    monkeypatch.setattr(onnx_export, "MAX_WEIGHT_BYTES", size)
    assert export_onnx(student_alone, tmp_path / "student.onnx").stat().st_size > 0
    monkeypatch.setattr(onnx_export, "MAX_WEIGHT_BYTES", size - 1)
    with pytest.raises(ValueError, match="holds at most"):
        export_onnx(student_alone, tmp_path / "student.onnx")


def test_export_leaves_the_fitted_students_module_as_it_was(student_alone, tmp_path):
    # an export of the student's own module, not a copy, passed the parity test (weights
    # and predictions): it set the user's module to eval mode (on a GPU, moved it to the CPU)
    pytest.importorskip("onnxscript", reason="needs skdistill[onnx]")
    module = student_alone.student_.module_
    module.train()  # as a user's own training step leaves it
    export_onnx(student_alone, tmp_path / "student.onnx")
    assert student_alone.student_.module_ is module
    assert all(layer.training for layer in module.modules())


def test_export_returns_a_path_for_a_path_given_as_text(student_alone, tmp_path):
    # every test gave a pathlib.Path: returning the argument as given passed
    pytest.importorskip("onnxscript", reason="needs skdistill[onnx]")
    returned = export_onnx(student_alone, str(tmp_path / "student.onnx"))
    assert type(returned) is type(tmp_path) and returned == tmp_path / "student.onnx"


def test_export_names_a_missing_onnxscript(student_alone, tmp_path, monkeypatch):
    # import_optional was tested alone: with onnx present and onnxscript missing, the export
    # failed inside torch's exporter instead of naming the extra
    monkeypatch.setitem(sys.modules, "onnxscript", None)
    with pytest.raises(ImportError, match=r"export_onnx needs onnxscript.*skdistill\[onnx\]"):
        export_onnx(student_alone, tmp_path / "student.onnx")
    assert not list(tmp_path.iterdir())


def _tracer_that_prints(monkeypatch):
    """torch.export.export, writing to the standard error first (as torch does where a
    trace warns or logs)."""
    real = torch.export.export

    def export(*args, **kwargs):
        sys.stderr.write("note from the tracer\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(torch.export, "export", export)


def test_what_a_successful_trace_prints_is_passed_on(student_alone, tmp_path, monkeypatch,
                                                      capsys):
    # only a failed trace's output (withheld) was tested; a successful one's is passed on
    pytest.importorskip("onnxscript", reason="needs skdistill[onnx]")
    _tracer_that_prints(monkeypatch)
    capsys.readouterr()
    export_onnx(student_alone, tmp_path / "student.onnx")
    assert "note from the tracer" in capsys.readouterr().err
    # without a standard error (pythonw, 2>&-) it is dropped: the subprocess test's trace
    # printed nothing, so the guard of sys.stderr None was never reached
    monkeypatch.setattr(sys, "stderr", None)
    assert export_onnx(student_alone, tmp_path / "again.onnx").stat().st_size > 0


def test_timedelta_classes_are_text_in_the_metadata(imbalanced_arrays):
    # only datetime64 classes were tested: timedelta64 labels became integers of nanoseconds
    X, y = imbalanced_arrays
    durations = np.array([1, 2], dtype="timedelta64[s]").astype("timedelta64[ns]")[y]
    clf = DistilledClassifier(alpha=0, random_state=0, **FAST).fit(X, durations)
    classes = json.loads(onnx_metadata(clf)["classes"])
    assert classes == clf.classes_.astype(str).tolist()


class AddsADefaultDtypeZero(LinearLogits):
    """A student that makes a tensor of torch's default dtype in forward."""

    def forward(self, X):
        return super().forward(X) + torch.zeros(X.shape[0])


@pytest.mark.parametrize("student", [TwoLogits, AddsADefaultDtypeZero])
def test_students_of_two_logits_or_default_dtype_tensors_export_their_probabilities(
        imbalanced_arrays, tmp_path, student):
    # every built-in student gives one logit and makes no tensor of the default dtype:
    # dropping the reading of two logits (exported as (n, 2, 2)) and the float32 default
    # (exported float64 under a float64 default) both passed
    onnxruntime = pytest.importorskip("onnxruntime", reason="needs skdistill[onnx]")
    X, y = imbalanced_arrays
    clf = DistilledClassifier(student=student, alpha=0, random_state=0, **FAST).fit(X, y)
    path = _export_under_a_float64_default(clf, tmp_path / "student.onnx")
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.get_outputs()[0].type == "tensor(float)"
    probabilities = session.run(None, {"X": X[:50]})[0]
    assert probabilities.shape == (50, 2)
    np.testing.assert_allclose(probabilities, clf.predict_proba(X[:50]), rtol=0, atol=1e-5)


def test_a_missing_optional_dependency_names_its_extra(monkeypatch):
    with pytest.raises(ImportError, match=r'export_onnx needs no_such_module.*skdistill\[onnx\]'):
        import_optional("no_such_module.sub", "onnx", "export_onnx")
    # the module that is missing, not the package imported from (it named torch)
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    monkeypatch.delitem(sys.modules, "torch.utils.tensorboard", raising=False)
    with pytest.raises(ImportError, match="TensorBoardTracker needs tensorboard"):
        import_optional("torch.utils.tensorboard", "tensorboard", "TensorBoardTracker")


@pytest.mark.parametrize("raised", ["ImportError", "AttributeError"])
def test_an_installed_dependency_that_fails_to_import_is_not_called_missing(
    tmp_path, monkeypatch, raised
):
    # onnx under a NumPy older than it needs: "not installed" hid the cause
    (tmp_path / "broken_dependency.py").write_text(f"raise {raised}('numpy is too old')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError, match=r"export_onnx needs broken_dependency, which fails "
                       rf"to import: {raised}: numpy is too old"):
        import_optional("broken_dependency", "onnx", "export_onnx")


def test_a_stub_module_without_a_spec_fails_as_an_import(monkeypatch):
    # importlib.util.find_spec raised ValueError, which no caller catches
    monkeypatch.setitem(sys.modules, "stub_package", types.ModuleType("stub_package"))
    with pytest.raises(ImportError, match="export_onnx needs stub_package.sub, which fails"):
        import_optional("stub_package.sub", "onnx", "export_onnx")


def test_an_installed_package_missing_a_module_of_its_own_is_not_called_missing(
    tmp_path, monkeypatch
):
    # onnx without its compiled extension: "pip install" would not mend it
    package = tmp_path / "half_installed"
    package.mkdir()
    (package / "__init__.py").write_text("import half_installed._compiled\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError, match=r"export_onnx needs half_installed, which fails to "
                       r"import: ModuleNotFoundError: No module named 'half_installed._compiled'"):
        import_optional("half_installed", "onnx", "export_onnx")


class Branching(torch.nn.Module):
    """A student whose output depends on a branch taken on its data's values."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        logits = self.linear(X)[:, 0]
        return logits if X.sum() > 0 else -logits


def test_a_student_that_cannot_be_traced_is_named(imbalanced_arrays, tmp_path, capsys):
    # torch's raw _dynamo UserError named neither the student nor the limitation
    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, student=Branching, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="cannot trace the student Branching"):
        export_onnx(clf, tmp_path / "student.onnx")
    assert not (tmp_path / "student.onnx").exists()
    # torch.export printed 2 KB of the partial graph to stderr before the error
    assert "GraphModule" not in capsys.readouterr().err


class RowByRow(torch.nn.Module):
    """A student that loops over the rows of its batch: its graph fixes the batch size."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return torch.stack([self.linear(row)[0] for row in X])


def test_a_student_that_fixes_the_batch_size_is_named_without_torchs_log(
        imbalanced_arrays, tmp_path):
    # torch logged 43 lines of guards it failed to build, to the standard error its
    # handler holds (the redirection of sys.stderr missed them)
    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, student=RowByRow, random_state=0).fit(X, y)
    logged = []
    handler = logging.Handler()
    handler.emit = logged.append
    guards = logging.getLogger("torch._guards")
    guards.addHandler(handler)
    try:
        with pytest.raises(ValueError, match=r"cannot trace the student RowByRow .*one that "
                                             r"fixes the batch size.*Constraints violated"):
            export_onnx(clf, tmp_path / "student.onnx")
    finally:
        guards.removeHandler(handler)
    assert logged == []
    assert guards.level == logging.NOTSET


class Erfinv(torch.nn.Module):
    """A student that traces, with an operation the ONNX exporter cannot translate."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return self.linear(torch.erfinv(torch.tanh(X) * 0.5))[:, 0]


def test_a_student_that_cannot_be_converted_is_named_with_the_cause(imbalanced_arrays,
                                                                     tmp_path):
    # the exporter's own message is advice on filing a report; the cause was in its chain
    pytest.importorskip("onnxscript", reason="needs skdistill[onnx]")
    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, student=Erfinv, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match=r"cannot convert the student Erfinv .*No ONNX "
                                         r"function found for .*erf_inv"):
        export_onnx(clf, tmp_path / "student.onnx")


_EXPORT_WITHOUT_STDERR = """
import sys
from sklearn.datasets import make_classification
from skdistill import DistilledClassifier, export_onnx
X, y = make_classification(n_samples=100, random_state=0)
clf = DistilledClassifier(meta_epochs=1, random_state=0, verbose=0).fit(X, y)
export_onnx(clf, sys.argv[1])
"""


def test_an_export_without_standard_error_writes_its_file(tmp_path):
    # sys.stderr is None under pythonw or 2>&-: the export raised AttributeError
    import os
    import subprocess

    pytest.importorskip("onnxscript", reason="needs skdistill[onnx]")
    result = subprocess.run(
        [sys.executable, "-c", _EXPORT_WITHOUT_STDERR, str(tmp_path / "student.onnx")],
        timeout=300, preexec_fn=lambda: os.close(2),
    )
    assert result.returncode == 0
    assert (tmp_path / "student.onnx").stat().st_size > 0


def test_a_transformer_exports_under_no_grad_and_inference_mode(windows, tmp_path):
    # the caller's no_grad reached the tracer: PyTorch's fused Transformer kernel has no
    # ONNX translation, and the exporter's ConversionError named neither
    onnxruntime = pytest.importorskip("onnxruntime", reason="needs skdistill[onnx]")
    estimator, X_test, onnx_input = CASES["Transformer"](windows)
    for mode in (torch.no_grad, torch.inference_mode):
        with mode():
            path = export_onnx(estimator, tmp_path / f"{mode.__name__}.onnx")
        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        np.testing.assert_allclose(session.run(None, {"X": onnx_input})[0],
                                   estimator.predict_proba(X_test), rtol=0, atol=1e-5)


def test_the_first_column_keeps_its_precision():
    # 1 - sigmoid(z) was 0 in float32 from z = 17 on, where predict_proba gives 4e-8
    logits = torch.tensor([-30.0, 0.0, 17.0, 30.0])
    proba = StudentProbabilities(torch.nn.Identity(), binary=True)(logits)
    expected = scipy.special.expit(np.outer(logits.double().numpy(), [-1, 1]))
    np.testing.assert_allclose(proba.numpy(), expected, rtol=1e-6)
