import { ReloadOutlined, TagsOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Input, Row, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { LoadState } from '../components/LoadState.js';
import { NextSteps } from '../components/NextSteps.js';
import { PageHeader } from '../components/PageHeader.js';
import { useCan, useUnits } from '../lib/queries.js';
import { buildUnitForest, type UnitNode } from '../lib/tree.js';
import { useIsMobile } from '../lib/useIsMobile.js';
import type { UnitView } from '../types.js';
import { UnitDetail } from './org/UnitDetail.js';
import { UnitTypesModal } from './org/UnitTypesModal.js';

function highlight(text: string, q: string) {
  if (!q) return text;
  const i = text.toLowerCase().indexOf(q.toLowerCase());
  if (i < 0) return text;
  return (
    <>
      {text.slice(0, i)}
      <mark style={{ padding: 0, background: '#ffe58f' }}>{text.slice(i, i + q.length)}</mark>
      {text.slice(i + q.length)}
    </>
  );
}

/** Tree data, filtered to the matches of `q` and their ancestors; also the keys to expand. */
function treeData(units: UnitView[], q: string, inactiveText: string): { data: DataNode[]; expand: number[] } {
  const needle = q.trim().toLowerCase();
  const expand: number[] = [];
  const walk = (n: UnitNode): DataNode | null => {
    const kids = n.children.map(walk).filter((c): c is DataNode => c !== null);
    const self = !needle || n.unit.name.toLowerCase().includes(needle) || n.unit.code.toLowerCase().includes(needle);
    if (!self && kids.length === 0) return null;
    if (kids.length) expand.push(n.unit.id);
    return {
      key: n.unit.id,
      title: (
        <span data-testid={`unit-node-${n.unit.code}`}>
          <span style={n.unit.active ? undefined : { color: 'rgba(0,0,0,0.4)' }}>{highlight(n.unit.name, needle)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
            {highlight(n.unit.code, needle)}
          </Typography.Text>
          {n.unit.active ? null : (
            <Tag style={{ marginInlineStart: 6 }} variant="filled">
              {inactiveText}
            </Tag>
          )}
        </span>
      ),
      children: kids,
    };
  };
  const data = buildUnitForest(units)
    .map(walk)
    .filter((c): c is DataNode => c !== null);
  return { data, expand };
}

export default function OrgPage() {
  const { t } = useTranslation();
  const can = useCan();
  const isMobile = useIsMobile();
  const units = useUnits();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<React.Key[] | null>(null);
  const [typesOpen, setTypesOpen] = useState(false);
  const list = units.data ?? [];
  const selectedId = Number(params.get('unit')) || list.find((u) => u.parentId === null)?.id || null;
  const selected = list.find((u) => u.id === selectedId) ?? null;

  const { data, expand } = useMemo(() => treeData(list, q, t('org.inactiveTag')), [list, q, t]);
  // Searching opens the branches that lead to matches; otherwise the first two levels start open.
  useEffect(() => {
    if (q) setExpanded(expand);
  }, [q, expand]);
  const defaultExpanded = useMemo(() => list.filter((u) => u.depth <= 1).map((u) => u.id), [list]);

  const detailRef = useRef<HTMLDivElement>(null);
  const select = (id: number | null, scroll = false) => {
    const next = new URLSearchParams(params);
    if (id) next.set('unit', String(id));
    else next.delete('unit');
    setParams(next, { replace: true });
    // On a phone the details are below the tree: bring them into view.
    if (scroll && isMobile) setTimeout(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };

  return (
    <>
      <PageHeader
        title={t('org.title')}
        extra={
          <>
            {can('org.manage') ? (
              <Button icon={<TagsOutlined />} onClick={() => setTypesOpen(true)}>
                {t('org.unitTypes')}
              </Button>
            ) : null}
            <Button icon={<ReloadOutlined />} onClick={() => void units.refetch()} loading={units.isFetching} aria-label={t('common.refresh')} />
          </>
        }
      />
      <NextSteps />
      <LoadState loading={units.isPending} error={units.error} onRetry={() => void units.refetch()}>
        <Row gutter={[16, 16]}>
          <Col xs={24} md={9} xl={7}>
            <Card title={t('org.tree')} size="small" extra={<Typography.Text type="secondary">{t('org.unitCount', { count: list.length })}</Typography.Text>}>
              <Input.Search
                allowClear
                placeholder={t('org.searchPlaceholder')}
                value={q}
                onChange={(e) => setQ(e.target.value)}
                style={{ marginBottom: 8 }}
                aria-label={t('org.searchPlaceholder')}
              />
              {data.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.noMatch')} />
              ) : (
                <Tree
                  blockNode
                  showLine
                  data-testid="unit-tree"
                  treeData={data}
                  selectedKeys={selectedId ? [selectedId] : []}
                  expandedKeys={expanded ?? defaultExpanded}
                  onExpand={(keys) => setExpanded(keys)}
                  onSelect={(keys) => {
                    const k = keys[0];
                    if (k !== undefined) select(Number(k), true);
                  }}
                  height={isMobile ? 320 : Math.max(360, window.innerHeight - 290)}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} md={15} xl={17} ref={detailRef}>
            {selected ? (
              <UnitDetail
                key={selected.id}
                unit={selected}
                units={list}
                onSelect={(id) => {
                  select(id);
                  if (id) setExpanded((prev) => [...new Set([...(prev ?? defaultExpanded), ...list.filter((u) => u.id === id).map((u) => u.parentId ?? 0)])]);
                }}
              />
            ) : (
              <Card>
                <Empty description={isMobile ? t('org.selectHintMobile') : t('org.selectHint')} />
              </Card>
            )}
          </Col>
        </Row>
      </LoadState>
      <UnitTypesModal open={typesOpen} onClose={() => setTypesOpen(false)} />
    </>
  );
}
