#pragma once
// Audit entries: every read of a child's record, every refusal, every sign-in.
// Hash-chained like the events. Written in the same transaction as anything
// else the request writes; if the entry cannot be written the read is refused.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/actor.hpp"
#include "storage/database.hpp"

namespace frontdoor::storage {

enum class AuditOutcome { kAllowed, kRefused };

struct AuditEntry {
  std::int64_t seq = 0;
  Instant at;
  domain::Actor actor;
  std::string action;   // "view", "search", "sign_in", "sign_in_failed", "sign_out", ...
  std::string subject;  // "person/12", "contact/7", "user/alice"
  std::string basis;    // why they could (or could not) see it
  AuditOutcome outcome = AuditOutcome::kAllowed;
  std::string prev_hash;
  std::string hash;
};

// The hash of an entry over every column but its own hash, chained to the
// previous entry's hash.
std::string audit_hash(const AuditEntry& e);

// The columns of `audit`, in the order audit_entry_from_row reads them.
extern const char* const kAuditColumns;
AuditEntry audit_entry_from_row(const Row& r);
// Why a stored row does not read back exactly as it was written (a time not
// in the written form, an unknown role or outcome), or nothing. The chain
// verifier (verify.hpp) counts such a row as altered.
std::optional<std::string> audit_row_defect(const Row& r);

class AuditLog {
 public:
  static Status record(Transaction& tx, const domain::Actor& actor, Instant at, std::string action,
                       std::string subject, std::string basis, AuditOutcome outcome);
  static Result<std::vector<AuditEntry>> for_subject(Transaction& tx, const std::string& subject,
                                                     std::size_t limit = 500);
  // Entries about any of `subjects`, the latest first.
  static Result<std::vector<AuditEntry>> for_subjects(Transaction& tx,
                                                      const std::vector<std::string>& subjects,
                                                      std::size_t limit = 500);
  static Result<std::vector<AuditEntry>> all(Transaction& tx, std::int64_t after_seq,
                                             std::size_t limit);
};

}  // namespace frontdoor::storage
