#include "domain/link_table.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

#include "core/time.hpp"

namespace frontdoor::domain::linkage {
namespace {

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::chrono::sys_days> ymd(int y, int m, int d) {
  const std::chrono::year_month_day date{std::chrono::year{y},
                                         std::chrono::month{static_cast<unsigned>(m)},
                                         std::chrono::day{static_cast<unsigned>(d)}};
  if (y < 1800 || y > 2200 || !date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

int number(std::string_view s) {
  int n = -1;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc{} && end == s.data() + s.size() ? n : -1;
}

// 2015-03-07, 20150307 or 07/03/2015 (day first, as in England).
std::optional<std::chrono::sys_days> read_date(std::string_view s) {
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') return parse_date(s);
  if (s.size() == 8 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return ymd(number(s.substr(0, 4)), number(s.substr(4, 2)), number(s.substr(6, 2)));
  }
  if (s.size() == 10 && s[2] == '/' && s[5] == '/') {
    return ymd(number(s.substr(6, 4)), number(s.substr(3, 2)), number(s.substr(0, 2)));
  }
  return std::nullopt;
}

}  // namespace

Result<LinkTable> people_from_table(const csv::Table& table, const LinkTableOptions& options) {
  LinkTable out;
  auto find = [&](std::initializer_list<std::string_view> names) -> std::optional<std::size_t> {
    for (const auto name : names) {
      for (std::size_t i = 0; i < table.header.size(); ++i) {
        if (lower_trimmed(table.header[i]) == name) {
          out.columns_used.push_back(table.header[i]);
          return i;
        }
      }
    }
    return std::nullopt;
  };
  const auto id = find({"id", "person_id", "rec_id", "unique_id"});
  const auto given = find({"given_name", "first_name", "forename"});
  const auto family = find({"family_name", "surname", "last_name"});
  const auto other_family = find({"previous_family_name", "other_family_name"});
  const auto dob = find({"date_of_birth", "dob"});
  const auto postcode = find({"postcode"});
  auto address = find({"address_line", "address"});
  std::optional<std::size_t> street_number;
  if (!address) {
    street_number = find({"street_number"});
    address = find({"address_1"});
  }
  std::optional<std::size_t> identifier;
  if (options.use_identifiers) identifier = find({"nhs_number", "identifier", "soc_sec_id"});
  if (!given && !family) {
    return Error::validation(
        "The file needs a given name or family name column (given_name, first_name, forename, "
        "family_name, surname or last_name)");
  }
  out.rows.reserve(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& f = table.rows[r].fields;
    auto field = [&](const std::optional<std::size_t>& column) -> std::string {
      if (!column || *column >= f.size()) return {};
      std::string_view v = f[*column];
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front())) != 0)
        v.remove_prefix(1);
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back())) != 0)
        v.remove_suffix(1);
      return std::string(v);
    };
    LinkTableRow row;
    row.id = id ? field(id) : std::to_string(r + 1);
    auto add = [](std::vector<std::string>& to, std::string value) {
      if (!value.empty()) to.push_back(std::move(value));
    };
    add(row.person.given_names, field(given));
    add(row.person.family_names, field(family));
    add(row.person.family_names, field(other_family));
    if (const auto text = field(dob); !text.empty()) {
      row.person.date_of_birth = read_date(text);
      if (!row.person.date_of_birth) ++out.unreadable_dates;
    }
    add(row.person.postcodes, field(postcode));
    std::string line = field(street_number);
    if (const auto rest = field(address); !rest.empty()) line += (line.empty() ? "" : " ") + rest;
    add(row.person.address_lines, std::move(line));
    add(row.person.identifiers, field(identifier));
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace frontdoor::domain::linkage
