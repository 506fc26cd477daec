#pragma once
// The one access-control decision. Every request passes through
// app::AccessGate, which asks these functions; nothing else decides who may
// see or do what.
//
// Refusals of record reads come back as NotFound, never Forbidden, so that a
// user cannot learn by probing identifiers whether a record exists.
#include <optional>
#include <string>

#include "core/result.hpp"
#include "domain/actor.hpp"

namespace frontdoor::domain {

enum class Permission {
  kViewQueue,        // the MASH queue of contacts
  kRecordContact,    // record a contact taken by phone, e-mail or in person
  kViewContact,      // read a contact (subject to the relationship rules)
  kScreenContact,    // link children, rate urgency
  kProposeDecision,  // record a decision with rationale
  kSignOffDecision,  // manager: sign off with case direction, or send back
  kSearchPeople,
  kViewPerson,  // read a child's or adult's record (subject to relationship)
  kEditPerson,
  kSubmitReferralForm,   // partner e-MARF
  kApproveReferralForm,  // partner supervisor
  kViewOwnReferrals,
  kAdministerThresholds,
  kAdministerUsers,
  kViewAudit,  // who viewed a child
  kViewPerformance,
  kSubmitContactByApi,  // partner system
  kMergePeople,         // find duplicate person records; merge and unmerge them
  // The MASH enquiry (domain/enquiry.hpp).
  kRecordConsent,         // record consent to checks for a child
  kOverrideConsent,       // manager: agree checks without consent, with the lawful basis
  kRequestCheck,          // ask an agency to check its records; withdraw a check
  kViewCheck,             // read a check (a partner: only one addressed to their agency)
  kAnswerCheck,           // answer a check for the agency, and raise health sub-requests
  kViewAgencyQueue,       // an agency's own queue of checks
  kDecideBeforeChecksIn,  // manager: record why a decision cannot wait for checks
};

std::string_view to_string(Permission p);

// Role-based: may this role ever do this?
bool role_allows(Role role, Permission permission);

// How the actor stands to a particular contact.
struct ContactRelation {
  bool submitted_by_actor = false;  // they raised it (or their e-MARF became it)
  bool referrer_agency_is_actors = false;
};

// Why a read was allowed: written to the audit log beside the read.
struct AccessBasis {
  std::string reason;  // e.g. "MASH role", "submitted the referral"
};

// A read or action on one contact. Returns the basis, or NotFound/Forbidden.
Result<AccessBasis> authorize_contact(const Actor& actor, Permission permission,
                                      const ContactRelation& relation);

// How the actor stands to a particular person record.
struct PersonRelation {
  bool named_in_contact_submitted_by_actor = false;
  bool restricted = false;  // a restricted record: MASH managers and administrators only
};

Result<AccessBasis> authorize_person(const Actor& actor, Permission permission,
                                     const PersonRelation& relation);

// How the actor stands to a particular check (domain/enquiry.hpp).
struct CheckRelation {
  bool addressed_to_actors_agency = false;
  // Open, or answered or withdrawn no longer ago than the council's access
  // period (config check_access_days): a partner sees a check, and what the
  // MASH shared with it, only for that long.
  bool within_access_period = false;
};

// A read or action on one check. MASH roles by role; a partner practitioner
// or supervisor only for their own agency's checks within the access period,
// and otherwise NotFound, exactly as a check that does not exist.
Result<AccessBasis> authorize_check(const Actor& actor, Permission permission,
                                    const CheckRelation& relation);

// Actions that are not about one record (queue, search, administration).
Result<AccessBasis> authorize(const Actor& actor, Permission permission);

// Is this a MASH (council) role that sees all front-door work?
bool is_mash_role(Role role);

}  // namespace frontdoor::domain
