#include "kepler/core/canonical.hpp"

#include "normal_form.hpp"

namespace kepler {

Expression canonical(const Expression& e, bool round_constants) {
    return detail::normal_form(e, {.canonical = true, .round_constants = round_constants});
}

bool equivalent_structure(const Expression& a, const Expression& b, bool round_constants) {
    return canonical(a, round_constants) == canonical(b, round_constants);
}

}  // namespace kepler
