// GOV.UK Frontend's components (conditional reveals, the error summary's focus, navigation on mobile).
import { initAll } from '/javascripts/govuk-frontend.min.js';

initAll();
