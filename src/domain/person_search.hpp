#pragma once
// Person search for the front door: finding whether the child (or adult, or
// unborn child) a referrer is describing on the phone is already known.
//
// PersonSearch is the seam. InMemoryPersonSearch is the first engine: it
// normalises names, dates of birth, postcodes, addresses and identifiers,
// gathers candidates through several blocking keys (so one typo in one field
// cannot hide a person), keeps those whose fields agree with the query well
// enough to be worth showing (score, with readable reasons naming the
// values), and ranks them by the Fellegi–Sunter model of domain/linker.hpp:
// match weight and probability, band, and the weight of each comparison in
// words. The model starts as linkage::reference_model(); set_model() puts in
// one trained on the store's own records, and the index keeps the names'
// term frequencies current with every upsert and remove.
//
// Pure and in memory: no I/O. Thread-safe: many concurrent searches, one
// writer at a time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/name_matching.hpp"

namespace frontdoor::domain {

struct PersonState;

namespace linkage {
class Linker;
class Model;
struct Bands;
struct LinkRecord;
enum class Band;
}  // namespace linkage

struct PersonSearchRecord {
  std::int64_t person_id = 0;
  std::vector<std::string> given_names;   // first is current; then previous / alternative
  std::vector<std::string> family_names;  // first is current; then previous / alternative
  std::optional<std::chrono::sys_days> date_of_birth;  // or expected date of birth (unborn)
  std::vector<std::string> postcodes;                  // current first, then previous addresses
  std::vector<std::string> address_lines;              // free text, e.g. "12 High Street"
  std::vector<std::string> identifiers;  // NHS number, UPN, LA child id, police reference
};

struct PersonQuery {
  std::string name;  // free text: "jon smith" or "smith, jon"
  std::string given_name;
  std::string family_name;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::string postcode;
  std::string address;
  std::string identifier;
  std::size_t limit = 20;
};

struct SearchHit {
  std::int64_t person_id = 0;
  double score = 0;                  // 0..1: how closely the fields agree
  std::vector<std::string> reasons;  // readable, e.g. "family name matches exactly"
  // The Fellegi–Sunter model's view, which ranks the hits.
  double match_weight = 0;
  double probability = 0;
  linkage::Band band{};
  // The level of each comparison (linkage::PersonComparison order; -1
  // missing): what agreed, and how closely.
  std::vector<std::int8_t> levels;
  // Each comparison's weight, strongest first: "date of birth has day and
  // month swapped (+3.1)".
  std::vector<std::string> explanation;
};

// The seam between the front door and whichever matching engine is in use.
class PersonSearch {
 public:
  virtual ~PersonSearch() = default;
  virtual void upsert(const PersonSearchRecord& record) = 0;
  virtual void remove(std::int64_t person_id) = 0;
  // Best hits first (score descending, then person_id ascending), at most
  // query.limit of them. Hits below a minimum score are not returned.
  virtual std::vector<SearchHit> search(const PersonQuery& query) const = 0;
  virtual std::size_t size() const = 0;
};

// The search record for a person's current state: current and other names,
// current and previous addresses, identifiers; expected date of birth when
// there is no date of birth.
PersonSearchRecord to_search_record(const PersonState& person);

class InMemoryPersonSearch final : public PersonSearch {
 public:
  // Hits scoring below this are not returned.
  static constexpr double kMinimumScore = 0.3;
  // Names weigh by how common they are once the index holds this many
  // (linkage::Linker::set_term_frequency_minimum).
  static constexpr std::size_t kTermFrequencyMinimum = 200;

  InMemoryPersonSearch();
  ~InMemoryPersonSearch() override;
  InMemoryPersonSearch(const InMemoryPersonSearch&) = delete;
  InMemoryPersonSearch& operator=(const InMemoryPersonSearch&) = delete;

  void upsert(const PersonSearchRecord& record) override;
  void remove(std::int64_t person_id) override;
  std::vector<SearchHit> search(const PersonQuery& query) const override;
  std::size_t size() const override;

  // Approximate heap memory held by the index, in bytes (records, posting
  // lists, hash tables). Divide by size() for a per-person estimate.
  std::size_t approximate_bytes() const;

  // The model that ranks hits (m, u, prior); the term frequencies stay the
  // index's own.
  void set_model(const linkage::Model& model);
  void set_bands(const linkage::Bands& bands);
  linkage::Bands bands() const;
  // A copy of the ranking linker, term frequencies included (e.g. for the
  // duplicate-finder to score pairs as the search does).
  linkage::Linker linker() const;
  // Every person's comparison record, for training and for the
  // duplicate-finder; f runs under the index's read lock.
  void for_each_record(
      const std::function<void(std::int64_t, const linkage::LinkRecord&)>& f) const;

 private:
  struct Index;
  // Writers and readers pass the turnstile before taking mutex_, so a
  // waiting writer is not starved by a stream of overlapping searches.
  mutable std::mutex turnstile_;
  mutable std::shared_mutex mutex_;
  std::unique_ptr<Index> index_;
};
}  // namespace frontdoor::domain
