"""Seed 003's pitfall: the multiclass log loss is not the binary formula applied to one-hot columns.

The 4-class example (two samples, classes 0 and 3) is the one whose scikit-learn log_loss is
0.7083767843022996. Writes ../seed003_log_loss.json. Run with /usr/bin/python3 (scikit-learn 1.2.1).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import log_loss

probabilities = np.array([[0.25, 0.25, 0.25, 0.25],
                          [0.01, 0.01, 0.01, 0.97]])
labels = np.array([0, 3])
one_hot = np.eye(4)[labels]

multiclass = log_loss(labels, probabilities, labels=[0, 1, 2, 3])
# The binary formula on each one-hot column (scikit-learn's binary log_loss of that column), averaged over the
# columns: the same as the mean of -[y log p + (1 - y) log(1 - p)] over all entries.
per_column = [log_loss(one_hot[:, c], probabilities[:, c], labels=[0, 1]) for c in range(4)]
binary_mean_over_entries = float(np.mean(per_column))
# The same binary terms summed over the classes of a row, then averaged over the rows.
binary_sum_over_classes = float(np.mean(np.sum(-(one_hot * np.log(probabilities)
                                                 + (1 - one_hot) * np.log(1 - probabilities)), axis=1)))

out = {
    "sklearn_version": sklearn.__version__,
    "probabilities": probabilities.tolist(),
    "labels": labels.tolist(),
    "multiclass_log_loss": float(multiclass),
    "multiclass_log_loss_base2": float(multiclass / np.log(2)),
    "binary_log_loss_per_column": [float(v) for v in per_column],
    "binary_formula_mean_over_entries": binary_mean_over_entries,
    "binary_formula_sum_over_classes": binary_sum_over_classes,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seed003_log_loss.json")
with open(path, "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(json.dumps(out, indent=2))
