// ISO 8601 date-times with Spirit X3 (fixed-width digit fields); the calendar arithmetic is
// std::chrono's (days since the epoch of a year_month_day), which also says which days exist.
// std::chrono::parse would do both, but libstdc++ 12 does not have it yet.

#include "date_time.hpp"

#include <boost/spirit/home/x3.hpp>
#include <chrono>
#include <cstdint>

namespace kepler::grammar::detail {

namespace {

namespace x3 = boost::spirit::x3;

struct DateTimeFields {
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    double fraction = 0.0;  // of a second
    int offset_sign = 0;    // 0: no offset (UTC); +1 or -1
    unsigned offset_hours = 0, offset_minutes = 0;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool looks_like_date_time(std::string_view text) {
    return text.size() >= 5 && is_digit(text[0]) && is_digit(text[1]) && is_digit(text[2]) && is_digit(text[3]) &&
           text[4] == '-';
}

std::optional<double> parse_date_time(std::string_view text) {
    DateTimeFields f;
    const x3::uint_parser<unsigned, 10, 4, 4> four;
    const x3::uint_parser<unsigned, 10, 2, 2> two;
    auto to = [](unsigned& field) { return [&field](auto& ctx) { field = x3::_attr(ctx); }; };
    auto fraction = [&f](auto& ctx) {
        // digits / 10^n, both exact in a double for up to 15 digits, so .250 is exactly 0.25;
        // digits past the 15th are below a double's resolution of a second's fraction anyway.
        double digits = 0.0, scale = 1.0;
        int used = 0;
        for (char c : x3::_attr(ctx)) {
            if (++used > 15) break;
            digits = digits * 10.0 + (c - '0');
            scale *= 10.0;
        }
        f.fraction = digits / scale;
    };
    auto sign = [&f](int s) { return [&f, s](auto&) { f.offset_sign = s; }; };

    const auto date = four[to(f.year)] >> '-' >> two[to(f.month)] >> '-' >> two[to(f.day)];
    const auto seconds = ':' >> two[to(f.second)] >> -('.' >> x3::raw[+x3::digit][fraction]);
    const auto clock = two[to(f.hour)] >> ':' >> two[to(f.minute)] >> -seconds;
    const auto zone = x3::lit('Z') | x3::lit('z') |
                      ((x3::lit('+')[sign(1)] | x3::lit('-')[sign(-1)]) >> two[to(f.offset_hours)] >>
                       -(-x3::lit(':') >> two[to(f.offset_minutes)]));
    const auto date_time = date >> -((x3::lit('T') | 't' | ' ') >> clock >> -zone);

    const char* first = text.data();
    const char* last = first + text.size();
    if (!x3::parse(first, last, date_time) || first != last) return std::nullopt;

    const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(f.year)), std::chrono::month(f.month),
                                          std::chrono::day(f.day)};
    if (!ymd.ok() || f.hour > 23 || f.minute > 59 || f.second > 59 || f.offset_hours > 23 || f.offset_minutes > 59)
        return std::nullopt;
    const std::int64_t days = std::chrono::sys_days(ymd).time_since_epoch().count();
    const std::int64_t offset_seconds =
        f.offset_sign * static_cast<std::int64_t>(f.offset_hours * 3600 + f.offset_minutes * 60);
    const std::int64_t whole = days * 86400 + f.hour * 3600 + f.minute * 60 + f.second - offset_seconds;
    return static_cast<double>(whole) + f.fraction;
}

}  // namespace kepler::grammar::detail
