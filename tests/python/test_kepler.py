"""The Python module: run by CTest with the system's python3 and PYTHONPATH at the build's
package (tests/CMakeLists.txt). Every search has a max_evals budget, so nothing depends on time."""
import _thread
import importlib.util
import math
import os
import pickle
import threading
import unittest
import warnings

import numpy as np

import kepler

SOURCE_DIR = os.environ.get("KEPLER_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def newton_table(rows=200, seed=0):
    rng = np.random.default_rng(seed)
    m = rng.uniform(1.0, 5.0, rows)
    a = rng.uniform(0.5, 3.0, rows)
    return np.column_stack([m, a]), m * a


class NewtonFromArrays(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.X, cls.y = newton_table()
        cls.model = kepler.KeplerRegressor(max_evals=20000, threads=2)
        cls.model.fit(cls.X, cls.y, names=["m [kg]", "a [m/s^2]"], target_unit="N")

    def test_recovers_the_law_with_units(self):
        self.assertIn(self.model.formula_, ("m*a", "a*m"))
        self.assertTrue(self.model.result_["dimensional_analysis"])
        self.assertEqual(self.model.target_, "y")

    def test_predict_and_score_on_new_rows(self):
        X, y = newton_table(rows=50, seed=7)
        np.testing.assert_allclose(self.model.predict(X), y, rtol=1e-9)
        self.assertGreater(self.model.score(X, y), 0.999999)

    def test_front_lists_the_best_law(self):
        front = self.model.front_
        rows = front.to_dict("records") if hasattr(front, "to_dict") else front
        best = [row for row in rows if row["best"]]
        self.assertEqual(len(best), 1)
        self.assertEqual(best[0]["formula"], self.model.formula_)
        self.assertGreater(best[0]["r2"], 0.999999)
        self.assertIn("complexity_bits", best[0])

    def test_front_has_named_and_numeric_forms(self):
        front = self.model.front_
        rows = front.to_dict("records") if hasattr(front, "to_dict") else front
        for row in rows:
            self.assertIsNone(row["named"])  # m*a names no constant
            self.assertEqual(row["numeric"], row["formula"])

    def test_pickled_model_predicts_the_same(self):
        copy = pickle.loads(pickle.dumps(self.model))
        self.assertEqual(copy.formula_, self.model.formula_)
        np.testing.assert_array_equal(copy.predict(self.X), self.model.predict(self.X))

    def test_latex_and_explanation(self):
        self.assertIn("m", self.model.latex())
        self.assertTrue(self.model.explanation_)

    @unittest.skipUnless(importlib.util.find_spec("sympy"), "sympy not installed")
    def test_sympy_free_symbols_are_the_columns_used(self):
        self.assertEqual({str(s) for s in self.model.sympy().free_symbols}, {"m", "a"})


@unittest.skipUnless(importlib.util.find_spec("pandas"), "pandas not installed")
class CoulombFromDataFrame(unittest.TestCase):
    def test_units_from_column_names_in_gaussian_units(self):
        import pandas

        rng = np.random.default_rng(2)
        X = pandas.DataFrame({"q1 [statC]": rng.uniform(1, 5, 200), "q2 [statC]": rng.uniform(1, 5, 200),
                              "r [cm]": rng.uniform(1, 3, 200)})
        F = pandas.Series(X["q1 [statC]"] * X["q2 [statC]"] / X["r [cm]"] ** 2, name="F [dyn]")
        model = kepler.KeplerRegressor(max_evals=50000, threads=2, unit_system="gaussian").fit(X, F)
        self.assertIn(model.formula_, ("q1*q2/r^2", "q2*q1/r^2"))
        self.assertEqual(model.target_, "F")
        self.assertEqual(model.result_["unit_system"], "gaussian")
        self.assertIsInstance(model.front_, pandas.DataFrame)
        self.assertEqual(list(model.front_.loc[model.front_["best"], "formula"]), [model.formula_])
        self.assertGreater(model.score(X.iloc[:, ::-1], F), 0.999999)  # columns found by name


class Errors(unittest.TestCase):
    def test_unknown_unit_raises_value_error_naming_it(self):
        X, y = newton_table(rows=30)
        with self.assertRaises(ValueError) as caught:
            kepler.KeplerRegressor(max_evals=1000).fit(X, y, names=["m [kgg]", "a [m/s^2]"], target_unit="N")
        self.assertIn("'kgg'", str(caught.exception))
        self.assertIn("column 'm'", str(caught.exception))

    def test_names_and_units_of_different_lengths(self):
        X, y = newton_table(rows=30)
        with self.assertRaisesRegex(ValueError, "units has 1 entries but X has 2 columns"):
            kepler.KeplerRegressor(max_evals=1000).fit(X, y, units=["kg"])

    def test_ragged_rows(self):
        with self.assertRaises(ValueError):
            kepler.KeplerRegressor(max_evals=1000).fit([[1.0, 2.0], [3.0]], [1.0, 2.0])

    def test_unknown_operator(self):
        X, y = newton_table(rows=30)
        with self.assertRaisesRegex(ValueError, "ops: .*cosh"):
            kepler.KeplerRegressor(max_evals=1000, ops=["+", "cosh"]).fit(X, y)

    def test_predict_before_fit(self):
        with self.assertRaisesRegex(kepler.NotFittedError, "not fitted yet"):
            kepler.KeplerRegressor().predict(np.zeros((2, 2)))


class Interrupt(unittest.TestCase):
    def test_ctrl_c_stops_the_search_and_keeps_the_best_so_far(self):
        # A smooth law outside the grammar, gamma(a) + gamma(b)*c: no formula ends the search
        # early (pure noise would: a constant leaves only noise, and the search stops at the
        # noise floor), only the interrupt (a simulated SIGINT, as Ctrl-C or Jupyter's
        # interrupt sends) or the time limit it never reaches.
        rng = np.random.default_rng(3)
        X = rng.uniform(1.0, 5.0, (300, 3))
        y = np.array([math.gamma(a) + math.gamma(b) * c for a, b, c in X])
        timer = threading.Timer(1.0, _thread.interrupt_main)
        model = kepler.KeplerRegressor(time_limit=600.0, threads=1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            timer.start()
            model.fit(X, y)
        timer.join()
        self.assertTrue(model.result_["interrupted"])
        self.assertIsNotNone(model.formula_)
        self.assertEqual(model.predict(X).shape, (300,))
        self.assertTrue(any("interrupted" in str(w.message) for w in caught))


class Parameters(unittest.TestCase):
    def test_get_params_set_params_round_trip(self):
        model = kepler.KeplerRegressor(time_limit=5.0, max_evals=123, unit_system="gaussian")
        params = model.get_params()
        self.assertEqual(params["max_evals"], 123)
        self.assertEqual(params["unit_system"], "gaussian")
        copy = kepler.KeplerRegressor(**params)  # what sklearn's clone does
        self.assertEqual(copy.get_params(), params)
        self.assertIs(copy.set_params(seed=9, ops="+,*"), copy)
        self.assertEqual(copy.get_params()["seed"], 9)
        self.assertEqual(copy.get_params()["ops"], "+,*")
        with self.assertRaisesRegex(ValueError, "invalid parameter 'speed'"):
            copy.set_params(speed=1)


@unittest.skipUnless(importlib.util.find_spec("sklearn"), "scikit-learn is not installed")
class ScikitLearn(unittest.TestCase):
    def test_clone_and_pipeline(self):
        from sklearn.base import clone
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import FunctionTransformer

        model = kepler.KeplerRegressor(max_evals=20000, threads=2, seed=3)
        copy = clone(model)
        self.assertIsNot(copy, model)
        self.assertEqual(copy.get_params(), model.get_params())
        X, y = newton_table(seed=4)
        pipe = Pipeline([("identity", FunctionTransformer()), ("law", copy)])
        pipe.fit(X, y)
        self.assertIn(pipe.named_steps["law"].formula_, ("x0*x1", "x1*x0"))
        self.assertGreater(pipe.score(X, y), 0.999999)


@unittest.skipUnless(importlib.util.find_spec("sympy"), "SymPy is not installed")
class SympyNames(unittest.TestCase):
    def test_a_law_in_I_and_R_keeps_them_as_symbols(self):
        rng = np.random.default_rng(5)
        current = rng.uniform(0.5, 2.0, 200)
        resistance = rng.uniform(1.0, 10.0, 200)
        model = kepler.KeplerRegressor(max_evals=20000, threads=2)
        model.fit(np.column_stack([current, resistance]), current * resistance, names=["I [A]", "R [Ohm]"],
                  target_unit="V")
        self.assertEqual(sorted(str(s) for s in model.sympy().free_symbols), ["I", "R"])


class FitCsv(unittest.TestCase):
    def test_ideal_gas_result_is_the_cli_json(self):
        path = os.path.join(SOURCE_DIR, "datasets", "examples", "ideal_gas.csv")
        result = kepler.fit_csv(path, "P", max_evals=50000, threads=2)
        self.assertEqual(result["schema_version"], 3)
        self.assertEqual(result["target"], "P")
        self.assertEqual(result["options"]["max_evals"], 50000)
        self.assertTrue(result["dimensional_analysis"])
        self.assertGreater(result["best"]["r2"], 0.99)
        self.assertEqual(set(result["inputs"]), {"n", "T", "V"})
        self.assertLessEqual(result["evaluations"], 50000)
        # The row sample the HTML report draws, as `kepler fit --json` writes it.
        sample = result["sample"]
        self.assertGreater(sample["rows"], 0)
        self.assertEqual(len(sample["predicted"]), sample["rows"])

    def test_unknown_target_raises_the_cli_message(self):
        path = os.path.join(SOURCE_DIR, "datasets", "examples", "ideal_gas.csv")
        with self.assertRaisesRegex(ValueError, "unknown target column 'G'"):
            kepler.fit_csv(path, "G", max_evals=1000)

    def test_max_memory_is_checked_and_recorded(self):
        path = os.path.join(SOURCE_DIR, "datasets", "examples", "ideal_gas.csv")
        for bad in (0, -1, 1.5, 1 << 25):
            with self.assertRaisesRegex(ValueError, "max_memory: expected a number of megabytes"):
                kepler.fit_csv(path, "P", max_evals=1000, max_memory=bad)
        result = kepler.fit_csv(path, "P", max_evals=20000, max_memory=64)
        self.assertEqual(result["options"]["max_memory"], 64)

    def test_unknown_option_is_a_type_error(self):
        with self.assertRaises(TypeError):
            kepler.fit_csv("x.csv", "P", max_eval=10)



class PendulumNamesStandardGravity(unittest.TestCase):
    """A pendulum table without g: the law names the unit system's g_n; front_ has both forms."""

    def test_named_and_numeric_columns(self):
        rng = np.random.default_rng(3)
        L = rng.uniform(0.25, 2.0, 200)
        T = 2 * np.pi * np.sqrt(L / 9.80665)
        model = kepler.KeplerRegressor(max_evals=100000, threads=2)
        model.fit(L.reshape(-1, 1), T, names=["L [m]"], target_unit="s")
        self.assertEqual(model.formula_, "2*pi*sqrt(L/g_n)")
        front = model.front_
        rows = front.to_dict("records") if hasattr(front, "to_dict") else front
        best = [row for row in rows if row["best"]][0]
        self.assertEqual(best["named"], "2*pi*sqrt(L/g_n)")
        self.assertEqual(best["numeric"], "2*pi*sqrt(L/9.80665)")
        named = model.result_["best"]["named_constants"]
        self.assertEqual([c["symbol"] for c in named], ["g_n"])
        self.assertEqual(named[0]["value"], 9.80665)
        np.testing.assert_allclose(model.predict(L.reshape(-1, 1)), T, rtol=1e-9)


if __name__ == "__main__":
    unittest.main()
