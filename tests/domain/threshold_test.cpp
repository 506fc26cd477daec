#include "domain/threshold.hpp"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace frontdoor::domain {
namespace {

std::string field_of(const Status& s) {
  if (s.ok()) return "(ok)";
  return s.error().fields.empty() ? "(no field)" : s.error().fields.front().field;
}
std::string field_of(const Result<ThresholdFramework>& r) {
  if (r.ok()) return "(ok)";
  return r.error().fields.empty() ? "(no field)" : r.error().fields.front().field;
}

TEST(ThresholdFramework, DefaultHasFourLevelsWithIndicators) {
  const auto f = ThresholdFramework::default_framework();
  EXPECT_TRUE(validate_framework(f).ok());
  ASSERT_EQ(f.levels.size(), 4u);
  std::set<std::string> codes;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(f.levels[static_cast<std::size_t>(i)].number, i + 1);
    const auto& indicators = f.levels[static_cast<std::size_t>(i)].indicators;
    EXPECT_GE(indicators.size(), 5u);
    EXPECT_LE(indicators.size(), 8u);
    for (const auto& ind : indicators) {
      EXPECT_TRUE(codes.insert(ind.code).second) << ind.code;
      EXPECT_FALSE(ind.text.empty());
    }
  }
  EXPECT_EQ(f.levels[0].name, "Universal");
  EXPECT_NE(f.levels[3].name.find("child protection"), std::string::npos);
  const Indicator* baby = f.find_indicator("4.2");
  ASSERT_NE(baby, nullptr);
  EXPECT_NE(baby->text.find("non-mobile baby"), std::string::npos);
  EXPECT_EQ(f.level_of_indicator("4.2"), 4);
  EXPECT_EQ(f.level_of_indicator("2.1"), 2);
  EXPECT_FALSE(f.level_of_indicator("9.9").has_value());
  EXPECT_EQ(f.level(3)->number, 3);
  EXPECT_EQ(f.level(5), nullptr);
}

TEST(ThresholdFramework, JsonRoundTrip) {
  const auto f = ThresholdFramework::default_framework();
  auto back = ThresholdFramework::from_json(f.to_json());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, f);
  auto reparsed = ThresholdFramework::parse(f.to_json().dump(2));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(*reparsed, f);
  const auto json = f.to_json();
  EXPECT_EQ(json["id"], "continuum-of-need");
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["levels"][3]["indicators"][0]["code"], "4.1");
}

constexpr const char* kSmall = R"({
  "id": "small", "version": 2, "name": "Small",
  "levels": [
    {"number": 2, "name": "High", "descriptor": "d2",
     "indicators": [{"code": "H1", "text": "High need"}]},
    {"number": 1, "name": "Low",
     "indicators": [{"code": "L1", "text": "Low need"}, {"code": "L2", "text": "Other"}]}
  ]})";

TEST(ThresholdFramework, FromJsonSortsLevelsAndAllowsNoDescriptor) {
  auto f = ThresholdFramework::parse(kSmall);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->version, 2);
  ASSERT_EQ(f->levels.size(), 2u);
  EXPECT_EQ(f->levels[0].number, 1);
  EXPECT_EQ(f->levels[0].descriptor, "");
  EXPECT_EQ(f->levels[1].name, "High");
  EXPECT_EQ(f->level_of_indicator("L2"), 1);
}

nlohmann::json small() {
  return nlohmann::json::parse(kSmall);
}

TEST(ThresholdFramework, ValidationErrorsNameTheField) {
  auto with = [](auto edit) {
    auto j = small();
    edit(j);
    return ThresholdFramework::from_json(j);
  };
  using J = nlohmann::json;
  EXPECT_EQ(field_of(with([](J& j) { j["id"] = "Right Help"; })), "id");
  EXPECT_EQ(field_of(with([](J& j) { j["id"] = ""; })), "id");
  EXPECT_EQ(field_of(with([](J& j) { j.erase("id"); })), "id");
  EXPECT_EQ(field_of(with([](J& j) { j["version"] = 0; })), "version");
  EXPECT_EQ(field_of(with([](J& j) { j["version"] = "2"; })), "version");
  EXPECT_EQ(field_of(with([](J& j) { j["name"] = "  "; })), "name");
  EXPECT_EQ(field_of(with([](J& j) { j["levels"] = J::array(); })), "levels");
  EXPECT_EQ(field_of(with([](J& j) { j["levels"] = "four"; })), "levels");
  // Numbered 1 and 3: not 1..N.
  EXPECT_EQ(field_of(with([](J& j) { j["levels"][0]["number"] = 3; })), "levels[0].number");
  // Two level 1s.
  auto dup = with([](J& j) { j["levels"][0]["number"] = 1; });
  EXPECT_EQ(field_of(dup), "levels[1].number");
  EXPECT_EQ(dup.error().message, "There is more than one level 1");
  EXPECT_EQ(field_of(with([](J& j) { j["levels"][1]["name"] = ""; })), "levels[1].name");
  EXPECT_EQ(field_of(with([](J& j) { j["levels"][1].erase("name"); })), "levels[1].name");
  // An indicator code used in two levels.
  auto dup_code = with([](J& j) { j["levels"][1]["indicators"][1]["code"] = "H1"; });
  EXPECT_EQ(field_of(dup_code), "levels[1].indicators[1].code");
  EXPECT_EQ(dup_code.error().message, "Indicator code H1 is used more than once");
  EXPECT_EQ(field_of(with([](J& j) { j["levels"][1]["indicators"][0]["code"] = "L 1"; })),
            "levels[1].indicators[0].code");
  EXPECT_EQ(field_of(with([](J& j) { j["levels"][0]["indicators"][0]["text"] = ""; })),
            "levels[0].indicators[0].text");
  EXPECT_EQ(field_of(with([](J& j) { j["levels"][0]["indicators"] = 7; })), "levels[0].indicators");
  EXPECT_EQ(field_of(with([](J&) {})), "(ok)");

  auto not_json = ThresholdFramework::parse("{");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().code, ErrorCode::kValidation);
  EXPECT_FALSE(ThresholdFramework::parse("[]").ok());
}

TEST(ThresholdFramework, ValidateFrameworkDirectly) {
  auto f = ThresholdFramework::default_framework();
  f.levels[2].indicators.push_back({"1.1", "duplicate of a level 1 code"});
  EXPECT_EQ(field_of(validate_framework(f)), "levels[2].indicators[8].code");
  f = ThresholdFramework::default_framework();
  f.levels.pop_back();
  EXPECT_TRUE(validate_framework(f).ok());  // three levels, 1..3, is fine
  f.levels.erase(f.levels.begin());
  EXPECT_EQ(field_of(validate_framework(f)), "levels[1].number");  // 2, 3 out of 1..2
}

TEST(ValidateIndicators, ChecksLevelAndCodes) {
  const auto f = ThresholdFramework::default_framework();
  EXPECT_TRUE(validate_indicators(f, 4, {"4.1", "4.3"}).ok());
  EXPECT_TRUE(validate_indicators(f, 1, {}).ok());

  auto no_level = validate_indicators(f, 5, {"4.1"});
  EXPECT_EQ(field_of(no_level), "level");
  EXPECT_EQ(no_level.error().fields[0].message, "Select a level of need");
  EXPECT_EQ(field_of(validate_indicators(f, 0, {})), "level");

  auto wrong_level = validate_indicators(f, 3, {"3.1", "4.2"});
  EXPECT_EQ(field_of(wrong_level), "indicators");
  EXPECT_EQ(wrong_level.error().fields[0].message, "Indicator 4.2 belongs to level 4, not level 3");

  auto unknown = validate_indicators(f, 3, {"3.99"});
  EXPECT_EQ(field_of(unknown), "indicators");
  EXPECT_EQ(unknown.error().fields[0].message, "Select indicators from the list for level 3");

  auto repeated = validate_indicators(f, 2, {"2.1", "2.1"});
  EXPECT_EQ(repeated.error().fields[0].message, "Indicator 2.1 is selected more than once");
}

}  // namespace
}  // namespace frontdoor::domain
