// Integration tests: the JSON API and the gate, driven over HTTP against a
// real server on port 0, a real SQLite store and a real SMTP listener.
#include <gtest/gtest.h>

#include <set>

#include "app/openapi.hpp"
#include "app_test_fixture.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::testing {
namespace {

using nlohmann::json;

json two_siblings(const std::string& reference = "") {
  json body{{"source_code", "6"},
            {"referrer",
             {{"name", "PC 4410 Jones"}, {"role", "Response officer"}, {"phone", "01632 960001"}}},
            {"children", json::array({{{"given_name", "Ruby"},
                                       {"family_name", "Testwell"},
                                       {"date_of_birth", "2017-05-14"},
                                       {"sex", "2"}},
                                      {{"given_name", "Leo"},
                                       {"family_name", "Testwell"},
                                       {"date_of_birth", "2020-01-09"},
                                       {"sex", "1"}}})},
            {"address_line", "12 Synthetic Road"},
            {"postcode", "ZZ99 3AB"},
            {"concerns", "Police called to a domestic incident at 01:40; both children present."},
            {"child_views", "Ruby said she hid in her room with Leo."},
            {"family_aware", "yes"},
            {"consent", "not_sought"}};
  if (!reference.empty()) body["partner_reference"] = reference;
  return body;
}

std::int64_t count_rows(app::Application& app, const std::string& table) {
  std::int64_t n = -1;
  auto st = app.db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM " + table));
    n = row ? row->integer(0) : 0;
    return ok_status();
  });
  EXPECT_TRUE(st.ok());
  return n;
}

class ApiTest : public AppFixture {};

TEST_F(ApiTest, HealthAndOpenApiArePublic) {
  HttpClient c(port_);
  auto health = c.get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["status"], "ok");
  auto doc = c.get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.json()["openapi"], "3.1.0");
}

TEST_F(ApiTest, EveryApiRouteIsInTheOpenApiDocument) {
  const auto& doc = app::openapi_document();
  std::set<std::string> documented;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string upper = method;
      for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(upper + " " + path);
    }
  }
  int api_routes = 0;
  for (const auto& route : app_->gate().routes()) {
    if (route.pattern.rfind("/api/", 0) != 0 && route.pattern != "/healthz") continue;
    ++api_routes;
    EXPECT_EQ(documented.count(route.method + " " + route.pattern), 1U)
        << route.method << " " << route.pattern << " is not in the OpenAPI document";
  }
  EXPECT_GE(api_routes, 10);
}

TEST_F(ApiTest, WithoutCredentialsTheApiAnswers401) {
  HttpClient c(port_);
  auto r = c.get("/api/v1/queue");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["error"]["code"], "unauthenticated");
  HttpClient forged(port_);
  forged.set_default_header("Authorization", "Bearer fdt_not-a-real-token");
  EXPECT_EQ(forged.get("/api/v1/queue").status, 401);
}

// The whole path over the API: a partner system posts, the MASH screens and
// decides, a manager sends it back once and signs it off, the referrer hears.
TEST_F(ApiTest, ContactFromPartnerSystemToSignedOffOutcomeAndEmail) {
  auto police = api_client("police");
  auto worker = api_client("worker");
  auto manager = api_client("manager");

  auto created = police.post_json("/api/v1/contacts", two_siblings("PPN-1"));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = created.json()["id"].get<std::int64_t>();
  EXPECT_EQ(created.header("location"), "/api/v1/contacts/" + std::to_string(id));
  // The referrer's view carries progress, never the MASH's working.
  EXPECT_EQ(created.json()["status"], "with_the_mash");
  EXPECT_FALSE(created.json().contains("details"));

  auto queue = worker.get("/api/v1/queue");
  ASSERT_EQ(queue.status, 200);
  bool queued = false;
  const auto queue_items = queue.json()["items"];
  for (const auto& item : queue_items) queued |= item["id"] == id;
  EXPECT_TRUE(queued) << queue.body;

  auto contact = worker.get("/api/v1/contacts/" + std::to_string(id)).json();
  EXPECT_EQ(contact["status"], "awaiting_screening");
  EXPECT_EQ(contact["details"]["referrer"]["agency_name"], "Test Constabulary");
  EXPECT_EQ(contact["details"]["channel"], "api");
  auto version = contact["version"].get<std::int64_t>();
  const std::string base = "/api/v1/contacts/" + std::to_string(id);

  for (int child = 0; child < 2; ++child) {
    auto linked = worker.post_json(base + "/links", {{"version", version}, {"child_index", child}});
    ASSERT_EQ(linked.status, 200) << linked.body;
    version = linked.json()["version"];
    EXPECT_TRUE(linked.json()["details"]["children"][child]["person_id"].is_number_integer());
  }

  auto screened = worker.post_json(
      base + "/screening",
      {{"version", version}, {"rag", "red"}, {"rationale", "Young children at a DA incident"}});
  ASSERT_EQ(screened.status, 200) << screened.body;
  // Received Monday 09:30; red is 4 working hours: due 13:30 the same day.
  EXPECT_EQ(screened.json()["screening"]["decision_due_at"], "2026-11-30T13:30:00.000Z");
  EXPECT_EQ(screened.json()["status"], "awaiting_decision");
  version = screened.json()["version"];

  const json decision{{"outcome", "strategy_discussion"},
                      {"level", 4},
                      {"indicators", {"4.1"}},
                      {"rationale", "Repeat incidents; the younger child is under five."},
                      {"next_steps", "Strategy discussion with police and health today."}};
  json d = decision;
  d["version"] = version;
  auto decided = worker.post_json(base + "/decision", d);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json()["status"], "awaiting_sign_off");
  version = decided.json()["version"];

  // A worker cannot sign off; a manager sends it back once.
  EXPECT_EQ(
      worker.post_json(base + "/sign-off", {{"version", version}, {"case_direction", "x"}}).status,
      403);
  auto sent_back = manager.post_json(
      base + "/send-back", {{"version", version}, {"reason", "Add the school's view first."}});
  ASSERT_EQ(sent_back.status, 200) << sent_back.body;
  EXPECT_EQ(sent_back.json()["status"], "awaiting_decision");
  version = sent_back.json()["version"];

  d["version"] = version;
  d["rationale"] = "Repeat incidents; school reports Ruby withdrawn. Younger child under five.";
  auto again = worker.post_json(base + "/decision", d);
  ASSERT_EQ(again.status, 200) << again.body;
  version = again.json()["version"];

  auto signed_off = manager.post_json(
      base + "/sign-off",
      {{"version", version}, {"case_direction", "Strategy discussion by 4pm; allocate to Sam."}});
  ASSERT_EQ(signed_off.status, 200) << signed_off.body;
  EXPECT_EQ(signed_off.json()["status"], "completed");
  EXPECT_FALSE(signed_off.json()["closed_at"].is_null());

  // The outbox is delivered over real SMTP, and the delivery is recorded.
  auto delivered = app_->notifier().deliver_pending();
  ASSERT_TRUE(delivered.ok()) << delivered.error().message;
  EXPECT_EQ(*delivered, 1);
  ASSERT_TRUE(smtp_->wait_for(1, std::chrono::seconds{5}));
  const auto mail = smtp_->messages().front();
  ASSERT_EQ(mail.rcpt_to.size(), 1U);
  EXPECT_EQ(mail.rcpt_to.front(), "police@pol.test");
  EXPECT_NE(mail.body().find(created.json()["reference"].get<std::string>()), std::string::npos);
  // What may be shared: the outcome, not the MASH's rationale.
  EXPECT_EQ(mail.body().find("school reports Ruby withdrawn"), std::string::npos);

  auto seen = police.get(base).json();
  EXPECT_EQ(seen["status"], "completed");
  EXPECT_EQ(seen["outcome"], "strategy_discussion");
  EXPECT_FALSE(seen["outcome_message"].get<std::string>().empty());
  EXPECT_FALSE(seen.contains("decision"));
  auto mine = police.get("/api/v1/referrals").json();
  ASSERT_EQ(mine["items"].size(), 1U);
  EXPECT_EQ(mine["items"][0]["outcome"], "strategy_discussion");

  // The child's chronology: every step, in order, with who did it.
  const auto person = signed_off.json()["details"]["children"][0]["person_id"].get<std::int64_t>();
  auto chronology = worker.get("/api/v1/people/" + std::to_string(person) + "/chronology");
  ASSERT_EQ(chronology.status, 200);
  std::vector<std::string> types;
  std::vector<std::string> by;
  const auto entries = chronology.json()["items"];
  for (const auto& e : entries) {
    if (e["record"].get<std::string>().rfind("contact", 0) != 0) continue;
    types.push_back(e["type"]);
    by.push_back(e["by"]);
  }
  const std::vector<std::string> expected{
      "ContactReceived",  "ChildLinkedToPerson", "ChildLinkedToPerson", "ContactScreened",
      "DecisionRecorded", "DecisionSentBack",    "DecisionRecorded",    "DecisionSignedOff",
      "ContactClosed",    "ReferrerNotified",    "ReferrerNotified"};
  EXPECT_EQ(types, expected) << chronology.body;
  ASSERT_EQ(by.size(), expected.size());
  EXPECT_EQ(by.front(), "PC Jones");
  EXPECT_EQ(by[3], "Sam Worker");
  EXPECT_EQ(by[5], "Maya Manager");
  // Told in Frontdoor (the partner user) and by e-mail.
  EXPECT_NE(entries.back()["summary"].get<std::string>().find("e-mail"), std::string::npos);
}

TEST_F(ApiTest, BadInputGetsFieldMessagesAndChangesNothing) {
  auto worker = api_client("worker");
  const auto events_before = count_rows(*app_, "events");

  auto not_json = worker.request("POST", "/api/v1/contacts", "{not json", "application/json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.json()["error"]["code"], "validation");

  json missing = two_siblings();
  missing.erase("concerns");
  missing["children"] = json::array();
  missing["source_code"] = "99";
  auto invalid = worker.post_json("/api/v1/contacts", missing);
  ASSERT_EQ(invalid.status, 400) << invalid.body;
  std::set<std::string> fields;
  const auto field_errors = invalid.json()["error"]["fields"];
  for (const auto& f : field_errors) fields.insert(f["field"]);
  EXPECT_EQ(fields.count("concerns"), 1U) << invalid.body;
  EXPECT_EQ(fields.count("source_code"), 1U) << invalid.body;

  json bad_date = two_siblings();
  bad_date["children"][0]["date_of_birth"] = "2017-02-30";
  EXPECT_EQ(worker.post_json("/api/v1/contacts", bad_date).status, 400);
  EXPECT_EQ(count_rows(*app_, "events"), events_before);
  EXPECT_EQ(count_rows(*app_, "contacts"), 0);

  // An action on a stale version is refused and changes nothing.
  auto created = worker.post_json("/api/v1/contacts", two_siblings());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string base = "/api/v1/contacts/" + created.json()["id"].dump();
  const auto version = created.json()["version"].get<std::int64_t>();
  const auto after_create = count_rows(*app_, "events");
  auto stale = worker.post_json(base + "/screening",
                                {{"version", version + 5}, {"rag", "amber"}, {"rationale", "x"}});
  EXPECT_EQ(stale.status, 409);
  auto bad_rag = worker.post_json(base + "/screening",
                                  {{"version", version}, {"rag", "purple"}, {"rationale", "x"}});
  EXPECT_EQ(bad_rag.status, 400);
  EXPECT_EQ(bad_rag.json()["error"]["fields"][0]["field"], "rag");
  auto no_version = worker.post_json(base + "/screening", {{"rag", "amber"}});
  EXPECT_EQ(no_version.status, 400);
  // Seen through the API fuzz target (tests/fuzz/corpus/api_json/regression-*):
  // a child_index that is not a whole number was a 500, and an id sent as
  // 1e300 was cast to an integer (undefined behaviour). Both are now a 400.
  for (const json& index : {json("0"), json(-1), json(0.5), json(nullptr)}) {
    auto bad_index =
        worker.post_json(base + "/links", {{"version", version}, {"child_index", index}});
    EXPECT_EQ(bad_index.status, 400) << index.dump() << " " << bad_index.body;
    EXPECT_EQ(bad_index.json()["error"]["fields"][0]["field"], "child_index") << bad_index.body;
  }
  json float_agency = two_siblings();
  float_agency["referrer"]["agency_id"] = 1e300;
  EXPECT_EQ(worker.post_json("/api/v1/contacts", float_agency).status, 400);
  EXPECT_EQ(count_rows(*app_, "events"), after_create);
}

TEST_F(ApiTest, NoSignOffBeforeADecisionAndNoDecisionBeforeScreening) {
  auto worker = api_client("worker");
  auto manager = api_client("manager");
  auto created = worker.post_json("/api/v1/contacts", two_siblings());
  ASSERT_EQ(created.status, 201);
  const std::string base = "/api/v1/contacts/" + created.json()["id"].dump();
  const auto v = created.json()["version"].get<std::int64_t>();
  auto early = manager.post_json(base + "/sign-off", {{"version", v}, {"case_direction", "Close"}});
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.json()["error"]["code"], "invalid_transition");
  auto decide = worker.post_json(base + "/decision", {{"version", v},
                                                      {"outcome", "no_further_action"},
                                                      {"level", 1},
                                                      {"indicators", {"1.1"}},
                                                      {"rationale", "r"},
                                                      {"next_steps", "n"}});
  EXPECT_EQ(decide.status, 409) << decide.body;
  auto state = worker.get(base).json();
  EXPECT_TRUE(state["closed_at"].is_null());
  EXPECT_EQ(state["status"], "awaiting_screening");
}

TEST_F(ApiTest, PartnerSeesOnlyWhatTheySubmitted) {
  auto police = api_client("police");
  auto colleague = api_client("police2");
  auto teacher = api_client("teacher");
  auto created = police.post_json("/api/v1/contacts", two_siblings());
  ASSERT_EQ(created.status, 201);
  const std::string path = "/api/v1/contacts/" + created.json()["id"].dump();
  EXPECT_EQ(police.get(path).status, 200);
  // Someone else's contact and a contact that does not exist look the same.
  auto other = teacher.get(path);
  auto missing = teacher.get("/api/v1/contacts/999999");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(other.body, missing.body);
  EXPECT_EQ(colleague.get(path).status, 404);
  // Partners have no queue, no person search and no MASH actions.
  EXPECT_EQ(police.get("/api/v1/queue").status, 403);
  EXPECT_EQ(police.get("/api/v1/people?q=Testwell").status, 403);
  EXPECT_EQ(police.post_json(path + "/screening", {{"version", 1}, {"rag", "green"}}).status, 403);
  EXPECT_EQ(teacher.get("/api/v1/referrals").json()["items"].size(), 0U);
  // The refusal was logged.
  bool refused_logged = false;
  auto st = app_->db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(
        auto entries, storage::AuditLog::for_subject(tx, "contact/" + created.json()["id"].dump()));
    for (const auto& e : entries) {
      refused_logged |=
          e.outcome == storage::AuditOutcome::kRefused && e.actor.username == "teacher";
    }
    return ok_status();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(refused_logged);
}

TEST_F(ApiTest, PartnerReferenceIsRecordedOnce) {
  auto police = api_client("police");
  auto first = police.post_json("/api/v1/contacts", two_siblings("PPN-77"));
  auto second = police.post_json("/api/v1/contacts", two_siblings("PPN-77"));
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  EXPECT_EQ(first.json()["id"], second.json()["id"]);
  EXPECT_EQ(count_rows(*app_, "contacts"), 1);
}

TEST_F(ApiTest, EveryViewOfAChildIsAuditedAndAnAdministratorCanListThem) {
  auto worker = api_client("worker");
  auto created = worker.post_json("/api/v1/people", {{"kind", "child"},
                                                     {"given_name", "Mia"},
                                                     {"family_name", "Auditson"},
                                                     {"date_of_birth", "2019-07-01"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = created.json()["id"].dump();
  auto audited = [&] {
    std::vector<storage::AuditEntry> out;
    auto st = app_->db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(out, storage::AuditLog::for_subject(tx, "person/" + id));
      return ok_status();
    });
    EXPECT_TRUE(st.ok());
    return out;
  };
  const auto before = audited().size();
  ASSERT_EQ(worker.get("/api/v1/people/" + id).status, 200);
  auto after = audited();
  ASSERT_EQ(after.size(), before + 1);
  EXPECT_EQ(after.back().actor.username, "worker");
  EXPECT_EQ(after.back().action, "view");
  EXPECT_FALSE(after.back().basis.empty());

  // A partner is refused, and that is logged too.
  auto police = api_client("police");
  EXPECT_EQ(police.get("/api/v1/people/" + id).status, 403);
  bool refusal_logged = false;
  ASSERT_TRUE(app_->db()
                  .read([&](storage::Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto all, storage::AuditLog::all(tx, 0, 1000));
                    for (const auto& e : all) {
                      refusal_logged |= e.outcome == storage::AuditOutcome::kRefused &&
                                        e.actor.username == "police" &&
                                        e.subject == "GET /api/v1/people/" + id;
                    }
                    return ok_status();
                  })
                  .ok());
  EXPECT_TRUE(refusal_logged);

  auto admin = browser("admin");
  auto page = admin.get("/people/" + id + "/viewers");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Sam Worker"), std::string::npos);
  auto worker_browser = browser("worker");
  EXPECT_EQ(worker_browser.get("/people/" + id + "/viewers").status, 403);
}

// The session, CSRF and sign-in tests are in sessions_test.cpp (the sessions battery).

}  // namespace
}  // namespace frontdoor::testing

namespace frontdoor::testing {
namespace {

class PeopleApiTest : public AppFixture {
 protected:
  std::int64_t create(HttpClient& c, const nlohmann::json& body) {
    auto r = c.post_json("/api/v1/people", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<std::int64_t>();
  }
};

TEST_F(PeopleApiTest, HouseholdsAddressesOverTimeAndCorrectionsWithReasons) {
  auto worker = api_client("worker");
  const auto mother =
      create(worker, {{"kind", "adult"}, {"given_name", "Kasia"}, {"family_name", "Homefield"}});
  const auto child =
      create(worker, {{"kind", "child"},
                      {"given_name", "Zofia"},
                      {"family_name", "Homefield"},
                      {"date_of_birth", "2018-06-02"},
                      {"nhs_number", "943 476 5919"},
                      {"address", {{"line", "1 Old Road"}, {"postcode", "zz991aa"}}}});
  const std::string base = "/api/v1/people/" + std::to_string(child);

  auto related =
      worker.post_json(base + "/relationships", {{"person_id", mother}, {"kind", "parent"}});
  ASSERT_EQ(related.status, 200) << related.body;
  auto again =
      worker.post_json(base + "/relationships", {{"person_id", mother}, {"kind", "parent"}});
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(
      worker.post_json(base + "/relationships", {{"person_id", mother}, {"kind", "aunt"}}).status,
      400);
  // The household is seen from both sides.
  auto mother_view = worker.get("/api/v1/people/" + std::to_string(mother)).json();
  ASSERT_EQ(mother_view["household"].size(), 1U);
  EXPECT_EQ(mother_view["household"][0]["id"], child);
  EXPECT_EQ(mother_view["household"][0]["relationship"], "Child");

  auto view = worker.get(base).json();
  auto moved = worker.post_json(base + "/moves", {{"version", view["version"]},
                                                  {"line", "7 New Street"},
                                                  {"postcode", "ZZ99 4CD"},
                                                  {"from", "2026-11-01"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json()["details"]["address"]["postcode"], "ZZ99 4CD");
  ASSERT_EQ(moved.json()["previous_addresses"].size(), 1U);
  EXPECT_EQ(moved.json()["previous_addresses"][0]["postcode"], "ZZ99 1AA");

  nlohmann::json corrected = moved.json()["details"];
  corrected["date_of_birth"] = "2018-06-03";
  auto no_reason = worker.post_json(base + "/corrections",
                                    {{"version", moved.json()["version"]}, {"details", corrected}});
  EXPECT_EQ(no_reason.status, 400);
  auto bad_nhs = corrected;
  bad_nhs["nhs_number"] = "9434765918";  // fails the modulus-11 check
  EXPECT_EQ(worker
                .post_json(base + "/corrections", {{"version", moved.json()["version"]},
                                                   {"details", bad_nhs},
                                                   {"reason", "typo"}})
                .status,
            400);
  auto fixed = worker.post_json(base + "/corrections",
                                {{"version", moved.json()["version"]},
                                 {"details", corrected},
                                 {"reason", "Date of birth confirmed with the school"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(fixed.json()["details"]["date_of_birth"], "2018-06-03");

  // The new details are searchable at once; the history keeps who and why.
  auto hits = worker.get("/api/v1/people?q=Zofia%20Homefeild&date_of_birth=2018-06-03").json();
  ASSERT_FALSE(hits["items"].empty());
  EXPECT_EQ(hits["items"][0]["id"], child);
  auto chronology = worker.get(base + "/chronology").json()["items"];
  bool reason_kept = false;
  for (const auto& e : chronology) {
    reason_kept |= e["type"] == "PersonDetailsCorrected" &&
                   e["reason"] == "Date of birth confirmed with the school" &&
                   e["by"] == "Sam Worker";
  }
  EXPECT_TRUE(reason_kept) << chronology.dump();
  // A partner cannot change a person record.
  auto police = api_client("police");
  EXPECT_EQ(
      police.post_json(base + "/relationships", {{"person_id", mother}, {"kind", "carer"}}).status,
      403);
}

}  // namespace
}  // namespace frontdoor::testing
