// Starts GOV.UK Frontend and MOJ Frontend components. Loaded with
// <script type="module"> from its own file, because the Content-Security-Policy
// allows no inline script. Pages work without it.
import { initAll as initGovukFrontend } from './govuk-frontend.min.js'
import { initAll as initMojFrontend } from './moj-frontend.min.js'
import { initPersonSuggestions } from './person-suggestions.js'

// The GOV.UK template sets these classes with an inline script; a browser that
// runs this module supports ES modules, which is what the second class means.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initGovukFrontend()
initMojFrontend()
initPersonSuggestions()
