// A battery that always passes proves nothing: this makes the checker face
// the faults it exists to find, and fails unless it reports every one.
#include <functional>

#include "crash_battery.hpp"

namespace frontdoor::crash {
namespace {

void copy_records(const Model& from, Model& to) {
  to.contacts = from.contacts;
  to.people = from.people;
  to.prefix = from.prefix;
}

bool reports(const CheckFigures& f, const std::vector<std::string>& any_of) {
  for (const auto& failure : f.failures) {
    for (const auto& text : any_of) {
      if (failure.find(text) != std::string::npos) return true;
    }
  }
  return false;
}

ContactWrite* first_acknowledged(Model& m) {
  for (auto& c : m.contacts) {
    if (c.acknowledged) return &c;
  }
  return nullptr;
}

}  // namespace

SelfTestResult self_test(storage::Database& db, const Model& model, const CheckContext& context) {
  SelfTestResult result;
  auto& missed = result.missed;
  auto expect = [&](const std::string& what, const std::function<bool(Model&)>& change,
                    const std::vector<std::string>& any_of) {
    ++result.planted;
    Model copy;
    copy_records(model, copy);
    if (!change(copy)) {
      missed.push_back(what + ": nothing to change (the run acknowledged too little)");
      return;
    }
    const CheckFigures f = check_store(db, copy, context);
    if (!reports(f, any_of)) missed.push_back(what + ": not reported");
  };

  // The model claims what the store does not hold.
  expect("an acknowledged contact that is not stored",
         [](Model& m) {
           ContactWrite c;
           c.reference = m.prefix + "NeverStored";
           c.sends = 1;
           c.acknowledged = true;
           c.id = 999999;
           m.contacts.push_back(c);
           return true;
         },
         {"LOST: contact " + model.prefix + "NeverStored"});
  expect("an acknowledged person stored under another id",
         [](Model& m) {
           for (auto& p : m.people) {
             if (p.acknowledged) {
               p.id += 100000;
               return true;
             }
           }
           return false;
         },
         {"LOST: person"});
  expect("an acknowledged screening that is not stored",
         [](Model& m) {
           auto* c = first_acknowledged(m);
           if (c == nullptr) return false;
           c->screening_acknowledged = true;
           c->screening_sends += 1;
           c->rag = "red";
           c->rationale = "a rationale never sent";
           return true;
         },
         {"LOST: the screening"});
  expect("an acknowledged read without its audit entry",
         [](Model& m) {
           auto* c = first_acknowledged(m);
           if (c == nullptr) return false;
           c->views_sent += 3;
           c->views_acknowledged += 3;
           return true;
         },
         {"audit entries"});

  // The store itself is changed behind the application's back (as a crash
  // that half-wrote something would leave it), cumulatively.
  auto tamper = [&](const std::string& what, const std::vector<std::string>& sql,
                    const std::vector<std::string>& any_of) {
    const Status done = db.write([&](storage::Transaction& tx) -> Status {
      for (const auto& statement : sql) FD_TRY(tx.exec(statement));
      return ok_status();
    });
    if (!done.ok()) {
      missed.push_back(what + ": could not be made: " + done.error().message);
      return;
    }
    expect(
        what, [](Model&) { return true; }, any_of);
  };
  tamper("a contact row changed without an event",
         {"UPDATE contacts SET version = version + 7 WHERE id = (SELECT MIN(id) FROM contacts)"},
         {"differs from the fold"});
  tamper("an event rewritten",
         {"DROP TRIGGER events_append_only_update",
          "UPDATE events SET payload = '{\"tampered\":true}' WHERE seq = 2"},
         {"hash chain events seq 2: altered"});
  tamper("the last event deleted",
         {"DROP TRIGGER events_append_only_delete",
          "DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)"},
         {"hash chain events seq", "behind-checkpoint"});
  tamper("the first audit entry deleted",
         {"DROP TRIGGER audit_append_only_delete",
          "DELETE FROM audit WHERE seq = (SELECT MIN(seq) FROM audit)"},
         {"hash chain audit seq"});
  return result;
}

}  // namespace frontdoor::crash
