"""
=================================================
Saving, loading and exporting the student to ONNX
=================================================

A fitted pipeline of :class:`~skdistill.preprocessing.SequenceEncoder` and
:class:`~skdistill.DistilledClassifier` leaves Python in two ways:

- :func:`skdistill.save` writes parameters, fitted attributes and weights into one file
  (JSON and safetensors, no pickle) and :func:`skdistill.load` rebuilds the estimator
  from trusted classes only;
- :func:`skdistill.export_onnx` writes the student as an ONNX graph that onnxruntime
  serves without torch or skdistill (``pip install "skdistill[onnx]"``).
"""

# %%
# A small fitted pipeline
# -----------------------
import tempfile
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

import skdistill
from skdistill import DistilledClassifier
from skdistill.datasets import load_crotonylation
from skdistill.modules import CNN
from skdistill.preprocessing import SequenceEncoder

sequences, labels = load_crotonylation(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    sequences, labels, train_size=2000, test_size=500, stratify=labels, random_state=0
)
pipeline = make_pipeline(
    SequenceEncoder(),
    DistilledClassifier(teacher=CNN, student=CNN, meta_epochs=3, early_stopping=False,
                        random_state=0),
)
pipeline.fit(X_train, y_train)
expected = pipeline.predict_proba(X_test)
scratch = tempfile.TemporaryDirectory()  # removed at the end
folder = Path(scratch.name)

# %%
# Save and load
# -------------
# The loaded pipeline predicts exactly what the fitted one does.
path = folder / "pipeline.skd"
skdistill.save(pipeline, path)
loaded = skdistill.load(path)
print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")
print("same probabilities:", np.array_equal(loaded.predict_proba(X_test), expected))

# %%
# Export the student to ONNX
# --------------------------
# Only the classifier is exported: the encoder stays in Python, and the ONNX model
# takes its output as a dense float32 matrix, with a dynamic batch axis.
import onnxruntime

onnx_path = skdistill.export_onnx(pipeline, folder / "student.onnx")
session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
onnx_input = pipeline[:-1].transform(X_test).astype(np.float32)
probabilities = session.run(None, {"X": onnx_input})[0]
print("input:", [(node.name, node.shape) for node in session.get_inputs()])
print("output:", [(node.name, node.shape) for node in session.get_outputs()])
print(f"largest difference to predict_proba: {np.abs(probabilities - expected).max():.1e}")

# %%
# The files were written into a temporary folder, removed here.
scratch.cleanup()
