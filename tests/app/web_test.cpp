// Integration tests: the server-rendered pages and their forms over HTTP,
// without JavaScript: validation keeps what was typed, hostile text is inert,
// and the partner's referral form reaches the MASH (after approval where the
// agency asks for it).
#include <gtest/gtest.h>

#include "app_test_fixture.hpp"

namespace frontdoor::testing {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

class WebTest : public AppFixture {
 protected:
  static bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
  }
  std::int64_t contacts() {
    std::int64_t n = -1;
    EXPECT_TRUE(app_->db()
                    .read([&](storage::Transaction& tx) -> Status {
                      FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM contacts"));
                      n = row->integer(0);
                      return ok_status();
                    })
                    .ok());
    return n;
  }
  Fields phone_contact(const std::string& csrf) {
    return {{"csrf_token", csrf},
            {"channel", "phone"},
            {"source_code", "2A"},
            {"received-day", "30"},
            {"received-month", "11"},
            {"received-year", "2026"},
            {"received_time", "09:05"},
            {"referrer_name", "Jo Health-Visitor"},
            {"referrer_role", "Health visitor"},
            {"referrer_phone", "01632 960111"},
            {"child1_given_name", "Amara"},
            {"child1_family_name", "Fieldtest"},
            {"child1_dob-day", "3"},
            {"child1_dob-month", "4"},
            {"child1_dob-year", "2025"},
            {"child1_sex", "2"},
            {"address_line", "4 Example Close"},
            {"postcode", "ZZ99 1AA"},
            {"concerns", "Baby seen with bruising to the cheek."},
            {"family_aware", "yes"},
            {"consent", "given"}};
  }
};

TEST_F(WebTest, SignInPageIsPublicAndEverythingElseAsksYouToSignIn) {
  HttpClient c(port_);
  auto sign_in = c.get("/sign-in");
  EXPECT_EQ(sign_in.status, 200);
  EXPECT_TRUE(contains(sign_in.body, "govuk-template"));
  EXPECT_FALSE(sign_in.header("content-security-policy").empty());
  for (const char* path : {"/", "/queue", "/people", "/referrals", "/contacts/1"}) {
    auto r = c.get(path);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(r.header("location").rfind("/sign-in", 0), 0U) << path;
  }
}

TEST_F(WebTest, InvalidContactFormShowsErrorsAndKeepsWhatWasTyped) {
  std::string csrf;
  auto c = browser("worker", &csrf);
  Fields fields = phone_contact(csrf);
  for (auto& [k, v] : fields) {
    if (k == "concerns") v = "";
    if (k == "child1_dob-month") v = "13";
  }
  auto r = c.post_form("/contacts", fields, {{"Origin", c.origin()}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "govuk-error-summary"));
  EXPECT_TRUE(contains(r.body, "Describe what you are worried about"));
  EXPECT_TRUE(contains(r.body, "href=\"#concerns\""));
  // What the user typed is still there.
  EXPECT_TRUE(contains(r.body, "value=\"Jo Health-Visitor\""));
  EXPECT_TRUE(contains(r.body, "value=\"Fieldtest\""));
  EXPECT_TRUE(contains(r.body, "value=\"13\""));
  EXPECT_EQ(contacts(), 0);
}

TEST_F(WebTest, RecordedContactOpensWithItsDeadlineAndHostileTextIsInert) {
  std::string csrf;
  auto c = browser("worker", &csrf);
  Fields fields = phone_contact(csrf);
  for (auto& [k, v] : fields) {
    if (k == "concerns") v = "<script>alert('x')</script> & \"quotes\"";
  }
  auto r = c.post_form("/contacts", fields, {{"Origin", c.origin()}});
  ASSERT_EQ(r.status, 303) << r.body;
  const auto location = r.header("location");
  ASSERT_EQ(location.rfind("/contacts/", 0), 0U);
  auto page = c.get(location);
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(contains(page.body, "<script>alert"));
  EXPECT_TRUE(contains(page.body, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  EXPECT_TRUE(contains(page.body, "Amara"));
  EXPECT_EQ(contacts(), 1);
}

TEST_F(WebTest, ForeignOriginFormPostIsRefusedAndChangesNothing) {
  std::string csrf;
  auto c = browser("worker", &csrf);
  auto r = c.post_form("/contacts", phone_contact(csrf), {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(contains(r.body, "Exception"));
  EXPECT_EQ(contacts(), 0);
}

class ApprovalWebTest : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    app::Agency a;
    a.code = "BTP";
    a.name = "Test Transport Police";
    a.kind = domain::AgencyKind::kPolice;
    a.requires_supervisor_approval = true;
    ASSERT_TRUE(app_->accounts().create_agency(a).ok());
    add_user("officer", "PC Officer", domain::Role::kPartnerReferrer, "BTP");
    add_user("sergeant", "Sgt Supervisor", domain::Role::kPartnerSupervisor, "BTP");
  }

  // Starts a draft as the officer and returns its path.
  std::string start_draft(HttpClient& c, const std::string& csrf) {
    auto started = c.post_form("/referrals/new", {{"csrf_token", csrf}}, {{"Origin", c.origin()}});
    EXPECT_EQ(started.status, 303);
    return started.header("location");
  }
  Fields referral(const std::string& csrf, const std::string& action) {
    return {{"csrf_token", csrf},
            {"action", action},
            {"referrer_role", "Response officer"},
            {"referrer_phone", "01632 960222"},
            {"child1_given_name", "Tomasz"},
            {"child1_family_name", "Draftly"},
            {"child1_dob-day", "1"},
            {"child1_dob-month", "2"},
            {"child1_dob-year", "2016"},
            {"address_line", "9 Example Way"},
            {"postcode", "ZZ99 2BB"},
            {"concerns", "Found alone at the station at 02:00."},
            {"family_aware", "no"},
            {"consent", "not_sought"}};
  }
};

TEST_F(ApprovalWebTest, DraftIsSavedAndTheSupervisorApprovesItIntoTheMash) {
  std::string csrf;
  auto officer = browser("officer", &csrf);
  const auto path = start_draft(officer, csrf);
  ASSERT_EQ(path.rfind("/referrals/", 0), 0U);
  auto form = officer.get(path);
  ASSERT_EQ(form.status, 200);
  // The council's threshold guidance sits beside the questions.
  EXPECT_TRUE(contains(form.body, "Level 4"));

  Fields draft = referral(csrf, "save");
  auto saved = officer.post_form(path, draft, {{"Origin", officer.origin()}});
  EXPECT_EQ(saved.status, 303) << saved.body;
  auto reopened = officer.get(path);
  EXPECT_TRUE(contains(reopened.body, "value=\"Draftly\""));
  EXPECT_EQ(contacts(), 0);

  auto sent = officer.post_form(path, referral(csrf, "submit"), {{"Origin", officer.origin()}});
  EXPECT_EQ(sent.status, 303) << sent.body;
  // Awaiting the supervisor: not yet with the MASH.
  EXPECT_EQ(contacts(), 0);

  std::string sergeant_csrf;
  auto sergeant = browser("sergeant", &sergeant_csrf);
  auto approvals = sergeant.get("/referrals/approvals");
  ASSERT_EQ(approvals.status, 200);
  EXPECT_TRUE(contains(approvals.body, "Draftly"));
  // Another agency's supervisor can neither see nor approve it.
  add_user("other_sergeant", "Sgt Elsewhere", domain::Role::kPartnerSupervisor, "POL");
  std::string other_csrf;
  auto other = browser("other_sergeant", &other_csrf);
  EXPECT_FALSE(contains(other.get("/referrals/approvals").body, "Draftly"));
  auto refused = other.post_form(path + "/approve", {{"csrf_token", other_csrf}},
                                 {{"Origin", other.origin()}});
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(contacts(), 0);
  auto approved = sergeant.post_form(path + "/approve", {{"csrf_token", sergeant_csrf}},
                                     {{"Origin", sergeant.origin()}});
  EXPECT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(contacts(), 1);

  auto worker = api_client("worker");
  auto queue = worker.get("/api/v1/queue").json();
  ASSERT_EQ(queue["items"].size(), 1U);
  EXPECT_EQ(queue["items"][0]["referrer_agency"], "Test Transport Police");
  auto contact = worker.get("/api/v1/contacts/" + queue["items"][0]["id"].dump()).json();
  EXPECT_EQ(contact["details"]["channel"], "referral_form");
  EXPECT_EQ(contact["details"]["source_code"], "6");  // police, from the agency's kind
}

}  // namespace
}  // namespace frontdoor::testing

namespace frontdoor::testing {
namespace {

TEST_F(WebTest, APartnerFollowsTheirReferralButNeverOpensTheMashRecord) {
  auto police_api = api_client("police");
  auto created = police_api.post_json(
      "/api/v1/contacts", {{"source_code", "6"},
                           {"children", {{{"given_name", "Nia"}, {"family_name", "Partnerview"}}}},
                           {"concerns", "Concern raised by the police."}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/contacts/" + created.json()["id"].dump();
  auto police = browser("police");
  auto refused = police.get(path);
  EXPECT_EQ(refused.status, 404);
  EXPECT_FALSE(contains(refused.body, "Partnerview"));
  auto referrals = police.get("/referrals");
  ASSERT_EQ(referrals.status, 200);
  EXPECT_TRUE(contains(referrals.body, "Nia Partnerview"));
  auto worker = browser("worker");
  EXPECT_EQ(worker.get(path).status, 200);
}

}  // namespace
}  // namespace frontdoor::testing

namespace frontdoor::testing {
namespace {

TEST_F(WebTest, QueueShowsFiftyAPageAndCountsEveryOverdueContact) {
  auto worker_api = api_client("worker");
  for (int i = 0; i < 55; ++i) {
    auto r = worker_api.post_json(
        "/api/v1/contacts",
        {{"source_code", "9"},
         {"referrer", {{"name", "Caller"}, {"phone", "01632 960333"}}},
         {"children", {{{"given_name", "Q" + std::to_string(i)}, {"family_name", "Pager"}}}},
         {"concerns", "Concern."}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  clock_->advance(std::chrono::hours{24 * 7});  // every provisional deadline has passed
  auto worker = browser("worker");
  auto first = worker.get("/queue");
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(contains(first.body, "55 contacts are past their decision deadline"));
  EXPECT_TRUE(contains(first.body, "page 1 of 2, 55 open"));
  EXPECT_TRUE(contains(first.body, "govuk-pagination"));
  EXPECT_TRUE(contains(first.body, "href=\"/queue?page=2\""));
  std::size_t rows = 0;
  for (auto at = first.body.find("MASH-0"); at != std::string::npos;
       at = first.body.find("MASH-0", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 50U);
  auto second = worker.get("/queue?page=2");
  EXPECT_TRUE(contains(second.body, "page 2 of 2, 55 open"));
  EXPECT_TRUE(contains(second.body, "MASH-000055"));
  EXPECT_FALSE(contains(second.body, "MASH-000001<"));
  // Out of range or nonsense goes to the nearest real page.
  EXPECT_TRUE(contains(worker.get("/queue?page=99").body, "page 2 of 2"));
  EXPECT_TRUE(contains(worker.get("/queue?page=x").body, "page 1 of 2"));
}

TEST_F(WebTest, OneSearchBoxFindsByPostcodeIdentifierOrName) {
  auto worker_api = api_client("worker");
  auto created = worker_api.post_json(
      "/api/v1/people", {{"kind", "child"},
                         {"given_name", "Imani"},
                         {"family_name", "Boxfinder"},
                         {"date_of_birth", "2016-02-29"},
                         {"nhs_number", "943 476 5919"},
                         {"address", {{"line", "3 Search Lane"}, {"postcode", "ZZ99 7QT"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto worker = browser("worker");
  for (const char* q : {"zz99%207qt", "ZZ997QT", "943%20476%205919", "Imani%20Boxfinder",
                        "Boxfinder", "2016-02-29"}) {
    auto page = worker.get(std::string("/people?q=") + q);
    ASSERT_EQ(page.status, 200) << q;
    EXPECT_TRUE(contains(page.body, "Imani Boxfinder")) << q;
  }
  EXPECT_EQ(app::People::query_from_text("ZZ99 7QT").postcode, "ZZ99 7QT");
  EXPECT_TRUE(app::People::query_from_text("ZZ99 7QT").name.empty());
  EXPECT_EQ(app::People::query_from_text("9434765919").identifier, "9434765919");
  EXPECT_EQ(app::People::query_from_text("Smith").name, "Smith");
}

}  // namespace
}  // namespace frontdoor::testing
