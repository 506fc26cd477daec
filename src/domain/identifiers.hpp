#pragma once
// Identifiers for people, each parsed from what a person typed and held in
// normal form. Errors are GOV.UK-style field errors; `field` names the form
// field (the defaults match PersonIdentifiers' member names).
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace frontdoor::domain {

// NHS number: 10 digits, the last a modulus 11 check digit. Digits 1-9 are
// weighted 10 down to 2; the check digit is 11 - (sum mod 11), with 11
// meaning 0. A result of 10 means the number was never issued: rejected.
// Spaces and hyphens in the input are ignored ("943 476 5919",
// "943-476-5919"). Also rejected: ten identical digits (0000000000 and
// 1111111111 pass the check but are not issued; systems use them as
// placeholders).
class NhsNumber {
 public:
  static Result<NhsNumber> parse(std::string_view text, std::string field = "nhs_number");
  // True when parse would succeed.
  static bool is_valid(std::string_view text);

  const std::string& value() const { return digits_; }  // "9434765919"
  std::string formatted() const;                        // "943 476 5919"
  friend bool operator==(const NhsNumber&, const NhsNumber&) = default;

 private:
  explicit NhsNumber(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

// Unique pupil number (DfE): 13 characters. Character 1 is a check letter;
// 2-4 the LA number, 5-8 the DfE establishment number, 9-10 the year of
// issue, 11-13 a serial number. A temporary UPN has a letter as character 13.
// Check letter: multiply characters 2-13 by weights 2-13 (a letter in
// position 13 counts as its index in the table below), sum, take mod 23 and
// index "ABCDEFGHJKLMNPQRTUVWXYZ" (no I, O or S).
// Input is upper-cased and may contain spaces. The LA number is not checked
// against the list of LAs.
class Upn {
 public:
  static Result<Upn> parse(std::string_view text, std::string field = "upn");
  static bool is_valid(std::string_view text);

  const std::string& value() const { return value_; }
  bool is_temporary() const;
  std::string la_number() const { return value_.substr(1, 3); }
  friend bool operator==(const Upn&, const Upn&) = default;

 private:
  explicit Upn(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// The council's own child id. Councils' formats differ, so the rule is loose:
// 1-20 letters and digits (surrounding spaces are trimmed).
class LaChildId {
 public:
  static constexpr std::size_t kMaxLength = 20;
  static Result<LaChildId> parse(std::string_view text, std::string field = "la_child_id");
  const std::string& value() const { return value_; }
  friend bool operator==(const LaChildId&, const LaChildId&) = default;

 private:
  explicit LaChildId(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// A police reference (crime or incident number, PPN reference): free text,
// 1-40 characters after trimming, no control characters.
class PoliceReference {
 public:
  static constexpr std::size_t kMaxLength = 40;
  static Result<PoliceReference> parse(std::string_view text,
                                       std::string field = "police_reference");
  const std::string& value() const { return value_; }
  friend bool operator==(const PoliceReference&, const PoliceReference&) = default;

 private:
  explicit PoliceReference(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace frontdoor::domain
