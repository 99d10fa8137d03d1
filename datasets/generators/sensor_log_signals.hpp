// Building blocks of simulated sensor signals: a portable random stream and the shapes real
// rig channels have (slow drift, daily cycles, set-point schedules, thermal lag, rate-limited
// actuators, spikes, logger resolution). Used by the sensor-log rigs (sensor_log.hpp).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <random>
#include <string_view>

namespace kepler::datasets::signals {

using Series = Eigen::VectorXd;

// Random numbers from mt19937_64 (whose output the standard fixes) with the transforms written
// here: std::uniform_real_distribution and std::normal_distribution are implementation-defined,
// so they would make the checked-in logs depend on the standard library. One stream per name
// (channel, gap pattern, rig state), so adding a channel never changes another one's values.
class RandomStream {
public:
    RandomStream(std::uint64_t seed, std::string_view name);
    double uniform();                         // in [0, 1)
    double uniform(double low, double high);  // in [low, high)
    double normal();                          // standard normal (Marsaglia's polar method)
    std::uint64_t below(std::uint64_t n);     // integer in [0, n)

private:
    std::mt19937_64 engine_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

// Sample times 0, dt, 2 dt, ... in seconds.
Series sample_times(std::size_t rows, double dt);

// White Gaussian noise of standard deviation sd.
Series white_noise(RandomStream& rng, std::size_t rows, double sd);

// Ornstein-Uhlenbeck drift: a random walk pulled back to 0 with time constant tau (seconds),
// stationary standard deviation sd; starts from a draw of the stationary distribution.
Series drift(RandomStream& rng, std::size_t rows, double dt, double tau, double sd);

// amplitude * sin(2 pi t / period + phase).
Series cycle(const Series& t, double amplitude, double period, double phase);

// A set-point program: values uniform in [low, high), each held for a time uniform in
// [hold_min, hold_max) seconds.
Series schedule(RandomStream& rng, const Series& t, double hold_min, double hold_max, double low, double high);

// First-order lag (a thermal mass): y' = (x - y) / tau, exact for piecewise-constant input.
Series lag(const Series& x, double dt, double tau);

// An actuator following its set point at no more than max_rate units per second.
Series rate_limit(const Series& x, double dt, double max_rate);

// Backward difference (x[i] - x[i-1]) / dt, 0 for the first sample.
Series rate_of_change(const Series& x, double dt);

// Rare spikes: each sample with probability p gets an extra height*|N(0,1)|.
Series spikes(RandomStream& rng, std::size_t rows, double probability, double height);

// Rounds to `decimals` digits after the point the way a logger stores a reading: the integer
// count divided by a power of ten, so the CSV prints it with at most that many decimals.
double to_resolution(double value, int decimals);
Series to_resolution(const Series& x, int decimals);

}  // namespace kepler::datasets::signals
