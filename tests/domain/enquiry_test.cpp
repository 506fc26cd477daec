// The MASH enquiry's rules (issue #3): consent and its override, checks and
// their answers, and the partnership's figures, against hand-worked examples
// that cross a weekend and the Christmas bank holidays.
#include "domain/enquiry.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace frontdoor::domain {
namespace {

using namespace std::chrono;

Instant at(const char* iso) {
  auto t = parse_utc(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(Instant{});
}

template <typename State>
State fold(std::vector<NewEvent> events, const char* when, State state = {}) {
  for (auto& e : events) {
    RecordedEvent r;
    r.stream_version = state.version + 1;
    r.type = e.type;
    r.payload = e.payload;
    r.reason = e.reason;
    r.occurred_at = at(when);
    apply(state, r);
  }
  return state;
}

bool names(const Error& e, const std::string& field) {
  for (const auto& f : e.fields) {
    if (f.field == field) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Consent
// ---------------------------------------------------------------------------

TEST(Consent, ChecksProceedWithConsentOrAnOverrideNeverSilently) {
  EnquiryState s;
  // Nothing recorded: refused with what to record, not silently.
  auto blocked = checks_may_proceed(s, 0);
  ASSERT_FALSE(blocked.ok());
  EXPECT_TRUE(names(blocked.error(), "consent"));

  auto given = record_consent(s, 2, {0, ConsentDecision::kGiven, "Mother", ""});
  ASSERT_TRUE(given.ok());
  s = fold(*given, "2026-12-01T10:00:00Z", s);
  EXPECT_TRUE(checks_may_proceed(s, 0).ok());
  EXPECT_FALSE(checks_may_proceed(s, 1).ok());  // each child on its own
  EXPECT_EQ(s.consent_for(0)->given_by, "Mother");
  EXPECT_EQ(s.consent_for(0)->recorded_at, at("2026-12-01T10:00:00Z"));

  // Withdrawn: checks stop until a manager agrees an override.
  auto withdrawn = record_consent(s, 2, {0, ConsentDecision::kWithdrawn, "Mother", ""});
  ASSERT_TRUE(withdrawn.ok());
  s = fold(*withdrawn, "2026-12-01T11:00:00Z", s);
  EXPECT_FALSE(checks_may_proceed(s, 0).ok());
}

TEST(Consent, WhatEachDecisionNeeds) {
  EnquiryState s;
  EXPECT_EQ(record_consent(s, 1, {1, ConsentDecision::kGiven, "Mother", ""}).error().code,
            ErrorCode::kValidation);  // no second child
  EXPECT_TRUE(
      names(record_consent(s, 1, {0, ConsentDecision::kGiven, " ", ""}).error(), "given_by"));
  EXPECT_TRUE(
      names(record_consent(s, 1, {0, ConsentDecision::kRefused, "", ""}).error(), "given_by"));
  EXPECT_TRUE(
      names(record_consent(s, 1, {0, ConsentDecision::kNotSought, "", ""}).error(), "notes"));
  EXPECT_TRUE(names(record_consent(s, 1, {0, ConsentDecision::kWithdrawn, "Father", ""}).error(),
                    "decision"));  // never given
  EXPECT_TRUE(record_consent(s, 1, {0, ConsentDecision::kSought, "", ""}).ok());
}

TEST(Consent, AnOverrideNeedsAReasonAndTheManagerAndIsRecordedWithBoth) {
  EnquiryState s;
  auto refused = record_consent(s, 1, {0, ConsentDecision::kRefused, "Father", "Hung up"});
  ASSERT_TRUE(refused.ok());
  s = fold(*refused, "2026-12-01T09:00:00Z", s);

  OverrideCommand incomplete;
  auto missing = override_consent(s, 1, incomplete);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(names(missing.error(), "reason"));
  EXPECT_TRUE(names(missing.error(), "manager"));

  OverrideCommand cmd;
  cmd.override = {LawfulBasis::kRiskOfHarm, "Father is the alleged abuser; asking would alert him",
                  7, "Maya Lindqvist"};
  auto overridden = override_consent(s, 1, cmd);
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->front().reason, cmd.override.reason);  // the event carries why
  s = fold(*overridden, "2026-12-01T09:05:00Z", s);
  EXPECT_TRUE(checks_may_proceed(s, 0).ok());
  const auto* c = s.consent_for(0);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->decision, ConsentDecision::kRefused);  // still refused: the record says both
  ASSERT_TRUE(c->override.has_value());
  EXPECT_EQ(c->override->basis, LawfulBasis::kRiskOfHarm);
  EXPECT_EQ(c->override->manager_name, "Maya Lindqvist");
  EXPECT_EQ(c->override->manager_user_id, 7);

  // Consent given later replaces the override; an override with consent given is refused.
  auto given = record_consent(s, 1, {0, ConsentDecision::kGiven, "Father", "Agreed at visit"});
  s = fold(*given, "2026-12-02T09:00:00Z", s);
  EXPECT_FALSE(s.consent_for(0)->override.has_value());
  EXPECT_EQ(override_consent(s, 1, cmd).error().code, ErrorCode::kInvalidTransition);
}

TEST(Consent, NamesRoundTrip) {
  for (auto d : {ConsentDecision::kSought, ConsentDecision::kGiven, ConsentDecision::kRefused,
                 ConsentDecision::kNotSought, ConsentDecision::kWithdrawn}) {
    EXPECT_EQ(parse_consent_decision(to_string(d)), d);
    EXPECT_FALSE(label(d).empty());
  }
  for (auto b : {LawfulBasis::kRiskOfHarm, LawfulBasis::kCrimePrevention,
                 LawfulBasis::kUnreasonableDelay, LawfulBasis::kSafeguardingDuty}) {
    EXPECT_EQ(parse_lawful_basis(to_string(b)), b);
    EXPECT_FALSE(label(b).empty());
  }
  EXPECT_FALSE(parse_consent_decision("yes").has_value());
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

CheckState requested(std::int64_t agency, std::vector<std::int64_t> people, const char* when,
                     const char* due, TimeLimit::Unit clock) {
  CheckRequest r;
  r.contact_id = 42;
  r.agency_id = agency;
  r.people = std::move(people);
  r.question = "Any information held on these people?";
  auto events = request_check(r, at(when), at(due), clock);
  EXPECT_TRUE(events.ok());
  CheckState s;
  s.id = 1;
  return events.ok() ? fold(*events, when, s) : s;
}

CheckState answered(CheckState s, const char* when) {
  std::vector<PersonAnswer> answers;
  for (auto p : s.people) answers.push_back({p, false, "", "", "", "", ""});
  auto events = answer_check(s, answers);
  EXPECT_TRUE(events.ok()) << (events.ok() ? "" : events.error().message);
  return events.ok() ? fold(*events, when, s) : s;
}

TEST(Checks, ARequestNamesTheAgencyThePeopleAndTheQuestion) {
  CheckRequest empty;
  auto refused = request_check(empty, at("2026-12-01T10:00:00Z"), at("2026-12-01T12:00:00Z"),
                               TimeLimit::kClockHours);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(names(refused.error(), "agency_id"));
  EXPECT_TRUE(names(refused.error(), "people"));
  EXPECT_TRUE(names(refused.error(), "question"));
  CheckRequest gp;
  gp.contact_id = 42;
  gp.agency_id = 3;
  gp.people = {11, 10, 11};
  gp.question = "Registered with the practice? Any concerns?";
  gp.parent_check = 9;
  EXPECT_TRUE(names(request_check(gp, at("2026-12-01T10:00:00Z"), at("2026-12-01T12:00:00Z"),
                                  TimeLimit::kClockHours)
                        .error(),
                    "service"));
  gp.service = "GP";
  auto ok = request_check(gp, at("2026-12-01T10:00:00Z"), at("2026-12-01T16:00:00Z"),
                          TimeLimit::kWorkingHours);
  ASSERT_TRUE(ok.ok());
  const auto s = fold(*ok, "2026-12-01T10:00:00Z", CheckState{});
  EXPECT_EQ(s.people, (std::vector<std::int64_t>{10, 11}));  // once each
  EXPECT_EQ(s.parent_check, 9);
  EXPECT_EQ(s.service, "GP");
  EXPECT_EQ(s.clock, TimeLimit::kWorkingHours);
  EXPECT_EQ(s.due_at, at("2026-12-01T16:00:00Z"));
  EXPECT_TRUE(s.is_open());
  EXPECT_FALSE(s.overdue(at("2026-12-01T16:00:00Z")));
  EXPECT_TRUE(s.overdue(at("2026-12-01T16:01:00Z")));
}

TEST(Checks, TheAnswerCoversEachPersonAskedAboutAndSaysWhatIsHeld) {
  auto s = requested(1, {10, 11}, "2026-12-01T10:00:00Z", "2026-12-01T12:00:00Z",
                     TimeLimit::kClockHours);
  auto one = answer_check(s, {{10, false, "", "", "", "", ""}});
  EXPECT_TRUE(names(one.error(), "answers"));
  auto stranger =
      answer_check(s, {{10, false, "", "", "", "", ""}, {99, false, "", "", "", "", ""}});
  EXPECT_TRUE(names(stranger.error(), "answers"));
  auto vague =
      answer_check(s, {{10, true, " ", "", "", "PNC", ""}, {11, false, "", "", "", "", ""}});
  EXPECT_TRUE(names(vague.error(), "answers[0].summary"));
  auto good = answer_check(s, {{11, false, "", "", "", "", ""},
                               {10, true, "Two domestic incidents in 2026", "Same household",
                                "High", "Niche", "24/118"}});
  ASSERT_TRUE(good.ok());
  s = fold(*good, "2026-12-01T11:30:00Z", s);
  EXPECT_EQ(s.status, CheckStatus::kAnswered);
  EXPECT_EQ(s.answered_at, at("2026-12-01T11:30:00Z"));
  ASSERT_EQ(s.answers.size(), 2U);
  EXPECT_EQ(s.answers[0].person_id, 10);
  EXPECT_EQ(s.answers[0].source_reference, "24/118");
  EXPECT_EQ(answer_check(s, {}).error().code, ErrorCode::kInvalidTransition);
  EXPECT_EQ(withdraw_check(s, "Not needed").error().code, ErrorCode::kInvalidTransition);
}

TEST(Checks, TheMashChoosesWhatOfTheContactIsSharedAndAWithdrawalIsDated) {
  CheckRequest police;
  police.contact_id = 42;
  police.agency_id = 2;
  police.agency_name = "Demo Constabulary";
  police.people = {10};
  police.question = "Any domestic abuse call-outs?";
  police.shared = {SharedPart::kReferrer, SharedPart::kConcerns, SharedPart::kConcerns};
  auto ok = request_check(police, at("2026-12-01T10:00:00Z"), at("2026-12-01T12:00:00Z"),
                          TimeLimit::kClockHours);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->front().payload["shared"], nlohmann::json::array({"concerns", "referrer"}));
  auto s = fold(*ok, "2026-12-01T10:00:00Z", CheckState{});
  EXPECT_EQ(s.agency_name, "Demo Constabulary");
  EXPECT_TRUE(s.shares(SharedPart::kConcerns));
  EXPECT_TRUE(s.shares(SharedPart::kReferrer));
  EXPECT_FALSE(s.shares(SharedPart::kAddress));
  EXPECT_FALSE(s.shares(SharedPart::kHousehold));
  EXPECT_FALSE(s.finished_at().has_value());
  EXPECT_FALSE(withdraw_check(s, " ").ok());
  s = fold(*withdraw_check(s, "Asked twice by mistake"), "2026-12-01T10:05:00Z", s);
  EXPECT_EQ(s.status, CheckStatus::kWithdrawn);
  EXPECT_EQ(s.withdrawn_reason, "Asked twice by mistake");
  EXPECT_EQ(s.finished_at(), at("2026-12-01T10:05:00Z"));
  for (const auto part : kAllSharedParts) {
    EXPECT_EQ(parse_shared_part(to_string(part)), part);
    EXPECT_FALSE(label(part).empty());
  }
  EXPECT_FALSE(parse_shared_part("everything").has_value());
}

// ---------------------------------------------------------------------------
// Figures, worked by hand. December is GMT, so London times are UTC.
// Bank holidays: Friday 25 December 2026; Monday 28 December 2026 (Boxing
// Day falls on a Saturday).
// ---------------------------------------------------------------------------

TEST(EnquiryFigures, ResponseTimesOnEachChecksOwnClockAcrossWeekendsAndBankHolidays) {
  const auto calendar = WorkingDayCalendar::england_and_wales();
  ASSERT_TRUE(calendar.is_bank_holiday(sys_days{year{2026} / 12 / 25}));
  ASSERT_TRUE(calendar.is_bank_holiday(sys_days{year{2026} / 12 / 28}));
  const Instant now = at("2026-12-07T12:00:00Z");

  // Police (agency 1), clock hours (red: 2 hours):
  // c1 Fri 4 Dec 16:00, due 18:00, answered 17:30: 90 minutes, on time.
  // c2 Sat 5 Dec 10:00, due 12:00, answered Mon 7 Dec 09:00: 47 hours = 2,820
  //    minutes (clock hours count the weekend), late.
  // c3 Mon 7 Dec 09:00, due 11:00, still open at noon: overdue.
  std::vector<CheckState> checks;
  checks.push_back(answered(
      requested(1, {10}, "2026-12-04T16:00:00Z", "2026-12-04T18:00:00Z", TimeLimit::kClockHours),
      "2026-12-04T17:30:00Z"));
  checks.push_back(answered(
      requested(1, {10}, "2026-12-05T10:00:00Z", "2026-12-05T12:00:00Z", TimeLimit::kClockHours),
      "2026-12-07T09:00:00Z"));
  checks.push_back(
      requested(1, {10}, "2026-12-07T09:00:00Z", "2026-12-07T11:00:00Z", TimeLimit::kClockHours));

  // Health (agency 2), working hours 9am-5pm (amber: 6 working hours):
  // d1 Thu 24 Dec 16:00: 1 hour that day; Fri 25 and Mon 28 bank holidays,
  //    the weekend between; Tue 29 from 9am. Due after 6 working hours: Tue
  //    29 Dec 14:00. Answered Tue 29 Dec 10:00: 60 + 60 = 120 working minutes
  //    (114 hours by the clock), on time.
  const RagPolicy six_working_hours({TimeLimit::kWorkingHours, 2}, {TimeLimit::kWorkingHours, 6},
                                    {TimeLimit::kWorkingHours, 24});
  const Instant d1_due =
      six_working_hours.deadline(at("2026-12-24T16:00:00Z"), RagRating::kAmber, calendar);
  EXPECT_EQ(d1_due, at("2026-12-29T14:00:00Z"));
  checks.push_back(answered(requested(2, {10, 11}, "2026-12-24T16:00:00Z", "2026-12-29T14:00:00Z",
                                      TimeLimit::kWorkingHours),
                            "2026-12-29T10:00:00Z"));
  // d2 Fri 18 Dec 15:00, answered Mon 21 Dec 11:00: 120 + 120 = 240, due
  //    Mon 21 Dec 13:00 (2 hours Friday, 4 Monday): on time.
  checks.push_back(answered(
      requested(2, {10}, "2026-12-18T15:00:00Z", "2026-12-21T13:00:00Z", TimeLimit::kWorkingHours),
      "2026-12-21T11:00:00Z"));
  // d3 Wed 23 Dec 09:30, due 15:30, answered 16:00: 390 minutes, late.
  checks.push_back(answered(
      requested(2, {11}, "2026-12-23T09:30:00Z", "2026-12-23T15:30:00Z", TimeLimit::kWorkingHours),
      "2026-12-23T16:00:00Z"));
  // d4 withdrawn: left out.
  auto d4 =
      requested(2, {11}, "2026-12-23T09:30:00Z", "2026-12-23T15:30:00Z", TimeLimit::kWorkingHours);
  d4 = fold(*withdraw_check(d4, "Asked twice by mistake"), "2026-12-23T09:40:00Z", d4);
  checks.push_back(d4);

  EXPECT_EQ(response_time(checks[3], now, calendar), minutes{120});
  EXPECT_EQ(response_time(checks[1], now, calendar), minutes{2820});
  EXPECT_EQ(response_time(checks[2], now, calendar), minutes{180});  // open: so far

  const auto figures = agency_figures(checks, now, calendar);
  ASSERT_EQ(figures.size(), 2U);
  const auto& police = figures[0];
  EXPECT_EQ(police.agency_id, 1);
  EXPECT_EQ(police.requested, 3);
  EXPECT_EQ(police.answered, 2);
  EXPECT_EQ(police.answered_on_time, 1);
  EXPECT_EQ(police.overdue_now, 1);
  EXPECT_EQ(police.median, minutes{90});  // [90, 2820]: rank ceil(0.5 * 2) = 1
  EXPECT_EQ(police.p90, minutes{2820});   // rank ceil(0.9 * 2) = 2
  const auto& health = figures[1];
  EXPECT_EQ(health.agency_id, 2);
  EXPECT_EQ(health.requested, 3);  // the withdrawn one is not counted
  EXPECT_EQ(health.answered, 3);
  EXPECT_EQ(health.answered_on_time, 2);
  EXPECT_EQ(health.overdue_now, 0);
  EXPECT_EQ(health.median, minutes{240});  // [120, 240, 390]: rank 2
  EXPECT_EQ(health.p90, minutes{390});     // rank ceil(2.7) = 3
}

TEST(EnquiryFigures, TimeFromReceiptToAllChecksIn) {
  const Instant received = at("2026-12-04T15:00:00Z");
  std::vector<CheckState> checks;
  EXPECT_FALSE(time_to_all_checks_in(received, checks).has_value());  // none asked
  checks.push_back(answered(
      requested(1, {10}, "2026-12-04T16:00:00Z", "2026-12-04T18:00:00Z", TimeLimit::kClockHours),
      "2026-12-04T17:30:00Z"));
  checks.push_back(
      requested(2, {10}, "2026-12-04T16:00:00Z", "2026-12-04T22:00:00Z", TimeLimit::kClockHours));
  EXPECT_FALSE(time_to_all_checks_in(received, checks).has_value());  // health still out
  checks[1] = answered(checks[1], "2026-12-07T09:00:00Z");
  // Friday 15:00 to Monday 09:00: 2 days 18 hours.
  EXPECT_EQ(time_to_all_checks_in(received, checks), minutes{3960});
}

}  // namespace
}  // namespace frontdoor::domain
