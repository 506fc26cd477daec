#pragma once
// The integrity subcommands of `frontdoor` (docs/OPERATIONS.md):
//   verify      check the event and audit hash chains, optionally against a checkpoint
//   checkpoint  export the chains' counts and last hashes, to keep elsewhere
//   backup      an online copy of the SQLite store, verified
//   restore     put a verified backup in place of a data folder's store
// Exit status: 0 done, 1 could not be done (message on standard error),
// 2 wrong options, 3 a hash chain is broken (the first break on standard output).
#include <memory>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace frontdoor::cli {

// The store a data folder's configuration names, opened as it is (never
// created, never migrated): its frontdoor.db, or the PostgreSQL database of
// its database_url. An error when there is none or it holds no schema.
Result<std::unique_ptr<storage::Database>> open_store(const app::Config& config);

int verify_command(const std::vector<std::string>& args);
int checkpoint_command(const std::vector<std::string>& args);
int backup_command(const std::vector<std::string>& args);
int restore_command(const std::vector<std::string>& args);

}  // namespace frontdoor::cli
