#include "kepler/core/array_ops.hpp"

#include <stdexcept>

namespace kepler {

void apply_unary(Op op, Eigen::Map<const Eigen::ArrayXd> a, Eigen::Map<Eigen::ArrayXd> out) {
    switch (op) {
        case Op::Neg:
            out = -a;
            break;
        case Op::Sqrt:
            out = a.sqrt();
            break;
        case Op::Square:
            out = a.square();
            break;
        case Op::Exp:
            out = a.exp();
            break;
        case Op::Log:
            out = a.log();
            break;
        case Op::Sin:
            out = a.sin();
            break;
        case Op::Cos:
            out = a.cos();
            break;
        case Op::Tan:
            out = a.tan();
            break;
        case Op::Asin:
            out = a.asin();
            break;
        case Op::Acos:
            out = a.acos();
            break;
        case Op::Atan:
            out = a.atan();
            break;
        case Op::Tanh:
            out = a.tanh();
            break;
        case Op::Abs:
            out = a.abs();
            break;
        default:
            throw std::logic_error("not a unary operator");
    }
}

void apply_binary(Op op, Eigen::Map<const Eigen::ArrayXd> a, Eigen::Map<const Eigen::ArrayXd> b,
                  Eigen::Map<Eigen::ArrayXd> out) {
    switch (op) {
        case Op::Add:
            out = a + b;
            break;
        case Op::Sub:
            out = a - b;
            break;
        case Op::Mul:
            out = a * b;
            break;
        case Op::Div:
            out = a / b;
            break;
        case Op::Pow:
            out = a.pow(b);
            break;
        default:
            throw std::logic_error("not a binary operator");
    }
}

}  // namespace kepler
