#include "domain/rag.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "domain/london_time.hpp"

namespace frontdoor::domain {
namespace {

std::size_t index_of(RagRating rating) {
  return static_cast<std::size_t>(rating);
}

int max_amount(TimeLimit::Unit unit) {
  switch (unit) {
    case TimeLimit::kWorkingHours:
      return kMaxWorkingHours;
    case TimeLimit::kWorkingDays:
      return kMaxWorkingDays;
    case TimeLimit::kClockHours:
      return kMaxClockHours;
  }
  return 0;
}

std::string unit_words(TimeLimit::Unit unit, int amount) {
  const bool one = amount == 1;
  switch (unit) {
    case TimeLimit::kWorkingHours:
      return one ? "working hour" : "working hours";
    case TimeLimit::kWorkingDays:
      return one ? "working day" : "working days";
    case TimeLimit::kClockHours:
      return one ? "hour" : "hours";
  }
  return "";
}

std::string field_name(RagRating rating, const char* part) {
  return std::string(to_string(rating)) + "." + part;
}

Result<TimeLimit> limit_from_json(const nlohmann::json& json, RagRating rating) {
  const std::string name(to_string(rating));
  const auto it = json.find(name);
  if (it == json.end() || !it->is_object()) {
    return Error::field(name, "Enter a time limit for " + std::string(to_string(rating)));
  }
  TimeLimit limit;
  const auto unit = it->find("unit");
  std::optional<TimeLimit::Unit> parsed_unit;
  if (unit != it->end() && unit->is_string()) {
    parsed_unit = parse_time_limit_unit(unit->get<std::string>());
  }
  if (!parsed_unit) {
    return Error::field(field_name(rating, "unit"),
                        "Select working hours, working days or hours for " + name);
  }
  limit.unit = *parsed_unit;
  const auto amount = it->find("amount");
  if (amount == it->end() || !amount->is_number_integer()) {
    return Error::field(field_name(rating, "amount"),
                        "Enter the time limit for " + name + " as a whole number");
  }
  const auto value = amount->get<long long>();
  // Out of range becomes 0 so that validate_time_limit gives its message
  // (and a huge number cannot overflow an int).
  limit.amount = (value < 1 || value > max_amount(limit.unit)) ? 0 : static_cast<int>(value);
  FD_TRY(validate_time_limit(limit, rating));
  return limit;
}

}  // namespace

std::string_view to_string(RagRating rating) {
  switch (rating) {
    case RagRating::kRed:
      return "red";
    case RagRating::kAmber:
      return "amber";
    case RagRating::kGreen:
      return "green";
  }
  return "amber";
}

std::string_view label(RagRating rating) {
  switch (rating) {
    case RagRating::kRed:
      return "Red";
    case RagRating::kAmber:
      return "Amber";
    case RagRating::kGreen:
      return "Green";
  }
  return "Amber";
}

std::optional<RagRating> parse_rag_rating(std::string_view text) {
  for (RagRating rating : all_rag_ratings()) {
    if (text == to_string(rating)) return rating;
  }
  return std::nullopt;
}

const std::array<RagRating, 3>& all_rag_ratings() {
  static const std::array<RagRating, 3> kAll = {RagRating::kRed, RagRating::kAmber,
                                                RagRating::kGreen};
  return kAll;
}

std::string TimeLimit::describe() const {
  return std::to_string(amount) + " " + unit_words(unit, amount);
}

std::string_view to_string(TimeLimit::Unit unit) {
  switch (unit) {
    case TimeLimit::kWorkingHours:
      return "working_hours";
    case TimeLimit::kWorkingDays:
      return "working_days";
    case TimeLimit::kClockHours:
      return "clock_hours";
  }
  return "working_days";
}

std::optional<TimeLimit::Unit> parse_time_limit_unit(std::string_view text) {
  for (TimeLimit::Unit unit :
       {TimeLimit::kWorkingHours, TimeLimit::kWorkingDays, TimeLimit::kClockHours}) {
    if (text == to_string(unit)) return unit;
  }
  return std::nullopt;
}

Status validate_time_limit(const TimeLimit& limit, RagRating rating) {
  const int max = max_amount(limit.unit);
  if (max == 0) {
    return Error::field(
        field_name(rating, "unit"),
        "Select working hours, working days or hours for " + std::string(to_string(rating)));
  }
  if (limit.amount < 1 || limit.amount > max) {
    return Error::field(field_name(rating, "amount"),
                        "The time limit for " + std::string(to_string(rating)) +
                            " must be between 1 and " + std::to_string(max) + " " +
                            unit_words(limit.unit, max));
  }
  return ok_status();
}

RagPolicy::RagPolicy(TimeLimit red, TimeLimit amber, TimeLimit green) : limits_{red, amber, green} {
  for (RagRating rating : all_rag_ratings()) {
    if (!validate_time_limit(limits_[index_of(rating)], rating).ok()) {
      throw std::invalid_argument("invalid RAG time limit for " + std::string(to_string(rating)));
    }
  }
}

Result<RagPolicy> RagPolicy::make(TimeLimit red, TimeLimit amber, TimeLimit green) {
  FD_TRY(validate_time_limit(red, RagRating::kRed));
  FD_TRY(validate_time_limit(amber, RagRating::kAmber));
  FD_TRY(validate_time_limit(green, RagRating::kGreen));
  return RagPolicy(red, amber, green);
}

RagPolicy RagPolicy::default_decision_policy() {
  return RagPolicy({TimeLimit::kWorkingHours, 4}, {TimeLimit::kWorkingDays, 1},
                   {TimeLimit::kWorkingDays, 3});
}

RagPolicy RagPolicy::default_check_policy() {
  return RagPolicy({TimeLimit::kClockHours, 2}, {TimeLimit::kClockHours, 6},
                   {TimeLimit::kClockHours, 24});
}

const TimeLimit& RagPolicy::limit(RagRating rating) const {
  return limits_[index_of(rating)];
}

Instant RagPolicy::deadline(Instant received, RagRating rating, const WorkingDayCalendar& calendar,
                            const WorkingHours& hours) const {
  const TimeLimit& l = limit(rating);
  switch (l.unit) {
    case TimeLimit::kWorkingHours:
      return calendar.add_working_time(received, std::chrono::hours{l.amount}, hours);
    case TimeLimit::kWorkingDays:
      return calendar.close_of_day(calendar.add_working_days(london_date(received), l.amount),
                                   hours);
    case TimeLimit::kClockHours:
      return received + std::chrono::hours{l.amount};
  }
  return received;
}

nlohmann::json RagPolicy::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (RagRating rating : all_rag_ratings()) {
    const TimeLimit& l = limit(rating);
    out[std::string(to_string(rating))] = {{"unit", std::string(to_string(l.unit))},
                                           {"amount", l.amount}};
  }
  return out;
}

Result<RagPolicy> RagPolicy::from_json(const nlohmann::json& json) {
  if (!json.is_object()) {
    return Error::validation("The RAG policy must be a JSON object with red, amber and green");
  }
  FD_ASSIGN_OR_RETURN(TimeLimit red, limit_from_json(json, RagRating::kRed));
  FD_ASSIGN_OR_RETURN(TimeLimit amber, limit_from_json(json, RagRating::kAmber));
  FD_ASSIGN_OR_RETURN(TimeLimit green, limit_from_json(json, RagRating::kGreen));
  return make(red, amber, green);
}

Result<RagPolicy> RagPolicy::parse(std::string_view json_text) {
  const auto json = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Error::validation("The RAG policy is not valid JSON");
  return from_json(json);
}

}  // namespace frontdoor::domain
