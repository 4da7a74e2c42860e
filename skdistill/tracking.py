"""Experiment tracking: one MLflow, TensorBoard or W&B run per fit.

skorch's loggers log one net each, to a run of their own, and hold live
writers that cannot be cloned by ``GridSearchCV``. The trackers of this module hold settings only: every
``DistilledClassifier.fit`` opens one run per tracker, logs the parameters,
the teacher's and the student's metrics per meta-epoch and the fitted
model, and ends the run. Cloned, pickled or sent to a process pool, a
tracker stays a handful of strings, and each fit of a search logs its own run.

MLflow, TensorBoard and W&B are optional: ``pip install "skdistill[tracking]"``
installs all three (``[mlflow]``, ``[tensorboard]``, ``[wandb]`` one each).
"""

import copy
import importlib.util
import inspect
import os
from pathlib import Path
import re
import shutil
import tempfile
import time
import uuid
import warnings
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager
from datetime import datetime
from numbers import Integral, Real

from skorch import NeuralNet
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import StrOptions

from ._nets import WIRED_PARAMS
from ._optional import import_optional
from ._warnings import user_stacklevel, warn_interrupted

__all__ = ["MlflowTracker", "TensorBoardTracker", "Tracker", "WandbTracker"]

#: Longer parameter values (the repr of a module instance, say) are cut to this length.
MAX_PARAM_LENGTH = 500
#: MLflow's REST API takes at most this many parameters (or tags) in one request.
MLFLOW_PARAMS_PER_BATCH = 100
#: MLflow refuses longer parameter names, a file store names of more UTF-8 bytes.
MLFLOW_KEY_LENGTH = 250
#: A character MLflow refuses in a parameter name (it takes letters, digits and
#: _-. :/), or a slash: a file store makes a name with one a folder, which clashes
#: with a parameter of the name before it ("a" and "a/b").
_MLFLOW_REFUSED = re.compile(r"[^\w\-. :]")
#: A memory address in a repr (Python's default one, a function's, NumPy's
#: RandomState's): new at every run.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,}\b")
#: The MLflow tag that names a run's user, read when the run is created.
USER_TAG = "mlflow.user"
#: File name of the fitted estimator in every run, written by :func:`skdistill.save`.
MODEL_FILE = "model.skd"


def _loggable(value):
    """A parameter value every tracker takes: a scalar, a class name or a short repr.

    Memory addresses are left out of reprs (``<function f>``, ``<EpochTimer
    object>``): new at every run, they would make two runs of one estimator
    differ.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value)
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    text = _ADDRESS.sub("", repr(value))
    return text if len(text) <= MAX_PARAM_LENGTH else text[: MAX_PARAM_LENGTH - 3] + "..."


def _tracked_params(estimator):
    """The parameters of ``estimator`` (nested ones included) as loggable values.

    Parameters
    ----------
    estimator : DistilledClassifier

    Returns
    -------
    params : dict
        ``estimator.get_params(deep=True)`` without ``trackers`` and the
        trackers' own settings (``trackers__*``, ``teacher__trackers``, ...):
        they say where runs go, may hold credentials, and describe no model;
        nor the parameters of a net spec that every fit sets itself (its
        criterion, epochs, batch size, ...: ``student__max_epochs`` would not
        be the budget used), nor a skorch net's private ones
        (``_params_to_validate``, a set printed in another order by every
        process); numbers, strings, booleans and None as they
        are, classes by their qualified name, anything else by its repr (cut
        to 500 characters).

    Examples
    --------
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.modules import CNN
    >>> params = _tracked_params(DistilledClassifier(teacher=CNN, alpha=0.3))
    >>> params["alpha"], params["teacher"]
    (0.3, 'skdistill.modules.CNN')
    """
    params = estimator.get_params(deep=True)
    return {
        name: _loggable(value) for name, value in params.items()
        if "trackers" not in name.split("__") and not _set_by_every_fit(name, params)
        and not _private_to_a_net(name, params)
    }


def _set_by_every_fit(name, params):
    """Whether parameter ``name`` of ``params`` belongs to a net spec and is one
    that every fit sets itself (:data:`~skdistill._nets.WIRED_PARAMS`; not the
    settings of the iterators it builds, such as ``iterator_train__drop_last``,
    which it takes)."""
    role, _, net_param = name.partition("__")
    return isinstance(params.get(role), NeuralNet) and net_param in WIRED_PARAMS


def _private_to_a_net(name, params):
    """Whether parameter ``name`` of ``params`` is a skorch net's private one
    (``student___params_to_validate``)."""
    parts = name.split("__")
    return any(part.startswith("_") and isinstance(params.get("__".join(parts[:i])), NeuralNet)
               for i, part in enumerate(parts) if i)


def _metric_name(field):
    """The tracked name of a ``history_`` field: the role becomes a prefix.

    Examples
    --------
    >>> _metric_name("student_valid_auc"), _metric_name("teacher_loss")
    ('student/valid_auc', 'teacher/loss')
    """
    role, _, metric = field.partition("_")
    return f"{role}/{metric}" if role in ("teacher", "student") else field


def _write_model(estimator, folder):
    """Save the fitted ``estimator`` into ``folder``; return the file's path,
    or None, with a warning, where it cannot be saved.

    The file is written by :func:`skdistill.save` (no pickle) and read back by
    :func:`skdistill.load`. It keeps every parameter but ``trackers``: they
    say where a fit is logged, not what it learned, and, as every saved
    model, keeps network teachers only (a scikit-learn teacher is left out).
    A model ``save`` refuses (a module class defined in a function, say) or
    cannot write (a full disk) trains and is tracked all the same, without
    its file: a tracker must not cost the fit it logs.
    """
    # Imported here: persistence imports the classifier, which imports this module.
    from .persistence import UNTRUSTED_NAMES_WARNING, save

    snapshot = copy.copy(estimator).set_params(trackers=None)
    # scikit-learn >= 1.9 lends a meta-estimator's callback context to the
    # estimator it fits (GridSearchCV does), for the time of that fit only.
    vars(snapshot).pop("_parent_callback_ctx", None)
    path = os.path.join(folder, MODEL_FILE)
    try:
        with warnings.catch_warnings():
            # a file the user never sees: the warning would come at every tracked fit
            warnings.filterwarnings("ignore", message=UNTRUSTED_NAMES_WARNING)
            save(snapshot, path)
    except (TypeError, OSError) as error:
        warnings.warn(
            f"The fitted model is not logged, as skdistill.save cannot store it: {error} "
            "The runs keep its parameters and metrics, and the fit is kept.",
            UserWarning, stacklevel=user_stacklevel(),
        )
        return None
    return path


class Tracker(BaseEstimator, metaclass=ABCMeta):
    """Base class of the trackers: settings only, and a run per fit.

    A tracker is a parameter of :class:`~skdistill.DistilledClassifier`
    (``trackers=[...]``). It holds no live connection, so the estimator can
    be cloned, pickled and searched; every ``fit`` calls :meth:`start` once.
    Write a tracker for another service by subclassing this class and
    implementing :meth:`start`.
    """

    # Parameters without a constraint are not checked (for subclasses of users).
    _parameter_constraints: dict = {}

    @abstractmethod
    def start(self):
        """Open the run of one fit.

        Returns
        -------
        run : object
            With the methods ``log_params(params)`` (a dict of loggable
            values, called once), ``log_metrics(metrics, step)`` (a dict of
            floats named ``teacher/loss``, ``student/valid_auc``, ..., for
            meta-epoch ``step``, counted from 1), ``log_artifact(path)`` (the
            fitted estimator, saved by :func:`skdistill.save`; not called,
            with a warning, where ``save`` cannot store it) and
            ``end(failed)`` (called once, last; ``failed`` is True when the
            fit raised or the run failed). An error raised by ``start`` or
            ``log_params`` stops the fit before training; one raised later
            by a run's method ends that run (``end(True)``) with a warning,
            and the fit goes on.
        """


class MlflowTracker(Tracker):
    """Log every fit as one MLflow run.

    Metrics are logged per meta-epoch with the meta-epoch as step, the
    estimator's parameters as run parameters, and the fitted estimator as
    the artifact ``model.skd`` (:func:`skdistill.load` reads it). The run
    ends as ``FINISHED``, or ``FAILED`` when the fit raises.

    Parameters
    ----------
    tracking_uri : str, os.PathLike or None, default=None
        Where runs are stored: a tracking server (``"http://host:5000"``), a
        database (``"sqlite:///mlflow.db"``, which needs the full ``mlflow``
        package) or a folder (``"file:///path/mlruns"``, or a path-like
        object, which MLflow 3 accepts only with the environment variable
        ``MLFLOW_ALLOW_FILE_STORE=true``).
        None uses MLflow's default: the ``MLFLOW_TRACKING_URI`` environment
        variable if set, otherwise, in MLflow 3, ``sqlite:///mlflow.db``, which
        mlflow-skinny (the ``[mlflow]`` extra) cannot use: ``fit`` then
        raises a ``ValueError`` saying so before training.
    experiment_name : str or None, default=None
        Experiment the runs belong to; created when missing. None is the
        experiment the environment variable ``MLFLOW_EXPERIMENT_NAME`` names
        (or, without it, ``MLFLOW_EXPERIMENT_ID``), otherwise ``"Default"``
        (``mlflow.set_experiment`` in the process is not followed: a search's
        worker processes would not see it).
    run_name : str or None, default=None
        Name of every run; None lets MLflow pick one per run.
    tags : dict or None, default=None
        Tags of every run, by name (a str); values are logged as text.

    Examples
    --------
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.tracking import MlflowTracker
    >>> tracker = MlflowTracker("http://localhost:5000", experiment_name="crotonylation")
    >>> clf = DistilledClassifier(trackers=[tracker])
    """

    _parameter_constraints = {
        "tracking_uri": [None, str, os.PathLike],
        "experiment_name": [None, str],
        "run_name": [None, str],
        "tags": [None, dict],
    }

    def __init__(self, tracking_uri=None, experiment_name=None, run_name=None, tags=None):
        self.tracking_uri = tracking_uri
        self.experiment_name = experiment_name
        self.run_name = run_name
        self.tags = tags

    def start(self):
        """Create the run of one fit in the experiment.

        Returns
        -------
        run : object
            See :meth:`Tracker.start`.
        """
        return _MlflowRun(import_optional("mlflow", "mlflow", "MlflowTracker"), self)


def _check_mlflow_store(tracking_uri, mlflow):
    """Refuse a SQLite store where SQLAlchemy or Alembic is missing: mlflow-skinny
    (the ``[mlflow]`` extra) has neither, yet MLflow 3 defaults to
    ``sqlite:///mlflow.db``."""
    uri = tracking_uri or mlflow.get_tracking_uri()
    missing = [name for name in ("sqlalchemy", "alembic")
               if importlib.util.find_spec(name) is None]
    if not uri.startswith("sqlite") or not missing:
        return
    source = (
        "tracking_uri" if tracking_uri else
        "MLFLOW_TRACKING_URI" if os.environ.get("MLFLOW_TRACKING_URI") else
        "MLflow's default, as neither tracking_uri nor MLFLOW_TRACKING_URI is set"
    )
    raise ValueError(
        f"MlflowTracker: the tracking URI {uri!r} ({source}) is a SQLite database, which "
        f"needs {' and '.join(missing)}, absent here as in mlflow-skinny (the [mlflow] "
        "extra). Give a tracking server (tracking_uri='http://host:5000'), a folder "
        "(tracking_uri='file:./mlruns' with MLFLOW_ALLOW_FILE_STORE=true), or install the "
        "full mlflow package."
    )


class _MlflowRun:
    def __init__(self, mlflow, tracker):
        self.entities = mlflow.entities
        uri = tracker.tracking_uri
        if isinstance(uri, os.PathLike):  # a folder, as the other trackers take theirs
            uri = Path(uri).resolve().as_uri()
        keys = [key for key in (tracker.tags or {}) if not isinstance(key, str)]
        if keys:  # MLflow failed in a regular expression, its run created already
            raise TypeError(f"MlflowTracker: tags must be named by strings; got {keys!r}.")
        _check_mlflow_store(uri, mlflow)
        self.client = mlflow.MlflowClient(tracking_uri=uri)
        tags = {key: str(value) for key, value in (tracker.tags or {}).items()}
        # MLflow creates a run before it checks its tags: one it refuses must
        # not leave the run RUNNING for ever. The user tag names the run's
        # user only when the run is created.
        user = {key: tags.pop(key) for key in [USER_TAG] if key in tags}
        self.run_id = self.client.create_run(
            self._experiment_id(tracker.experiment_name, mlflow.MlflowException),
            run_name=tracker.run_name, tags=user,
        ).info.run_id
        try:
            self._log_in_batches(tags=[self.entities.RunTag(*item) for item in tags.items()])
        except BaseException:
            self.end(failed=True)
            raise

    def _experiment_id(self, name, error_type):
        """The ID of experiment ``name``, created when missing; for None, that of
        ``MLFLOW_EXPERIMENT_NAME`` or ``MLFLOW_EXPERIMENT_ID``, else "Default"."""
        if name is None:
            name = os.environ.get("MLFLOW_EXPERIMENT_NAME")
            if name is None and os.environ.get("MLFLOW_EXPERIMENT_ID"):
                return os.environ["MLFLOW_EXPERIMENT_ID"]
            name = "Default" if name is None else name
        experiment = self.client.get_experiment_by_name(name)
        if experiment is not None:
            return experiment.experiment_id
        try:
            return self.client.create_experiment(name)
        except error_type:
            # Another fit of the same search created it in the meantime; if not,
            # MLflow's own error (an invalid name, say) is the one to see.
            experiment = self.client.get_experiment_by_name(name)
            if experiment is None:
                raise
            return experiment.experiment_id

    def _log_in_batches(self, **entities):
        """``log_batch`` of the one kind of ``entities`` given (``params=[...]``
        or ``tags=[...]``), at most ``MLFLOW_PARAMS_PER_BATCH`` a request."""
        ((kind, items),) = entities.items()
        for start in range(0, len(items), MLFLOW_PARAMS_PER_BATCH):
            self.client.log_batch(
                self.run_id, **{kind: items[start : start + MLFLOW_PARAMS_PER_BATCH]}
            )

    def log_params(self, params):
        self._log_in_batches(params=[
            self.entities.Param(key, str(value))
            for key, value in zip(_mlflow_keys(params), params.values())
        ])

    def log_metrics(self, metrics, step):
        timestamp = int(time.time() * 1000)
        self.client.log_batch(self.run_id, metrics=[
            self.entities.Metric(name, value, timestamp, step) for name, value in metrics.items()
        ])

    def log_artifact(self, path):
        self.client.log_artifact(self.run_id, path)

    def end(self, failed):
        self.client.set_terminated(self.run_id, status="FAILED" if failed else "FINISHED")


def _mlflow_key(name):
    """The name MLflow takes for ``name``: ``name`` where it can.

    Each character MLflow refuses (a Pipeline step may be named "scale
    (z-score)") becomes "_", and so does a slash; a name beyond
    ``MLFLOW_KEY_LENGTH`` UTF-8 bytes loses its middle (parameter names differ
    at their ends).
    """
    return _within_key_length(_MLFLOW_REFUSED.sub("_", name))


def _within_key_length(key):
    """``key``, or its ends around "..." where it is beyond ``MLFLOW_KEY_LENGTH`` bytes."""
    if len(key.encode()) <= MLFLOW_KEY_LENGTH:
        return key
    head, tail = key[: len(key) // 2], key[len(key) // 2:]
    while len(f"{head}...{tail}".encode()) > MLFLOW_KEY_LENGTH:
        if len(head.encode()) > len(tail.encode()):
            head = head[:-1]
        else:
            tail = tail[1:]
    return f"{head}...{tail}"


def _mlflow_keys(names):
    """MLflow's names for ``names`` (see :func:`_mlflow_key`); a name made like
    another gets a suffix ("_2", ...), never one MLflow takes as it is.

    Examples
    --------
    >>> _mlflow_keys(["teacher__scale (z-score)", "teacher__scale [z-score]", "a/b"])
    ['teacher__scale _z-score_', 'teacher__scale _z-score__2', 'a_b']
    """
    made = [_mlflow_key(name) for name in names]
    taken = {key for name, key in zip(names, made) if key == name}
    keys = []
    for name, key in zip(names, made):
        if key != name:
            stem, count = key, 1
            while key in taken:
                count += 1
                key = _within_key_length(f"{stem}_{count}")
            taken.add(key)
        keys.append(key)
    return keys


class TensorBoardTracker(Tracker):
    """Write every fit as one TensorBoard run: a folder of event files.

    Metrics are scalars with the meta-epoch as step; the estimator's
    parameters go to TensorBoard's HParams tab when the fit succeeds; the
    fitted estimator is saved into the run's folder as ``model.skd``
    (:func:`skdistill.load` reads it). Needs the ``tensorboard`` package (for
    ``torch.utils.tensorboard``).

    Parameters
    ----------
    log_dir : str or os.PathLike, default="runs"
        Parent folder of the runs (``tensorboard --logdir runs`` shows them all).
    run_name : str or None, default=None
        Folder of the run inside ``log_dir``. None gives every fit its own
        folder, named by time (to the millisecond: the folders sort in the
        order of the fits), process and a random suffix; a fixed name suits
        a single fit only, since further fits would write into the same run.

    Examples
    --------
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.tracking import TensorBoardTracker
    >>> clf = DistilledClassifier(trackers=[TensorBoardTracker(log_dir="runs")])
    """

    _parameter_constraints = {
        "log_dir": [str, os.PathLike],
        "run_name": [None, str],
    }

    def __init__(self, log_dir="runs", run_name=None):
        self.log_dir = log_dir
        self.run_name = run_name

    def start(self):
        """Create the folder and event file of one fit.

        Returns
        -------
        run : object
            See :meth:`Tracker.start`.
        """
        tensorboard = import_optional(
            "torch.utils.tensorboard", "tensorboard", "TensorBoardTracker"
        )
        run_name = self.run_name
        if run_name is None:
            # milliseconds: the fits of one second (a search's) sort in their order
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]
            run_name = f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        return _TensorBoardRun(tensorboard, os.path.join(self.log_dir, run_name))


class _TensorBoardRun:
    def __init__(self, tensorboard, folder):
        self.folder = folder
        self.writer = tensorboard.SummaryWriter(folder)
        self.params = {}
        self.last_metrics = {}

    def log_params(self, params):
        # The HParams tab wants the metric names with the parameters: both
        # are known at the end of the fit. It drops None and shows booleans as
        # 0 and 1: both go as the words MLflow shows.
        self.params = {
            name: str(value) if value is None or isinstance(value, bool) else value
            for name, value in params.items()
        }

    def log_metrics(self, metrics, step):
        for name, value in metrics.items():
            self.writer.add_scalar(name, value, step)
        self.last_metrics.update(metrics)

    def log_artifact(self, path):
        shutil.copy(path, self.folder)

    def end(self, failed):
        if not failed:
            from torch.utils.tensorboard.summary import hparams

            for summary in hparams(self.params, self.last_metrics):
                self.writer.file_writer.add_summary(summary)
        self.writer.close()


class WandbTracker(Tracker):
    """Log every fit as one Weights & Biases run.

    Metrics are logged per meta-epoch against the metric ``meta_epoch`` (W&B's
    own step only grows, while ``schedule="sequential"`` logs the teacher's
    meta-epochs before the student's); the estimator's parameters are the
    run's config; the fitted estimator is the model artifact
    ``model-<run id>`` holding ``model.skd``. The run ends with exit code 1 when the fit raises.

    Parameters
    ----------
    project : str or None, default=None
        W&B project; None is W&B's default (``WANDB_PROJECT``, or
        "uncategorized").
    run_name : str or None, default=None
        Display name of every run; None lets W&B pick one per run.
    mode : {"online", "offline", "disabled"} or None, default=None
        None is W&B's default (``WANDB_MODE``, or "online"). "offline" writes
        the run under ``log_dir``, for a later ``wandb sync``; W&B stages a
        copy of each logged model under ``WANDB_DATA_DIR`` until then.
    log_dir : str, os.PathLike or None, default=None
        Folder W&B writes its ``wandb/`` folder into; None is W&B's default
        (``WANDB_DIR``, or the working directory).
    init_kwargs : dict or None, default=None
        Further keyword arguments of ``wandb.init`` (``entity``, ``group``,
        ``tags``, ``settings``, ...); not those the tracker sets (``project``,
        ``name``, ``mode``, ``dir``, ``reinit``).

    Examples
    --------
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.tracking import WandbTracker
    >>> clf = DistilledClassifier(trackers=[WandbTracker(project="skdistill", mode="offline")])
    """

    _parameter_constraints = {
        "project": [None, str],
        "run_name": [None, str],
        "mode": [None, StrOptions({"online", "offline", "disabled"})],
        "log_dir": [None, str, os.PathLike],
        "init_kwargs": [None, dict],
    }

    #: The arguments of ``wandb.init`` the tracker sets, with the parameter that sets each.
    _OWN_INIT_ARGUMENTS = {"project": "project", "name": "run_name", "mode": "mode",
                           "dir": "log_dir", "reinit": None}

    def __init__(self, project=None, run_name=None, mode=None, log_dir=None, init_kwargs=None):
        self.project = project
        self.run_name = run_name
        self.mode = mode
        self.log_dir = log_dir
        self.init_kwargs = init_kwargs

    def _validate_params(self):
        """The constraints, and no ``init_kwargs`` key the tracker sets itself."""
        super()._validate_params()
        clashes = sorted(set(self.init_kwargs or {}) & set(self._OWN_INIT_ARGUMENTS))
        if clashes:
            instead = [f"{key} (use WandbTracker({self._OWN_INIT_ARGUMENTS[key]}=...))"
                       if self._OWN_INIT_ARGUMENTS[key] else f"{key} (always 'create_new')"
                       for key in clashes]
            raise ValueError(
                f"init_kwargs sets arguments of wandb.init that WandbTracker sets itself: "
                f"{', '.join(instead)}."
            )

    def start(self):
        """Initialise the W&B run of one fit, beside any run already active.

        Returns
        -------
        run : object
            See :meth:`Tracker.start`.
        """
        wandb = import_optional("wandb", "wandb", "WandbTracker")
        accepted = inspect.signature(wandb.init).parameters
        unknown = sorted(set(self.init_kwargs or {}) - set(accepted))
        if unknown and not any(parameter.kind is parameter.VAR_KEYWORD
                               for parameter in accepted.values()):
            raise ValueError(
                f"init_kwargs holds {unknown}, which this wandb's init does not take; it "
                f"takes {sorted(set(accepted) - set(self._OWN_INIT_ARGUMENTS))}."
            )
        run = wandb.init(
            project=self.project, name=self.run_name, mode=self.mode, dir=self.log_dir,
            reinit="create_new", **(self.init_kwargs or {}),
        )
        return _WandbRun(wandb, run)


class _WandbRun:
    def __init__(self, wandb, run):
        self.wandb = wandb
        self.run = run
        run.define_metric("meta_epoch")
        run.define_metric("*", step_metric="meta_epoch")

    def log_params(self, params):
        self.run.config.update(params)

    def log_metrics(self, metrics, step):
        self.run.log({"meta_epoch": step, **metrics})

    def log_artifact(self, path):
        artifact = self.wandb.Artifact(f"model-{self.run.id}", type="model")
        artifact.add_file(path)
        self.run.log_artifact(artifact)

    def end(self, failed):
        self.run.finish(exit_code=1 if failed else 0)


def _listed_trackers(trackers):
    """The ``trackers`` parameter as a list: None as none, one tracker as a list of it."""
    if trackers is None:
        return []
    return [trackers] if isinstance(trackers, Tracker) else list(trackers)


def _check_trackers(trackers):
    """Return ``trackers`` as a list of checked :class:`Tracker` instances.

    Raises
    ------
    TypeError
        If an element is not a :class:`Tracker`.
    sklearn.utils._param_validation.InvalidParameterError
        If a tracker's parameter is invalid.
    """
    trackers = _listed_trackers(trackers)
    for index, tracker in enumerate(trackers):
        if isinstance(tracker, type) and issubclass(tracker, Tracker):
            raise TypeError(
                f"trackers[{index}] is the class {tracker.__name__}; pass an instance, "
                f"{tracker.__name__}(...)."
            )
        if not isinstance(tracker, Tracker):
            raise TypeError(
                f"trackers[{index}] is a {type(tracker).__name__}, not a tracker; use "
                "MlflowTracker, TensorBoardTracker, WandbTracker or a subclass of "
                "skdistill.tracking.Tracker."
            )
        tracker._validate_params()
    return trackers


class TrackingSession:
    """The runs of one fit: started before training, ended after it.

    A tracker that cannot start its run stops the fit before anything is
    trained. Once training has begun, a run whose service fails (a lost
    server, a full disk, a tracker's own bug) is ended as failed with a
    warning and logs nothing more: a tracker must not cost the fit it logs.

    Parameters
    ----------
    trackers : Tracker, list of Tracker or None
        Checked here, before anything is trained.
    """

    def __init__(self, trackers):
        self.trackers = _check_trackers(trackers)
        self._runs = []

    @contextmanager
    def started(self, estimator, unused_settings=()):
        """Start one run per tracker with ``estimator``'s parameters.

        ``unused_settings`` names the settings of the nets a warm start keeps
        that ``estimator``'s parameters change, with both values: they are
        logged as ``warm_start_unused``, beside the parameters that name the
        new values. When the block raises, the runs end as failed; otherwise
        they stay open for :meth:`finish`, which needs the fitted estimator.
        """
        with self._ended_on_error():
            params = _tracked_params(estimator) if self.trackers else {}
            if unused_settings:
                params["warm_start_unused"] = "; ".join(unused_settings)
            for tracker in self.trackers:
                self._runs.append((tracker, tracker.start()))
                self._runs[-1][1].log_params(params)
            yield

    def log_round(self, meta_epoch, fields):
        """Log the fields of a ``history_`` record for meta-epoch ``meta_epoch``."""
        metrics = {_metric_name(field): value for field, value in fields.items()}
        for entry in list(self._runs):
            self._call(entry, "log_metrics", metrics, meta_epoch)

    def finish(self, estimator, interrupted=False):
        """Log the fitted ``estimator`` and end the runs.

        ``n_iter``, ``best_meta_epoch`` (the meta-epoch whose student is
        kept, where known) and ``interrupted`` (1 for a fit cut short by
        Ctrl-C, else 0) are logged as metrics at the step
        ``estimator.n_iter_``. A Ctrl-C
        while the model is logged ends the runs as failed, with a
        :class:`~skdistill.FitInterruptedWarning`: the fit is kept. Anything
        that still raises here (a warning turned into an error) ends them as
        failed too.
        """
        if not self._runs:
            return
        # the kept student's meta-epoch: after a warm fit that none beat, one of an
        # earlier fit, which the run's own steps do not hold
        best = estimator.best_meta_epoch_
        summary = {"n_iter": estimator.n_iter_,
                   **({} if best is None else {"best_meta_epoch": best}),
                   "interrupted": int(interrupted)}
        with self._ended_on_error():
            try:
                self.log_round(estimator.n_iter_, summary)
                with tempfile.TemporaryDirectory() as folder:
                    path = _write_model(estimator, folder)
                    for entry in list(self._runs) if path is not None else []:
                        self._call(entry, "log_artifact", path)
            except KeyboardInterrupt as interrupt:
                self._end(failed=True)
                warn_interrupted(
                    "Logging the fitted model was interrupted: the runs end as failed, and "
                    "the fit is kept (turn this warning into an error to abort instead).",
                    interrupt,
                )
                return
        self._end(failed=False)

    def _call(self, entry, method, *args):
        """Call ``method`` of the run of ``entry``, a (tracker, run) pair; where
        it raises, warn, end the run as failed and log nothing more to it."""
        try:
            getattr(entry[1], method)(*args)
        except Exception as error:
            self._runs.remove(entry)
            self._end_run(entry, failed=True)
            warnings.warn(
                f"The run of {type(entry[0]).__name__} failed in {method} "
                f"({type(error).__name__}: {error}); it ends as failed and logs nothing "
                "more, and the fit goes on.", UserWarning, stacklevel=user_stacklevel(),
            )

    @contextmanager
    def _ended_on_error(self):
        try:
            yield
        except BaseException:
            self._end(failed=True)
            raise

    def _end(self, failed):
        """End every run; where ending one raises (a Ctrl-C, a warning turned
        into an error), end the others as failed before raising."""
        while self._runs:
            entry = self._runs.pop(0)
            try:
                self._end_run(entry, failed)
            except BaseException:
                self._end(failed=True)
                raise

    @staticmethod
    def _end_run(entry, failed):
        """End the run of ``entry``; where that fails, warn: it must neither
        keep the other runs open nor hide the error of a failed fit."""
        try:
            entry[1].end(failed)
        except Exception as error:
            warnings.warn(
                f"The run of {type(entry[0]).__name__} could not be ended "
                f"({type(error).__name__}: {error}).", UserWarning,
                stacklevel=user_stacklevel(),
            )
