import { useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import { useDeferredValue, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { qk } from '../../lib/queries.js';
import type { Page, PersonView, SigningLeader } from '../../types.js';

/** Someone who may be named on a form: a leader over the unit (with their unit) or a member of it. */
export interface Candidate {
  id: number;
  name: string;
  post: string | null;
  unitName?: string;
}

/** GET /cases/signing-leaders?unitId=: the heads and leaders of the unit and the units above it, nearest first. */
export function useSigningLeaders(unitId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: qk.signingLeaders(unitId ?? 0),
    queryFn: () => api.get<SigningLeader[]>('/cases/signing-leaders', { unitId }),
    enabled: enabled && !!unitId,
  });
}

/**
 * The unit's own members (GET /cases/unit-members?unitId=): any member of the unit may list them to
 * name people on a form; the server answers 404 for other units.
 */
export function useUnitMembers(unitId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: qk.unitMembers(unitId ?? 0),
    queryFn: async () => ({ items: await api.get<{ id: number; name: string; post: string | null }[]>('/cases/unit-members', { unitId }) }),
    enabled: enabled && !!unitId,
  });
}

export const candidateLabel = (c: Candidate) => [c.name, c.post, c.unitName].filter(Boolean).join(' · ');

/** Candidates from several lists, each person once (the first list wins). */
export function mergeCandidates(...lists: (readonly Candidate[] | undefined)[]): Candidate[] {
  const out = new Map<number, Candidate>();
  for (const list of lists) for (const c of list ?? []) if (!out.has(c.id)) out.set(c.id, c);
  return [...out.values()];
}

interface PersonSelectProps {
  value?: number;
  onChange?: (v: number | undefined) => void;
  id?: string;
  candidates: readonly Candidate[];
  loading?: boolean;
  error?: Error | null;
  /** People who cannot be chosen here, with why (shown after their name). */
  disabled?: ReadonlyMap<number, string>;
  placeholder?: string;
  emptyText?: string;
  allowClear?: boolean;
  'aria-label'?: string;
  'data-testid'?: string;
}

/** Picks one person from a list of candidates, searchable by name, post or unit. */
export function PersonSelect({ value, onChange, id, candidates, loading, error, disabled, placeholder, emptyText, allowClear, ...rest }: PersonSelectProps) {
  const options = candidates.map((c) => {
    const why = disabled?.get(c.id);
    return { value: c.id, label: why ? `${candidateLabel(c)}（${why}）` : candidateLabel(c), disabled: !!why && c.id !== value };
  });
  // A stored choice that is not (or no longer) a candidate still shows as itself.
  if (value != null && !candidates.some((c) => c.id === value)) options.push({ value, label: `#${value}`, disabled: false });
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      allowClear={allowClear}
      loading={loading}
      placeholder={placeholder}
      notFoundContent={loading ? <Spin size="small" /> : error ? error.message : emptyText}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ maxWidth: 420 }}
      aria-label={rest['aria-label']}
      data-testid={rest['data-testid']}
    />
  );
}

/** Searches people by name or employee number and picks several (抄送). Needs people.read. */
export function PeopleMultiPicker({ value, onChange, id }: { value?: number[]; onChange?: (v: number[]) => void; id?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const known = useRef(new Map<number, string>());
  const people = useQuery({
    queryKey: ['people', 'picker', deferred],
    queryFn: () => api.get<Page<PersonView>>('/people', { q: deferred || undefined, pageSize: 20, sort: 'name', status: 'active' }),
  });
  for (const p of people.data?.items ?? []) known.current.set(p.id, [p.name, p.employeeNo, p.post].filter(Boolean).join(' · '));
  const shown = new Set((people.data?.items ?? []).map((p) => p.id));
  const options = [
    ...(people.data?.items ?? []).map((p) => ({ value: p.id, label: known.current.get(p.id) ?? p.name })),
    ...(value ?? []).filter((v) => !shown.has(v)).map((v) => ({ value: v, label: known.current.get(v) ?? String(v) })),
  ];
  return (
    <Select<number[]>
      id={id}
      mode="multiple"
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('caseForm.watchersPlaceholder')}
      notFoundContent={people.isFetching ? <Spin size="small" /> : undefined}
      options={options}
      aria-label={t('caseForm.watchers')}
    />
  );
}
