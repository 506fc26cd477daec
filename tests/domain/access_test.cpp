// The one access decision: every role against every permission, and the
// record-level rules for contacts and people.
#include "domain/access.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace frontdoor::domain {
namespace {

using P = Permission;
using R = Role;

Actor actor(Role role) {
  Actor a;
  a.user_id = 7;
  a.username = "someone";
  a.role = role;
  a.agency_id = 3;
  return a;
}

const std::vector<Role> kRoles{R::kMashSocialWorker,   R::kMashTeamManager,     R::kPartnerReferrer,
                               R::kPartnerSupervisor,  R::kPartnerPractitioner, R::kEdtSocialWorker,
                               R::kPerformanceAnalyst, R::kSystemAdministrator};
const std::vector<Permission> kPermissions{P::kViewQueue,
                                           P::kRecordContact,
                                           P::kViewContact,
                                           P::kScreenContact,
                                           P::kProposeDecision,
                                           P::kSignOffDecision,
                                           P::kSearchPeople,
                                           P::kViewPerson,
                                           P::kEditPerson,
                                           P::kSubmitReferralForm,
                                           P::kApproveReferralForm,
                                           P::kViewOwnReferrals,
                                           P::kAdministerThresholds,
                                           P::kAdministerUsers,
                                           P::kViewAudit,
                                           P::kViewPerformance,
                                           P::kSubmitContactByApi,
                                           P::kMergePeople,
                                           P::kRecordConsent,
                                           P::kOverrideConsent,
                                           P::kRequestCheck,
                                           P::kViewCheck,
                                           P::kAnswerCheck,
                                           P::kViewAgencyQueue,
                                           P::kDecideBeforeChecksIn};

// The expected matrix, written out independently of the implementation.
const std::map<Role, std::set<Permission>> kAllowed{
    {R::kMashSocialWorker,
     {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact, P::kProposeDecision,
      P::kSearchPeople, P::kViewPerson, P::kEditPerson, P::kRecordConsent, P::kRequestCheck,
      P::kViewCheck}},
    {R::kEdtSocialWorker,
     {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact, P::kProposeDecision,
      P::kSearchPeople, P::kViewPerson, P::kEditPerson, P::kRecordConsent, P::kRequestCheck,
      P::kViewCheck}},
    {R::kMashTeamManager,
     {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact, P::kProposeDecision,
      P::kSignOffDecision, P::kSearchPeople, P::kViewPerson, P::kEditPerson, P::kViewAudit,
      P::kViewPerformance, P::kAdministerThresholds, P::kMergePeople, P::kRecordConsent,
      P::kOverrideConsent, P::kRequestCheck, P::kViewCheck, P::kDecideBeforeChecksIn}},
    {R::kPartnerReferrer,
     {P::kSubmitReferralForm, P::kViewOwnReferrals, P::kViewContact, P::kSubmitContactByApi}},
    {R::kPartnerSupervisor,
     {P::kSubmitReferralForm, P::kApproveReferralForm, P::kViewOwnReferrals, P::kViewContact,
      P::kViewCheck, P::kAnswerCheck, P::kViewAgencyQueue}},
    {R::kPartnerPractitioner,
     {P::kSubmitReferralForm, P::kViewOwnReferrals, P::kViewContact, P::kViewCheck, P::kAnswerCheck,
      P::kViewAgencyQueue, P::kSubmitContactByApi}},
    {R::kPerformanceAnalyst, {P::kViewPerformance}},
    {R::kSystemAdministrator,
     {P::kAdministerUsers, P::kAdministerThresholds, P::kViewAudit, P::kViewPerformance}},
};

TEST(Access, EveryRoleAgainstEveryPermission) {
  for (auto role : kRoles) {
    for (auto permission : kPermissions) {
      const bool expected = kAllowed.at(role).count(permission) != 0;
      EXPECT_EQ(role_allows(role, permission), expected)
          << role_label(role) << " / " << to_string(permission);
      auto decision = authorize(actor(role), permission);
      EXPECT_EQ(decision.ok(), expected);
      if (!expected) {
        EXPECT_EQ(decision.error().code, ErrorCode::kForbidden);
      }
    }
  }
}

TEST(Access, APartnerSeesOnlyTheirAgencysChecksAndOnlyWithinThePeriod) {
  const CheckRelation theirs_open{true, true};
  const CheckRelation theirs_expired{true, false};
  const CheckRelation another_agency{false, true};
  for (auto role : {R::kPartnerPractitioner, R::kPartnerSupervisor}) {
    auto seen = authorize_check(actor(role), P::kViewCheck, theirs_open);
    ASSERT_TRUE(seen.ok()) << role_label(role);
    EXPECT_EQ(seen->reason, "asked to check by the MASH");
    EXPECT_TRUE(authorize_check(actor(role), P::kAnswerCheck, theirs_open).ok());
    // Outside the period or another agency's: exactly as if it did not exist.
    for (const auto& relation : {theirs_expired, another_agency}) {
      for (auto permission : {P::kViewCheck, P::kAnswerCheck}) {
        auto refused = authorize_check(actor(role), permission, relation);
        ASSERT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
      }
    }
    // A partner never requests or withdraws checks.
    EXPECT_EQ(authorize_check(actor(role), P::kRequestCheck, theirs_open).error().code,
              ErrorCode::kNotFound);
  }
  // A referrer is never asked to check, even by their own agency.
  EXPECT_EQ(authorize_check(actor(R::kPartnerReferrer), P::kViewCheck, theirs_open).error().code,
            ErrorCode::kNotFound);
  // MASH roles see every check by their role; they do not answer for an agency.
  EXPECT_TRUE(authorize_check(actor(R::kMashSocialWorker), P::kViewCheck, {}).ok());
  EXPECT_EQ(authorize_check(actor(R::kMashSocialWorker), P::kAnswerCheck, {}).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(authorize_check(actor(R::kPerformanceAnalyst), P::kViewCheck, {}).error().code,
            ErrorCode::kNotFound);
}

TEST(Access, OnlyCouncilFrontDoorRolesAreMashRoles) {
  std::set<Role> mash;
  for (auto role : kRoles) {
    if (is_mash_role(role)) mash.insert(role);
  }
  EXPECT_EQ(mash, (std::set<Role>{R::kMashSocialWorker, R::kMashTeamManager, R::kEdtSocialWorker}));
}

TEST(Access, APartnerSeesAContactOnlyIfTheyRaisedIt) {
  ContactRelation none;
  ContactRelation same_agency;
  same_agency.referrer_agency_is_actors = true;
  ContactRelation raised;
  raised.submitted_by_actor = true;
  raised.referrer_agency_is_actors = true;
  for (auto role : {R::kPartnerReferrer, R::kPartnerPractitioner, R::kPartnerSupervisor}) {
    auto refused = authorize_contact(actor(role), P::kViewContact, none);
    ASSERT_FALSE(refused.ok());
    // Not found, never forbidden: probing identifiers reveals nothing.
    EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(authorize_contact(actor(role), P::kViewContact, same_agency).ok());
    auto allowed = authorize_contact(actor(role), P::kViewContact, raised);
    ASSERT_TRUE(allowed.ok()) << role_label(role);
    EXPECT_FALSE(allowed->reason.empty());
    // Raising a contact never lets a partner act on it.
    EXPECT_EQ(authorize_contact(actor(role), P::kScreenContact, raised).error().code,
              ErrorCode::kNotFound);
  }
}

TEST(Access, MashRolesSeeEveryContactAndManagersAloneSignOff) {
  ContactRelation none;
  for (auto role : {R::kMashSocialWorker, R::kMashTeamManager, R::kEdtSocialWorker}) {
    EXPECT_TRUE(authorize_contact(actor(role), P::kViewContact, none).ok());
  }
  EXPECT_TRUE(authorize_contact(actor(R::kMashTeamManager), P::kSignOffDecision, none).ok());
  auto worker = authorize_contact(actor(R::kMashSocialWorker), P::kSignOffDecision, none);
  ASSERT_FALSE(worker.ok());
  EXPECT_EQ(worker.error().code, ErrorCode::kForbidden);
}

TEST(Access, RestrictedPeopleAreForManagersOnly) {
  PersonRelation restricted;
  restricted.restricted = true;
  PersonRelation ordinary;
  EXPECT_TRUE(authorize_person(actor(R::kMashSocialWorker), P::kViewPerson, ordinary).ok());
  auto refused = authorize_person(actor(R::kMashSocialWorker), P::kViewPerson, restricted);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(authorize_person(actor(R::kMashTeamManager), P::kViewPerson, restricted).ok());
  // Partners never read person records directly.
  EXPECT_FALSE(authorize_person(actor(R::kPartnerReferrer), P::kViewPerson, ordinary).ok());
  EXPECT_FALSE(authorize_person(actor(R::kPerformanceAnalyst), P::kViewPerson, ordinary).ok());
}

}  // namespace
}  // namespace frontdoor::domain
