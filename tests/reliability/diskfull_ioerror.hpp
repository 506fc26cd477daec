#pragma once
// The I/O-error half of the disk-full and I/O-error battery (see
// diskfull_ioerror.cpp).
#include <filesystem>

namespace frontdoor::reliability {

// Runs the battery; returns the process exit status (0: passed).
int io_errors(const std::filesystem::path& frontdoor);

}  // namespace frontdoor::reliability
