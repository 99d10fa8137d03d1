#include "kepler/core/evaluator.hpp"

#include "kepler/core/array_ops.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace kepler {

namespace {

using Block = Eigen::Map<Eigen::ArrayXd>;
using ConstBlock = Eigen::Map<const Eigen::ArrayXd>;

// One stack slot: where its values are (a column of X read in place, or this slot's buffer).
struct Slot {
    const double* data;
};

}  // namespace

void Evaluator::evaluate(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                         Eigen::Ref<Eigen::VectorXd> out, std::span<const double> params) {
    if (out.size() != X.rows()) throw std::invalid_argument("evaluate: output size differs from row count");
    if (e.variable_count() > static_cast<std::size_t>(X.cols()))
        throw std::invalid_argument("evaluate: expression uses a column the table does not have");
    if (e.empty()) throw std::invalid_argument("evaluate: empty expression");

    const std::size_t depth = e.stack_depth();
    if (scratch_.size() < depth * kBlockRows) scratch_.resize(depth * kBlockRows);
    // The slot pointers live on the C++ stack for small programs: no allocation per call.
    Slot small_slots[64];
    std::vector<Slot> large_slots;
    Slot* slots = small_slots;
    if (depth > 64) {
        large_slots.resize(depth);
        slots = large_slots.data();
    }
    const auto nodes = e.nodes();
    const Eigen::Index rows = X.rows();

    for (Eigen::Index r0 = 0; r0 < rows; r0 += kBlockRows) {
        const Eigen::Index n = std::min(kBlockRows, rows - r0);
        std::size_t top = 0;  // number of values on the stack
        for (const Node& node : nodes) {
            double* buffer_for_new = scratch_.data() + top * kBlockRows;
            switch (arity(node.op)) {
                case 0: {
                    if (node.op == Op::Var) {
                        slots[top].data = X.col(node.index).data() + r0;
                    } else {
                        double v = node.value;
                        if (node.op == Op::Pi) v = std::numbers::pi;
                        if (node.op == Op::Param && node.index < params.size()) v = params[node.index];
                        Block(buffer_for_new, n).setConstant(v);
                        slots[top].data = buffer_for_new;
                    }
                    ++top;
                    break;
                }
                case 1: {
                    double* buf = scratch_.data() + (top - 1) * kBlockRows;
                    apply_unary(node.op, ConstBlock(slots[top - 1].data, n), Block(buf, n));
                    slots[top - 1].data = buf;
                    break;
                }
                default: {
                    double* buf = scratch_.data() + (top - 2) * kBlockRows;
                    apply_binary(node.op, ConstBlock(slots[top - 2].data, n), ConstBlock(slots[top - 1].data, n),
                                 Block(buf, n));
                    slots[top - 2].data = buf;
                    --top;
                    break;
                }
            }
        }
        out.segment(r0, n) = Eigen::Map<const Eigen::VectorXd>(slots[0].data, n);
    }
}

Eigen::VectorXd Evaluator::operator()(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                      std::span<const double> params) {
    Eigen::VectorXd out(X.rows());
    evaluate(e, X, out, params);
    return out;
}

}  // namespace kepler
