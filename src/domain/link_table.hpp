#pragma once
// A table of people, as read from a CSV file, for linking (`frontdoor
// match`, bench/linkage_bench.cpp). Columns are recognised by name, in any
// case, so that Frontdoor's own and the reference files' headers work as
// they are:
//   id           id, person_id, rec_id (FEBRL), unique_id (Splink)
//   given name   given_name, first_name, forename
//   family name  family_name, surname, last_name
//   other names  previous_family_name, other_family_name
//   birth date   date_of_birth, dob: 2015-03-07, 20150307 or 07/03/2015
//   postcode     postcode
//   address      address_line or address; or street_number + address_1 (FEBRL)
//   identifier   nhs_number, identifier, soc_sec_id (FEBRL)
// Other columns (suburb, city, email, cluster ...) are ignored. A date that
// cannot be read is left out (counted in unreadable_dates).
// Pure: no I/O.
#include <cstddef>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "core/result.hpp"
#include "domain/person_search.hpp"

namespace frontdoor::domain::linkage {

struct LinkTableRow {
  std::string id;  // the id column, or the row's number from 1 when there is none
  PersonSearchRecord person;
};

struct LinkTable {
  std::vector<LinkTableRow> rows;
  std::vector<std::string> columns_used;  // the header names read, in the order above
  std::size_t unreadable_dates = 0;
};

struct LinkTableOptions {
  bool use_identifiers = true;  // off: the identifier columns are ignored
};

// A validation error names what is missing: a table needs a given or a
// family name column.
Result<LinkTable> people_from_table(const csv::Table& table, const LinkTableOptions& options = {});

}  // namespace frontdoor::domain::linkage
