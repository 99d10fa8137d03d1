#include "uniform_table.hpp"

#include <cmath>
#include <random>
#include <stdexcept>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"

namespace kepler::datasets {

Table uniform_table(const LawSpec& spec, std::size_t rows, std::uint64_t seed, double noise, double input_noise) {
    const std::size_t k = spec.inputs.size();
    if (spec.law.variable_count() > k) throw std::invalid_argument("law uses more inputs than were given");
    std::mt19937_64 rng(seed);
    Eigen::MatrixXd inputs(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(k));
    Eigen::VectorXd y(static_cast<Eigen::Index>(rows));
    Evaluator evaluate;
    Eigen::MatrixXd one(1, static_cast<Eigen::Index>(k));
    Eigen::VectorXd value(1);
    for (std::size_t r = 0; r < rows; ++r) {
        // Draw until the law is defined at the point; give up on a law that is nowhere defined.
        for (int attempt = 0;; ++attempt) {
            if (attempt == 1000) throw std::invalid_argument("law is not finite on its input ranges");
            for (std::size_t j = 0; j < k; ++j)
                one(0, j) = std::uniform_real_distribution<double>(spec.inputs[j].low, spec.inputs[j].high)(rng);
            evaluate.evaluate(spec.law, one, value);
            if (std::isfinite(value(0))) break;
        }
        inputs.row(r) = one.row(0);
        y(r) = value(0);
    }
    if (noise > 0.0) {
        double rms = std::sqrt(y.squaredNorm() / std::max<double>(1.0, rows));
        std::normal_distribution<double> gauss(0.0, noise * rms);
        for (auto& v : y) v += gauss(rng);
    }
    if (input_noise > 0.0) {
        for (std::size_t j = 0; j < k; ++j) {
            if (!(spec.inputs[j].low < spec.inputs[j].high)) continue;
            auto column = inputs.col(static_cast<Eigen::Index>(j));
            const double rms = std::sqrt(column.squaredNorm() / std::max<double>(1.0, rows));
            std::normal_distribution<double> gauss(0.0, input_noise * rms);
            for (auto& v : column) v += gauss(rng);
        }
    }
    Table t;
    t.names.push_back(spec.target);
    t.units.push_back(spec.target_unit);
    for (const auto& in : spec.inputs) {
        t.names.push_back(in.name);
        t.units.push_back(in.unit);
    }
    t.data.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(k + 1));
    t.data.col(0) = y;
    t.data.rightCols(static_cast<Eigen::Index>(k)) = inputs;
    return t;
}

std::string to_csv(const Table& table) {
    std::string out;
    for (std::size_t j = 0; j < table.columns(); ++j) {
        if (j) out += ',';
        out += table.names[j];
        if (!table.units[j].empty()) out += " [" + table.units[j] + "]";
    }
    out += '\n';
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        for (Eigen::Index j = 0; j < table.data.cols(); ++j) {
            if (j) out += ',';
            out += format_number(table.data(r, j));
        }
        out += '\n';
    }
    return out;
}

}  // namespace kepler::datasets
