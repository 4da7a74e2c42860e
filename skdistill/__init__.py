"""skdistill: knowledge distillation for scikit-learn.

A large teacher and a small student network are trained together; the student
learns from the true labels through an imbalanced non-negative PU risk and from
the teacher's predictions, and then behaves like any scikit-learn classifier.
"""

from ._classifier import DistilledClassifier
from .losses import DistillationLoss, ImbalancedNNPULoss

__version__ = "0.1.0"

__all__ = ["DistilledClassifier", "DistillationLoss", "ImbalancedNNPULoss", "__version__"]
