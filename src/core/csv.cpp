#include "core/csv.hpp"

#include <array>
#include <fstream>
#include <iterator>
#include <set>

#include "core/utf8.hpp"

namespace frontdoor::csv {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_line_break(char c) {
  return c == '\r' || c == '\n';
}

Error line_error(std::size_t line, const std::string& what) {
  return Error::validation("line " + std::to_string(line) + ": " + what);
}

Error field_error(std::size_t line, std::size_t field, const std::string& what) {
  return Error::validation("line " + std::to_string(line) + ", field " + std::to_string(field) +
                           ": " + what);
}

class Parser {
 public:
  Parser(std::string_view text, const Options& options) : text_(text), options_(options) {
    if (text_.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      text_.remove_prefix(kByteOrderMark.size());
    }
  }

  Result<Table> run() {
    Table table;
    bool first = true;
    for (;;) {
      FD_ASSIGN_OR_RETURN(auto row, next_record());
      if (!row) break;
      if (first && options_.header) {
        FD_TRY(check_header(row->fields));
        table.header = std::move(row->fields);
      } else if (options_.header && row->fields.size() != table.header.size()) {
        return line_error(row->line, std::to_string(row->fields.size()) +
                                         " fields where the header has " +
                                         std::to_string(table.header.size()));
      } else {
        table.rows.push_back(std::move(*row));
      }
      first = false;
    }
    if (first && options_.header) return line_error(1, "the file is empty: expected a header row");
    return table;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  // Consumes one line break (CRLF, LF or CR) at pos_.
  void consume_line_break() {
    if (peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  void skip_blanks() {
    while (!at_end() && is_blank(peek())) ++pos_;
  }

  // The next record, or nullopt at the end of the text. Empty lines are skipped.
  Result<std::optional<Row>> next_record() {
    while (!at_end() && is_line_break(peek())) consume_line_break();
    if (at_end()) return std::optional<Row>{};
    Row row;
    row.line = line_;
    for (;;) {
      const std::size_t number = row.fields.size() + 1;
      const std::size_t starts_on = line_;
      if (options_.trim_unquoted) skip_blanks();
      std::string field;
      if (!at_end() && peek() == '"') {
        FD_TRY(quoted_field(number, field));
      } else {
        FD_TRY(unquoted_field(number, field));
      }
      if (!is_valid_utf8(field)) {
        return field_error(starts_on, number, "the text is not UTF-8 (save the file as UTF-8)");
      }
      row.fields.push_back(std::move(field));
      if (at_end()) break;
      if (peek() == options_.delimiter) {
        ++pos_;
        continue;
      }
      consume_line_break();  // unquoted_field and quoted_field stop only at one
      break;
    }
    return std::optional<Row>{std::move(row)};
  }

  Status quoted_field(std::size_t number, std::string& field) {
    const std::size_t opened = line_;
    ++pos_;  // the opening quote
    for (;;) {
      if (at_end()) return field_error(opened, number, "a quoted field is not closed");
      const char c = peek();
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field.push_back('"');
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\0') return field_error(line_, number, "a NUL byte");
      if (is_line_break(c)) {
        const std::size_t from = pos_;
        consume_line_break();
        field.append(text_.substr(from, pos_ - from));
        continue;
      }
      field.push_back(c);
      ++pos_;
    }
    if (options_.trim_unquoted) skip_blanks();
    if (!at_end() && peek() != options_.delimiter && !is_line_break(peek())) {
      return field_error(line_, number,
                         "a closing quote must be followed by a delimiter or the end of the line");
    }
    return ok_status();
  }

  Status unquoted_field(std::size_t number, std::string& field) {
    const std::size_t from = pos_;
    while (!at_end() && peek() != options_.delimiter && !is_line_break(peek())) {
      if (peek() == '"') {
        return field_error(line_, number,
                           "a quote inside an unquoted field (quote the whole field and double "
                           "the quotes inside it)");
      }
      if (peek() == '\0') return field_error(line_, number, "a NUL byte");
      ++pos_;
    }
    std::string_view value = text_.substr(from, pos_ - from);
    if (options_.trim_unquoted) {
      while (!value.empty() && is_blank(value.back())) value.remove_suffix(1);
    }
    field.assign(value);
    return ok_status();
  }

  static Status check_header(const std::vector<std::string>& names) {
    std::set<std::string_view> seen;
    for (const auto& name : names) {
      if (!seen.insert(name).second) {
        return line_error(1, "the column \"" + name + "\" appears twice in the header");
      }
    }
    return ok_status();
  }

  std::string_view text_;
  const Options& options_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

bool needs_quotes(std::string_view field, char delimiter) {
  if (field.empty()) return false;
  if (is_blank(field.front()) || is_blank(field.back())) return true;
  if (field.substr(0, kByteOrderMark.size()) == kByteOrderMark) return true;
  for (char c : field) {
    if (c == delimiter || c == '"' || is_line_break(c)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::size_t> Table::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

Result<Table> parse(std::string_view text, const Options& options) {
  const char d = options.delimiter;
  if (d == '"' || d == '\0' || is_line_break(d) || (options.trim_unquoted && is_blank(d))) {
    return Error::validation(
        "the delimiter cannot be a quote, a NUL, a line break, or a blank "
        "that is also trimmed");
  }
  return Parser(text, options).run();
}

Result<Table> read_file(const std::filesystem::path& path, const Options& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::not_found("Cannot read " + path.string());
  // Read in blocks (istreambuf_iterator trips GCC 12's -Wnull-dereference
  // in release builds).
  std::string text;
  std::array<char, 65536> block{};
  while (in.read(block.data(), block.size()) || in.gcount() > 0) {
    text.append(block.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return Error::not_found("Cannot read " + path.string());
  auto table = parse(text, options);
  if (!table.ok()) {
    return Error::validation(path.filename().string() + ", " + table.error().message);
  }
  return table;
}

std::string format_row(const std::vector<std::string>& fields, char delimiter) {
  std::string out;
  if (fields.size() == 1 && fields.front().empty()) {
    out = "\"\"";  // a bare empty line would be skipped as blank
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(delimiter);
    const std::string& field = fields[i];
    if (!needs_quotes(field, delimiter)) {
      out += field;
      continue;
    }
    out.push_back('"');
    for (char c : field) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out += "\r\n";
  return out;
}

std::string format(const Table& table, char delimiter) {
  std::string out;
  if (!table.header.empty()) out += format_row(table.header, delimiter);
  for (const auto& row : table.rows) out += format_row(row.fields, delimiter);
  return out;
}

}  // namespace frontdoor::csv
