// Evaluation of a postfix expression over many rows at once.
//
// Rows are processed in blocks (kBlockRows); within a block every node is one Eigen array
// operation, so the per-node dispatch is paid once per block rather than once per row.
// Variables are read in place from the column-major input (no copy).
#pragma once

#include <Eigen/Core>
#include <span>
#include <vector>

#include "kepler/core/expression.hpp"

namespace kepler {

class Evaluator {
public:
    static constexpr Eigen::Index kBlockRows = 256;

    // out(i) = e(X.row(i)). X is rows x variables, column-major. `out` must have X.rows()
    // entries. If `params` is not empty it overrides the Param nodes' stored values.
    // Reuses this evaluator's scratch memory: no allocation once it has grown.
    void evaluate(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X, Eigen::Ref<Eigen::VectorXd> out,
                  std::span<const double> params = {});

    // Convenience form that allocates the result.
    Eigen::VectorXd operator()(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                               std::span<const double> params = {});

private:
    std::vector<double> scratch_;
};

}  // namespace kepler
