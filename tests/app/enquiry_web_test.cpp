// Integration tests: the MASH enquiry (issue #3) through the server-rendered
// pages and their forms, over HTTP, without JavaScript: consent recorded and
// overridden, checks asked of partner agencies and found in their own queue,
// what a partner sees of a check (only what the MASH shared, and nothing of
// another agency's), answers and health sub-requests, the decision held back
// while checks are out unless a manager records why it cannot wait, the
// overdue checks on the MASH queue, and the partnership's figures.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "app_test_fixture.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::testing {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;
using nlohmann::json;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The hidden version of the form that posts to `action` on a page.
std::string form_version(const std::string& body, const std::string& action) {
  const auto form = body.find("action=\"" + action + "\"");
  if (form == std::string::npos) return "";
  const std::string marker = "name=\"version\" value=\"";
  auto at = body.find(marker, form);
  if (at == std::string::npos) return "";
  at += marker.size();
  return body.substr(at, body.find('"', at) - at);
}

// The text of each data cell of the table row whose header cell is `header`.
std::vector<std::string> row_cells(const std::string& body, const std::string& header) {
  const auto start = body.find(">" + header + "</th>");
  if (start == std::string::npos) return {};
  const std::string row = body.substr(start, body.find("</tr>", start) - start);
  std::vector<std::string> cells;
  static const std::regex cell("<td[^>]*>([\\s\\S]*?)</td>");
  static const std::regex tags("<[^>]*>");
  for (std::sregex_iterator it(row.begin(), row.end(), cell), end; it != end; ++it) {
    std::string text = std::regex_replace((*it)[1].str(), tags, "");
    text.erase(0, text.find_first_not_of(" \n"));
    text.erase(text.find_last_not_of(" \n") + 1);
    cells.push_back(text);
  }
  return cells;
}

// The value beside `key` in a GOV.UK summary list.
std::string summary_value(const std::string& body, const std::string& key) {
  const std::regex pair(">\\s*" + key + "\\s*</dt>\\s*<dd[^>]*>\\s*([\\s\\S]*?)\\s*</dd>");
  std::smatch m;
  if (!std::regex_search(body, m, pair)) return "";
  return m[1].str();
}

class EnquiryWebTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    add_user("dc", "DC Patel", domain::Role::kPartnerPractitioner, "POL");
    add_user("sgt", "Sgt Lead", domain::Role::kPartnerSupervisor, "POL");
    add_user("liz", "Liz Education", domain::Role::kPartnerPractitioner, "SCH");
  }

  static HttpReply post(HttpClient& c, const std::string& path, Fields fields,
                        const std::string& csrf) {
    fields.emplace_back("csrf_token", csrf);
    return c.post_form(path, fields, {{"Origin", c.origin()}});
  }

  // A contact about Ruby and her mother's partner, Dean, received through
  // the API on Monday 09:30, Ruby linked to a new person record and the
  // contact screened amber (checks due in 6 hours). Returns its id.
  std::int64_t screened_contact() {
    auto worker = api_client("worker");
    auto created = worker.post_json(
        "/api/v1/contacts",
        {{"source_code", "6"},
         {"referrer",
          {{"name", "DC 2291 Patel"},
           {"role", "Public protection unit"},
           {"phone", "01632 960444"}}},
         {"children",
          {{{"given_name", "Ruby"}, {"family_name", "Webcheck"}, {"date_of_birth", "2017-05-14"}}}},
         {"adults",
          {{{"given_name", "Dean"},
            {"family_name", "Hartley"},
            {"relationship", "mother's partner"}}}},
         {"address_line", "12 Synthetic Road"},
         {"postcode", "ZZ99 3AB"},
         {"concerns", "Shouting heard through the wall; the neighbour fears for Ruby."},
         {"family_aware", "yes"},
         {"consent", "not_sought"}});
    EXPECT_EQ(created.status, 201) << created.body;
    const auto id = created.json()["id"].get<std::int64_t>();
    const std::string base = "/api/v1/contacts/" + std::to_string(id);
    auto contact = worker.get(base).json();
    auto linked =
        worker.post_json(base + "/links", {{"version", contact["version"]}, {"child_index", 0}});
    EXPECT_EQ(linked.status, 200) << linked.body;
    auto screened = worker.post_json(base + "/screening", {{"version", linked.json()["version"]},
                                                           {"rag", "amber"},
                                                           {"rationale", "Noise and fear."}});
    EXPECT_EQ(screened.status, 200) << screened.body;
    return id;
  }

  std::int64_t ruby_person_id(std::int64_t contact) {
    auto worker = api_client("worker");
    auto c = worker.get("/api/v1/contacts/" + std::to_string(contact)).json();
    return c["details"]["children"][0]["person_id"].get<std::int64_t>();
  }

  // Consent given for Ruby by her mother, through the form.
  void consent_given(std::int64_t contact) {
    std::string csrf;
    auto worker = browser("worker", &csrf);
    const std::string path = "/contacts/" + std::to_string(contact);
    const auto version = form_version(worker.get(path).body, path + "/consent");
    auto r = post(
        worker, path + "/consent",
        {{"child_index", "0"}, {"decision", "given"}, {"given_by", "Mother"}, {"version", version}},
        csrf);
    ASSERT_EQ(r.status, 303) << r.body;
  }

  // Asks an agency about Ruby (and Dean, if `with_adult`), sharing `shared`.
  std::string request_check(std::int64_t contact, const std::string& agency_code, bool with_adult,
                            const std::vector<std::string>& shared = {}) {
    std::string csrf;
    auto worker = browser("worker", &csrf);
    Fields f{{"agency_id", std::to_string(agency_id(agency_code))},
             {"people", "child:0"},
             {"question", "Anything known about the household in the last year?"}};
    if (with_adult) f.emplace_back("people", "adult:0");
    for (const auto& s : shared) f.emplace_back("shared", s);
    auto r = post(worker, "/contacts/" + std::to_string(contact) + "/checks", f, csrf);
    EXPECT_EQ(r.status, 303) << r.body;
    return r.header("location");
  }

  std::vector<storage::AuditEntry> audit_of(const std::string& subject) {
    std::vector<storage::AuditEntry> out;
    auto read = app_->db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(out, storage::AuditLog::for_subject(tx, subject));
      return ok_status();
    });
    EXPECT_TRUE(read.ok());
    return out;
  }
};

TEST_F(EnquiryWebTest, ConsentIsRecordedAndOverriddenThroughTheForms) {
  const auto id = screened_contact();
  const std::string path = "/contacts/" + std::to_string(id);
  std::string csrf;
  auto worker = browser("worker", &csrf);
  auto page = worker.get(path);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Consent to checks"));
  EXPECT_TRUE(contains(page.body, "Nothing recorded yet"));
  // A worker records consent; only a manager may agree checks without it.
  EXPECT_TRUE(contains(page.body, "action=\"" + path + "/consent\""));
  EXPECT_FALSE(contains(page.body, "action=\"" + path + "/consent-override\""));
  const auto version = form_version(page.body, path + "/consent");
  ASSERT_EQ(version, "0");
  // The page's view of the contact is audited once; its enquiry adds no entry.
  const auto views = audit_of("contact/" + std::to_string(id)).size();
  ASSERT_EQ(worker.get(path).status, 200);
  EXPECT_EQ(audit_of("contact/" + std::to_string(id)).size(), views + 1);
  EXPECT_TRUE(audit_of("enquiry/" + std::to_string(id)).empty());

  // Checks cannot be asked for yet: the error says what to record.
  auto refused = post(worker, path + "/checks",
                      {{"agency_id", std::to_string(agency_id("POL"))},
                       {"people", "child:0"},
                       {"question", "Anything known?"}},
                      csrf);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(contains(refused.body, "Consent for Ruby Webcheck"));
  EXPECT_TRUE(contains(refused.body, "href=\"#consent\""));
  EXPECT_TRUE(contains(refused.body, "id=\"consent\""));
  EXPECT_TRUE(contains(refused.body, "Anything known?"));  // what was typed is kept

  // No decision chosen: the error points at this child's radios, and the
  // form keeps what was typed.
  auto missing = post(worker, path + "/consent",
                      {{"child_index", "0"}, {"given_by", "Aunt Bea"}, {"version", version}}, csrf);
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(contains(missing.body, "govuk-error-summary"));
  EXPECT_TRUE(contains(missing.body, "Select what happened about consent"));
  EXPECT_TRUE(contains(missing.body, "href=\"#consent-1-decision\""));
  EXPECT_TRUE(contains(missing.body, "id=\"consent-1-decision\""));
  EXPECT_TRUE(contains(missing.body, "value=\"Aunt Bea\""));

  auto recorded = post(worker, path + "/consent",
                       {{"child_index", "0"},
                        {"decision", "refused"},
                        {"given_by", "Mother"},
                        {"notes", "Mother said no one is to be asked."},
                        {"version", version}},
                       csrf);
  ASSERT_EQ(recorded.status, 303) << recorded.body;
  EXPECT_EQ(recorded.header("location"), path + "?done=consent");
  page = worker.get(recorded.header("location"));
  EXPECT_TRUE(contains(page.body, "Consent recorded"));
  EXPECT_TRUE(contains(page.body, "Refused"));
  EXPECT_TRUE(contains(page.body, "Mother said no one is to be asked."));
  EXPECT_TRUE(contains(page.body, "Cannot go ahead until consent is given"));
  // A stale version is a conflict, shown on the page.
  auto stale = post(worker, path + "/consent",
                    {{"child_index", "0"}, {"decision", "sought"}, {"version", version}}, csrf);
  EXPECT_EQ(stale.status, 409);
  EXPECT_TRUE(contains(stale.body, "Someone else recorded consent"));

  // The worker cannot override; the manager can, with a basis and a reason.
  EXPECT_EQ(
      post(worker, path + "/consent-override",
           {{"child_index", "0"}, {"basis", "risk_of_harm"}, {"reason", "x"}, {"version", "1"}},
           csrf)
          .status,
      403);
  std::string mcsrf;
  auto manager = browser("manager", &mcsrf);
  page = manager.get(path);
  ASSERT_TRUE(contains(page.body, "action=\"" + path + "/consent-override\""));
  const auto override_version = form_version(page.body, path + "/consent-override");
  EXPECT_EQ(override_version, "1");
  auto incomplete = post(manager, path + "/consent-override",
                         {{"child_index", "0"}, {"version", override_version}}, mcsrf);
  EXPECT_EQ(incomplete.status, 400);
  EXPECT_TRUE(contains(incomplete.body, "Select the lawful basis"));
  EXPECT_TRUE(contains(incomplete.body, "href=\"#override-1-basis\""));
  EXPECT_TRUE(contains(incomplete.body, "href=\"#override-1-reason\""));
  auto overridden = post(manager, path + "/consent-override",
                         {{"child_index", "0"},
                          {"basis", "risk_of_harm"},
                          {"reason", "Asking again would warn the mother's partner."},
                          {"version", override_version}},
                         mcsrf);
  ASSERT_EQ(overridden.status, 303) << overridden.body;
  page = worker.get(path);
  EXPECT_TRUE(
      contains(page.body, "Seeking consent would place the child at risk of significant harm"));
  EXPECT_TRUE(contains(page.body, "Asking again would warn the mother&#39;s partner."));
  EXPECT_TRUE(contains(page.body, "Maya Manager"));
  EXPECT_TRUE(contains(page.body, "Can go ahead"));

  // Now a check can be asked for.
  EXPECT_EQ(request_check(id, "POL", false), path + "?done=check-requested");
}

TEST_F(EnquiryWebTest, APartnerFindsTheCheckInTheirQueueAndSeesOnlyWhatWasShared) {
  const auto id = screened_contact();
  consent_given(id);
  // The address is shared; the concerns are not.
  request_check(id, "POL", true, {"address"});

  auto dc = browser("dc");
  auto queue = dc.get("/checks");
  ASSERT_EQ(queue.status, 200);
  EXPECT_TRUE(contains(queue.body, "Checks for Test Constabulary"));
  EXPECT_TRUE(contains(queue.body, "href=\"/checks/1\""));
  EXPECT_TRUE(contains(queue.body, "CHK-000001"));
  EXPECT_TRUE(contains(queue.body, "2 people"));
  // Requested Monday 09:30, amber: due 6 hours later, shown in London time.
  EXPECT_TRUE(contains(queue.body, "Mon 30 Nov 2026, 3:30pm"));
  EXPECT_FALSE(contains(queue.body, "govuk-tag--red"));
  // The partner's navigation has their queue.
  EXPECT_TRUE(contains(queue.body, "href=\"/checks\""));

  const auto before = audit_of("check/1").size();
  auto check = dc.get("/checks/1");
  ASSERT_EQ(check.status, 200);
  EXPECT_EQ(audit_of("check/1").size(), before + 1);  // every view is logged, once
  EXPECT_TRUE(contains(check.body, "Ruby Webcheck"));
  EXPECT_TRUE(contains(check.body, "Dean Hartley"));
  EXPECT_TRUE(contains(check.body, "14 May 2017"));
  EXPECT_TRUE(contains(check.body, "Anything known about the household"));
  EXPECT_FALSE(contains(check.body, "Shouting heard through the wall"));
  EXPECT_FALSE(contains(check.body, "DC 2291 Patel"));  // the referrer was not shared
  // Not the MASH's record: no link to the contact page.
  EXPECT_FALSE(contains(check.body, "href=\"/contacts/"));
  EXPECT_TRUE(contains(check.body, "href=\"#answer\""));
  EXPECT_TRUE(contains(check.body, "action=\"/checks/1/answer\""));
  // Police are not health: no sub-requests.
  EXPECT_FALSE(contains(check.body, "action=\"/checks/1/sub-requests\""));

  // The agency's lead sees the same queue.
  auto sgt = browser("sgt");
  EXPECT_TRUE(contains(sgt.get("/checks").body, "CHK-000001"));

  // Another agency: the check is not there, exactly as one that does not exist.
  auto liz = browser("liz");
  EXPECT_FALSE(contains(liz.get("/checks").body, "CHK-000001"));
  auto other = liz.get("/checks/1");
  auto absent = liz.get("/checks/999");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(absent.status, 404);
  EXPECT_EQ(other.body, absent.body);
  EXPECT_FALSE(contains(other.body, "Ruby"));
  const auto refusals = audit_of("check/1");
  ASSERT_FALSE(refusals.empty());
  EXPECT_EQ(refusals.front().outcome, storage::AuditOutcome::kRefused);  // the latest first
  EXPECT_EQ(refusals.front().actor.username, "liz");

  // The MASH has no agency queue, but sees everything of the check.
  auto worker = browser("worker");
  EXPECT_EQ(worker.get("/checks").status, 403);
  auto mash_view = worker.get("/checks/1");
  ASSERT_EQ(mash_view.status, 200);
  EXPECT_TRUE(contains(mash_view.body, "Besides the people to check:"));
  EXPECT_TRUE(contains(mash_view.body, "<li>The children\u2019s address</li>"));
  EXPECT_FALSE(contains(mash_view.body, "<li>The concerns</li>"));
  EXPECT_TRUE(contains(mash_view.body, "href=\"/contacts/" + std::to_string(id) + "\""));

  // On the contact page: the check, when it is due, and a withdraw form.
  auto page = worker.get("/contacts/" + std::to_string(id));
  EXPECT_TRUE(contains(page.body, "Test Constabulary"));
  EXPECT_TRUE(contains(page.body, "Awaiting answer"));
  EXPECT_TRUE(contains(page.body, "Mon 30 Nov 2026, 3:30pm"));
  EXPECT_TRUE(contains(page.body, "action=\"/checks/1/withdraw\""));

  // Past its due time the check is overdue: red in the agency's queue, and
  // escalated on the MASH queue with a link to the contact.
  clock_->advance(std::chrono::hours{7});
  auto dc_later = browser("dc");  // a new session: the first has timed out
  queue = dc_later.get("/checks");
  EXPECT_TRUE(contains(queue.body, "govuk-tag--red"));
  EXPECT_TRUE(contains(queue.body, "1 check is overdue"));
  auto worker_later = browser("worker");
  auto mash_queue = worker_later.get("/queue");
  ASSERT_EQ(mash_queue.status, 200);
  EXPECT_TRUE(contains(mash_queue.body, "Overdue checks"));
  EXPECT_TRUE(contains(mash_queue.body, "1 partner agency check is overdue"));
  EXPECT_TRUE(contains(mash_queue.body, "CHK-000001 to Test Constabulary"));
  EXPECT_TRUE(contains(mash_queue.body, "href=\"/contacts/" + std::to_string(id) + "\""));
}

TEST_F(EnquiryWebTest, TheMashSharesTheConcernsWhenItChooses) {
  const auto id = screened_contact();
  consent_given(id);
  request_check(id, "POL", false, {"concerns", "referrer"});
  auto check = browser("dc").get("/checks/1");
  ASSERT_EQ(check.status, 200);
  EXPECT_TRUE(contains(check.body, "Shouting heard through the wall"));
  EXPECT_TRUE(contains(check.body, "DC 2291 Patel"));
}

TEST_F(EnquiryWebTest, AWithdrawnCheckNeedsAReason) {
  const auto id = screened_contact();
  consent_given(id);
  request_check(id, "POL", false);
  std::string csrf;
  auto worker = browser("worker", &csrf);
  const std::string path = "/contacts/" + std::to_string(id);
  const auto version = form_version(worker.get(path).body, "/checks/1/withdraw");
  ASSERT_FALSE(version.empty());
  auto missing = post(worker, "/checks/1/withdraw",
                      {{"version", version}, {"contact_id", std::to_string(id)}}, csrf);
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(contains(missing.body, "Enter why the check is no longer needed"));
  EXPECT_TRUE(contains(missing.body, "href=\"#withdraw-1-reason\""));
  EXPECT_TRUE(contains(missing.body, "id=\"withdraw-1-reason\""));
  auto withdrawn = post(worker, "/checks/1/withdraw",
                        {{"version", version},
                         {"contact_id", std::to_string(id)},
                         {"reason", "Asked the wrong force."}},
                        csrf);
  ASSERT_EQ(withdrawn.status, 303) << withdrawn.body;
  EXPECT_EQ(withdrawn.header("location"), path + "?done=check-withdrawn");
  auto page = worker.get(withdrawn.header("location"));
  EXPECT_TRUE(contains(page.body, "Check withdrawn"));
  EXPECT_TRUE(contains(page.body, "govuk-tag--grey\">\n  Withdrawn"));
  EXPECT_FALSE(contains(page.body, "action=\"/checks/1/withdraw\""));
}

TEST_F(EnquiryWebTest, AnswersSideBySideAndTheDecisionWaitsForChecksOrTheManager) {
  const auto id = screened_contact();
  const std::string path = "/contacts/" + std::to_string(id);
  consent_given(id);
  request_check(id, "POL", true);   // check 1
  request_check(id, "SCH", false);  // check 2

  // The police practitioner answers for both people.
  std::string dcsrf;
  auto dc = browser("dc", &dcsrf);
  auto form = dc.get("/checks/1");
  ASSERT_EQ(form.status, 200);
  const auto version = form_version(form.body, "/checks/1/answer");
  ASSERT_EQ(version, "1");
  // The people are offered in the order of the form's person fields.
  const auto ruby_at = form.body.find("Does your agency hold information about Ruby Webcheck?");
  const auto dean_at = form.body.find("Does your agency hold information about Dean Hartley?");
  ASSERT_NE(ruby_at, std::string::npos);
  ASSERT_NE(dean_at, std::string::npos);
  ASSERT_LT(ruby_at, dean_at);
  const auto ruby = std::to_string(ruby_person_id(id));
  std::string dean;
  {
    const std::string marker = "name=\"person2_id\" value=\"";
    const auto at = form.body.find(marker) + marker.size();
    dean = form.body.substr(at, form.body.find('"', at) - at);
  }
  Fields answer{{"version", version},
                {"person1_id", ruby},
                {"person1_summary", "Two call-outs to the address in 2026."},
                {"person1_source_system", "Niche"},
                {"person1_source_reference", "PND-0042"},
                {"person2_id", dean},
                {"person2_known", "yes"},
                {"person2_summary", ""}};
  // Nothing chosen for Ruby, and Dean known with nothing said: both errors,
  // each naming the person, and what was typed is kept.
  auto wrong = post(dc, "/checks/1/answer", answer, dcsrf);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(
      contains(wrong.body, "Select yes if your agency holds information about Ruby Webcheck"));
  EXPECT_TRUE(contains(wrong.body, "href=\"#person1_known\""));
  EXPECT_TRUE(contains(wrong.body, "value=\"PND-0042\""));
  answer.emplace_back("person1_known", "yes");
  wrong = post(dc, "/checks/1/answer", answer, dcsrf);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(contains(wrong.body, "Enter what is held about Dean Hartley"));
  EXPECT_TRUE(contains(wrong.body, "href=\"#person2_summary\""));
  for (auto& [k, v] : answer) {
    if (k == "person2_known") v = "no";
  }
  auto answered = post(dc, "/checks/1/answer", answer, dcsrf);
  ASSERT_EQ(answered.status, 303) << answered.body;
  EXPECT_EQ(answered.header("location"), "/checks/1?done=answered");
  auto after = dc.get("/checks/1?done=answered");
  EXPECT_TRUE(contains(after.body, "Answer sent to the MASH"));
  EXPECT_TRUE(contains(after.body, "Two call-outs to the address in 2026."));
  EXPECT_FALSE(contains(after.body, "action=\"/checks/1/answer\""));

  // The MASH sees every agency's answer side by side, per person.
  std::string csrf;
  auto worker = browser("worker", &csrf);
  auto page = worker.get(path);
  EXPECT_TRUE(contains(page.body, "What each agency said, side by side"));
  const auto ruby_row = row_cells(page.body, "Ruby Webcheck");
  ASSERT_EQ(ruby_row.size(), 2U) << page.body;
  EXPECT_TRUE(contains(ruby_row[0], "Two call-outs to the address in 2026."));
  EXPECT_TRUE(contains(ruby_row[0], "Niche, reference PND-0042"));
  EXPECT_EQ(ruby_row[1], "Awaiting answer");
  const auto dean_row = row_cells(page.body, "Dean Hartley");
  ASSERT_EQ(dean_row.size(), 2U);
  EXPECT_EQ(dean_row[0], "Not known to the agency");
  EXPECT_EQ(dean_row[1], "Not asked");
  // Education has not answered: the decision waits, and the page says so.
  EXPECT_TRUE(contains(page.body, "1 check is still outstanding"));
  EXPECT_TRUE(contains(page.body, "name=\"relied_on_checks\" type=\"checkbox\" value=\"1\""));
  EXPECT_FALSE(contains(page.body, "name=\"relied_on_checks\" type=\"checkbox\" value=\"2\""));
  EXPECT_FALSE(contains(page.body, "action=\"" + path + "/early-decision\""));  // managers only

  const auto contact_version = form_version(page.body, path + "/decision");
  Fields decision{{"outcome", "strategy_discussion"},
                  {"level", "4"},
                  {"indicators", "4.1"},
                  {"rationale", "Police know of repeated call-outs."},
                  {"next_steps", "Strategy discussion today."},
                  {"relied_on_checks", "1"},
                  {"version", contact_version}};
  auto held = post(worker, path + "/decision", decision, csrf);
  EXPECT_EQ(held.status, 409);
  // On the contact page, with the reason, not a generic error page.
  EXPECT_TRUE(contains(held.body, "govuk-error-summary"));
  EXPECT_TRUE(contains(held.body, "1 check is still outstanding"));
  EXPECT_TRUE(contains(held.body, "Contact MASH-"));
  EXPECT_TRUE(contains(held.body, "Police know of repeated call-outs."));

  // Only a manager may record why the decision cannot wait, with a reason.
  EXPECT_EQ(post(worker, path + "/early-decision",
                 {{"early_reason", "x"}, {"version", contact_version}}, csrf)
                .status,
            403);
  std::string mcsrf;
  auto manager = browser("manager", &mcsrf);
  auto mpage = manager.get(path);
  ASSERT_TRUE(contains(mpage.body, "action=\"" + path + "/early-decision\""));
  auto no_reason = post(manager, path + "/early-decision", {{"version", contact_version}}, mcsrf);
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_TRUE(contains(no_reason.body, "href=\"#early_reason\""));
  auto allowed = post(manager, path + "/early-decision",
                      {{"early_reason", "The school is closed until Monday; Ruby is at risk now."},
                       {"version", contact_version}},
                      mcsrf);
  ASSERT_EQ(allowed.status, 303) << allowed.body;
  page = worker.get(path);
  EXPECT_TRUE(contains(page.body, "The school is closed until Monday"));
  EXPECT_FALSE(contains(page.body, "still outstanding"));

  // The decision may rely only on answered checks.
  const auto new_version = form_version(page.body, path + "/decision");
  for (auto& [k, v] : decision) {
    if (k == "version") v = new_version;
    if (k == "relied_on_checks") v = "2";
  }
  auto unanswered = post(worker, path + "/decision", decision, csrf);
  EXPECT_EQ(unanswered.status, 400);
  EXPECT_TRUE(contains(unanswered.body, "Select only checks this contact has had answered"));
  for (auto& [k, v] : decision) {
    if (k == "relied_on_checks") v = "1";
  }
  auto decided = post(worker, path + "/decision", decision, csrf);
  ASSERT_EQ(decided.status, 303) << decided.body;
  page = worker.get(path);
  EXPECT_TRUE(contains(page.body, "Information relied on"));
  EXPECT_TRUE(contains(page.body, "href=\"/checks/1\">CHK-000001</a> Test Constabulary"));
  auto api = api_client("worker");
  EXPECT_EQ(
      api.get("/api/v1/contacts/" + std::to_string(id)).json()["decision"]["relied_on_checks"],
      json::array({1}));
}

TEST_F(EnquiryWebTest, AHealthPractitionerAsksTheGp) {
  const auto id = screened_contact();
  consent_given(id);
  request_check(id, "NHS", false);  // check 1
  std::string csrf;
  auto nurse = browser("nurse", &csrf);
  auto check = nurse.get("/checks/1");
  ASSERT_EQ(check.status, 200);
  ASSERT_TRUE(contains(check.body, "action=\"/checks/1/sub-requests\""));
  EXPECT_TRUE(contains(check.body, ">Mental health services</option>"));
  const auto ruby = std::to_string(ruby_person_id(id));

  auto unknown =
      post(nurse, "/checks/1/sub-requests",
           {{"service", "Dentist"}, {"people", ruby}, {"question", "Registered?"}}, csrf);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(contains(unknown.body, "Choose the health service to ask"));
  EXPECT_TRUE(contains(unknown.body, ">Registered?</textarea>"));

  auto asked =
      post(nurse, "/checks/1/sub-requests",
           {{"service", "GP"}, {"people", ruby}, {"question", "Any missed appointments?"}}, csrf);
  ASSERT_EQ(asked.status, 303) << asked.body;
  EXPECT_EQ(asked.header("location"), "/checks/1?done=sub-request");
  check = nurse.get("/checks/1");
  EXPECT_TRUE(contains(check.body, "Sub-requests to health services"));
  EXPECT_TRUE(contains(check.body, "href=\"/checks/2\""));
  // The GP request is tracked as a check of its own, in the agency's queue.
  auto queue = nurse.get("/checks");
  EXPECT_TRUE(contains(queue.body, "CHK-000002"));
  EXPECT_TRUE(contains(queue.body, "GP: 1 person"));
  auto gp = nurse.get("/checks/2");
  ASSERT_EQ(gp.status, 200);
  EXPECT_TRUE(contains(gp.body, "Any missed appointments?"));
  EXPECT_TRUE(contains(gp.body, "the health check CHK-000001"));
  EXPECT_FALSE(contains(gp.body, "action=\"/checks/2/sub-requests\""));  // no sub-sub-requests
  // The MASH sees it on the contact too.
  auto page = browser("worker").get("/contacts/" + std::to_string(id));
  EXPECT_TRUE(contains(page.body, "GP (Test NHS Trust)"));
}

TEST_F(EnquiryWebTest, ThePartnershipPageShowsFiguresFromTheEvents) {
  const auto id = screened_contact();
  consent_given(id);
  request_check(id, "POL", false);  // check 1, Monday 09:30, due 15:30
  request_check(id, "SCH", false);  // check 2, the same
  // Police answer 45 minutes later.
  clock_->advance(std::chrono::minutes{45});
  std::string dcsrf;
  auto dc = browser("dc", &dcsrf);
  const auto version = form_version(dc.get("/checks/1").body, "/checks/1/answer");
  ASSERT_EQ(post(dc, "/checks/1/answer",
                 {{"version", version},
                  {"person1_id", std::to_string(ruby_person_id(id))},
                  {"person1_known", "no"}},
                 dcsrf)
                .status,
            303);
  // Education is late: at 16:30 it is an hour overdue.
  clock_->advance(std::chrono::minutes{6 * 60 + 15});

  EXPECT_EQ(browser("worker").get("/partnership").status, 403);
  auto manager = browser("manager");
  auto page = manager.get("/partnership");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "href=\"/partnership\""));  // the manager's navigation
  // Requested, answered, on time, median, 90th percentile, overdue now.
  const auto police = row_cells(page.body, "Test Constabulary");
  ASSERT_EQ(police.size(), 6U) << page.body;
  EXPECT_EQ(police[0], "1");
  EXPECT_EQ(police[1], "1");
  EXPECT_EQ(police[2], "1 (100%)");
  EXPECT_EQ(police[3], "45 minutes");
  EXPECT_EQ(police[4], "45 minutes");
  EXPECT_EQ(police[5], "0");
  const auto school = row_cells(page.body, "Test Academy");
  ASSERT_EQ(school.size(), 6U);
  EXPECT_EQ(school[0], "1");
  EXPECT_EQ(school[1], "0");
  EXPECT_EQ(school[2], "0");
  EXPECT_EQ(school[3], "\u2013");
  EXPECT_TRUE(contains(school[5], "Overdue"));
  EXPECT_TRUE(contains(school[5], "1"));
  // The contact: one check still open, so not all in.
  auto contact = row_cells(page.body, "MASH-000001</a>");
  ASSERT_EQ(contact.size(), 1U);
  EXPECT_EQ(contact[0], "1");
  EXPECT_TRUE(
      contains(page.body, "1 contact had checks asked in this period; 0 have every answer in."));
  // Consent for the children of these contacts: Ruby's was given.
  EXPECT_EQ(summary_value(page.body, "Given"), "1");
  EXPECT_EQ(summary_value(page.body, "Refused or withdrawn"), "0");

  // Education answers at 17:00: everything was in 7 hours 30 minutes after receipt.
  clock_->advance(std::chrono::minutes{30});
  auto manager_later = browser("manager");
  std::string lcsrf;
  auto liz = browser("liz", &lcsrf);
  const auto lv = form_version(liz.get("/checks/2").body, "/checks/2/answer");
  ASSERT_EQ(post(liz, "/checks/2/answer",
                 {{"version", lv},
                  {"person1_id", std::to_string(ruby_person_id(id))},
                  {"person1_known", "yes"},
                  {"person1_summary", "Attendance 71% this term."}},
                 lcsrf)
                .status,
            303);
  page = manager_later.get("/partnership?days=7");
  EXPECT_TRUE(contains(page.body, "aria-current=\"page\" href=\"/partnership?days=7\""));
  // All in: no longer waiting, and among the slowest.
  contact = row_cells(page.body, "MASH-000001</a>");
  ASSERT_EQ(contact.size(), 1U);
  EXPECT_EQ(contact[0], "7 hours 30 minutes");
  EXPECT_FALSE(contains(page.body, "Contacts still waiting for checks"));
  EXPECT_TRUE(contains(page.body,
                       "1 contact had checks asked in this period; 1 have every answer in. From "
                       "receipt to the last answer: median 7 hours 30 minutes, 90th percentile 7 "
                       "hours 30 minutes."));
  const auto school_after = row_cells(page.body, "Test Academy");
  ASSERT_EQ(school_after.size(), 6U);
  EXPECT_EQ(school_after[1], "1");
  EXPECT_EQ(school_after[2], "0 (0%)");
  EXPECT_EQ(school_after[3], "7 hours 30 minutes");
  EXPECT_EQ(school_after[5], "0");
}

}  // namespace
}  // namespace frontdoor::testing
