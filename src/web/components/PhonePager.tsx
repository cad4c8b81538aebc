import { Flex, Pagination } from 'antd';
import { useTranslation } from 'react-i18next';

/** The compact pager under a list shown as cards on a phone; page 1 is reported as `undefined` (no query parameter). */
export function PhonePager(props: { page: number; pageSize: number; total: number; onPage: (page: number | undefined) => void }) {
  const { t } = useTranslation();
  return (
    <Flex justify="center" style={{ marginTop: 12 }}>
      <Pagination
        simple
        current={props.page}
        pageSize={props.pageSize}
        total={props.total}
        onChange={(p) => props.onPage(p > 1 ? p : undefined)}
        showTotal={(n) => t('common.total', { total: n })}
      />
    </Flex>
  );
}
