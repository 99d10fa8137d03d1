// Internal to screening: screen_channels() as named steps over one state, in the manner of
// Ceres' TrustRegionMinimizer. Each step reads what the steps before it left in the object and
// adds its own findings; screen_channels() calls them in order. The numbers are those of the
// steps as the code has always numbered them:
//
//   constructor  the arguments checked, the rows sampled          screen_readings.cpp
//   1.  readings: readings and gaps per channel, constant ones    screen_readings.cpp
//   2a. target readings: channels that read the target itself     screen_target_readings.cpp
//   2b. correlated pairs: duplicates and redundant readings       screen_target_readings.cpp
//   3.  relevance of every channel still in the running           screen_relevance.cpp
//   4.  representatives: one reading per quantity                 screen_representatives.cpp
//   5.  ranking of the kept channels, and the short list          screen_short_list.cpp
//   6.  interaction scores (the surrogate), conditional relevance screen_interactions.cpp
//   7.  subsets of the pool: their fits                           screen_subsets.cpp
//       and which of them are proposed                            screen_subset_choice.cpp
//   reasons of the subsets and of the kept channels               screen_reasons.cpp
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "channel_pairs.hpp"
#include "kepler/screen/relevance.hpp"
#include "kepler/screen/screen.hpp"
#include "kepler/screen/subset_fit.hpp"
#include "kepler/screen/unit_feasibility.hpp"
#include "union_find.hpp"

namespace kepler::screening {

class ChannelScreening {
public:
    // Checks the arguments (std::invalid_argument, as screen_channels() documents) and samples
    // the rows with a target value.
    ChannelScreening(const Table& table, std::size_t target, const std::vector<std::size_t>& candidates,
                     const std::optional<TableUnits>& units, const ScreenOptions& options);
    // One screening per object: it refers to its arguments, and the subsets it rules out point
    // into its own fits.
    ChannelScreening(const ChannelScreening&) = delete;
    ChannelScreening& operator=(const ChannelScreening&) = delete;

    void count_readings();             // 1.
    void set_aside_target_readings();  // 2a.
    void find_correlated_pairs();      // 2b.
    void score_relevance();            // 3.
    void choose_representatives();     // 4.
    void rank_and_short_list();        // 5.
    void score_interactions();         // 6.
    void propose_subsets();            // 7.
    void explain();                    // the reasons, and the last note

    ScreenReport take_report() { return std::move(report); }

private:
    // A subset of the pool with its response surface.
    struct Scored {
        std::vector<std::size_t> members;  // candidate positions
        SubsetFit fit;
    };
    // A subset the units rule out, and why.
    struct RuledOut {
        std::vector<std::size_t> sorted;  // candidate positions
        const Scored* scored = nullptr;
        std::string why;
    };

    // 1. (screen_readings.cpp)
    void sample_live_channels();
    // 3. (screen_relevance.cpp)
    static double relevance_of(const ChannelScreen& ch);
    // 4. (screen_representatives.cpp)
    void link_readings(std::map<std::size_t, std::vector<std::size_t>>& components);
    void compare_readings(std::size_t root, const std::vector<std::size_t>& members);
    void pick_representatives(const std::vector<std::size_t>& members);
    void name_interchangeable_readings();
    void refit_power_law();
    bool linked(std::size_t a, std::size_t b) const;
    bool fits_clearly_better(std::size_t a, std::size_t b) const;
    bool clearly_smoother(std::size_t a, std::size_t b) const;
    // 5. (screen_short_list.cpp)
    void rank_kept();
    Eigen::VectorXd sampled_column(std::size_t k) const;
    // 6. (screen_interactions.cpp)
    void condition_relevance();
    // 7. (screen_subsets.cpp)
    void sample_subset_rows();
    std::size_t slot_of(std::size_t k);
    void fit_subsets();
    std::vector<Dimension> dims_of(const std::vector<std::size_t>& members) const;
    std::vector<std::string> names_of(const std::vector<std::size_t>& members) const;
    std::size_t position_of(std::size_t column) const;
    ChannelSubset make_subset(const std::vector<std::size_t>& unordered, const SubsetFit& fit) const;
    // 7. (screen_subset_choice.cpp)
    void choose_subsets();
    void substitute_readings(std::vector<std::size_t>& members, SubsetFit& fit, UnitFeasibility& feasibility,
                             std::vector<std::string>& substitutions);
    void rule_out(const Scored& s, const UnitFeasibility& feasibility);
    bool covered_by_ruled_out(const std::vector<std::size_t>& members, const std::vector<std::size_t>& sorted,
                              const SubsetFit& fit);
    bool crowded(const std::vector<std::size_t>& sorted) const;
    void add_ruled_out_subsets();
    void note_rejected(std::string why);
    // reasons (screen_reasons.cpp)
    void explain_subsets();
    void explain_kept_channels();

    // The arguments.
    const Table& table;
    const std::size_t target;
    const std::vector<std::size_t>& candidates;
    const std::optional<TableUnits>& units;
    const ScreenOptions& options;

    ScreenReport report;

    // The rows (constructor).
    Eigen::Index t = 0;                     // the target's column
    std::vector<Eigen::Index> target_rows;  // every row with a target value
    std::vector<Eigen::Index> rows;         // the sample of them the scores use
    Eigen::Index m = 0;                     // rows.size()
    Eigen::VectorXd y;                      // the target on those rows

    // 1. Readings.
    std::vector<std::size_t> live;  // positions into candidates still in the running
    Eigen::MatrixXd X;              // the sampled values of the live channels (NaN where missing)

    // 2. Target readings and correlated pairs.
    std::vector<bool> out_of_running;  // per live position: reads the target
    std::vector<CorrelatedPair> pairs;

    // 3. Relevance.
    std::vector<std::size_t> scored;  // live positions
    PowerLawSelection first_pass;     // the power law over every reading

    // 4. Representatives.
    std::map<std::pair<std::size_t, std::size_t>, double> pair_r;  // (a, b) with a < b, live positions
    UnionFind connected;                                           // over live positions
    std::vector<std::size_t> by_relevance;                         // live positions
    ChannelScale target_scale;
    std::vector<std::size_t> representative_of;  // live position -> its representative
    std::vector<double> unexplained;
    std::vector<double> rough;
    std::vector<double> rows_compared;   // rows the fits of its component used
    std::vector<std::size_t> kept_live;  // live positions
    PowerLawSelection power;             // the power law over the kept channels

    // 5. Short list.
    std::vector<std::size_t> kept;        // candidate positions
    std::vector<std::size_t> short_list;  // candidate positions

    // 6. Interaction scores.
    bool conditional = false;  // the short list's relevance is conditional

    // 7. Subsets.
    std::vector<std::size_t> pool;  // candidate positions
    Eigen::Index subset_stride = 1;
    Eigen::Index ms = 0;                      // subset rows
    Eigen::VectorXd ys;                       // the target on them
    std::map<std::size_t, std::size_t> slot;  // candidate position -> column of Us
    Eigen::MatrixXd Us;                       // the channels' scaled columns on the subset rows, filled on demand
    std::vector<ChannelScale> scales;
    std::vector<Scored> fits;                        // by BIC
    std::vector<std::vector<std::size_t>> accepted;  // candidate positions, sorted
    std::vector<std::size_t> supersets_taken;        // per accepted subset: how many of its supersets were taken
    std::vector<RuledOut> ruled_out;                 // by BIC
};

}  // namespace kepler::screening
