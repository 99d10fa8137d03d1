#include "kepler/search/enumerator.hpp"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <numeric>
#include <random>
#include <stdexcept>

#include "dedup_table.hpp"
#include "dimension_rules.hpp"
#include "kepler/core/array_ops.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/fitting/candidate.hpp"
#include "kepler/fitting/exact_fit.hpp"
#include "kepler/fitting/linear_fit.hpp"
#include "kepler/fitting/sequential_scoring.hpp"
#include "kepler/search/target_transform.hpp"
#include "kepler/units/dimension.hpp"
#include "search_rows.hpp"
#include "stop_signal.hpp"
#include "value_arena.hpp"
#include "wire_format.hpp"

namespace kepler {

namespace {

using Clock = std::chrono::steady_clock;
using Id = std::uint32_t;

// A tile is one task: about this many candidate pairs (~0.3-3 ms of work), so a stop request
// is noticed well within the 0.2 s the caller may wait.
constexpr std::uint64_t kTileCandidates = 1024;
// Tiles are deduplicated and committed in chunks of about this many candidates. The size is
// fixed (not derived from the thread count) because chunk boundaries decide which of two equal
// candidates survives, and that must not depend on the machine.
constexpr std::uint64_t kChunkCandidates = 1 << 16;
// A fit whose relative error in the transformed space is below this might be exact (the
// screening statistic itself is only good to ~1e-8): always score it on all rows.
constexpr double kExactGate = 1e-6;
// Values beyond this would overflow when squared in the fits.
constexpr double kMaxMagnitude = 1e150;
// After an exact fit, one more level is enumerated only if it is not much more work than all
// levels so far (each level is ~10x the last): simpler formulas come first, so the extra level
// rarely pays for a long wait.
constexpr double kExtraLevelWorkFactor = 4.0;
constexpr std::uint64_t kExtraLevelFreeCandidates = 1'000'000;
// At the noise floor (SearchOptions::residuals_are_noise) the levels after it still run, up to
// this many (each under the work check above): a formula that leaves only noise may be a
// look-alike within it, and the law a few nodes larger still fits better than chance. III.4.32
// at 1 % noise: 1/x - 0.47 (4 nodes) is at the floor, the law 1/(exp(x) - 1) two levels later.
constexpr std::size_t kNoiseFloorExtraLevels = 3;

// Owner numbers of the dedup table, smallest wins: the chunk (earlier chunks, and the leaves
// as chunk 0, always win), then the bits of the sub-expression, then the position in the chunk.
constexpr int kOwnerSeqBits = 28;
constexpr int kOwnerBitsBits = 16;
constexpr double kOwnerBitsScale = 32.0;  // bits are compared to 1/32 bit

std::uint64_t owner_number(std::uint64_t chunk, double bits, std::uint64_t seq) {
    const auto q = static_cast<std::uint64_t>(
        std::clamp(std::round(bits * kOwnerBitsScale), 0.0, double((1u << kOwnerBitsBits) - 1)));
    return (chunk << (kOwnerSeqBits + kOwnerBitsBits)) | (q << kOwnerSeqBits) | seq;
}

bool is_trig(Op op) { return op == Op::Sin || op == Op::Cos || op == Op::Tan; }

// One sub-expression of the bank. Leaves keep their index into the leaf list in `left`.
struct Entry {
    Op op;
    Id left;
    Id right;
    double bits;           // additive complexity of the sub-expression
    const double* values;  // on the sample rows
    Dimension dim;         // dimensionless when the search has no units
};

// A rectangle (or, for a commutative operator over one level, the upper triangle b >= a) of
// candidate pairs; unary tiles only use [a0, a1).
struct Tile {
    Op op;
    Id a0, a1, b0, b1;
    bool triangular;
    std::uint64_t count;  // pairs in the tile, before pruning
};

struct Pending {
    Op op;
    Id a, b;
    double bits;
    std::uint64_t key;  // of its values in the dedup table
    std::uint64_t owner;
    std::size_t slot;  // in the dedup table, or kUnclaimed
    Dimension dim;
};

constexpr std::size_t kUnclaimed = ~std::size_t{0};

// What one tile produces; reused from chunk to chunk so the buffers are allocated once.
struct TileWork {
    std::vector<Pending> pending;
    std::unique_ptr<double[]> buffer;  // values of the pending entries, one after another
    std::size_t buffer_candidates = 0;
    double* stored = nullptr;  // the kept values' place in the bank's arena
    ParetoFront front;
    std::vector<double> best_relative_error;  // per transform
    std::size_t evaluations = 0;
    bool ran = false;
    bool exact = false;
    bool mine = true;  // with peers: this rank runs the tile (else its results arrive from another)
};

struct Scratch {
    Evaluator evaluator;
    std::size_t finalist_scorings = 0;  // formulas scored on all rows (sequentially)
    std::size_t early_rejections = 0;   // ... of which were dropped before the last row
    Eigen::VectorXd centred;
    Eigen::VectorXd projections;
    Eigen::MatrixXd block_projections;  // transforms x entries of one tile
};

class Enumerator {
public:
    Enumerator(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SearchOptions& options)
        : X_(X), y_(y), options_(options), start_(Clock::now()), stop_(options.cancel, options.time_limit_seconds) {
        ops_ = options.operators.empty() ? default_search_operators() : options.operators;
        for (Op op : ops_) {
            if (arity(op) == 1) unary_.push_back(op);
            if (arity(op) == 2) binary_.push_back(op);
        }
        model_.operator_count = static_cast<int>(unary_.size() + binary_.size());
        model_.variable_count = static_cast<int>(X.cols());
        symbol_bits_ = model_.symbol_bits();
        exact_rmse_ = exact_rmse_bound(root_mean_square(y));
        // Fits that differ only below the exactness threshold are the same fit.
        report_.front = ParetoFront(exact_rmse_);
        if (options.peers && options.peers->size() > 1) {
            peers_ = options.peers;
            rank_ = static_cast<std::size_t>(peers_->rank());
            ranks_ = static_cast<std::size_t>(peers_->size());
            report_.ranks = ranks_;
        }
    }

    SearchReport run() {
        // With peers the ranks decide together (a clock or a signal differs per rank).
        if (peers_ ? !all_agree(peers_, !stop_requested()) : stop_requested()) {
            finish();
            return std::move(report_);
        }
        take_sample();
        prepare_transforms();
        offer_constant_model();
        make_leaves();
        report_progress();
        std::size_t done_level = 0;  // the level that fitted exactly or reached the noise floor
        bool extra_level = false, final_level = false;
        for (std::size_t level = 2; level <= options_.max_nodes && !stopped_; ++level) {
            if ((report_.exact || report_.at_noise_floor) && options_.stop_when_exact) {
                if (done_level == 0) done_level = level - 1;
                const std::size_t extra = report_.exact ? 1 : kNoiseFloorExtraLevels;
                if (level > done_level + extra) break;
                extra_level = true;
                final_level = level == done_level + extra;
            }
            std::vector<Tile> tiles = make_tiles(level);
            // A level can be empty (level 2 without unary operators) and the next one not.
            if (extra_level) {
                std::uint64_t work = 0;
                for (const Tile& t : tiles) work += t.count;
                const double so_far = static_cast<double>(report_.evaluations);
                if (work > kExtraLevelFreeCandidates && double(work) > kExtraLevelWorkFactor * so_far) break;
            }
            // The last level is never a child, so its values need not be kept.
            const bool last = final_level || level == options_.max_nodes;
            const bool complete = run_level(tiles, !last);
            if (!complete) break;
            report_.levels_completed = level;
            for (std::size_t k = 0; k < gate_.size(); ++k) gate_[k] = std::min(gate_[k], level_best_[k]);
            if (memory_capped_) break;
            check_noise_floor();
        }
        finish();
        return std::move(report_);
    }

private:
    // ---- set-up ----

    void take_sample() {
        detail::Rows sample = detail::sample_rows(X_, y_, options_.sample_rows, options_.seed);
        m_ = static_cast<std::size_t>(sample.y.size());
        Xs_ = std::move(sample.X);
        ys_ = std::move(sample.y);
        // All rows in a random order, for the sequential scoring of finalists.
        detail::Rows shuffled = detail::shuffled_rows(X_, y_, options_.seed ^ 0x5eed5eedULL);
        Xr_ = std::move(shuffled.X);
        yr_ = std::move(shuffled.y);
    }

    void prepare_transforms() {
        for (detail::SearchTransform& t : detail::search_transforms(y_, ys_, options_.dimensions)) {
            transforms_.push_back(t.transform);
            transform_dims_.push_back(t.dimension);
            allow_offset_.push_back(t.allow_offset);
            targets_.push_back(std::move(t.values));
            target_norms_.push_back(t.centred_norm);
        }
        const auto k = static_cast<Eigen::Index>(transforms_.size());
        centred_targets_.resize(static_cast<Eigen::Index>(m_), k);
        for (Eigen::Index j = 0; j < k; ++j)
            centred_targets_.col(j) =
                targets_[static_cast<std::size_t>(j)].array() - targets_[static_cast<std::size_t>(j)].mean();
        gate_.assign(transforms_.size(), std::numeric_limits<double>::infinity());
    }

    void offer_constant_model() {
        // y = b with a dimensional y would make b a dimensional constant.
        if (dimensional() && !options_.dimensions->target.dimensionless()) return;
        const AffineFit fit =
            simplest_constant_fit(std::span<const double>(y_.data(), static_cast<std::size_t>(y_.size())), model_);
        Evaluator evaluator;
        if (auto c = score_candidate(Expression::constant(fit.offset), X_, y_, model_, evaluator))
            accept(*c, report_.front);
    }

    void make_leaves() {
        for (Eigen::Index j = 0; j < X_.cols(); ++j) leaf_nodes_.push_back(Node::var(static_cast<std::uint16_t>(j)));
        // 1 and 2 make x + 1, 1 - x^2, x^2 = x*x does not need 2 but 2*x inside a sum does; pi
        // makes sin(pi*x) and costs no more than an operator symbol.
        leaf_nodes_.push_back(Node::constant(1.0));
        leaf_nodes_.push_back(Node::constant(2.0));
        leaf_nodes_.push_back({Op::Pi, 0, 0.0});

        double* values = arena_.allocate(leaf_nodes_.size() * m_);
        table_.reserve(leaf_nodes_.size());
        level_begin_ = {0, 0};  // level 0 is empty; level 1 starts at 0
        for (std::size_t i = 0; i < leaf_nodes_.size(); ++i) {
            double* v = values + i * m_;
            const Node& node = leaf_nodes_[i];
            if (node.op == Op::Var) {
                Eigen::Map<Eigen::VectorXd>(v, static_cast<Eigen::Index>(m_)) = Xs_.col(node.index);
            } else {
                std::fill(v, v + m_, node.op == Op::Pi ? std::numbers::pi : node.value);
            }
        }
        Scratch& scratch = scratch_.local();
        std::vector<double> best(transforms_.size(), std::numeric_limits<double>::infinity());
        std::vector<double> gate = gate_;
        bool exact = false;
        for (std::size_t i = 0; i < leaf_nodes_.size(); ++i) {
            const double* v = values + i * m_;
            const double bits = model_.bits(Expression(std::vector<Node>{leaf_nodes_[i]}));
            // A column with the values of an earlier one (or of a constant) adds nothing.
            const Dimension dim = leaf_dimension(leaf_nodes_[i]);
            const auto claim = table_.claim(value_key(v, dim), owner_number(0, 0.0, i));
            const bool duplicate = table_.owner(claim.slot) != owner_number(0, 0.0, i);
            if (duplicate && leaf_nodes_[i].op == Op::Var) continue;
            entries_.push_back({leaf_nodes_[i].op, static_cast<Id>(i), 0, bits, nullptr, dim});
            const auto id = static_cast<Id>(entries_.size() - 1);
            if (leaf_nodes_[i].op == Op::Var && !bad_values(v))
                score(leaf_nodes_[i].op, id, 0, v, dim, Eigen::VectorXd(), scratch, gate, best, report_.front, exact);
        }
        for (Entry& e : entries_) e.values = values + e.left * m_;
        stored_bytes_ += leaf_nodes_.size() * m_ * sizeof(double);
        report_.exact = report_.exact || exact;
        level_begin_.push_back(entries_.size());
        report_.levels_completed = 1;
        for (std::size_t k = 0; k < gate_.size(); ++k) gate_[k] = std::min(gate_[k], best[k]);
    }

    // ---- dimensions ----

    bool dimensional() const { return options_.dimensions.has_value(); }

    Dimension leaf_dimension(const Node& node) const {
        if (dimensional() && node.op == Op::Var) return options_.dimensions->variables[node.index];
        return Dimension{};
    }

    // Equal values of different dimensions are different sub-expressions.
    std::uint64_t value_key(const double* v, const Dimension& dim) const {
        const std::uint64_t key = detail::hash_values(v, m_);
        return dim.dimensionless() ? key : key ^ (dim.hash() * 0x9e3779b97f4a7c15ull);
    }

    // The dimension of op(a, b), or nothing if the operator cannot take operands of these
    // dimensions: + and - need like dimensions, functions and exponents dimensionless arguments,
    // and a dimensional base only takes a constant rational exponent.
    std::optional<Dimension> combine(Op op, Id a, Id b) const {
        if (!dimensional()) return Dimension{};
        const Dimension& da = entries_[a].dim;
        try {
            switch (op) {
                case Op::Neg:
                case Op::Abs:
                    return da;
                case Op::Sqrt:
                    return da.dimensionless() ? da : da.pow(Rational(1, 2));
                case Op::Square:
                    return da.dimensionless() ? da : da.pow(Rational(2));
                case Op::Add:
                case Op::Sub:
                    if (entries_[b].dim == da) return da;
                    return std::nullopt;
                case Op::Mul:
                    return da * entries_[b].dim;
                case Op::Div:
                    return da / entries_[b].dim;
                case Op::Pow: {
                    if (!entries_[b].dim.dimensionless()) return std::nullopt;
                    if (da.dimensionless()) return da;
                    const Entry& e = entries_[b];
                    if (e.op != Op::Const) return std::nullopt;
                    const double v = leaf_nodes_[e.left].value;
                    for (int q = 1; q <= 12; ++q) {
                        const double p = std::round(v * q);
                        if (std::abs(p - v * q) < 1e-12 && std::abs(p) < 1e6)
                            return da.pow(Rational(static_cast<std::int64_t>(p), q));
                    }
                    return std::nullopt;
                }
                default:  // exp log sin cos ...: dimensionless in, dimensionless out
                    if (da.dimensionless()) return da;
                    return std::nullopt;
            }
        } catch (const std::overflow_error&) {
            return std::nullopt;
        }
    }

    // Whether T_k(y) = a*f + b can hold dimensionally for f of dimension `df` (dimension_rules.hpp).
    bool scale_admissible(std::size_t k, const Dimension& df) const {
        return detail::scale_admissible(options_.dimensions, transform_dims_[k], df);
    }

    // ---- one level ----

    Id level_begin(std::size_t level) const { return static_cast<Id>(level_begin_[level]); }
    Id level_end(std::size_t level) const { return static_cast<Id>(level_begin_[level + 1]); }

    // Splits the candidate pairs of `level` into tiles, in a fixed order: unary operators, then
    // binary operators by operand sizes.
    std::vector<Tile> make_tiles(std::size_t level) const {
        std::vector<Tile> tiles;
        if (level_begin_.size() < level + 1) return tiles;
        for (Op op : unary_) {
            const Id s = level_begin(level - 1), e = level_end(level - 1);
            for (Id a = s; a < e; a = static_cast<Id>(std::min<std::uint64_t>(e, a + kTileCandidates)))
                tiles.push_back({op, a, static_cast<Id>(std::min<std::uint64_t>(e, a + kTileCandidates)), 0, 0, false,
                                 std::min<std::uint64_t>(e, a + kTileCandidates) - a});
        }
        for (Op op : binary_) {
            for (std::size_t i = 1; i + 1 < level; ++i) {
                const std::size_t j = level - 1 - i;
                if (is_commutative(op) && i > j) continue;
                add_pair_tiles(tiles, op, level_begin(i), level_end(i), level_begin(j), level_end(j),
                               is_commutative(op) && i == j);
            }
        }
        return tiles;
    }

    static void add_pair_tiles(std::vector<Tile>& tiles, Op op, Id as, Id ae, Id bs, Id be, bool triangular) {
        Id a = as;
        while (a < ae) {
            const std::uint64_t row = triangular ? be - a : be - bs;
            if (row >= kTileCandidates) {
                // A long row alone is split into several tiles.
                const Id start = triangular ? a : bs;
                for (Id b = start; b < be; b = static_cast<Id>(std::min<std::uint64_t>(be, b + kTileCandidates))) {
                    const Id b1 = static_cast<Id>(std::min<std::uint64_t>(be, b + kTileCandidates));
                    tiles.push_back({op, a, a + 1, b, b1, false, std::uint64_t(b1 - b)});
                }
                ++a;
                continue;
            }
            // Short rows are grouped until the tile is full.
            Tile t{op, a, a, bs, be, triangular, 0};
            while (t.a1 < ae) {
                const std::uint64_t r = triangular ? be - t.a1 : be - bs;
                if (t.count > 0 && t.count + r > kTileCandidates) break;
                t.count += r;
                ++t.a1;
            }
            tiles.push_back(t);
            a = t.a1;
        }
    }

    // Runs the tiles of one level chunk by chunk. Returns false if the search stopped before
    // the level was complete.
    bool run_level(const std::vector<Tile>& tiles, bool store) {
        if (store) level_begin_.push_back(entries_.size());  // the end of this level, growing
        level_best_.assign(transforms_.size(), std::numeric_limits<double>::infinity());
        gate_snapshot_ = gate_;
        std::size_t t0 = 0;
        while (t0 < tiles.size()) {
            if (stopped_by_request()) return false;
            std::size_t t1 = t0;
            std::uint64_t chunk_candidates = 0;
            while (t1 < tiles.size() && (t1 == t0 || chunk_candidates + tiles[t1].count <= kChunkCandidates))
                chunk_candidates += tiles[t1++].count;
            if (options_.max_evaluations > 0 && evaluation_bound_ + chunk_candidates > options_.max_evaluations) {
                stopped_ = true;
                report_.evaluation_limit_reached = true;
                return false;
            }
            // Chunk numbers must fit their field of the owner numbers (a million chunks, some
            // 6e10 candidates: far beyond any time limit, but never silently wrong).
            if (chunk_number_ + 1 >= (std::uint64_t{1} << (64 - kOwnerSeqBits - kOwnerBitsBits))) {
                stopped_ = true;
                return false;
            }
            // Room for every candidate of the chunk in the dedup table, within the memory cap.
            // Past the cap the level goes on without storing and only looks the table up.
            if (store) {
                const std::size_t table_bytes =
                    detail::DedupTable::capacity_for(table_.size() + chunk_candidates) * detail::DedupTable::kSlotBytes;
                if (table_bytes > table_.bytes() && stored_bytes_ + table_bytes > memory_cap()) {
                    store = false;
                    memory_capped_ = true;
                } else {
                    table_.reserve(table_.size() + chunk_candidates);
                }
            }
            claiming_ = store;
            ++chunk_number_;
            evaluation_bound_ += chunk_candidates;
            run_chunk(tiles, t0, t1, store);
            report_progress();
            t0 = t1;
        }
        // A tile that saw the stop request skipped its work: the level is then incomplete.
        return !stopped_ && !(peers_ ? peer_stop_ : stop_.stopped());
    }

    // Whether to stop between chunks. With peers every rank's request arrives with the chunk's
    // results (share_results), so all ranks stop after the same chunk.
    bool stopped_by_request() const { return peers_ ? peer_stop_ : stop_requested(); }

    void run_chunk(const std::vector<Tile>& tiles, std::size_t t0, std::size_t t1, bool& store) {
        const std::size_t count = t1 - t0;
        if (work_.size() < count) work_.resize(count);
        std::vector<std::uint64_t> seq_base(count, 0);
        for (std::size_t i = 1; i < count; ++i) seq_base[i] = seq_base[i - 1] + tiles[t0 + i - 1].count;

        // Phase 1: evaluate, drop bad and duplicate values, claim the rest in the table. With
        // peers each rank evaluates its own tiles and then takes in the other ranks' claims.
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, count, 1),
            [&](const tbb::blocked_range<std::size_t>& r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i) {
                    work_[i].mine = owns_tile(t0 + i);
                    if (work_[i].mine)
                        generate(tiles[t0 + i], seq_base[i], work_[i]);
                    else
                        clear(work_[i]);
                }
            },
            tbb::simple_partitioner());
        std::size_t pending = 0;
        for (std::size_t i = 0; i < count; ++i) pending += work_[i].pending.size();
        if (peers_ && store) pending = share_claims(count, pending);

        // Whether this chunk's survivors may be kept for reuse: the memory cap, counted with an
        // upper bound (before the duplicates among them are known).
        if (store && stored_bytes_ + table_.bytes() + pending * (m_ * sizeof(double) + sizeof(Entry)) > memory_cap()) {
            store = false;
            memory_capped_ = true;
        }

        // Phase 2: keep the winners, score them against the target.
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, count, 1),
            [&](const tbb::blocked_range<std::size_t>& r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i) settle(work_[i]);
            },
            tbb::simple_partitioner());
        if (peers_) share_results(t0, count, store);

        // Phase 3: the survivors' values into the bank (places handed out in tile order). The
        // values of another rank's survivors are computed again here from their operands.
        if (store) {
            for (std::size_t i = 0; i < count; ++i)
                work_[i].stored = work_[i].ran ? arena_.allocate(work_[i].pending.size() * m_) : nullptr;
            tbb::parallel_for(
                tbb::blocked_range<std::size_t>(0, count, 1),
                [&](const tbb::blocked_range<std::size_t>& r) {
                    for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        if (!work_[i].ran) continue;
                        if (work_[i].mine)
                            store_values(work_[i]);
                        else
                            recompute_values(work_[i]);
                    }
                },
                tbb::simple_partitioner());
        }

        // Commit in tile order: ids, values, fronts and statistics.
        for (std::size_t i = 0; i < count; ++i) {
            TileWork& w = work_[i];
            report_.evaluations += w.evaluations;
            if (w.mine) report_.evaluations_on_this_rank += w.evaluations;
            if (!w.ran) continue;
            if (store) {
                stored_bytes_ += w.pending.size() * (m_ * sizeof(double) + sizeof(Entry));
                for (std::size_t p = 0; p < w.pending.size(); ++p) {
                    const Pending& q = w.pending[p];
                    entries_.push_back({q.op, q.a, q.b, q.bits, w.stored + p * m_, q.dim});
                }
            }
            report_.front.merge(w.front);
            for (std::size_t k = 0; k < level_best_.size(); ++k)
                level_best_[k] = std::min(level_best_[k], w.best_relative_error[k]);
            report_.exact = report_.exact || w.exact;
            w.stored = nullptr;
        }
        if (store) level_begin_.back() = entries_.size();
    }

    // ---- per tile ----

    bool constant_leaf(Id id) const { return arity(entries_[id].op) == 0 && entries_[id].op != Op::Var; }

    bool pruned_unary(Op op, Id a) const {
        const Op child = entries_[a].op;
        if (constant_leaf(a)) return true;
        if ((op == Op::Exp && child == Op::Log) || (op == Op::Log && child == Op::Exp)) return true;
        if (is_trig(op) && is_trig(child)) return true;
        if (op == Op::Neg && child == Op::Neg) return true;
        // square(sqrt(u)) is u, sqrt(square(u)) is |u|, square(-u) and square(|u|) are square(u).
        if (op == Op::Square && (child == Op::Sqrt || child == Op::Neg || child == Op::Abs)) return true;
        if (op == Op::Sqrt && child == Op::Square) return true;
        if (op == Op::Exp && is_power_through_log(a)) return true;
        return false;
    }

    // c*log(u) or log(u)/c with c a constant leaf: exp of it is the power u^c, which u*u,
    // sqrt(u), 1/u and the like say plainly (and a Pow operator, if enabled, directly).
    bool is_power_through_log(Id id) const {
        const Entry& e = entries_[id];
        if (e.op == Op::Mul)
            return (constant_leaf(e.left) && entries_[e.right].op == Op::Log) ||
                   (constant_leaf(e.right) && entries_[e.left].op == Op::Log);
        if (e.op == Op::Div) return entries_[e.left].op == Op::Log && constant_leaf(e.right);
        return false;
    }

    bool pruned_binary(Op op, Id a, Id b) const {
        if (constant_leaf(a) && constant_leaf(b)) return true;
        if (a == b && (op == Op::Sub || op == Op::Div)) return true;
        return false;
    }

    static void apply(Op op, const double* a, const double* b, double* out, std::size_t m) {
        const auto n = static_cast<Eigen::Index>(m);
        const Eigen::Map<Eigen::ArrayXd> o(out, n);
        const Eigen::Map<const Eigen::ArrayXd> x(a, n);
        if (arity(op) == 1)
            apply_unary(op, x, o);
        else
            apply_binary(op, x, Eigen::Map<const Eigen::ArrayXd>(b, n), o);
    }

    // op over the bank entries a (and b, for a binary op), on the sample rows, into `out`.
    void evaluate_into(Op op, Id a, Id b, double* out) const {
        apply(op, entries_[a].values, arity(op) == 1 ? nullptr : entries_[b].values, out, m_);
    }

    // Not finite, too large, or constant (only leaves may be constant).
    bool bad_values(const double* v) const {
        const Eigen::Map<const Eigen::ArrayXd> a(v, static_cast<Eigen::Index>(m_));
        // The comparison is false for NaN, so this also rejects NaN and inf.
        if (!(a.abs() <= kMaxMagnitude).all()) return true;
        const double lo = a.minCoeff(), hi = a.maxCoeff();
        return hi - lo <= 1e-12 * std::max(std::abs(lo), std::abs(hi));
    }

    // Empties a tile's results: not run (yet).
    void clear(TileWork& w) const {
        w.pending.clear();
        w.front = ParetoFront(exact_rmse_);
        w.best_relative_error.assign(transforms_.size(), std::numeric_limits<double>::infinity());
        w.evaluations = 0;
        w.exact = false;
        w.ran = false;
    }

    void generate(const Tile& tile, std::uint64_t seq_base, TileWork& w) {
        clear(w);
        if (stop_requested()) return;
        w.ran = true;
        if (w.buffer_candidates < tile.count) {
            w.buffer = std::make_unique_for_overwrite<double[]>(tile.count * m_);
            w.buffer_candidates = tile.count;
        }
        std::uint64_t seq = seq_base;
        const bool unary = arity(tile.op) == 1;
        for (Id a = tile.a0; a < tile.a1; ++a) {
            const Id b_start = unary ? 0 : (tile.triangular ? std::max(tile.b0, a) : tile.b0);
            const Id b_end = unary ? 1 : tile.b1;
            for (Id b = b_start; b < b_end; ++b, ++seq) {
                if (unary ? pruned_unary(tile.op, a) : pruned_binary(tile.op, a, b)) continue;
                // Dimensional pruning happens here, before any evaluation.
                const std::optional<Dimension> dim = combine(tile.op, a, b);
                if (!dim) continue;
                double* out = w.buffer.get() + w.pending.size() * m_;
                evaluate_into(tile.op, a, b, out);
                ++w.evaluations;
                if (bad_values(out)) continue;
                const double bits = entries_[a].bits + (unary ? 0.0 : entries_[b].bits) + symbol_bits_;
                const std::uint64_t key = value_key(out, *dim);
                if (!claiming_) {
                    // A level that is not stored only drops what earlier entries already have:
                    // its own duplicates are merely scored twice, and the table need not grow.
                    if (table_.contains(key)) continue;
                    w.pending.push_back({tile.op, a, unary ? Id{0} : b, bits, key, 0, kUnclaimed, *dim});
                    continue;
                }
                const std::uint64_t owner = owner_number(chunk_number_, bits, seq);
                const auto claim = table_.claim(key, owner);
                if (!claim.leading) continue;
                w.pending.push_back({tile.op, a, unary ? Id{0} : b, bits, key, owner, claim.slot, *dim});
            }
        }
    }

    void settle(TileWork& w) {
        if (!w.ran) return;
        // Winners keep their place in the buffer; only the survivors' values are copied, once,
        // into storage of the exact size.
        std::size_t kept = 0;
        for (std::size_t p = 0; p < w.pending.size(); ++p) {
            const Pending& q = w.pending[p];
            if (q.slot != kUnclaimed && table_.owner(q.slot) != q.owner) continue;
            w.pending[p].slot = p;  // from here on: the position of its values in the buffer
            w.pending[kept++] = w.pending[p];
        }
        w.pending.resize(kept);
        if (kept == 0 || transforms_.empty()) return;
        Scratch& scratch = scratch_.local();
        // One matrix product gives every entry's projections on the centred targets (a sum
        // over rows of tc_k * f, which equals tc_k * (f - mean f) since tc_k sums to 0).
        const auto last = static_cast<Eigen::Index>(w.pending.back().slot + 1);
        const Eigen::Map<const Eigen::MatrixXd> values(w.buffer.get(), static_cast<Eigen::Index>(m_), last);
        scratch.block_projections.noalias() = centred_targets_.transpose() * values;
        std::vector<double> gate = gate_snapshot_;
        for (const Pending& q : w.pending)
            score(q.op, q.a, q.b, w.buffer.get() + q.slot * m_, q.dim,
                  scratch.block_projections.col(static_cast<Eigen::Index>(q.slot)), scratch, gate,
                  w.best_relative_error, w.front, w.exact);
    }

    // Copies the survivors' values into the place settle() left for them in the arena.
    void store_values(TileWork& w) const {
        for (std::size_t p = 0; p < w.pending.size(); ++p)
            std::memcpy(w.stored + p * m_, w.buffer.get() + w.pending[p].slot * m_, m_ * sizeof(double));
    }

    // Another rank's survivors: their values from their operands, already in the bank (one
    // array operation each, which is cheaper to do again than to send m values).
    void recompute_values(TileWork& w) const {
        for (std::size_t p = 0; p < w.pending.size(); ++p) {
            const Pending& q = w.pending[p];
            evaluate_into(q.op, q.a, q.b, w.stored + p * m_);
        }
    }

    // ---- peers (SearchOptions::peers): the enumeration dealt over ranks ----
    //
    // Every rank holds the whole bank and the same dedup table. Tiles are dealt round-robin;
    // per chunk two collectives keep the ranks in step. share_claims: each rank's claims
    // (key, owner) go to every rank, so each table ends with the smallest owner of every key,
    // as one process's would: de-duplication stays exact. share_results: each tile's
    // survivors, front, statistics and the ranks' stop requests go to every rank, which then
    // commits all tiles in tile order. So every rank has the same bank, front and counts, and
    // the result is the one process's (same seed, same --max-evals), whatever the rank count.

    std::size_t tile_owner(std::size_t tile) const { return tile % ranks_; }
    bool owns_tile(std::size_t tile) const { return !peers_ || tile_owner(tile) == rank_; }

    // Sends this rank's claims, claims the other ranks' in this rank's table; returns the
    // number of pending survivors over all ranks.
    std::size_t share_claims(std::size_t count, std::size_t pending) {
        ByteWriter out;
        out.put<std::uint64_t>(pending);
        for (std::size_t i = 0; i < count; ++i)
            for (const Pending& q : work_[i].pending) {
                out.put(q.key);
                out.put(q.owner);
            }
        const std::vector<std::string> all = peers_->all_gather(out.take());
        std::size_t total = 0;
        for (std::size_t r = 0; r < all.size(); ++r) {
            ByteReader in(all[r]);
            const auto n = in.get<std::uint64_t>();
            total += n;
            if (r == rank_) continue;
            for (std::uint64_t k = 0; k < n; ++k) {
                const auto key = in.get<std::uint64_t>();
                table_.claim(key, in.get<std::uint64_t>());
            }
        }
        return total;
    }

    // Sends this rank's tiles' results, takes in the others'; a stop request of any rank stops all.
    void share_results(std::size_t t0, std::size_t count, bool store) {
        ByteWriter out;
        out.put<std::uint8_t>(stop_requested() ? 1 : 0);
        for (std::size_t i = 0; i < count; ++i)
            if (work_[i].mine) put_tile(out, work_[i], store);
        const std::vector<std::string> all = peers_->all_gather(out.take());
        for (std::size_t r = 0; r < all.size(); ++r) {
            ByteReader in(all[r]);
            if (in.get<std::uint8_t>() != 0) peer_stop_ = true;
            if (r == rank_) continue;
            for (std::size_t i = 0; i < count; ++i)
                if (tile_owner(t0 + i) == r) get_tile(in, work_[i], store);
        }
    }

    void put_tile(ByteWriter& out, const TileWork& w, bool store) const {
        out.put<std::uint8_t>(w.ran ? 1 : 0);
        out.put<std::uint8_t>(w.exact ? 1 : 0);
        out.put<std::uint64_t>(w.evaluations);
        for (double e : w.best_relative_error) out.put(e);
        detail::put_front(out, w.front);
        out.put<std::uint64_t>(store ? w.pending.size() : 0);
        if (!store) return;
        for (const Pending& q : w.pending) {
            out.put<std::uint8_t>(static_cast<std::uint8_t>(q.op));
            out.put(q.a);
            out.put(q.b);
            out.put(q.bits);
        }
    }

    void get_tile(ByteReader& in, TileWork& w, bool store) const {
        w.ran = in.get<std::uint8_t>() != 0;
        w.exact = in.get<std::uint8_t>() != 0;
        w.evaluations = static_cast<std::size_t>(in.get<std::uint64_t>());
        for (double& e : w.best_relative_error) e = in.get<double>();
        detail::get_front_into(in, w.front);
        const auto n = in.get<std::uint64_t>();
        for (std::uint64_t k = 0; k < n; ++k) {
            Pending q{};
            q.op = static_cast<Op>(in.get<std::uint8_t>());
            q.a = in.get<Id>();
            q.b = in.get<Id>();
            q.bits = in.get<double>();
            if (store) q.dim = *combine(q.op, q.a, q.b);  // it was admitted on its rank
            w.pending.push_back(q);
        }
    }

    // ---- scoring ----

    // Fits every transformed target to f on the sample rows; the promising fits become
    // formulas scored on all rows. `gate` holds, per transform, the relative error a fit must
    // beat; it starts at the best of the smaller levels and tightens as the tile improves on it.
    // `projections` are f's products with the centred targets, if the caller has them.
    void score(Op op, Id a, Id b, const double* f, const Dimension& dim,
               const Eigen::Ref<const Eigen::VectorXd>& projections, Scratch& s, std::vector<double>& gate,
               std::vector<double>& best, ParetoFront& front, bool& exact) const {
        const auto n = static_cast<Eigen::Index>(m_);
        Eigen::Map<const Eigen::VectorXd> values(f, n);
        const double mean = values.mean();
        s.centred = values.array() - mean;
        const double sff = s.centred.squaredNorm();
        if (!(sff > 0.0) || !std::isfinite(sff)) return;
        // Uncentred products lose digits when the mean dwarfs the variation: then centre first.
        if (projections.size() == 0 || std::abs(mean) > 1e4 * std::sqrt(sff / static_cast<double>(n)))
            s.projections.noalias() = centred_targets_.transpose() * s.centred;
        else
            s.projections = projections;
        for (std::size_t k = 0; k < transforms_.size(); ++k) {
            if (!scale_admissible(k, dim)) continue;
            const double p = s.projections(static_cast<Eigen::Index>(k));
            const double r2 = p * p / (sff * target_norms_[k]);
            const double rel = std::sqrt(std::max(0.0, 1.0 - r2));
            best[k] = std::min(best[k], rel);
            if (!(rel <= kExactGate || rel < gate[k])) continue;
            gate[k] = std::min(gate[k], rel);
            finalize(op, a, b, f, k, allow_offset_[k], s, front, exact);
        }
    }

    void finalize(Op op, Id a, Id b, const double* f, std::size_t k, bool allow_offset, Scratch& s, ParetoFront& front,
                  bool& exact) const {
        // Scoring on all rows can take a while on a large table: stop here too once told to.
        if (stop_requested()) return;
        const std::span<const double> fs(f, m_);
        const std::span<const double> ts(targets_[k].data(), m_);
        // The simplest constants are judged on the sample rows only; the least-squares ones are
        // offered too, so that on all rows the front (and best()) can weigh one against the other.
        SnapOptions snap;
        snap.allow_offset = allow_offset;
        const AffineFit simple = simplest_affine_fit(fs, ts, model_, snap);
        const AffineFit ls = allow_offset ? fit_affine(fs, ts) : fit_scale(fs, ts);
        const Expression body = build(op, a, b);
        for (const AffineFit& fit : {simple, ls}) {
            if (&fit == &ls && ls.scale == simple.scale && ls.offset == simple.offset) break;
            if (fit.scale == 0.0 || !std::isfinite(fit.scale) || !std::isfinite(fit.offset)) continue;
            Expression e = transforms_[k].inverse(apply_affine(body, fit.scale, fit.offset));
            // The RMSE it must beat to join this tile's front or the one of the chunks before.
            const double bits = model_.bits(e);
            const double bar = std::min(front.rmse_to_beat(bits), report_.front.rmse_to_beat(bits));
            SequentialScore scored = score_candidate_sequential(std::move(e), Xr_, yr_, model_, s.evaluator, bar);
            ++s.finalist_scorings;
            if (scored.rejected_early) ++s.early_rejections;
            std::optional<Candidate>& c = scored.candidate;
            if (!c) continue;
            if (c->rmse <= exact_rmse_) exact = true;
            accept(*c, front);
        }
    }

    static void accept(Candidate& c, ParetoFront& front) { front.insert(std::move(c)); }

    void append(Expression& e, Id id) const {
        const Entry& en = entries_[id];
        const int n = arity(en.op);
        if (n == 0) {
            e.push(leaf_nodes_[en.left]);
            return;
        }
        append(e, en.left);
        if (n == 2) append(e, en.right);
        e.push(Node::op_node(en.op));
    }

    // The formula of a candidate: its operator over bank entries (or a leaf).
    Expression build(Op op, Id a, Id b) const {
        Expression e;
        if (arity(op) == 0) {
            append(e, a);
            return e;
        }
        append(e, a);
        if (arity(op) == 2) append(e, b);
        e.push(Node::op_node(op));
        return e;
    }

    // ---- progress ----

    // Calls SearchOptions::progress if it is set and the interval has passed. Runs on the
    // thread of the chunk loop, between chunks.
    void report_progress() {
        if (!options_.progress) return;
        const Clock::time_point now = Clock::now();
        if (reported_ &&
            std::chrono::duration<double>(now - last_progress_).count() < options_.progress_interval_seconds)
            return;
        reported_ = true;
        last_progress_ = now;
        SearchProgress p;
        p.seconds = std::chrono::duration<double>(now - start_).count();
        p.evaluations = report_.evaluations;
        if (!report_.front.empty()) {
            const Candidate& best = report_.front.best();
            p.has_best = true;
            p.best = best.expression;
            p.rmse = best.rmse;
        }
        options_.progress(p);
    }

    // ---- stopping ----

    std::size_t memory_cap() const { return options_.max_memory_mb * std::size_t{1} << 20; }

    bool stop_requested() const { return stop_.requested(); }

    void finish() {
        for (const Scratch& s : scratch_) {
            report_.finalist_scorings += s.finalist_scorings;
            report_.early_rejections += s.early_rejections;
        }
        report_.cancelled = stop_.cancelled();
        report_.timed_out = stop_.timed_out();
        if (peers_) gather_statistics();
        report_.bank_entries = entries_.size();
        report_.memory_limited = memory_capped_;
        report_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    }

    // SearchOptions::residuals_are_noise on the front's least-RMSE member, until it says yes.
    // Every rank holds the same front, so the answers agree; all_agree makes sure of it (a
    // stop that one rank skipped would leave the others waiting in the next exchange).
    void check_noise_floor() {
        if (report_.exact || report_.at_noise_floor || !options_.residuals_are_noise || !options_.stop_when_exact ||
            report_.front.empty())
            return;
        const auto& members = report_.front.members();
        const Candidate* least = &members.front();
        for (const Candidate& c : members)
            if (c.rmse < least->rmse) least = &c;
        const Eigen::VectorXd residuals = y_ - Evaluator()(least->expression, X_);
        bool floor = residuals.allFinite() && options_.residuals_are_noise(X_, residuals);
        if (peers_) floor = all_agree(peers_, floor);
        report_.at_noise_floor = floor;
    }

    // The job's figures on every rank: cancelled or timed out on any rank, finalists summed.
    void gather_statistics() {
        ByteWriter out;
        out.put<std::uint8_t>(report_.cancelled ? 1 : 0);
        out.put<std::uint8_t>(report_.timed_out ? 1 : 0);
        out.put<std::uint64_t>(report_.finalist_scorings);
        out.put<std::uint64_t>(report_.early_rejections);
        report_.finalist_scorings = report_.early_rejections = 0;
        for (const std::string& bytes : peers_->all_gather(out.take())) {
            ByteReader in(bytes);
            report_.cancelled = (in.get<std::uint8_t>() != 0) || report_.cancelled;
            report_.timed_out = (in.get<std::uint8_t>() != 0) || report_.timed_out;
            report_.finalist_scorings += static_cast<std::size_t>(in.get<std::uint64_t>());
            report_.early_rejections += static_cast<std::size_t>(in.get<std::uint64_t>());
        }
    }

    const Eigen::MatrixXd& X_;
    const Eigen::VectorXd& y_;
    Eigen::MatrixXd Xr_;  // X_ and y_ with the rows shuffled (shuffle_rows)
    Eigen::VectorXd yr_;
    const SearchOptions& options_;
    Clock::time_point start_;
    std::vector<Op> ops_, unary_, binary_;
    ComplexityModel model_;
    double symbol_bits_ = 0.0;
    double exact_rmse_ = 0.0;

    std::size_t m_ = 0;  // sample rows
    Eigen::MatrixXd Xs_;
    Eigen::VectorXd ys_;
    std::vector<TargetTransform> transforms_;
    std::vector<Dimension> transform_dims_;  // dimension of T_k(y)
    std::vector<bool> allow_offset_;         // T_k(y) = a*f + b may have an offset b
    std::vector<Eigen::VectorXd> targets_;   // T_k(y) on the sample rows
    Eigen::MatrixXd centred_targets_;        // sample rows x transforms
    std::vector<double> target_norms_;       // squared norms of the centred targets
    std::vector<double> gate_, gate_snapshot_, level_best_;

    std::vector<Node> leaf_nodes_;
    std::vector<Entry> entries_;
    std::vector<std::size_t> level_begin_;
    detail::ValueArena arena_;  // storage the entries' values point into
    std::size_t stored_bytes_ = 0;
    detail::DedupTable table_;
    std::uint64_t chunk_number_ = 0;
    std::uint64_t evaluation_bound_ = 0;
    std::vector<TileWork> work_;
    tbb::enumerable_thread_specific<Scratch> scratch_;

    detail::StopSignal stop_;
    Peers* peers_ = nullptr;  // null: this process alone (also for a job of one rank)
    std::size_t rank_ = 0, ranks_ = 1;
    bool peer_stop_ = false;  // some rank asked to stop (seen with a chunk's results)
    bool stopped_ = false;
    bool memory_capped_ = false;
    bool reported_ = false;  // progress was reported at least once (at last_progress_)
    Clock::time_point last_progress_;
    bool claiming_ = true;  // this chunk claims its values in the table (else: lookups only)
    SearchReport report_;
};

}  // namespace

SearchReport enumerate_search(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SearchOptions& options) {
    detail::check_search_table(X, y, options.dimensions, "enumerate_search");
    if (X.rows() == 0) return {};
    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    SearchReport report;
    arena.execute([&] { report = Enumerator(X, y, options).run(); });
    return report;
}

}  // namespace kepler
