import contextlib
import copy
import functools
import io
import os
import json
import pickle
import re
import struct
import subprocess
import sys
import tempfile
import threading
import tracemalloc
import warnings
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import safetensors.torch
import sklearn
import scipy.special
import torch
import torch.nn.utils.prune
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as make_imbalanced_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.cluster import FeatureAgglomeration
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut, TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MaxAbsScaler,
    OneHotEncoder,
    PowerTransformer,
    QuantileTransformer,
    RobustScaler,
    StandardScaler,
)
from skorch import NeuralNet, NeuralNetBinaryClassifier, callbacks
from torch import nn

import skdistill._plain_data as plain_data
import skdistill.persistence as persistence
from skdistill import DistilledClassifier, load, register_trusted, save
from skdistill.modules import CNN, GRU, MLP, Transformer
from skdistill.persistence import UntrustedClassError
from skdistill.preprocessing import SequenceEncoder, positions_frame

from .conftest import FAST, LinearLogits, needs_file_size_limit, run_on_a_full_disk


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


class LazyModule(nn.Module):
    """A user module whose first layer learns its input width on its first batch."""

    def __init__(self, hidden=4):
        super().__init__()
        self.hidden = hidden
        self.layers = nn.Sequential(nn.LazyLinear(hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, X):
        return self.layers(X)[:, 0]


class Remembers(TransformerMixin, BaseEstimator):
    """A user transformer whose ``memory`` is a window length, not a cache folder."""

    def __init__(self, memory=2):
        self.memory = memory

    def fit(self, X, y=None):
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        return X


class CachedPipeline(Pipeline):
    """A user's Pipeline, its memory a cache as its parent's."""


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


def assert_save_refuses(model, tmp_path, match):
    """Assert that ``save`` refuses ``model`` with a TypeError matching ``match``,
    leaving no file."""
    with pytest.raises(TypeError, match=match):
        save(model, tmp_path / "model.skd")
    assert not (tmp_path / "model.skd").exists()


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
                 "best_meta_epoch_", "sequence_shape_", "history_"):
        np.testing.assert_equal(getattr(loaded, name), getattr(fitted_mlp, name))
    assert loaded.teacher_ is loaded.teachers_[0] is loaded._teacher_ensemble.nets[0]
    assert list(loaded.student_.history) == list(fitted_mlp.student_.history)


def test_prior_estimators_of_the_library_load_without_trust(imbalanced_arrays, tmp_path):
    """The library's own parameter objects are trusted: a model fitted with a
    prior estimator (with the scorer the PU guide recommends) loads without
    ``trusted=``."""
    from skdistill.pu import BestBinPriorEstimator, make_pu_labels

    X, y = imbalanced_arrays
    prior = BestBinPriorEstimator(HistGradientBoostingClassifier(max_iter=5), random_state=0)
    clf = fast(prior=prior).fit(X, make_pu_labels(y, 0.5, random_state=0))
    loaded = round_trip(clf, tmp_path)
    assert loaded.prior_ == clf.prior_
    assert repr(loaded.get_params()["prior"]) == repr(prior)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_scikit_learn_callbacks_are_left_out_of_the_file(fitted_mlp, imbalanced_arrays,
                                                         tmp_path):
    # "Cannot save a ListenerHandle object without pickle", of no way out
    from sklearn.callback import ScoringMonitor

    X, y = imbalanced_arrays
    model = make_pipeline(StandardScaler(), clone(fitted_mlp))
    model.set_callbacks(ScoringMonitor(scoring="accuracy")).fit(X, y)
    with pytest.warns(UserWarning, match=r"The scikit-learn callbacks of Pipeline are not saved"):
        save(model, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd")
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert not hasattr(loaded, "_skl_callbacks")


class Bare(torch.nn.Module):
    """A module of no ``__init__`` of its own."""

    def forward(self, X):
        return self.linear(X)


class HookedByItsConstructor(nn.Module):
    """A module whose constructor registers a hook, as weight_norm does, and reads
    a weight through NumPy, which torch's meta device cannot (save refused it)."""

    def __init__(self, width=3):
        super().__init__()
        self.width = width
        self.linear = nn.Linear(width, 1)
        self.linear.register_forward_hook(lambda module, args, output: output * 2)
        self.largest = float(np.abs(self.linear.weight.detach().numpy()).max())

    def forward(self, X):
        return self.linear(X)


class OwnList(torch.nn.ModuleList):
    """A ModuleList of the user's."""


def test_torch_layers_and_containers_round_trip_as_instances(imbalanced_arrays, tmp_path):
    # the usual skorch module, a Sequential of torch's layers, was refused ("its
    # constructor takes *args"), and so was a Linear ("does not keep 'device'")
    X, y = imbalanced_arrays
    hidden = nn.Sequential(OrderedDict(
        fc=nn.Linear(X.shape[1], 6, bias=False), act=nn.GELU(approximate="tanh"),
        norm=nn.LayerNorm(6, eps=1e-3), clip=nn.Hardtanh(-2.0, 2.0), same=nn.Identity()))
    hidden.fc.weight.requires_grad_(False)
    student = nn.Sequential(hidden, nn.Dropout(0.2), nn.Linear(6, 1))
    clf = fast(student=NeuralNetBinaryClassifier(student)).fit(X, y)
    loaded = round_trip(clf, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert repr(loaded.student_.module_) == repr(clf.student_.module_)
    assert [name for name, parameter in loaded.student_.module_.named_parameters()
            if not parameter.requires_grad] == ["0.fc.weight"]
    # a layer of two containers (of the teacher's and the student's specs) stays one
    shared = nn.Linear(X.shape[1], 1)
    tied = fast(teacher=nn.Sequential(shared), student=nn.Sequential(shared)).fit(X, y)
    reloaded = round_trip(tied, tmp_path)
    assert reloaded.teacher[0] is reloaded.student[0]
    np.testing.assert_array_equal(reloaded.predict_proba(X), tied.predict_proba(X))
    # a hook registered on a layer of a module instance was left out: the loaded model
    # predicted otherwise (by 0.23); those a constructor registers are rebuilt by load
    handle = student[2].register_forward_hook(lambda *args: args[-1] * 2)
    (tmp_path / "hooked").mkdir()
    assert_save_refuses(clf, tmp_path / "hooked", "Cannot save the Linear module: it holds "
                                                  "forward_hooks its constructor does not")
    handle.remove()
    plain_data.TreeWriter().node(HookedByItsConstructor(3))
    # containers that are arguments of a module keep their layers' names and weights
    for container in (nn.ModuleList([nn.Linear(2, 3), nn.ReLU()]),
                      nn.ModuleDict({"first": nn.Linear(2, 3), "last": nn.Embedding(3, 2)})):
        tree_writer = plain_data.TreeWriter()
        built = build_tree(tree_writer.node(container), tree_writer.tensors)
        assert type(built) is type(container) and repr(built) == repr(container)
        for (name, value), (built_name, built_value) in zip(
                container.state_dict().items(), built.state_dict().items()):
            assert name == built_name and torch.equal(value, built_value)


def test_hooks_on_a_fitted_module_built_from_its_class(imbalanced_arrays, tmp_path,
                                                       monkeypatch):
    # a hook added to a fitted net's module (built from its class) saved without a word
    # and the loaded model predicted otherwise (by up to 0.22), pruning made a file
    # load called damaged, and a constructor's hook swapped for another went unseen
    X, y = imbalanced_arrays
    clf = fast(student=NeuralNetBinaryClassifier(
        HookedByItsConstructor, module__width=X.shape[1])).fit(X, y)
    (tmp_path / "kept").mkdir()
    loaded = round_trip(clf, tmp_path / "kept", trusted=[HookedByItsConstructor])
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    layer = clf.student_.module_.linear
    handle = layer.register_forward_pre_hook(lambda module, args: (args[0] * 2,))
    assert_save_refuses(clf, tmp_path, "Cannot save the HookedByItsConstructor module: its "
                                       "layer 'linear' holds forward_pre_hooks its constructor")
    handle.remove()
    (key, _), = layer._forward_hooks.items()
    layer._forward_hooks[key] = np.negative
    assert_save_refuses(clf, tmp_path, "layer 'linear' holds forward_hooks")
    layer._forward_hooks.clear()
    torch.nn.utils.prune.l1_unstructured(clf.student_.module_.linear, "weight", amount=0.5)
    assert_save_refuses(clf, tmp_path, "layer 'linear' holds forward_pre_hooks")
    # a class that no longer builds from the net's parameters is named, not torch's error
    # (its traceback kept: it was cut at the path's prefix)
    monkeypatch.setattr(HookedByItsConstructor, "__init__", lambda self, width: 1 / 0)
    with pytest.raises(TypeError, match=r"Cannot save the HookedByItsConstructor module: built "
                                        r"from the net's parameters, as load builds it, it "
                                        r"fails \(ZeroDivisionError") as refused:
        save(clf, tmp_path / "model.skd")
    assert isinstance(refused.value.__cause__, ZeroDivisionError)


def test_torch_modules_that_do_not_rebuild_are_refused():
    # torch's settings left to their defaults must rebuild the module: LSTM keeps its
    # sizes under no argument's name, MultiheadAttention no bias=False
    for module, reason in ((nn.LSTM(3, 2), "missing 2 required positional arguments"),
                           (nn.MultiheadAttention(4, 2, bias=False), "Missing key")):
        with pytest.raises(TypeError, match=f"(?s)Cannot save the {type(module).__name__} "
                                            f"instance: .*{reason}.*under other names"):
            plain_data.TreeWriter().node(module)
    attached = nn.Sequential(nn.Linear(2, 1))
    attached.register_buffer("scale", torch.ones(1))
    tied = nn.Linear(2, 2)
    hooked = nn.Linear(2, 1)
    hooked.register_forward_hook(lambda module, args, output: output * 2)
    # a layer in two places was written once ("damaged" at load), a hook left out (the
    # loaded model predicted otherwise), a lazy layer never run failed in torch's words
    # a container in two places: load takes none twice
    inner = nn.Sequential(tied)
    twice_used = nn.ModuleDict({"a": inner, "b": nn.Sequential(inner)})
    for module, reason in ((attached, r"registered after it was built \(scale\)"),
                           (twice_used, "its layer '0', a container, is a layer of another"),
                           (nn.Sequential(tied, nn.ReLU(), tied), "one layer twice .'0' and '2'"),
                           (nn.Sequential(hooked), "holds forward_hooks"),
                           (nn.LazyLinear(1), r"not built yet .*\(nn.Linear for nn.LazyLinear\)")):
        with pytest.raises(TypeError, match=reason):
            plain_data.TreeWriter().node(module)


def build_tree(tree, tensors):
    """What load builds of a tree written by TreeWriter, its classes trusted out of the box."""
    return plain_data.TreeReader(
        {name: persistence._TRUSTED[name] for name in plain_data.class_names(tree)},
        tensors, torch.device("cpu")).build(tree)


def test_a_file_cannot_make_load_build_without_bound():
    writer = plain_data.TreeWriter()
    tree = writer.node(nn.Sequential(nn.Sequential(nn.Linear(3, 3)), nn.Linear(3, 3)))
    # a container's layer as a reference to another container: nested, each level
    # doubled the layers that forward ran (a 166 KB file took 25 s to load)
    repeated = copy.deepcopy(tree)
    repeated["layers"][1][1] = {"kind": "ref", "id": repeated["layers"][0][1]["id"]}
    with pytest.raises(ValueError, match="a layer of a Sequential is a container met before"):
        build_tree(repeated, writer.tensors)
    # one stored tensor named by many layers: each was built at full size
    shared = copy.deepcopy(tree)
    shared["layers"][1][1]["state"] = shared["layers"][0][1]["layers"][0][1]["state"]
    with pytest.raises(ValueError, match="the tensor '0' is named twice"):
        build_tree(shared, writer.tensors)
    assert isinstance(build_tree(tree, writer.tensors), nn.Sequential)
    # layers whose sizes are set by their arguments alone are not trusted out of the box
    # (a file's ZeroPad1d((0, 10**9)) made predict allocate 20 GB)
    for layer in (nn.ZeroPad1d(1), nn.Upsample(scale_factor=2), nn.TransformerEncoder,
                  nn.Conv1d):
        cls = layer if isinstance(layer, type) else type(layer)
        assert plain_data.name_of(cls) not in persistence._TRUSTED


def test_a_module_instance_attached_to_after_it_was_built_is_refused(imbalanced_arrays,
                                                                      tmp_path):
    X, y = imbalanced_arrays
    # a module of no __init__ of its own, its layers attached after it was built, and a
    # ModuleList, whose `modules` is a method: both written, then "damaged" at load
    attached = Bare()
    attached.linear = torch.nn.Linear(X.shape[1], 1)
    buffered = Bare()
    buffered.register_buffer("shift", torch.zeros(1), persistent=False)
    for module, reason in ((attached, "registered after it was built (linear)"),
                           (buffered, "registered after it was built (shift)"),
                           (OwnList([torch.nn.Linear(X.shape[1], 1)]),
                            "its attribute 'modules' is a method")):
        with pytest.raises(TypeError, match=re.escape(reason)):
            plain_data.TreeWriter().node(module)
    # nor what forward or compile keeps (a first version refused them as settings)
    compiled = Bare()
    compiled.compile()
    compiled.last_mean = 0.5
    plain_data.TreeWriter().node(compiled)
    # a module of no __init__ of its own shows nn.Module's *args: the library's losses
    # (a first version refused every model of true_label_loss="bce" and of three classes)
    bce = DistilledClassifier(true_label_loss="bce", **FAST).fit(X, y)
    np.testing.assert_array_equal(round_trip(bce, tmp_path).predict_proba(X),
                                  bce.predict_proba(X))


def test_trackers_are_left_out_of_the_file(fitted_mlp, imbalanced_arrays, tmp_path):
    # A tracker in a file came back live: a refit of a loaded model logged into the
    # folder (or to the server) the file named, and a saved file carried the
    # tracking address of whoever saved it.
    from skdistill.tracking import MlflowTracker, TensorBoardTracker

    X, _ = imbalanced_arrays
    clf = copy.deepcopy(fitted_mlp).set_params(trackers=[
        MlflowTracker(tracking_uri="http://user:secret@tracking:5000"),
        TensorBoardTracker(log_dir=str(tmp_path / "runs"))])
    with pytest.warns(UserWarning, match="The trackers MlflowTracker, TensorBoardTracker "
                                         "are not saved") as record:
        save(clf, tmp_path / "model.skd")
    assert "secret" not in str(record[0].message)  # the warning showed the address
    assert "secret" not in json.dumps(read_manifest(tmp_path / "model.skd")[0])
    loaded = load(tmp_path / "model.skd")
    assert loaded.trackers is None
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted_mlp.predict_proba(X))
    # a file of an older version keeps its trackers: they are dropped, with a warning
    planted = tampered_copy(tmp_path / "model.skd", tmp_path, lambda items: items.append(
        ["trackers", [{"kind": "object", "class": "skdistill.tracking.TensorBoardTracker",
                       "state": {"kind": "dict", "items": [["log_dir", str(tmp_path / "x")]]}}]]
    ))
    with pytest.warns(UserWarning, match="holds trackers .*TensorBoardTracker.* not loaded"):
        assert load(planted).trackers is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save(copy.deepcopy(fitted_mlp).set_params(trackers=[]), tmp_path / "none.skd")


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


def test_common_preprocessing_loads_without_trusting_it(tmp_path):
    """Imputing, scaling and projecting steps are trusted out of the box."""
    X, y = make_classification(n_samples=120, n_features=6, random_state=0)
    X[::7, 1] = np.nan
    X[:, 2] *= 100  # a direction PCA keeps in float64 arithmetic
    pipeline = make_pipeline(
        SimpleImputer(add_indicator=True), RobustScaler(), PowerTransformer(),
        QuantileTransformer(n_quantiles=20), PCA(4), fast(),
    ).fit(X, y)
    loaded = round_trip(pipeline, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(X), pipeline.predict_proba(X))
    # PCA's components_ are in Fortran order: read back in C order, products rounded
    # otherwise (2e-8 apart)
    assert loaded[-2].components_.flags.f_contiguous
    np.testing.assert_array_equal(loaded[:-1].transform(X), pipeline[:-1].transform(X))


def test_the_weights_and_metadata_of_a_fit_are_not_kept(imbalanced_arrays, tmp_path):
    # a routed groups Series made save fail; weights of every row were saved
    X, y = imbalanced_arrays
    groups = pd.Series(np.arange(len(y)) % 2)
    with sklearn.config_context(enable_metadata_routing=True):
        search = GridSearchCV(LogisticRegression().set_fit_request(sample_weight=False)
                              .set_score_request(sample_weight=False),
                              {"C": [0.1, 1.0]}, cv=LeaveOneGroupOut())
        clf = fast(teacher=search).fit(X, y, sample_weight=np.full(len(y), 2.0), groups=groups)
    assert all(teacher.fit_params == {} for teacher in clf._teacher_ensemble.teachers)
    with pytest.warns(UserWarning, match="cannot be stored"):
        save(clf, tmp_path / "model.skd")


def test_a_model_with_metadata_requests_round_trips(imbalanced_arrays, tmp_path):
    # the requests' owner is the estimator itself: the file named classes load did not
    # trust, and with them trusted load called it damaged (a reference to an estimator
    # still being rebuilt)
    X, y = imbalanced_arrays
    with sklearn.config_context(enable_metadata_routing=True):
        teacher = LogisticRegression().set_fit_request(sample_weight=False)
        clf = (fast(teacher=teacher).set_fit_request(sample_weight=True)
               .set_score_request(sample_weight=False))
        clf.fit(X, y, sample_weight=np.where(y == 1, 2.0, 1.0))
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            warnings.filterwarnings("ignore", "The scikit-learn teacher", UserWarning)
            loaded = round_trip(clf, tmp_path)
        routing = loaded.get_metadata_routing()
        assert str(routing) == str(clf.get_metadata_routing())
        assert loaded._metadata_request.fit.owner is loaded
        assert str(loaded.teacher.get_metadata_routing()) == str(teacher.get_metadata_routing())
        np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
        # finding the owner moved _metadata_request last among the attributes
        assert_saves_as(loaded, tmp_path / "model.skd", tmp_path)


def test_a_clones_requests_do_not_carry_the_estimator_it_was_cloned_from(
    imbalanced_arrays, tmp_path
):
    # scikit-learn's clone keeps the original as its requests' owner: the file of a
    # refitted clone held the original's fitted nets too, and load rebuilt them
    X, y = imbalanced_arrays
    with sklearn.config_context(enable_metadata_routing=True):
        original = fast().set_fit_request(sample_weight=True).fit(X, y)
        refitted = clone(original).set_params(random_state=1).fit(X, y)
        save(refitted, tmp_path / "model.skd")
        manifest, _ = read_manifest(tmp_path / "model.skd")
        loaded = load(tmp_path / "model.skd")
    assert json.dumps(manifest).count('"kind": "net"') == 2  # the teacher and the student
    assert loaded._metadata_request.owner is loaded
    assert loaded._metadata_request.fit.owner is loaded


def _with_request_owners(node, holder_id=None):
    """The tree with every metadata request naming its holder as owner, as the
    files of earlier versions did (a reference to an object still being built)."""
    if isinstance(node, list):
        return [_with_request_owners(item, holder_id) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _with_request_owners(value, node.get("id", holder_id)
                                      if node.get("kind") == "object"
                                      and not node["class"].endswith("MetadataRequest")
                                      else holder_id)
            for key, value in node.items()}
    if node.get("kind") == "object" and node["class"].endswith("MetadataRequest"):
        node["state"]["items"].append(["owner", {"kind": "ref", "id": holder_id}])
    return node


def test_files_whose_requests_name_their_owner_still_load(imbalanced_arrays, tmp_path):
    # the files of earlier versions refer back to the estimator being rebuilt; with
    # the owner no longer stored they were called damaged
    from sklearn.utils._metadata_requests import MethodMetadataRequest

    X, y = imbalanced_arrays
    with sklearn.config_context(enable_metadata_routing=True):
        clf = fast().set_fit_request(sample_weight=True).fit(X, y)
        # a method the loading process's scikit-learn does not route
        clf._metadata_request.fit_custom = MethodMetadataRequest(owner=clf, method="fit_custom")
        save(clf, tmp_path / "model.skd")
        manifest, tensors = read_manifest(tmp_path / "model.skd")
        old = {**manifest, "estimator": _with_request_owners(manifest["estimator"])}
        assert json.dumps(old).count('"kind": "ref"') > json.dumps(manifest).count('"kind": "ref"')
        write_model_file(tmp_path / "old.skd", old, tensors)
        loaded = load(tmp_path / "old.skd")
        assert str(loaded.get_metadata_routing()) == str(clf.get_metadata_routing())
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    request = loaded._metadata_request
    assert request.owner is loaded and request.fit.owner is loaded
    assert request.fit_custom.owner is loaded


_SAVE_AND_LOAD_IN_A_FRESH_PROCESS = """
import sys, tempfile
from pathlib import Path
from sklearn.datasets import make_classification
from skdistill import DistilledClassifier, load, save
X, y = make_classification(100, random_state=0)
path = Path(tempfile.mkdtemp()) / "model.skd"
from sklearn.linear_model import LogisticRegression
for teacher in (None, LogisticRegression()):  # the latter saved as settings, if trusted
    save(DistilledClassifier(teacher, meta_epochs=1, random_state=0).fit(X, y), path)
    load(path)
print("imblearn" in sys.modules)
"""


def test_save_and_load_leave_imbalanced_learn_unimported_for_files_without_it():
    # importing it adds fit_resample to the methods scikit-learn routes, and every
    # metadata request already made then failed in get_metadata_routing
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _SAVE_AND_LOAD_IN_A_FRESH_PROCESS],
                            capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "False"


def test_metadata_requests_answer_for_methods_a_later_import_adds(imbalanced_arrays, tmp_path):
    # imbalanced-learn adds fit_resample to scikit-learn's routed methods when imported;
    # a request saved where it was not imported lacked it after load, and
    # get_metadata_routing raised AttributeError
    X, y = imbalanced_arrays
    with sklearn.config_context(enable_metadata_routing=True):
        clf = fast().set_fit_request(sample_weight=True).fit(X, y)
        del clf._metadata_request.fit_resample  # as saved without imbalanced-learn
        loaded = round_trip(clf, tmp_path)
        expected = fast().set_fit_request(sample_weight=True).get_metadata_routing()
        assert str(loaded.get_metadata_routing()) == str(expected)
        assert loaded._metadata_request.fit_resample.requests == {}


def test_imbalanced_pipeline_with_a_sampler_round_trips(tmp_path):
    """imbalanced-learn's samplers keep an OrderedDict, which comes back as one."""
    X, y = make_classification(n_samples=150, n_features=5, weights=[0.8], random_state=0)
    pipeline = make_imbalanced_pipeline(RandomUnderSampler(random_state=0), fast()).fit(X, y)
    loaded = round_trip(pipeline, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(X), pipeline.predict_proba(X))
    strategy = loaded[0].sampling_strategy_
    assert type(strategy) is OrderedDict and strategy == pipeline[0].sampling_strategy_


def test_smote_is_refused_by_save_naming_what_it_holds(tmp_path):
    X, y = make_classification(n_samples=150, n_features=5, weights=[0.8], random_state=0)
    pipeline = make_imbalanced_pipeline(SMOTE(random_state=0), fast()).fit(X, y)
    assert_save_refuses(pipeline, tmp_path, "SMOTE attribute 'nn_k_'.*KDTree")


def test_datetime_and_timedelta_values_round_trip(tmp_path):
    X, y = make_classification(n_samples=120, n_features=5, random_state=0)
    days = np.array(["2026-01-01", "2026-06-30"], dtype="datetime64[D]")[y]
    clf = fast().fit(X, days)
    loaded = round_trip(clf, tmp_path)
    assert loaded.classes_.dtype == np.dtype("datetime64[D]")
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    values = {
        "nanoseconds": np.array(["2026-11-29T03:00:00.000000001", "NaT"], dtype="M8[ns]"),
        "durations": np.array([[1, -2], [3, 4]], dtype="m8[s]"),
        "one day": np.datetime64("2026-11-29"),
    }
    loaded = round_trip(FunctionTransformer(kw_args=values), tmp_path).kw_args
    for name, value in values.items():
        assert loaded[name].dtype == value.dtype
        np.testing.assert_array_equal(loaded[name], value)


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


def test_load_of_module_instances_leaves_the_global_torch_random_state_alone(
    imbalanced_arrays, tmp_path
):
    # a module given as an instance was rebuilt outside fork_rng: its initial weights
    # were drawn from the caller's generator
    X, y = imbalanced_arrays
    clf = fast(student=MLP(X.shape[1], hidden_units=(4,))).fit(X, y)
    save(clf, tmp_path / "model.skd")
    before = torch.get_rng_state()
    loaded = load(tmp_path / "model.skd")
    assert torch.equal(torch.get_rng_state(), before)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


# --- devices ------------------------------------------------------------------------


def test_load_puts_the_nets_on_the_asked_device(saved_mlp):
    loaded = load(saved_mlp, device="cpu")
    assert loaded.device == "cpu"  # the parameter, for the next fit, is kept as saved
    assert loaded.device_ == torch.device("cpu")
    assert all(net.device == torch.device("cpu") for net in [loaded.student_, *loaded.teachers_])
    assert loaded.student_.module_.layers[0].weight.device.type == "cpu"


def test_a_model_fitted_on_another_device_predicts_on_the_one_load_was_given(saved_mlp,
                                                                           tmp_path):
    # device_ left as the file has it passed: __setstate__ maps "cuda" to the CPU where CUDA
    # is missing, so only another device ("mps", a Mac's GPU) shows load's reset
    manifest, tensors = read_manifest(saved_mlp)
    items = manifest["estimator"]["state"]["items"]
    [device] = [value for key, value in items if key == "device_"]
    device["value"] = "mps"
    write_model_file(tmp_path / "mps.skd", manifest, tensors)
    assert load(tmp_path / "mps.skd", device="cpu").device_ == torch.device("cpu")


def test_load_refuses_a_device_torch_cannot_use(saved_mlp):
    with pytest.raises(ValueError, match="not a torch device"):
        load(saved_mlp, device="gpu-please")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA GPU"):
            load(saved_mlp, device="cuda")
    # mps, xpu and hpu passed, then failed in torch: three error types, one of them
    # "damaged skdistill model file"
    if not torch.xpu.is_available():
        with pytest.raises(ValueError, match="device='xpu' cannot be used by this torch"):
            load(saved_mlp, device="xpu")


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
    with pytest.warns(UserWarning, match=r"\['FrozenEstimator'\] cannot be stored.*and so "
                                         r"does fitting again"):
        save(clf, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd")
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    # one placeholder in each place the fit held its one teacher
    assert clf.teacher_ is clf.teachers_[0] is clf._teacher_ensemble.teachers[0].estimator
    assert isinstance(loaded.teacher_, persistence.UnsavedTeacher)
    assert loaded.teacher_ is loaded.teachers_[0] is loaded._teacher_ensemble.teachers[0].estimator
    # its own message, without the preamble of a teacher failing on its input
    with pytest.raises(ValueError, match="^The teacher FrozenEstimator.*was not saved"):
        loaded.teacher_predict_proba(X)
    with pytest.raises(ValueError, match="was not saved"):
        clone(loaded).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the placeholder is saved as it is, silently
        assert_saves_as(loaded, tmp_path / "model.skd", tmp_path)


@pytest.mark.parametrize("teacher", [
    HistGradientBoostingClassifier(max_iter=5),
    [None, make_pipeline(StandardScaler(), LogisticRegression())],
], ids=["one", "list"])
def test_an_unfitted_teacher_parameter_of_trusted_classes_is_kept(imbalanced_arrays, tmp_path,
                                                                   teacher):
    # it became an UnsavedTeacher too: clone(loaded).fit raised although the parameter
    # was settings only
    X, y = imbalanced_arrays
    clf = fast(teacher=teacher).fit(X, y)
    with pytest.warns(UserWarning, match="fitting again with warm_start=False trains new "
                                         "ones from the teacher parameter, which is kept"):
        save(clf, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd")
    assert repr(loaded.teacher) == repr(teacher)
    with pytest.raises(ValueError, match="was not saved"):
        loaded.teacher_predict_proba(X)
    np.testing.assert_array_equal(clone(loaded).fit(X, y).predict_proba(X),
                                  clone(clf).fit(X, y).predict_proba(X))


class RegisteredLogisticRegression(LogisticRegression):
    """A teacher class trusted by register_trusted, in the saving session only."""


def test_a_teacher_parameter_trusted_by_registration_only_is_replaced(imbalanced_arrays,
                                                                      tmp_path, monkeypatch):
    # kept, it made the file need the same registration to load anywhere
    X, y = imbalanced_arrays
    clf = fast(teacher=RegisteredLogisticRegression()).fit(X, y)
    with monkeypatch.context() as patch:
        patch.setattr(persistence, "_TRUSTED", dict(persistence._TRUSTED))
        register_trusted(RegisteredLogisticRegression)
        with pytest.warns(UserWarning, match="and so does fitting again"):
            save(clf, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd")  # without the registration
    assert isinstance(loaded.teacher, persistence.UnsavedTeacher)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_save_warns_of_classes_trusted_by_registration_only(imbalanced_arrays, tmp_path,
                                                           monkeypatch):
    # a class registered in the saving session silenced the warning, and a load in any other
    # process (skdistill predict) then failed with UntrustedClassError
    X, y = imbalanced_arrays
    monkeypatch.setattr(persistence, "_TRUSTED", dict(persistence._TRUSTED))
    register_trusted(LinearLogits)
    clf = fast(student=LinearLogits).fit(X, y)
    with pytest.warns(UserWarning, match=r"names classes load does not trust by default: "
                                         r"\['tests\.conftest\.LinearLogits'\]\..* "
                                         r"\['tests\.conftest\.LinearLogits'\] are trusted by "
                                         r"this session's register_trusted only: the process "
                                         r"that loads the file must trust them too\.$"):
        save(clf, tmp_path / "model.skd")
    np.testing.assert_array_equal(load(tmp_path / "model.skd").predict_proba(X),
                                  clf.predict_proba(X))  # in this session: registered
    monkeypatch.setattr(persistence, "_TRUSTED", dict(persistence._BUILT_IN_TRUSTED))
    with pytest.raises(UntrustedClassError, match="LinearLogits"):
        load(tmp_path / "model.skd")  # in any other


class ScriptModule(TinyModule):
    """A module as a script defines it: named after ``__main__``."""


ScriptModule.__module__ = "__main__"


def test_a_class_of_the_script_is_named_at_save_and_load(imbalanced_arrays, tmp_path):
    # another script trusting its own class of that name was refused with the same advice;
    # save's warning said only how to trust it, the advice came after the fit, at load
    X, y = imbalanced_arrays
    clf = fast(student=ScriptModule).fit(X, y)
    with pytest.warns(UserWarning, match=r"register_trusted\(ScriptModule\)\. \['__main__.ScriptModule'\] "
                                         "were defined in the script or notebook.*in a module"):
        save(clf, tmp_path / "model.skd")
    with pytest.raises(UntrustedClassError, match=r"\['__main__.ScriptModule'\] were defined "
                                                  "in the script or notebook.*in a module"):
        load(tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd", trusted=[ScriptModule])
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_a_bytes_path_loads_as_it_saves(saved_mlp, fitted_mlp, imbalanced_arrays):
    # zipfile took bytes for the file's contents: AttributeError 'bytes' ... 'seek'
    X, _ = imbalanced_arrays
    loaded = load(os.fsencode(saved_mlp))
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted_mlp.predict_proba(X))


def test_positions_frame_is_trusted(sequence_sample, tmp_path):
    sequences, labels = sequence_sample
    pipeline = make_pipeline(
        FunctionTransformer(positions_frame), OneHotEncoder(handle_unknown="ignore"), fast()
    ).fit(sequences, labels)
    loaded = round_trip(pipeline, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(sequences),
                                  pipeline.predict_proba(sequences))


def test_module_instance_without_its_arguments_is_refused(imbalanced_arrays, tmp_path):
    X, y = imbalanced_arrays
    clf = fast(student=TinyModule(input_dim=X.shape[1])).fit(X, y)
    assert_save_refuses(clf, tmp_path, "Give the module as a class")


class ScaledByKeywords(torch.nn.Module):
    """A module that reads a setting from ``**kwargs``, keeping none by its name."""

    def __init__(self, input_dim, **kwargs):
        super().__init__()
        self.input_dim, self.factor = input_dim, kwargs.get("scale", 1.0)
        self.linear = torch.nn.Linear(input_dim, 1)

    def forward(self, X):
        return self.linear(X) * self.factor


def test_a_module_instance_of_keyword_arguments_is_refused(imbalanced_arrays, tmp_path):
    # what went through **kwargs was not saved: the loaded model predicted otherwise (scale 1)
    X, y = imbalanced_arrays
    clf = fast(student=ScaledByKeywords(X.shape[1], scale=5.0)).fit(X, y)
    assert_save_refuses(clf, tmp_path, r"Cannot save the ScaledByKeywords instance: its "
                                       r"constructor takes \*\*kwargs, whose values "
                                       r"\(if any\) no attribute")


class DropoutNamedAsItsRate(torch.nn.Module):
    """A module keeping, under its argument's name, the layer built from it."""

    def __init__(self, input_dim, dropout=0.2):
        super().__init__()
        self.input_dim = input_dim
        self.linear = torch.nn.Linear(input_dim, 1)
        self.dropout = torch.nn.Dropout(dropout)

    def forward(self, X):
        return self.linear(self.dropout(X))


def test_a_module_instance_its_attributes_do_not_rebuild_is_refused(imbalanced_arrays,
                                                                     tmp_path):
    # the nn.Dropout was saved as the rate: the file written failed every load as
    # "damaged" (TypeError: '<' not supported between instances of 'Dropout' and 'int')
    X, y = imbalanced_arrays
    clf = fast(student=DropoutNamedAsItsRate(X.shape[1], dropout=0.3)).fit(X, y)
    assert_save_refuses(clf, tmp_path, r"Cannot save the DropoutNamedAsItsRate instance: "
                                       r"built from the attributes named as its "
                                       r"constructor's arguments \(input_dim, dropout\), "
                                       r"it fails \(TypeError: .*Dropout")


class ScaleRooted(torch.nn.Module):
    """A module keeping its argument changed under the argument's name."""

    def __init__(self, input_dim, scale=4.0):
        super().__init__()
        self.input_dim, self.scale = input_dim, scale ** 0.5
        self.linear = torch.nn.Linear(input_dim, 1)

    def forward(self, X):
        return self.linear(X) * self.scale


class ScaleRootedByTorch(ScaleRooted):
    """The same, its constructor reading a tensor's value (which the meta device has not)."""

    def __init__(self, input_dim, scale=4.0):
        super().__init__(input_dim, scale)
        self.scale = torch.tensor(scale).sqrt().item()


@pytest.mark.parametrize("module", [ScaleRooted, ScaleRootedByTorch])
def test_a_module_instance_of_an_argument_kept_changed_is_refused(imbalanced_arrays,
                                                                  tmp_path, module):
    # the file loaded with scale 2 ** 0.5 where the fit had 2: probabilities moved by 0.12
    # (built on the meta device, one reading a tensor's value was left unchecked)
    X, y = imbalanced_arrays
    clf = fast(student=module(X.shape[1])).fit(X, y)
    assert_save_refuses(clf, tmp_path, r"its attribute 'scale' holds 2\.0, but built with "
                                       r"scale=2\.0 it holds 1\.414.*not the argument as "
                                       "given")


class DeviceRecording(torch.nn.Module):
    """A module recording the device its constructor's tensors are made on."""

    devices = []

    def __init__(self, input_dim):
        super().__init__()
        self.input_dim = input_dim
        self.linear = torch.nn.Linear(input_dim, 1)
        DeviceRecording.devices.append(self.linear.weight.device.type)

    def forward(self, X):
        return self.linear(X)


def test_saving_a_module_instance_draws_no_weights(imbalanced_arrays, tmp_path):
    # save's rebuild drew weights from torch's global generator, and put its state back
    # after: what other threads drew meanwhile was drawn again (a seeded fit beside
    # moved by 0.06)
    X, y = imbalanced_arrays
    clf = fast(student=DeviceRecording(X.shape[1])).fit(X, y)
    state = torch.get_rng_state()
    with pytest.warns(UserWarning, match="load does not trust by default"):
        save(clf, tmp_path / "model.skd")
    assert DeviceRecording.devices[-1] == "meta"
    assert torch.equal(torch.get_rng_state(), state)


def test_saving_a_module_instance_repeats_no_warning_of_its_constructor(imbalanced_arrays,
                                                                        tmp_path):
    # save rebuilt it and warned again that its dropout acts nowhere
    X, y = imbalanced_arrays
    with pytest.warns(UserWarning, match="acts nowhere"):
        clf = fast(student=MLP(X.shape[1], hidden_units=(), dropout=0.2)).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save(clf, tmp_path / "model.skd")


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


def test_files_before_masked_padding_warn_naming_the_modules_that_now_mask(
        sequence_sample, saved_mlp, tmp_path):
    # format 2 files predicted otherwise after the masking; readers of 2 must refuse 3
    sequences, labels = sequence_sample
    pipeline = make_pipeline(SequenceEncoder(), fast(
        teacher=GRU(sequence_length=29, alphabet_size=21, hidden_size=4),
        student=CNN(sequence_length=29, alphabet_size=21, channels=(4,), readout="max"),
    )).fit(sequences, labels)
    path = tmp_path / "masking.skd"
    save(pipeline, path)
    manifest, tensors = read_manifest(path)
    assert manifest["format_version"] == persistence.FORMAT_VERSION == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(path)
    # 0.2.0's development versions wrote format 2 with the mask: no warning
    write_model_file(path, {**manifest, "format_version": 2}, tensors)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(path)
    write_model_file(path, {**manifest, "format_version": 2,
                            "versions": {**manifest["versions"], "skdistill": "0.10.0"}}, tensors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # of the other version
        warnings.filterwarnings("error", message=".*padding")
        load(path)
    old = {**manifest, "format_version": 2,
           "versions": {**manifest["versions"], "skdistill": "0.1.0"}}
    write_model_file(path, old, tensors)
    with pytest.warns(UserWarning) as caught:
        loaded = load(path)
    messages = [str(warning.message) for warning in caught]
    assert len(messages) == 2 and "written with skdistill 0.1.0 (here" in messages[0]
    assert re.search(r"written by skdistill 0\.1, before .*: in its CNN, pooling and "
                     r"attention now leave", messages[1]) and "GRU" not in messages[1]
    np.testing.assert_array_equal(loaded.predict_proba(sequences),
                                  pipeline.predict_proba(sequences))
    mlp_manifest, mlp_tensors = read_manifest(saved_mlp)
    write_model_file(path, {**mlp_manifest, "format_version": 2,
                            "versions": {**mlp_manifest["versions"], "skdistill": "0.1.0"}},
                     mlp_tensors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # of the other version
        warnings.filterwarnings("error", message=".*padding")
        load(path)


@pytest.mark.parametrize("module, masks", [
    (CNN(sequence_length=5, alphabet_size=4), False),
    (CNN(sequence_length=5, alphabet_size=4, readout="mean"), True),
    (GRU(sequence_length=5, alphabet_size=4, readout="max"), True),
    (Transformer(sequence_length=5, alphabet_size=4, d_model=4, nhead=1), True),
])
def test_a_module_says_whether_it_leaves_padding_out(module, masks):
    assert module.masks_padding is masks


# --- trust --------------------------------------------------------------------------


def test_user_module_needs_trust(imbalanced_arrays, tmp_path, monkeypatch):
    X, y = imbalanced_arrays
    clf = fast(student=TinyModule).fit(X, y)
    path = tmp_path / "model.skd"
    # save said nothing of a file load would refuse
    with pytest.warns(UserWarning, match=r"names classes load does not trust by default: "
                                         r"\['tests.test_persistence.TinyModule'\].*"
                                         r"trusted=\[TinyModule\]"):
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


@pytest.mark.parametrize("node, message", [
    (5, "holds a int, not an estimator"),
    ({"kind": "name", "class": "numpy.log1p"}, "holds a ufunc, not an estimator"),
])
def test_a_file_that_holds_no_fitted_estimator_is_damaged(saved_mlp, tmp_path, node, message):
    # it loaded as 5 (or as np.log1p), and the caller failed far from the cause
    manifest, tensors = read_manifest(saved_mlp)
    path = tmp_path / "odd.skd"
    write_model_file(path, {**manifest, "estimator": node}, tensors)
    with pytest.raises(ValueError, match=f"damaged skdistill model file.*{message}"):
        load(path)


def test_print_is_no_trusted_name(saved_mlp, tmp_path):
    # trusted for PrintLog's default sink, print could stand for a net's module in a
    # crafted file and write its text to the terminal during load; a callback's
    # default arguments are now left out of the file instead
    manifest, tensors = read_manifest(saved_mlp)
    node = {"kind": "name", "class": "builtins.print"}
    write_model_file(tmp_path / "print.skd", {**manifest, "estimator": node}, tensors)
    with pytest.raises(UntrustedClassError, match="builtins.print"):
        load(tmp_path / "print.skd")


def test_an_unfitted_estimator_in_a_file_is_damaged(saved_mlp, tmp_path):
    manifest, tensors = read_manifest(saved_mlp)
    node = {"kind": "object", "class": "sklearn.preprocessing._data.StandardScaler",
            "state": {"kind": "dict", "items": [["with_mean", True], ["with_std", True],
                                                ["copy", True]]}}
    write_model_file(tmp_path / "unfitted.skd", {**manifest, "estimator": node}, tensors)
    with pytest.raises(ValueError, match="damaged .*its StandardScaler is not fitted"):
        load(tmp_path / "unfitted.skd")


def test_a_file_of_other_library_versions_loads_with_a_warning(saved_mlp, tmp_path, recwarn):
    manifest, tensors = read_manifest(saved_mlp)
    versions = {**manifest["versions"], "skdistill": "0.0.9", "torch": "1.13.1"}
    write_model_file(tmp_path / "old.skd", {**manifest, "versions": versions}, tensors)
    with pytest.warns(UserWarning, match=r"written with skdistill 0.0.9 \(here .*\), torch "
                                         r"1.13.1 \(here .*\)\. It loads"):
        loaded = load(tmp_path / "old.skd")
    assert loaded.n_iter_ == load(saved_mlp).n_iter_
    major, minor, patch_number, *_ = manifest["versions"]["skorch"].split(".") + ["0"]
    other = {**manifest["versions"], "skorch": f"{major}.{int(minor) + 1}.0"}
    write_model_file(tmp_path / "minor.skd", {**manifest, "versions": other}, tensors)
    with pytest.warns(UserWarning, match=rf"written with skorch {major}\.{int(minor) + 1}\.0 "
                                         r"\(here "):
        load(tmp_path / "minor.skd")
    # a patch release of torch or skorch alone is no reason to warn
    patch = {**manifest["versions"], "torch": manifest["versions"]["torch"] + ".1",
             "skorch": f"{major}.{minor}.{int(patch_number) + 1}"}
    write_model_file(tmp_path / "patch.skd", {**manifest, "versions": patch}, tensors)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(tmp_path / "patch.skd")


class Impostor(torch.nn.Module):
    """A module renamed after a class that skdistill trusts."""


Impostor.__module__, Impostor.__qualname__ = "skdistill._classifier", "DistilledClassifier"


def test_no_object_is_trusted_under_a_built_in_name(saved_mlp, fitted_mlp, imbalanced_arrays):
    # register_trusted(Impostor) replaced DistilledClassifier: every later load failed
    with pytest.raises(ValueError, match=r"\['skdistill._classifier.DistilledClassifier'\] "
                                         "are the names of classes skdistill trusts already"):
        register_trusted(Impostor)
    with pytest.raises(ValueError, match="trusts already"):
        load(saved_mlp, trusted=[Impostor])
    X, _ = imbalanced_arrays
    np.testing.assert_array_equal(load(saved_mlp).predict_proba(X),
                                  fitted_mlp.predict_proba(X))
    register_trusted(DistilledClassifier)  # the class itself, as before


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
                      "state": {"kind": "dict", "items": [["with_mean", True], ["with_std", True],
                                                ["copy", True]]}}]
    ))
    with pytest.raises(ValueError, match="cannot be rebuilt from a state"):
        load(path)


# --- bad input ----------------------------------------------------------------------


class SeekReturnsNone(io.BytesIO):
    """A file object whose seek returns None, as paramiko's SFTPFile's does."""

    def seek(self, *args):
        super().seek(*args)


def test_a_file_object_whose_seek_returns_nothing_loads(saved_mlp, fitted_mlp,
                                                        imbalanced_arrays):
    # TypeError: unsupported operand type(s) for -: 'NoneType' and 'int'
    X, _ = imbalanced_arrays
    with open(saved_mlp, "rb") as handle:
        loaded = load(SeekReturnsNone(handle.read()))
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted_mlp.predict_proba(X))


def test_a_model_files_contents_as_a_path_say_to_wrap_them(fitted_mlp, saved_mlp,
                                                           imbalanced_arrays):
    # ValueError: embedded null byte
    contents = Path(saved_mlp).read_bytes()
    with pytest.raises(TypeError, match=r"path is bytes holding a null byte.*"
                                        r"io\.BytesIO\(contents\)"):
        load(contents)
    X, _ = imbalanced_arrays
    np.testing.assert_array_equal(load(io.BytesIO(contents)).predict_proba(X),
                                  fitted_mlp.predict_proba(X))


def test_a_file_object_is_named_by_its_name_or_its_type(tmp_path):
    # the messages began with its repr, <_io.BytesIO object at 0x7f...>
    with pytest.raises(ValueError, match=r"^The BytesIO given is not a skdistill model file"):
        load(io.BytesIO(b"not a zip file"))
    (tmp_path / "notes.skd").write_bytes(b"not a zip file")
    with open(tmp_path / "notes.skd", "rb") as handle, pytest.raises(
            ValueError, match=rf"^{re.escape(str(tmp_path / 'notes.skd'))} is not a skdistill"):
        load(handle)


def test_a_tampered_negative_array_size_is_refused(saved_mlp, tmp_path):
    # numpy filled in the -1: classes_ loaded with shape (2, 1)
    def edit(items):
        classes = next(value for key, value in items if key == "classes_")
        classes["shape"] = [-1, 1]

    with pytest.raises(ValueError, match=r"damaged.*shape \[-1, 1\] is not a list of "
                                         "non-negative integers"):
        load(tampered_copy(saved_mlp, tmp_path, edit))


def test_arrays_of_no_rows_round_trip(tmp_path):
    # a bound on array sizes made exclusive (size > 0) passed: no test saved an empty array,
    # a shape a fitted model holds (no columns dropped, no categories)
    values = {"no rows": np.zeros((0, 3)), "nothing": np.array([], dtype="<U1")}
    loaded = round_trip(FunctionTransformer(kw_args=values), tmp_path).kw_args
    for name, value in values.items():
        assert loaded[name].shape == value.shape and loaded[name].dtype == value.dtype


def test_a_path_that_is_no_file_is_named(fitted_mlp, saved_mlp, tmp_path):
    # AttributeErrors deep in zipfile, and "write() argument must be str, not bytes"
    for path in (None, 5):
        with pytest.raises(TypeError, match=r"path must be a str, a path-like object or a "
                                            rf"binary file object \(with write and flush\); got "
                                            rf"{type(path).__name__}"):
            save(fitted_mlp, path)
        with pytest.raises(TypeError, match=r"binary file object \(with read and seek\); "
                                            rf"got {type(path).__name__}"):
            load(path)
    with open(tmp_path / "model.txt", "w") as text, pytest.raises(
            TypeError, match="path is a file opened in text mode; open it with mode 'wb'"):
        save(fitted_mlp, text)
    assert (tmp_path / "model.txt").read_text() == ""
    with open(saved_mlp, encoding="latin-1") as text, pytest.raises(
            TypeError, match="path is a file opened in text mode; open it with mode 'rb'"):
        load(text)
    # tempfile's wrappers of text files are no TextIOBase
    for text in (tempfile.NamedTemporaryFile("w+"), tempfile.SpooledTemporaryFile(mode="w+")):
        with text, pytest.raises(TypeError, match="path is a file opened in text mode"):
            save(fitted_mlp, text)
    with tempfile.SpooledTemporaryFile() as binary:  # and binary ones are files as any
        save(fitted_mlp, binary)
        binary.seek(0)
        assert type(load(binary)).__name__ == "DistilledClassifier"
    # a member of a zip file is a binary stream whose mode says "r"
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as bundle:
        bundle.write(saved_mlp, "model.skd")
    with zipfile.ZipFile(tmp_path / "bundle.zip") as bundle, bundle.open("model.skd") as member:
        assert member.mode == "r" and type(load(member)).__name__ == "DistilledClassifier"


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


def test_written_format_version_reads_the_manifest_as_load_checks_it(saved_mlp, tmp_path):
    # skdistill predict reads it to tell how an older fit typed its categories
    assert persistence.written_format_version(saved_mlp) == persistence.FORMAT_VERSION
    manifest, tensors = read_manifest(saved_mlp)
    path = tmp_path / "old.skd"
    write_model_file(path, {**manifest, "format_version": 2}, tensors)
    with open(path, "rb") as handle:
        assert persistence.written_format_version(handle) == 2
    path.write_bytes(saved_mlp.read_bytes()[:100])
    with pytest.raises(ValueError, match="damaged zip archive"):
        persistence.written_format_version(path)


@pytest.mark.parametrize("version", [None, 0, -1, True, "2", 1.5])
def test_a_format_version_that_is_no_version_is_a_damaged_file(saved_mlp, tmp_path, version):
    # a missing version was "written by a newer skdistill"; 0, -1 and true were read as 1
    manifest, tensors = read_manifest(saved_mlp)
    path = tmp_path / "odd.skd"
    write_model_file(path, {**manifest, "format_version": version}, tensors)
    with pytest.raises(ValueError, match="damaged.*not a positive integer"):
        load(path)


def test_files_of_the_first_format_version_load(saved_mlp, imbalanced_arrays, tmp_path):
    # version 1 stored the PU risk without positive_share; it loads as None
    X, _ = imbalanced_arrays
    manifest, tensors = read_manifest(saved_mlp)
    text = json.dumps(manifest)
    assert text.count('["positive_share",') == 1
    text = text.replace('["positive_share", 0.', '["unused", 0.')
    old = json.loads(text)
    for node in _nodes(old):
        if node.get("class") == "skdistill.losses.ImbalancedNNPULoss":
            node["arguments"]["items"] = [
                item for item in node["arguments"]["items"] if item[0] != "unused"]
    path = tmp_path / "v1.skd"
    write_model_file(path, {**old, "format_version": 1}, tensors)
    loaded = load(path)
    assert loaded.student_.criterion.distillation_loss.true_label_loss.positive_share is None
    np.testing.assert_array_equal(loaded.predict_proba(X), load(saved_mlp).predict_proba(X))


def _nodes(tree):
    """Every dict node of a manifest's tree."""
    if isinstance(tree, list):
        for item in tree:
            yield from _nodes(item)
    elif isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from _nodes(value)


@pytest.mark.parametrize("edit, error", [
    (lambda m: {**m, "estimator": {**m["estimator"], "class": 5}}, "AttributeError|not a string"),
    (lambda m: {**m, "estimator": {**m["estimator"], "class": ["a"]}}, "not a string"),
    (lambda m: {**m, "estimator": {"kind": "bogus"}}, "Unknown node kind"),
    (lambda m: {**m, "estimator": {"kind": "array", "dtype": "<f8", "shape": [3, 3],
                                   "data": [1.0, 2.0]}}, "reshape"),
])
def test_damaged_content_is_a_value_error_naming_the_file(saved_mlp, tmp_path, edit, error):
    # a non-string class was an AttributeError or TypeError, other damage a bare
    # ValueError that did not name the file
    manifest, tensors = read_manifest(saved_mlp)
    path = tmp_path / "damaged.skd"
    write_model_file(path, edit(manifest), tensors)
    with pytest.raises(ValueError, match=f"damaged.skd is a damaged skdistill model file.*({error})"):
        load(path)


def test_a_saved_value_the_modules_now_refuse_is_named_as_such(saved_mlp, tmp_path):
    # a dropout of -0.5 trained without dropout before the modules checked it: a file
    # holding one is not damaged, and the message must not say only that
    manifest = json.loads(json.dumps(read_manifest(saved_mlp)[0]).replace(
        '["module__dropout", 0.1]', '["module__dropout", -0.5]'))
    path = tmp_path / "refused.skd"
    write_model_file(path, manifest, read_manifest(saved_mlp)[1])
    with pytest.raises(ValueError, match=r"refused.skd is a damaged skdistill model file, or "
                                         r"holds a value this skdistill refuses \(ValueError: "
                                         r".*MLP: dropout must be a number in \[0, 1\); "
                                         r"got -0.5"):
        load(path)


def test_deeply_nested_manifest_is_a_value_error(tmp_path):
    # json.loads raised RecursionError, and `skdistill predict` printed a traceback
    path = tmp_path / "deep.skd"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("skdistill.json", "[" * 100_000)
        archive.writestr("tensors.safetensors", b"")
    with pytest.raises(ValueError, match="damaged skdistill model file"):
        load(path)


def test_a_manifest_that_deflates_beyond_the_limit_is_stored(imbalanced_arrays, tmp_path,
                                                               monkeypatch):
    # a MaxAbsScaler on a million binary columns deflated 600-fold: save wrote it, and
    # load refused it as a zip bomb (here with the limits cut to 1,000 bytes and 5-fold)
    monkeypatch.setattr(persistence, "_INFLATE_FREE_BYTES", 1000)
    monkeypatch.setattr(persistence, "_MAX_INFLATION", 5)
    X, y = imbalanced_arrays
    wide = np.hstack([X, np.ones((len(X), 3000))])
    pipeline = make_pipeline(MaxAbsScaler(), fast(alpha=0.0)).fit(wide, y)
    save(pipeline, tmp_path / "wide.skd")
    with zipfile.ZipFile(tmp_path / "wide.skd") as archive:
        assert archive.getinfo("skdistill.json").compress_type == zipfile.ZIP_STORED
    np.testing.assert_array_equal(load(tmp_path / "wide.skd").predict_proba(wide),
                                  pipeline.predict_proba(wide))
    # one that deflates less is deflated as before
    monkeypatch.setattr(persistence, "_MAX_INFLATION", 100)
    save(pipeline, tmp_path / "small.skd")
    with zipfile.ZipFile(tmp_path / "small.skd") as archive:
        assert archive.getinfo("skdistill.json").compress_type == zipfile.ZIP_DEFLATED


def test_a_small_manifest_that_deflates_far_loads(tmp_path):
    # the 8 MiB allowance dropped from load's limit passed: 1 MB of zeros deflates about
    # 500-fold, and save deflates what is under 8 MiB
    model = FunctionTransformer(kw_args={"zeros": np.zeros(100_000)})
    save(model, tmp_path / "zeros.skd")
    with zipfile.ZipFile(tmp_path / "zeros.skd") as archive:
        info = archive.getinfo("skdistill.json")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert info.file_size > persistence._MAX_INFLATION * info.compress_size
    np.testing.assert_array_equal(load(tmp_path / "zeros.skd").kw_args["zeros"], np.zeros(100_000))


def test_a_member_held_twice_is_refused(saved_mlp, tmp_path):
    manifest, tensors = read_manifest(saved_mlp)
    path = tmp_path / "twice.skd"
    write_model_file(path, manifest, tensors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name"
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("skdistill.json", json.dumps({**manifest, "format": "other"}))
    with pytest.raises(ValueError, match="holds a member twice"):
        load(path)


def assert_refused_within(path, message, most_bytes):
    """load refuses the file at ``path`` with ``message``, allocating less than
    ``most_bytes`` at its peak."""
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=message):
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < most_bytes


@pytest.mark.parametrize("lying", [None, "inflated size", "compressed size"])
def test_a_zip_bomb_is_refused_before_it_inflates(tmp_path, lying):
    # 1.5 MB inflating to 1.5 GB reached 3.4 GB of memory before being refused; a
    # header declaring 1,000 bytes for the same member took 600 MB; one declaring
    # 2 GB compressed lifted the limit and was read whole
    path = tmp_path / "bomb.skd"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("skdistill.json", "w") as member:
            block = b" " * 2**20
            for _ in range(200):
                member.write(block)
        # what a lie about the compressed size would read as the member's own bytes
        archive.writestr("tensors.safetensors", bytes(2 * 2**20), zipfile.ZIP_STORED)
    assert path.stat().st_size < 3 * 2**20
    if lying:  # a size the central directory declares for the first member
        data = bytearray(path.read_bytes())
        entry = data.find(b"PK\x01\x02")
        offset, size = (24, 1000) if lying == "inflated size" else (20, 2**31 - 1)
        data[entry + offset:entry + offset + 4] = struct.pack("<I", size)
        path.write_bytes(bytes(data))
    # a lying header stops the read at its size, and the data then fail their CRC
    assert_refused_within(path, "damaged skdistill model file .*(skdistill.json inflates from "
                                ".* to more than|Bad CRC)", 150 * 2**20)


def test_a_pipelines_cache_folder_is_not_saved_and_refused_at_load(
        fitted_mlp, imbalanced_arrays, tmp_path):
    # a file could set memory to any folder: a later fit wrote joblib's cache there and
    # would read it back with pickle
    X, y = imbalanced_arrays
    pipeline = make_pipeline(StandardScaler(), clone(fitted_mlp), memory=str(tmp_path / "cache"))
    pipeline.fit(X, y)
    path = tmp_path / "cached.skd"
    with pytest.warns(UserWarning, match=r"cache folder \(memory\) of Pipeline is not saved"):
        save(pipeline, path)
    loaded = load(path)
    assert loaded.memory is None and pipeline.memory == str(tmp_path / "cache")
    np.testing.assert_array_equal(loaded.predict_proba(X), pipeline.predict_proba(X))
    manifest, tensors = read_manifest(path)
    assert "cache" not in json.dumps(manifest)  # load dropped it too: the file must not hold it
    items = manifest["estimator"]["state"]["items"]
    [memory] = [item for item in items if item[0] == "memory"]
    memory[1] = str(tmp_path / "elsewhere")
    write_model_file(path, manifest, tensors)
    with pytest.warns(UserWarning, match=r"sets a Pipeline's cache folder, memory='.*elsewhere'"
                                         r", which load does not take"):
        loaded = load(path)
    assert loaded.memory is None
    np.testing.assert_array_equal(loaded.predict_proba(X), pipeline.predict_proba(X))
    # a parameter of that name in another class is no cache folder, and is kept
    with pytest.warns(UserWarning, match="names classes load does not trust by default"):
        loaded = round_trip(Remembers(memory=4).fit(X), tmp_path, trusted=[Remembers])
    assert loaded.memory == 4
    # a user's subclass of Pipeline keeps its parent's cache (its memory was saved)
    cached = CachedPipeline([("scale", StandardScaler())], memory=str(tmp_path / "cache"))
    with pytest.warns(UserWarning, match=r"\(memory\) of CachedPipeline is not saved"):
        assert round_trip(cached.fit(X), tmp_path, trusted=[CachedPipeline]).memory is None
    # scikit-learn's other caches are caches
    agglomerated = FeatureAgglomeration(2, memory=str(tmp_path / "cache")).fit(X)
    with pytest.warns(UserWarning, match=r"\(memory\) of FeatureAgglomeration is not saved"):
        loaded = round_trip(agglomerated, tmp_path, trusted=[FeatureAgglomeration, np.mean])
    assert loaded.memory is None


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_member_compressed_otherwise_than_save_writes_is_refused_unread(tmp_path, method):
    # zipfile bounds a read's output for deflate alone: 785 bytes of bzip2 inflated to
    # 1 GiB in memory before the hundredfold limit could refuse them
    path = tmp_path / "bomb.skd"
    with zipfile.ZipFile(path, "w", method) as archive:
        archive.writestr("skdistill.json", b" " * 64 * 2**20)
    assert path.stat().st_size < 2**20
    assert_refused_within(path, f"damaged skdistill model file .*skdistill.json is compressed "
                                f"with method {method}, which save never writes", 8 * 2**20)


@pytest.mark.parametrize("kind", ["array", "scalar"])
def test_a_string_dtype_wider_than_its_values_is_refused(saved_mlp, tmp_path, kind):
    # a 17 KB file declaring '<U100000000' for 8 letters took 3.5 GB of memory
    manifest, tensors = read_manifest(saved_mlp)
    node = {"kind": "array", "dtype": "<U100000000", "shape": [8], "data": ["a"] * 8} \
        if kind == "array" else {"kind": "scalar", "dtype": "<U100000000", "value": "a"}
    manifest["estimator"]["state"]["items"].append(["padded", node])
    path = tmp_path / "padded.skd"
    write_model_file(path, manifest, tensors)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="damaged.*dtype <U100000000 would take"):
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 150 * 2**20
    # a string array saved wider than its values, as NumPy keeps it, loads
    clf = load(saved_mlp)
    clf.padded_ = np.array(["a", "b"], dtype="<U50")
    loaded = round_trip(clf, tmp_path)
    assert loaded.padded_.dtype == np.dtype("<U50")


def test_the_string_bound_counts_padding_only(monkeypatch):
    # a legitimate array over the bound with little padding was refused as a whole
    monkeypatch.setattr(plain_data, "_MAX_PADDED_BYTES", 1000)
    reader = plain_data.TreeReader({}, {}, "cpu")
    full = {"kind": "array", "dtype": "<U2", "shape": [500], "data": ["ab"] * 500}
    assert reader.build(full).nbytes == 4000
    padded = {"kind": "array", "dtype": "<U4", "shape": [500], "data": ["ab"] * 500}
    with pytest.raises(ValueError, match="would take 4,000 bytes more"):
        reader.build(padded)
    # one long value pads all the others to its length
    long_one = {"kind": "array", "dtype": "<U2", "shape": [500],
                "data": ["a" * 300] + ["ab"] * 499}
    with pytest.raises(ValueError, match="would take 594,808 bytes more"):
        reader.build(long_one)


def test_fortran_order_is_a_hint_the_data_stay_in_c_order():
    # written in Fortran order, a file read by an older skdistill (which reshapes in C
    # order) scrambled PCA's components_
    array = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    node = plain_data.TreeWriter().node(array)
    assert node["data"] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0] and node["layout"] == "F"
    built = plain_data.TreeReader({}, {}, "cpu").build(node)
    assert built.flags.f_contiguous and np.array_equal(built, array)


@pytest.mark.parametrize("compress_type", [zipfile.ZIP_BZIP2, 99])
def test_an_archive_that_cannot_be_read_is_a_value_error(saved_mlp, tmp_path, compress_type):
    # an unknown compression method was NotImplementedError, broken bzip2 data OSError
    manifest, tensors = read_manifest(saved_mlp)
    path = tmp_path / "odd.skd"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("skdistill.json", json.dumps(manifest))
        archive.writestr("tensors.safetensors", tensors)
    data = bytearray(path.read_bytes())
    if compress_type == 99:
        for header in (b"PK\x03\x04", b"PK\x01\x02"):
            at = data.find(header)
            offset = 8 if header == b"PK\x03\x04" else 10
            data[at + offset:at + offset + 2] = struct.pack("<H", 99)
    else:
        at = data.find(b"BZh")
        data[at + 10:at + 20] = b"\x00" * 10
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="damaged skdistill model file"):
        load(path)


@pytest.mark.parametrize("kept", [4, 100, 0.5, -22, -1])
def test_a_model_file_cut_short_is_named_damaged(saved_mlp, tmp_path, kept):
    # it was "not a skdistill model file (File is not a zip file)", as for any other file
    data = saved_mlp.read_bytes()
    cut = data[:kept if isinstance(kept, int) else int(len(data) * kept)]
    path = tmp_path / "cut.skd"
    path.write_bytes(cut)
    with pytest.raises(ValueError, match=r"cut\.skd is a damaged zip archive, such as a "
                                         r"model file cut short \("):
        load(path)
    with pytest.raises(ValueError, match="damaged zip archive"):
        load(io.BytesIO(cut))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_told_a_model_file_is_read_by_seeking(saved_mlp, tmp_path):
    # it was "a damaged zip archive, such as a model file cut short", and peeking at
    # the pipe could block
    pipe = tmp_path / "model.pipe"
    os.mkfifo(pipe)
    def write():
        with contextlib.suppress(BrokenPipeError):  # the reader stops early
            pipe.write_bytes(saved_mlp.read_bytes())

    writer = threading.Thread(target=write)
    writer.start()
    try:
        with pytest.raises(ValueError, match="a pipe or a device cannot seek"):
            load(pipe)
    finally:
        with contextlib.suppress(OSError):  # let a writer still waiting go
            os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(timeout=10)


def test_an_empty_file_is_named_empty(tmp_path):
    path = tmp_path / "empty.skd"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.skd is empty, not a skdistill model file"):
        load(path)


HUGE = [["input_dim", 10], ["output_dim", 1],
        ["hidden_units", {"kind": "tuple", "items": [20000, 20000]}]]


@pytest.fixture
def mlp_builds(monkeypatch):
    """The devices every MLP of the test was built on, with its hidden units."""
    builds = []
    init = MLP.__init__

    @functools.wraps(init)
    def recording_init(self, *args, **kwargs):
        builds.append((torch.empty(0).device.type, tuple(kwargs.get("hidden_units", ()))))
        init(self, *args, **kwargs)

    monkeypatch.setattr(MLP, "__init__", recording_init)
    return builds


def student_params(manifest):
    """The parameter items of the saved student net."""
    items = dict((key, value) for key, value in manifest["estimator"]["state"]["items"])
    return items["student_"]["params"]["items"]


@pytest.mark.parametrize("edit", ["module arguments", "module instance", "criterion"])
def test_module_sizes_in_the_file_are_checked_before_allocating(
    saved_mlp, tmp_path, mlp_builds, edit
):
    # hidden units edited from 64 to 20,000 x 20,000 built a 1.6 GB MLP before its
    # weights were found not to fit; so did a module instance given module__
    # arguments, and a criterion class with criterion__ arguments
    manifest, tensors = read_manifest(saved_mlp)
    params = student_params(manifest)
    if edit == "criterion":
        params += [["criterion", {"kind": "name", "class": "skdistill.modules.MLP"}]]
        params += [[f"criterion__{name}", value] for name, value in HUGE]
    else:
        params += [[f"module__{name}", value] for name, value in HUGE]
    if edit == "module instance":  # of the saved weights' size, then rebuilt by skorch
        student = dict(manifest["estimator"]["state"]["items"])["student_"]
        position = [key for key, _ in params].index("module")
        # a copy of the student's weights under keys of their own, as save stores them
        stored = safetensors.torch.load(tensors)
        state = copy.deepcopy(student["module_state"])
        for _, tensor in state["items"]:
            stored[f"copy{tensor['key']}"] = stored[tensor["key"]].clone()
            tensor["key"] = f"copy{tensor['key']}"
        tensors = safetensors.torch.save(stored)
        params[position][1] = {"kind": "module", "class": "skdistill.modules.MLP",
                               "arguments": {"kind": "dict", "items": HUGE[:2]},
                               "state": state}
    path = tmp_path / "huge.skd"
    write_model_file(path, manifest, tensors)
    with pytest.raises(ValueError, match="damaged.*would hold 400,260,001 numbers, more than"):
        load(path)
    assert ("cpu", (20000, 20000)) not in mlp_builds
    assert ("meta", (20000, 20000)) in mlp_builds


def test_lazy_modules_load(imbalanced_arrays, tmp_path):
    # a lazy module has no shapes to check before its first batch; it loaded before
    X, y = imbalanced_arrays
    clf = fast(student=NeuralNet(LazyModule, criterion=nn.BCEWithLogitsLoss)).fit(X, y)
    loaded = round_trip(clf, tmp_path, trusted=[LazyModule])
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


@needs_file_size_limit
def test_a_failed_save_leaves_the_previous_file(saved_mlp, tmp_path):
    # save wrote into the file itself: a full disk (or Ctrl-C) left it truncated
    path = tmp_path / "model.skd"
    path.write_bytes(b"the earlier model")
    result = run_on_a_full_disk(1000, "import sys\nfrom skdistill import load, save\n"
                                "save(load(sys.argv[1]), sys.argv[2])", saved_mlp, path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"OSError: [Errno 27] File too large: '{path}'")
    assert path.read_bytes() == b"the earlier model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.skd"]


def test_save_writes_into_standard_output_through_a_link(saved_mlp, tmp_path):
    # a link to /dev/stdout, with standard output a file (>>): the file was replaced,
    # and what the process printed after the save went to the file replaced
    link = tmp_path / "stdout.skd"
    link.symlink_to("/dev/stdout")
    with open(tmp_path / "out", "ab") as out:
        subprocess.run([sys.executable, "-c", "import sys\nfrom skdistill import load, save\n"
                        "save(load(sys.argv[1]), sys.argv[2])\nprint('after')",
                        saved_mlp, link], stdout=out, check=True, timeout=300)
    written = (tmp_path / "out").read_bytes()
    assert written.startswith(b"PK") and written.endswith(b"after\n")


def test_save_writes_into_a_device(imbalanced_arrays):
    # a zip archive seeks back in what it writes: struct.error on /dev/null for a
    # small model (and, as root, /dev/null replaced by a file before files were
    # written whole)
    if not os.path.exists(os.devnull) or os.path.isfile(os.devnull):
        pytest.skip("needs a null device")
    X, y = imbalanced_arrays
    tiny = MLP(input_dim=X.shape[1], hidden_units=(2,))
    save(fast(student=tiny, teacher=copy.deepcopy(tiny)).fit(X, y), os.devnull)
    assert not os.path.isfile(os.devnull)


def test_numpy_ufuncs_round_trip(imbalanced_arrays, tmp_path):
    # FunctionTransformer(np.abs) saved, then could never be loaded ("numpy.ufunc"
    # untrusted, and trusting it made the file "damaged")
    X, y = imbalanced_arrays
    pipe = make_pipeline(FunctionTransformer(np.abs), fast()).fit(X, y)
    loaded = round_trip(pipe, tmp_path)
    assert loaded[0].func is np.abs
    np.testing.assert_array_equal(loaded.predict_proba(X), pipe.predict_proba(X))
    pipe[0].set_params(func=scipy.special.expit)  # a ufunc, but not NumPy's own
    with pytest.raises(TypeError, match="not one of NumPy's own ufuncs"):
        save(pipe, tmp_path / "expit.skd")


def test_save_keeps_permissions_and_symbolic_links(fitted_mlp, tmp_path):
    # replacing the file made a 0600 model 0644, and a symbolic link a regular file
    target = tmp_path / "models" / "model.skd"
    target.parent.mkdir()
    save(fitted_mlp, target)
    target.chmod(0o600)
    link = tmp_path / "latest.skd"
    link.symlink_to(target)
    save(fitted_mlp, link)
    save(fitted_mlp, os.fsencode(link))  # bytes paths, as open() takes them
    assert link.is_symlink() and oct(target.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.skd"]
    assert type(load(link)).__name__ == "DistilledClassifier"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes into any folder")
def test_save_writes_a_file_in_place_where_its_folder_takes_no_new_file(fitted_mlp, tmp_path):
    # written beside the file first: "Permission denied" for a file that was writable
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "model.skd").write_bytes(b"")
    folder.chmod(0o555)
    try:
        save(fitted_mlp, folder / "model.skd")
        assert load(folder / "model.skd").classes_.tolist() == fitted_mlp.classes_.tolist()
    finally:
        folder.chmod(0o755)


def test_weights_of_mixed_float_dtypes_load_as_the_module_has_them(
    saved_mlp, fitted_mlp, imbalanced_arrays, tmp_path
):
    # one float64 weight among float32 ones: cast to the module's dtype, as before
    X, _ = imbalanced_arrays
    manifest, tensors = read_manifest(saved_mlp)
    state = safetensors.torch.load(tensors)
    first = sorted(state)[0]
    state[first] = state[first].double()
    write_model_file(tmp_path / "mixed.skd", manifest, safetensors.torch.save(state))
    np.testing.assert_allclose(load(tmp_path / "mixed.skd").predict_proba(X),
                               fitted_mlp.predict_proba(X), rtol=1e-6)


def test_weights_keep_their_dtype_whatever_the_default(saved_mlp, fitted_mlp, imbalanced_arrays):
    # under a float64 default the module was built in float64 and predict failed
    # with torch's "mat1 and mat2 must have the same dtype"
    X, _ = imbalanced_arrays
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        loaded = load(saved_mlp)
        proba = loaded.predict_proba(X)
    finally:
        torch.set_default_dtype(default)
    assert next(loaded.student_.module_.parameters()).dtype == torch.float32
    np.testing.assert_array_equal(proba, fitted_mlp.predict_proba(X))


def test_the_meta_device_is_refused(saved_mlp):
    with pytest.raises(ValueError, match="device='meta' holds no data"):
        load(saved_mlp, device="meta")


def test_save_refuses_unfitted_and_foreign_objects(tmp_path):
    with pytest.raises(NotFittedError):
        save(DistilledClassifier(), tmp_path / "model.skd")
    with pytest.raises(NotFittedError):
        save(make_pipeline(SequenceEncoder(), DistilledClassifier()), tmp_path / "model.skd")
    with pytest.raises(TypeError, match="scikit-learn estimator"):
        save({"student": None}, tmp_path / "model.skd")
    assert not (tmp_path / "model.skd").exists()


def test_save_refuses_a_search_naming_its_best_estimator(imbalanced_arrays, tmp_path):
    # a fitted GridSearchCV failed in "Cannot save an array of type MaskedArray"
    X, y = imbalanced_arrays
    search = GridSearchCV(fast(meta_epochs=1), {"alpha": [0.5]}, cv=2).fit(X, y)
    unrefitted = clone(search).set_params(refit=False).fit(X, y)
    in_pipeline = Pipeline([("scale", StandardScaler().fit(X)), ("search", search)])
    for model, advice in [(search, "; a search given as a setting"),
                          (unrefitted, ", which a search fitted with refit"),
                          (in_pipeline, "; a search given as a setting .*clone")]:
        with pytest.raises(TypeError, match="save saves models, not the fitted search "
                                            f"GridSearchCV: save its best_estimator_{advice}"):
            save(model, tmp_path / "model.skd")
    assert not (tmp_path / "model.skd").exists()
    save(search.best_estimator_, tmp_path / "model.skd")
    assert (load(tmp_path / "model.skd").predict_proba(X) == search.predict_proba(X)).all()


def test_an_unfitted_search_given_as_a_setting_saves(imbalanced_arrays, tmp_path):
    # 9b478a6 refused every search, a prior estimator's classifier (a setting) too
    from skdistill.pu import BestBinPriorEstimator, make_pu_labels

    X, y = imbalanced_arrays
    search = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2)
    clf = fast(prior=BestBinPriorEstimator(search, random_state=0))
    clf.fit(X, make_pu_labels(y, 0.5, random_state=0))
    save(clf, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd", trusted=[GridSearchCV])
    assert loaded.prior_ == clf.prior_
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_a_loaded_model_repeats_no_warning_of_its_modules(imbalanced_arrays, tmp_path):
    # the dropout that acts nowhere was warned of twice at load, pointing into skorch
    X, y = imbalanced_arrays
    with pytest.warns(UserWarning, match="acts nowhere") as record:
        clf = fast(student=NeuralNet(MLP, criterion=nn.BCEWithLogitsLoss, module__hidden_units=(),
                                     module__dropout=0.3)).fit(X, y)
    assert {warning.filename for warning in record if "acts nowhere" in str(warning.message)} \
        == {__file__}
    save(clf, tmp_path / "model.skd")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(tmp_path / "model.skd")


def test_a_model_holding_cross_validation_results_saves(imbalanced_arrays, tmp_path):
    # the search check took any cv_results_ for a search's: TunedThresholdClassifierCV, which
    # the user guide suggests for a PU threshold, was refused
    X, y = imbalanced_arrays
    tuned = TunedThresholdClassifierCV(fast(meta_epochs=1), cv=2, store_cv_results=True)
    tuned.fit(X, y)
    save(tuned, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd", trusted=[
        TunedThresholdClassifierCV, balanced_accuracy_score, sklearn.metrics._scorer._CurveScorer])
    assert loaded.best_threshold_ == tuned.best_threshold_
    np.testing.assert_array_equal(loaded.predict_proba(X), tuned.predict_proba(X))


@pytest.mark.parametrize("callback", [
    callbacks.PrintLog(), callbacks.ProgressBar(), callbacks.EpochTimer(),
    # initialising the net rewrote their at and schedule: save refused at=1 as a partial
    callbacks.Freezer("*bias"), callbacks.Unfreezer("*bias", at=2),
], ids=lambda callback: type(callback).__name__)
def test_trusted_callbacks_load_with_their_default_arguments(imbalanced_arrays, tmp_path,
                                                             callback):
    # save wrote them, and load refused builtins.print and skorch.utils.to_numpy
    X, y = imbalanced_arrays
    student = NeuralNetBinaryClassifier(MLP, callbacks=[callback])
    clf = DistilledClassifier(**FAST, student=student, random_state=0).fit(X, y)
    save(clf, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd")
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    # and trains on: a loaded Freezer's schedule was an unbound function
    loaded.set_params(warm_start=True).fit(X, y)
    assert loaded.n_iter_ == 2 * FAST["meta_epochs"]


def test_frozen_parameters_stay_frozen_after_load(imbalanced_arrays, tmp_path):
    # a Freezer acts at the net's first epoch only: loaded, past it, the net trained the
    # parameters the user froze at a warm start
    X, y = imbalanced_arrays
    student = NeuralNetBinaryClassifier(MLP, callbacks=[callbacks.Freezer("*bias")])
    clf = DistilledClassifier(**FAST, student=student, random_state=0).fit(X, y)
    loaded = round_trip(clf, tmp_path)
    module = loaded.student_.module_
    frozen = {name: parameter.detach().clone() for name, parameter in
              module.named_parameters() if not parameter.requires_grad}
    assert sorted(frozen) == sorted(name for name, _ in module.named_parameters()
                                    if name.endswith("bias"))
    loaded.set_params(warm_start=True).fit(X, y)
    for name, before in frozen.items():
        torch.testing.assert_close(module.get_parameter(name), before, rtol=0, atol=0)
    manifest, tensors = read_manifest(tmp_path / "model.skd")
    write_model_file(tmp_path / "damaged.skd", json.loads(json.dumps(manifest).replace(
        '"frozen": ["layers.0.bias"', '"frozen": ["layers.9.bias"')), tensors)
    with pytest.raises(ValueError, match=r"damaged.*frozen parameter\(s\) \['layers.9.bias'\] "
                                         r"are not the module's"):
        load(tmp_path / "damaged.skd")
    # so do those of a module instance given as the student, which a refit trains
    instance = MLP(input_dim=X.shape[1], hidden_units=(8,))
    instance.layers[0].requires_grad_(False)
    clf = DistilledClassifier(**FAST, student=instance, random_state=0).fit(X, y)
    spec = round_trip(clf, tmp_path).student
    assert [parameter.requires_grad for parameter in spec.parameters()] == [
        False, False, True, True]


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
    # a scheduler class as the policy: saved, then refused as untrusted at load
    student = NeuralNet(MLP, criterion=nn.BCEWithLogitsLoss, callbacks=[
        LRScheduler(policy=torch.optim.lr_scheduler.StepLR, step_size=1)])
    loaded = round_trip(fast(student=student).fit(X, y), tmp_path)
    assert loaded.student.callbacks[0].policy is torch.optim.lr_scheduler.StepLR


def test_what_cannot_be_saved_is_named_by_its_path(imbalanced_arrays, tmp_path):
    from skorch.callbacks import LRScheduler

    X, y = imbalanced_arrays
    student = NeuralNet(MLP, criterion=nn.BCEWithLogitsLoss,
                        callbacks=[LRScheduler("LambdaLR", lr_lambda=lambda epoch: 1.0)])
    clf = fast(student=student).fit(X, y)
    with pytest.raises(TypeError, match="DistilledClassifier attribute 'student': NeuralNet "
                                        "parameter 'callbacks': LRScheduler parameter "
                                        "'lr_lambda'"):
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


def test_save_names_the_callers_path_where_it_cannot_write(fitted_mlp, tmp_path):
    # the error named the hidden file beside it: '.x.skd.<hex>.partial'
    (tmp_path / "a").mkdir()
    (tmp_path / "file").write_text("")
    for path, error in ((tmp_path / "a" / ".." / "missing" / "x.skd", FileNotFoundError),
                        # written in tmp_path, where open refuses a missing folder
                        (tmp_path / "missing" / ".." / "x.skd", FileNotFoundError),
                        (tmp_path / "a", IsADirectoryError),
                        (tmp_path / "file" / "x.skd", NotADirectoryError),
                        (tmp_path / "file" / "sub" / "x.skd", NotADirectoryError),
                        (tmp_path / ("x" * 300 + ".skd"), OSError),
                        (f"{tmp_path / 'new'}{os.sep}", IsADirectoryError),
                        (f"{tmp_path / 'new'}{os.sep}.", IsADirectoryError)):
        for given in (os.fspath(path), os.fsencode(path)):
            with pytest.raises(error) as raised:
                save(fitted_mlp, given)
            assert raised.value.filename == given
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a", "file"]
    assert list((tmp_path / "a").iterdir()) == []


def test_save_takes_any_name_its_folder_takes(fitted_mlp, tmp_path):
    # the hidden file beside it was named after it, 42 characters longer: a name of
    # 214 to 255 characters failed with "File name too long"
    path = tmp_path / ("x" * 240 + ".skd")
    save(fitted_mlp, path)
    assert load(path).n_iter_ == fitted_mlp.n_iter_
    assert [entry.name for entry in tmp_path.iterdir()] == [path.name]


@needs_file_size_limit
def test_a_failed_save_keeps_the_earlier_file_the_process_reads_as_input(saved_mlp, tmp_path):
    # standard input read from the target counted as a standard stream: written in
    # place, a full disk cut the earlier file short
    path = tmp_path / "model.skd"
    path.write_bytes(saved_mlp.read_bytes())
    with open(path, "rb") as given:
        result = run_on_a_full_disk(100, "import sys\nfrom skdistill import load, save\n"
                                    "save(load(sys.argv[1]), sys.argv[2])", saved_mlp, path,
                                    stdin=given)
    assert "File too large" in result.stderr
    assert path.read_bytes() == saved_mlp.read_bytes()


class ScaledLinear(nn.Module):
    """A user module keeping a float64 buffer beside its float32 weights."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = nn.Linear(input_dim, output_dim)
        self.register_buffer("scale", torch.tensor(1 / 3, dtype=torch.float64))

    def forward(self, X):
        return (self.linear(X)[:, 0].double() * self.scale).float()


def test_a_tensor_of_another_float_dtype_keeps_its_dtype_and_value(imbalanced_arrays, tmp_path):
    X, y = imbalanced_arrays
    clf = fast(student=ScaledLinear).fit(X, y)
    assert clf.student_.module_.scale.dtype == torch.float64
    with pytest.warns(UserWarning, match="load does not trust by default"):
        save(clf, tmp_path / "model.skd")
    loaded = load(tmp_path / "model.skd", trusted=[ScaledLinear])
    scale = loaded.student_.module_.scale
    assert scale.dtype == torch.float64 and scale.item() == 1 / 3
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
