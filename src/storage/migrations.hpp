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
  std::string_view sql;           // portable SQL, run statement by statement
  std::string_view sqlite_extra;  // engine-specific additions (triggers)
};

const std::vector<Migration>& migrations();

// Applies every migration not yet applied; returns how many ran.
Result<int> migrate(Database& db, std::string_view applied_at);
Result<int> schema_version(Database& db);

}  // namespace frontdoor::storage
