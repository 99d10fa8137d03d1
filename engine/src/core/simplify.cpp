#include "kepler/core/simplify.hpp"

#include "normal_form.hpp"

namespace kepler {

Expression simplify(const Expression& e) {
    return detail::normal_form(e, {.canonical = false, .round_constants = false});
}

}  // namespace kepler
