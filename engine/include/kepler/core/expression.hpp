// A formula as a flat postfix (reverse Polish) array of small nodes.
//
// Why postfix and not a pointer tree: a formula is then one contiguous vector that is cheap
// to copy, hash, compare, mutate and evaluate (one pass with a value stack), which is what a
// search that builds millions of candidates needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace kepler {

// Every node kind. Leaves first, then unary, then binary operators.
enum class Op : std::uint8_t {
    // leaves
    Var,    // input column `index`
    Const,  // a fixed number `value`
    Param,  // a constant to be fitted: slot `index`, current value `value`
    Pi,     // the number pi
    // unary
    Neg,
    Sqrt,
    Square,
    Exp,
    Log,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Tanh,
    Abs,
    // binary
    Add,
    Sub,
    Mul,
    Div,
    Pow,
};

inline constexpr int kOpCount = static_cast<int>(Op::Pow) + 1;

// 0 for leaves, 1 for unary, 2 for binary operators.
int arity(Op op) noexcept;
// The name used in formula text: "+", "sqrt", "pi", ... ("var"/"const"/"param" for those leaves).
std::string_view op_name(Op op) noexcept;
// True for Add and Mul (the operand order does not matter).
bool is_commutative(Op op) noexcept;
// The unary function whose text name is `name` (sqrt, exp, ...); false if there is none.
bool unary_function_from_name(std::string_view name, Op& op) noexcept;

struct Node {
    Op op = Op::Const;
    std::uint16_t index = 0;  // Var: column; Param: parameter slot
    double value = 0.0;       // Const: the number; Param: current (fitted or initial) value

    static Node var(std::uint16_t column) { return {Op::Var, column, 0.0}; }
    static Node constant(double v) { return {Op::Const, 0, v}; }
    static Node param(std::uint16_t slot, double v = 1.0) { return {Op::Param, slot, v}; }
    static Node op_node(Op op) { return {op, 0, 0.0}; }

    friend bool operator==(const Node& a, const Node& b) noexcept;
};

// A well-formed postfix program: every operator finds its operands, one value remains.
// Invariant kept by `push`: a negation is never applied directly to a numeric constant
// (it is folded into the constant), so "-2.5" has one representation only.
class Expression {
public:
    Expression() = default;
    explicit Expression(std::vector<Node> nodes);  // throws std::invalid_argument if malformed

    static Expression variable(std::uint16_t column);
    static Expression constant(double value);
    // Combine existing expressions: unary(op, a) and binary(op, a, b) append in postfix order.
    static Expression unary(Op op, const Expression& a);
    static Expression binary(Op op, const Expression& a, const Expression& b);

    // Append one node (postfix order). Folds Neg over a Const.
    void push(const Node& node);

    std::span<const Node> nodes() const noexcept { return nodes_; }
    std::vector<Node>& mutable_nodes() noexcept { return nodes_; }
    std::size_t size() const noexcept { return nodes_.size(); }
    bool empty() const noexcept { return nodes_.empty(); }

    // True if the postfix array leaves exactly one value and no operator lacks operands.
    bool well_formed() const noexcept;
    // The largest value-stack depth evaluation needs.
    std::size_t stack_depth() const noexcept;
    // Number of parameter slots (1 + largest Param index), 0 if none.
    std::size_t parameter_count() const noexcept;
    // Current values of the parameter slots.
    std::vector<double> parameters() const;
    void set_parameters(std::span<const double> values);
    // A copy in which every Param node became a Const with its current value.
    Expression with_parameters_frozen() const;
    // Largest variable column index + 1 (0 if there are no variables).
    std::size_t variable_count() const noexcept;
    // Index of the first node of the subtree that ends at node `last`.
    std::size_t subtree_begin(std::size_t last) const noexcept;
    // The subtree that ends at node `last`, as a formula of its own.
    Expression subtree(std::size_t last) const;
    // A copy with the subtree that ends at node `last` replaced by `replacement`.
    Expression with_subtree_replaced(std::size_t last, const Expression& replacement) const;

    // Structural hash: equal node arrays give equal hashes (values compared bit for bit).
    std::uint64_t hash() const noexcept;

    friend bool operator==(const Expression& a, const Expression& b) noexcept { return a.nodes_ == b.nodes_; }

private:
    std::vector<Node> nodes_;
};

// `e` with every variable k replaced by the formula `replacements[k]` (whose own variables
// are left as they are). Throws std::invalid_argument if some k has no replacement.
Expression substitute_variables(const Expression& e, std::span<const Expression> replacements);

}  // namespace kepler
