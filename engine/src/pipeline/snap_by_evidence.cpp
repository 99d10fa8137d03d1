#include "kepler/pipeline/snap_by_evidence.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/fitting/constant_uncertainty.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/snap_evidence.hpp"
#include "kepler/pipeline/polish_constants.hpp"
#include "kepler/pipeline/simple_values.hpp"

namespace kepler {

namespace {

// Two simple values of different value that both pass within this many bits: ambiguous.
constexpr double kAmbiguityBits = 8.0;
// A plain value may cost this many bits more than the constant stated to its precision. Its
// price (1/(2*pi), 17 bits; 2/3, 9 bits) is its length, not how likely a law is to hold it: a
// physicist writes hbar*omega/(k_B*T), not 0.158*h*omega/(k_B*T), when the data know the number
// to 1 part in 175 (9.5 bits) and cannot tell it from 1/(2*pi), and Clausius-Mossotti's 2/3 known
// to 1 part in 80 (8.3 bits) is 2/3. Plain: p/q times a power of pi, |p| and q at most
// kPlainTerms (2/3, 2*pi, pi/2, 4*pi/3, pi^2, 1/(4*pi)); given the slack, 25/(12*pi) near 2/3
// and 59/6 near pi^2 made those ambiguous. A form far beyond the data's precision (27/(2*pi^2),
// 28 bits, for a number known to 3 digits) stays a number.
constexpr double kFormSlackBits = 8.0;
constexpr long long kPlainTerms = 4;

double slack_bits(const SimpleValue& v) {
    return std::abs(v.p) <= kPlainTerms && v.q <= kPlainTerms ? kFormSlackBits : 0.0;
}
// A constant the data do not determine (infinite standard error) is tried against the simple
// values within this share of itself.
constexpr double kUndeterminedReach = 0.1;
// Coefficients further apart than this (relative to their mean) are not tried as one value.
constexpr double kMergeReach = 0.05;

// Which free constant is fixed to what, and which share a slot.
struct State {
    std::vector<int> slot;         // per free constant: its slot, or -1 when fixed
    std::vector<Expression> form;  // per free constant: the subtree it is fixed to
    std::vector<double> values;    // per slot
    double rmse = 0.0;             // of the formula as it stands
};

// Renumbers the slots in use 0..S-1 in order of first use.
void compact(State& s) {
    std::vector<int> map(s.values.size(), -1);
    std::vector<double> values;
    for (int& k : s.slot) {
        if (k < 0) continue;
        if (map[static_cast<std::size_t>(k)] < 0) {
            map[static_cast<std::size_t>(k)] = static_cast<int>(values.size());
            values.push_back(s.values[static_cast<std::size_t>(k)]);
        }
        k = map[static_cast<std::size_t>(k)];
    }
    s.values = std::move(values);
}

// " <v>" appended (a helper: GCC 12 warns falsely on " " + std::to_string(v)).
void append(std::string& s, double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, " %.17g", v);
    s += buffer;
}

struct Move {
    std::vector<int> slots;         // the slots it fixes (Fix) or joins (Merge)
    std::vector<Expression> forms;  // Fix: one per slot; empty for Merge
    double saving = 0.0;            // complexity bits
    double predicted = 0.0;         // first-order cost
    std::string signature;          // to try each move once
};

class Snapper {
public:
    Snapper(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X, const Eigen::Ref<const Eigen::VectorXd>& y,
            const ComplexityModel& model, const SnapByEvidenceOptions& options)
        : e_(e), X_(X), y_(y), model_(model), options_(options), free_(free_constant_nodes(e)) {}

    Expression run();

private:
    Expression build(const State& s) const;
    double rmse(const State& s);
    bool refit(State& s);
    std::vector<Move> moves(const State& s, const SnapEvidence& ev);
    void value_moves(const State& s, const SnapEvidence& ev, const ParameterSensitivity& sens,
                     std::vector<Move>& out) const;
    void group_moves(const State& s, const SnapEvidence& ev, const ParameterSensitivity& sens,
                     std::vector<Move>& out) const;
    State applied(const State& s, const Move& m) const;
    std::vector<std::vector<std::size_t>> sums() const;

    const Expression& e_;
    const Eigen::Ref<const Eigen::MatrixXd>& X_;
    const Eigen::Ref<const Eigen::VectorXd>& y_;
    const ComplexityModel& model_;
    const SnapByEvidenceOptions& options_;
    const std::vector<std::size_t> free_;
    Evaluator evaluator_;
    Eigen::VectorXd prediction_;
    int refits_ = 0;
};

Expression Snapper::build(const State& s) const {
    std::vector<Node> out;
    out.reserve(e_.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < e_.size(); ++i) {
        if (k < free_.size() && free_[k] == i) {
            const int slot = s.slot[k];
            if (slot >= 0)
                out.push_back(Node::param(static_cast<std::uint16_t>(slot), s.values[static_cast<std::size_t>(slot)]));
            else
                out.insert(out.end(), s.form[k].nodes().begin(), s.form[k].nodes().end());
            ++k;
        } else {
            out.push_back(e_.nodes()[i]);
        }
    }
    return Expression(std::move(out));
}

double Snapper::rmse(const State& s) {
    prediction_.resize(X_.rows());
    evaluator_.evaluate(build(s), X_, prediction_);
    return residual_rms(prediction_, y_);
}

// Refits the free slots from their current values; true if that lowered the RMSE.
bool Snapper::refit(State& s) {
    if (s.values.empty() || refits_ >= options_.max_refits) return false;
    ++refits_;
    ConstantFitOptions fo;
    fo.seed = options_.seed;
    fo.restarts = 0;
    const ConstantFit fit = fit_constants(build(s), X_, y_, fo);
    if (!fit.improved) return false;
    State trial = s;
    trial.values.assign(fit.parameters.begin(), fit.parameters.begin() + static_cast<std::ptrdiff_t>(s.values.size()));
    trial.rmse = rmse(trial);
    if (!(trial.rmse < s.rmse)) return false;
    s = std::move(trial);
    return true;
}

State Snapper::applied(const State& s, const Move& m) const {
    State out = s;
    if (m.forms.empty()) {  // Merge: every constant of these slots into the first, at their mean
        double sum = 0.0;
        for (int slot : m.slots) sum += s.values[static_cast<std::size_t>(slot)];
        out.values[static_cast<std::size_t>(m.slots[0])] = sum / static_cast<double>(m.slots.size());
        for (int& k : out.slot)
            if (std::find(m.slots.begin(), m.slots.end(), k) != m.slots.end()) k = m.slots[0];
    } else {
        for (std::size_t j = 0; j < m.slots.size(); ++j)
            for (std::size_t k = 0; k < out.slot.size(); ++k)
                if (out.slot[k] == m.slots[j]) {
                    out.slot[k] = -1;
                    out.form[k] = m.forms[j];
                }
    }
    compact(out);
    return out;
}

// Per free slot, the simple values within reach that cost less than the constant stated to its
// precision (plus kFormSlackBits for a plain value), unless two of different value are predicted to pass within
// kAmbiguityBits.
void Snapper::value_moves(const State& s, const SnapEvidence& ev, const ParameterSensitivity& sens,
                          std::vector<Move>& out) const {
    const int removed = static_cast<int>(free_.size() - s.values.size());
    const double now = std::max(0.0, ev.cost(s.rmse));
    const auto n = static_cast<double>(ev.rows());
    const double exact_room = std::max(0.0, 4.0 * ev.exact_rmse() * ev.exact_rmse() - s.rmse * s.rmse);
    for (std::size_t slot = 0; slot < s.values.size(); ++slot) {
        const double c = s.values[slot];
        const double unit = sens.per_unit_sd[slot];
        const double se = ev.residual_sd() * unit;
        const bool known = std::isfinite(se) && se > 0.0;
        const double reach = known ? 2.0 * std::sqrt(std::log(n)) * se + unit * std::sqrt(n * exact_room)
                                   : kUndeterminedReach * std::abs(c);
        const double precision_bits =
            known ? std::min(ComplexityModel::kRealConstantBits, 2.0 + std::log2(1.0 + std::abs(c) / se))
                  : ComplexityModel::kRealConstantBits;
        const auto copies = static_cast<double>(std::count(s.slot.begin(), s.slot.end(), static_cast<int>(slot)));
        std::vector<Move> mine;
        const SimpleValue* first_pass = nullptr;
        bool ambiguous = false;
        const std::vector<SimpleValue> values =
            simple_values_between(c - reach, c + reach, model_, options_.max_denominator);
        for (const SimpleValue& v : values) {
            if (!(v.bits < precision_bits + slack_bits(v))) continue;
            const double predicted = known ? std::pow((v.value - c) / se, 2) : 0.0;
            if (!ev.plausible(now + predicted, removed + 1)) continue;
            if (ev.plausible(now + predicted, removed + 1, 1.0)) {  // predicted to pass
                if (first_pass == nullptr)
                    first_pass = &v;
                else if (v.bits < first_pass->bits + kAmbiguityBits &&
                         std::abs(v.value - first_pass->value) > 1e-9 * std::abs(first_pass->value))
                    ambiguous = true;
            }
            Move move{{static_cast<int>(slot)},
                      {v.form},
                      copies * (ComplexityModel::kRealConstantBits - v.bits),
                      predicted,
                      "fix"};
            append(move.signature, v.value);
            mine.push_back(std::move(move));
        }
        if (ambiguous) continue;
        for (Move& move : mine) out.push_back(std::move(move));
    }
}

// The terms of each outermost sum of the formula, as the node index where each term ends.
std::vector<std::vector<std::size_t>> Snapper::sums() const {
    const auto nodes = e_.nodes();
    auto is_sum = [&](std::size_t i) { return nodes[i].op == Op::Add || nodes[i].op == Op::Sub; };
    std::vector<bool> inner(nodes.size(), false);  // the node is an operand of a sum node
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (!is_sum(i)) continue;
        inner[i - 1] = true;
        inner[e_.subtree_begin(i - 1) - 1] = true;
    }
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (!is_sum(i) || inner[i]) continue;
        std::vector<std::size_t> terms, stack{i};
        while (!stack.empty()) {
            const std::size_t t = stack.back();
            stack.pop_back();
            if (is_sum(t)) {
                stack.push_back(t - 1);
                stack.push_back(e_.subtree_begin(t - 1) - 1);
            } else {
                terms.push_back(t);
            }
        }
        out.push_back(std::move(terms));
    }
    return out;
}

// Per sum with two or more coefficient slots: every coefficient +-1, and every coefficient one
// common value.
void Snapper::group_moves(const State& s, const SnapEvidence& ev, const ParameterSensitivity& sens,
                          std::vector<Move>& out) const {
    const int removed = static_cast<int>(free_.size() - s.values.size());
    const double now = std::max(0.0, ev.cost(s.rmse));
    const auto nodes = e_.nodes();
    for (const std::vector<std::size_t>& terms : sums()) {
        std::vector<int> slots;
        for (std::size_t t : terms) {
            // The factors of the term's product (numerators of quotients): its free constants.
            std::vector<std::size_t> stack{t};
            int coefficient = -1, found = 0;
            while (!stack.empty()) {
                const std::size_t f = stack.back();
                stack.pop_back();
                if (nodes[f].op == Op::Mul || nodes[f].op == Op::Div) {
                    if (nodes[f].op == Op::Mul) stack.push_back(f - 1);
                    stack.push_back(e_.subtree_begin(f - 1) - 1);
                } else if (auto it = std::find(free_.begin(), free_.end(), f); it != free_.end() && f != t) {
                    ++found;
                    coefficient = s.slot[static_cast<std::size_t>(it - free_.begin())];
                }
            }
            if (found == 1 && coefficient >= 0 && std::find(slots.begin(), slots.end(), coefficient) == slots.end())
                slots.push_back(coefficient);
        }
        if (slots.size() < 2) continue;
        const auto q = static_cast<int>(slots.size());
        Move ones{slots, {}, 0.0, 0.0, "ones"};
        double mean = 0.0;
        bool same_sign = true;
        for (int slot : slots) {
            const double c = s.values[static_cast<std::size_t>(slot)];
            const double one = c < 0 ? -1.0 : 1.0;
            const double se = ev.residual_sd() * sens.per_unit_sd[static_cast<std::size_t>(slot)];
            ones.forms.push_back(Expression::constant(one));
            ones.saving += ComplexityModel::kRealConstantBits - model_.constant_bits(one);
            ones.predicted += std::isfinite(se) && se > 0.0 ? std::pow((one - c) / se, 2) : 0.0;
            append(ones.signature, slot);
            mean += c / q;
            same_sign = same_sign && (c > 0) == (s.values[static_cast<std::size_t>(slots[0])] > 0);
        }
        if (ev.plausible(now + ones.predicted, removed + q)) out.push_back(ones);
        bool close = same_sign;
        for (int slot : slots)
            close = close && std::abs(s.values[static_cast<std::size_t>(slot)] - mean) <= kMergeReach * std::abs(mean);
        if (!close) continue;
        Move merge{slots, {}, (q - 1) * ComplexityModel::kRealConstantBits, 0.0, "merge"};
        for (int slot : slots) append(merge.signature, slot);
        out.push_back(std::move(merge));
    }
}

std::vector<Move> Snapper::moves(const State& s, const SnapEvidence& ev) {
    const ParameterSensitivity sens = parameter_sensitivity(build(s), X_, y_);
    std::vector<Move> out;
    value_moves(s, ev, sens, out);
    group_moves(s, ev, sens, out);
    std::stable_sort(out.begin(), out.end(), [](const Move& a, const Move& b) {
        if (a.saving != b.saving) return a.saving > b.saving;
        return a.predicted < b.predicted;
    });
    return out;
}

Expression Snapper::run() {
    if (free_.empty() || e_.parameter_count() > 0) return e_;
    State s;
    s.slot.resize(free_.size());
    s.form.resize(free_.size());
    for (std::size_t k = 0; k < free_.size(); ++k) {
        s.slot[k] = static_cast<int>(k);
        s.values.push_back(e_.nodes()[free_[k]].value);
    }
    s.rmse = rmse(s);
    if (!std::isfinite(s.rmse)) return e_;
    const SnapEvidence ev(s.rmse, X_.rows(), static_cast<Eigen::Index>(free_.size()), root_mean_square(y_),
                          options_.noise_sd);
    std::set<std::string> tried;
    for (bool moved = true; moved;) {
        moved = false;
        for (const Move& m : moves(s, ev)) {
            // Signatures name slots, which are renumbered after a move: include the values.
            std::string signature = m.signature;
            for (int slot : m.slots) append(signature, s.values[static_cast<std::size_t>(slot)]);
            if (!tried.insert(signature).second) continue;
            State trial = applied(s, m);
            trial.rmse = rmse(trial);
            const int removed = static_cast<int>(free_.size() - trial.values.size());
            const bool substituted = ev.accepts(trial.rmse, removed);
            if (!refit(trial) && !substituted) continue;
            if (!ev.accepts(trial.rmse, removed)) continue;
            s = std::move(trial);
            moved = true;
            break;
        }
    }
    return build(s).with_parameters_frozen();
}

}  // namespace

Expression snap_by_evidence(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                            const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                            const SnapByEvidenceOptions& options) {
    if (y.size() != X.rows()) throw std::invalid_argument("snap_by_evidence: y and X have different row counts");
    if (e.empty() || y.size() == 0) return e;
    return with_polish_rows(X, y,
                            [&](const auto& Xr, const auto& yr) { return Snapper(e, Xr, yr, model, options).run(); });
}

}  // namespace kepler
