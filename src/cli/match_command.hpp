#pragma once
// `frontdoor match`: person matching over CSV files (issue #4).
//   frontdoor match --input A.csv                 deduplicate A
//   frontdoor match --input A.csv --against B.csv link A's records to B's
//   frontdoor match --input A.csv --against-store [--data DIR]
//                                                 link A's records to the people
//                                                 in the store (read-only, audited)
// The linker (src/domain/linker.hpp) is trained on the files themselves (or,
// against the store, is the one the store's search ranks with), then every
// candidate pair is scored and the pairs offered for review or linked
// automatically are written as CSV (see docs/MATCHING.md for the columns).
// Exit status: 0 done, 1 could not be done (message on standard error), 2
// wrong options.
#include <string>
#include <vector>

namespace frontdoor::cli {

int match_command(const std::vector<std::string>& args);

}  // namespace frontdoor::cli
