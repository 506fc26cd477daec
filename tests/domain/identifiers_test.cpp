#include "domain/identifiers.hpp"

#include <gtest/gtest.h>

namespace frontdoor::domain {
namespace {

template <typename T>
std::string message_of(const Result<T>& r) {
  return r.ok() ? "(ok)" : r.error().fields.at(0).message;
}

// --- NHS number -------------------------------------------------------------
// Worked by hand: digits 1-9 weighted 10..2, check = 11 - (sum mod 11).

TEST(NhsNumber, AcceptsAValidNumber) {
  // 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 mod 11 = 2;
  // 11 - 2 = 9.
  auto n = NhsNumber::parse("9434765919");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->value(), "9434765919");
  EXPECT_EQ(n->formatted(), "943 476 5919");
  // 4*10 + 0 + 1*8 + 0 + 2*6 + 3*5 + 2*4 + 1*3 + 3*2 = 92; 92 mod 11 = 4; 11 - 4 = 7.
  EXPECT_TRUE(NhsNumber::is_valid("4010232137"));
  // Sum 1*5 + 3*2 = 11, remainder 0, so 11 - 0 = 11, which means check digit 0.
  EXPECT_TRUE(NhsNumber::is_valid("0000010030"));
}

TEST(NhsNumber, IgnoresSpacesAndHyphens) {
  for (const char* text : {"943 476 5919", "943-476-5919", "  9434765919 ", "943 4765 919"}) {
    auto n = NhsNumber::parse(text);
    ASSERT_TRUE(n.ok()) << text;
    EXPECT_EQ(n->value(), "9434765919");
  }
}

TEST(NhsNumber, RejectsAWrongCheckDigit) {
  auto n = NhsNumber::parse("9434765918");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, ErrorCode::kValidation);
  EXPECT_EQ(n.error().fields.at(0).field, "nhs_number");
  EXPECT_EQ(message_of(n), "Enter a valid NHS number, like 943 476 5919");
  EXPECT_FALSE(NhsNumber::is_valid("4010232136"));
}

TEST(NhsNumber, RejectsWhenTheCheckDigitWouldBeTen) {
  // 000000006: 6*2 = 12, remainder 1, 11 - 1 = 10: no last digit is right.
  for (char last = '0'; last <= '9'; ++last) {
    const std::string text = std::string("000000006") + last;
    EXPECT_FALSE(NhsNumber::is_valid(text)) << text;
  }
}

TEST(NhsNumber, RejectsTenIdenticalDigits) {
  // 1111111111 passes the check (54 mod 11 = 10, 11 - 10 = 1) but is not issued.
  EXPECT_FALSE(NhsNumber::is_valid("1111111111"));
  EXPECT_FALSE(NhsNumber::is_valid("0000000000"));
}

TEST(NhsNumber, RejectsWrongLengthAndOtherCharacters) {
  EXPECT_EQ(message_of(NhsNumber::parse("943476591")), "NHS number must be 10 numbers");
  EXPECT_EQ(message_of(NhsNumber::parse("94347659190")), "NHS number must be 10 numbers");
  EXPECT_EQ(message_of(NhsNumber::parse("94347659A9")),
            "NHS number must only include numbers 0 to 9");
  EXPECT_EQ(message_of(NhsNumber::parse("943.476.5919")),
            "NHS number must only include numbers 0 to 9");
  EXPECT_EQ(message_of(NhsNumber::parse("   ")), "Enter an NHS number");
}

TEST(NhsNumber, ErrorsNameTheGivenField) {
  auto n = NhsNumber::parse("123", "children[1].nhs_number");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().fields.at(0).field, "children[1].nhs_number");
}

// --- UPN -------------------------------------------------------------------
// Worked by hand: characters 2-13 weighted 2-13; sum mod 23 indexes
// A B C D E F G H J K L M N P Q R T U V W X Y Z (0..22).

TEST(Upn, AcceptsAValidUpn) {
  // B801200005001 is python-stdnum's documented example. By hand:
  // 8*2 + 1*4 + 2*5 + 5*10 + 1*13 = 93; 93 mod 23 = 1 -> B.
  auto upn = Upn::parse("B801200005001");
  ASSERT_TRUE(upn.ok()) << message_of(upn);
  EXPECT_EQ(upn->value(), "B801200005001");
  EXPECT_EQ(upn->la_number(), "801");
  EXPECT_FALSE(upn->is_temporary());
  // 2*2 + 7*4 + 1*9 + 6*10 + 4*12 + 9*13 = 266; 266 - 253 = 13 -> P.
  // (A published walk-through of this number gives Q after adding wrongly.)
  EXPECT_TRUE(Upn::is_valid("P207000016049"));
  EXPECT_FALSE(Upn::is_valid("Q207000016049"));
}

TEST(Upn, NormalisesCaseAndSpaces) {
  auto upn = Upn::parse(" b801 2000 05001 ");
  ASSERT_TRUE(upn.ok());
  EXPECT_EQ(upn->value(), "B801200005001");
}

TEST(Upn, RejectsAWrongCheckLetter) {
  auto upn = Upn::parse("A801200005001");
  ASSERT_FALSE(upn.ok());
  EXPECT_EQ(upn.error().fields.at(0).field, "upn");
  EXPECT_EQ(message_of(upn),
            "Enter a valid unique pupil number (UPN): the check letter does not match");
}

TEST(Upn, TemporaryUpnsEndInALetter) {
  // 8*2 + 1*4 + 2*5 + 5*10 = 80; final A counts 0: 80 mod 23 = 11 -> M.
  auto temp = Upn::parse("M80120000500A");
  ASSERT_TRUE(temp.ok()) << message_of(temp);
  EXPECT_TRUE(temp->is_temporary());
  // Final B counts 1 * 13: 93 mod 23 = 1 -> B.
  EXPECT_TRUE(Upn::is_valid("B80120000500B"));
  EXPECT_FALSE(Upn::is_valid("C80120000500B"));
  // I, O and S are not in the table.
  EXPECT_FALSE(Upn::is_valid("M80120000500O"));
}

TEST(Upn, RejectsBadFormats) {
  EXPECT_EQ(message_of(Upn::parse("")), "Enter a unique pupil number (UPN)");
  EXPECT_EQ(message_of(Upn::parse("B80120000500")),
            "Unique pupil number (UPN) must be 13 characters");
  EXPECT_EQ(message_of(Upn::parse("B8012000050011")),
            "Unique pupil number (UPN) must be 13 characters");
  const std::string format =
      "Enter a unique pupil number (UPN) in the correct format: a letter followed by 12 numbers, "
      "like B801200005001";
  EXPECT_EQ(message_of(Upn::parse("X80120000A001")), format);  // letter in the middle
  EXPECT_EQ(message_of(Upn::parse("I801200005001")), format);  // I is not a check letter
  EXPECT_EQ(message_of(Upn::parse("8801200005001")), format);
  EXPECT_EQ(message_of(Upn::parse("B80120000500-")), format);
}

// --- LA child id and police reference ----------------------------------------

TEST(LaChildId, LettersAndDigitsUpToTwenty) {
  auto id = LaChildId::parse("  CH0012345 ");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->value(), "CH0012345");
  EXPECT_TRUE(LaChildId::parse(std::string(20, '7')).ok());
  EXPECT_EQ(message_of(LaChildId::parse(std::string(21, '7'))),
            "LA child ID must be 20 characters or fewer");
  EXPECT_EQ(message_of(LaChildId::parse("CH-001")),
            "LA child ID must only include letters and numbers");
  EXPECT_EQ(message_of(LaChildId::parse("")), "Enter the LA child ID");
  EXPECT_EQ(LaChildId::parse("").error().fields.at(0).field, "la_child_id");
}

TEST(PoliceReference, FreeTextUpToForty) {
  auto ref = PoliceReference::parse(" CAD 1234 21/11/26 ");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->value(), "CAD 1234 21/11/26");
  EXPECT_TRUE(PoliceReference::parse(std::string(40, 'x')).ok());
  EXPECT_EQ(message_of(PoliceReference::parse(std::string(41, 'x'))),
            "Police reference must be 40 characters or fewer");
  // Forty two-byte characters are forty characters.
  std::string accented;
  for (int i = 0; i < 40; ++i) accented += "\xC3\xA9";
  EXPECT_TRUE(PoliceReference::parse(accented).ok());
  EXPECT_FALSE(PoliceReference::parse("PPN\t123").ok());
  EXPECT_EQ(message_of(PoliceReference::parse("")), "Enter the police reference");
  EXPECT_EQ(PoliceReference::parse("").error().fields.at(0).field, "police_reference");
}

}  // namespace
}  // namespace frontdoor::domain
