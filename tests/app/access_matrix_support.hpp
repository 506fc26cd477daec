#pragma once
// The machinery of the access-control matrix (access_matrix_test.cpp): the
// records each user stands in some relationship to, the request each route
// is sent, and the checks made on every cell. The expected outcomes are not
// here: they are the table in the test.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/application.hpp"
#include "http_test_client.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::testing::matrix {

using nlohmann::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

// What a route's {id} (or a list's entries) is about.
enum class Kind { kNone, kContact, kPerson, kForm, kCheck };
// How the signed-in user stands to that record (see the table's legend).
enum class Relation { kAny, kSubmitted, kColleague, kUnrelated, kRestricted, kAskedAbout };

inline const char* name(Relation r) {
  switch (r) {
    case Relation::kAny:
      return "no record";
    case Relation::kSubmitted:
      return "submitted it";
    case Relation::kColleague:
      return "a colleague submitted it";
    case Relation::kUnrelated:
      return "none";
    case Relation::kRestricted:
      return "restricted record";
    case Relation::kAskedAbout:
      return "a check addressed to their agency";
  }
  return "?";
}

// The relationships a user can have to each kind of record: every row about
// that kind gives an outcome for each.
inline std::vector<Relation> relations_of(Kind kind) {
  switch (kind) {
    case Kind::kNone:
      return {Relation::kAny};
    case Kind::kContact:
    case Kind::kForm:
      return {Relation::kSubmitted, Relation::kColleague, Relation::kUnrelated};
    case Kind::kPerson:
      return {Relation::kSubmitted, Relation::kUnrelated, Relation::kRestricted};
    case Kind::kCheck:
      return {Relation::kAskedAbout, Relation::kUnrelated};
  }
  return {};
}

using Expectations = std::vector<std::pair<Relation, std::string>>;

struct Row {
  const char* method;
  const char* pattern;
  Kind kind;
  bool audited_read;  // an allowed request reads a child's record: one audit entry
  Expectations expected;
};

// The same outcomes through the API: nobody signed in gets 401, not a redirect.
inline Expectations api(Expectations e) {
  for (auto& [relation, letters] : e) {
    if (!letters.empty() && letters[0] == 'S') letters[0] = 'U';
  }
  return e;
}

struct Session {
  HttpClient client;
  std::string csrf;  // empty: nobody signed in
};

struct Record {
  Kind kind = Kind::kNone;
  std::int64_t id = 0;
  // Who recorded or submitted it (or submitted the contact naming the
  // person); for a check, the code of the agency it is addressed to.
  std::string owner;
  std::string marker;  // a first name that appears on this record only
  std::string search;  // the family name, as a search would type it
  bool restricted = false;
  Fields answers;  // a referral form's saved answers

  std::string subject() const {
    const char* prefix = kind == Kind::kContact  ? "contact/"
                         : kind == Kind::kPerson ? "person/"
                         : kind == Kind::kCheck  ? "check/"
                                                 : "form/";
    return prefix + std::to_string(id);
  }
};

// One request.
struct Call {
  std::string method;
  std::string target;
  Fields form;
  std::optional<json> body;    // JSON instead of a form
  bool fresh_session = false;  // sign-in and sign-out: a session of its own
  bool sign_in_form = false;   // POST /sign-in: the sign-in form's token, not a session's
};

struct Tally {
  int routes = 0;
  int principals = 0;
  std::set<Relation> relations;
  int cells = 0;
  std::map<char, int> outcomes;
  int audited_reads = 0;
  int refusals_logged = 0;
  int pairs = 0;            // a refused record, then one that does not exist
  int identical_pairs = 0;  // ... answered identically

  std::string summary(const std::string& engine) const {
    std::string by;
    for (const auto& [letter, n] : outcomes) {
      by += (by.empty() ? "" : ", ") + std::string(1, letter) + " " + std::to_string(n);
    }
    return "access matrix (" + engine + "): " + std::to_string(routes) + " routes x " +
           std::to_string(principals) +
           " principals (nobody signed in and one user of each role) x " +
           std::to_string(relations.size()) + " relationships to the record\n" +
           "cells: " + std::to_string(cells) + " (" + by + ")\n" +
           "audited reads: " + std::to_string(audited_reads) +
           " (each wrote exactly one audit entry)\n" +
           "refusals logged: " + std::to_string(refusals_logged) +
           " (each wrote exactly one refusal entry)\n" +
           "refused record vs no such record: " + std::to_string(pairs) + " pairs, " +
           std::to_string(identical_pairs) + " answered identically (status and body)\n";
  }
};

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline std::int64_t last_audit_seq(app::Application& app) {
  std::int64_t seq = -1;
  EXPECT_TRUE(app.db()
                  .read([&](storage::Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto row,
                                        tx.query_one("SELECT COALESCE(MAX(seq), 0) FROM audit"));
                    seq = row->integer(0);
                    return ok_status();
                  })
                  .ok());
  return seq;
}

inline std::vector<storage::AuditEntry> audit_after(app::Application& app, std::int64_t seq) {
  std::vector<storage::AuditEntry> out;
  EXPECT_TRUE(app.db()
                  .read([&](storage::Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(out, storage::AuditLog::all(tx, seq, 100));
                    return ok_status();
                  })
                  .ok());
  return out;
}

// The users' sessions and the records they stand in relationships to, made
// through the same HTTP interface.
class World {
 public:
  World(unsigned short port, std::string password) : port_(port), password_(std::move(password)) {}

  std::map<std::string, std::string> agency;  // username -> agency code
  std::map<std::string, Session> sessions;    // "anonymous" and every user
  std::function<HttpClient(const std::string&, std::string*)> sign_in;
  std::vector<Record> records;
  static constexpr std::int64_t kAbsentId = 987654;

  void add_records() {
    // People first, so that "no relationship" picks the record nobody referred.
    add_person("Ottilie", "Ingleby", false);
    add_person("Zinnia", "Jessamy", true);
    add_contact("worker", "Wrenna", "Ashcombe");
    add_contact("edt", "Edwina", "Belltower");
    add_contact("manager", "Mirabel", "Coldharbour");
    add_contact("police", "Posy", "Dunmere");
    add_contact("police2", "Petronella", "Eastwick");
    add_contact("teacher", "Tamsin", "Fallowfield");
    add_referral_contact("nurse", "Nerissa", "Greystoke");
    add_referral_contact("head", "Honora", "Hartwell");
    // Children named in a contact, linked to person records by a worker.
    link_first_child("worker");
    link_first_child("police");
    add_form("police", "Fenella", "Kettlewell");
    add_form("police2", "Florimel", "Larkspur");
    add_form("teacher", "Felicity", "Marchbank");
    add_form("nurse", "Fern", "Netherby");
    add_form("head", "Faustina", "Oakridge");
  }

  Relation relation(const std::string& principal, const Record& r) const {
    if (r.kind == Kind::kCheck) {
      const auto mine = agency.find(principal);
      return mine != agency.end() && mine->second == r.owner ? Relation::kAskedAbout
                                                             : Relation::kUnrelated;
    }
    if (r.restricted) return Relation::kRestricted;
    if (r.owner == principal) return Relation::kSubmitted;
    const auto mine = agency.find(principal), theirs = agency.find(r.owner);
    if (mine != agency.end() && theirs != agency.end() && mine->second == theirs->second) {
      return Relation::kColleague;
    }
    return Relation::kUnrelated;
  }

  const Record* record_for(Kind kind, Relation relation, const std::string& principal) const {
    for (const auto& r : records) {
      if (r.kind == kind && this->relation(principal, r) == relation) return &r;
    }
    return nullptr;
  }

  // The request a cell sends: harmless, but far enough to meet every check
  // (a stale version, a blank reason: refused for the input or the state only
  // after the user was let through).
  static Call call_for(const Row& row, const Record* record, const std::string& id) {
    Call c;
    c.method = row.method;
    c.target = row.pattern;
    if (auto at = c.target.find("{id}"); at != std::string::npos) c.target.replace(at, 4, id);
    const std::string route = c.method + " " + row.pattern;
    const std::string tail = route.substr(route.rfind('/') + 1);
    const bool api = c.target.rfind("/api/", 0) == 0;
    const bool contact_action = contains(row.pattern, "/contacts/{id}/");
    if (route == "GET /assets/{path*}") {
      c.target = "/assets/application.css";
    } else if (row.kind == Kind::kPerson && c.method == "GET" && !contains(row.pattern, "{id}")) {
      c.target += "?q=" + HttpClient::encode(record->search);
    } else if (route == "POST /sign-in") {
      c.fresh_session = true;
      c.sign_in_form = true;
    } else if (route == "POST /sign-out") {
      c.fresh_session = true;
    } else if (contact_action && !api) {
      c.form = {{"version", "999"},
                {"child_index", "0"},
                {"person_id", "new"},
                {"rag", "red"},
                {"rationale", "Matrix check"},
                {"reason", "Matrix check"},
                {"case_direction", "Matrix check"}};
    } else if (contact_action) {
      c.body = json{{"version", 999},
                    {"child_index", 0},
                    {"rag", "red"},
                    {"rationale", "Matrix check"},
                    {"outcome", "no_further_action"},
                    {"level", 1},
                    {"indicators", json::array()},
                    {"next_steps", "None"},
                    {"reason", "Matrix check"},
                    {"case_direction", "Matrix check"}};
    } else if (route == "POST /api/v1/contacts") {
      c.body = json{{"source_code", "6"},
                    {"referrer", {{"name", "Matrix Referrer"}, {"phone", "01632 960000"}}},
                    {"children", {{{"given_name", "Quillon"}, {"family_name", "Matrixfill"}}}},
                    {"concerns", "A concern recorded by the access matrix."}};
    } else if (route == "POST /api/v1/people") {
      c.body = json::object();  // no name: refused as invalid after the role check
    } else if (tail == "corrections") {
      c.body = json{{"version", 999},
                    {"reason", "Matrix check"},
                    {"details", {{"kind", "child"}, {"given_name", "Matrix"}}}};
    } else if (tail == "moves") {
      c.body = json{{"version", 999}, {"line", "1 Matrix Row"}, {"postcode", "ZZ99 9ZZ"}};
    } else if (tail == "relationships") {
      // Related to themselves: refused as invalid once the record is allowed.
      c.body = json{{"kind", "sibling"}, {"person_id", std::stoll(id)}};
    } else if (tail == "restriction") {
      c.body = json{{"reason", ""}};
    } else if (route == "POST /referrals/{id}") {
      c.form = record->answers;
    } else if (route == "POST /referrals/{id}/return") {
      c.form = {{"reason", "Matrix check"}};
    } else if (route == "POST /admin/thresholds") {
      c.form = {{"definition", ""}, {"reason", ""}};
    }
    if (c.method == "POST" && api && !c.body) c.body = json::object();
    return c;
  }

  HttpReply send(Session& s, const Call& c) const {
    if (c.method == "GET") return s.client.get(c.target);
    std::map<std::string, std::string> headers{{"Origin", s.client.origin()}};
    if (c.body) {
      if (!s.csrf.empty()) headers["X-CSRF-Token"] = s.csrf;
      return s.client.post_json(c.target, *c.body, headers);
    }
    Fields fields = c.form;
    if (!s.csrf.empty()) fields.insert(fields.begin(), {"csrf_token", s.csrf});
    return s.client.post_form(c.target, fields, headers);
  }

  // POST /sign-in as `principal` (nobody signed in signs in as the worker),
  // from a client that has just loaded the sign-in form.
  HttpReply sign_in_again(Session& s, const std::string& principal) const {
    const auto token = HttpClient::csrf_token_in(s.client.get("/sign-in").body);
    return s.client.post_form("/sign-in",
                              {{"csrf_token", token},
                               {"username", principal == "anonymous" ? "worker" : principal},
                               {"password", password_}},
                              {{"Origin", s.client.origin()}});
  }

  Session fresh(const std::string& principal) const {
    if (principal == "anonymous") return Session{HttpClient(port_), ""};
    std::string csrf;
    auto client = sign_in(principal, &csrf);
    return Session{std::move(client), csrf};
  }

 private:
  HttpReply post(const std::string& user, const std::string& target, const json& body) {
    auto& s = sessions.at(user);
    return s.client.post_json(target, body,
                              {{"X-CSRF-Token", s.csrf}, {"Origin", s.client.origin()}});
  }
  HttpReply post_form(const std::string& user, const std::string& target, Fields fields) {
    auto& s = sessions.at(user);
    fields.insert(fields.begin(), {"csrf_token", s.csrf});
    return s.client.post_form(target, fields, {{"Origin", s.client.origin()}});
  }

  void add_person(const std::string& given, const std::string& family, bool restricted) {
    auto made = post("manager", "/api/v1/people",
                     {{"kind", "child"},
                      {"given_name", given},
                      {"family_name", family},
                      {"date_of_birth", "2016-04-02"}});
    ASSERT_EQ(made.status, 201) << made.body;
    Record r{
        Kind::kPerson, made.json()["id"].get<std::int64_t>(), "", given, family, restricted, {}};
    if (restricted) {
      auto done = post("manager", "/api/v1/people/" + std::to_string(r.id) + "/restriction",
                       {{"reason", "Family living in a refuge"}});
      ASSERT_EQ(done.status, 200) << done.body;
      ASSERT_EQ(done.json()["restricted"], true);
    }
    records.push_back(std::move(r));
  }

  void add_contact(const std::string& user, const std::string& given, const std::string& family) {
    auto made = post(user, "/api/v1/contacts",
                     {{"source_code", "6"},
                      {"referrer", {{"name", "Matrix Referrer"}, {"phone", "01632 960001"}}},
                      {"children", {{{"given_name", given}, {"family_name", family}}}},
                      {"concerns", "A concern about " + given + "."}});
    ASSERT_EQ(made.status, 201) << made.body;
    records.push_back(Record{
        Kind::kContact, made.json()["id"].get<std::int64_t>(), user, given, family, false, {}});
  }

  static Fields referral(const std::string& action, const std::string& given,
                         const std::string& family) {
    return {{"action", action},
            {"referrer_role", "Practitioner"},
            {"referrer_phone", "01632 960222"},
            {"child1_given_name", given},
            {"child1_family_name", family},
            {"child1_dob-day", "1"},
            {"child1_dob-month", "2"},
            {"child1_dob-year", "2016"},
            {"address_line", "9 Example Way"},
            {"postcode", "ZZ99 2BB"},
            {"concerns", "A concern about " + given + "."},
            {"family_aware", "no"},
            {"consent", "not_sought"}};
  }

  // Starts an e-MARF as `user`; returns its id.
  std::int64_t start_form(const std::string& user) {
    auto started = post_form(user, "/referrals/new", {});
    EXPECT_EQ(started.status, 303) << started.body;
    const std::string location = started.header("location");
    EXPECT_EQ(location.rfind("/referrals/", 0), 0U) << location;
    return std::stoll(location.substr(std::string("/referrals/").size()));
  }

  void add_form(const std::string& user, const std::string& given, const std::string& family) {
    const auto id = start_form(user);
    Fields answers = referral("save", given, family);
    auto saved = post_form(user, "/referrals/" + std::to_string(id), answers);
    ASSERT_EQ(saved.status, 303) << saved.body;
    records.push_back(Record{Kind::kForm, id, user, given, family, false, std::move(answers)});
  }

  // A contact that reached the MASH through the user's e-MARF.
  void add_referral_contact(const std::string& user, const std::string& given,
                            const std::string& family) {
    const auto form = start_form(user);
    auto sent =
        post_form(user, "/referrals/" + std::to_string(form), referral("submit", given, family));
    ASSERT_EQ(sent.status, 303) << sent.body;
    ASSERT_EQ(sent.header("location"), "/referrals?done=sent");
    const auto mine = sessions.at(user).client.get("/api/v1/referrals").json();
    for (const auto& item : mine["items"]) {
      if (item["children"].dump().find(given) == std::string::npos) continue;
      records.push_back(
          Record{Kind::kContact, item["id"].get<std::int64_t>(), user, given, family, false, {}});
      return;
    }
    FAIL() << user << "'s referral did not reach the MASH: " << mine.dump();
  }

  // The worker links the first child of `user`'s contact to a new person record.
  void link_first_child(const std::string& user) {
    const Record* contact = nullptr;
    for (const auto& r : records) {
      if (r.kind == Kind::kContact && r.owner == user) contact = &r;
    }
    ASSERT_NE(contact, nullptr);
    const std::string base = "/api/v1/contacts/" + std::to_string(contact->id);
    auto read = sessions.at("worker").client.get(base);
    ASSERT_EQ(read.status, 200) << read.body;
    auto linked =
        post("worker", base + "/links", {{"version", read.json()["version"]}, {"child_index", 0}});
    ASSERT_EQ(linked.status, 200) << linked.body;
    const auto person = linked.json()["details"]["children"][0]["person_id"].get<std::int64_t>();
    records.push_back(
        Record{Kind::kPerson, person, user, contact->marker, contact->search, false, {}});
  }

  unsigned short port_;
  std::string password_;
};

}  // namespace frontdoor::testing::matrix
