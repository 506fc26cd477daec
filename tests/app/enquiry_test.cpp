// The MASH enquiry in the service (issue #3): consent before checks, checks
// as each agency's tracked work, what a partner may see of them (and that
// everything else answers exactly as a check that does not exist), every
// read audited, the decision held until the checks are in, and the figures.
// Runs on SQLite, and on PostgreSQL when the test command provides one.
#include <gtest/gtest.h>

#include "app_test_fixture.hpp"
#include "storage/audit_log.hpp"

namespace frontdoor::testing {
namespace {

using namespace std::chrono;

class Enquiry : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    add_user("pcmash", "DC Price", domain::Role::kPartnerPractitioner, "POL");
    add_user("dsl", "Liz School", domain::Role::kPartnerPractitioner, "SCH");
    worker_ = sign_in("worker");
    manager_ = sign_in("manager");
    nurse_ = sign_in("nurse");
    police_ = sign_in("pcmash");
    school_ = sign_in("dsl");
  }

  app::Principal sign_in(const std::string& username) {
    auto s = app_->accounts().sign_in(username, kPassword, "127.0.0.1");
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s->principal;
  }

  // A contact about one child and two adults (one at another address),
  // received a few minutes ago, the child linked and the contact rated.
  domain::ContactState screened_contact(domain::RagRating rag = domain::RagRating::kRed) {
    domain::ContactDetails d;
    d.channel = domain::ContactChannel::kPhone;
    d.source_code = "2A";
    d.received_at = clock_->now() - minutes{10};
    d.referrer = domain::Referrer{"PC Whitlock",       "Constable",         agency_id("POL"),
                                  "Test Constabulary", "whitlock@pol.test", "01632 960111"};
    domain::ChildOnContact c;
    c.given_name = "Rowan";
    c.family_name = "Quarry";
    c.date_of_birth = sys_days{year{2016} / March / 2};
    d.children.push_back(c);
    domain::AdultOnContact mother;
    mother.given_name = "Tess";
    mother.family_name = "Quarry";
    mother.relationship = "mother";
    domain::AdultOnContact father;
    father.given_name = "Clem";
    father.family_name = "Ardley";
    father.relationship = "father";
    father.address = "9 Mill Lane, Other Town";
    d.adults = {mother, father};
    d.address_line = "4 Canal Side, Test Town";
    d.postcode = "TT1 4QX";
    d.concerns = "Neighbours heard shouting and a child crying late at night.";
    auto contact = app_->contacts().record(worker_, d);
    EXPECT_TRUE(contact.ok()) << contact.error().message;
    auto linked = app_->contacts().link_new_person(worker_, contact->id, contact->version, 0);
    EXPECT_TRUE(linked.ok()) << linked.error().message;
    auto rated = app_->contacts().screen(worker_, linked->id, linked->version, rag, "Young child");
    EXPECT_TRUE(rated.ok()) << rated.error().message;
    return *rated;
  }

  void override_consent(std::int64_t contact_id) {
    auto e = app_->enquiries().enquiry(worker_, contact_id, false);
    ASSERT_TRUE(e.ok());
    auto o = app_->enquiries().override_consent(
        manager_, contact_id, e->consent.version, 0, domain::LawfulBasis::kRiskOfHarm,
        "Asking the mother would alert the father, who is the alleged perpetrator");
    ASSERT_TRUE(o.ok()) << o.error().message;
  }

  app::CheckInput everyone(const std::string& agency, std::vector<domain::SharedPart> shared = {
                                                          domain::SharedPart::kConcerns}) {
    app::CheckInput in;
    in.agency_id = agency_id(agency);
    using K = app::EnquirySubject::Kind;
    in.people = {
        {K::kChild, 0, {}, "", ""}, {K::kAdult, 0, {}, "", ""}, {K::kAdult, 1, {}, "", ""}};
    in.question = "What do you hold about these people?";
    in.shared = std::move(shared);
    return in;
  }

  std::vector<storage::AuditEntry> audit_of(const std::string& subject) {
    std::vector<storage::AuditEntry> out;
    EXPECT_TRUE(app_->db()
                    .read([&](storage::Transaction& tx) -> Status {
                      FD_ASSIGN_OR_RETURN(out, storage::AuditLog::for_subject(tx, subject));
                      return ok_status();
                    })
                    .ok());
    return out;
  }

  std::vector<domain::PersonAnswer> not_known(const domain::CheckState& c) {
    std::vector<domain::PersonAnswer> out;
    for (const auto id : c.people) out.push_back({id, false, "", "", "", "", ""});
    return out;
  }

  app::Principal worker_, manager_, nurse_, police_, school_;
};

TEST_F(Enquiry, ChecksWaitForConsentOrAManagersRecordedOverrideNeverSilently) {
  const auto contact = screened_contact();
  auto refused = app_->enquiries().request(worker_, contact.id, everyone("POL"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "consent");
  EXPECT_NE(refused.error().fields.at(0).message.find("Rowan Quarry"), std::string::npos);

  // Sought but not yet answered: still waiting, and the refusal says what to record.
  auto sought = app_->enquiries().record_consent(worker_, contact.id, 0,
                                                 {0, domain::ConsentDecision::kSought, "", ""});
  ASSERT_TRUE(sought.ok()) << sought.error().message;
  EXPECT_FALSE(app_->enquiries().request(worker_, contact.id, everyone("POL")).ok());

  // A social worker cannot agree an override; a stale version is a conflict.
  auto not_manager = app_->enquiries().override_consent(worker_, contact.id, sought->version, 0,
                                                        domain::LawfulBasis::kRiskOfHarm, "Urgent");
  EXPECT_EQ(not_manager.error().code, ErrorCode::kForbidden);
  auto stale = app_->enquiries().override_consent(manager_, contact.id, 0, 0,
                                                  domain::LawfulBasis::kRiskOfHarm, "Urgent");
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  auto no_reason = app_->enquiries().override_consent(manager_, contact.id, sought->version, 0,
                                                      domain::LawfulBasis::kRiskOfHarm, " ");
  EXPECT_FALSE(no_reason.ok());

  override_consent(contact.id);
  auto view = app_->enquiries().enquiry(worker_, contact.id, true);
  ASSERT_TRUE(view.ok());
  const auto* consent = view->consent.consent_for(0);
  ASSERT_NE(consent, nullptr);
  ASSERT_TRUE(consent->override.has_value());
  EXPECT_EQ(consent->override->manager_name, "Maya Manager");
  EXPECT_EQ(consent->override->manager_user_id, user_id("manager"));
  EXPECT_EQ(consent->override->basis, domain::LawfulBasis::kRiskOfHarm);
  EXPECT_TRUE(app_->enquiries().request(worker_, contact.id, everyone("POL")).ok());
  // The audited read of the enquiry is logged as a read of the contact.
  const auto log = audit_of("contact/" + std::to_string(contact.id));
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front().action, "view_enquiry");
  EXPECT_EQ(log.front().actor.username, "worker");
}

TEST_F(Enquiry, ACheckIsDueByTheRatingAndAdultsGetPersonRecords) {
  const auto contact = screened_contact(domain::RagRating::kAmber);
  override_consent(contact.id);
  const Instant asked = clock_->now();
  auto check = app_->enquiries().request(worker_, contact.id, everyone("NHS"));
  ASSERT_TRUE(check.ok()) << check.error().message;
  // Amber: 6 clock hours from the request (the default check policy).
  EXPECT_EQ(check->due_at, asked + hours{6});
  EXPECT_EQ(check->clock, domain::TimeLimit::kClockHours);
  EXPECT_EQ(check->agency_name, "Test NHS Trust");
  ASSERT_EQ(check->people.size(), 3U);
  // Both adults now have person records, linked to the contact by events.
  auto after = app_->contacts().view(worker_, contact.id);
  ASSERT_TRUE(after.ok());
  ASSERT_TRUE(after->contact.details.adults[0].person_id.has_value());
  ASSERT_TRUE(after->contact.details.adults[1].person_id.has_value());
  auto father = app_->people().view(worker_, *after->contact.details.adults[1].person_id);
  ASSERT_TRUE(father.ok());
  EXPECT_EQ(father->person.details.kind, domain::PersonKind::kAdult);
  EXPECT_EQ(father->person.details.address->line, "9 Mill Lane, Other Town");
  // Asking again reuses the records rather than making new ones.
  auto again = app_->enquiries().request(worker_, contact.id, everyone("SCH"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->people, check->people);
  // Someone not on the contact cannot be asked about.
  auto in = everyone("POL");
  in.people.push_back({app::EnquirySubject::Kind::kAdult, 5, {}, "", ""});
  EXPECT_EQ(app_->enquiries().request(worker_, contact.id, in).error().fields.at(0).field,
            "people");
}

TEST_F(Enquiry, APartnerSeesOnlyTheirAgencysChecksOnlyTheSharedPartsAndEveryViewIsLogged) {
  const auto contact = screened_contact();
  override_consent(contact.id);
  auto health = app_->enquiries().request(worker_, contact.id, everyone("NHS"));
  auto police = app_->enquiries().request(
      worker_, contact.id,
      everyone("POL", {domain::SharedPart::kConcerns, domain::SharedPart::kAddress}));
  ASSERT_TRUE(health.ok() && police.ok());

  // Each agency's queue holds its own check only.
  auto nurse_queue = app_->enquiries().agency_queue(nurse_);
  ASSERT_TRUE(nurse_queue.ok());
  ASSERT_EQ(nurse_queue->size(), 1U);
  EXPECT_EQ(nurse_queue->front().id, health->id);
  auto school_queue = app_->enquiries().agency_queue(school_);
  ASSERT_TRUE(school_queue.ok());
  EXPECT_TRUE(school_queue->empty());
  EXPECT_EQ(app_->enquiries().agency_queue(worker_).error().code, ErrorCode::kForbidden);

  // The nurse reads the health check: the people asked about, the concerns;
  // not the address, the household or the referrer, which were not shared.
  auto seen = app_->enquiries().view(nurse_, health->id);
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  EXPECT_EQ(seen->people.size(), 3U);
  EXPECT_EQ(seen->concerns, contact.details.concerns);
  EXPECT_TRUE(seen->address.empty());
  EXPECT_TRUE(seen->referrer.empty());
  EXPECT_EQ(seen->access_basis, "asked to check by the MASH");
  auto police_seen = app_->enquiries().view(police_, police->id);
  ASSERT_TRUE(police_seen.ok());
  EXPECT_EQ(police_seen->address, "4 Canal Side, Test Town, TT1 4QX");

  // Another agency's check, and a guessed id, answer exactly alike.
  auto other = app_->enquiries().view(nurse_, police->id);
  auto guessed = app_->enquiries().view(nurse_, police->id + 1000);
  ASSERT_FALSE(other.ok());
  ASSERT_FALSE(guessed.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(other.error().code, guessed.error().code);
  EXPECT_EQ(other.error().message, guessed.error().message);
  EXPECT_EQ(app_->enquiries()
                .answer(nurse_, police->id, police->version, not_known(*police))
                .error()
                .message,
            guessed.error().message);
  // A partner practitioner has no view of the contact or the people themselves.
  EXPECT_EQ(app_->contacts().view(nurse_, contact.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(app_->enquiries().enquiry(nurse_, contact.id, true).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(app_->people().view(nurse_, health->people.front()).ok());

  // Every read is logged, allowed or refused, against the check.
  auto log = audit_of("check/" + std::to_string(health->id));
  ASSERT_EQ(log.size(), 1U);
  EXPECT_EQ(log[0].actor.username, "nurse");
  EXPECT_EQ(log[0].outcome, storage::AuditOutcome::kAllowed);
  auto refusals = audit_of("check/" + std::to_string(police->id));
  ASSERT_GE(refusals.size(), 2U);  // the police officer's read, then the nurse's refusals
  EXPECT_EQ(refusals[0].actor.username, "nurse");
  EXPECT_EQ(refusals[0].outcome, storage::AuditOutcome::kRefused);
  // The child's "who viewed" log shows the nurse's read of the check about them.
  auto viewers = app_->people().viewers(manager_, health->people.front());
  ASSERT_TRUE(viewers.ok());
  bool nurse_listed = false;
  for (const auto& entry : viewers->entries) {
    if (entry.actor.username == "nurse" && entry.outcome == storage::AuditOutcome::kAllowed) {
      nurse_listed = true;
    }
  }
  EXPECT_TRUE(nurse_listed);

  // Answered, the check stays visible for the access period, then is gone.
  ASSERT_TRUE(
      app_->enquiries().answer(nurse_, health->id, health->version, not_known(*health)).ok());
  clock_->advance(hours{24 * 7} - minutes{1});
  EXPECT_TRUE(app_->enquiries().view(nurse_, health->id).ok());
  clock_->advance(minutes{2});
  auto expired = app_->enquiries().view(nurse_, health->id);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().message, guessed.error().message);
  EXPECT_TRUE(app_->enquiries().agency_queue(nurse_)->empty());
  // The MASH still sees it.
  EXPECT_TRUE(app_->enquiries().view(worker_, health->id).ok());
}

TEST_F(Enquiry, HealthAnswersRaisesAGpRequestAndTheDecisionWaitsForEveryCheck) {
  const auto contact = screened_contact();
  override_consent(contact.id);
  auto health = app_->enquiries().request(worker_, contact.id, everyone("NHS"));
  auto school = app_->enquiries().request(worker_, contact.id, everyone("SCH"));
  ASSERT_TRUE(health.ok() && school.ok());
  auto answers = not_known(*health);
  answers[0] = {answers[0].person_id,
                true,
                "Missed two health visitor appointments",
                "Neglect indicators",
                "Medium",
                "SystmOne",
                "HV-2291"};
  auto answered = app_->enquiries().answer(nurse_, health->id, health->version, answers);
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  // A GP request, about the child only, tracked as its own check.
  auto gp = app_->enquiries().sub_request(
      nurse_, health->id, {"GP", {health->people.front()}, "Registered? Recent attendances?"});
  ASSERT_TRUE(gp.ok()) << gp.error().message;
  EXPECT_EQ(gp->parent_check, health->id);
  EXPECT_EQ(gp->service, "GP");
  EXPECT_EQ(gp->agency_id, agency_id("NHS"));
  // Only health checks open sub-requests, for their own people, to known services.
  EXPECT_FALSE(app_->enquiries()
                   .sub_request(school_, school->id, {"GP", {school->people.front()}, "?"})
                   .ok());
  EXPECT_FALSE(app_->enquiries().sub_request(nurse_, health->id, {"Dentist", {}, "?"}).ok());
  EXPECT_FALSE(app_->enquiries().sub_request(nurse_, health->id, {"GP", {999999}, "?"}).ok());
  // The MASH sees the sub-request on the health check.
  auto mash_view = app_->enquiries().view(worker_, health->id);
  ASSERT_TRUE(mash_view.ok());
  ASSERT_EQ(mash_view->sub_requests.size(), 1U);
  EXPECT_EQ(mash_view->sub_requests[0].id, gp->id);

  domain::DecisionCommand cmd;
  cmd.outcome = domain::Outcome::kStrategyDiscussion;
  cmd.level = 4;
  cmd.indicators = {"4.1"};
  cmd.rationale = "Neglect and domestic abuse";
  cmd.next_steps = "Strategy discussion";
  cmd.relied_on_checks = {health->id};
  auto current = [&] { return app_->contacts().view(worker_, contact.id)->contact.version; };
  auto waiting = app_->contacts().record_decision(worker_, contact.id, current(), cmd);
  ASSERT_FALSE(waiting.ok());
  EXPECT_EQ(waiting.error().code, ErrorCode::kInvalidTransition);
  EXPECT_NE(waiting.error().message.find("2 checks are still outstanding"), std::string::npos);
  // The GP answers through the health practitioner; education still out.
  ASSERT_TRUE(app_->enquiries().answer(nurse_, gp->id, gp->version, not_known(*gp)).ok());
  EXPECT_NE(app_->contacts()
                .record_decision(worker_, contact.id, current(), cmd)
                .error()
                .message.find("1 check is still outstanding"),
            std::string::npos);
  // Only a manager may record why the decision cannot wait.
  EXPECT_EQ(
      app_->contacts().allow_early_decision(worker_, contact.id, current(), "Tonight").error().code,
      ErrorCode::kForbidden);
  auto agreed = app_->contacts().allow_early_decision(
      manager_, contact.id, current(), "The school is closed until Monday; the child is at risk");
  ASSERT_TRUE(agreed.ok()) << agreed.error().message;
  ASSERT_TRUE(agreed->early_decision.has_value());
  EXPECT_EQ(agreed->early_decision->open_checks, (std::vector<std::int64_t>{school->id}));
  // Relying on a check that has not been answered is refused.
  auto wrong = cmd;
  wrong.relied_on_checks = {school->id};
  EXPECT_FALSE(app_->contacts().record_decision(worker_, contact.id, current(), wrong).ok());
  auto decided = app_->contacts().record_decision(worker_, contact.id, current(), cmd);
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_EQ(decided->decision->relied_on_checks, (std::vector<std::int64_t>{health->id}));
  // No new checks once a decision is recorded.
  EXPECT_EQ(app_->enquiries().request(worker_, contact.id, everyone("POL")).error().code,
            ErrorCode::kInvalidTransition);

  // The child's chronology shows all of it, in order.
  auto chronology = app_->people().chronology(manager_, health->people.front());
  ASSERT_TRUE(chronology.ok());
  std::vector<std::string> types;
  for (const auto& entry : *chronology) types.push_back(entry.type);
  auto position = [&](const std::string& type) {
    return std::find(types.begin(), types.end(), type) - types.begin();
  };
  const auto n = static_cast<long>(types.size());
  EXPECT_LT(position("ConsentOverridden"), position("CheckRequested"));
  EXPECT_LT(position("CheckRequested"), position("CheckAnswered"));
  EXPECT_LT(position("CheckAnswered"), position("DecisionAllowedBeforeChecksIn"));
  EXPECT_LT(position("DecisionAllowedBeforeChecksIn"), position("DecisionRecorded"));
  EXPECT_LT(position("DecisionRecorded"), n);
  bool gp_line = false;
  for (const auto& entry : *chronology) {
    if (entry.summary.rfind("GP asked by Test NHS Trust", 0) == 0) gp_line = true;
    // What an agency holds stays on the check, not in the chronology.
    EXPECT_EQ(entry.summary.find("Missed two health visitor"), std::string::npos);
  }
  EXPECT_TRUE(gp_line);
}

TEST_F(Enquiry, OverdueChecksAreEscalatedAndTheFiguresComeFromTheEvents) {
  const auto contact = screened_contact(domain::RagRating::kRed);
  override_consent(contact.id);
  auto health = app_->enquiries().request(worker_, contact.id, everyone("NHS"));
  auto police = app_->enquiries().request(worker_, contact.id, everyone("POL"));
  auto school = app_->enquiries().request(worker_, contact.id, everyone("SCH"));
  ASSERT_TRUE(health.ok() && police.ok() && school.ok());
  EXPECT_TRUE(app_->enquiries().overdue(worker_)->empty());
  // Health answers in 90 minutes, on time (red: 2 hours).
  clock_->advance(minutes{90});
  ASSERT_TRUE(
      app_->enquiries().answer(nurse_, health->id, health->version, not_known(*health)).ok());
  // Police answers after 3 hours: late.
  clock_->advance(minutes{90});
  ASSERT_TRUE(
      app_->enquiries().answer(police_, police->id, police->version, not_known(*police)).ok());
  // Education has not answered: overdue, in the MASH's list and the school's own queue.
  auto overdue = app_->enquiries().overdue(worker_);
  ASSERT_TRUE(overdue.ok());
  ASSERT_EQ(overdue->size(), 1U);
  EXPECT_EQ(overdue->front().id, school->id);
  EXPECT_TRUE(overdue->front().overdue);
  EXPECT_EQ(overdue->front().contact_reference, contact.reference);
  EXPECT_TRUE(app_->enquiries().agency_queue(school_)->front().overdue);
  EXPECT_EQ(app_->enquiries().overdue(nurse_).error().code, ErrorCode::kForbidden);

  auto figures = app_->enquiries().figures(manager_, clock_->now() - hours{24 * 28});
  ASSERT_TRUE(figures.ok()) << figures.error().message;
  std::map<std::string, domain::AgencyFigures> by_name;
  for (const auto& a : figures->agencies) by_name[a.name] = a.figures;
  ASSERT_EQ(by_name.size(), 3U);
  EXPECT_EQ(by_name["Test NHS Trust"].answered_on_time, 1);
  EXPECT_EQ(by_name["Test NHS Trust"].median, minutes{90});
  EXPECT_EQ(by_name["Test Constabulary"].answered, 1);
  EXPECT_EQ(by_name["Test Constabulary"].answered_on_time, 0);
  EXPECT_EQ(by_name["Test Constabulary"].p90, minutes{180});
  EXPECT_EQ(by_name["Test Academy"].overdue_now, 1);
  EXPECT_FALSE(by_name["Test Academy"].median.has_value());
  ASSERT_EQ(figures->contacts.size(), 1U);
  EXPECT_FALSE(figures->contacts[0].all_checks_in.has_value());
  EXPECT_EQ(figures->contacts[0].open_checks, 1);
  EXPECT_EQ(figures->consent_overridden, 1);
  // Education answers: all in, 10 minutes before the requests plus 4 hours.
  clock_->advance(minutes{60});
  ASSERT_TRUE(
      app_->enquiries().answer(school_, school->id, school->version, not_known(*school)).ok());
  figures = app_->enquiries().figures(manager_, clock_->now() - hours{24 * 28});
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(figures->contacts[0].all_checks_in, minutes{10 + 240});
  // The figures are for managers and analysts, not for partners.
  EXPECT_EQ(app_->enquiries().figures(nurse_, clock_->now()).error().code, ErrorCode::kForbidden);
}

TEST_F(Enquiry, AWithdrawnCheckNoLongerHoldsTheDecisionAndRefusalsChangeNothing) {
  const auto contact = screened_contact();
  override_consent(contact.id);
  auto police = app_->enquiries().request(worker_, contact.id, everyone("POL"));
  ASSERT_TRUE(police.ok());
  // A partner cannot withdraw; the MASH must say why.
  EXPECT_EQ(app_->enquiries().withdraw(police_, police->id, police->version, "x").error().code,
            ErrorCode::kNotFound);
  EXPECT_FALSE(app_->enquiries().withdraw(worker_, police->id, police->version, " ").ok());
  auto withdrawn =
      app_->enquiries().withdraw(worker_, police->id, police->version, "Asked the wrong force");
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->status, domain::CheckStatus::kWithdrawn);
  // A late answer to a withdrawn check is refused.
  EXPECT_EQ(app_->enquiries()
                .answer(police_, police->id, withdrawn->version, not_known(*police))
                .error()
                .code,
            ErrorCode::kInvalidTransition);
  auto progress = app_->db().read([&](storage::Transaction& tx) -> Status {
    FD_ASSIGN_OR_RETURN(auto p, app::checks_progress(tx, contact.id));
    EXPECT_TRUE(p.open.empty());
    EXPECT_TRUE(p.answered.empty());
    return ok_status();
  });
  EXPECT_TRUE(progress.ok());
}

}  // namespace
}  // namespace frontdoor::testing
