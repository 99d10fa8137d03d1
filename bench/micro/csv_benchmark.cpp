// CSV parsing throughput. Two tables are generated in memory once:
//   - "wide":  200,000 rows x 10 columns of full-precision doubles (shortest round-trip form,
//              17 significant digits, magnitudes 1e-3..1e3 with both signs): about 40 MB;
//   - "short": 1,000,000 rows x 4 columns of short numbers like 1.234: about 24 MB.
// parse_csv parses the text from memory; read_csv reads the same text from a temporary file
// (written once, removed at exit) and so includes the file read, from the page cache here.
// Both parse blocks of rows in parallel on all cores (the default CsvOptions); the "OneBlock"
// variants parse the whole text as one block, on one thread, as the reader did before.
// "bytes/s" is the CSV text parsed per second (decimal: 1M = 1e6 bytes).
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

#include "kepler/grammar/csv_reader.hpp"

namespace {

std::string header(int columns) {
    std::string h;
    for (int j = 0; j < columns; ++j) {
        if (j > 0) h += ',';
        h += 'x';
        h += std::to_string(j);
        h += " [m]";
    }
    h += '\n';
    return h;
}

void append_double(std::string& out, double v) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    if (ec != std::errc()) throw std::runtime_error("to_chars failed");
    out.append(buffer, end);
}

std::string make_wide() {
    constexpr int kRows = 200000, kColumns = 10;
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> exponent(-3.0, 3.0);
    std::bernoulli_distribution negative(0.5);
    std::string text = header(kColumns);
    text.reserve(42u << 20);
    for (int i = 0; i < kRows; ++i) {
        for (int j = 0; j < kColumns; ++j) {
            if (j > 0) text += ',';
            const double v = std::pow(10.0, exponent(rng));
            append_double(text, negative(rng) ? -v : v);
        }
        text += '\n';
    }
    return text;
}

std::string make_short() {
    constexpr int kRows = 1000000, kColumns = 4;
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<int> thousandths(0, 9999);  // 0.000 .. 9.999
    std::string text = header(kColumns);
    text.reserve(25u << 20);
    char buffer[16];
    for (int i = 0; i < kRows; ++i) {
        for (int j = 0; j < kColumns; ++j) {
            if (j > 0) text += ',';
            const int v = thousandths(rng);
            const int n = std::snprintf(buffer, sizeof buffer, "%d.%03d", v / 1000, v % 1000);
            text.append(buffer, static_cast<std::size_t>(n));
        }
        text += '\n';
    }
    return text;
}

const std::string& wide_text() {
    static const std::string text = make_wide();
    return text;
}

const std::string& short_text() {
    static const std::string text = make_short();
    return text;
}

// A temporary copy of some text on disk, removed when the program exits.
struct TempCsv {
    std::filesystem::path path;
    explicit TempCsv(const std::string& text, const char* name) {
        std::string file = "kepler_csv_bench_";
        file += std::to_string(::getpid());
        file += '_';
        file += name;
        file += ".csv";
        path = std::filesystem::temp_directory_path() / file;
        std::ofstream out(path, std::ios::binary);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!out) throw std::runtime_error("cannot write " + path.string());
    }
    ~TempCsv() {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    }
    TempCsv(const TempCsv&) = delete;
    TempCsv& operator=(const TempCsv&) = delete;
};

void count_bytes(benchmark::State& state, const std::string& text, std::size_t rows) {
    const double iterations = static_cast<double>(state.iterations());
    state.counters["bytes/s"] =
        benchmark::Counter(static_cast<double>(text.size()) * iterations, benchmark::Counter::kIsRate);
    state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows) * iterations, benchmark::Counter::kIsRate);
    state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}

kepler::grammar::CsvOptions one_block() {
    kepler::grammar::CsvOptions options;
    options.block_bytes = std::size_t{1} << 40;
    return options;
}

void parse_text(benchmark::State& state, const std::string& text, const kepler::grammar::CsvOptions& options = {}) {
    std::size_t rows = 0;
    for (auto _ : state) {
        kepler::Table table = kepler::grammar::parse_csv(text, "bench.csv", options);
        rows = table.rows();
        benchmark::DoNotOptimize(table.data.data());
    }
    count_bytes(state, text, rows);
}

void read_file(benchmark::State& state, const std::string& text, const TempCsv& file) {
    std::size_t rows = 0;
    for (auto _ : state) {
        kepler::Table table = kepler::grammar::read_csv(file.path.string());
        rows = table.rows();
        benchmark::DoNotOptimize(table.data.data());
    }
    count_bytes(state, text, rows);
}

void BM_CsvParseWide(benchmark::State& state) { parse_text(state, wide_text()); }
void BM_CsvParseShort(benchmark::State& state) { parse_text(state, short_text()); }
void BM_CsvParseWideOneBlock(benchmark::State& state) { parse_text(state, wide_text(), one_block()); }
void BM_CsvParseShortOneBlock(benchmark::State& state) { parse_text(state, short_text(), one_block()); }

void BM_CsvReadFileWide(benchmark::State& state) {
    static const TempCsv file(wide_text(), "wide");
    read_file(state, wide_text(), file);
}

void BM_CsvReadFileShort(benchmark::State& state) {
    static const TempCsv file(short_text(), "short");
    read_file(state, short_text(), file);
}

}  // namespace

BENCHMARK(BM_CsvParseWide)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvParseShort)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvParseWideOneBlock)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvParseShortOneBlock)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvReadFileWide)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CsvReadFileShort)->Unit(benchmark::kMillisecond)->UseRealTime();
