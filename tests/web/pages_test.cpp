#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "domain/threshold.hpp"
#include "web/pages.hpp"

namespace frontdoor::web {
namespace {

using namespace std::chrono_literals;
using domain::ContactStatus;

const std::string kHostile = "<script>alert(1)</script>";
const std::string kEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;";

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

std::size_t count(const std::string& s, std::string_view part) {
  std::size_t n = 0;
  for (auto pos = s.find(part); pos != std::string::npos; pos = s.find(part, pos + 1)) ++n;
  return n;
}

Chrome chrome() {
  Chrome c;
  c.council_name = "Exampleshire County Council";
  c.user = SignedInUser{"Priya Shah", "tok-123", "csrf_token", "/sign-out"};
  c.navigation = {NavItem{"/queue", "Queue", true, "", {}}};
  c.csrf_token = "page-token-9";
  return c;
}

// Every <form method="post"> on the page carries the CSRF token.
void expect_csrf_in_every_post_form(const std::string& s) {
  std::size_t forms = 0;
  for (auto pos = s.find("<form method=\"post\""); pos != std::string::npos;
       pos = s.find("<form method=\"post\"", pos + 1)) {
    const auto end = s.find("</form>", pos);
    ASSERT_NE(end, std::string::npos);
    const std::string form = s.substr(pos, end - pos);
    if (contains(form, "action=\"/sign-out\"")) continue;
    ++forms;
    EXPECT_TRUE(
        contains(form, "<input type=\"hidden\" name=\"csrf_token\" value=\"page-token-9\">"))
        << form.substr(0, 200);
  }
  EXPECT_GT(forms, 0u);
}

// The whole start tag that contains `part` (e.g. a button with its value).
std::string tag_containing(const std::string& s, std::string_view part) {
  const auto at = s.find(part);
  if (at == std::string::npos) return {};
  const auto open = s.rfind('<', at);
  const auto close = s.find('>', at);
  return s.substr(open, close - open + 1);
}

std::string title_of(const std::string& s) {
  const auto a = s.find("<title>");
  const auto b = s.find("</title>");
  return s.substr(a + 7, b - a - 7);
}

// --------------------------------------------------------------- time_remaining

TEST(TimeRemaining, FormatsDueAndOverdue) {
  const Instant now = utc(2026, 7, 1, 9, 0);
  EXPECT_EQ(time_remaining(now + 3h + 20min, now), "Due in 3 hours 20 minutes");
  EXPECT_EQ(time_remaining(now + 52h, now), "Due in 2 days 4 hours");
  EXPECT_EQ(time_remaining(now + 15min, now), "Due in 15 minutes");
  EXPECT_EQ(time_remaining(now - 1h - 5min, now), "Overdue by 1 hour 5 minutes");
  EXPECT_EQ(time_remaining(now, now), "Due now");
  EXPECT_EQ(time_remaining(now + 1h, now), "Due in 1 hour");
  EXPECT_EQ(time_remaining(now + 24h + 30min, now), "Due in 1 day");
  EXPECT_EQ(time_remaining(now + 1min, now), "Due in 1 minute");
  EXPECT_EQ(time_remaining(now + 30s, now), "Due in less than a minute");
  EXPECT_EQ(time_remaining(now - 3 * 24h, now), "Overdue by 3 days");
}

// ------------------------------------------------------------------- FormState

TEST(FormStateTest, ValuesAndMappedDomainErrors) {
  FormState f;
  f.values["concerns"] = "x";
  f.errors = {{"children[1].date_of_birth", "DOB wrong"}, {"concerns", "Say more"}};
  EXPECT_EQ(f.value("concerns"), "x");
  EXPECT_EQ(f.value("missing"), "");
  EXPECT_EQ(f.error("child2_dob"), "DOB wrong");
  EXPECT_EQ(f.error("concerns"), "Say more");
  EXPECT_FALSE(f.error("child1_dob").has_value());
  EXPECT_TRUE(f.has_errors());
}

// -------------------------------------------------------------- simple pages

TEST(SignInPage, FieldsAutocompleteAndErrors) {
  FormState f;
  f.values = {{"username", kHostile}, {"password", "secret-pass"}};
  f.errors = {{"username", "Enter your username"}};
  const std::string s = sign_in_page(chrome(), f, "/queue?x=1").str();
  EXPECT_EQ(title_of(s).rfind("Error: Sign in", 0), 0u);
  EXPECT_TRUE(contains(s, "href=\"#username\">Enter your username</a>"));
  EXPECT_TRUE(contains(s, "autocomplete=\"username\""));
  EXPECT_TRUE(contains(s, "autocomplete=\"current-password\""));
  EXPECT_TRUE(contains(s, "name=\"next\" value=\"/queue?x=1\""));
  EXPECT_TRUE(contains(s, kEscaped));
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_FALSE(contains(s, "secret-pass"));  // passwords are never re-shown
  expect_csrf_in_every_post_form(s);
}

TEST(SignInPage, NoErrorPrefixWithoutErrors) {
  const std::string s = sign_in_page(chrome(), {}, "/").str();
  EXPECT_EQ(title_of(s).rfind("Sign in - Frontdoor", 0), 0u);
  EXPECT_FALSE(contains(s, "govuk-error-summary"));
}

TEST(ErrorPage, TitleMessageAndHomeLink) {
  const std::string s = error_page(chrome(), 404, "Page not found", kHostile).str();
  EXPECT_EQ(count(s, "<h1"), 1u);
  EXPECT_TRUE(contains(s, "<h1 class=\"govuk-heading-l\">Page not found</h1>"));
  EXPECT_TRUE(contains(s, kEscaped));
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, "href=\"/\">Go to the home page</a>"));
}

TEST(HomePage, WelcomeAndLinks) {
  const std::string s = home_page(chrome(), "Priya", "MASH social worker",
                                  {HomeLink{"/queue", "MASH queue", "Contacts waiting"},
                                   HomeLink{"/people", kHostile, ""}})
                            .str();
  EXPECT_TRUE(contains(s, "Welcome, Priya</h1>"));
  EXPECT_TRUE(contains(s, "MASH social worker"));
  EXPECT_TRUE(contains(s, "href=\"/queue\">MASH queue</a>"));
  EXPECT_TRUE(contains(s, "Contacts waiting"));
  EXPECT_FALSE(contains(s, kHostile));
}

TEST(Chrome, SuccessBannerShown) {
  Chrome c = chrome();
  c.success_banner = "Decision signed off";
  const std::string s = home_page(c, "P", "R", {}).str();
  EXPECT_TRUE(contains(s, "govuk-notification-banner--success"));
  EXPECT_TRUE(contains(s, "Decision signed off"));
}

// ---------------------------------------------------------------------- queue

domain::QueueItem queue_item(std::int64_t id, Instant due, ContactStatus status) {
  domain::QueueItem q;
  q.id = id;
  q.reference = "C-" + std::to_string(id);
  q.status = status;
  q.received_at = utc(2026, 7, 1, 8, 0);
  q.decision_due_at = due;
  q.children = {kHostile};
  return q;
}

TEST(QueuePage, OverdueWarningCountsBreaches) {
  const Instant now = utc(2026, 7, 1, 14, 0);
  std::vector<domain::QueueItem> items = {
      queue_item(1, utc(2026, 7, 1, 10, 0), ContactStatus::kAwaitingScreening),
      queue_item(2, utc(2026, 7, 1, 13, 0), ContactStatus::kAwaitingDecision),
      queue_item(3, utc(2026, 7, 1, 12, 0), ContactStatus::kCompleted),  // done: no breach
      queue_item(4, utc(2026, 7, 1, 16, 0), ContactStatus::kAwaitingDecision)};
  items[1].rag = domain::RagRating::kRed;
  const std::string s = queue_page(chrome(), items, now).str();
  EXPECT_TRUE(contains(s, "2 contacts are past their decision deadline"));
  EXPECT_TRUE(contains(s, "govuk-warning-text"));
  EXPECT_EQ(count(s, ">\n  Overdue\n</strong>") + count(s, ">Overdue</strong>"), 2u);
  EXPECT_TRUE(contains(s, "Overdue by 4 hours"));
  EXPECT_TRUE(contains(s, "Due in 2 hours"));
  EXPECT_TRUE(contains(s, "href=\"/contacts/2\">C-2</a>"));
  EXPECT_TRUE(contains(s, "govuk-tag--red"));
  EXPECT_TRUE(contains(s, "href=\"/contacts/new\""));
  EXPECT_TRUE(contains(s, "Record a new contact"));
  EXPECT_TRUE(contains(s, "<caption"));
  EXPECT_TRUE(contains(s, kEscaped));
  EXPECT_FALSE(contains(s, kHostile));
}

TEST(QueuePage, LondonTimesAndNoWarningWhenNothingOverdue) {
  const Instant now = utc(2026, 7, 1, 9, 0);
  const std::string s =
      queue_page(chrome(),
                 {queue_item(1, utc(2026, 7, 1, 12, 0), ContactStatus::kAwaitingDecision)}, now)
          .str();
  EXPECT_TRUE(contains(s, "1pm"));  // 12:00 UTC is 1pm BST
  EXPECT_FALSE(contains(s, "12pm"));
  EXPECT_FALSE(contains(s, "past their decision deadline"));
  EXPECT_FALSE(contains(s, "past its decision deadline"));
}

TEST(QueuePage, SingleBreachIsSingular) {
  const Instant now = utc(2026, 7, 1, 14, 0);
  const std::string s =
      queue_page(chrome(),
                 {queue_item(1, utc(2026, 7, 1, 10, 0), ContactStatus::kAwaitingDecision)}, now)
          .str();
  EXPECT_TRUE(contains(s, "1 contact is past its decision deadline"));
}

// ---------------------------------------------------------------- new contact

TEST(NewContactPage, ErrorsLinkToFieldsAndValuesAreReshown) {
  FormState f;
  f.values = {
      {"child1_given_name", kHostile}, {"concerns", "Bruises seen"}, {"child2_dob-day", "31"}};
  f.errors = {{"children[0].given_name", "Enter the first name"},
              {"children[1].date_of_birth", "The date of birth must be in the past"},
              {"received_at", "The time must be in the past"},
              {"referrer_name", "Enter the referrer"}};
  const std::string s = new_contact_page(chrome(), f, {AgencyOption{7, "Police"}}).str();
  EXPECT_EQ(title_of(s).rfind("Error: Record a new contact", 0), 0u);
  EXPECT_TRUE(contains(s, "href=\"#child1_given_name\">Enter the first name</a>"));
  EXPECT_TRUE(contains(s, "href=\"#child2_dob-day\">The date of birth must be in the past</a>"));
  EXPECT_TRUE(contains(s, "href=\"#received-day\">"));
  EXPECT_TRUE(contains(s, "href=\"#referrer_name\">"));
  EXPECT_TRUE(contains(s, "id=\"child1_given_name\""));
  EXPECT_TRUE(contains(s, "id=\"child2_dob-day\""));
  EXPECT_TRUE(contains(s, "id=\"received-day\""));
  // The message is shown by the field too (summary + field = twice).
  EXPECT_EQ(count(s, "The date of birth must be in the past"), 2u);
  EXPECT_TRUE(contains(s, "value=\"" + kEscaped + "\""));
  EXPECT_TRUE(contains(s, "Bruises seen</textarea>"));
  EXPECT_TRUE(contains(s, "name=\"child2_dob-day\" type=\"text\" value=\"31\""));
  EXPECT_TRUE(contains(s, "<option value=\"7\">Police</option>"));
  EXPECT_FALSE(contains(s, kHostile));
  expect_csrf_in_every_post_form(s);
}

// The route that records a contact is POST /contacts; GET /contacts/new is
// the page, and a post to it is refused (405). Found by e2e/xss.mjs, which
// sends every form a browser can reach.
TEST(NewContactPage, PostsToTheRouteThatRecordsIt) {
  const std::string s = new_contact_page(chrome(), FormState{}, {AgencyOption{7, "Police"}}).str();
  EXPECT_TRUE(contains(s, "<form method=\"post\" action=\"/contacts\" novalidate>"));
  EXPECT_FALSE(contains(s, "action=\"/contacts/new\""));
}

// ------------------------------------------------------------------ contact page

domain::ThresholdFramework framework() {
  domain::ThresholdFramework fw;
  fw.id = "test";
  fw.name = "Test continuum";
  fw.levels = {{1, "Universal", "Needs met by universal services", {{"1.1", "Healthy"}}},
               {2, "Early help", "Some additional needs", {{"2.1", "Poor attendance"}}},
               {4, "Statutory", "Significant harm", {{"4.3", "Disclosure of abuse"}}}};
  return fw;
}

ContactPageModel contact_model(ContactStatus status) {
  ContactPageModel m;
  m.now = utc(2026, 7, 1, 9, 0);
  m.provisional_due = utc(2026, 7, 1, 12, 0);
  m.framework = framework();
  auto& c = m.contact;
  c.id = 42;
  c.reference = "MASH-2026-000042";
  c.version = 5;
  c.status = status;
  c.details.received_at = utc(2026, 7, 1, 7, 30);
  c.details.referrer.name = "Sam Teacher";
  c.details.referrer.agency_name = "Oak School";
  c.details.source_code = "3A";
  c.details.concerns = "Line one\nline two\n\n" + kHostile;
  domain::ChildOnContact child;
  child.given_name = kHostile;
  child.family_name = "Jones";
  child.date_of_birth = std::chrono::sys_days{std::chrono::year{2019} / 9 / 5};
  c.details.children.push_back(child);
  return m;
}

TEST(ContactPage, EscapesAndShowsReferral) {
  auto m = contact_model(ContactStatus::kAwaitingScreening);
  m.can_screen = true;
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, kEscaped + " Jones"));
  EXPECT_EQ(count(s, "<h1"), 1u);
  for (const char* h : {">Referral</h2>", ">Children</h2>", ">Screening</h2>", ">Decision</h2>",
                        ">Manager sign-off</h2>"}) {
    EXPECT_TRUE(contains(s, h)) << h;
  }
  EXPECT_TRUE(contains(s, "moj-identity-bar"));
  EXPECT_TRUE(contains(s, "MASH-2026-000042"));
  EXPECT_TRUE(contains(s, "Wed 1 Jul 2026, 8:30am"));  // received 07:30 UTC in BST
  EXPECT_TRUE(contains(s, "Line one<br>line two"));
  EXPECT_TRUE(contains(s, "5 September 2019"));
  // Before screening the deadline is provisional.
  EXPECT_TRUE(contains(s, "Decision due by Wed 1 Jul 2026, 1pm (Due in 3 hours)"));
  EXPECT_TRUE(contains(s, "This deadline is provisional until the contact is screened."));
  EXPECT_FALSE(contains(s, ">History</h2>"));  // not known yet
}

TEST(ContactPage, ScreenFormOnlyWhenAllowedAndAwaitingScreening) {
  auto m = contact_model(ContactStatus::kAwaitingScreening);
  m.can_screen = true;
  std::string s = contact_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "action=\"/contacts/42/screen\""));
  EXPECT_TRUE(contains(s, "name=\"version\" value=\"5\""));
  EXPECT_TRUE(contains(s, "name=\"rag\""));
  expect_csrf_in_every_post_form(s);

  m.can_screen = false;
  s = contact_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/screen\""));
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/link\""));
}

TEST(ContactPage, LinkFormListsCandidatesWithReasons) {
  auto m = contact_model(ContactStatus::kAwaitingScreening);
  m.can_screen = true;
  domain::PersonSummary p;
  p.id = 901;
  p.name = "Tia Jones";
  p.postcode = "AB1 2CD";
  p.reasons = {"same date of birth", "similar name"};
  p.match_probability = 0.993;
  p.match_band = "review";
  p.explanation = {"date of birth matches exactly (+14.7)", "given name <sounds> the same (+3.1)"};
  m.candidates = {ChildCandidates{0, {p}}};
  m.form.errors = {{"children[0]", "Link Tia to a person record, or create a new one"}};
  m.active_form = "screen";
  const std::string s = contact_page(chrome(), m).str();
  // The model's view: probability, band and each part's weight, escaped.
  EXPECT_TRUE(contains(s, "Match probability 99.3% (possible)"));
  EXPECT_TRUE(contains(s, "<li>date of birth matches exactly (+14.7)</li>"));
  EXPECT_TRUE(contains(s, "given name &lt;sounds&gt; the same (+3.1)"));
  EXPECT_TRUE(contains(s, "action=\"/contacts/42/link\""));
  EXPECT_TRUE(contains(s, "name=\"child_index\" value=\"0\""));
  EXPECT_TRUE(contains(s, "name=\"person_id\" type=\"radio\" value=\"901\""));
  EXPECT_TRUE(contains(s, "Matches: same date of birth, similar name"));
  EXPECT_TRUE(contains(s, "value=\"new\""));
  EXPECT_TRUE(contains(s, "Create a new person record"));
  EXPECT_TRUE(contains(s, "href=\"#child1_link\""));
  EXPECT_TRUE(contains(s, "id=\"child1_link\""));
  EXPECT_EQ(title_of(s).rfind("Error: ", 0), 0u);
  expect_csrf_in_every_post_form(s);
}

TEST(ContactPage, LinkedChildLinksToPerson) {
  auto m = contact_model(ContactStatus::kAwaitingDecision);
  m.can_screen = true;
  m.contact.details.children[0].person_id = 77;
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "href=\"/people/77\""));
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/link\""));
}

TEST(ContactPage, DecisionFormWithLevelsAndIndicators) {
  auto m = contact_model(ContactStatus::kAwaitingDecision);
  m.can_decide = true;
  m.contact.screening =
      domain::Screening{domain::RagRating::kAmber, "Bruising",   utc(2026, 7, 1, 8, 0),
                        {true, 3, false},          "Ann Worker", utc(2026, 7, 1, 7, 45)};
  m.active_form = "decision";
  m.form.values = {{"indicators", "4.3"}, {"rationale", "Because"}};
  m.form.errors = {{"outcome", "Select the outcome of the contact"},
                   {"indicators", "Select the indicators of need"}};
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "action=\"/contacts/42/decision\""));
  EXPECT_TRUE(contains(s, "value=\"referral_to_social_care\""));
  EXPECT_TRUE(contains(s, "Referral to children&#39;s social care for assessment"));
  EXPECT_TRUE(contains(s, "Level 4: Statutory"));
  EXPECT_TRUE(contains(s, "Significant harm"));
  EXPECT_TRUE(contains(s, "name=\"indicators\" type=\"checkbox\" value=\"4.3\" checked"));
  EXPECT_TRUE(contains(s, "name=\"indicators\" type=\"checkbox\" value=\"2.1\">"));
  EXPECT_TRUE(contains(s, "Because</textarea>"));
  EXPECT_TRUE(contains(s, "href=\"#outcome\">Select the outcome of the contact</a>"));
  EXPECT_TRUE(contains(s, "id=\"outcome\""));
  // The indicators error belongs to the whole question, linked to the first box.
  EXPECT_TRUE(contains(s, "href=\"#indicators\">Select the indicators of need</a>"));
  EXPECT_TRUE(contains(s, "id=\"indicators\" name=\"indicators\""));
  EXPECT_TRUE(contains(s, "aria-describedby=\"indicators-hint indicators-error\""));
  EXPECT_EQ(count(s, "Select the indicators of need"), 2u);
  // Screened: the real deadline (8:00 UTC = 9am London) which has passed.
  EXPECT_TRUE(contains(s, "Decision due by Wed 1 Jul 2026, 9am"));
  EXPECT_FALSE(contains(s, "provisional"));
  EXPECT_TRUE(contains(s, "Overdue by 1 hour"));
  EXPECT_TRUE(contains(s, ">History</h2>"));
  EXPECT_TRUE(contains(s, "Previous contacts"));
  EXPECT_TRUE(contains(s, "govuk-tag--orange"));
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/screen\""));
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/sign-off\""));
  expect_csrf_in_every_post_form(s);
}

TEST(ContactPage, SignOffFormsOnlyForManagerAwaitingSignOff) {
  auto m = contact_model(ContactStatus::kAwaitingSignOff);
  m.contact.details.children[0].person_id = 77;
  m.contact.screening = domain::Screening{
      domain::RagRating::kRed, "r", utc(2026, 7, 1, 11, 0), {}, "A", utc(2026, 7, 1, 7, 45)};
  domain::Decision d;
  d.outcome = domain::Outcome::kEarlyHelp;
  d.level = 2;
  d.indicators = {"2.1"};
  d.rationale = "Attendance";
  d.next_steps = "Refer to early help hub";
  d.proposed_by = "Ann Worker";
  d.proposed_at = utc(2026, 7, 1, 8, 15);
  m.contact.decision = d;
  m.contact.send_backs = {
      domain::SendBack{"Cite more " + kHostile, "Mo Manager", utc(2026, 7, 1, 8, 5)}};
  m.can_decide = true;  // a worker who can decide still gets no decision form now
  m.can_sign_off = true;
  std::string s = contact_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "action=\"/contacts/42/sign-off\""));
  EXPECT_TRUE(contains(s, "action=\"/contacts/42/send-back\""));
  EXPECT_TRUE(contains(s, "name=\"case_direction\""));
  EXPECT_TRUE(contains(s, "name=\"reason\""));
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/decision\""));
  EXPECT_TRUE(contains(s, "Early help"));
  EXPECT_TRUE(contains(s, "2.1 Poor attendance"));  // indicator text from the framework
  EXPECT_TRUE(contains(s, "Refer to early help hub"));
  EXPECT_TRUE(contains(s, "Sent back by Mo Manager"));
  EXPECT_TRUE(contains(s, "Cite more " + kEscaped));
  EXPECT_FALSE(contains(s, kHostile));
  expect_csrf_in_every_post_form(s);

  m.can_sign_off = false;
  s = contact_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/sign-off\""));
  EXPECT_FALSE(contains(s, "action=\"/contacts/42/send-back\""));
}

TEST(ContactPage, SendBackErrorGoesToTheSendBackForm) {
  auto m = contact_model(ContactStatus::kAwaitingSignOff);
  m.can_sign_off = true;
  m.active_form = "send_back";
  m.form.errors = {{"reason", "Enter why you are sending the decision back"}};
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "href=\"#reason\""));
  EXPECT_TRUE(contains(s, "govuk-form-group--error"));
  EXPECT_EQ(count(s, "Enter why you are sending the decision back"), 2u);
}

TEST(ContactPage, CompletedShowsSignOffAndNoForms) {
  auto m = contact_model(ContactStatus::kCompleted);
  m.contact.sign_off =
      domain::SignOff{"Allocate for assessment", "Mo Manager", 3, utc(2026, 1, 10, 15, 0)};
  m.contact.closed_at = utc(2026, 1, 10, 15, 0);
  m.can_screen = m.can_decide = m.can_sign_off = true;
  const std::string s = contact_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "Allocate for assessment"));
  EXPECT_TRUE(contains(s, "Sat 10 Jan 2026, 3pm"));  // GMT in winter
  EXPECT_FALSE(contains(s, "<form method=\"post\" action=\"/contacts/"));
  EXPECT_FALSE(contains(s, "Decision due by"));
}

// --------------------------------------------------------------------- people

TEST(PeopleSearchPage, FormAndResults) {
  domain::PersonSummary p;
  p.id = 5;
  p.name = kHostile;
  p.postcode = "ZZ9 9ZZ";
  p.date_of_birth = std::chrono::sys_days{std::chrono::year{2018} / 2 / 3};
  p.reasons = {"name", "postcode"};
  const std::string s = people_search_page(chrome(), "Jo \"x\"", {p}, true).str();
  EXPECT_TRUE(contains(s, "<form method=\"get\" action=\"/people\""));
  EXPECT_TRUE(contains(s, "Search by name, date of birth, postcode or identifier"));
  EXPECT_TRUE(contains(s, "value=\"Jo &quot;x&quot;\""));
  EXPECT_TRUE(contains(s, "href=\"/people/5\">" + kEscaped + "</a>"));
  EXPECT_TRUE(contains(s, "3 February 2018"));
  EXPECT_TRUE(contains(s, "name, postcode"));
  EXPECT_TRUE(contains(s, "1 person found"));
  EXPECT_FALSE(contains(s, kHostile));

  const std::string none = people_search_page(chrome(), "nobody", {}, true).str();
  EXPECT_TRUE(contains(none, "No people match"));
  const std::string fresh = people_search_page(chrome(), "", {}, false).str();
  EXPECT_FALSE(contains(fresh, "No people match"));
}

PersonPageModel person_model() {
  PersonPageModel m;
  m.now = utc(2026, 7, 1, 9, 0);
  m.person.id = 12;
  m.person.details.given_name = kHostile;
  m.person.details.family_name = "Jones";
  m.person.details.date_of_birth = std::chrono::sys_days{std::chrono::year{2019} / 9 / 5};
  m.person.details.identifiers.nhs_number = "9434765919";
  m.person.details.identifiers.upn = "A123456789012";
  m.person.details.address =
      domain::PersonAddress{"1 High St", "AB1 2CD", std::nullopt, std::nullopt};
  m.person.previous_addresses = {
      domain::PersonAddress{"2 Old Rd", "XY1 1XY", std::nullopt, std::nullopt}};
  domain::HouseholdMember mum;
  mum.person.id = 13;
  mum.person.name = "Kim Jones";
  mum.relationship = "Parent";
  m.household = {mum};
  domain::ChronologyEntry older;
  older.occurred_at = utc(2026, 6, 1, 10, 0);
  older.summary = "Contact received";
  older.actor = "Ann Worker";
  older.actor_role = "MASH social worker";
  domain::ChronologyEntry newer;
  newer.occurred_at = utc(2026, 6, 20, 16, 30);
  newer.summary = "Details corrected";
  newer.actor = "Bo Admin";
  newer.actor_role = "System administrator";
  newer.reason = "Typo in surname";
  m.chronology = {older, newer};
  return m;
}

TEST(PersonPage, DetailsIdentifiersAndChronologyNewestFirst) {
  auto m = person_model();
  const std::string s = person_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, kEscaped + " Jones</h1>"));
  EXPECT_TRUE(contains(s, "943 476 5919"));
  EXPECT_TRUE(contains(s, "A123456789012"));
  EXPECT_TRUE(contains(s, "5 September 2019 (6 years old)"));
  EXPECT_TRUE(contains(s, "1 High St, AB1 2CD"));
  EXPECT_TRUE(contains(s, "2 Old Rd, XY1 1XY"));
  EXPECT_TRUE(contains(s, "href=\"/people/13\">Kim Jones</a>"));
  EXPECT_TRUE(contains(s, "moj-timeline"));
  const auto newer = s.find("Details corrected");
  const auto older = s.find("Contact received");
  ASSERT_NE(newer, std::string::npos);
  ASSERT_NE(older, std::string::npos);
  EXPECT_LT(newer, older);
  EXPECT_TRUE(contains(s, "Bo Admin, System administrator"));
  EXPECT_TRUE(contains(s, "Sat 20 Jun 2026, 5:30pm"));  // 16:30 UTC in BST
  EXPECT_TRUE(contains(s, "Reason: Typo in surname"));
  EXPECT_FALSE(contains(s, "/people/12/viewers"));
  m.can_view_audit = true;
  EXPECT_TRUE(contains(person_page(chrome(), m).str(), "href=\"/people/12/viewers\""));
}

TEST(PersonPage, AMergedRecordSaysWhereItWentAndCanBeUnmergedByAManager) {
  auto m = person_model();
  m.person.merged_into = 40;
  m.chronology[0].stream = "person/12";
  EXPECT_TRUE(
      contains(person_page(chrome(), m).str(), "href=\"/people/40\">Go to person record P40"));
  EXPECT_FALSE(contains(person_page(chrome(), m).str(), "/people/12/unmerge"));
  m.can_merge = true;
  m.form.errors = {{"reason", "Enter why these records are not the same person"}};
  const std::string s = person_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "action=\"/people/12/unmerge\""));
  EXPECT_TRUE(contains(s, "Enter why these records are not the same person"));
  EXPECT_EQ(title_of(s).rfind("Error: ", 0), 0u);
  EXPECT_FALSE(contains(s, "/people/12/merge\""));  // merged already: no second merge
  expect_csrf_in_every_post_form(s);
}

TEST(PersonPage, TheKeptRecordListsWhatWasMergedIntoItAndMarksTheirEvents) {
  auto m = person_model();
  m.person.merged_from = {7, 9};
  m.chronology[0].stream = "person/7";  // an event of a merged record
  m.can_merge = true;
  const std::string s = person_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "href=\"/people/7\">person record P7</a>"));
  EXPECT_TRUE(contains(s, "href=\"/people/9\">person record P9</a>"));
  EXPECT_TRUE(contains(s, "Contact received (merged record P7)"));
  EXPECT_TRUE(contains(s, "href=\"/people/12/merge\""));
}

TEST(PersonSuggestions, BestFirstWithProbabilityAndEscapedExplanation) {
  EXPECT_EQ(person_suggestions_fragment({}, false).str(), "");
  EXPECT_TRUE(contains(person_suggestions_fragment({}, true).str(), "No one already known"));
  domain::PersonSummary a;
  a.id = 5;
  a.name = kHostile;
  a.date_of_birth = std::chrono::sys_days{std::chrono::year{2016} / 2 / 3};
  a.postcode = "DB2 3LP";
  a.match_probability = 0.9996;
  a.match_band = "link";
  a.explanation = {"given name is a known nickname or short form of the other (+3.4)"};
  domain::PersonSummary b = a;
  b.id = 6;
  b.name = "Alex Whitby";
  b.match_probability = 0.2;
  b.match_band = "no match";
  const std::string s = person_suggestions_fragment({a, b}, true).str();
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, kEscaped));
  EXPECT_LT(s.find("href=\"/people/5\""), s.find("href=\"/people/6\""));
  EXPECT_TRUE(contains(s, "born 3 February 2016, DB2 3LP"));
  EXPECT_TRUE(contains(s, "over 99.9% \u00b7 very likely"));
  EXPECT_TRUE(contains(s, "20.0% \u00b7 unlikely"));
  EXPECT_TRUE(
      contains(s, "<li>given name is a known nickname or short form of the other (+3.4)</li>"));
}

TEST(DuplicatesPage, PairsWithTheirExplanationAndACompareLink) {
  domain::DuplicatePair pair;
  pair.first.id = 3;
  pair.first.name = "Jessica Harlow";
  pair.second.id = 8;
  pair.second.name = kHostile;
  pair.probability = 0.97;
  pair.band = "review";
  pair.explanation = {"date of birth matches exactly (+14.7)"};
  domain::MatchingModelStatus model;
  const std::string s = duplicates_page(chrome(), {pair}, model).str();
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, "href=\"/people/3/merge?with=8\""));
  EXPECT_TRUE(contains(s, "97.0% \u00b7 possible"));
  EXPECT_TRUE(contains(s, "date of birth matches exactly (+14.7)"));
  EXPECT_TRUE(contains(s, "the reference model"));
  model.trained = true;
  model.people = 1234;
  model.index_people = 2000;
  model.index_bytes = 2'500'000;
  model.index_loaded_in = std::chrono::milliseconds{42};
  EXPECT_TRUE(contains(duplicates_page(chrome(), {}, model).str(),
                       "2000 people in 2 MB (about 1250 bytes a person); it was loaded from the "
                       "store in 42 ms at start-up."));
  EXPECT_TRUE(contains(duplicates_page(chrome(), {}, model).str(), "trained on 1234 people"));
  EXPECT_TRUE(contains(duplicates_page(chrome(), {}, model).str(), "No likely duplicates"));
}

TEST(MergePage, TheTwoRecordsSideBySideAndTheMergeForm) {
  MergePageModel m;
  m.person = person_model().person;
  const std::string ask = merge_page(chrome(), m).str();
  EXPECT_TRUE(contains(ask, "action=\"/people/12/merge\""));
  EXPECT_TRUE(contains(ask, "method=\"get\""));
  EXPECT_TRUE(contains(ask, "name=\"with\""));
  domain::PersonState other;
  other.id = 40;
  other.version = 1;
  other.details.given_name = "Kimberley";
  other.details.family_name = "Jones";
  m.other = other;
  domain::DuplicatePair c;
  c.probability = 0.999;
  c.explanation = {"family name matches exactly (+8.1)"};
  m.comparison = c;
  const std::string s = merge_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "Kimberley Jones"));
  EXPECT_TRUE(contains(s, "Match probability 99.9%"));
  EXPECT_TRUE(contains(s, "name=\"keep\" type=\"radio\" value=\"12\""));
  EXPECT_TRUE(contains(s, "name=\"keep\" type=\"radio\" value=\"40\""));
  EXPECT_TRUE(contains(s, "name=\"with\" value=\"40\""));
  expect_csrf_in_every_post_form(s);
}

TEST(PersonPage, EventsOfOneInstantAreShownNewestFirstToo) {
  // A sign-off closes the contact in the same command: on a newest-first page
  // the closing comes above the sign-off, as every later thing comes above an
  // earlier one.
  auto m = person_model();
  domain::ChronologyEntry signed_off;
  signed_off.occurred_at = utc(2026, 6, 25, 10, 35);
  signed_off.summary = "Decision signed off";
  domain::ChronologyEntry closed = signed_off;
  closed.summary = "Contact closed";
  m.chronology.push_back(signed_off);
  m.chronology.push_back(closed);
  const std::string s = person_page(chrome(), m).str();
  const auto closed_at = s.find("Contact closed");
  const auto signed_off_at = s.find("Decision signed off");
  const auto corrected_at = s.find("Details corrected");
  ASSERT_NE(closed_at, std::string::npos);
  ASSERT_NE(signed_off_at, std::string::npos);
  EXPECT_LT(closed_at, signed_off_at);
  EXPECT_LT(signed_off_at, corrected_at);
}

TEST(ViewersPage, TableWithOutcomeTags) {
  auto m = person_model();
  domain::AccessRecord allowed{
      utc(2026, 7, 1, 12, 0), "Ann Worker", "MASH social worker", "Council",
      "Viewed record",        false,        "Open contact"};
  domain::AccessRecord refused{
      utc(2026, 7, 1, 13, 0), kHostile, "Partner referrer",          "Police",
      "Viewed record",        true,     "No legitimate relationship"};
  const std::string s = viewers_page(chrome(), m.person, {allowed, refused}).str();
  for (const char* h :
       {">When<", ">Who<", ">Role<", ">Agency<", ">What<", ">Outcome<", ">Basis<"}) {
    EXPECT_TRUE(contains(s, h)) << h;
  }
  EXPECT_TRUE(contains(s, "Wed 1 Jul 2026, 1pm"));
  EXPECT_TRUE(contains(s, "govuk-tag--red"));
  EXPECT_TRUE(contains(s, "Refused"));
  EXPECT_TRUE(contains(s, "govuk-tag--green"));
  EXPECT_TRUE(contains(s, "Allowed"));
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_EQ(count(s, "<h1"), 1u);
}

// ------------------------------------------------------------------ referrals

TEST(MyReferralsPage, DraftsWaitingAndSent) {
  domain::ReferralForm draft;
  draft.id = 3;
  draft.status = domain::FormStatus::kDraft;
  draft.answers = {{"child1_given_name", kHostile}};
  draft.returned_reasons = {"Add the school"};
  domain::ReferralForm waiting;
  waiting.id = 4;
  waiting.status = domain::FormStatus::kAwaitingApproval;
  waiting.answers = {{"children", {{{"given_name", "Ada"}, {"family_name", "Lovel"}}}}};
  auto done = queue_item(9, utc(2026, 7, 2), ContactStatus::kCompleted);
  done.outcome = domain::Outcome::kEarlyHelp;
  auto open = queue_item(10, utc(2026, 7, 2), ContactStatus::kAwaitingDecision);
  const std::string s = my_referrals_page(chrome(), {draft, waiting}, {done, open}).str();
  EXPECT_TRUE(contains(s, "action=\"/referrals/new\""));
  EXPECT_TRUE(contains(s, "Make a new referral"));
  EXPECT_TRUE(contains(s, "govuk-button--start"));
  EXPECT_TRUE(contains(s, "href=\"/referrals/3\""));
  EXPECT_TRUE(contains(s, "Add the school"));
  EXPECT_TRUE(contains(s, "About Ada Lovel"));
  EXPECT_TRUE(contains(s, "Early help"));
  EXPECT_TRUE(contains(s, "With the MASH"));
  EXPECT_FALSE(contains(s, "href=\"/contacts/"));  // partners do not see the contact page
  EXPECT_FALSE(contains(s, kHostile));
  expect_csrf_in_every_post_form(s);
}

ReferralFormModel referral_model() {
  ReferralFormModel m;
  m.form.id = 8;
  m.form.version = 2;
  m.form.answers = {{"concerns", "Saved concern"}, {"child1_given_name", "Saved name"}};
  m.child_slots = 2;
  m.adult_slots = 1;
  m.framework = framework();
  return m;
}

TEST(ReferralFormPage, ButtonsSlotsGuidanceAndSavedAnswers) {
  auto m = referral_model();
  m.requires_approval = true;
  m.saved = true;
  const std::string s = referral_form_page(chrome(), m).str();
  EXPECT_TRUE(contains(s, "action=\"/referrals/8\""));
  EXPECT_TRUE(contains(tag_containing(s, "value=\"save\""), "name=\"action\""));
  EXPECT_TRUE(contains(tag_containing(s, "value=\"submit\""), "name=\"action\""));
  EXPECT_TRUE(contains(tag_containing(s, "value=\"add_child\""), "name=\"action\""));
  EXPECT_TRUE(contains(tag_containing(s, "value=\"add_adult\""), "name=\"action\""));
  EXPECT_TRUE(contains(s, "name=\"child2_given_name\""));
  EXPECT_FALSE(contains(s, "name=\"child3_given_name\""));
  EXPECT_TRUE(contains(s, "name=\"adult1_relationship\""));
  EXPECT_FALSE(contains(s, "name=\"adult2_given_name\""));
  EXPECT_TRUE(contains(s, "name=\"child1_unborn\" type=\"checkbox\" value=\"yes\""));
  EXPECT_TRUE(contains(s, "id=\"child1_edd-day\""));
  EXPECT_TRUE(contains(s, "What level of need is this?"));
  EXPECT_TRUE(contains(s, "Level 4: Statutory"));
  EXPECT_TRUE(contains(s, "Disclosure of abuse"));
  EXPECT_TRUE(contains(
      s, "Your agency asks a supervisor to approve referrals before they reach the MASH."));
  EXPECT_TRUE(contains(s, "Draft saved"));
  EXPECT_TRUE(contains(s, "Saved concern</textarea>"));
  EXPECT_TRUE(contains(s, "value=\"Saved name\""));
  expect_csrf_in_every_post_form(s);

  m.requires_approval = false;
  EXPECT_FALSE(contains(referral_form_page(chrome(), m).str(), "approve referrals"));
}

TEST(ReferralFormPage, CarriesTheNumberOfChildAndAdultSectionsWhenPosted) {
  // Without them, a child added with "Add another child" is dropped on the next post.
  auto m = referral_model();
  m.child_slots = 3;
  m.adult_slots = 2;
  const std::string s = referral_form_page(chrome(), m).str();
  const std::string children = tag_containing(s, "name=\"child_slots\"");
  EXPECT_TRUE(contains(children, "type=\"hidden\""));
  EXPECT_TRUE(contains(children, "value=\"3\""));
  const std::string adults = tag_containing(s, "name=\"adult_slots\"");
  EXPECT_TRUE(contains(adults, "type=\"hidden\""));
  EXPECT_TRUE(contains(adults, "value=\"2\""));
}

TEST(ReferralFormPage, ErrorsMapToChildFieldsAndTypedValuesWin) {
  auto m = referral_model();
  m.state.values = {{"concerns", kHostile}, {"child1_unborn", "yes"}};
  m.state.errors = {{"children[0].expected_date_of_birth", "Enter the expected date of birth"},
                    {"children[1].given_name", "Enter the first name or last name of child 2"},
                    {"concerns", "Describe what you are worried about"}};
  const std::string s = referral_form_page(chrome(), m).str();
  EXPECT_EQ(title_of(s).rfind("Error: ", 0), 0u);
  EXPECT_TRUE(contains(s, "href=\"#child1_edd-day\">Enter the expected date of birth</a>"));
  EXPECT_TRUE(contains(s, "href=\"#child2_given_name\">"));
  EXPECT_TRUE(contains(s, "href=\"#concerns\">"));
  EXPECT_EQ(count(s, "Enter the first name or last name of child 2"), 2u);
  EXPECT_TRUE(contains(s, kEscaped + "</textarea>"));
  EXPECT_FALSE(contains(s, "Saved concern"));
  EXPECT_TRUE(contains(s, "value=\"yes\" checked"));
  EXPECT_FALSE(contains(s, kHostile));
}

TEST(ReferralFormPage, PostedFormIsNotRefilledFromSavedAnswers) {
  auto m = referral_model();
  m.form.answers["child1_unborn"] = "yes";
  EXPECT_TRUE(contains(referral_form_page(chrome(), m).str(), "value=\"yes\" checked"));
  m.state.values = {{"child1_given_name", "Typed"}};  // posted with the box unticked
  const std::string s = referral_form_page(chrome(), m).str();
  EXPECT_FALSE(contains(s, "value=\"yes\" checked"));
  EXPECT_FALSE(contains(s, "Saved concern"));
  EXPECT_TRUE(contains(s, "value=\"Typed\""));
}

TEST(ApprovalsPage, ApproveAndReturnFormsPerReferral) {
  domain::ReferralForm a;
  a.id = 21;
  a.answers = {{"child1_given_name", "Ada"}, {"concerns", kHostile}};
  domain::ReferralForm b;
  b.id = 22;
  b.answers = {{"child1_given_name", "Ben"}};
  const std::string s = approvals_page(chrome(), {a, b}).str();
  EXPECT_TRUE(contains(s, "action=\"/referrals/21/approve\""));
  EXPECT_TRUE(contains(s, "action=\"/referrals/21/return\""));
  EXPECT_TRUE(contains(s, "action=\"/referrals/22/approve\""));
  EXPECT_TRUE(contains(s, "action=\"/referrals/22/return\""));
  EXPECT_TRUE(contains(s, "id=\"reason-21\""));
  EXPECT_TRUE(contains(s, "id=\"reason-22\""));
  EXPECT_TRUE(contains(s, "Referral about Ada"));
  // Each button says which referral it acts on, for screen reader users.
  EXPECT_TRUE(contains(s, "<span class=\"govuk-visually-hidden\"> (referral about Ben)</span>"));
  EXPECT_FALSE(contains(s, kHostile));
  EXPECT_TRUE(contains(s, kEscaped));
  expect_csrf_in_every_post_form(s);
  EXPECT_TRUE(contains(approvals_page(chrome(), {}).str(), "There are no referrals waiting"));
}

// --------------------------------------------------------------------- admin

TEST(ThresholdsPage, CardsVersionsAndPrefilledDefinition) {
  const auto fw = framework();
  const std::vector<FrameworkVersionRow> versions = {
      {1, "Test continuum", utc(2026, 7, 1, 12, 0), true}};
  const std::string s = thresholds_page(chrome(), fw, versions, {}).str();
  EXPECT_TRUE(contains(s, "govuk-summary-card"));
  EXPECT_TRUE(contains(s, "Level 2: Early help"));
  EXPECT_TRUE(contains(s, "4.3"));
  EXPECT_TRUE(contains(s, "Disclosure of abuse"));
  EXPECT_TRUE(contains(s, "Wed 1 Jul 2026, 1pm"));
  EXPECT_TRUE(contains(s, "action=\"/admin/thresholds\""));
  EXPECT_TRUE(contains(s, "Publish new version"));
  EXPECT_TRUE(contains(s, "name=\"definition\""));
  EXPECT_TRUE(contains(s, "&quot;levels&quot;"));  // the active framework as JSON, escaped
  expect_csrf_in_every_post_form(s);
}

TEST(ThresholdsPage, ValidationErrorsLandOnDefinition) {
  FormState f;
  f.values = {{"definition", "{\"bad\": </textarea>}"}, {"reason", "r"}};
  f.errors = {{"levels[0].indicators[0].code", "Enter a code"}, {"reason", "Too short"}};
  const std::string s = thresholds_page(chrome(), framework(), {}, f).str();
  EXPECT_EQ(title_of(s).rfind("Error: ", 0), 0u);
  EXPECT_TRUE(contains(s, "href=\"#definition\">levels[0].indicators[0].code: Enter a code</a>"));
  EXPECT_TRUE(contains(s, "href=\"#reason\">Too short</a>"));
  EXPECT_TRUE(contains(s, "&lt;/textarea&gt;"));
  EXPECT_FALSE(contains(s, "&quot;levels&quot;"));  // typed value, not the active one
}

}  // namespace
}  // namespace frontdoor::web
