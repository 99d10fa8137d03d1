// Internal to screening: the pieces of text the screening report's reasons are made of.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kepler/core/table.hpp"

namespace kepler::screening {

// v printed with a printf format ("%.3f").
std::string fmt(const char* format, double v);

// "1 - 3e-12" for a correlation that close to one, else "0.9993".
std::string correlation_text(double r);

// "a, b, c".
std::string join_names(const std::vector<std::string>& names, const char* separator = ", ");

// "V [L]": the column's name with its unit, if it has one.
std::string with_unit(const Table& table, std::size_t column);

}  // namespace kepler::screening
