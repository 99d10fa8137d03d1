// The last step of discover() (discover_stages.hpp): from the pool of every stage's formulas
// to the result's front, its notes and its timing.
#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "discover_stages.hpp"
#include "kepler/core/canonical.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/core/textbook_form.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/pipeline/polish_constants.hpp"
#include "kepler/pipeline/snap_by_evidence.hpp"
#include "kepler/pipeline/snap_constants.hpp"
#include "kepler/pipeline/tidy_constants.hpp"
#include "name_constants.hpp"
#include "stand_in_function.hpp"

namespace kepler::pipeline {

namespace {

// Settling a formula's constants (settle_constants below) refits it a few times, many times for
// a formula of many constants; a pool of such formulas could hold the result long past the
// clock (II.35.18 with its base units rescaled by 10^9: 45 s past a 30 s limit). So the
// formulas are settled until the run's time limit plus this share of it (at least
// kMinSettleGraceSeconds); those after are scored with the constants the search fitted.
constexpr double kSettleGraceShare = 0.1;
constexpr double kMinSettleGraceSeconds = 1.0;

// The front of the pool's formulas in the table's units, and the constants snapped and the
// named form of each member (by the member's hash).
struct ScoredPool {
    ParetoFront front;
    std::unordered_map<std::uint64_t, std::vector<SnappedConstant>> snapped;
    std::unordered_map<std::uint64_t, NamedLaw> named;
    std::vector<std::string> notes;  // ConstantNamer::notes, and the settling cut short by the clock
};

// Polish the constants, snap those the data cannot tell from simple values (snap_by_evidence)
// or closed forms of pi and the system's constants (snap_constants, whose acceptance judges
// against the polished fit, so it runs before the digits go), then tidy the rest, leaving the
// exact values of snapped physical constants as they are. Simplified after each step that can
// leave 1*x or x + 0, and written at the end with the common factors of sums taken out
// (textbook_form.hpp: q*(Ef + B*v*sin(theta)), not q*Ef*(B*v*sin(theta)/Ef + 1)).
Expression settle_constants(const RunState& run, Expression e, const SnapConstantsOptions& snap,
                            const SnapByEvidenceOptions& evidence, std::vector<SnappedConstant>& snaps) {
    const Problem& p = run.problem;
    // In textbook form before the snapping, so that a constant it brings out of an exponential
    // (exp(-x^2/2 - 0.9189385332) = 0.3989422804*exp(-x^2/2)) can be snapped too.
    e = textbook_form_on_rows(polish_constants(std::move(e), p.X, p.y, run.search().seed), p.X);
    std::vector<double> stated;
    if (run.options.snap_constants) {
        e = simplify(snap_by_evidence(e, p.X, p.y, run.model, evidence));
        SnapResult s = snap_constants(e, p.X, p.y, run.model, snap);
        e = std::move(s.expression);
        snaps = std::move(s.snapped);
        for (const SnappedConstant& c : snaps) stated.push_back(c.value);
    }
    return textbook_form_on_rows(tidy_constants(e, p.X, p.y, evidence.noise_sd, stated), p.X);
}

// The pool's formulas in the table's units, simplified, each canonical form once, in pool order:
// the stages often find one formula twice (m*(a/m) over the groups and a over the inputs).
std::vector<Expression> distinct_formulas(const RunState& run) {
    std::vector<Expression> out;
    std::unordered_set<std::uint64_t> seen;
    for (const Expression& f : run.pool.formulas) {
        Expression simplified = simplify(run.in_table_units(f));
        if (seen.insert(canonical(simplified, true).hash()).second) out.push_back(std::move(simplified));
    }
    return out;
}

// The order to settle `formulas` in: least description length first (ParetoFront::total_bits,
// with the constants the search fitted), so that what the clock leaves unsettled is what the
// pick would least take.
std::vector<std::size_t> settling_order(const std::vector<Expression>& formulas, const RunState& run,
                                        Evaluator& evaluator) {
    const Problem& p = run.problem;
    std::vector<double> bits(formulas.size(), std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < formulas.size(); ++i)
        if (auto c = score_candidate(formulas[i], p.scoring_X(), p.scoring_y(), run.model, evaluator))
            bits[i] = ParetoFront::total_bits(*c);
    std::vector<std::size_t> order(formulas.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bits[a] < bits[b]; });
    return order;
}

// `front` with each member's error bits at the table's residual scale (error_bits in
// candidate.hpp), so that the pick weighs fits at noise by their residuals' likelihood: the
// smaller of the model-free noise estimate and the least RMSE on the front. Exact data keep
// their scale (the least RMSE is rounding, below 1e-9 of the target's RMS); without a noise
// estimate nothing changes.
ParetoFront at_residual_scale(const ParetoFront& front, const RunState& run, Evaluator& evaluator) {
    if (front.empty() || !(run.result.noise_estimate > 0.0)) return front;
    const double scale = std::min(run.result.noise_estimate, front.members().back().rmse);
    const Problem& p = run.problem;
    ParetoFront out(front.rmse_tolerance());
    Eigen::VectorXd predicted(p.scoring_y().size());
    for (Candidate c : front.members()) {
        evaluator.evaluate(c.expression, p.scoring_X(), predicted);
        c.error_bits = error_bits(p.scoring_y(), predicted, scale);
        out.insert(std::move(c));
    }
    return out;
}

// Simplify (folding the unit scales into the constants), settle the constants (polish, snap
// by evidence and to closed forms of pi, tidy; in settling_order, until the clock's grace is
// spent), name the system's constants (name_constants.hpp: in coherent units, where their
// values are known), and score on the table.
ScoredPool score_pool(const RunState& run) {
    const Problem& p = run.problem;
    SnapConstantsOptions snap;
    snap.noise_sd = run.result.noise_estimate;
    const ConstantNamer namer(run);
    ScoredPool out{ParetoFront(exact_rmse_bound(root_mean_square(p.scoring_y()))), {}, {}, namer.notes()};
    Evaluator evaluator;
    SnapByEvidenceOptions evidence;  // the snapping rule judges against the table's noise
    evidence.noise_sd = run.result.noise_estimate;
    evidence.seed = run.search().seed;
    std::vector<Expression> formulas = distinct_formulas(run);
    std::vector<std::vector<SnappedConstant>> snaps(formulas.size());
    const double limit = run.options.search.time_limit_seconds;
    const auto settle_until =
        run.start + std::chrono::duration_cast<RunState::Clock::duration>(std::chrono::duration<double>(
                        std::min(1e9, limit + std::max(kMinSettleGraceSeconds, kSettleGraceShare * limit))));
    std::size_t unsettled = 0;
    for (std::size_t i : settling_order(formulas, run, evaluator)) {
        if (RunState::Clock::now() >= settle_until) {
            ++unsettled;
            continue;
        }
        formulas[i] = settle_constants(run, std::move(formulas[i]), snap, evidence, snaps[i]);
    }
    // Into the front in pool order (on a tie the earlier member stays): the formulas with a
    // function the rows do not support (stand_in_function.hpp) only into `all`, the front the
    // pick falls back on when no formula is without one.
    ParetoFront all(out.front.rmse_tolerance());
    for (std::size_t i = 0; i < formulas.size(); ++i) {
        Expression e = std::move(formulas[i]);
        std::optional<NamedLaw> named = namer.name(e);
        if (named) e = named->numeric;
        if (auto c = score_candidate(std::move(e), p.scoring_X(), p.scoring_y(), run.model, evaluator)) {
            const std::uint64_t h = c->expression.hash();
            const bool stand_in =
                stand_in_function(c->expression, p.scoring_X(), run.result.noise_estimate, run.result.inputs)
                    .has_value();
            const bool in_all = all.insert(*c);
            const bool on_front = !stand_in && out.front.insert(std::move(*c));
            if (!in_all && !on_front) continue;
            if (!snaps[i].empty()) out.snapped[h] = std::move(snaps[i]);
            if (named) out.named[h] = std::move(*named);
        }
    }
    if (unsettled > 0)
        out.notes.push_back("the time limit was reached while settling constants: " + std::to_string(unsettled) +
                            " formulas keep the constants the search fitted");
    out.front = at_residual_scale(out.front, run, evaluator);
    all = at_residual_scale(all, run, evaluator);
    if (out.front.empty()) {
        out.front = std::move(all);
    } else if (const Candidate& pass = all.best(); pass.expression.hash() != out.front.best().expression.hash()) {
        // The pick without the check would have been a stand-in: said in a note, and kept when
        // the check's pick claims the same function of the same inputs.
        if (const std::optional<StandIn> f =
                stand_in_function(pass.expression, p.scoring_X(), run.result.noise_estimate, run.result.inputs)) {
            const std::string printed = to_infix(pass.expression, run.result.inputs);
            const std::string why = ": over the rows its " + f->printed +
                                    " is a quadratic in its argument, or in one over it, to within the noise";
            if (claims_same_function(out.front.best().expression, *f)) {
                out.notes.push_back("kept " + printed + why + ", but the pick without it, " +
                                    to_infix(out.front.best().expression, run.result.inputs) +
                                    ", claims that function of the same inputs too");
                out.front = std::move(all);
            } else {
                out.notes.push_back("passed over " + printed + why + ", so the data are no evidence for that function");
            }
        }
    }
    return out;
}

// Each input k as x_k/scales[k]: from the table's units back to coherent ones.
std::vector<Expression> unscaled_inputs(const std::vector<double>& scales) {
    std::vector<Expression> out;
    for (std::size_t k = 0; k < scales.size(); ++k) {
        Expression x = Expression::variable(static_cast<std::uint16_t>(k));
        out.push_back(scales[k] == 1.0 ? x : Expression::binary(Op::Div, x, Expression::constant(scales[k])));
    }
    return out;
}

// Which constant of the table the best law's fitted scale stands for (in coherent units).
// `named`: the best law's named form, if any (then the constants it names are the ones
// brought in).
void note_constant_used(RunState& run, const Candidate& best, const NamedLaw* named) {
    if (!run.plan || run.plan->constants.empty()) return;
    if (named && !named->constants.empty()) {  // the law names what it brought in (its notes say how)
        for (const PhysicalConstant* c : named->constants)
            run.result.constants_introduced.push_back(describe_constant(*c, run.options.units->system));
        return;
    }
    const Expression coherent = substitute_variables(best.expression, unscaled_inputs(run.scales));
    std::string failure;
    if (const PhysicalConstant* c = constant_used(*run.plan, coherent, &failure)) {
        run.result.constants_introduced.push_back(describe_constant(*c, run.options.units->system));
        run.result.notes.push_back("brought in the constant " + c->symbol +
                                   "; its value is folded into the fitted constant");
    } else if (!failure.empty()) {
        run.result.explanation.push_back("which constant the best law brings in is unknown: " + failure);
    }
}

void note_snaps(RunState& run, const std::vector<SnappedConstant>& snaps) {
    for (const SnappedConstant& sc : snaps) {
        std::string note = "the constant ";
        note += format_number(sc.original);
        note += " is ";
        note += sc.form;
        if (sc.physical) {
            note += " = ";
            note += format_number(sc.value);
        }
        run.result.notes.push_back(std::move(note));
    }
}

// The law as the front reports it: printed in its named form when it has one.
FoundLaw found_law(const Candidate& c, const std::vector<std::string>& inputs, const NamedLaw* named,
                   const UnitSystem* system) {
    FoundLaw law;
    law.expression = c.expression;
    law.numeric_formula = to_infix(c.expression, inputs);
    std::vector<std::string> names = inputs;
    Expression shown = c.expression;
    if (named && system) {
        law.named_expression = named->named;
        for (const PhysicalConstant* k : named->constants) {
            law.named_constants.push_back(named_constant(*k, *system));
            names.push_back(k->symbol);
        }
        shown = named->named;
    }
    law.formula = to_infix(shown, names);
    law.latex = to_latex(shown, names);
    law.sympy = to_sympy(shown, names);
    law.complexity_bits = c.complexity_bits;
    law.error_bits = c.error_bits;
    law.rmse = c.rmse;
    law.r2 = c.r2;
    law.max_relative_error = c.max_relative_error;
    return law;
}

// The fitted constants of a front member with their standard errors. With constants named,
// on the named form (the system's constants then are stated values, given as constant columns:
// only the numbers next to them were fitted), else on the numeric form.
std::vector<FittedConstant> fitted_constants(const FoundLaw& law, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    if (law.named_constants.empty()) return constant_uncertainty(law.expression, X, y);
    Eigen::MatrixXd with_constants(X.rows(), X.cols() + static_cast<Eigen::Index>(law.named_constants.size()));
    with_constants.leftCols(X.cols()) = X;
    for (std::size_t j = 0; j < law.named_constants.size(); ++j)
        with_constants.col(X.cols() + static_cast<Eigen::Index>(j)).setConstant(law.named_constants[j].value);
    return constant_uncertainty(law.named_expression, with_constants, y);
}

}  // namespace

DiscoveryResult finish(RunState& run) {
    const ScoredPool scored = score_pool(run);
    const Candidate* best = scored.front.empty() ? nullptr : &scored.front.best();
    auto named_of = [&](const Candidate& c) -> const NamedLaw* {
        const auto it = scored.named.find(c.expression.hash());
        return it == scored.named.end() ? nullptr : &it->second;
    };
    const UnitSystem* system = run.options.units ? &run.options.units->system : nullptr;
    for (const std::string& note : scored.notes) run.result.notes.push_back(note);
    if (best) {
        note_constant_used(run, *best, named_of(*best));
        if (auto it = scored.snapped.find(best->expression.hash()); it != scored.snapped.end())
            note_snaps(run, it->second);
        if (const NamedLaw* named = named_of(*best))
            for (const std::string& note : named->notes) run.result.notes.push_back(note);
        if (run.plan && run.plan->unknown_constant)
            for (std::string& note : unit_carrying_notes(run, best->expression))
                run.result.notes.push_back(std::move(note));
    }
    for (const Candidate& c : scored.front.members()) {
        if (best == &c) run.result.best = run.result.front.size();
        run.result.front.push_back(found_law(c, run.result.inputs, named_of(c), system));
        run.result.front.back().constants =
            fitted_constants(run.result.front.back(), run.problem.scoring_X(), run.problem.scoring_y());
    }
    run.result.seconds = std::chrono::duration<double>(RunState::Clock::now() - run.start).count();
    return std::move(run.result);
}

}  // namespace kepler::pipeline
