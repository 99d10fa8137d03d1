// The engine's view of several processes (kepler/core/peers.hpp) without MPI: ranks played by
// threads of this process, exchanging through shared memory. The evolution spread over two such
// ranks returns the same report on both, is reproducible under an evaluation budget, keeps
// that budget for the whole job, and a one-rank job is the search without peers; the
// structure split deals its parts over the ranks.
#include <gtest/gtest.h>

#include <barrier>
#include <cmath>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kepler/core/evaluator.hpp"
#include "kepler/core/peers.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/pipeline/structure_split.hpp"
#include "kepler/search/enumerator.hpp"
#include "kepler/search/evolution.hpp"
#include "random_inputs.hpp"
#include "sanitizer_clock.hpp"

using namespace kepler;

namespace {

// The shared state of a job of `ranks` threads.
struct Job {
    explicit Job(int ranks) : size(ranks), slots(static_cast<std::size_t>(ranks)), sync(ranks) {}
    int size;
    std::vector<std::string> slots;
    std::barrier<> sync;
    int gathers = 0;  // all_gather calls of rank 0
};

class ThreadPeer final : public Peers {
public:
    ThreadPeer(Job& job, int rank) : job_(job), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return job_.size; }
    std::vector<std::string> all_gather(const std::string& mine) override {
        job_.slots[static_cast<std::size_t>(rank_)] = mine;
        job_.sync.arrive_and_wait();  // every slot written
        std::vector<std::string> all = job_.slots;
        if (rank_ == 0) ++job_.gathers;
        job_.sync.arrive_and_wait();  // every slot read before the next call writes again
        return all;
    }
    std::vector<std::string> deal(std::size_t, const std::function<std::string(std::size_t)>&,
                                  const std::function<void(std::size_t, const std::string&)>&,
                                  const std::atomic<bool>*) override {
        return {};
    }
    Traffic traffic() const override { return {}; }

private:
    Job& job_;
    int rank_;
};

std::vector<std::string> front_of(const SearchReport& r) {
    std::vector<std::string> out;
    for (const Candidate& c : r.front.members()) out.push_back(to_infix(c.expression, {}));
    return out;
}

using SearchFunction =
    std::function<SearchReport(const Eigen::MatrixXd&, const Eigen::VectorXd&, const SearchOptions&)>;

// `search` on `ranks` threads, each a rank; the reports by rank.
std::vector<SearchReport> search_on_ranks(SearchFunction search, int ranks, const Eigen::MatrixXd& X,
                                          const Eigen::VectorXd& y, SearchOptions options, int* gathers = nullptr) {
    Job job(ranks);
    std::vector<SearchReport> reports(static_cast<std::size_t>(ranks));
    std::vector<std::thread> threads;
    for (int r = 0; r < ranks; ++r)
        threads.emplace_back([&, r, options]() mutable {
            ThreadPeer peer(job, r);
            options.peers = &peer;
            reports[static_cast<std::size_t>(r)] = search(X, y, options);
        });
    for (auto& t : threads) t.join();
    if (gathers) *gathers = job.gathers;
    return reports;
}

std::vector<SearchReport> evolve_on_ranks(int ranks, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                          const SearchOptions& options, int* gathers = nullptr) {
    auto evolve = [](const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const SearchOptions& o) {
        return evolve_search(A, b, o);
    };
    return search_on_ranks(evolve, ranks, X, y, options, gathers);
}

struct Problem {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

// A target no small formula fits exactly, so the search runs until the budget.
Problem inexact_problem() {
    Problem p{kepler::testing::uniform_matrix(300, 3, 1.0, 5.0, 21), {}};
    p.y.resize(p.X.rows());
    for (Eigen::Index r = 0; r < p.X.rows(); ++r)
        p.y(r) = std::sin(p.X(r, 0)) * p.X(r, 1) + std::log(p.X(r, 2) + p.X(r, 0) * 0.3);
    return p;
}

}  // namespace

TEST(Peers, SinglePeerIsOneRankAndDealsInOrder) {
    SinglePeer one;
    EXPECT_EQ(one.rank(), 0);
    EXPECT_EQ(one.size(), 1);
    EXPECT_EQ(one.all_gather("abc"), std::vector<std::string>{"abc"});
    std::vector<std::size_t> seen;
    const auto results = one.deal(
        3, [](std::size_t i) { return std::to_string(i * 10); },
        [&](std::size_t i, const std::string&) { seen.push_back(i); }, nullptr);
    EXPECT_EQ(results, (std::vector<std::string>{"0", "10", "20"}));
    EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1, 2}));
    std::atomic<bool> stop{true};
    EXPECT_EQ(one.deal(
                  2, [](std::size_t) { return std::string("x"); }, nullptr, &stop),
              (std::vector<std::string>{"", ""}));
    EXPECT_TRUE(all_agree(nullptr, true));
    EXPECT_FALSE(all_agree(&one, false));
}

TEST(Peers, BytesReadBackAsWritten) {
    ByteWriter out;
    out.put<double>(-0.1);
    out.put<std::uint8_t>(7);
    out.put_string("formula");
    out.put<std::uint64_t>(1ull << 60);
    const std::string bytes = out.take();
    ByteReader in(bytes);
    EXPECT_EQ(in.get<double>(), -0.1);
    EXPECT_EQ(in.get<std::uint8_t>(), 7);
    EXPECT_EQ(in.get_string(), "formula");
    EXPECT_EQ(in.get<std::uint64_t>(), 1ull << 60);
    EXPECT_TRUE(in.at_end());
    EXPECT_THROW(in.get<std::uint8_t>(), std::out_of_range);
}

TEST(Peers, AllAgreeIsTrueOnlyIfEveryRankIs) {
    for (bool second : {true, false}) {
        Job job(2);
        bool answers[2] = {false, false};
        std::thread other([&] {
            ThreadPeer p(job, 1);
            answers[1] = all_agree(&p, second);
        });
        ThreadPeer p(job, 0);
        answers[0] = all_agree(&p, true);
        other.join();
        EXPECT_EQ(answers[0], second);
        EXPECT_EQ(answers[1], second);
    }
}

namespace {

// One thread, seed 5, bounded by `evaluations`: a reproducible evolution.
SearchOptions budgeted(std::size_t evaluations) {
    SearchOptions options;
    options.max_evaluations = evaluations;
    options.seed = 5;
    options.threads = 1;
    return options;
}

}  // namespace

TEST(Peers, OneRankIsTheSearchWithoutPeers) {
    const Problem p = inexact_problem();
    const SearchOptions options = budgeted(200'000);
    const SearchReport alone = evolve_search(p.X, p.y, options);
    const std::vector<SearchReport> job = evolve_on_ranks(1, p.X, p.y, options);
    EXPECT_EQ(front_of(job[0]), front_of(alone));
    EXPECT_EQ(job[0].evaluations, alone.evaluations);
}

TEST(Peers, EvolutionOverTwoRanksIsOneReproducibleSearchWithinTheBudget) {
    const Problem p = inexact_problem();
    const SearchOptions options = budgeted(400'000);
    int gathers = 0;
    const std::vector<SearchReport> first = evolve_on_ranks(2, p.X, p.y, options, &gathers);
    const std::vector<SearchReport> second = evolve_on_ranks(2, p.X, p.y, options);
    // Both ranks end with the job's report: the merged front and the summed evaluations.
    ASSERT_FALSE(first[0].front.empty());
    EXPECT_EQ(front_of(first[0]), front_of(first[1]));
    EXPECT_EQ(first[0].evaluations, first[1].evaluations);
    // The budget is the job's, not each rank's.
    EXPECT_LE(first[0].evaluations, options.max_evaluations);
    EXPECT_GT(first[0].evaluations, options.max_evaluations / 2);
    EXPECT_TRUE(first[0].evaluation_limit_reached);
    // Migration at epoch ends (evaluation counts), never the clock: the same again.
    EXPECT_EQ(front_of(second[0]), front_of(first[0]));
    EXPECT_EQ(second[0].evaluations, first[0].evaluations);
    // At least one epoch exchanged, and the fronts gathered once at the end.
    EXPECT_GE(gathers, 3);
    // Different from one rank with the same budget: the second rank's islands are seeded apart.
    const SearchReport alone = evolve_search(p.X, p.y, options);
    EXPECT_NE(front_of(alone), front_of(first[0]));
}

// The enumeration dealt over ranks is the one process's enumeration, work shared: the same
// front, the same evaluation count (each rank ran part of it) and the same bank on every rank,
// because the ranks exchange their claims in the dedup table before keeping anything.
TEST(Peers, EnumerationOverRanksIsTheOneProcessEnumerationWithTheWorkShared) {
    const Problem p = inexact_problem();
    SearchOptions options = budgeted(600'000);
    options.max_nodes = 7;
    const SearchReport alone = enumerate_search(p.X, p.y, options);
    ASSERT_FALSE(alone.front.empty());
    ASSERT_GT(alone.evaluations, 100'000u);
    for (int ranks : {2, 3}) {
        int gathers = 0;
        const std::vector<SearchReport> job = search_on_ranks(enumerate_search, ranks, p.X, p.y, options, &gathers);
        std::size_t shared = 0;
        for (const SearchReport& r : job) {
            EXPECT_EQ(front_of(r), front_of(alone)) << ranks << " ranks";
            EXPECT_EQ(r.evaluations, alone.evaluations);
            EXPECT_EQ(r.bank_entries, alone.bank_entries);
            EXPECT_EQ(r.levels_completed, alone.levels_completed);
            EXPECT_EQ(r.evaluation_limit_reached, alone.evaluation_limit_reached);
            EXPECT_EQ(r.ranks, static_cast<std::size_t>(ranks));
            // Each rank ran a share, none all of it.
            EXPECT_GT(r.evaluations_on_this_rank, alone.evaluations / (2 * static_cast<std::size_t>(ranks)));
            EXPECT_LT(r.evaluations_on_this_rank, alone.evaluations);
            shared += r.evaluations_on_this_rank;
        }
        EXPECT_EQ(shared, alone.evaluations);
        EXPECT_GE(gathers, 4);  // two per chunk, and the start and the end
    }
}

// A stop request on one rank (here: a cancel flag only rank 1 sees) stops every rank after the
// same chunk, with the same report: none is left waiting in a collective.
TEST(Peers, EnumerationStopsOnEveryRankWhenOneIsCancelled) {
    const Problem p = inexact_problem();
    SearchOptions options = budgeted(0);
    options.max_nodes = 9;
    Job job(2);
    std::vector<SearchReport> reports(2);
    std::atomic<bool> cancel_rank_1{false};
    std::thread other([&] {
        ThreadPeer peer(job, 1);
        SearchOptions mine = options;
        mine.peers = &peer;
        mine.cancel = &cancel_rank_1;
        mine.progress = [&](const SearchProgress& progress) {
            if (progress.evaluations > 50'000) cancel_rank_1 = true;
        };
        mine.progress_interval_seconds = 0.0;
        reports[1] = enumerate_search(p.X, p.y, mine);
    });
    ThreadPeer peer(job, 0);
    SearchOptions mine = options;
    mine.peers = &peer;
    reports[0] = enumerate_search(p.X, p.y, mine);
    other.join();
    for (const SearchReport& r : reports) {
        EXPECT_TRUE(r.cancelled);
        EXPECT_LT(r.levels_completed, 9u);
    }
    EXPECT_EQ(reports[0].evaluations, reports[1].evaluations);
    EXPECT_EQ(front_of(reports[0]), front_of(reports[1]));
}

// The structure split spread over two ranks: the parts a separable split reads off the
// surrogate are dealt (each solved on one rank alone), the levels over the whole problem run
// on both in step, and both ranks end with the same formulas, the law first, and rank 0 with
// the trace of both parts. The same budget gives the same formulas again.
TEST(Peers, StructureSplitDealsItsPartsAndEveryRankEndsWithTheSameLaw) {
    const Eigen::MatrixXd X = kepler::testing::uniform_matrix(600, 5, 1.0, 3.0, 11);
    Eigen::VectorXd y(X.rows());
    for (Eigen::Index r = 0; r < X.rows(); ++r) y(r) = X(r, 0) * X(r, 1) + std::sin(X(r, 2)) * X(r, 3) * X(r, 4);
    StructureSplitOptions options;
    options.time_limit_seconds = 60.0 * kepler::testing::kClockScale;  // not reached: the evaluations bound the run
    options.max_evaluations = 150'000;
    options.threads = 1;
    options.search.max_nodes = 7;  // the law needs 11 nodes, its parts at most 7
    auto split_on_two_ranks = [&](std::vector<StructureTrace>& traces) {
        Job job(2);
        std::vector<std::vector<Expression>> found(2);
        traces.assign(2, {});
        std::vector<std::thread> threads;
        for (int r = 0; r < 2; ++r)
            threads.emplace_back([&, r] {
                ThreadPeer peer(job, r);
                StructureSplitOptions mine = options;
                mine.peers = &peer;
                const auto index = static_cast<std::size_t>(r);
                found[index] = solve_by_structure(X, y, mine, &traces[index]);
            });
        for (auto& t : threads) t.join();
        return found;
    };
    std::vector<StructureTrace> traces;
    const std::vector<std::vector<Expression>> first = split_on_two_ranks(traces);
    ASSERT_FALSE(first[0].empty()) << traces[0].to_string();
    EXPECT_EQ(first[0], first[1]);
    const std::string trace = traces[0].to_string();
    EXPECT_NE(trace.find("parts dealt over 2 ranks"), std::string::npos) << trace;
    EXPECT_NE(trace.find("part {x0,x1} from the surrogate"), std::string::npos) << trace;
    EXPECT_NE(trace.find("part {x2,x3,x4} from the surrogate"), std::string::npos) << trace;
    const Expression& best = first[0].front();
    Evaluator evaluate;
    EXPECT_LE(std::sqrt((evaluate(best, X) - y).squaredNorm() / y.squaredNorm()), 1e-6) << to_infix(best, {});
    std::vector<StructureTrace> again;
    EXPECT_EQ(split_on_two_ranks(again), first);
}
