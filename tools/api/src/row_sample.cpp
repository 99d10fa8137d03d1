#include "kepler/api/row_sample.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "kepler/core/evaluator.hpp"

namespace kepler::api {

namespace {

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json numbers(const Eigen::Ref<const Eigen::VectorXd>& v) {
    nlohmann::json out = nlohmann::json::array();
    for (Eigen::Index i = 0; i < v.size(); ++i) out.push_back(number(v(i)));
    return out;
}

// The rows where the target and every input are finite: the rows the fit could use.
std::vector<Eigen::Index> usable_rows(const Table& table, const std::vector<std::size_t>& columns) {
    std::vector<Eigen::Index> rows;
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        bool finite = true;
        for (std::size_t c : columns) finite = finite && std::isfinite(table.data(r, static_cast<Eigen::Index>(c)));
        if (finite) rows.push_back(r);
    }
    return rows;
}

// `count` of `rows`, evenly spread: the j-th is rows[floor(j * n / count)].
std::vector<Eigen::Index> spread(const std::vector<Eigen::Index>& rows, std::size_t count) {
    if (rows.size() <= count) return rows;
    std::vector<Eigen::Index> picked;
    picked.reserve(count);
    for (std::size_t j = 0; j < count; ++j) picked.push_back(rows[j * rows.size() / count]);
    return picked;
}

std::optional<std::size_t> timestamp_column(const Table& table) {
    for (std::size_t c = 0; c < table.columns(); ++c)
        if (table.is_timestamp(c)) return c;
    return std::nullopt;
}

}  // namespace

nlohmann::json row_sample_json(const Table& table, const DiscoveryResult& result, std::size_t max_rows) {
    std::vector<std::size_t> columns{table.require_column(result.target, "target")};
    for (const std::string& name : result.inputs) columns.push_back(table.require_column(name, "input"));
    const std::vector<Eigen::Index> usable = usable_rows(table, columns);
    const std::vector<Eigen::Index> rows = spread(usable, max_rows);
    const Eigen::Index n = static_cast<Eigen::Index>(rows.size());

    // The sampled values, one column per input (Var k of the law is inputs[k]).
    Eigen::MatrixXd X(n, static_cast<Eigen::Index>(result.inputs.size()));
    Eigen::VectorXd measured(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        measured(i) = table.data(rows[i], static_cast<Eigen::Index>(columns[0]));
        for (Eigen::Index k = 0; k < X.cols(); ++k)
            X(i, k) = table.data(rows[i], static_cast<Eigen::Index>(columns[static_cast<std::size_t>(k) + 1]));
    }
    nlohmann::json row_numbers = nlohmann::json::array();
    for (Eigen::Index r : rows) row_numbers.push_back(r + 1);
    nlohmann::json inputs = nlohmann::json::array();
    for (Eigen::Index k = 0; k < X.cols(); ++k) {
        const std::size_t column = columns[static_cast<std::size_t>(k) + 1];
        inputs.push_back({{"name", table.names[column]},
                          {"unit", column < table.units.size() ? table.units[column] : ""},
                          {"values", numbers(X.col(k))}});
    }
    nlohmann::json sample = {
        {"rows", n},          {"of_rows", usable.size()},
        {"row", row_numbers}, {"target_unit", columns[0] < table.units.size() ? table.units[columns[0]] : ""},
        {"inputs", inputs},   {"measured", numbers(measured)},
        {"time", nullptr}};
    if (const FoundLaw* law = result.best_law()) {
        const Eigen::VectorXd predicted = Evaluator{}(law->expression, X);
        sample["predicted"] = numbers(predicted);
        sample["residual"] = numbers(measured - predicted);
    }
    if (const std::optional<std::size_t> time = timestamp_column(table)) {
        Eigen::VectorXd t(n);
        for (Eigen::Index i = 0; i < n; ++i) t(i) = table.data(rows[i], static_cast<Eigen::Index>(*time));
        sample["time"] = {{"name", table.names[*time]}, {"values", numbers(t)}};
    }
    return sample;
}

}  // namespace kepler::api
