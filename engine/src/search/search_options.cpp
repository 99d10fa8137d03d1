#include "kepler/search/search_options.hpp"

namespace kepler {

std::vector<Op> default_search_operators() {
    return {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Sqrt, Op::Exp, Op::Log, Op::Sin, Op::Cos};
}

bool is_constant_power(const Dimension& constant, const Dimension& d) {
    for (int num = -8; num <= 8; ++num)
        if (num != 0 && constant.pow(Rational(num, 2)) == d) return true;
    return false;
}

}  // namespace kepler
