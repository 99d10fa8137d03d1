#include "kepler/core/textbook_form.hpp"

#include "normal_form.hpp"

namespace kepler {

Expression textbook_form(const Expression& e) {
    return detail::normal_form(e, {.canonical = false, .round_constants = false, .factor_sums = true});
}

}  // namespace kepler
