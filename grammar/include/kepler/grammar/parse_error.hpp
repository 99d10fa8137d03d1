// The one error type of every text reader in kepler/grammar: where the problem is (source,
// 1-based line and column) and what was expected there.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace kepler::grammar {

class ParseError : public std::runtime_error {
public:
    // what() is "<source>:<line>:<column>: <message>". Line and column are 1-based; a problem
    // that has no position (a file that cannot be opened) uses line 0, column 0.
    ParseError(std::string source, std::size_t line, std::size_t column, std::string message)
        : std::runtime_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message),
          source_(std::move(source)),
          line_(line),
          column_(column),
          message_(std::move(message)) {}

    const std::string& source() const noexcept { return source_; }
    std::size_t line() const noexcept { return line_; }
    std::size_t column() const noexcept { return column_; }
    // The message alone, without the position prefix: "expected a number, found 'abc'".
    const std::string& message() const noexcept { return message_; }

private:
    std::string source_;
    std::size_t line_;
    std::size_t column_;
    std::string message_;
};

}  // namespace kepler::grammar
