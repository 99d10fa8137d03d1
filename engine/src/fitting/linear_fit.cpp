#include "kepler/fitting/linear_fit.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "kepler/fitting/magnitude.hpp"

namespace kepler {

namespace {

using ConstArray = Eigen::Map<const Eigen::ArrayXd>;

ConstArray as_array(std::span<const double> v) { return ConstArray(v.data(), static_cast<Eigen::Index>(v.size())); }

// The extra bits a*f + b costs over f itself.
double affine_bits(double a, double b, const ComplexityModel& model) {
    static const Expression placeholder = Expression::variable(0);
    return model.bits(apply_affine(placeholder, a, b)) - model.symbol_bits();
}

}  // namespace

double sum_squared_residuals(std::span<const double> f, std::span<const double> t, double a, double b) {
    return (as_array(t) - a * as_array(f) - b).square().sum();
}

namespace {

// Least squares t ~ a*f (+ b), on the values as given.
AffineFit least_squares(ConstArray f, ConstArray t, bool offset) {
    AffineFit fit;
    const auto n = static_cast<double>(f.size());
    const double fm = offset ? f.sum() / n : 0.0, tm = offset ? t.sum() / n : 0.0;
    const auto fc = f - fm;
    const double sff = fc.square().sum();
    const double sft = (fc * (t - tm)).sum();
    fit.scale = sff > 0.0 ? sft / sff : 0.0;
    fit.offset = tm - fit.scale * fm;
    return fit;
}

// Least squares at any magnitude: where the plain sums of squares underflow or overflow,
// f and t are scaled by powers of two (exact) and (a, b) scaled back.
AffineFit least_squares_any_magnitude(std::span<const double> f, std::span<const double> t, bool offset) {
    AffineFit fit = least_squares(as_array(f), as_array(t), offset);
    const double sff = as_array(f).square().sum(), stt = as_array(t).square().sum();
    const bool f_safe = sff == 0.0 ? (as_array(f) == 0.0).all() : sum_of_squares_is_safe(sff);
    const bool t_safe = stt == 0.0 ? (as_array(t) == 0.0).all() : sum_of_squares_is_safe(stt);
    if (!(f_safe && t_safe) && as_array(f).allFinite() && as_array(t).allFinite()) {
        const int ef = max_abs_exponent(as_array(f)), et = max_abs_exponent(as_array(t));
        const Eigen::ArrayXd fs = scaled_by_power_of_two(as_array(f), -ef),
                             ts = scaled_by_power_of_two(as_array(t), -et);
        const AffineFit scaled =
            least_squares(ConstArray(fs.data(), fs.size()), ConstArray(ts.data(), ts.size()), offset);
        fit.scale = std::ldexp(scaled.scale, et - ef);
        fit.offset = offset ? std::ldexp(scaled.offset, et) : 0.0;
    }
    fit.sse = sum_squared_residuals(f, t, fit.scale, fit.offset);
    return fit;
}

}  // namespace

AffineFit fit_affine(std::span<const double> f, std::span<const double> t) {
    if (f.empty()) return {};
    return least_squares_any_magnitude(f, t, true);
}

AffineFit fit_scale(std::span<const double> f, std::span<const double> t) {
    if (f.empty()) return {0.0, 0.0, 0.0};
    return least_squares_any_magnitude(f, t, false);
}

std::vector<double> simple_values_near(double v, int max_denominator) {
    std::vector<double> out;
    if (!std::isfinite(v) || std::abs(v) > 1e6) return out;
    for (int q = 1; q <= max_denominator; ++q) {
        const double p = std::round(v * q);
        // Skip p/q not in lowest terms: the smaller q already produced it.
        if (std::gcd(static_cast<long long>(std::abs(p)), static_cast<long long>(q)) != 1 && p != 0.0) continue;
        if (p == 0.0 && q > 1) continue;
        out.push_back(p / q);
    }
    std::stable_sort(out.begin(), out.end(), [v](double x, double y) { return std::abs(x - v) < std::abs(y - v); });
    return out;
}

namespace {

// The two-part code length of an (a, b) choice, relative to least squares: the constants' bits
// plus what the residuals cost beyond the optimum, (n/2) log2(SSE / SSE_ls) for Gaussian
// residuals. The floor n * (exact_floor * rms(t))^2 added to both SSEs stands for rounding
// error, so on exact data snapping is judged against that and not against 1e-30.
class SnapScore {
public:
    SnapScore(double n, double sse_ls, double floor_sse) : n_(n), base_(sse_ls + floor_sse), floor_(floor_sse) {}
    double operator()(double bits, double sse) const { return bits + 0.5 * n_ * std::log2((sse + floor_) / base_); }
    // The largest SSE whose score can still beat `bits_saved`.
    double sse_limit(double bits_saved) const { return base_ * std::exp2(2.0 * bits_saved / n_) - floor_; }

private:
    double n_, base_, floor_;
};

}  // namespace

AffineFit simplest_affine_fit(std::span<const double> f, std::span<const double> t, const ComplexityModel& model,
                              const SnapOptions& options) {
    const AffineFit ls = options.allow_offset ? fit_affine(f, t) : fit_scale(f, t);
    const auto n = static_cast<double>(f.size());
    if (f.empty() || !std::isfinite(ls.sse)) return ls;
    const double rms_t = std::sqrt(as_array(t).square().sum() / n);
    const double floor = options.exact_floor * rms_t;
    const SnapScore score(n, ls.sse, n * floor * floor);

    // Ranked by score, then by how many constants are left unsnapped (the model may price a
    // least-squares 0.5000000000000001 like 1/2, but 0.5 is the one to print), then by SSE.
    AffineFit best = ls;
    const double ls_bits = affine_bits(ls.scale, ls.offset, model);
    double best_score = score(ls_bits, ls.sse);
    int best_free = 2;
    // No option saves more than all of the least-squares constants' bits, so none whose SSE
    // passes this limit can win.
    const double sse_limit = score.sse_limit(ls_bits);
    auto consider = [&](double a, double b, int free) {
        // a = 0 would drop f altogether: that is the constant model, scored on its own.
        if (a == 0.0 || !std::isfinite(a) || !std::isfinite(b)) return;
        if (b != 0.0 && !options.allow_offset) return;
        const double sse = sum_squared_residuals(f, t, a, b);
        if (!(sse <= sse_limit)) return;
        const double s = score(affine_bits(a, b, model), sse);
        // Scores within a hundredth of a bit are the same fit: prefer the snapped constants.
        const bool tie = std::abs(s - best_score) <= 0.01;
        if (!tie && s > best_score) return;
        if (tie && (free > best_free || (free == best_free && sse >= best.sse))) return;
        best = {a, b, sse};
        best_score = s;
        best_free = free;
    };

    // Moving a away from its optimum (b refitted) raises the SSE by (da)^2 * sum (f - mean f)^2:
    // this screens snapped scales before any residual is computed (with slack for rounding).
    const double fm = as_array(f).sum() / n;
    const double sff_centred = (as_array(f) - fm).square().sum();
    const double tm = as_array(t).sum() / n;
    const double stt_centred = (as_array(t) - tm).square().sum();
    const double room = 2.0 * (sse_limit - ls.sse) + 1e-12 * stt_centred;

    // Offset dropped: the scale refitted alone, then snapped.
    const AffineFit through_zero = fit_scale(f, t);
    consider(through_zero.scale, 0.0, 1);
    for (double a : simple_values_near(through_zero.scale, options.max_denominator)) consider(a, 0.0, 0);
    if (!options.allow_offset) return best;
    // Scale snapped, offset refitted, then itself snapped or dropped.
    for (double a : simple_values_near(ls.scale, options.max_denominator)) {
        const double da = a - ls.scale;
        if (a == 0.0 || da * da * sff_centred > room) continue;
        const double b = tm - a * fm;
        consider(a, b, 1);
        consider(a, 0.0, 0);
        for (double bs : simple_values_near(b, options.max_denominator)) consider(a, bs, 0);
    }
    // Offset snapped, scale refitted (least squares for t - b ~ a*f).
    const double sff = as_array(f).square().sum();
    for (double b : simple_values_near(ls.offset, options.max_denominator)) {
        if (sff <= 0.0) break;
        consider(((as_array(t) - b) * as_array(f)).sum() / sff, b, 1);
    }
    return best;
}

AffineFit simplest_constant_fit(std::span<const double> t, const ComplexityModel& model, const SnapOptions& options) {
    AffineFit best{0.0, 0.0, 0.0};
    const auto n = static_cast<double>(t.size());
    if (t.empty()) return best;
    const double mean = as_array(t).sum() / n;
    auto sse_of = [&](double b) { return (as_array(t) - b).square().sum(); };
    best.offset = mean;
    best.sse = sse_of(mean);
    const double rms_t = std::sqrt(as_array(t).square().sum() / n);
    const double floor = options.exact_floor * rms_t;
    const SnapScore score(n, best.sse, n * floor * floor);
    double best_score = score(model.constant_bits(mean), best.sse);
    bool snapped = false;
    // Nearest first; a snapped value replaces the mean at an equal score (it prints shorter).
    for (double b : simple_values_near(mean, options.max_denominator)) {
        const double sse = sse_of(b);
        const double s = score(model.constant_bits(b), sse);
        if (!(s < best_score - 0.01 || (!snapped && s <= best_score + 0.01))) continue;
        best = {0.0, b, sse};
        best_score = s;
        snapped = true;
    }
    return best;
}

Expression apply_affine(const Expression& f, double a, double b) {
    Expression g;
    if (a == 1.0) {
        g = f;
    } else if (a == -1.0) {
        if (b != 0.0) return Expression::binary(Op::Sub, Expression::constant(b), f);
        return Expression::unary(Op::Neg, f);
    } else {
        g = Expression::binary(Op::Mul, Expression::constant(a), f);
    }
    if (b > 0.0) return Expression::binary(Op::Add, g, Expression::constant(b));
    if (b < 0.0) return Expression::binary(Op::Sub, g, Expression::constant(-b));
    return g;
}

}  // namespace kepler
