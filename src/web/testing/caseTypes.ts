/**
 * The case types as GET /case-types describes them, computed from the server's own definitions, so
 * that the web's component tests build their forms and dialogs from what the server really serves.
 * Test-only (the bundle never imports src/server).
 */
import type { CaseTypeView } from '../../contracts/cases.js';
import { commissionLetter, contactForm, describeCaseType, notice, operationTicket } from '../../server/modules/cases/core.js';

export const CASE_TYPE_VIEWS: CaseTypeView[] = [contactForm, commissionLetter, notice, operationTicket].map(describeCaseType);
