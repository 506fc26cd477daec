// A battery that always passes proves nothing: this makes the checker face
// the faults it exists to find, and fails unless it reports every one.
#include <functional>

#include "crash_battery.hpp"
#include "domain/person.hpp"
#include "storage/event_store.hpp"

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

// A child's person record, logged and projected as the application would,
// that no contact links to.
Status plant_person_without_link(storage::Database& db, const std::string& given_name) {
  return db.write([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT COALESCE(MAX(id), 0) + 1 FROM persons"));
    const std::int64_t id = row->integer(0);
    domain::PersonDetails details;
    details.kind = domain::PersonKind::kChild;
    details.given_name = given_name;
    details.family_name = "Crashworth";
    const Instant now = SystemClock{}.now();
    FD_ASSIGN_OR_RETURN(auto events, domain::record_person(details, now));
    FD_ASSIGN_OR_RETURN(auto stored, storage::EventStore::append(
                                         tx, "person/" + std::to_string(id), storage::kNewStream,
                                         domain::Actor::system(), std::move(events), now));
    const auto state = domain::fold_person(id, stored);
    return tx.exec(
        "INSERT INTO persons (id, kind, given_name, family_name, version, state) VALUES (?, ?, ?, "
        "?, ?, ?)",
        {id, std::string("child"), details.given_name, details.family_name, state.version,
         domain::to_json(state).dump()});
  });
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
         {"times with an answer but has"});

  // A crash between the two halves of a link, were they two transactions:
  // the child's person record without the contact's link to it.
  const ContactWrite* unlinked = nullptr;
  for (const auto& c : model.contacts) {
    if (c.acknowledged && c.link_sends == 0) unlinked = &c;
  }
  const Status planted = unlinked == nullptr
                             ? Status{Error::not_found("no acknowledged contact without a link")}
                             : plant_person_without_link(db, unlinked->child_given_name);
  if (!planted.ok()) {
    ++result.planted;
    missed.push_back("half a link: could not be made: " + planted.error().message);
  } else {
    expect("half a link", [](Model&) { return true; }, {"person records for its child"});
  }

  // The store itself is changed behind the application's back (as a crash
  // that half-wrote something would leave it), cumulatively.
  auto tamper = [&](const std::string& what, const std::vector<std::string>& sql,
                    const std::vector<std::string>& any_of) {
    const Status done = db.write([&](storage::Transaction& tx) -> Status {
      for (const auto& statement : sql) FD_TRY(tx.exec(statement));
      return ok_status();
    });
    if (!done.ok()) {
      ++result.planted;
      missed.push_back(what + ": could not be made: " + done.error().message);
      return;
    }
    expect(
        what, [](Model&) { return true; }, any_of);
  };
  tamper("a contact row changed without an event",
         {"UPDATE contacts SET version = version + 7 WHERE id = (SELECT MIN(id) FROM contacts)"},
         {"differs from the fold"});
  // Two, because the half link above added one after the checkpoint.
  tamper("the last two events deleted",
         {"DROP TRIGGER events_append_only_delete",
          "DELETE FROM events WHERE seq >= (SELECT MAX(seq) - 1 FROM events)"},
         {"behind-checkpoint"});
  tamper("an event rewritten",
         {"DROP TRIGGER events_append_only_update",
          "UPDATE events SET payload = '{\"tampered\":true}' WHERE seq = 2"},
         {"hash chain events seq 2: altered"});
  tamper("the first audit entry deleted",
         {"DROP TRIGGER audit_append_only_delete",
          "DELETE FROM audit WHERE seq = (SELECT MIN(seq) FROM audit)"},
         {"hash chain audit seq"});
  return result;
}

}  // namespace frontdoor::crash
