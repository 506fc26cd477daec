// Two Frontdoor processes on one database (two Applications, each with its
// own HTTP server, pool and caches, sharing the store: the same SQLite file,
// or the same PostgreSQL schema under scripts/with-postgres.sh). Two workers
// acting on the same version of a contact never silently overwrite each
// other: exactly one change is stored and the other is told of the conflict.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <map>
#include <set>
#include <thread>

#include "storage/event_store.hpp"
#include "two_servers_fixture.hpp"

namespace frontdoor::testing {
namespace {

using nlohmann::json;

json one_child() {
  return json{{"source_code", "6"},
              {"referrer", {{"name", "PC 1 Test"}, {"role", "Response officer"}}},
              {"children", json::array({{{"given_name", "Ada"},
                                         {"family_name", "Twoserver"},
                                         {"date_of_birth", "2018-03-02"},
                                         {"sex", "2"}}})},
              {"address_line", "1 Synthetic Street"},
              {"postcode", "ZZ99 1AA"},
              {"concerns", "A synthetic concern for a test."},
              {"family_aware", "yes"},
              {"consent", "not_sought"}};
}

// Sends `bodies[i]` to `path` on server i, both at once; returns the replies.
std::vector<HttpReply> race(const unsigned short (&ports)[2], const std::string& token,
                            const std::string& path, const json (&bodies)[2]) {
  std::barrier start(2);
  std::vector<HttpReply> replies(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      HttpClient c(ports[i]);
      c.set_default_header("Authorization", "Bearer " + token);
      start.arrive_and_wait();
      replies[static_cast<std::size_t>(i)] = c.post_json(path, bodies[i]);
    });
  }
  for (auto& t : threads) t.join();
  return replies;
}

// Exactly one reply is 200 and the other 409; returns the winner's index.
int one_winner(const std::vector<HttpReply>& replies) {
  const int wins = (replies[0].status == 200 ? 1 : 0) + (replies[1].status == 200 ? 1 : 0);
  EXPECT_EQ(wins, 1) << replies[0].status << " " << replies[0].body << "\n"
                     << replies[1].status << " " << replies[1].body;
  const int winner = replies[0].status == 200 ? 0 : 1;
  EXPECT_EQ(replies[static_cast<std::size_t>(1 - winner)].status, 409)
      << replies[static_cast<std::size_t>(1 - winner)].body;
  return winner;
}

TEST_F(TwoServersTest, SameContactVersionOnBothServersExactlyOneChangeIsStored) {
  const std::string police_token = token_for("police");
  const std::string worker_token = token_for("worker");
  const unsigned short ports[2] = {port_, second_port_};
  for (int round = 0; round < 3; ++round) {
    // Recorded through one server, read through the other.
    auto created =
        client(ports[round % 2], police_token).post_json("/api/v1/contacts", one_child());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string base = "/api/v1/contacts/" + created.json()["id"].dump();
    auto seen = client(ports[1 - round % 2], worker_token).get(base);
    ASSERT_EQ(seen.status, 200) << seen.body;
    const auto version = seen.json()["version"].get<std::int64_t>();

    // Both workers link the child (creating a person record) from the same
    // version: one link, one new person.
    const json links[2] = {{{"version", version}, {"child_index", 0}},
                           {{"version", version}, {"child_index", 0}}};
    auto linked = race(ports, worker_token, base + "/links", links);
    const int link_winner = one_winner(linked);
    const auto person_id =
        linked[static_cast<std::size_t>(link_winner)].json()["details"]["children"][0]["person_id"];
    ASSERT_TRUE(person_id.is_number_integer());

    // Then both screen the linked version: one screening is stored.
    const auto v2 = version + 1;
    const json screenings[2] = {
        {{"version", v2}, {"rag", "amber"}, {"rationale", "Screened on the first server"}},
        {{"version", v2}, {"rag", "red"}, {"rationale", "Screened on the second server"}}};
    auto screened = race(ports, worker_token, base + "/screening", screenings);
    const int winner = one_winner(screened);
    const std::string winner_rag = winner == 0 ? "amber" : "red";

    // Both servers show the winners' changes at the version after both.
    for (unsigned short port : ports) {
      auto now = client(port, worker_token).get(base);
      ASSERT_EQ(now.status, 200);
      EXPECT_EQ(now.json()["version"].get<std::int64_t>(), version + 2);
      EXPECT_EQ(now.json()["screening"]["rag"], winner_rag) << now.body;
      EXPECT_EQ(now.json()["details"]["children"][0]["person_id"], person_id);
    }
  }
  // One person per round, though both servers tried to create one each time.
  std::int64_t persons = 0;
  ASSERT_TRUE(app_->db()
                  .read([&](storage::Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COUNT(*) FROM persons"));
                    persons = row->integer(0);
                    return ok_status();
                  })
                  .ok());
  EXPECT_EQ(persons, 3);
}

// Records written by either process get ids and sequence numbers from one
// series: no two contacts share an id or reference, and the event log stays
// one gapless chain.
TEST_F(TwoServersTest, ContactsRecordedThroughBothServersShareOneSeries) {
  const std::string police_token = token_for("police");
  constexpr int kPerServer = 6;
  std::vector<std::thread> threads;
  std::vector<HttpReply> replies(2 * kPerServer);
  const unsigned short ports[2] = {port_, second_port_};
  for (int s = 0; s < 2; ++s) {
    threads.emplace_back([&, s] {
      HttpClient c = client(ports[s], police_token);
      for (int k = 0; k < kPerServer; ++k) {
        replies[static_cast<std::size_t>(s * kPerServer + k)] =
            c.post_json("/api/v1/contacts", one_child());
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::int64_t> ids;
  std::set<std::string> references;
  for (const auto& r : replies) {
    ASSERT_EQ(r.status, 201) << r.body;
    ids.insert(r.json()["id"].get<std::int64_t>());
    references.insert(r.json()["reference"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), replies.size());
  EXPECT_EQ(references.size(), replies.size());
  ASSERT_TRUE(second_->db()
                  .read([](storage::Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto events,
                                        storage::EventStore::read_after(tx, 0, 100000));
                    std::string prev(64, '0');
                    for (std::size_t i = 0; i < events.size(); ++i) {
                      EXPECT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
                      EXPECT_EQ(events[i].prev_hash, prev);
                      EXPECT_EQ(storage::event_hash(events[i]), events[i].hash);
                      prev = events[i].hash;
                    }
                    return ok_status();
                  })
                  .ok());
}

// What a process keeps in memory follows what the other writes: a person
// recorded through one server is found by a search on the other.
TEST_F(TwoServersTest, PersonRecordedThroughOneServerIsFoundThroughTheOther) {
  const std::string police_token = token_for("police");
  const std::string worker_token = token_for("worker");
  auto before = client(second_port_, worker_token).get("/api/v1/people?q=Twoserver");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(before.json()["items"].empty()) << before.body;

  auto created = client(port_, police_token).post_json("/api/v1/contacts", one_child());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string base = "/api/v1/contacts/" + created.json()["id"].dump();
  auto worker_a = client(port_, worker_token);
  const auto version = worker_a.get(base).json()["version"].get<std::int64_t>();
  auto linked = worker_a.post_json(base + "/links", {{"version", version}, {"child_index", 0}});
  ASSERT_EQ(linked.status, 200) << linked.body;
  const auto person_id = linked.json()["details"]["children"][0]["person_id"];

  auto after = client(second_port_, worker_token).get("/api/v1/people?q=Twoserver");
  ASSERT_EQ(after.status, 200) << after.body;
  ASSERT_EQ(after.json()["items"].size(), 1u) << after.body;
  EXPECT_EQ(after.json()["items"][0]["id"], person_id);
  EXPECT_EQ(after.json()["items"][0]["name"], "Ada Twoserver");
}

// The other process does not wait for a request to catch up: its change feed
// (LISTEN/NOTIFY on PostgreSQL, the event log's last sequence on SQLite) wakes
// its follower, which applies the new person to its in-memory index.
TEST_F(TwoServersTest, OtherProcessesIndexFollowsWritesWithoutARequest) {
  const std::size_t indexed = second_->people().index_size();
  const std::uint64_t wakeups = second_->follower().wakeups();
  const std::string worker_token = token_for("worker");
  auto created = client(port_, worker_token)
                     .post_json("/api/v1/people", {{"given_name", "Follow"},
                                                   {"family_name", "Feedperson"},
                                                   {"date_of_birth", "2019-05-06"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (second_->people().index_size() == indexed && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(second_->people().index_size(), indexed + 1);
  EXPECT_GT(second_->follower().wakeups(), wakeups);
}

// A threshold framework published through one process is the one the other
// uses from then on (it caches the definition, not which version is active).
TEST_F(TwoServersTest, FrameworkPublishedThroughOneServerIsActiveOnTheOther) {
  auto before = second_->thresholds().active();
  ASSERT_TRUE(before.ok()) << before.error().message;
  auto admin = app_->accounts().sign_in("admin", kPassword, "127.0.0.1");
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  auto definition = before->to_json();
  definition["name"] = "Renamed on the first server";
  auto published =
      app_->thresholds().publish(admin->principal, definition.dump(), "Renamed for a test");
  ASSERT_TRUE(published.ok()) << published.error().message;
  auto after = second_->thresholds().active();
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->version, before->version + 1);
  EXPECT_EQ(after->name, "Renamed on the first server");
}

// Both processes run a notifier over the same outbox: each e-mail is sent
// once, by whichever claims it first.
TEST_F(TwoServersTest, EachQueuedEmailIsSentOnceThoughBothServersDeliver) {
  constexpr int kMessages = 12;
  ASSERT_TRUE(
      app_->db()
          .write([&](storage::Transaction& tx) -> Status {
            for (int i = 1; i <= kMessages; ++i) {
              FD_TRY(tx.exec(
                  "INSERT INTO outbox (id, kind, recipient, subject, body, "
                  "created_at) VALUES (?, 'email', ?, ?, 'Synthetic.', ?)",
                  {std::int64_t{i}, "referrer" + std::to_string(i) + "@pol.test",
                   "Message " + std::to_string(i), std::string("2026-11-30T09:00:00.000Z")}));
            }
            return ok_status();
          })
          .ok());
  std::atomic<int> sent{0};
  std::barrier start(2);
  std::vector<std::thread> threads;
  for (app::Application* app : {app_.get(), second_.get()}) {
    threads.emplace_back([&, app] {
      start.arrive_and_wait();
      auto delivered = app->notifier().deliver_pending();
      EXPECT_TRUE(delivered.ok());
      if (delivered.ok()) sent += *delivered;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(sent.load(), kMessages);
  ASSERT_TRUE(smtp_->wait_for(kMessages, std::chrono::seconds{5}));
  std::this_thread::sleep_for(std::chrono::milliseconds{200});  // any duplicate arrives too
  std::map<std::string, int> per_recipient;
  for (const auto& m : smtp_->messages()) {
    for (const auto& r : m.rcpt_to) ++per_recipient[r];
  }
  EXPECT_EQ(per_recipient.size(), static_cast<std::size_t>(kMessages));
  for (const auto& [recipient, count] : per_recipient) EXPECT_EQ(count, 1) << recipient;
  ASSERT_TRUE(second_->db()
                  .read([&](storage::Transaction& tx) -> Status {
                    FD_ASSIGN_OR_RETURN(auto row,
                                        tx.query_one("SELECT COUNT(*), SUM(attempts) FROM outbox "
                                                     "WHERE sent_at IS NOT NULL"));
                    EXPECT_EQ(row->integer(0), kMessages);
                    EXPECT_EQ(row->integer(1), kMessages) << "one attempt each";
                    return ok_status();
                  })
                  .ok());
}

}  // namespace
}  // namespace frontdoor::testing
