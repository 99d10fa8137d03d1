// Kepler: symbolic regression of physical laws. The one header research code includes.
//
//   kepler::Table table = ...;                       // columns of measurements
//   kepler::DiscoveryResult r = kepler::discover(table, "P");
//   std::cout << r.target << " = " << r.best_law()->formula << "\n";
#pragma once

#include "kepler/core/canonical.hpp"
#include "kepler/core/complexity.hpp"
#include "kepler/core/evaluator.hpp"
#include "kepler/core/expression.hpp"
#include "kepler/core/printer.hpp"
#include "kepler/core/simplify.hpp"
#include "kepler/core/table.hpp"
#include "kepler/fitting/constant_fitting.hpp"
#include "kepler/judge/judge.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/pipeline/screened_discover.hpp"
#include "kepler/screen/relevance.hpp"
#include "kepler/screen/screen.hpp"
#include "kepler/screen/subset_fit.hpp"
#include "kepler/screen/unit_feasibility.hpp"
#include "kepler/search/search_options.hpp"
#include "kepler/structure/structure_tests.hpp"
#include "kepler/structure/surrogate.hpp"
