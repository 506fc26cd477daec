// After the crashes: read the whole store and hold it against what the
// clients were told. Nothing here trusts the server; it reads the tables
// through the storage layer and recomputes hashes and folds itself.
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "crash_battery.hpp"
#include "domain/contact.hpp"
#include "domain/person.hpp"
#include "storage/audit_log.hpp"
#include "storage/event_store.hpp"
#include "storage/verify.hpp"

namespace frontdoor::crash {
namespace {

using domain::RecordedEvent;
using storage::Transaction;

constexpr std::size_t kEverything = 100'000'000;

class Checker {
 public:
  Checker(Model& model, const CheckContext& context, CheckFigures& figures)
      : model_(model), context_(context), f_(figures) {}

  Status run(Transaction& tx) {
    FD_ASSIGN_OR_RETURN(auto events, storage::EventStore::read_after(tx, 0, kEverything));
    FD_ASSIGN_OR_RETURN(auto audit, storage::AuditLog::all(tx, 0, kEverything));
    f_.events = static_cast<std::int64_t>(events.size());
    f_.audit_entries = static_cast<std::int64_t>(audit.size());
    check_stream_versions(events);
    for (auto& e : events) streams_[e.stream].push_back(std::move(e));
    FD_TRY(check_contact_projections(tx));
    FD_TRY(check_person_projections(tx));
    for (const auto& [id, p] : persons_) persons_by_name_[p.details.given_name].push_back(id);
    for (const auto& a : audit) {
      if (a.action == "view" && a.outcome == storage::AuditOutcome::kAllowed &&
          a.actor.username == context_.worker_username) {
        ++views_by_subject_[a.subject];
      }
    }
    FD_ASSIGN_OR_RETURN(auto outbox, tx.query("SELECT contact_id, sent_at FROM outbox"));
    for (const auto& r : outbox) outbox_by_contact_[r.integer(0)].push_back(!r.is_null(1));
    read_mail_folder();
    check_contacts();
    check_people();
    // An e-mail goes out only about a contact that was signed off.
    std::set<std::string> signed_off;
    for (const auto& [id, c] : contacts_) {
      if (c.sign_off) signed_off.insert(c.reference);
    }
    for (const auto& [reference, files] : emails_by_reference_) {
      if (signed_off.count(reference) == 0)
        fail("an e-mail about " + reference + ", not signed off");
    }
    return ok_status();
  }

 private:
  void fail(std::string what) { f_.failures.push_back(std::move(what)); }
  void lost(std::string what) {
    ++f_.lost;
    fail("LOST: " + std::move(what));
  }

  // The hash chains are storage::verify_all's (check_store); here, each
  // record's own events: versions 1, 2, 3, ... in the order they were logged.
  void check_stream_versions(const std::vector<RecordedEvent>& events) {
    std::map<std::string, std::int64_t> versions;
    for (const auto& e : events) {
      if (e.stream_version != ++versions[e.stream]) {
        fail("event " + std::to_string(e.seq) + ": version " + std::to_string(e.stream_version) +
             " of " + e.stream + " out of order");
      }
    }
  }

  // Every projection row is the fold of its stream, and every stream has its
  // row: no record without its events, no events without their record.
  template <typename State, typename Fold>
  Status check_projection(Transaction& tx, const char* table, const std::string& prefix,
                          std::map<std::int64_t, State>& states, Fold fold) {
    FD_ASSIGN_OR_RETURN(auto rows,
                        tx.query(std::string("SELECT id, version, state FROM ") + table));
    std::map<std::int64_t, std::pair<std::int64_t, std::string>> projected;
    for (const auto& r : rows) projected[r.integer(0)] = {r.integer(1), r.text(2)};
    for (const auto& [stream, events] : streams_) {
      if (stream.rfind(prefix, 0) != 0) continue;
      const std::int64_t id = std::stoll(stream.substr(prefix.size()));
      State state = fold(id, events);
      auto row = projected.find(id);
      if (row == projected.end()) {
        fail(stream + ": events without a row in " + table);
      } else if (row->second.first != state.version ||
                 row->second.second != domain::to_json(state).dump()) {
        fail(stream + ": the row in " + table + " differs from the fold of its events");
      }
      states.emplace(id, std::move(state));
    }
    for (const auto& [id, row] : projected) {
      if (states.count(id) == 0) fail(prefix + std::to_string(id) + ": a row without events");
    }
    return ok_status();
  }

  Status check_contact_projections(Transaction& tx) {
    return check_projection(tx, "contacts", "contact/", contacts_, domain::fold_contact);
  }
  Status check_person_projections(Transaction& tx) {
    return check_projection(tx, "persons", "person/", persons_, domain::fold_person);
  }

  // A write that got no definite answer: in the store or not (either is fine,
  // as long as it is whole).
  void count_unknown(bool present) { ++(present ? f_.unknown_present : f_.unknown_absent); }

  void check_contacts() {
    std::map<std::string, std::vector<const RecordedEvent*>> by_key;
    for (const auto& [stream, events] : streams_) {
      for (const auto& e : events) {
        if (e.idempotency_key) by_key[*e.idempotency_key].push_back(&e);
      }
    }
    std::map<std::string, int> references;  // partner_reference -> contacts holding it
    for (const auto& [id, c] : contacts_) ++references[c.details.partner_reference];
    std::set<std::string> known;
    const std::string key_prefix = "api/" + std::to_string(context_.partner_agency_id) + "/";
    for (auto& c : model_.contacts) {
      known.insert(c.reference);
      const auto& hits = by_key[key_prefix + c.reference];
      if (hits.size() > 1 || references[c.reference] > 1) {
        fail("contact " + c.reference + " is stored " +
             std::to_string(std::max<std::size_t>(hits.size(), references[c.reference])) +
             " times (sent " + std::to_string(c.sends) + " times with one key)");
      }
      const domain::ContactState* state = nullptr;
      if (!hits.empty()) {
        const auto* e = hits.front();
        const auto id = std::stoll(e->stream.substr(e->stream.find('/') + 1));
        auto it = contacts_.find(id);
        if (e->type != domain::contact_events::kReceived || it == contacts_.end()) {
          fail("contact " + c.reference + ": its key is on a " + e->type + " event of " +
               e->stream);
        } else {
          state = &it->second;
        }
      }
      if (state != nullptr && !same_contact(*state, c)) {
        fail("contact " + c.reference + " is stored with other content (id " +
             std::to_string(state->id) + ")");
      }
      const bool present = state != nullptr;
      if (c.acknowledged) {
        ++f_.contacts_acknowledged;
        if (!present || state->id != c.id) {
          lost("contact " + c.reference + " acknowledged as id " + std::to_string(c.id));
          continue;
        }
      } else if (c.sends > 0) {
        count_unknown(present);
      } else {
        ++f_.not_sent;
        if (present) fail("contact " + c.reference + " was never sent yet is stored");
      }
      if (c.seen_in_store && !present)
        lost("contact " + c.reference + " was stored, then vanished");
      c.seen_in_store = present;
      if (present) check_contact_steps(c, *state);
    }
    for (const auto& [reference, n] : references) {
      if (known.count(reference) == 0) fail("a contact nobody sent: \"" + reference + "\"");
    }
  }

  static bool same_contact(const domain::ContactState& s, const ContactWrite& c) {
    return s.details.partner_reference == c.reference && s.details.concerns == c.concerns &&
           s.details.children.size() == 1 && s.details.children[0].given_name == c.child_given_name;
  }

  // One command on a contact: `present` when the store shows exactly what was
  // sent, `other` when it shows something nobody sent.
  void check_step(const std::string& what, const ContactWrite& c, bool present, bool other,
                  int sends, bool acknowledged, std::int64_t& acknowledged_count) {
    if (other) fail("contact " + c.reference + " has a " + what + " nobody sent");
    if (acknowledged) {
      ++acknowledged_count;
      if (!present) lost("the " + what + " of contact " + c.reference);
    } else if (sends > 0) {
      count_unknown(present);
    }
  }

  // A sign-off tells the referrer in the same transaction: the in-app notice
  // and one outbox row for the e-mail. The outbox row is marked sent in the
  // transaction that logs the e-mail notice, after the .eml is written.
  void check_outcome_notice(const ContactWrite& c, const domain::ContactState& s) {
    int in_app = 0;
    int by_email = 0;
    for (const auto& n : s.notifications) ++(n.channel == "in_app" ? in_app : by_email);
    const auto& rows = outbox_by_contact_[s.id];
    if (!s.sign_off) {
      if (in_app + by_email > 0 || !rows.empty()) {
        fail("contact " + c.reference + ": the referrer is told of an outcome not signed off");
      }
      return;
    }
    if (in_app != 1 || rows.size() != 1) {
      fail("contact " + c.reference + " was signed off with " + std::to_string(in_app) +
           " in-app notices and " + std::to_string(rows.size()) + " outbox rows (not 1 and 1)");
      return;
    }
    const bool sent = rows.front();
    if (by_email != (sent ? 1 : 0)) {
      fail("contact " + c.reference + ": its e-mail is " + (sent ? "" : "not ") +
           "marked sent, with " + std::to_string(by_email) + " e-mail notices");
    }
    if (sent) {
      ++f_.emails_recorded_sent;
      if (emails_by_reference_[s.reference] == 0) {
        lost("the outcome e-mail of contact " + c.reference + " is recorded as sent, but no .eml");
      }
    }
  }

  // The .eml files the server wrote, by the contact reference in their subject.
  void read_mail_folder() {
    const std::string subject = "Subject: Outcome of your referral ";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(context_.mail_folder, ec)) {
      if (entry.path().extension() != ".eml") continue;
      ++f_.email_files;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      const std::string t = text.str();
      const auto at = t.find(subject);
      if (at == std::string::npos || t.find("\r\n", at) == std::string::npos) {
        fail("an e-mail without its outcome subject: " + entry.path().filename().string());
        continue;
      }
      const auto from = at + subject.size();
      ++emails_by_reference_[t.substr(from, t.find("\r\n", at) - from)];
    }
  }

  // The link, the steps and the audited reads of a stored contact.
  void check_contact_steps(const ContactWrite& c, const domain::ContactState& s) {
    const auto& person_id = s.details.children[0].person_id;
    if (person_id) {
      auto person = persons_.find(*person_id);
      if (person == persons_.end() || person->second.details.given_name != c.child_given_name) {
        fail("contact " + c.reference + ": linked to person " + std::to_string(*person_id) +
             ", which is not that child's record");
      }
    }
    // Linking creates the child's person record and links it in one
    // transaction: a record for the child without the link (or two) would be
    // half a write.
    const std::vector<std::int64_t> expected =
        person_id ? std::vector<std::int64_t>{*person_id} : std::vector<std::int64_t>{};
    if (persons_by_name_[c.child_given_name] != expected) {
      fail("contact " + c.reference + ": " +
           std::to_string(persons_by_name_[c.child_given_name].size()) +
           " person records for its child, and the contact links " + (person_id ? "one" : "none"));
    }
    if (c.link_acknowledged) {
      ++f_.links_acknowledged;
      if (person_id != c.linked_person_id) lost("the link of contact " + c.reference);
    } else if (c.link_sends > 0) {
      count_unknown(person_id.has_value());
    } else if (person_id) {
      fail("contact " + c.reference + " is linked though no link was sent");
    }
    const bool screened = s.screening && s.screening->rationale == c.rationale &&
                          domain::to_string(s.screening->rag) == c.rag;
    check_step("screening", c, screened, s.screening && !screened, c.screening_sends,
               c.screening_acknowledged, f_.screenings_acknowledged);
    const bool decided = s.decision && s.decision->rationale == c.decision_rationale;
    check_step("decision", c, decided, s.decision && !decided, c.decision_sends,
               c.decision_acknowledged, f_.decisions_acknowledged);
    const bool signed_off =
        s.sign_off && s.sign_off->case_direction == c.case_direction && s.closed_at;
    check_step("sign-off", c, signed_off, s.sign_off && !signed_off, c.sign_off_sends,
               c.sign_off_acknowledged, f_.sign_offs_acknowledged);
    check_outcome_notice(c, s);
    const int audited = views_by_subject_["contact/" + std::to_string(s.id)];
    f_.views_acknowledged += c.views_acknowledged;
    if (audited < c.views_acknowledged) {
      lost("contact " + c.reference + " was read " + std::to_string(c.views_acknowledged) +
           " times with an answer but has " + std::to_string(audited) + " audit entries");
    } else if (audited > c.views_sent) {
      fail("contact " + c.reference + " has " + std::to_string(audited) +
           " audit entries for views but was read " + std::to_string(c.views_sent) + " times");
    }
  }

  void check_people() {
    for (auto& p : model_.people) {
      const auto& ids = persons_by_name_[p.given_name];
      if (ids.size() > 1)
        fail("person " + p.given_name + " is stored " + std::to_string(ids.size()) + " times");
      const bool present = !ids.empty();
      if (p.acknowledged) {
        ++f_.people_acknowledged;
        if (ids.size() != 1 || ids.front() != p.id) {
          lost("person " + p.given_name + " acknowledged as id " + std::to_string(p.id));
        }
      } else if (p.sends > 0) {
        count_unknown(present);
      } else {
        ++f_.not_sent;
        if (present) fail("person " + p.given_name + " was never sent yet is stored");
      }
      if (p.seen_in_store && !present)
        lost("person " + p.given_name + " was stored, then vanished");
      p.seen_in_store = present;
    }
  }

  Model& model_;
  const CheckContext& context_;
  CheckFigures& f_;
  std::map<std::string, std::vector<RecordedEvent>> streams_;
  std::map<std::int64_t, domain::ContactState> contacts_;
  std::map<std::int64_t, domain::PersonState> persons_;
  std::map<std::string, std::vector<std::int64_t>> persons_by_name_;  // given name -> ids
  std::map<std::string, int> views_by_subject_;
  std::map<std::int64_t, std::vector<bool>> outbox_by_contact_;  // contact id -> rows: sent?
  std::map<std::string, int> emails_by_reference_;               // MASH-000123 -> .eml files
};

}  // namespace

CheckFigures check_store(storage::Database& db, Model& model, const CheckContext& context) {
  CheckFigures figures;
  // Both hash chains, against the previous check's checkpoint when there is
  // one: a log that lost its tail (or went back to an older state) is still a
  // whole chain, and only the checkpoint shows it.
  auto verified = storage::verify_all(db, context.checkpoint);
  if (!verified.ok()) {
    figures.failures.push_back("verifying the hash chains failed: " + verified.error().message);
  } else {
    for (const auto& chain : verified->chains) {
      if (chain.first_break)
        figures.failures.push_back("hash chain " + chain.first_break->describe());
    }
    if (verified->intact()) figures.checkpoint = verified->checkpoint(SystemClock{}.now());
  }
  Checker checker(model, context, figures);
  try {
    const Status read = db.read([&](Transaction& tx) { return checker.run(tx); });
    if (!read.ok()) figures.failures.push_back("reading the store failed: " + read.error().message);
  } catch (const std::exception& e) {  // e.g. a payload that is not what its type promises
    figures.failures.push_back(std::string("reading the store failed: ") + e.what());
  }
  return figures;
}

}  // namespace frontdoor::crash
