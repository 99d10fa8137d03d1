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

bool any_active(const unsigned char* flags, std::size_t count) {
    return std::any_of(flags, flags + count, [](unsigned char c) { return c != 0; });
}

// The stack of one block of rows: each slot's value (value[slot], which for a variable points
// into X) and its derivative blocks in the frame, with a flag per parameter saying whether
// that derivative can be non-zero.
struct BlockStack {
    Frame frame;
    std::size_t params;  // P
    std::size_t depth;   // the temporaries come after this many slots
    Eigen::Index n;      // rows in the block
    unsigned char* flags;
    const double** value;

    unsigned char* active(std::size_t slot) const { return flags + slot * params; }
    ConstBlock values_of(std::size_t slot) const { return ConstBlock(value[slot], n); }
    Block own_value(std::size_t slot) const { return Block(frame.value(slot), n); }
    Block derivative(std::size_t slot, std::size_t k) const { return frame.derivative(slot, k); }
    Block temp(int t) const { return frame.temp(depth, t); }
};

// Pushes a variable, a constant, pi or a parameter (whose own derivative is 1) onto `slot`.
void push_leaf(const Node& node, const Eigen::Ref<const Eigen::MatrixXd>& X, Eigen::Index r0,
               std::span<const double> params, const BlockStack& st, std::size_t slot) {
    std::fill_n(st.active(slot), st.params, static_cast<unsigned char>(0));
    if (node.op == Op::Var) {
        st.value[slot] = X.col(node.index).data() + r0;
        return;
    }
    double v = node.value;
    if (node.op == Op::Pi) v = std::numbers::pi;
    if (node.op == Op::Param) {
        v = params[node.index];
        st.active(slot)[node.index] = 1;
        st.derivative(slot, node.index).setOnes();
    }
    st.own_value(slot).setConstant(v);
    st.value[slot] = st.frame.value(slot);
}

// Replaces slot s by op(slot s): the value, and each active derivative by the chain rule.
void apply_unary_node(Op op, const BlockStack& st, std::size_t s) {
    const ConstBlock a = st.values_of(s);
    Block out = st.own_value(s);
    unsigned char* const act_a = st.active(s);
    if (!any_active(act_a, st.params)) {
        apply_unary(op, a, out);
    } else if (op == Op::Neg) {
        out = -a;
        for (std::size_t k = 0; k < st.params; ++k)
            if (act_a[k]) st.derivative(s, k) = -st.derivative(s, k);
    } else {
        Block g = st.temp(0);
        unary_value_and_slope(op, a, out, g, st.temp(1));
        for (std::size_t k = 0; k < st.params; ++k)
            if (act_a[k]) st.derivative(s, k) *= g;
    }
    st.value[s] = st.frame.value(s);
}

// The derivatives of a +- b into slot s's derivative blocks (sign = -1 for a - b).
void add_derivatives(double sign, const BlockStack& st, std::size_t s) {
    const unsigned char* const act_a = st.active(s);
    const unsigned char* const act_b = st.active(s + 1);
    for (std::size_t k = 0; k < st.params; ++k) {
        if (!act_b[k]) continue;
        if (act_a[k])
            st.derivative(s, k) += sign * st.derivative(s + 1, k);
        else
            st.derivative(s, k) = sign * st.derivative(s + 1, k);
    }
}

// Replaces slots s, s + 1 by op(slot s, slot s + 1). The derivatives first: the value's block
// is a's own.
void apply_binary_node(Op op, const BlockStack& st, std::size_t s) {
    const ConstBlock a = st.values_of(s);
    const ConstBlock b = st.values_of(s + 1);
    Block out = st.own_value(s);
    unsigned char* const act_a = st.active(s);
    const unsigned char* const act_b = st.active(s + 1);
    const std::size_t P = st.params;
    switch (op) {
        case Op::Add:
        case Op::Sub: {
            add_derivatives(op == Op::Add ? 1.0 : -1.0, st, s);
            if (op == Op::Add)
                out = a + b;
            else
                out = a - b;
            break;
        }
        case Op::Mul: {
            for (std::size_t k = 0; k < P; ++k) {
                Block da = st.derivative(s, k);
                if (act_a[k] && act_b[k])
                    da = da * b + a * st.derivative(s + 1, k);
                else if (act_a[k])
                    da *= b;
                else if (act_b[k])
                    da = a * st.derivative(s + 1, k);
            }
            out = a * b;
            break;
        }
        case Op::Div: {
            // q = a/b; dq = (da - q db) / b.
            Block q = st.temp(0);
            q = a / b;
            for (std::size_t k = 0; k < P; ++k) {
                Block da = st.derivative(s, k);
                if (act_a[k] && act_b[k])
                    da = (da - q * st.derivative(s + 1, k)) / b;
                else if (act_a[k])
                    da /= b;
                else if (act_b[k])
                    da = -q * st.derivative(s + 1, k) / b;
            }
            out = q;
            break;
        }
        case Op::Pow: {
            // p = a^b; dp = b a^(b-1) da + p log(a) db. The second term only where b depends
            // on a parameter (so x^2 with x < 0 stays finite), and taken as 0 where p = 0 (the
            // limit of p log a as a -> 0+, b > 0).
            Block p = st.temp(0);
            p = a.pow(b);
            Block ga = st.temp(1);
            Block gb = st.temp(2);
            if (any_active(act_a, P)) ga = b * a.pow(b - 1.0);
            if (any_active(act_b, P)) gb = (p == 0.0).select(0.0, p * a.log());
            for (std::size_t k = 0; k < P; ++k) {
                Block da = st.derivative(s, k);
                if (act_a[k] && act_b[k])
                    da = ga * da + gb * st.derivative(s + 1, k);
                else if (act_a[k])
                    da *= ga;
                else if (act_b[k])
                    da = gb * st.derivative(s + 1, k);
            }
            out = p;
            break;
        }
        default:
            throw std::logic_error("not a binary operator");
    }
    for (std::size_t k = 0; k < P; ++k) act_a[k] = act_a[k] | act_b[k];
    st.value[s] = st.frame.value(s);
}

void check_arguments(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X, std::span<const double> params,
                     const Eigen::Ref<Eigen::VectorXd>& values, const Eigen::Ref<Eigen::MatrixXd>& jacobian) {
    if (e.empty()) throw std::invalid_argument("DualEvaluator: empty expression");
    if (values.size() != X.rows() || jacobian.rows() != X.rows() ||
        jacobian.cols() != static_cast<Eigen::Index>(params.size()))
        throw std::invalid_argument("DualEvaluator: output sizes differ from the rows and parameters");
    if (e.variable_count() > static_cast<std::size_t>(X.cols()))
        throw std::invalid_argument("DualEvaluator: expression uses a column the table does not have");
    if (e.parameter_count() > params.size())
        throw std::invalid_argument("DualEvaluator: fewer parameter values than parameter slots");
}

}  // namespace

void DualEvaluator::evaluate(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                             std::span<const double> params, Eigen::Ref<Eigen::VectorXd> values,
                             Eigen::Ref<Eigen::MatrixXd> jacobian) {
    check_arguments(e, X, params, values, jacobian);
    const std::size_t P = params.size();
    const std::size_t depth = e.stack_depth();
    const std::size_t need = (depth * (1 + P) + 3) * Frame::kRows;
    if (scratch_.size() < need) scratch_.resize(need);
    if (active_.size() < depth * P) active_.resize(depth * P);
    if (value_.size() < depth) value_.resize(depth);

    const auto nodes = e.nodes();
    const Eigen::Index rows = X.rows();
    for (Eigen::Index r0 = 0; r0 < rows; r0 += kBlockRows) {
        const Eigen::Index n = std::min(kBlockRows, rows - r0);
        const BlockStack st{Frame(scratch_.data(), P, n), P, depth, n, active_.data(), value_.data()};
        std::size_t top = 0;
        for (const Node& node : nodes) {
            switch (arity(node.op)) {
                case 0:
                    push_leaf(node, X, r0, params, st, top++);
                    break;
                case 1:
                    apply_unary_node(node.op, st, top - 1);
                    break;
                default:
                    apply_binary_node(node.op, st, top - 2);
                    --top;
                    break;
            }
        }
        // The result is slot 0: its value and derivatives are this block's rows.
        values.segment(r0, n) = Eigen::Map<const Eigen::VectorXd>(value_[0], n);
        for (std::size_t k = 0; k < P; ++k) {
            auto column = jacobian.col(static_cast<Eigen::Index>(k)).segment(r0, n);
            if (st.active(0)[k])
                column = st.derivative(0, k).matrix();
            else
                column.setZero();
        }
    }
}

}  // namespace kepler::detail
