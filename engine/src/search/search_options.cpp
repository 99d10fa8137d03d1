#include "kepler/search/search_options.hpp"

namespace kepler {

std::vector<Op> default_search_operators() {
    return {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Sqrt, Op::Exp, Op::Log, Op::Sin, Op::Cos};
}

}  // namespace kepler
