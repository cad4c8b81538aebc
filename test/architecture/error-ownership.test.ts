import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineErrors, defineProblems, statusOf } from '../../src/server/platform/http/errors.js';
import { entityOwner, errorMessage, messageOwner } from '../../src/server/platform/http/messages.js';
// The composition root loads every module, and with it every module's *.errors.ts.
import '../../src/server/services.js';
import { REPO_ROOT, readSources } from './imports.js';
import { isTest, moduleOf } from './module-rules.js';

// docs/adr/0015-module-boundaries.md: each module owns its error codes and field reasons (its
// *.errors.ts); the platform keeps the generic ones and renders them all.
describe('error codes per module', () => {
  it('a module answers only with its own codes, field reasons and names of things, or the platform’s generic ones', () => {
    const used: string[] = [];
    let seen = 0;
    for (const { file } of readSources(['src/server/modules'])) {
      const module = moduleOf(file);
      if (!module || isTest(file)) continue;
      const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
      const keys = [...text.matchAll(/new AppError\(\s*'(\w+)'/g), ...text.matchAll(/\bkey: '(\w+)',\s*params/g)].map((m) => m[1] as string);
      const names = [...text.matchAll(/notFound\(\s*'([^']+)'/g)].map((m) => m[1] as string);
      seen += keys.length + names.length;
      for (const key of keys) {
        const owner = messageOwner(key);
        if (owner !== 'platform' && owner !== module) used.push(`${file} uses "${key}", defined by ${owner ?? 'nobody'}`);
      }
      for (const name of names) {
        const owner = entityOwner(name);
        if (owner !== 'platform' && owner !== module) used.push(`${file} names "${name}" not found, a name of ${owner ?? 'nobody'}`);
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect(used).toEqual([]);
  });

  it('keeps the platform catalog to generic codes, and a module’s code keeps its status and words', () => {
    expect(messageOwner('NOT_FOUND')).toBe('platform');
    expect(messageOwner('UNIT_CYCLE')).toBe('org');
    expect(messageOwner('PERIOD_CLOSED')).toBe('assessment');
    expect(statusOf('IMPORT_INVALID')).toBe(422);
    expect(errorMessage('DELEGATION_ENDED', 'en')).toBe('This delegation has already ended or been revoked');
    expect(errorMessage('NOT_FOUND', 'zh-CN', { what: 'case' })).toBe('未找到案件/表单');
    expect(entityOwner('unit')).toBe('platform');
  });

  it('refuses a code or field reason defined a second time, naming both owners', () => {
    expect(() => defineErrors('demo', { UNIT_CYCLE: { status: 400, 'zh-CN': '重复', en: 'again' } })).toThrow(
      'message "UNIT_CYCLE" of demo is already defined by org',
    );
    expect(() => defineProblems('demo', { required: { 'zh-CN': '重复', en: 'again' } })).toThrow('already defined by platform');
    expect(statusOf('UNIT_CYCLE')).toBe(409);
  });
});
