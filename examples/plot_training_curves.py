"""
=====================================================
Training curves, and the teacher against its student
=====================================================

Online distillation on 4,000 lysine crotonylation windows (about one positive in ten):
a CNN teacher and an MLP student are trained together in meta-epochs, early
stopping watches the student's ROC AUC on a held-out part, and two displays show what
happened: :class:`~skdistill.TrainingCurvesDisplay` (loss and validation ROC AUC per
meta-epoch, read from ``history_``) and :class:`~skdistill.TeacherStudentDisplay` (the
ROC curves of both nets on test data, and how often they agree).

The evidence scripts in ``examples/`` train on all 73,927 windows for longer; this
one is sized to run in seconds.
"""

# %%
# Data: a stratified subsample, one-hot encoded by position
# -----------------------------------------------------------
# :class:`~skdistill.preprocessing.SequenceEncoder` turns the 29-letter windows into
# position-major one-hot features, the input layout of the sequence modules.
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skdistill import DistilledClassifier, TeacherStudentDisplay, TrainingCurvesDisplay
from skdistill.datasets import load_crotonylation
from skdistill.modules import CNN, MLP
from skdistill.preprocessing import SequenceEncoder

sequences, labels = load_crotonylation(return_X_y=True)
sequences, _, labels, _ = train_test_split(
    sequences, labels, train_size=4000, stratify=labels, random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(
    sequences, labels, test_size=0.25, stratify=labels, random_state=0
)

# %%
# Online distillation with early stopping
# ----------------------------------------
# ``alpha=0.5`` weights the teacher term and the true-label term equally; early
# stopping holds out ``validation_fraction`` of the training windows and puts each
# net back to the meta-epoch where it scored best there (the student's is marked).
model = make_pipeline(
    SequenceEncoder(),
    DistilledClassifier(
        teacher=CNN, student=MLP, alpha=0.5, meta_epochs=40, early_stopping=True,
        validation_fraction=0.2, n_iter_no_change=4, random_state=0,
    ),
)
model.fit(X_train, y_train)
clf = model[-1]
print(f"stopped after {clf.n_iter_} meta-epochs, kept meta-epoch {clf.best_meta_epoch_}")
pd.DataFrame(clf.history_).set_index("meta_epoch").round(4)

# %%
# Training curves
# ---------------
# The left panel is the mean training loss of each net, the right one their ROC AUC on
# the held-out part; ``lines_`` holds every curve under its ``history_`` field name, and
# the dashed line marks the meta-epoch whose student the fit kept.
curves = TrainingCurvesDisplay.from_estimator(model)

# %%
# Teacher and student on test data
# --------------------------------
# The display shows how the student's ranking compares with the teacher's (ROC
# curves) and how often both put a window in the same class (agreement).
both = TeacherStudentDisplay.from_estimator(model, X_test, y_test)
print({role: round(score, 4) for role, score in both.roc_auc.items()})
print(f"agreement: {both.agreement:.3f}")
