"""Kepler from Python, cell by cell (paste into Jupyter, or run: /usr/bin/python3 examples/python_example.py).

Needs the module installed (tools/quickstart.sh does it) or PYTHONPATH=build/tools/python.
"""
# %% Newton's second law from arrays, the units given beside the names.
import numpy as np

import kepler

rng = np.random.default_rng(0)
m = rng.uniform(1.0, 5.0, 200)
a = rng.uniform(0.5, 3.0, 200)
model = kepler.KeplerRegressor(max_evals=50_000)
model.fit(np.column_stack([m, a]), m * a, names=["m [kg]", "a [m/s^2]"], target_unit="N")
print("F =", model.formula_, "  R² =", model.score(np.column_stack([m, a]), m * a))
print(model.front_)  # a DataFrame when pandas is installed, else a list of dicts

# %% Coulomb's law from a DataFrame in Gaussian units: the units ride in the column names.
try:
    import pandas as pd
except ImportError:
    pd = None
if pd is not None:
    table = pd.DataFrame({"q1 [statC]": rng.uniform(1, 5, 200), "q2 [statC]": rng.uniform(1, 5, 200),
                          "r [cm]": rng.uniform(1, 3, 200)})
    force = pd.Series(table["q1 [statC]"] * table["q2 [statC]"] / table["r [cm]"] ** 2, name="F [dyn]")
    coulomb = kepler.KeplerRegressor(unit_system="gaussian", max_evals=50_000).fit(table, force)
    print("F =", coulomb.formula_, "  LaTeX:", coulomb.latex())

# %% SymPy, when installed: the free symbols are the columns the law uses (I and lambda too).
I, R = rng.uniform(1, 2, 100), rng.uniform(1, 2, 100)
ohm = kepler.KeplerRegressor(max_evals=20_000).fit(np.column_stack([I, R]), I * R, names=["I [A]", "R [V/A]"],
                                                    target_unit="V")
try:
    print("U =", ohm.sympy(), " free symbols:", ohm.sympy().free_symbols)
except ImportError:
    print("U =", ohm.formula_, "(install python3-sympy for sympy())")

# %% A CSV file, as `kepler fit` reads it; the result is the CLI's JSON document as a dict.
import os

csv = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "datasets", "examples", "ideal_gas.csv")
result = kepler.fit_csv(csv, "P", max_evals=100_000)
print("P =", result["best"]["formula"], " R² =", result["best"]["r2"])

# %% Bad input raises ValueError with the CLI's message.
try:
    kepler.KeplerRegressor(max_evals=1000).fit(np.column_stack([m, a]), m * a, names=["m [kgg]", "a [m/s^2]"])
except ValueError as e:
    print("ValueError:", e)
