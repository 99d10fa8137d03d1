#include "kepler/pipeline/tidy_constants.hpp"
#include "kepler/fitting/exact_fit.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "kepler/core/evaluator.hpp"

namespace kepler {

double round_significant(double value, int digits) {
    if (value == 0.0 || !std::isfinite(value)) return value;
    // Round through decimal text so the result is the double nearest the short decimal.
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
    double out = value;
    std::from_chars(buffer, buffer + std::char_traits<char>::length(buffer), out);
    return out;
}

Expression tidy_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                          const Eigen::Ref<const Eigen::VectorXd>& y, double tolerance) {
    Evaluator evaluate;
    Eigen::VectorXd prediction(y.size());
    auto rmse = [&](const Expression& candidate) {
        evaluate.evaluate(candidate, X, prediction);
        // At any magnitude (fitting/magnitude.hpp): no underflow for a table near 1e-300.
        const double r = root_mean_square(prediction - y);
        return std::isfinite(r) ? r : INFINITY;
    };
    const double floor = 1e-12 * root_mean_square(y);
    Expression best = e;
    const double allowed = rmse(e) * (1.0 + tolerance) + floor;
    auto& nodes = best.mutable_nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].op != Op::Const) continue;
        const double original = nodes[i].value;
        for (int digits = 1; digits < 16; ++digits) {
            const double shorter = round_significant(original, digits);
            if (shorter == original) break;
            nodes[i].value = shorter;
            if (rmse(best) <= allowed) break;
            nodes[i].value = original;
        }
    }
    return best;
}

}  // namespace kepler
