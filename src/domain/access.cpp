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
    case P::kRecordConsent:
      return "record_consent";
    case P::kOverrideConsent:
      return "override_consent";
    case P::kRequestCheck:
      return "request_check";
    case P::kViewCheck:
      return "view_check";
    case P::kAnswerCheck:
      return "answer_check";
    case P::kViewAgencyQueue:
      return "view_agency_queue";
    case P::kDecideBeforeChecksIn:
      return "decide_before_checks_in";
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
                    P::kProposeDecision, P::kSearchPeople, P::kViewPerson, P::kEditPerson,
                    P::kRecordConsent, P::kRequestCheck, P::kViewCheck});
    case R::kMashTeamManager:
      return in(p, {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact,
                    P::kProposeDecision, P::kSignOffDecision, P::kSearchPeople, P::kViewPerson,
                    P::kEditPerson, P::kViewAudit, P::kViewPerformance, P::kAdministerThresholds,
                    P::kMergePeople, P::kRecordConsent, P::kOverrideConsent, P::kRequestCheck,
                    P::kViewCheck, P::kDecideBeforeChecksIn});
    case R::kPartnerReferrer:
      return in(p, {P::kSubmitReferralForm, P::kViewOwnReferrals, P::kViewContact,
                    P::kSubmitContactByApi});
    case R::kPartnerSupervisor:
      // The agency's lead: approves its referrals, and sees and answers its
      // checks (overdue ones are escalated to them).
      return in(p, {P::kSubmitReferralForm, P::kApproveReferralForm, P::kViewOwnReferrals,
                    P::kViewContact, P::kViewCheck, P::kAnswerCheck, P::kViewAgencyQueue});
    case R::kPartnerPractitioner:
      // Sees only what they were asked about (authorize_check).
      // A partner system's account is a practitioner of its agency too: it
      // answers checks and sends contacts (police public protection notices).
      return in(p, {P::kSubmitReferralForm, P::kViewOwnReferrals, P::kViewContact, P::kViewCheck,
                    P::kAnswerCheck, P::kViewAgencyQueue, P::kSubmitContactByApi});
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

Result<AccessBasis> authorize_check(const Actor& actor, Permission permission,
                                    const CheckRelation& relation) {
  if (!role_allows(actor.role, permission)) {
    return is_mash_role(actor.role) ? Result<AccessBasis>{Error::forbidden()}
                                    : Result<AccessBasis>{Error::not_found()};
  }
  if (is_mash_role(actor.role)) return AccessBasis{std::string(role_label(actor.role))};
  if (relation.addressed_to_actors_agency && relation.within_access_period) {
    return AccessBasis{"asked to check by the MASH"};
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
