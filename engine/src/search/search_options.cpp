#include "kepler/search/search_options.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>

namespace kepler {

std::vector<Op> default_search_operators() {
    return {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Sqrt, Op::Square, Op::Exp, Op::Log, Op::Sin, Op::Cos};
}

namespace {

// Every operator a search may use, in the order the error message lists them.
constexpr Op kSearchableOperators[] = {Op::Add,  Op::Sub,    Op::Mul,  Op::Div,  Op::Pow,  Op::Neg,
                                       Op::Sqrt, Op::Square, Op::Exp,  Op::Log,  Op::Sin,  Op::Cos,
                                       Op::Tan,  Op::Asin,   Op::Acos, Op::Atan, Op::Tanh, Op::Abs};

std::string_view search_name(Op op) { return op == Op::Neg ? std::string_view("neg") : op_name(op); }

}  // namespace

std::vector<Op> operators_from_names(std::string_view list) {
    std::vector<Op> ops;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t end = std::min(list.find(',', start), list.size());
        std::size_t a = start, b = end;
        while (a < b && list[a] == ' ') ++a;
        while (b > a && list[b - 1] == ' ') --b;
        const std::string_view name = list.substr(a, b - a);
        const Op* found = std::find_if(std::begin(kSearchableOperators), std::end(kSearchableOperators),
                                       [&](Op op) { return search_name(op) == name; });
        if (found == std::end(kSearchableOperators)) {
            std::string message = "position ";
            message += std::to_string(a + 1);
            message +=
                name.empty() ? std::string(": empty operator name") : ": unknown operator '" + std::string(name) + "'";
            message += "; expected one of:";
            for (Op op : kSearchableOperators) {
                message += ' ';
                message += search_name(op);
            }
            throw std::invalid_argument(message);
        }
        if (std::find(ops.begin(), ops.end(), *found) == ops.end()) ops.push_back(*found);
        start = end + 1;
    }
    return ops;
}

bool is_constant_power(const Dimension& constant, const Dimension& d) {
    for (int num = -8; num <= 8; ++num)
        if (num != 0 && constant.pow(Rational(num, 2)) == d) return true;
    return false;
}

}  // namespace kepler
