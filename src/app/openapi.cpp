#include "app/openapi.hpp"

namespace frontdoor::app {
namespace {

using nlohmann::json;

json error_responses() {
  return {
      {"400",
       {{"description", "Invalid input; nothing was changed"},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}},
      {"401", {{"description", "Not signed in, or the API token is not valid"}}},
      {"403", {{"description", "Not allowed for this role, or the CSRF token is missing"}}},
      {"404", {{"description", "No such record, or not visible to this user"}}},
      {"409",
       {{"description",
         "The record changed since the version you read, or the action is not allowed in its "
         "current state"}}},
      {"429", {{"description", "Too many attempts"}}},
      {"503", {{"description", "Temporarily unavailable; retry after the Retry-After header"}}}};
}

json op(const std::string& summary, const std::string& id, json extra = json::object()) {
  json o{{"summary", summary}, {"operationId", id}, {"responses", error_responses()}};
  o["responses"]["200"] = {{"description", "OK"}};
  for (auto& [k, v] : extra.items()) o[k] = v;
  return o;
}

json body(const std::string& schema_ref, json example) {
  return {
      {"required", true},
      {"content",
       {{"application/json",
         {{"schema", {{"$ref", "#/components/schemas/" + schema_ref}}}, {"example", example}}}}}};
}

json id_param() {
  return json::array(
      {{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}}});
}

json build() {
  json doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {
      {"title", "Frontdoor API"},
      {"version", "1.0.0"},
      {"description",
       "The children's front door (MASH). Partner systems authenticate with a bearer token "
       "issued to an agency user; browsers use their session cookie and send X-CSRF-Token. "
       "Times are UTC (ISO 8601). Every change is recorded as an attributed event."}};
  doc["components"]["securitySchemes"] = {
      {"partnerToken", {{"type", "http"}, {"scheme", "bearer"}}},
      {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "fd_session"}}}};
  doc["security"] = json::array({{{"partnerToken", json::array()}}, {{"session", json::array()}}});
  doc["components"]["schemas"] = json::parse(R"json({
    "Error": {
      "type": "object",
      "properties": {
        "error": {
          "type": "object",
          "properties": {
            "code": {"type": "string", "enum": ["validation", "not_found", "forbidden", "unauthenticated", "conflict",
                                                "invalid_transition", "rate_limited", "unavailable", "internal"]},
            "message": {"type": "string"},
            "fields": {"type": "array", "items": {"type": "object", "properties": {
              "field": {"type": "string"}, "message": {"type": "string"}}}}
          }
        }
      }
    },
    "Child": {
      "type": "object",
      "properties": {
        "given_name": {"type": "string"},
        "family_name": {"type": "string"},
        "date_of_birth": {"type": "string", "format": "date"},
        "unborn": {"type": "boolean"},
        "expected_date_of_birth": {"type": "string", "format": "date"},
        "sex": {"type": "string", "description": "CIN gender code: 0 not known, 1 male, 2 female, 9 not specified"}
      }
    },
    "NewContact": {
      "type": "object",
      "required": ["source_code", "children", "concerns"],
      "properties": {
        "partner_reference": {"type": "string", "description": "Your own reference; the same reference is never recorded twice"},
        "source_code": {"type": "string", "description": "CIN census referral source (1A-10), e.g. 6 for police"},
        "received_at": {"type": "string", "format": "date-time"},
        "referrer": {"type": "object", "properties": {"name": {"type": "string"}, "role": {"type": "string"},
                                                      "email": {"type": "string"}, "phone": {"type": "string"}}},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Child"}},
        "adults": {"type": "array", "items": {"type": "object"}},
        "address_line": {"type": "string"},
        "postcode": {"type": "string"},
        "concerns": {"type": "string"},
        "child_views": {"type": "string"},
        "family_aware": {"type": "string", "enum": ["yes", "no", "not_known"]},
        "consent": {"type": "string", "enum": ["given", "refused", "not_sought", "not_known"]},
        "consent_notes": {"type": "string"}
      }
    },
    "Restriction": {
      "type": "object",
      "required": ["reason"],
      "properties": {"reason": {"type": "string"}}
    },
    "Relationship": {
      "type": "object",
      "required": ["person_id", "kind"],
      "properties": {
        "person_id": {"type": "integer"},
        "kind": {"type": "string", "enum": ["parent", "carer", "sibling", "household_member", "partner", "child"]}
      }
    },
    "Versioned": {
      "type": "object",
      "required": ["version"],
      "properties": {"version": {"type": "integer", "description": "The contact version you read"}}
    }
  })json");

  const json contact_example{
      {"partner_reference", "PPN-2026-004512"},
      {"source_code", "6"},
      {"referrer",
       {{"name", "PC 1234 Jones"}, {"role", "Response officer"}, {"phone", "01632 960000"}}},
      {"children", json::array({{{"given_name", "Amy"},
                                 {"family_name", "Example"},
                                 {"date_of_birth", "2018-03-04"},
                                 {"sex", "2"}}})},
      {"address_line", "1 Example Street"},
      {"postcode", "ZZ99 1ZZ"},
      {"concerns", "Domestic abuse incident at the home address; children present."},
      {"family_aware", "yes"},
      {"consent", "not_sought"}};
  auto& paths = doc["paths"];
  paths["/healthz"]["get"] = op("Readiness", "health", {{"security", json::array()}});
  paths["/api/v1/contacts"]["post"] =
      op("Record a contact (idempotent on partner_reference or Idempotency-Key)", "createContact",
         {{"requestBody", body("NewContact", contact_example)}});
  paths["/api/v1/contacts"]["post"]["responses"]["201"] = {
      {"description", "Recorded (or the contact already recorded with this reference)"}};
  paths["/api/v1/contacts/{id}"]["get"] =
      op("Read a contact (a referrer sees its progress and outcome only)", "getContact",
         {{"parameters", id_param()}});
  paths["/api/v1/queue"]["get"] = op("The MASH queue, most urgent first", "getQueue");
  paths["/api/v1/referrals"]["get"] = op("Contacts you submitted, with outcomes", "getMyReferrals");
  paths["/api/v1/contacts/{id}/links"]["post"] =
      op("Link a child to a person record (omit person_id to create one)", "linkChild",
         {{"parameters", id_param()},
          {"requestBody",
           body("Versioned", {{"version", 1}, {"child_index", 0}, {"person_id", 42}})}});
  paths["/api/v1/contacts/{id}/screening"]["post"] = op(
      "Screen: RAG rating and rationale", "screenContact",
      {{"parameters", id_param()},
       {"requestBody",
        body("Versioned", {{"version", 2}, {"rag", "red"}, {"rationale", "Injury to a baby"}})}});
  paths["/api/v1/contacts/{id}/decision"]["post"] =
      op("Record a decision for sign-off", "recordDecision",
         {{"parameters", id_param()},
          {"requestBody", body("Versioned", {{"version", 3},
                                             {"outcome", "strategy_discussion"},
                                             {"level", 4},
                                             {"indicators", {"4.1"}},
                                             {"rationale", "..."},
                                             {"next_steps", "..."}})}});
  paths["/api/v1/contacts/{id}/send-back"]["post"] =
      op("Manager: send a decision back with a reason", "sendBack",
         {{"parameters", id_param()},
          {"requestBody",
           body("Versioned", {{"version", 4}, {"reason", "Please add the school's view"}})}});
  paths["/api/v1/contacts/{id}/sign-off"]["post"] =
      op("Manager: sign off with a case direction (closes the contact and tells the referrer)",
         "signOff",
         {{"parameters", id_param()},
          {"requestBody",
           body("Versioned", {{"version", 4}, {"case_direction", "Strategy discussion today"}})}});
  paths["/api/v1/people"]["get"] =
      op("Search people by name, date of birth, postcode or identifier", "searchPeople",
         {{"description",
           "Best match first. Each item has score (0-1, how closely the fields agree) and "
           "reasons naming the values; match_probability and match_band (\"link\", \"review\" "
           "or \"no match\", from the bands in frontdoor.json) from the Fellegi-Sunter model "
           "that ranks the items; and explanation, each comparison's weight in words, strongest "
           "first, e.g. \"date of birth has day and month swapped (+5.1)\"."},
          {"parameters",
           json::array({{{"name", "q"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
                        {{"name", "date_of_birth"},
                         {"in", "query"},
                         {"schema", {{"type", "string"}, {"format", "date"}}}}})}});
  paths["/api/v1/people"]["post"] = op("Create a person record", "createPerson");
  paths["/api/v1/people/{id}"]["get"] =
      op("Read a person (audited)", "getPerson", {{"parameters", id_param()}});
  paths["/api/v1/people/{id}/corrections"]["post"] =
      op("Correct a person's details, with a reason (the earlier values stay in the history)",
         "correctPerson",
         {{"parameters", id_param()},
          {"requestBody",
           body("Versioned", {{"version", 1},
                              {"reason", "Date of birth confirmed by the school"},
                              {"details", {{"kind", "child"}, {"given_name", "Amy"}}}})}});
  paths["/api/v1/people/{id}/moves"]["post"] =
      op("Record a new current address (the old one is kept as a previous address)", "movePerson",
         {{"parameters", id_param()},
          {"requestBody", body("Versioned", {{"version", 1},
                                             {"line", "2 Example Street"},
                                             {"postcode", "ZZ99 1ZZ"},
                                             {"from", "2026-11-01"}})}});
  paths["/api/v1/people/{id}/relationships"]["post"] =
      op("Record a relationship (parent, carer, sibling, household_member, partner, child); the "
         "reciprocal is recorded too",
         "recordRelationship",
         {{"parameters", id_param()},
          {"requestBody", body("Relationship", {{"person_id", 42}, {"kind", "sibling"}})}});
  paths["/api/v1/people/{id}/restriction"]["post"] =
      op("MASH team manager: restrict the record, with the reason (from then on only managers "
         "read or change it, and it is left out of everyone else's searches and households)",
         "restrictPerson",
         {{"parameters", id_param()},
          {"requestBody", body("Restriction", {{"reason", "Family living in a refuge"}})}});
  paths["/api/v1/people/{id}/chronology"]["get"] =
      op("A person's chronology (audited)", "getChronology", {{"parameters", id_param()}});
  paths["/api/v1/threshold-framework"]["get"] =
      op("The active threshold framework", "getThresholdFramework");
  paths["/api/v1/openapi.json"]["get"] =
      op("This document", "openapi", {{"security", json::array()}});
  return doc;
}

}  // namespace

const nlohmann::json& openapi_document() {
  static const nlohmann::json doc = build();
  return doc;
}

}  // namespace frontdoor::app
