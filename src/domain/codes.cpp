#include "domain/codes.hpp"

namespace frontdoor::domain {
namespace {

constexpr Code kReferralSources[] = {
    {"1A", "Individual: family member, relative or carer"},
    {"1B", "Individual: acquaintance (including neighbours and child minders)"},
    {"1C", "Individual: self"},
    {"1D", "Individual: other (including strangers)"},
    {"2A", "Schools"},
    {"2B", "Education services"},
    {"3A", "Health services: GP"},
    {"3B", "Health services: health visitor"},
    {"3C", "Health services: school nurse"},
    {"3D", "Health services: other primary health services"},
    {"3E", "Health services: A&E (accident and emergency department)"},
    {"3F", "Health services: other (for example, hospice)"},
    {"4", "Housing: local authority housing or housing association"},
    {"5A", "LA services: social care (for example, adult social care)"},
    {"5B", "LA services: other internal (for example, youth offending, not housing)"},
    {"5C", "LA services: external (for example, another local authority's adult social care)"},
    {"5D", "LA services: early help"},
    {"6", "Police"},
    {"7", "Other legal agency (including courts, probation, immigration, Cafcass or prison)"},
    {"8",
     "Other (including children's centres, independent agencies or voluntary "
     "organisations)"},
    {"9", "Anonymous"},
    {"10", "Unknown"},
};

constexpr Code kEthnicities[] = {
    {"WBRI", "White British"},
    {"WIRI", "White Irish"},
    {"WIRT", "Traveller of Irish heritage"},
    {"WOTH", "Any other White background"},
    {"WROM", "Gypsy or Roma"},
    {"MWBC", "White and Black Caribbean"},
    {"MWBA", "White and Black African"},
    {"MWAS", "White and Asian"},
    {"MOTH", "Any other mixed background"},
    {"AIND", "Indian"},
    {"APKN", "Pakistani"},
    {"ABAN", "Bangladeshi"},
    {"AOTH", "Any other Asian background"},
    {"BCRB", "Caribbean"},
    {"BAFR", "African"},
    {"BOTH", "Any other Black background"},
    {"CHNE", "Chinese"},
    {"OOTH", "Any other ethnic group"},
    {"REFU", "Refused"},
    {"NOBT", "Information not yet obtained"},
};

constexpr Code kGenders[] = {
    {"1", "Male"},
    {"2", "Female"},
    {"0", "Not recorded or unborn"},
    {"9", "Indeterminate"},
};

constexpr Code kSexes[] = {
    {"M", "Male"},
    {"F", "Female"},
    {"U", "Unknown"},
};

constexpr Code kPrimaryNeeds[] = {
    {"N0", "Not stated"},
    {"N1", "Abuse or neglect"},
    {"N2", "Child's disability"},
    {"N3", "Parental disability or illness"},
    {"N4", "Family in acute stress"},
    {"N5", "Family dysfunction"},
    {"N6", "Socially unacceptable behaviour"},
    {"N7", "Low income"},
    {"N8", "Absent parenting"},
    {"N9", "Cases other than children in need"},
};

constexpr Code kReasonsForClosure[] = {
    {"RC1", "Adopted"},
    {"RC2", "Died"},
    {"RC3", "Child arrangements order"},
    {"RC4", "Special guardianship order"},
    {"RC5", "Transferred to services of another local authority"},
    {"RC6", "Transferred to adult social care services"},
    {"RC7", "Services ceased for any other reason, including child no longer in need"},
    {"RC8", "Case closed after assessment, no further action"},
    {"RC9", "Case closed after assessment, referred to early help"},
};

constexpr Code kCategoriesOfAbuse[] = {
    {"NEG", "Neglect"},
    {"PHY", "Physical abuse"},
    {"SAB", "Sexual abuse"},
    {"EMO", "Emotional abuse"},
    {"MUL", "Multiple or not recommended"},
};

bool contains(std::span<const Code> set, std::string_view code) {
  return find_code(set, code).has_value();
}

}  // namespace

std::span<const Code> referral_sources() {
  return kReferralSources;
}
std::span<const Code> ethnicities() {
  return kEthnicities;
}
std::span<const Code> genders() {
  return kGenders;
}
std::span<const Code> sexes() {
  return kSexes;
}
std::span<const Code> primary_needs() {
  return kPrimaryNeeds;
}
std::span<const Code> reasons_for_closure() {
  return kReasonsForClosure;
}
std::span<const Code> categories_of_abuse() {
  return kCategoriesOfAbuse;
}

std::optional<Code> find_code(std::span<const Code> set, std::string_view code) {
  for (const Code& c : set) {
    if (c.code == code) return c;
  }
  return std::nullopt;
}

std::string_view code_label(std::span<const Code> set, std::string_view code) {
  const auto found = find_code(set, code);
  return found ? found->label : std::string_view{};
}

bool is_valid_referral_source(std::string_view code) {
  return contains(kReferralSources, code);
}
bool is_valid_ethnicity(std::string_view code) {
  return contains(kEthnicities, code);
}
bool is_valid_gender(std::string_view code) {
  return contains(kGenders, code);
}
bool is_valid_sex(std::string_view code) {
  return contains(kSexes, code);
}
bool is_valid_primary_need(std::string_view code) {
  return contains(kPrimaryNeeds, code);
}
bool is_valid_reason_for_closure(std::string_view code) {
  return contains(kReasonsForClosure, code);
}
bool is_valid_category_of_abuse(std::string_view code) {
  return contains(kCategoriesOfAbuse, code);
}

std::string_view cin_sex_from_gender(std::string_view gender_code) {
  if (gender_code == "1") return "M";
  if (gender_code == "2") return "F";
  if (gender_code == "0" || gender_code == "9") return "U";
  return {};
}

}  // namespace frontdoor::domain
