"""warm_start: a fit that trains on from the nets of the previous one."""

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from skorch.callbacks import Callback, LRScheduler

from skdistill import DistilledClassifier, load, save
from skdistill.modules import CNN
from skdistill.preprocessing import SequenceEncoder

from .conftest import FAST


def fast(**params):
    return DistilledClassifier(**{**FAST, "random_state": 0, "device": "cpu", **params})


def weights(net):
    return {name: value.clone() for name, value in net.module_.state_dict().items()}


def same_weights(first, second):
    return all(torch.equal(first[name], second[name]) for name in first)


@pytest.fixture(scope="module")
def cold(imbalanced_arrays):
    """Three meta-epochs from scratch."""
    return fast().fit(*imbalanced_arrays)


@pytest.mark.parametrize("policy, settings", [
    ("StepLR", {"step_size": 1}), ("CosineAnnealingLR", {"T_max": 5}),
    # OneCycleLR keeps max_lr and min_lr in the optimizer's groups too
    (torch.optim.lr_scheduler.OneCycleLR, {"max_lr": 0.1, "total_steps": 400,
                                           "step_every": "batch"}),
], ids=["StepLR", "CosineAnnealingLR", "OneCycleLR"])
def test_a_warm_fit_goes_on_with_a_nets_learning_rate_scheduler(imbalanced_arrays, tmp_path,
                                                                 policy, settings):
    # the new optimizer lacked the initial_lr torch's scheduler resumes from (KeyError),
    # and its learning rate started again from the net's lr
    from skorch import NeuralNetBinaryClassifier
    from skorch.callbacks import LRScheduler
    from skdistill.modules import MLP

    X, y = imbalanced_arrays

    def make(meta_epochs):
        student = NeuralNetBinaryClassifier(
            MLP, lr=0.05, callbacks=[("lrs", LRScheduler(policy, **settings))])
        return fast(student=student, meta_epochs=meta_epochs)

    def learning_rates(clf):
        history = clf.student_.history
        return history[:, "batches", :, "event_lr"] if "step_every" in settings else (
            history[:, "event_lr"])

    cold = make(4).fit(X, y)
    warm = make(2).fit(X, y).set_params(warm_start=True).fit(X, y)
    assert warm.n_iter_ == 4
    assert learning_rates(warm) == learning_rates(cold)
    # a loaded net has a fresh optimizer, without the initial_lr torch resumes from,
    # and its scheduler, built anew, took a step more (StepLR: one halving too many)
    path = tmp_path / "model.skd"
    save(make(2).fit(X, y), path)
    loaded = load(path).set_params(warm_start=True).fit(X, y)
    assert loaded.n_iter_ == 4
    assert learning_rates(loaded) == learning_rates(cold)


class FineTuningRate(Callback):
    """Sets the learning rate when training begins."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def on_train_begin(self, net, **kwargs):
        for group in net.optimizer_.param_groups:
            group["lr"] = self.lr


def test_a_warm_fit_keeps_a_rate_its_callbacks_set_where_no_scheduler_runs(imbalanced_arrays):
    # the rates before on_train_begin were put back over the callback's
    from skorch import NeuralNetBinaryClassifier
    from skdistill.modules import MLP

    X, y = imbalanced_arrays
    student = NeuralNetBinaryClassifier(MLP, lr=0.05, callbacks=[("tune", FineTuningRate())])
    clf = fast(student=student, meta_epochs=1).fit(X, y)
    clf.student_.set_params(callbacks__tune__lr=0.001)
    clf.set_params(warm_start=True).fit(X, y)
    assert [group["lr"] for group in clf.student_.optimizer_.param_groups] == [0.001]


def test_warm_fit_trains_on_and_counts_on(cold, imbalanced_arrays):
    warm = copy.deepcopy(cold).set_params(warm_start=True, meta_epochs=2)
    warm.fit(*imbalanced_arrays)
    assert warm.best_meta_epoch_ == 5 == cold.best_meta_epoch_ + 2
    assert warm.n_iter_ == cold.n_iter_ + 2
    assert [record["meta_epoch"] for record in warm.history_] == [1, 2, 3, 4, 5]
    assert warm.history_[:3] == cold.history_
    # a student that starts where the first fit ended starts with a lower loss
    # than one that starts from scratch
    first_warm_loss = warm.history_[3]["student_loss"]
    assert first_warm_loss < 0.8 * cold.history_[0]["student_loss"]
    assert first_warm_loss < 1.2 * cold.history_[-1]["student_loss"]


def test_a_warm_sequential_fit_numbers_each_role_after_its_own_rounds(imbalanced_arrays):
    # The warm fit's records started after the previous fit's last record: where
    # the teachers ran 10 rounds and the student 5, the student's sixth round
    # was record 11, and records 6 to 10 had no student.
    clf = fast(schedule="sequential", early_stopping=True, n_iter_no_change=2, random_state=2)
    clf.set_params(meta_epochs=10, warm_start=True).fit(*imbalanced_arrays)

    def rounds(role):
        return [record["meta_epoch"] for record in clf.history_ if f"{role}_loss" in record]

    first = {role: len(rounds(role)) for role in ("teacher", "student")}
    assert first["student"] == clf.n_iter_ != first["teacher"]  # the case of the defect
    clf.fit(*imbalanced_arrays)
    for role in ("teacher", "student"):
        assert rounds(role) == list(range(1, len(rounds(role)) + 1))
        assert len(rounds(role)) > first[role]
    assert len(rounds("student")) == clf.n_iter_
    assert [record["meta_epoch"] for record in clf.history_] == list(
        range(1, len(clf.history_) + 1))


def test_cold_fit_ignores_the_previous_nets(cold, imbalanced_arrays):
    refit = copy.deepcopy(cold).fit(*imbalanced_arrays)
    assert refit.n_iter_ == cold.n_iter_
    np.testing.assert_array_equal(refit.predict_proba(imbalanced_arrays[0]),
                                  cold.predict_proba(imbalanced_arrays[0]))


def test_warm_fit_leaves_the_previous_nets_untouched(cold, imbalanced_arrays):
    clf = copy.deepcopy(cold).set_params(warm_start=True)
    student, teacher = clf.student_, clf.teacher_
    before = weights(student), weights(teacher)
    clf.fit(*imbalanced_arrays)
    assert clf.student_ is not student and clf.teacher_ is not teacher
    assert same_weights(weights(student), before[0])
    assert same_weights(weights(teacher), before[1])
    assert not same_weights(weights(clf.student_), before[0])


def test_warm_fit_keeps_its_start_unless_a_round_beats_it(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(early_stopping=True, meta_epochs=30, n_iter_no_change=3).fit(X, y)
    proba, n_iter = clf.predict_proba(X), clf.n_iter_
    clf.student_.set_params(lr=1.0)  # a learning rate that spoils every further round
    clf.set_params(warm_start=True, alpha=0).fit(X, y)
    start_auc = max(record["student_valid_auc"] for record in clf.history_[:n_iter])
    assert clf.n_iter_ == n_iter + 3
    assert all(record["student_valid_auc"] < start_auc for record in clf.history_[n_iter:])
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


def test_student_trained_alone_is_then_distilled(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(alpha=0).fit(X, y)
    assert clf.teachers_ == []
    alone = weights(clf.student_)
    clf.set_params(warm_start=True, alpha=0.5).fit(X, y)
    assert len(clf.teachers_) == 1 and "teacher_loss" in clf.history_[-1]
    assert "teacher_loss" not in clf.history_[0]
    assert not same_weights(weights(clf.student_), alone)


def test_a_warm_fit_of_the_student_alone_keeps_the_teachers_for_the_next(
        imbalanced_arrays, tmp_path):
    # alpha=0 emptied teachers_, and the next distilled fit trained a new teacher
    X, y = imbalanced_arrays
    clf = fast(random_state=0).fit(X, y)
    teacher, teacher_proba = clf.teachers_[0], clf.teacher_predict_proba(X)
    teacher_epochs = len(teacher.history)
    clf.set_params(warm_start=True, alpha=0).fit(X, y)
    assert clf.teachers_ == [teacher] and clf.teacher_ is teacher
    np.testing.assert_array_equal(clf.teacher_predict_proba(X), teacher_proba)
    assert "teacher_loss" not in clf.history_[-1]
    clf.set_params(alpha=0.5).fit(X, y)
    assert len(clf.teachers_[0].history) == 2 * teacher_epochs  # trained on, not anew
    # another number of teachers: the later fit builds those named, without a word
    # (two kept teachers beside teacher=[one] failed it: "number of teachers 1 before, 2 now")
    clf.set_params(alpha=0, teacher=[None, LogisticRegression()])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.fit(X, y)
    assert clf.teachers_ == [] and clf.teacher_ is None
    clf.set_params(alpha=0.5).fit(X, y)
    assert len(clf.teachers_) == 2 and isinstance(clf.teachers_[1], LogisticRegression)
    # as many teachers: kept, and a setting changed since is named as a warm fit names it
    clf = fast(teacher=LogisticRegression(), random_state=0).fit(X, y)
    teacher = clf.teacher_
    clf.set_params(warm_start=True, alpha=0, teacher__class_weight={0: 1, 1: 50})
    with pytest.warns(UserWarning, match=r"teacher__class_weight None \(now \(\(0, 1\), "
                                         r"\(1, 50\)\)\)"):
        clf.fit(X, y)
    assert clf.teachers_ == [teacher]
    # a loaded model's placeholder for a teacher not saved is kept, without a word (it
    # was "teacher FrozenEstimator (now UnsavedTeacher) changed and are not used")
    frozen = FrozenEstimator(LogisticRegression().fit(X, y))
    with pytest.warns(UserWarning, match="not saved"):
        save(fast(teacher=frozen).fit(X, y), tmp_path / "model")
    loaded = load(tmp_path / "model").set_params(warm_start=True, alpha=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded.fit(X, y)
    assert type(loaded.teacher_).__name__ == "UnsavedTeacher"
    # a net teacher kept beside another named since keeps its settings through a file
    # (they were dropped with a placeholder: a changed lr went unwarned after load)
    clf = fast(random_state=0).fit(X, y)
    with pytest.warns(UserWarning, match="not used: teacher 'skdistill"):
        clf.set_params(warm_start=True, alpha=0, teacher=KNeighborsClassifier()).fit(X, y)
    with pytest.warns(UserWarning, match="not saved"):
        save(clf, tmp_path / "model")
    assert load(tmp_path / "model")._net_settings == clf._net_settings
    # no teacher fitted yet: a teacher named before a warm fit of the student alone is
    # no change left unused ("teacher ... changed and are not used")
    clf = fast(alpha=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.set_params(warm_start=True, teacher=LogisticRegression()).fit(X, y)


def test_a_warm_fit_names_a_frozen_teacher_of_another_model_as_unused(imbalanced_arrays):
    # a booster fitted again and frozen: alike in settings, it passed unnoticed, and the
    # student went on distilling from the old one
    X, y = imbalanced_arrays
    old, new = LogisticRegression().fit(X, y), LogisticRegression().fit(X, 1 - y)
    clf = fast(teacher=FrozenEstimator(old), alpha=1.0).fit(X, y)
    with warnings.catch_warnings():  # the same model in a new wrapper is no other one
        warnings.simplefilter("error")
        clf.set_params(warm_start=True, teacher=FrozenEstimator(old)).fit(X, y)
    with pytest.warns(UserWarning, match=r"teacher now wraps another fitted model in its "
                                         r"FrozenEstimator, which is not used. Fit with "
                                         r"warm_start=False"):
        clf.set_params(teacher=FrozenEstimator(new)).fit(X, y)
    assert clf.teachers_[0].estimator is old
    with pytest.warns(UserWarning, match=r"teacher\[1\] now wraps another fitted model"):
        fast(teacher=[None, FrozenEstimator(old)]).fit(X, y).set_params(
            warm_start=True, teacher=[None, FrozenEstimator(new)]).fit(X, y)
    # a teacher of other settings is named once, by the warning of changed settings
    with pytest.warns(UserWarning) as caught:
        fast(alpha=1.0).fit(X, y).set_params(warm_start=True,
                                              teacher=FrozenEstimator(new)).fit(X, y)
    assert [str(item.message)[:60] for item in caught] == [
        "warm_start=True goes on with the nets and teachers of the pr"]
    # and by this one where a model from an older file holds no record of its settings
    older = fast(alpha=1.0).fit(X, y)
    del older._net_settings
    with pytest.warns(UserWarning, match="teacher now wraps another fitted model"):
        older.set_params(warm_start=True, teacher=FrozenEstimator(new)).fit(X, y)


def test_fitted_scikit_learn_teacher_is_not_refitted(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(teacher=LogisticRegression()).fit(X, y)
    coef = clf.teacher_.coef_.copy()
    clf.set_params(warm_start=True).fit(X + 1.0, y)
    np.testing.assert_array_equal(clf.teacher_.coef_, coef)
    assert not np.array_equal(LogisticRegression().fit(X + 1.0, y).coef_, coef)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda X, y: (X[:, :5], y), "number of features 10 before, 5 now"),
        (lambda X, y: (X, np.where(y == 1, 2, 0)), r"classes \[0, 1\] before, \[0, 2\] now"),
        (lambda X, y: (X, y), "number of teachers 1 before, 2 now"),
    ],
)
def test_warm_fit_that_does_not_fit_is_refused_and_changes_nothing(
    cold, imbalanced_arrays, change, message
):
    clf = copy.deepcopy(cold).set_params(warm_start=True)
    if "teachers" in message:
        clf.set_params(teacher=[None, None])
    student, history = weights(clf.student_), list(clf.history_)
    with pytest.raises(ValueError, match=message):
        clf.fit(*change(*imbalanced_arrays))
    assert same_weights(weights(clf.student_), student)
    assert clf.history_ == history and clf.n_features_in_ == 10


def test_loaded_model_trains_on(cold, imbalanced_arrays, tmp_path):
    save(cold, tmp_path / "model")
    loaded = load(tmp_path / "model").set_params(warm_start=True, meta_epochs=1)
    loaded.fit(*imbalanced_arrays)
    assert loaded.n_iter_ == cold.n_iter_ + 1


@pytest.mark.parametrize("teacher", [LogisticRegression(), None])
def test_teachers_added_by_a_warm_fit_are_trained_before_they_are_scored(
    imbalanced_arrays, teacher
):
    X, y = imbalanced_arrays
    clf = fast(teacher=teacher, alpha=0, early_stopping=True, meta_epochs=5).fit(X, y)
    clf.set_params(warm_start=True, alpha=0.5).fit(X, y)
    auc = max(record["teacher_valid_auc"] for record in clf.history_[5:])
    assert auc > 0.8
    assert np.mean((clf.teacher_predict_proba(X)[:, 1] > 0.5) == y) > 0.85


def test_sequence_teacher_with_a_flat_student_trains_on_both_ways(crotonylation_sequences):
    sequences, labels = crotonylation_sequences
    X = SequenceEncoder().fit_transform(sequences[:300])
    y = labels[:300]
    clf = fast(teacher=CNN, alpha=0).fit(X, y)
    assert clf.sequence_shape_ is None
    clf.set_params(warm_start=True, alpha=0.5).fit(X, y)
    assert clf.sequence_shape_ == (29, 21) and len(clf.teachers_) == 1
    clf.set_params(alpha=0).fit(X, y)
    assert clf.sequence_shape_ == (29, 21) and clf.n_iter_ == 9


def test_reused_teacher_without_sample_weight_is_not_refitted(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(teacher=KNeighborsClassifier()).fit(X, y)
    clf.set_params(warm_start=True).fit(X, y, sample_weight=np.full(len(y), 2.0))
    assert clf.n_iter_ == 6


def test_warm_fit_refuses_reordered_columns(imbalanced_arrays):
    X, y = imbalanced_arrays
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    clf = fast(warm_start=True).fit(frame, y)
    with pytest.raises(ValueError, match=r"feature names \['x0', .*\] before, \['x9', .*\] now"):
        clf.fit(frame[frame.columns[::-1]], y)
    clf.fit(frame, y)
    assert clf.n_iter_ == 6


def test_cuda_and_cuda_0_are_one_device(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast(warm_start=True).fit(X, y)
    clf.set_params(device="cpu:0").fit(X, y)
    assert clf.n_iter_ == 6


def test_a_warm_fit_adding_a_sequence_teacher_on_flat_input_is_a_clear_error(
    imbalanced_arrays,
):
    # AttributeError: 'NoneType' object has no attribute 'columns'
    X, y = imbalanced_arrays
    clf = fast(alpha=0.0).fit(X, y)
    before = clf.predict_proba(X)
    with pytest.raises(ValueError, match="CNN needs the sequence shape"):
        clf.set_params(warm_start=True, alpha=0.5, teacher=CNN).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), before)


def test_settings_a_warm_fit_does_not_use_are_named_in_a_warning(imbalanced_arrays, tmp_path):
    # the fitted nets kept lr 0.01 and 64 units, get_params said 0.5 and (3,), silently
    from skdistill import default_net

    X, y = imbalanced_arrays
    clf = fast(student=default_net("student"), teacher=None).fit(X, y)
    clf.set_params(warm_start=True, alpha=0.3, student__lr=np.float64(0.01))  # used, or same
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.fit(X, y)
    clf.set_params(student__lr=0.5, student__module__hidden_units=(3,),
                   teacher=LogisticRegression())
    message = (r"these changed and are not used: student__lr 0\.01 \(now 0\.5\), "
               r"student__module__hidden_units \(64,\) \(now \(3,\)\), teacher "
               r"'skdistill\._nets\.DistillationNet' \(now "
               r"'sklearn\.linear_model\._logistic\.LogisticRegression'\)\. Fit with "
               r"warm_start=False")
    with pytest.warns(UserWarning, match=message):
        clf.fit(X, y)
    assert clf.student_.optimizer_.param_groups[0]["lr"] == 0.01
    with pytest.warns(UserWarning, match=message):  # still the nets of the first fit
        clf.fit(X, y)
    save(clf, tmp_path / "model")
    with pytest.warns(UserWarning, match=message):
        load(tmp_path / "model").fit(X, y)


def test_a_setting_added_to_the_same_module_is_named_and_one_of_another_module_is_not(
        imbalanced_arrays):
    # student__module__dropout set on a spec that had none went unused without a word
    from skdistill import default_net

    X, y = imbalanced_arrays
    clf = fast(student=default_net("student"), warm_start=True).fit(X, y)
    with pytest.warns(UserWarning, match=r"not used: student__module__dropout unset "
                                         r"\(now 0\.5\)\. Fit"):
        clf.set_params(student__module__dropout=0.5).fit(X, y)
    # another module: its class is the change named, not its settings one by one
    with pytest.warns(UserWarning, match=r"not used: student__module '\S+MLP' \(now "
                                         r"'\S+CNN'\)\. Fit"):
        clf.set_params(student__module=CNN, student__module__channels=(4,)).fit(X, y)


def test_the_warm_settings_compare_dicts_by_their_items():
    # dicts went unseen (teacher__class_weight); keys that print alike (1 and "1") then
    # made sorting compare the values, a TypeError in every fit
    from skdistill._classifier import _same_setting
    from skdistill._specs import plain_settings

    def setting(value):
        return plain_settings(dict, {"value": value})["value"]

    assert setting({1: 50, 0: 1}) == setting({0: 1, 1: 50}) != setting({0: 1, 1: 5})
    assert setting({1: 5, "1": None}) != setting({"1": 5, 1: None})
    assert setting({1: 5}) != setting({"1": 5})
    # NumPy's keys are Python's (np.unique(y) gives np.int64 classes)
    assert setting({np.int64(0): 1, np.int64(1): 5}) == setting({0: 1, 1: 5})
    assert setting({"neg": 1}) == (("neg", 1),)
    # keys of no plain value by their reprs: enum members all read "Label(...)", so
    # values swapped between them went unseen and another order was a change
    from enum import Enum, IntEnum

    Label = Enum("Label", ["NEG", "POS"])
    assert setting({Label.NEG: 1, Label.POS: 10}) == setting({Label.POS: 10, Label.NEG: 1})
    assert setting({Label.NEG: 1, Label.POS: 10}) != setting({Label.NEG: 10, Label.POS: 1})
    assert setting(frozenset) == "builtins.frozenset"
    assert setting({frozenset({1}): 1}) != setting({frozenset({2}): 1})
    # an IntEnum is stored as the plain data a model file holds (save refused it)
    Level = IntEnum("Level", ["LOW"])
    assert type(setting(Level.LOW)) is int and type(setting(["a", Level.LOW])[1]) is int
    assert _same_setting(setting({"lr": 0.01}), setting({"lr": np.float32(0.01)}))
    assert not _same_setting(setting({"lr": 0.01}), setting({"lr": 0.02}))


def test_the_warm_settings_warning_tells_changes_from_spellings(imbalanced_arrays):
    # np.float32(0.01) for 0.01, default_net for None, [X] for X and a net's batch size or
    # epochs (which every fit sets itself) were called changes; a list of units and a
    # teacher put in a list were not
    from sklearn.neighbors import KNeighborsClassifier

    from skdistill import default_net

    X, y = imbalanced_arrays
    clf = fast(teacher=LogisticRegression(), warm_start=True).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.set_params(student=default_net("student"), teacher=[LogisticRegression()]).fit(X, y)
        clf.set_params(student__lr=np.float32(0.01), student__batch_size=7,
                       student__max_epochs=99, student__module__hidden_units=[64],
                       student__callbacks=[]).fit(X, y)
    with pytest.warns(UserWarning, match=r"student__module__hidden_units \(64,\) \(now \(3,\)\), "
                                         r"teacher '\S+LogisticRegression' \(now "
                                         r"'\S+KNeighborsClassifier'\)"):
        clf.set_params(student__module__hidden_units=[3],
                       teacher=[KNeighborsClassifier()]).fit(X, y)
    # a callback added was not named; its own settings are not compared
    clf = fast(student=default_net("student"), warm_start=True).fit(X, y)
    scheduler = LRScheduler("StepLR", step_size=1)
    with pytest.warns(UserWarning, match=r"not used: student__callbacks None \(now "
                                         r"\(\('step', 'LRScheduler\(\.\.\.\)'\),\)\)"):
        clf.set_params(student__callbacks=[("step", scheduler)]).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = fast(student=default_net("student").set_params(callbacks=[("step", scheduler)]),
                   warm_start=True).fit(X, y)
        clf.set_params(student__callbacks=[("step", LRScheduler("StepLR", step_size=5))])
        clf.fit(X, y)
    # from None to the default net with a scheduler, or from that net to None: neither
    # was named (None's settings held no callbacks to compare)
    with_scheduler = default_net("student").set_params(callbacks=[("step", scheduler)])
    clf = fast(warm_start=True).fit(X, y)
    with pytest.warns(UserWarning, match=r"not used: student__callbacks None \(now "
                                         r"\(\('step', 'LRScheduler\(\.\.\.\)'\),\)\)"):
        clf.set_params(student=with_scheduler).fit(X, y)
    clf = fast(student=with_scheduler, warm_start=True).fit(X, y)
    with pytest.warns(UserWarning, match=r"not used: student__callbacks \(\('step', "
                                         r"'LRScheduler\(\.\.\.\)'\),\) \(now None\)"):
        clf.set_params(student=None).fit(X, y)
    # the batch iterator is the fit's own, left out of both sides' settings: its
    # settings on one side only were never compared
    with pytest.warns(UserWarning, match=r"student__iterator_train__drop_last unset "
                                         r"\(now True\)"):
        clf.set_params(student=default_net("student").set_params(
            iterator_train__drop_last=True)).fit(X, y)
