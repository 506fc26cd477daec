// The two reads the benchmarks time, at the service level: the MASH queue
// (open contacts only, nearest deadline first, children's names read from the
// projection) and person search (each hit summarised from the person record).
#include <gtest/gtest.h>

#include "app_test_fixture.hpp"

namespace frontdoor::testing {
namespace {

using namespace std::chrono;

class QueueSearch : public AppFixture {
 protected:
  app::Principal sign_in(const std::string& username) {
    auto s = app_->accounts().sign_in(username, kPassword, "127.0.0.1");
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s->principal;
  }

  domain::ContactDetails contact(Instant received, std::vector<std::string> given_names) {
    auto police = app_->accounts().agency_by_code("POL");
    EXPECT_TRUE(police.ok());
    domain::ContactDetails d;
    d.channel = domain::ContactChannel::kPhone;
    d.source_code = "2A";
    d.received_at = received;
    d.referrer = domain::Referrer{"PC Whitlock", "Constable",         police->id,
                                  police->name,  "whitlock@pol.test", "01632 960111"};
    for (auto& g : given_names) {
      domain::ChildOnContact c;
      c.given_name = std::move(g);
      c.family_name = "Ashworth";
      c.date_of_birth = sys_days{year{2016} / March / 4};
      c.sex.assign(1, '2');  // (assigning "2" trips a GCC 12 -Wrestrict false positive at -O2)
      d.children.push_back(std::move(c));
    }
    d.address_line = "4 Canal Side, Test Town";
    d.postcode = "TT1 4QX";
    d.concerns = "Police attended a domestic incident; the children were upstairs.";
    d.family_aware = domain::FamilyAware::kYes;
    d.consent = domain::ConsentStatus::kGiven;
    return d;
  }
};

TEST_F(QueueSearch, QueueHoldsOpenContactsNearestDeadlineFirstWithTheChildrensNames) {
  const auto worker = sign_in("worker");
  const auto manager = sign_in("manager");
  const Instant now = clock_->now();
  auto& contacts = app_->contacts();

  // Received an hour ago and a day ago: the older one is due first.
  // Names that JSON escapes: quotes, a backslash, a control character, and
  // letters beyond ASCII (a combining accent, a letter outside the BMP).
  const std::string tricky = "Zoë \"Zed\" \\ \x01 Ame\u0301lie \U0001D49C";
  auto recent = contacts.record(worker, contact(now - hours{1}, {tricky, "Ollie"}));
  ASSERT_TRUE(recent.ok()) << recent.error().message;
  auto older = contacts.record(worker, contact(now - hours{26}, {"Amara"}));
  ASSERT_TRUE(older.ok()) << older.error().message;
  auto done = contacts.record(worker, contact(now - hours{50}, {"Bobby"}));
  ASSERT_TRUE(done.ok()) << done.error().message;

  // The oldest goes the whole way to a signed-off decision, and leaves the queue.
  auto linked = contacts.link_new_person(worker, done->id, done->version, 0);
  ASSERT_TRUE(linked.ok()) << linked.error().message;
  auto screened = contacts.screen(worker, done->id, linked->version, domain::RagRating::kGreen,
                                  "Universal needs only.");
  ASSERT_TRUE(screened.ok()) << screened.error().message;
  auto framework = app_->thresholds().active();
  ASSERT_TRUE(framework.ok());
  const auto* level = framework->level(1);
  ASSERT_NE(level, nullptr);
  domain::DecisionCommand cmd;
  cmd.outcome = domain::Outcome::kNoFurtherAction;
  cmd.level = 1;
  if (!level->indicators.empty()) cmd.indicators.push_back(level->indicators.front().code);
  cmd.rationale = "Needs are met by universal services.";
  cmd.next_steps = "None.";
  auto decided = contacts.record_decision(worker, done->id, screened->version, cmd);
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  auto signed_off = contacts.sign_off(manager, done->id, decided->version, "Agreed: close.");
  ASSERT_TRUE(signed_off.ok()) << signed_off.error().message;
  ASSERT_EQ(signed_off->status, domain::ContactStatus::kCompleted);

  // One still awaiting a decision stays in the queue.
  auto amara = contacts.link_new_person(worker, older->id, older->version, 0);
  ASSERT_TRUE(amara.ok()) << amara.error().message;
  auto rated = contacts.screen(worker, older->id, amara->version, domain::RagRating::kRed,
                               "Children present at a violent incident.");
  ASSERT_TRUE(rated.ok()) << rated.error().message;

  auto queue = contacts.queue(worker);
  ASSERT_TRUE(queue.ok()) << queue.error().message;
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ((*queue)[0].id, older->id);
  EXPECT_EQ((*queue)[0].status, domain::ContactStatus::kAwaitingDecision);
  EXPECT_EQ((*queue)[0].children, std::vector<std::string>{"Amara Ashworth"});
  EXPECT_EQ((*queue)[1].id, recent->id);
  EXPECT_EQ((*queue)[1].status, domain::ContactStatus::kAwaitingScreening);
  EXPECT_EQ((*queue)[1].children,
            (std::vector<std::string>{tricky + " Ashworth", "Ollie Ashworth"}));
  EXPECT_LE((*queue)[0].decision_due_at, (*queue)[1].decision_due_at);

  // The limit keeps the nearest deadlines.
  auto first = contacts.queue(worker, 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front().id, older->id);
}

// The queue's predicate and order are those of the partial index of open
// contacts (migration 2), so SQLite walks it instead of sorting every open
// contact or scanning every contact. (PostgreSQL's planner prefers a
// sequential scan on a table this small, so only SQLite's plan is checked.)
TEST_F(QueueSearch, QueueOrderIsTheOpenContactsIndex) {
  if (app_->db().engine() != storage::Engine::kSqlite) return;
  std::string plan;
  auto read = app_->db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows, tx.query("EXPLAIN QUERY PLAN SELECT c.id FROM contacts c WHERE "
                                            "c.status <> 'completed' ORDER BY c.decision_due_at, "
                                            "c.id LIMIT 200"));
    for (const auto& r : rows) plan += r.text(r.size() - 1) + "\n";
    return ok_status();
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_NE(plan.find("contacts_open_by_deadline"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST_F(QueueSearch, SearchHitsAreSummarisedFromThePersonRecord) {
  const auto worker = sign_in("worker");
  domain::PersonDetails child;
  child.kind = domain::PersonKind::kChild;
  child.given_name = "Kezia";
  child.family_name = "Fairley";
  child.date_of_birth = sys_days{year{2017} / July / 9};
  child.sex = "2";
  child.address =
      domain::PersonAddress{"12 Mill Lane, Test Town", "TT2 9AB", std::nullopt, std::nullopt};
  auto created = app_->people().create(worker, child);
  ASSERT_TRUE(created.ok()) << created.error().message;
  domain::PersonDetails unborn;
  unborn.kind = domain::PersonKind::kUnborn;
  unborn.family_name = "Fairley";
  unborn.expected_date_of_birth = sys_days{year{2027} / February / 1};
  auto expected = app_->people().create(worker, unborn);
  ASSERT_TRUE(expected.ok()) << expected.error().message;

  domain::PersonQuery q;
  q.name = "Kezia Fairly";  // a typo in the family name
  auto hits = app_->people().search(worker, q);
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_FALSE(hits->empty());
  const auto& top = hits->front();
  EXPECT_EQ(top.id, created->id);
  EXPECT_EQ(top.name, "Kezia Fairley");
  EXPECT_EQ(top.kind, "child");
  ASSERT_TRUE(top.date_of_birth.has_value());
  EXPECT_EQ(*top.date_of_birth, sys_days{year{2017} / July / 9});
  EXPECT_EQ(top.postcode, "TT2 9AB");
  EXPECT_GT(top.score, 0.0);
  EXPECT_FALSE(top.reasons.empty());

  domain::PersonQuery by_family;
  by_family.family_name = "Fairley";
  auto family = app_->people().search(worker, by_family);
  ASSERT_TRUE(family.ok());
  bool unborn_found = false;
  for (const auto& h : *family) {
    if (h.id != expected->id) continue;
    unborn_found = true;
    EXPECT_EQ(h.name, "Fairley");
    EXPECT_EQ(h.kind, "unborn");
    ASSERT_TRUE(h.date_of_birth.has_value());  // the expected date of birth
    EXPECT_EQ(*h.date_of_birth, sys_days{year{2027} / February / 1});
    EXPECT_EQ(h.postcode, "");
  }
  EXPECT_TRUE(unborn_found);
}

}  // namespace
}  // namespace frontdoor::testing
