// Constants of the unit system that the law's dimensionless groups need (group_constants.hpp
// says which), brought into discover() as columns, and the result written back over the
// table's own inputs (private to the pipeline).
//
// Why columns: a constant given as a column is what every stage already handles. Buckingham
// Pi puts it into the groups (hbar*omega/(k_B*T)), the typed searches and the front's
// consistency check know its dimension, and the printers write its symbol. A constant column
// cannot tell rows apart, which the stages that read the data already allow for (the local
// fits and the surrogate leave a constant input out of their distances). So discover() runs
// once more on the table with the columns added, and the result is then written back:
//   - FoundLaw::expression, the numeric form, is over the table's inputs, each brought-in
//     constant replaced by its value (what the judge and the scores read);
//   - the brought-in constants the law uses are named constants (FoundLaw::named_constants,
//     before those the namer found), and the named form writes them by symbol;
//   - result.inputs are the table's; the groups and the monomial keep the constants' symbols.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/pipeline/discover.hpp"
#include "kepler/units/unit_system.hpp"

namespace kepler::pipeline {

struct WithConstantColumns {
    Table table;              // the table, then one column per constant, its value on every row
    DiscoverOptions options;  // the inputs named (the problem's, then the constants'); their units
    std::size_t inputs = 0;   // the problem's own inputs
    std::vector<const PhysicalConstant*> constants;
    std::vector<std::string> notes;  // why they were brought in
};

// Nothing without units, with DiscoverOptions::group_constants off, or when the inputs' own
// groups explain the target (group_constants.hpp). Throws what select_problem throws.
std::optional<WithConstantColumns> with_group_constants(const Table& table, std::string_view target,
                                                        const DiscoverOptions& options);

// `found` (discover() on with.table) over the table's own inputs, as the header says.
DiscoveryResult without_constant_columns(DiscoveryResult found, const WithConstantColumns& with);

}  // namespace kepler::pipeline
