#pragma once
// Serves files below a root folder, e.g. the compiled GOV.UK assets:
//   router.get("/assets/{file*}", static_files(assets_dir, "/assets"));
// Paths with "..", "." or empty segments, backslashes, NUL bytes or that lead
// (through symlinks) outside the root are answered 404, as are folders.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "http/router.hpp"

namespace frontdoor::http {

struct StaticOptions {
  // Cache-Control: public, max-age=<seconds>. Assets are versioned by the
  // build, so a day is safe; the ETag lets a browser revalidate cheaply.
  std::chrono::seconds max_age{86400};
};

// The Content-Type for a file name by its extension (css, js, mjs, map, json,
// woff, woff2, png, jpg, gif, svg, ico, webp, txt, html, pdf);
// application/octet-stream otherwise.
std::string_view content_type_for(std::string_view filename);

// `url_prefix` is the part of Request::path in front of the file's relative
// path ("/assets"). Answers If-None-Match with 304.
Handler static_files(const std::filesystem::path& root, std::string url_prefix,
                     StaticOptions options = {});

}  // namespace frontdoor::http
