#include "dual_evaluator.hpp"

#include "kepler/core/array_ops.hpp"

#include <algorithm>
#include <numbers>
#include <stdexcept>

namespace kepler::detail {

namespace {

using Block = Eigen::Map<Eigen::ArrayXd>;
using ConstBlock = Eigen::Map<const Eigen::ArrayXd>;

// Scratch layout: slot s owns (1 + P) blocks, its value then d/dp_0 .. d/dp_{P-1}; after the
// slots come three temporary blocks.
class Frame {
public:
    Frame(double* base, std::size_t params, Eigen::Index n) : base_(base), params_(params), n_(n) {}

    double* value(std::size_t slot) const { return base_ + slot * stride(); }
    Block derivative(std::size_t slot, std::size_t k) const {
        return Block(base_ + slot * stride() + (1 + k) * kRows, n_);
    }
    Block temp(std::size_t depth, int t) const {
        return Block(base_ + depth * stride() + static_cast<std::size_t>(t) * kRows, n_);
    }

    static constexpr std::size_t kRows = static_cast<std::size_t>(DualEvaluator::kBlockRows);

private:
    std::size_t stride() const { return (1 + params_) * kRows; }
    double* base_;
    std::size_t params_;
    Eigen::Index n_;
};

// out = f(a) and g = f'(a). `a` may share memory with `out` (element-wise operations only,
// and g is always computed before out is written); `t` is a further temporary.
void unary_value_and_slope(Op op, ConstBlock a, Block out, Block g, Block t) {
    switch (op) {
        case Op::Sqrt:
            t = a.sqrt();
            g = 0.5 / t;
            out = t;
            break;
        case Op::Square:
            g = 2.0 * a;
            out = a.square();
            break;
        case Op::Exp:
            t = a.exp();
            g = t;
            out = t;
            break;
        case Op::Log:
            g = a.inverse();
            out = a.log();
            break;
        case Op::Sin:
            g = a.cos();
            out = a.sin();
            break;
        case Op::Cos:
            g = -a.sin();
            out = a.cos();
            break;
        case Op::Tan:
            t = a.tan();
            g = 1.0 + t.square();
            out = t;
            break;
        case Op::Asin:
            g = (1.0 - a.square()).sqrt().inverse();
            out = a.asin();
            break;
        case Op::Acos:
            g = -(1.0 - a.square()).sqrt().inverse();
            out = a.acos();
            break;
        case Op::Atan:
            g = (1.0 + a.square()).inverse();
            out = a.atan();
            break;
        case Op::Tanh:
            t = a.tanh();
            g = 1.0 - t.square();
            out = t;
            break;
        case Op::Abs:
            g = a.sign();
            out = a.abs();
            break;
        default:
            throw std::logic_error("not a differentiable unary operator");
    }
}

}  // namespace

void DualEvaluator::evaluate(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                             std::span<const double> params, Eigen::Ref<Eigen::VectorXd> values,
                             Eigen::Ref<Eigen::MatrixXd> jacobian) {
    if (e.empty()) throw std::invalid_argument("DualEvaluator: empty expression");
    if (values.size() != X.rows() || jacobian.rows() != X.rows() ||
        jacobian.cols() != static_cast<Eigen::Index>(params.size()))
        throw std::invalid_argument("DualEvaluator: output sizes differ from the rows and parameters");
    if (e.variable_count() > static_cast<std::size_t>(X.cols()))
        throw std::invalid_argument("DualEvaluator: expression uses a column the table does not have");
    if (e.parameter_count() > params.size())
        throw std::invalid_argument("DualEvaluator: fewer parameter values than parameter slots");

    const std::size_t P = params.size();
    const std::size_t depth = e.stack_depth();
    const std::size_t need = (depth * (1 + P) + 3) * Frame::kRows;
    if (scratch_.size() < need) scratch_.resize(need);
    if (active_.size() < depth * P) active_.resize(depth * P);
    if (value_.size() < depth) value_.resize(depth);

    const auto nodes = e.nodes();
    const Eigen::Index rows = X.rows();
    unsigned char* const act = active_.data();
    auto active = [act, P](std::size_t slot) { return act + slot * P; };

    for (Eigen::Index r0 = 0; r0 < rows; r0 += kBlockRows) {
        const Eigen::Index n = std::min(kBlockRows, rows - r0);
        const Frame f(scratch_.data(), P, n);
        std::size_t top = 0;
        for (const Node& node : nodes) {
            switch (arity(node.op)) {
                case 0: {
                    std::fill_n(active(top), P, static_cast<unsigned char>(0));
                    if (node.op == Op::Var) {
                        value_[top] = X.col(node.index).data() + r0;
                    } else {
                        double v = node.value;
                        if (node.op == Op::Pi) v = std::numbers::pi;
                        if (node.op == Op::Param) {
                            v = params[node.index];
                            active(top)[node.index] = 1;
                            f.derivative(top, node.index).setOnes();
                        }
                        Block(f.value(top), n).setConstant(v);
                        value_[top] = f.value(top);
                    }
                    ++top;
                    break;
                }
                case 1: {
                    const std::size_t s = top - 1;
                    const ConstBlock a(value_[s], n);
                    Block out(f.value(s), n);
                    unsigned char* const act_a = active(s);
                    const bool any = std::any_of(act_a, act_a + P, [](unsigned char c) { return c != 0; });
                    if (!any) {
                        apply_unary(node.op, a, out);
                    } else if (node.op == Op::Neg) {
                        out = -a;
                        for (std::size_t k = 0; k < P; ++k)
                            if (act_a[k]) f.derivative(s, k) = -f.derivative(s, k);
                    } else {
                        Block g = f.temp(depth, 0);
                        unary_value_and_slope(node.op, a, out, g, f.temp(depth, 1));
                        for (std::size_t k = 0; k < P; ++k)
                            if (act_a[k]) f.derivative(s, k) *= g;
                    }
                    value_[s] = f.value(s);
                    break;
                }
                default: {
                    const std::size_t s = top - 2;
                    const ConstBlock a(value_[s], n);
                    const ConstBlock b(value_[s + 1], n);
                    Block out(f.value(s), n);
                    unsigned char* const act_a = active(s);
                    const unsigned char* const act_b = active(s + 1);
                    // The derivatives first: `out` may be a's own block.
                    switch (node.op) {
                        case Op::Add:
                        case Op::Sub: {
                            const double sign = node.op == Op::Add ? 1.0 : -1.0;
                            for (std::size_t k = 0; k < P; ++k) {
                                if (!act_b[k]) continue;
                                if (act_a[k])
                                    f.derivative(s, k) += sign * f.derivative(s + 1, k);
                                else
                                    f.derivative(s, k) = sign * f.derivative(s + 1, k);
                            }
                            if (node.op == Op::Add)
                                out = a + b;
                            else
                                out = a - b;
                            break;
                        }
                        case Op::Mul: {
                            for (std::size_t k = 0; k < P; ++k) {
                                Block da = f.derivative(s, k);
                                if (act_a[k] && act_b[k])
                                    da = da * b + a * f.derivative(s + 1, k);
                                else if (act_a[k])
                                    da *= b;
                                else if (act_b[k])
                                    da = a * f.derivative(s + 1, k);
                            }
                            out = a * b;
                            break;
                        }
                        case Op::Div: {
                            // q = a/b; dq = (da - q db) / b.
                            Block q = f.temp(depth, 0);
                            q = a / b;
                            for (std::size_t k = 0; k < P; ++k) {
                                Block da = f.derivative(s, k);
                                if (act_a[k] && act_b[k])
                                    da = (da - q * f.derivative(s + 1, k)) / b;
                                else if (act_a[k])
                                    da /= b;
                                else if (act_b[k])
                                    da = -q * f.derivative(s + 1, k) / b;
                            }
                            out = q;
                            break;
                        }
                        case Op::Pow: {
                            // p = a^b; dp = b a^(b-1) da + p log(a) db. The second term only
                            // where b depends on a parameter (so x^2 with x < 0 stays finite), and
                            // taken as 0 where p = 0 (the limit of p log a as a -> 0+, b > 0).
                            Block p = f.temp(depth, 0);
                            p = a.pow(b);
                            const bool any_a = std::any_of(act_a, act_a + P, [](unsigned char c) { return c != 0; });
                            const bool any_b = std::any_of(act_b, act_b + P, [](unsigned char c) { return c != 0; });
                            Block ga = f.temp(depth, 1);
                            Block gb = f.temp(depth, 2);
                            if (any_a) ga = b * a.pow(b - 1.0);
                            if (any_b) gb = (p == 0.0).select(0.0, p * a.log());
                            for (std::size_t k = 0; k < P; ++k) {
                                Block da = f.derivative(s, k);
                                if (act_a[k] && act_b[k])
                                    da = ga * da + gb * f.derivative(s + 1, k);
                                else if (act_a[k])
                                    da *= ga;
                                else if (act_b[k])
                                    da = gb * f.derivative(s + 1, k);
                            }
                            out = p;
                            break;
                        }
                        default:
                            throw std::logic_error("not a binary operator");
                    }
                    for (std::size_t k = 0; k < P; ++k) act_a[k] = act_a[k] | act_b[k];
                    value_[s] = f.value(s);
                    --top;
                    break;
                }
            }
        }
        values.segment(r0, n) = Eigen::Map<const Eigen::VectorXd>(value_[0], n);
        for (std::size_t k = 0; k < P; ++k) {
            auto column = jacobian.col(static_cast<Eigen::Index>(k)).segment(r0, n);
            if (active(0)[k])
                column = f.derivative(0, k).matrix();
            else
                column.setZero();
        }
    }
}

}  // namespace kepler::detail
