// Scoring a formula on all rows, giving up as soon as it is statistically worse than a bar.
//
// A search offers many formulas whose sample-row fit looked promising; most of them then fail
// to join the Pareto front on all rows. Rather than evaluate each on every row, the rows are
// taken in growing batches (a group-sequential test: looks after 64, 256, 1024, ... rows) and
// the formula is dropped once the lower confidence bound of its mean squared residual is above
// the square of the RMSE it must beat. Rows must be in random order (shuffle them once), so
// that every prefix is a random sample of the table.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <optional>

#include "kepler/fitting/candidate.hpp"

namespace kepler {

struct SequentialScoringOptions {
    // Standard errors the mean squared residual must lie above the bar for a rejection. With
    // up to ~8 looks, 3.5 keeps the chance of wrongly dropping a formula that would have beaten
    // the bar well under 1% even for the skewed distribution of squared residuals.
    double z = 3.5;
    std::size_t first_look = 64;  // rows at the first look; each later look has 4x as many
};

struct SequentialScore {
    std::optional<Candidate> candidate;  // the full scores, unless rejected or not finite
    bool rejected_early = false;         // dropped before the last row: surely worse than the bar
    std::size_t rows_evaluated = 0;
};

// As score_candidate() (candidate.hpp), but stops early, with no candidate, once the formula's
// RMSE is surely above `rmse_to_beat` (ParetoFront::rmse_to_beat; infinity = never stop).
SequentialScore score_candidate_sequential(Expression expression, const Eigen::Ref<const Eigen::MatrixXd>& X,
                                           const Eigen::Ref<const Eigen::VectorXd>& y, const ComplexityModel& model,
                                           Evaluator& evaluator, double rmse_to_beat,
                                           const SequentialScoringOptions& options = {});

}  // namespace kepler
