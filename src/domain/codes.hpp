#pragma once
// Children in Need census code sets (DfE), as used by the front door.
// Source: /work/shared/standards/cin/CIN_XML_STRUCTURE.md and the XSD
// annotations beside it. Labels are written in sentence case for screens;
// the codes are exactly the census values.
#include <optional>
#include <span>
#include <string_view>

namespace frontdoor::domain {

struct Code {
  std::string_view code;
  std::string_view label;
};

// ReferralSource: 1A-1D, 2A-2B, 3A-3F, 4, 5A-5D, 6, 7, 8, 9, 10
// (22 codes; 5D, LA early help, since the 2023 census).
std::span<const Code> referral_sources();
// Ethnicity: the 20 codes WBRI ... NOBT.
std::span<const Code> ethnicities();
// GenderCurrent (census up to 2023-24): 1 male, 2 female, 0 not recorded or
// unborn, 9 indeterminate. The front door records sex with these codes.
std::span<const Code> genders();
// Sex (census 2024-25 on): M, F, U. See cin_sex_from_gender to convert.
std::span<const Code> sexes();
// PrimaryNeedCode: N0 (not stated), N1-N9.
std::span<const Code> primary_needs();
// ReasonForClosure: RC1-RC9.
std::span<const Code> reasons_for_closure();
// Initial/LatestCategoryOfAbuse: NEG, PHY, SAB, EMO, MUL.
std::span<const Code> categories_of_abuse();

// The entry with this exact code, if any.
std::optional<Code> find_code(std::span<const Code> set, std::string_view code);
// The label, or "" when the code is not in the set.
std::string_view code_label(std::span<const Code> set, std::string_view code);

bool is_valid_referral_source(std::string_view code);
bool is_valid_ethnicity(std::string_view code);
bool is_valid_gender(std::string_view code);
bool is_valid_sex(std::string_view code);
bool is_valid_primary_need(std::string_view code);
bool is_valid_reason_for_closure(std::string_view code);
bool is_valid_category_of_abuse(std::string_view code);

// GenderCurrent -> Sex for the 2024-25 census on: "1" -> "M", "2" -> "F",
// "0" and "9" -> "U". Empty for codes not in genders().
std::string_view cin_sex_from_gender(std::string_view gender_code);

}  // namespace frontdoor::domain
