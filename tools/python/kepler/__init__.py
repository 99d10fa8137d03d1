"""Kepler from Python: find the physical law behind a table of measurements.

    import numpy as np, kepler
    model = kepler.KeplerRegressor(max_evals=200_000)
    model.fit(np.column_stack([m, a]), F, names=["m [kg]", "a [m/s^2]"], target_unit="N")
    model.formula_          # 'm*a', dimensionally checked
    model.predict(X_new)

    result = kepler.fit_csv("ideal_gas.csv", "P", time_limit=30)   # the CLI's JSON result, as a dict

The search runs in C++ (kepler._kepler, over the same kepler::api call as `kepler fit`) with the
GIL released; Ctrl-C (or Jupyter's interrupt) stops it and keeps the best formulas so far. Bad
input raises ValueError with the CLI's message. Needs NumPy; pandas and SymPy only when used.
"""

import json
import math
import os
import re
import sys
import time
import warnings

import numpy as np

from . import _kepler

__version__ = _kepler.__version__
__all__ = ["KeplerRegressor", "fit_csv", "InputError", "NotFittedError", "__version__"]

# A ValueError subclass: the input is at fault (a unit, a column name, a table).
InputError = _kepler.InputError


class NotFittedError(ValueError, AttributeError):
    """predict() and the like before fit(); a ValueError and an AttributeError, as sklearn's is."""


_LABEL = re.compile(r"^\s*(.*?)\s*\[(.*)\]\s*$")  # "q1 [statC]", as a CSV header cell


def _split_label(label):
    """('q1', 'statC') for 'q1 [statC]'; (label, '') when it has no unit."""
    text = str(label)
    match = _LABEL.match(text)
    return (match.group(1), match.group(2).strip()) if match else (text.strip(), "")


def _check_options(options):
    """ValueError for an option the engine would take the wrong way (as the CLI's checks do)."""
    limit = options.get("time_limit", 60.0)
    if not isinstance(limit, (int, float)) or not math.isfinite(limit) or limit < 0:
        raise ValueError(f"time_limit: expected a number of seconds >= 0, got {limit!r}")
    for name in ("max_evals", "seed", "threads", "max_nodes", "rows", "sample"):
        value = options.get(name, 0)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name}: expected a whole number >= 0, got {value!r}")
    memory = options.get("max_memory", 2048)
    if isinstance(memory, bool) or not isinstance(memory, (int, np.integer)) or not 1 <= memory <= 1 << 24:
        raise ValueError(f"max_memory: expected a number of megabytes in [1, 16777216], got {memory!r}")
    ops = options.get("ops")
    if ops is not None and not isinstance(ops, str):
        options["ops"] = ",".join(str(op) for op in ops)  # a list of operator names


def _options_json(target, options):
    """The run's options in the CLI's JSON form (the result's "options" object)."""
    screen = options.get("screen", "automatic")
    return json.dumps({
        "target": target,
        "inputs": list(options.get("inputs") or []),
        "time_limit": options.get("time_limit", 60.0),
        "threads": options.get("threads", 0),
        "seed": options.get("seed", 1),
        "max_nodes": options.get("max_nodes") or 0,
        "max_evals": options.get("max_evals", 0),
        "max_memory": options.get("max_memory", 2048),
        "ops": options.get("ops") or "",
        "rows": options.get("rows") or 0,
        "sample": options.get("sample") or 0,
        "keep_spikes": bool(options.get("keep_spikes", False)),
        "unit_system": options.get("unit_system", "si"),
        "units_file": options.get("units_file") or "",
        "no_units": bool(options.get("no_units", False)),
        "screen": screen,
    })


class _ProgressLines:
    """The search's progress, one line at a time on stderr (works in a log file and Jupyter)."""

    def __init__(self, target, every_seconds=1.0):
        self.target = target
        self.every = every_seconds
        self.last = -math.inf

    def __call__(self, seconds, evaluations, best_formula, rmse):
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        rate = evaluations / seconds if seconds > 0 else 0.0
        line = f"kepler: {seconds:.1f} s, {evaluations} candidates ({rate:.3g}/s)"
        if best_formula is not None:
            line += f", best: {self.target} = {best_formula} (RMSE {rmse:.3g})"
        print(line, file=sys.stderr, flush=True)


def _finish(result):
    if result.get("interrupted"):
        warnings.warn("kepler: the search was interrupted; keeping the best formulas found so far",
                      RuntimeWarning, stacklevel=3)
    return result


_CSV_OPTIONS = ("inputs", "time_limit", "threads", "seed", "max_nodes", "max_evals", "max_memory", "ops", "rows",
                "sample", "keep_spikes", "unit_system", "units_file", "no_units", "screen")


def fit_csv(path, target, verbose=False, **options):
    """Fit the law giving `target` from the other columns of the CSV file `path`, as `kepler fit`
    does, and return its JSON result (README: "JSON result") as a dict.

    Options are the CLI's, by their long names: inputs (a list of columns), time_limit, threads,
    seed, max_nodes, max_evals, max_memory (megabytes), ops (a list or "+,-,*,/"), rows, sample,
    keep_spikes, unit_system, units_file, no_units, screen ("automatic", "on", "off"). verbose=True
    prints progress lines on stderr.
    Raises ValueError (kepler.InputError) for bad input, with the CLI's message.
    """
    unknown = sorted(set(options) - set(_CSV_OPTIONS))
    if unknown:
        raise TypeError(f"fit_csv() got unknown options: {', '.join(unknown)}; expected: {', '.join(_CSV_OPTIONS)}")
    options["target"] = target
    _check_options(options)
    progress = _ProgressLines(target) if verbose else None
    text, _ = _kepler.fit_csv(os.fspath(path), options, _options_json(target, options), progress)
    return _finish(json.loads(text))


def _column_labels(X, names, count):
    if names is not None:
        labels = [str(n) for n in names]
    elif hasattr(X, "columns"):
        labels = [str(c) for c in X.columns]
    else:
        labels = [f"x{i}" for i in range(count)]
    if len(labels) != count:
        raise ValueError(f"names has {len(labels)} entries but X has {count} columns")
    return labels


def _as_matrix(X):
    try:
        matrix = np.asarray(X, dtype=float)
    except (ValueError, TypeError) as e:
        raise ValueError(f"X is not a table of numbers: {e}") from None
    if matrix.ndim != 2:
        raise ValueError(f"X must be 2-D (rows x columns), got {matrix.ndim}-D")
    return matrix


class KeplerRegressor:
    """A scikit-learn style estimator over Kepler's search (get_params/set_params, fit, predict,
    score), usable with sklearn's clone and Pipeline without sklearn being needed to import it.

    Parameters: time_limit (seconds), max_evals (about this many candidates; 0 = no limit), seed,
    threads (0 = all cores), unit_system (si, si-angle, gaussian, natural, feynman or a file
    path), ops (operator names, a list or "+,-,*,/"; None = the engine's default set),
    keep_spikes (search on every row, also those whose target is a spike), verbose.
    """

    _PARAMETERS = ("time_limit", "max_evals", "seed", "threads", "unit_system", "ops", "keep_spikes", "verbose")

    def __init__(self, time_limit=60.0, max_evals=0, seed=1, threads=0, unit_system="si", ops=None,
                 keep_spikes=False, verbose=False):
        self.time_limit = time_limit
        self.max_evals = max_evals
        self.seed = seed
        self.threads = threads
        self.unit_system = unit_system
        self.ops = ops
        self.keep_spikes = keep_spikes
        self.verbose = verbose

    # ---- sklearn's BaseEstimator protocol ----
    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._PARAMETERS}

    def set_params(self, **params):
        for name, value in params.items():
            if name not in self._PARAMETERS:
                raise ValueError(f"invalid parameter {name!r} for KeplerRegressor; "
                                 f"expected one of: {', '.join(self._PARAMETERS)}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        changed = [f"{k}={v!r}" for k, v in self.get_params().items()
                   if v != KeplerRegressor().get_params()[k]]
        return f"KeplerRegressor({', '.join(changed)})"

    # ---- fitting ----
    def fit(self, X, y, names=None, units=None, target_unit=None):
        """Search for the law y = f(X). Column units come from `units` (one text per column, ""
        for none), else from names or DataFrame columns written "name [unit]"; the target's from
        target_unit, else a Series name "F [dyn]". With no units at all the search runs without
        dimensional analysis. Raises ValueError for bad input, with the CLI's message."""
        matrix = _as_matrix(X)
        labels = [_split_label(label) for label in _column_labels(X, names, matrix.shape[1])]
        features = [name for name, _ in labels]
        column_units = [unit for _, unit in labels]
        if units is not None:
            column_units = ["" if u is None else str(u) for u in units]
            if len(column_units) != len(features):
                raise ValueError(f"units has {len(column_units)} entries but X has {len(features)} columns")
        target, unit = _split_label(getattr(y, "name", None) or "y")
        if target_unit is not None:
            unit = str(target_unit)
        target_values = np.asarray(y, dtype=float).reshape(-1)
        if target_values.shape[0] != matrix.shape[0]:
            raise ValueError(f"y has {target_values.shape[0]} values but X has {matrix.shape[0]} rows")
        all_names = [target] + features
        duplicates = sorted({n for n in all_names if all_names.count(n) > 1})
        if duplicates:
            raise ValueError(f"column names must differ (the target's too); repeated: {', '.join(duplicates)}")

        options = {"target": target, "time_limit": self.time_limit, "max_evals": self.max_evals, "seed": self.seed,
                   "threads": self.threads, "unit_system": self.unit_system, "ops": self.ops,
                   "keep_spikes": self.keep_spikes}
        _check_options(options)
        progress = _ProgressLines(target) if self.verbose else None
        data = np.column_stack([target_values, matrix])
        text, laws = _kepler.fit_table(data, all_names, [unit] + column_units, options,
                                       _options_json(target, options), progress)
        self.result_ = _finish(json.loads(text))
        self._laws = laws
        self.feature_names_in_ = np.array(features, dtype=object)
        self.n_features_in_ = len(features)
        self.target_ = target
        self._set_results()
        return self

    def _set_results(self):
        result = self.result_
        front = result["front"]
        self.best_index_ = front.index(result["best"]) if result["best"] is not None else None
        best = result["best"] or {}
        self.formula_ = best.get("formula")
        self.inputs_ = list(result["inputs"])
        self.explanation_ = list(result["explanation"])
        # "named": the law with the unit system's constants by name (None when it names none);
        # "numeric": the same law with every constant a number (what predict() evaluates).
        rows = [{"formula": law["formula"], "complexity_bits": law["complexity_bits"], "rmse": law["rmse"],
                 "r2": law["r2"], "named": law["formula"] if law["named_constants"] else None,
                 "numeric": law["numeric_formula"], "error_bits": law["error_bits"],
                 "max_relative_error": law["max_relative_error"], "latex": law["latex"], "sympy": law["sympy"],
                 "best": i == self.best_index_} for i, law in enumerate(front)]
        try:
            import pandas
            self.front_ = pandas.DataFrame(rows, columns=list(rows[0]) if rows else None)
        except ImportError:
            self.front_ = rows

    def _best(self):
        if not hasattr(self, "result_"):
            raise NotFittedError("this KeplerRegressor is not fitted yet; call fit() first")
        if self.best_index_ is None:
            raise RuntimeError("the search found no formula")
        return self.best_index_

    # ---- using the law ----
    def predict(self, X):
        """The best law's values on the rows of X (the columns fit() saw, by name for a DataFrame)."""
        index = self._best()
        law = self._laws[index]
        features = list(self.feature_names_in_)
        if hasattr(X, "columns"):
            by_name = {_split_label(c)[0]: c for c in X.columns}
            missing = [n for n in law.inputs if n not in by_name]
            if missing:
                raise ValueError(f"X lacks the columns {', '.join(missing)} the law uses")
            columns = np.column_stack([np.asarray(X[by_name[n]], dtype=float) for n in law.inputs]) \
                if law.inputs else np.empty((len(X), 0))
            return law.evaluate(columns)
        matrix = _as_matrix(X)
        if matrix.shape[1] != len(features):
            raise ValueError(f"X has {matrix.shape[1]} columns; fit() saw {len(features)}")
        return law.evaluate(matrix[:, [features.index(n) for n in law.inputs]])

    def score(self, X, y, sample_weight=None):
        """R² of predict(X) against y."""
        y = np.asarray(y, dtype=float).reshape(-1)
        residual = y - self.predict(X)
        weight = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        total = np.sum(weight * (y - np.average(y, weights=weight)) ** 2)
        return float(1.0 - np.sum(weight * residual ** 2) / total) if total > 0 else float("nan")

    def sympy(self):
        """The best law as a SymPy expression; its free symbols are the columns it uses and the unit
        system's constants it names (needs sympy)."""
        import sympy
        return sympy.sympify(self.result_["front"][self._best()]["sympy"])

    def latex(self):
        """The best law in LaTeX."""
        return self.result_["front"][self._best()]["latex"]
