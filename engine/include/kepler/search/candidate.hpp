// Moved to kepler/fitting/candidate.hpp (the fitting module, which depends on core only); this
// header stays so that code including the old path keeps compiling.
#pragma once

#include "kepler/fitting/candidate.hpp"
