#include "sensor_log_signals.hpp"

#include <algorithm>
#include <cmath>

#include "kepler/core/hashing.hpp"

namespace kepler::datasets::signals {

namespace {

std::uint64_t stream_seed(std::uint64_t seed, std::string_view name) {
    std::uint64_t h = fnv1a(kFnvOffset, seed);
    for (unsigned char c : name) h = fnv1a(h, c);
    return avalanche(h);
}

constexpr double kTwoPi = 6.283185307179586;

}  // namespace

RandomStream::RandomStream(std::uint64_t seed, std::string_view name) : engine_(stream_seed(seed, name)) {}

double RandomStream::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double RandomStream::uniform(double low, double high) { return low + (high - low) * uniform(); }

double RandomStream::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
}

std::uint64_t RandomStream::below(std::uint64_t n) {
    // Rejection keeps the draw unbiased; n is small here, so it almost never loops.
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    std::uint64_t x = 0;
    do x = engine_();
    while (x >= limit);
    return x % n;
}

Series sample_times(std::size_t rows, double dt) {
    Series t(static_cast<Eigen::Index>(rows));
    for (Eigen::Index i = 0; i < t.size(); ++i) t(i) = static_cast<double>(i) * dt;
    return t;
}

Series white_noise(RandomStream& rng, std::size_t rows, double sd) {
    Series x(static_cast<Eigen::Index>(rows));
    for (auto& v : x) v = sd * rng.normal();
    return x;
}

Series drift(RandomStream& rng, std::size_t rows, double dt, double tau, double sd) {
    Series x(static_cast<Eigen::Index>(rows));
    if (rows == 0) return x;
    const double keep = std::exp(-dt / tau);
    const double step_sd = sd * std::sqrt(1.0 - keep * keep);
    double value = sd * rng.normal();
    for (auto& v : x) {
        v = value;
        value = keep * value + step_sd * rng.normal();
    }
    return x;
}

Series cycle(const Series& t, double amplitude, double period, double phase) {
    return (t.array() * (kTwoPi / period) + phase).sin() * amplitude;
}

Series schedule(RandomStream& rng, const Series& t, double hold_min, double hold_max, double low, double high) {
    Series x(t.size());
    double next_change = -1.0;
    double value = 0.0;
    for (Eigen::Index i = 0; i < t.size(); ++i) {
        if (t(i) >= next_change) {
            value = rng.uniform(low, high);
            next_change = t(i) + rng.uniform(hold_min, hold_max);
        }
        x(i) = value;
    }
    return x;
}

Series lag(const Series& x, double dt, double tau) {
    Series y(x.size());
    if (x.size() == 0) return y;
    const double keep = std::exp(-dt / tau);
    double value = x(0);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        if (i > 0) value = x(i - 1) + (value - x(i - 1)) * keep;
        y(i) = value;
    }
    return y;
}

Series rate_limit(const Series& x, double dt, double max_rate) {
    Series y(x.size());
    if (x.size() == 0) return y;
    const double max_step = max_rate * dt;
    double value = x(0);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        value += std::clamp(x(i) - value, -max_step, max_step);
        y(i) = value;
    }
    return y;
}

Series rate_of_change(const Series& x, double dt) {
    Series d = Series::Zero(x.size());
    for (Eigen::Index i = 1; i < x.size(); ++i) d(i) = (x(i) - x(i - 1)) / dt;
    return d;
}

Series spikes(RandomStream& rng, std::size_t rows, double probability, double height) {
    Series x = Series::Zero(static_cast<Eigen::Index>(rows));
    for (auto& v : x)
        if (rng.uniform() < probability) v = height * std::abs(rng.normal());
    return x;
}

double to_resolution(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

Series to_resolution(const Series& x, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return ((x.array() * scale).round() / scale).matrix();
}

}  // namespace kepler::datasets::signals
