#include "core/csv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace frontdoor::csv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Table parsed(std::string_view text, const Options& options = {}) {
  auto table = parse(text, options);
  EXPECT_TRUE(table.ok()) << table.error().message;
  return table.ok() ? std::move(table).value() : Table{};
}

std::string error_of(std::string_view text, const Options& options = {}) {
  auto table = parse(text, options);
  EXPECT_FALSE(table.ok()) << "parsed: " << text;
  return table.ok() ? std::string() : table.error().message;
}

TEST(Csv, ReadsAHeaderAndRows) {
  Table t = parsed("id,name\n1,Ann\n2,Bob\n");
  EXPECT_THAT(t.header, ElementsAre("id", "name"));
  ASSERT_EQ(t.rows.size(), 2U);
  EXPECT_THAT(t.rows[0].fields, ElementsAre("1", "Ann"));
  EXPECT_THAT(t.rows[1].fields, ElementsAre("2", "Bob"));
  EXPECT_EQ(t.rows[0].line, 2U);
  EXPECT_EQ(t.rows[1].line, 3U);
  EXPECT_EQ(t.column("name"), 1U);
  EXPECT_EQ(t.column("missing"), std::nullopt);
}

TEST(Csv, QuotedFieldsHoldDelimitersQuotesAndLineBreaks) {
  Table t = parsed("a,b,c\r\n\"x, y\",\"she said \"\"no\"\"\",\"two\r\nlines\"\r\nnext,,\"\"\r\n");
  ASSERT_EQ(t.rows.size(), 2U);
  EXPECT_THAT(t.rows[0].fields, ElementsAre("x, y", "she said \"no\"", "two\r\nlines"));
  EXPECT_THAT(t.rows[1].fields, ElementsAre("next", "", ""));
  // The record after a quoted line break starts on the physical line after it.
  EXPECT_EQ(t.rows[1].line, 4U);
}

TEST(Csv, AcceptsCrlfLfAndCrLineEndsAndNoFinalLineBreak) {
  Table t = parsed("h\r\n1\n2\r3");
  ASSERT_EQ(t.rows.size(), 3U);
  EXPECT_EQ(t.rows[0].fields[0], "1");
  EXPECT_EQ(t.rows[1].fields[0], "2");
  EXPECT_EQ(t.rows[2].fields[0], "3");
  EXPECT_EQ(t.rows[2].line, 4U);
}

TEST(Csv, SkipsAByteOrderMarkAndBlankLines) {
  Table t = parsed("\xEF\xBB\xBFid,name\n\n1,Ann\r\n\r\n");
  EXPECT_THAT(t.header, ElementsAre("id", "name"));
  ASSERT_EQ(t.rows.size(), 1U);
  EXPECT_EQ(t.rows[0].line, 3U);
}

TEST(Csv, TrimsUnquotedFieldsOnlyWhenAsked) {
  const std::string text = "rec_id, given_name, surname\nrec-1-org, , waller \n";
  Table plain = parsed(text);
  EXPECT_THAT(plain.header, ElementsAre("rec_id", " given_name", " surname"));
  Options febrl;
  febrl.trim_unquoted = true;
  Table trimmed = parsed(text, febrl);
  EXPECT_THAT(trimmed.header, ElementsAre("rec_id", "given_name", "surname"));
  EXPECT_THAT(trimmed.rows[0].fields, ElementsAre("rec-1-org", "", "waller"));
  Table quoted = parsed("a,b\n \" kept \" , x\n", febrl);
  EXPECT_THAT(quoted.rows[0].fields, ElementsAre(" kept ", "x"));
}

TEST(Csv, WithoutAHeaderRecordsMayDifferInLength) {
  Options options;
  options.header = false;
  Table t = parsed("1,2,3\n4\n", options);
  EXPECT_TRUE(t.header.empty());
  ASSERT_EQ(t.rows.size(), 2U);
  EXPECT_EQ(t.rows[0].fields.size(), 3U);
  EXPECT_EQ(t.rows[1].fields.size(), 1U);
  Options semicolons = options;
  semicolons.delimiter = ';';
  EXPECT_THAT(parsed("a;b,c\n", semicolons).rows[0].fields, ElementsAre("a", "b,c"));
}

TEST(Csv, ReportsErrorsWithTheirLine) {
  EXPECT_THAT(error_of("a,b\n1,2\n3\n"), StartsWith("line 3: 1 fields where the header has 2"));
  EXPECT_THAT(error_of("a\n1\n\"open\nstill open\n"),
              StartsWith("line 3, field 1: a quoted field is not closed"));
  EXPECT_THAT(error_of("a,b\n1,x\"y\n"), StartsWith("line 2, field 2: a quote inside"));
  EXPECT_THAT(error_of("a,b\n\"1\"x,2\n"), StartsWith("line 2, field 1: a closing quote"));
  EXPECT_THAT(error_of(std::string_view("a\n1\0\n", 5)), StartsWith("line 2, field 1: a NUL"));
  EXPECT_THAT(error_of("a,b\n1,caf\xE9\n"), StartsWith("line 2, field 2: the text is not UTF-8"));
  EXPECT_THAT(error_of("a\n\"two\nlines \xFF\"\n"), StartsWith("line 2, field 1: the text is not"));
  EXPECT_THAT(error_of("a,b,a\n"), StartsWith("line 1: the column \"a\" appears twice"));
  EXPECT_THAT(error_of(""), StartsWith("line 1: the file is empty"));
  EXPECT_THAT(error_of("\xEF\xBB\xBF\r\n\n"), StartsWith("line 1: the file is empty"));
  Options bad;
  bad.delimiter = '"';
  EXPECT_THAT(error_of("a", bad), HasSubstr("delimiter"));
}

TEST(Csv, FormatQuotesWhatParseWouldMisreadAndRoundTrips) {
  Table t;
  t.header = {"id", "note"};
  t.rows.push_back({0, {"1", "plain"}});
  t.rows.push_back({0, {"2", "comma, \"quote\"\nnewline"}});
  t.rows.push_back({0, {"3", " padded "}});
  t.rows.push_back({0, {"\xEF\xBB\xBF", ""}});
  const std::string text = format(t);
  EXPECT_THAT(text, StartsWith("id,note\r\n1,plain\r\n2,\"comma, \"\"quote\"\"\nnewline\"\r\n"));
  Table back = parsed(text);
  EXPECT_EQ(back.header, t.header);
  ASSERT_EQ(back.rows.size(), t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) EXPECT_EQ(back.rows[i].fields, t.rows[i].fields);

  // One empty field is written as "" so that it is not read as a blank line.
  EXPECT_EQ(format_row({""}), "\"\"\r\n");
  Options options;
  options.header = false;
  ASSERT_EQ(parsed(format_row({""}), options).rows.size(), 1U);
}

// The first lines of ../shared/linkage/febrl_dataset4a.csv (", " separated,
// CRLF) and splink_fake_1000.csv, as `frontdoor match` reads them.
TEST(Csv, ReadsTheFebrlAndSplinkFormats) {
  Options febrl;
  febrl.trim_unquoted = true;
  Table a = parsed(
      "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, "
      "state, date_of_birth, soc_sec_id\r\n"
      "rec-1070-org, michaela, neumann, 8, stanley street, miami, winston hills, 4223, nsw, "
      "19151111, 5304218\r\n"
      "rec-608-dup-0, , white, 72, lambrigg street, kelgoola, broadbeach waters, 3159, vic, "
      "19241207, 3077542\r\n",
      febrl);
  EXPECT_EQ(a.column("date_of_birth"), 9U);
  ASSERT_EQ(a.rows.size(), 2U);
  EXPECT_THAT(a.rows[1].fields,
              ElementsAre("rec-608-dup-0", "", "white", "72", "lambrigg street", "kelgoola",
                          "broadbeach waters", "3159", "vic", "19241207", "3077542"));
  Table splink = parsed(
      "unique_id,first_name,surname,dob,city,email,cluster\n"
      "0,Robert,Alan,1971-06-24,,robert255@smith.net,0\n"
      "3,Robert,Alen,1971-06-24,Lonon,,0\n");
  EXPECT_EQ(splink.column("cluster"), 6U);
  EXPECT_THAT(splink.rows[1].fields,
              ElementsAre("3", "Robert", "Alen", "1971-06-24", "Lonon", "", "0"));
}

TEST(Csv, ReadFileNamesTheFileInItsErrors) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto path = dir / ("frontdoor-csv-test-" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "a,b\n1\n";
  }
  auto table = read_file(path);
  std::filesystem::remove(path);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().code, ErrorCode::kValidation);
  EXPECT_THAT(table.error().message, StartsWith(path.filename().string() + ", line 2: "));
  auto missing = read_file(dir / "frontdoor-csv-test-no-such-file.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace frontdoor::csv
