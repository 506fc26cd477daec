#include "core/crypto.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace frontdoor {
namespace {

TEST(Sha256, KnownVectors) {
  // FIPS 180-2 example "abc" and the empty message.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HmacSha256, Rfc4231TestCase1) {
  const std::string key(20, '\x0b');
  EXPECT_EQ(hmac_sha256_hex(key, "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, Rfc4231TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, EmptyKeyIsAllowedAndDiffersFromOtherKeys) {
  const std::string mac = hmac_sha256_hex("", "data");
  EXPECT_EQ(mac.size(), 64u);
  EXPECT_NE(mac, hmac_sha256_hex("k", "data"));
}

TEST(ConstantTimeEquals, ComparesBytesAndLengths) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("token", "token"));
  EXPECT_FALSE(constant_time_equals("token", "tokeN"));
  EXPECT_FALSE(constant_time_equals("token", "token "));
  EXPECT_FALSE(constant_time_equals("", "a"));
  EXPECT_FALSE(constant_time_equals("a", ""));
  EXPECT_TRUE(constant_time_equals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(Base64Url, Rfc4648VectorsWithoutPadding) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Url, UsesUrlSafeAlphabet) {
  // Standard base64 of FB FF is "+/8=".
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff", 2));
}

TEST(Base64Url, DecodeRoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len <= all.size(); len += 37) {
    const std::string part = all.substr(0, len);
    auto decoded = base64url_decode(base64url_encode(part));
    ASSERT_TRUE(decoded.has_value()) << len;
    EXPECT_EQ(*decoded, part);
  }
}

TEST(Base64Url, DecodeAcceptsPaddingAndRejectsJunk) {
  EXPECT_EQ(base64url_decode("Zm8="), "fo");
  EXPECT_EQ(base64url_decode("Zg=="), "f");
  EXPECT_EQ(base64url_decode(""), "");
  EXPECT_FALSE(base64url_decode("Zm9v+").has_value());  // '+' is not base64url
  EXPECT_FALSE(base64url_decode("Zm/v").has_value());
  EXPECT_FALSE(base64url_decode("Z").has_value());      // impossible length
  EXPECT_FALSE(base64url_decode("Zm8==").has_value());  // bad padding length
  EXPECT_FALSE(base64url_decode("Zh").has_value());     // non-zero trailing bits
  EXPECT_FALSE(base64url_decode("Zm 9v").has_value());
}

TEST(RandomToken, LengthAlphabetAndUniqueness) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string t = random_token();
    EXPECT_EQ(t.size(), 43u);  // 32 bytes -> 43 base64url characters
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    auto raw = base64url_decode(t);
    ASSERT_TRUE(raw.has_value());
    EXPECT_EQ(raw->size(), 32u);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(random_token(16).size(), 22u);
  EXPECT_EQ(random_bytes(16).size(), 16u);
  EXPECT_EQ(random_token(0), "");
}

TEST(HexEncode, LowerCase) {
  EXPECT_EQ(hex_encode(std::string("\x00\xab\xff", 3)), "00abff");
}

}  // namespace
}  // namespace frontdoor
