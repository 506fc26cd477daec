#include "domain/views.hpp"

namespace frontdoor::domain {

std::string_view to_string(FormStatus s) {
  switch (s) {
    case FormStatus::kDraft:
      return "draft";
    case FormStatus::kAwaitingApproval:
      return "awaiting_approval";
    case FormStatus::kSubmitted:
      return "submitted";
  }
  return "draft";
}

}  // namespace frontdoor::domain
