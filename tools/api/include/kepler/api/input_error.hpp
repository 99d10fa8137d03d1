// The one error type of the api layer for bad input: a table, unit text, unit-system file or
// column name the caller must fix. The CLI prints what() after "kepler: error: " and exits with
// code 2; the Python module raises it as ValueError. Errors of the engine's own (a bug, a full
// disk) are not turned into it.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

#include "kepler/grammar/parse_error.hpp"

namespace kepler::api {

// Where in a text the problem is; line and column are 1-based, 0 when not known.
struct InputPosition {
    std::string source;  // a file path, "formula", "unit of column 'a'", ...
    std::size_t line = 0;
    std::size_t column = 0;
};

class InputError : public std::runtime_error {
public:
    // what() is `message`, in full (with its "FILE:LINE:COLUMN: " prefix when it has one).
    explicit InputError(const std::string& message, InputPosition where = {}, std::string table_column = {})
        : std::runtime_error(message), where_(std::move(where)), table_column_(std::move(table_column)) {}

    // A reader's error, with its message and position unchanged.
    explicit InputError(const grammar::ParseError& e, std::string table_column = {})
        : InputError(e.what(), {e.source(), e.line(), e.column()}, std::move(table_column)) {}

    const InputPosition& where() const noexcept { return where_; }
    // The table column at fault ("" when the problem is not one column's, e.g. a unit-system file).
    const std::string& table_column() const noexcept { return table_column_; }

private:
    InputPosition where_;
    std::string table_column_;
};

}  // namespace kepler::api
