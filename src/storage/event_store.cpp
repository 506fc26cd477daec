#include "storage/event_store.hpp"

#include "core/crypto.hpp"

namespace frontdoor::storage {

const char* const kEventColumns =
    "seq, stream, stream_version, type, payload_version, payload, actor_user_id, actor_username, "
    "actor_name, actor_role, actor_agency_id, actor_agency, occurred_at, recorded_at, reason, "
    "idempotency_key, prev_hash, hash";

StoredEvent event_from_row(const Row& r) {
  StoredEvent e;
  e.seq = r.integer(0);
  e.stream = r.text(1);
  e.stream_version = r.integer(2);
  e.type = r.text(3);
  e.payload_version = static_cast<int>(r.integer(4));
  e.payload = nlohmann::json::parse(r.text(5));
  e.actor.user_id = r.integer(6);
  e.actor.username = r.text(7);
  e.actor.display_name = r.text(8);
  e.actor.role = domain::parse_role(r.text(9)).value_or(domain::Role::kSystemAdministrator);
  e.actor.agency_id = r.integer(10);
  e.actor.agency_name = r.text(11);
  e.occurred_at = parse_utc(r.text(12)).value_or(Instant{});
  e.recorded_at = parse_utc(r.text(13)).value_or(Instant{});
  e.reason = r.opt_text(14);
  e.idempotency_key = r.opt_text(15);
  e.prev_hash = r.text(16);
  e.hash = r.text(17);
  return e;
}

std::optional<std::string> event_row_defect(const Row& r) {
  for (const std::size_t column : {0U, 2U, 4U, 6U, 10U}) {
    if (!std::holds_alternative<std::int64_t>(r[column])) return "a number in it is not a number";
  }
  if (!nlohmann::json::accept(r.text(5))) return "its payload is not valid JSON";
  for (const std::size_t column : {12U, 13U}) {
    const std::string at = r.text(column);
    const auto parsed = parse_utc(at);
    if (!parsed || format_utc(*parsed) != at) return "its time \"" + at + "\" is not as written";
  }
  if (!domain::parse_role(r.text(9))) return "its role \"" + r.text(9) + "\" is not a role";
  return std::nullopt;
}

namespace {

Result<std::vector<StoredEvent>> query_events(Transaction& tx, const std::string& where,
                                              const Params& params) {
  FD_ASSIGN_OR_RETURN(
      auto rows,
      tx.query(std::string("SELECT ") + kEventColumns + " FROM events " + where, params));
  std::vector<StoredEvent> events;
  events.reserve(rows.size());
  for (const auto& r : rows) events.push_back(event_from_row(r));
  return events;
}

}  // namespace

std::string event_hash(const StoredEvent& e) {
  // Fields are separated by a unit separator so that no two envelopes share
  // a serialisation. The payload enters through its own hash so it can be
  // lawfully erased later while the chain still verifies.
  std::string s;
  const char sep = '\x1f';
  for (const std::string& part :
       {e.prev_hash, std::to_string(e.seq), e.stream, std::to_string(e.stream_version), e.type,
        std::to_string(e.payload_version), sha256_hex(e.payload.dump()),
        std::to_string(e.actor.user_id), e.actor.username, e.actor.display_name,
        std::string(domain::to_string(e.actor.role)), std::to_string(e.actor.agency_id),
        e.actor.agency_name, format_utc(e.occurred_at), format_utc(e.recorded_at),
        e.reason.value_or(""), e.idempotency_key.value_or("")}) {
    s += part;
    s += sep;
  }
  return sha256_hex(s);
}

Result<std::int64_t> EventStore::last_seq(Transaction& tx) {
  FD_ASSIGN_OR_RETURN(auto row,
                      tx.query_one("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"));
  return row ? row->integer(0) : std::int64_t{0};
}

Result<std::int64_t> EventStore::stream_version(Transaction& tx, const std::string& stream) {
  FD_ASSIGN_OR_RETURN(
      auto row, tx.query_one("SELECT MAX(stream_version) FROM events WHERE stream = ?", {stream}));
  if (!row || row->is_null(0)) return std::int64_t{0};
  return row->integer(0);
}

Result<std::vector<StoredEvent>> EventStore::append(Transaction& tx, const std::string& stream,
                                                    std::int64_t expected_version,
                                                    const domain::Actor& actor,
                                                    std::vector<NewEvent> events,
                                                    Instant recorded_at) {
  FD_ASSIGN_OR_RETURN(std::int64_t version, stream_version(tx, stream));
  if (expected_version != kAnyVersion && version != expected_version) {
    return Error::conflict(
        "This record was changed by someone else while you were working on it. Your changes have "
        "not been saved: reload it to see the latest version.");
  }
  tx.mark_events_appended();
  FD_ASSIGN_OR_RETURN(auto last,
                      tx.query_one("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"));
  std::int64_t seq = last ? last->integer(0) : 0;
  std::string prev_hash = last ? last->text(1) : std::string(64, '0');

  std::vector<StoredEvent> stored;
  stored.reserve(events.size());
  for (auto& n : events) {
    StoredEvent e;
    e.seq = ++seq;
    e.stream = stream;
    e.stream_version = ++version;
    e.type = std::move(n.type);
    e.payload_version = n.payload_version;
    e.payload = std::move(n.payload);
    e.actor = actor;
    e.recorded_at = recorded_at;
    e.occurred_at = n.occurred_at.value_or(recorded_at);
    e.reason = std::move(n.reason);
    e.idempotency_key = std::move(n.idempotency_key);
    e.prev_hash = prev_hash;
    e.hash = event_hash(e);
    prev_hash = e.hash;
    FD_TRY(tx.exec(
        "INSERT INTO events (seq, stream, stream_version, type, payload_version, payload, "
        "actor_user_id, actor_username, actor_name, actor_role, actor_agency_id, actor_agency, "
        "occurred_at, recorded_at, reason, idempotency_key, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {e.seq, e.stream, e.stream_version, e.type, std::int64_t{e.payload_version},
         e.payload.dump(), e.actor.user_id, e.actor.username, e.actor.display_name,
         std::string(domain::to_string(e.actor.role)), e.actor.agency_id, e.actor.agency_name,
         format_utc(e.occurred_at), format_utc(e.recorded_at), opt(e.reason),
         opt(e.idempotency_key), e.prev_hash, e.hash}));
    stored.push_back(std::move(e));
  }
  return stored;
}

Result<std::vector<StoredEvent>> EventStore::read_stream(Transaction& tx,
                                                         const std::string& stream) {
  return query_events(tx, "WHERE stream = ? ORDER BY stream_version", {stream});
}

Result<std::vector<StoredEvent>> EventStore::read_after(Transaction& tx, std::int64_t after_seq,
                                                        std::size_t limit) {
  return query_events(tx, "WHERE seq > ? ORDER BY seq LIMIT ?",
                      {after_seq, static_cast<std::int64_t>(limit)});
}

Result<std::optional<StoredEvent>> EventStore::find_by_idempotency_key(Transaction& tx,
                                                                       const std::string& key) {
  FD_ASSIGN_OR_RETURN(auto events, query_events(tx, "WHERE idempotency_key = ?", {key}));
  if (events.empty()) return std::optional<StoredEvent>{};
  return std::optional<StoredEvent>{std::move(events.front())};
}

Result<std::vector<StoredEvent>> EventStore::read_streams(Transaction& tx,
                                                          const std::vector<std::string>& streams) {
  if (streams.empty()) return std::vector<StoredEvent>{};
  std::string where = "WHERE stream IN (";
  Params params;
  for (std::size_t i = 0; i < streams.size(); ++i) {
    where += i == 0 ? "?" : ", ?";
    params.emplace_back(streams[i]);
  }
  where += ") ORDER BY seq";
  return query_events(tx, where, params);
}

}  // namespace frontdoor::storage
