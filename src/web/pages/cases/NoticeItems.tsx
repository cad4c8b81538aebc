import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Flex, Form, Input, InputNumber, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.js';
import { counted, TEXT_LIMITS } from '../../lib/limits.js';
import { required, requiredNumber, requiredSelect } from '../../lib/rules.js';
import type { NoticeFields, NoticeKind } from '../../types.js';
import { beforeToday, type CaseItemsProps, compact, optionalText, TitleBodyItems } from './formShared.js';
import { PersonSelect, useSigningLeaders } from './PeoplePickers.js';

export const WORK_KINDS = ['work_start', 'work_stop', 'work_resume'] as const;
export const NOTICE_KINDS: readonly NoticeKind[] = [...WORK_KINDS, 'danger_zone', 'breakthrough'];
export type WorkKind = (typeof WORK_KINDS)[number];
export const isWorkKind = (k: unknown): k is WorkKind => (WORK_KINDS as readonly unknown[]).includes(k);

export interface NoticeValues {
  kind: NoticeKind;
  title: string;
  body: string;
  receiverUnitIds: (number | undefined)[];
  leaderPersonId?: number;
  roadway?: string;
  workDate?: Dayjs;
  urgent?: boolean;
  urgentReason?: string;
  zone?: string;
  safeDistanceMeters?: number | null;
  headingA?: string;
  headingB?: string;
  strata?: 'coal' | 'rock';
  distanceMeters?: number | null;
}

/** Form values → the notice's fields: only those of its kind (the server's schemas are strict). */
export function toNoticeFields(v: NoticeValues): NoticeFields {
  // A draft may be saved half-written (保存草稿): what is not filled in is left out.
  const ids = (v.receiverUnitIds ?? []).filter((id): id is number => id != null);
  const common = {
    title: (v.title ?? '').trim(),
    body: optionalText(v.body),
    receiverUnitIds: ids.length ? ids : undefined,
    leaderPersonId: v.leaderPersonId ?? undefined,
  } as Pick<NoticeFields, 'title' | 'body' | 'receiverUnitIds' | 'leaderPersonId'>;
  if (v.kind === 'danger_zone')
    return compact({
      ...common,
      kind: v.kind,
      roadway: optionalText(v.roadway),
      zone: optionalText(v.zone),
      safeDistanceMeters: v.safeDistanceMeters ?? undefined,
    }) as NoticeFields;
  if (v.kind === 'breakthrough')
    return compact({
      ...common,
      kind: v.kind,
      headingA: optionalText(v.headingA),
      headingB: optionalText(v.headingB),
      strata: v.strata ?? 'coal',
      distanceMeters: v.distanceMeters ?? undefined,
    }) as NoticeFields;
  return compact({
    ...common,
    kind: v.kind,
    roadway: optionalText(v.roadway),
    workDate: v.workDate ? v.workDate.format('YYYY-MM-DD') : undefined,
    urgent: v.urgent ? true : undefined,
    urgentReason: v.urgent ? optionalText(v.urgentReason) : undefined,
  }) as NoticeFields;
}

export function fromNoticeFields(fields: Record<string, unknown>): Partial<NoticeValues> {
  const f = fields as Partial<Record<string, unknown>> & { kind?: NoticeKind };
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  const num = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : undefined);
  const ids = Array.isArray(f.receiverUnitIds) ? (f.receiverUnitIds as number[]) : [];
  return {
    kind: f.kind ?? 'work_start',
    title: str('title') ?? '',
    body: str('body') ?? '',
    receiverUnitIds: ids.length ? ids : [undefined],
    leaderPersonId: num('leaderPersonId'),
    roadway: str('roadway'),
    workDate: str('workDate') ? dayjs(str('workDate')) : undefined,
    urgent: f.urgent === true,
    urgentReason: str('urgentReason'),
    zone: str('zone'),
    safeDistanceMeters: num('safeDistanceMeters'),
    headingA: str('headingA'),
    headingB: str('headingB'),
    strata: f.strata === 'rock' ? 'rock' : 'coal',
    distanceMeters: num('distanceMeters'),
  };
}

/** The problem with the list of units notified, if any: none, a unit twice, the initiator itself. */
function receiversProblem(t: TFunction, list: (number | undefined)[] | undefined, initiatorUnitId?: number): string | null {
  const ids = (list ?? []).filter((id): id is number => id != null);
  if ((list ?? []).length === 0) return t('notice.atLeastOne');
  if (new Set(ids).size !== ids.length) return t('caseForm.duplicateUnit');
  if (initiatorUnitId != null && ids.includes(initiatorUnitId)) return t('notice.ownUnit');
  return null;
}

/**
 * The fields of a 通知单: its kind, the units that must acknowledge it, an optional leader to tell, and
 * what its kind needs: the work date and, if given, the site (urgent with a reason when late); a
 * danger zone and its roadway; or the two approaching headings with their strata and distance. The
 * coal-mine fields appear only for the kinds that need them.
 */
export function NoticeItems({ form, initiatorUnitId, active = true }: CaseItemsProps) {
  const { t } = useTranslation();
  const leaders = useSigningLeaders(initiatorUnitId, active);
  const kind = (Form.useWatch('kind', form) as NoticeKind | undefined) ?? 'work_start';
  const urgent = Form.useWatch('urgent', form) as boolean | undefined;

  return (
    <>
      <Form.Item name="kind" label={t('notice.kind')} rules={[requiredSelect(t, t('notice.kind'))]}>
        <Radio.Group aria-label={t('notice.kind')} options={NOTICE_KINDS.map((k) => ({ value: k, label: t(`notice.kinds.${k}`) }))} />
      </Form.Item>
      <TitleBodyItems
        titleLabel={t('caseForm.subject')}
        titlePlaceholder={t('notice.subjectPlaceholder')}
        bodyLabel={t('notice.body')}
        bodyPlaceholder={t('notice.bodyPlaceholder')}
      />

      {isWorkKind(kind) ? (
        <>
          <Form.Item name="roadway" label={t('noticeSite.siteOptional')} rules={[{ max: 200 }]}>
            <Input {...counted(200)} placeholder={t('noticeSite.sitePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="workDate"
            label={t(`notice.workDate.${kind}`)}
            extra={t('notice.workDateHint')}
            rules={[requiredSelect(t, t(`notice.workDate.${kind}`))]}
          >
            <DatePicker style={{ width: '100%', maxWidth: 240 }} disabledDate={beforeToday} aria-label={t(`notice.workDate.${kind}`)} />
          </Form.Item>
          <Form.Item name="urgent" valuePropName="checked" style={{ marginBottom: urgent ? 8 : undefined }}>
            <Checkbox>{t('notice.urgent')}</Checkbox>
          </Form.Item>
          {urgent ? (
            <Form.Item name="urgentReason" label={t('notice.urgentReason')} rules={[required(t, t('notice.urgentReason')), { min: 2, max: 2000 }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} {...counted(TEXT_LIMITS.note)} />
            </Form.Item>
          ) : null}
        </>
      ) : null}

      {kind === 'danger_zone' ? (
        <>
          <Form.Item name="roadway" label={t('notice.roadway')} rules={[required(t, t('notice.roadway')), { max: 200 }]}>
            <Input {...counted(200)} placeholder={t('notice.roadwayPlaceholder')} />
          </Form.Item>
          <Form.Item name="zone" label={t('notice.zone')} rules={[required(t, t('notice.zone')), { min: 2, max: 2000 }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} {...counted(TEXT_LIMITS.note)} placeholder={t('notice.zonePlaceholder')} />
          </Form.Item>
          <Form.Item name="safeDistanceMeters" label={t('notice.safeDistance')}>
            <InputNumber min={0} max={10_000} step={1} style={{ width: 160 }} aria-label={t('notice.safeDistance')} suffix="m" />
          </Form.Item>
        </>
      ) : null}

      {kind === 'breakthrough' ? (
        <>
          <Form.Item name="headingA" label={t('notice.headingA')} rules={[required(t, t('notice.headingA')), { max: 200 }]}>
            <Input {...counted(200)} placeholder={t('notice.headingPlaceholder')} />
          </Form.Item>
          <Form.Item
            name="headingB"
            label={t('notice.headingB')}
            dependencies={['headingA']}
            rules={[
              required(t, t('notice.headingB')),
              { max: 200 },
              ({ getFieldValue }) => ({
                validator: async (_, v: string | undefined) => {
                  if (v?.trim() && v.trim() === String(getFieldValue('headingA') ?? '').trim()) throw new Error(t('notice.sameHeading'));
                },
              }),
            ]}
          >
            <Input {...counted(200)} placeholder={t('notice.headingPlaceholder')} />
          </Form.Item>
          <Form.Item name="strata" label={t('notice.strata')} rules={[requiredSelect(t, t('notice.strata'))]}>
            <Radio.Group
              aria-label={t('notice.strata')}
              options={[
                { value: 'coal', label: t('notice.strataKinds.coal') },
                { value: 'rock', label: t('notice.strataKinds.rock') },
              ]}
            />
          </Form.Item>
          <Form.Item name="distanceMeters" label={t('notice.distance')} extra={t('notice.distanceHint')} rules={[requiredNumber(t, t('notice.distance'))]}>
            <InputNumber min={0} max={100_000} step={0.5} style={{ width: 160 }} aria-label={t('notice.distance')} suffix="m" />
          </Form.Item>
        </>
      ) : null}

      <Form.Item label={t('notice.receivers')} extra={t('notice.receiversHint')} required>
        <Form.List
          name="receiverUnitIds"
          rules={[
            {
              validator: async (_, list: (number | undefined)[] | undefined) => {
                const problem = receiversProblem(t, list, initiatorUnitId);
                if (problem) throw new Error(problem);
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div data-testid="notice-receivers">
              {fields.map(({ key, name }) => (
                <Flex key={key} gap={8} align="start" data-testid="notice-receiver-row">
                  <Form.Item name={name} rules={[requiredSelect(t, t('notice.receiverUnit'))]} style={{ flex: 1, minWidth: 0, marginBottom: 8 }}>
                    <UnitTreeSelect source="directory" placeholder={t('notice.receiverUnit')} aria-label={t('notice.receiverUnit')} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={t('notice.removeReceiver')} disabled={fields.length <= 1} onClick={() => remove(name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                {t('notice.addReceiver')}
              </Button>
              <div data-testid="notice-receivers-error">
                <Form.ErrorList errors={errors} />
              </div>
            </div>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="leaderPersonId" label={t('notice.leaderOptional')} extra={t('notice.leaderHint')}>
        <PersonSelect
          allowClear
          candidates={leaders.data ?? []}
          loading={leaders.isFetching}
          error={leaders.error}
          placeholder={initiatorUnitId ? undefined : t('caseForm.chooseInitiatorFirst')}
          emptyText={t('caseForm.noLeaders')}
          aria-label={t('notice.leader')}
        />
      </Form.Item>
    </>
  );
}
