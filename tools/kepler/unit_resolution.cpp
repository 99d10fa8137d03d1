#include "unit_resolution.hpp"

#include "reported.hpp"

namespace kepler::cli {

void add_unit_options(CLI::App& command, UnitArguments& args) {
    command
        .add_option("--unit-system", args.unit_system,
                    "Unit system: si, si-angle, gaussian, natural, feynman, or a unit-system file")
        ->capture_default_str();
    command.add_option("--units", args.units_file,
                       "File giving column units, one `name [unit]` per line (instead of, or besides, the header)");
}

ResolvedUnits resolve_units(const Table& table, const std::string& data_path, const UnitArguments& args,
                            const std::vector<std::size_t>& used) {
    ResolvedUnits out;
    out.ok = reported([&] { out.units = api::resolve_units(table, data_path, args.choice(), used); });
    return out;
}

}  // namespace kepler::cli
