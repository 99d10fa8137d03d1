#include "kepler/core/printer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <numbers>
#include <string_view>
#include <vector>

namespace kepler {

namespace {

// Binding strength, low to high. A child is wrapped in parentheses when it binds less
// tightly than its position requires.
enum Level : int { kAdditive = 1, kMultiplicative = 2, kUnary = 3, kPower = 4, kAtom = 5 };

enum class Syntax { Infix, SymPy, LaTeX };

bool is_identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_identifier_char(char c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }

bool is_identifier(std::string_view name) {
    if (name.empty() || !is_identifier_start(name.front())) return false;
    return std::all_of(name.begin() + 1, name.end(), is_identifier_char);
}

// Words the infix grammar gives a meaning of its own: constants and function names.
bool is_infix_word(std::string_view name) {
    if (name == "pi" || name == "inf" || name == "nan" || name == "ln") return true;
    Op op;
    return unary_function_from_name(name, op);
}

// Whether SymPy's parser (sympify, parse_expr) reads `name` as the plain symbol of that name.
// Its namespace is vast (I, E, S, N, O, Q, pi, gamma, beta, lambda, re, li, field, test, deg,
// ...), so only names of one shape count as safe: one letter other than E I N O Q S, then
// nothing, digits, or '_' and a subscript (x, T0, v_max). Every other name is written
// Symbol('name').
bool sympy_reads_as_symbol(std::string_view name) {
    if (name.empty() || !is_identifier_start(name[0]) || name[0] == '_') return false;
    if (std::string_view("EINOQS").find(name[0]) != std::string_view::npos) return false;
    const std::string_view rest = name.substr(1);
    if (rest.empty()) return true;
    if (std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
    return rest.size() >= 2 && rest[0] == '_' && std::all_of(rest.begin() + 1, rest.end(), is_identifier_char);
}

// A Python string literal: 'text' with \ and ' escaped.
std::string python_string(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\\' || c == '\'') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    out += '\'';
    return out;
}

// A name in LaTeX upright text: \mathrm{...} with the special characters escaped.
std::string latex_text(std::string_view text) {
    std::string out = "\\mathrm{";
    for (char c : text) {
        switch (c) {
            case '\\':
                out += "\\textbackslash{}";
                break;
            case '{':
            case '}':
            case '_':
            case '#':
            case '$':
            case '%':
            case '&':
                out += '\\';
                out += c;
                break;
            case '^':
                out += "\\hat{}";
                break;
            case '~':
                out += "\\sim{}";
                break;
            case ' ':
                out += "\\ ";
                break;
            default:
                out += c;
        }
    }
    out += '}';
    return out;
}

// One piece of output still to write: a fixed text, or node `node` written where it needs at
// least binding `required` (parenthesised if it binds less tightly).
struct Piece {
    std::string_view text;
    std::size_t node = 0;
    int required = 0;
    bool is_node = false;
};

Piece text(std::string_view t) { return Piece{t, 0, 0, false}; }
Piece node(std::size_t i, int required) { return Piece{{}, i, required, true}; }

// The printer keeps its own stack of pieces instead of recursing, so a formula of any depth
// (a chain of 60,000 subtractions) prints without running out of the call stack.
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
        // A column named pi shadows the constant in the infix grammar: the constant is then
        // written as its value.
        pi_shadowed_ = syntax_ == Syntax::Infix && std::find(names_.begin(), names_.end(), "pi") != names_.end();
    }

    std::string print() {
        if (nodes_.empty()) return "";
        std::string out;
        pending_.push_back(node(nodes_.size() - 1, 0));
        while (!pending_.empty()) {
            const Piece piece = pending_.back();
            pending_.pop_back();
            if (!piece.is_node) {
                out += piece.text;
            } else if (level(piece.node) < piece.required) {
                const bool latex = syntax_ == Syntax::LaTeX;
                then({text(latex ? "\\left(" : "("), node(piece.node, 0), text(latex ? "\\right)" : ")")});
            } else {
                expand(piece.node, out);
            }
        }
        return out;
    }

private:
    // Schedules `pieces` to be written next, in order.
    void then(std::initializer_list<Piece> pieces) {
        for (auto it = std::rbegin(pieces); it != std::rend(pieces); ++it) pending_.push_back(*it);
    }

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

    void variable(std::uint16_t k, std::string& out) const {
        std::string name;
        if (k < names_.size()) {
            name = names_[k];
        } else {
            name = "x";
            name += std::to_string(k);
        }
        switch (syntax_) {
            case Syntax::Infix:
                if (is_identifier(name) && !is_infix_word(name)) {
                    out += name;
                } else {  // `mass-kg`, `pi`; a backtick inside is doubled
                    out += '`';
                    for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
                    out += '`';
                }
                return;
            case Syntax::SymPy:
                if (sympy_reads_as_symbol(name)) {
                    out += name;
                } else {
                    out += "Symbol(";
                    out += python_string(name);
                    out += ")";
                }
                return;
            case Syntax::LaTeX:
                if (!is_identifier(name)) {
                    out += latex_text(name);
                    return;
                }
                // x_1 -> x_{1}: a subscript of more than one character needs braces.
                auto us = name.find('_');
                if (us != std::string::npos && us + 1 < name.size() && name.find('_', us + 1) == std::string::npos)
                    name = name.substr(0, us) + "_{" + name.substr(us + 1) + "}";
                else if (us != std::string::npos)
                    name = latex_text(name);
                out += name;
                return;
        }
    }

    std::string_view function_name(Op op) const {
        if (syntax_ == Syntax::SymPy && op == Op::Abs) return "Abs";
        if (syntax_ == Syntax::LaTeX) {
            switch (op) {
                case Op::Log:
                    return "\\ln";
                case Op::Asin:
                    return "\\arcsin";
                case Op::Acos:
                    return "\\arccos";
                case Op::Atan:
                    return "\\arctan";
                case Op::Sin:
                    return "\\sin";
                case Op::Cos:
                    return "\\cos";
                case Op::Tan:
                    return "\\tan";
                case Op::Tanh:
                    return "\\tanh";
                case Op::Exp:
                    return "\\exp";
                default:
                    return op_name(op);
            }
        }
        return op_name(op);
    }

    // Writes what it can of node i now and schedules its operands.
    void expand(std::size_t i, std::string& out) {
        const Node& n = nodes_[i];
        const bool latex = syntax_ == Syntax::LaTeX;
        const bool sympy = syntax_ == Syntax::SymPy;
        switch (n.op) {
            case Op::Var:
                variable(n.index, out);
                return;
            case Op::Pi:
                out += latex ? "\\pi" : pi_shadowed_ ? format_number(std::numbers::pi) : "pi";
                return;
            case Op::Const:
            case Op::Param:
                out += format_number(n.value);
                return;
            case Op::Neg:
                out += "-";
                then({node(left_[i], kUnary)});
                return;
            case Op::Add:
            case Op::Sub:
                // The right operand of either needs more than additive binding: a - (b - c), a + (b + c).
                then({node(left_[i], kAdditive), text(n.op == Op::Add ? " + " : " - "),
                      node(right_[i], kMultiplicative)});
                return;
            case Op::Mul:
                then({node(left_[i], kMultiplicative), text(latex ? " \\cdot " : "*"), node(right_[i], kUnary)});
                return;
            case Op::Div:
                if (latex)
                    then({text("\\frac{"), node(left_[i], 0), text("}{"), node(right_[i], 0), text("}")});
                else
                    then({node(left_[i], kMultiplicative), text("/"), node(right_[i], kUnary)});
                return;
            case Op::Pow:
                // Right-associative: a^b^c is a^(b^c); the base must be an atom: (-x)^2, (a*b)^2.
                if (latex)
                    then({node(left_[i], kAtom), text("^{"), node(right_[i], 0), text("}")});
                else
                    then({node(left_[i], kAtom), text(sympy ? "**" : "^"), node(right_[i], kUnary)});
                return;
            case Op::Square:
                if (syntax_ == Syntax::Infix) break;
                then({node(left_[i], kAtom), text(sympy ? "**2" : "^{2}")});
                return;
            default:
                break;
        }
        // Unary functions.
        if (latex && n.op == Op::Sqrt) {
            then({text("\\sqrt{"), node(left_[i], 0), text("}")});
        } else if (latex && n.op == Op::Abs) {
            then({text("\\left|"), node(left_[i], 0), text("\\right|")});
        } else if (latex) {
            then({text(function_name(n.op)), text("\\left("), node(left_[i], 0), text("\\right)")});
        } else {
            then({text(function_name(n.op)), text("("), node(left_[i], 0), text(")")});
        }
    }

    std::span<const Node> nodes_;
    std::span<const std::string> names_;
    Syntax syntax_;
    std::vector<std::size_t> left_, right_;
    std::vector<Piece> pending_;
    bool pi_shadowed_ = false;
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
