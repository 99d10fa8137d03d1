// The Feynman database (datasets/feynman/feynman.laws), compiled into the program so that
// `kepler gen` and `kepler bench` need no data files at run time. Parse it with
// kepler::grammar::parse_law_file(feynman_laws_text(), "feynman.laws").
#pragma once

#include <string_view>

namespace kepler::datasets {

std::string_view feynman_laws_text();

}  // namespace kepler::datasets
