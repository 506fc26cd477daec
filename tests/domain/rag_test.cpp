#include "domain/rag.hpp"

#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace frontdoor::domain {
namespace {

using namespace std::chrono_literals;

TEST(RagRating, StringsRoundTrip) {
  for (RagRating r : all_rag_ratings()) {
    EXPECT_EQ(parse_rag_rating(to_string(r)), r);
  }
  EXPECT_EQ(to_string(RagRating::kRed), "red");
  EXPECT_EQ(to_string(RagRating::kAmber), "amber");
  EXPECT_EQ(to_string(RagRating::kGreen), "green");
  EXPECT_EQ(label(RagRating::kAmber), "Amber");
  EXPECT_FALSE(parse_rag_rating("Red").has_value());
  EXPECT_FALSE(parse_rag_rating("blue").has_value());
  EXPECT_FALSE(parse_rag_rating("").has_value());
}

TEST(TimeLimit, Describe) {
  EXPECT_EQ((TimeLimit{TimeLimit::kWorkingHours, 4}).describe(), "4 working hours");
  EXPECT_EQ((TimeLimit{TimeLimit::kWorkingHours, 1}).describe(), "1 working hour");
  EXPECT_EQ((TimeLimit{TimeLimit::kWorkingDays, 1}).describe(), "1 working day");
  EXPECT_EQ((TimeLimit{TimeLimit::kWorkingDays, 3}).describe(), "3 working days");
  EXPECT_EQ((TimeLimit{TimeLimit::kClockHours, 24}).describe(), "24 hours");
  EXPECT_EQ((TimeLimit{TimeLimit::kClockHours, 1}).describe(), "1 hour");
}

class DecisionDeadlines : public ::testing::Test {
 protected:
  Instant due(Instant received, RagRating rating) const {
    return policy.deadline(received, rating, calendar);
  }
  const RagPolicy policy = RagPolicy::default_decision_policy();
  const WorkingDayCalendar calendar = WorkingDayCalendar::england_and_wales();
};

TEST_F(DecisionDeadlines, DefaultLimits) {
  EXPECT_EQ(policy.limit(RagRating::kRed), (TimeLimit{TimeLimit::kWorkingHours, 4}));
  EXPECT_EQ(policy.limit(RagRating::kAmber), (TimeLimit{TimeLimit::kWorkingDays, 1}));
  EXPECT_EQ(policy.limit(RagRating::kGreen), (TimeLimit{TimeLimit::kWorkingDays, 3}));
}

TEST_F(DecisionDeadlines, RedIsFourWorkingHours) {
  EXPECT_EQ(due(utc(2026, 11, 21, 2, 10), RagRating::kRed), utc(2026, 11, 23, 13));
  EXPECT_EQ(due(utc(2026, 11, 23, 10), RagRating::kRed), utc(2026, 11, 23, 14));
  EXPECT_EQ(due(utc(2026, 11, 23, 16), RagRating::kRed), utc(2026, 11, 24, 12));
}

TEST_F(DecisionDeadlines, AmberIsCloseOfTheNextWorkingDay) {
  // Friday 4pm -> Monday 5pm.
  EXPECT_EQ(due(utc(2026, 11, 20, 16), RagRating::kAmber), utc(2026, 11, 23, 17));
  // Saturday -> Monday 5pm; Monday 8am -> Tuesday 5pm.
  EXPECT_EQ(due(utc(2026, 11, 21, 2, 10), RagRating::kAmber), utc(2026, 11, 23, 17));
  EXPECT_EQ(due(utc(2026, 11, 23, 8), RagRating::kAmber), utc(2026, 11, 24, 17));
  // Friday 28 August 2026, 4pm BST: Monday is the summer bank holiday, so
  // Tuesday 5pm BST (16:00 UTC).
  EXPECT_EQ(due(utc(2026, 8, 28, 15), RagRating::kAmber), utc(2026, 9, 1, 16));
  // Received 11:30pm BST on a Thursday (22:30 UTC): the London date is
  // Thursday, so Friday 5pm.
  EXPECT_EQ(due(utc(2026, 7, 2, 22, 30), RagRating::kAmber), utc(2026, 7, 3, 16));
  // Received 00:30 BST on Friday (23:30 UTC Thursday): London date Friday,
  // so Monday 5pm BST.
  EXPECT_EQ(due(utc(2026, 7, 2, 23, 30), RagRating::kAmber), utc(2026, 7, 6, 16));
}

TEST_F(DecisionDeadlines, GreenIsCloseOfTheThirdWorkingDay) {
  EXPECT_EQ(due(utc(2026, 11, 23, 10), RagRating::kGreen), utc(2026, 11, 26, 17));
  // Christmas Eve 2026: 25th and 28th are bank holidays -> Tue 29, Wed 30,
  // Thu 31 December.
  EXPECT_EQ(due(utc(2026, 12, 24, 10), RagRating::kGreen), utc(2026, 12, 31, 17));
  // Across the 2022 Jubilee: Wed 1 June -> Mon 6, Tue 7, Wed 8 June (BST).
  EXPECT_EQ(due(utc(2022, 6, 1, 10), RagRating::kGreen), utc(2022, 6, 8, 16));
}

TEST_F(DecisionDeadlines, CustomWorkingHoursMoveTheClose) {
  const WorkingHours hours{8h, 18h};
  EXPECT_EQ(policy.deadline(utc(2026, 11, 20, 16), RagRating::kAmber, calendar, hours),
            utc(2026, 11, 23, 18));
}

TEST(CheckPolicy, DefaultIsClockHours) {
  const auto policy = RagPolicy::default_check_policy();
  const auto calendar = WorkingDayCalendar::england_and_wales();
  const Instant saturday = utc(2026, 11, 21, 2, 10);
  EXPECT_EQ(policy.deadline(saturday, RagRating::kRed, calendar), utc(2026, 11, 21, 4, 10));
  EXPECT_EQ(policy.deadline(saturday, RagRating::kAmber, calendar), utc(2026, 11, 21, 8, 10));
  EXPECT_EQ(policy.deadline(saturday, RagRating::kGreen, calendar), utc(2026, 11, 22, 2, 10));
}

TEST(RagPolicyJson, RoundTrips) {
  for (const auto& policy :
       {RagPolicy::default_decision_policy(), RagPolicy::default_check_policy()}) {
    auto parsed = RagPolicy::parse(policy.to_json().dump());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(*parsed, policy);
  }
  const auto json = RagPolicy::default_decision_policy().to_json();
  EXPECT_EQ(json, nlohmann::json::parse(R"({
    "red": {"unit": "working_hours", "amount": 4},
    "amber": {"unit": "working_days", "amount": 1},
    "green": {"unit": "working_days", "amount": 3}})"));
}

TEST(RagPolicyJson, ParsesACouncilsPolicy) {
  auto policy = RagPolicy::parse(R"({
    "red": {"unit": "clock_hours", "amount": 1},
    "amber": {"unit": "working_hours", "amount": 8},
    "green": {"unit": "working_days", "amount": 5}})");
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->limit(RagRating::kRed), (TimeLimit{TimeLimit::kClockHours, 1}));
  EXPECT_EQ(policy->limit(RagRating::kAmber), (TimeLimit{TimeLimit::kWorkingHours, 8}));
  EXPECT_EQ(policy->limit(RagRating::kGreen), (TimeLimit{TimeLimit::kWorkingDays, 5}));
}

std::string error_field(const Result<RagPolicy>& r) {
  if (r.ok()) return "(ok)";
  return r.error().fields.empty() ? "(no field)" : r.error().fields.front().field;
}

TEST(RagPolicyJson, ValidationErrorsNameTheField) {
  auto policy_with = [](const std::string& green) {
    return RagPolicy::parse(R"({"red": {"unit": "working_hours", "amount": 4},
                               "amber": {"unit": "working_days", "amount": 1},
                               "green": )" +
                            green + "}");
  };
  EXPECT_EQ(error_field(policy_with(R"({"unit": "weeks", "amount": 1})")), "green.unit");
  EXPECT_EQ(error_field(policy_with(R"({"amount": 1})")), "green.unit");
  EXPECT_EQ(error_field(policy_with(R"({"unit": "working_days", "amount": 0})")), "green.amount");
  EXPECT_EQ(error_field(policy_with(R"({"unit": "working_days", "amount": -3})")), "green.amount");
  EXPECT_EQ(error_field(policy_with(R"({"unit": "working_days", "amount": "3"})")), "green.amount");
  EXPECT_EQ(error_field(policy_with(R"({"unit": "working_days", "amount": 2.5})")), "green.amount");
  EXPECT_EQ(error_field(policy_with(R"({"unit": "working_days", "amount": 51})")), "green.amount");
  EXPECT_EQ(error_field(policy_with(R"({"unit": "clock_hours", "amount": 10000000000000})")),
            "green.amount");
  EXPECT_EQ(error_field(policy_with(R"("3 days")")), "green");
  EXPECT_EQ(error_field(policy_with(R"({"unit": "working_days", "amount": 50})")), "(ok)");

  auto missing_amber = RagPolicy::parse(R"({"red": {"unit": "working_hours", "amount": 4},
                                            "green": {"unit": "working_days", "amount": 3}})");
  EXPECT_EQ(error_field(missing_amber), "amber");

  auto bad = policy_with(R"({"unit": "working_days", "amount": 51})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  EXPECT_EQ(bad.error().message, "The time limit for green must be between 1 and 50 working days");

  EXPECT_FALSE(RagPolicy::parse("not json").ok());
  EXPECT_FALSE(RagPolicy::parse("[]").ok());
}

TEST(RagPolicy, ConstructionChecksLimits) {
  EXPECT_THROW(RagPolicy({TimeLimit::kWorkingHours, 0}, {TimeLimit::kWorkingDays, 1},
                         {TimeLimit::kWorkingDays, 3}),
               std::invalid_argument);
  auto made = RagPolicy::make({TimeLimit::kWorkingHours, 4}, {TimeLimit::kWorkingDays, 99},
                              {TimeLimit::kWorkingDays, 3});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().fields.at(0).field, "amber.amount");
  EXPECT_TRUE(RagPolicy::make({TimeLimit::kWorkingHours, 4}, {TimeLimit::kWorkingDays, 1},
                              {TimeLimit::kWorkingDays, 3})
                  .ok());
}

}  // namespace
}  // namespace frontdoor::domain
