#include "kepler/judge/judge.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>

#include "kepler/core/canonical.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/median.hpp"
#include "kepler/fitting/fit_metrics.hpp"
#include "kepler/judge/form_check.hpp"
#include "kepler/judge/symbolic_solution.hpp"

namespace kepler {

namespace {

constexpr double kNoiseFactor = 0.3;  // tol = min(kMaxTolerance, kBaseTolerance + 0.3 eps)
constexpr double kBaseTolerance = 1e-6;
constexpr double kMaxTolerance = 1e-2;
constexpr double kFloorFraction = 1e-6;   // relative-error denominator floor, times median|t|
constexpr std::size_t kDrawFactor = 20;   // at most 20 * points draws
constexpr std::size_t kMinFraction = 10;  // at least points / 10 finite points
constexpr double kAccurateR2 = 0.999;
constexpr int kMaxPiPower = 4;
constexpr std::size_t kCandidatesPerConstant = 5;
constexpr std::size_t kMaxCombinations = 256;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// splitmix64: a small, portable generator, so the fresh points are the same on every platform.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform(double low, double high) {
        const double u = static_cast<double>(next() >> 11) * 0x1.0p-53;  // [0, 1)
        return low + (high - low) * u;
    }

private:
    std::uint64_t state_;
};

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

std::string variable_name(const JudgeOptions& options, std::size_t k) {
    if (k < options.variable_names.size() && !options.variable_names[k].empty()) return options.variable_names[k];
    std::string name = "x";
    name += std::to_string(k);
    return name;
}

std::string point_text(const JudgeOptions& options, const std::vector<double>& point) {
    std::string out;
    for (std::size_t k = 0; k < point.size(); ++k) {
        if (k) out += ", ";
        out += variable_name(options, k);
        out += '=';
        out += num(point[k]);
    }
    return out;
}

struct Sample {
    Eigen::MatrixXd X;  // kept points (rows), one column per range
    Eigen::VectorXd t;  // the truth there, all finite
    std::size_t drawn = 0;
};

// Uniform points in `ranges`, keeping those where the truth is finite, until `points` are kept
// or kDrawFactor * points were drawn.
Sample draw(const Expression& truth, const std::vector<JudgedRange>& ranges, std::size_t points, Rng& rng,
            Evaluator& evaluator) {
    const auto nv = static_cast<Eigen::Index>(ranges.size());
    const auto n = static_cast<Eigen::Index>(points);
    Sample s;
    s.X.resize(n, nv);
    s.t.resize(n);
    Eigen::MatrixXd batch(n, nv);
    Eigen::VectorXd values(n);
    Eigen::Index kept = 0;
    while (kept < n && s.drawn < kDrawFactor * points) {
        for (Eigen::Index j = 0; j < nv; ++j)
            for (Eigen::Index i = 0; i < n; ++i)
                batch(i, j) =
                    rng.uniform(ranges[static_cast<std::size_t>(j)].low, ranges[static_cast<std::size_t>(j)].high);
        evaluator.evaluate(truth, batch, values);
        s.drawn += points;
        for (Eigen::Index i = 0; i < n && kept < n; ++i) {
            if (!std::isfinite(values(i))) continue;
            s.X.row(kept) = batch.row(i);
            s.t(kept) = values(i);
            ++kept;
        }
    }
    s.X.conservativeResize(kept, nv);
    s.t.conservativeResize(kept);
    return s;
}

struct Comparison {
    double max_relative_error = 0.0;
    Eigen::Index worst = -1;  // row of the largest error (or of the first non-finite value)
    std::size_t non_finite = 0;
};

// Largest |f - t| / max(|t|, floor) over the rows; non-finite f counted (error +inf).
Comparison compare(const Eigen::VectorXd& f, const Eigen::VectorXd& t, double floor) {
    Comparison c;
    for (Eigen::Index i = 0; i < t.size(); ++i) {
        if (!std::isfinite(f(i))) {
            if (c.non_finite++ == 0) c.worst = i;
            c.max_relative_error = kInf;
            continue;
        }
        if (f(i) == t(i)) continue;
        const double den = std::max({std::abs(t(i)), floor, std::numeric_limits<double>::min()});
        const double err = std::abs(f(i) - t(i)) / den;
        if (c.non_finite == 0 && (c.worst < 0 || err > c.max_relative_error)) {
            c.max_relative_error = err;
            c.worst = i;
        }
    }
    if (c.non_finite == 0 && c.worst < 0) c.worst = t.size() > 0 ? 0 : -1;
    return c;
}

// --- snapping (path b) ---------------------------------------------------------------------

void collect_constants(const Expression& e, std::vector<double>& out) {
    for (const Node& n : e.nodes())
        if (n.op == Op::Const && n.value != 0.0 && std::isfinite(n.value)) out.push_back(std::abs(n.value));
}

void add_unique(std::vector<double>& set, double v) {
    if (!std::isfinite(v) || v <= 0.0) return;
    for (double s : set)
        if (std::abs(s - v) <= 1e-12 * v) return;
    set.push_back(v);
}

struct SnapValue {
    double value;  // k * pi^p
    double k;
    double p;  // a multiple of 1/2
};

std::vector<SnapValue> snap_values(const Expression& truth, const Expression& canonical_truth) {
    std::vector<double> raw{1.0, 2.0, 0.5};
    collect_constants(truth, raw);
    collect_constants(canonical_truth, raw);
    std::vector<double> base;
    for (double v : raw) add_unique(base, v);
    std::vector<double> k = base;
    for (double a : base) {
        add_unique(k, 1.0 / a);
        for (double b : base) {
            add_unique(k, a * b);
            add_unique(k, a / b);
        }
    }
    std::vector<SnapValue> out;
    for (double kk : k)
        for (int twice_p = -2 * kMaxPiPower; twice_p <= 2 * kMaxPiPower; ++twice_p) {
            const double p = twice_p / 2.0;
            out.push_back({kk * std::pow(std::numbers::pi, p), kk, p});
        }
    return out;
}

struct SnapSite {
    std::size_t node;
    std::vector<SnapValue> choices;  // nearest first, each within the tolerance
};

// The constants of `e` within a relative `tolerance` of a snap value, with up to
// kCandidatesPerConstant such values each.
std::vector<SnapSite> snap_sites(const Expression& e, const std::vector<SnapValue>& values, double tolerance) {
    std::vector<SnapSite> sites;
    auto nodes = e.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].op != Op::Const || nodes[i].value == 0.0 || !std::isfinite(nodes[i].value)) continue;
        const double c = std::abs(nodes[i].value);
        std::vector<std::pair<double, SnapValue>> near;
        for (const SnapValue& v : values) {
            const double d = std::abs(c - v.value) / v.value;
            if (d <= tolerance) near.emplace_back(d, v);
        }
        if (near.empty()) continue;
        std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        SnapSite site{i, {}};
        for (std::size_t j = 0; j < near.size() && j < kCandidatesPerConstant; ++j)
            site.choices.push_back(near[j].second);
        sites.push_back(std::move(site));
    }
    return sites;
}

// `e` with the constant at each site replaced by sign * k * pi^p for the chosen values.
Expression apply_snap(const Expression& e, const std::vector<SnapSite>& sites, const std::vector<std::size_t>& pick) {
    Expression out;
    auto nodes = e.nodes();
    std::size_t s = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (s < sites.size() && sites[s].node == i) {
            const SnapValue& v = sites[s].choices[pick[s]];
            const double sign = nodes[i].value < 0.0 ? -1.0 : 1.0;
            out.push(Node::constant(sign * v.k));
            if (v.p != 0.0) {
                out.push(Node::op_node(Op::Pi));
                if (v.p != 1.0) {
                    out.push(Node::constant(v.p));
                    out.push(Node::op_node(Op::Pow));
                }
                out.push(Node::op_node(Op::Mul));
            }
            ++s;
        } else {
            out.push(nodes[i]);
        }
    }
    return out;
}

// A snapping of the constants of `e` that makes it the truth (canonical forms, rounded), if any.
std::optional<Expression> snap_to_truth(const Expression& e, const Expression& truth_rounded,
                                        const std::vector<SnapValue>& values, double tolerance) {
    if (canonical(e, true) == truth_rounded) return e;
    const std::vector<SnapSite> sites = snap_sites(e, values, tolerance);
    if (sites.empty()) return std::nullopt;
    // Mixed-radix enumeration of the choices, nearest-first combinations first.
    std::vector<std::size_t> pick(sites.size(), 0);
    for (std::size_t tried = 0; tried < kMaxCombinations; ++tried) {
        Expression snapped = apply_snap(e, sites, pick);
        if (canonical(snapped, true) == truth_rounded) return snapped;
        std::size_t d = 0;
        while (d < sites.size() && ++pick[d] == sites[d].choices.size()) pick[d++] = 0;
        if (d == sites.size()) break;
    }
    return std::nullopt;
}

// `e` with each constant that is within `tolerance` of a snap value replaced by the nearest.
Expression snap_nearest(const Expression& e, const std::vector<SnapValue>& values, double tolerance) {
    const std::vector<SnapSite> sites = snap_sites(e, values, tolerance);
    return sites.empty() ? e : apply_snap(e, sites, std::vector<std::size_t>(sites.size(), 0));
}

// --- the steps of judge() ------------------------------------------------------------------

// Throws std::invalid_argument for inputs judge() cannot work with (see judge.hpp).
void check_inputs(const Expression& found, const Expression& truth, std::span<const JudgedRange> ranges,
                  const Eigen::Ref<const Eigen::MatrixXd>& heldout_X,
                  const Eigen::Ref<const Eigen::VectorXd>& heldout_y, const JudgeOptions& options) {
    if (found.empty() || truth.empty() || !found.well_formed() || !truth.well_formed())
        throw std::invalid_argument("judge: empty or malformed formula");
    if (found.variable_count() > ranges.size() || truth.variable_count() > ranges.size())
        throw std::invalid_argument("judge: a formula uses a variable that has no range");
    for (const JudgedRange& r : ranges)
        if (!std::isfinite(r.low) || !std::isfinite(r.high) || r.low > r.high)
            throw std::invalid_argument("judge: a range is not finite or has low > high");
    if (heldout_X.rows() > 0 && static_cast<std::size_t>(heldout_X.cols()) < found.variable_count())
        throw std::invalid_argument("judge: the held-out rows have too few columns");
    if (heldout_y.size() != heldout_X.rows())
        throw std::invalid_argument("judge: held-out targets and rows differ in number");
    if (options.points == 0) throw std::invalid_argument("judge: points must be positive");
}

// Accurate: R^2 on the held-out rows (NaN, and not accurate, when there are none).
void judge_heldout(const Expression& found, const Eigen::Ref<const Eigen::MatrixXd>& heldout_X,
                   const Eigen::Ref<const Eigen::VectorXd>& heldout_y, Evaluator& evaluator, Verdict& v) {
    if (heldout_X.rows() == 0) {
        v.heldout_r2 = kNaN;
        return;
    }
    Eigen::VectorXd pred(heldout_X.rows());
    evaluator.evaluate(found, heldout_X, pred);
    v.heldout_r2 = fit_metrics(heldout_y, pred).r2;
    v.accurate = v.heldout_r2 > kAccurateR2;
}

struct FreshPoints {
    Sample sample;
    std::size_t minimum = 0;  // fewer kept points than this: nothing can be judged
    std::string suffix;       // appended to the reason when the judge fell back to the training ranges
};

// Fresh points: the widened ranges, or the training ranges if those leave too few (then
// v.widened = false).
FreshPoints draw_fresh(const Expression& truth, const std::vector<JudgedRange>& training, const JudgeOptions& options,
                       Evaluator& evaluator, Verdict& v) {
    std::vector<JudgedRange> wide;
    for (const JudgedRange& r : training) wide.push_back(widen(r));
    FreshPoints fresh;
    fresh.minimum = std::max<std::size_t>(1, options.points / kMinFraction);
    Rng rng(options.seed);
    fresh.sample = draw(truth, wide, options.points, rng, evaluator);
    if (static_cast<std::size_t>(fresh.sample.t.size()) < fresh.minimum) {
        fresh.suffix = "; the widened ranges left the truth finite at only ";
        fresh.suffix += std::to_string(fresh.sample.t.size());
        fresh.suffix += " of ";
        fresh.suffix += std::to_string(fresh.sample.drawn);
        fresh.suffix += " points, so judged on the training ranges";
        v.widened = false;
        fresh.sample = draw(truth, training, options.points, rng, evaluator);
    }
    v.fresh_points = static_cast<std::size_t>(fresh.sample.t.size());
    v.fresh_drawn = fresh.sample.drawn;
    return fresh;
}

std::string cannot_judge_reason(std::size_t kept, std::size_t drawn, std::size_t minimum) {
    std::string reason = "cannot judge: the truth is finite at only ";
    reason += std::to_string(kept);
    reason += " of ";
    reason += std::to_string(drawn);
    reason += " points drawn from the training ranges (";
    reason += std::to_string(minimum);
    reason += " needed)";
    return reason;
}

// Path (b): `found` snapped to the truth, if it can be, and finite wherever the truth is after
// rounding its own constants (so a non-finite value of `found` comes from that rounding).
bool snaps_to_truth(const Expression& found, const Expression& truth, const Sample& sample, const Comparison& c,
                    double tol, Evaluator& evaluator) {
    const Expression truth_rounded = canonical(truth, true);
    const std::vector<SnapValue> values = snap_values(truth, canonical(truth));
    // Constants are snapped in the canonical form, where each product has one folded
    // coefficient: snapping the constants of 1.003*x/1.997 one by one would let errors
    // within the tolerance compound to one beyond it.
    const std::optional<Expression> snapped = snap_to_truth(canonical(found), truth_rounded, values, tol);
    if (!snapped) return false;
    if (c.non_finite == 0) return true;
    // Forgiven only if rounding the found formula's own constants (its structure kept:
    // canonical() may have merged sqrt(x)^2 into x) to the nearest simple values makes
    // it finite wherever the truth is.
    Eigen::VectorXd g(sample.t.size());
    evaluator.evaluate(snap_nearest(found, values, tol), sample.X, g);
    return g.array().isFinite().all();
}

std::string snapped_reason(const Verdict& v, const Comparison& c, Eigen::Index n, const JudgeOptions& options) {
    std::string reason = "equal to the truth after snapping constants (within ";
    reason += num(v.tolerance);
    reason += "); ";
    if (c.non_finite > 0) {
        reason += "not finite at ";
        reason += std::to_string(c.non_finite);
        reason += " of ";
        reason += std::to_string(n);
        reason += " points where the truth is (constant rounding near the edge of the domain), e.g. at ";
    } else {
        reason += "values differ by up to ";
        reason += num(c.max_relative_error);
        reason += " relative at ";
    }
    reason += point_text(options, v.worst_point);
    return reason;
}

// Why `found` is not the truth: where it is not finite, or where it differs most.
std::string mismatch_reason(const Verdict& v, const Comparison& c, Eigen::Index n,
                            const std::vector<JudgedRange>& training, const std::string& where,
                            const JudgeOptions& options) {
    std::string reason;
    if (c.non_finite > 0) {
        reason = "not finite at ";
        reason += std::to_string(c.non_finite);
        reason += " of ";
        reason += std::to_string(n);
        reason += " points of ";
        reason += where;
        reason += " where the truth is, e.g. at ";
        reason += point_text(options, v.worst_point);
        return reason;
    }
    bool outside = false;
    for (std::size_t k = 0; k < v.worst_point.size(); ++k)
        outside = outside || v.worst_point[k] < training[k].low || v.worst_point[k] > training[k].high;
    reason = "differs by ";
    reason += num(c.max_relative_error);
    reason += " relative at ";
    reason += point_text(options, v.worst_point);
    reason += outside ? " (outside the training ranges)" : " (inside the training ranges)";
    reason += "; tolerance ";
    reason += num(v.tolerance);
    return reason;
}

// At noise > 0: an exact verdict stands only if the found formula is the law's form up to its
// constants (kepler/judge/form_check.hpp).
void apply_form_check(const Expression& found, const Eigen::MatrixXd& X, const Eigen::VectorXd& t, double floor,
                      Verdict& v) {
    const FormCheck form = check_form(found, X, t, floor);
    v.form_error = form.max_relative_error;
    if (form.matches) return;
    v.exact = false;
    v.snapped = false;
    v.reason = "not the law's form: with its numbers refitted to the noise-free truth it still differs by ";
    v.reason += num(form.max_relative_error);
    v.reason += " relative (form tolerance ";
    v.reason += num(kFormTolerance);
    v.reason += ")";
}

// SRBench's symbolic solution, with SRBench's gate (test R^2 > 0.5; no gate without rows).
void apply_symbolic_solution(const Expression& found, const Expression& truth, const Sample& sample,
                             const std::vector<double>& named_constants, Verdict& v) {
    const SymbolicSolution symbolic = symbolic_solution(found, truth, sample.X, sample.t, named_constants);
    v.symbolic_solution = symbolic.solution && !(v.heldout_r2 <= kSymbolicSolutionMinR2);
    v.symbolic_reason = symbolic.reason;
    if (symbolic.solution && !v.symbolic_solution)
        v.symbolic_reason += "; but the held-out R^2 is <= 0.5, and SRBench assesses only models above";
}

}  // namespace

double exact_tolerance(double noise) {
    if (!(noise >= 0.0)) throw std::invalid_argument("judge: the noise level must be >= 0");
    return std::min(kMaxTolerance, kBaseTolerance + kNoiseFactor * noise);
}

JudgedRange widen(const JudgedRange& training) {
    const double w = (training.high - training.low) / 2.0;
    JudgedRange r{training.low - w, training.high + w};
    if (training.low >= 0.0) r.low = std::max(r.low, training.low / 2.0);
    if (training.high <= 0.0) r.high = std::min(r.high, training.high / 2.0);
    return r;
}

Verdict judge(const Expression& found_in, const Expression& truth_in, std::span<const JudgedRange> ranges,
              const Eigen::Ref<const Eigen::MatrixXd>& heldout_X, const Eigen::Ref<const Eigen::VectorXd>& heldout_y,
              const JudgeOptions& options) {
    const Expression found = found_in.with_parameters_frozen();
    const Expression truth = truth_in.with_parameters_frozen();
    check_inputs(found, truth, ranges, heldout_X, heldout_y, options);

    Verdict v;
    v.tolerance = exact_tolerance(options.noise);
    const double tol = v.tolerance;
    Evaluator evaluator;
    judge_heldout(found, heldout_X, heldout_y, evaluator, v);

    const std::vector<JudgedRange> training(ranges.begin(), ranges.end());
    const FreshPoints fresh = draw_fresh(truth, training, options, evaluator, v);
    const Sample& sample = fresh.sample;
    const auto n = sample.t.size();
    if (static_cast<std::size_t>(n) < fresh.minimum) {
        v.max_relative_error = kNaN;
        v.reason = cannot_judge_reason(static_cast<std::size_t>(n), sample.drawn, fresh.minimum);
        return v;
    }

    Eigen::VectorXd f(n);
    evaluator.evaluate(found, sample.X, f);
    std::vector<double> abs_t(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) abs_t[static_cast<std::size_t>(i)] = std::abs(sample.t(i));
    const double floor = kFloorFraction * upper_median(abs_t);

    const Comparison c = compare(f, sample.t, floor);
    v.max_relative_error = c.max_relative_error;
    v.found_non_finite = c.non_finite;
    if (c.worst >= 0) {
        v.worst_point.resize(static_cast<std::size_t>(sample.X.cols()));
        for (Eigen::Index j = 0; j < sample.X.cols(); ++j)
            v.worst_point[static_cast<std::size_t>(j)] = sample.X(c.worst, j);
    }
    const std::string where = v.widened ? "the widened ranges" : "the training ranges";

    if (c.non_finite == 0 && c.max_relative_error <= tol) {
        v.exact = true;
        v.reason = "agrees to ";
        v.reason += num(c.max_relative_error);
        v.reason += " relative on ";
        v.reason += std::to_string(n);
        v.reason += " points of ";
        v.reason += where;
        v.reason += " (tolerance ";
        v.reason += num(tol);
        v.reason += ")";
    } else if (snaps_to_truth(found, truth, sample, c, tol, evaluator)) {
        v.exact = true;
        v.snapped = true;
        v.reason = snapped_reason(v, c, n, options);
    } else {
        v.reason = mismatch_reason(v, c, n, training, where, options);
    }
    if (v.exact && options.noise > 0.0) apply_form_check(found, sample.X, sample.t, floor, v);
    v.reason += fresh.suffix;

    apply_symbolic_solution(found, truth, sample, options.named_constants, v);
    return v;
}

}  // namespace kepler
