#pragma once
// What every `frontdoor` subcommand shares: reading its options (with
// --help) and reporting an error.
#include <boost/program_options.hpp>

#include <string>
#include <vector>

#include "core/error.hpp"

namespace frontdoor::cli {

// Prints "frontdoor: MESSAGE" (and each field's message) to standard error;
// returns the exit status 1.
int fail(const Error& e);

// Adds --help to `desc` and parses `args` into `vm`. false when the command
// should stop: --help was given (usage printed on standard output; --help
// wins over missing required options) or the options are wrong (printed on
// standard error). The caller returns vm.count("help") ? 0 : 2.
bool parse(boost::program_options::options_description& desc, const std::vector<std::string>& args,
           boost::program_options::variables_map& vm, const std::string& usage);

}  // namespace frontdoor::cli
