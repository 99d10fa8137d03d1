// What the quick fits over the dimensionless groups share (rational_fit.hpp, root fits,
// exponential_fit.hpp, binomial_root_fit.hpp): monomials of the groups within a degree bound,
// their values and formulas, the subsample the choice of terms is made on, and the last step of
// every such fit (refit on every row, keep it only if it improves on the simpler shapes).
#pragma once

#include <Eigen/Core>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/pipeline/dimensional_plan.hpp"
#include "kepler/search/quick_fits.hpp"

namespace kepler::pipeline {

// Beyond three groups the monomials (and the choices among them) grow too fast for a quick fit;
// the enumeration does better there.
inline constexpr std::size_t kMaxGroups = 3;
// The monomials of the groups the quick fits try: those whose exponents' absolute values sum to
// at most kMaxDegree, and with at most kMaxPowerGroups groups also one group's power up to
// kMaxPower. Laws square binomials: omega^4/(omega^2 - omega_0^2)^2 is 1/(1 - 2/g^2 + 1/g^4) in
// g = omega/omega_0; with three groups such powers make the choices too many for a quick fit.
inline constexpr int kMaxDegree = 2;
inline constexpr int kMaxPower = 4;
inline constexpr std::size_t kMaxPowerGroups = 2;

// A larger or later choice of a fit replaces a simpler one only when it lowers the residual by
// more than this share: at the noise, same-sized fits differ by chance.
inline constexpr double kSimplerMargin = 0.01;
// How many of a fit's choices that fit alike go on to a refit on every row (best_and_alike).
inline constexpr std::size_t kChoicesRefitted = 4;

// Rows each choice of terms is scored on y with (rational and binomial root fits): a few
// hundred tell a law from a look-alike of another shape; the refit runs on every row.
inline constexpr Eigen::Index kScoringRows = 250;

// Exponents of the groups, one per group.
using Powers = std::vector<int>;

// The total degree of a monomial of the groups: the sum of its exponents' absolute values.
int degree(const Powers& e);

// Every such exponent vector over `groups` groups, the constant one first.
std::vector<Powers> group_monomials(std::size_t groups);

// The monomials in order of increasing degree, ties as they were: the simplest first.
void sort_by_degree(std::vector<Powers>& monomials);

// Whether every value is of one sign (none zero): a denominator without a pole in the rows.
bool keeps_one_sign(const Eigen::ArrayXd& values);

// Whether w is positive but on rows that hold at most kWrongSignShare of y's sum of squares:
// where y is near zero the noise changes its sign (II.6.15a at 10 % noise, z*sqrt(x^2 + y^2):
// a fifth of the rows, 0.15 % of the sum). Such rows weigh in a fit of w^2, not of 1/w^2.
inline constexpr double kWrongSignShare = 0.01;
bool positive_but_noise(const Eigen::ArrayXd& w, const Eigen::ArrayXd& y);

// prod g_i^e_i on every row.
Eigen::ArrayXd monomial_values(const std::vector<Eigen::ArrayXd>& g, const Powers& e, Eigen::Index rows);

// coefficient * prod g_i^e_i as a formula, the negative powers as a division.
Expression term(double coefficient, const std::vector<Expression>& groups, const Powers& e);

// `f` refitted on every row (y itself, not a linearised form).
Expression refit(const Expression& f, const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

// "2 terms" for a shape without denominator terms, "2/3 terms" for two over 1 plus two.
std::string terms_label(int tops, int bottoms);

// The last step of every fit, for one shape's formula `f` refitted on every row: kept (as a
// QuickFit of `kind`) when finite on every row and better than the smaller shapes' `previous`
// RMSE (SmallerShapes::bar), which it then becomes. True when it is exact: the list ends there.
bool admit(Expression f, std::string kind, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double target_rms,
           double& previous, std::vector<QuickFit>& out, Evaluator& evaluate);

// One choice of a fit scored on y, and how simple it is (the degree of its terms).
struct ScoredChoice {
    Expression formula;
    double rmse = 0.0;
    int degree = 0;
};

// The choice of least RMSE and, up to kChoicesRefitted in all, the simplest of those within
// kSimplerMargin of it: at the noise they fit alike, and the pick, which weighs their forms,
// decides between them. Ties keep the given order. Choices of infinite RMSE are left out.
std::vector<Expression> best_and_alike(std::vector<ScoredChoice> choices);

// The best RMSE admitted for each number of terms. A shape must fit better than every smaller
// one, not than another of its own size: at noise a look-alike of one size may fit a little
// better than the law of that size (two terms over 1 + one against the law's one over 1 + two,
// 4*pi/3*g^4/(g^2 - 1)^2), and the pick, not the order of the shapes, decides between them.
class SmallerShapes {
public:
    // The least RMSE of the shapes with fewer than `terms` terms (+inf: none).
    double bar(int terms) const;
    void record(int terms, double rmse);

private:
    std::map<int, double> best_;
};

// The rows the choice of terms is made on (an even subsample: the fits on it are linear or
// one-dimensional), with the monomial's and the groups' values there.
struct Subsample {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    Eigen::ArrayXd m;
    std::vector<Eigen::ArrayXd> g;
};

// At most `max_rows` rows; none when the plan has no monomial, no groups or more than
// kMaxGroups, fewer than 8 rows, or the monomial or a group is not finite and nonzero on
// every row.
std::optional<Subsample> subsample(const DimensionalPlan& plan, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                   Evaluator& evaluate, Eigen::Index max_rows = 2000);

}  // namespace kepler::pipeline
