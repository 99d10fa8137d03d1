// A discover() checkpoint (kepler/pipeline/run_checkpoint.hpp) as a JSON file, the form
// `kepler fit --checkpoint FILE` writes and `kepler fit --resume FILE` reads:
//
//   {"checkpoint_schema_version": 1, "kepler_version": "0.1.0", "data_file": "gas.csv",
//    "table": {"rows": 1000, "columns": 4, "names": [...], "units": [...], "hash": "9f0c..."},
//    "options": {...the run's options as given...},
//    "state": {"next_stage": "evolve", "inputs": ["n", "T", "V"], "pool": ["8.314*n*T/V", ...],
//              "group_count": 1, "group_monomial": "n*T/V" or null, "group_seeds": [...],
//              "input_seeds": [...], "exact": false, ..., "evaluations": 123456,
//              "seconds": 12.5, "noise_estimate": 0.01, "notes": [...], "explanation": [...]}}
//
// Formulas are infix text over the inputs' names (over g1, g2, ... for the groups' seeds):
// to_infix and parse_formula round-trip exactly, constants included. The table is known by
// its shape, names, unit texts and a hash of every value, so a resume can tell that the file
// at data_file changed.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "kepler/core/table.hpp"
#include "kepler/pipeline/run_checkpoint.hpp"

namespace kepler::api {

// Raised when a field changes meaning or goes away; a file of another version is refused.
inline constexpr int kCheckpointSchemaVersion = 1;

struct TableFingerprint {
    std::size_t rows = 0;
    std::size_t columns = 0;
    std::vector<std::string> names;
    std::vector<std::string> units;
    std::string hash;  // 16 hex digits: FNV-1a over every value's bits (any NaN alike), column by column
};

TableFingerprint fingerprint(const Table& table);

// What differs between the checkpoint's table and this one, in words ("3 columns, the
// checkpoint's table has 4"), or "" when they are the same table.
std::string fingerprint_difference(const TableFingerprint& saved, const TableFingerprint& now);

struct CheckpointFile {
    std::string data_file;  // the table's path, as given
    TableFingerprint table;
    nlohmann::json options;           // the run's options as given (the caller's object, kept as is)
    std::vector<std::string> inputs;  // the names Var k of the formulas stands for
    RunCheckpoint state;
};

nlohmann::json checkpoint_json(const CheckpointFile& file);

// The checkpoint in `doc`, read from `path`. Throws InputError "PATH: field 'state.pool[2]':
// expected ..." naming the field at fault: missing, of the wrong type, a formula that does not
// parse over the inputs (with the parser's column), an unknown stage, another schema or
// kepler version.
CheckpointFile checkpoint_from_json(const nlohmann::json& doc, const std::string& path);

// Reads and checks the file: InputError "PATH:LINE:COLUMN: ..." when it is not JSON, "PATH:
// cannot read ..." when it cannot be opened, and checkpoint_from_json's errors.
CheckpointFile read_checkpoint(const std::string& path);

}  // namespace kepler::api
