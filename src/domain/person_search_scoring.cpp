#include "domain/person_search_internal.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/name_matching.hpp"

namespace frontdoor::domain::person_search_detail {
namespace {

namespace nm = name_matching;

}  // namespace

// --- the query -------------------------------------------------------------

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
  PersonSearchRecord as_record;
  as_record.given_names = {given_text};
  as_record.family_names = {family_text};
  as_record.date_of_birth = q.date_of_birth;
  as_record.postcodes = {q.postcode};
  as_record.address_lines = {q.address};
  as_record.identifiers = {q.identifier};
  p.link = linkage::make_link_record(as_record);
  if (p.either_name) {
    as_record.given_names.swap(as_record.family_names);
    p.link_as_given = linkage::make_link_record(as_record);
  }
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

namespace {

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

bool share_group(const NameToken& a, const NameToken& b) {
  for (std::size_t i = 0; i < a.group_count; ++i) {
    for (std::size_t j = 0; j < b.group_count; ++j) {
      if (a.groups[i] == b.groups[j]) return true;
    }
  }
  return false;
}

}  // namespace

TokenMatch compare_tokens(const NameToken& q, const NameToken& r) {
  if (q.text == r.text) return {1.0, Level::kExact};
  if (q.text.size() == 1 || r.text.size() == 1) {
    if (q.text[0] == r.text[0]) return {0.6, Level::kInitial};
    return {};
  }
  if (share_group(q, r)) return {0.9, Level::kNickname};
  const std::size_t shorter = std::min(q.text.size(), r.text.size());
  const std::size_t longer = std::max(q.text.size(), r.text.size());
  // Different texts within one edit are one edit apart (edit_distance
  // reads only 64 letters: beyond, ask it).
  if (shorter >= 4 && longer - shorter <= 1 &&
      (longer <= 64 ? nm::within_one_edit(q.text, r.text)
                    : nm::edit_distance(q.text, r.text) == 1)) {
    return {0.88, Level::kTypo};
  }
  const bool phonetic = !q.code.empty() && q.code == r.code;
  if (!phonetic && nm::jaro_winkler_below(q.text, r.text, 0.88)) return {};
  const double jw = nm::jaro_winkler(q.text, r.text);
  if (phonetic) return {0.55 + 0.3 * jw, Level::kPhonetic};
  if (jw >= 0.88) return {0.85 * jw, Level::kSimilar};
  return {};
}

// --- the memo ----------------------------------------------------------------

void WordMemo::start(const PreparedQuery& q, std::size_t words) {
  q_ = &q;
  auto name = [](const std::vector<std::string>& names, std::string& code) {
    linkage::NameWord w;
    if (names.empty()) return w;
    code = nm::metaphone(names.front());
    w.text = names.front();
    w.code = code;
    w.groups = nm::nickname_groups_of(names.front());
    return w;
  };
  given_ = name(q.link.given_names, given_code_);
  family_ = name(q.link.family_names, family_code_);
  as_given_ =
      q.link_as_given ? name(q.link_as_given->given_names, as_given_code_) : linkage::NameWord{};
  if (stamp_.size() < words) {
    stamp_.resize(words, 0);
    at_.resize(words, 0);
  }
  rows_.clear();
  if (++generation_ == 0) {  // wrapped round: forget every stamp
    std::fill(stamp_.begin(), stamp_.end(), 0);
    generation_ = 1;
  }
}

WordMemo::Row& WordMemo::row(std::uint32_t word) {
  if (word >= stamp_.size()) {
    spare_ = Row{};
    return spare_;
  }
  if (stamp_[word] != generation_) {
    stamp_[word] = generation_;
    at_[word] = static_cast<std::uint32_t>(rows_.size());
    rows_.emplace_back();
  }
  return rows_[at_[word]];
}

const TokenMatch* WordMemo::matches(const NameToken& r) {
  Row& x = row(r.word);
  if (!x.matched) {
    std::size_t i = 0;
    for (const auto* tokens : {&q_->given, &q_->family}) {
      for (const auto& t : *tokens) x.matches[i++] = compare_tokens(t, r);
    }
    x.matched = true;
  }
  return x.matches.data();
}

std::int8_t WordMemo::given_level(std::uint32_t word, const linkage::NameWord& w) {
  Row& x = row(word);
  if (x.given == kUnknown) {
    x.given =
        q_->link.given_names.empty() ? linkage::kMissing : linkage::given_word_level(given_, w);
  }
  return x.given;
}

std::int8_t WordMemo::family_level(std::uint32_t word, const linkage::NameWord& w) {
  Row& x = row(word);
  if (x.family == kUnknown) {
    x.family =
        q_->link.family_names.empty() ? linkage::kMissing : linkage::family_word_level(family_, w);
  }
  return x.family;
}

std::int8_t WordMemo::as_given_level(std::uint32_t word, const linkage::NameWord& w) {
  Row& x = row(word);
  if (x.as_given == kUnknown) {
    x.as_given = !q_->link_as_given || q_->link_as_given->given_names.empty()
                     ? linkage::kMissing
                     : linkage::given_word_level(as_given_, w);
  }
  return x.as_given;
}

namespace {

struct NameAgreement {
  double value = 0;
  Level level = Level::kNone;
  const NameToken* q = nullptr;
  const NameToken* r = nullptr;
};

// The best agreement of any query token with any record token, discounted
// for middle names, previous names and parts of double-barrelled names.
// With a memo, query's tokens are the memo's from `first` on.
NameAgreement best_agreement(const std::vector<NameToken>& query,
                             const std::vector<NameToken>& record, WordMemo* memo,
                             std::size_t first) {
  NameAgreement best;
  for (std::size_t i = 0; i < query.size(); ++i) {
    const auto& q = query[i];
    for (const auto& r : record) {
      const TokenMatch m = memo != nullptr ? memo->matches(r)[first + i] : compare_tokens(q, r);
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

}  // namespace

double score_entry(const PreparedQuery& q, const Entry& e, std::vector<std::string>* reasons,
                   WordMemo* memo) {
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
    const std::size_t family_first = q.given.size();  // the memo's given tokens come first
    if (has_family) {
      fam_a = best_agreement(q.family, e.family, memo, family_first);
      fam_b = best_agreement(q.family, e.given, memo, family_first);
    }
    if (has_given) {
      giv_a = best_agreement(q.given, e.given, memo, 0);
      giv_b = best_agreement(q.given, e.family, memo, 0);
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

}  // namespace frontdoor::domain::person_search_detail
