// Spikes in the target (a reading ×10 on 1 % of the rows) are found from the table alone, at any
// noise, and the laws that local fits follow badly (a pole, asin near 1, an oscillation) lose no
// row (structure/spike_rows.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>
#include <vector>

#include "kepler/structure/spike_rows.hpp"

using namespace kepler;

namespace {

using Law = std::function<double(const Eigen::RowVectorXd&)>;

struct Sampled {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    std::vector<Eigen::Index> spikes;
    std::vector<Eigen::Index> clear_spikes;  // those whose jump is above 12 noise sds
};

Sampled sample(const Law& law, Eigen::Index inputs, double low, double high, double noise, int spikes,
               std::uint64_t seed, Eigen::Index rows = 1000) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(low, high);
    Sampled s;
    s.X.resize(rows, inputs);
    s.y.resize(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
        for (Eigen::Index j = 0; j < inputs; ++j) s.X(i, j) = u(rng);
        s.y[i] = law(s.X.row(i));
    }
    const double rms = std::sqrt(s.y.squaredNorm() / static_cast<double>(rows));
    std::normal_distribution<double> g(0.0, noise * rms);
    for (Eigen::Index i = 0; i < rows; ++i) s.y[i] += g(rng);
    std::vector<Eigen::Index> all(static_cast<std::size_t>(rows));
    for (Eigen::Index i = 0; i < rows; ++i) all[static_cast<std::size_t>(i)] = i;
    std::sample(all.begin(), all.end(), std::back_inserter(s.spikes), spikes, rng);
    for (Eigen::Index i : s.spikes) {
        // A reading x10 on a row whose value is small is within the noise: no spike to find.
        if (std::abs(9.0 * s.y[i]) > 12.0 * noise * rms) s.clear_spikes.push_back(i);
        s.y[i] *= 10.0;
    }
    return s;
}

const Law kRatio = [](const Eigen::RowVectorXd& x) { return x[0] * x[1] / x[2]; };
const Law kFiveInputs = [](const Eigen::RowVectorXd& x) { return x[0] * x[1] * x[2] / (x[3] + 1.0) + x[4] * x[4]; };

}  // namespace

TEST(SpikeRows, FindsOnePercentSpikesAtAnyNoise) {
    for (double noise : {0.0, 0.01, 0.1}) {
        for (const auto& [law, inputs] : {std::pair{kRatio, 3}, std::pair{kFiveInputs, 5}}) {
            const Sampled s = sample(law, inputs, 1.0, 5.0, noise, 10, 7);
            const SpikeRows found = find_spike_rows(s.X, s.y);
            EXPECT_FALSE(found.gave_up);
            EXPECT_GE(s.clear_spikes.size(), 8u);
            for (Eigen::Index i : s.clear_spikes)
                EXPECT_TRUE(std::binary_search(found.rows.begin(), found.rows.end(), i))
                    << "noise " << noise << ", " << inputs << " inputs: row " << i;
            EXPECT_LE(found.rows.size(), s.spikes.size() + 1) << "noise " << noise << ", " << inputs << " inputs";
        }
    }
}

TEST(SpikeRows, LeavesCleanTablesAndSteepLawsWhole) {
    const std::vector<std::tuple<Law, Eigen::Index, double, double>> laws = {
        {kRatio, 3, 1.0, 5.0},
        {kFiveInputs, 5, 1.0, 5.0},
        {[](const Eigen::RowVectorXd& x) { return 1.0 + x[0] / (1.0 - x[0] / 3.0) + 0.0 * x[1]; }, 2, 0.0, 2.9},
        {[](const Eigen::RowVectorXd& x) { return std::asin(std::min(x[0], 0.999)) * x[1]; }, 2, 0.0, 1.0},
        {[](const Eigen::RowVectorXd& x) { return std::sin(3.0 * x[0]) * x[1]; }, 2, 1.0, 5.0},
        {[](const Eigen::RowVectorXd& x) { return std::exp(-x[0] * x[0]) * x[1]; }, 2, 1.0, 5.0},
        {[](const Eigen::RowVectorXd& x) { return std::tan(x[0]) * x[1]; }, 2, 0.1, 1.5},
        {[](const Eigen::RowVectorXd& x) { return std::exp(-x[0] * x[0] / 2.0) / std::sqrt(2.0 * M_PI); }, 1, -3.0,
         3.0},
    };
    for (std::size_t k = 0; k < laws.size(); ++k) {
        const auto& [law, inputs, low, high] = laws[k];
        for (double noise : {0.0, 0.01}) {
            const Sampled s = sample(law, inputs, low, high, noise, 0, 3);
            EXPECT_TRUE(find_spike_rows(s.X, s.y).rows.empty()) << "law " << k << ", noise " << noise;
        }
    }
}

TEST(SpikeRows, GivesUpWhenTooManyRowsLookLikeSpikes) {
    const Sampled s = sample(kRatio, 3, 1.0, 5.0, 0.01, 100, 5);  // 10 %: not glitches
    const SpikeRows found = find_spike_rows(s.X, s.y);
    EXPECT_TRUE(found.gave_up);
    EXPECT_TRUE(found.rows.empty());
    EXPECT_GT(found.would_have_been, 50u);
}

TEST(SpikeRows, FindsSpikesInChunksOfALargeTable) {
    const Sampled s = sample(kRatio, 3, 1.0, 5.0, 0.01, 50, 11, 5000);
    SpikeOptions options;
    options.chunk_rows = 1000;
    const SpikeRows found = find_spike_rows(s.X, s.y, options);
    for (Eigen::Index i : s.spikes) EXPECT_TRUE(std::binary_search(found.rows.begin(), found.rows.end(), i)) << i;
    EXPECT_LE(found.rows.size(), s.spikes.size() + 5);
}

TEST(SpikeRows, RefusesBadInputAndIgnoresTinyTables) {
    const Sampled s = sample(kRatio, 3, 1.0, 5.0, 0.0, 0, 1, 40);
    EXPECT_THROW(find_spike_rows(s.X, s.y.head(39)), std::invalid_argument);
    Eigen::VectorXd y = s.y;
    y[2] = INFINITY;
    EXPECT_THROW(find_spike_rows(s.X, y), std::invalid_argument);
    EXPECT_TRUE(find_spike_rows(s.X.topRows(20), s.y.head(20)).rows.empty());
}

// A logged input held at set-points (a volume stepped through 12 levels, as the gas-piston
// rig's): a row's neighbours often all share one level the row does not, and a local fit
// there extrapolates. Such rows are not judged, so no row of the clean log is a spike.
TEST(SpikeRows, SetPointStepsAreNotSpikes) {
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> u(290.0, 380.0);
    std::uniform_int_distribution<int> level(0, 11);
    std::normal_distribution<double> noise(0.0, 1.0);
    Eigen::MatrixXd X(1500, 2);
    Eigen::VectorXd y(1500);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        X(i, 0) = std::round(u(rng) * 100.0) / 100.0;
        X(i, 1) = 0.2 + 0.05 * level(rng) + 1e-4 * noise(rng);
        y[i] = 0.41 * X(i, 0) / X(i, 1) * (1.0 + 0.01 * noise(rng));
    }
    EXPECT_TRUE(find_spike_rows(X, y).rows.empty());
    y[100] *= 10.0;  // and a real spike among them is still found
    const SpikeRows found = find_spike_rows(X, y);
    EXPECT_TRUE(std::binary_search(found.rows.begin(), found.rows.end(), Eigen::Index{100}));
}
