#include "domain/codes.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace frontdoor::domain {
namespace {

std::set<std::string> codes_of(std::span<const Code> set) {
  std::set<std::string> out;
  for (const Code& c : set) out.insert(std::string(c.code));
  return out;
}

TEST(Codes, ReferralSources) {
  EXPECT_EQ(referral_sources().size(), 22u);
  EXPECT_EQ(
      codes_of(referral_sources()),
      (std::set<std::string>{"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E",
                             "3F", "4",  "5A", "5B", "5C", "5D", "6",  "7",  "8",  "9",  "10"}));
  EXPECT_TRUE(is_valid_referral_source("5D"));
  EXPECT_TRUE(is_valid_referral_source("10"));
  EXPECT_FALSE(is_valid_referral_source("5E"));
  EXPECT_FALSE(is_valid_referral_source("11"));
  EXPECT_FALSE(is_valid_referral_source("1a"));
  EXPECT_FALSE(is_valid_referral_source(""));
  EXPECT_EQ(code_label(referral_sources(), "6"), "Police");
  EXPECT_EQ(code_label(referral_sources(), "3A"), "Health services: GP");
  EXPECT_EQ(code_label(referral_sources(), "zz"), "");
}

TEST(Codes, OtherSets) {
  EXPECT_EQ(ethnicities().size(), 20u);
  EXPECT_TRUE(is_valid_ethnicity("WBRI"));
  EXPECT_TRUE(is_valid_ethnicity("NOBT"));
  EXPECT_FALSE(is_valid_ethnicity("WBR"));
  EXPECT_EQ(codes_of(genders()), (std::set<std::string>{"0", "1", "2", "9"}));
  EXPECT_TRUE(is_valid_gender("9"));
  EXPECT_FALSE(is_valid_gender("3"));
  EXPECT_EQ(codes_of(sexes()), (std::set<std::string>{"M", "F", "U"}));
  EXPECT_TRUE(is_valid_sex("U"));
  EXPECT_EQ(primary_needs().size(), 10u);
  for (char digit = '0'; digit <= '9'; ++digit) {
    const char code[] = {'N', digit, '\0'};
    EXPECT_TRUE(is_valid_primary_need(code)) << code;
  }
  EXPECT_FALSE(is_valid_primary_need("N10"));
  EXPECT_EQ(code_label(primary_needs(), "N1"), "Abuse or neglect");
  EXPECT_EQ(reasons_for_closure().size(), 9u);
  EXPECT_TRUE(is_valid_reason_for_closure("RC9"));
  EXPECT_FALSE(is_valid_reason_for_closure("RC10"));
  EXPECT_EQ(codes_of(categories_of_abuse()),
            (std::set<std::string>{"NEG", "PHY", "SAB", "EMO", "MUL"}));
  EXPECT_TRUE(is_valid_category_of_abuse("MUL"));
}

TEST(Codes, EachSetHasUniqueCodesAndLabels) {
  for (auto set : {referral_sources(), ethnicities(), genders(), sexes(), primary_needs(),
                   reasons_for_closure(), categories_of_abuse()}) {
    EXPECT_EQ(codes_of(set).size(), set.size());
    for (const Code& c : set) EXPECT_FALSE(c.label.empty()) << c.code;
  }
}

TEST(Codes, SexFromGender) {
  EXPECT_EQ(cin_sex_from_gender("1"), "M");
  EXPECT_EQ(cin_sex_from_gender("2"), "F");
  EXPECT_EQ(cin_sex_from_gender("0"), "U");
  EXPECT_EQ(cin_sex_from_gender("9"), "U");
  EXPECT_EQ(cin_sex_from_gender("M"), "");
}

// The enumeration values of one simpleType in an XSD.
std::set<std::string> xsd_enumeration(const std::string& xsd, const std::string& type) {
  std::set<std::string> out;
  const auto start = xsd.find("<xs:simpleType name=\"" + type + "\"");
  if (start == std::string::npos) return out;
  const auto end = xsd.find("</xs:simpleType>", start);
  const std::string marker = "<xs:enumeration value=\"";
  for (auto pos = xsd.find(marker, start); pos != std::string::npos && pos < end;
       pos = xsd.find(marker, pos + 1)) {
    const auto value_start = pos + marker.size();
    out.insert(xsd.substr(value_start, xsd.find('"', value_start) - value_start));
  }
  return out;
}

std::string read_xsd(const std::string& name) {
  std::ifstream in(std::string(FRONTDOOR_SOURCE_DIR) + "/resources/cin/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(Codes, MatchTheCensusSchema) {
  const std::string xsd2025 = read_xsd("liia-tools-pipeline_CIN_schema_2025.xsd");
  const std::string xsd2024 = read_xsd("liia-tools-pipeline_CIN_schema_2024.xsd");
  ASSERT_FALSE(xsd2025.empty()) << "resources/cin schema missing";
  ASSERT_FALSE(xsd2024.empty()) << "resources/cin schema missing";
  EXPECT_EQ(codes_of(referral_sources()), xsd_enumeration(xsd2025, "referralsourcetype"));
  EXPECT_EQ(codes_of(ethnicities()), xsd_enumeration(xsd2025, "ethnicitytype"));
  EXPECT_EQ(codes_of(primary_needs()), xsd_enumeration(xsd2025, "primaryneedcodetype"));
  EXPECT_EQ(codes_of(reasons_for_closure()), xsd_enumeration(xsd2025, "reasonforclosuretype"));
  EXPECT_EQ(codes_of(categories_of_abuse()), xsd_enumeration(xsd2025, "categoryofabusetype"));
  EXPECT_EQ(codes_of(sexes()), xsd_enumeration(xsd2025, "sextype"));
  EXPECT_EQ(codes_of(genders()), xsd_enumeration(xsd2024, "gendertype"));
}

}  // namespace
}  // namespace frontdoor::domain
