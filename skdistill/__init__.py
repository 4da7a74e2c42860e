"""skdistill: knowledge distillation for scikit-learn.

A large teacher and a small student network are trained together; the student
learns from the true labels through an imbalanced non-negative PU risk and from
the teacher's predictions, and then behaves like any scikit-learn classifier.
"""

from importlib import import_module as _import_module

__version__ = "0.2.0.dev0"

#: Each public name with the module that defines it, imported on first use
#: (PEP 562): ``skdistill --help`` then answers without importing torch.
_PUBLIC = {
    "DistilledClassifier": "_classifier",
    "default_net": "_nets",
    "DistillationLoss": "losses",
    "FitInterruptedWarning": "_warnings",
    "ImbalancedNNPULoss": "losses",
    "load": "persistence",
    "register_trusted": "persistence",
    "save": "persistence",
    "SequenceShapeWarning": "_warnings",
    "export_onnx": "onnx_export",
    "TeacherStudentDisplay": "plotting",
    "TrainingCurvesDisplay": "plotting",
}
#: The public submodules, reachable as attributes as once the package imported them all.
_SUBMODULES = (
    "cli", "datasets", "fusion", "losses", "metrics", "modules", "onnx_export",
    "persistence", "plotting", "preprocessing", "pu", "tracking",
)

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(_import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return _import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_PUBLIC, *_SUBMODULES})
