// Small helpers every reader in grammar/ shares for its error messages: where a character is
// (1-based column counted in UTF-8 code points, so "µF" has its F in column 2) and how a piece
// of the input is quoted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kepler::grammar::detail {

inline bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// 1-based column of `where` on the line that starts at `line_start`.
inline std::size_t column_of(const char* line_start, const char* where) {
    std::size_t column = 1;
    for (const char* p = line_start; p < where; ++p)
        if (!is_utf8_continuation(*p)) ++column;
    return column;
}

// 'text', in quotes (built by appending: g++ 12 warns falsely about "'" + std::string).
inline std::string quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    out += text;
    out += '\'';
    return out;
}

}  // namespace kepler::grammar::detail
