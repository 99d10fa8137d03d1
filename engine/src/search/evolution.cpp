#include "kepler/search/evolution.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <Eigen/QR>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "additive_terms.hpp"
#include "dimension_rules.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/hashing.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/linear_fit.hpp"
#include "kepler/fitting/sequential_scoring.hpp"
#include "kepler/search/target_transform.hpp"
#include "search_rows.hpp"
#include "stop_signal.hpp"
#include "variation.hpp"
#include "wire_format.hpp"

namespace kepler {

namespace {

using Clock = std::chrono::steady_clock;
using detail::kMaxFactors;
using detail::kMaxTerms;
using detail::Rng;
using detail::Span;
using detail::split_terms;
using detail::subtree_expression;
using detail::Term;
using detail::term_expression;

// The shape of the search. None of these depends on the machine (the thread count least of
// all), so a run stopped by max_evaluations is reproducible anywhere.
constexpr std::size_t kIslands = 8;
constexpr std::size_t kPopulation = 100;           // per island
constexpr std::size_t kTournament = 8;             // of the population of kPopulation
constexpr std::size_t kEpochEvaluations = 20'000;  // per island and epoch: some 10-50 ms
constexpr std::size_t kMigrants = 2;               // the best few, to the next island in the ring
constexpr std::size_t kImmigrants = 3;             // random newcomers per island and epoch
constexpr std::size_t kInitialNodes = 9;           // random trees are at most this large
constexpr std::size_t kEpochsAfterExact = 2;       // with stop_when_exact: to find a shorter one
constexpr std::size_t kStallShare = 100;           // an epoch with under 1/100 of its quota evaluated ends the search
// Fitness = bits(f) + kErrorWeight * log2(relative error): halving the error is worth some
// 16 nodes. In the trials 20 kept the search on short formulas that fit roughly (each right
// term added costs bits before it pays), 50 to 120 did alike; the formula's length still
// decides between fits equal to the floor. Errors below the floor are rounding.
constexpr double kErrorWeight = 64.0;
constexpr double kErrorFloor = 1e-9;
// A fit this close might be exact: score it on all rows (the enumerator's gate).
constexpr double kExactGate = 1e-6;
constexpr double kMaxMagnitude = 1e150;
constexpr double kCrossoverRate = 0.2;
// Levenberg-Marquardt for the constants of an offspring: on this fraction of them, with a few
// steps from the current values (the search supplies the restarts).
constexpr double kConstantFitRate = 0.25;
constexpr int kConstantFitSteps = 10;
constexpr int kVariationTries = 8;
// The most evaluations one new individual can cost: two evaluations of its terms (each
// subtree once, plus the factors applied) and one LM fit of the terms with their
// coefficients (2 * (steps + 1) evaluations of a tree that repeats shared factors per term).
constexpr std::size_t kIndividualBound =
    2 * (kMaxEvolvedNodes + kMaxTerms * kMaxFactors) +
    2 * (static_cast<std::size_t>(kConstantFitSteps) + 1) * (kMaxTerms * (kMaxEvolvedNodes + 3) + 2);

struct Individual {
    Expression f;
    std::vector<Dimension> dims;  // per node (type_nodes)
    double bits = 0.0;            // complexity of f
    // Relative RMS error in y (over the standard deviation of y) on the sample rows of
    // y = T^-1(sum_j coefficients[j] * term_j + offset), the least-squares fit in T's space.
    double error = 1.0;
    double fitness = std::numeric_limits<double>::infinity();
    std::size_t transform = 0;
    std::vector<double> coefficients;  // per term of split_terms(f); 0 for a term left out
    double offset = 0.0;
    std::uint64_t key = 0;  // the fit: individuals with equal keys are one
};

struct Island {
    Rng rng;
    std::vector<Individual> population;
    std::unordered_map<std::uint64_t, std::size_t> position;  // key -> index in population
    std::vector<Expression> seeds;                            // still to enter the population
    std::size_t next_seed = 0;
    ParetoFront front;
    // The island's hall of fame: the individuals of least sample error for their bits, by
    // increasing bits. Offered to the full-rows front as they enter; source of migrants.
    std::vector<Individual> hall;
    std::size_t oldest = 0;  // the population is a ring: a newcomer replaces the oldest
    double exact_bits = std::numeric_limits<double>::infinity();  // smallest f found exact
    bool exact = false;
    std::size_t evaluations = 0;
    // Scratch of evaluate(), kept for finalize().
    Evaluator evaluator;
    std::vector<Term> terms;
    Eigen::MatrixXd columns;  // sample rows x terms: each term's values, with its sign
    std::vector<std::pair<Span, Eigen::VectorXd>> subtree_values;
    std::vector<std::size_t> varying;  // the terms that are not constant
    Eigen::MatrixXd design, residuals;
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr;
    Eigen::VectorXd predicted;
};

// A least-squares fit T_k(y) ~ sum_j coefficients_j * term_j + offset and its relative
// error in T_k's space.
constexpr std::size_t kNone = ~std::size_t{0};
struct Fit {
    std::size_t transform = kNone;
    bool with_offset = true;
    double error = 0.0;
};

// `v` as a simple fraction p/q (q <= 12) when it is one up to rounding; else `v`.
double snap_to_rounding(double v) {
    for (int q = 1; q <= 12; ++q) {
        const double p = std::round(v * q);
        if (std::abs(p - v * q) <= 1e-9 * std::abs(v * q)) return p / q;
    }
    return v;
}

std::size_t operator_nodes(const Expression& e) {
    std::size_t n = 0;
    for (const Node& node : e.nodes()) n += arity(node.op) > 0 ? 1 : 0;
    return std::max<std::size_t>(1, n);
}

// g <- T^-1(g), numerically (TargetTransform::inverse is the same map as a formula).
void inverse_in_place(const TargetTransform& t, Eigen::VectorXd& g) {
    auto a = g.array();
    switch (t.kind()) {
        case TargetTransformKind::Identity:
            return;
        case TargetTransformKind::Inverse:
            a = a.inverse();
            return;
        case TargetTransformKind::Square:
            a = t.sign() * a.sqrt();
            return;
        case TargetTransformKind::Sqrt:
            a = a.square();
            return;
        case TargetTransformKind::Log:
            a = a.exp();
            return;
        case TargetTransformKind::InverseSquare:
            a = t.sign() * a.rsqrt();
            return;
        case TargetTransformKind::Exp:
            a = a.log();
            return;
        case TargetTransformKind::Asin:
            a = a.sin();
            return;
        case TargetTransformKind::Acos:
            a = a.cos();
            return;
        case TargetTransformKind::Atan:
            a = a.tan();
            return;
        case TargetTransformKind::Sin:
            a = a.asin();
            return;
        case TargetTransformKind::Cos:
            a = a.acos();
            return;
        case TargetTransformKind::Tan:
            a = a.atan();
            return;
    }
}

double uniform(Rng& rng) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

class Evolution {
public:
    Evolution(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SearchOptions& options,
              const std::vector<Expression>& seeds)
        : X_(X),
          y_(y),
          options_(options),
          seeds_(seeds),
          start_(Clock::now()),
          variation_(detail::Grammar{}),
          stop_(options.cancel, options.time_limit_seconds) {
        if (options.peers && options.peers->size() > 1) {
            peers_ = options.peers;
            rank_ = static_cast<std::size_t>(peers_->rank());
            ranks_ = static_cast<std::size_t>(peers_->size());
        }
        detail::Grammar grammar;
        for (Op op : options.operators.empty() ? default_search_operators() : options.operators) {
            if (arity(op) == 1) grammar.unary.push_back(op);
            if (arity(op) == 2) grammar.binary.push_back(op);
        }
        grammar.dimensional = options.dimensions.has_value();
        grammar.variables = grammar.dimensional ? options.dimensions->variables
                                                : std::vector<Dimension>(static_cast<std::size_t>(X.cols()));
        grammar.max_nodes = kMaxEvolvedNodes;
        model_.operator_count = static_cast<int>(grammar.unary.size() + grammar.binary.size());
        model_.variable_count = static_cast<int>(X.cols());
        variation_ = detail::Variation(std::move(grammar));
        exact_rmse_ = exact_rmse_bound(root_mean_square(y));
        report_.front = ParetoFront(exact_rmse_);
    }

    SearchReport run() {
        // With peers every rank goes on to evolve(), where the ranks decide together whether to stop.
        if (peers_ || !stop_requested()) {
            take_sample();
            shuffle_rows();
            prepare_transforms();
            // A target without variation leaves nothing to fit.
            if (!transforms_.empty()) {
                prepare_root_dimensions();
                make_islands();
                evolve();
            }
        }
        finish();
        return std::move(report_);
    }

private:
    // ---- set-up (the sample and the transforms as the enumerator makes them) ----

    // The enumerator's sample (search_rows.hpp): the same seed gives the same rows.
    void take_sample() {
        detail::Rows sample = detail::sample_rows(X_, y_, options_.sample_rows, options_.seed);
        Xs_ = std::move(sample.X);
        ys_ = std::move(sample.y);
    }

    // All rows in a random order, for the sequential scoring of finalists.
    void shuffle_rows() {
        detail::Rows shuffled = detail::shuffled_rows(X_, y_, options_.seed ^ 0x65766f6c7665ull);
        Xr_ = std::move(shuffled.X);
        yr_ = std::move(shuffled.y);
    }

    void prepare_transforms() {
        for (detail::SearchTransform& t : detail::search_transforms(y_, ys_, options_.dimensions)) {
            transforms_.push_back(t.transform);
            transform_dims_.push_back(t.dimension);
            allow_offset_.push_back(t.allow_offset);
            target_norms_.push_back(t.centred_norm);
            target_means_.push_back(t.values.mean());
            target_squares_.push_back(t.values.squaredNorm());
            targets_.push_back(std::move(t.values));
        }
        targets_matrix_.resize(ys_.size(), static_cast<Eigen::Index>(targets_.size()));
        for (std::size_t k = 0; k < targets_.size(); ++k)
            targets_matrix_.col(static_cast<Eigen::Index>(k)) = targets_[k];
        y_norm_ = (ys_.array() - ys_.mean()).matrix().squaredNorm();
        centred_targets_.resize(ys_.size(), static_cast<Eigen::Index>(targets_.size()));
        for (std::size_t k = 0; k < targets_.size(); ++k)
            centred_targets_.col(static_cast<Eigen::Index>(k)) = targets_[k].array() - targets_[k].mean();
    }

    bool dimensional() const { return options_.dimensions.has_value(); }

    // Whether T_k(y) = a*f + b can hold for f of dimension df (dimension_rules.hpp).
    bool scale_admissible(std::size_t k, const Dimension& df) const {
        return detail::scale_admissible(options_.dimensions, transform_dims_[k], df);
    }

    // Dimensions a random formula may be grown for: those some transform admits.
    void prepare_root_dimensions() {
        auto add = [this](const Dimension& d) {
            if (std::find(root_dims_.begin(), root_dims_.end(), d) == root_dims_.end()) root_dims_.push_back(d);
        };
        if (!dimensional()) {
            add(Dimension{});
            return;
        }
        const DimensionalConstraints& c = *options_.dimensions;
        for (const Dimension& dt : transform_dims_) {
            add(dt);
            try {
                if (c.scale == DimensionalConstraints::Scale::PowerOfConstant)
                    for (const Dimension& constant : c.constant_dimensions)
                        for (int n = -8; n <= 8; ++n)
                            if (n != 0) add(dt / constant.pow(Rational(n, 2)));
            } catch (const std::overflow_error&) {}
        }
        if (c.scale == DimensionalConstraints::Scale::Free) {
            add(Dimension{});
            for (const Dimension& d : c.variables) add(d);
        }
        // Only those a random tree can have (M^2 L^4 T^-4 may need more leaves than a new tree
        // gets): tried with a fixed generator, so the choice is reproducible.
        Rng rng(0x6b65706c6572ull);
        std::vector<Dimension> buildable;
        for (const Dimension& d : root_dims_) {
            for (int attempt = 0; attempt < 32; ++attempt) {
                if (variation_.random_tree(rng, d, kInitialNodes)) {
                    buildable.push_back(d);
                    break;
                }
            }
        }
        if (!buildable.empty()) root_dims_ = std::move(buildable);
    }

    // Each island gets the seeds themselves and its share of their subtrees (round robin).
    void make_islands() {
        std::vector<Expression> whole, parts;
        std::unordered_set<std::uint64_t> seen;
        for (const Expression& s : seeds_) {
            if (s.empty() || !s.well_formed() || s.variable_count() > static_cast<std::size_t>(X_.cols())) continue;
            Expression e = s.with_parameters_frozen();
            if (e.size() > kMaxEvolvedNodes || !seen.insert(e.hash()).second) continue;
            whole.push_back(e);
        }
        for (const Expression& e : whole) {
            for (std::size_t last = 0; last + 1 < e.size(); ++last) {
                const std::size_t begin = e.subtree_begin(last);
                if (last + 1 - begin < 3) continue;
                Expression part(std::vector<Node>(e.nodes().begin() + static_cast<std::ptrdiff_t>(begin),
                                                  e.nodes().begin() + static_cast<std::ptrdiff_t>(last + 1)));
                if (seen.insert(part.hash()).second) parts.push_back(std::move(part));
            }
        }
        islands_.resize(kIslands);
        for (std::size_t i = 0; i < kIslands; ++i) {
            Island& is = islands_[i];
            // Island i of rank r is island r * kIslands + i of the whole job: one process is rank 0.
            const std::size_t global = rank_ * kIslands + i;
            std::seed_seq seq{static_cast<std::uint32_t>(options_.seed),
                              static_cast<std::uint32_t>(options_.seed >> 32), static_cast<std::uint32_t>(global),
                              0x65766fu};
            is.rng.seed(seq);
            is.front = ParetoFront(exact_rmse_);
            // Terms equal up to rounding (x*y and y*x) count as one: without this their
            // coefficients come out as +-1e12 and cancel.
            is.qr.setThreshold(1e-10);
            for (std::size_t j = 0; j < whole.size() && is.seeds.size() < kPopulation / 4; ++j)
                is.seeds.push_back(whole[j]);
            for (std::size_t j = i; j < parts.size() && is.seeds.size() < kPopulation / 2; j += kIslands)
                is.seeds.push_back(parts[j]);
        }
    }

    // ---- the epochs ----

    void evolve() {
        std::size_t epoch = 0;
        std::size_t after_exact = 0;
        report_progress(true);
        // With peers, whether to stop is decided together (a clock or a signal differs per rank).
        bool stop_all = peers_ && !all_agree(peers_, !stop_requested());
        const std::size_t islands_in_job = kIslands * ranks_;
        while (!(peers_ ? stop_all : stop_requested())) {
            std::size_t quota = kEpochEvaluations;
            if (options_.max_evaluations > 0) {
                const std::size_t left =
                    options_.max_evaluations - std::min(options_.max_evaluations, report_.evaluations);
                const std::size_t share = left / islands_in_job;
                if (share <= kIndividualBound) {
                    report_.evaluation_limit_reached = true;
                    break;
                }
                quota = std::min(quota, share - kIndividualBound);
            }
            tbb::parallel_for(
                tbb::blocked_range<std::size_t>(0, kIslands, 1),
                [&](const tbb::blocked_range<std::size_t>& r) {
                    for (std::size_t i = r.begin(); i != r.end(); ++i) run_epoch(islands_[i], quota, epoch);
                },
                tbb::simple_partitioner());
            const std::size_t before = report_.evaluations;
            std::vector<std::vector<Individual>> outgoing = pick_migrants();
            Round round = end_round(outgoing.back());
            // An epoch whose attempts almost all failed (random trees of the target's dimension
            // that the grammar can hardly build, offspring all seen before) would repeat until
            // the clock: an evaluation budget never runs out then (seen: I.32.5 at noise 0.01
            // spinning in random_tree for minutes under 3e5 evaluations). Stop instead.
            if (report_.evaluations - before < islands_in_job * quota / kStallShare) break;
            migrate(outgoing, round);
            ++epoch;
            report_progress(false);
            if (report_.exact && options_.stop_when_exact && ++after_exact > kEpochsAfterExact) break;
            stop_all = round.stop;
        }
    }

    void run_epoch(Island& is, std::size_t quota, std::size_t epoch) {
        const std::size_t start = is.evaluations;
        std::size_t newcomers = epoch > 0 ? kImmigrants : 0;
        // A guard against a grammar in which no variation ever succeeds.
        std::size_t attempts = 0;
        while (is.evaluations - start < quota && attempts++ < quota) {
            if (stop_requested()) return;
            Individual child;
            // A population not yet full takes newcomers and offspring alike: a narrow problem
            // (few formulas of the target's dimension) may never fill it with newcomers.
            const bool filling =
                is.population.size() < kPopulation && (is.population.size() < kTournament || uniform(is.rng) < 0.5);
            if (newcomers > 0 && is.population.size() >= kPopulation) {
                --newcomers;
                if (newcomers == 0 && !is.hall.empty()) {
                    // The last newcomer of an epoch is a member of the hall of fame.
                    admit(is, Individual(
                                  is.hall[std::uniform_int_distribution<std::size_t>(0, is.hall.size() - 1)(is.rng)]));
                } else if (newcomer(is, child)) {
                    admit(is, std::move(child));
                }
            } else if (filling || is.population.empty()) {
                if (newcomer(is, child)) admit(is, std::move(child));
            } else if (offspring(is, child)) {
                admit(is, std::move(child));
            }
        }
    }

    // A seed not yet used, or a random formula of an admissible dimension.
    bool newcomer(Island& is, Individual& child) {
        while (is.next_seed < is.seeds.size()) {
            child.f = is.seeds[is.next_seed++];
            if (type_nodes(child.f, variation_.grammar(), child.dims) && evaluate(is, child)) return true;
        }
        const Dimension& d = root_dims_[std::uniform_int_distribution<std::size_t>(0, root_dims_.size() - 1)(is.rng)];
        std::optional<Expression> e = variation_.random_tree(is.rng, d, kInitialNodes);
        if (!e) return false;
        child.f = std::move(*e);
        return type_nodes(child.f, variation_.grammar(), child.dims) && evaluate(is, child);
    }

    bool offspring(Island& is, Individual& child) {
        for (int attempt = 0; attempt < kVariationTries; ++attempt) {
            const Individual& p = is.population[tournament(is, false)];
            std::optional<Expression> e;
            const double u = uniform(is.rng);
            if (u < kCrossoverRate) {
                const Individual& q = is.population[tournament(is, false)];
                e = variation_.crossover(is.rng, p.f, p.dims, q.f, q.dims);
            } else if (u < 0.45) {
                e = variation_.subtree_mutation(is.rng, p.f, p.dims);
            } else if (u < 0.6) {
                e = variation_.point_mutation(is.rng, p.f, p.dims);
            } else if (u < 0.7) {
                e = variation_.constant_mutation(is.rng, p.f);
            } else if (u < 0.8) {
                e = variation_.hoist_mutation(is.rng, p.f, p.dims);
            } else {
                e = variation_.extend_mutation(is.rng, p.f, p.dims);
            }
            if (!e || e->size() > kMaxEvolvedNodes) continue;
            child.f = std::move(*e);
            if (!type_nodes(child.f, variation_.grammar(), child.dims)) continue;
            if (!evaluate(is, child)) continue;
            if (uniform(is.rng) < kConstantFitRate) fit_constants_of(is, child);
            return true;
        }
        return false;
    }

    // The index of the best (or, for replacement, the worst) of a few random individuals.
    std::size_t tournament(Island& is, bool worst) {
        std::uniform_int_distribution<std::size_t> pick(0, is.population.size() - 1);
        std::size_t chosen = pick(is.rng);
        for (std::size_t t = 1; t < kTournament; ++t) {
            const std::size_t c = pick(is.rng);
            const double a = is.population[c].fitness, b = is.population[chosen].fitness;
            if (worst ? a > b : a < b) chosen = c;
        }
        return chosen;
    }

    // Adds `c` to the population: in place of the individual with the same fit if `c` is
    // shorter (else not at all), into a free place, or over the oldest individual
    // (regularized evolution: nobody stays for ever, however fit, which keeps the population
    // moving; the best are kept in the hall of fame).
    void admit(Island& is, Individual&& c) {
        if (auto it = is.position.find(c.key); it != is.position.end()) {
            Individual& twin = is.population[it->second];
            if (c.bits < twin.bits) twin = std::move(c);
            return;
        }
        if (is.population.size() < kPopulation) {
            is.position.emplace(c.key, is.population.size());
            is.population.push_back(std::move(c));
            return;
        }
        const std::size_t v = is.oldest;
        is.oldest = (is.oldest + 1) % kPopulation;
        is.position.erase(is.population[v].key);
        is.position.emplace(c.key, v);
        is.population[v] = std::move(c);
    }

    // Ring migration, between epochs: each island sends its best individual and a few members
    // of its hall of fame to the next island. With peers the ring runs through all ranks: the
    // last island of rank r sends to the first of rank r + 1 (end_round carries them).
    std::vector<std::vector<Individual>> pick_migrants() {
        std::vector<std::vector<Individual>> outgoing(kIslands);
        for (std::size_t i = 0; i < kIslands; ++i) {
            Island& is = islands_[i];
            if (is.population.empty()) continue;
            std::size_t best = 0;
            for (std::size_t j = 1; j < is.population.size(); ++j)
                if (is.population[j].fitness < is.population[best].fitness) best = j;
            outgoing[i].push_back(is.population[best]);
            for (std::size_t m = 1; m < kMigrants && !is.hall.empty(); ++m)
                outgoing[i].push_back(
                    is.hall[std::uniform_int_distribution<std::size_t>(0, is.hall.size() - 1)(is.rng)]);
        }
        return outgoing;
    }

    // What the ranks tell each other after an epoch: the evaluations and exact flags summed up
    // (report_ then holds the job's), whether any rank must stop, and the migrants that arrive
    // at this rank's first island.
    struct Round {
        bool stop = false;
        std::vector<Individual> incoming;
    };

    Round end_round(const std::vector<Individual>& last_island_migrants) {
        std::size_t local = 0;
        bool exact = false;
        for (const Island& is : islands_) {
            local += is.evaluations;
            exact = exact || is.exact;
        }
        Round round;
        if (!peers_) {
            report_.evaluations = local;
            report_.exact = report_.exact || exact;
            return round;
        }
        ByteWriter out;
        out.put<std::uint64_t>(local);
        out.put<std::uint8_t>(exact);
        out.put<std::uint8_t>(stop_requested());
        out.put<std::uint64_t>(last_island_migrants.size());
        for (const Individual& m : last_island_migrants) put_individual(out, m);
        const std::vector<std::string> all = peers_->all_gather(out.bytes());
        report_.evaluations = 0;
        for (std::size_t r = 0; r < all.size(); ++r) {
            ByteReader in(all[r]);
            report_.evaluations += static_cast<std::size_t>(in.get<std::uint64_t>());
            const bool rank_exact = in.get<std::uint8_t>() != 0;  // read each field: no || short cut
            const bool rank_stop = in.get<std::uint8_t>() != 0;
            report_.exact = report_.exact || rank_exact;
            round.stop = round.stop || rank_stop;
            if (r != (rank_ + ranks_ - 1) % ranks_) continue;
            const auto n = in.get<std::uint64_t>();
            for (std::uint64_t k = 0; k < n; ++k) {
                std::optional<Individual> m = get_individual(in);
                if (m) round.incoming.push_back(std::move(*m));
            }
        }
        return round;
    }

    void migrate(std::vector<std::vector<Individual>>& outgoing, Round& round) {
        for (std::size_t i = 0; i + 1 < kIslands; ++i)
            for (Individual& m : outgoing[i]) admit(islands_[i + 1], std::move(m));
        for (Individual& m : peers_ ? round.incoming : outgoing.back()) admit(islands_[0], std::move(m));
    }

    // An individual as bytes: its formula and fit (its node dimensions are typed again on arrival).
    static void put_individual(ByteWriter& out, const Individual& m) {
        detail::put_expression(out, m.f);
        out.put(m.bits);
        out.put(m.error);
        out.put(m.fitness);
        out.put<std::uint64_t>(m.transform);
        out.put<std::uint64_t>(m.coefficients.size());
        for (double c : m.coefficients) out.put(c);
        out.put(m.offset);
        out.put(m.key);
    }

    // Nothing if the formula does not type under this rank's grammar (the same binary and
    // options on every rank make that a corrupt message; it is dropped, never admitted).
    std::optional<Individual> get_individual(ByteReader& in) const {
        Individual m;
        m.f = detail::get_expression(in);
        m.bits = in.get<double>();
        m.error = in.get<double>();
        m.fitness = in.get<double>();
        m.transform = static_cast<std::size_t>(in.get<std::uint64_t>());
        const auto n = in.get<std::uint64_t>();
        for (std::uint64_t k = 0; k < n; ++k) m.coefficients.push_back(in.get<double>());
        m.offset = in.get<double>();
        m.key = in.get<std::uint64_t>();
        if (m.f.empty() || m.transform >= transforms_.size() || !type_nodes(m.f, variation_.grammar(), m.dims))
            return std::nullopt;
        return m;
    }

    // ---- fitness ----

    // Evaluates c.f on the sample rows (c.dims set) and fills its fit; false if it has no
    // admissible transform or bad values. Each additive term of f gets a coefficient of its
    // own: T(y) ~ sum_j a_j * term_j + b by linear least squares (a QR of the terms' values),
    // so a partial sum of the right terms already fits well (the landscape of x*y + z*w + ...
    // is smoother than with one scale for the whole sum). An individual that enters the
    // island's hall of fame (or might be exact) is also scored on all rows and offered to
    // the island's front.
    bool evaluate(Island& is, Individual& c) {
        const Dimension& root = c.dims.back();
        bool offset_fits = false, plain_fits = false;
        for (std::size_t k = 0; k < transforms_.size(); ++k)
            if (scale_admissible(k, root)) (allow_offset_[k] ? offset_fits : plain_fits) = true;
        if (!offset_fits && !plain_fits) return false;
        split_terms(c.f, is.terms);
        const Eigen::Index m = Xs_.rows();
        const auto n = static_cast<Eigen::Index>(is.terms.size());
        is.columns.resize(m, n);
        is.varying.clear();
        // Each subtree (summand or factor) is evaluated once; a factor shared by several
        // terms is reused. One evaluation per operator node, and one per factor applied.
        is.subtree_values.clear();
        is.subtree_values.reserve(kMaxTerms * (1 + kMaxFactors));  // no reallocation: references stay valid
        auto values_of = [&](const Span& sp) -> const Eigen::VectorXd& {
            for (const auto& [b, v] : is.subtree_values)
                if (b.begin == sp.begin && b.last == sp.last) return v;
            Eigen::VectorXd v(m);
            if (sp.begin == 0 && sp.last + 1 == c.f.size()) {
                is.evaluator.evaluate(c.f, Xs_, v);
                is.evaluations += operator_nodes(c.f);
            } else {
                const Expression e = subtree_expression(c.f, sp);
                is.evaluator.evaluate(e, Xs_, v);
                is.evaluations += operator_nodes(e);
            }
            is.subtree_values.emplace_back(sp, std::move(v));
            return is.subtree_values.back().second;
        };
        for (Eigen::Index j = 0; j < n; ++j) {
            const Term& t = is.terms[static_cast<std::size_t>(j)];
            auto col = is.columns.col(j);
            col = t.sign * values_of(t.summand);
            for (const auto& [factor, op] : t.factors) {
                const Eigen::VectorXd& v = values_of(factor);
                if (op == Op::Mul)
                    col.array() *= v.array();
                else
                    col.array() /= v.array();
                ++is.evaluations;
            }
            const auto v = col.array();
            // Not finite (the comparison is false for NaN) or too large.
            if (!(v.abs() <= kMaxMagnitude).all()) return false;
            const double lo = v.minCoeff(), hi = v.maxCoeff();
            if (hi - lo > 1e-12 * std::max(std::abs(lo), std::abs(hi)))
                is.varying.push_back(static_cast<std::size_t>(j));
        }
        if (is.varying.empty()) return false;  // a constant formula

        // Least squares for every transform at once, with an offset (constant terms are left
        // out: the offset stands for them) and, where T(y) has a dimension, without one.
        std::array<Fit, 3> tried;  // y itself, then the two others that fit best in their space
        auto consider = [&](std::size_t k, bool with_offset, double error) {
            const Fit fit{k, with_offset, error};
            if (transforms_[k].kind() == TargetTransformKind::Identity)
                tried[0] = fit;
            else if (tried[1].transform == kNone || error < tried[1].error) {
                tried[2] = tried[1];
                tried[1] = fit;
            } else if (tried[2].transform == kNone || error < tried[2].error) {
                tried[2] = fit;
            }
        };
        const auto K = static_cast<Eigen::Index>(transforms_.size());
        Eigen::MatrixXd offset_coefficients, plain_coefficients;
        Eigen::RowVectorXd means;
        if (offset_fits) {
            is.design.resize(m, static_cast<Eigen::Index>(is.varying.size()));
            for (std::size_t j = 0; j < is.varying.size(); ++j)
                is.design.col(static_cast<Eigen::Index>(j)) = is.columns.col(static_cast<Eigen::Index>(is.varying[j]));
            means = is.design.colwise().mean();
            is.design.rowwise() -= means;
            is.qr.compute(is.design);
            offset_coefficients = is.qr.solve(centred_targets_);
            is.residuals = centred_targets_ - is.design * offset_coefficients;
            for (Eigen::Index k = 0; k < K; ++k) {
                const auto ku = static_cast<std::size_t>(k);
                if (!allow_offset_[ku] || !scale_admissible(ku, root)) continue;
                const double error = std::sqrt(is.residuals.col(k).squaredNorm() / target_norms_[ku]);
                if (std::isfinite(error)) consider(ku, true, error);
            }
        }
        if (plain_fits) {
            is.qr.compute(is.columns);
            plain_coefficients = is.qr.solve(targets_matrix_);
            is.residuals = targets_matrix_ - is.columns * plain_coefficients;
            for (Eigen::Index k = 0; k < K; ++k) {
                const auto ku = static_cast<std::size_t>(k);
                if (allow_offset_[ku] || !scale_admissible(ku, root)) continue;
                const double error = std::sqrt(is.residuals.col(k).squaredNorm() / target_norms_[ku]);
                if (std::isfinite(error)) consider(ku, false, error);
            }
        }

        // The transform is chosen by the error in y itself: errors in the transformed spaces
        // do not compare (exp(y) is ruled by its largest value, so a fit there can be good on
        // one row and nowhere else). Mapping back costs a transcendental function per row, so
        // only y itself and the two transforms that fit best in their own space are tried.
        double best = std::numeric_limits<double>::infinity();
        for (const Fit& fit : tried) {
            if (fit.transform == kNone) continue;
            const auto k = static_cast<Eigen::Index>(fit.transform);
            double offset = 0.0;
            if (fit.with_offset) {
                // b = mean(T) - means . a, so a . terms + b = a . centred terms + mean(T).
                offset = target_means_[fit.transform] - means.dot(offset_coefficients.col(k));
                is.predicted = (is.design * offset_coefficients.col(k)).array() + target_means_[fit.transform];
            } else {
                is.predicted = is.columns * plain_coefficients.col(k);
            }
            inverse_in_place(transforms_[fit.transform], is.predicted);
            const double error = std::sqrt((ys_ - is.predicted).squaredNorm() / y_norm_);
            // Ties go to the earlier (y itself first); false for NaN: a prediction not finite.
            if (!(error < best)) continue;
            best = error;
            c.transform = fit.transform;
            c.offset = offset;
            c.coefficients.assign(is.terms.size(), 0.0);
            if (fit.with_offset) {
                for (std::size_t j = 0; j < is.varying.size(); ++j)
                    c.coefficients[is.varying[j]] = offset_coefficients(static_cast<Eigen::Index>(j), k);
            } else {
                for (std::size_t j = 0; j < is.terms.size(); ++j)
                    c.coefficients[j] = plain_coefficients(static_cast<Eigen::Index>(j), k);
            }
        }
        if (!std::isfinite(best)) return false;
        if (std::all_of(c.coefficients.begin(), c.coefficients.end(), [](double a) { return a == 0.0; })) return false;
        c.error = best;
        c.bits = model_.bits(c.f);
        const double floored = std::max(best, kErrorFloor);
        c.fitness = c.bits + kErrorWeight * std::log2(floored);
        c.key = avalanche(
            fnv1a(fnv1a(kFnvOffset, c.transform), static_cast<std::uint64_t>(std::llround(std::log2(floored) * 1e9))));
        const bool maybe_exact = best <= kExactGate && c.bits < is.exact_bits;
        if (enter_hall(is, c, floored) || maybe_exact) finalize(is, c);
        return true;
    }

    // Adds `c` to the hall of fame if no member has as few bits and as small an error.
    static bool enter_hall(Island& is, const Individual& c, double error) {
        auto& hall = is.hall;
        const auto floored = [](const Individual& m) { return std::max(m.error, kErrorFloor); };
        for (const Individual& m : hall)
            if (m.bits <= c.bits && floored(m) <= error * (1.0 + 1e-9)) return false;
        std::erase_if(hall, [&](const Individual& m) { return m.bits >= c.bits && floored(m) >= error; });
        const auto at = std::upper_bound(hall.begin(), hall.end(), c.bits,
                                         [](double bits, const Individual& m) { return bits < m.bits; });
        hall.insert(at, c);
        return true;
    }

    // The formula y = T^-1(sum_j a_j * term_j + b) of `c`, scored on all rows and offered to
    // the island's front, with two sets of constants (as the enumerator finalises): the
    // least-squares ones and the simplest that fit as well. One term: simplest_affine_fit;
    // several: each constant rounded to a simple fraction where that is only rounding.
    // Runs right after evaluate(c), whose scratch it reads.
    void finalize(Island& is, const Individual& c) {
        if (stop_requested()) return;
        const std::size_t k = c.transform;
        const TargetTransform& transform = transforms_[k];
        // Scored on all rows in growing batches, dropped early once it surely cannot join the
        // island's front (sequential_scoring.hpp): most hall-of-fame entries do not.
        auto offer = [&](const Expression& g) {
            Expression e = transform.inverse(g);
            const double bar = is.front.rmse_to_beat(model_.bits(e));
            SequentialScore scored = score_candidate_sequential(std::move(e), Xr_, yr_, model_, is.evaluator, bar);
            std::optional<Candidate>& cand = scored.candidate;
            if (!cand) return;
            if (cand->rmse <= exact_rmse_) {
                is.exact = true;
                is.exact_bits = std::min(is.exact_bits, c.bits);
            }
            is.front.insert(std::move(*cand));
        };
        if (is.terms.size() == 1) {
            const std::span<const double> fs(is.columns.data(), static_cast<std::size_t>(is.columns.rows()));
            const std::span<const double> ts(targets_[k].data(), static_cast<std::size_t>(targets_[k].size()));
            SnapOptions snap;
            snap.allow_offset = allow_offset_[k];
            const AffineFit simple = simplest_affine_fit(fs, ts, model_, snap);
            const AffineFit ls = allow_offset_[k] ? fit_affine(fs, ts) : fit_scale(fs, ts);
            for (const AffineFit& fit : {simple, ls}) {
                if (&fit == &ls && ls.scale == simple.scale && ls.offset == simple.offset) break;
                if (fit.scale == 0.0 || !std::isfinite(fit.scale) || !std::isfinite(fit.offset)) continue;
                offer(apply_affine(c.f, fit.scale, fit.offset));
            }
            return;
        }
        const double target_rms = std::sqrt(target_squares_[k] / static_cast<double>(targets_[k].size()));
        const double rows = static_cast<double>(is.columns.rows());
        // The simplest constants: a term whose part is below rounding goes, the other
        // constants are snapped where only rounding separates them from a simple fraction.
        std::vector<double> simple(c.coefficients);
        for (std::size_t j = 0; j < simple.size(); ++j) {
            const double rms = is.columns.col(static_cast<Eigen::Index>(j)).norm() / std::sqrt(rows);
            simple[j] = std::abs(simple[j]) * rms <= 1e-12 * target_rms ? 0.0 : snap_to_rounding(simple[j]);
        }
        const double simple_offset = std::abs(c.offset) <= 1e-12 * target_rms ? 0.0 : snap_to_rounding(c.offset);
        // Coefficients equal up to rounding are one (the formula then keeps its own shape).
        const auto nonzero = std::find_if(simple.begin(), simple.end(), [](double a) { return a != 0.0; });
        if (nonzero != simple.end() && std::all_of(simple.begin(), simple.end(), [&](double a) {
                return std::abs(a - *nonzero) <= 1e-9 * std::abs(*nonzero);
            }))
            std::fill(simple.begin(), simple.end(), *nonzero);
        auto build = [&](const std::vector<double>& a, double b) {
            // All terms with one coefficient: the formula as it is, scaled (x*(y + z), not x*y + x*z).
            if (std::all_of(a.begin(), a.end(), [&](double v) { return v == a.front(); }) && a.front() != 0.0)
                return apply_affine(c.f, a.front(), b);
            Expression sum;
            for (std::size_t j = 0; j < is.terms.size(); ++j) {
                const double coefficient = a[j] * is.terms[j].sign;
                if (coefficient == 0.0) continue;
                const Expression term = term_expression(c.f, is.terms[j]);
                if (sum.empty())
                    sum = apply_affine(term, coefficient, 0.0);
                else
                    sum = Expression::binary(coefficient > 0 ? Op::Add : Op::Sub, sum,
                                             apply_affine(term, std::abs(coefficient), 0.0));
            }
            return sum.empty() ? sum : apply_affine(sum, 1.0, b);
        };
        const Expression simplest = build(simple, simple_offset), least_squares = build(c.coefficients, c.offset);
        if (!simplest.empty()) offer(simplest);
        if (!least_squares.empty() && !(least_squares == simplest)) offer(least_squares);
    }

    // Refits the constants inside c.f's terms together with the terms' coefficients and the
    // offset, by Levenberg-Marquardt on the sample rows against the transformed target; keeps
    // the result if its fitness is no worse. Every constant is fitted, integers too
    // (x*(y - 4) may need y - 3.7 once y became y*y), except the exponents of powers, which
    // carry dimensions.
    void fit_constants_of(Island& is, Individual& c) {
        std::vector<Term> terms;
        split_terms(c.f, terms);
        const std::span<const Node> f = c.f.nodes();
        const std::size_t k = c.transform;
        std::vector<Node> wrapped;
        // Node of f -> parameter slot; a constant of a factor shared by terms has one slot.
        std::vector<int> slot_of(f.size(), -1);
        std::uint16_t slots = 0;
        std::size_t fitted = 0;
        auto append = [&](const Span& sp) {
            for (std::size_t i = sp.begin; i <= sp.last; ++i) {
                if (f[i].op == Op::Const && !(i + 1 < f.size() && f[i + 1].op == Op::Pow)) {
                    if (slot_of[i] < 0) {
                        slot_of[i] = slots++;
                        ++fitted;
                    }
                    wrapped.push_back(Node::param(static_cast<std::uint16_t>(slot_of[i]), f[i].value));
                } else {
                    wrapped.push_back(f[i]);
                }
            }
        };
        std::size_t summed = 0;
        for (std::size_t j = 0; j < terms.size(); ++j) {
            if (c.coefficients[j] == 0.0) continue;
            append(terms[j].summand);
            for (const auto& [factor, op] : terms[j].factors) {
                append(factor);
                if (op == Op::Mul)
                    wrapped.push_back(Node::op_node(Op::Mul));
                else
                    wrapped.push_back(Node::op_node(Op::Div));
            }
            wrapped.push_back(Node::param(slots++, c.coefficients[j] * terms[j].sign));
            wrapped.push_back(Node::op_node(Op::Mul));
            if (++summed > 1) wrapped.push_back(Node::op_node(Op::Add));
        }
        if (fitted == 0) return;
        if (allow_offset_[k]) {
            wrapped.push_back(Node::param(slots++, c.offset));
            wrapped.push_back(Node::op_node(Op::Add));
        }
        if (std::size_t{slots} > static_cast<std::size_t>(Xs_.rows())) return;
        const Expression e = detail::make_expression(wrapped);
        ConstantFitOptions fit_options;
        fit_options.max_iterations = kConstantFitSteps;
        fit_options.restarts = 0;
        fit_options.seed = is.rng();
        const ConstantFit fit = fit_constants(e, Xs_, targets_[k], fit_options);
        is.evaluations += 2 * (static_cast<std::size_t>(fit.iterations) + 1) * operator_nodes(e);
        if (!fit.improved) return;
        std::vector<Node> nodes(f.begin(), f.end());
        for (std::size_t i = 0; i < nodes.size(); ++i)
            if (slot_of[i] >= 0) nodes[i].value = fit.parameters[static_cast<std::size_t>(slot_of[i])];
        Individual trial;
        trial.f = detail::make_expression(nodes);
        if (!type_nodes(trial.f, variation_.grammar(), trial.dims) || !evaluate(is, trial)) return;
        if (trial.fitness <= c.fitness) c = std::move(trial);
    }

    // ---- progress and stopping ----

    void report_progress(bool first) {
        if (!options_.progress) return;
        const Clock::time_point now = Clock::now();
        if (!first && std::chrono::duration<double>(now - last_progress_).count() < options_.progress_interval_seconds)
            return;
        last_progress_ = now;
        SearchProgress p;
        p.seconds = std::chrono::duration<double>(now - start_).count();
        p.evaluations = report_.evaluations;
        const Candidate* best = nullptr;
        for (const Island& is : islands_) {
            if (is.front.empty()) continue;
            const Candidate& c = is.front.best();
            if (!best || ParetoFront::total_bits(c) < ParetoFront::total_bits(*best)) best = &c;
        }
        if (best) {
            p.has_best = true;
            p.best = best->expression;
            p.rmse = best->rmse;
        }
        options_.progress(p);
    }

    bool stop_requested() const { return stop_.requested(); }

    void finish() {
        report_.evaluations = 0;
        for (const Island& is : islands_) {
            report_.evaluations += is.evaluations;
            report_.exact = report_.exact || is.exact;
            report_.front.merge(is.front);
        }
        report_.cancelled = stop_.cancelled();
        report_.timed_out = stop_.timed_out();
        if (peers_) gather_fronts();
        report_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    }

    // Every rank ends with the job's result: the fronts merged in rank order (so in global
    // island order), evaluations summed, the flags of any rank.
    void gather_fronts() {
        ByteWriter out;
        out.put<std::uint64_t>(report_.evaluations);
        out.put<std::uint8_t>(report_.exact);
        out.put<std::uint8_t>(report_.cancelled);
        out.put<std::uint8_t>(report_.timed_out);
        out.put<std::uint8_t>(report_.evaluation_limit_reached);
        detail::put_front(out, report_.front);
        const std::vector<std::string> all = peers_->all_gather(out.bytes());
        report_.front = ParetoFront(exact_rmse_);
        report_.evaluations = 0;
        for (const std::string& bytes : all) {
            ByteReader in(bytes);
            report_.evaluations += static_cast<std::size_t>(in.get<std::uint64_t>());
            std::uint8_t flags[4];  // read each field: no || short cut
            for (std::uint8_t& f : flags) f = in.get<std::uint8_t>();
            report_.exact = report_.exact || flags[0] != 0;
            report_.cancelled = report_.cancelled || flags[1] != 0;
            report_.timed_out = report_.timed_out || flags[2] != 0;
            report_.evaluation_limit_reached = report_.evaluation_limit_reached || flags[3] != 0;
            detail::get_front_into(in, report_.front);
        }
    }

    const Eigen::MatrixXd& X_;
    const Eigen::VectorXd& y_;
    const SearchOptions& options_;
    const std::vector<Expression>& seeds_;
    Clock::time_point start_, last_progress_;
    detail::Variation variation_;
    ComplexityModel model_;
    double exact_rmse_ = 0.0;

    Eigen::MatrixXd Xs_;
    Eigen::VectorXd ys_;
    Eigen::MatrixXd Xr_;  // X_ and y_ with the rows shuffled (shuffle_rows)
    Eigen::VectorXd yr_;
    std::vector<TargetTransform> transforms_;
    std::vector<Dimension> transform_dims_;
    std::vector<bool> allow_offset_;
    std::vector<Eigen::VectorXd> targets_;  // T_k(y) on the sample rows
    std::vector<double> target_norms_;      // squared norms of the centred targets
    std::vector<double> target_means_;
    std::vector<double> target_squares_;  // squared norms of the targets themselves
    double y_norm_ = 0.0;                 // squared norm of the centred y on the sample rows
    Eigen::MatrixXd centred_targets_;     // sample rows x transforms
    Eigen::MatrixXd targets_matrix_;      // the same, not centred
    std::vector<Dimension> root_dims_;

    std::vector<Island> islands_;
    detail::StopSignal stop_;
    Peers* peers_ = nullptr;  // null: this process alone (also for a job of one rank)
    std::size_t rank_ = 0, ranks_ = 1;
    SearchReport report_;
};

}  // namespace

SearchReport evolve_search(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SearchOptions& options,
                           const std::vector<Expression>& seeds) {
    detail::check_search_table(X, y, options.dimensions, "evolve_search");
    if (X.rows() == 0) return {};
    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    SearchReport report;
    arena.execute([&] { report = Evolution(X, y, options, seeds).run(); });
    return report;
}

}  // namespace kepler
