#include "screen_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kepler::screening {

std::string fmt(const char* format, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

std::string correlation_text(double r) {
    const double a = std::abs(r);
    std::string s = r < 0 ? "-" : "";
    if (1.0 - a < 1e-4) {
        s += "(1 - ";
        s += fmt("%.1g", std::max(1.0 - a, 1e-16));
        s += ")";
    } else {
        s += fmt("%.4f", a);
    }
    return s;
}

std::string join_names(const std::vector<std::string>& names, const char* separator) {
    std::string s;
    for (const auto& n : names) {
        if (!s.empty()) s += separator;
        s += n;
    }
    return s;
}

std::string with_unit(const Table& table, std::size_t column) {
    std::string s = table.names[column];
    if (!table.units[column].empty()) {
        s += " [";
        s += table.units[column];
        s += "]";
    }
    return s;
}

}  // namespace kepler::screening
