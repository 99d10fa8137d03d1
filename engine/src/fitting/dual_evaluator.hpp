// Forward-mode automatic differentiation over a postfix expression, for constant fitting.
//
// Like Evaluator, rows are processed in blocks and every node is one Eigen array operation
// per block. Each stack slot carries its value block and one derivative block per parameter
// (d value / d p_k); a per-slot flag per parameter records whether that derivative can be
// non-zero, so subtrees without parameters (variables, constants) cost what they cost in
// Evaluator and their derivative blocks are never touched.
#pragma once

#include <Eigen/Core>
#include <span>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler::detail {

class DualEvaluator {
public:
    static constexpr Eigen::Index kBlockRows = 256;

    // values(i) = e(X.row(i); params) and jacobian(i, k) = d e(X.row(i); params) / d params[k].
    // `params` gives every Param slot's value (params.size() >= e.parameter_count(), else
    // std::invalid_argument); `values` has X.rows() entries, `jacobian` is X.rows() x
    // params.size(). Columns of slots the expression does not use are 0. Derivatives follow
    // the usual rules; at points where they do not exist (sqrt(0), log(0), ...) the entries
    // are whatever the arithmetic gives (inf or NaN). Reuses scratch memory between calls.
    void evaluate(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X, std::span<const double> params,
                  Eigen::Ref<Eigen::VectorXd> values, Eigen::Ref<Eigen::MatrixXd> jacobian);

private:
    std::vector<double> scratch_;
    std::vector<unsigned char> active_;  // stack depth x parameter count
    std::vector<const double*> value_;   // where each slot's value block is
};

}  // namespace kepler::detail
