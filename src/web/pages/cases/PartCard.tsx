import { Button, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type CaseTypeView, useCaseType } from '../../lib/caseTypes.js';
import type { CaseActionView, CaseDeadline, CasePart } from '../../types.js';
import { partName, RoleTag, StateTag } from './CaseBits.js';
import { DeadlineLine } from './DeadlineLine.js';

const ORDER: Record<string, number> = { running: 0, fired: 1, missed: 2, met: 3 };

interface Props {
  part: CasePart;
  /** Only the contact form has 主办/协办 units and a due date per unit from the start. */
  caseType?: string;
  deadlines: CaseDeadline[];
  actions: CaseActionView[];
  onAction: (a: CaseActionView) => void;
}

/** Can the type's receivers name a handler (an action asking for `handlerPersonId`)? */
const namesHandler = (view: CaseTypeView | undefined) =>
  !!view?.transitions.some((x) => x.level === 'part' && !!(x.input?.properties as Record<string, unknown> | undefined)?.handlerPersonId);

/** One receiving unit's part: its state, handler, due date, deadlines, and what the user may do about it. */
export function PartCard({ part, caseType = 'contact_form', deadlines, actions, onAction }: Props) {
  const { t } = useTranslation();
  const { view } = useCaseType(caseType);
  const sorted = [...deadlines].sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || a.dueAt.localeCompare(b.dueAt));
  return (
    <Card
      size="small"
      data-testid={`part-${part.id}`}
      className={part.overdue ? 'card-overdue' : undefined}
      title={
        <Flex gap={6} align="center" wrap style={{ paddingBlock: 4 }}>
          <span style={{ whiteSpace: 'normal' }}>{partName(part)}</span>
          {caseType === 'contact_form' ? <RoleTag role={part.role} /> : null}
        </Flex>
      }
      extra={<StateTag state={part.state} label={part.stateLabel} />}
    >
      {part.overdue || part.supervised ? (
        <Flex gap={4} wrap style={{ marginBottom: 8 }}>
          {part.overdue ? <Tag color="red">{t('cases.overdue')}</Tag> : null}
          {part.supervised ? <Tag color="orange">{t('cases.supervised')}</Tag> : null}
        </Flex>
      ) : null}
      <Descriptions
        size="small"
        column={1}
        items={[
          // A notice is only acknowledged, a person part is its person's: nobody is named to handle them.
          ...(!part.handler && (caseType === 'notice' || !!part.person || (view && !namesHandler(view)))
            ? []
            : [
                {
                  key: 'handler',
                  label: t('caseDetail.handler'),
                  children: part.handler?.name ?? <Typography.Text type="secondary">{t('caseDetail.noHandler')}</Typography.Text>,
                },
              ]),
          // The completion deadline below says the same, to the minute; the bare date only when there is none yet.
          // Other types' units have a date only when one was set (a commission letter returned for rework).
          ...((deadlines.some((d) => d.clock === 'complete') && !part.requestedDueDate) || (caseType !== 'contact_form' && !part.dueDate)
            ? []
            : [
                {
                  key: 'due',
                  label: t('caseDetail.dueDate'),
                  children: (
                    <Typography.Text type={part.overdue ? 'danger' : undefined}>
                      {part.dueDate ?? t('common.none')}
                      {part.requestedDueDate ? (
                        <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                          {t('caseDetail.requestedDue')} {part.requestedDueDate}
                        </Typography.Text>
                      ) : null}
                    </Typography.Text>
                  ),
                },
              ]),
        ]}
      />
      {sorted.length > 0 ? (
        <Flex vertical gap={4} style={{ marginTop: 4 }}>
          {sorted.map((d) => (
            <DeadlineLine key={`${d.clock}-${d.startedAt}`} deadline={d} />
          ))}
        </Flex>
      ) : null}
      {actions.length > 0 ? (
        <Flex gap={8} wrap style={{ marginTop: 12 }}>
          {actions.map((a, i) => (
            <Button key={a.action} type={i === 0 ? 'primary' : 'default'} onClick={() => onAction(a)} data-action={a.action}>
              {a.label}
            </Button>
          ))}
        </Flex>
      ) : null}
    </Card>
  );
}
