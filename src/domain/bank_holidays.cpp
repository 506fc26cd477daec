#include "domain/bank_holidays.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/time.hpp"

namespace frontdoor::domain {
namespace {

Error feed_error(std::string message) {
  return Error::field("bank_holidays", "The bank holidays file " + std::move(message));
}

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace

std::vector<std::chrono::sys_days> england_and_wales_bank_holiday_dates() {
  std::vector<std::chrono::sys_days> dates;
  for (const auto& holiday : embedded_england_and_wales_bank_holidays()) {
    dates.push_back(holiday.date);
  }
  return dates;
}

Result<std::vector<ParsedBankHoliday>> parse_govuk_bank_holiday_events(std::string_view json,
                                                                       std::string_view division) {
  const auto feed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (feed.is_discarded()) return feed_error("is not valid JSON");
  if (!feed.is_object()) return feed_error("must be a JSON object keyed by division");
  const auto found = feed.find(std::string(division));
  if (found == feed.end() || !found->is_object()) {
    return feed_error("has no \"" + std::string(division) + "\" division");
  }
  const auto events = found->find("events");
  if (events == found->end() || !events->is_array()) {
    return feed_error("has no list of events for \"" + std::string(division) + "\"");
  }
  std::vector<ParsedBankHoliday> out;
  out.reserve(events->size());
  std::size_t index = 0;
  for (const auto& event : *events) {
    ++index;
    const std::string where = "event " + std::to_string(index);
    if (!event.is_object()) return feed_error("has an " + where + " that is not an object");
    const auto date_it = event.find("date");
    if (date_it == event.end() || !date_it->is_string()) {
      return feed_error("has an " + where + " with no date");
    }
    const auto date = parse_date(date_it->get<std::string>());
    if (!date) {
      return feed_error("has an " + where +
                        " whose date is not YYYY-MM-DD: " + date_it->get<std::string>());
    }
    ParsedBankHoliday holiday{*date, ""};
    if (const auto title = event.find("title"); title != event.end() && title->is_string()) {
      holiday.title = title->get<std::string>();
    }
    if (const auto notes = event.find("notes"); notes != event.end() && notes->is_string()) {
      const auto text = notes->get<std::string>();
      if (!text.empty()) holiday.title += " (" + lower_ascii(text) + ")";
    }
    out.push_back(std::move(holiday));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.date < b.date; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.date == b.date; }),
            out.end());
  return out;
}

Result<std::vector<std::chrono::sys_days>> parse_govuk_bank_holidays(std::string_view json,
                                                                     std::string_view division) {
  FD_ASSIGN_OR_RETURN(auto events, parse_govuk_bank_holiday_events(json, division));
  std::vector<std::chrono::sys_days> dates;
  dates.reserve(events.size());
  for (const auto& event : events) dates.push_back(event.date);
  return dates;
}

}  // namespace frontdoor::domain
