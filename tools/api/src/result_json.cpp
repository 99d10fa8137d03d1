#include "kepler/api/result_json.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "kepler/version.hpp"

namespace kepler::api {

namespace {

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string column_name(const ScreenReport& report, std::size_t column) {
    const ChannelScreen* c = report.channel(column);
    return c ? c->name : std::to_string(column);
}

nlohmann::json screening_json(const ScreenedDiscoveryResult& result) {
    const ScreenReport& report = result.screening;
    nlohmann::json channels = nlohmann::json::array();
    for (const ChannelScreen& c : report.channels) {
        channels.push_back(
            {{"name", c.name},
             {"unit", c.unit},
             {"verdict", to_string(c.verdict)},
             {"reason", c.reason},
             {"readings", c.readings},
             {"gaps", c.gaps},
             {"same_as", c.same_as ? nlohmann::json(column_name(report, *c.same_as)) : nlohmann::json(nullptr)},
             {"correlation", number(c.correlation)},
             {"power_law_gain", number(c.power_law_gain)},
             {"exponent", number(c.exponent)},
             {"dependence", number(c.dependence)},
             {"interaction", number(c.interaction)},
             {"relevance", number(c.relevance)},
             {"rank", c.rank == 0 ? nlohmann::json(nullptr) : nlohmann::json(c.rank)}});
    }
    nlohmann::json groups = nlohmann::json::array();
    for (const ChannelGroup& g : report.groups) {
        std::vector<std::string> members;
        for (std::size_t m : g.members) members.push_back(column_name(report, m));
        groups.push_back({{"representative", column_name(report, g.representative)}, {"members", members}});
    }
    nlohmann::json subsets = nlohmann::json::array();
    for (const ChannelSubset& s : report.subsets) {
        nlohmann::json exponents = nlohmann::json::array();
        for (double e : s.exponents) exponents.push_back(number(e));
        subsets.push_back({{"inputs", s.names},
                           {"r2", number(s.r2)},
                           {"rmse", number(s.rmse)},
                           {"bic", number(s.bic)},
                           {"delta_bic", number(s.delta_bic)},
                           {"rows", s.rows},
                           {"power_law_r2", number(s.power_law_r2)},
                           {"exponents", exponents},
                           {"units_checked", s.units_checked},
                           {"units_ok", s.units_ok},
                           {"constants", s.constants},
                           {"substitutions", s.substitutions},
                           {"reason", s.reason}});
    }
    nlohmann::json attempts = nlohmann::json::array();
    for (const SubsetAttempt& a : result.attempts) {
        attempts.push_back({{"inputs", a.inputs},
                            {"formula", a.formula.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.formula)},
                            {"rmse", number(a.rmse)},
                            {"r2", number(a.r2)},
                            {"total_bits", number(a.total_bits)},
                            {"seconds", a.seconds},
                            {"evaluations", a.evaluations},
                            {"outcome", a.outcome}});
    }
    nlohmann::json interchangeable = nlohmann::json::object();
    for (const auto& [used, others] : result.interchangeable) interchangeable[used] = others;
    return {{"candidates", report.candidates},
            {"rows_with_target", report.rows_with_target},
            {"rows_scored", report.rows_scored},
            {"seconds", report.seconds},
            {"power_law_fitted", report.power_law_fitted},
            {"power_law_r2", number(report.power_law_r2)},
            {"interaction_scored", report.interaction_scored},
            {"surrogate_relative_error", number(report.surrogate_error)},
            {"channels", channels},
            {"groups", groups},
            {"short_list",
             [&] {
                 std::vector<std::string> names;
                 for (std::size_t c : report.short_list) names.push_back(column_name(report, c));
                 return names;
             }()},
            {"subsets", subsets},
            {"rejected_subsets", report.rejected},
            {"notes", report.notes},
            {"attempts", attempts},
            {"chosen", result.chosen},
            {"interchangeable", interchangeable}};
}

}  // namespace

nlohmann::json result_json(const DiscoveryResult& r, const std::string& data_file, const nlohmann::json& options,
                           const ScreenedDiscoveryResult* screened) {
    nlohmann::json front = nlohmann::json::array();
    for (const auto& law : r.front) {
        nlohmann::json named = nlohmann::json::array();
        for (const NamedConstant& c : law.named_constants)
            named.push_back(
                {{"symbol", c.symbol}, {"value", number(c.value)}, {"unit", c.unit}, {"name", c.description}});
        nlohmann::json constants = nlohmann::json::array();
        for (const FittedConstant& c : law.constants)
            constants.push_back({{"value", number(c.value)}, {"standard_error", number(c.standard_error)}});
        front.push_back({{"formula", law.formula},
                         {"numeric_formula", law.numeric_formula},
                         {"named_constants", named},
                         {"latex", law.latex},
                         {"sympy", law.sympy},
                         {"complexity_bits", law.complexity_bits},
                         {"error_bits", number(law.error_bits)},
                         {"rmse", number(law.rmse)},
                         {"r2", number(law.r2)},
                         {"max_relative_error", number(law.max_relative_error)},
                         {"constants", constants}});
    }
    nlohmann::json doc = {
        {"schema_version", kJsonSchemaVersion},
        {"kepler_version", KEPLER_VERSION},
        {"options", options},
        {"data", data_file},
        {"target", r.target},
        {"inputs", r.inputs},
        {"best", r.front.empty() ? nlohmann::json(nullptr) : front[r.best]},
        {"front", front},
        {"rows_used", r.rows_used},
        {"rows_dropped", r.rows_dropped},
        {"rows_sampled", r.rows_sampled},
        {"rows_spikes", r.rows_spikes},
        {"evaluations", r.evaluations},
        {"seconds", r.seconds},
        {"interrupted", r.cancelled},
        {"timed_out", r.timed_out},
        {"evaluation_limit_reached", r.evaluation_limit_reached},
        {"noise_estimate", number(r.noise_estimate)},
        {"dimensional_analysis", r.dimensional_analysis},
        {"unit_system", r.dimensional_analysis ? nlohmann::json(r.unit_system) : nlohmann::json(nullptr)},
        {"target_monomial", r.target_monomial.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.target_monomial)},
        {"dimensionless_groups", r.dimensionless_groups},
        {"constants_introduced", r.constants_introduced},
        {"scales_absorbed", r.scales_absorbed},
        {"notes", r.notes},
        {"explanation", r.explanation},
    };
    if (screened) doc["screening"] = screening_json(*screened);
    return doc;
}

}  // namespace kepler::api
