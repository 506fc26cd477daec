// Person matching in the service (issue #4): merging and unmerging records
// as recorded, reversible, audited events; the duplicate-finder; linking a
// child automatically only above the threshold; training the model on the
// store's own people.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <thread>

#include "app_test_fixture.hpp"
#include "domain/linker.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::testing {
namespace {

using namespace std::chrono;

class PersonMatching : public AppFixture {
 protected:
  app::Principal sign_in(const std::string& username) {
    auto s = app_->accounts().sign_in(username, kPassword, "127.0.0.1");
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s->principal;
  }

  domain::PersonState person(const app::Principal& who, const std::string& given,
                             const std::string& family, sys_days dob,
                             const std::string& postcode = "TT1 4QX",
                             const std::string& line = "4 Canal Side, Test Town") {
    domain::PersonDetails d;
    d.kind = domain::PersonKind::kChild;
    d.given_name = given;
    d.family_name = family;
    d.date_of_birth = dob;
    d.address = domain::PersonAddress{line, postcode, std::nullopt, std::nullopt};
    auto created = app_->people().create(who, d);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? *created : domain::PersonState{};
  }

  domain::ContactDetails contact_about(const std::string& given, const std::string& family,
                                       std::optional<sys_days> dob,
                                       const std::string& postcode = "TT1 4QX",
                                       const std::string& line = "4 Canal Side, Test Town") {
    auto police = app_->accounts().agency_by_code("POL");
    EXPECT_TRUE(police.ok());
    domain::ContactDetails d;
    d.channel = domain::ContactChannel::kPhone;
    d.source_code = "2A";
    d.received_at = clock_->now() - minutes{5};
    d.referrer = domain::Referrer{"PC Whitlock", "Constable",         police->id,
                                  police->name,  "whitlock@pol.test", "01632 960111"};
    domain::ChildOnContact c;
    c.given_name = given;
    c.family_name = family;
    c.date_of_birth = dob;
    d.children.push_back(c);
    d.address_line = line;
    d.postcode = postcode;
    d.concerns = "A concern about the child.";
    return d;
  }

  std::vector<storage::AuditEntry> audit_of(std::int64_t person_id) {
    std::vector<storage::AuditEntry> out;
    auto read = app_->db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(
          out, storage::AuditLog::for_subject(tx, "person/" + std::to_string(person_id)));
      return ok_status();
    });
    EXPECT_TRUE(read.ok());
    return out;
  }

  std::int64_t event_count() {
    std::int64_t n = -1;
    auto read = app_->db().read([&](storage::Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM events"));
      n = row->integer(0);
      return ok_status();
    });
    EXPECT_TRUE(read.ok());
    return n;
  }

  bool found_by_search(const app::Principal& who, const std::string& text, std::int64_t id) {
    auto hits = app_->people().search(who, app::People::query_from_text(text));
    EXPECT_TRUE(hits.ok());
    return hits.ok() && std::any_of(hits->begin(), hits->end(),
                                    [&](const domain::PersonSummary& s) { return s.id == id; });
  }

  static bool mentions(const std::vector<domain::ChronologyEntry>& entries,
                       const std::string& text) {
    return std::any_of(entries.begin(), entries.end(), [&](const domain::ChronologyEntry& e) {
      return e.summary.find(text) != std::string::npos;
    });
  }
};

TEST_F(PersonMatching, AMergeKeepsBothHistoriesIsAuditedAndCanBeUndone) {
  const auto manager = sign_in("manager");
  const auto kept = person(manager, "Jonathan", "Ashdown", sys_days{year{2015} / 3 / 7});
  const auto duplicate = person(manager, "Jon", "Ashdown", sys_days{year{2015} / 7 / 3});
  // A contact about the duplicate, linked to it by the worker.
  const auto worker = sign_in("worker");
  auto recorded = app_->contacts().record(worker, contact_about("Jon", "Ashdown", std::nullopt));
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  ASSERT_FALSE(recorded->details.children[0].person_id);  // not sure enough to link by itself
  auto linked =
      app_->contacts().link_child(worker, recorded->id, recorded->version, 0, duplicate.id);
  ASSERT_TRUE(linked.ok()) << linked.error().message;

  // Refused: not a manager; no reason; a record into itself. Nothing changes.
  const auto before = event_count();
  EXPECT_EQ(app_->people().merge(worker, duplicate.id, kept.id, "Same child").error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(app_->people().merge(manager, duplicate.id, kept.id, " ").error().code,
            ErrorCode::kValidation);
  EXPECT_EQ(app_->people().merge(manager, kept.id, kept.id, "Same").error().code,
            ErrorCode::kValidation);
  EXPECT_EQ(event_count(), before);

  auto merged = app_->people().merge(manager, duplicate.id, kept.id,
                                     "Same child: school confirmed the date of birth");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->id, kept.id);
  EXPECT_EQ(merged->merged_from, std::vector<std::int64_t>{duplicate.id});
  EXPECT_EQ(event_count(), before + 2);  // one event on each record

  // The duplicate leaves the search; the kept record's chronology holds its
  // history (the contact about "Jon") and says what happened, and why.
  EXPECT_FALSE(found_by_search(manager, "Jon Ashdown", duplicate.id));
  EXPECT_TRUE(found_by_search(manager, "Jon Ashdown", kept.id));
  auto history = app_->people().chronology(manager, kept.id);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(mentions(*history, "about Jon"));
  EXPECT_TRUE(mentions(*history, "Person record P" + std::to_string(duplicate.id) +
                                     " merged into this one: Same child"));
  auto dup_view = app_->people().view(manager, duplicate.id);
  ASSERT_TRUE(dup_view.ok());
  EXPECT_EQ(dup_view->person.merged_into, kept.id);
  // Both records' audit shows the merge, by whom.
  for (const auto id : {kept.id, duplicate.id}) {
    const auto entries = audit_of(id);
    EXPECT_TRUE(std::any_of(entries.begin(), entries.end(), [&](const storage::AuditEntry& e) {
      return e.action == "merge" && e.actor.username == "manager";
    })) << id;
  }
  // A merged record cannot be merged again, either way round.
  const auto third = person(manager, "Jonny", "Ashdown", sys_days{year{2015} / 3 / 7});
  EXPECT_EQ(app_->people().merge(manager, duplicate.id, third.id, "Again").error().code,
            ErrorCode::kInvalidTransition);
  EXPECT_EQ(app_->people().merge(manager, third.id, duplicate.id, "Again").error().code,
            ErrorCode::kInvalidTransition);
  EXPECT_EQ(app_->people().merge(manager, kept.id, third.id, "Again").error().code,
            ErrorCode::kInvalidTransition);  // records were merged into it: keep it instead

  // Unmerge: both as they were; the history says so.
  EXPECT_EQ(app_->people().unmerge(manager, kept.id, "Not merged").error().code,
            ErrorCode::kInvalidTransition);
  EXPECT_EQ(app_->people().unmerge(manager, duplicate.id, "").error().code, ErrorCode::kValidation);
  auto separated =
      app_->people().unmerge(manager, duplicate.id, "Different children: twins, checked with GP");
  ASSERT_TRUE(separated.ok()) << separated.error().message;
  EXPECT_FALSE(separated->merged_into);
  EXPECT_TRUE(found_by_search(manager, "Jon Ashdown", duplicate.id));
  auto after = app_->people().chronology(manager, kept.id);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(mentions(*after, "about Jon"));
  EXPECT_TRUE(mentions(*after, "unmerged from this one: Different children"));
  auto own = app_->people().chronology(manager, duplicate.id);
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(mentions(*own, "about Jon"));
  EXPECT_TRUE(mentions(*own, "Merged into person record P" + std::to_string(kept.id)));
  EXPECT_TRUE(mentions(*own, "Unmerged from person record P" + std::to_string(kept.id)));
  auto kept_again = app_->people().view(manager, kept.id);
  ASSERT_TRUE(kept_again.ok());
  EXPECT_TRUE(kept_again->person.merged_from.empty());
  const auto entries = audit_of(duplicate.id);
  EXPECT_TRUE(std::any_of(entries.begin(), entries.end(),
                          [](const storage::AuditEntry& e) { return e.action == "unmerge"; }));
}

TEST_F(PersonMatching, TheDuplicateFinderListsLikelyPairsWithTheirExplanation) {
  const auto manager = sign_in("manager");
  const auto a = person(manager, "Amelia", "Thornbury", sys_days{year{2015} / 4 / 3});
  const auto b = person(manager, "Amelia", "Thornbury", sys_days{year{2015} / 3 / 4});
  const auto other = person(manager, "Priya", "Okonjo", sys_days{year{2012} / 9 / 21}, "ZZ9 9ZZ",
                            "1 Far Road, Elsewhere");
  // Her brother: same address, postcode and family name, born another year.
  const auto brother = person(manager, "Oscar", "Thornbury", sys_days{year{2018} / 1 / 9});
  auto worker_try = app_->people().find_duplicates(sign_in("worker"));
  EXPECT_EQ(worker_try.error().code, ErrorCode::kForbidden);
  auto pairs = app_->people().find_duplicates(manager);
  ASSERT_TRUE(pairs.ok()) << pairs.error().message;
  ASSERT_FALSE(pairs->empty());
  const auto& top = pairs->front();
  EXPECT_EQ(top.first.id, a.id);
  EXPECT_EQ(top.second.id, b.id);
  EXPECT_GE(top.probability, app_->people().matching().review_probability);
  EXPECT_TRUE(std::any_of(top.explanation.begin(), top.explanation.end(), [](const auto& l) {
    return l.find("date of birth has day and month swapped") != std::string::npos;
  }));
  for (const auto& p : *pairs) {
    for (const auto id : {other.id, brother.id}) {
      EXPECT_NE(p.first.id, id);
      EXPECT_NE(p.second.id, id);
    }
  }
  // Once merged, the pair is no longer listed.
  ASSERT_TRUE(app_->people().merge(manager, b.id, a.id, "Same child").ok());
  auto after = app_->people().find_duplicates(manager);
  ASSERT_TRUE(after.ok());
  for (const auto& p : *after) EXPECT_FALSE(p.first.id == a.id && p.second.id == b.id);
}

TEST_F(PersonMatching, AChildIsLinkedAutomaticallyOnlyWhenOneRecordIsAboveTheThreshold) {
  const auto worker = sign_in("worker");
  const auto manager = sign_in("manager");
  const auto known = person(manager, "Tobias", "Wrenfield", sys_days{year{2014} / 11 / 19});

  // The same child, every detail agreeing: linked by the system, with why.
  auto exact = app_->contacts().record(
      worker, contact_about("Tobias", "Wrenfield", sys_days{year{2014} / 11 / 19}));
  ASSERT_TRUE(exact.ok()) << exact.error().message;
  EXPECT_EQ(exact->details.children[0].person_id, known.id);
  auto history = app_->people().chronology(manager, known.id);
  ASSERT_TRUE(history.ok());
  const auto link = std::find_if(history->begin(), history->end(), [](const auto& e) {
    return e.summary == "Child linked to an existing person record";
  });
  ASSERT_NE(link, history->end());
  EXPECT_EQ(link->actor_role, "Automatic");
  ASSERT_TRUE(link->reason.has_value());
  EXPECT_EQ(link->reason->rfind("Linked automatically: match probability ", 0), 0U)
      << *link->reason;
  EXPECT_NE(link->reason->find("date of birth matches exactly (+"), std::string::npos);

  // A nickname and no date of birth: offered for review, not linked.
  auto unsure = app_->contacts().record(worker, contact_about("Toby", "Wrenfield", std::nullopt));
  ASSERT_TRUE(unsure.ok());
  EXPECT_FALSE(unsure->details.children[0].person_id);

  // A brother at the same address, born another day: however much else
  // agrees, not him.
  const auto brother = person(manager, "Tobias", "Wrenfield", sys_days{year{2017} / 2 / 8});
  auto sibling = app_->contacts().record(
      worker, contact_about("Toby", "Wrenfield", sys_days{year{2017} / 2 / 9}));
  ASSERT_TRUE(sibling.ok());
  EXPECT_FALSE(sibling->details.children[0].person_id);
  (void)brother;

  // Twins' names a letter apart: Rowen is not linked to his brother Rowan.
  const auto rowan = person(manager, "Rowan", "Brightwater", sys_days{year{2019} / 8 / 30},
                            "TT3 5ZZ", "9 Elm Row, Test Town");
  auto twin_sister = app_->contacts().record(
      worker, contact_about("Rowen", "Brightwater", sys_days{year{2019} / 8 / 30}, "TT3 5ZZ",
                            "9 Elm Row, Test Town"));
  ASSERT_TRUE(twin_sister.ok());
  EXPECT_FALSE(twin_sister->details.children[0].person_id);
  (void)rowan;

  // Two records equally likely: nobody is linked.
  const auto twin = person(manager, "Tobias", "Wrenfield", sys_days{year{2014} / 11 / 19});
  auto ambiguous = app_->contacts().record(
      worker, contact_about("Tobias", "Wrenfield", sys_days{year{2014} / 11 / 19}));
  ASSERT_TRUE(ambiguous.ok());
  EXPECT_FALSE(ambiguous->details.children[0].person_id);
  (void)twin;

  // A restricted record is never linked by the system.
  const auto hidden = person(manager, "Saoirse", "Quenby", sys_days{year{2016} / 1 / 30});
  ASSERT_TRUE(app_->people().restrict(manager, hidden.id, "Child in a refuge").ok());
  auto restricted = app_->contacts().record(
      worker, contact_about("Saoirse", "Quenby", sys_days{year{2016} / 1 / 30}));
  ASSERT_TRUE(restricted.ok());
  EXPECT_FALSE(restricted->details.children[0].person_id);
}

TEST_F(PersonMatching, ThroughThePagesTheFormSuggestsAndAManagerMergesAndUnmerges) {
  const auto manager = sign_in("manager");
  const auto child = person(manager, "Alexander", "Whitmore", sys_days{year{2016} / 2 / 3});
  const auto twice = person(manager, "Alex", "Whitmore", sys_days{year{2016} / 2 / 3});
  std::string csrf;
  auto worker = browser("worker", &csrf);
  // A nickname, a misspelt family name, day and month swapped.
  auto suggested = worker.get(
      "/people/suggestions?given_name=Alex&family_name=Whitmoor&date_of_birth=2016-03-02");
  EXPECT_EQ(suggested.status, 200);
  EXPECT_NE(suggested.body.find("href=\"/people/" + std::to_string(child.id) + "\""),
            std::string::npos)
      << suggested.body;
  EXPECT_NE(suggested.body.find("date of birth has day and month swapped (+"), std::string::npos);
  EXPECT_EQ(worker.get("/people/duplicates").status, 403);

  std::string manager_csrf;
  auto browser_manager = browser("manager", &manager_csrf);
  const auto list = browser_manager.get("/people/duplicates");
  EXPECT_EQ(list.status, 200);
  const std::string compare =
      "/people/" + std::to_string(child.id) + "/merge?with=" + std::to_string(twice.id);
  EXPECT_NE(list.body.find("href=\"" + compare + "\""), std::string::npos);
  EXPECT_EQ(browser_manager.get(compare).status, 200);
  // The other record's number as typed: "P123" or "123"; anything else is asked again.
  const std::string merge_page = "/people/" + std::to_string(child.id) + "/merge?with=";
  EXPECT_EQ(browser_manager.get(merge_page + "P" + std::to_string(twice.id)).status, 200);
  EXPECT_EQ(browser_manager.get(merge_page + "x" + std::to_string(twice.id)).status, 400);
  EXPECT_EQ(browser_manager.get(merge_page + std::to_string(twice.id) + "9z").status, 400);
  const auto origin = std::map<std::string, std::string>{{"Origin", browser_manager.origin()}};
  // No reason: the page again, with the error; nothing merged.
  auto refused = browser_manager.post_form("/people/" + std::to_string(child.id) + "/merge",
                                           {{"csrf_token", manager_csrf},
                                            {"with", std::to_string(twice.id)},
                                            {"keep", std::to_string(child.id)},
                                            {"reason", ""}},
                                           origin);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("Enter why these records are the same person"), std::string::npos);
  auto merged = browser_manager.post_form("/people/" + std::to_string(child.id) + "/merge",
                                          {{"csrf_token", manager_csrf},
                                           {"with", std::to_string(twice.id)},
                                           {"keep", std::to_string(child.id)},
                                           {"reason", "Recorded twice at the same visit"}},
                                          origin);
  EXPECT_EQ(merged.status, 303);
  EXPECT_EQ(merged.header("location"), "/people/" + std::to_string(child.id) + "?done=merged");
  auto separated = browser_manager.post_form(
      "/people/" + std::to_string(twice.id) + "/unmerge",
      {{"csrf_token", manager_csrf}, {"reason", "Merged by mistake"}}, origin);
  EXPECT_EQ(separated.status, 303);
  auto page = browser_manager.get("/people/" + std::to_string(twice.id) + "/viewers");
  EXPECT_NE(page.body.find("unmerge"), std::string::npos);
}

class StrictAutomaticLinks : public PersonMatching {
 protected:
  void configure(app::Config& config) override {
    config.matching.auto_link_probability = 1 - 1e-12;
  }
};

TEST_F(StrictAutomaticLinks, NoAutomaticLinkBelowTheConfiguredThreshold) {
  const auto worker = sign_in("worker");
  const auto known =
      person(sign_in("manager"), "Imogen", "Larkspur", sys_days{year{2013} / 5 / 22}, "", "");
  // Name and date of birth agree, but no address: probably the child
  // (linked at the default threshold), not certainly.
  auto recorded = app_->contacts().record(
      worker, contact_about("Imogen", "Larkspur", sys_days{year{2013} / 5 / 22}, "", ""));
  ASSERT_TRUE(recorded.ok());
  EXPECT_FALSE(recorded->details.children[0].person_id);
  auto hits = app_->people().search(worker, app::People::query_from_text("Imogen Larkspur"));
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().id, known.id);
  EXPECT_LT(hits->front().match_probability, 1 - 1e-12);
}

class ModelTraining : public PersonMatching {
 protected:
  void configure(app::Config& config) override {
    config.matching.train_minimum_people = 40;  // trains by itself once there are 40
    config.matching.training_sample = 30;       // on 30 of them drawn at random
  }
};

TEST_F(ModelTraining, TheModelIsTrainedOnTheStoresOwnPeopleAsItGrows) {
  const auto manager = sign_in("manager");
  EXPECT_FALSE(app_->people().model_status().trained);
  static constexpr std::array kGiven{"Ava", "Ben", "Cara", "Dev", "Esme", "Finn", "Gus", "Hana"};
  static constexpr std::array kFamily{"Okafor", "Price", "Quinn", "Reid", "Shah"};
  for (int i = 0; i < 40; ++i) {
    person(manager, kGiven[static_cast<std::size_t>(i) % kGiven.size()],
           kFamily[static_cast<std::size_t>(i) % kFamily.size()],
           sys_days{year{2010 + i % 10} / (1 + i % 12) / (1 + i % 28)},
           "TT" + std::to_string(1 + i % 9) + " 1AB", std::to_string(i + 1) + " High Street");
  }
  // In the background: wait for it.
  for (int i = 0; i < 600 && !app_->people().model_status().trained; ++i) {
    std::this_thread::sleep_for(milliseconds{50});
  }
  const auto status = app_->people().model_status();
  ASSERT_TRUE(status.trained);
  EXPECT_EQ(status.people, 40U);
  EXPECT_EQ(status.sampled, 30U);
  EXPECT_GT(status.random_pairs, 0U);
  EXPECT_FALSE(status.estimated_m);  // far fewer than em_minimum_people
  EXPECT_EQ(status.trained_at, clock_->now());
  // The live index reports its size and memory.
  EXPECT_EQ(status.index_people, 40U);
  EXPECT_GT(status.index_bytes, 40U * 200U);

  // u is this store's own (40 people, 8 given names: a random pair shares
  // a given name far more often than in the reference population); m and
  // the prior stay the reference model's.
  namespace lk = domain::linkage;
  const auto reference = lk::reference_model();
  const auto model = app_->people().linker().model();
  EXPECT_GT(model.parameters(lk::kGivenName).u[0], 5 * reference.parameters(lk::kGivenName).u[0]);
  for (std::size_t c = 0; c < lk::kPersonComparisons; ++c) {
    EXPECT_EQ(model.parameters(c).m, reference.parameters(c).m) << c;
  }
  EXPECT_EQ(model.prior(), reference.prior());
  // The search ranks with it.
  auto hits = app_->people().search(manager, app::People::query_from_text("Ava Okafor"));
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().name, "Ava Okafor");
}

}  // namespace
}  // namespace frontdoor::testing
