/** Every workflow the worker runs. */
export { needToKnow } from './need-to-know/workflow';
export { s47Enquiry } from './s47-enquiry/workflow';
export { childProtectionPlan } from './child-protection-plan/workflow';
export { lookedAfterChild } from './looked-after-child/workflow';
export { keyEvent } from './key-event/workflow';
export { missingEpisode } from './missing-episode/workflow';
export { seriousIncident } from './serious-incident/workflow';
