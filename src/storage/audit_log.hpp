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

std::string audit_hash(const AuditEntry& e);

class AuditLog {
 public:
  static Status record(Transaction& tx, const domain::Actor& actor, Instant at, std::string action,
                       std::string subject, std::string basis, AuditOutcome outcome);
  static Result<std::vector<AuditEntry>> for_subject(Transaction& tx, const std::string& subject,
                                                     std::size_t limit = 500);
  static Result<std::vector<AuditEntry>> all(Transaction& tx, std::int64_t after_seq,
                                             std::size_t limit);
};

}  // namespace frontdoor::storage
