// Spikes found by leave-one-out local fits, in rounds and in chunks (spike_rows.hpp).
#include "kepler/structure/spike_rows.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

#include "local_fits.hpp"

namespace kepler {

namespace {

constexpr Eigen::Index kMinRows = 30;

// The median absolute deviation of the neighbours' targets.
double neighbour_spread(const Eigen::VectorXd& y, const std::vector<Eigen::Index>& rows,
                        const std::vector<std::size_t>& neighbours) {
    std::vector<double> v;
    v.reserve(neighbours.size());
    for (std::size_t m : neighbours) v.push_back(y[rows[m]]);
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    const double median = *mid;
    for (double& x : v) x = std::abs(x - median);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

// One round over `rows`: the positions (in `rows`) of the spikes by the three tests.
std::vector<std::size_t> spikes_in(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                   const std::vector<Eigen::Index>& rows, const SpikeOptions& options) {
    const detail::LocalFits fits = detail::local_fits(X, y, rows, options.max_quadratic_inputs);
    const double noise = detail::median_noise_sd(fits);
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < fits.at.size(); ++i) {
        const detail::LocalFit& f = fits.at[i];
        const double r = std::abs(f.residual);
        if (!f.fitted || !f.full_rank || !(r / f.scale > options.noise_sigmas * noise)) continue;
        if (!(r > options.local_spreads * neighbour_spread(y, rows, f.neighbours))) continue;
        const bool largest = std::all_of(f.neighbours.begin(), f.neighbours.end(), [&](std::size_t m) {
            return !fits.at[m].fitted || std::abs(fits.at[m].residual) <= r;
        });
        if (largest) out.push_back(i);
    }
    return out;
}

// The spikes of one chunk of rows, found in rounds (each without the spikes of the last).
std::vector<Eigen::Index> spikes_of_chunk(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                          std::vector<Eigen::Index> rows, const SpikeOptions& options) {
    std::vector<Eigen::Index> found;
    for (int round = 0; round < options.max_rounds && static_cast<Eigen::Index>(rows.size()) >= kMinRows; ++round) {
        const std::vector<std::size_t> spikes = spikes_in(X, y, rows, options);
        if (spikes.empty()) break;
        std::vector<bool> drop(rows.size(), false);
        for (std::size_t i : spikes) {
            drop[i] = true;
            found.push_back(rows[i]);
        }
        std::vector<Eigen::Index> kept;
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (!drop[i]) kept.push_back(rows[i]);
        rows = std::move(kept);
    }
    return found;
}

}  // namespace

SpikeRows find_spike_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SpikeOptions& options) {
    if (X.rows() != y.size()) throw std::invalid_argument("find_spike_rows: X and y have different row counts");
    if (!X.allFinite() || !y.allFinite()) throw std::invalid_argument("find_spike_rows: values must be finite");
    SpikeRows out;
    const Eigen::Index n = X.rows();
    if (n < kMinRows) return out;
    // A random partition into chunks of at most chunk_rows rows (one chunk when the table fits).
    std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    const std::size_t chunk_rows = std::max<std::size_t>(options.chunk_rows, static_cast<std::size_t>(kMinRows));
    const std::size_t chunks = (order.size() + chunk_rows - 1) / chunk_rows;
    if (chunks > 1) {
        std::mt19937_64 rng(options.seed);
        for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng() % (i + 1)]);
    }
    for (std::size_t c = 0; c < chunks; ++c) {
        const std::size_t begin = c * order.size() / chunks, end = (c + 1) * order.size() / chunks;
        std::vector<Eigen::Index> rows(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                       order.begin() + static_cast<std::ptrdiff_t>(end));
        std::sort(rows.begin(), rows.end());
        const std::vector<Eigen::Index> found = spikes_of_chunk(X, y, std::move(rows), options);
        out.rows.insert(out.rows.end(), found.begin(), found.end());
    }
    std::sort(out.rows.begin(), out.rows.end());
    if (static_cast<double>(out.rows.size()) > options.max_share * static_cast<double>(n)) {
        out.gave_up = true;
        out.would_have_been = out.rows.size();
        out.rows.clear();
    }
    return out;
}

}  // namespace kepler
