#pragma once
// Versioned schema migrations, applied in order by `frontdoor migrate` and on
// start. A migration is never edited once released: add a new one.
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace frontdoor::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;             // portable SQL, run statement by statement
  std::string_view sqlite_extra;    // engine-specific additions (triggers)
  std::string_view postgres_extra;  // the same for PostgreSQL (functions, triggers)
};

const std::vector<Migration>& migrations();

// Applies every migration not yet applied; returns how many ran. When none
// is pending it only reads, so a role without CREATE rights can run it.
Result<int> migrate(Database& db, std::string_view applied_at);
Result<int> schema_version(Database& db);

// SQL that gives a PostgreSQL role what the running application needs in
// `schema` and no more: it may read and write the projections, but only read
// and append to the event and audit logs (no UPDATE, DELETE or TRUNCATE).
// Run it as the schema's owner after `frontdoor migrate`.
std::string postgres_app_grants(std::string_view schema, std::string_view role);

}  // namespace frontdoor::storage
