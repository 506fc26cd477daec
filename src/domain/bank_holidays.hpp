#pragma once
// England and Wales bank holidays: the list compiled into the binary, and a
// reader for more dates in the gov.uk feed's format (a council adds future
// years, or one-off days, without a new release).
#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace frontdoor::domain {

struct BankHoliday {
  std::chrono::sys_days date;
  // The feed's title, with its notes in brackets when there are any:
  // "Boxing Day (substitute day)".
  std::string_view title;
};

// The England and Wales dates from resources/bank-holidays-england-and-wales.json,
// oldest first (generated into bank_holidays_data.cpp).
std::span<const BankHoliday> embedded_england_and_wales_bank_holidays();

// Just the dates of the embedded list, oldest first.
std::vector<std::chrono::sys_days> england_and_wales_bank_holiday_dates();

struct ParsedBankHoliday {
  std::chrono::sys_days date;
  std::string title;  // formed as in BankHoliday::title
};

// Reads the gov.uk feed format:
//   {"england-and-wales": {"division": "england-and-wales",
//                          "events": [{"title": "...", "date": "YYYY-MM-DD",
//                                      "notes": "", "bunting": true}, ...]}, ...}
// taking the events of `division`. Returns them sorted by date with
// duplicates removed. Fails with a validation error when the text is not
// JSON, the division is missing, or an event has no valid date.
Result<std::vector<ParsedBankHoliday>> parse_govuk_bank_holiday_events(
    std::string_view json, std::string_view division = "england-and-wales");

// As above, dates only.
Result<std::vector<std::chrono::sys_days>> parse_govuk_bank_holidays(
    std::string_view json, std::string_view division = "england-and-wales");

}  // namespace frontdoor::domain
