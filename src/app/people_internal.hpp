#pragma once
// Internal to the People service (people.cpp, people_matching.cpp): reading
// a person from the projection and summarising it. Not part of the API.
#include <cstdint>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/actor.hpp"
#include "domain/person.hpp"
#include "domain/views.hpp"
#include "storage/database.hpp"

namespace frontdoor::app::people_detail {

domain::PersonSummary summary_of(const domain::PersonState& p);
// The person's state as the projection holds it (one row, no event replay).
Result<domain::PersonState> state_from_projection(storage::Transaction& tx, std::int64_t id);
// May this user see that person record? (Its relatives are shown only to
// those who may see them.)
bool may_see(const domain::Actor& actor, const domain::PersonState& person);

}  // namespace frontdoor::app::people_detail
