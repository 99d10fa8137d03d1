// The snapping rule (fitting/snap_evidence.hpp) and the two steps that use it:
// snap_by_evidence (constants to simple values, groups of coefficients) and tidy_constants
// (fewest digits). Each case is one the rule decides: with the old "RMSE grows by at most
// 1e-6" acceptance the noisy ones keep 1.0006, with no noise bound a misfit snaps anything.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kepler/core/canonical.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/fitting/constant_uncertainty.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/snap_evidence.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/pipeline/polish_constants.hpp"
#include "kepler/pipeline/snap_by_evidence.hpp"
#include "kepler/pipeline/tidy_constants.hpp"
#include "random_inputs.hpp"

using namespace kepler;

namespace {

const std::vector<std::string> kNames{"x1", "y1", "x2", "y2", "n", "a"};

Expression parse(const std::string& text) { return grammar::parse_formula(text, kNames); }
std::string text(const Expression& e) { return to_infix(e, kNames); }

struct Data {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

// 1,000 rows, inputs uniform in [1, 5], the truth plus Gaussian noise of sd noise * rms(truth).
Data noisy(const std::string& truth, double noise, std::uint64_t seed = 1) {
    Data d{kepler::testing::uniform_matrix(1000, static_cast<Eigen::Index>(kNames.size()), 1.0, 5.0, seed), {}};
    d.y = Evaluator{}(parse(truth), d.X);
    const double sd = noise * root_mean_square(d.y);
    std::mt19937_64 rng(seed + 100);
    std::normal_distribution<double> z(0.0, 1.0);
    for (Eigen::Index i = 0; i < d.y.size(); ++i) d.y(i) += sd * z(rng);
    return d;
}

// Polished, snapped by evidence, simplified (the order score_pool runs them in).
Expression snapped(const std::string& start, const Data& d, double noise_sd = std::nan("")) {
    SnapByEvidenceOptions o;
    o.noise_sd = noise_sd;
    return simplify(snap_by_evidence(polish_constants(parse(start), d.X, d.y), d.X, d.y, ComplexityModel{}, o));
}

bool same(const Expression& a, const std::string& b) { return canonical(a) == canonical(parse(b)); }

}  // namespace

TEST(SnapEvidence, AcceptsWithinTheBicAllowanceAndRefusesBeyondIt) {
    const SnapEvidence ev(1.0, 1000, 2, 10.0);
    EXPECT_NEAR(ev.allowance(1), std::log(1000.0), 1e-12);
    // cost = n (r^2 - r_f^2) / s^2 with s^2 = r_f^2 n / (n - p).
    const double s2 = 1000.0 / 998.0;
    EXPECT_NEAR(ev.cost(1.003), 1000.0 * (1.003 * 1.003 - 1.0) / s2, 1e-9);
    EXPECT_TRUE(ev.accepts(1.003, 1));   // cost 6.0 <= ln 1000 = 6.9
    EXPECT_FALSE(ev.accepts(1.004, 1));  // cost 8.0
    EXPECT_TRUE(ev.accepts(1.004, 2));   // two constants are worth 13.8
    EXPECT_FALSE(ev.accepts(NAN, 5));
}

TEST(SnapEvidence, AFormulaWorseThanTheNoiseDoesNotSnapFreely) {
    // The formula misses by 1.0 where the table's noise is 0.1: against its own misfit a change
    // of 0.002 in RMSE looks like nothing, against the noise it is 400 units of cost.
    EXPECT_TRUE(SnapEvidence(1.0, 1000, 1, 10.0).accepts(1.002, 1));
    EXPECT_FALSE(SnapEvidence(1.0, 1000, 1, 10.0, 0.1).accepts(1.002, 1));
    // A noise estimate above the formula's own residual changes nothing (it errs upwards).
    EXPECT_EQ(SnapEvidence(1.0, 1000, 1, 10.0, 5.0).residual_sd(), SnapEvidence(1.0, 1000, 1, 10.0).residual_sd());
}

TEST(SnapEvidence, ExactRestrictedFitsAlwaysPass) {
    // Round-off residuals of an exact fit (1e-16 of rms(y)) against a restricted fit that is
    // exact too (1e-13): a ratio of 1000 in RMSE, but both are exact.
    const SnapEvidence ev(1e-15, 1000, 1, 10.0);
    EXPECT_TRUE(ev.accepts(1e-12, 1));
    EXPECT_FALSE(ev.accepts(1e-10, 1));
}

TEST(SnapByEvidence, ExactDataSnapOneThird) {
    Data d = noisy("1/(1/(n*a) - 1/3)", 0.0);
    const Expression e = snapped("1/(1/(n*a) - 0.333333333333)", d);
    EXPECT_TRUE(free_constant_nodes(e).empty()) << text(e);
    const Eigen::VectorXd v = Evaluator{}(e, d.X);
    EXPECT_LE(residual_rms(v, d.y), 1e-14 * root_mean_square(d.y)) << text(e);
}

TEST(SnapByEvidence, NoisyCoefficientsOfASumSnapToOne) {
    const Data d = noisy("x1*y1 + x2*y2 + n*a", 0.01);
    const Expression e = snapped("1.0006*x1*y1 + 0.9988*x2*y2 + 0.99983*n*a", d);
    EXPECT_TRUE(same(e, "x1*y1 + x2*y2 + n*a")) << text(e);
}

TEST(SnapByEvidence, ACoefficientTwoSnaps) {
    const Data d = noisy("2*sqrt(x1*x2)*y1 + x1 + x2", 0.01);
    const Expression e = snapped("1.9987*sqrt(x1*x2)*y1 + 1.0006*x1 + 0.99933*x2", d);
    EXPECT_TRUE(same(e, "2*sqrt(x1*x2)*y1 + x1 + x2")) << text(e);
}

TEST(SnapByEvidence, ARealConstantStays) {
    const Data d = noisy("1.37*x1*y1 + x2", 0.001);
    const Expression e = snapped("1.4*x1*y1 + x2", d);
    const std::vector<std::size_t> free = free_constant_nodes(e);
    ASSERT_EQ(free.size(), 1u) << text(e);
    EXPECT_NEAR(e.nodes()[free[0]].value, 1.37, 1e-3);
}

TEST(SnapByEvidence, CoefficientsOfASumBecomeOneCommonValue) {
    const Data d = noisy("8.314*x1*y1 + 8.314*x2*y2", 0.01);
    const Expression e = snapped("8.3*x1*y1 + 8.3*x2*y2", d);
    const std::vector<std::size_t> free = free_constant_nodes(e);
    ASSERT_EQ(free.size(), 2u) << text(e);
    EXPECT_EQ(e.nodes()[free[0]].value, e.nodes()[free[1]].value) << text(e);
}

TEST(TidyConstants, OneAtOnePercentNoiseBecomesOne) {
    const Data d = noisy("x1*y1 + 3.7*x2", 0.01);
    const Expression polished = polish_constants(parse("1.0006*x1*y1 + 3.7*x2"), d.X, d.y);
    const Expression e = simplify(tidy_constants(polished, d.X, d.y));
    const std::vector<std::size_t> free = free_constant_nodes(e);
    // x1*y1's coefficient went (1 passes: it is within the error), 3.7's digits beyond the error went.
    ASSERT_EQ(free.size(), 1u) << text(e);
    EXPECT_NEAR(e.nodes()[free[0]].value, 3.7, 0.05) << text(e);
    EXPECT_LE(format_number(e.nodes()[free[0]].value).size(), 5u) << text(e);
}

TEST(TidyConstants, DataThatSay8314Keep8314NotR) {
    for (double noise : {0.0, 1e-4}) {
        const Data d = noisy("8.314*n*a/x1", noise);
        const Expression polished = polish_constants(parse("8.3*n*a/x1"), d.X, d.y);
        const Expression e = tidy_constants(polished, d.X, d.y);
        const std::vector<std::size_t> free = free_constant_nodes(e);
        ASSERT_EQ(free.size(), 1u);
        EXPECT_EQ(e.nodes()[free[0]].value, 8.314) << "noise " << noise;
        // R = 8.314462618 does not fit them as well: the rule refuses it.
        Expression r = e;
        r.mutable_nodes()[free[0]].value = 8.314462618;
        const Eigen::VectorXd v = Evaluator{}(r, d.X), w = Evaluator{}(polished, d.X);
        const SnapEvidence ev(residual_rms(w, d.y), d.y.size(), 1, root_mean_square(d.y));
        EXPECT_FALSE(ev.accepts(residual_rms(v, d.y), 1)) << "noise " << noise;
    }
}

TEST(SnapByEvidence, DiscoverRecoversCoefficientsExactlyOneAtOnePercentNoise) {
    // A noisy two-product sum under an evaluation budget: the fitted coefficients (1.0006 and
    // the like before this rule) come out as exactly 1.
    const std::vector<std::string> names{"x1", "y1", "x2", "y2"};
    const Data d = noisy("x1*y1 + x2*y2", 0.01, 5);
    Table table;
    table.names = {"f", "x1", "y1", "x2", "y2"};
    table.data.resize(d.y.size(), 5);
    table.data.col(0) = d.y;
    table.data.rightCols(4) = d.X.leftCols(4);
    DiscoverOptions options;
    options.search.max_evaluations = 200000;
    options.search.threads = 1;
    const DiscoveryResult result = discover(table, "f", options);
    const FoundLaw* best = result.best_law();
    ASSERT_NE(best, nullptr);
    EXPECT_TRUE(canonical(best->expression) == canonical(grammar::parse_formula("x1*y1 + x2*y2", names)))
        << best->formula;
    EXPECT_TRUE(best->constants.empty()) << best->formula;
}

TEST(TidyConstants, KeepsTheDigitsWorthMoreThanTheirPrice) {
    // Of the decimals the rule accepts, the one of least description length: a digit is worth
    // ln 10 nats, so the tidied value stays within sqrt(2 ln 10) = 2.15 standard errors of the
    // fit (the fewest digits the rule accepts could be sqrt(ln 1000) = 2.63 away).
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        const Data d = noisy("0.4157*x1/x2", 0.01, seed);
        const Expression polished = polish_constants(parse("0.4*x1/x2"), d.X, d.y);
        const std::vector<FittedConstant> fit = constant_uncertainty(polished, d.X, d.y);
        ASSERT_EQ(fit.size(), 1u);
        const Expression e = tidy_constants(polished, d.X, d.y);
        const double tidied = e.nodes()[free_constant_nodes(e)[0]].value;
        EXPECT_LE(std::abs(tidied - fit[0].value), 2.15 * fit[0].standard_error)
            << "seed " << seed << ": " << fit[0].value << " +- " << fit[0].standard_error << " tidied to " << tidied;
        EXPECT_LE(format_number(tidied).size(), 6u) << tidied;  // 0.4157, not 0.41571234
    }
}

TEST(SnapByEvidence, ASnappedFractionInASumPrintsAsAFraction) {
    Data d = noisy("x1 - 1/3", 0.0);
    const Expression e = snapped("x1 - 0.333333333333", d);
    EXPECT_EQ(text(e), "x1 - 1/3");
}

TEST(SnapByEvidence, AFormIsTakenOnlyWithinItsSlackOverTheConstantToItsPrecision) {
    // 1/(2*pi) costs about 17 bits; at 1 % noise the data know the constant to 1 part in 3,000
    // (about 14 bits), and the form is within the 8 bits of slack: it is taken, as exact data
    // (which know it to 1e-12) take it. 27/(2*pi^2) costs about 28 bits: a number the data know
    // to 14 bits stays a number.
    const Data exact = noisy("x1*y1/(2*pi)", 0.0);
    EXPECT_TRUE(free_constant_nodes(snapped("0.159155*x1*y1", exact)).empty());
    const Data noisy_pi = noisy("x1*y1/(2*pi)", 0.01);
    const Expression e = snapped("0.159155*x1*y1", noisy_pi);
    EXPECT_TRUE(free_constant_nodes(e).empty()) << text(e);
    const Data noisy_form = noisy("27*x1*y1/(2*pi^2)", 0.01);
    const Expression f = snapped("1.3678*x1*y1", noisy_form);
    EXPECT_EQ(free_constant_nodes(f).size(), 1u) << text(f);
}
