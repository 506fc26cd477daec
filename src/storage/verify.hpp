#pragma once
// Checks the two hash chains, the event log (event_store.hpp, event_hash) and
// the audit log (audit_log.hpp, audit_hash), on either engine through the
// Database seam, and reports the first break.
//
// Each table is read in sequence order in batches of a bounded size, each
// batch in a read transaction of its own, so a log of millions of entries is
// checked in constant memory while a server goes on appending (the walk stops
// at the last entry that existed when it began). Every entry's hash is
// recomputed, its prev_hash must be the previous entry's hash (64 zeros for
// the first), and sequence numbers must run 1, 2, 3, ... without a gap.
//
// What the chain alone cannot show is an entry removed from the end, a
// truncated table, or an older copy of the whole database put back: each of
// these leaves a shorter chain that is still whole. A checkpoint (the count,
// last sequence number and last hash, exported and kept elsewhere) shows
// them: the store must still hold at least the checkpoint's count of entries
// and, at the checkpoint's last sequence number, the entry with exactly that
// hash.
//
// The hashes are plain SHA-256, not keyed: someone who can write to the
// database and recomputes the hash of every entry after the one they changed
// leaves a chain that verifies. Only a checkpoint taken before the change
// (whose last hash they cannot alter) shows that.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace frontdoor::storage {

enum class Chain { kEvents, kAudit };
// "events", "audit": the table names.
std::string_view chain_name(Chain chain);
std::optional<Chain> parse_chain(std::string_view name);

enum class BreakKind {
  kAltered,           // the entry no longer matches its own hash: payload or envelope changed
  kMissing,           // sequence numbers skip: entries were deleted
  kOutOfOrder,        // the entry was written after one that now follows it
  kRelinked,          // the entry does not link to the one before it, which matches its own hash:
                      // that one was replaced or re-hashed, or the entries were renumbered
  kBehindCheckpoint,  // fewer entries than the checkpoint: removed from the end, truncated, or
                      // an older copy restored
  kDiverged,          // the entry at the checkpoint's sequence number has another hash
};
// "altered", "missing", "out-of-order", "relinked", "behind-checkpoint", "diverged".
std::string_view break_kind_name(BreakKind kind);

struct ChainBreak {
  Chain chain = Chain::kEvents;
  std::int64_t seq = 0;  // where the chain first fails
  BreakKind kind = BreakKind::kAltered;
  std::string detail;  // a sentence for the operator
  // "events seq 17: altered: ..."
  std::string describe() const;
};

// What a chain was at one moment, to check later copies against.
struct ChainCheckpoint {
  Chain chain = Chain::kEvents;
  std::int64_t count = 0;
  std::int64_t last_seq = 0;
  std::string last_hash;  // 64 zeros for an empty chain
  Instant taken_at;
};

struct ChainReport {
  Chain chain = Chain::kEvents;
  std::int64_t count = 0;        // entries read
  std::int64_t last_seq = 0;     // of the last entry read (0 when none)
  std::string last_hash;         // as stored in the last entry (64 zeros when none)
  std::int64_t bad_entries = 0;  // entries failing a check, plus one when behind the checkpoint
  std::optional<ChainBreak> first_break;
  bool intact() const { return !first_break; }
  ChainCheckpoint checkpoint(Instant taken_at) const;
};

struct VerifyOptions {
  std::int64_t batch_size = 1000;  // entries read per transaction
};

// Walks one chain. An error is returned only when the store cannot be read;
// a broken chain is a report with first_break set.
Result<ChainReport> verify_chain(Database& db, Chain chain,
                                 const std::optional<ChainCheckpoint>& checkpoint = std::nullopt,
                                 const VerifyOptions& options = {});

// A checkpoint of both chains.
struct Checkpoint {
  std::vector<ChainCheckpoint> chains;
  const ChainCheckpoint* find(Chain chain) const;
  nlohmann::json to_json() const;
  // Refuses (kValidation) anything but what to_json writes.
  static Result<Checkpoint> from_json(const nlohmann::json& json);
};

Result<Checkpoint> read_checkpoint(const std::filesystem::path& file);
// Writes through a temporary file renamed into place, so a reader never sees
// half a checkpoint.
Status write_checkpoint(const std::filesystem::path& file, const Checkpoint& checkpoint);

struct VerifyReport {
  std::vector<ChainReport> chains;  // events, then audit
  bool intact() const;
  // The break of the first broken chain (events before audit), if any.
  const ChainBreak* first_break() const;
  // One line: "intact: events 1234 entries (last seq 1234, hash 3f2a...), audit ..."
  // or "BROKEN: events seq 17: altered: ...".
  std::string summary() const;
  Checkpoint checkpoint(Instant taken_at) const;
};

// Both chains, each against its part of `checkpoint` when one is given.
Result<VerifyReport> verify_all(Database& db,
                                const std::optional<Checkpoint>& checkpoint = std::nullopt,
                                const VerifyOptions& options = {});

}  // namespace frontdoor::storage
