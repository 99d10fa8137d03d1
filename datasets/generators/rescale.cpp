#include "rescale.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace kepler::datasets {

namespace {

// FNV-1a, then SplitMix64's finaliser: portable, unlike std::hash, so a seed means the same
// units everywhere.
std::uint64_t mix(std::uint64_t h) {
    h += 0x9e3779b97f4a7c15ULL;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 0xcbf29ce484222325ULL) {
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

}  // namespace

std::vector<double> unit_exponents(std::uint64_t seed, std::string_view key, std::size_t bases, int max_exponent) {
    if (max_exponent < 0) throw std::invalid_argument("rescale exponent bound must be >= 0");
    if (bases > kMaxBaseDimensions) throw std::invalid_argument("too many base units");
    std::vector<double> k(bases, 0.0);
    const auto span = static_cast<std::uint64_t>(2 * max_exponent + 1);
    for (std::size_t j = 0; j < bases; ++j) {
        const std::uint64_t h = mix(fnv1a(key, mix(seed)) ^ mix(j + 1));
        k[j] = static_cast<double>(static_cast<std::int64_t>(h % span) - max_exponent);
    }
    return k;
}

double rescale_factor(const Dimension& d, const std::vector<double>& exponents) {
    double power = 0.0;
    for (std::size_t j = 0; j < kMaxBaseDimensions; ++j) {
        const double e = d.exponent(j).to_double();
        if (e == 0.0) continue;
        if (j >= exponents.size())
            throw std::invalid_argument("dimension uses base " + std::to_string(j) + " but only " +
                                        std::to_string(exponents.size()) + " exponents were given");
        power += e * exponents[j];
    }
    return std::pow(10.0, -power);
}

void rescale_table(Table& table, const std::vector<Dimension>& column_dimensions,
                   const std::vector<double>& exponents) {
    if (column_dimensions.size() != static_cast<std::size_t>(table.data.cols()))
        throw std::invalid_argument("rescale_table: " + std::to_string(column_dimensions.size()) + " dimensions for " +
                                    std::to_string(table.data.cols()) + " columns");
    for (std::size_t c = 0; c < column_dimensions.size(); ++c)
        table.data.col(static_cast<Eigen::Index>(c)) *= rescale_factor(column_dimensions[c], exponents);
}

}  // namespace kepler::datasets
