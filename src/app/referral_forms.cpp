#include "app/referral_forms.hpp"

#include "app/records.hpp"
#include "core/json.hpp"
#include "domain/access.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::app {

using domain::Permission;
using storage::Transaction;

namespace {

std::string form_stream(std::int64_t id) {
  return "form/" + std::to_string(id);
}

namespace fe {
constexpr const char* kStarted = "ReferralFormStarted";
constexpr const char* kDraftSaved = "ReferralFormDraftSaved";
constexpr const char* kSubmitted = "ReferralFormSubmitted";
constexpr const char* kAwaitingApproval = "ReferralFormAwaitingApproval";
constexpr const char* kApproved = "ReferralFormApproved";
constexpr const char* kReturned = "ReferralFormReturned";
}  // namespace fe

void apply_form(ReferralForm& f, const domain::RecordedEvent& e) {
  f.version = e.stream_version;
  f.updated_at = e.occurred_at;
  const auto& p = e.payload;
  if (e.type == fe::kStarted) {
    f.owner_user_id = p.at("owner_user_id").get<std::int64_t>();
    f.agency_id = p.at("agency_id").get<std::int64_t>();
    f.started_at = e.occurred_at;
  } else if (e.type == fe::kDraftSaved) {
    f.answers = p.at("answers");
  } else if (e.type == fe::kAwaitingApproval) {
    f.answers = p.at("answers");
    f.status = FormStatus::kAwaitingApproval;
    f.completion_seconds = p.value("completion_seconds", std::int64_t{0});
  } else if (e.type == fe::kSubmitted) {
    if (p.contains("answers")) f.answers = p.at("answers");
    f.status = FormStatus::kSubmitted;
    f.submitted_at = e.occurred_at;
    f.contact_id = p.at("contact_id").get<std::int64_t>();
    if (p.contains("completion_seconds"))
      f.completion_seconds = p.at("completion_seconds").get<std::int64_t>();
  } else if (e.type == fe::kReturned) {
    f.status = FormStatus::kDraft;
    f.returned_reasons.push_back(e.reason.value_or(""));
  }
}

Result<ReferralForm> load_form(Transaction& tx, std::int64_t id) {
  FD_ASSIGN_OR_RETURN(auto events, storage::EventStore::read_stream(tx, form_stream(id)));
  if (events.empty()) return Error::not_found("No such referral form");
  ReferralForm f;
  f.id = id;
  for (const auto& e : events) apply_form(f, e);
  return f;
}

Status project_form(Transaction& tx, const ReferralForm& f) {
  return tx.exec(
      "INSERT INTO referral_forms (id, owner_user_id, agency_id, status, started_at, updated_at, "
      "submitted_at, contact_id, version, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
      "(id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, submitted_at "
      "= "
      "excluded.submitted_at, contact_id = excluded.contact_id, version = excluded.version, state "
      "= "
      "excluded.state",
      {f.id, f.owner_user_id, f.agency_id, std::string(to_string(f.status)),
       format_utc(f.started_at), format_utc(f.updated_at),
       f.submitted_at ? storage::Value{format_utc(*f.submitted_at)} : storage::Value{nullptr},
       storage::opt(f.contact_id), f.version, f.answers.dump()});
}

std::string text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::chrono::sys_days> date(const nlohmann::json& j, const char* key,
                                          std::vector<FieldError>& errors, const std::string& field,
                                          const std::string& what) {
  const std::string value = text(j, key);
  if (value.empty()) return std::nullopt;
  auto parsed = parse_date(value);
  if (!parsed) errors.push_back({field, what + " must be a real date"});
  return parsed;
}

}  // namespace

std::string default_source_code(domain::AgencyKind kind) {
  switch (kind) {
    case domain::AgencyKind::kPolice:
      return "6";
    case domain::AgencyKind::kHealth:
      return "3F";
    case domain::AgencyKind::kEducation:
      return "2A";
    case domain::AgencyKind::kHousing:
      return "4";
    case domain::AgencyKind::kCouncil:
      return "5B";
    case domain::AgencyKind::kProbation:
      return "7";
    case domain::AgencyKind::kVoluntary:
    case domain::AgencyKind::kOther:
      return "8";
  }
  return "8";
}

Result<domain::ContactDetails> contact_details_from_answers(const nlohmann::json& a,
                                                            const User& referrer,
                                                            Instant received_at) {
  std::vector<FieldError> errors;
  domain::ContactDetails d;
  d.channel = domain::ContactChannel::kReferralForm;
  d.source_code = text(a, "source_code").empty() ? default_source_code(referrer.agency.kind)
                                                 : text(a, "source_code");
  d.received_at = received_at;
  d.referrer.name = referrer.display_name;
  d.referrer.role = text(a, "referrer_role");
  d.referrer.agency_id = referrer.agency.id;
  d.referrer.agency_name = referrer.agency.name;
  d.referrer.email = referrer.email;
  d.referrer.phone = text(a, "referrer_phone");
  d.submitted_by_user_id = referrer.id;
  const auto children = a.value("children", nlohmann::json::array());
  for (std::size_t i = 0; i < children.size(); ++i) {
    const auto& c = children[i];
    const std::string prefix = "children[" + std::to_string(i) + "].";
    domain::ChildOnContact child;
    child.given_name = text(c, "given_name");
    child.family_name = text(c, "family_name");
    child.unborn = text(c, "unborn") == "yes" || c.value("unborn", nlohmann::json(false)) == true;
    child.date_of_birth =
        date(c, "date_of_birth", errors, prefix + "date_of_birth", "Date of birth");
    child.expected_date_of_birth =
        date(c, "expected_date_of_birth", errors, prefix + "expected_date_of_birth",
             "Expected date of birth");
    child.sex = text(c, "sex").empty() ? "0" : text(c, "sex");
    if (child.given_name.empty() && child.family_name.empty() && !child.date_of_birth &&
        !child.unborn)
      continue;
    d.children.push_back(std::move(child));
  }
  for (const auto& ad : a.value("adults", nlohmann::json::array())) {
    domain::AdultOnContact adult;
    adult.given_name = text(ad, "given_name");
    adult.family_name = text(ad, "family_name");
    adult.relationship = text(ad, "relationship");
    adult.address = text(ad, "address");
    if (adult.given_name.empty() && adult.family_name.empty()) continue;
    d.adults.push_back(std::move(adult));
  }
  d.address_line = text(a, "address_line");
  d.postcode = text(a, "postcode");
  d.concerns = text(a, "concerns");
  d.child_views = text(a, "child_views");
  d.family_aware =
      domain::parse_family_aware(text(a, "family_aware")).value_or(domain::FamilyAware::kNotKnown);
  d.consent = domain::parse_consent(text(a, "consent")).value_or(domain::ConsentStatus::kNotKnown);
  d.consent_notes = text(a, "consent_notes");
  if (text(a, "family_aware").empty())
    errors.push_back({"family_aware", "Select whether the family knows about this referral"});
  if (text(a, "consent").empty())
    errors.push_back({"consent", "Select whether the family consented to the referral"});
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return d;
}

ReferralForms::ReferralForms(storage::Database& db, const Clock& clock, Contacts& contacts)
    : db_(db), clock_(clock), contacts_(contacts) {}

Result<ReferralForm> ReferralForms::start(const Principal& who) {
  const auto actor = who.user.actor();
  FD_TRY(domain::authorize(actor, Permission::kSubmitReferralForm));
  const Instant now = clock_.now();
  std::optional<ReferralForm> form;
  FD_TRY(db_.write([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(const std::int64_t id, next_id(tx, "referral_forms"));
    domain::NewEvent e;
    e.type = fe::kStarted;
    e.payload = {{"owner_user_id", who.user.id}, {"agency_id", who.user.agency.id}};
    FD_ASSIGN_OR_RETURN(
        auto stored,
        storage::EventStore::append(tx, form_stream(id), storage::kNewStream, actor, {e}, now));
    ReferralForm f;
    f.id = id;
    for (const auto& s : stored) apply_form(f, s);
    FD_TRY(project_form(tx, f));
    form = f;
    return ok_status();
  }));
  return *form;
}

Result<ReferralForm> ReferralForms::command(
    const Principal& who, std::int64_t id, bool as_supervisor,
    const std::function<Result<std::vector<domain::NewEvent>>(Transaction&, const ReferralForm&)>&
        decide) {
  const auto actor = who.user.actor();
  const auto permission =
      as_supervisor ? Permission::kApproveReferralForm : Permission::kSubmitReferralForm;
  FD_TRY(domain::authorize(actor, permission));
  const Instant now = clock_.now();
  std::optional<ReferralForm> form;
  auto work = [&](Transaction& tx) -> Status {
    auto loaded = load_form(tx, id);
    // Someone else's form, or another agency's, is simply not there.
    if (!loaded.ok()) return Error::not_found("No such referral form");
    ReferralForm f = std::move(loaded).value();
    const bool mine = f.owner_user_id == who.user.id;
    const bool my_agency = f.agency_id == who.user.agency.id;
    if (as_supervisor ? !my_agency : !mine) return Error::not_found("No such referral form");
    FD_ASSIGN_OR_RETURN(auto events, decide(tx, f));
    FD_ASSIGN_OR_RETURN(auto stored, storage::EventStore::append(tx, form_stream(id), f.version,
                                                                 actor, std::move(events), now));
    for (const auto& s : stored) apply_form(f, s);
    FD_TRY(project_form(tx, f));
    form = std::move(f);
    return ok_status();
  };
  FD_TRY(log_if_refused(db_, actor, now, std::string(domain::to_string(permission)),
                        form_stream(id), db_.write(work)));
  return *form;
}

Result<ReferralForm> ReferralForms::get(const Principal& who, std::int64_t id) {
  const auto actor = who.user.actor();
  FD_TRY(domain::authorize(actor, Permission::kSubmitReferralForm));
  std::optional<ReferralForm> form;
  auto work = [&](Transaction& tx) -> Status {
    auto loaded = load_form(tx, id);
    if (!loaded.ok()) return Error::not_found("No such referral form");
    const bool supervisor = who.user.role == domain::Role::kPartnerSupervisor &&
                            loaded->agency_id == who.user.agency.id;
    if (loaded->owner_user_id != who.user.id && !supervisor)
      return Error::not_found("No such referral form");
    form = std::move(loaded).value();
    return ok_status();
  };
  // A refused look is logged like a refused change.
  FD_TRY(log_if_refused(db_, actor, clock_.now(), "view", form_stream(id), db_.read(work)));
  return *form;
}

Result<ReferralForm> ReferralForms::save_draft(const Principal& who, std::int64_t id,
                                               nlohmann::json answers) {
  return command(who, id, false,
                 [&](Transaction&, const ReferralForm& f) -> Result<std::vector<domain::NewEvent>> {
                   if (f.status != FormStatus::kDraft) {
                     return Error::invalid_transition(
                         "This referral has already been sent and cannot be changed");
                   }
                   domain::NewEvent e;
                   e.type = fe::kDraftSaved;
                   e.payload = {{"answers", answers}};
                   return std::vector<domain::NewEvent>{e};
                 });
}

Result<ReferralForm> ReferralForms::submit(const Principal& who, std::int64_t id,
                                           nlohmann::json answers) {
  const Instant now = clock_.now();
  return command(
      who, id, false,
      [&](Transaction& tx, const ReferralForm& f) -> Result<std::vector<domain::NewEvent>> {
        if (f.status != FormStatus::kDraft) {
          return Error::invalid_transition("This referral has already been sent");
        }
        FD_ASSIGN_OR_RETURN(auto details, contact_details_from_answers(answers, who.user, now));
        FD_TRY(domain::validate_contact_details(details, now));
        const auto completion =
            std::chrono::duration_cast<std::chrono::seconds>(now - f.started_at).count();
        domain::NewEvent e;
        if (who.user.agency.requires_supervisor_approval) {
          e.type = fe::kAwaitingApproval;
          e.payload = {{"answers", answers}, {"completion_seconds", completion}};
          return std::vector<domain::NewEvent>{e};
        }
        details.referral_form_id = f.id;
        FD_ASSIGN_OR_RETURN(auto contact, contacts_.record_in(tx, who.user.actor(),
                                                              std::move(details), std::nullopt));
        e.type = fe::kSubmitted;
        e.payload = {
            {"answers", answers}, {"contact_id", contact.id}, {"completion_seconds", completion}};
        return std::vector<domain::NewEvent>{e};
      });
}

Result<std::vector<ReferralForm>> ReferralForms::mine(const Principal& who) {
  FD_TRY(domain::authorize(who.user.actor(), Permission::kSubmitReferralForm));
  std::vector<ReferralForm> out;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT id FROM referral_forms WHERE owner_user_id = ? "
                                            "ORDER BY updated_at DESC LIMIT 200",
                                            {who.user.id}));
    for (const auto& r : rows) {
      FD_ASSIGN_OR_RETURN(auto f, load_form(tx, r.integer(0)));
      out.push_back(std::move(f));
    }
    return ok_status();
  }));
  return out;
}

Result<std::vector<ReferralForm>> ReferralForms::awaiting_approval(const Principal& who) {
  FD_TRY(domain::authorize(who.user.actor(), Permission::kApproveReferralForm));
  std::vector<ReferralForm> out;
  FD_TRY(db_.read([&](Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT id FROM referral_forms WHERE agency_id = ? AND "
                                            "status = 'awaiting_approval' ORDER BY updated_at",
                                            {who.user.agency.id}));
    for (const auto& r : rows) {
      FD_ASSIGN_OR_RETURN(auto f, load_form(tx, r.integer(0)));
      out.push_back(std::move(f));
    }
    return ok_status();
  }));
  return out;
}

Result<ReferralForm> ReferralForms::approve(const Principal& who, std::int64_t id) {
  const Instant now = clock_.now();
  return command(
      who, id, true,
      [&](Transaction& tx, const ReferralForm& f) -> Result<std::vector<domain::NewEvent>> {
        if (f.status != FormStatus::kAwaitingApproval) {
          return Error::invalid_transition("This referral is not waiting for approval");
        }
        // The contact is the referrer's, received now that it reaches the MASH.
        FD_ASSIGN_OR_RETURN(auto owner, Accounts::user_in(tx, f.owner_user_id));
        FD_ASSIGN_OR_RETURN(auto details, contact_details_from_answers(f.answers, owner, now));
        details.referral_form_id = f.id;
        FD_ASSIGN_OR_RETURN(
            auto contact, contacts_.record_in(tx, owner.actor(), std::move(details), std::nullopt));
        domain::NewEvent approved;
        approved.type = fe::kApproved;
        domain::NewEvent submitted;
        submitted.type = fe::kSubmitted;
        submitted.payload = {{"contact_id", contact.id}};
        return std::vector<domain::NewEvent>{approved, submitted};
      });
}

Result<ReferralForm> ReferralForms::return_to_referrer(const Principal& who, std::int64_t id,
                                                       const std::string& reason) {
  return command(who, id, true,
                 [&](Transaction&, const ReferralForm& f) -> Result<std::vector<domain::NewEvent>> {
                   if (f.status != FormStatus::kAwaitingApproval) {
                     return Error::invalid_transition("This referral is not waiting for approval");
                   }
                   if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
                     return Error::field("reason", "Enter what the referrer needs to change");
                   }
                   domain::NewEvent e;
                   e.type = fe::kReturned;
                   e.reason = reason;
                   return std::vector<domain::NewEvent>{e};
                 });
}

}  // namespace frontdoor::app
