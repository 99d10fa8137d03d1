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

// Offset of the first byte of `text` that does not belong to a well-formed UTF-8 character
// (overlong forms, surrogates and code points above U+10FFFF are not well formed), or npos.
inline std::size_t invalid_utf8_at(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        std::size_t length;
        unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
        if (b < 0x80) {
            ++i;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            length = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            length = 3;
            if (b == 0xE0) low = 0xA0;
            if (b == 0xED) high = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            length = 4;
            if (b == 0xF0) low = 0x90;
            if (b == 0xF4) high = 0x8F;
        } else {
            return i;
        }
        if (i + length > text.size()) return i;
        const auto second = static_cast<unsigned char>(text[i + 1]);
        if (second < low || second > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if (!is_utf8_continuation(text[i + k])) return i;
        i += length;
    }
    return std::string_view::npos;
}

// Two hex digits, e.g. "FF".
inline std::string hex_byte(char c) {
    constexpr char kDigits[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(c);
    return {kDigits[b >> 4], kDigits[b & 15]};
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
