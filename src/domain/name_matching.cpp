#include "domain/name_matching.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <unordered_map>
#include <unordered_set>
#include <utility>

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

}  // namespace

bool is_particle(std::string_view w) {
  static const std::unordered_set<std::string_view> kParticles = {
      "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "al", "el"};
  return kParticles.contains(w);
}

namespace {

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
  // Bit-parallel: where each letter occurs in b, as a mask of positions;
  // each letter of a takes the first free position of its letter in b
  // within the window (what a scan from the left would find).
  std::array<std::uint64_t, 256> at;  // only the entries of a's and b's letters are written
  for (const char c : a) at[static_cast<unsigned char>(c)] = 0;
  for (const char c : b) at[static_cast<unsigned char>(c)] = 0;
  for (std::size_t j = 0; j < b.size(); ++j) at[static_cast<unsigned char>(b[j])] |= 1ULL << j;
  auto below = [](std::size_t n) { return n >= 64 ? ~0ULL : (1ULL << n) - 1; };
  std::uint64_t a_matched = 0;
  std::uint64_t b_matched = 0;
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(b.size(), i + window + 1);
    if (lo >= hi) continue;
    const std::uint64_t free =
        at[static_cast<unsigned char>(a[i])] & ~b_matched & below(hi) & ~below(lo);
    if (free == 0) continue;
    b_matched |= free & (~free + 1);  // the lowest
    a_matched |= 1ULL << i;
    ++matches;
  }
  if (matches == 0) return 0.0;
  std::size_t half_transpositions = 0;
  for (std::uint64_t x = a_matched, y = b_matched; x != 0; x &= x - 1, y &= y - 1) {
    const auto i = static_cast<std::size_t>(std::countr_zero(x));
    const auto j = static_cast<std::size_t>(std::countr_zero(y));
    if (a[i] != b[j]) ++half_transpositions;
  }
  const double m = static_cast<double>(matches);
  const double t = static_cast<double>(half_transpositions) / 2.0;
  const double jaro =
      (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + (m - t) / m) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

bool jaro_winkler_below(std::string_view a, std::string_view b, double threshold) {
  constexpr std::size_t kMax = 64;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  if (a.empty() || b.empty() || a == b) return false;  // 0 or 1: the caller's to work out
  // At most as many matches as letters of each that the other has (by a
  // 64-bit set of letters: a clash only loosens the bound).
  std::uint64_t in_a = 0;
  std::uint64_t in_b = 0;
  for (const char c : a) in_a |= 1ULL << (static_cast<unsigned char>(c) & 63U);
  for (const char c : b) in_b |= 1ULL << (static_cast<unsigned char>(c) & 63U);
  std::size_t from_a = 0;
  std::size_t from_b = 0;
  for (const char c : a) from_a += (in_b >> (static_cast<unsigned char>(c) & 63U)) & 1U;
  for (const char c : b) from_b += (in_a >> (static_cast<unsigned char>(c) & 63U)) & 1U;
  const std::size_t most = std::min(from_a, from_b);
  if (most == 0) return threshold > 0;
  // The best Jaro for that many matches and no transpositions, then
  // Winkler's prefix bonus, as jaro_winkler() computes them (rounding is
  // monotonic, so this is never below the real value).
  const double m = static_cast<double>(most);
  const double jaro =
      (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + 1.0) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro) < threshold - 1e-12;
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

bool within_one_edit(std::string_view a, std::string_view b) {
  constexpr std::size_t kMax = 64;  // as edit_distance: only the first 64 letters count
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > 1) return false;
  std::size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  if (i == b.size()) return true;  // equal, or one letter added at the end
  if (a.size() != b.size()) return a.substr(i + 1) == b.substr(i);  // one letter added
  if (a.substr(i + 1) == b.substr(i + 1)) return true;              // one letter changed
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);  // neighbours swapped
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

}  // namespace

const std::vector<std::uint16_t>* nickname_groups_of(const std::string& folded) {
  const auto& t = nickname_table().groups_of;
  const auto it = t.find(folded);
  return it == t.end() ? nullptr : &it->second;
}

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

std::string_view postcode_outward_view(std::string_view normalised) {
  if (has_inward_code(normalised)) return normalised.substr(0, normalised.size() - 3);
  return normalised;
}

std::string_view postcode_sector_view(std::string_view normalised) {
  if (has_inward_code(normalised)) return normalised.substr(0, normalised.size() - 2);
  return {};
}

std::string postcode_outward(std::string_view normalised) {
  return std::string(postcode_outward_view(normalised));
}

std::string postcode_sector(std::string_view normalised) {
  return std::string(postcode_sector_view(normalised));
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
}  // namespace frontdoor::domain
