// Integration tests: the MASH enquiry (issue #3) through the JSON API, over
// HTTP against a real server: consent and its override, checks to police,
// health and education, partner systems' answers (idempotent on their own
// reference), police public protection notices as contacts, what a partner
// may see (nothing of another agency's checks, even by guessing ids), and the
// audit of every read. Runs on SQLite, and on PostgreSQL when
// FRONTDOOR_TEST_POSTGRES_URL is set (scripts/with-postgres.sh).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "app/openapi.hpp"
#include "app_test_fixture.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::testing {
namespace {

using nlohmann::json;

// Two children and the mother's partner, as a police system would send them.
json family_contact(const std::string& reference = "") {
  json body{
      {"source_code", "6"},
      {"referrer",
       {{"name", "DC 2291 Patel"}, {"role", "Public protection unit"}, {"phone", "01632 960118"}}},
      {"children", json::array({{{"given_name", "Ruby"},
                                 {"family_name", "Enquirewell"},
                                 {"date_of_birth", "2017-05-14"},
                                 {"sex", "2"}},
                                {{"given_name", "Leo"},
                                 {"family_name", "Enquirewell"},
                                 {"date_of_birth", "2020-01-09"},
                                 {"sex", "1"}}})},
      {"adults", json::array({{{"given_name", "Dean"},
                               {"family_name", "Hartley"},
                               {"relationship", "mother's partner"}}})},
      {"address_line", "12 Synthetic Road"},
      {"postcode", "ZZ99 3AB"},
      {"concerns", "Police called to a domestic incident at 01:40; both children present."},
      {"family_aware", "yes"},
      {"consent", "not_sought"}};
  if (!reference.empty()) body["partner_reference"] = reference;
  return body;
}

class EnquiryApiTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    // Partner systems' and practitioners' accounts (the fixture's "nurse" is
    // the health practitioner).
    add_user("dc", "DC Patel", domain::Role::kPartnerPractitioner, "POL");
    add_user("liz", "Liz Education", domain::Role::kPartnerPractitioner, "SCH");
  }

  std::int64_t count(const std::string& table) {
    std::int64_t n = -1;
    auto st = app_->db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM " + table));
      n = row ? row->integer(0) : 0;
      return ok_status();
    });
    EXPECT_TRUE(st.ok());
    return n;
  }

  std::vector<storage::AuditEntry> audit_after(std::int64_t seq) {
    std::vector<storage::AuditEntry> out;
    auto st = app_->db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(out, storage::AuditLog::all(tx, seq, 1000));
      return ok_status();
    });
    EXPECT_TRUE(st.ok());
    return out;
  }

  std::int64_t last_audit_seq() {
    const auto all = audit_after(0);
    return all.empty() ? 0 : all.back().seq;
  }

  // A contact recorded by the MASH, both children linked, screened red.
  std::int64_t screened_contact(HttpClient& worker) {
    auto created = worker.post_json("/api/v1/contacts", family_contact());
    EXPECT_EQ(created.status, 201) << created.body;
    const auto id = created.json()["id"].get<std::int64_t>();
    const std::string base = "/api/v1/contacts/" + std::to_string(id);
    auto version = created.json()["version"].get<std::int64_t>();
    for (int child = 0; child < 2; ++child) {
      auto linked =
          worker.post_json(base + "/links", {{"version", version}, {"child_index", child}});
      EXPECT_EQ(linked.status, 200) << linked.body;
      version = linked.json()["version"];
    }
    auto screened = worker.post_json(
        base + "/screening",
        {{"version", version}, {"rag", "red"}, {"rationale", "Young children at a DA incident"}});
    EXPECT_EQ(screened.status, 200) << screened.body;
    return id;
  }

  // Consent: refused for the first child and overridden by the manager;
  // given for the second.
  void settle_consent(HttpClient& worker, HttpClient& manager, std::int64_t contact) {
    const std::string base = "/api/v1/contacts/" + std::to_string(contact);
    auto refused = worker.post_json(
        base + "/consent",
        {{"version", 0}, {"child_index", 0}, {"decision", "refused"}, {"given_by", "Mother"}});
    ASSERT_EQ(refused.status, 200) << refused.body;
    auto overridden = manager.post_json(base + "/consent-override",
                                        {{"version", refused.json()["version"]},
                                         {"child_index", 0},
                                         {"basis", "risk_of_harm"},
                                         {"reason", "The mother's partner would learn of it"}});
    ASSERT_EQ(overridden.status, 200) << overridden.body;
    auto given = worker.post_json(base + "/consent", {{"version", overridden.json()["version"]},
                                                      {"child_index", 1},
                                                      {"decision", "given"},
                                                      {"given_by", "Mother"}});
    ASSERT_EQ(given.status, 200) << given.body;
  }

  // (Vectors, not braced json: {"concerns", "address"} would be an object.)
  json ask(HttpClient& worker, std::int64_t contact, const std::string& agency_code,
           const std::vector<json>& people, const std::vector<std::string>& shared = {}) {
    auto r = worker.post_json("/api/v1/contacts/" + std::to_string(contact) + "/checks",
                              {{"agency_id", agency_id(agency_code)},
                               {"people", people},
                               {"question", "What do you hold?"},
                               {"shared", shared}});
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("location"), "/api/v1/checks/" + r.json()["id"].dump());
    return r.json();
  }

  static json child(int index) { return {{"kind", "child"}, {"index", index}}; }
  static json adult(int index) { return {{"kind", "adult"}, {"index", index}}; }

  // "Not known" for everyone the check asks about.
  static json not_known(const json& check) {
    json answers = json::array();
    for (const auto& p : check["people"]) {
      answers.push_back({{"person_id", p["person_id"]}, {"known", false}});
    }
    return answers;
  }

  static std::string check_path(const json& check) {
    return "/api/v1/checks/" + check["id"].dump();
  }
};

// The whole enquiry over the API: consent overridden with a reason and the
// manager recorded, checks to three agencies, answers from police (a partner
// system) and health with a GP sub-request, no decision while education is
// out until the manager records why, and the decision naming what it relied on.
TEST_F(EnquiryApiTest, ConsentChecksAnswersAndTheDecisionThatWaitsForThem) {
  auto worker = api_client("worker");
  auto manager = api_client("manager");
  auto dc = api_client("dc");
  auto nurse = api_client("nurse");
  auto liz = api_client("liz");
  const auto contact = screened_contact(worker);
  const std::string base = "/api/v1/contacts/" + std::to_string(contact);

  // No checks before consent is settled: the refusal says what to record.
  auto early = worker.post_json(
      base + "/checks", {{"agency_id", agency_id("POL")}, {"people", json::array({child(0)})}});
  ASSERT_EQ(early.status, 400) << early.body;
  EXPECT_EQ(early.json()["error"]["fields"][0]["field"], "consent");

  auto refused = worker.post_json(base + "/consent", {{"version", 0},
                                                      {"child_index", 0},
                                                      {"decision", "refused"},
                                                      {"given_by", "Mother"},
                                                      {"notes", "Declined on the phone"}});
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_EQ(refused.json()["version"], 1);
  EXPECT_EQ(refused.json()["consent"][0]["decision"], "refused");
  EXPECT_EQ(refused.json()["consent"][0]["given_by"], "Mother");
  // The enquiry's version, not the contact's: a stale one is a conflict.
  auto stale = worker.post_json(base + "/consent",
                                {{"version", 0}, {"child_index", 1}, {"decision", "given"}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  // Only a manager may agree to checks without consent, and never without a reason.
  const json override_body{{"version", 1},
                           {"child_index", 0},
                           {"basis", "risk_of_harm"},
                           {"reason", "The mother's partner would learn of the enquiry"}};
  EXPECT_EQ(worker.post_json(base + "/consent-override", override_body).status, 403);
  json no_reason = override_body;
  no_reason["reason"] = "";
  EXPECT_EQ(manager.post_json(base + "/consent-override", no_reason).status, 400);
  auto overridden = manager.post_json(base + "/consent-override", override_body);
  ASSERT_EQ(overridden.status, 200) << overridden.body;
  const auto consent0 = overridden.json()["consent"][0];
  EXPECT_EQ(consent0["decision"], "refused");
  EXPECT_EQ(consent0["override"]["basis"], "risk_of_harm");
  EXPECT_EQ(consent0["override"]["manager"], "Maya Manager");
  EXPECT_EQ(consent0["override"]["reason"], "The mother's partner would learn of the enquiry");
  auto given = worker.post_json(base + "/consent", {{"version", overridden.json()["version"]},
                                                    {"child_index", 1},
                                                    {"decision", "given"},
                                                    {"given_by", "Mother"}});
  ASSERT_EQ(given.status, 200) << given.body;

  const auto police = ask(worker, contact, "POL", {child(0), adult(0)}, {"concerns"});
  const auto health = ask(worker, contact, "NHS", {child(0), child(1)}, {"concerns", "address"});
  const auto education = ask(worker, contact, "SCH", {child(0), child(1)});
  // Red: due in 2 clock hours from the request (Monday 09:30).
  EXPECT_EQ(police["due_at"], "2026-11-30T11:30:00.000Z");
  EXPECT_EQ(police["status"], "requested");
  EXPECT_EQ(police["agency_name"], "Test Constabulary");
  ASSERT_EQ(police["people"].size(), 2U);

  // The MASH sees the whole enquiry; the adult now has a person record.
  auto enquiry = worker.get(base + "/enquiry");
  ASSERT_EQ(enquiry.status, 200) << enquiry.body;
  auto e = enquiry.json();
  EXPECT_EQ(e["checks"].size(), 3U);
  EXPECT_EQ(e["progress"]["open"].size(), 3U);
  EXPECT_TRUE(e["children"][0]["checks_may_proceed"].get<bool>());
  EXPECT_TRUE(e["children"][1]["checks_may_proceed"].get<bool>());
  bool adult_linked = false;
  for (const auto& s : e["subjects"]) {
    adult_linked |= s["kind"] == "adult" && s["person_id"].is_number_integer();
  }
  EXPECT_TRUE(adult_linked) << enquiry.body;
  // The MASH sees every part of the contact on each check.
  EXPECT_TRUE(e["checks"][2]["contact"].contains("referrer")) << enquiry.body;

  // Each agency's queue holds its own checks only.
  auto queue = dc.get("/api/v1/checks");
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.json()["items"].size(), 1U);
  EXPECT_EQ(queue.json()["items"][0]["id"], police["id"]);
  EXPECT_EQ(queue.json()["items"][0]["reference"], police["reference"]);
  EXPECT_EQ(worker.get("/api/v1/checks").status, 403);  // a partner's queue, not the MASH's

  // A partner sees the people asked about and only what was shared.
  auto seen = dc.get(check_path(police));
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json()["contact"]["concerns"],
            "Police called to a domestic incident at 01:40; both children present.");
  EXPECT_FALSE(seen.json()["contact"].contains("address")) << seen.body;
  EXPECT_FALSE(seen.json()["contact"].contains("household")) << seen.body;
  EXPECT_FALSE(seen.json()["contact"].contains("referrer")) << seen.body;
  std::set<std::string> names;
  const auto seen_people = seen.json()["people"];
  for (const auto& p : seen_people) names.insert(p["name"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"Ruby Enquirewell", "Dean Hartley"}));
  auto school_view = liz.get(check_path(education));
  ASSERT_EQ(school_view.status, 200) << school_view.body;
  EXPECT_EQ(school_view.json()["contact"], json::object()) << school_view.body;
  EXPECT_EQ(school_view.body.find("domestic incident"), std::string::npos);

  // No decision while checks are out.
  const json decision{{"outcome", "strategy_discussion"},
                      {"level", 4},
                      {"indicators", {"4.1"}},
                      {"rationale", "Repeat incidents; the younger child is under five."},
                      {"next_steps", "Strategy discussion today."}};
  auto contact_version = [&] { return worker.get(base).json()["version"].get<std::int64_t>(); };
  json d = decision;
  d["version"] = contact_version();
  auto too_soon = worker.post_json(base + "/decision", d);
  EXPECT_EQ(too_soon.status, 409) << too_soon.body;

  // Police answer through their system; health answers and asks the GP.
  auto police_answer = dc.post_json(
      check_path(police) + "/answer",
      {{"version", police["version"]},
       {"answers",
        json::array({{{"person_id", police["people"][0]["person_id"]},
                      {"known", true},
                      {"summary", "Two domestic incidents at the address in 2025"},
                      {"relevance", "Children present both times"},
                      {"risk", "Medium (DASH)"},
                      {"source_system", "Niche RMS"},
                      {"source_reference", "OCC/2025/4471"}},
                     {{"person_id", police["people"][1]["person_id"]}, {"known", false}}})},
       {"partner_reference", "NICHE-MASH-1"}});
  ASSERT_EQ(police_answer.status, 200) << police_answer.body;
  EXPECT_EQ(police_answer.json()["status"], "answered");
  ASSERT_EQ(police_answer.json()["answers"].size(), 2U);
  bool summary_kept = false;
  const auto police_answers = police_answer.json()["answers"];
  for (const auto& a : police_answers) {
    summary_kept |= a["summary"] == "Two domestic incidents at the address in 2025" &&
                    a["source_reference"] == "OCC/2025/4471" && a["known"] == true;
  }
  EXPECT_TRUE(summary_kept) << police_answer.body;

  auto gp = nurse.post_json(check_path(health) + "/sub-requests",
                            {{"service", "GP"},
                             {"people", json::array({health["people"][1]["person_id"]})},
                             {"question", "Registered GP and attendances"}});
  ASSERT_EQ(gp.status, 201) << gp.body;
  EXPECT_EQ(gp.json()["parent_check"], health["id"]);
  EXPECT_EQ(gp.json()["service"], "GP");
  EXPECT_EQ(gp.header("location"), "/api/v1/checks/" + gp.json()["id"].dump());
  // Only health checks open sub-requests; only named health services.
  EXPECT_EQ(liz.post_json(check_path(education) + "/sub-requests",
                          {{"service", "GP"},
                           {"people", json::array({education["people"][0]["person_id"]})}})
                .status,
            409);
  auto bad_service = nurse.post_json(check_path(health) + "/sub-requests",
                                     {{"service", "Dentist"}, {"people", json::array()}});
  EXPECT_EQ(bad_service.status, 400) << bad_service.body;
  EXPECT_EQ(bad_service.json()["error"]["fields"][0]["field"], "service");
  auto health_answer =
      nurse.post_json(check_path(health) + "/answer",
                      {{"version", health["version"]}, {"answers", not_known(health)}});
  ASSERT_EQ(health_answer.status, 200) << health_answer.body;
  auto health_seen = nurse.get(check_path(health)).json();
  ASSERT_EQ(health_seen["sub_requests"].size(), 1U);
  EXPECT_EQ(health_seen["sub_requests"][0]["service"], "GP");

  // Education and the GP are still out: the decision still waits.
  d["version"] = contact_version();
  EXPECT_EQ(worker.post_json(base + "/decision", d).status, 409);
  // A worker cannot waive the wait; a manager must give a reason.
  EXPECT_EQ(worker.post_json(base + "/early-decision", {{"version", d["version"]}, {"reason", "x"}})
                .status,
            403);
  auto blank = manager.post_json(base + "/early-decision", {{"version", d["version"]}});
  ASSERT_EQ(blank.status, 400) << blank.body;
  EXPECT_EQ(blank.json()["error"]["fields"][0]["field"], "reason");
  auto allowed = manager.post_json(
      base + "/early-decision",
      {{"version", d["version"]}, {"reason", "Strategy discussion cannot wait for the school"}});
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  std::set<std::int64_t> waived;
  const auto open_checks = allowed.json()["early_decision"]["open_checks"];
  for (const auto& id : open_checks) {
    waived.insert(id.get<std::int64_t>());
  }
  EXPECT_EQ(waived, (std::set<std::int64_t>{education["id"].get<std::int64_t>(),
                                            gp.json()["id"].get<std::int64_t>()}));

  // The decision may rely only on answered checks.
  d["version"] = allowed.json()["version"];
  d["relied_on_checks"] = {police["id"], education["id"]};
  auto unanswered = worker.post_json(base + "/decision", d);
  ASSERT_EQ(unanswered.status, 400) << unanswered.body;
  EXPECT_EQ(unanswered.json()["error"]["fields"][0]["field"], "relied_on_checks");
  d["relied_on_checks"] = json::array({"not an id"});
  auto not_ids = worker.post_json(base + "/decision", d);
  ASSERT_EQ(not_ids.status, 400) << not_ids.body;
  EXPECT_EQ(not_ids.json()["error"]["fields"][0]["field"], "relied_on_checks");
  d["relied_on_checks"] = {police["id"], health["id"]};
  auto decided = worker.post_json(base + "/decision", d);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json()["status"], "awaiting_sign_off");
  EXPECT_EQ(decided.json()["decision"]["relied_on_checks"], json({police["id"], health["id"]}));

  // After the decision no agency can be asked.
  auto late = worker.post_json(
      base + "/checks", {{"agency_id", agency_id("POL")}, {"people", json::array({child(1)})}});
  EXPECT_EQ(late.status, 409) << late.body;
}

// A partner system answers a check; the same answer posted again (a retry
// after a lost response) is the same 200 and writes nothing.
TEST_F(EnquiryApiTest, AnAnswerIsIdempotentOnThePartnersOwnReference) {
  auto worker = api_client("worker");
  auto manager = api_client("manager");
  auto dc = api_client("dc");
  const auto contact = screened_contact(worker);
  settle_consent(worker, manager, contact);
  const auto first = ask(worker, contact, "POL", {child(0)});
  const auto second = ask(worker, contact, "POL", {child(1)});

  const json body{{"version", first["version"]},
                  {"answers", not_known(first)},
                  {"partner_reference", "NICHE-MASH-77"}};
  auto answered = dc.post_json(check_path(first) + "/answer", body);
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(answered.json()["status"], "answered");
  const auto events = count("events");
  const auto answered_version = answered.json()["version"];

  auto again = dc.post_json(check_path(first) + "/answer", body);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json(), answered.json());
  EXPECT_EQ(count("events"), events);
  // A retry whose content differs still changes nothing: the first answer stands.
  json changed = body;
  changed["answers"][0]["known"] = true;
  changed["answers"][0]["summary"] = "Something else";
  auto retried = dc.post_json(check_path(first) + "/answer", changed);
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(retried.json()["answers"][0]["known"], false);
  EXPECT_EQ(retried.json()["version"], answered_version);
  EXPECT_EQ(count("events"), events);

  // Without the reference, a second answer is refused: the check is answered.
  json unreferenced = body;
  unreferenced.erase("partner_reference");
  EXPECT_EQ(dc.post_json(check_path(first) + "/answer", unreferenced).status, 409);
  // The same reference on another check is a conflict, not that check's answer.
  json reused{{"version", second["version"]},
              {"answers", not_known(second)},
              {"partner_reference", "NICHE-MASH-77"}};
  auto conflict = dc.post_json(check_path(second) + "/answer", reused);
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(conflict.json()["error"]["code"], "conflict");
  EXPECT_EQ(count("events"), events);
  EXPECT_EQ(dc.get(check_path(second)).json()["status"], "requested");

  // The Idempotency-Key header works the same, and wins over the body.
  reused["partner_reference"] = "NICHE-MASH-78";
  auto keyed = dc.post_json(check_path(second) + "/answer", reused, {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(keyed.status, 200) << keyed.body;
  const auto after_keyed = count("events");
  EXPECT_EQ(after_keyed, events + 1);
  auto keyed_again =
      dc.post_json(check_path(second) + "/answer", reused, {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(keyed_again.status, 200) << keyed_again.body;
  EXPECT_EQ(keyed_again.json(), keyed.json());
  EXPECT_EQ(count("events"), after_keyed);

  // A contact's partner reference and an answer's never name each other's
  // records: a PPN with the answer's reference is a new contact.
  json ppn = family_contact("NICHE-MASH-77");
  auto ppn_created = dc.post_json("/api/v1/contacts", ppn);
  ASSERT_EQ(ppn_created.status, 201) << ppn_created.body;
  EXPECT_NE(ppn_created.json()["id"], contact);
}

// A police system posting the same public protection notice twice (a retry)
// makes one contact; another agency's identical reference is its own.
TEST_F(EnquiryApiTest, APoliceSystemPostingTheSamePpnTwiceCreatesOneContact) {
  auto dc = api_client("dc");
  const json ppn = family_contact("PPN/2026/118734");
  auto first = dc.post_json("/api/v1/contacts", ppn);
  ASSERT_EQ(first.status, 201) << first.body;
  const auto events = count("events");
  auto second = dc.post_json("/api/v1/contacts", ppn);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.json()["id"], first.json()["id"]);
  EXPECT_EQ(second.json()["reference"], first.json()["reference"]);
  EXPECT_EQ(second.json()["partner_reference"], "PPN/2026/118734");
  EXPECT_EQ(count("contacts"), 1);
  EXPECT_EQ(count("events"), events);
  // The police system refers as itself, from its own agency, by the API.
  auto worker = api_client("worker");
  auto recorded = worker.get("/api/v1/contacts/" + first.json()["id"].dump()).json();
  EXPECT_EQ(recorded["details"]["channel"], "api");
  EXPECT_EQ(recorded["details"]["referrer"]["agency_name"], "Test Constabulary");
  EXPECT_EQ(recorded["details"]["partner_reference"], "PPN/2026/118734");

  auto nurse = api_client("nurse");
  auto other_agency = nurse.post_json("/api/v1/contacts", ppn);
  ASSERT_EQ(other_agency.status, 201) << other_agency.body;
  EXPECT_NE(other_agency.json()["id"], first.json()["id"]);
  EXPECT_EQ(count("contacts"), 2);
}

// A partner asking about another agency's check, a check that does not
// exist, or any guessed id, gets the same answer; the refusals are logged.
TEST_F(EnquiryApiTest, APartnerLearnsNothingOfChecksItWasNotAskedAbout) {
  auto worker = api_client("worker");
  auto manager = api_client("manager");
  auto dc = api_client("dc");
  auto nurse = api_client("nurse");
  const auto contact = screened_contact(worker);
  settle_consent(worker, manager, contact);
  const auto police = ask(worker, contact, "POL", {child(0), adult(0)}, {"concerns"});
  const auto health = ask(worker, contact, "NHS", {child(1)});
  const auto police_id = police["id"].get<std::int64_t>();

  const auto missing = nurse.get("/api/v1/checks/999999");
  ASSERT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"]["code"], "not_found");
  for (const std::string& id :
       {std::to_string(police_id), std::to_string(police_id + 100), std::string("0"),
        std::string("-1"), std::string("abc"), std::string("1e3"), std::string("01x"),
        std::string("99999999999999999999")}) {
    auto r = nurse.get("/api/v1/checks/" + id);
    EXPECT_EQ(r.status, 404) << id;
    EXPECT_EQ(r.body, missing.body) << id;
    auto answer = nurse.post_json("/api/v1/checks/" + id + "/answer",
                                  {{"version", 1}, {"answers", not_known(police)}});
    EXPECT_EQ(answer.status, 404) << id << " " << answer.body;
    EXPECT_EQ(answer.body, missing.body) << id;
    auto sub = nurse.post_json("/api/v1/checks/" + id + "/sub-requests",
                               {{"service", "GP"}, {"people", json::array()}});
    EXPECT_EQ(sub.status, 404) << id << " " << sub.body;
    EXPECT_EQ(sub.body, missing.body) << id;
  }
  EXPECT_EQ(dc.get("/api/v1/checks/999999").body, missing.body);
  // Walking the ids finds only the checks addressed to the partner's agency.
  for (std::int64_t id = 1; id <= police_id + 5; ++id) {
    auto r = nurse.get("/api/v1/checks/" + std::to_string(id));
    if (id == health["id"].get<std::int64_t>()) {
      EXPECT_EQ(r.status, 200) << id;
    } else {
      EXPECT_EQ(r.status, 404) << id;
      EXPECT_EQ(r.body, missing.body) << id;
    }
  }
  // The police check was not answered by the health practitioner's attempts.
  EXPECT_EQ(dc.get(check_path(police)).json()["status"], "requested");

  // The enquiry and the contact are the MASH's: a partner gets not found,
  // exactly as for a contact that does not exist.
  const auto no_contact = nurse.get("/api/v1/contacts/999999/enquiry");
  EXPECT_EQ(no_contact.status, 404);
  auto enquiry = nurse.get("/api/v1/contacts/" + std::to_string(contact) + "/enquiry");
  EXPECT_EQ(enquiry.status, 404);
  EXPECT_EQ(enquiry.body, no_contact.body);
  EXPECT_EQ(dc.get("/api/v1/contacts/" + std::to_string(contact)).status, 404);
  EXPECT_EQ(enquiry.body.find("Enquirewell"), std::string::npos);
  // A partner's staff who are not asked to check (a referrer) have no checks at all.
  auto referrer = api_client("police");
  EXPECT_EQ(referrer.get(check_path(police)).status, 403);
  EXPECT_EQ(referrer.get("/api/v1/checks/999999").status, 403);
  EXPECT_EQ(referrer.get(check_path(police)).body, referrer.get("/api/v1/checks/999999").body);
  EXPECT_EQ(referrer.get("/api/v1/checks").status, 403);
  // MASH actions are the MASH's.
  EXPECT_EQ(dc.post_json("/api/v1/contacts/" + std::to_string(contact) + "/consent",
                         {{"version", 3}, {"child_index", 0}, {"decision", "withdrawn"}})
                .status,
            403);

  // A partner sees its check while open and for the access period after
  // (7 days by default), then not at all.
  auto answered = dc.post_json(check_path(police) + "/answer",
                               {{"version", police["version"]}, {"answers", not_known(police)}});
  ASSERT_EQ(answered.status, 200) << answered.body;
  clock_->advance(std::chrono::hours{24 * 7 - 1});
  EXPECT_EQ(dc.get(check_path(police)).status, 200);
  clock_->advance(std::chrono::hours{2});
  auto expired = dc.get(check_path(police));
  EXPECT_EQ(expired.status, 404);
  EXPECT_EQ(expired.body, missing.body);
  EXPECT_EQ(dc.get("/api/v1/checks").json()["items"].size(), 0U);
  // The MASH still sees it.
  EXPECT_EQ(worker.get(check_path(police)).status, 200);

  // Every refusal of an existing check was logged, with who asked.
  int refusals = 0;
  for (const auto& entry : audit_after(0)) {
    if (entry.subject == "check/" + std::to_string(police_id) &&
        entry.outcome == storage::AuditOutcome::kRefused) {
      EXPECT_TRUE(entry.actor.username == "nurse" || entry.actor.username == "dc")
          << entry.actor.username;
      ++refusals;
    }
  }
  EXPECT_GE(refusals, 4);  // the nurse's view, answer, sub-request and walk; dc's expired view
}

// Every allowed read of a check or an enquiry writes exactly one audit entry
// naming the reader, the record and why they could see it.
TEST_F(EnquiryApiTest, EveryReadOfACheckOrAnEnquiryIsAudited) {
  auto worker = api_client("worker");
  auto manager = api_client("manager");
  auto dc = api_client("dc");
  auto nurse = api_client("nurse");
  const auto contact = screened_contact(worker);
  settle_consent(worker, manager, contact);
  const auto police = ask(worker, contact, "POL", {child(0)});
  const auto health = ask(worker, contact, "NHS", {child(1)});

  struct Read {
    HttpClient* client;
    std::string username;
    std::string path;
    std::string subject;
    std::string action;
  };
  // The enquiry is part of the contact's record: its reads are logged on the contact.
  const std::string enquiry_subject = "contact/" + std::to_string(contact);
  const std::vector<Read> reads{
      {&dc, "dc", check_path(police), "check/" + police["id"].dump(), "view"},
      {&nurse, "nurse", check_path(health), "check/" + health["id"].dump(), "view"},
      {&worker, "worker", check_path(police), "check/" + police["id"].dump(), "view"},
      {&manager, "manager", check_path(health), "check/" + health["id"].dump(), "view"},
      {&worker, "worker", "/api/v1/contacts/" + std::to_string(contact) + "/enquiry",
       enquiry_subject, "view_enquiry"},
      {&manager, "manager", "/api/v1/contacts/" + std::to_string(contact) + "/enquiry",
       enquiry_subject, "view_enquiry"},
  };
  for (const auto& read : reads) {
    const auto before = last_audit_seq();
    auto r = read.client->get(read.path);
    ASSERT_EQ(r.status, 200) << read.username << " " << read.path << " " << r.body;
    const auto entries = audit_after(before);
    ASSERT_EQ(entries.size(), 1U) << read.username << " " << read.path;
    EXPECT_EQ(entries[0].actor.username, read.username);
    EXPECT_EQ(entries[0].subject, read.subject);
    EXPECT_EQ(entries[0].action, read.action);
    EXPECT_EQ(entries[0].outcome, storage::AuditOutcome::kAllowed);
    EXPECT_FALSE(entries[0].basis.empty());
  }
  // A partner's basis says why it may see the check.
  const auto before = last_audit_seq();
  ASSERT_EQ(dc.get(check_path(police)).status, 200);
  EXPECT_EQ(audit_after(before).at(0).basis, "asked to check by the MASH");
}

// Bad input is refused with messages naming the field, and changes nothing.
TEST_F(EnquiryApiTest, BadInputGetsFieldMessagesAndChangesNothing) {
  auto worker = api_client("worker");
  auto manager = api_client("manager");
  auto dc = api_client("dc");
  const auto contact = screened_contact(worker);
  settle_consent(worker, manager, contact);
  const auto police = ask(worker, contact, "POL", {child(0)});
  const std::string base = "/api/v1/contacts/" + std::to_string(contact);
  const auto events = count("events");

  auto field_of = [](const HttpReply& r) {
    const auto j = r.json();
    return j.is_object() && j.contains("error") && !j["error"]["fields"].empty()
               ? j["error"]["fields"][0]["field"].get<std::string>()
               : std::string("(none) ") + r.body;
  };
  struct Case {
    HttpClient* client;
    std::string path;
    json body;
    std::string field;
  };
  const json person = police["people"][0]["person_id"];
  const std::string answer = check_path(police) + "/answer";
  const std::vector<Case> cases{
      {&dc, answer, {{"answers", not_known(police)}}, "version"},
      {&dc, answer, {{"version", 1}}, "answers"},
      {&dc, answer, {{"version", 1}, {"answers", "none"}}, "answers"},
      {&dc,
       answer,
       {{"version", 1}, {"answers", json::array({{{"person_id", person}}})}},
       "answers[0].known"},
      {&dc,
       answer,
       {{"version", 1}, {"answers", json::array({{{"person_id", "x"}, {"known", false}}})}},
       "answers[0].person_id"},
      {&dc,
       answer,
       {{"version", 1},
        {"answers", json::array({{{"person_id", person}, {"known", true}, {"summary", 5}}})}},
       "answers[0].summary"},
      {&dc,
       answer,
       {{"version", 1},
        {"answers", json::array({{{"person_id", person}, {"known", true}, {"summary", " "}}})}},
       "answers[0].summary"},
      {&dc,
       answer,
       {{"version", 1},
        {"answers",
         json::array({{{"person_id", person.get<std::int64_t>() + 1000}, {"known", false}}})}},
       "answers"},
      {&dc,
       answer,
       {{"version", 1}, {"answers", not_known(police)}, {"partner_reference", 42}},
       "partner_reference"},
      {&worker, base + "/checks", {{"people", json::array({child(0)})}}, "agency_id"},
      {&worker,
       base + "/checks",
       {{"agency_id", 2}, {"people", json::array({{{"kind", "cat"}, {"index", 0}}})}},
       "people"},
      {&worker,
       base + "/checks",
       {{"agency_id", 2}, {"people", json::array({{{"kind", "child"}, {"index", -1}}})}},
       "people"},
      {&worker,
       base + "/checks",
       {{"agency_id", 2}, {"people", json::array({child(5)})}},
       "people"},
      {&worker,
       base + "/checks",
       {{"agency_id", 2},
        {"people", json::array({child(0)})},
        {"shared", json::array({"everything"})}},
       "shared"},
      {&worker,
       base + "/checks",
       {{"agency_id", 999}, {"people", json::array({child(0)})}},
       "agency_id"},
      {&worker,
       base + "/consent",
       {{"version", 3}, {"child_index", 0}, {"decision", "maybe"}},
       "decision"},
      {&worker,
       base + "/consent",
       {{"version", 3}, {"child_index", "0"}, {"decision", "given"}},
       "child_index"},
      {&worker,
       base + "/consent",
       {{"version", 3}, {"child_index", 9}, {"decision", "given"}},
       "child_index"},
      {&worker, base + "/consent", {{"child_index", 0}, {"decision", "given"}}, "version"},
      {&manager,
       base + "/consent-override",
       {{"version", 3}, {"child_index", 1}, {"basis", "because"}, {"reason", "r"}},
       "basis"},
  };
  for (const auto& c : cases) {
    auto r = c.client->post_json(c.path, c.body);
    EXPECT_EQ(r.status, 400) << c.path << " " << c.body.dump() << " " << r.body;
    EXPECT_EQ(field_of(r), c.field) << c.path << " " << c.body.dump();
    EXPECT_EQ(r.json()["error"]["code"], "validation") << r.body;
  }
  auto not_json = dc.request("POST", answer, "{not json", "application/json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(count("events"), events);
  EXPECT_EQ(dc.get(check_path(police)).json()["status"], "requested");
}

TEST_F(EnquiryApiTest, TheOpenApiDocumentDescribesTheEnquiryWithExamples) {
  // A copy: a missing member reads as null instead of failing an assertion.
  json doc = app::openapi_document();
  auto& paths = doc["paths"];
  for (const auto& [path, method] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/checks", "get"},
           {"/api/v1/checks/{id}", "get"},
           {"/api/v1/checks/{id}/answer", "post"},
           {"/api/v1/checks/{id}/sub-requests", "post"},
           {"/api/v1/contacts/{id}/enquiry", "get"},
           {"/api/v1/contacts/{id}/consent", "post"},
           {"/api/v1/contacts/{id}/consent-override", "post"},
           {"/api/v1/contacts/{id}/checks", "post"},
           {"/api/v1/contacts/{id}/early-decision", "post"}}) {
    ASSERT_TRUE(paths.contains(path) && paths[path].contains(method)) << method << " " << path;
    auto& responses = paths[path][method]["responses"];
    bool example = false;
    for (const auto& [status, response] : responses.items()) {
      if (status.front() == '2') {
        example |= response.contains("content") &&
                   response.at("content").at("application/json").contains("example");
      }
    }
    EXPECT_TRUE(example) << method << " " << path << " has no response example";
    if (method == "post") {
      auto& media = paths[path][method]["requestBody"]["content"]["application/json"];
      EXPECT_TRUE(media.contains("example")) << path;
      EXPECT_TRUE(media.contains("schema")) << path;
    }
  }
  auto& answer =
      paths["/api/v1/checks/{id}/answer"]["post"]["requestBody"]["content"]["application/json"];
  EXPECT_FALSE(answer["example"]["partner_reference"].get<std::string>().empty());
  auto& ppn = paths["/api/v1/contacts"]["post"]["requestBody"]["content"]["application/json"]
                   ["examples"]["ppn"]["value"];
  EXPECT_EQ(ppn["source_code"], "6");
  EXPECT_FALSE(ppn["partner_reference"].get<std::string>().empty());
  EXPECT_FALSE(ppn["concerns"].get<std::string>().empty());
  // A media type has an example or examples, not both (OpenAPI 3.1).
  EXPECT_FALSE(
      paths["/api/v1/contacts"]["post"]["requestBody"]["content"]["application/json"].contains(
          "example"));
  // The example PPN is a contact the API accepts as it stands, from a police system.
  auto dc = api_client("dc");
  auto posted = dc.post_json("/api/v1/contacts", ppn);
  EXPECT_EQ(posted.status, 201) << posted.body;
  auto& decision = doc["components"]["schemas"]["Decision"]["properties"];
  EXPECT_TRUE(decision.contains("relied_on_checks"));
}

}  // namespace
}  // namespace frontdoor::testing
