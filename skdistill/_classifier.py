"""DistilledClassifier: online teacher/student distillation as a classifier."""

from numbers import Integral, Real

import numpy as np
import torch
from scipy.special import expit, softmax
from skorch import NeuralNet
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn
from tqdm.auto import tqdm

from ._layout import find_layout
from ._nets import (
    DEFAULT_STUDENT,
    DEFAULT_TEACHER,
    StudentCriterion,
    TensorData,
    build_net,
    last_epoch_loss,
    needs_sequence_shape,
    predict_logits,
)
from ._teachers import EstimatorTeacher, NetTeacher, TeacherEnsemble
from .fusion import FUSION_RULES
from .losses import DISTILLATION_LOSSES, DistillationLoss, make_true_label_loss

__all__ = ["DistilledClassifier"]

_NET_SPECS = [None, type, nn.Module, NeuralNet]
_ESTIMATOR_SPEC = HasMethods(["fit", "predict_proba"])


def _input_for_estimators(X_given, X_validated):
    """What scikit-learn teachers see: a DataFrame as given (for its column
    names), anything else as validated."""
    return X_given if hasattr(X_given, "iloc") else X_validated


def _is_net_spec(spec):
    return spec is None or isinstance(spec, (nn.Module, NeuralNet)) or (
        isinstance(spec, type) and issubclass(spec, nn.Module)
    )


def _check_teacher_spec(spec, where):
    if _is_net_spec(spec):
        return
    if isinstance(spec, type) or not _ESTIMATOR_SPEC.is_satisfied_by(spec):
        raise TypeError(
            f"{where} must be None, a torch.nn.Module subclass or instance, a skorch "
            "NeuralNet, or a scikit-learn classifier with fit and predict_proba "
            f"(a FrozenEstimator for an already fitted one); got {spec!r}."
        )


def resolve_device(device):
    """Return the torch device for ``device`` ("auto", "cpu", "cuda:0", ...)."""
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"device={device!r} is not a torch device: {error}") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was asked for, but torch sees no CUDA GPU.")
    return resolved


def _roc_auc(y, logits):
    if logits.ndim == 1:
        return roc_auc_score(y, logits)
    return roc_auc_score(y, softmax(logits, axis=1), multi_class="ovr")


def _probabilities(logits):
    logits = logits.astype(np.float64)
    if logits.ndim == 1:
        positive = expit(logits)
        return np.column_stack([1.0 - positive, positive])
    return softmax(logits, axis=1)


class DistilledClassifier(ClassifierMixin, BaseEstimator):
    """Classifier whose small student network is distilled from one or more teachers.

    A teacher and a student skorch net are trained together in meta-epochs:
    each meta-epoch trains the teacher on the true labels for
    ``teacher_epochs``, computes its predictions for the training set once
    (eval mode, no gradient), then trains the student for ``student_epochs``
    on the convex loss::

        alpha * teacher term + (1 - alpha) * true-label term

    where in every shuffled student batch a ``beta`` part keeps its true labels
    (true-label term) and the rest is labelled by the teacher (teacher term).
    Predictions are the student's. The teacher can also be trained fully
    first (``schedule="sequential"``), be an already fitted model
    (``FrozenEstimator``), or be several teachers whose predictions are fused.

    Parameters
    ----------
    teacher : None, torch.nn.Module subclass or instance, skorch.NeuralNet, \
            scikit-learn classifier, or list of these, default=None
        The teacher. None is a built-in :class:`~skdistill.modules.MLP` with
        hidden layers (128, 64) and dropout 0.5. A module class or instance
        gets AdamW (lr 1e-3, weight decay 0.1). A skorch net keeps its own
        module, optimizer and learning rate, so nested parameters such as
        ``teacher__lr`` or ``teacher__module__hidden_units`` can be searched;
        its criterion, batch size, epochs, iterators and device are set by
        this estimator. Where the module class takes ``input_dim``,
        ``output_dim``, ``sequence_length`` or ``alphabet_size``, they are
        filled in from the data (see ``sequence_shape_``). A module returns one
        logit per sample for two classes, of shape (n,) or (n, 1), and one
        logit per class for more.
        A scikit-learn classifier with ``predict_proba`` is cloned and fitted
        once on ``X`` as given (``teacher_epochs`` does not apply); wrap an
        already fitted one in :class:`sklearn.frozen.FrozenEstimator` to use it
        as it is (offline distillation): it is never refitted, not even by
        ``GridSearchCV``, and its predictions are computed once per fit.
        A list gives several teachers, fused by ``teacher_fusion``.
    student : None, torch.nn.Module subclass or instance, or skorch.NeuralNet, \
            default=None
        The student, built like a teacher net. None is an
        :class:`~skdistill.modules.MLP` with one hidden layer of 16 units,
        about 9 times smaller than the default teacher on one-hot encoded
        sequence windows.
    alpha : float, default=0.5
        Weight in [0, 1] of the **teacher** term; ``1 - alpha`` weights the
        true-label term. (Some libraries weight the other way round.)
    beta : float, default=0.5
        Fraction in [0, 1] of each student batch that keeps its true labels;
        the rest is labelled by the teacher. An empty part contributes nothing.
    prior : float, default=0.0
        Class prior pi in [0, 1) of the PU risk: the fraction of positives
        hidden among the samples labelled negative (the unlabeled ones). 0
        trusts the negative labels; the risk is then the class-balanced sigmoid
        risk re-weighted to ``target_prior``, stable on fully labelled,
        imbalanced data. Set it only for positive-unlabeled data: on fully
        labelled data a positive prior makes the non-negative correction fight
        any good model.
    target_prior : float, default=0.5
        Prior pi' in (0, 1) the imbalanced PU risk is re-weighted to.
    meta_epochs : int, default=20
        Number of alternating teacher/student rounds.
    teacher_epochs : int, default=3
        Teacher epochs per meta-epoch.
    student_epochs : int, default=2
        Student epochs per meta-epoch.
    batch_size : int, default=128
        Training batch size of both nets.
    true_label_loss : {"auto", "pu", "bce"}, default="auto"
        Loss on true labels, for teacher and student alike. "pu" is the
        imbalanced non-negative PU risk (:class:`~skdistill.losses.ImbalancedNNPULoss`,
        two classes only); "bce" is (binary) cross-entropy; "auto" is "pu" for
        two classes and cross-entropy for more.
    distillation_loss : {"soft", "hard", "mse"}, default="soft"
        Teacher term: "soft" is per-sample cross-entropy against the teacher's
        probabilities at ``temperature``, scaled by ``temperature ** 2``;
        "hard" uses the teacher's predicted labels; "mse" compares logits.
    temperature : float, default=1.0
        Positive softening temperature of the "soft" teacher term.
    validation_fraction : float or None, default=None
        If a float in (0, 1), that stratified fraction of the training data is
        held out, and after every meta-epoch the teacher's and the student's
        ROC AUC on the training and held-out parts are stored in ``history_``.
    schedule : {"online", "sequential"}, default="online"
        "online" alternates teacher and student rounds (the teacher keeps
        learning while the student follows it). "sequential" trains the
        teachers for all ``meta_epochs`` rounds first, then the student for
        ``meta_epochs`` rounds against the final teachers (Hinton et al. 2015).
        Both train each net for the same number of epochs.
    teacher_fusion : {"mean_proba", "mean_logits", "vote"}, default="mean_proba"
        How the predictions of several teachers become the student's targets:
        the mean of their probabilities, the mean of their logits, or the
        majority vote (hard targets). See :func:`skdistill.fusion.fuse_teacher_logits`.
    teacher_weights : array-like of shape (n_teachers,) or None, default=None
        Non-negative weight of each teacher in the fusion; None weighs them
        equally.
    bootstrap : bool, default=False
        If True, every teacher trained here (a net or an unfitted scikit-learn
        classifier) sees its own bootstrap sample of the training data, which
        makes an ensemble of teachers diverse.
    device : str or torch.device, default="auto"
        "auto" is "cuda" when torch sees a GPU and "cpu" otherwise; or any
        torch device string.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, batch order and the validation
        split. An int gives identical results on CPU for identical inputs.
        The caller's global torch random state is left untouched.
    verbose : int, default=0
        0 is silent; 1 or more shows a progress bar over meta-epochs.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels. With two classes the positive class (the one the PU risk
        and ``predict_proba[:, 1]`` refer to) is ``classes_[1]``, the later one
        in sorted order: with labels "neg"/"pos" it is "pos", with 0/1 it is 1.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit; only defined for pandas input with
        string column names.
    prior_ : float
        The class prior used by the PU risk.
    device_ : torch.device
        Device the nets were trained on.
    teacher_ : skorch.NeuralNet, scikit-learn classifier or None
        The fitted teacher when ``teacher`` is not a list; None when
        ``alpha == 0`` or ``beta == 1``, where the teacher term is empty and
        the student is trained alone.
    teachers_ : list
        All fitted teachers, in the order given; empty when no teacher is used.
    sequence_shape_ : tuple of int or None
        ``(sequence_length, alphabet_size)`` filled into sequence modules,
        read from feature names such as ``pos3_K`` (pandas input) or else from
        the position-major one-hot layout of ``X``; None when no module asked
        for it.
    student_ : skorch.NeuralNet
        The fitted student, used for prediction.
    history_ : list of dict
        One dict per meta-epoch with ``meta_epoch``, ``teacher_loss`` and
        ``student_loss`` (mean training loss of the net's last epoch, averaged
        over teacher nets) and, with
        ``validation_fraction``, ``teacher_train_auc``, ``student_train_auc``,
        ``teacher_valid_auc`` and ``student_valid_auc``. Teacher entries are
        absent when no teacher net is trained. With ``schedule="sequential"``
        record ``i`` holds the teachers after their round ``i`` and the student
        after its round ``i``.

    See Also
    --------
    skdistill.losses.ImbalancedNNPULoss : The true-label risk.
    skdistill.losses.DistillationLoss : The student's loss.

    References
    ----------
    Hinton, Vinyals & Dean, "Distilling the Knowledge in a Neural Network", 2015.
    Kiryo et al., "Positive-Unlabeled Learning with Non-Negative Risk
    Estimator", NeurIPS 2017.
    Su, Chen & Xu, "Positive-Unlabeled Learning from Imbalanced Data", IJCAI 2021.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skdistill import DistilledClassifier
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> clf = DistilledClassifier(meta_epochs=3, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints = {
        "teacher": _NET_SPECS + [list, _ESTIMATOR_SPEC],
        "student": _NET_SPECS,
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "beta": [Interval(Real, 0, 1, closed="both")],
        "prior": [Interval(Real, 0, 1, closed="left")],
        "target_prior": [Interval(Real, 0, 1, closed="neither")],
        "meta_epochs": [Interval(Integral, 1, None, closed="left")],
        "teacher_epochs": [Interval(Integral, 1, None, closed="left")],
        "student_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "true_label_loss": [StrOptions({"auto", "pu", "bce"})],
        "distillation_loss": [StrOptions(set(DISTILLATION_LOSSES))],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "validation_fraction": [None, Interval(Real, 0, 1, closed="neither")],
        "schedule": [StrOptions({"online", "sequential"})],
        "teacher_fusion": [StrOptions(set(FUSION_RULES))],
        "teacher_weights": [None, "array-like"],
        "bootstrap": ["boolean"],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        teacher=None,
        student=None,
        alpha=0.5,
        beta=0.5,
        prior=0.0,
        target_prior=0.5,
        meta_epochs=20,
        teacher_epochs=3,
        student_epochs=2,
        batch_size=128,
        true_label_loss="auto",
        distillation_loss="soft",
        temperature=1.0,
        validation_fraction=None,
        schedule="online",
        teacher_fusion="mean_proba",
        teacher_weights=None,
        bootstrap=False,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.beta = beta
        self.prior = prior
        self.target_prior = target_prior
        self.meta_epochs = meta_epochs
        self.teacher_epochs = teacher_epochs
        self.student_epochs = student_epochs
        self.batch_size = batch_size
        self.true_label_loss = true_label_loss
        self.distillation_loss = distillation_loss
        self.temperature = temperature
        self.validation_fraction = validation_fraction
        self.schedule = schedule
        self.teacher_fusion = teacher_fusion
        self.teacher_weights = teacher_weights
        self.bootstrap = bootstrap
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_class = True
        return tags

    def fit(self, X, y):
        """Train the teachers and the student on ``X``, ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Numeric features: NumPy, pandas or scipy.sparse (densified one
            batch at a time). Scikit-learn teachers receive ``X`` as given.
        y : array-like of shape (n_samples,)
            Class labels of any type (ints, strings, bools).

        Returns
        -------
        self : DistilledClassifier
        """
        self._validate_params()
        X_given = X
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float32)
        X_raw = _input_for_estimators(X_given, X)
        check_classification_targets(y)
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                "DistilledClassifier needs samples of at least two classes; "
                f"y holds only one class: {self.classes_[0]!r}."
            )
        teacher_specs = self._teacher_specs()
        loss_name = self.true_label_loss
        if loss_name == "auto":
            loss_name = "pu" if n_classes == 2 else "bce"
        true_label_loss = make_true_label_loss(
            loss_name, n_classes, prior=self.prior, target_prior=self.target_prior
        )
        self.prior_ = float(self.prior)
        self.device_ = resolve_device(self.device)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))

        net_specs = [(self.student, DEFAULT_STUDENT)] + [
            (spec, DEFAULT_TEACHER) for spec in teacher_specs if _is_net_spec(spec)
        ]
        self._layout = None
        if any(needs_sequence_shape(spec, default) for spec, default in net_specs):
            self._layout = find_layout(X, getattr(self, "feature_names_in_", None))
        self.sequence_shape_ = None if self._layout is None else self._layout.shape
        X_nets = self._net_input(X)

        if self.validation_fraction is None:
            train_rows, valid_rows = slice(None), None
        else:
            train_rows, valid_rows = train_test_split(
                np.arange(X.shape[0]), test_size=self.validation_fraction,
                stratify=y_encoded, random_state=rng,
            )
        parts = {"train": self._part(X_raw, X_nets, y_encoded, train_rows)}
        if valid_rows is not None:
            parts["valid"] = self._part(X_raw, X_nets, y_encoded, valid_rows)
        n_train = len(parts["train"][2])
        common = {
            "batch_size": self.batch_size,
            "device": self.device_,
            "module_dims": self._module_dims(X_nets.shape[1], n_classes),
        }
        student_loss = DistillationLoss(
            self.alpha, true_label_loss, self.distillation_loss, self.temperature
        )
        self.student_ = build_net(
            self.student, DEFAULT_STUDENT,
            criterion=StudentCriterion(student_loss, self.beta),
            max_epochs=self.student_epochs, **common,
        )
        teachers = [
            self._make_teacher(spec, true_label_loss, common, n_train, rng)
            for spec in teacher_specs
        ]
        self._teacher_ensemble = ensemble = TeacherEnsemble(
            teachers, self.teacher_fusion, self.teacher_weights
        )
        self.teachers_ = [teacher.estimator for teacher in teachers]
        self.teacher_ = self.teachers_[0] if self.teachers_ and not isinstance(
            self.teacher, list
        ) else None

        cuda_devices = [self.device_.index or 0] if self.device_.type == "cuda" else []
        with torch.random.fork_rng(devices=cuda_devices):
            torch.manual_seed(seed)
            try:
                self.history_ = self._train(ensemble, parts)
            finally:
                ensemble.forget()
        return self

    def _teacher_specs(self):
        """The teachers to use, checked; none when the teacher term is empty."""
        specs = self.teacher if isinstance(self.teacher, list) else [self.teacher]
        if not specs:
            raise ValueError("teacher is an empty list; give at least one teacher.")
        for index, spec in enumerate(specs):
            _check_teacher_spec(spec, f"teacher[{index}]" if len(specs) > 1 else "teacher")
        if self.teacher_weights is not None:
            weights = np.asarray(self.teacher_weights, dtype=float)
            if weights.shape != (len(specs),) or np.any(weights < 0) or weights.sum() <= 0:
                raise ValueError(
                    f"teacher_weights must hold one non-negative weight per teacher "
                    f"({len(specs)}), not all zero; got {self.teacher_weights!r}."
                )
        if self.alpha == 0 or self.beta == 1:
            return []
        return specs

    def _module_dims(self, input_dim, n_classes):
        dims = {"input_dim": input_dim, "output_dim": 1 if n_classes == 2 else n_classes}
        if self._layout is not None:
            dims["sequence_length"], dims["alphabet_size"] = self._layout.shape
        return dims

    def _net_input(self, X):
        return X if self._layout is None else self._layout.transform(X)

    def _make_teacher(self, spec, true_label_loss, common, n_train, rng):
        sample = rng.randint(n_train, size=n_train) if self.bootstrap else None
        if not _is_net_spec(spec):
            estimator = spec if isinstance(spec, FrozenEstimator) else clone(spec)
            return EstimatorTeacher(estimator, self.classes_, sample)
        net = build_net(
            spec, DEFAULT_TEACHER, criterion=true_label_loss,
            max_epochs=self.teacher_epochs, **common,
        )
        return NetTeacher(net, sample)

    def _part(self, X_raw, X_nets, y_encoded, rows):
        """``(raw input, TensorData with targets, encoded labels)`` of some rows.

        ``rows`` is an index array, or ``slice(None)`` for all rows without a copy.
        """
        y_part = y_encoded[rows]
        dtype = torch.float32 if len(self.classes_) == 2 else torch.int64
        target = torch.as_tensor(y_part, dtype=dtype, device=self.device_)
        data = TensorData(X_nets[rows], target, device=self.device_)
        return _safe_indexing(X_raw, rows), data, y_part

    def _train(self, ensemble, parts):
        """Run the teacher and student rounds of ``schedule``; return the history."""
        X_raw, teacher_data, y_train = parts["train"]
        student_data = teacher_data.with_targets({"target": teacher_data.y})
        has_teachers = bool(ensemble.teachers)
        records = [{"meta_epoch": m} for m in range(1, self.meta_epochs + 1)]

        teacher_logits = {"fresh": False}

        def train_logits():
            if not teacher_logits["fresh"]:
                student_data.y["teacher_logits"] = ensemble.logits(teacher_data, X_raw, "train")
                teacher_logits["fresh"] = True
            return student_data.y["teacher_logits"]

        def teacher_round(record):
            loss = ensemble.train_round(teacher_data, X_raw, y_train)
            if loss is not None:
                record["teacher_loss"] = loss
            teacher_logits["fresh"] = False
            self._record_aucs(record, "teacher", parts, train_logits, ensemble.logits)

        def student_round(record):
            if has_teachers:
                train_logits()
            self.student_.partial_fit(student_data)
            record["student_loss"] = last_epoch_loss(self.student_, "student")
            self._record_aucs(
                record, "student", parts, None,
                lambda data, raw, part: predict_logits(self.student_, data),
            )

        progress = tqdm(
            total=self.meta_epochs * (2 if self.schedule == "sequential" else 1),
            desc="meta-epochs", disable=not self.verbose, leave=False,
        )
        teacher_steps = (teacher_round,) if has_teachers else ()
        if self.schedule == "online":
            rounds = [(record, (*teacher_steps, student_round)) for record in records]
        else:
            rounds = [(record, teacher_steps) for record in records]
            rounds += [(record, (student_round,)) for record in records]
        with progress:
            for record, steps in rounds:
                for step in steps:
                    step(record)
                progress.update()
                progress.set_postfix(
                    {k: round(v, 4) for k, v in record.items() if k != "meta_epoch"}
                )
        return records

    def _record_aucs(self, record, role, parts, train_logits, logits_of):
        """Add ``{role}_{part}_auc`` for every part when validating.

        ``train_logits`` (a callable or None) serves the training part's
        logits when they are at hand already.
        """
        if "valid" not in parts:
            return
        for part, (X_raw, data, y) in parts.items():
            if part == "train" and train_logits is not None:
                logits = train_logits()
            else:
                logits = logits_of(data, X_raw, part)
            record[f"{role}_{part}_auc"] = _roc_auc(y, logits.cpu().numpy())

    def decision_function(self, X):
        """Return the student's logits.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, the logit of ``classes_[1]``.
        """
        check_is_fitted(self)
        data, _ = self._inference_data(X)
        return predict_logits(self.student_, data, device="cpu").numpy()

    def _inference_data(self, X):
        """The nets' TensorData of ``X`` and what scikit-learn teachers see."""
        X_validated = validate_data(
            self, X, reset=False, accept_sparse="csr", dtype=np.float32
        )
        data = TensorData(self._net_input(X_validated), device=self.device_)
        return data, _input_for_estimators(X, X_validated)

    def predict_proba(self, X):
        """Return the student's class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return _probabilities(self.decision_function(X))

    def teacher_predict_proba(self, X):
        """Return the (fused) teachers' class probabilities, to compare with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        if not self.teachers_:
            raise ValueError(
                "No teacher was trained: with alpha=0 or beta=1 the teacher term is empty."
            )
        logits = self._teacher_ensemble.logits(*self._inference_data(X))
        return _probabilities(logits.cpu().numpy())

    def predict(self, X):
        """Return the student's predicted class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]
