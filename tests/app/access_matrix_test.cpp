// The access-control matrix (issue #5, battery 3): every route the gate knows
// (Gate::routes(), so a new route without a row below fails) × every role
// (and nobody signed in) × every relationship the user can have to the record
// the route is about. The expected outcome of each cell is written out below
// as data, not derived from the code under test. For each cell the test
// checks the status; that a refused record answers exactly as a record that
// does not exist (status and body); that an allowed read of a child's record
// writes exactly one audit entry and a refusal exactly one refusal entry; and
// that nobody signed in is sent to sign in (pages) or gets 401 (API).
// Every request is real HTTP to one server, with the users' own sessions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>

#include "access_matrix_support.hpp"
#include "app_test_fixture.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::testing {
namespace {

using matrix::Kind;
using matrix::Relation;
using matrix::Row;

// The principals, in the order of the letters in the table: nobody, then one
// user of each of the eight roles (domain::Role).
const std::vector<std::string> kPrincipals = {"anonymous", "worker", "edt",     "manager", "admin",
                                              "analyst",   "police", "teacher", "nurse",   "head"};

// Outcome letters, one per principal in the order above:
//   A  allowed: the handler ran past every access check (2xx, 3xx, or a 400/409
//      about the input or the record's state); a GET about a record shows it
//   H  allowed, and the record is left out (lists and searches)
//   F  403: the role may not do this
//   N  404: this record is not there for this user (exactly as if it did not exist)
//   S  nobody signed in, a page: 303 to /sign-in?next=...
//   U  nobody signed in, the API: 401
//   P  public: served to anyone
//   -  the principal has no record in this relationship (no cell)
//
// Outcomes shared by several rows (page forms; matrix::api gives the API's).
const matrix::Expectations kScreeners = {{Relation::kSubmitted, "- A A A - - F F F F"},
                                         {Relation::kColleague, "- A A A F F F F - F"},
                                         {Relation::kUnrelated, "S A A A F F F F F F"}};
const matrix::Expectations kManagers = {{Relation::kSubmitted, "- F F A - - F F F F"},
                                        {Relation::kColleague, "- F F A F F F F - F"},
                                        {Relation::kUnrelated, "S F F A F F F F F F"}};
// A restricted record is there for MASH team managers only.
const matrix::Expectations kPersonReaders = {{Relation::kSubmitted, "- A - - - - F - - -"},
                                             {Relation::kUnrelated, "S A A A F F F F F F"},
                                             {Relation::kRestricted, "S N N A F F F F F F"}};
const matrix::Expectations kPersonEditors = kPersonReaders;
// A supervisor approves (or returns) their own agency's referrals only.
const matrix::Expectations kSupervisors = {{Relation::kSubmitted, "- - - - - - F F F A"},
                                           {Relation::kColleague, "- - - - - - F F - A"},
                                           {Relation::kUnrelated, "S F F F F F F F F N"}};

const matrix::Expectations kMergers = {{Relation::kSubmitted, "- F - - - - F - - -"},
                                       {Relation::kUnrelated, "S F F A F F F F F F"},
                                       {Relation::kRestricted, "S F F A F F F F F F"}};

// Checks (the MASH enquiry, issue #3): a partner practitioner or supervisor
// reads and answers their own agency's checks, and nobody else's; a
// referrer is never asked. The MASH sees every check and answers none.
const matrix::Expectations kCheckReaders = {{Relation::kAskedAbout, "- - - - - - F F A A"},
                                            {Relation::kUnrelated, "S A A A F F F F N N"}};
const matrix::Expectations kCheckAnswerers = {{Relation::kAskedAbout, "- - - - - - F F A A"},
                                              {Relation::kUnrelated, "S F F F F F F F N N"}};
const matrix::Expectations kCheckWithdrawers = {{Relation::kAskedAbout, "- - - - - - F F F F"},
                                                {Relation::kUnrelated, "S A A A F F F F F F"}};
// A contact's enquiry (consent and every agency's answers): the MASH only.
const matrix::Expectations kEnquiryReaders = {{Relation::kSubmitted, "- A A A - - F F N N"},
                                              {Relation::kColleague, "- A A A F F F F - N"},
                                              {Relation::kUnrelated, "S A A A F F F F N N"}};

// Relationships (matrix::Relation): kAny (the route is about no record),
// kSubmitted (the user recorded or submitted the contact, owns the referral
// form, or submitted a contact naming the person), kColleague (someone else
// in the user's own agency did), kUnrelated (neither), kRestricted (a
// restricted person record), kAskedAbout (a check addressed to the user's
// agency; every other check is kUnrelated).
const std::vector<Row> kTable = {
    // clang-format off
    //                                                            anon wkr edt mgr adm ana pol tch nrs head
    {"GET",  "/sign-in",                      Kind::kNone, false, {{Relation::kAny,        "P P P P P P P P P P"}}},
    {"POST", "/sign-in",                      Kind::kNone, false, {{Relation::kAny,        "P P P P P P P P P P"}}},
    {"POST", "/sign-out",                     Kind::kNone, false, {{Relation::kAny,        "S A A A A A A A A A"}}},
    {"GET",  "/",                             Kind::kNone, false, {{Relation::kAny,        "S A A A A A A A A A"}}},
    {"GET",  "/queue",                        Kind::kContact, false,
        {{Relation::kSubmitted,  "- A A A - - F F F F"},
         {Relation::kColleague,  "- A A A F F F F - F"},
         {Relation::kUnrelated,  "S A A A F F F F F F"}}},
    {"GET",  "/contacts/new",                 Kind::kNone, false, {{Relation::kAny,        "S A A A F F F F F F"}}},
    {"POST", "/contacts",                     Kind::kNone, false, {{Relation::kAny,        "S A A A F F F F F F"}}},
    // The contact page is the MASH's working record: a partner follows their
    // referral on /referrals and the API instead.
    {"GET",  "/contacts/{id}",                Kind::kContact, true,
        {{Relation::kSubmitted,  "- A A A - - N N N N"},
         {Relation::kColleague,  "- A A A F F N N - N"},
         {Relation::kUnrelated,  "S A A A F F N N N N"}}},
    {"POST", "/contacts/{id}/link",           Kind::kContact, false, kScreeners},
    {"POST", "/contacts/{id}/screen",         Kind::kContact, false, kScreeners},
    {"POST", "/contacts/{id}/decision",       Kind::kContact, false, kScreeners},
    {"POST", "/contacts/{id}/send-back",      Kind::kContact, false, kManagers},
    {"POST", "/contacts/{id}/sign-off",       Kind::kContact, false, kManagers},
    {"GET",  "/people",                       Kind::kPerson, false,
        {{Relation::kSubmitted,  "- A - - - - F - - -"},
         {Relation::kUnrelated,  "S A A A F F F F F F"},
         {Relation::kRestricted, "S H H A F F F F F F"}}},
    {"GET",  "/people/{id}",                  Kind::kPerson, true, kPersonReaders},
    {"GET",  "/people/{id}/viewers",          Kind::kPerson, true,
        {{Relation::kSubmitted,  "- F - - - - F - - -"},
         {Relation::kUnrelated,  "S F F A A F F F F F"},
         {Relation::kRestricted, "S F F A A F F F F F"}}},
    // The contact form's "already known?" matches, as the worker types.
    {"GET",  "/people/suggestions",           Kind::kNone, false, {{Relation::kAny,        "S A A A F F F F F F"}}},
    // Finding and merging duplicates: MASH team managers only.
    {"GET",  "/people/duplicates",            Kind::kNone, false, {{Relation::kAny,        "S F F A F F F F F F"}}},
    {"GET",  "/people/{id}/merge",            Kind::kPerson, true, kMergers},
    {"POST", "/people/{id}/merge",            Kind::kPerson, false, kMergers},
    {"POST", "/people/{id}/unmerge",          Kind::kPerson, false, kMergers},
    {"GET",  "/referrals",                    Kind::kContact, false,
        {{Relation::kSubmitted,  "- F F F - - A A A A"},
         {Relation::kColleague,  "- F F F F F H H - H"},
         {Relation::kUnrelated,  "S F F F F F H H H H"}}},
    {"POST", "/referrals/new",                Kind::kNone, false, {{Relation::kAny,        "S F F F F F A A A A"}}},
    {"GET",  "/referrals/approvals",          Kind::kNone, false, {{Relation::kAny,        "S F F F F F F F F A"}}},
    // A supervisor may read a colleague's draft, but only its author changes it.
    {"GET",  "/referrals/{id}",               Kind::kForm, false,
        {{Relation::kSubmitted,  "- - - - - - A A A A"},
         {Relation::kColleague,  "- - - - - - N N - A"},
         {Relation::kUnrelated,  "S F F F F F N N N N"}}},
    {"POST", "/referrals/{id}",               Kind::kForm, false,
        {{Relation::kSubmitted,  "- - - - - - A A A A"},
         {Relation::kColleague,  "- - - - - - N N - N"},
         {Relation::kUnrelated,  "S F F F F F N N N N"}}},
    {"POST", "/referrals/{id}/approve",       Kind::kForm, false, kSupervisors},
    {"POST", "/referrals/{id}/return",        Kind::kForm, false, kSupervisors},
    {"GET",  "/admin/thresholds",             Kind::kNone, false, {{Relation::kAny,        "S F F A A F F F F F"}}},
    {"POST", "/admin/thresholds",             Kind::kNone, false, {{Relation::kAny,        "S F F A A F F F F F"}}},
    {"GET",  "/healthz",                      Kind::kNone, false, {{Relation::kAny,        "P P P P P P P P P P"}}},
    {"GET",  "/api/v1/openapi.json",          Kind::kNone, false, {{Relation::kAny,        "P P P P P P P P P P"}}},
    {"GET",  "/assets/{path*}",               Kind::kNone, false, {{Relation::kAny,        "P P P P P P P P P P"}}},
    // MASH staff record contacts; partner referrers submit them as themselves.
    {"POST", "/api/v1/contacts",              Kind::kNone, false, {{Relation::kAny,        "U A A A F F A A A F"}}},
    {"GET",  "/api/v1/contacts/{id}",         Kind::kContact, true,
        {{Relation::kSubmitted,  "- A A A - - A A A A"},
         {Relation::kColleague,  "- A A A F F N N - N"},
         {Relation::kUnrelated,  "U A A A F F N N N N"}}},
    {"GET",  "/api/v1/queue",                 Kind::kContact, false,
        {{Relation::kSubmitted,  "- A A A - - F F F F"},
         {Relation::kColleague,  "- A A A F F F F - F"},
         {Relation::kUnrelated,  "U A A A F F F F F F"}}},
    {"GET",  "/api/v1/referrals",             Kind::kContact, false,
        {{Relation::kSubmitted,  "- F F F - - A A A A"},
         {Relation::kColleague,  "- F F F F F H H - H"},
         {Relation::kUnrelated,  "U F F F F F H H H H"}}},
    {"POST", "/api/v1/contacts/{id}/links",     Kind::kContact, false, matrix::api(kScreeners)},
    {"POST", "/api/v1/contacts/{id}/screening", Kind::kContact, false, matrix::api(kScreeners)},
    {"POST", "/api/v1/contacts/{id}/decision",  Kind::kContact, false, matrix::api(kScreeners)},
    {"POST", "/api/v1/contacts/{id}/send-back", Kind::kContact, false, matrix::api(kManagers)},
    {"POST", "/api/v1/contacts/{id}/sign-off",  Kind::kContact, false, matrix::api(kManagers)},
    {"GET",  "/api/v1/people",                Kind::kPerson, false,
        {{Relation::kSubmitted,  "- A - - - - F - - -"},
         {Relation::kUnrelated,  "U A A A F F F F F F"},
         {Relation::kRestricted, "U H H A F F F F F F"}}},
    {"POST", "/api/v1/people",                Kind::kNone, false, {{Relation::kAny,        "U A A A F F F F F F"}}},
    {"GET",  "/api/v1/people/{id}",           Kind::kPerson, true, matrix::api(kPersonReaders)},
    {"POST", "/api/v1/people/{id}/corrections",   Kind::kPerson, false, matrix::api(kPersonEditors)},
    {"POST", "/api/v1/people/{id}/moves",         Kind::kPerson, false, matrix::api(kPersonEditors)},
    {"POST", "/api/v1/people/{id}/relationships", Kind::kPerson, false, matrix::api(kPersonEditors)},
    // Only a MASH team manager restricts a record, whichever record it is.
    {"POST", "/api/v1/people/{id}/restriction",   Kind::kPerson, false,
        {{Relation::kSubmitted,  "- F - - - - F - - -"},
         {Relation::kUnrelated,  "U F F A F F F F F F"},
         {Relation::kRestricted, "U F F A F F F F F F"}}},
    {"GET",  "/api/v1/people/{id}/chronology",    Kind::kPerson, true, matrix::api(kPersonReaders)},
    {"GET",  "/api/v1/threshold-framework",   Kind::kNone, false, {{Relation::kAny,        "U A A A A A A A A A"}}},
    // The MASH enquiry (issue #3).
    {"POST", "/contacts/{id}/consent",          Kind::kContact, false, kScreeners},
    {"POST", "/contacts/{id}/consent-override", Kind::kContact, false, kManagers},
    {"POST", "/contacts/{id}/checks",           Kind::kContact, false, kScreeners},
    {"POST", "/contacts/{id}/early-decision",   Kind::kContact, false, kManagers},
    {"GET",  "/checks",                       Kind::kNone, false, {{Relation::kAny,        "S F F F F F F F A A"}}},
    {"GET",  "/checks/{id}",                  Kind::kCheck, true, kCheckReaders},
    {"POST", "/checks/{id}/answer",           Kind::kCheck, false, kCheckAnswerers},
    {"POST", "/checks/{id}/sub-requests",     Kind::kCheck, false, kCheckAnswerers},
    {"POST", "/checks/{id}/withdraw",         Kind::kCheck, false, kCheckWithdrawers},
    {"GET",  "/partnership",                  Kind::kNone, false, {{Relation::kAny,        "S F F A A A F F F F"}}},
    {"GET",  "/api/v1/checks",                Kind::kNone, false, {{Relation::kAny,        "U F F F F F F F A A"}}},
    {"GET",  "/api/v1/checks/{id}",           Kind::kCheck, true, matrix::api(kCheckReaders)},
    {"POST", "/api/v1/checks/{id}/answer",    Kind::kCheck, false, matrix::api(kCheckAnswerers)},
    {"POST", "/api/v1/checks/{id}/sub-requests", Kind::kCheck, false, matrix::api(kCheckAnswerers)},
    {"GET",  "/api/v1/contacts/{id}/enquiry", Kind::kContact, true, matrix::api(kEnquiryReaders)},
    {"POST", "/api/v1/contacts/{id}/consent",          Kind::kContact, false, matrix::api(kScreeners)},
    {"POST", "/api/v1/contacts/{id}/consent-override", Kind::kContact, false, matrix::api(kManagers)},
    {"POST", "/api/v1/contacts/{id}/checks",           Kind::kContact, false, matrix::api(kScreeners)},
    {"POST", "/api/v1/contacts/{id}/early-decision",   Kind::kContact, false, matrix::api(kManagers)},
    // clang-format on
};

// One cell: `principal` sends the row's request about `record`.
void check_cell(app::Application& app, matrix::World& w, const Row& row,
                const std::string& principal, Relation relation, char expected,
                const matrix::Record* record, matrix::Tally& tally) {
  using storage::AuditOutcome;
  SCOPED_TRACE(std::string(row.method) + " " + row.pattern + " as " + principal +
               ", relationship: " + matrix::name(relation) + ", expected " + expected);
  const std::string id = record != nullptr ? std::to_string(record->id) : "";
  const auto call = matrix::World::call_for(row, record, id);
  std::optional<matrix::Session> own;
  if (call.fresh_session) own = w.fresh(principal);
  matrix::Session& s = own ? *own : w.sessions.at(principal);
  const auto before = matrix::last_audit_seq(app);
  const auto reply = call.sign_in_form ? w.sign_in_again(s, principal) : w.send(s, call);
  const auto entries = matrix::audit_after(app, before);

  const std::string location = reply.header("location");
  char observed = 'A';
  if (reply.status == 401) observed = 'U';
  if (reply.status == 403) observed = 'F';
  if (reply.status == 404) observed = 'N';
  if (reply.status == 303 && location.rfind("/sign-in?next=", 0) == 0) observed = 'S';
  const char want = expected == 'H' || expected == 'P' ? 'A' : expected;
  EXPECT_EQ(observed, want) << "status " << reply.status << " " << location << "\n"
                            << reply.body.substr(0, 600);
  if (want == 'A') {
    const std::set<int> handled{200, 201, 303, 400, 409};
    EXPECT_EQ(handled.count(reply.status), 1U) << "status " << reply.status;
  }
  if (expected == 'P') {
    EXPECT_TRUE(reply.status == 200 || reply.status == 303) << reply.status;
  }
  if (expected == 'U') {
    EXPECT_EQ(reply.json()["error"]["code"], "unauthenticated");
  }
  if (record != nullptr) {
    const bool shown = matrix::contains(reply.body, record->marker) ||
                       matrix::contains(reply.body, "\"" + record->subject() + "\"");
    if (expected == 'A' && std::string(row.method) == "GET") {
      EXPECT_TRUE(shown) << "the record is not in the answer: " << reply.body.substr(0, 600);
    }
    if (expected != 'A') {
      EXPECT_FALSE(shown) << "the record shows through";
    }
  }

  // The audit log: one entry for an allowed read of a child's record, one
  // refusal entry for a refusal, nothing for nobody signed in.
  const auto refusals = std::count_if(entries.begin(), entries.end(), [](const auto& e) {
    return e.outcome == AuditOutcome::kRefused;
  });
  const bool one_by_principal = entries.size() == 1 && entries[0].actor.username == principal;
  if (expected == 'S' || expected == 'U') {
    EXPECT_TRUE(entries.empty()) << entries.size() << " audit entries for nobody signed in";
  } else if (expected == 'F' || expected == 'N') {
    EXPECT_TRUE(one_by_principal && refusals == 1)
        << entries.size() << " audit entries (" << refusals << " refusals) for one refusal";
    if (one_by_principal && refusals == 1) ++tally.refusals_logged;
  } else if (row.audited_read && record != nullptr) {
    const bool read = one_by_principal && refusals == 0 && entries[0].subject == record->subject();
    EXPECT_TRUE(read) << entries.size() << " audit entries for one read of " << record->subject();
    if (read) ++tally.audited_reads;
  } else {
    EXPECT_EQ(refusals, 0) << "an allowed request was logged as a refusal";
  }

  // Refused: the same answer as for a record that does not exist.
  if ((expected == 'F' || expected == 'N') && record != nullptr) {
    const auto absent = matrix::World::call_for(row, record, std::to_string(w.kAbsentId));
    const auto seq = matrix::last_audit_seq(app);
    const auto other = w.send(s, absent);
    const auto logged = matrix::audit_after(app, seq);
    EXPECT_EQ(other.status, reply.status) << absent.target;
    EXPECT_EQ(other.body, reply.body) << absent.target;
    EXPECT_EQ(other.header("content-type"), reply.header("content-type"));
    const bool refusal_logged = logged.size() == 1 && logged[0].outcome == AuditOutcome::kRefused;
    EXPECT_TRUE(refusal_logged) << logged.size() << " audit entries for " << absent.target;
    if (refusal_logged) ++tally.refusals_logged;
    ++tally.pairs;
    if (other.status == reply.status && other.body == reply.body) ++tally.identical_pairs;
  }
}

// Every cell of one row, after checking that the row gives an outcome for
// exactly the cells there are.
void check_row(app::Application& app, matrix::World& w, const Row& row,
               const std::vector<std::string>& principals, matrix::Tally& tally) {
  SCOPED_TRACE(std::string(row.method) + " " + row.pattern);
  const auto relations = matrix::relations_of(row.kind);
  std::set<Relation> covered;
  for (const auto& [relation, letters] : row.expected) {
    EXPECT_NE(std::find(relations.begin(), relations.end(), relation), relations.end())
        << matrix::name(relation) << " does not apply to this row's records";
    EXPECT_TRUE(covered.insert(relation).second) << "two lines for " << matrix::name(relation);
    std::vector<char> cells;
    for (char c : letters) {
      if (c == ' ') continue;
      EXPECT_NE(std::string("AHFNSUP-").find(c), std::string::npos) << "unknown outcome " << c;
      cells.push_back(c);
    }
    ASSERT_EQ(cells.size(), principals.size()) << "\"" << letters << "\"";
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const auto* record =
          row.kind == Kind::kNone ? nullptr : w.record_for(row.kind, relation, principals[i]);
      if (cells[i] == '-') {
        EXPECT_EQ(record, nullptr) << principals[i] << " has a record in the relationship \""
                                   << matrix::name(relation) << "\": give its outcome, not -";
        continue;
      }
      if (row.kind != Kind::kNone && record == nullptr) {
        ADD_FAILURE() << principals[i] << " has no record in the relationship \""
                      << matrix::name(relation) << "\": write - for this cell";
        continue;
      }
      check_cell(app, w, row, principals[i], relation, cells[i], record, tally);
      ++tally.cells;
      ++tally.outcomes[cells[i]];
      tally.relations.insert(relation);
    }
  }
  EXPECT_EQ(covered.size(), relations.size()) << "the row leaves out a relationship";
}

class AccessMatrixTest : public AppFixture {
 protected:
  void configure(app::Config& config) override {
    config.assets_dir = std::filesystem::path(FRONTDOOR_SOURCE_DIR) / "assets" / "dist";
  }

  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    // The fixture's cast lacks two roles: the out-of-hours social worker and
    // a partner supervisor (in the teacher's school, which sends straight to
    // the MASH).
    add_user("edt", "Eve Duty", domain::Role::kEdtSocialWorker, "LA");
    add_user("head", "Hal Head", domain::Role::kPartnerSupervisor, "SCH");
  }

  matrix::World build_world();
  void add_checks(matrix::World& w);
};

// Everything a cell needs: the users' sessions and the records.
matrix::World AccessMatrixTest::build_world() {
  matrix::World w(port_, kPassword);
  w.sessions.emplace("anonymous", matrix::Session{HttpClient(port_), ""});
  // police2 is no principal: the police officer's colleague.
  std::vector<std::string> users(kPrincipals.begin() + 1, kPrincipals.end());
  users.emplace_back("police2");
  for (const auto& name : users) {
    auto user = app_->accounts().user_by_username(name);
    EXPECT_TRUE(user.ok()) << name;
    if (!user.ok()) continue;
    w.agency[name] = user->agency.code;
    std::string csrf;
    auto client = browser(name, &csrf);
    w.sessions.emplace(name, matrix::Session{std::move(client), csrf});
  }
  w.sign_in = [this](const std::string& name, std::string* csrf) { return browser(name, csrf); };
  w.add_records();
  add_checks(w);
  return w;
}

// A screened contact whose checks went to the police, health and the school,
// consent overridden by the manager: one check record per agency.
void AccessMatrixTest::add_checks(matrix::World& w) {
  auto principal = [&](const std::string& name) {
    auto s = app_->accounts().sign_in(name, kPassword, "127.0.0.1");
    EXPECT_TRUE(s.ok()) << name;
    return s->principal;
  };
  const auto worker = principal("worker");
  const auto manager = principal("manager");
  domain::ContactDetails d;
  d.channel = domain::ContactChannel::kPhone;
  d.source_code = "6";
  d.received_at = clock_->now();
  d.referrer.name = "Matrix Referrer";
  d.referrer.phone = "01632 960003";
  domain::ChildOnContact child;
  child.given_name = "Cressida";
  child.family_name = "Pennyworth";
  d.children = {child};
  d.concerns = "A concern about Cressida.";
  auto contact = app_->contacts().record(worker, d);
  ASSERT_TRUE(contact.ok()) << contact.error().message;
  auto linked = app_->contacts().link_new_person(worker, contact->id, contact->version, 0);
  ASSERT_TRUE(linked.ok()) << linked.error().message;
  auto rated = app_->contacts().screen(worker, contact->id, linked->version,
                                       domain::RagRating::kAmber, "Matrix check");
  ASSERT_TRUE(rated.ok()) << rated.error().message;
  auto overridden = app_->enquiries().override_consent(
      manager, contact->id, 0, 0, domain::LawfulBasis::kRiskOfHarm, "Matrix check");
  ASSERT_TRUE(overridden.ok()) << overridden.error().message;
  for (const char* code : {"POL", "NHS", "SCH"}) {
    auto agency = app_->accounts().agency_by_code(code);
    ASSERT_TRUE(agency.ok());
    app::CheckInput in;
    in.agency_id = agency->id;
    in.people = {{app::EnquirySubject::Kind::kChild, 0, {}, "", ""}};
    in.question = "What do you hold?";
    auto check = app_->enquiries().request(worker, contact->id, in);
    ASSERT_TRUE(check.ok()) << check.error().message;
    w.records.push_back(
        matrix::Record{Kind::kCheck, check->id, code, "Cressida", "Pennyworth", false, {}});
  }
}

TEST_F(AccessMatrixTest, SlowEveryRouteEveryRoleEveryRelationship) {
  // Every route has a row, and every row a route.
  std::set<std::string> routes, rows;
  for (const auto& r : app_->gate().routes()) routes.insert(r.method + " " + r.pattern);
  for (const auto& row : kTable) rows.insert(std::string(row.method) + " " + row.pattern);
  for (const auto& r : routes) {
    EXPECT_EQ(rows.count(r), 1U) << r << " has no row in the access matrix: add one to kTable";
  }
  for (const auto& r : rows) {
    EXPECT_EQ(routes.count(r), 1U)
        << r << " is in the access matrix but the router has no such route";
  }
  EXPECT_EQ(rows.size(), kTable.size()) << "a route has two rows";
  ASSERT_FALSE(HasFailure());

  // Every role has a user among the principals (domain::Role has eight).
  std::set<domain::Role> roles;
  for (const auto& name : kPrincipals) {
    if (name == "anonymous") continue;
    auto user = app_->accounts().user_by_username(name);
    ASSERT_TRUE(user.ok()) << name;
    roles.insert(user->role);
  }
  EXPECT_EQ(roles.size(), 8U);

  auto world = build_world();
  ASSERT_FALSE(HasFailure());
  matrix::Tally tally;
  for (const auto& row : kTable) {
    check_row(*app_, world, row, kPrincipals, tally);
  }
  tally.routes = static_cast<int>(routes.size());
  tally.principals = static_cast<int>(kPrincipals.size());
  const std::string engine = storage::testing::postgres_test_url() ? "postgresql" : "sqlite";
  const std::string summary = tally.summary(engine);
  std::printf("%s", summary.c_str());
  // The whole matrix ran: every kind of outcome occurred.
  EXPECT_GT(tally.cells, 600);
  for (char outcome : std::string("AHFNSUP")) {
    EXPECT_GT(tally.outcomes[outcome], 0) << outcome;
  }
  EXPECT_GT(tally.audited_reads, 30);
  EXPECT_GT(tally.refusals_logged, 250);
  EXPECT_EQ(tally.identical_pairs, tally.pairs);
  if (const char* dir = std::getenv("FRONTDOOR_BATTERY_SUMMARY_DIR")) {
    std::ofstream(std::filesystem::path(dir) / ("matrix-" + engine + ".txt")) << summary;
  }
}

}  // namespace
}  // namespace frontdoor::testing

namespace frontdoor::testing {
namespace {

// A restricted record does not show through the records around it: a
// relative's household, a contact's link, a new relationship, a search.
TEST_F(AccessMatrixTest, RestrictedRecordDoesNotShowThroughTheRecordsAroundIt) {
  std::string manager_csrf, worker_csrf;
  auto manager = browser("manager", &manager_csrf);
  auto worker = browser("worker", &worker_csrf);
  auto post = [](HttpClient& c, const std::string& csrf, const std::string& target,
                 const nlohmann::json& body) {
    return c.post_json(target, body, {{"X-CSRF-Token", csrf}, {"Origin", c.origin()}});
  };
  auto child = post(manager, manager_csrf, "/api/v1/people",
                    {{"kind", "child"}, {"given_name", "Ivo"}, {"family_name", "Quarrie"}});
  auto parent = post(manager, manager_csrf, "/api/v1/people",
                     {{"kind", "adult"}, {"given_name", "Rosalind"}, {"family_name", "Quarrie"}});
  ASSERT_EQ(child.status, 201) << child.body;
  ASSERT_EQ(parent.status, 201) << parent.body;
  const auto child_id = child.json()["id"].get<std::int64_t>();
  const auto parent_id = parent.json()["id"].get<std::int64_t>();
  const std::string child_path = "/api/v1/people/" + std::to_string(child_id);
  auto related = post(manager, manager_csrf, child_path + "/relationships",
                      {{"kind", "parent"}, {"person_id", parent_id}});
  ASSERT_EQ(related.status, 200) << related.body;
  auto restricted =
      post(manager, manager_csrf, "/api/v1/people/" + std::to_string(parent_id) + "/restriction",
           {{"reason", "Fled domestic abuse; living at a refuge"}});
  ASSERT_EQ(restricted.status, 200) << restricted.body;

  // The manager sees the whole household; the worker sees the child alone.
  EXPECT_TRUE(matrix::contains(manager.get(child_path).body, "Rosalind"));
  auto seen = worker.get(child_path);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_TRUE(seen.json()["household"].empty()) << seen.body;
  EXPECT_TRUE(seen.json()["relationships"].empty()) << seen.body;
  EXPECT_FALSE(matrix::contains(seen.body, "Rosalind"));
  auto page = worker.get("/people/" + std::to_string(child_id));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(matrix::contains(page.body, "Ivo"));
  EXPECT_FALSE(matrix::contains(page.body, "Rosalind"));
  EXPECT_FALSE(matrix::contains(worker.get("/api/v1/people?q=Quarrie").body, "Rosalind"));
  EXPECT_TRUE(matrix::contains(manager.get("/api/v1/people?q=Quarrie").body, "Rosalind"));

  // Relating someone to it, or linking a contact's child to it, is answered
  // exactly as for a person who does not exist.
  const std::int64_t absent = matrix::World::kAbsentId;
  auto relate_hidden = post(worker, worker_csrf, child_path + "/relationships",
                            {{"kind", "parent"}, {"person_id", parent_id}});
  auto relate_absent = post(worker, worker_csrf, child_path + "/relationships",
                            {{"kind", "parent"}, {"person_id", absent}});
  EXPECT_EQ(relate_hidden.status, 404) << relate_hidden.body;
  EXPECT_EQ(relate_hidden.body, relate_absent.body);
  auto contact = post(worker, worker_csrf, "/api/v1/contacts",
                      {{"source_code", "6"},
                       {"referrer", {{"name", "Matrix Referrer"}, {"phone", "01632 960001"}}},
                       {"children", {{{"given_name", "Ivo"}, {"family_name", "Quarrie"}}}},
                       {"concerns", "Seen alone at night."}});
  ASSERT_EQ(contact.status, 201) << contact.body;
  const std::string links = "/api/v1/contacts/" + contact.json()["id"].dump() + "/links";
  const auto version = contact.json()["version"];
  auto link_hidden = post(worker, worker_csrf, links,
                          {{"version", version}, {"child_index", 0}, {"person_id", parent_id}});
  auto link_absent = post(worker, worker_csrf, links,
                          {{"version", version}, {"child_index", 0}, {"person_id", absent}});
  EXPECT_EQ(link_hidden.status, 400) << link_hidden.body;
  EXPECT_EQ(link_hidden.body, link_absent.body);
}

}  // namespace
}  // namespace frontdoor::testing
