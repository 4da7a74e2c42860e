"""Plots of a fitted DistilledClassifier, in scikit-learn's Display style.

A display holds the data of a figure, computed once by ``from_estimator``
(or ``from_predictions``), and draws it with ``plot``, which may be called
again on other axes without computing anything. ``plot`` stores what it
drew: the figure in ``figure_``, one Axes per panel in ``axes_`` (the
attribute scikit-learn's multi-panel displays use) and the curves in
``lines_``, so that they can be restyled afterwards.

matplotlib is optional: ``pip install "skdistill[plot]"``.
"""

import numbers

import numpy as np
import pandas as pd
from sklearn.metrics import auc, roc_curve
from sklearn.utils import check_consistent_length, column_or_1d
from sklearn.utils.validation import _check_sample_weight

from ._optional import import_optional
from ._unwrap import fitted_classifier
from ._validation import check_one_column

__all__ = ["TeacherStudentDisplay", "TrainingCurvesDisplay"]

#: The nets, in the order they are drawn.
ROLES = ("teacher", "student")


def _matplotlib(module):
    """Import a matplotlib module, or say that the ``plot`` extra installs it."""
    return import_optional(module, "plot", "skdistill.plotting")


def _panel_axes(ax, panels):
    """One Axes per panel: new ones side by side, or the ones given, checked.

    Parameters
    ----------
    ax : matplotlib Axes, array-like of Axes or None
    panels : list of str
        Names of the panels, for the messages.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (len(panels),)
    """
    pyplot = _matplotlib("matplotlib.pyplot")
    if ax is None:
        _, axes = pyplot.subplots(
            1, len(panels), figsize=(5 * len(panels), 4), squeeze=False, layout="constrained"
        )
        return axes[0]
    if isinstance(ax, pyplot.Axes):
        axes = np.array([ax], dtype=object)
    else:
        axes = np.asarray(ax, dtype=object).ravel()
    if len(axes) != len(panels):
        raise ValueError(
            f"ax must hold one Axes per panel ({', '.join(panels)}): {len(panels)}; "
            f"got {len(axes)}."
        )
    for axis in axes:
        if not isinstance(axis, pyplot.Axes):
            raise TypeError(f"ax must hold matplotlib Axes; got {type(axis).__name__}.")
    return axes


#: How far past [0, 1] a probability may round (float32's resolution is about 1e-7).
_ROUNDING = 1e-6


def _positive_probabilities(proba, name):
    """``proba`` as a 1-D float array of probabilities, or an error naming ``name``."""
    proba = np.asarray(proba, dtype=float)
    check_one_column(proba, name, "probability")
    proba = column_or_1d(proba)
    # a mean of probabilities may round a step past 0 or 1 (1.0000000000000002)
    if not (np.all(proba >= -_ROUNDING) and np.all(proba <= 1 + _ROUNDING)):
        found = "NaN" if np.isnan(proba).all() else (
            f"values from {float(np.nanmin(proba))!r} to {float(np.nanmax(proba))!r}"
            + (" and NaN" if np.isnan(proba).any() else "")
        )
        raise ValueError(
            f"{name} must hold probabilities in [0, 1]; got {found}. Give "
            "predict_proba(X)[:, 1], not decision_function(X)."
        )
    return proba


def _check_two_classes(y_true, pos_label, name="y_true"):
    """Refuse labels that are missing or not two classes, or a ``pos_label`` not
    among them: the ROC curves would be undefined. ``name`` is the caller's
    name of the labels."""
    missing = np.asarray(pd.isna(y_true))
    if missing.any():
        raise ValueError(
            f"{name} holds missing values (NaN, None or pd.NA) at {int(missing.sum())} "
            "sample(s); every sample needs its label to draw ROC curves."
        )
    classes = np.unique(y_true)
    if len(classes) != 2:
        raise ValueError(
            f"{name} must hold two classes to draw ROC curves; got {len(classes)}: "
            f"{classes.tolist()[:10]}."
        )
    if pos_label is not None and pos_label not in classes.tolist():
        raise ValueError(
            f"pos_label={pos_label!r} is not one of y_true's classes {classes.tolist()}."
        )


def _curve_label(name, role):
    """The legend's name of a role's curve, after the model's ``name`` if any."""
    return role if name is None else f"{name} {role}"


def _line_kwargs(kwargs):
    """matplotlib's ``plot`` keywords with aliases (c, ls) spelt out, refusing
    ``label``, which would give every curve the same legend entry."""
    kwargs = _matplotlib("matplotlib.cbook").normalize_kwargs(
        kwargs, _matplotlib("matplotlib.lines").Line2D)
    if "label" in kwargs:
        raise TypeError(
            f"label={kwargs['label']!r} would set the legend entry of the teacher's and "
            "the student's curves alike; pass name= to name the model in the legend."
        )
    return kwargs


def _history_field(history, field):
    """The values of ``field`` per meta-epoch (NaN where a record lacks it), or
    None when no record has it."""
    if not any(field in record for record in history):
        return None
    return np.array([record.get(field, np.nan) for record in history], dtype=float)


def _check_curves(meta_epoch, panels, best_meta_epoch):
    """A ValueError or TypeError where a curve of ``panels`` (field to role to
    values) is not one value per meta-epoch, or ``best_meta_epoch`` is neither
    None nor one of the meta-epochs (a string was drawn as a category at x=0,
    a number beyond them stretched the axis)."""
    meta_epoch = np.asarray(meta_epoch)
    for field, curves in panels.items():
        for role, values in curves.items():
            if role not in ROLES:
                raise ValueError(f"{field} holds a curve of {role!r}; its keys are roles, "
                                 f"{' and '.join(map(repr, ROLES))}.")
            if np.ndim(values) != 1 or len(values) != len(meta_epoch):
                raise ValueError(f"{field}[{role!r}] holds {np.size(values)} value(s) for "
                                 f"{len(meta_epoch)} meta-epochs; give one per meta-epoch.")
    if best_meta_epoch is None:
        return
    if isinstance(best_meta_epoch, (bool, np.bool_)) or not isinstance(
            best_meta_epoch, numbers.Integral):
        raise TypeError(f"best_meta_epoch must be an int or None; got {best_meta_epoch!r}.")
    if best_meta_epoch not in meta_epoch.tolist():
        plotted = f"{meta_epoch.min()} to {meta_epoch.max()}" if len(meta_epoch) else "none"
        raise ValueError(f"best_meta_epoch={best_meta_epoch} is none of the meta-epochs "
                         f"plotted ({plotted}).")


#: The ``gid`` of the diagonal :func:`_diagonal` draws.
_DIAGONAL = "skdistill-diagonal"


def _diagonal(axis, **kwargs):
    """Draw the grey dashed line from (0, 0) to (1, 1) on ``axis``, once: a model
    drawn next on the same axes adds none."""
    if not any(line.get_gid() == _DIAGONAL for line in axis.lines):
        axis.plot([0, 1], [0, 1], linestyle="--", color="grey", gid=_DIAGONAL, **kwargs)


def _next_style(axis):
    """The style ``axis`` gives its next line (colour, line style and width,
    alpha), taken from its cycle."""
    (probe,) = axis.plot([], [])
    style = {"color": probe.get_color(), "linestyle": probe.get_linestyle(),
             "linewidth": probe.get_linewidth(), "alpha": probe.get_alpha()}
    probe.remove()
    return style


class TrainingCurvesDisplay:
    """Training loss and validation ROC AUC of teacher and student per meta-epoch.

    Create it with :meth:`from_estimator`; the constructor only stores the
    data. The first panel shows the mean training loss of each net, the
    second, when the fit held out a validation part (early stopping), each
    net's ROC AUC on it; a dashed line on each marks the meta-epoch whose
    student the fit kept (the teacher nets are kept from their own best
    meta-epochs, not marked). Each net has one colour in every panel.

    Parameters
    ----------
    meta_epoch : array-like of shape (n_meta_epochs,)
        The meta-epochs, from 1.
    loss : dict of str to array-like of shape (n_meta_epochs,)
        Training loss per role (``"teacher"``, ``"student"``); NaN where a
        net had no round (``schedule="sequential"``).
    valid_auc : dict of str to array-like of shape (n_meta_epochs,) or None, \
            default=None
        Validation ROC AUC per role; None or empty when the fit held out no
        validation part.
    best_meta_epoch : int or None, default=None
        The meta-epoch whose student the fit kept (``best_meta_epoch_``),
        marked on every panel; None marks none.
    name : str or None, default=None
        The model's name, put before each curve's name in the legend (to
        tell models apart on shared axes); None puts none.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes of shape (n_panels,)
        The loss panel, then the ROC AUC panel when there is one.
    lines_ : dict of str to matplotlib Line2D
        The curves, keyed by the ``history_`` field they show:
        ``"teacher_loss"``, ``"student_loss"``, ``"teacher_valid_auc"``,
        ``"student_valid_auc"`` (those present).
    best_lines_ : list of matplotlib Line2D
        The marks of ``best_meta_epoch``, one per panel (empty without it).
    figure_ : matplotlib Figure
        The figure of the axes.

    See Also
    --------
    TeacherStudentDisplay : Teacher and student on test data.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_classification
    >>> from skdistill import DistilledClassifier, TrainingCurvesDisplay
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> clf = DistilledClassifier(meta_epochs=3, early_stopping=True,
    ...                           validation_fraction=0.2, random_state=0).fit(X, y)
    >>> display = TrainingCurvesDisplay.from_estimator(clf)
    >>> sorted(display.lines_)
    ['student_loss', 'student_valid_auc', 'teacher_loss', 'teacher_valid_auc']
    """

    def __init__(self, meta_epoch, loss, valid_auc=None, best_meta_epoch=None, name=None):
        self.meta_epoch = meta_epoch
        self.loss = loss
        self.valid_auc = valid_auc
        self.best_meta_epoch = best_meta_epoch
        self.name = name

    @classmethod
    def from_estimator(cls, estimator, *, name=None, ax=None, **kwargs):
        """Read the curves from ``history_`` of a fitted classifier and plot them.

        Parameters
        ----------
        estimator : DistilledClassifier or sklearn.pipeline.Pipeline
            A fitted classifier, or a fitted Pipeline whose last step is one.
        name : str or None, default=None
            The model's name in the legend, before each curve's.
        ax : matplotlib Axes, array-like of Axes or None, default=None
            One Axes per panel (see :meth:`plot`); None creates a figure.
        **kwargs
            Passed to matplotlib's ``plot`` for every curve; not ``label``
            (``name`` names the model in the legend).

        Returns
        -------
        display : TrainingCurvesDisplay

        Raises
        ------
        TypeError
            If ``estimator`` is neither, or ``kwargs`` holds ``label``.
        sklearn.exceptions.NotFittedError
            If the classifier is not fitted.
        """
        classifier, _ = fitted_classifier(estimator, "TrainingCurvesDisplay.from_estimator")
        history = classifier.history_
        curves = {
            name: {
                role: values for role in ROLES
                if (values := _history_field(history, f"{role}_{name}")) is not None
            }
            for name in ("loss", "valid_auc")
        }
        meta_epoch = np.array([record["meta_epoch"] for record in history])
        # absent from models loaded from files written before it existed
        best = getattr(classifier, "best_meta_epoch_", None)
        return cls(meta_epoch, curves["loss"], curves["valid_auc"], best, name).plot(
            ax=ax, **kwargs)

    def plot(self, ax=None, *, name=None, **kwargs):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, array-like of Axes or None, default=None
            One Axes per panel: the loss panel and, when there are
            validation scores, the ROC AUC panel (a single Axes is enough
            for one panel). None creates a figure with the panels side by
            side.
        name : str or None, default=None
            The model's name in the legend; None keeps the display's ``name``.
        **kwargs
            Passed to matplotlib's ``plot`` for every curve; not ``label``
            (``name`` names the model in the legend).

        Returns
        -------
        display : TrainingCurvesDisplay
            This display, with ``axes_``, ``lines_``, ``best_lines_`` and ``figure_``
            set.

        Raises
        ------
        TypeError
            If ``kwargs`` holds ``label``, or ``best_meta_epoch`` is neither an
            int nor None.
        ValueError
            If a curve does not hold one value per meta-epoch, or
            ``best_meta_epoch`` is none of the meta-epochs.
        """
        panels = {"loss": ("training loss", self.loss)}
        if self.valid_auc:
            panels["valid_auc"] = ("validation ROC AUC", self.valid_auc)
        _check_curves(self.meta_epoch, {field: curves for field, (_, curves) in panels.items()},
                      self.best_meta_epoch)
        name = self.name if name is None else name
        # aliases (c, ls) would clash with the style's names
        kwargs = _line_kwargs(kwargs)
        axes = _panel_axes(ax, list(panels))
        ticker = _matplotlib("matplotlib.ticker")
        # from the first panel's property cycle, one style per role whether or not it
        # has a curve there (a scikit-learn teacher has no loss): the panels agree,
        # and a model plotted next on the same axes takes the next styles
        styles = {role: _next_style(axes[0]) for role in ROLES}
        lines, best_lines = {}, []
        for axis, (field, (label, curves)) in zip(axes, panels.items()):
            for role, values in curves.items():
                (lines[f"{role}_{field}"],) = axis.plot(
                    self.meta_epoch, values,
                    **{"marker": "o", "label": _curve_label(name, role),
                       **styles[role], **kwargs},
                )
            if self.best_meta_epoch is not None:
                best_lines.append(axis.axvline(
                    self.best_meta_epoch, color="grey", linestyle="--", linewidth=1,
                    label=_curve_label(
                        name, f"student kept (meta-epoch {self.best_meta_epoch})"),
                ))
            # min_n_ticks=1: one meta-epoch's axis was ticked 0.990, 1.005, ...
            axis.xaxis.set_major_locator(ticker.MaxNLocator(integer=True, min_n_ticks=1))
            axis.set_xlabel("meta-epoch")
            axis.set_ylabel(label)
            axis.legend()
        self.axes_, self.lines_, self.figure_ = axes, lines, axes[0].figure
        self.best_lines_ = best_lines
        return self


class TeacherStudentDisplay:
    """Teacher and student side by side on test data (two classes).

    The first panel shows the ROC curves of both, the second the student's
    probability of the positive class against the teacher's, one point per
    sample, the fraction of samples on which both predict the same class
    (their agreement) in its legend. Create it with :meth:`from_estimator` or
    :meth:`from_predictions`; the constructor only stores the data.

    Parameters
    ----------
    fpr : dict of str to ndarray
        False positive rates of the ROC curve, for ``"teacher"`` and
        ``"student"``.
    tpr : dict of str to ndarray
        True positive rates, likewise.
    roc_auc : dict of str to float
        Area under each ROC curve.
    teacher_proba : ndarray of shape (n_samples,)
        The teacher's probability of the positive class.
    student_proba : ndarray of shape (n_samples,)
        The student's probability of the positive class.
    agreement : float
        Fraction of samples on which teacher and student predict the same
        class (probability above 0.5 or not).
    pos_label : int, float, bool, str or None, default=None
        The positive class, for the axis labels.
    name : str or None, default=None
        The model's name, put before "teacher" and "student" in the legend
        (to tell models apart on shared axes); None puts none.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes of shape (2,)
        The ROC panel and the probability panel.
    lines_ : dict of str to matplotlib Line2D
        The ROC curves, keyed ``"teacher"`` and ``"student"``.
    scatter_ : matplotlib PathCollection
        The points of the probability panel.
    figure_ : matplotlib Figure
        The figure of the axes.

    See Also
    --------
    TrainingCurvesDisplay : Loss and validation ROC AUC per meta-epoch.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_classification
    >>> from skdistill import DistilledClassifier, TeacherStudentDisplay
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> clf = DistilledClassifier(meta_epochs=3, random_state=0).fit(X[:200], y[:200])
    >>> display = TeacherStudentDisplay.from_estimator(clf, X[200:], y[200:])
    >>> sorted(display.roc_auc)
    ['student', 'teacher']
    """

    def __init__(self, fpr, tpr, roc_auc, teacher_proba, student_proba, agreement,
                 pos_label=None, name=None):
        self.fpr = fpr
        self.tpr = tpr
        self.roc_auc = roc_auc
        self.teacher_proba = teacher_proba
        self.student_proba = student_proba
        self.agreement = agreement
        self.pos_label = pos_label
        self.name = name

    @classmethod
    def from_estimator(cls, estimator, X, y, *, sample_weight=None, drop_intermediate=True,
                       pos_label=None, name=None, ax=None, **kwargs):
        """Score teacher and student of a fitted classifier on ``X``, ``y`` and plot.

        Parameters
        ----------
        estimator : DistilledClassifier or sklearn.pipeline.Pipeline
            A fitted classifier of two classes that trained a teacher, or a
            fitted Pipeline whose last step is one; the teacher then sees
            ``X`` transformed by the steps before it.
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Test input, as ``estimator.predict_proba`` takes it.
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,) or None, default=None
            Weights of the samples in the ROC curves and the agreement.
        drop_intermediate : bool, default=True
            Leave out the thresholds that would not show on the ROC curves
            (:func:`sklearn.metrics.roc_curve`).
        pos_label : int, float, bool, str or None, default=None
            The positive class, one of the classifier's ``classes_``; None is
            ``classes_[1]``.
        name : str or None, default=None
            The model's name in the legend, before "teacher" and "student".
        ax : matplotlib Axes, array-like of Axes or None, default=None
            Two Axes (see :meth:`plot`); None creates a figure.
        **kwargs
            Passed to matplotlib's ``plot`` for both ROC curves; not ``label``
            (``name`` names the model in the legend).

        Returns
        -------
        display : TeacherStudentDisplay

        Raises
        ------
        TypeError
            If ``estimator`` is neither, or ``kwargs`` holds ``label``.
        sklearn.exceptions.NotFittedError
            If the classifier is not fitted.
        ValueError
            If the classifier has more than two classes or trained no
            teacher (``alpha=0``), if ``y`` does not hold two of its classes,
            or if ``pos_label`` is not one of them.
        """
        classifier, preprocess = fitted_classifier(
            estimator, "TeacherStudentDisplay.from_estimator"
        )
        if len(classifier.classes_) != 2:
            raise ValueError(
                "TeacherStudentDisplay compares the probability of one positive class: it "
                f"needs two classes; the classifier has {len(classifier.classes_)}."
            )
        classes = classifier.classes_.tolist()
        y = column_or_1d(y)
        _check_two_classes(y, None, "y")
        unknown = set(y.tolist()) - set(classes)
        if unknown:
            raise ValueError(
                f"y holds labels the classifier was not fitted on: "
                f"{sorted(unknown, key=str)[:5]}; its classes_ are {classes}."
            )
        if pos_label is None:
            pos_label = classes[1]
        elif pos_label not in classes:
            raise ValueError(f"pos_label={pos_label!r} is not one of the classifier's "
                             f"classes_ {classes}.")
        column = classes.index(pos_label)
        X = preprocess(X)  # once, for both nets
        return cls.from_predictions(
            y, classifier.teacher_predict_proba(X)[:, column],
            classifier.predict_proba(X)[:, column], sample_weight=sample_weight,
            drop_intermediate=drop_intermediate, pos_label=classifier.classes_[column],
            name=name, ax=ax, **kwargs,
        )

    @classmethod
    def from_predictions(cls, y_true, teacher_proba, student_proba, *, sample_weight=None,
                         drop_intermediate=True, pos_label=None, name=None, ax=None,
                         **kwargs):
        """Compare the teacher's and the student's probabilities and plot.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True labels of two classes.
        teacher_proba : array-like of shape (n_samples,)
            The teacher's probability of the positive class.
        student_proba : array-like of shape (n_samples,)
            The student's probability of the positive class.
        sample_weight : array-like of shape (n_samples,) or None, default=None
            Weights of the samples in the ROC curves and the agreement.
        drop_intermediate : bool, default=True
            Leave out the thresholds that would not show on the ROC curves
            (:func:`sklearn.metrics.roc_curve`).
        pos_label : int, float, bool, str or None, default=None
            The positive class; None follows :func:`sklearn.metrics.roc_curve`
            (1 for labels {0, 1} or {-1, 1}).
        name : str or None, default=None
            The model's name in the legend, before "teacher" and "student".
        ax : matplotlib Axes, array-like of Axes or None, default=None
            Two Axes (see :meth:`plot`); None creates a figure.
        **kwargs
            Passed to matplotlib's ``plot`` for both ROC curves; not ``label``
            (``name`` names the model in the legend).

        Returns
        -------
        display : TeacherStudentDisplay

        Raises
        ------
        TypeError
            If ``kwargs`` holds ``label``.
        ValueError
            If the arrays differ in length or are not 1-D, if a probability is
            outside [0, 1], if ``y_true`` does not hold two classes (or misses
            labels), if ``pos_label`` is not one of them, or if a weight is
            negative or not finite.
        """
        probabilities = {
            "teacher": _positive_probabilities(teacher_proba, "teacher_proba"),
            "student": _positive_probabilities(student_proba, "student_proba"),
        }
        y_true = column_or_1d(y_true)
        check_consistent_length(y_true, *probabilities.values())
        _check_two_classes(y_true, pos_label)
        weight = _check_sample_weight(sample_weight, y_true, ensure_non_negative=True)
        fpr, tpr, roc_auc = {}, {}, {}
        for role, proba in probabilities.items():
            fpr[role], tpr[role], _ = roc_curve(
                y_true, proba, pos_label=pos_label, sample_weight=sample_weight,
                drop_intermediate=drop_intermediate,
            )
            roc_auc[role] = float(auc(fpr[role], tpr[role]))
        agreement = float(np.average(
            (probabilities["teacher"] > 0.5) == (probabilities["student"] > 0.5), weights=weight
        ))
        return cls(
            fpr, tpr, roc_auc, probabilities["teacher"], probabilities["student"], agreement,
            pos_label, name,
        ).plot(ax=ax, **kwargs)

    def plot(self, ax=None, *, name=None, **kwargs):
        """Draw the ROC curves and the probabilities of teacher and student.

        Parameters
        ----------
        ax : array-like of two matplotlib Axes or None, default=None
            The Axes of the ROC panel and of the probability panel; None
            creates a figure with both side by side.
        name : str or None, default=None
            The model's name in the legend; None keeps the display's ``name``.
        **kwargs
            Passed to matplotlib's ``plot`` for both ROC curves; not ``label``
            (``name`` names the model in the legend).

        Returns
        -------
        display : TeacherStudentDisplay
            This display, with ``axes_``, ``lines_``, ``scatter_`` and
            ``figure_`` set.

        Raises
        ------
        TypeError
            If ``kwargs`` holds ``label``.
        """
        name = self.name if name is None else name
        kwargs = _line_kwargs(kwargs)
        roc_axis, proba_axis = axes = _panel_axes(ax, ["ROC curves", "probabilities"])
        positive = "" if self.pos_label is None else f" of {self.pos_label}"
        lines = {}
        for role in ROLES:
            label = f"{_curve_label(name, role)} (AUC = {self.roc_auc[role]:.3f})"
            (lines[role],) = roc_axis.plot(
                self.fpr[role], self.tpr[role], label=label, **kwargs
            )
        _diagonal(roc_axis, label="chance")
        roc_axis.set_xlabel("false positive rate")
        roc_axis.set_ylabel("true positive rate")
        roc_axis.set_aspect("equal")
        roc_axis.legend(loc="lower right")
        # the agreement in the legend, not a title: a model drawn next on the same
        # axes would replace a title; its points take the colour of its student
        scatter = proba_axis.scatter(
            self.teacher_proba, self.student_proba, s=8, alpha=0.5,
            color=lines["student"].get_color(),
            label=_curve_label(name, f"agreement {self.agreement:.1%}"),
        )
        _diagonal(proba_axis)
        proba_axis.set_xlabel(f"teacher's probability{positive}")
        proba_axis.set_ylabel(f"student's probability{positive}")
        proba_axis.set_aspect("equal")
        proba_axis.legend(loc="upper left")
        self.axes_, self.lines_, self.scatter_ = axes, lines, scatter
        self.figure_ = roc_axis.figure
        return self
