#include <gtest/gtest.h>

#include <string>

#include "kepler/search/pareto_front.hpp"

using namespace kepler;

namespace {

// A candidate whose formula is the constant `tag`, so members can be told apart.
Candidate make(double bits, double rmse, double error_bits = 0.0, double tag = 0.0) {
    Candidate c;
    c.expression = Expression::constant(tag);
    c.complexity_bits = bits;
    c.rmse = rmse;
    c.error_bits = error_bits;
    return c;
}

double tag(const Candidate& c) { return c.expression.nodes()[0].value; }

void expect_sorted_and_non_dominated(const ParetoFront& front) {
    const auto& m = front.members();
    for (std::size_t i = 1; i < m.size(); ++i) {
        EXPECT_LT(m[i - 1].complexity_bits, m[i].complexity_bits);
        EXPECT_GT(m[i - 1].rmse, m[i].rmse);
    }
}

}  // namespace

TEST(ParetoFront, Dominance) {
    EXPECT_TRUE(ParetoFront::dominates(make(5, 1.0), make(6, 1.0)));
    EXPECT_TRUE(ParetoFront::dominates(make(5, 1.0), make(5, 2.0)));
    EXPECT_TRUE(ParetoFront::dominates(make(4, 0.5), make(5, 2.0)));
    EXPECT_FALSE(ParetoFront::dominates(make(5, 1.0), make(5, 1.0)));  // equal: neither
    EXPECT_FALSE(ParetoFront::dominates(make(5, 1.0), make(6, 0.5)));  // a trade-off
    EXPECT_FALSE(ParetoFront::dominates(make(6, 0.5), make(5, 1.0)));
}

TEST(ParetoFront, InsertKeepsOnlyNonDominated) {
    ParetoFront front;
    EXPECT_TRUE(front.insert(make(10, 1.0, 0, 1)));
    EXPECT_TRUE(front.insert(make(20, 0.1, 0, 2)));
    EXPECT_TRUE(front.insert(make(5, 3.0, 0, 3)));
    EXPECT_FALSE(front.insert(make(12, 1.0, 0, 4)));  // dominated by (10, 1.0)
    EXPECT_FALSE(front.insert(make(25, 0.2, 0, 5)));  // dominated by (20, 0.1)
    EXPECT_FALSE(front.insert(make(10, 1.0, 0, 6)));  // a tie keeps the earlier one
    ASSERT_EQ(front.size(), 3u);
    EXPECT_EQ(tag(front.members()[0]), 3);
    EXPECT_EQ(tag(front.members()[1]), 1);
    EXPECT_EQ(tag(front.members()[2]), 2);
    expect_sorted_and_non_dominated(front);
}

TEST(ParetoFront, InsertRemovesWhatItDominates) {
    ParetoFront front;
    front.insert(make(10, 1.0, 0, 1));
    front.insert(make(12, 0.8, 0, 2));
    front.insert(make(14, 0.6, 0, 3));
    front.insert(make(30, 0.01, 0, 4));
    // Same bits as member 1 but better, and better than members 2 and 3 too.
    EXPECT_TRUE(front.insert(make(10, 0.5, 0, 5)));
    ASSERT_EQ(front.size(), 2u);
    EXPECT_EQ(tag(front.members()[0]), 5);
    EXPECT_EQ(tag(front.members()[1]), 4);
    // Removes everything.
    EXPECT_TRUE(front.insert(make(1, 0.0, 0, 6)));
    ASSERT_EQ(front.size(), 1u);
    EXPECT_EQ(tag(front.members()[0]), 6);
}

TEST(ParetoFront, RoundingLevelDifferencesCountAsTies) {
    ParetoFront front(1e-12);
    EXPECT_TRUE(front.insert(make(10, 0.5, 0, 1)));
    EXPECT_FALSE(front.insert(make(20, 0.5 * (1 - 1e-12), 0, 2)));  // more bits, not really better
    EXPECT_TRUE(front.insert(make(20, 0.4, 0, 3)));
    EXPECT_TRUE(front.insert(make(30, 3e-16, 0, 4)));   // exact
    EXPECT_FALSE(front.insert(make(40, 1e-16, 0, 5)));  // exact too, below 1e-12
    // Fewer bits and an rmse within the tolerance of a member: replaces it.
    EXPECT_TRUE(front.insert(make(9, 0.5 * (1 + 1e-12), 0, 6)));
    ASSERT_EQ(front.size(), 3u);
    EXPECT_EQ(tag(front.members()[0]), 6);
    EXPECT_EQ(tag(front.members()[1]), 3);
    EXPECT_EQ(tag(front.members()[2]), 4);
    expect_sorted_and_non_dominated(front);
}

TEST(ParetoFront, RefusesNaN) {
    ParetoFront front;
    EXPECT_FALSE(front.insert(make(3, std::nan(""))));
    EXPECT_FALSE(front.insert(make(std::nan(""), 1.0)));
    EXPECT_TRUE(front.empty());
}

TEST(ParetoFront, MergeEqualsInsertingAll) {
    ParetoFront a, b, all;
    const double points[][2] = {{3, 9}, {5, 4}, {8, 2}, {4, 5}, {6, 4}, {9, 1}, {2, 12}, {7, 1.5}, {5, 3}};
    for (std::size_t i = 0; i < std::size(points); ++i) {
        Candidate c = make(points[i][0], points[i][1], 0, double(i));
        (i % 2 == 0 ? a : b).insert(c);
        all.insert(c);
    }
    ParetoFront merged = a;
    merged.merge(b);
    expect_sorted_and_non_dominated(merged);
    ASSERT_EQ(merged.size(), all.size());
    for (std::size_t i = 0; i < merged.size(); ++i) {
        EXPECT_EQ(merged.members()[i].complexity_bits, all.members()[i].complexity_bits);
        EXPECT_EQ(merged.members()[i].rmse, all.members()[i].rmse);
    }
    // The non-dominated points of the list above, by hand.
    std::vector<double> bits;
    for (const auto& c : merged.members()) bits.push_back(c.complexity_bits);
    EXPECT_EQ(bits, (std::vector<double>{2, 3, 4, 5, 7, 9}));
}

TEST(ParetoFront, BestMinimisesTotalBitsAndPrefersSimplerOnTies) {
    ParetoFront front;
    front.insert(make(5, 10.0, 40.0, 1));  // total 45
    front.insert(make(20, 1.0, 15.0, 2));  // total 35
    front.insert(make(30, 0.0, 0.0, 3));   // total 30
    front.insert(make(40, -1.0, 0.0, 4));  // total 40 (rmse < 0 only to stay non-dominated)
    EXPECT_EQ(tag(front.best()), 3);
    front.insert(make(25, 0.5, 5.0, 5));  // total 30 too, fewer bits
    EXPECT_EQ(tag(front.best()), 5);
}

TEST(ParetoFront, BestWeighsTheErrorByTheRows) {
    // A constant with a rough error against an exact but longer formula: per row the error of
    // the constant (25 bits) is less than the formula's extra bits, over 1000 rows it is not.
    Candidate rough = make(3, 0.5, 25.0, 1), exact = make(38, 1e-15, 0.0, 2);
    ParetoFront one_row;
    one_row.insert(rough);
    one_row.insert(exact);
    EXPECT_EQ(tag(one_row.best()), 1);
    rough.error_rows = exact.error_rows = 1000;
    ParetoFront many_rows;
    many_rows.insert(rough);
    many_rows.insert(exact);
    EXPECT_EQ(tag(many_rows.best()), 2);
    EXPECT_DOUBLE_EQ(ParetoFront::total_bits(rough), 3 + 25000.0);
}

TEST(ParetoFront, BestOfEmptyFrontThrows) {
    ParetoFront front;
    EXPECT_THROW((void)front.best(), std::logic_error);
}
