#pragma once
// Name matching: the building blocks of person search (normalisation of
// names, postcodes, addresses and identifiers; Metaphone; Jaro–Winkler; edit
// distance; the nickname table). Pure: no I/O.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace frontdoor::domain {

// The building blocks, public so they can be tested and reused by a later
// matching engine.
namespace name_matching {

// Lower case; common Latin letters with diacritics folded to ASCII (é -> e,
// ß -> ss, ł -> l); apostrophes removed (O'Brien -> obrien); hyphens and other
// punctuation become spaces; runs of spaces collapse. Digits are kept only
// when keep_digits is set (addresses).
std::string fold(std::string_view text, bool keep_digits = false);

// fold() then split on spaces; titles (Mr, Mrs, Miss, Ms, Mx, Dr, Master)
// are dropped unless they are the only word.
std::vector<std::string> name_words(std::string_view text);

// Metaphone (the original single-code algorithm, with "CHR" -> K), written
// for British names: Smith/Smyth -> SM0, Catherine/Kathryn -> K0RN,
// Stephen/Steven -> STFN. Non-letters are ignored. Empty for empty input.
std::string metaphone(std::string_view word);

// Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4).
double jaro_winkler(std::string_view a, std::string_view b);
// True when jaro_winkler(a, b) < threshold is certain from a cheap bound
// (letters of one that the other lacks cannot match); false says nothing.
bool jaro_winkler_below(std::string_view a, std::string_view b, double threshold);

// Edit distance counting insertions, deletions, substitutions and adjacent
// transpositions (optimal string alignment).
// Only the first 64 letters of each are compared.
int edit_distance(std::string_view a, std::string_view b);
// edit_distance(a, b) <= 1, without filling the table: equal, or one
// insertion, deletion, substitution or swap of neighbours apart.
bool within_one_edit(std::string_view a, std::string_view b);

// True when the two given names (any case) are in a common group of the
// built-in UK nickname table (Jon/Jonathan, Peggy/Margaret, Mo/Muhammad).
bool are_nicknames(std::string_view a, std::string_view b);
// Number of groups in the built-in nickname table.
std::size_t nickname_group_count();

// Upper case, letters and digits only: "sw1a 1aa" -> "SW1A1AA".
std::string normalise_postcode(std::string_view postcode);
// Outward code ("SW1A") and sector ("SW1A 1" as "SW1A1") of a normalised
// full postcode; for a partial postcode (outward code only) the sector is
// empty and the outward code is the whole text.
std::string postcode_outward(std::string_view normalised);
std::string postcode_sector(std::string_view normalised);
// The same, as views into the argument (no copy).
std::string_view postcode_outward_view(std::string_view normalised);
std::string_view postcode_sector_view(std::string_view normalised);

// Upper case, letters and digits only: "943 476 5919" -> "9434765919".
std::string normalise_identifier(std::string_view identifier);

// Address words: fold() keeping digits, common abbreviations expanded
// ("St" -> street, "Rd" -> road).
std::vector<std::string> address_words(std::string_view line);

// For the person search index (person_search.cpp), not a stable API.
// True for a family-name particle ("de", "van", "al") that is kept only
// within the joined form of a several-word family name.
bool is_particle(std::string_view w);
// The nickname groups a folded given name belongs to; nullptr for none.
const std::vector<std::uint16_t>* nickname_groups_of(const std::string& folded);

}  // namespace name_matching
}  // namespace frontdoor::domain
