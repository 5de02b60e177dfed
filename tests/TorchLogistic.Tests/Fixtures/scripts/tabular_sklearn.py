"""References for the tabular encoder (categorical one-hot, missing values): scikit-learn pipelines and statsmodels.

Run with Debian's Python (python3-sklearn 1.2.1, python3-pandas, python3-statsmodels 0.13.5):
    /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/tabular_sklearn.py
Writes, in tests/TorchLogistic.Tests/Fixtures/: data/tabular_train.csv, data/tabular_new_complete.csv,
data/tabular_new_missing.csv, data/tabular_new_unknown.csv (a seeded synthetic table), data/titanic_new_complete.csv and tabular_sklearn.json.
data/titanic_survival.csv comes from scripts/titanic_survival_extract.R (R's carData).

Each case is a ColumnTransformer with one transformer per raw column in file order (so the features come in
TorchLogistic's order): a numeric column through SimpleImputer(strategy, add_indicator); a categorical column
through SimpleImputer('most_frequent') then OneHotEncoder(drop, handle_unknown), followed by a
MissingIndicator(features='missing-only') when indicators are asked for; 'drop' removes rows with a missing cell
first (pandas dropna). Then LogisticRegression(C, newton-cg, tol 1e-12) on every training row: the exact optimum
of  sum of log losses + ||w||^2/(2C)  (intercept unpenalised), the optimum TorchLogistic minimises (its loss is
that divided by m). Probabilities are of the second class on the case's new rows.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
import statsmodels
import statsmodels.formula.api as smf
from sklearn.compose import ColumnTransformer
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.normpath(os.path.join(here, ".."))
data_dir = os.path.join(fixtures, "data")


def write_synthetic():
    rng = np.random.default_rng(16)
    def table(n, p_missing, unknown=False):
        x1 = rng.normal(2.0, 1.5, n)
        x2 = rng.uniform(-1, 1, n)
        colour = rng.choice(["red", "green", "blue"], n, p=[0.5, 0.3, 0.2]).astype(object)
        grade = rng.choice([1, 2, 3], n).astype(object)
        logit = -1.0 + 0.6 * x1 - 1.2 * x2 + np.where(colour == "green", 0.8, 0) + np.where(colour == "blue", -0.7, 0) + 0.4 * grade.astype(float)
        y = np.where(rng.uniform(size=n) < 1 / (1 + np.exp(-logit)), "yes", "no")
        df = pd.DataFrame({"x1": np.round(x1, 4), "colour": colour, "grade": grade, "x2": np.round(x2, 4), "label": y})
        df = df.astype({"x1": object, "x2": object})
        for col in ["x1", "colour", "grade"]:
            mask = rng.uniform(size=n) < p_missing
            df.loc[mask, col] = "NA" if col != "colour" else ""
        if unknown:
            df.loc[rng.uniform(size=n) < 0.2, "colour"] = "purple"
            df.loc[3, "x2"] = "NaN"
        return df
    train = table(300, 0.1)
    train.to_csv(os.path.join(data_dir, "tabular_train.csv"), index=False)
    table(40, 0.0).to_csv(os.path.join(data_dir, "tabular_new_complete.csv"), index=False)
    table(40, 0.15).to_csv(os.path.join(data_dir, "tabular_new_missing.csv"), index=False)
    table(40, 0.15, unknown=True).to_csv(os.path.join(data_dir, "tabular_new_unknown.csv"), index=False)
    # The first 60 complete titanic rows, as written by R: new rows for a model trained with 'drop'.
    with open(os.path.join(data_dir, "titanic_survival.csv")) as f:
        lines = f.read().splitlines()
    complete = [lines[0]] + [line for line in lines[1:] if ",NA," not in line][:60]
    with open(os.path.join(data_dir, "titanic_new_complete.csv"), "w") as f:
        f.write("\n".join(complete) + "\n")


def read(name, categorical):
    df = pd.read_csv(os.path.join(data_dir, name), keep_default_na=False, na_values=["", "NA", "NaN", "nan"])
    for c in categorical:
        if c in df and df[c].dtype != object:
            # A number-coded category: its levels are the numbers (sorted numerically by OneHotEncoder).
            df[c] = df[c].astype(float)
    return df


def pipeline(df, features, categorical, missing, drop, handle_unknown, indicator, C):
    steps = []
    impute = missing in ("mean", "median", "most_frequent")
    for col in features:
        if col in categorical:
            encoder = OneHotEncoder(drop="first" if drop == "first" else None, handle_unknown=handle_unknown, sparse_output=False)
            chain = Pipeline([("impute", SimpleImputer(strategy="most_frequent")), ("onehot", encoder)]) if impute else encoder
            steps.append((col, chain, [col]))
            if indicator:
                steps.append((col + "_missing", MissingIndicator(features="missing-only"), [col]))
        else:
            steps.append((col, SimpleImputer(strategy=missing, add_indicator=indicator) if impute else "passthrough", [col]))
    return Pipeline([
        ("columns", ColumnTransformer(steps, sparse_threshold=0)),
        ("model", LogisticRegression(C=C, solver="newton-cg", tol=1e-12, max_iter=10_000)),
    ])


def case(name, train_file, new_file, label, categorical, missing, drop="none", handle_unknown="error", indicator=False, C=1.0, new_rows=None):
    train = read(train_file, categorical)
    features = [c for c in train.columns if c != label]
    if missing == "drop":
        before = len(train)
        train = train.dropna(subset=features)
        dropped = before - len(train)
    else:
        dropped = 0
    model = pipeline(train, features, categorical, missing, drop, handle_unknown, indicator, C)
    model.fit(train[features], train[label])
    lr = model.named_steps["model"]
    x = model.named_steps["columns"].transform(train[features])
    p = lr.predict_proba(x)[:, 1]
    y = (train[label] == lr.classes_[1]).to_numpy(float)
    gradient = np.concatenate([x.T @ (p - y) + lr.coef_[0] / C, [np.sum(p - y)]])
    new = read(new_file, categorical)
    if new_rows is not None:
        new = new.iloc[:new_rows]
    return {
        "name": name, "train": train_file, "new": new_file, "new_rows": len(new), "label": label,
        "categorical": categorical, "missing": missing.replace("_", "-"), "categorical_drop": drop,
        "handle_unknown": handle_unknown, "indicator": indicator, "C": C, "dropped": dropped,
        "classes": [str(c) for c in lr.classes_],
        "feature_count": int(x.shape[1]),
        "coef": [float(v) for v in lr.coef_[0]], "intercept": float(lr.intercept_[0]),
        "gradient_max": float(np.max(np.abs(gradient))),
        "proba": [float(v) for v in model.predict_proba(new[features])[:, 1]],
    }


write_synthetic()
cat = ["colour", "grade"]
titanic_cat = ["sex", "passengerClass"]
cases = [
    case("drop", "tabular_train.csv", "tabular_new_complete.csv", "label", cat, "drop"),
    case("mean", "tabular_train.csv", "tabular_new_missing.csv", "label", cat, "mean"),
    case("median-first", "tabular_train.csv", "tabular_new_missing.csv", "label", cat, "median", drop="first"),
    case("most-frequent-indicator", "tabular_train.csv", "tabular_new_missing.csv", "label", cat, "most_frequent", indicator=True, C=0.5),
    case("mean-first-indicator-ignore", "tabular_train.csv", "tabular_new_unknown.csv", "label", cat, "mean", drop="first", handle_unknown="ignore", indicator=True),
    case("titanic-median", "titanic_survival.csv", "titanic_survival.csv", "survived", titanic_cat, "median", new_rows=60),
    case("titanic-drop-first", "titanic_survival.csv", "titanic_new_complete.csv", "survived", titanic_cat, "drop", drop="first", C=10.0),
]
for c in cases:
    assert c["gradient_max"] < 1e-7, (c["name"], c["gradient_max"])

# statsmodels: maximum likelihood with treatment coding (first level the baseline) on the complete titanic rows.
titanic = read("titanic_survival.csv", titanic_cat).dropna()
titanic["y"] = (titanic["survived"] == "yes").astype(float)
logit = smf.logit("y ~ C(sex) + age + C(passengerClass)", data=titanic).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
assert logit.mle_retvals["converged"]
names = {"Intercept": "const", "C(sex)[T.male]": "sex[male]", "C(passengerClass)[T.2nd]": "passengerClass[2nd]",
         "C(passengerClass)[T.3rd]": "passengerClass[3rd]", "age": "age"}
statsmodels_case = {
    "rows": int(len(titanic)),
    "names": [names[n] for n in logit.params.index],
    "params": [float(v) for v in logit.params], "bse": [float(v) for v in logit.bse], "llf": float(logit.llf),
}

with open(os.path.join(fixtures, "tabular_sklearn.json"), "w") as f:
    json.dump({"sklearn": sklearn.__version__, "pandas": pd.__version__, "statsmodels": statsmodels.__version__,
               "cases": cases, "statsmodels_titanic": statsmodels_case}, f, indent=1)
print("ok", [(c["name"], c["feature_count"], c["dropped"], c["gradient_max"]) for c in cases], statsmodels_case["names"])
