// Using Kepler from C++: build a table of measurements, ask for the law, print it.
// Built against the installed package by examples/CMakeLists.txt (find_package(kepler)).
#include <kepler/kepler.hpp>

#include <iostream>
#include <random>

int main() {
    // 500 measurements of mass m, acceleration a and force F = m*a.
    kepler::Table table;
    table.names = {"F", "m", "a"};
    table.units = {"N", "kg", "m/s^2"};
    table.data.resize(500, 3);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(1.0, 5.0);
    for (Eigen::Index r = 0; r < table.data.rows(); ++r) {
        double m = u(rng), a = u(rng);
        table.data.row(r) << m * a, m, a;
    }

    kepler::DiscoverOptions options;
    options.search.time_limit_seconds = 20;
    kepler::DiscoveryResult result = kepler::discover(table, "F", options);

    if (const kepler::FoundLaw* law = result.best_law()) {
        std::cout << result.target << " = " << law->formula << "  (R2 = " << law->r2 << ")\n";
        return 0;
    }
    std::cout << "no law found\n";
    return 1;
}
