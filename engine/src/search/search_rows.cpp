#include "search_rows.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace kepler::detail {

namespace {

Rows take(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const std::vector<Eigen::Index>& rows) {
    Rows out{Eigen::MatrixXd(static_cast<Eigen::Index>(rows.size()), X.cols()),
             Eigen::VectorXd(static_cast<Eigen::Index>(rows.size()))};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out.X.row(static_cast<Eigen::Index>(i)) = X.row(rows[i]);
        out.y(static_cast<Eigen::Index>(i)) = y(rows[i]);
    }
    return out;
}

std::vector<Eigen::Index> all_rows(Eigen::Index n) {
    std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), Eigen::Index{0});
    return rows;
}

}  // namespace

Rows sample_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::size_t m, std::uint64_t seed) {
    std::vector<Eigen::Index> rows = all_rows(X.rows());
    const std::size_t n = rows.size();
    if (m > 0 && m < n) {
        std::mt19937_64 rng(seed);
        for (std::size_t i = 0; i < m; ++i) {
            std::uniform_int_distribution<std::size_t> pick(i, n - 1);
            std::swap(rows[i], rows[pick(rng)]);
        }
        rows.resize(m);
        std::sort(rows.begin(), rows.end());
    }
    return take(X, y, rows);
}

Rows shuffled_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::uint64_t seed) {
    std::vector<Eigen::Index> rows = all_rows(X.rows());
    std::shuffle(rows.begin(), rows.end(), std::mt19937_64(seed));
    return take(X, y, rows);
}

void check_search_table(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                        const std::optional<DimensionalConstraints>& dimensions, std::string_view search) {
    auto fail = [&](const char* what) {
        std::string message(search);
        message += ": ";
        message += what;
        throw std::invalid_argument(message);
    };
    if (X.rows() != y.size()) fail("X and y have different row counts");
    if (X.cols() > std::numeric_limits<std::uint16_t>::max()) fail("too many input columns");
    if (!X.allFinite() || !y.allFinite()) fail("X and y must be finite (drop such rows first)");
    if (dimensions && dimensions->variables.size() != static_cast<std::size_t>(X.cols()))
        fail("one dimension per input column is needed");
}

}  // namespace kepler::detail
