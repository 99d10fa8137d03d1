#include "kepler/core/random_expression.hpp"

#include <array>
#include <vector>

namespace kepler {

namespace {

constexpr std::array<Op, 4> kArithmetic{Op::Add, Op::Sub, Op::Mul, Op::Div};

class Grower {
public:
    Grower(std::mt19937_64& rng, const RandomExpressionOptions& o) : rng_(rng), options_(o) {
        std::span<const Op> ops = o.operators.empty() ? std::span<const Op>(kArithmetic) : o.operators;
        for (Op op : ops) (arity(op) == 1 ? unary_ : binary_).push_back(op);
    }

    // Appends a subtree of at most `budget` nodes (budget >= 1) in postfix order.
    void grow(std::size_t budget, Expression& out) {
        std::uniform_real_distribution<double> u(0.0, 1.0);
        if (budget >= 3 && !binary_.empty() && (unary_.empty() || u(rng_) < 0.8)) {
            std::size_t rest = budget - 1;
            std::uniform_int_distribution<std::size_t> split(1, rest - 1);
            std::size_t left = split(rng_);
            grow(left, out);
            grow(rest - left, out);
            out.push(Node::op_node(pick(binary_)));
        } else if (budget >= 2 && !unary_.empty()) {
            grow(budget - 1, out);
            out.push(Node::op_node(pick(unary_)));
        } else {
            out.push(leaf());
        }
    }

private:
    Op pick(const std::vector<Op>& ops) {
        return ops[std::uniform_int_distribution<std::size_t>(0, ops.size() - 1)(rng_)];
    }

    Node leaf() {
        std::uniform_real_distribution<double> u(0.0, 1.0);
        if (options_.variable_count == 0 || u(rng_) < options_.constant_probability) {
            if (u(rng_) < 0.5)
                return Node::constant(static_cast<double>(std::uniform_int_distribution<int>(-5, 5)(rng_)));
            return Node::constant(std::uniform_real_distribution<double>(-10.0, 10.0)(rng_));
        }
        auto k = std::uniform_int_distribution<std::size_t>(0, options_.variable_count - 1)(rng_);
        return Node::var(static_cast<std::uint16_t>(k));
    }

    std::mt19937_64& rng_;
    const RandomExpressionOptions& options_;
    std::vector<Op> unary_, binary_;
};

}  // namespace

Expression random_expression(std::mt19937_64& rng, const RandomExpressionOptions& options) {
    Expression e;
    std::size_t budget =
        std::uniform_int_distribution<std::size_t>(1, std::max<std::size_t>(1, options.max_nodes))(rng);
    Grower(rng, options).grow(budget, e);
    return e;
}

}  // namespace kepler
