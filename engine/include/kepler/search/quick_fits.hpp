// Quick fits, tried before any search (AI Feynman's first step): the law may be a power law,
// linear in log space, or a low-degree polynomial, linear in its coefficients. Both are linear
// least-squares problems solved in milliseconds, and they reach forms the searches build
// slowly or not at all: y = a*x0*x1 + b*x0 (a resistance that grows with temperature,
// U = I*(a*T + b)) needs an inner constant the enumerator does not fit, and its two terms
// have different dimensions, so a dimensionally typed search never adds them.
//
// The polynomial is the best subset of 1 to max_terms monomials of degree <= 2 (<= 3 for up
// to five inputs), each size searched exhaustively; every size's best is a candidate. Each
// term carries its own fitted coefficient, so with units a term is admitted when that
// coefficient may carry the dimension it needs (the same rule as the searches' fitted scale:
// scale_admissible). The power law's exponents
// are snapped to halves or thirds (what physics laws have); its one constant is refitted.
// The candidates only join the pool: they compete with every other formula on the front.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/search/search_options.hpp"

namespace kepler {

struct QuickFitOptions {
    // Units of the inputs and the target; none: every monomial is allowed.
    std::optional<DimensionalConstraints> dimensions;
    // The operators the formulas may use (`kepler fit --ops`); empty = any. A polynomial needs
    // + and *; a power law * and /, and sqrt for a half or ^ for a third as an exponent.
    std::vector<Op> operators;
    std::size_t max_terms = 4;    // of the polynomial, the intercept counted
    std::size_t max_inputs = 10;  // more inputs: no polynomial (the monomials grow as n^2)
    std::size_t max_rows = 5000;  // a larger table is fitted on an even subsample of this size
};

struct QuickFit {
    Expression formula;  // constants as Const nodes, Var k is column k of X
    std::string kind;    // "power law" or "polynomial, N terms"
    double rmse = 0.0;   // on the rows fitted
};

// X: rows x inputs, y: one value per row; both finite (throws std::invalid_argument if not).
// Candidates in the order found: the power law (when y is of one sign and the inputs
// positive), then the polynomial after each step of the selection.
std::vector<QuickFit> quick_fits(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                 const QuickFitOptions& options = {});

}  // namespace kepler
