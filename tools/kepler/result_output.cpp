#include "result_output.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

namespace kepler::cli {

namespace {

std::string fixed(const char* format, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

// JSON has no infinity or NaN: those become null.
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

void print_report(std::ostream& out, const DiscoveryResult& r) {
    out << "target " << r.target << " from ";
    for (std::size_t i = 0; i < r.inputs.size(); ++i) out << (i ? ", " : "") << r.inputs[i];
    out << " (" << r.rows_used << " rows)\n";
    if (r.dimensional_analysis) {
        out << "units: " << r.unit_system << "; target monomial "
            << (r.target_monomial.empty() ? std::string("(none: a constant is needed)") : r.target_monomial);
        out << "; dimensionless groups: ";
        if (r.dimensionless_groups.empty()) out << "none";
        for (std::size_t i = 0; i < r.dimensionless_groups.size(); ++i) out << (i ? ", " : "") << r.dimensionless_groups[i];
        out << "\n";
        for (const auto& c : r.constants_introduced) out << "constant brought in: " << c << "\n";
        for (const auto& s : r.scales_absorbed) out << "unit scale absorbed: " << s << "\n";
    }
    for (const auto& note : r.notes) out << "note: " << note << "\n";
    out << "search: " << r.evaluations << " candidates in " << fixed("%.2f", r.seconds) << " s";
    if (r.cancelled) out << " (interrupted)";
    else if (r.timed_out) out << " (time limit reached)";
    else if (r.evaluation_limit_reached) out << " (evaluation limit reached)";
    out << "\n";
    if (r.front.empty()) {
        out << "no formula found\n";
        return;
    }
    out << "Pareto front (complexity bits, RMSE, R2):\n";
    for (std::size_t i = 0; i < r.front.size(); ++i) {
        const auto& law = r.front[i];
        out << (i == r.best ? " * " : "   ") << fixed("%6.1f", law.complexity_bits) << "  "
            << fixed("%-10.3g", law.rmse) << "  " << fixed("%-10.6f", law.r2) << "  " << r.target << " = "
            << law.formula << "\n";
    }
    out << "best: " << r.target << " = " << r.best_law()->formula << "\n";
}

void write_json(const std::string& path, const DiscoveryResult& r, const std::string& data_file) {
    nlohmann::json front = nlohmann::json::array();
    for (const auto& law : r.front) {
        front.push_back({{"formula", law.formula},
                         {"latex", law.latex},
                         {"sympy", law.sympy},
                         {"complexity_bits", law.complexity_bits},
                         {"error_bits", number(law.error_bits)},
                         {"rmse", number(law.rmse)},
                         {"r2", number(law.r2)},
                         {"max_relative_error", number(law.max_relative_error)}});
    }
    nlohmann::json doc = {
        {"data", data_file},
        {"target", r.target},
        {"inputs", r.inputs},
        {"best", r.front.empty() ? nlohmann::json(nullptr) : front[r.best]},
        {"front", front},
        {"rows_used", r.rows_used},
        {"rows_dropped", r.rows_dropped},
        {"evaluations", r.evaluations},
        {"seconds", r.seconds},
        {"interrupted", r.cancelled},
        {"timed_out", r.timed_out},
        {"evaluation_limit_reached", r.evaluation_limit_reached},
        {"dimensional_analysis", r.dimensional_analysis},
        {"unit_system", r.dimensional_analysis ? nlohmann::json(r.unit_system) : nlohmann::json(nullptr)},
        {"target_monomial", r.target_monomial.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.target_monomial)},
        {"dimensionless_groups", r.dimensionless_groups},
        {"constants_introduced", r.constants_introduced},
        {"scales_absorbed", r.scales_absorbed},
        {"notes", r.notes},
    };
    std::ofstream file(path);
    if (!file) throw std::runtime_error("cannot write JSON result to '" + path + "'");
    file << doc.dump(2) << "\n";
    if (!file) throw std::runtime_error("cannot write JSON result to '" + path + "'");
}

}  // namespace kepler::cli
