#include "domain/bank_holidays.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/time.hpp"
#include "domain/working_day_calendar.hpp"

namespace frontdoor::domain {
namespace {

using std::chrono::sys_days;

sys_days D(std::string_view text) {
  return *parse_date(text);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const std::string kResource =
    std::string(FRONTDOOR_SOURCE_DIR) + "/resources/bank-holidays-england-and-wales.json";

TEST(BankHolidays, EmbeddedListMatchesTheResourceFile) {
  const std::string json = read_file(kResource);
  ASSERT_FALSE(json.empty()) << "cannot read " << kResource;
  auto parsed = parse_govuk_bank_holiday_events(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto embedded = embedded_england_and_wales_bank_holidays();
  ASSERT_EQ(parsed->size(), embedded.size())
      << "run python3 scripts/gen-bank-holidays.py after changing the JSON";
  for (std::size_t i = 0; i < embedded.size(); ++i) {
    EXPECT_EQ(format_date((*parsed)[i].date), format_date(embedded[i].date)) << "entry " << i;
    EXPECT_EQ((*parsed)[i].title, embedded[i].title) << "entry " << i;
  }
}

TEST(BankHolidays, EmbeddedListIsStrictlyAscending) {
  const auto embedded = embedded_england_and_wales_bank_holidays();
  ASSERT_GE(embedded.size(), 70u);
  for (std::size_t i = 1; i < embedded.size(); ++i) {
    EXPECT_LT(embedded[i - 1].date, embedded[i].date);
  }
  EXPECT_EQ(embedded.front().date, D("2019-01-01"));
  EXPECT_EQ(embedded.back().date, D("2027-12-28"));
}

TEST(BankHolidays, EmbeddedListHasOneOffAndSubstituteDays) {
  const auto dates = england_and_wales_bank_holiday_dates();
  auto has = [&](std::string_view d) {
    return std::find(dates.begin(), dates.end(), D(d)) != dates.end();
  };
  EXPECT_TRUE(has("2020-05-08"));   // VE day (early May holiday moved)
  EXPECT_TRUE(has("2022-06-03"));   // Platinum Jubilee
  EXPECT_TRUE(has("2022-09-19"));   // State funeral of Queen Elizabeth II
  EXPECT_TRUE(has("2023-05-08"));   // Coronation
  EXPECT_TRUE(has("2021-12-27"));   // Christmas Day substitute
  EXPECT_TRUE(has("2021-12-28"));   // Boxing Day substitute
  EXPECT_TRUE(has("2022-01-03"));   // New Year's Day substitute
  EXPECT_FALSE(has("2020-05-04"));  // the usual first Monday, moved in 2020
  EXPECT_FALSE(has("2021-12-25"));  // a Saturday: the holiday is the substitute
}

TEST(BankHolidays, SubstituteDayTitlesCarryTheNotes) {
  for (const auto& h : embedded_england_and_wales_bank_holidays()) {
    if (h.date == D("2021-12-28")) {
      EXPECT_EQ(h.title, "Boxing Day (substitute day)");
      return;
    }
  }
  FAIL() << "2021-12-28 missing";
}

constexpr const char* kFutureFeed = R"({
  "england-and-wales": {
    "division": "england-and-wales",
    "events": [
      {"title": "Christmas Day", "date": "2028-12-25", "notes": "", "bunting": true},
      {"title": "New Year’s Day", "date": "2028-01-03", "notes": "Substitute day", "bunting": true},
      {"title": "Christmas Day", "date": "2028-12-25", "notes": "", "bunting": true}
    ]
  },
  "scotland": {
    "division": "scotland",
    "events": [{"title": "St Andrew’s Day", "date": "2028-11-30", "notes": "", "bunting": true}]
  }
})";

TEST(ParseGovukBankHolidays, SortsAndRemovesDuplicates) {
  auto dates = parse_govuk_bank_holidays(kFutureFeed);
  ASSERT_TRUE(dates.ok()) << dates.error().message;
  ASSERT_EQ(dates->size(), 2u);
  EXPECT_EQ((*dates)[0], D("2028-01-03"));
  EXPECT_EQ((*dates)[1], D("2028-12-25"));
}

TEST(ParseGovukBankHolidays, ReadsTitlesAndNotes) {
  auto events = parse_govuk_bank_holiday_events(kFutureFeed);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ((*events)[0].title, "New Year’s Day (substitute day)");
  EXPECT_EQ((*events)[1].title, "Christmas Day");
}

TEST(ParseGovukBankHolidays, ChoosesTheDivision) {
  auto dates = parse_govuk_bank_holidays(kFutureFeed, "scotland");
  ASSERT_TRUE(dates.ok());
  ASSERT_EQ(dates->size(), 1u);
  EXPECT_EQ((*dates)[0], D("2028-11-30"));
}

TEST(ParseGovukBankHolidays, RejectsBadInput) {
  auto not_json = parse_govuk_bank_holidays("{ not json");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().code, ErrorCode::kValidation);
  EXPECT_NE(not_json.error().message.find("not valid JSON"), std::string::npos);

  auto no_division = parse_govuk_bank_holidays(R"({"scotland": {"events": []}})");
  ASSERT_FALSE(no_division.ok());
  EXPECT_NE(no_division.error().message.find("england-and-wales"), std::string::npos);

  auto no_events = parse_govuk_bank_holidays(R"({"england-and-wales": {"division": "x"}})");
  EXPECT_FALSE(no_events.ok());

  auto bad_date = parse_govuk_bank_holidays(
      R"({"england-and-wales": {"events": [{"title": "x", "date": "2028-02-30"}]}})");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_NE(bad_date.error().message.find("2028-02-30"), std::string::npos);

  auto missing_date =
      parse_govuk_bank_holidays(R"({"england-and-wales": {"events": [{"title": "x"}]}})");
  EXPECT_FALSE(missing_date.ok());

  EXPECT_FALSE(parse_govuk_bank_holidays("[1, 2]").ok());
}

TEST(ParseGovukBankHolidays, AddedDatesStopBeingWorkingDays) {
  auto extra = parse_govuk_bank_holidays(kFutureFeed);
  ASSERT_TRUE(extra.ok());
  const auto base = WorkingDayCalendar::england_and_wales();
  EXPECT_TRUE(base.is_working_day(D("2028-12-25")));  // the embedded list ends in 2027
  const auto extended = base.with_bank_holidays(*extra);
  EXPECT_FALSE(extended.is_working_day(D("2028-12-25")));
  EXPECT_FALSE(extended.is_working_day(D("2028-01-03")));
  EXPECT_FALSE(extended.is_working_day(D("2022-06-03")));  // the old ones are kept
  EXPECT_EQ(extended.last_known_bank_holiday(), D("2028-12-25"));
}

}  // namespace
}  // namespace frontdoor::domain
