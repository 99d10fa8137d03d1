// Tables at any magnitude a double holds (issue #15, item 5): the metrics on values near
// 1e-300 and 1e300 are right and finite, and discover() finds F = m*a whether F is 1e-300
// or 1e299, and a law whose inputs are 1e-27 kg masses and 1e11 m lengths.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "cli_runner.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/fit_metrics.hpp"
#include "kepler/fitting/linear_fit.hpp"
#include "kepler/pipeline/discover.hpp"

using namespace kepler;
using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

namespace {

// 200 rows of target = product of the inputs, each input uniform in [1, 5] times its scale.
Table product_table(const std::vector<std::string>& names, const std::vector<double>& scales,
                    const std::vector<int>& powers) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    const Eigen::Index rows = 200, k = static_cast<Eigen::Index>(scales.size());
    Table t;
    t.names = {"F"};
    for (const auto& n : names) t.names.push_back(n);
    t.units.assign(t.names.size(), "");
    t.data.resize(rows, k + 1);
    for (Eigen::Index r = 0; r < rows; ++r) {
        double product = 1.0;
        for (Eigen::Index c = 0; c < k; ++c) {
            const double x = u(rng) * scales[static_cast<std::size_t>(c)];
            t.data(r, c + 1) = x;
            product *= std::pow(x, powers[static_cast<std::size_t>(c)]);
        }
        t.data(r, 0) = product;
    }
    return t;
}

DiscoveryResult discover_quickly(const Table& t) {
    DiscoverOptions options;
    options.search.time_limit_seconds = 60;
    options.search.threads = 1;
    return discover(t, "F", options);
}

void expect_m_times_a(const DiscoveryResult& r) {
    const FoundLaw* best = r.best_law();
    ASSERT_NE(best, nullptr);
    EXPECT_TRUE(best->formula == "m*a" || best->formula == "a*m") << best->formula;
    EXPECT_EQ(best->r2, 1.0);
    EXPECT_TRUE(std::isfinite(best->rmse));
}

}  // namespace

TEST(AnyMagnitude, FitMetricsNear1eMinus300AreRightAndFinite) {
    Eigen::VectorXd observed(4), predicted(4);
    observed << 1e-300, 2e-300, 3e-300, 4e-300;
    predicted = observed;
    predicted(3) = 5e-300;  // one residual of 1e-300: RMSE 0.5e-300, SST 5e-600
    const FitMetrics m = fit_metrics(observed, predicted);
    EXPECT_NEAR(m.rmse / 0.5e-300, 1.0, 1e-12);
    EXPECT_NEAR(m.r2, 1.0 - 1.0 / 5.0, 1e-12);  // 1 - SSE/SST = 1 - 1e-600/5e-600
    EXPECT_NEAR(m.max_relative_error, 0.25, 1e-12);
    // A perfect fit stays perfect, a wrong one (a constant) does not look like one.
    EXPECT_EQ(fit_metrics(observed, observed).r2, 1.0);
    const FitMetrics flat = fit_metrics(observed, Eigen::VectorXd::Constant(4, 9e-300));
    EXPECT_LT(flat.r2, 0.0);
    EXPECT_GT(flat.rmse, 1e-300);
}

TEST(AnyMagnitude, FitMetricsNear1e300AreRightAndFinite) {
    Eigen::VectorXd observed(4), predicted(4);
    observed << 1e300, 2e300, 3e300, 4e300;
    predicted = observed;
    predicted(3) = 5e300;
    const FitMetrics m = fit_metrics(observed, predicted);
    ASSERT_TRUE(std::isfinite(m.rmse));
    EXPECT_NEAR(m.rmse / 0.5e300, 1.0, 1e-12);
    EXPECT_NEAR(m.r2, 0.8, 1e-12);
    EXPECT_EQ(fit_metrics(observed, observed).r2, 1.0);
    EXPECT_NEAR(root_mean_square(observed) / (std::sqrt(7.5) * 1e300), 1.0, 1e-12);
    EXPECT_NEAR(root_mean_square(Eigen::VectorXd(observed * 1e-300 * 1e-300)) / (std::sqrt(7.5) * 1e-300), 1.0, 1e-12);
}

TEST(AnyMagnitude, LinearFitAtExtremeMagnitudes) {
    std::vector<double> f{1e-200, 2e-200, 3e-200}, t{3e100, 6e100, 9e100};
    const AffineFit through_zero = fit_scale(f, t);
    EXPECT_NEAR(through_zero.scale / 3e300, 1.0, 1e-12) << through_zero.scale;
    const AffineFit affine = fit_affine(f, t);
    EXPECT_NEAR(affine.scale / 3e300, 1.0, 1e-12) << affine.scale;
}

TEST(AnyMagnitude, ProductNear1eMinus300IsFound) {
    expect_m_times_a(discover_quickly(product_table({"m", "a"}, {1e-150, 1e-150}, {1, 1})));
}

TEST(AnyMagnitude, ProductNear1e299IsFound) {
    expect_m_times_a(discover_quickly(product_table({"m", "a"}, {1e150, 1e149}, {1, 1})));
}

// The moment of inertia of 1e-27 kg masses 1e11 m out, with units (dimensional analysis on):
// the inputs are 2^-90 and 2^36 times 1, the target ordinary.
TEST(AnyMagnitude, MixedMagnitudesWithUnits) {
    const Table t = product_table({"m", "r"}, {1e-27, 1e11}, {1, 2});
    std::ostringstream csv;
    csv.precision(17);
    csv << "I [kg*m^2],m [kg],r [m]\n";
    for (Eigen::Index i = 0; i < t.data.rows(); ++i)
        csv << t.data(i, 0) << ',' << t.data(i, 1) << ',' << t.data(i, 2) << '\n';
    ScratchDir dir("any-magnitude");
    const std::string path = dir.write("inertia.csv", csv.str());
    const std::string json = dir.path("inertia.json");
    auto run = run_kepler("fit " + path + " --target I --threads 1 --time-limit 60 --json " + json);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto result = nlohmann::json::parse(std::ifstream(json));
    const std::string formula = result["best"]["formula"];
    EXPECT_TRUE(formula == "m*r^2" || formula == "r^2*m" || formula == "m*square(r)" || formula == "square(r)*m")
        << run.output;
    EXPECT_EQ(result["best"]["r2"].get<double>(), 1.0) << run.output;
}
