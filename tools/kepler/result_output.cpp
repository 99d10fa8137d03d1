#include "result_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include <ostream>
#include <stdexcept>
#include "kepler/api/result_json.hpp"
#include "kepler/core/printer.hpp"

namespace kepler::cli {

namespace {

std::string fixed(const char* format, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

// The fitted constants of a law, one a line: "  c1 = 8.314 ± 0.0021" (value as the formula
// prints it, standard error to two significant digits).
void print_constants(std::ostream& out, const std::vector<FittedConstant>& constants) {
    for (std::size_t i = 0; i < constants.size(); ++i) {
        const FittedConstant& c = constants[i];
        out << "  c" << i + 1 << " = " << format_number(c.value) << " ± ";
        if (std::isinf(c.standard_error))
            out << "inf (the data do not determine it)";
        else
            out << fixed("%.2g", c.standard_error);
        out << "\n";
    }
}

// A channel's name with its unit: "V [L]".
std::string with_unit(const ChannelScreen& c) {
    std::string s = c.name;
    if (!c.unit.empty()) {
        s += " [";
        s += c.unit;
        s += "]";
    }
    return s;
}

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) {
        if (!s.empty()) s += ", ";
        s += n;
    }
    return s;
}

}  // namespace

void print_explanation(std::ostream& out, const DiscoveryResult& r) {
    out << "steps taken:\n";
    if (r.dimensional_analysis) {
        out << "  dimensional analysis: target monomial "
            << (r.target_monomial.empty() ? std::string("(none)") : r.target_monomial) << ", "
            << r.dimensionless_groups.size() << " dimensionless groups\n";
    }
    for (const auto& line : r.explanation) out << "  " << line << "\n";
}

void print_report(std::ostream& out, const DiscoveryResult& r) {
    out << "target " << r.target << " from ";
    for (std::size_t i = 0; i < r.inputs.size(); ++i) out << (i ? ", " : "") << r.inputs[i];
    out << " (" << r.rows_used << " rows";
    if (r.rows_sampled > 0) out << ", searched on a random sample of " << r.rows_sampled;
    if (r.rows_dropped > 0) out << "; " << r.rows_dropped << " left out";
    if (r.rows_spikes > 0) out << "; " << r.rows_spikes << " spikes left out";
    out << ")\n";
    if (r.dimensional_analysis) {
        out << "units: " << r.unit_system << "; target monomial "
            << (r.target_monomial.empty() ? std::string("(none: a constant is needed)") : r.target_monomial);
        out << "; dimensionless groups: ";
        if (r.dimensionless_groups.empty()) out << "none";
        for (std::size_t i = 0; i < r.dimensionless_groups.size(); ++i)
            out << (i ? ", " : "") << r.dimensionless_groups[i];
        out << "\n";
        for (const auto& c : r.constants_introduced) out << "constant brought in: " << c << "\n";
        for (const auto& s : r.scales_absorbed) out << "unit scale absorbed: " << s << "\n";
    }
    for (const auto& note : r.notes) out << "note: " << note << "\n";
    out << "search: " << r.evaluations << " candidates in " << fixed("%.2f", r.seconds) << " s";
    if (r.cancelled)
        out << " (interrupted)";
    else if (r.timed_out)
        out << " (time limit reached)";
    else if (r.evaluation_limit_reached)
        out << " (evaluation limit reached)";
    out << "\n";
    if (r.front.empty()) {
        out << "no formula found\n";
        return;
    }
    out << "Pareto front (complexity bits, RMSE, R2):\n";
    for (std::size_t i = 0; i < r.front.size(); ++i) {
        const auto& law = r.front[i];
        out << (i == r.best ? " * " : "   ") << fixed("%6.1f", law.complexity_bits) << "  "
            << fixed("%-10.3g", law.rmse) << "  " << fixed("%-10.6f", law.r2) << "  " << r.target << " = "
            << law.formula << "\n";
    }
    const FoundLaw& best = *r.best_law();
    out << "best: " << r.target << " = " << best.formula << "\n";
    print_constants(out, best.constants);
    if (best.named_constants.empty()) return;
    // The named form's constants, and the law with their values (what the scores are of).
    for (const NamedConstant& c : best.named_constants)
        out << "  where " << c.symbol << " = " << format_number(c.value) << " " << c.unit
            << (c.description.empty() ? std::string() : " (" + c.description + ")") << "\n";
    out << "numeric: " << r.target << " = " << best.numeric_formula << "\n";
}

void print_screening(std::ostream& out, const Table& table, const ScreenedDiscoveryResult& result) {
    const ScreenReport& report = result.screening;
    if (report.channels.empty()) {  // not screened (too few rows): only why
        for (const auto& note : report.notes) out << "screening: " << note << "\n";
        return;
    }
    std::size_t kept = 0, dropped = 0;
    for (const ChannelScreen& c : report.channels) {
        if (c.verdict == ChannelVerdict::Kept)
            ++kept;
        else if (c.verdict != ChannelVerdict::Interchangeable)
            ++dropped;
    }
    out << "screening: " << report.candidates << " candidate channels of " << table.columns() << " columns, "
        << report.rows_scored << " of " << report.rows_with_target << " rows with " << report.target << " scored, "
        << fixed("%.2f", report.seconds) << " s; kept " << kept << ", dropped " << dropped << ", interchangeable "
        << report.channels.size() - kept - dropped << "\n";
    for (const ChannelScreen& c : report.channels)
        if (c.verdict != ChannelVerdict::Kept && c.verdict != ChannelVerdict::Interchangeable)
            out << "  dropped " << with_unit(c) << ": " << c.reason << "\n";
    for (const ChannelScreen& c : report.channels)
        if (c.verdict == ChannelVerdict::Interchangeable)
            out << "  interchangeable " << with_unit(c) << ": " << c.reason << "\n";
    for (const auto& note : report.notes) out << "  note: " << note << "\n";
    out << "kept channels by relevance (power-law gain in log|" << report.target << "|, correlation ratio, surrogate"
        << " interaction share):\n";
    // The first 15, and any further channel a subset uses; the rest summarised.
    const std::vector<std::size_t> ranking = report.ranking();
    std::size_t hidden = 0;
    double hidden_max = 0.0;
    for (std::size_t i = 0; i < ranking.size(); ++i) {
        const ChannelScreen& c = *report.channel(ranking[i]);
        bool in_subset = false;
        for (const ChannelSubset& s : report.subsets)
            in_subset = in_subset || std::find(s.columns.begin(), s.columns.end(), c.column) != s.columns.end();
        if (i < 15 || in_subset) {
            out << "  " << with_unit(c) << ": " << c.reason << "\n";
        } else {
            ++hidden;
            hidden_max = std::max(hidden_max, c.relevance);
        }
    }
    if (hidden > 0)
        out << "  ... and " << hidden << " more, each of relevance at most " << fixed("%.3f", hidden_max) << "\n";
    out << "candidate subsets (most likely first):\n";
    for (std::size_t i = 0; i < report.subsets.size(); ++i)
        out << "  " << i + 1 << ". " << join(report.subsets[i].names) << ": " << report.subsets[i].reason << "\n";
    for (const auto& r : report.rejected) out << "  ruled out by units: " << r << "\n";
    out << "subsets searched:\n";
    for (std::size_t i = 0; i < result.attempts.size(); ++i) {
        const SubsetAttempt& a = result.attempts[i];
        out << (i == result.chosen ? "  * " : "    ") << i + 1 << ". " << join(a.inputs) << ": ";
        if (!a.formula.empty())
            out << report.target << " = " << a.formula << " (RMSE " << fixed("%.3g", a.rmse) << ", "
                << fixed("%.2f", a.seconds) << " s); ";
        out << a.outcome << "\n";
    }
    for (const auto& [used, others] : result.interchangeable)
        out << "interchangeable: " << used << " could be replaced by " << join(others) << "\n";
}

void write_json(const std::string& path, const DiscoveryResult& r, const std::string& data_file,
                const nlohmann::json& options, const ScreenedDiscoveryResult* screened) {
    write_json(path, api::result_json(r, data_file, options, screened));
}

void write_json(const std::string& path, const nlohmann::json& doc) {
    write_file_atomically(path, doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

namespace {

std::string folder_of(const std::string& path) {
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    return folder.empty() ? std::string(".") : folder.string();
}

[[noreturn]] void fail_writing(const std::string& path, const std::string& why) {
    throw std::runtime_error("cannot write '" + path + "': " + why);
}

// Writes all of `text` to `fd`; false on an error (errno set).
bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view text) {
    const std::string name = std::filesystem::path(path).filename().string();
    std::string temporary = folder_of(path) + "/." + name + ".tmp-XXXXXX";
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0) fail_writing(path, std::strerror(errno));
    // mkstemp makes the file private (0600); give it the mode a new file would have, or the
    // old file's.
    struct stat old {};
    mode_t mode;
    if (::stat(path.c_str(), &old) == 0) {
        mode = old.st_mode & 07777;
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    const bool written = write_all(fd, text) && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
    const int write_errno = errno;
    const bool closed = ::close(fd) == 0;
    if (!written || !closed) {
        ::unlink(temporary.c_str());
        fail_writing(path, std::strerror(written ? errno : write_errno));
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int rename_errno = errno;
        ::unlink(temporary.c_str());
        fail_writing(path, std::strerror(rename_errno));
    }
}

std::string output_path_problem(const std::string& path, std::span<const std::string> inputs) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status)) return "'" + path + "' is a folder";
    if (fs::exists(status))
        for (const std::string& input : inputs)
            if (fs::equivalent(path, input, ec))
                return "'" + path + "' is the input file; writing it would destroy the data";
    const std::string folder = folder_of(path);
    if (!fs::is_directory(folder, ec)) return "cannot write '" + path + "': the folder '" + folder + "' does not exist";
    if (::access(folder.c_str(), W_OK) != 0)
        return "cannot write '" + path + "': the folder '" + folder + "' is not writable";
    return "";
}

}  // namespace kepler::cli
