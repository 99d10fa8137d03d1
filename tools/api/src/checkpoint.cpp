#include "kepler/api/checkpoint.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "kepler/api/input_error.hpp"
#include "kepler/core/hashing.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/grammar/formula_parser.hpp"
#include "kepler/version.hpp"

namespace kepler::api {

namespace {

using nlohmann::json;

std::string hex(std::uint64_t h) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

std::vector<std::string> group_names(std::size_t count) {
    std::vector<std::string> names;
    for (std::size_t k = 1; k <= count; ++k) {
        std::string name = std::to_string(k);
        name.insert(name.begin(), 'g');
        names.push_back(std::move(name));
    }
    return names;
}

// The number of variables `formulas` read: one past the largest Var index.
std::size_t variables_read(const std::vector<Expression>& formulas) {
    std::size_t count = 0;
    for (const Expression& f : formulas)
        for (const Node& n : f.nodes())
            if (n.op == Op::Var) count = std::max<std::size_t>(count, n.index + 1u);
    return count;
}

json formulas_json(const std::vector<Expression>& formulas, const std::vector<std::string>& names) {
    json out = json::array();
    for (const Expression& f : formulas) out.push_back(to_infix(f, names));
    return out;
}

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// Reads the fields of one JSON object, each error naming the file and the field's path.
class FieldReader {
public:
    FieldReader(const json& object, std::string path, std::string prefix)
        : object_(object), path_(std::move(path)), prefix_(std::move(prefix)) {
        if (object_.is_object()) return;
        if (!prefix_.empty()) fail(prefix_, "a JSON object");
        throw InputError(path_ + ": expected a checkpoint (a JSON object), found " + object_.type_name(),
                         {path_, 0, 0});
    }

    [[noreturn]] void fail(const std::string& field, const std::string& expected) const {
        throw InputError(path_ + ": field '" + field + "': expected " + expected, {path_, 0, 0});
    }
    std::string name(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

    const json& at(const std::string& key) const {
        const auto it = object_.find(key);
        if (it == object_.end()) fail(name(key), "a value, found none (the field is missing)");
        return *it;
    }
    FieldReader object(const std::string& key) const { return FieldReader(at(key), path_, name(key)); }
    std::string text(const std::string& key) const {
        const json& v = at(key);
        if (!v.is_string()) fail(name(key), "a string");
        return v.get<std::string>();
    }
    bool flag(const std::string& key) const {
        const json& v = at(key);
        if (!v.is_boolean()) fail(name(key), "true or false");
        return v.get<bool>();
    }
    std::size_t count(const std::string& key) const {
        const json& v = at(key);
        if (!v.is_number_unsigned()) fail(name(key), "a whole number");
        return v.get<std::size_t>();
    }
    // A finite number, or NaN for null when `null_is_nan`.
    double number(const std::string& key, bool null_is_nan = false) const {
        const json& v = at(key);
        if (null_is_nan && v.is_null()) return std::nan("");
        if (!v.is_number() || !std::isfinite(v.get<double>())) fail(name(key), "a finite number");
        return v.get<double>();
    }
    std::vector<std::string> texts(const std::string& key) const {
        const json& v = at(key);
        if (!v.is_array()) fail(name(key), "an array of strings");
        std::vector<std::string> out;
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (!v[k].is_string()) fail(name(key) + "[" + std::to_string(k) + "]", "a string");
            out.push_back(v[k].get<std::string>());
        }
        return out;
    }
    Expression formula(const std::string& field, const std::string& text,
                       const std::vector<std::string>& variables) const {
        try {
            return grammar::parse_formula(text, variables);
        } catch (const grammar::ParseError& e) {
            fail(field, "a formula over " + std::string(variables.empty() ? "no variables" : "the inputs") + " (" +
                            e.what() + ")");
        }
    }
    std::vector<Expression> formulas(const std::string& key, const std::vector<std::string>& variables) const {
        const std::vector<std::string> list = texts(key);
        std::vector<Expression> out;
        for (std::size_t k = 0; k < list.size(); ++k)
            out.push_back(formula(name(key) + "[" + std::to_string(k) + "]", list[k], variables));
        return out;
    }

private:
    const json& object_;
    std::string path_;
    std::string prefix_;
};

json state_json(const CheckpointFile& file) {
    const RunCheckpoint& s = file.state;
    const std::size_t groups = variables_read(s.group_seeds);
    return {{"next_stage", stage_name(s.next_stage)},
            {"inputs", file.inputs},
            {"pool", formulas_json(s.pool, file.inputs)},
            {"group_count", groups},
            {"group_monomial", s.group_monomial ? json(to_infix(*s.group_monomial, file.inputs)) : json(nullptr)},
            {"group_seeds", formulas_json(s.group_seeds, group_names(groups))},
            {"input_seeds", formulas_json(s.input_seeds, file.inputs)},
            {"exact", s.exact},
            {"quick_exact", s.quick_exact},
            {"at_noise_floor", s.at_noise_floor},
            {"timed_out", s.timed_out},
            {"evaluation_limit_reached", s.evaluation_limit_reached},
            {"evaluations", s.evaluations},
            {"seconds", s.seconds},
            {"noise_estimate", number_or_null(s.noise_estimate)},
            {"notes", s.notes},
            {"explanation", s.explanation}};
}

RunCheckpoint state_from(const FieldReader& r, const std::vector<std::string>& inputs) {
    RunCheckpoint s;
    const std::optional<RunStage> stage = stage_from_name(r.text("next_stage"));
    if (!stage) r.fail(r.name("next_stage"), "a stage: quick_fits, search_groups, ..., evolve or finish");
    s.next_stage = *stage;
    s.pool = r.formulas("pool", inputs);
    const std::size_t groups = r.count("group_count");
    if (!r.at("group_monomial").is_null())
        s.group_monomial = r.formula(r.name("group_monomial"), r.text("group_monomial"), inputs);
    s.group_seeds = r.formulas("group_seeds", group_names(groups));
    s.input_seeds = r.formulas("input_seeds", inputs);
    s.exact = r.flag("exact");
    s.quick_exact = r.flag("quick_exact");
    s.at_noise_floor = r.flag("at_noise_floor");
    s.timed_out = r.flag("timed_out");
    s.evaluation_limit_reached = r.flag("evaluation_limit_reached");
    s.evaluations = r.count("evaluations");
    s.seconds = r.number("seconds");
    s.noise_estimate = r.number("noise_estimate", true);
    s.notes = r.texts("notes");
    s.explanation = r.texts("explanation");
    return s;
}

// Line and column (1-based) of byte `offset` of `text`.
std::pair<std::size_t, std::size_t> line_column(const std::string& text, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t k = 0; k < offset && k < text.size(); ++k) {
        if (text[k] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

}  // namespace

TableFingerprint fingerprint(const Table& table) {
    TableFingerprint f;
    f.rows = static_cast<std::size_t>(table.data.rows());
    f.columns = static_cast<std::size_t>(table.data.cols());
    f.names = table.names;
    f.units = table.units;
    std::uint64_t h = fnv1a(fnv1a(kFnvOffset, f.rows), f.columns);
    const double* values = table.data.data();
    for (Eigen::Index k = 0; k < table.data.size(); ++k)
        h = fnv1a(h, std::isnan(values[k]) ? 0x7ff8000000000000ull : std::bit_cast<std::uint64_t>(values[k]));
    f.hash = hex(avalanche(h));
    return f;
}

std::string fingerprint_difference(const TableFingerprint& saved, const TableFingerprint& now) {
    auto counted = [](std::size_t n, const char* what) { return std::to_string(n) + " " + what; };
    if (now.columns != saved.columns)
        return counted(now.columns, "columns") + ", the checkpoint's table has " + std::to_string(saved.columns);
    if (now.rows != saved.rows)
        return counted(now.rows, "rows") + ", the checkpoint's table has " + std::to_string(saved.rows);
    for (std::size_t c = 0; c < now.names.size() && c < saved.names.size(); ++c) {
        if (now.names[c] != saved.names[c])
            return "column " + std::to_string(c + 1) + " is '" + now.names[c] + "', the checkpoint's is '" +
                   saved.names[c] + "'";
        if (c < now.units.size() && c < saved.units.size() && now.units[c] != saved.units[c])
            return "the unit of column '" + now.names[c] + "' is '" + now.units[c] + "', the checkpoint's is '" +
                   saved.units[c] + "'";
    }
    if (now.hash != saved.hash)
        return "its values differ from the checkpoint's table (hash " + now.hash + ", " + saved.hash +
               " in the checkpoint)";
    return "";
}

json checkpoint_json(const CheckpointFile& file) {
    const TableFingerprint& t = file.table;
    return {
        {"checkpoint_schema_version", kCheckpointSchemaVersion},
        {"kepler_version", KEPLER_VERSION},
        {"data_file", file.data_file},
        {"table", {{"rows", t.rows}, {"columns", t.columns}, {"names", t.names}, {"units", t.units}, {"hash", t.hash}}},
        {"options", file.options},
        {"state", state_json(file)}};
}

CheckpointFile checkpoint_from_json(const json& doc, const std::string& path) {
    const FieldReader r(doc, path, "");
    const json& version = r.at("checkpoint_schema_version");
    if (!version.is_number_integer() || version.get<long long>() != kCheckpointSchemaVersion)
        r.fail("checkpoint_schema_version", std::to_string(kCheckpointSchemaVersion) + ", found " + version.dump() +
                                                " (a checkpoint of another version of kepler cannot be resumed)");
    const std::string kepler_version = r.text("kepler_version");
    if (kepler_version != KEPLER_VERSION)
        r.fail("kepler_version", std::string(KEPLER_VERSION) + ", found '" + kepler_version +
                                     "' (another version of kepler searches differently)");
    CheckpointFile file;
    file.data_file = r.text("data_file");
    const FieldReader t = r.object("table");
    file.table = {t.count("rows"), t.count("columns"), t.texts("names"), t.texts("units"), t.text("hash")};
    if (!r.at("options").is_object()) r.fail("options", "a JSON object");
    file.options = r.at("options");
    const FieldReader s = r.object("state");
    file.inputs = s.texts("inputs");
    file.state = state_from(s, file.inputs);
    file.state.inputs = file.inputs;
    return file;
}

CheckpointFile read_checkpoint(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot read the checkpoint file", {path, 0, 0});
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        const auto [line, column] = line_column(text, e.byte > 0 ? e.byte - 1 : 0);
        std::string what = e.what();
        if (const std::size_t colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
        throw InputError(path + ":" + std::to_string(line) + ":" + std::to_string(column) +
                             ": expected a checkpoint in JSON, found a syntax error (" + what + ")",
                         {path, line, column});
    }
    return checkpoint_from_json(doc, path);
}

}  // namespace kepler::api
