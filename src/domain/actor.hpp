#pragma once
// Who is acting: a user with the role and agency they held at that moment.
// Events copy the actor in full, so history stays true when people change jobs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace frontdoor::domain {

enum class Role {
  kMashSocialWorker,
  kMashTeamManager,
  kPartnerReferrer,      // a partner professional who raises concerns (e-MARF)
  kPartnerSupervisor,    // approves an agency's referrals before they reach the MASH
  kPartnerPractitioner,  // police, health or education practitioner in the MASH
  kEdtSocialWorker,      // out-of-hours emergency duty team
  kPerformanceAnalyst,
  kSystemAdministrator,
};

std::string_view to_string(Role role);   // "mash_social_worker", ...
std::string_view role_label(Role role);  // "MASH social worker", ...
std::optional<Role> parse_role(std::string_view text);

// Partner agencies are data; their kind says which checks they do.
enum class AgencyKind {
  kCouncil,
  kPolice,
  kHealth,
  kEducation,
  kProbation,
  kHousing,
  kVoluntary,
  kOther
};
std::string_view to_string(AgencyKind kind);
std::optional<AgencyKind> parse_agency_kind(std::string_view text);

struct Actor {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kMashSocialWorker;
  std::int64_t agency_id = 0;
  std::string agency_name;

  static Actor system() {
    Actor a;
    a.username = "system";
    a.display_name = "Frontdoor";
    a.role = Role::kSystemAdministrator;
    return a;
  }
  // Frontdoor itself (e-mails sent, scheduled work), not a person.
  bool is_system() const { return user_id == 0 && username == "system"; }
  // The role as a reader of the record should see it.
  std::string role_text() const {
    return is_system() ? std::string("Automatic") : std::string(role_label(role));
  }
};

}  // namespace frontdoor::domain
