/**
 * The case types as GET /case-types describes them, computed from the server's own definitions, so
 * that the web's component tests build their forms and dialogs from what the server really serves.
 * Test-only (the bundle never imports src/server).
 */
import type { CaseTypeView } from '../../contracts/cases.js';
import { describeCaseType } from '../../server/modules/cases/engine/describe.js';
import { commissionLetter } from '../../server/modules/cases/types/commission-letter.js';
import { contactForm } from '../../server/modules/cases/types/contact-form.js';
import { notice } from '../../server/modules/cases/types/notice.js';
import { operationTicket } from '../../server/modules/cases/types/operation-ticket.js';

export const CASE_TYPE_VIEWS: CaseTypeView[] = [contactForm, commissionLetter, notice, operationTicket].map(describeCaseType);
