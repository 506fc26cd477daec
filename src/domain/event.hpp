#pragma once
// The event envelope (see ../shared/design/RECORDS.md). Domain rules produce
// NewEvents from the current state and a command; storage persists them as
// RecordedEvents; the state of a record is the fold of its RecordedEvents.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/time.hpp"
#include "domain/actor.hpp"

namespace frontdoor::domain {

struct NewEvent {
  std::string type;
  nlohmann::json payload = nlohmann::json::object();
  int payload_version = 1;
  std::optional<Instant> occurred_at;  // defaults to when it was recorded
  std::optional<std::string> reason;
  std::optional<std::string> idempotency_key;
};

struct RecordedEvent {
  std::int64_t seq = 0;
  std::string stream;
  std::int64_t stream_version = 0;
  std::string type;
  int payload_version = 1;
  nlohmann::json payload;
  Actor actor;
  Instant occurred_at;
  Instant recorded_at;
  std::optional<std::string> reason;
  std::optional<std::string> idempotency_key;
  std::string prev_hash;
  std::string hash;
};

}  // namespace frontdoor::domain
