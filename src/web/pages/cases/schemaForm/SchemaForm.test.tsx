// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Form } from 'antd';
import dayjs from 'dayjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type CaseTypeView, ui } from '../../../../contracts/cases.js';
import { Providers } from '../../../App.js';
import { setupI18n } from '../../../i18n/index.js';
import { pickerToIso } from '../../../lib/format.js';
import { createQueryClient, qk } from '../../../lib/queries.js';
import { ME, mockApi, renderAt } from '../../../testing/mockApi.js';
import type { CaseDetail } from '../../../types.js';
import CaseDetailPage from '../../CaseDetailPage.js';
import CaseNewPage from '../../CaseNewPage.js';
import { generatedForm } from '../caseForms.js';
import { SchemaFormItems } from './SchemaFormItems.js';
import { formSpec, fromStored, toInput } from './schema.js';

/** As describe.ts makes it: the JSON Schema of what a client sends. */
const js = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
const L = (zh: string, en = zh) => ({ 'zh-CN': zh, en });

/**
 * A case type the web has no component for (a 走访记录, say): everything the web shows of it comes
 * from this description, as GET /case-types would serve it.
 */
const VisitFields = z.strictObject({
  title: z.string().trim().min(2).max(200),
  body: z.string().trim().min(2).max(5000),
  visitedOn: z.iso.date(),
  channel: z.enum(['phone', 'visit']),
  people: z.number().int().min(1).max(50),
  followUp: z.boolean().optional(),
  hostPersonId: z
    .number()
    .int()
    .positive()
    .meta(ui({ widget: 'signingLeader' })),
});
const RecordInput = z.strictObject({
  minutes: z.number().int().min(1).max(600),
  outcome: z.enum(['solved', 'open']),
  note: z.string().trim().max(2000).optional(),
});

const VISIT: CaseTypeView = {
  code: 'visit_log',
  version: 1,
  name: L('走访记录', 'Visit log'),
  numberPrefix: 'ZF',
  fields: js(VisitFields),
  initialState: 'draft',
  initialPartState: 'pending',
  closedState: 'closed',
  editableIn: ['draft'],
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter', final: false, label: L('草稿') },
    { code: 'submitted', level: 'case', awaits: 'office', final: false, label: L('待记录') },
    { code: 'closed', level: 'case', awaits: null, final: true, label: L('已办结') },
  ],
  transitions: [
    { action: 'submit', level: 'case', from: ['draft'], to: 'submitted', by: ['drafter'], input: null, startClocks: [], stopClocks: [], label: L('提交') },
    {
      action: 'record',
      level: 'case',
      from: ['submitted'],
      to: 'closed',
      by: ['office'],
      input: js(RecordInput),
      startClocks: [],
      stopClocks: [],
      label: L('记录结果'),
    },
  ],
  clocks: [],
  roles: [],
  merge: null,
  labels: {
    'field.title': L('标题'),
    'field.body': L('走访情况'),
    'field.visitedOn': L('走访日期'),
    'field.channel': L('方式'),
    'enum.channel.phone': L('电话'),
    'enum.channel.visit': L('上门'),
    'field.people': L('人数'),
    'field.followUp': L('需要回访'),
    'field.hostPersonId': L('陪同领导'),
    'action.submit': L('提交'),
    'action.record': L('记录结果'),
    'hint.record': L('记录后走访办结。'),
    'input.record.minutes': L('用时（分钟）'),
    'input.record.outcome': L('结果'),
    'enum.outcome.solved': L('已解决'),
    'enum.outcome.open': L('未解决'),
    'input.note': L('说明（可不填）'),
    'state.draft': L('草稿'),
    'state.submitted': L('待记录'),
    'state.closed': L('已办结'),
  },
};

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('formSpec: each JSON Schema shape becomes a field', () => {
  it('text by its length, numbers with bounds, enums, booleans, dates, instants, pickers by annotation, lists of values and of objects', () => {
    const spec = formSpec(
      js(
        z.strictObject({
          short: z.string().min(2).max(200),
          long: z.string().max(5000).optional(),
          count: z.number().int().min(1).max(9),
          distance: z
            .number()
            .min(0)
            .max(100)
            .meta(ui({ step: 0.5, unit: 'm' })),
          kind: z.enum(['a', 'b']),
          urgent: z.boolean().optional(),
          day: z.iso.date().meta(ui({ notBefore: 'today' })),
          at: z.iso.datetime({ offset: true }),
          leader: z
            .number()
            .int()
            .positive()
            .meta(ui({ widget: 'signingLeader' })),
          steps: z.array(z.string().min(1).max(500)).min(1),
          receivers: z.array(
            z.strictObject({
              unitId: z
                .number()
                .int()
                .positive()
                .meta(ui({ widget: 'receiverUnit' })),
              role: z.enum(['main', 'assist']),
            }),
          ),
        }),
      ),
    );
    const by = Object.fromEntries(spec.fields.map((f) => [f.name, f]));
    expect(by.short).toMatchObject({ required: true, shape: { kind: 'text', minLength: 2, maxLength: 200, multiline: false } });
    expect(by.long).toMatchObject({ required: false, shape: { kind: 'text', maxLength: 5000, multiline: true } });
    // The safe-integer bound zod writes on every int is no limit to type against; a real one is.
    expect(by.count?.shape).toEqual({ kind: 'number', integer: true, min: 1, max: 9 });
    expect(by.distance).toMatchObject({ shape: { kind: 'number', integer: false, min: 0, max: 100 }, meta: { step: 0.5, unit: 'm' } });
    expect(by.kind?.shape).toEqual({ kind: 'enum', options: ['a', 'b'] });
    expect(by.urgent).toMatchObject({ required: false, shape: { kind: 'boolean' } });
    expect(by.day).toMatchObject({ shape: { kind: 'date' }, meta: { notBefore: 'today' } });
    expect(by.at?.shape).toEqual({ kind: 'datetime' });
    expect(by.leader?.shape).toEqual({ kind: 'pick', widget: 'signingLeader' });
    expect(by.steps?.shape).toMatchObject({ kind: 'list', item: { kind: 'text' }, fields: null, minItems: 1 });
    expect(by.receivers?.shape).toMatchObject({
      kind: 'list',
      fields: [{ name: 'unitId', shape: { kind: 'pick', widget: 'receiverUnit' } }, { name: 'role' }],
    });
  });

  it('a discriminated union is a choice of kind that switches the fields (a const or an enum per branch)', () => {
    const spec = formSpec(
      js(
        z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.enum(['start', 'stop']), workDate: z.iso.date() }),
          z.strictObject({ kind: z.literal('zone'), zone: z.string().min(2).max(2000), safe: z.number().optional() }),
        ]),
      ),
    );
    expect(spec.variants?.discriminator).toBe('kind');
    expect(spec.variants?.options.map((o) => [o.value, o.fields.map((f) => f.name)])).toEqual([
      ['start', ['workDate']],
      ['stop', ['workDate']],
      ['zone', ['zone', 'safe']],
    ]);
    // Values go out for the chosen kind only, and come back for editing.
    const values = { kind: 'zone', zone: '  老空积水区 ', workDate: dayjs('2026-10-01'), safe: undefined };
    expect(toInput(spec, values)).toEqual({ kind: 'zone', zone: '老空积水区' });
    expect(toInput(spec, { kind: 'stop', workDate: dayjs('2026-10-01') })).toEqual({ kind: 'stop', workDate: '2026-10-01' });
    const back = fromStored(spec, { kind: 'stop', workDate: '2026-10-01' });
    expect(back.kind).toBe('stop');
    expect(dayjs.isDayjs(back.workDate) && (back.workDate as dayjs.Dayjs).format('YYYY-MM-DD')).toBe('2026-10-01');
  });

  it('list rows with nothing in them are left out, as are empty optional texts', () => {
    const spec = formSpec(js(z.strictObject({ steps: z.array(z.string().max(500)), note: z.string().max(2000).optional() })));
    expect(toInput(spec, { steps: ['  第一步 ', '', undefined], note: '  ' })).toEqual({ steps: ['第一步'] });
    expect(toInput(spec, { steps: [undefined] })).toEqual({});
  });
});

describe('SchemaFormItems: the renderer', () => {
  it('renders each shape as its input, labelled from the type, and switches the fields with the kind', async () => {
    const spec = formSpec(
      js(
        z.discriminatedUnion('kind', [
          z.strictObject({
            kind: z.literal('visit'),
            title: z.string().min(2).max(200),
            body: z.string().max(5000),
            people: z.number().int().min(1).max(50),
            followUp: z.boolean().optional(),
            visitedOn: z.iso.date(),
            at: z.iso.datetime({ offset: true }),
            channel: z.enum(['phone', 'visit']),
            steps: z.array(z.string().max(500)).min(1),
          }),
          z.strictObject({ kind: z.literal('call'), number: z.string().max(40) }),
        ]),
      ),
    );
    const words = {
      label: (n: string) => `L:${n}`,
      option: (n: string, v: string) => `${n}=${v}`,
    };
    const client = createQueryClient();
    client.setQueryData(qk.me, ME);
    mockApi({});
    const user = userEvent.setup();
    render(
      <Providers client={client}>
        <Form layout="vertical" initialValues={{ kind: 'visit', steps: [''] }}>
          <SchemaFormItems spec={spec} words={words} ctx={{}} />
        </Form>
      </Providers>,
    );
    expect(screen.getByRole('textbox', { name: 'L:title' }).tagName).toBe('INPUT');
    expect(screen.getByRole('textbox', { name: 'L:body' }).tagName).toBe('TEXTAREA');
    expect(screen.getByRole('spinbutton', { name: 'L:people' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'L:followUp' })).toBeTruthy();
    expect(screen.getByLabelText('L:visitedOn')).toBeTruthy();
    expect(screen.getByLabelText('L:at')).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'channel=phone' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'kind=call' })).toBeTruthy();
    // A list: one row to start with, another added.
    expect(within(screen.getByTestId('list-steps')).getAllByRole('textbox')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: /添加L:steps/ }));
    expect(within(screen.getByTestId('list-steps')).getAllByRole('textbox')).toHaveLength(2);

    // Another kind, other fields.
    await user.click(screen.getByRole('radio', { name: 'kind=call' }));
    expect(await screen.findByRole('textbox', { name: 'L:number' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'L:title' })).toBeNull();
  });
});

describe('a type with no web code of its own', { timeout: 60_000 }, () => {
  it('starts a new form with an annotated time at now (an occurrence time), besides its first kind and list rows', () => {
    const fields = js(VisitFields.extend({ metAt: z.iso.datetime({ offset: true }).meta(ui({ initial: 'now' })) }));
    const start = generatedForm({ ...VISIT, fields }).defaults?.metAt as dayjs.Dayjs | undefined;
    expect(dayjs.isDayjs(start)).toBe(true);
    // The organization's wall clock, to the minute, as the picker shows it.
    expect(Math.abs(Date.parse(pickerToIso(start as dayjs.Dayjs)) - Date.now())).toBeLessThan(61_000);
    expect(generatedForm(VISIT).defaults?.visitedOn).toBeUndefined();
  });

  it('is drafted in a form generated from its fields and sent on with its first action', async () => {
    const api = mockApi({
      'GET /case-types': [VISIT],
      'GET /cases/signing-leaders': [{ id: 9, name: '赵总', post: '副总经理', unitName: '华岳能源集团' }],
      'POST /cases': { id: 50, number: 'ZF-2026-0050' },
      'POST /cases/:id/actions': {},
    });
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new?type=visit_log', route: '/cases/new' });
    expect(await screen.findByRole('heading', { name: '起草走访记录' })).toBeTruthy();
    // Nothing is sent without what the schema requires.
    const send = await screen.findByTestId('submit-case');
    expect(send.textContent?.replace(/\s/g, '')).toBe('提交');
    await user.click(send);
    expect(await screen.findByText('请填写标题')).toBeTruthy();
    expect(screen.getByText('请选择走访日期')).toBeTruthy();
    expect(api.find('POST', '/cases')).toHaveLength(0);

    await user.type(screen.getByRole('textbox', { name: '标题' }), '走访 3 号矿井');
    await user.type(screen.getByRole('textbox', { name: '走访情况' }), '了解井下通风情况');
    await user.click(screen.getByLabelText('走访日期'));
    await user.type(screen.getByLabelText('走访日期'), '2026-10-09{Enter}');
    await user.click(screen.getByRole('radio', { name: '上门' }));
    await user.type(screen.getByRole('spinbutton', { name: '人数' }), '3');
    await user.click(screen.getByRole('checkbox', { name: '需要回访' }));
    await user.click(screen.getByRole('combobox', { name: '陪同领导' }));
    await user.click(await screen.findByTitle('赵总 · 副总经理 · 华岳能源集团'));
    await user.click(send);

    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    expect(api.find('POST', '/cases')[0]!.body).toEqual({
      type: 'visit_log',
      initiatorUnitId: 1,
      fields: { title: '走访 3 号矿井', body: '了解井下通风情况', visitedOn: '2026-10-09', channel: 'visit', people: 3, followUp: true, hostPersonId: 9 },
    });
    await waitFor(() => expect(api.find('POST', '/cases/50/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/50/actions')[0]!.body).toEqual({ action: 'submit' });
  });

  it('shows its fields from the description and asks for an action’s input in a generated dialog', async () => {
    const d: CaseDetail = {
      id: 7,
      type: 'visit_log',
      typeName: '走访记录',
      number: 'ZF-2026-0007',
      title: '走访 3 号矿井',
      state: 'submitted',
      stateLabel: '待记录',
      version: 2,
      revision: 0,
      fields: { title: '走访 3 号矿井', body: '了解井下通风情况', visitedOn: '2026-10-09', channel: 'visit', people: 3, followUp: true, hostPersonId: 9 },
      initiatorUnit: { id: 1, name: '安全环保部' },
      drafter: { id: 5, name: '李华' },
      signingLeader: { id: 9, name: '赵总' },
      createdAt: '2026-10-09T01:00:00Z',
      updatedAt: '2026-10-09T01:00:00Z',
      closedAt: null,
      parts: [],
      deadlines: [],
      actions: [{ action: 'record', label: '记录结果', partId: null }],
      editable: false,
      watching: false,
      timeline: [],
      attachments: [],
      links: [],
    };
    const api = mockApi({ 'GET /case-types': [VISIT], 'GET /cases/:id': d, 'POST /cases/:id/actions': { ...d, actions: [] } });
    const user = userEvent.setup();
    renderAt(<CaseDetailPage />, { path: '/cases/7', route: '/cases/:id' });
    await screen.findByRole('heading', { name: '走访 3 号矿井' });
    const fieldValue = async (label: string) => {
      const th = (await within(screen.getByTestId('case-fields')).findByText(label)).closest('.ant-descriptions-item') as HTMLElement;
      return th.querySelector('.ant-descriptions-item-content')?.textContent ?? '';
    };
    expect(await fieldValue('方式')).toBe('上门');
    expect(await fieldValue('人数')).toBe('3');
    expect(await fieldValue('需要回访')).toBe('是');
    expect(await fieldValue('陪同领导')).toBe('赵总');
    expect(screen.getByText('走访情况')).toBeTruthy();
    expect(screen.queryByText(/visitedOn|hostPersonId/)).toBeNull();
    // Its sections are named from the type, never with another form's words (联系单内容, 收单单位).
    expect(screen.getByText('走访记录内容')).toBeTruthy();
    expect(screen.queryByText(/联系单/)).toBeNull();

    await user.click(screen.getByRole('button', { name: '记录结果' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('记录后走访办结。')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: '记录结果' }));
    expect(await within(dialog).findByText('请填写用时（分钟）')).toBeTruthy();
    expect(within(dialog).getByText('请选择结果')).toBeTruthy();
    expect(api.find('POST', '/cases/7/actions')).toHaveLength(0);

    await user.type(within(dialog).getByRole('spinbutton', { name: '用时（分钟）' }), '45');
    await user.click(within(dialog).getByRole('radio', { name: '已解决' }));
    await user.type(within(dialog).getByRole('textbox', { name: '说明（可不填）' }), '  ');
    await user.click(within(dialog).getByRole('button', { name: '记录结果' }));
    await waitFor(() => expect(api.find('POST', '/cases/7/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/7/actions')[0]!.body).toEqual({ action: 'record', version: 2, input: { minutes: 45, outcome: 'solved' } });
  });
});
