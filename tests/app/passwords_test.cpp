#include "app/passwords.hpp"

#include <gtest/gtest.h>

#include <string>

namespace frontdoor::app {
namespace {

// Small costs keep the suite fast; one test below uses the defaults.
constexpr PasswordParams kFast{.t_cost = 1, .m_cost_kib = 1024, .parallelism = 1};

TEST(Passwords, HashIsStandardArgon2idEncoding) {
  const std::string encoded = hash_password("correct horse battery", kFast);
  EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << encoded;
  // "$argon2id$v=19$m=1024,t=1,p=1$" + 22 salt chars + "$" + 43 tag chars.
  const auto last = encoded.rfind('$');
  EXPECT_EQ(encoded.size() - last - 1, 43u);                // 32-byte tag
  EXPECT_EQ(last - encoded.rfind('$', last - 1) - 1, 22u);  // 16-byte salt
}

TEST(Passwords, VerifyAcceptsOnlyTheRightPassword) {
  const std::string encoded = hash_password("correct horse battery", kFast);
  EXPECT_TRUE(verify_password("correct horse battery", encoded));
  EXPECT_FALSE(verify_password("correct horse batterY", encoded));
  EXPECT_FALSE(verify_password("", encoded));
  EXPECT_FALSE(verify_password("correct horse battery ", encoded));
}

TEST(Passwords, SaltMakesEachHashDifferent) {
  const std::string a = hash_password("same password here", kFast);
  const std::string b = hash_password("same password here", kFast);
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_password("same password here", a));
  EXPECT_TRUE(verify_password("same password here", b));
}

TEST(Passwords, BinaryAndUnicodePasswords) {
  const std::string pw = std::string("caf\xc3\xa9 \0 nul inside", 19);
  const std::string encoded = hash_password(pw, kFast);
  EXPECT_TRUE(verify_password(pw, encoded));
  EXPECT_FALSE(verify_password(pw.substr(0, 7), encoded));  // not cut at the NUL
}

TEST(Passwords, VerifyIsFalseOnMalformedOrOtherVariants) {
  const std::string good = hash_password("a long enough password", kFast);
  EXPECT_FALSE(verify_password("a long enough password", ""));
  EXPECT_FALSE(verify_password("a long enough password", "not a hash"));
  EXPECT_FALSE(verify_password("a long enough password", good.substr(0, good.size() - 5)));
  std::string argon2i = good;
  argon2i.replace(0, 9, "$argon2i");
  EXPECT_FALSE(verify_password("a long enough password", argon2i));
  std::string tampered = good;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_password("a long enough password", tampered));
  EXPECT_FALSE(verify_password("a long enough password", good + "$extra"));
  EXPECT_FALSE(verify_password("x", "$argon2id$v=19$m=1024,t=1,p=1$$"));
}

TEST(Passwords, NeedsRehashWhenParametersDiffer) {
  const std::string encoded = hash_password("a long enough password", kFast);
  EXPECT_FALSE(needs_rehash(encoded, kFast));
  EXPECT_TRUE(needs_rehash(encoded, PasswordParams{.t_cost = 2, .m_cost_kib = 1024}));
  EXPECT_TRUE(needs_rehash(encoded, PasswordParams{.t_cost = 1, .m_cost_kib = 2048}));
  EXPECT_TRUE(
      needs_rehash(encoded, PasswordParams{.t_cost = 1, .m_cost_kib = 1024, .parallelism = 2}));
  EXPECT_TRUE(needs_rehash("garbage", kFast));
  EXPECT_TRUE(needs_rehash("$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA", kFast));
  EXPECT_TRUE(needs_rehash("$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA", kFast));
  EXPECT_FALSE(needs_rehash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA", kFast));
}

TEST(Passwords, DefaultParamsAreOwaspStrengthAndWork) {
  const PasswordParams defaults;
  EXPECT_GE(defaults.m_cost_kib, 19456u);
  EXPECT_GE(defaults.t_cost, 2u);
  const std::string encoded = hash_password("the default parameters", defaults);
  EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << encoded;
  EXPECT_TRUE(verify_password("the default parameters", encoded));
  EXPECT_FALSE(verify_password("the default parameterz", encoded));
  EXPECT_FALSE(needs_rehash(encoded, defaults));
}

TEST(Passwords, VerifyAgainstNothingRuns) {
  // Only that it runs with the given cost and does not crash; nothing to compare.
  verify_password_against_nothing("whatever was typed", kFast);
  SUCCEED();
}

// --- policy ---------------------------------------------------------------

std::string policy_message(std::string_view pw) {
  const Status s = check_password_policy(pw);
  if (s.ok()) return "";
  EXPECT_EQ(s.error().code, ErrorCode::kValidation);
  EXPECT_EQ(s.error().fields.size(), 1u);
  if (!s.error().fields.empty()) {
    EXPECT_EQ(s.error().fields[0].field, "password");
    EXPECT_EQ(s.error().fields[0].message, s.error().message);
  }
  return s.error().message;
}

TEST(PasswordPolicy, LengthLimits) {
  EXPECT_EQ(policy_message(""), "Enter a password");
  EXPECT_EQ(policy_message("elevenchars"), "Password must be 12 characters or more");
  EXPECT_EQ(policy_message("twelve chars"), "");
  EXPECT_EQ(policy_message("abc" + std::string(253, 'x')), "");
  EXPECT_EQ(policy_message("abc" + std::string(254, 'y')),
            "Password must be 256 characters or fewer");
}

TEST(PasswordPolicy, CountsCharactersNotBytes) {
  // "café naïves": 11 characters but 13 bytes ("é" and "ï" are 2 bytes each in UTF-8).
  const std::string eleven = "caf\xc3\xa9 na\xc3\xafves";
  ASSERT_EQ(eleven.size(), 13u);
  EXPECT_EQ(policy_message(eleven), "Password must be 12 characters or more");
  EXPECT_EQ(policy_message(eleven + "!"), "");
  // 256 two-byte characters (512 bytes) are within the limit; 257 are not.
  std::string greek;
  for (int i = 0; i < 256; ++i)
    greek += (i % 3 == 0) ? "\xce\xb1" : (i % 5 == 0 ? "\xce\xb2" : "\xce\xb3");
  EXPECT_EQ(policy_message(greek), "");
  EXPECT_EQ(policy_message(greek + "\xce\xb4"), "Password must be 256 characters or fewer");
}

TEST(PasswordPolicy, NoCompositionRules) {
  // Lower-case words only, no digits or symbols: fine if long and uncommon.
  EXPECT_EQ(policy_message("purple tractor umbrella"), "");
  EXPECT_EQ(policy_message("zebrakettlemoonlight"), "");
}

TEST(PasswordPolicy, RejectsVeryCommonPasswords) {
  const std::string harder = "Enter a password that is harder to guess, for example 3 random words";
  for (const char* pw :
       {"password1234", "Password123!", "P@ssw0rd2024", "Welcome2024!", "qwertyuiop12",
        "1qaz2wsx3edc", "aaaaaaaaaaaa", "123456789012", "abcdefghijklmn", "123123123123",
        "passwordpassword", "!!Summer2025!!", "Safeguarding1", "iloveyou1234",
        "CorrectHorseBatteryStaple", "987654321098"}) {
    EXPECT_EQ(policy_message(pw), harder) << pw;
  }
  // Common words inside a longer passphrase are fine.
  EXPECT_EQ(policy_message("password in a haystack"), "");
  EXPECT_EQ(policy_message("summer meadow river"), "");
}

}  // namespace
}  // namespace frontdoor::app
