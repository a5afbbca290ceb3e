/** Every workflow the worker runs. */
export { needToKnow } from './need-to-know';
export { s47Enquiry } from './s47-enquiry';
export { childProtectionPlan } from './child-protection-plan';
export { lookedAfterChild } from './looked-after-child';
