#include "kepler/core/printer.hpp"

#include <charconv>
#include <cmath>
#include <vector>

namespace kepler {

namespace {

// Binding strength, low to high. A child is wrapped in parentheses when it binds less
// tightly than its position requires.
enum Level : int { kAdditive = 1, kMultiplicative = 2, kUnary = 3, kPower = 4, kAtom = 5 };

enum class Syntax { Infix, SymPy, LaTeX };

class Printer {
public:
    Printer(const Expression& e, std::span<const std::string> names, Syntax syntax)
        : nodes_(e.nodes()), names_(names), syntax_(syntax), left_(nodes_.size()), right_(nodes_.size()) {
        // Children of each node, found with one pass of a stack of subtree roots.
        std::vector<std::size_t> stack;
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            int a = arity(nodes_[i].op);
            if (a == 2) {
                right_[i] = stack.back();
                stack.pop_back();
            }
            if (a >= 1) {
                left_[i] = stack.back();
                stack.pop_back();
            }
            stack.push_back(i);
        }
    }

    std::string print() {
        if (nodes_.empty()) return "";
        std::string out;
        emit(nodes_.size() - 1, out);
        return out;
    }

private:
    int level(std::size_t i) const {
        const Node& n = nodes_[i];
        switch (n.op) {
            case Op::Add:
            case Op::Sub:
                return kAdditive;
            case Op::Mul:
                return kMultiplicative;
            case Op::Div:
                return syntax_ == Syntax::LaTeX ? kAtom : kMultiplicative;  // \frac groups itself
            case Op::Neg:
                return kUnary;
            case Op::Pow:
                return kPower;
            // Infix writes square(x), a function call, so that the text reads back to the same
            // node; SymPy and LaTeX have no such function and write x**2, x^{2}.
            case Op::Square:
                return syntax_ == Syntax::Infix ? kAtom : kPower;
            case Op::Const:
            case Op::Param:
                return std::signbit(n.value) ? kUnary : kAtom;
            default:
                return kAtom;
        }
    }

    void child(std::size_t i, int required, std::string& out) {
        if (level(i) < required) {
            out += syntax_ == Syntax::LaTeX ? "\\left(" : "(";
            emit(i, out);
            out += syntax_ == Syntax::LaTeX ? "\\right)" : ")";
        } else {
            emit(i, out);
        }
    }

    void variable(std::uint16_t k, std::string& out) const {
        std::string name;
        if (k < names_.size()) {
            name = names_[k];
        } else {
            name = "x";
            name += std::to_string(k);
        }
        if (syntax_ == Syntax::LaTeX) {
            // x_1 -> x_{1}: a subscript of more than one character needs braces.
            auto us = name.find('_');
            if (us != std::string::npos && us + 1 < name.size())
                name = name.substr(0, us) + "_{" + name.substr(us + 1) + "}";
        }
        out += name;
    }

    std::string function_name(Op op) const {
        if (syntax_ == Syntax::SymPy && op == Op::Abs) return "Abs";
        if (syntax_ == Syntax::LaTeX) {
            switch (op) {
                case Op::Log:
                    return "\\ln";
                case Op::Abs:
                    return "";  // printed as |x|
                case Op::Asin:
                    return "\\arcsin";
                case Op::Acos:
                    return "\\arccos";
                case Op::Atan:
                    return "\\arctan";
                default: {
                    std::string name = "\\";
                    name += op_name(op);
                    return name;
                }
            }
        }
        return std::string(op_name(op));
    }

    void emit(std::size_t i, std::string& out) {
        const Node& n = nodes_[i];
        switch (n.op) {
            case Op::Var:
                variable(n.index, out);
                return;
            case Op::Pi:
                out += syntax_ == Syntax::LaTeX ? "\\pi" : "pi";
                return;
            case Op::Const:
            case Op::Param:
                out += format_number(n.value);
                return;
            case Op::Neg:
                out += "-";
                child(left_[i], kUnary, out);
                return;
            case Op::Add:
            case Op::Sub:
                // The right operand of either needs more than additive binding: a - (b - c), a + (b + c).
                child(left_[i], kAdditive, out);
                out += n.op == Op::Add ? " + " : " - ";
                child(right_[i], kMultiplicative, out);
                return;
            case Op::Mul:
                child(left_[i], kMultiplicative, out);
                out += syntax_ == Syntax::LaTeX ? " \\cdot " : "*";
                child(right_[i], kUnary, out);
                return;
            case Op::Div:
                if (syntax_ == Syntax::LaTeX) {
                    out += "\\frac{";
                    emit(left_[i], out);
                    out += "}{";
                    emit(right_[i], out);
                    out += "}";
                    return;
                }
                child(left_[i], kMultiplicative, out);
                out += "/";
                child(right_[i], kUnary, out);
                return;
            case Op::Pow:
                // Right-associative: a^b^c is a^(b^c); the base must be an atom: (-x)^2, (a*b)^2.
                child(left_[i], kAtom, out);
                if (syntax_ == Syntax::LaTeX) {
                    out += "^{";
                    emit(right_[i], out);
                    out += "}";
                } else {
                    out += syntax_ == Syntax::SymPy ? "**" : "^";
                    child(right_[i], kUnary, out);
                }
                return;
            case Op::Square:
                if (syntax_ == Syntax::Infix) break;
                child(left_[i], kAtom, out);
                out += syntax_ == Syntax::SymPy ? "**2" : "^{2}";
                return;
            default:
                break;
        }
        // Unary functions.
        if (syntax_ == Syntax::LaTeX) {
            if (n.op == Op::Sqrt) {
                out += "\\sqrt{";
                emit(left_[i], out);
                out += "}";
                return;
            }
            if (n.op == Op::Abs) {
                out += "\\left|";
                emit(left_[i], out);
                out += "\\right|";
                return;
            }
            out += function_name(n.op) + "\\left(";
            emit(left_[i], out);
            out += "\\right)";
            return;
        }
        out += function_name(n.op);
        out += "(";
        emit(left_[i], out);
        out += ")";
    }

    std::span<const Node> nodes_;
    std::span<const std::string> names_;
    Syntax syntax_;
    std::vector<std::size_t> left_, right_;
};

}  // namespace

std::string format_number(double value) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec != std::errc()) return "nan";
    return std::string(buffer, end);
}

std::string to_infix(const Expression& e, std::span<const std::string> names) {
    return Printer(e, names, Syntax::Infix).print();
}

std::string to_sympy(const Expression& e, std::span<const std::string> names) {
    return Printer(e, names, Syntax::SymPy).print();
}

std::string to_latex(const Expression& e, std::span<const std::string> names) {
    return Printer(e, names, Syntax::LaTeX).print();
}

}  // namespace kepler
