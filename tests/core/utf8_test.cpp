#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace frontdoor {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII, with\ttabs\r\n"));
  EXPECT_TRUE(is_valid_utf8(std::string("nul \0 inside", 12)));
  EXPECT_TRUE(is_valid_utf8("Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80"));  // e-umlaut, euro, emoji
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, before surrogates
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8, RefusesMalformedText) {
  EXPECT_FALSE(is_valid_utf8("\xFF"));              // never in UTF-8
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));           // Latin-1 e-acute
  EXPECT_FALSE(is_valid_utf8("\x80"));              // a lone continuation byte
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE2\x28\xA1"));      // bad third byte
  EXPECT_FALSE(is_valid_utf8("ok\xF0\x9F\x98"));    // truncated at the end
}

}  // namespace
}  // namespace frontdoor
