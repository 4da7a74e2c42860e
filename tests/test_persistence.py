import io
import json
import pickle
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from skorch import NeuralNet
from torch import nn

import skdistill.persistence as persistence
from skdistill import DistilledClassifier, load, register_trusted, save
from skdistill.modules import CNN, GRU, MLP
from skdistill.persistence import UntrustedClassError
from skdistill.preprocessing import SequenceEncoder, positions_frame

from .conftest import FAST


def fast(**params):
    # On the CPU wherever the tests run: identical predictions are compared
    # with those of a model loaded on the CPU.
    return DistilledClassifier(**{**FAST, "random_state": 0, "device": "cpu", **params})


class TinyModule(nn.Module):
    """A user module, unknown to skdistill until trusted."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return self.linear(X)[:, 0]


class Touch:
    """A pickle payload: unpickling it creates a marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return Path.touch, (Path(self.marker),)


def round_trip(estimator, tmp_path, **load_params):
    path = tmp_path / "model.skd"
    save(estimator, path)
    return load(path, **load_params)


def read_manifest(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("skdistill.json")), archive.read("tensors.safetensors")


def assert_saves_as(loaded, path, tmp_path):
    """Saving a loaded model again writes the same tree: nothing was lost or changed."""
    save(loaded, tmp_path / "again.skd")
    again, _ = read_manifest(tmp_path / "again.skd")
    assert again["estimator"] == read_manifest(path)[0]["estimator"]


def write_model_file(path, manifest, tensors=b""):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("skdistill.json", json.dumps(manifest))
        archive.writestr("tensors.safetensors", tensors)


@pytest.fixture(scope="module")
def fitted_mlp(imbalanced_arrays):
    X, y = imbalanced_arrays
    return fast().fit(X, y)


@pytest.fixture(scope="module")
def saved_mlp(fitted_mlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("saved") / "mlp.skd"
    save(fitted_mlp, path)
    return path


@pytest.fixture(scope="module")
def sequence_sample(crotonylation_sequences):
    sequences, labels = crotonylation_sequences
    return np.asarray(sequences[:300]), np.asarray(labels[:300])


# --- round trips -------------------------------------------------------------------


def test_default_classifier_predicts_identically_after_loading(
    fitted_mlp, saved_mlp, imbalanced_arrays
):
    X, y = imbalanced_arrays
    loaded = load(saved_mlp)
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted_mlp.predict_proba(X))
    np.testing.assert_array_equal(
        loaded.teacher_predict_proba(X), fitted_mlp.teacher_predict_proba(X)
    )
    assert loaded.get_params() == fitted_mlp.get_params()
    for name in ("classes_", "n_features_in_", "prior_", "batch_size_", "n_iter_",
                 "sequence_shape_", "history_"):
        np.testing.assert_equal(getattr(loaded, name), getattr(fitted_mlp, name))
    assert loaded.teacher_ is loaded.teachers_[0] is loaded._teacher_ensemble.nets[0]
    assert list(loaded.student_.history) == list(fitted_mlp.student_.history)


def test_prior_estimators_and_trackers_of_the_library_load_without_trust(
    imbalanced_arrays, tmp_path
):
    """The library's own parameter objects are trusted: a model fitted with a
    prior estimator (with the scorer the PU guide recommends) and trackers loads
    without ``trusted=``."""
    from skdistill.pu import BestBinPriorEstimator, make_pu_labels
    from skdistill.tracking import MlflowTracker, TensorBoardTracker, WandbTracker

    X, y = imbalanced_arrays
    prior = BestBinPriorEstimator(HistGradientBoostingClassifier(max_iter=5), random_state=0)
    clf = fast(prior=prior).fit(X, make_pu_labels(y, 0.5, random_state=0))
    # trackers are settings only; set after the fit so that no optional extra is needed
    trackers = [MlflowTracker(experiment_name="e"), TensorBoardTracker(log_dir="runs"),
                WandbTracker(project="p")]
    clf.set_params(trackers=trackers)
    save(clf, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd")
    assert loaded.prior_ == clf.prior_
    assert repr(loaded.get_params()["prior"]) == repr(prior)
    assert [repr(t) for t in loaded.trackers] == [repr(t) for t in trackers]
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_skorch_net_spec_round_trips_and_refits_identically(imbalanced_arrays, tmp_path):
    """Nets, criteria, optimizers and seeds survive: a clone refits to the same model."""
    X, y = imbalanced_arrays
    student = NeuralNet(
        MLP, criterion=nn.BCEWithLogitsLoss, optimizer=torch.optim.SGD, lr=0.05,
        module__hidden_units=(8,),
    )
    clf = fast(student=student).fit(X, y)
    loaded = round_trip(clf, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert isinstance(loaded.student, NeuralNet) and not hasattr(loaded.student, "module_")
    assert loaded.student.get_params()["train_split"].cv == 5
    refitted = clone(loaded).fit(X, y)
    np.testing.assert_array_equal(refitted.predict_proba(X), clf.predict_proba(X))


def test_sequence_pipeline_round_trips(sequence_sample, tmp_path):
    sequences, labels = sequence_sample
    pipeline = make_pipeline(
        SequenceEncoder(), fast(teacher=CNN, student=GRU)
    ).fit(sequences, labels)
    loaded = round_trip(pipeline, tmp_path)
    np.testing.assert_array_equal(
        loaded.predict_proba(sequences), pipeline.predict_proba(sequences)
    )
    encoded = loaded[0].transform(sequences)
    np.testing.assert_array_equal(
        loaded[-1].teacher_predict_proba(encoded), pipeline[-1].teacher_predict_proba(encoded)
    )
    assert loaded[-1].sequence_shape_ == pipeline[-1].sequence_shape_ == (29, 21)
    assert_saves_as(loaded, tmp_path / "model.skd", tmp_path)
    assert loaded[0].dtype is np.float32
    assert isinstance(loaded[-1].student_.module_, GRU)


def test_frame_pipeline_with_string_labels_round_trips(sequence_sample, tmp_path):
    sequences, labels = sequence_sample
    frame = positions_frame(sequences)
    names = np.where(labels == 1, "pos", "neg")
    encoder = ColumnTransformer([("onehot", OneHotEncoder(handle_unknown="ignore"), list(frame))])
    pipeline = make_pipeline(encoder, fast()).fit(frame, names)
    loaded = round_trip(pipeline, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(frame), pipeline.predict_proba(frame))
    np.testing.assert_array_equal(loaded.predict(frame), pipeline.predict(frame))
    np.testing.assert_array_equal(loaded.feature_names_in_, pipeline.feature_names_in_)
    assert loaded.classes_.tolist() == ["neg", "pos"]


def test_multiclass_bootstrapped_teachers_round_trip(tmp_path):
    X, y = make_classification(
        n_samples=300, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    clf = fast(
        teacher=[None, MLP], bootstrap=True, teacher_fusion="mean_logits",
        teacher_weights=np.array([1.0, 2.0]), random_state=np.random.RandomState(3),
    ).fit(X, y)
    loaded = round_trip(clf, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(loaded.teacher_predict_proba(X), clf.teacher_predict_proba(X))
    teachers = zip(loaded._teacher_ensemble.teachers, clf._teacher_ensemble.teachers)
    for teacher, original in teachers:
        np.testing.assert_array_equal(teacher.sample, original.sample)
    assert loaded.random_state.get_state()[1].tolist() == clf.random_state.get_state()[1].tolist()


def test_loaded_model_pickles(saved_mlp, imbalanced_arrays):
    X, _ = imbalanced_arrays
    loaded = load(saved_mlp)
    restored = pickle.loads(pickle.dumps(loaded))
    np.testing.assert_array_equal(restored.predict_proba(X), loaded.predict_proba(X))


def test_load_leaves_the_global_torch_random_state_alone(saved_mlp):
    before = torch.get_rng_state()
    load(saved_mlp)
    assert torch.equal(torch.get_rng_state(), before)


# --- devices ------------------------------------------------------------------------


def test_load_puts_the_nets_on_the_asked_device(saved_mlp):
    loaded = load(saved_mlp, device="cpu")
    assert loaded.device == "cpu"  # the parameter, for the next fit, is kept as saved
    assert loaded.device_ == torch.device("cpu")
    assert all(net.device == torch.device("cpu") for net in [loaded.student_, *loaded.teachers_])
    assert loaded.student_.module_.layers[0].weight.device.type == "cpu"


def test_load_refuses_a_device_torch_cannot_use(saved_mlp):
    with pytest.raises(ValueError, match="not a torch device"):
        load(saved_mlp, device="gpu-please")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA GPU"):
            load(saved_mlp, device="cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_model_trained_on_a_gpu_loads_on_the_cpu(imbalanced_arrays, tmp_path):
    X, y = imbalanced_arrays
    clf = fast(device="cuda").fit(X, y)
    on_cpu = round_trip(clf, tmp_path)
    assert on_cpu.student_.module_.layers[0].weight.device.type == "cpu"
    assert on_cpu.device_ == torch.device("cpu") and on_cpu.device == "cuda"
    np.testing.assert_allclose(on_cpu.predict_proba(X), clf.predict_proba(X), atol=1e-5)
    on_gpu = load(tmp_path / "model.skd", device="auto")
    assert on_gpu.student_.module_.layers[0].weight.is_cuda
    np.testing.assert_array_equal(on_gpu.predict_proba(X), clf.predict_proba(X))


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_a_pickled_gpu_model_predicts_on_a_cpu_machine(fitted_mlp, imbalanced_arrays):
    # what a GPU fit records; skorch moved the nets to the CPU, but device_ stayed "cuda"
    # and predict_proba failed with "Torch not compiled with CUDA enabled"
    X, _ = imbalanced_arrays
    gpu_fitted = pickle.loads(pickle.dumps(fitted_mlp))
    gpu_fitted.device_ = torch.device("cuda")
    for net in [gpu_fitted.student_, *gpu_fitted.teachers_]:
        net.device = "cuda"
    with pytest.warns(UserWarning, match="no CUDA devices are available"):
        on_cpu = pickle.loads(pickle.dumps(gpu_fitted))
    assert on_cpu.device_ == torch.device("cpu")
    np.testing.assert_array_equal(on_cpu.predict_proba(X), fitted_mlp.predict_proba(X))


# --- what is not saved --------------------------------------------------------------


def test_scikit_learn_teacher_is_replaced_with_a_warning(imbalanced_arrays, tmp_path):
    X, y = imbalanced_arrays
    booster = FrozenEstimator(HistGradientBoostingClassifier(max_iter=5).fit(X, y))
    clf = fast(teacher=booster).fit(X, y)
    with pytest.warns(UserWarning, match=r"\['FrozenEstimator'\] cannot be stored"):
        save(clf, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd")
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    with pytest.raises(ValueError, match="FrozenEstimator.*was not saved"):
        loaded.teacher_predict_proba(X)
    with pytest.raises(ValueError, match="was not saved"):
        clone(loaded).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the placeholder is saved as it is, silently
        assert_saves_as(loaded, tmp_path / "model.skd", tmp_path)


def test_module_instance_without_its_arguments_is_refused(imbalanced_arrays, tmp_path):
    X, y = imbalanced_arrays
    clf = fast(student=TinyModule(input_dim=X.shape[1])).fit(X, y)
    with pytest.raises(TypeError, match="Give the module as a class"):
        save(clf, tmp_path / "model.skd")
    assert not (tmp_path / "model.skd").exists()


def test_built_in_module_instances_round_trip(sequence_sample, tmp_path):
    # the user guide's way to give a sequence shape; no built-in module kept input_dim,
    # so save refused every instance after training
    sequences, labels = sequence_sample
    pipeline = make_pipeline(SequenceEncoder(), fast(
        teacher=GRU(sequence_length=29, alphabet_size=21, hidden_size=4),
        student=CNN(sequence_length=29, alphabet_size=21, channels=(4,), readout="max"),
    )).fit(sequences, labels)
    loaded = round_trip(pipeline, tmp_path)
    np.testing.assert_array_equal(
        loaded.predict_proba(sequences), pipeline.predict_proba(sequences)
    )
    module = loaded[-1].student
    assert (module.channels, module.readout, module.input_dim) == ((4,), "max", None)


# --- trust --------------------------------------------------------------------------


def test_user_module_needs_trust(imbalanced_arrays, tmp_path, monkeypatch):
    X, y = imbalanced_arrays
    clf = fast(student=TinyModule).fit(X, y)
    path = tmp_path / "model.skd"
    save(clf, path)
    with pytest.raises(UntrustedClassError, match="TinyModule") as error:
        load(path)
    assert "trusted=[TinyModule]" in str(error.value)
    assert "register_trusted(TinyModule)" in str(error.value)
    loaded = load(path, trusted=[TinyModule])
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    monkeypatch.setattr(persistence, "_TRUSTED", dict(persistence._TRUSTED))
    register_trusted(TinyModule)
    np.testing.assert_array_equal(load(path).predict_proba(X), clf.predict_proba(X))


@pytest.mark.parametrize("trusted", ["TinyModule", TinyModule, [lambda X: X]])
def test_trusted_must_be_a_list_of_named_classes(saved_mlp, trusted):
    with pytest.raises(TypeError, match="trusted|name"):
        load(saved_mlp, trusted=trusted)


def tampered_copy(saved, tmp_path, edit):
    """Copy of a saved model whose manifest is changed by ``edit(estimator_state)``."""
    manifest, tensors = read_manifest(saved)
    edit(manifest["estimator"]["state"]["items"])
    path = tmp_path / "tampered.skd"
    write_model_file(path, manifest, tensors)
    return path


@pytest.mark.parametrize("payload", [
    {"kind": "name", "class": "os.system"},
    {"kind": "object", "class": "builtins.eval", "state": {"kind": "dict", "items": []}},
    {"kind": "module", "class": "subprocess.Popen",
     "arguments": {"kind": "dict", "items": [["args", ["touch", "MARKER"]]]},
     "state": {"kind": "dict", "items": []}},
])
def test_tampered_file_cannot_run_code(saved_mlp, tmp_path, monkeypatch, payload):
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "MARKER"
    payload = json.loads(json.dumps(payload).replace("MARKER", str(marker)))
    # The payload replaces the student, and is called with the marker's path
    # if anything treats the file's names as code.
    path = tampered_copy(saved_mlp, tmp_path, lambda items: items.append(
        ["student_", {"kind": "tuple", "items": [payload, str(marker)]}]
    ))
    with pytest.raises(UntrustedClassError, match=payload["class"]):
        load(path)
    assert not marker.exists()


def test_pickle_payload_in_place_of_the_weights_is_not_unpickled(saved_mlp, tmp_path):
    marker = tmp_path / "marker"
    manifest, _ = read_manifest(saved_mlp)
    path = tmp_path / "tampered.skd"
    write_model_file(path, manifest, pickle.dumps(Touch(marker)))
    with pytest.raises(ValueError, match="damaged"):
        load(path)
    assert not marker.exists()
    pickle.loads(pickle.dumps(Touch(marker)))  # the payload itself does work
    assert marker.exists()


def test_trusted_module_cannot_be_rebuilt_from_a_raw_state(saved_mlp, tmp_path):
    path = tampered_copy(saved_mlp, tmp_path, lambda items: items.append(
        ["student_", {"kind": "object", "class": "skdistill.modules.MLP",
                      "state": {"kind": "dict", "items": []}}]
    ))
    with pytest.raises(ValueError, match="cannot be rebuilt from a state"):
        load(path)


# --- bad input ----------------------------------------------------------------------


def test_bad_files_are_clear_errors(saved_mlp, tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.skd")
    with pytest.raises(ValueError, match="is a folder, not a skdistill model file"):
        load(tmp_path)  # was IsADirectoryError
    with open(saved_mlp, "rb") as handle:  # a file object is read as before
        assert type(load(io.BytesIO(handle.read()))).__name__ == "DistilledClassifier"
    text = tmp_path / "notes.txt"
    text.write_text("not a model")
    with pytest.raises(ValueError, match="not a skdistill model file"):
        load(text)
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValueError, match="not a skdistill model file"):
        load(other_zip)
    manifest, tensors = read_manifest(saved_mlp)
    write_model_file(other_zip, {**manifest, "format": "skops"}, tensors)
    with pytest.raises(ValueError, match="not a skdistill model file"):
        load(other_zip)


def test_newer_format_version_is_refused(saved_mlp, tmp_path):
    manifest, tensors = read_manifest(saved_mlp)
    path = tmp_path / "future.skd"
    write_model_file(path, {**manifest, "format_version": persistence.FORMAT_VERSION + 1}, tensors)
    with pytest.raises(ValueError, match="newer skdistill.*Upgrade"):
        load(path)


def test_save_refuses_unfitted_and_foreign_objects(tmp_path):
    with pytest.raises(NotFittedError):
        save(DistilledClassifier(), tmp_path / "model.skd")
    with pytest.raises(NotFittedError):
        save(make_pipeline(SequenceEncoder(), DistilledClassifier()), tmp_path / "model.skd")
    with pytest.raises(TypeError, match="scikit-learn estimator"):
        save({"student": None}, tmp_path / "model.skd")
    assert not (tmp_path / "model.skd").exists()


def test_skorch_callbacks_are_saved_by_their_parameters(imbalanced_arrays, tmp_path):
    # a trained LRScheduler holds a torch scheduler: save failed with "Cannot save a
    # defaultdict object", naming neither the callback nor where it sat
    from skorch.callbacks import GradientNormClipping, LRScheduler

    X, y = imbalanced_arrays
    student = NeuralNet(MLP, criterion=nn.BCEWithLogitsLoss, callbacks=[
        LRScheduler(policy="StepLR", step_size=1), GradientNormClipping(1.0)])
    clf = fast(student=student).fit(X, y)
    loaded = round_trip(clf, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    scheduler, clipping = loaded.student.callbacks
    assert (scheduler.policy, scheduler.kwargs, clipping.gradient_clip_value) == (
        "StepLR", {"step_size": 1}, 1.0)
    np.testing.assert_array_equal(clone(loaded).fit(X, y).predict_proba(X), clf.predict_proba(X))


def test_what_cannot_be_saved_is_named_by_its_path(imbalanced_arrays, tmp_path):
    from skorch.callbacks import EpochScoring

    X, y = imbalanced_arrays
    student = NeuralNet(MLP, criterion=nn.BCEWithLogitsLoss,
                        callbacks=[EpochScoring(scoring=lambda net, X, y: 0.0)])
    clf = fast(student=student).fit(X, y)
    with pytest.raises(TypeError, match="DistilledClassifier attribute 'student': NeuralNet "
                                        "parameter 'callbacks': EpochScoring parameter 'scoring'"):
        save(clf, tmp_path / "model.skd")


def test_weights_of_another_model_are_a_damaged_file(saved_mlp, imbalanced_arrays, tmp_path):
    # a size mismatch in load_state_dict was torch's RuntimeError, not the documented ValueError
    X, y = imbalanced_arrays
    other = fast(student=NeuralNet(MLP, module__hidden_units=(3,),
                                   criterion=nn.BCEWithLogitsLoss)).fit(X, y)
    save(other, tmp_path / "other.skd")
    manifest, _ = read_manifest(saved_mlp)
    _, other_tensors = read_manifest(tmp_path / "other.skd")
    write_model_file(tmp_path / "mixed.skd", manifest, other_tensors)
    with pytest.raises(ValueError, match="damaged skdistill model file"):
        load(tmp_path / "mixed.skd")
