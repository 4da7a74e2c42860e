"""Teacher and student ROC AUC over meta-epochs on the crotonylation data.

Holds out 20 % of the training part for early stopping (``validation_fraction``) and
prints the teacher's and the student's held-out ROC AUC per meta-epoch, then
saves them as ``training_curves.png`` when matplotlib is installed
(``pip install ".[docs]"``). Run::

    python examples/training_curves.py
"""

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder

from skdistill import DistilledClassifier
from skdistill.datasets import load_crotonylation
from skdistill.preprocessing import positions_frame

sequences, labels = load_crotonylation(return_X_y=True)
train_sequences, _, y_train, _ = train_test_split(
    sequences, labels, test_size=0.25, stratify=labels, random_state=0
)
X_train = OneHotEncoder(handle_unknown="ignore").fit_transform(positions_frame(train_sequences))

clf = DistilledClassifier(early_stopping=True, validation_fraction=0.2, random_state=0,
                          verbose=1)
clf.fit(X_train, y_train)
history = pd.DataFrame(clf.history_).set_index("meta_epoch")
print(history.round(4).to_string())

try:
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: no figure saved.")
else:
    curves = ["teacher_train_auc", "teacher_valid_auc", "student_train_auc", "student_valid_auc"]
    ax = history[curves].plot(marker="o", figsize=(7, 4))
    ax.set_xlabel("meta-epoch")
    ax.set_ylabel("ROC AUC")
    ax.set_title("Online distillation on lysine crotonylation windows")
    plt.tight_layout()
    plt.savefig("training_curves.png", dpi=120)
    print("saved training_curves.png")
