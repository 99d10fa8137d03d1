// ISO 8601 date-times in CSV cells, as seconds since the Unix epoch (UTC).
#pragma once

#include <optional>
#include <string_view>

namespace kepler::grammar::detail {

// Whether a cell starts like an ISO 8601 date (four digits, then '-'). No number starts so,
// which is why such a cell is read as a date-time and, if that fails, reported as a malformed one.
bool looks_like_date_time(std::string_view text);

// The instant an ISO 8601 date-time that fills `text` names, in seconds since 1970-01-01T00:00Z:
//   YYYY-MM-DD                       midnight UTC
//   YYYY-MM-DD(T|t| )hh:mm[:ss[.f+]][Z|z|(+|-)hh[:mm]]
// Without an offset the time is taken as UTC. Fields are checked (month 01-12, a day the month
// has, hour 00-23, minute and second 00-59, offset at most 23:59); nothing otherwise.
std::optional<double> parse_date_time(std::string_view text);

// The message part that says what a date-time cell must look like.
inline constexpr std::string_view kDateTimeForm =
    "an ISO 8601 date-time (2026-11-23T10:15:00Z, 2026-11-23 10:15:00.250+01:00)";

}  // namespace kepler::grammar::detail
