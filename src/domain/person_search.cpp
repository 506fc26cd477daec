#include "domain/person_search.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <mutex>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "domain/person.hpp"

namespace frontdoor::domain {

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------
namespace name_matching {
namespace {

// What a Latin-1 Supplement or Latin Extended-A/B code point folds to.
// nullptr: not a letter we fold (kept as is). "": removed (apostrophe-like).
// " ": a separator.
const char* fold_code_point(char32_t cp) {
  if (cp >= 0xC0 && cp <= 0xFF) {
    static constexpr std::array<const char*, 64> kLatin1 = {
        "a", "a", "a", "a", "a", "a", "ae", "c",   // C0-C7
        "e", "e", "e", "e", "i", "i", "i",  "i",   // C8-CF
        "d", "n", "o", "o", "o", "o", "o",  " ",   // D0-D7 (D7 is the multiplication sign)
        "o", "u", "u", "u", "u", "y", "th", "ss",  // D8-DF
        "a", "a", "a", "a", "a", "a", "ae", "c",   // E0-E7
        "e", "e", "e", "e", "i", "i", "i",  "i",   // E8-EF
        "d", "n", "o", "o", "o", "o", "o",  " ",   // F0-F7 (F7 is the division sign)
        "o", "u", "u", "u", "u", "y", "th", "y",   // F8-FF
    };
    return kLatin1[cp - 0xC0];
  }
  if (cp >= 0x100 && cp <= 0x17F) {
    struct Range {
      char32_t last;
      const char* to;
    };
    static constexpr std::array<Range, 22> kExtendedA = {{
        {0x105, "a"}, {0x10D, "c"},  {0x111, "d"}, {0x11B, "e"}, {0x123, "g"}, {0x127, "h"},
        {0x131, "i"}, {0x133, "ij"}, {0x135, "j"}, {0x138, "k"}, {0x142, "l"}, {0x14B, "n"},
        {0x151, "o"}, {0x153, "oe"}, {0x159, "r"}, {0x161, "s"}, {0x167, "t"}, {0x173, "u"},
        {0x175, "w"}, {0x178, "y"},  {0x17E, "z"}, {0x17F, "s"},
    }};
    for (const auto& r : kExtendedA) {
      if (cp <= r.last) return r.to;
    }
  }
  switch (cp) {
    case 0x218:
    case 0x219:
      return "s";  // Romanian s with comma
    case 0x21A:
    case 0x21B:
      return "t";  // Romanian t with comma
    case 0xA0:
      return " ";  // no-break space
    case 0xB4:
    case 0x2018:
    case 0x2019:
    case 0x02BC:
    case 0x2032:
      return "";  // apostrophes
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
      return " ";
    default:
      return nullptr;
  }
}

// Decodes one UTF-8 sequence at text[i]; returns its length (1 for invalid
// bytes, which are then kept as they are).
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  auto cont = [&](std::size_t k) {
    return i + k < text.size() && (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
  };
  auto bits = [&](std::size_t k) { return static_cast<char32_t>(text[i + k] & 0x3F); };
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if ((b0 & 0xE0) == 0xC0 && cont(1)) {
    cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1);
    return 2;
  }
  if ((b0 & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2);
    return 3;
  }
  if ((b0 & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
    return 4;
  }
  cp = 0xFFFD;
  return 1;
}

bool is_title(std::string_view w) {
  return w == "mr" || w == "mrs" || w == "miss" || w == "ms" || w == "mx" || w == "dr" ||
         w == "master";
}

bool is_particle(std::string_view w) {
  static const std::unordered_set<std::string_view> kParticles = {
      "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "al", "el"};
  return kParticles.contains(w);
}

std::vector<std::string> split_spaces(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_vowel(char c) {
  return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

}  // namespace

std::string fold(std::string_view text, bool keep_digits) {
  std::string out;
  out.reserve(text.size());
  auto put_space = [&] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const std::size_t len = decode_utf8(text, i, cp);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') {
        out.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if (c >= 'a' && c <= 'z') {
        out.push_back(c);
      } else if (c >= '0' && c <= '9') {
        if (keep_digits) {
          out.push_back(c);
        } else {
          put_space();
        }
      } else if (c == '\'' || c == '`') {
        // O'Brien -> obrien
      } else {
        put_space();
      }
    } else if (const char* to = fold_code_point(cp); to != nullptr) {
      if (to[0] == ' ') {
        put_space();
      } else {
        out += to;
      }
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> name_words(std::string_view text) {
  std::vector<std::string> words = split_spaces(fold(text));
  std::vector<std::string> kept;
  kept.reserve(words.size());
  for (auto& w : words) {
    if (!is_title(w)) kept.push_back(std::move(w));
  }
  if (kept.empty()) return split_spaces(fold(text));
  return kept;
}

std::string metaphone(std::string_view word) {
  std::string w;
  w.reserve(word.size());
  for (const char c : word) {
    if (c >= 'a' && c <= 'z') {
      w.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if (c >= 'A' && c <= 'Z') {
      w.push_back(c);
    }
  }
  const auto n = static_cast<std::ptrdiff_t>(w.size());
  std::string out;
  if (n == 0) return out;
  auto at = [&](std::ptrdiff_t k) -> char {
    return k >= 0 && k < n ? w[static_cast<std::size_t>(k)] : '\0';
  };
  auto front_vowel = [](char c) { return c == 'E' || c == 'I' || c == 'Y'; };

  std::ptrdiff_t i = 0;
  // Initial letter exceptions.
  const char c0 = at(0);
  const char c1 = at(1);
  if (c0 == 'A' && c1 == 'E') {
    out.push_back('E');
    i = 2;
  } else if (((c0 == 'G' || c0 == 'K' || c0 == 'P') && c1 == 'N') || (c0 == 'W' && c1 == 'R')) {
    i = 1;  // Gnome, Knight, Pneumatic, Wright: first letter silent
  } else if (c0 == 'X') {
    out.push_back('S');
    i = 1;
  } else if (c0 == 'W' && c1 == 'H') {
    out.push_back('W');
    i = 2;
  }

  for (; i < n; ++i) {
    const char c = at(i);
    if (c == at(i - 1) && c != 'C') continue;  // double letters count once
    const char next = at(i + 1);
    const char after = at(i + 2);
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
        if (i == 0) out.push_back(c);  // vowels only at the start
        break;
      case 'B':
        if (!(i == n - 1 && at(i - 1) == 'M')) out.push_back('B');  // Lamb
        break;
      case 'C':
        if (next == 'I' && after == 'A') {
          out.push_back('X');
        } else if (next == 'H') {
          // CHR and SCH sound as K (Christopher, Schofield); otherwise CH is X.
          out.push_back(after == 'R' || at(i - 1) == 'S' ? 'K' : 'X');
          ++i;
        } else if (front_vowel(next)) {
          if (at(i - 1) != 'S') out.push_back('S');  // SCE/SCI/SCY: the C is silent
        } else {
          out.push_back('K');
        }
        break;
      case 'D':
        if (next == 'G' && front_vowel(after)) {
          out.push_back('J');  // Hodge
          ++i;
        } else {
          out.push_back('T');
        }
        break;
      case 'G':
        if (next == 'H') {
          if (i + 2 < n && is_vowel(after)) {
            out.push_back('K');  // Ghana
          }
          ++i;  // GH before a consonant or at the end is silent (Knight, Hugh)
        } else if (next == 'N' &&
                   (i + 2 == n || (after == 'E' && at(i + 3) == 'D' && i + 4 == n))) {
          // silent G in -GN, -GNED
        } else if (front_vowel(next)) {
          out.push_back('J');
        } else {
          out.push_back('K');
        }
        break;
      case 'H': {
        const char prev = at(i - 1);
        const bool after_modifier =
            prev == 'C' || prev == 'S' || prev == 'P' || prev == 'T' || prev == 'G';
        if (is_vowel(next) && !after_modifier) out.push_back('H');
        break;
      }
      case 'K':
        if (at(i - 1) != 'C') out.push_back('K');
        break;
      case 'P':
        if (next == 'H') {
          out.push_back('F');
          ++i;
        } else {
          out.push_back('P');
        }
        break;
      case 'Q':
        out.push_back('K');
        break;
      case 'S':
        if (next == 'H') {
          out.push_back('X');
          ++i;
        } else if (next == 'I' && (after == 'O' || after == 'A')) {
          out.push_back('X');
        } else {
          out.push_back('S');
        }
        break;
      case 'T':
        if (next == 'I' && (after == 'O' || after == 'A')) {
          out.push_back('X');
        } else if (next == 'H') {
          out.push_back('0');  // theta
          ++i;
        } else if (next == 'C' && after == 'H') {
          // silent T in TCH
        } else {
          out.push_back('T');
        }
        break;
      case 'V':
        out.push_back('F');
        break;
      case 'W':
      case 'Y':
        if (is_vowel(next)) out.push_back(c);
        break;
      case 'X':
        out += "KS";
        break;
      case 'Z':
        out.push_back('S');
        break;
      default:  // F J L M N R
        out.push_back(c);
        break;
    }
  }
  return out;
}

double jaro_winkler(std::string_view a, std::string_view b) {
  constexpr std::size_t kMax = 64;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  const std::size_t window =
      std::max(a.size(), b.size()) / 2 > 0 ? std::max(a.size(), b.size()) / 2 - 1 : 0;
  std::array<bool, kMax> a_matched{};
  std::array<bool, kMax> b_matched{};
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(b.size(), i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t half_transpositions = 0;
  std::size_t j = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++half_transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double t = static_cast<double>(half_transpositions) / 2.0;
  const double jaro =
      (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + (m - t) / m) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

int edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows: two back (for transpositions), previous and current.
  // Names are short: only the first 64 letters are compared, so the rows
  // live on the stack.
  constexpr std::size_t kMax = 64;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  std::array<int, 3 * (kMax + 1)> rows_storage{};
  const std::size_t m = b.size();
  int* rows = rows_storage.data();
  int* back = rows;
  int* prev = rows + (m + 1);
  int* cur = rows + 2 * (m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, back[j - 2] + 1);
      }
      cur[j] = best;
    }
    int* old_back = back;
    back = prev;
    prev = cur;
    cur = old_back;
  }
  return prev[m];
}

namespace {

// A compact UK-focused table of given-name groups: nicknames, short forms and
// common spelling variants. A name may be in more than one group (Harry is
// Henry or Harold; Mo is Muhammad or Maureen).
constexpr auto kNicknameGroups = std::to_array<const char*>({
    "john jon jonathan jonny johnny johnnie jack jonty",
    "elizabeth elisabeth liz lizzie lizzy beth betty bette bess bessie eliza libby lisa elsie",
    "william will bill billy willie willy liam wills",
    "margaret maggie peggy meg madge margie marge greta",
    "alfred alf alfie",
    "frederick frederic fred freddie freddy",
    "henry harry hal hank",
    "harold harry hal",
    "harrison harry",
    "catherine katherine kathryn catharine katharine kate katie katy cathy kathy kath cath kat "
    "kitty",
    "kathleen kath kathy",
    "caitlin caitlyn kaitlyn katelyn",
    "muhammad mohammed mohamed mohammad muhammed mohamad mohammod mohd mo moe",
    "maureen mo maura",
    "robert rob robbie bob bobby bert",
    "richard rich richie ricky rick dick dickie",
    "james jim jimmy jamie jas",
    "thomas tom tommy thom tomos",
    "edward ed eddie eddy ted teddy ned",
    "edmund ed eddie ned",
    "edwin ed eddie",
    "anthony antony tony ant",
    "christopher chris kit topher",
    "christian chris",
    "christine christina chris chrissie tina kirsty kirsten kristina",
    "michael mike mikey mick micky mickey",
    "daniel dan danny",
    "danielle dani",
    "david dave davey davy dai dafydd",
    "samuel sam sammy",
    "samantha sam sammie sammy",
    "alexander aleksander alex alec sandy xander",
    "alexandra alex alexa lexi sandra sandy",
    "andrew andy drew",
    "nicholas nick nicky",
    "nicola nicole nicky nikki",
    "benjamin ben benny benji",
    "benedict ben",
    "joseph joe joey",
    "josephine jo josie",
    "joanne joanna joan jo",
    "johanna jo",
    "patrick pat paddy padraig",
    "patricia pat patty trish tricia patsy",
    "susan sue susie suzanne suzy susannah",
    "deborah debra debbie deb",
    "rebecca becky becca bex",
    "victoria vicky vicki tori",
    "jennifer jenny jen jenni",
    "jessica jess jessie",
    "charlotte charlie lottie",
    "charles charlie chas chaz",
    "oliver ollie olly",
    "olivia oliwia liv livvy ollie",
    "matthew mathew matt matty",
    "timothy tim timmy",
    "stephen steven steve stevie stephan",
    "stephanie steph",
    "peter pete",
    "philip phillip phil pip",
    "gregory greg",
    "kenneth ken kenny",
    "leonard len lenny",
    "raymond ray",
    "ronald ron ronnie",
    "donald don donnie",
    "douglas doug dougie",
    "gerald gerry jerry",
    "gerard gerry",
    "geraldine gerry",
    "terence terrence terry",
    "lawrence laurence larry laurie",
    "frances fran frankie",
    "francis frank frankie",
    "eleanor elinor ellie nell nellie nora",
    "helen ellen nell nellie",
    "isabel isabella isabelle izzy issy bella",
    "abigail abbie abby gail",
    "amelia millie milly",
    "emily em emmie",
    "emma em emmie",
    "sophia sophie sofia zofia soph",
    "georgia georgie",
    "george georgie geordie",
    "georgina georgie gina",
    "jacqueline jackie jacqui jacky",
    "barbara barb babs",
    "dorothy dot dotty dolly",
    "mary molly polly",
    "sarah sara sally sadie",
    "ann anne anna annie nan nancy",
    "hannah hanna",
    "louise louisa lou",
    "louis lewis lou",
    "lucas luke luka",
    "nathan nate nat",
    "nathaniel nathanael nat nate",
    "natalie natalia natasha nat tasha tash",
    "jeremy jez",
    "zachary zach zak zack",
    "jacob jake jakub kuba",
    "joshua josh",
    "dominic dom",
    "sebastian seb",
    "theodore theo ted teddy",
    "matilda tilly tilda",
    "harriet hattie hatty",
    "florence flo florrie",
    "penelope penny",
    "gillian jillian gill jill",
    "kimberley kimberly kim",
    "melissa mel",
    "melanie mel",
    "pamela pam",
    "valerie val",
    "gwendolyn gwendoline gwen wendy",
    "winifred winnie",
    "agnes aggie",
    "albert bert bertie",
    "herbert herb bert bertie",
    "arthur art artie",
    "archibald archie",
    "bernard bernie barney",
    "clifford cliff",
    "isaac isaak ike",
    "jeffrey geoffrey jeff geoff",
    "leslie lesley les",
    "maximilian max",
    "maxwell max",
    "reginald reg reggie",
    "rodney rod",
    "roderick rod roddy",
    "sidney sydney sid",
    "stanley stan",
    "wilfred wilf",
    "walter walt wally",
    "vincent vince vinny",
    "trevor trev",
    "tobias toby",
    "teresa theresa tessa tess",
    "rosemary rose rosie",
    "rachel rachael rach",
    "jane janie janey",
    "janet jan",
    "ahmed ahmad ahmet",
    "yusuf yousuf yousef youssef",
    "ibrahim ebrahim",
    "hussain hussein husain hossain",
    "hassan hasan",
    "fatima fatimah fatma",
    "aisha ayesha aysha",
    "mariam maryam",
    "omar umar",
    "usman osman uthman",
    "sean shaun shawn",
    "niamh neve neave",
    "ciaran kieran kieron",
    "rhys reece rees reese",
    "euan ewan",
    "ian iain",
    "callum calum",
    "mackenzie mckenzie kenzie",
    "aiden aidan ayden",
    "jayden jaden jaiden",
    "kayden kaden caiden cayden",
    "lily lilly lillie",
    "connor conor",
    "finlay finley finn",
    "reuben ruben",
    "gabriel gabe",
    "elliot elliott eliot",
    "alan allan allen al",
    "alison allison ali ally",
});

struct NicknameTable {
  std::unordered_map<std::string, std::vector<std::uint16_t>> groups_of;
  NicknameTable() {
    for (std::size_t g = 0; g < kNicknameGroups.size(); ++g) {
      for (const auto& name : split_spaces(kNicknameGroups[g])) {
        auto& ids = groups_of[name];
        if (std::find(ids.begin(), ids.end(), g) == ids.end()) {
          ids.push_back(static_cast<std::uint16_t>(g));
        }
      }
    }
  }
};

const NicknameTable& nickname_table() {
  static const NicknameTable table;
  return table;
}

const std::vector<std::uint16_t>* nickname_groups_of(const std::string& folded) {
  const auto& t = nickname_table().groups_of;
  const auto it = t.find(folded);
  return it == t.end() ? nullptr : &it->second;
}

}  // namespace

bool are_nicknames(std::string_view a, std::string_view b) {
  const auto fa = fold(a);
  const auto fb = fold(b);
  const auto* ga = nickname_groups_of(fa);
  const auto* gb = nickname_groups_of(fb);
  if (ga == nullptr || gb == nullptr) return false;
  for (const auto g : *ga) {
    if (std::find(gb->begin(), gb->end(), g) != gb->end()) return true;
  }
  return false;
}

std::size_t nickname_group_count() {
  return kNicknameGroups.size();
}

std::string normalise_postcode(std::string_view postcode) {
  std::string out;
  for (const char c : postcode) {
    if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    }
  }
  return out;
}

namespace {
// A full UK postcode ends in an inward code: digit, letter, letter.
bool has_inward_code(std::string_view p) {
  if (p.size() < 5) return false;
  const auto in = p.substr(p.size() - 3);
  auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  return in[0] >= '0' && in[0] <= '9' && letter(in[1]) && letter(in[2]);
}
}  // namespace

std::string postcode_outward(std::string_view normalised) {
  if (has_inward_code(normalised)) return std::string(normalised.substr(0, normalised.size() - 3));
  return std::string(normalised);
}

std::string postcode_sector(std::string_view normalised) {
  if (has_inward_code(normalised)) return std::string(normalised.substr(0, normalised.size() - 2));
  return {};
}

std::string normalise_identifier(std::string_view identifier) {
  return normalise_postcode(identifier);
}

std::vector<std::string> address_words(std::string_view line) {
  static const std::unordered_map<std::string_view, std::string_view> kAbbreviations = {
      {"st", "street"},     {"rd", "road"},      {"ave", "avenue"}, {"av", "avenue"},
      {"ln", "lane"},       {"cl", "close"},     {"dr", "drive"},   {"ct", "court"},
      {"cres", "crescent"}, {"gdns", "gardens"}, {"pl", "place"},   {"sq", "square"},
      {"terr", "terrace"},  {"ter", "terrace"},  {"gr", "grove"},   {"pk", "park"},
      {"hse", "house"},     {"flt", "flat"}};
  std::vector<std::string> words = split_spaces(fold(line, /*keep_digits=*/true));
  for (auto& w : words) {
    if (const auto it = kAbbreviations.find(w); it != kAbbreviations.end()) w = it->second;
  }
  return words;
}

}  // namespace name_matching

// ---------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------
namespace {

namespace nm = name_matching;

constexpr std::size_t kMaxGroups = 4;
constexpr std::size_t kMaxQueryTokens = 8;

enum TokenFlags : std::uint8_t {
  kPrevious = 1,  // from a previous or alternative name
  kPart = 2,      // one word of a name of several words (Smith of Smith-Jones)
  kMiddle = 4,    // a given name that is not the first word of the current given name
  kJoined = 8,    // the words of a several-word name run together (smithjones)
};

struct NameToken {
  std::string text;  // folded
  std::string code;  // metaphone
  std::array<std::uint16_t, kMaxGroups> groups{};
  std::uint8_t group_count = 0;
  std::uint8_t flags = 0;
};

NameToken make_token(std::string text, std::uint8_t flags) {
  NameToken t;
  t.code = nm::metaphone(text);
  if (const auto* g = nm::nickname_groups_of(text); g != nullptr) {
    for (const auto id : *g) {
      if (t.group_count == kMaxGroups) break;
      t.groups[t.group_count++] = id;
    }
  }
  t.text = std::move(text);
  t.flags = flags;
  return t;
}

void add_token(std::vector<NameToken>& tokens, std::string text, std::uint8_t flags) {
  if (text.empty()) return;
  for (const auto& t : tokens) {
    if (t.text == text) return;  // an earlier (better) occurrence wins
  }
  tokens.push_back(make_token(std::move(text), flags));
}

// The words of one name as tokens: each word (particles only within the
// joined form, for family names) plus the joined form.
void add_name(std::vector<NameToken>& tokens, std::string_view name, bool family,
              std::uint8_t base_flags, bool first_is_primary) {
  const auto words = nm::name_words(name);
  std::vector<std::string> standalone;
  for (const auto& w : words) {
    if (!(family && words.size() > 1 && nm::is_particle(w))) standalone.push_back(w);
  }
  for (std::size_t i = 0; i < standalone.size(); ++i) {
    std::uint8_t flags = base_flags;
    if (family && words.size() > 1) flags |= kPart;
    if (!family && (i > 0 || !first_is_primary)) flags |= kMiddle;
    add_token(tokens, standalone[i], flags);
  }
  if (words.size() > 1) {
    std::string joined;
    for (const auto& w : words) joined += w;
    std::uint8_t flags = base_flags | kJoined;
    if (!family && !first_is_primary) flags |= kMiddle;
    add_token(tokens, std::move(joined), flags);
  }
}

struct Postcode {
  std::string full;     // normalised
  std::string outward;  // SW1A
  std::string sector;   // SW1A1 (empty for a partial postcode)
};

Postcode make_postcode(std::string_view raw) {
  Postcode p;
  p.full = nm::normalise_postcode(raw);
  p.outward = nm::postcode_outward(p.full);
  p.sector = nm::postcode_sector(p.full);
  return p;
}

struct Entry {
  std::int64_t person_id = 0;
  bool live = false;
  std::vector<NameToken> given;
  std::vector<NameToken> family;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::vector<Postcode> postcodes;  // current first
  std::vector<std::vector<std::string>> addresses;
  std::vector<std::string> identifiers;
};

Entry make_entry(const PersonSearchRecord& r) {
  Entry e;
  e.person_id = r.person_id;
  e.live = true;
  for (std::size_t k = 0; k < r.given_names.size(); ++k) {
    add_name(e.given, r.given_names[k], false, k == 0 ? 0 : kPrevious, k == 0);
  }
  for (std::size_t k = 0; k < r.family_names.size(); ++k) {
    add_name(e.family, r.family_names[k], true, k == 0 ? 0 : kPrevious, true);
  }
  e.date_of_birth = r.date_of_birth;
  for (const auto& p : r.postcodes) {
    auto pc = make_postcode(p);
    if (!pc.full.empty()) e.postcodes.push_back(std::move(pc));
  }
  for (const auto& line : r.address_lines) {
    auto words = nm::address_words(line);
    if (!words.empty()) e.addresses.push_back(std::move(words));
  }
  for (const auto& id : r.identifiers) {
    auto n = nm::normalise_identifier(id);
    if (!n.empty() &&
        std::find(e.identifiers.begin(), e.identifiers.end(), n) == e.identifiers.end()) {
      e.identifiers.push_back(std::move(n));
    }
  }
  return e;
}

// Blocking keys: a 64-bit FNV-1a hash of a kind letter and a text. A
// collision only adds a candidate, it never loses one.
enum class KeyKind : char {
  kPhonetic = 'P',
  kNickname = 'N',
  kDeletion = 'D',
  kDob = 'B',
  kPostcode = 'C',
  kSector = 'S',
  kOutward = 'O',
  kAddress = 'A',
  kIdentifier = 'I',
};

std::uint64_t key_of(KeyKind kind, std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  auto mix = [&h](unsigned char b) {
    h ^= b;
    h *= 1099511628211ULL;
  };
  mix(static_cast<unsigned char>(kind));
  mix(0x1F);
  for (const char c : text) mix(static_cast<unsigned char>(c));
  return h;
}

std::uint64_t key_of(KeyKind kind, std::uint16_t number) {
  const std::array<char, 2> b = {static_cast<char>(number & 0xFF), static_cast<char>(number >> 8)};
  return key_of(kind, std::string_view(b.data(), b.size()));
}

std::string day_key(std::chrono::sys_days d) {
  return std::to_string(d.time_since_epoch().count());
}

// Deletion neighbourhood: the text and each text with one letter deleted.
// Two names within one edit (insert, delete, substitute, swap of neighbours)
// share at least one of these keys.
template <typename F>
void for_each_deletion_key(const std::string& text, F&& f) {
  if (text.size() < 3) return;
  f(key_of(KeyKind::kDeletion, text));
  if (text.size() < 4) return;
  std::string d;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && text[i] == text[i - 1]) continue;  // same result as deleting the previous letter
    d.assign(text, 0, i);
    d.append(text, i + 1, std::string::npos);
    f(key_of(KeyKind::kDeletion, d));
  }
}

// "12 high street" -> "12 high": a house number and the word after it.
template <typename F>
void for_each_address_key(const std::vector<std::string>& words, F&& f) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const auto& w = words[i];
    if (!w.empty() && w[0] >= '0' && w[0] <= '9' &&
        !(words[i + 1][0] >= '0' && words[i + 1][0] <= '9')) {
      f(key_of(KeyKind::kAddress, w + " " + words[i + 1]));
    }
  }
}

// Keys that lead from a query word to the distinct name words of the
// index (the vocabulary): its sound, its nickname groups and its deletion
// neighbourhood. The word itself is found directly.
std::vector<std::uint64_t> word_keys_of(const NameToken& t) {
  std::vector<std::uint64_t> keys;
  auto push = [&keys](std::uint64_t k) { keys.push_back(k); };
  if (!t.code.empty()) push(key_of(KeyKind::kPhonetic, t.code));
  for (std::size_t g = 0; g < t.group_count; ++g) push(key_of(KeyKind::kNickname, t.groups[g]));
  for_each_deletion_key(t.text, push);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// The distinct name words of a person, given and family together (so that
// names said the wrong way round are still found).
std::vector<const NameToken*> distinct_words(const Entry& e) {
  std::vector<const NameToken*> words;
  for (const auto* tokens : {&e.given, &e.family}) {
    for (const auto& t : *tokens) {
      const bool seen = std::any_of(words.begin(), words.end(),
                                    [&t](const NameToken* w) { return w->text == t.text; });
      if (!seen) words.push_back(&t);
    }
  }
  return words;
}

// Keys that lead straight to people: date of birth, postcodes, address,
// identifiers.
std::vector<std::uint64_t> person_keys_of(const Entry& e) {
  std::vector<std::uint64_t> keys;
  auto push = [&keys](std::uint64_t k) { keys.push_back(k); };
  if (e.date_of_birth) push(key_of(KeyKind::kDob, day_key(*e.date_of_birth)));
  for (const auto& p : e.postcodes) {
    if (!p.sector.empty()) {
      push(key_of(KeyKind::kPostcode, p.full));
      push(key_of(KeyKind::kSector, p.sector));
    }
    push(key_of(KeyKind::kOutward, p.outward));
  }
  for (const auto& a : e.addresses) for_each_address_key(a, push);
  for (const auto& id : e.identifiers) push(key_of(KeyKind::kIdentifier, id));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// Removes one occurrence of value from an unordered list.
void erase_one(std::vector<std::uint32_t>& list, std::uint32_t value) {
  const auto pos = std::find(list.begin(), list.end(), value);
  if (pos != list.end()) {
    *pos = list.back();
    list.pop_back();
  }
}

// --- the query -------------------------------------------------------------

struct PreparedQuery {
  bool either_name = false;  // one free-text word: a given or a family name
  std::vector<NameToken> given;
  std::vector<NameToken> family;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::optional<Postcode> postcode;
  std::vector<std::string> address;
  std::string identifier;
};

PreparedQuery prepare(const PersonQuery& q) {
  PreparedQuery p;
  std::string given_text;
  std::string family_text;
  if (!q.name.empty()) {
    if (const auto comma = q.name.find(','); comma != std::string::npos) {
      family_text = q.name.substr(0, comma);
      given_text = q.name.substr(comma + 1);
    } else {
      const auto words = nm::name_words(q.name);
      if (words.size() == 1) {
        // One word: it could be either name; scoring tries both ways round.
        (q.family_name.empty() ? family_text : given_text) = words[0];
        p.either_name = q.given_name.empty() && q.family_name.empty();
      } else {
        for (std::size_t i = 0; i + 1 < words.size(); ++i) given_text += words[i] + " ";
        if (!words.empty()) family_text = words.back();
      }
    }
  }
  if (!q.given_name.empty()) given_text = q.given_name;
  if (!q.family_name.empty()) family_text = q.family_name;
  add_name(p.given, given_text, false, 0, true);
  add_name(p.family, family_text, true, 0, true);
  // Keep the query small: at most kMaxQueryTokens name tokens in all.
  if (p.given.size() + p.family.size() > kMaxQueryTokens) {
    const std::size_t keep_family = std::min(p.family.size(), kMaxQueryTokens / 2);
    p.family.resize(keep_family);
    p.given.resize(std::min(p.given.size(), kMaxQueryTokens - keep_family));
  }
  p.date_of_birth = q.date_of_birth;
  if (auto pc = make_postcode(q.postcode); !pc.full.empty()) p.postcode = std::move(pc);
  p.address = nm::address_words(q.address);
  p.identifier = nm::normalise_identifier(q.identifier);
  return p;
}

std::optional<std::chrono::sys_days> day_month_swapped(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  const unsigned day = static_cast<unsigned>(ymd.day());
  const unsigned month = static_cast<unsigned>(ymd.month());
  if (day == month || day > 12) return std::nullopt;
  const std::chrono::year_month_day swapped{ymd.year(), std::chrono::month{day},
                                            std::chrono::day{month}};
  if (!swapped.ok()) return std::nullopt;
  return std::chrono::sys_days{swapped};
}

// How many of the eight digits of YYYYMMDD differ between two dates.
int differing_digits(std::chrono::sys_days a, std::chrono::sys_days b) {
  auto number = [](std::chrono::sys_days d) {
    const std::chrono::year_month_day ymd{d};
    return static_cast<int>(ymd.year()) * 10000 +
           static_cast<int>(static_cast<unsigned>(ymd.month())) * 100 +
           static_cast<int>(static_cast<unsigned>(ymd.day()));
  };
  int x = number(a);
  int y = number(b);
  int differing = 0;
  for (int i = 0; i < 8; ++i) {
    differing += x % 10 != y % 10;
    x /= 10;
    y /= 10;
  }
  return differing;
}

// --- scoring ----------------------------------------------------------------

enum class Level : std::uint8_t { kNone, kInitial, kSimilar, kPhonetic, kTypo, kNickname, kExact };

struct TokenMatch {
  double value = 0;
  Level level = Level::kNone;
};

bool share_group(const NameToken& a, const NameToken& b) {
  for (std::size_t i = 0; i < a.group_count; ++i) {
    for (std::size_t j = 0; j < b.group_count; ++j) {
      if (a.groups[i] == b.groups[j]) return true;
    }
  }
  return false;
}

TokenMatch compare_tokens(const NameToken& q, const NameToken& r) {
  if (q.text == r.text) return {1.0, Level::kExact};
  if (q.text.size() == 1 || r.text.size() == 1) {
    if (q.text[0] == r.text[0]) return {0.6, Level::kInitial};
    return {};
  }
  if (share_group(q, r)) return {0.9, Level::kNickname};
  const std::size_t shorter = std::min(q.text.size(), r.text.size());
  const std::size_t longer = std::max(q.text.size(), r.text.size());
  if (shorter >= 4 && longer - shorter <= 1 && nm::edit_distance(q.text, r.text) == 1) {
    return {0.88, Level::kTypo};
  }
  const double jw = nm::jaro_winkler(q.text, r.text);
  if (!q.code.empty() && q.code == r.code) return {0.55 + 0.3 * jw, Level::kPhonetic};
  if (jw >= 0.88) return {0.85 * jw, Level::kSimilar};
  return {};
}

struct NameAgreement {
  double value = 0;
  Level level = Level::kNone;
  const NameToken* q = nullptr;
  const NameToken* r = nullptr;
};

// The best agreement of any query token with any record token, discounted
// for middle names, previous names and parts of double-barrelled names.
NameAgreement best_agreement(const std::vector<NameToken>& query,
                             const std::vector<NameToken>& record) {
  NameAgreement best;
  for (std::size_t i = 0; i < query.size(); ++i) {
    const auto& q = query[i];
    for (const auto& r : record) {
      TokenMatch m = compare_tokens(q, r);
      if (m.level == Level::kNone) continue;
      double v = m.value;
      if (((q.flags | r.flags) & kMiddle) != 0) v *= 0.9;
      if ((r.flags & kPrevious) != 0) v *= 0.95;
      if ((r.flags & kPart) != 0 || (q.flags & kPart) != 0) v *= 0.95;
      if (v > best.value) best = {v, m.level, &q, &r};
    }
  }
  return best;
}

std::string capitalised(const std::string& s) {
  std::string out = s;
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string describe(std::string_view field, const NameAgreement& a) {
  std::string s(field);
  const std::string pair = "(" + capitalised(a.q->text) + "/" + capitalised(a.r->text) + ")";
  switch (a.level) {
    case Level::kExact:
      s += " matches exactly";
      break;
    case Level::kNickname:
      s += " is a known nickname " + pair;
      break;
    case Level::kTypo:
      s += " is a close spelling " + pair;
      break;
    case Level::kPhonetic:
      s += " sounds the same " + pair;
      break;
    case Level::kSimilar:
      s += " is similar " + pair;
      break;
    case Level::kInitial:
      s += " initial matches " + pair;
      break;
    case Level::kNone:
      break;
  }
  const auto flags = a.r->flags;
  if ((flags & kPrevious) != 0) {
    s += field == "family name" ? " (a previous family name)" : " (a previous or alternative name)";
  } else if ((flags & kMiddle) != 0) {
    s += " (a middle name)";
  } else if ((flags & kPart) != 0) {
    s += " (one part of a hyphenated or double-barrelled name)";
  }
  return s;
}

constexpr double kWeightGiven = 0.25;
constexpr double kWeightFamily = 0.30;
constexpr double kWeightDob = 0.25;
constexpr double kWeightPostcode = 0.12;
constexpr double kWeightAddress = 0.08;
constexpr double kSwapFactor = 0.9;

double score_entry(const PreparedQuery& q, const Entry& e, std::vector<std::string>* reasons) {
  double total = 0;
  double weights = 0;
  auto note = [reasons](std::string text) {
    if (reasons != nullptr) reasons->push_back(std::move(text));
  };

  // Identifier: near-decisive.
  bool identifier_matches = false;
  if (!q.identifier.empty()) {
    identifier_matches =
        std::find(e.identifiers.begin(), e.identifiers.end(), q.identifier) != e.identifiers.end();
    if (identifier_matches) note("identifier matches exactly");
  }

  // Names, straight and swapped round.
  const bool has_given = !q.given.empty();
  const bool has_family = !q.family.empty();
  if (has_given || has_family) {
    NameAgreement fam_a;
    NameAgreement giv_a;
    NameAgreement fam_b;
    NameAgreement giv_b;
    if (has_family) {
      fam_a = best_agreement(q.family, e.family);
      fam_b = best_agreement(q.family, e.given);
    }
    if (has_given) {
      giv_a = best_agreement(q.given, e.given);
      giv_b = best_agreement(q.given, e.family);
    }
    const double straight = kWeightFamily * fam_a.value + kWeightGiven * giv_a.value;
    // A single free-text word could be either name: no penalty for trying it
    // as a given name.
    const bool single = q.either_name;
    const double factor = single ? 1.0 : kSwapFactor;
    const double swapped = factor * (kWeightFamily * fam_b.value + kWeightGiven * giv_b.value);
    const bool use_swapped = swapped > straight;
    if (has_family) weights += kWeightFamily;
    if (has_given) weights += kWeightGiven;
    total += use_swapped ? swapped : straight;
    if (reasons != nullptr) {
      // Describe by the record's side: what the query word matched.
      const NameAgreement& fam = use_swapped ? fam_b : fam_a;  // query family word
      const NameAgreement& giv = use_swapped ? giv_b : giv_a;  // query given word
      const char* fam_field = use_swapped ? "given name" : "family name";
      const char* giv_field = use_swapped ? "family name" : "given name";
      if (use_swapped && !single) note("given and family names appear swapped");
      if (fam.level != Level::kNone) note(describe(fam_field, fam));
      if (giv.level != Level::kNone) note(describe(giv_field, giv));
      if (has_family && fam.level == Level::kNone) note(std::string(fam_field) + " does not match");
      if (has_given && giv.level == Level::kNone) note(std::string(giv_field) + " does not match");
    }
  }

  // Date of birth.
  if (q.date_of_birth) {
    weights += kWeightDob;
    double a = 0;
    if (e.date_of_birth) {
      const auto qd = *q.date_of_birth;
      const auto rd = *e.date_of_birth;
      if (qd == rd) {
        a = 1.0;
        note("date of birth matches exactly");
      } else if (day_month_swapped(qd) == rd) {
        a = 0.8;
        note("date of birth has day and month swapped");
      } else {
        if (differing_digits(qd, rd) == 1) {
          a = 0.7;
          note("date of birth differs by one digit");
        } else if (std::chrono::year_month_day{qd}.year() ==
                   std::chrono::year_month_day{rd}.year()) {
          a = 0.3;
          note("same year of birth");
        } else {
          note("date of birth does not match");
        }
      }
    } else {
      note("no date of birth recorded");
    }
    total += kWeightDob * a;
  }

  // Postcode: current address first, then previous ones.
  if (q.postcode) {
    weights += kWeightPostcode;
    const auto& qp = *q.postcode;
    double best = 0;
    std::string why;
    for (std::size_t k = 0; k < e.postcodes.size(); ++k) {
      const auto& rp = e.postcodes[k];
      const bool previous = k > 0;
      double a = 0;
      std::string w;
      if (!qp.sector.empty()) {
        if (qp.full == rp.full) {
          a = 1.0;
          w = "postcode matches";
        } else if (!rp.sector.empty() && qp.sector == rp.sector) {
          a = 0.5;
          w = "postcode is in the same sector";
        } else if (qp.outward == rp.outward) {
          a = 0.3;
          w = "postcode is in the same district (" + qp.outward + ")";
        }
      } else if (qp.outward == rp.outward) {
        a = 0.7;
        w = "postcode district matches (" + qp.outward + ")";
      }
      if (previous && a > 0) {
        w += a == 1.0 ? " a previous address" : " (a previous address)";
        a *= 0.85;
      }
      if (a > best) {
        best = a;
        why = std::move(w);
      }
    }
    if (best > 0) note(std::move(why));
    total += kWeightPostcode * best;
  }

  // Address: shared words.
  if (!q.address.empty()) {
    weights += kWeightAddress;
    double best = 0;
    for (const auto& line : e.addresses) {
      std::size_t shared = 0;
      for (const auto& w : q.address) {
        if (std::find(line.begin(), line.end(), w) != line.end()) ++shared;
      }
      const double a = static_cast<double>(shared) /
                       static_cast<double>(std::max(line.size(), q.address.size()));
      best = std::max(best, a);
    }
    if (best >= 0.999) {
      note("address matches");
    } else if (best > 0) {
      note("address partly matches");
    }
    total += kWeightAddress * best;
  }

  double fields = weights > 0 ? total / weights : 0.0;
  if (!q.identifier.empty()) {
    if (identifier_matches) return 0.85 + 0.15 * (weights > 0 ? fields : 1.0);
    return 0.8 * fields;
  }
  return std::clamp(fields, 0.0, 1.0);
}

// Candidate evidence bits gathered from the posting lists.
enum Evidence : std::uint32_t {
  kEvIdentifier = 1U << 0,
  kEvDob = 1U << 1,
  kEvDobSwapped = 1U << 2,
  kEvPostcode = 1U << 3,
  kEvSector = 1U << 4,
  kEvAddress = 1U << 5,
  kEvNameAnyShift = 6,     // bits 6..13: query name token i agrees somehow
  kEvNameExactShift = 14,  // bits 14..21: query name token i is found exactly
};

int coarse_score(std::uint32_t mask) {
  int s = 0;
  if ((mask & kEvIdentifier) != 0) s += 1000;
  if ((mask & kEvDob) != 0) s += 40;
  if ((mask & kEvDobSwapped) != 0) s += 25;
  if ((mask & kEvPostcode) != 0) s += 30;
  if ((mask & kEvSector) != 0) s += 10;
  if ((mask & kEvAddress) != 0) s += 15;
  s += 20 * std::popcount((mask >> kEvNameAnyShift) & 0xFFU);
  s += 10 * std::popcount((mask >> kEvNameExactShift) & 0xFFU);
  return s;
}

struct Scratch {
  std::vector<std::uint32_t> mask;
  std::vector<std::uint32_t> touched;
  std::vector<std::pair<int, std::uint32_t>> ranked;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

std::size_t string_bytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;  // beyond the small-string buffer
}

}  // namespace

struct InMemoryPersonSearch::Index {
  // People.
  std::vector<Entry> entries;
  std::vector<std::uint32_t> free_slots;
  std::unordered_map<std::int64_t, std::uint32_t> slot_of;
  // Name words: each distinct word once, with the people who have it.
  struct Word {
    std::string text;
    std::vector<std::uint32_t> slots;
  };
  std::vector<Word> words;
  std::vector<std::uint32_t> free_words;
  std::unordered_map<std::string, std::uint32_t> word_id;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> word_keys;  // key -> word ids
  // Other keys -> people.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> postings;

  void unindex(std::uint32_t slot) {
    const Entry& e = entries[slot];
    for (const NameToken* t : distinct_words(e)) {
      const auto it = word_id.find(t->text);
      if (it == word_id.end()) continue;
      const std::uint32_t id = it->second;
      erase_one(words[id].slots, slot);
      if (!words[id].slots.empty()) continue;
      for (const auto key : word_keys_of(*t)) {
        const auto k = word_keys.find(key);
        if (k == word_keys.end()) continue;
        erase_one(k->second, id);
        if (k->second.empty()) word_keys.erase(k);
      }
      words[id] = Word{};
      free_words.push_back(id);
      word_id.erase(it);
    }
    for (const auto key : person_keys_of(e)) {
      const auto it = postings.find(key);
      if (it == postings.end()) continue;
      erase_one(it->second, slot);
      if (it->second.empty()) postings.erase(it);
    }
  }

  void index(std::uint32_t slot) {
    const Entry& e = entries[slot];
    for (const NameToken* t : distinct_words(e)) {
      std::uint32_t id = 0;
      if (const auto it = word_id.find(t->text); it != word_id.end()) {
        id = it->second;
      } else {
        if (!free_words.empty()) {
          id = free_words.back();
          free_words.pop_back();
        } else {
          id = static_cast<std::uint32_t>(words.size());
          words.emplace_back();
        }
        words[id].text = t->text;
        word_id.emplace(t->text, id);
        for (const auto key : word_keys_of(*t)) word_keys[key].push_back(id);
      }
      words[id].slots.push_back(slot);
    }
    for (const auto key : person_keys_of(e)) postings[key].push_back(slot);
  }
};

InMemoryPersonSearch::InMemoryPersonSearch() : index_(std::make_unique<Index>()) {}
InMemoryPersonSearch::~InMemoryPersonSearch() = default;

void InMemoryPersonSearch::upsert(const PersonSearchRecord& record) {
  Entry entry = make_entry(record);  // the work outside the lock
  std::lock_guard turn(turnstile_);
  std::unique_lock lock(mutex_);
  auto& ix = *index_;
  std::uint32_t slot = 0;
  if (const auto it = ix.slot_of.find(record.person_id); it != ix.slot_of.end()) {
    slot = it->second;
    ix.unindex(slot);
  } else if (!ix.free_slots.empty()) {
    slot = ix.free_slots.back();
    ix.free_slots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(ix.entries.size());
    ix.entries.emplace_back();
  }
  ix.entries[slot] = std::move(entry);
  ix.slot_of[record.person_id] = slot;
  ix.index(slot);
}

void InMemoryPersonSearch::remove(std::int64_t person_id) {
  std::lock_guard turn(turnstile_);
  std::unique_lock lock(mutex_);
  auto& ix = *index_;
  const auto it = ix.slot_of.find(person_id);
  if (it == ix.slot_of.end()) return;
  const auto slot = it->second;
  ix.unindex(slot);
  ix.entries[slot] = Entry{};
  ix.free_slots.push_back(slot);
  ix.slot_of.erase(it);
}

std::size_t InMemoryPersonSearch::size() const {
  std::shared_lock lock(mutex_);
  return index_->slot_of.size();
}

std::vector<SearchHit> InMemoryPersonSearch::search(const PersonQuery& query) const {
  std::vector<SearchHit> hits;
  if (query.limit == 0) return hits;
  const PreparedQuery q = prepare(query);

  // Keys to look up, each with the evidence bit it gives.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> lookups;
  if (q.date_of_birth) {
    lookups.emplace_back(key_of(KeyKind::kDob, day_key(*q.date_of_birth)), kEvDob);
    if (const auto sw = day_month_swapped(*q.date_of_birth)) {
      lookups.emplace_back(key_of(KeyKind::kDob, day_key(*sw)), kEvDobSwapped);
    }
  }
  if (q.postcode) {
    if (!q.postcode->sector.empty()) {
      lookups.emplace_back(key_of(KeyKind::kPostcode, q.postcode->full), kEvPostcode);
      lookups.emplace_back(key_of(KeyKind::kSector, q.postcode->sector), kEvSector);
    } else {
      lookups.emplace_back(key_of(KeyKind::kOutward, q.postcode->outward), kEvSector);
    }
  }
  for_each_address_key(q.address, [&](std::uint64_t k) { lookups.emplace_back(k, kEvAddress); });
  if (!q.identifier.empty()) {
    lookups.emplace_back(key_of(KeyKind::kIdentifier, q.identifier), kEvIdentifier);
  }

  Scratch& s = scratch();
  s.ranked.clear();
  s.touched.clear();
  // Whatever happens, leave the thread's evidence marks clear for the next search.
  struct ClearMarks {
    Scratch& s;
    ~ClearMarks() {
      for (const auto slot : s.touched) s.mask[slot] = 0;
    }
  } clear_marks{s};
  { std::lock_guard turn(turnstile_); }  // wait behind a writer that is waiting
  std::shared_lock lock(mutex_);
  const auto& ix = *index_;
  if (s.mask.size() < ix.entries.size()) s.mask.resize(ix.entries.size(), 0);
  s.touched.clear();
  auto mark = [&s](std::uint32_t slot, std::uint32_t bits) {
    auto& m = s.mask[slot];
    if (m == 0) s.touched.push_back(slot);
    m |= bits;
  };
  // Name words: find the distinct words of the index that agree with each
  // query word (exactly, by sound, as a nickname, or within one edit), then
  // visit each such word's people once.
  {
    std::size_t i = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> agreeing;  // word id, bits
    for (const auto* tokens : {&q.given, &q.family}) {
      for (const auto& t : *tokens) {
        const std::uint32_t any = 1U << (kEvNameAnyShift + i);
        const std::uint32_t exact = 1U << (kEvNameExactShift + i);
        agreeing.clear();
        if (const auto it = ix.word_id.find(t.text); it != ix.word_id.end()) {
          agreeing.emplace_back(it->second, any | exact);
        }
        for (const auto key : word_keys_of(t)) {
          const auto it = ix.word_keys.find(key);
          if (it == ix.word_keys.end()) continue;
          for (const auto id : it->second) agreeing.emplace_back(id, any);
        }
        std::sort(agreeing.begin(), agreeing.end());
        for (std::size_t k = 0; k < agreeing.size(); ++k) {
          if (k > 0 && agreeing[k].first == agreeing[k - 1].first) continue;
          std::uint32_t bits = 0;
          for (std::size_t j = k; j < agreeing.size() && agreeing[j].first == agreeing[k].first;
               ++j) {
            bits |= agreeing[j].second;
          }
          for (const auto slot : ix.words[agreeing[k].first].slots) mark(slot, bits);
        }
        ++i;
      }
    }
  }
  for (const auto& [key, bits] : lookups) {
    const auto it = ix.postings.find(key);
    if (it == ix.postings.end()) continue;
    for (const auto slot : it->second) mark(slot, bits);
  }

  // Rank candidates cheaply by their evidence; score only the best few.
  s.ranked.reserve(s.touched.size());
  for (const auto slot : s.touched) s.ranked.emplace_back(coarse_score(s.mask[slot]), slot);
  const std::size_t shortlist = std::max<std::size_t>(query.limit * 10, 300);
  auto by_evidence = [&ix](const std::pair<int, std::uint32_t>& a,
                           const std::pair<int, std::uint32_t>& b) {
    if (a.first != b.first) return a.first > b.first;
    return ix.entries[a.second].person_id < ix.entries[b.second].person_id;
  };
  if (s.ranked.size() > shortlist) {
    std::nth_element(s.ranked.begin(), s.ranked.begin() + static_cast<std::ptrdiff_t>(shortlist),
                     s.ranked.end(), by_evidence);
    s.ranked.resize(shortlist);
  }

  struct Scored {
    double score;
    std::uint32_t slot;
  };
  std::vector<Scored> scored;
  scored.reserve(s.ranked.size());
  for (const auto& [coarse, slot] : s.ranked) {
    const double sc = score_entry(q, ix.entries[slot], nullptr);
    if (sc >= kMinimumScore) scored.push_back({sc, slot});
  }
  auto by_score = [&ix](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return ix.entries[a.slot].person_id < ix.entries[b.slot].person_id;
  };
  const std::size_t n = std::min(query.limit, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n), scored.end(),
                    by_score);
  hits.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& e = ix.entries[scored[i].slot];
    SearchHit h;
    h.person_id = e.person_id;
    h.score = score_entry(q, e, &h.reasons);
    hits.push_back(std::move(h));
  }
  return hits;
}

std::size_t InMemoryPersonSearch::approximate_bytes() const {
  std::shared_lock lock(mutex_);
  const auto& ix = *index_;
  std::size_t bytes = sizeof(Index);
  bytes += ix.entries.capacity() * sizeof(Entry);
  for (const auto& e : ix.entries) {
    for (const auto* tokens : {&e.given, &e.family}) {
      bytes += tokens->capacity() * sizeof(NameToken);
      for (const auto& t : *tokens) bytes += string_bytes(t.text) + string_bytes(t.code);
    }
    bytes += e.postcodes.capacity() * sizeof(Postcode);
    for (const auto& p : e.postcodes) {
      bytes += string_bytes(p.full) + string_bytes(p.outward) + string_bytes(p.sector);
    }
    bytes += e.addresses.capacity() * sizeof(std::vector<std::string>);
    for (const auto& a : e.addresses) {
      bytes += a.capacity() * sizeof(std::string);
      for (const auto& w : a) bytes += string_bytes(w);
    }
    bytes += e.identifiers.capacity() * sizeof(std::string);
    for (const auto& id : e.identifiers) bytes += string_bytes(id);
  }
  bytes += ix.free_slots.capacity() * sizeof(std::uint32_t);
  // Hash tables: one node per element (value, next pointer, cached hash) and
  // one pointer per bucket.
  constexpr std::size_t kNodeOverhead = 2 * sizeof(void*);
  bytes +=
      ix.slot_of.size() * (sizeof(std::pair<const std::int64_t, std::uint32_t>) + kNodeOverhead);
  bytes += ix.slot_of.bucket_count() * sizeof(void*);
  bytes += ix.postings.size() *
           (sizeof(std::pair<const std::uint64_t, std::vector<std::uint32_t>>) + kNodeOverhead);
  bytes += ix.postings.bucket_count() * sizeof(void*);
  for (const auto& [key, list] : ix.postings) bytes += list.capacity() * sizeof(std::uint32_t);
  bytes +=
      ix.words.capacity() * sizeof(Index::Word) + ix.free_words.capacity() * sizeof(std::uint32_t);
  for (const auto& w : ix.words)
    bytes += string_bytes(w.text) + w.slots.capacity() * sizeof(std::uint32_t);
  bytes +=
      ix.word_id.size() * (sizeof(std::pair<const std::string, std::uint32_t>) + kNodeOverhead);
  bytes += ix.word_id.bucket_count() * sizeof(void*);
  for (const auto& [text, id] : ix.word_id) bytes += string_bytes(text);
  bytes += ix.word_keys.size() *
           (sizeof(std::pair<const std::uint64_t, std::vector<std::uint32_t>>) + kNodeOverhead);
  bytes += ix.word_keys.bucket_count() * sizeof(void*);
  for (const auto& [key, list] : ix.word_keys) bytes += list.capacity() * sizeof(std::uint32_t);
  return bytes;
}

PersonSearchRecord to_search_record(const PersonState& person) {
  const auto& d = person.details;
  PersonSearchRecord r;
  r.person_id = person.id;
  r.given_names.push_back(d.given_name);
  r.family_names.push_back(d.family_name);
  for (const auto& n : d.other_names) {
    if (!n.given_name.empty()) r.given_names.push_back(n.given_name);
    if (!n.family_name.empty()) r.family_names.push_back(n.family_name);
  }
  r.date_of_birth = d.date_of_birth ? d.date_of_birth : d.expected_date_of_birth;
  if (d.address) {
    r.postcodes.push_back(d.address->postcode);
    r.address_lines.push_back(d.address->line);
  }
  for (const auto& a : person.previous_addresses) {
    r.postcodes.push_back(a.postcode);
    r.address_lines.push_back(a.line);
  }
  for (const auto* id : {&d.identifiers.nhs_number, &d.identifiers.upn, &d.identifiers.la_child_id,
                         &d.identifiers.police_reference}) {
    if (!id->empty()) r.identifiers.push_back(*id);
  }
  return r;
}

}  // namespace frontdoor::domain
