// Fuzz target for the CSV reader. The reader promises that its result and its first error do not
// depend on how it splits the work, so the property is a differential one: the text parsed in
// one block, in tiny blocks (in parallel), and from a file (a memfd, read with pread) gives the
// same table or the same error (line, column, message). And where the whole text parses, reading
// only its first rows (max_rows) gives those rows. A ParseError is expected; anything else, or a
// disagreement, is a failure.

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_check.hpp"
#include "kepler/core/table.hpp"
#include "kepler/grammar/csv_reader.hpp"

namespace {

using kepler::Table;
using kepler::grammar::CsvOptions;
using kepler::grammar::ParseError;

// A table, or where and why it was refused (without the source name, which differs).
using Outcome = std::variant<Table, std::string>;

std::string position_and_message(const ParseError& e) {
    return std::to_string(e.line()) + ":" + std::to_string(e.column()) + ": " + e.message();
}

template <class Read>
Outcome outcome_of(Read read) {
    try {
        return read();
    } catch (const ParseError& e) {
        return position_and_message(e);
    }
}

bool same_bits(const double* a, const double* b, std::size_t count) {
    return count == 0 || std::memcmp(a, b, count * sizeof(double)) == 0;
}

// The first `rows` rows of `a` are `b` (names, units and numbers; not roles, which the later
// rows can decide).
bool same_rows(const Table& a, const Table& b, std::size_t rows) {
    if (a.names != b.names || a.units != b.units || a.unit_columns != b.unit_columns) return false;
    if (b.rows() != rows || a.rows() < rows || a.data.cols() != b.data.cols()) return false;
    for (Eigen::Index c = 0; c < a.data.cols(); ++c)
        if (!same_bits(a.data.col(c).data(), b.data.col(c).data(), rows)) return false;
    return true;
}

bool same(const Outcome& a, const Outcome& b) {
    if (a.index() != b.index()) return false;
    if (a.index() == 1) return std::get<1>(a) == std::get<1>(b);
    const Table& ta = std::get<0>(a);
    const Table& tb = std::get<0>(b);
    return ta.roles == tb.roles && same_rows(ta, tb, ta.rows());
}

std::string describe(const Outcome& o) {
    if (o.index() == 1) return "error " + std::get<1>(o);
    const Table& t = std::get<0>(o);
    return "table of " + std::to_string(t.rows()) + " rows x " + std::to_string(t.columns()) + " columns";
}

// One in-memory file, rewritten for every input.
class MemoryFile {
public:
    MemoryFile() : fd_(::memfd_create("kepler-csv-fuzz", 0)) {
        if (fd_ < 0) kepler::fuzz::fail("memfd_create failed", std::strerror(errno));
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    const std::string& write(std::string_view text) {
        if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
            kepler::fuzz::fail("writing the memfd failed", std::strerror(errno));
        return path_;
    }

private:
    int fd_;
    std::string path_;
};

void check(std::string_view text) {
    static MemoryFile file;
    const CsvOptions one_block;
    const CsvOptions tiny_blocks{.max_rows = 0, .block_bytes = 7};

    const Outcome whole = outcome_of([&] { return kepler::grammar::parse_csv(text, "fuzz.csv", one_block); });
    const Outcome blocks = outcome_of([&] { return kepler::grammar::parse_csv(text, "fuzz.csv", tiny_blocks); });
    if (!same(whole, blocks))
        kepler::fuzz::fail("tiny blocks read the text differently", describe(whole) + " vs " + describe(blocks));
    const std::string& path = file.write(text);
    const Outcome from_file = outcome_of([&] { return kepler::grammar::read_csv(path, tiny_blocks); });
    if (!same(whole, from_file))
        kepler::fuzz::fail("the file reads differently", describe(whole) + " vs " + describe(from_file));

    if (whole.index() != 0) return;
    const Table& table = std::get<0>(whole);
    if (table.rows() < 2) return;
    const std::size_t first = table.rows() / 2;
    const CsvOptions head{.max_rows = first, .block_bytes = 7};
    const Outcome part = outcome_of([&] { return kepler::grammar::parse_csv(text, "fuzz.csv", head); });
    if (part.index() != 0 || !same_rows(table, std::get<0>(part), first))
        kepler::fuzz::fail(
            "max_rows does not give the first rows",
            "the first " + std::to_string(first) + " rows of a " + describe(whole) + " gave " + describe(part));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    return kepler::fuzz::run_checked([&] { check(text); });
}
