// Moved to kepler/fitting/constant_fitting.hpp (the fitting module, which depends on core only); this
// header stays so that code including the old path keeps compiling.
#pragma once

#include "kepler/fitting/constant_fitting.hpp"
