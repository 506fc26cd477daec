#include "app/passwords.hpp"

#include <argon2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "core/crypto.hpp"

namespace frontdoor::app {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kTagBytes = 32;
constexpr std::size_t kMinLength = 12;
constexpr std::size_t kMaxLength = 256;

struct EncodedParams {
  std::string variant;  // "argon2id", "argon2i", ...
  std::uint32_t version = 0;
  std::uint32_t m = 0;
  std::uint32_t t = 0;
  std::uint32_t p = 0;
};

std::optional<std::uint32_t> parse_u32(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Reads "name=value" and checks the name.
std::optional<std::uint32_t> parse_setting(std::string_view text, std::string_view name) {
  if (text.size() <= name.size() + 1 || text.substr(0, name.size()) != name ||
      text[name.size()] != '=') {
    return std::nullopt;
  }
  return parse_u32(text.substr(name.size() + 1));
}

// Splits "$argon2id$v=19$m=65536,t=3,p=1$salt$hash" into its parameters; the
// salt and tag must be non-empty base64 (without padding, as libargon2 writes).
std::optional<EncodedParams> parse_encoded(std::string_view encoded) {
  if (encoded.empty() || encoded.front() != '$') return std::nullopt;
  encoded.remove_prefix(1);
  std::array<std::string_view, 5> parts{};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t dollar = encoded.find('$');
    if (i + 1 < parts.size()) {
      if (dollar == std::string_view::npos) return std::nullopt;
      parts[i] = encoded.substr(0, dollar);
      encoded.remove_prefix(dollar + 1);
    } else {
      if (dollar != std::string_view::npos) return std::nullopt;
      parts[i] = encoded;
    }
  }
  EncodedParams out;
  out.variant = std::string(parts[0]);
  auto version = parse_setting(parts[1], "v");
  if (!version) return std::nullopt;
  out.version = *version;
  std::string_view settings = parts[2];
  std::array<std::string_view, 3> kv{};
  for (std::size_t i = 0; i < kv.size(); ++i) {
    const std::size_t comma = settings.find(',');
    if (i + 1 < kv.size()) {
      if (comma == std::string_view::npos) return std::nullopt;
      kv[i] = settings.substr(0, comma);
      settings.remove_prefix(comma + 1);
    } else {
      if (comma != std::string_view::npos) return std::nullopt;
      kv[i] = settings;
    }
  }
  auto m = parse_setting(kv[0], "m");
  auto t = parse_setting(kv[1], "t");
  auto p = parse_setting(kv[2], "p");
  if (!m || !t || !p) return std::nullopt;
  out.m = *m;
  out.t = *t;
  out.p = *p;
  constexpr std::string_view kBase64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::string_view b64 : {parts[3], parts[4]}) {
    if (b64.empty() || b64.find_first_not_of(kBase64) != std::string_view::npos) {
      return std::nullopt;
    }
  }
  return out;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::size_t count_code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Whole passwords seen very often in breach corpora that the rules below do
// not already catch (keyboard walks and famous examples).
constexpr std::array<std::string_view, 16> kCommonPasswords = {
    "1q2w3e4r5t6y",        "1qaz2wsx3edc",
    "zaq12wsxcde3",        "qazwsxedcrfv",
    "1q2w3e4r5t6y7u8i",    "q1w2e3r4t5y6",
    "qwertyuiopasdfghjkl", "asdfghjklqwerty",
    "zxcvbnmasdfghjkl",    "correcthorsebatterystaple",
    "qwertyuiop[]",        "!qaz2wsx#edc",
    "1qazxsw23edc",        "qweasdzxc123",
    "abc123abc123",        "trustno1trustno1"};

// Words that, with only digits or symbols around them ("Password123!",
// "Welcome2024", "!!Summer2025"), make a password that is guessed early.
constexpr std::array<std::string_view, 60> kCommonWords = {
    "password",     "passw0rd",      "p@ssword",   "p@ssw0rd",         "pa55word",
    "passwort",     "qwerty",        "qwertyuiop", "qwertyuiopasdf",   "asdfghjkl",
    "zxcvbnm",      "letmein",       "welcome",    "welcomehome",      "iloveyou",
    "admin",        "administrator", "football",   "monkey",           "dragon",
    "sunshine",     "princess",      "baseball",   "trustno",          "changeme",
    "changeit",     "secret",        "master",     "shadow",           "superman",
    "batman",       "starwars",      "summer",     "winter",           "spring",
    "autumn",       "london",        "england",    "arsenal",          "liverpool",
    "chelsea",      "tottenham",     "manchester", "manchesterunited", "hello",
    "helloworld",   "freedom",       "whatever",   "computer",         "login",
    "default",      "guest",         "abcdef",     "abcdefgh",         "council",
    "safeguarding", "frontdoor",     "mashteam",   "children",         "socialworker"};

bool is_repetition(std::string_view s) {
  // True when s is some shorter unit repeated ("aaaa...", "123123123123",
  // "passwordpassword").
  for (std::size_t unit = 1; unit <= s.size() / 2; ++unit) {
    if (s.size() % unit != 0) continue;
    bool repeated = true;
    for (std::size_t i = unit; i < s.size() && repeated; ++i) repeated = s[i] == s[i - unit];
    if (repeated) return true;
  }
  return false;
}

bool is_sequence(std::string_view s) {
  // "abcdefghijklm", "123456789012", "987654321098" (digits wrap 9 -> 0).
  if (s.size() < 2) return false;
  auto step = [](char a, char b) -> int {
    if (a >= '0' && a <= '9' && b >= '0' && b <= '9') {
      const int d = ((b - '0') - (a - '0') + 10) % 10;
      return d == 1 ? 1 : (d == 9 ? -1 : 0);
    }
    if (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z') {
      return b - a == 1 ? 1 : (b - a == -1 ? -1 : 0);
    }
    return 0;
  };
  const int first = step(s[0], s[1]);
  if (first == 0) return false;
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (step(s[i - 1], s[i]) != first) return false;
  }
  return true;
}

bool is_very_common(std::string_view password) {
  std::string lower(password);
  std::transform(lower.begin(), lower.end(), lower.begin(), ascii_lower);
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lower) !=
      kCommonPasswords.end()) {
    return true;
  }
  if (is_repetition(lower) || is_sequence(lower)) return true;
  // Strip digits and ASCII symbols from both ends and look at the word left.
  auto decoration = [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b < 0x80 && !is_ascii_alpha(c) && c != '@';
  };
  std::size_t begin = 0;
  std::size_t end = lower.size();
  while (begin < end && decoration(lower[begin])) ++begin;
  while (end > begin && decoration(lower[end - 1])) --end;
  const std::string_view core = std::string_view(lower).substr(begin, end - begin);
  if (core.empty()) return false;        // digits and symbols only: judged by the rules above
  if (is_repetition(core)) return true;  // "Summer!Summer!" leaves "summer!summer"
  return std::find(kCommonWords.begin(), kCommonWords.end(), core) != kCommonWords.end();
}

}  // namespace

std::string hash_password(std::string_view password, const PasswordParams& params) {
  const std::string salt = random_bytes(kSaltBytes);
  const std::size_t length = argon2_encodedlen(params.t_cost, params.m_cost_kib, params.parallelism,
                                               kSaltBytes, kTagBytes, Argon2_id);
  std::string encoded(length, '\0');
  const int rc = argon2id_hash_encoded(params.t_cost, params.m_cost_kib, params.parallelism,
                                       password.data(), password.size(), salt.data(), salt.size(),
                                       kTagBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    throw std::runtime_error(std::string("Argon2id hashing failed: ") + argon2_error_message(rc));
  }
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool verify_password(std::string_view password, std::string_view encoded) {
  const auto parsed = parse_encoded(encoded);
  if (!parsed || parsed->variant != "argon2id" || parsed->version != ARGON2_VERSION_13) {
    return false;
  }
  const std::string terminated(encoded);  // libargon2 wants a C string
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool needs_rehash(std::string_view encoded, const PasswordParams& params) {
  const auto parsed = parse_encoded(encoded);
  if (!parsed) return true;
  return parsed->variant != "argon2id" || parsed->version != ARGON2_VERSION_13 ||
         parsed->m != params.m_cost_kib || parsed->t != params.t_cost ||
         parsed->p != params.parallelism;
}

void verify_password_against_nothing(std::string_view password, const PasswordParams& params) {
  static const std::string kSalt(kSaltBytes, 's');
  std::array<unsigned char, kTagBytes> tag{};
  (void)argon2id_hash_raw(params.t_cost, params.m_cost_kib, params.parallelism, password.data(),
                          password.size(), kSalt.data(), kSalt.size(), tag.data(), tag.size());
}

Status check_password_policy(std::string_view password) {
  if (password.empty()) return Error::field("password", "Enter a password");
  const std::size_t length = count_code_points(password);
  if (length < kMinLength) {
    return Error::field("password", "Password must be 12 characters or more");
  }
  if (length > kMaxLength) {
    return Error::field("password", "Password must be 256 characters or fewer");
  }
  if (is_very_common(password)) {
    return Error::field("password",
                        "Enter a password that is harder to guess, for example 3 random words");
  }
  return ok_status();
}

}  // namespace frontdoor::app
