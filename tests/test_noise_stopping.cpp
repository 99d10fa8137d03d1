// The stopping rule at 10 % noise (issue #13): no search runs on when a formula already fits
// to the noise. II.13.17 (B = I/(2*pi*epsilon*c^2*r)) has no dimensionless group, so the law
// is the target's monomial times a number; with 10 % noise its small values change sign, the
// quick fits' power law cannot take logarithms, and the monomial fitted linearly must still be
// found at once and end the search after the enumeration (it once ran the evolution for a minute).
// The enumeration itself ends at the noise floor too (the last tests).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/structure/noise_floor.hpp"

using kepler::testing::run_kepler;
using kepler::testing::ScratchDir;

// II.13.17, B = I/(2*pi*epsilon*c^2*r): one term, the target's monomial, at 10 % noise.
TEST(NoiseStopping, AMonomialLawAtTenPercentNoiseEndsAtTheNoiseFloor) {
    ScratchDir dir("noise-stopping");
    const auto table = run_kepler("gen feynman II.13.17 --rows 1000 --seed 2 --noise 0.1");
    ASSERT_EQ(table.exit_code, 0) << table.output;
    ASSERT_NE(table.output.find("\n-"), std::string::npos) << "the noisy target has no negative value";
    const std::string csv = dir.write("b.csv", table.output);
    const auto r = run_kepler("fit " + csv + " --target B --max-evals 300000 --threads 1 --seed 2 --explain");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("quick fits: 1 candidates"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("the target's monomial RMSE"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("what the best formula leaves is noise: the search stops there"), std::string::npos)
        << r.output;
    EXPECT_EQ(r.output.find("evolution"), std::string::npos) << r.output;
    // The factor 1/(2*pi), known to 1 part in a few hundred at 10 % noise, is written as such.
    EXPECT_NE(r.output.find("best: B = I/(2*pi*epsilon*c^2*r)\n"), std::string::npos) << r.output;
}

// III.19.51 (E_n = -m*q^4/(8*epsilon^2*h^2*n^2)) has one group, n: the law is the monomial times
// n^-2. At 10 % noise the enumeration over the groups fits y/monomial, whose noise is worst where
// the monomial is smallest, and its best was E_n = 0; the monomial times a power of the group,
// fitted on the target itself, is found at once and ends the search at the noise floor.
TEST(NoiseStopping, MonomialTimesAPowerOfTheGroupAtTenPercentNoise) {
    ScratchDir dir("noise-stopping-group");
    const auto table = run_kepler("gen feynman III.19.51 --rows 1000 --seed 1 --noise 0.1");
    ASSERT_EQ(table.exit_code, 0) << table.output;
    const std::string csv = dir.write("e.csv", table.output);
    const auto r = run_kepler("fit " + csv + " --target E_n --max-evals 300000 --threads 1 --seed 1 --explain");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("the target's monomial times powers of the groups RMSE"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("what the best formula leaves is noise: the search stops there"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("best: E_n = -0.12"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("*m*q^4/(h^2*epsilon^2*n^2)\n"), std::string::npos) << r.output;
}

namespace {

// x0*x1/x2 on 1,000 rows with inputs in [1, 5], plus noise of `noise` times its RMS.
void noisy_ratio_table(double noise, Eigen::MatrixXd& X, Eigen::VectorXd& y) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    std::normal_distribution<double> n(0.0, 1.0);
    X.resize(1000, 3);
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        for (Eigen::Index j = 0; j < X.cols(); ++j) X(i, j) = u(rng);
    y = X.col(0).cwiseProduct(X.col(1)).cwiseQuotient(X.col(2));
    const double rms = std::sqrt(y.squaredNorm() / static_cast<double>(y.size()));
    for (Eigen::Index i = 0; i < y.size(); ++i) y(i) += noise * rms * n(rng);
}

bool residuals_are_noise(const Eigen::MatrixXd& X, const Eigen::VectorXd& residuals) {
    return kepler::check_residuals_are_noise(X, residuals).at_floor;
}

}  // namespace

// The enumeration's noise-floor rule (SearchOptions::residuals_are_noise): at 1 % noise no fit
// is ever exact, and without the rule the enumeration runs to its limit; with it, it ends the
// levels after the law (5 nodes) fits to the noise, at a fraction of the work.
TEST(NoiseStopping, TheEnumerationEndsAtTheNoiseFloor) {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    noisy_ratio_table(0.01, X, y);
    kepler::SearchOptions o;
    o.threads = 2;
    o.time_limit_seconds = 600.0;
    o.max_evaluations = 20'000'000;
    o.residuals_are_noise = residuals_are_noise;
    const kepler::SearchReport with = kepler::enumerate_search(X, y, o);
    EXPECT_TRUE(with.at_noise_floor);
    EXPECT_FALSE(with.exact);
    EXPECT_FALSE(with.evaluation_limit_reached);
    EXPECT_LE(with.levels_completed, 8u);  // the floor at 5 nodes, then at most three more levels
    o.residuals_are_noise = {};
    o.max_evaluations = 5'000'000;
    const kepler::SearchReport without = kepler::enumerate_search(X, y, o);
    EXPECT_FALSE(without.at_noise_floor);
    EXPECT_TRUE(without.evaluation_limit_reached);
    EXPECT_LT(with.evaluations * 4, without.evaluations) << with.evaluations << " vs " << without.evaluations;
    // Both hold the law.
    const std::vector<std::string> names{"a", "b", "c"};
    for (const kepler::SearchReport* r : {&with, &without}) {
        bool law = false;
        for (const kepler::Candidate& c : r->front.members())
            law = law || kepler::to_infix(kepler::simplify(c.expression), names) == "a*b/c";
        EXPECT_TRUE(law);
    }
}

// Where the operators cannot write the law, what the best formula leaves is the law's own shape,
// not noise: on noise-free data the rule never ends the enumeration.
TEST(NoiseStopping, TheRuleDoesNotStopASmoothMisfit) {
    Eigen::MatrixXd X(600, 1);
    Eigen::VectorXd y(600);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        X(i, 0) = 0.5 + 3.0 * static_cast<double>(i) / 600.0;
        y(i) = X(i, 0) * std::exp(-X(i, 0));  // no target transform makes it one of the operators' formulas
    }
    kepler::SearchOptions o;
    o.threads = 1;
    o.time_limit_seconds = 600.0;
    o.max_evaluations = 300'000;
    o.operators = {kepler::Op::Add, kepler::Op::Sub, kepler::Op::Mul, kepler::Op::Div, kepler::Op::Sqrt};
    o.residuals_are_noise = residuals_are_noise;
    const kepler::SearchReport r = kepler::enumerate_search(X, y, o);
    EXPECT_FALSE(r.exact);
    EXPECT_FALSE(r.at_noise_floor);
}
