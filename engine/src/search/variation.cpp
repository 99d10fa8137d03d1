#include "variation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace kepler::detail {

namespace {

// Chance that a branch with room for more stops at a leaf: keeps random trees small.
constexpr double kLeafChance = 0.3;
// Retries of the root's operator when its children could not be grown (deeper nodes get one
// try each: retries at every depth would multiply).
constexpr int kOperatorTries = 3;
// Whole-tree retries of random_tree.
constexpr int kTreeTries = 8;
// The largest subtree a mutation inserts.
constexpr std::size_t kMaxInsertedNodes = 9;

double uniform(Rng& rng) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

template <typename T>
const T& pick(Rng& rng, const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

std::size_t pick_index(Rng& rng, std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

// The exponent of a dimensional base: a constant p/q with q <= 12 (the enumerator's rule).
std::optional<Rational> rational_exponent(double v) {
    for (int q = 1; q <= 12; ++q) {
        const double p = std::round(v * q);
        if (std::abs(p - v * q) < 1e-12 && std::abs(p) < 1e6) return Rational(static_cast<std::int64_t>(p), q);
    }
    return std::nullopt;
}

// nodes[0, begin) + insert + nodes(last, end): the subtree [begin, last] replaced.
std::vector<Node> splice(std::span<const Node> nodes, std::size_t begin, std::size_t last,
                         std::span<const Node> insert) {
    std::vector<Node> out;
    out.reserve(nodes.size() - (last + 1 - begin) + insert.size());
    out.insert(out.end(), nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(begin));
    out.insert(out.end(), insert.begin(), insert.end());
    out.insert(out.end(), nodes.begin() + static_cast<std::ptrdiff_t>(last + 1), nodes.end());
    return out;
}

bool is_function(Op op) {
    return arity(op) == 1 && op != Op::Neg && op != Op::Abs && op != Op::Sqrt && op != Op::Square;
}

// square(sqrt(u)) is u, sqrt(square(u)) is |u|, square(-u) and square(|u|) are square(u).
bool redundant_unary(Op op, Op child) {
    if (op == Op::Square) return child == Op::Sqrt || child == Op::Neg || child == Op::Abs;
    return op == Op::Sqrt && child == Op::Square;
}

// The dimension of sqrt(x) or square(x) for x of dimension d (any other non-function: d).
Dimension power_unary_dimension(Op op, const Dimension& d) {
    if (op == Op::Sqrt) return d.pow(Rational(1, 2));
    if (op == Op::Square) return d.pow(Rational(2));
    return d;
}

// Whether the subtree [begin, last] of `e` lies inside the argument of a function (or of a
// power with a variable exponent).
bool inside_function(const Expression& e, std::size_t begin, std::size_t last) {
    const std::span<const Node> nodes = e.nodes();
    for (std::size_t j = last + 1; j < nodes.size(); ++j) {
        if (e.subtree_begin(j) > begin) continue;  // not an ancestor
        if (is_function(nodes[j].op)) return true;
        if (nodes[j].op == Op::Pow && nodes[j - 1].op != Op::Const) return true;
    }
    return false;
}

}  // namespace

bool is_simple_constant(double v) { return (v == std::round(v) && std::abs(v) <= 10.0) || std::abs(v) == 0.5; }

Expression make_expression(std::span<const Node> nodes) {
    Expression e;
    for (const Node& n : nodes) e.push(n);
    return e;
}

bool type_nodes(const Expression& e, const Grammar& grammar, std::vector<Dimension>& dims) {
    const std::span<const Node> nodes = e.nodes();
    dims.assign(nodes.size(), Dimension{});
    // Per node: whether its subtree holds a function (no function may take one as argument).
    std::vector<char> function(nodes.size(), 0);
    // Per node: whether its subtree holds a variable. An operator on constants alone is a
    // constant spelled long (log(2), pi*2, 1 - 1): the fitted constants say it shorter.
    std::vector<char> variable(nodes.size(), 0);
    std::vector<std::size_t> stack;
    stack.reserve(nodes.size());
    try {
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const Node& n = nodes[i];
            const int a = arity(n.op);
            if (stack.size() < static_cast<std::size_t>(a)) return false;
            if (a == 0) {
                if (n.op == Op::Var) {
                    if (n.index >= grammar.variables.size()) return false;
                    if (grammar.dimensional) dims[i] = grammar.variables[n.index];
                    variable[i] = 1;
                }
                stack.push_back(i);
                continue;
            }
            if (a == 1) {
                const std::size_t r = stack.back();
                stack.pop_back();
                if (!variable[r]) return false;
                if (redundant_unary(n.op, nodes[r].op)) return false;
                variable[i] = 1;
                const Dimension& d = dims[r];
                if (is_function(n.op)) {
                    if (function[r]) return false;
                    if (grammar.dimensional && !d.dimensionless()) return false;
                    function[i] = 1;
                } else {
                    function[i] = function[r];
                    if (grammar.dimensional) dims[i] = power_unary_dimension(n.op, d);
                }
            } else {
                const std::size_t rb = stack.back();
                stack.pop_back();
                const std::size_t ra = stack.back();
                stack.pop_back();
                if (!variable[ra] && !variable[rb]) return false;
                variable[i] = 1;
                function[i] = function[ra] || function[rb];
                const Dimension& da = dims[ra];
                const Dimension& db = dims[rb];
                // A power with a variable exponent is exp(b*log(a)): a function.
                if (n.op == Op::Pow && nodes[rb].op != Op::Const) {
                    if (function[i]) return false;
                    function[i] = 1;
                }
                if (grammar.dimensional) {
                    switch (n.op) {
                        case Op::Add:
                        case Op::Sub:
                            if (!(da == db)) return false;
                            dims[i] = da;
                            break;
                        case Op::Mul:
                            dims[i] = da * db;
                            break;
                        case Op::Div:
                            dims[i] = da / db;
                            break;
                        case Op::Pow: {
                            if (!db.dimensionless()) return false;
                            if (da.dimensionless()) break;
                            if (nodes[rb].op != Op::Const) return false;
                            const std::optional<Rational> p = rational_exponent(nodes[rb].value);
                            if (!p) return false;
                            dims[i] = da.pow(*p);
                            break;
                        }
                        default:
                            return false;
                    }
                }
            }
            stack.push_back(i);
        }
    } catch (const std::overflow_error&) {
        return false;
    }
    return stack.size() == 1;
}

Variation::Variation(Grammar grammar) : grammar_(std::move(grammar)) {
    leaf_dims_.push_back(Dimension{});
    if (!grammar_.dimensional) return;
    for (const Dimension& v : grammar_.variables)
        if (std::find(leaf_dims_.begin(), leaf_dims_.end(), v) == leaf_dims_.end()) leaf_dims_.push_back(v);
    // reach_[k]: the monomials of at most k leaves (each multiplied or divided).
    std::vector<Dimension> level(leaf_dims_);
    reach_.resize(kReachLeaves + 1);
    for (const Dimension& d : level) reach_[1].insert(d.hash());
    for (std::size_t k = 2; k <= kReachLeaves; ++k) {
        reach_[k] = reach_[k - 1];
        std::vector<Dimension> next;
        for (const Dimension& a : level)
            for (const Dimension& b : leaf_dims_) {
                try {
                    for (const Dimension& c : {a * b, a / b})
                        if (reach_[k].insert(c.hash()).second) next.push_back(c);
                } catch (const std::overflow_error&) {}
            }
        level.insert(level.end(), next.begin(), next.end());
    }
}

bool Variation::reachable(const Dimension& d, std::size_t budget) const {
    if (!grammar_.dimensional || d.dimensionless()) return true;
    const std::size_t leaves = std::min(kReachLeaves, (budget + 1) / 2);
    return leaves > 0 && reach_[leaves].contains(d.hash());
}

Dimension Variation::factor_dimension(Rng& rng, const Dimension& d, bool divisor, std::size_t other_budget) const {
    if (!grammar_.dimensional) return Dimension{};
    // A leaf's dimension that leaves a reachable rest (d = M L^2 T^-2 as M times (L T^-1)^2),
    // when there is one: random splits rarely lead to a tree.
    std::vector<Dimension> peel;
    for (const Dimension& a : leaf_dims_) {
        try {
            if (reachable(divisor ? d * a : d / a, other_budget)) peel.push_back(a);
        } catch (const std::overflow_error&) {}
    }
    if (!peel.empty() && uniform(rng) < 0.9) return pick(rng, peel);
    return free_dimension(rng);
}

Dimension Variation::free_dimension(Rng& rng) const {
    if (!grammar_.dimensional || grammar_.variables.empty() || uniform(rng) < 0.4) return Dimension{};
    return pick(rng, grammar_.variables);
}

Node Variation::constant_leaf(Rng& rng) const {
    const double u = uniform(rng);
    if (u < 0.35) return Node::constant(1.0);
    if (u < 0.6) return Node::constant(2.0);
    if (u < 0.7) return Node::constant(3.0);
    if (u < 0.8) return Node::constant(0.5);
    if (u < 0.9) return {Op::Pi, 0, 0.0};
    // A real to be fitted: log-uniform in [0.1, 10], negative now and then.
    const double v = std::exp(std::uniform_real_distribution<double>(std::log(0.1), std::log(10.0))(rng));
    return Node::constant(uniform(rng) < 0.25 ? -v : v);
}

std::optional<Node> Variation::leaf(Rng& rng, const Dimension& d) const {
    std::size_t matching = 0;
    for (const Dimension& v : grammar_.variables)
        if (!grammar_.dimensional || v == d) ++matching;
    const bool constants = !grammar_.dimensional || d.dimensionless();
    if (matching == 0 && !constants) return std::nullopt;
    if (matching > 0 && (!constants || uniform(rng) < 0.75)) {
        std::size_t k = pick_index(rng, matching);
        for (std::size_t j = 0; j < grammar_.variables.size(); ++j) {
            if (grammar_.dimensional && !(grammar_.variables[j] == d)) continue;
            if (k-- == 0) return Node::var(static_cast<std::uint16_t>(j));
        }
    }
    return constant_leaf(rng);
}

bool Variation::grow(Rng& rng, const Dimension& d, std::size_t budget, bool in_function, bool top,
                     std::vector<Node>& out) const {
    if (budget <= 1 || uniform(rng) < kLeafChance) {
        if (std::optional<Node> n = leaf(rng, d)) {
            out.push_back(*n);
            return true;
        }
        if (budget <= 1) return false;
    }
    // Retries only at the top: retrying at every depth would multiply (3^depth tries).
    for (int attempt = 0; attempt < (top ? kOperatorTries : 1); ++attempt) {
        const std::size_t mark = out.size();
        if (grow_operator(rng, d, budget, in_function, out)) return true;
        out.resize(mark);
    }
    return false;
}

bool Variation::grow_operator(Rng& rng, const Dimension& d, std::size_t budget, bool in_function,
                              std::vector<Node>& out) const {
    // The operators that can give dimension d within the budget (no function inside a
    // function's argument: see type_nodes).
    std::array<Op, kOpCount> unary{}, binary{};
    std::size_t unary_count = 0, binary_count = 0;
    try {
        if (budget >= 2)
            for (Op op : grammar_.unary) {
                if (in_function && is_function(op)) continue;
                const bool fits = is_function(op)    ? d.dimensionless()
                                  : op == Op::Sqrt   ? reachable(d.pow(Rational(2)), budget - 1)
                                  : op == Op::Square ? reachable(d.pow(Rational(1, 2)), budget - 1)
                                                     : reachable(d, budget - 1);
                if (fits) unary[unary_count++] = op;
            }
        if (budget >= 3)
            for (Op op : grammar_.binary) {
                if ((op == Op::Add || op == Op::Sub) && !reachable(d, budget - 2)) continue;
                if (op == Op::Pow && in_function) continue;
                binary[binary_count++] = op;
            }
    } catch (const std::overflow_error&) {
        return false;
    }
    if (unary_count == 0 && binary_count == 0) return false;
    // Binary operators carry the structure of most laws; unary ones are drawn less often.
    const bool is_binary = binary_count > 0 && (unary_count == 0 || uniform(rng) < 0.75);
    const Op op = is_binary ? binary[pick_index(rng, binary_count)] : unary[pick_index(rng, unary_count)];
    try {
        if (!is_binary) {
            Dimension child;
            if (op == Op::Neg || op == Op::Abs)
                child = d;
            else if (op == Op::Sqrt)
                child = d.pow(Rational(2));
            else if (op == Op::Square)
                child = d.pow(Rational(1, 2));
            else if (!d.dimensionless())
                return false;
            if (!reachable(child, budget - 1)) return false;
            if (!grow(rng, child, budget - 1, in_function || is_function(op), false, out)) return false;
            out.push_back(Node::op_node(op));
            return true;
        }
        const std::size_t left_budget = std::uniform_int_distribution<std::size_t>(1, budget - 2)(rng);
        const std::size_t right_budget = budget - 1 - left_budget;
        Dimension left = d, right = d;
        switch (op) {
            case Op::Add:
            case Op::Sub:
                if (!reachable(d, left_budget) || !reachable(d, right_budget)) return false;
                break;
            case Op::Mul:
                left = factor_dimension(rng, d, false, right_budget);
                right = d / left;
                break;
            case Op::Div:
                right = factor_dimension(rng, d, true, left_budget);
                left = d * right;
                break;
            case Op::Pow: {
                if (d.dimensionless() && uniform(rng) < 0.5) {
                    right = Dimension{};
                    break;
                }
                // A dimensional power: base^k with a constant k.
                static constexpr double kExponents[] = {2.0, 3.0, -1.0, 0.5};
                const double k = kExponents[pick_index(rng, std::size(kExponents))];
                const std::optional<Rational> r = rational_exponent(k);
                const Dimension base = d.pow(Rational(r->den(), r->num()));
                if (!grow(rng, base, budget - 2, in_function, false, out)) return false;
                out.push_back(Node::constant(k));
                out.push_back(Node::op_node(op));
                return true;
            }
            default:
                return false;
        }
        // Only the variable-exponent power gets here: a function of its base and exponent.
        if (op == Op::Pow && in_function) return false;
        const bool inner = in_function || op == Op::Pow;
        if (!grow(rng, left, left_budget, inner, false, out)) return false;
        if (!grow(rng, right, right_budget, inner, false, out)) return false;
        out.push_back(Node::op_node(op));
        return true;
    } catch (const std::exception&) {
        // Not an error: a dimension whose Rational exponents overflow is one no formula of this
        // size can have, so this operator gives no tree; returning false is the same rejection
        // as "no operator fits", and grow() tries another operator or a leaf.
        return false;
    }
}

std::optional<Expression> Variation::random_tree(Rng& rng, const Dimension& d, std::size_t max_nodes,
                                                 bool in_function) const {
    max_nodes = std::min(max_nodes, grammar_.max_nodes);
    if (max_nodes == 0) return std::nullopt;
    // The fewest nodes a tree of dimension d needs (a product of k leaves has 2k - 1).
    std::size_t least = 1;
    while (least <= max_nodes && !reachable(d, least)) least += 2;
    if (least > max_nodes) return std::nullopt;
    std::vector<Node> nodes;
    for (int attempt = 0; attempt < kTreeTries; ++attempt) {
        nodes.clear();
        const std::size_t budget = std::uniform_int_distribution<std::size_t>(least, max_nodes)(rng);
        if (grow(rng, d, budget, in_function, true, nodes)) return make_expression(nodes);
    }
    return std::nullopt;
}

std::optional<Expression> Variation::subtree_mutation(Rng& rng, const Expression& e,
                                                      std::span<const Dimension> dims) const {
    const std::size_t last = pick_index(rng, e.size());
    const std::size_t begin = e.subtree_begin(last);
    const std::size_t kept = e.size() - (last + 1 - begin);
    if (kept >= grammar_.max_nodes) return std::nullopt;
    const std::size_t room = std::min(kMaxInsertedNodes, grammar_.max_nodes - kept);
    std::optional<Expression> sub = random_tree(rng, dims[last], room, inside_function(e, begin, last));
    if (!sub) return std::nullopt;
    return make_expression(splice(e.nodes(), begin, last, sub->nodes()));
}

std::optional<Expression> Variation::point_mutation(Rng& rng, const Expression& e,
                                                    std::span<const Dimension> dims) const {
    const std::size_t i = pick_index(rng, e.size());
    std::vector<Node> nodes(e.nodes().begin(), e.nodes().end());
    const int a = arity(nodes[i].op);
    if (a == 0) {
        std::optional<Node> n = leaf(rng, dims[i]);
        if (!n || *n == nodes[i]) return std::nullopt;
        nodes[i] = *n;
    } else {
        const std::vector<Op>& ops = a == 1 ? grammar_.unary : grammar_.binary;
        if (ops.empty()) return std::nullopt;
        const Op op = pick(rng, ops);
        if (op == nodes[i].op) return std::nullopt;
        // The caller retypes the result: + between unlike dimensions is refused there.
        nodes[i] = Node::op_node(op);
    }
    return make_expression(nodes);
}

std::optional<Expression> Variation::constant_mutation(Rng& rng, const Expression& e) const {
    std::vector<std::size_t> constants;
    for (std::size_t i = 0; i < e.size(); ++i)
        if (e.nodes()[i].op == Op::Const) constants.push_back(i);
    if (constants.empty()) return std::nullopt;
    std::vector<Node> nodes(e.nodes().begin(), e.nodes().end());
    Node& n = nodes[pick(rng, constants)];
    const double u = uniform(rng);
    if (u < 0.2) {
        // Toward a simple value: the nearest integer or half.
        const double r = std::round(2.0 * n.value) / 2.0;
        if (r == n.value || r == 0.0) return std::nullopt;
        n.value = r;
    } else if (u < 0.3) {
        n.value = -n.value;
    } else {
        n.value *= std::exp(0.3 * std::normal_distribution<double>(0.0, 1.0)(rng));
    }
    return make_expression(nodes);
}

std::optional<Expression> Variation::hoist_mutation(Rng& rng, const Expression& e,
                                                    std::span<const Dimension> dims) const {
    if (e.size() < 2) return std::nullopt;
    const std::size_t root = e.size() - 1;
    // Half of the time the whole formula becomes one of its subtrees.
    const std::size_t last = uniform(rng) < 0.5 ? root : pick_index(rng, e.size());
    const std::size_t begin = e.subtree_begin(last);
    std::vector<std::size_t> inner;
    for (std::size_t j = begin; j < last; ++j)
        if (last == root || dims[j] == dims[last]) inner.push_back(j);
    if (inner.empty()) return std::nullopt;
    const std::size_t j = pick(rng, inner);
    const std::size_t jb = e.subtree_begin(j);
    return make_expression(splice(e.nodes(), begin, last, e.nodes().subspan(jb, j + 1 - jb)));
}

std::optional<Expression> Variation::extend_mutation(Rng& rng, const Expression& e,
                                                     std::span<const Dimension> dims) const {
    if (e.size() + 2 > grammar_.max_nodes) return std::nullopt;
    const std::size_t root = e.size() - 1;
    const std::size_t last = uniform(rng) < 0.3 ? root : pick_index(rng, e.size());
    const std::size_t begin = e.subtree_begin(last);
    const Dimension& d = dims[last];
    std::vector<Node> grown(e.nodes().begin() + static_cast<std::ptrdiff_t>(begin),
                            e.nodes().begin() + static_cast<std::ptrdiff_t>(last + 1));
    const bool binary = !grammar_.binary.empty() && (grammar_.unary.empty() || uniform(rng) < 0.8);
    if (binary) {
        const Op op = pick(rng, grammar_.binary);
        Dimension other;
        if (op == Op::Add || op == Op::Sub)
            other = d;
        else if (op == Op::Pow)
            other = Dimension{};
        else
            other = last == root ? free_dimension(rng) : Dimension{};
        const std::size_t room = std::min(kMaxInsertedNodes, grammar_.max_nodes - e.size() - 1);
        std::optional<Expression> g = random_tree(rng, other, room, inside_function(e, begin, last));
        if (!g) return std::nullopt;
        grown.insert(grown.end(), g->nodes().begin(), g->nodes().end());
        grown.push_back(Node::op_node(op));
    } else {
        if (grammar_.unary.empty()) return std::nullopt;
        const Op op = pick(rng, grammar_.unary);
        // Only a pure number goes into a function; sqrt and square change the dimension, so
        // only at the root.
        if (grammar_.dimensional && !d.dimensionless()) {
            if (is_function(op) || ((op == Op::Sqrt || op == Op::Square) && last != root)) return std::nullopt;
        }
        grown.push_back(Node::op_node(op));
    }
    return make_expression(splice(e.nodes(), begin, last, grown));
}

std::optional<Expression> Variation::crossover(Rng& rng, const Expression& a, std::span<const Dimension> dims_a,
                                               const Expression& b, std::span<const Dimension> dims_b) const {
    const std::size_t last = pick_index(rng, a.size());
    const std::size_t begin = a.subtree_begin(last);
    const std::size_t kept = a.size() - (last + 1 - begin);
    std::vector<std::size_t> donors;
    for (std::size_t j = 0; j < b.size(); ++j) {
        if (!(dims_b[j] == dims_a[last])) continue;
        const std::size_t size = j + 1 - b.subtree_begin(j);
        if (kept + size <= grammar_.max_nodes) donors.push_back(j);
    }
    if (donors.empty()) return std::nullopt;
    const std::size_t j = pick(rng, donors);
    const std::size_t jb = b.subtree_begin(j);
    return make_expression(splice(a.nodes(), begin, last, b.nodes().subspan(jb, j + 1 - jb)));
}

}  // namespace kepler::detail
