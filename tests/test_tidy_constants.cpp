#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "kepler/pipeline/tidy_constants.hpp"

using namespace kepler;

namespace {

Expression scaled_x(double c) { return Expression({Node::constant(c), Node::var(0), Node::op_node(Op::Mul)}); }

}  // namespace

TEST(TidyConstants, RoundSignificant) {
    EXPECT_EQ(round_significant(8.314000000000002, 4), 8.314);
    EXPECT_EQ(round_significant(-0.0012345, 2), -0.0012);
    EXPECT_EQ(round_significant(123456.0, 1), 100000.0);
    EXPECT_EQ(round_significant(0.0, 3), 0.0);
}

TEST(TidyConstants, DropsDigitsTheDataDoNotSupport) {
    Eigen::MatrixXd X = Eigen::VectorXd::LinSpaced(100, 1.0, 5.0);
    Eigen::VectorXd y = 8.314 * X.col(0);
    Expression tidied = tidy_constants(scaled_x(8.314000000000002), X, y);
    EXPECT_EQ(tidied.nodes()[0].value, 8.314);
}

TEST(TidyConstants, KeepsDigitsTheDataNeed) {
    Eigen::MatrixXd X = Eigen::VectorXd::LinSpaced(100, 1.0, 5.0);
    Eigen::VectorXd y = std::numbers::pi * X.col(0);
    Expression tidied = tidy_constants(scaled_x(std::numbers::pi), X, y);
    // Exact data: only a decimal that reproduces them to about 1e-12 is as good.
    EXPECT_NEAR(tidied.nodes()[0].value, std::numbers::pi, 1e-11);
    EXPECT_NE(tidied.nodes()[0].value, 3.14159);
}
