#include "kepler/core/textbook_form.hpp"

#include <cmath>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/simplify.hpp"
#include "normal_form.hpp"

namespace kepler {

Expression textbook_form(const Expression& e) {
    return detail::normal_form(e, {.canonical = false, .round_constants = false, .factor_sums = true});
}

Expression textbook_form_on_rows(const Expression& e, const Eigen::MatrixXd& X) {
    Expression t = textbook_form(e);
    if (t == e) return t;
    Evaluator evaluator;
    const Eigen::VectorXd before = evaluator(e, X), after = evaluator(t, X);
    double sum_squares = 0.0;
    for (Eigen::Index i = 0; i < before.size(); ++i)
        if (std::isfinite(before(i))) sum_squares += before(i) * before(i);
    const double floor = before.size() > 0 ? 1e-12 * std::sqrt(sum_squares / static_cast<double>(before.size())) : 0.0;
    for (Eigen::Index i = 0; i < before.size(); ++i) {
        if (!std::isfinite(before(i))) continue;
        if (!(std::abs(after(i) - before(i)) <= 1e-9 * std::abs(before(i)) + floor)) return simplify(e);
    }
    return t;
}

}  // namespace kepler
