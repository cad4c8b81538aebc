import { EditOutlined, ImportOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Flex, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../api.js';
import { LoadState } from '../components/LoadState.js';
import { PageHeader } from '../components/PageHeader.js';
import { qk, useCan, useMe } from '../lib/queries.js';
import type { CalendarYear } from '../types.js';
import { DayModal } from './calendar/DayModal.js';
import { ImportYearModal } from './calendar/ImportYearModal.js';
import { PolicyModal } from './calendar/PolicyModal.js';
import { TermsCard } from './calendar/TermsCard.js';
import { YearGrid } from './calendar/YearGrid.js';

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return dayjs().format('YYYY-MM-DD');
  }
}

function Legend() {
  const { t } = useTranslation();
  const item = (cls: string, text: string, mark?: string) => (
    <span>
      <span className={`day ${cls}`}>8{mark ? <span className="mark">{mark}</span> : null}</span>
      {text}
    </span>
  );
  return (
    <div className="legend">
      {item('', t('calendar.legendWorkday'))}
      {item('weekend', t('calendar.legendWeekend'))}
      {item('holiday', t('calendar.legendHoliday'), t('calendar.restMark'))}
      {item('makeup', t('calendar.legendMakeup'), t('calendar.makeupMark'))}
      {item('override', t('calendar.legendOverride'))}
      {item('today', t('calendar.legendToday'))}
    </div>
  );
}

export default function CalendarPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const tz = me?.organization.timeZone;
  const today = todayIn(tz);
  const year = Number(params.get('year')) || Number(today.slice(0, 4));
  const manage = can('calendar.manage');
  const [day, setDay] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'import' | 'policy' | null>(null);

  const cal = useQuery({
    queryKey: qk.calendar(year),
    queryFn: () => api.get<CalendarYear>(`/calendar/years/${year}`),
    placeholderData: keepPreviousData,
  });
  const setYear = (y: number) => {
    if (y < 2000 || y > 2100) return;
    const next = new URLSearchParams(params);
    next.set('year', String(y));
    setParams(next, { replace: true });
  };
  const data = cal.data;
  const stats = useMemo(() => {
    const special = data?.specialDays ?? [];
    return {
      holidays: special.filter((d) => !d.working && d.reason !== 'weekend').length,
      makeup: special.filter((d) => d.working && (d.reason === 'official_workday' || d.reason === 'org_workday')).length,
      overrides: data?.overrides.length ?? 0,
    };
  }, [data]);

  return (
    <>
      <PageHeader
        title={t('calendar.title')}
        extra={
          <>
            <Space.Compact>
              <Button icon={<LeftOutlined />} onClick={() => setYear(year - 1)} aria-label={t('calendar.prevYear')} />
              <DatePicker
                picker="year"
                value={dayjs(`${year}-01-01`)}
                onChange={(d) => d && setYear(d.year())}
                allowClear={false}
                style={{ width: 110 }}
                aria-label={t('calendar.year')}
                data-testid="year-picker"
              />
              <Button icon={<RightOutlined />} onClick={() => setYear(year + 1)} aria-label={t('calendar.nextYear')} />
            </Space.Compact>
            {manage ? (
              <Button icon={<ImportOutlined />} onClick={() => setDialog('import')}>
                {t('calendar.importYear')}
              </Button>
            ) : null}
          </>
        }
      />
      <LoadState loading={cal.isPending} error={cal.error} onRetry={() => void cal.refetch()} rows={10}>
        {data ? (
          <Spin spinning={cal.isFetching && data.year !== year}>
            {data.warnings.length ? (
              <Alert
                type="warning"
                showIcon
                data-testid="calendar-warnings"
                style={{ marginBottom: 12 }}
                title={data.warnings.length === 1 ? data.warnings[0] : t('calendar.noSource')}
                description={
                  data.warnings.length > 1 ? (
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {data.warnings.map((w) => (
                        <li key={w}>{w}</li>
                      ))}
                    </ul>
                  ) : undefined
                }
                action={
                  manage && !data.hasOfficialData ? (
                    <Button size="small" onClick={() => setDialog('import')}>
                      {t('calendar.importYear')}
                    </Button>
                  ) : undefined
                }
              />
            ) : null}
            <Card size="small" style={{ marginBottom: 12 }}>
              <Flex wrap gap={12} justify="space-between" align="center">
                <Space wrap size={[12, 4]}>
                  <span>
                    <Typography.Text type="secondary">
                      {t('calendar.policy')}
                      {t('common.colon')}
                    </Typography.Text>
                    <Typography.Text strong>
                      {t('calendar.policyValue', { start: data.policy.workdayStart, end: data.policy.workdayEnd, tz: data.policy.timeZone })}
                    </Typography.Text>
                    {manage ? (
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDialog('policy')}>
                        {t('calendar.editPolicy')}
                      </Button>
                    ) : null}
                  </span>
                  <Typography.Text type="secondary">
                    {data.hasOfficialData ? t('calendar.source', { source: data.officialSource ?? '' }) : t('calendar.noSource')}
                  </Typography.Text>
                </Space>
                <Space wrap size={4}>
                  <Tag color="red">{t('calendar.holidaysCount', { count: stats.holidays })}</Tag>
                  <Tag color="blue">{t('calendar.makeupCount', { count: stats.makeup })}</Tag>
                  {stats.overrides ? <Tag color="orange">{t('calendar.overridesCount', { count: stats.overrides })}</Tag> : null}
                </Space>
              </Flex>
              <div style={{ marginTop: 10 }}>
                <Legend />
              </div>
              {manage ? (
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 6 }}>
                  {t('calendar.clickHint')}
                </Typography.Text>
              ) : null}
            </Card>
            <YearGrid year={data.year} specialDays={data.specialDays} overrides={data.overrides} today={today} onDayClick={manage ? setDay : undefined} />
            <TermsCard manage={manage} />
            {manage ? (
              <>
                <DayModal date={day} data={data} onClose={() => setDay(null)} />
                <PolicyModal open={dialog === 'policy'} policy={data.policy} onClose={() => setDialog(null)} />
              </>
            ) : null}
          </Spin>
        ) : null}
      </LoadState>
      {manage ? (
        <ImportYearModal
          open={dialog === 'import'}
          year={year}
          onClose={() => setDialog(null)}
          onImported={(y) => {
            setDialog(null);
            setYear(y);
          }}
        />
      ) : null}
    </>
  );
}
