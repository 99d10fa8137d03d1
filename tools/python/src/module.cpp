// The compiled half of the Python module: `kepler._kepler`. It turns arrays and option dicts
// into kepler::api calls and results into the CLI's JSON document (a string the Python half
// parses), and gives the laws found as objects that evaluate on new rows. The estimator, the
// unit parsing of column names and everything else a Python user sees is in kepler/__init__.py.
//
// The search runs on a worker thread with the GIL released, while the calling thread wakes
// every 0.1 s to run Python's signal handlers (PyErr_CheckSignals) and to hand progress to a
// Python callback. A KeyboardInterrupt (Ctrl-C, or Jupyter's interrupt, which sends SIGINT)
// sets the search's cancel flag: the search stops soon and its best formulas so far come back,
// with "interrupted": true in the result.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kepler/api/fit.hpp"
#include "kepler/api/result_json.hpp"
#include "kepler/api/row_sample.hpp"
#include "kepler/api/table_loading.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/version.hpp"

namespace py = pybind11;

namespace kepler::python {

namespace {

using ColumnMajor = py::array_t<double, py::array::f_style | py::array::forcecast>;

// One formula of the front, as an object that evaluates on new rows. Var k is inputs[k].
struct Law {
    Expression expression;
    std::vector<std::string> inputs;
    std::string formula;

    // X: rows x inputs.size(), in the order of `inputs`.
    py::array_t<double> evaluate(const ColumnMajor& X) const {
        if (X.ndim() != 2 || static_cast<std::size_t>(X.shape(1)) != inputs.size())
            throw py::value_error("expected a 2-D array with " + std::to_string(inputs.size()) + " columns");
        const Eigen::Map<const Eigen::MatrixXd> matrix(X.data(), X.shape(0), X.shape(1));
        Eigen::VectorXd out;
        {
            py::gil_scoped_release release;
            Evaluator evaluator;
            out = evaluator(expression, matrix);
        }
        return py::array_t<double>(out.size(), out.data());
    }
};

// Law's pickled state: (nodes as (op, index, value) tuples in postfix order, inputs, formula).
py::tuple law_state(const Law& law) {
    py::list nodes;
    for (const Node& n : law.expression.nodes()) nodes.append(py::make_tuple(static_cast<int>(n.op), n.index, n.value));
    return py::make_tuple(nodes, law.inputs, law.formula);
}

Law law_from_state(const py::tuple& state) {
    if (state.size() != 3) throw py::value_error("not a pickled kepler law");
    std::vector<Node> nodes;
    for (const auto& item : state[0].cast<py::list>()) {
        const auto [op, index, value] = item.cast<std::tuple<int, std::uint16_t, double>>();
        if (op < 0 || op >= kOpCount) throw py::value_error("not a pickled kepler law: operator " + std::to_string(op));
        nodes.push_back({static_cast<Op>(op), index, value});
    }
    return Law{Expression(std::move(nodes)), state[1].cast<std::vector<std::string>>(), state[2].cast<std::string>()};
}

template <class T>
T option(const py::dict& options, const char* key, T fallback) {
    if (!options.contains(key) || options[key].is_none()) return fallback;
    return options[key].cast<T>();
}

api::Screening screening_from(const std::string& text) {
    if (text == "on") return api::Screening::on;
    if (text == "off") return api::Screening::off;
    if (text == "automatic") return api::Screening::automatic;
    throw py::value_error("screen: expected 'automatic', 'on' or 'off', got '" + text + "'");
}

api::FitRequest request_from(const py::dict& o) {
    api::FitRequest request;
    request.target = option<std::string>(o, "target", "");
    request.inputs = option<std::vector<std::string>>(o, "inputs", {});
    request.units.system = option<std::string>(o, "unit_system", "si");
    request.units.file = option<std::string>(o, "units_file", "");
    request.use_units = !option<bool>(o, "no_units", false);
    request.screening = screening_from(option<std::string>(o, "screen", "automatic"));
    DiscoverOptions& options = request.options;
    options.sample_rows = option<std::size_t>(o, "sample", 0);
    options.reject_spikes = !option<bool>(o, "keep_spikes", false);
    options.search.time_limit_seconds = option<double>(o, "time_limit", 60.0);
    options.search.threads = option<int>(o, "threads", 0);
    options.search.seed = option<std::uint64_t>(o, "seed", 1);
    if (const auto nodes = option<std::size_t>(o, "max_nodes", 0); nodes > 0) options.search.max_nodes = nodes;
    options.search.max_evaluations = option<std::size_t>(o, "max_evals", 0);
    options.search.max_memory_mb = option<std::size_t>(o, "max_memory", options.search.max_memory_mb);
    if (const auto ops = option<std::string>(o, "ops", ""); !ops.empty()) {
        try {
            options.search.operators = operators_from_names(ops);
        } catch (const std::invalid_argument& e) {
            throw py::value_error(std::string("ops: ") + e.what());
        }
    }
    return request;
}

// The latest progress report of the search, handed from the worker to the calling thread.
class ProgressSlot {
public:
    void put(const api::FitProgress& p) {
        std::lock_guard lock(mutex_);
        latest_ = p;
    }
    std::optional<api::FitProgress> take() {
        std::lock_guard lock(mutex_);
        return std::exchange(latest_, std::nullopt);
    }

private:
    std::mutex mutex_;
    std::optional<api::FitProgress> latest_;
};

// Runs api::fit through `search` (called with the finished request) on a worker thread with
// the GIL released, polling signals and progress from this thread as the file's head says.
template <class Search>
api::FitOutcome run_interruptible(api::FitRequest request, const py::object& progress, Search search) {
    std::atomic<bool> cancel{false};
    ProgressSlot slot;
    request.options.search.cancel = &cancel;
    if (!progress.is_none()) {
        request.options.search.progress_interval_seconds = 0.5;
        request.progress = [&slot](const api::FitProgress& p) { slot.put(p); };
    }
    std::future<api::FitOutcome> done = std::async(std::launch::async, [&] { return search(request); });
    std::optional<py::error_already_set> pending;  // an exception of a signal handler or callback
    for (;;) {
        bool finished;
        {
            py::gil_scoped_release release;
            finished = done.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
        }
        if (finished) break;
        if (cancel.load()) continue;
        try {
            if (PyErr_CheckSignals() != 0) throw py::error_already_set();
            if (const auto p = slot.take(); p && !progress.is_none())
                progress(p->seconds, p->evaluations, p->has_best ? py::cast(p->best_formula) : py::none(), p->rmse);
        } catch (py::error_already_set& e) {
            cancel.store(true);
            if (!e.matches(PyExc_KeyboardInterrupt)) pending = std::move(e);
        }
    }
    api::FitOutcome outcome = done.get();  // rethrows the search's own exception
    if (pending) throw std::move(*pending);
    return outcome;
}

// The CLI's JSON result document (with the row sample the HTML report draws), as text, and
// the front's laws.
py::tuple result_of(const Table& table, const api::FitOutcome& outcome, const std::string& data,
                    const std::string& options_json) {
    const nlohmann::json options = nlohmann::json::parse(options_json);
    nlohmann::json doc =
        api::result_json(outcome.discovery, data, options, outcome.screened ? &*outcome.screened : nullptr);
    doc["sample"] = api::row_sample_json(table, outcome.discovery);
    py::list laws;
    for (const FoundLaw& law : outcome.discovery.front)
        laws.append(Law{law.expression, outcome.discovery.inputs, law.formula});
    return py::make_tuple(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), laws);
}

// fit_table(data, names, units, options, options_json, progress): data is rows x columns.
py::tuple fit_table(const ColumnMajor& data, const std::vector<std::string>& names,
                    const std::vector<std::string>& units, const py::dict& options, const std::string& options_json,
                    const py::object& progress) {
    if (data.ndim() != 2 || static_cast<std::size_t>(data.shape(1)) != names.size() || units.size() != names.size())
        throw py::value_error("internal: the table, its names and its units differ in size");
    Table table;
    table.names = names;
    table.units = units;
    table.data = Eigen::Map<const Eigen::MatrixXd>(data.data(), data.shape(0), data.shape(1));
    const std::string source = "X";
    const api::FitOutcome outcome = run_interruptible(
        request_from(options), progress, [&](const api::FitRequest& r) { return api::fit(table, r, source); });
    return result_of(table, outcome, "", options_json);
}

py::tuple fit_csv(const std::string& path, const py::dict& options, const std::string& options_json,
                  const py::object& progress) {
    grammar::CsvOptions csv;
    csv.max_rows = option<std::size_t>(options, "rows", 0);
    Table table;
    const api::FitOutcome outcome = run_interruptible(request_from(options), progress, [&](const api::FitRequest& r) {
        table = api::load_table(path, csv);
        return api::fit(table, r, path);
    });
    return result_of(table, outcome, path, options_json);
}

}  // namespace

}  // namespace kepler::python

PYBIND11_MODULE(_kepler, m) {
    using namespace kepler::python;
    m.doc() = "Kepler's engine; use the `kepler` package (KeplerRegressor, fit_csv) rather than this module.";
    m.attr("__version__") = KEPLER_VERSION;
    py::register_exception<kepler::api::InputError>(m, "InputError", PyExc_ValueError);
    py::class_<Law>(m, "Law")
        .def_readonly("inputs", &Law::inputs)
        .def_readonly("formula", &Law::formula)
        .def("evaluate", &Law::evaluate, py::arg("X"), "The law's values on rows X (columns in the order of inputs)")
        .def(py::pickle(&law_state, &law_from_state));
    m.def("fit_table", &fit_table, py::arg("data"), py::arg("names"), py::arg("units"), py::arg("options"),
          py::arg("options_json"), py::arg("progress") = py::none());
    m.def("fit_csv", &fit_csv, py::arg("path"), py::arg("options"), py::arg("options_json"),
          py::arg("progress") = py::none());
}
