import { describe, expect, it } from 'vitest';
import { notificationTarget } from './notifications.js';

describe('where a notification leads', () => {
  it('opens the ledger entry of an assessment, though the assessment came from a case', () => {
    expect(notificationTarget({ caseId: 7, assessmentId: 3 })).toBe('/assessments?entry=3');
  });
  it('opens the case otherwise, and nothing when it is about neither', () => {
    expect(notificationTarget({ caseId: 7, assessmentId: null })).toBe('/cases/7');
    expect(notificationTarget({ caseId: null, assessmentId: null })).toBeNull();
  });
});
