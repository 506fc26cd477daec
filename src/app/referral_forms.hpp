#pragma once
// The e-MARF: a partner's online referral. Drafts are saved as they go (each
// save an event); submission either creates the contact at once or, where the
// partner agency requires it, waits for a supervisor's approval. The time from
// starting the form to submitting it is recorded.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/accounts.hpp"
#include "app/contacts.hpp"
#include "core/result.hpp"
#include "domain/views.hpp"

namespace frontdoor::app {

using domain::FormStatus;
using domain::ReferralForm;

// The CIN census referral source a partner agency refers as by default.
std::string default_source_code(domain::AgencyKind kind);

// Builds what the contact says from a form's answers and the referrer.
Result<domain::ContactDetails> contact_details_from_answers(const nlohmann::json& answers,
                                                            const User& referrer,
                                                            Instant received_at);

class ReferralForms {
 public:
  ReferralForms(storage::Database& db, const Clock& clock, Contacts& contacts);

  Result<ReferralForm> start(const Principal& who);
  Result<ReferralForm> get(const Principal& who, std::int64_t id);
  Result<ReferralForm> save_draft(const Principal& who, std::int64_t id, nlohmann::json answers);
  // Validates the whole form; returns field errors without submitting if incomplete.
  Result<ReferralForm> submit(const Principal& who, std::int64_t id, nlohmann::json answers);
  Result<std::vector<ReferralForm>> mine(const Principal& who);
  Result<std::vector<ReferralForm>> awaiting_approval(const Principal& who);
  Result<ReferralForm> approve(const Principal& who, std::int64_t id);
  Result<ReferralForm> return_to_referrer(const Principal& who, std::int64_t id,
                                          const std::string& reason);

 private:
  Result<ReferralForm> command(const Principal& who, std::int64_t id, bool as_supervisor,
                               const std::function<Result<std::vector<domain::NewEvent>>(
                                   storage::Transaction&, const ReferralForm&)>& decide);
  storage::Database& db_;
  const Clock& clock_;
  Contacts& contacts_;
};

}  // namespace frontdoor::app
