// People::bulk_records: every person record read at once for `frontdoor
// match --against-store` (issue #4), audited as one read that names the
// operator and the purpose, and changing nothing else in the store.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "app_test_fixture.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::testing {
namespace {

using namespace std::chrono;

class PeopleBulkRead : public AppFixture {
 protected:
  app::Principal sign_in(const std::string& username) {
    auto s = app_->accounts().sign_in(username, kPassword, "127.0.0.1");
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s->principal;
  }

  std::int64_t person(const app::Principal& who, const std::string& given,
                      const std::string& family, sys_days dob) {
    domain::PersonDetails d;
    d.kind = domain::PersonKind::kChild;
    d.given_name = given;
    d.family_name = family;
    d.date_of_birth = dob;
    d.address =
        domain::PersonAddress{"4 Canal Side, Test Town", "TT1 4QX", std::nullopt, std::nullopt};
    auto created = app_->people().create(who, d);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created->id : 0;
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

  std::int64_t count(const std::string& table) {
    std::int64_t n = -1;
    auto read = app_->db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM " + table));
      n = row->integer(0);
      return ok_status();
    });
    EXPECT_TRUE(read.ok());
    return n;
  }
};

TEST_F(PeopleBulkRead, EveryRecordIsReadWithItsIdAndTheReadIsAuditedOnce) {
  const auto manager = sign_in("manager");
  const auto a = person(manager, "Amara", "Okafor", sys_days{year{2016} / 5 / 14});
  const auto b = person(manager, "Leo", "Fitzgerald", sys_days{year{2019} / 11 / 2});
  const auto c = person(manager, "Poppy", "Hargreaves", sys_days{year{2012} / 1 / 30});
  const auto dup = person(manager, "Popy", "Hargreaves", sys_days{year{2012} / 1 / 30});
  ASSERT_TRUE(app_->people().restrict(manager, b, "Witness protection").ok());
  ASSERT_TRUE(app_->people().merge(manager, dup, c, "The same child").ok());

  const auto events = count("events");
  const auto audit = count("audit");
  auto read = app_->people().bulk_records("alice (uid 1000)",
                                          "frontdoor match --against-store, linking the 3 "
                                          "records of /tmp/referrals.csv");
  ASSERT_TRUE(read.ok()) << read.error().message;

  // Every record but the merged one (found through the record it joined),
  // the restricted one included, in the order of the ids.
  EXPECT_EQ(read->ids, (std::vector<std::int64_t>{a, b, c}));
  ASSERT_EQ(read->records.size(), 3U);
  EXPECT_EQ(read->records[0].family_names.front(), "okafor");
  EXPECT_EQ(read->records[1].family_names.front(), "fitzgerald");
  EXPECT_EQ(read->records[2].given_names.front(), "poppy");
  EXPECT_EQ(read->records[0].date_of_birth, sys_days{year{2016} / 5 / 14});

  // Exactly one audit entry, by Frontdoor itself, naming the operator and
  // the file; nothing else written.
  EXPECT_EQ(count("audit"), audit + 1);
  EXPECT_EQ(count("events"), events);
  const auto entries = audit_of("people/all");
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].action, "bulk_match");
  EXPECT_TRUE(entries[0].actor.is_system());
  EXPECT_EQ(entries[0].outcome, storage::AuditOutcome::kAllowed);
  EXPECT_EQ(entries[0].at, clock_->now());
  EXPECT_NE(entries[0].basis.find("operator alice (uid 1000)"), std::string::npos)
      << entries[0].basis;
  EXPECT_NE(entries[0].basis.find("/tmp/referrals.csv"), std::string::npos) << entries[0].basis;
  EXPECT_NE(entries[0].basis.find("(3)"), std::string::npos) << entries[0].basis;
  // No single record's access log shows it as a view.
  const auto views = audit_of("person/" + std::to_string(a));
  EXPECT_TRUE(std::none_of(views.begin(), views.end(),
                           [](const storage::AuditEntry& e) { return e.action == "bulk_match"; }));

  // Each read is its own entry.
  ASSERT_TRUE(app_->people().bulk_records("alice (uid 1000)", "a second run").ok());
  EXPECT_EQ(audit_of("people/all").size(), 2U);
}

TEST_F(PeopleBulkRead, AReadThatDoesNotSayWhoOrWhyIsRefusedAndNotAudited) {
  const auto manager = sign_in("manager");
  person(manager, "Amara", "Okafor", sys_days{year{2016} / 5 / 14});
  const auto audit = count("audit");
  auto no_operator = app_->people().bulk_records("", "linking a file");
  ASSERT_FALSE(no_operator.ok());
  EXPECT_EQ(no_operator.error().code, ErrorCode::kValidation);
  auto no_purpose = app_->people().bulk_records("alice (uid 1000)", "");
  ASSERT_FALSE(no_purpose.ok());
  EXPECT_EQ(no_purpose.error().code, ErrorCode::kValidation);
  EXPECT_EQ(count("audit"), audit);
  EXPECT_TRUE(audit_of("people/all").empty());
}

}  // namespace
}  // namespace frontdoor::testing
