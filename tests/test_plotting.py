import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill import DistilledClassifier, TeacherStudentDisplay, TrainingCurvesDisplay

from .conftest import FAST

matplotlib = pytest.importorskip("matplotlib", reason="needs skdistill[plot]")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

VALIDATED = {**FAST, "early_stopping": True, "validation_fraction": 0.25}
HISTORY_FIELDS = ("teacher_loss", "student_loss", "teacher_valid_auc", "student_valid_auc")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def split(imbalanced_arrays):
    X, y = imbalanced_arrays
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def validated_fit(split):
    X_train, _, y_train, _ = split
    return DistilledClassifier(random_state=0, **VALIDATED).fit(X_train, y_train)


def _history_values(clf, field):
    return [record[field] for record in clf.history_]


def test_training_curves_show_every_history_field(validated_fit):
    display = TrainingCurvesDisplay.from_estimator(validated_fit)

    assert set(display.lines_) == set(HISTORY_FIELDS)
    for field, line in display.lines_.items():
        np.testing.assert_array_equal(line.get_ydata(), _history_values(validated_fit, field))
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
    assert len(display.axes_) == 2
    loss_axis, auc_axis = display.axes_
    assert display.lines_["student_loss"] in loss_axis.lines
    assert display.lines_["student_valid_auc"] in auc_axis.lines
    assert (loss_axis.get_ylabel(), auc_axis.get_ylabel()) == ("training loss",
                                                              "validation ROC AUC")
    assert display.figure_ is loss_axis.figure
    assert display.lines_["teacher_loss"].get_label() == "teacher"


def test_training_curves_without_validation_or_teacher(split):
    X_train, _, y_train, _ = split
    unvalidated = DistilledClassifier(random_state=0, **FAST).fit(X_train, y_train)
    display = TrainingCurvesDisplay.from_estimator(unvalidated)
    assert set(display.lines_) == {"teacher_loss", "student_loss"}
    assert len(display.axes_) == 1

    alone = DistilledClassifier(alpha=0, random_state=0, **VALIDATED).fit(X_train, y_train)
    display = TrainingCurvesDisplay.from_estimator(alone)
    assert set(display.lines_) == {"student_loss", "student_valid_auc"}
    np.testing.assert_array_equal(
        display.lines_["student_loss"].get_ydata(), _history_values(alone, "student_loss")
    )


def test_each_net_keeps_its_colour_in_both_panels_and_a_next_model_takes_others(split):
    # with a scikit-learn teacher (no loss) the student was blue in the loss panel and
    # orange beside the blue teacher in the ROC AUC panel
    X_train, _, y_train, _ = split
    clf = DistilledClassifier(teacher=LogisticRegression(), random_state=0,
                              **VALIDATED).fit(X_train, y_train)
    display = TrainingCurvesDisplay.from_estimator(clf)
    lines = display.lines_
    assert "teacher_loss" not in lines
    assert lines["student_loss"].get_color() == lines["student_valid_auc"].get_color()
    assert lines["teacher_valid_auc"].get_color() != lines["student_valid_auc"].get_color()
    other = TrainingCurvesDisplay.from_estimator(clf, ax=display.axes_)
    assert other.lines_["student_loss"].get_color() not in {
        line.get_color() for line in display.lines_.values()}
    assert TrainingCurvesDisplay.from_estimator(clf, color="k").lines_[
        "student_loss"].get_color() == "k"
    # an alias clashed with the colour given: "Got both 'color' and 'c'"
    assert TrainingCurvesDisplay.from_estimator(clf, c="r", ls=":").lines_[
        "student_loss"].get_linestyle() == ":"
    # a cycle of line styles or widths: each net one style in both panels
    cycle = plt.cycler(linestyle=["-", "--", ":"]) + plt.cycler(linewidth=[1.0, 2.0, 3.0])
    with plt.rc_context({"axes.prop_cycle": cycle}):
        lines = TrainingCurvesDisplay.from_estimator(clf).lines_
    for get in ("get_linestyle", "get_linewidth"):
        student = [getattr(lines[f"student_{field}"], get)() for field in ("loss", "valid_auc")]
        assert student[0] == student[1] != getattr(lines["teacher_valid_auc"], get)()


def test_displays_refuse_label_which_would_name_every_curve_alike(validated_fit, split):
    # label= named the teacher's and the student's curves alike in the legend
    _, X_test, _, y_test = split
    figures = plt.get_fignums()
    for label in ["mine", None]:
        with pytest.raises(TypeError, match=rf"label={label!r} would set the legend entry of "
                                            r"the teacher's and the student's curves alike; "
                                            "pass name="):
            TrainingCurvesDisplay.from_estimator(validated_fit, label=label)
        with pytest.raises(TypeError, match=rf"label={label!r} would set"):
            TeacherStudentDisplay.from_estimator(validated_fit, X_test, y_test, label=label)
    assert plt.get_fignums() == figures  # no empty figure left open
    lines = TeacherStudentDisplay.from_estimator(
        validated_fit, X_test, y_test, name="mine").lines_
    assert [lines[role].get_label().split(" (")[0] for role in ("teacher", "student")] == [
        "mine teacher", "mine student"]


def test_training_curves_mark_the_kept_meta_epoch(split):
    # nothing showed which meta-epoch early stopping kept
    X_train, _, y_train, _ = split
    clf = DistilledClassifier(random_state=0, **{**VALIDATED, "meta_epochs": 30,
                                                 "n_iter_no_change": 2}).fit(X_train, y_train)
    assert clf.best_meta_epoch_ < clf.n_iter_
    display = TrainingCurvesDisplay.from_estimator(clf)
    assert len(display.best_lines_) == len(display.axes_) == 2
    for axis, mark in zip(display.axes_, display.best_lines_):
        assert mark in axis.lines
        assert list(mark.get_xdata()) == [clf.best_meta_epoch_] * 2
        assert mark.get_label() == f"student kept (meta-epoch {clf.best_meta_epoch_})"
    bare = TrainingCurvesDisplay([1, 2], {"student": [0.5, 0.4]}).plot()
    assert bare.best_lines_ == [] and len(bare.axes_[0].lines) == 1


@pytest.mark.parametrize("best, error, message", [
    ("2", TypeError, "best_meta_epoch must be an int or None; got '2'"),
    (True, TypeError, "got True"),
    (2.5, TypeError, "got 2.5"),
    (99, ValueError, r"best_meta_epoch=99 is none of the meta-epochs plotted \(1 to 3\)"),
    (0, ValueError, r"best_meta_epoch=0 is none"),
])
def test_training_curves_refuse_a_kept_meta_epoch_they_do_not_plot(best, error, message):
    # "2" was drawn at x=0 (a category) under the legend "meta-epoch 2"; 99 stretched the axis
    figures = plt.get_fignums()
    with pytest.raises(error, match=message):
        TrainingCurvesDisplay([1, 2, 3], {"student": [0.5, 0.4, 0.3]}, best_meta_epoch=best).plot()
    assert plt.get_fignums() == figures
    assert TrainingCurvesDisplay([1, 2, 3], {"student": [0.5, 0.4, 0.3]},
                                 best_meta_epoch=np.int64(3)).plot().best_lines_


def test_training_curves_refuse_a_curve_of_another_length():
    with pytest.raises(ValueError, match=r"valid_auc\['teacher'\] holds 2 value\(s\) for 3 "
                                         "meta-epochs"):
        TrainingCurvesDisplay([1, 2, 3], {"student": [0.5, 0.4, 0.3]},
                              {"teacher": [0.7, 0.8]}).plot()
    with pytest.raises(ValueError, match=r"loss\['student'\] holds 1 value\(s\) for 3"):
        TrainingCurvesDisplay([1, 2, 3], {"student": 0.5}).plot()
    with pytest.raises(ValueError, match=r"best_meta_epoch=1 is none of the meta-epochs "
                                         r"plotted \(none\)"):
        TrainingCurvesDisplay([], {"student": []}, best_meta_epoch=1).plot()


def test_training_curves_refuse_a_curve_of_no_role():
    # a bare KeyError: 'baseline', from deep inside plot
    with pytest.raises(ValueError, match=r"loss holds a curve of 'baseline'; its keys are "
                                         r"roles, 'teacher' and 'student'"):
        TrainingCurvesDisplay([1, 2], {"baseline": [0.5, 0.4]}).plot()


def test_one_meta_epoch_is_ticked_as_a_whole_number():
    # ticked 0.945, 0.960, ... 1.065, none of them 1
    axis = TrainingCurvesDisplay([1], {"student": [0.5]}).plot().axes_[0]
    axis.figure.canvas.draw()
    low, high = axis.get_xlim()
    assert [tick for tick in axis.get_xticks() if low <= tick <= high] == [1]


def test_training_curves_draw_on_given_axes_and_again(validated_fit):
    figure, axes = plt.subplots(1, 2)
    display = TrainingCurvesDisplay.from_estimator(validated_fit, ax=axes, linestyle=":")
    assert list(display.axes_) == list(axes)
    assert display.figure_ is figure
    assert display.lines_["student_loss"].get_linestyle() == ":"

    other_figure, other_axes = plt.subplots(2, 1)
    display.plot(ax=other_axes)
    assert display.figure_ is other_figure
    assert display.lines_["teacher_valid_auc"] in other_axes[1].lines
    assert len(axes[0].lines) == 3  # the first drawing is left alone: 2 curves, 1 mark


def test_training_curves_refuse_wrong_axes(validated_fit):
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"one Axes per panel \(loss, valid_auc\): 2; got 1"):
        TrainingCurvesDisplay.from_estimator(validated_fit, ax=ax)
    with pytest.raises(TypeError, match="ax must hold matplotlib Axes; got str"):
        TrainingCurvesDisplay.from_estimator(validated_fit, ax=["a", "b"])


@pytest.mark.parametrize("display", [TrainingCurvesDisplay, TeacherStudentDisplay])
def test_unfitted_and_foreign_estimators_are_refused(display, split):
    X_train, X_test, y_train, y_test = split
    data = () if display is TrainingCurvesDisplay else (X_test, y_test)
    with pytest.raises(NotFittedError):
        display.from_estimator(DistilledClassifier(), *data)
    with pytest.raises(TypeError, match="needs a DistilledClassifier or a Pipeline"):
        display.from_estimator(LogisticRegression().fit(X_train, y_train), *data)


def test_teacher_student_display_scores_both_on_test_data(validated_fit, split):
    _, X_test, _, y_test = split
    display = TeacherStudentDisplay.from_estimator(validated_fit, X_test, y_test)

    student = validated_fit.predict_proba(X_test)[:, 1]
    teacher = validated_fit.teacher_predict_proba(X_test)[:, 1]
    for role, proba in {"teacher": teacher, "student": student}.items():
        fpr, tpr, _ = roc_curve(y_test, proba)
        np.testing.assert_array_equal(display.lines_[role].get_xdata(), fpr)
        np.testing.assert_array_equal(display.lines_[role].get_ydata(), tpr)
        assert display.roc_auc[role] == pytest.approx(roc_auc_score(y_test, proba))
        assert f"AUC = {display.roc_auc[role]:.3f}" in display.lines_[role].get_label()
    np.testing.assert_allclose(display.scatter_.get_offsets(), np.column_stack([teacher, student]))
    assert display.agreement == pytest.approx(np.mean((teacher > 0.5) == (student > 0.5)))
    assert display.scatter_.get_label() == f"agreement {display.agreement:.1%}"
    assert display.figure_ is display.axes_[0].figure


def test_teacher_student_displays_on_shared_axes_keep_each_agreement(validated_fit, split):
    # the second model's agreement replaced the first's in the panel's title, its points
    # in the colour of the first's student curve, and a second "chance" line was drawn
    _, X_test, _, y_test = split
    first = TeacherStudentDisplay.from_estimator(validated_fit, X_test, y_test, name="A")
    second = TeacherStudentDisplay.from_predictions(
        y_test, validated_fit.teacher_predict_proba(X_test)[:, 1],
        np.clip(validated_fit.predict_proba(X_test)[:, 1] + 0.3, 0, 1), name="B",
        ax=first.axes_)
    roc_axis, proba_axis = first.axes_
    labels = [text.get_text() for text in proba_axis.get_legend().get_texts()]
    assert labels == [f"A agreement {first.agreement:.1%}",
                      f"B agreement {second.agreement:.1%}"]
    for display in (first, second):
        np.testing.assert_array_equal(display.scatter_.get_facecolor()[0][:3],
                                      matplotlib.colors.to_rgb(
                                          display.lines_["student"].get_color()))
    assert [line.get_label() for line in roc_axis.lines].count("chance") == 1
    assert len(proba_axis.lines) == 1


def test_teacher_student_display_refuses_labels_of_another_encoding(validated_fit, split):
    # 'no'/'yes' against the classifier's 0/1 drew AUCs of nan
    _, X_test, _, y_test = split
    with pytest.raises(ValueError,
                       match=r"not fitted on: \['no', 'yes'\]; its classes_ are \[0, 1\]"):
        TeacherStudentDisplay.from_estimator(validated_fit, X_test,
                                             np.where(y_test == 1, "yes", "no"))
    # a column of labels, as a one-column frame gives them, is still read
    display = TeacherStudentDisplay.from_estimator(validated_fit, X_test, y_test[:, None])
    assert display.roc_auc["student"] > 0.5


@pytest.mark.parametrize("given, message", [
    # each drew a figure: AUCs of nan, or an agreement of logits read at 0.5
    ({"y_true": np.zeros(20)}, r"y_true must hold two classes to draw ROC curves; got 1"),
    ({"pos_label": 5}, r"pos_label=5 is not one of y_true's classes \[0, 1\]"),
    ({"teacher_proba": np.linspace(-2, 2, 20)},
     r"teacher_proba must hold probabilities in \[0, 1\]; got values from -2.0 to 2.0\. "
     r"Give predict_proba\(X\)\[:, 1\], not decision_function"),
    ({"student_proba": np.r_[np.nan, np.linspace(0, 1, 19)]},
     r"student_proba must hold probabilities in \[0, 1\]; got values from 0.0 to 1.0 and NaN"),
    # the message named y
    ({"teacher_proba": np.ones((20, 2)) / 2},
     r"teacher_proba has 2 columns; give the probability of the positive class alone, "
     r"e\.g\. predict_proba\(X\)\[:, 1\]"),
], ids=["one class", "absent pos_label", "logits", "NaN", "two columns"])
def test_teacher_student_display_names_bad_predictions(given, message):
    arguments = {"y_true": np.arange(20) % 2, "teacher_proba": np.linspace(0, 1, 20),
                 "student_proba": np.linspace(0, 1, 20), **given}
    with pytest.raises(ValueError, match=message):
        TeacherStudentDisplay.from_predictions(**arguments)


def test_teacher_student_display_takes_probabilities_a_rounding_step_past_one():
    # a weighted mean of probabilities reached 1.0000000000000002, refused with
    # "got values from 0 to 1"
    y = np.arange(20) % 2
    teacher = np.where(y == 1, 1 + 2.2e-16, 0.0)
    display = TeacherStudentDisplay.from_predictions(y, teacher, np.linspace(0, 1, 20))
    assert display.roc_auc["teacher"] == 1.0
    with pytest.raises(ValueError, match=r"got values from 0.0 to 1.001\."):
        TeacherStudentDisplay.from_predictions(y, np.where(y == 1, 1.001, 0.0),
                                               np.linspace(0, 1, 20))


def test_teacher_student_display_of_a_pipeline_on_given_axes(split):
    X_train, X_test, y_train, y_test = split
    labels = np.where(y_train == 1, "pos", "neg")
    pipeline = make_pipeline(StandardScaler(), DistilledClassifier(random_state=0, **FAST))
    pipeline.fit(X_train, labels)
    figure, axes = plt.subplots(1, 2)

    display = TeacherStudentDisplay.from_estimator(
        pipeline, X_test, np.where(y_test == 1, "pos", "neg"), ax=axes
    )

    assert list(display.axes_) == list(axes) and display.figure_ is figure
    teacher = pipeline[-1].teacher_predict_proba(pipeline[:-1].transform(X_test))[:, 1]
    assert display.roc_auc["teacher"] == pytest.approx(roc_auc_score(y_test, teacher))
    assert display.roc_auc["student"] == pytest.approx(
        roc_auc_score(y_test, pipeline.predict_proba(X_test)[:, 1])
    )
    assert display.axes_[1].get_xlabel() == "teacher's probability of pos"


def test_both_displays_take_an_imbalanced_learn_pipeline_with_a_sampler(split):
    # A sampler has no transform: both raised AttributeError on such a pipeline.
    from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
    from imblearn.under_sampling import RandomUnderSampler

    X_train, X_test, y_train, y_test = split
    pipeline = make_imblearn_pipeline(
        StandardScaler(), RandomUnderSampler(random_state=0),
        DistilledClassifier(random_state=0, **VALIDATED),
    ).fit(X_train, y_train)

    curves = TrainingCurvesDisplay.from_estimator(pipeline)
    display = TeacherStudentDisplay.from_estimator(pipeline, X_test, y_test)

    np.testing.assert_array_equal(
        curves.loss["student"], _history_values(pipeline[-1], "student_loss")
    )
    teacher = pipeline[-1].teacher_predict_proba(pipeline[0].transform(X_test))[:, 1]
    assert display.roc_auc["teacher"] == pytest.approx(roc_auc_score(y_test, teacher))
    assert display.roc_auc["student"] == pytest.approx(
        roc_auc_score(y_test, pipeline.predict_proba(X_test)[:, 1])
    )


def test_teacher_student_display_needs_two_classes_and_a_teacher():
    X, y = make_classification(n_samples=150, n_classes=3, n_informative=4, random_state=0)
    multiclass = DistilledClassifier(random_state=0, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="needs two classes; the classifier has 3"):
        TeacherStudentDisplay.from_estimator(multiclass, X, y)
    alone = DistilledClassifier(alpha=0, random_state=0, **FAST).fit(X, y % 2)
    with pytest.raises(ValueError, match="No teacher was trained"):
        TeacherStudentDisplay.from_estimator(alone, X, y % 2)


def test_from_predictions_checks_lengths():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        TeacherStudentDisplay.from_predictions([0, 1, 1], [0.2, 0.7, 0.9], [0.1, 0.8])


def test_teacher_student_display_takes_scikit_learns_display_keywords(validated_fit, split):
    # pos_label, name, sample_weight and drop_intermediate failed: "multiple values for
    # keyword argument 'pos_label'", or matplotlib's "unexpected keyword argument"
    _, X_test, _, y_test = split
    weight = np.random.default_rng(0).uniform(0.1, 2.0, len(y_test))
    display = TeacherStudentDisplay.from_estimator(
        validated_fit, X_test, y_test, sample_weight=weight, drop_intermediate=False,
        pos_label=0, name="model A",
    )
    for role, proba in {"teacher": validated_fit.teacher_predict_proba(X_test)[:, 0],
                        "student": validated_fit.predict_proba(X_test)[:, 0]}.items():
        fpr, tpr, _ = roc_curve(y_test, proba, pos_label=0, sample_weight=weight,
                                drop_intermediate=False)
        np.testing.assert_array_equal(display.lines_[role].get_xdata(), fpr)
        np.testing.assert_array_equal(display.lines_[role].get_ydata(), tpr)
        assert display.roc_auc[role] == pytest.approx(
            roc_auc_score(y_test == 0, proba, sample_weight=weight))
        assert display.lines_[role].get_label().startswith(f"model A {role} (AUC = ")
    assert display.pos_label == 0
    agree = ((validated_fit.teacher_predict_proba(X_test)[:, 1] > 0.5)
             == (validated_fit.predict_proba(X_test)[:, 1] > 0.5))
    assert display.agreement == pytest.approx(np.average(agree, weights=weight))
    with pytest.raises(ValueError, match=r"pos_label=7 is not one of the classifier's classes_"):
        TeacherStudentDisplay.from_estimator(validated_fit, X_test, y_test, pos_label=7)


def test_training_curves_put_the_models_name_before_each_curve(validated_fit):
    display = TrainingCurvesDisplay.from_estimator(validated_fit, name="model A")
    assert display.lines_["teacher_loss"].get_label() == "model A teacher"
    assert display.best_lines_[0].get_label().startswith("model A student kept (meta-epoch ")
    assert display.plot(name="B").lines_["student_valid_auc"].get_label() == "B student"


@pytest.mark.parametrize("missing", [np.nan, None])
def test_missing_labels_are_named_as_missing(validated_fit, split, missing):
    # reported as a third class: "got 3: [0.0, 1.0, nan]"
    _, X_test, _, y_test = split
    y = np.array(y_test, dtype=object)
    y[0] = missing
    with pytest.raises(ValueError, match=r"^y_true holds missing values .* at 1 sample"):
        TeacherStudentDisplay.from_predictions(y, np.full(len(y), 0.5), np.full(len(y), 0.5))
    with pytest.raises(ValueError, match=r"^y holds missing values .* at 1 sample"):
        TeacherStudentDisplay.from_estimator(validated_fit, X_test, y)


def test_training_curves_leave_a_gap_where_a_record_lacks_the_field(imbalanced_arrays):
    # a warm fit that turns early stopping on has validation scores from its own
    # meta-epochs only: the earlier ones are gaps (NaN), not scores of 0
    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, random_state=0).fit(X, y)
    clf.set_params(warm_start=True, early_stopping=True, validation_fraction=0.25,
                   n_iter_no_change=100, meta_epochs=2)
    with pytest.warns(ConvergenceWarning, match="meta_epochs=2 ran out"):
        clf.fit(X, y)
    values = TrainingCurvesDisplay.from_estimator(clf).lines_["student_valid_auc"].get_ydata()
    assert np.isnan(values[:3]).all() and not np.isnan(values[3:]).any()
