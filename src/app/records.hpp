#pragma once
// Loading records from their events, running commands on them, and keeping
// the projections (the tables pages read) in step, all in one transaction.
// Projections are disposable: rebuild_projections() replays every event.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/access.hpp"
#include "domain/actor.hpp"
#include "domain/contact.hpp"
#include "domain/person.hpp"
#include "storage/database.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {

std::string contact_stream(std::int64_t id);
std::string person_stream(std::int64_t id);

Result<std::int64_t> next_id(storage::Transaction& tx, const char* table);

Result<domain::ContactState> load_contact(storage::Transaction& tx, std::int64_t id);
Result<domain::PersonState> load_person(storage::Transaction& tx, std::int64_t id);
// What anyone is told of a person record that does not exist, and of one they
// may not see: the same words, so that probing identifiers reveals nothing.
Error no_such_person();
// The person record if `actor` may act on it with `permission`
// (domain::authorize_person); one they may not see is refused exactly as one
// that does not exist (no_such_person()).
Result<domain::PersonState> person_for(storage::Transaction& tx, const domain::Actor& actor,
                                       std::int64_t id, domain::Permission permission);

// Every refusal is logged. When `result` is a refusal (kNotFound or
// kForbidden), writes it to the audit log as `action` on `subject`, in a
// transaction of its own (the one that refused has been rolled back), and
// returns `result` either way: a refusal that cannot be logged is still a
// refusal.
Status log_if_refused(storage::Database& db, const domain::Actor& actor, Instant at,
                      const std::string& action, const std::string& subject, Status result);

// Writes the contact's row and its links to people. `provisional_due` is the
// decision deadline shown before the contact is RAG-rated.
Status project_contact(storage::Transaction& tx, const domain::ContactState& c,
                       Instant provisional_due);
Status project_person(storage::Transaction& tx, const domain::PersonState& p);

// Appends `events` to the contact (checking `expected_version` unless it is
// storage::kAnyVersion), folds them in and projects the result.
using ContactDecider =
    std::function<Result<std::vector<domain::NewEvent>>(const domain::ContactState&)>;
Result<domain::ContactState> run_contact_command(storage::Transaction& tx,
                                                 const domain::Actor& actor, std::int64_t id,
                                                 std::int64_t expected_version, Instant now,
                                                 Instant provisional_due,
                                                 const ContactDecider& decide);
using PersonDecider =
    std::function<Result<std::vector<domain::NewEvent>>(const domain::PersonState&)>;
Result<domain::PersonState> run_person_command(storage::Transaction& tx, const domain::Actor& actor,
                                               std::int64_t id, std::int64_t expected_version,
                                               Instant now, const PersonDecider& decide);

}  // namespace frontdoor::app
