// Using Kepler from C++: build a table of measurements with their units, ask for the law,
// print it. kepler::api::fit() resolves the unit texts (SI here) so the search runs with
// dimensional analysis: only formulas with the dimension of a force are laws for F.
// Built against the installed package by examples/CMakeLists.txt (find_package(kepler)).
#include <kepler/api/fit.hpp>
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

    kepler::api::FitRequest request;
    request.target = "F";
    request.units.system = "si";  // or "gaussian", "natural", ..., or a unit-system file
    request.options.search.time_limit_seconds = 20;
    try {
        const kepler::api::FitOutcome outcome = kepler::api::fit(table, request);
        const kepler::DiscoveryResult& result = outcome.discovery;
        if (const kepler::FoundLaw* law = result.best_law()) {
            std::cout << result.target << " = " << law->formula << "  (R2 = " << law->r2 << ", dimensional analysis "
                      << (result.dimensional_analysis ? "on, " + result.unit_system : std::string("off")) << ")\n";
            return 0;
        }
        std::cout << "no law found\n";
    } catch (const kepler::api::InputError& e) {  // a bad unit text, an unknown column, ...
        std::cerr << "error: " << e.what() << "\n";
    }
    return 1;
}
