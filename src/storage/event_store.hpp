#pragma once
// The append-only event log: every change to a record is an event with the
// actor, both times, a reason where one is needed, and a hash that commits to
// the event before it. Events are appended inside the caller's write
// transaction, so the event, the projections it changes and any audit entries
// commit together or not at all.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/actor.hpp"
#include "domain/event.hpp"
#include "storage/database.hpp"

namespace frontdoor::storage {

using NewEvent = domain::NewEvent;
using StoredEvent = domain::RecordedEvent;

// The hash of an event over its envelope and the hash of its payload, chained
// to the previous event's hash.
std::string event_hash(const StoredEvent& e);

// The columns of `events`, in the order event_from_row reads them.
extern const char* const kEventColumns;
// Reads an event; its payload must be valid JSON (see event_row_defect).
StoredEvent event_from_row(const Row& r);
// Why a stored row does not read back exactly as it was written (a payload
// that is not JSON, a time not in the written form, an unknown role), or
// nothing. The chain verifier (verify.hpp) counts such a row as altered.
std::optional<std::string> event_row_defect(const Row& r);

constexpr std::int64_t kAnyVersion = -1;
constexpr std::int64_t kNewStream = 0;

class EventStore {
 public:
  // Appends events to `stream`. `expected_version` is the version the command
  // read (0 for a new stream); a mismatch is ErrorCode::kConflict. With
  // kAnyVersion no check is made (used for streams only the system writes).
  static Result<std::vector<StoredEvent>> append(Transaction& tx, const std::string& stream,
                                                 std::int64_t expected_version,
                                                 const domain::Actor& actor,
                                                 std::vector<NewEvent> events, Instant recorded_at);
  static Result<std::vector<StoredEvent>> read_stream(Transaction& tx, const std::string& stream);
  static Result<std::vector<StoredEvent>> read_after(Transaction& tx, std::int64_t after_seq,
                                                     std::size_t limit);
  static Result<std::int64_t> stream_version(Transaction& tx, const std::string& stream);
  static Result<std::optional<StoredEvent>> find_by_idempotency_key(Transaction& tx,
                                                                    const std::string& key);
  // The events of several streams in commit order (for a chronology).
  static Result<std::vector<StoredEvent>> read_streams(Transaction& tx,
                                                       const std::vector<std::string>& streams);
  static Result<std::int64_t> last_seq(Transaction& tx);
};

}  // namespace frontdoor::storage
