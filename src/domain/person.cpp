#include "domain/person.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/json.hpp"
#include "domain/identifiers.hpp"

namespace frontdoor::domain {
namespace {

constexpr std::array<std::pair<PersonKind, std::string_view>, 3> kKinds{
    {{PersonKind::kChild, "child"},
     {PersonKind::kUnborn, "unborn"},
     {PersonKind::kAdult, "adult"}}};

struct RelName {
  RelationshipKind kind;
  std::string_view code;
  std::string_view label;
};
constexpr std::array<RelName, 6> kRelationships{{
    {RelationshipKind::kParent, "parent", "Parent"},
    {RelationshipKind::kCarer, "carer", "Carer"},
    {RelationshipKind::kSibling, "sibling", "Sibling"},
    {RelationshipKind::kHouseholdMember, "household_member", "Household member"},
    {RelationshipKind::kPartner, "partner", "Partner"},
    {RelationshipKind::kChild, "child", "Child"},
}};

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

nlohmann::json address_json(const PersonAddress& a) {
  return {{"line", a.line}, {"postcode", a.postcode}, {"from", a.from}, {"to", a.to}};
}

PersonAddress address_from(const nlohmann::json& j) {
  PersonAddress a;
  a.line = json_or<std::string>(j, "line", "");
  a.postcode = json_or<std::string>(j, "postcode", "");
  a.from = json_opt<std::chrono::sys_days>(j, "from");
  a.to = json_opt<std::chrono::sys_days>(j, "to");
  return a;
}

std::string normalise_postcode(std::string_view raw) {
  std::string compact;
  for (char c : raw) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  if (compact.size() > 3) compact.insert(compact.size() - 3, " ");
  return compact;
}

}  // namespace

std::string_view to_string(PersonKind k) {
  for (const auto& [kind, name] : kKinds) {
    if (kind == k) return name;
  }
  return "child";
}
std::optional<PersonKind> parse_person_kind(std::string_view s) {
  for (const auto& [kind, name] : kKinds) {
    if (name == s) return kind;
  }
  return std::nullopt;
}
std::string_view to_string(RelationshipKind k) {
  for (const auto& r : kRelationships) {
    if (r.kind == k) return r.code;
  }
  return "household_member";
}
std::string_view label(RelationshipKind k) {
  for (const auto& r : kRelationships) {
    if (r.kind == k) return r.label;
  }
  return "Household member";
}
std::optional<RelationshipKind> parse_relationship_kind(std::string_view s) {
  for (const auto& r : kRelationships) {
    if (r.code == s) return r.kind;
  }
  return std::nullopt;
}
RelationshipKind reciprocal(RelationshipKind k) {
  switch (k) {
    case RelationshipKind::kParent:
      return RelationshipKind::kChild;
    case RelationshipKind::kChild:
      return RelationshipKind::kParent;
    case RelationshipKind::kCarer:
      return RelationshipKind::kChild;
    default:
      return k;
  }
}

std::string PersonState::full_name() const {
  std::string name = details.given_name;
  if (!details.family_name.empty()) {
    if (!name.empty()) name += ' ';
    name += details.family_name;
  }
  if (name.empty() && details.kind == PersonKind::kUnborn) name = "Unborn baby";
  return name;
}

nlohmann::json to_json(const PersonDetails& d) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& n : d.other_names) {
    names.push_back(
        {{"given_name", n.given_name}, {"family_name", n.family_name}, {"kind", n.kind}});
  }
  nlohmann::json j{{"kind", to_string(d.kind)},
                   {"given_name", d.given_name},
                   {"family_name", d.family_name},
                   {"other_names", names},
                   {"date_of_birth", d.date_of_birth},
                   {"expected_date_of_birth", d.expected_date_of_birth},
                   {"sex", d.sex},
                   {"ethnicity", d.ethnicity},
                   {"nhs_number", d.identifiers.nhs_number},
                   {"upn", d.identifiers.upn},
                   {"la_child_id", d.identifiers.la_child_id},
                   {"police_reference", d.identifiers.police_reference}};
  j["address"] = d.address ? address_json(*d.address) : nlohmann::json(nullptr);
  return j;
}

Result<PersonDetails> person_details_from_json(const nlohmann::json& j) {
  try {
    PersonDetails d;
    auto kind = parse_person_kind(json_or<std::string>(j, "kind", "child"));
    if (!kind)
      return Error::field("kind", "Select whether this is a child, an unborn child or an adult");
    d.kind = *kind;
    d.given_name = json_or<std::string>(j, "given_name", "");
    d.family_name = json_or<std::string>(j, "family_name", "");
    if (j.contains("other_names") && j["other_names"].is_array()) {
      for (const auto& n : j["other_names"]) {
        d.other_names.push_back(PersonName{json_or<std::string>(n, "given_name", ""),
                                           json_or<std::string>(n, "family_name", ""),
                                           json_or<std::string>(n, "kind", "alias")});
      }
    }
    d.date_of_birth = json_opt<std::chrono::sys_days>(j, "date_of_birth");
    d.expected_date_of_birth = json_opt<std::chrono::sys_days>(j, "expected_date_of_birth");
    d.sex = json_or<std::string>(j, "sex", "0");
    d.ethnicity = json_or<std::string>(j, "ethnicity", "");
    d.identifiers.nhs_number = json_or<std::string>(j, "nhs_number", "");
    d.identifiers.upn = json_or<std::string>(j, "upn", "");
    d.identifiers.la_child_id = json_or<std::string>(j, "la_child_id", "");
    d.identifiers.police_reference = json_or<std::string>(j, "police_reference", "");
    if (j.contains("address") && j["address"].is_object()) d.address = address_from(j["address"]);
    return d;
  } catch (const nlohmann::json::exception&) {
    return Error::validation("The person could not be read: check the fields and their types");
  }
}

nlohmann::json to_json(const PersonState& s) {
  nlohmann::json previous = nlohmann::json::array();
  for (const auto& a : s.previous_addresses) previous.push_back(address_json(a));
  nlohmann::json rels = nlohmann::json::array();
  for (const auto& r : s.relationships) {
    rels.push_back({{"person_id", r.person_id}, {"kind", to_string(r.kind)}});
  }
  return {{"id", s.id},
          {"version", s.version},
          {"details", to_json(s.details)},
          {"previous_addresses", previous},
          {"relationships", rels},
          {"restricted", s.restricted},
          {"merged_into", s.merged_into ? nlohmann::json(*s.merged_into) : nlohmann::json()},
          {"merged_from", s.merged_from}};
}

void apply(PersonState& s, const RecordedEvent& e) {
  namespace ev = person_events;
  s.version = e.stream_version;
  if (e.type == ev::kRecorded || e.type == ev::kDetailsCorrected) {
    auto d = person_details_from_json(e.payload.at("details"));
    if (d.ok()) {
      auto previous = s.details.address;
      s.details = std::move(d).value();
      if (e.type == ev::kDetailsCorrected && !s.details.address) s.details.address = previous;
    }
  } else if (e.type == ev::kMoved) {
    if (s.details.address) {
      PersonAddress old = *s.details.address;
      PersonAddress next = address_from(e.payload.at("address"));
      if (!old.to) old.to = next.from;
      s.previous_addresses.push_back(old);
    }
    s.details.address = address_from(e.payload.at("address"));
  } else if (e.type == ev::kRelationshipRecorded) {
    auto kind = parse_relationship_kind(e.payload.at("kind").get<std::string>());
    const auto other = e.payload.at("person_id").get<std::int64_t>();
    if (kind) s.relationships.push_back(Relationship{other, *kind});
  } else if (e.type == ev::kRestricted) {
    s.restricted = true;
  } else if (e.type == ev::kMergedInto) {
    s.merged_into = e.payload.at("person_id").get<std::int64_t>();
  } else if (e.type == ev::kUnmerged) {
    s.merged_into.reset();
  } else if (e.type == ev::kDuplicateMerged) {
    s.merged_from.push_back(e.payload.at("person_id").get<std::int64_t>());
  } else if (e.type == ev::kDuplicateUnmerged) {
    std::erase(s.merged_from, e.payload.at("person_id").get<std::int64_t>());
  }
}

PersonState fold_person(std::int64_t id, const std::vector<RecordedEvent>& events) {
  PersonState s;
  s.id = id;
  for (const auto& e : events) apply(s, e);
  return s;
}

Status normalise_person_details(PersonDetails& d, Instant now) {
  std::vector<FieldError> errors;
  const auto today = std::chrono::floor<std::chrono::days>(now);
  if (d.kind != PersonKind::kUnborn && blank(d.given_name) && blank(d.family_name)) {
    errors.push_back({"given_name", "Enter a first name or last name"});
  }
  if (d.date_of_birth && *d.date_of_birth > today) {
    errors.push_back({"date_of_birth", "Date of birth must be in the past"});
  }
  if (d.kind == PersonKind::kUnborn && !d.expected_date_of_birth) {
    errors.push_back({"expected_date_of_birth", "Enter the expected date of birth"});
  }
  if (!blank(d.identifiers.nhs_number)) {
    auto nhs = NhsNumber::parse(d.identifiers.nhs_number);
    if (nhs.ok()) {
      d.identifiers.nhs_number = nhs->value();
    } else {
      errors.push_back({"nhs_number", nhs.error().message});
    }
  } else {
    d.identifiers.nhs_number.clear();
  }
  if (!blank(d.identifiers.upn)) {
    auto upn = Upn::parse(d.identifiers.upn);
    if (upn.ok()) {
      d.identifiers.upn = upn->value();
    } else {
      errors.push_back({"upn", upn.error().message});
    }
  } else {
    d.identifiers.upn.clear();
  }
  if (d.address) d.address->postcode = normalise_postcode(d.address->postcode);
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return ok_status();
}

Result<std::vector<NewEvent>> record_person(PersonDetails details, Instant now) {
  FD_TRY(normalise_person_details(details, now));
  NewEvent e;
  e.type = person_events::kRecorded;
  e.payload = {{"details", to_json(details)}};
  return std::vector<NewEvent>{std::move(e)};
}

Result<std::vector<NewEvent>> correct_person_details(const PersonState& state,
                                                     PersonDetails details,
                                                     const std::string& reason, Instant now) {
  if (state.version == 0) return Error::not_found();
  if (blank(reason)) return Error::field("reason", "Enter why the record is being corrected");
  FD_TRY(normalise_person_details(details, now));
  NewEvent e;
  e.type = person_events::kDetailsCorrected;
  e.payload = {{"details", to_json(details)}};
  e.reason = reason;
  return std::vector<NewEvent>{std::move(e)};
}

Result<std::vector<NewEvent>> record_move(const PersonState& state, PersonAddress address) {
  if (state.version == 0) return Error::not_found();
  if (blank(address.line) && blank(address.postcode)) {
    return Error::field("address_line", "Enter the new address");
  }
  address.postcode = normalise_postcode(address.postcode);
  NewEvent e;
  e.type = person_events::kMoved;
  e.payload = {{"address", address_json(address)}};
  return std::vector<NewEvent>{std::move(e)};
}

Result<std::vector<NewEvent>> record_relationship(const PersonState& state, std::int64_t other,
                                                  RelationshipKind kind) {
  if (state.version == 0) return Error::not_found();
  if (other == state.id)
    return Error::field("person_id", "A person cannot be related to themselves");
  for (const auto& r : state.relationships) {
    if (r.person_id == other && r.kind == kind) {
      return Error::field("person_id", "This relationship is already recorded");
    }
  }
  NewEvent e;
  e.type = person_events::kRelationshipRecorded;
  e.payload = {{"person_id", other}, {"kind", to_string(kind)}};
  return std::vector<NewEvent>{std::move(e)};
}

Result<std::vector<NewEvent>> restrict_person(const PersonState& state, const std::string& reason) {
  if (state.version == 0) return Error::not_found();
  if (state.restricted) return Error::invalid_transition("This record is already restricted");
  if (blank(reason)) return Error::field("reason", "Enter why the record is being restricted");
  NewEvent e;
  e.type = person_events::kRestricted;
  e.reason = reason;
  return std::vector<NewEvent>{std::move(e)};
}

namespace {

NewEvent merge_event(const char* type, std::int64_t other, const std::string& reason) {
  NewEvent e;
  e.type = type;
  e.payload = {{"person_id", other}};
  e.reason = reason;
  return e;
}

// Both records exist, differ, and neither is merged into another.
Status check_mergeable(const PersonState& duplicate, const PersonState& kept,
                       const std::string& reason) {
  if (duplicate.version == 0 || kept.version == 0) return Error::not_found();
  if (duplicate.id == kept.id) {
    return Error::field("keep", "Choose two different records to merge");
  }
  if (duplicate.merged_into || kept.merged_into) {
    return Error::invalid_transition("One of these records has already been merged into another");
  }
  if (blank(reason)) return Error::field("reason", "Enter why these records are the same person");
  return ok_status();
}

}  // namespace

Result<std::vector<NewEvent>> merge_duplicate(const PersonState& duplicate, const PersonState& kept,
                                              const std::string& reason) {
  FD_TRY(check_mergeable(duplicate, kept, reason));
  if (!duplicate.merged_from.empty()) {
    return Error::invalid_transition(
        "Other records have been merged into this one: keep this record instead, or unmerge them "
        "first");
  }
  return std::vector<NewEvent>{merge_event(person_events::kMergedInto, kept.id, reason)};
}

Result<std::vector<NewEvent>> receive_duplicate(const PersonState& kept,
                                                const PersonState& duplicate,
                                                const std::string& reason) {
  FD_TRY(check_mergeable(duplicate, kept, reason));
  return std::vector<NewEvent>{merge_event(person_events::kDuplicateMerged, duplicate.id, reason)};
}

Result<std::vector<NewEvent>> unmerge_duplicate(const PersonState& duplicate,
                                                const std::string& reason) {
  if (duplicate.version == 0) return Error::not_found();
  if (!duplicate.merged_into) {
    return Error::invalid_transition("This record has not been merged into another");
  }
  if (blank(reason)) {
    return Error::field("reason", "Enter why these records are not the same person");
  }
  return std::vector<NewEvent>{
      merge_event(person_events::kUnmerged, *duplicate.merged_into, reason)};
}

Result<std::vector<NewEvent>> release_duplicate(const PersonState& kept,
                                                const PersonState& duplicate,
                                                const std::string& reason) {
  if (kept.version == 0) return Error::not_found();
  if (std::find(kept.merged_from.begin(), kept.merged_from.end(), duplicate.id) ==
      kept.merged_from.end()) {
    return Error::invalid_transition("That record was not merged into this one");
  }
  if (blank(reason)) {
    return Error::field("reason", "Enter why these records are not the same person");
  }
  return std::vector<NewEvent>{
      merge_event(person_events::kDuplicateUnmerged, duplicate.id, reason)};
}

std::optional<int> age_on(const PersonDetails& d, std::chrono::sys_days on) {
  using namespace std::chrono;
  if (!d.date_of_birth) return std::nullopt;
  const year_month_day birth{*d.date_of_birth};
  const year_month_day today{on};
  int years = int(today.year()) - int(birth.year());
  if (today.month() < birth.month() ||
      (today.month() == birth.month() && today.day() < birth.day())) {
    --years;
  }
  return years;
}

}  // namespace frontdoor::domain
