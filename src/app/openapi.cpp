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

// The 200 (or 201) response's description, schema and example.
void respond(json& operation, const std::string& status, const std::string& description,
             const std::string& schema_ref, json example) {
  operation["responses"][status] = {
      {"description", description},
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
    },
    "Decision": {
      "type": "object",
      "required": ["version", "outcome", "level", "indicators", "rationale", "next_steps"],
      "properties": {
        "version": {"type": "integer", "description": "The contact version you read"},
        "outcome": {"type": "string"},
        "level": {"type": "integer"},
        "indicators": {"type": "array", "items": {"type": "string"}},
        "rationale": {"type": "string"},
        "next_steps": {"type": "string"},
        "relied_on_checks": {"type": "array", "items": {"type": "integer"},
                             "description": "Ids of this contact's answered checks the decision relied on. While any check is open the decision is refused (409) unless a manager has recorded an early decision"}
      }
    },
    "EarlyDecision": {
      "type": "object",
      "required": ["version", "reason"],
      "properties": {
        "version": {"type": "integer", "description": "The contact version you read"},
        "reason": {"type": "string", "description": "Why the decision cannot wait for the checks still open"}
      }
    },
    "Consent": {
      "type": "object",
      "required": ["version", "child_index", "decision"],
      "properties": {
        "version": {"type": "integer", "description": "The enquiry's version you read (\"version\" of GET /api/v1/contacts/{id}/enquiry; 0 before anything is recorded), not the contact's"},
        "child_index": {"type": "integer", "minimum": 0, "description": "Which child of the contact, from 0"},
        "decision": {"type": "string", "enum": ["sought", "given", "refused", "not_sought", "withdrawn"]},
        "given_by": {"type": "string", "description": "Who answered, e.g. Mother"},
        "notes": {"type": "string"}
      }
    },
    "ConsentOverride": {
      "type": "object",
      "required": ["version", "child_index", "basis", "reason"],
      "properties": {
        "version": {"type": "integer", "description": "The enquiry's version you read, not the contact's"},
        "child_index": {"type": "integer", "minimum": 0},
        "basis": {"type": "string", "enum": ["risk_of_harm", "crime_prevention", "unreasonable_delay", "safeguarding_duty"],
                  "description": "The lawful basis for checks without consent"},
        "reason": {"type": "string"}
      }
    },
    "EnquiryState": {
      "type": "object",
      "properties": {
        "contact_id": {"type": "integer"},
        "version": {"type": "integer", "description": "Send this with the next consent action"},
        "consent": {"type": "array", "items": {"$ref": "#/components/schemas/ChildConsent"}}
      }
    },
    "ChildConsent": {
      "type": "object",
      "properties": {
        "child_index": {"type": "integer"},
        "decision": {"type": "string", "enum": ["sought", "given", "refused", "not_sought", "withdrawn"]},
        "given_by": {"type": "string"},
        "notes": {"type": "string"},
        "recorded_at": {"type": "string", "format": "date-time"},
        "override": {"type": ["object", "null"], "properties": {
          "basis": {"type": "string"}, "basis_label": {"type": "string"},
          "reason": {"type": "string"}, "manager": {"type": "string"}}}
      }
    },
    "Enquiry": {
      "type": "object",
      "description": "The MASH's view of a contact's consent and checks (MASH roles only)",
      "properties": {
        "contact_id": {"type": "integer"},
        "version": {"type": "integer", "description": "The enquiry's version, for consent actions"},
        "consent": {"type": "array", "items": {"$ref": "#/components/schemas/ChildConsent"}},
        "children": {"type": "array", "items": {"type": "object", "properties": {
          "child_index": {"type": "integer"}, "name": {"type": "string"},
          "consent": {"oneOf": [{"$ref": "#/components/schemas/ChildConsent"}, {"type": "null"}]},
          "checks_may_proceed": {"type": "boolean"}}}},
        "subjects": {"type": "array", "description": "People on the contact whom an agency may be asked about", "items": {"type": "object", "properties": {
          "kind": {"type": "string", "enum": ["child", "adult"]}, "index": {"type": "integer"},
          "person_id": {"type": ["integer", "null"]}, "name": {"type": "string"}, "description": {"type": "string"}}}},
        "checks": {"type": "array", "items": {"$ref": "#/components/schemas/Check"}},
        "progress": {"type": "object", "properties": {
          "open": {"type": "array", "items": {"type": "integer"}},
          "answered": {"type": "array", "items": {"type": "integer"}}}}
      }
    },
    "NewCheck": {
      "type": "object",
      "required": ["agency_id", "people"],
      "properties": {
        "agency_id": {"type": "integer"},
        "people": {"type": "array", "items": {"type": "object", "required": ["kind", "index"], "properties": {
          "kind": {"type": "string", "enum": ["child", "adult"]},
          "index": {"type": "integer", "minimum": 0, "description": "The child's or adult's place on the contact, from 0"}}}},
        "question": {"type": "string"},
        "shared": {"type": "array", "items": {"type": "string", "enum": ["concerns", "address", "household", "referrer"]},
                   "description": "What of the contact the agency may see besides the people asked about"}
      }
    },
    "SubRequest": {
      "type": "object",
      "required": ["service", "people"],
      "properties": {
        "service": {"type": "string", "enum": ["GP", "Health visitor", "School nurse", "Mental health services"]},
        "people": {"type": "array", "items": {"type": "integer"}, "description": "Person ids, from those the check is about"},
        "question": {"type": "string"}
      }
    },
    "PersonAnswer": {
      "type": "object",
      "required": ["person_id", "known"],
      "properties": {
        "person_id": {"type": "integer"},
        "known": {"type": "boolean"},
        "summary": {"type": "string", "description": "What is held; required when known"},
        "relevance": {"type": "string"},
        "risk": {"type": "string"},
        "source_system": {"type": "string"},
        "source_reference": {"type": "string"}
      }
    },
    "CheckAnswer": {
      "type": "object",
      "required": ["version", "answers"],
      "properties": {
        "version": {"type": "integer", "description": "The check's version you read"},
        "answers": {"type": "array", "items": {"$ref": "#/components/schemas/PersonAnswer"},
                    "description": "Exactly one for each person asked about"},
        "partner_reference": {"type": "string", "description": "Your own reference for this answer: a repeat with the same reference (or the same Idempotency-Key header) for the same check changes nothing and answers 200 with the check; the same reference on another check is a 409"}
      }
    },
    "Check": {
      "type": "object",
      "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string"},
        "version": {"type": "integer"},
        "contact_id": {"type": "integer"},
        "contact_reference": {"type": "string", "description": "In a single check's view"},
        "agency_id": {"type": "integer"},
        "agency_name": {"type": "string"},
        "status": {"type": "string", "enum": ["requested", "answered", "withdrawn"]},
        "people": {"type": "array", "items": {"type": "object", "properties": {
          "person_id": {"type": "integer"}, "name": {"type": "string"},
          "date_of_birth": {"type": ["string", "null"], "format": "date"}, "address": {"type": "string"},
          "nhs_number": {"type": "string"}, "role": {"type": "string"}}},
          "description": "The people asked about (names and details in a single check's view)"},
        "question": {"type": "string"},
        "requested_at": {"type": "string", "format": "date-time"},
        "due_at": {"type": "string", "format": "date-time"},
        "clock": {"type": "string", "enum": ["clock_hours", "working_hours", "working_days"]},
        "overdue": {"type": "boolean"},
        "parent_check": {"type": ["integer", "null"], "description": "For a health sub-request, the check it came from"},
        "service": {"type": "string"},
        "shared": {"type": "array", "items": {"type": "string"}},
        "contact": {"type": "object", "description": "Only the parts of the contact shared with the agency (a partner); all of them for the MASH", "properties": {
          "concerns": {"type": "string"}, "address": {"type": "string"},
          "household": {"type": "array", "items": {"type": "string"}}, "referrer": {"type": "string"}}},
        "answers": {"type": "array", "items": {"$ref": "#/components/schemas/PersonAnswer"}},
        "answered_at": {"type": ["string", "null"], "format": "date-time"},
        "withdrawn_at": {"type": ["string", "null"], "format": "date-time"},
        "withdrawn_reason": {"type": "string"},
        "sub_requests": {"type": "array", "items": {"$ref": "#/components/schemas/CheckLine"}}
      }
    },
    "CheckLine": {
      "type": "object",
      "properties": {
        "id": {"type": "integer"}, "reference": {"type": "string"},
        "contact_id": {"type": "integer"}, "contact_reference": {"type": "string"},
        "agency_id": {"type": "integer"}, "agency_name": {"type": "string"},
        "parent_check": {"type": ["integer", "null"]}, "service": {"type": "string"},
        "status": {"type": "string", "enum": ["requested", "answered", "withdrawn"]},
        "requested_at": {"type": "string", "format": "date-time"},
        "due_at": {"type": "string", "format": "date-time"},
        "answered_at": {"type": ["string", "null"], "format": "date-time"},
        "people": {"type": "integer", "description": "How many people the check is about"},
        "overdue": {"type": "boolean"}
      }
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
  // A police public protection notice (PPN) from the crime system: the
  // police system's own account posts it, and the PPN number makes it
  // idempotent.
  const json ppn_example{
      {"partner_reference", "PPN/2026/118734"},
      {"source_code", "6"},
      {"referrer",
       {{"name", "DC 2291 Patel"}, {"role", "Public protection unit"}, {"phone", "01632 960118"}}},
      {"children", json::array({{{"given_name", "Ruby"},
                                 {"family_name", "Example"},
                                 {"date_of_birth", "2017-05-14"},
                                 {"sex", "2"}},
                                {{"given_name", "Leo"},
                                 {"family_name", "Example"},
                                 {"date_of_birth", "2020-01-09"},
                                 {"sex", "1"}}})},
      {"adults", json::array({{{"given_name", "Dean"},
                               {"family_name", "Example"},
                               {"relationship", "mother's partner"}}})},
      {"address_line", "12 Example Road"},
      {"postcode", "ZZ99 3AB"},
      {"concerns",
       "PPN (domestic abuse), crime reference CR/2026/55120: police called at 01:40 to a "
       "verbal argument between the mother and her partner; both children were in the home. "
       "DASH risk assessment: medium. The partner was arrested and released on bail with "
       "conditions not to attend the address."},
      {"family_aware", "yes"},
      {"consent", "not_sought"}};
  const json person_answers = json::array(
      {{{"person_id", 301},
        {"known", true},
        {"summary", "Two previous domestic incidents at the address (2025), no charges."},
        {"relevance", "Pattern of incidents with the children present"},
        {"risk", "Medium (DASH)"},
        {"source_system", "Niche RMS"},
        {"source_reference", "OCC/2025/4471"}},
       {{"person_id", 302}, {"known", false}}});
  const json check_example{
      {"id", 12},
      {"reference", "CHK-000012"},
      {"version", 2},
      {"contact_id", 7},
      {"contact_reference", "MASH-000007"},
      {"agency_id", 2},
      {"agency_name", "Example Constabulary"},
      {"status", "answered"},
      {"people", json::array({{{"person_id", 301},
                               {"name", "Dean Example"},
                               {"date_of_birth", nullptr},
                               {"address", "12 Example Road, ZZ99 3AB"},
                               {"nhs_number", ""},
                               {"role", "Adult: mother's partner"}},
                              {{"person_id", 302},
                               {"name", "Ruby Example"},
                               {"date_of_birth", "2017-05-14"},
                               {"address", "12 Example Road, ZZ99 3AB"},
                               {"nhs_number", ""},
                               {"role", "Child, born 14 May 2017"}}})},
      {"question", "Any domestic abuse history for the mother's partner?"},
      {"requested_at", "2026-11-30T10:00:00.000Z"},
      {"due_at", "2026-11-30T12:00:00.000Z"},
      {"clock", "clock_hours"},
      {"overdue", false},
      {"parent_check", nullptr},
      {"service", ""},
      {"shared", {"concerns"}},
      {"contact", {{"concerns", "Police called to a domestic incident at 01:40..."}}},
      {"answers", person_answers},
      {"answered_at", "2026-11-30T11:10:00.000Z"},
      {"withdrawn_at", nullptr},
      {"withdrawn_reason", ""},
      {"requested_by", "Sam Worker"},
      {"sub_requests", json::array()}};
  // What an action on a check returns: the check itself, without the view's
  // names and shared parts.
  json new_check_example = check_example;
  for (const char* key : {"contact_reference", "requested_by", "contact", "sub_requests"}) {
    new_check_example.erase(key);
  }
  new_check_example["version"] = 1;
  new_check_example["status"] = "requested";
  new_check_example["people"] = json::array({{{"person_id", 301}}, {{"person_id", 302}}});
  new_check_example["answers"] = json::array();
  new_check_example["answered_at"] = nullptr;
  json sub_request_example = new_check_example;
  sub_request_example["id"] = 15;
  sub_request_example["reference"] = "CHK-000015";
  sub_request_example["agency_id"] = 3;
  sub_request_example["agency_name"] = "Example NHS Trust";
  sub_request_example["parent_check"] = 14;
  sub_request_example["service"] = "GP";
  sub_request_example["people"] = json::array({{{"person_id", 302}}});
  sub_request_example["question"] = "Registered GP and recent attendances";
  const json line_example{{"id", 12},
                          {"reference", "CHK-000012"},
                          {"contact_id", 7},
                          {"contact_reference", "MASH-000007"},
                          {"agency_id", 2},
                          {"agency_name", "Example Constabulary"},
                          {"parent_check", nullptr},
                          {"service", ""},
                          {"status", "requested"},
                          {"requested_at", "2026-11-30T10:00:00.000Z"},
                          {"due_at", "2026-11-30T12:00:00.000Z"},
                          {"answered_at", nullptr},
                          {"people", 2},
                          {"overdue", false}};
  const json consent_example{{"child_index", 0},
                             {"decision", "refused"},
                             {"given_by", "Mother"},
                             {"notes", "Mother declined on the phone."},
                             {"recorded_at", "2026-11-30T09:50:00.000Z"},
                             {"override",
                              {{"basis", "risk_of_harm"},
                               {"basis_label",
                                "Seeking consent would place the child at risk of significant "
                                "harm"},
                               {"reason", "Mother's partner would learn of the enquiry."},
                               {"manager", "Maya Manager"}}}};
  const json enquiry_state_example{
      {"contact_id", 7}, {"version", 2}, {"consent", json::array({consent_example})}};

  auto& paths = doc["paths"];
  paths["/healthz"]["get"] = op("Readiness", "health", {{"security", json::array()}});
  paths["/api/v1/contacts"]["post"] =
      op("Record a contact (idempotent on partner_reference or Idempotency-Key)", "createContact",
         {{"requestBody", body("NewContact", contact_example)}});
  // OpenAPI: a media type has "example" or "examples", never both.
  auto& contact_body =
      paths["/api/v1/contacts"]["post"]["requestBody"]["content"]["application/json"];
  contact_body.erase("example");
  contact_body["examples"] = {
      {"contact", {{"summary", "A contact from a partner"}, {"value", contact_example}}},
      {"ppn",
       {{"summary",
         "A police public protection notice (PPN) from the crime system, posted by the police "
         "system's own account; posting the same PPN again returns the contact already "
         "recorded"},
        {"value", ppn_example}}}};
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
          {"description",
           "Refused (409) while any of the contact's checks is open, unless a manager has "
           "recorded why the decision cannot wait (early-decision). relied_on_checks names the "
           "answered checks the decision relied on."},
          {"requestBody", body("Decision", {{"version", 3},
                                            {"outcome", "strategy_discussion"},
                                            {"level", 4},
                                            {"indicators", {"4.1"}},
                                            {"rationale", "..."},
                                            {"next_steps", "..."},
                                            {"relied_on_checks", {12, 13}}})}});
  paths["/api/v1/contacts/{id}/early-decision"]["post"] =
      op("Manager: record why the decision cannot wait for the checks still open", "earlyDecision",
         {{"parameters", id_param()},
          {"requestBody",
           body("EarlyDecision", {{"version", 3},
                                  {"reason",
                                   "Strategy discussion needed today; education have not "
                                   "answered and the school is closed"}})}});
  paths["/api/v1/contacts/{id}/early-decision"]["post"]["responses"]["200"] = {
      {"description", "The contact (abridged here), with early_decision"},
      {"content",
       {{"application/json",
         {{"example",
           {{"id", 7},
            {"reference", "MASH-000007"},
            {"version", 5},
            {"status", "awaiting_decision"},
            {"early_decision",
             {{"open_checks", {14}},
              {"reason",
               "Strategy discussion needed today; education have not answered and the school "
               "is closed"},
              {"by", "Maya Manager"},
              {"at", "2026-11-30T12:05:00.000Z"}}}}}}}}}};
  paths["/api/v1/contacts/{id}/enquiry"]["get"] =
      op("MASH: a contact's consent and every agency's check, side by side (audited)", "getEnquiry",
         {{"parameters", id_param()}});
  respond(paths["/api/v1/contacts/{id}/enquiry"]["get"], "200", "The enquiry", "Enquiry",
          {{"contact_id", 7},
           {"version", 2},
           {"consent", json::array({consent_example})},
           {"children", json::array({{{"child_index", 0},
                                      {"name", "Ruby Example"},
                                      {"consent", consent_example},
                                      {"checks_may_proceed", true}}})},
           {"subjects", json::array({{{"kind", "child"},
                                      {"index", 0},
                                      {"person_id", 302},
                                      {"name", "Ruby Example"},
                                      {"description", "Child, born 14 May 2017"}},
                                     {{"kind", "adult"},
                                      {"index", 0},
                                      {"person_id", 301},
                                      {"name", "Dean Example"},
                                      {"description", "Adult: mother's partner"}}})},
           {"checks", json::array({check_example})},
           {"progress", {{"open", json::array()}, {"answered", {12}}}}});
  paths["/api/v1/contacts/{id}/consent"]["post"] =
      op("Record consent to checks for one child (sought, given, refused, not sought, withdrawn)",
         "recordConsent",
         {{"parameters", id_param()},
          {"requestBody", body("Consent", {{"version", 1},
                                           {"child_index", 0},
                                           {"decision", "refused"},
                                           {"given_by", "Mother"},
                                           {"notes", "Mother declined on the phone."}})}});
  respond(paths["/api/v1/contacts/{id}/consent"]["post"], "200", "Recorded", "EnquiryState",
          enquiry_state_example);
  paths["/api/v1/contacts/{id}/consent-override"]["post"] =
      op("Manager: agree checks without consent, with the lawful basis and the reason",
         "overrideConsent",
         {{"parameters", id_param()},
          {"requestBody",
           body("ConsentOverride", {{"version", 1},
                                    {"child_index", 0},
                                    {"basis", "risk_of_harm"},
                                    {"reason", "Mother's partner would learn of the enquiry."}})}});
  respond(paths["/api/v1/contacts/{id}/consent-override"]["post"], "200", "Recorded",
          "EnquiryState", enquiry_state_example);
  paths["/api/v1/contacts/{id}/checks"]["post"] =
      op("Ask an agency to check its records about people on a screened contact (every child's "
         "consent given or overridden; an adult without a person record gets one)",
         "requestCheck",
         {{"parameters", id_param()},
          {"requestBody",
           body("NewCheck", {{"agency_id", 2},
                             {"people", json::array({{{"kind", "child"}, {"index", 0}},
                                                     {{"kind", "adult"}, {"index", 0}}})},
                             {"question", "Any domestic abuse history for the mother's partner?"},
                             {"shared", {"concerns"}}})}});
  respond(paths["/api/v1/contacts/{id}/checks"]["post"], "201",
          "Requested; Location is the check's address", "Check", new_check_example);
  paths["/api/v1/contacts/{id}/checks"]["post"]["responses"].erase("200");
  paths["/api/v1/checks"]["get"] =
      op("Partner: your agency's checks, open ones by due time, then those answered or "
         "withdrawn within the access period, latest first",
         "getAgencyChecks");
  respond(paths["/api/v1/checks"]["get"], "200", "The agency's queue", "CheckLine",
          {{"items", json::array({line_example})}});
  paths["/api/v1/checks"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
      {"type", "object"},
      {"properties",
       {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/CheckLine"}}}}}}}};
  paths["/api/v1/checks/{id}"]["get"] =
      op("Read one check (audited). A partner sees only its own agency's checks, while open and "
         "for the access period after, and of the contact only the parts shared with it; any other "
         "id answers 404 exactly as one that does not exist",
         "getCheck", {{"parameters", id_param()}});
  respond(paths["/api/v1/checks/{id}"]["get"], "200", "The check", "Check", check_example);
  paths["/api/v1/checks/{id}/answer"]["post"] =
      op("Partner: answer a check, one answer for each person asked about (idempotent on "
         "partner_reference or Idempotency-Key)",
         "answerCheck",
         {{"parameters", id_param()},
          {"requestBody", body("CheckAnswer", {{"version", 1},
                                               {"answers", person_answers},
                                               {"partner_reference", "NICHE-MASH-2026-00912"}})}});
  respond(paths["/api/v1/checks/{id}/answer"]["post"], "200",
          "Answered (or, for a repeat of the same reference, the check as it is now)", "Check",
          check_example);
  paths["/api/v1/checks/{id}/sub-requests"]["post"] =
      op("Health: ask a health service (GP, health visitor, school nurse, mental health "
         "services) about people on your open check; tracked as a check of its own",
         "createSubRequest",
         {{"parameters", id_param()},
          {"requestBody",
           body("SubRequest", {{"service", "GP"},
                               {"people", {302}},
                               {"question", "Registered GP and recent attendances"}})}});
  respond(paths["/api/v1/checks/{id}/sub-requests"]["post"], "201",
          "Requested; Location is the new check's address", "Check", sub_request_example);
  paths["/api/v1/checks/{id}/sub-requests"]["post"]["responses"].erase("200");
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
