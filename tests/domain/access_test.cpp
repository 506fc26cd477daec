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
                                           P::kMergePeople};

// The expected matrix, written out independently of the implementation.
const std::map<Role, std::set<Permission>> kAllowed{
    {R::kMashSocialWorker,
     {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact, P::kProposeDecision,
      P::kSearchPeople, P::kViewPerson, P::kEditPerson}},
    {R::kEdtSocialWorker,
     {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact, P::kProposeDecision,
      P::kSearchPeople, P::kViewPerson, P::kEditPerson}},
    {R::kMashTeamManager,
     {P::kViewQueue, P::kRecordContact, P::kViewContact, P::kScreenContact, P::kProposeDecision,
      P::kSignOffDecision, P::kSearchPeople, P::kViewPerson, P::kEditPerson, P::kViewAudit,
      P::kViewPerformance, P::kAdministerThresholds, P::kMergePeople}},
    {R::kPartnerReferrer,
     {P::kSubmitReferralForm, P::kViewOwnReferrals, P::kViewContact, P::kSubmitContactByApi}},
    {R::kPartnerSupervisor,
     {P::kSubmitReferralForm, P::kApproveReferralForm, P::kViewOwnReferrals, P::kViewContact}},
    {R::kPartnerPractitioner, {P::kSubmitReferralForm, P::kViewOwnReferrals, P::kViewContact}},
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
