#include "kepler/units/completing_constants.hpp"

namespace kepler {

std::vector<CompletingConstant> completing_constants(std::span<const Dimension> inputs, const Dimension& target,
                                                     const UnitSystem& system) {
    std::vector<CompletingConstant> out;
    std::vector<Dimension> extended(inputs.begin(), inputs.end());
    extended.emplace_back();
    for (std::size_t k = 0; k < system.constants.size(); ++k) {
        const PhysicalConstant& c = system.constants[k];
        if (c.value.dimension.dimensionless()) continue;
        extended.back() = c.value.dimension;
        PiAnalysis pi = buckingham_pi(extended, target);
        if (pi.target_exponents) out.push_back({k, &c, std::move(pi)});
    }
    return out;
}

}  // namespace kepler
