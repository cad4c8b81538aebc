import { CalculatorOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Empty, Flex, Form, InputNumber, Row, Segmented, Skeleton, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/PageHeader.js';
import { useMe } from '../lib/queries.js';
import type { Deadline } from '../types.js';

type Mode = 'workingDays' | 'hours';
interface Values {
  from: Dayjs;
  mode: Mode;
  amount: number;
}
interface Asked {
  from: string;
  mode: Mode;
  amount: number;
}

export default function DeadlinePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch('mode', form) ?? 'workingDays';
  const [asked, setAsked] = useState<Asked | null>(null);
  const tz = me?.organization.timeZone ?? 'Asia/Shanghai';
  const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const result = useQuery({
    queryKey: ['deadline', asked],
    queryFn: () => api.get<Deadline>('/calendar/deadline', { from: asked!.from, [asked!.mode]: asked!.amount }),
    enabled: !!asked,
    staleTime: 0,
  });

  const submit = (v: Values) => setAsked({ from: v.from.second(0).millisecond(0).format(), mode: v.mode, amount: v.amount });
  const preset = (m: Mode, amount: number) => {
    form.setFieldsValue({ mode: m, amount });
    form.submit();
  };
  const data = result.data;

  return (
    <>
      <PageHeader title={t('deadline.title')} subtitle={t('deadline.intro')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card size="small">
            <Form<Values>
              form={form}
              layout="vertical"
              name="deadline"
              initialValues={{ from: dayjs(), mode: 'workingDays', amount: 1 }}
              onFinish={submit}
              requiredMark={false}
            >
              <Form.Item label={t('deadline.from')} required>
                <Flex gap={8}>
                  <Form.Item name="from" noStyle rules={[{ required: true }]}>
                    <DatePicker
                      showTime={{ format: 'HH:mm' }}
                      format="YYYY-MM-DD HH:mm"
                      allowClear={false}
                      style={{ flex: 1 }}
                      needConfirm={false}
                      aria-label={t('deadline.from')}
                    />
                  </Form.Item>
                  <Button onClick={() => form.setFieldValue('from', dayjs())}>{t('deadline.now')}</Button>
                </Flex>
              </Form.Item>
              <Form.Item name="mode" label={t('deadline.mode')}>
                <Segmented<Mode>
                  block
                  options={[
                    { value: 'workingDays', label: t('deadline.workingDays') },
                    { value: 'hours', label: t('deadline.hours') },
                  ]}
                />
              </Form.Item>
              <Form.Item
                name="amount"
                label={t('deadline.amount')}
                rules={[{ required: true, message: t('common.required', { field: t('deadline.amount') }) }]}
              >
                <InputNumber
                  min={0}
                  max={mode === 'hours' ? 24 * 366 : 365}
                  precision={mode === 'hours' ? 1 : 0}
                  style={{ width: '100%' }}
                  suffix={mode === 'hours' ? t('deadline.hours') : t('deadline.workingDays')}
                  inputMode="decimal"
                />
              </Form.Item>
              {deviceZone && deviceZone !== tz ? (
                <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('deadline.zoneNote', { local: dayjs().format('Z'), tz })} />
              ) : null}
              <Button type="primary" htmlType="submit" icon={<CalculatorOutlined />} block loading={result.isFetching}>
                {t('deadline.calculate')}
              </Button>
              <Typography.Text type="secondary" style={{ display: 'block', margin: '12px 0 6px', fontSize: 12 }}>
                {t('deadline.presets')}
              </Typography.Text>
              <Flex gap={6} wrap>
                <Button size="small" onClick={() => preset('workingDays', 1)}>
                  {t('deadline.preset1d')}
                </Button>
                <Button size="small" onClick={() => preset('workingDays', 3)}>
                  {t('deadline.preset3d')}
                </Button>
                <Button size="small" onClick={() => preset('hours', 24)}>
                  {t('deadline.preset24h')}
                </Button>
              </Flex>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" data-testid="deadline-result">
            {!asked ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('deadline.intro')} />
            ) : result.isPending ? (
              <Skeleton active />
            ) : result.error ? (
              <ErrorAlert error={result.error} />
            ) : data ? (
              <>
                <Typography.Text type="secondary">
                  <ClockCircleOutlined /> {t('deadline.result')}（{t('deadline.resultHint', { tz })}）
                </Typography.Text>
                <div className="deadline-big" data-testid="deadline-local">
                  {data.local}
                  <Typography.Text type="secondary" style={{ fontSize: 16, fontWeight: 400, marginInlineStart: 10 }}>
                    {dayjs(data.local.slice(0, 10)).format('dddd')}
                  </Typography.Text>
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {asked.mode === 'hours' ? t('deadline.amountHours', { count: asked.amount }) : t('deadline.amountDays', { count: asked.amount })}
                </Typography.Text>
                {data.flags.length ? (
                  <Alert
                    type="warning"
                    showIcon
                    style={{ margin: '12px 0' }}
                    title={t('deadline.flags')}
                    description={
                      <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                        {data.flags.map((f) => (
                          <li key={`${f.code}-${f.year}`}>{f.message}</li>
                        ))}
                      </ul>
                    }
                  />
                ) : null}
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('deadline.explanation')}
                </Typography.Title>
                <Timeline
                  items={data.explanation.map((line, i) => ({
                    key: i,
                    color: i === data.explanation.length - 1 ? 'green' : line.startsWith('跳过') || line.startsWith('Skipped') ? 'gray' : 'blue',
                    content: line,
                  }))}
                />
              </>
            ) : null}
          </Card>
        </Col>
      </Row>
    </>
  );
}
