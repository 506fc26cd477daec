#pragma once
// The integrity subcommands of `frontdoor` (docs/OPERATIONS.md):
//   verify      check the event and audit hash chains, optionally against a checkpoint
//   checkpoint  export the chains' counts and last hashes, to keep elsewhere
//   backup      an online copy of the SQLite store, verified
//   restore     put a verified backup in place of a data folder's store
// Exit status: 0 done, 1 could not be done (message on standard error),
// 2 wrong options, 3 a hash chain is broken (the first break on standard output).
#include <string>
#include <vector>

namespace frontdoor::cli {

int verify_command(const std::vector<std::string>& args);
int checkpoint_command(const std::vector<std::string>& args);
int backup_command(const std::vector<std::string>& args);
int restore_command(const std::vector<std::string>& args);

}  // namespace frontdoor::cli
