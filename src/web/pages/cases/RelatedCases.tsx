import { Card, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CaseDetail } from '../../types.js';

type Related = NonNullable<CaseDetail['children']>[number];

/**
 * The cases a case is related to by the engine (issue 9 §4): the case that created it, the cases it
 * created, the case it was merged into (and follows) and those merged into it — each with its number,
 * title and state as the server names it in the reader's language. Nothing when there are none.
 */
export function RelatedCases({ detail }: { detail: Pick<CaseDetail, 'parent' | 'children' | 'mergedInto' | 'merged'> }) {
  const { t } = useTranslation();
  const groups: { key: string; title: string; items: Related[] }[] = [
    { key: 'parent', title: t('caseDetail.related.parent'), items: detail.parent ? [detail.parent] : [] },
    { key: 'children', title: t('caseDetail.related.children'), items: detail.children ?? [] },
    { key: 'mergedInto', title: t('caseDetail.related.mergedInto'), items: detail.mergedInto ? [detail.mergedInto] : [] },
    { key: 'merged', title: t('caseDetail.related.merged'), items: detail.merged ?? [] },
  ].filter((g) => g.items.length > 0);
  if (groups.length === 0) return null;
  return (
    <Card size="small" title={t('caseDetail.related.title')} data-testid="related-cases">
      <Flex vertical gap={8}>
        {groups.map((g) => (
          <div key={g.key} data-testid={`related-${g.key}`}>
            <Typography.Text type="secondary">{g.title}</Typography.Text>
            <ul className="plain-list">
              {g.items.map((c) => (
                <li key={c.id} style={{ padding: '4px 0' }}>
                  <Link to={`/cases/${c.id}`}>
                    {c.number} {c.title}
                  </Link>
                  <Tag color={c.closed ? 'green' : 'blue'} style={{ marginInlineStart: 6 }}>
                    {c.stateLabel}
                  </Tag>
                </li>
              ))}
            </ul>
          </div>
        ))}
        {detail.mergedInto ? <Typography.Text type="secondary">{t('caseDetail.related.follows', { number: detail.mergedInto.number })}</Typography.Text> : null}
      </Flex>
    </Card>
  );
}
