// The MASH enquiry's pages (issue #3) from their models: the contact page's
// consent and checks, one check, an agency's queue and the partnership's
// figures. Hostile text is inert, every form carries the CSRF token, ids are
// unique on a page with a form per child and per check, and errors land on
// the field they are about.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <regex>
#include <string>

#include "web/pages.hpp"

namespace frontdoor::web {
namespace {

using namespace std::chrono_literals;
using domain::CheckStatus;
using domain::ContactStatus;

const std::string kHostile = "<script>alert(1)</script>";
const std::string kEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;";

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

Chrome chrome() {
  Chrome c;
  c.council_name = "Exampleshire County Council";
  c.user = SignedInUser{"Priya Shah", "tok-123", "csrf_token", "/sign-out"};
  c.csrf_token = "page-token-9";
  return c;
}

// Every id on the page appears once.
void expect_unique_ids(const std::string& s) {
  static const std::regex id(" id=\"([^\"]*)\"");
  std::map<std::string, int> seen;
  for (std::sregex_iterator it(s.begin(), s.end(), id), end; it != end; ++it) ++seen[(*it)[1]];
  for (const auto& [name, n] : seen) EXPECT_EQ(n, 1) << "id \"" << name << "\" appears " << n;
}

// Every <form method="post"> carries the CSRF token; returns how many.
std::size_t csrf_forms(const std::string& s) {
  std::size_t forms = 0;
  for (auto pos = s.find("<form method=\"post\""); pos != std::string::npos;
       pos = s.find("<form method=\"post\"", pos + 1)) {
    const std::string form = s.substr(pos, s.find("</form>", pos) - pos);
    if (contains(form, "action=\"/sign-out\"")) continue;
    ++forms;
    EXPECT_TRUE(contains(form, "name=\"csrf_token\" value=\"page-token-9\"")) << form;
  }
  return forms;
}

const Instant kNow = utc(2026, 11, 30, 15, 0);  // Monday, 3pm in London (GMT)

CheckModel police_check() {
  CheckModel c;
  c.check.id = 7;
  c.check.version = 2;
  c.check.contact_id = 42;
  c.check.agency_id = 2;
  c.check.people = {100, 101};
  c.check.question = "Known? " + kHostile;
  c.check.requested_at = utc(2026, 11, 30, 9, 30);
  c.check.due_at = utc(2026, 11, 30, 11, 30);
  c.check.status = CheckStatus::kAnswered;
  c.check.answered_at = utc(2026, 11, 30, 10, 15);
  c.check.answers = {
      domain::PersonAnswer{100, true, "Call-outs " + kHostile, "", "High", "Niche", "PND-1"},
      domain::PersonAnswer{101, false, "", "", "", "", ""}};
  c.reference = "CHK-000007";
  c.agency_name = "Test Constabulary";
  c.contact_reference = "MASH-000042";
  c.requested_by = "Sam Worker";
  c.people = {CheckPersonModel{100, "Ruby " + kHostile, std::nullopt, "", "", "Child"},
              CheckPersonModel{101, "Dean Hartley", std::nullopt, "", "", "Adult (partner)"}};
  return c;
}

CheckModel school_check() {
  CheckModel c;
  c.check.id = 8;
  c.check.version = 1;
  c.check.contact_id = 42;
  c.check.people = {100};
  c.check.question = "Attendance?";
  c.check.requested_at = utc(2026, 11, 30, 9, 30);
  c.check.due_at = utc(2026, 11, 30, 11, 30);  // overdue at kNow
  c.reference = "CHK-000008";
  c.agency_name = "Oak Academy";
  c.people = {CheckPersonModel{100, "Ruby " + kHostile, std::nullopt, "", "", "Child"}};
  return c;
}

ContactPageModel enquiry_contact() {
  ContactPageModel m;
  m.now = kNow;
  m.provisional_due = kNow + 4h;
  auto& c = m.contact;
  c.id = 42;
  c.reference = "MASH-000042";
  c.version = 6;
  c.status = ContactStatus::kAwaitingDecision;
  c.details.received_at = utc(2026, 11, 30, 9, 0);
  for (const char* name : {"Ruby", "Leo"}) {
    domain::ChildOnContact child;
    child.given_name = name;
    child.family_name = "Webcheck";
    c.details.children.push_back(child);
  }
  m.can_decide = true;
  m.can_sign_off = true;
  EnquiryModel e;
  e.consent.contact_id = 42;
  e.consent.version = 3;
  domain::ChildConsent given;
  given.child_index = 0;
  given.decision = domain::ConsentDecision::kGiven;
  given.given_by = "Mother " + kHostile;
  domain::ChildConsent refused;
  refused.child_index = 1;
  refused.decision = domain::ConsentDecision::kRefused;
  refused.given_by = "Father";
  e.consent.consent = {given, refused};
  e.child_names = {"Ruby Webcheck", "Leo Webcheck"};
  e.subjects = {{"child:0", "Ruby Webcheck", "Child"},
                {"child:1", "Leo Webcheck", "Child"},
                {"adult:0", "Dean Hartley", "Adult (partner)"}};
  e.checks = {police_check(), school_check()};
  e.progress.answered = {7};
  e.progress.open = {8};
  e.agencies = {{2, "Test Constabulary"}, {3, "Oak Academy"}};
  e.can_record_consent = true;
  e.can_override_consent = true;
  e.can_request_check = true;
  e.can_allow_early_decision = true;
  m.enquiry = e;
  return m;
}

TEST(EnquiryOnContactPage, ConsentChecksAnswersAndFormsForAManager) {
  const auto m = enquiry_contact();
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, "Mother " + kEscaped));
  expect_unique_ids(s);
  // Consent and override per child; no override where consent was given.
  EXPECT_TRUE(contains(s, "id=\"consent-1-decision\""));
  EXPECT_TRUE(contains(s, "id=\"consent-2-decision\""));
  EXPECT_FALSE(contains(s, "id=\"override-1-basis\""));
  EXPECT_TRUE(contains(s, "id=\"override-2-basis\""));
  EXPECT_TRUE(contains(s, "name=\"version\" value=\"3\""));  // the enquiry's version
  // The open check can be withdrawn; the answered one cannot.
  EXPECT_TRUE(contains(s, "action=\"/checks/8/withdraw\""));
  EXPECT_FALSE(contains(s, "action=\"/checks/7/withdraw\""));
  // Overdue, in London time.
  EXPECT_TRUE(contains(s, "govuk-tag--red"));
  EXPECT_TRUE(contains(s, "Mon 30 Nov 2026, 11:30am"));
  // Side by side: one column per agency.
  EXPECT_TRUE(contains(s, "What each agency said, side by side"));
  // Partners' long unbroken text wraps instead of widening the page.
  EXPECT_TRUE(contains(s, "govuk-table app-table--wrap"));
  EXPECT_TRUE(contains(s, "Call-outs " + kEscaped));
  EXPECT_TRUE(contains(s, "Not known to the agency"));
  EXPECT_TRUE(contains(s, "Not asked"));
  // The decision waits for the school, and a manager may say why it cannot.
  EXPECT_TRUE(contains(s, "1 check is still outstanding"));
  EXPECT_TRUE(contains(s, "action=\"/contacts/42/early-decision\""));
  EXPECT_TRUE(contains(s, "name=\"relied_on_checks\" type=\"checkbox\" value=\"7\""));
  EXPECT_FALSE(contains(s, "name=\"relied_on_checks\" type=\"checkbox\" value=\"8\""));
  // Asking another agency: the council's partners, the people, what to share.
  EXPECT_TRUE(contains(s, "action=\"/contacts/42/checks\""));
  EXPECT_TRUE(contains(s, "<option value=\"3\">Oak Academy</option>"));
  EXPECT_TRUE(contains(s, "value=\"adult:0\""));
  EXPECT_TRUE(contains(s, "name=\"shared\" type=\"checkbox\" value=\"concerns\""));
  // Consent for each child, one override, one withdraw, ask, early decision, decision.
  EXPECT_EQ(csrf_forms(s), 7U);
}

TEST(EnquiryOnContactPage, AnEarlyDecisionCoversTheOpenChecks) {
  auto m = enquiry_contact();
  m.contact.early_decision =
      domain::EarlyDecision{{8}, "Child at risk tonight", "Maya Manager", 9, kNow - 1h};
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, "still outstanding"));
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/early-decision\""));
  EXPECT_TRUE(contains(s, "Child at risk tonight"));
  EXPECT_TRUE(contains(s, "Agreed by Maya Manager, Mon 30 Nov 2026, 2pm"));
}

TEST(EnquiryOnContactPage, AnErrorLandsOnTheFormOfItsChild) {
  auto m = enquiry_contact();
  m.active_form = "consent-2";
  m.form.values["given_by"] = "Typed " + kHostile;
  m.form.values["child_index"] = "1";
  m.form.errors = {{"consent-2-decision", "Select what happened about consent"}};
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "href=\"#consent-2-decision\""));
  EXPECT_TRUE(contains(s, "id=\"consent-2-decision-error\""));
  EXPECT_FALSE(contains(s, "id=\"consent-1-decision-error\""));
  EXPECT_TRUE(contains(s, "value=\"Typed " + kEscaped + "\""));
  // That child's form is open; the other child's is not.
  EXPECT_TRUE(contains(s, "<details id=\"consent-2-details\" class=\"govuk-details\" open>"));
  EXPECT_TRUE(contains(s, "<details id=\"consent-1-details\" class=\"govuk-details\">"));
  EXPECT_TRUE(contains(s, "<title>Error: "));
}

TEST(EnquiryOnContactPage, NoFormsForAClosedContact) {
  auto m = enquiry_contact();
  m.contact.status = ContactStatus::kCompleted;
  m.contact.closed_at = kNow;
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/consent\""));
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/checks\""));
  EXPECT_FALSE(contains(s, "/withdraw\""));
  EXPECT_TRUE(contains(s, "What each agency said, side by side"));
}

TEST(CheckPage, APartnerSeesOnlyWhatWasSharedAndAnswersPerPerson) {
  CheckPageModel m;
  m.view = police_check();
  m.view.check.status = CheckStatus::kRequested;
  m.view.check.answered_at.reset();
  m.view.check.answers.clear();
  m.view.check.due_at = kNow + 30min;
  m.now = kNow;
  m.can_answer = true;
  m.active_form = "answer";
  m.form.values["person2_summary"] = "typed";
  m.form.errors = {{"answers[1].summary", "Enter what is held about Dean Hartley"}};
  const std::string s = check_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, "Known? " + kEscaped));
  EXPECT_TRUE(contains(s, "The MASH shared only the people to check."));
  EXPECT_TRUE(contains(s, "Back to your agency\u2019s checks"));
  EXPECT_FALSE(contains(s, "href=\"/contacts/"));
  EXPECT_TRUE(contains(s, "Due in 30 minutes"));
  // One fieldset per person, in order, each with its own fields.
  EXPECT_TRUE(contains(s, "name=\"person1_id\" value=\"100\""));
  EXPECT_TRUE(contains(s, "name=\"person2_id\" value=\"101\""));
  EXPECT_TRUE(contains(s, "id=\"person2_known\""));
  EXPECT_TRUE(contains(s, "    Dean Hartley\n  </legend>"));
  // The domain's error about the second answer is on the second summary.
  EXPECT_TRUE(contains(s, "href=\"#person2_summary\""));
  EXPECT_TRUE(contains(s, "id=\"person2_summary-error\""));
  EXPECT_TRUE(contains(s, ">typed</textarea>"));
  EXPECT_FALSE(contains(s, "action=\"/checks/7/sub-requests\""));
  EXPECT_EQ(csrf_forms(s), 1U);
  expect_unique_ids(s);
}

TEST(CheckPage, SharedPartsAnAnswerAndAHealthSubRequestForm) {
  CheckPageModel m;
  m.view = police_check();
  m.view.concerns = "Shouting " + kHostile;
  m.view.household = {"Leo Webcheck \u2013 Child"};
  m.now = kNow;
  m.can_sub_request = true;
  m.services = {"GP", "Health visitor"};
  m.view.sub_requests = {CheckLineModel{9, "CHK-000009", 42, "MASH-000042", "Test NHS Trust", true,
                                        "GP", CheckStatus::kRequested, kNow - 1h, kNow + 1h,
                                        std::nullopt, 1, false}};
  const std::string s = check_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "Shouting " + kEscaped));
  EXPECT_TRUE(contains(s, "Leo Webcheck \u2013 Child"));
  EXPECT_TRUE(contains(s, "The answer"));
  EXPECT_TRUE(contains(s, "Call-outs " + kEscaped));
  EXPECT_FALSE(contains(s, "action=\"/checks/7/answer\""));  // answered already
  EXPECT_TRUE(contains(s, "action=\"/checks/7/sub-requests\""));
  EXPECT_TRUE(contains(s, "<option value=\"GP\">GP</option>"));
  EXPECT_TRUE(contains(s, "href=\"/checks/9\""));
  expect_unique_ids(s);
}

TEST(AgencyChecksPage, OpenByDueTimeOverdueInRedThenClosed) {
  std::vector<CheckLineModel> lines{
      {1, "CHK-000001", 5, "MASH-000005", "Test Constabulary", false, "", CheckStatus::kRequested,
       kNow - 8h, kNow - 2h, std::nullopt, 2, true},
      {2, "CHK-000002", 6, "MASH-000006", "Test Constabulary", false, "", CheckStatus::kRequested,
       kNow - 1h, kNow + 5h, std::nullopt, 1, false},
      {3, "CHK-000003", 6, "MASH-000006", "Test Constabulary", false, "", CheckStatus::kAnswered,
       kNow - 30h, kNow - 24h, kNow - 26h, 1, false}};
  const std::string s = agency_checks_page(chrome(), "Test Constabulary", lines, kNow).str();
  EXPECT_TRUE(contains(s, "Checks for Test Constabulary"));
  EXPECT_TRUE(contains(s, "1 check is overdue"));
  EXPECT_TRUE(contains(s, "Overdue by 2 hours"));
  EXPECT_TRUE(contains(s, "Answered or withdrawn lately"));
  const auto first = s.find("CHK-000001");
  const auto second = s.find("CHK-000002");
  const auto third = s.find("CHK-000003");
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_EQ(s.find("govuk-tag--red"), s.rfind("govuk-tag--red"));  // only the overdue one
}

TEST(PartnershipPage, FiguresAndPeriods) {
  PartnershipModel m;
  m.days = 90;
  m.from = kNow - 90 * 24h;
  m.to = kNow;
  domain::AgencyFigures f;
  f.requested = 4;
  f.answered = 3;
  f.answered_on_time = 2;
  f.overdue_now = 1;
  f.median = std::chrono::minutes{26 * 60 + 5};
  f.p90 = std::chrono::minutes{1};
  m.agencies = {{"Test " + kHostile, f}};
  m.agencies.push_back({"Quick Agency", domain::AgencyFigures{}});
  m.agencies.back().figures.median = std::chrono::minutes{0};
  m.contacts = {{42, "MASH-000042", std::chrono::minutes{90}, 0},
                {43, "MASH-000043", std::nullopt, 2}};
  // Eleven more all in, from 1 to 11 minutes: with the 90 minutes of
  // MASH-000042, only the ten slowest are listed.
  for (int i = 1; i <= 11; ++i) {
    m.contacts.push_back(
        {100 + i, "MASH-0001" + std::to_string(10 + i), std::chrono::minutes{i}, 0});
  }
  m.contacts_all_in = 12;
  m.all_in_median = std::chrono::minutes{6};
  m.all_in_p90 = std::chrono::minutes{11};
  m.consent_overridden = 3;
  const std::string s = partnership_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, "2 (67%)"));
  EXPECT_TRUE(contains(s, "26 hours 5 minutes"));
  EXPECT_TRUE(contains(s, ">1 minute<"));
  EXPECT_TRUE(contains(s, ">less than a minute<"));
  EXPECT_TRUE(contains(s, "1 hour 30 minutes"));
  EXPECT_TRUE(contains(s,
                       "13 contacts had checks asked in this period; 12 have every answer in. "
                       "From receipt to the last answer: median 6 minutes, 90th percentile 11 "
                       "minutes."));
  EXPECT_TRUE(contains(s, "Contacts still waiting for checks"));
  EXPECT_TRUE(contains(s, "MASH-000043"));
  EXPECT_TRUE(contains(s, "MASH-000042"));   // the slowest, 90 minutes
  EXPECT_TRUE(contains(s, "MASH-000113"));   // 3 minutes: the tenth slowest
  EXPECT_FALSE(contains(s, "MASH-000112"));  // 2 minutes: not among the ten
  EXPECT_LT(s.find("MASH-000042"), s.find("MASH-000121"));
  EXPECT_FALSE(contains(s, "href=\"/contacts/42\""));  // this reader may not open contacts
  EXPECT_TRUE(contains(s, "aria-current=\"page\" href=\"/partnership?days=90\""));
  EXPECT_TRUE(contains(s, "Mon 30 Nov 2026, 3pm"));
}

}  // namespace
}  // namespace frontdoor::web
