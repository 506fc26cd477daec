#pragma once
// Comma-separated values (RFC 4180) from untrusted files: the person-matching
// reference data (FEBRL, Splink) and any later import. Quoted fields may hold
// the delimiter, doubled quotes ("") and line breaks; records end with CRLF,
// LF or CR; a UTF-8 byte-order mark at the start is skipped; lines that are
// completely empty are skipped. Malformed input is an Error (kValidation)
// whose message starts with "line N" (1-based, physical lines), never an
// exception. Fuzzed: tests/fuzz/csv_fuzz.cpp.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace frontdoor::csv {

struct Options {
  char delimiter = ',';
  // The first record names the columns, and every later record must have as
  // many fields. Without a header, records may differ in length.
  bool header = true;
  // Removes spaces and tabs around unquoted fields (FEBRL separates with ", ").
  // Quoted fields keep theirs.
  bool trim_unquoted = false;
};

struct Row {
  std::size_t line = 0;  // the physical line the record starts on
  std::vector<std::string> fields;
};

struct Table {
  std::vector<std::string> header;  // empty when Options::header is false
  std::vector<Row> rows;

  // The index of the column with this header name, if any.
  std::optional<std::size_t> column(std::string_view name) const;
};

// Parses a whole document. Errors: an unterminated quoted field (reported at
// the line where it opened), a quote inside an unquoted field, anything but a
// delimiter or line break after a closing quote, a NUL byte, a field that is
// not UTF-8 (what is imported ends up in JSON and PostgreSQL), a record whose
// field count differs from the header's, an empty document when a header is
// expected, and a header naming a column twice.
Result<Table> parse(std::string_view text, const Options& options = {});

// Reads and parses a file. A file that cannot be read is kNotFound.
Result<Table> read_file(const std::filesystem::path& path, const Options& options = {});

// One record in the form parse() reads back: fields holding the delimiter, a
// quote, CR, LF, surrounding spaces or tabs, or a leading byte-order mark are
// quoted, and a record of one empty field is written as "" so that it is not
// a blank line. Ends with CRLF.
std::string format_row(const std::vector<std::string>& fields, char delimiter = ',');

// The header (when not empty) and every row, with format_row().
std::string format(const Table& table, char delimiter = ',');

}  // namespace frontdoor::csv
