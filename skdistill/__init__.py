"""skdistill: knowledge distillation for scikit-learn.

A large teacher and a small student network are trained together; the student
learns from the true labels through an imbalanced non-negative PU risk and from
the teacher's predictions, and then behaves like any scikit-learn classifier.
"""

from ._classifier import DistilledClassifier
from ._nets import default_net
from ._warnings import FitInterruptedWarning, SequenceShapeWarning
from .losses import DistillationLoss, ImbalancedNNPULoss
from .onnx_export import export_onnx
from .persistence import load, register_trusted, save
from .plotting import TeacherStudentDisplay, TrainingCurvesDisplay

__version__ = "0.2.0.dev0"

__all__ = [
    "DistilledClassifier", "default_net", "DistillationLoss", "FitInterruptedWarning",
    "ImbalancedNNPULoss", "load", "register_trusted", "save", "SequenceShapeWarning",
    "__version__",
    "export_onnx",
    "TeacherStudentDisplay", "TrainingCurvesDisplay",
]
