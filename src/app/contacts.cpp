#include "app/contacts.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "app/enquiries.hpp"
#include "app/records.hpp"
#include "core/json.hpp"
#include "domain/access.hpp"
#include "storage/audit_log.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {

using domain::Permission;
using storage::Transaction;

std::string contact_reference(std::int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "MASH-%06lld", static_cast<long long>(id));
  return buf;
}

namespace {

// Reads the children's names from the projection's children column: a JSON
// array of objects, each with a "name" string and scalar fields (written by
// project_contact). The queue reads one such column per row, and nlohmann's
// lexer (even through its SAX interface) took a fifth of the queue page's
// time, so this reader takes the names directly. It accepts only that shape;
// anything else returns false and the caller parses the column with nlohmann.
class ChildNamesReader {
 public:
  explicit ChildNamesReader(std::string_view json) : s_(json) {}

  bool read(std::vector<std::string>& names) {
    skip_space();
    if (!eat('[')) return false;
    skip_space();
    if (eat(']')) return at_end();
    for (;;) {
      std::string name;
      if (!read_object(name)) return false;
      names.push_back(std::move(name));
      skip_space();
      if (eat(']')) return at_end();
      if (!eat(',')) return false;
      skip_space();
    }
  }

 private:
  bool read_object(std::string& name) {
    if (!eat('{')) return false;
    skip_space();
    if (eat('}')) return true;
    for (;;) {
      std::string key;
      if (!read_string(key)) return false;
      skip_space();
      if (!eat(':')) return false;
      skip_space();
      if (key == "name" && i_ < s_.size() && s_[i_] == '"') {
        if (!read_string(name)) return false;
      } else if (!skip_scalar()) {
        return false;
      }
      skip_space();
      if (eat('}')) return true;
      if (!eat(',')) return false;
      skip_space();
    }
  }

  // A string, a number, true, false or null.
  bool skip_scalar() {
    if (i_ < s_.size() && s_[i_] == '"') {
      std::string ignored;
      return read_string(ignored);
    }
    const std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) != 0 ||
                              s_[i_] == '-' || s_[i_] == '+' || s_[i_] == '.')) {
      ++i_;
    }
    return i_ > start;
  }

  bool read_string(std::string& out) {
    if (!eat('"')) return false;
    for (;;) {
      std::size_t run = i_;
      while (run < s_.size() && s_[run] != '"' && s_[run] != '\\') {
        if (static_cast<unsigned char>(s_[run]) < 0x20) return false;  // not valid JSON
        ++run;
      }
      if (run == s_.size()) return false;
      out.append(s_.substr(i_, run - i_));
      i_ = run + 1;
      if (s_[run] == '"') return true;
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
            std::uint32_t low = 0;
            if (!eat('\\') || !eat('u') || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
  }

  bool hex4(std::uint32_t& value) {
    if (s_.size() - i_ < 4) return false;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  bool eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool at_end() {
    skip_space();
    return i_ == s_.size();
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

QueueItem queue_item_from(const storage::Row& r) {
  QueueItem q;
  q.id = r.integer(0);
  q.reference = r.text(1);
  q.status =
      domain::parse_contact_status(r.text(2)).value_or(domain::ContactStatus::kAwaitingScreening);
  if (!r.is_null(3)) q.rag = domain::parse_rag_rating(r.text(3));
  q.received_at = parse_utc(r.text(4)).value_or(Instant{});
  q.decision_due_at = parse_utc(r.text(5)).value_or(Instant{});
  q.channel = r.text(6);
  const std::string children = r.text(7);
  if (!ChildNamesReader(children).read(q.children)) {
    q.children.clear();
    for (const auto& c : nlohmann::json::parse(children)) q.children.push_back(c.value("name", ""));
  }
  q.referrer_agency = r.text(8);
  if (!r.is_null(9)) q.outcome = domain::parse_outcome(r.text(9));
  return q;
}

constexpr const char* kQueueSelect =
    "SELECT c.id, c.reference, c.status, c.rag, c.received_at, c.decision_due_at, c.channel, "
    "c.children, COALESCE(a.name, ''), c.outcome FROM contacts c LEFT JOIN agencies a ON a.id = "
    "c.referrer_agency_id ";

}  // namespace

Contacts::Contacts(storage::Database& db, const Clock& clock,
                   const domain::WorkingDayCalendar& calendar, ContactPolicies policies,
                   Thresholds& thresholds)
    : db_(db),
      clock_(clock),
      calendar_(calendar),
      policies_(std::move(policies)),
      thresholds_(thresholds) {}

Instant Contacts::deadline(Instant received_at, domain::RagRating rag) const {
  return policies_.decision.deadline(received_at, rag, calendar_, policies_.working_hours);
}

Result<domain::ContactState> Contacts::record(const Principal& who, domain::ContactDetails details,
                                              const std::optional<std::string>& idempotency_key) {
  const auto actor = who.user.actor();
  const bool partner = !domain::is_mash_role(actor.role);
  const auto permission = partner ? Permission::kSubmitContactByApi : Permission::kRecordContact;
  if (auto allowed = domain::authorize(actor, permission); !allowed.ok()) {
    return log_if_refused(db_, actor, clock_.now(), std::string(domain::to_string(permission)),
                          "contact/new", Status{std::move(allowed).error()})
        .error();
  }
  if (partner) {
    // A partner always refers as themselves, from their own agency.
    details.submitted_by_user_id = who.user.id;
    details.referrer.agency_id = who.user.agency.id;
    details.referrer.agency_name = who.user.agency.name;
    if (details.referrer.name.empty()) details.referrer.name = who.user.display_name;
    if (details.referrer.email.empty()) details.referrer.email = who.user.email;
  }
  std::optional<domain::ContactState> result;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(result, record_in(tx, actor, std::move(details), idempotency_key));
    return ok_status();
  }));
  return *result;
}

Result<domain::ContactState> Contacts::record_in(
    Transaction& tx, const domain::Actor& actor, domain::ContactDetails details,
    const std::optional<std::string>& idempotency_key) {
  const Instant now = clock_.now();
  if (idempotency_key) {
    FD_ASSIGN_OR_RETURN(auto existing,
                        storage::EventStore::find_by_idempotency_key(tx, *idempotency_key));
    if (existing) {
      // The key belongs to a contact only if its event is on a contact's stream.
      if (existing->stream.rfind("contact/", 0) != 0) {
        return Error::conflict("This reference was already used for another record");
      }
      const auto id = std::stoll(existing->stream.substr(existing->stream.find('/') + 1));
      return load_contact(tx, id);
    }
  }
  FD_ASSIGN_OR_RETURN(const std::int64_t id, next_id(tx, "contacts"));
  const std::string reference = contact_reference(id);
  const Instant provisional_due = deadline(details.received_at, policies_.provisional);
  FD_ASSIGN_OR_RETURN(auto contact,
                      run_contact_command(tx, actor, id, storage::kNewStream, now, provisional_due,
                                          [&](const domain::ContactState&) {
                                            auto events =
                                                domain::receive_contact(details, reference, now);
                                            if (events.ok() && idempotency_key) {
                                              events->front().idempotency_key = idempotency_key;
                                            }
                                            return events;
                                          }));
  if (!automatic_linker_) return contact;
  for (std::size_t i = 0; i < contact.details.children.size(); ++i) {
    FD_ASSIGN_OR_RETURN(auto match,
                        automatic_linker_(tx, contact.details.children[i], contact.details));
    if (!match) continue;
    FD_ASSIGN_OR_RETURN(
        contact, run_contact_command(
                     tx, domain::Actor::system(), id, contact.version, now, provisional_due,
                     [&](const domain::ContactState& s) -> Result<std::vector<domain::NewEvent>> {
                       FD_ASSIGN_OR_RETURN(auto events,
                                           domain::link_child(s, i, match->person_id, false));
                       for (auto& e : events) e.reason = match->reason;
                       return events;
                     }));
  }
  return contact;
}

std::string Contacts::outcome_email_body(const domain::ContactState& s) const {
  std::string body = domain::outcome_message_for_referrer(s);
  if (s.details.submitted_by_user_id && !policies_.base_url.empty()) {
    std::string base = policies_.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    body += "\n\nYou can see your referrals in Frontdoor: " + base + "/referrals";
  }
  return body;
}

Result<Contacts::QueueCounts> Contacts::queue_counts(const Principal& who, Instant now) {
  FD_TRY(domain::authorize(who.user.actor(), Permission::kViewQueue));
  QueueCounts counts;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    // Counted over the queue's own ordered walk, so that the planner takes
    // the open-contacts index (migration 2); a bare COUNT(*) chose a covering
    // index of every contact and read all 200,000 (13 ms a page).
    FD_ASSIGN_OR_RETURN(
        auto row, tx.query_one("SELECT COUNT(*), COALESCE(SUM(CASE WHEN q.due < ? THEN 1 ELSE 0 "
                               "END), 0) FROM (SELECT c.decision_due_at AS due FROM contacts c "
                               "WHERE c.status <> 'completed' ORDER BY c.decision_due_at, c.id) q",
                               {format_utc(now)}));
    if (row) {
      counts.open = row->integer(0);
      counts.overdue = row->integer(1);
    }
    return ok_status();
  }));
  return counts;
}

Result<std::vector<QueueItem>> Contacts::queue(const Principal& who, std::size_t limit,
                                               std::size_t offset) {
  FD_TRY(domain::authorize(who.user.actor(), Permission::kViewQueue));
  std::vector<QueueItem> items;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    // "c.status <> 'completed'" is the same predicate as the contacts_open_by_deadline
    // partial index (migration 2), so the query walks that index in
    // deadline order and stops at the limit, however many contacts are closed
    // or open.
    FD_ASSIGN_OR_RETURN(
        auto rows, tx.query(std::string(kQueueSelect) + "WHERE c.status <> 'completed' ORDER BY "
                                                        "c.decision_due_at, c.id LIMIT ? OFFSET ?",
                            {static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)}));
    items.reserve(rows.size());
    for (const auto& r : rows) items.push_back(queue_item_from(r));
    return ok_status();
  }));
  return items;
}

Result<std::vector<QueueItem>> Contacts::submitted_by(const Principal& who, std::size_t limit) {
  FD_TRY(domain::authorize(who.user.actor(), Permission::kViewOwnReferrals));
  std::vector<QueueItem> items;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(
        auto rows, tx.query(std::string(kQueueSelect) + "WHERE c.submitted_by_user_id = ? ORDER BY "
                                                        "c.received_at DESC, c.id DESC LIMIT ?",
                            {who.user.id, static_cast<std::int64_t>(limit)}));
    for (const auto& r : rows) items.push_back(queue_item_from(r));
    return ok_status();
  }));
  return items;
}

Result<ContactView> Contacts::authorize(Transaction& tx, const Principal& who, std::int64_t id,
                                        Permission permission) {
  const auto actor = who.user.actor();
  auto loaded = load_contact(tx, id);
  domain::ContactRelation relation;
  if (loaded.ok()) {
    relation.submitted_by_actor = loaded->details.submitted_by_user_id == who.user.id;
    relation.referrer_agency_is_actors = loaded->details.referrer.agency_id == who.user.agency.id;
  }
  auto basis = domain::authorize_contact(actor, permission, relation);
  if (!basis.ok()) return std::move(basis).error();
  if (!loaded.ok()) return std::move(loaded).error();
  return ContactView{std::move(loaded).value(), basis->reason};
}

Result<ContactView> Contacts::view(const Principal& who, std::int64_t id) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  std::optional<ContactView> view;
  std::optional<Error> refusal;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    auto allowed = authorize(tx, who, id, Permission::kViewContact);
    if (!allowed.ok()) {
      refusal = allowed.error();
      return storage::AuditLog::record(tx, actor, now, "view", contact_stream(id),
                                       std::string(to_string(allowed.error().code)),
                                       storage::AuditOutcome::kRefused);
    }
    view = std::move(allowed).value();
    return storage::AuditLog::record(tx, actor, now, "view", contact_stream(id), view->access_basis,
                                     storage::AuditOutcome::kAllowed);
  }));
  if (refusal) return *refusal;
  return *view;
}

Result<domain::ContactState> Contacts::command(const Principal& who, std::int64_t id,
                                               std::int64_t version, Permission permission,
                                               const TxDecider& decide) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  std::optional<domain::ContactState> result;
  auto work = [&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto view, authorize(tx, who, id, permission));
    const Instant provisional = deadline(view.contact.details.received_at, policies_.provisional);
    FD_ASSIGN_OR_RETURN(
        result, run_contact_command(tx, actor, id, version, now, provisional,
                                    [&](const domain::ContactState& s) { return decide(tx, s); }));
    return ok_status();
  };
  FD_TRY(log_if_refused(db_, actor, now, std::string(domain::to_string(permission)),
                        contact_stream(id), db_.write(work)));
  return *result;
}

Result<domain::ContactState> Contacts::link_child(const Principal& who, std::int64_t id,
                                                  std::int64_t version, std::size_t child_index,
                                                  std::int64_t person_id) {
  return command(
      who, id, version, Permission::kScreenContact,
      [&](Transaction& tx, const domain::ContactState& s) -> Result<std::vector<domain::NewEvent>> {
        // A record this user may not see (restricted) is one they cannot link to.
        auto person = person_for(tx, who.user.actor(), person_id, Permission::kViewPerson);
        if (!person.ok()) {
          if (person.error().code != ErrorCode::kNotFound) return std::move(person).error();
          return Error::field("person_id", "There is no person with that identifier");
        }
        return domain::link_child(s, child_index, person_id, false);
      });
}

Result<domain::ContactState> Contacts::link_new_person(const Principal& who, std::int64_t id,
                                                       std::int64_t version,
                                                       std::size_t child_index) {
  const auto actor = who.user.actor();
  const Instant now = clock_.now();
  auto result = command(
      who, id, version, Permission::kScreenContact,
      [&](Transaction& tx, const domain::ContactState& s) -> Result<std::vector<domain::NewEvent>> {
        if (child_index >= s.details.children.size()) {
          return Error::field("child_index", "There is no such child on this contact");
        }
        const auto& child = s.details.children[child_index];
        domain::PersonDetails details;
        details.kind = child.unborn ? domain::PersonKind::kUnborn : domain::PersonKind::kChild;
        details.given_name = child.given_name;
        details.family_name = child.family_name;
        details.date_of_birth = child.date_of_birth;
        details.expected_date_of_birth = child.expected_date_of_birth;
        details.sex = child.sex;
        if (!s.details.address_line.empty() || !s.details.postcode.empty()) {
          details.address = domain::PersonAddress{s.details.address_line, s.details.postcode,
                                                  std::nullopt, std::nullopt};
        }
        FD_ASSIGN_OR_RETURN(const std::int64_t person_id, next_id(tx, "persons"));
        FD_ASSIGN_OR_RETURN(auto person,
                            run_person_command(tx, actor, person_id, storage::kNewStream, now,
                                               [&](const domain::PersonState&) {
                                                 return domain::record_person(details, now);
                                               }));
        (void)person;
        return domain::link_child(s, child_index, person_id, true);
      });
  if (result.ok() && people_changed_) people_changed_();
  return result;
}

Result<domain::HistorySummary> Contacts::history_for(const Principal& who, std::int64_t id) {
  std::optional<domain::HistorySummary> summary;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto view, authorize(tx, who, id, Permission::kScreenContact));
    FD_ASSIGN_OR_RETURN(summary, history_in(tx, view.contact));
    return ok_status();
  }));
  return *summary;
}

Result<domain::HistorySummary> Contacts::history_in(Transaction& tx,
                                                    const domain::ContactState& c) {
  std::vector<domain::PriorContact> prior;
  for (const auto& child : c.details.children) {
    if (!child.person_id) continue;
    FD_ASSIGN_OR_RETURN(auto rows,
                        tx.query("SELECT c.id, c.received_at, c.outcome, c.closed_at FROM "
                                 "contact_people p JOIN contacts c ON "
                                 "c.id = p.contact_id WHERE p.person_id = ? AND c.id <> ?",
                                 {*child.person_id, c.id}));
    for (const auto& r : rows) {
      domain::PriorContact pc;
      pc.contact_id = r.integer(0);
      pc.received_at = parse_utc(r.text(1)).value_or(Instant{});
      if (!r.is_null(2)) pc.outcome = domain::parse_outcome(r.text(2));
      pc.closed = !r.is_null(3);
      const bool seen = std::any_of(prior.begin(), prior.end(),
                                    [&](const auto& p) { return p.contact_id == pc.contact_id; });
      if (!seen) prior.push_back(pc);
    }
  }
  return domain::summarise_history(prior, c.details.received_at);
}

Result<domain::ContactState> Contacts::screen(const Principal& who, std::int64_t id,
                                              std::int64_t version, domain::RagRating rag,
                                              const std::string& rationale) {
  return command(
      who, id, version, Permission::kScreenContact,
      [&](Transaction& tx, const domain::ContactState& s) -> Result<std::vector<domain::NewEvent>> {
        FD_ASSIGN_OR_RETURN(auto history, history_in(tx, s));
        domain::ScreenCommand cmd{rag, rationale, history};
        return domain::screen_contact(s, cmd, deadline(s.details.received_at, rag));
      });
}

Result<domain::ContactState> Contacts::record_decision(const Principal& who, std::int64_t id,
                                                       std::int64_t version,
                                                       const domain::DecisionCommand& cmd) {
  FD_ASSIGN_OR_RETURN(auto framework, thresholds_.active());
  return command(
      who, id, version, Permission::kProposeDecision,
      [&](Transaction& tx, const domain::ContactState& s) -> Result<std::vector<domain::NewEvent>> {
        FD_ASSIGN_OR_RETURN(auto checks, checks_progress(tx, s.id));
        return domain::record_decision(s, cmd, framework, checks);
      });
}

Result<domain::ContactState> Contacts::allow_early_decision(const Principal& who, std::int64_t id,
                                                            std::int64_t version,
                                                            const std::string& reason) {
  return command(
      who, id, version, Permission::kDecideBeforeChecksIn,
      [&](Transaction& tx, const domain::ContactState& s) -> Result<std::vector<domain::NewEvent>> {
        FD_ASSIGN_OR_RETURN(auto checks, checks_progress(tx, s.id));
        return domain::allow_decision_before_checks_in(s, checks, reason);
      });
}

Result<domain::ContactState> Contacts::link_new_adult_in(Transaction& tx,
                                                         const domain::Actor& actor,
                                                         std::int64_t id, std::size_t adult_index) {
  const Instant now = clock_.now();
  FD_ASSIGN_OR_RETURN(auto contact, load_contact(tx, id));
  if (adult_index >= contact.details.adults.size()) {
    return Error::field("people", "There is no such adult on this contact");
  }
  const auto& adult = contact.details.adults[adult_index];
  domain::PersonDetails details;
  details.kind = domain::PersonKind::kAdult;
  details.given_name = adult.given_name;
  details.family_name = adult.family_name;
  details.date_of_birth = adult.date_of_birth;
  if (!adult.address.empty()) {
    details.address = domain::PersonAddress{adult.address, "", std::nullopt, std::nullopt};
  } else if (!contact.details.address_line.empty() || !contact.details.postcode.empty()) {
    details.address = domain::PersonAddress{contact.details.address_line, contact.details.postcode,
                                            std::nullopt, std::nullopt};
  }
  FD_ASSIGN_OR_RETURN(const std::int64_t person_id, next_id(tx, "persons"));
  FD_ASSIGN_OR_RETURN(auto person, run_person_command(tx, actor, person_id, storage::kNewStream,
                                                      now, [&](const domain::PersonState&) {
                                                        return domain::record_person(details, now);
                                                      }));
  (void)person;
  const Instant provisional = deadline(contact.details.received_at, policies_.provisional);
  return run_contact_command(tx, actor, id, storage::kAnyVersion, now, provisional,
                             [&](const domain::ContactState& s) {
                               return domain::link_adult(s, adult_index, person_id, true);
                             });
}

Result<domain::ContactState> Contacts::send_back(const Principal& who, std::int64_t id,
                                                 std::int64_t version, const std::string& reason) {
  return command(who, id, version, Permission::kSignOffDecision,
                 [&](Transaction&, const domain::ContactState& s) {
                   return domain::send_back_decision(s, reason);
                 });
}

Result<domain::ContactState> Contacts::sign_off(const Principal& who, std::int64_t id,
                                                std::int64_t version,
                                                const std::string& case_direction) {
  const Instant now = clock_.now();
  return command(
      who, id, version, Permission::kSignOffDecision,
      [&](Transaction& tx, const domain::ContactState& s) -> Result<std::vector<domain::NewEvent>> {
        FD_ASSIGN_OR_RETURN(auto events, domain::sign_off_decision(s, case_direction, now));
        // Fold the sign-off in to decide what the referrer is told, and how.
        domain::ContactState after = s;
        std::int64_t v = s.version;
        for (const auto& e : events) {
          domain::RecordedEvent r;
          r.type = e.type;
          r.payload = e.payload;
          r.stream_version = ++v;
          r.occurred_at = now;
          r.actor = who.user.actor();
          domain::apply(after, r);
        }
        if (s.details.submitted_by_user_id) {
          FD_ASSIGN_OR_RETURN(
              auto told,
              domain::record_referrer_notified(
                  after, "in_app", "user/" + std::to_string(*s.details.submitted_by_user_id)));
          for (auto& e : told) events.push_back(std::move(e));
        }
        if (!s.details.referrer.email.empty()) {
          // Sent by the outbox worker after commit; it records ReferrerNotified when delivered.
          FD_ASSIGN_OR_RETURN(const std::int64_t outbox_id, next_id(tx, "outbox"));
          FD_TRY(tx.exec(
              "INSERT INTO outbox (id, kind, recipient, subject, body, contact_id, created_at) "
              "VALUES "
              "(?, 'email', ?, ?, ?, ?, ?)",
              {outbox_id, s.details.referrer.email, "Outcome of your referral " + s.reference,
               outcome_email_body(after), s.id, format_utc(now)}));
        }
        return events;
      });
}

}  // namespace frontdoor::app
