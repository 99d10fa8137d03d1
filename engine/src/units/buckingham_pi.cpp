#include "kepler/units/buckingham_pi.hpp"

#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "kepler/units/completing_constants.hpp"

// Why exact arithmetic: the answer is a set of exponents such as 1/2 or -3, which later become
// part of a formula and must come out exactly (a Gaussian statcoulomb carries halves). Eigen's
// decompositions (FullPivLU, ColPivHouseholderQR) work in floating point: their rank depends on
// a threshold and their null-space vectors come out as 0.4999999 or scaled arbitrarily. The
// matrices here are tiny (at most kMaxBaseDimensions rows), so Gaussian elimination over
// Rational costs nothing and is exact; Rational throws on overflow instead of wrapping.

namespace kepler {

namespace {

using Matrix = std::vector<std::vector<Rational>>;  // row-major

// In-place reduced row echelon form over the first `cols` columns (any further columns are
// carried along as right-hand sides). Returns the pivot columns, in order; pivot i is in row i.
std::vector<std::size_t> rref(Matrix& m, std::size_t cols) {
    std::vector<std::size_t> pivots;
    std::size_t row = 0;
    for (std::size_t c = 0; c < cols && row < m.size(); ++c) {
        std::size_t p = row;
        while (p < m.size() && m[p][c].is_zero()) ++p;
        if (p == m.size()) continue;
        std::swap(m[p], m[row]);
        const Rational inv = Rational(1) / m[row][c];
        for (Rational& v : m[row]) v = v * inv;
        for (std::size_t r = 0; r < m.size(); ++r) {
            if (r == row || m[r][c].is_zero()) continue;
            const Rational f = m[r][c];
            for (std::size_t k = c; k < m[r].size(); ++k) m[r][k] = m[r][k] - f * m[row][k];
        }
        pivots.push_back(c);
        ++row;
    }
    return pivots;
}

Rational abs(Rational r) { return r < Rational(0) ? -r : r; }

// Scales v to coprime integers whose entry `sign_index` is positive (it must be nonzero).
void to_primitive_integers(std::vector<Rational>& v, std::size_t sign_index) {
    std::int64_t lcm = 1;
    for (const Rational& x : v) {
        lcm = std::lcm(lcm, std::int64_t{x.den()});
        if (lcm > INT32_MAX) throw std::overflow_error("buckingham_pi: exponent denominators overflow");
    }
    std::int64_t gcd = 0;
    for (const Rational& x : v) gcd = std::gcd(gcd, std::int64_t{x.num()} * (lcm / x.den()));
    if (gcd == 0) return;
    const std::int64_t sign = v[sign_index].num() < 0 ? -1 : 1;
    for (Rational& x : v) x = Rational(std::int64_t{x.num()} * (lcm / x.den()) / gcd * sign, 1);
}

// Smaller is better: sum of |entries|, then number of nonzeros.
struct Score {
    Rational sum;
    std::size_t nonzeros = 0;

    void add(Rational x) {
        sum = sum + abs(x);
        if (!x.is_zero()) ++nonzeros;
    }
    void add(const std::vector<Rational>& v) {
        for (const Rational& x : v) add(x);
    }
    bool better_than(const Score& o) const { return sum < o.sum || (sum == o.sum && nonzeros < o.nonzeros); }
};

// The system reduced for one choice of pivot inputs: columns reordered as pivots, free inputs,
// target, and the pivot block eliminated to the identity. Vectors and scores are read off it;
// scores first (cheap: a group has only rank + 1 nonzero entries), vectors only for a winner.
class Reduced {
public:
    Reduced(Matrix m, std::vector<std::size_t> order, std::size_t rank, bool reachable)
        : m_(std::move(m)), order_(std::move(order)), r_(rank), reachable_(reachable) {}

    std::size_t inputs() const { return order_.size(); }
    bool reachable() const { return reachable_; }

    // Group k (free input order_[r + k] to the power 1) as coprime integers, only its pivot
    // entries and the free one: entries[i] for pivot i < r, entries[r] for the free input.
    std::vector<Rational> group_entries(std::size_t k) const {
        std::vector<Rational> v(r_ + 1);
        for (std::size_t i = 0; i < r_; ++i) v[i] = -m_[i][r_ + k];
        v[r_] = Rational(1);
        // The sign rule (positive first nonzero entry) refers to input order, not this order.
        std::size_t first = r_;
        std::size_t first_input = order_[r_ + k];
        for (std::size_t i = 0; i < r_; ++i) {
            if (!v[i].is_zero() && order_[i] < first_input) {
                first = i;
                first_input = order_[i];
            }
        }
        to_primitive_integers(v, first);
        return v;
    }

    Score groups_score() const {
        Score s;
        for (std::size_t k = 0; k + r_ < inputs(); ++k) s.add(group_entries(k));
        return s;
    }

    std::vector<std::vector<Rational>> groups() const {
        std::vector<std::vector<Rational>> out;
        for (std::size_t k = 0; k + r_ < inputs(); ++k) {
            const std::vector<Rational> e = group_entries(k);
            std::vector<Rational> v(inputs());
            for (std::size_t i = 0; i <= r_; ++i) v[order_[i < r_ ? i : r_ + k]] = e[i];
            out.push_back(std::move(v));
        }
        return out;
    }

    // Free inputs to the power 0, pivots solved.
    std::vector<Rational> target() const {
        std::vector<Rational> p(inputs());
        for (std::size_t i = 0; i < r_; ++i) p[order_[i]] = m_[i][inputs()];
        return p;
    }

    Score target_score() const {
        Score s;
        for (std::size_t i = 0; i < r_; ++i) s.add(m_[i][inputs()]);
        return s;
    }

private:
    Matrix m_;
    std::vector<std::size_t> order_;
    std::size_t r_;
    bool reachable_;
};

class Analysis {
public:
    Analysis(std::span<const Dimension> inputs, const Dimension& target) : n_(inputs.size()) {
        for (std::size_t b = 0; b < kMaxBaseDimensions; ++b) {
            bool used = target.exponent(b) != Rational(0);
            for (const Dimension& d : inputs) used = used || !d.exponent(b).is_zero();
            if (!used) continue;  // an all-zero row changes nothing
            std::vector<Rational> row;
            row.reserve(n_ + 1);
            for (const Dimension& d : inputs) row.push_back(d.exponent(b));
            row.push_back(target.exponent(b));
            rows_.push_back(std::move(row));
        }
        // The natural RREF: its pivots, and whether the target column is consistent. Only its
        // `rank` nonzero rows are kept: every other choice of pivots works on those.
        Matrix m = rows_;
        pivots_ = rref(m, n_ + 1);
        reachable_ = pivots_.empty() || pivots_.back() != n_;
        if (!reachable_) pivots_.pop_back();
        m.resize(pivots_.size());
        rows_ = std::move(m);
    }

    const std::vector<std::size_t>& natural_pivots() const { return pivots_; }

    // The system reduced for pivot inputs `pivots` (sorted), or nothing if those columns are
    // not independent.
    std::optional<Reduced> reduce(const std::vector<std::size_t>& pivots) const {
        const std::size_t r = pivots.size();
        std::vector<std::size_t> order = pivots;  // pivot columns first, then the free ones
        std::vector<bool> is_pivot(n_, false);
        for (std::size_t p : pivots) is_pivot[p] = true;
        for (std::size_t j = 0; j < n_; ++j) {
            if (!is_pivot[j]) order.push_back(j);
        }
        Matrix m;
        m.reserve(rows_.size());
        for (const auto& row : rows_) {
            std::vector<Rational> reordered;
            reordered.reserve(n_ + 1);
            for (std::size_t j : order) reordered.push_back(row[j]);
            reordered.push_back(row[n_]);
            m.push_back(std::move(reordered));
        }
        // Eliminating only over the pivot block leaves the rest as right-hand sides.
        if (rref(m, r).size() != r) return std::nullopt;
        return Reduced(std::move(m), std::move(order), r, reachable_);
    }

private:
    std::size_t n_;
    Matrix rows_;  // the RREF rows of [D | target] (without a target pivot row)
    std::vector<std::size_t> pivots_;
    bool reachable_ = false;
};

// Calls f(indices) for each k-subset of {0..n-1} in lexicographic order, at most `limit` times.
template <class F>
void for_each_combination(std::size_t n, std::size_t k, std::size_t limit, F f) {
    if (k > n) return;
    std::vector<std::size_t> idx(k);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    for (std::size_t count = 0; count < limit; ++count) {
        f(idx);
        std::size_t i = k;
        while (i > 0 && idx[i - 1] == n - k + (i - 1)) --i;
        if (i == 0) return;
        ++idx[i - 1];
        for (std::size_t j = i; j < k; ++j) idx[j] = idx[j - 1] + 1;
    }
}

}  // namespace

PiAnalysis buckingham_pi(std::span<const Dimension> inputs, const Dimension& target) {
    const Analysis a(inputs, target);
    const std::vector<std::size_t>& natural = a.natural_pivots();
    PiAnalysis result;
    result.rank = natural.size();

    // The natural choice always works; it is also the lexicographically first independent set
    // (the greedy basis of a matroid), so the enumeration below only replaces it when strictly
    // better, which keeps "earlier choice wins ties".
    const Reduced first = *a.reduce(natural);
    result.groups = first.groups();
    Score best_groups = first.groups_score();
    Score best_target;
    if (first.reachable()) {
        result.target_exponents = first.target();
        best_target = first.target_score();
    }

    // Dimensionless inputs (zero columns) can never be pivots.
    std::vector<std::size_t> candidates;
    for (std::size_t j = 0; j < inputs.size(); ++j) {
        if (!inputs[j].dimensionless()) candidates.push_back(j);
    }
    std::vector<std::size_t> pivots;
    for_each_combination(candidates.size(), result.rank, kMaxPivotChoices, [&](const std::vector<std::size_t>& idx) {
        pivots.clear();
        for (std::size_t i : idx) pivots.push_back(candidates[i]);
        if (pivots == natural) return;
        const std::optional<Reduced> c = a.reduce(pivots);
        if (!c) return;
        const Score g = c->groups_score();
        if (g.better_than(best_groups)) {
            best_groups = g;
            result.groups = c->groups();
        }
        if (c->reachable()) {
            const Score t = c->target_score();
            if (t.better_than(best_target)) {
                best_target = t;
                result.target_exponents = c->target();
            }
        }
    });
    return result;
}

std::optional<std::size_t> constant_to_complete(std::span<const Dimension> inputs, const Dimension& target,
                                                const UnitSystem& system) {
    if (buckingham_pi(inputs, target).target_exponents) return std::nullopt;
    std::optional<std::size_t> best;
    Score best_score;
    for (const CompletingConstant& c : completing_constants(inputs, target, system)) {
        Score s;
        s.add(*c.pi.target_exponents);
        if (!best || s.better_than(best_score)) {
            best = c.index;
            best_score = s;
        }
    }
    return best;
}

}  // namespace kepler
