// The contact's rules: what each command produces from each state, what it
// refuses, and what a referrer may be told.
#include "domain/contact.hpp"

#include <gtest/gtest.h>

namespace frontdoor::domain {
namespace {

using namespace std::chrono;

const Instant kNow = utc(2026, 11, 30, 9, 30);

ContactDetails details() {
  ContactDetails d;
  d.channel = ContactChannel::kPhone;
  d.source_code = "6";
  d.received_at = kNow;
  d.referrer.name = "PC Example";
  d.referrer.phone = "01632 960000";
  ChildOnContact child;
  child.given_name = "Ruby";
  child.family_name = "Testwell";
  child.date_of_birth = sys_days{year{2017} / May / 14};
  child.sex = "2";
  d.children = {child, child};
  d.children[1].given_name = "Leo";
  d.concerns = "Domestic incident; children present.";
  return d;
}

// Applies the events a command produced, as the store would record them.
class ContactFlow : public ::testing::Test {
 protected:
  void apply_all(const Result<std::vector<NewEvent>>& produced, const std::string& by = "worker") {
    ASSERT_TRUE(produced.ok()) << produced.error().message;
    for (const auto& e : *produced) {
      RecordedEvent r;
      r.seq = ++seq_;
      r.stream = "contact/1";
      r.stream_version = ++state_.version;
      r.type = e.type;
      r.payload = e.payload;
      r.actor.username = by;
      r.actor.display_name = by;
      r.occurred_at = e.occurred_at.value_or(kNow);
      r.recorded_at = kNow;
      r.reason = e.reason;
      --state_.version;  // apply() sets the version from the event
      apply(state_, r);
      types_.push_back(e.type);
    }
  }
  void receive() {
    state_.id = 1;
    apply_all(receive_contact(details(), "MASH-000001", kNow), "police");
  }
  void link_children() {
    for (std::size_t i = 0; i < state_.details.children.size(); ++i) {
      if (!state_.details.children[i].person_id) {
        apply_all(link_child(state_, i, 100 + static_cast<std::int64_t>(i), true));
      }
    }
  }
  void screen(RagRating rag = RagRating::kRed) {
    link_children();
    ScreenCommand cmd;
    cmd.rag = rag;
    cmd.rationale = "Young children";
    apply_all(screen_contact(state_, cmd, kNow + hours{4}));
  }
  DecisionCommand decision() const {
    DecisionCommand cmd;
    cmd.outcome = Outcome::kStrategyDiscussion;
    cmd.level = 4;
    cmd.indicators = {"4.1"};
    cmd.rationale = "Repeat incidents";
    cmd.next_steps = "Strategy discussion today";
    return cmd;
  }

  ContactState state_;
  std::vector<std::string> types_;
  std::int64_t seq_ = 0;
  ThresholdFramework framework_ = ThresholdFramework::default_framework();
};

TEST_F(ContactFlow, ReceivedContactAwaitsScreeningWithTheDetailsKept) {
  receive();
  EXPECT_EQ(state_.status, ContactStatus::kAwaitingScreening);
  EXPECT_EQ(state_.reference, "MASH-000001");
  ASSERT_EQ(state_.details.children.size(), 2U);
  EXPECT_EQ(state_.details.children[1].given_name, "Leo");
  EXPECT_FALSE(state_.is_closed());
}

TEST_F(ContactFlow, InvalidDetailsAreRefusedWithFieldNames) {
  ContactDetails d = details();
  d.children.clear();
  d.concerns = " ";
  d.source_code = "42";
  auto r = receive_contact(d, "MASH-000002", kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "children"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "concerns"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "source_code"), fields.end());
}

TEST_F(ContactFlow, FutureReceiptAndFutureBirthAreRefused) {
  ContactDetails d = details();
  d.received_at = kNow + hours{2};
  d.children[0].date_of_birth = sys_days{year{2027} / January / 1};
  auto r = validate_contact_details(d, kNow);
  ASSERT_FALSE(r.ok());
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "received_at"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "children[0].date_of_birth"), fields.end());
}

TEST_F(ContactFlow, UnbornChildNeedsAnExpectedDate) {
  ContactDetails d = details();
  d.children[0] = ChildOnContact{};
  d.children[0].unborn = true;
  EXPECT_FALSE(validate_contact_details(d, kNow).ok());
  d.children[0].expected_date_of_birth = sys_days{year{2027} / March / 1};
  EXPECT_TRUE(validate_contact_details(d, kNow).ok());
}

TEST_F(ContactFlow, ScreeningNeedsEveryChildLinkedAndARationale) {
  receive();
  ScreenCommand cmd;
  cmd.rag = RagRating::kGreen;
  auto unlinked = screen_contact(state_, cmd, kNow);
  ASSERT_FALSE(unlinked.ok());
  EXPECT_EQ(unlinked.error().code, ErrorCode::kValidation);
  ASSERT_EQ(unlinked.error().fields.size(), 3U);  // two children and the rationale
  EXPECT_EQ(unlinked.error().fields[0].field, "children[0]");
  EXPECT_EQ(unlinked.error().message, unlinked.error().fields[0].message);
  link_children();
  EXPECT_EQ(state_.details.children[1].person_id, 101);
  cmd.rationale = "Low level concern";
  EXPECT_TRUE(screen_contact(state_, cmd, kNow).ok());
}

TEST_F(ContactFlow, ScreeningSetsTheRatingAndDeadline) {
  receive();
  screen(RagRating::kAmber);
  ASSERT_TRUE(state_.screening.has_value());
  EXPECT_EQ(state_.screening->rag, RagRating::kAmber);
  EXPECT_EQ(state_.screening->decision_due_at, kNow + hours{4});
  EXPECT_EQ(state_.status, ContactStatus::kAwaitingDecision);
}

TEST_F(ContactFlow, NoDecisionBeforeScreeningAndNoSignOffBeforeADecision) {
  receive();
  auto early = record_decision(state_, decision(), framework_);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kInvalidTransition);
  auto sign = sign_off_decision(state_, "Close", kNow);
  ASSERT_FALSE(sign.ok());
  EXPECT_EQ(sign.error().code, ErrorCode::kInvalidTransition);
  screen();
  EXPECT_FALSE(sign_off_decision(state_, "Close", kNow).ok());
}

TEST_F(ContactFlow, AContactCannotCloseWithoutASignedDecision) {
  receive();
  auto closing = close_contact(state_, kNow);
  ASSERT_FALSE(closing.ok());
  EXPECT_EQ(closing.error().code, ErrorCode::kInvalidTransition);
  screen();
  apply_all(record_decision(state_, decision(), framework_));
  EXPECT_FALSE(close_contact(state_, kNow).ok());
  EXPECT_FALSE(state_.is_closed());
}

TEST_F(ContactFlow, DecisionNeedsOutcomeLevelIndicatorsFromThatLevelAndRationale) {
  receive();
  screen();
  DecisionCommand empty;
  auto r = record_decision(state_, empty, framework_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  for (const char* f : {"outcome", "level", "rationale"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }
  DecisionCommand mismatched = decision();
  mismatched.indicators = {"1.1"};  // an indicator from another level
  EXPECT_FALSE(record_decision(state_, mismatched, framework_).ok());
  DecisionCommand unknown = decision();
  unknown.indicators = {"9.9"};
  EXPECT_FALSE(record_decision(state_, unknown, framework_).ok());
}

TEST_F(ContactFlow, SendBackNeedsAReasonAndReturnsTheContactForADecision) {
  receive();
  screen();
  apply_all(record_decision(state_, decision(), framework_));
  EXPECT_EQ(state_.status, ContactStatus::kAwaitingSignOff);
  EXPECT_FALSE(send_back_decision(state_, "  ").ok());
  apply_all(send_back_decision(state_, "Add the school's view"), "manager");
  EXPECT_EQ(state_.status, ContactStatus::kAwaitingDecision);
  ASSERT_EQ(state_.send_backs.size(), 1U);
  EXPECT_EQ(state_.send_backs[0].reason, "Add the school's view");
  // Sent back: nothing to sign off until a new decision is recorded.
  EXPECT_FALSE(sign_off_decision(state_, "Go", kNow).ok());
}

TEST_F(ContactFlow, SignOffRecordsTheDirectionAndClosesTheContact) {
  receive();
  screen();
  apply_all(record_decision(state_, decision(), framework_));
  EXPECT_FALSE(sign_off_decision(state_, "", kNow).ok());  // a direction is required
  apply_all(sign_off_decision(state_, "Strategy discussion by 4pm", kNow), "manager");
  EXPECT_EQ(state_.status, ContactStatus::kCompleted);
  ASSERT_TRUE(state_.sign_off.has_value());
  EXPECT_EQ(state_.sign_off->case_direction, "Strategy discussion by 4pm");
  EXPECT_TRUE(state_.is_closed());
  const std::vector<std::string> tail(types_.end() - 2, types_.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"DecisionSignedOff", "ContactClosed"}));
  // Nothing more can be decided on a closed contact.
  EXPECT_FALSE(record_decision(state_, decision(), framework_).ok());
  EXPECT_FALSE(sign_off_decision(state_, "Again", kNow).ok());
}

TEST_F(ContactFlow, TheReferrerIsToldTheOutcomeButNotTheRationale) {
  receive();
  screen();
  DecisionCommand cmd = decision();
  cmd.rationale = "Mother disclosed a new partner with a history of violence";
  apply_all(record_decision(state_, cmd, framework_));
  apply_all(sign_off_decision(state_, "Strategy discussion", kNow), "manager");
  const std::string message = outcome_message_for_referrer(state_);
  EXPECT_FALSE(message.empty());
  EXPECT_NE(message.find("MASH-000001"), std::string::npos);
  EXPECT_EQ(message.find("new partner"), std::string::npos);
  EXPECT_EQ(message.find("4.1"), std::string::npos);
}

TEST_F(ContactFlow, NoDecisionWhileChecksAreOutstandingUnlessAManagerAgrees) {
  receive();
  screen();
  const ChecksProgress open{{7, 9}, {}};
  auto refused = record_decision(state_, decision(), framework_, open);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidTransition);
  EXPECT_NE(refused.error().message.find("2 checks are still outstanding"), std::string::npos);
  // The manager must say why.
  auto no_reason = allow_decision_before_checks_in(state_, open, "  ");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().fields.at(0).field, "early_reason");
  EXPECT_FALSE(allow_decision_before_checks_in(state_, ChecksProgress{}, "why").ok());
  apply_all(allow_decision_before_checks_in(state_, open, "Child at risk tonight"), "manager");
  ASSERT_TRUE(state_.early_decision.has_value());
  EXPECT_EQ(state_.early_decision->reason, "Child at risk tonight");
  EXPECT_EQ(state_.early_decision->open_checks, (std::vector<std::int64_t>{7, 9}));
  EXPECT_EQ(state_.early_decision->by, "manager");
  // A check asked for after the manager agreed is not covered.
  auto later = record_decision(state_, decision(), framework_, ChecksProgress{{7, 9, 11}, {}});
  ASSERT_FALSE(later.ok());
  EXPECT_NE(later.error().message.find("1 check is still outstanding"), std::string::npos);
  // The decision records the answers it relied on, only answered ones.
  auto cmd = decision();
  cmd.relied_on_checks = {7};
  auto unanswered = record_decision(state_, cmd, framework_, ChecksProgress{{7, 9}, {3}});
  ASSERT_FALSE(unanswered.ok());
  EXPECT_EQ(unanswered.error().fields.at(0).field, "relied_on_checks");
  cmd.relied_on_checks = {3};
  apply_all(record_decision(state_, cmd, framework_, ChecksProgress{{7, 9}, {3}}));
  ASSERT_TRUE(state_.decision.has_value());
  EXPECT_EQ(state_.decision->relied_on_checks, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(to_json(state_)["decision"]["relied_on_checks"], nlohmann::json::array({3}));
}

TEST_F(ContactFlow, AnAdultIsLinkedToTheirPersonRecord) {
  auto d = details();
  AdultOnContact adult;
  adult.given_name = "Dean";
  adult.family_name = "Testwell";
  adult.relationship = "mother's partner";
  d.adults = {adult};
  state_.id = 1;
  apply_all(receive_contact(d, "MASH-000001", kNow));
  EXPECT_FALSE(link_adult(state_, 1, 55, true).ok());
  apply_all(link_adult(state_, 0, 55, true));
  EXPECT_EQ(state_.details.adults[0].person_id, 55);
  EXPECT_EQ(types_.back(), contact_events::kAdultLinked);
}

TEST(ContactHistory, ReReferralWithinTwelveMonthsAndOpenCases) {
  const Instant received = kNow;
  std::vector<PriorContact> earlier;
  EXPECT_EQ(summarise_history(earlier, received).previous_contacts, 0);
  earlier.push_back(
      PriorContact{1, received - days{400}, Outcome::kReferralToSocialCare, true});  // too old
  earlier.push_back(PriorContact{2, received - days{100}, Outcome::kNoFurtherAction, true});
  auto h = summarise_history(earlier, received);
  EXPECT_EQ(h.previous_contacts, 2);
  EXPECT_FALSE(h.rereferral_within_12_months);
  EXPECT_FALSE(h.open_case);
  earlier.push_back(PriorContact{3, received - days{200}, Outcome::kReferralToSocialCare, true});
  h = summarise_history(earlier, received);
  EXPECT_TRUE(h.rereferral_within_12_months);
  earlier.push_back(PriorContact{4, received - days{2}, std::nullopt, false});
  EXPECT_TRUE(summarise_history(earlier, received).open_case);
}

// An id sent as 1e300 was cast to an integer, which is undefined behaviour:
// UBSan in the fuzz build reported it for the API input in
// tests/fuzz/corpus/api_json/regression-float-agency-id.txt. Ids must be
// JSON integers.
TEST(ContactJson, IdsThatAreNotIntegersAreRefused) {
  nlohmann::json j = to_json(details());
  ASSERT_TRUE(contact_details_from_json(j).ok());
  for (const char* bad : {"1e300", "-1e300", "1.5", "\"7\"", "true"}) {
    nlohmann::json with_agency = j;
    with_agency["referrer"]["agency_id"] = nlohmann::json::parse(bad);
    EXPECT_FALSE(contact_details_from_json(with_agency).ok()) << "agency_id " << bad;
    nlohmann::json with_person = j;
    with_person["children"][0]["person_id"] = nlohmann::json::parse(bad);
    EXPECT_FALSE(contact_details_from_json(with_person).ok()) << "person_id " << bad;
  }
  j["referrer"]["agency_id"] = 12;
  j["children"][0]["person_id"] = nullptr;
  auto read = contact_details_from_json(j);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->referrer.agency_id, 12);
  EXPECT_FALSE(read->children[0].person_id.has_value());
}

}  // namespace
}  // namespace frontdoor::domain
