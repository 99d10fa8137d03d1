#include "kepler/core/canonical.hpp"

#include "normal_form.hpp"

namespace kepler {

Expression canonical(const Expression& e, bool round_constants) {
    const detail::NormalFormOptions options{.canonical = true, .round_constants = round_constants};
    Expression c = detail::normal_form(e, options);
    // With rounding, the structure was decided on the exact constants but written with rounded
    // ones (a coefficient of 0.99999999999999989 is written as 1, which then vanishes): one
    // more pass on the rounded form gives the form that is a fixed point.
    if (round_constants) c = detail::normal_form(c, options);
    return c;
}

bool equivalent_structure(const Expression& a, const Expression& b, bool round_constants) {
    return canonical(a, round_constants) == canonical(b, round_constants);
}

}  // namespace kepler
