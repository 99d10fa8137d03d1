#include "kepler/core/expression.hpp"
#include "kepler/core/hashing.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace kepler {

int arity(Op op) noexcept {
    if (op <= Op::Pi) return 0;
    if (op <= Op::Abs) return 1;
    return 2;
}

std::string_view op_name(Op op) noexcept {
    switch (op) {
        case Op::Var:
            return "var";
        case Op::Const:
            return "const";
        case Op::Param:
            return "param";
        case Op::Pi:
            return "pi";
        case Op::Neg:
            return "-";
        case Op::Sqrt:
            return "sqrt";
        case Op::Square:
            return "square";
        case Op::Exp:
            return "exp";
        case Op::Log:
            return "log";
        case Op::Sin:
            return "sin";
        case Op::Cos:
            return "cos";
        case Op::Tan:
            return "tan";
        case Op::Asin:
            return "asin";
        case Op::Acos:
            return "acos";
        case Op::Atan:
            return "atan";
        case Op::Tanh:
            return "tanh";
        case Op::Abs:
            return "abs";
        case Op::Add:
            return "+";
        case Op::Sub:
            return "-";
        case Op::Mul:
            return "*";
        case Op::Div:
            return "/";
        case Op::Pow:
            return "^";
    }
    return "?";
}

bool is_commutative(Op op) noexcept { return op == Op::Add || op == Op::Mul; }

bool unary_function_from_name(std::string_view name, Op& op) noexcept {
    for (int i = static_cast<int>(Op::Sqrt); i <= static_cast<int>(Op::Abs); ++i) {
        if (op_name(static_cast<Op>(i)) == name) {
            op = static_cast<Op>(i);
            return true;
        }
    }
    return false;
}

bool operator==(const Node& a, const Node& b) noexcept {
    if (a.op != b.op) return false;
    switch (a.op) {
        case Op::Var:
            return a.index == b.index;
        case Op::Const:
            return std::bit_cast<std::uint64_t>(a.value) == std::bit_cast<std::uint64_t>(b.value);
        case Op::Param:
            return a.index == b.index;
        default:
            return true;
    }
}

Expression::Expression(std::vector<Node> nodes) {
    nodes_.reserve(nodes.size());
    for (const Node& n : nodes) push(n);
    if (!well_formed()) throw std::invalid_argument("malformed postfix expression");
}

Expression Expression::variable(std::uint16_t column) {
    Expression e;
    e.push(Node::var(column));
    return e;
}

Expression Expression::constant(double value) {
    Expression e;
    e.push(Node::constant(value));
    return e;
}

Expression Expression::unary(Op op, const Expression& a) {
    Expression e;
    e.nodes_.reserve(a.size() + 1);
    e.nodes_ = a.nodes_;
    e.push(Node::op_node(op));
    return e;
}

Expression Expression::binary(Op op, const Expression& a, const Expression& b) {
    Expression e;
    e.nodes_.reserve(a.size() + b.size() + 1);
    e.nodes_ = a.nodes_;
    e.nodes_.insert(e.nodes_.end(), b.nodes_.begin(), b.nodes_.end());
    e.push(Node::op_node(op));
    return e;
}

void Expression::push(const Node& node) {
    if (node.op == Op::Neg && !nodes_.empty() && nodes_.back().op == Op::Const) {
        nodes_.back().value = -nodes_.back().value;
        return;
    }
    nodes_.push_back(node);
}

bool Expression::well_formed() const noexcept {
    std::ptrdiff_t depth = 0;
    for (const Node& n : nodes_) {
        int a = arity(n.op);
        if (depth < a) return false;
        depth += 1 - a;
    }
    return depth == 1;
}

std::size_t Expression::stack_depth() const noexcept {
    std::ptrdiff_t depth = 0, deepest = 0;
    for (const Node& n : nodes_) {
        depth += 1 - arity(n.op);
        deepest = std::max(deepest, depth);
    }
    return static_cast<std::size_t>(deepest);
}

std::size_t Expression::parameter_count() const noexcept {
    std::size_t count = 0;
    for (const Node& n : nodes_)
        if (n.op == Op::Param) count = std::max<std::size_t>(count, n.index + 1u);
    return count;
}

std::vector<double> Expression::parameters() const {
    std::vector<double> values(parameter_count(), 0.0);
    for (const Node& n : nodes_)
        if (n.op == Op::Param) values[n.index] = n.value;
    return values;
}

void Expression::set_parameters(std::span<const double> values) {
    for (Node& n : nodes_)
        if (n.op == Op::Param && n.index < values.size()) n.value = values[n.index];
}

Expression Expression::with_parameters_frozen() const {
    Expression e;
    e.nodes_.reserve(nodes_.size());
    for (const Node& n : nodes_) e.push(n.op == Op::Param ? Node::constant(n.value) : n);
    return e;
}

std::size_t Expression::variable_count() const noexcept {
    std::size_t count = 0;
    for (const Node& n : nodes_)
        if (n.op == Op::Var) count = std::max<std::size_t>(count, n.index + 1u);
    return count;
}

std::size_t Expression::subtree_begin(std::size_t last) const noexcept {
    std::ptrdiff_t need = 1;
    std::size_t i = last + 1;
    while (need > 0 && i > 0) {
        --i;
        need += arity(nodes_[i].op) - 1;
    }
    return i;
}

Expression Expression::subtree(std::size_t last) const {
    return Expression(std::vector<Node>(nodes_.begin() + static_cast<std::ptrdiff_t>(subtree_begin(last)),
                                        nodes_.begin() + static_cast<std::ptrdiff_t>(last) + 1));
}

Expression Expression::with_subtree_replaced(std::size_t last, const Expression& replacement) const {
    // Postfix order: the replacement takes the subtree's place.
    std::vector<Node> out(nodes_.begin(), nodes_.begin() + static_cast<std::ptrdiff_t>(subtree_begin(last)));
    out.insert(out.end(), replacement.nodes_.begin(), replacement.nodes_.end());
    out.insert(out.end(), nodes_.begin() + static_cast<std::ptrdiff_t>(last) + 1, nodes_.end());
    return Expression(std::move(out));
}

std::uint64_t Expression::hash() const noexcept {
    // FNV-1a over the fields that define each node, then a final avalanche.
    std::uint64_t h = kFnvOffset;
    auto mix = [&h](std::uint64_t v) { h = fnv1a(h, v); };
    for (const Node& n : nodes_) {
        mix(static_cast<std::uint64_t>(n.op));
        if (n.op == Op::Var || n.op == Op::Param) mix(n.index);
        if (n.op == Op::Const) mix(std::bit_cast<std::uint64_t>(n.value));
    }
    return avalanche(h);
}

Expression substitute_variables(const Expression& e, std::span<const Expression> replacements) {
    Expression out;
    for (const Node& n : e.nodes()) {
        if (n.op != Op::Var) {
            out.push(n);
            continue;
        }
        if (n.index >= replacements.size())
            throw std::invalid_argument("substitute_variables: no replacement for a variable");
        for (const Node& r : replacements[n.index].nodes()) out.push(r);
    }
    return out;
}

}  // namespace kepler
