import { useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import type { Page, PersonView } from '../types.js';

/** Searches people by name / employee number (GET /people?q=) and picks one id. */
export function PersonPicker({
  value,
  onChange,
  id,
  'aria-label': ariaLabel,
}: {
  value?: number;
  onChange?: (v: number) => void;
  id?: string;
  /** What a screen reader calls it; "choose a person" unless told. */
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const people = useQuery({
    queryKey: ['people', 'picker', deferred],
    queryFn: () => api.get<Page<PersonView>>('/people', { q: deferred || undefined, pageSize: 20, sort: 'name', status: 'active' }),
  });
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('accounts.choosePersonPlaceholder')}
      notFoundContent={people.isFetching ? <Spin size="small" /> : undefined}
      options={(people.data?.items ?? []).map((p) => ({ value: p.id, label: [p.name, p.employeeNo, p.post].filter(Boolean).join(' · ') }))}
      aria-label={ariaLabel ?? t('accounts.choosePerson')}
    />
  );
}
