#include "storage/audit_log.hpp"

#include "core/crypto.hpp"

namespace frontdoor::storage {

const char* const kAuditColumns =
    "seq, at, user_id, username, user_name, role, agency_id, agency, action, subject, basis, "
    "outcome, prev_hash, hash";

AuditEntry audit_entry_from_row(const Row& r) {
  AuditEntry e;
  e.seq = r.integer(0);
  e.at = parse_utc(r.text(1)).value_or(Instant{});
  e.actor.user_id = r.integer(2);
  e.actor.username = r.text(3);
  e.actor.display_name = r.text(4);
  e.actor.role = domain::parse_role(r.text(5)).value_or(domain::Role::kSystemAdministrator);
  e.actor.agency_id = r.integer(6);
  e.actor.agency_name = r.text(7);
  e.action = r.text(8);
  e.subject = r.text(9);
  e.basis = r.text(10);
  e.outcome = r.text(11) == "refused" ? AuditOutcome::kRefused : AuditOutcome::kAllowed;
  e.prev_hash = r.text(12);
  e.hash = r.text(13);
  return e;
}

std::optional<std::string> audit_row_defect(const Row& r) {
  for (const std::size_t column : {0U, 2U, 6U}) {
    if (!std::holds_alternative<std::int64_t>(r[column])) return "a number in it is not a number";
  }
  const std::string at = r.text(1);
  const auto parsed = parse_utc(at);
  if (!parsed || format_utc(*parsed) != at) return "its time \"" + at + "\" is not as written";
  if (!domain::parse_role(r.text(5))) return "its role \"" + r.text(5) + "\" is not a role";
  const std::string outcome = r.text(11);
  if (outcome != "allowed" && outcome != "refused") {
    return "its outcome \"" + outcome + "\" is neither allowed nor refused";
  }
  return std::nullopt;
}

namespace {

Result<std::vector<AuditEntry>> query_entries(Transaction& tx, const std::string& rest,
                                              const Params& params) {
  FD_ASSIGN_OR_RETURN(
      auto rows, tx.query(std::string("SELECT ") + kAuditColumns + " FROM audit " + rest, params));
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(audit_entry_from_row(r));
  return out;
}

}  // namespace

std::string audit_hash(const AuditEntry& e) {
  std::string s;
  for (const std::string& part :
       {e.prev_hash, std::to_string(e.seq), format_utc(e.at), std::to_string(e.actor.user_id),
        e.actor.username, e.actor.display_name, std::string(domain::to_string(e.actor.role)),
        std::to_string(e.actor.agency_id), e.actor.agency_name, e.action, e.subject, e.basis,
        std::string(e.outcome == AuditOutcome::kRefused ? "refused" : "allowed")}) {
    s += part;
    s += '\x1f';
  }
  return sha256_hex(s);
}

Status AuditLog::record(Transaction& tx, const domain::Actor& actor, Instant at, std::string action,
                        std::string subject, std::string basis, AuditOutcome outcome) {
  FD_ASSIGN_OR_RETURN(auto last,
                      tx.query_one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"));
  AuditEntry e;
  e.seq = last ? last->integer(0) + 1 : 1;
  e.prev_hash = last ? last->text(1) : std::string(64, '0');
  e.at = at;
  e.actor = actor;
  e.action = std::move(action);
  e.subject = std::move(subject);
  e.basis = std::move(basis);
  e.outcome = outcome;
  e.hash = audit_hash(e);
  return tx.exec(
      "INSERT INTO audit (seq, at, user_id, username, user_name, role, agency_id, agency, action, "
      "subject, basis, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.seq, format_utc(e.at), e.actor.user_id, e.actor.username, e.actor.display_name,
       std::string(domain::to_string(e.actor.role)), e.actor.agency_id, e.actor.agency_name,
       e.action, e.subject, e.basis,
       std::string(outcome == AuditOutcome::kRefused ? "refused" : "allowed"), e.prev_hash,
       e.hash});
}

Result<std::vector<AuditEntry>> AuditLog::for_subject(Transaction& tx, const std::string& subject,
                                                      std::size_t limit) {
  return query_entries(tx, "WHERE subject = ? ORDER BY seq DESC LIMIT ?",
                       {subject, static_cast<std::int64_t>(limit)});
}

Result<std::vector<AuditEntry>> AuditLog::for_subjects(Transaction& tx,
                                                       const std::vector<std::string>& subjects,
                                                       std::size_t limit) {
  if (subjects.empty()) return std::vector<AuditEntry>{};
  std::string where = "WHERE subject IN (";
  Params params;
  for (const auto& s : subjects) {
    where += params.empty() ? "?" : ", ?";
    params.emplace_back(s);
  }
  where += ") ORDER BY seq DESC LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit));
  return query_entries(tx, where, params);
}

Result<std::vector<AuditEntry>> AuditLog::all(Transaction& tx, std::int64_t after_seq,
                                              std::size_t limit) {
  return query_entries(tx, "WHERE seq > ? ORDER BY seq LIMIT ?",
                       {after_seq, static_cast<std::int64_t>(limit)});
}

}  // namespace frontdoor::storage
