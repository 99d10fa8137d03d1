// A law's offset written in the unit of the quantity it is added to (discover_stages.hpp:
// write_offsets_in_units).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "discover_stages.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/units/front_consistency.hpp"

namespace kepler::pipeline {

namespace {

// The operands of the binary node at `last`.
std::pair<Expression, Expression> operands(const Expression& e, std::size_t last) {
    const std::size_t right_last = last - 1;
    const std::size_t left_last = e.subtree_begin(right_last) - 1;
    return {e.subtree(left_last), e.subtree(right_last)};
}

// v to 6 significant digits: the numbers divided by k keep about the precision tidying gave them.
double rounded(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::strtod(buf, nullptr);
}

bool is_number(const Expression& e) { return e.size() == 1 && e.nodes()[0].op == Op::Const; }
double number(const Expression& e) { return e.nodes()[0].value; }

// k*X or X*k with k a number: {k, X}.
std::optional<std::pair<double, Expression>> scaled_term(const Expression& e) {
    if (e.size() < 3 || e.nodes().back().op != Op::Mul) return std::nullopt;
    auto [a, b] = operands(e, e.size() - 1);
    if (is_number(a) && !is_number(b)) return std::make_pair(number(a), b);
    if (is_number(b) && !is_number(a)) return std::make_pair(number(b), a);
    return std::nullopt;
}

// The factors of e's top-level product (e itself when it is not a product), in order.
void product_factors(const Expression& e, std::vector<Expression>& out) {
    if (e.nodes().back().op != Op::Mul) {
        out.push_back(e);
        return;
    }
    auto [a, b] = operands(e, e.size() - 1);
    product_factors(a, out);
    product_factors(b, out);
}

// N divided by k, the 1/k folded with N's numbers and pi factors into one leading number (to 6
// significant digits): 0.884*T*pi over 0.0336 is 82.6498*T. The pi was a fitted number's
// snapped form; divided by k the number is fitted again, and one number prints plainer.
Expression divided(const Expression& n, double k) {
    std::vector<Expression> factors, kept;
    product_factors(n, factors);
    double c = 1.0 / k;
    for (const Expression& f : factors) {
        if (is_number(f))
            c *= number(f);
        else if (f.size() == 1 && f.nodes()[0].op == Op::Pi)
            c *= std::numbers::pi;
        else
            kept.push_back(f);
    }
    Expression out = Expression::constant(rounded(c));
    for (const Expression& f : kept) out = Expression::binary(Op::Mul, out, f);
    return out;
}

// N/(k*X + d), or a difference, as (N/k)/(X + d/k) (new numbers to 6 significant digits), the
// 1/k folded into N's numbers; nothing if e is not of that form.
std::optional<Expression> monic(const Expression& e) {
    if (e.size() < 5 || e.nodes().back().op != Op::Div) return std::nullopt;
    auto [n, d] = operands(e, e.size() - 1);
    const Op sum = d.nodes().back().op;
    if (sum != Op::Add && sum != Op::Sub) return std::nullopt;
    auto [p, q] = operands(d, d.size() - 1);
    double sign_p = 1.0, sign_q = sum == Op::Sub ? -1.0 : 1.0;  // d = sign_p*p + sign_q*q
    if (is_number(p)) {
        std::swap(p, q);
        std::swap(sign_p, sign_q);
    }
    const auto term = scaled_term(p);
    if (!term || !is_number(q) || term->first == 0.0) return std::nullopt;
    const double k = sign_p * term->first;
    const double offset = rounded(sign_q * number(q) / k);
    const Expression denominator =
        Expression::binary(offset < 0.0 ? Op::Sub : Op::Add, term->second, Expression::constant(std::fabs(offset)));
    return Expression::binary(Op::Div, divided(n, k), denominator);
}

std::size_t fixed_count(const Expression& e, const DimensionalConstraints& dims) {
    const auto carried = number_dimensions(e, dims.variables, dims.target);
    return static_cast<std::size_t>(
        std::count_if(carried.begin(), carried.end(), [](const auto& d) { return d.has_value(); }));
}

}  // namespace

void write_offsets_in_units(const RunState& run, DiscoveryResult& result) {
    const std::optional<DimensionalConstraints>& dims = run.search().dimensions;
    if (!dims) return;
    for (FoundLaw& law : result.front) {
        if (!law.named_constants.empty()) continue;
        const std::optional<Expression> m = monic(law.expression);
        if (!m || fixed_count(*m, *dims) <= fixed_count(law.expression, *dims)) continue;
        law.expression = *m;
        law.formula = to_infix(*m, result.inputs);
        law.numeric_formula = law.formula;
        law.latex = to_latex(*m, result.inputs);
        law.sympy = to_sympy(*m, result.inputs);
    }
}

}  // namespace kepler::pipeline
