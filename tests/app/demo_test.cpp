// The demo council at an exact size (DemoOptions::people, ::contacts), as the
// benchmarks make it: exactly that many people and contacts, in the store
// through the real services, with every family's children named on contacts.
#include <gtest/gtest.h>

#include "app/demo.hpp"
#include "app_test_fixture.hpp"

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

}  // namespace
}  // namespace frontdoor::testing
