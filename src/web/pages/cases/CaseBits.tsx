import { Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { roleLabel, stateColor } from '../../lib/cases.js';
import type { CaseSummaryView } from '../../types.js';

/** A part's name: its unit, or a person part's person in their unit (issue 9 §2). */
type NamedPart = { unit: { name: string }; person?: { name: string } | null };

export function partName(p: NamedPart): string {
  return p.person ? `${p.person.name}（${p.unit.name}）` : p.unit.name;
}

/** The name of the part with this id, if the case has it. */
export function partNameOf(parts: readonly (NamedPart & { id: number })[], id: number | null): string | null {
  const p = id == null ? undefined : parts.find((x) => x.id === id);
  return p ? partName(p) : null;
}

export function StateTag({ state, label }: { state: string; label: string }) {
  return (
    <Tag color={stateColor(state)} style={{ marginInlineEnd: 0 }}>
      {label}
    </Tag>
  );
}

export function RoleTag({ role }: { role: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={role === 'main' ? 'geekblue' : 'default'} style={{ marginInlineEnd: 0 }}>
      {roleLabel(t, role)}
    </Tag>
  );
}

/** Receiving units of a list row: "机电队 主办 · 办理中", red when that unit is late. */
export function PartsSummary({ parts }: { parts: CaseSummaryView['parts'] }) {
  const { t } = useTranslation();
  if (parts.length === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Flex gap={4} wrap>
      {parts.map((p) => (
        <Tag key={p.id} color={p.overdue ? 'red' : undefined} style={{ marginInlineEnd: 0 }} data-overdue={p.overdue ? 'true' : undefined}>
          {p.unitName}
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
            {roleLabel(t, p.role)} · {p.stateLabel}
          </Typography.Text>
        </Tag>
      ))}
    </Flex>
  );
}
