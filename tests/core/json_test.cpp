#include "core/json.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace frontdoor {
namespace {

using nlohmann::json;

TEST(JsonRead, IntegersMustBeJsonIntegers) {
  const json j = json::parse(R"({"n": 7, "big": 1e300, "half": 1.5, "text": "7", "null": null})");
  EXPECT_EQ(json_or<std::int64_t>(j, "n", 0), 7);
  EXPECT_EQ(json_or<std::int64_t>(j, "missing", 3), 3);
  EXPECT_EQ(json_or<std::int64_t>(j, "null", 3), 3);
  EXPECT_EQ(json_opt<int>(j, "n"), 7);
  EXPECT_EQ(json_opt<int>(j, "null"), std::nullopt);
  EXPECT_THROW(json_or<std::int64_t>(j, "big", 0), json::type_error);
  EXPECT_THROW(json_opt<std::size_t>(j, "half"), json::type_error);
  EXPECT_THROW(json_or<int>(j, "text", 0), json::type_error);
  // Other types read as nlohmann reads them.
  EXPECT_DOUBLE_EQ(json_or<double>(j, "half", 0.0), 1.5);
  EXPECT_EQ(json_or<std::string>(j, "text", ""), "7");
  EXPECT_THROW(json_or<bool>(j, "n", false), json::type_error);
}

}  // namespace
}  // namespace frontdoor
