// The demo council at an exact size (DemoOptions::people, ::contacts), as the
// benchmarks make it: exactly that many people and contacts, in the store
// through the real services, with every family's children named on contacts.
// And the enquiries on its recent contacts: consent, checks and decisions in
// step.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "app/demo.hpp"
#include "app/enquiries.hpp"
#include "app/records.hpp"
#include "app_test_fixture.hpp"
#include "domain/london_time.hpp"

namespace frontdoor::testing {
namespace {

std::int64_t count(app::Application& app, const std::string& sql) {
  std::int64_t n = -1;
  auto read = app.db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one(sql));
    n = row->integer(0);
    return ok_status();
  });
  EXPECT_TRUE(read.ok());
  return n;
}

TEST(Demo, ExactSizesMakeExactlyThatManyPeopleAndContacts) {
  const auto dir = make_temp_dir("frontdoor-demo-test-");
  ManualClock clock(monday_morning());
  app::Config config;
  config.data_dir = dir;
  auto opened = app::Application::open(config, clock);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& app = **opened;

  app::DemoOptions options;
  options.people = 37;  // not a whole number of families, most likely
  options.contacts = 23;
  options.weeks_of_contacts = 2;
  options.create_users = false;
  auto summary = app::generate_demo(app, options);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->people, 37);
  EXPECT_EQ(summary->contacts, 23);
  EXPECT_EQ(count(app, "SELECT COUNT(*) FROM persons"), 37);
  EXPECT_EQ(count(app, "SELECT COUNT(*) FROM contacts"), 23);
  EXPECT_EQ(count(app, "SELECT COUNT(DISTINCT stream) FROM events WHERE stream LIKE 'person/%'"),
            37);
  // Every contact names at least one child, and none was received in the future.
  EXPECT_EQ(count(app, "SELECT COUNT(*) FROM contacts WHERE children = '[]'"), 0);
  EXPECT_EQ(count(app, "SELECT COUNT(*) FROM contacts WHERE received_at > '" +
                           format_utc(clock.now()) + "'"),
            0);
  // The index of people for search holds them all.
  EXPECT_EQ(app.people().index_size(), 37u);

  // A second run refuses: the store is no longer empty.
  EXPECT_FALSE(app::generate_demo(app, options).ok());
  opened->reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

// The demo council's recent contacts carry the MASH enquiry (issue #3):
// consent for each child, partner agencies' checks answered and open (some
// overdue), and no contact decided while a check was open unless a manager
// agreed it could not wait.
TEST(Demo, RecentContactsCarryConsentAndChecksInStepWithTheirDecisions) {
  const auto dir = make_temp_dir("frontdoor-demo-test-");
  // A Thursday afternoon: the week's contacts in every state.
  using namespace std::chrono;
  ManualClock clock(domain::from_london(sys_days{year{2026} / December / 3}, hours{15}));
  app::Config config;
  config.data_dir = dir;
  config.passwords = app::PasswordParams{1, 8192, 1};  // fast hashing for tests
  auto opened = app::Application::open(config, clock);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& app = **opened;

  app::DemoOptions options;
  options.families = 80;
  options.weeks_of_contacts = 6;  // two weeks before the enquiry window, too
  options.contacts_per_working_day = 12;
  auto summary = app::generate_demo(app, options);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  const std::string now = format_utc(clock.now());
  const std::string window = format_utc(clock.now() - std::chrono::hours{24 * 28});

  // Checks, answered and open, some overdue, from police, health and
  // education (and probation and housing now and then), with GP sub-requests.
  EXPECT_EQ(count(app, "SELECT COUNT(*) FROM checks"), summary->checks);
  EXPECT_EQ(count(app, "SELECT COUNT(*) FROM checks WHERE status = 'requested'"),
            summary->checks_open);
  EXPECT_GT(count(app, "SELECT COUNT(*) FROM checks WHERE status = 'answered'"), 200);
  EXPECT_GT(summary->checks_open, 0);
  EXPECT_GT(count(app, "SELECT COUNT(*) FROM checks WHERE status = 'requested' AND due_at < '" +
                           now + "'"),
            0);
  EXPECT_GT(count(app,
                  "SELECT COUNT(*) FROM checks WHERE status = 'answered' AND answered_at > "
                  "due_at"),
            0);
  for (const char* kind : {"police", "health", "education", "probation", "housing"}) {
    EXPECT_GT(count(app, std::string("SELECT COUNT(*) FROM checks k JOIN agencies a ON a.id = "
                                     "k.agency_id WHERE a.kind = '") +
                             kind + "'"),
              0)
        << kind;
  }
  EXPECT_GT(count(app,
                  "SELECT COUNT(*) FROM checks WHERE parent_check_id IS NOT NULL AND "
                  "service = 'GP'"),
            0);
  // Only recent contacts, and none answered in the future.
  EXPECT_EQ(count(app,
                  "SELECT COUNT(*) FROM checks k JOIN contacts c ON c.id = k.contact_id "
                  "WHERE c.received_at < '" +
                      window + "'"),
            0);
  EXPECT_EQ(count(app, "SELECT COUNT(*) FROM checks WHERE answered_at > '" + now + "'"), 0);
  // Each answer by a practitioner of the agency asked.
  EXPECT_EQ(count(app,
                  "SELECT COUNT(*) FROM events e JOIN checks k ON e.stream = 'check/' || "
                  "k.id WHERE e.type = 'CheckAnswered' AND (e.actor_agency_id <> k.agency_id "
                  "OR e.actor_role <> 'partner_practitioner')"),
            0);

  // Consent for each child of a contact with checks: mostly given, some
  // refused or not sought with the manager's override.
  EXPECT_EQ(count(app,
                  "SELECT COUNT(*) FROM checks k WHERE NOT EXISTS (SELECT 1 FROM consent n "
                  "WHERE n.contact_id = k.contact_id)"),
            0);
  const auto given = count(app, "SELECT COUNT(*) FROM consent WHERE decision = 'given'");
  const auto overridden =
      count(app, "SELECT COUNT(*) FROM consent WHERE override_basis IS NOT NULL");
  EXPECT_GT(overridden, 0);
  EXPECT_GT(given, 3 * overridden);
  EXPECT_GT(count(app, "SELECT COUNT(*) FROM consent WHERE decision = 'refused'"), 0);
  EXPECT_GT(count(app, "SELECT COUNT(*) FROM consent WHERE decision = 'not_sought'"), 0);

  // Every decided contact: no check open at its decision unless the manager
  // agreed, before it, that the decision could not wait for that one; and
  // it relied only on checks answered by then.
  int decided_with_checks = 0;
  int early = 0;
  int relying = 0;
  auto read = app.db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto contacts,
                        tx.query("SELECT DISTINCT contact_id FROM checks ORDER BY contact_id"));
    for (const auto& row : contacts) {
      FD_ASSIGN_OR_RETURN(auto contact, app::load_contact(tx, row.integer(0)));
      if (!contact.decision) continue;
      ++decided_with_checks;
      const Instant decided = contact.decision->proposed_at;
      if (contact.early_decision) {
        ++early;
        EXPECT_LT(contact.early_decision->at, decided) << contact.reference;
      }
      if (!contact.decision->relied_on_checks.empty()) ++relying;
      FD_ASSIGN_OR_RETURN(auto checks, tx.query("SELECT id, requested_at, answered_at FROM "
                                                "checks WHERE contact_id = ?",
                                                {contact.id}));
      for (const auto& c : checks) {
        const auto id = c.integer(0);
        const auto requested = parse_utc(c.text(1)).value();
        const auto answered = c.opt_text(2) ? parse_utc(*c.opt_text(2)) : std::nullopt;
        EXPECT_LT(requested, decided) << contact.reference;
        const bool in = answered && *answered <= decided;
        const auto& relied = contact.decision->relied_on_checks;
        if (std::find(relied.begin(), relied.end(), id) != relied.end()) {
          EXPECT_TRUE(in) << contact.reference << " relied on check " << id;
        }
        if (in) continue;
        EXPECT_TRUE(contact.early_decision.has_value())
            << contact.reference << ": check " << id << " open at the decision";
        if (!contact.early_decision) continue;
        const auto& allowed = contact.early_decision->open_checks;
        EXPECT_NE(std::find(allowed.begin(), allowed.end(), id), allowed.end())
            << contact.reference << ": check " << id;
      }
    }
    return ok_status();
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_GT(decided_with_checks, 50);
  EXPECT_GT(early, 0);
  EXPECT_GT(relying, decided_with_checks / 2);

  // What the manager's Partnership page and the agencies' queues read.
  auto principal = [&](const std::string& username) {
    auto user = app.accounts().user_by_username(username);
    EXPECT_TRUE(user.ok()) << username;
    return app::Principal{user.value(), "", ""};
  };
  auto figures =
      app.enquiries().figures(principal("maya.manager"), clock.now() - std::chrono::hours{24 * 28});
  ASSERT_TRUE(figures.ok()) << figures.error().message;
  EXPECT_GE(figures->agencies.size(), 3u);
  int answered_on_time = 0;
  int overdue_now = 0;
  for (const auto& a : figures->agencies) {
    answered_on_time += a.figures.answered_on_time;
    overdue_now += a.figures.overdue_now;
    EXPECT_TRUE(a.figures.answered == 0 || a.figures.median.has_value()) << a.name;
  }
  EXPECT_GT(answered_on_time, 0);
  EXPECT_GT(overdue_now, 0);
  EXPECT_GT(figures->consent_given, 0);
  EXPECT_GT(figures->consent_overridden, 0);
  std::size_t open_in_queues = 0;
  for (const char* username : {"hana.health", "dc.mash", "liz.education"}) {
    auto queue = app.enquiries().agency_queue(principal(username));
    ASSERT_TRUE(queue.ok()) << username;
    EXPECT_TRUE(std::any_of(queue->begin(), queue->end(), [](const app::CheckLine& l) {
      return l.status == domain::CheckStatus::kAnswered;
    })) << username;
    open_in_queues += std::count_if(queue->begin(), queue->end(), [](const app::CheckLine& l) {
      return l.status == domain::CheckStatus::kRequested;
    });
  }
  EXPECT_GT(open_in_queues, 0u);
  auto overdue = app.enquiries().overdue(principal("sam.worker"));
  ASSERT_TRUE(overdue.ok());
  EXPECT_FALSE(overdue->empty());

  opened->reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace frontdoor::testing
