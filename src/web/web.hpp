#pragma once
// Everything in frontdoor::web: the Html type and the GOV.UK / MOJ renderers.
#include "web/content.hpp"  // IWYU pragma: export
#include "web/data.hpp"     // IWYU pragma: export
#include "web/forms.hpp"    // IWYU pragma: export
#include "web/html.hpp"     // IWYU pragma: export
#include "web/layout.hpp"   // IWYU pragma: export
#include "web/moj.hpp"      // IWYU pragma: export
