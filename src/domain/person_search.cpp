#include "domain/person_search.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "domain/linker.hpp"
#include "domain/person.hpp"
#include "domain/person_search_internal.hpp"

namespace frontdoor::domain {

// ---------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------
namespace person_search_detail {
namespace {

namespace nm = name_matching;

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

}  // namespace

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

Postcode make_postcode(std::string_view raw) {
  Postcode p;
  p.full = nm::normalise_postcode(raw);
  p.outward = nm::postcode_outward(p.full);
  p.sector = nm::postcode_sector(p.full);
  return p;
}

namespace {

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
  e.link = linkage::make_link_record(r);
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

// Bits set in a byte (std::popcount is a library call on a CPU baseline
// without the popcnt instruction).
constexpr auto kBitsIn = [] {
  std::array<std::uint8_t, 256> bits{};
  for (std::size_t i = 0; i < bits.size(); ++i) {
    bits[i] = static_cast<std::uint8_t>(std::popcount(static_cast<unsigned>(i)));
  }
  return bits;
}();

// The highest coarse_score().
constexpr int kMaxCoarse = 1000 + 40 + 25 + 30 + 10 + 15 + 20 * 8 + 10 * 8;

int coarse_score(std::uint32_t mask) {
  int s = 0;
  if ((mask & kEvIdentifier) != 0) s += 1000;
  if ((mask & kEvDob) != 0) s += 40;
  if ((mask & kEvDobSwapped) != 0) s += 25;
  if ((mask & kEvPostcode) != 0) s += 30;
  if ((mask & kEvSector) != 0) s += 10;
  if ((mask & kEvAddress) != 0) s += 15;
  s += 20 * kBitsIn[(mask >> kEvNameAnyShift) & 0xFFU];
  s += 10 * kBitsIn[(mask >> kEvNameExactShift) & 0xFFU];
  return s;
}

// A shortlisted candidate as the model sees it.
struct Scored {
  double weight = 0;
  std::int64_t person_id = 0;
  std::uint32_t slot = 0;
  bool as_given = false;  // one free-text word, taken as a given name
  linkage::PairComparison comparison;
};

// Scored candidates in order of weight, then person id (`at` into them).
struct HeapKey {
  double weight;
  std::int64_t person_id;
  std::uint32_t at;
};

// A search's working space, kept by each thread from search to search.
struct Scratch {
  std::vector<std::uint32_t> mask;
  std::vector<std::uint32_t> touched;
  std::vector<std::pair<int, std::uint32_t>> ranked;
  std::vector<int> coarse;  // of each touched candidate
  std::vector<std::uint32_t> count_of_coarse;
  std::vector<std::pair<std::int64_t, std::uint32_t>> ties;  // person id, slot
  WordMemo memo;
  std::vector<Scored> scored;
  std::vector<HeapKey> heap;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

std::size_t string_bytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;  // beyond the small-string buffer
}

}  // namespace
}  // namespace person_search_detail

using namespace person_search_detail;

struct InMemoryPersonSearch::Index {
  // People.
  std::vector<Entry> entries;
  std::vector<std::int64_t> person_of;  // entries[slot].person_id, packed
  std::vector<std::uint32_t> free_slots;
  std::unordered_map<std::int64_t, std::uint32_t> slot_of;
  // Name words: each distinct word once, with the people who have it.
  struct Word {
    std::string text;
    std::string code;                                    // metaphone
    const std::vector<std::uint16_t>* groups = nullptr;  // nickname groups
    std::vector<std::uint32_t> slots;
  };
  std::vector<Word> words;
  std::vector<std::uint32_t> free_words;
  std::unordered_map<std::string, std::uint32_t> word_id;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> word_keys;  // key -> word ids
  // Other keys -> people.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> postings;
  // Ranks the hits; its name frequencies follow every upsert and remove.
  linkage::Linker linker = [] {
    linkage::Linker l(linkage::reference_model());
    l.set_term_frequency_minimum(kTermFrequencyMinimum);
    return l;
  }();
  linkage::Bands bands;

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
    Entry& e = entries[slot];
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
        words[id].code = t->code;
        words[id].groups = nm::nickname_groups_of(t->text);
        word_id.emplace(t->text, id);
        for (const auto key : word_keys_of(*t)) word_keys[key].push_back(id);
      }
      words[id].slots.push_back(slot);
    }
    // Each name word's id, for the search's per-word memo.
    auto id_of = [this](const std::string& text) {
      const auto it = word_id.find(text);
      return it == word_id.end() ? kNoWord : it->second;
    };
    for (auto* tokens : {&e.given, &e.family}) {
      for (auto& t : *tokens) t.word = id_of(t.text);
    }
    e.given_word = e.link.given_names.empty() ? kNoWord : id_of(e.link.given_names.front());
    e.family_word = e.link.family_names.empty() ? kNoWord : id_of(e.link.family_names.front());
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
    ix.linker.remove_names(ix.entries[slot].link);
  } else if (!ix.free_slots.empty()) {
    slot = ix.free_slots.back();
    ix.free_slots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(ix.entries.size());
    ix.entries.emplace_back();
  }
  ix.entries[slot] = std::move(entry);
  if (ix.person_of.size() < ix.entries.size()) ix.person_of.resize(ix.entries.size());
  ix.person_of[slot] = record.person_id;
  ix.slot_of[record.person_id] = slot;
  ix.index(slot);
  ix.linker.add_names(ix.entries[slot].link);
}

void InMemoryPersonSearch::remove(std::int64_t person_id) {
  std::lock_guard turn(turnstile_);
  std::unique_lock lock(mutex_);
  auto& ix = *index_;
  const auto it = ix.slot_of.find(person_id);
  if (it == ix.slot_of.end()) return;
  const auto slot = it->second;
  ix.unindex(slot);
  ix.linker.remove_names(ix.entries[slot].link);
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

  // Rank candidates cheaply by their evidence; score only the best few:
  // those above the cut, and of those at it the lowest person ids. A
  // common name touches many people, so no sort of them all: a count of
  // each score finds the cut.
  // 300, or 10 a hit wanted; 100 when a common name has touched thousands
  // of people (it is their evidence that ties, in bulk, and each one scored
  // is a cache miss in a large index).
  constexpr std::size_t kManyCandidates = 2000;
  const std::size_t shortlist =
      std::max<std::size_t>(query.limit * 10, s.touched.size() > kManyCandidates ? 100 : 300);
  s.ranked.reserve(std::min(s.touched.size(), shortlist));
  if (s.touched.size() <= shortlist) {
    for (const auto slot : s.touched) s.ranked.emplace_back(coarse_score(s.mask[slot]), slot);
  } else {
    s.coarse.resize(s.touched.size());
    s.count_of_coarse.assign(kMaxCoarse + 1, 0);
    for (std::size_t i = 0; i < s.touched.size(); ++i) {
      const int c = coarse_score(s.mask[s.touched[i]]);
      s.coarse[i] = c;
      ++s.count_of_coarse[static_cast<std::size_t>(c)];
    }
    int cut = kMaxCoarse;
    std::size_t above = 0;  // candidates scoring more than cut
    while (above + s.count_of_coarse[static_cast<std::size_t>(cut)] < shortlist) {
      above += s.count_of_coarse[static_cast<std::size_t>(cut)];
      --cut;
    }
    s.ties.clear();
    for (std::size_t i = 0; i < s.touched.size(); ++i) {
      const auto slot = s.touched[i];
      if (s.coarse[i] > cut) {
        s.ranked.emplace_back(s.coarse[i], slot);
      } else if (s.coarse[i] == cut) {
        s.ties.emplace_back(ix.person_of[slot], slot);
      }
    }
    const std::size_t from_ties = shortlist - above;
    std::nth_element(s.ties.begin(), s.ties.begin() + static_cast<std::ptrdiff_t>(from_ties),
                     s.ties.end());
    for (std::size_t i = 0; i < from_ties; ++i) s.ranked.emplace_back(cut, s.ties[i].second);
  }

  // Rank the shortlist by the model's match weight (closer agreement, then
  // person id, on a tie) and keep the first `limit` whose fields agree well
  // enough to show. The words of names recur across candidates, so each
  // distinct word is compared with the query once (the memo); the heuristic
  // score is worked out only for candidates in reach of the first `limit`.
  WordMemo& memo = s.memo;
  memo.start(q, ix.words.size());
  const linkage::Linker::Weights weights = ix.linker.weights_for(q.link);
  std::optional<linkage::Linker::Weights> weights_as_given;
  if (q.link_as_given) weights_as_given = ix.linker.weights_for(*q.link_as_given);
  // The level of a candidate's first given name or current family name
  // against the query's (kMissing without one; unused then).
  auto front = [&ix](std::uint32_t word, const std::vector<std::string>& names, auto&& level) {
    if (names.empty()) return linkage::kMissing;
    if (word == kNoWord) {  // not indexed: work it out afresh
      const std::string code = nm::metaphone(names.front());
      return level(word,
                   linkage::NameWord{names.front(), code, nm::nickname_groups_of(names.front())});
    }
    const auto& w = ix.words[word];
    return level(word, linkage::NameWord{w.text, w.code, w.groups});
  };
  std::vector<Scored>& scored = s.scored;
  scored.clear();
  scored.reserve(s.ranked.size());
  for (const auto& [coarse, slot] : s.ranked) {
    const Entry& e = ix.entries[slot];
    const auto& l = e.link;
    const auto given = front(e.given_word, l.given_names, [&](std::uint32_t w, const auto& t) {
      return memo.given_level(w, t);
    });
    const auto family = front(e.family_word, l.family_names, [&](std::uint32_t w, const auto& t) {
      return memo.family_level(w, t);
    });
    Scored x{0, e.person_id, slot, false, linkage::compare(q.link, l, given, family)};
    x.weight = ix.linker.match_weight(weights, x.comparison);
    if (q.link_as_given) {
      const auto as_given = front(e.given_word, l.given_names, [&](std::uint32_t w, const auto& t) {
        return memo.as_given_level(w, t);
      });
      // The query's family name is empty taken this way: family_front is unused.
      const auto other = linkage::compare(*q.link_as_given, l, as_given, linkage::kMissing);
      const double other_weight = ix.linker.match_weight(*weights_as_given, other);
      if (other_weight > x.weight) {
        x.weight = other_weight;
        x.comparison = other;
        x.as_given = true;
      }
    }
    scored.push_back(x);
  }
  // Best first, taken off a heap a group of equal weights at a time (person
  // ids ascending); in a group, those that score enough, by score.
  auto lighter = [](const HeapKey& a, const HeapKey& b) {
    if (a.weight != b.weight) return a.weight < b.weight;
    return a.person_id > b.person_id;
  };
  std::vector<HeapKey>& heap = s.heap;
  heap.clear();
  for (std::uint32_t i = 0; i < scored.size(); ++i) {
    heap.push_back({scored[i].weight, scored[i].person_id, i});
  }
  std::make_heap(heap.begin(), heap.end(), lighter);
  auto hit = [&](const Scored& x, double score, std::vector<std::string> reasons) {
    const auto& w = x.as_given ? *weights_as_given : weights;
    const auto pair = ix.linker.score(w, x.comparison, ix.bands);
    SearchHit h;
    h.person_id = x.person_id;
    h.score = score;
    h.reasons = std::move(reasons);
    h.match_weight = pair.match_weight;
    h.probability = pair.probability;
    h.band = pair.band;
    h.levels.assign(x.comparison.levels.begin(), x.comparison.levels.end());
    h.explanation = ix.linker.explain(w, x.comparison);
    return h;
  };
  auto by_score = [](const auto& a, const auto& b) { return a.score > b.score; };
  std::vector<std::uint32_t> group;
  struct Candidate {
    double score;
    std::uint32_t at;
  };
  std::vector<Candidate> passing;
  std::vector<std::string> reasons;
  while (hits.size() < query.limit && !heap.empty()) {
    const double w = heap.front().weight;
    group.clear();
    while (!heap.empty() && heap.front().weight == w) {
      std::pop_heap(heap.begin(), heap.end(), lighter);
      group.push_back(heap.back().at);
      heap.pop_back();
    }
    const std::size_t first_new = hits.size();
    const std::size_t wanted = query.limit - hits.size();
    if (group.size() <= wanted) {
      // All of them if they score enough: score and reasons at once.
      for (const auto at : group) {
        reasons.clear();
        const double score = score_entry(q, ix.entries[scored[at].slot], &reasons, &memo);
        if (score >= kMinimumScore) hits.push_back(hit(scored[at], score, std::move(reasons)));
      }
      std::stable_sort(hits.begin() + static_cast<std::ptrdiff_t>(first_new), hits.end(), by_score);
      continue;
    }
    // More than are wanted: the best scores, then their reasons.
    passing.clear();
    for (const auto at : group) {
      const double score = score_entry(q, ix.entries[scored[at].slot], nullptr, &memo);
      if (score >= kMinimumScore) passing.push_back({score, at});
    }
    std::stable_sort(passing.begin(), passing.end(), by_score);
    if (passing.size() > wanted) passing.resize(wanted);
    for (const auto& [score, at] : passing) {
      reasons.clear();
      (void)score_entry(q, ix.entries[scored[at].slot], &reasons, &memo);
      hits.push_back(hit(scored[at], score, std::move(reasons)));
    }
  }
  return hits;
}

void InMemoryPersonSearch::set_model(const linkage::Model& model) {
  std::lock_guard turn(turnstile_);
  std::unique_lock lock(mutex_);
  index_->linker.set_model(model);
}

void InMemoryPersonSearch::set_bands(const linkage::Bands& bands) {
  std::lock_guard turn(turnstile_);
  std::unique_lock lock(mutex_);
  index_->bands = bands;
}

linkage::Bands InMemoryPersonSearch::bands() const {
  std::shared_lock lock(mutex_);
  return index_->bands;
}

linkage::Linker InMemoryPersonSearch::linker() const {
  std::shared_lock lock(mutex_);
  return index_->linker;
}

void InMemoryPersonSearch::for_each_record(
    const std::function<void(std::int64_t, const linkage::LinkRecord&)>& f) const {
  { std::lock_guard turn(turnstile_); }
  std::shared_lock lock(mutex_);
  for (const auto& e : index_->entries) {
    if (e.live) f(e.person_id, e.link);
  }
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
    const auto& l = e.link;
    for (const auto* list :
         {&l.given_names, &l.family_names, &l.family_parts, &l.postcodes, &l.identifiers}) {
      bytes += list->capacity() * sizeof(std::string);
      for (const auto& text : *list) bytes += string_bytes(text);
    }
    bytes += l.addresses.capacity() * sizeof(std::vector<std::string>);
    for (const auto& a : l.addresses) {
      bytes += a.capacity() * sizeof(std::string);
      for (const auto& w : a) bytes += string_bytes(w);
    }
  }
  // The linker's name frequencies: one node a distinct name.
  bytes +=
      ix.word_id.size() * (sizeof(std::pair<const std::string, std::size_t>) + 2 * sizeof(void*));
  bytes += ix.free_slots.capacity() * sizeof(std::uint32_t);
  bytes += ix.person_of.capacity() * sizeof(std::int64_t);
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
    bytes +=
        string_bytes(w.text) + string_bytes(w.code) + w.slots.capacity() * sizeof(std::uint32_t);
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
