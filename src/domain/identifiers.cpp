#include "domain/identifiers.hpp"

#include <string_view>

namespace frontdoor::domain {
namespace {

constexpr std::string_view kUpnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Code points in UTF-8 text (continuation bytes are not counted).
std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// The index of an upper-case letter in the UPN letter table, or -1.
int upn_letter_value(char c) {
  const auto pos = kUpnLetters.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

// --- NHS number ---

Result<NhsNumber> NhsNumber::parse(std::string_view text, std::string field) {
  const std::string_view input = trim(text);
  if (input.empty()) return Error::field(std::move(field), "Enter an NHS number");
  std::string digits;
  for (char c : input) {
    if (is_digit(c)) {
      digits += c;
    } else if (c != ' ' && c != '-') {
      return Error::field(std::move(field), "NHS number must only include numbers 0 to 9");
    }
  }
  if (digits.size() != 10) {
    return Error::field(std::move(field), "NHS number must be 10 numbers");
  }
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[static_cast<std::size_t>(i)] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  const bool all_same = digits.find_first_not_of(digits[0]) == std::string::npos;
  if (check == 10 || check != digits[9] - '0' || all_same) {
    return Error::field(std::move(field), "Enter a valid NHS number, like 943 476 5919");
  }
  return NhsNumber(std::move(digits));
}

bool NhsNumber::is_valid(std::string_view text) {
  return parse(text).ok();
}

std::string NhsNumber::formatted() const {
  return digits_.substr(0, 3) + " " + digits_.substr(3, 3) + " " + digits_.substr(6, 4);
}

// --- UPN ---

Result<Upn> Upn::parse(std::string_view text, std::string field) {
  std::string value;
  for (char c : text) {
    if (c == ' ') continue;
    value += upper(c);
  }
  value = std::string(trim(value));
  if (value.empty()) return Error::field(std::move(field), "Enter a unique pupil number (UPN)");
  if (value.size() != 13) {
    return Error::field(std::move(field), "Unique pupil number (UPN) must be 13 characters");
  }
  const std::string kFormat =
      "Enter a unique pupil number (UPN) in the correct format: a letter followed by 12 numbers, "
      "like B801200005001";
  const int check = upn_letter_value(value[0]);
  if (check < 0) return Error::field(std::move(field), kFormat);
  int sum = 0;
  for (std::size_t i = 1; i < 13; ++i) {
    const int weight = static_cast<int>(i) + 1;
    int v = -1;
    if (is_digit(value[i])) {
      v = value[i] - '0';
    } else if (i == 12) {
      v = upn_letter_value(value[i]);  // temporary UPN
    }
    if (v < 0) return Error::field(std::move(field), kFormat);
    sum += v * weight;
  }
  if (sum % 23 != check) {
    return Error::field(std::move(field),
                        "Enter a valid unique pupil number (UPN): the check letter does not match");
  }
  return Upn(std::move(value));
}

bool Upn::is_valid(std::string_view text) {
  return parse(text).ok();
}

bool Upn::is_temporary() const {
  return !is_digit(value_.back());
}

// --- LA child id ---

Result<LaChildId> LaChildId::parse(std::string_view text, std::string field) {
  const std::string_view value = trim(text);
  if (value.empty()) return Error::field(std::move(field), "Enter the LA child ID");
  if (value.size() > kMaxLength) {
    return Error::field(std::move(field), "LA child ID must be 20 characters or fewer");
  }
  for (char c : value) {
    if (!is_alnum(c)) {
      return Error::field(std::move(field), "LA child ID must only include letters and numbers");
    }
  }
  return LaChildId(std::string(value));
}

// --- Police reference ---

Result<PoliceReference> PoliceReference::parse(std::string_view text, std::string field) {
  const std::string_view value = trim(text);
  if (value.empty()) return Error::field(std::move(field), "Enter the police reference");
  if (utf8_length(value) > kMaxLength) {
    return Error::field(std::move(field), "Police reference must be 40 characters or fewer");
  }
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      return Error::field(std::move(field),
                          "Police reference must not include line breaks or tabs");
    }
  }
  return PoliceReference(std::string(value));
}

}  // namespace frontdoor::domain
