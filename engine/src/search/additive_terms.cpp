#include "additive_terms.hpp"

namespace kepler::detail {

void split_terms(const Expression& f, std::vector<Term>& terms) {
    const std::span<const Node> nodes = f.nodes();
    terms.assign(1, Term{Span{0, nodes.size() - 1}, 1.0, {}});
    auto subtree = [&](std::size_t last) { return Span{f.subtree_begin(last), last}; };
    auto is_sum = [&](const Span& s) { return nodes[s.last].op == Op::Add || nodes[s.last].op == Op::Sub; };
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t j = 0; j < terms.size() && !changed; ++j) {
            Term& t = terms[j];
            const Op op = nodes[t.summand.last].op;
            if (arity(op) == 0) continue;
            const Span right = subtree(t.summand.last - 1);
            const Span left = arity(op) == 2 ? Span{t.summand.begin, right.begin - 1} : right;
            if ((op == Op::Add || op == Op::Sub) && terms.size() < kMaxTerms) {
                Term second{right, op == Op::Sub ? -t.sign : t.sign, t.factors};
                t.summand = left;
                terms.insert(terms.begin() + static_cast<std::ptrdiff_t>(j + 1), std::move(second));
                changed = true;
            } else if (op == Op::Neg) {
                t.summand = right;
                t.sign = -t.sign;
                changed = true;
            } else if (terms.size() < kMaxTerms && t.factors.size() < kMaxFactors &&
                       ((op == Op::Mul && (is_sum(left) || is_sum(right))) || (op == Op::Div && is_sum(left)))) {
                // The sum becomes the summand, the other operand a factor; splitting the sum
                // is the next step.
                const bool sum_left = op == Op::Div || is_sum(left);
                t.factors.emplace_back(sum_left ? right : left, op);
                t.summand = sum_left ? left : right;
                changed = true;
            }
        }
    }
}

Expression subtree_expression(const Expression& f, const Span& s) {
    return Expression(std::vector<Node>(f.nodes().begin() + static_cast<std::ptrdiff_t>(s.begin),
                                        f.nodes().begin() + static_cast<std::ptrdiff_t>(s.last + 1)));
}

Expression term_expression(const Expression& f, const Term& t) {
    Expression e = subtree_expression(f, t.summand);
    for (const auto& [factor, op] : t.factors)
        e = op == Op::Mul ? Expression::binary(Op::Mul, subtree_expression(f, factor), e)
                          : Expression::binary(Op::Div, e, subtree_expression(f, factor));
    return e;
}

}  // namespace kepler::detail
