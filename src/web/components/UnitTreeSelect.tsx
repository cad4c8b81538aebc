import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnitDirectory, useUnits } from '../lib/queries.js';
import { buildUnitForest, subtreeIds, type UnitNode } from '../lib/tree.js';

interface TreeOption {
  value: number;
  title: string;
  label: string;
  disabled?: boolean;
  children: TreeOption[];
}

interface Props {
  value?: number | null;
  onChange?: (value: number | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Units that cannot be chosen, with their sub-units (moving a unit under itself). */
  excludeSubtreeOf?: number;
  style?: React.CSSProperties;
  id?: string;
  'aria-label'?: string;
  /** 'directory': every unit of the organization (addressing a form), not only those the user may read. */
  source?: 'scope' | 'directory';
}

/** Picks a unit from the organization tree, searchable by name or code. */
export function UnitTreeSelect({ value, onChange, placeholder, allowClear, excludeSubtreeOf, style, id, source = 'scope', ...rest }: Props) {
  const { t } = useTranslation();
  const scoped = useUnits(source === 'scope');
  const directory = useUnitDirectory(source === 'directory');
  const units = source === 'directory' ? directory : scoped;
  const treeData = useMemo(() => {
    const list = units.data ?? [];
    const blocked = excludeSubtreeOf ? subtreeIds(list, excludeSubtreeOf) : new Set<number>();
    const toOption = (n: UnitNode): TreeOption => ({
      value: n.unit.id,
      title: n.unit.active ? n.unit.name : `${n.unit.name}（${t('org.inactiveTag')}）`,
      label: `${n.unit.name} ${n.unit.code}`,
      disabled: blocked.has(n.unit.id),
      children: n.children.map(toOption),
    });
    return buildUnitForest(list).map(toOption);
  }, [units.data, excludeSubtreeOf, t]);
  // Large trees open on their first two levels (and wherever the current value is, which TreeSelect does itself).
  const expanded = useMemo(() => (units.data ?? []).filter((u) => u.depth <= 1).map((u) => u.id), [units.data]);
  return (
    <TreeSelect<number>
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      treeData={treeData}
      loading={units.isLoading}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'label' }}
      treeDefaultExpandAll={(units.data?.length ?? 0) <= 60}
      treeDefaultExpandedKeys={expanded}
      treeNodeLabelProp="title"
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
      classNames={{ popup: { root: 'unit-tree-select-popup' } }}
    />
  );
}
