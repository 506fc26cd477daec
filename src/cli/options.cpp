#include "cli/options.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace frontdoor::cli {

int fail(const Error& e) {
  std::cerr << "frontdoor: " << e.message << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  return 1;
}

bool parse(po::options_description& desc, const std::vector<std::string>& args,
           po::variables_map& vm, const std::string& usage) {
  desc.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    // --help wins over missing required options.
    if (vm.count("help") != 0) {
      std::cout << usage << "\n" << desc;
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "frontdoor: " << e.what() << "\n" << usage << "\n" << desc;
    return false;
  }
  return true;
}

}  // namespace frontdoor::cli
