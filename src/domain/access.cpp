#include "domain/access.hpp"

#include <array>
#include <initializer_list>

namespace frontdoor::domain {
namespace {

using P = Permission;
using R = Role;

bool in(P p, std::initializer_list<P> list) {
  for (P q : list) {
    if (q == p) return true;
  }
  return false;
}

}  // namespace

std::string_view to_string(Permission p) {
  switch (p) {
    case P::kViewQueue:
      return "view_queue";
    case P::kRecordContact:
      return "record_contact";
    case P::kViewContact:
      return "view_contact";
    case P::kScreenContact:
      return "screen_contact";
    case P::kProposeDecision:
      return "propose_decision";
    case P::kSignOffDecision:
      return "sign_off_decision";
    case P::kSearchPeople:
      return "search_people";
    case P::kViewPerson:
      return "view_person";
    case P::kEditPerson:
      return "edit_person";
    case P::kSubmitReferralForm:
      return "submit_referral_form";
    case P::kApproveReferralForm:
      return "approve_referral_form";
    case P::kViewOwnReferrals:
      return "view_own_referrals";
    case P::kAdministerThresholds:
      return "administer_thresholds";
    case P::kAdministerUsers:
      return "administer_users";
    case P::kViewAudit:
      return "view_audit";
    case P::kViewPerformance:
      return "view_performance";
    case P::kSubmitContactByApi:
      return "submit_contact_by_api";
    case P::kMergePeople:
      return "merge_people";
  }
  return "unknown";
}

bool is_mash_role(Role role) {
  return role == R::kMashSocialWorker || role == R::kMashTeamManager || role == R::kEdtSocialWorker;
}

bool role_allows(Role role, Permission p) {
  switch (role) {
    case R::kMashSocialWorker:
    case R::kEdtSocialWorker:
      return in(p, {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact,
                    P::kProposeDecision, P::kSearchPeople, P::kViewPerson, P::kEditPerson});
    case R::kMashTeamManager:
      return in(p, {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact,
                    P::kProposeDecision, P::kSignOffDecision, P::kSearchPeople, P::kViewPerson,
                    P::kEditPerson, P::kViewAudit, P::kViewPerformance, P::kAdministerThresholds,
                    P::kMergePeople});
    case R::kPartnerReferrer:
      return in(p, {P::kSubmitReferralForm, P::kViewOwnReferrals, P::kViewContact,
                    P::kSubmitContactByApi});
    case R::kPartnerSupervisor:
      return in(p, {P::kSubmitReferralForm, P::kApproveReferralForm, P::kViewOwnReferrals,
                    P::kViewContact});
    case R::kPartnerPractitioner:
      // Sees only what they were asked about: the enquiry issue adds checks.
      return in(p, {P::kSubmitReferralForm, P::kViewOwnReferrals, P::kViewContact});
    case R::kPerformanceAnalyst:
      return in(p, {P::kViewPerformance});
    case R::kSystemAdministrator:
      return in(
          p, {P::kAdministerUsers, P::kAdministerThresholds, P::kViewAudit, P::kViewPerformance});
  }
  return false;
}

Result<AccessBasis> authorize(const Actor& actor, Permission permission) {
  if (!role_allows(actor.role, permission)) return Error::forbidden();
  return AccessBasis{std::string(role_label(actor.role))};
}

Result<AccessBasis> authorize_contact(const Actor& actor, Permission permission,
                                      const ContactRelation& relation) {
  if (!role_allows(actor.role, permission)) {
    // A partner asking about someone else's contact learns nothing.
    return is_mash_role(actor.role) ? Result<AccessBasis>{Error::forbidden()}
                                    : Result<AccessBasis>{Error::not_found()};
  }
  if (is_mash_role(actor.role)) return AccessBasis{std::string(role_label(actor.role))};
  if (permission == P::kViewContact && relation.submitted_by_actor) {
    return AccessBasis{"submitted the referral"};
  }
  return Error::not_found();
}

Result<AccessBasis> authorize_person(const Actor& actor, Permission permission,
                                     const PersonRelation& relation) {
  if (relation.restricted && actor.role != R::kMashTeamManager) return Error::not_found();
  if (role_allows(actor.role, permission) && is_mash_role(actor.role)) {
    return AccessBasis{relation.restricted ? "restricted record: MASH team manager"
                                           : std::string(role_label(actor.role))};
  }
  return Error::not_found();
}

}  // namespace frontdoor::domain
