#include "name_constants.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/pipeline/snap_constants.hpp"
#include "kepler/pipeline/tidy_constants.hpp"
#include "kepler/units/dimension_check.hpp"

namespace kepler::pipeline {

namespace {

// x^p for p = n/2 as a formula: x, sqrt(x), x^2, x^(3/2), 1/x, ...
Expression power_of(const Expression& x, Rational p) {
    if (p == Rational(1)) return x;
    if (p == Rational(1, 2)) return Expression::unary(Op::Sqrt, x);
    if (p.num() < 0) return Expression::binary(Op::Div, Expression::constant(1.0), power_of(x, -p));
    Expression exponent = p.is_integer()
                              ? Expression::constant(static_cast<double>(p.num()))
                              : Expression::binary(Op::Div, Expression::constant(static_cast<double>(p.num())),
                                                   Expression::constant(static_cast<double>(p.den())));
    return Expression::binary(Op::Pow, x, exponent);
}

// The power n/2 (0 < |n| <= 8) of `constant` that is `d`, if any (as the plan's scale allows).
std::optional<Rational> power_giving(const Dimension& constant, const Dimension& d) {
    for (int n : {2, -2, 1, -1, 4, -4, 3, -3, 6, -6, 5, -5, 8, -8, 7, -7})
        if (constant.pow(Rational(n, 2)) == d) return Rational(n, 2);
    return std::nullopt;
}

// A fitted multiplier this close to 1 is a rounded value of the constant (see brought_in).
constexpr double kNearOne = 2e-3;

// The number that multiplies the product `e` is (k*x*y/z), if e is such a product.
std::optional<double> leading_multiplier(const Expression& e) {
    std::optional<double> k;
    for (const Node& n : e.nodes()) {
        if (n.op == Op::Const) {
            if (k) return std::nullopt;  // exponents or a second number: not a plain product
            k = n.value;
        } else if (n.op != Op::Var && n.op != Op::Mul && n.op != Op::Div && n.op != Op::Sqrt && n.op != Op::Pi &&
                   n.op != Op::Square) {
            return std::nullopt;
        }
    }
    return k ? k : 1.0;
}

// Whether d is one base dimension to the power +-1 (an amount in mol, a mass, a length).
bool one_base_unit(const Dimension& d) {
    int nonzero = 0;
    for (const Rational& e : d.exponents()) {
        if (e.is_zero()) continue;
        if (e != Rational(1) && e != Rational(-1)) return false;
        ++nonzero;
    }
    return nonzero == 1;
}

// The variables at or above `first` that `e` reads, in increasing order.
std::vector<std::size_t> constants_read(const Expression& e, std::size_t first) {
    std::vector<std::size_t> out;
    for (const Node& n : e.nodes())
        if (n.op == Op::Var && n.index >= first) out.push_back(n.index - first);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// The factors of the product or quotient that ends at node `last`, each with its side (+1 over
// the line, -1 under it).
void product_factors(const Expression& e, std::size_t last, int side, std::vector<std::pair<Expression, int>>& out) {
    const Op op = e.nodes()[last].op;
    if (op != Op::Mul && op != Op::Div) {
        out.emplace_back(e.subtree(last), side);
        return;
    }
    const std::size_t right = last - 1;
    product_factors(e, e.subtree_begin(right) - 1, side, out);
    product_factors(e, right, op == Op::Div ? -side : side, out);
}

// The number a constant subtree (3, 3/2, -(1/2)) stands for, if it is one.
std::optional<double> constant_value(const Expression& e) {
    for (const Node& n : e.nodes())
        if (n.op != Op::Const && n.op != Op::Div && n.op != Op::Neg) return std::nullopt;
    return Evaluator{}(e, Eigen::MatrixXd(1, 0))(0);
}

// A factor b^e with e a constant: the base and e; otherwise the factor itself to the power 1.
std::pair<Expression, double> base_and_exponent(const Expression& f) {
    const Op op = f.nodes().back().op;
    if (op == Op::Sqrt) return {f.subtree(f.size() - 2), 0.5};
    if (op == Op::Pow) {
        const std::size_t exponent_last = f.size() - 2;
        const std::size_t base_last = f.subtree_begin(exponent_last) - 1;
        if (const std::optional<double> e = constant_value(f.subtree(exponent_last)))
            return {f.subtree(base_last), *e};
    }
    return {f, 1.0};
}

// sqrt(L)/sqrt(g_n) as sqrt(L/g_n), a^(3/2)/sqrt(G*M) and a*sqrt(a/(G*M)) as sqrt(a^3/(G*M)): the
// half powers of a product merged into one square root, with the integer powers of any
// quantity that is inside it too, as a physicist writes 2*pi*sqrt(L/g_n) and
// 2*pi*sqrt(a^3/(G*M)) (equal for positive quantities, which simplify() assumes too). Anything
// else is left as it is.
Expression merge_square_roots(const Expression& e) {
    if (e.empty() || e.size() > 200) return e;
    std::vector<std::pair<Expression, int>> factors;
    product_factors(e, e.size() - 1, 1, factors);
    auto times = [](Expression& acc, const Expression& f) {
        acc = acc.empty() ? f : Expression::binary(Op::Mul, acc, f);
    };
    auto power = [](const Expression& base, double k) {
        return k == 1.0 ? base : Expression::binary(Op::Pow, base, Expression::constant(k));
    };
    // Half powers go under the root (squared); the rest stays outside for now.
    Expression inside_up, inside_down;
    std::vector<std::pair<Expression, int>> outside;
    std::vector<std::uint64_t> under_root;  // hashes of the bases under the root
    int roots = 0;
    for (const auto& [f, side] : factors) {
        const auto [base, k] = base_and_exponent(f);
        if (std::abs(2.0 * k - std::round(2.0 * k)) > 0.0 || std::fmod(std::abs(2.0 * k), 2.0) != 1.0) {
            outside.emplace_back(f, side);
            continue;
        }
        ++roots;
        const int s = k > 0 ? side : -side;
        times(s > 0 ? inside_up : inside_down, power(base, std::abs(2.0 * k)));
        std::vector<std::pair<Expression, int>> parts;
        product_factors(base, base.size() - 1, 1, parts);
        for (const auto& part : parts) under_root.push_back(base_and_exponent(part.first).first.hash());
    }
    if (roots == 0) return e;
    Expression up, down;
    int moved = 0;
    for (const auto& [f, side] : outside) {
        const auto [base, k] = base_and_exponent(f);
        const bool quantity = base.size() == 1 && base.nodes()[0].op == Op::Var && k == std::round(k);
        if (quantity && std::find(under_root.begin(), under_root.end(), base.hash()) != under_root.end()) {
            const int s = k > 0 ? side : -side;
            times(s > 0 ? inside_up : inside_down, power(base, std::abs(2.0 * k)));
            ++moved;
        } else {
            times(side > 0 ? up : down, f);
        }
    }
    if (roots + moved < 2) return e;
    if (inside_up.empty()) inside_up = Expression::constant(1.0);
    Expression inside = simplify(inside_down.empty() ? inside_up : Expression::binary(Op::Div, inside_up, inside_down));
    times(up, Expression::unary(Op::Sqrt, inside));
    return down.empty() ? up : Expression::binary(Op::Div, up, down);
}

// `e` with every sum or difference of a positive number c and a term t, at any depth,
// written c*(1 + t/c) (or c*(t/c - 1), c*(1 - t/c)), then simplified: simplify takes the
// number out of a root and folds it into the law's coefficient.
Expression leading_ones(const Expression& e) {
    if (e.empty() || e.size() > 200) return e;
    std::vector<Expression> stack;
    for (const Node& n : e.nodes()) {
        const int arity =
            n.op == Op::Const || n.op == Op::Var || n.op == Op::Param || n.op == Op::Pi                     ? 0
            : (n.op == Op::Add || n.op == Op::Sub || n.op == Op::Mul || n.op == Op::Div || n.op == Op::Pow) ? 2
                                                                                                            : 1;
        if (arity == 0) {
            stack.push_back(Expression(std::vector<Node>{n}));
            continue;
        }
        if (arity == 1) {
            stack.back() = Expression::unary(n.op, stack.back());
            continue;
        }
        Expression b = std::move(stack.back());
        stack.pop_back();
        Expression a = std::move(stack.back());
        stack.pop_back();
        auto number = [](const Expression& x) {
            return x.size() == 1 && x.nodes()[0].op == Op::Const && x.nodes()[0].value > 0.0 ? x.nodes()[0].value : 0.0;
        };
        const double c = n.op == Op::Add || n.op == Op::Sub ? (number(a) > 0.0 ? number(a) : number(b)) : 0.0;
        if (c > 0.0 && !(number(a) > 0.0 && number(b) > 0.0)) {
            const Expression one = Expression::constant(1.0), k = Expression::constant(c);
            Expression inner = number(a) > 0.0 ? Expression::binary(n.op, one, Expression::binary(Op::Div, b, k))
                                               : Expression::binary(n.op, Expression::binary(Op::Div, a, k), one);
            stack.push_back(Expression::binary(Op::Mul, k, inner));
        } else {
            stack.push_back(Expression::binary(n.op, a, b));
        }
    }
    return simplify(stack.back());
}

std::string constant_text(const PhysicalConstant& c, const UnitSystem& system) {
    return c.symbol + " = " + format_number(c.value.scale) + " " + system.format_in_units(c.value.dimension);
}

}  // namespace

ConstantNamer::ConstantNamer(const RunState& run) : run_(run) {
    if (!run.options.units || !run.options.snap_constants) return;
    const Problem& p = run.problem;
    const TableUnits& units = *run.options.units;
    inputs_ = p.columns.size();
    for (std::size_t k = 0; k < inputs_; ++k) {
        scales_.push_back(units.columns[p.columns[k]].scale);
        dimensions_.push_back(units.columns[p.columns[k]].dimension);
    }
    target_scale_ = units.columns[p.target_column].scale;
    target_ = units.columns[p.target_column].dimension;
    const auto& names = run.table.names;
    for (const PhysicalConstant& c : units.system.constants) {
        if (std::find(names.begin(), names.end(), c.symbol) == names.end()) {
            constants_.push_back(c);
            dimensions_.push_back(c.value.dimension);
            continue;
        }
        const auto& used = p.columns;
        const bool in_law = c.symbol == run.result.target ||
                            std::any_of(used.begin(), used.end(), [&](std::size_t k) { return names[k] == c.symbol; });
        if (in_law)
            notes_.push_back("the column " + c.symbol + " has the name of the unit system's constant " + c.symbol +
                             ": " + c.symbol + " is the column, and the constant is not named");
    }
    X_.resize(p.X.rows(), static_cast<Eigen::Index>(inputs_ + constants_.size()));
    for (std::size_t k = 0; k < inputs_; ++k)
        X_.col(static_cast<Eigen::Index>(k)) = p.X.col(static_cast<Eigen::Index>(k)) * scales_[k];
    for (std::size_t j = 0; j < constants_.size(); ++j)
        X_.col(static_cast<Eigen::Index>(inputs_ + j)).setConstant(constants_[j].value.scale);
    y_ = p.y * target_scale_;
    active_ = !constants_.empty();
}

Expression ConstantNamer::in_table_units(const Expression& coherent) const {
    // x_coherent = s*x, y = y_coherent / s_y; the named constants stay themselves.
    std::vector<Expression> to_table;
    for (std::size_t k = 0; k < inputs_; ++k) {
        Expression x = Expression::variable(static_cast<std::uint16_t>(k));
        to_table.push_back(scales_[k] == 1.0 ? x : Expression::binary(Op::Mul, Expression::constant(scales_[k]), x));
    }
    for (std::size_t j = 0; j < constants_.size(); ++j)
        to_table.push_back(Expression::variable(static_cast<std::uint16_t>(inputs_ + j)));
    Expression e = substitute_variables(coherent, to_table);
    if (target_scale_ != 1.0) e = Expression::binary(Op::Div, e, Expression::constant(target_scale_));
    return simplify(e);
}

std::optional<Dimension> ConstantNamer::missing(const Expression& named) const {
    try {
        return target_ / dimension_of(named, dimensions_);
    } catch (const std::exception&) {
        return std::nullopt;  // not consistent with the constants' dimensions
    }
}

// `coherent` times C^p/value(C)^p, with C = constants_[j] as its variable, simplified, the
// multiplier tidied and snapped to pi forms where the data allow.
Expression ConstantNamer::with_constant(const Expression& coherent, std::size_t j, Rational p) const {
    const auto v = static_cast<std::uint16_t>(inputs_ + j);
    const double scale = std::pow(constants_[j].value.scale, static_cast<double>(p.num()) / p.den());
    Expression e = Expression::binary(Op::Mul, power_of(Expression::variable(v), p),
                                      Expression::binary(Op::Div, coherent, Expression::constant(scale)));
    e = simplify(tidy_constants(simplify(e), X_, y_));
    return simplify(snap_constants(e, X_, y_, run_.model).expression);
}

// `coherent` (a formula in coherent units that names nothing) whose dimension misses a power
// of a constant the plan brought in, with that constant named and its multiplier fitted; if
// that multiplier is of no ordinary size (3.0113e22*k_B, a count of molecules) and a constant
// one base unit short of the missing dimension gives one that is (0.050003*R, an amount in
// mol), that constant. Nothing when no constant fits, or when the multiplier is near 1 but not
// 1: the data's constant is then a rounded C (8.314 for R), and the number itself is the
// clearer law (P = 8.314*n*T/V, not 0.99994*R*n*T/V).
std::optional<Expression> ConstantNamer::brought_in(const Expression& coherent, std::vector<std::string>& notes) const {
    const std::optional<Dimension> needed = missing(coherent);
    if (!run_.plan || !needed || needed->dimensionless()) return std::nullopt;
    auto index_of = [&](const PhysicalConstant* c) -> std::optional<std::size_t> {
        for (std::size_t j = 0; j < constants_.size(); ++j)
            if (constants_[j].symbol == c->symbol) return j;
        return std::nullopt;
    };
    auto ordinary = [](const Expression& e) {
        const std::optional<double> k = leading_multiplier(e);
        return !k || (std::abs(*k) >= 1e-3 && std::abs(*k) <= 1e3);
    };
    std::optional<std::pair<Expression, std::size_t>> chosen;
    for (const PhysicalConstant* c : run_.plan->constants) {
        const std::optional<std::size_t> j = index_of(c);
        const std::optional<Rational> p = power_giving(c->value.dimension, *needed);
        if (!j || !p) continue;
        chosen.emplace(with_constant(coherent, *j, *p), *j);
        break;
    }
    if (!chosen || !ordinary(chosen->first)) {
        for (std::size_t j = 0; j < constants_.size(); ++j) {
            const Dimension& d = constants_[j].value.dimension;
            if (d.dimensionless() || !one_base_unit(*needed / d)) continue;
            Expression e = with_constant(coherent, j, Rational(1));
            if (!ordinary(e)) continue;
            notes.push_back("the law's number next to " + constants_[j].symbol + " carries the unit " +
                            run_.options.units->system.format_in_units(*needed / d) +
                            " (a quantity the table does not log)");
            chosen.emplace(std::move(e), j);
            break;
        }
    }
    if (!chosen) return std::nullopt;
    if (const std::optional<double> k = leading_multiplier(chosen->first);
        k && *k != 1.0 && std::abs(*k - 1.0) < kNearOne)
        return std::nullopt;
    const PhysicalConstant& c = constants_[chosen->second];
    notes.push_back("brought in the constant " + c.symbol + " (" + constant_text(c, run_.options.units->system) +
                    "): the law names it");
    return chosen->first;
}

std::optional<NamedLaw> ConstantNamer::name(const Expression& e) const {
    if (!active_ || e.empty()) return std::nullopt;
    // In coherent units: each input divided by its unit scale, the target multiplied by its own.
    std::vector<Expression> to_coherent;
    for (std::size_t k = 0; k < inputs_; ++k) {
        Expression x = Expression::variable(static_cast<std::uint16_t>(k));
        to_coherent.push_back(scales_[k] == 1.0 ? x : Expression::binary(Op::Div, x, Expression::constant(scales_[k])));
    }
    Expression coherent = substitute_variables(e, to_coherent);
    if (target_scale_ != 1.0) coherent = Expression::binary(Op::Mul, coherent, Expression::constant(target_scale_));
    coherent = simplify(coherent);
    // A sum with a number in it written as that number times (1 + ...), so that a constant
    // spread over two numbers (0.063 - 7.01e-19*v^2 for 0.063*(1 - v^2/c^2)) is one number
    // that may be named; kept only if it fits as well and changes the formula.
    const Expression leading_one = leading_ones(coherent);
    if (!(leading_one == coherent)) {
        const auto X = X_.leftCols(static_cast<Eigen::Index>(inputs_));
        coherent = simplify(tidy_constants(leading_one, X, y_));
    }

    SnapConstantsOptions options;
    options.noise_sd = run_.result.noise_estimate * std::abs(target_scale_);  // in coherent units, as y_
    options.physical_constants = constants_;
    options.first_constant_variable = static_cast<std::uint16_t>(inputs_);
    options.admissible = [this](const Expression& named) {
        try {
            (void)dimension_of(named, dimensions_);
            return true;
        } catch (const std::exception&) {
            return false;
        }
    };
    const SnapResult snapped =
        snap_constants(coherent, X_.leftCols(static_cast<Eigen::Index>(inputs_)), y_, run_.model, options);
    NamedLaw law;
    std::optional<Expression> named = simplify(snapped.named);
    // The snapped constants stand: the named form has the target's dimension, or one base unit
    // short of it, which the multiplier carries (0.05 mol of gas). Otherwise they were a
    // coincidence of numbers, and only a constant the plan brought in can be named.
    const std::optional<Dimension> short_of = missing(*named);
    const bool stands =
        !constants_read(*named, inputs_).empty() && short_of && (short_of->dimensionless() || one_base_unit(*short_of));
    if (stands) {
        for (const SnappedConstant& s : snapped.snapped)
            if (s.physical)
                law.notes.push_back("the constant " + format_number(s.original) + " (in coherent units) is " + s.form);
        if (!short_of->dimensionless())
            law.notes.push_back("the law's number next to the named constant carries the unit " +
                                run_.options.units->system.format_in_units(*short_of) +
                                " (a quantity the table does not log)");
    } else {
        named = brought_in(coherent, law.notes);
    }
    if (!named) return std::nullopt;
    const std::vector<std::size_t> read = constants_read(*named, inputs_);
    if (read.empty()) return std::nullopt;

    // Back in the table's units, the constants renumbered to those the law reads.
    // Back in the table's units, the constants renumbered to those the law reads; the
    // numeric form is the named one with the constants' values (not simplified further, so it
    // reads 2*pi*sqrt(L/9.80665)).
    std::vector<Expression> renumbered, values;
    for (std::size_t k = 0; k < inputs_; ++k) {
        renumbered.push_back(Expression::variable(static_cast<std::uint16_t>(k)));
        values.push_back(renumbered.back());
    }
    for (std::size_t j = 0; j < constants_.size(); ++j) {
        const auto at = std::find(read.begin(), read.end(), j);
        renumbered.push_back(Expression::variable(static_cast<std::uint16_t>(inputs_ + (at - read.begin()))));
    }
    for (std::size_t j : read) values.push_back(Expression::constant(constants_[j].value.scale));
    law.named = merge_square_roots(simplify(substitute_variables(in_table_units(*named), renumbered)));
    law.numeric = substitute_variables(law.named, values);
    const UnitSystem& system = run_.options.units->system;
    for (std::size_t j : read) law.constants.push_back(system.find_constant(constants_[j].symbol));
    return law;
}

namespace {

// The terms of the sum or difference that ends at node `last`.
void sum_terms(const Expression& e, std::size_t last, std::vector<Expression>& out) {
    const Op op = e.nodes()[last].op;
    if (op != Op::Add && op != Op::Sub) {
        out.push_back(e.subtree(last));
        return;
    }
    const std::size_t right = last - 1;
    sum_terms(e, e.subtree_begin(right) - 1, out);
    sum_terms(e, right, out);
}

}  // namespace

std::vector<std::string> unit_carrying_notes(const RunState& run, const Expression& e) {
    std::vector<std::string> notes;
    if (!run.options.units || e.empty() || e.size() > 200) return notes;
    const Problem& p = run.problem;
    const TableUnits& units = *run.options.units;
    std::vector<Dimension> dims;
    bool coherent = units.columns[p.target_column].scale == 1.0;
    for (std::size_t column : p.columns) {
        dims.push_back(units.columns[column].dimension);
        coherent = coherent && units.columns[column].scale == 1.0;
    }
    const Dimension& target = units.columns[p.target_column].dimension;
    std::vector<Expression> terms;
    sum_terms(e, e.size() - 1, terms);
    for (const Expression& term : terms) {
        std::vector<std::pair<Expression, int>> factors;
        product_factors(term, term.size() - 1, 1, factors);
        const auto number = std::find_if(factors.begin(), factors.end(), [](const auto& f) {
            return f.first.size() == 1 && f.first.nodes()[0].op == Op::Const;
        });
        if (number == factors.end()) continue;
        Dimension carried;
        try {
            carried = target / dimension_of(term, dims);
        } catch (const std::exception&) {
            continue;
        }
        if (carried.dimensionless()) continue;
        const double value = number->second > 0 ? number->first.nodes()[0].value : 1.0 / number->first.nodes()[0].value;
        notes.push_back("the number " + format_number(value) +
                        (coherent
                             ? " carries the unit " + units.system.format_in_units(carried)
                             : " carries the dimension " + units.system.format(carried) + " (in the table's units)"));
    }
    return notes;
}

std::string describe_constant(const PhysicalConstant& c, const UnitSystem& system) {
    std::string s = c.symbol;
    s += " = ";
    s += format_number(c.value.scale);
    s += " ";
    s += system.format_in_units(c.value.dimension);
    if (!c.name.empty()) {
        s += " (";
        s += c.name;
        s += ")";
    }
    return s;
}

NamedConstant named_constant(const PhysicalConstant& c, const UnitSystem& system) {
    return {c.symbol, c.value.scale, system.format_in_units(c.value.dimension), c.name};
}

}  // namespace kepler::pipeline
