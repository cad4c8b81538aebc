// The case engine's pure parts, importable without the cases service: a type as data for clients,
// the start-time check of a type, clocks, and the type definitions the web's tests render.

export { type ClockStart, type PolicyNumbers, reminderAt, startClock } from './engine/clocks.js';
export type { CaseTypeDef } from './engine/definition.js';
export { describeCaseType } from './engine/describe.js';
export { CaseTypeError, validateCaseType } from './engine/validate.js';
export { commissionLetter } from './types/commission-letter.js';
export { contactForm } from './types/contact-form.js';
export { notice } from './types/notice.js';
export { operationTicket } from './types/operation-ticket.js';
