#pragma once
// Read models: what lists and pages show, shaped from the projections. Pure
// data, shared by the services that fill them and the pages that show them.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.hpp"
#include "domain/contact.hpp"
#include "domain/person.hpp"
#include "domain/rag.hpp"

namespace frontdoor::domain {

struct QueueItem {
  std::int64_t id = 0;
  std::string reference;
  ContactStatus status = ContactStatus::kAwaitingScreening;
  std::optional<RagRating> rag;
  Instant received_at;
  Instant decision_due_at;
  std::string channel;
  std::vector<std::string> children;  // names
  std::string referrer_agency;
  std::optional<Outcome> outcome;  // once signed off
};

struct PersonSummary {
  std::int64_t id = 0;
  std::string name;
  std::string kind;
  std::optional<std::chrono::sys_days> date_of_birth;
  std::string postcode;
  double score = 0;
  std::vector<std::string> reasons;
  // The matching model's view of a search hit (domain/linker.hpp).
  double match_probability = 0;
  std::string match_band;                // "link", "review" or "no match"
  std::vector<std::string> explanation;  // each comparison's weight, strongest first
};

// Two person records the matching model thinks may be one person.
struct DuplicatePair {
  PersonSummary first;  // the older record (lower id)
  PersonSummary second;
  double probability = 0;
  std::string band;                      // "link" or "review"
  std::vector<std::string> explanation;  // each comparison's weight, strongest first
};

// What the matching model was last trained on: shown with the
// duplicate-finder, so the figures behind a probability are known.
struct MatchingModelStatus {
  bool trained = false;  // false: the reference model, as shipped
  Instant trained_at{};
  std::size_t people = 0;   // in the store when it was trained
  std::size_t sampled = 0;  // of them, drawn at random to train on
  std::size_t random_pairs = 0;
  std::size_t candidate_pairs = 0;
  bool estimated_m = false;  // false: m of the reference model
  int em_iterations = 0;
  bool em_converged = false;
  bool training = false;  // a training is running now
  // The live index: how many people, its memory, and how long loading it
  // from the store took at start-up.
  std::size_t index_people = 0;
  std::size_t index_bytes = 0;
  std::chrono::milliseconds index_loaded_in{0};
};

struct HouseholdMember {
  PersonSummary person;
  std::string relationship;  // how they relate to the person viewed
};

struct ChronologyEntry {
  Instant occurred_at;
  Instant recorded_at;
  std::string stream;
  std::string type;
  std::string summary;
  std::string actor;
  std::string actor_role;
  std::optional<std::string> reason;
};

// One line of "who viewed this record".
struct AccessRecord {
  Instant at;
  std::string who;
  std::string role;
  std::string agency;
  std::string action;
  bool refused = false;
  std::string basis;
};

enum class FormStatus { kDraft, kAwaitingApproval, kSubmitted };
std::string_view to_string(FormStatus);

struct ReferralForm {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::int64_t owner_user_id = 0;
  std::int64_t agency_id = 0;
  FormStatus status = FormStatus::kDraft;
  Instant started_at;
  Instant updated_at;
  std::optional<Instant> submitted_at;
  std::optional<std::int64_t> contact_id;
  std::optional<std::int64_t> completion_seconds;
  std::vector<std::string> returned_reasons;
  nlohmann::json answers = nlohmann::json::object();
};

}  // namespace frontdoor::domain
