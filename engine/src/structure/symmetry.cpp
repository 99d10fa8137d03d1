// Symmetry: f depends on (x_i, x_j) only through one combination of them. Each probe moves the
// pair along a level set of the combination (the others fixed), e.g. x_i + d, x_j + d for
// x_i - x_j, and compares the change in f with the changes the same steps make one input at
// a time: zero against clearly non-zero when the symmetry holds.
#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "evidence.hpp"
#include "kepler/structure/structure_tests.hpp"

namespace kepler {

namespace {

bool one_signed(double lo, double hi) { return lo > 0 || hi < 0; }

}  // namespace

const char* to_string(Combination combination) noexcept {
    switch (combination) {
        case Combination::difference:
            return "difference";
        case Combination::sum:
            return "sum";
        case Combination::product:
            return "product";
        case Combination::ratio:
            return "ratio";
    }
    return "?";
}

Eigen::VectorXd combine(Combination combination, const Eigen::VectorXd& xi, const Eigen::VectorXd& xj) {
    if (xi.size() != xj.size()) throw std::invalid_argument("combine: columns of different lengths");
    switch (combination) {
        case Combination::difference:
            return xi - xj;
        case Combination::sum:
            return xi + xj;
        case Combination::product:
            return xi.cwiseProduct(xj);
        case Combination::ratio:
            return xi.cwiseQuotient(xj);
    }
    return xi;
}

SymmetryResult test_symmetry(const StructureModel& model, std::size_t i, std::size_t j, Combination combination) {
    const std::size_t n = model.inputs();
    if (i >= n || j >= n || i == j) throw std::invalid_argument("test_symmetry: needs two different inputs");
    SymmetryResult result;
    result.i = i;
    result.j = j;
    result.combination = combination;
    const Eigen::VectorXd& lo = model.lower();
    const Eigen::VectorXd& hi = model.upper();
    const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
    const bool multiplicative = combination == Combination::product || combination == Combination::ratio;
    if (multiplicative && !(one_signed(lo[a], hi[a]) && one_signed(lo[b], hi[b]))) return result;

    const StructureOptions& options = model.options();
    std::mt19937_64 rng(options.seed + 7919 * (i * n + j) + static_cast<std::uint64_t>(combination));
    const Eigen::Index probes = static_cast<Eigen::Index>(options.probes);
    const Eigen::MatrixXd base = model.sample(options.probes, rng);
    // Rows: base, both moved, x_i moved alone, x_j moved alone.
    Eigen::MatrixXd P(4 * probes, base.cols());
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (Eigen::Index r = 0; r < probes; ++r) {
        const double xi = base(r, a), xj = base(r, b);
        // The step t keeps both moved coordinates in the box; additive moves shift, the
        // multiplicative ones scale by e^t (|x| grows or shrinks, its sign stays).
        double t_lo, t_hi;
        const double sj = combination == Combination::difference || combination == Combination::ratio ? 1.0 : -1.0;
        if (!multiplicative) {
            t_lo = std::max(lo[a] - xi, sj > 0 ? lo[b] - xj : xj - hi[b]);
            t_hi = std::min(hi[a] - xi, sj > 0 ? hi[b] - xj : xj - lo[b]);
        } else {
            const double li = std::log(std::abs(xi)), lj = std::log(std::abs(xj));
            const double ai = std::log(std::min(std::abs(lo[a]), std::abs(hi[a]))),
                         bi = std::log(std::max(std::abs(lo[a]), std::abs(hi[a])));
            const double aj = std::log(std::min(std::abs(lo[b]), std::abs(hi[b]))),
                         bj = std::log(std::max(std::abs(lo[b]), std::abs(hi[b])));
            t_lo = std::max(ai - li, sj > 0 ? aj - lj : lj - bj);
            t_hi = std::min(bi - li, sj > 0 ? bj - lj : lj - aj);
        }
        const double t = t_lo + unit(rng) * (t_hi - t_lo);
        const double moved_i = multiplicative ? xi * std::exp(t) : xi + t;
        const double moved_j = multiplicative ? xj * std::exp(sj * t) : xj + sj * t;
        P.row(r) = base.row(r);
        P.row(probes + r) = base.row(r);
        P(probes + r, a) = moved_i;
        P(probes + r, b) = moved_j;
        P.row(2 * probes + r) = base.row(r);
        P(2 * probes + r, a) = moved_i;
        P.row(3 * probes + r) = base.row(r);
        P(3 * probes + r, b) = moved_j;
    }
    Eigen::VectorXd f, slope;
    model.values(P, model.log_target(), f, slope);
    structure_detail::ProbeTally tally;
    std::vector<Eigen::Index> used;
    for (Eigen::Index r = 0; r < probes; ++r) {
        const double f0 = f[r], both = f[probes + r], only_i = f[2 * probes + r], only_j = f[3 * probes + r];
        const double v = both - f0;
        const double reference = std::sqrt(0.5 * ((only_i - f0) * (only_i - f0) + (only_j - f0) * (only_j - f0)));
        if (!std::isfinite(v) || !std::isfinite(reference)) continue;
        tally.add(v, reference);
        used.push_back(r);
    }
    structure_detail::add_errors(model, P, probes, used, {1, 0}, {1.0, -1.0}, model.log_target(), tally);
    result.evidence = structure_detail::weigh(tally, options.z, options.probes / 4);
    return result;
}

std::vector<SymmetryResult> find_symmetries(const StructureModel& model) {
    std::vector<SymmetryResult> found;
    for (std::size_t i = 0; i < model.inputs(); ++i)
        for (std::size_t j = i + 1; j < model.inputs(); ++j)
            for (Combination c :
                 {Combination::difference, Combination::sum, Combination::product, Combination::ratio}) {
                SymmetryResult r = test_symmetry(model, i, j, c);
                if (r.evidence.verdict == StructureVerdict::holds) found.push_back(r);
            }
    std::stable_sort(found.begin(), found.end(), [](const SymmetryResult& x, const SymmetryResult& y) {
        return x.evidence.confidence > y.evidence.confidence;
    });
    return found;
}

}  // namespace kepler
