// Screening, step 7 continued: which of the fitted subsets are proposed. The units must allow
// them (a reading of the same quantity in another unit may be substituted), they must not be
// there only to make the units, and they must differ: at most one superset of each subset
// already proposed. When the units allow nothing, or the data strongly prefer a subset they
// rule out, that subset is proposed too, flagged.
#include <algorithm>
#include <iterator>
#include <limits>

#include "screen_steps.hpp"
#include "screen_text.hpp"

namespace kepler::screening {

void ChannelScreening::choose_subsets() {
    for (const Scored& s : fits) {
        if (report.subsets.size() >= options.max_subsets) break;
        std::vector<std::size_t> members = s.members;
        SubsetFit fit = s.fit;
        ChannelSubset proposal;
        std::vector<std::string> substitutions;
        UnitFeasibility feasibility;
        if (units) {
            feasibility = check_unit_feasibility(dims_of(members), units->columns[target].dimension, units->system);
            substitute_readings(members, fit, feasibility, substitutions);
            if (!feasibility.feasible) {
                rule_out(s, feasibility);
                continue;
            }
            proposal.units_checked = true;
            for (const PhysicalConstant* c : feasibility.constants) proposal.constants.push_back(c->symbol);
        }
        std::vector<std::size_t> sorted = members;
        std::sort(sorted.begin(), sorted.end());
        if (std::find(accepted.begin(), accepted.end(), sorted) != accepted.end()) continue;
        if (units && covered_by_ruled_out(members, sorted, fit)) continue;
        if (crowded(sorted)) continue;
        for (std::size_t a = 0; a < accepted.size(); ++a)
            if (std::includes(sorted.begin(), sorted.end(), accepted[a].begin(), accepted[a].end()))
                ++supersets_taken[a];
        accepted.push_back(sorted);
        supersets_taken.push_back(0);

        ChannelSubset out = make_subset(members, fit);
        out.units_checked = proposal.units_checked;
        out.constants = proposal.constants;
        out.substitutions = substitutions;
        report.subsets.push_back(std::move(out));
    }
}

// A reading of the same quantity in another unit may make the subset work, or make it work
// without a constant (0: no constant needed, 1: one constant, 2: impossible). At most one
// substitution per member; the first that lowers that cost is taken, and the subset refitted.
void ChannelScreening::substitute_readings(std::vector<std::size_t>& members, SubsetFit& fit,
                                           UnitFeasibility& feasibility, std::vector<std::string>& substitutions) {
    auto unit_cost = [](const UnitFeasibility& f) { return !f.feasible ? 2 : f.constants.empty() ? 0 : 1; };
    for (std::size_t a = 0; a < members.size() && unit_cost(feasibility) > 0; ++a) {
        for (std::size_t alt_column : report.interchangeable_with(candidates[members[a]])) {
            const std::size_t alt = position_of(alt_column);
            if (alt == SIZE_MAX || report.channels[alt].readings < options.min_readings) continue;
            if (units->columns[alt_column].dimension == units->columns[candidates[members[a]]].dimension) continue;
            std::vector<std::size_t> trial = members;
            trial[a] = alt;
            UnitFeasibility f = check_unit_feasibility(dims_of(trial), units->columns[target].dimension, units->system);
            if (unit_cost(f) >= unit_cost(feasibility)) continue;
            substitutions.push_back(report.channels[alt].name + " for " + report.channels[members[a]].name +
                                    " (interchangeable readings; " + with_unit(table, candidates[members[a]]) +
                                    (feasibility.feasible
                                         ? std::string(" needs a constant to make the target's unit")
                                         : std::string(" cannot make the target's unit with the others")) +
                                    ")");
            std::vector<std::size_t> slots;
            for (std::size_t k : trial) slots.push_back(slot_of(k));
            fit = fit_subset(Us, scales, ys, target_scale, slots);
            members = trial;
            feasibility = f;
            break;
        }
    }
}

// A subset the units rule out (even after substitutions): why, kept for the notes and for the
// subsets proposed despite the units.
void ChannelScreening::rule_out(const Scored& s, const UnitFeasibility& feasibility) {
    std::string why;
    if (!feasibility.target_reachable) {
        why += std::string(
                   "no product of these channels, with or without one constant of the unit system, has "
                   "the unit of ") +
               report.target;
    } else if (feasibility.unusable.empty()) {
        why +=
            std::string("no single constant lets every one of them into a formula with the unit of ") + report.target;
    } else {
        std::vector<std::string> bad;
        for (std::size_t u : feasibility.unusable) bad.push_back(with_unit(table, candidates[s.members[u]]));
        why += join_names(bad) + (bad.size() == 1 ? " cannot" : " cannot each") + " enter a formula with the unit of " +
               report.target + " (its unit cannot cancel)";
    }
    RuledOut r;
    r.sorted = s.members;
    std::sort(r.sorted.begin(), r.sorted.end());
    r.scored = &s;
    r.why = why;
    note_rejected(join_names(names_of(s.members)) + ": " + why + " (response surface R2 " + fmt("%.6f", s.fit.r2) +
                  ")");
    ruled_out.push_back(std::move(r));
}

// A subset the units allow only because of channels that add nothing to a better-fitting
// subset the units rule out: those channels are there to make the units, not the law. Noted
// among the rejected.
bool ChannelScreening::covered_by_ruled_out(const std::vector<std::size_t>& members,
                                            const std::vector<std::size_t>& sorted, const SubsetFit& fit) {
    const RuledOut* covered = nullptr;
    for (const RuledOut& r : ruled_out)
        if (r.scored->fit.bic < fit.bic && r.sorted.size() < sorted.size() &&
            std::includes(sorted.begin(), sorted.end(), r.sorted.begin(), r.sorted.end())) {
            covered = &r;
            break;
        }
    if (!covered) return false;
    std::vector<std::size_t> extra;
    std::set_difference(sorted.begin(), sorted.end(), covered->sorted.begin(), covered->sorted.end(),
                        std::back_inserter(extra));
    note_rejected(join_names(names_of(members)) + ": " + join_names(names_of(extra)) +
                  (extra.size() == 1 ? " adds" : " add") + " nothing to " +
                  join_names(names_of(covered->scored->members)) + " (BIC +" +
                  fmt("%.1f", fit.bic - covered->scored->fit.bic) + ") but a way to make the unit of " + report.target);
    return true;
}

// Variety: at most one superset of each subset already proposed (an extra channel is worth one
// try, not four).
bool ChannelScreening::crowded(const std::vector<std::size_t>& sorted) const {
    bool full = false;
    for (std::size_t a = 0; a < accepted.size(); ++a) {
        if (!std::includes(sorted.begin(), sorted.end(), accepted[a].begin(), accepted[a].end())) continue;
        if (supersets_taken[a] >= 1) full = true;
    }
    return full;
}

// The subsets the units rule out that are proposed all the same, flagged.
void ChannelScreening::add_ruled_out_subsets() {
    if (units && report.subsets.empty()) {
        report.notes.push_back(std::string("no subset of the short list can make the unit of ") + report.target +
                               " with or without one constant; the subsets below ignore the units");
        for (const RuledOut& r : ruled_out) {
            if (report.subsets.size() >= options.max_subsets) break;
            ChannelSubset out = make_subset(r.scored->members, r.scored->fit);
            out.units_checked = true;
            out.units_ok = false;
            out.units_problem = r.why;
            report.subsets.push_back(std::move(out));
        }
    } else if (units && !ruled_out.empty()) {
        // The data may still prefer a subset the units rule out: a law with a material constant
        // of its own (a resistance, a temperature coefficient) needs a dimensional constant the
        // unit system's table lacks. When they prefer it strongly (BIC lower by more than 10)
        // over everything the units allow, it is proposed too, flagged; discover() then fits an
        // unknown dimensional constant.
        double best_allowed = std::numeric_limits<double>::infinity();
        for (const ChannelSubset& sub : report.subsets) best_allowed = std::min(best_allowed, sub.bic);
        const RuledOut& r = ruled_out.front();
        if (r.scored->fit.bic < best_allowed - 10.0) {
            ChannelSubset out = make_subset(r.scored->members, r.scored->fit);
            out.units_checked = true;
            out.units_ok = false;
            out.units_problem =
                r.why + "; the data prefer these channels by BIC " + fmt("%.1f", best_allowed - r.scored->fit.bic) +
                " over every subset the units allow, so the law may hold a dimensional constant the table lacks";
            report.subsets.push_back(std::move(out));
            if (report.subsets.size() > options.max_subsets) report.subsets.erase(report.subsets.end() - 2);
        }
    }
}

void ChannelScreening::note_rejected(std::string why) {
    if (report.rejected.size() < 5) report.rejected.push_back(std::move(why));
}

}  // namespace kepler::screening
