#include <gtest/gtest.h>

#include <random>

#include "kepler/fitting/sequential_scoring.hpp"
#include "kepler/search/pareto_front.hpp"

using namespace kepler;

namespace {

// y = x0*x1 + noise on rows in random order.
struct Data {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

Data product_data(Eigen::Index rows, double noise, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    std::normal_distribution<double> n(0.0, 1.0);
    Data d{Eigen::MatrixXd(rows, 2), Eigen::VectorXd(rows)};
    for (Eigen::Index i = 0; i < rows; ++i) {
        d.X(i, 0) = u(rng);
        d.X(i, 1) = u(rng);
        d.y(i) = d.X(i, 0) * d.X(i, 1) + noise * n(rng);
    }
    return d;
}

const Expression kTruth = Expression::binary(Op::Mul, Expression::variable(0), Expression::variable(1));
const Expression kWrong = Expression::binary(Op::Add, Expression::variable(0), Expression::variable(1));

}  // namespace

TEST(SequentialScoring, WithoutABarItScoresEveryRowLikeScoreCandidate) {
    Data d = product_data(3000, 0.1, 1);
    ComplexityModel model;
    Evaluator evaluator;
    const SequentialScore s =
        score_candidate_sequential(kWrong, d.X, d.y, model, evaluator, std::numeric_limits<double>::infinity());
    const auto full = score_candidate(kWrong, d.X, d.y, model, evaluator);
    ASSERT_TRUE(s.candidate && full);
    EXPECT_FALSE(s.rejected_early);
    EXPECT_EQ(s.rows_evaluated, 3000u);
    EXPECT_DOUBLE_EQ(s.candidate->rmse, full->rmse);
    EXPECT_DOUBLE_EQ(s.candidate->error_bits, full->error_bits);
    EXPECT_DOUBLE_EQ(s.candidate->complexity_bits, full->complexity_bits);
}

TEST(SequentialScoring, AClearlyWorseFormulaIsDroppedAfterAFewRows) {
    Data d = product_data(20000, 0.1, 2);
    ComplexityModel model;
    Evaluator evaluator;
    // x0 + x1 is far worse than the noise-level RMSE of the truth (0.1).
    const SequentialScore s = score_candidate_sequential(kWrong, d.X, d.y, model, evaluator, 0.12);
    EXPECT_TRUE(s.rejected_early);
    EXPECT_FALSE(s.candidate);
    EXPECT_LE(s.rows_evaluated, 256u);
}

TEST(SequentialScoring, AFormulaThatBeatsTheBarIsNeverDropped) {
    // The truth's RMSE is the noise, 0.1; against a bar 10% above it the test must let it
    // through on every one of many tables, whatever rows come first.
    ComplexityModel model;
    Evaluator evaluator;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        Data d = product_data(5000, 0.1, seed);
        const SequentialScore s = score_candidate_sequential(kTruth, d.X, d.y, model, evaluator, 0.11);
        ASSERT_FALSE(s.rejected_early) << "seed " << seed;
        ASSERT_TRUE(s.candidate);
        EXPECT_LT(s.candidate->rmse, 0.11);
    }
}

TEST(SequentialScoring, ANonFiniteFormulaGivesNoCandidate) {
    Data d = product_data(500, 0.0, 3);
    d.X(400, 1) = 0.0;
    ComplexityModel model;
    Evaluator evaluator;
    const Expression bad = Expression::binary(Op::Div, Expression::variable(0), Expression::variable(1));
    EXPECT_FALSE(score_candidate_sequential(bad, d.X, d.y, model, evaluator, 1e9).candidate);
}

TEST(ParetoFront, RmseToBeatIsTheBestRmseOfTheMembersNoMoreComplex) {
    ParetoFront front;
    auto make = [](double bits, double rmse) {
        Candidate c;
        c.expression = Expression::constant(bits);
        c.complexity_bits = bits;
        c.rmse = rmse;
        return c;
    };
    EXPECT_EQ(front.rmse_to_beat(10.0), std::numeric_limits<double>::infinity());
    front.insert(make(5, 2.0));
    front.insert(make(10, 1.0));
    front.insert(make(20, 0.5));
    EXPECT_EQ(front.rmse_to_beat(4.0), std::numeric_limits<double>::infinity());
    EXPECT_EQ(front.rmse_to_beat(5.0), 2.0);
    EXPECT_EQ(front.rmse_to_beat(15.0), 1.0);
    EXPECT_EQ(front.rmse_to_beat(99.0), 0.5);
}
