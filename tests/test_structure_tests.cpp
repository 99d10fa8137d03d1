// Structure tests on laws whose structure is known both ways (present and absent), at noise 0
// and at Gaussian noise of 1% of RMS(y): each must hold where the structure is there and fail
// where it is not, with thresholds that come from the surrogate's error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>
#include <vector>

#include "kepler/structure/structure_tests.hpp"

using namespace kepler;

namespace {

using Law = std::function<double(const Eigen::RowVectorXd&)>;

struct Box {
    double low = 1.0, high = 3.0;
};

// Rows uniform in the box; noise: Gaussian with sd = noise * RMS(y).
StructureModel model_of(const Law& law, int inputs, double noise, int rows = 500, std::vector<Box> boxes = {}) {
    boxes.resize(static_cast<std::size_t>(inputs), boxes.empty() ? Box{} : boxes.back());
    std::mt19937_64 rng(23);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::normal_distribution<double> gauss;
    Eigen::MatrixXd X(rows, inputs);
    Eigen::VectorXd y(rows);
    for (int i = 0; i < rows; ++i) {
        for (int k = 0; k < inputs; ++k) {
            const Box& b = boxes[static_cast<std::size_t>(k)];
            X(i, k) = b.low + unit(rng) * (b.high - b.low);
        }
        y[i] = law(X.row(i));
    }
    const double sd = noise * std::sqrt(y.squaredNorm() / rows);
    for (int i = 0; i < rows; ++i) y[i] += sd * gauss(rng);
    return StructureModel::fit(X, y);
}

void expect_holds(const StructureEvidence& e) {
    EXPECT_EQ(e.verdict, StructureVerdict::holds) << "score " << e.score << " threshold " << e.threshold;
    EXPECT_LE(e.score, e.threshold);
    EXPECT_GT(e.confidence, 0.0);
}

void expect_fails(const StructureEvidence& e) {
    EXPECT_EQ(e.verdict, StructureVerdict::fails) << "score " << e.score << " threshold " << e.threshold;
    EXPECT_GT(e.score, e.threshold);
    EXPECT_GT(e.confidence, 0.5);
}

using Groups = std::vector<std::vector<std::size_t>>;

class StructureAtNoise : public ::testing::TestWithParam<double> {};

}  // namespace

TEST_P(StructureAtNoise, AdditiveSeparabilityOfASumNotOfAProduct) {
    const StructureModel sum = model_of([](const auto& x) { return x[0] * x[0] + std::sin(x[1]); }, 2, GetParam());
    expect_holds(test_separability(sum, Separation::additive, {0}));
    expect_fails(test_separability(sum, Separation::multiplicative, {0}));
    const StructureModel product = model_of([](const auto& x) { return x[0] * x[1]; }, 2, GetParam());
    expect_fails(test_separability(product, Separation::additive, {1}));
}

TEST_P(StructureAtNoise, MultiplicativeSeparabilityOfAProductNotOfASum) {
    const StructureModel product = model_of([](const auto& x) { return x[0] * std::exp(x[1]); }, 2, GetParam());
    expect_holds(test_separability(product, Separation::multiplicative, {0}));
    expect_fails(test_separability(product, Separation::additive, {0}));
    const StructureModel sum = model_of([](const auto& x) { return x[0] + x[1]; }, 2, GetParam());
    expect_fails(test_separability(sum, Separation::multiplicative, {0}));
}

TEST_P(StructureAtNoise, SymmetryInTheDifference) {
    const StructureModel m =
        model_of([](const auto& x) { return std::exp(-(x[0] - x[1]) * (x[0] - x[1])); }, 2, GetParam());
    expect_holds(test_symmetry(m, 0, 1, Combination::difference).evidence);
    expect_fails(test_symmetry(m, 0, 1, Combination::sum).evidence);
    expect_fails(test_symmetry(m, 0, 1, Combination::ratio).evidence);
    const std::vector<SymmetryResult> found = find_symmetries(m);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front().combination, Combination::difference);
    EXPECT_EQ(found.size(), 1u);
}

TEST_P(StructureAtNoise, SymmetryInTheRatio) {
    const StructureModel m = model_of([](const auto& x) { return std::sin(2 * x[0] / x[1]) + x[2]; }, 3, GetParam());
    expect_holds(test_symmetry(m, 0, 1, Combination::ratio).evidence);
    expect_fails(test_symmetry(m, 0, 1, Combination::difference).evidence);
    expect_fails(test_symmetry(m, 0, 1, Combination::product).evidence);
    expect_fails(test_symmetry(m, 0, 2, Combination::ratio).evidence);
}

TEST_P(StructureAtNoise, NoSymmetryWhereTheLawHasNone) {
    const StructureModel m = model_of([](const auto& x) { return x[0] * x[1] * x[1]; }, 2, GetParam());
    expect_fails(test_symmetry(m, 0, 1, Combination::difference).evidence);
    expect_fails(test_symmetry(m, 0, 1, Combination::product).evidence);
    EXPECT_TRUE(find_symmetries(m).empty());
}

TEST_P(StructureAtNoise, SeparabilityOverFiveInputsFromTheInteractionGraph) {
    const StructureModel m =
        model_of([](const auto& x) { return x[0] * x[1] + std::sin(x[2]) * x[3] * x[4]; }, 5, GetParam(), 800);
    const SeparabilityResult r = find_separability(m, Separation::additive);
    EXPECT_EQ(r.groups, (Groups{{0, 1}, {2, 3, 4}}));
    EXPECT_EQ(r.first, (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(r.second, (std::vector<std::size_t>{2, 3, 4}));
    expect_holds(r.evidence);
    // The matrix says why: strong within the groups, below threshold across them.
    EXPECT_GT(r.interaction(0, 1), r.interaction_threshold(0, 1));
    EXPECT_GT(r.interaction(2, 4), r.interaction_threshold(2, 4));
    EXPECT_LE(r.interaction(1, 3), r.interaction_threshold(1, 3));
    // Not multiplicatively separable: one group, the Fiedler cut is reported failing.
    const SeparabilityResult product = find_separability(m, Separation::multiplicative);
    EXPECT_EQ(product.groups.size(), 1u);
    EXPECT_FALSE(product.first.empty());
    EXPECT_FALSE(product.second.empty());
    expect_fails(product.evidence);
}

TEST_P(StructureAtNoise, CompositionalityFromGradients) {
    const StructureModel m =
        model_of([](const auto& x) { return std::sqrt(x[0] * x[0] + x[1] * x[1]) * x[2]; }, 3, GetParam(), 600);
    const CompositionalityResult inner = test_compositionality(m, {0, 1});
    EXPECT_EQ(inner.inner, (std::vector<std::size_t>{0, 1}));
    expect_holds(inner.evidence);
    expect_fails(test_compositionality(m, {0, 2}).evidence);
    expect_fails(test_compositionality(m, {1, 2}).evidence);
    const std::vector<CompositionalityResult> found = find_compositionality(m);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found.front().inner, (std::vector<std::size_t>{0, 1}));
}

INSTANTIATE_TEST_SUITE_P(Noise, StructureAtNoise, ::testing::Values(0.0, 0.01),
                         [](const ::testing::TestParamInfo<double>& info) {
                             return info.param == 0.0 ? std::string("Exact") : std::string("OnePercent");
                         });

TEST(StructureTests, LargeDynamicRangeIsTestedOnLogY) {
    // y spans about four decades: modelled as log|y|, where the product is a sum. (Noise of 1%
    // of RMS(y) would make the smallest values negative, so this law is exact.)
    const StructureModel m = model_of([](const auto& x) { return std::exp(3 * x[0]) * x[1] * x[1] * x[1]; }, 2, 0.0);
    EXPECT_TRUE(m.log_target());
    expect_holds(test_separability(m, Separation::multiplicative, {0}));
    expect_fails(test_separability(m, Separation::additive, {0}));
    const Eigen::MatrixXd P{{2.0, 2.0}};
    EXPECT_NEAR(m.predict(P)[0], std::exp(6.0) * 8.0, 0.01 * std::exp(6.0) * 8.0);
    const StructureModel narrow = model_of([](const auto& x) { return x[0] * x[1]; }, 2, 0.0);
    EXPECT_FALSE(narrow.log_target());
}

TEST(StructureTests, InputsTheLawIgnoresAreInconclusiveForSymmetryAndTheirOwnGroup) {
    const StructureModel m = model_of([](const auto& x) { return x[0] * x[1]; }, 3, 0.01);
    const SymmetryResult r = test_symmetry(m, 2, 0, Combination::difference);
    EXPECT_EQ(r.evidence.verdict, StructureVerdict::fails);  // moving x_0 changes f
    const StructureModel flat = model_of([](const auto& x) { return x[0] * x[0]; }, 3, 0.01);
    const SymmetryResult none = test_symmetry(flat, 1, 2, Combination::sum);
    EXPECT_EQ(none.evidence.verdict, StructureVerdict::inconclusive);
    EXPECT_EQ(none.evidence.confidence, 0.0);
    const SeparabilityResult split = find_separability(m, Separation::multiplicative);
    EXPECT_EQ(split.groups, (Groups{{0}, {1}, {2}}));
}

TEST(StructureTests, SpecialValuesGiveTheReducedTable) {
    // x_0 reaches 0 and 1, x_1 reaches 1, x_2 reaches neither.
    const StructureModel m = model_of([](const auto& x) { return x[0] * x[1] + x[2]; }, 3, 0.01, 500,
                                      {Box{0.0, 2.0}, Box{0.5, 2.0}, Box{2.0, 4.0}});
    const std::vector<SpecialValueResult> found = special_values(m, 200);
    ASSERT_EQ(found.size(), 3u);
    const auto find = [&](std::size_t input, double value) {
        return std::find_if(found.begin(), found.end(),
                            [&](const SpecialValueResult& r) { return r.input == input && r.value == value; });
    };
    const auto zero = find(0, 0.0);
    ASSERT_NE(zero, found.end());
    EXPECT_EQ(zero->remaining, (std::vector<std::size_t>{1, 2}));
    EXPECT_EQ(zero->dropped, (std::vector<std::size_t>{1}));  // x_0 = 0 removes the x_0*x_1 term
    EXPECT_FALSE(zero->constant);
    ASSERT_EQ(zero->X.rows(), 200);
    ASSERT_EQ(zero->X.cols(), 2);
    for (Eigen::Index r = 0; r < zero->X.rows(); ++r) EXPECT_NEAR(zero->y[r], zero->X(r, 1), 0.1);
    const auto one = find(0, 1.0);
    ASSERT_NE(one, found.end());
    EXPECT_TRUE(one->dropped.empty());
    EXPECT_NE(find(1, 1.0), found.end());
    EXPECT_EQ(find(2, 0.0), found.end());

    const StructureModel product =
        model_of([](const auto& x) { return x[0] * x[1]; }, 2, 0.0, 400, {Box{0.0, 2.0}, Box{2.0, 3.0}});
    const std::vector<SpecialValueResult> at_zero = special_values(product, 100);
    ASSERT_EQ(at_zero.size(), 2u);
    EXPECT_TRUE(at_zero.front().constant);  // f(0, x_1) = 0
    EXPECT_NEAR(at_zero.front().y.cwiseAbs().maxCoeff(), 0.0, 1e-3);
}

TEST(StructureTests, DeterministicForASeed) {
    const auto law = [](const auto& x) { return x[0] * x[1] + x[2]; };
    const StructureModel a = model_of(law, 3, 0.01), b = model_of(law, 3, 0.01);
    const StructureEvidence ea = test_separability(a, Separation::additive, {0, 1});
    const StructureEvidence eb = test_separability(b, Separation::additive, {0, 1});
    EXPECT_EQ(ea.score, eb.score);
    EXPECT_EQ(ea.threshold, eb.threshold);
    expect_holds(ea);
}

TEST(StructureTests, RejectsMalformedQuestions) {
    const StructureModel m = model_of([](const auto& x) { return x[0] + x[1] + x[2]; }, 3, 0.0, 200);
    EXPECT_THROW(test_separability(m, Separation::additive, {}), std::invalid_argument);
    EXPECT_THROW(test_separability(m, Separation::additive, {0, 1, 2}), std::invalid_argument);
    EXPECT_THROW(test_separability(m, Separation::additive, {5}), std::invalid_argument);
    EXPECT_THROW(test_symmetry(m, 1, 1, Combination::sum), std::invalid_argument);
    EXPECT_THROW(test_compositionality(m, {0}), std::invalid_argument);
    EXPECT_THROW(test_compositionality(m, {0, 1, 2}), std::invalid_argument);
    EXPECT_EQ(combine(Combination::ratio, Eigen::Vector2d(6, 1), Eigen::Vector2d(3, 4)), Eigen::Vector2d(2, 0.25));
}
