// The last step of discover() (discover_stages.hpp): from the pool of every stage's formulas
// to the result's front, its notes and its timing.
#include <algorithm>
#include <chrono>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "discover_stages.hpp"
#include "kepler/core/canonical.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/pipeline/polish_constants.hpp"
#include "kepler/pipeline/snap_by_evidence.hpp"
#include "kepler/pipeline/snap_constants.hpp"
#include "kepler/pipeline/tidy_constants.hpp"

namespace kepler::pipeline {

namespace {

// The front of the pool's formulas in the table's units, and the constants snapped in each
// member (by the member's hash).
struct ScoredPool {
    ParetoFront front;
    std::unordered_map<std::uint64_t, std::vector<SnappedConstant>> snapped;
};

// Polish the constants, snap those the data cannot tell from simple values (snap_by_evidence)
// or closed forms of pi and the system's constants (snap_constants, whose acceptance judges
// against the polished fit, so it runs before the digits go), then tidy the rest, leaving the
// exact values of snapped physical constants as they are. Simplified after each step that can
// leave 1*x or x + 0.
Expression settle_constants(const RunState& run, Expression e, const SnapConstantsOptions& snap,
                            const SnapByEvidenceOptions& evidence, std::vector<SnappedConstant>& snaps) {
    const Problem& p = run.problem;
    e = polish_constants(std::move(e), p.X, p.y, run.search().seed);
    std::vector<double> stated;
    if (run.options.snap_constants) {
        e = simplify(snap_by_evidence(e, p.X, p.y, run.model, evidence));
        SnapResult s = snap_constants(e, p.X, p.y, run.model, snap);
        e = std::move(s.expression);
        snaps = std::move(s.snapped);
        for (const SnappedConstant& c : snaps) stated.push_back(c.value);
    }
    return simplify(tidy_constants(e, p.X, p.y, evidence.noise_sd, stated));
}

// Simplify (folding the unit scales into the constants), polish the constants, snap those the
// data cannot tell from simple values (snap_by_evidence.hpp), tidy the rest, snap those that
// are closed forms of pi (or of the system's constants), and score on the table. The system's
// constants are known in coherent units only: with any unit scale other than 1 the formula's
// numbers include the scales, so they are not tried then.
ScoredPool score_pool(const RunState& run) {
    const Problem& p = run.problem;
    SnapConstantsOptions snap;
    const bool coherent =
        run.target_scale == 1.0 && std::all_of(run.scales.begin(), run.scales.end(), [](double s) { return s == 1.0; });
    if (run.options.units && coherent) snap.physical_constants = run.options.units->system.constants;
    ScoredPool out{ParetoFront(exact_rmse_bound(root_mean_square(p.scoring_y()))), {}};
    Evaluator evaluator;
    SnapByEvidenceOptions evidence;  // the snapping rule judges against the table's noise
    evidence.noise_sd = run.result.noise_estimate;
    evidence.seed = run.search().seed;
    // The stages often find one formula twice (m*(a/m) over the groups and a over the inputs):
    // polish each canonical form once.
    std::unordered_set<std::uint64_t> seen;
    for (const Expression& f : run.pool.formulas) {
        Expression simplified = simplify(run.in_table_units(f));
        if (!seen.insert(canonical(simplified, true).hash()).second) continue;
        std::vector<SnappedConstant> snaps;
        Expression e = settle_constants(run, std::move(simplified), snap, evidence, snaps);
        if (auto c = score_candidate(std::move(e), p.scoring_X(), p.scoring_y(), run.model, evaluator)) {
            const std::uint64_t h = c->expression.hash();
            if (out.front.insert(std::move(*c)) && !snaps.empty()) out.snapped[h] = std::move(snaps);
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

// Which constant of the table the best law's fitted scale stands for (in coherent units).
void note_constant_used(RunState& run, const Candidate& best) {
    if (!run.plan || run.plan->constants.empty()) return;
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

FoundLaw found_law(const Candidate& c, const std::vector<std::string>& inputs) {
    FoundLaw law;
    law.expression = c.expression;
    law.formula = to_infix(c.expression, inputs);
    law.latex = to_latex(c.expression, inputs);
    law.sympy = to_sympy(c.expression, inputs);
    law.complexity_bits = c.complexity_bits;
    law.error_bits = c.error_bits;
    law.rmse = c.rmse;
    law.r2 = c.r2;
    law.max_relative_error = c.max_relative_error;
    return law;
}

}  // namespace

DiscoveryResult finish(RunState& run) {
    const ScoredPool scored = score_pool(run);
    const Candidate* best = scored.front.empty() ? nullptr : &scored.front.best();
    if (best) {
        note_constant_used(run, *best);
        if (auto it = scored.snapped.find(best->expression.hash()); it != scored.snapped.end())
            note_snaps(run, it->second);
    }
    for (const Candidate& c : scored.front.members()) {
        if (best == &c) run.result.best = run.result.front.size();
        run.result.front.push_back(found_law(c, run.result.inputs));
        run.result.front.back().constants =
            constant_uncertainty(c.expression, run.problem.scoring_X(), run.problem.scoring_y());
    }
    run.result.seconds = std::chrono::duration<double>(RunState::Clock::now() - run.start).count();
    return std::move(run.result);
}

}  // namespace kepler::pipeline
