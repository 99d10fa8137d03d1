#include "discover_problem.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>

#include "kepler/structure/spike_rows.hpp"

namespace kepler::pipeline {

namespace {

// Takes the rows whose target is a spike (spike_rows.hpp) out of `keep` (X, y: its rows), and says so.
void leave_out_spikes(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::uint64_t seed,
                      std::vector<Eigen::Index>& keep, DiscoveryResult& result) {
    SpikeOptions options;
    options.seed = seed;
    const SpikeRows spikes = find_spike_rows(X, y, options);
    if (spikes.gave_up) {
        result.explanation.push_back("spikes: " + std::to_string(spikes.would_have_been) +
                                     " rows stand out from their neighbours, too many for glitches: all kept");
        return;
    }
    if (spikes.rows.empty()) return;
    std::vector<Eigen::Index> kept;
    kept.reserve(keep.size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < keep.size(); ++i) {
        if (next < spikes.rows.size() && spikes.rows[next] == static_cast<Eigen::Index>(i)) {
            ++next;
            continue;
        }
        kept.push_back(keep[i]);
    }
    keep = std::move(kept);
    result.rows_spikes = spikes.rows.size();
    result.notes.push_back(std::to_string(spikes.rows.size()) +
                           " rows left out as spikes: their target is far off what their neighbours' local fit "
                           "predicts (over 8 noise sds and 5 times the neighbours' spread)");
}

}  // namespace

Problem select_problem(const Table& table, std::string_view target, const DiscoverOptions& options,
                       DiscoveryResult& result) {
    Problem p;
    p.target_column = table.require_column(target, "target");
    if (options.inputs.empty()) {
        for (std::size_t j = 0; j < table.columns(); ++j)
            if (j != p.target_column && !table.is_timestamp(j)) p.columns.push_back(j);
    } else {
        for (const auto& name : options.inputs) {
            std::size_t j = table.require_column(name, "input");
            if (j == p.target_column) throw std::invalid_argument("the target '" + name + "' cannot also be an input");
            p.columns.push_back(j);
        }
    }
    if (p.columns.empty()) throw std::invalid_argument("no input columns besides the target '" + result.target + "'");
    for (std::size_t j : p.columns) result.inputs.push_back(table.names[j]);

    // Keep the rows where the target and every input are finite numbers.
    std::vector<Eigen::Index> keep;
    keep.reserve(table.rows());
    const auto t = static_cast<Eigen::Index>(p.target_column);
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        bool ok = std::isfinite(table.data(r, t));
        for (std::size_t j : p.columns) ok = ok && std::isfinite(table.data(r, static_cast<Eigen::Index>(j)));
        if (ok) keep.push_back(r);
    }
    result.rows_dropped = table.rows() - keep.size();
    if (keep.empty()) throw std::invalid_argument("no row has finite values in the target and every input");
    if (result.rows_dropped > 0)
        result.notes.push_back(std::to_string(result.rows_dropped) +
                               " rows left out: missing or non-finite target or input");
    if (options.inputs.empty()) {
        for (std::size_t j = 0; j < table.columns(); ++j)
            if (j != p.target_column && table.is_timestamp(j)) {
                std::string note = "timestamp column '";
                note += table.names[j];
                note += "' is not an input unless named in the inputs";
                result.notes.push_back(std::move(note));
            }
    }

    auto gather = [&](const std::vector<Eigen::Index>& rows, Eigen::MatrixXd& X, Eigen::VectorXd& y) {
        X.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(p.columns.size()));
        y.resize(static_cast<Eigen::Index>(rows.size()));
        for (Eigen::Index i = 0; i < X.rows(); ++i) {
            y(i) = table.data(rows[i], t);
            for (std::size_t c = 0; c < p.columns.size(); ++c)
                X(i, static_cast<Eigen::Index>(c)) = table.data(rows[i], static_cast<Eigen::Index>(p.columns[c]));
        }
    };
    if (options.reject_spikes) {
        Eigen::MatrixXd X;
        Eigen::VectorXd y;
        gather(keep, X, y);
        leave_out_spikes(X, y, options.search.seed, keep, result);
    }
    result.rows_used = keep.size();
    if (options.sample_rows > 0 && options.sample_rows < keep.size()) {
        // A uniform sample without replacement, in table order, so the seed alone fixes it.
        std::vector<Eigen::Index> sample;
        sample.reserve(options.sample_rows);
        std::mt19937_64 rng(options.search.seed);
        std::sample(keep.begin(), keep.end(), std::back_inserter(sample), options.sample_rows, rng);
        result.rows_sampled = sample.size();
        std::string note = "searched on a random sample of ";
        note += std::to_string(sample.size());
        note += " of the ";
        note += std::to_string(keep.size());
        note += " usable rows; the scores are on all of them";
        result.notes.push_back(std::move(note));
        gather(sample, p.X, p.y);
        gather(keep, p.X_all, p.y_all);
    } else {
        gather(keep, p.X, p.y);
    }
    return p;
}

}  // namespace kepler::pipeline
