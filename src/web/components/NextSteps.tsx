import { CheckCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.js';
import { qk, useCan, useUnits } from '../lib/queries.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { Page, PersonView } from '../types.js';

const DISMISSED_KEY = 'liaison.nextSteps.dismissed';

function readDismissed(): boolean {
  try {
    return globalThis.localStorage?.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * After setup, the administrator's way in: units → import people → open accounts, each with its
 * link and ticked once done (more units than the root, people besides oneself, an account besides one's own).
 * Goes away when all three are done or when dismissed (remembered in this browser).
 */
export function NextSteps() {
  const { t } = useTranslation();
  const can = useCan();
  const isMobile = useIsMobile();
  const [dismissed, setDismissed] = useState(readDismissed);
  const show = can('org.manage') && !dismissed;
  const units = useUnits(show);
  const people = useQuery({
    queryKey: qk.people({ pageSize: 1, status: 'all', purpose: 'next-steps' }),
    queryFn: () => api.get<Page<PersonView>>('/people', { pageSize: 1, status: 'all' }),
    enabled: show,
  });
  const accounts = useQuery({ queryKey: qk.accounts, queryFn: () => api.get<unknown[]>('/accounts'), enabled: show && can('account.manage') });
  if (!show || units.isPending || people.isPending) return null;

  // The administrator is a person with an account already: the steps count the others.
  const done = [(units.data?.length ?? 0) > 1, (people.data?.total ?? 0) > 1, (accounts.data?.length ?? 0) > 1];
  if (done.every(Boolean)) return null;
  const current = done.findIndex((d) => !d);
  const steps = [
    { key: 'units', to: '/org' },
    { key: 'import', to: '/import' },
    { key: 'accounts', to: '/accounts' },
  ] as const;
  const dismiss = () => {
    try {
      globalThis.localStorage?.setItem(DISMISSED_KEY, '1');
    } catch {
      /* storage may be disabled: hidden for this visit only */
    }
    setDismissed(true);
  };

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={t('firstHour.nextSteps.title')}
      extra={
        <Button type="link" size="small" onClick={dismiss} data-testid="next-steps-dismiss">
          {t('firstHour.nextSteps.dismiss')}
        </Button>
      }
      data-testid="next-steps"
    >
      <Steps
        size="small"
        orientation={isMobile ? 'vertical' : 'horizontal'}
        current={current}
        items={steps.map((s, i) => ({
          status: done[i] ? 'finish' : i === current ? 'process' : 'wait',
          icon: done[i] ? <CheckCircleFilled /> : undefined,
          title: (
            <Link to={s.to} data-testid={`next-step-${s.key}`}>
              {t(`firstHour.nextSteps.${s.key}`)}
            </Link>
          ),
          content: <Typography.Text type="secondary">{t(`firstHour.nextSteps.${s.key}Hint`)}</Typography.Text>,
        }))}
      />
    </Card>
  );
}
