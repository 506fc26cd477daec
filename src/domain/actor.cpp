#include "domain/actor.hpp"

#include <array>
#include <utility>

namespace frontdoor::domain {
namespace {

struct RoleName {
  Role role;
  std::string_view code;
  std::string_view label;
};

constexpr std::array<RoleName, 8> kRoles{{
    {Role::kMashSocialWorker, "mash_social_worker", "MASH social worker"},
    {Role::kMashTeamManager, "mash_team_manager", "MASH team manager"},
    {Role::kPartnerReferrer, "partner_referrer", "Partner referrer"},
    {Role::kPartnerSupervisor, "partner_supervisor", "Partner supervisor"},
    {Role::kPartnerPractitioner, "partner_practitioner", "Partner agency MASH practitioner"},
    {Role::kEdtSocialWorker, "edt_social_worker", "EDT social worker"},
    {Role::kPerformanceAnalyst, "performance_analyst", "Performance analyst"},
    {Role::kSystemAdministrator, "system_administrator", "System administrator"},
}};

constexpr std::array<std::pair<AgencyKind, std::string_view>, 8> kAgencyKinds{{
    {AgencyKind::kCouncil, "council"},
    {AgencyKind::kPolice, "police"},
    {AgencyKind::kHealth, "health"},
    {AgencyKind::kEducation, "education"},
    {AgencyKind::kProbation, "probation"},
    {AgencyKind::kHousing, "housing"},
    {AgencyKind::kVoluntary, "voluntary"},
    {AgencyKind::kOther, "other"},
}};

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.code;
  }
  return "unknown";
}

std::string_view role_label(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.label;
  }
  return "Unknown";
}

std::optional<Role> parse_role(std::string_view text) {
  for (const auto& r : kRoles) {
    if (r.code == text) return r.role;
  }
  return std::nullopt;
}

std::string_view to_string(AgencyKind kind) {
  for (const auto& [k, name] : kAgencyKinds) {
    if (k == kind) return name;
  }
  return "other";
}

std::optional<AgencyKind> parse_agency_kind(std::string_view text) {
  for (const auto& [k, name] : kAgencyKinds) {
    if (name == text) return k;
  }
  return std::nullopt;
}

}  // namespace frontdoor::domain
