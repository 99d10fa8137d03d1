// The variation operators of the evolutionary search (evolution.hpp): random typed trees,
// mutations and crossover on postfix expressions, all of which keep every sub-expression
// dimensionally consistent.
//
// Typing: each node has a dimension. + and - take like dimensions, * and / combine them, sqrt
// halves them, square doubles them, the functions (exp, log, sin, ...) take and give pure numbers, and a^b takes a
// dimensionless b, which must be a constant rational p/q (q <= 12) when a has a dimension:
// the rules of the enumerator, so that an evolved formula passes dimension_of() exactly as an
// enumerated one does. Without units every node is dimensionless and only the structure
// matters. Two rules more than the enumerator's: no operator on constants alone (log(2), 1 - 1:
// a constant spelled long), and no function (exp, log, sin, cos, tan, ..., or a power with a
// variable exponent; sqrt, square and constant powers are not functions here) inside a
// function's argument. As in the enumerator, no square(sqrt(u)), sqrt(square(u)), square(-u)
// or square(|u|): each has a plainer twin. Physical laws almost never nest them (of the 100 Feynman laws only
// asin(n*sin(theta)), which the asin target transform reaches without nesting), while nested
// functions are much of the junk a random search builds: cos(3.5 + cos(x)) fits noise well.
//
// How dimensions are kept: a random subtree is grown for a required dimension: a leaf of that
// dimension, a sum of two subtrees of it, a product that peels off one leaf's dimension and
// grows the rest, and so on, choosing only operators that can reach the dimension within the
// node budget (the dimensions of the monomials of up to 5 leaves are precomputed). A branch that
// still fails is redrawn (rejection sampling, bounded retries). Mutations replace a subtree by
// one of the same dimension, and crossover swaps subtrees of equal dimension; a result is
// retyped as a whole and refused if it breaks a rule.
#pragma once

#include <cstddef>
#include <optional>
#include <random>
#include <span>
#include <unordered_set>
#include <vector>

#include "kepler/core/expression.hpp"
#include "kepler/units/dimension.hpp"

namespace kepler::detail {

using Rng = std::mt19937_64;

// What the variation operators may build.
struct Grammar {
    std::vector<Op> unary, binary;     // the search's operators
    std::vector<Dimension> variables;  // one per input column (all dimensionless without units)
    bool dimensional = false;          // false: every node is a pure number
    std::size_t max_nodes = 31;        // no tree grows beyond this
};

// The dimension of every node of `e` (dims[i] for nodes()[i]) under the typing rules above;
// false if some node breaks them or a variable has no column.
bool type_nodes(const Expression& e, const Grammar& grammar, std::vector<Dimension>& dims);

// `nodes` as an Expression, pushed one by one (so a negated constant is folded, as
// Expression::push guarantees). The nodes must form a well-formed postfix program.
Expression make_expression(std::span<const Node> nodes);

// Constants that the search treats as structure rather than as values to fit: integers up to
// 10 in magnitude and +-0.5 (the rule of constants_to_parameters()).
bool is_simple_constant(double v);

class Variation {
public:
    explicit Variation(Grammar grammar);
    const Grammar& grammar() const noexcept { return grammar_; }

    // A random tree of dimension `d` with at most `max_nodes` nodes; empty if none was found
    // within a few tries (no variable gives that dimension within the size, say).
    // `in_function`: the tree goes into a function's argument, so it may hold no function.
    std::optional<Expression> random_tree(Rng& rng, const Dimension& d, std::size_t max_nodes,
                                          bool in_function = false) const;

    // Each operator takes a parent and its node dimensions (type_nodes) and returns a new
    // tree, or nothing when it did not apply (the caller draws again). Results are well formed
    // and within max_nodes, but must still be retyped: a change at the root may change the
    // formula's dimension, which the caller checks against the target.

    // A random subtree replaced by a new random subtree of the same dimension.
    std::optional<Expression> subtree_mutation(Rng& rng, const Expression& e, std::span<const Dimension> dims) const;
    // One node changed: a variable or constant for another leaf of its dimension, an operator
    // for another of the same arity.
    std::optional<Expression> point_mutation(Rng& rng, const Expression& e, std::span<const Dimension> dims) const;
    // One numeric constant nudged (multiplied by exp(N(0, 0.3))) or rounded to a simple value.
    std::optional<Expression> constant_mutation(Rng& rng, const Expression& e) const;
    // A subtree replaced by one of its own subtrees of the same dimension (shrinks the tree;
    // at the root any subtree may be hoisted).
    std::optional<Expression> hoist_mutation(Rng& rng, const Expression& e, std::span<const Dimension> dims) const;
    // A subtree s grown into s + g, s - g, s * g or s / g (g dimensionless inside the tree, so
    // the dimension stays), or f(s) for a unary operator when s is a pure number.
    std::optional<Expression> extend_mutation(Rng& rng, const Expression& e, std::span<const Dimension> dims) const;
    // A random subtree of `a` replaced by a subtree of `b` of the same dimension.
    std::optional<Expression> crossover(Rng& rng, const Expression& a, std::span<const Dimension> dims_a,
                                        const Expression& b, std::span<const Dimension> dims_b) const;

private:
    bool grow(Rng& rng, const Dimension& d, std::size_t budget, bool in_function, bool top,
              std::vector<Node>& out) const;
    bool grow_operator(Rng& rng, const Dimension& d, std::size_t budget, bool in_function,
                       std::vector<Node>& out) const;
    std::optional<Node> leaf(Rng& rng, const Dimension& d) const;
    Node constant_leaf(Rng& rng) const;
    // A dimension for a free factor of a product: a pure number or some variable's.
    Dimension free_dimension(Rng& rng) const;
    // The dimension of one factor of a product (or of the divisor of a quotient) of dimension
    // d, preferring a leaf's dimension that leaves a rest reachable within other_budget.
    Dimension factor_dimension(Rng& rng, const Dimension& d, bool divisor, std::size_t other_budget) const;
    // Whether some product of leaves within `budget` nodes has dimension d (a pure number
    // always: a constant).
    bool reachable(const Dimension& d, std::size_t budget) const;

    static constexpr std::size_t kReachLeaves = 5;
    Grammar grammar_;
    std::vector<Dimension> leaf_dims_;  // of the variables, and dimensionless: distinct
    // reach_[k]: hashes of the dimensions of the monomials of at most k leaves.
    std::vector<std::unordered_set<std::uint64_t>> reach_;
};

}  // namespace kepler::detail
