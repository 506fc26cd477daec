// CSV files (core/csv): the reader for person-matching reference data and
// later imports.
//
// Input: the first byte chooses the options (bits 0-1: delimiter , ; TAB |;
// bit 2: no header row; bit 3: trim unquoted fields, unless the delimiter is
// a tab), the rest is the file.
//
// Properties:
// - an error is a kValidation whose message starts "line N" with N between
//   1 and the number of lines in the text;
// - a parsed table has as many fields in every row as in the header, rows in
//   increasing line order, only UTF-8 fields, and no more field bytes than the
//   text has;
// - format(table) parses back to the same header and fields (a round trip).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/csv.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

namespace {

namespace csv = frontdoor::csv;

std::size_t count_lines(std::string_view text) {
  std::size_t lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++lines;
    }
  }
  return lines;
}

void check_error(const frontdoor::Error& error, std::string_view text) {
  FD_FUZZ_CHECK(error.code == frontdoor::ErrorCode::kValidation, error.message);
  const std::string& m = error.message;
  FD_FUZZ_CHECK(m.rfind("line ", 0) == 0, m);
  const std::size_t line = std::strtoull(m.c_str() + 5, nullptr, 10);
  FD_FUZZ_CHECK(line >= 1 && line <= count_lines(text), m);
}

void check_table(const csv::Table& table, const csv::Options& options, std::string_view text) {
  std::size_t bytes = 0;
  std::size_t previous_line = 0;
  for (const auto& name : table.header) bytes += name.size();
  for (const auto& row : table.rows) {
    FD_FUZZ_CHECK(!row.fields.empty(), text);
    if (options.header) FD_FUZZ_CHECK(row.fields.size() == table.header.size(), text);
    FD_FUZZ_CHECK(row.line > previous_line, text);
    previous_line = row.line;
    for (const auto& field : row.fields) {
      FD_FUZZ_CHECK(frontdoor::is_valid_utf8(field), field);
      bytes += field.size();
    }
  }
  FD_FUZZ_CHECK(bytes <= text.size(), text);
  FD_FUZZ_CHECK(options.header == !table.header.empty(), text);

  const std::string written = csv::format(table, options.delimiter);
  csv::Options exact = options;
  exact.trim_unquoted = false;  // what format() quotes must come back as it was
  auto again = csv::parse(written, exact);
  FD_FUZZ_CHECK(again.ok(), written + "\n  " + (again.ok() ? "" : again.error().message));
  FD_FUZZ_CHECK(again->header == table.header, written);
  FD_FUZZ_CHECK(again->rows.size() == table.rows.size(), written);
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    FD_FUZZ_CHECK(again->rows[i].fields == table.rows[i].fields, written);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  csv::Options options;
  options.delimiter = kDelimiters[data[0] & 3];
  options.header = (data[0] & 4) == 0;
  options.trim_unquoted = (data[0] & 8) != 0 && options.delimiter != '\t';
  const std::string_view text = frontdoor::fuzz::as_text(data + 1, size - 1);

  auto table = csv::parse(text, options);
  if (!table.ok()) {
    check_error(table.error(), text);
    return 0;
  }
  check_table(*table, options, text);
  return 0;
}
