#include "kepler/api/fit.hpp"

#include <utility>

#include "kepler/api/table_loading.hpp"
#include "kepler/core/printer.hpp"

namespace kepler::api {

namespace {

bool screening_wanted(const FitRequest& request, std::size_t candidates) {
    switch (request.screening) {
        case Screening::on:
            return true;
        case Screening::off:
            return false;
        case Screening::automatic:
            break;
    }
    return request.inputs.empty() && screening_by_default(candidates);
}

// The names the search's Var k stands for: the candidate channels when screening (as
// screened_discover reports), else discover()'s inputs.
std::vector<std::string> progress_names(const Table& table, const FitRequest& request, bool screen,
                                        const std::vector<std::size_t>& candidates) {
    std::vector<std::string> names;
    if (screen) {
        for (std::size_t c : candidates) names.push_back(table.names[c]);
        return names;
    }
    const std::vector<std::size_t> used = used_columns(table, request.target, request.inputs);  // target first
    for (std::size_t k = 1; k < used.size(); ++k) names.push_back(table.names[used[k]]);
    return names;
}

// A screened run has no checkpoints (screened_discover runs discover() on several subsets).
[[noreturn]] void refuse_checkpoints(std::string_view source, std::size_t candidates) {
    throw InputError(std::string(source) + ": " + std::to_string(candidates) +
                         " candidate inputs are screened, and a screened run has no checkpoints; name the inputs "
                         "(--inputs) or turn screening off (--no-screen) to checkpoint it",
                     {std::string(source), 0, 0});
}

FitOutcome run_search(const Table& table, const FitRequest& request, DiscoverOptions options, bool screen) {
    FitOutcome outcome;
    if (screen) {
        ScreenedDiscoverOptions screened_options;
        screened_options.discover = std::move(options);
        outcome.screened = screened_discover(table, request.target, screened_options);
        outcome.discovery = outcome.screened->discovery;
    } else {
        outcome.discovery = discover(table, request.target, options);
    }
    return outcome;
}

}  // namespace

FitOutcome fit(const Table& table, const FitRequest& request, std::string_view source) {
    require_column(table, source, request.target, "target");
    for (const auto& name : request.inputs) require_column(table, source, name, "input");
    const std::vector<std::size_t> used = used_columns(table, request.target, request.inputs);
    std::optional<TableUnits> units = resolve_units(table, source, request.units, used);
    if (units && request.use_units) check_exact_units(table, source, *units, used);

    DiscoverOptions options = request.options;
    options.inputs = request.inputs;
    options.units.reset();
    if (request.use_units && units) options.units.emplace(std::move(*units));
    try {
        const std::size_t target_column = *table.column_index(request.target);
        const std::vector<std::size_t> candidates = candidate_columns(table, target_column, request.inputs);
        const bool screen = screening_wanted(request, candidates.size());
        if (screen && (request.options.on_stage_done || request.options.resume_from))
            refuse_checkpoints(source, candidates.size());
        if (request.progress) {
            options.search.progress =
                [report = request.progress,
                 names = progress_names(table, request, screen, candidates)](const SearchProgress& p) {
                    report({p.seconds, p.evaluations, p.has_best, p.has_best ? to_infix(p.best, names) : "", p.rmse});
                };
        }
        return run_search(table, request, std::move(options), screen);
    } catch (const std::invalid_argument& e) {  // the engine's refusals: too few rows, the target as an input, ...
        throw InputError(std::string(source) + ": " + e.what(), {std::string(source), 0, 0});
    }
}

FitOutcome fit_csv(const std::string& path, const FitRequest& request, const grammar::CsvOptions& csv) {
    return fit(load_table(path, csv), request, path);
}

}  // namespace kepler::api
